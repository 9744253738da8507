//! Entry points of data validation: untrusted JSON in, a typed record (when
//! readable) and every problem out. Never panics, whatever the input.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::check::Checks;
use crate::decode::decode;
use crate::problem::{Problem, ProblemCode, Severity, Text};
use crate::sampling::{validate_follow_up_fields, SampleFollowUp};
use crate::time::Timestamp;
use crate::visit::{validate_visit_fields, Visit};

/// The verdict on one record's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationReport {
    /// No errors (warnings may remain, to be confirmed).
    pub ok: bool,
    pub error_count: usize,
    pub warning_count: usize,
    pub problems: Vec<Problem>,
}

impl ValidationReport {
    pub fn from_problems(problems: Vec<Problem>) -> Self {
        let error_count = problems.iter().filter(|p| p.severity == Severity::Error).count();
        ValidationReport { ok: error_count == 0, error_count, warning_count: problems.len() - error_count, problems }
    }

    pub fn has(&self, code: ProblemCode) -> bool {
        self.problems.iter().any(|p| p.code == code)
    }
}

/// A record as read, with its report. `record` is `None` only when the input
/// was not an object at all.
#[derive(Clone, Debug)]
pub struct Checked<T> {
    pub record: Option<T>,
    pub report: ValidationReport,
}

fn check_with<T: DeserializeOwned + Serialize>(value: Value, now: Timestamp, fields: impl FnOnce(&T, &mut Checks)) -> Checked<T> {
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

/// Parse JSON text, or report it as malformed.
pub fn parse_json(text: &str) -> Result<Value, Problem> {
    serde_json::from_str(text).map_err(|e| {
        Problem::new(
            ProblemCode::MalformedJson,
            "",
            Text::new(format!("不是有效的 JSON（第 {} 行第 {} 列）", e.line(), e.column()), format!("not valid JSON: {}", e)),
        )
    })
}

/// Read and validate a visit from JSON text.
pub fn check_visit_json(text: &str, now: Timestamp) -> Checked<Visit> {
    match parse_json(text) {
        Ok(v) => check_visit(v, now),
        Err(p) => Checked { record: None, report: ValidationReport::from_problems(vec![p]) },
    }
}
