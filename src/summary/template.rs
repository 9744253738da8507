//! The report paragraphs as a template: data a bureau keeps in its own
//! phrasing, versioned like the rulebook, with today's wording as the
//! default (`report_template.json`, which renders exactly what
//! [`super::report::paragraphs`] wrote before templates — tests/summary.rs).
//!
//! Each paragraph (total, price, metrology, equipment, sampling) is a list of
//! variants; the first whose `when` holds is written (`"priceChecks = 0"`,
//! `"priceViolations > 0"`; none: always). A variant's text, in Chinese and
//! in English, names figures:
//! - `{visits}` writes the figure;
//! - `{?markets|，涉及{markets}个市场}` writes the clause only when the figure
//!   is not zero (a list: not empty).
//!
//! Every figure a template can name is in [`FIGURES`], with what it means; a
//! template naming any other, or with a brace left open, is refused whole
//! with each reason, so a bureau never publishes a paragraph that cannot be written.

use serde::{Deserialize, Serialize};

use super::{CodeCount, Summary};
use crate::problem::Text;

/// A bureau's report template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReportTemplate {
    pub version: String,
    /// Who wrote it and why (shown when it is published).
    #[serde(default)]
    pub note: String,
    pub total: Vec<Variant>,
    pub price: Vec<Variant>,
    pub metrology: Vec<Variant>,
    pub equipment: Vec<Variant>,
    pub sampling: Vec<Variant>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Variant {
    /// `"figure = 0"` or `"figure > 0"`; absent: always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    pub zh: String,
    pub en: String,
}

/// A figure's value as a template writes it.
enum Value {
    Number(f64, String),
    Text(Text),
}

impl Value {
    fn is_zero(&self) -> bool {
        match self {
            Value::Number(n, _) => *n == 0.0,
            Value::Text(t) => t.zh.is_empty(),
        }
    }
    fn write(&self, zh: bool) -> &str {
        match self {
            Value::Number(_, shown) => shown,
            Value::Text(t) => {
                if zh {
                    &t.zh
                } else {
                    &t.en
                }
            }
        }
    }
}

/// Every figure a template may name: (name, meaning in Chinese, in English).
pub const FIGURES: &[(&str, &str, &str)] = &[
    ("period", "统计期间（如“2026年上半年”）", "the period (\"the first half of 2026\")"),
    ("asOf", "统计截至日期", "the day the figures are as of"),
    ("officerDeployments", "出动执法人员人次", "officer deployments"),
    ("visits", "检查经营主体家次", "operator visits"),
    ("operators", "检查经营主体家数", "distinct operators"),
    ("markets", "涉及市场个数", "markets"),
    ("visitsWithViolations", "发现违法问题的家次", "visits with violations"),
    ("violations", "违法问题项数", "violations"),
    ("casesToOpen", "拟立案调查项数", "violations to be investigated as cases"),
    ("rectOrdered", "责令整改项数", "rectifications ordered"),
    ("rectOnTime", "按期整改项数", "rectified on time"),
    ("rectLate", "逾期整改项数", "rectified late"),
    ("rectOverdue", "逾期未整改项数", "overdue, not rectified"),
    ("rectOpen", "尚在整改期限内项数", "still within their deadline"),
    ("onTimeRate", "按期整改率", "on-time rectification rate"),
    ("topViolations", "问题较多的类型及项数（前5）", "the most frequent violation types (top 5)"),
    ("priceChecks", "检查价格标示项数", "price tags checked"),
    ("priceViolations", "价格违法行为处数", "price violations"),
    ("priceTypes", "价格违法行为类型及处数（前10）", "price violation types (top 10)"),
    ("instruments", "检查计量器具台数", "instruments checked"),
    ("instrumentsFailed", "不合格计量器具台数", "instruments failed"),
    ("instrumentFailureRate", "计量器具不合格率", "instrument failure rate"),
    ("failedInstrumentOperators", "使用不合格计量器具的商家数", "operators using failed instruments"),
    ("metrologyTypes", "计量问题类型及项数（前5）", "metrology problem types (top 5)"),
    ("equipmentUnits", "检查特种设备台（套）数", "special equipment units checked"),
    ("equipmentKinds", "特种设备种类及台数（如“电梯12台、锅炉3台”）", "units by kind (\"12 elevator, 3 boiler\")"),
    ("hazards", "发现安全隐患和问题项数", "hazards or problems found"),
    ("hazardsRectified", "已整改隐患项数", "hazards rectified"),
    ("hazardRectificationRate", "隐患整改率", "hazard rectification rate"),
    ("equipmentTypes", "特种设备问题类型及项数（前5）", "special equipment problem types (top 5)"),
    ("batches", "抽检批次", "batches sampled"),
    ("batchesFailed", "不合格批次", "batches failed"),
    ("samplingFailureRate", "抽检不合格率", "sampling failure rate"),
    ("disposalRate", "不合格后处置率", "disposal rate after failure"),
    ("disposed", "已处置批次", "batches disposed"),
    ("disposalsOverdue", "逾期未处置批次", "disposals overdue"),
    ("disposalsOpen", "处置中批次", "disposals in progress"),
    ("pendingResults", "检验结果未出批次", "results pending"),
    ("productCategories", "按产品类别的批次与不合格（前6类）", "batches and failures by product category (six largest)"),
];

/// Why a template cannot be used: each problem, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError(pub Vec<Text>);

impl crate::CoreError for TemplateError {
    fn code(&self) -> &'static str {
        "REPORT_TEMPLATE_INVALID"
    }
    fn message(&self) -> Text {
        Text::new(
            format!("报告模板无法使用：{}", self.0.iter().map(|t| t.zh.as_str()).collect::<Vec<_>>().join("；")),
            format!("The report template cannot be used: {}", self.0.iter().map(|t| t.en.as_str()).collect::<Vec<_>>().join("; ")),
        )
    }
}

/// A piece of a variant's text.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Text(&'a str),
    Figure(&'a str),
    /// Written only when the figure is not zero.
    Clause(&'a str, Vec<Piece<'a>>),
}

/// Read a text into pieces; `Err` says what is wrong with it.
fn pieces(text: &str, nested: bool) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(format!("多余的“}}”：…{}", &rest[..open + 1]));
        }
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        let after = &rest[open + 1..];
        if let Some(clause) = after.strip_prefix('?') {
            if nested {
                return Err("条件句“{?…|…}”中不能再套条件句".into());
            }
            let bar = clause.find('|').ok_or_else(|| format!("条件句缺少“|”：{{?{}", clause.chars().take(20).collect::<String>()))?;
            let name = &clause[..bar];
            // The clause ends at the brace that closes it (figures inside have their own).
            let body = &clause[bar + 1..];
            let mut depth = 0usize;
            let mut end = None;
            for (i, c) in body.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        end = Some(i);
                        break;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            let end = end.ok_or_else(|| format!("条件句“{{?{name}|…”没有结束的“}}”"))?;
            out.push(Piece::Clause(name, pieces(&body[..end], true)?));
            rest = &body[end + 1..];
        } else {
            let unclosed = || format!("“{{”没有结束的“}}”：{{{}", after.chars().take(20).collect::<String>());
            let close = after.find('}').ok_or_else(unclosed)?;
            if after[..close].contains('{') {
                return Err(unclosed());
            }
            out.push(Piece::Figure(&after[..close]));
            rest = &after[close + 1..];
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

fn known(name: &str) -> bool {
    FIGURES.iter().any(|(n, _, _)| *n == name)
}

fn figures_named<'a>(list: &[Piece<'a>], out: &mut Vec<&'a str>) {
    for p in list {
        match p {
            Piece::Text(_) => {}
            Piece::Figure(n) => out.push(n),
            Piece::Clause(n, inner) => {
                out.push(n);
                figures_named(inner, out);
            }
        }
    }
}

/// `"figure = 0"` / `"figure > 0"`: (figure, zero wanted).
fn condition(when: &str) -> Result<(&str, bool), String> {
    let (name, zero, value) = match (when.split_once('='), when.split_once('>')) {
        (Some((n, v)), _) => (n, true, v),
        (None, Some((n, v))) => (n, false, v),
        (None, None) => return Err(format!("条件“{when}”应为“指标 = 0”或“指标 > 0”")),
    };
    if value.trim() != "0" {
        return Err(format!("条件“{when}”只能是“= 0”或“> 0”"));
    }
    Ok((name.trim(), zero))
}

impl ReportTemplate {
    /// Today's wording: the template in force until a bureau publishes its own.
    pub fn builtin() -> &'static ReportTemplate {
        static BUILTIN: std::sync::OnceLock<ReportTemplate> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| ReportTemplate::from_json(include_str!(concat!(env!("OUT_DIR"), "/report_template.json"))).expect("the built-in report template is valid"))
    }

    /// Read and check a template file: every reason it cannot be used, or the template.
    pub fn from_json(text: &str) -> Result<ReportTemplate, TemplateError> {
        let not_one = |e: String| TemplateError(vec![Text::new(format!("不是报告模板文件（{e}）"), format!("not a report template file ({e})"))]);
        // The reader refuses anything but an object too; this says so in a clerk's words first.
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| not_one(e.to_string()))?;
        if !value.is_object() {
            return Err(not_one("应为 JSON 对象 / a JSON object is expected".into()));
        }
        // The records' reader (one copy of serde's reading code in the wasm), naming where.
        let t: ReportTemplate = crate::decode::read(&value).map_err(|e| not_one(e.to_string()))?;
        t.check()?;
        Ok(t)
    }

    /// Each paragraph with its key.
    fn paragraphs(&self) -> [(&'static str, &[Variant]); 5] {
        [("total", &self.total), ("price", &self.price), ("metrology", &self.metrology), ("equipment", &self.equipment), ("sampling", &self.sampling)]
    }

    /// Every problem: a figure the core does not have, a brace left open, a condition it cannot read, a paragraph with nothing to write.
    pub fn check(&self) -> Result<(), TemplateError> {
        let mut problems = Vec::new();
        if self.version.trim().is_empty() || self.version.chars().count() > 100 || self.version.chars().any(char::is_control) {
            problems.push(Text::new("模板版本号应为1–100个字符，不含控制字符", "the template's version must be 1–100 characters without control characters"));
        }
        for (key, variants) in self.paragraphs() {
            if variants.last().is_none_or(|v| v.when.is_some()) {
                problems.push(Text::new(
                    format!("“{key}”段的最后一种写法应不带条件（其余条件都不成立时使用）"),
                    format!("the last variant of \"{key}\" must have no condition (used when no other holds)"),
                ));
            }
            for (i, v) in variants.iter().enumerate() {
                let at = format!("“{key}”段第{}种写法", i + 1);
                let at_en = format!("variant {} of \"{key}\"", i + 1);
                if let Some(when) = &v.when {
                    match condition(when) {
                        Ok((name, _)) if !known(name) => {
                            problems.push(Text::new(format!("{at}的条件用了统计中没有的指标“{name}”"), format!("{at_en}: the condition names \"{name}\", which the figures do not have")))
                        }
                        Ok(_) => {}
                        Err(e) => problems.push(Text::new(format!("{at}：{e}"), format!("{at_en}: the condition \"{when}\" must be \"figure = 0\" or \"figure > 0\""))),
                    }
                }
                for (lang, text) in [("中文", &v.zh), ("英文", &v.en)] {
                    match pieces(text, false) {
                        Err(e) => {
                            problems.push(Text::new(format!("{at}（{lang}）：{e}"), format!("{at_en} ({}): a brace is not closed or not opened", if lang == "中文" { "Chinese" } else { "English" })))
                        }
                        Ok(list) => {
                            let mut names = Vec::new();
                            figures_named(&list, &mut names);
                            for name in names.into_iter().filter(|n| !known(n)) {
                                problems.push(Text::new(
                                    format!("{at}（{lang}）用了统计中没有的指标“{name}”"),
                                    format!("{at_en} ({}) names \"{name}\", which the figures do not have", if lang == "中文" { "Chinese" } else { "English" }),
                                ));
                            }
                        }
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(TemplateError(problems))
        }
    }

    /// The paragraphs of a summary in this template's words.
    pub fn render(&self, s: &Summary) -> super::report::ReportParagraphs {
        let values = Values::of(s);
        let write = |variants: &[Variant]| -> Text {
            let chosen = variants.iter().find(|v| match v.when.as_deref().map(condition) {
                None => true,
                Some(Ok((name, zero))) => values.get(name).is_some_and(|x| x.is_zero() == zero),
                Some(Err(_)) => false,
            });
            match chosen {
                Some(v) => Text::new(values.fill(&v.zh, true), values.fill(&v.en, false)),
                None => Text::new("", ""),
            }
        };
        super::report::ReportParagraphs { total: write(&self.total), price: write(&self.price), metrology: write(&self.metrology), equipment: write(&self.equipment), sampling: write(&self.sampling) }
    }
}

/// The figures of one summary, by name.
struct Values(Vec<(&'static str, Value)>);

fn n(x: u32) -> Value {
    Value::Number(x as f64, x.to_string())
}

fn rate(r: &super::Rate) -> Value {
    Value::Number(r.percent.unwrap_or(0.0), r.display.clone())
}

/// "未明码标价3处、标价签要素不全2处" / "no price tag (3), …" — the types with their counts.
fn types(list: &[CodeCount], unit: &str, max: usize) -> Value {
    Value::Text(Text::new(
        list.iter().take(max).map(|c| format!("{}{}{}", c.title.zh, c.count, unit)).collect::<Vec<_>>().join("、"),
        list.iter().take(max).map(|c| format!("{} ({})", c.title.en.to_ascii_lowercase(), c.count)).collect::<Vec<_>>().join(", "),
    ))
}

fn date_zh(d: crate::time::Date) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

impl Values {
    fn of(s: &Summary) -> Values {
        let f = &s.figures;
        let (r, p, m, e, sm) = (&f.rectification, &f.price, &f.metrology, &f.equipment, &f.sampling);
        let kinds = Value::Text(Text::new(
            e.by_kind.iter().map(|k| format!("{}{}台", k.label.zh, k.units)).collect::<Vec<_>>().join("、"),
            e.by_kind.iter().map(|k| format!("{} {}", k.units, k.label.en.to_ascii_lowercase())).collect::<Vec<_>>().join(", "),
        ));
        // As the seeds write it: "服装鞋帽202个批次，69个批次不合格（还有80个批次未出结果）"; the six largest, as a report names its main products.
        const NAMED: usize = 6;
        let named: Vec<&super::CategoryFigures> = sm.by_category.iter().filter(|c| c.category.is_some()).collect();
        let more = if named.len() > NAMED { ("等", "; and others") } else { ("", "") };
        let categories = if named.is_empty() {
            Value::Text(Text::new("", ""))
        } else {
            Value::Text(Text::new(
                named
                    .iter()
                    .take(NAMED)
                    .map(|c| {
                        let pending = if c.pending_results > 0 { format!("（还有{}个批次未出结果）", c.pending_results) } else { String::new() };
                        format!("{}{}个批次，{}个批次不合格{pending}", c.label.zh, c.batches, c.failed)
                    })
                    .collect::<Vec<_>>()
                    .join("；")
                    + more.0,
                named
                    .iter()
                    .take(NAMED)
                    .map(|c| {
                        let pending = if c.pending_results > 0 { format!(", {} pending", c.pending_results) } else { String::new() };
                        format!("{} {} batches, {} failed{pending}", c.label.en.to_ascii_lowercase(), c.batches, c.failed)
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
                    + more.1,
            ))
        };
        Values(vec![
            ("period", Value::Text(s.period.label.clone())),
            ("asOf", Value::Text(Text::new(date_zh(s.as_of), s.as_of.to_string()))),
            ("officerDeployments", n(f.officer_deployments)),
            ("visits", n(f.visits)),
            ("operators", n(f.operators)),
            ("markets", n(f.markets)),
            ("visitsWithViolations", n(f.visits_with_violations)),
            ("violations", n(f.violations)),
            ("casesToOpen", n(f.cases_to_open)),
            ("rectOrdered", n(r.ordered)),
            ("rectOnTime", n(r.on_time)),
            ("rectLate", n(r.late)),
            ("rectOverdue", n(r.overdue)),
            ("rectOpen", n(r.open)),
            ("onTimeRate", rate(&r.on_time_rate)),
            ("topViolations", types(&f.top_violations, "项", 5)),
            ("priceChecks", n(p.checks)),
            ("priceViolations", n(p.violations)),
            ("priceTypes", types(&p.by_type, "处", 10)),
            ("instruments", n(m.instruments)),
            ("instrumentsFailed", n(m.failed)),
            ("instrumentFailureRate", rate(&m.failure_rate)),
            ("failedInstrumentOperators", n(m.failed_operators)),
            ("metrologyTypes", types(&m.by_type, "项", 5)),
            ("equipmentUnits", n(e.units)),
            ("equipmentKinds", kinds),
            ("hazards", n(e.hazards)),
            ("hazardsRectified", n(e.rectified)),
            ("hazardRectificationRate", rate(&e.rectification_rate)),
            ("equipmentTypes", types(&e.by_type, "项", 5)),
            ("batches", n(sm.batches)),
            ("batchesFailed", n(sm.failed)),
            ("samplingFailureRate", rate(&sm.failure_rate)),
            ("disposalRate", rate(&sm.disposal_rate)),
            ("disposed", n(sm.disposed)),
            ("disposalsOverdue", n(sm.disposals_overdue)),
            ("disposalsOpen", n(sm.disposals_open)),
            ("pendingResults", n(sm.pending_results)),
            ("productCategories", categories),
        ])
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    fn fill(&self, text: &str, zh: bool) -> String {
        let mut out = String::new();
        // A checked template always reads; an unreadable text is written as it is.
        match pieces(text, false) {
            Ok(list) => self.write(&list, zh, &mut out),
            Err(_) => out.push_str(text),
        }
        out
    }

    fn write(&self, list: &[Piece], zh: bool, out: &mut String) {
        for p in list {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Figure(name) => out.push_str(self.get(name).map_or("", |v| v.write(zh))),
                Piece::Clause(name, inner) => {
                    if self.get(name).is_some_and(|v| !v.is_zero()) {
                        self.write(inner, zh, out);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_read_figures_and_clauses() {
        let p = pieces("共{visits}家次{?markets|，涉及{markets}个市场}。", false).unwrap();
        assert_eq!(
            p,
            vec![
                Piece::Text("共"),
                Piece::Figure("visits"),
                Piece::Text("家次"),
                Piece::Clause("markets", vec![Piece::Text("，涉及"), Piece::Figure("markets"), Piece::Text("个市场")]),
                Piece::Text("。")
            ]
        );
        assert!(pieces("共{visits家次", false).is_err());
        assert!(pieces("共visits}家次", false).is_err());
        assert!(pieces("{?markets，涉及}", false).is_err());
    }
}
