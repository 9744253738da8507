//! The report paragraphs: the figures of a summary written out the way the
//! bureau's work reports put them ("共出动执法人员X人次，检查经营主体X家次……"),
//! one paragraph per kind of check and one for the whole, in Chinese and English.

use serde::{Deserialize, Serialize};

use super::{CodeCount, Summary};
use crate::problem::Text;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportParagraphs {
    pub total: Text,
    pub price: Text,
    pub metrology: Text,
    pub equipment: Text,
    pub sampling: Text,
}

impl ReportParagraphs {
    /// All paragraphs, in report order, in one language.
    pub fn joined(&self, zh: bool) -> String {
        [&self.total, &self.price, &self.metrology, &self.equipment, &self.sampling].iter().map(|t| if zh { t.zh.as_str() } else { t.en.as_str() }).collect::<Vec<_>>().join("\n")
    }
}

/// "未明码标价3处、标价签要素不全2处" — the types with their counts.
fn types_zh(list: &[CodeCount], unit: &str, max: usize) -> String {
    list.iter().take(max).map(|c| format!("{}{}{}", c.title.zh, c.count, unit)).collect::<Vec<_>>().join("、")
}

fn types_en(list: &[CodeCount], max: usize) -> String {
    list.iter().take(max).map(|c| format!("{} ({})", c.title.en.to_lowercase(), c.count)).collect::<Vec<_>>().join(", ")
}

fn date_zh(d: crate::time::Date) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

pub fn paragraphs(s: &Summary) -> ReportParagraphs {
    let f = &s.figures;
    let r = &f.rectification;
    let period = &s.period.label;
    let as_of = date_zh(s.as_of);

    let mut total_zh = format!(
        "{}（统计截至{as_of}），共出动执法人员{}人次，检查经营主体{}家次（{}家），其中{}家次发现违法问题，共发现违法问题{}项",
        period.zh, f.officer_deployments, f.visits, f.operators, f.visits_with_violations, f.violations
    );
    let mut total_en = format!(
        "In {} (as of {}), officers were deployed {} times and inspected {} operator visits ({} distinct operators); {} visits found violations, {} in all",
        period.en, s.as_of, f.officer_deployments, f.visits, f.operators, f.visits_with_violations, f.violations
    );
    if f.markets > 0 {
        total_zh = total_zh.replacen(&format!("（{}家）", f.operators), &format!("（{}家），涉及{}个市场", f.operators, f.markets), 1);
        total_en += &format!(", in {} markets", f.markets);
    }
    if f.cases_to_open > 0 {
        total_zh += &format!("，其中拟立案调查{}项", f.cases_to_open);
        total_en += &format!(", {} of them to be investigated as cases", f.cases_to_open);
    }
    if r.ordered > 0 {
        total_zh += &format!("；责令整改{}项，已按期整改{}项、逾期整改{}项，逾期未整改{}项，尚在整改期限内{}项，按期整改率{}", r.ordered, r.on_time, r.late, r.overdue, r.open, r.on_time_rate.display);
        total_en += &format!(
            "; {} rectifications were ordered: {} done on time, {} late, {} overdue and {} still within their deadline (on-time rate {})",
            r.ordered, r.on_time, r.late, r.overdue, r.open, r.on_time_rate.display
        );
    }
    if !f.top_violations.is_empty() {
        total_zh += &format!("。问题较多的是：{}", types_zh(&f.top_violations, "项", 5));
        total_en += &format!(". The most frequent were: {}", types_en(&f.top_violations, 5));
    }
    total_zh.push('。');
    total_en.push('.');

    let p = &f.price;
    let (price_zh, price_en) = if p.checks == 0 {
        ("明码标价方面，本期未开展价格标示检查。".to_string(), "Price tagging: no price checks in this period.".to_string())
    } else if p.violations == 0 {
        (format!("明码标价方面，检查商品和服务价格标示{}项，未发现价格违法行为。", p.checks), format!("Price tagging: {} price tags checked, no violation found.", p.checks))
    } else {
        (
            format!("明码标价方面，检查商品和服务价格标示{}项，发现价格违法行为{}处，其中{}。", p.checks, p.violations, types_zh(&p.by_type, "处", 10)),
            format!("Price tagging: {} price tags checked, {} violations found: {}.", p.checks, p.violations, types_en(&p.by_type, 10)),
        )
    };

    let m = &f.metrology;
    let (met_zh, met_en) = if m.instruments == 0 {
        ("计量监管方面，本期未开展计量器具检查。".to_string(), "Metrology: no instruments checked in this period.".to_string())
    } else {
        let mut zh = format!("计量监管方面，检查计量器具{}台，发现不合格{}台，不合格率{}", m.instruments, m.failed, m.failure_rate.display);
        let mut en = format!("Metrology: {} instruments checked, {} failed (failure rate {})", m.instruments, m.failed, m.failure_rate.display);
        if m.failed_operators > 0 {
            zh += &format!("，查处使用不合格计量器具的商家{}家", m.failed_operators);
            en += &format!("; {} operators found using failed instruments", m.failed_operators);
        }
        if !m.by_type.is_empty() {
            zh += &format!("，主要问题为{}", types_zh(&m.by_type, "项", 5));
            en += &format!("; mainly {}", types_en(&m.by_type, 5));
        }
        (zh + "。", en + ".")
    };

    let e = &f.equipment;
    let (eq_zh, eq_en) = if e.units == 0 {
        ("特种设备安全方面，本期未开展特种设备检查。".to_string(), "Special equipment: none checked in this period.".to_string())
    } else {
        // "其中电梯12台、锅炉3台": the kinds, when the records name them.
        let (kinds_zh, kinds_en) = if e.by_kind.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!("（其中{}）", e.by_kind.iter().map(|k| format!("{}{}台", k.label.zh, k.units)).collect::<Vec<_>>().join("、")),
                format!(" ({})", e.by_kind.iter().map(|k| format!("{} {}", k.units, k.label.en.to_lowercase())).collect::<Vec<_>>().join(", ")),
            )
        };
        let mut zh = format!("特种设备安全方面，检查特种设备{}台（套）{kinds_zh}，发现安全隐患和问题{}项，已整改{}项，整改率{}", e.units, e.hazards, e.rectified, e.rectification_rate.display);
        let mut en = format!("Special equipment: {} units checked{kinds_en}, {} hazards or problems found, {} rectified (rate {})", e.units, e.hazards, e.rectified, e.rectification_rate.display);
        if !e.by_type.is_empty() {
            zh += &format!("，主要为{}", types_zh(&e.by_type, "项", 5));
            en += &format!("; mainly {}", types_en(&e.by_type, 5));
        }
        (zh + "。", en + ".")
    };

    let sm = &f.sampling;
    let (samp_zh, samp_en) = if sm.batches == 0 {
        ("抽检方面，本期未开展抽样检验。".to_string(), "Sampling: no batches sampled in this period.".to_string())
    } else {
        let mut zh = format!("抽检方面，共抽检{}批次，不合格{}批次，不合格率{}，不合格后处置率{}（已处置{}批次", sm.batches, sm.failed, sm.failure_rate.display, sm.disposal_rate.display, sm.disposed);
        let mut en = format!(
            "Sampling: {} batches sampled, {} failed (failure rate {}); disposal rate after failure {} ({} disposed",
            sm.batches, sm.failed, sm.failure_rate.display, sm.disposal_rate.display, sm.disposed
        );
        if sm.disposals_overdue > 0 {
            zh += &format!("，逾期未处置{}批次", sm.disposals_overdue);
            en += &format!(", {} overdue", sm.disposals_overdue);
        }
        if sm.disposals_open > 0 {
            zh += &format!("，处置中{}批次", sm.disposals_open);
            en += &format!(", {} in progress", sm.disposals_open);
        }
        zh.push('）');
        en.push(')');
        if sm.pending_results > 0 {
            zh += &format!("，尚有{}批次检验结果未出", sm.pending_results);
            en += &format!("; {} results are still pending", sm.pending_results);
        }
        // As the seeds write it: "服装鞋帽202个批次，69个批次不合格（还有80个批次未出结果）".
        let named: Vec<&super::CategoryFigures> = sm.by_category.iter().filter(|c| c.category.is_some()).collect();
        if !named.is_empty() {
            let zh_of = |c: &super::CategoryFigures| {
                let pending = if c.pending_results > 0 { format!("（还有{}个批次未出结果）", c.pending_results) } else { String::new() };
                format!("{}{}个批次，{}个批次不合格{pending}", c.label.zh, c.batches, c.failed)
            };
            let en_of = |c: &super::CategoryFigures| {
                let pending = if c.pending_results > 0 { format!(", {} pending", c.pending_results) } else { String::new() };
                format!("{} {} batches, {} failed{pending}", c.label.en.to_lowercase(), c.batches, c.failed)
            };
            // The six largest, as a report names its main products; the table has them all.
            const NAMED: usize = 6;
            let more = if named.len() > NAMED { ("等", "; and others") } else { ("", "") };
            zh += &format!("。其中{}{}", named.iter().take(NAMED).map(|c| zh_of(c)).collect::<Vec<_>>().join("；"), more.0);
            en += &format!(". By product: {}{}", named.iter().take(NAMED).map(|c| en_of(c)).collect::<Vec<_>>().join("; "), more.1);
        }
        (zh + "。", en + ".")
    };

    ReportParagraphs {
        total: Text::new(total_zh, total_en),
        price: Text::new(price_zh, price_en),
        metrology: Text::new(met_zh, met_en),
        equipment: Text::new(eq_zh, eq_en),
        sampling: Text::new(samp_zh, samp_en),
    }
}
