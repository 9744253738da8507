//! Rule parameters. One flat, typed set of optional values (a rule uses the
//! few it needs); which ones each rule requires is listed in `REQUIRED` and
//! checked when a rulebook is loaded, so evaluation never meets a gap.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Params {
    /// Days in a look-back window (comparison prices).
    pub window_days: Option<u32>,
    /// In-service MPE bands of class III scales: [load up to (in e), MPE (in e)], ascending.
    #[serde(rename = "bandsIII")]
    pub bands_iii: Option<Vec<(f64, f64)>>,
    /// The same for class IIII.
    #[serde(rename = "bandsIIII")]
    pub bands_iiii: Option<Vec<(f64, f64)>>,
    /// Maximum permissible error, percent of the quantity.
    pub mpe_percent: Option<f64>,
    /// Largest spread between repeated deliveries' errors, percent.
    pub max_spread_percent: Option<f64>,
    /// Lower and upper error limits, percent (taxi meters: −4.0 … +1.0).
    pub low_percent: Option<f64>,
    pub high_percent: Option<f64>,
    /// Service life by nominal diameter: [DN up to, years].
    pub life_by_dn: Option<Vec<(u32, u32)>>,
    pub life_years: Option<u32>,
    pub period_months: Option<u32>,
    pub grace_days: Option<u32>,
    pub warn_months: Option<u32>,
    /// Lifts: the years after acceptance with a periodic inspection.
    pub schedule_years: Option<Vec<u32>>,
    /// Lifts: yearly inspection once older than this.
    pub yearly_after_years: Option<u32>,
    /// Pressure vessels: first inspection within this many months of first use.
    pub first_within_months: Option<u32>,
    /// Pressure vessels: [safety grade up to, months].
    pub period_months_by_grade: Option<Vec<(u8, u32)>>,
    pub max_days: Option<u32>,
    pub design_life_years: Option<u32>,
    pub extension_years: Option<u32>,
    /// Manufacturing standards the design life applies to.
    pub standards: Option<Vec<String>>,
    pub older_life_years: Option<u32>,
    pub working_days: Option<u32>,
    pub calendar_days: Option<u32>,
    pub min_count: Option<u32>,
}

/// Parameters each rule needs in every version (rules not listed need none).
const REQUIRED: &[(&str, &[&str])] = &[
    ("PRICE.COMPARISON_TOO_HIGH", &["windowDays"]),
    ("MET.VERIFICATION_EXPIRED", &["periodMonths"]),
    ("MET.SCALE_MPE", &["bandsIII", "bandsIIII"]),
    ("MET.DISPENSER_MPE", &["mpePercent"]),
    ("MET.DISPENSER_REPEATABILITY", &["maxSpreadPercent"]),
    ("MET.TAXI_MPE", &["lowPercent", "highPercent"]),
    ("EQ.UNREGISTERED", &["graceDays"]),
    ("EQ.INSPECTION_DUE_SOON", &["warnMonths"]),
    ("EQ.LIFT_MAINTENANCE", &["maxDays"]),
    ("EQ.CYLINDER_PAST_LIFE", &["designLifeYears", "extensionYears", "standards", "olderLifeYears"]),
    ("SAMP.TOO_FEW_SAMPLERS", &["minCount"]),
    ("SAMP.LAB_DELIVERY", &["workingDays"]),
    ("SAMP.LAB_REPORT", &["workingDays"]),
    ("SAMP.DISPOSAL", &["calendarDays"]),
];

/// Parameters a version lacks; rules with alternatives are checked by hand.
pub fn missing_for(code: &str, p: &Params) -> Vec<String> {
    // What the parameters write as JSON (absent ones are skipped), by the core's writer.
    let present: serde_json::Value = serde_json::from_str(&crate::encode::to_json_text(p)).unwrap_or_default();
    let has = |k: &str| present.get(k).is_some();
    let mut missing: Vec<String> = REQUIRED.iter().filter(|(c, _)| *c == code).flat_map(|(_, keys)| keys.iter()).filter(|k| !has(k)).map(|k| k.to_string()).collect();
    let one_of = |keys: &[&str]| keys.iter().any(|k| has(k));
    match code {
        "MET.SERVICE_LIFE" if !one_of(&["lifeByDn", "lifeYears"]) => missing.push("lifeByDn or lifeYears".into()),
        "EQ.INSPECTION_OVERDUE" if !one_of(&["periodMonths", "scheduleYears", "periodMonthsByGrade"]) => missing.push("periodMonths, scheduleYears or periodMonthsByGrade".into()),
        "EQ.INSPECTION_OVERDUE" if has("scheduleYears") && !has("yearlyAfterYears") => missing.push("yearlyAfterYears".into()),
        "EQ.INSPECTION_OVERDUE" if has("periodMonthsByGrade") && !has("firstWithinMonths") => missing.push("firstWithinMonths".into()),
        "SAMP.RECHECK_WINDOW" if !one_of(&["workingDays", "calendarDays"]) => missing.push("workingDays or calendarDays".into()),
        _ => {}
    }
    for bands in [&p.bands_iii, &p.bands_iiii].into_iter().flatten() {
        if bands.is_empty() || bands.windows(2).any(|w| w[1].0 <= w[0].0) || bands.iter().any(|b| b.0 <= 0.0 || b.1 <= 0.0) {
            missing.push("MPE bands must be positive and ascending".into());
        }
    }
    missing
}
