//! The embedded default: one SQLite file (WAL, full sync) in the data directory,
//! one connection behind a mutex — SQLite has one writer at a time anyway.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ToSql, TransactionBehavior};

use super::sql::{Sql, P, R, V};

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
        // The schema's migrations (shared with PostgreSQL); `user_version` counts those that ran.
        let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if done < super::schema::MIGRATIONS.len() {
            let tx = conn.transaction()?;
            let now = super::schema::migrate(&mut Tx(&tx), done, false)?;
            tx.pragma_update(None, "user_version", now)?;
            tx.commit()?;
        }
        Ok(Db { conn: Mutex::new(conn) })
    }

    /// Run `f` in one transaction (a writing one takes SQLite's write lock at once).
    pub fn transaction<T>(&self, write: bool, f: impl FnOnce(&mut dyn Sql) -> R<T>) -> R<T> {
        let mut conn = self.conn.lock().map_err(|_| super::sql::StoreError::unavailable("the database connection was poisoned by a crash"))?;
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

    fn batch(&mut self, sql: &str) -> R<()> {
        Ok(self.0.execute_batch(sql)?)
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
                    ValueRef::Real(f) => V::Real(f),
                    ValueRef::Text(t) => V::Text(String::from_utf8(t.to_vec()).map_err(|e| super::sql::StoreError::corrupt(format!("text that is not UTF-8: {e}")))?),
                    ValueRef::Blob(b) => V::Bytes(b.to_vec()),
                });
            }
            out.push(values);
        }
        Ok(out)
    }
}
