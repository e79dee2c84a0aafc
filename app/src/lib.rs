#![recursion_limit = "256"]
//! The planner web app: routes, pages and the server functions beside the components that call
//! them. Server-only code lives in `ssr` and never reaches the wasm.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode,
};

pub mod article_page;
pub mod bottom_line;
pub mod catalog_page;
pub mod changes;
pub mod chart_axes;
pub mod cost_chart;
pub mod details_page;
pub mod fields;
pub mod links;
pub mod memory_bars;
pub mod planner_page;
pub mod qs;
pub mod quality_chart;
pub mod scenarios_page;
pub mod sources;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod views;

/// Pages that are only read: their links and forms work without a script, so they ship none
/// (the wasm is 400 KB). Reached from the planner by an in-app link, they render in the wasm
/// already running.
#[cfg(feature = "ssr")]
const STATIC_PAGES: [&str; 2] = ["/article", "/catalog"];

/// Whether this request is for one of the `STATIC_PAGES`.
fn static_page() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_some_and(|p| STATIC_PAGES.contains(&p.uri.path()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// Hydration, started once the page has loaded and the browser is idle (2 s after load at
/// most): the page works without it (every form is a plain GET or POST), so its 1.3 MB of wasm
/// waits for everything the first paint needs. Leptos's `HydrationScripts` would also
/// preload the script and wasm from the head, where they compete with the page itself on a
/// phone's network; this is its script, run after `load`, with no preload.
#[component]
fn HydrateAfterLoad(options: LeptosOptions) -> impl IntoView {
    let pkg = options.site_pkg_dir.to_string();
    let js = options.output_name.to_string();
    // cargo-leptos names the wasm after the crate's output name; wasm-bindgen alone adds "_bg".
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        js.clone()
    } else {
        format!("{js}_bg")
    };
    let script = format!(
        r#"(function (js, wasm) {{
  const hydrate = () => import(js).then(m => m.default({{ module_or_path: wasm }}).then(() => m.hydrate()));
  const idle = () => "requestIdleCallback" in window ? requestIdleCallback(hydrate, {{ timeout: 2000 }}) : setTimeout(hydrate, 0);
  if (document.readyState === "complete") idle(); else addEventListener("load", idle, {{ once: true }});
}})({:?}, {:?});"#,
        format!("/{pkg}/{js}.js"),
        format!("/{pkg}/{wasm}.wasm"),
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}

/// The HTML document around the app (server-rendered).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    ssr::csp::set_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content="Which open model, in which quantization, on which hardware — rented, bought or as an API — at what cost, for your load: sourced, calibrated figures."/>
                // No icon file: an empty data URL keeps browsers from asking for /favicon.ico.
                <link rel="icon" href="data:,"/>
                <AutoReload options=options.clone()/>
                {(!static_page()).then(|| view! { <HydrateAfterLoad options/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/planner-web.css"/>
        <Title text="LLM Deployment Planner"/>
        <Router>
            <header class="site">
                <a class="brand" href="/">"LLM Deployment Planner"</a>
                <nav aria-label="main">
                    <A href="/">"Planner"</A>
                    <A href="/article">"The article, checked"</A>
                    <A href="/catalog">"Catalog & sources"</A>
                    <A href="/scenarios">"My scenarios"</A>
                </nav>
            </header>
            <main>
                <Routes fallback=|| view! { <NotFound/> }>
                    // Async: the whole page (and its status, 422 on bad input) is decided
                    // before the first byte is sent.
                    <Route path=path!("/") view=planner_page::PlannerPage ssr=SsrMode::Async/>
                    <Route path=path!("/article") view=article_page::ArticlePage ssr=SsrMode::Async/>
                    <Route path=path!("/catalog") view=catalog_page::CatalogPage ssr=SsrMode::Async/>
                    <Route path=path!("/s/:id") view=scenarios_page::SavedPage ssr=SsrMode::Async/>
                    <Route path=path!("/scenarios") view=scenarios_page::MyScenariosPage ssr=SsrMode::Async/>
                    <Route path=path!("/compare") view=scenarios_page::ComparePage ssr=SsrMode::Async/>
                    <Route path=path!("/details") view=details_page::DetailsPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <h1>"Not found"</h1>
        <p>"No page here. " <a href="/">"Back to the planner"</a></p>
    }
}

/// How every dollar figure is written: the engine's own definition, compiled into the wasm
/// too (which does not link the engine).
#[path = "../../planner/src/dollars.rs"]
mod dollars;
pub use dollars::usd;
