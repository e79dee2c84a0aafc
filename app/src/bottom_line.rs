//! The bottom line at the top of the results: the answer in one sentence, then one card per
//! route (API, rent, buy) with the route to take marked.

use leptos::prelude::*;

use crate::changes::Changes;
use crate::qs;
use crate::views::{BottomLineView, RouteView, SplitView};

fn route_card(r: RouteView, details_base: &str) -> impl IntoView {
    let class = format!(
        "card route{}{}",
        if r.best { " best" } else { "" },
        if r.at_risk { " at-risk" } else { "" }
    );
    let details = r
        .key
        .as_ref()
        .map(|k| format!("{details_base}&key={}", qs::encode_value(k)));
    let answered = r.why_not.is_none();
    let winner_class = format!(
        "winner{}",
        Changes::mark(format!("{}|answer", r.route), &r.answer)
    );
    let figures: Vec<(String, String, String)> = r
        .figures
        .iter()
        .map(|(k, v)| {
            let class = Changes::mark(format!("{}|{k}", r.route), v)
                .trim()
                .to_string();
            (k.clone(), v.clone(), class)
        })
        .collect();
    view! {
        <article class=class data-route=r.route.clone()>
            <h3>
                {r.title.clone()}
                {r.best.then(|| view! { " " <span class="badge">"the answer"</span> })}
            </h3>
            {(!answered).then(|| view! { <p class="why-not">{r.why_not.clone()}</p> })}
            {answered.then(|| view! {
                <p class=winner_class>{r.answer.clone()}</p>
                <p class="hardware">{r.hardware.clone()}</p>
                {r.at_risk.then(|| view! {
                    <p class="risk">"At risk: nothing this way meets the targets at the pessimistic end of its bands; this meets them on its expected figures."</p>
                })}
                <dl class="figures">
                    {figures.into_iter().map(|(k, v, class)| view! { <dt>{k}</dt> <dd class=class>{v}</dd> }).collect_view()}
                </dl>
                {details.map(|d| view! { <p><a href=d>"details and load curve"</a></p> })}
                {(!r.alternatives.is_empty()).then(|| view! {
                    <details class="alternatives">
                        <summary>{if r.route == "api" { "Other models by API" } else { "Other models on the same hardware" }}</summary>
                        <ul>
                            {r.alternatives.iter().map(|(m, c)| view! { <li><strong>{m.clone()}</strong> ": " {c.clone()}</li> }).collect_view()}
                        </ul>
                    </details>
                })}
            })}
        </article>
    }
}

fn split_block(s: SplitView) -> impl IntoView {
    view! {
        <section class="split" aria-labelledby="split-title">
            <h3 id="split-title">"Traffic split"</h3>
            <ul class="parts">{s.parts.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            <p class="total"><strong>{s.total}</strong></p>
            <ul class="pure">{s.pure.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            {s.floor.map(|f| view! { <p class="floor-split">{f}</p> })}
        </section>
    }
}

/// The bottom line of a plan; `details_base` is the prefix of an option's details link.
#[component]
pub fn BottomLine(view: BottomLineView, details_base: String) -> impl IntoView {
    view! {
        <section class="bottom-line" id="results" aria-labelledby="bottom-line-title">
            <h2 id="bottom-line-title">"The bottom line"</h2>
            <p class="summary" role="status">{view.summary}</p>
            <div class="cards routes">
                {view.routes.into_iter().map(|r| route_card(r, &details_base)).collect_view()}
            </div>
            {view.split.map(split_block)}
            <p class="muted">{view.method}</p>
        </section>
    }
}
