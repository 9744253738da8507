//! HQ's HTTP API (version 1). Bad input always gets a 4xx with a JSON body
//! `{ code, message }` — never a 500, never a partial write.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::json;
use xuncha::sync::{PullRequest, PullResponse, PushRequest, PushResponse, PROTOCOL_VERSION};

use crate::store::{LoginOutcome, Role, Store, User};

/// Largest request body accepted (a batch of records with their text).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Largest page of a pull, and the default.
const MAX_PULL: u32 = 1000;
const DEFAULT_PULL: u32 = 200;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Mutex<Store>>,
    /// How long a login token lives.
    pub token_ttl_secs: i64,
}

/// An error answer: status, stable code, message in Chinese and English.
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    zh: String,
    en: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        ApiError { status, code, zh: zh.into(), en: en.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "code": self.code, "message": { "zh": self.zh, "en": self.en } }))).into_response()
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "BODY_TOO_LARGE",
        format!("请求过大（上限 {} MiB），请分批同步", MAX_BODY_BYTES >> 20),
        format!("request body too large (limit {} MiB); sync in smaller batches", MAX_BODY_BYTES >> 20),
    )
}

/// A body declared larger than the limit is refused before any of it is read
/// (one read without a declared length is still capped by `DefaultBodyLimit`).
async fn refuse_declared_oversize(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let declared = req.headers().get(axum::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return too_large().into_response();
    }
    next.run(req).await
}

fn body(bytes: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    bytes.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "BAD_BODY", "无法读取请求内容", e.body_text())
        }
    })
}

/// Parse a JSON body: malformed JSON is 400, a wrong shape 422.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "MALFORMED_JSON", "请求不是有效的 JSON", e.to_string()))?;
    serde_json::from_value(value).map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "BAD_SHAPE", "请求的字段或类型不正确", e.to_string()))
}

fn check_version(v: u32) -> Result<(), ApiError> {
    if v != PROTOCOL_VERSION {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "PROTOCOL_VERSION",
            format!("同步协议版本 {v} 不受支持（本服务为 {PROTOCOL_VERSION}），请更新应用"),
            format!("protocol version {v} is not supported (this HQ speaks {PROTOCOL_VERSION}); update the app"),
        ));
    }
    Ok(())
}

fn storage_error(e: impl std::fmt::Display) -> ApiError {
    // Storage trouble is ours, and the device must retry: 503, not a verdict on its data.
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "STORAGE_UNAVAILABLE", "服务暂时无法保存，请稍后重试（数据仍在设备上）", format!("storage unavailable, retry later: {e}"))
}

fn now() -> xuncha::time::Timestamp {
    chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get("authorization")?.to_str().ok()?;
    v.strip_prefix("Bearer ").map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

fn unauthenticated() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "请先登录（登录已过期或已注销）", "sign in first (the session expired or was revoked)")
}

/// The account behind the request's bearer token.
fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<User, ApiError> {
    let token = bearer(headers).ok_or_else(unauthenticated)?;
    let store = state.store.lock().map_err(storage_error)?;
    store.authenticate(&token, now().timestamp()).map_err(storage_error)?.ok_or_else(unauthenticated)
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LoginRequest {
    login: String,
    password: String,
    device_id: String,
}

async fn login(State(state): State<AppState>, bytes: Result<Bytes, BytesRejection>) -> Result<Json<serde_json::Value>, ApiError> {
    let req: LoginRequest = parse(&body(bytes)?)?;
    let ttl = state.token_ttl_secs;
    let outcome = tokio::task::spawn_blocking(move || {
        let store = state.store.lock().map_err(storage_error)?;
        store.login(req.login.trim(), &req.password, req.device_id.trim(), now().timestamp(), ttl).map_err(storage_error)
    })
    .await
    .map_err(storage_error)??;
    match outcome {
        LoginOutcome::Ok { token, expires_at, user } => Ok(Json(json!({
            "token": token,
            "expiresAt": chrono::DateTime::from_timestamp(expires_at, 0).map(|t| t.to_rfc3339()),
            "user": { "login": user.login, "name": user.name, "role": match user.role { Role::Officer => "officer", Role::Staff => "staff" }, "bureauId": user.bureau_id, "certificateNo": user.certificate_no },
        }))),
        LoginOutcome::BadCredentials => Err(ApiError::new(StatusCode::UNAUTHORIZED, "BAD_CREDENTIALS", "账号或密码不正确", "wrong login or password")),
        LoginOutcome::RateLimited => Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TOO_MANY_ATTEMPTS",
            format!("登录失败次数过多，请 {} 分钟后再试", crate::store::FAILED_LOGIN_WINDOW_SECS / 60),
            format!("too many failed sign-ins; try again in {} minutes", crate::store::FAILED_LOGIN_WINDOW_SECS / 60),
        )),
    }
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<serde_json::Value>, ApiError> {
    authenticate(&state, &headers)?;
    let token = bearer(&headers).ok_or_else(unauthenticated)?;
    state.store.lock().map_err(storage_error)?.revoke(&token).map_err(storage_error)?;
    Ok(Json(json!({ "status": "signedOut" })))
}

async fn push(State(state): State<AppState>, headers: HeaderMap, bytes: Result<Bytes, BytesRejection>) -> Result<Json<PushResponse>, ApiError> {
    let user = authenticate(&state, &headers)?;
    let req: PushRequest = parse(&body(bytes)?)?;
    check_version(req.protocol_version)?;
    if req.device_id.trim().is_empty() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "BAD_SHAPE", "缺少设备标识", "deviceId is required"));
    }
    let results = tokio::task::spawn_blocking(move || {
        let now = now();
        // Re-validate the records (the costly part) on every core, before taking the lock.
        let validated = validate_all(&req.changes, now)?;
        let mut store = state.store.lock().map_err(storage_error)?;
        // Each change judged alone (one bad record never holds up the rest), all committed at once.
        store.apply_all(&req.changes, validated, &user, &req.device_id, now).map_err(storage_error)
    })
    .await
    .map_err(storage_error)??;
    Ok(Json(PushResponse { protocol_version: PROTOCOL_VERSION, results }))
}

/// `sync::validate_change` for every change, split across the machine's cores;
/// one result per change, in order — or an error for the whole push (a panic
/// in the core is a bug: the push fails whole and the device keeps its records).
fn validate_all(changes: &[xuncha::sync::Change], now: xuncha::time::Timestamp) -> Result<Vec<xuncha::sync::Validated>, ApiError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(changes.len().max(1));
    let per = changes.len().div_ceil(threads).max(1);
    let parts = std::thread::scope(|scope| {
        let handles: Vec<_> = changes.chunks(per).map(|chunk| scope.spawn(move || chunk.iter().map(|c| xuncha::sync::validate_change(c, now)).collect::<Vec<_>>())).collect();
        handles.into_iter().map(|h| h.join()).collect::<Result<Vec<_>, _>>()
    });
    let all: Vec<_> = parts.map_err(|_| storage_error("the core failed while validating"))?.into_iter().flatten().collect();
    if all.len() != changes.len() {
        return Err(storage_error("validation lost a change"));
    }
    Ok(all)
}

async fn pull(State(state): State<AppState>, headers: HeaderMap, bytes: Result<Bytes, BytesRejection>) -> Result<Json<PullResponse>, ApiError> {
    let user = authenticate(&state, &headers)?;
    let req: PullRequest = parse(&body(bytes)?)?;
    check_version(req.protocol_version)?;
    let after = match req.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => c.strip_prefix("s").and_then(|n| n.parse::<i64>().ok()).filter(|n| *n >= 0).ok_or_else(|| {
            ApiError::new(StatusCode::BAD_REQUEST, "BAD_CURSOR", "同步游标无效，请重新完整同步", "the cursor is not one this HQ gave out; pull again from the start")
        })?,
    };
    let limit = req.limit.unwrap_or(DEFAULT_PULL).clamp(1, MAX_PULL);
    let (changes, last, more) = tokio::task::spawn_blocking(move || state.store.lock().map_err(storage_error)?.pull(&user, after, limit).map_err(storage_error))
        .await
        .map_err(storage_error)??;
    Ok(Json(PullResponse { protocol_version: PROTOCOL_VERSION, changes, next_cursor: format!("s{last}"), more }))
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "core": xuncha::CORE_VERSION, "protocolVersion": PROTOCOL_VERSION }))
}

/// What the staff's bureau holds (staff only).
async fn stats(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<serde_json::Value>, ApiError> {
    let user = authenticate(&state, &headers)?;
    if user.role != Role::Staff {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "FORBIDDEN", "仅局机关工作人员可查看", "staff only"));
    }
    let (records, changes, conflicts) = state.store.lock().map_err(storage_error)?.counts(user.bureau_id).map_err(storage_error)?;
    Ok(Json(json!({ "records": records, "changes": changes, "conflicts": conflicts })))
}

// ---- staff: the bureau's figures, deadlines and exports, from the core ----------

fn staff(state: &AppState, headers: &HeaderMap) -> Result<User, ApiError> {
    let user = authenticate(state, headers)?;
    if user.role != Role::Staff {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "FORBIDDEN", "仅局机关工作人员可查看", "staff only"));
    }
    Ok(user)
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StaffQuery {
    period: Option<String>,
    as_of: Option<String>,
    group_by: Option<xuncha::summary::GroupBy>,
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

/// The bureau's records, read as the core reads them.
fn bureau_records(state: &AppState, bureau_id: i64) -> Result<(Vec<xuncha::Visit>, Vec<xuncha::sampling::SampleFollowUp>), ApiError> {
    let (visits, follow_ups) = state.store.lock().map_err(storage_error)?.current_records(bureau_id).map_err(storage_error)?;
    Ok((
        visits.into_iter().filter_map(xuncha::decode::decode_trusted).collect(),
        follow_ups.into_iter().filter_map(xuncha::decode::decode_trusted).collect(),
    ))
}

/// `GET /api/v1/staff/summary?period=2026-H1&asOf=2026-07-10&groupBy=market`
async fn staff_summary(
    State(state): State<AppState>,
    headers: HeaderMap,
    raw: Result<axum::extract::Query<StaffQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let user = staff(&state, &headers)?;
    let q = query(raw)?;
    let as_of = as_of(&q)?;
    let period = q.period.clone().unwrap_or_else(|| as_of.format("%Y").to_string());
    let (visits, follow_ups) = bureau_records(&state, user.bureau_id)?;
    let sq = xuncha::SummaryQuery { period, scope: Default::default(), as_of, group_by: q.group_by, top: None };
    let summary = xuncha::summarise(&visits, &follow_ups, &[], &sq, xuncha::Rulebook::builtin()).map_err(|e| {
        use xuncha::CoreError;
        let m = e.message();
        ApiError::new(StatusCode::BAD_REQUEST, "BAD_PERIOD", m.zh, m.en)
    })?;
    let paragraphs = xuncha::summary::report::paragraphs(&summary);
    Ok(Json(json!({ "summary": summary, "report": paragraphs })))
}

/// `GET /api/v1/staff/deadlines?asOf=…`: every legal time limit still open or overdue.
async fn staff_deadlines(
    State(state): State<AppState>,
    headers: HeaderMap,
    raw: Result<axum::extract::Query<StaffQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    use xuncha::finding::DeadlineStatus;
    let user = staff(&state, &headers)?;
    let as_of = as_of(&query(raw)?)?;
    let (visits, follow_ups) = bureau_records(&state, user.bureau_id)?;
    let evaluations = xuncha::evaluate_visits(&visits, &follow_ups, xuncha::Rulebook::builtin(), as_of);
    let mut open = Vec::new();
    for (v, e) in visits.iter().zip(&evaluations) {
        for d in e.deadlines.iter().filter(|d| matches!(d.status, DeadlineStatus::Open | DeadlineStatus::Overdue)) {
            open.push(json!({ "visitId": v.id, "operator": v.operator.as_ref().and_then(|o| o.name.clone()), "deadline": d }));
        }
    }
    open.sort_by(|a, b| a["deadline"]["due"].as_str().cmp(&b["deadline"]["due"].as_str()));
    Ok(Json(json!({ "asOf": as_of, "deadlines": open })))
}

/// `GET /api/v1/staff/findings.csv?asOf=…`: every finding of the bureau, for Excel.
async fn staff_findings_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    raw: Result<axum::extract::Query<StaffQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let user = staff(&state, &headers)?;
    let as_of = as_of(&query(raw)?)?;
    let (visits, follow_ups) = bureau_records(&state, user.bureau_id)?;
    let evaluations: Vec<_> = xuncha::evaluate_visits(&visits, &follow_ups, xuncha::Rulebook::builtin(), as_of).into_iter().map(Some).collect();
    let csv = xuncha::summary::export::findings_csv(&visits, &evaluations);
    Ok(([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"), (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"findings.csv\"")], csv).into_response())
}

/// The API described (kept true by `hq/tests/http.rs`).
const OPENAPI: &str = include_str!("../openapi.json");

async fn openapi() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "没有这个接口", "no such endpoint")
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/stats", get(stats))
        .route("/api/v1/staff/summary", get(staff_summary))
        .route("/api/v1/staff/deadlines", get(staff_deadlines))
        .route("/api/v1/staff/findings.csv", get(staff_findings_csv))
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/sync/push", post(push))
        .route("/api/v1/sync/pull", post(pull))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(refuse_declared_oversize))
        .with_state(state)
}
