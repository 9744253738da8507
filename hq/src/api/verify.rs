//! `GET /verify?v=…&h=…&n=…`: the public page a printed document's QR code opens.
//! It says only whether the document matches a finalised record HQ holds —
//! the issuing bureau, the document's number, and when the record was
//! finalised — and nothing of the
//! record itself. A wrong hash and an unknown record read the same, so the page
//! tells nobody which records exist.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{blocking, AppState};

#[derive(Deserialize)]
pub struct VerifyQuery {
    /// The visit's id.
    v: Option<String>,
    /// The SHA-256 of the record the document rests on.
    h: Option<String>,
    /// The document's number as printed (absent on a document without one).
    n: Option<String>,
}

fn escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn page(status: StatusCode, matches: bool, body: &str) -> Response {
    // Chinese first, English on its own line below (never mixed in one line).
    let (mark, title, title_en) = if matches {
        ("✔", "文书与局存档记录相符", "The document matches the record HQ holds.")
    } else {
        ("✘", "文书与局存档记录不相符", "The document does not match any record HQ holds.")
    };
    let colour = if matches { "#1b6e2a" } else { "#b3261e" };
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>文书核验</title><style>body{{font-family:\"Noto Sans CJK SC\",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.6}}\
         h1{{color:{colour};font-size:1.6rem}} dt{{font-weight:700}} .en{{color:#555}}</style></head>\
         <body><h1 id=\"verdict\" data-matches=\"{matches}\">{mark} {title}</h1><p class=\"en\" lang=\"en\">{title_en}</p>{body}</body></html>"
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], html).into_response()
}

pub async fn verify(State(state): State<AppState>, Query(q): Query<VerifyQuery>) -> Response {
    let (Some(id), Some(sha)) = (q.v.filter(|v| xuncha::ids::is_uuid(v)), q.h.filter(|h| xuncha::ids::is_sha256_hex(h))) else {
        return page(StatusCode::BAD_REQUEST, false, "<p>二维码内容不完整或已损坏。</p><p class=\"en\" lang=\"en\">The code is incomplete or damaged.</p>");
    };
    let number = q.n.filter(|n| !n.trim().is_empty());
    let found = blocking(&state, move |s| s.verify_document(&id, &sha)).await;
    // A number the record does not give out reads like an unknown record.
    let found = found.map(|f| f.filter(|(_, _, numbers)| number.as_ref().is_none_or(|n| numbers.contains(n))));
    match found {
        Ok(Some((bureau, finalised_at, _))) => page(
            StatusCode::OK,
            true,
            &format!(
                "<dl><dt>制作机关</dt><dd id=\"bureau\">{}</dd>{}<dt>记录定稿时间</dt><dd id=\"finalised\">{}</dd></dl>\
                 <p>本页只说明文书所依据的检查记录与本局存档一致，不显示记录内容。</p><p class=\"en\" lang=\"en\">This page says only that the record the document rests on is the one HQ holds; it shows none of its content.</p>",
                escape(&bureau),
                number.as_deref().map_or(String::new(), |n| format!("<dt>文号</dt><dd id=\"number\">{}</dd>", escape(n))),
                escape(&finalised_at.as_deref().and_then(xuncha::time::parse_timestamp).map(|t| xuncha::documents::elements::date_time_zh(&t)).unwrap_or_else(|| "—".into()))
            ),
        ),
        Ok(None) => page(
            StatusCode::OK,
            false,
            "<p>本局没有与此文书一致的已定稿检查记录：文书可能被改动，或并非本局制作。请联系发文机关核实。</p>\
             <p class=\"en\" lang=\"en\">HQ holds no finalised record this document matches: it may have been altered, or not issued here. Ask the issuing bureau.</p>",
        ),
        Err(_) => page(StatusCode::SERVICE_UNAVAILABLE, false, "<p>暂时无法核验，请稍后再试。</p><p class=\"en\" lang=\"en\">The check is unavailable; try again later.</p>"),
    }
}
