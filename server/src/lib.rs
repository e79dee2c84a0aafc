//! The planner's web server as a library: the router (Leptos SSR routes and server functions,
//! forms, reports, the JSON API, static files, `/healthz`) and the SQLite store, so tests drive
//! the real thing in-process.

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::SqlitePool;

pub mod api;
pub mod cache;
pub mod error;
pub mod openapi;
pub mod report;
pub mod saved;
pub mod state;
pub mod store;

use state::AppState;

/// A bare 200 for load balancers and for load-test ratios.
async fn healthz() -> &'static str {
    "ok"
}

/// Every route of the site.
pub fn router(leptos_options: LeptosOptions, pool: SqlitePool) -> Router {
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
        .layer(DefaultBodyLimit::max(api::BODY_LIMIT));
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
            "/charts/memory.svg",
            get(|q| saved::current_report_route(saved::Format::MemoryChart, q)),
        )
        .with_state(state.clone());
    let routes = generate_route_list(app::App);
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
}
