//! The wasm entry point: hydrate the server-rendered page, then say so (the end-to-end test
//! waits for the marker, since clicks before hydration are lost).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(
            &window,
            &"__planner_hydrated".into(),
            &wasm_bindgen::JsValue::TRUE,
        );
    }
}
