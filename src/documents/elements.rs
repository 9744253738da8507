//! The elements a document can hold, and how each is filled from the visit,
//! its evaluation and the issuing bureau. A template picks and orders them;
//! the core alone knows where in the record each one comes from, so that a
//! missing one is reported at the field the officer must fill.

use chrono::{Datelike, Timelike};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::finding::Finding;
use crate::problem::Text;
use crate::rules::{CheckKind, FindingLevel, LegalBasis, Measure};
use crate::sampling::Sample;
use crate::time::{Date, Timestamp};
use crate::visit::Visit;
use crate::Evaluation;

macro_rules! elements {
    ($( $(#[$doc:meta])* $name:ident = $wire:literal, )*) => {
        /// An element of a document: filled from the record (`party.name`…)
        /// or fixed wording of the template (`text.…`).
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub enum Element {
            $( $(#[$doc])* $name, )*
            /// Wording the template supplies (告知, remedies, delivery methods…).
            Text(String),
        }

        impl Element {
            /// Every element filled from the record.
            pub const FROM_RECORD: &'static [Element] = &[$(Element::$name),*];

            pub fn as_str(&self) -> &str {
                match self { $(Element::$name => $wire,)* Element::Text(key) => key }
            }
        }

        /// Written as its name, as serde writes it (`into = "String"`).
        impl crate::encode::ToJson for Element {
            fn write_json(&self, out: &mut String) {
                crate::encode::write_str(self.as_str(), out)
            }
        }

        impl crate::encode::JsonKey for Element {
            fn key_text(&self) -> String {
                self.as_str().to_string()
            }
        }

        impl TryFrom<String> for Element {
            type Error = String;
            fn try_from(s: String) -> Result<Element, String> {
                match s.as_str() {
                    $($wire => Ok(Element::$name),)*
                    _ if s.starts_with("text.") && s.len() > 5 => Ok(Element::Text(s)),
                    _ => Err(format!("unknown element “{s}”")),
                }
            }
        }
    };
}

elements! {
    PartyName = "party.name",
    PartyCreditCode = "party.creditCode",
    PartyAddress = "party.address",
    PartyContact = "party.contact",
    VisitPeriod = "visit.period",
    VisitPlace = "visit.place",
    /// The officers with their certificate numbers (at least two).
    VisitOfficers = "visit.officers",
    /// Certificates shown, rights told, 是否申请回避.
    VisitNotice = "visit.notice",
    /// Every check, item by item, with its result.
    VisitChecks = "visit.checks",
    /// Every finding with its basis, measures and deadline.
    VisitFindings = "visit.findings",
    /// The hashes of the photos and recordings the record rests on.
    VisitEvidence = "visit.evidence",
    VisitNotes = "visit.notes",
    /// The party's signature, or the refusal note.
    PartyConfirmation = "party.confirmation",
    OfficerSignatures = "officers.signatures",
    /// The findings whose measure orders a correction.
    OrderFindings = "order.findings",
    /// Special-equipment findings, with the directive's measures.
    DirectiveFindings = "directive.findings",
    SampleNumber = "sample.number",
    SampleProduct = "sample.product",
    SampleBatch = "sample.batch",
    SampleQuantities = "sample.quantities",
    SampleSeals = "sample.seals",
    SampleSealView = "sample.sealView",
    SampleSamplers = "sample.samplers",
    SampleProducer = "sample.producer",
    SamplePrice = "sample.price",
    /// The documents handed over (for the 送达回证).
    DeliveryDocuments = "delivery.documents",
    RecipientSignature = "recipient.signature",
    BureauName = "bureau.name",
    IssueDate = "document.date",
    Copies = "document.copies",
}

impl From<Element> for String {
    fn from(e: Element) -> String {
        e.as_str().to_string()
    }
}

impl Element {
    pub fn is_text(&self) -> bool {
        matches!(self, Element::Text(_))
    }
}

/// What an element holds on the document.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::encode::ToJson)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Value {
    Text {
        text: String,
    },
    Lines {
        lines: Vec<String>,
    },
    Table {
        columns: Vec<Text>,
        rows: Vec<Vec<String>>,
    },
    /// Fixed wording of the template.
    Statement {
        text: Text,
    },
    /// Places to sign: with the captured signature where there is one.
    Signatures {
        signers: Vec<Signer>,
    },
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Signer {
    pub role: Text,
    pub name: Option<String>,
    /// The signature image (an attachment), when signed on the tablet.
    pub image_sha256: Option<String>,
    pub signed_at: Option<String>,
}

/// A required element the record does not fill: where the officer fills it.
pub struct Missing {
    pub path: String,
}

/// What an element is filled from.
pub struct Source<'a> {
    pub visit: &'a Visit,
    pub evaluation: &'a Evaluation,
    /// The sample a per-sample document is about, with its index.
    pub sample: Option<(usize, &'a Sample)>,
    pub bureau: Option<&'a str>,
    pub copies: Option<u32>,
    /// Titles of the other documents handed over (for the 送达回证).
    pub handed_over: &'a [String],
}

fn missing(path: impl Into<String>) -> Result<Option<Value>, Missing> {
    Err(Missing { path: path.into() })
}

fn text(s: impl Into<String>) -> Result<Option<Value>, Missing> {
    Ok(Some(Value::Text { text: s.into() }))
}

fn filled(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// 2026年03月10日 09时30分, in the visit's own offset (the officer's local time).
pub fn date_time_zh(t: &Timestamp) -> String {
    format!("{}年{:02}月{:02}日 {:02}时{:02}分", t.year(), t.month(), t.day(), t.hour(), t.minute())
}

pub fn date_zh(d: Date) -> String {
    format!("{}年{:02}月{:02}日", d.year(), d.month(), d.day())
}

fn basis_zh(basis: &[LegalBasis]) -> String {
    basis.iter().map(|b| format!("{}{}", b.law.zh, b.article.zh)).collect::<Vec<_>>().join("；")
}

fn measures_zh(measures: &[Measure]) -> String {
    measures.iter().map(|m| m.text().zh).collect::<Vec<_>>().join("、")
}

fn deadline_zh(f: &Finding) -> String {
    match f.rectify_by {
        Some(d) => format!("{}前", date_zh(d)),
        None if f.measures.contains(&Measure::OrderRectify) || f.measures.contains(&Measure::OrderStopUse) => "立即".into(),
        None => "/".into(),
    }
}

/// The check a finding is about, by its path (`/priceChecks/0/…`).
fn item_name(v: &Visit, path: &str) -> String {
    let mut parts = path.trim_start_matches('/').split('/');
    let (list, i) = (parts.next().unwrap_or_default(), parts.next().and_then(|i| i.parse::<usize>().ok()));
    let Some(i) = i else { return "/".into() };
    match list {
        "priceChecks" => v.price_checks.get(i).and_then(|c| filled(&c.item_name)).unwrap_or("/").to_string(),
        "instrumentChecks" => v.instrument_checks.get(i).map(|c| joined(c.instrument_type.map(|t| t.label().zh), &c.serial_no)).unwrap_or_default(),
        "equipmentChecks" => {
            v.equipment_checks.get(i).map(|c| joined(c.kind.map(|k| k.label().zh), if filled(&c.registration_no).is_some() { &c.registration_no } else { &c.equipment_code })).unwrap_or_default()
        }
        "samples" => v.samples.get(i).map(|s| joined(s.product_name.clone(), &s.sample_no)).unwrap_or_default(),
        _ => "/".into(),
    }
}

fn joined(name: Option<String>, no: &Option<String>) -> String {
    match (name, filled(no)) {
        (Some(n), Some(no)) => format!("{n}（{no}）"),
        (Some(n), None) => n,
        (None, Some(no)) => no.to_string(),
        (None, None) => "/".into(),
    }
}

fn finding_rows<'a>(v: &Visit, findings: impl Iterator<Item = &'a Finding>) -> Vec<Vec<String>> {
    findings.enumerate().map(|(i, f)| vec![(i + 1).to_string(), item_name(v, &f.path), f.message.zh.clone(), basis_zh(&f.basis), measures_zh(&f.measures), deadline_zh(f)]).collect()
}

fn finding_columns() -> Vec<Text> {
    vec![
        Text::new("序号", "No."),
        Text::new("检查对象", "Item"),
        Text::new("存在的问题", "What was found"),
        Text::new("违反的规定", "Provision"),
        Text::new("处理措施", "Measures"),
        Text::new("改正期限", "Correct by"),
    ]
}

/// Findings that order the party to correct something (not special equipment,
/// which has its own directive).
pub fn orders_correction(f: &Finding) -> bool {
    f.level == FindingLevel::Violation && f.kind != CheckKind::Equipment && f.measures.iter().any(|m| matches!(m, Measure::OrderRectify | Measure::OrderRectifyByDeadline | Measure::WithdrawFromSale))
}

/// Special-equipment findings that a 安全监察指令书 orders on.
pub fn directs_equipment(f: &Finding) -> bool {
    f.level == FindingLevel::Violation && f.kind == CheckKind::Equipment && f.measures.iter().any(|m| matches!(m, Measure::OrderRectify | Measure::OrderRectifyByDeadline | Measure::OrderStopUse))
}

/// The element's value for this document; `Ok(None)` when an optional element
/// has nothing to show, `Err` when the record lacks what a required one needs.
pub fn fill(element: &Element, src: &Source) -> Result<Option<Value>, Missing> {
    let v = src.visit;
    let op = v.operator.as_ref();
    let s = src.sample;
    let sp = |key: &str| s.map(|(i, _)| format!("/samples/{i}/{key}")).unwrap_or_else(|| "/samples".into());
    match element {
        Element::Text(_) => Ok(None),
        Element::PartyName => match op.and_then(|o| filled(&o.name)) {
            Some(n) => text(n),
            None => missing("/operator/name"),
        },
        Element::PartyCreditCode => match op.and_then(|o| filled(&o.credit_code)) {
            Some("无") => text(format!("无（{}）", op.and_then(|o| filled(&o.no_credit_code_reason)).unwrap_or("未说明原因"))),
            Some(code) => text(code),
            None => missing("/operator/creditCode"),
        },
        Element::PartyAddress => match op.and_then(|o| filled(&o.address)) {
            Some(a) => text(a),
            None => missing("/operator/address"),
        },
        Element::PartyContact => {
            let parts: Vec<&str> = op.map(|o| [filled(&o.contact_name), filled(&o.contact_phone)].into_iter().flatten().collect()).unwrap_or_default();
            if parts.is_empty() {
                Ok(None)
            } else {
                text(parts.join("  "))
            }
        }
        Element::VisitPeriod => match (&v.started_at, &v.ended_at) {
            (Some(a), Some(b)) => text(format!("{} 至 {}", date_time_zh(a), date_time_zh(b))),
            (Some(_), None) => missing("/endedAt"),
            (None, _) => missing("/startedAt"),
        },
        Element::VisitPlace => {
            let site = v.site.as_ref();
            let parts: Vec<&str> = site.map(|s| [filled(&s.name), filled(&s.address)].into_iter().flatten().collect()).unwrap_or_default();
            if parts.is_empty() {
                missing("/site/address")
            } else {
                text(parts.join("，"))
            }
        }
        Element::VisitOfficers => {
            for (i, o) in v.officers.iter().enumerate() {
                if filled(&o.name).is_none() {
                    return missing(format!("/officers/{i}/name"));
                }
                if filled(&o.certificate_no).is_none() {
                    return missing(format!("/officers/{i}/certificateNo"));
                }
            }
            if v.officers.len() < 2 {
                return missing("/officers");
            }
            let rows = v.officers.iter().map(|o| vec![o.name.clone().unwrap_or_default(), o.certificate_no.clone().unwrap_or_default()]).collect();
            Ok(Some(Value::Table { columns: vec![Text::new("姓名", "Name"), Text::new("执法证号", "Certificate no.")], rows }))
        }
        Element::VisitNotice => {
            let n = v.notice.clone().unwrap_or_default();
            if n.credentials_shown != Some(true) {
                return missing("/notice/credentialsShown");
            }
            if n.rights_told != Some(true) {
                return missing("/notice/rightsTold");
            }
            let Some(recusal) = n.recusal_requested else { return missing("/notice/recusalRequested") };
            Ok(Some(Value::Lines {
                lines: vec!["执法人员已出示执法证件。".into(), "已告知当事人享有陈述、申辩和申请回避的权利。".into(), format!("是否申请回避：{}", if recusal { "是" } else { "否" })],
            }))
        }
        Element::VisitChecks => {
            let mut rows = Vec::new();
            let mut add = |kind: CheckKind, list: &str, n: usize| {
                for i in 0..n {
                    let path = format!("/{list}/{i}");
                    let found: Vec<&str> = src
                        .evaluation
                        .findings
                        .iter()
                        .filter(|f| f.level == FindingLevel::Violation && (f.path == path || f.path.starts_with(&format!("{path}/"))))
                        .map(|f| f.title.zh.as_str())
                        .collect();
                    let result = if found.is_empty() { "未发现问题".to_string() } else { found.join("；") };
                    rows.push(vec![(rows.len() + 1).to_string(), kind.label().zh, item_name(v, &path), result]);
                }
            };
            add(CheckKind::Price, "priceChecks", v.price_checks.len());
            add(CheckKind::Metrology, "instrumentChecks", v.instrument_checks.len());
            add(CheckKind::Equipment, "equipmentChecks", v.equipment_checks.len());
            add(CheckKind::Sampling, "samples", v.samples.len());
            if rows.is_empty() {
                return missing("/priceChecks");
            }
            Ok(Some(Value::Table { columns: vec![Text::new("序号", "No."), Text::new("检查类别", "Kind"), Text::new("检查对象", "Item"), Text::new("检查结果", "Result")], rows }))
        }
        Element::VisitFindings => {
            let rows = finding_rows(v, src.evaluation.findings.iter().filter(|f| f.level == FindingLevel::Violation));
            if rows.is_empty() {
                Ok(Some(Value::Lines { lines: vec!["本次检查未发现违法违规问题。".into()] }))
            } else {
                Ok(Some(Value::Table { columns: finding_columns(), rows }))
            }
        }
        Element::VisitEvidence => {
            let lines: Vec<String> = v
                .attachments
                .iter()
                .map(|a| {
                    let what = match a.media_type.as_deref() {
                        Some(t) if t.starts_with("audio/") => "录音",
                        Some(t) if t.starts_with("video/") => "录像",
                        _ if v.signature.as_ref().and_then(|s| s.image_sha256.as_ref()) == a.sha256.as_ref() => "签名图像",
                        _ => "照片",
                    };
                    format!("{what}{} SHA-256：{}", a.caption.as_deref().map(|c| format!("（{c}）")).unwrap_or_default(), a.sha256.as_deref().unwrap_or("/"))
                })
                .collect();
            Ok(Some(Value::Lines { lines: if lines.is_empty() { vec!["无".into()] } else { lines } }))
        }
        Element::VisitNotes => match filled(&v.notes) {
            Some(n) => text(n),
            None => Ok(None),
        },
        Element::PartyConfirmation => match (&v.signature, &v.refusal) {
            (Some(sig), _) => Ok(Some(Value::Signatures {
                signers: vec![Signer {
                    role: Text::new("当事人", "Party"),
                    name: sig.signer_name.clone(),
                    image_sha256: sig.image_sha256.clone(),
                    signed_at: sig.signed_at.as_ref().map(date_time_zh),
                }],
            })),
            (None, Some(r)) => {
                let mut lines = vec![format!("当事人拒绝签名：{}", filled(&r.note).unwrap_or("/"))];
                if let Some(h) = filled(&r.recording_sha256) {
                    lines.push(format!("已录音录像，SHA-256：{h}"));
                }
                if let Some(w) = filled(&r.witness_name) {
                    lines.push(format!("见证人：{w}{}", filled(&r.witness_contact).map(|c| format!("（{c}）")).unwrap_or_default()));
                }
                Ok(Some(Value::Lines { lines }))
            }
            (None, None) => missing("/signature"),
        },
        Element::OfficerSignatures => {
            if v.officers.is_empty() {
                return missing("/officers");
            }
            Ok(Some(Value::Signatures {
                signers: v.officers.iter().map(|o| Signer { role: Text::new("执法人员", "Officer"), name: o.name.clone(), image_sha256: None, signed_at: None }).collect()
            }))
        }
        Element::OrderFindings => {
            let rows = finding_rows(v, src.evaluation.findings.iter().filter(|f| orders_correction(f)));
            if rows.is_empty() {
                return missing("/priceChecks");
            }
            Ok(Some(Value::Table { columns: finding_columns(), rows }))
        }
        Element::DirectiveFindings => {
            let rows = finding_rows(v, src.evaluation.findings.iter().filter(|f| directs_equipment(f)));
            if rows.is_empty() {
                return missing("/equipmentChecks");
            }
            Ok(Some(Value::Table { columns: finding_columns(), rows }))
        }
        Element::SampleNumber => match s.and_then(|(_, x)| filled(&x.sample_no)) {
            Some(n) => text(n),
            None => missing(sp("sampleNo")),
        },
        Element::SampleProduct => {
            let Some((_, x)) = s else { return missing(sp("productName")) };
            let Some(name) = filled(&x.product_name) else { return missing(sp("productName")) };
            let extra: Vec<String> = [filled(&x.brand).map(|b| format!("商标：{b}")), filled(&x.specification).map(|b| format!("规格型号：{b}"))].into_iter().flatten().collect();
            text(if extra.is_empty() { name.to_string() } else { format!("{name}（{}）", extra.join("，")) })
        }
        Element::SampleBatch => {
            let Some((_, x)) = s else { return missing(sp("batchNo")) };
            match (filled(&x.batch_no), x.production_date) {
                (None, None) => missing(sp("batchNo")),
                (b, d) => text([b.map(|b| format!("批号：{b}")), d.map(|d| format!("生产日期：{}", date_zh(d)))].into_iter().flatten().collect::<Vec<_>>().join("，")),
            }
        }
        Element::SampleQuantities => {
            let Some((_, x)) = s else { return missing(sp("testQuantity")) };
            let Some(unit) = filled(&x.quantity_unit) else { return missing(sp("quantityUnit")) };
            let Some(test) = x.test_quantity else { return missing(sp("testQuantity")) };
            let mut lines = vec![format!("检验样品：{} {unit}", number(test))];
            match x.backup_quantity {
                Some(b) => lines.push(format!("备份样品：{} {unit}", number(b))),
                None => lines.push("备份样品：/".into()),
            }
            if let Some(lot) = x.lot_size {
                lines.push(format!("抽样基数：{} {unit}", number(lot)));
            }
            Ok(Some(Value::Lines { lines }))
        }
        Element::SampleSeals => match s {
            Some((_, x)) if x.seal_nos.iter().any(|n| !n.trim().is_empty()) => text(x.seal_nos.join("、")),
            _ => missing(sp("sealNos")),
        },
        Element::SampleSealView => match s.and_then(|(_, x)| x.seal_view) {
            Some(view) => text(format!("被抽样单位对封样状态{}", view.label().zh)),
            None => missing(sp("sealView")),
        },
        Element::SampleSamplers => match s {
            Some((_, x)) if x.samplers.iter().filter(|n| !n.trim().is_empty()).count() >= 2 => Ok(Some(Value::Signatures {
                signers: x.samplers.iter().map(|n| Signer { role: Text::new("抽样人员", "Sampler"), name: Some(n.clone()), image_sha256: None, signed_at: None }).collect(),
            })),
            _ => missing(sp("samplers")),
        },
        Element::SampleProducer => match s {
            Some((_, x)) if filled(&x.producer_name).is_some() => text([filled(&x.producer_name), filled(&x.producer_address)].into_iter().flatten().collect::<Vec<_>>().join("，")),
            _ => Ok(None),
        },
        Element::SamplePrice => match s.and_then(|(_, x)| x.purchase_price) {
            Some(p) => text(format!("{} 元", number(p))),
            None => Ok(None),
        },
        Element::DeliveryDocuments => {
            if src.handed_over.is_empty() {
                return Ok(None);
            }
            Ok(Some(Value::Lines { lines: src.handed_over.to_vec() }))
        }
        Element::RecipientSignature => Ok(Some(Value::Signatures { signers: vec![Signer { role: Text::new("受送达人", "Recipient"), name: None, image_sha256: None, signed_at: None }] })),
        Element::BureauName => match src.bureau.map(str::trim).filter(|b| !b.is_empty()) {
            Some(b) => text(b),
            None => missing(""),
        },
        Element::IssueDate => match &v.started_at {
            Some(t) => text(date_zh(t.date_naive())),
            None => missing("/startedAt"),
        },
        Element::Copies => match src.copies {
            Some(n) => text(format!("一式{}份", chinese_count(n))),
            None => Ok(None),
        },
    }
}

/// A number as written on a form: no trailing ".0".
fn number(x: f64) -> String {
    let mut s = format!("{x:.3}");
    while s.contains('.') && (s.ends_with('0') || s.ends_with('.')) {
        s.pop();
    }
    s
}

fn chinese_count(n: u32) -> String {
    const DIGITS: [&str; 11] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    DIGITS.get(n as usize).map(|d| d.to_string()).unwrap_or_else(|| n.to_string())
}

// Read as serde reads them (a name checked by `TryFrom`; a tagged enum):
// the derive takes neither shape, and both are small.
crate::from_value_via_serde!(Element, Value);
