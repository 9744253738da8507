//! Data validation of the visit's own fields, then of each check inside it.

use super::{RecordStatus, Visit, SCHEMA_VERSION};
use crate::check::{Checks, Label, Ptr};
use crate::credit_code::{self, CreditCodeFault};
use crate::ids::is_sha256_hex;
use crate::problem::ProblemCode;
use crate::time::Date;

/// Hours after which a single visit is implausible enough to ask.
const LONG_VISIT_HOURS: i64 = 12;
/// A generous box around China; outside it a GPS fix is probably wrong.
const CHINA_LAT: (f64, f64) = (3.0, 54.0);
const CHINA_LNG: (f64, f64) = (73.0, 136.0);

/// What the operator writes for "no code".
pub const NO_CREDIT_CODE: &str = "无";

pub fn validate_visit_fields(v: &Visit, c: &mut Checks) {
    let root = Ptr::root();
    match v.schema_version {
        None => c.missing(&root.key("schemaVersion"), Label("记录格式版本", "schema version")),
        Some(SCHEMA_VERSION) => {}
        Some(other) => c.push(
            ProblemCode::SchemaVersion,
            &root.key("schemaVersion"),
            format!("记录格式版本 {} 不受支持（本程序为 {}），请更新应用", other, SCHEMA_VERSION),
            format!("schema version {} is not supported (this core reads {}); update the app", other, SCHEMA_VERSION),
        ),
    }
    c.id(&v.id, &root.key("id"));
    c.require(&v.status, &root.key("status"), Label("记录状态", "status"));
    let finalised = v.status == Some(RecordStatus::Finalised);

    if let Some(a) = &v.amends {
        let at = root.key("amends");
        c.id(&a.original_id, &at.key("originalId"));
        c.require_text(&a.reason, &at.key("reason"), Label("更正原因", "reason for the amendment"));
        if a.original_id.is_some() && a.original_id == v.id {
            c.push(ProblemCode::AmendsItself, &at.key("originalId"), "更正记录不能指向自身".into(), "an amendment cannot point at itself".into());
        }
    }

    operator(v, c, &root);
    if let Some(site) = &v.site {
        c.require_text(&site.name, &root.key("site").key("name"), Label("检查场所名称", "site name"));
    }
    officers(v, c, &root);
    times(v, c, &root, finalised);
    location(v, c, &root);
    attachments(v, c, &root);
    // An operator not found has nobody to sign or refuse.
    handover(v, c, &root, finalised && v.unreachable.is_none());
    document_numbers(v, c, &root);

    let visit_date: Option<Date> = v.started_at.map(|t| t.date_naive());
    let item_count = v.price_checks.len() + v.instrument_checks.len() + v.equipment_checks.len() + v.samples.len();
    if let Some(u) = &v.unreachable {
        let at = root.key("unreachable");
        c.require(&u.reason, &at.key("reason"), Label("未能检查的原因", "why it could not be inspected"));
        if u.reason == Some(super::UnreachableReason::Other) {
            c.require_text(&u.note, &at.key("note"), Label("现场情况", "what the officers found"));
        }
        if item_count > 0 {
            c.push(
                ProblemCode::UnreachableWithChecks,
                &at,
                "已记录未能检查，不应再有检查项目；请删除检查项目或取消“未能检查”".into(),
                "the operator could not be inspected, yet checks are recorded; remove them or the unreachable note".into(),
            );
        }
    } else if item_count == 0 {
        c.push(ProblemCode::NoChecks, &root, "本次检查未记录任何检查项目，确认无误吗？".into(), "This visit records no checks. Is that right?".into());
    }
    for (i, p) in v.price_checks.iter().enumerate() {
        crate::price::validate_price_check(p, c, &root.key("priceChecks").index(i), visit_date);
    }
    for (i, m) in v.instrument_checks.iter().enumerate() {
        crate::metrology::validate_instrument_check(m, c, &root.key("instrumentChecks").index(i));
    }
    for (i, e) in v.equipment_checks.iter().enumerate() {
        crate::equipment::validate_equipment_check(e, c, &root.key("equipmentChecks").index(i));
    }
    for (i, s) in v.samples.iter().enumerate() {
        crate::sampling::validate_sample(s, c, &root.key("samples").index(i), visit_date);
    }
    item_ids_unique(v, c, &root);
    photos_listed(v, c, &root);
}

fn operator(v: &Visit, c: &mut Checks, root: &Ptr) {
    let at = root.key("operator");
    let Some(op) = c.require(&v.operator, &at, Label("经营者信息", "operator")) else {
        return;
    };
    c.require_text(&op.name, &at.key("name"), Label("经营者名称", "operator name"));
    c.require_text(&op.address, &at.key("address"), Label("经营地址", "operator address"));
    let code_at = at.key("creditCode");
    match op.credit_code.as_deref().map(str::trim) {
        None | Some("") => c.push(ProblemCode::Required, &code_at, "请填写统一社会信用代码；没有的填“无”并说明原因".into(), "Enter the unified social credit code, or \"无\" with a reason".into()),
        Some(NO_CREDIT_CODE) => {
            c.require_text(&op.no_credit_code_reason, &at.key("noCreditCodeReason"), Label("无统一社会信用代码的原因", "reason for having no credit code"));
        }
        Some(code) => credit_code_problem(c, &code_at, code),
    }
}

fn credit_code_problem(c: &mut Checks, at: &Ptr, code: &str) {
    let fault = match credit_code::check(code) {
        Ok(()) => return,
        Err(f) => f,
    };
    let (zh, en) = match fault {
        CreditCodeFault::CheckCharacter { expected, found } => {
            c.push(
                ProblemCode::CreditCodeCheck,
                at,
                format!("统一社会信用代码第 18 位校验码应为“{}”，记录为“{}”。请与营业执照核对；照抄无误的请确认", expected, found),
                format!("The check character should be '{}', not '{}'. Compare with the licence; confirm if copied correctly", expected, found),
            );
            return;
        }
        other => {
            let t = other.describe();
            (t.zh, t.en)
        }
    };
    c.push(ProblemCode::CreditCodeFormat, at, zh, en);
}

fn officers(v: &Visit, c: &mut Checks, root: &Ptr) {
    let at = root.key("officers");
    for (i, o) in v.officers.iter().enumerate() {
        let oat = at.index(i);
        c.require_text(&o.name, &oat.key("name"), Label("执法人员姓名", "officer's name"));
        c.require_text(&o.certificate_no, &oat.key("certificateNo"), Label("执法证号", "enforcement certificate number"));
    }
    c.no_duplicates(v.officers.iter().enumerate().map(|(i, o)| (at.index(i).key("certificateNo"), o.certificate_no.as_deref())), Label("执法证号", "certificate number"));
    if v.officers.len() < 2 {
        c.push(
            ProblemCode::TooFewOfficers,
            &at,
            format!("现场执法人员不得少于两人（行政处罚法第四十二条），现有 {} 人", v.officers.len()),
            format!("At least two officers are required (Administrative Penalty Law Art. 42); {} recorded", v.officers.len()),
        );
    }
}

fn times(v: &Visit, c: &mut Checks, root: &Ptr, finalised: bool) {
    let start_at = root.key("startedAt");
    let end_at = root.key("endedAt");
    c.require(&v.started_at, &start_at, Label("检查开始时间", "start time"));
    c.time_not_future(v.started_at.as_ref(), &start_at, Label("检查开始时间", "start time"));
    if finalised {
        c.require(&v.ended_at, &end_at, Label("检查结束时间", "end time"));
        c.require(&v.finalised_at, &root.key("finalisedAt"), Label("定稿时间", "finalisation time"));
    }
    c.time_not_future(v.ended_at.as_ref(), &end_at, Label("检查结束时间", "end time"));
    c.time_not_future(v.finalised_at.as_ref(), &root.key("finalisedAt"), Label("定稿时间", "finalisation time"));
    if let (Some(s), Some(e)) = (v.started_at, v.ended_at) {
        if e < s {
            c.push(
                ProblemCode::DateOrder,
                &end_at,
                format!("结束时间（{}）早于开始时间（{}）", e.to_rfc3339(), s.to_rfc3339()),
                format!("end time ({}) is before start time ({})", e.to_rfc3339(), s.to_rfc3339()),
            );
        } else if (e - s).num_hours() >= LONG_VISIT_HOURS {
            c.push(
                ProblemCode::LongVisit,
                &end_at,
                format!("检查持续 {} 小时，请确认时间无误", (e - s).num_hours()),
                format!("the visit lasted {} hours; please check the times", (e - s).num_hours()),
            );
        }
    }
    if let (Some(s), Some(f)) = (v.started_at, v.finalised_at) {
        if f < s {
            c.push(ProblemCode::DateOrder, &root.key("finalisedAt"), "定稿时间早于检查开始时间".into(), "finalised before the visit started".into());
        }
    }
}

fn location(v: &Visit, c: &mut Checks, root: &Ptr) {
    let Some(g) = &v.location else { return };
    let at = root.key("location");
    let lat = c.require(&g.lat, &at.key("lat"), Label("纬度", "latitude")).copied();
    let lng = c.require(&g.lng, &at.key("lng"), Label("经度", "longitude")).copied();
    c.in_range(lat, -90.0, 90.0, &at.key("lat"), Label("纬度", "latitude"));
    c.in_range(lng, -180.0, 180.0, &at.key("lng"), Label("经度", "longitude"));
    c.non_negative(g.accuracy_m, &at.key("accuracyM"), Label("定位精度", "accuracy"));
    if let (Some(la), Some(ln)) = (lat, lng) {
        let plausible = (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&ln);
        if plausible && !((CHINA_LAT.0..=CHINA_LAT.1).contains(&la) && (CHINA_LNG.0..=CHINA_LNG.1).contains(&ln)) {
            c.push(ProblemCode::OutsideChina, &at, format!("定位（{}, {}）不在中国境内，请核对", la, ln), format!("the location ({}, {}) is outside China; please check", la, ln));
        }
    }
}

fn attachments(v: &Visit, c: &mut Checks, root: &Ptr) {
    let at = root.key("attachments");
    for (i, a) in v.attachments.iter().enumerate() {
        let aat = at.index(i);
        if let Some(h) = c.require_text(&a.sha256, &aat.key("sha256"), Label("附件哈希", "attachment hash")) {
            hash_format(c, &aat.key("sha256"), h);
        }
        c.require_text(&a.media_type, &aat.key("mediaType"), Label("附件类型", "media type"));
        c.time_not_future(a.taken_at.as_ref(), &aat.key("takenAt"), Label("拍摄时间", "time taken"));
    }
    c.no_duplicates(v.attachments.iter().enumerate().map(|(i, a)| (at.index(i).key("sha256"), a.sha256.as_deref())), Label("附件", "attachment"));
}

fn hash_format(c: &mut Checks, at: &Ptr, h: &str) {
    if !is_sha256_hex(h) {
        c.push(ProblemCode::BadHash, at, format!("“{}”不是有效的 SHA-256", h), format!("\"{}\" is not a SHA-256 hex digest", h));
    }
}

fn is_listed(v: &Visit, hash: &str) -> bool {
    v.attachments.iter().any(|a| a.sha256.as_deref() == Some(hash))
}

fn handover(v: &Visit, c: &mut Checks, root: &Ptr, finalised: bool) {
    match (&v.signature, &v.refusal) {
        (Some(_), Some(_)) => c.push(ProblemCode::HandoverBoth, &root.key("refusal"), "已有当事人签字，不应再有拒签记录".into(), "there is a signature, so there should be no refusal record".into()),
        (None, None) if finalised => c.push(
            ProblemCode::HandoverMissing,
            &root.key("signature"),
            "定稿前需要当事人签字，或记录拒签情况（录音录像或见证人）".into(),
            "Before finalising, get the operator's signature or record the refusal (a recording or a witness)".into(),
        ),
        _ => {}
    }
    if let Some(s) = &v.signature {
        let at = root.key("signature");
        c.require_text(&s.signer_name, &at.key("signerName"), Label("签字人姓名", "signer's name"));
        if let Some(h) = c.require_text(&s.image_sha256, &at.key("imageSha256"), Label("签名图像", "signature image")) {
            hash_format(c, &at.key("imageSha256"), h);
            if is_sha256_hex(h) && !is_listed(v, h) {
                not_listed(c, &at.key("imageSha256"));
            }
        }
        c.time_not_future(s.signed_at.as_ref(), &at.key("signedAt"), Label("签字时间", "signing time"));
    }
    if let Some(r) = &v.refusal {
        let at = root.key("refusal");
        c.require_text(&r.note, &at.key("note"), Label("拒签情况说明", "note on the refusal"));
        let witness = r.witness_name.as_deref().is_some_and(|w| !w.trim().is_empty());
        match r.recording_sha256.as_deref() {
            Some(h) => {
                hash_format(c, &at.key("recordingSha256"), h);
                if is_sha256_hex(h) && !is_listed(v, h) {
                    not_listed(c, &at.key("recordingSha256"));
                }
            }
            // 处罚程序规定 Art. 43: the refusal is recorded on sound or video; a witness may stand in.
            None if !witness => c.push(
                ProblemCode::Required,
                &at.key("recordingSha256"),
                "拒签须录音录像，或有见证人（处罚程序规定第四十三条）".into(),
                "A refusal needs a sound or video recording, or a witness (procedure rules Art. 43)".into(),
            ),
            None => {}
        }
    }
}

fn not_listed(c: &mut Checks, at: &Ptr) {
    c.push(ProblemCode::AttachmentNotListed, at, "引用的图片不在附件列表中".into(), "the referenced image is not in the attachment list".into());
}

fn item_ids_unique(v: &Visit, c: &mut Checks, root: &Ptr) {
    let ids = v
        .price_checks
        .iter()
        .enumerate()
        .map(|(i, x)| (root.key("priceChecks").index(i).key("id"), x.id.as_deref()))
        .chain(v.instrument_checks.iter().enumerate().map(|(i, x)| (root.key("instrumentChecks").index(i).key("id"), x.id.as_deref())))
        .chain(v.equipment_checks.iter().enumerate().map(|(i, x)| (root.key("equipmentChecks").index(i).key("id"), x.id.as_deref())))
        .chain(v.samples.iter().enumerate().map(|(i, x)| (root.key("samples").index(i).key("id"), x.id.as_deref())))
        .chain(std::iter::once((root.key("id"), v.id.as_deref())));
    c.no_duplicates(ids, Label("标识", "id"));
}

fn photos_listed(v: &Visit, c: &mut Checks, root: &Ptr) {
    let groups: [(&str, Vec<&Vec<String>>); 4] = [
        ("priceChecks", v.price_checks.iter().map(|x| &x.photo_sha256).collect()),
        ("instrumentChecks", v.instrument_checks.iter().map(|x| &x.photo_sha256).collect()),
        ("equipmentChecks", v.equipment_checks.iter().map(|x| &x.photo_sha256).collect()),
        ("samples", v.samples.iter().map(|x| &x.photo_sha256).collect()),
    ];
    for (key, lists) in groups {
        for (i, hashes) in lists.into_iter().enumerate() {
            for (j, h) in hashes.iter().enumerate() {
                let at = root.key(key).index(i).key("photoSha256").index(j);
                if !is_sha256_hex(h) {
                    hash_format(c, &at, h);
                } else if !is_listed(v, h) {
                    not_listed(c, &at);
                }
            }
        }
    }
}

/// Each number whole and in range, no document numbered twice, no number used twice.
fn document_numbers(v: &Visit, c: &mut Checks, root: &Ptr) {
    let list = root.key("documentNumbers");
    for (i, n) in v.document_numbers.iter().enumerate() {
        let at = list.index(i);
        c.require_text(&n.document, &at.key("document"), Label("文书", "document"));
        c.require(&n.year, &at.key("year"), Label("文号年份", "number's year"));
        c.require(&n.serial, &at.key("serial"), Label("文号序号", "serial number"));
        c.in_range(n.year.map(f64::from), 2000.0, 2100.0, &at.key("year"), Label("文号年份", "number's year"));
        c.in_range(n.serial.map(f64::from), 1.0, 999_999.0, &at.key("serial"), Label("文号序号", "serial number"));
    }
    c.no_duplicates(v.document_numbers.iter().enumerate().map(|(i, n)| (list.index(i).key("document"), n.document.as_deref())), Label("编号的文书", "numbered document"));
    let texts: Vec<Option<String>> = v.document_numbers.iter().map(|n| n.year.zip(n.serial).map(|(y, s)| format!("{y}-{s}"))).collect();
    c.no_duplicates(texts.iter().enumerate().map(|(i, t)| (list.index(i).key("serial"), t.as_deref())), Label("文号", "document number"));
}
