//! The rulebook as data: the built-in one, updates that change outcomes, and
//! refusal (with every reason) of a rulebook the engine cannot use.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use serde_json::{json, Value};
use xuncha::rules::{FindingLevel, Rulebook};
use xuncha::time::Date;

fn builtin_json() -> Value {
    serde_json::from_str(&Rulebook::builtin().to_json()).unwrap()
}

/// Whether `big` holds everything `small` says (objects: every key, arrays: every
/// item in order); Err with the JSON Pointer of the first thing it lacks.
fn holds_all_of(big: &Value, small: &Value, at: String) -> Result<(), String> {
    match (big, small) {
        (Value::Object(b), Value::Object(s)) => s.iter().try_for_each(|(k, v)| b.get(k).ok_or(format!("{at}/{k}")).and_then(|bv| holds_all_of(bv, v, format!("{at}/{k}")))),
        (Value::Array(b), Value::Array(s)) if b.len() == s.len() => b.iter().zip(s).enumerate().try_for_each(|(i, (bv, sv))| holds_all_of(bv, sv, format!("{at}/{i}"))),
        // 500 and 500.0 are one number in JSON
        (Value::Number(b), Value::Number(s)) if b.as_f64() == s.as_f64() => Ok(()),
        _ if big == small => Ok(()),
        _ => Err(at),
    }
}

fn load(v: &Value) -> Result<Rulebook, Vec<String>> {
    Rulebook::from_json(&v.to_string()).map_err(|e| e.reasons)
}

fn rule_mut<'a>(book: &'a mut Value, code: &str) -> &'a mut Value {
    book["rules"].as_array_mut().unwrap().iter_mut().find(|r| r["code"] == code).unwrap()
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn the_builtin_rulebook_is_complete_and_every_rule_has_a_source() {
    let book = Rulebook::builtin();
    assert_eq!(book.rules().count(), xuncha::evaluate::IMPLEMENTED_RULES.len());
    for rule in book.rules() {
        assert!(!rule.basis.is_empty(), "{} has a legal basis", rule.code);
        assert!(!rule.title.zh.is_empty() && !rule.title.en.is_empty());
        assert!(!rule.versions.is_empty());
        if rule.level == FindingLevel::Violation {
            assert!(!rule.measures.is_empty());
        }
    }
    // It round-trips through its own JSON: what a reloaded rulebook holds and
    // writes back is what it was loaded from, and the shipped file is kept whole.
    let builtin = Rulebook::builtin();
    let reloaded = load(&builtin_json()).expect("its own JSON loads");
    assert_eq!(serde_json::from_str::<Value>(&reloaded.to_json()).unwrap(), builtin_json(), "written back unchanged");
    // (the writer spells out defaults the file leaves out, such as empty lists)
    let shipped: Value = serde_json::from_str(include_str!("../src/rules/rulebook.json")).unwrap();
    if let Err(at) = holds_all_of(&builtin_json(), &shipped, String::new()) {
        panic!("the shipped file's {at} is lost on load");
    }
    assert_eq!(reloaded.rules().collect::<Vec<_>>(), builtin.rules().collect::<Vec<_>>());
    assert_eq!((&reloaded.version, reloaded.published, &reloaded.note), (&builtin.version, builtin.published, &builtin.note));
    assert_eq!(reloaded.city_price_elements, builtin.city_price_elements);
}

fn scale_visit(date: &str) -> Value {
    json!({
        "schemaVersion": 1, "id": "01900000-0000-7000-8000-0000000000b1", "status": "draft",
        "startedAt": format!("{date}T10:00:00+08:00"),
        "instrumentChecks": [{ "id": "01900000-0000-7000-8000-0000000000b2", "instrumentType": "priceScale", "tradeUse": true,
            "accuracyClass": "III", "maxG": 15000, "eG": 5, "verification": { "markPresent": true, "validUntil": "2099-01-01" },
            "weighings": [{ "loadG": 10000, "readingG": 10015 }] }]
    })
}

fn codes(book: &Rulebook, visit: Value, as_of: &str) -> Vec<String> {
    xuncha::evaluate_visit_json(visit, vec![], book, d(as_of)).unwrap().findings.into_iter().map(|f| f.code).collect()
}

#[test]
fn an_updated_parameter_changes_the_outcome() {
    // HQ widens the in-service MPE of the 2000e band to 3e for scales: the +3e reading is then fine.
    let mut v = builtin_json();
    for version in rule_mut(&mut v, "MET.SCALE_MPE")["versions"].as_array_mut().unwrap() {
        version["values"]["bandsIII"] = json!([[500, 1.0], [2000, 3.0], [10000, 3.0]]);
    }
    v["version"] = json!("2026.12.0");
    let updated = load(&v).unwrap();
    assert_eq!(codes(Rulebook::builtin(), scale_visit("2026-03-10"), "2026-03-10"), vec!["MET.SCALE_MPE"]);
    assert!(codes(&updated, scale_visit("2026-03-10"), "2026-03-10").is_empty());
    let eval = xuncha::evaluate_visit_json(scale_visit("2026-03-10"), vec![], &updated, d("2026-03-10")).unwrap();
    assert_eq!(eval.rulebook_version, "2026.12.0", "the evaluation names the rulebook it used");
}

#[test]
fn a_new_years_holiday_notice_extends_the_calendar() {
    let mut v = builtin_json();
    v["calendar"]["2027"] = json!({ "source": "国务院办公厅关于2027年部分节假日安排的通知", "off": ["2027-01-01/2027-01-03"], "work": [] });
    let book = load(&v).unwrap();
    let got = book.calendar.add_working_days(d("2026-12-30"), 3);
    assert_eq!(got.value, d("2027-01-05"), "Thu 12-31, then 01-01..03 off, Mon 01-04, Tue 01-05");
    assert!(!got.outside_known_years);
}

#[test]
fn a_city_can_add_required_tag_elements_for_named_goods() {
    let mut v = builtin_json();
    v["cityPriceElements"] = json!([{
        "city": "福州市", "goods": ["猪肉"], "elements": ["origin"], "from": "2025-01-01",
        "basis": { "law": { "zh": "福州市明码标价补充规定（示例）", "en": "Fuzhou supplementary rule (example)" }, "article": { "zh": "第三条", "en": "Art. 3" }, "confidence": "L" }
    }]);
    let book = load(&v).unwrap();
    let visit = |city: &str, item: &str| {
        json!({
            "schemaVersion": 1, "id": "01900000-0000-7000-8000-0000000000c1", "status": "draft", "startedAt": "2026-03-10T10:00:00+08:00",
            "site": { "name": "某市场", "city": city },
            "priceChecks": [{ "id": "01900000-0000-7000-8000-0000000000c2", "subject": "goods", "itemName": item, "tagPresent": true,
                "elementsSeen": ["name", "price", "unit"], "markedPrice": 15.8 }]
        })
    };
    let eval = xuncha::evaluate_visit_json(visit("福州市", "猪肉（前腿）"), vec![], &book, d("2026-03-10")).unwrap();
    assert_eq!(eval.findings.len(), 1);
    assert_eq!(eval.findings[0].code, "PRICE.CITY_ELEMENT");
    assert!(eval.findings[0].basis.iter().any(|b| b.law.zh.contains("福州市")), "the city's own notice is cited");
    assert!(codes(&book, visit("厦门市", "猪肉（前腿）"), "2026-03-10").is_empty(), "another city");
    assert!(codes(&book, visit("福州市", "牛肉"), "2026-03-10").is_empty(), "other goods");
}

#[test]
fn unusable_rulebooks_are_refused_with_every_reason() {
    let cases: Vec<(&str, Box<dyn Fn(&mut Value)>, &str)> = vec![
        (
            "a rule missing",
            Box::new(|v| {
                v["rules"].as_array_mut().unwrap().retain(|r| r["code"] != "MET.SCALE_MPE");
            }),
            "rule MET.SCALE_MPE: missing",
        ),
        (
            "an unknown rule",
            Box::new(|v| {
                let mut r = rule_mut(v, "PRICE.NO_TAG").clone();
                r["code"] = json!("PRICE.NEW_RULE");
                v["rules"].as_array_mut().unwrap().push(r);
            }),
            "PRICE.NEW_RULE: unknown to this core",
        ),
        (
            "a rule twice",
            Box::new(|v| {
                let r = rule_mut(v, "PRICE.NO_TAG").clone();
                v["rules"].as_array_mut().unwrap().push(r);
            }),
            "appears twice",
        ),
        (
            "no legal basis",
            Box::new(|v| {
                rule_mut(v, "PRICE.NO_TAG")["basis"] = json!([]);
            }),
            "needs a legal basis",
        ),
        (
            "a parameter missing",
            Box::new(|v| {
                rule_mut(v, "EQ.LIFT_MAINTENANCE")["versions"][0]["values"] = json!({});
            }),
            "parameter maxDays is required",
        ),
        (
            "bands not ascending",
            Box::new(|v| {
                rule_mut(v, "MET.SCALE_MPE")["versions"][0]["values"]["bandsIII"] = json!([[2000, 2.0], [500, 1.0]]);
            }),
            "ascending",
        ),
        (
            "an unknown parameter",
            Box::new(|v| {
                rule_mut(v, "EQ.LIFT_MAINTENANCE")["versions"][0]["values"]["maxDayz"] = json!(15);
            }),
            "maxDayz",
        ),
        (
            "overlapping versions",
            Box::new(|v| {
                rule_mut(v, "MET.DISPENSER_MPE")["versions"][0]["until"] = json!("2024-06-30");
            }),
            "overlap",
        ),
        (
            "until before from",
            Box::new(|v| {
                rule_mut(v, "MET.DISPENSER_MPE")["versions"][0]["until"] = json!("2010-01-01");
            }),
            "is before from",
        ),
        (
            "a code outside its kind",
            Box::new(|v| {
                rule_mut(v, "PRICE.NO_TAG")["kind"] = json!("metrology");
            }),
            "starts with MET.",
        ),
        (
            "a make-up day that is a weekday",
            Box::new(|v| {
                v["calendar"]["2026"]["work"].as_array_mut().unwrap().push(json!("2026-03-11"));
            }),
            "is a weekday already",
        ),
        (
            "a holiday in the wrong year",
            Box::new(|v| {
                v["calendar"]["2026"]["off"].as_array_mut().unwrap().push(json!("2025-12-31"));
            }),
            "is not in 2026",
        ),
        (
            "a calendar year without its notice",
            Box::new(|v| {
                v["calendar"]["2026"]["source"] = json!("");
            }),
            "source notice is required",
        ),
        (
            "a newer format",
            Box::new(|v| {
                v["format"] = json!(2);
            }),
            "format 2 is not supported",
        ),
        (
            "a wrong type",
            Box::new(|v| {
                v["published"] = json!(20261123);
            }),
            "published",
        ),
    ];
    for (name, change, reason) in cases {
        let mut v = builtin_json();
        change(&mut v);
        match load(&v) {
            Ok(_) => panic!("{name}: accepted"),
            Err(reasons) => assert!(reasons.iter().any(|r| r.contains(reason)), "{name}: {reasons:?}"),
        }
    }
    // several faults: all reported at once
    let mut v = builtin_json();
    rule_mut(&mut v, "PRICE.NO_TAG")["basis"] = json!([]);
    rule_mut(&mut v, "EQ.LIFT_MAINTENANCE")["versions"][0]["values"] = json!({});
    assert_eq!(load(&v).unwrap_err().len(), 2);
    assert!(Rulebook::from_json("not json").is_err());
}

/// Before publishing, a bureau sees what a rulebook changes: each rule's
/// changes in words, and the calendar years.
#[test]
fn a_new_rulebook_says_what_it_changes() {
    let mut next = builtin_json();
    next["version"] = json!("2027.1.1");
    let rules = next["rules"].as_array_mut().unwrap();
    let no_tag = rules.iter_mut().find(|r| r["code"] == "PRICE.NO_TAG").unwrap();
    no_tag["rectifyDays"] = json!(5);
    let comparison = rules.iter_mut().find(|r| r["code"] == "PRICE.COMPARISON_TOO_HIGH").unwrap();
    comparison["versions"][0]["values"]["windowDays"] = json!(30);
    next["calendar"]["2027"] = json!({ "source": "国办发明电〔2026〕1号", "off": ["2027-01-01"], "work": [] });
    let newer = Rulebook::from_json(&next.to_string()).unwrap();
    let d = Rulebook::builtin().diff(&newer);
    assert_eq!((d.from_version.as_str(), d.to_version.as_str()), (Rulebook::builtin().version.as_str(), "2027.1.1"));
    // (every rule the engine implements must be there: none can be added or removed here)
    assert!(d.rules_added.is_empty() && d.rules_removed.is_empty());
    let said = |code: &str| d.rules_changed.iter().find(|c| c.code == code).map(|c| c.changes.iter().map(|t| t.zh.clone()).collect::<Vec<_>>()).unwrap_or_default();
    assert_eq!(said("PRICE.NO_TAG"), ["整改期限（天）：3 → 5"]);
    assert_eq!(said("PRICE.COMPARISON_TOO_HIGH"), ["版本（自2022-07-01起）参数 windowDays：7 → 30"]);
    assert_eq!(d.rules_changed.len(), 2);
    assert_eq!((d.calendar_years_added.as_slice(), d.calendar_years_removed.is_empty(), d.unchanged), (&[2027][..], true, false));
    // The same rules under a new version number change nothing.
    let mut same = builtin_json();
    same["version"] = json!("2026.11.2");
    assert!(Rulebook::builtin().diff(&Rulebook::from_json(&same.to_string()).unwrap()).unchanged);
}
