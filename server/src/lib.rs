//! The planner's web server as a library: the router (Leptos SSR routes, server functions,
//! static files, `/healthz`) and the SQLite store, so tests drive the real thing in-process.

use axum::{routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::SqlitePool;

pub mod store;

/// A bare 200 for load balancers and for load-test ratios.
async fn healthz() -> &'static str {
    "ok"
}

/// Every route of the site.
pub fn router(leptos_options: LeptosOptions, pool: SqlitePool) -> Router {
    let routes = generate_route_list(app::App);
    Router::new()
        .route("/healthz", get(healthz))
        .leptos_routes_with_context(
            &leptos_options,
            routes,
            move || provide_context(pool.clone()),
            {
                let options = leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler(app::shell))
        .with_state(leptos_options)
}
