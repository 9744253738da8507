//! The form catalogue (src/form) against the model, validation and the rules,
//! so that the tablet's forms cannot drift from the core again:
//! - every field of the Rust model is a form field, or internal with a reason;
//! - every field's input fits the model's type, and its options are the enum's;
//! - every problem validation reports points at a field of the item's subtype;
//! - every rule code is produced by values entered in form fields
//!   (tests/fixtures/rule_cases.json, also driven through the editor in Chromium).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::model_fields::{leaves, Leaf};
use serde_json::{json, Value};
use xuncha::form::{catalogue, field_path, validate_item, Catalogue, Field, Input, Section};
use xuncha::time::Date;
use xuncha::visit::Visit;

fn covered_by_internal(cat: &Catalogue, path: &str) -> Option<&'static str> {
    cat.internal.iter().find(|i| path == i.path || path.starts_with(&format!("{}.", i.path)) || path.starts_with(&format!("{}[]", i.path))).map(|i| i.path)
}

#[test]
fn every_model_field_is_a_form_field_or_internal_with_a_reason() {
    let cat = catalogue();
    let model = leaves::<Visit>();
    let form: BTreeSet<String> = cat.paths().into_iter().map(|(p, _, _)| p).collect();
    let missing: Vec<&String> = model.keys().filter(|p| !form.contains(*p) && covered_by_internal(&cat, p).is_none()).collect();
    assert!(missing.is_empty(), "model fields with no form field (add one to src/form, or an INTERNAL entry with the reason): {missing:#?}");
    let phantom: Vec<&String> = form.iter().filter(|p| !model.contains_key(*p)).collect();
    assert!(phantom.is_empty(), "form fields the model does not have: {phantom:#?}");
    let stale: Vec<&str> = cat.internal.iter().map(|i| i.path).filter(|i| !model.keys().any(|p| covered_by_internal(&cat, p) == Some(i))).collect();
    assert!(stale.is_empty(), "INTERNAL entries for no model field: {stale:?}");
    for i in &cat.internal {
        assert!(!i.reason.trim().is_empty(), "{}: an internal field needs its reason", i.path);
    }
}

#[test]
fn every_input_fits_the_model_and_options_are_the_enum_variants() {
    let cat = catalogue();
    let model = leaves::<Visit>();
    for (path, _, f) in cat.paths() {
        let leaf = &model[&path];
        let fits = match (f.input, leaf) {
            (Input::Text | Input::Code | Input::Tel | Input::TextList | Input::Recording, Leaf::Text) => true,
            (Input::Number | Input::NumberList, Leaf::Number) => true,
            (Input::Integer, Leaf::Integer) | (Input::Date, Leaf::Date) | (Input::Bool, Leaf::Bool) => true,
            (Input::Choice | Input::Multi, Leaf::Enum(variants)) => {
                let options: BTreeSet<&str> = f.options.iter().map(|o| o.value.as_str()).collect();
                let variants: BTreeSet<&str> = variants.iter().copied().collect();
                assert_eq!(options, variants, "{path}: the options are the enum's variants");
                true
            }
            _ => false,
        };
        assert!(fits, "{path}: input {:?} does not fit the model's {leaf:?}", f.input);
        let list = path.ends_with("[]");
        assert_eq!(list, matches!(f.input, Input::Multi | Input::TextList | Input::NumberList), "{path}: a list in the model is a list input");
        for o in &f.options {
            assert!(!o.label.zh.is_empty() && !o.label.en.is_empty(), "{path}={}: both labels", o.value);
        }
        assert!(!f.label.zh.is_empty() && !f.label.en.is_empty(), "{path}: both labels");
        assert!(!f.label.zh.chars().any(|c| c.is_ascii_lowercase()), "{path}: no English in the Chinese label {:?}", f.label.zh);
    }
}

/// A field of `section` the officer sees for `subtype` at `path` (dotted, no
/// indexes): the field itself, a table's column, or a group of fields.
fn reachable(section: &Section, subtype: Option<&str>, path: &str) -> bool {
    path.is_empty()
        || section.fields.iter().filter(|f| applies(f, subtype)).any(|f| f.path == path || f.path.starts_with(&format!("{path}.")) || f.rows.iter().any(|r| format!("{}.{}", f.path, r.path) == path))
}

fn applies(f: &Field, subtype: Option<&str>) -> bool {
    match (&f.applies_to, subtype) {
        (Some(list), Some(s)) => list.iter().any(|x| x == s),
        _ => true,
    }
}

/// An item with every field of the subtype holding an odd value: negative,
/// zero, blank, far in the future, repeated — what makes validation speak.
fn odd_item(section: &Section, subtype: Option<&str>) -> Value {
    let mut item = section.skeleton(subtype);
    let odd = |f: &Field| match f.input {
        Input::Number => json!(-1.0),
        Input::Integer => json!(0),
        Input::Date => json!("2999-01-01"),
        Input::Bool => json!(false),
        Input::Choice => json!(f.options.iter().find(|o| o.applies_to.as_ref().map_or(true, |a| subtype.map_or(true, |s| a.iter().any(|x| x == s)))).map(|o| o.value.clone())),
        Input::Multi => json!(f.options.iter().map(|o| o.value.clone()).collect::<Vec<_>>()),
        Input::TextList => json!(["", "同", "同"]),
        Input::NumberList => json!([-1.0, 0.0]),
        Input::Rows => Value::Null,
        Input::Text | Input::Code | Input::Tel => json!(" "),
        Input::Recording => json!("not a hash"),
    };
    for f in section.fields.iter().filter(|f| applies(f, subtype)) {
        if Some(f.path) == section.subtype {
            continue;
        }
        let value = if f.input == Input::Rows { json!([f.rows.iter().map(|r| (r.path.to_string(), odd(r))).collect::<serde_json::Map<_, _>>(), {}]) } else { odd(f) };
        set(&mut item, f.path, value);
    }
    item
}

fn set(item: &mut Value, dotted: &str, value: Value) {
    let mut at = item;
    let parts: Vec<&str> = dotted.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        at = at.as_object_mut().unwrap().entry(*p).or_insert_with(|| json!({}));
    }
    at.as_object_mut().unwrap().insert(parts[parts.len() - 1].to_string(), value);
}

#[test]
fn every_problem_validation_reports_points_at_a_field_of_the_subtype() {
    let cat = catalogue();
    let cases = rule_cases();
    let mut checked = 0;
    for section in &cat.sections {
        for subtype in section.subtypes() {
            let subtype = subtype.as_deref();
            let mut items = vec![section.skeleton(subtype), odd_item(section, subtype)];
            items.extend(cases.cases.iter().filter(|c| c.section == section.key && subtype_of(section, &c.item) == subtype).map(|c| at_day(&c.item, day("2026-03-10"))));
            for mut item in items {
                if section.repeated && !section.key.is_empty() && section.kind.is_some() {
                    item["id"] = json!("01900000-0000-7000-8000-00000000a001"); // made by the app
                }
                let problems = validate_item(section, &item).unwrap_or_else(|| panic!("{} {subtype:?}: the item reads as the model: {item}", section.key));
                for p in problems {
                    let path = field_path(&p.path);
                    assert!(reachable(section, subtype, &path), "{} ({subtype:?}): {} at {} has no field the officer sees: {}", section.key, p.code.as_str(), p.path, p.message.zh);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 200, "validation spoke {checked} times: the odd items are odd enough");
}

#[test]
fn validation_requires_only_fields_the_form_marks_required() {
    // The form's asterisks are validation's REQUIRED for an empty item, per subtype.
    let cat = catalogue();
    let water = cat.sections.iter().find(|s| s.key == "instrumentChecks").unwrap();
    let get = |s: &Section, p: &str| s.fields.iter().find(|f| f.path == p).cloned().unwrap();
    assert!(get(water, "nominalDiameterMm").required, "a water meter's DN");
    assert!(get(water, "installedOn").required, "a meter's installation date");
    assert_eq!(get(water, "installedOn").applies_to.as_deref(), Some(&["waterMeter".to_string(), "gasMeter".into(), "electricityMeter".into()][..]));
    let eq = cat.sections.iter().find(|s| s.key == "equipmentChecks").unwrap();
    assert!(get(eq, "safetyGrade").required, "a pressure vessel's safety grade");
    assert_eq!(get(eq, "firstUsedOn").required_for.as_deref(), Some(&["lift".to_string()][..]), "a lift's acceptance date, for lifts only");
    assert!(get(eq, "kind").required);
}

// ---- every rule code from form fields ---------------------------------------

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RuleCases {
    city_price_elements: Value,
    cases: Vec<RuleCase>,
}

#[derive(serde::Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct RuleCase {
    codes: Vec<String>,
    section: String,
    item: Value,
    #[serde(default)]
    site: Option<Value>,
    #[serde(default)]
    visit_days_ago: i64,
    #[serde(default)]
    follow_up: Option<Value>,
}

fn rule_cases() -> RuleCases {
    serde_json::from_value(common::fixture("rule_cases.json")).unwrap()
}

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

/// "@N" dates made real: N days after `visit_day`.
fn at_day(v: &Value, visit_day: Date) -> Value {
    match v {
        Value::String(s) if s.starts_with('@') => json!(xuncha::time::add_days(visit_day, s[1..].parse().unwrap()).to_string()),
        Value::Array(a) => Value::Array(a.iter().map(|x| at_day(x, visit_day)).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), at_day(x, visit_day))).collect()),
        other => other.clone(),
    }
}

fn subtype_of<'a>(section: &Section, item: &'a Value) -> Option<&'a str> {
    section.subtype.and_then(|k| item.get(k)).and_then(Value::as_str)
}

/// Leaves of an item as catalogue paths ("comparison.transactions[].on").
fn item_paths(v: &Value, at: String, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                item_paths(x, if at.is_empty() { k.clone() } else { format!("{at}.{k}") }, out);
            }
        }
        Value::Array(a) if a.iter().all(|x| !x.is_object()) => {
            out.insert(format!("{at}[]"));
        }
        Value::Array(a) => {
            for x in a {
                item_paths(x, format!("{at}[]"), out);
            }
        }
        _ => {
            out.insert(at);
        }
    }
}

#[test]
fn every_rule_code_is_produced_by_values_entered_in_form_fields() {
    let cat = catalogue();
    let cases = rule_cases();
    let mut book: Value = serde_json::from_str(&xuncha::Rulebook::builtin().to_json()).unwrap();
    book["cityPriceElements"] = cases.city_price_elements.clone();
    let book = xuncha::Rulebook::from_json(&book.to_string()).unwrap();

    let all: BTreeSet<String> = book.rules().map(|r| r.code.clone()).collect();
    let covered: BTreeSet<String> = cases.cases.iter().flat_map(|c| c.codes.clone()).collect();
    assert_eq!(all.difference(&covered).collect::<Vec<_>>(), Vec::<&String>::new(), "rule codes with no case");

    let form: BTreeMap<String, (&Section, &Field)> = cat.paths().into_iter().map(|(p, s, f)| (p, (s, f))).collect();
    let today = day("2026-09-01");
    for case in &cases.cases {
        let section = cat.sections.iter().find(|s| s.key == case.section).unwrap();
        let subtype = subtype_of(section, &case.item);
        // Only what the editor shows for this subtype.
        let mut paths = BTreeSet::new();
        item_paths(&case.item, String::new(), &mut paths);
        for p in paths {
            let full = format!("{}[].{p}", case.section);
            let (_, f) = form.get(&full).unwrap_or_else(|| panic!("{:?}: {full} is no form field", case.codes));
            let column_of = section.fields.iter().find(|t| t.rows.iter().any(|r| std::ptr::eq(r, *f)));
            assert!(applies(column_of.unwrap_or(f), subtype), "{:?}: {p} is not shown for {subtype:?}", case.codes);
        }

        // The visit an officer would finalise, with this one item.
        let visit_day = xuncha::time::add_days(today, -case.visit_days_ago);
        let mut visit = base_visit(visit_day);
        let mut item = at_day(&case.item, visit_day);
        item["id"] = json!("01900000-0000-7000-8000-00000000a001");
        visit[&case.section] = json!([item]);
        if let Some(site) = &case.site {
            for (k, v) in site.as_object().unwrap() {
                visit["site"][k] = v.clone();
            }
        }
        let now = xuncha::time::parse_timestamp(&format!("{visit_day}T18:00:00+08:00")).unwrap();
        let checked = xuncha::check_visit(visit.clone(), now);
        let errors: Vec<_> = checked.report.problems.iter().filter(|p| p.is_error()).map(|p| (p.code.as_str(), &p.path)).collect();
        assert!(errors.is_empty(), "{:?}: the visit can be finalised: {errors:?}", case.codes);

        let follow_ups: Vec<Value> = case
            .follow_up
            .iter()
            .map(|f| {
                let mut f = at_day(f, visit_day);
                f["schemaVersion"] = json!(1);
                f["id"] = json!("01900000-0000-7000-8000-00000000f001");
                f["visitId"] = visit["id"].clone();
                f["sampleId"] = json!("01900000-0000-7000-8000-00000000a001");
                f
            })
            .collect();
        let eval = xuncha::evaluate_visit_json(visit, follow_ups, &book, today).unwrap();
        for code in &case.codes {
            let f = eval.findings.iter().find(|f| &f.code == code).unwrap_or_else(|| panic!("{code} not produced; found {:?}", eval.findings.iter().map(|f| &f.code).collect::<Vec<_>>()));
            let prefix = format!("/{}/0", case.section);
            assert!(f.path.starts_with(&prefix), "{code}: the finding points into its item ({})", f.path);
            let path = field_path(&f.path[prefix.len()..]);
            assert!(reachable(section, subtype, &path) || path == "recheckRequestedOn", "{code}: the finding points at {path}, which the officer cannot see");
        }
    }
}

/// A complete visit header (the fixture's), signed, without checks.
fn base_visit(visit_day: Date) -> Value {
    let mut v = common::fixture("visit_complete.json");
    for k in ["priceChecks", "instrumentChecks", "equipmentChecks", "samples", "endedAt", "finalisedAt", "location"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v["status"] = json!("draft");
    v["startedAt"] = json!(format!("{visit_day}T09:30:00+08:00"));
    v["signature"]["signedAt"] = json!(format!("{visit_day}T10:58:00+08:00"));
    v["attachments"][1]["takenAt"] = json!(format!("{visit_day}T09:40:00+08:00"));
    v
}

#[test]
fn the_catalogue_the_wasm_ships_is_the_one_the_core_builds() {
    let built = serde_json::to_string_pretty(&catalogue()).unwrap() + "\n";
    let path = format!("{}/src/form/catalogue.json", env!("CARGO_MANIFEST_DIR"));
    if std::env::var("XUNCHA_BLESS").is_ok() {
        std::fs::write(&path, &built).unwrap();
        return; // compiled in on the next build
    }
    let file = std::fs::read_to_string(&path).unwrap();
    assert!(file == built, "src/form/catalogue.json is stale: run XUNCHA_BLESS=1 cargo test --test form_catalogue");
    let shipped: Value = serde_json::from_str(xuncha::form::CATALOGUE_JSON).unwrap();
    assert_eq!(shipped, serde_json::to_value(catalogue()).unwrap(), "the embedded text (build.rs) is that file");
}

/// An item of `subtype` with the fields the form marks required, as an officer fills them.
fn required_only(section: &Section, subtype: Option<&str>, table: &Value, visit_day: Date) -> Value {
    let mut item = json!({});
    if let (Some(key), Some(s)) = (section.subtype, subtype) {
        item[key] = json!(s);
    }
    for f in section.fields.iter().filter(|f| applies(f, subtype) && Some(f.path) != section.subtype && !f.path.contains('.')) {
        let required = f.required || f.required_for.as_ref().is_some_and(|r| subtype.is_some_and(|s| r.iter().any(|x| x == s)));
        if !required {
            continue;
        }
        let input = serde_json::to_value(f.input).unwrap();
        let value = table["values"].get(f.path).cloned().or_else(|| table["byInput"].get(input.as_str().unwrap()).cloned()).unwrap_or_else(|| match f.input {
            Input::Choice => json!(f.options[0].value),
            other => panic!("{}: no value for a required {other:?}", f.path),
        });
        item[f.path] = at_day(&value, visit_day);
    }
    item
}

#[test]
fn every_subtype_of_every_kind_is_finalised_with_its_required_fields_alone() {
    let cat = catalogue();
    let table = common::fixture("required_values.json");
    let day = day("2026-03-10");
    let mut finalised = 0;
    for section in cat.sections.iter().filter(|s| s.kind.is_some()) {
        for subtype in section.subtypes() {
            let mut item = required_only(section, subtype.as_deref(), &table, day);
            item["id"] = json!("01900000-0000-7000-8000-00000000a001");
            let mut visit = base_visit(day);
            visit[section.key] = json!([item]);
            let now = xuncha::time::parse_timestamp("2026-03-10T18:00:00+08:00").unwrap();
            let confirmed: Vec<_> =
                xuncha::check_visit(visit.clone(), now).report.problems.iter().filter(|p| !p.is_error()).map(|p| xuncha::visit::ConfirmedWarning { code: p.code, path: p.path.clone() }).collect();
            match xuncha::visit::lifecycle::finalise(visit, now, &confirmed) {
                Ok(_) => finalised += 1,
                Err(e) => panic!(
                    "{} {subtype:?} with its required fields cannot be finalised: {:?}",
                    section.key,
                    xuncha::CoreError::problems(&e).iter().map(|p| (p.code.as_str(), &p.path)).collect::<Vec<_>>()
                ),
            }
        }
    }
    assert_eq!(finalised, 2 + 8 + 9 + 2, "every subtype of the four kinds");
}

#[test]
fn the_follow_up_record_is_described_too_for_staff_forms() {
    // The lab result staff enter at HQ: every field a form field or internal, inputs fitting.
    let cat = catalogue();
    let model = leaves::<xuncha::sampling::SampleFollowUp>();
    let form: BTreeMap<String, &Field> = cat.follow_up_paths().into_iter().map(|(p, _, f)| (p, f)).collect();
    let internal = |p: &str| cat.follow_up_internal.iter().any(|i| p == i.path);
    let missing: Vec<&String> = model.keys().filter(|p| !form.contains_key(*p) && !internal(p)).collect();
    assert!(missing.is_empty(), "follow-up fields with no form field: {missing:?}");
    let phantom: Vec<&String> = form.keys().filter(|p| !model.contains_key(*p)).collect();
    assert!(phantom.is_empty(), "form fields the follow-up does not have: {phantom:?}");
    for (path, f) in &form {
        let fits = match (f.input, &model[path]) {
            (Input::Text | Input::Code, Leaf::Text) | (Input::Number, Leaf::Number) | (Input::Date, Leaf::Date) => true,
            (Input::Choice | Input::Multi, Leaf::Enum(variants)) => f.options.iter().map(|o| o.value.as_str()).collect::<BTreeSet<_>>() == variants.iter().copied().collect(),
            _ => false,
        };
        assert!(fits, "{path}: {:?} does not fit {:?}", f.input, model[path]);
    }
    // What validation reports points at a field: an empty record, a lab result with an empty item, odd values.
    let section = &cat.follow_up;
    for item in [section.skeleton(None), odd_item(section, None)] {
        for p in validate_item(section, &item).expect("reads as a follow-up") {
            assert!(reachable(section, None, &field_path(&p.path)), "{} at {}: no field", p.code.as_str(), p.path);
        }
    }
    let get = |path: &str| section.fields.iter().find(|f| f.path == path).unwrap();
    assert!(get("labResult.reportNo").required, "a report needs its number");
    assert!(get("labResult.items").rows.iter().find(|r| r.path == "name").unwrap().required, "each test item its name");
}
