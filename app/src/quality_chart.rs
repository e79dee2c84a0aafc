//! The quality charts of the planner page: each scored model's score against its cheapest cost
//! (per M output tokens, or a month at this load, on a log axis) — rent or buy within the
//! targets, an API, and fitting but missing them — with the Pareto front of what meets and the
//! bottom line's answers ringed. Drawn in the page; each mark's `<title>` gives its figures on
//! hover, the table below gives them all.

use leptos::prelude::*;

use crate::chart_axes::{colour, log_ticks, tick_label, ticks_between};
use crate::usd;
use crate::views::{QualityChartView, QualityPointView};

const W: f64 = 760.0;
const H: f64 = 400.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 46.0;
const GREY: &str = "#aaaaaa";

/// The marks of a point, in `QualityPointView`'s order.
const MARKS: [&str; 3] = [
    "rent or buy, meets the targets",
    "API",
    "fits, misses the targets",
];
/// The colours of the first two marks (the third is grey).
const MEETS: usize = 0;
const API: usize = 4;

/// The Pareto front of (cost, quality) pairs: nothing else is both cheaper and better. Sorted
/// by cost, each kept point scores higher than every cheaper one.
pub fn pareto_front(mut pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
    let mut front: Vec<(f64, f64)> = Vec::new();
    for p in pts {
        if front.last().is_none_or(|l| p.1 > l.1) {
            front.push(p);
        }
    }
    front
}

/// Where a label beside a mark at `x` goes, `gap` from it: to its right, or to its left near
/// the chart's right edge (it would be cut there).
fn beside(x: f64, gap: f64) -> (f64, &'static str) {
    if x > W - RIGHT - 110.0 {
        (x - gap, "end")
    } else {
        (x + gap, "start")
    }
}

/// A point's costs on the chart's axis.
fn costs(p: &QualityPointView, monthly: bool) -> [Option<f64>; 3] {
    if monthly {
        p.monthly
    } else {
        p.per_m
    }
}

#[component]
pub fn QualityChart(chart: QualityChartView, monthly: bool) -> impl IntoView {
    let all: Vec<f64> = (chart.points.iter())
        .flat_map(|p| costs(p, monthly))
        .flatten()
        .filter(|c| *c > 0.0)
        .collect();
    if all.is_empty() {
        return ().into_any();
    }
    let (x_lo, x_hi) = (
        all.iter().copied().fold(f64::MAX, f64::min) / 1.5,
        all.iter().copied().fold(0.0, f64::max) * 1.5,
    );
    let qs = chart.points.iter().map(|p| p.quality);
    let ys = ticks_between(
        (qs.clone().fold(f64::MAX, f64::min) - 3.0).max(0.0),
        (qs.fold(0.0, f64::max) + 3.0).min(100.0),
    );
    let (y_lo, y_hi) = (ys[0], ys[ys.len() - 1].max(ys[0] + 1e-9));
    let (lx, hx) = (x_lo.ln(), x_hi.ln());
    let sx = move |c: f64| LEFT + (c.max(x_lo).ln() - lx) / (hx - lx) * (W - LEFT - RIGHT);
    let sy = move |q: f64| H - BOTTOM - (q - y_lo) / (y_hi - y_lo) * (H - TOP - BOTTOM);
    let per = if monthly {
        "a month"
    } else {
        "per M output tokens"
    };
    let front = pareto_front(
        (chart.points.iter())
            .flat_map(|p| {
                let c = costs(p, monthly);
                [c[0], c[1]].into_iter().flatten().map(|c| (c, p.quality))
            })
            .collect(),
    );
    let front_line = (front.iter())
        .map(|(c, q)| format!("{:.1},{:.1}", sx(*c), sy(*q)))
        .collect::<Vec<_>>()
        .join(" ");
    let marks = (chart.points.iter())
        .flat_map(|p| {
            let c = costs(p, monthly);
            // Misses first, so the marks that answer are drawn on top.
            [2, 0, 1].into_iter().filter_map(move |m| {
                c[m].map(|cost| (m, cost, p.model.clone(), p.quality))
            })
        })
        .map(|(m, cost, model, q)| {
            let (x, y) = (sx(cost), sy(q));
            let title = format!(
                "{model}: score {q:.1}, {} {per} ({})",
                usd(cost),
                MARKS[m]
            );
            match m {
                1 => view! {
                    <path d=format!("M{x:.1},{:.1} l6,10 l-12,0 z", y - 6.0) fill=colour(API)>
                        <title>{title}</title>
                    </path>
                }
                .into_any(),
                _ => view! {
                    <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r=if m == 0 { "5" } else { "4" }
                        fill=if m == 0 { colour(MEETS) } else { GREY }>
                        <title>{title}</title>
                    </circle>
                }
                .into_any(),
            }
        })
        .collect_view();
    let labels = (chart.points.iter())
        .filter_map(|p| {
            let c = costs(p, monthly);
            let cost = c[0].or(c[1]).or(c[2])?;
            let (x, anchor) = beside(sx(cost), 7.0);
            Some(view! {
                <text font-size="11" fill="#444444" x=format!("{x:.1}") y=format!("{:.1}", sy(p.quality) - 6.0) text-anchor=anchor>{p.model.clone()}</text>
            })
        })
        .collect_view();
    let rings = (chart.answers.iter())
        .map(|a| {
            let cost = if monthly { a.monthly } else { a.per_m };
            let (x, y) = (sx(cost), sy(a.quality));
            let (label_x, anchor) = beside(x, 10.0);
            view! {
                <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="9" fill="none" stroke="#000000" stroke-width="2">
                    <title>{format!("the bottom line's {}: {}, {} {per}", a.route, a.model, usd(cost))}</title>
                </circle>
                <text font-size="12" x=format!("{label_x:.1}") y=format!("{:.1}", y + 20.0) text-anchor=anchor>{a.route.clone()}</text>
            }
        })
        .collect_view();
    let x_ticks = log_ticks(x_lo, x_hi);
    let title_id = if monthly {
        "quality-monthly-title"
    } else {
        "quality-title"
    };
    view! {
        <div class="chart-scroll" tabindex="0">
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="img" font-family="sans-serif" aria-labelledby=title_id>
            <title id=title_id>{format!("Quality ({}) against cost {per}", chart.benchmark)}</title>
            {ys.iter().map(|&t| view! {
                <line stroke="#dddddd" x1=format!("{LEFT}") x2=format!("{}", W - RIGHT) y1=format!("{:.1}", sy(t)) y2=format!("{:.1}", sy(t))/>
                <text font-size="12" fill="#333333" x=format!("{}", LEFT - 6.0) y=format!("{:.1}", sy(t) + 4.0) text-anchor="end">{tick_label(t)}</text>
            }).collect_view()}
            {x_ticks.iter().map(|&t| view! {
                <line stroke="#eeeeee" x1=format!("{:.1}", sx(t)) x2=format!("{:.1}", sx(t)) y1=format!("{TOP}") y2=format!("{}", H - BOTTOM)/>
                <text font-size="12" fill="#333333" x=format!("{:.1}", sx(t)) y=format!("{}", H - BOTTOM + 16.0) text-anchor="middle">{usd(t)}</text>
            }).collect_view()}
            <polyline class="front" points=front_line fill="none" stroke=colour(2) stroke-width="2">
                <title>"Pareto front: nothing cheaper and better"</title>
            </polyline>
            {marks}
            {labels}
            {rings}
            <text font-size="13" fill="#333333" x=format!("{}", (LEFT + W - RIGHT) / 2.0) y=format!("{}", H - 8.0) text-anchor="middle">{format!("USD {per} (log scale)")}</text>
            <text font-size="13" fill="#333333" transform=format!("translate(14 {}) rotate(-90)", (TOP + H - BOTTOM) / 2.0) text-anchor="middle">{chart.benchmark.clone()}</text>
        </svg>
        </div>
        <ul class="chart-legend">
            <li><svg class="key" viewBox="0 0 28 10" aria-hidden="true" focusable="false"><circle cx="14" cy="5" r="4" fill=colour(MEETS)/></svg>{MARKS[0]}</li>
            <li><svg class="key" viewBox="0 0 28 10" aria-hidden="true" focusable="false"><path d="M14,0 l5,9 l-10,0 z" fill=colour(API)/></svg>{MARKS[1]}</li>
            <li><svg class="key" viewBox="0 0 28 10" aria-hidden="true" focusable="false"><circle cx="14" cy="5" r="4" fill=GREY/></svg>{MARKS[2]}</li>
            <li><svg class="key" viewBox="0 0 28 10" aria-hidden="true" focusable="false"><line x1="0" x2="28" y1="5" y2="5" stroke=colour(2) stroke-width="3"/></svg>"Pareto front (nothing cheaper and better)"</li>
            <li><svg class="key" viewBox="0 0 28 10" aria-hidden="true" focusable="false"><circle cx="14" cy="5" r="4" fill="none" stroke="#000000" stroke-width="1.5"/></svg>"the bottom line's answers"</li>
        </ul>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::pareto_front;

    #[test]
    fn the_pareto_front_keeps_only_what_nothing_beats() {
        let front = pareto_front(vec![
            (1.0, 50.0),
            (2.0, 40.0),
            (3.0, 70.0),
            (0.5, 30.0),
            (3.0, 60.0),
        ]);
        assert_eq!(front, vec![(0.5, 30.0), (1.0, 50.0), (3.0, 70.0)]);
    }
}
