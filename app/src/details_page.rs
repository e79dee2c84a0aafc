//! `/details?key=…&{scenario}` (or `&s={id}` for a saved scenario): one option's memory
//! breakdown, the arithmetic behind each number, its notes and the source and date of every
//! spec and price it uses.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::views::{CurvePointView, CurveView, DetailsView};

#[server]
pub async fn load_details(query: String) -> Result<Option<DetailsView>, ServerFnError> {
    let pool = expect_context::<store::Pool>();
    let catalogs = expect_context::<store::Catalogs>();
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
                                    <LoadCurve curve=detail.curve.clone()/>
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

/// The chart's frame: width and height of the viewBox and the margins around the plot.
const W: f64 = 640.0;
const H: f64 = 320.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 48.0;

/// Aggregate output tokens/s per GPU against tokens/s per user as the load on one replica
/// grows, the loads that meet the targets filled, the operating point ringed: the curve a
/// serving engineer reads. Drawn as SVG elements (text escaped like any other), with the points
/// as a table for screen readers and without images.
#[component]
fn LoadCurve(curve: CurveView) -> impl IntoView {
    if curve.points.is_empty() {
        return view! { <p>"No load curve: the option does not fit."</p> }.into_any();
    }
    let xs = crate::chart_axes::ticks(
        curve
            .points
            .iter()
            .map(|p| p.per_user)
            .fold(curve.speed_target, f64::max),
    );
    let ys = crate::chart_axes::ticks(curve.points.iter().map(|p| p.per_gpu).fold(0.0, f64::max));
    let (x_max, y_max) = (xs[4].max(1e-9), ys[4].max(1e-9));
    let sx = move |x: f64| LEFT + x / x_max * (W - LEFT - RIGHT);
    let sy = move |y: f64| H - BOTTOM - y / y_max * (H - TOP - BOTTOM);
    let line: String = curve
        .points
        .iter()
        .map(|p| format!("{:.1},{:.1}", sx(p.per_user), sy(p.per_gpu)))
        .collect::<Vec<_>>()
        .join(" ");
    let dot = move |p: &CurvePointView| {
        let (class, fill) = if p.meets {
            ("meets", "#1f77b4")
        } else {
            ("misses", "#ffffff")
        };
        view! { <circle class=class cx=format!("{:.1}", sx(p.per_user)) cy=format!("{:.1}", sy(p.per_gpu)) r="4" fill=fill stroke="#1f77b4" stroke-width="1.5"/> }
    };
    let target_x = sx(curve.speed_target);
    let operating = curve.operating.map(|p| {
        let (x, y) = (sx(p.per_user), sy(p.per_gpu));
        view! {
            <circle class="operating" cx=format!("{x:.1}") cy=format!("{y:.1}") r="9" fill="none" stroke="#d62728" stroke-width="2.5"/>
            <text class="operating-label" font-size="12" fill="#b01e1e" x=format!("{:.1}", (x + 12.0).min(W - 180.0)) y=format!("{:.1}", (y - 12.0).max(TOP + 12.0))>
                {format!("operating point: {} in flight", p.in_flight)}
            </text>
        }
    });
    let summary = match curve.operating {
        Some(p) => format!(
            "At the peak each replica carries {} requests in flight: {:.1} tok/s per user, {:.0} output tok/s per GPU.",
            p.in_flight, p.per_user, p.per_gpu
        ),
        None => "The option meets the targets at no load shown: no operating point.".to_string(),
    };
    let rows = curve.points.clone();
    view! {
        <section class="load-curve">
            <h2>"Throughput against speed per user"</h2>
            <figure>
                <svg viewBox=format!("0 0 {W} {H}") role="img" font-family="sans-serif" aria-labelledby="curve-title curve-desc" class="curve">
                    <title id="curve-title">"Output tokens/s per GPU against tokens/s per user"</title>
                    <desc id="curve-desc">{summary.clone()}</desc>
                    {xs.iter().map(|&t| view! {
                        <line class="grid" stroke="#dddddd" x1=format!("{:.1}", sx(t)) x2=format!("{:.1}", sx(t)) y1=format!("{TOP}") y2=format!("{}", H - BOTTOM)/>
                        <text class="tick" font-size="12" fill="#333333" x=format!("{:.1}", sx(t)) y=format!("{}", H - BOTTOM + 16.0) text-anchor="middle">{format!("{t}")}</text>
                    }).collect_view()}
                    {ys.iter().map(|&t| view! {
                        <line class="grid" stroke="#dddddd" x1=format!("{LEFT}") x2=format!("{}", W - RIGHT) y1=format!("{:.1}", sy(t)) y2=format!("{:.1}", sy(t))/>
                        <text class="tick" font-size="12" fill="#333333" x=format!("{}", LEFT - 6.0) y=format!("{:.1}", sy(t) + 4.0) text-anchor="end">{format!("{t}")}</text>
                    }).collect_view()}
                    <line class="target" stroke="#2ca02c" stroke-width="1.5" stroke-dasharray="4 3" x1=format!("{target_x:.1}") x2=format!("{target_x:.1}") y1=format!("{TOP}") y2=format!("{}", H - BOTTOM)/>
                    <text class="target-label" font-size="12" fill="#1e7a1e" x=format!("{:.1}", target_x + 4.0) y=format!("{}", TOP + 12.0)>"speed target"</text>
                    <polyline class="curve-line" points=line fill="none" stroke="#1f77b4" stroke-width="2"/>
                    {curve.points.iter().map(dot).collect_view()}
                    {operating}
                    <text class="axis" font-size="13" fill="#333333" x=format!("{}", (LEFT + W - RIGHT) / 2.0) y=format!("{}", H - 8.0) text-anchor="middle">"tokens/s per user (1 / time per output token)"</text>
                    <text class="axis" font-size="13" fill="#333333" transform=format!("translate(16 {}) rotate(-90)", (TOP + H - BOTTOM) / 2.0) text-anchor="middle">"output tokens/s per GPU"</text>
                </svg>
                <figcaption>
                    {summary}
                    " Each point is a load on one replica (requests in flight, as Poisson arrivals), from one request to what the engine's batch cap or the KV memory allows; filled points meet the speed and 95th-percentile TTFT targets. Expected values (PHYSICS.md §10)."
                </figcaption>
            </figure>
            <details>
                <summary>"The points"</summary>
                <table class="curve-points">
                    <thead><tr><th scope="col">"In flight"</th><th scope="col">"tok/s per user"</th><th scope="col">"tok/s per GPU"</th><th scope="col">"TTFT p95 ms"</th><th scope="col">"Meets targets"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|p| view! {
                            <tr>
                                <td>{p.in_flight}</td>
                                <td>{format!("{:.1}", p.per_user)}</td>
                                <td>{format!("{:.0}", p.per_gpu)}</td>
                                <td>{p.ttft_p95_ms.map_or("not estimated".to_string(), |t| format!("{t:.0}"))}</td>
                                <td>{if p.meets { "yes" } else { "no" }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </section>
    }
    .into_any()
}
