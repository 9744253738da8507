//! Compliance findings: what the *operator* did wrong (or what needs
//! following up), on what legal basis, what to order, and by when. A type
//! apart from data problems, with its own codes (the rule codes).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::problem::Text;
use crate::rules::{CheckKind, FindingLevel, LegalBasis, Measure};
use crate::time::Date;

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The rule's stable code, e.g. "MET.SCALE_MPE".
    pub code: String,
    pub kind: CheckKind,
    pub level: FindingLevel,
    /// JSON Pointer of the check (or test point) in the visit.
    pub path: String,
    /// The id of the check the finding is about.
    pub item_id: Option<String>,
    /// The rule's title.
    pub title: Text,
    /// What exactly was found, with the figures.
    pub message: Text,
    /// Legal basis: the rule's provisions, then the technical standard in force.
    pub basis: Vec<LegalBasis>,
    /// Penalty provisions, for the case file.
    pub penalty: Vec<LegalBasis>,
    pub measures: Vec<Measure>,
    /// Rectification deadline (整改期限), where one applies.
    pub rectify_by: Option<Date>,
    /// The figures behind the finding (for reports and the case file).
    pub facts: BTreeMap<String, serde_json::Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum DeadlineStatus {
    /// Not done, not yet due.
    Open,
    /// Not done and past due.
    Overdue,
    MetOnTime,
    MetLate,
    /// A window (e.g. for 复检) that closed unused: nothing is late.
    Lapsed,
}

impl DeadlineStatus {
    pub const ALL: [DeadlineStatus; 5] = [DeadlineStatus::Open, DeadlineStatus::Overdue, DeadlineStatus::MetOnTime, DeadlineStatus::MetLate, DeadlineStatus::Lapsed];

    pub fn label(self) -> Text {
        match self {
            DeadlineStatus::Open => Text::new("未到期", "Open"),
            DeadlineStatus::Overdue => Text::new("已逾期", "Overdue"),
            DeadlineStatus::MetOnTime => Text::new("按期完成", "Met on time"),
            DeadlineStatus::MetLate => Text::new("逾期完成", "Met late"),
            DeadlineStatus::Lapsed => Text::new("期满未申请", "Window closed unused"),
        }
    }
}

/// A legal time limit and where it stands on the evaluation date.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Deadline {
    /// The rule setting the limit (for rectifications: the finding's rule).
    pub code: String,
    pub kind: DeadlineKind,
    pub path: String,
    pub item_id: Option<String>,
    pub title: Text,
    /// The day counting starts from (not itself counted).
    pub starts: Date,
    pub due: Date,
    pub done_on: Option<Date>,
    pub status: DeadlineStatus,
    /// The limit in working days, or else in calendar days.
    pub working_days: Option<u32>,
    pub calendar_days: Option<u32>,
    /// Some day counted lies outside the years with holiday data: weekends only were used.
    pub calendar_assumed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum DeadlineKind {
    /// 整改期限 of a finding.
    Rectification,
    LabDelivery,
    LabReport,
    RecheckWindow,
    Disposal,
    /// 双随机: publishing a drawn target's result (公示), counted from the result.
    Publication,
}

impl DeadlineKind {
    pub const ALL: [DeadlineKind; 6] =
        [DeadlineKind::Rectification, DeadlineKind::LabDelivery, DeadlineKind::LabReport, DeadlineKind::RecheckWindow, DeadlineKind::Disposal, DeadlineKind::Publication];

    pub fn label(self) -> Text {
        match self {
            DeadlineKind::Rectification => Text::new("整改期限", "Rectification"),
            DeadlineKind::LabDelivery => Text::new("送检期限", "Delivery to the lab"),
            DeadlineKind::LabReport => Text::new("检验报告期限", "Lab report"),
            DeadlineKind::RecheckWindow => Text::new("复检申请期限", "Window for a re-test"),
            DeadlineKind::Disposal => Text::new("核查处置期限", "Follow-up and disposal"),
            DeadlineKind::Publication => Text::new("抽查结果公示期限", "Publication of the result"),
        }
    }
}

/// The compliance verdict on one visit.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub visit_id: Option<String>,
    /// The visit's local date: rules in force on this day apply.
    pub visit_date: Option<Date>,
    /// The day deadlines are judged on.
    pub as_of: Date,
    /// No violation found (notices do not count).
    pub compliant: bool,
    pub findings: Vec<Finding>,
    pub deadlines: Vec<Deadline>,
    pub rulebook_version: String,
    /// Things the officer should know about the evaluation itself.
    pub notes: Vec<Text>,
}
