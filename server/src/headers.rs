//! Headers on every response: no content sniffing, no framing (clickjacking a delete button),
//! no `Referer` — share and owner links carry ids and tokens in their address, and a link
//! followed from a page must not hand them to another site — and `no-store` on the pages that
//! may hold an owner token (saved scenarios, this browser's list), so no shared cache or back-button history keeps one. The pages' script
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
    }
    response
}

/// Whether a query string carries an owner token (`owner=…`).
fn holds_token(query: &str) -> bool {
    query.split('&').any(|kv| {
        kv.split_once('=')
            .is_some_and(|(k, v)| k == "owner" && !v.is_empty())
    })
}
