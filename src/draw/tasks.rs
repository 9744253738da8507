//! From a draw to the officers' tasks, and from their visits back to the
//! plan's progress and the publication list (双随机、一公开).
//!
//! A [`Task`] is one drawn target for one matter, with the two inspectors the
//! draw sent and the target's directory entry, so the tablet can start the
//! visit offline with the operator filled in. A visit started from a task
//! carries its id (`Visit::task_id`); everything the console shows of a plan —
//! done, in progress, overdue, the result per target, the day it must be
//! published by — is read from those visits by [`progress`], on the tablet,
//! in the console and at HQ alike.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::{DrawInputs, DrawResult, Target};
use crate::finding::{Deadline, DeadlineKind, DeadlineStatus};
use crate::problem::Text;
use crate::rules::{Measure, Rulebook};
use crate::sampling::SampleFollowUp;
use crate::time::Date;
use crate::visit::{RecordStatus, Visit};

/// 20 working days from a result to its publication (国办发〔2019〕5号 and the
/// provinces' rules; a matter may set its own, `Matter::publication_working_days`).
pub const DEFAULT_PUBLICATION_WORKING_DAYS: u32 = 20;

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Task {
    /// `{plan id}:{matter code}:{credit code}`: stable across pulls.
    pub id: String,
    pub plan_id: String,
    pub plan: String,
    pub matter: String,
    pub matter_title: String,
    pub basis: String,
    /// The check kinds the matter calls for (price, metrology, equipment, sampling).
    #[serde(default)]
    pub check_kinds: Vec<String>,
    /// The target's directory entry, as the draw read it.
    pub target: Target,
    /// The two inspectors sent; empty when the draw could not staff it.
    #[serde(default)]
    pub inspectors: Vec<TaskInspector>,
    pub key_unit: bool,
    pub due: Date,
    pub publication_working_days: u32,
    /// The target's inspections this year when the draw was made (`budget::annotate`), for the tablet's warning.
    pub inspected_this_year: Option<u32>,
    pub last_inspected: Option<Date>,
    /// One more inspection passes the bureau's yearly cap.
    pub over_cap: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskInspector {
    pub certificate_no: String,
    pub name: String,
}

/// The tasks a draw makes: one per picked target and matter, in the draw's order.
pub fn tasks_of(plan_id: &str, inputs: &DrawInputs, result: &DrawResult, due: Date) -> Vec<Task> {
    let mut out = Vec::new();
    for md in &result.matters {
        let Some(matter) = inputs.matters.iter().find(|m| m.code == md.matter) else { continue };
        for pick in &md.picked {
            let Some(target) = inputs.targets.iter().find(|t| t.credit_code == pick.credit_code) else { continue };
            let inspectors = pick
                .inspectors
                .iter()
                .filter_map(|c| inputs.inspectors.iter().find(|i| &i.certificate_no == c))
                .map(|i| TaskInspector { certificate_no: i.certificate_no.clone(), name: i.name.clone() })
                .collect();
            out.push(Task {
                id: format!("{plan_id}:{}:{}", matter.code, target.credit_code),
                plan_id: plan_id.into(),
                plan: inputs.plan.clone(),
                matter: matter.code.clone(),
                matter_title: matter.title.clone(),
                basis: matter.basis.clone(),
                check_kinds: matter.check_kinds.clone(),
                target: target.clone(),
                inspectors,
                key_unit: target.key_unit,
                due,
                publication_working_days: matter.publication_working_days.unwrap_or(DEFAULT_PUBLICATION_WORKING_DAYS),
                inspected_this_year: None,
                last_inspected: None,
                over_cap: None,
            });
        }
    }
    out
}

/// Where a task stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum TaskState {
    /// The draw found fewer than two inspectors who could go.
    Unstaffed,
    NotStarted,
    /// A visit is started, not finalised.
    InProgress,
    /// Past its due day without a finalised visit.
    Overdue,
    Done,
    /// The officers went and could not inspect (not found at the address, closed): a result, with its reason.
    Unreachable,
}

impl TaskState {
    pub const ALL: [TaskState; 6] = [TaskState::Unstaffed, TaskState::NotStarted, TaskState::InProgress, TaskState::Overdue, TaskState::Done, TaskState::Unreachable];
    pub fn label(self) -> Text {
        match self {
            TaskState::Unstaffed => Text::new("未派员", "unstaffed"),
            TaskState::NotStarted => Text::new("未开始", "not started"),
            TaskState::InProgress => Text::new("进行中", "in progress"),
            TaskState::Overdue => Text::new("已逾期", "overdue"),
            TaskState::Done => Text::new("已完成", "done"),
            TaskState::Unreachable => Text::new("未能检查", "not reachable"),
        }
    }
}

/// The result published for a target (检查结果).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum TaskOutcome {
    /// 未发现问题
    NoProblem,
    /// 责令改正 (any finding whose measures order a correction, a stop or a withdrawal)
    OrderedToCorrect,
    /// 立案调查
    CaseOpened,
    /// 通过登记的住所（经营场所）无法联系
    NotFoundAtAddress,
    /// 已停业或歇业
    Closed,
    /// 其他原因未能检查 (the visit's note says why)
    NotInspected,
}

impl TaskOutcome {
    pub fn label(self) -> Text {
        match self {
            TaskOutcome::NoProblem => Text::new("未发现问题", "no problem found"),
            TaskOutcome::OrderedToCorrect => Text::new("发现问题已责令改正", "ordered to correct"),
            TaskOutcome::CaseOpened => Text::new("发现问题已立案调查", "case opened"),
            TaskOutcome::NotFoundAtAddress => crate::visit::UnreachableReason::NotFoundAtAddress.label(),
            TaskOutcome::Closed => crate::visit::UnreachableReason::Closed.label(),
            TaskOutcome::NotInspected => crate::visit::UnreachableReason::Other.label(),
        }
    }
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct TaskProgress {
    pub task_id: String,
    pub state: TaskState,
    /// The visit that finished it (or the latest draft).
    pub visit_id: Option<String>,
    /// The day the visit was finalised: the result's day.
    pub result_on: Option<Date>,
    pub outcome: Option<TaskOutcome>,
    /// The last day to publish the result.
    pub publish_by: Option<Date>,
    /// The publication's time limit, once there is a result (on the deadlines board).
    pub publication: Option<Deadline>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct PlanProgress {
    pub total: usize,
    pub done: usize,
    pub in_progress: usize,
    pub overdue: usize,
    pub not_started: usize,
    pub unstaffed: usize,
    pub unreachable: usize,
    pub tasks: Vec<TaskProgress>,
}

/// The result a finalised visit gives its target, from its findings' measures.
pub fn outcome_of(visit: &Visit, follow_ups: &[SampleFollowUp], book: &Rulebook, on: Date) -> TaskOutcome {
    use crate::visit::UnreachableReason as U;
    if let Some(u) = &visit.unreachable {
        return match u.reason {
            Some(U::NotFoundAtAddress) => TaskOutcome::NotFoundAtAddress,
            Some(U::Closed) => TaskOutcome::Closed,
            _ => TaskOutcome::NotInspected,
        };
    }
    let evaluation = crate::evaluate::evaluate_visit(visit, follow_ups, book, on);
    let measures = || evaluation.findings.iter().flat_map(|f| f.measures.iter());
    if measures().any(|m| *m == Measure::OpenCase) {
        TaskOutcome::CaseOpened
    } else if measures().any(|m| matches!(m, Measure::OrderRectify | Measure::OrderRectifyByDeadline | Measure::OrderStopUse | Measure::WithdrawFromSale | Measure::Disposal)) {
        TaskOutcome::OrderedToCorrect
    } else {
        TaskOutcome::NoProblem
    }
}

/// The stable code of the publication limit on the deadlines board.
pub const PUBLICATION_CODE: &str = "DRAW.PUBLICATION";

fn publication_deadline(task: &Task, result_on: Date, published_on: Option<Date>, book: &Rulebook, today: Date) -> Deadline {
    let due = book.calendar.add_working_days(result_on, task.publication_working_days);
    let status = match published_on {
        Some(d) if d <= due.value => DeadlineStatus::MetOnTime,
        Some(_) => DeadlineStatus::MetLate,
        None if today > due.value => DeadlineStatus::Overdue,
        None => DeadlineStatus::Open,
    };
    Deadline {
        code: PUBLICATION_CODE.into(),
        kind: DeadlineKind::Publication,
        path: String::new(),
        item_id: Some(task.id.clone()),
        title: Text::new(format!("公示双随机抽查结果：{}", task.target.name), format!("Publish the random-inspection result: {}", task.target.name)),
        starts: result_on,
        due: due.value,
        done_on: published_on,
        status,
        working_days: Some(task.publication_working_days),
        calendar_days: None,
        calendar_assumed: due.outside_known_years,
    }
}

/// Each task's state and result on `today`, from the visits that carry its id
/// (the latest finalised one counts — an amendment replaces its original;
/// discarded drafts do not count), and its publication limit, met on the day
/// `published` says the result was published.
pub fn progress(tasks: &[Task], visits: &[Visit], follow_ups: &[SampleFollowUp], book: &Rulebook, today: Date, published: &std::collections::HashMap<String, Date>) -> PlanProgress {
    let mut by_task: std::collections::HashMap<&str, Vec<&Visit>> = std::collections::HashMap::new();
    for v in visits {
        if let Some(t) = v.task_id.as_deref() {
            if v.status != Some(RecordStatus::Discarded) {
                by_task.entry(t).or_default().push(v);
            }
        }
    }
    let mut p = PlanProgress { total: tasks.len(), ..Default::default() };
    for task in tasks {
        let linked = by_task.get(task.id.as_str()).map(Vec::as_slice).unwrap_or_default();
        let finalised = linked.iter().filter(|v| v.status == Some(RecordStatus::Finalised)).max_by_key(|v| (v.finalised_at, v.id.clone()));
        let draft = linked.iter().filter(|v| v.status != Some(RecordStatus::Finalised)).max_by_key(|v| (v.started_at, v.id.clone()));
        let late = today > task.due;
        let mut row = TaskProgress { task_id: task.id.clone(), state: TaskState::NotStarted, visit_id: None, result_on: None, outcome: None, publish_by: None, publication: None };
        if let Some(v) = finalised {
            let on = v.finalised_at.map(|t| t.date_naive()).unwrap_or(today);
            row.state = if v.unreachable.is_some() { TaskState::Unreachable } else { TaskState::Done };
            row.visit_id = v.id.clone();
            row.result_on = Some(on);
            row.outcome = Some(outcome_of(v, follow_ups, book, on));
            let deadline = publication_deadline(task, on, published.get(&task.id).copied(), book, today);
            row.publish_by = Some(deadline.due);
            row.publication = Some(deadline);
        } else if let Some(v) = draft {
            row.state = if late { TaskState::Overdue } else { TaskState::InProgress };
            row.visit_id = v.id.clone();
        } else if task.inspectors.is_empty() {
            row.state = TaskState::Unstaffed;
        } else if late {
            row.state = TaskState::Overdue;
        }
        match row.state {
            TaskState::Done => p.done += 1,
            TaskState::InProgress => p.in_progress += 1,
            TaskState::Overdue => p.overdue += 1,
            TaskState::NotStarted => p.not_started += 1,
            TaskState::Unstaffed => p.unstaffed += 1,
            TaskState::Unreachable => p.unreachable += 1,
        }
        p.tasks.push(row);
    }
    p
}

/// One row of the publication list (公示清单): the columns of docs/draw.md, in order.
pub const PUBLICATION_COLUMNS: [&str; 9] = ["抽查计划", "抽查事项", "检查对象", "统一社会信用代码", "地址", "检查日期", "检查结果", "公示截止日期", "检查人员"];

/// The publication list of a plan: every finished task, its result in words.
pub fn publication_rows(tasks: &[Task], progress: &PlanProgress) -> Vec<[String; 9]> {
    tasks
        .iter()
        .zip(&progress.tasks)
        .filter_map(|(t, p)| {
            let (on, outcome, by) = (p.result_on?, p.outcome?, p.publish_by?);
            Some([
                t.plan.clone(),
                t.matter_title.clone(),
                t.target.name.clone(),
                t.target.credit_code.clone(),
                t.target.address.clone().unwrap_or_default(),
                on.to_string(),
                outcome.label().zh,
                by.to_string(),
                t.inspectors.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join("、"),
            ])
        })
        .collect()
}

/// CSV text (RFC 4180, UTF-8 with a BOM so spreadsheet programs read Chinese;
/// a name starting like a formula stays text, as in the core's other exports).
pub fn publication_csv(tasks: &[Task], progress: &PlanProgress) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&PUBLICATION_COLUMNS.join(","));
    out.push_str("\r\n");
    for row in publication_rows(tasks, progress) {
        out.push_str(&row.iter().map(|c| crate::summary::export::field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// [`visit_for`] as the record the app starts from: only the fields a task
/// fills (the app adds the id, schema version and status, as for any new visit),
/// so the tablet carries no writer for a whole visit.
pub fn visit_record_for(task: &Task) -> serde_json::Value {
    let visit = visit_for(task);
    let mut record = serde_json::Map::new();
    record.insert("taskId".into(), crate::encode::to_value(&visit.task_id));
    record.insert("operator".into(), crate::encode::to_value(&visit.operator));
    record.insert("site".into(), crate::encode::to_value(&visit.site));
    record.insert("officers".into(), crate::encode::to_value(&visit.officers));
    serde_json::Value::Object(record)
}

/// The visit a task starts, before the officer adds a thing: the task's id,
/// the operator and site from the target's directory entry, the two inspectors.
pub fn visit_for(task: &Task) -> Visit {
    use crate::visit::{Officer, Operator, Site};
    let t = &task.target;
    Visit {
        task_id: Some(task.id.clone()),
        operator: Some(Operator { name: Some(t.name.clone()), address: t.address.clone(), credit_code: Some(t.credit_code.clone()), ..Default::default() }),
        site: Some(Site { name: Some(t.name.clone()), address: t.address.clone(), market_id: t.market.clone(), ..Default::default() }),
        officers: task.inspectors.iter().map(|i| Officer { name: Some(i.name.clone()), certificate_no: Some(i.certificate_no.clone()), user_id: None }).collect(),
        ..Default::default()
    }
}

/// The names of task states and results, for the screens.
#[derive(Clone, Debug, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct TaskTerms {
    pub states: Vec<Term<TaskState>>,
    pub outcomes: Vec<Term<TaskOutcome>>,
    pub publication_columns: [&'static str; 9],
}

#[derive(Clone, Debug, Serialize, crate::encode::ToJson)]
pub struct Term<T> {
    pub value: T,
    pub label: Text,
}

pub fn terms() -> TaskTerms {
    TaskTerms {
        states: TaskState::ALL.into_iter().map(|value| Term { value, label: value.label() }).collect(),
        outcomes: [TaskOutcome::NoProblem, TaskOutcome::OrderedToCorrect, TaskOutcome::CaseOpened, TaskOutcome::NotFoundAtAddress, TaskOutcome::Closed, TaskOutcome::NotInspected]
            .into_iter()
            .map(|value| Term { value, label: value.label() })
            .collect(),
        publication_columns: PUBLICATION_COLUMNS,
    }
}
