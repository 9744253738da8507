//! The rulebook: every compliance rule as data with a source. A rule has a
//! stable code, a legal basis (law, article, edition, confidence), the
//! measures an officer orders, a default rectification period, and parameter
//! versions with effective dates. The engine (the `rules` modules of each
//! domain) uses the version in force on the visit's date.
//!
//! The default rulebook (`rulebook.json`) ships inside the core; HQ can push a
//! newer one, which is checked on load — a rulebook the engine cannot use is
//! refused with every reason, never half-applied.

mod catalogue;
pub mod diff;
mod params;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::calendar::{WorkCalendar, YearAdjustments};
use crate::error::CoreError;
use crate::problem::Text;
use crate::time::Date;

pub use catalogue::catalogue_markdown;
pub use params::Params;

/// The rulebook format this core reads.
pub const RULEBOOK_FORMAT: u32 = 1;

const DEFAULT_RULEBOOK: &str = include_str!(concat!(env!("OUT_DIR"), "/rulebook.json"));

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum CheckKind {
    Price,
    Metrology,
    Equipment,
    Sampling,
}

impl CheckKind {
    pub const ALL: [CheckKind; 4] = [CheckKind::Price, CheckKind::Metrology, CheckKind::Equipment, CheckKind::Sampling];

    pub fn label(self) -> Text {
        match self {
            CheckKind::Price => Text::new("明码标价", "Price tagging"),
            CheckKind::Metrology => Text::new("计量器具", "Measuring instruments"),
            CheckKind::Equipment => Text::new("特种设备", "Special equipment"),
            CheckKind::Sampling => Text::new("抽检批次", "Sampling"),
        }
    }
}

/// A violation makes the visit non-compliant; a notice is for follow-up only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum FindingLevel {
    Violation,
    Notice,
}

impl FindingLevel {
    pub const ALL: [FindingLevel; 2] = [FindingLevel::Violation, FindingLevel::Notice];

    pub fn label(self) -> Text {
        match self {
            FindingLevel::Violation => Text::new("违法", "Violation"),
            FindingLevel::Notice => Text::new("提示", "Notice"),
        }
    }
}

/// What the officer orders or does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum Measure {
    /// 责令改正
    OrderRectify,
    /// 责令限期改正
    OrderRectifyByDeadline,
    /// 责令停止使用
    OrderStopUse,
    /// 立案调查
    OpenCase,
    /// 下架
    WithdrawFromSale,
    /// 核查处置
    Disposal,
    /// 程序补正 (our own procedure, e.g. sampling)
    CorrectProcedure,
    /// 提醒
    Remind,
}

impl Measure {
    pub const ALL: [Measure; 8] =
        [Measure::OrderRectify, Measure::OrderRectifyByDeadline, Measure::OrderStopUse, Measure::OpenCase, Measure::WithdrawFromSale, Measure::Disposal, Measure::CorrectProcedure, Measure::Remind];

    pub fn text(self) -> Text {
        match self {
            Measure::OrderRectify => Text::new("责令改正", "order to rectify"),
            Measure::OrderRectifyByDeadline => Text::new("责令限期改正", "order to rectify by a deadline"),
            Measure::OrderStopUse => Text::new("责令停止使用", "order to stop use"),
            Measure::OpenCase => Text::new("立案调查", "open a case"),
            Measure::WithdrawFromSale => Text::new("责令下架", "withdraw from sale"),
            Measure::Disposal => Text::new("核查处置", "follow up and dispose"),
            Measure::CorrectProcedure => Text::new("程序补正", "correct the procedure"),
            Measure::Remind => Text::new("提醒告知", "remind"),
        }
    }
}

/// Where a rule comes from. Confidence: H read in the primary text; M from
/// secondary sources; L recalled, to be verified.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LegalBasis {
    pub law: Text,
    pub article: Text,
    pub edition: Option<String>,
    pub confidence: Confidence,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
pub enum Confidence {
    H,
    M,
    L,
}

/// One version of a rule's parameters, in force `from`..=`until`.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleVersion {
    pub from: Date,
    pub until: Option<Date>,
    /// Instrument types, equipment kinds or sample categories this version is for (all when absent).
    pub applies_to: Option<Vec<String>>,
    /// Technical standards of this version (added to the rule's basis).
    #[serde(default)]
    pub basis: Vec<LegalBasis>,
    #[serde(default)]
    pub values: Params,
    pub note: Option<String>,
}

impl RuleVersion {
    fn covers(&self, date: Date, subject: Option<&str>) -> bool {
        date >= self.from
            && self.until.map_or(true, |u| date <= u)
            && match (&self.applies_to, subject) {
                (None, _) => true,
                (Some(list), Some(s)) => list.iter().any(|x| x == s),
                (Some(_), None) => false,
            }
    }
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    pub code: String,
    pub kind: CheckKind,
    pub level: FindingLevel,
    pub title: Text,
    pub basis: Vec<LegalBasis>,
    /// The penalty provisions, for the case file.
    #[serde(default)]
    pub penalty: Vec<LegalBasis>,
    pub measures: Vec<Measure>,
    /// Default rectification period in calendar days, where one applies.
    pub rectify_days: Option<u32>,
    pub versions: Vec<RuleVersion>,
}

impl Rule {
    /// The version in force on `date` for `subject` (type / kind / category).
    pub fn version_at(&self, date: Date, subject: Option<&str>) -> Option<&RuleVersion> {
        self.versions.iter().find(|v| v.covers(date, subject))
    }
}

/// A city's added required tag elements for named goods (Order 56 Art. 7 ¶4).
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CityPriceElements {
    /// The city as written on the site (e.g. "福州市").
    pub city: String,
    /// Goods names (a tag's item name containing one of them is covered).
    pub goods: Vec<String>,
    pub elements: Vec<crate::price::TagElement>,
    pub from: Date,
    pub until: Option<Date>,
    /// The city's own notice.
    pub basis: LegalBasis,
}

/// The rulebook file HQ publishes, as read (public for tests/decode_places.rs only).
#[doc(hidden)]
#[derive(Clone, Debug, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RulebookFile {
    format: u32,
    version: String,
    published: Date,
    note: Option<Text>,
    calendar: crate::sorted_map::SortedMap<String, YearAdjustments>,
    #[serde(default)]
    city_price_elements: Vec<CityPriceElements>,
    rules: Vec<Rule>,
}

/// Where the rule with `code` is in rules ordered by code (or would go).
fn position(rules: &[Rule], code: &str) -> Result<usize, usize> {
    rules.binary_search_by(|r| r.code.as_str().cmp(code))
}

/// A checked rulebook, ready for evaluation.
#[derive(Clone, Debug)]
pub struct Rulebook {
    pub version: String,
    pub published: Date,
    pub note: Option<Text>,
    pub calendar: WorkCalendar,
    pub city_price_elements: Vec<CityPriceElements>,
    /// Ordered by code: a sorted list, not a map (a map's code for one more
    /// value type is ≈ 1 KB of the tablet's module).
    rules: Vec<Rule>,
    source: RulebookFile,
}

/// Why a rulebook was refused; every reason, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RulebookError {
    pub reasons: Vec<String>,
}

impl CoreError for RulebookError {
    fn code(&self) -> &'static str {
        "RULEBOOK_INVALID"
    }
    fn message(&self) -> Text {
        Text::new(
            format!("规则库无效，未加载（{} 处问题）：{}", self.reasons.len(), self.reasons.join("；")),
            format!("the rulebook is invalid and was not loaded ({} issues): {}", self.reasons.len(), self.reasons.join("; ")),
        )
    }
    fn details(&self) -> Vec<String> {
        self.reasons.clone()
    }
}

impl Rulebook {
    /// Read and check a rulebook (JSON text).
    pub fn from_json(text: &str) -> Result<Rulebook, RulebookError> {
        let file: RulebookFile = crate::decode::read_published(text).map_err(|e| RulebookError { reasons: vec![e] })?;
        let mut reasons = Vec::new();
        if file.format != RULEBOOK_FORMAT {
            reasons.push(format!("format {} is not supported (this core reads {})", file.format, RULEBOOK_FORMAT));
        }
        if file.version.trim().is_empty() {
            reasons.push("version: required".into());
        }
        let calendar = WorkCalendar::from_years(&file.calendar).unwrap_or_else(|e| {
            reasons.extend(e);
            WorkCalendar::default()
        });
        let mut rules: Vec<Rule> = Vec::with_capacity(file.rules.len());
        for (i, rule) in file.rules.iter().enumerate() {
            let at = format!("rules[{i}] {}", rule.code);
            check_rule(rule, &at, &mut reasons);
            match position(&rules, &rule.code) {
                Ok(j) => {
                    reasons.push(format!("{at}: the code appears twice"));
                    rules[j] = rule.clone();
                }
                Err(j) => rules.insert(j, rule.clone()),
            }
        }
        for code in crate::evaluate::IMPLEMENTED_RULES {
            if position(&rules, code).is_err() {
                reasons.push(format!("rule {code}: missing (the engine needs it)"));
            }
        }
        for code in rules.iter().map(|r| &r.code) {
            if !crate::evaluate::IMPLEMENTED_RULES.contains(&code.as_str()) {
                reasons.push(format!("rule {code}: unknown to this core (update the app)"));
            }
        }
        for (i, c) in file.city_price_elements.iter().enumerate() {
            if c.city.trim().is_empty() || c.goods.is_empty() || c.elements.is_empty() {
                reasons.push(format!("cityPriceElements[{i}]: city, goods and elements are required"));
            }
        }
        if !reasons.is_empty() {
            return Err(RulebookError { reasons });
        }
        Ok(Rulebook { version: file.version.clone(), published: file.published, note: file.note.clone(), calendar, city_price_elements: file.city_price_elements.clone(), rules, source: file })
    }

    /// The rulebook built into this core.
    pub fn builtin() -> &'static Rulebook {
        static BUILTIN: OnceLock<Rulebook> = OnceLock::new();
        BUILTIN.get_or_init(|| Rulebook::from_json(DEFAULT_RULEBOOK).expect("the built-in rulebook is checked by the tests"))
    }

    pub fn rule(&self, code: &str) -> Option<&Rule> {
        position(&self.rules, code).ok().map(|i| &self.rules[i])
    }

    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter()
    }

    /// The rulebook as JSON (what HQ stores and pushes).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.source).expect("a rulebook always serialises")
    }
}

fn check_rule(rule: &Rule, at: &str, reasons: &mut Vec<String>) {
    let (prefix, _) = rule.code.split_once('.').unwrap_or(("", ""));
    let expected = match rule.kind {
        CheckKind::Price => "PRICE",
        CheckKind::Metrology => "MET",
        CheckKind::Equipment => "EQ",
        CheckKind::Sampling => "SAMP",
    };
    if prefix != expected {
        reasons.push(format!("{at}: a {:?} rule's code starts with {expected}.", rule.kind));
    }
    if rule.basis.is_empty() {
        reasons.push(format!("{at}: a rule needs a legal basis"));
    }
    if rule.measures.is_empty() {
        reasons.push(format!("{at}: a rule needs at least one measure"));
    }
    if rule.versions.is_empty() {
        reasons.push(format!("{at}: a rule needs at least one version (its effective dates)"));
    }
    for (j, v) in rule.versions.iter().enumerate() {
        if let Some(u) = v.until {
            if u < v.from {
                reasons.push(format!("{at} versions[{j}]: until {u} is before from {}", v.from));
            }
        }
        for missing in params::missing_for(&rule.code, &v.values) {
            reasons.push(format!("{at} versions[{j}]: parameter {missing} is required"));
        }
        // Two versions for the same subject may not both be in force on one day.
        for (k, w) in rule.versions.iter().enumerate().skip(j + 1) {
            let same_subject = match (&v.applies_to, &w.applies_to) {
                (None, _) | (_, None) => true,
                (Some(a), Some(b)) => a.iter().any(|x| b.contains(x)),
            };
            let overlap = v.from <= w.until.unwrap_or(Date::MAX) && w.from <= v.until.unwrap_or(Date::MAX);
            if same_subject && overlap {
                reasons.push(format!("{at}: versions[{j}] and versions[{k}] overlap in time for the same subject"));
            }
        }
    }
}
