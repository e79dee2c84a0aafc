//! `/catalog`: models, formats, GPUs, engines and prices with their sources and dates.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::views::CatalogView;

#[server]
pub async fn load_catalog(query: String) -> Result<CatalogView, ServerFnError> {
    let how = crate::ssr::catalog_view::Shown::from_query(&query);
    Ok(crate::ssr::catalog_view::catalog_view(
        planner::Catalog::builtin(),
        &how,
    ))
}

/// A source with its places linked.
fn source_view(source: String) -> impl IntoView {
    crate::sources::parts(&source)
        .into_iter()
        .map(|p| match p {
            crate::sources::Part::Text(t) => t.into_any(),
            crate::sources::Part::Link { href, text } => {
                view! { <a href=href rel="noopener noreferrer">{text}</a> }.into_any()
            }
        })
        .collect_view()
}

/// The catalog page's address with one table sorted by a column.
fn sort_link(view: &CatalogView, table: &str, col: usize, desc: bool) -> String {
    let pairs: Vec<(String, String)> = [
        ("sort", format!("{table}:{col}")),
        ("dir", if desc { "desc".into() } else { "asc".into() }),
        ("q", view.filter.clone()),
        ("min_memory", view.min_memory.clone()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    crate::links::catalog(&crate::qs::to_string(&pairs), table)
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    let search = use_location().search;
    let data = Resource::new(move || search.get(), load_catalog);
    view! {
        <Title text="Catalog and sources — LLM Deployment Planner"/>
        <h1>"Catalog and sources"</h1>
        <p>"Every figure the planner uses, with where it comes from and when. A figure we could not source is absent, never guessed."</p>
        <Suspense fallback=|| view! { <p>"Loading the catalog…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    Ok(c) => view! {
                        <p class="muted">"Catalog snapshot " <code>{c.snapshot.clone()}</code></p>
                        <form method="get" action="/catalog" class="catalog-filter" role="search">
                            <label for="catalog-q">"Rows containing"</label>
                            <input id="catalog-q" type="search" name="q" maxlength="100" value=c.filter.clone() placeholder="e.g. H100, Apple, Apache, MoE"/>
                            <label for="catalog-min-memory">"GPUs with at least"</label>
                            <input id="catalog-min-memory" type="number" name="min_memory" min="0" step="any" value=c.min_memory.clone()/>
                            <span>"GB"</span>
                            <button type="submit">"Filter"</button>
                        </form>
                        <nav class="toc" aria-label="catalog sections">
                            {c.tables.iter().map(|t| view! { <a href=format!("#{}", t.anchor)>{t.title.clone()}</a> }).collect_view()}
                        </nav>
                        {c.tables.clone().into_iter().map(|t| {
                            let headers = t.headers.iter().enumerate().map(|(i, h)| {
                                let sorted = t.sorted_by == Some(i);
                                let aria = match (sorted, t.desc) {
                                    (true, true) => "descending",
                                    (true, false) => "ascending",
                                    _ => "none",
                                };
                                let href = sort_link(&c, &t.anchor, i, sorted && !t.desc);
                                view! { <th scope="col" aria-sort=aria><a href=href>{h.clone()}</a></th> }
                            }).collect_view();
                            view! {
                            <section id=t.anchor.clone()>
                                <h2>{t.title.clone()}</h2>
                                {(t.rows.len() < t.total).then(|| view! { <p class="muted">{format!("{} of {} rows", t.rows.len(), t.total)}</p> })}
                                <div class="scroll">
                                <table class="catalog">
                                    <thead><tr>
                                        {headers}
                                        <th scope="col">"source"</th><th scope="col">"date"</th>
                                    </tr></thead>
                                    <tbody>
                                        {t.rows.into_iter().map(|r| view! {
                                            <tr id=format!("{}-{}", t.anchor, r.id)>
                                                {r.cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                                                <td class="source">{source_view(r.source)}</td>
                                                <td class="date">{r.date}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                </div>
                            </section>
                        }}).collect_view()}
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
