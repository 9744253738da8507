//! HQ's schema, written once for both databases: one numbered list of
//! migrations in SQLite's dialect, translated word by word for PostgreSQL.
//! Both databases count the same migrations, so "schema 5" means one thing.

use serde_json::Value;

use super::sql::{Sql, P, R};

/// The migrations, applied in order; a database records how many ran.
pub const MIGRATIONS: &[&str] = &[
    // 1: the change log, the current revision of each record, conflicts kept beside them.
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
    // 2: accounts, tokens, and the bureau each change belongs to.
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
    // 3: photos and signatures by content hash, which records list which, published rulebooks.
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
    // 4: a pull reads each record's current revision in log order.
    "CREATE INDEX records_by_bureau ON records (bureau_id, seq);",
    // 5: who may write what, decided against what HQ holds: the officers on each
    // visit's current revision in their own table (matched exactly, never by
    // LIKE over joined text), the visit each record belongs to, disabled
    // accounts, sign-in throttling by key (login, client, device), tokens by device.
    "CREATE TABLE record_officers (
        bureau_id INTEGER NOT NULL,
        record_id TEXT NOT NULL,
        certificate_no TEXT NOT NULL,
        PRIMARY KEY (record_id, certificate_no)
    );
    CREATE INDEX record_officers_by_certificate ON record_officers (bureau_id, certificate_no);
    ALTER TABLE records ADD COLUMN visit_id TEXT NOT NULL DEFAULT '';
    UPDATE records SET visit_id = (SELECT c.visit_id FROM changes c WHERE c.seq = records.seq);
    CREATE INDEX records_by_visit ON records (bureau_id, visit_id);
    ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE login_throttle (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at INTEGER NOT NULL);
    CREATE INDEX login_throttle_by_time ON login_throttle (last_at);
    DROP TABLE login_failures;
    CREATE INDEX tokens_by_user ON tokens (user_id, device_id);",
    // 6: published document templates (like rulebooks: devices get the latest on pull).
    "CREATE TABLE document_templates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        version TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL,
        published_at TEXT NOT NULL
    );",
    // 7: evidence — devices' signing keys, the per-bureau chain of accepted
    // finalised records, blocks of document numbers leased to devices and the
    // numbers records took, the prefix of a bureau's numbers.
    "CREATE TABLE device_keys (
        key_id TEXT PRIMARY KEY,
        bureau_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        device_id TEXT NOT NULL,
        algorithm TEXT NOT NULL,
        public_key TEXT NOT NULL,
        registered_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE INDEX device_keys_by_device ON device_keys (device_id);
    CREATE TABLE ledger (
        bureau_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        record_id TEXT NOT NULL,
        record_sha256 TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL,
        accepted_at TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        entry_hash TEXT NOT NULL,
        PRIMARY KEY (bureau_id, seq)
    );
    CREATE TABLE number_blocks (
        bureau_id INTEGER NOT NULL,
        doc_year INTEGER NOT NULL,
        first_no INTEGER NOT NULL,
        last_no INTEGER NOT NULL,
        device_id TEXT NOT NULL,
        user_id INTEGER NOT NULL,
        leased_at TEXT NOT NULL,
        PRIMARY KEY (bureau_id, doc_year, first_no)
    );
    CREATE TABLE document_numbers (
        bureau_id INTEGER NOT NULL,
        doc_year INTEGER NOT NULL,
        serial_no INTEGER NOT NULL,
        record_id TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (bureau_id, doc_year, serial_no)
    );
    ALTER TABLE bureaus ADD COLUMN document_prefix TEXT NOT NULL DEFAULT '';",
    // 8: 双随机 — each bureau's lists, its plans and the tasks their draws made.
    super::draws::MIGRATION,
    // 9: a conflict resolved by staff: how (its version taken, or the current kept), by whom, when.
    "ALTER TABLE conflicts ADD COLUMN resolution TEXT;
    ALTER TABLE conflicts ADD COLUMN resolved_by INTEGER;
    ALTER TABLE conflicts ADD COLUMN resolved_at TEXT;",
    // 10: each visit's digest, what it contributes to the figures (made for the records held, then kept with each change).
    super::digests::MIGRATION,
    // 11: each bureau's report template (its wording of the report paragraphs), versioned.
    super::report_templates::MIGRATION,
];

/// After migration 5: fill `record_officers` from the visits HQ already holds.
fn backfill_record_officers(tx: &mut dyn Sql) -> R<()> {
    let rows = tx.rows("SELECT r.id, r.bureau_id, c.body FROM records r JOIN changes c ON c.seq = r.seq WHERE r.kind = 'visit'", &[])?;
    for row in rows {
        let mut cols = super::sql::Cols::new(row);
        let (id, bureau, body) = (cols.text()?, cols.int()?, cols.text()?);
        let record: Value = serde_json::from_str(&body).map_err(|e| super::StoreError::corrupt(format!("record {id}: {e}")))?;
        for cert in super::records::officer_certificates(&record) {
            tx.exec("INSERT INTO record_officers (bureau_id, record_id, certificate_no) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", &[P::Int(bureau), P::Text(&id), P::Text(&cert)])?;
        }
    }
    Ok(())
}

/// Apply migrations `done + 1 ..` inside `tx` (the caller records the new count).
pub fn migrate(tx: &mut dyn Sql, done: usize, postgres: bool) -> R<usize> {
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let sql = if postgres { for_postgres(sql) } else { sql.to_string() };
        tx.batch(&sql)?;
        if i + 1 == 5 {
            backfill_record_officers(tx)?;
        }
        if i + 1 == 10 {
            super::digests::refresh_all(tx)?;
        }
    }
    Ok(MIGRATIONS.len().max(done))
}

/// SQLite's dialect → PostgreSQL's, for the few words the schema uses.
pub fn for_postgres(sql: &str) -> String {
    sql.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY").replace("INTEGER", "BIGINT").replace("BLOB", "BYTEA")
}

#[cfg(test)]
mod tests {
    #[test]
    fn postgres_gets_its_own_words_for_keys_integers_and_bytes() {
        let pg = super::for_postgres("seq INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER NOT NULL, data BLOB NOT NULL");
        assert_eq!(pg, "seq BIGSERIAL PRIMARY KEY, n BIGINT NOT NULL, data BYTEA NOT NULL");
    }
}
