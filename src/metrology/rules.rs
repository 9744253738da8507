//! Compliance rules for measuring instruments.

use crate::encode::to_value;

use super::{AccuracyClass, InstrumentCheck, InstrumentType, SealState};
use crate::check::Ptr;
use crate::evaluate::{exceeds, Ctx};
use crate::problem::Text;
use crate::time::Date;

/// The rulebook's name for an instrument type (matches `appliesTo`).
pub fn subject(t: InstrumentType) -> &'static str {
    match t {
        InstrumentType::PriceScale => "priceScale",
        InstrumentType::Scale => "scale",
        InstrumentType::FuelDispenser => "fuelDispenser",
        InstrumentType::TaxiMeter => "taxiMeter",
        InstrumentType::WaterMeter => "waterMeter",
        InstrumentType::GasMeter => "gasMeter",
        InstrumentType::ElectricityMeter => "electricityMeter",
        InstrumentType::Other => "other",
    }
}

fn type_zh(t: InstrumentType) -> &'static str {
    match t {
        InstrumentType::PriceScale => "电子计价秤",
        InstrumentType::Scale => "秤",
        InstrumentType::FuelDispenser => "加油机",
        InstrumentType::TaxiMeter => "出租汽车计价器",
        InstrumentType::WaterMeter => "水表",
        InstrumentType::GasMeter => "燃气表",
        InstrumentType::ElectricityMeter => "电能表",
        InstrumentType::Other => "计量器具",
    }
}

fn add_months(d: Date, months: u32) -> Date {
    d.checked_add_months(chrono::Months::new(months)).unwrap_or(Date::MAX)
}

fn add_years(d: Date, years: u32) -> Date {
    add_months(d, years * 12)
}

fn g(v: f64) -> String {
    // grams without noise: 10 g, 2.5 g, 0.1 g
    let s = format!("{:.3}", v);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A signed amount in grams: +15 g, −2.5 g.
fn signed_g(v: f64) -> String {
    if v >= 0.0 {
        format!("+{}", g(v))
    } else {
        format!("−{}", g(-v))
    }
}

pub fn evaluate(m: &InstrumentCheck, ctx: &mut Ctx, at: &Ptr) {
    let Some(kind) = m.instrument_type else {
        return;
    };
    let subj = subject(kind);
    let id = &m.id;
    let name = type_zh(kind);
    let serial = m.serial_no.as_deref().map(|s| format!("（编号 {s}）")).unwrap_or_default();

    if m.trade_use == Some(true) {
        verification(m, ctx, at, kind, name, &serial);
    }
    if matches!(m.seal, Some(SealState::Broken | SealState::Missing)) {
        let (zh, en) = if m.seal == Some(SealState::Broken) { ("损坏", "broken") } else { ("缺失", "missing") };
        ctx.find("MET.SEAL_BROKEN", Some(subj), &at.key("seal"), id, Text::new(format!("{name}{serial}封印{zh}"), format!("the {subj} seal is {en}")), vec![]);
    }
    if m.cheating_device_found == Some(true) {
        ctx.find("MET.CHEATING_DEVICE", Some(subj), &at.key("cheatingDeviceFound"), id, Text::new(format!("{name}{serial}发现作弊装置"), format!("a cheating device was found in the {subj}")), vec![]);
    }
    match kind {
        InstrumentType::PriceScale | InstrumentType::Scale => scale_errors(m, ctx, at, subj),
        InstrumentType::FuelDispenser => dispenser_errors(m, ctx, at),
        InstrumentType::TaxiMeter => taxi_errors(m, ctx, at),
        InstrumentType::WaterMeter | InstrumentType::GasMeter | InstrumentType::ElectricityMeter => service_life(m, ctx, at, subj, name),
        InstrumentType::Other => {}
    }
}

/// 计量法 Art. 9 / 细则 Art. 22: no valid verification, failed, or past its period.
fn verification(m: &InstrumentCheck, ctx: &mut Ctx, at: &Ptr, kind: InstrumentType, name: &str, serial: &str) {
    let subj = subject(kind);
    let Some(v) = &m.verification else { return };
    let vat = at.key("verification");
    if v.failed == Some(true) {
        ctx.find(
            "MET.VERIFICATION_FAILED",
            Some(subj),
            &vat.key("failed"),
            &m.id,
            Text::new(format!("{name}{serial}检定不合格仍在使用"), format!("the {subj} failed verification and is in use")),
            vec![],
        );
        return;
    }
    let has_certificate = v.certificate_no.as_deref().is_some_and(|c| !c.trim().is_empty());
    if v.mark_present == Some(false) && !has_certificate {
        ctx.find(
            "MET.UNVERIFIED",
            Some(subj),
            &vat.key("markPresent"),
            &m.id,
            Text::new(format!("用于贸易结算的{name}{serial}无检定合格标志或证书"), format!("the {subj} used for trade has no verification mark or certificate")),
            vec![],
        );
        return;
    }
    let valid_until = v.valid_until.or_else(|| {
        let (_, version) = ctx.in_force("MET.VERIFICATION_EXPIRED", Some(subj))?;
        let months = version.values.period_months?;
        // Verified on D for a period of N months: valid through the day before D + N months.
        add_months(v.verified_on?, months).pred_opt()
    });
    if let Some(until) = valid_until {
        if ctx.date > until {
            ctx.find(
                "MET.VERIFICATION_EXPIRED",
                Some(subj),
                &vat.key(if v.valid_until.is_some() { "validUntil" } else { "verifiedOn" }),
                &m.id,
                Text::new(format!("{name}{serial}检定有效期至 {until}，已过期"), format!("the {subj} verification was valid until {until}")),
                vec![("validUntil", to_value(&until))],
            );
        }
    }
}

/// JJG 539 / OIML R76: in-service MPE by accuracy class and load (in e).
fn scale_errors(m: &InstrumentCheck, ctx: &mut Ctx, at: &Ptr, subj: &str) {
    let (Some(class), Some(e), Some(max)) = (m.accuracy_class, m.e_g, m.max_g) else {
        return;
    };
    if e <= 0.0 {
        return;
    }
    let Some((_, version)) = ctx.in_force("MET.SCALE_MPE", Some(subj)) else {
        return;
    };
    let bands: &[(f64, f64)] = match class {
        AccuracyClass::Medium => version.values.bands_iii.as_deref(),
        AccuracyClass::Ordinary => version.values.bands_iiii.as_deref(),
    }
    .unwrap_or(&[]);
    let class_name = match class {
        AccuracyClass::Medium => "III",
        AccuracyClass::Ordinary => "IIII",
    };
    for (i, w) in m.weighings.iter().enumerate() {
        let (Some(load), Some(reading)) = (w.load_g, w.reading_g) else {
            continue;
        };
        if load < 0.0 || load > max {
            continue; // a data problem, reported by validation
        }
        let load_e = load / e;
        // The first band whose upper edge is not exceeded (edges belong to the lower band).
        let Some(&(_, mpe_e)) = bands.iter().find(|(up_to, _)| !exceeds(load_e, *up_to)) else {
            continue;
        };
        let error = reading - load;
        let mpe = mpe_e * e;
        if exceeds((error / e).abs(), mpe_e) {
            ctx.find(
                "MET.SCALE_MPE",
                Some(subj),
                &at.key("weighings").index(i),
                &m.id,
                Text::new(
                    format!("{class_name} 级秤，试验载荷 {} g（{}e）示值 {} g，误差 {} g，超过使用中检验最大允许误差 ±{} g（±{}e）", g(load), g(load_e), g(reading), signed_g(error), g(mpe), g(mpe_e)),
                    format!("class {class_name}: load {} g ({}e) read {} g, error {} g beyond the in-service MPE ±{} g (±{}e)", g(load), g(load_e), g(reading), signed_g(error), g(mpe), g(mpe_e)),
                ),
                vec![("loadG", to_value(&load)), ("readingG", to_value(&reading)), ("errorG", to_value(&error)), ("mpeG", to_value(&mpe)), ("loadE", to_value(&load_e)), ("mpeE", to_value(&mpe_e))],
            );
        }
    }
}

fn percent(v: f64) -> String {
    format!("{:+.2}%", v)
}

/// JJG 443: ±0.30 % of the delivered volume; repeatability ≤ 0.10 %.
fn dispenser_errors(m: &InstrumentCheck, ctx: &mut Ctx, at: &Ptr) {
    let errors: Vec<(usize, f64)> = m
        .deliveries
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match (d.actual_l, d.indicated_l) {
            (Some(a), Some(s)) if a > 0.0 => Some((i, (s - a) / a * 100.0)),
            _ => None,
        })
        .collect();
    if let Some((_, version)) = ctx.in_force("MET.DISPENSER_MPE", Some("fuelDispenser")) {
        let mpe = version.values.mpe_percent.unwrap_or(0.30);
        for &(i, err) in &errors {
            if exceeds(err.abs(), mpe) {
                let d = &m.deliveries[i];
                ctx.find(
                    "MET.DISPENSER_MPE",
                    Some("fuelDispenser"),
                    &at.key("deliveries").index(i),
                    &m.id,
                    Text::new(
                        format!("加油机示值 {} L，标准量器 {} L，误差 {}，超过最大允许误差 ±{:.2}%", d.indicated_l.unwrap_or(0.0), d.actual_l.unwrap_or(0.0), percent(err), mpe),
                        format!("dispenser showed {} L for {} L, error {} beyond the MPE ±{:.2}%", d.indicated_l.unwrap_or(0.0), d.actual_l.unwrap_or(0.0), percent(err), mpe),
                    ),
                    vec![("errorPercent", to_value(&err)), ("mpePercent", to_value(&mpe))],
                );
            }
        }
    }
    if errors.len() >= 2 {
        if let Some((_, version)) = ctx.in_force("MET.DISPENSER_REPEATABILITY", Some("fuelDispenser")) {
            let limit = version.values.max_spread_percent.unwrap_or(0.10);
            let hi = errors.iter().map(|e| e.1).fold(f64::MIN, f64::max);
            let lo = errors.iter().map(|e| e.1).fold(f64::MAX, f64::min);
            if exceeds(hi - lo, limit) {
                ctx.find(
                    "MET.DISPENSER_REPEATABILITY",
                    Some("fuelDispenser"),
                    &at.key("deliveries"),
                    &m.id,
                    Text::new(format!("加油机重复性 {:.2}%，超过 {:.2}%", hi - lo, limit), format!("repeatability {:.2}% exceeds {:.2}%", hi - lo, limit)),
                    vec![("spreadPercent", to_value(&(hi - lo))), ("limitPercent", to_value(&limit))],
                );
            }
        }
    }
}

/// JJG 517-2016: installed taxi meters, distance error −4.0 % … +1.0 %.
fn taxi_errors(m: &InstrumentCheck, ctx: &mut Ctx, at: &Ptr) {
    let Some((_, version)) = ctx.in_force("MET.TAXI_MPE", Some("taxiMeter")) else {
        return;
    };
    let (low, high) = (version.values.low_percent.unwrap_or(-4.0), version.values.high_percent.unwrap_or(1.0));
    for (i, r) in m.distance_runs.iter().enumerate() {
        let (Some(actual), Some(shown)) = (r.actual_km, r.indicated_km) else {
            continue;
        };
        if actual <= 0.0 {
            continue;
        }
        let err = (shown - actual) / actual * 100.0;
        if exceeds(err, high) || exceeds(low, err) {
            ctx.find(
                "MET.TAXI_MPE",
                Some("taxiMeter"),
                &at.key("distanceRuns").index(i),
                &m.id,
                Text::new(
                    format!("实际里程 {actual} km，计价器显示 {shown} km，误差 {}，超出 {low:+.1}% 至 {high:+.1}%", percent(err)),
                    format!("actual {actual} km, meter {shown} km, error {} outside {low:+.1}% to {high:+.1}%", percent(err)),
                ),
                vec![("errorPercent", to_value(&err)), ("lowPercent", to_value(&low)), ("highPercent", to_value(&high))],
            );
        }
    }
}

/// Meters under 限期使用、到期轮换: replaced at the end of their life.
fn service_life(m: &InstrumentCheck, ctx: &mut Ctx, at: &Ptr, subj: &str, name: &str) {
    let Some(installed) = m.installed_on else {
        return;
    };
    let Some((_, version)) = ctx.in_force("MET.SERVICE_LIFE", Some(subj)) else {
        return;
    };
    let years = match (&version.values.life_by_dn, version.values.life_years) {
        (Some(bands), _) => {
            let Some(dn) = m.nominal_diameter_mm else {
                return;
            };
            // Beyond the largest listed DN: periodic verification instead of a fixed life.
            match bands.iter().find(|(up_to, _)| dn <= *up_to) {
                Some(&(_, y)) => y,
                None => return,
            }
        }
        (None, Some(y)) => y,
        (None, None) => return,
    };
    let end = add_years(installed, years);
    if ctx.date > end {
        ctx.find(
            "MET.SERVICE_LIFE",
            Some(subj),
            &at.key("installedOn"),
            &m.id,
            Text::new(format!("{name}安装于 {installed}，使用期限 {years} 年，已于 {end} 到期应轮换"), format!("the {subj} installed {installed} had a {years}-year life ending {end}")),
            vec![("installedOn", to_value(&installed)), ("lifeYears", to_value(&years)), ("endsOn", to_value(&end))],
        );
    }
}
