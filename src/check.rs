//! Building blocks for data validation: JSON Pointers, field labels and the
//! common checks (required, ranges, dates) with their messages in both languages.

use crate::problem::{Problem, ProblemCode, Text};
use crate::time::{Date, Timestamp};

/// JSON Pointer (RFC 6901) to the field being checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ptr(String);

impl Ptr {
    pub fn root() -> Ptr {
        Ptr(String::new())
    }

    // Built on every field checked and every rule evaluated: append in place,
    // escape only when a key needs it (it is the hot path of both).
    pub fn key(&self, key: &str) -> Ptr {
        let mut s = String::with_capacity(self.0.len() + key.len() + 1);
        s.push_str(&self.0);
        s.push('/');
        if key.bytes().any(|b| b == b'~' || b == b'/') {
            s.push_str(&escape(key));
        } else {
            s.push_str(key);
        }
        Ptr(s)
    }

    pub fn index(&self, i: usize) -> Ptr {
        use std::fmt::Write;
        let mut s = String::with_capacity(self.0.len() + 4);
        s.push_str(&self.0);
        s.push('/');
        let _ = write!(s, "{i}");
        Ptr(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Ptr> for String {
    fn from(p: Ptr) -> String {
        p.0
    }
}

/// Escape one JSON Pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// What a field is called, for messages: (Chinese, English).
#[derive(Clone, Copy, Debug)]
pub struct Label(pub &'static str, pub &'static str);

/// Collects problems for one record. `now` is passed in (never read from a
/// clock here) so that validation is deterministic on the tablet and at HQ.
pub struct Checks {
    pub problems: Vec<Problem>,
    pub now: Timestamp,
}

/// Clock skew we tolerate between the tablet and the reference clock before
/// calling a time "in the future".
const FUTURE_TOLERANCE_MINUTES: i64 = 10;

impl Checks {
    pub fn new(now: Timestamp) -> Self {
        Checks { problems: Vec::new(), now }
    }

    pub fn push(&mut self, code: ProblemCode, at: &Ptr, zh: String, en: String) {
        self.problems.push(Problem::new(code, at.as_str(), Text { zh, en }));
    }

    pub fn today(&self) -> Date {
        self.now.date_naive()
    }

    pub fn missing(&mut self, at: &Ptr, label: Label) {
        self.push(ProblemCode::Required, at, format!("请填写{}", label.0), format!("{} is required", label.1));
    }

    /// A required value; reports REQUIRED when absent.
    pub fn require<'v, T>(&mut self, value: &'v Option<T>, at: &Ptr, label: Label) -> Option<&'v T> {
        if value.is_none() {
            self.missing(at, label);
        }
        value.as_ref()
    }

    /// A required text; blank counts as missing.
    pub fn require_text<'v>(&mut self, value: &'v Option<String>, at: &Ptr, label: Label) -> Option<&'v str> {
        match value.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => Some(s),
            _ => {
                self.missing(at, label);
                None
            }
        }
    }

    pub fn non_negative(&mut self, value: Option<f64>, at: &Ptr, label: Label) {
        if let Some(v) = value {
            if v < 0.0 {
                self.push(ProblemCode::Negative, at, format!("{}不能为负数（{}）", label.0, v), format!("{} may not be negative ({})", label.1, v));
            }
        }
    }

    pub fn positive(&mut self, value: Option<f64>, at: &Ptr, label: Label) {
        if let Some(v) = value {
            if v <= 0.0 {
                self.push(ProblemCode::NotPositive, at, format!("{}必须大于零（{}）", label.0, v), format!("{} must be greater than zero ({})", label.1, v));
            }
        }
    }

    pub fn in_range(&mut self, value: Option<f64>, lo: f64, hi: f64, at: &Ptr, label: Label) {
        if let Some(v) = value {
            if !(lo..=hi).contains(&v) {
                self.push(ProblemCode::OutOfRange, at, format!("{}应在 {} 至 {} 之间（{}）", label.0, lo, hi, v), format!("{} must be between {} and {} ({})", label.1, lo, hi, v));
            }
        }
    }

    pub fn date_not_future(&mut self, value: Option<Date>, at: &Ptr, label: Label) {
        if let Some(d) = value {
            if d > self.today() {
                self.push(ProblemCode::InFuture, at, format!("{}（{}）晚于今天", label.0, d), format!("{} ({}) is after today", label.1, d));
            }
        }
    }

    pub fn time_not_future(&mut self, value: Option<&Timestamp>, at: &Ptr, label: Label) {
        if let Some(t) = value {
            if *t > self.now + chrono::Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
                self.push(ProblemCode::InFuture, at, format!("{}（{}）晚于当前时间", label.0, t.to_rfc3339()), format!("{} ({}) is in the future", label.1, t.to_rfc3339()));
            }
        }
    }

    /// `later` may not come before `earlier`; the problem is reported at `later`'s field.
    pub fn dates_in_order(&mut self, earlier: Option<Date>, e_label: Label, later: Option<Date>, at: &Ptr, l_label: Label) {
        if let (Some(e), Some(l)) = (earlier, later) {
            if l < e {
                self.push(ProblemCode::DateOrder, at, format!("{}（{}）早于{}（{}）", l_label.0, l, e_label.0, e), format!("{} ({}) is before {} ({})", l_label.1, l, e_label.1, e));
            }
        }
    }

    /// A record or item id: required, and a UUID.
    pub fn id(&mut self, value: &Option<String>, at: &Ptr) {
        if let Some(id) = self.require_text(value, at, Label("标识", "id")) {
            if !crate::ids::is_uuid(id) {
                self.push(ProblemCode::BadId, at, format!("标识“{}”不是有效的 UUID", id), format!("id \"{}\" is not a valid UUID", id));
            }
        }
    }

    /// Texts in a list must not repeat (officers, seal numbers, ids).
    pub fn no_duplicates<'a>(&mut self, items: impl Iterator<Item = (Ptr, Option<&'a str>)>, label: Label) {
        let mut seen: Vec<&str> = Vec::new();
        for (at, value) in items {
            let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            if seen.contains(&v) {
                self.push(ProblemCode::Duplicate, &at, format!("{}“{}”重复", label.0, v), format!("{} \"{}\" appears twice", label.1, v));
            } else {
                seen.push(v);
            }
        }
    }
}
