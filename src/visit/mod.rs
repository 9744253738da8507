//! The inspection visit (一次现场检查): one stop at one operator, by at least
//! two officers, holding any mix of the four kinds of check.
//!
//! Every field is optional in the *type* so that an incomplete draft can be
//! read and shown; what is required is decided by validation, which says so
//! in the officer's words instead of failing to parse.

pub mod lifecycle;
mod validate;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::equipment::EquipmentCheck;
use crate::metrology::InstrumentCheck;
use crate::price::PriceCheck;
use crate::problem::{ProblemCode, Text};
use crate::sampling::Sample;
use crate::time::Timestamp;

pub use validate::validate_visit_fields;

/// The record schema this core reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Visit {
    pub schema_version: Option<u32>,
    /// UUID v7 made on the device.
    pub id: Option<String>,
    pub status: Option<RecordStatus>,
    /// Set when this record corrects a finalised one; the original is kept as it was.
    pub amends: Option<Amendment>,
    /// The 双随机 task this visit carries out (`draw::tasks::Task::id`), when started from one.
    pub task_id: Option<String>,
    /// The operator could not be inspected (not found at its registered
    /// address, closed): a result of its own, with no checks, signature or documents.
    pub unreachable: Option<Unreachable>,
    pub operator: Option<Operator>,
    pub site: Option<Site>,
    pub officers: Vec<Officer>,
    /// The opening steps the law requires before evidence is taken (告知).
    pub notice: Option<Notice>,
    pub started_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    pub location: Option<GeoPoint>,
    /// Photos and signature images, by content hash; the bytes travel separately.
    pub attachments: Vec<Attachment>,
    pub signature: Option<Signature>,
    pub refusal: Option<SignatureRefusal>,
    pub price_checks: Vec<PriceCheck>,
    pub instrument_checks: Vec<InstrumentCheck>,
    pub equipment_checks: Vec<EquipmentCheck>,
    pub samples: Vec<Sample>,
    pub notes: Option<String>,
    pub finalised_at: Option<Timestamp>,
    /// Warnings the officer saw and confirmed before finalising.
    pub confirmed_warnings: Vec<ConfirmedWarning>,
    /// Its documents' numbers, taken on finalising from a block HQ leased to the
    /// device ahead of time (so two tablets offline never give out the same one).
    pub document_numbers: Vec<DocumentNumber>,
}

/// Why the officers could not inspect the operator they went to.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Unreachable {
    pub reason: Option<UnreachableReason>,
    /// What the officers found (required for `other`).
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum UnreachableReason {
    /// 通过登记的住所（经营场所）无法联系: not found at the registered address.
    NotFoundAtAddress,
    /// 已停业、歇业: the premises are closed for business.
    Closed,
    Other,
}

impl UnreachableReason {
    pub const ALL: [UnreachableReason; 3] = [UnreachableReason::NotFoundAtAddress, UnreachableReason::Closed, UnreachableReason::Other];
    pub fn label(self) -> Text {
        match self {
            UnreachableReason::NotFoundAtAddress => Text::new("通过登记的住所（经营场所）无法联系", "Not found at the registered address"),
            UnreachableReason::Closed => Text::new("已停业或歇业", "Closed for business"),
            UnreachableReason::Other => Text::new("其他原因未能检查", "Not inspected for another reason"),
        }
    }
}

/// One document's number: the bureau's prefix, the year and a serial from a
/// block HQ leased; printed as `{prefix}〔{year}〕第 {serial:04} 号`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct DocumentNumber {
    /// The document's key within the visit (as `visitDocuments` names it).
    pub document: Option<String>,
    pub prefix: Option<String>,
    pub year: Option<i32>,
    pub serial: Option<u32>,
}

impl DocumentNumber {
    /// As printed: `鼓市监〔2026〕第 0012 号`.
    pub fn text(&self) -> Option<String> {
        Some(format!("{}〔{}〕第 {:04} 号", self.prefix.as_deref().unwrap_or(""), self.year?, self.serial?))
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum RecordStatus {
    #[default]
    Draft,
    /// Legal evidence from here on: never edited in place.
    Finalised,
    /// A draft the officer gave up: kept at HQ as a tombstone in the record's
    /// revisions (nothing entered is lost), no longer listed or counted.
    Discarded,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Amendment {
    /// The id of the record this one corrects.
    pub original_id: Option<String>,
    pub reason: Option<String>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Operator {
    pub name: Option<String>,
    pub address: Option<String>,
    /// 统一社会信用代码 (GB 32100-2015), or "无" with `noCreditCodeReason`.
    pub credit_code: Option<String>,
    /// Why there is no code (e.g. an individual stall without a licence).
    pub no_credit_code_reason: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Site {
    pub name: Option<String>,
    pub address: Option<String>,
    pub kind: Option<SiteKind>,
    /// The city (设区的市), for the city's own price-tag requirements.
    pub city: Option<String>,
    /// The market or mall this site belongs to, for summaries by market.
    pub market_id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum SiteKind {
    FarmersMarket,
    Supermarket,
    Shop,
    Pharmacy,
    PetrolStation,
    Restaurant,
    Mall,
    ResidentialBuilding,
    Factory,
    Other,
}

impl SiteKind {
    pub const ALL: [SiteKind; 10] = [
        SiteKind::FarmersMarket,
        SiteKind::Supermarket,
        SiteKind::Shop,
        SiteKind::Pharmacy,
        SiteKind::PetrolStation,
        SiteKind::Restaurant,
        SiteKind::Mall,
        SiteKind::ResidentialBuilding,
        SiteKind::Factory,
        SiteKind::Other,
    ];

    pub fn label(self) -> Text {
        match self {
            SiteKind::FarmersMarket => Text::new("农贸市场", "Farmers' market"),
            SiteKind::Supermarket => Text::new("超市", "Supermarket"),
            SiteKind::Shop => Text::new("商店", "Shop"),
            SiteKind::Pharmacy => Text::new("药店", "Pharmacy"),
            SiteKind::PetrolStation => Text::new("加油站", "Petrol station"),
            SiteKind::Restaurant => Text::new("餐饮", "Restaurant"),
            SiteKind::Mall => Text::new("商场", "Mall"),
            SiteKind::ResidentialBuilding => Text::new("住宅楼", "Residential building"),
            SiteKind::Factory => Text::new("工厂", "Factory"),
            SiteKind::Other => Text::new("其他", "Other"),
        }
    }
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Officer {
    pub name: Option<String>,
    /// 执法证号.
    pub certificate_no: Option<String>,
    /// The officer's account id at HQ, when known.
    pub user_id: Option<String>,
}

/// What the officers did and said before taking evidence: show their
/// certificates (行政处罚法 Art. 55; 处罚程序规定 Art. 22) and tell the party of
/// its rights to state its case and to ask for an officer's recusal
/// (处罚程序规定 Art. 21 ¶2). The 现场笔录 records both, and the party's answer.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Notice {
    /// 已出示执法证件.
    pub credentials_shown: Option<bool>,
    /// 已告知陈述、申辩、申请回避的权利.
    pub rights_told: Option<bool>,
    /// 当事人申请回避.
    pub recusal_requested: Option<bool>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct GeoPoint {
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub accuracy_m: Option<f64>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Attachment {
    /// SHA-256 of the bytes, 64 lowercase hex digits.
    pub sha256: Option<String>,
    pub media_type: Option<String>,
    pub size_bytes: Option<u64>,
    pub caption: Option<String>,
    pub taken_at: Option<Timestamp>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Signature {
    pub signer_name: Option<String>,
    /// The signature image, listed in `attachments`.
    pub image_sha256: Option<String>,
    pub signed_at: Option<Timestamp>,
}

/// The operator refused to sign (拒绝签字): a note, and a sound or video
/// recording of it; a witness is optional. 处罚程序规定 Art. 43 asks for the
/// note *and* 录音、录像, 「必要时」 a witness; a refusal with neither a
/// recording nor a witness is not finalised.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct SignatureRefusal {
    pub note: Option<String>,
    /// The recording, listed in `attachments` (audio/* or video/*).
    pub recording_sha256: Option<String>,
    pub witness_name: Option<String>,
    pub witness_contact: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmedWarning {
    pub code: ProblemCode,
    pub path: String,
}
