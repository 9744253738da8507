//! Rulebooks from the console: a clerk uploads one, reads what it changes
//! against the one in force (the core's diff: each rule's changes in words,
//! the calendar years), then publishes it — checked whole by the core first,
//! exactly as `admin publish-rulebook` does; devices get it on their next pull.
//! Staff only ([`StaffCaller`]).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;

use super::{blocking, body, now, ApiError, AppState, StaffCaller};
use crate::store::StoreError;

/// The uploaded file, read by the core; its reasons in words when it is not usable.
fn read(bytes: &[u8]) -> Result<xuncha::Rulebook, ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "MALFORMED_JSON", "规则库文件不是 UTF-8 文本", "the rulebook is not UTF-8 text"))?;
    xuncha::Rulebook::from_json(text).map_err(|e| {
        use xuncha::CoreError;
        let m = e.message();
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "RULEBOOK_INVALID", m.zh, m.en)
    })
}

/// The rulebook in force at HQ: the one published last, or the core's own.
async fn in_force(state: &AppState) -> Result<xuncha::Rulebook, ApiError> {
    let published = blocking(state, |s| s.latest_rulebook()).await?;
    Ok(match published {
        Some((version, body)) => xuncha::Rulebook::from_json(&body).map_err(|e| StoreError::corrupt(format!("published rulebook {version}: {e:?}")))?,
        None => xuncha::Rulebook::builtin().clone(),
    })
}

/// `POST /api/v1/staff/rulebooks/preview`: what the uploaded rulebook changes against the one in force.
pub async fn preview(State(state): State<AppState>, StaffCaller(_): StaffCaller, bytes: Result<Bytes, BytesRejection>) -> Result<Json<xuncha::rules::diff::RulebookDiff>, ApiError> {
    let newer = read(&body(bytes)?)?;
    Ok(Json(in_force(&state).await?.diff(&newer)))
}

/// `POST /api/v1/staff/rulebooks`: publish the uploaded rulebook (a version never published before).
pub async fn publish(State(state): State<AppState>, StaffCaller(_): StaffCaller, bytes: Result<Bytes, BytesRejection>) -> Result<Json<serde_json::Value>, ApiError> {
    let rulebook = read(&body(bytes)?)?;
    let version = rulebook.version.clone();
    let published = blocking(&state, move |s| {
        if s.has_rulebook(&rulebook.version)? {
            return Ok(false);
        }
        s.publish_rulebook(&rulebook.version, &rulebook.to_json(), now())?;
        Ok(true)
    })
    .await?;
    if !published {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "VERSION_PUBLISHED",
            format!("规则库版本 {version} 已发布过，请使用新的版本号"),
            format!("rulebook version {version} was published before; give it a new version"),
        ));
    }
    Ok(Json(json!({ "version": version })))
}
