//! A response cache for the pages that depend only on their URL and the (immutable, in-process)
//! catalog: the planner page and its charts, /article and /catalog. Every what-if is a link, and the same links
//! come back (the default page above all), so a repeat costs a memory copy, not a plan and a render.
//! Saved-scenario pages and anything with cookies are never cached.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Entries kept (oldest evicted first).
const CAPACITY: usize = 256;
/// Largest page kept, bytes.
const MAX_BODY: usize = 4 * 1024 * 1024;

#[derive(Clone, Default)]
pub struct PageCache {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    map: HashMap<String, (StatusCode, HeaderMap, Bytes)>,
    order: VecDeque<String>,
}

fn cacheable_path(path: &str) -> bool {
    matches!(
        path,
        "/" | "/article" | "/catalog" | "/charts/cost.svg" | "/charts/memory.svg"
    )
}

pub async fn middleware(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    let key = req.uri().to_string();
    let eligible = req.method() == Method::GET
        && cacheable_path(req.uri().path())
        && !req.headers().contains_key(header::COOKIE)
        && !req.headers().contains_key("x-leptos-partial");
    if !eligible {
        return next.run(req).await;
    }
    if let Some((status, headers, body)) = cache.get(&key) {
        let mut r = (status, body).into_response();
        *r.headers_mut() = headers;
        return r;
    }
    let response = next.run(req).await;
    let status = response.status();
    if !(status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY)
        || response.headers().contains_key(header::SET_COOKIE)
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    // A page larger than the cache keeps is still served, just not kept.
    match to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            if bytes.len() <= MAX_BODY {
                cache.put(key, status, parts.headers.clone(), bytes.clone());
            }
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be rendered",
        )
            .into_response(),
    }
}

impl PageCache {
    fn get(&self, key: &str) -> Option<(StatusCode, HeaderMap, Bytes)> {
        self.inner.lock().ok()?.map.get(key).cloned()
    }

    fn put(&self, key: String, status: StatusCode, headers: HeaderMap, body: Bytes) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.map.contains_key(&key) {
            return;
        }
        if inner.order.len() >= CAPACITY {
            if let Some(old) = inner.order.pop_front() {
                inner.map.remove(&old);
            }
        }
        inner.order.push_back(key.clone());
        inner.map.insert(key, (status, headers, body));
    }
}
