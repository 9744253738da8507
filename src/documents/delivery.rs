//! Handing the documents over (送达): which of a finalised visit's documents
//! were delivered, when and how. A record of its own, revised as the officer
//! marks each one, because the visit is evidence and never changes after
//! finalising. How a delivery counts is 处罚程序规定 Art. 82 (and 民事诉讼法's
//! delivery rules it refers to): handed to the party, who signs the 送达回证;
//! refused, and left at the place with the refusal recorded by photo or video;
//! or electronically, to an address the party confirmed in writing (送达地址确认书).

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::check::{Checks, Label, Ptr};
use crate::problem::{ProblemCode, Text};
use crate::time::Timestamp;
use crate::visit::Attachment;

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct DeliveryRecord {
    pub schema_version: Option<u32>,
    /// UUID made on the device.
    pub id: Option<String>,
    /// The visit whose documents these are.
    pub visit_id: Option<String>,
    pub deliveries: Vec<Delivery>,
    /// Photos or videos of a refused delivery left at the place, by hash.
    pub attachments: Vec<Attachment>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Delivery {
    /// The document's key within the visit (as `visitDocuments` names it).
    pub document: Option<String>,
    /// Its number as printed, for the list.
    pub number: Option<String>,
    pub method: Option<DeliveryMethod>,
    pub delivered_at: Option<Timestamp>,
    /// Who received it (直接送达).
    pub recipient: Option<String>,
    /// The photo or video of the refusal and of leaving it (留置送达).
    pub evidence_sha256: Option<String>,
    /// The party confirmed the address in writing (电子送达).
    pub address_confirmed: Option<bool>,
    /// Where it was sent (电子送达: the confirmed e-mail or number).
    pub address: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum DeliveryMethod {
    /// 直接送达: handed over, the recipient signs.
    Direct,
    /// 留置送达: refused, left at the place, recorded by photo or video.
    LeftAfterRefusal,
    /// 电子送达: to the address the party confirmed in writing.
    Electronic,
}

/// Each method with its name and what it needs: what the tablet offers (the
/// core's words, so no label is written twice).
#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct MethodInfo {
    pub value: DeliveryMethod,
    pub label: Text,
    /// The field this method needs besides the time: `recipient`, `evidenceSha256` or `address`.
    pub needs: &'static str,
    pub basis: &'static str,
}

pub fn methods() -> Vec<MethodInfo> {
    vec![
        MethodInfo {
            value: DeliveryMethod::Direct, label: Text::new("直接送达（当事人签收）", "Handed over (the party signs)"), needs: "recipient", basis: "处罚程序规定第八十二条"
        },
        MethodInfo {
            value: DeliveryMethod::LeftAfterRefusal,
            label: Text::new("留置送达（拒收，拍照或录像留存）", "Left after refusal (photo or video kept)"),
            needs: "evidenceSha256",
            basis: "处罚程序规定第八十二条；民事诉讼法第八十九条",
        },
        MethodInfo {
            value: DeliveryMethod::Electronic,
            label: Text::new("电子送达（当事人书面确认地址）", "Electronic (address confirmed in writing)"),
            needs: "address",
            basis: "处罚程序规定第八十二条",
        },
    ]
}

/// The data problems of a delivery record.
pub fn validate_delivery_fields(r: &DeliveryRecord, c: &mut Checks) {
    let root = Ptr::root();
    if r.schema_version.is_none() {
        c.missing(&root.key("schemaVersion"), Label("记录格式版本", "schema version"));
    }
    c.id(&r.id, &root.key("id"));
    c.id(&r.visit_id, &root.key("visitId"));
    let list = root.key("deliveries");
    for (i, d) in r.deliveries.iter().enumerate() {
        let at = list.index(i);
        c.require_text(&d.document, &at.key("document"), Label("送达的文书", "document delivered"));
        c.require(&d.delivered_at, &at.key("deliveredAt"), Label("送达时间", "time of delivery"));
        c.time_not_future(d.delivered_at.as_ref(), &at.key("deliveredAt"), Label("送达时间", "time of delivery"));
        match c.require(&d.method, &at.key("method"), Label("送达方式", "way of delivery")) {
            Some(DeliveryMethod::Direct) => {
                c.require_text(&d.recipient, &at.key("recipient"), Label("签收人", "recipient"));
            }
            Some(DeliveryMethod::LeftAfterRefusal) => {
                if let Some(h) = c.require_text(&d.evidence_sha256, &at.key("evidenceSha256"), Label("留置送达的照片或录像", "photo or video of leaving it")) {
                    if !r.attachments.iter().any(|a| a.sha256.as_deref() == Some(h)) {
                        c.push(
                            ProblemCode::Required,
                            &at.key("evidenceSha256"),
                            "留置送达的照片或录像未随记录保存".into(),
                            "the photo or video of leaving it is not among the record's attachments".into(),
                        );
                    }
                }
            }
            Some(DeliveryMethod::Electronic) => {
                c.require_text(&d.address, &at.key("address"), Label("电子送达地址", "delivery address"));
                if d.address_confirmed != Some(true) {
                    c.push(
                        ProblemCode::Required,
                        &at.key("addressConfirmed"),
                        "电子送达须当事人书面确认送达地址（送达地址确认书）".into(),
                        "electronic delivery needs the party's written confirmation of the address".into(),
                    );
                }
            }
            None => {}
        }
    }
    c.no_duplicates(r.deliveries.iter().enumerate().map(|(i, d)| (list.index(i).key("document"), d.document.as_deref())), Label("送达的文书", "document delivered"));
}
