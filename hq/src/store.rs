//! HQ's storage: a SQLite file (WAL, full sync) holding every accepted change
//! as a log (the pull cursor is its sequence number), the current revision of
//! each record, conflicting changes kept beside them, and the bureaus, their
//! accounts and login tokens. Each pushed change is authorised and judged on
//! its own, and a push's accepted changes are written in one transaction: a
//! crash leaves them all there or none — never part of a change — and the
//! device's retry completes it.

use std::path::Path;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde_json::Value;
use sha2::{Digest, Sha256};
use xuncha::sync::{judge_validated, Change, ChangeResult, ChangeStatus, Judgement, PulledChange, RecordKind, Stored, Validated};
use xuncha::time::Timestamp;

/// Schema migrations, applied in order; `PRAGMA user_version` says how many ran.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        revision TEXT NOT NULL,
        base_revision TEXT,
        sha256 TEXT NOT NULL,
        body TEXT NOT NULL,
        device_id TEXT NOT NULL,
        received_at TEXT NOT NULL,
        UNIQUE (id, revision)
    );
    CREATE TABLE records (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        revision TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        finalised INTEGER NOT NULL,
        seq INTEGER NOT NULL REFERENCES changes (seq)
    );
    CREATE TABLE conflicts (
        id TEXT NOT NULL,
        revision TEXT NOT NULL,
        base_revision TEXT,
        current_revision TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        body TEXT NOT NULL,
        device_id TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (id, revision)
    );",
    // Accounts, tokens, and the bureau and officers each change belongs to.
    "CREATE TABLE bureaus (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
    CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bureau_id INTEGER NOT NULL REFERENCES bureaus (id),
        login TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('officer', 'staff')),
        name TEXT NOT NULL DEFAULT '',
        certificate_no TEXT
    );
    CREATE TABLE tokens (
        token_sha256 TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        device_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE login_failures (login TEXT NOT NULL, at INTEGER NOT NULL);
    CREATE INDEX login_failures_by_login ON login_failures (login, at);
    ALTER TABLE changes ADD COLUMN bureau_id INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE changes ADD COLUMN visit_id TEXT NOT NULL DEFAULT '';
    ALTER TABLE changes ADD COLUMN officer_certs TEXT NOT NULL DEFAULT '';
    ALTER TABLE records ADD COLUMN bureau_id INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE conflicts ADD COLUMN bureau_id INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX changes_by_bureau ON changes (bureau_id, seq);",
];

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

pub struct Store {
    conn: Connection,
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

fn user_from_row(r: &rusqlite::Row) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        bureau_id: r.get(1)?,
        login: r.get(2)?,
        name: r.get(3)?,
        role: Role::parse(&r.get::<_, String>(4)?).unwrap_or(Role::Officer),
        certificate_no: r.get(5)?,
    })
}

impl Store {
    pub fn open(path: &Path) -> rusqlite::Result<Store> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Evidence: a commit is on disk before it is acknowledged.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> rusqlite::Result<()> {
        let done: usize = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    // ---- accounts ------------------------------------------------------------

    pub fn create_bureau(&self, name: &str) -> rusqlite::Result<i64> {
        self.conn.execute("INSERT INTO bureaus (name) VALUES (?1)", params![name])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn create_user(&self, bureau_id: i64, login: &str, password: &str, role: Role, name: &str, certificate_no: Option<&str>) -> Result<i64, String> {
        let salt = SaltString::generate(&mut OsRng);
        let hash = Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| e.to_string())?.to_string();
        self.conn
            .execute(
                "INSERT INTO users (bureau_id, login, password_hash, role, name, certificate_no) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![bureau_id, login, hash, role.as_str(), name, certificate_no],
            )
            .map_err(|e| e.to_string())?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Check a password and issue a token for one device. Too many recent
    /// failures for the account refuse the attempt without checking.
    pub fn login(&self, login: &str, password: &str, device_id: &str, now: i64, ttl_secs: i64) -> rusqlite::Result<LoginOutcome> {
        let failures: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM login_failures WHERE login = ?1 AND at > ?2",
            params![login, now - FAILED_LOGIN_WINDOW_SECS],
            |r| r.get(0),
        )?;
        if failures >= MAX_FAILED_LOGINS {
            return Ok(LoginOutcome::RateLimited);
        }
        let found: Option<(String, User)> = self
            .conn
            .query_row(
                "SELECT id, bureau_id, login, name, role, certificate_no, password_hash FROM users WHERE login = ?1",
                params![login],
                |r| Ok((r.get::<_, String>(6)?, user_from_row(r)?)),
            )
            .optional()?;
        let verified = found.as_ref().is_some_and(|(hash, _)| PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()));
        let Some((_, user)) = found.filter(|_| verified) else {
            self.conn.execute("INSERT INTO login_failures (login, at) VALUES (?1, ?2)", params![login, now])?;
            return Ok(LoginOutcome::BadCredentials);
        };
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let expires_at = now + ttl_secs;
        self.conn.execute(
            "INSERT INTO tokens (token_sha256, user_id, device_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![sha256_hex(&token), user.id, device_id, expires_at],
        )?;
        Ok(LoginOutcome::Ok { token, expires_at, user })
    }

    /// The account behind a live token (not expired, not revoked).
    pub fn authenticate(&self, token: &str, now: i64) -> rusqlite::Result<Option<User>> {
        self.conn
            .query_row(
                "SELECT u.id, u.bureau_id, u.login, u.name, u.role, u.certificate_no FROM tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.token_sha256 = ?1 AND t.revoked = 0 AND t.expires_at > ?2",
                params![sha256_hex(token), now],
                user_from_row,
            )
            .optional()
    }

    pub fn revoke(&self, token: &str) -> rusqlite::Result<()> {
        self.conn.execute("UPDATE tokens SET revoked = 1 WHERE token_sha256 = ?1", params![sha256_hex(token)])?;
        Ok(())
    }

    // ---- sync ----------------------------------------------------------------

    /// Authorise, judge and apply a push's changes in one transaction: each
    /// change is judged alone (seeing the ones before it) and a rejected one
    /// writes nothing; the accepted ones are committed together, so a crash
    /// leaves all of them or none — never part of a change — and one fsync
    /// serves the whole push.
    /// `validated[i]` is the content check of `changes[i]`, made before the lock.
    pub fn apply_all(&mut self, changes: &[Change], validated: Vec<Validated>, user: &User, device_id: &str, now: Timestamp) -> rusqlite::Result<Vec<ChangeResult>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let results = changes.iter().zip(validated).map(|(c, v)| apply_one(&tx, c, v, user, device_id, now)).collect::<rusqlite::Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(results)
    }

    /// Accepted changes after `after` that `user` may read, at most `limit`;
    /// and whether more wait. Staff read their bureau; an officer the visits
    /// they are on and those visits' follow-ups.
    pub fn pull(&self, user: &User, after: i64, limit: u32) -> rusqlite::Result<(Vec<PulledChange>, i64, bool)> {
        let cert = format!("%,{},%", user.certificate_no.as_deref().unwrap_or("\u{0}").trim());
        let sql = match user.role {
            Role::Staff => "SELECT seq, kind, id, revision, sha256, body FROM changes WHERE bureau_id = ?1 AND seq > ?2 AND ?3 = ?3 ORDER BY seq LIMIT ?4",
            Role::Officer => {
                "SELECT seq, kind, id, revision, sha256, body FROM changes WHERE bureau_id = ?1 AND seq > ?2
                 AND (officer_certs LIKE ?3 OR (kind = 'sampleFollowUp' AND visit_id IN (SELECT id FROM changes WHERE bureau_id = ?1 AND kind = 'visit' AND officer_certs LIKE ?3)))
                 ORDER BY seq LIMIT ?4"
            }
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params![user.bureau_id, after, cert, limit as i64 + 1], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?))
        })?;
        let mut last = after;
        let mut changes = Vec::new();
        let mut more = false;
        for row in rows {
            let (seq, kind, id, revision, sha256, body) = row?;
            if changes.len() == limit as usize {
                more = true;
                break;
            }
            last = seq;
            let record = serde_json::from_str(&body).unwrap_or(Value::Null);
            changes.push(PulledChange { kind: kind_of(&kind), id, revision, sha256, record });
        }
        Ok((changes, last, more))
    }

    /// The current revision of every record of a bureau: (visits, follow-ups), as stored.
    pub fn current_records(&self, bureau_id: i64) -> rusqlite::Result<(Vec<Value>, Vec<Value>)> {
        let mut stmt = self.conn.prepare_cached("SELECT r.kind, c.body FROM records r JOIN changes c ON c.seq = r.seq WHERE r.bureau_id = ?1 ORDER BY r.seq")?;
        let mut visits = Vec::new();
        let mut follow_ups = Vec::new();
        for row in stmt.query_map(params![bureau_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (kind, body) = row?;
            let value: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            if kind == "sampleFollowUp" {
                follow_ups.push(value);
            } else {
                visits.push(value);
            }
        }
        Ok((visits, follow_ups))
    }

    /// How many records, changes and conflicts a bureau holds.
    pub fn counts(&self, bureau_id: i64) -> rusqlite::Result<(i64, i64, i64)> {
        let one = |sql: &str| self.conn.query_row(sql, params![bureau_id], |r| r.get::<_, i64>(0));
        Ok((
            one("SELECT COUNT(*) FROM records WHERE bureau_id = ?1")?,
            one("SELECT COUNT(*) FROM changes WHERE bureau_id = ?1")?,
            one("SELECT COUNT(*) FROM conflicts WHERE bureau_id = ?1")?,
        ))
    }
}

/// Authorise, judge and apply one change inside `tx`; the answer for the device.
fn apply_one(tx: &rusqlite::Transaction, change: &Change, validated: Validated, user: &User, device_id: &str, now: Timestamp) -> rusqlite::Result<ChangeResult> {
    let result = |status, problems, current_revision, reason: Option<&str>| ChangeResult {
        id: change.id.clone(),
        revision: change.revision.clone(),
        status,
        problems,
        current_revision,
        reason: reason.map(str::to_string),
        message: None,
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
    // Nothing crosses bureaus: another bureau's record (or visit) cannot be touched.
    let foreign: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM records WHERE id IN (?1, ?2) AND bureau_id <> ?3)",
        params![change.id, visit_id, user.bureau_id],
        |r| r.get(0),
    )?;
    if foreign {
        return Ok(forbidden());
    }
    // A conflict already recorded is answered the same way (replay).
    let conflict: Option<String> = tx
        .query_row("SELECT current_revision FROM conflicts WHERE id = ?1 AND revision = ?2", params![change.id, change.revision], |r| r.get(0))
        .optional()?;
    if let Some(current) = conflict {
        return Ok(result(ChangeStatus::Conflict, vec![], Some(current), None));
    }
    let stored: Option<Stored> = tx
        .query_row("SELECT revision, sha256, finalised FROM records WHERE id = ?1", params![change.id], |r| {
            Ok(Stored { revision: r.get(0)?, sha256: r.get(1)?, finalised: r.get::<_, i64>(2)? != 0 })
        })
        .optional()?;
    let seen: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM changes WHERE id = ?1 AND revision = ?2)", params![change.id, change.revision], |r| r.get(0))?;
    let received = now.to_rfc3339();
    let out = match judge_validated(change, stored.as_ref(), seen, &validated) {
        Judgement::Accept { finalised } => {
            let body = &validated.canonical;
            tx.execute(
                "INSERT INTO changes (kind, id, revision, base_revision, sha256, body, device_id, received_at, bureau_id, visit_id, officer_certs)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![kind_name(change.kind), change.id, change.revision, change.base_revision, change.sha256, body, device_id, received, user.bureau_id, visit_id, certs],
            )?;
            let seq = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO records (id, kind, revision, sha256, finalised, seq, bureau_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, sha256 = excluded.sha256, finalised = excluded.finalised, seq = excluded.seq",
                params![change.id, kind_name(change.kind), change.revision, change.sha256, finalised as i64, seq, user.bureau_id],
            )?;
            result(ChangeStatus::Accepted, vec![], None, None)
        }
        Judgement::AlreadyApplied => result(ChangeStatus::AlreadyApplied, vec![], stored.map(|s| s.revision), None),
        Judgement::Conflict { current_revision } => {
            tx.execute(
                "INSERT INTO conflicts (id, revision, base_revision, current_revision, sha256, body, device_id, received_at, bureau_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![change.id, change.revision, change.base_revision, current_revision, change.sha256, validated.canonical, device_id, received, user.bureau_id],
            )?;
            result(ChangeStatus::Conflict, vec![], Some(current_revision), None)
        }
        Judgement::Reject { problems } => result(ChangeStatus::Rejected, problems, None, None),
    };
    Ok(out)
}
