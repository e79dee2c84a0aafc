//! A response cache for the pages that depend only on their URL and the (immutable, in-process)
//! catalog: the planner page and its charts, /article and /catalog. Every what-if is a link, and the same links
//! come back (the default page above all), so a repeat costs a memory copy, not a plan and a render.
//! Saved-scenario pages and anything with cookies are never cached.
//!
//! Concurrent misses of one URL render it once: the first renders, the others wait for it and
//! take its page (64 clients on a page not yet cached otherwise render it 64 times, each
//! queued behind the planning limit).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;

/// Entries kept (oldest evicted first).
const CAPACITY: usize = 256;
/// Largest page kept, bytes.
const MAX_BODY: usize = 4 * 1024 * 1024;
/// Bytes of pages kept in all: anyone can make new URLs (junk parameters are part of the key),
/// so the bound is on memory, not on entries — 256 entries of up to 4 MB each would be 1 GiB.
/// The default page is 97 KB: the budget keeps about 600 of them.
const BUDGET: usize = 64 * 1024 * 1024;

#[derive(Clone)]
pub struct PageCache {
    inner: Arc<Mutex<Inner>>,
    budget: usize,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::with_budget(BUDGET)
    }
}

#[derive(Default)]
struct Inner {
    map: HashMap<String, (StatusCode, HeaderMap, Bytes)>,
    order: VecDeque<String>,
    bytes: usize,
    /// URLs being rendered, and how to wait for their render to end (the sender drops then).
    rendering: HashMap<String, watch::Receiver<()>>,
}

/// What a miss finds: the page after all, a render of it to wait for, or the right to render.
enum Miss {
    Hit((StatusCode, HeaderMap, Bytes)),
    Wait(watch::Receiver<()>),
    Render(Rendering),
}

/// The one render of a URL in flight. Dropped when it ends, however it ends (a client gone
/// mid-render included): the URL leaves `rendering` and its waiters wake.
struct Rendering {
    cache: PageCache,
    key: String,
    _done: watch::Sender<()>,
}

impl Drop for Rendering {
    fn drop(&mut self) {
        if let Ok(mut inner) = self.cache.inner.lock() {
            inner.rendering.remove(&self.key);
        }
    }
}

fn cacheable_path(path: &str) -> bool {
    matches!(
        path,
        "/" | "/article"
            | "/catalog"
            | "/charts/cost.svg"
            | "/charts/memory.svg"
            | "/charts/quality.svg"
            | "/charts/quality-monthly.svg"
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
    let hit = |(status, headers, body): (StatusCode, HeaderMap, Bytes)| {
        let mut r = (status, body).into_response();
        *r.headers_mut() = headers;
        r
    };
    let _rendering = match cache.miss(&key) {
        Miss::Hit(page) => return hit(page),
        Miss::Render(r) => Some(r),
        Miss::Wait(mut done) => {
            // Woken when the render ends: its page, or (not cacheable, or it failed) a render
            // of our own, not coalesced again.
            let _ = done.changed().await;
            if let Some(page) = cache.get(&key) {
                return hit(page);
            }
            None
        }
    };
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

    /// Looks `key` up and, on a miss, joins the render in flight or starts it (one lock).
    fn miss(&self, key: &str) -> Miss {
        let Ok(mut inner) = self.inner.lock() else {
            let (done, _) = watch::channel(());
            return Miss::Render(Rendering {
                cache: self.clone(),
                key: String::new(),
                _done: done,
            });
        };
        if let Some(page) = inner.map.get(key) {
            return Miss::Hit(page.clone());
        }
        if let Some(done) = inner.rendering.get(key) {
            return Miss::Wait(done.clone());
        }
        let (done, waiting) = watch::channel(());
        inner.rendering.insert(key.to_string(), waiting);
        Miss::Render(Rendering {
            cache: self.clone(),
            key: key.to_string(),
            _done: done,
        })
    }

    /// A cache keeping at most `budget` bytes of pages.
    pub fn with_budget(budget: usize) -> Self {
        PageCache {
            inner: Arc::default(),
            budget,
        }
    }

    fn put(&self, key: String, status: StatusCode, headers: HeaderMap, body: Bytes) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.map.contains_key(&key) || body.len() > self.budget {
            return;
        }
        while inner.order.len() >= CAPACITY || inner.bytes + body.len() > self.budget {
            let Some(old) = inner.order.pop_front() else {
                break;
            };
            if let Some((_, _, b)) = inner.map.remove(&old) {
                inner.bytes -= b.len();
            }
        }
        inner.bytes += body.len();
        inner.order.push_back(key.clone());
        inner.map.insert(key, (status, headers, body));
    }

    /// Pages and bytes kept.
    pub fn held(&self) -> (usize, usize) {
        self.inner.lock().map_or((0, 0), |i| (i.map.len(), i.bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    /// `n` concurrent GETs of `/` through the cache to a handler answering `status` after 50
    /// ms; returns how often the handler ran and the bodies served.
    async fn concurrent(n: usize, status: StatusCode) -> (usize, Vec<Bytes>) {
        let renders = Arc::new(AtomicUsize::new(0));
        let counted = renders.clone();
        let app = Router::new()
            .route(
                "/",
                get(move || {
                    let counted = counted.clone();
                    async move {
                        counted.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        (status, "the page")
                    }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                PageCache::default(),
                middleware,
            ));
        let calls = (0..n).map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                let r = app
                    .oneshot(Request::get("/").body(Body::empty()).unwrap())
                    .await
                    .unwrap();
                to_bytes(r.into_body(), usize::MAX).await.unwrap()
            })
        });
        let mut bodies = Vec::new();
        for c in calls.collect::<Vec<_>>() {
            bodies.push(c.await.unwrap());
        }
        (renders.load(Ordering::SeqCst), bodies)
    }

    #[tokio::test]
    async fn sixteen_concurrent_misses_of_one_url_render_it_once() {
        let (renders, bodies) = concurrent(16, StatusCode::OK).await;
        assert_eq!(renders, 1);
        assert!(bodies.iter().all(|b| b.as_ref() == b"the page"));
    }

    #[tokio::test]
    async fn a_render_that_is_not_kept_lets_every_waiter_render_its_own() {
        let (renders, bodies) = concurrent(8, StatusCode::INTERNAL_SERVER_ERROR).await;
        assert_eq!(renders, 8);
        assert_eq!(bodies.len(), 8);
    }

    #[test]
    fn junk_urls_churn_the_cache_but_never_grow_it_past_its_budget() {
        let cache = PageCache::with_budget(1_000_000);
        let page = Bytes::from(vec![b'x'; 97_000]);
        for n in 0..270 {
            let key = format!("/?models=gpt-oss-20b&u={n}");
            cache.put(key, StatusCode::OK, HeaderMap::new(), page.clone());
            let (_, bytes) = cache.held();
            assert!(bytes <= 1_000_000, "{bytes} bytes after {n} pages");
        }
        // The newest ten fit (970,000 bytes); the oldest went first.
        assert_eq!(cache.held(), (10, 970_000));
        assert!(cache.get("/?models=gpt-oss-20b&u=269").is_some());
        assert!(cache.get("/?models=gpt-oss-20b&u=259").is_none());
        // A page larger than the whole budget is served but never kept.
        let huge = Bytes::from(vec![b'x'; 1_000_001]);
        cache.put("/huge".into(), StatusCode::OK, HeaderMap::new(), huge);
        assert!(cache.get("/huge").is_none());
        assert_eq!(cache.held(), (10, 970_000));
    }
}
