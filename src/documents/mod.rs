//! On-site documents (现场文书): what the law requires an officer to make and
//! hand over on the spot, made by the core from a finalised visit and its
//! evaluation — so the tablet prints the same documents HQ archives.
//!
//! - [`template`]: templates and the legal minimum of each kind, as data;
//! - [`elements`]: where each element comes from in the record.
//!
//! A document that lacks a required element is not made: it is listed as
//! refused, with a problem (`DOCUMENT_ELEMENT_MISSING`) at the field to fill.
//! Law: procedure.md §1 (处罚程序规定 Arts. 21–31, 43, 82, 86; 特种设备安全法
//! Art. 62; 特种设备监督检查办法 Arts. 21, 27; 食品安全抽样检验管理办法).

pub mod delivery;
pub mod elements;
pub mod template;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::error::CoreError;
use crate::problem::{Problem, ProblemCode, Text};
use crate::visit::{RecordStatus, Visit};
use crate::Evaluation;
use elements::{fill, Element, Source, Value};
pub use template::{TemplateSet, TemplatesError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum DocumentKind {
    /// 现场笔录 / 现场检查笔录: every visit.
    OnSiteRecord,
    /// 责令改正通知书: findings that order a correction.
    CorrectionOrder,
    /// 特种设备安全监察指令书: special-equipment findings.
    EquipmentDirective,
    /// 抽样单: one per sample.
    SamplingRecord,
    /// 封条: one per sample, to print and stick on.
    SealLabel,
    /// 送达回证: what was handed over.
    DeliveryReceipt,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 6] =
        [DocumentKind::OnSiteRecord, DocumentKind::CorrectionOrder, DocumentKind::EquipmentDirective, DocumentKind::SamplingRecord, DocumentKind::SealLabel, DocumentKind::DeliveryReceipt];

    /// Whether it is handed to the party (and so listed on the 送达回证 and
    /// marked as delivered): not the record, kept by the bureau, nor the seal
    /// label, stuck on the sample, nor the 送达回证 itself.
    pub fn is_handed_over(self) -> bool {
        !matches!(self, DocumentKind::OnSiteRecord | DocumentKind::SealLabel | DocumentKind::DeliveryReceipt)
    }

    /// Whether it carries a document number (文号): every document but the seal
    /// label, which is named by its sample's sampling number instead.
    pub fn is_numbered(self) -> bool {
        self != DocumentKind::SealLabel
    }

    /// The usual name, for messages (a template's own title is printed).
    pub fn title(self) -> Text {
        match self {
            DocumentKind::OnSiteRecord => Text::new("现场笔录", "On-site record"),
            DocumentKind::CorrectionOrder => Text::new("责令改正通知书", "Order to correct"),
            DocumentKind::EquipmentDirective => Text::new("特种设备安全监察指令书", "Special-equipment safety directive"),
            DocumentKind::SamplingRecord => Text::new("抽样单", "Sampling record"),
            DocumentKind::SealLabel => Text::new("封条", "Seal label"),
            DocumentKind::DeliveryReceipt => Text::new("送达回证", "Proof of delivery"),
        }
    }

    fn key(self) -> &'static str {
        match self {
            DocumentKind::OnSiteRecord => "onSiteRecord",
            DocumentKind::CorrectionOrder => "correctionOrder",
            DocumentKind::EquipmentDirective => "equipmentDirective",
            DocumentKind::SamplingRecord => "samplingRecord",
            DocumentKind::SealLabel => "sealLabel",
            DocumentKind::DeliveryReceipt => "deliveryReceipt",
        }
    }
}

/// One document, ready to render: its parts in the template's order.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub kind: DocumentKind,
    /// Unique within the visit: the kind, then the sample's index for per-sample documents.
    pub key: String,
    pub title: Text,
    /// The template it was made from: region and the day it took effect.
    pub template: String,
    pub copies: Option<u32>,
    /// Its number (文号) as printed, from the visit's `documentNumbers`.
    pub number: Option<String>,
    pub visit_id: Option<String>,
    /// SHA-256 of the finalised record (the same hash as sync): what the document rests on.
    pub record_sha256: String,
    pub parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Part {
    pub element: Element,
    pub label: Text,
    pub value: Value,
}

/// A document the visit needs but which could not be made, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct RefusedDocument {
    pub kind: DocumentKind,
    pub key: String,
    pub title: Text,
    pub problems: Vec<Problem>,
}

/// The documents of one visit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct DocumentSet {
    pub documents: Vec<Document>,
    pub refused: Vec<RefusedDocument>,
    /// The template set's version.
    pub templates_version: String,
    /// The keys of the documents made that take a number and have none in the
    /// visit: what the tablet numbers from its leased block when finalising.
    pub unnumbered: Vec<String>,
    /// The keys of the documents made that are handed to the party (each marked when delivered).
    pub to_hand_over: Vec<String>,
}

/// Who issues the documents, and which province's templates apply.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Issuer {
    /// The issuing bureau's full name (e.g. 福州市鼓楼区市场监督管理局).
    pub bureau: Option<String>,
    /// The province whose templates apply; the national ones otherwise.
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DocumentError {
    /// Documents are evidence of a finished visit: a draft has none.
    NotFinalised,
    /// No template is in force on the visit's day.
    NoTemplate,
}

impl CoreError for DocumentError {
    fn code(&self) -> &'static str {
        match self {
            DocumentError::NotFinalised => "NOT_FINALISED",
            DocumentError::NoTemplate => "NO_TEMPLATE",
        }
    }
    fn message(&self) -> Text {
        match self {
            DocumentError::NotFinalised => Text::new("检查记录尚未定稿，不能制作文书", "the visit is not finalised, so no documents can be made"),
            DocumentError::NoTemplate => Text::new("检查当日没有生效的文书模板", "no document template was in force on the day of the visit"),
        }
    }
}

/// The documents a finalised visit needs, each made from the template in force
/// on the visit's day, or refused with the problems that stop it. `record` is
/// the visit as stored and synced: the documents carry its content hash (the
/// one HQ holds), which a typed copy written back out would not reproduce.
pub fn make_documents(record: &serde_json::Value, evaluation: &Evaluation, templates: &TemplateSet, issuer: &Issuer) -> Result<DocumentSet, DocumentError> {
    let visit: Visit = crate::decode::decode_trusted(record.clone()).ok_or(DocumentError::NotFinalised)?;
    let visit = &visit;
    if visit.status != Some(RecordStatus::Finalised) {
        return Err(DocumentError::NotFinalised);
    }
    let day = visit.started_at.map(|t| t.date_naive()).ok_or(DocumentError::NotFinalised)?;
    let template = templates.template_for(issuer.region.as_deref(), day).ok_or(DocumentError::NoTemplate)?;
    let record_sha256 = crate::sync::content_sha256(record);

    // What the visit needs: the record always; orders for the findings that call for them; per sample its 抽样单 and 封条.
    // An operator not found was given nothing and signs nothing: no documents.
    let mut wanted: Vec<(DocumentKind, Option<usize>)> = if visit.unreachable.is_some() { Vec::new() } else { vec![(DocumentKind::OnSiteRecord, None)] };
    if evaluation.findings.iter().any(elements::orders_correction) {
        wanted.push((DocumentKind::CorrectionOrder, None));
    }
    if evaluation.findings.iter().any(elements::directs_equipment) {
        wanted.push((DocumentKind::EquipmentDirective, None));
    }
    for i in 0..visit.samples.len() {
        wanted.push((DocumentKind::SamplingRecord, Some(i)));
        wanted.push((DocumentKind::SealLabel, Some(i)));
    }

    let mut set = DocumentSet { documents: Vec::new(), refused: Vec::new(), templates_version: templates.version.clone(), unnumbered: Vec::new(), to_hand_over: Vec::new() };
    let number_of = |key: &str| visit.document_numbers.iter().find(|n| n.document.as_deref() == Some(key)).and_then(|n| n.text());
    let make = |kind: DocumentKind, sample: Option<usize>, handed_over: &[String], set: &mut DocumentSet| {
        let Some(doc_template) = template.documents.get(&kind).or_else(|| templates.template_for(None, day).and_then(|t| t.documents.get(&kind))) else { return };
        let key = match sample {
            Some(i) => format!("{}/{i}", kind.key()),
            None => kind.key().to_string(),
        };
        let source = Source { visit, evaluation, sample: sample.and_then(|i| visit.samples.get(i).map(|s| (i, s))), bureau: issuer.bureau.as_deref(), copies: doc_template.copies, handed_over };
        let required = templates.requirements(kind);
        let mut parts = Vec::new();
        let mut problems = Vec::new();
        for e in &doc_template.elements {
            let value = match (&e.element, &e.text) {
                (Element::Text(_), Some(t)) => Ok(Some(Value::Statement { text: t.clone() })),
                (element, _) => fill(element, &source),
            };
            match value {
                Ok(Some(value)) => parts.push(Part { element: e.element.clone(), label: e.label.clone(), value }),
                // Nothing to show: a required element is missing; an optional one is struck through with "/" (a form's blanks may not be left empty).
                Ok(None) | Err(_) if !required.iter().any(|r| r.element == e.element) => {
                    parts.push(Part { element: e.element.clone(), label: e.label.clone(), value: Value::Text { text: "/".into() } })
                }
                Ok(None) => problems.push(missing_problem(kind, &e.label, required, &e.element, "")),
                Err(m) => problems.push(missing_problem(kind, &e.label, required, &e.element, &m.path)),
            }
        }
        if problems.is_empty() {
            let number = number_of(&key);
            if number.is_none() && kind.is_numbered() {
                set.unnumbered.push(key.clone());
            }
            set.documents.push(Document {
                kind,
                key,
                title: doc_template.title.clone(),
                template: format!("{} {}", template.region, template.effective_from),
                copies: doc_template.copies,
                number,
                visit_id: visit.id.clone(),
                record_sha256: record_sha256.clone(),
                parts,
            });
        } else {
            set.refused.push(RefusedDocument { kind, key, title: doc_template.title.clone(), problems });
        }
    };
    for (kind, sample) in wanted {
        make(kind, sample, &[], &mut set);
    }
    // The 送达回证 lists what was handed over: every document made except the record itself and the seal labels.
    let handed_over: Vec<String> = set
        .documents
        .iter()
        .filter(|d| d.kind.is_handed_over())
        .map(|d| {
            let named = match d.kind {
                DocumentKind::SamplingRecord => format!("{}（{}）", d.title.zh, sample_no(visit, &d.key)),
                _ => d.title.zh.clone(),
            };
            match &d.number {
                Some(n) => format!("{named} {n}"),
                None => named,
            }
        })
        .collect();
    if !handed_over.is_empty() {
        make(DocumentKind::DeliveryReceipt, None, &handed_over, &mut set);
    }
    set.to_hand_over = set.documents.iter().filter(|d| d.kind.is_handed_over()).map(|d| d.key.clone()).collect();
    Ok(set)
}

fn sample_no(visit: &Visit, key: &str) -> String {
    key.rsplit('/').next().and_then(|i| i.parse::<usize>().ok()).and_then(|i| visit.samples.get(i)).and_then(|s| s.sample_no.clone()).unwrap_or_default()
}

fn missing_problem(kind: DocumentKind, label: &Text, required: &[template::Requirement], element: &Element, path: &str) -> Problem {
    let basis = required.iter().find(|r| &r.element == element).map(|r| r.basis.as_str()).unwrap_or("");
    Problem::new(
        ProblemCode::DocumentElementMissing,
        path,
        Text::new(format!("{}缺少“{}”（{}）", kind.title().zh, label.zh, basis), format!("the {} lacks “{}” ({})", kind.title().en.to_ascii_lowercase(), label.en, basis)),
    )
}
