//! Records: every write through authorise → judge → apply, and what devices
//! and staff read back (pulls, current records, a record's audit trail).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;
use xuncha::sync::{judge_validated, Change, ChangeResult, ChangeStatus, Judgement, PulledChange, RecordKind, Stored, Validated};
use xuncha::time::Timestamp;

use super::authorise::{authorise, Claims, HeldRecord, Refusal};
use super::evidence;
use super::sql::{Cols, Sql, P, R};
use super::{kind_name, read_kind, Role, Store, User};

/// The current revisions a bureau's figures are made from, as stored.
#[derive(Default)]
pub struct CurrentRecords {
    pub visits: Vec<Value>,
    pub follow_ups: Vec<Value>,
    pub rectifications: Vec<Value>,
}

/// The certificate numbers of a visit's officers, trimmed, without blanks.
pub fn officer_certificates(record: &Value) -> BTreeSet<String> {
    record
        .get("officers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|o| o.get("certificateNo").and_then(Value::as_str))
        .map(str::trim)
        // (a NUL cannot be stored by PostgreSQL, nor be any account's certificate)
        .filter(|c| !c.is_empty() && !c.contains('\0'))
        .map(String::from)
        .collect()
}

/// The visits an officer is on (their current revisions name the officer), as
/// a sub-query over `record_officers` with the bureau as `?1` and the
/// certificate as `?{cert}`.
pub(super) fn officers_visits(cert: usize) -> String {
    format!("SELECT record_id FROM record_officers WHERE bureau_id = ?1 AND certificate_no = ?{cert}")
}

/// What HQ holds of a record: its revision (for judging) and whose it is (for authorising).
#[derive(Clone, Debug)]
struct Held {
    stored: Stored,
    who: HeldRecord,
}

/// One change of a push with what is derived from it once: the core's content
/// check (made before the lock), what it claims (for authorising), the
/// attachments it lists.
struct Prepared<'a> {
    change: &'a Change,
    validated: Validated,
    claims: Claims<'a>,
    listed: Vec<String>,
}

/// What a push's authorising and judging need, read once per push instead of
/// once per change (a round trip each on PostgreSQL): the records it touches —
/// the changes' own ids, their follow-ups' visits, their amendments'
/// originals — kept current as its changes are applied; and which of the
/// attachments they list HQ already holds.
struct PushState {
    records: HashMap<String, Held>,
    attachments: HashSet<String>,
    /// Rows written once at the end of the push (one statement, not one per
    /// record): each accepted visit's officers and each accepted record's
    /// attachment list, by record, the last accepted revision's.
    officers: BTreeMap<String, Vec<String>>,
    listed: BTreeMap<String, Vec<String>>,
}

/// A test hook (`XUNCHA_TEST_PAUSE_PUSH_OVER=N`): a push of more than N changes
/// stops inside its transaction — every change written, nothing committed — and
/// says so on standard error, so that a test can kill HQ at exactly that point
/// (hq/tests/http.rs, `killed_inside_a_push…`). Unset, it costs one check.
fn pause_for_a_test(changes: usize) {
    static OVER: std::sync::LazyLock<Option<usize>> = std::sync::LazyLock::new(|| std::env::var("XUNCHA_TEST_PAUSE_PUSH_OVER").ok().and_then(|v| v.parse().ok()));
    if OVER.is_some_and(|over| changes > over) {
        eprintln!("xuncha-hq: test hook: paused inside a push of {changes} changes, all written, none committed");
        std::thread::sleep(std::time::Duration::from_secs(600));
    }
}

/// Keys per `IN (…)` query (SQLite allows 32,766 parameters; this stays far below).
const KEYS_PER_QUERY: usize = 200;

impl PushState {
    fn read(tx: &mut dyn Sql, changes: &[Prepared], bureau_id: i64) -> R<PushState> {
        let wanted = changes.iter().flat_map(|p| [Some(p.change.id.as_str()), p.claims.visit_id, p.claims.amends]).flatten();
        // HQ stores only records with UUID ids; nothing else is looked up (nor sent to the database).
        let ids = unique(wanted.filter(|id| xuncha::ids::is_uuid(id)));
        let mut records = HashMap::with_capacity(ids.len());
        let mut follow_ups = Vec::new();
        for row in rows_for_keys(tx, "SELECT id, kind, revision, sha256, finalised, bureau_id FROM records WHERE", &[], "id", &ids)? {
            let mut cols = Cols::new(row);
            let id = cols.text()?;
            let kind = read_kind(&cols.text()?)?;
            let stored = Stored { revision: cols.text()?, sha256: cols.text()?, finalised: cols.int()? != 0 };
            let who = HeldRecord { kind, bureau_id: cols.int()?, officers: BTreeSet::new(), has_lab_result: false };
            if kind == RecordKind::SampleFollowUp {
                follow_ups.push(id.clone());
            }
            records.insert(id, Held { stored, who });
        }
        let held_ids: Vec<&str> = records.keys().map(String::as_str).collect();
        for row in rows_for_keys(tx, "SELECT record_id, certificate_no FROM record_officers WHERE", &[], "record_id", &held_ids)? {
            let mut cols = Cols::new(row);
            let (id, cert) = (cols.text()?, cols.text()?);
            if let Some(h) = records.get_mut(&id) {
                h.who.officers.insert(cert);
            }
        }
        let follow_ups: Vec<&str> = follow_ups.iter().map(String::as_str).collect();
        for row in rows_for_keys(tx, "SELECT r.id, c.body FROM records r JOIN changes c ON c.seq = r.seq WHERE", &[], "r.id", &follow_ups)? {
            let mut cols = Cols::new(row);
            let (id, body) = (cols.text()?, cols.json()?);
            if let Some(h) = records.get_mut(&id) {
                h.who.has_lab_result = body.get("labResult").is_some_and(|r| !r.is_null());
            }
        }
        let listed = unique(changes.iter().flat_map(|p| p.listed.iter().map(String::as_str)));
        let attachments =
            rows_for_keys(tx, "SELECT sha256 FROM attachments WHERE bureau_id = ?1 AND", &[P::Int(bureau_id)], "sha256", &listed)?.into_iter().map(|r| Cols::new(r).text()).collect::<R<_>>()?;
        Ok(PushState { records, attachments, officers: BTreeMap::new(), listed: BTreeMap::new() })
    }
}

fn unique<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    keys.filter(|k| seen.insert(*k)).collect()
}

/// `{select} {column} IN (…keys)`, a chunk of keys at a time, after the `fixed` parameters.
fn rows_for_keys(tx: &mut dyn Sql, select: &str, fixed: &[P], column: &str, keys: &[&str]) -> R<Vec<Vec<super::sql::V>>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(KEYS_PER_QUERY) {
        let first = fixed.len() + 1;
        let markers: Vec<String> = (first..first + chunk.len()).map(|i| format!("?{i}")).collect();
        let sql = format!("{select} {column} IN ({})", markers.join(", "));
        let mut params: Vec<P> = fixed.to_vec();
        params.extend(chunk.iter().map(|k| P::Text(k)));
        out.extend(tx.rows_planned_each_time(&sql, &params)?);
    }
    Ok(out)
}

impl Store {
    /// Authorise, judge and apply a push's changes in one transaction: each
    /// change is judged alone (seeing the ones before it) and a refused one
    /// writes nothing; the accepted ones are committed together, so a crash
    /// leaves all of them or none — never part of a change — and one fsync
    /// serves the whole push. `validated[i]` is the content check of
    /// `changes[i]`, made before the lock; `device_id` is the token's device.
    pub fn apply_all(&self, changes: &[Change], validated: Vec<Validated>, user: &User, device_id: &str, now: Timestamp) -> R<Vec<ChangeResult>> {
        self.write(Some(user.bureau_id), |tx| {
            let prepared: Vec<Prepared> = changes
                .iter()
                .zip(validated)
                .map(|(change, validated)| Prepared { change, validated, claims: Claims::of(change.kind, &change.id, &change.record), listed: xuncha::sync::listed_attachments(&change.record) })
                .collect();
            let mut state = PushState::read(tx, &prepared, user.bureau_id)?;
            // The visit each change belongs to: its digest is made again if the change is accepted.
            let visits: Vec<String> = prepared
                .iter()
                .map(|p| match p.change.kind {
                    RecordKind::Visit => p.change.id.clone(),
                    RecordKind::SampleFollowUp | RecordKind::Rectification => p.claims.visit_id.unwrap_or_default().to_string(),
                    RecordKind::Delivery => String::new(),
                })
                .collect();
            let results = prepared.into_iter().map(|p| apply_one(tx, &mut state, p, user, device_id, now)).collect::<R<Vec<_>>>()?;
            let changed: BTreeSet<String> = visits.into_iter().zip(&results).filter(|(v, r)| !v.is_empty() && r.status == ChangeStatus::Accepted).map(|(v, _)| v).collect();
            if !changed.is_empty() {
                let book = super::digests::rulebook_in_force(tx)?;
                super::digests::refresh(tx, user.bureau_id, &changed, &book)?;
            }
            insert_rows(tx, "INSERT INTO record_officers (bureau_id, record_id, certificate_no) VALUES", "", user.bureau_id, &state.officers)?;
            insert_rows(tx, "INSERT INTO record_attachments (bureau_id, record_id, sha256) VALUES", "ON CONFLICT DO NOTHING", user.bureau_id, &state.listed)?;
            pause_for_a_test(changes.len());
            Ok(results)
        })
    }

    /// The records changed after `after` that `user` may read, each at its
    /// current revision (a device needs the state, not every step to it: an
    /// older revision of a record it has moved past never comes back to
    /// overwrite it), in log order, at most `limit`; and whether more wait.
    /// The cursor is the log position of the last one: a record changed again
    /// moves past the cursor and comes again. Staff read their bureau; an
    /// officer the visits whose current revision names them, and those
    /// visits' follow-ups.
    pub fn pull(&self, user: &User, after: i64, limit: u32) -> R<(Vec<PulledChange>, i64, bool)> {
        let current = "SELECT c.seq, c.kind, c.id, c.revision, c.sha256, c.body FROM records r JOIN changes c ON c.seq = r.seq WHERE r.bureau_id = ?1 AND r.seq > ?2";
        let rows = match (user.role, user.certificate()) {
            (Role::Staff, _) => self.read(|tx| tx.rows(&format!("{current} ORDER BY r.seq LIMIT ?3"), &[P::Int(user.bureau_id), P::Int(after), P::Int(limit as i64 + 1)]))?,
            (Role::Officer, Some(cert)) => self.read(|tx| {
                tx.rows(&format!("{current} AND r.visit_id IN ({}) ORDER BY r.seq LIMIT ?4", officers_visits(3)), &[P::Int(user.bureau_id), P::Int(after), P::Text(cert), P::Int(limit as i64 + 1)])
            })?,
            // An officer account without a certificate is on no visit.
            (Role::Officer, None) => Vec::new(),
        };
        let more = rows.len() > limit as usize;
        let mut last = after;
        let mut changes = Vec::with_capacity(rows.len().min(limit as usize));
        for row in rows.into_iter().take(limit as usize) {
            let mut cols = Cols::new(row);
            last = cols.int()?;
            let kind = read_kind(&cols.text()?)?;
            changes.push(PulledChange { kind, id: cols.text()?, revision: cols.text()?, sha256: cols.text()?, record: cols.json()? });
        }
        Ok((changes, last, more))
    }

    /// The current revision of every record of a bureau that the figures read, as stored.
    pub fn current_records(&self, bureau_id: i64) -> R<CurrentRecords> {
        let rows = self.read(|tx| tx.rows("SELECT r.kind, c.body FROM records r JOIN changes c ON c.seq = r.seq WHERE r.bureau_id = ?1 ORDER BY r.seq", &[P::Int(bureau_id)]))?;
        let mut out = CurrentRecords::default();
        for row in rows {
            let mut cols = Cols::new(row);
            match read_kind(&cols.text()?)? {
                RecordKind::Visit => out.visits.push(cols.json()?),
                RecordKind::SampleFollowUp => out.follow_ups.push(cols.json()?),
                RecordKind::Rectification => out.rectifications.push(cols.json()?),
                // Not part of the figures.
                RecordKind::Delivery => {}
            }
        }
        Ok(out)
    }

    /// Whether HQ holds a finalised visit `id` whose content hashes to `sha256`
    /// (what a printed document's QR code names): the bureau's name and the
    /// record's finalisation time if so. Any bureau: the check is public.
    /// Also the record's document numbers as printed.
    pub fn verify_document(&self, id: &str, sha256: &str) -> R<Option<(String, Option<String>, Vec<String>)>> {
        let row = self.read(|tx| {
            tx.row(
                "SELECT b.name, c.body FROM records r JOIN changes c ON c.seq = r.seq JOIN bureaus b ON b.id = r.bureau_id
                 WHERE r.id = ?1 AND r.sha256 = ?2 AND r.kind = 'visit' AND r.finalised = 1",
                &[P::Text(id), P::Text(sha256)],
            )
        })?;
        let Some(row) = row else { return Ok(None) };
        let mut cols = Cols::new(row);
        let bureau = cols.text()?;
        let body: Value = cols.json()?;
        let numbers: Vec<xuncha::visit::DocumentNumber> =
            body.get("documentNumbers").cloned().map(serde_json::from_value).transpose().map_err(|e| super::StoreError::corrupt(format!("record {id}'s document numbers: {e}")))?.unwrap_or_default();
        Ok(Some((bureau, body.get("finalisedAt").and_then(Value::as_str).map(str::to_string), numbers.iter().filter_map(|n| n.text()).collect())))
    }

    /// What HQ needs to make a visit's documents for its archive: the visit's
    /// current revision as stored, the bureau's name, and the visit's follow-ups.
    pub fn visit_for_documents(&self, bureau_id: i64, id: &str) -> R<Option<(Value, String, Vec<Value>)>> {
        self.read(|tx| {
            let Some(row) = tx.row(
                "SELECT c.body, b.name FROM records r JOIN changes c ON c.seq = r.seq JOIN bureaus b ON b.id = r.bureau_id
                 WHERE r.id = ?1 AND r.bureau_id = ?2 AND r.kind = 'visit'",
                &[P::Text(id), P::Int(bureau_id)],
            )?
            else {
                return Ok(None);
            };
            let mut cols = Cols::new(row);
            let (visit, bureau) = (cols.json()?, cols.text()?);
            let rows = tx.rows(
                "SELECT c.body FROM records r JOIN changes c ON c.seq = r.seq WHERE r.bureau_id = ?1 AND r.kind = 'sampleFollowUp' AND r.visit_id = ?2 ORDER BY r.seq",
                &[P::Int(bureau_id), P::Text(id)],
            )?;
            let follow_ups = rows.into_iter().map(|r| Cols::new(r).json()).collect::<R<Vec<Value>>>()?;
            Ok(Some((visit, bureau, follow_ups)))
        })
    }

    /// The current revision of one record of a bureau.
    pub fn current_revision(&self, bureau_id: i64, id: &str) -> R<Option<String>> {
        self.read(|tx| tx.row("SELECT revision FROM records WHERE id = ?1 AND bureau_id = ?2", &[P::Text(id), P::Int(bureau_id)])?.map(|r| Cols::new(r).text()).transpose())
    }

    /// A conflicting version kept for a record of the bureau: (its body, how it was resolved, if it was).
    pub fn conflict(&self, bureau_id: i64, id: &str, revision: &str) -> R<Option<(Value, Option<String>)>> {
        self.read(|tx| {
            let Some(row) = tx.row("SELECT body, resolution FROM conflicts WHERE id = ?1 AND revision = ?2 AND bureau_id = ?3", &[P::Text(id), P::Text(revision), P::Int(bureau_id)])? else {
                return Ok(None);
            };
            let mut cols = Cols::new(row);
            Ok(Some((cols.json()?, cols.opt_text()?)))
        })
    }

    /// Record how staff resolved a conflict — once: false when it was resolved already.
    pub fn resolve_conflict(&self, bureau_id: i64, id: &str, revision: &str, resolution: &str, user_id: i64, now: Timestamp) -> R<bool> {
        self.write(Some(bureau_id), |tx| {
            let n = tx.exec(
                "UPDATE conflicts SET resolution = ?1, resolved_by = ?2, resolved_at = ?3 WHERE id = ?4 AND revision = ?5 AND bureau_id = ?6 AND resolution IS NULL",
                &[P::Text(resolution), P::Int(user_id), P::Text(&now.to_rfc3339()), P::Text(id), P::Text(revision), P::Int(bureau_id)],
            )?;
            Ok(n == 1)
        })
    }

    /// Every revision HQ accepted of one record of a bureau, oldest first, and
    /// the conflicting versions kept beside them (the record's audit trail).
    pub fn record_history(&self, bureau_id: i64, id: &str) -> R<(Vec<Value>, Vec<Value>)> {
        let (accepted, conflicting) = self.read(|tx| {
            let args = [P::Text(id), P::Int(bureau_id)];
            Ok((
                tx.rows("SELECT revision, base_revision, sha256, device_id, received_at, body FROM changes WHERE id = ?1 AND bureau_id = ?2 ORDER BY seq", &args)?,
                tx.rows(
                    "SELECT revision, base_revision, sha256, device_id, received_at, body, current_revision, resolution, resolved_at FROM conflicts WHERE id = ?1 AND bureau_id = ?2 ORDER BY received_at, revision",
                    &args,
                )?,
            ))
        })?;
        let entry = |row: Vec<super::sql::V>, conflict: bool| -> R<Value> {
            let mut cols = Cols::new(row);
            let (revision, base, sha256, device, at, record) = (cols.text()?, cols.opt_text()?, cols.text()?, cols.text()?, cols.text()?, cols.json()?);
            let mut out = serde_json::json!({ "revision": revision, "baseRevision": base, "sha256": sha256, "deviceId": device, "receivedAt": at, "record": record });
            if conflict {
                out["currentRevision"] = Value::String(cols.text()?);
                out["resolution"] = cols.opt_text()?.map_or(Value::Null, Value::String);
                out["resolvedAt"] = cols.opt_text()?.map_or(Value::Null, Value::String);
            }
            Ok(out)
        };
        Ok((accepted.into_iter().map(|r| entry(r, false)).collect::<R<_>>()?, conflicting.into_iter().map(|r| entry(r, true)).collect::<R<_>>()?))
    }
}

/// `{insert} (?1, ?2, ?3), (?1, ?4, ?5), … {tail}`: a row per (record, value) of
/// the bureau, a few hundred to a statement (one round trip on PostgreSQL for a
/// whole push's officers or attachment lists).
fn insert_rows(tx: &mut dyn Sql, insert: &str, tail: &str, bureau: i64, rows: &BTreeMap<String, Vec<String>>) -> R<()> {
    let pairs: Vec<(&str, &str)> = rows.iter().flat_map(|(id, values)| values.iter().map(move |v| (id.as_str(), v.as_str()))).collect();
    for chunk in pairs.chunks(KEYS_PER_QUERY) {
        let markers: Vec<String> = (0..chunk.len()).map(|i| format!("(?1, ?{}, ?{})", 2 * i + 2, 2 * i + 3)).collect();
        let mut params = vec![P::Int(bureau)];
        for (id, v) in chunk {
            params.extend([P::Text(id), P::Text(v)]);
        }
        tx.exec(&format!("{insert} {} {tail}", markers.join(", ")), &params)?;
    }
    Ok(())
}

/// Authorise, judge and apply one change inside `tx`; the answer for the device.
fn apply_one(tx: &mut dyn Sql, state: &mut PushState, prepared: Prepared, user: &User, device_id: &str, now: Timestamp) -> R<ChangeResult> {
    let Prepared { change, validated, claims, listed } = prepared;
    let result = |status, problems, current_revision, reason: Option<&str>| ChangeResult {
        id: change.id.clone(),
        revision: change.revision.clone(),
        status,
        problems,
        current_revision,
        reason: reason.map(str::to_string),
        message: None,
        missing_attachments: Vec::new(),
    };
    // Ids that are not UUIDs are refused by the judgement without a look at the
    // database (which they could not name: HQ stores UUIDs only).
    let well_formed = |id: &str| xuncha::ids::is_uuid(id);
    if !well_formed(&change.id) || !well_formed(&change.revision) || change.base_revision.as_deref().is_some_and(|b| !well_formed(b)) {
        let Judgement::Reject { problems } = judge_validated(change, None, false, &validated) else {
            return Err(super::StoreError::corrupt("the core accepted a change whose ids are not UUIDs"));
        };
        return Ok(result(ChangeStatus::Rejected, problems, None, None));
    }
    // 1. Authorise, against what HQ holds — before anything about the record is said.
    let held = |id: Option<&str>| id.and_then(|i| state.records.get(i)).map(|h| &h.who);
    if let Err(refusal) = authorise(user, &claims, held(Some(&change.id)), held(claims.visit_id), held(claims.amends)) {
        // Only staff reach the refusals other than FORBIDDEN, and may read the record: they see its problems too.
        let problems = if refusal == Refusal::Forbidden { vec![] } else { validated.blocking.clone() };
        return Ok(result(ChangeStatus::Rejected, problems, None, Some(refusal.code())));
    }
    let visit_id = match change.kind {
        RecordKind::Visit => change.id.clone(),
        RecordKind::SampleFollowUp | RecordKind::Delivery | RecordKind::Rectification => claims.visit_id.unwrap_or_default().to_string(),
    };
    let (id, revision, bureau) = (P::Text(&change.id), P::Text(&change.revision), P::Int(user.bureau_id));
    let stored = state.records.get(&change.id).map(|h| h.stored.clone());
    // 2. Judge. Was this revision ever stored? Only a record HQ holds has
    // revisions, and its current one answers for itself: the log is read only for an older one.
    let seen = match &stored {
        Some(s) if s.revision != change.revision => tx.int("SELECT COUNT(*) FROM changes WHERE id = ?1 AND revision = ?2", &[id, revision])? > 0,
        _ => false,
    };
    // A conflict recorded before is answered as then (a replay), whatever came since.
    if stored.as_ref().is_some_and(|s| s.revision != change.revision) && !seen {
        if let Some(r) = tx.row("SELECT current_revision FROM conflicts WHERE id = ?1 AND revision = ?2", &[id, revision])? {
            return Ok(result(ChangeStatus::Conflict, vec![], Cols::new(r).opt_text()?, None));
        }
    }
    let received = now.to_rfc3339();
    // 3. Apply.
    let mut out = match judge_validated(change, stored.as_ref(), seen, &validated) {
        Judgement::Accept { finalised } => {
            // A record becoming evidence: signed by its device with a key HQ holds, numbered from HQ's blocks.
            let mut evidence = None;
            if finalised {
                let checked = match evidence::check_signature(tx, change, user)? {
                    Ok(signed) => evidence::check_numbers(tx, user.bureau_id, &change.id, &change.record)?.map(|numbers| (signed, numbers)),
                    Err(refusal) => Err(refusal),
                };
                match checked {
                    Ok(ok) => evidence = Some(ok),
                    Err(refusal) => {
                        let mut out = result(ChangeStatus::Rejected, vec![], None, Some(refusal.code()));
                        out.message = Some(refusal.message());
                        return Ok(out);
                    }
                }
            }
            let seq = tx.int(
                "INSERT INTO changes (kind, id, revision, base_revision, sha256, body, device_id, received_at, bureau_id, visit_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING seq",
                &[
                    P::Text(kind_name(change.kind)),
                    id,
                    revision,
                    P::OptText(change.base_revision.as_deref()),
                    P::Text(&change.sha256),
                    P::Text(&validated.canonical),
                    P::Text(device_id),
                    P::Text(&received),
                    bureau,
                    P::Text(&visit_id),
                ],
            )?;
            let written = tx.exec(
                "INSERT INTO records (id, kind, revision, sha256, finalised, seq, bureau_id, visit_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, sha256 = excluded.sha256, finalised = excluded.finalised, seq = excluded.seq, visit_id = excluded.visit_id
                 WHERE records.bureau_id = excluded.bureau_id AND records.kind = excluded.kind",
                &[id, P::Text(kind_name(change.kind)), revision, P::Text(&change.sha256), P::Int(finalised as i64), P::Int(seq), bureau, P::Text(&visit_id)],
            )?;
            if written == 0 {
                // Another writer took this id (another bureau, another kind) since the push read it.
                tx.exec("DELETE FROM changes WHERE seq = ?1", &[P::Int(seq)])?;
                return Ok(result(ChangeStatus::Rejected, vec![], None, Some(Refusal::Forbidden.code())));
            }
            if let Some((signed, numbers)) = &evidence {
                evidence::take_numbers(tx, user.bureau_id, &change.id, numbers)?;
                evidence::append_to_chain(tx, user.bureau_id, &change.id, &change.sha256, signed, &received)?;
            }
            // Who is on the visit now (decides who may write and read it next), and what
            // it lists: rows replaced, the new ones written with the push's others at its end.
            if stored.is_some() {
                tx.exec("DELETE FROM record_officers WHERE record_id = ?1", &[id])?;
                tx.exec("DELETE FROM record_attachments WHERE record_id = ?1", &[id])?;
            }
            if change.kind == RecordKind::Visit {
                state.officers.insert(change.id.clone(), claims.officers.iter().cloned().collect());
            }
            state.listed.insert(change.id.clone(), listed.clone());
            let who = HeldRecord { kind: change.kind, bureau_id: user.bureau_id, officers: claims.officers.clone(), has_lab_result: claims.has_lab_result };
            state.records.insert(change.id.clone(), Held { stored: Stored { revision: change.revision.clone(), sha256: change.sha256.clone(), finalised }, who });
            result(ChangeStatus::Accepted, vec![], None, None)
        }
        Judgement::AlreadyApplied => result(ChangeStatus::AlreadyApplied, vec![], stored.map(|s| s.revision), None),
        Judgement::Conflict { current_revision } => {
            tx.exec(
                "INSERT INTO conflicts (id, revision, base_revision, current_revision, sha256, body, device_id, received_at, bureau_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                &[
                    id,
                    revision,
                    P::OptText(change.base_revision.as_deref()),
                    P::Text(&current_revision),
                    P::Text(&change.sha256),
                    P::Text(&validated.canonical),
                    P::Text(device_id),
                    P::Text(&received),
                    bureau,
                ],
            )?;
            result(ChangeStatus::Conflict, vec![], Some(current_revision), None)
        }
        Judgement::Reject { problems } => result(ChangeStatus::Rejected, problems, None, None),
    };
    // Tell the device which of the record's photos to send (also on a replay, so a retry learns it).
    if matches!(out.status, ChangeStatus::Accepted | ChangeStatus::AlreadyApplied) {
        out.missing_attachments = listed.into_iter().filter(|h| !state.attachments.contains(h)).collect();
    }
    Ok(out)
}
