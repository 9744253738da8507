//! China's working-day calendar: weekends, public holidays and the weekend
//! days that are working days (调休上班), as data from the State Council
//! notices (shipped in the rulebook, updatable from HQ). Legal deadlines such
//! as "within 5 working days" are counted here.
//!
//! Counting follows Chinese law on periods: the day the period starts is not
//! counted; "within N working days of D" ends on the N-th working day after D.
//! Outside the years the data covers, days are counted as weekdays only and
//! the answer says so — never a silent guess.

use chrono::{Datelike, Duration, Weekday};
use serde::{Deserialize, Serialize};

use crate::time::Date;

/// One year's adjustments, from one official notice.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct YearAdjustments {
    /// The notice, e.g. "国办发明电〔2023〕7号".
    pub source: String,
    /// Days off beyond ordinary weekends: "2024-02-10" or a range "2024-02-10/2024-02-17".
    pub off: Vec<String>,
    /// Weekend days that are working days (调休上班).
    pub work: Vec<String>,
}

/// The calendar, built from the per-year data and checked on load. Each known
/// year is kept as one bit per day (working or not): deadlines are counted
/// day by day for every sample of every visit in a summary.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkCalendar {
    /// Ordered by year. A few years: a sorted list, not a map (a map's code
    /// for one more key type is ≈ 1 KB of the tablet's module).
    years: Vec<(i32, Year)>,
}

#[derive(Clone, Debug, PartialEq)]
struct Year {
    /// Bit `ordinal - 1` is set when that day is a working day.
    working: [u64; 6],
    source: String,
}

impl Year {
    fn is_working(&self, d: Date) -> bool {
        let i = d.ordinal0() as usize;
        self.working[i / 64] >> (i % 64) & 1 == 1
    }
}

/// An answer counted (partly) outside the known years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Counted<T> {
    pub value: T,
    /// Some day counted lies outside the years with official data: weekends only were used.
    pub outside_known_years: bool,
}

fn parse_day(s: &str) -> Result<Date, String> {
    // Read as records' dates are (`time::read_date`), not by chrono's format-string parser.
    crate::time::read_date(s.trim()).map_err(|_| format!("\"{s}\" is not a date (YYYY-MM-DD)"))
}

/// Parse "YYYY-MM-DD" or "YYYY-MM-DD/YYYY-MM-DD" into the days it covers.
fn parse_days(s: &str) -> Result<Vec<Date>, String> {
    match s.split_once('/') {
        None => Ok(vec![parse_day(s)?]),
        Some((a, b)) => {
            let (a, b) = (parse_day(a)?, parse_day(b)?);
            if b < a || (b - a).num_days() > 31 {
                return Err(format!("\"{s}\" is not a range of at most a month"));
            }
            Ok(a.iter_days().take_while(|d| *d <= b).collect())
        }
    }
}

impl WorkCalendar {
    /// Build from per-year data. Every date must lie in its year, make-up
    /// working days must be weekend days, and each year names its notice.
    pub fn from_years<'a>(data: impl IntoIterator<Item = (&'a String, &'a YearAdjustments)>) -> Result<Self, Vec<String>> {
        let mut years: Vec<(i32, Year)> = Vec::new();
        let mut errors = Vec::new();
        for (key, adj) in data {
            let Ok(year) = key.parse::<i32>() else {
                errors.push(format!("calendar/{key}: not a year"));
                continue;
            };
            // a few dozen days each: lists, searched
            let mut off: Vec<Date> = Vec::new();
            let mut work: Vec<Date> = Vec::new();
            for (list, into, what) in [(&adj.off, &mut off, "off"), (&adj.work, &mut work, "work")] {
                for s in list {
                    match parse_days(s) {
                        Ok(days) => {
                            for d in days {
                                if d.year() != year {
                                    errors.push(format!("calendar/{key}/{what}: {d} is not in {year}"));
                                }
                                into.push(d);
                            }
                        }
                        Err(e) => errors.push(format!("calendar/{key}/{what}: {e}")),
                    }
                }
            }
            // in date order, once each (what the errors list)
            work.sort_unstable();
            work.dedup();
            for d in &work {
                if !is_weekend(*d) {
                    errors.push(format!("calendar/{key}/work: {d} is a weekday already"));
                }
                if off.contains(d) {
                    errors.push(format!("calendar/{key}: {d} is both off and a working day"));
                }
            }
            if adj.source.trim().is_empty() {
                errors.push(format!("calendar/{key}: the source notice is required"));
            }
            let mut working = [0u64; 6];
            if let Some(jan1) = Date::from_yo_opt(year, 1) {
                for d in jan1.iter_days().take_while(|d| d.year() == year) {
                    if work.contains(&d) || (!is_weekend(d) && !off.contains(&d)) {
                        let i = d.ordinal0() as usize;
                        working[i / 64] |= 1 << (i % 64);
                    }
                }
            }
            let entry = (year, Year { working, source: adj.source.clone() });
            // one entry a year, the last written winning (as a map's insert)
            match years.binary_search_by_key(&year, |(y, _)| *y) {
                Ok(i) => years[i] = entry,
                Err(i) => years.insert(i, entry),
            }
        }
        if errors.is_empty() {
            Ok(WorkCalendar { years })
        } else {
            Err(errors)
        }
    }

    fn year(&self, year: i32) -> Option<&Year> {
        self.years.binary_search_by_key(&year, |(y, _)| *y).ok().map(|i| &self.years[i].1)
    }

    /// The years with official data.
    pub fn known_years(&self) -> Vec<i32> {
        self.years.iter().map(|(y, _)| *y).collect()
    }

    pub fn source(&self, year: i32) -> Option<&str> {
        self.year(year).map(|y| y.source.as_str())
    }

    /// Whether `d` is a working day, and whether that is known or assumed.
    pub fn is_working_day(&self, d: Date) -> Counted<bool> {
        match self.year(d.year()) {
            Some(y) => Counted { value: y.is_working(d), outside_known_years: false },
            None => Counted { value: !is_weekend(d), outside_known_years: true },
        }
    }

    /// The `n`-th working day after `start` (`start` itself is not counted);
    /// `n = 0` gives `start`.
    pub fn add_working_days(&self, start: Date, n: u32) -> Counted<Date> {
        let mut d = start;
        let mut left = n;
        let mut outside = false;
        while left > 0 {
            // The calendar's last day ends the count (only an absurd `n` gets there).
            let Some(next) = d.succ_opt() else { break };
            d = next;
            let w = self.is_working_day(d);
            outside |= w.outside_known_years;
            if w.value {
                left -= 1;
            }
        }
        Counted { value: d, outside_known_years: outside }
    }

    /// Working days after `from` up to and including `to` (0 when `to <= from`).
    pub fn working_days_between(&self, from: Date, to: Date) -> Counted<u32> {
        let mut count = 0;
        let mut outside = false;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            let w = self.is_working_day(d);
            outside |= w.outside_known_years;
            count += w.value as u32;
        }
        Counted { value: count, outside_known_years: outside }
    }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}
