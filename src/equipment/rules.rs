//! Compliance rules for special equipment (特种设备安全法 and its schedules).

use crate::encode::to_value;
use chrono::{Datelike, Duration};

use super::{EquipmentCheck, EquipmentKind, InspectionResult};
use crate::check::Ptr;
use crate::evaluate::Ctx;
use crate::problem::Text;
use crate::time::Date;

/// The rulebook's name for an equipment kind (matches `appliesTo`).
pub fn subject(k: EquipmentKind) -> &'static str {
    match k {
        EquipmentKind::Lift => "lift",
        EquipmentKind::Boiler => "boiler",
        EquipmentKind::PressureVessel => "pressureVessel",
        EquipmentKind::GasCylinder => "gasCylinder",
        EquipmentKind::PressurePiping => "pressurePiping",
        EquipmentKind::LiftingMachinery => "liftingMachinery",
        EquipmentKind::PassengerRopeway => "passengerRopeway",
        EquipmentKind::AmusementRide => "amusementRide",
        EquipmentKind::InPlantVehicle => "inPlantVehicle",
    }
}

fn kind_zh(k: EquipmentKind) -> &'static str {
    match k {
        EquipmentKind::Lift => "电梯",
        EquipmentKind::Boiler => "锅炉",
        EquipmentKind::PressureVessel => "压力容器",
        EquipmentKind::GasCylinder => "气瓶",
        EquipmentKind::PressurePiping => "压力管道",
        EquipmentKind::LiftingMachinery => "起重机械",
        EquipmentKind::PassengerRopeway => "客运索道",
        EquipmentKind::AmusementRide => "大型游乐设施",
        EquipmentKind::InPlantVehicle => "场（厂）内专用机动车辆",
    }
}

fn add_months(d: Date, months: u32) -> Date {
    d.checked_add_months(chrono::Months::new(months)).unwrap_or(Date::MAX)
}

fn sub_months(d: Date, months: u32) -> Date {
    d.checked_sub_months(chrono::Months::new(months)).unwrap_or(Date::MIN)
}

/// Whole years from `a` to `b`, to the nearest year (inspections may come a
/// little early or late and still be "the year-4 inspection").
fn years_between_rounded(a: Date, b: Date) -> u32 {
    let months = (b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32;
    ((months.max(0) + 6) / 12) as u32
}

pub fn evaluate(e: &EquipmentCheck, ctx: &mut Ctx, at: &Ptr) {
    let Some(kind) = e.kind else { return };
    let subj = subject(kind);
    let id = &e.id;
    let name = kind_zh(kind);
    let code = e.registration_no.as_deref().or(e.equipment_code.as_deref()).map(|c| format!("（{c}）")).unwrap_or_default();
    let in_use = e.in_use != Some(false);

    let registered = e.registration_no.as_deref().is_some_and(|r| !r.trim().is_empty());
    if !registered && in_use {
        if let (Some(first), Some((_, v))) = (e.first_used_on, ctx.in_force("EQ.UNREGISTERED", Some(subj))) {
            let grace = v.values.grace_days.unwrap_or(30);
            let deadline = first + Duration::days(grace as i64);
            if ctx.date > deadline {
                ctx.find(
                    "EQ.UNREGISTERED",
                    Some(subj),
                    &at.key("registrationNo"),
                    id,
                    Text::new(format!("{name}{code}于 {first} 投入使用，至今未办理使用登记（应在 {deadline} 前）"), format!("the {subj} in use since {first} is not registered (due by {deadline})")),
                    vec![("firstUsedOn", to_value(&first)), ("registrationDue", to_value(&deadline))],
                );
            }
        }
    }
    if in_use && e.last_inspection_result == Some(InspectionResult::Fail) {
        ctx.find(
            "EQ.FAILED_IN_USE",
            Some(subj),
            &at.key("lastInspectionResult"),
            id,
            Text::new(format!("{name}{code}检验不合格仍在使用"), format!("the {subj} failed inspection and is in use")),
            vec![],
        );
    }
    if in_use && e.scrapped == Some(true) {
        ctx.find("EQ.SCRAPPED_IN_USE", Some(subj), &at.key("scrapped"), id, Text::new(format!("{name}{code}已报废仍在使用"), format!("the scrapped {subj} is in use")), vec![]);
    }
    if in_use && kind == EquipmentKind::PressureVessel && e.safety_grade == Some(5) {
        ctx.find("EQ.VESSEL_GRADE5_IN_USE", Some(subj), &at.key("safetyGrade"), id, Text::new(format!("安全状况等级为5级的压力容器{code}仍在使用"), "a grade-5 pressure vessel is in use"), vec![]);
    }
    if in_use {
        inspection(e, ctx, at, kind, name, &code);
    }
    if kind == EquipmentKind::Lift && in_use {
        lift_maintenance(e, ctx, at, &code);
    }
    for (i, o) in e.operators.iter().enumerate() {
        if o.certificate_no.as_deref().map_or(true, |c| c.trim().is_empty()) {
            let who = o.name.as_deref().unwrap_or("作业人员");
            ctx.find(
                "EQ.OPERATOR_UNCERTIFIED",
                Some(subj),
                &at.key("operators").index(i),
                id,
                Text::new(format!("{name}作业人员{who}未持特种设备作业人员证"), format!("{who} operates the {subj} without a certificate")),
                vec![],
            );
        }
    }
    if kind == EquipmentKind::GasCylinder && in_use {
        cylinder_life(e, ctx, at, &code);
    }
}

/// The next periodic-inspection date: the mark's when recorded, else from the
/// schedule in force. `None` when it cannot be known.
fn due_date(e: &EquipmentCheck, ctx: &Ctx, kind: EquipmentKind) -> Option<(Date, &'static str)> {
    if let Some(d) = e.next_inspection_due {
        return Some((d, "mark"));
    }
    let (_, v) = ctx.in_force("EQ.INSPECTION_OVERDUE", Some(subject(kind)))?;
    let p = &v.values;
    if let (Some(schedule), Some(yearly_after)) = (&p.schedule_years, p.yearly_after_years) {
        // TSG T7001-2023: inspected in the scheduled years after acceptance, yearly once older.
        let accepted = e.first_used_on?;
        let at_last = e.last_inspection_on.map_or(0, |l| years_between_rounded(accepted, l));
        let next = schedule.iter().copied().filter(|y| *y > at_last).min().unwrap_or((at_last + 1).max(yearly_after + 1));
        return Some((add_months(accepted, next * 12), "schedule"));
    }
    if let (Some(by_grade), Some(first_within)) = (&p.period_months_by_grade, p.first_within_months) {
        let Some(last) = e.last_inspection_on else {
            return Some((add_months(e.first_used_on?, first_within), "schedule"));
        };
        let grade = e.safety_grade?;
        let months = by_grade.iter().find(|(up_to, _)| grade <= *up_to)?.1;
        return Some((add_months(last, months), "schedule"));
    }
    let months = p.period_months?;
    let base = e.last_inspection_on.or(e.first_used_on)?;
    Some((add_months(base, months), "schedule"))
}

/// 特种设备安全法 Art. 40: not used past the inspection date; the request is
/// due a month before it.
fn inspection(e: &EquipmentCheck, ctx: &mut Ctx, at: &Ptr, kind: EquipmentKind, name: &str, code: &str) {
    let subj = subject(kind);
    let Some((due, source)) = due_date(e, ctx, kind) else {
        return;
    };
    let field = if source == "mark" { "nextInspectionDue" } else { "lastInspectionOn" };
    let how = if source == "mark" { ("检验标志", "the inspection mark") } else { ("定期检验周期", "the inspection schedule") };
    if ctx.date > due {
        ctx.find(
            "EQ.INSPECTION_OVERDUE",
            Some(subj),
            &at.key(field),
            &e.id,
            Text::new(
                format!("{name}{code}按{}应于 {due} 前完成定期检验，已超期 {} 天仍在使用", how.0, (ctx.date - due).num_days()),
                format!("the {subj} was due for periodic inspection by {due} ({}), {} days overdue", how.1, (ctx.date - due).num_days()),
            ),
            vec![("dueOn", to_value(&due)), ("dueFrom", to_value(&source))],
        );
    } else if let Some((_, v)) = ctx.in_force("EQ.INSPECTION_DUE_SOON", Some(subj)) {
        let request_by = sub_months(due, v.values.warn_months.unwrap_or(1));
        if ctx.date >= request_by {
            ctx.find(
                "EQ.INSPECTION_DUE_SOON",
                Some(subj),
                &at.key(field),
                &e.id,
                Text::new(format!("{name}{code}定期检验将于 {due} 到期，应在 {request_by} 前提出检验要求"), format!("the {subj} inspection falls due on {due}; the request was due by {request_by}")),
                vec![("dueOn", to_value(&due)), ("requestBy", to_value(&request_by)), ("dueFrom", to_value(&source))],
            );
        }
    }
}

/// 特种设备安全监察条例 Art. 31: lifts maintained at least every 15 days.
fn lift_maintenance(e: &EquipmentCheck, ctx: &mut Ctx, at: &Ptr, code: &str) {
    let Some((_, v)) = ctx.in_force("EQ.LIFT_MAINTENANCE", Some("lift")) else {
        return;
    };
    let max_days = v.values.max_days.unwrap_or(15) as i64;
    match e.last_maintenance_on {
        Some(last) if (ctx.date - last).num_days() > max_days => ctx.find(
            "EQ.LIFT_MAINTENANCE",
            Some("lift"),
            &at.key("lastMaintenanceOn"),
            &e.id,
            Text::new(
                format!("电梯{code}上次维护保养 {last}，距检查日 {} 天，超过 {max_days} 日", (ctx.date - last).num_days()),
                format!("the lift was last maintained on {last}, {} days ago (limit {max_days})", (ctx.date - last).num_days()),
            ),
            vec![("lastMaintenanceOn", to_value(&last)), ("daysSince", to_value(&((ctx.date - last).num_days()))), ("maxDays", to_value(&max_days))],
        ),
        Some(_) => {}
        None => ctx.find("EQ.LIFT_MAINTENANCE", Some("lift"), &at.key("lastMaintenanceOn"), &e.id, Text::new(format!("电梯{code}未见维护保养记录"), "no maintenance record for the lift"), vec![]),
    }
    if e.maintenance_unit_licensed == Some(false) {
        let unit = e.maintenance_unit.as_deref().unwrap_or("维保单位");
        ctx.find(
            "EQ.LIFT_MAINTAINER_UNLICENSED",
            Some("lift"),
            &at.key("maintenanceUnitLicensed"),
            &e.id,
            Text::new(format!("电梯{code}由无相应许可的{unit}维护保养"), format!("the lift is maintained by {unit} without the licence")),
            vec![],
        );
    }
}

/// LPG cylinders: GB 5842-2006 cylinders have an 8-year design life, +4 years
/// after passing inspection (scrap at 12); older cylinders a longer life.
fn cylinder_life(e: &EquipmentCheck, ctx: &mut Ctx, at: &Ptr, code: &str) {
    let Some(made) = e.manufactured_on else {
        return;
    };
    let Some((_, v)) = ctx.in_force("EQ.CYLINDER_PAST_LIFE", Some("gasCylinder")) else {
        return;
    };
    let p = &v.values;
    let standards = p.standards.clone().unwrap_or_default();
    let norm = |s: &str| normalise_standard(s);
    let under_standard = match e.manufacturing_standard.as_deref() {
        Some(s) => standards.iter().any(|x| norm(s) == norm(x)),
        // The standard applies to cylinders made since it took effect.
        None => made >= v.from,
    };
    let (end, why_zh, why_en) = if under_standard {
        let design_end = add_months(made, p.design_life_years.unwrap_or(8) * 12);
        let final_end = add_months(design_end, p.extension_years.unwrap_or(4) * 12);
        let passed_after_design = e.last_inspection_on.is_some_and(|l| l >= design_end) && e.last_inspection_result != Some(InspectionResult::Fail);
        if ctx.date > final_end {
            (final_end, "已超过设计使用年限及延用期", "past its design life and extension")
        } else if ctx.date > design_end && !passed_after_design {
            (design_end, "已超过设计使用年限且未经检验合格延用", "past its design life without passing an inspection to extend it")
        } else {
            return;
        }
    } else {
        let end = add_months(made, p.older_life_years.unwrap_or(15) * 12);
        if ctx.date <= end {
            return;
        }
        (end, "已超过使用年限", "past its service life")
    };
    ctx.find(
        "EQ.CYLINDER_PAST_LIFE",
        Some("gasCylinder"),
        &at.key("manufacturedOn"),
        &e.id,
        Text::new(format!("气瓶{code}制造于 {made}，{why_zh}（{end}），应报废"), format!("the cylinder made {made} is {why_en} ({end}) and must be scrapped")),
        vec![("manufacturedOn", to_value(&made)), ("lifeEndsOn", to_value(&end))],
    );
}

/// A standard's number as compared: without spaces, every dash a hyphen,
/// full-width letters and digits (as a Chinese input method types them) as
/// ASCII, upper case, GB/T as GB. ASCII case mapping only: the Unicode tables would add
/// 31 KB to the wasm for letters a standard's number never has.
fn normalise_standard(s: &str) -> String {
    let ascii: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{3000}'))
        .map(|c| match c {
            '—' | '–' => '-',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect::<String>()
        .to_ascii_uppercase();
    ascii.replace("GB/T", "GB")
}

#[cfg(test)]
mod tests {
    use super::normalise_standard;

    #[test]
    fn a_standard_typed_any_way_compares_alike() {
        let expected = normalise_standard("GB/T 5842-2022");
        for typed in ["GB 5842-2022", "gb/t 5842-2022", "ＧＢ／Ｔ５８４２-2022", "GB\u{3000}5842—2022", "gb5842 – 2022"] {
            assert_eq!(normalise_standard(typed), expected, "{typed}");
        }
        assert_ne!(normalise_standard("GB 5099-2022"), expected);
    }
}
