//! Date and time types shared by every record. Dates are calendar dates as
//! written on certificates and tags (`YYYY-MM-DD`); timestamps carry their UTC
//! offset (RFC 3339) because "the day of the visit" is the officer's local day.

pub type Date = chrono::NaiveDate;
pub type Timestamp = chrono::DateTime<chrono::FixedOffset>;

/// Parse an RFC 3339 timestamp such as `2026-03-05T09:30:00+08:00`: what a
/// record's timestamps accept ([`read_timestamp`]).
pub fn parse_timestamp(s: &str) -> Option<Timestamp> {
    read_timestamp(s).ok()
}

/// Why a date or timestamp was refused: chrono's `ParseError` kinds, with its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeError {
    OutOfRange,
    Impossible,
    Invalid,
    TooShort,
    TooLong,
}

impl std::fmt::Display for TimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(match self {
            TimeError::OutOfRange => "input is out of range",
            TimeError::Impossible => "no possible date and time matching input",
            TimeError::Invalid => "input contains invalid characters",
            TimeError::TooShort => "premature end of input",
            TimeError::TooLong => "trailing input",
        })
    }
}

// Dates and timestamps are read here, not by chrono's `FromStr` (which serde's
// impls call): chrono reads through its general format-string parser, ≈ 7 KB
// of the tablet's gzipped module for the two fixed shapes records use. These
// readers follow chrono's grammar step for step — what it accepts, the value,
// and which error — and tests/time_reading.rs holds them to chrono's `FromStr`
// on every string of a large generated set.

/// A calendar date as chrono's `NaiveDate::from_str` reads it: `YYYY-MM-DD`,
/// with its tolerances (1–2 digit month and day, a signed year of any width,
/// spaces around the dashes and after).
pub fn read_date(s: &str) -> Result<Date, TimeError> {
    let mut r = Reader(s);
    let (year, month, day) = r.ymd()?;
    r.0 = r.0.trim_start();
    if !r.0.is_empty() {
        return Err(TimeError::TooLong);
    }
    Date::from_ymd_opt(year, month, day).ok_or(TimeError::OutOfRange)
}

/// A timestamp with its UTC offset as chrono's `DateTime<FixedOffset>::from_str`
/// reads it (RFC 3339, relaxed as chrono relaxes it: `t` or a space for `T`,
/// spaces between parts, `UTC`, an offset with or without its colon, `−`).
pub fn read_timestamp(s: &str) -> Result<Timestamp, TimeError> {
    let mut r = Reader(s);
    let (year, month, day) = r.ymd()?;
    match r.0.as_bytes().first() {
        Some(b't' | b'T' | b' ') => r.0 = &r.0[1..],
        Some(_) => return Err(TimeError::Invalid),
        None => return Err(TimeError::TooShort),
    }
    let hour = r.field(0, 23)?;
    r.literal(":")?;
    let minute = r.field(0, 59)?;
    r.literal(":")?;
    let second = r.field(0, 60)?;
    let mut nano = 0;
    if let Some(rest) = r.0.strip_prefix('.') {
        r.0 = rest;
        nano = r.fraction()?;
    }
    r.0 = r.0.trim_start();
    let offset = r.offset()?;
    if !r.0.trim_start().is_empty() {
        return Err(TimeError::TooLong);
    }
    let date = Date::from_ymd_opt(year, month, day).ok_or(TimeError::OutOfRange)?;
    // a leap second is second 59 with a second's worth of nanoseconds, as chrono keeps it
    let (second, nano) = if second == 60 { (59, nano + 1_000_000_000) } else { (second, nano) };
    let time = chrono::NaiveTime::from_hms_nano_opt(hour, minute, second, nano).ok_or(TimeError::OutOfRange)?;
    let offset = chrono::FixedOffset::east_opt(offset).ok_or(TimeError::OutOfRange)?;
    use chrono::TimeZone;
    offset.from_local_datetime(&date.and_time(time)).single().ok_or(TimeError::Impossible)
}

/// The rest of the text being read.
struct Reader<'a>(&'a str);

impl Reader<'_> {
    /// Year, month and day with chrono's items `Year`, `-`, `Month`, `-`, `Day`.
    fn ymd(&mut self) -> Result<(i32, u32, u32), TimeError> {
        self.0 = self.0.trim_start();
        let year = match self.0.as_bytes().first() {
            Some(b'-') => {
                self.0 = &self.0[1..];
                -self.number(usize::MAX)?
            }
            Some(b'+') => {
                self.0 = &self.0[1..];
                self.number(usize::MAX)?
            }
            _ => self.number(4)?,
        };
        let year = i32::try_from(year).map_err(|_| TimeError::OutOfRange)?;
        self.literal("-")?;
        let month = self.field(1, 12)?;
        self.literal("-")?;
        let day = self.field(1, 31)?;
        Ok((year, month, day))
    }

    /// Spaces, then `text` (chrono's `Space` then `Literal`).
    fn literal(&mut self, text: &str) -> Result<(), TimeError> {
        self.0 = self.0.trim_start();
        match self.0.strip_prefix(text) {
            Some(rest) => {
                self.0 = rest;
                Ok(())
            }
            None if self.0.len() < text.len() => Err(TimeError::TooShort),
            None => Err(TimeError::Invalid),
        }
    }

    /// Spaces, then a number of one or two digits within `min..=max`.
    fn field(&mut self, min: i64, max: i64) -> Result<u32, TimeError> {
        self.0 = self.0.trim_start();
        let n = self.number(2)?;
        if n < min || n > max {
            return Err(TimeError::OutOfRange);
        }
        Ok(n as u32)
    }

    /// One to `max` ASCII digits (chrono's `scan::number(s, 1, max)`).
    fn number(&mut self, max: usize) -> Result<i64, TimeError> {
        let bytes = self.0.as_bytes();
        if bytes.is_empty() {
            return Err(TimeError::TooShort);
        }
        let digits = bytes.iter().take(max).take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return Err(TimeError::Invalid);
        }
        let mut n = 0i64;
        for b in &bytes[..digits] {
            n = n.checked_mul(10).and_then(|n| n.checked_add(i64::from(b - b'0'))).ok_or(TimeError::OutOfRange)?;
        }
        self.0 = &self.0[digits..];
        Ok(n)
    }

    /// A fraction of a second after its `.`: the first nine digits, the rest passed over.
    fn fraction(&mut self) -> Result<u32, TimeError> {
        let before = self.0.len();
        let n = self.number(9)?;
        const SCALE: [i64; 10] = [0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
        let nano = n * SCALE[before - self.0.len()];
        self.0 = self.0.trim_start_matches(|c: char| c.is_ascii_digit());
        Ok(nano as u32)
    }

    /// `UTC`, `Z`, or `±HH[:]MM` (chrono's `timezone_offset` with colons or
    /// spaces between, `z` allowed, minutes required, `−` allowed), in seconds.
    fn offset(&mut self) -> Result<i32, TimeError> {
        let s = self.0;
        if s.len() >= 3 && s.as_bytes()[..3].eq_ignore_ascii_case(b"UTC") {
            self.0 = &s[3..];
            return Ok(0);
        }
        if let Some(b'Z' | b'z') = s.as_bytes().first() {
            self.0 = &s[1..];
            return Ok(0);
        }
        let (negative, s) = match s.chars().next() {
            Some('+') => (false, &s[1..]),
            Some('-') => (true, &s[1..]),
            Some('\u{2212}') => (true, &s['\u{2212}'.len_utf8()..]),
            Some(_) => return Err(TimeError::Invalid),
            None => return Err(TimeError::TooShort),
        };
        let two = |s: &str| match s.as_bytes() {
            [a, b, ..] => Ok((*a, *b)),
            _ => Err(TimeError::TooShort),
        };
        let hours = match two(s)? {
            (a @ b'0'..=b'9', b @ b'0'..=b'9') => i32::from((a - b'0') * 10 + (b - b'0')),
            _ => return Err(TimeError::Invalid),
        };
        let s = s[2..].trim_start_matches(|c: char| c == ':' || c.is_whitespace());
        let minutes = match two(s) {
            Ok((a @ b'0'..=b'5', b @ b'0'..=b'9')) => i32::from((a - b'0') * 10 + (b - b'0')),
            Ok((b'6'..=b'9', b'0'..=b'9')) => return Err(TimeError::OutOfRange),
            Ok(_) => return Err(TimeError::Invalid),
            Err(e) => return Err(e),
        };
        self.0 = &s[2..];
        let seconds = hours * 3600 + minutes * 60;
        Ok(if negative { -seconds } else { seconds })
    }
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
