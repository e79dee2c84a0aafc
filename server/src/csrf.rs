//! Cross-site request refusal: a page on another site can make a visitor's browser POST to
//! `/scenarios` or `/s/{id}/delete` with the visitor's cookies, replacing their saved-list cookie
//! (and with it their owner tokens) or acting with them. Browsers say where a request comes
//! from: `Sec-Fetch-Site` (all current ones) and `Origin` (on every cross-origin POST). A
//! state-changing request either names this site or names nothing — scripts and `curl` send
//! neither header, and they carry no visitor's cookies — else it is refused with a 403.

use axum::extract::Request;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

pub async fn middleware(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || same_site(req.headers()) {
        return next.run(req).await;
    }
    ApiError::CrossSite.into_response()
}

/// Whether a request's own headers place it on this site (or nowhere: not a browser page).
fn same_site(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        // "none": typed in the address bar or a bookmark.
        return matches!(site, "same-origin" | "none");
    }
    match (text(header::ORIGIN.as_str()), text(header::HOST.as_str())) {
        (None, _) => true,
        (Some(origin), Some(host)) => {
            origin == format!("http://{host}") || origin == format!("https://{host}")
        }
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::same_site;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_page_of_this_site_or_no_page_at_all_may_post_another_sites_may_not() {
        assert!(same_site(&headers(&[])));
        assert!(same_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(same_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(!same_site(&headers(&[("sec-fetch-site", "cross-site")])));
        // A sibling subdomain is another site's page too.
        assert!(!same_site(&headers(&[("sec-fetch-site", "same-site")])));
        let host = ("host", "planner.example:8080");
        assert!(same_site(&headers(&[
            host,
            ("origin", "http://planner.example:8080")
        ])));
        assert!(same_site(&headers(&[
            host,
            ("origin", "https://planner.example:8080")
        ])));
        assert!(!same_site(&headers(&[
            host,
            ("origin", "http://evil.example")
        ])));
        assert!(!same_site(&headers(&[host, ("origin", "null")])));
        assert!(!same_site(&headers(&[("origin", "http://evil.example")])));
        // Sec-Fetch-Site decides when both are sent.
        assert!(!same_site(&headers(&[
            host,
            ("origin", "http://planner.example:8080"),
            ("sec-fetch-site", "cross-site")
        ])));
    }
}
