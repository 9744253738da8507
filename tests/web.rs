//! The JavaScript-facing API, run in headless Chromium (wasm-bindgen-test):
//! plain objects in, plain objects out, errors as `Error` objects with codes.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use xuncha::wasm;

wasm_bindgen_test_configure!(run_in_browser);

const VISIT: &str = include_str!("fixtures/visit_complete.json");
const FOLLOW_UP: &str = include_str!("fixtures/follow_up_complete.json");

fn obj(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

fn at(v: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(v.clone(), |cur, k| get(&cur, k))
}

fn set(target: &JsValue, path: &[&str], value: JsValue) {
    let (last, parents) = path.split_last().unwrap();
    Reflect::set(&at(target, parents), &(*last).into(), &value).unwrap();
}

fn options(now: &str) -> Option<wasm::ValidateOptionsArg> {
    Some(obj(&format!("{{\"now\": \"{now}\"}}")).unchecked_into())
}

const NOW: &str = "2026-03-10T18:00:00+08:00";

fn is_plain_object(v: &JsValue) -> bool {
    v.is_object() && Object::get_prototype_of(v) == Object::get_prototype_of(&Object::new())
}

#[wasm_bindgen_test]
fn a_complete_visit_validates_clean_as_a_plain_object() {
    let report = wasm::validate_visit(obj(VISIT), options(NOW)).unwrap();
    assert!(is_plain_object(&report), "a plain object, not a Map");
    assert_eq!(get(&report, "ok"), JsValue::TRUE);
    assert_eq!(get(&report, "errorCount").as_f64(), Some(0.0));
    assert_eq!(Array::from(&get(&report, "problems")).length(), 0);
}

#[wasm_bindgen_test]
fn problems_come_out_as_objects_with_code_severity_path_and_both_languages() {
    let v = obj(VISIT);
    set(&v, &["operator", "creditCode"], "91350200776049653B".into());
    set(&v, &["instrumentChecks", "0", "eG"], JsValue::from_f64(0.0));
    let report = wasm::validate_visit(v, options(NOW)).unwrap();
    assert_eq!(get(&report, "ok"), JsValue::FALSE);
    let problems = Array::from(&get(&report, "problems"));
    assert_eq!(problems.length(), 2);
    let codes: Vec<String> = problems.iter().map(|p| get(&p, "code").as_string().unwrap()).collect();
    assert!(codes.contains(&"CREDIT_CODE_CHECK".to_string()), "{codes:?}");
    assert!(codes.contains(&"NOT_POSITIVE".to_string()), "{codes:?}");
    for p in problems.iter() {
        assert!(is_plain_object(&p));
        let sev = get(&p, "severity").as_string().unwrap();
        assert!(sev == "error" || sev == "warning");
        assert!(get(&p, "path").as_string().unwrap().starts_with('/'));
        assert!(!at(&p, &["message", "zh"]).as_string().unwrap().is_empty());
        assert!(!at(&p, &["message", "en"]).as_string().unwrap().is_empty());
    }
}

#[wasm_bindgen_test]
fn javascript_oddities_are_problems_not_crashes() {
    // undefined fields are absent, and a Date is the text JSON makes of it: what HQ would be sent
    let v = obj(VISIT);
    set(&v, &["notes"], JsValue::UNDEFINED);
    set(&v, &["startedAt"], js_sys::Date::new(&"2026-03-10T01:30:00Z".into()).into());
    let report = wasm::validate_visit(v, options(NOW)).unwrap();
    assert_eq!(get(&report, "ok"), JsValue::TRUE, "{:?}", JSON::stringify(&report));
    let late = obj(VISIT);
    set(&late, &["startedAt"], js_sys::Date::new(&"2026-03-10T05:30:00Z".into()).into());
    let report = wasm::validate_visit(late, options(NOW)).unwrap();
    let codes: Vec<String> = Array::from(&get(&report, "problems")).iter().map(|p| get(&p, "code").as_string().unwrap()).collect();
    assert!(!codes.is_empty() && codes.iter().all(|c| c == "DATE_ORDER"), "13:30 in Beijing, after the visit ended: {codes:?}");
    // not an object at all
    for bad in [JsValue::NULL, JsValue::from_f64(3.0), JsValue::from_str("visit"), Array::new().into()] {
        let report = wasm::validate_visit(bad, options(NOW)).unwrap();
        assert_eq!(at(&Array::from(&get(&report, "problems")).get(0), &["code"]).as_string().unwrap(), "NOT_AN_OBJECT");
    }
    let f = js_sys::Function::new_no_args("return 1");
    let report = wasm::validate_visit(f.into(), options(NOW)).unwrap();
    assert_eq!(get(&report, "ok"), JsValue::FALSE);
}

#[wasm_bindgen_test]
fn a_batch_gives_one_report_per_record() {
    let list = Array::new();
    list.push(&obj(VISIT));
    list.push(&obj("{}"));
    let reports = Array::from(&wasm::validate_visits(list.into(), options(NOW)).unwrap());
    assert_eq!(reports.length(), 2);
    assert_eq!(get(&reports.get(0), "ok"), JsValue::TRUE);
    assert_eq!(get(&reports.get(1), "ok"), JsValue::FALSE);
}

#[wasm_bindgen_test]
fn follow_up_records_validate() {
    let r = wasm::validate_follow_up(obj(FOLLOW_UP), options("2026-05-01T12:00:00+08:00")).unwrap();
    assert_eq!(get(&r, "ok"), JsValue::TRUE);
}

fn thrown(result: Result<JsValue, JsValue>) -> js_sys::Error {
    let err = result.expect_err("should throw");
    assert!(err.is_instance_of::<js_sys::Error>(), "a real Error object");
    err.unchecked_into()
}

#[wasm_bindgen_test]
fn bad_options_throw_an_error_object_with_a_code() {
    let err = thrown(wasm::validate_visit(obj(VISIT), options("yesterday")));
    assert_eq!(err.name(), "XunchaError");
    assert_eq!(get(&err, "code").as_string().unwrap(), "BAD_OPTIONS");
    assert!(at(&err, &["messages", "en"]).as_string().unwrap().contains("RFC 3339"));
    let unknown: wasm::ValidateOptionsArg = obj("{\"clock\": 1}").unchecked_into();
    assert_eq!(get(&thrown(wasm::validate_visit(obj(VISIT), Some(unknown))), "code").as_string().unwrap(), "BAD_OPTIONS");
}

#[wasm_bindgen_test]
fn finalise_returns_the_record_or_throws_with_the_problems() {
    let draft = obj(VISIT);
    set(&draft, &["status"], "draft".into());
    Reflect::delete_property(draft.unchecked_ref::<Object>(), &"finalisedAt".into()).unwrap();
    let opts = |json: &str| -> Option<wasm::FinaliseOptionsArg> { Some(obj(json).unchecked_into()) };

    let done = wasm::finalise_visit(draft.clone(), opts(&format!("{{\"now\": \"{NOW}\"}}"))).unwrap();
    assert_eq!(get(&done, "status").as_string().unwrap(), "finalised");
    assert_eq!(get(&done, "finalisedAt").as_string().unwrap(), NOW);

    set(&draft, &["operator", "creditCode"], "91350200776049653B".into());
    let err = thrown(wasm::finalise_visit(draft.clone(), opts(&format!("{{\"now\": \"{NOW}\"}}"))));
    assert_eq!(get(&err, "code").as_string().unwrap(), "NEEDS_CONFIRMATION");
    let problems = Array::from(&get(&err, "problems"));
    assert_eq!(at(&problems.get(0), &["path"]).as_string().unwrap(), "/operator/creditCode");

    let confirmed = format!("{{\"now\": \"{NOW}\", \"confirmedWarnings\": [{{\"code\": \"CREDIT_CODE_CHECK\", \"path\": \"/operator/creditCode\"}}]}}");
    let done = wasm::finalise_visit(draft.clone(), opts(&confirmed)).unwrap();
    assert_eq!(Array::from(&get(&done, "confirmedWarnings")).length(), 1);

    Reflect::delete_property(draft.unchecked_ref::<Object>(), &"signature".into()).unwrap();
    let err = thrown(wasm::finalise_visit(draft, opts(&confirmed)));
    assert_eq!(get(&err, "code").as_string().unwrap(), "FINALISE_BLOCKED");
}

#[wasm_bindgen_test]
fn amend_makes_a_new_draft_with_a_fresh_v7_id() {
    let a = wasm::amend_visit(obj(VISIT), "复秤读数记录有误".into(), options(NOW)).unwrap();
    let id = get(&a, "id").as_string().unwrap();
    assert_ne!(id, "01900000-0000-7000-8000-000000000001");
    assert_eq!(&id[14..15], "7", "UUID version 7");
    assert_eq!(at(&a, &["amends", "originalId"]).as_string().unwrap(), "01900000-0000-7000-8000-000000000001");
    let err = thrown(wasm::amend_visit(obj(VISIT), " ".into(), options(NOW)));
    assert_eq!(get(&err, "code").as_string().unwrap(), "REASON_REQUIRED");
}

#[wasm_bindgen_test]
fn new_ids_are_distinct_and_ordered() {
    let a = wasm::new_id().unwrap();
    let b = wasm::new_id().unwrap();
    assert_ne!(a, b);
    assert!(xuncha::ids::is_uuid(&a));
    assert!(a[..13] <= b[..13], "time-ordered prefix");
}

#[wasm_bindgen_test]
fn the_problem_catalogue_is_available_to_the_ui() {
    let list = Array::from(&wasm::problem_codes());
    assert_eq!(list.length() as usize, xuncha::ProblemCode::ALL.len());
    assert!(!at(&list.get(0), &["meaning", "zh"]).as_string().unwrap().is_empty());
    assert_eq!(wasm::schema_version(), 1);
}

// ---- compliance ------------------------------------------------------------

fn eval_options(json: &str) -> Option<wasm::EvaluateOptionsArg> {
    Some(obj(json).unchecked_into())
}

#[wasm_bindgen_test]
fn a_compliant_visit_evaluates_with_its_open_deadlines() {
    let e = wasm::evaluate_visit(obj(VISIT), eval_options("{\"asOf\": \"2026-03-10\"}")).unwrap();
    assert!(is_plain_object(&e));
    assert_eq!(get(&e, "compliant"), JsValue::TRUE);
    assert_eq!(Array::from(&get(&e, "findings")).length(), 0);
    let deadlines = Array::from(&get(&e, "deadlines"));
    assert_eq!(deadlines.length(), 1);
    assert_eq!(get(&deadlines.get(0), "kind").as_string().unwrap(), "labDelivery");
    assert_eq!(get(&deadlines.get(0), "due").as_string().unwrap(), "2026-03-17");
    assert!(get(&e, "rulebookVersion").as_string().is_some());
}

#[wasm_bindgen_test]
fn findings_carry_code_basis_measures_and_deadline() {
    let v = obj(VISIT);
    set(&v, &["instrumentChecks", "0", "weighings", "0", "readingG"], JsValue::from_f64(10015.0));
    let e = wasm::evaluate_visit(v, eval_options("{\"asOf\": \"2026-03-10\"}")).unwrap();
    assert_eq!(get(&e, "compliant"), JsValue::FALSE);
    let f = Array::from(&get(&e, "findings")).get(0);
    assert_eq!(get(&f, "code").as_string().unwrap(), "MET.SCALE_MPE");
    assert_eq!(get(&f, "path").as_string().unwrap(), "/instrumentChecks/0/weighings/0");
    assert_eq!(get(&f, "level").as_string().unwrap(), "violation");
    let basis = Array::from(&get(&f, "basis"));
    assert!(basis.length() >= 2);
    assert!(!at(&basis.get(0), &["law", "zh"]).as_string().unwrap().is_empty());
    assert!(Array::from(&get(&f, "measures")).includes(&"orderStopUse".into(), 0));
    assert_eq!(get(&f, "rectifyBy").as_string().unwrap(), "2026-03-25");
    assert_eq!(at(&f, &["facts", "errorG"]).as_f64(), Some(15.0));
}

#[wasm_bindgen_test]
fn follow_ups_bring_lab_results_and_their_deadlines() {
    let opts = format!("{{\"asOf\": \"2026-04-20\", \"followUps\": [{FOLLOW_UP}]}}");
    let e = wasm::evaluate_visit(obj(VISIT), eval_options(&opts)).unwrap();
    let codes: Vec<String> = Array::from(&get(&e, "findings")).iter().map(|f| get(&f, "code").as_string().unwrap()).collect();
    assert_eq!(codes, vec!["SAMP.TEST_ITEM_FAILED"], "毒死蜱 0.12 > 0.05 mg/kg; 铅 30 μg/kg < 0.1 mg/kg");
    let kinds: Vec<String> = Array::from(&get(&e, "deadlines")).iter().map(|d| get(&d, "kind").as_string().unwrap()).collect();
    assert!(kinds.contains(&"disposal".to_string()) && kinds.contains(&"recheckWindow".to_string()), "{kinds:?}");
    // batch form: follow-ups are matched to their visit
    let list = Array::new();
    list.push(&obj(VISIT));
    let batch = Array::from(&wasm::evaluate_visits(list.into(), eval_options(&opts)).unwrap());
    assert_eq!(Array::from(&get(&batch.get(0), "findings")).length(), 1);
}

#[wasm_bindgen_test]
fn a_pushed_rulebook_replaces_the_builtin_and_a_bad_one_is_refused_whole() {
    let mut book: serde_json::Value = serde_json::from_str(&xuncha::Rulebook::builtin().to_json()).unwrap();
    book["version"] = serde_json::json!("2099.1.0");
    for rule in book["rules"].as_array_mut().unwrap() {
        if rule["code"] == "MET.SCALE_MPE" {
            for v in rule["versions"].as_array_mut().unwrap() {
                v["values"]["bandsIII"] = serde_json::json!([[500, 1.0], [2000, 3.0], [10000, 3.0]]);
            }
        }
    }
    let v = obj(VISIT);
    set(&v, &["instrumentChecks", "0", "weighings", "0", "readingG"], JsValue::from_f64(10015.0));
    let info = wasm::load_rulebook(&book.to_string()).unwrap();
    assert_eq!(get(&info, "version").as_string().unwrap(), "2099.1.0");
    assert_eq!(get(&wasm::rulebook_info(), "builtin"), JsValue::FALSE);
    let e = wasm::evaluate_visit(v.clone(), eval_options("{\"asOf\": \"2026-03-10\"}")).unwrap();
    assert_eq!(get(&e, "compliant"), JsValue::TRUE, "+3e is within the widened band");
    assert_eq!(get(&e, "rulebookVersion").as_string().unwrap(), "2099.1.0");

    book["rules"].as_array_mut().unwrap().retain(|r| r["code"] != "PRICE.NO_TAG");
    let err = thrown(wasm::load_rulebook(&book.to_string()));
    assert_eq!(get(&err, "code").as_string().unwrap(), "RULEBOOK_INVALID");
    let details = Array::from(&get(&err, "details"));
    assert!(details.iter().any(|d| d.as_string().unwrap().contains("PRICE.NO_TAG")));
    assert_eq!(get(&wasm::rulebook_info(), "version").as_string().unwrap(), "2099.1.0", "the good one stays in use");

    wasm::use_builtin_rulebook();
    assert_eq!(get(&wasm::rulebook_info(), "builtin"), JsValue::TRUE);
    let e = wasm::evaluate_visit(v, eval_options("{\"asOf\": \"2026-03-10\"}")).unwrap();
    assert_eq!(get(&e, "compliant"), JsValue::FALSE);
    assert!(Array::from(&wasm::rules()).length() > 30);
}

#[wasm_bindgen_test]
fn working_days_cross_the_spring_festival() {
    let r = wasm::add_working_days("2026-02-12", 5).unwrap();
    assert_eq!(get(&r, "value").as_string().unwrap(), "2026-02-26");
    assert_eq!(get(&r, "outsideKnownYears"), JsValue::FALSE);
    let n = wasm::working_days_between("2026-02-12", "2026-02-26").unwrap();
    assert_eq!(get(&n, "value").as_f64(), Some(5.0));
    let err = thrown(wasm::add_working_days("2026/02/12", 5));
    assert_eq!(get(&err, "code").as_string().unwrap(), "BAD_DATE");
    let err = thrown(wasm::evaluate_visit(obj(VISIT), eval_options("{\"asOf\": \"tomorrow\"}")));
    assert_eq!(get(&err, "code").as_string().unwrap(), "BAD_DATE");
}

// ---- summaries ---------------------------------------------------------------

const H1: &str = include_str!("fixtures/summary_h1.json");

/// Equal as JSON values, numbers by value (JS writes 50 where serde writes 50.0).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => x.as_f64() == y.as_f64(),
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (Object(x), Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

fn h1_options(group_by: Option<&str>) -> String {
    let data: serde_json::Value = serde_json::from_str(H1).unwrap();
    let mut query = serde_json::json!({ "period": "2026-H1", "asOf": "2026-07-10" });
    if let Some(g) = group_by {
        query["groupBy"] = serde_json::json!(g);
    }
    serde_json::json!({ "query": query, "followUps": data["followUps"], "rectifications": data["rectifications"] }).to_string()
}

fn h1_visits() -> (JsValue, String) {
    let data: serde_json::Value = serde_json::from_str(H1).unwrap();
    (obj(&data["visits"].to_string()), data["visits"].to_string())
}

#[wasm_bindgen_test]
fn summaries_from_objects_and_from_json_text_agree_with_the_hand_count() {
    let (visits, text) = h1_visits();
    let s = wasm::summarise(visits.unchecked_into(), obj(&h1_options(None)).unchecked_into()).unwrap();
    assert_eq!(at(&s, &["figures", "visits"]).as_f64(), Some(6.0));
    assert_eq!(at(&s, &["figures", "operators"]).as_f64(), Some(4.0));
    assert_eq!(at(&s, &["figures", "sampling", "disposalRate", "display"]).as_string().unwrap(), "50.0%");
    assert_eq!(Array::from(&get(&s, "months")).length(), 6);
    let from_text: serde_json::Value = serde_json::from_str(&wasm::summarise_json(&text, &h1_options(None)).unwrap()).unwrap();
    let from_objects: serde_json::Value = serde_json::from_str(&JSON::stringify(&s).unwrap().as_string().unwrap()).unwrap();
    assert!(same(&from_objects, &from_text), "the same summary either way");
    let err = thrown(wasm::summarise(Array::new(), obj("{\"query\": {\"period\": \"2026-H3\", \"asOf\": \"2026-07-10\"}}").unchecked_into()));
    assert_eq!(get(&err, "code").as_string().unwrap(), "BAD_PERIOD");
}

#[wasm_bindgen_test]
fn the_builder_counts_one_record_at_a_time() {
    let data: serde_json::Value = serde_json::from_str(H1).unwrap();
    let query: wasm::SummaryQueryArg = obj("{\"period\": \"2026-H1\", \"asOf\": \"2026-07-10\"}").unchecked_into();
    let mut b = wasm::JsSummaryBuilder::new(query).unwrap();
    b.add_rectifications(obj(&data["rectifications"].to_string())).unwrap();
    let mut counted = Vec::new();
    for v in data["visits"].as_array().unwrap() {
        let mine: Vec<&serde_json::Value> = data["followUps"].as_array().unwrap().iter().filter(|f| f["visitId"] == v["id"]).collect();
        b.upsert(obj(&v.to_string()), Some(obj(&serde_json::to_string(&mine).unwrap()).unchecked_into())).unwrap();
        counted.push(b.counted());
    }
    // V1..V6 count (V7 outside the period, V8 a draft), then V9 replaces V2: still 6.
    assert_eq!(counted, vec![1, 2, 3, 4, 5, 6, 6, 6, 6]);
    let s = b.summary();
    assert_eq!(at(&s, &["figures", "metrology", "failed"]).as_f64(), Some(0.0), "the amendment replaced V2's scale failure");
    assert_eq!(get(&s, "superseded").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
fn paragraphs_csv_and_charts_come_from_a_summary() {
    let (visits, _) = h1_visits();
    let s = wasm::summarise(visits.clone().unchecked_into(), obj(&h1_options(None)).unchecked_into()).unwrap();
    let p = wasm::report_paragraphs(s.clone().unchecked_into(), None).unwrap();
    assert!(at(&p, &["total", "zh"]).as_string().unwrap().starts_with("2026年上半年（统计截至2026年7月10日），共出动执法人员12人次，检查经营主体6家次（4家）"));
    // In a bureau's template, checked by the core first; one naming a figure the core lacks is refused.
    let mine = r#"{"version": "本局-1", "total": [{"zh": "{period}共检查{visits}家次。", "en": "{visits} visits."}],
        "price": [{"zh": "", "en": ""}], "metrology": [{"zh": "", "en": ""}], "equipment": [{"zh": "", "en": ""}], "sampling": [{"zh": "", "en": ""}]}"#;
    let checked = wasm::check_report_template(mine);
    let template = get(&checked, "template");
    let ours = wasm::report_paragraphs(s.clone().unchecked_into(), Some(template.unchecked_into())).unwrap();
    assert_eq!(at(&ours, &["total", "zh"]).as_string().unwrap(), "2026年上半年共检查6家次。");
    let wrong = wasm::check_report_template(&mine.replace("{visits}家次", "{shops}家"));
    assert!(get(&wrong, "template").is_undefined());
    assert!(js_sys::JSON::stringify(&get(&wrong, "problems")).unwrap().as_string().unwrap().contains("shops"));
    assert!(at(&p, &["sampling", "zh"]).as_string().unwrap().contains("不合格后处置率50.0%"));
    let csv = wasm::summary_csv(s.clone().unchecked_into()).unwrap();
    assert!(csv.starts_with('\u{feff}') && csv.contains("抽检不合格率,66.7%,2,3"));
    let findings = wasm::findings_csv(visits, eval_options("{\"asOf\": \"2026-07-10\"}")).unwrap();
    assert!(findings.contains("PRICE.NO_TAG"));
    let svg = wasm::trend_chart_svg(s.clone().unchecked_into()).unwrap();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    let bars = wasm::findings_chart_svg(s.unchecked_into()).unwrap();
    assert!(bars.contains("检验项目不合格"));
}

#[wasm_bindgen_test]
fn the_tablets_dashboard_is_the_summarys_figures_with_its_paragraphs_and_charts() {
    // The tablet's core has no reader for a summary: `dashboard` makes all four
    // from the typed summary. They must be what the console's calls make.
    let (visits, _) = h1_visits();
    let d = wasm::dashboard(visits.clone().unchecked_into(), obj(&h1_options(None)).unchecked_into()).unwrap();
    let s = wasm::summarise(visits.unchecked_into(), obj(&h1_options(None)).unchecked_into()).unwrap();
    let text = |v: &JsValue| JSON::stringify(v).unwrap().as_string().unwrap();
    assert_eq!(text(&get(&d, "figures")), text(&get(&s, "figures")));
    assert_eq!(text(&get(&d, "report")), text(&wasm::report_paragraphs(s.clone().unchecked_into(), None).unwrap()));
    assert_eq!(get(&d, "trendChart").as_string().unwrap(), wasm::trend_chart_svg(s.clone().unchecked_into()).unwrap());
    assert_eq!(get(&d, "findingsChart").as_string().unwrap(), wasm::findings_chart_svg(s.unchecked_into()).unwrap());
    assert!(at(&d, &["report", "total", "zh"]).as_string().unwrap().contains("检查经营主体6家次"));
}

#[wasm_bindgen_test]
fn the_tablet_hashes_records_exactly_as_hq_does() {
    let native = xuncha::sync::content_sha256(&serde_json::from_str(VISIT).unwrap());
    let from_js = wasm::content_sha256(obj(VISIT)).unwrap();
    assert_eq!(from_js, native);
    // JS key order does not matter
    let reordered = obj("{\"b\": 1, \"a\": 2}");
    assert_eq!(wasm::content_sha256(reordered).unwrap(), xuncha::sync::content_sha256(&serde_json::json!({"a": 2, "b": 1})));
    assert_eq!(wasm::protocol_version(), 1);
}

/// A 双随机 draw in the browser is the draw the CLI and the native core make.
#[wasm_bindgen_test]
fn the_browser_draws_what_the_native_core_draws() {
    let seed = "5f0c1d2e3a4b69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";
    let result = wasm::run_draw(obj(include_str!("fixtures/draw_inputs.json")), seed, Some(wasm::draw_commitment(seed))).unwrap();
    let golden: serde_json::Value = serde_json::from_str(include_str!("golden/draw.json")).unwrap();
    let got: serde_json::Value = serde_json::from_str(&String::from(JSON::stringify(&result).unwrap())).unwrap();
    assert_eq!(got, golden);
    let refused = wasm::run_draw(obj(include_str!("fixtures/draw_inputs.json")), seed, Some("0".repeat(64))).unwrap_err();
    assert_eq!(String::from(get(&refused, "code").as_string().unwrap()), "COMMITMENT_MISMATCH");
}

/// Records cross as JSON text (`JSON.stringify` in, `JSON.parse` out): what JSON
/// cannot hold is refused with INPUT_NOT_JSON, `undefined` members are left out as
/// they are when the app sends the record to HQ, and a key like `__proto__` comes
/// back as a member, not a prototype.
#[wasm_bindgen_test]
fn records_cross_as_json_what_json_cannot_hold_is_refused() {
    let code = |r: Result<String, JsValue>| get(&r.unwrap_err(), "code").as_string().unwrap();
    assert_eq!(code(wasm::content_sha256(js_sys::BigInt::from(7u32).into())), "INPUT_NOT_JSON");
    let cyclic = obj("{\"a\": 1}");
    set(&cyclic, &["self"], cyclic.clone());
    assert_eq!(code(wasm::content_sha256(cyclic)), "INPUT_NOT_JSON");

    let with_undefined = obj(VISIT);
    set(&with_undefined, &["notes"], JsValue::UNDEFINED);
    let without = obj(VISIT);
    Reflect::delete_property(without.unchecked_ref::<Object>(), &"notes".into()).unwrap();
    assert_eq!(wasm::content_sha256(with_undefined).unwrap(), wasm::content_sha256(without).unwrap());

    // Out: through JSON.parse, so a `__proto__` member (kept as entered) is a member.
    let draft = obj(&VISIT.replacen("\"status\": \"finalised\"", "\"status\": \"draft\"", 1));
    set(&draft, &["notes"], "现场无异常".into());
    Reflect::define_property(draft.unchecked_ref::<Object>(), &"__proto__".into(), &obj("{\"value\": {\"x\": 1}, \"enumerable\": true}").unchecked_into()).unwrap();
    let gone = wasm::discard_visit(draft, options(NOW)).unwrap();
    assert!(is_plain_object(&gone), "its prototype is Object's");
    assert!(Object::keys(gone.unchecked_ref::<Object>()).includes(&"__proto__".into(), 0), "an own member");
    assert_eq!(get(&gone, "status").as_string().as_deref(), Some("discarded"));
    assert_eq!(get(&gone, "notes").as_string().as_deref(), Some("现场无异常"));
}
