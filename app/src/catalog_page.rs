//! `/catalog`: models, formats, GPUs, engines and prices with their sources and dates.

use leptos::prelude::*;

use crate::views::CatalogView;

#[server]
pub async fn load_catalog() -> Result<CatalogView, ServerFnError> {
    Ok(crate::ssr::catalog_view::catalog_view(
        planner::Catalog::builtin(),
    ))
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_catalog());
    view! {
        <h1>"Catalog and sources"</h1>
        <p>"Every figure the planner uses, with where it comes from and when. A figure we could not source is absent, never guessed."</p>
        <Suspense fallback=|| view! { <p>"Loading the catalog…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    Ok(c) => view! {
                        <p class="muted">"Catalog snapshot " <code>{c.snapshot.clone()}</code></p>
                        <nav class="toc" aria-label="catalog sections">
                            {c.tables.iter().map(|t| view! { <a href=format!("#{}", t.anchor)>{t.title.clone()}</a> }).collect_view()}
                        </nav>
                        {c.tables.into_iter().map(|t| view! {
                            <section id=t.anchor.clone()>
                                <h2>{t.title.clone()}</h2>
                                <div class="scroll">
                                <table class="catalog">
                                    <thead><tr>
                                        {t.headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}
                                        <th scope="col">"source"</th><th scope="col">"date"</th>
                                    </tr></thead>
                                    <tbody>
                                        {t.rows.into_iter().map(|r| view! {
                                            <tr id=format!("{}-{}", t.anchor, r.id)>
                                                {r.cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                                                <td class="source">{r.source}</td>
                                                <td class="date">{r.date}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                </div>
                            </section>
                        }).collect_view()}
                        <section id="skipped">
                            <h2>"Price rows not used"</h2>
                            <ul>{c.skipped.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
