//! A seeded, realistic data set for benchmarks and demos: a bureau's year of
//! visits (dates on working days, a few hundred officers, tens of thousands of
//! operators in dozens of markets, all four kinds of check with plausible
//! violation rates, lab results for most samples, some amendments and drafts).
//! The same seed gives the same data on every machine.

use chrono::{Datelike, Duration, FixedOffset, TimeZone};

use crate::equipment::{EquipmentCheck, EquipmentKind};
use crate::metrology::{AccuracyClass, Delivery, InstrumentCheck, InstrumentType, SealState, Verification, Weighing};
use crate::price::{PriceCheck, PriceSubject, TagElement};
use crate::sampling::{LabItem, LabResult, ProductCategory, Sample, SampleCategory, SampleFollowUp};
use crate::time::Date;
use crate::visit::{Amendment, Attachment, Officer, Operator, RecordStatus, Signature, Site, Visit, SCHEMA_VERSION};

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

fn uuid(kind: u8, n: u64) -> String {
    format!("0190{:04x}-{:04x}-7{:03x}-8{:03x}-{:012x}", kind, (n >> 48) & 0xffff, (n >> 36) & 0xfff, (n >> 24) & 0xfff, n & 0xffff_ffff_ffff)
}

fn credit_code(n: u64) -> String {
    let body = format!("913501{:02}{:09}", n % 100, n);
    let first17: String = body.chars().take(17).collect();
    let check = crate::credit_code::check_character(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// The generated records.
pub struct Dataset {
    pub visits: Vec<Visit>,
    pub follow_ups: Vec<SampleFollowUp>,
    /// Re-inspections that closed rectification orders.
    pub rectifications: Vec<crate::summary::Rectification>,
}

impl Dataset {
    pub fn item_count(&self) -> usize {
        self.visits.iter().map(|v| v.price_checks.len() + v.instrument_checks.len() + v.equipment_checks.len() + v.samples.len()).sum()
    }
}

/// `n` visits of the year `year`, from `seed`.
pub fn generate(seed: u64, n: usize, year: i32) -> Dataset {
    let mut rng = Rng(seed);
    let tz = FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    let operators = (n / 3).max(10) as u64;
    let officers = 240u64;
    let markets = 60u64;
    let jan1 = Date::from_ymd_opt(year, 1, 1).expect("a year");
    let mut visits = Vec::with_capacity(n);
    let mut follow_ups = Vec::new();
    let attachment = Attachment { sha256: Some("a".repeat(64)), media_type: Some("image/png".into()), ..Default::default() };
    let mut item_no = 0u64;
    for i in 0..n as u64 {
        // a working day of the year, visits spread evenly
        let mut date = jan1 + Duration::days((i * 365 / n as u64) as i64);
        while matches!(date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
            date -= Duration::days(1);
        }
        if date.year() != year {
            date = jan1;
        }
        let start = tz.from_local_datetime(&date.and_hms_opt(9 + rng.below(8) as u32, rng.below(60) as u32, 0).expect("a time")).single().expect("fixed offset");
        let op = rng.below(operators);
        let officer_a = rng.below(officers);
        let officer_b = (officer_a + 1 + rng.below(officers - 1)) % officers;
        let mut v = Visit {
            schema_version: Some(SCHEMA_VERSION),
            id: Some(uuid(1, i)),
            status: Some(RecordStatus::Finalised),
            operator: Some(Operator {
                name: Some(format!("经营者{op:05}")),
                address: Some(format!("某区某路{}号", op % 500)),
                credit_code: Some(if op % 5 == 0 { "无".into() } else { credit_code(op) }),
                no_credit_code_reason: (op % 5 == 0).then(|| "个体摊贩".into()),
                ..Default::default()
            }),
            site: Some(Site { name: Some(format!("市场{:02}", op % markets)), market_id: Some(format!("M{:02}", op % markets)), ..Default::default() }),
            officers: [officer_a, officer_b].iter().map(|o| Officer { name: Some(format!("执法员{o:03}")), certificate_no: Some(format!("C-{o:04}")), user_id: None }).collect(),
            started_at: Some(start),
            ended_at: Some(start + Duration::minutes(40)),
            attachments: vec![attachment.clone()],
            signature: Some(Signature { signer_name: Some("经营者".into()), image_sha256: Some("a".repeat(64)), signed_at: Some(start + Duration::minutes(39)) }),
            finalised_at: Some(start + Duration::minutes(40)),
            ..Default::default()
        };
        macro_rules! next_item {
            () => {{
                item_no += 1;
                Some(uuid(2, item_no))
            }};
        }
        let kinds = rng.below(4);
        for _ in 0..(1 + rng.below(4) + if kinds == 0 { 2 } else { 0 }) {
            let tagged = !rng.chance(0.03);
            let mut elements = vec![TagElement::Name, TagElement::Price, TagElement::Unit];
            if rng.chance(0.05) {
                elements.pop();
            }
            let marked = 1.0 + rng.below(20_000) as f64 / 100.0;
            v.price_checks.push(PriceCheck {
                id: next_item!(),
                subject: Some(PriceSubject::Goods),
                item_name: Some("商品".into()),
                tag_present: Some(tagged),
                elements_seen: if tagged { elements } else { vec![] },
                marked_price: tagged.then_some(marked),
                charged_price: Some(if rng.chance(0.01) { marked + 1.0 } else { marked }),
                ..Default::default()
            });
        }
        for _ in 0..(if kinds == 1 { 1 + rng.below(3) } else { rng.below(2) }) {
            let e = [1.0, 2.0, 5.0, 10.0][rng.below(4) as usize];
            let load = (rng.below(2500) + 100) as f64 * e;
            let off = if rng.chance(0.04) { 3.5 * e } else { (rng.below(3) as f64 - 1.0) * e };
            let verified = date - Duration::days(rng.below(420) as i64);
            v.instrument_checks.push(InstrumentCheck {
                id: next_item!(),
                instrument_type: Some(InstrumentType::PriceScale),
                trade_use: Some(true),
                accuracy_class: Some(AccuracyClass::Medium),
                max_g: Some(3000.0 * e),
                e_g: Some(e),
                verification: Some(Verification { mark_present: Some(true), verified_on: Some(verified), ..Default::default() }),
                seal: Some(if rng.chance(0.01) { SealState::Broken } else { SealState::Intact }),
                weighings: vec![Weighing { load_g: Some(load), reading_g: Some(load + off) }],
                ..Default::default()
            });
            if rng.chance(0.1) {
                v.instrument_checks.push(InstrumentCheck {
                    id: next_item!(),
                    instrument_type: Some(InstrumentType::FuelDispenser),
                    trade_use: Some(true),
                    verification: Some(Verification { mark_present: Some(true), verified_on: Some(date - Duration::days(rng.below(200) as i64)), ..Default::default() }),
                    seal: Some(SealState::Intact),
                    deliveries: vec![Delivery { actual_l: Some(20.0), indicated_l: Some(20.0 + rng.below(9) as f64 * 0.01 - 0.04) }],
                    ..Default::default()
                });
            }
        }
        for _ in 0..(if kinds == 2 { 1 + rng.below(2) } else { rng.below(2) }) {
            let first = date - Duration::days(200 + rng.below(5000) as i64);
            v.equipment_checks.push(EquipmentCheck {
                id: next_item!(),
                kind: Some(EquipmentKind::Lift),
                registration_no: Some(format!("梯{item_no}")),
                first_used_on: Some(first),
                next_inspection_due: Some(date + Duration::days(rng.below(400) as i64 - 20)),
                last_maintenance_on: Some(date - Duration::days(rng.below(19) as i64)),
                maintenance_unit_licensed: Some(true),
                in_use: Some(true),
                ..Default::default()
            });
        }
        for _ in 0..(if kinds == 3 { 1 + rng.below(2) } else { rng.below(2) }) {
            let id = next_item!();
            let food = !rng.chance(0.2);
            v.samples.push(Sample {
                id: id.clone(),
                sample_no: Some(format!("S{item_no}")),
                category: Some(if food { SampleCategory::Food } else { SampleCategory::Industrial }),
                // From the item number, not the random stream: the benchmark's records stay as they were.
                product_category: Some(if food { ProductCategory::ALL[item_no as usize % 13] } else { ProductCategory::ALL[13 + item_no as usize % 10] }),
                product_name: Some("样品".into()),
                batch_no: Some("B1".into()),
                production_date: Some(date - Duration::days(rng.below(30) as i64)),
                shelf_life_days: Some(180),
                test_quantity: Some(1.0),
                backup_quantity: Some(1.0),
                quantity_unit: Some("kg".into()),
                seal_nos: vec![format!("F{item_no}")],
                samplers: vec!["甲".into(), "乙".into()],
                seals_signed_by_operator: Some(true),
                ..Default::default()
            });
            if rng.chance(0.85) {
                let failed = rng.chance(0.04);
                let reported = date + Duration::days(20 + rng.below(15) as i64);
                follow_ups.push(SampleFollowUp {
                    schema_version: Some(SCHEMA_VERSION),
                    id: Some(uuid(3, item_no)),
                    visit_id: v.id.clone(),
                    sample_id: id,
                    sent_to_lab_on: Some(date + Duration::days(1)),
                    lab_received_on: Some(date + Duration::days(2)),
                    lab_result: Some(LabResult {
                        report_no: Some(format!("R{item_no}")),
                        reported_on: Some(reported),
                        items: vec![LabItem { name: Some("项目".into()), value: Some(if failed { 0.3 } else { 0.01 }), unit: Some("mg/kg".into()), limit: Some(0.1), ..Default::default() }],
                        ..Default::default()
                    }),
                    disposal: (failed && rng.chance(0.7)).then(|| crate::sampling::Disposal { actions: vec![], completed_on: Some(reported + Duration::days(30)) }),
                    ..Default::default()
                });
            }
        }
        if rng.chance(0.005) {
            v.status = Some(RecordStatus::Draft);
            v.finalised_at = None;
        }
        // about 1 % correct an earlier visit
        if i > 10 && rng.chance(0.01) {
            let orig = (i - 1 - rng.below(10)) as usize;
            if let Some(o) = visits.get(orig).cloned() {
                let o: Visit = o;
                if o.status == Some(RecordStatus::Finalised) && o.amends.is_none() {
                    let mut a = o.clone();
                    a.id = Some(uuid(4, i));
                    a.amends = Some(Amendment { original_id: o.id.clone(), reason: Some("更正".into()) });
                    a.finalised_at = o.finalised_at.map(|t| t + Duration::hours(1));
                    visits.push(a);
                }
            }
        }
        visits.push(v);
    }
    // About 80 % of rectification orders are closed, most of them on time.
    let mut rectifications = Vec::new();
    let book = crate::Rulebook::builtin();
    for v in &visits {
        let eval = crate::evaluate_visit(v, &[], book, jan1);
        for f in eval.findings.iter().filter(|f| f.rectify_by.is_some()) {
            if rng.chance(0.8) {
                let due = f.rectify_by.unwrap_or(jan1);
                let late = rng.chance(0.15);
                rectifications.push(crate::summary::Rectification {
                    visit_id: v.id.clone().unwrap_or_default(),
                    finding_code: f.code.clone(),
                    path: f.path.clone(),
                    rectified_on: if late { due + Duration::days(1 + rng.below(10) as i64) } else { due - Duration::days(rng.below(3) as i64) },
                });
            }
        }
    }
    Dataset { visits, follow_ups, rectifications }
}
