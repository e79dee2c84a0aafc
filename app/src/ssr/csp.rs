//! The pages' Content-Security-Policy: scripts only from the site itself and the inline ones
//! Leptos renders for hydration, which carry this response's nonce; the wasm compiled by the
//! browser; styles and images from the site (the page's charts are SVG elements in it); forms
//! posting only back to the site; never framed. The planner page's cache keeps a page with its
//! header, so a cached page reuses its nonce: the nonce guards against markup injected into
//! a page, and no page renders user input as markup.

use leptos::prelude::*;

/// Sets the policy on the response being rendered (call while rendering the shell).
pub fn set_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'",
        &*nonce
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
