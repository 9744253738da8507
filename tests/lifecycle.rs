//! draft → finalised → amended: finalising is gated by errors and confirmed
//! warnings; a finalised record never changes; corrections are new records.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{edits, fixture, now};
use serde_json::{json, Value};
use xuncha::visit::lifecycle::{amend, finalise, may_replace, AmendError, FinaliseError};
use xuncha::visit::{ConfirmedWarning, RecordStatus};
use xuncha::{CoreError, ProblemCode};

fn draft() -> Value {
    edits(
        fixture("visit_complete.json"),
        &[("/status", Some(json!("draft"))), ("/endedAt", None), ("/finalisedAt", None)],
    )
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
    let read = |v: Value| xuncha::check_visit(v, now()).record.unwrap();
    let stored = read(fixture("visit_complete.json"));
    assert!(may_replace(&stored, &stored.clone()).is_ok(), "a replay is fine");
    let changed = read(edits(fixture("visit_complete.json"), &[("/priceChecks/0/chargedPrice", Some(json!(16.8)))]));
    assert_eq!(may_replace(&stored, &changed).unwrap_err().code, ProblemCode::StatusChange);
    let a_draft = read(draft());
    assert!(may_replace(&a_draft, &stored).is_ok(), "drafts may change");
}
