//! Evaluate a visit file against the built-in rulebook and print the findings.
//! `cargo run --example evaluate -- tests/fixtures/visit_complete.json [as-of YYYY-MM-DD]`
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("a visit JSON file");
    let as_of = args.next().map(|d| d.parse().expect("YYYY-MM-DD")).unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());
    let text = std::fs::read_to_string(&path).expect("readable file");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let eval = xuncha::evaluate_visit_json(value, vec![], xuncha::Rulebook::builtin(), as_of).expect("a visit");
    println!("{}", serde_json::to_string_pretty(&eval).unwrap());
}
