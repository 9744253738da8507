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
        let config: postgres::Config = url.parse().map_err(|e| StoreError::unavailable(format!("the database URL: {e}")))?;
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .connection_timeout(std::time::Duration::from_secs(10))
            .build(Manager(config))
            .map_err(|e| StoreError::unavailable(format!("cannot connect to PostgreSQL: {e}")))?;
        let db = Db { pool };
        db.migrate()?;
        Ok(db)
    }

    fn migrate(&self) -> R<()> {
        let mut conn = self.conn()?;
        let mut tx = conn.client.transaction()?;
        // Several HQ processes may start together: one migrates, the others wait.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        // `schema_migrations` counts the schema's migrations (shared with SQLite).
        // A database made before they were shared counted its own two in
        // `schema_version`: its 1 was the shared 1–3, its 2 the shared 4.
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL)")?;
        let done: Option<i64> = tx.query_opt("SELECT version FROM schema_migrations", &[])?.map(|r| r.get(0));
        let done = match done {
            Some(v) => v as usize,
            None => {
                let legacy: bool = tx.query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?.get(0);
                let old: i64 = if legacy { tx.query_opt("SELECT version FROM schema_version", &[])?.map_or(0, |r| r.get(0)) } else { 0 };
                let shared = match old {
                    0 => 0,
                    1 => 3,
                    _ => 4,
                };
                tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[&(shared as i64)])?;
                shared
            }
        };
        if done < super::schema::MIGRATIONS.len() {
            let now = super::schema::migrate(&mut Tx { tx: &mut tx, statements: &mut HashMap::new() }, done, true)?;
            tx.execute("UPDATE schema_migrations SET version = $1", &[&(now as i64)])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn conn(&self) -> R<r2d2::PooledConnection<Manager>> {
        self.pool.get().map_err(|e| StoreError::unavailable(format!("no PostgreSQL connection: {e}")))
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

    fn batch(&mut self, sql: &str) -> R<()> {
        Ok(self.tx.batch_execute(sql)?)
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
            } else if *t == Type::FLOAT8 {
                row.try_get::<_, Option<f64>>(i)?.map(V::Real)
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
