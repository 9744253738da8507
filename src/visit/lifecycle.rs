//! A visit's life: draft → finalised → (amended by a new record), or
//! draft → discarded (a tombstone; a new save as a draft brings it back). A finalised
//! record is legal evidence and never changes (HQ enforces it: `sync::judge`);
//! a correction is a new record that points at the original, with a reason,
//! and both are kept.
//!
//! Each step returns the record as it was entered with only the step's own
//! fields written into it ([`Changed::record`]): what the officer's device
//! wrote is kept as written (timestamps in its own form, nothing re-encoded),
//! and the tablet carries no writer for a whole visit.

use serde_json::{Map, Value};

use super::{validate_visit_fields, Amendment, ConfirmedWarning, RecordStatus, Visit};
use crate::check::Checks;
use crate::error::CoreError;
use crate::problem::{Problem, Severity, Text};
use crate::time::Timestamp;
use crate::validate::{check_visit, ValidationReport};

/// A visit after a step of its life.
#[derive(Debug, Clone, PartialEq)]
pub struct Changed {
    /// The record read and changed, typed.
    pub visit: Visit,
    /// The record as it came in, with the step's fields set from `visit`: what is saved and synced.
    pub record: Value,
}

/// Writes `value` at `key` of the object `record` (removes it for `None`).
fn set(record: &mut Map<String, Value>, key: &str, value: &impl crate::encode::ToJson) {
    match crate::encode::to_value(value) {
        Value::Null => record.remove(key),
        value => record.insert(key.to_string(), value),
    };
}

/// The incoming record as an object: `check_visit` read it as a visit, so it is one.
fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Why a visit could not be finalised.
#[derive(Debug, Clone, PartialEq)]
pub enum FinaliseError {
    /// The input is not a visit at all.
    Unreadable(Vec<Problem>),
    AlreadyFinalised,
    /// Errors remain: fix them first.
    Blocked(Vec<Problem>),
    /// Warnings the officer has not confirmed yet.
    NeedsConfirmation(Vec<Problem>),
}

impl CoreError for FinaliseError {
    fn code(&self) -> &'static str {
        match self {
            FinaliseError::Unreadable(_) => "NOT_A_VISIT",
            FinaliseError::AlreadyFinalised => "ALREADY_FINALISED",
            FinaliseError::Blocked(_) => "FINALISE_BLOCKED",
            FinaliseError::NeedsConfirmation(_) => "NEEDS_CONFIRMATION",
        }
    }
    fn message(&self) -> Text {
        match self {
            FinaliseError::Unreadable(_) => Text::new("无法读取这条检查记录", "this is not a readable visit record"),
            FinaliseError::AlreadyFinalised => Text::new("该记录已定稿，只能另行更正", "the record is already finalised; amend it instead"),
            FinaliseError::Blocked(p) => Text::new(format!("还有 {} 处错误需要改正才能定稿", p.len()), format!("{} errors must be fixed before finalising", p.len())),
            FinaliseError::NeedsConfirmation(p) => Text::new(format!("有 {} 项提示需要确认", p.len()), format!("{} warnings need confirming", p.len())),
        }
    }
    fn problems(&self) -> &[Problem] {
        match self {
            FinaliseError::Unreadable(p) | FinaliseError::Blocked(p) | FinaliseError::NeedsConfirmation(p) => p,
            FinaliseError::AlreadyFinalised => &[],
        }
    }
}

/// Finalise a draft at `now`. Warnings must be among `confirmed` (or confirmed
/// earlier); the confirmations are written into the record as evidence.
/// An absent end time is taken as `now`: finalising is the end of the visit.
pub fn finalise(value: Value, now: Timestamp, confirmed: &[ConfirmedWarning]) -> Result<Changed, FinaliseError> {
    let checked = check_visit(value.clone(), now);
    let Some(mut visit) = checked.record else {
        return Err(FinaliseError::Unreadable(checked.report.problems));
    };
    if visit.status == Some(RecordStatus::Finalised) {
        return Err(FinaliseError::AlreadyFinalised);
    }
    // What could not be read was left out of `visit`; finalising that would lose it.
    let unreadable: Vec<Problem> = checked.report.problems.into_iter().filter(|p| p.code.is_structural()).collect();
    if !unreadable.is_empty() {
        return Err(FinaliseError::Blocked(unreadable));
    }
    visit.status = Some(RecordStatus::Finalised);
    let ends_now = visit.ended_at.is_none();
    visit.ended_at = visit.ended_at.or(Some(now));
    visit.finalised_at = Some(now);
    // The typed record is checked as it now stands (it read cleanly above).
    let mut checks = Checks::new(now);
    validate_visit_fields(&visit, &mut checks);
    let report = ValidationReport::from_problems(checks.problems);
    if !report.ok {
        return Err(FinaliseError::Blocked(errors(&report)));
    }
    let mut all_confirmed = visit.confirmed_warnings.clone();
    all_confirmed.extend(confirmed.iter().cloned());
    let unconfirmed: Vec<Problem> = report.problems.into_iter().filter(|p| p.severity == Severity::Warning && !all_confirmed.iter().any(|c| c.code == p.code && c.path == p.path)).collect();
    if !unconfirmed.is_empty() {
        return Err(FinaliseError::NeedsConfirmation(unconfirmed));
    }
    for c in confirmed {
        if !visit.confirmed_warnings.contains(c) {
            visit.confirmed_warnings.push(c.clone());
        }
    }
    let mut record = object(value);
    set(&mut record, "status", &visit.status);
    if ends_now {
        set(&mut record, "endedAt", &visit.ended_at);
    }
    set(&mut record, "finalisedAt", &visit.finalised_at);
    set(&mut record, "confirmedWarnings", &visit.confirmed_warnings);
    Ok(Changed { visit, record: Value::Object(record) })
}

fn errors(report: &ValidationReport) -> Vec<Problem> {
    report.problems.iter().filter(|p| p.severity == Severity::Error).cloned().collect()
}

/// Why an amendment could not be started.
#[derive(Debug, Clone, PartialEq)]
pub enum AmendError {
    Unreadable(Vec<Problem>),
    /// Only finalised records are amended; a draft is simply edited.
    NotFinalised,
    ReasonRequired,
    BadNewId,
}

impl CoreError for AmendError {
    fn code(&self) -> &'static str {
        match self {
            AmendError::Unreadable(_) => "NOT_A_VISIT",
            AmendError::NotFinalised => "NOT_FINALISED",
            AmendError::ReasonRequired => "REASON_REQUIRED",
            AmendError::BadNewId => "BAD_ID",
        }
    }
    fn message(&self) -> Text {
        match self {
            AmendError::Unreadable(_) => Text::new("无法读取原检查记录", "the original is not a readable visit record"),
            AmendError::NotFinalised => Text::new("草稿可以直接修改，无需更正", "a draft is edited directly; only finalised records are amended"),
            AmendError::ReasonRequired => Text::new("请填写更正原因", "a reason for the amendment is required"),
            AmendError::BadNewId => Text::new("新记录标识不是有效的 UUID", "the new record id is not a valid UUID"),
        }
    }
    fn problems(&self) -> &[Problem] {
        match self {
            AmendError::Unreadable(p) => p,
            _ => &[],
        }
    }
}

/// Start an amendment of a finalised visit: a new draft with a new id that
/// copies the original's content for correcting, and points back at it.
pub fn amend(original: Value, new_id: &str, reason: &str, now: Timestamp) -> Result<Changed, AmendError> {
    if reason.trim().is_empty() {
        return Err(AmendError::ReasonRequired);
    }
    if !crate::ids::is_uuid(new_id) {
        return Err(AmendError::BadNewId);
    }
    let checked = check_visit(original.clone(), now);
    let Some(orig) = checked.record else {
        return Err(AmendError::Unreadable(checked.report.problems));
    };
    if orig.status != Some(RecordStatus::Finalised) {
        return Err(AmendError::NotFinalised);
    }
    let mut draft = orig.clone();
    draft.id = Some(new_id.to_string());
    draft.status = Some(RecordStatus::Draft);
    draft.amends = Some(Amendment { original_id: orig.id.clone(), reason: Some(reason.trim().to_string()) });
    draft.finalised_at = None;
    draft.confirmed_warnings.clear();
    // The amendment is a document of its own: it takes new numbers when finalised.
    draft.document_numbers.clear();
    let mut record = object(original);
    set(&mut record, "id", &draft.id);
    set(&mut record, "status", &draft.status);
    set(&mut record, "amends", &draft.amends);
    set(&mut record, "finalisedAt", &draft.finalised_at);
    set(&mut record, "confirmedWarnings", &draft.confirmed_warnings);
    set(&mut record, "documentNumbers", &draft.document_numbers);
    Ok(Changed { visit: draft, record: Value::Object(record) })
}

/// Why a draft could not be discarded.
#[derive(Debug, Clone, PartialEq)]
pub enum DiscardError {
    Unreadable(Vec<Problem>),
    /// A finalised record is evidence: it is corrected by an amendment, never discarded.
    Finalised,
}

impl CoreError for DiscardError {
    fn code(&self) -> &'static str {
        match self {
            DiscardError::Unreadable(_) => "NOT_A_VISIT",
            DiscardError::Finalised => "ALREADY_FINALISED",
        }
    }
    fn message(&self) -> Text {
        match self {
            DiscardError::Unreadable(_) => Text::new("无法读取该检查记录", "the record is not a readable visit"),
            DiscardError::Finalised => Text::new("已完成的检查记录不能作废，如有错误请提交更正", "a finalised visit cannot be discarded; submit an amendment"),
        }
    }
    fn problems(&self) -> &[Problem] {
        match self {
            DiscardError::Unreadable(p) => p,
            DiscardError::Finalised => &[],
        }
    }
}

/// Give up a draft: the same record, marked discarded. Saved and synced like
/// any revision, it stays in HQ's audit trail; lists and figures leave it out.
pub fn discard(value: Value, now: Timestamp) -> Result<Changed, DiscardError> {
    let checked = check_visit(value.clone(), now);
    let Some(mut visit) = checked.record else {
        return Err(DiscardError::Unreadable(checked.report.problems));
    };
    if visit.status == Some(RecordStatus::Finalised) {
        return Err(DiscardError::Finalised);
    }
    visit.status = Some(RecordStatus::Discarded);
    let mut record = object(value);
    set(&mut record, "status", &visit.status);
    Ok(Changed { visit, record: Value::Object(record) })
}
