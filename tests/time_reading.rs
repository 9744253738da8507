//! `time::read_date` and `time::read_timestamp` replace chrono's `FromStr` for
//! `NaiveDate` and `DateTime<FixedOffset>` (what serde's impls call) so the
//! wasm carries no format-string parser. They must agree with chrono exactly:
//! on every string of a large generated set, the same value or the same error.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, FixedOffset, NaiveDate};
use xuncha::time::{read_date, read_timestamp};

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces the grammar cares about, and some it does not.
const PIECES: &[&str] = &[
    "0",
    "1",
    "2",
    "5",
    "6",
    "9",
    "00",
    "01",
    "12",
    "13",
    "23",
    "24",
    "29",
    "30",
    "31",
    "32",
    "59",
    "60",
    "61",
    "99",
    "2026",
    "1970",
    "0000",
    "9999",
    "20261",
    "262143",
    "99999999999999999999",
    "-",
    "+",
    ":",
    ".",
    "T",
    "t",
    " ",
    "  ",
    "\t",
    "\u{3000}",
    "Z",
    "z",
    "UTC",
    "utc",
    "\u{2212}",
    "x",
    "年",
    "08:00",
    "+08:00",
    "-05:30",
    "+0800",
    "+08",
    "+24:00",
    "+99:59",
    "123456789",
    "1234567891",
];

const VALID: &[&str] = &[
    "2026-03-05",
    "2026-03-05T09:30:00+08:00",
    "2026-03-05T09:30:00.123Z",
    "2024-02-29T23:59:60.5-01:00",
    "2026-12-31 23:59:59 UTC",
    "+2026-1-5t1:2:3 +0800",
    "-0001-01-01T00:00:00Z",
    "262143-12-31T23:59:59-23:59",
];

fn mutate(rng: &mut Rng, s: &str) -> String {
    let mut chars: Vec<String> = s.chars().map(String::from).collect();
    for _ in 0..=rng.below(3) {
        let at = rng.below(chars.len() + 1);
        match rng.below(3) {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 if at < chars.len() => chars[at] = PIECES[rng.below(PIECES.len())].to_string(),
            _ => chars.insert(at, PIECES[rng.below(PIECES.len())].to_string()),
        }
    }
    chars.concat()
}

fn inputs() -> Vec<String> {
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    let mut out: Vec<String> = VALID.iter().map(|s| s.to_string()).collect();
    out.extend(["", " ", "x", "2026-13-40", "2026-02-30", "2026-02-29", "2026-03-05T", "2026-03-05T09", "2026-03-05T09:30", "2026-03-05T09:30:00"].map(String::from));
    // past the calendar's ends once the offset is taken off: "no possible date and time"
    out.extend(["+262142-12-31T23:59:59-23:59", "-262143-01-01T00:00:00+23:59", "+262142-12-31T23:00:00-00:30"].map(String::from));
    for _ in 0..200_000 {
        let s = match rng.below(3) {
            0 => (0..=rng.below(9)).map(|_| PIECES[rng.below(PIECES.len())]).collect::<String>(),
            _ => {
                let base = VALID[rng.below(VALID.len())];
                mutate(&mut rng, base)
            }
        };
        out.push(s);
    }
    out
}

fn outcome<T: std::fmt::Debug, E: std::fmt::Display>(r: Result<T, E>) -> Result<String, String> {
    r.map(|v| format!("{v:?}")).map_err(|e| e.to_string())
}

#[test]
fn dates_are_read_as_chrono_reads_them() {
    let (mut read, mut refused) = (0, 0);
    for s in inputs() {
        let ours = outcome(read_date(&s));
        let chrono = outcome(s.parse::<NaiveDate>());
        assert_eq!(ours, chrono, "{s:?}");
        if ours.is_ok() {
            read += 1
        } else {
            refused += 1
        }
    }
    println!("dates: {read} read alike, {refused} refused alike");
    assert!(read > 1_000 && refused > 10_000, "{read} / {refused}: both outcomes are exercised");
}

#[test]
fn timestamps_are_read_as_chrono_reads_them() {
    let (mut read, mut refused) = (0, 0);
    let mut kinds = std::collections::BTreeSet::new();
    for s in inputs() {
        let ours = outcome(read_timestamp(&s));
        let chrono = outcome(s.parse::<DateTime<FixedOffset>>());
        assert_eq!(ours, chrono, "{s:?}");
        match ours {
            Ok(_) => read += 1,
            Err(e) => {
                refused += 1;
                kinds.insert(e);
            }
        }
    }
    println!("timestamps: {read} read alike, {refused} refused alike, errors: {kinds:?}");
    assert!(read > 1_000 && refused > 10_000, "{read} / {refused}: both outcomes are exercised");
    assert_eq!(kinds.len(), 5, "every kind of error is met: {kinds:?}");
}
