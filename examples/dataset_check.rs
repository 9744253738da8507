fn main() {
    let d = xuncha::dataset::generate(7, 2000, 2026);
    let now = xuncha::time::parse_timestamp("2027-01-31T12:00:00+08:00").unwrap();
    let mut errors = std::collections::BTreeMap::new();
    for v in &d.visits {
        for p in xuncha::check_visit(serde_json::to_value(v).unwrap(), now).report.problems {
            *errors.entry(format!("{:?} {}", p.severity, p.code)).or_insert(0) += 1;
        }
    }
    println!("visits {} items {} follow-ups {} problems {:?}", d.visits.len(), d.item_count(), d.follow_ups.len(), errors);
    let q = xuncha::SummaryQuery { period: "2026".into(), scope: Default::default(), as_of: "2027-01-31".parse().unwrap(), group_by: None, top: None };
    let s = xuncha::summarise(&d.visits, &d.follow_ups, &d.rectifications, &q, xuncha::Rulebook::builtin()).unwrap();
    println!("{}", xuncha::summary::report::paragraphs(&s).joined(true));
}
