//! HQ's storage, on a SQLite file (the embedded default) or PostgreSQL (the
//! scale-out path), with the same queries and the same logic: every accepted
//! change as a log (the pull cursor is its sequence number), the current
//! revision of each record, conflicting changes kept beside them, photos and
//! signatures by content hash, published rulebooks, and the bureaus, their
//! accounts and login tokens.
//!
//! Every write goes through one path (`records::apply_all`): **authorise**
//! against what HQ already holds (`authorise.rs`), **judge** the content with
//! the core (`xuncha::sync`), **apply** — a push's accepted changes in one
//! transaction, so a crash leaves them all there or none, never part of a change.
//!
//! Rows are read into typed values that fail loudly (`sql::Cols`): an unknown
//! kind or role, a NULL where an id belongs, is an error, never a default.

mod accounts;
mod attachments;
pub mod authorise;
pub mod digests;
pub mod draws;
pub mod evidence;
mod postgres;
mod records;
pub mod report_templates;
mod schema;
mod sql;
mod sqlite;

use std::path::Path;

use xuncha::sync::RecordKind;
use xuncha::time::Timestamp;

pub use accounts::{AccountRefusal, LoginOutcome};
pub use attachments::{content_is, sniff_media_type};
pub use sql::StoreError;
use sql::{Cols, Sql, P, R};

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
    pub fn as_str(self) -> &'static str {
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
    pub disabled: bool,
}

impl User {
    /// The officer's certificate number, if the account has one.
    pub fn certificate(&self) -> Option<&str> {
        self.certificate_no.as_deref().map(str::trim).filter(|c| !c.is_empty())
    }
}

const USER_COLUMNS: &str = "u.id, u.bureau_id, u.login, u.name, u.role, u.certificate_no, u.disabled";

fn read_user(cols: &mut Cols) -> R<User> {
    let (id, bureau_id, login, name) = (cols.int()?, cols.int()?, cols.text()?, cols.text()?);
    let role = cols.text()?;
    let role = Role::parse(&role).ok_or_else(|| StoreError::corrupt(format!("account {id} has the unknown role {role:?}")))?;
    Ok(User { id, bureau_id, login, name, role, certificate_no: cols.opt_text()?, disabled: cols.int()? != 0 })
}

fn kind_name(k: RecordKind) -> &'static str {
    match k {
        RecordKind::Visit => "visit",
        RecordKind::SampleFollowUp => "sampleFollowUp",
        RecordKind::Delivery => "delivery",
        RecordKind::Rectification => "rectification",
    }
}

/// A stored kind; anything else is damage, not a visit.
fn read_kind(s: &str) -> R<RecordKind> {
    match s {
        "visit" => Ok(RecordKind::Visit),
        "sampleFollowUp" => Ok(RecordKind::SampleFollowUp),
        "delivery" => Ok(RecordKind::Delivery),
        "rectification" => Ok(RecordKind::Rectification),
        other => Err(StoreError::corrupt(format!("a record of the unknown kind {other:?}"))),
    }
}

/// Where HQ keeps its data.
pub enum Store {
    Sqlite(sqlite::Db),
    Postgres(postgres::Db),
}

/// PostgreSQL advisory lock key for sign-in throttling (bureau ids, the other
/// keys, are positive).
const LOGIN_LOCK: i64 = -1;

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

    /// A writing transaction; `lock` orders it with the other writers under that key
    /// (a bureau's id, or [`LOGIN_LOCK`]).
    fn write<T>(&self, lock: Option<i64>, f: impl FnOnce(&mut dyn Sql) -> R<T>) -> R<T> {
        match self {
            Store::Sqlite(db) => db.transaction(true, f),
            Store::Postgres(db) => db.transaction(lock, f),
        }
    }

    pub fn create_bureau(&self, name: &str) -> R<i64> {
        self.write(None, |tx| tx.int("INSERT INTO bureaus (name) VALUES (?1) RETURNING id", &[P::Text(name)]))
    }

    /// A bureau's name, as it signs documents and shows in the console.
    pub fn bureau_name(&self, bureau_id: i64) -> R<String> {
        self.read(|tx| {
            let row = tx.row("SELECT name FROM bureaus WHERE id = ?1", &[P::Int(bureau_id)])?.ok_or_else(|| StoreError::corrupt(format!("no bureau {bureau_id}")))?;
            Cols::new(row).text()
        })
    }

    /// How many records, changes and conflicts a bureau holds.
    pub fn counts(&self, bureau_id: i64) -> R<(i64, i64, i64)> {
        self.read(|tx| {
            let b = [P::Int(bureau_id)];
            Ok((
                tx.int("SELECT COUNT(*) FROM records WHERE bureau_id = ?1", &b)?,
                tx.int("SELECT COUNT(*) FROM changes WHERE bureau_id = ?1", &b)?,
                tx.int("SELECT COUNT(*) FROM conflicts WHERE bureau_id = ?1 AND resolution IS NULL", &b)?,
            ))
        })
    }

    // ---- rulebooks -----------------------------------------------------------

    /// Publish a rulebook (already checked whole by the core): devices get it on their next pull.
    pub fn publish_rulebook(&self, version: &str, body: &str, now: Timestamp) -> R<()> {
        self.publish(Published::Rulebook, version, body, now)
    }

    /// Publish document templates (already checked whole by the core): devices get them on their next pull.
    pub fn publish_templates(&self, version: &str, body: &str, now: Timestamp) -> R<()> {
        self.publish(Published::Templates, version, body, now)
    }

    /// The document templates published last: (version, file).
    pub fn latest_templates(&self) -> R<Option<String>> {
        self.latest_unless(Published::Templates, None)
    }

    /// The document templates published last, unless they are `known` (what a device runs).
    pub fn templates_unless(&self, known: Option<&str>) -> R<Option<String>> {
        self.latest_unless(Published::Templates, known)
    }

    fn publish(&self, what: Published, version: &str, body: &str, now: Timestamp) -> R<()> {
        let sql = format!("INSERT INTO {} (version, body, published_at) VALUES (?1, ?2, ?3)", what.table());
        self.write(None, |tx| {
            tx.exec(&sql, &[P::Text(version), P::Text(body), P::Text(&now.to_rfc3339())])?;
            // The figures follow the rulebook in force: every digest is made again under it.
            if matches!(what, Published::Rulebook) {
                digests::refresh_all(tx)?;
            }
            Ok(())
        })
    }

    /// What was published last of `what`, unless it is `known`: the file is read only when it has to travel.
    fn latest_unless(&self, what: Published, known: Option<&str>) -> R<Option<String>> {
        let table = what.table();
        self.read(|tx| {
            let Some(row) = tx.row(&format!("SELECT version FROM {table} ORDER BY seq DESC LIMIT 1"), &[])? else {
                return Ok(None);
            };
            let latest = Cols::new(row).text()?;
            if known == Some(latest.as_str()) {
                return Ok(None);
            }
            let row = tx.row(&format!("SELECT body FROM {table} WHERE version = ?1"), &[P::Text(&latest)])?.ok_or_else(|| StoreError::corrupt(format!("the latest of {table} vanished")))?;
            Ok(Some(Cols::new(row).text()?))
        })
    }

    /// The rulebook published last: (version, file).
    pub fn latest_rulebook(&self) -> R<Option<(String, String)>> {
        self.read(|tx| {
            let Some(row) = tx.row("SELECT version, body FROM rulebooks ORDER BY seq DESC LIMIT 1", &[])? else {
                return Ok(None);
            };
            let mut cols = Cols::new(row);
            Ok(Some((cols.text()?, cols.text()?)))
        })
    }

    /// Whether a rulebook of this version was ever published (versions are never reused).
    pub fn has_rulebook(&self, version: &str) -> R<bool> {
        self.read(|tx| Ok(tx.int("SELECT COUNT(*) FROM rulebooks WHERE version = ?1", &[P::Text(version)])? > 0))
    }

    /// The rulebook published last, unless it is `known` (what a device runs):
    /// the file is read only when it has to travel.
    pub fn rulebook_unless(&self, known: Option<&str>) -> R<Option<String>> {
        self.latest_unless(Published::Rulebook, known)
    }
}

/// What HQ publishes to every device through pull.
#[derive(Clone, Copy)]
enum Published {
    Rulebook,
    Templates,
}

impl Published {
    fn table(self) -> &'static str {
        match self {
            Published::Rulebook => "rulebooks",
            Published::Templates => "document_templates",
        }
    }
}
