//! Properties of the compliance engine: it never panics, it is a pure
//! function of its input, and compliant checks yield no finding.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::fixture;
use proptest::prelude::*;
use serde_json::{json, Value};
use xuncha::time::Date;
use xuncha::{evaluate_visit_json, Rulebook};

fn day() -> Date {
    "2026-03-10".parse().unwrap()
}

fn codes(visit: Value) -> Vec<String> {
    evaluate_visit_json(visit, vec![], Rulebook::builtin(), day()).unwrap().findings.into_iter().map(|f| f.code).collect()
}

fn visit_with(key: &str, item: Value) -> Value {
    json!({ "schemaVersion": 1, "id": "01900000-0000-7000-8000-0000000000d1", "status": "draft",
            "startedAt": "2026-03-10T10:00:00+08:00", key: [item] })
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        prop_oneof![Just("2026-03-10"), Just("1900-01-01"), Just("9999-12-31"), Just("III"), Just("lift"), Just("food"), Just("priceScale"), Just("goods")].prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 32, 5, |inner| {
        prop_oneof![prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array), prop::collection::vec(("[a-zA-Z]{1,8}", inner), 0..4).prop_map(|kv| Value::Object(kv.into_iter().collect())),]
    })
}

fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, c)| {
            let p = format!("{at}/{k}");
            out.push(p.clone());
            pointers(c, p, out)
        }),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, c)| {
            let p = format!("{at}/{i}");
            out.push(p.clone());
            pointers(c, p, out)
        }),
        _ => {}
    }
}

#[test]
fn the_complete_fixture_is_compliant() {
    let eval = evaluate_visit_json(fixture("visit_complete.json"), vec![], Rulebook::builtin(), day()).unwrap();
    assert!(eval.compliant);
    assert!(eval.findings.is_empty(), "{:?}", eval.findings);
}

/// Found by the property below on a CI run (shelfLifeDays = 95,005,716: the
/// expiry date overflowed chrono and the core panicked, which in wasm aborts the
/// app and at HQ fails the push). Absurd day counts and dates at the calendar's
/// ends give absurd dates, never a panic.
#[test]
fn absurd_day_counts_and_far_dates_never_panic() {
    let base = fixture("visit_complete.json");
    let samples = base["samples"].as_array().unwrap().len();
    assert!(samples > 0);
    for days in [95_005_716u64, u32::MAX as u64] {
        let mut v = base.clone();
        v["samples"][0]["shelfLifeDays"] = json!(days);
        v["samples"][0]["productionDate"] = json!("2026-03-01");
        let eval = evaluate_visit_json(v, vec![], Rulebook::builtin(), day()).unwrap();
        assert!(!eval.findings.iter().any(|f| f.code == "SAMP.EXPIRED_ON_SALE"), "a shelf life that long has not run out");
    }
    for (far, as_of) in [("+262000-01-01", Date::MAX), ("-262000-01-01", Date::MIN), ("2026-03-01", Date::MAX), ("2026-03-01", Date::MIN)] {
        let mut v = base.clone();
        v["samples"][0]["productionDate"] = json!(far);
        let _ = evaluate_visit_json(v, vec![], Rulebook::builtin(), as_of);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn mutated_visits_never_panic_and_evaluate_deterministically(which in 0usize..1000, replacement in any_json(), as_of in 0i64..4000) {
        let mut ptrs = Vec::new();
        let base = fixture("visit_complete.json");
        pointers(&base, String::new(), &mut ptrs);
        let mut v = base;
        *v.pointer_mut(&ptrs[which % ptrs.len()]).unwrap() = replacement;
        let as_of = day() + chrono::Duration::days(as_of - 2000);
        let a = evaluate_visit_json(v.clone(), vec![], Rulebook::builtin(), as_of);
        let b = evaluate_visit_json(v, vec![], Rulebook::builtin(), as_of);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn arbitrary_follow_ups_never_panic(f in any_json(), g in any_json()) {
        let _ = evaluate_visit_json(fixture("visit_complete.json"), vec![f, g], Rulebook::builtin(), day());
    }

    /// Any weighing within the class III in-service MPE for its load is compliant.
    #[test]
    fn scale_readings_within_the_mpe_are_compliant(e in prop_oneof![Just(1.0), Just(2.0), Just(5.0), Just(10.0)], load_e in 0u32..=3000, frac in -1.0f64..=1.0) {
        let load = load_e as f64 * e;
        let mpe_e = if load_e <= 500 { 1.0 } else if load_e <= 2000 { 2.0 } else { 3.0 };
        let reading = load + frac * mpe_e * e;
        let check = json!({ "instrumentType": "priceScale", "tradeUse": true, "accuracyClass": "III", "maxG": 3000.0 * e, "eG": e,
            "verification": { "markPresent": true, "validUntil": "2026-12-31" }, "weighings": [{ "loadG": load, "readingG": reading }] });
        prop_assert!(codes(visit_with("instrumentChecks", check)).is_empty());
    }

    /// Any delivery within ±0.30 % is compliant.
    #[test]
    fn dispenser_deliveries_within_the_mpe_are_compliant(actual in 1.0f64..200.0, frac in -1.0f64..=1.0) {
        let check = json!({ "instrumentType": "fuelDispenser", "tradeUse": true, "verification": { "markPresent": true, "validUntil": "2026-12-31" },
            "deliveries": [{ "actualL": actual, "indicatedL": actual * (1.0 + frac * 0.0030) }] });
        prop_assert!(codes(visit_with("instrumentChecks", check)).is_empty());
    }

    /// A complete tag charged at or below its price is compliant (Art. 21).
    #[test]
    fn charging_at_or_below_the_tag_is_compliant(marked in 0.01f64..10000.0, discount in 0.0f64..=1.0) {
        let check = json!({ "subject": "goods", "itemName": "商品", "tagPresent": true, "elementsSeen": ["name", "price", "unit"],
            "markedPrice": marked, "chargedPrice": marked * (1.0 - discount) });
        prop_assert!(codes(visit_with("priceChecks", check)).is_empty());
    }

    /// A lift maintained within 15 days and inspected on schedule is compliant, whatever its age.
    #[test]
    fn a_lift_in_order_is_compliant(age_days in 400i64..12000, maintained_days_ago in 0i64..=15) {
        let accepted = day() - chrono::Duration::days(age_days);
        let check = json!({ "kind": "lift", "registrationNo": "梯-1", "firstUsedOn": accepted, "nextInspectionDue": day() + chrono::Duration::days(40),
            "lastMaintenanceOn": day() - chrono::Duration::days(maintained_days_ago), "maintenanceUnitLicensed": true, "inUse": true });
        prop_assert!(codes(visit_with("equipmentChecks", check)).is_empty());
    }
}

#[test]
fn a_batch_gives_each_visit_its_own_follow_ups() {
    let read = |v: Value| xuncha::check_visit(v, xuncha::time::parse_timestamp("2026-05-01T12:00:00+08:00").unwrap()).record.unwrap();
    let a = read(fixture("visit_complete.json"));
    let mut b = a.clone();
    b.id = Some("01900000-0000-7000-8000-0000000000f9".into());
    let follow_up: xuncha::sampling::SampleFollowUp = serde_json::from_value(fixture("follow_up_complete.json")).unwrap();
    let evals = xuncha::evaluate_visits(&[a, b], &[follow_up], Rulebook::builtin(), "2026-04-20".parse().unwrap());
    assert_eq!(evals.len(), 2);
    assert_eq!(evals[0].findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(), vec!["SAMP.TEST_ITEM_FAILED"]);
    assert!(evals[1].findings.iter().all(|f| f.code != "SAMP.TEST_ITEM_FAILED"), "the other visit's sample has no lab result");
}
