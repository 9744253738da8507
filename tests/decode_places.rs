//! `decode::read` (the core's own tracking deserializer, which replaced
//! `serde_path_to_error` to keep the wasm small) pins every type error where
//! `serde_path_to_error` did, with the same message: every value of real
//! records is swapped for each kind of wrong value, and every member removed,
//! and both readers must agree on success, pointer, message and the "where:
//! what" text HQ's refusals of published files carry.
//!
//! The core's readers are `#[derive(FromValue)]` (derive/), not serde's
//! derive: each must also agree exactly — value, error, place and the unknown
//! members noted, in order — with serde's derived `Deserialize` run over the
//! same tracking deserializer (`read_noting_unknown_via_serde`).
//!
//! One difference is meant: serde_json reads a struct from an array (`[]` is a
//! struct whose fields all have defaults); `decode::read` refuses an array
//! where a struct belongs as a wrong type, so each struct's array-reading code
//! leaves the wasm. Those cases are counted apart.
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use xuncha::check::Ptr;
use xuncha::decode::FromValue;

const VISIT: &str = include_str!("fixtures/visit_complete.json");
const FOLLOW_UP: &str = include_str!("fixtures/follow_up_complete.json");
const DRAW_INPUTS: &str = include_str!("fixtures/draw_inputs.json");
const HALF_YEAR: &str = include_str!("fixtures/summary_h1.json");
const RULEBOOK: &str = include_str!("../src/rules/rulebook.json");
const TEMPLATES: &str = include_str!("../src/documents/templates.json");
const REPORT_TEMPLATE: &str = include_str!("../src/summary/report_template.json");

/// The pointer of every value in `v`, the root included.
fn places(v: &Value, at: &Ptr, out: &mut Vec<String>) {
    out.push(at.as_str().to_string());
    match v {
        Value::Array(items) => items.iter().enumerate().for_each(|(i, x)| places(x, &at.index(i), out)),
        Value::Object(map) => map.iter().for_each(|(k, x)| places(x, &at.key(k), out)),
        _ => {}
    }
}

fn reference_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(Ptr::root(), |p, seg| match seg {
            Segment::Seq { index } => p.index(*index),
            Segment::Map { key } => p.key(key),
            Segment::Enum { .. } | Segment::Unknown => p,
        })
        .into()
}

/// `pointer` has the reference's segments, any one in place of each key it lost.
fn matches_with_lost_keys(pointer: &str, path: &serde_path_to_error::Path) -> bool {
    use serde_path_to_error::Segment;
    let expected: Vec<Option<String>> = path
        .iter()
        .filter_map(|seg| match seg {
            Segment::Seq { index } => Some(Some(index.to_string())),
            Segment::Map { key } => Some(Some(key.replace('~', "~0").replace('/', "~1"))),
            Segment::Unknown => Some(None),
            Segment::Enum { .. } => None,
        })
        .collect();
    let ours: Vec<&str> = pointer.split('/').skip(1).collect();
    ours.len() == expected.len() && ours.iter().zip(&expected).all(|(o, e)| e.as_deref().is_none_or(|e| e == *o))
}

#[derive(Default)]
struct Tally {
    read: usize,
    refused: usize,
    /// An array where a struct belongs: refused here, read or refused otherwise by serde_json.
    array_for_struct: usize,
    /// A map key that is not one of its enum's names: pinned at the key here
    /// (as an unknown field is), at the map by serde_path_to_error.
    key_pinned: usize,
    /// Under a map whose keys are enum names, serde_path_to_error loses the key
    /// (`Segment::Unknown`); the pointer here names it. The message must be the
    /// same and every other segment of the place.
    reference_lost_key: usize,
}

/// `#[derive(FromValue)]` against serde's derive over the same deserializer: equal in everything.
fn same_as_serde_derive<T: DeserializeOwned + FromValue + Debug>(v: &Value, what: &str) {
    let ours = xuncha::decode::read_noting_unknown::<T>(v);
    let serde = xuncha::decode::read_noting_unknown_via_serde::<T>(v);
    match (ours, serde) {
        (Ok((a, notes_a)), Ok((b, notes_b))) => {
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{what}: value");
            assert_eq!(notes_a, notes_b, "{what}: unknown members");
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.pointer(), b.pointer(), "{what}: pointer (FromValue vs serde derive)");
            assert_eq!(a.to_string(), b.to_string(), "{what}: message (FromValue vs serde derive)");
        }
        (a, b) => panic!("{what}: FromValue {} but serde's derive {}", if a.is_ok() { "read it" } else { "refused it" }, if b.is_ok() { "read it" } else { "refused it" }),
    }
}

fn agree<T: DeserializeOwned + FromValue + Debug>(v: &Value, what: &str, tally: &mut Tally) {
    same_as_serde_derive::<T>(v, what);
    let ours = xuncha::decode::read::<T>(v);
    let reference = serde_path_to_error::deserialize::<_, T>(v);
    match (ours, reference) {
        (Ok(_), Ok(_)) => tally.read += 1,
        (Err(a), _) if a.error.to_string().starts_with("invalid type: sequence, expected struct") && v.pointer(&a.pointer()).is_some_and(Value::is_array) => tally.array_for_struct += 1,
        (Err(a), Err(b))
            if a.error.to_string().starts_with("unknown variant")
                && a.error.to_string() == b.inner().to_string()
                && a.pointer().rsplit_once('/').map(|(map, _)| map.to_string()) == Some(reference_pointer(b.path()))
                && v.pointer(&reference_pointer(b.path())).is_some_and(Value::is_object)
                && v.pointer(&a.pointer()).is_some() =>
        {
            tally.key_pinned += 1
        }
        (Err(a), Err(b)) if b.path().iter().any(|s| matches!(s, serde_path_to_error::Segment::Unknown)) => {
            assert_eq!(a.error.to_string(), b.inner().to_string(), "{what}: message");
            assert!(matches_with_lost_keys(&a.pointer(), b.path()), "{what}: {} is not {}", a.pointer(), b.path());
            tally.reference_lost_key += 1;
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.pointer(), reference_pointer(b.path()), "{what}: pointer");
            assert_eq!(a.error.to_string(), b.inner().to_string(), "{what}: message");
            assert_eq!(a.to_string(), format!("{}: {}", b.path(), b.inner()), "{what}: where and what");
            tally.refused += 1;
        }
        (a, b) => panic!("{what}: ours {} but the reference {}", if a.is_ok() { "read it" } else { "refused it" }, if b.is_ok() { "read it" } else { "refused it" }),
    }
}

/// Every value swapped for every kind of wrong one, every member removed.
fn mutations(record: &Value) -> Vec<(String, Value)> {
    let wrong = [json!(null), json!(true), json!(7), json!(-3), json!(2.5), json!("x"), json!("2026-13-40"), json!([]), json!([1]), json!({}), json!({ "k": 1 })];
    let mut at = Vec::new();
    places(record, &Ptr::root(), &mut at);
    let mut out = vec![("unchanged".to_string(), record.clone())];
    for p in &at {
        for w in &wrong {
            let mut v = record.clone();
            *v.pointer_mut(p).unwrap() = w.clone();
            out.push((format!("{p} = {w}"), v));
        }
        if let Some((parent, key)) = p.rsplit_once('/') {
            let mut v = record.clone();
            let key = key.replace("~1", "/").replace("~0", "~");
            if let Some(map) = v.pointer_mut(parent).and_then(Value::as_object_mut) {
                map.remove(&key);
                out.push((format!("{p} removed"), v));
            }
        }
    }
    out
}

fn check_all<T: DeserializeOwned + FromValue + Debug>(records: &[Value], name: &str) -> Tally {
    let mut tally = Tally::default();
    for r in records {
        for (what, v) in mutations(r) {
            agree::<T>(&v, &format!("{name} {what}"), &mut tally);
        }
    }
    tally
}

#[test]
fn type_errors_are_pinned_where_serde_path_to_error_pinned_them() {
    let data = xuncha::dataset::generate(7, 40, 2026);
    let mut visits: Vec<Value> = vec![serde_json::from_str(VISIT).unwrap()];
    let half_year: Value = serde_json::from_str(HALF_YEAR).unwrap();
    visits.extend(half_year["visits"].as_array().unwrap().iter().take(6).cloned());
    visits.extend(data.visits.iter().take(8).map(|v| serde_json::to_value(v).unwrap()));
    let mut follow_ups: Vec<Value> = vec![serde_json::from_str(FOLLOW_UP).unwrap()];
    follow_ups.extend(data.follow_ups.iter().take(4).map(|f| serde_json::to_value(f).unwrap()));
    let rectifications: Vec<Value> = data.rectifications.iter().take(4).map(|r| serde_json::to_value(r).unwrap()).collect();

    let tallies = [
        ("visits", check_all::<xuncha::Visit>(&visits, "visit")),
        ("follow-ups", check_all::<xuncha::sampling::SampleFollowUp>(&follow_ups, "follow-up")),
        ("rectifications", check_all::<xuncha::summary::Rectification>(&rectifications, "rectification")),
        ("draw inputs", check_all::<xuncha::draw::DrawInputs>(&[serde_json::from_str(DRAW_INPUTS).unwrap()], "draw inputs")),
        // The files HQ publishes, read by the same readers.
        ("rulebook", check_all::<xuncha::rules::RulebookFile>(&[serde_json::from_str(RULEBOOK).unwrap()], "rulebook")),
        ("document templates", check_all::<xuncha::documents::TemplateSet>(&[serde_json::from_str(TEMPLATES).unwrap()], "templates")),
        ("report template", check_all::<xuncha::summary::template::ReportTemplate>(&[serde_json::from_str(REPORT_TEMPLATE).unwrap()], "report template")),
    ];
    for (name, t) in &tallies {
        // Both outcomes must be exercised, or the comparison proves nothing.
        assert!(t.read > 0 && t.refused > 100, "{name}: {} read, {} refused", t.read, t.refused);
        println!(
            "{name}: {} read alike, {} refused alike, {} arrays refused as structs, {} map keys pinned at the key, {} placed under a key the reference lost",
            t.read, t.refused, t.array_for_struct, t.key_pinned, t.reference_lost_key
        );
    }
    assert!(tallies[0].1.array_for_struct > 0, "the one meant difference is exercised");
}

#[test]
fn an_array_where_a_struct_belongs_is_a_wrong_type_at_its_place() {
    let mut v: Value = serde_json::from_str(VISIT).unwrap();
    v["operator"] = json!([]);
    let decoded = xuncha::decode::decode::<xuncha::Visit>(v);
    let p = decoded.problems.iter().find(|p| p.path == "/operator").expect("a problem at /operator");
    assert_eq!(p.code, xuncha::ProblemCode::WrongType, "{p:?}");
    assert!(p.message.zh.contains("列表"), "{}", p.message.zh);
}

/// Members with a non-null value in `input` that `written` lacks: how unknown
/// fields were found before the reader noted them itself (the record written
/// back out and compared), kept here as the reference.
fn missing_from_written(input: &Value, written: &Value, at: &Ptr, out: &mut Vec<String>) {
    match (input, written) {
        (Value::Object(i), Value::Object(w)) => {
            for (k, v) in i {
                match w.get(k) {
                    Some(wv) => missing_from_written(v, wv, &at.key(k), out),
                    None if !v.is_null() => out.push(at.key(k).as_str().to_string()),
                    None => {}
                }
            }
        }
        (Value::Array(i), Value::Array(w)) => i.iter().zip(w).enumerate().for_each(|(n, (v, wv))| missing_from_written(v, wv, &at.index(n), out)),
        _ => {}
    }
}

/// Every object of every record given an extra member of each kind of value
/// (two at once as well): the unknown fields `decode` reports are those the
/// written-back comparison finds, in the same order.
fn unknown_alike<T: DeserializeOwned + FromValue + Serialize + Debug>(records: &[Value], name: &str) -> usize {
    let extras = [json!("x"), json!(0), json!(false), json!({ "k": 1 }), json!([1]), json!(null)];
    let mut compared = 0;
    for record in records {
        let mut at = Vec::new();
        places(record, &Ptr::root(), &mut at);
        for p in at.iter().filter(|p| record.pointer(p).is_some_and(Value::is_object)) {
            for extra in &extras {
                let mut v = record.clone();
                let object = v.pointer_mut(p).unwrap().as_object_mut().unwrap();
                object.insert("zzUnknown".into(), extra.clone());
                object.insert("a/b~".into(), json!("slash and tilde"));
                same_as_serde_derive::<T>(&v, &format!("{name} {p} + {extra}"));
                let decoded = xuncha::decode::decode::<T>(v.clone());
                let Some(typed) = decoded.record else { continue };
                let ours: Vec<String> = decoded.problems.iter().filter(|q| q.code == xuncha::ProblemCode::UnknownField).map(|q| q.path.clone()).collect();
                let mut reference = Vec::new();
                missing_from_written(&v, &serde_json::to_value(&typed).unwrap(), &Ptr::root(), &mut reference);
                let mut sorted = ours.clone();
                sorted.sort();
                reference.sort();
                assert_eq!(sorted, reference, "{name} {p} + {extra}");
                assert!(ours.iter().any(|q| q.ends_with("/a~1b~0")), "{name} {p}: an escaped key is named escaped");
                compared += 1;
            }
        }
    }
    compared
}

#[test]
fn unknown_fields_are_the_members_the_written_record_lacks() {
    let data = xuncha::dataset::generate(11, 30, 2026);
    let mut visits: Vec<Value> = vec![serde_json::from_str(VISIT).unwrap()];
    visits.extend(data.visits.iter().take(6).map(|v| serde_json::to_value(v).unwrap()));
    let follow_ups: Vec<Value> = std::iter::once(serde_json::from_str(FOLLOW_UP).unwrap()).chain(data.follow_ups.iter().take(3).map(|f| serde_json::to_value(f).unwrap())).collect();
    let n = unknown_alike::<xuncha::Visit>(&visits, "visit") + unknown_alike::<xuncha::sampling::SampleFollowUp>(&follow_ups, "follow-up");
    assert!(n > 500, "only {n} cases compared");
    println!("{n} records with unknown members compared");
}
