//! HQ's storage: a SQLite file (WAL, full sync) holding every accepted change
//! as a log (the pull cursor is its sequence number), the current revision of
//! each record, and conflicting changes kept beside them. Each pushed change
//! is judged and written in one transaction: a crash leaves it wholly there
//! or wholly absent, and the device's retry completes it.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use xuncha::sync::{judge, Change, ChangeResult, ChangeStatus, Judgement, PulledChange, RecordKind, Stored};
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
];

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

    /// Judge and apply one change, atomically; the answer for the device.
    pub fn apply(&mut self, change: &Change, device_id: &str, now: Timestamp) -> rusqlite::Result<ChangeResult> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let result = |status, problems, current_revision| ChangeResult {
            id: change.id.clone(),
            revision: change.revision.clone(),
            status,
            problems,
            current_revision,
            message: None,
        };
        // A conflict already recorded is answered the same way (replay).
        let conflict: Option<String> = tx
            .query_row("SELECT current_revision FROM conflicts WHERE id = ?1 AND revision = ?2", params![change.id, change.revision], |r| r.get(0))
            .optional()?;
        if let Some(current) = conflict {
            tx.commit()?;
            return Ok(result(ChangeStatus::Conflict, vec![], Some(current)));
        }
        let stored: Option<Stored> = tx
            .query_row("SELECT revision, sha256, finalised FROM records WHERE id = ?1", params![change.id], |r| {
                Ok(Stored { revision: r.get(0)?, sha256: r.get(1)?, finalised: r.get::<_, i64>(2)? != 0 })
            })
            .optional()?;
        let seen: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM changes WHERE id = ?1 AND revision = ?2)", params![change.id, change.revision], |r| r.get(0))?;
        let received = now.to_rfc3339();
        let out = match judge(change, stored.as_ref(), seen, now) {
            Judgement::Accept { finalised } => {
                let body = xuncha::sync::canonical_json(&change.record);
                tx.execute(
                    "INSERT INTO changes (kind, id, revision, base_revision, sha256, body, device_id, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![kind_name(change.kind), change.id, change.revision, change.base_revision, change.sha256, body, device_id, received],
                )?;
                let seq = tx.last_insert_rowid();
                tx.execute(
                    "INSERT INTO records (id, kind, revision, sha256, finalised, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, sha256 = excluded.sha256, finalised = excluded.finalised, seq = excluded.seq",
                    params![change.id, kind_name(change.kind), change.revision, change.sha256, finalised as i64, seq],
                )?;
                result(ChangeStatus::Accepted, vec![], None)
            }
            Judgement::AlreadyApplied => result(ChangeStatus::AlreadyApplied, vec![], stored.map(|s| s.revision)),
            Judgement::Conflict { current_revision } => {
                tx.execute(
                    "INSERT INTO conflicts (id, revision, base_revision, current_revision, sha256, body, device_id, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![change.id, change.revision, change.base_revision, current_revision, change.sha256, xuncha::sync::canonical_json(&change.record), device_id, received],
                )?;
                result(ChangeStatus::Conflict, vec![], Some(current_revision))
            }
            Judgement::Reject { problems } => result(ChangeStatus::Rejected, problems, None),
        };
        tx.commit()?;
        Ok(out)
    }

    /// Accepted changes after `after` (a sequence number), at most `limit`; and whether more wait.
    pub fn pull(&self, after: i64, limit: u32) -> rusqlite::Result<(Vec<PulledChange>, i64, bool)> {
        let mut stmt = self.conn.prepare_cached("SELECT seq, kind, id, revision, sha256, body FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let mut last = after;
        let rows = stmt.query_map(params![after, limit as i64 + 1], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?))
        })?;
        let mut changes = Vec::new();
        let mut more = false;
        for row in rows {
            let (seq, kind, id, revision, sha256, body) = row?;
            if changes.len() == limit as usize {
                more = true;
                break;
            }
            last = seq;
            let record = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
            changes.push(PulledChange { kind: kind_of(&kind), id, revision, sha256, record });
        }
        Ok((changes, last, more))
    }

    /// How many records and changes are held (for health and tests).
    pub fn counts(&self) -> rusqlite::Result<(i64, i64, i64)> {
        let one = |sql: &str| self.conn.query_row(sql, [], |r| r.get::<_, i64>(0));
        Ok((one("SELECT COUNT(*) FROM records")?, one("SELECT COUNT(*) FROM changes")?, one("SELECT COUNT(*) FROM conflicts")?))
    }
}
