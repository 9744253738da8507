//! The three lists a draw reads (名录库), as a bureau keeps them: the target
//! directory (检查对象名录库), the inspector directory (执法检查人员名录库) and the
//! matter list (抽查事项清单). Each is checked whole by [`check_list`] before HQ
//! stores it, and each can be read from a spreadsheet saved as CSV whose
//! columns are named in the first row ([`columns`], in Chinese or English; the
//! layout is in docs/draw.md).

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::{Inspector, Matter, Target};
use crate::problem::Text;
use crate::rules::CheckKind;

/// Which list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum ListKind {
    Targets,
    Inspectors,
    Matters,
}

impl ListKind {
    pub const ALL: [ListKind; 3] = [ListKind::Targets, ListKind::Inspectors, ListKind::Matters];

    pub fn key(self) -> &'static str {
        match self {
            ListKind::Targets => "targets",
            ListKind::Inspectors => "inspectors",
            ListKind::Matters => "matters",
        }
    }

    pub fn parse(s: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|k| k.key() == s)
    }

    pub fn label(self) -> Text {
        match self {
            ListKind::Targets => Text::new("检查对象名录库", "target directory"),
            ListKind::Inspectors => Text::new("执法检查人员名录库", "inspector directory"),
            ListKind::Matters => Text::new("抽查事项清单", "matter list"),
        }
    }
}

/// How a column's cells are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum Cell {
    Text,
    /// Several values in one cell, separated by 、 ; or ；.
    List,
    /// 是/否 (yes/no, true/false, 1/0).
    YesNo,
    Number,
    /// Check kinds, by key or name (明码标价、计量器具、特种设备、抽检批次), several in one cell.
    CheckKinds,
    /// Checks that open a sector window: "2026-01-05 上级食品检查、2026-03-01 证后特种设备检查".
    RecentChecks,
}

/// One column of a list's spreadsheet: the field it fills, its headings, how it is read.
#[derive(Clone, Copy, Debug, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Column {
    pub field: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub cell: Cell,
    pub required: bool,
}

const fn col(field: &'static str, zh: &'static str, en: &'static str, cell: Cell, required: bool) -> Column {
    Column { field, zh, en, cell, required }
}

const TARGET_COLUMNS: &[Column] = &[
    col("creditCode", "统一社会信用代码", "credit code", Cell::Text, true),
    col("name", "名称", "name", Cell::Text, true),
    col("address", "地址", "address", Cell::Text, false),
    col("market", "所属市场", "market", Cell::Text, false),
    col("categories", "对象类别", "categories", Cell::List, false),
    col("keyUnit", "重点单位", "key unit", Cell::YesNo, false),
    col("riskClass", "信用风险分类", "risk class", Cell::Text, false),
    col("recentChecks", "近期检查", "recent checks", Cell::RecentChecks, false),
];
const INSPECTOR_COLUMNS: &[Column] = &[
    col("certificateNo", "执法证号", "certificate no", Cell::Text, true),
    col("name", "姓名", "name", Cell::Text, true),
    col("certificates", "证件类别", "certificates", Cell::List, false),
    col("fields", "执法领域", "fields", Cell::List, false),
    col("available", "在岗", "available", Cell::YesNo, false),
    col("conflicts", "回避对象", "conflicts", Cell::List, false),
];
const MATTER_COLUMNS: &[Column] = &[
    col("code", "事项编码", "code", Cell::Text, true),
    col("title", "事项名称", "title", Cell::Text, true),
    col("basis", "法律依据", "basis", Cell::Text, true),
    col("checkKinds", "检查类别", "check kinds", Cell::CheckKinds, false),
    col("categories", "对象类别", "categories", Cell::List, false),
    col("ratio", "抽查比例", "ratio", Cell::Number, true),
    col("keyUnitRatio", "重点单位比例", "key unit ratio", Cell::Number, true),
    col("certificate", "所需证件", "certificate", Cell::Text, false),
    col("sector", "领域", "sector", Cell::Text, false),
    col("publicationWorkingDays", "公示期限（工作日）", "publication working days", Cell::Number, false),
];

/// The spreadsheet layout of each list (docs/draw.md prints these).
pub fn columns(kind: ListKind) -> &'static [Column] {
    match kind {
        ListKind::Targets => TARGET_COLUMNS,
        ListKind::Inspectors => INSPECTOR_COLUMNS,
        ListKind::Matters => MATTER_COLUMNS,
    }
}

/// Why a list cannot be stored: each reason names its row (the spreadsheet's
/// line, counting the heading as 1) or entry, in both languages.
#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct ListError {
    pub reasons: Vec<Text>,
}

impl crate::error::CoreError for ListError {
    fn code(&self) -> &'static str {
        "LIST_INVALID"
    }
    fn message(&self) -> Text {
        let zh: Vec<String> = self.reasons.iter().take(20).map(|t| t.zh.clone()).collect();
        let en: Vec<String> = self.reasons.iter().take(20).map(|t| t.en.clone()).collect();
        let more = self.reasons.len().saturating_sub(20);
        let (mzh, men) = if more > 0 { (format!("；另有 {more} 处"), format!("; {more} more")) } else { Default::default() };
        Text::new(format!("{}{mzh}", zh.join("；")), format!("{}{men}", en.join("; ")))
    }
}

/// A stored list, typed.
#[derive(Clone, Debug, PartialEq)]
pub enum List {
    Targets(Vec<Target>),
    Inspectors(Vec<Inspector>),
    Matters(Vec<Matter>),
}

impl List {
    pub fn to_json(&self) -> Value {
        match self {
            List::Targets(v) => serde_json::to_value(v),
            List::Inspectors(v) => serde_json::to_value(v),
            List::Matters(v) => serde_json::to_value(v),
        }
        .expect("a list serialises")
    }
    pub fn len(&self) -> usize {
        match self {
            List::Targets(v) => v.len(),
            List::Inspectors(v) => v.len(),
            List::Matters(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn reason(at: &str, at_en: &str, zh: String, en: String) -> Text {
    Text::new(format!("{at}：{zh}"), format!("{at_en}: {en}"))
}

/// Read and check a list given as JSON (an array of entries): every entry of
/// the right shape, keys unique, credit codes valid (GB 32100-2015), ratios 0–1.
pub fn check_list(kind: ListKind, value: Value) -> Result<List, ListError> {
    check_rows(kind, value, |i| (format!("第 {} 条", i + 1), format!("entry {}", i + 1)))
}

fn check_rows(kind: ListKind, value: Value, place: impl Fn(usize) -> (String, String)) -> Result<List, ListError> {
    let Value::Array(rows) = value else {
        return Err(ListError { reasons: vec![Text::new("名录须为条目的列表", "a list must be an array of entries")] });
    };
    let mut reasons = Vec::new();
    let mut keys = std::collections::HashMap::new();
    let mut typed_targets = Vec::new();
    let mut typed_inspectors = Vec::new();
    let mut typed_matters = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        let (at, at_en) = place(i);
        let key = match kind {
            ListKind::Targets => match serde_json::from_value::<Target>(row) {
                Ok(t) => {
                    if let Err(fault) = crate::credit_code::check(&t.credit_code) {
                        let m = fault.describe();
                        reasons.push(reason(&at, &at_en, format!("统一社会信用代码“{}”{}", t.credit_code, m.zh), format!("credit code \"{}\": {}", t.credit_code, m.en)));
                    }
                    let k = t.credit_code.clone();
                    typed_targets.push(t);
                    Some(k)
                }
                Err(e) => {
                    reasons.push(reason(&at, &at_en, format!("不是检查对象（{e}）"), format!("not a target ({e})")));
                    None
                }
            },
            ListKind::Inspectors => match serde_json::from_value::<Inspector>(row) {
                Ok(p) => {
                    let k = p.certificate_no.clone();
                    typed_inspectors.push(p);
                    Some(k)
                }
                Err(e) => {
                    reasons.push(reason(&at, &at_en, format!("不是检查人员（{e}）"), format!("not an inspector ({e})")));
                    None
                }
            },
            ListKind::Matters => match serde_json::from_value::<Matter>(row) {
                Ok(m) => {
                    for k in m.check_kinds.iter().filter(|k| check_kind(k).as_deref() != Some(k.as_str())) {
                        reasons.push(reason(&at, &at_en, format!("“{k}”不是检查类别"), format!("\"{k}\" is not a check kind")));
                    }
                    if !(0.0..=1.0).contains(&m.ratio) || !(0.0..=1.0).contains(&m.key_unit_ratio) || m.key_unit_ratio < m.ratio {
                        reasons.push(reason(&at, &at_en, "抽查比例须在 0–1 之间，重点单位比例不低于一般比例".into(), "ratios must be 0–1, the key-unit ratio not below the ratio".into()));
                    }
                    let k = m.code.clone();
                    typed_matters.push(m);
                    Some(k)
                }
                Err(e) => {
                    reasons.push(reason(&at, &at_en, format!("不是抽查事项（{e}）"), format!("not a matter ({e})")));
                    None
                }
            },
        };
        if let Some(k) = key {
            if k.trim().is_empty() {
                reasons.push(reason(&at, &at_en, "编号为空".into(), "the key is empty".into()));
            } else if let Some(first) = keys.insert(k.clone(), i) {
                let (was, was_en) = place(first);
                reasons.push(reason(&at, &at_en, format!("“{k}”与{was}重复"), format!("\"{k}\" repeats {was_en}")));
            }
        }
    }
    if !reasons.is_empty() {
        return Err(ListError { reasons });
    }
    Ok(match kind {
        ListKind::Targets => List::Targets(typed_targets),
        ListKind::Inspectors => List::Inspectors(typed_inspectors),
        ListKind::Matters => List::Matters(typed_matters),
    })
}

/// Read a list from CSV text (a spreadsheet saved as CSV, UTF-8, a BOM allowed):
/// the first row names the columns (Chinese or English headings of [`columns`],
/// in any order; unknown columns are refused so nothing typed is silently
/// dropped), each further non-empty row is an entry.
pub fn list_from_csv(kind: ListKind, text: &str) -> Result<List, ListError> {
    let rows = parse_csv(text.strip_prefix('\u{feff}').unwrap_or(text));
    let Some((heading, body)) = rows.split_first() else {
        return Err(ListError { reasons: vec![Text::new("文件是空的", "the file is empty")] });
    };
    let cols = columns(kind);
    let mut reasons = Vec::new();
    let mut by_index = Vec::new();
    for h in heading {
        let h = h.trim();
        match cols.iter().find(|c| c.zh == h || c.en.eq_ignore_ascii_case(h) || c.field == h) {
            Some(c) => by_index.push(Some(c)),
            None if h.is_empty() => by_index.push(None),
            None => reasons.push(Text::new(format!("第 1 行：未知的列“{h}”"), format!("line 1: unknown column \"{h}\""))),
        }
    }
    for c in cols.iter().filter(|c| c.required) {
        if !by_index.iter().flatten().any(|b| b.field == c.field) {
            reasons.push(Text::new(format!("第 1 行：缺少“{}”列", c.zh), format!("line 1: the column \"{}\" is missing", c.en)));
        }
    }
    if !reasons.is_empty() {
        return Err(ListError { reasons });
    }
    let mut entries = Vec::new();
    let mut lines = Vec::new();
    for (n, row) in body.iter().enumerate() {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = n + 2;
        let mut entry = Map::new();
        for (cell, column) in row.iter().zip(&by_index) {
            let (Some(column), cell) = (column, cell.trim()) else { continue };
            if cell.is_empty() {
                continue;
            }
            let value = match column.cell {
                Cell::Text => json!(cell),
                Cell::List => json!(split_cell(cell)),
                Cell::CheckKinds => {
                    let mut keys = Vec::new();
                    for name in split_cell(cell) {
                        match check_kind(name) {
                            Some(k) => keys.push(k),
                            None => reasons.push(Text::new(
                                format!("第 {line} 行：“{}”中的“{name}”不是检查类别（可填：{}）", column.zh, CheckKind::ALL.map(|k| k.label().zh).join("、")),
                                format!("line {line}: \"{name}\" in \"{}\" is not a check kind ({})", column.en, CheckKind::ALL.map(|k| kind_key(k)).join(", ")),
                            )),
                        }
                    }
                    json!(keys)
                }
                Cell::RecentChecks => {
                    let mut checks = Vec::new();
                    for item in split_cell(cell) {
                        match recent_check(item) {
                            Some(c) => checks.push(c),
                            None => reasons.push(Text::new(
                                format!("第 {line} 行：“{}”中的“{item}”应写作“日期 类别”，如“2026-01-05 上级食品检查”或“2026-03-01 证后特种设备检查”", column.zh),
                                format!("line {line}: \"{item}\" in \"{}\" should read \"date kind\", e.g. \"2026-01-05 upperLevelFood\" or \"2026-03-01 postLicenceEquipment\"", column.en),
                            )),
                        }
                    }
                    json!(checks)
                }
                Cell::YesNo => match cell {
                    "是" | "Y" | "y" | "yes" | "Yes" | "true" | "TRUE" | "1" => json!(true),
                    "否" | "N" | "n" | "no" | "No" | "false" | "FALSE" | "0" => json!(false),
                    _ => {
                        reasons.push(Text::new(format!("第 {line} 行：“{}”应填“是”或“否”，而不是“{cell}”", column.zh), format!("line {line}: \"{}\" takes yes or no, not \"{cell}\"", column.en)));
                        continue;
                    }
                },
                Cell::Number => match cell.trim_end_matches('%').parse::<f64>() {
                    Ok(n) if cell.ends_with('%') => json!(n / 100.0),
                    Ok(n) if column.field == "publicationWorkingDays" && n.fract() == 0.0 && n >= 0.0 => json!(n as u32),
                    Ok(n) => json!(n),
                    Err(_) => {
                        reasons.push(Text::new(format!("第 {line} 行：“{}”应为数字，而不是“{cell}”", column.zh), format!("line {line}: \"{}\" takes a number, not \"{cell}\"", column.en)));
                        continue;
                    }
                },
            };
            entry.insert(column.field.into(), value);
        }
        if kind == ListKind::Inspectors && !entry.contains_key("available") {
            entry.insert("available".into(), json!(true));
        }
        for c in cols.iter().filter(|c| c.required && !entry.contains_key(c.field)) {
            reasons.push(Text::new(format!("第 {line} 行：“{}”未填写", c.zh), format!("line {line}: \"{}\" is empty", c.en)));
        }
        entries.push(Value::Object(entry));
        lines.push(line);
    }
    if !reasons.is_empty() {
        return Err(ListError { reasons });
    }
    check_rows(kind, Value::Array(entries), |i| (format!("第 {} 行", lines[i]), format!("line {}", lines[i])))
}

fn split_cell(cell: &str) -> Vec<&str> {
    cell.split(['、', ';', '；']).map(str::trim).filter(|s| !s.is_empty()).collect()
}

fn kind_key(k: CheckKind) -> String {
    serde_json::to_value(k).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

/// A check kind's key, from its key or its name in either language.
fn check_kind(name: &str) -> Option<String> {
    CheckKind::ALL.into_iter().find(|k| kind_key(*k) == name || k.label().zh == name || k.label().en.eq_ignore_ascii_case(name)).map(kind_key)
}

/// "2026-01-05 上级食品检查" (or the kind's key) → a recent check.
fn recent_check(item: &str) -> Option<super::RecentCheck> {
    let (day, kind) = item.split_once(char::is_whitespace)?;
    let on = crate::time::read_date(day.trim()).ok()?;
    let kind = kind.trim();
    let kind = [super::RecentCheckKind::UpperLevelFood, super::RecentCheckKind::PostLicenceEquipment]
        .into_iter()
        .find(|k| k.label().zh == kind || serde_json::to_value(k).ok().and_then(|v| v.as_str().map(|s| s == kind)).unwrap_or(false))?;
    Some(super::RecentCheck { on, kind })
}

/// A list as a spreadsheet saved as CSV, in the columns of [`columns`] with
/// Chinese headings, each cell as [`list_from_csv`] reads it back: the way a
/// clerk takes a list out, edits it and brings it in again.
pub fn list_to_csv(kind: ListKind, entries: Value) -> Result<String, ListError> {
    let list = check_list(kind, entries)?;
    let rows = match list.to_json() {
        Value::Array(rows) => rows,
        _ => Vec::new(),
    };
    let cols = columns(kind);
    let mut out = String::from("\u{feff}");
    out.push_str(&cols.iter().map(|c| c.zh).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for row in rows {
        let cells: Vec<String> = cols.iter().map(|c| crate::summary::export::quote(&cell_text(c, row.get(c.field)))).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    Ok(out)
}

fn cell_text(c: &Column, v: Option<&Value>) -> String {
    let Some(v) = v else { return String::new() };
    match (c.cell, v) {
        (Cell::YesNo, Value::Bool(b)) => if *b { "是" } else { "否" }.into(),
        (Cell::Number, Value::Number(n)) if c.field.ends_with("atio") => format!("{}%", (n.as_f64().unwrap_or(0.0) * 100_000.0).round() / 1000.0),
        (Cell::CheckKinds, Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(|k| check_kind(k).and_then(|key| CheckKind::ALL.into_iter().find(|x| kind_key(*x) == key)).map(|x| x.label().zh).unwrap_or_else(|| k.to_string()))
            .collect::<Vec<_>>()
            .join("、"),
        (Cell::RecentChecks, Value::Array(a)) => {
            a.iter().filter_map(|x| serde_json::from_value::<super::RecentCheck>(x.clone()).ok()).map(|r| format!("{} {}", r.on, r.kind.label().zh)).collect::<Vec<_>>().join("、")
        }
        (_, Value::Array(a)) => a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("、"),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

/// RFC 4180 CSV: fields separated by commas, quoted with `"` when they hold a
/// comma, quote or line break (a quote doubled inside); CRLF or LF.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_may_be_quoted_with_commas_quotes_and_line_breaks() {
        let rows = parse_csv("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"x\ny\",,z\n");
        assert_eq!(rows, vec![vec!["a", "b,c", "say \"hi\""], vec!["x\ny", "", "z"]]);
    }

    #[test]
    fn a_target_sheet_is_read_in_chinese_and_refused_by_line() {
        let sheet = "\u{feff}统一社会信用代码,名称,所属市场,对象类别,重点单位\n91350100M000100Y43,甲超市,东街市场,食品经营、计量器具使用,是\n";
        let List::Targets(t) = list_from_csv(ListKind::Targets, sheet).unwrap() else { panic!() };
        assert_eq!(t[0].categories, vec!["食品经营", "计量器具使用"]);
        assert!(t[0].key_unit);
        assert_eq!(t[0].market.as_deref(), Some("东街市场"));
        let bad = "统一社会信用代码,名称,重点单位\n91350100M000100Y43,甲,也许\n91350100M000100Y44,乙,否\n,丙,否\n";
        let e = list_from_csv(ListKind::Targets, bad).unwrap_err();
        let zh: Vec<&str> = e.reasons.iter().map(|r| r.zh.as_str()).collect();
        assert!(zh[0].starts_with("第 2 行：“重点单位”应填"), "{zh:?}");
        assert!(zh.iter().any(|z| z.starts_with("第 4 行：“统一社会信用代码”未填写")), "{zh:?}");
        let unknown = list_from_csv(ListKind::Targets, "统一社会信用代码,名称,电话\n").unwrap_err();
        assert_eq!(unknown.reasons[0].zh, "第 1 行：未知的列“电话”");
    }

    #[test]
    fn keys_repeat_and_check_digits_are_named_by_line() {
        let sheet = "统一社会信用代码,名称\n91350100M000100Y43,甲\n91350100M000100Y43,乙\n91350100M000100Y44,丙\n";
        let e = list_from_csv(ListKind::Targets, sheet).unwrap_err();
        let zh: Vec<&str> = e.reasons.iter().map(|r| r.zh.as_str()).collect();
        assert!(zh.iter().any(|z| z.starts_with("第 3 行：“91350100M000100Y43”与第 2 行重复")), "{zh:?}");
        assert!(zh.iter().any(|z| z.starts_with("第 4 行：统一社会信用代码“91350100M000100Y44”")), "{zh:?}");
    }

    #[test]
    fn matters_read_percentages_and_the_publication_limit() {
        let sheet = "事项编码,事项名称,法律依据,检查类别,抽查比例,重点单位比例,公示期限（工作日）\nJL-1,计量器具抽查,计量法,计量器具、price,5%,0.1,20\n";
        let List::Matters(m) = list_from_csv(ListKind::Matters, sheet).unwrap() else { panic!() };
        assert_eq!(m[0].check_kinds, vec!["metrology", "price"]);
        let wrong = list_from_csv(ListKind::Matters, "事项编码,事项名称,法律依据,检查类别,抽查比例,重点单位比例\nJL-1,x,y,食品,0.1,0.1\n").unwrap_err();
        assert!(wrong.reasons[0].zh.starts_with("第 2 行：“检查类别”中的“食品”不是检查类别（可填：明码标价、计量器具、特种设备、抽检批次）"), "{:?}", wrong.reasons);
        assert_eq!((m[0].ratio, m[0].key_unit_ratio, m[0].publication_working_days), (0.05, 0.1, Some(20)));
        let inverted = "事项编码,事项名称,法律依据,抽查比例,重点单位比例\nJL-1,x,y,0.5,0.1\n";
        assert!(list_from_csv(ListKind::Matters, inverted).unwrap_err().reasons[0].zh.contains("重点单位比例不低于"));
    }

    #[test]
    fn a_list_goes_out_as_csv_and_comes_back_the_same() {
        let sheet =
            "统一社会信用代码,名称,地址,对象类别,重点单位,近期检查\n91350100M000100Y43,\"甲超市, 东店\",东街 1 号,食品经营、计量器具使用,是,2026-01-05 上级食品检查、2026-03-01 postLicenceEquipment\n";
        let list = list_from_csv(ListKind::Targets, sheet).unwrap();
        let List::Targets(t) = &list else { panic!() };
        assert_eq!(t[0].recent_checks.len(), 2);
        let out = list_to_csv(ListKind::Targets, list.to_json()).unwrap();
        assert!(out.contains("\"甲超市, 东店\"") && out.contains("2026-03-01 证后特种设备检查"), "{out}");
        assert_eq!(list_from_csv(ListKind::Targets, &out).unwrap(), list);
        let matters = list_from_csv(ListKind::Matters, "事项编码,事项名称,法律依据,检查类别,抽查比例,重点单位比例\nJL-1,x,y,计量器具,5%,12.5%\n").unwrap();
        let out = list_to_csv(ListKind::Matters, matters.to_json()).unwrap();
        assert!(out.contains(",计量器具,,5%,12.5%,"), "{out}");
        assert_eq!(list_from_csv(ListKind::Matters, &out).unwrap(), matters);
        let bad = list_from_csv(ListKind::Targets, "统一社会信用代码,名称,近期检查\n91350100M000100Y43,甲,上周\n").unwrap_err();
        assert!(bad.reasons[0].zh.contains("应写作“日期 类别”"), "{:?}", bad.reasons);
    }

    #[test]
    fn inspectors_default_to_available() {
        let List::Inspectors(p) = list_from_csv(ListKind::Inspectors, "执法证号,姓名,证件类别,回避对象\n35010001,陈,general、specialEquipment,91350100M000100Y43\n").unwrap() else {
            panic!()
        };
        assert!(p[0].available);
        assert_eq!(p[0].certificates, vec!["general", "specialEquipment"]);
    }
}
