//! Native benchmark of summaries on a generated bureau-year.
//! `cargo run --release --example bench_summary -- [visits] [seed]`
//! Prints figures and ratios against a baseline measured in the same process
//! (parsing the same records from JSON text, the least any consumer must do).

use std::time::Instant;

use xuncha::summary::{summarise, GroupBy, SummaryBuilder, SummaryQuery};
use xuncha::{Rulebook, Visit};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let book = Rulebook::builtin();
    let query = SummaryQuery { period: "2026".into(), scope: Default::default(), as_of: "2027-01-31".parse().unwrap(), group_by: Some(GroupBy::Month), top: None };

    let t = Instant::now();
    let data = xuncha::dataset::generate(seed, n, 2026);
    let generate_ms = ms(t);
    let json = serde_json::to_string(&data.visits).unwrap();
    println!(
        "data set: seed {seed}, {} visit records, {} items, {} follow-ups, {} rectifications; {:.1} MB as JSON; generated in {generate_ms:.0} ms",
        data.visits.len(),
        data.item_count(),
        data.follow_ups.len(),
        data.rectifications.len(),
        json.len() as f64 / 1e6
    );

    // Baseline: parse the records from JSON text.
    let t = Instant::now();
    let parsed: Vec<Visit> = serde_json::from_str(&json).unwrap();
    let baseline = ms(t);
    assert_eq!(parsed.len(), data.visits.len());

    let t = Instant::now();
    let evals = xuncha::evaluate_visits(&data.visits, &data.follow_ups, book, query.as_of);
    let evaluate_ms = ms(t);
    let findings: usize = evals.iter().map(|e| e.findings.len()).sum();
    drop(evals);

    let t = Instant::now();
    let summary = summarise(&data.visits, &data.follow_ups, &data.rectifications, &query, book).unwrap();
    let summarise_ms = ms(t);

    // Incremental: one more visit into a builder that holds the year.
    let mut b = SummaryBuilder::new(query.clone(), book).unwrap();
    b.add_rectifications(&data.rectifications);
    for v in &data.visits {
        b.upsert(v, &[]);
    }
    let mut extra = data.visits[n / 2].clone();
    extra.id = Some("01900000-0000-7000-8000-ffffffffffff".into());
    let t = Instant::now();
    let rounds = 1000;
    for i in 0..rounds {
        extra.id = Some(format!("01900000-0000-7000-8000-{:012}", 900_000_000 + i));
        b.upsert(&extra, &[]);
    }
    let upsert_us = ms(t) * 1000.0 / rounds as f64;
    let t = Instant::now();
    let s2 = b.summary();
    let read_us = ms(t) * 1000.0;
    assert_eq!(s2.figures.visits, summary.figures.visits + rounds as u32);

    // Digests: made once (as HQ does when a record is accepted), then summed for any query.
    let t = Instant::now();
    let digests = xuncha::summary::digest::digests_of(&data.visits, &data.follow_ups, &data.rectifications, book);
    let digest_ms = ms(t);
    let digests_json = serde_json::to_string(&digests).unwrap();
    let t = Instant::now();
    let digests: Vec<xuncha::summary::Digest> = serde_json::from_str(&digests_json).unwrap();
    let parse_digests_ms = ms(t);
    let time_query = |q: &SummaryQuery| {
        let t = Instant::now();
        let s = xuncha::summary::summarise_digests(&digests, q, book).unwrap();
        (ms(t), s)
    };
    let (sum_ms, from_digests) = time_query(&query);
    assert_eq!(from_digests, summary, "the digests sum to the full evaluation");
    let other = SummaryQuery { period: "2026-H1".into(), group_by: Some(GroupBy::Officer), ..query.clone() };
    let (switch_ms, _) = time_query(&other);
    // Held in an index: names as numbers and chains resolved once, as the console and HQ hold them.
    let t = Instant::now();
    let mut index = xuncha::summary::DigestIndex::default();
    index.extend(digests.iter().cloned());
    let index_ms = ms(t);
    let time_indexed = |q: &SummaryQuery| {
        let t = Instant::now();
        let s = index.summary(q, book).unwrap();
        (ms(t), s)
    };
    let (indexed_ms, from_index) = time_indexed(&query);
    assert_eq!(from_index, summary, "the index sums to the full evaluation");
    let (indexed_switch_ms, _) = time_indexed(&other);

    println!(
        "counted {} visits, {} findings; digests {:.1} MB as JSON ({:.0} bytes each)",
        summary.figures.visits,
        findings,
        digests_json.len() as f64 / 1e6,
        digests_json.len() as f64 / digests.len() as f64
    );
    println!();
    println!("| step | time | ratio to baseline |");
    println!("|---|---|---|");
    println!("| baseline: parse the records from JSON (serde_json) | {baseline:.0} ms | 1.00 |");
    println!("| evaluate every visit (findings, deadlines) | {evaluate_ms:.0} ms | {:.2} |", evaluate_ms / baseline);
    println!("| summarise the year (evaluate + count + group by month) | {summarise_ms:.0} ms | {:.2} |", summarise_ms / baseline);
    println!("| incremental: add one visit to the year | {upsert_us:.1} µs | {:.6} |", upsert_us / 1000.0 / baseline);
    println!("| incremental: read the figures | {read_us:.1} µs | {:.6} |", read_us / 1000.0 / baseline);
    println!("| make every visit's digest (once; HQ does it as each record is accepted) | {digest_ms:.0} ms | {:.2} |", digest_ms / baseline);
    println!("| parse the digests from JSON (serde_json) | {parse_digests_ms:.0} ms | {:.2} |", parse_digests_ms / baseline);
    println!("| summarise the year from digests (same figures; group by month) | {sum_ms:.1} ms | {:.3} |", sum_ms / baseline);
    println!("| another query from the same digests (half-year, by officer) | {switch_ms:.1} ms | {:.3} |", switch_ms / baseline);
    println!("| hold the digests in an index (names as numbers, chains resolved; once) | {index_ms:.1} ms | {:.3} |", index_ms / baseline);
    println!("| summarise the year from the index | {indexed_ms:.1} ms | {:.3} |", indexed_ms / baseline);
    println!("| another query from the index (half-year, by officer) | {indexed_switch_ms:.1} ms | {:.3} |", indexed_switch_ms / baseline);
    println!();
    println!("peak resident memory: {:.0} MB (data set, its JSON text, the parsed copy and the builder)", peak_rss_mb());
}
