//! The planner's web server as a library: the router (Leptos SSR routes and server functions,
//! forms, reports, the JSON API, static files, `/healthz`) over the scenario store (the
//! `store` crate), so tests drive the real thing in-process.

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use store::Pool;

pub mod api;
pub mod cache;
pub mod csrf;
pub mod error;
pub mod headers;
pub mod json;
pub mod openapi;
pub mod quota;
pub mod report;
pub mod saved;
pub mod serve;
pub mod state;
pub mod trace;

use state::AppState;

/// A bare 200 for load balancers and for load-test ratios.
async fn healthz() -> &'static str {
    "ok"
}

/// The app's routes, generated once per process. Generating them renders the whole app with
/// resource loading suppressed by a process-global flag (leptos_server's
/// `SuppressResourceLoad`), and a resource first polled on another thread in that window never
/// loads (leptos issue #4773). A server builds its router once, before serving; the
/// integration tests build one per test, in parallel, and hung now and then (1 run in 4)
/// until the list was generated only once.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// Every route of the site.
pub fn router(leptos_options: LeptosOptions, pool: Pool) -> Router {
    let state = AppState {
        pool: pool.clone(),
        catalogs: store::Catalogs::default(),
    };
    let api = Router::new()
        .route("/scenario-template", get(api::template))
        .route("/plan", post(api::plan))
        .route("/scenarios", post(api::create))
        .route("/scenarios/{id}", get(api::get))
        .route("/catalog", get(api::catalog))
        .route("/openapi.json", get(openapi::document))
        .fallback(api::not_found)
        .layer(DefaultBodyLimit::max(json::BODY_LIMIT));
    let site = Router::new()
        .nest("/api/v1", api)
        .route("/healthz", get(healthz))
        .route("/scenarios", post(saved::save_form))
        .route("/s/{id}/rename", post(saved::rename_form))
        .route("/s/{id}/delete", post(saved::delete_form))
        .route("/s/{id}/{file}", get(saved::saved_report_route))
        .route(
            "/report.csv",
            get(|q| saved::current_report_route(saved::Format::Csv, q)),
        )
        .route(
            "/report.json",
            get(|q| saved::current_report_route(saved::Format::Json, q)),
        )
        .route(
            "/report.md",
            get(|q| saved::current_report_route(saved::Format::Markdown, q)),
        )
        .route(
            "/report.html",
            get(|q| saved::current_report_route(saved::Format::Html, q)),
        )
        .route(
            "/charts/cost.svg",
            get(|q| saved::current_report_route(saved::Format::CostChart, q)),
        )
        .route(
            "/charts/quality.svg",
            get(|q| saved::current_report_route(saved::Format::QualityChart, q)),
        )
        .route(
            "/charts/quality-monthly.svg",
            get(|q| saved::current_report_route(saved::Format::QualityMonthlyChart, q)),
        )
        .route(
            "/charts/memory.svg",
            get(|q| saved::current_report_route(saved::Format::MemoryChart, q)),
        )
        .with_state(state.clone());
    let routes = route_list();
    let leptos = Router::new()
        .leptos_routes_with_context(
            &leptos_options,
            routes,
            {
                let state = state.clone();
                move || {
                    provide_context(state.pool.clone());
                    provide_context(state.catalogs.clone());
                }
            },
            {
                let options = leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler(app::shell))
        .with_state(leptos_options);
    site.merge(leptos)
        .layer(axum::middleware::from_fn_with_state(
            cache::PageCache::default(),
            cache::middleware,
        ))
        .layer(axum::middleware::from_fn(query_limit))
        .layer(axum::middleware::from_fn(server_fn_limit))
        .layer(axum::middleware::from_fn_with_state(
            pool,
            quota::middleware,
        ))
        .layer(axum::middleware::from_fn(csrf::middleware))
        .layer(axum::middleware::from_fn(error::negotiate))
        .layer(axum::middleware::from_fn(headers::middleware))
        .layer(axum::middleware::from_fn(trace::middleware))
        .layer(
            tower_http::compression::CompressionLayer::new()
                .gzip(true)
                .compress_when(headers::compressible),
        )
}

/// Largest body a server function takes: they carry a form's query string (at most 128
/// `key=value` pairs) or an id, never more than a few KB.
pub const SERVER_FN_BODY_LIMIT: u64 = 64 * 1024;

/// 413 naming `body` for a server-function call (`/api/{name}`, not the JSON API under
/// `/api/v1`) over `SERVER_FN_BODY_LIMIT`, before Leptos reads it: Leptos reads their bodies
/// itself, so axum's body limit never applies (2 MB used to be read and answered with a 500).
/// A body that says its length is refused at once; one sent without a length (chunked) is read
/// here up to the limit and no further.
async fn server_fn_limit(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = req.uri().path();
    if !path.starts_with("/api/") || path.starts_with("/api/v1/") {
        return next.run(req).await;
    }
    let too_large = error::ApiError::TooLarge {
        limit_kb: SERVER_FN_BODY_LIMIT / 1024,
    };
    let length = (req.headers().get(axum::http::header::CONTENT_LENGTH))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > SERVER_FN_BODY_LIMIT) {
        return too_large.into_response();
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, SERVER_FN_BODY_LIMIT as usize).await {
        Ok(bytes) => {
            let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
            next.run(req).await
        }
        Err(_) => too_large.into_response(),
    }
}

/// 422 naming `query` for a query string of more than `app::qs::MAX_PAIRS` `key=value` parts, before anything
/// reads it: the router's and the form's readers match keys by a scan, so thousands of junk keys
/// cost seconds of CPU (issue 15, D3). The form never writes more than about 60.
async fn query_limit(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let parts = req
        .uri()
        .query()
        .map_or(0, |q| q.split('&').filter(|p| !p.is_empty()).count());
    if parts > app::qs::MAX_PAIRS {
        let message = format!(
            "at most {} key=value pairs in the address (got {parts})",
            app::qs::MAX_PAIRS
        );
        return axum::response::IntoResponse::into_response(error::ApiError::field(
            "query", message,
        ));
    }
    next.run(req).await
}
