//! Sign-in and sign-out. Password checks run through a bounded pool (one per
//! core): a burst of sign-ins queues instead of holding ≈19 MiB each at once.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;

use super::{blocking, json_body, now, parse, plain_text, ApiError, AppState, Caller};
use crate::store::LoginOutcome;

/// How long a sign-in waits for a free password check before it is told to retry.
const PASSWORD_CHECK_WAIT: Duration = Duration::from_secs(10);

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LoginRequest {
    login: String,
    password: String,
    device_id: String,
}

fn throttled(secs: i64) -> ApiError {
    let (zh, en) = if secs >= 60 { (format!("{} 分钟", (secs + 59) / 60), format!("{} minutes", (secs + 59) / 60)) } else { (format!("{secs} 秒"), format!("{secs} seconds")) };
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "TOO_MANY_ATTEMPTS", format!("登录失败次数较多，请 {zh}后再试"), format!("too many failed sign-ins; try again in {en}")).retry_after(secs)
}

pub async fn login(State(state): State<AppState>, ConnectInfo(client): ConnectInfo<SocketAddr>, bytes: Result<Bytes, BytesRejection>) -> Result<Json<serde_json::Value>, ApiError> {
    let req: LoginRequest = parse(&json_body(bytes)?)?;
    let login = plain_text("login", &req.login)?.to_string();
    let device_id = plain_text("deviceId", &req.device_id)?.to_string();
    if req.password.len() > 1024 {
        return Err(ApiError::bad_shape("password longer than 1024 bytes"));
    }
    let permit = tokio::time::timeout(PASSWORD_CHECK_WAIT, state.password_checks.clone().acquire_owned())
        .await
        .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "BUSY", "登录人数较多，请稍后重试", "many sign-ins at once; retry shortly").retry_after(5))?
        .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "BUSY", "服务正在停止", "HQ is shutting down"))?;
    let ttl = state.token_ttl_secs;
    let client = client.ip().to_string();
    let outcome = blocking(&state, move |s| {
        let _permit = permit;
        s.login(&login, &req.password, &device_id, &client, now().timestamp(), ttl)
    })
    .await?;
    match outcome {
        LoginOutcome::Ok { token, expires_at, user } => {
            let bureau = user.bureau_id;
            let bureau_name = blocking(&state, move |s| s.bureau_name(bureau)).await?;
            Ok(Json(json!({
                "token": token,
                "expiresAt": chrono::DateTime::from_timestamp(expires_at, 0).map(|t| t.to_rfc3339()),
                "user": { "login": user.login, "name": user.name, "role": user.role.as_str(), "bureauId": user.bureau_id, "bureauName": bureau_name, "certificateNo": user.certificate_no },
            })))
        }
        LoginOutcome::BadCredentials => Err(ApiError::new(StatusCode::UNAUTHORIZED, "BAD_CREDENTIALS", "账号或密码不正确", "wrong login or password")),
        LoginOutcome::Throttled { retry_after_secs } => Err(throttled(retry_after_secs)),
    }
}

pub async fn logout(State(state): State<AppState>, caller: Caller) -> Result<Json<serde_json::Value>, ApiError> {
    blocking(&state, move |s| s.revoke(&caller.token)).await?;
    Ok(Json(json!({ "status": "signedOut" })))
}
