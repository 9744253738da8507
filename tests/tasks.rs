//! From a draw to tasks, and from visits back to the plan's progress and its
//! publication list (`xuncha::draw::tasks`).

mod common;

use std::collections::HashMap;
use xuncha::draw::tasks::{progress, publication_csv, tasks_of, TaskOutcome, TaskState, DEFAULT_PUBLICATION_WORKING_DAYS};
use xuncha::draw::{draw, DrawInputs};
use xuncha::finding::{DeadlineKind, DeadlineStatus};
use xuncha::visit::Visit;

const SEED: &str = "8f3c1e55a0b94d2e7c61f0a9b3d5e7f1";

fn inputs() -> DrawInputs {
    serde_json::from_value(common::fixture("draw_inputs.json")).unwrap()
}

fn date(s: &str) -> xuncha::time::Date {
    s.parse().unwrap()
}

#[test]
fn each_pick_is_one_task_with_its_inspectors_and_directory_entry() {
    let inputs = inputs();
    let result = draw(&inputs, SEED).unwrap();
    let tasks = tasks_of("P1", &inputs, &result, date("2026-03-31"));
    let picks: Vec<_> = result.matters.iter().flat_map(|m| m.picked.iter().map(move |p| (m.matter.clone(), p))).collect();
    assert_eq!(tasks.len(), picks.len());
    assert!(!tasks.is_empty());
    for (task, (matter, pick)) in tasks.iter().zip(&picks) {
        assert_eq!(task.id, format!("P1:{matter}:{}", pick.credit_code));
        assert_eq!(task.target.credit_code, pick.credit_code);
        assert_eq!(task.inspectors.iter().map(|i| i.certificate_no.clone()).collect::<Vec<_>>(), pick.inspectors);
        let entry = inputs.targets.iter().find(|t| t.credit_code == pick.credit_code).unwrap();
        assert_eq!(&task.target, entry, "the tablet gets the directory entry the draw read");
        let m = inputs.matters.iter().find(|m| m.code == *matter).unwrap();
        assert_eq!((task.check_kinds.clone(), task.publication_working_days), (m.check_kinds.clone(), m.publication_working_days.unwrap_or(DEFAULT_PUBLICATION_WORKING_DAYS)));
        for i in &task.inspectors {
            assert_eq!(i.name, inputs.inspectors.iter().find(|x| x.certificate_no == i.certificate_no).unwrap().name);
        }
    }
}

#[test]
fn the_visit_a_task_starts_is_the_typed_one_with_only_what_the_task_fills() {
    let inputs = inputs();
    let result = draw(&inputs, SEED).unwrap();
    for task in tasks_of("P1", &inputs, &result, date("2026-03-31")) {
        let record = xuncha::draw::tasks::visit_record_for(&task);
        let read: Visit = xuncha::decode::read(&record).expect("the app's starting record reads as a visit");
        assert_eq!(read, xuncha::draw::tasks::visit_for(&task));
        let mut keys: Vec<_> = record.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["officers", "operator", "site", "taskId"]);
    }
}

fn linked(visit: &serde_json::Value, task: &str, id: &str, status: &str) -> Visit {
    let mut v = visit.clone();
    v["taskId"] = task.into();
    v["id"] = id.into();
    v["status"] = status.into();
    if status != "finalised" {
        v.as_object_mut().unwrap().remove("finalisedAt");
    }
    serde_json::from_value(v).unwrap()
}

#[test]
fn progress_and_results_come_from_the_linked_visits() {
    let inputs = inputs();
    let result = draw(&inputs, SEED).unwrap();
    let tasks = tasks_of("P1", &inputs, &result, date("2026-03-31"));
    assert!(tasks.len() >= 4, "the fixture draws at least four targets");
    let book = xuncha::Rulebook::builtin();
    // The complete visit with a scale weighing beyond its MPE (a golden case): a finding ordering correction.
    let golden: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(format!("{}/tests/golden/metrology.json", env!("CARGO_MANIFEST_DIR"))).unwrap()).unwrap();
    let mut complete = common::fixture("visit_complete.json");
    complete["instrumentChecks"] = golden[1]["visit"]["instrumentChecks"].clone();
    let finding_visit: Visit = serde_json::from_value(complete.clone()).unwrap();
    let finalised_on = finding_visit.finalised_at.unwrap().date_naive();
    let eval = xuncha::evaluate::evaluate_visit(&finding_visit, &[], book, finalised_on);
    assert!(!eval.findings.is_empty(), "the complete fixture has findings");
    let mut clean = complete.clone();
    for list in ["priceChecks", "instrumentChecks", "equipmentChecks", "samples"] {
        clean[list] = serde_json::json!([]);
    }
    let visits = vec![
        linked(&complete, &tasks[0].id, "v-a", "finalised"),
        linked(&clean, &tasks[1].id, "v-b", "finalised"),
        linked(&complete, &tasks[2].id, "v-c", "draft"),
        // A discarded draft does not start a task.
        linked(&complete, &tasks[3].id, "v-d", "discarded"),
        // A visit of no task, or another plan's, changes nothing.
        serde_json::from_value(complete.clone()).unwrap(),
        linked(&complete, "P2:JL-001:x", "v-e", "finalised"),
    ];
    let before_due = progress(&tasks, &visits, &[], book, date("2026-03-20"), &HashMap::new());
    let states: Vec<TaskState> = before_due.tasks.iter().map(|t| t.state).collect();
    assert_eq!(&states[..4], &[TaskState::Done, TaskState::Done, TaskState::InProgress, if tasks[3].inspectors.is_empty() { TaskState::Unstaffed } else { TaskState::NotStarted }]);
    assert_eq!(before_due.done + before_due.in_progress + before_due.not_started + before_due.unstaffed + before_due.overdue, tasks.len());
    assert_eq!((before_due.done, before_due.overdue), (2, 0));
    let a = &before_due.tasks[0];
    let ordered = eval.findings.iter().flat_map(|f| &f.measures).any(|m| matches!(m, xuncha::rules::Measure::OpenCase));
    assert_eq!(a.outcome, Some(if ordered { TaskOutcome::CaseOpened } else { TaskOutcome::OrderedToCorrect }));
    assert_eq!(a.result_on, Some(finalised_on));
    assert_eq!(a.publish_by, Some(book.calendar.add_working_days(finalised_on, tasks[0].publication_working_days).value));
    assert!(a.publish_by.unwrap() > finalised_on + chrono::Duration::days(27), "20 working days are four weeks or more");
    assert_eq!(before_due.tasks[1].outcome, Some(TaskOutcome::NoProblem));
    assert_eq!(before_due.tasks[2].visit_id.as_deref(), Some("v-c"));

    // After the due day: the draft and the untouched staffed tasks are overdue; done stays done.
    let after_due = progress(&tasks, &visits, &[], book, date("2026-04-01"), &HashMap::new());
    assert_eq!(after_due.tasks[2].state, TaskState::Overdue);
    for (t, p) in tasks.iter().zip(&after_due.tasks).skip(3) {
        assert_eq!(p.state, if t.inspectors.is_empty() { TaskState::Unstaffed } else { TaskState::Overdue }, "{}", t.id);
    }
    assert_eq!(after_due.done, 2);

    // An amendment finalised later replaces its original's result.
    let mut amended = linked(&clean, &tasks[0].id, "v-a2", "finalised");
    amended.finalised_at = Some(finding_visit.finalised_at.unwrap() + chrono::Duration::days(1));
    let mut with_amendment = visits.clone();
    with_amendment.push(amended);
    let p = progress(&tasks, &with_amendment, &[], book, date("2026-03-20"), &HashMap::new());
    assert_eq!((p.tasks[0].visit_id.as_deref(), p.tasks[0].outcome), (Some("v-a2"), Some(TaskOutcome::NoProblem)));

    // Publication is a time limit of its own: open, then overdue, met when published.
    let limit = a.publication.clone().unwrap();
    assert_eq!((limit.kind, limit.status, limit.due, limit.item_id.as_deref()), (DeadlineKind::Publication, DeadlineStatus::Open, a.publish_by.unwrap(), Some(tasks[0].id.as_str())));
    assert!(before_due.tasks[2].publication.is_none(), "no result, nothing to publish yet");
    let late = progress(&tasks, &visits, &[], book, a.publish_by.unwrap() + chrono::Duration::days(1), &HashMap::new());
    assert_eq!(late.tasks[0].publication.as_ref().unwrap().status, DeadlineStatus::Overdue);
    let published = HashMap::from([(tasks[0].id.clone(), a.publish_by.unwrap())]);
    let on_time = progress(&tasks, &visits, &[], book, a.publish_by.unwrap() + chrono::Duration::days(1), &published);
    assert_eq!(on_time.tasks[0].publication.as_ref().unwrap().status, DeadlineStatus::MetOnTime);

    // The publication list: the finished ones, in the documented columns.
    let csv = publication_csv(&tasks, &before_due);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "抽查计划,抽查事项,检查对象,统一社会信用代码,地址,检查日期,检查结果,公示截止日期,检查人员");
    assert_eq!(lines.len(), 3);
    assert!(lines[1].contains(&tasks[0].target.credit_code) && lines[1].contains(&finalised_on.to_string()), "{}", lines[1]);
    assert!(lines[2].contains("未发现问题"), "{}", lines[2]);
    // A name that reads like a formula stays text when the published list is opened in a spreadsheet.
    let mut named = tasks.clone();
    named[0].target.name = "=HYPERLINK(\"x\")".into();
    assert!(publication_csv(&named, &before_due).contains(",\"'=HYPERLINK(\"\"x\"\")\","), "{}", publication_csv(&named, &before_due));
}

#[test]
fn inspections_are_counted_once_per_visit_chain_and_year_by_credit_code() {
    use xuncha::draw::budget::{annotate, inspections_in, over_cap};
    let base = common::fixture("visit_complete.json");
    let code = base["operator"]["creditCode"].as_str().unwrap().to_string();
    let with = |id: &str, status: &str, started: &str, amends: Option<&str>| -> Visit {
        let mut v = base.clone();
        v["id"] = id.into();
        v["status"] = status.into();
        v["startedAt"] = started.into();
        if let Some(o) = amends {
            v["amends"] = serde_json::json!({ "originalId": o, "reason": "更正" });
        }
        serde_json::from_value(v).unwrap()
    };
    let visits = vec![
        with("a", "finalised", "2026-03-10T09:00:00+08:00", None),
        with("a2", "finalised", "2026-03-11T09:00:00+08:00", Some("a")),
        with("b", "finalised", "2026-06-01T09:00:00+08:00", None),
        with("c", "draft", "2026-07-01T09:00:00+08:00", None),
        with("d", "finalised", "2025-12-30T09:00:00+08:00", None),
    ];
    let counts = inspections_in(&visits, 2026);
    assert_eq!((counts[&code].count, counts[&code].last), (2, Some(date("2026-06-01"))), "the amendment and the draft are not inspections; 2025 is another year");
    assert_eq!(over_cap(&counts, 2).len(), 0);
    assert_eq!(over_cap(&counts, 1)[0].0, code);
    let inputs = inputs();
    let mut tasks = tasks_of("P1", &inputs, &draw(&inputs, SEED).unwrap(), date("2026-12-31"));
    tasks[0].target.credit_code = code.clone();
    annotate(&mut tasks, &counts, Some(2));
    assert_eq!((tasks[0].inspected_this_year, tasks[0].last_inspected, tasks[0].over_cap), (Some(2), Some(date("2026-06-01")), Some(true)));
    assert_eq!((tasks[1].inspected_this_year, tasks[1].over_cap), (Some(0), None));
}

#[test]
fn an_operator_not_found_is_a_result_with_a_reason_not_an_inspection() {
    let mut v = common::fixture("visit_complete.json");
    for list in ["priceChecks", "instrumentChecks", "equipmentChecks", "samples"] {
        v[list] = serde_json::json!([]);
    }
    let obj = v.as_object_mut().unwrap();
    obj.remove("signature");
    obj.remove("refusal");
    v["unreachable"] = serde_json::json!({ "reason": "notFoundAtAddress", "note": "登记地址为空置商铺" });
    let codes = |v: &serde_json::Value| common::codes(&xuncha::check_visit(v.clone(), common::now()).report);
    // Nobody to sign, nothing checked: neither is a problem; the reason is required, checks are not allowed.
    assert!(codes(&v).iter().all(|(c, _)| c != "HANDOVER_MISSING" && c != "NO_CHECKS"), "{:?}", codes(&v));
    let mut no_reason = v.clone();
    no_reason["unreachable"] = serde_json::json!({});
    assert!(codes(&no_reason).contains(&("REQUIRED".to_string(), "/unreachable/reason".to_string())), "{:?}", codes(&no_reason));
    let mut other = v.clone();
    other["unreachable"] = serde_json::json!({ "reason": "other" });
    assert!(codes(&other).contains(&("REQUIRED".to_string(), "/unreachable/note".to_string())));
    let mut with_checks = v.clone();
    with_checks["instrumentChecks"] = common::fixture("visit_complete.json")["instrumentChecks"].clone();
    assert!(codes(&with_checks).contains(&("UNREACHABLE_WITH_CHECKS".to_string(), "/unreachable".to_string())));

    // Its task is done as "not reachable", with its result to publish; the figures do not count it as an inspection.
    let visit: Visit = serde_json::from_value(v.clone()).unwrap();
    let inputs = inputs();
    let tasks = tasks_of("P1", &inputs, &draw(&inputs, SEED).unwrap(), date("2026-03-31"));
    let mut linked = visit.clone();
    linked.task_id = Some(tasks[0].id.clone());
    let book = xuncha::Rulebook::builtin();
    let p = progress(&tasks, &[linked.clone()], &[], book, date("2026-03-20"), &HashMap::new());
    assert_eq!((p.tasks[0].state, p.tasks[0].outcome, p.unreachable, p.done), (TaskState::Unreachable, Some(TaskOutcome::NotFoundAtAddress), 1, 0));
    assert!(p.tasks[0].publication.is_some());
    assert!(publication_csv(&tasks, &p).contains("通过登记的住所（经营场所）无法联系"));
    let q = xuncha::SummaryQuery { period: "2026".into(), scope: Default::default(), as_of: date("2026-12-31"), group_by: None, top: None };
    let counted = xuncha::summarise(&[linked], &[], &[], &q, book).unwrap();
    let inspected = xuncha::summarise(&[serde_json::from_value(common::fixture("visit_complete.json")).unwrap()], &[], &[], &q, book).unwrap();
    assert_eq!(serde_json::to_value(&counted.figures).unwrap()["visits"], serde_json::json!(0));
    assert_eq!(serde_json::to_value(&inspected.figures).unwrap()["visits"], serde_json::json!(1));
}

/// docs/draw.md prints every list's columns and the publication list's: kept true here.
#[test]
fn the_documented_layouts_are_the_ones_the_core_reads_and_writes() {
    use xuncha::draw::directory::{columns, ListKind};
    let doc = std::fs::read_to_string(format!("{}/docs/draw.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    for kind in ListKind::ALL {
        for c in columns(kind) {
            let row = format!("| {}{} | {} |", c.zh, if c.required { "*" } else { "" }, c.field);
            assert!(doc.contains(&row), "docs/draw.md lacks the row {row}");
        }
    }
    for c in xuncha::draw::tasks::PUBLICATION_COLUMNS {
        assert!(doc.contains(&format!("| {c} |")), "docs/draw.md lacks the publication column {c}");
    }
}
