//! Evaluate a generated set (for profilers): `cargo run --release --example profile_evaluate -- 5000`
fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5000);
    let d = xuncha::dataset::generate(2026, n, 2026);
    let evals = xuncha::evaluate_visits(&d.visits, &d.follow_ups, xuncha::Rulebook::builtin(), "2027-01-31".parse().unwrap());
    println!("{}", evals.iter().map(|e| e.findings.len()).sum::<usize>());
}
