//! Measuring instruments (计量器具): scales, fuel dispensers, taxi meters and
//! utility meters, with the in-service tests the officer performs.
//! Law: 计量法 Art. 9; 实施细则 Art. 22; JJG 539-2016, JJG 443, JJG 517-2016.

pub(crate) mod rules;
mod validate;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::problem::Text;
use crate::time::Date;

pub use validate::validate_instrument_check;

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct InstrumentCheck {
    pub id: Option<String>,
    pub instrument_type: Option<InstrumentType>,
    pub serial_no: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    /// Used for trade settlement (贸易结算) and so under mandatory verification.
    pub trade_use: Option<bool>,
    /// Accuracy class, for scales.
    pub accuracy_class: Option<AccuracyClass>,
    /// Maximum capacity (Max) in grams, for scales.
    pub max_g: Option<f64>,
    /// Minimum capacity (Min) in grams, for scales, as marked on the plate.
    pub min_g: Option<f64>,
    /// Verification scale interval e in grams, for scales.
    pub e_g: Option<f64>,
    pub verification: Option<Verification>,
    /// Seal (封印) state.
    pub seal: Option<SealState>,
    /// A cheating device (作弊装置) was found.
    pub cheating_device_found: Option<bool>,
    /// Installation date, for meters with a service life (water, gas, electricity).
    pub installed_on: Option<Date>,
    /// Nominal diameter DN in millimetres, for water meters.
    pub nominal_diameter_mm: Option<u32>,
    /// Weighings with known test weights (scales).
    pub weighings: Vec<Weighing>,
    /// Deliveries into a standard can (fuel dispensers).
    pub deliveries: Vec<Delivery>,
    /// Runs over a measured distance (taxi meters).
    pub distance_runs: Vec<DistanceRun>,
    pub photo_sha256: Vec<String>,
    pub notes: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum InstrumentType {
    /// 电子计价秤
    PriceScale,
    /// Other 数字指示秤 (platform scales, counting scales…)
    Scale,
    /// 加油机
    FuelDispenser,
    /// 出租汽车计价器
    TaxiMeter,
    /// 水表
    WaterMeter,
    /// 燃气表
    GasMeter,
    /// 电能表
    ElectricityMeter,
    Other,
}

impl InstrumentType {
    pub const ALL: [InstrumentType; 8] = [
        InstrumentType::PriceScale,
        InstrumentType::Scale,
        InstrumentType::FuelDispenser,
        InstrumentType::TaxiMeter,
        InstrumentType::WaterMeter,
        InstrumentType::GasMeter,
        InstrumentType::ElectricityMeter,
        InstrumentType::Other,
    ];

    /// The type's name, the same on the form, in findings and in reports.
    pub fn label(self) -> Text {
        match self {
            InstrumentType::PriceScale => Text::new("电子计价秤", "Price-computing scale"),
            InstrumentType::Scale => Text::new("其他数字指示秤", "Other scale"),
            InstrumentType::FuelDispenser => Text::new("加油机", "Fuel dispenser"),
            InstrumentType::TaxiMeter => Text::new("出租汽车计价器", "Taxi meter"),
            InstrumentType::WaterMeter => Text::new("水表", "Water meter"),
            InstrumentType::GasMeter => Text::new("燃气表", "Gas meter"),
            InstrumentType::ElectricityMeter => Text::new("电能表", "Electricity meter"),
            InstrumentType::Other => Text::new("其他计量器具", "Other instrument"),
        }
    }

    /// Meters replaced after a service life (到期轮换), counted from installation.
    pub fn has_service_life(self) -> bool {
        matches!(self, InstrumentType::WaterMeter | InstrumentType::GasMeter | InstrumentType::ElectricityMeter)
    }

    pub fn is_scale(self) -> bool {
        matches!(self, InstrumentType::PriceScale | InstrumentType::Scale)
    }
}

/// OIML R76 / JJG 539 accuracy classes used in trade: medium (III) and ordinary (IIII).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
pub enum AccuracyClass {
    #[serde(rename = "III")]
    Medium,
    #[serde(rename = "IIII")]
    Ordinary,
}

impl AccuracyClass {
    pub const ALL: [AccuracyClass; 2] = [AccuracyClass::Medium, AccuracyClass::Ordinary];

    pub fn label(self) -> Text {
        match self {
            AccuracyClass::Medium => Text::new("中准确度级 Ⅲ", "Medium (III)"),
            AccuracyClass::Ordinary => Text::new("普通准确度级 Ⅳ（IIII）", "Ordinary (IIII)"),
        }
    }
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Verification {
    /// A verification mark (检定合格印/标志) or certificate was shown.
    pub mark_present: Option<bool>,
    pub certificate_no: Option<String>,
    pub verified_on: Option<Date>,
    pub valid_until: Option<Date>,
    /// The last verification found the instrument unfit (不合格).
    pub failed: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum SealState {
    Intact,
    Broken,
    Missing,
}

impl SealState {
    pub const ALL: [SealState; 3] = [SealState::Intact, SealState::Broken, SealState::Missing];

    pub fn label(self) -> Text {
        match self {
            SealState::Intact => Text::new("完好", "Intact"),
            SealState::Broken => Text::new("损坏", "Broken"),
            SealState::Missing => Text::new("缺失", "Missing"),
        }
    }
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Weighing {
    /// Conventional mass of the test weights, grams.
    pub load_g: Option<f64>,
    /// What the scale indicated, grams.
    pub reading_g: Option<f64>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Delivery {
    /// Volume measured by the standard can, litres.
    pub actual_l: Option<f64>,
    /// Volume the dispenser indicated, litres.
    pub indicated_l: Option<f64>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct DistanceRun {
    pub actual_km: Option<f64>,
    pub indicated_km: Option<f64>,
}
