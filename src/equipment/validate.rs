//! Data validation of a special-equipment check.

use super::{EquipmentCheck, EquipmentKind};
use crate::check::{Checks, Label, Ptr};

pub fn validate_equipment_check(e: &EquipmentCheck, c: &mut Checks, at: &Ptr) {
    c.id(&e.id, &at.key("id"));
    let kind = c.require(&e.kind, &at.key("kind"), Label("设备种类", "equipment kind")).copied();
    const FIRST_USE: Label = Label("投入使用日期", "date of first use");
    const MADE: Label = Label("制造日期", "manufacture date");
    const INSPECTED: Label = Label("上次定期检验日期", "last periodic inspection");
    const DUE: Label = Label("下次检验日期", "next inspection due");
    const MAINTAINED: Label = Label("上次维护保养日期", "last maintenance");

    c.date_not_future(e.first_used_on, &at.key("firstUsedOn"), FIRST_USE);
    c.date_not_future(e.manufactured_on, &at.key("manufacturedOn"), MADE);
    c.date_not_future(e.last_inspection_on, &at.key("lastInspectionOn"), INSPECTED);
    c.date_not_future(e.last_maintenance_on, &at.key("lastMaintenanceOn"), MAINTAINED);
    c.dates_in_order(e.manufactured_on, MADE, e.first_used_on, &at.key("firstUsedOn"), FIRST_USE);
    c.dates_in_order(e.manufactured_on, MADE, e.last_inspection_on, &at.key("lastInspectionOn"), INSPECTED);
    c.dates_in_order(e.last_inspection_on, INSPECTED, e.next_inspection_due, &at.key("nextInspectionDue"), DUE);
    c.in_range(e.safety_grade.map(f64::from), 1.0, 5.0, &at.key("safetyGrade"), Label("安全状况等级", "safety grade"));

    for (i, o) in e.operators.iter().enumerate() {
        c.require_text(&o.name, &at.key("operators").index(i).key("name"), Label("作业人员姓名", "operator's name"));
    }
    match kind {
        // The inspection schedule of a lift counts from its acceptance (first use).
        Some(EquipmentKind::Lift) => {
            c.require(&e.first_used_on, &at.key("firstUsedOn"), Label("电梯验收（投入使用）日期", "lift acceptance date"));
        }
        // A cylinder's service life counts from manufacture.
        Some(EquipmentKind::GasCylinder) => {
            c.require(&e.manufactured_on, &at.key("manufacturedOn"), MADE);
        }
        Some(EquipmentKind::PressureVessel) => {
            c.require(&e.safety_grade, &at.key("safetyGrade"), Label("安全状况等级", "safety grade"));
        }
        _ => {}
    }
}
