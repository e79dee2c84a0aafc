//! A traffic split (PHYSICS.md §13): a share of the requests to each of two to four models,
//! priced as one deployment. Each part is planned on its own — the scenario with only the
//! part's model, its share of the peak in flight (rounded up) and of the monthly volume — and
//! served the cheapest way its bottom line offers (API, rent or buy). The deployment costs the
//! sum of its parts; its quality is the share-weighted mean score. Beside it: each model alone
//! (the pure fleets), and with a quality floor and two models, the cheapest split on a grid of
//! tenths whose blended score clears the floor.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::error::Result;
use crate::scenario::{Scenario, SplitShare};

use super::bottom_line::Answer;

/// One part of a split, planned and answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SplitPart {
    pub model: String,
    pub share: f64,
    /// Requests in flight at the peak this part serves.
    pub peak_in_flight: u32,
    pub monthly_output_tokens: f64,
    /// The cheapest way to serve this part (its bottom line's API, rent or buy answer).
    pub answer: Option<Answer>,
    /// Why the part has no answer.
    pub why_not: Option<String>,
}

/// A split priced: its parts, what it costs a month and its blended quality.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PricedSplit {
    pub parts: Vec<SplitPart>,
    /// None when a part has no answer.
    pub monthly_usd: Option<f64>,
    pub usd_per_m_output: Option<f64>,
    /// The share-weighted mean score on the scenario's benchmark (None when a part's model
    /// reports none).
    pub quality: Option<f64>,
}

/// The scenario's split, the pure fleets beside it, and the cheapest split clearing a floor.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SplitPlan {
    pub split: PricedSplit,
    /// Each model of the split serving all the traffic.
    pub pure: Vec<PricedSplit>,
    /// With a quality floor and two models: the cheapest split in tenths whose blended score
    /// clears it (None when none does, or without a floor).
    pub cheapest_clearing_floor: Option<PricedSplit>,
}

/// The scenario narrowed to one part: only its model, its share of the peak and the volume.
fn part_scenario(s: &Scenario, model: &str, share: f64) -> Scenario {
    let peak = ((s.peak_in_flight() as f64) * share).ceil().max(1.0) as u32;
    // The part's volume as requests a day, so it is exactly its share of the whole.
    let requests =
        s.monthly_output_tokens() * share / (s.days_per_month * s.output_tokens.max(1) as f64);
    Scenario {
        models: vec![model.to_string()],
        peak_users: peak,
        total_users: 0,
        requests_per_day: requests,
        min_quality: 0.0,
        split: Vec::new(),
        ..s.clone()
    }
}

/// The cheapest answer of a part's bottom line (one meeting the targets before one at risk).
fn cheapest(b: &super::bottom_line::BottomLine) -> Option<Answer> {
    [&b.api, &b.rent, &b.buy]
        .into_iter()
        .flatten()
        .min_by(|x, y| {
            (x.at_risk, x.monthly_usd)
                .partial_cmp(&(y.at_risk, y.monthly_usd))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .cloned()
}

fn price(catalog: &Catalog, s: &Scenario, shares: &[SplitShare]) -> Result<PricedSplit> {
    let mut parts = Vec::with_capacity(shares.len());
    for p in shares {
        let sub = part_scenario(s, &p.model, p.share);
        let planned = super::plan(catalog, &sub)?;
        let answer = cheapest(&planned.bottom_line);
        parts.push(SplitPart {
            model: p.model.clone(),
            share: p.share,
            peak_in_flight: sub.peak_in_flight(),
            monthly_output_tokens: sub.monthly_output_tokens(),
            why_not: answer.is_none().then(|| {
                let w = &planned.bottom_line.why_not;
                (w.rent.clone().or(w.api.clone())).unwrap_or_else(|| "no answer".into())
            }),
            answer,
        });
    }
    let monthly: Option<f64> = parts
        .iter()
        .map(|p| p.answer.as_ref().map(|a| a.monthly_usd))
        .sum();
    let output_m = s.monthly_output_tokens() / 1e6;
    let quality: Option<f64> = parts
        .iter()
        .map(|p| {
            // A model of your own (a pasted config.json) reports no score.
            let m = catalog.model(&p.model).ok()?;
            m.quality_score(&s.quality_benchmark)
                .map(|q| q.score * p.share)
        })
        .sum();
    Ok(PricedSplit {
        parts,
        monthly_usd: monthly,
        usd_per_m_output: monthly.filter(|_| output_m > 0.0).map(|m| m / output_m),
        quality,
    })
}

/// Prices the scenario's split (None without one).
pub(super) fn split_plan(catalog: &Catalog, s: &Scenario) -> Result<Option<SplitPlan>> {
    if s.split.is_empty() {
        return Ok(None);
    }
    let split = price(catalog, s, &s.split)?;
    let mut pure = Vec::with_capacity(s.split.len());
    for p in &s.split {
        let alone = [SplitShare {
            model: p.model.clone(),
            share: 1.0,
        }];
        pure.push(price(catalog, s, &alone)?);
    }
    let mut cheapest_clearing_floor: Option<PricedSplit> = None;
    if s.min_quality > 0.0 && s.split.len() == 2 {
        let (a, b) = (&s.split[0].model, &s.split[1].model);
        for tenth in 0..=10 {
            let share = tenth as f64 / 10.0;
            let candidate = match tenth {
                0 => pure[1].clone(),
                10 => pure[0].clone(),
                _ => price(
                    catalog,
                    s,
                    &[
                        SplitShare {
                            model: a.clone(),
                            share,
                        },
                        SplitShare {
                            model: b.clone(),
                            share: 1.0 - share,
                        },
                    ],
                )?,
            };
            let clears = candidate.quality.is_some_and(|q| q >= s.min_quality);
            let cheaper = match (&cheapest_clearing_floor, candidate.monthly_usd) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(best), Some(m)) => best.monthly_usd.is_none_or(|b| m < b),
            };
            if clears && cheaper {
                cheapest_clearing_floor = Some(candidate);
            }
        }
    }
    Ok(Some(SplitPlan {
        split,
        pure,
        cheapest_clearing_floor,
    }))
}
