//! Sampling batches (抽检批次): what is taken on site, and the follow-up that
//! HQ records later (lab result, 复检, disposal) as a separate record — the
//! visit is evidence and is never edited after it is finalised.
//! Law: 食品安全法 Arts. 87–88; SAMR Order 15; 产品质量法 Art. 15.

pub(crate) mod rules;
mod validate;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::problem::Text;
use crate::time::Date;

pub use validate::{validate_follow_up_fields, validate_sample};

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Sample {
    pub id: Option<String>,
    /// 抽样单编号.
    pub sample_no: Option<String>,
    pub category: Option<SampleCategory>,
    /// The product category a bureau reports by (服装鞋帽, 成品油, 蔬菜…): within `category`.
    pub product_category: Option<ProductCategory>,
    pub product_name: Option<String>,
    pub brand: Option<String>,
    pub specification: Option<String>,
    pub batch_no: Option<String>,
    pub production_date: Option<Date>,
    /// Shelf life in days (保质期).
    pub shelf_life_days: Option<u32>,
    /// The product was on sale when sampled (matters for shelf life).
    pub on_sale: Option<bool>,
    /// Size of the lot sampled from (抽样基数), in `quantityUnit`.
    pub lot_size: Option<f64>,
    pub test_quantity: Option<f64>,
    /// Backup sample for 复检 (复检备份样品), sealed separately.
    pub backup_quantity: Option<f64>,
    pub quantity_unit: Option<String>,
    pub seal_nos: Vec<String>,
    /// Names of the samplers (at least two).
    pub samplers: Vec<String>,
    /// The operator signed the seals.
    pub seals_signed_by_operator: Option<bool>,
    /// The sampled unit's view on how the samples were sealed (对封样状态的意见),
    /// which the 抽样单 records above its signature.
    pub seal_view: Option<SealView>,
    /// Purchase price paid for the samples, yuan (samples are bought: 食品安全法 Art. 87).
    pub purchase_price: Option<f64>,
    pub producer_name: Option<String>,
    pub producer_address: Option<String>,
    /// Marked 试制 or 样品.
    pub marked_trial_or_sample: Option<bool>,
    pub export_only: Option<bool>,
    pub photo_sha256: Vec<String>,
    pub notes: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum SampleCategory {
    /// 食品 (食品安全法)
    Food,
    /// 工业产品 (产品质量法)
    Industrial,
}

impl SampleCategory {
    pub const ALL: [SampleCategory; 2] = [SampleCategory::Food, SampleCategory::Industrial];

    pub fn label(self) -> Text {
        match self {
            SampleCategory::Food => Text::new("食品", "Food"),
            SampleCategory::Industrial => Text::new("工业产品", "Industrial product"),
        }
    }
}

/// The product categories bureaus report sampling by: the food groups of the
/// 食品安全监督抽检 plans, and the product groups of 产品质量监督抽查 reports
/// ("服装鞋帽202个批次，69个批次不合格"). Each belongs to one [`SampleCategory`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum ProductCategory {
    Grain,
    EdibleOil,
    Meat,
    Eggs,
    AquaticProducts,
    Vegetables,
    Fruit,
    Dairy,
    Beverages,
    Liquor,
    Condiments,
    PastrySnacks,
    OtherFood,
    ClothingFootwear,
    ChildrenElderly,
    HouseholdAppliances,
    ElectricalProducts,
    BuildingMaterials,
    Vehicles,
    RefinedOil,
    FarmInputs,
    DailyGoods,
    OtherIndustrial,
}

impl ProductCategory {
    pub const ALL: [ProductCategory; 23] = [
        ProductCategory::Grain,
        ProductCategory::EdibleOil,
        ProductCategory::Meat,
        ProductCategory::Eggs,
        ProductCategory::AquaticProducts,
        ProductCategory::Vegetables,
        ProductCategory::Fruit,
        ProductCategory::Dairy,
        ProductCategory::Beverages,
        ProductCategory::Liquor,
        ProductCategory::Condiments,
        ProductCategory::PastrySnacks,
        ProductCategory::OtherFood,
        ProductCategory::ClothingFootwear,
        ProductCategory::ChildrenElderly,
        ProductCategory::HouseholdAppliances,
        ProductCategory::ElectricalProducts,
        ProductCategory::BuildingMaterials,
        ProductCategory::Vehicles,
        ProductCategory::RefinedOil,
        ProductCategory::FarmInputs,
        ProductCategory::DailyGoods,
        ProductCategory::OtherIndustrial,
    ];

    pub fn label(self) -> Text {
        use ProductCategory::*;
        match self {
            Grain => Text::new("粮食及粮食制品", "Grain and grain products"),
            EdibleOil => Text::new("食用油、油脂", "Edible oils and fats"),
            Meat => Text::new("肉及肉制品", "Meat and meat products"),
            Eggs => Text::new("蛋及蛋制品", "Eggs and egg products"),
            AquaticProducts => Text::new("水产品", "Aquatic products"),
            Vegetables => Text::new("蔬菜", "Vegetables"),
            Fruit => Text::new("水果", "Fruit"),
            Dairy => Text::new("乳制品", "Dairy"),
            Beverages => Text::new("饮料", "Beverages"),
            Liquor => Text::new("酒类", "Alcoholic drinks"),
            Condiments => Text::new("调味品", "Condiments"),
            PastrySnacks => Text::new("糕点、糖果及休闲食品", "Pastry, sweets and snacks"),
            OtherFood => Text::new("其他食品", "Other food"),
            ClothingFootwear => Text::new("服装鞋帽", "Clothing, shoes and hats"),
            ChildrenElderly => Text::new("儿童及老年人用品", "Goods for children and the elderly"),
            HouseholdAppliances => Text::new("家用电子电器", "Household electronics and appliances"),
            ElectricalProducts => Text::new("电线电缆及电工产品", "Wires, cables and electrical products"),
            BuildingMaterials => Text::new("建材", "Building materials"),
            Vehicles => Text::new("交通工具（含电动自行车）", "Vehicles (e-bikes included)"),
            RefinedOil => Text::new("成品油", "Refined oil products"),
            FarmInputs => Text::new("农资（化肥、农药、种子）", "Farm inputs (fertiliser, pesticide, seed)"),
            DailyGoods => Text::new("日用消费品", "Daily consumer goods"),
            OtherIndustrial => Text::new("其他工业产品", "Other industrial products"),
        }
    }

    /// The sample category the product belongs to.
    pub fn category(self) -> SampleCategory {
        if (self as usize) <= ProductCategory::OtherFood as usize {
            SampleCategory::Food
        } else {
            SampleCategory::Industrial
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum SealView {
    /// 无异议
    NoObjection,
    /// 有异议 (the objection itself goes in the sample's notes)
    Objection,
}

impl SealView {
    pub const ALL: [SealView; 2] = [SealView::NoObjection, SealView::Objection];

    pub fn label(self) -> Text {
        match self {
            SealView::NoObjection => Text::new("无异议", "No objection"),
            SealView::Objection => Text::new("有异议", "Objects"),
        }
    }
}

/// The life of one sample after the visit, kept by HQ (and pulled to the
/// tablet): lab delivery, result, notification, 复检, disposal.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct SampleFollowUp {
    pub schema_version: Option<u32>,
    pub id: Option<String>,
    pub visit_id: Option<String>,
    pub sample_id: Option<String>,
    pub sent_to_lab_on: Option<Date>,
    pub lab_received_on: Option<Date>,
    pub lab_result: Option<LabResult>,
    /// The day the operator received the result (starts the 复检 window).
    pub operator_notified_on: Option<Date>,
    pub recheck_requested_on: Option<Date>,
    pub disposal: Option<Disposal>,
    pub closed_on: Option<Date>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct LabResult {
    pub report_no: Option<String>,
    pub lab_name: Option<String>,
    pub reported_on: Option<Date>,
    pub items: Vec<LabItem>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct LabItem {
    /// 检验项目, e.g. "毒死蜱".
    pub name: Option<String>,
    pub value: Option<f64>,
    /// Unit of `value`, e.g. "mg/kg".
    pub unit: Option<String>,
    pub limit: Option<f64>,
    /// Unit of `limit` when it differs from `unit` (converted before comparing).
    pub limit_unit: Option<String>,
    /// Whether the limit is a maximum (default) or a minimum (e.g. protein content).
    pub limit_kind: Option<LimitKind>,
    /// The standard the limit comes from, e.g. "GB 2763-2021".
    pub standard: Option<String>,
    /// The lab's own verdict, when given.
    pub verdict: Option<Verdict>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum LimitKind {
    #[default]
    Max,
    Min,
}

impl LimitKind {
    pub const ALL: [LimitKind; 2] = [LimitKind::Max, LimitKind::Min];

    pub fn label(self) -> Text {
        match self {
            LimitKind::Max => Text::new("最大限量（不得超过）", "Maximum (not above)"),
            LimitKind::Min => Text::new("最小限量（不得低于）", "Minimum (not below)"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    Pass,
    Fail,
}

impl Verdict {
    pub const ALL: [Verdict; 2] = [Verdict::Pass, Verdict::Fail];

    pub fn label(self) -> Text {
        match self {
            Verdict::Pass => Text::new("合格", "Pass"),
            Verdict::Fail => Text::new("不合格", "Fail"),
        }
    }
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Disposal {
    pub actions: Vec<DisposalAction>,
    pub completed_on: Option<Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum DisposalAction {
    /// 下架
    WithdrawnFromSale,
    /// 召回
    Recalled,
    /// 立案调查
    CaseOpened,
    /// 责令整改
    OrderedToRectify,
}

impl DisposalAction {
    pub const ALL: [DisposalAction; 4] = [DisposalAction::WithdrawnFromSale, DisposalAction::Recalled, DisposalAction::CaseOpened, DisposalAction::OrderedToRectify];

    pub fn label(self) -> Text {
        match self {
            DisposalAction::WithdrawnFromSale => Text::new("下架", "Withdrawn from sale"),
            DisposalAction::Recalled => Text::new("召回", "Recalled"),
            DisposalAction::CaseOpened => Text::new("立案调查", "Case opened"),
            DisposalAction::OrderedToRectify => Text::new("责令整改", "Ordered to rectify"),
        }
    }
}

/// Units of a lab value, for converting a value to its limit's unit.
pub mod units {
    /// Factor to a base unit within one family (mass fraction, mass concentration…).
    fn factor(unit: &str) -> Option<(u8, f64)> {
        let u = unit.trim().replace('µ', "μ").to_ascii_lowercase();
        Some(match u.as_str() {
            // mass per mass, base mg/kg
            "g/kg" => (0, 1_000.0),
            "mg/kg" | "ppm" | "μg/g" | "ug/g" => (0, 1.0),
            "μg/kg" | "ug/kg" | "ppb" => (0, 0.001),
            "g/100g" | "%" => (0, 10_000.0),
            "mg/100g" => (0, 10.0),
            // mass per volume, base mg/l
            "g/l" => (1, 1_000.0),
            "mg/l" => (1, 1.0),
            "μg/l" | "ug/l" => (1, 0.001),
            "g/100ml" => (1, 10_000.0),
            "mg/100ml" => (1, 10.0),
            // counts
            "cfu/g" => (2, 1.0),
            "cfu/ml" => (3, 1.0),
            "mpn/g" => (4, 1.0),
            "mpn/100ml" => (5, 1.0),
            _ => return None,
        })
    }

    /// Convert `value` from `from` to `to`; `None` when the units are not comparable.
    /// Identical unit strings always compare (whatever they are).
    pub fn convert(value: f64, from: &str, to: &str) -> Option<f64> {
        if from.trim() == to.trim() {
            return Some(value);
        }
        let (fam_a, fa) = factor(from)?;
        let (fam_b, fb) = factor(to)?;
        (fam_a == fam_b).then(|| value * fa / fb)
    }
}
