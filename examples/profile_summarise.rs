//! Summarise a generated set (for profilers): `cargo run --release --example profile_summarise -- 3000`
fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(3000);
    let d = xuncha::dataset::generate(2026, n, 2026);
    let q = xuncha::SummaryQuery { period: "2026".into(), scope: Default::default(), as_of: "2027-01-31".parse().unwrap(), group_by: Some(xuncha::summary::GroupBy::Month), top: None };
    let s = xuncha::summarise(&d.visits, &d.follow_ups, &d.rectifications, &q, xuncha::Rulebook::builtin()).unwrap();
    println!("{}", s.figures.visits);
}
