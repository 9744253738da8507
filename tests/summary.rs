//! Summaries against a half-year counted by hand (tests/fixtures/summary_h1.json).
//!
//! The records (H1 2026, as of 2026-07-10):
//! - V1 01-15 operator A, market M1, officers C-01 C-02: a price tag missing → PRICE.NO_TAG,
//!   rectify by 01-18, rectified 01-17 (on time).
//! - V2 02-10 operator B, M1, C-01 C-03: a scale +5e off → MET.SCALE_MPE … but V9 amends V2
//!   (the reading was mis-recorded): V2 is superseded and does not count.
//! - V3 03-05 operator A, M1, C-02 C-03: lift maintained 20 days before → EQ.LIFT_MAINTENANCE,
//!   rectify by 03-12, rectified 03-20 (late); a boiler in order.
//! - V4 04-20 operator C (no credit code), M2, C-01 C-02: one food sample, one sampler
//!   (notice), failed (毒死蜱), disposed 05-30 (on time).
//! - V5 05-12 operator D, M2, C-04 C-05: a food sample passed; an industrial sample failed,
//!   disposal open (due 08-30); charged 62.0 against a tag of 59.9 → PRICE.ABOVE_MARKED
//!   (a case, no rectification period).
//! - V6 06-30 operator B, no market, C-01 C-02: a dispenser in order.
//! - V7 07-02: outside the period. V8 06-01: a draft (not counted).
//! - V9 02-10 (finalised 02-11) amends V2: two scales in order, a price tag in order.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use xuncha::summary::{summarise, GroupBy, Rectification, Scope, Summary, SummaryBuilder, SummaryQuery};
use xuncha::{check_visit, Rulebook, Visit};

struct Data {
    visits: Vec<Visit>,
    follow_ups: Vec<xuncha::sampling::SampleFollowUp>,
    rectifications: Vec<Rectification>,
}

fn data() -> Data {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/summary_h1.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let now = xuncha::time::parse_timestamp("2026-07-10T12:00:00+08:00").unwrap();
    let visits = v["visits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let c = check_visit(x.clone(), now);
            let errors: Vec<_> = c.report.problems.iter().filter(|p| p.is_error()).collect();
            assert!(errors.is_empty(), "the hand-counted records are valid: {errors:?}");
            c.record.unwrap()
        })
        .collect();
    Data { visits, follow_ups: serde_json::from_value(v["followUps"].clone()).unwrap(), rectifications: serde_json::from_value(v["rectifications"].clone()).unwrap() }
}

fn query(scope: Scope, group_by: Option<GroupBy>) -> SummaryQuery {
    SummaryQuery { period: "2026-H1".into(), scope, as_of: "2026-07-10".parse().unwrap(), group_by, top: None }
}

fn h1(scope: Scope, group_by: Option<GroupBy>) -> Summary {
    let d = data();
    summarise(&d.visits, &d.follow_ups, &d.rectifications, &query(scope, group_by), Rulebook::builtin()).unwrap()
}

#[test]
fn the_half_year_matches_the_hand_count() {
    let s = h1(Scope::default(), None);
    let f = &s.figures;
    assert_eq!(s.period.label.zh, "2026年上半年");
    assert_eq!(f.visits, 6, "V1 V3 V4 V5 V6 V9");
    assert_eq!(f.operators, 4, "A B C D");
    assert_eq!(f.officer_deployments, 12);
    assert_eq!(f.violations, 5, "NO_TAG, LIFT_MAINTENANCE, TEST_ITEM_FAILED ×2, ABOVE_MARKED");
    assert_eq!(f.notices, 1, "one sampler on V4");
    assert_eq!((f.visits_with_violations, f.compliant_visits), (4, 2));
    assert_eq!(f.compliance_rate.display, "33.3%");
    assert_eq!((f.compliance_rate.numerator, f.compliance_rate.denominator), (2, 6));

    assert_eq!((f.price.checks, f.price.violations), (3, 2));
    let types: Vec<(&str, u32)> = f.price.by_type.iter().map(|c| (c.code.as_str(), c.count)).collect();
    assert_eq!(types, vec![("PRICE.ABOVE_MARKED", 1), ("PRICE.NO_TAG", 1)]);

    assert_eq!((f.metrology.instruments, f.metrology.failed), (3, 0), "V9's two scales and V6's dispenser; V2 does not count");
    assert_eq!(f.metrology.failure_rate.display, "0.0%");

    assert_eq!((f.equipment.units, f.equipment.hazards, f.equipment.rectified), (2, 1, 1));
    assert_eq!(f.equipment.rectification_rate.display, "100.0%");

    let sm = &f.sampling;
    assert_eq!((sm.batches, sm.with_result, sm.pending_results, sm.failed), (3, 3, 0, 2));
    assert_eq!(sm.failure_rate.display, "66.7%");
    assert_eq!((sm.disposed, sm.disposals_open, sm.disposals_overdue), (1, 1, 0));
    assert_eq!((sm.disposal_rate.numerator, sm.disposal_rate.denominator, sm.disposal_rate.display.as_str()), (1, 2, "50.0%"));

    let r = &f.rectification;
    assert_eq!((r.ordered, r.on_time, r.late, r.overdue, r.open), (2, 1, 1, 0, 0));
    assert_eq!(r.on_time_rate.display, "50.0%");

    let top: Vec<(&str, u32)> = f.top_violations.iter().map(|c| (c.code.as_str(), c.count)).collect();
    assert_eq!(top, vec![("SAMP.TEST_ITEM_FAILED", 2), ("EQ.LIFT_MAINTENANCE", 1), ("PRICE.ABOVE_MARKED", 1), ("PRICE.NO_TAG", 1)]);

    let months: Vec<(&str, u32, u32)> = s.months.iter().map(|m| (m.month.as_str(), m.visits, m.visits_with_violations)).collect();
    assert_eq!(months, vec![("2026-01", 1, 1), ("2026-02", 1, 0), ("2026-03", 1, 1), ("2026-04", 1, 1), ("2026-05", 1, 1), ("2026-06", 1, 0)]);
    assert_eq!((s.drafts, s.superseded), (1, 1));
}

#[test]
fn rectifications_and_disposals_are_judged_as_of_the_date() {
    let d = data();
    // Without the rectification records, both orders are past due by 07-10: overdue.
    let s = summarise(&d.visits, &d.follow_ups, &[], &query(Scope::default(), None), Rulebook::builtin()).unwrap();
    let r = &s.figures.rectification;
    assert_eq!((r.ordered, r.overdue, r.on_time), (2, 2, 0));
    assert_eq!(s.figures.equipment.rectified, 0);
    // As of 2026-01-16, only V1 is… not counted yet either way: the period is H1, as-of moves judgement only.
    let mut q = query(Scope::default(), None);
    q.as_of = "2026-03-10".parse().unwrap();
    let s = summarise(&d.visits, &d.follow_ups, &[], &q, Rulebook::builtin()).unwrap();
    let r = &s.figures.rectification;
    assert_eq!((r.overdue, r.open), (1, 1), "V1 due 01-18 overdue; V3 due 03-12 still open on 03-10");
    // The industrial failure's disposal (reported 06-01) is overdue after 08-30.
    q.as_of = "2026-08-31".parse().unwrap();
    let s = summarise(&d.visits, &d.follow_ups, &d.rectifications, &q, Rulebook::builtin()).unwrap();
    assert_eq!((s.figures.sampling.disposals_overdue, s.figures.sampling.disposals_open), (1, 0));
}

#[test]
fn scopes() {
    let s = h1(Scope { officer: Some("C-04".into()), ..Scope::default() }, None);
    assert_eq!((s.figures.visits, s.figures.violations), (1, 2), "V5 only");
    let s = h1(Scope { market: Some("M1".into()), ..Scope::default() }, None);
    assert_eq!((s.figures.visits, s.figures.operators), (3, 2), "V1 V3 V9: operators A, B");
    let s = h1(Scope { operator: Some("91350100M000100Y43".into()), ..Scope::default() }, None);
    assert_eq!(s.figures.visits, 2, "A: V1 V3");
    let s = h1(Scope { operator: Some("张三水果摊".into()), ..Scope::default() }, None);
    assert_eq!(s.figures.visits, 1, "an operator without a code, by name");
    let s = h1(Scope { kind: Some(xuncha::rules::CheckKind::Sampling), ..Scope::default() }, None);
    assert_eq!((s.figures.visits, s.figures.violations, s.figures.notices), (2, 2, 1), "V4 V5, sampling findings only");
    assert_eq!((s.figures.price.checks, s.figures.sampling.batches), (0, 3));
}

#[test]
fn groups() {
    let s = h1(Scope::default(), Some(GroupBy::Market));
    let g: Vec<(&str, u32)> = s.groups.iter().map(|g| (g.key.as_str(), g.figures.visits)).collect();
    assert_eq!(g, vec![("M1", 3), ("M2", 2), ("", 1)]);
    let s = h1(Scope::default(), Some(GroupBy::Officer));
    let c01 = s.groups.iter().find(|g| g.key == "C-01").unwrap();
    assert_eq!((c01.label.as_str(), c01.figures.visits), ("陈某", 4), "V1 V4 V6 V9");
    assert_eq!(s.groups.iter().map(|g| g.figures.visits).sum::<u32>(), 12, "group visits add up to 人次");
    let s = h1(Scope::default(), Some(GroupBy::Kind));
    let g: Vec<(&str, u32, u32)> = s.groups.iter().map(|g| (g.key.as_str(), g.figures.visits, g.figures.violations)).collect();
    assert_eq!(g, vec![("equipment", 1, 1), ("metrology", 2, 0), ("price", 3, 2), ("sampling", 2, 2)]);
    let s = h1(Scope::default(), Some(GroupBy::Month));
    assert_eq!(s.groups.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(), vec!["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]);
    let s = h1(Scope::default(), Some(GroupBy::Operator));
    let b = s.groups.iter().find(|g| g.key == "91350200776049653A").unwrap();
    assert_eq!(b.figures.visits, 2, "B: V9 and V6");
}

#[test]
fn rates_over_zero_are_a_dash() {
    let s = summarise(&[], &[], &[], &query(Scope::default(), None), Rulebook::builtin()).unwrap();
    let f = &s.figures;
    assert_eq!(f.visits, 0);
    for r in [&f.compliance_rate, &f.metrology.failure_rate, &f.sampling.disposal_rate, &f.rectification.on_time_rate] {
        assert_eq!((r.display.as_str(), r.percent), ("—", None));
    }
    assert_eq!(s.months.len(), 6, "every month of the period, zeros included");
}

#[test]
fn incremental_matches_batch_in_any_order_and_amendments_replace() {
    let d = data();
    let batch = summarise(&d.visits, &d.follow_ups, &d.rectifications, &query(Scope::default(), Some(GroupBy::Market)), Rulebook::builtin()).unwrap();
    // Add one by one, the amendment before its original and the rest reversed.
    let mut b = SummaryBuilder::new(query(Scope::default(), Some(GroupBy::Market)), Rulebook::builtin()).unwrap();
    b.add_rectifications(&d.rectifications);
    let mut order: Vec<&Visit> = d.visits.iter().collect();
    order.reverse();
    for v in order {
        let mine: Vec<_> = d.follow_ups.iter().filter(|f| f.visit_id == v.id).cloned().collect();
        b.upsert(v, &mine);
    }
    assert_eq!(b.summary(), batch);
    // Re-adding a record changes nothing (a sync replay).
    b.upsert(&d.visits[0], &[]);
    assert_eq!(b.summary(), batch);
    // A live dashboard: the count moves by one visit at a time.
    let mut live = SummaryBuilder::new(query(Scope::default(), None), Rulebook::builtin()).unwrap();
    for (i, v) in d.visits.iter().filter(|v| v.amends.is_none()).take(3).enumerate() {
        live.upsert(v, &[]);
        assert_eq!(live.counted(), i + 1);
    }
}

#[test]
fn the_report_reads_as_a_bureau_writes_it() {
    let s = h1(Scope::default(), None);
    // The figures the seeds count: markets inspected (A and B), violations whose measure is 立案调查
    // (the price charged above the tag), operators found using failed instruments (none here).
    assert_eq!((s.figures.markets, s.figures.cases_to_open, s.figures.metrology.failed_operators), (2, 1, 0));
    let p = xuncha::summary::report::paragraphs(&s);
    assert_eq!(
        p.total.zh,
        "2026年上半年（统计截至2026年7月10日），共出动执法人员12人次，检查经营主体6家次（4家），涉及2个市场，其中4家次发现违法问题，共发现违法问题5项，其中拟立案调查1项；\
         责令整改2项，已按期整改1项、逾期整改1项，逾期未整改0项，尚在整改期限内0项，按期整改率50.0%。\
         问题较多的是：检验项目不合格2项、电梯超过15日未进行维护保养1项、收费高于标示价格（低价招徕、高价结算）1项、未明码标价1项。"
    );
    assert_eq!(p.price.zh, "明码标价方面，检查商品和服务价格标示3项，发现价格违法行为2处，其中收费高于标示价格（低价招徕、高价结算）1处、未明码标价1处。");
    assert_eq!(p.metrology.zh, "计量监管方面，检查计量器具3台，发现不合格0台，不合格率0.0%。");
    assert_eq!(p.equipment.zh, "特种设备安全方面，检查特种设备2台（套）（其中电梯1台、锅炉1台），发现安全隐患和问题1项，已整改1项，整改率100.0%，主要为电梯超过15日未进行维护保养1项。");
    // By product category, as the seeds write it: V4's and V5's celery, V5's kettle.
    assert_eq!(
        p.sampling.zh,
        "抽检方面，共抽检3批次，不合格2批次，不合格率66.7%，不合格后处置率50.0%（已处置1批次，处置中1批次）。其中蔬菜2个批次，1个批次不合格；家用电子电器1个批次，1个批次不合格。"
    );
    assert!(p.total.en.starts_with("In first half of 2026 (as of 2026-07-10), officers were deployed 12 times and inspected 6 operator visits (4 distinct operators)"));
    let empty = summarise(&[], &[], &[], &query(Scope::default(), None), Rulebook::builtin()).unwrap();
    assert_eq!(xuncha::summary::report::paragraphs(&empty).sampling.zh, "抽检方面，本期未开展抽样检验。");
}

#[test]
fn csv_exports_open_in_excel() {
    let d = data();
    let s = h1(Scope::default(), None);
    let csv = xuncha::summary::export::summary_csv(&s);
    assert!(csv.starts_with('\u{feff}'), "UTF-8 BOM");
    assert!(csv.contains("\r\n"));
    assert!(csv.contains("检查经营主体（家次）,6,,\r\n"));
    assert!(csv.contains("抽检不合格率,66.7%,2,3\r\n"));
    let evals: Vec<_> = d.visits.iter().map(|v| Some(xuncha::evaluate_visit(v, &[], Rulebook::builtin(), "2026-07-10".parse().unwrap()))).collect();
    let visits = xuncha::summary::export::visits_csv(&d.visits, &evals);
    assert_eq!(visits.lines().count(), 1 + d.visits.len());
    assert!(visits.lines().nth(1).unwrap().starts_with("01900000-0000-7000-8000-000000000101,2026-01-15,已定稿,,福州某某超市有限公司,91350100M000100Y43,"));
    let findings = xuncha::summary::export::findings_csv(&d.visits, &evals);
    assert!(findings.contains(",PRICE.NO_TAG,未明码标价,违法,"));
    // Who, where, which check and item, in words; where the rectification stands, from the rectifications given.
    let closed: Vec<_> = evals
        .iter()
        .map(|e| {
            let mut e = e.clone().unwrap();
            xuncha::rectification::close_deadlines(&mut e, &d.rectifications);
            Some(e)
        })
        .collect();
    let findings = xuncha::summary::export::findings_csv(&d.visits, &closed);
    assert!(findings.lines().next().unwrap().contains("统一社会信用代码,检查场所,执法人员,检查类别,检查对象,规则代码"));
    let v1 = findings.lines().find(|l| l.contains("PRICE.NO_TAG")).unwrap();
    assert!(v1.contains(",福州某某超市有限公司,91350100M000100Y43,"), "{v1}");
    assert!(v1.contains(",明码标价,第 1 项 "), "{v1}");
    assert!(v1.ends_with(",按期完成（2026-01-17）"), "{v1}");
    assert!(!findings.contains(",/priceChecks/"), "no internal paths");
    assert!(findings.contains(",SAMP.TOO_FEW_SAMPLERS,抽样人员少于两名,提醒,"));
    // A name with a comma and quotes is quoted; one that looks like a formula is defused.
    let mut odd = d.visits[0].clone();
    odd.operator.as_mut().unwrap().name = Some("某\"超市\",有限公司".into());
    odd.site = Some(xuncha::visit::Site { name: Some("=HYPERLINK(1)".into()), ..Default::default() });
    let row = xuncha::summary::export::visits_csv(&[odd], &[None]);
    let line = row.lines().nth(1).unwrap();
    assert!(line.contains(",\"某\"\"超市\"\",有限公司\","), "{line}");
    assert!(line.contains(",'=HYPERLINK(1),"), "{line}");
}

#[test]
fn charts_are_well_formed_svg() {
    let s = h1(Scope::default(), None);
    for svg in [xuncha::summary::chart::trend_svg(&s), xuncha::summary::chart::findings_svg(&s)] {
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert!(svg.contains("2026年上半年"));
    }
    let trend = xuncha::summary::chart::trend_svg(&s);
    assert_eq!(trend.matches("<rect").count(), 1 + 6, "legend + one bar per month");
    let findings = xuncha::summary::chart::findings_svg(&s);
    assert!(findings.contains("检验项目不合格"));
    // a label with markup characters is escaped
    let mut odd = s.clone();
    odd.period.label.zh = "<2026> & \"H1\"".into();
    assert!(roxmltree::Document::parse(&xuncha::summary::chart::trend_svg(&odd)).is_ok());
}

#[test]
fn the_benchmark_data_set_is_valid_realistic_and_reproducible() {
    let a = xuncha::dataset::generate(7, 600, 2026);
    let b = xuncha::dataset::generate(7, 600, 2026);
    let c = xuncha::dataset::generate(8, 600, 2026);
    let json = |d: &xuncha::dataset::Dataset| serde_json::to_string(&d.visits).unwrap();
    assert_eq!(json(&a), json(&b), "the same seed gives the same data");
    assert_ne!(json(&a), json(&c));
    assert!(a.item_count() >= 4 * a.visits.len(), "at least four checks per visit on average");
    let now = xuncha::time::parse_timestamp("2027-01-31T12:00:00+08:00").unwrap();
    for v in &a.visits {
        let r = check_visit(serde_json::to_value(v).unwrap(), now).report;
        assert!(r.problems.is_empty(), "generated records are valid: {:?}", r.problems);
    }
    let q = SummaryQuery { period: "2026".into(), scope: Scope::default(), as_of: "2027-01-31".parse().unwrap(), group_by: None, top: None };
    let s = summarise(&a.visits, &a.follow_ups, &a.rectifications, &q, Rulebook::builtin()).unwrap();
    let f = &s.figures;
    assert!(f.violations > 0 && f.compliant_visits > f.visits / 3, "some violations, mostly compliant");
    assert!(f.sampling.failed > 0 && f.rectification.on_time > 0 && s.superseded > 0);
}

/// A draft counts in the period it was started in, the period's first and last
/// days included, batch and incremental alike.
#[test]
fn drafts_on_the_first_and_last_day_of_a_period_count() {
    let d = data();
    let template = d.visits.iter().find(|v| v.status == Some(xuncha::visit::RecordStatus::Draft)).expect("the fixture has a draft").clone();
    let on = |n: u32, day: &str| {
        let mut v = template.clone();
        v.id = Some(format!("01900000-0000-7000-8000-0000000d{n:04}"));
        v.started_at = Some(xuncha::time::parse_timestamp(&format!("{day}T09:00:00+08:00")).unwrap());
        v.ended_at = None;
        v
    };
    // In H1: 1 January and 30 June; outside: 31 December before and 1 July after.
    let visits = vec![on(1, "2026-01-01"), on(2, "2026-06-30"), on(3, "2025-12-31"), on(4, "2026-07-01")];
    let batch = summarise(&visits, &[], &[], &query(Scope::default(), None), Rulebook::builtin()).unwrap();
    assert_eq!(batch.drafts, 2, "the first and the last day count, the days around them do not");
    let mut live = SummaryBuilder::new(query(Scope::default(), None), Rulebook::builtin()).unwrap();
    for v in &visits {
        live.upsert(v, &[]);
    }
    assert_eq!(live.summary().drafts, 2);
}

/// 查处使用不合格计量器具的商家: operators, not instruments nor visits — one
/// operator with failed instruments on two visits counts once.
#[test]
fn operators_using_failed_instruments_are_counted_once_each() {
    let now = xuncha::time::parse_timestamp("2026-07-10T12:00:00+08:00").unwrap();
    let mut base: Value = serde_json::from_str(include_str!("fixtures/visit_complete.json")).unwrap();
    base["instrumentChecks"][0]["verification"]["validUntil"] = serde_json::json!("2026-02-28");
    let visit = |n: u32, credit: &str| -> Visit {
        let mut v = base.clone();
        v["id"] = serde_json::json!(format!("01900000-0000-7000-8000-0003{n:08}"));
        v["operator"]["creditCode"] = serde_json::json!(credit);
        check_visit(v, now).record.unwrap()
    };
    let visits = [visit(1, "91350100M000100Y43"), visit(2, "91350100M000100Y43")];
    let s = summarise(&visits, &[], &[], &query(Scope::default(), None), Rulebook::builtin()).unwrap();
    assert_eq!((s.figures.metrology.failed, s.figures.metrology.failed_operators), (2, 1));
    assert!(xuncha::summary::report::paragraphs(&s).metrology.zh.contains("查处使用不合格计量器具的商家1家"));
}

/// Drilling down: the records behind every count, for the whole scope and for
/// each group of every grouping, add up to the count — on the hand-counted
/// half-year (amendments, drafts, a visit outside the period) and on generated
/// bureau-years.
fn assert_records_make_up_every_count(visits: &[Visit], follow_ups: &[xuncha::sampling::SampleFollowUp], rectifications: &[Rectification], period: &str, as_of: &str) {
    let names: Vec<String> = serde_json::to_value(xuncha::summary::Counts::default()).unwrap().as_object().unwrap().keys().cloned().collect();
    for group_by in [None, Some(GroupBy::Market), Some(GroupBy::Officer), Some(GroupBy::Operator), Some(GroupBy::Month), Some(GroupBy::Kind)] {
        let q = SummaryQuery { period: period.into(), scope: Scope::default(), as_of: as_of.parse().unwrap(), group_by, top: None };
        let s = summarise(visits, follow_ups, rectifications, &q, Rulebook::builtin()).unwrap();
        let mut scopes: Vec<(Option<String>, Value)> = vec![(None, serde_json::to_value(s.figures.counts).unwrap())];
        scopes.extend(s.groups.iter().map(|g| (Some(g.key.clone()), serde_json::to_value(g.figures.counts).unwrap())));
        for (group, counts) in &scopes {
            for name in &names {
                let behind = xuncha::summary::records_behind(visits, follow_ups, rectifications, &q, Rulebook::builtin(), name, group.as_deref()).unwrap();
                let sum: u64 = behind.iter().map(|r| r.count as u64).sum();
                assert_eq!(sum, counts[name].as_u64().unwrap(), "{name} in {group:?} by {group_by:?}");
                assert!(behind.windows(2).all(|w| w[0].date <= w[1].date), "oldest first");
            }
        }
    }
}

#[test]
fn every_count_opens_the_records_that_make_it_up() {
    let d = data();
    assert_records_make_up_every_count(&d.visits, &d.follow_ups, &d.rectifications, "2026-H1", "2026-07-10");
    // By hand: one rectification was late, V3's lift; a count the summary lacks is refused by name.
    let q = query(Scope::default(), None);
    let ids: Vec<String> = xuncha::summary::records_behind(&d.visits, &d.follow_ups, &d.rectifications, &q, Rulebook::builtin(), "rectLate", None).unwrap().into_iter().map(|r| r.visit_id).collect();
    assert_eq!(ids, [d.visits.iter().find(|v| v.started_at.is_some_and(|t| t.date_naive().to_string() == "2026-03-05")).unwrap().id.clone().unwrap()], "V3's lift, rectified late");
    let e = xuncha::summary::records_behind(&d.visits, &d.follow_ups, &d.rectifications, &q, Rulebook::builtin(), "nonsense", None).unwrap_err();
    assert_eq!(xuncha::CoreError::code(&e), "UNKNOWN_COUNT");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 6, ..Default::default() })]
    #[test]
    fn generated_bureau_years_drill_down_to_their_counts(seed in 0u64..1_000_000, n in 10usize..50) {
        let d = xuncha::dataset::generate(seed, n, 2026);
        assert_records_make_up_every_count(&d.visits, &d.follow_ups, &d.rectifications, "2026", "2026-12-31");
    }
}

/// The sum of digests is the full evaluation: the same summary and the same
/// records behind each count, for any day asked (limits not met yet become
/// findings once passed), every grouping and scope.
fn assert_digests_sum_to_the_full_evaluation(d: &xuncha::dataset::Dataset, period: &str, as_of: &str, scopes: &[Scope]) {
    use xuncha::summary::digest::{digests_of, Digest};
    let book = Rulebook::builtin();
    let digests = digests_of(&d.visits, &d.follow_ups, &d.rectifications, book);
    // As HQ stores and serves them: JSON, read back.
    let digests: Vec<Digest> = serde_json::from_str(&serde_json::to_string(&digests).unwrap()).unwrap();
    // Held in an index (names as numbers, chains resolved once), in two batches as a console receives pages.
    let mut index = xuncha::summary::DigestIndex::default();
    let half = digests.len() / 2;
    index.extend(digests[..half].iter().cloned());
    index.extend(digests[half..].iter().cloned());
    // Kept as bytes (the console's cache) and read back: the same digests.
    let bytes = xuncha::summary::cache::to_bytes(&index);
    let back = xuncha::summary::cache::from_bytes(&bytes).unwrap();
    assert_eq!(back.digests(), index.digests());
    for scope in scopes {
        for group_by in [None, Some(GroupBy::Market), Some(GroupBy::Officer), Some(GroupBy::Operator), Some(GroupBy::Month), Some(GroupBy::Kind)] {
            let q = SummaryQuery { period: period.into(), scope: scope.clone(), as_of: as_of.parse().unwrap(), group_by, top: None };
            let full = summarise(&d.visits, &d.follow_ups, &d.rectifications, &q, book).unwrap();
            let summed = xuncha::summary::summarise_digests(&digests, &q, book).unwrap();
            assert_eq!(summed, full, "{scope:?} by {group_by:?} as of {as_of}");
            assert_eq!(index.summary(&q, book).unwrap(), full, "indexed: {scope:?} by {group_by:?} as of {as_of}");
            for count in ["violations", "rectOverdue", "samplesFailed", "disposalsOpen"] {
                let group = full.groups.first().map(|g| g.key.as_str());
                let a = xuncha::summary::records_behind(&d.visits, &d.follow_ups, &d.rectifications, &q, book, count, group).unwrap();
                let b = xuncha::summary::records_behind_digests(&digests, &q, book, count, group).unwrap();
                assert_eq!(a, b, "{count} in {group:?}");
                assert_eq!(index.records_behind(&q, book, count, group).unwrap(), a, "indexed: {count} in {group:?}");
            }
        }
    }
}

#[test]
fn digests_keep_findings_that_wait_for_a_limit_and_sum_to_the_hand_count() {
    let d = data();
    let data = xuncha::dataset::Dataset { visits: d.visits.clone(), follow_ups: d.follow_ups.clone(), rectifications: d.rectifications.clone() };
    for as_of in ["2026-03-01", "2026-07-10", "2027-06-30"] {
        assert_digests_sum_to_the_full_evaluation(&data, "2026-H1", as_of, &[Scope::default()]);
    }
    // A generated year has limits not met: their findings are kept with their day, not dropped or counted early.
    let year = xuncha::dataset::generate(11, 400, 2026);
    let digests = xuncha::summary::digest::digests_of(&year.visits, &year.follow_ups, &year.rectifications, Rulebook::builtin());
    let waiting = digests.iter().flat_map(|d| &d.findings).filter(|f| f.unless_done_by.is_some()).count();
    assert!(waiting > 0, "the generated year has limits not met");
    let early = SummaryQuery { period: "2026".into(), scope: Scope::default(), as_of: "2026-01-02".parse().unwrap(), group_by: None, top: None };
    let late = SummaryQuery { as_of: "2027-12-31".parse().unwrap(), ..early.clone() };
    let count = |q: &SummaryQuery| xuncha::summary::summarise_digests(&digests, q, Rulebook::builtin()).unwrap().figures.counts;
    let count = |q: &SummaryQuery| {
        let c = count(q);
        c.violations + c.notices
    };
    assert!(count(&late) > count(&early), "a limit passed adds its finding: {} waiting, {} early, {} late", waiting, count(&early), count(&late));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 8, ..Default::default() })]
    #[test]
    fn the_sum_of_digests_is_the_full_evaluation(seed in 0u64..1_000_000, n in 20usize..80, month in 1u32..=12, day in 1u32..=28, half in 0usize..3) {
        let d = xuncha::dataset::generate(seed, n, 2026);
        let as_of = format!("{}-{month:02}-{day:02}", if month > 6 { 2026 } else { 2027 });
        let period = ["2026", "2026-H1", "2026-Q3"][half];
        // Scopes drawn from the data: its first market, officer, operator, and each kind.
        let first = &d.visits[0];
        let mut scopes = vec![Scope::default()];
        scopes.push(Scope { market: first.site.as_ref().and_then(|s| s.market_id.clone()), ..Scope::default() });
        scopes.push(Scope { officer: first.officers.first().and_then(|o| o.certificate_no.clone()), ..Scope::default() });
        scopes.push(Scope { operator: first.operator.as_ref().and_then(|o| o.credit_code.clone()), ..Scope::default() });
        for kind in [xuncha::rules::CheckKind::Price, xuncha::rules::CheckKind::Metrology, xuncha::rules::CheckKind::Equipment, xuncha::rules::CheckKind::Sampling] {
            scopes.push(Scope { kind: Some(kind), ..Scope::default() });
        }
        assert_digests_sum_to_the_full_evaluation(&d, period, &as_of, &scopes);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]
    /// A damaged cache is refused with a reason, never read in part or panicking.
    #[test]
    fn a_damaged_digest_cache_is_refused(cut in 0usize..4000, flip in 0usize..4000, bit in 0u8..8) {
        let d = xuncha::dataset::generate(5, 20, 2026);
        let mut index = xuncha::summary::DigestIndex::default();
        index.extend(xuncha::summary::digest::digests_of(&d.visits, &d.follow_ups, &d.rectifications, Rulebook::builtin()));
        let bytes = xuncha::summary::cache::to_bytes(&index);
        let cut = cut % bytes.len();
        proptest::prop_assert!(xuncha::summary::cache::from_bytes(&bytes[..cut]).is_err(), "cut at {}", cut);
        let mut flipped = bytes.clone();
        flipped[flip % bytes.len()] ^= 1 << bit;
        // A flipped bit may still read (a different digit of a count); it must not panic.
        let _ = xuncha::summary::cache::from_bytes(&flipped);
    }
}

/// Paragraphs as templates: the core's wording is the default; a bureau writes
/// its own phrasing with the figures by name; a template naming a figure the
/// core does not have (or with a brace left open, or a condition it cannot
/// read) is refused whole with each reason.
#[test]
fn a_bureau_writes_its_paragraphs_in_its_own_template_and_an_unknown_figure_is_refused() {
    use xuncha::summary::template::{ReportTemplate, Variant};
    let s = h1(Scope::default(), None);
    let builtin = ReportTemplate::builtin();
    assert_eq!(builtin.render(&s), xuncha::summary::report::paragraphs(&s));
    let mut mine = builtin.clone();
    mine.version = "鼓楼-2026.1".into();
    mine.total = vec![
        Variant { when: Some("visits = 0".into()), zh: "{period}本局未开展检查。".into(), en: "No visits in {period}.".into() },
        Variant {
            when: None,
            zh: "{period}，我局共检查经营主体{visits}家次{?markets|（涉及{markets}个市场）}，发现违法问题{violations}项{?cheese|不会写出}。".into(),
            en: "In {period} we made {visits} visits and found {violations} violations.".into(),
        },
    ];
    // A clause may name only figures the core has: "cheese" is refused by name.
    let e = mine.check().unwrap_err();
    assert_eq!(e.0.len(), 1, "{e:?}");
    assert!(e.0[0].zh.contains("“cheese”") && e.0[0].en.contains("\"cheese\""), "{e:?}");
    mine.total[1].zh = mine.total[1].zh.replace("{?cheese|不会写出}", "");
    mine.check().unwrap();
    let p = mine.render(&s);
    assert_eq!(p.total.zh, "2026年上半年，我局共检查经营主体6家次（涉及2个市场），发现违法问题5项。");
    assert_eq!(p.total.en, format!("In {} we made 6 visits and found 5 violations.", s.period.label.en));
    assert_eq!(p.price, xuncha::summary::report::paragraphs(&s).price, "the paragraphs not changed keep the core's wording");
    // The variant whose condition holds: a scope with no visits.
    let none = h1(Scope { officer: Some("nobody".into()), ..Scope::default() }, None);
    assert_eq!(mine.render(&none).total.zh, "2026年上半年本局未开展检查。");
    // Read from a file: every reason at once; a list is not a template.
    let broken = serde_json::to_string(&mine).unwrap().replace("{violations}", "{violationz}").replace("visits = 0", "visits = 3").replace("{period}，", "{period，");
    let e = ReportTemplate::from_json(&broken).unwrap_err();
    let said: Vec<&str> = e.0.iter().map(|t| t.zh.as_str()).collect();
    assert!(said.iter().any(|t| t.contains("violationz")), "{said:?}");
    assert!(said.iter().any(|t| t.contains("只能是“= 0”或“> 0”")), "{said:?}");
    assert!(said.iter().any(|t| t.contains("没有结束的“}”")), "{said:?}");
    assert!(ReportTemplate::from_json("[\"v\", \"\", [], [], [], [], []]").is_err());
    let mut nul = mine.clone();
    nul.version = "v\u{0}1".into();
    assert!(nul.check().is_err(), "a version HQ could not store");
    let mut last_conditional = mine.clone();
    last_conditional.price.retain(|v| v.when.is_some());
    assert!(last_conditional.check().unwrap_err().0[0].zh.contains("最后一种写法应不带条件"));
}
