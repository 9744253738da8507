//! A generated data set evaluated or summarised, for profilers (callgrind):
//! `cargo run --release --example profile -- evaluate|summarise|digests [visits]`
fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "summarise".into());
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3000);
    let d = xuncha::dataset::generate(2026, n, 2026);
    let book = xuncha::Rulebook::builtin();
    let as_of = "2027-01-31".parse().unwrap();
    match mode.as_str() {
        "evaluate" => {
            let evals = xuncha::evaluate_visits(&d.visits, &d.follow_ups, book, as_of);
            println!("{} findings", evals.iter().map(|e| e.findings.len()).sum::<usize>());
        }
        "digests" => {
            let digests = xuncha::summary::digest::digests_of(&d.visits, &d.follow_ups, &d.rectifications, book);
            let q = xuncha::SummaryQuery { period: "2026".into(), scope: Default::default(), as_of, group_by: Some(xuncha::summary::GroupBy::Month), top: None };
            let mut index = xuncha::summary::DigestIndex::default();
            index.extend(digests);
            let mut n = 0;
            for _ in 0..50 {
                n += index.summary(&q, book).unwrap().figures.visits;
            }
            println!("{n} visits counted");
        }
        _ => {
            let q = xuncha::SummaryQuery { period: "2026".into(), scope: Default::default(), as_of, group_by: Some(xuncha::summary::GroupBy::Month), top: None };
            let s = xuncha::summarise(&d.visits, &d.follow_ups, &d.rectifications, &q, book).unwrap();
            println!("{} visits counted", s.figures.visits);
        }
    }
}
