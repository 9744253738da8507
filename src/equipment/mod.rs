//! Special equipment (特种设备): lifts, boilers, pressure vessels, gas
//! cylinders and the rest. Law: 特种设备安全法 (2013) Arts. 14, 33, 40;
//! 特种设备安全监察条例 Art. 31 (lift maintenance); TSG schedules.

pub(crate) mod rules;
mod validate;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::problem::Text;
use crate::time::Date;

pub use validate::validate_equipment_check;

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct EquipmentCheck {
    pub id: Option<String>,
    pub kind: Option<EquipmentKind>,
    /// 使用登记证编号; absent when the equipment is not registered.
    pub registration_no: Option<String>,
    /// 设备代码 / 出厂编号.
    pub equipment_code: Option<String>,
    /// First put into use (for lifts: the installation acceptance date).
    pub first_used_on: Option<Date>,
    pub manufactured_on: Option<Date>,
    /// The manufacturing standard, where it sets the design life (LPG cylinders: "GB 5842-2006").
    pub manufacturing_standard: Option<String>,
    pub last_inspection_on: Option<Date>,
    /// The date on the inspection mark (下次检验日期).
    pub next_inspection_due: Option<Date>,
    pub last_inspection_result: Option<InspectionResult>,
    /// Last routine maintenance (lifts: at least every 15 days).
    pub last_maintenance_on: Option<Date>,
    /// The maintenance unit holds the required licence.
    pub maintenance_unit_licensed: Option<bool>,
    pub maintenance_unit: Option<String>,
    /// Pressure vessels: 安全状况等级 1–5.
    pub safety_grade: Option<u8>,
    /// The equipment was in use when seen.
    pub in_use: Option<bool>,
    /// Scrapped (报废) equipment.
    pub scrapped: Option<bool>,
    /// Operators working the equipment at the time, with their certificates.
    pub operators: Vec<EquipmentOperator>,
    pub photo_sha256: Vec<String>,
    pub notes: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum EquipmentKind {
    /// 电梯
    Lift,
    /// 锅炉
    Boiler,
    /// 压力容器
    PressureVessel,
    /// 气瓶
    GasCylinder,
    /// 压力管道
    PressurePiping,
    /// 起重机械
    LiftingMachinery,
    /// 客运索道
    PassengerRopeway,
    /// 大型游乐设施
    AmusementRide,
    /// 场（厂）内专用机动车辆
    InPlantVehicle,
}

impl EquipmentKind {
    pub const ALL: [EquipmentKind; 9] = [
        EquipmentKind::Lift,
        EquipmentKind::Boiler,
        EquipmentKind::PressureVessel,
        EquipmentKind::GasCylinder,
        EquipmentKind::PressurePiping,
        EquipmentKind::LiftingMachinery,
        EquipmentKind::PassengerRopeway,
        EquipmentKind::AmusementRide,
        EquipmentKind::InPlantVehicle,
    ];

    /// The kind's name in the catalogue of special equipment (特种设备目录).
    pub fn label(self) -> Text {
        match self {
            EquipmentKind::Lift => Text::new("电梯", "Lift"),
            EquipmentKind::Boiler => Text::new("锅炉", "Boiler"),
            EquipmentKind::PressureVessel => Text::new("压力容器", "Pressure vessel"),
            EquipmentKind::GasCylinder => Text::new("气瓶", "Gas cylinder"),
            EquipmentKind::PressurePiping => Text::new("压力管道", "Pressure piping"),
            EquipmentKind::LiftingMachinery => Text::new("起重机械", "Lifting machinery"),
            EquipmentKind::PassengerRopeway => Text::new("客运索道", "Passenger ropeway"),
            EquipmentKind::AmusementRide => Text::new("大型游乐设施", "Large amusement ride"),
            EquipmentKind::InPlantVehicle => Text::new("场（厂）内专用机动车辆", "In-plant motor vehicle"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum InspectionResult {
    Pass,
    Fail,
}

impl InspectionResult {
    pub const ALL: [InspectionResult; 2] = [InspectionResult::Pass, InspectionResult::Fail];

    pub fn label(self) -> Text {
        match self {
            InspectionResult::Pass => Text::new("合格", "Pass"),
            InspectionResult::Fail => Text::new("不合格", "Fail"),
        }
    }
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct EquipmentOperator {
    pub name: Option<String>,
    /// 特种设备作业人员证 number; absent when none was shown.
    pub certificate_no: Option<String>,
}
