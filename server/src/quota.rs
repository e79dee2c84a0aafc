//! The save quota: each client may save a burst of `BURST` scenarios, then one every
//! `REFILL` — enough for anyone planning by hand, while a script looping on saves gets 429s
//! with `Retry-After` instead of growing the database without end (a save loop grew it by
//! about 60 MB/s). A client is its address as the server loop saw it (`serve`), or, behind a
//! proxy that says so, the first address of the header named by `PLANNER_CLIENT_IP_HEADER`
//! (e.g. `x-forwarded-for`). Requests with neither — the in-process tests — are not counted.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// Saves a client may make at once.
pub const BURST: f64 = 20.0;
/// Time for one more save to become available.
pub const REFILL: Duration = Duration::from_secs(30);
/// Clients remembered; past it, those whose bucket has refilled are forgotten.
const MAX_CLIENTS: usize = 10_000;

#[derive(Clone, Default)]
pub struct Quota {
    buckets: Arc<Mutex<HashMap<IpAddr, (f64, Instant)>>>,
}

impl Quota {
    /// Takes one save from `client`'s bucket at `now`: Ok, or the wait until one is available.
    pub fn take(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() >= MAX_CLIENTS {
            let full = REFILL.mul_f64(BURST);
            buckets.retain(|_, (_, at)| now.duration_since(*at) < full);
        }
        let (tokens, at) = buckets.entry(client).or_insert((BURST, now));
        let refilled = now.duration_since(*at).as_secs_f64() / REFILL.as_secs_f64();
        *tokens = (*tokens + refilled).min(BURST);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(REFILL.mul_f64(1.0 - *tokens))
        }
    }
}

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
pub async fn middleware(State(quota): State<Quota>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let saves =
        req.method() == Method::POST && (path == "/scenarios" || path == "/api/v1/scenarios");
    if let (true, Some(ip)) = (saves, client(&req)) {
        if let Err(wait) = quota.take(ip, Instant::now()) {
            let message = format!(
                "too many saves from this address: one more in {} s",
                wait.as_secs().max(1)
            );
            let mut r = if path.starts_with("/api/") {
                AppError::field("quota", message).json()
            } else {
                AppError::field("quota", message).into_response()
            };
            *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            r.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                HeaderValue::from(wait.as_secs().max(1)),
            );
            return r;
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_save_per_refill_per_client() {
        let q = Quota::default();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        for _ in 0..20 {
            assert!(q.take(a, t0).is_ok());
        }
        let wait = q.take(a, t0).unwrap_err();
        assert_eq!(wait, REFILL);
        // Another client is not held back by the first.
        assert!(q.take(b, t0).is_ok());
        // Half a refill later, still half a refill to wait; a whole one, one save.
        assert_eq!(q.take(a, t0 + REFILL / 2).unwrap_err(), REFILL / 2);
        assert!(q.take(a, t0 + REFILL).is_ok());
        assert!(q.take(a, t0 + REFILL).is_err());
        // Never more than the burst, however long the pause.
        let later = t0 + REFILL * 1000;
        for _ in 0..20 {
            assert!(q.take(a, later).is_ok());
        }
        assert!(q.take(a, later).is_err());
    }
}
