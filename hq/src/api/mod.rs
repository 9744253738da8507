//! HQ's HTTP API (version 1), one module per domain: `auth` (sign-in),
//! `sync` (push and pull), `attachments`, `staff` (the bureau's figures,
//! follow-ups, audit trails), `site` (the served front end and its headers).
//!
//! Bad input always gets a 4xx with one JSON shape, `{ code, message: { zh, en } }`
//! ([`ApiError`]) — never a 500, never a partial write, never an internal
//! error's text (those go to the log, under the request's id). 503 means a
//! real outage of the database, which the device retries.
//!
//! Who is calling is an extractor ([`Caller`], [`StaffCaller`]): a handler that
//! names one cannot run for a request without a live token.

mod accounts;
mod attachments;
mod auth;
mod devices;
mod draws;
mod report_templates;
mod rulebooks;
pub mod setup;
pub mod site;
mod staff;
mod sync;
mod verify;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::json;
use tokio::sync::Semaphore;

use crate::store::{Role, Store, StoreError, User};

/// Largest request body accepted (a batch of records with their text).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Most pushes read and validated at once: each may hold a few times its
/// body in memory while the core reads it, so this bounds HQ's peak.
pub const CONCURRENT_PUSHES: usize = 4;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    /// How long a login token lives.
    pub token_ttl_secs: i64,
    /// Password checks running at once (each argon2 check holds ≈19 MiB).
    pub password_checks: Arc<Semaphore>,
    /// The one-time first-run code HQ printed, while it has no accounts (see `setup.rs`).
    pub setup_code: Arc<std::sync::Mutex<Option<String>>>,
    /// Each bureau's digests held in memory for its figures (see `staff::HeldFigures`).
    pub figures: Arc<staff::HeldFigures>,
}

impl AppState {
    pub fn new(store: Store, token_ttl_secs: i64) -> AppState {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        AppState {
            store: Arc::new(store),
            token_ttl_secs,
            password_checks: Arc::new(Semaphore::new(cores)),
            setup_code: Arc::new(std::sync::Mutex::new(None)),
            figures: Arc::new(staff::HeldFigures::default()),
        }
    }
}

/// An error answer: status, stable code, message in Chinese and English.
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    zh: String,
    en: String,
    retry_after_secs: Option<i64>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        ApiError { status, code, zh: zh.into(), en: en.into(), retry_after_secs: None }
    }

    fn retry_after(mut self, secs: i64) -> Self {
        self.retry_after_secs = Some(secs.max(1));
        self
    }

    fn bad_shape(en: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "BAD_SHAPE", "请求的字段或类型不正确", en)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(json!({ "code": self.code, "message": { "zh": self.zh, "en": self.en } }))).into_response();
        if let Some(secs) = self.retry_after_secs {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    /// The device sees a stable code; the log gets what happened.
    fn from(e: StoreError) -> ApiError {
        tracing::error!(error = %e, "storage");
        match e {
            // Storage trouble is ours, and the device must retry: 503, not a verdict on its data.
            StoreError::Unavailable(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "STORAGE_UNAVAILABLE",
                "服务暂时无法保存，请稍后重试（数据仍在设备上）",
                "storage unavailable; retry later (the data stays on the device)",
            )
            .retry_after(30),
            StoreError::Corrupt(_) => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "STORED_DATA_UNREADABLE",
                "服务端数据异常，已记录，请联系管理员",
                "HQ's stored data could not be read; this is logged — tell the administrator",
            ),
        }
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
            ApiError::new(StatusCode::BAD_REQUEST, "BAD_BODY", "无法读取请求内容", "the request body could not be read")
        }
    })
}

/// Most entries in any JSON array of a request (a push's changes: 2,000; a record's lists: 1,000).
pub const MAX_ARRAY_ENTRIES: usize = 2_000;
/// Most entries in one request body, counted as its commas and opening brackets
/// (every array item and object member but a container's first is behind a
/// comma): ≈ 5× the largest realistic push (2,000 rich visits ≈ 378,000), far
/// below the 8 million that 16 MiB of `{},` would hold.
pub const MAX_BODY_ENTRIES: usize = 2_000_000;

/// Count a JSON text's entries and each array's entries in one pass over the
/// bytes, allocating no more than a counter per open bracket: a body shaped to
/// cost memory — millions of empty entries — is refused before any tree of it
/// is built. Malformed text is left to the parser that follows.
fn json_shape_within(text: &[u8], max_in_array: usize, max_in_all: usize) -> bool {
    let (mut in_string, mut escaped) = (false, false);
    let mut entries = 0usize;
    // Commas so far in each open array (None: an object).
    let mut open: Vec<Option<usize>> = Vec::new();
    for &b in text {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                entries += 1;
                if open.len() > 256 {
                    return true; // the parser refuses this depth itself (128)
                }
                open.push((b == b'[').then_some(0));
            }
            b']' | b'}' => {
                open.pop();
            }
            b',' => {
                entries += 1;
                if let Some(Some(commas)) = open.last_mut() {
                    *commas += 1;
                    if *commas >= max_in_array {
                        return false; // commas + 1 entries
                    }
                }
            }
            _ => {}
        }
        if entries > max_in_all {
            return false;
        }
    }
    true
}

/// A JSON body: read as [`body`], then refused (422 `TOO_MANY_ENTRIES`) if shaped to cost memory.
fn json_body(bytes: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    let bytes = body(bytes)?;
    if !json_shape_within(&bytes, MAX_ARRAY_ENTRIES, MAX_BODY_ENTRIES) {
        // A shape the document forbids (its maxItems), not a size: 422, like the typed checks after it.
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "TOO_MANY_ENTRIES",
            format!("请求条目过多（每个列表最多 {MAX_ARRAY_ENTRIES} 条，共最多 {MAX_BODY_ENTRIES} 条），请分批同步"),
            format!("too many entries (at most {MAX_ARRAY_ENTRIES} in a list, {MAX_BODY_ENTRIES} in all); sync in smaller batches"),
        ));
    }
    Ok(bytes)
}

/// Parse a JSON body: malformed JSON is 400, a wrong shape 422. Every body HQ
/// takes is an object (serde would also read a struct from a list of its fields
/// in order, which no client sends and the API document forbids); the one list
/// HQ takes goes through [`parse_list`].
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value = parse_json(bytes)?;
    if !value.is_object() {
        return Err(ApiError::bad_shape("the body is a JSON object"));
    }
    from_value(value)
}

/// A JSON body that is a list (a 双随机 list replaced whole).
fn parse_list(bytes: &[u8]) -> Result<serde_json::Value, ApiError> {
    let value = parse_json(bytes)?;
    if !value.is_array() {
        return Err(ApiError::bad_shape("the body is a JSON list"));
    }
    Ok(value)
}

fn parse_json(bytes: &[u8]) -> Result<serde_json::Value, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "MALFORMED_JSON", "请求不是有效的 JSON", e.to_string()))
}

/// A JSON object body, read as [`json_body`] then [`parse`].
fn parse_object<T: DeserializeOwned>(bytes: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    parse(&json_body(bytes)?)
}

fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|e| ApiError::bad_shape(e.to_string()))
}

/// Text from a request that HQ stores or looks up: never a NUL (which
/// PostgreSQL cannot hold, so it is refused alike on both databases), never empty.
fn plain_text<'a>(field: &str, s: &'a str) -> Result<&'a str, ApiError> {
    // The API document's limit is on what was sent, in characters (Schemathesis
    // found a login of a CR and 200 characters accepted once trimmed).
    let too_long = s.chars().count() > 200;
    let s = s.trim();
    if s.is_empty() || s.contains('\0') || too_long {
        return Err(ApiError::bad_shape(format!("{field} must be 1–200 characters without NUL")));
    }
    Ok(s)
}

pub fn now() -> xuncha::time::Timestamp {
    chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
}

/// Run a storage call off the async workers (SQLite and the PostgreSQL
/// client both block).
async fn blocking<T: Send + 'static>(state: &AppState, f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static) -> Result<T, ApiError> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || f(&store)).await.map_err(|e| StoreError::unavailable(format!("a storage task failed: {e}")))?.map_err(ApiError::from)
}

fn unauthenticated() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "请先登录（登录已过期或已注销）", "sign in first (the session expired or was revoked)")
}

fn bearer(parts: &Parts) -> Option<String> {
    let v = parts.headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    v.strip_prefix("Bearer ").map(|t| t.trim().to_string()).filter(|t| !t.is_empty() && t.len() <= 128 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The account behind the request's bearer token, and the device the token
/// was issued to (what the audit trail records — not what a request claims).
pub struct Caller {
    pub user: User,
    pub device_id: String,
    token: String,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let token = bearer(parts).ok_or_else(unauthenticated)?;
        let t = token.clone();
        let (user, device_id) = blocking(state, move |s| s.authenticate(&t, now().timestamp())).await?.ok_or_else(unauthenticated)?;
        Ok(Caller { user, device_id, token })
    }
}

/// A [`Caller`] who is bureau staff.
pub struct StaffCaller(pub User);

impl FromRequestParts<AppState> for StaffCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<StaffCaller, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.user.role != Role::Staff {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "FORBIDDEN", "仅局机关工作人员可查看", "staff only"));
        }
        Ok(StaffCaller(caller.user))
    }
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "core": xuncha::CORE_VERSION, "protocolVersion": xuncha::sync::PROTOCOL_VERSION }))
}

/// The API described (kept true by `hq/tests/http.rs` and Schemathesis).
const OPENAPI: &str = include_str!("../../openapi.json");

async fn openapi() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "没有这个接口", "no such endpoint")
}

/// The API's routes (the site, when served, is added by [`site::serve`]).
pub fn router(state: AppState) -> Router {
    let pushes = Router::new()
        .route("/api/v1/sync/push", post(sync::push))
        .route("/api/v1/staff/follow-ups", post(staff::follow_up))
        .route("/api/v1/staff/rectifications", post(staff::rectification))
        .route("/api/v1/staff/records/{id}/conflicts/{revision}", post(staff::resolve_conflict))
        .route("/api/v1/staff/rulebooks/preview", post(rulebooks::preview))
        .route("/api/v1/staff/rulebooks", post(rulebooks::publish))
        .route("/api/v1/staff/report-template", get(report_templates::current).post(report_templates::publish))
        .route("/api/v1/staff/directories/{list}", put(draws::put_directory))
        .route("/api/v1/staff/plans", post(draws::create_plan))
        .route("/api/v1/staff/plans/{id}/draw", post(draws::draw))
        .route("/api/v1/staff/plans/{id}/redraw", post(draws::redraw))
        .route("/api/v1/staff/plans/{id}/published", post(draws::published))
        .route("/api/v1/staff/inspection-cap", put(draws::set_cap))
        .route("/api/v1/devices/keys", post(devices::register_key))
        .route("/api/v1/devices/numbers", post(devices::lease_numbers))
        .route("/api/v1/staff/accounts", get(accounts::list).post(accounts::create))
        .route("/api/v1/staff/accounts/{login}/disable", post(accounts::disable))
        .route("/api/v1/staff/accounts/{login}/enable", post(accounts::enable))
        .route("/api/v1/staff/accounts/{login}/password", post(accounts::reset_password))
        .route("/api/v1/staff/devices/{device}/revoke", post(accounts::revoke_device))
        // Waiting pushes queue before their bodies are read: memory stays bounded.
        .layer(tower::limit::ConcurrencyLimitLayer::new(CONCURRENT_PUSHES));
    Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/stats", get(staff::stats))
        .route("/api/v1/staff/summary", get(staff::summary))
        // The figures' digests, gzipped when asked (a bureau-year is tens of megabytes as text).
        .route("/api/v1/staff/digests", get(staff::digests).layer(tower_http::compression::CompressionLayer::new()))
        .route("/api/v1/staff/deadlines", get(staff::deadlines))
        .route("/api/v1/staff/findings.csv", get(staff::findings_csv))
        .route("/api/v1/staff/directories", get(draws::directories))
        .route("/api/v1/staff/inspections", get(draws::inspections))
        .route("/api/v1/staff/directories/{list}/csv", get(draws::directory_csv))
        .route("/api/v1/staff/plans", get(draws::plans))
        .route("/api/v1/staff/plans/{id}", get(draws::plan))
        .route("/api/v1/staff/plans/{id}/inputs", get(draws::plan_inputs))
        .route("/api/v1/staff/plans/{id}/publication.csv", get(draws::publication))
        .route("/api/v1/staff/records/{id}/revisions", get(staff::record_revisions))
        .route("/api/v1/staff/records/{id}/documents", get(staff::record_documents))
        .route("/api/v1/attachments/missing", get(attachments::missing))
        .route("/api/v1/attachments/{sha256}", put(attachments::put).get(attachments::get))
        .route("/api/v1/auth/login", post(auth::login))
        .route("/api/v1/setup", post(setup::first_run))
        .route("/api/v1/auth/logout", post(auth::logout))
        .route("/api/v1/sync/pull", post(sync::pull))
        // Public: the page a printed document's QR code opens.
        .route("/verify", get(verify::verify))
        // Public: what a bureau publishes of a 双随机 plan, for anyone to re-run the draw.
        .route("/api/v1/public/draws/{bureau}/{plan}", get(draws::public_plan))
        .merge(pushes)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(refuse_declared_oversize))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::{json_shape_within, ApiError};
    use crate::store::StoreError;
    use axum::response::IntoResponse;

    /// What went wrong inside goes to the log; the device gets a stable code and words for people.
    #[tokio::test]
    async fn storage_errors_answer_with_a_code_never_the_inside_story() {
        for (error, status, code) in [
            (StoreError::unavailable("sqlite: database or disk is full"), 503, "STORAGE_UNAVAILABLE"),
            (StoreError::corrupt("column 3 is text, not an integer (table users)"), 500, "STORED_DATA_UNREADABLE"),
        ] {
            let response = ApiError::from(error).into_response();
            assert_eq!(response.status().as_u16(), status);
            let retry = response.headers().get("retry-after").is_some();
            let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
            let text = String::from_utf8(body.to_vec()).unwrap();
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(json["code"], code);
            for inside in ["sqlite", "disk", "column", "users"] {
                assert!(!text.contains(inside), "{inside:?} leaked: {text}");
            }
            assert_eq!(retry, status == 503, "an outage says when to retry");
        }
    }

    #[test]
    fn a_body_shaped_to_cost_memory_is_known_before_it_is_parsed() {
        let many = |n: usize| format!("[{}]", vec!["{}"; n].join(","));
        assert!(json_shape_within(many(2_000).as_bytes(), 2_000, 1_000_000));
        assert!(!json_shape_within(many(2_001).as_bytes(), 2_000, 1_000_000));
        assert!(!json_shape_within(format!("{{\"a\": {}}}", many(2_001)).as_bytes(), 2_000, 1_000_000), "nested too");
        assert!(!json_shape_within(many(1_500).as_bytes(), 2_000, 1_000), "entries in all");
        // Commas and brackets inside strings are text, not structure.
        let text = format!("[\"{}\", \"a\\\"],[,\"]", ",".repeat(10_000));
        assert!(json_shape_within(text.as_bytes(), 2_000, 1_000));
        assert!(json_shape_within(b"[]", 1, 1));
    }
}
