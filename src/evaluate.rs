//! The compliance engine's entry point: a visit (and the follow-ups of its
//! samples) in, findings and deadlines out, under the rules in force on the
//! visit's date. The rules themselves live with their domain
//! (`price::rules`, `metrology::rules`, `equipment::rules`, `sampling::rules`);
//! this module holds what they share.

use serde_json::Value;

use crate::check::Ptr;
use crate::finding::{Deadline, DeadlineKind, DeadlineStatus, Evaluation, Finding};
use crate::problem::Text;
use crate::rules::{FindingLevel, Rule, RuleVersion, Rulebook};
use crate::sampling::SampleFollowUp;
use crate::time::Date;
use crate::visit::Visit;

/// Every rule code the engine evaluates. A rulebook must define exactly these.
pub const IMPLEMENTED_RULES: &[&str] = &[
    "PRICE.NO_TAG",
    "PRICE.MISSING_ELEMENT",
    "PRICE.CITY_ELEMENT",
    "PRICE.ABOVE_MARKED",
    "PRICE.UNMARKED_FEE",
    "PRICE.TWO_PRICES",
    "PRICE.COMPARISON_TOO_HIGH",
    "PRICE.COMPARISON_UNVERIFIED",
    "PRICE.GIFT_UNMARKED",
    "PRICE.NO_SETTLEMENT_LIST",
    "MET.UNVERIFIED",
    "MET.VERIFICATION_EXPIRED",
    "MET.VERIFICATION_FAILED",
    "MET.SEAL_BROKEN",
    "MET.CHEATING_DEVICE",
    "MET.SCALE_MPE",
    "MET.DISPENSER_MPE",
    "MET.DISPENSER_REPEATABILITY",
    "MET.TAXI_MPE",
    "MET.SERVICE_LIFE",
    "EQ.UNREGISTERED",
    "EQ.INSPECTION_OVERDUE",
    "EQ.INSPECTION_DUE_SOON",
    "EQ.FAILED_IN_USE",
    "EQ.SCRAPPED_IN_USE",
    "EQ.VESSEL_GRADE5_IN_USE",
    "EQ.LIFT_MAINTENANCE",
    "EQ.LIFT_MAINTAINER_UNLICENSED",
    "EQ.OPERATOR_UNCERTIFIED",
    "EQ.CYLINDER_PAST_LIFE",
    "SAMP.EXPIRED_ON_SALE",
    "SAMP.TOO_FEW_SAMPLERS",
    "SAMP.BACKUP_MISSING",
    "SAMP.SEALS_MISSING",
    "SAMP.TEST_ITEM_FAILED",
    "SAMP.LAB_DELIVERY",
    "SAMP.LAB_REPORT",
    "SAMP.RECHECK_WINDOW",
    "SAMP.DISPOSAL",
];

/// Tolerance for comparing measured values with limits: readings such as
/// 10.010 kg are decimals that binary floating point cannot hold exactly, and
/// a value *at* a limit must never count as beyond it.
const EPSILON: f64 = 1e-9;

/// `value` is beyond `limit` (strictly, with the tolerance above).
pub fn exceeds(value: f64, limit: f64) -> bool {
    value > limit + EPSILON * limit.abs().max(1.0)
}

/// How a legal time limit is counted.
#[derive(Clone, Copy, Debug)]
pub enum Limit {
    WorkingDays(u32),
    CalendarDays(u32),
}

/// What the rules of every domain share while evaluating one visit.
pub struct Ctx<'a> {
    pub book: &'a Rulebook,
    /// The visit's local date: the rules in force on this day apply.
    pub date: Date,
    /// The day deadlines are judged on.
    pub as_of: Date,
    pub visit: &'a Visit,
    pub follow_ups: &'a [SampleFollowUp],
    pub findings: Vec<Finding>,
    pub deadlines: Vec<Deadline>,
    pub calendar_assumed: bool,
    /// For counting only (summaries): leave out what only people read (legal
    /// basis, penalty, titles), which the counts never use.
    pub lean: bool,
    /// Findings that hold only while a time limit stays unmet: (index in
    /// `findings`, the due day). Judged "as of" a day after it, they are
    /// there; before it, not — so a digest keeps them with their day.
    pub unless_done_by: Vec<(usize, Date)>,
}

impl<'a> Ctx<'a> {
    /// The rule and its version in force on the visit's date for `subject`.
    pub fn in_force(&self, code: &str, subject: Option<&str>) -> Option<(&'a Rule, &'a RuleVersion)> {
        let rule = self.book.rule(code)?;
        rule.version_at(self.date, subject).map(|v| (rule, v))
    }

    /// Record a finding of rule `code` (if in force), with its basis, measures
    /// and rectification deadline from the rulebook.
    pub fn find(&mut self, code: &str, subject: Option<&str>, at: &Ptr, item_id: &Option<String>, message: Text, facts: Vec<(&str, Value)>) {
        let Some((rule, version)) = self.in_force(code, subject) else {
            return;
        };
        let rectify_by = match (rule.level, rule.rectify_days) {
            (FindingLevel::Violation, Some(days)) => Some(crate::time::add_days(self.date, days.into())),
            _ => None,
        };
        let lean = self.lean;
        let mut basis = if lean { Vec::new() } else { rule.basis.clone() };
        if !lean {
            basis.extend(version.basis.iter().cloned());
        }
        let text = |t: &Text| if lean { Text::new("", "") } else { t.clone() };
        if let Some(due) = rectify_by {
            self.deadlines.push(Deadline {
                code: rule.code.clone(),
                kind: DeadlineKind::Rectification,
                path: at.as_str().to_string(),
                item_id: item_id.clone(),
                title: if lean { Text::new("", "") } else { Text::new(format!("整改：{}", rule.title.zh), format!("Rectify: {}", rule.title.en)) },
                starts: self.date,
                due,
                done_on: None,
                status: if self.as_of > due { DeadlineStatus::Overdue } else { DeadlineStatus::Open },
                working_days: None,
                calendar_days: rule.rectify_days,
                calendar_assumed: false,
            });
        }
        self.findings.push(Finding {
            code: rule.code.clone(),
            kind: rule.kind,
            level: rule.level,
            path: at.as_str().to_string(),
            item_id: item_id.clone(),
            title: text(&rule.title),
            message,
            basis,
            penalty: if lean { Vec::new() } else { rule.penalty.clone() },
            measures: rule.measures.clone(),
            rectify_by,
            facts: facts.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        });
    }

    /// Track a legal time limit counted from `starts`; returns its status and due date.
    #[allow(clippy::too_many_arguments)]
    pub fn track(&mut self, code: &str, kind: DeadlineKind, at: &Ptr, item_id: &Option<String>, starts: Date, limit: Limit, done_on: Option<Date>, is_window: bool) -> (DeadlineStatus, Date) {
        let (due, assumed, working_days, calendar_days) = match limit {
            Limit::WorkingDays(n) => {
                let c = self.book.calendar.add_working_days(starts, n);
                (c.value, c.outside_known_years, Some(n), None)
            }
            Limit::CalendarDays(n) => (crate::time::add_days(starts, n.into()), false, None, Some(n)),
        };
        self.calendar_assumed |= assumed;
        let status = match done_on {
            Some(d) if d <= due => DeadlineStatus::MetOnTime,
            Some(_) => DeadlineStatus::MetLate,
            None if self.as_of > due => {
                if is_window {
                    DeadlineStatus::Lapsed
                } else {
                    DeadlineStatus::Overdue
                }
            }
            None => DeadlineStatus::Open,
        };
        let title = match self.book.rule(code) {
            Some(r) if !self.lean => r.title.clone(),
            _ => Text::new("", ""),
        };
        self.deadlines.push(Deadline {
            code: code.to_string(),
            kind,
            path: at.as_str().to_string(),
            item_id: item_id.clone(),
            title,
            starts,
            due,
            done_on,
            status,
            working_days,
            calendar_days,
            calendar_assumed: assumed,
        });
        (status, due)
    }
}

/// Evaluate one visit under `book`, judging deadlines as of `as_of`.
/// `follow_ups` are the lab/复检/disposal records of its samples (any order;
/// those of other visits are ignored).
pub fn evaluate_visit(visit: &Visit, follow_ups: &[SampleFollowUp], book: &Rulebook, as_of: Date) -> Evaluation {
    evaluate(visit, follow_ups, book, as_of, false)
}

/// The same findings and deadlines for counting: codes, levels, paths and
/// dates are all there; legal basis, penalty and titles are left empty.
pub fn evaluate_for_counting(visit: &Visit, follow_ups: &[SampleFollowUp], book: &Rulebook, as_of: Date) -> Evaluation {
    evaluate(visit, follow_ups, book, as_of, true)
}

/// For a digest: the lean evaluation judged as of the last day there is, so
/// every limit not met has its finding, with the findings that hold only once
/// their limit has passed (index, due day): see [`crate::summary::digest`].
pub fn evaluate_for_digest(visit: &Visit, follow_ups: &[SampleFollowUp], book: &Rulebook) -> (Evaluation, Vec<(usize, Date)>) {
    evaluate_with(visit, follow_ups, book, Date::MAX, true)
}

fn evaluate(visit: &Visit, follow_ups: &[SampleFollowUp], book: &Rulebook, as_of: Date, lean: bool) -> Evaluation {
    evaluate_with(visit, follow_ups, book, as_of, lean).0
}

fn evaluate_with(visit: &Visit, follow_ups: &[SampleFollowUp], book: &Rulebook, as_of: Date, lean: bool) -> (Evaluation, Vec<(usize, Date)>) {
    let mut notes = Vec::new();
    let Some(date) = visit.started_at.map(|t| t.date_naive()) else {
        notes.push(Text::new("检查记录没有开始时间，无法确定适用的规则，未作合规判定", "The visit has no start time, so the rules in force are unknown; not evaluated"));
        return (Evaluation { visit_id: visit.id.clone(), visit_date: None, as_of, compliant: true, findings: vec![], deadlines: vec![], rulebook_version: book.version.clone(), notes }, vec![]);
    };
    let mut ctx = Ctx { book, date, as_of, visit, follow_ups, findings: vec![], deadlines: vec![], calendar_assumed: false, lean, unless_done_by: vec![] };
    let root = Ptr::root();
    let list = root.key("priceChecks");
    for (i, p) in visit.price_checks.iter().enumerate() {
        crate::price::rules::evaluate(p, &mut ctx, &list.index(i));
    }
    let list = root.key("instrumentChecks");
    for (i, m) in visit.instrument_checks.iter().enumerate() {
        crate::metrology::rules::evaluate(m, &mut ctx, &list.index(i));
    }
    let list = root.key("equipmentChecks");
    for (i, e) in visit.equipment_checks.iter().enumerate() {
        crate::equipment::rules::evaluate(e, &mut ctx, &list.index(i));
    }
    let list = root.key("samples");
    for (i, s) in visit.samples.iter().enumerate() {
        crate::sampling::rules::evaluate(s, &mut ctx, &list.index(i));
    }
    if ctx.calendar_assumed {
        let years = book.calendar.known_years().iter().map(|y| y.to_string()).collect::<Vec<_>>().join("、");
        notes.push(Text::new(
            format!("部分期限超出已知节假日安排（{years} 年），暂按双休日计算，请以国务院通知为准"),
            format!("Some deadlines fall outside the years with holiday data ({years}); weekends only were used — check the State Council notice"),
        ));
    }
    let compliant = !ctx.findings.iter().any(|f| f.level == FindingLevel::Violation);
    (
        Evaluation { visit_id: visit.id.clone(), visit_date: Some(date), as_of, compliant, findings: ctx.findings, deadlines: ctx.deadlines, rulebook_version: book.version.clone(), notes },
        ctx.unless_done_by,
    )
}

/// Evaluate many visits; each gets the follow-ups whose `visitId` is its id.
pub fn evaluate_visits(visits: &[Visit], follow_ups: &[SampleFollowUp], book: &Rulebook, as_of: Date) -> Vec<Evaluation> {
    let mut by_visit: std::collections::HashMap<&str, Vec<SampleFollowUp>> = std::collections::HashMap::new();
    for f in follow_ups {
        if let Some(v) = f.visit_id.as_deref() {
            by_visit.entry(v).or_default().push(f.clone());
        }
    }
    visits
        .iter()
        .map(|v| {
            let mine = v.id.as_deref().and_then(|id| by_visit.get(id)).map(Vec::as_slice).unwrap_or(&[]);
            evaluate_visit(v, mine, book, as_of)
        })
        .collect()
}

/// Evaluate a visit given as JSON (read leniently: what cannot be read is
/// left out, and validation reports it separately).
pub fn evaluate_visit_json(visit: Value, follow_ups: Vec<Value>, book: &Rulebook, as_of: Date) -> Option<Evaluation> {
    let visit: Visit = crate::decode::decode(visit).record?;
    let follow_ups: Vec<SampleFollowUp> = follow_ups.into_iter().filter_map(|f| crate::decode::decode(f).record).collect();
    Some(evaluate_visit(&visit, &follow_ups, book, as_of))
}
