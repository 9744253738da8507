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
    Text(String),
    Bytes(Vec<u8>),
}

impl V {
    pub fn int(&self) -> i64 {
        match self {
            V::Int(i) => *i,
            _ => 0,
        }
    }
    pub fn text(self) -> String {
        match self {
            V::Text(s) => s,
            _ => String::new(),
        }
    }
    pub fn opt_text(self) -> Option<String> {
        match self {
            V::Text(s) => Some(s),
            _ => None,
        }
    }
    pub fn bytes(self) -> Vec<u8> {
        match self {
            V::Bytes(b) => b,
            V::Text(s) => s.into_bytes(),
            _ => Vec::new(),
        }
    }
}

/// A storage failure: the device keeps its data and retries.
#[derive(Debug)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(format!("sqlite: {e}"))
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        StoreError(format!("postgres: {e}"))
    }
}

pub type R<T> = Result<T, StoreError>;

/// One open transaction on either database.
pub trait Sql {
    /// Run a statement; how many rows it changed.
    fn exec(&mut self, sql: &str, params: &[P]) -> R<u64>;
    /// Run a query; every row, every column.
    fn rows(&mut self, sql: &str, params: &[P]) -> R<Vec<Vec<V>>>;

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
    /// The first column of the first row, as an integer (0 when there is none).
    fn int(&mut self, sql: &str, params: &[P]) -> R<i64> {
        Ok(self.row(sql, params)?.and_then(|r| r.into_iter().next()).map_or(0, |v| v.int()))
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
    #[test]
    fn numbered_parameters_become_dollars_and_question_marks_in_text_stay() {
        assert_eq!(super::dollar_parameters("SELECT a FROM t WHERE b = ?1 AND c LIKE ?12 AND d = '?'"), "SELECT a FROM t WHERE b = $1 AND c LIKE $12 AND d = '?'");
    }
}
