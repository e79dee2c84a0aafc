//! Saved scenarios: `/s/:id` (the plan as saved, the owner's rename/delete, exports),
//! `/scenarios` (this browser's saves, from its cookie) and `/compare?a=&b=`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_location, use_params_map};

use crate::planner_page::Results;
use crate::qs;
use crate::usd;
use crate::views::{CompareView, MySaved, SavedView, MAX_ROWS};

#[server]
pub async fn load_saved(id: String, query: String) -> Result<SavedView, ServerFnError> {
    let pool = expect_context::<store::Pool>();
    let catalogs = expect_context::<store::Catalogs>();
    let q = qs::parse(&query);
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    // The owner token: an owner link's, else the one this browser kept when it saved.
    let owner = match qs::get(&q, "owner") {
        Some(t) => t.to_string(),
        None => crate::ssr::saved_cookie::token_for(&headers, &id).unwrap_or_default(),
    };
    let new = qs::get(&q, "new") == Some("1");
    let origin = crate::ssr::saved::origin(&headers);
    let view = crate::ssr::saved::saved_view(&pool, &catalogs, &id, &owner, new, &query)
        .await
        .map_err(ServerFnError::new)?;
    let view = SavedView {
        owner_url: view.owner_url.map(|u| format!("{origin}{u}")),
        share_url: format!("{origin}{}", crate::links::saved(&id)),
        ..view
    };
    if !view.found {
        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
            r.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    Ok(view)
}

#[server]
pub async fn load_my_scenarios() -> Result<Vec<MySaved>, ServerFnError> {
    let pool = expect_context::<store::Pool>();
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    let cookie = headers
        .get(http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let pairs = crate::ssr::saved_cookie::remembered(cookie);
    let ids: Vec<String> = pairs.iter().map(|(id, _)| id.clone()).collect();
    let saved = store::list(&pool, &ids)
        .await
        .map_err(|e| ServerFnError::new(crate::ssr::failure::store_message(&e)))?;
    Ok(saved
        .into_iter()
        .map(|s| MySaved {
            owner_token: pairs
                .iter()
                .find(|(id, _)| *id == s.id)
                .map(|(_, t)| t.clone())
                .unwrap_or_default(),
            id: s.id,
            name: s.name,
            created_at: s.created_at,
        })
        .collect())
}

#[server]
pub async fn load_compare(a: String, b: String) -> Result<CompareView, ServerFnError> {
    let (a, b) = (
        crate::links::saved_id_of(&a).to_string(),
        crate::links::saved_id_of(&b).to_string(),
    );
    let pool = expect_context::<store::Pool>();
    let catalogs = expect_context::<store::Catalogs>();
    let status = |code| {
        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
            r.set_status(code);
        }
    };
    if a == b {
        status(http::StatusCode::UNPROCESSABLE_ENTITY);
        return Ok(CompareView {
            error: Some("choose two different scenarios: a scenario compared with itself differs in nothing".into()),
            ..CompareView::default()
        });
    }
    let view = crate::ssr::saved::compare_view(&pool, &catalogs, &a, &b)
        .await
        .map_err(ServerFnError::new)?;
    if view.error.is_some() {
        status(http::StatusCode::NOT_FOUND);
    }
    Ok(view)
}

#[component]
pub fn SavedPage() -> impl IntoView {
    let params = use_params_map();
    let search = use_location().search;
    let data = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                search.get(),
            )
        },
        |(id, q)| load_saved(id, q),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading the scenario…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    Ok(v) if !v.found => view! {
                        <h1>"Scenario not found"</h1>
                        <p>"No saved scenario has this link (it may have been deleted). " <a href="/">"Plan a new one"</a></p>
                    }.into_any(),
                    Ok(v) => saved_body(v),
                }
            })}
        </Suspense>
    }
}

/// A name as `<title>` may hold it. leptos_meta writes a title's text into the server's HTML
/// unescaped (a name of `</title><script>…` would end the element), and the browser's own
/// escaping applies when it sets the title after hydration, so escaping here would show
/// entities: the markup characters become look-alikes instead.
fn title_text(name: &str) -> String {
    name.replace('<', "‹").replace('>', "›").replace('&', "＆")
}

fn saved_body(v: SavedView) -> AnyView {
    let id = v.id.clone();
    let edit_query = qs::to_string(&v.inputs);
    let edit = crate::links::planner(&qs::with(&edit_query, "parent", &id));
    let owner = v.owner_token.clone().unwrap_or_default();
    view! {
        <Title text=format!("{} — LLM Deployment Planner", title_text(&v.name))/>
        <Meta property="og:title" content=v.name.clone()/>
        <Meta property="og:description" content="A saved deployment plan: which model, on which hardware, at what cost."/>
        <h1 class="saved-name">{v.name.clone()}</h1>
        <p class="muted">
            "Saved " {v.created_at.clone()}
            {v.parent_id.clone().map(|p| view! { " · forked from " <a href=crate::links::saved(&p)>{p.clone()}</a> })}
        </p>
        <p class="share">
            <label for="share-url">"Share link (read-only for whoever opens it)"</label>
            <input id="share-url" class="share-link" readonly value=v.share_url.clone()/>
        </p>
        {v.owner_url.clone().map(|u| view! {
            <p class="owner-link" role="status">
                <label for="owner-url">"Your private owner link — shown once; this browser remembers it. Keep a copy to rename or delete from elsewhere, and share it with no one:"</label>
                <input id="owner-url" readonly value=u/>
            </p>
        })}
        <section class="saved-actions" aria-label="actions">
            <a href=edit>"Edit (opens the planner; saving makes a fork)"</a>
            " · " <a href=crate::links::saved_file(&id, "report.csv") download="">"CSV"</a>
            " · " <a href=crate::links::saved_file(&id, "report.json") download="">"JSON"</a>
            " · " <a href=crate::links::saved_file(&id, "report.md") download="">"Markdown"</a>
            " · " <a href=crate::links::saved_file(&id, "report")>"Print report"</a>
            " · " <a href="/scenarios">"My scenarios"</a>
        </section>
        <form method="get" action="/compare" class="compare-with">
            <input type="hidden" name="a" value=id.clone()/>
            <label for="compare-b">"Compare with another saved scenario (its share link or id)"</label>
            <input id="compare-b" name="b" required spellcheck="false" placeholder="https://…/s/…"/>
            <button type="submit">"Compare"</button>
        </form>
        {v.is_owner.then(|| view! {
            <section class="owner" aria-label="owner actions">
                <form method="post" action=crate::links::saved_action(&id, "rename")>
                    <input type="hidden" name="owner" value=owner.clone()/>
                    <label for="rename">"New name"</label>
                    <input id="rename" name="name" maxlength="200" value=v.name.clone()/>
                    <button type="submit">"Rename"</button>
                </form>
                <form method="post" action=crate::links::saved_action(&id, "delete")>
                    <input type="hidden" name="owner" value=owner.clone()/>
                    <button type="submit" class="danger">"Delete"</button>
                </form>
            </section>
        })}
        <section class="price-change" aria-label="prices since saved">
            {v.price_change.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
        </section>
        <details class="inputs" open>
            <summary>"Inputs"</summary>
            <dl>{v.inputs.into_iter().map(|(k, val)| view! { <dt>{k}</dt><dd>{val}</dd> }).collect_view()}</dl>
        </details>
        <Results view=v.plan saved=true/>
    }
    .into_any()
}

#[component]
pub fn MyScenariosPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_my_scenarios());
    view! {
        <h1>"My scenarios"</h1>
        <p class="muted">"The scenarios this browser saved (remembered in a cookie); nobody else's. Compare two by ticking them."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>"Nothing saved in this browser yet. " <a href="/">"Plan and save one"</a></p> }.into_any(),
                    Ok(list) => view! {
                        <form method="get" action="/compare" class="compare-pick">
                            <table>
                                <thead><tr><th scope="col">"A"</th><th scope="col">"B"</th><th scope="col">"Name"</th><th scope="col">"Saved"</th><th scope="col">"Owner"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().enumerate().map(|(i, s)| {
                                        let (first, second) = (i == 0, i == 1);
                                        view! {
                                        <tr class="my-scenario">
                                            <td><input type="radio" name="a" value=s.id.clone() checked=first aria-label=format!("compare {} as A", s.name)/></td>
                                            <td><input type="radio" name="b" value=s.id.clone() checked=second aria-label=format!("compare {} as B", s.name)/></td>
                                            <td><a href=crate::links::saved(&s.id)>{s.name.clone()}</a></td>
                                            <td>{s.created_at}</td>
                                            <td><a href=crate::links::saved(&s.id)>"rename / delete"</a></td>
                                        </tr>
                                    }}).collect_view()}
                                </tbody>
                            </table>
                            <button type="submit">"Compare A with B"</button>
                        </form>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn delta(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => {
            let d = b - a;
            if d.abs() < 0.005 {
                "=".into()
            } else if d > 0.0 {
                format!("+{}", usd(d))
            } else {
                format!("−{}", usd(-d))
            }
        }
        _ => "—".into(),
    }
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let search = use_location().search;
    let data = Resource::new(
        move || {
            let q = qs::parse(&search.get());
            (
                qs::get(&q, "a").unwrap_or("").to_string(),
                qs::get(&q, "b").unwrap_or("").to_string(),
            )
        },
        |(a, b)| load_compare(a, b),
    );
    let money = |v: Option<f64>| v.map_or("—".into(), usd);
    view! {
        <h1>"Compare two scenarios"</h1>
        <Suspense fallback=|| view! { <p>"Comparing…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    Ok(v) if v.error.is_some() => view! { <p class="error">{v.error.unwrap_or_default()}</p> }.into_any(),
                    Ok(v) => view! {
                        <section class="compare-headline" aria-label="the two answers">
                            <div class="card"><h3>"A: " <a href=crate::links::saved(&v.a_id)>{v.a_name.clone()}</a></h3><p>{v.a_summary.clone()}</p></div>
                            <div class="card"><h3>"B: " <a href=crate::links::saved(&v.b_id)>{v.b_name.clone()}</a></h3><p>{v.b_summary.clone()}</p></div>
                        </section>
                        {
                            let (differ, same): (Vec<_>, Vec<_>) = v.inputs.into_iter()
                                .filter(|i| !(i.a.is_empty() && i.b.is_empty()))
                                .partition(|i| i.differs);
                            let rows = |list: Vec<crate::views::CompareInput>| list.into_iter().map(|i| view! {
                                <tr class:differs=i.differs><th scope="row">{i.label}</th><td>{i.a}</td><td>{i.b}</td></tr>
                            }).collect_view();
                            let same_count = same.len();
                            view! {
                                <h2>"What differs"</h2>
                                {if differ.is_empty() {
                                    view! { <p>"The inputs are the same; only the prices saved with each differ."</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="compare-inputs">
                                            <thead><tr><th scope="col">"Input"</th><th scope="col">"A"</th><th scope="col">"B"</th></tr></thead>
                                            <tbody>{rows(differ)}</tbody>
                                        </table>
                                    }.into_any()
                                }}
                                <details class="same-inputs">
                                    <summary>{format!("The same in both ({same_count})")}</summary>
                                    <table class="compare-inputs">
                                        <thead><tr><th scope="col">"Input"</th><th scope="col">"A"</th><th scope="col">"B"</th></tr></thead>
                                        <tbody>{rows(same)}</tbody>
                                    </table>
                                </details>
                            }
                        }
                        <h2>"Options"</h2>
                        {(v.total_rows > v.rows.len()).then(|| view! {
                            <p class="muted">{format!("Showing the first {} of {} options: the table stops at {MAX_ROWS} rows; each scenario's report has every option.", v.rows.len(), v.total_rows)}</p>
                        })}
                        <div class="scroll">
                        <table class="compare">
                            <thead><tr>
                                <th scope="col">"Option"</th>
                                <th scope="col">"Cloud A"</th><th scope="col">"Cloud B"</th><th scope="col">"Δ"</th>
                                <th scope="col">"Local A"</th><th scope="col">"Local B"</th><th scope="col">"Δ"</th>
                                <th scope="col">"$/M A"</th><th scope="col">"$/M B"</th><th scope="col">"Δ"</th>
                            </tr></thead>
                            <tbody>{v.rows.into_iter().map(|r| view! {
                                <tr data-key=r.key.clone()>
                                    <td>{r.key.clone()}</td>
                                    <td class="num">{money(r.a_cloud)}</td><td class="num">{money(r.b_cloud)}</td><td class="num delta-cloud">{delta(r.a_cloud, r.b_cloud)}</td>
                                    <td class="num">{money(r.a_local)}</td><td class="num">{money(r.b_local)}</td><td class="num">{delta(r.a_local, r.b_local)}</td>
                                    <td class="num">{money(r.a_per_m)}</td><td class="num">{money(r.b_per_m)}</td><td class="num">{delta(r.a_per_m, r.b_per_m)}</td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
