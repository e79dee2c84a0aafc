//! The bottom line (PHYSICS.md §12): for the scenario, the best way to call an API, to rent
//! GPUs and to buy them, which of the three to take, when buying pays back and below what
//! volume the API costs less — said in one sentence.
//!
//! Without a quality floor "best" puts quality first, because the user chose the models to
//! compare: the model with the best score on the scenario's benchmark a route can serve within
//! the targets, then the cheapest way to serve it. With a floor, every model clearing it is
//! good enough and cost decides. Options count only when they meet the targets, which the plan
//! judges at the pessimistic end of every band. Hosted APIs publish no speed we could hold them
//! to, so an API answer is priced, not judged on speed; the sentence says so.

use serde::Serialize;

use crate::catalog::model::Model;
use crate::money::{usd, ApiCost};
use crate::scenario::Scenario;

use super::options::{Options, Row};

/// The three ways to serve a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Route {
    Api,
    Rent,
    Buy,
}

impl Route {
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Api => "api",
            Route::Rent => "rent",
            Route::Buy => "buy",
        }
    }
}

/// A model's headline score, with what it was measured with and where it was published.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quality {
    pub benchmark: String,
    pub score: f64,
    pub setting: String,
    pub source: String,
}

/// One route's answer: what to run, where, and what it costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    pub route: Route,
    pub model: String,
    /// The weight format (None for an API: the provider's own).
    pub quant: Option<String>,
    pub engine: Option<String>,
    /// GPU id, GPUs per replica and replicas (None for an API).
    pub gpu: Option<String>,
    pub gpu_name: Option<String>,
    pub gpus_per_replica: Option<u32>,
    pub replicas: Option<u32>,
    /// The cloud provider rented from, or the API's provider.
    pub provider: Option<String>,
    /// Rent: billed usage hours; buy: purchase spread over the amortization months plus power;
    /// API: the scenario's tokens at its prices.
    pub monthly_usd: f64,
    /// Buy only: GPUs and hosts.
    pub one_time_usd: Option<f64>,
    /// Buy only: power a month.
    pub monthly_power_usd: Option<f64>,
    pub usd_per_m_output: f64,
    /// No option of this route meets the targets at its bands' pessimistic ends; this one
    /// meets them on its expected figures only (`PlanOption::at_risk`).
    pub at_risk: bool,
    pub quality: Option<Quality>,
    /// The plan option's key (model|quant|gpu|count|engine) for its details; None for an API.
    pub key: Option<String>,
    /// The other models by the same route — on the same hardware for rent and buy — so the
    /// models are compared side by side, not on different hardware.
    pub alternatives: Vec<Alternative>,
}

impl Answer {
    /// A self-hosted answer's fleet in words: "3 replicas of 2× H100 SXM5 80GB", or the one
    /// replica's GPUs (empty for an API answer).
    pub fn fleet(&self) -> String {
        let Some(gpu) = self.gpu_name.as_deref() else {
            return String::new();
        };
        let each = format!("{}× {gpu}", self.gpus_per_replica.unwrap_or(1));
        match self.replicas {
            Some(n) if n > 1 => format!("{n} replicas of {each}"),
            _ => each,
        }
    }
}

/// Another model served the same way (on the same hardware for rent and buy).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alternative {
    pub model: String,
    pub quant: Option<String>,
    pub monthly_usd: Option<f64>,
    pub usd_per_m_output: Option<f64>,
    pub replicas: Option<u32>,
    pub quality: Option<Quality>,
    /// Why it has no cost when it has none ("does not fit", "misses the targets").
    pub standing: Option<String>,
}

/// Months until buying pays back against renting and against the API, and the output volume
/// below which the API costs less than the cheaper self-hosted answer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakEven {
    pub buy_vs_rent_months: Option<f64>,
    pub buy_vs_api_months: Option<f64>,
    /// Output tokens a day (millions) at which the API's bill equals the self-hosted monthly
    /// cost: below it the API is cheaper than that fleet.
    pub api_below_m_output_per_day: Option<f64>,
}

/// The bottom line of a plan. `api`, `rent` and `buy` are null when the route has no answer,
/// with the reason in `why_not`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BottomLine {
    pub api: Option<Answer>,
    pub rent: Option<Answer>,
    pub buy: Option<Answer>,
    pub why_not: WhyNot,
    /// The route to take: the best quality, then the lowest monthly cost.
    pub best: Option<Route>,
    pub break_even: BreakEven,
    /// The answer in one sentence.
    pub summary: String,
    /// How the answers were chosen.
    pub method: String,
}

/// Why a route has no answer.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhyNot {
    pub api: Option<String>,
    pub rent: Option<String>,
    pub buy: Option<String>,
}

/// What the bottom line reads from a plan.
pub(super) struct Inputs<'a> {
    pub models: &'a [Model],
    /// Each model's quality level (0 = best; `rank::quality_levels`).
    pub levels: &'a [u32],
    /// Whether each model clears the scenario's quality floor.
    pub passes: &'a [bool],
    pub options: &'a Options,
    pub api: &'a [ApiCost],
    pub scenario: &'a Scenario,
}

impl Inputs<'_> {
    /// How a route ranks model `i`: None below the quality floor (never an answer); with a
    /// floor, every model clearing it alike (cost decides); without one, its quality level.
    fn level_of(&self, i: usize) -> Option<u32> {
        if !self.passes[i] {
            None
        } else if self.scenario.min_quality > 0.0 {
            Some(0)
        } else {
            Some(self.levels[i])
        }
    }

    /// `level_of` by model id (None for an id the plan does not hold).
    fn level_of_id(&self, id: &str) -> Option<u32> {
        (self.models.iter().position(|m| m.id == id)).and_then(|i| self.level_of(i))
    }
}

fn quality(m: &Model, benchmark: &str) -> Option<Quality> {
    m.quality_score(benchmark).map(|q| Quality {
        benchmark: q.benchmark.clone(),
        score: q.score,
        setting: q.setting.clone(),
        source: q.source.clone(),
    })
}

/// A self-hosted route's monthly cost of a row (None when the route cannot price it).
fn route_cost(o: &Options, r: &Row, route: Route) -> Option<f64> {
    let p = &o.names.prices[r.price as usize];
    match route {
        Route::Rent => p.cloud_monthly,
        Route::Buy => p.local_monthly,
        Route::Api => None,
    }
}

/// The row a self-hosted route takes among those `keep` allows: the best quality level, then
/// the lowest monthly cost, then the fastest, then plan order.
fn pick_row(
    inp: &Inputs,
    route: Route,
    keep: impl Fn(&Row) -> bool,
    level: impl Fn(&Row) -> u32,
) -> Option<usize> {
    let o = inp.options;
    let mut best: Option<(u32, f64, f64, usize)> = None;
    for (i, r) in o.rows.iter().enumerate() {
        if !keep(r) {
            continue;
        }
        let Some(cost) = route_cost(o, r, route) else {
            continue;
        };
        let key = (level(r), cost, -r.speed().unwrap_or(0.0), i);
        let better = best.is_none_or(|b| {
            (key.0, key.1, key.2)
                .partial_cmp(&(b.0, b.1, b.2))
                .is_some_and(|c| c.is_lt())
        });
        if better {
            best = Some(key);
        }
    }
    best.map(|b| b.3)
}

fn hosted(inp: &Inputs, i: usize, route: Route) -> Answer {
    let o = inp.options;
    let rec = o.record(i);
    let r = &o.rows[i];
    let model = &inp.models[r.model as usize];
    let monthly = route_cost(o, r, route).unwrap_or(f64::NAN);
    let per_m = o.names.per_m(monthly);
    // One pass over the rows on this hardware: per model, its cheapest option meeting the
    // targets by this route (then the fastest), and whether any of its options was planned
    // here or fits (a whole-catalog plan has 150k rows and thirty models).
    let n = inp.models.len();
    let mut best: Vec<Option<(f64, f64, usize)>> = vec![None; n];
    let (mut planned, mut fits) = (vec![false; n], vec![false; n]);
    for (j, x) in o.rows.iter().enumerate() {
        if x.gpu != r.gpu || x.gpus != r.gpus {
            continue;
        }
        let mi = x.model as usize;
        planned[mi] = true;
        fits[mi] |= x.fits;
        if !x.meets_targets {
            continue;
        }
        let Some(cost) = route_cost(o, x, route) else {
            continue;
        };
        let key = (cost, -x.speed().unwrap_or(0.0), j);
        if best[mi].is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
            best[mi] = Some(key);
        }
    }
    let alternatives = (inp.models.iter().enumerate())
        .filter(|(mi, _)| *mi != r.model as usize)
        .map(|(mi, m)| {
            let below = !inp.passes[mi];
            match best[mi] {
                Some((cost, _, j)) => {
                    let x = &o.rows[j];
                    Alternative {
                        model: m.id.clone(),
                        quant: Some(o.names.quants[x.quant as usize].to_string()),
                        monthly_usd: Some(cost),
                        usd_per_m_output: Some(o.names.per_m(cost)),
                        replicas: Some(x.replicas),
                        quality: quality(m, &inp.scenario.quality_benchmark),
                        standing: below.then(|| BELOW_FLOOR.into()),
                    }
                }
                None => Alternative {
                    model: m.id.clone(),
                    quant: None,
                    monthly_usd: None,
                    usd_per_m_output: None,
                    replicas: None,
                    quality: quality(m, &inp.scenario.quality_benchmark),
                    standing: Some(
                        if fits[mi] {
                            "misses the targets on this hardware"
                        } else if !planned[mi] {
                            "not planned on this hardware"
                        } else {
                            "does not fit this hardware"
                        }
                        .into(),
                    ),
                },
            }
        })
        .collect();
    Answer {
        route,
        model: model.id.clone(),
        quant: Some(rec.quant.to_string()),
        engine: Some(rec.engine.to_string()),
        gpu: Some(rec.gpu.to_string()),
        gpu_name: Some(rec.gpu_name.to_string()),
        gpus_per_replica: Some(rec.gpus_per_replica),
        replicas: Some(rec.replicas),
        provider: match route {
            Route::Rent => rec.cloud.as_ref().map(|c| c.rented.provider.to_string()),
            _ => None,
        },
        monthly_usd: monthly,
        one_time_usd: match route {
            Route::Buy => rec.local.as_ref().map(|l| l.one_time_usd),
            _ => None,
        },
        monthly_power_usd: match route {
            Route::Buy => rec.local.as_ref().and_then(|l| l.monthly_power_usd),
            _ => None,
        },
        usd_per_m_output: per_m,
        at_risk: rec.at_risk,
        quality: quality(model, &inp.scenario.quality_benchmark),
        key: Some(rec.key()),
        alternatives,
    }
}

fn api_answer(inp: &Inputs) -> Option<Answer> {
    let level = |a: &ApiCost| inp.level_of_id(&a.model).unwrap_or(u32::MAX);
    fn best<'a>(
        of: impl Iterator<Item = &'a ApiCost>,
        level: &dyn Fn(&ApiCost) -> u32,
    ) -> Option<&'a ApiCost> {
        of.min_by(|a, b| {
            (level(a), a.monthly_usd)
                .partial_cmp(&(level(b), b.monthly_usd))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
    }
    let a = best(
        inp.api
            .iter()
            .filter(|a| inp.level_of_id(&a.model).is_some()),
        &level,
    )?;
    let model = inp.models.iter().find(|m| m.id == a.model)?;
    let alternatives = (inp.models.iter())
        .filter(|m| m.id != a.model)
        .map(|m| {
            let cheapest = best(inp.api.iter().filter(|x| x.model == m.id), &level);
            Alternative {
                model: m.id.clone(),
                quant: None,
                monthly_usd: cheapest.map(|x| x.monthly_usd),
                usd_per_m_output: cheapest.map(|x| x.usd_per_m_output_tokens),
                replicas: None,
                quality: quality(m, &inp.scenario.quality_benchmark),
                standing: if inp.level_of_id(&m.id).is_none() {
                    Some(BELOW_FLOOR.into())
                } else {
                    cheapest
                        .is_none()
                        .then(|| "no API price in the catalog".into())
                },
            }
        })
        .collect();
    Some(Answer {
        route: Route::Api,
        model: model.id.clone(),
        quant: None,
        engine: None,
        gpu: None,
        gpu_name: None,
        gpus_per_replica: None,
        replicas: None,
        provider: Some(a.provider.clone()),
        monthly_usd: a.monthly_usd,
        one_time_usd: None,
        monthly_power_usd: None,
        usd_per_m_output: a.usd_per_m_output_tokens,
        at_risk: false,
        quality: quality(model, &inp.scenario.quality_benchmark),
        key: None,
        alternatives,
    })
}

/// What an alternative below the scenario's quality floor says.
const BELOW_FLOOR: &str = "below the quality floor";

/// Why a self-hosted route has no answer.
fn why_not_hosted(inp: &Inputs, route: Route) -> String {
    let rows = &inp.options.rows;
    let priced = |r: &Row| route_cost(inp.options, r, route).is_some();
    if rows.is_empty() {
        "no configuration of the chosen models, formats and GPUs was planned".into()
    } else if !rows.iter().any(|r| r.fits) {
        "nothing fits the chosen GPUs".into()
    } else if !inp.passes.iter().any(|p| *p) {
        "no chosen model clears the quality floor".into()
    } else if !rows
        .iter()
        .any(|r| r.meets_targets && inp.passes[r.model as usize])
    {
        "no option meets the speed and TTFT targets at the pessimistic end of its bands".into()
    } else if !rows.iter().any(|r| r.meets_targets && priced(r)) {
        match route {
            Route::Rent => "no cloud offer in the catalog rents the GPUs of the options meeting \
                            the targets"
                .into(),
            _ => "no purchase price in the catalog for the GPUs of the options meeting the \
                  targets"
                .into(),
        }
    } else {
        "no answer".into()
    }
}

/// Past this many months a payback is worded as "does not pay back" (GPUs are replaced well
/// before ten years).
pub const PAYBACK_HORIZON_MONTHS: f64 = 120.0;

fn months(one_time: f64, saved_a_month: f64) -> Option<f64> {
    (saved_a_month > 0.0).then(|| one_time / saved_a_month)
}

fn describe(a: &Answer) -> String {
    let hw = || a.fleet();
    let format = a.quant.as_deref().unwrap_or("");
    match a.route {
        Route::Api => format!(
            "call {} through {}'s API for {} a month ({} per M output tokens)",
            a.model,
            a.provider.as_deref().unwrap_or("a provider"),
            usd(a.monthly_usd),
            usd(a.usd_per_m_output)
        ),
        Route::Rent => format!(
            "rent {} from {} to run {} ({format}) for {} a month ({} per M output tokens)",
            hw(),
            a.provider.as_deref().unwrap_or("a cloud"),
            a.model,
            usd(a.monthly_usd),
            usd(a.usd_per_m_output)
        ),
        Route::Buy => format!(
            "buy {} for {} to run {} ({format}), {} a month over the amortization with power \
             ({} per M output tokens)",
            hw(),
            usd(a.one_time_usd.unwrap_or(f64::NAN)),
            a.model,
            usd(a.monthly_usd),
            usd(a.usd_per_m_output)
        ),
    }
}

fn summary(b: &BottomLine, s: &Scenario) -> String {
    let answers = [&b.api, &b.rent, &b.buy];
    let Some(best) = b.best.and_then(|r| {
        answers
            .iter()
            .find_map(|a| a.as_ref().filter(|a| a.route == r))
    }) else {
        let w = &b.why_not;
        let mut why: Vec<&str> = [&w.api, &w.rent, &w.buy]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        why.dedup();
        return format!("No route serves this scenario: {}.", why.join("; "));
    };
    let mut out = capitalize(&describe(best));
    if best.at_risk {
        out.push_str(" — at risk: it meets the targets on its expected figures, not at the pessimistic end of its bands");
    }
    out.push('.');
    let others: Vec<String> = (answers.iter().filter_map(|a| a.as_ref()))
        .filter(|a| a.route != best.route)
        .map(|a| {
            let model = if a.model == best.model {
                String::new()
            } else {
                format!(" {}", a.model)
            };
            let how = match a.route {
                Route::Api => a.provider.clone().map(|p| format!(" via {p}")),
                _ => a.gpu_name.as_ref().map(|g| {
                    format!(
                        " on {}× {g}",
                        a.gpus_per_replica.unwrap_or(1) * a.replicas.unwrap_or(1).max(1)
                    )
                }),
            };
            format!(
                "{}{model}{}{} costs {} a month{}",
                verb(a.route),
                how.unwrap_or_default(),
                if a.at_risk { " (at risk)" } else { "" },
                usd(a.monthly_usd),
                a.one_time_usd
                    .map_or(String::new(), |u| format!(" ({} once)", usd(u)))
            )
        })
        .collect();
    if !others.is_empty() {
        out.push_str(&format!(" Otherwise {}.", others.join("; ")));
    }
    match (b.break_even.buy_vs_rent_months, &b.rent, &b.buy) {
        (Some(m), Some(_), Some(_)) if m <= PAYBACK_HORIZON_MONTHS => out.push_str(&format!(
            " Buying pays back against renting after {:.0} months.",
            m.ceil()
        )),
        (_, Some(_), Some(_)) => out.push_str(&format!(
            " Buying does not pay back against renting within {PAYBACK_HORIZON_MONTHS:.0} months."
        )),
        _ => {}
    }
    if let Some(t) = b.break_even.api_below_m_output_per_day {
        let now = s.monthly_output_tokens() / 1e6 / s.days_per_month;
        out.push_str(&format!(
            " Below {} M output tokens a day the API costs less than self-hosting (this load: {} M).",
            tokens(t),
            tokens(now)
        ));
    }
    out
}

fn verb(r: Route) -> &'static str {
    match r {
        Route::Api => "the API",
        Route::Rent => "renting",
        Route::Buy => "buying",
    }
}

fn tokens(m: f64) -> String {
    if m >= 10.0 {
        format!("{m:.0}")
    } else if m >= 1.0 {
        format!("{m:.1}")
    } else {
        format!("{m:.2}")
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// How each route chose its model, in words.
fn choice(s: &Scenario) -> String {
    let b = &s.quality_benchmark;
    if s.min_quality > 0.0 {
        format!(
            "Each route's answer is the cheapest way to serve a model scoring at least {} on \
             {b} (the quality floor);",
            s.min_quality
        )
    } else {
        format!(
            "Each route's answer is the best-scoring model on {b} it can serve, then the \
             cheapest way to serve it;"
        )
    }
}

pub(super) fn bottom_line(inp: &Inputs) -> BottomLine {
    let level = |r: &Row| inp.level_of(r.model as usize).unwrap_or(u32::MAX);
    let clears = |r: &Row| inp.passes[r.model as usize];
    // Options meeting the targets at the pessimistic end first; failing those, one meeting
    // them on its expected figures, said to be at risk.
    let take = |route| {
        pick_row(inp, route, |r| r.meets_targets && clears(r), level)
            .or_else(|| pick_row(inp, route, |r| inp.options.at_risk(r) && clears(r), level))
            .map(|i| hosted(inp, i, route))
    };
    let (rent, buy) = (take(Route::Rent), take(Route::Buy));
    let api = api_answer(inp);
    let why_not = WhyNot {
        api: api.is_none().then(|| {
            if !inp.passes.iter().any(|p| *p) {
                "no chosen model clears the quality floor".into()
            } else if inp.scenario.min_quality > 0.0 {
                "no API price in the catalog for the chosen models clearing the quality floor"
                    .into()
            } else {
                "no API price in the catalog for the chosen models".into()
            }
        }),
        rent: rent.is_none().then(|| why_not_hosted(inp, Route::Rent)),
        buy: buy.is_none().then(|| why_not_hosted(inp, Route::Buy)),
    };
    let model_level = |a: &Answer| inp.level_of_id(&a.model).unwrap_or(u32::MAX);
    let best = [&api, &rent, &buy]
        .into_iter()
        .flatten()
        .min_by(|a, b| {
            (model_level(a), a.monthly_usd)
                .partial_cmp(&(model_level(b), b.monthly_usd))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|a| a.route);
    let self_hosted = [&rent, &buy]
        .into_iter()
        .flatten()
        .map(|a| a.monthly_usd)
        .min_by(f64::total_cmp);
    let break_even = BreakEven {
        buy_vs_rent_months: buy.as_ref().zip(rent.as_ref()).and_then(|(b, r)| {
            months(
                b.one_time_usd?,
                r.monthly_usd - b.monthly_power_usd.unwrap_or(0.0),
            )
        }),
        buy_vs_api_months: buy.as_ref().zip(api.as_ref()).and_then(|(b, a)| {
            months(
                b.one_time_usd?,
                a.monthly_usd - b.monthly_power_usd.unwrap_or(0.0),
            )
        }),
        api_below_m_output_per_day: api.as_ref().zip(self_hosted).and_then(|(a, hosted)| {
            (a.usd_per_m_output > 0.0)
                .then(|| hosted / a.usd_per_m_output / inp.scenario.days_per_month)
        }),
    };
    let mut b = BottomLine {
        api,
        rent,
        buy,
        why_not,
        best,
        break_even,
        summary: String::new(),
        method: format!(
            "{} GPU options count only when they meet the speed \
             and TTFT targets at the pessimistic end of their bands. API providers' speed is not \
             modelled: an API answer is priced, not held to the targets. The break-even volume \
             holds this load's fleet fixed.",
            choice(inp.scenario)
        ),
    };
    b.summary = summary(&b, inp.scenario);
    b
}
