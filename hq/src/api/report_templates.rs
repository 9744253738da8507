//! The bureau's report template from the console: the one in force (the
//! bureau's last published, or the core's own wording) with every figure a
//! template may name; an uploaded one checked by the core and written out
//! with this year's figures before it is published; publishing it (a version
//! never published before). A template naming a figure the core does not
//! have is refused with each reason. Staff only ([`StaffCaller`]).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;
use xuncha::summary::template::{ReportTemplate, FIGURES};

use super::{blocking, body, now, ApiError, AppState, StaffCaller};
use crate::store::StoreError;

fn read(bytes: &[u8]) -> Result<ReportTemplate, ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "MALFORMED_JSON", "报告模板文件不是 UTF-8 文本", "the report template is not UTF-8 text"))?;
    ReportTemplate::from_json(text).map_err(|e| {
        use xuncha::CoreError;
        let m = e.message();
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "REPORT_TEMPLATE_INVALID", m.zh, m.en)
    })
}

/// The bureau's template in force: its last published, or the core's own.
pub(super) fn in_force(store: &crate::store::Store, bureau_id: i64) -> Result<ReportTemplate, StoreError> {
    match store.report_template(bureau_id)? {
        // A published template was checked whole before it was stored.
        Some(body) => ReportTemplate::from_json(&body).map_err(|e| StoreError::corrupt(format!("report template of bureau {bureau_id}: {e:?}"))),
        None => Ok(ReportTemplate::builtin().clone()),
    }
}

fn figures() -> serde_json::Value {
    FIGURES.iter().map(|(name, zh, en)| json!({ "name": name, "meaning": { "zh": zh, "en": en } })).collect()
}

/// `GET /api/v1/staff/report-template`: the template in force and the figures a template may name.
pub async fn current(State(state): State<AppState>, StaffCaller(user): StaffCaller) -> Result<Json<serde_json::Value>, ApiError> {
    let (template, own) = blocking(&state, move |s| Ok((in_force(s, user.bureau_id)?, s.report_template(user.bureau_id)?.is_some()))).await?;
    Ok(Json(json!({ "template": template, "builtin": !own, "figures": figures() })))
}

/// `POST /api/v1/staff/report-template`: publish the uploaded template for the caller's bureau.
pub async fn publish(State(state): State<AppState>, StaffCaller(user): StaffCaller, bytes: Result<Bytes, BytesRejection>) -> Result<Json<serde_json::Value>, ApiError> {
    let template = read(&body(bytes)?)?;
    let version = template.version.clone();
    let text = serde_json::to_string(&template).map_err(|e| StoreError::corrupt(format!("a template serialises: {e}")))?;
    let (v, bureau, user_id) = (version.clone(), user.bureau_id, user.id);
    let published = blocking(&state, move |s| s.publish_report_template(bureau, &v, &text, user_id, now())).await?;
    if !published {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "VERSION_PUBLISHED",
            format!("报告模板版本 {version} 已发布过，请使用新的版本号"),
            format!("report template version {version} was published before; give it a new version"),
        ));
    }
    Ok(Json(json!({ "version": version })))
}
