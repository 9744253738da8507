//! draft → finalised → amended: finalising is gated by errors and confirmed
//! warnings; a finalised record never changes; corrections are new records.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{edits, fixture, now};
use serde_json::{json, Value};
use xuncha::visit::lifecycle::{amend, finalise, AmendError, FinaliseError};
use xuncha::visit::{ConfirmedWarning, RecordStatus};
use xuncha::{CoreError, ProblemCode};

fn draft() -> Value {
    edits(fixture("visit_complete.json"), &[("/status", Some(json!("draft"))), ("/endedAt", None), ("/finalisedAt", None)])
}

#[test]
fn a_complete_draft_finalises_and_records_when() {
    let v = finalise(draft(), now(), &[]).expect("finalises");
    assert_eq!(v.status, Some(RecordStatus::Finalised));
    assert_eq!(v.finalised_at, Some(now()));
    assert_eq!(v.ended_at, Some(now()), "finishing is the end of the visit");
    // the result is itself a valid finalised record
    let again = xuncha::check_visit(serde_json::to_value(&v).unwrap(), now()).report;
    assert!(again.problems.is_empty(), "{:?}", again.problems);
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
    assert_eq!(done.confirmed_warnings, vec![confirm]);
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
    let a = amend(fixture("visit_complete.json"), new_id, "复秤读数记录有误", now()).unwrap();
    assert_eq!(a.id.as_deref(), Some(new_id));
    assert_eq!(a.status, Some(RecordStatus::Draft));
    let amends = a.amends.as_ref().unwrap();
    assert_eq!(amends.original_id.as_deref(), Some("01900000-0000-7000-8000-000000000001"));
    assert_eq!(amends.reason.as_deref(), Some("复秤读数记录有误"));
    assert_eq!(a.finalised_at, None);
    // and the amendment can itself be finalised
    let done = finalise(serde_json::to_value(&a).unwrap(), now(), &[]).unwrap();
    assert_eq!(done.status, Some(RecordStatus::Finalised));
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
    use xuncha::visit::lifecycle::{discard, DiscardError};
    // Half a draft: discarding it keeps every value; only the status changes.
    let half = edits(draft(), &[("/officers", None), ("/signature", None)]);
    let gone = discard(half.clone(), now()).expect("a draft is discarded");
    assert_eq!(gone.status, Some(RecordStatus::Discarded));
    let mut kept = serde_json::to_value(&gone).unwrap();
    kept["status"] = json!("draft");
    assert_eq!(kept, serde_json::to_value(xuncha::check_visit(half, now()).record.unwrap()).unwrap(), "nothing entered is lost");
    // HQ stores the tombstone as the record's next revision, incomplete as it is.
    let record = serde_json::to_value(&gone).unwrap();
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
    let err = discard(serde_json::to_value(&done).unwrap(), now()).unwrap_err();
    assert_eq!(err, DiscardError::Finalised);
    assert_eq!(err.code(), "ALREADY_FINALISED");
    let finalised_at_hq = Stored { finalised: true, ..draft_at_hq };
    assert!(matches!(judge(&change, Some(&finalised_at_hq), false, now()), Judgement::Reject { .. }));
}
