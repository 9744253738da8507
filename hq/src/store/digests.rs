//! Each visit's digest (what it contributes to the figures, made by the core),
//! kept beside the records: written in the same transaction as the change
//! that alters it — the visit itself, a follow-up of its samples or a
//! rectification of its findings — and all made again when a rulebook is
//! published. Staff read them incrementally (`seq`: the log position of the
//! newest record behind the digest) and HQ's own figures sum them.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use xuncha::summary::Digest;
use xuncha::Rulebook;

use super::sql::{Cols, Sql, P, R};
use super::{read_kind, Store, StoreError};
use xuncha::sync::RecordKind;

/// 10: the digests.
pub const MIGRATION: &str = "CREATE TABLE digests (
        visit_id TEXT PRIMARY KEY,
        bureau_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        rulebook TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX digests_by_bureau ON digests (bureau_id, seq);";

/// The rulebook last read from the database, kept while its file is unchanged
/// (a rulebook is parsed once, not on every push).
static IN_FORCE: Mutex<Option<(String, Arc<Rulebook>)>> = Mutex::new(None);

/// The rulebook in force: the one published last, or the core's own.
pub(super) fn rulebook_in_force(tx: &mut dyn Sql) -> R<Arc<Rulebook>> {
    let Some(row) = tx.row("SELECT version, body FROM rulebooks ORDER BY seq DESC LIMIT 1", &[])? else {
        return Ok(Arc::new(Rulebook::builtin().clone()));
    };
    let mut cols = Cols::new(row);
    let (version, body) = (cols.text()?, cols.text()?);
    let mut cache = IN_FORCE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((held, book)) = cache.as_ref() {
        if *held == body {
            return Ok(book.clone());
        }
    }
    // A published rulebook was checked whole before it was stored.
    let book = Arc::new(Rulebook::from_json(&body).map_err(|e| StoreError::corrupt(format!("published rulebook {version}: {e:?}")))?);
    *cache = Some((body, book.clone()));
    Ok(book)
}

/// Make the digests of these visits again from what HQ holds of them now.
pub(super) fn refresh(tx: &mut dyn Sql, bureau_id: i64, visit_ids: &BTreeSet<String>, book: &Rulebook) -> R<()> {
    for visit_id in visit_ids {
        let rows = tx.rows("SELECT r.kind, r.seq, c.body FROM records r JOIN changes c ON c.seq = r.seq WHERE r.bureau_id = ?1 AND r.visit_id = ?2", &[P::Int(bureau_id), P::Text(visit_id)])?;
        let mut visit: Option<xuncha::Visit> = None;
        let mut follow_ups: Vec<xuncha::sampling::SampleFollowUp> = Vec::new();
        let mut rectifications: Vec<xuncha::rectification::RectificationRecord> = Vec::new();
        let mut seq = 0;
        for row in rows {
            let mut cols = Cols::new(row);
            let kind = read_kind(&cols.text()?)?;
            seq = seq.max(cols.int()?);
            let body = cols.json()?;
            match kind {
                RecordKind::Visit => visit = xuncha::decode::decode_trusted(body),
                RecordKind::SampleFollowUp => follow_ups.extend(xuncha::decode::decode_trusted(body)),
                RecordKind::Rectification => rectifications.extend(xuncha::decode::decode_trusted(body)),
                RecordKind::Delivery => {}
            }
        }
        // A follow-up can arrive before its visit: the visit's own push makes the digest.
        let Some(visit) = visit else { continue };
        let done = xuncha::rectification::rectifications_of(&rectifications);
        let rectified = |code: &str, path: &str| done.iter().find(|r| r.visit_id == *visit_id && r.finding_code == code && r.path == path).map(|r| r.rectified_on);
        let digest = Digest::of(&visit, &follow_ups, &rectified, book);
        let body = serde_json::to_string(&digest).map_err(|e| StoreError::corrupt(format!("digest of {visit_id}: {e}")))?;
        tx.exec(
            "INSERT INTO digests (visit_id, bureau_id, seq, rulebook, body) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (visit_id) DO UPDATE SET seq = excluded.seq, rulebook = excluded.rulebook, body = excluded.body",
            &[P::Text(visit_id), P::Int(bureau_id), P::Int(seq), P::Text(&book.version), P::Text(&body)],
        )?;
    }
    Ok(())
}

/// Every visit's digest made again under the rulebook in force (after one is published, or a migration).
pub(super) fn refresh_all(tx: &mut dyn Sql) -> R<()> {
    let book = rulebook_in_force(tx)?;
    let rows = tx.rows("SELECT bureau_id, id FROM records WHERE kind = 'visit' ORDER BY bureau_id", &[])?;
    let mut by_bureau: std::collections::BTreeMap<i64, BTreeSet<String>> = Default::default();
    for row in rows {
        let mut cols = Cols::new(row);
        let bureau = cols.int()?;
        by_bureau.entry(bureau).or_default().insert(cols.text()?);
    }
    for (bureau, ids) in by_bureau {
        refresh(tx, bureau, &ids, &book)?;
    }
    Ok(())
}

/// One page of a bureau's digests.
pub struct DigestPage {
    /// Each digest as stored (JSON text), in `seq` order.
    pub digests: Vec<String>,
    /// The rulebook they were made under (a different one: read again from the start).
    pub book: Arc<Rulebook>,
    pub last: i64,
    pub more: bool,
    /// How many digests the bureau holds in all (for a console's progress; counted only when asked).
    pub total: Option<i64>,
}

impl Store {
    /// The bureau's digests changed after `after`, at most `limit`, with the
    /// rulebook in force read in the same transaction; `count`: also how many
    /// the bureau holds (a console's progress — not HQ's own figures, which ask on every summary).
    pub fn digests_after(&self, bureau_id: i64, after: i64, limit: u32, count: bool) -> R<DigestPage> {
        self.read(|tx| {
            let book = rulebook_in_force(tx)?;
            let rows = tx.rows("SELECT seq, body FROM digests WHERE bureau_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3", &[P::Int(bureau_id), P::Int(after), P::Int(limit as i64 + 1)])?;
            let more = rows.len() > limit as usize;
            let total = if count { Some(tx.int("SELECT COUNT(*) FROM digests WHERE bureau_id = ?1", &[P::Int(bureau_id)])?) } else { None };
            let mut page = DigestPage { digests: Vec::with_capacity(rows.len()), book, last: after, more, total };
            for row in rows.into_iter().take(limit as usize) {
                let mut cols = Cols::new(row);
                page.last = cols.int()?;
                page.digests.push(cols.text()?);
            }
            Ok(page)
        })
    }

    /// Every digest of a bureau, read into the core's type (a row that does not read is corrupt).
    pub fn bureau_digests(&self, bureau_id: i64) -> R<(Vec<Digest>, Arc<Rulebook>)> {
        self.read(|tx| {
            let book = rulebook_in_force(tx)?;
            let rows = tx.rows("SELECT visit_id, body FROM digests WHERE bureau_id = ?1", &[P::Int(bureau_id)])?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let mut cols = Cols::new(row);
                let id = cols.text()?;
                let body = cols.text()?;
                out.push(serde_json::from_str(&body).map_err(|e| StoreError::corrupt(format!("digest of {id}: {e}")))?);
            }
            Ok((out, book))
        })
    }
}

/// One bureau's figures made both ways: summed from the stored digests, and by
/// evaluating every record HQ holds again — equal or not, and what each cost
/// (reading from the database included).
pub struct DigestCheck {
    pub bureau_id: i64,
    pub digests: usize,
    /// Read, parse, hold in an index and sum (what the summary endpoint does the first time).
    pub digests_ms: f64,
    /// Sum again from the index held (what it does after).
    pub held_ms: f64,
    pub full_ms: f64,
    pub equal: bool,
}

impl Store {
    /// Check every bureau's digests against a full evaluation, for `query`.
    pub fn check_digests(&self, query: &xuncha::SummaryQuery) -> R<Vec<DigestCheck>> {
        let bureaus: Vec<i64> = self.read(|tx| tx.rows("SELECT id FROM bureaus ORDER BY id", &[])?.into_iter().map(|r| Cols::new(r).int()).collect())?;
        let mut out = Vec::new();
        for bureau_id in bureaus {
            let started = std::time::Instant::now();
            let (digests, book) = self.bureau_digests(bureau_id)?;
            let count = digests.len();
            let mut index = xuncha::summary::DigestIndex::default();
            index.extend(digests);
            let summed = index.summary(query, &book);
            let digests_ms = started.elapsed().as_secs_f64() * 1000.0;
            let started = std::time::Instant::now();
            let again = index.summary(query, &book);
            let held_ms = started.elapsed().as_secs_f64() * 1000.0;
            let started = std::time::Instant::now();
            let current = self.current_records(bureau_id)?;
            let visits: Vec<xuncha::Visit> = current.visits.into_iter().filter_map(xuncha::decode::decode_trusted).collect();
            let follow_ups: Vec<xuncha::sampling::SampleFollowUp> = current.follow_ups.into_iter().filter_map(xuncha::decode::decode_trusted).collect();
            let records: Vec<xuncha::rectification::RectificationRecord> = current.rectifications.into_iter().filter_map(xuncha::decode::decode_trusted).collect();
            let full = xuncha::summarise(&visits, &follow_ups, &xuncha::rectification::rectifications_of(&records), query, &book);
            let full_ms = started.elapsed().as_secs_f64() * 1000.0;
            out.push(DigestCheck { bureau_id, digests: count, digests_ms, held_ms, full_ms, equal: summed == full && again == full });
        }
        Ok(out)
    }
}
