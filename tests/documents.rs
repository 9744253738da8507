//! On-site documents made by the core: goldens of every kind (each document's
//! structured content, exactly), the legal minimum enforced on templates, a
//! missing element named at the field to fill, and drafts refused.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use xuncha::documents::{make_documents, DocumentKind, DocumentSet, Issuer, TemplateSet};
use xuncha::time::Date;
use xuncha::{evaluate_visit_json, Rulebook};

const BUREAU: &str = "福州市鼓楼区市场监督管理局";

fn day() -> Date {
    "2026-03-10".parse().unwrap()
}

/// The complete visit, with what the documents need beyond validation: the
/// opening notice and the sampled unit's view on the sealing.
fn complete() -> Value {
    let mut v: Value = serde_json::from_str(include_str!("fixtures/visit_complete.json")).unwrap();
    v["notice"] = json!({ "credentialsShown": true, "rightsTold": true, "recusalRequested": false });
    v["samples"][0]["sealView"] = json!("noObjection");
    v
}

/// The complete visit with only one kind of check, and a violation in it.
fn golden_visit(kind: &str) -> Value {
    let mut v = complete();
    let o = v.as_object_mut().unwrap();
    for list in ["priceChecks", "instrumentChecks", "equipmentChecks", "samples"] {
        if list != kind {
            o.insert(list.into(), json!([]));
        }
    }
    match kind {
        "priceChecks" => v["priceChecks"][1]["tagPresent"] = json!(false),
        "instrumentChecks" => v["instrumentChecks"][0]["verification"]["validUntil"] = json!("2026-02-28"),
        "equipmentChecks" => v["equipmentChecks"][0]["nextInspectionDue"] = json!("2026-02-01"),
        _ => {}
    }
    v
}

fn documents_of(v: &Value, templates: &TemplateSet) -> DocumentSet {
    let eval = evaluate_visit_json(v.clone(), vec![], Rulebook::builtin(), day()).unwrap();
    make_documents(v, &eval, templates, &Issuer { bureau: Some(BUREAU.into()), region: None }).unwrap()
}

/// Compare with `tests/golden/documents/NAME.json`; `XUNCHA_BLESS=1` writes it.
fn golden(name: &str, got: &DocumentSet) {
    let path = format!("{}/tests/golden/documents/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = serde_json::to_string_pretty(got).unwrap() + "\n";
    if std::env::var_os("XUNCHA_BLESS").is_some() {
        std::fs::create_dir_all(std::path::Path::new(&path).parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(want == text, "{name}: the documents differ from {path} (XUNCHA_BLESS=1 to accept):\n{text}");
}

fn kinds(set: &DocumentSet) -> Vec<(DocumentKind, String)> {
    set.documents.iter().map(|d| (d.kind, d.key.clone())).collect()
}

fn text_of(set: &DocumentSet) -> String {
    serde_json::to_string(set).unwrap()
}

#[test]
fn every_kind_makes_its_documents_exactly() {
    let templates = TemplateSet::builtin();
    let price = documents_of(&golden_visit("priceChecks"), templates);
    assert!(price.refused.is_empty(), "{:?}", price.refused);
    assert_eq!(
        kinds(&price),
        [(DocumentKind::OnSiteRecord, "onSiteRecord".into()), (DocumentKind::CorrectionOrder, "correctionOrder".into()), (DocumentKind::DeliveryReceipt, "deliveryReceipt".into())]
    );
    golden("price", &price);

    let metrology = documents_of(&golden_visit("instrumentChecks"), templates);
    assert!(metrology.refused.is_empty(), "{:?}", metrology.refused);
    assert!(kinds(&metrology).iter().any(|(k, _)| *k == DocumentKind::CorrectionOrder), "{:?}", kinds(&metrology));
    golden("metrology", &metrology);

    let equipment = documents_of(&golden_visit("equipmentChecks"), templates);
    assert!(equipment.refused.is_empty(), "{:?}", equipment.refused);
    assert_eq!(
        kinds(&equipment),
        [(DocumentKind::OnSiteRecord, "onSiteRecord".into()), (DocumentKind::EquipmentDirective, "equipmentDirective".into()), (DocumentKind::DeliveryReceipt, "deliveryReceipt".into())]
    );
    golden("equipment", &equipment);

    let sampling = documents_of(&golden_visit("samples"), templates);
    assert!(sampling.refused.is_empty(), "{:?}", sampling.refused);
    assert_eq!(
        kinds(&sampling),
        [
            (DocumentKind::OnSiteRecord, "onSiteRecord".into()),
            (DocumentKind::SamplingRecord, "samplingRecord/0".into()),
            (DocumentKind::SealLabel, "sealLabel/0".into()),
            (DocumentKind::DeliveryReceipt, "deliveryReceipt".into())
        ]
    );
    golden("sampling", &sampling);

    // A compliant visit needs only its record.
    let clean = documents_of(&complete(), templates);
    assert!(clean.documents.iter().all(|d| d.kind != DocumentKind::CorrectionOrder && d.kind != DocumentKind::EquipmentDirective));
}

#[test]
fn the_record_holds_the_legal_elements() {
    let set = documents_of(&golden_visit("priceChecks"), TemplateSet::builtin());
    let record = &set.documents[0];
    let text = serde_json::to_string(record).unwrap();
    for needle in ["91350100M000100Y43", "2026年03月10日 09时30分 至 2026年03月10日 11时00分", "执法证号", "是否申请回避：否", "宰杀加工", "以上笔录已阅，与事实相符。", &"a".repeat(64)]
    {
        assert!(text.contains(needle), "the 现场笔录 lacks {needle}: {text}");
    }
    // The hash it rests on is the record's sync hash: the one HQ holds.
    assert_eq!(record.record_sha256, xuncha::sync::content_sha256(&golden_visit("priceChecks")));
    // The order names the bureau and the finding's basis and deadline.
    let order = text_of(&set);
    assert!(order.contains(BUREAU) && order.contains("明码标价"), "{order}");
}

#[test]
fn a_missing_element_refuses_the_document_and_names_the_field() {
    let mut v = golden_visit("samples");
    v["notice"]["rightsTold"] = json!(false);
    v["samples"][0].as_object_mut().unwrap().remove("sealView");
    let set = documents_of(&v, TemplateSet::builtin());
    let refused: Vec<(String, String, String)> = set.refused.iter().flat_map(|r| r.problems.iter().map(|p| (r.key.clone(), p.code.as_str().to_string(), p.path.clone()))).collect();
    assert_eq!(
        refused,
        [
            ("onSiteRecord".to_string(), "DOCUMENT_ELEMENT_MISSING".to_string(), "/notice/rightsTold".to_string()),
            ("samplingRecord/0".to_string(), "DOCUMENT_ELEMENT_MISSING".to_string(), "/samples/0/sealView".to_string()),
        ]
    );
    let message = &set.refused[0].problems[0].message.zh;
    assert!(message.contains("现场笔录") && message.contains("第二十一条"), "{message}");
    // The seal label does not need the view, so it is still made.
    assert!(set.documents.iter().any(|d| d.key == "sealLabel/0"));

    // Without the issuing bureau the order cannot be made.
    let v = golden_visit("priceChecks");
    let eval = evaluate_visit_json(v.clone(), vec![], Rulebook::builtin(), day()).unwrap();
    let set = make_documents(&v, &eval, TemplateSet::builtin(), &Issuer::default()).unwrap();
    assert!(set.refused.iter().any(|r| r.kind == DocumentKind::CorrectionOrder && r.problems[0].message.zh.contains("发文机关")), "{:?}", set.refused);
}

#[test]
fn a_draft_has_no_documents() {
    let mut v = complete();
    v["status"] = json!("draft");
    let eval = evaluate_visit_json(v.clone(), vec![], Rulebook::builtin(), day()).unwrap();
    let err = make_documents(&v, &eval, TemplateSet::builtin(), &Issuer::default()).unwrap_err();
    assert_eq!(xuncha::CoreError::code(&err), "NOT_FINALISED");
}

fn builtin_json() -> Value {
    serde_json::from_str(include_str!("../src/documents/templates.json")).unwrap()
}

#[test]
fn a_template_without_a_required_element_is_refused_by_name() {
    let mut t = builtin_json();
    let elements = t["templates"][0]["documents"]["onSiteRecord"]["elements"].as_array_mut().unwrap();
    elements.retain(|e| e["element"] != "visit.notice");
    let err = TemplateSet::from_json(&t.to_string()).unwrap_err();
    assert_eq!(err.reasons.len(), 1, "{:?}", err.reasons);
    assert!(err.reasons[0].contains("现场笔录") && err.reasons[0].contains("visit.notice") && err.reasons[0].contains("第二十一条"), "{:?}", err.reasons);

    let mut t = builtin_json();
    t["templates"][0]["documents"]["samplingRecord"]["elements"][0]["element"] = json!("sample.colour");
    let err = TemplateSet::from_json(&t.to_string()).unwrap_err();
    assert!(err.reasons[0].contains("sample.colour"), "{:?}", err.reasons);
}

#[test]
fn a_province_template_applies_from_its_day_and_falls_back_to_the_national_one() {
    let mut t = builtin_json();
    let mut province = t["templates"][0].clone();
    province["region"] = json!("福建省");
    province["effectiveFrom"] = json!("2026-03-01");
    province["documents"]["onSiteRecord"]["title"] = json!({ "zh": "现场检查笔录", "en": "On-site inspection record" });
    province["documents"].as_object_mut().unwrap().remove("sealLabel");
    t["templates"].as_array_mut().unwrap().push(province);
    let set = TemplateSet::from_json(&t.to_string()).unwrap();
    let v = golden_visit("samples");
    let eval = evaluate_visit_json(v.clone(), vec![], Rulebook::builtin(), day()).unwrap();
    let docs = make_documents(&v, &eval, &set, &Issuer { bureau: Some(BUREAU.into()), region: Some("福建省".into()) }).unwrap();
    assert_eq!(docs.documents[0].title.zh, "现场检查笔录");
    assert_eq!(docs.documents[0].template, "福建省 2026-03-01");
    // The province has no 封条 of its own: the national one is used.
    assert!(docs.documents.iter().any(|d| d.kind == DocumentKind::SealLabel));
    // Before its day, the national template.
    let earlier = Issuer { bureau: Some(BUREAU.into()), region: Some("福建省".into()) };
    let mut old = golden_visit("samples");
    old["startedAt"] = json!("2026-02-10T09:30:00+08:00");
    old["endedAt"] = json!("2026-02-10T11:00:00+08:00");
    let eval = evaluate_visit_json(old.clone(), vec![], Rulebook::builtin(), day()).unwrap();
    assert_eq!(make_documents(&old, &eval, &set, &earlier).unwrap().documents[0].title.zh, "现场笔录");
}

#[test]
fn every_element_the_core_fills_is_used_by_the_national_templates() {
    let t = TemplateSet::builtin();
    let used: Vec<_> = t.templates[0].documents.values().flat_map(|d| d.elements.iter().map(|e| e.element.clone())).collect();
    for e in xuncha::documents::elements::Element::FROM_RECORD {
        assert!(used.contains(e), "{} is filled by the core but no national template shows it", e.as_str());
    }
}

#[test]
fn a_refusal_is_recorded_in_the_record_with_its_recording() {
    let mut v = golden_visit("priceChecks");
    let recording = "c".repeat(64);
    v.as_object_mut().unwrap().remove("signature");
    v["attachments"].as_array_mut().unwrap().retain(|a| a["sha256"] != "a".repeat(64));
    v["attachments"].as_array_mut().unwrap().push(json!({ "sha256": recording, "mediaType": "audio/webm", "sizeBytes": 20000 }));
    v["refusal"] = json!({ "note": "当事人拒绝在笔录上签名", "recordingSha256": recording });
    let now = xuncha::time::parse_timestamp("2026-03-10T23:00:00+08:00").unwrap();
    assert!(xuncha::check_visit(v.clone(), now).report.problems.iter().all(|p| !p.is_error()), "a refusal with a recording is finalised");
    let set = documents_of(&v, TemplateSet::builtin());
    let record = serde_json::to_string(&set.documents[0]).unwrap();
    assert!(record.contains("当事人拒绝签名：当事人拒绝在笔录上签名"), "{record}");
    assert!(record.contains(&format!("已录音录像，SHA-256：{recording}")), "{record}");
    assert!(record.contains(&format!("录音 SHA-256：{recording}")), "the evidence lists it as a recording: {record}");
}

#[test]
fn documents_carry_the_numbers_the_visit_took_and_the_rest_are_listed_to_number() {
    let v = golden_visit("priceChecks");
    let set = documents_of(&v, TemplateSet::builtin());
    // Every document but the seal label takes a number; none has one yet.
    assert_eq!(set.unnumbered, ["onSiteRecord", "correctionOrder", "deliveryReceipt"]);
    assert!(set.documents.iter().all(|d| d.number.is_none()));

    let mut numbered = v.clone();
    numbered["documentNumbers"] = json!([
        { "document": "onSiteRecord", "prefix": "鼓市监", "year": 2026, "serial": 7 },
        { "document": "correctionOrder", "prefix": "鼓市监", "year": 2026, "serial": 8 },
        { "document": "deliveryReceipt", "prefix": "鼓市监", "year": 2026, "serial": 9 }
    ]);
    let set = documents_of(&numbered, TemplateSet::builtin());
    assert!(set.unnumbered.is_empty());
    let numbers: Vec<_> = set.documents.iter().map(|d| d.number.clone().unwrap_or_default()).collect();
    assert_eq!(numbers, ["鼓市监〔2026〕第 0007 号", "鼓市监〔2026〕第 0008 号", "鼓市监〔2026〕第 0009 号"]);
    // The proof of delivery names what was handed over by its number.
    assert!(text_of(&set).contains("责令改正通知书 鼓市监〔2026〕第 0008 号"), "{}", text_of(&set));

    // One number twice, or one document numbered twice: the record is wrong.
    let mut twice = numbered.clone();
    twice["documentNumbers"][1]["serial"] = json!(7);
    twice["documentNumbers"][2]["document"] = json!("onSiteRecord");
    let report = xuncha::check_visit(twice, xuncha::time::parse_timestamp("2026-03-11T09:00:00+08:00").unwrap()).report;
    let found: Vec<_> = report.problems.iter().filter(|p| p.code == xuncha::problem::ProblemCode::Duplicate).map(|p| p.path.as_str()).collect();
    assert_eq!(found, ["/documentNumbers/2/document", "/documentNumbers/1/serial"]);
}

#[test]
fn the_documents_to_hand_over_and_how_a_delivery_counts() {
    let mut v = complete();
    v["priceChecks"][1]["tagPresent"] = json!(false);
    v["equipmentChecks"][0]["nextInspectionDue"] = json!("2026-02-01");
    let set = documents_of(&v, TemplateSet::builtin());
    // Handed to the party: the orders and the 抽样单; the record, the seal label and the 送达回证 are not.
    assert_eq!(set.to_hand_over, ["correctionOrder", "equipmentDirective", "samplingRecord/0"]);

    let now = xuncha::time::parse_timestamp("2026-03-11T09:00:00+08:00").unwrap();
    let codes = |record: Value| -> Vec<(String, String)> { xuncha::validate::check_delivery(record, now).report.problems.iter().map(|p| (p.code.as_str().to_string(), p.path.clone())).collect() };
    let base = json!({ "schemaVersion": 1, "id": "01900000-0000-7000-8000-0000000000d1", "visitId": "01900000-0000-7000-8000-000000000001" });
    let with = |deliveries: Value, attachments: Value| {
        let mut r = base.clone();
        r["deliveries"] = deliveries;
        r["attachments"] = attachments;
        r
    };
    let at = "2026-03-10T10:30:00+08:00";
    // Each way with what it needs: complete.
    let good = with(
        json!([
            { "document": "correctionOrder", "method": "direct", "deliveredAt": at, "recipient": "林某" },
            { "document": "equipmentDirective", "method": "leftAfterRefusal", "deliveredAt": at, "evidenceSha256": "ab".repeat(32) },
            { "document": "samplingRecord/0", "method": "electronic", "deliveredAt": at, "address": "lin@example.cn", "addressConfirmed": true }
        ]),
        json!([{ "sha256": "ab".repeat(32), "mediaType": "image/jpeg" }]),
    );
    assert_eq!(codes(good), []);
    // Each way without it: named at the field.
    let bad = with(
        json!([
            { "document": "correctionOrder", "method": "direct", "deliveredAt": at },
            { "document": "equipmentDirective", "method": "leftAfterRefusal", "deliveredAt": at, "evidenceSha256": "cd".repeat(32) },
            { "document": "samplingRecord/0", "method": "electronic", "deliveredAt": at, "address": "lin@example.cn" },
            { "document": "correctionOrder", "method": "direct", "deliveredAt": "2026-03-12T10:00:00+08:00", "recipient": "林某" }
        ]),
        json!([]),
    );
    assert_eq!(
        codes(bad),
        [
            ("REQUIRED".to_string(), "/deliveries/0/recipient".to_string()),
            ("REQUIRED".to_string(), "/deliveries/1/evidenceSha256".to_string()),
            ("REQUIRED".to_string(), "/deliveries/2/addressConfirmed".to_string()),
            ("IN_FUTURE".to_string(), "/deliveries/3/deliveredAt".to_string()),
            ("DUPLICATE".to_string(), "/deliveries/3/document".to_string()),
        ]
    );
}
