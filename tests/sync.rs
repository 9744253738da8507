//! The sync protocol's judgement of pushed changes: never trust the device,
//! never lose or duplicate a record, never change a finalised one.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{edits, fixture, later, now};
use serde_json::{json, Value};
use xuncha::sync::{content_sha256, judge, Change, Judgement, PushRequest, RecordKind, Stored};

const R1: &str = "01900000-0000-7000-8000-00000000e001";
const R2: &str = "01900000-0000-7000-8000-00000000e002";
const R3: &str = "01900000-0000-7000-8000-00000000e003";

fn change(record: Value, base: Option<&str>, revision: &str) -> Change {
    Change {
        kind: RecordKind::Visit,
        id: record["id"].as_str().unwrap_or("01900000-0000-7000-8000-000000000001").to_string(),
        base_revision: base.map(str::to_string),
        revision: revision.to_string(),
        sha256: content_sha256(&record),
        record,
        signature: None,
    }
}

fn draft() -> Value {
    edits(fixture("visit_complete.json"), &[("/status", Some(json!("draft"))), ("/endedAt", None), ("/finalisedAt", None)])
}

fn codes(j: &Judgement) -> Vec<String> {
    match j {
        Judgement::Reject { problems } => problems.iter().map(|p| p.code.as_str().to_string()).collect(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn a_new_valid_record_is_accepted() {
    let j = judge(&change(fixture("visit_complete.json"), None, R1), None, false, now());
    assert_eq!(j, Judgement::Accept { finalised: true });
    assert_eq!(judge(&change(draft(), None, R1), None, false, now()), Judgement::Accept { finalised: false });
}

#[test]
fn the_device_is_not_trusted() {
    let mut c = change(fixture("visit_complete.json"), None, R1);
    c.sha256 = "0".repeat(64);
    assert_eq!(codes(&judge(&c, None, false, now())), vec!["BAD_HASH"]);
    // content changed after hashing
    let mut c = change(fixture("visit_complete.json"), None, R1);
    c.record["priceChecks"][0]["chargedPrice"] = json!(99.0);
    assert_eq!(codes(&judge(&c, None, false, now())), vec!["BAD_HASH"]);
    // the record claims another id than the change
    let mut c = change(fixture("visit_complete.json"), None, R1);
    c.id = "01900000-0000-7000-8000-0000000000ff".into();
    assert_eq!(codes(&judge(&c, None, false, now())), vec!["BAD_ID"]);
    let c = change(fixture("visit_complete.json"), None, "rev-1");
    assert_eq!(codes(&judge(&c, None, false, now())), vec!["BAD_ID"]);
}

#[test]
fn replays_change_nothing() {
    let c = change(draft(), None, R1);
    let stored = Stored { revision: R1.into(), sha256: c.sha256.clone(), finalised: false };
    assert_eq!(judge(&c, Some(&stored), false, now()), Judgement::AlreadyApplied);
    // an older revision seen before, replayed after a newer one was stored
    let newer = Stored { revision: R2.into(), sha256: "x".into(), finalised: false };
    assert_eq!(judge(&c, Some(&newer), true, now()), Judgement::AlreadyApplied);
}

#[test]
fn a_stale_base_is_a_conflict_and_nothing_is_applied() {
    let stored = Stored { revision: R2.into(), sha256: "x".into(), finalised: false };
    let c = change(draft(), Some(R1), R3);
    assert_eq!(judge(&c, Some(&stored), false, now()), Judgement::Conflict { current_revision: R2.into() });
    // a "new" record whose id HQ already holds
    let c = change(draft(), None, R3);
    assert_eq!(judge(&c, Some(&stored), false, now()), Judgement::Conflict { current_revision: R2.into() });
    // made from the current revision: accepted
    let c = change(draft(), Some(R2), R3);
    assert_eq!(judge(&c, Some(&stored), false, now()), Judgement::Accept { finalised: false });
}

#[test]
fn a_finalised_record_never_changes() {
    let record = fixture("visit_complete.json");
    let stored = Stored { revision: R1.into(), sha256: content_sha256(&record), finalised: true };
    let changed = edits(record.clone(), &[("/notes", Some(json!("补记")))]);
    assert_eq!(codes(&judge(&change(changed, Some(R1), R2), Some(&stored), false, now())), vec!["STATUS_CHANGE"]);
    // the same content under a new revision (a re-send after a reinstall) is harmless
    assert_eq!(judge(&change(record, Some(R1), R2), Some(&stored), false, now()), Judgement::AlreadyApplied);
}

#[test]
fn each_record_is_judged_alone_by_the_core() {
    // a draft may be incomplete (a backup of work in progress)…
    let incomplete = edits(draft(), &[("/officers", Some(json!([])))]);
    assert_eq!(judge(&change(incomplete, None, R1), None, false, now()), Judgement::Accept { finalised: false });
    // …but must be readable
    let unreadable = edits(draft(), &[("/inspector", Some(json!("陈某")))]);
    assert_eq!(codes(&judge(&change(unreadable, None, R1), None, false, now())), vec!["UNKNOWN_FIELD"]);
    // a finalised record with errors is rejected with their codes
    let bad = edits(fixture("visit_complete.json"), &[("/officers", Some(json!([{"name": "陈某", "certificateNo": "1"}]))), ("/instrumentChecks/0/eG", Some(json!(0)))]);
    let mut got = codes(&judge(&change(bad, None, R1), None, false, now()));
    got.sort();
    assert_eq!(got, vec!["NOT_POSITIVE", "TOO_FEW_OFFICERS"]);
    // follow-ups are judged as follow-ups
    let mut c = change(fixture("follow_up_complete.json"), None, R1);
    c.kind = RecordKind::SampleFollowUp;
    assert_eq!(judge(&c, None, false, later()), Judgement::Accept { finalised: false });
    c.record["labResult"]["items"][0].as_object_mut().unwrap().remove("limit");
    c.sha256 = content_sha256(&c.record);
    assert_eq!(codes(&judge(&c, None, false, later())), vec!["LAB_LIMIT_MISSING"], "a follow-up has no draft state: every error blocks it");
}

#[test]
fn protocol_messages_are_strict_json() {
    let req: PushRequest = serde_json::from_value(json!({
        "protocolVersion": 1, "deviceId": "tablet-7",
        "changes": [{ "kind": "visit", "id": "01900000-0000-7000-8000-000000000001", "revision": R1, "sha256": "a", "record": {} }]
    }))
    .unwrap();
    assert_eq!(req.changes[0].base_revision, None);
    let bad = serde_json::from_value::<PushRequest>(json!({ "protocolVersion": 1, "deviceId": "t", "changes": [], "extra": 1 }));
    assert!(bad.is_err(), "unknown fields are refused");
}

#[test]
fn attachments_are_named_by_the_sha256_of_their_bytes() {
    // FIPS 180-2's example: SHA-256 of "abc".
    assert_eq!(xuncha::sync::sha256_of_bytes(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(xuncha::sync::sha256_of_bytes(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

#[test]
fn a_record_lists_each_well_formed_attachment_once_in_order() {
    let (a, b) = ("a".repeat(64), "b".repeat(64));
    let record = serde_json::json!({ "attachments": [
        { "sha256": b }, { "sha256": a }, { "sha256": b },
        { "sha256": "not-a-hash" }, { "sha256": "A".repeat(64) }, { "mediaType": "image/jpeg" }, 7
    ]});
    assert_eq!(xuncha::sync::listed_attachments(&record), vec![b.clone(), a.clone()]);
    assert!(xuncha::sync::listed_attachments(&serde_json::json!({})).is_empty());
    assert!(xuncha::sync::listed_attachments(&serde_json::json!({ "attachments": "all of them" })).is_empty());
}

#[test]
fn a_base_revision_that_is_no_uuid_is_a_bad_id() {
    let record = fixture("visit_complete.json");
    let change = Change {
        kind: RecordKind::Visit,
        id: record["id"].as_str().unwrap().into(),
        base_revision: Some("r\u{0}".into()),
        revision: "01900000-0000-7000-9000-000000000001".into(),
        sha256: content_sha256(&record),
        record,
        signature: None,
    };
    match judge(&change, None, false, now()) {
        Judgement::Reject { problems } => assert_eq!(problems[0].code, xuncha::ProblemCode::BadId),
        other => panic!("{other:?}"),
    }
}
