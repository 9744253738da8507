//! Photos, signature images, documents and refusal recordings, by content hash.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::{blocking, body, now, ApiError, AppState, Caller};
use crate::store::{content_is, sniff_media_type as sniff};

/// Largest photo or signature image accepted (a tablet photo, resized, is well under this).
pub const MAX_ATTACHMENT_BYTES: usize = 8 * 1024 * 1024;
/// What an attachment may be.
/// Recordings are the refusal evidence of 处罚程序规定 Art. 43 (录音、录像).
const ATTACHMENT_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf", "audio/webm", "video/webm", "audio/mp4", "video/mp4", "audio/ogg"];

fn bad_hash_path(sha256: &str) -> Result<(), ApiError> {
    if xuncha::ids::is_sha256_hex(sha256) {
        return Ok(());
    }
    let shown: String = sha256.chars().filter(|c| !c.is_control()).take(80).collect();
    Err(ApiError::new(StatusCode::BAD_REQUEST, "BAD_HASH", "附件地址不是 SHA-256（64 位小写十六进制）", format!("\"{shown}\" is not a SHA-256 (64 lowercase hex digits)")))
}

/// `PUT /api/v1/attachments/{sha256}`: the bytes, with their media type. The
/// hash is checked against the bytes, the type against what the bytes are;
/// sending the same bytes again is a no-op.
pub async fn put(State(state): State<AppState>, caller: Caller, Path(sha256): Path<String>, headers: HeaderMap, bytes: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    bad_hash_path(&sha256)?;
    let media_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !ATTACHMENT_TYPES.contains(&media_type.as_str()) {
        let shown: String = media_type.chars().filter(|c| !c.is_control()).take(80).collect();
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_MEDIA_TYPE",
            format!("附件类型“{shown}”不受支持（可用：{}）", ATTACHMENT_TYPES.join("、")),
            format!("attachment type \"{shown}\" is not accepted (use one of {})", ATTACHMENT_TYPES.join(", ")),
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
    // What the bytes are decides, not what the sender says: a page called a photo is refused.
    if !content_is(sniff(&data), &media_type) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "CONTENT_NOT_TYPE",
            format!("附件内容不是所标明的类型“{media_type}”"),
            format!("the bytes are not {media_type} (they read as {})", sniff(&data).unwrap_or("none of the accepted types")),
        ));
    }
    let now = now();
    let user = caller.user;
    let stored = blocking(&state, move |s| s.put_attachment(&user, &sha256, &media_type, &data, now)).await?;
    let status = if stored { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(json!({ "status": if stored { "stored" } else { "alreadyStored" } }))).into_response())
}

/// `GET /api/v1/attachments/{sha256}`: an attachment the caller may read
/// (one that a record they may read lists, or that they uploaded).
pub async fn get(State(state): State<AppState>, caller: Caller, Path(sha256): Path<String>) -> Result<Response, ApiError> {
    bad_hash_path(&sha256)?;
    let user = caller.user;
    let found = blocking(&state, move |s| s.attachment(&user, &sha256)).await?;
    let a = found.ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "NO_SUCH_ATTACHMENT", "没有这个附件（可能尚未上传）", "no such attachment (perhaps not uploaded yet)"))?;
    Ok(([(header::CONTENT_TYPE, a.media_type), (header::CACHE_CONTROL, "private, max-age=31536000, immutable".to_string()), (header::CONTENT_DISPOSITION, "inline".to_string())], a.data)
        .into_response())
}

/// `GET /api/v1/attachments/missing`: attachments records list that HQ does not hold yet.
pub async fn missing(State(state): State<AppState>, caller: Caller) -> Result<Json<serde_json::Value>, ApiError> {
    let user = caller.user;
    let missing = blocking(&state, move |s| s.missing_attachments(&user)).await?;
    Ok(Json(json!({ "missing": missing })))
}
