//! The working-day calendar against the State Council notices (counted by hand).
#![cfg(not(target_arch = "wasm32"))]

use xuncha::time::Date;
use xuncha::Rulebook;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn make_up_days_are_working_days_and_holidays_are_not() {
    let cal = &Rulebook::builtin().calendar;
    for day in ["2024-02-04", "2024-02-18", "2025-01-26", "2025-02-08", "2025-09-28", "2025-10-11", "2026-01-04", "2026-02-14", "2026-02-28", "2026-10-10"] {
        assert!(cal.is_working_day(d(day)).value, "{day} is a make-up working day");
    }
    for day in ["2024-02-12", "2024-10-07", "2025-01-28", "2025-10-08", "2026-02-16", "2026-02-23", "2026-06-19", "2026-10-01", "2026-01-02"] {
        assert!(!cal.is_working_day(d(day)).value, "{day} is a holiday");
    }
    assert!(!cal.is_working_day(d("2026-03-14")).value, "an ordinary Saturday");
    assert!(cal.is_working_day(d("2026-03-16")).value, "an ordinary Monday");
}

#[test]
fn adding_working_days_across_holidays() {
    let cal = &Rulebook::builtin().calendar;
    let cases = [
        // (start, n, due) — counted by hand from the notices
        ("2026-03-10", 5, "2026-03-17"),  // an ordinary week
        ("2026-02-12", 5, "2026-02-26"),  // Spring Festival 2026, with Sat 02-14 worked
        ("2026-02-13", 1, "2026-02-14"),  // the make-up Saturday is the next working day
        ("2026-02-14", 1, "2026-02-24"),  // then nine days off
        ("2025-09-26", 5, "2025-10-10"),  // National Day 2025, with Sun 09-28 worked
        ("2025-09-30", 1, "2025-10-09"),  // eight days off
        ("2025-10-10", 1, "2025-10-11"),  // a make-up Saturday
        ("2024-02-09", 1, "2024-02-18"),  // Spring Festival 2024 (02-10..17) ends on a make-up Sunday
        ("2024-09-30", 1, "2024-10-08"),  // National Day 2024
        ("2026-03-12", 20, "2026-04-10"), // across Qingming 2026
        ("2026-03-10", 0, "2026-03-10"),
    ];
    for (start, n, due) in cases {
        let got = cal.add_working_days(d(start), n);
        assert_eq!(got.value, d(due), "{n} working days after {start}");
        assert!(!got.outside_known_years);
    }
}

#[test]
fn counting_working_days_between_dates() {
    let cal = &Rulebook::builtin().calendar;
    assert_eq!(cal.working_days_between(d("2026-02-12"), d("2026-02-26")).value, 5);
    assert_eq!(cal.working_days_between(d("2025-09-30"), d("2025-10-09")).value, 1);
    assert_eq!(cal.working_days_between(d("2026-03-10"), d("2026-03-10")).value, 0);
    assert_eq!(cal.working_days_between(d("2026-03-10"), d("2026-03-01")).value, 0);
    for (start, n) in [("2024-01-05", 40), ("2025-09-20", 17), ("2026-02-01", 33)] {
        let due = cal.add_working_days(d(start), n).value;
        assert_eq!(cal.working_days_between(d(start), due).value, n, "round trip from {start}");
    }
}

#[test]
fn outside_the_known_years_weekends_only_and_it_says_so() {
    let cal = &Rulebook::builtin().calendar;
    assert_eq!(cal.known_years(), vec![2024, 2025, 2026]);
    let got = cal.add_working_days(d("2026-12-30"), 3);
    assert_eq!(got.value, d("2027-01-04"), "Thu 12-31, Fri 01-01 (assumed), Mon 01-04");
    assert!(got.outside_known_years);
    let before = cal.is_working_day(d("2023-10-02"));
    assert!(before.value && before.outside_known_years, "a 2023 holiday is unknown here, and flagged");
}

#[test]
fn a_calendar_names_days_as_records_do_and_refuses_anything_else() {
    use std::collections::BTreeMap;
    use xuncha::calendar::{WorkCalendar, YearAdjustments};
    let year = |off: &[&str]| {
        let adj = YearAdjustments { source: "国办发明电〔2025〕7号".into(), off: off.iter().map(|s| s.to_string()).collect(), work: vec![] };
        WorkCalendar::from_years(&BTreeMap::from([("2026".to_string(), adj)]))
    };
    assert!(year(&["2026-10-01", " 2026-10-02 ", "2026-10-03/2026-10-08"]).is_ok());
    for bad in ["2026-02-30", "2026/10/01", "10-01-2026", "2026-10", "2026-10-01x", "二〇二六年十月一日", ""] {
        let errors = year(&[bad]).err().unwrap_or_else(|| panic!("{bad:?} was read as a day"));
        assert!(errors[0].contains("is not a date (YYYY-MM-DD)"), "{bad:?}: {errors:?}");
    }
}
