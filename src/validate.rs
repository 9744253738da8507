//! Entry points of data validation: untrusted JSON in, a typed record (when
//! readable) and every problem out. Never panics, whatever the input.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::check::Checks;
use crate::decode::decode;
use crate::problem::{Problem, ProblemCode, Severity, Text};
use crate::sampling::{validate_follow_up_fields, SampleFollowUp};
use crate::time::Timestamp;
use crate::visit::{validate_visit_fields, Visit};

/// The verdict on one record's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct ValidationReport {
    /// No errors (warnings may remain, to be confirmed).
    pub ok: bool,
    pub error_count: usize,
    pub warning_count: usize,
    pub problems: Vec<Problem>,
}

/// Most entries in any one list of a record (price checks, weighings, …): far
/// beyond a real visit, and small enough that decoding stays cheap.
pub const MAX_LIST_ITEMS: usize = 1000;
/// Most JSON values (objects, arrays, strings, numbers…) in one record.
pub const MAX_RECORD_VALUES: usize = 50_000;
/// Most problems listed for one record; the rest are counted in one
/// `MORE_PROBLEMS` entry, so that an answer stays small whatever the input.
pub const MAX_LISTED_PROBLEMS: usize = 200;

impl ValidationReport {
    /// The report on `problems`: counts over all of them, at most
    /// [`MAX_LISTED_PROBLEMS`] listed (errors first kept in their order).
    pub fn from_problems(mut problems: Vec<Problem>) -> Self {
        let error_count = problems.iter().filter(|p| p.severity == Severity::Error).count();
        let warning_count = problems.len() - error_count;
        if problems.len() > MAX_LISTED_PROBLEMS {
            let unlisted = problems.len() - (MAX_LISTED_PROBLEMS - 1);
            // Errors decide what an officer must fix: they are listed before warnings are.
            problems.sort_by_key(|p| p.severity);
            problems.truncate(MAX_LISTED_PROBLEMS - 1);
            problems.push(Problem::new(ProblemCode::MoreProblems, "", Text::new(format!("另有 {unlisted} 个问题未列出"), format!("{unlisted} more problems are not listed"))));
        }
        ValidationReport { ok: error_count == 0, error_count, warning_count, problems }
    }

    pub fn has(&self, code: ProblemCode) -> bool {
        self.problems.iter().any(|p| p.code == code)
    }
}

/// A record as read, with its report. `record` is `None` only when the input
/// was not an object at all, or too large to read ([`MAX_LIST_ITEMS`],
/// [`MAX_RECORD_VALUES`]).
#[derive(Clone, Debug)]
pub struct Checked<T> {
    pub record: Option<T>,
    pub report: ValidationReport,
}

/// Where `value` is larger than a record may be: each list over [`MAX_LIST_ITEMS`]
/// (by JSON Pointer), or the whole record over [`MAX_RECORD_VALUES`]. Counted
/// before decoding, which would otherwise cost time and memory in proportion.
pub fn size_problems(value: &Value) -> Vec<Problem> {
    fn walk(v: &Value, at: &mut String, seen: &mut usize, out: &mut Vec<Problem>) {
        *seen += 1;
        if *seen > MAX_RECORD_VALUES || out.len() >= MAX_LISTED_PROBLEMS {
            return;
        }
        let len = at.len();
        match v {
            Value::Array(items) => {
                if items.len() > MAX_LIST_ITEMS {
                    out.push(Problem::new(
                        ProblemCode::TooLarge,
                        at.clone(),
                        Text::new(format!("此列表有 {} 条，最多 {MAX_LIST_ITEMS} 条", items.len()), format!("this list has {} entries; at most {MAX_LIST_ITEMS}", items.len())),
                    ));
                    return;
                }
                for (i, item) in items.iter().enumerate() {
                    at.push_str(&format!("/{i}"));
                    walk(item, at, seen, out);
                    at.truncate(len);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    at.push('/');
                    at.push_str(&crate::check::escape(k));
                    walk(item, at, seen, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    // Nearly every record is well within the limits: count first without
    // building a single path, and name places only when there is one to name.
    fn within(v: &Value, seen: &mut usize) -> bool {
        *seen += 1;
        if *seen > MAX_RECORD_VALUES {
            return false;
        }
        match v {
            Value::Array(items) => items.len() <= MAX_LIST_ITEMS && items.iter().all(|i| within(i, seen)),
            Value::Object(map) => map.values().all(|i| within(i, seen)),
            _ => true,
        }
    }
    if within(value, &mut 0) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut seen = 0;
    walk(value, &mut String::new(), &mut seen, &mut out);
    if seen > MAX_RECORD_VALUES {
        out.push(Problem::new(ProblemCode::TooLarge, "", Text::new(format!("记录的字段和条目超过 {MAX_RECORD_VALUES} 个"), format!("the record has more than {MAX_RECORD_VALUES} values"))));
    }
    out
}

fn check_with<T: crate::decode::FromValue>(value: Value, now: Timestamp, fields: impl FnOnce(&T, &mut Checks)) -> Checked<T> {
    let too_large = size_problems(&value);
    if !too_large.is_empty() {
        return Checked { record: None, report: ValidationReport::from_problems(too_large) };
    }
    let decoded = decode::<T>(value);
    let mut problems = decoded.problems.clone();
    if let Some(record) = &decoded.record {
        let mut checks = Checks::new(now);
        fields(record, &mut checks);
        // A value already reported as unreadable is not reported again as missing.
        problems.extend(checks.problems.into_iter().filter(|p| !decoded.is_shadowed(&p.path)));
    }
    Checked { record: decoded.record, report: ValidationReport::from_problems(problems) }
}

/// Read and validate an inspection visit.
pub fn check_visit(value: Value, now: Timestamp) -> Checked<Visit> {
    check_with(value, now, validate_visit_fields)
}

/// Read and validate a sample follow-up record (lab result, 复检, disposal).
pub fn check_follow_up(value: Value, now: Timestamp) -> Checked<SampleFollowUp> {
    check_with(value, now, validate_follow_up_fields)
}

/// Read and validate a record of documents handed over (送达).
pub fn check_delivery(value: Value, now: Timestamp) -> Checked<crate::documents::delivery::DeliveryRecord> {
    check_with(value, now, crate::documents::delivery::validate_delivery_fields)
}

/// Read and validate a rectification record (复查, or closed on documents).
pub fn check_rectification(value: Value, now: Timestamp) -> Checked<crate::rectification::RectificationRecord> {
    check_with(value, now, crate::rectification::validate_rectification_fields)
}

/// Parse JSON text, or report it as malformed.
pub fn parse_json(text: &str) -> Result<Value, Problem> {
    serde_json::from_str(text)
        .map_err(|e| Problem::new(ProblemCode::MalformedJson, "", Text::new(format!("不是有效的 JSON（第 {} 行第 {} 列）", e.line(), e.column()), format!("not valid JSON: {}", e))))
}

/// Read and validate a visit from JSON text.
pub fn check_visit_json(text: &str, now: Timestamp) -> Checked<Visit> {
    match parse_json(text) {
        Ok(v) => check_visit(v, now),
        Err(p) => Checked { record: None, report: ValidationReport::from_problems(vec![p]) },
    }
}
