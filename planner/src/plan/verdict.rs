//! The article's final-verdict categories, computed for the scenario: output quality,
//! inference speed, hardware friendliness and cost efficiency, each with a one-line reason.

use crate::catalog::model::Model;
use crate::money::ApiCost;
use crate::physics::GB;

use super::options::{Options, PlanOption, Row};
use super::priced::cheapest;
use super::Verdict;

fn money(v: f64) -> String {
    if v >= 100.0 {
        format!("${:.0}", v)
    } else {
        format!("${v:.2}")
    }
}

/// A model, its score and the words explaining it.
type Scored = (String, f64, String);

/// Picks the model with the best value of `score` (higher is better unless `lower`), and the
/// runner-up for the reason line.
fn best_model(scores: &[Scored], lower: bool) -> Option<(&Scored, Option<&Scored>)> {
    let mut sorted: Vec<&Scored> = scores.iter().collect();
    sorted.sort_by(|a, b| {
        if lower {
            a.1.total_cmp(&b.1)
        } else {
            b.1.total_cmp(&a.1)
        }
    });
    let first = *sorted.first()?;
    Some((first, sorted.get(1).copied()))
}

/// Per model, the rows the verdict compares — the fastest meeting the targets, the one fitting
/// in the least memory (in bytes), the cheapest per token meeting the targets — as (value, row
/// index).
/// The plan updates these as it builds rows, so the verdict never walks the rows again.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Leaders {
    speed: Option<(f64, usize)>,
    hardware: Option<(f64, usize)>,
    cost: Option<(f64, usize)>,
}

/// Takes `v` of row `i` when strictly better (lower or higher); the first of equals stays.
fn keep_best(best: &mut Option<(f64, usize)>, v: f64, i: usize, lower: bool) {
    match best {
        Some((b, _)) if !((v < *b) == lower && v != *b) => {}
        _ => *best = Some((v, i)),
    }
}

impl Leaders {
    /// Considers row `i`, its cheapest cost per M output tokens `per_m` (its price's).
    /// `available`: the bytes its engine may use (the hardware it asks for).
    pub(super) fn consider(&mut self, i: usize, r: &Row, per_m: Option<f64>, available: f64) {
        if r.fits {
            keep_best(&mut self.hardware, available, i, true);
        }
        if !r.meets_targets {
            return;
        }
        if let Some(speed) = r.speed() {
            keep_best(&mut self.speed, speed, i, false);
        }
        if let Some(c) = per_m {
            keep_best(&mut self.cost, c, i, true);
        }
    }
}

pub(super) fn verdict(
    models: &[Model],
    options: &Options,
    leaders: &[Leaders],
    api: &[ApiCost],
    benchmark: &str,
) -> Vec<Verdict> {
    let decide = |category: &str,
                  scores: Vec<(String, f64, String)>,
                  lower: bool,
                  unit: &dyn Fn(f64) -> String,
                  none: &str| {
        match best_model(&scores, lower) {
            None => Verdict {
                category: category.into(),
                winner: None,
                reason: none.into(),
            },
            Some((first, second)) => {
                let tie =
                    second.is_some_and(|s| (s.1 - first.1).abs() <= 1e-9 * first.1.abs().max(1.0));
                let reason = match second {
                    Some(s) => format!(
                        "{}: {} {} vs {}: {} {}",
                        first.0,
                        unit(first.1),
                        first.2,
                        s.0,
                        unit(s.1),
                        s.2
                    ),
                    None => format!(
                        "{}: {} {} (the only model with data)",
                        first.0,
                        unit(first.1),
                        first.2
                    ),
                };
                Verdict {
                    category: category.into(),
                    winner: Some(if tie { "tie".into() } else { first.0.clone() }),
                    reason,
                }
            }
        }
    };
    let quality: Vec<(String, f64, String)> = models
        .iter()
        .filter_map(|m| {
            m.quality_score(benchmark).map(|q| {
                (
                    m.id.clone(),
                    q.score,
                    format!("({}, {})", q.setting, q.source),
                )
            })
        })
        .collect();
    // Per model, the best option by a measure; the reason is worded for the winner only (the
    // grid can hold tens of thousands of options).
    let per_model = |pick: &dyn Fn(&Leaders) -> Option<(f64, usize)>,
                     why: &dyn Fn(&PlanOption) -> String|
     -> Vec<(String, f64, String)> {
        models
            .iter()
            .zip(leaders)
            .filter_map(|(m, l)| pick(l).map(|(v, i)| (m.id.clone(), v, why(&options.record(i)))))
            .collect()
    };
    let speed = per_model(&|l| l.speed, &|o| {
        format!(
            "tok/s per user on {}x {} ({}, {})",
            o.gpus_per_replica, o.gpu_name, o.quant, o.engine
        )
    });
    let hardware = per_model(&|l| l.hardware.map(|(bytes, i)| (bytes / GB, i)), &|o| {
        format!(
            "GB usable on {}x {} ({})",
            o.gpus_per_replica, o.gpu_name, o.quant
        )
    });
    let mut cost = per_model(&|l| l.cost, &|o: &PlanOption| match cheapest(
        o.local_usd_per_m_output,
        o.cloud_usd_per_m_output,
    ) {
        Some((_, true)) => format!(
            "per M output tokens, local {}x {}",
            o.gpus_per_replica, o.gpu_name
        ),
        _ => format!(
            "per M output tokens, {} {}x {}",
            o.cloud.as_ref().map_or("", |c| &*c.rented.provider),
            o.gpus_per_replica,
            o.gpu_name
        ),
    });
    for m in models {
        if let Some(a) = api.iter().filter(|a| a.model == m.id).min_by(|a, b| {
            a.usd_per_m_output_tokens
                .total_cmp(&b.usd_per_m_output_tokens)
        }) {
            let entry = (
                m.id.clone(),
                a.usd_per_m_output_tokens,
                format!(
                    "per M output tokens via {} API (input included)",
                    a.provider
                ),
            );
            match cost.iter_mut().find(|c| c.0 == m.id) {
                Some(c) if c.1 <= entry.1 => {}
                Some(c) => *c = entry,
                None => cost.push(entry),
            }
        }
    }
    vec![
        decide(
            "Output quality",
            quality,
            false,
            &|v| format!("{benchmark} {v:.1}"),
            "no published score for these models in the catalog",
        ),
        decide(
            "Inference speed",
            speed,
            false,
            &|v| format!("{v:.0}"),
            "no option meets the targets",
        ),
        decide(
            "Hardware friendliness",
            hardware,
            true,
            &|v| format!("{v:.0}"),
            "no option fits",
        ),
        decide(
            "Cost efficiency",
            cost,
            true,
            &|v| money(v),
            "no option meets the targets and no API price",
        ),
    ]
}
