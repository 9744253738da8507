//! Compliance rules for sampling: what is wrong on site (shelf life, the
//! sampling procedure) and, with the follow-up records, failed test items and
//! the lifecycle's legal time limits (counted in working days where the law says so).

use crate::encode::to_value;

use super::{units, LimitKind, Sample, SampleCategory, SampleFollowUp};
use crate::check::Ptr;
use crate::evaluate::{exceeds, Ctx, Limit};
use crate::finding::{DeadlineKind, DeadlineStatus};
use crate::problem::Text;

pub fn subject(c: SampleCategory) -> &'static str {
    match c {
        SampleCategory::Food => "food",
        SampleCategory::Industrial => "industrial",
    }
}

pub fn evaluate(s: &Sample, ctx: &mut Ctx, at: &Ptr) {
    let subj = s.category.map(subject);
    let id = &s.id;
    let product = s.product_name.as_deref().unwrap_or("样品");

    if let (Some(made), Some(days)) = (s.production_date, s.shelf_life_days) {
        let end = crate::time::add_days(made, days.into());
        if s.on_sale != Some(false) && end < ctx.date {
            ctx.find(
                "SAMP.EXPIRED_ON_SALE",
                subj,
                &at.key("productionDate"),
                id,
                Text::new(
                    format!("“{product}”生产日期 {made}，保质期 {days} 天，已于 {end} 过期，仍在销售"),
                    format!("\"{product}\" made {made} with a {days}-day shelf life expired on {end} and is on sale"),
                ),
                vec![("productionDate", to_value(&made)), ("shelfLifeDays", to_value(&days)), ("expiredOn", to_value(&end))],
            );
        }
    }
    let samplers = s.samplers.iter().filter(|n| !n.trim().is_empty()).count();
    if let Some((_, v)) = ctx.in_force("SAMP.TOO_FEW_SAMPLERS", subj) {
        let min = v.values.min_count.unwrap_or(2) as usize;
        if samplers < min {
            ctx.find(
                "SAMP.TOO_FEW_SAMPLERS",
                subj,
                &at.key("samplers"),
                id,
                Text::new(format!("抽样人员 {samplers} 名，不得少于 {min} 名"), format!("{samplers} sampler(s); at least {min} are required")),
                vec![("samplers", to_value(&samplers)), ("minimum", to_value(&min))],
            );
        }
    }
    if s.backup_quantity.map_or(true, |b| b <= 0.0) {
        ctx.find(
            "SAMP.BACKUP_MISSING",
            subj,
            &at.key("backupQuantity"),
            id,
            Text::new(format!("“{product}”未留存复检备份样品"), format!("no backup sample of \"{product}\" was kept for 复检")),
            vec![],
        );
    }
    if s.seal_nos.iter().all(|n| n.trim().is_empty()) || s.seals_signed_by_operator == Some(false) {
        let (zh, en) = if s.seal_nos.iter().all(|n| n.trim().is_empty()) {
            ("样品未记录封条编号", "no seal numbers recorded")
        } else {
            ("封条未经被抽样单位签字", "the seals were not signed by the operator")
        };
        ctx.find("SAMP.SEALS_MISSING", subj, &at.key("sealNos"), id, Text::new(zh, en), vec![]);
    }

    let follow_ups: Vec<&SampleFollowUp> = ctx.follow_ups.iter().filter(|f| f.sample_id.is_some() && f.sample_id == s.id && (f.visit_id.is_none() || f.visit_id == ctx.visit.id)).collect();
    // The latest follow-up record wins (each update is a new revision at HQ).
    let follow_up = follow_ups.last().copied();
    lifecycle(s, follow_up, ctx, at, subj, product);
}

fn lifecycle(s: &Sample, f: Option<&SampleFollowUp>, ctx: &mut Ctx, at: &Ptr, subj: Option<&str>, product: &str) {
    let id = &s.id;
    // Samples reach the lab within N working days of sampling.
    if let Some((_, v)) = ctx.in_force("SAMP.LAB_DELIVERY", subj) {
        let n = v.values.working_days.unwrap_or(5);
        let received = f.and_then(|f| f.lab_received_on);
        let (status, due) = ctx.track("SAMP.LAB_DELIVERY", DeadlineKind::LabDelivery, at, id, ctx.date, Limit::WorkingDays(n), received, false);
        late("SAMP.LAB_DELIVERY", status, due, received, ctx, at, subj, id, ("样品送达检验机构", "delivery to the lab"));
    }
    let Some(f) = f else { return };
    let report = f.lab_result.as_ref();
    if let (Some(received), Some((_, v))) = (f.lab_received_on, ctx.in_force("SAMP.LAB_REPORT", subj)) {
        let n = v.values.working_days.unwrap_or(20);
        let reported = report.and_then(|r| r.reported_on);
        let (status, due) = ctx.track("SAMP.LAB_REPORT", DeadlineKind::LabReport, at, id, received, Limit::WorkingDays(n), reported, false);
        late("SAMP.LAB_REPORT", status, due, reported, ctx, at, subj, id, ("检验报告", "the lab report"));
    }
    let Some(report) = report else { return };
    let mut failed = false;
    for (i, item) in report.items.iter().enumerate() {
        let (Some(value), Some(limit), Some(unit)) = (item.value, item.limit, item.unit.as_deref()) else {
            continue;
        };
        let limit_unit = item.limit_unit.as_deref().unwrap_or(unit);
        let Some(converted) = units::convert(value, unit, limit_unit) else {
            continue;
        };
        let kind = item.limit_kind.unwrap_or_default();
        let fails = match kind {
            LimitKind::Max => exceeds(converted, limit),
            LimitKind::Min => exceeds(limit, converted),
        };
        if !fails {
            continue;
        }
        failed = true;
        let name = item.name.as_deref().unwrap_or("检验项目");
        let (cmp_zh, cmp_en) = match kind {
            LimitKind::Max => ("超过限值", "above the limit"),
            LimitKind::Min => ("低于限值", "below the limit"),
        };
        ctx.find(
            "SAMP.TEST_ITEM_FAILED",
            subj,
            at,
            id,
            Text::new(format!("“{product}”{name}检出 {value} {unit}，{cmp_zh} {limit} {limit_unit}"), format!("\"{product}\": {name} {value} {unit}, {cmp_en} {limit} {limit_unit}")),
            vec![
                ("followUpId", to_value(&f.id)),
                ("item", to_value(&name)),
                ("itemIndex", to_value(&i)),
                ("value", to_value(&value)),
                ("unit", to_value(&unit)),
                ("limit", to_value(&limit)),
                ("limitUnit", to_value(&limit_unit)),
                ("standard", to_value(&item.standard)),
            ],
        );
    }
    if !failed {
        return;
    }
    // The operator's window to ask for 复检, from the day it received the result.
    if let (Some(notified), Some((_, v))) = (f.operator_notified_on, ctx.in_force("SAMP.RECHECK_WINDOW", subj)) {
        let limit = match (v.values.working_days, v.values.calendar_days) {
            (Some(n), _) => Limit::WorkingDays(n),
            (None, Some(n)) => Limit::CalendarDays(n),
            (None, None) => return,
        };
        let (status, due) = ctx.track("SAMP.RECHECK_WINDOW", DeadlineKind::RecheckWindow, at, id, notified, limit, f.recheck_requested_on, true);
        if status == DeadlineStatus::MetLate {
            let asked = f.recheck_requested_on.unwrap_or(due);
            ctx.find(
                "SAMP.RECHECK_WINDOW",
                subj,
                &at.key("recheckRequestedOn"),
                id,
                Text::new(format!("复检申请于 {asked} 提出，已超过期限（{due}），依法不予受理"), format!("复检 was requested on {asked}, after the window closed on {due}")),
                vec![("dueOn", to_value(&due)), ("requestedOn", to_value(&asked))],
            );
        }
    }
    // The bureau's follow-up and disposal of a failed batch.
    if let (Some(reported), Some((_, v))) = (report.reported_on, ctx.in_force("SAMP.DISPOSAL", subj)) {
        let n = v.values.calendar_days.unwrap_or(90);
        let done = f.disposal.as_ref().and_then(|d| d.completed_on);
        let (status, due) = ctx.track("SAMP.DISPOSAL", DeadlineKind::Disposal, at, id, reported, Limit::CalendarDays(n), done, false);
        late("SAMP.DISPOSAL", status, due, done, ctx, at, subj, id, ("不合格产品核查处置", "follow-up and disposal"));
    }
}

/// A limit missed (done late, or overdue) is a notice with the dates.
#[allow(clippy::too_many_arguments)]
fn late(code: &str, status: DeadlineStatus, due: chrono::NaiveDate, done: Option<chrono::NaiveDate>, ctx: &mut Ctx, at: &Ptr, subj: Option<&str>, id: &Option<String>, what: (&str, &str)) {
    let (zh, en) = match (status, done) {
        (DeadlineStatus::MetLate, Some(d)) => (format!("{}应于 {due} 前完成，实际 {d}，逾期", what.0), format!("{} was due by {due}, done {d}: late", what.1)),
        (DeadlineStatus::Overdue, _) => (format!("{}应于 {due} 前完成，至今未完成", what.0), format!("{} was due by {due} and is not done", what.1)),
        _ => return,
    };
    let before = ctx.findings.len();
    ctx.find(code, subj, at, id, Text::new(zh, en), vec![("dueOn", to_value(&due)), ("doneOn", to_value(&done))]);
    // Not done: a finding only once the limit has passed (judged as of a later day).
    if status == DeadlineStatus::Overdue && ctx.findings.len() > before {
        ctx.unless_done_by.push((before, due));
    }
}
