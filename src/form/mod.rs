//! The record described for forms (表单目录): every field an officer fills, for
//! each part of a visit and each subtype of check (instrument type, equipment
//! kind, goods or service, sample category), with its label in both languages,
//! its input, unit, options, the subtypes it applies to and whether validation
//! requires it. The tablet renders this and copies nothing of the model.
//!
//! Two things are derived, never written twice:
//! - option values are the serde names of the Rust enums, and their labels the
//!   enums' own `label()`;
//! - "required" is what validation reports as REQUIRED for an empty item of
//!   each subtype (so the form cannot disagree with the check it feeds).
//!
//! The wasm ships the catalogue as JSON made by this code ([`CATALOGUE_JSON`],
//! src/form/catalogue.json; a test fails when it is stale): the tablet gets the
//! same description without carrying the code that builds it.
//!
//! `tests/form_catalogue.rs` holds the rest: every field of the Rust model is
//! here or in [`INTERNAL`] with a reason; every problem validation can report
//! and every finding a rule can make points at a field the officer can reach.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{json, Map, Value};
use serde_with::skip_serializing_none;

use crate::check::{Checks, Ptr};
use crate::equipment::{EquipmentCheck, EquipmentKind, InspectionResult};
use crate::finding::{DeadlineKind, DeadlineStatus};
use crate::metrology::{AccuracyClass, InstrumentCheck, InstrumentType, SealState};
use crate::price::{PriceCheck, PriceSubject, TagElement};
use crate::problem::{Problem, ProblemCode, Text};
use crate::rules::{CheckKind, FindingLevel, Measure};
use crate::sampling::{DisposalAction, LimitKind, ProductCategory, Sample, SampleCategory, SampleFollowUp, SealView, Verdict};
use crate::visit::{SiteKind, UnreachableReason, Visit};
use Input::{Bool, Code, Date, Integer, Multi, Number, NumberList, Rows, Tel, TextList};

/// How a value is entered (`FieldInput` in types.d.ts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename = "FieldInput", rename_all = "camelCase")]
pub enum Input {
    Text,
    /// Text entered in capitals (codes, e.g. the credit code).
    Code,
    Tel,
    Number,
    Integer,
    Date,
    /// Yes / no / not recorded.
    Bool,
    /// One of `options`.
    Choice,
    /// Any of `options` (a list of them in the record).
    Multi,
    /// A list of texts, typed as one line.
    TextList,
    /// A list of numbers, typed as one line.
    NumberList,
    /// A table: each row an object with the fields in `rows`.
    Rows,
    /// A sound or video recording made on the device, kept as an attachment;
    /// the record holds its SHA-256.
    Recording,
}

/// One option of a choice: the value stored in the record and its label.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub value: String,
    pub label: Text,
    /// The subtypes this option belongs to; absent: all.
    pub applies_to: Option<Vec<String>>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// Dotted path from the item (or row) to the value: "verification.validUntil".
    pub path: &'static str,
    pub label: Text,
    pub input: Input,
    pub unit: Option<&'static str>,
    pub hint: Option<Text>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    /// The subtypes the field belongs to; absent: all of them.
    pub applies_to: Option<Vec<String>>,
    /// Validation requires it whenever its item (row, group) is recorded.
    pub required: bool,
    /// Required for these subtypes only (when not for all it applies to).
    pub required_for: Option<Vec<String>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The columns of a table (`input: rows`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Field>,
}

/// One part of the visit: the operator, the site, the officers, the refusal
/// to sign, the visit's own notes, or one of the four kinds of check.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Section {
    /// The visit's member holding it ("" for the visit itself).
    pub key: &'static str,
    pub kind: Option<CheckKind>,
    pub title: Text,
    /// A list of items (each a card) rather than one object.
    pub repeated: bool,
    /// The path of the field that chooses the subtype, for the kinds of check.
    pub subtype: Option<&'static str>,
    pub fields: Vec<Field>,
}

/// A member of the record that no form field sets, and why.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, crate::encode::ToJson)]
pub struct Internal {
    /// In the notation of [`Catalogue::paths`]: "priceChecks[].id".
    pub path: &'static str,
    pub reason: &'static str,
}

/// The words the app shows for the core's other concepts.
#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Vocabulary {
    pub check_kinds: Vec<Choice>,
    pub finding_levels: Vec<Choice>,
    pub measures: Vec<Choice>,
    pub deadline_kinds: Vec<Choice>,
    pub deadline_statuses: Vec<Choice>,
    /// A lab's verdict on a test item.
    pub verdicts: Vec<Choice>,
}

#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Catalogue {
    pub schema_version: u32,
    pub protocol_version: u32,
    pub sections: Vec<Section>,
    pub internal: Vec<Internal>,
    /// A sample's follow-up (lab result, 复检, disposal): HQ's own record, entered by staff.
    pub follow_up: Section,
    pub follow_up_internal: Vec<Internal>,
    pub vocabulary: Vocabulary,
}

/// [`catalogue()`] as JSON, as built natively (`XUNCHA_BLESS=1 cargo test --test form_catalogue` writes
/// src/form/catalogue.json; build.rs embeds it without its layout whitespace).
pub const CATALOGUE_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalogue.json"));

/// Members set by the app or the core, not typed by the officer.
pub const INTERNAL: &[Internal] = &[
    Internal { path: "schemaVersion", reason: "the core's schema version, set when the record is made" },
    Internal { path: "id", reason: "a UUID made on the device" },
    Internal { path: "status", reason: "changed only by finalising" },
    Internal { path: "amends", reason: "made by amending a finalised visit (the reason is asked on the result screen)" },
    Internal { path: "startedAt", reason: "the device's clock when the visit is opened" },
    Internal { path: "endedAt", reason: "the device's clock when the visit is finalised" },
    Internal { path: "finalisedAt", reason: "set by finalising" },
    Internal { path: "location", reason: "the device's position; not captured yet" },
    Internal { path: "attachments", reason: "photos and the signature image, listed by the camera and the signature pad" },
    Internal { path: "signature", reason: "the signature pad" },
    Internal { path: "confirmedWarnings", reason: "the warnings the officer confirms when finalising" },
    Internal { path: "documentNumbers", reason: "taken from HQ's leased block when finalising" },
    Internal { path: "taskId", reason: "set when the visit is started from a 双随机 task" },
    Internal { path: "officers[].userId", reason: "the HQ account, set from the session" },
    Internal { path: "priceChecks[].id", reason: "a UUID made when the item is added" },
    Internal { path: "priceChecks[].photoSha256", reason: "photos taken on the item's card" },
    Internal { path: "instrumentChecks[].id", reason: "a UUID made when the item is added" },
    Internal { path: "instrumentChecks[].photoSha256", reason: "photos taken on the item's card" },
    Internal { path: "equipmentChecks[].id", reason: "a UUID made when the item is added" },
    Internal { path: "equipmentChecks[].photoSha256", reason: "photos taken on the item's card" },
    Internal { path: "samples[].id", reason: "a UUID made when the item is added" },
    Internal { path: "samples[].photoSha256", reason: "photos taken on the item's card" },
];

/// Members of a follow-up record no form field sets.
pub const FOLLOW_UP_INTERNAL: &[Internal] = &[
    Internal { path: "schemaVersion", reason: "the core's schema version, set when the record is made" },
    Internal { path: "id", reason: "a UUID made when the follow-up is started" },
    Internal { path: "visitId", reason: "the visit the sample was taken on, chosen from the list" },
    Internal { path: "sampleId", reason: "the sample, chosen from its visit" },
];

/// A value's name in the record: the serde name of an enum variant.
pub fn wire<T: Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        other => unreachable!("a unit variant serialises as a string, not {other:?}"),
    }
}

fn choices<T: Serialize + Copy>(all: &[T], label: impl Fn(T) -> Text) -> Vec<Choice> {
    all.iter().map(|&v| Choice { value: wire(v), label: label(v), applies_to: None }).collect()
}

fn field(path: &'static str, zh: &str, en: &str, input: Input) -> Field {
    Field { path, label: Text::new(zh, en), input, unit: None, hint: None, options: Vec::new(), applies_to: None, required: false, required_for: None, min: None, max: None, rows: Vec::new() }
}

impl Field {
    fn unit(mut self, unit: &'static str) -> Self {
        self.unit = Some(unit);
        self
    }
    fn hint(mut self, zh: &str, en: &str) -> Self {
        self.hint = Some(Text::new(zh, en));
        self
    }
    fn options(mut self, options: Vec<Choice>) -> Self {
        self.options = options;
        self
    }
    fn only<T: Serialize + Copy>(mut self, subtypes: &[T]) -> Self {
        self.applies_to = Some(subtypes.iter().map(|&s| wire(s)).collect());
        self
    }
    fn range(mut self, min: f64, max: f64) -> Self {
        self.min = Some(min);
        self.max = Some(max);
        self
    }
    fn rows(mut self, rows: Vec<Field>) -> Self {
        self.rows = rows;
        self
    }
    fn applies(&self, subtype: Option<&str>) -> bool {
        match (&self.applies_to, subtype) {
            (Some(list), Some(s)) => list.iter().any(|x| x == s),
            _ => true,
        }
    }
}

const YUAN: &str = "元";
const NOTES: (&str, &str) = ("备注", "Notes");

fn price_fields() -> Vec<Field> {
    let goods = [PriceSubject::Goods];
    let elements = TagElement::ALL
        .iter()
        .map(|&e| Choice { value: wire(e), label: e.label(), applies_to: Some(vec![wire(if e.is_for_goods() { PriceSubject::Goods } else { PriceSubject::Service })]) })
        .collect();
    vec![
        field("subject", "商品或服务", "Goods or service", Input::Choice).options(choices(&PriceSubject::ALL, PriceSubject::label)),
        field("itemName", "商品/服务名称", "Goods / service", Input::Text).hint("如：猪肉（前腿）", "e.g. pork (foreleg)"),
        field("tagPresent", "明码标价（有价签或价目表）", "Price tag or list shown", Bool),
        field("elementsSeen", "价签上标明的内容", "What the tag shows", Multi).options(elements),
        field("markedPrice", "标示价格", "Marked price", Number).unit(YUAN),
        field("pricingUnit", "计价单位", "Pricing unit", Input::Text).only(&goods).hint("如：元/500克", "e.g. yuan per 500 g"),
        field("chargedPrice", "实收价格（同一数量）", "Price charged (same quantity)", Number).unit(YUAN),
        field("otherMarkedPrices", "同时标示的其他价格", "Other prices marked at the same time", NumberList)
            .unit(YUAN)
            .hint("同一商品另有标价时填写，多个用逗号分隔", "Only when the same goods show another price; separate with commas"),
        field("comparison.price", "被比较价格（原价）", "Comparison price (“was”)", Number).unit(YUAN).only(&goods),
        field("comparison.detailsShown", "标明了被比较价格的详细信息", "The tag explains the comparison price", Bool).only(&goods),
        field("comparison.shownSince", "被比较价格开始标示日期", "Comparison price shown since", Date).only(&goods),
        field("comparison.transactions", "此前的成交记录", "Earlier sales (from the till)", Rows)
            .only(&goods)
            .rows(vec![field("on", "成交日期", "Date", Date), field("price", "成交价格", "Price", Number).unit(YUAN)]),
        field("gift.description", "赠品", "Gift", Input::Text).only(&goods),
        field("gift.nameShown", "赠品标明品名", "Gift's name shown", Bool).only(&goods),
        field("gift.quantityShown", "赠品标明数量", "Gift's quantity shown", Bool).only(&goods),
        field("settlementListGiven", "提供了结算清单（先消费后结算）", "Settlement list given (pay after service)", Bool).only(&[PriceSubject::Service]),
        field("unmarkedFees", "未标明的收费（价外加价）", "Fees charged but not marked", Number).unit(YUAN),
        field("notes", NOTES.0, NOTES.1, Input::Text),
    ]
}

fn instrument_fields() -> Vec<Field> {
    use InstrumentType as T;
    let scales = [T::PriceScale, T::Scale];
    let meters = [T::WaterMeter, T::GasMeter, T::ElectricityMeter];
    vec![
        field("instrumentType", "器具类型", "Instrument type", Input::Choice).options(choices(&T::ALL, T::label)),
        field("serialNo", "出厂编号", "Serial no.", Input::Text),
        field("manufacturer", "制造厂", "Manufacturer", Input::Text),
        field("model", "型号", "Model", Input::Text),
        field("tradeUse", "用于贸易结算", "Used for trade settlement", Bool),
        field("accuracyClass", "准确度等级", "Accuracy class", Input::Choice).only(&scales).options(choices(&AccuracyClass::ALL, AccuracyClass::label)),
        field("maxG", "最大秤量", "Max", Number).unit("g").only(&scales),
        field("minG", "最小秤量", "Min", Number).unit("g").only(&scales),
        field("eG", "检定分度值", "Verification interval e", Number).unit("g").only(&scales),
        field("installedOn", "安装日期", "Installed on", Date).only(&meters),
        field("nominalDiameterMm", "公称口径", "Nominal diameter DN", Integer).unit("mm").only(&[T::WaterMeter]),
        field("verification.markPresent", "有检定合格标志或证书", "Verification mark or certificate shown", Bool),
        field("verification.certificateNo", "检定证书号", "Verification certificate no.", Input::Text),
        field("verification.verifiedOn", "检定日期", "Verified on", Date),
        field("verification.validUntil", "检定有效期至", "Verification valid until", Date),
        field("verification.failed", "最近一次检定结论为不合格", "Failed its last verification", Bool),
        field("seal", "封印", "Seal", Input::Choice).options(choices(&SealState::ALL, SealState::label)),
        field("cheatingDeviceFound", "发现作弊装置", "Cheating device found", Bool),
        field("weighings", "称量检查（标准砝码）", "Test weighings", Rows)
            .only(&scales)
            .rows(vec![field("loadG", "砝码", "Test load", Number).unit("g"), field("readingG", "示值", "Reading", Number).unit("g")]),
        field("deliveries", "付油检查（标准量器）", "Deliveries into a standard can", Rows)
            .only(&[T::FuelDispenser])
            .rows(vec![field("actualL", "标准量器示值", "Can", Number).unit("L"), field("indicatedL", "加油机示值", "Dispenser", Number).unit("L")]),
        field("distanceRuns", "里程检查（标准距离）", "Runs over a measured distance", Rows)
            .only(&[T::TaxiMeter])
            .rows(vec![field("actualKm", "实际里程", "Actual distance", Number).unit("km"), field("indicatedKm", "计价器示值", "Meter", Number).unit("km")]),
        field("notes", NOTES.0, NOTES.1, Input::Text),
    ]
}

fn equipment_fields() -> Vec<Field> {
    use EquipmentKind as K;
    vec![
        field("kind", "设备种类", "Kind of equipment", Input::Choice).options(choices(&K::ALL, K::label)),
        field("registrationNo", "使用登记证编号", "Registration certificate no.", Input::Text).hint("未办理使用登记的留空", "Leave empty if not registered"),
        field("equipmentCode", "设备代码/出厂编号", "Equipment code", Input::Text),
        field("manufacturedOn", "制造日期", "Manufactured on", Date),
        field("manufacturingStandard", "制造标准", "Manufacturing standard", Input::Text).only(&[K::GasCylinder]).hint("如：GB 5842-2006（液化石油气钢瓶）", "e.g. GB 5842-2006 (LPG cylinders)"),
        field("firstUsedOn", "投入使用日期", "First used on", Date),
        field("safetyGrade", "安全状况等级", "Safety grade", Integer).only(&[K::PressureVessel]).range(1.0, 5.0).hint("1–5 级，见定期检验报告", "1–5, from the inspection report"),
        field("lastInspectionOn", "上次定期检验日期", "Last periodic inspection", Date),
        field("nextInspectionDue", "下次检验日期", "Next inspection due", Date).hint("检验合格标志上的日期", "The date on the inspection mark"),
        field("lastInspectionResult", "上次检验结论", "Last inspection result", Input::Choice).options(choices(&InspectionResult::ALL, InspectionResult::label)),
        field("lastMaintenanceOn", "最近一次维护保养日期", "Last maintenance", Date).only(&[K::Lift]),
        field("maintenanceUnit", "维护保养单位", "Maintenance company", Input::Text).only(&[K::Lift]),
        field("maintenanceUnitLicensed", "维保单位有相应许可", "Maintenance company licensed", Bool).only(&[K::Lift]),
        field("inUse", "检查时在用", "In use when seen", Bool),
        field("scrapped", "已报废", "Scrapped", Bool),
        field("operators", "现场作业人员", "Operators at work", Rows).rows(vec![
            field("name", "姓名", "Name", Input::Text),
            field("certificateNo", "作业人员证号", "Operator certificate no.", Input::Text).hint("未出示证件的留空", "Leave empty if none shown"),
        ]),
        field("notes", NOTES.0, NOTES.1, Input::Text),
    ]
}

fn sample_fields() -> Vec<Field> {
    vec![
        field("sampleNo", "抽样单编号", "Sampling form no.", Code),
        field("category", "类别", "Category", Input::Choice).options(choices(&SampleCategory::ALL, SampleCategory::label)),
        field("productCategory", "产品类别", "Product category", Input::Choice)
            .options(ProductCategory::ALL.iter().map(|&c| Choice { value: wire(c), label: c.label(), applies_to: Some(vec![wire(c.category())]) }).collect()),
        field("productName", "样品名称", "Product", Input::Text),
        field("brand", "商标", "Brand", Input::Text),
        field("specification", "规格型号", "Specification", Input::Text),
        field("batchNo", "生产批号", "Batch no.", Input::Text).hint("批号或生产日期至少填一项", "The batch no. or the production date"),
        field("productionDate", "生产日期", "Production date", Date),
        field("shelfLifeDays", "保质期", "Shelf life", Integer).unit("天"),
        field("onSale", "抽样时在售", "On sale when sampled", Bool),
        field("lotSize", "抽样基数", "Lot size", Number),
        field("testQuantity", "检验样品数量", "Test quantity", Number),
        field("backupQuantity", "备份样品数量", "Backup quantity (for a re-test)", Number),
        field("quantityUnit", "数量单位", "Unit", Input::Text).hint("如：kg、袋、瓶", "e.g. kg, bags, bottles"),
        field("sealNos", "封条编号", "Seal nos.", TextList).hint("多个用逗号分隔", "Separate with commas"),
        field("samplers", "抽样人员", "Samplers", TextList).hint("至少两人，用逗号分隔", "At least two; separate with commas"),
        field("sealsSignedByOperator", "被抽样单位在封条上签字", "Seals signed by the operator", Bool),
        field("sealView", "被抽样单位对封样状态的意见", "The sampled unit's view on the sealing", Input::Choice).options(choices(&SealView::ALL, SealView::label)),
        field("purchasePrice", "购样费用", "Paid for the samples", Number).unit(YUAN),
        field("producerName", "标称生产者", "Producer (as labelled)", Input::Text),
        field("producerAddress", "生产者地址", "Producer's address", Input::Text),
        field("markedTrialOrSample", "标注“试制”或“样品”", "Marked trial or sample", Bool),
        field("exportOnly", "仅供出口", "For export only", Bool),
        field("notes", NOTES.0, NOTES.1, Input::Text),
    ]
}

fn header_sections() -> Vec<Section> {
    let object = |key, zh: &str, en: &str, fields| Section { key, kind: None, title: Text::new(zh, en), repeated: false, subtype: None, fields };
    vec![
        object(
            "operator",
            "经营者",
            "Operator",
            vec![
                field("name", "经营者名称", "Operator's name", Input::Text),
                field("creditCode", "统一社会信用代码", "Unified social credit code", Code).hint("18 位；个体户无代码时填“无”并说明原因", "18 characters; “无” with the reason if there is none"),
                field("noCreditCodeReason", "无代码原因", "Why there is no code", Input::Text),
                field("address", "经营地址", "Address", Input::Text),
                field("contactName", "联系人", "Contact", Input::Text),
                field("contactPhone", "联系电话", "Phone", Tel),
            ],
        ),
        object(
            "site",
            "检查场所",
            "Site",
            vec![
                field("name", "场所名称", "Site name", Input::Text),
                field("kind", "场所类型", "Kind of site", Input::Choice).options(choices(&SiteKind::ALL, SiteKind::label)),
                field("address", "场所地址", "Site address", Input::Text),
                field("city", "所在城市（设区的市）", "City", Input::Text).hint("如：福州市；用于该市规定的标价要素", "e.g. 福州市; for the city's own price-tag rules"),
                field("marketId", "市场编号", "Market id", Input::Text),
            ],
        ),
        Section {
            key: "officers",
            kind: None,
            title: Text::new("执法人员", "Officers"),
            repeated: true,
            subtype: None,
            fields: vec![field("name", "姓名", "Name", Input::Text), field("certificateNo", "执法证号", "Enforcement certificate no.", Input::Text)],
        },
        object(
            "notice",
            "出示证件与告知",
            "Credentials and rights",
            vec![
                field("credentialsShown", "已出示执法证件", "Certificates shown", Bool),
                field("rightsTold", "已告知陈述、申辩和申请回避的权利", "Told of the rights to state a case and ask for recusal", Bool),
                field("recusalRequested", "当事人申请回避", "The party asks for an officer's recusal", Bool),
            ],
        ),
    ]
}

fn closing_sections() -> Vec<Section> {
    vec![
        Section {
            key: "refusal",
            kind: None,
            title: Text::new("拒绝签名（须录音录像，或有见证人）", "Refused to sign (recorded, or with a witness)"),
            repeated: false,
            subtype: None,
            fields: vec![
                field("note", "拒签情况", "What happened", Input::Text),
                field("recordingSha256", "录音录像", "Sound or video recording", Input::Recording)
                    .hint("录下拒签经过；没有录音录像时须有见证人", "Record the refusal; without a recording a witness is needed"),
                field("witnessName", "见证人（可选）", "Witness (optional)", Input::Text),
                field("witnessContact", "见证人联系方式", "Witness's contact", Tel),
            ],
        },
        Section {
            key: "unreachable",
            kind: None,
            title: Text::new("未能检查（查无下落、停业等）", "Could not inspect (not found, closed…)"),
            repeated: false,
            subtype: None,
            fields: vec![
                field("reason", "原因", "Reason", Input::Choice).options(choices(&UnreachableReason::ALL, UnreachableReason::label)),
                field("note", "现场情况", "What the officers found", Input::Text).hint("如：登记地址为空置商铺，电话无人接听", "e.g. the registered address is an empty shop; no answer by phone"),
            ],
        },
        Section { key: "", kind: None, title: Text::new("检查备注", "Notes on the visit"), repeated: false, subtype: None, fields: vec![field("notes", "备注", "Notes", Input::Text)] },
    ]
}

fn follow_up_section() -> Section {
    let fields = vec![
        field("sentToLabOn", "送检日期", "Sent to the lab on", Date),
        field("labReceivedOn", "实验室收样日期", "Received by the lab on", Date),
        field("labResult.reportNo", "检验报告编号", "Report no.", Code),
        field("labResult.labName", "检验机构", "Laboratory", Input::Text),
        field("labResult.reportedOn", "检验报告日期", "Report date", Date),
        field("labResult.items", "检验项目", "Test items", Rows).rows(vec![
            field("name", "检验项目", "Test item", Input::Text).hint("如：毒死蜱", "e.g. chlorpyrifos"),
            field("value", "检验结果", "Result", Number),
            field("unit", "结果单位", "Unit of the result", Input::Text).hint("如：mg/kg", "e.g. mg/kg"),
            field("limit", "标准限值", "Limit", Number),
            field("limitUnit", "限值单位（与结果不同时）", "Unit of the limit (if different)", Input::Text),
            field("limitKind", "限值类型", "Kind of limit", Input::Choice).options(choices(&LimitKind::ALL, LimitKind::label)),
            field("standard", "判定依据标准", "Standard", Input::Text).hint("如：GB 2763-2021", "e.g. GB 2763-2021"),
            field("verdict", "单项结论", "Verdict", Input::Choice).options(choices(&Verdict::ALL, Verdict::label)),
        ]),
        field("operatorNotifiedOn", "告知被抽样单位日期", "Operator told on", Date),
        field("recheckRequestedOn", "申请复检日期", "Re-test requested on", Date),
        field("disposal.actions", "核查处置措施", "Actions taken", Multi).options(choices(&DisposalAction::ALL, DisposalAction::label)),
        field("disposal.completedOn", "核查处置完成日期", "Disposal completed on", Date),
        field("closedOn", "结案日期", "Closed on", Date),
    ];
    Section {
        key: "followUp", kind: None, title: Text::new("抽检后续（检验结果、复检、核查处置）", "Sample follow-up (lab result, re-test, disposal)"), repeated: false, subtype: None, fields
    }
}

fn check_section(key: &'static str, kind: CheckKind, subtype: &'static str, fields: Vec<Field>) -> Section {
    Section { key, kind: Some(kind), title: kind.label(), repeated: true, subtype: Some(subtype), fields }
}

/// The catalogue, with "required" taken from validation.
pub fn catalogue() -> Catalogue {
    let mut sections = header_sections();
    sections.push(check_section("priceChecks", CheckKind::Price, "subject", price_fields()));
    sections.push(check_section("instrumentChecks", CheckKind::Metrology, "instrumentType", instrument_fields()));
    sections.push(check_section("equipmentChecks", CheckKind::Equipment, "kind", equipment_fields()));
    sections.push(check_section("samples", CheckKind::Sampling, "category", sample_fields()));
    sections.extend(closing_sections());
    for section in &mut sections {
        mark_required(section);
    }
    let mut follow_up = follow_up_section();
    mark_required(&mut follow_up);
    Catalogue {
        schema_version: crate::visit::SCHEMA_VERSION,
        protocol_version: crate::sync::PROTOCOL_VERSION,
        sections,
        internal: INTERNAL.to_vec(),
        follow_up,
        follow_up_internal: FOLLOW_UP_INTERNAL.to_vec(),
        vocabulary: Vocabulary {
            check_kinds: choices(&CheckKind::ALL, CheckKind::label),
            finding_levels: choices(&FindingLevel::ALL, FindingLevel::label),
            measures: choices(&Measure::ALL, Measure::text),
            deadline_kinds: choices(&DeadlineKind::ALL, DeadlineKind::label),
            deadline_statuses: choices(&DeadlineStatus::ALL, DeadlineStatus::label),
            verdicts: choices(&Verdict::ALL, Verdict::label),
        },
    }
}

impl Section {
    /// The subtype values ([None] for a part without subtypes).
    pub fn subtypes(&self) -> Vec<Option<String>> {
        match self.subtype.and_then(|p| self.fields.iter().find(|f| f.path == p)) {
            Some(chooser) => chooser.options.iter().map(|o| Some(o.value.clone())).collect(),
            None => vec![None],
        }
    }

    /// An item of this part with every group and one empty row in every table
    /// that applies to `subtype`: what validation is asked about.
    pub fn skeleton(&self, subtype: Option<&str>) -> Value {
        let mut item = Map::new();
        if let (Some(key), Some(s)) = (self.subtype, subtype) {
            item.insert(key.into(), json!(s));
        }
        for f in self.fields.iter().filter(|f| f.applies(subtype)) {
            let mut parts: Vec<&str> = f.path.split('.').collect();
            let last = parts.pop().unwrap_or_default();
            let mut at = &mut item;
            for p in parts {
                at = at.entry(p).or_insert_with(|| json!({})).as_object_mut().expect("groups are objects");
            }
            if f.input == Input::Rows {
                at.insert(last.into(), json!([{}]));
            }
        }
        Value::Object(item)
    }
}

/// Problems validation reports for one item of `section`, with pointers from
/// the item; `None` when the item does not read as the model's type.
pub fn validate_item(section: &Section, item: &Value) -> Option<Vec<Problem>> {
    let mut c = Checks::new(crate::time::parse_timestamp("2026-01-01T09:00:00+08:00").expect("a fixed time"));
    let at = Ptr::root();
    let readable = match section.key {
        "priceChecks" => read::<PriceCheck>(item).map(|p| crate::price::validate_price_check(&p, &mut c, &at, None)).is_ok(),
        "instrumentChecks" => read::<InstrumentCheck>(item).map(|m| crate::metrology::validate_instrument_check(&m, &mut c, &at)).is_ok(),
        "equipmentChecks" => read::<EquipmentCheck>(item).map(|e| crate::equipment::validate_equipment_check(&e, &mut c, &at)).is_ok(),
        "samples" => read::<Sample>(item).map(|s| crate::sampling::validate_sample(&s, &mut c, &at, None)).is_ok(),
        "followUp" => {
            let ok = read::<SampleFollowUp>(item).map(|f| crate::sampling::validate_follow_up_fields(&f, &mut c)).is_ok();
            // What the form does not set (ids, schema version) is the app's to fill.
            c.problems.retain(|p| !FOLLOW_UP_INTERNAL.iter().any(|i| field_path(&p.path) == i.path));
            ok
        }
        key => {
            // The visit's own parts: validated as a visit holding just that part,
            // and the pointers made relative to it.
            let visit = if key.is_empty() {
                item.clone()
            } else if section.repeated {
                json!({ key: [item] })
            } else {
                json!({ key: item })
            };
            let prefix = match (key, section.repeated) {
                ("", _) => String::new(),
                (k, true) => format!("/{k}/0"),
                (k, false) => format!("/{k}"),
            };
            let ok = read::<Visit>(&visit).map(|v| crate::visit::validate_visit_fields(&v, &mut c)).is_ok();
            c.problems.retain(|p| p.path.starts_with(&prefix) && (prefix.is_empty() || p.path.len() > prefix.len()));
            for p in &mut c.problems {
                p.path = p.path[prefix.len()..].to_string();
            }
            if key.is_empty() {
                // The visit's own field list: only what this section holds.
                let own: BTreeSet<String> = section.fields.iter().map(|f| format!("/{}", f.path)).collect();
                c.problems.retain(|p| own.contains(&p.path));
            }
            ok
        }
    };
    readable.then_some(c.problems)
}

// Through the same decoder as validation: one set of deserializers in the wasm, not two.
fn read<T: crate::decode::FromValue>(value: &Value) -> Result<T, ()> {
    crate::decode::decode(value.clone()).record.ok_or(())
}

/// "/weighings/0/loadG" → "weighings.loadG": a pointer as a catalogue path.
pub fn field_path(pointer: &str) -> String {
    pointer.split('/').filter(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit())).collect::<Vec<_>>().join(".")
}

fn mark_required(section: &mut Section) {
    let subtypes = section.subtypes();
    let mut required: Vec<(String, Vec<Option<String>>)> = Vec::new();
    for subtype in &subtypes {
        let problems = validate_item(section, &section.skeleton(subtype.as_deref())).unwrap_or_default();
        for p in problems.iter().filter(|p| p.code == ProblemCode::Required) {
            let path = field_path(&p.path);
            match required.iter_mut().find(|(k, _)| *k == path) {
                Some((_, list)) => list.push(subtype.clone()),
                None => required.push((path, vec![subtype.clone()])),
            }
        }
    }
    // A table's columns apply where the table does.
    let mark = |f: &mut Field, path: &str, applies_to: &Option<Vec<String>>| {
        let Some((_, when)) = required.iter().find(|(k, _)| k == path) else { return };
        let applies = |s: &Option<String>| match (applies_to, s) {
            (Some(list), Some(s)) => list.contains(s),
            _ => true,
        };
        if subtypes.iter().filter(|s| applies(s)).all(|s| when.contains(s)) {
            f.required = true;
        } else {
            f.required_for = Some(when.iter().flatten().cloned().collect());
        }
    };
    for f in &mut section.fields {
        let (path, applies_to) = (f.path, f.applies_to.clone());
        mark(f, path, &applies_to);
        for row in &mut f.rows {
            mark(row, &format!("{path}.{}", row.path), &applies_to);
        }
    }
    // The subtype itself: required when validation says so of an item without one.
    if let Some(chooser) = section.subtype {
        let problems = validate_item(section, &section.skeleton(None)).unwrap_or_default();
        let blank = problems.iter().any(|p| p.code == ProblemCode::Required && field_path(&p.path) == chooser);
        if let Some(f) = section.fields.iter_mut().find(|f| f.path == chooser) {
            f.required = blank;
        }
    }
}

impl Catalogue {
    /// Every value the visit's forms set, as "priceChecks[].comparison.transactions[].on"
    /// (lists marked `[]`), with the section and field it comes from.
    pub fn paths(&self) -> Vec<(String, &Section, &Field)> {
        paths_of(&self.sections)
    }

    /// The same for the follow-up record.
    pub fn follow_up_paths(&self) -> Vec<(String, &Section, &Field)> {
        paths_of(std::slice::from_ref(&self.follow_up))
    }
}

fn paths_of(sections: &[Section]) -> Vec<(String, &Section, &Field)> {
    let mut out = Vec::new();
    for s in sections {
        let base = match (s.key, s.repeated) {
            // The visit's own notes, and the follow-up: fields of the record itself.
            ("" | "followUp", _) => String::new(),
            (k, true) => format!("{k}[]."),
            (k, false) => format!("{k}."),
        };
        for f in &s.fields {
            let list = if matches!(f.input, Input::Multi | Input::TextList | Input::NumberList) { "[]" } else { "" };
            if f.input == Input::Rows {
                for r in &f.rows {
                    out.push((format!("{base}{}[].{}", f.path, r.path), s, r));
                }
            } else {
                out.push((format!("{base}{}{list}", f.path), s, f));
            }
        }
    }
    out
}
