//! The cost chart of the planner page: monthly cost of the leading options (rent, buy) and of
//! the cheapest API against usage hours a day, where lines cross is the break-even. Drawn in the
//! page; each point's `<title>` gives its figure on hover, the table below gives them all.

use leptos::prelude::*;

use crate::chart_axes::{colour, tick_label, ticks, API_COLOUR};
use crate::usd;
use crate::views::{CostChartView, CostLineView, COST_TABLE_HOURS};

const W: f64 = 760.0;
const H: f64 = 360.0;
const LEFT: f64 = 74.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 46.0;
/// Usage hours a day the x axis labels.
const HOUR_TICKS: [f64; 7] = [1.0, 4.0, 8.0, 12.0, 16.0, 20.0, 24.0];

fn line_colour(l: &CostLineView) -> &'static str {
    l.colour.map_or(API_COLOUR, colour)
}

/// The dash pattern of a buy line (none for rent and the API).
fn dashes(l: &CostLineView) -> Option<&'static str> {
    l.dashed.then_some("8 5")
}

#[component]
pub fn CostChart(chart: CostChartView) -> impl IntoView {
    if chart.lines.is_empty() {
        return ().into_any();
    }
    let top = (chart.lines.iter())
        .flat_map(|l| l.by_hour.iter().copied())
        .fold(1.0, f64::max);
    let ys = ticks(top);
    let y_max = ys[4].max(1e-9);
    let sx = |h: f64| LEFT + (h - 1.0) / 23.0 * (W - LEFT - RIGHT);
    let sy = move |v: f64| H - BOTTOM - v / y_max * (H - TOP - BOTTOM);
    let now = chart.hours_now.clamp(1.0, 24.0);
    let lines = chart.lines.clone();
    let drawn = lines
        .iter()
        .map(|l| {
            let stroke = line_colour(l);
            let points = (l.by_hour.iter().enumerate())
                .map(|(i, v)| format!("{:.1},{:.1}", sx(i as f64 + 1.0), sy(*v)))
                .collect::<Vec<_>>()
                .join(" ");
            // A mark at each of the table's hours: the figures the table gives, on hover.
            let dots = (COST_TABLE_HOURS.iter())
                .filter_map(|&h| Some((h, l.at(h)?)))
                .map(|(h, v)| {
                    let title = format!("{}: {} a month at {h} h a day", l.label, usd(v));
                    view! {
                        <circle cx=format!("{:.1}", sx(f64::from(h))) cy=format!("{:.1}", sy(v)) r="4.5" fill=stroke>
                            <title>{title}</title>
                        </circle>
                    }
                })
                .collect_view();
            view! {
                <g class="cost-line">
                    <polyline points=points fill="none" stroke=stroke stroke-width="2.5" stroke-dasharray=dashes(l)>
                        <title>{l.label.clone()}</title>
                    </polyline>
                    {dots}
                </g>
            }
        })
        .collect_view();
    let legend = lines
        .iter()
        .map(|l| {
            view! {
                <li>
                    <svg class="key" viewBox="0 0 28 10" aria-hidden="true" focusable="false">
                        <line x1="0" x2="28" y1="5" y2="5" stroke=line_colour(l) stroke-width="3" stroke-dasharray=dashes(l)/>
                    </svg>
                    {l.label.clone()}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="chart-scroll" tabindex="0">
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="img" font-family="sans-serif" aria-labelledby="cost-chart-title">
            <title id="cost-chart-title">"Monthly cost against usage hours a day"</title>
            {ys.iter().map(|&t| view! {
                <line stroke="#dddddd" x1=format!("{LEFT}") x2=format!("{}", W - RIGHT) y1=format!("{:.1}", sy(t)) y2=format!("{:.1}", sy(t))/>
                <text font-size="12" fill="#333333" x=format!("{}", LEFT - 6.0) y=format!("{:.1}", sy(t) + 4.0) text-anchor="end">{format!("${}", tick_label(t))}</text>
            }).collect_view()}
            {HOUR_TICKS.iter().map(|&h| view! {
                <line stroke="#eeeeee" x1=format!("{:.1}", sx(h)) x2=format!("{:.1}", sx(h)) y1=format!("{TOP}") y2=format!("{}", H - BOTTOM)/>
                <text font-size="12" fill="#333333" x=format!("{:.1}", sx(h)) y=format!("{}", H - BOTTOM + 16.0) text-anchor="middle">{tick_label(h)}</text>
            }).collect_view()}
            <line class="hours-now" stroke="#777777" stroke-width="2" x1=format!("{:.1}", sx(now)) x2=format!("{:.1}", sx(now)) y1=format!("{TOP}") y2=format!("{}", H - BOTTOM)/>
            <text font-size="12" fill="#444444" x=format!("{:.1}", (sx(now) + 5.0).min(W - RIGHT - 90.0)) y=format!("{}", TOP + 12.0)>{format!("your {} h a day", tick_label(chart.hours_now))}</text>
            {drawn}
            <text font-size="13" fill="#333333" x=format!("{}", (LEFT + W - RIGHT) / 2.0) y=format!("{}", H - 8.0) text-anchor="middle">"usage hours a day"</text>
            <text font-size="13" fill="#333333" transform=format!("translate(16 {}) rotate(-90)", (TOP + H - BOTTOM) / 2.0) text-anchor="middle">"USD a month"</text>
        </svg>
        </div>
        <ul class="chart-legend">{legend}</ul>
    }
    .into_any()
}
