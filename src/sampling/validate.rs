//! Data validation of a sample taken on site, and of its follow-up record.

use super::{units, LabResult, Sample, SampleFollowUp};
use crate::check::{Checks, Label, Ptr};
use crate::problem::ProblemCode;
use crate::time::Date;

pub fn validate_sample(s: &Sample, c: &mut Checks, at: &Ptr, visit_date: Option<Date>) {
    c.id(&s.id, &at.key("id"));
    c.require_text(&s.sample_no, &at.key("sampleNo"), Label("抽样单编号", "sample number"));
    let category = c.require(&s.category, &at.key("category"), Label("抽检类别（食品/工业产品）", "category (food / industrial)"));
    if let (Some(&category), Some(product)) = (category, s.product_category) {
        if product.category() != category {
            c.push(
                ProblemCode::ProductNotInCategory,
                &at.key("productCategory"),
                format!("“{}”不属于{}", product.label().zh, category.label().zh),
                format!("\"{}\" is not a kind of {}", product.label().en, category.label().en.to_ascii_lowercase()),
            );
        }
    }
    c.require_text(&s.product_name, &at.key("productName"), Label("样品名称", "product name"));
    let has_batch = s.batch_no.as_deref().is_some_and(|b| !b.trim().is_empty());
    if !has_batch && s.production_date.is_none() {
        c.push(ProblemCode::Required, &at.key("batchNo"), "请填写批号或生产日期".into(), "Enter the batch number or the production date".into());
    }
    c.date_not_future(s.production_date, &at.key("productionDate"), Label("生产日期", "production date"));
    if let (Some(p), Some(v)) = (s.production_date, visit_date) {
        if p > v {
            c.push(ProblemCode::ProductionAfterSampling, &at.key("productionDate"), format!("生产日期 {} 晚于抽样日期 {}", p, v), format!("production date {} is after the sampling date {}", p, v));
        }
    }
    c.positive(s.shelf_life_days.map(f64::from), &at.key("shelfLifeDays"), Label("保质期", "shelf life"));

    let test = c.require(&s.test_quantity, &at.key("testQuantity"), Label("检验样品数量", "test quantity")).copied();
    let backup = c.require(&s.backup_quantity, &at.key("backupQuantity"), Label("备份样品数量", "backup quantity")).copied();
    c.positive(test, &at.key("testQuantity"), Label("检验样品数量", "test quantity"));
    c.non_negative(backup, &at.key("backupQuantity"), Label("备份样品数量", "backup quantity"));
    c.require_text(&s.quantity_unit, &at.key("quantityUnit"), Label("数量单位", "quantity unit"));
    c.positive(s.lot_size, &at.key("lotSize"), Label("抽样基数", "lot size"));
    if let (Some(lot), Some(t)) = (s.lot_size, test) {
        let taken = t + backup.unwrap_or(0.0).max(0.0);
        if lot > 0.0 && lot < taken {
            c.push(
                ProblemCode::LotSmallerThanSample,
                &at.key("lotSize"),
                format!("抽样基数 {} 小于抽样数量 {}", lot, taken),
                format!("the lot ({}) is smaller than the quantity sampled ({})", lot, taken),
            );
        }
    }
    c.non_negative(s.purchase_price, &at.key("purchasePrice"), Label("购样费用", "purchase price"));
    for (i, n) in s.seal_nos.iter().enumerate() {
        if n.trim().is_empty() {
            c.missing(&at.key("sealNos").index(i), Label("封条编号", "seal number"));
        }
    }
    c.no_duplicates(s.seal_nos.iter().enumerate().map(|(i, n)| (at.key("sealNos").index(i), Some(n.as_str()))), Label("封条编号", "seal number"));
    for (i, n) in s.samplers.iter().enumerate() {
        if n.trim().is_empty() {
            c.missing(&at.key("samplers").index(i), Label("抽样人员姓名", "sampler's name"));
        }
    }
    c.no_duplicates(s.samplers.iter().enumerate().map(|(i, n)| (at.key("samplers").index(i), Some(n.as_str()))), Label("抽样人员", "sampler"));
    if s.marked_trial_or_sample == Some(true) || s.export_only == Some(true) {
        c.push(ProblemCode::NotToBeSampled, at, "标注“试制”“样品”或仅供出口的产品不应抽样，确认继续吗？".into(), "Goods marked trial/sample or for export only are not sampled; continue?".into());
    }
}

/// The follow-up record's own fields (ids, dates in order, lab result).
pub fn validate_follow_up_fields(f: &SampleFollowUp, c: &mut Checks) {
    let root = Ptr::root();
    if f.schema_version.is_none() {
        c.missing(&root.key("schemaVersion"), Label("记录格式版本", "schema version"));
    }
    c.id(&f.id, &root.key("id"));
    c.id(&f.visit_id, &root.key("visitId"));
    c.id(&f.sample_id, &root.key("sampleId"));

    const SENT: Label = Label("送检日期", "date sent to the lab");
    const RECEIVED: Label = Label("实验室收样日期", "date the lab received it");
    const REPORTED: Label = Label("检验报告日期", "report date");
    const NOTIFIED: Label = Label("告知当事人日期", "date the operator was told");
    const RECHECK: Label = Label("申请复检日期", "date 复检 was requested");
    const DISPOSED: Label = Label("核查处置完成日期", "date disposal was completed");
    const CLOSED: Label = Label("结案日期", "date closed");
    let reported = f.lab_result.as_ref().and_then(|r| r.reported_on);
    let disposed = f.disposal.as_ref().and_then(|d| d.completed_on);
    for (date, key, label) in [
        (f.sent_to_lab_on, "sentToLabOn", SENT),
        (f.lab_received_on, "labReceivedOn", RECEIVED),
        (f.operator_notified_on, "operatorNotifiedOn", NOTIFIED),
        (f.recheck_requested_on, "recheckRequestedOn", RECHECK),
        (f.closed_on, "closedOn", CLOSED),
    ] {
        c.date_not_future(date, &root.key(key), label);
    }
    c.dates_in_order(f.sent_to_lab_on, SENT, f.lab_received_on, &root.key("labReceivedOn"), RECEIVED);
    c.dates_in_order(f.lab_received_on, RECEIVED, reported, &root.key("labResult").key("reportedOn"), REPORTED);
    c.dates_in_order(reported, REPORTED, f.operator_notified_on, &root.key("operatorNotifiedOn"), NOTIFIED);
    c.dates_in_order(f.operator_notified_on, NOTIFIED, f.recheck_requested_on, &root.key("recheckRequestedOn"), RECHECK);
    c.dates_in_order(reported, REPORTED, disposed, &root.key("disposal").key("completedOn"), DISPOSED);
    c.dates_in_order(f.sent_to_lab_on, SENT, f.closed_on, &root.key("closedOn"), CLOSED);
    if let Some(d) = &f.disposal {
        c.date_not_future(d.completed_on, &root.key("disposal").key("completedOn"), DISPOSED);
    }
    if let Some(r) = &f.lab_result {
        lab_result(r, c, &root.key("labResult"));
    }
}

fn lab_result(r: &LabResult, c: &mut Checks, at: &Ptr) {
    c.require_text(&r.report_no, &at.key("reportNo"), Label("检验报告编号", "report number"));
    let reported = c.require(&r.reported_on, &at.key("reportedOn"), Label("检验报告日期", "report date")).copied();
    c.date_not_future(reported, &at.key("reportedOn"), Label("检验报告日期", "report date"));
    if r.items.is_empty() {
        c.missing(&at.key("items"), Label("检验项目", "test items"));
    }
    for (i, item) in r.items.iter().enumerate() {
        let iat = at.key("items").index(i);
        c.require_text(&item.name, &iat.key("name"), Label("检验项目名称", "test item name"));
        c.require(&item.value, &iat.key("value"), Label("检验值", "measured value"));
        let unit = item.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
        if unit.is_none() {
            c.push(ProblemCode::LabUnitMissing, &iat.key("unit"), "检验值缺少单位".into(), "the value has no unit".into());
        }
        if item.limit.is_none() {
            c.push(ProblemCode::LabLimitMissing, &iat.key("limit"), "检验项目缺少标准限值".into(), "the test item has no limit".into());
        }
        if let (Some(u), Some(lu)) = (unit, item.limit_unit.as_deref()) {
            if units::convert(1.0, u, lu).is_none() {
                c.push(
                    ProblemCode::UnitMismatch,
                    &iat.key("limitUnit"),
                    format!("检验值单位“{}”与限值单位“{}”无法换算", u, lu),
                    format!("the value's unit \"{}\" cannot be converted to the limit's \"{}\"", u, lu),
                );
            }
        }
    }
}
