//! Per-record digests: what one visit contributes to the figures, computed
//! once — when the record is saved or accepted, or when a follow-up or a
//! rectification of it arrives — and summed for any period, scope, grouping
//! and "as of" day without reading or evaluating the record again.
//!
//! A digest keeps what the counts read and nothing else: the visit's date,
//! market, operator and officers; how many checks of each kind; each finding's
//! rule, kind, item, measure and rectification (due, done); each disposal
//! limit (due, done); each sample's category and whether its result is in.
//! The one thing that depends on the day asked is kept as a day: a finding
//! for a limit not met (a sample not delivered, a report not issued, a
//! disposal not done) holds only once that limit has passed, so the digest
//! keeps the finding with its due day ([`DigestFinding::unless_done_by`]).
//!
//! The figures read the digests through the same [`Contribution`] as a full
//! evaluation does: [`Digest::contribution`] is the only counting code, and
//! tests/summary.rs holds the sum of digests equal to the full evaluation
//! for random bureaus, every grouping, scope and day.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::accumulate::{kind_of_path, operator_key, rule_index, tally, Contribution, Counts};
use crate::equipment::EquipmentKind;
use crate::finding::{DeadlineKind, DeadlineStatus, Evaluation, Finding};
use crate::rules::{CheckKind, FindingLevel, Measure, Rulebook};
use crate::sampling::{ProductCategory, SampleFollowUp};
use crate::time::{Date, Timestamp};
use crate::visit::{RecordStatus, Visit};

/// What one record adds to the figures, for any query.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Digest {
    /// The visit's id.
    pub id: String,
    /// The record this one amends (its chain decides which record counts).
    pub amends: Option<String>,
    pub status: RecordStatus,
    /// The operator was not found: not an inspection, never counted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unreachable: bool,
    /// The day the visit started (drafts are reported by it).
    pub started_on: Option<Date>,
    pub finalised_at: Option<Timestamp>,
    /// The day the rules were judged for (absent: the visit was not evaluated).
    pub date: Option<Date>,
    pub market: Option<String>,
    /// The site's name (for the lists that open the record).
    pub site: Option<String>,
    /// The credit code, or else name and address.
    pub operator: String,
    pub operator_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub officers: Vec<DigestOfficer>,
    #[serde(default)]
    pub price_checks: u32,
    #[serde(default)]
    pub instruments: u32,
    /// Units of special equipment.
    #[serde(default)]
    pub equipment: u32,
    /// Each unit whose kind is given: (its index, the kind's index in [`EquipmentKind::ALL`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equipment_kinds: Vec<(u32, u8)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<DigestSample>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<DigestFinding>,
    /// Each failed batch's disposal limit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disposals: Vec<DigestLimit>,
    /// The rulebook the findings were judged by.
    pub rulebook: String,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct DigestOfficer {
    /// 执法证号 (trimmed).
    pub certificate_no: String,
    pub name: String,
    pub user_id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct DigestSample {
    /// Index in [`ProductCategory::ALL`]; its length when none was given.
    pub category: u8,
    /// The lab's report is in.
    pub has_result: bool,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct DigestFinding {
    pub code: String,
    pub kind: CheckKind,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub notice: bool,
    /// The index of the check in its list.
    pub item: Option<u32>,
    /// Its measures include 立案调查.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub to_case: bool,
    pub rectify_by: Option<Date>,
    pub rectified_on: Option<Date>,
    /// The finding holds only as of a day after this one (a limit not met yet).
    pub unless_done_by: Option<Date>,
    /// The rule's place among the implemented rules (not sent: found from `code`).
    #[serde(skip)]
    pub rule: Option<u16>,
}

#[skip_serializing_none]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct DigestLimit {
    pub due: Date,
    pub done: Option<Date>,
}

/// A visit's checks (by index) found failed: a bit each for the first 64, a list beyond.
#[derive(Default)]
struct ItemSet {
    bits: u64,
    more: Vec<u32>,
}

impl ItemSet {
    fn insert(&mut self, i: u32) {
        if i < 64 {
            self.bits |= 1 << i;
        } else if !self.more.contains(&i) {
            self.more.push(i);
        }
    }
    fn contains(&self, i: u32) -> bool {
        if i < 64 {
            self.bits & (1 << i) != 0
        } else {
            self.more.contains(&i)
        }
    }
    fn len(&self) -> u32 {
        self.bits.count_ones() + self.more.len() as u32
    }
}

impl DigestLimit {
    fn status(&self, as_of: Date) -> DeadlineStatus {
        match self.done {
            Some(d) if d <= self.due => DeadlineStatus::MetOnTime,
            Some(_) => DeadlineStatus::MetLate,
            None if as_of > self.due => DeadlineStatus::Overdue,
            None => DeadlineStatus::Open,
        }
    }
}

impl Digest {
    /// The digest of `visit` under `book`, with its follow-ups and the days
    /// its findings were rectified (by rule code and path).
    pub fn of(visit: &Visit, follow_ups: &[SampleFollowUp], rectified: &dyn Fn(&str, &str) -> Option<Date>, book: &Rulebook) -> Digest {
        let (eval, unless_done_by) = crate::evaluate::evaluate_for_digest(visit, follow_ups, book);
        Digest::from_evaluation(visit, &eval, &unless_done_by, follow_ups, rectified)
    }

    /// The digest of a visit already evaluated; `unless_done_by` names the
    /// findings that hold only after a day (none when judged as of a given day).
    pub fn from_evaluation(visit: &Visit, eval: &Evaluation, unless_done_by: &[(usize, Date)], follow_ups: &[SampleFollowUp], rectified: &dyn Fn(&str, &str) -> Option<Date>) -> Digest {
        let (operator, operator_name) = operator_key(visit);
        let finding = |(i, f): (usize, &Finding)| DigestFinding {
            code: f.code.clone(),
            kind: f.kind,
            notice: f.level == FindingLevel::Notice,
            item: kind_of_path(&f.path).map(|(_, i)| i as u32),
            to_case: f.measures.contains(&Measure::OpenCase),
            rectify_by: f.rectify_by,
            rectified_on: if f.level == FindingLevel::Violation { rectified(&f.code, &f.path) } else { None },
            unless_done_by: unless_done_by.iter().find(|(at, _)| *at == i).map(|(_, d)| *d),
            rule: rule_index(&f.code).map(|i| i as u16),
        };
        let has_result = |s: &crate::sampling::Sample| follow_ups.iter().any(|f| f.sample_id.is_some() && f.sample_id == s.id && f.lab_result.as_ref().is_some_and(|r| r.reported_on.is_some()));
        Digest {
            id: visit.id.clone().unwrap_or_default(),
            amends: visit.amends.as_ref().and_then(|a| a.original_id.clone()),
            status: visit.status.unwrap_or_default(),
            unreachable: visit.unreachable.is_some(),
            started_on: visit.started_at.map(|t| t.date_naive()),
            finalised_at: visit.finalised_at,
            date: eval.visit_date,
            market: visit.site.as_ref().and_then(|s| s.market_id.clone()),
            site: visit.site.as_ref().and_then(|s| s.name.clone()),
            operator,
            operator_name,
            officers: visit
                .officers
                .iter()
                .map(|o| DigestOfficer { certificate_no: o.certificate_no.clone().unwrap_or_default().trim().to_string(), name: o.name.clone().unwrap_or_default(), user_id: o.user_id.clone() })
                .collect(),
            price_checks: visit.price_checks.len() as u32,
            instruments: visit.instrument_checks.len() as u32,
            equipment: visit.equipment_checks.len() as u32,
            equipment_kinds: visit.equipment_checks.iter().enumerate().filter_map(|(i, e)| Some((i as u32, EquipmentKind::ALL.iter().position(|x| Some(*x) == e.kind)? as u8))).collect(),
            samples: visit
                .samples
                .iter()
                .map(|s| DigestSample {
                    category: s.product_category.and_then(|p| ProductCategory::ALL.iter().position(|x| *x == p)).unwrap_or(ProductCategory::ALL.len()) as u8,
                    has_result: has_result(s),
                })
                .collect(),
            findings: eval.findings.iter().enumerate().map(finding).collect(),
            disposals: eval.deadlines.iter().filter(|d| d.kind == DeadlineKind::Disposal).map(|d| DigestLimit { due: d.due, done: d.done_on }).collect(),
            rulebook: eval.rulebook_version.clone(),
        }
    }

    /// Find each finding's rule once (a digest read from JSON has only the codes).
    pub fn prepare(&mut self) {
        for f in &mut self.findings {
            f.rule = rule_index(&f.code).map(|i| i as u16);
        }
    }

    /// Whether an officer (certificate number or account id) is on the visit.
    pub fn has_officer(&self, who: &str) -> bool {
        self.officers.iter().any(|o| o.certificate_no == who || o.user_id.as_deref() == Some(who))
    }

    /// What the visit adds to the figures as of `as_of` — restricted to one kind
    /// of check when `kind` is given; `None` when it was not evaluated or has
    /// no check of that kind.
    pub fn contribution(&self, as_of: Date, kind: Option<CheckKind>) -> Option<Contribution<'_>> {
        let date = self.date?;
        let wants = |k: CheckKind| kind.map_or(true, |w| w == k);
        let mut c = Counts { visits: 1, in_market: self.market.is_some() as u32, officer_deployments: self.officers.len() as u32, ..Counts::default() };
        if wants(CheckKind::Price) {
            c.price_checks = self.price_checks;
        }
        if wants(CheckKind::Metrology) {
            c.instruments = self.instruments;
        }
        if wants(CheckKind::Equipment) {
            c.equipment = self.equipment;
        }
        if wants(CheckKind::Sampling) {
            c.samples = self.samples.len() as u32;
        }
        if kind.is_some() && c.price_checks + c.instruments + c.equipment + c.samples == 0 {
            return None;
        }
        let mut by_code: Vec<(u16, u32)> = Vec::new();
        let mut failed_instruments = ItemSet::default();
        let mut failed_samples = ItemSet::default();
        let mut hazards = false;
        let holds = |f: &&DigestFinding| wants(f.kind) && f.unless_done_by.map_or(true, |due| as_of > due);
        for f in self.findings.iter().filter(holds) {
            if f.notice {
                c.notices += 1;
                continue;
            }
            c.violations += 1;
            c.to_case += f.to_case as u32;
            if let Some(i) = f.rule.or_else(|| rule_index(&f.code).map(|i| i as u16)) {
                match by_code.iter_mut().find(|(code, _)| *code == i) {
                    Some((_, n)) => *n += 1,
                    None => by_code.push((i, 1)),
                }
            }
            match f.kind {
                CheckKind::Price => c.price_violations += 1,
                CheckKind::Metrology => {
                    if let Some(i) = f.item {
                        failed_instruments.insert(i);
                    }
                }
                CheckKind::Equipment => {
                    hazards |= f.item.is_some();
                    c.equipment_hazards += 1;
                    c.equipment_hazards_rectified += f.rectified_on.is_some() as u32;
                }
                CheckKind::Sampling => {
                    if f.code == "SAMP.TEST_ITEM_FAILED" {
                        if let Some(i) = f.item {
                            failed_samples.insert(i);
                        }
                    }
                }
            }
            if let Some(due) = f.rectify_by {
                c.rect_ordered += 1;
                match f.rectified_on {
                    Some(d) if d <= due => c.rect_on_time += 1,
                    Some(_) => c.rect_late += 1,
                    None if as_of > due => c.rect_overdue += 1,
                    None => c.rect_open += 1,
                }
            }
        }
        by_code.sort_unstable();
        c.instruments_failed = failed_instruments.len();
        c.samples_failed = failed_samples.len();
        c.compliant = (c.violations == 0) as u32;
        c.with_violations = (c.violations > 0) as u32;
        let mut samples_by_category = Vec::new();
        let mut equipment_by_kind = Vec::new();
        if wants(CheckKind::Equipment) {
            for &(i, kind) in &self.equipment_kinds {
                let t = tally(&mut equipment_by_kind, kind);
                t[0] += 1;
                // The unit's hazards: its equipment violations that hold (few; counted again here rather than kept).
                if hazards {
                    t[1] += self.findings.iter().filter(|f| f.kind == CheckKind::Equipment && !f.notice && f.item == Some(i) && holds(&f)).count() as u32;
                }
            }
        }
        if wants(CheckKind::Sampling) {
            for (i, s) in self.samples.iter().enumerate() {
                c.samples_with_result += s.has_result as u32;
                let t = tally(&mut samples_by_category, s.category);
                t[0] += 1;
                t[1] += failed_samples.contains(i as u32) as u32;
                t[2] += s.has_result as u32;
            }
            for d in &self.disposals {
                match d.status(as_of) {
                    DeadlineStatus::MetOnTime | DeadlineStatus::MetLate => c.samples_disposed += 1,
                    DeadlineStatus::Open => c.disposals_open += 1,
                    DeadlineStatus::Overdue => c.disposals_overdue += 1,
                    DeadlineStatus::Lapsed => {}
                }
            }
        }
        Some(Contribution {
            date,
            month: super::period::month_key(date),
            market: self.market.as_deref(),
            operator: &self.operator,
            operator_name: &self.operator_name,
            officers: &self.officers,
            counts: c,
            by_code,
            samples_by_category,
            equipment_by_kind,
        })
    }
}

/// The digests of a set of records: each visit with its follow-ups (matched
/// by `visitId`) and the rectifications of its findings.
pub fn digests_of(visits: &[Visit], follow_ups: &[SampleFollowUp], rectifications: &[super::Rectification], book: &Rulebook) -> Vec<Digest> {
    use std::collections::HashMap;
    let mut by_visit: HashMap<&str, Vec<SampleFollowUp>> = HashMap::new();
    for f in follow_ups {
        if let Some(v) = f.visit_id.as_deref() {
            by_visit.entry(v).or_default().push(f.clone());
        }
    }
    let mut done: HashMap<(&str, &str, &str), Date> = HashMap::new();
    for r in rectifications {
        done.insert((r.visit_id.as_str(), r.finding_code.as_str(), r.path.as_str()), r.rectified_on);
    }
    visits
        .iter()
        .map(|v| {
            let id = v.id.as_deref().unwrap_or("");
            let rectified = |code: &str, path: &str| done.get(&(id, code, path)).copied();
            Digest::of(v, by_visit.get(id).map(Vec::as_slice).unwrap_or(&[]), &rectified, book)
        })
        .collect()
}
