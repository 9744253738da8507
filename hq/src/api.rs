//! HQ's HTTP API (version 1). Bad input always gets a 4xx with a JSON body
//! `{ code, message }` — never a 500, never a partial write.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::json;
use xuncha::sync::{PullRequest, PullResponse, PushRequest, PushResponse, PROTOCOL_VERSION};

use crate::store::{LoginOutcome, Role, Store, StoreError, User};

/// Largest request body accepted (a batch of records with their text).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Largest page of a pull, and the default.
const MAX_PULL: u32 = 1000;
const DEFAULT_PULL: u32 = 200;
/// Largest photo or signature image accepted (a tablet photo, resized, is well under this).
pub const MAX_ATTACHMENT_BYTES: usize = 8 * 1024 * 1024;
/// What an attachment may be.
const ATTACHMENT_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"];

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
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

/// Run a storage call off the async workers (SQLite and the PostgreSQL
/// client both block); a storage failure is a 503 the device retries.
async fn blocking<T: Send + 'static>(state: &AppState, f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static) -> Result<T, ApiError> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || f(&store)).await.map_err(storage_error)?.map_err(storage_error)
}

/// The account behind the request's bearer token.
async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<User, ApiError> {
    let token = bearer(headers).ok_or_else(unauthenticated)?;
    blocking(state, move |s| s.authenticate(&token, now().timestamp())).await?.ok_or_else(unauthenticated)
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
    let outcome = blocking(&state, move |s| s.login(req.login.trim(), &req.password, req.device_id.trim(), now().timestamp(), ttl)).await?;
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
    authenticate(&state, &headers).await?;
    let token = bearer(&headers).ok_or_else(unauthenticated)?;
    blocking(&state, move |s| s.revoke(&token)).await?;
    Ok(Json(json!({ "status": "signedOut" })))
}

async fn push(State(state): State<AppState>, headers: HeaderMap, bytes: Result<Bytes, BytesRejection>) -> Result<Json<PushResponse>, ApiError> {
    let user = authenticate(&state, &headers).await?;
    let req: PushRequest = parse(&body(bytes)?)?;
    check_version(req.protocol_version)?;
    if req.device_id.trim().is_empty() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "BAD_SHAPE", "缺少设备标识", "deviceId is required"));
    }
    let results = apply_changes(&state, req.changes, user, req.device_id).await?;
    Ok(Json(PushResponse { protocol_version: PROTOCOL_VERSION, results }))
}

/// Re-validate changes (the costly part) on every core, then judge and commit
/// them in one transaction — each judged alone, so one bad record never holds
/// up the rest.
async fn apply_changes(state: &AppState, changes: Vec<xuncha::sync::Change>, user: User, device_id: String) -> Result<Vec<xuncha::sync::ChangeResult>, ApiError> {
    let now = now();
    // Shared, not copied: a push may carry hundreds of records.
    let changes = std::sync::Arc::new(changes);
    let validated = tokio::task::spawn_blocking({
        let changes = changes.clone();
        move || validate_all(&changes, now)
    })
    .await
    .map_err(storage_error)??;
    blocking(state, move |s| s.apply_all(&changes, validated, &user, &device_id, now)).await
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
    let user = authenticate(&state, &headers).await?;
    let req: PullRequest = parse(&body(bytes)?)?;
    check_version(req.protocol_version)?;
    let after = match req.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => c.strip_prefix("s").and_then(|n| n.parse::<i64>().ok()).filter(|n| *n >= 0).ok_or_else(|| {
            ApiError::new(StatusCode::BAD_REQUEST, "BAD_CURSOR", "同步游标无效，请重新完整同步", "the cursor is not one this HQ gave out; pull again from the start")
        })?,
    };
    let limit = req.limit.unwrap_or(DEFAULT_PULL).clamp(1, MAX_PULL);
    // The bureau's rulebook travels with the pull until the device runs it.
    let known = req.rulebook_version;
    let ((changes, last, more), rulebook) = blocking(&state, move |s| Ok((s.pull(&user, after, limit)?, s.rulebook_unless(known.as_deref())?))).await?;
    let rulebook = rulebook.and_then(|body| serde_json::from_str(&body).ok());
    Ok(Json(PullResponse { protocol_version: PROTOCOL_VERSION, changes, next_cursor: format!("s{last}"), more, rulebook }))
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "core": xuncha::CORE_VERSION, "protocolVersion": PROTOCOL_VERSION }))
}

/// What the staff's bureau holds (staff only).
async fn stats(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<serde_json::Value>, ApiError> {
    let user = staff(&state, &headers).await?;
    let (records, changes, conflicts) = blocking(&state, move |s| s.counts(user.bureau_id)).await?;
    Ok(Json(json!({ "records": records, "changes": changes, "conflicts": conflicts })))
}

// ---- staff: the bureau's figures, deadlines and exports, from the core ----------

async fn staff(state: &AppState, headers: &HeaderMap) -> Result<User, ApiError> {
    let user = authenticate(state, headers).await?;
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

/// What staff read: the bureau's records as the core reads them, and the
/// rulebook in force at HQ (the one published last, or the core's own).
struct BureauRecords {
    visits: Vec<xuncha::Visit>,
    follow_ups: Vec<xuncha::sampling::SampleFollowUp>,
    published: Option<xuncha::Rulebook>,
}

impl BureauRecords {
    fn rulebook(&self) -> &xuncha::Rulebook {
        self.published.as_ref().unwrap_or(xuncha::Rulebook::builtin())
    }
}

async fn bureau_records(state: &AppState, bureau_id: i64) -> Result<BureauRecords, ApiError> {
    blocking(state, move |s| {
        let (visits, follow_ups) = s.current_records(bureau_id)?;
        // A published rulebook was checked whole before it was stored.
        let published = s.latest_rulebook()?.and_then(|(_, body)| xuncha::Rulebook::from_json(&body).ok());
        Ok(BureauRecords {
            visits: visits.into_iter().filter_map(xuncha::decode::decode_trusted).collect(),
            follow_ups: follow_ups.into_iter().filter_map(xuncha::decode::decode_trusted).collect(),
            published,
        })
    })
    .await
}

/// `GET /api/v1/staff/summary?period=2026-H1&asOf=2026-07-10&groupBy=market`
async fn staff_summary(
    State(state): State<AppState>,
    headers: HeaderMap,
    raw: Result<axum::extract::Query<StaffQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let user = staff(&state, &headers).await?;
    let q = query(raw)?;
    let as_of = as_of(&q)?;
    let period = q.period.clone().unwrap_or_else(|| as_of.format("%Y").to_string());
    let b = bureau_records(&state, user.bureau_id).await?;
    let sq = xuncha::SummaryQuery { period, scope: Default::default(), as_of, group_by: q.group_by, top: None };
    let summary = xuncha::summarise(&b.visits, &b.follow_ups, &[], &sq, b.rulebook()).map_err(|e| {
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
    let user = staff(&state, &headers).await?;
    let as_of = as_of(&query(raw)?)?;
    let b = bureau_records(&state, user.bureau_id).await?;
    let evaluations = xuncha::evaluate_visits(&b.visits, &b.follow_ups, b.rulebook(), as_of);
    let mut open = Vec::new();
    for (v, e) in b.visits.iter().zip(&evaluations) {
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
    let user = staff(&state, &headers).await?;
    let as_of = as_of(&query(raw)?)?;
    let b = bureau_records(&state, user.bureau_id).await?;
    let evaluations: Vec<_> = xuncha::evaluate_visits(&b.visits, &b.follow_ups, b.rulebook(), as_of).into_iter().map(Some).collect();
    let csv = xuncha::summary::export::findings_csv(&b.visits, &evaluations);
    Ok(([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"), (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"findings.csv\"")], csv).into_response())
}

// ---- attachments: photos and signature images, by content hash ---------------

fn bad_hash_path(sha256: &str) -> Option<ApiError> {
    (!xuncha::ids::is_sha256_hex(sha256)).then(|| {
        ApiError::new(StatusCode::BAD_REQUEST, "BAD_HASH", "附件地址不是 SHA-256（64 位小写十六进制）", format!("\"{sha256}\" is not a SHA-256 (64 lowercase hex digits)"))
    })
}

/// `PUT /api/v1/attachments/{sha256}`: the bytes, with their media type. The
/// hash is checked against the bytes; sending the same bytes again is a no-op.
async fn put_attachment(State(state): State<AppState>, Path(sha256): Path<String>, headers: HeaderMap, bytes: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    let user = authenticate(&state, &headers).await?;
    if let Some(e) = bad_hash_path(&sha256) {
        return Err(e);
    }
    let media_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !ATTACHMENT_TYPES.contains(&media_type.as_str()) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_MEDIA_TYPE",
            format!("附件类型“{media_type}”不受支持（可用：{}）", ATTACHMENT_TYPES.join("、")),
            format!("attachment type \"{media_type}\" is not accepted (use one of {})", ATTACHMENT_TYPES.join(", ")),
        ));
    }
    let data = body(bytes)?;
    if data.len() > MAX_ATTACHMENT_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "ATTACHMENT_TOO_LARGE",
            format!("附件过大（上限 {} MiB），请压缩后重试", MAX_ATTACHMENT_BYTES >> 20),
            format!("attachment too large (limit {} MiB); compress it and retry", MAX_ATTACHMENT_BYTES >> 20),
        ));
    }
    let actual = xuncha::sync::sha256_of_bytes(&data);
    if actual != sha256 {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "HASH_MISMATCH",
            "附件内容与其哈希不符（传输中损坏？请重新上传）",
            format!("the bytes hash to {actual}, not {sha256} (damaged in transit? upload again)"),
        ));
    }
    let now = now();
    let stored = blocking(&state, move |s| s.put_attachment(&user, &sha256, &media_type, &data, now)).await?;
    let status = if stored { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(json!({ "status": if stored { "stored" } else { "alreadyStored" } }))).into_response())
}

/// `GET /api/v1/attachments/{sha256}`: an attachment of the caller's bureau.
async fn get_attachment(State(state): State<AppState>, Path(sha256): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let user = authenticate(&state, &headers).await?;
    if let Some(e) = bad_hash_path(&sha256) {
        return Err(e);
    }
    let found = blocking(&state, move |s| s.attachment(user.bureau_id, &sha256)).await?;
    let a = found.ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "NO_SUCH_ATTACHMENT", "没有这个附件（可能尚未上传）", "no such attachment (perhaps not uploaded yet)"))?;
    Ok(([(axum::http::header::CONTENT_TYPE, a.media_type), (axum::http::header::CACHE_CONTROL, "private, max-age=31536000, immutable".to_string())], a.data).into_response())
}

/// `GET /api/v1/attachments/missing`: attachments records list that HQ does not hold yet.
async fn missing_attachments(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<serde_json::Value>, ApiError> {
    let user = authenticate(&state, &headers).await?;
    let missing = blocking(&state, move |s| s.missing_attachments(&user)).await?;
    Ok(Json(json!({ "missing": missing })))
}

// ---- staff: lab results and other follow-ups of a sample ------------------------

/// `POST /api/v1/staff/follow-ups`: enter a sample's follow-up (lab result,
/// 复检, disposal) as a whole record. HQ makes the change — a new revision
/// based on the current one — and judges it like any pushed change; the
/// sample's officer gets it on their next pull.
async fn staff_follow_up(State(state): State<AppState>, headers: HeaderMap, bytes: Result<Bytes, BytesRejection>) -> Result<Json<xuncha::sync::ChangeResult>, ApiError> {
    let user = staff(&state, &headers).await?;
    let record: serde_json::Value = parse(&body(bytes)?)?;
    let id = record.get("id").and_then(|v| v.as_str()).unwrap_or("").to_string();
    let bureau = user.bureau_id;
    let base_revision = blocking(&state, {
        let id = id.clone();
        move |s| s.current_revision(bureau, &id)
    })
    .await?;
    let mut random = [0u8; 10];
    argon2::password_hash::rand_core::RngCore::fill_bytes(&mut argon2::password_hash::rand_core::OsRng, &mut random);
    let revision = xuncha::ids::uuid_v7(chrono::Utc::now().timestamp_millis() as u64, random);
    let sha256 = xuncha::sync::content_sha256(&record);
    let change = xuncha::sync::Change { kind: xuncha::sync::RecordKind::SampleFollowUp, id, base_revision, revision, sha256, record };
    let device = format!("hq:{}", user.login);
    let mut results = apply_changes(&state, vec![change], user, device).await?;
    results.pop().map(Json).ok_or_else(|| storage_error("no answer for the change"))
}

/// `GET /api/v1/staff/records/{id}/revisions`: a record's audit trail — every
/// revision HQ accepted, oldest first, with the device and time it came from,
/// and the conflicting versions kept beside them. Devices pull only current
/// revisions; this is where the steps are read.
async fn staff_record_revisions(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Result<Json<serde_json::Value>, ApiError> {
    let user = staff(&state, &headers).await?;
    let bureau = user.bureau_id;
    let (revisions, conflicts) = blocking(&state, {
        let id = id.clone();
        move |s| s.record_history(bureau, &id)
    })
    .await?;
    // Another bureau's record is as absent as one that never existed.
    if revisions.is_empty() && conflicts.is_empty() {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "NO_SUCH_RECORD", "本局没有这条记录", "no such record in this bureau"));
    }
    Ok(Json(json!({ "id": id, "revisions": revisions, "conflicts": conflicts })))
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
        .route("/api/v1/staff/follow-ups", post(staff_follow_up))
        .route("/api/v1/staff/records/{id}/revisions", get(staff_record_revisions))
        .route("/api/v1/attachments/missing", get(missing_attachments))
        .route("/api/v1/attachments/{sha256}", put(put_attachment).get(get_attachment))
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/sync/push", post(push))
        .route("/api/v1/sync/pull", post(pull))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(refuse_declared_oversize))
        .with_state(state)
}
