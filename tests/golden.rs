//! The golden-case suite: `tests/golden/*.json` hold visits with the exact
//! findings and deadlines expected, on both sides of every threshold. Each case
//! gives only what matters (the date and the checks); the harness wraps it in a
//! complete, valid visit, checks that the record has no data errors (so the
//! cases stay realistic), evaluates it and compares — exactly.
#![cfg(not(target_arch = "wasm32"))]

use serde::Deserialize;
use serde_json::{json, Map, Value};
use xuncha::time::Date;
use xuncha::{evaluate_visit_json, Rulebook};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Case {
    name: String,
    /// Visit date (the rules in force on this day apply).
    date: Date,
    /// Deadlines judged on this day (default: the visit date).
    as_of: Option<Date>,
    /// Fields merged into the visit (priceChecks, instrumentChecks, site…).
    visit: Map<String, Value>,
    #[serde(default)]
    follow_ups: Vec<Value>,
    /// [code, path] of every finding, in any order.
    findings: Vec<(String, String)>,
    /// [kind, due, status] of every deadline (default: not compared).
    deadlines: Option<Vec<(String, String, String)>>,
    /// Substrings that must appear in the first finding's basis (law or article).
    basis_includes: Option<Vec<String>>,
    /// Expected facts of the first finding.
    facts: Option<Map<String, Value>>,
    compliant: Option<bool>,
    /// The evaluation says the calendar had to assume weekends only.
    calendar_assumed: Option<bool>,
}

fn shell(case: &Case) -> Value {
    let mut v = json!({
        "schemaVersion": 1,
        "id": "01900000-0000-7000-8000-00000000aaaa",
        "status": "draft",
        "operator": { "name": "某经营者", "address": "某市某路 1 号", "creditCode": "91350100M000100Y43" },
        "officers": [ { "name": "陈某", "certificateNo": "A-1" }, { "name": "王某", "certificateNo": "A-2" } ],
        "startedAt": format!("{}T09:00:00+08:00", case.date),
    });
    let obj = v.as_object_mut().unwrap();
    for (k, val) in &case.visit {
        obj.insert(k.clone(), val.clone());
    }
    // Give every check an id, so cases stay short.
    let mut n = 0;
    for list in ["priceChecks", "instrumentChecks", "equipmentChecks", "samples"] {
        if let Some(Value::Array(items)) = obj.get_mut(list) {
            for item in items {
                n += 1;
                item.as_object_mut().unwrap().entry("id").or_insert(json!(format!("01900000-0000-7000-8000-{:012}", n)));
            }
        }
    }
    v
}

fn run_file(file: &str) {
    let path = format!("{}/tests/golden/{}", env!("CARGO_MANIFEST_DIR"), file);
    let cases: Vec<Case> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{file}: {e}"));
    let book = Rulebook::builtin();
    let mut failures = Vec::new();
    // Everything each case's evaluation says — every finding's basis, facts,
    // measures and rectification date, every deadline — for the snapshot below.
    let mut snapshot = Vec::new();
    for case in &cases {
        let visit = shell(case);
        let now = xuncha::time::parse_timestamp(&format!("{}T23:00:00+08:00", case.as_of.unwrap_or(case.date).max(case.date))).unwrap();
        let report = xuncha::check_visit(visit.clone(), now).report;
        let errors: Vec<_> = report.problems.iter().filter(|p| p.is_error()).map(|p| format!("{} {}", p.code, p.path)).collect();
        if !errors.is_empty() {
            failures.push(format!("{}: the case's record has data errors {errors:?}", case.name));
            continue;
        }
        let follow_ups = case.follow_ups.iter().map(|f| {
            let mut f = f.clone();
            let o = f.as_object_mut().unwrap();
            o.entry("schemaVersion").or_insert(json!(1));
            o.entry("id").or_insert(json!("01900000-0000-7000-8000-00000000f001"));
            o.entry("visitId").or_insert(json!("01900000-0000-7000-8000-00000000aaaa"));
            o.entry("sampleId").or_insert(json!("01900000-0000-7000-8000-000000000001"));
            f
        });
        let eval = evaluate_visit_json(visit, follow_ups.collect(), book, case.as_of.unwrap_or(case.date)).unwrap();
        let mut findings: Vec<Value> =
            eval.findings.iter().map(|f| json!({ "code": f.code, "path": f.path, "basis": f.basis, "facts": f.facts, "measures": f.measures, "rectifyBy": f.rectify_by })).collect();
        findings.sort_by_key(|f| (f["code"].to_string(), f["path"].to_string()));
        snapshot.push(json!({ "case": case.name, "findings": findings, "deadlines": eval.deadlines }));
        let mut got: Vec<(String, String)> = eval.findings.iter().map(|f| (f.code.clone(), f.path.clone())).collect();
        let mut want = case.findings.clone();
        got.sort();
        want.sort();
        if got != want {
            failures.push(format!("{}:\n    want {want:?}\n     got {got:?}\n     {}", case.name, eval.findings.iter().map(|f| f.message.zh.clone()).collect::<Vec<_>>().join(" | ")));
            continue;
        }
        for f in &eval.findings {
            if f.basis.is_empty() || f.measures.is_empty() {
                failures.push(format!("{}: {} has no basis or no measure", case.name, f.code));
            }
        }
        if let Some(want) = &case.deadlines {
            let mut got: Vec<(String, String, String)> = eval
                .deadlines
                .iter()
                .map(|d| (serde_json::to_value(d.kind).unwrap().as_str().unwrap().to_string(), d.due.to_string(), serde_json::to_value(d.status).unwrap().as_str().unwrap().to_string()))
                .collect();
            let mut want = want.clone();
            got.sort();
            want.sort();
            if got != want {
                failures.push(format!("{}: deadlines\n    want {want:?}\n     got {got:?}", case.name));
            }
        }
        if let Some(parts) = &case.basis_includes {
            let text = eval.findings.first().map(|f| serde_json::to_string(&f.basis).unwrap()).unwrap_or_default();
            for p in parts {
                if !text.contains(p.as_str()) {
                    failures.push(format!("{}: basis lacks \"{p}\": {text}", case.name));
                }
            }
        }
        if let Some(facts) = &case.facts {
            let got = &eval.findings.first().map(|f| f.facts.clone()).unwrap_or_default();
            for (k, v) in facts {
                let ok = match (got.get(k), v) {
                    (Some(Value::Number(a)), Value::Number(b)) => (a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 1e-9,
                    (Some(a), b) => a == b,
                    (None, _) => false,
                };
                if !ok {
                    failures.push(format!("{}: fact {k} = {:?}, want {v}", case.name, got.get(k)));
                }
            }
        }
        if let Some(c) = case.compliant {
            if eval.compliant != c {
                failures.push(format!("{}: compliant = {}, want {c}", case.name, eval.compliant));
            }
        }
        let assumed = !eval.notes.is_empty() && eval.deadlines.iter().any(|d| d.calendar_assumed);
        if case.calendar_assumed.unwrap_or(false) != assumed {
            failures.push(format!("{}: calendar assumed = {assumed}", case.name));
        }
    }
    assert!(failures.is_empty(), "{file}: {} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    // The whole of what the engine said, compared exactly with the blessed
    // snapshot (`XUNCHA_BLESS=1 cargo test --test golden` writes it anew; the diff
    // in review is then the change of behaviour).
    let snapshot_path = path.replace(".json", ".snapshot.json");
    let written = serde_json::to_string_pretty(&snapshot).unwrap() + "\n";
    if std::env::var("XUNCHA_BLESS").is_ok() {
        std::fs::write(&snapshot_path, &written).unwrap();
    }
    let blessed = std::fs::read_to_string(&snapshot_path).unwrap_or_else(|_| panic!("{snapshot_path} is missing: XUNCHA_BLESS=1 cargo test --test golden"));
    if blessed != written {
        let (want, got): (Vec<Value>, Vec<Value>) = (serde_json::from_str(&blessed).unwrap(), snapshot);
        let first = want.iter().zip(&got).find(|(w, g)| w != g);
        panic!(
            "{file}: the evaluation differs from {snapshot_path}; first case that differs:\n    want {}\n     got {}",
            first.map_or("(count)".into(), |(w, _)| w.to_string()),
            first.map_or(format!("{} cases", got.len()), |(_, g)| g.to_string())
        );
    }
    eprintln!("{file}: {} cases", cases.len());
}

#[test]
fn price() {
    run_file("price.json");
}

#[test]
fn metrology() {
    run_file("metrology.json");
}

#[test]
fn equipment() {
    run_file("equipment.json");
}

#[test]
fn sampling() {
    run_file("sampling.json");
}

#[test]
fn finding_messages_state_the_figures_with_their_sign() {
    let visit = |reading: f64| {
        serde_json::json!({
            "schemaVersion": 1, "id": "01900000-0000-7000-8000-0000000000e1", "status": "draft", "startedAt": "2026-03-10T10:00:00+08:00",
            "instrumentChecks": [{ "id": "01900000-0000-7000-8000-0000000000e2", "instrumentType": "priceScale", "tradeUse": true, "accuracyClass": "III",
                "maxG": 15000, "eG": 5, "verification": { "markPresent": true, "validUntil": "2026-12-31" }, "weighings": [{ "loadG": 10000, "readingG": reading }] }]
        })
    };
    let day: Date = "2026-03-10".parse().unwrap();
    let over = evaluate_visit_json(visit(10015.0), vec![], Rulebook::builtin(), day).unwrap();
    assert!(over.findings[0].message.zh.contains("误差 +15 g，超过使用中检验最大允许误差 ±10 g（±2e）"), "{}", over.findings[0].message.zh);
    let under = evaluate_visit_json(visit(9985.0), vec![], Rulebook::builtin(), day).unwrap();
    assert!(under.findings[0].message.zh.contains("误差 −15 g"), "{}", under.findings[0].message.zh);
    assert!(under.findings[0].message.en.contains("error −15 g"), "{}", under.findings[0].message.en);
}
