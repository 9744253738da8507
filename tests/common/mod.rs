//! Shared helpers for the native tests: fixtures and JSON edits by pointer.
#![allow(dead_code)]

pub mod model_fields;

use serde_json::Value;
use xuncha::time::{parse_timestamp, Timestamp};

/// The reference clock of the fixtures: the evening of the visit day.
pub fn now() -> Timestamp {
    parse_timestamp("2026-03-10T18:00:00+08:00").unwrap()
}

/// The clock for follow-up fixtures, weeks after the visit.
pub fn later() -> Timestamp {
    parse_timestamp("2026-05-01T12:00:00+08:00").unwrap()
}

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{}", env!("CARGO_MANIFEST_DIR"), name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Set (Some) or remove (None) the value at a JSON Pointer; the parent must exist.
/// Setting index == len appends to a list.
pub fn edit(mut v: Value, pointer: &str, new: Option<Value>) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("pointer");
    let key = key.replace("~1", "/").replace("~0", "~");
    let target = v.pointer_mut(parent).unwrap_or_else(|| panic!("no parent for {pointer}"));
    match (target, new) {
        (Value::Object(m), Some(n)) => {
            m.insert(key, n);
        }
        (Value::Object(m), None) => {
            m.remove(&key);
        }
        (Value::Array(a), Some(n)) => {
            let i: usize = key.parse().unwrap();
            if i == a.len() {
                a.push(n)
            } else {
                a[i] = n
            }
        }
        (Value::Array(a), None) => {
            a.remove(key.parse::<usize>().unwrap());
        }
        _ => panic!("parent of {pointer} is not a container"),
    }
    v
}

pub fn edits(mut v: Value, changes: &[(&str, Option<Value>)]) -> Value {
    for (p, n) in changes {
        v = edit(v, p, n.clone());
    }
    v
}

/// (code, path) of every problem, sorted, for exact comparison.
pub fn codes(report: &xuncha::ValidationReport) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report.problems.iter().map(|p| (p.code.as_str().to_string(), p.path.clone())).collect();
    v.sort();
    v
}
