//! The wasm edge writes its outputs with the core's own writer
//! (`encode::ToJson`, `#[derive(ToJson)]`) instead of serde. Its binding
//! invariant: the text is exactly serde_json's text of the value as a
//! `serde_json::Value` — what the edge gave before (members in name order,
//! serde_json's escapes and number forms, `null` for a float that is not
//! finite). Checked here, byte for byte, on every kind of output the edge
//! writes, made from real and generated records.
#![cfg(not(target_arch = "wasm32"))]

use serde::Serialize;
use serde_json::{json, Value};
use xuncha::encode::{to_json_text, ToJson};
use xuncha::{Rulebook, SummaryQuery};

fn reference<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(&serde_json::to_value(value).unwrap()).unwrap()
}

/// Same text as serde_json's; returns its length (so the caller can see real work was compared).
fn same<T: Serialize + ToJson + ?Sized>(value: &T, what: &str) -> usize {
    let ours = to_json_text(value);
    let theirs = reference(value);
    assert_eq!(ours, theirs, "{what}");
    // and the value the core builds from it (a finding's figures, a record's changed fields)
    assert_eq!(xuncha::encode::to_value(value), serde_json::to_value(value).unwrap(), "{what}: as a value");
    ours.len()
}

const VISIT: &str = include_str!("fixtures/visit_complete.json");
const FOLLOW_UP: &str = include_str!("fixtures/follow_up_complete.json");
const HALF_YEAR: &str = include_str!("fixtures/summary_h1.json");

fn day(s: &str) -> xuncha::time::Date {
    xuncha::time::read_date(s).unwrap()
}

fn now() -> xuncha::time::Timestamp {
    xuncha::time::parse_timestamp("2026-06-30T18:00:00+08:00").unwrap()
}

#[test]
fn strings_numbers_and_values_are_written_as_serde_json_writes_them() {
    let every_control: String = (0u8..0x20).map(char::from).collect();
    let tricky = json!({
        "escapes": format!("\"quote\" \\back\\ /slash/ {every_control} \u{7f} 字 😀"),
        "numbers": [0, -0.0, 1, -1, 0.1, 1.5e300, -2.5e-300, 1e21, 1e-7, 123456789.123, u64::MAX, i64::MIN, 4.0, f64::MAX, f64::MIN_POSITIVE],
        "nested": { "z": null, "a": [true, false, {}, []], "m": { "b": 1, "a": 2 } },
        "": "empty key",
        "键": "non-ASCII key"
    });
    same(&tricky, "a value with every escape and number form");
    for x in [0.1, 2.5, -0.0, 1e21, 1e-7, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 3.0, 1.0 / 3.0] {
        same(&x, &format!("the float {x}"));
        same(&Some(x), &format!("Some({x})"));
    }
    for s in ["", "plain", "字", "\u{0}", "\u{1f}", "\\\"", "a\u{2028}b"] {
        same(s, &format!("the string {s:?}"));
    }
    same(&(3u32, "x".to_string()), "a pair");
    same(&None::<String>, "None");
    same(&[1u8, 2, 3], "an array");
    same(&day("2026-03-05"), "a date");
    for t in ["2026-03-05T09:30:00+08:00", "2026-03-05T09:30:00.120Z", "2026-03-05T09:30:00.123456789-05:30", "2016-12-31T23:59:60.5+00:00"] {
        same(&xuncha::time::parse_timestamp(t).unwrap(), t);
    }
}

#[test]
fn every_output_of_the_edge_is_written_as_serde_json_writes_it() {
    let book = Rulebook::builtin();
    let data = xuncha::dataset::generate(11, 60, 2026);
    let mut visits: Vec<Value> = vec![serde_json::from_str(VISIT).unwrap()];
    let half_year: Value = serde_json::from_str(HALF_YEAR).unwrap();
    visits.extend(half_year["visits"].as_array().unwrap().iter().cloned());
    visits.extend(data.visits.iter().map(|v| serde_json::to_value(v).unwrap()));
    let mut written = 0;

    for (i, v) in visits.iter().enumerate() {
        // the record itself, typed (every record type's writer), and its canonical text
        let typed: xuncha::Visit = xuncha::decode::read(v).unwrap();
        written += same(&typed, &format!("visit {i}"));
        written += same(v, &format!("visit {i} as a JSON value (the canonical text's writer)"));
        // validation reports, with problems: the record as it is, and broken
        written += same(&xuncha::check_visit(v.clone(), now()).report, &format!("visit {i}: report"));
        let mut broken = v.clone();
        broken["startedAt"] = json!("yesterday");
        broken["operator"] = json!(7);
        broken["zz"] = json!({"unknown": true});
        written += same(&xuncha::check_visit(broken, now()).report, &format!("visit {i}: report of a broken record"));
        // evaluation: findings (with their inputs), deadlines, measures
        let eval = xuncha::evaluate_visit(&typed, &data.follow_ups, book, day("2026-12-31"));
        written += same(&eval, &format!("visit {i}: evaluation"));
        // the lifecycle's records
        if let Ok(changed) = xuncha::visit::lifecycle::finalise(v.clone(), now(), &[]) {
            written += same(&changed.record, &format!("visit {i}: finalised"));
            // documents of the finalised record
            let as_of = changed.visit.started_at.unwrap().date_naive();
            let eval = xuncha::evaluate_visit(&changed.visit, &data.follow_ups, book, as_of);
            let issuer = xuncha::documents::Issuer { bureau: Some("福州市鼓楼区市场监督管理局".into()), region: None };
            if let Ok(set) = xuncha::documents::make_documents(&changed.record, &eval, xuncha::documents::TemplateSet::builtin(), &issuer) {
                written += same(&set, &format!("visit {i}: documents"));
            }
        }
    }

    let follow_up: Value = serde_json::from_str(FOLLOW_UP).unwrap();
    written += same(&xuncha::check_follow_up(follow_up, now()).report, "follow-up report");
    written += same(&data.follow_ups, "follow-ups");
    written += same(&data.rectifications, "rectifications");

    // the dashboard's parts: figures and the report paragraphs
    let typed: Vec<xuncha::Visit> = visits.iter().map(|v| xuncha::decode::read(v).unwrap()).collect();
    for period in ["2026", "2026-H1", "2026-Q3", "2026-03"] {
        let query: SummaryQuery = serde_json::from_value(json!({ "period": period, "asOf": "2026-12-31", "groupBy": "officer" })).unwrap();
        let summary = xuncha::summarise(&typed, &data.follow_ups, &data.rectifications, &query, book).unwrap();
        written += same(&summary, &format!("summary {period}"));
        written += same(&summary.figures, &format!("figures {period}"));
        written += same(&xuncha::summary::report::paragraphs(&summary), &format!("report {period}"));
    }

    // the fixed lists and the rulebook's own file
    written += same(&xuncha::rectification::terms(), "rectification terms");
    written += same(&xuncha::documents::delivery::methods(), "delivery methods");
    written += same(&book.calendar.add_working_days(day("2026-09-30"), 5), "working days");
    let rulebook: xuncha::rules::RulebookFile = serde_json::from_str(include_str!("../src/rules/rulebook.json")).unwrap();
    written += same(&rulebook, "the rulebook");
    written += same(xuncha::documents::TemplateSet::builtin(), "the document templates");
    assert!(written > 1_000_000, "{written} bytes compared");
    println!("{written} bytes of output written alike");
}
