//! Every request gets an id and a span: method, path (never the query, which may hold an owner
//! token), status and latency, logged at `info` as it is answered, and the id in the
//! `x-request-id` header. Failures on our side are logged under the same id
//! (`app::ssr::failure`), so a user quoting the reference of a 500 finds its cause. What is
//! logged is chosen by `RUST_LOG` (default `info`).

use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The response header carrying the request's id.
pub const REQUEST_ID: &str = "x-request-id";

/// Logs to stderr, filtered by `RUST_LOG`.
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

pub async fn middleware(req: Request, next: Next) -> Response {
    let id = app::ssr::failure::new_request_id();
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        path = %req.uri().path(),
    );
    let start = Instant::now();
    let mut r = app::ssr::failure::with_request_id(id.clone(), next.run(req))
        .instrument(span.clone())
        .await;
    span.in_scope(|| {
        tracing::info!(
            status = r.status().as_u16(),
            latency_us = start.elapsed().as_micros() as u64,
            "answered"
        )
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        r.headers_mut().insert(REQUEST_ID, v);
    }
    r
}
