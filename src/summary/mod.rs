//! Compliance summaries: the figures of the bureau's reports (家次, 家, 人次,
//! 台, 批次, rates, rectifications and disposals as of a date, top violation
//! types, the month-by-month trend), for a period and a scope, with grouping —
//! computed from the records, on the tablet and at HQ, by the same code.
//!
//! Amended records count once: the latest finalised record of each chain.
//! Drafts are not counted (they are not evidence yet), only reported as a number.

mod accumulate;
pub mod cache;
pub mod chart;
pub mod digest;
pub mod export;
pub mod index;
pub mod period;
pub mod report;
pub mod template;

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::evaluate::{evaluate_for_counting, IMPLEMENTED_RULES};
use crate::problem::Text;
use crate::rules::{CheckKind, Rulebook};
use crate::sampling::SampleFollowUp;
use crate::time::Date;
use crate::visit::{RecordStatus, Visit};

pub use accumulate::{Aggregate, Contribution, Counts, NameIds, Names, Rectification};
pub use digest::Digest;
pub use index::DigestIndex;
pub use period::{parse_period, Period};

/// Who and what a summary covers (all given conditions must hold).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scope {
    /// A market / mall (`site.marketId`).
    pub market: Option<String>,
    /// An officer (certificate number or user id).
    pub officer: Option<String>,
    /// An operator (credit code, or name).
    pub operator: Option<String>,
    /// One kind of check: figures of the other kinds are left out.
    pub kind: Option<CheckKind>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum GroupBy {
    Market,
    Officer,
    Operator,
    Kind,
    Month,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SummaryQuery {
    /// "2026-03", "2026-Q1", "2026-H1", "2026" or "2026-01-01/2026-06-30".
    pub period: String,
    #[serde(default)]
    pub scope: Scope,
    /// Rectifications and disposals are open / on time / overdue as of this day.
    pub as_of: Date,
    pub group_by: Option<GroupBy>,
    /// How many top violation types to list (default 5).
    pub top: Option<usize>,
}

/// A rate with its numerator and denominator; over zero it is "—", never NaN.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Rate {
    pub numerator: u32,
    pub denominator: u32,
    /// Percent, one decimal; absent when the denominator is 0.
    pub percent: Option<f64>,
    /// "12.5%" or "—".
    pub display: String,
}

impl Rate {
    pub fn of(numerator: u32, denominator: u32) -> Rate {
        if denominator == 0 {
            return Rate { numerator, denominator, percent: None, display: "—".into() };
        }
        let p = (numerator as f64 * 1000.0 / denominator as f64).round() / 10.0;
        Rate { numerator, denominator, percent: Some(p), display: format!("{p:.1}%") }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct CodeCount {
    pub code: String,
    pub title: Text,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// 检查经营主体家次
    pub visits: u32,
    /// 家 (distinct operators)
    pub operators: u32,
    /// 个市场 (distinct markets of the visits)
    pub markets: u32,
    /// 出动执法人员人次
    pub officer_deployments: u32,
    pub compliant_visits: u32,
    pub visits_with_violations: u32,
    pub compliance_rate: Rate,
    /// 违法问题项 (violation findings)
    pub violations: u32,
    /// Violations whose measure is 立案调查 (to be turned into cases, 转化案件)
    pub cases_to_open: u32,
    pub notices: u32,
    pub price: PriceFigures,
    pub metrology: MetrologyFigures,
    pub equipment: EquipmentFigures,
    pub sampling: SamplingFigures,
    pub rectification: RectificationFigures,
    pub top_violations: Vec<CodeCount>,
    /// All counts, as accumulated.
    pub counts: Counts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct PriceFigures {
    pub checks: u32,
    pub violations: u32,
    /// Violations by type (rule), most first.
    pub by_type: Vec<CodeCount>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct MetrologyFigures {
    /// 检查计量器具台
    pub instruments: u32,
    /// 不合格台
    pub failed: u32,
    /// 查处使用不合格计量器具的商家（家）
    pub failed_operators: u32,
    pub failure_rate: Rate,
    pub by_type: Vec<CodeCount>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct EquipmentFigures {
    /// 检查特种设备台（套）
    pub units: u32,
    /// 发现隐患/问题项
    pub hazards: u32,
    /// 已整改
    pub rectified: u32,
    pub rectification_rate: Rate,
    pub by_type: Vec<CodeCount>,
    /// 电梯X台、锅炉Y台…: the kinds checked, most units first.
    pub by_kind: Vec<KindFigures>,
}

/// One kind of special equipment: units checked, hazards found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct KindFigures {
    pub kind: crate::equipment::EquipmentKind,
    pub label: Text,
    pub units: u32,
    pub hazards: u32,
}

/// One product category's batches ("服装鞋帽202个批次，69个批次不合格，80个批次未出结果").
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct CategoryFigures {
    /// None: samples recorded without a product category.
    pub category: Option<crate::sampling::ProductCategory>,
    pub label: Text,
    pub batches: u32,
    pub failed: u32,
    pub pending_results: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct SamplingFigures {
    /// 抽检批次
    pub batches: u32,
    pub with_result: u32,
    pub pending_results: u32,
    /// 不合格批次
    pub failed: u32,
    /// 不合格率 = failed / batches
    pub failure_rate: Rate,
    pub disposed: u32,
    /// 不合格后处置率 = disposed / failed
    pub disposal_rate: Rate,
    pub disposals_open: u32,
    pub disposals_overdue: u32,
    /// By product category, most batches first.
    pub by_category: Vec<CategoryFigures>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct RectificationFigures {
    /// 责令整改
    pub ordered: u32,
    pub open: u32,
    pub on_time: u32,
    pub late: u32,
    pub overdue: u32,
    /// 按期整改率 = on time / ordered
    pub on_time_rate: Rate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct MonthPoint {
    pub month: String,
    pub visits: u32,
    pub violations: u32,
    pub visits_with_violations: u32,
    pub instruments: u32,
    pub instruments_failed: u32,
    pub samples: u32,
    pub samples_failed: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct GroupSummary {
    pub key: String,
    pub label: String,
    pub figures: Figures,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub period: Period,
    pub scope: Scope,
    pub as_of: Date,
    pub rulebook_version: String,
    pub figures: Figures,
    /// Every month of the period, in order (zeros included).
    pub months: Vec<MonthPoint>,
    pub group_by: Option<GroupBy>,
    pub groups: Vec<GroupSummary>,
    /// Drafts in the period and scope, not counted.
    pub drafts: u32,
    /// Records replaced by a later amendment, not counted.
    pub superseded: u32,
}

/// Why a summary could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SummaryError {
    BadPeriod(String),
    /// A drill-down named a count the summary does not have.
    UnknownCount(String),
}

impl crate::CoreError for SummaryError {
    fn code(&self) -> &'static str {
        match self {
            SummaryError::BadPeriod(_) => "BAD_PERIOD",
            SummaryError::UnknownCount(_) => "UNKNOWN_COUNT",
        }
    }
    fn message(&self) -> Text {
        match self {
            SummaryError::BadPeriod(p) => Text::new(
                format!("统计期间“{p}”无法识别（例：2026-03、2026-Q1、2026-H1、2026、2026-01-01/2026-06-30）"),
                format!("the period \"{p}\" is not understood (e.g. 2026-03, 2026-Q1, 2026-H1, 2026, 2026-01-01/2026-06-30)"),
            ),
            SummaryError::UnknownCount(c) => Text::new(format!("统计中没有“{c}”这一项"), format!("the summary has no count \"{c}\"")),
        }
    }
}

fn code_counts(by_code: &[u32], book: &Rulebook, filter: impl Fn(&str) -> bool) -> Vec<CodeCount> {
    let mut out: Vec<CodeCount> = by_code
        .iter()
        .enumerate()
        .filter(|(i, n)| **n > 0 && filter(IMPLEMENTED_RULES[*i]))
        .map(|(i, n)| {
            let code = IMPLEMENTED_RULES[i];
            let title = book.rule(code).map(|r| r.title.clone()).unwrap_or_else(|| Text::new(code, code));
            CodeCount { code: code.to_string(), title, count: *n }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    out
}

/// The figures of an aggregate.
pub fn figures(a: &Aggregate, book: &Rulebook, top: usize) -> Figures {
    let c = a.counts;
    let by_code = if a.by_code.is_empty() { vec![0; IMPLEMENTED_RULES.len()] } else { a.by_code.clone() };
    let mut top_violations = code_counts(&by_code, book, |_| true);
    top_violations.truncate(top);
    Figures {
        visits: c.visits,
        operators: a.distinct_operators(),
        markets: a.distinct_markets(),
        officer_deployments: c.officer_deployments,
        compliant_visits: c.compliant,
        visits_with_violations: c.with_violations,
        compliance_rate: Rate::of(c.compliant, c.visits),
        violations: c.violations,
        cases_to_open: c.to_case,
        notices: c.notices,
        price: PriceFigures { checks: c.price_checks, violations: c.price_violations, by_type: code_counts(&by_code, book, |k| k.starts_with("PRICE.")) },
        metrology: MetrologyFigures {
            instruments: c.instruments,
            failed: c.instruments_failed,
            failed_operators: a.operators_with_failed_instruments(),
            failure_rate: Rate::of(c.instruments_failed, c.instruments),
            by_type: code_counts(&by_code, book, |k| k.starts_with("MET.")),
        },
        equipment: EquipmentFigures {
            units: c.equipment,
            hazards: c.equipment_hazards,
            rectified: c.equipment_hazards_rectified,
            rectification_rate: Rate::of(c.equipment_hazards_rectified, c.equipment_hazards),
            by_type: code_counts(&by_code, book, |k| k.starts_with("EQ.")),
            by_kind: by_kind(a),
        },
        sampling: SamplingFigures {
            batches: c.samples,
            with_result: c.samples_with_result,
            pending_results: c.samples - c.samples_with_result.min(c.samples),
            failed: c.samples_failed,
            failure_rate: Rate::of(c.samples_failed, c.samples),
            disposed: c.samples_disposed,
            disposal_rate: Rate::of(c.samples_disposed, c.samples_failed),
            disposals_open: c.disposals_open,
            disposals_overdue: c.disposals_overdue,
            by_category: by_category(a),
        },
        rectification: RectificationFigures {
            ordered: c.rect_ordered,
            open: c.rect_open,
            on_time: c.rect_on_time,
            late: c.rect_late,
            overdue: c.rect_overdue,
            on_time_rate: Rate::of(c.rect_on_time, c.rect_ordered),
        },
        top_violations,
        counts: c,
    }
}

fn by_kind(a: &Aggregate) -> Vec<KindFigures> {
    let mut out: Vec<KindFigures> =
        a.equipment_by_kind.iter().zip(crate::equipment::EquipmentKind::ALL).filter(|(t, _)| t[0] > 0).map(|(t, kind)| KindFigures { kind, label: kind.label(), units: t[0], hazards: t[1] }).collect();
    out.sort_by_key(|k| std::cmp::Reverse(k.units));
    out
}

fn by_category(a: &Aggregate) -> Vec<CategoryFigures> {
    let named = crate::sampling::ProductCategory::ALL.iter().map(|&c| (Some(c), c.label()));
    let mut out: Vec<CategoryFigures> = a
        .samples_by_category
        .iter()
        .zip(named.chain(std::iter::once((None, Text::new("未注明产品类别", "No product category given")))))
        .filter(|(t, _)| t[0] > 0)
        .map(|(t, (category, label))| CategoryFigures { category, label, batches: t[0], failed: t[1], pending_results: t[0] - t[2].min(t[0]) })
        .collect();
    // Most batches first; the unnamed ones last whatever their number.
    out.sort_by(|x, y| x.category.is_none().cmp(&y.category.is_none()).then(y.batches.cmp(&x.batches)));
    out
}

fn in_scope(d: &Digest, c: &Contribution, scope: &Scope) -> bool {
    if let Some(m) = &scope.market {
        if c.market.as_deref() != Some(m.as_str()) {
            return false;
        }
    }
    if let Some(o) = &scope.officer {
        if !d.has_officer(o) {
            return false;
        }
    }
    if let Some(o) = &scope.operator {
        if &c.operator != o && &c.operator_name != o {
            return false;
        }
    }
    true
}

const KINDS: [CheckKind; 4] = [CheckKind::Price, CheckKind::Metrology, CheckKind::Equipment, CheckKind::Sampling];

fn kind_key(k: CheckKind) -> (&'static str, &'static str) {
    match k {
        CheckKind::Price => ("price", "明码标价"),
        CheckKind::Metrology => ("metrology", "计量器具"),
        CheckKind::Equipment => ("equipment", "特种设备"),
        CheckKind::Sampling => ("sampling", "抽检"),
    }
}

/// What one record adds: to the total, and to each of its groups (by group
/// number — see [`SummaryBuilder::group_of`] — with its own contribution when
/// not the total's: a grouping by kind).
struct Entry<'a> {
    total: Contribution<'a>,
    groups: Vec<(u32, Option<Contribution<'a>>)>,
}

/// The group of visits without a market.
const NO_MARKET: u32 = u32::MAX;

/// Incremental summaries: add or replace one visit at a time; the figures are
/// read at any moment without recounting (the tablet's live dashboard; HQ's
/// running totals).
pub struct SummaryBuilder {
    query: SummaryQuery,
    period: Period,
    book: Rulebook,
    total: Aggregate,
    /// By group number: the group's key and label, and its sum.
    groups: accumulate::FastMap<u32, (String, String, Aggregate)>,
    /// The names met, as numbers.
    names: Names,
    /// The counted record of each amendment chain (keyed by the chain's root
    /// id), as its digest: replaced, its entry is made again and taken away.
    entries: HashMap<String, (Option<crate::time::Timestamp>, String, Digest, NameIds)>,
    /// Visit id → root of its amendment chain.
    roots: HashMap<String, String>,
    superseded: HashSet<String>,
    drafts: HashSet<String>,
    rectifications: HashMap<(String, String, String), Date>,
}

impl SummaryBuilder {
    pub fn new(query: SummaryQuery, book: &Rulebook) -> Result<Self, SummaryError> {
        let period = parse_period(&query.period).ok_or_else(|| SummaryError::BadPeriod(query.period.clone()))?;
        Ok(SummaryBuilder {
            query,
            period,
            book: book.clone(),
            total: Aggregate::by_month(),
            groups: Default::default(),
            names: Names::default(),
            entries: HashMap::new(),
            roots: HashMap::new(),
            superseded: HashSet::new(),
            drafts: HashSet::new(),
            rectifications: HashMap::new(),
        })
    }

    /// Record rectifications (before the visits they close, or with a re-upsert of the visit after).
    pub fn add_rectifications(&mut self, list: &[Rectification]) {
        for r in list {
            self.rectifications.insert((r.visit_id.clone(), r.finding_code.clone(), r.path.clone()), r.rectified_on);
        }
    }

    fn root_of(&self, d: &Digest) -> String {
        let mut id = d.amends.clone().unwrap_or_else(|| d.id.clone());
        let mut guard = 0;
        while let Some(r) = self.roots.get(&id) {
            if *r == id || guard > 64 {
                break;
            }
            id = r.clone();
            guard += 1;
        }
        id
    }

    /// Add a visit, or replace the counted record of its amendment chain when
    /// this one is a later finalised record. Evaluates it with `follow_ups`.
    pub fn upsert(&mut self, visit: &Visit, follow_ups: &[SampleFollowUp]) {
        let digest = self.digest_as_of(visit, follow_ups);
        self.upsert_digest(&digest);
    }

    /// The same, for a record's digest (a follow-up or rectification of it is in the digest).
    pub fn upsert_digest(&mut self, d: &Digest) {
        if d.id.is_empty() {
            return;
        }
        let id = d.id.clone();
        let root = self.root_of(d);
        self.roots.insert(id.clone(), root.clone());
        if d.status != RecordStatus::Finalised {
            self.note_draft(d);
            return;
        }
        self.drafts.remove(&id);
        // An operator not found was not inspected: the figures count inspections.
        if d.unreachable {
            return;
        }
        // Which record of the chain counts: the latest finalised (by finalisation time, then id).
        let stamp = d.finalised_at;
        if let Some((old_stamp, old_id, _, _)) = self.entries.get(&root) {
            let newer = (stamp, &id) >= (*old_stamp, old_id);
            if !newer {
                self.superseded.insert(id);
                return;
            }
            if *old_id != id {
                self.superseded.insert(old_id.clone());
            }
        }
        if let Some((_, _, old, old_ids)) = self.entries.remove(&root) {
            if let Some(e) = self.entry(&old, &old_ids) {
                self.apply(&old, &old_ids, &e, false);
            }
        }
        let ids = self.names.ids_of(d);
        if let Some(e) = self.entry(d, &ids) {
            self.apply(d, &ids, &e, true);
        }
        self.entries.insert(root, (stamp, id, d.clone(), ids));
    }

    /// A record that is not finalised: a draft in the period is reported (not
    /// counted); a discarded draft is neither.
    fn note_draft(&mut self, d: &Digest) {
        let in_period = d.started_on.is_some_and(|day| day >= self.period.from && day <= self.period.to);
        if in_period && d.status == RecordStatus::Draft {
            self.drafts.insert(d.id.clone());
        }
    }

    /// The digest of `visit` judged as of the query's day, with the rectifications the builder holds.
    fn digest_as_of(&self, visit: &Visit, follow_ups: &[SampleFollowUp]) -> Digest {
        let eval = evaluate_for_counting(visit, follow_ups, &self.book, self.query.as_of);
        let vid = visit.id.clone().unwrap_or_default();
        let rect = |code: &str, path: &str| self.rectifications.get(&(vid.clone(), code.to_string(), path.to_string())).copied();
        Digest::from_evaluation(visit, &eval, &[], follow_ups, &rect)
    }

    fn entry<'a>(&self, d: &'a Digest, ids: &NameIds) -> Option<Entry<'a>> {
        let date = d.date?;
        if date < self.period.from || date > self.period.to {
            return None;
        }
        let as_of = self.query.as_of;
        let total = d.contribution(as_of, self.query.scope.kind)?;
        if !in_scope(d, &total, &self.query.scope) {
            return None;
        }
        let mut groups = Vec::new();
        match self.query.group_by {
            None => {}
            Some(GroupBy::Market) => groups.push((ids.market.unwrap_or(NO_MARKET), None)),
            Some(GroupBy::Officer) => groups.extend(ids.officers.iter().map(|&o| (o, None))),
            Some(GroupBy::Operator) => groups.push((ids.operator, None)),
            Some(GroupBy::Month) => groups.push((total.month, None)),
            Some(GroupBy::Kind) => {
                for (i, k) in KINDS.into_iter().enumerate().filter(|(_, k)| self.query.scope.kind.map_or(true, |w| w == *k)) {
                    if let Some(c) = d.contribution(as_of, Some(k)) {
                        groups.push((i as u32, Some(c)));
                    }
                }
            }
        }
        Some(Entry { total, groups })
    }

    /// A group's key and label, from the record that first falls in it.
    fn group_names(&self, d: &Digest, ids: &NameIds, group: u32) -> (String, String) {
        match self.query.group_by {
            Some(GroupBy::Market) => match &d.market {
                Some(m) => (m.clone(), m.clone()),
                None => (String::new(), "（未指定市场）".into()),
            },
            Some(GroupBy::Officer) => {
                let o = ids.officers.iter().position(|&x| x == group).and_then(|i| d.officers.get(i));
                o.map(|o| (o.certificate_no.clone(), o.name.clone())).unwrap_or_default()
            }
            Some(GroupBy::Operator) => (d.operator.clone(), d.operator_name.clone()),
            Some(GroupBy::Month) => {
                let m = d.date.map(period::month_of).unwrap_or_default();
                (m.clone(), m)
            }
            Some(GroupBy::Kind) => {
                let (key, label) = kind_key(KINDS[group as usize]);
                (key.into(), label.into())
            }
            None => Default::default(),
        }
    }

    /// The number of the group whose key is `key` under this query's grouping (`names`: the records' names).
    fn group_of(&self, key: &str, names: &Names) -> Option<u32> {
        match self.query.group_by? {
            GroupBy::Market if key.is_empty() => Some(NO_MARKET),
            GroupBy::Market | GroupBy::Officer | GroupBy::Operator => names.get(key),
            GroupBy::Month => period::key_of_month(key),
            GroupBy::Kind => KINDS.iter().position(|k| kind_key(*k).0 == key).map(|i| i as u32),
        }
    }

    fn apply(&mut self, d: &Digest, ids: &NameIds, e: &Entry, add: bool) {
        if add {
            self.total.add(&e.total, ids);
        } else {
            self.total.sub(&e.total, ids);
        }
        for (group, c) in &e.groups {
            let c = c.as_ref().unwrap_or(&e.total);
            if !self.groups.contains_key(group) {
                let (key, label) = self.group_names(d, ids, *group);
                self.groups.insert(*group, (key, label, Aggregate::default()));
            }
            let Some((_, _, agg)) = self.groups.get_mut(group) else { continue };
            if add {
                agg.add(c, ids);
            } else {
                agg.sub(c, ids);
            }
        }
    }

    /// How many records are counted now.
    pub fn counted(&self) -> usize {
        self.total.counts.visits as usize
    }

    /// The summary now. Cost: the groups and months, never the visits.
    pub fn summary(&self) -> Summary {
        let top = self.query.top.unwrap_or(5);
        let months = period::months(&self.period)
            .into_iter()
            .map(|m| {
                let c = period::key_of_month(&m).and_then(|k| self.total.months.get(&k)).copied().unwrap_or_default();
                MonthPoint {
                    month: m,
                    visits: c.visits,
                    violations: c.violations,
                    visits_with_violations: c.with_violations,
                    instruments: c.instruments,
                    instruments_failed: c.instruments_failed,
                    samples: c.samples,
                    samples_failed: c.samples_failed,
                }
            })
            .collect();
        let mut groups: Vec<GroupSummary> =
            self.groups.values().filter(|(_, _, a)| a.counts.visits > 0).map(|(key, label, a)| GroupSummary { key: key.clone(), label: label.clone(), figures: figures(a, &self.book, top) }).collect();
        groups.sort_by(|a, b| b.figures.visits.cmp(&a.figures.visits).then_with(|| a.key.cmp(&b.key)));
        if self.query.group_by == Some(GroupBy::Month) || self.query.group_by == Some(GroupBy::Kind) {
            groups.sort_by(|a, b| a.key.cmp(&b.key));
        }
        Summary {
            period: self.period.clone(),
            scope: self.query.scope.clone(),
            as_of: self.query.as_of,
            rulebook_version: self.book.version.clone(),
            figures: figures(&self.total, &self.book, top),
            months,
            group_by: self.query.group_by,
            groups,
            drafts: self.drafts.len() as u32,
            superseded: self.superseded.len() as u32,
        }
    }
}

/// Summarise a set of records in one go. The same contributions and
/// aggregates as the incremental builder, but the amendment chains are
/// resolved first, so that each counted record is added once and nothing per
/// visit is kept. `follow_ups` are matched to visits by `visitId`.
pub fn summarise(visits: &[Visit], follow_ups: &[SampleFollowUp], rectifications: &[Rectification], query: &SummaryQuery, book: &Rulebook) -> Result<Summary, SummaryError> {
    let mut b = SummaryBuilder::new(query.clone(), book)?;
    b.add_rectifications(rectifications);
    for_each_counted(&mut b, visits, follow_ups, |b, d, ids, e| b.apply(d, ids, &e, true));
    Ok(b.summary())
}

/// The same summary from the records' digests (computed when each was saved
/// or accepted): no record is read or evaluated again. Equal to [`summarise`]
/// of the same records (tests/summary.rs). To sum many queries over the same
/// digests, hold them in a [`DigestIndex`].
pub fn summarise_digests(digests: &[Digest], query: &SummaryQuery, book: &Rulebook) -> Result<Summary, SummaryError> {
    let mut b = SummaryBuilder::new(query.clone(), book)?;
    for_each_counted_digest(&mut b, digests, |b, d, ids, e| b.apply(d, ids, &e, true));
    Ok(b.summary())
}

/// One record behind a figure: the visit and what it adds to the count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct RecordShare {
    pub visit_id: String,
    pub date: Date,
    pub count: u32,
}

/// Reads one [`Counts`] field by its camelCase name.
fn count_reader(count: &str) -> Result<fn(&Counts) -> u32, SummaryError> {
    Counts::reader(count).ok_or_else(|| SummaryError::UnknownCount(count.to_string()))
}

/// Which part of each entry a drill-down reads: the total, or one group (by number).
enum Part {
    Total,
    Group(u32),
    /// A group key that names no group: no record is behind it.
    Nothing,
}

impl Part {
    fn of(b: &SummaryBuilder, group: Option<&str>, names: &Names) -> Part {
        match group {
            None => Part::Total,
            Some(key) => b.group_of(key, names).map_or(Part::Nothing, Part::Group),
        }
    }
}

/// Collects the shares of one count (for one group, or the whole scope) entry by entry.
fn share_of(out: &mut Vec<RecordShare>, read: &impl Fn(&Counts) -> u32, part: &Part, visit_id: &str, e: &Entry) {
    let c = match part {
        Part::Total => Some(&e.total),
        Part::Group(g) => e.groups.iter().find(|(k, _)| k == g).map(|(_, c)| c.as_ref().unwrap_or(&e.total)),
        Part::Nothing => None,
    };
    if let Some(c) = c {
        let n = read(&c.counts);
        if n > 0 {
            out.push(RecordShare { visit_id: visit_id.to_string(), date: c.date, count: n });
        }
    }
}

fn oldest_first(mut out: Vec<RecordShare>) -> Vec<RecordShare> {
    out.sort_by(|a, b| (a.date, &a.visit_id).cmp(&(b.date, &b.visit_id)));
    out
}

/// The records that make up one count of the summary (a [`Counts`] field by
/// its camelCase name, e.g. `violations`, `rectOnTime`, `samplesFailed`), for
/// the whole scope or for one group (`group`: a [`GroupSummary`] key): each
/// counted visit adding to it, with how much, oldest first. Their counts sum
/// to the figure (tests/summary.rs holds this for every count and grouping).
/// A figure of distinct things (operators, markets) is made up of `visits`.
pub fn records_behind(
    visits: &[Visit],
    follow_ups: &[SampleFollowUp],
    rectifications: &[Rectification],
    query: &SummaryQuery,
    book: &Rulebook,
    count: &str,
    group: Option<&str>,
) -> Result<Vec<RecordShare>, SummaryError> {
    let read = count_reader(count)?;
    let mut b = SummaryBuilder::new(query.clone(), book)?;
    b.add_rectifications(rectifications);
    let mut entries = Vec::new();
    for_each_counted(&mut b, visits, follow_ups, |_, d, _, e| {
        entries.push((d.id.clone(), e.total.date, e.total.counts, e.groups.iter().map(|(g, c)| (*g, c.as_ref().map(|c| c.counts))).collect::<Vec<_>>()))
    });
    let part = Part::of(&b, group, &b.names);
    let mut out = Vec::new();
    for (id, date, total, groups) in entries {
        let counts = match &part {
            Part::Total => Some(total),
            Part::Group(g) => groups.iter().find(|(k, _)| k == g).map(|(_, c)| c.unwrap_or(total)),
            Part::Nothing => None,
        };
        if let Some(n) = counts.map(|c| read(&c)).filter(|n| *n > 0) {
            out.push(RecordShare { visit_id: id, date, count: n });
        }
    }
    Ok(oldest_first(out))
}

/// The same from the records' digests.
pub fn records_behind_digests(digests: &[Digest], query: &SummaryQuery, book: &Rulebook, count: &str, group: Option<&str>) -> Result<Vec<RecordShare>, SummaryError> {
    let read = count_reader(count)?;
    let mut b = SummaryBuilder::new(query.clone(), book)?;
    // The names first, so that a group's key can be read before counting.
    for d in digests {
        b.names.ids_of(d);
    }
    let part = Part::of(&b, group, &b.names);
    let mut out = Vec::new();
    for_each_counted_digest(&mut b, digests, |_, d, _, e| share_of(&mut out, &read, &part, &d.id, &e));
    Ok(oldest_first(out))
}

/// What deciding which record of an amendment chain counts reads of a record.
trait Chained {
    fn id(&self) -> Option<&str>;
    fn amends(&self) -> Option<&str>;
    fn status(&self) -> RecordStatus;
    fn unreachable(&self) -> bool;
    fn finalised_at(&self) -> Option<crate::time::Timestamp>;
}

impl Chained for Visit {
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn amends(&self) -> Option<&str> {
        self.amends.as_ref().and_then(|a| a.original_id.as_deref())
    }
    fn status(&self) -> RecordStatus {
        self.status.unwrap_or_default()
    }
    fn unreachable(&self) -> bool {
        self.unreachable.is_some()
    }
    fn finalised_at(&self) -> Option<crate::time::Timestamp> {
        self.finalised_at
    }
}

impl Chained for Digest {
    fn id(&self) -> Option<&str> {
        Some(self.id.as_str()).filter(|id| !id.is_empty())
    }
    fn amends(&self) -> Option<&str> {
        self.amends.as_deref()
    }
    fn status(&self) -> RecordStatus {
        self.status
    }
    fn unreachable(&self) -> bool {
        self.unreachable
    }
    fn finalised_at(&self) -> Option<crate::time::Timestamp> {
        self.finalised_at
    }
}

/// Which records count, whatever the query (by index): each amendment chain's
/// latest finalised record (by finalisation time, then id); the drafts (a
/// query reports those started in its period); the records a later one of
/// their chain replaced.
#[derive(Clone, Debug, Default)]
struct Chains {
    counted: Vec<usize>,
    drafts: Vec<usize>,
    superseded: Vec<usize>,
}

impl Chains {
    /// The chains of `records`; `held`: their ids' places when known to be
    /// unique (a [`DigestIndex`]), else found here (the first record of an id).
    fn of<T: Chained>(records: &[T], held: Option<&accumulate::FastMap<String, usize>>) -> Chains {
        let found: accumulate::FastMap<&str, usize> = match held {
            Some(_) => Default::default(),
            None => {
                let mut m: accumulate::FastMap<&str, usize> = Default::default();
                m.reserve(records.len());
                for (i, v) in records.iter().enumerate() {
                    if let Some(id) = v.id() {
                        m.entry(id).or_insert(i);
                    }
                }
                m
            }
        };
        let place = |id: &str| -> Option<usize> {
            match held {
                Some(m) => m.get(id).copied(),
                None => found.get(id).copied(),
            }
        };
        // A chain's root: the place of its first record when held, else that record's id.
        let root_of = |i: usize| -> Result<usize, &str> {
            let mut cur = i;
            for _ in 0..64 {
                match records[cur].amends() {
                    Some(orig) => match place(orig) {
                        Some(o) => cur = o,
                        None => return Err(orig),
                    },
                    None => break,
                }
            }
            match held {
                // Ids are unique: a record is its own place.
                Some(_) => Ok(cur),
                None => Ok(records[cur].id().and_then(place).unwrap_or(cur)),
            }
        };
        let mut out = Chains::default();
        let mut winner_at: Vec<usize> = vec![usize::MAX; records.len()];
        let mut winner_of_missing: accumulate::FastMap<&str, usize> = Default::default();
        for (i, v) in records.iter().enumerate() {
            if v.id().is_none() {
                continue;
            }
            if v.status() != RecordStatus::Finalised {
                if v.status() == RecordStatus::Draft {
                    out.drafts.push(i);
                }
                continue;
            }
            // An operator not found was not inspected: the figures count inspections.
            if v.unreachable() {
                continue;
            }
            let slot = match root_of(i) {
                Ok(root) => &mut winner_at[root],
                Err(missing) => winner_of_missing.entry(missing).or_insert(usize::MAX),
            };
            match *slot {
                usize::MAX => *slot = i,
                w if (records[w].finalised_at(), records[w].id()) >= (v.finalised_at(), v.id()) => out.superseded.push(i),
                w => {
                    out.superseded.push(w);
                    *slot = i;
                }
            }
        }
        out.counted = winner_at.into_iter().chain(winner_of_missing.into_values()).filter(|&w| w != usize::MAX).collect();
        out.counted.sort_unstable();
        out
    }

    /// Note the drafts started in the builder's period and the superseded records.
    fn note<T: Chained>(&self, b: &mut SummaryBuilder, records: &[T], started_on: impl Fn(&T) -> Option<Date>) {
        for &i in &self.drafts {
            if started_on(&records[i]).is_some_and(|d| d >= b.period.from && d <= b.period.to) {
                b.drafts.insert(records[i].id().unwrap_or_default().to_string());
            }
        }
        for &i in &self.superseded {
            b.superseded.insert(records[i].id().unwrap_or_default().to_string());
        }
    }
}

/// Each amendment chain's counted record with its entry in the builder's
/// period and scope, handed to `each` one at a time (evaluated as of the query's day).
fn for_each_counted(b: &mut SummaryBuilder, visits: &[Visit], follow_ups: &[SampleFollowUp], mut each: impl FnMut(&mut SummaryBuilder, &Digest, &NameIds, Entry)) {
    let mut by_visit: HashMap<&str, Vec<&SampleFollowUp>> = HashMap::new();
    for f in follow_ups {
        if let Some(v) = f.visit_id.as_deref() {
            by_visit.entry(v).or_default().push(f);
        }
    }
    let chains = Chains::of(visits, None);
    chains.note(b, visits, |v| v.started_at.map(|t| t.date_naive()));
    let mut mine: Vec<SampleFollowUp> = Vec::new();
    for &i in &chains.counted {
        let v = &visits[i];
        mine.clear();
        if let Some(list) = v.id.as_deref().and_then(|id| by_visit.get(id)) {
            mine.extend(list.iter().map(|f| (*f).clone()));
        }
        let digest = b.digest_as_of(v, &mine);
        let ids = b.names.ids_of(&digest);
        if let Some(e) = b.entry(&digest, &ids) {
            each(b, &digest, &ids, e);
        }
    }
}

/// The same over digests: nothing is evaluated.
fn for_each_counted_digest(b: &mut SummaryBuilder, digests: &[Digest], mut each: impl FnMut(&mut SummaryBuilder, &Digest, &NameIds, Entry)) {
    let chains = Chains::of(digests, None);
    chains.note(b, digests, |d| d.started_on);
    for &i in &chains.counted {
        let d = &digests[i];
        let ids = b.names.ids_of(d);
        if let Some(e) = b.entry(d, &ids) {
            each(b, d, &ids, e);
        }
    }
}
