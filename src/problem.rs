//! Data problems: what is wrong with a *record* (as opposed to a compliance
//! finding, which is what is wrong with the *operator*). Each problem has a
//! stable code, a severity, the JSON Pointer of the field and a message in
//! the officer's language (Chinese) and in English.

use serde::{Deserialize, Serialize};

/// `error` blocks finalising; `warning` must be confirmed by the officer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A text shown to people, in Chinese first and English second.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text { zh: zh.into(), en: en.into() }
    }
}

macro_rules! problem_codes {
    ($( $(#[$doc:meta])* $name:ident = $wire:literal, $sev:ident, $zh:literal, $en:literal; )*) => {
        /// Stable problem codes. The wire form (e.g. `"REQUIRED"`) never changes
        /// meaning once released; `docs/problem-codes.md` is generated from this list.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
        pub enum ProblemCode {
            $( $(#[$doc])* #[serde(rename = $wire)] $name, )*
        }

        impl ProblemCode {
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$name),*];

            /// The code as it appears on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $(ProblemCode::$name => $wire,)* }
            }

            /// Severity of this kind of problem.
            pub fn severity(self) -> Severity {
                match self { $(ProblemCode::$name => Severity::$sev,)* }
            }

            /// What the code means, for the catalogue and for UI help.
            pub fn meaning(self) -> Text {
                match self { $(ProblemCode::$name => Text::new($zh, $en),)* }
            }
        }
    };
}

problem_codes! {
    // --- structure: the record cannot be read as it is ---
    MalformedJson = "MALFORMED_JSON", Error, "不是有效的 JSON 文本", "The text is not valid JSON";
    NotAnObject = "NOT_AN_OBJECT", Error, "记录不是一个对象", "The record is not a JSON object";
    WrongType = "WRONG_TYPE", Error, "字段类型不正确", "A field has the wrong type";
    InvalidValue = "INVALID_VALUE", Error, "字段取值或格式无效", "A field has a value or format that is not allowed";
    UnknownField = "UNKNOWN_FIELD", Error, "记录中有无法识别的字段（为免数据丢失，不予忽略）", "The record has a field this version does not know (not ignored, so nothing is lost)";
    SchemaVersion = "SCHEMA_VERSION", Error, "记录格式版本不受支持", "The record's schema version is not supported";
    BadId = "BAD_ID", Error, "标识不是有效的 UUID", "An id is not a valid UUID";
    TooLarge = "TOO_LARGE", Error, "记录过大（条目或字段过多），未予读取", "The record is too large (too many entries or fields) and was not read";
    MoreProblems = "MORE_PROBLEMS", Error, "问题过多，其余未逐一列出", "Too many problems; the rest are counted, not listed";
    // --- general content ---
    Required = "REQUIRED", Error, "必填项缺失", "A required field is missing";
    Negative = "NEGATIVE", Error, "数值不能为负数", "A number may not be negative";
    NotPositive = "NOT_POSITIVE", Error, "数值必须大于零", "A number must be greater than zero";
    OutOfRange = "OUT_OF_RANGE", Error, "数值超出可能的范围", "A number is outside its possible range";
    InFuture = "IN_FUTURE", Error, "日期或时间晚于当前时间", "A date or time lies in the future";
    DateOrder = "DATE_ORDER", Error, "日期先后顺序不可能成立", "Dates are in an impossible order";
    Duplicate = "DUPLICATE", Error, "重复的条目", "A duplicate entry";
    BadHash = "BAD_HASH", Error, "附件哈希不是 64 位小写十六进制 SHA-256", "An attachment hash is not a 64-digit lowercase hex SHA-256";
    // --- visit ---
    CreditCodeFormat = "CREDIT_CODE_FORMAT", Error, "统一社会信用代码格式不正确（18 位，GB 32100-2015）", "The unified social credit code is malformed (18 characters, GB 32100-2015)";
    CreditCodeCheck = "CREDIT_CODE_CHECK", Warning, "统一社会信用代码校验位不符，请与营业执照核对", "The unified social credit code's check character does not match; compare with the licence";
    TooFewOfficers = "TOO_FEW_OFFICERS", Error, "现场执法人员不得少于两人（行政处罚法第四十二条）", "At least two officers must take part (Administrative Penalty Law Art. 42)";
    HandoverMissing = "HANDOVER_MISSING", Error, "缺少当事人签字或拒签记录", "Neither the operator's signature nor a refusal record";
    HandoverBoth = "HANDOVER_BOTH", Error, "同时存在签字和拒签记录", "Both a signature and a refusal record";
    AttachmentNotListed = "ATTACHMENT_NOT_LISTED", Error, "引用的附件不在附件列表中", "A referenced attachment is not in the attachment list";
    UnreachableWithChecks = "UNREACHABLE_WITH_CHECKS", Error, "已记录未能检查，不应再有检查项目", "The visit says the operator could not be inspected, yet records checks";
    NoChecks = "NO_CHECKS", Warning, "本次检查未记录任何检查项目", "The visit records no checks";
    LongVisit = "LONG_VISIT", Warning, "检查持续时间超过 12 小时", "The visit lasted more than 12 hours";
    OutsideChina = "OUTSIDE_CHINA", Warning, "定位不在中国境内，请核对", "The location is outside China; please check it";
    AmendsItself = "AMENDS_ITSELF", Error, "更正记录不能指向自身", "An amendment cannot point at itself";
    StatusChange = "STATUS_CHANGE", Error, "已定稿的记录不能修改，只能另行更正", "A finalised record cannot be changed, only amended";
    // --- on-site documents ---
    DocumentElementMissing = "DOCUMENT_ELEMENT_MISSING", Error, "文书缺少法定要素，未予制作", "A document lacks an element the law requires, so it was not made";
    // --- price tagging ---
    ElementNotForSubject = "ELEMENT_NOT_FOR_SUBJECT", Error, "标价要素与商品/服务类别不符", "A tag element does not belong to goods / services";
    TagInconsistent = "TAG_INCONSISTENT", Warning, "记录为无标价签，却列出了标价要素", "No tag recorded, yet tag elements are listed";
    ZeroPrice = "ZERO_PRICE", Warning, "价格为零，请确认", "A price of zero; please confirm";
    TransactionOutsideWindow = "TRANSACTION_OUTSIDE_WINDOW", Warning, "成交记录不在被比较价格前的期间内", "A transaction lies outside the period before the comparison price";
    // --- metrology ---
    LoadAboveMax = "LOAD_ABOVE_MAX", Error, "试验载荷超过最大秤量", "A test load is above the scale's Max";
    LoadBelowMin = "LOAD_BELOW_MIN", Error, "试验载荷低于最小秤量", "A test load is below the scale's Min";
    MinAboveMax = "MIN_ABOVE_MAX", Error, "最小秤量不小于最大秤量", "Min is not below Max";
    IntervalsOutsideClass = "INTERVALS_OUTSIDE_CLASS", Warning, "检定分度数超出该准确度等级的范围", "The number of intervals is outside the accuracy class's range";
    TestsForOtherType = "TESTS_FOR_OTHER_TYPE", Error, "试验数据与器具类型不符", "Test data does not match the instrument type";
    // --- sampling ---
    ProductionAfterSampling = "PRODUCTION_AFTER_SAMPLING", Error, "生产日期晚于抽样日期", "The production date is after the sampling date";
    ProductNotInCategory = "PRODUCT_NOT_IN_CATEGORY", Error, "产品类别与抽检类别（食品/工业产品）不符", "The product category does not belong to the sample's category (food / industrial)";
    NotToBeSampled = "NOT_TO_BE_SAMPLED", Warning, "标注试制/样品或仅供出口的产品不应抽样", "Trial, sample-marked or export-only goods are not sampled";
    LotSmallerThanSample = "LOT_SMALLER_THAN_SAMPLE", Warning, "抽样基数小于抽样数量", "The lot is smaller than the quantity sampled";
    LabLimitMissing = "LAB_LIMIT_MISSING", Error, "检验项目缺少标准限值", "A test item has no limit";
    LabUnitMissing = "LAB_UNIT_MISSING", Error, "检验项目缺少单位", "A test item has no unit";
    UnitMismatch = "UNIT_MISMATCH", Error, "检验值与限值的单位无法换算比较", "The value's unit cannot be converted to the limit's unit";
}

impl ProblemCode {
    /// The record could not be read as given (some of it was left out of the
    /// typed record). Such a record cannot be finalised, and HQ will not store it.
    pub fn is_structural(self) -> bool {
        use ProblemCode::*;
        matches!(self, MalformedJson | NotAnObject | WrongType | InvalidValue | UnknownField | SchemaVersion | BadId | TooLarge)
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One data problem in one record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
pub struct Problem {
    pub code: ProblemCode,
    pub severity: Severity,
    /// JSON Pointer (RFC 6901) of the field, relative to the record; `""` is the record itself.
    pub path: String,
    pub message: Text,
}

impl Problem {
    /// A problem with the code's own severity.
    pub fn new(code: ProblemCode, path: impl Into<String>, message: Text) -> Self {
        Problem { code, severity: code.severity(), path: path.into(), message }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The catalogue of problem codes as markdown (kept in `docs/problem-codes.md`; a test keeps it true).
pub fn catalogue_markdown() -> String {
    let mut out = String::from(
        "# Data problem codes\n\n\
         Generated from `src/problem.rs` (`cargo test` fails when this file is out of date;\n\
         regenerate with `XUNCHA_BLESS=1 cargo test --test catalogue`).\n\n\
         A *problem* is something wrong with the record itself. `error` blocks finalising;\n\
         `warning` must be confirmed by the officer. Compliance findings are a different thing\n\
         (see the rule catalogue).\n\n\
         | code | severity | 含义 | meaning |\n|---|---|---|---|\n",
    );
    for code in ProblemCode::ALL {
        let m = code.meaning();
        let sev = match code.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!("| `{}` | {} | {} | {} |\n", code.as_str(), sev, m.zh, m.en));
    }
    out
}
