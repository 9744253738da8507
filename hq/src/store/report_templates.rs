//! Each bureau's report template (the paragraphs in its own phrasing),
//! versioned like the rulebook: every version kept, the last published in
//! force, none published — the core's own wording.

use super::sql::{Cols, P, R};
use super::Store;
use xuncha::time::Timestamp;

/// 11: report templates, per bureau.
pub const MIGRATION: &str = "CREATE TABLE report_templates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        bureau_id INTEGER NOT NULL REFERENCES bureaus (id),
        version TEXT NOT NULL,
        body TEXT NOT NULL,
        published_by INTEGER NOT NULL,
        published_at TEXT NOT NULL,
        UNIQUE (bureau_id, version)
    );";

impl Store {
    /// Publish a bureau's template (already checked whole by the core); false when its version was published before.
    pub fn publish_report_template(&self, bureau_id: i64, version: &str, body: &str, user_id: i64, now: Timestamp) -> R<bool> {
        self.write(Some(bureau_id), |tx| {
            let b = [P::Int(bureau_id), P::Text(version)];
            if tx.int("SELECT COUNT(*) FROM report_templates WHERE bureau_id = ?1 AND version = ?2", &b)? > 0 {
                return Ok(false);
            }
            tx.exec(
                "INSERT INTO report_templates (bureau_id, version, body, published_by, published_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[P::Int(bureau_id), P::Text(version), P::Text(body), P::Int(user_id), P::Text(&now.to_rfc3339())],
            )?;
            Ok(true)
        })
    }

    /// The bureau's template in force (the file as published), if it published one.
    pub fn report_template(&self, bureau_id: i64) -> R<Option<String>> {
        self.read(|tx| {
            let row = tx.row("SELECT body FROM report_templates WHERE bureau_id = ?1 ORDER BY seq DESC LIMIT 1", &[P::Int(bureau_id)])?;
            row.map(|r| Cols::new(r).text()).transpose()
        })
    }
}
