//! Push and pull: the tablets' side of the sync protocol (`xuncha::sync`).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;
use xuncha::sync::{Change, ChangeResult, PullRequest, PullResponse, PushRequest, PushResponse, Validated, PROTOCOL_VERSION};

use super::{blocking, from_value, json_body, now, parse, plain_text, ApiError, AppState, Caller};
use crate::store::{StoreError, User};

/// Largest page of a pull, and the default.
pub const MAX_PULL: u32 = 1000;
const DEFAULT_PULL: u32 = 200;
/// Most changes in one push (a tablet sends a few dozen; the app pages by 50).
pub const MAX_CHANGES_PER_PUSH: usize = 2000;

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

pub async fn push(State(state): State<AppState>, caller: Caller, bytes: Result<Bytes, BytesRejection>) -> Result<Json<PushResponse>, ApiError> {
    // Read straight into the request (no intermediate copy of a large body);
    // an object, as `parse` asks of every body (serde reads a struct from a list too).
    let bytes = json_body(bytes)?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| *b != b'{') && serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok() {
        return Err(ApiError::bad_shape("the body is a JSON object"));
    }
    let req: PushRequest = serde_json::from_slice(&bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => ApiError::new(StatusCode::BAD_REQUEST, "MALFORMED_JSON", "请求不是有效的 JSON", e.to_string()),
        _ => ApiError::bad_shape(e.to_string()),
    })?;
    check_version(req.protocol_version)?;
    // Still required (older apps send it), but the audit trail records the token's device.
    plain_text("deviceId", &req.device_id)?;
    if req.changes.len() > MAX_CHANGES_PER_PUSH {
        return Err(ApiError::bad_shape(format!("at most {MAX_CHANGES_PER_PUSH} changes per push; send the rest in another")));
    }
    let results = apply_changes(&state, req.changes, caller.user, caller.device_id).await?;
    Ok(Json(PushResponse { protocol_version: PROTOCOL_VERSION, results }))
}

/// Re-validate changes (the costly part) on every core, then authorise, judge
/// and commit them in one transaction — each on its own, so one bad record
/// never holds up the rest.
pub async fn apply_changes(state: &AppState, changes: Vec<Change>, user: User, device_id: String) -> Result<Vec<ChangeResult>, ApiError> {
    let now = now();
    // Shared, not copied: a push may carry hundreds of records.
    let changes = std::sync::Arc::new(changes);
    let validated = tokio::task::spawn_blocking({
        let changes = changes.clone();
        move || validate_all(&changes, now)
    })
    .await
    .map_err(|e| StoreError::unavailable(format!("validation task: {e}")))??;
    blocking(state, move |s| s.apply_all(&changes, validated, &user, &device_id, now)).await
}

/// `sync::validate_change` for every change, split across the machine's cores;
/// one result per change, in order — or an error for the whole push (a panic
/// in the core is a bug: the push fails whole and the device keeps its records).
fn validate_all(changes: &[Change], now: xuncha::time::Timestamp) -> Result<Vec<Validated>, ApiError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(changes.len().max(1));
    let per = changes.len().div_ceil(threads).max(1);
    let parts = std::thread::scope(|scope| {
        let handles: Vec<_> = changes.chunks(per).map(|chunk| scope.spawn(move || chunk.iter().map(|c| xuncha::sync::validate_change(c, now)).collect::<Vec<_>>())).collect();
        handles.into_iter().map(|h| h.join()).collect::<Result<Vec<_>, _>>()
    });
    let all: Vec<_> = parts.map_err(|_| StoreError::corrupt("the core failed while validating a push"))?.into_iter().flatten().collect();
    if all.len() != changes.len() {
        return Err(StoreError::corrupt("validation lost a change").into());
    }
    Ok(all)
}

pub async fn pull(State(state): State<AppState>, caller: Caller, bytes: Result<Bytes, BytesRejection>) -> Result<Json<PullResponse>, ApiError> {
    let mut raw: Value = parse(&json_body(bytes)?)?;
    // JSON has one kind of number: a limit of 675.0 is the integer 675.
    if let Some(limit) = raw.get_mut("limit") {
        if let Some(f) = limit.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u32::MAX as f64) {
            *limit = Value::from(f as u32);
        }
    }
    let req: PullRequest = from_value(raw)?;
    check_version(req.protocol_version)?;
    let after = match req.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => c
            .strip_prefix("s")
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "BAD_CURSOR", "同步游标无效，请重新完整同步", "the cursor is not one this HQ gave out; pull again from the start"))?,
    };
    let limit = match req.limit {
        None => DEFAULT_PULL,
        Some(n) if (1..=MAX_PULL).contains(&n) => n,
        Some(n) => return Err(ApiError::bad_shape(format!("limit {n} is outside 1–{MAX_PULL}"))),
    };
    // The bureau's rulebook travels with the pull until the device runs it.
    // So do the document templates, and the officer's 双随机 tasks.
    let (known, known_templates, known_tasks) = (req.rulebook_version, req.templates_version, req.tasks_version);
    let user = caller.user;
    let ((changes, last, more), rulebook, templates, tasks) = blocking(&state, move |s| {
        Ok((s.pull(&user, after, limit)?, s.rulebook_unless(known.as_deref())?, s.templates_unless(known_templates.as_deref())?, super::draws::officer_tasks(s, &user, known_tasks.as_deref())?))
    })
    .await?;
    let rulebook = rulebook.map(|body| serde_json::from_str(&body)).transpose().map_err(|e| StoreError::corrupt(format!("a published rulebook: {e}")))?;
    let templates = templates.map(|body| serde_json::from_str(&body)).transpose().map_err(|e| StoreError::corrupt(format!("published document templates: {e}")))?;
    Ok(Json(PullResponse { protocol_version: PROTOCOL_VERSION, changes, next_cursor: format!("s{last}"), more, rulebook, templates, tasks }))
}
