//! Who may write a record, decided against what HQ already holds — never
//! against what the new content claims. This is the first of the three steps
//! every write goes through (authorise → judge → apply), for pushes from
//! tablets and for staff entries alike, on both databases.
//!
//! The table (tested whole below and over HTTP in `hq/tests/http.rs`):
//!
//! | record | officer | staff |
//! |---|---|---|
//! | a new visit | if on it (the new content) | yes |
//! | a visit HQ holds | if on HQ's current revision, and still on it after | yes |
//! | an amendment (`amends.originalId`) | also if on the original's current revision | yes, if the original is in the bureau |
//! | a follow-up (lab result, 复检, disposal) | never | if its visit is in the bureau; a lab result once entered is never removed |
//! | documents handed over (送达) | if on its visit's current revision | if its visit is in the bureau |
//! | a rectification (复查, or closed on documents) | if on its visit's current revision | if its visit is in the bureau |
//! | anything of another bureau, or under an id of another kind | never | never |
//!
//! A refusal says only `FORBIDDEN` to a writer who may not write the record:
//! no current revision, nothing about what HQ holds.

use std::collections::BTreeSet;

use serde_json::Value;
use xuncha::sync::RecordKind;

use super::{Role, User};

/// What HQ holds of one record, as far as writing it goes.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldRecord {
    pub kind: RecordKind,
    pub bureau_id: i64,
    /// The certificates of the officers on a visit's current revision.
    pub officers: BTreeSet<String>,
    /// A follow-up's current revision has a lab result.
    pub has_lab_result: bool,
}

/// Why a write is refused before its content is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The account may not write this record (or cannot know it exists).
    Forbidden,
    /// A follow-up names a visit the bureau does not hold.
    UnknownVisit,
    /// A follow-up's new revision drops the lab result HQ holds.
    LabResultRemoved,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Forbidden => "FORBIDDEN",
            Refusal::UnknownVisit => "UNKNOWN_VISIT",
            Refusal::LabResultRemoved => "LAB_RESULT_REMOVED",
        }
    }
}

/// What the new content says that authorisation reads.
pub struct Claims<'a> {
    pub kind: RecordKind,
    pub id: &'a str,
    /// The officers' certificates the new visit names.
    pub officers: BTreeSet<String>,
    /// The visit a follow-up belongs to.
    pub visit_id: Option<&'a str>,
    /// The visit an amendment corrects.
    pub amends: Option<&'a str>,
    pub has_lab_result: bool,
}

impl<'a> Claims<'a> {
    pub fn of(kind: RecordKind, id: &'a str, record: &'a Value) -> Claims<'a> {
        let text = |v: Option<&'a Value>| v.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        Claims {
            kind,
            id,
            officers: super::records::officer_certificates(record),
            visit_id: text(record.get("visitId")),
            amends: text(record.get("amends").and_then(|a| a.get("originalId"))),
            has_lab_result: record.get("labResult").is_some_and(|r| !r.is_null()),
        }
    }
}

/// May `user` write this change? `held` is what HQ holds under the change's
/// id; `visit` what it holds under a follow-up's visit id; `original` under
/// an amendment's original id.
pub fn authorise(user: &User, claims: &Claims, held: Option<&HeldRecord>, visit: Option<&HeldRecord>, original: Option<&HeldRecord>) -> Result<(), Refusal> {
    use Refusal::*;
    let ours = |r: &HeldRecord| r.bureau_id == user.bureau_id;
    let on = |r: &HeldRecord| user.certificate().is_some_and(|c| r.officers.contains(c));
    if let Some(h) = held {
        // Another bureau's record is as unknown as one never made; a record's kind never changes.
        if !ours(h) || h.kind != claims.kind {
            return Err(Forbidden);
        }
    }
    match (claims.kind, user.role) {
        (RecordKind::Visit, Role::Officer) => {
            let named = user.certificate().is_some_and(|c| claims.officers.contains(c));
            if !named || held.is_some_and(|h| !on(h)) {
                return Err(Forbidden);
            }
            if claims.amends.is_some_and(|o| o != claims.id) && !original.is_some_and(|r| ours(r) && r.kind == RecordKind::Visit && on(r)) {
                return Err(Forbidden);
            }
            Ok(())
        }
        (RecordKind::Visit, Role::Staff) => {
            if claims.amends.is_some_and(|o| o != claims.id) && !original.is_some_and(|r| ours(r) && r.kind == RecordKind::Visit) {
                return Err(Forbidden);
            }
            Ok(())
        }
        // Documents handed over, findings re-inspected: by an officer on the visit (as HQ holds it), or by staff.
        (RecordKind::Delivery | RecordKind::Rectification, Role::Officer) => {
            if !visit.is_some_and(|v| ours(v) && v.kind == RecordKind::Visit && on(v)) {
                return Err(Forbidden);
            }
            Ok(())
        }
        (RecordKind::Delivery | RecordKind::Rectification, Role::Staff) => {
            if !visit.is_some_and(|v| ours(v) && v.kind == RecordKind::Visit) {
                return Err(UnknownVisit);
            }
            Ok(())
        }
        (RecordKind::SampleFollowUp, Role::Officer) => Err(Forbidden),
        (RecordKind::SampleFollowUp, Role::Staff) => {
            if !visit.is_some_and(|v| ours(v) && v.kind == RecordKind::Visit) {
                return Err(UnknownVisit);
            }
            if held.is_some_and(|h| h.has_lab_result) && !claims.has_lab_result {
                return Err(LabResultRemoved);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const VISIT: &str = "01900000-0000-7000-8000-000000000001";
    const OTHER: &str = "01900000-0000-7000-8000-000000000002";
    const FOLLOW_UP: &str = "01900000-0000-7000-8000-000000000003";

    fn user(role: Role, bureau: i64, cert: Option<&str>) -> User {
        User { id: 1, bureau_id: bureau, login: "u".into(), name: String::new(), role, certificate_no: cert.map(String::from), disabled: false }
    }

    fn visit(bureau: i64, certs: &[&str]) -> HeldRecord {
        HeldRecord { kind: RecordKind::Visit, bureau_id: bureau, officers: certs.iter().map(|c| c.to_string()).collect(), has_lab_result: false }
    }

    fn follow_up(bureau: i64, lab: bool) -> HeldRecord {
        HeldRecord { kind: RecordKind::SampleFollowUp, bureau_id: bureau, officers: BTreeSet::new(), has_lab_result: lab }
    }

    fn visit_claims(record: &Value) -> Claims<'_> {
        Claims::of(RecordKind::Visit, VISIT, record)
    }

    /// The codes a device reads are the ones the API document names.
    #[test]
    fn refusals_say_the_documented_codes() {
        let mut codes = [Refusal::Forbidden, Refusal::UnknownVisit, Refusal::LabResultRemoved].map(Refusal::code).to_vec();
        assert_eq!(codes, ["FORBIDDEN", "UNKNOWN_VISIT", "LAB_RESULT_REMOVED"]);
        codes.extend(super::super::evidence::EvidenceRefusal::ALL.map(|r| r.code()));
        let doc: Value = serde_json::from_str(include_str!("../../openapi.json")).unwrap();
        assert_eq!(doc["components"]["schemas"]["ChangeResult"]["properties"]["reason"]["enum"], json!(codes));
    }

    #[test]
    fn the_who_may_write_table() {
        let chen = user(Role::Officer, 1, Some("A"));
        let li = user(Role::Officer, 1, Some("B"));
        let nocert = user(Role::Officer, 1, None);
        let staff = user(Role::Staff, 1, None);
        let staff2 = user(Role::Staff, 2, None);
        let by_chen = json!({ "id": VISIT, "officers": [{ "certificateNo": "A" }, { "certificateNo": "C" }] });
        let by_li = json!({ "id": VISIT, "officers": [{ "certificateNo": "B" }, { "certificateNo": "C" }] });
        let amending = json!({ "id": VISIT, "officers": [{ "certificateNo": "B" }], "amends": { "originalId": OTHER } });
        let lab = json!({ "id": FOLLOW_UP, "visitId": VISIT, "labResult": { "verdict": "fail" } });
        let no_lab = json!({ "id": FOLLOW_UP, "visitId": VISIT });
        let (chens, lis) = (visit(1, &["A", "C"]), visit(1, &["B"]));
        let held_fu = follow_up(1, true);
        let held_plain_fu = follow_up(1, false);
        let (elsewhere_a, elsewhere_b) = (visit(2, &["A"]), visit(2, &["B"]));
        let fu = |r| Claims::of(RecordKind::SampleFollowUp, FOLLOW_UP, r);
        let handed = json!({ "id": FOLLOW_UP, "visitId": VISIT });
        let sent = |r| Claims::of(RecordKind::Delivery, FOLLOW_UP, r);
        let rechecked = |r| Claims::of(RecordKind::Rectification, FOLLOW_UP, r);
        use Refusal::*;
        #[rustfmt::skip]
        let table: Vec<(&str, &User, Claims, Option<&HeldRecord>, Option<&HeldRecord>, Option<&HeldRecord>, Result<(), Refusal>)> = vec![
            ("officer writes a new visit naming them",               &chen,   visit_claims(&by_chen), None,          None,          None,        Ok(())),
            ("officer writes a new visit not naming them",           &li,     visit_claims(&by_chen), None,          None,          None,        Err(Forbidden)),
            ("an account without a certificate writes no visit",     &nocert, visit_claims(&by_chen), None,          None,          None,        Err(Forbidden)),
            ("officer on HQ's revision edits it",                    &chen,   visit_claims(&by_chen), Some(&chens),  None,          None,        Ok(())),
            ("a colleague takes over a draft by naming themselves",  &li,     visit_claims(&by_li),   Some(&chens),  None,          None,        Err(Forbidden)),
            ("officer removes themselves from a visit",              &chen,   visit_claims(&by_li),   Some(&chens),  None,          None,        Err(Forbidden)),
            ("another bureau's visit",                               &chen,   visit_claims(&by_chen), Some(&elsewhere_a), None, None,          Err(Forbidden)),
            ("a visit pushed over a follow-up's id",                 &chen,   visit_claims(&by_chen), Some(&held_fu), None,         None,        Err(Forbidden)),
            ("staff edit a draft visit",                             &staff,  visit_claims(&by_li),   Some(&chens),  None,          None,        Ok(())),
            ("staff of another bureau",                              &staff2, visit_claims(&by_li),   Some(&chens),  None,          None,        Err(Forbidden)),
            ("an amendment by an officer on the original",           &li,     visit_claims(&amending), None,         None,          Some(&lis),  Ok(())),
            ("an amendment by an officer not on the original",       &li,     visit_claims(&amending), None,         None,          Some(&chens), Err(Forbidden)),
            ("an amendment of a visit HQ does not hold",             &li,     visit_claims(&amending), None,         None,          None,        Err(Forbidden)),
            ("an amendment of another bureau's visit",               &li,     visit_claims(&amending), None,         None,          Some(&elsewhere_b), Err(Forbidden)),
            ("staff amend a visit of the bureau",                    &staff,  visit_claims(&amending), None,         None,          Some(&chens), Ok(())),
            ("staff amend another bureau's visit",                   &staff2, visit_claims(&amending), None,         None,          Some(&chens), Err(Forbidden)),
            ("an officer enters a lab result",                       &chen,   fu(&lab),               None,          Some(&chens),  None,        Err(Forbidden)),
            ("an officer pushes over a follow-up as a visit",        &chen,   Claims::of(RecordKind::Visit, FOLLOW_UP, &by_chen), Some(&held_fu), None, None, Err(Forbidden)),
            ("staff enter a lab result",                             &staff,  fu(&lab),               None,          Some(&chens),  None,        Ok(())),
            ("staff attach a follow-up to another bureau's visit",   &staff,  fu(&lab),               None,          Some(&elsewhere_a), None, Err(UnknownVisit)),
            ("staff attach a follow-up to no visit HQ holds",        &staff,  fu(&lab),               None,          None,          None,        Err(UnknownVisit)),
            ("staff write a follow-up over a visit's id",            &staff,  fu(&lab),               Some(&chens),  Some(&chens),  None,        Err(Forbidden)),
            ("staff change a lab result",                            &staff,  fu(&lab),               Some(&held_fu), Some(&chens), None,        Ok(())),
            ("an officer on the visit marks a document handed over", &chen,   sent(&handed),          None,          Some(&chens),  None,        Ok(())),
            ("an officer not on the visit marks one",                &li,     sent(&handed),          None,          Some(&chens),  None,        Err(Forbidden)),
            ("an officer marks one for a visit HQ does not hold",    &chen,   sent(&handed),          None,          None,          None,        Err(Forbidden)),
            ("staff mark one for a visit of the bureau",             &staff,  sent(&handed),          None,          Some(&chens),  None,        Ok(())),
            ("staff mark one for another bureau's visit",            &staff,  sent(&handed),          None,          Some(&elsewhere_a), None, Err(UnknownVisit)),
            ("an officer on the visit records its re-inspection",   &chen,   rechecked(&handed),     None,          Some(&chens),  None,        Ok(())),
            ("an officer not on the visit records one",              &li,     rechecked(&handed),     None,          Some(&chens),  None,        Err(Forbidden)),
            ("staff close one on documents",                         &staff,  rechecked(&handed),     None,          Some(&chens),  None,        Ok(())),
            ("staff close one of another bureau",                    &staff2, rechecked(&handed),     None,          Some(&chens),  None,        Err(UnknownVisit)),
            ("a re-inspection over a follow-up's id",                &chen,   rechecked(&handed),     Some(&held_plain_fu), Some(&chens), None, Err(Forbidden)),
            ("staff drop a lab result",                              &staff,  fu(&no_lab),            Some(&held_fu), Some(&chens), None,        Err(LabResultRemoved)),
        ];
        for (case, who, claims, held, visit, original, expected) in &table {
            assert_eq!(&authorise(who, claims, *held, *visit, *original), expected, "{case}");
        }
    }
}
