//! The bureau's side: figures, report paragraphs, deadlines and exports from
//! the core; follow-ups (lab results, 复检, disposal) entered by staff; each
//! record's audit trail. Staff only ([`StaffCaller`]).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::sync::apply_changes;
use super::{blocking, json_body, now, parse, ApiError, AppState, StaffCaller};
use crate::store::StoreError;

/// What the staff's bureau holds.
pub async fn stats(State(state): State<AppState>, StaffCaller(user): StaffCaller) -> Result<Json<serde_json::Value>, ApiError> {
    let (records, changes, conflicts) = blocking(&state, move |s| s.counts(user.bureau_id)).await?;
    Ok(Json(json!({ "records": records, "changes": changes, "conflicts": conflicts })))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StaffQuery {
    period: Option<String>,
    as_of: Option<String>,
    group_by: Option<xuncha::summary::GroupBy>,
    /// The scope: one market, officer (certificate), operator (credit code or name), kind of check.
    market: Option<String>,
    officer: Option<String>,
    operator: Option<String>,
    kind: Option<xuncha::rules::CheckKind>,
}

fn as_of(q: &StaffQuery) -> Result<xuncha::time::Date, ApiError> {
    match q.as_of.as_deref() {
        None => Ok(now().date_naive()),
        Some(s) => s.parse().map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "BAD_DATE", format!("“{s}”不是日期（YYYY-MM-DD）"), format!("\"{s}\" is not a date (YYYY-MM-DD)"))),
    }
}

fn query(raw: Result<axum::extract::Query<StaffQuery>, axum::extract::rejection::QueryRejection>) -> Result<StaffQuery, ApiError> {
    raw.map(|q| q.0).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "BAD_QUERY", "查询参数不正确", e.body_text()))
}

/// What staff read: the bureau's records as the core reads them, and the
/// rulebook in force at HQ (the one published last, or the core's own).
pub(super) struct BureauRecords {
    pub(super) visits: Vec<xuncha::Visit>,
    pub(super) follow_ups: Vec<xuncha::sampling::SampleFollowUp>,
    /// The findings HQ's rectification records show rectified.
    rectifications: Vec<xuncha::rectification::Rectification>,
    published: Option<xuncha::Rulebook>,
}

impl BureauRecords {
    pub(super) fn rulebook(&self) -> &xuncha::Rulebook {
        self.published.as_ref().unwrap_or(xuncha::Rulebook::builtin())
    }
}

pub(super) async fn bureau_records(state: &AppState, bureau_id: i64) -> Result<BureauRecords, ApiError> {
    blocking(state, move |s| {
        let current = s.current_records(bureau_id)?;
        // A published rulebook was checked whole before it was stored.
        let published = match s.latest_rulebook()? {
            Some((version, body)) => Some(xuncha::Rulebook::from_json(&body).map_err(|e| StoreError::corrupt(format!("published rulebook {version}: {e:?}")))?),
            None => None,
        };
        Ok(BureauRecords {
            visits: current.visits.into_iter().filter_map(xuncha::decode::decode_trusted).collect(),
            follow_ups: current.follow_ups.into_iter().filter_map(xuncha::decode::decode_trusted).collect(),
            rectifications: xuncha::rectification::rectifications_of(&current.rectifications.into_iter().filter_map(xuncha::decode::decode_trusted).collect::<Vec<_>>()),
            published,
        })
    })
    .await
}

/// `GET /api/v1/staff/summary?period=2026-H1&asOf=2026-07-10&groupBy=market`:
/// the sum of the bureau's digests (no record is read or evaluated).
pub async fn summary(
    State(state): State<AppState>,
    StaffCaller(user): StaffCaller,
    raw: Result<axum::extract::Query<StaffQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let q = query(raw)?;
    let as_of = as_of(&q)?;
    let period = q.period.clone().unwrap_or_else(|| as_of.format("%Y").to_string());
    let scope = xuncha::summary::Scope { market: q.market.clone(), officer: q.officer.clone(), operator: q.operator.clone(), kind: q.kind };
    let sq = xuncha::SummaryQuery { period, scope, as_of, group_by: q.group_by, top: None };
    let held = state.figures.clone();
    let (summary, template) = blocking(&state, move |s| Ok((held.summary(s, user.bureau_id, &sq)?, super::report_templates::in_force(s, user.bureau_id)?))).await?;
    let summary = summary.map_err(|e| {
        use xuncha::CoreError;
        let m = e.message();
        ApiError::new(StatusCode::BAD_REQUEST, "BAD_PERIOD", m.zh, m.en)
    })?;
    // In the bureau's own phrasing (its report template, or the core's wording).
    let paragraphs = template.render(&summary);
    Ok(Json(json!({ "summary": summary, "report": paragraphs })))
}

/// Each bureau's digests held in memory, brought up to date from the store on
/// every summary (only the digests changed since: usually none), so HQ's
/// figures cost the counting alone. A digest made again under a newly
/// published rulebook starts the bureau's over.
#[derive(Default)]
pub struct HeldFigures {
    bureaus: std::sync::Mutex<std::collections::HashMap<i64, std::sync::Arc<std::sync::Mutex<Held>>>>,
}

#[derive(Default)]
struct Held {
    rulebook: String,
    next: i64,
    index: xuncha::summary::DigestIndex,
}

impl HeldFigures {
    fn summary(&self, store: &crate::store::Store, bureau_id: i64, query: &xuncha::SummaryQuery) -> Result<Result<xuncha::Summary, xuncha::summary::SummaryError>, StoreError> {
        let held = self.bureaus.lock().unwrap_or_else(|e| e.into_inner()).entry(bureau_id).or_default().clone();
        let mut held = held.lock().unwrap_or_else(|e| e.into_inner());
        // The digests and the rulebook read together: the figures' titles come from the rulebook the digests were made under.
        let book = loop {
            let page = store.digests_after(bureau_id, held.next, 50_000, false)?;
            if held.next > 0 && page.book.version != held.rulebook {
                *held = Held::default();
                continue;
            }
            let digests =
                page.digests.iter().map(|d| serde_json::from_str::<xuncha::summary::Digest>(d).map_err(|e| StoreError::corrupt(format!("a stored digest: {e}")))).collect::<Result<Vec<_>, _>>()?;
            held.index.extend(digests);
            held.rulebook = page.book.version.clone();
            held.next = page.last;
            if !page.more {
                break page.book;
            }
        };
        Ok(held.index.summary(query, &book))
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DigestQuery {
    /// The `next` of the page before (0 or absent: from the start).
    after: Option<i64>,
    limit: Option<u32>,
}

/// `GET /api/v1/staff/digests?after=N&limit=M`: the bureau's digests changed
/// after `after`, oldest change first, with the rulebook they were made under
/// (when it differs from the one a cache holds, the cache starts again).
pub async fn digests(
    State(state): State<AppState>,
    StaffCaller(user): StaffCaller,
    raw: Result<axum::extract::Query<DigestQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let q = raw.map(|q| q.0).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "BAD_QUERY", "查询参数不正确", e.body_text()))?;
    let after = q.after.unwrap_or(0).max(0);
    let limit = q.limit.unwrap_or(20_000).clamp(1, 50_000);
    let page = blocking(&state, move |s| s.digests_after(user.bureau_id, after, limit, true)).await?;
    // The stored JSON as it is: each digest was written by the core and is not parsed again here.
    let body = format!(
        r#"{{"rulebook":{},"next":{},"more":{},"total":{},"digests":[{}]}}"#,
        serde_json::Value::String(page.book.version.clone()),
        page.last,
        page.more,
        page.total.unwrap_or_default(),
        page.digests.join(",")
    );
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `GET /api/v1/staff/deadlines?asOf=…`: every legal time limit still open or overdue.
pub async fn deadlines(
    State(state): State<AppState>,
    StaffCaller(user): StaffCaller,
    raw: Result<axum::extract::Query<StaffQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    use xuncha::finding::DeadlineStatus;
    let as_of = as_of(&query(raw)?)?;
    let b = bureau_records(&state, user.bureau_id).await?;
    // 双随机: each drawn target's result to publish (公示).
    let publications = super::draws::open_publications(&state, &user, &b, as_of).await?;
    let mut evaluations = xuncha::evaluate_visits(&b.visits, &b.follow_ups, b.rulebook(), as_of);
    for e in &mut evaluations {
        xuncha::rectification::close_deadlines(e, &b.rectifications);
    }
    let mut open = Vec::new();
    for (v, e) in b.visits.iter().zip(&evaluations) {
        for d in e.deadlines.iter().filter(|d| matches!(d.status, DeadlineStatus::Open | DeadlineStatus::Overdue)) {
            open.push(json!({ "visitId": v.id, "operator": v.operator.as_ref().and_then(|o| o.name.clone()), "deadline": d }));
        }
    }
    open.extend(publications);
    open.sort_by(|a, b| a["deadline"]["due"].as_str().cmp(&b["deadline"]["due"].as_str()));
    Ok(Json(json!({ "asOf": as_of, "deadlines": open })))
}

/// `GET /api/v1/staff/findings.csv?asOf=…`: every finding of the bureau, for Excel.
pub async fn findings_csv(
    State(state): State<AppState>,
    StaffCaller(user): StaffCaller,
    raw: Result<axum::extract::Query<StaffQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let as_of = as_of(&query(raw)?)?;
    let b = bureau_records(&state, user.bureau_id).await?;
    let evaluations: Vec<_> = xuncha::evaluate_visits(&b.visits, &b.follow_ups, b.rulebook(), as_of)
        .into_iter()
        .map(|mut e| {
            xuncha::rectification::close_deadlines(&mut e, &b.rectifications);
            Some(e)
        })
        .collect();
    let csv = xuncha::summary::export::findings_csv(&b.visits, &evaluations);
    Ok(([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"), (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"findings.csv\"")], csv).into_response())
}

// ---- staff: lab results and other follow-ups of a sample ------------------------

/// `POST /api/v1/staff/follow-ups`: enter a sample's follow-up (lab result,
/// 复检, disposal) as a whole record. HQ makes the change — a new revision
/// based on the current one — and judges it like any pushed change; the
/// sample's officer gets it on their next pull.
pub async fn follow_up(State(state): State<AppState>, StaffCaller(user): StaffCaller, bytes: Result<Bytes, BytesRejection>) -> Result<Json<xuncha::sync::ChangeResult>, ApiError> {
    staff_write(state, user, xuncha::sync::RecordKind::SampleFollowUp, bytes).await
}

/// `POST /api/v1/staff/rectifications`: close a visit's rectifications on
/// documents the operator sent in (method `documentary`, with the reason), or
/// enter a re-inspection reported on paper — a whole rectification record,
/// written like a follow-up; the figures and deadlines count it at once.
pub async fn rectification(State(state): State<AppState>, StaffCaller(user): StaffCaller, bytes: Result<Bytes, BytesRejection>) -> Result<Json<xuncha::sync::ChangeResult>, ApiError> {
    staff_write(state, user, xuncha::sync::RecordKind::Rectification, bytes).await
}

/// A whole record entered by staff: HQ makes the change (a new revision based
/// on the current one) and it goes the way of every push (authorise → judge → apply).
async fn staff_write(state: AppState, user: crate::store::User, kind: xuncha::sync::RecordKind, bytes: Result<Bytes, BytesRejection>) -> Result<Json<xuncha::sync::ChangeResult>, ApiError> {
    let record: serde_json::Value = parse(&json_body(bytes)?)?;
    staff_write_value(&state, user, kind, record).await.map(Json)
}

/// A whole record written by staff: HQ makes the change — the next revision
/// after the current one — and judges it like any pushed change.
async fn staff_write_value(state: &AppState, user: crate::store::User, kind: xuncha::sync::RecordKind, record: serde_json::Value) -> Result<xuncha::sync::ChangeResult, ApiError> {
    // The record's own id names the change: without a UUID there is nothing to write under.
    let id = match record.get("id").and_then(|v| v.as_str()) {
        Some(id) if record.is_object() && xuncha::ids::is_uuid(id) => id.to_string(),
        _ => return Err(ApiError::bad_shape("the record is a JSON object with a UUID \"id\"")),
    };
    let bureau = user.bureau_id;
    // (a visit's id is refused by the write path: a record's kind never changes)
    let base_revision = blocking(&state, {
        let id = id.clone();
        move |s| s.current_revision(bureau, &id)
    })
    .await?;
    let mut random = [0u8; 10];
    argon2::password_hash::rand_core::RngCore::fill_bytes(&mut argon2::password_hash::rand_core::OsRng, &mut random);
    let revision = xuncha::ids::uuid_v7(chrono::Utc::now().timestamp_millis() as u64, random);
    let sha256 = xuncha::sync::content_sha256(&record);
    let change = xuncha::sync::Change { kind, id, base_revision, revision, sha256, record, signature: None };
    let device = format!("hq:{}", user.login);
    let mut results = apply_changes(state, vec![change], user, device).await?;
    results.pop().ok_or_else(|| StoreError::corrupt("no answer for the change").into())
}

/// `GET /api/v1/staff/records/{id}/revisions`: a record's audit trail — every
/// revision HQ accepted, oldest first, with the device and time it came from,
/// and the conflicting versions kept beside them. Devices pull only current
/// revisions; this is where the steps are read.
pub async fn record_revisions(State(state): State<AppState>, StaffCaller(user): StaffCaller, Path(id): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    let bureau = user.bureau_id;
    let no_such = || ApiError::new(StatusCode::NOT_FOUND, "NO_SUCH_RECORD", "本局没有这条记录", "no such record in this bureau");
    // HQ stores records under UUIDs only: anything else names none.
    if !xuncha::ids::is_uuid(&id) {
        return Err(no_such());
    }
    let (revisions, conflicts) = blocking(&state, {
        let id = id.clone();
        move |s| s.record_history(bureau, &id)
    })
    .await?;
    // Another bureau's record is as absent as one that never existed.
    if revisions.is_empty() && conflicts.is_empty() {
        return Err(no_such());
    }
    Ok(Json(json!({ "id": id, "revisions": revisions, "conflicts": conflicts })))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    /// true: the conflicting version becomes the record's next revision; false: the current one stays.
    take: bool,
}

/// `POST /api/v1/staff/records/{id}/conflicts/{revision}`: resolve a conflict —
/// take the conflicting version (written as the next revision, judged like any
/// write; drafts only: a finalised version carries its device's signature and is
/// settled on the tablet) or keep the current one. Once per conflict.
pub async fn resolve_conflict(
    State(state): State<AppState>,
    StaffCaller(user): StaffCaller,
    Path((id, revision)): Path<(String, String)>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let req: ResolveRequest = super::parse_object(bytes)?;
    let no_such = || ApiError::new(StatusCode::NOT_FOUND, "NO_SUCH_CONFLICT", "本局这条记录没有这个冲突版本", "no such conflicting version of a record of this bureau");
    if !xuncha::ids::is_uuid(&id) || revision.contains('\0') || revision.len() > 64 {
        return Err(no_such());
    }
    let bureau = user.bureau_id;
    let (conflict, history) = blocking(&state, {
        let (id, revision) = (id.clone(), revision.clone());
        move |s| Ok((s.conflict(bureau, &id, &revision)?, s.record_history(bureau, &id)?.0))
    })
    .await?;
    let Some((body, resolution)) = conflict else { return Err(no_such()) };
    let resolved = || ApiError::new(StatusCode::CONFLICT, "ALREADY_RESOLVED", "这个冲突已经处理过", "this conflict was resolved already");
    if resolution.is_some() {
        return Err(resolved());
    }
    let mut written = None;
    if req.take {
        let current_is_draft = history.last().is_some_and(|r| r["record"]["status"] != "finalised");
        if body["status"] != "draft" || !current_is_draft {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "CANNOT_TAKE",
                "已定稿的版本带有设备签名，只能在平板上处理；此处只能保留当前版本",
                "a finalised version carries its device's signature and is settled on the tablet; here only the current version can be kept",
            ));
        }
        let result = staff_write_value(&state, user.clone(), xuncha::sync::RecordKind::Visit, body).await?;
        if !matches!(result.status, xuncha::sync::ChangeStatus::Accepted) {
            let reason = result.reason.clone().unwrap_or_default();
            return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "NOT_TAKEN", format!("该版本未能写入（{reason}）"), format!("the version was not written ({reason})")));
        }
        written = Some(result);
    }
    let how = if req.take { "taken" } else { "kept" };
    let (uid, at) = (user.id, now());
    if !blocking(&state, move |s| s.resolve_conflict(bureau, &id, &revision, how, uid, at)).await? {
        return Err(resolved());
    }
    Ok(Json(json!({ "resolution": how, "written": written })))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentsQuery {
    /// The province whose templates apply (the national ones otherwise).
    region: Option<String>,
}

/// `GET /api/v1/staff/records/{id}/documents`: the documents of a finalised
/// visit, made by the same core as on the tablet — HQ's archive copy — under
/// the rulebook and templates HQ published (or the core's own), issued in the
/// bureau's name.
pub async fn record_documents(
    State(state): State<AppState>,
    StaffCaller(user): StaffCaller,
    Path(id): Path<String>,
    raw: Result<axum::extract::Query<DocumentsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<xuncha::documents::DocumentSet>, ApiError> {
    let q = raw.map(|q| q.0).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "BAD_QUERY", "查询参数不正确", e.body_text()))?;
    let bureau = user.bureau_id;
    let no_such = || ApiError::new(StatusCode::NOT_FOUND, "NO_SUCH_RECORD", "本局没有这条记录", "no such record in this bureau");
    if !xuncha::ids::is_uuid(&id) {
        return Err(no_such());
    }
    let (found, rulebook, templates) = blocking(&state, move |s| {
        let found = s.visit_for_documents(bureau, &id)?;
        let rulebook = match s.latest_rulebook()? {
            Some((version, body)) => Some(xuncha::Rulebook::from_json(&body).map_err(|e| StoreError::corrupt(format!("published rulebook {version}: {e:?}")))?),
            None => None,
        };
        let templates = match s.latest_templates()? {
            Some(body) => Some(xuncha::documents::TemplateSet::from_json(&body).map_err(|e| StoreError::corrupt(format!("published document templates: {e:?}")))?),
            None => None,
        };
        Ok((found, rulebook, templates))
    })
    .await?;
    let (record, bureau_name, follow_ups) = found.ok_or_else(no_such)?;
    let not_finalised = || ApiError::new(StatusCode::CONFLICT, "NOT_FINALISED", "检查记录尚未定稿，不能制作文书", "the visit is not finalised, so no documents can be made");
    let visit: xuncha::Visit = xuncha::decode::decode_trusted(record.clone()).ok_or_else(not_finalised)?;
    let day = visit.started_at.map(|t| t.date_naive()).ok_or_else(not_finalised)?;
    let follow_ups: Vec<xuncha::sampling::SampleFollowUp> = follow_ups.into_iter().filter_map(xuncha::decode::decode_trusted).collect();
    let evaluation = xuncha::evaluate_visit(&visit, &follow_ups, rulebook.as_ref().unwrap_or(xuncha::Rulebook::builtin()), day);
    let issuer = xuncha::documents::Issuer { bureau: Some(bureau_name), region: q.region };
    xuncha::documents::make_documents(&record, &evaluation, templates.as_ref().unwrap_or(xuncha::documents::TemplateSet::builtin()), &issuer).map(Json).map_err(|_| not_finalised())
}
