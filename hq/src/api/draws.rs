//! 双随机 from the console: the bureau's three lists (JSON, or a spreadsheet
//! saved as CSV, read by the core), plans whose inputs and seed commitment are
//! fixed before the draw, the draw (once; again only with a recorded reason),
//! the plan's progress from the visits that carry its tasks, and the
//! publication list. Staff only ([`StaffCaller`]); officers get their own
//! tasks through pull (`sync.rs`).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Datelike;
use serde_json::{json, Value};
use xuncha::draw::directory::{check_list, columns, list_from_csv, ListKind};
use xuncha::draw::tasks::{progress, publication_csv, tasks_of, PlanProgress, Task};
use xuncha::draw::{budget, DrawInputs, DrawResult};

use super::{blocking, body, now, ApiError, AppState, StaffCaller};
use crate::store::draws::{NewPlan, NewTask, Plan};
use crate::store::{Store, StoreError, User};

fn list_kind(name: &str) -> Result<ListKind, ApiError> {
    ListKind::parse(name).ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "UNKNOWN_LIST", format!("没有名为“{name}”的名录"), format!("there is no list called \"{name}\"")))
}

fn core_refusal(status: StatusCode, code: &'static str, e: &impl xuncha::CoreError) -> ApiError {
    let m = e.message();
    ApiError::new(status, code, m.zh, m.en)
}

/// `GET /api/v1/staff/directories`: the bureau's three lists, and each one's spreadsheet layout.
pub async fn directories(State(state): State<AppState>, StaffCaller(user): StaffCaller) -> Result<Json<Value>, ApiError> {
    let lists = blocking(&state, move |s| ListKind::ALL.iter().map(|k| s.list(user.bureau_id, k.key())).collect::<Result<Vec<_>, _>>()).await?;
    let mut out = serde_json::Map::new();
    for (kind, stored) in ListKind::ALL.iter().zip(lists) {
        let entries: Value = match &stored {
            Some(l) => serde_json::from_str(&l.body).map_err(|e| StoreError::corrupt(format!("list {}: {e}", kind.key())))?,
            None => json!([]),
        };
        out.insert(kind.key().into(), json!({ "label": kind.label(), "entries": entries, "updatedAt": stored.map(|l| l.updated_at), "columns": columns(*kind) }));
    }
    Ok(Json(Value::Object(out)))
}

/// `PUT /api/v1/staff/directories/{list}`: replace a list whole — a JSON array,
/// or (`Content-Type: text/csv`) a spreadsheet saved as CSV. Refused whole,
/// with every reason by line, when any entry is wrong.
pub async fn put_directory(
    State(state): State<AppState>,
    StaffCaller(user): StaffCaller,
    Path(name): Path<String>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let kind = list_kind(&name)?;
    let bytes = body(bytes)?;
    let is_csv = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/csv"));
    let list = if is_csv {
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "NOT_UTF8", "文件不是 UTF-8 编码的 CSV，请在表格软件中另存为“CSV UTF-8”", "the file is not UTF-8 CSV; save it as \"CSV UTF-8\""))?;
        list_from_csv(kind, text)
    } else {
        check_list(kind, super::parse_list(&bytes)?)
    }
    .map_err(|e| core_refusal(StatusCode::UNPROCESSABLE_ENTITY, "LIST_INVALID", &e))?;
    let count = list.len();
    let text = list.to_json().to_string();
    let at = now();
    blocking(&state, move |s| s.put_list(user.bureau_id, kind.key(), &text, user.id, at)).await?;
    Ok(Json(json!({ "list": kind.key(), "count": count, "updatedAt": at.to_rfc3339() })))
}

/// `GET /api/v1/staff/directories/{list}/csv`: a list as a spreadsheet saved as
/// CSV (Chinese headings), to edit and bring back in — the core writes it as it reads it.
pub async fn directory_csv(State(state): State<AppState>, StaffCaller(user): StaffCaller, Path(name): Path<String>) -> Result<Response, ApiError> {
    let kind = list_kind(&name)?;
    let stored = blocking(&state, move |s| s.list(user.bureau_id, kind.key())).await?;
    let entries: Value = match stored {
        Some(l) => serde_json::from_str(&l.body).map_err(|e| StoreError::corrupt(format!("list {}: {e}", kind.key())))?,
        None => json!([]),
    };
    let csv = xuncha::draw::directory::list_to_csv(kind, entries).map_err(|e| StoreError::corrupt(format!("list {} no longer reads: {:?}", kind.key(), e.reasons)))?;
    let disposition = format!("attachment; filename=\"{}.csv\"", kind.key());
    Ok(([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (axum::http::header::CONTENT_DISPOSITION, disposition)], csv).into_response())
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanRequest {
    title: String,
    /// The plan's period: its first day (optional) and the last day for its tasks.
    starts: Option<xuncha::time::Date>,
    due: xuncha::time::Date,
    /// The batch this draw is (e.g. 第一批), when the year's plan is drawn in batches.
    batch: Option<String>,
    /// The matters (codes of the matter list) this plan draws for.
    matters: Vec<String>,
    /// The day the windows are counted back from; today by default.
    draw_day: Option<xuncha::time::Date>,
}

fn stored_list<T: serde::de::DeserializeOwned>(s: &Store, bureau: i64, kind: ListKind) -> Result<Vec<T>, StoreError> {
    match s.list(bureau, kind.key())? {
        Some(l) => serde_json::from_str(&l.body).map_err(|e| StoreError::corrupt(format!("list {}: {e}", kind.key()))),
        None => Ok(Vec::new()),
    }
}

/// The inputs of a plan, frozen from the lists as they are now.
fn freeze_inputs(s: &Store, bureau: i64, req: &PlanRequest) -> Result<Result<DrawInputs, ApiError>, StoreError> {
    let all: Vec<xuncha::draw::Matter> = stored_list(s, bureau, ListKind::Matters)?;
    let mut matters = Vec::new();
    for code in &req.matters {
        if matters.iter().any(|m: &xuncha::draw::Matter| &m.code == code) {
            continue;
        }
        match all.iter().find(|m| &m.code == code) {
            Some(m) => matters.push(m.clone()),
            None => return Ok(Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "UNKNOWN_MATTER", format!("抽查事项清单中没有“{code}”"), format!("the matter list has no \"{code}\"")))),
        }
    }
    if matters.is_empty() {
        return Ok(Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "NO_MATTERS", "请至少选择一个抽查事项", "choose at least one matter")));
    }
    let targets = stored_list(s, bureau, ListKind::Targets)?;
    let inspectors = stored_list(s, bureau, ListKind::Inspectors)?;
    let draw_day = req.draw_day.unwrap_or_else(|| now().date_naive());
    let plan = match req.batch.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        Some(batch) => format!("{} {batch}", req.title.trim()),
        None => req.title.trim().to_string(),
    };
    Ok(Ok(DrawInputs { plan, draw_day, matters, targets, inspectors }))
}

fn new_seed() -> String {
    let mut bytes = [0u8; 32];
    argon2::password_hash::rand_core::RngCore::fill_bytes(&mut argon2::password_hash::rand_core::OsRng, &mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn plan_request(bytes: Result<Bytes, BytesRejection>) -> Result<PlanRequest, ApiError> {
    let req: PlanRequest = super::parse_object(bytes)?;
    // (No NUL: PostgreSQL cannot hold one, and both databases answer alike.)
    if req.title.trim().is_empty() || req.title.chars().count() > 200 || req.title.contains('\0') || req.batch.as_ref().is_some_and(|b| b.chars().count() > 50 || b.contains('\0')) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "BAD_TITLE",
            "请填写计划名称（200 字以内），批次 50 字以内",
            "give the plan a title (at most 200 characters) and a batch of at most 50",
        ));
    }
    if req.starts.is_some_and(|s| s > req.due) {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "BAD_PERIOD", "计划开始日期晚于完成期限", "the plan starts after its due day"));
    }
    Ok(req)
}

/// `POST /api/v1/staff/plans`: make a plan — its inputs frozen from the lists,
/// a seed made and kept, and the seed's commitment published with the inputs' hash.
pub async fn create_plan(State(state): State<AppState>, StaffCaller(user): StaffCaller, bytes: Result<Bytes, BytesRejection>) -> Result<Json<Value>, ApiError> {
    let req = plan_request(bytes)?;
    let at = now();
    let plan = blocking(&state, move |s| {
        let inputs = match freeze_inputs(s, user.bureau_id, &req)? {
            Ok(i) => i,
            Err(e) => return Ok(Err(e)),
        };
        let (text, hash, seed) = (serde_json::to_string(&inputs).expect("inputs serialise"), xuncha::draw::inputs_sha256(&inputs), new_seed());
        let (due, starts) = (req.due.to_string(), req.starts.map(|d| d.to_string()));
        let batch = req.batch.as_deref().map(str::trim).filter(|b| !b.is_empty());
        let plan =
            NewPlan { title: req.title.trim(), starts: starts.as_deref(), batch, due: &due, inputs: &text, inputs_sha256: &hash, seed: &seed, seed_commitment: &xuncha::draw::commitment(&seed) };
        let id = s.create_plan(user.bureau_id, plan, at)?;
        Ok(Ok(s.plan(user.bureau_id, &id)?.ok_or_else(|| StoreError::corrupt("a plan just made is gone"))?))
    })
    .await??;
    Ok(Json(json!(plan)))
}

/// `GET /api/v1/staff/plans`: the bureau's plans, newest first, each with its progress counts.
pub async fn plans(State(state): State<AppState>, StaffCaller(user): StaffCaller) -> Result<Json<Value>, ApiError> {
    let bureau = user.bureau_id;
    let (plans, published) = blocking(&state, move |s| Ok((s.plans(bureau)?, s.publications(bureau)?))).await?;
    let b = super::staff::bureau_records(&state, user.bureau_id).await?;
    let today = now().date_naive();
    let mut out = Vec::new();
    for p in plans {
        let tasks = plan_tasks(&state, &user, &p.id).await?;
        let mut progress = progress(&tasks, &b.visits, &b.follow_ups, b.rulebook(), today, &published);
        progress.tasks.clear();
        out.push(json!({ "plan": p, "progress": progress }));
    }
    Ok(Json(json!({ "plans": out })))
}

async fn plan_tasks(state: &AppState, user: &User, id: &str) -> Result<Vec<Task>, ApiError> {
    let (bureau, id) = (user.bureau_id, id.to_string());
    let bodies = blocking(state, move |s| s.plan_tasks(bureau, &id)).await?;
    Ok(read_tasks(&bodies)?)
}

/// Stored tasks read back, typed (or as JSON, to pass on as stored); a task that does not read is damage.
fn read_tasks<T: serde::de::DeserializeOwned>(bodies: &[String]) -> Result<Vec<T>, StoreError> {
    bodies.iter().map(|b| serde_json::from_str(b).map_err(|e| StoreError::corrupt(format!("a task: {e}")))).collect()
}

/// Where each of these tasks stands today, from the bureau's visits and the publications recorded.
async fn plan_progress(state: &AppState, user: &User, tasks: &[Task]) -> Result<PlanProgress, ApiError> {
    let bureau = user.bureau_id;
    let published = blocking(state, move |s| s.publications(bureau)).await?;
    let b = super::staff::bureau_records(state, bureau).await?;
    Ok(progress(tasks, &b.visits, &b.follow_ups, b.rulebook(), now().date_naive(), &published))
}

/// The publication limits still open or overdue, for the deadlines board: one per task with a result not yet published.
pub(super) async fn open_publications(state: &AppState, user: &User, b: &super::staff::BureauRecords, as_of: xuncha::time::Date) -> Result<Vec<Value>, ApiError> {
    let bureau = user.bureau_id;
    let (bodies, published) = blocking(state, move |s| Ok((s.bureau_tasks(bureau)?, s.publications(bureau)?))).await?;
    let tasks: Vec<Task> = read_tasks(&bodies)?;
    let progress = progress(&tasks, &b.visits, &b.follow_ups, b.rulebook(), as_of, &published);
    Ok(tasks
        .iter()
        .zip(progress.tasks)
        .filter_map(|(t, p)| {
            let d = p.publication?;
            matches!(d.status, xuncha::finding::DeadlineStatus::Open | xuncha::finding::DeadlineStatus::Overdue)
                .then(|| json!({ "visitId": p.visit_id, "operator": t.target.name, "planId": t.plan_id, "deadline": d }))
        })
        .collect())
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PublishedRequest {
    /// The day the results were published; today by default.
    on: Option<xuncha::time::Date>,
}

/// `POST /api/v1/staff/plans/{id}/published`: the plan's results so far were
/// published (公示) on a day — every task with a result on or before it and
/// not published yet; the publication limits on the board are met.
pub async fn published(State(state): State<AppState>, StaffCaller(user): StaffCaller, Path(id): Path<String>, bytes: Result<Bytes, BytesRejection>) -> Result<Json<Value>, ApiError> {
    let req: PublishedRequest = super::parse_object(bytes)?;
    let today = now().date_naive();
    let on = req.on.unwrap_or(today);
    if on > today {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "FUTURE_DATE", "公示日期不能晚于今天", "the publication day cannot be after today"));
    }
    find_plan(&state, &user, &id).await?;
    let tasks = plan_tasks(&state, &user, &id).await?;
    let progress = plan_progress(&state, &user, &tasks).await?;
    let ids: Vec<String> = progress.tasks.into_iter().filter(|p| p.result_on.is_some_and(|r| r <= on) && p.publication.as_ref().is_some_and(|d| d.done_on.is_none())).map(|p| p.task_id).collect();
    let (bureau, uid, at) = (user.bureau_id, user.id, now());
    let marked = blocking(&state, move |s| s.mark_published(bureau, &ids, on, uid, at)).await?;
    Ok(Json(json!({ "published": marked, "on": on })))
}

/// A plan id from a request names none when it could not be stored (a NUL, or longer than any id HQ gives).
fn possible_plan_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && !id.contains('\0')
}

async fn find_plan(state: &AppState, user: &User, id: &str) -> Result<Plan, ApiError> {
    let unknown =
        || ApiError::new(StatusCode::NOT_FOUND, "UNKNOWN_PLAN", format!("本局没有编号为“{}”的抽查计划", id.replace('\0', "")), format!("this bureau has no plan \"{}\"", id.replace('\0', "")));
    if !possible_plan_id(id) {
        return Err(unknown());
    }
    let (bureau, wanted) = (user.bureau_id, id.to_string());
    blocking(state, move |s| s.plan(bureau, &wanted)).await?.ok_or_else(unknown)
}

fn inputs_of(plan: &Plan) -> Result<DrawInputs, StoreError> {
    serde_json::from_str(&plan.inputs).map_err(|e| StoreError::corrupt(format!("plan {}'s inputs: {e}", plan.id)))
}

/// `GET /api/v1/staff/plans/{id}`: the plan, its frozen inputs, the draw (once
/// made, with the seed revealed), each task with where it stands.
pub async fn plan(State(state): State<AppState>, StaffCaller(user): StaffCaller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let plan = find_plan(&state, &user, &id).await?;
    let inputs = inputs_of(&plan)?;
    let result: Option<Value> = plan.result.as_deref().map(serde_json::from_str).transpose().map_err(|e| StoreError::corrupt(format!("plan {id}'s result: {e}")))?;
    let tasks = plan_tasks(&state, &user, &id).await?;
    let progress = plan_progress(&state, &user, &tasks).await?;
    Ok(Json(json!({ "plan": plan, "inputs": inputs, "result": result, "tasks": tasks, "progress": progress })))
}

/// `GET /api/v1/staff/plans/{id}/inputs`: the frozen inputs, as `xuncha-hq draw run --inputs` and the check page read them.
pub async fn plan_inputs(State(state): State<AppState>, StaffCaller(user): StaffCaller, Path(id): Path<String>) -> Result<Response, ApiError> {
    let plan = find_plan(&state, &user, &id).await?;
    let disposition = format!("attachment; filename=\"draw-inputs-{id}.json\"");
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json".to_string()), (axum::http::header::CONTENT_DISPOSITION, disposition)], plan.inputs).into_response())
}

/// `POST /api/v1/staff/plans/{id}/draw`: draw with the seed committed when the
/// plan was made, record the result and make the tasks — once.
pub async fn draw(State(state): State<AppState>, StaffCaller(user): StaffCaller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let plan = find_plan(&state, &user, &id).await?;
    if plan.drawn_at.is_some() {
        return Err(already_drawn(&id));
    }
    let inputs = inputs_of(&plan)?;
    let (bureau, pid) = (user.bureau_id, id.clone());
    let seed = blocking(&state, move |s| s.plan_seed(bureau, &pid)).await?.ok_or_else(|| StoreError::corrupt("a plan without its seed"))?;
    let result: DrawResult = xuncha::draw::rerun(&inputs, &seed, &plan.seed_commitment).map_err(|e| core_refusal(StatusCode::UNPROCESSABLE_ENTITY, "DRAW_REFUSED", &e))?;
    let due: xuncha::time::Date = plan.due.parse().map_err(|_| StoreError::corrupt(format!("plan {id}'s due day")))?;
    // What the bureau's records say of each target this year travels with its task (the tablet warns offline).
    let b = super::staff::bureau_records(&state, user.bureau_id).await?;
    let bureau = user.bureau_id;
    let cap = blocking(&state, move |s| s.inspection_cap(bureau)).await?;
    let mut made = tasks_of(&id, &inputs, &result, due);
    budget::annotate(&mut made, &budget::inspections_in(&b.visits, inputs.draw_day.year()), cap);
    let over_cap: Vec<String> = made.iter().filter(|t| t.over_cap == Some(true)).map(|t| t.id.clone()).collect();
    let tasks: Vec<NewTask> = made
        .into_iter()
        .map(|t| NewTask { id: t.id.clone(), inspectors: t.inspectors.iter().map(|i| i.certificate_no.clone()).collect(), body: serde_json::to_string(&t).expect("a task serialises") })
        .collect();
    let text = serde_json::to_string(&result).expect("a draw serialises");
    let (bureau, pid, at) = (user.bureau_id, id.clone(), now());
    if !blocking(&state, move |s| s.record_draw(bureau, &pid, &text, &tasks, at)).await? {
        return Err(already_drawn(&id));
    }
    let plan = find_plan(&state, &user, &id).await?;
    Ok(Json(json!({ "plan": plan, "result": result, "overCap": over_cap })))
}

fn already_drawn(id: &str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "ALREADY_DRAWN", format!("计划“{id}”已抽取；重新抽取须说明理由"), format!("plan \"{id}\" was drawn already; drawing it again needs a reason"))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RedrawRequest {
    reason: String,
    due: Option<xuncha::time::Date>,
}

/// `POST /api/v1/staff/plans/{id}/redraw`: set a drawn plan up to be drawn
/// again, for a reason that is kept with the earlier draw (its seed, result and
/// hashes stay readable); the inputs are frozen anew and a new seed committed.
pub async fn redraw(State(state): State<AppState>, StaffCaller(user): StaffCaller, Path(id): Path<String>, bytes: Result<Bytes, BytesRejection>) -> Result<Json<Value>, ApiError> {
    let req: RedrawRequest = super::parse_object(bytes)?;
    let reason = req.reason.trim().to_string();
    if reason.chars().count() < 4 {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "REASON_REQUIRED", "重新抽取须写明理由（至少 4 个字）", "drawing again needs a reason (at least 4 characters)"));
    }
    let plan = find_plan(&state, &user, &id).await?;
    if plan.drawn_at.is_none() {
        return Err(ApiError::new(StatusCode::CONFLICT, "NOT_DRAWN", format!("计划“{id}”尚未抽取"), format!("plan \"{id}\" has not been drawn")));
    }
    let old = inputs_of(&plan)?;
    let req_plan = PlanRequest {
        title: plan.title.clone(),
        starts: None,
        batch: plan.batch.clone(),
        due: req.due.unwrap_or(plan.due.parse().map_err(|_| StoreError::corrupt("a plan's due day"))?),
        matters: old.matters.iter().map(|m| m.code.clone()).collect(),
        draw_day: None,
    };
    let (bureau, pid, at) = (user.bureau_id, id.clone(), now());
    blocking(&state, move |s| {
        let inputs = match freeze_inputs(s, bureau, &req_plan)? {
            Ok(i) => i,
            Err(e) => return Ok(Err(e)),
        };
        let (text, hash, seed) = (serde_json::to_string(&inputs).expect("inputs serialise"), xuncha::draw::inputs_sha256(&inputs), new_seed());
        let due = req_plan.due.to_string();
        s.prepare_redraw(
            bureau,
            &pid,
            &reason,
            NewPlan { title: &req_plan.title, starts: None, batch: None, due: &due, inputs: &text, inputs_sha256: &hash, seed: &seed, seed_commitment: &xuncha::draw::commitment(&seed) },
            at,
        )?;
        Ok(Ok(()))
    })
    .await??;
    Ok(Json(json!({ "plan": find_plan(&state, &user, &id).await? })))
}

/// `GET /api/v1/staff/plans/{id}/publication.csv`: the results to publish (公示), in the layout of docs/draw.md.
pub async fn publication(State(state): State<AppState>, StaffCaller(user): StaffCaller, Path(id): Path<String>) -> Result<Response, ApiError> {
    find_plan(&state, &user, &id).await?;
    let tasks = plan_tasks(&state, &user, &id).await?;
    let csv = publication_csv(&tasks, &plan_progress(&state, &user, &tasks).await?);
    let disposition = format!("attachment; filename=\"publication-{id}.csv\"");
    Ok(([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (axum::http::header::CONTENT_DISPOSITION, disposition)], csv).into_response())
}

/// The officer's tasks for pull: the list and its version (a hash of it), sent
/// only when the device holds another version.
pub fn officer_tasks(s: &Store, user: &User, known: Option<&str>) -> Result<Option<Value>, StoreError> {
    let Some(cert) = user.certificate() else { return Ok(None) };
    let bodies = s.officer_tasks(user.bureau_id, cert)?;
    let tasks: Vec<Value> = read_tasks(&bodies)?;
    let version = xuncha::sync::content_sha256(&Value::Array(tasks.clone()));
    // Nothing to tell a device that holds no list and has no tasks; a device
    // whose tasks were all withdrawn holds a version, and gets the empty list.
    if known == Some(version.as_str()) || (known.is_none() && tasks.is_empty()) {
        return Ok(None);
    }
    Ok(Some(json!({ "version": version, "tasks": tasks })))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InspectionsQuery {
    year: Option<i32>,
}

/// `GET /api/v1/staff/inspections?year=2026`: the bureau's yearly cap and the
/// operators inspected more often than it, across plans and ad-hoc visits.
pub async fn inspections(
    State(state): State<AppState>,
    StaffCaller(user): StaffCaller,
    raw: Result<axum::extract::Query<InspectionsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let q = raw.map(|q| q.0).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "BAD_QUERY", "查询参数不正确", e.body_text()))?;
    let year = q.year.unwrap_or_else(|| now().date_naive().year());
    let bureau = user.bureau_id;
    let cap = blocking(&state, move |s| s.inspection_cap(bureau)).await?;
    let b = super::staff::bureau_records(&state, bureau).await?;
    let counts = budget::inspections_in(&b.visits, year);
    let over: Vec<Value> =
        cap.map(|c| budget::over_cap(&counts, c)).unwrap_or_default().into_iter().map(|(code, i)| json!({ "creditCode": code, "name": i.name, "count": i.count, "last": i.last })).collect();
    Ok(Json(json!({ "year": year, "cap": cap, "operators": counts.len(), "overCap": over })))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapRequest {
    /// Inspections a year an operator may have; null: no cap.
    cap: Option<u32>,
}

/// `PUT /api/v1/staff/inspection-cap`: the bureau's yearly cap per operator (or none).
pub async fn set_cap(State(state): State<AppState>, StaffCaller(user): StaffCaller, bytes: Result<Bytes, BytesRejection>) -> Result<Json<Value>, ApiError> {
    let req: CapRequest = super::parse_object(bytes)?;
    if req.cap == Some(0) || req.cap.is_some_and(|c| c > 366) {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "BAD_CAP", "年度检查上限须为 1–366 次，或不设上限", "the yearly cap must be 1–366, or none"));
    }
    let bureau = user.bureau_id;
    blocking(&state, move |s| s.set_inspection_cap(bureau, req.cap)).await?;
    Ok(Json(json!({ "cap": req.cap })))
}

/// `GET /api/v1/public/draws/{bureau}/{plan}`: what a bureau publishes of a
/// plan (一公开), for anyone: before the draw its frozen inputs, their hash and
/// the seed's commitment; after it the seed and the result too, so a third party
/// re-runs the draw (the check page reads this link). Nothing else of the bureau.
pub async fn public_plan(State(state): State<AppState>, Path((bureau, id)): Path<(String, String)>) -> Result<Json<Value>, ApiError> {
    let unknown = || ApiError::new(StatusCode::NOT_FOUND, "UNKNOWN_PLAN", "没有这个抽查计划", "no such plan");
    let bureau: i64 = bureau.parse().map_err(|_| unknown())?;
    if !possible_plan_id(&id) {
        return Err(unknown());
    }
    let wanted = id.clone();
    let found = blocking(&state, move |s| match s.plan(bureau, &wanted)? {
        Some(p) => Ok(Some((p, s.bureau_name(bureau)?))),
        None => Ok(None),
    })
    .await?;
    let Some((plan, bureau_name)) = found else { return Err(unknown()) };
    let inputs: Value = serde_json::from_str(&plan.inputs).map_err(|e| StoreError::corrupt(format!("plan {id}'s inputs: {e}")))?;
    let result: Option<Value> = plan.result.as_deref().map(serde_json::from_str).transpose().map_err(|e| StoreError::corrupt(format!("plan {id}'s result: {e}")))?;
    Ok(Json(json!({
        "bureau": bureau_name, "id": plan.id, "title": plan.title, "batch": plan.batch, "starts": plan.starts, "due": plan.due,
        "inputsSha256": plan.inputs_sha256, "seedCommitment": plan.seed_commitment, "seed": plan.seed, "drawnAt": plan.drawn_at,
        "inputs": inputs, "result": result, "redraws": plan.redraws,
    })))
}
