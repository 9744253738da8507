//! The sync protocol between tablets and HQ, defined once and used by both
//! sides: the messages, the canonical content hash of a record, and the
//! server's judgement of each pushed change.
//!
//! - A *push* carries changes; each names the record, the revision it was made
//!   from, its new revision and the SHA-256 of its canonical content. HQ judges
//!   every change on its own: one bad record is rejected alone, the rest go on.
//! - Replaying a change is answered as before and changes nothing, so a lost
//!   acknowledgement never makes a duplicate.
//! - A change made from a stale revision is a *conflict*: not applied; both
//!   versions are kept for the officer to resolve.
//! - A finalised record never changes (only an identical replay is accepted);
//!   corrections come as amendments, which are new records.
//! - A *pull* returns changes after an opaque cursor, a page at a time.

pub mod diff;
mod hash;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

use crate::problem::{Problem, ProblemCode, Text};
use crate::time::Timestamp;

pub use hash::{canonical_json, content_sha256};

/// SHA-256 of bytes as 64 lowercase hex digits (how attachments are named).
pub fn sha256_of_bytes(bytes: &[u8]) -> String {
    hash::sha256_hex(bytes)
}

/// The protocol version this core speaks.
pub const PROTOCOL_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum RecordKind {
    Visit,
    SampleFollowUp,
    /// Which of a visit's documents were handed over, when and how (送达).
    Delivery,
    /// A visit's findings re-inspected (复查) or closed on documents.
    Rectification,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Change {
    pub kind: RecordKind,
    /// The record's id (must equal `record.id`).
    pub id: String,
    /// The revision this change was made from; absent for a new record.
    #[serde(default)]
    pub base_revision: Option<String>,
    /// The new revision (a UUID made on the device).
    pub revision: String,
    /// SHA-256 of the record's canonical JSON, 64 lowercase hex digits.
    pub sha256: String,
    pub record: Value,
    /// The device's signature of a finalised record (see [`signed_message`]):
    /// outside the record, since it signs the record's hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<RecordSignature>,
}

/// A device's signature of a record's content hash, by a key HQ registered
/// for that device (`keyId`: SHA-256 of the public key's SPKI bytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordSignature {
    pub key_id: String,
    /// The scheme, by name (today "ECDSA-P256-SHA256"; SM2-with-SM3 can join it).
    pub algorithm: String,
    /// The signature's bytes in base64 (for ECDSA P-256: r ‖ s, 64 bytes, as WebCrypto makes it).
    pub value: String,
}

/// What a device signs for a finalised record: a fixed label, the record's id
/// and its content hash, one per line. The label keeps a signature over a
/// record from being read as one over anything else the key might sign.
pub fn signed_message(record_id: &str, sha256: &str) -> String {
    format!("xuncha-record-v1\n{record_id}\n{sha256}")
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PushRequest {
    pub protocol_version: u32,
    pub device_id: String,
    pub changes: Vec<Change>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum ChangeStatus {
    /// Stored as the record's current revision.
    Accepted,
    /// This revision was stored before: nothing changed (a replay).
    AlreadyApplied,
    /// Not stored: the record has problems (see `problems`) or a bad hash.
    Rejected,
    /// Not applied: made from a stale revision; both versions are kept.
    Conflict,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct ChangeResult {
    pub id: String,
    pub revision: String,
    pub status: ChangeStatus,
    /// Why a change was rejected (data problems with their codes).
    #[serde(default)]
    pub problems: Vec<Problem>,
    /// HQ's current revision of the record (for conflicts).
    pub current_revision: Option<String>,
    /// Why a change was refused when it is not about the data, as a stable
    /// code (e.g. "FORBIDDEN": the account may not write this record).
    pub reason: Option<String>,
    pub message: Option<Text>,
    /// Photos and signature images the record lists that HQ does not hold
    /// yet, by SHA-256: upload them (a record may arrive before its photos).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_attachments: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct PushResponse {
    pub protocol_version: u32,
    pub results: Vec<ChangeResult>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PullRequest {
    pub protocol_version: u32,
    /// Opaque; absent for the first pull.
    pub cursor: Option<String>,
    pub limit: Option<u32>,
    /// The rulebook version the device runs; HQ sends its own when it differs.
    pub rulebook_version: Option<String>,
    /// The document templates' version the device runs; HQ sends its own when it differs.
    pub templates_version: Option<String>,
    /// The version of the officer's 双随机 task list the device holds; HQ sends the list when it differs.
    pub tasks_version: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct PulledChange {
    pub kind: RecordKind,
    pub id: String,
    pub revision: String,
    pub sha256: String,
    pub record: Value,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct PullResponse {
    pub protocol_version: u32,
    pub changes: Vec<PulledChange>,
    /// Give this back to continue after these changes.
    pub next_cursor: String,
    /// More changes are waiting.
    pub more: bool,
    /// HQ's rulebook (the file, as `loadRulebook` takes it), when the device
    /// runs another version.
    pub rulebook: Option<Value>,
    /// HQ's document templates (as `loadDocumentTemplates` takes them), when
    /// the device runs another version.
    pub templates: Option<Value>,
    /// The officer's 双随机 tasks (`{version, tasks}`, each a `draw::tasks::Task`),
    /// when the device holds another version of the list.
    pub tasks: Option<Value>,
}

/// The attachment hashes a record lists (`attachments[].sha256`), well-formed
/// ones only, without repeats: what must reach HQ after the record.
pub fn listed_attachments(record: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in record.get("attachments").and_then(Value::as_array).into_iter().flatten() {
        if let Some(h) = a.get("sha256").and_then(Value::as_str) {
            if crate::ids::is_sha256_hex(h) && !out.iter().any(|o| o == h) {
                out.push(h.to_string());
            }
        }
    }
    out
}

/// What HQ holds of a record now.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub revision: String,
    pub sha256: String,
    pub finalised: bool,
}

/// HQ's verdict on one change, before anything is written.
#[derive(Clone, Debug, PartialEq)]
pub enum Judgement {
    /// Store it as the current revision; `finalised` as read from the record.
    Accept {
        finalised: bool,
    },
    /// A replay of a revision already stored.
    AlreadyApplied,
    /// Keep it beside the current revision, for the officer to resolve.
    Conflict {
        current_revision: String,
    },
    Reject {
        problems: Vec<Problem>,
    },
}

fn reject(code: ProblemCode, path: &str, zh: &str, en: &str) -> Judgement {
    Judgement::Reject { problems: vec![Problem::new(code, path, Text::new(zh, en))] }
}

/// The part of the judgement that does not depend on what HQ holds, and
/// costs the most: re-validating the record with the core. HQ runs it for
/// all the changes of a push on all cores before taking the database lock.
#[derive(Clone, Debug, PartialEq)]
pub struct Validated {
    /// The record reads as finalised.
    pub finalised: bool,
    /// Errors that block storing it (empty: it may be stored).
    pub blocking: Vec<Problem>,
    /// The record's canonical JSON (what HQ stores) and its SHA-256.
    pub canonical: String,
    pub sha256: String,
}

/// Re-validate a change's record with the core.
pub fn validate_change(change: &Change, now: Timestamp) -> Validated {
    // A record too large to read is refused from the borrowed value, before the
    // copy that decoding takes (which would double the memory a hostile push costs).
    let too_large = crate::validate::size_problems(&change.record);
    if !too_large.is_empty() {
        let canonical = canonical_json(&change.record);
        let sha256 = hash::sha256_hex(canonical.as_bytes());
        let blocking = crate::validate::ValidationReport::from_problems(too_large).problems;
        return Validated { finalised: false, blocking, canonical, sha256 };
    }
    let (finalised, problems) = match change.kind {
        RecordKind::Visit => {
            let c = crate::check_visit(change.record.clone(), now);
            (c.record.is_some_and(|v| v.status == Some(crate::visit::RecordStatus::Finalised)), c.report.problems)
        }
        // Follow-ups are HQ's own records, kept as revisions: never "finalised".
        RecordKind::SampleFollowUp => (false, crate::check_follow_up(change.record.clone(), now).report.problems),
        // Revised as each document is handed over: never "finalised" either.
        RecordKind::Delivery => (false, crate::validate::check_delivery(change.record.clone(), now).report.problems),
        // One record per re-inspection, linked to the visit's findings.
        RecordKind::Rectification => (false, crate::validate::check_rectification(change.record.clone(), now).report.problems),
    };
    // A draft visit may be incomplete (it is a backup of work in progress); it
    // must still be readable. A finalised visit, and a follow-up (HQ's own
    // record, with no draft state), must be free of errors.
    let strict = finalised || change.kind != RecordKind::Visit;
    let blocking = problems.into_iter().filter(|p| p.is_error() && (strict || p.code.is_structural())).collect();
    let canonical = canonical_json(&change.record);
    let sha256 = hash::sha256_hex(canonical.as_bytes());
    Validated { finalised, blocking, canonical, sha256 }
}

/// Judge one pushed change against what HQ holds (`stored`: the current
/// revision; `seen`: whether this exact revision was ever stored for the
/// record). The device is never trusted: the hash is recomputed and the
/// record re-validated with the same core.
pub fn judge(change: &Change, stored: Option<&Stored>, seen: bool, now: Timestamp) -> Judgement {
    judge_validated(change, stored, seen, &validate_change(change, now))
}

/// [`judge`] with the content checks made beforehand ([`validate_change`]).
pub fn judge_validated(change: &Change, stored: Option<&Stored>, seen: bool, v: &Validated) -> Judgement {
    if !crate::ids::is_uuid(&change.id) || !crate::ids::is_uuid(&change.revision) || change.base_revision.as_deref().is_some_and(|b| !crate::ids::is_uuid(b)) {
        return reject(ProblemCode::BadId, "", "记录或版本标识不是有效的 UUID", "the record id, revision or base revision is not a valid UUID");
    }
    if v.sha256 != change.sha256 {
        return reject(ProblemCode::BadHash, "", "内容哈希不符，记录在传输中可能已损坏", "the content hash does not match: the record may have been damaged in transit");
    }
    if change.record.get("id").and_then(Value::as_str) != Some(change.id.as_str()) {
        return reject(ProblemCode::BadId, "/id", "记录内的标识与变更的标识不一致", "the record's id differs from the change's id");
    }
    if seen || stored.is_some_and(|s| s.revision == change.revision) {
        return Judgement::AlreadyApplied;
    }
    if let Some(s) = stored {
        if s.finalised {
            // Evidence never changes; an identical copy under a new revision is harmless.
            return if s.sha256 == change.sha256 {
                Judgement::AlreadyApplied
            } else {
                reject(ProblemCode::StatusChange, "", "该记录已定稿，不能修改；请提交更正记录", "this record is finalised and cannot change; submit an amendment")
            };
        }
        if change.base_revision.as_deref() != Some(s.revision.as_str()) {
            return Judgement::Conflict { current_revision: s.revision.clone() };
        }
    }
    if !v.blocking.is_empty() {
        return Judgement::Reject { problems: v.blocking.clone() };
    }
    Judgement::Accept { finalised: v.finalised }
}
