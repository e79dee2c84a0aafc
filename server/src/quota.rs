//! Which client a save counts against (the quota itself is the store's: `store::quota`, kept
//! in the database so that several servers share it). A client is its address as the server loop saw it (`serve`), or, behind a
//! proxy that says so, the first address of the header named by `PLANNER_CLIENT_IP_HEADER`
//! (e.g. `x-forwarded-for`). Requests with neither — the in-process tests — are not counted.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use store::Pool;

use crate::error::ApiError;

/// The client a request comes from, if known.
fn client(req: &Request) -> Option<IpAddr> {
    static HEADER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let header = HEADER.get_or_init(|| std::env::var("PLANNER_CLIENT_IP_HEADER").ok());
    if let Some(name) = header {
        let forwarded = (req.headers().get(name.as_str()))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|ip| ip.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// Counts saves (`POST /scenarios`, `POST /api/v1/scenarios`) against the client's quota.
pub async fn middleware(State(pool): State<Pool>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let saves =
        req.method() == Method::POST && (path == "/scenarios" || path == "/api/v1/scenarios");
    if let (true, Some(ip)) = (saves, client(&req)) {
        if let Err(e) = store::quota::take(&pool, &ip.to_string()).await {
            return ApiError::from(e).into_response();
        }
    }
    next.run(req).await
}
