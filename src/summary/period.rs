//! Reporting periods as bureaus name them: a month ("2026-03"), a quarter
//! ("2026-Q1"), a half-year ("2026-H1"), a year ("2026") or a custom range
//! ("2026-01-01/2026-06-30").

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::problem::Text;
use crate::time::Date;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    /// As given, e.g. "2026-H1".
    pub name: String,
    pub from: Date,
    pub to: Date,
    /// "2026年上半年" / "first half of 2026".
    pub label: Text,
}

fn ymd(y: i32, m: u32, d: u32) -> Option<Date> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_end(y: i32, m: u32) -> Option<Date> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1)?.pred_opt()
}

const MONTHS_EN: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// Parse a period name; `None` when it is not one of the forms above.
pub fn parse_period(name: &str) -> Option<Period> {
    let s = name.trim();
    let period = |from: Date, to: Date, zh: String, en: String| Some(Period { name: s.to_string(), from, to, label: Text::new(zh, en) });
    if let Some((a, b)) = s.split_once('/') {
        let (from, to): (Date, Date) = (crate::time::read_date(a.trim()).ok()?, crate::time::read_date(b.trim()).ok()?);
        if to < from {
            return None;
        }
        let zh = if from.year() == to.year() {
            format!("{}年{}月{}日至{}月{}日", from.year(), from.month(), from.day(), to.month(), to.day())
        } else {
            format!("{}年{}月{}日至{}年{}月{}日", from.year(), from.month(), from.day(), to.year(), to.month(), to.day())
        };
        return period(from, to, zh, format!("{from} to {to}"));
    }
    let (year, rest) = match s.split_once('-') {
        Some((y, r)) => (y.parse::<i32>().ok()?, Some(r)),
        None => (s.parse::<i32>().ok()?, None),
    };
    if !(1900..=9999).contains(&year) {
        return None;
    }
    match rest {
        None => period(ymd(year, 1, 1)?, ymd(year, 12, 31)?, format!("{year}年"), format!("{year}")),
        Some(r) if r.starts_with('Q') => {
            let q: u32 = r[1..].parse().ok().filter(|q| (1..=4).contains(q))?;
            let names = ["一", "二", "三", "四"];
            period(ymd(year, 3 * q - 2, 1)?, month_end(year, 3 * q)?, format!("{year}年第{}季度", names[q as usize - 1]), format!("Q{q} {year}"))
        }
        Some(r) if r.starts_with('H') => match &r[1..] {
            "1" => period(ymd(year, 1, 1)?, ymd(year, 6, 30)?, format!("{year}年上半年"), format!("first half of {year}")),
            "2" => period(ymd(year, 7, 1)?, ymd(year, 12, 31)?, format!("{year}年下半年"), format!("second half of {year}")),
            _ => None,
        },
        Some(r) => {
            let m: u32 = r.parse().ok().filter(|m| (1..=12).contains(m))?;
            period(ymd(year, m, 1)?, month_end(year, m)?, format!("{year}年{m}月"), format!("{} {year}", MONTHS_EN[m as usize - 1]))
        }
    }
}

/// A month as a number, `year * 100 + month` (202603): what the counts are kept by.
pub fn month_key(d: Date) -> u32 {
    use chrono::Datelike;
    (d.year().max(0) as u32) * 100 + d.month()
}

/// "2026-03" → 202603.
pub fn key_of_month(m: &str) -> Option<u32> {
    let (y, mo) = m.split_once('-')?;
    Some(y.parse::<u32>().ok()? * 100 + mo.parse::<u32>().ok()?)
}

/// "2026-03" for a date.
pub fn month_of(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Every month of a period, in order.
pub fn months(p: &Period) -> Vec<String> {
    let mut out = Vec::new();
    let mut d = ymd(p.from.year(), p.from.month(), 1).unwrap_or(p.from);
    while d <= p.to {
        out.push(month_of(d));
        d = match month_end(d.year(), d.month()).and_then(|e| e.succ_opt()) {
            Some(n) => n,
            None => break,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_forms() {
        let p = parse_period("2026-H1").unwrap();
        assert_eq!((p.from.to_string(), p.to.to_string(), p.label.zh.as_str()), ("2026-01-01".into(), "2026-06-30".into(), "2026年上半年"));
        let p = parse_period("2026-Q1").unwrap();
        assert_eq!((p.to.to_string(), p.label.zh.as_str()), ("2026-03-31".into(), "2026年第一季度"));
        let p = parse_period("2024-02").unwrap();
        assert_eq!(p.to.to_string(), "2024-02-29");
        assert_eq!(parse_period("2026").unwrap().to.to_string(), "2026-12-31");
        let p = parse_period("2026-01-01/2026-06-15").unwrap();
        assert_eq!(p.label.zh, "2026年1月1日至6月15日");
        assert_eq!(months(&p).len(), 6);
        for bad in ["2026-13", "2026-Q5", "2026-H3", "x", "2026-06-30/2026-01-01", ""] {
            assert!(parse_period(bad).is_none(), "{bad}");
        }
    }
}
