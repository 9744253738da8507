//! draft → finalised → amended: finalising is gated by errors and confirmed
//! warnings; a finalised record never changes; corrections are new records.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{edits, fixture, now};
use serde_json::{json, Value};
use xuncha::visit::lifecycle::{amend, discard, finalise, AmendError, Changed, FinaliseError};
use xuncha::visit::{ConfirmedWarning, RecordStatus, Visit};
use xuncha::{CoreError, ProblemCode};

fn draft() -> Value {
    edits(fixture("visit_complete.json"), &[("/status", Some(json!("draft"))), ("/endedAt", None), ("/finalisedAt", None)])
}

#[test]
fn a_complete_draft_finalises_and_records_when() {
    let done = finalise(draft(), now(), &[]).expect("finalises");
    let v = &done.visit;
    assert_eq!(v.status, Some(RecordStatus::Finalised));
    assert_eq!(v.finalised_at, Some(now()));
    assert_eq!(v.ended_at, Some(now()), "finishing is the end of the visit");
    // the result is itself a valid finalised record
    let again = xuncha::check_visit(done.record.clone(), now()).report;
    assert!(again.problems.is_empty(), "{:?}", again.problems);
    saved_as_typed(&done);
}

/// The record a step returns reads back as the typed visit it made (so every key
/// it writes is the model's own), and keeps every other member as it came in.
fn saved_as_typed(changed: &Changed) {
    assert_eq!(xuncha::decode::read::<Visit>(&changed.record).expect("the record reads"), changed.visit);
}

fn unchanged_but(before: &Value, after: &Value, keys: &[&str]) {
    let (before, after) = (before.as_object().unwrap(), after.as_object().unwrap());
    for (key, value) in before {
        if !keys.contains(&key.as_str()) {
            assert_eq!(after.get(key), Some(value), "{key} is kept as entered");
        }
    }
    for key in after.keys() {
        assert!(before.contains_key(key) || keys.contains(&key.as_str()), "{key} appeared");
    }
}

#[test]
fn each_step_keeps_what_was_entered_as_written_and_changes_only_its_own_fields() {
    // A timestamp in a form chrono would write differently, and a null: both kept.
    let entered = edits(draft(), &[("/startedAt", Some(json!("2026-03-10T09:00:00.000+08:00"))), ("/notes", Some(Value::Null))]);
    let done = finalise(entered.clone(), now(), &[]).unwrap();
    saved_as_typed(&done);
    unchanged_but(&entered, &done.record, &["status", "endedAt", "finalisedAt", "confirmedWarnings"]);
    assert_eq!(done.record["startedAt"], json!("2026-03-10T09:00:00.000+08:00"));
    assert_eq!(done.record["endedAt"], serde_json::to_value(now()).unwrap(), "absent, so now");
    // An end time entered is not rewritten.
    let ended = edits(entered, &[("/endedAt", Some(json!("2026-03-10T11:30:00.000+08:00")))]);
    let done = finalise(ended, now(), &[]).unwrap();
    assert_eq!(done.record["endedAt"], json!("2026-03-10T11:30:00.000+08:00"));

    let original = fixture("visit_complete.json");
    let a = amend(original.clone(), "01900000-0000-7000-8000-0000000000a1", "复秤读数记录有误", now()).unwrap();
    saved_as_typed(&a);
    unchanged_but(&original, &a.record, &["id", "status", "amends", "finalisedAt", "confirmedWarnings", "documentNumbers"]);
    assert!(a.record.get("finalisedAt").is_none());

    let gone = discard(draft(), now()).unwrap();
    saved_as_typed(&gone);
    unchanged_but(&draft(), &gone.record, &["status"]);
}

#[test]
fn errors_block_finalising() {
    let v = edits(draft(), &[("/officers/1", None)]);
    let err = finalise(v, now(), &[]).unwrap_err();
    assert_eq!(err.code(), "FINALISE_BLOCKED");
    assert!(err.problems().iter().any(|p| p.code == ProblemCode::TooFewOfficers));
}

#[test]
fn a_missing_signature_blocks_finalising_but_not_a_draft() {
    let v = edits(draft(), &[("/signature", None)]);
    assert!(xuncha::check_visit(v.clone(), now()).report.ok, "fine as a draft");
    let err = finalise(v, now(), &[]).unwrap_err();
    assert!(err.problems().iter().any(|p| p.code == ProblemCode::HandoverMissing));
}

#[test]
fn warnings_need_confirming_and_the_confirmation_is_kept() {
    let v = edits(draft(), &[("/operator/creditCode", Some(json!("91350200776049653B")))]);
    let err = finalise(v.clone(), now(), &[]).unwrap_err();
    let FinaliseError::NeedsConfirmation(warnings) = &err else { panic!("{err:?}") };
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, ProblemCode::CreditCodeCheck);
    let confirm = ConfirmedWarning { code: warnings[0].code, path: warnings[0].path.clone() };
    let done = finalise(v, now(), &[confirm.clone()]).expect("confirmed");
    assert_eq!(done.visit.confirmed_warnings, vec![confirm]);
    saved_as_typed(&done);
}

#[test]
fn confirming_a_different_warning_does_not_count() {
    let v = edits(draft(), &[("/operator/creditCode", Some(json!("91350200776049653B")))]);
    let other = ConfirmedWarning { code: ProblemCode::CreditCodeCheck, path: "/site".into() };
    assert!(matches!(finalise(v, now(), &[other]), Err(FinaliseError::NeedsConfirmation(_))));
}

#[test]
fn unreadable_fields_block_finalising_so_nothing_is_dropped() {
    let v = edits(draft(), &[("/operator/nickname", Some(json!("老林")))]);
    let err = finalise(v, now(), &[]).unwrap_err();
    assert_eq!(err.code(), "FINALISE_BLOCKED");
    assert_eq!(err.problems()[0].code, ProblemCode::UnknownField);
}

#[test]
fn a_finalised_record_cannot_be_finalised_again() {
    assert_eq!(finalise(fixture("visit_complete.json"), now(), &[]).unwrap_err(), FinaliseError::AlreadyFinalised);
    assert_eq!(finalise(json!([1]), now(), &[]).unwrap_err().code(), "NOT_A_VISIT");
}

#[test]
fn amending_makes_a_new_draft_pointing_at_the_original() {
    let new_id = "01900000-0000-7000-8000-0000000000a1";
    let a = amend(fixture("visit_complete.json"), new_id, "复秤读数记录有误", now()).unwrap().visit;
    assert_eq!(a.id.as_deref(), Some(new_id));
    assert_eq!(a.status, Some(RecordStatus::Draft));
    let amends = a.amends.as_ref().unwrap();
    assert_eq!(amends.original_id.as_deref(), Some("01900000-0000-7000-8000-000000000001"));
    assert_eq!(amends.reason.as_deref(), Some("复秤读数记录有误"));
    assert_eq!(a.finalised_at, None);
    // and the amendment can itself be finalised
    let done = finalise(serde_json::to_value(&a).unwrap(), now(), &[]).unwrap();
    assert_eq!(done.visit.status, Some(RecordStatus::Finalised));
}

#[test]
fn amend_errors() {
    let id = "01900000-0000-7000-8000-0000000000a1";
    assert_eq!(amend(draft(), id, "x", now()).unwrap_err(), AmendError::NotFinalised);
    assert_eq!(amend(fixture("visit_complete.json"), id, "  ", now()).unwrap_err(), AmendError::ReasonRequired);
    assert_eq!(amend(fixture("visit_complete.json"), "new", "x", now()).unwrap_err(), AmendError::BadNewId);
    assert_eq!(amend(json!("x"), id, "x", now()).unwrap_err().code(), "NOT_A_VISIT");
}

#[test]
fn a_finalised_record_is_only_replaced_by_itself() {
    // The rule lives in the sync judgement HQ applies to every pushed change.
    use xuncha::sync::{content_sha256, judge, Change, Judgement, RecordKind, Stored};
    let change = |record: Value, base: &str, revision: &str| Change {
        kind: RecordKind::Visit,
        id: record["id"].as_str().unwrap().to_string(),
        base_revision: Some(base.to_string()),
        revision: revision.to_string(),
        sha256: content_sha256(&record),
        record,
        signature: None,
    };
    let (r1, r2) = ("01900000-0000-7000-8000-00000000e001", "01900000-0000-7000-8000-00000000e002");
    let record = fixture("visit_complete.json");
    let stored = Stored { revision: r1.into(), sha256: content_sha256(&record), finalised: true };
    assert_eq!(judge(&change(record.clone(), r1, r2), Some(&stored), false, now()), Judgement::AlreadyApplied, "a replay is fine");
    let changed = edits(record, &[("/priceChecks/0/chargedPrice", Some(json!(16.8)))]);
    match judge(&change(changed.clone(), r1, r2), Some(&stored), false, now()) {
        Judgement::Reject { problems } => assert_eq!(problems[0].code, ProblemCode::StatusChange),
        other => panic!("{other:?}"),
    }
    let a_draft = Stored { finalised: false, ..stored };
    assert_eq!(judge(&change(draft(), r1, r2), Some(&a_draft), false, now()), Judgement::Accept { finalised: false }, "drafts may change");
}

#[test]
fn a_draft_is_discarded_as_a_tombstone_and_a_finalised_visit_never_is() {
    use xuncha::sync::{judge, Change, Judgement, RecordKind, Stored};
    use xuncha::visit::lifecycle::DiscardError;
    // Half a draft: discarding it keeps every value; only the status changes.
    let half = edits(draft(), &[("/officers", None), ("/signature", None)]);
    let gone = discard(half.clone(), now()).expect("a draft is discarded");
    assert_eq!(gone.visit.status, Some(RecordStatus::Discarded));
    let mut kept = gone.record.clone();
    kept["status"] = json!("draft");
    assert_eq!(kept, half, "nothing entered is lost");
    // HQ stores the tombstone as the record's next revision, incomplete as it is.
    let record = gone.record;
    let id = record["id"].as_str().unwrap().to_string();
    let change = Change {
        kind: RecordKind::Visit,
        id,
        base_revision: Some("01900000-0000-7000-8000-0000000000b1".into()),
        revision: "01900000-0000-7000-8000-0000000000b2".into(),
        sha256: xuncha::sync::content_sha256(&record),
        record,
        signature: None,
    };
    let draft_at_hq = Stored { revision: "01900000-0000-7000-8000-0000000000b1".into(), sha256: "x".into(), finalised: false };
    assert!(matches!(judge(&change, Some(&draft_at_hq), false, now()), Judgement::Accept { finalised: false }));
    // Evidence is never discarded: not by the core, not at HQ.
    let done = finalise(draft(), now(), &[]).unwrap();
    let err = discard(done.record, now()).unwrap_err();
    assert_eq!(err, DiscardError::Finalised);
    assert_eq!(err.code(), "ALREADY_FINALISED");
    let finalised_at_hq = Stored { finalised: true, ..draft_at_hq };
    assert!(matches!(judge(&change, Some(&finalised_at_hq), false, now()), Judgement::Reject { .. }));
}
