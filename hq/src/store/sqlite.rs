//! The embedded default: one SQLite file (WAL, full sync) in the data directory,
//! one connection behind a mutex — SQLite has one writer at a time anyway.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ToSql, TransactionBehavior};

use super::sql::{Sql, P, R, V};

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
    // Photos and signatures by content hash, which records list which, and published rulebooks.
    "CREATE TABLE attachments (
        bureau_id INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        media_type TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        data BLOB NOT NULL,
        uploaded_by INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (bureau_id, sha256)
    );
    CREATE TABLE record_attachments (
        bureau_id INTEGER NOT NULL,
        record_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (record_id, sha256)
    );
    CREATE INDEX record_attachments_by_bureau ON record_attachments (bureau_id, sha256);
    CREATE TABLE rulebooks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        version TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL,
        published_at TEXT NOT NULL
    );",
    // A pull reads each record's current revision in log order.
    "CREATE INDEX records_by_bureau ON records (bureau_id, seq);",
];

pub struct Db {
    conn: Mutex<Connection>,
}

impl Db {
    pub fn open(path: &Path) -> R<Db> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Evidence: a commit is on disk before it is acknowledged.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
        }
        Ok(Db { conn: Mutex::new(conn) })
    }

    /// Run `f` in one transaction (a writing one takes SQLite's write lock at once).
    pub fn transaction<T>(&self, write: bool, f: impl FnOnce(&mut dyn Sql) -> R<T>) -> R<T> {
        let mut conn = self.conn.lock().map_err(|_| super::sql::StoreError("the database connection was poisoned by a crash".into()))?;
        let tx = conn.transaction_with_behavior(if write { TransactionBehavior::Immediate } else { TransactionBehavior::Deferred })?;
        let mut t = Tx(&tx);
        let out = f(&mut t)?;
        tx.commit()?;
        Ok(out)
    }
}

struct Tx<'a>(&'a rusqlite::Transaction<'a>);

impl ToSql for P<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            P::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(i)),
            P::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            P::OptText(None) => ToSqlOutput::Borrowed(ValueRef::Null),
            P::OptText(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            P::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

impl Sql for Tx<'_> {
    fn exec(&mut self, sql: &str, params: &[P]) -> R<u64> {
        let mut stmt = self.0.prepare_cached(sql)?;
        Ok(stmt.execute(rusqlite::params_from_iter(params.iter()))? as u64)
    }

    fn rows(&mut self, sql: &str, params: &[P]) -> R<Vec<Vec<V>>> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(n);
            for i in 0..n {
                values.push(match row.get_ref(i)? {
                    ValueRef::Null => V::Null,
                    ValueRef::Integer(i) => V::Int(i),
                    ValueRef::Real(f) => V::Int(f as i64),
                    ValueRef::Text(t) => V::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => V::Bytes(b.to_vec()),
                });
            }
            out.push(values);
        }
        Ok(out)
    }
}
