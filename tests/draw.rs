//! 双随机 draws: the published example, re-run from its inputs (golden), the
//! commitment checked, and — for random directories and matters — every rule
//! the draw promises: ratios, the key-unit uplift, certificate kinds, 回避, the
//! sector windows, two inspectors or none, the same result twice, and any
//! changed input changing the inputs' hash.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use xuncha::draw::{commitment, draw, exclusion, inputs_sha256, rerun, DrawError, DrawInputs, Inspector, Matter, RecentCheck, RecentCheckKind, Sector, Target};
use xuncha::time::Date;

const SEED: &str = "5f0c1d2e3a4b69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";

fn example() -> DrawInputs {
    serde_json::from_str(include_str!("fixtures/draw_inputs.json")).unwrap()
}

#[test]
fn the_example_draw_is_the_published_one_and_reruns_from_its_inputs() {
    let inputs = example();
    let result = draw(&inputs, SEED).unwrap();
    let path = format!("{}/tests/golden/draw.json", env!("CARGO_MANIFEST_DIR"));
    let text = serde_json::to_string_pretty(&result).unwrap() + "\n";
    if std::env::var_os("XUNCHA_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), text, "the draw differs from {path} (XUNCHA_BLESS=1 to accept)");
    // The windows: the mall's food check by the city (January) and the hospital's 证后 check keep them out.
    let excluded = |m: usize| result.matters[m].excluded.iter().map(|e| e.credit_code.as_str()).collect::<Vec<_>>();
    assert_eq!(excluded(2), ["91350102MA2Y000011"]);
    assert_eq!(excluded(1), ["91350102MA2Y000044"]);
    // Anyone with the inputs, the seed and the commitment published before gets the same list.
    assert_eq!(rerun(&inputs, SEED, &commitment(SEED)).unwrap(), result);
    assert_eq!(rerun(&inputs, SEED, &commitment("0".repeat(64).as_str())), Err(DrawError::CommitmentMismatch));
    // A short or upper-case seed is refused; so is a key-unit ratio below the ratio.
    assert_eq!(draw(&inputs, "abc"), Err(DrawError::BadSeed));
    assert_eq!(draw(&inputs, &SEED.to_uppercase()), Err(DrawError::BadSeed));
    let mut bad = inputs.clone();
    bad.matters[0].key_unit_ratio = 0.01;
    assert_eq!(draw(&bad, SEED), Err(DrawError::BadRatio("JL-001".into())));
    let mut twice = inputs.clone();
    twice.targets.push(twice.targets[0].clone());
    assert!(matches!(draw(&twice, SEED), Err(DrawError::Duplicate(_))));
}

fn day() -> Date {
    "2026-06-15".parse().unwrap()
}

const CATEGORIES: [&str; 3] = ["food", "meteringUser", "equipmentUser"];

prop_compose! {
    fn a_target(i: usize)(cats in prop::collection::vec(0usize..3, 0..3), key in any::<bool>(), food_days_ago in prop::option::of(0i64..200), post_licence_days_ago in prop::option::of(0i64..400)) -> Target {
        let mut recent = Vec::new();
        if let Some(d) = food_days_ago { recent.push(RecentCheck { on: day() - chrono::Duration::days(d), kind: RecentCheckKind::UpperLevelFood }); }
        if let Some(d) = post_licence_days_ago { recent.push(RecentCheck { on: day() - chrono::Duration::days(d), kind: RecentCheckKind::PostLicenceEquipment }); }
        Target {
            credit_code: format!("9135010{i:011}"),
            name: format!("经营者{i}"),
            address: None, market: None,
            categories: cats.into_iter().map(|c| CATEGORIES[c].to_string()).collect(),
            key_unit: key, risk_class: None, recent_checks: recent,
        }
    }
}

prop_compose! {
    fn an_inspector(i: usize, targets: usize)(se in any::<bool>(), available in prop::bool::weighted(0.8), conflicts in prop::collection::vec(0..targets.max(1), 0..3)) -> Inspector {
        Inspector {
            certificate_no: format!("350100190{i:02}"), name: format!("执法员{i}"),
            certificates: if se { vec!["general".into(), "specialEquipment".into()] } else { vec!["general".into()] },
            fields: vec![], available, conflicts: conflicts.into_iter().map(|t| format!("9135010{t:011}")).collect(),
        }
    }
}

fn matters() -> impl Strategy<Value = Vec<Matter>> {
    prop::collection::vec((0usize..4, 0u32..=100, 0u32..=100, any::<bool>(), 0usize..3), 1..4).prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (cat, r, extra, se, sector))| {
                let ratio = f64::from(r) / 100.0;
                Matter {
                    code: format!("M-{i}"),
                    title: format!("事项{i}"),
                    basis: "依据".into(),
                    check_kinds: vec![],
                    categories: if cat == 3 { vec![] } else { vec![CATEGORIES[cat].to_string()] },
                    ratio,
                    key_unit_ratio: (ratio + f64::from(extra) / 100.0).min(1.0),
                    certificate: se.then(|| "specialEquipment".to_string()),
                    sector: [None, Some(Sector::Food), Some(Sector::SpecialEquipment)][sector],
                    publication_working_days: None,
                }
            })
            .collect()
    })
}

fn inputs() -> impl Strategy<Value = DrawInputs> {
    (0usize..40, 0usize..8).prop_flat_map(|(nt, ni)| {
        let targets: Vec<_> = (0..nt).map(a_target).collect();
        let inspectors: Vec<_> = (0..ni).map(|i| an_inspector(i, nt)).collect();
        (targets, inspectors, matters()).prop_map(|(targets, inspectors, matters)| DrawInputs { plan: "计划".into(), draw_day: day(), matters, targets, inspectors })
    })
}

fn ceil_share(ratio: f64, n: usize) -> usize {
    ((ratio * n as f64) - 1e-9).ceil().max(0.0) as usize
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_rule_of_the_draw_holds(inputs in inputs(), seed in "[0-9a-f]{64}") {
        let result = draw(&inputs, &seed).unwrap();
        prop_assert_eq!(&draw(&inputs, &seed).unwrap(), &result, "the same inputs and seed give the same draw");
        for (m, d) in inputs.matters.iter().zip(&result.matters) {
            let of_matter: Vec<&Target> = inputs.targets.iter().filter(|t| m.categories.is_empty() || t.categories.iter().any(|c| m.categories.contains(c))).collect();
            let eligible: Vec<&&Target> = of_matter.iter().filter(|t| exclusion(m, t, day()).is_none()).collect();
            let key = eligible.iter().filter(|t| t.key_unit).count();
            let ordinary = eligible.len() - key;
            prop_assert_eq!((d.eligible, d.eligible_key_units), (ordinary, key));
            // Ratios, with key units at their higher one.
            prop_assert_eq!(d.picked.iter().filter(|p| p.key_unit).count(), ceil_share(m.key_unit_ratio, key));
            prop_assert_eq!(d.picked.iter().filter(|p| !p.key_unit).count(), ceil_share(m.ratio, ordinary));
            // Windows: exactly the targets of the matter in one are left out.
            prop_assert_eq!(d.excluded.len(), of_matter.len() - eligible.len());
            for p in &d.picked {
                let t = inputs.targets.iter().find(|t| t.credit_code == p.credit_code).unwrap();
                prop_assert!(eligible.iter().any(|e| e.credit_code == t.credit_code), "picked only from the eligible");
                if let Some(Sector::Food) = m.sector {
                    prop_assert!(!t.recent_checks.iter().any(|c| c.kind == RecentCheckKind::UpperLevelFood && c.on > day() - chrono::Months::new(3) && c.on <= day()));
                }
                // Two distinct inspectors, each available, certified for the matter, not in 回避; or none when fewer could go.
                let could: Vec<&Inspector> = inputs.inspectors.iter().filter(|i| i.available && m.certificate.as_ref().is_none_or(|c| i.certificates.contains(c)) && !i.conflicts.contains(&t.credit_code)).collect();
                if could.len() >= 2 {
                    prop_assert_eq!(p.inspectors.len(), 2);
                    prop_assert_ne!(&p.inspectors[0], &p.inspectors[1]);
                    for no in &p.inspectors {
                        prop_assert!(could.iter().any(|i| &i.certificate_no == no));
                    }
                } else {
                    prop_assert!(p.inspectors.is_empty());
                }
            }
            // Picked ordinary targets hold the lowest lots of their group.
            let mut ordinary_lots: Vec<String> = d.picked.iter().filter(|p| !p.key_unit).map(|p| p.lot.clone()).collect();
            ordinary_lots.sort();
            prop_assert!(ordinary_lots.windows(2).all(|w| w[0] <= w[1]));
        }
    }

    #[test]
    fn any_changed_input_changes_the_inputs_hash(inputs in inputs(), which in 0usize..3) {
        let mut changed = inputs.clone();
        match which {
            0 => changed.plan.push('改'),
            1 => changed.draw_day = changed.draw_day.succ_opt().unwrap(),
            _ => changed.matters[0].ratio = if changed.matters[0].ratio == 0.0 { 0.01 } else { 0.0 },
        }
        prop_assert_ne!(inputs_sha256(&inputs), inputs_sha256(&changed));
    }
}
