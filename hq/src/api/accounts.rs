//! The bureau's accounts and devices, for its staff: the same operations as
//! HQ's admin command (create, disable, enable, reset a password, revoke a
//! device), each kept to the caller's bureau. Staff never lock themselves out.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;

use super::{blocking, json_body, now, parse, plain_text, ApiError, AppState, Caller, StaffCaller};
use crate::store::{AccountRefusal, Role};

fn refused(r: AccountRefusal) -> ApiError {
    match r {
        AccountRefusal::NoSuchAccount => ApiError::new(StatusCode::NOT_FOUND, "NO_SUCH_ACCOUNT", "本局没有这个账号", "no such account in this bureau"),
        AccountRefusal::OwnAccount => ApiError::new(StatusCode::CONFLICT, "OWN_ACCOUNT", "不能停用自己的账号", "staff cannot disable their own account"),
        AccountRefusal::LoginTaken => ApiError::new(StatusCode::CONFLICT, "LOGIN_TAKEN", "该账号名已被使用", "that login is taken"),
    }
}

fn password_ok(p: &str) -> Result<(), ApiError> {
    if p.chars().count() < 8 || p.len() > 1024 {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "WEAK_PASSWORD", "密码至少 8 个字符", "the password needs at least 8 characters"));
    }
    Ok(())
}

/// `GET /api/v1/staff/accounts`: the bureau's accounts and the devices each signed in on.
pub async fn list(State(state): State<AppState>, StaffCaller(user): StaffCaller) -> Result<Json<serde_json::Value>, ApiError> {
    let accounts = blocking(&state, move |s| s.bureau_accounts(user.bureau_id, now().timestamp())).await?;
    Ok(Json(json!({ "accounts": accounts })))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewAccount {
    login: String,
    name: String,
    role: String,
    certificate_no: Option<String>,
    password: String,
}

/// `POST /api/v1/staff/accounts`: a new account in the caller's bureau.
pub async fn create(State(state): State<AppState>, StaffCaller(user): StaffCaller, bytes: Result<Bytes, BytesRejection>) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let req: NewAccount = parse(&json_body(bytes)?)?;
    let login = plain_text("login", &req.login)?.to_string();
    let name = plain_text("name", &req.name)?.to_string();
    let role = Role::parse(&req.role).ok_or_else(|| ApiError::bad_shape("role must be officer or staff"))?;
    let cert = match req.certificate_no.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(plain_text("certificateNo", c)?.to_string()),
        None => None,
    };
    if role == Role::Officer && cert.is_none() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "CERTIFICATE_REQUIRED", "执法人员账号须填写执法证号", "an officer's account needs a certificate number"));
    }
    password_ok(&req.password)?;
    let bureau = user.bureau_id;
    let made = blocking(&state, move |s| s.staff_create_user(bureau, &login, &req.password, role, &name, cert.as_deref())).await?;
    made.map_err(refused)?;
    Ok((StatusCode::CREATED, Json(json!({ "status": "created" }))))
}

/// `POST /api/v1/staff/accounts/{login}/disable` (its tokens revoked) and `/enable`.
pub async fn disable(State(state): State<AppState>, StaffCaller(user): StaffCaller, Path(login): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    set_disabled(state, user, login, true).await
}

pub async fn enable(State(state): State<AppState>, StaffCaller(user): StaffCaller, Path(login): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    set_disabled(state, user, login, false).await
}

async fn set_disabled(state: AppState, user: crate::store::User, login: String, disabled: bool) -> Result<Json<serde_json::Value>, ApiError> {
    let login = plain_text("login", &login)?.to_string();
    blocking(&state, move |s| s.staff_set_disabled(&user, &login, disabled)).await?.map_err(refused)?;
    Ok(Json(json!({ "status": if disabled { "disabled" } else { "enabled" } })))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewPassword {
    password: String,
}

/// `POST /api/v1/staff/accounts/{login}/password`: a new password; the account's devices sign in again.
pub async fn reset_password(
    State(state): State<AppState>,
    StaffCaller(user): StaffCaller,
    Path(login): Path<String>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let req: NewPassword = parse(&json_body(bytes)?)?;
    let login = plain_text("login", &login)?.to_string();
    password_ok(&req.password)?;
    blocking(&state, move |s| s.staff_reset_password(&user, &login, &req.password)).await?.map_err(refused)?;
    Ok(Json(json!({ "status": "passwordSet" })))
}

/// `POST /api/v1/staff/devices/{device}/revoke`: a lost tablet of the bureau —
/// its sessions end and what it signs from now on is refused.
pub async fn revoke_device(State(state): State<AppState>, caller: Caller, Path(device): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    if caller.user.role != Role::Staff {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "FORBIDDEN", "仅局机关工作人员可操作", "staff only"));
    }
    let device = plain_text("device", &device)?.to_string();
    let (user, own) = (caller.user, caller.device_id);
    let done = blocking(&state, move |s| s.staff_revoke_device(&user, &own, &device, now())).await?;
    let (tokens, keys) = done.ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, "NO_SUCH_DEVICE", "本局账号没有在该设备上登录过（或为您当前使用的设备）", "no account of this bureau signed in on that device (or it is your own)")
    })?;
    Ok(Json(json!({ "status": "revoked", "tokens": tokens, "keys": keys })))
}
