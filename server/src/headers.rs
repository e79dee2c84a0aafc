//! Headers on every response: no content sniffing, no framing (clickjacking a delete button),
//! no `Referer` — share and owner links carry ids and tokens in their address, and a link
//! followed from a page must not hand them to another site — and `no-store` on the pages that
//! may hold an owner token (saved scenarios, this browser's list), so no shared cache or back-button history keeps one;
//! the site's files are revalidated before reuse and gzipped. The pages' script
//! policy is set where the page is rendered (`app::ssr::csp`), with the response's nonce.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

pub async fn middleware(req: Request, next: Next) -> Response {
    // A saved scenario's page shows owner controls (and once, the owner link) to the browser
    // whose cookie holds its token, whatever the address: none of them is stored.
    let owner_page = holds_token(req.uri().query().unwrap_or(""))
        || req.uri().path() == "/scenarios"
        || req.uri().path().starts_with("/s/");
    let static_asset = req.uri().path().starts_with("/pkg/");
    let mut response = next.run(req).await;
    let redirect_holds_token = (response.headers().get(header::LOCATION))
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| holds_token(l.split_once('?').map_or("", |(_, q)| q)));
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if owner_page || redirect_holds_token {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if static_asset {
        // The files keep their names from one build to the next: a browser keeps them but asks
        // (If-Modified-Since, a 304 when unchanged) before using them, so a new build's page
        // never runs an old build's wasm.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

/// Responses gzipped when the client accepts it: the site's wasm, script and style sheet, and
/// its pages. A planner page is 200–250 KB of HTML (a whole-catalog one 2.2 MB) that gzips to an
/// eighth, a second less on a phone's network for a few milliseconds of a core; the page cache
/// keeps pages uncompressed, so a client that does not accept gzip is served the same entry.
pub fn compressible(
    _: axum::http::StatusCode,
    _: axum::http::Version,
    headers: &axum::http::HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    (headers.get(header::CONTENT_TYPE))
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            [
                "application/wasm",
                "text/javascript",
                "application/javascript",
                "text/css",
                "text/html",
            ]
            .iter()
            .any(|c| t.starts_with(c))
        })
}

/// Whether a query string carries an owner token (`owner=…`).
fn holds_token(query: &str) -> bool {
    query.split('&').any(|kv| {
        kv.split_once('=')
            .is_some_and(|(k, v)| k == "owner" && !v.is_empty())
    })
}
