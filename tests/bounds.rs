//! Bounded work per record: a record far beyond any real visit is refused from
//! its size before it is decoded, and a report lists at most
//! `MAX_LISTED_PROBLEMS` problems (the rest counted), so that neither time nor
//! the answer grows with what a hostile client sends.

use serde_json::{json, Value};
use xuncha::problem::{Problem, ProblemCode, Text};
use xuncha::validate::{size_problems, ValidationReport, MAX_LISTED_PROBLEMS, MAX_LIST_ITEMS, MAX_RECORD_VALUES};

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/visit_complete.json")).unwrap()
}

fn now() -> xuncha::time::Timestamp {
    "2026-12-01T10:00:00+08:00".parse().unwrap()
}

#[test]
fn a_list_over_the_limit_is_refused_where_it_is_and_nothing_is_decoded() {
    let mut v = fixture();
    v["priceChecks"] = Value::Array(vec![json!({}); MAX_LIST_ITEMS + 1]);
    let checked = xuncha::check_visit(v, now());
    assert!(checked.record.is_none());
    let codes: Vec<(&str, &str)> = checked.report.problems.iter().map(|p| (p.code.as_str(), p.path.as_str())).collect();
    assert_eq!(codes, vec![("TOO_LARGE", "/priceChecks")]);
    assert!(checked.report.problems[0].code.is_structural(), "HQ never stores it, a draft neither");
}

#[test]
fn exactly_at_the_limits_is_read_as_usual() {
    let mut v = fixture();
    v["notes"] = json!("x");
    v["attachments"] = Value::Array(vec![]);
    let mut list = Vec::new();
    for i in 0..MAX_LIST_ITEMS {
        list.push(json!(format!("tag {i}")));
    }
    v["priceChecks"][0]["elementsPresent"] = Value::Array(list);
    assert!(size_problems(&v).is_empty());
}

#[test]
fn too_many_values_in_all_is_refused_whole() {
    let mut v = fixture();
    // 100 lists of 600 numbers: each list is allowed, together they are too many.
    v["notes"] = Value::Array((0..100).map(|_| Value::Array(vec![json!(1); 600])).collect());
    let problems = size_problems(&v);
    assert!(problems.iter().any(|p| p.code == ProblemCode::TooLarge && p.path.is_empty()), "{problems:?}");
    assert!(MAX_RECORD_VALUES < 100 * 600);
}

#[test]
fn a_report_lists_errors_first_and_counts_the_rest() {
    let warning = |i: usize| Problem::new(ProblemCode::ZeroPrice, format!("/priceChecks/{i}/price"), Text::new("零", "zero"));
    let error = |i: usize| Problem::new(ProblemCode::Required, format!("/samples/{i}/batchNo"), Text::new("缺", "missing"));
    let problems: Vec<Problem> = (0..300).map(warning).chain((0..10).map(error)).collect();
    let report = ValidationReport::from_problems(problems);
    assert_eq!((report.error_count, report.warning_count, report.ok), (10, 300, false));
    assert_eq!(report.problems.len(), MAX_LISTED_PROBLEMS);
    assert!(report.problems[..10].iter().all(|p| p.code == ProblemCode::Required), "errors come first");
    let last = report.problems.last().unwrap();
    assert_eq!(last.code, ProblemCode::MoreProblems);
    assert_eq!(last.message.en, "111 more problems are not listed");
    // Up to the limit nothing is cut.
    let report = ValidationReport::from_problems((0..MAX_LISTED_PROBLEMS).map(warning).collect());
    assert!(report.problems.iter().all(|p| p.code == ProblemCode::ZeroPrice));
}

/// Decoding repairs a record one bad value at a time; a record with many bad
/// values still has every one reported, each at its own pointer (a low cap on
/// repairs would report the first few and hide the rest).
#[test]
fn every_bad_value_is_reported_however_many() {
    let mut v = fixture();
    let check = v["priceChecks"][0].clone();
    v["priceChecks"] = Value::Array(
        (0..12)
            .map(|i| {
                let mut c = check.clone();
                c["id"] = json!(format!("01900000-0000-7000-8000-0000000001{i:02}"));
                c["markedPrice"] = json!("十五元八角");
                c
            })
            .collect(),
    );
    let report = xuncha::check_visit(v, now()).report;
    let mut wrong: Vec<&str> = report.problems.iter().filter(|p| p.code == ProblemCode::WrongType).map(|p| p.path.as_str()).collect();
    wrong.sort();
    let mut want: Vec<String> = (0..12).map(|i| format!("/priceChecks/{i}/markedPrice")).collect();
    want.sort();
    assert_eq!(wrong, want);
}

fn zeros(n: usize) -> Value {
    Value::Array(vec![json!(0); n])
}

/// Where a record is too large, the limits still hold to the entry: a list of
/// exactly 1,000 is fine beside one of 1,001, and a record of exactly 50,000
/// values is not too large as a whole.
#[test]
fn the_limits_are_exact_inside_a_record_that_breaks_one() {
    let at = |v: &Value| size_problems(v).into_iter().map(|p| (p.code, p.path)).collect::<Vec<_>>();
    assert_eq!(at(&json!({ "a": zeros(MAX_LIST_ITEMS), "z": zeros(MAX_LIST_ITEMS + 1) })), vec![(ProblemCode::TooLarge, "/z".to_string())]);
    // The root, "a", 173 lists of 288 numbers, and "z" (its entries not counted: it is
    // refused whole) make exactly 50,000 values; "z" is the last of them.
    let exact = json!({ "a": Value::Array(vec![zeros(288); 173]), "z": zeros(MAX_LIST_ITEMS + 1) });
    assert_eq!(1 + 1 + 173 * 289 + 1, MAX_RECORD_VALUES);
    assert_eq!(at(&exact), vec![(ProblemCode::TooLarge, "/z".to_string())], "the 50,000th value is still looked at, and 50,000 is allowed");
}

/// However many lists are too long, at most MAX_LISTED_PROBLEMS are named.
#[test]
fn size_problems_name_at_most_the_listed_cap() {
    let many = Value::Array(vec![zeros(MAX_LIST_ITEMS + 1); 300]);
    assert_eq!(size_problems(&json!({ "lists": many })).len(), MAX_LISTED_PROBLEMS);
}

#[test]
fn a_report_says_whether_it_has_a_code() {
    let report = ValidationReport::from_problems(vec![Problem::new(ProblemCode::Required, "/operator/name", Text::new("缺", "missing"))]);
    assert!(report.has(ProblemCode::Required));
    assert!(!report.has(ProblemCode::ZeroPrice));
}
