//! The scale-out path: several stateless HQ processes, one PostgreSQL. Each
//! process keeps a small pool of connections (each with the statements it
//! has prepared); no record lives in it.
//!
//! The pull cursor is a change's sequence number, so sequence order must be
//! commit order for anyone reading: a writing transaction takes its bureau's
//! advisory lock first, which serialises each bureau's writers (pulls read
//! one bureau) while bureaus write side by side.

use std::collections::HashMap;

use postgres::types::{ToSql, Type};
use postgres::{NoTls, Statement};

use super::sql::{dollar_parameters, Sql, StoreError, P, R, V};

const MIGRATIONS: &[&str] = &[
    "CREATE TABLE changes (
        seq BIGSERIAL PRIMARY KEY,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        revision TEXT NOT NULL,
        base_revision TEXT,
        sha256 TEXT NOT NULL,
        body TEXT NOT NULL,
        device_id TEXT NOT NULL,
        received_at TEXT NOT NULL,
        bureau_id BIGINT NOT NULL,
        visit_id TEXT NOT NULL DEFAULT '',
        officer_certs TEXT NOT NULL DEFAULT '',
        UNIQUE (id, revision)
    );
    CREATE INDEX changes_by_bureau ON changes (bureau_id, seq);
    CREATE TABLE records (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        revision TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        finalised BIGINT NOT NULL,
        seq BIGINT NOT NULL REFERENCES changes (seq),
        bureau_id BIGINT NOT NULL
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
        bureau_id BIGINT NOT NULL,
        PRIMARY KEY (id, revision)
    );
    CREATE TABLE bureaus (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE users (
        id BIGSERIAL PRIMARY KEY,
        bureau_id BIGINT NOT NULL REFERENCES bureaus (id),
        login TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('officer', 'staff')),
        name TEXT NOT NULL DEFAULT '',
        certificate_no TEXT
    );
    CREATE TABLE tokens (
        token_sha256 TEXT PRIMARY KEY,
        user_id BIGINT NOT NULL REFERENCES users (id),
        device_id TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE login_failures (login TEXT NOT NULL, at BIGINT NOT NULL);
    CREATE INDEX login_failures_by_login ON login_failures (login, at);
    CREATE TABLE attachments (
        bureau_id BIGINT NOT NULL,
        sha256 TEXT NOT NULL,
        media_type TEXT NOT NULL,
        size_bytes BIGINT NOT NULL,
        data BYTEA NOT NULL,
        uploaded_by BIGINT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (bureau_id, sha256)
    );
    CREATE TABLE record_attachments (
        bureau_id BIGINT NOT NULL,
        record_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (record_id, sha256)
    );
    CREATE INDEX record_attachments_by_bureau ON record_attachments (bureau_id, sha256);
    CREATE TABLE rulebooks (
        seq BIGSERIAL PRIMARY KEY,
        version TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL,
        published_at TEXT NOT NULL
    );",
    // A pull reads each record's current revision in log order.
    "CREATE INDEX records_by_bureau ON records (bureau_id, seq);",
];

/// The advisory lock key HQ processes take while migrating.
const MIGRATION_LOCK: i64 = 0x7875_6e63_6861; // "xuncha"

pub struct Db {
    pool: r2d2::Pool<Manager>,
}

/// A pooled connection with the statements it has prepared: each query is
/// parsed and planned once per connection, not once per use (a round trip each).
pub struct Conn {
    client: postgres::Client,
    statements: HashMap<String, Statement>,
}

pub struct Manager(postgres::Config);

impl r2d2::ManageConnection for Manager {
    type Connection = Conn;
    type Error = postgres::Error;

    fn connect(&self) -> Result<Conn, postgres::Error> {
        Ok(Conn { client: self.0.connect(NoTls)?, statements: HashMap::new() })
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), postgres::Error> {
        conn.client.simple_query("").map(|_| ())
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.client.is_closed()
    }
}

impl Db {
    pub fn connect(url: &str, pool_size: u32) -> R<Db> {
        let config: postgres::Config = url.parse().map_err(|e| StoreError(format!("the database URL: {e}")))?;
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .connection_timeout(std::time::Duration::from_secs(10))
            .build(Manager(config))
            .map_err(|e| StoreError(format!("cannot connect to PostgreSQL: {e}")))?;
        let db = Db { pool };
        db.migrate()?;
        Ok(db)
    }

    fn migrate(&self) -> R<()> {
        let mut conn = self.conn()?;
        let mut tx = conn.client.transaction()?;
        // Several HQ processes may start together: one migrates, the others wait.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
        let done: Option<i64> = tx.query_opt("SELECT version FROM schema_version", &[])?.map(|r| r.get(0));
        let done = match done {
            Some(v) => v as usize,
            None => {
                tx.execute("INSERT INTO schema_version (version) VALUES (0)", &[])?;
                0
            }
        };
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
            tx.batch_execute(sql)?;
            tx.execute("UPDATE schema_version SET version = $1", &[&((i + 1) as i64)])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn conn(&self) -> R<r2d2::PooledConnection<Manager>> {
        self.pool.get().map_err(|e| StoreError(format!("no PostgreSQL connection: {e}")))
    }

    /// Run `f` in one transaction; `lock` names a bureau whose writers it serialises with.
    pub fn transaction<T>(&self, lock: Option<i64>, f: impl FnOnce(&mut dyn Sql) -> R<T>) -> R<T> {
        let mut conn = self.conn()?;
        let Conn { client, statements } = &mut *conn;
        let mut tx = client.transaction()?;
        if let Some(bureau) = lock {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&bureau])?;
        }
        let out = f(&mut Tx { tx: &mut tx, statements })?;
        tx.commit()?;
        Ok(out)
    }
}

struct Tx<'a, 'b> {
    tx: &'a mut postgres::Transaction<'b>,
    statements: &'a mut HashMap<String, Statement>,
}

impl Tx<'_, '_> {
    /// The connection's prepared statement for `sql` (prepared on first use;
    /// prepared statements outlive the transaction that made them).
    fn statement(&mut self, sql: &str) -> R<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let prepared = self.tx.prepare(&dollar_parameters(sql))?;
        self.statements.insert(sql.to_string(), prepared.clone());
        Ok(prepared)
    }
}

fn pg_params<'a>(params: &'a [P<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| -> &(dyn ToSql + Sync) {
            match p {
                P::Int(i) => i,
                P::Text(s) => s,
                P::OptText(o) => o,
                P::Bytes(b) => b,
            }
        })
        .collect()
}

impl Sql for Tx<'_, '_> {
    fn exec(&mut self, sql: &str, params: &[P]) -> R<u64> {
        let stmt = self.statement(sql)?;
        Ok(self.tx.execute(&stmt, &pg_params(params))?)
    }

    fn rows(&mut self, sql: &str, params: &[P]) -> R<Vec<Vec<V>>> {
        let stmt = self.statement(sql)?;
        values(self.tx.query(&stmt, &pg_params(params))?)
    }

    fn rows_planned_each_time(&mut self, sql: &str, params: &[P]) -> R<Vec<Vec<V>>> {
        // An unnamed statement: PostgreSQL plans it for these values.
        values(self.tx.query(&dollar_parameters(sql), &pg_params(params))?)
    }
}

fn values(rows: Vec<postgres::Row>) -> R<Vec<Vec<V>>> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut values = Vec::with_capacity(row.len());
        for (i, col) in row.columns().iter().enumerate() {
            let t = col.type_();
            let v = if *t == Type::INT8 {
                row.try_get::<_, Option<i64>>(i)?.map(V::Int)
            } else if *t == Type::INT4 {
                row.try_get::<_, Option<i32>>(i)?.map(|n| V::Int(n.into()))
            } else if *t == Type::BOOL {
                row.try_get::<_, Option<bool>>(i)?.map(|b| V::Int(b.into()))
            } else if *t == Type::BYTEA {
                row.try_get::<_, Option<Vec<u8>>>(i)?.map(V::Bytes)
            } else {
                row.try_get::<_, Option<String>>(i)?.map(V::Text)
            };
            values.push(v.unwrap_or(V::Null));
        }
        out.push(values);
    }
    Ok(out)
}
