//! src/wasm/types.d.ts is written by hand for readable TypeScript; this test
//! holds it to the Rust model in both directions:
//! - structs: a "maximal" record is generated from the TypeScript interfaces
//!   (every field, a sample value of its declared type). The core must read it
//!   with no unknown field and no type error (TS ⊆ Rust, types agree), and
//!   writing it back must produce no field TypeScript lacks (Rust ⊆ TS);
//! - enums: traced with serde-reflection and compared with the string unions.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

mod common;

use serde_json::{json, Map, Value};
use serde_reflection::{ContainerFormat, Tracer, TracerConfig};
use xuncha::time::parse_timestamp;

const TS: &str = include_str!("../src/wasm/types.d.ts");

struct Ts {
    /// interface → [(field, type)]
    interfaces: BTreeMap<String, Vec<(String, String)>>,
    /// alias → string literal members (in order)
    unions: BTreeMap<String, Vec<String>>,
}

fn parse_ts() -> Ts {
    let mut interfaces = BTreeMap::new();
    let mut unions = BTreeMap::new();
    let mut rest = TS;
    while let Some(i) = rest.find("export ") {
        rest = &rest[i + 7..];
        if let Some(body) = rest.strip_prefix("interface ") {
            let name: String = body.chars().take_while(|c| c.is_alphanumeric()).collect();
            let open = body.find('{').unwrap();
            let close = open + body[open..].find('}').unwrap();
            let mut fields = Vec::new();
            for part in body[open + 1..close].split([';', '\n']) {
                let part = part.trim();
                if part.starts_with('/') || part.starts_with('*') {
                    continue;
                }
                if let Some((k, t)) = part.split_once(':') {
                    fields.push((k.trim().trim_end_matches('?').to_string(), t.trim().to_string()));
                }
            }
            interfaces.insert(name, fields);
        } else if let Some(body) = rest.strip_prefix("type ") {
            let name: String = body.chars().take_while(|c| c.is_alphanumeric()).collect();
            let end = body.find(';').unwrap();
            let members: Vec<String> = body[..end].split('"').skip(1).step_by(2).map(str::to_string).collect();
            if !members.is_empty() {
                unions.insert(name, members);
            }
        }
    }
    Ts { interfaces, unions }
}

/// A sample value of a TypeScript type, with every field of every interface.
fn maximal(ts: &Ts, ty: &str) -> Value {
    if let Some(inner) = ty.strip_suffix("[]") {
        return json!([maximal(ts, inner)]);
    }
    if let Some(inner) = ty.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        return Value::Array(inner.split(',').map(|t| maximal(ts, t.trim())).collect());
    }
    if let Some((first, _)) = ty.split_once(" | ") {
        return maximal(ts, first.trim());
    }
    match ty {
        "Record<string, unknown>" => json!({ "anything": [1, "x"] }),
        // any JSON, kept as it is (a rulebook file travelling in a pull)
        "unknown" => json!({ "version": "x", "rules": [] }),
        "string" => json!("x"),
        "number" => json!(1),
        "boolean" => json!(true),
        "DateString" => json!("2026-03-10"),
        "Timestamp" => json!("2026-03-10T09:30:00+08:00"),
        _ => {
            if let Some(members) = ts.unions.get(ty) {
                return json!(members[0]);
            }
            let fields = ts.interfaces.get(ty).unwrap_or_else(|| panic!("unknown TypeScript type {ty}"));
            Value::Object(fields.iter().map(|(k, t)| (k.clone(), maximal(ts, t))).collect::<Map<_, _>>())
        }
    }
}

/// Keys present in `written` but not in `sent` (fields the Rust model has and TypeScript lacks).
fn extra_keys(sent: &Value, written: &Value, at: String, out: &mut Vec<String>) {
    match (sent, written) {
        (Value::Object(s), Value::Object(w)) => {
            for (k, v) in w {
                match s.get(k) {
                    None => out.push(format!("{at}/{k}")),
                    Some(sv) => extra_keys(sv, v, format!("{at}/{k}"), out),
                }
            }
        }
        (Value::Array(s), Value::Array(w)) => {
            for (sv, wv) in s.iter().zip(w) {
                extra_keys(sv, wv, format!("{at}/0"), out);
            }
        }
        _ => {}
    }
}

/// Problems that mean the JSON shape itself disagrees with the model.
fn shape_problems(report: &xuncha::ValidationReport) -> Vec<&xuncha::Problem> {
    use xuncha::ProblemCode::*;
    report.problems.iter().filter(|p| matches!(p.code, WrongType | InvalidValue | UnknownField)).collect()
}

fn now() -> xuncha::time::Timestamp {
    parse_timestamp("2027-01-01T00:00:00+08:00").unwrap()
}

#[test]
fn visit_interfaces_match_the_rust_model() {
    let ts = parse_ts();
    let sent = maximal(&ts, "Visit");
    let checked = xuncha::check_visit(sent.clone(), now());
    let structural = shape_problems(&checked.report);
    assert!(structural.is_empty(), "TypeScript declares what Rust cannot read: {structural:#?}");
    let written = serde_json::to_value(checked.record.unwrap()).unwrap();
    let mut extra = Vec::new();
    extra_keys(&sent, &written, String::new(), &mut extra);
    assert!(extra.is_empty(), "Rust fields missing from types.d.ts: {extra:?}");
}

#[test]
fn follow_up_interfaces_match_the_rust_model() {
    let ts = parse_ts();
    let sent = maximal(&ts, "SampleFollowUp");
    let checked = xuncha::check_follow_up(sent.clone(), now());
    let structural = shape_problems(&checked.report);
    assert!(structural.is_empty(), "{structural:#?}");
    let written = serde_json::to_value(checked.record.unwrap()).unwrap();
    let mut extra = Vec::new();
    extra_keys(&sent, &written, String::new(), &mut extra);
    assert!(extra.is_empty(), "Rust fields missing from types.d.ts: {extra:?}");
}

/// Equal, numbers compared by value (Rust writes 1.0 where the sample says 1).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

#[test]
fn compliance_interfaces_match_the_rust_model() {
    // Output types: a maximal value from the declarations must round-trip exactly.
    let ts = parse_ts();
    for ty in [
        "Evaluation",
        "Finding",
        "Deadline",
        "Rule",
        "RuleVersion",
        "RuleParams",
        "LegalBasis",
        "Summary",
        "SummaryQuery",
        "ReportParagraphs",
        "Rectification",
        "PushRequest",
        "PushResponse",
        "PullRequest",
        "PullResponse",
        "Digest",
    ] {
        let sent = maximal(&ts, ty);
        let back = match ty {
            "Evaluation" => serde_json::to_value(serde_json::from_value::<xuncha::Evaluation>(sent.clone()).unwrap()),
            "Finding" => serde_json::to_value(serde_json::from_value::<xuncha::Finding>(sent.clone()).unwrap()),
            "Deadline" => serde_json::to_value(serde_json::from_value::<xuncha::Deadline>(sent.clone()).unwrap()),
            "Rule" => serde_json::to_value(serde_json::from_value::<xuncha::rules::Rule>(sent.clone()).unwrap()),
            "RuleVersion" => serde_json::to_value(serde_json::from_value::<xuncha::rules::RuleVersion>(sent.clone()).unwrap()),
            "RuleParams" => serde_json::to_value(serde_json::from_value::<xuncha::rules::Params>(sent.clone()).unwrap()),
            "Summary" => serde_json::to_value(serde_json::from_value::<xuncha::Summary>(sent.clone()).unwrap()),
            "SummaryQuery" => serde_json::to_value(serde_json::from_value::<xuncha::SummaryQuery>(sent.clone()).unwrap()),
            "ReportParagraphs" => serde_json::to_value(serde_json::from_value::<xuncha::summary::report::ReportParagraphs>(sent.clone()).unwrap()),
            "Rectification" => serde_json::to_value(serde_json::from_value::<xuncha::summary::Rectification>(sent.clone()).unwrap()),
            "PushRequest" => serde_json::to_value(serde_json::from_value::<xuncha::sync::PushRequest>(sent.clone()).unwrap()),
            "PushResponse" => serde_json::to_value(serde_json::from_value::<xuncha::sync::PushResponse>(sent.clone()).unwrap()),
            "PullRequest" => serde_json::to_value(serde_json::from_value::<xuncha::sync::PullRequest>(sent.clone()).unwrap()),
            "PullResponse" => serde_json::to_value(serde_json::from_value::<xuncha::sync::PullResponse>(sent.clone()).unwrap()),
            "Digest" => serde_json::to_value(serde_json::from_value::<xuncha::summary::Digest>(sent.clone()).unwrap()),
            _ => serde_json::to_value(serde_json::from_value::<xuncha::rules::LegalBasis>(sent.clone()).unwrap()),
        }
        .unwrap();
        assert!(same(&back, &sent), "{ty}:\n sent {sent}\n back {back}");
    }
}

#[test]
fn report_interfaces_match_the_rust_model() {
    // Output types: every field is required on both sides, so a round trip must be exact.
    let ts = parse_ts();
    for ty in ["ValidationReport", "Problem", "ConfirmedWarning", "Text"] {
        let sent = maximal(&ts, ty);
        let back = match ty {
            "ValidationReport" => serde_json::to_value(serde_json::from_value::<xuncha::ValidationReport>(sent.clone()).unwrap()),
            "Problem" => serde_json::to_value(serde_json::from_value::<xuncha::Problem>(sent.clone()).unwrap()),
            "ConfirmedWarning" => serde_json::to_value(serde_json::from_value::<xuncha::visit::ConfirmedWarning>(sent.clone()).unwrap()),
            _ => serde_json::to_value(serde_json::from_value::<xuncha::Text>(sent.clone()).unwrap()),
        }
        .unwrap();
        assert_eq!(back, sent, "{ty}");
    }
}

#[test]
fn string_unions_match_the_rust_enums() {
    use xuncha::{equipment::*, metrology::*, price::*, sampling::*, visit::*};
    let mut tracer = Tracer::new(TracerConfig::default());
    macro_rules! trace { ($($t:ty),*) => { $( tracer.trace_simple_type::<$t>().unwrap(); )* } }
    use xuncha::finding::{DeadlineKind, DeadlineStatus};
    use xuncha::rules::{CheckKind, Confidence, FindingLevel, Measure};
    trace!(
        RecordStatus,
        SiteKind,
        PriceSubject,
        TagElement,
        InstrumentType,
        AccuracyClass,
        SealState,
        EquipmentKind,
        InspectionResult,
        SampleCategory,
        LimitKind,
        Verdict,
        DisposalAction,
        xuncha::ProblemCode,
        xuncha::Severity,
        CheckKind,
        FindingLevel,
        Measure,
        Confidence,
        DeadlineKind,
        DeadlineStatus,
        xuncha::summary::GroupBy,
        xuncha::sync::RecordKind,
        xuncha::sync::ChangeStatus,
        xuncha::form::Input,
        SealView,
        ProductCategory,
        xuncha::documents::DocumentKind,
        xuncha::draw::tasks::TaskState,
        xuncha::draw::tasks::TaskOutcome,
        UnreachableReason
    );
    let registry = tracer.registry().unwrap();
    let ts = parse_ts();
    let mut errors = Vec::new();
    for (name, format) in &registry {
        let ContainerFormat::Enum(variants) = format else {
            continue;
        };
        let rust: BTreeSet<String> = variants.values().map(|v| v.name.clone()).collect();
        let theirs: BTreeSet<String> = ts.unions.get(name).map(|m| m.iter().cloned().collect()).unwrap_or_default();
        if rust != theirs {
            errors.push(format!("{name}: only in Rust {:?}, only in TS {:?}", rust.difference(&theirs).collect::<Vec<_>>(), theirs.difference(&rust).collect::<Vec<_>>()));
        }
    }
    assert_eq!(registry.len(), 31);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn form_catalogue_interfaces_describe_what_the_core_sends() {
    // Output only: every member the core sends is declared, and every declared
    // member is sent somewhere in the catalogue (none left over from an old shape).
    let ts = parse_ts();
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    fn walk(ts: &Ts, ty: &str, v: &Value, seen: &mut BTreeMap<String, BTreeSet<String>>, at: &str) {
        if let Some(inner) = ty.strip_suffix("[]") {
            for (i, x) in v.as_array().unwrap_or_else(|| panic!("{at}: an array")).iter().enumerate() {
                walk(ts, inner, x, seen, &format!("{at}/{i}"));
            }
            return;
        }
        let Some(fields) = ts.interfaces.get(ty) else { return };
        let obj = v.as_object().unwrap_or_else(|| panic!("{at}: a {ty} object"));
        for (k, x) in obj {
            let (_, fty) = fields.iter().find(|(f, _)| f == k).unwrap_or_else(|| panic!("{at}: {ty}.{k} is sent but not declared"));
            seen.entry(ty.to_string()).or_default().insert(k.clone());
            walk(ts, fty, x, seen, &format!("{at}/{k}"));
        }
    }
    let sent = serde_json::to_value(xuncha::form::catalogue()).unwrap();
    walk(&ts, "FormCatalogue", &sent, &mut seen, "");
    for ty in ["FormCatalogue", "FormSection", "FormField", "FormChoice", "FormInternal", "FormVocabulary"] {
        let declared: BTreeSet<String> = ts.interfaces[ty].iter().map(|(f, _)| f.clone()).collect();
        let never: Vec<_> = declared.difference(seen.get(ty).unwrap_or(&BTreeSet::new())).cloned().collect();
        assert!(never.is_empty(), "{ty}: declared but never sent: {never:?}");
    }
}

#[test]
fn every_field_of_the_visit_is_declared_in_typescript_and_no_other() {
    // Both ways by field, optional ones included: the round trip above cannot see a
    // Rust field that stays absent. The Rust side is listed by deserializing.
    fn walk(ts: &Ts, ty: &str, at: &str, out: &mut BTreeSet<String>) {
        if let Some(inner) = ty.strip_suffix("[]") {
            return walk(ts, inner, &format!("{at}[]"), out);
        }
        match ts.interfaces.get(ty) {
            Some(fields) => {
                for (k, t) in fields {
                    walk(ts, t, &if at.is_empty() { k.clone() } else { format!("{at}.{k}") }, out);
                }
            }
            None => {
                out.insert(at.to_string());
            }
        }
    }
    let ts = parse_ts();
    let mut declared = BTreeSet::new();
    walk(&ts, "Visit", "", &mut declared);
    let model: BTreeSet<String> = common::model_fields::leaves::<xuncha::Visit>().into_keys().collect();
    assert_eq!(model.difference(&declared).collect::<Vec<_>>(), Vec::<&String>::new(), "in Rust, missing from types.d.ts");
    assert_eq!(declared.difference(&model).collect::<Vec<_>>(), Vec::<&String>::new(), "in types.d.ts, not in Rust");
}
