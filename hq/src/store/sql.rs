//! The few shapes of SQL the store needs, over either database: queries are
//! written once (with `?1` numbered parameters, SQLite's form; PostgreSQL gets `$1`),
//! parameters and values are a small enum, and each backend converts.

use std::fmt;

/// A parameter of a query.
#[derive(Clone, Copy, Debug)]
pub enum P<'a> {
    Int(i64),
    Text(&'a str),
    OptText(Option<&'a str>),
    Bytes(&'a [u8]),
}

/// A value read back.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

impl V {
    fn kind(&self) -> &'static str {
        match self {
            V::Null => "NULL",
            V::Int(_) => "an integer",
            V::Real(_) => "a real number",
            V::Text(_) => "text",
            V::Bytes(_) => "bytes",
        }
    }
}

/// One row's columns, read in order into typed values. A column of another
/// type than the code expects, or a missing one, is an error — never a silent
/// default (a zero bureau, an empty id) that would be acted on.
pub struct Cols {
    values: std::vec::IntoIter<V>,
    at: usize,
}

impl Cols {
    pub fn new(row: Vec<V>) -> Cols {
        Cols { values: row.into_iter(), at: 0 }
    }

    fn next(&mut self, want: &str) -> R<V> {
        self.at += 1;
        self.values.next().ok_or_else(|| StoreError::corrupt(format!("column {} missing (wanted {want})", self.at)))
    }

    fn wrong<T>(&self, want: &str, got: &V) -> R<T> {
        Err(StoreError::corrupt(format!("column {} is {}, not {want}", self.at, got.kind())))
    }

    pub fn int(&mut self) -> R<i64> {
        match self.next("an integer")? {
            V::Int(i) => Ok(i),
            other => self.wrong("an integer", &other),
        }
    }

    pub fn text(&mut self) -> R<String> {
        match self.next("text")? {
            V::Text(s) => Ok(s),
            other => self.wrong("text", &other),
        }
    }

    pub fn opt_int(&mut self) -> R<Option<i64>> {
        match self.next("an integer or NULL")? {
            V::Int(i) => Ok(Some(i)),
            V::Null => Ok(None),
            other => self.wrong("an integer or NULL", &other),
        }
    }

    pub fn opt_text(&mut self) -> R<Option<String>> {
        match self.next("text or NULL")? {
            V::Text(s) => Ok(Some(s)),
            V::Null => Ok(None),
            other => self.wrong("text or NULL", &other),
        }
    }

    pub fn bytes(&mut self) -> R<Vec<u8>> {
        match self.next("bytes")? {
            V::Bytes(b) => Ok(b),
            other => self.wrong("bytes", &other),
        }
    }

    /// A JSON document kept as text (a record's body).
    pub fn json(&mut self) -> R<serde_json::Value> {
        let text = self.text()?;
        serde_json::from_str(&text).map_err(|e| StoreError::corrupt(format!("column {} is not JSON: {e}", self.at)))
    }
}

/// Why the store failed. Neither kind is the device's fault, and neither
/// text is shown to it (the API answers with a stable code and logs this).
#[derive(Debug)]
pub enum StoreError {
    /// The database could not be reached or refused the work (full disk,
    /// lost connection, a lock held too long): the device retries later.
    Unavailable(String),
    /// What the database holds is not what HQ wrote (a row of the wrong
    /// shape, an unknown kind or role): a bug or damage, never guessed around.
    Corrupt(String),
}

impl StoreError {
    pub fn unavailable(e: impl fmt::Display) -> StoreError {
        StoreError::Unavailable(e.to_string())
    }
    pub fn corrupt(e: impl fmt::Display) -> StoreError {
        StoreError::Corrupt(e.to_string())
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(e) => write!(f, "storage unavailable: {e}"),
            StoreError::Corrupt(e) => write!(f, "stored data unreadable: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Unavailable(format!("sqlite: {e}"))
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        StoreError::Unavailable(format!("postgres: {e}"))
    }
}

pub type R<T> = Result<T, StoreError>;

/// One open transaction on either database.
pub trait Sql {
    /// Run a statement; how many rows it changed.
    fn exec(&mut self, sql: &str, params: &[P]) -> R<u64>;
    /// Run a query; every row, every column.
    fn rows(&mut self, sql: &str, params: &[P]) -> R<Vec<Vec<V>>>;
    /// Run several statements without parameters (a migration).
    fn batch(&mut self, sql: &str) -> R<()>;

    /// [`Sql::rows`] for a query whose best plan depends on its values (a long
    /// `IN (…)` list): planned anew on each use, never from a plan cached while
    /// the tables were small.
    fn rows_planned_each_time(&mut self, sql: &str, params: &[P]) -> R<Vec<Vec<V>>> {
        self.rows(sql, params)
    }
    /// The first row, if any.
    fn row(&mut self, sql: &str, params: &[P]) -> R<Option<Vec<V>>> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }
    /// The first column of the first row, as an integer (a query that returns no row is an error).
    fn int(&mut self, sql: &str, params: &[P]) -> R<i64> {
        let row = self.row(sql, params)?.ok_or_else(|| StoreError::corrupt("a query that returns one row returned none"))?;
        Cols::new(row).int()
    }
}

/// `?1` → `$1`, for PostgreSQL.
pub fn dollar_parameters(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Cols, V};

    #[test]
    fn a_row_of_another_shape_is_an_error_never_a_default() {
        let mut cols = Cols::new(vec![V::Text("7".into()), V::Null, V::Int(3)]);
        assert!(cols.int().is_err(), "text where an integer belongs");
        assert!(cols.text().is_err(), "NULL where text belongs");
        assert_eq!(cols.int().unwrap(), 3);
        assert!(cols.int().is_err(), "a missing column");
        assert_eq!(Cols::new(vec![V::Null]).opt_text().unwrap(), None);
        assert!(Cols::new(vec![V::Text("{".into())]).json().is_err());
        assert!(super::super::read_kind("visit").is_ok());
        assert!(super::super::read_kind("photo").is_err(), "an unknown kind is not read as a visit");
    }

    #[test]
    fn numbered_parameters_become_dollars_and_question_marks_in_text_stay() {
        assert_eq!(super::dollar_parameters("SELECT a FROM t WHERE b = ?1 AND c LIKE ?12 AND d = '?'"), "SELECT a FROM t WHERE b = $1 AND c LIKE $12 AND d = '?'");
    }
}
