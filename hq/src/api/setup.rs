//! First run: an HQ with no accounts prints a one-time link to the staff
//! console's setup page, where the first bureau and its first staff account
//! are made. The code lives in memory only, is used once, and is never made
//! while any account exists — so nobody can use this door on a running bureau.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;

use super::{blocking, json_body, parse, plain_text, ApiError, AppState};
use crate::store::Role;

/// A fresh code if HQ has no accounts yet, else `None`. Called before the
/// async runtime starts (the PostgreSQL client blocks on its own); the caller
/// keeps the code in [`AppState::setup_code`].
pub fn code_if_empty(store: &crate::store::Store) -> Option<String> {
    if store.has_accounts().unwrap_or(true) {
        return None;
    }
    let mut bytes = [0u8; 16];
    argon2::password_hash::rand_core::RngCore::fill_bytes(&mut argon2::password_hash::rand_core::OsRng, &mut bytes);
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FirstRun {
    code: String,
    bureau: String,
    login: String,
    name: String,
    password: String,
}

/// `POST /api/v1/setup`: with the printed code, make the bureau and its first staff account.
pub async fn first_run(State(state): State<AppState>, bytes: Result<Bytes, BytesRejection>) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let req: FirstRun = parse(&json_body(bytes)?)?;
    let (bureau, login, name) = (plain_text("bureau", &req.bureau)?.to_string(), plain_text("login", &req.login)?.to_string(), plain_text("name", &req.name)?.to_string());
    if req.password.chars().count() < 8 || req.password.len() > 1024 {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "WEAK_PASSWORD", "密码至少 8 个字符", "the password needs at least 8 characters"));
    }
    let taken = {
        let mut code = state.setup_code.lock().unwrap_or_else(|p| p.into_inner());
        match code.as_deref() {
            Some(c) if c == req.code.trim() => code.take(),
            _ => None,
        }
    };
    if taken.is_none() {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "SETUP_CLOSED", "首次设置链接无效或已使用", "the first-run link is not valid, or was used"));
    }
    let made = blocking(&state, move |s| {
        if s.has_accounts()? {
            return Ok(false);
        }
        let id = s.create_bureau(&bureau)?;
        s.create_user(id, &login, &req.password, Role::Staff, &name, None)?;
        Ok(true)
    })
    .await?;
    if !made {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "SETUP_CLOSED", "首次设置链接无效或已使用", "the first-run link is not valid, or was used"));
    }
    Ok((StatusCode::CREATED, Json(json!({ "status": "created" }))))
}
