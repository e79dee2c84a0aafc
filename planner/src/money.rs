//! Money (PHYSICS.md §8): cloud rental per instance, local purchase with power and
//! break-even, and hosted-API prices for the same tokens.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::catalog::gpu::{Gpu, Price};
use crate::catalog::prices::{ApiPrice, CloudOffer};
use crate::scenario::{Scenario, PRICE_BASIS_CHEAPEST};

pub use crate::dollars::usd;

/// Hours in an average month, for always-on billing.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// Renting an option's replicas. The offer's own fields (provider, offer, price per instance
/// hour, pricing type, date, source, user_supplied) appear flattened beside the costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloudCost {
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(value_type = CloudOffer))]
    pub rented: Arc<CloudOffer>,
    pub instances: u32,
    /// Billed for usage hours only (the optimistic case: stop instances outside them).
    pub monthly_usage_usd: f64,
    /// Billed 730 hours a month.
    pub monthly_always_on_usd: f64,
}

/// Instances of an offer needed for `replicas` replicas of `gpus` GPUs each. A replica must
/// fit inside one instance (tensor parallelism across instances is not offered).
pub fn instances_needed(offer: &CloudOffer, gpus: u32, replicas: u32) -> Option<u32> {
    if gpus == 0 || offer.gpus_per_instance < gpus {
        return None;
    }
    let per_instance = offer.gpus_per_instance / gpus;
    Some(replicas.div_ceil(per_instance))
}

pub fn cloud_cost(
    offer: &Arc<CloudOffer>,
    gpus: u32,
    replicas: u32,
    usage_hours: f64,
) -> Option<CloudCost> {
    let instances = instances_needed(offer, gpus, replicas)?;
    let hourly = instances as f64 * offer.usd_per_instance_hour;
    Some(CloudCost {
        rented: offer.clone(),
        instances,
        monthly_usage_usd: hourly * usage_hours,
        monthly_always_on_usd: hourly * HOURS_PER_MONTH,
    })
}

/// An offer the scenario's price basis allows, with its on-demand flag worked out once (the
/// plan prices thousands of options against the same few offers).
#[derive(Debug, Clone, Copy)]
pub struct Allowed<'a> {
    pub offer: &'a Arc<CloudOffer>,
    pub on_demand: bool,
}

/// The offers a price basis allows: every provider's for "cheapest", else the named one's.
pub fn allowed<'a>(
    offers: impl Iterator<Item = &'a Arc<CloudOffer>>,
    basis: &str,
) -> Vec<Allowed<'a>> {
    let any = basis == PRICE_BASIS_CHEAPEST;
    offers
        .filter(|o| any || o.provider.eq_ignore_ascii_case(basis))
        .map(|o| Allowed {
            offer: o,
            on_demand: o.is_on_demand(),
        })
        .collect()
}

/// The offer to rent `replicas` replicas of `gpus` GPUs from, as an index into `offers`: the
/// cheapest on-demand offer (any offer when none is on-demand) among those the basis allows.
pub fn pick_offer(offers: &[Allowed], gpus: u32, replicas: u32) -> Option<usize> {
    let mut best_on_demand: Option<(usize, f64)> = None;
    let mut best_any: Option<(usize, f64)> = None;
    for (i, a) in offers.iter().enumerate() {
        let Some(n) = instances_needed(a.offer, gpus, replicas) else {
            continue;
        };
        let c = n as f64 * a.offer.usd_per_instance_hour;
        if best_any.is_none_or(|(_, b)| c < b) {
            best_any = Some((i, c));
        }
        if a.on_demand && best_on_demand.is_none_or(|(_, b)| c < b) {
            best_on_demand = Some((i, c));
        }
    }
    best_on_demand.or(best_any).map(|(i, _)| i)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalCost {
    /// GPUs and hosts for every replica.
    pub one_time_usd: f64,
    /// One GPU's purchase price, with its basis, source and date.
    #[cfg_attr(feature = "openapi", schema(value_type = Price))]
    pub gpu_price: Arc<Price>,
    /// Energy a month (None when the GPU has no sourced TDP).
    pub monthly_power_usd: Option<f64>,
    /// Purchase spread over the amortization months, plus power.
    pub monthly_amortized_usd: Option<f64>,
    /// Month at which buying beats renting (None when local costs more a month, or no cloud).
    pub break_even_month: Option<f64>,
    pub watts: Option<f64>,
    pub user_supplied: bool,
}

/// The figures of buying an option's GPUs, without the price record: what the plan needs for
/// every option (`local_cost` adds the record and the break-even for the options shown).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalFigures {
    pub one_time_usd: f64,
    pub watts: Option<f64>,
    pub monthly_power_usd: Option<f64>,
    pub monthly_amortized_usd: Option<f64>,
}

/// None when the GPU has no sourced purchase price.
pub fn local_figures(gpu: &Gpu, gpus: u32, replicas: u32, s: &Scenario) -> Option<LocalFigures> {
    let price = gpu.price.as_ref()?;
    let n = (gpus * replicas) as f64;
    let one_time = n * price.usd + replicas as f64 * s.host_cost_usd;
    let watts = gpu.tdp_w.map(|w| w * n);
    let monthly_power = watts.map(|w| {
        let busy_kwh = w * s.usage_hours_per_month() / 1000.0;
        let idle_hours = (HOURS_PER_MONTH - s.usage_hours_per_month()).max(0.0);
        let idle_kwh = s.idle_watts_per_gpu * n * idle_hours / 1000.0;
        (busy_kwh + idle_kwh) * s.pue * s.kwh_price
    });
    Some(LocalFigures {
        one_time_usd: one_time,
        watts,
        monthly_power_usd: monthly_power,
        monthly_amortized_usd: monthly_power.map(|p| one_time / s.amortization_months as f64 + p),
    })
}

pub fn local_cost(
    gpu: &Gpu,
    gpus: u32,
    replicas: u32,
    s: &Scenario,
    cloud_monthly: Option<f64>,
) -> Option<LocalCost> {
    let f = local_figures(gpu, gpus, replicas, s)?;
    let break_even_month = match (cloud_monthly, f.monthly_power_usd) {
        (Some(c), Some(p)) if c > p => Some(f.one_time_usd / (c - p)),
        _ => None,
    };
    Some(LocalCost {
        one_time_usd: f.one_time_usd,
        gpu_price: gpu.price.clone()?,
        monthly_power_usd: f.monthly_power_usd,
        monthly_amortized_usd: f.monthly_amortized_usd,
        break_even_month,
        watts: f.watts,
        user_supplied: gpu.user_supplied,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiCost {
    pub model: String,
    pub provider: String,
    pub label: String,
    pub usd_per_m_input: f64,
    pub usd_per_m_output: f64,
    pub monthly_usd: f64,
    pub usd_per_m_output_tokens: f64,
    pub price_date: String,
    pub source: String,
}

pub fn api_cost(p: &ApiPrice, s: &Scenario) -> ApiCost {
    let input_m = s.monthly_input_tokens() / 1e6;
    let output_m = s.monthly_output_tokens() / 1e6;
    let monthly = input_m * p.usd_per_m_input + output_m * p.usd_per_m_output;
    ApiCost {
        model: p.model_id.clone(),
        provider: p.provider.clone(),
        label: p.label.clone(),
        usd_per_m_input: p.usd_per_m_input,
        usd_per_m_output: p.usd_per_m_output,
        monthly_usd: monthly,
        usd_per_m_output_tokens: if output_m > 0.0 {
            monthly / output_m
        } else {
            0.0
        },
        price_date: p.price_date.clone(),
        source: p.source.clone(),
    }
}
