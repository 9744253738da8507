//! HQ's storage, on a SQLite file (the embedded default) or PostgreSQL (the
//! scale-out path), with the same queries and the same logic: every accepted
//! change as a log (the pull cursor is its sequence number), the current
//! revision of each record, conflicting changes kept beside them, photos and
//! signatures by content hash, published rulebooks, and the bureaus, their
//! accounts and login tokens. Each pushed change is authorised and judged on
//! its own, and a push's accepted changes are written in one transaction: a
//! crash leaves them all there or none — never part of a change — and the
//! device's retry completes it.

mod postgres;
mod sql;
mod sqlite;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde_json::Value;
use sha2::{Digest, Sha256};
use xuncha::sync::{judge_validated, Change, ChangeResult, ChangeStatus, Judgement, PulledChange, RecordKind, Stored, Validated};
use xuncha::time::Timestamp;

use sql::{Sql, P, R, V};
pub use sql::StoreError;

/// Failed logins allowed per account within the window before further tries are refused.
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const FAILED_LOGIN_WINDOW_SECS: i64 = 15 * 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Officer,
    Staff,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "officer" => Some(Role::Officer),
            "staff" => Some(Role::Staff),
            _ => None,
        }
    }
    fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Staff => "staff",
        }
    }
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub bureau_id: i64,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub certificate_no: Option<String>,
}

pub enum LoginOutcome {
    Ok { token: String, expires_at: i64, user: User },
    BadCredentials,
    RateLimited,
}

/// Where HQ keeps its data.
pub enum Store {
    Sqlite(sqlite::Db),
    Postgres(postgres::Db),
}

/// A stored photo or signature image.
pub struct AttachmentBytes {
    pub media_type: String,
    pub data: Vec<u8>,
}

/// A record that lists an attachment HQ does not hold yet.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingAttachment {
    pub record_id: String,
    pub sha256: String,
}

fn kind_name(k: RecordKind) -> &'static str {
    match k {
        RecordKind::Visit => "visit",
        RecordKind::SampleFollowUp => "sampleFollowUp",
    }
}

fn kind_of(s: &str) -> RecordKind {
    if s == "sampleFollowUp" {
        RecordKind::SampleFollowUp
    } else {
        RecordKind::Visit
    }
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// ",cert1,cert2," — the certificates of a visit's officers, for filtering with LIKE.
fn officer_certs(record: &Value) -> String {
    let mut out = String::from(",");
    for o in record.get("officers").and_then(Value::as_array).into_iter().flatten() {
        if let Some(c) = o.get("certificateNo").and_then(Value::as_str) {
            out.push_str(c.trim());
            out.push(',');
        }
    }
    out
}

/// The LIKE pattern matching visits an officer is on (none for an account without a certificate).
fn cert_pattern(user: &User) -> String {
    format!("%,{},%", user.certificate_no.as_deref().map(str::trim).filter(|c| !c.is_empty()).unwrap_or("\u{0}"))
}

const USER_COLUMNS: &str = "u.id, u.bureau_id, u.login, u.name, u.role, u.certificate_no";

fn user_from_row(r: Vec<V>) -> User {
    let mut it = r.into_iter();
    let mut next = || it.next().unwrap_or(V::Null);
    User {
        id: next().int(),
        bureau_id: next().int(),
        login: next().text(),
        name: next().text(),
        role: Role::parse(&next().text()).unwrap_or(Role::Officer),
        certificate_no: next().opt_text(),
    }
}

impl Store {
    /// The embedded default: `xuncha.sqlite` in the data directory.
    pub fn open_sqlite(path: &Path) -> R<Store> {
        Ok(Store::Sqlite(sqlite::Db::open(path)?))
    }

    /// PostgreSQL at `url` (`postgres://user:pass@host:port/db`).
    pub fn connect_postgres(url: &str, pool_size: u32) -> R<Store> {
        Ok(Store::Postgres(postgres::Db::connect(url, pool_size)?))
    }

    fn read<T>(&self, f: impl FnOnce(&mut dyn Sql) -> R<T>) -> R<T> {
        match self {
            Store::Sqlite(db) => db.transaction(false, f),
            Store::Postgres(db) => db.transaction(None, f),
        }
    }

    /// A writing transaction; `bureau` orders it with that bureau's other writers.
    fn write<T>(&self, bureau: Option<i64>, f: impl FnOnce(&mut dyn Sql) -> R<T>) -> R<T> {
        match self {
            Store::Sqlite(db) => db.transaction(true, f),
            Store::Postgres(db) => db.transaction(bureau, f),
        }
    }

    // ---- accounts ------------------------------------------------------------

    pub fn create_bureau(&self, name: &str) -> R<i64> {
        self.write(None, |tx| tx.int("INSERT INTO bureaus (name) VALUES (?1) RETURNING id", &[P::Text(name)]))
    }

    pub fn create_user(&self, bureau_id: i64, login: &str, password: &str, role: Role, name: &str, certificate_no: Option<&str>) -> R<i64> {
        let salt = SaltString::generate(&mut OsRng);
        let hash = Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| StoreError(e.to_string()))?.to_string();
        self.write(None, |tx| {
            tx.int(
                "INSERT INTO users (bureau_id, login, password_hash, role, name, certificate_no) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                &[P::Int(bureau_id), P::Text(login), P::Text(&hash), P::Text(role.as_str()), P::Text(name), P::OptText(certificate_no)],
            )
        })
    }

    /// Check a password and issue a token for one device. Too many recent
    /// failures for the account refuse the attempt without checking.
    pub fn login(&self, login: &str, password: &str, device_id: &str, now: i64, ttl_secs: i64) -> R<LoginOutcome> {
        let failures = self.read(|tx| tx.int("SELECT COUNT(*) FROM login_failures WHERE login = ?1 AND at > ?2", &[P::Text(login), P::Int(now - FAILED_LOGIN_WINDOW_SECS)]))?;
        if failures >= MAX_FAILED_LOGINS {
            return Ok(LoginOutcome::RateLimited);
        }
        let found = self.read(|tx| {
            let sql = format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.login = ?1");
            Ok(tx.row(&sql, &[P::Text(login)])?.map(|mut r| {
                let hash = r.pop().map(V::text).unwrap_or_default();
                (hash, user_from_row(r))
            }))
        })?;
        // Argon2 takes a while on purpose: not inside a transaction.
        let verified = found.as_ref().is_some_and(|(hash, _)| PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()));
        let Some((_, user)) = found.filter(|_| verified) else {
            self.write(None, |tx| tx.exec("INSERT INTO login_failures (login, at) VALUES (?1, ?2)", &[P::Text(login), P::Int(now)]))?;
            return Ok(LoginOutcome::BadCredentials);
        };
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let expires_at = now + ttl_secs;
        self.write(None, |tx| {
            tx.exec(
                "INSERT INTO tokens (token_sha256, user_id, device_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
                &[P::Text(&sha256_hex(&token)), P::Int(user.id), P::Text(device_id), P::Int(expires_at)],
            )
        })?;
        Ok(LoginOutcome::Ok { token, expires_at, user })
    }

    /// The account behind a live token (not expired, not revoked).
    pub fn authenticate(&self, token: &str, now: i64) -> R<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_sha256 = ?1 AND t.revoked = 0 AND t.expires_at > ?2");
        self.read(|tx| Ok(tx.row(&sql, &[P::Text(&sha256_hex(token)), P::Int(now)])?.map(user_from_row)))
    }

    pub fn revoke(&self, token: &str) -> R<()> {
        self.write(None, |tx| tx.exec("UPDATE tokens SET revoked = 1 WHERE token_sha256 = ?1", &[P::Text(&sha256_hex(token))]))?;
        Ok(())
    }

    // ---- sync ----------------------------------------------------------------

    /// Authorise, judge and apply a push's changes in one transaction: each
    /// change is judged alone (seeing the ones before it) and a rejected one
    /// writes nothing; the accepted ones are committed together, so a crash
    /// leaves all of them or none — never part of a change — and one fsync
    /// serves the whole push.
    /// `validated[i]` is the content check of `changes[i]`, made before the lock.
    pub fn apply_all(&self, changes: &[Change], validated: Vec<Validated>, user: &User, device_id: &str, now: Timestamp) -> R<Vec<ChangeResult>> {
        self.write(Some(user.bureau_id), |tx| {
            let mut held = Held::read(tx, changes, user.bureau_id)?;
            changes.iter().zip(validated).map(|(c, v)| apply_one(tx, &mut held, c, v, user, device_id, now)).collect()
        })
    }

    /// The records changed after `after` that `user` may read, each at its
    /// current revision (a device needs the state, not every step to it: an
    /// older revision of a record it has moved past never comes back to
    /// overwrite it), in log order, at most `limit`; and whether more wait.
    /// The cursor is the log position of the last one: a record changed again
    /// moves past the cursor and comes again. Staff read their bureau; an
    /// officer the visits they are on and those visits' follow-ups.
    pub fn pull(&self, user: &User, after: i64, limit: u32) -> R<(Vec<PulledChange>, i64, bool)> {
        let cert = cert_pattern(user);
        let current = "SELECT c.seq, c.kind, c.id, c.revision, c.sha256, c.body FROM records r JOIN changes c ON c.seq = r.seq WHERE r.bureau_id = ?1 AND r.seq > ?2";
        let rows = self.read(|tx| match user.role {
            Role::Staff => tx.rows(&format!("{current} ORDER BY r.seq LIMIT ?3"), &[P::Int(user.bureau_id), P::Int(after), P::Int(limit as i64 + 1)]),
            Role::Officer => tx.rows(
                &format!(
                    "{current} AND (c.officer_certs LIKE ?3 OR (c.kind = 'sampleFollowUp' AND c.visit_id IN (SELECT id FROM changes WHERE bureau_id = ?1 AND kind = 'visit' AND officer_certs LIKE ?3)))
                     ORDER BY r.seq LIMIT ?4"
                ),
                &[P::Int(user.bureau_id), P::Int(after), P::Text(&cert), P::Int(limit as i64 + 1)],
            ),
        })?;
        let more = rows.len() > limit as usize;
        let mut last = after;
        let mut changes = Vec::with_capacity(rows.len().min(limit as usize));
        for row in rows.into_iter().take(limit as usize) {
            let mut it = row.into_iter();
            let mut next = || it.next().unwrap_or(V::Null);
            last = next().int();
            let kind = kind_of(&next().text());
            let (id, revision, sha256) = (next().text(), next().text(), next().text());
            let record = serde_json::from_str(&next().text()).unwrap_or(Value::Null);
            changes.push(PulledChange { kind, id, revision, sha256, record });
        }
        Ok((changes, last, more))
    }

    /// The current revision of every record of a bureau: (visits, follow-ups), as stored.
    pub fn current_records(&self, bureau_id: i64) -> R<(Vec<Value>, Vec<Value>)> {
        let rows = self.read(|tx| tx.rows("SELECT r.kind, c.body FROM records r JOIN changes c ON c.seq = r.seq WHERE r.bureau_id = ?1 ORDER BY r.seq", &[P::Int(bureau_id)]))?;
        let mut visits = Vec::new();
        let mut follow_ups = Vec::new();
        for row in rows {
            let mut it = row.into_iter();
            let kind = it.next().map(V::text).unwrap_or_default();
            let value: Value = serde_json::from_str(&it.next().map(V::text).unwrap_or_default()).unwrap_or(Value::Null);
            if kind == "sampleFollowUp" {
                follow_ups.push(value);
            } else {
                visits.push(value);
            }
        }
        Ok((visits, follow_ups))
    }

    /// The current revision of one record of a bureau.
    pub fn current_revision(&self, bureau_id: i64, id: &str) -> R<Option<String>> {
        self.read(|tx| Ok(tx.row("SELECT revision FROM records WHERE id = ?1 AND bureau_id = ?2", &[P::Text(id), P::Int(bureau_id)])?.and_then(|r| r.into_iter().next()).map(V::text)))
    }

    /// Every revision HQ accepted of one record of a bureau, oldest first, and
    /// the conflicting versions kept beside them (the record's audit trail).
    pub fn record_history(&self, bureau_id: i64, id: &str) -> R<(Vec<Value>, Vec<Value>)> {
        let (accepted, conflicting) = self.read(|tx| {
            let args = [P::Text(id), P::Int(bureau_id)];
            Ok((
                tx.rows("SELECT revision, base_revision, sha256, device_id, received_at, body FROM changes WHERE id = ?1 AND bureau_id = ?2 ORDER BY seq", &args)?,
                tx.rows("SELECT revision, base_revision, sha256, device_id, received_at, body, current_revision FROM conflicts WHERE id = ?1 AND bureau_id = ?2 ORDER BY received_at, revision", &args)?,
            ))
        })?;
        let entry = |row: Vec<V>| {
            let mut it = row.into_iter();
            let mut next = || it.next().unwrap_or(V::Null);
            let (revision, base, sha256, device, at) = (next().text(), next().opt_text(), next().text(), next().text(), next().text());
            let record: Value = serde_json::from_str(&next().text()).unwrap_or(Value::Null);
            let mut out = serde_json::json!({ "revision": revision, "baseRevision": base, "sha256": sha256, "deviceId": device, "receivedAt": at, "record": record });
            if let V::Text(current) = next() {
                out["currentRevision"] = Value::String(current);
            }
            out
        };
        Ok((accepted.into_iter().map(entry).collect(), conflicting.into_iter().map(entry).collect()))
    }

    /// How many records, changes and conflicts a bureau holds.
    pub fn counts(&self, bureau_id: i64) -> R<(i64, i64, i64)> {
        self.read(|tx| {
            let b = [P::Int(bureau_id)];
            Ok((
                tx.int("SELECT COUNT(*) FROM records WHERE bureau_id = ?1", &b)?,
                tx.int("SELECT COUNT(*) FROM changes WHERE bureau_id = ?1", &b)?,
                tx.int("SELECT COUNT(*) FROM conflicts WHERE bureau_id = ?1", &b)?,
            ))
        })
    }

    // ---- attachments ---------------------------------------------------------

    /// Keep an attachment's bytes (the caller checked the hash and size);
    /// false when the bureau held it already (an upload is idempotent).
    pub fn put_attachment(&self, user: &User, sha256: &str, media_type: &str, data: &[u8], now: Timestamp) -> R<bool> {
        self.write(Some(user.bureau_id), |tx| {
            let n = tx.exec(
                "INSERT INTO attachments (bureau_id, sha256, media_type, size_bytes, data, uploaded_by, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (bureau_id, sha256) DO NOTHING",
                &[P::Int(user.bureau_id), P::Text(sha256), P::Text(media_type), P::Int(data.len() as i64), P::Bytes(data), P::Int(user.id), P::Text(&now.to_rfc3339())],
            )?;
            Ok(n > 0)
        })
    }

    /// An attachment of the bureau.
    pub fn attachment(&self, bureau_id: i64, sha256: &str) -> R<Option<AttachmentBytes>> {
        self.read(|tx| {
            Ok(tx.row("SELECT media_type, data FROM attachments WHERE bureau_id = ?1 AND sha256 = ?2", &[P::Int(bureau_id), P::Text(sha256)])?.map(|r| {
                let mut it = r.into_iter();
                AttachmentBytes { media_type: it.next().map(V::text).unwrap_or_default(), data: it.next().map(V::bytes).unwrap_or_default() }
            }))
        })
    }

    /// Attachments that current records list and HQ does not hold: the
    /// bureau's for staff, an officer's own visits' for an officer.
    pub fn missing_attachments(&self, user: &User) -> R<Vec<MissingAttachment>> {
        let cert = cert_pattern(user);
        let rows = self.read(|tx| {
            let base = "SELECT ra.record_id, ra.sha256 FROM record_attachments ra
                 LEFT JOIN attachments a ON a.bureau_id = ra.bureau_id AND a.sha256 = ra.sha256";
            match user.role {
                Role::Staff => tx.rows(&format!("{base} WHERE ra.bureau_id = ?1 AND a.sha256 IS NULL ORDER BY ra.record_id, ra.sha256"), &[P::Int(user.bureau_id)]),
                Role::Officer => tx.rows(
                    &format!(
                        "{base} JOIN records r ON r.id = ra.record_id JOIN changes c ON c.seq = r.seq
                         WHERE ra.bureau_id = ?1 AND a.sha256 IS NULL AND c.officer_certs LIKE ?2 ORDER BY ra.record_id, ra.sha256"
                    ),
                    &[P::Int(user.bureau_id), P::Text(&cert)],
                ),
            }
        })?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let mut it = r.into_iter();
                MissingAttachment { record_id: it.next().map(V::text).unwrap_or_default(), sha256: it.next().map(V::text).unwrap_or_default() }
            })
            .collect())
    }

    // ---- rulebooks -----------------------------------------------------------

    /// Publish a rulebook (already checked whole by the core): devices get it on their next pull.
    pub fn publish_rulebook(&self, version: &str, body: &str, now: Timestamp) -> R<()> {
        self.write(None, |tx| {
            tx.exec("INSERT INTO rulebooks (version, body, published_at) VALUES (?1, ?2, ?3)", &[P::Text(version), P::Text(body), P::Text(&now.to_rfc3339())])
        })?;
        Ok(())
    }

    /// The rulebook published last: (version, file).
    pub fn latest_rulebook(&self) -> R<Option<(String, String)>> {
        self.read(|tx| {
            Ok(tx.row("SELECT version, body FROM rulebooks ORDER BY seq DESC LIMIT 1", &[])?.map(|r| {
                let mut it = r.into_iter();
                (it.next().map(V::text).unwrap_or_default(), it.next().map(V::text).unwrap_or_default())
            }))
        })
    }

    /// The rulebook published last, unless it is `known` (what a device runs):
    /// the file is read only when it has to travel.
    pub fn rulebook_unless(&self, known: Option<&str>) -> R<Option<String>> {
        self.read(|tx| {
            let Some(latest) = tx.row("SELECT version FROM rulebooks ORDER BY seq DESC LIMIT 1", &[])?.and_then(|r| r.into_iter().next()).map(V::text) else {
                return Ok(None);
            };
            if known == Some(latest.as_str()) {
                return Ok(None);
            }
            Ok(tx.row("SELECT body FROM rulebooks WHERE version = ?1", &[P::Text(&latest)])?.and_then(|r| r.into_iter().next()).map(V::text))
        })
    }
}

/// What a push's judging needs to know, read once per push instead of once per
/// change (a round trip each on PostgreSQL): the records it touches, with their
/// bureau, kept current as its changes are applied; and which of the
/// attachments they list HQ already holds.
struct Held {
    records: HashMap<String, (Stored, i64)>,
    attachments: HashSet<String>,
}

/// Keys per `IN (…)` query (SQLite allows 32,766 parameters; this stays far below).
const KEYS_PER_QUERY: usize = 200;

impl Held {
    fn read(tx: &mut dyn Sql, changes: &[Change], bureau_id: i64) -> R<Held> {
        let ids: Vec<&str> = unique(changes.iter().map(|c| c.id.as_str()));
        let mut records = HashMap::with_capacity(ids.len());
        for row in rows_for_keys(tx, "SELECT id, revision, sha256, finalised, bureau_id FROM records WHERE", &[], "id", &ids)? {
            let mut it = row.into_iter();
            let mut next = || it.next().unwrap_or(V::Null);
            let id = next().text();
            let stored = Stored { revision: next().text(), sha256: next().text(), finalised: next().int() != 0 };
            records.insert(id, (stored, next().int()));
        }
        let listed: Vec<String> = changes.iter().flat_map(|c| xuncha::sync::listed_attachments(&c.record)).collect();
        let listed = unique(listed.iter().map(String::as_str));
        let attachments = rows_for_keys(tx, "SELECT sha256 FROM attachments WHERE bureau_id = ?1 AND", &[P::Int(bureau_id)], "sha256", &listed)?
            .into_iter()
            .filter_map(|r| r.into_iter().next().map(V::text))
            .collect();
        Ok(Held { records, attachments })
    }
}

fn unique<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    keys.filter(|k| seen.insert(*k)).collect()
}

/// `{select} {column} IN (…keys)`, a chunk of keys at a time, after the `fixed` parameters.
fn rows_for_keys(tx: &mut dyn Sql, select: &str, fixed: &[P], column: &str, keys: &[&str]) -> R<Vec<Vec<V>>> {
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

/// Authorise, judge and apply one change inside `tx`; the answer for the device.
fn apply_one(tx: &mut dyn Sql, held: &mut Held, change: &Change, validated: Validated, user: &User, device_id: &str, now: Timestamp) -> R<ChangeResult> {
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
    let forbidden = || result(ChangeStatus::Rejected, vec![], None, Some("FORBIDDEN"));
    // Who may write what: officers the visits they are on; staff the follow-ups.
    let certs = officer_certs(&change.record);
    let visit_id = match change.kind {
        RecordKind::Visit => {
            let mine = user.role == Role::Officer && user.certificate_no.as_deref().is_some_and(|c| !c.trim().is_empty() && certs.contains(&format!(",{},", c.trim())));
            if !mine {
                return Ok(forbidden());
            }
            change.id.clone()
        }
        RecordKind::SampleFollowUp => {
            if user.role != Role::Staff {
                return Ok(forbidden());
            }
            change.record.get("visitId").and_then(Value::as_str).unwrap_or("").to_string()
        }
    };
    let id = P::Text(&change.id);
    let revision = P::Text(&change.revision);
    let bureau = P::Int(user.bureau_id);
    // What HQ holds of the record, and whose it is: nothing crosses bureaus, so
    // another bureau's record (or, for a follow-up, visit) cannot be touched.
    let record = held.records.get(&change.id).cloned();
    if record.as_ref().is_some_and(|(_, b)| *b != user.bureau_id)
        || (visit_id != change.id && tx.int("SELECT COUNT(*) FROM records WHERE id = ?1 AND bureau_id <> ?2", &[P::Text(&visit_id), bureau])? > 0)
    {
        return Ok(forbidden());
    }
    let stored = record.map(|(s, _)| s);
    // Was this revision ever stored? Only a record HQ holds has revisions, and its
    // current one answers for itself: the log is read only for an older one.
    let seen = match &stored {
        Some(s) if s.revision != change.revision => tx.int("SELECT COUNT(*) FROM changes WHERE id = ?1 AND revision = ?2", &[id, revision])? > 0,
        _ => false,
    };
    // A conflict recorded before is answered as then (a replay), whatever came since.
    // A record HQ does not hold yet has none.
    if stored.as_ref().is_some_and(|s| s.revision != change.revision) && !seen {
        if let Some(r) = tx.row("SELECT current_revision FROM conflicts WHERE id = ?1 AND revision = ?2", &[id, revision])? {
            return Ok(result(ChangeStatus::Conflict, vec![], r.into_iter().next().and_then(V::opt_text), None));
        }
    }
    let received = now.to_rfc3339();
    let listed = xuncha::sync::listed_attachments(&change.record);
    let mut out = match judge_validated(change, stored.as_ref(), seen, &validated) {
        Judgement::Accept { finalised } => {
            let seq = tx.int(
                "INSERT INTO changes (kind, id, revision, base_revision, sha256, body, device_id, received_at, bureau_id, visit_id, officer_certs)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING seq",
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
                    P::Text(&certs),
                ],
            )?;
            let written = tx.exec(
                "INSERT INTO records (id, kind, revision, sha256, finalised, seq, bureau_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, sha256 = excluded.sha256, finalised = excluded.finalised, seq = excluded.seq
                 WHERE records.bureau_id = excluded.bureau_id",
                &[id, P::Text(kind_name(change.kind)), revision, P::Text(&change.sha256), P::Int(finalised as i64), P::Int(seq), bureau],
            )?;
            if written == 0 {
                // Another bureau's writer took this id since the push read it: not ours to change.
                tx.exec("DELETE FROM changes WHERE seq = ?1", &[P::Int(seq)])?;
                return Ok(forbidden());
            }
            held.records.insert(change.id.clone(), (Stored { revision: change.revision.clone(), sha256: change.sha256.clone(), finalised }, user.bureau_id));
            // What the record lists now: a later revision may list other photos.
            if stored.is_some() {
                tx.exec("DELETE FROM record_attachments WHERE record_id = ?1", &[id])?;
            }
            for h in &listed {
                tx.exec("INSERT INTO record_attachments (bureau_id, record_id, sha256) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", &[bureau, id, P::Text(h)])?;
            }
            result(ChangeStatus::Accepted, vec![], None, None)
        }
        Judgement::AlreadyApplied => result(ChangeStatus::AlreadyApplied, vec![], stored.map(|s| s.revision), None),
        Judgement::Conflict { current_revision } => {
            tx.exec(
                "INSERT INTO conflicts (id, revision, base_revision, current_revision, sha256, body, device_id, received_at, bureau_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                &[id, revision, P::OptText(change.base_revision.as_deref()), P::Text(&current_revision), P::Text(&change.sha256), P::Text(&validated.canonical), P::Text(device_id), P::Text(&received), bureau],
            )?;
            result(ChangeStatus::Conflict, vec![], Some(current_revision), None)
        }
        Judgement::Reject { problems } => result(ChangeStatus::Rejected, problems, None, None),
    };
    // Tell the device which of the record's photos to send (also on a replay, so a retry learns it).
    if matches!(out.status, ChangeStatus::Accepted | ChangeStatus::AlreadyApplied) {
        out.missing_attachments = listed.into_iter().filter(|h| !held.attachments.contains(h)).collect();
    }
    Ok(out)
}
