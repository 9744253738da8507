//! What every response carries, and the front end served beside the API.
//!
//! - The built site (`target/site`) is served with the precompressed copies of
//!   its hashed assets (`.br`, `.gz`, made by `scripts/precompress.mjs` at build)
//!   when the browser accepts them; hashed files under `/assets/` are cached for good,
//!   everything else (index.html, the service worker, the manifest) is
//!   revalidated on every load, so an update is seen at once.
//! - Security headers on every response: a CSP that allows the wasm
//!   (`'wasm-unsafe-eval'`) and nothing from elsewhere, `nosniff`, no framing,
//!   no referrer.
//! - One log line per request (tower-http's trace layer) with a request id
//!   (also sent back as `x-request-id`), the method, the path, the status and
//!   the time taken — never a header, so never a token or a password.

use std::path::PathBuf;

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;

/// The Content-Security-Policy of every response.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
     object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// `Cache-Control` for a file of the site, by its path.
pub fn cache_control(path: &str) -> &'static str {
    if path.starts_with("/assets/") {
        // Vite names these by their content hash: a new build makes new names.
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

async fn site_cache_headers(req: Request, next: Next) -> Response {
    let policy = cache_control(req.uri().path());
    let mut response = next.run(req).await;
    if response.status().is_success() || response.status() == axum::http::StatusCode::NOT_MODIFIED {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// The API router with the site (if any) and the layers every response gets.
pub fn serve(api: Router, site: Option<PathBuf>) -> Router {
    let mut app = api;
    if let Some(dir) = site {
        let files = tower::ServiceBuilder::new().layer(axum::middleware::from_fn(site_cache_headers)).service(ServeDir::new(dir).precompressed_br().precompressed_gzip());
        app = app.fallback_service(files);
    }
    let request_id = HeaderName::from_static("x-request-id");
    let fixed = |name: HeaderName, value: &'static str| SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value));
    app.layer(fixed(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(fixed(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(fixed(header::X_FRAME_OPTIONS, "DENY"))
        .layer(fixed(header::REFERRER_POLICY, "no-referrer"))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Millis)),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashed_assets_are_kept_and_the_shell_is_revalidated() {
        assert_eq!(super::cache_control("/assets/app-3f9a1c.js"), "public, max-age=31536000, immutable");
        for path in ["/", "/index.html", "/sw.js", "/manifest.webmanifest", "/console.html"] {
            assert_eq!(super::cache_control(path), "no-cache", "{path}");
        }
    }
}
