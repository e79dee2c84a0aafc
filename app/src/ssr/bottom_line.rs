//! The plan's bottom line, written for the page: one card per route with its figures, the
//! route to take marked.

use planner::money::usd;
use planner::plan::bottom_line::{Answer, BottomLine, Quality, Route, PAYBACK_HORIZON_MONTHS};

use planner::plan::split::{PricedSplit, SplitPlan};
use planner::plan::Plan;

use crate::views::{BottomLineView, RouteView, SplitView};

fn quality(q: &Option<Quality>) -> String {
    q.as_ref().map_or("not reported".into(), |q| {
        format!("{} {:.1} ({})", q.benchmark, q.score, q.setting)
    })
}

fn hardware(a: &Answer) -> String {
    match a.route {
        Route::Api => format!("{}'s API", a.provider.as_deref().unwrap_or("a provider")),
        _ => {
            let fleet = a.fleet();
            match (&a.route, &a.provider, &a.engine) {
                (Route::Rent, Some(p), Some(e)) => format!("{fleet}, rented from {p}, {e}"),
                (_, _, Some(e)) => format!("{fleet}, {e}"),
                _ => fleet,
            }
        }
    }
}

fn route_view(b: &BottomLine, route: Route) -> RouteView {
    let (answer, why_not) = match route {
        Route::Api => (&b.api, &b.why_not.api),
        Route::Rent => (&b.rent, &b.why_not.rent),
        Route::Buy => (&b.buy, &b.why_not.buy),
    };
    let title = match route {
        Route::Api => "Call an API",
        Route::Rent => "Rent GPUs",
        Route::Buy => "Buy GPUs",
    };
    let mut v = RouteView {
        route: route.as_str().into(),
        title: title.into(),
        best: b.best == Some(route),
        why_not: why_not.clone(),
        ..RouteView::default()
    };
    let Some(a) = answer else {
        return v;
    };
    v.at_risk = a.at_risk;
    v.answer = match &a.quant {
        Some(q) => format!("{} ({q})", a.model),
        None => a.model.clone(),
    };
    v.hardware = hardware(a);
    v.key = a.key.clone();
    v.figures.push(("a month".into(), usd(a.monthly_usd)));
    if let Some(once) = a.one_time_usd {
        v.figures.push(("once".into(), usd(once)));
    }
    v.figures
        .push(("per M output tokens".into(), usd(a.usd_per_m_output)));
    v.figures.push(("quality".into(), quality(&a.quality)));
    let payback = |m: Option<f64>, against: &str| {
        m.map(|m| {
            (
                format!("pays back against {against}"),
                if m <= PAYBACK_HORIZON_MONTHS {
                    format!("after {:.0} months", m.ceil())
                } else {
                    format!("not within {PAYBACK_HORIZON_MONTHS:.0} months")
                },
            )
        })
    };
    if route == Route::Buy {
        v.figures
            .extend(payback(b.break_even.buy_vs_rent_months, "renting"));
        v.figures
            .extend(payback(b.break_even.buy_vs_api_months, "the API"));
    }
    v.alternatives = (a.alternatives.iter())
        .map(|alt| {
            let cost = match (alt.monthly_usd, &alt.standing) {
                (Some(m), _) => format!(
                    "{} a month{}, {}",
                    usd(m),
                    alt.quant
                        .as_ref()
                        .map_or(String::new(), |q| format!(" ({q})")),
                    quality(&alt.quality)
                ),
                (None, Some(why)) => why.clone(),
                (None, None) => "—".into(),
            };
            (alt.model.clone(), cost)
        })
        .collect();
    v
}

fn share(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// What a priced split costs and scores, in words.
fn split_total(p: &PricedSplit, benchmark: &str) -> String {
    let cost = p
        .monthly_usd
        .map_or("not priced (a part has no answer)".into(), |m| {
            format!(
                "{} a month ({} per M output tokens)",
                usd(m),
                p.usd_per_m_output.map_or("—".into(), usd)
            )
        });
    let quality = p.quality.map_or("quality not reported".into(), |q| {
        format!("{benchmark} {q:.1}")
    });
    format!("{cost}, {quality}")
}

fn split_view(sp: &SplitPlan, benchmark: &str) -> SplitView {
    let parts = (sp.split.parts.iter())
        .map(|p| {
            let how = match &p.answer {
                Some(a) => format!(
                    "{}{}{}, {} a month",
                    match a.route {
                        Route::Api => "",
                        Route::Rent => "rent ",
                        Route::Buy => "buy ",
                    },
                    hardware(a),
                    if a.at_risk { " (at risk)" } else { "" },
                    usd(a.monthly_usd)
                ),
                None => p.why_not.clone().unwrap_or_else(|| "no answer".into()),
            };
            format!(
                "{} of requests → {} ({} in flight at the peak) — {how}",
                share(p.share),
                p.model,
                p.peak_in_flight
            )
        })
        .collect();
    let label = |p: &PricedSplit| {
        (p.parts.iter())
            .map(|x| format!("{} {}", share(x.share), x.model))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    SplitView {
        parts,
        total: format!("The split: {}", split_total(&sp.split, benchmark)),
        pure: (sp.pure.iter())
            .map(|p| {
                format!(
                    "{} alone: {}",
                    label(p).trim_start_matches("100% "),
                    split_total(p, benchmark)
                )
            })
            .collect(),
        floor: sp.cheapest_clearing_floor.as_ref().map(|p| {
            format!(
                "Cheapest split (in tenths) clearing the quality floor: {} — {}",
                label(p),
                split_total(p, benchmark)
            )
        }),
    }
}

/// The page's bottom line of a plan, its traffic split beside it.
pub fn bottom_line_view(plan: &Plan) -> BottomLineView {
    let b = &plan.bottom_line;
    BottomLineView {
        split: (plan.split.as_ref()).map(|sp| split_view(sp, &plan.scenario.quality_benchmark)),
        summary: b.summary.clone(),
        routes: [Route::Api, Route::Rent, Route::Buy]
            .into_iter()
            .map(|r| route_view(b, r))
            .collect(),
        method: b.method.clone(),
    }
}
