//! What renting and buying an option's replicas costs a month, worked out once per GPU choice
//! and replica count: every format and engine of a GPU choice needing as many replicas costs
//! the same.

use crate::catalog::gpu::Gpu;
use crate::money::{instances_needed, local_figures, pick_offer, Allowed};
use crate::scenario::Scenario;

/// What renting and buying an option's replicas costs a month.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Priced {
    /// The offer rented (index into the plan's offers) and its instances.
    pub offer: Option<(u32, u32)>,
    /// Billed for the usage hours.
    pub cloud_monthly: Option<f64>,
    /// Amortized purchase plus power.
    pub local_monthly: Option<f64>,
}

impl Priced {
    /// `allowed`: the offers for this GPU the price basis allows; `index`: each one's index in
    /// the plan's offers.
    pub fn new(
        gpu: &Gpu,
        gpus: u32,
        replicas: u32,
        allowed: &[Allowed],
        index: &[u32],
        s: &Scenario,
    ) -> Priced {
        let rented = pick_offer(allowed, gpus, replicas).and_then(|i| {
            let o = allowed[i].offer;
            let n = instances_needed(o, gpus, replicas)?;
            Some((index[i], n, n as f64 * o.usd_per_instance_hour))
        });
        Priced {
            offer: rented.map(|(i, n, _)| (i, n)),
            cloud_monthly: rented.map(|(.., hourly)| hourly * s.usage_hours_per_month()),
            local_monthly: local_figures(gpu, gpus, replicas, s)
                .and_then(|l| l.monthly_amortized_usd),
        }
    }
}

/// Prices per GPU choice and replica count, for the small counts most options need.
pub(super) struct PriceMemo {
    prices: Vec<Option<Priced>>,
    per_choice: usize,
}

impl PriceMemo {
    /// For `choices` GPU choices and a peak of `peak` users (at most that many replicas).
    pub fn new(choices: usize, peak: u32) -> Self {
        let per_choice = peak.clamp(1, 32) as usize + 1;
        PriceMemo {
            prices: vec![None; choices * per_choice],
            per_choice,
        }
    }

    /// The price of `replicas` replicas of GPU choice `choice`, worked out by `price` once.
    pub fn get(&mut self, choice: usize, replicas: u32, price: impl FnOnce() -> Priced) -> Priced {
        if (replicas as usize) < self.per_choice {
            *self.prices[choice * self.per_choice + replicas as usize].get_or_insert_with(price)
        } else {
            price()
        }
    }
}
