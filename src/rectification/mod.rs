//! Rectifications (整改): what became of the findings a visit ordered put
//! right. An officer goes back and re-inspects (复查), recording for each
//! finding whether it was rectified, with photos; or the bureau accepts
//! documentary evidence (书面材料: invoices, new verification certificates,
//! photos sent in) and staff close the rectification with the reason. Either
//! way it is a record of its own, linked to the visit and to its findings by
//! rule code and path, because the visit is evidence and never changes after
//! finalising.
//!
//! What these records mean for the rest of the core is one list of
//! [`Rectification`]s ([`rectifications_of`]): the figures count on-time, late
//! and open rectifications from it (按期整改率), and the visit's rectification
//! deadlines are met by it ([`close_deadlines`]).

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::check::{Checks, Label, Ptr};
use crate::finding::{DeadlineKind, DeadlineStatus, Evaluation};
use crate::problem::{ProblemCode, Text};
pub use crate::summary::Rectification;
use crate::time::Date;
use crate::visit::Attachment;

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct RectificationRecord {
    pub schema_version: Option<u32>,
    /// UUID made on the device (or by HQ for a clerk's entry).
    pub id: Option<String>,
    /// The visit whose findings these are.
    pub visit_id: Option<String>,
    pub method: Option<RectificationMethod>,
    /// The day of the re-inspection, or of the documents that prove the rectification.
    pub checked_on: Option<Date>,
    /// What the documents were and why they suffice (required when closing on documents).
    pub reason: Option<String>,
    pub items: Vec<RectificationItem>,
    /// The re-inspection's photos, by hash.
    pub attachments: Vec<Attachment>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct RectificationItem {
    /// The finding's rule code, as the visit's evaluation names it.
    pub finding_code: Option<String>,
    /// The finding's path in the visit.
    pub path: Option<String>,
    pub outcome: Option<RectificationOutcome>,
    pub note: Option<String>,
    pub photo_sha256: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum RectificationMethod {
    /// 现场复查: an officer went back and looked.
    OnSite,
    /// 书面审查: closed by staff on documents the operator sent in.
    Documentary,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum RectificationOutcome {
    /// 已整改
    Rectified,
    /// 未整改
    NotRectified,
}

/// A choice with its name in the core's words (so no label is written twice in JS).
#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Choice<T> {
    pub value: T,
    pub label: Text,
}

/// The names of the ways a rectification is checked and of its outcomes.
#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct RectificationTerms {
    pub methods: Vec<Choice<RectificationMethod>>,
    pub outcomes: Vec<Choice<RectificationOutcome>>,
}

pub fn terms() -> RectificationTerms {
    RectificationTerms {
        methods: vec![
            Choice { value: RectificationMethod::OnSite, label: Text::new("现场复查", "Re-inspected on site") },
            Choice { value: RectificationMethod::Documentary, label: Text::new("书面审查（当事人提交的整改材料）", "Closed on documents sent in") },
        ],
        outcomes: vec![
            Choice { value: RectificationOutcome::Rectified, label: Text::new("已整改", "Rectified") },
            Choice { value: RectificationOutcome::NotRectified, label: Text::new("未整改", "Not rectified") },
        ],
    }
}

/// The data problems of a rectification record.
pub fn validate_rectification_fields(r: &RectificationRecord, c: &mut Checks) {
    let root = Ptr::root();
    if r.schema_version.is_none() {
        c.missing(&root.key("schemaVersion"), Label("记录格式版本", "schema version"));
    }
    c.id(&r.id, &root.key("id"));
    c.id(&r.visit_id, &root.key("visitId"));
    let method = c.require(&r.method, &root.key("method"), Label("整改核查方式", "how the rectification was checked"));
    c.require(&r.checked_on, &root.key("checkedOn"), Label("复查日期", "day checked"));
    c.date_not_future(r.checked_on, &root.key("checkedOn"), Label("复查日期", "day checked"));
    if method == Some(&RectificationMethod::Documentary) {
        c.require_text(&r.reason, &root.key("reason"), Label("依据的整改材料及理由", "the documents and the reason"));
    }
    let list = root.key("items");
    if r.items.is_empty() {
        c.push(ProblemCode::Required, &list, "请至少核查一项需整改的问题".into(), "check at least one finding".into());
    }
    for (i, item) in r.items.iter().enumerate() {
        let at = list.index(i);
        c.require_text(&item.finding_code, &at.key("findingCode"), Label("问题的规则代码", "the finding's rule code"));
        c.require_text(&item.path, &at.key("path"), Label("问题的位置", "the finding's place in the visit"));
        c.require(&item.outcome, &at.key("outcome"), Label("整改结果", "outcome"));
        for (j, sha) in item.photo_sha256.iter().enumerate() {
            if !r.attachments.iter().any(|a| a.sha256.as_deref() == Some(sha.as_str())) {
                c.push(ProblemCode::Required, &at.key("photoSha256").index(j), "复查照片未随记录保存".into(), "the photo is not among the record's attachments".into());
            }
        }
    }
    let key = |item: &RectificationItem| match (&item.finding_code, &item.path) {
        (Some(code), Some(path)) => Some(format!("{code} {path}")),
        _ => None,
    };
    let keys: Vec<Option<String>> = r.items.iter().map(key).collect();
    c.no_duplicates(keys.iter().enumerate().map(|(i, k)| (list.index(i).key("findingCode"), k.as_deref())), Label("核查的问题", "finding checked"));
}

/// The findings these records show rectified, each on the first day one of
/// them says so (a later "not rectified" does not undo a rectification seen).
pub fn rectifications_of(records: &[RectificationRecord]) -> Vec<Rectification> {
    let mut all = Vec::new();
    for r in records {
        let (Some(visit_id), Some(day)) = (&r.visit_id, r.checked_on) else { continue };
        for item in r.items.iter().filter(|i| i.outcome == Some(RectificationOutcome::Rectified)) {
            let (Some(code), Some(path)) = (&item.finding_code, &item.path) else { continue };
            all.push(Rectification { visit_id: visit_id.clone(), finding_code: code.clone(), path: path.clone(), rectified_on: day });
        }
    }
    // by finding, earliest first; then the earliest of each (a sort, not a map: less wasm)
    fn key(r: &Rectification) -> (&str, &str, &str) {
        (&r.visit_id, &r.finding_code, &r.path)
    }
    all.sort_by(|a, b| (key(a), a.rectified_on).cmp(&(key(b), b.rectified_on)));
    all.dedup_by(|later, kept| key(later) == key(kept));
    all
}

/// Meet the evaluation's rectification deadlines that `rectifications` close:
/// on time if done by the due day, late otherwise.
pub fn close_deadlines(evaluation: &mut Evaluation, rectifications: &[Rectification]) {
    let Some(visit_id) = evaluation.visit_id.clone() else { return };
    for d in evaluation.deadlines.iter_mut().filter(|d| d.kind == DeadlineKind::Rectification) {
        let done = rectifications.iter().filter(|r| r.visit_id == visit_id && r.finding_code == d.code && r.path == d.path).map(|r| r.rectified_on).min();
        if let Some(day) = done {
            d.done_on = Some(day);
            d.status = if day <= d.due { DeadlineStatus::MetOnTime } else { DeadlineStatus::MetLate };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    fn now() -> Timestamp {
        Timestamp::parse_from_rfc3339("2026-06-30T10:00:00+08:00").unwrap()
    }

    fn check(value: serde_json::Value) -> Vec<(String, String)> {
        crate::validate::check_rectification(value, now()).report.problems.into_iter().map(|p| (p.code.as_str().to_string(), p.path)).collect()
    }

    const VISIT: &str = "0190a4b2-0000-7000-8000-000000000001";
    const ID: &str = "0190a4b2-0000-7000-8000-000000000002";

    #[test]
    fn an_on_site_recheck_needs_the_day_and_an_outcome_per_finding() {
        let ok = serde_json::json!({ "schemaVersion": 1, "id": ID, "visitId": VISIT, "method": "onSite", "checkedOn": "2026-06-20",
            "items": [{ "findingCode": "PRICE.NO_TAG", "path": "/priceChecks/0", "outcome": "rectified" }] });
        assert_eq!(check(ok), vec![]);
        let bad = serde_json::json!({ "schemaVersion": 1, "id": ID, "visitId": VISIT, "method": "onSite", "checkedOn": "2026-07-20",
            "items": [{ "findingCode": "PRICE.NO_TAG", "path": "/priceChecks/0", "photoSha256": ["ab"] }] });
        let problems = check(bad);
        assert!(problems.contains(&("IN_FUTURE".into(), "/checkedOn".into())), "{problems:?}");
        assert!(problems.contains(&("REQUIRED".into(), "/items/0/outcome".into())), "{problems:?}");
        assert!(problems.contains(&("REQUIRED".into(), "/items/0/photoSha256/0".into())), "{problems:?}");
    }

    #[test]
    fn closing_on_documents_needs_the_reason_and_something_checked() {
        let r = serde_json::json!({ "schemaVersion": 1, "id": ID, "visitId": VISIT, "method": "documentary", "checkedOn": "2026-06-20", "items": [] });
        let problems = check(r);
        assert!(problems.contains(&("REQUIRED".into(), "/reason".into())), "{problems:?}");
        assert!(problems.contains(&("REQUIRED".into(), "/items".into())), "{problems:?}");
    }

    #[test]
    fn a_finding_is_checked_once_per_record() {
        let item = serde_json::json!({ "findingCode": "PRICE.NO_TAG", "path": "/priceChecks/0", "outcome": "rectified" });
        let r = serde_json::json!({ "schemaVersion": 1, "id": ID, "visitId": VISIT, "method": "onSite", "checkedOn": "2026-06-20", "items": [item, item] });
        assert!(check(r).iter().any(|(code, path)| code == "DUPLICATE" && path == "/items/1/findingCode"));
    }

    fn record(day: &str, outcome: RectificationOutcome) -> RectificationRecord {
        RectificationRecord {
            visit_id: Some(VISIT.into()),
            method: Some(RectificationMethod::OnSite),
            checked_on: Some(day.parse().unwrap()),
            items: vec![RectificationItem { finding_code: Some("PRICE.NO_TAG".into()), path: Some("/priceChecks/0".into()), outcome: Some(outcome), ..Default::default() }],
            ..Default::default()
        }
    }

    #[test]
    fn the_first_day_seen_rectified_counts() {
        let list = rectifications_of(&[
            record("2026-06-25", RectificationOutcome::Rectified),
            record("2026-06-10", RectificationOutcome::NotRectified),
            record("2026-06-20", RectificationOutcome::Rectified),
        ]);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].rectified_on.to_string(), "2026-06-20");
        assert!(rectifications_of(&[record("2026-06-10", RectificationOutcome::NotRectified)]).is_empty());
    }

    #[test]
    fn one_per_finding_in_the_order_of_visit_code_and_place() {
        let at = |path: &str, day: &str| {
            let mut r = record(day, RectificationOutcome::Rectified);
            r.items[0].path = Some(path.into());
            r
        };
        let list = rectifications_of(&[at("/priceChecks/2", "2026-06-21"), at("/priceChecks/1", "2026-06-22"), at("/priceChecks/2", "2026-06-20"), at("/priceChecks/1", "2026-06-23")]);
        let got: Vec<(&str, String)> = list.iter().map(|r| (r.path.as_str(), r.rectified_on.to_string())).collect();
        assert_eq!(got, [("/priceChecks/1", "2026-06-22".to_string()), ("/priceChecks/2", "2026-06-20".to_string())]);
    }
}
