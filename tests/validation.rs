//! Every data-validation rule, as a table of cases per kind. Each case edits
//! the complete, valid fixture and lists the *exact* problems expected, so a
//! spurious problem fails the case as surely as a missing one.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{codes, edits, fixture, later, now};
use serde_json::{json, Value};
use xuncha::{check_follow_up, check_visit, Severity};

type Edit = (&'static str, Option<Value>);

fn set(p: &'static str, v: Value) -> Edit {
    (p, Some(v))
}
fn del(p: &'static str) -> Edit {
    (p, None)
}

fn run_table(base: &str, cases: &[(&str, Vec<Edit>, &[(&str, &str)])], check: fn(Value) -> xuncha::ValidationReport) {
    let mut failures = Vec::new();
    for (name, changes, expected) in cases {
        let report = check(edits(fixture(base), changes));
        let got = codes(&report);
        let mut want: Vec<(String, String)> = expected.iter().map(|(c, p)| (c.to_string(), p.to_string())).collect();
        want.sort();
        if got != want {
            failures.push(format!("{name}:\n   want {want:?}\n    got {got:?}"));
        }
        assert_eq!(report.ok, report.problems.iter().all(|p| p.severity == Severity::Warning), "{name}: ok flag");
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

fn visit_report(v: Value) -> xuncha::ValidationReport {
    check_visit(v, now()).report
}

fn follow_up_report(v: Value) -> xuncha::ValidationReport {
    check_follow_up(v, later()).report
}

#[test]
fn complete_fixtures_have_no_problems() {
    let r = visit_report(fixture("visit_complete.json"));
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert!(r.ok);
    let r = follow_up_report(fixture("follow_up_complete.json"));
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn visit_level_rules() {
    let cases: &[(&str, Vec<Edit>, &[(&str, &str)])] = &[
        ("schema version missing", vec![del("/schemaVersion")], &[("REQUIRED", "/schemaVersion")]),
        ("schema version from the future", vec![set("/schemaVersion", json!(2))], &[("SCHEMA_VERSION", "/schemaVersion")]),
        ("id not a uuid", vec![set("/id", json!("visit-1"))], &[("BAD_ID", "/id")]),
        ("status missing", vec![del("/status")], &[("REQUIRED", "/status")]),
        ("status not a known state", vec![set("/status", json!("done"))], &[("INVALID_VALUE", "/status")]),
        ("operator missing", vec![del("/operator")], &[("REQUIRED", "/operator")]),
        ("operator name blank", vec![set("/operator/name", json!("  "))], &[("REQUIRED", "/operator/name")]),
        ("operator address missing", vec![del("/operator/address")], &[("REQUIRED", "/operator/address")]),
        ("credit code: second real code", vec![set("/operator/creditCode", json!("91350200776049653A"))], &[]),
        ("credit code: third real code", vec![set("/operator/creditCode", json!("91310110666007217T"))], &[]),
        ("credit code: wrong check character", vec![set("/operator/creditCode", json!("91350200776049653B"))], &[("CREDIT_CODE_CHECK", "/operator/creditCode")]),
        ("credit code: too short", vec![set("/operator/creditCode", json!("9135020077604965"))], &[("CREDIT_CODE_FORMAT", "/operator/creditCode")]),
        ("credit code: letter I", vec![set("/operator/creditCode", json!("91350200776049653I"))], &[("CREDIT_CODE_FORMAT", "/operator/creditCode")]),
        ("credit code: region not digits", vec![set("/operator/creditCode", json!("91A50200776049653A"))], &[("CREDIT_CODE_FORMAT", "/operator/creditCode")]),
        ("credit code: lower case", vec![set("/operator/creditCode", json!("91350100m000100y43"))], &[("CREDIT_CODE_FORMAT", "/operator/creditCode")]),
        ("credit code missing", vec![del("/operator/creditCode")], &[("REQUIRED", "/operator/creditCode")]),
        ("no code without a reason", vec![set("/operator/creditCode", json!("无"))], &[("REQUIRED", "/operator/noCreditCodeReason")]),
        ("no code with a reason", vec![set("/operator/creditCode", json!("无")), set("/operator/noCreditCodeReason", json!("流动摊贩，未办理营业执照"))], &[]),
        ("one officer", vec![del("/officers/1")], &[("TOO_FEW_OFFICERS", "/officers")]),
        ("no officers", vec![set("/officers", json!([]))], &[("TOO_FEW_OFFICERS", "/officers")]),
        ("officer without certificate", vec![del("/officers/1/certificateNo")], &[("REQUIRED", "/officers/1/certificateNo")]),
        ("same officer twice", vec![set("/officers/1/certificateNo", json!("35010019001"))], &[("DUPLICATE", "/officers/1/certificateNo")]),
        ("three officers", vec![set("/officers/2", json!({"name": "李某", "certificateNo": "35010019003"}))], &[]),
        ("end before start", vec![set("/endedAt", json!("2026-03-10T09:00:00+08:00"))], &[("DATE_ORDER", "/endedAt")]),
        ("end in the future", vec![set("/endedAt", json!("2026-03-10T20:00:00+08:00"))], &[("IN_FUTURE", "/endedAt")]),
        ("end a few minutes ahead: clock skew tolerated", vec![set("/endedAt", json!("2026-03-10T18:05:00+08:00"))], &[]),
        (
            "start in the future (draft)",
            vec![set("/status", json!("draft")), del("/endedAt"), del("/finalisedAt"), set("/startedAt", json!("2026-03-11T09:00:00+08:00"))],
            &[("IN_FUTURE", "/startedAt")],
        ),
        ("visit of 13 hours", vec![set("/startedAt", json!("2026-03-09T20:00:00+08:00")), set("/endedAt", json!("2026-03-10T09:00:00+08:00"))], &[("LONG_VISIT", "/endedAt")]),
        ("finalised without end time", vec![del("/endedAt")], &[("REQUIRED", "/endedAt")]),
        ("finalised without finalisation time", vec![del("/finalisedAt")], &[("REQUIRED", "/finalisedAt")]),
        ("finalised before start", vec![set("/finalisedAt", json!("2026-03-10T09:00:00+08:00"))], &[("DATE_ORDER", "/finalisedAt")]),
        ("start time unreadable", vec![set("/startedAt", json!("昨天上午"))], &[("INVALID_VALUE", "/startedAt")]),
        ("start time without offset", vec![set("/startedAt", json!("2026-03-10T09:30:00"))], &[("INVALID_VALUE", "/startedAt")]),
        ("latitude impossible", vec![set("/location/lat", json!(95.0))], &[("OUT_OF_RANGE", "/location/lat")]),
        ("location in New York", vec![set("/location/lat", json!(40.7)), set("/location/lng", json!(-74.0))], &[("OUTSIDE_CHINA", "/location")]),
        ("negative accuracy", vec![set("/location/accuracyM", json!(-1))], &[("NEGATIVE", "/location/accuracyM")]),
        ("bad attachment hash", vec![set("/attachments/0/sha256", json!("XYZ"))], &[("BAD_HASH", "/attachments/0/sha256"), ("ATTACHMENT_NOT_LISTED", "/signature/imageSha256")]),
        ("attachment without media type", vec![del("/attachments/1/mediaType")], &[("REQUIRED", "/attachments/1/mediaType")]),
        (
            "same attachment twice",
            vec![set("/attachments/2", json!({"sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "mediaType": "image/png"}))],
            &[("DUPLICATE", "/attachments/2/sha256")],
        ),
        ("finalised without signature or refusal", vec![del("/signature")], &[("HANDOVER_MISSING", "/signature")]),
        ("draft without signature", vec![set("/status", json!("draft")), del("/signature"), del("/finalisedAt")], &[]),
        ("refusal with a witness", vec![del("/signature"), set("/refusal", json!({"note": "当事人拒绝签字", "witnessName": "市场管理员刘某"}))], &[]),
        // 处罚程序规定 Art. 43: a recording is the rule, a witness may stand in; neither will not do.
        ("refusal with neither a recording nor a witness", vec![del("/signature"), set("/refusal", json!({"note": "当事人拒绝签字"}))], &[("REQUIRED", "/refusal/recordingSha256")]),
        ("refusal with a recording", vec![del("/signature"), set("/refusal", json!({"note": "当事人拒绝签字", "recordingSha256": "a".repeat(64)}))], &[]),
        (
            "refusal with a recording not listed",
            vec![del("/signature"), set("/refusal", json!({"note": "当事人拒绝签字", "recordingSha256": "c".repeat(64)}))],
            &[("ATTACHMENT_NOT_LISTED", "/refusal/recordingSha256")],
        ),
        ("signature and refusal", vec![set("/refusal", json!({"note": "拒签", "witnessName": "刘某"}))], &[("HANDOVER_BOTH", "/refusal")]),
        (
            "signature image not listed",
            vec![set("/signature/imageSha256", json!("cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"))],
            &[("ATTACHMENT_NOT_LISTED", "/signature/imageSha256")],
        ),
        ("signature without signer", vec![del("/signature/signerName")], &[("REQUIRED", "/signature/signerName")]),
        ("no checks at all", vec![set("/priceChecks", json!([])), set("/instrumentChecks", json!([])), set("/equipmentChecks", json!([])), set("/samples", json!([]))], &[("NO_CHECKS", "")]),
        ("item ids repeat", vec![set("/samples/0/id", json!("01900000-0000-7000-8000-000000000011"))], &[("DUPLICATE", "/samples/0/id")]),
        (
            "photo not listed",
            vec![set("/priceChecks/0/photoSha256/0", json!("dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"))],
            &[("ATTACHMENT_NOT_LISTED", "/priceChecks/0/photoSha256/0")],
        ),
        ("amendment without reason", vec![set("/amends", json!({"originalId": "01900000-0000-7000-8000-0000000000ff"}))], &[("REQUIRED", "/amends/reason")]),
        ("amendment of a bad id", vec![set("/amends", json!({"originalId": "x", "reason": "更正价格"}))], &[("BAD_ID", "/amends/originalId")]),
        ("amendment of itself", vec![set("/amends", json!({"originalId": "01900000-0000-7000-8000-000000000001", "reason": "更正"}))], &[("AMENDS_ITSELF", "/amends/originalId")]),
    ];
    run_table("visit_complete.json", cases, visit_report);
}

#[test]
fn structure_unknown_fields_and_wrong_types() {
    let cases: &[(&str, Vec<Edit>, &[(&str, &str)])] = &[
        ("unknown top-level field", vec![set("/inspector", json!("陈某"))], &[("UNKNOWN_FIELD", "/inspector")]),
        ("misspelt nested field", vec![set("/operator/nmae", json!("x"))], &[("UNKNOWN_FIELD", "/operator/nmae")]),
        ("unknown field deep in a list", vec![set("/instrumentChecks/0/weighings/1/tare", json!(1))], &[("UNKNOWN_FIELD", "/instrumentChecks/0/weighings/1/tare")]),
        ("officers not a list", vec![set("/officers", json!("陈某、王某"))], &[("WRONG_TYPE", "/officers")]),
        ("Max as text", vec![set("/instrumentChecks/0/maxG", json!("15kg"))], &[("WRONG_TYPE", "/instrumentChecks/0/maxG")]),
        ("two wrong types at once", vec![set("/officers/0", json!(5)), set("/samples/0/testQuantity", json!("一斤"))], &[("WRONG_TYPE", "/officers/0"), ("WRONG_TYPE", "/samples/0/testQuantity")]),
        ("string list with a number", vec![set("/samples/0/sealNos/1", json!(2))], &[("WRONG_TYPE", "/samples/0/sealNos/1")]),
        ("negative number where a count is expected", vec![set("/instrumentChecks/2/nominalDiameterMm", json!(-20))], &[("INVALID_VALUE", "/instrumentChecks/2/nominalDiameterMm")]),
        ("boolean as text", vec![set("/priceChecks/0/tagPresent", json!("是"))], &[("WRONG_TYPE", "/priceChecks/0/tagPresent")]),
        ("null is the same as absent", vec![set("/operator/contactPhone", Value::Null)], &[]),
        ("date in the wrong format", vec![set("/samples/0/productionDate", json!("2026/03/09"))], &[("INVALID_VALUE", "/samples/0/productionDate")]),
        ("escaped key in pointer", vec![set("/operator/a~b", json!(1))], &[("UNKNOWN_FIELD", "/operator/a~0b")]),
    ];
    run_table("visit_complete.json", cases, visit_report);
}

#[test]
fn records_that_are_not_objects() {
    for v in [json!(null), json!([]), json!("visit"), json!(42), json!(true)] {
        let r = visit_report(v.clone());
        assert_eq!(codes(&r), vec![("NOT_AN_OBJECT".to_string(), String::new())], "{v}");
    }
    let r = xuncha::check_visit_json("{\"schemaVersion\": 1,", now()).report;
    assert_eq!(r.problems[0].code.as_str(), "MALFORMED_JSON");
}

#[test]
fn price_tag_rules() {
    let cases: &[(&str, Vec<Edit>, &[(&str, &str)])] = &[
        ("subject missing", vec![del("/priceChecks/0/subject")], &[("REQUIRED", "/priceChecks/0/subject")]),
        ("item name missing", vec![del("/priceChecks/0/itemName")], &[("REQUIRED", "/priceChecks/0/itemName")]),
        ("tag presence missing", vec![del("/priceChecks/0/tagPresent")], &[("REQUIRED", "/priceChecks/0/tagPresent")]),
        ("service element on goods", vec![set("/priceChecks/0/elementsSeen/3", json!("serviceItem"))], &[("ELEMENT_NOT_FOR_SUBJECT", "/priceChecks/0/elementsSeen/3")]),
        ("goods element on a service", vec![set("/priceChecks/1/elementsSeen/3", json!("origin"))], &[("ELEMENT_NOT_FOR_SUBJECT", "/priceChecks/1/elementsSeen/3")]),
        ("unknown element", vec![set("/priceChecks/0/elementsSeen/3", json!("barcode"))], &[("INVALID_VALUE", "/priceChecks/0/elementsSeen/3")]),
        ("no tag, yet elements", vec![set("/priceChecks/0/tagPresent", json!(false))], &[("TAG_INCONSISTENT", "/priceChecks/0/elementsSeen")]),
        ("no tag, nothing seen", vec![set("/priceChecks/0/tagPresent", json!(false)), set("/priceChecks/0/elementsSeen", json!([])), del("/priceChecks/0/markedPrice")], &[]),
        ("price element but no price", vec![del("/priceChecks/0/markedPrice")], &[("REQUIRED", "/priceChecks/0/markedPrice")]),
        ("negative marked price", vec![set("/priceChecks/0/markedPrice", json!(-15.8))], &[("NEGATIVE", "/priceChecks/0/markedPrice")]),
        ("negative charged price", vec![set("/priceChecks/0/chargedPrice", json!(-1))], &[("NEGATIVE", "/priceChecks/0/chargedPrice")]),
        ("zero charged price", vec![set("/priceChecks/0/chargedPrice", json!(0))], &[("ZERO_PRICE", "/priceChecks/0/chargedPrice")]),
        ("negative second price", vec![set("/priceChecks/0/otherMarkedPrices", json!([16.8, -2]))], &[("NEGATIVE", "/priceChecks/0/otherMarkedPrices/1")]),
        ("negative unmarked fee", vec![set("/priceChecks/1/unmarkedFees", json!(-3))], &[("NEGATIVE", "/priceChecks/1/unmarkedFees")]),
        ("comparison price zero", vec![set("/priceChecks/0/comparison/price", json!(0))], &[("NOT_POSITIVE", "/priceChecks/0/comparison/price")]),
        ("comparison without a start date", vec![del("/priceChecks/0/comparison/shownSince")], &[("REQUIRED", "/priceChecks/0/comparison/shownSince")]),
        (
            "comparison shown after the visit",
            vec![set("/priceChecks/0/comparison/shownSince", json!("2026-03-11"))],
            &[("IN_FUTURE", "/priceChecks/0/comparison/shownSince"), ("DATE_ORDER", "/priceChecks/0/comparison/shownSince")],
        ),
        (
            "transaction on the start day",
            vec![set("/priceChecks/0/comparison/transactions/1/on", json!("2026-03-05"))],
            &[("TRANSACTION_OUTSIDE_WINDOW", "/priceChecks/0/comparison/transactions/1/on")],
        ),
        ("transaction without price", vec![del("/priceChecks/0/comparison/transactions/0/price")], &[("REQUIRED", "/priceChecks/0/comparison/transactions/0/price")]),
        (
            "transaction in the future",
            vec![set("/priceChecks/0/comparison/shownSince", json!("2026-03-10")), set("/priceChecks/0/comparison/transactions/1/on", json!("2026-03-12"))],
            &[("IN_FUTURE", "/priceChecks/0/comparison/transactions/1/on"), ("TRANSACTION_OUTSIDE_WINDOW", "/priceChecks/0/comparison/transactions/1/on")],
        ),
        ("gift: name shown unknown", vec![del("/priceChecks/0/gift/nameShown")], &[("REQUIRED", "/priceChecks/0/gift/nameShown")]),
    ];
    run_table("visit_complete.json", cases, visit_report);
}

#[test]
fn metrology_rules() {
    let cases: &[(&str, Vec<Edit>, &[(&str, &str)])] = &[
        ("type missing", vec![del("/instrumentChecks/0/instrumentType")], &[("REQUIRED", "/instrumentChecks/0/instrumentType")]),
        ("trade use unknown", vec![del("/instrumentChecks/0/tradeUse")], &[("REQUIRED", "/instrumentChecks/0/tradeUse")]),
        ("trade use without verification record", vec![del("/instrumentChecks/1/verification")], &[("REQUIRED", "/instrumentChecks/1/verification")]),
        ("class missing", vec![del("/instrumentChecks/0/accuracyClass")], &[("REQUIRED", "/instrumentChecks/0/accuracyClass")]),
        ("class not III/IIII", vec![set("/instrumentChecks/0/accuracyClass", json!("II"))], &[("INVALID_VALUE", "/instrumentChecks/0/accuracyClass")]),
        ("e = 0", vec![set("/instrumentChecks/0/eG", json!(0))], &[("NOT_POSITIVE", "/instrumentChecks/0/eG")]),
        ("e negative", vec![set("/instrumentChecks/0/eG", json!(-5))], &[("NOT_POSITIVE", "/instrumentChecks/0/eG")]),
        ("Max missing", vec![del("/instrumentChecks/0/maxG")], &[("REQUIRED", "/instrumentChecks/0/maxG")]),
        ("load above Max", vec![set("/instrumentChecks/0/weighings/0/loadG", json!(15001))], &[("LOAD_ABOVE_MAX", "/instrumentChecks/0/weighings/0/loadG")]),
        ("load exactly Max", vec![set("/instrumentChecks/0/weighings/0/loadG", json!(15000)), set("/instrumentChecks/0/weighings/0/readingG", json!(15000))], &[]),
        ("load below Min", vec![set("/instrumentChecks/0/weighings/1/loadG", json!(50))], &[("LOAD_BELOW_MIN", "/instrumentChecks/0/weighings/1/loadG")]),
        ("load exactly Min", vec![set("/instrumentChecks/0/weighings/1/loadG", json!(100)), set("/instrumentChecks/0/weighings/1/readingG", json!(100))], &[]),
        (
            "Min above Max",
            vec![set("/instrumentChecks/0/minG", json!(20000))],
            &[("MIN_ABOVE_MAX", "/instrumentChecks/0/minG"), ("LOAD_BELOW_MIN", "/instrumentChecks/0/weighings/0/loadG"), ("LOAD_BELOW_MIN", "/instrumentChecks/0/weighings/1/loadG")],
        ),
        ("negative load", vec![set("/instrumentChecks/0/weighings/1/loadG", json!(-1))], &[("NEGATIVE", "/instrumentChecks/0/weighings/1/loadG")]),
        ("negative reading", vec![set("/instrumentChecks/0/weighings/1/readingG", json!(-1))], &[("NEGATIVE", "/instrumentChecks/0/weighings/1/readingG")]),
        ("reading missing", vec![del("/instrumentChecks/0/weighings/1/readingG")], &[("REQUIRED", "/instrumentChecks/0/weighings/1/readingG")]),
        ("30000 intervals on class III", vec![set("/instrumentChecks/0/eG", json!(0.5))], &[("INTERVALS_OUTSIDE_CLASS", "/instrumentChecks/0/eG")]),
        (
            "2000 intervals on class IIII",
            vec![set("/instrumentChecks/0/accuracyClass", json!("IIII")), set("/instrumentChecks/0/maxG", json!(100000)), set("/instrumentChecks/0/eG", json!(50))],
            &[("INTERVALS_OUTSIDE_CLASS", "/instrumentChecks/0/eG")],
        ),
        (
            "e = 5 g, 300 intervals on class III",
            vec![set("/instrumentChecks/0/maxG", json!(1500)), set("/instrumentChecks/0/weighings", json!([]))],
            &[("INTERVALS_OUTSIDE_CLASS", "/instrumentChecks/0/eG")],
        ),
        ("dispenser test on a scale", vec![set("/instrumentChecks/0/deliveries", json!([{"actualL": 20, "indicatedL": 20}]))], &[("TESTS_FOR_OTHER_TYPE", "/instrumentChecks/0/deliveries")]),
        ("weighing on a dispenser", vec![set("/instrumentChecks/1/weighings", json!([{"loadG": 1, "readingG": 1}]))], &[("TESTS_FOR_OTHER_TYPE", "/instrumentChecks/1/weighings")]),
        ("dispenser delivery of zero", vec![set("/instrumentChecks/1/deliveries/0/actualL", json!(0))], &[("NOT_POSITIVE", "/instrumentChecks/1/deliveries/0/actualL")]),
        ("dispenser indication missing", vec![del("/instrumentChecks/1/deliveries/0/indicatedL")], &[("REQUIRED", "/instrumentChecks/1/deliveries/0/indicatedL")]),
        (
            "taxi run of zero km",
            vec![set(
                "/instrumentChecks/3",
                json!({"id": "01900000-0000-7000-8000-000000000024", "instrumentType": "taxiMeter", "tradeUse": true, "verification": {"markPresent": true}, "distanceRuns": [{"actualKm": 0, "indicatedKm": 1}]}),
            )],
            &[("NOT_POSITIVE", "/instrumentChecks/3/distanceRuns/0/actualKm")],
        ),
        ("water meter without DN", vec![del("/instrumentChecks/2/nominalDiameterMm")], &[("REQUIRED", "/instrumentChecks/2/nominalDiameterMm")]),
        ("water meter without install date", vec![del("/instrumentChecks/2/installedOn")], &[("REQUIRED", "/instrumentChecks/2/installedOn")]),
        ("installed in the future", vec![set("/instrumentChecks/2/installedOn", json!("2027-01-01"))], &[("IN_FUTURE", "/instrumentChecks/2/installedOn")]),
        ("valid-until before verification", vec![set("/instrumentChecks/0/verification/validUntil", json!("2025-05-31"))], &[("DATE_ORDER", "/instrumentChecks/0/verification/validUntil")]),
        ("verified in the future", vec![set("/instrumentChecks/0/verification/verifiedOn", json!("2026-04-01"))], &[("IN_FUTURE", "/instrumentChecks/0/verification/verifiedOn")]),
        ("mark presence unknown", vec![del("/instrumentChecks/0/verification/markPresent")], &[("REQUIRED", "/instrumentChecks/0/verification/markPresent")]),
        ("seal state unknown value", vec![set("/instrumentChecks/0/seal", json!("ok"))], &[("INVALID_VALUE", "/instrumentChecks/0/seal")]),
    ];
    run_table("visit_complete.json", cases, visit_report);
}

#[test]
fn equipment_rules() {
    let cases: &[(&str, Vec<Edit>, &[(&str, &str)])] = &[
        ("kind missing", vec![del("/equipmentChecks/0/kind")], &[("REQUIRED", "/equipmentChecks/0/kind")]),
        ("kind unknown", vec![set("/equipmentChecks/0/kind", json!("escalatorX"))], &[("INVALID_VALUE", "/equipmentChecks/0/kind")]),
        ("lift without acceptance date", vec![del("/equipmentChecks/0/firstUsedOn")], &[("REQUIRED", "/equipmentChecks/0/firstUsedOn")]),
        ("cylinder without manufacture date", vec![del("/equipmentChecks/1/manufacturedOn")], &[("REQUIRED", "/equipmentChecks/1/manufacturedOn")]),
        ("vessel without safety grade", vec![del("/equipmentChecks/2/safetyGrade")], &[("REQUIRED", "/equipmentChecks/2/safetyGrade")]),
        ("safety grade 6", vec![set("/equipmentChecks/2/safetyGrade", json!(6))], &[("OUT_OF_RANGE", "/equipmentChecks/2/safetyGrade")]),
        ("safety grade 0", vec![set("/equipmentChecks/2/safetyGrade", json!(0))], &[("OUT_OF_RANGE", "/equipmentChecks/2/safetyGrade")]),
        ("maintained in the future", vec![set("/equipmentChecks/0/lastMaintenanceOn", json!("2026-03-11"))], &[("IN_FUTURE", "/equipmentChecks/0/lastMaintenanceOn")]),
        ("inspected in the future", vec![set("/equipmentChecks/0/lastInspectionOn", json!("2026-05-01"))], &[("IN_FUTURE", "/equipmentChecks/0/lastInspectionOn")]),
        ("next due before last inspection", vec![set("/equipmentChecks/0/nextInspectionDue", json!("2025-01-01"))], &[("DATE_ORDER", "/equipmentChecks/0/nextInspectionDue")]),
        ("used before it was made", vec![set("/equipmentChecks/0/firstUsedOn", json!("2019-01-01"))], &[("DATE_ORDER", "/equipmentChecks/0/firstUsedOn")]),
        ("operator without name", vec![del("/equipmentChecks/2/operators/0/name")], &[("REQUIRED", "/equipmentChecks/2/operators/0/name")]),
        ("operator without certificate is a finding, not a problem", vec![del("/equipmentChecks/2/operators/0/certificateNo")], &[]),
        ("unregistered is a finding, not a problem", vec![del("/equipmentChecks/0/registrationNo")], &[]),
    ];
    run_table("visit_complete.json", cases, visit_report);
}

#[test]
fn sampling_rules() {
    let cases: &[(&str, Vec<Edit>, &[(&str, &str)])] = &[
        ("sample number missing", vec![del("/samples/0/sampleNo")], &[("REQUIRED", "/samples/0/sampleNo")]),
        ("category missing", vec![del("/samples/0/category")], &[("REQUIRED", "/samples/0/category")]),
        ("product missing", vec![del("/samples/0/productName")], &[("REQUIRED", "/samples/0/productName")]),
        ("neither batch nor production date", vec![del("/samples/0/batchNo"), del("/samples/0/productionDate")], &[("REQUIRED", "/samples/0/batchNo")]),
        ("batch number alone is enough", vec![del("/samples/0/productionDate")], &[]),
        ("production date alone is enough", vec![del("/samples/0/batchNo")], &[]),
        (
            "produced after sampling",
            vec![set("/samples/0/productionDate", json!("2026-03-11"))],
            &[("PRODUCTION_AFTER_SAMPLING", "/samples/0/productionDate"), ("IN_FUTURE", "/samples/0/productionDate")],
        ),
        ("produced on the sampling day", vec![set("/samples/0/productionDate", json!("2026-03-10"))], &[]),
        ("shelf life 0 days", vec![set("/samples/0/shelfLifeDays", json!(0))], &[("NOT_POSITIVE", "/samples/0/shelfLifeDays")]),
        ("test quantity 0", vec![set("/samples/0/testQuantity", json!(0))], &[("NOT_POSITIVE", "/samples/0/testQuantity")]),
        ("test quantity missing", vec![del("/samples/0/testQuantity")], &[("REQUIRED", "/samples/0/testQuantity")]),
        ("backup negative", vec![set("/samples/0/backupQuantity", json!(-1))], &[("NEGATIVE", "/samples/0/backupQuantity")]),
        ("unit missing", vec![del("/samples/0/quantityUnit")], &[("REQUIRED", "/samples/0/quantityUnit")]),
        ("lot smaller than sample", vec![set("/samples/0/lotSize", json!(2))], &[("LOT_SMALLER_THAN_SAMPLE", "/samples/0/lotSize")]),
        ("lot equal to sample", vec![set("/samples/0/lotSize", json!(2.5))], &[]),
        ("seal numbers repeat", vec![set("/samples/0/sealNos/1", json!("FT-0001"))], &[("DUPLICATE", "/samples/0/sealNos/1")]),
        ("blank seal number", vec![set("/samples/0/sealNos/1", json!(" "))], &[("REQUIRED", "/samples/0/sealNos/1")]),
        ("same sampler twice", vec![set("/samples/0/samplers/1", json!("陈某"))], &[("DUPLICATE", "/samples/0/samplers/1")]),
        ("marked 试制", vec![set("/samples/0/markedTrialOrSample", json!(true))], &[("NOT_TO_BE_SAMPLED", "/samples/0")]),
        ("export only", vec![set("/samples/0/exportOnly", json!(true))], &[("NOT_TO_BE_SAMPLED", "/samples/0")]),
        ("negative purchase price", vec![set("/samples/0/purchasePrice", json!(-12.5))], &[("NEGATIVE", "/samples/0/purchasePrice")]),
        ("one sampler is a finding, not a problem", vec![del("/samples/0/samplers/1")], &[]),
    ];
    run_table("visit_complete.json", cases, visit_report);
}

#[test]
fn follow_up_and_lab_result_rules() {
    let cases: &[(&str, Vec<Edit>, &[(&str, &str)])] = &[
        ("sample id missing", vec![del("/sampleId")], &[("REQUIRED", "/sampleId")]),
        ("visit id not a uuid", vec![set("/visitId", json!("v1"))], &[("BAD_ID", "/visitId")]),
        ("limit missing", vec![del("/labResult/items/0/limit")], &[("LAB_LIMIT_MISSING", "/labResult/items/0/limit")]),
        ("unit missing", vec![del("/labResult/items/0/unit")], &[("LAB_UNIT_MISSING", "/labResult/items/0/unit")]),
        ("unit blank", vec![set("/labResult/items/0/unit", json!(""))], &[("LAB_UNIT_MISSING", "/labResult/items/0/unit")]),
        ("value missing", vec![del("/labResult/items/0/value")], &[("REQUIRED", "/labResult/items/0/value")]),
        ("units of different kinds", vec![set("/labResult/items/1/limitUnit", json!("CFU/g"))], &[("UNIT_MISMATCH", "/labResult/items/1/limitUnit")]),
        ("unknown unit pair", vec![set("/labResult/items/1/limitUnit", json!("份"))], &[("UNIT_MISMATCH", "/labResult/items/1/limitUnit")]),
        ("same unknown unit compares", vec![set("/labResult/items/1/unit", json!("份")), set("/labResult/items/1/limitUnit", json!("份"))], &[]),
        ("no test items", vec![set("/labResult/items", json!([]))], &[("REQUIRED", "/labResult/items")]),
        ("report number missing", vec![del("/labResult/reportNo")], &[("REQUIRED", "/labResult/reportNo")]),
        ("lab received before sent", vec![set("/labReceivedOn", json!("2026-03-10"))], &[("DATE_ORDER", "/labReceivedOn")]),
        ("report before receipt", vec![set("/labResult/reportedOn", json!("2026-03-11"))], &[("DATE_ORDER", "/labResult/reportedOn")]),
        ("notified before report", vec![set("/operatorNotifiedOn", json!("2026-03-20"))], &[("DATE_ORDER", "/operatorNotifiedOn")]),
        ("recheck before notification", vec![set("/recheckRequestedOn", json!("2026-03-26"))], &[("DATE_ORDER", "/recheckRequestedOn")]),
        ("disposal before report", vec![set("/disposal/completedOn", json!("2026-03-20"))], &[("DATE_ORDER", "/disposal/completedOn")]),
        ("report in the future", vec![set("/labResult/reportedOn", json!("2026-12-01")), del("/operatorNotifiedOn"), del("/disposal")], &[("IN_FUTURE", "/labResult/reportedOn")]),
        ("unknown disposal action", vec![set("/disposal/actions/0", json!("burnt"))], &[("INVALID_VALUE", "/disposal/actions/0")]),
    ];
    run_table("follow_up_complete.json", cases, follow_up_report);
}

#[test]
fn messages_are_bilingual_and_problems_point_at_real_fields() {
    let v = edits(fixture("visit_complete.json"), &[del("/officers/1"), set("/instrumentChecks/0/eG", json!(0))]);
    let r = visit_report(v.clone());
    assert!(!r.ok);
    for p in &r.problems {
        assert!(!p.message.zh.is_empty() && !p.message.en.is_empty());
        assert!(p.message.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "zh message has Chinese: {}", p.message.zh);
        assert!(v.pointer(&p.path).is_some(), "{} points at a field of the record", p.path);
    }
}
