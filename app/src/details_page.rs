//! `/details?key=…&{scenario}` (or `&s={id}` for a saved scenario): one option's memory
//! breakdown, the arithmetic behind each number, its notes and the source and date of every
//! spec and price it uses.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::views::DetailsView;

#[server]
pub async fn load_details(query: String) -> Result<Option<DetailsView>, ServerFnError> {
    let pool = expect_context::<sqlx::SqlitePool>();
    let catalogs = expect_context::<crate::ssr::store::Catalogs>();
    let view = crate::ssr::saved::details_view(&pool, &catalogs, &query)
        .await
        .map_err(ServerFnError::new)?;
    if view.is_none() {
        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
            r.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    Ok(view)
}

#[component]
pub fn DetailsPage() -> impl IntoView {
    let search = use_location().search;
    let data = Resource::new(move || search.get(), load_details);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    Ok(None) => view! { <h1>"Option not found"</h1><p><a href="/">"Back to the planner"</a></p> }.into_any(),
                    Ok(Some(d)) => {
                        let o = d.option;
                        let detail = o.detail.clone().unwrap_or_default();
                        let m = detail.memory.clone();
                        view! {
                            <p><a href=d.back>"← back to the table"</a></p>
                            <h1>{format!("{} {} on {} ({})", o.model, o.quant, o.hardware, o.engine)}</h1>
                            <div class="details">
                                <dl class="memory">
                                    <dt>"Experts"</dt><dd>{format!("{:.1} GB", m.experts)}</dd>
                                    <dt>"Dense (attention, router, dense FFN)"</dt><dd>{format!("{:.1} GB", m.dense)}</dd>
                                    <dt>"Embedding"</dt><dd>{format!("{:.1} GB", m.embedding)}</dd>
                                    <dt>"lm_head"</dt><dd>{format!("{:.1} GB", m.unembedding)}</dd>
                                    <dt>"KV cache"</dt><dd>{format!("{:.2} GB", m.kv_cache)}</dd>
                                    <dt>"Runtime overhead (assumption)"</dt><dd>{format!("{:.1} GB", m.overhead)}</dd>
                                    <dt>"Total / usable"</dt><dd>{format!("{:.1} / {:.1} GB", m.total, m.available)}</dd>
                                </dl>
                                <section>
                                    <h2>"The arithmetic"</h2>
                                    <ul class="arithmetic">{detail.arithmetic.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                                    <p>{format!("Step time bound by {}; what limits users per replica: {}.", o.bound, o.limit)}</p>
                                    {(!detail.notes.is_empty()).then(|| view! { <ul class="notes">{detail.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> })}
                                    <h2>"Sources"</h2>
                                    <ul class="sources">
                                        {detail.sources.into_iter().map(|s| view! { <li><strong>{s.label}</strong> ": " {s.value} " — " <span class="source">{s.source}</span> " (" {s.date} ")"</li> }).collect_view()}
                                    </ul>
                                </section>
                            </div>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
