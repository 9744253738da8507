//! CSV exports for Excel: UTF-8 with a byte-order mark (so Excel reads the
//! Chinese correctly), CRLF line ends, RFC 4180 quoting.

use super::Summary;
use crate::finding::Evaluation;
use crate::rules::FindingLevel;
use crate::visit::{RecordStatus, Visit};

const BOM: &str = "\u{feff}";

/// A CSV field for a spreadsheet program to open: quoted when it needs it, and
/// a leading = + - @ (which would be read as a formula) made plain text.
pub(crate) fn field(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@']);
    quote(&if risky { format!("'{s}") } else { s.to_string() })
}

/// A CSV field quoted when it holds a comma, quote or line break (RFC 4180), otherwise as it is.
pub(crate) fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn row(out: &mut String, cells: &[String]) {
    out.push_str(&cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
}

fn text(v: &Option<String>) -> String {
    v.as_deref().unwrap_or("").to_string()
}

/// One row per visit record.
pub fn visits_csv(visits: &[Visit], evaluations: &[Option<Evaluation>]) -> String {
    let mut out = String::from(BOM);
    row(
        &mut out,
        &[
            "记录编号",
            "检查日期",
            "状态",
            "更正原记录",
            "经营者",
            "统一社会信用代码",
            "检查场所",
            "市场",
            "执法人员",
            "价格检查项",
            "计量器具台",
            "特种设备台",
            "抽检批次",
            "违法问题项",
            "提醒项",
            "合规",
        ]
        .map(String::from),
    );
    for (i, v) in visits.iter().enumerate() {
        let eval = evaluations.get(i).and_then(|e| e.as_ref());
        let op = v.operator.clone().unwrap_or_default();
        let violations = eval.map_or(0, |e| e.findings.iter().filter(|f| f.level == FindingLevel::Violation).count());
        let notices = eval.map_or(0, |e| e.findings.iter().filter(|f| f.level == FindingLevel::Notice).count());
        row(
            &mut out,
            &[
                text(&v.id),
                v.started_at.map(|t| t.date_naive().to_string()).unwrap_or_default(),
                match v.status {
                    Some(RecordStatus::Finalised) => "已定稿".into(),
                    Some(RecordStatus::Discarded) => "已作废".into(),
                    _ => "草稿".into(),
                },
                v.amends.as_ref().map(|a| text(&a.original_id)).unwrap_or_default(),
                text(&op.name),
                text(&op.credit_code),
                v.site.as_ref().map(|s| text(&s.name)).unwrap_or_default(),
                v.site.as_ref().map(|s| text(&s.market_id)).unwrap_or_default(),
                v.officers.iter().map(|o| text(&o.name)).collect::<Vec<_>>().join("、"),
                v.price_checks.len().to_string(),
                v.instrument_checks.len().to_string(),
                v.equipment_checks.len().to_string(),
                v.samples.len().to_string(),
                violations.to_string(),
                notices.to_string(),
                match eval {
                    Some(e) if e.compliant => "是".into(),
                    Some(_) => "否".into(),
                    None => "".into(),
                },
            ],
        );
    }
    out
}

/// The checked item a finding is about, as a clerk reads it: "第 2 项 猪肉（前腿）"
/// (the goods, the instrument's serial, the equipment's registration, the
/// sample's product or number); empty for a finding about the visit itself.
fn item_of(v: &Visit, path: &str) -> String {
    let mut parts = path.split('/').skip(1);
    let (Some(list), Some(Ok(i))) = (parts.next(), parts.next().map(str::parse::<usize>)) else { return String::new() };
    let name = match list {
        "priceChecks" => v.price_checks.get(i).and_then(|x| x.item_name.clone()),
        "instrumentChecks" => v.instrument_checks.get(i).and_then(|x| x.serial_no.clone()),
        "equipmentChecks" => v.equipment_checks.get(i).and_then(|x| x.registration_no.clone()),
        "samples" => v.samples.get(i).and_then(|x| x.product_name.clone().or_else(|| x.sample_no.clone())),
        _ => return String::new(),
    };
    format!("第 {} 项 {}", i + 1, name.unwrap_or_default()).trim_end().to_string()
}

/// One row per finding: who, where, which check and item, the rule and its
/// basis, the measure, and where its rectification stands (as the evaluation
/// judged it, with the rectifications it was given).
pub fn findings_csv(visits: &[Visit], evaluations: &[Option<Evaluation>]) -> String {
    let mut out = String::from(BOM);
    row(
        &mut out,
        &["记录编号", "检查日期", "经营者", "统一社会信用代码", "检查场所", "执法人员", "检查类别", "检查对象", "规则代码", "问题", "级别", "情况", "依据", "措施", "整改期限", "整改情况"]
            .map(String::from),
    );
    for (v, eval) in visits.iter().zip(evaluations) {
        let Some(eval) = eval else { continue };
        let op = v.operator.clone().unwrap_or_default();
        for f in &eval.findings {
            let rectification = eval.deadlines.iter().find(|d| d.kind == crate::finding::DeadlineKind::Rectification && d.code == f.code && d.path == f.path);
            row(
                &mut out,
                &[
                    text(&v.id),
                    eval.visit_date.map(|d| d.to_string()).unwrap_or_default(),
                    text(&op.name),
                    text(&op.credit_code),
                    v.site.as_ref().map(|s| text(&s.name)).unwrap_or_default(),
                    v.officers.iter().map(|o| text(&o.name)).collect::<Vec<_>>().join("、"),
                    f.kind.label().zh,
                    item_of(v, &f.path),
                    f.code.clone(),
                    f.title.zh.clone(),
                    match f.level {
                        FindingLevel::Violation => "违法".into(),
                        FindingLevel::Notice => "提醒".into(),
                    },
                    f.message.zh.clone(),
                    f.basis.iter().map(|b| format!("《{}》{}", b.law.zh, b.article.zh)).collect::<Vec<_>>().join("；"),
                    f.measures.iter().map(|m| m.text().zh).collect::<Vec<_>>().join("、"),
                    f.rectify_by.map(|d| d.to_string()).unwrap_or_default(),
                    match rectification {
                        Some(d) => match d.done_on {
                            Some(day) => format!("{}（{day}）", d.status.label().zh),
                            None => d.status.label().zh,
                        },
                        None => String::new(),
                    },
                ],
            );
        }
    }
    out
}

/// The summary table: one row per figure, rates with numerator and denominator.
pub fn summary_csv(s: &Summary) -> String {
    let f = &s.figures;
    let mut out = String::from(BOM);
    row(&mut out, &["指标", "数值", "分子", "分母"].map(String::from));
    let mut n = |name: &str, v: u32| row(&mut out, &[name.to_string(), v.to_string(), String::new(), String::new()]);
    n("检查经营主体（家次）", f.visits);
    n("检查经营主体（家）", f.operators);
    n("出动执法人员（人次）", f.officer_deployments);
    n("发现违法问题（项）", f.violations);
    n("检查商品和服务价格标示（项）", f.price.checks);
    n("价格违法行为（处）", f.price.violations);
    n("检查计量器具（台）", f.metrology.instruments);
    n("不合格计量器具（台）", f.metrology.failed);
    n("检查特种设备（台套）", f.equipment.units);
    n("发现隐患和问题（项）", f.equipment.hazards);
    n("隐患已整改（项）", f.equipment.rectified);
    n("抽检（批次）", f.sampling.batches);
    n("不合格（批次）", f.sampling.failed);
    n("逾期未处置（批次）", f.sampling.disposals_overdue);
    n("责令整改（项）", f.rectification.ordered);
    n("按期整改（项）", f.rectification.on_time);
    n("逾期整改（项）", f.rectification.late);
    n("逾期未整改（项）", f.rectification.overdue);
    n("整改期限内（项）", f.rectification.open);
    for (name, r) in [
        ("合规率", &f.compliance_rate),
        ("计量器具不合格率", &f.metrology.failure_rate),
        ("特种设备隐患整改率", &f.equipment.rectification_rate),
        ("抽检不合格率", &f.sampling.failure_rate),
        ("不合格后处置率", &f.sampling.disposal_rate),
        ("按期整改率", &f.rectification.on_time_rate),
    ] {
        row(&mut out, &[name.to_string(), r.display.clone(), r.numerator.to_string(), r.denominator.to_string()]);
    }
    for c in &f.top_violations {
        row(&mut out, &[format!("问题类型：{}（{}）", c.title.zh, c.code), c.count.to_string(), String::new(), String::new()]);
    }
    out
}
