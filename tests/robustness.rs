//! Arbitrary JSON must never crash the core, and the verdict must be a pure
//! function of the input.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{fixture, later, now};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        "[a-zA-Z0-9 /~:.+-]{0,12}".prop_map(Value::String),
        Just(json!("2026-03-10")),
        Just(json!("2026-03-10T09:30:00+08:00")),
        Just(json!("01900000-0000-7000-8000-000000000001")),
        Just(json!("III")),
        Just(json!("draft")),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-zA-Z]{1,10}", inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Every pointer in a JSON tree, to aim mutations at real fields.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                let p = format!("{}/{}", at, k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(c, p, out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                let p = format!("{}/{}", at, i);
                out.push(p.clone());
                pointers(c, p, out);
            }
        }
        _ => {}
    }
}

fn visit_pointers() -> Vec<String> {
    let mut out = Vec::new();
    pointers(&fixture("visit_complete.json"), String::new(), &mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(v in any_json()) {
        let r = xuncha::check_visit(v.clone(), now()).report;
        prop_assert_eq!(r.ok, r.error_count == 0);
        let _ = xuncha::check_follow_up(v, later());
    }

    #[test]
    fn mutating_any_field_of_a_real_visit_never_panics_and_is_deterministic(
        which in 0usize..1000, replacement in any_json()
    ) {
        let ptrs = visit_pointers();
        let target = &ptrs[which % ptrs.len()];
        let mut v = fixture("visit_complete.json");
        *v.pointer_mut(target).unwrap() = replacement;
        let a = xuncha::check_visit(v.clone(), now());
        let b = xuncha::check_visit(v.clone(), now());
        prop_assert_eq!(&a.report, &b.report);
        // Whatever could be read survives a round trip unchanged.
        if let Some(rec) = a.record {
            let back = serde_json::to_value(&rec).unwrap();
            let again = xuncha::check_visit(back, now()).record.unwrap();
            prop_assert_eq!(rec, again);
        }
        // Every problem points somewhere inside the record (or at a field that is missing there).
        for p in &a.report.problems {
            prop_assert!(p.path.is_empty() || p.path.starts_with('/'));
        }
    }

    #[test]
    fn json_text_of_any_bytes_never_panics(s in "\\PC{0,64}") {
        let _ = xuncha::check_visit_json(&s, now());
    }
}

#[test]
fn deeply_nested_input_is_refused_not_a_stack_overflow() {
    let mut s = String::from("{\"notes\":");
    s.push_str(&"[".repeat(100_000));
    let r = xuncha::check_visit_json(&s, now()).report;
    assert!(!r.ok);
}
