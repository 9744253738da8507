//! Date and time types shared by every record. Dates are calendar dates as
//! written on certificates and tags (`YYYY-MM-DD`); timestamps carry their UTC
//! offset (RFC 3339) because "the day of the visit" is the officer's local day.

pub type Date = chrono::NaiveDate;
pub type Timestamp = chrono::DateTime<chrono::FixedOffset>;

/// Parse an RFC 3339 timestamp such as `2026-03-05T09:30:00+08:00`.
pub fn parse_timestamp(s: &str) -> Option<Timestamp> {
    chrono::DateTime::parse_from_rfc3339(s).ok()
}

/// A timestamp from milliseconds since the Unix epoch, shown at China Standard Time (UTC+8).
pub fn timestamp_from_unix_ms(ms: f64) -> Option<Timestamp> {
    let utc = chrono::DateTime::from_timestamp_millis(ms as i64)?;
    let cst = chrono::FixedOffset::east_opt(8 * 3600)?;
    Some(utc.with_timezone(&cst))
}

/// `date` moved by `days` (negative: back), held at the calendar's ends instead
/// of overflowing: a record or rulebook with an absurd number of days (a shelf
/// life of 95 million days) gets an absurd date, never a panic.
pub fn add_days(date: Date, days: i64) -> Date {
    // (a billion days is past both ends already, and well inside what Duration holds)
    let step = chrono::Duration::days(days.clamp(-1_000_000_000, 1_000_000_000));
    date.checked_add_signed(step).unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}
