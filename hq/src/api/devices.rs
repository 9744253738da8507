//! A device's standing at HQ: the key it signs finalised records with, and the
//! blocks of document numbers it gives out offline.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;

use super::{blocking, json_body, now, parse, ApiError, AppState, Caller};
use crate::store::evidence::{NumberBlock, MAX_BLOCK};

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct KeyRequest {
    algorithm: String,
    /// SPKI DER, base64.
    public_key: String,
}

/// Register the public half of the key the device made at sign-in (its
/// private half never leaves the device). The same key again is a no-op.
pub async fn register_key(State(state): State<AppState>, caller: Caller, bytes: Result<Bytes, BytesRejection>) -> Result<Json<serde_json::Value>, ApiError> {
    let req: KeyRequest = parse(&json_body(bytes)?)?;
    if req.public_key.len() > 4096 || req.algorithm.len() > 64 {
        return Err(ApiError::bad_shape("publicKey at most 4096 characters, algorithm at most 64"));
    }
    let (user, device) = (caller.user, caller.device_id);
    let outcome = blocking(&state, move |s| s.register_key(&user, &device, &req.algorithm, &req.public_key, now())).await?;
    match outcome {
        Ok(key_id) => Ok(Json(json!({ "keyId": key_id }))),
        Err("UNKNOWN_ALGORITHM") => Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "UNKNOWN_ALGORITHM", "不支持该签名算法", "HQ does not verify this signature scheme")),
        Err("KEY_TAKEN") => Err(ApiError::new(StatusCode::CONFLICT, "KEY_TAKEN", "该密钥已登记给其他设备", "this key is registered to another device")),
        Err(_) => Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "BAD_KEY", "公钥无法读取", "the public key does not read as a key of that scheme")),
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NumbersRequest {
    year: i64,
    count: i64,
}

/// Lease the next block of the bureau's document numbers for a year to the
/// calling device. Never leased twice: blocks only move forward.
pub async fn lease_numbers(State(state): State<AppState>, caller: Caller, bytes: Result<Bytes, BytesRejection>) -> Result<Json<NumberBlock>, ApiError> {
    let req: NumbersRequest = parse(&json_body(bytes)?)?;
    if !(2000..=2100).contains(&req.year) || !(1..=MAX_BLOCK).contains(&req.count) {
        return Err(ApiError::bad_shape(format!("year must be 2000–2100 and count 1–{MAX_BLOCK}")));
    }
    let (user, device) = (caller.user, caller.device_id);
    Ok(Json(blocking(&state, move |s| s.lease_numbers(&user, &device, req.year, req.count, now())).await?))
}
