//! Data validation of an instrument check: what the plate, the marks and the
//! test readings can and cannot be.

use super::{AccuracyClass, InstrumentCheck, InstrumentType};
use crate::check::{Checks, Label, Ptr};
use crate::problem::ProblemCode;

pub fn validate_instrument_check(m: &InstrumentCheck, c: &mut Checks, at: &Ptr) {
    c.id(&m.id, &at.key("id"));
    let kind = c.require(&m.instrument_type, &at.key("instrumentType"), Label("器具类型", "instrument type")).copied();
    c.require(&m.trade_use, &at.key("tradeUse"), Label("是否用于贸易结算", "whether used for trade settlement"));
    c.date_not_future(m.installed_on, &at.key("installedOn"), Label("安装日期", "installation date"));

    if let Some(v) = &m.verification {
        let vat = at.key("verification");
        c.require(&v.mark_present, &vat.key("markPresent"), Label("是否有检定合格标志/证书", "whether a verification mark is shown"));
        c.date_not_future(v.verified_on, &vat.key("verifiedOn"), Label("检定日期", "verification date"));
        c.dates_in_order(v.verified_on, Label("检定日期", "verification date"), v.valid_until, &vat.key("validUntil"), Label("有效期至", "valid until"));
    } else if m.trade_use == Some(true) {
        c.missing(&at.key("verification"), Label("检定情况", "verification"));
    }

    let Some(kind) = kind else { return };
    let wrong_tests = |c: &mut Checks, key: &str, present: bool| {
        if present {
            c.push(ProblemCode::TestsForOtherType, &at.key(key), "该试验数据不适用于此类器具".into(), "this kind of test does not apply to this instrument type".into());
        }
    };
    match kind {
        k if k.is_scale() => {
            scale(m, c, at);
            wrong_tests(c, "deliveries", !m.deliveries.is_empty());
            wrong_tests(c, "distanceRuns", !m.distance_runs.is_empty());
        }
        InstrumentType::FuelDispenser => {
            for (i, d) in m.deliveries.iter().enumerate() {
                let dat = at.key("deliveries").index(i);
                let actual = c.require(&d.actual_l, &dat.key("actualL"), Label("标准量器示值", "standard can volume")).copied();
                let shown = c.require(&d.indicated_l, &dat.key("indicatedL"), Label("加油机示值", "dispenser indication")).copied();
                c.positive(actual, &dat.key("actualL"), Label("标准量器示值", "standard can volume"));
                c.positive(shown, &dat.key("indicatedL"), Label("加油机示值", "dispenser indication"));
            }
            wrong_tests(c, "weighings", !m.weighings.is_empty());
            wrong_tests(c, "distanceRuns", !m.distance_runs.is_empty());
        }
        InstrumentType::TaxiMeter => {
            for (i, r) in m.distance_runs.iter().enumerate() {
                let rat = at.key("distanceRuns").index(i);
                let actual = c.require(&r.actual_km, &rat.key("actualKm"), Label("实际里程", "actual distance")).copied();
                let shown = c.require(&r.indicated_km, &rat.key("indicatedKm"), Label("计价器示值", "meter indication")).copied();
                c.positive(actual, &rat.key("actualKm"), Label("实际里程", "actual distance"));
                c.non_negative(shown, &rat.key("indicatedKm"), Label("计价器示值", "meter indication"));
            }
            wrong_tests(c, "weighings", !m.weighings.is_empty());
            wrong_tests(c, "deliveries", !m.deliveries.is_empty());
        }
        InstrumentType::WaterMeter | InstrumentType::GasMeter | InstrumentType::ElectricityMeter => {
            c.require(&m.installed_on, &at.key("installedOn"), Label("安装日期", "installation date"));
            if kind == InstrumentType::WaterMeter {
                let dn = c.require(&m.nominal_diameter_mm, &at.key("nominalDiameterMm"), Label("公称口径 DN", "nominal diameter DN")).copied();
                c.positive(dn.map(f64::from), &at.key("nominalDiameterMm"), Label("公称口径 DN", "nominal diameter DN"));
            }
            wrong_tests(c, "weighings", !m.weighings.is_empty());
            wrong_tests(c, "deliveries", !m.deliveries.is_empty());
            wrong_tests(c, "distanceRuns", !m.distance_runs.is_empty());
        }
        _ => {}
    }
}

fn scale(m: &InstrumentCheck, c: &mut Checks, at: &Ptr) {
    let class = c.require(&m.accuracy_class, &at.key("accuracyClass"), Label("准确度等级", "accuracy class")).copied();
    let max = c.require(&m.max_g, &at.key("maxG"), Label("最大秤量", "Max")).copied();
    let e = c.require(&m.e_g, &at.key("eG"), Label("检定分度值 e", "verification interval e")).copied();
    c.positive(max, &at.key("maxG"), Label("最大秤量", "Max"));
    c.positive(e, &at.key("eG"), Label("检定分度值 e", "verification interval e"));
    c.non_negative(m.min_g, &at.key("minG"), Label("最小秤量", "Min"));
    if let (Some(min), Some(max)) = (m.min_g, max) {
        if min >= max {
            c.push(ProblemCode::MinAboveMax, &at.key("minG"), format!("最小秤量 {} g 不小于最大秤量 {} g", min, max), format!("Min {} g is not below Max {} g", min, max));
        }
    }
    if let (Some(class), Some(max), Some(e)) = (class, max, e) {
        if max > 0.0 && e > 0.0 {
            // Number of verification intervals n = Max / e (JJG 539 / OIML R76 limits).
            let n = max / e;
            let (lo, hi) = match class {
                AccuracyClass::Medium if e >= 5.0 => (500.0, 10_000.0),
                AccuracyClass::Medium => (100.0, 10_000.0),
                AccuracyClass::Ordinary => (100.0, 1_000.0),
            };
            if n < lo - 1e-9 || n > hi + 1e-9 {
                c.push(
                    ProblemCode::IntervalsOutsideClass,
                    &at.key("eG"),
                    format!("Max/e = {:.0}，不在该等级的 {}–{} 范围内，请核对铭牌", n, lo, hi),
                    format!("Max/e = {:.0} is outside {}–{} for this class; check the plate", n, lo, hi),
                );
            }
        }
    }
    for (i, w) in m.weighings.iter().enumerate() {
        let wat = at.key("weighings").index(i);
        let load = c.require(&w.load_g, &wat.key("loadG"), Label("试验载荷", "test load")).copied();
        let reading = c.require(&w.reading_g, &wat.key("readingG"), Label("秤的示值", "reading")).copied();
        c.non_negative(load, &wat.key("loadG"), Label("试验载荷", "test load"));
        c.non_negative(reading, &wat.key("readingG"), Label("秤的示值", "reading"));
        if let (Some(load), Some(max)) = (load, max) {
            if load > max {
                c.push(ProblemCode::LoadAboveMax, &wat.key("loadG"), format!("试验载荷 {} g 超过最大秤量 {} g", load, max), format!("test load {} g is above Max {} g", load, max));
            }
        }
        if let (Some(load), Some(min)) = (load, m.min_g) {
            if load >= 0.0 && load < min {
                c.push(ProblemCode::LoadBelowMin, &wat.key("loadG"), format!("试验载荷 {} g 低于最小秤量 {} g", load, min), format!("test load {} g is below Min {} g", load, min));
            }
        }
    }
}
