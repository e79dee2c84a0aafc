//! `/article`: each claim of the "GPT-OSS-120B vs 20B" article beside what the planner computes
//! for the same setup and the sourced fact.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::views::ClaimView;

#[server]
pub async fn article_claims() -> Result<Vec<ClaimView>, ServerFnError> {
    Ok(crate::ssr::article::claims(planner::Catalog::builtin()))
}

#[component]
pub fn ArticlePage() -> impl IntoView {
    let claims = Resource::new(|| (), |_| article_claims());
    view! {
        <Title text="The article, checked — LLM Deployment Planner"/>
        <h1>"The article's claims, checked"</h1>
        <p>"The blog post \"GPT-OSS-120B vs GPT-OSS-20B: Which One Should You Use?\" gets most of its figures wrong. Each claim below stands beside the planner's own computation for the same setup and the sourced fact."</p>
        <Suspense fallback=|| view! { <p>"Computing…"</p> }>
            {move || Suspend::new(async move {
                match claims.await {
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    Ok(rows) => view! {
                        <div class="scroll">
                        <table class="claims">
                            <thead><tr>
                                <th scope="col">"#"</th><th scope="col">"The article says"</th><th scope="col">"Verdict"</th>
                                <th scope="col">"The planner computes"</th><th scope="col">"Sourced fact"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|c| view! {
                                    <tr>
                                        <td>{c.number}</td><td>{c.claim}</td><td class=verdict_class(&c.verdict)>{c.verdict.clone()}</td>
                                        <td>{c.planner}</td><td>{c.fact}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A verdict's colour: plausible claims green, half-right ones amber, the rest red.
fn verdict_class(verdict: &str) -> &'static str {
    let v = verdict.to_lowercase();
    if v.starts_with("plausible") {
        "verdict ok"
    } else if v.contains("right") {
        "verdict partly"
    } else {
        "verdict wrong"
    }
}
