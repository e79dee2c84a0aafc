//! What renting and buying an option's replicas costs a month, worked out once per GPU choice
//! and replica count: every format and engine of a GPU choice needing as many replicas costs
//! the same. Rows hold an index into the plan's table of these prices, not the figures.

use crate::catalog::gpu::Gpu;
use crate::money::{instances_needed, local_figures, pick_offer, Allowed};
use crate::scenario::Scenario;

/// What renting and buying an option's replicas costs a month.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Priced {
    /// The offer rented (index into the plan's offers) and its instances.
    pub offer: Option<(u32, u32)>,
    /// Billed for the usage hours.
    pub cloud_monthly: Option<f64>,
    /// Amortized purchase plus power.
    pub local_monthly: Option<f64>,
    /// The cheaper of the two per million output tokens (what the cost verdict compares).
    pub cheapest_per_m: Option<f64>,
}

/// The cheaper of local and cloud per M output tokens, and whether it is local (on a tie).
pub(super) fn cheapest(local: Option<f64>, cloud: Option<f64>) -> Option<(f64, bool)> {
    match (local, cloud) {
        (Some(l), Some(c)) => Some(if l <= c { (l, true) } else { (c, false) }),
        (Some(l), None) => Some((l, true)),
        (None, Some(c)) => Some((c, false)),
        (None, None) => None,
    }
}

impl Priced {
    /// `allowed`: the offers for this GPU the price basis allows; `index`: each one's index in
    /// the plan's offers; `output_m`: the scenario's output tokens a month, in millions.
    pub fn new(
        gpu: &Gpu,
        gpus: u32,
        replicas: u32,
        allowed: &[Allowed],
        index: &[u32],
        s: &Scenario,
        output_m: f64,
    ) -> Priced {
        let rented = pick_offer(allowed, gpus, replicas).and_then(|i| {
            let o = allowed[i].offer;
            let n = instances_needed(o, gpus, replicas)?;
            Some((index[i], n, n as f64 * o.usd_per_instance_hour))
        });
        let cloud_monthly = rented.map(|(.., hourly)| hourly * s.usage_hours_per_month());
        let local_monthly =
            local_figures(gpu, gpus, replicas, s).and_then(|l| l.monthly_amortized_usd);
        let per_m = |usd| super::options::per_m(usd, output_m);
        Priced {
            offer: rented.map(|(i, n, _)| (i, n)),
            cloud_monthly,
            local_monthly,
            cheapest_per_m: cheapest(local_monthly.map(per_m), cloud_monthly.map(per_m))
                .map(|(usd, _)| usd),
        }
    }

    /// The cheaper of cloud and local per month.
    pub fn monthly_cost(&self) -> Option<f64> {
        match (self.cloud_monthly, self.local_monthly) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The index of "not priced" (an option that does not fit) in every table of prices.
pub(crate) const UNPRICED: u32 = 0;

/// A plan's prices: each distinct one once, worked out on first use per GPU choice and
/// replica count (for the small counts most options need; larger counts get an entry each).
pub(super) struct Prices {
    table: Vec<Priced>,
    /// Per GPU choice and replica count, the index in `table` (UNPRICED: not worked out yet).
    memo: Vec<u32>,
    per_choice: usize,
}

impl Prices {
    /// For `choices` GPU choices and a peak of `peak` users (at most that many replicas).
    pub fn new(choices: usize, peak: u32) -> Self {
        let per_choice = peak.clamp(1, 32) as usize + 1;
        Prices {
            table: vec![Priced::default()],
            memo: vec![UNPRICED; choices * per_choice],
            per_choice,
        }
    }

    /// The index of the price of `replicas` replicas of GPU choice `choice`, worked out by
    /// `price` once.
    pub fn get(&mut self, choice: usize, replicas: u32, price: impl FnOnce() -> Priced) -> u32 {
        if (replicas as usize) < self.per_choice {
            let at = choice * self.per_choice + replicas as usize;
            if self.memo[at] == UNPRICED {
                self.memo[at] = self.push(price());
            }
            self.memo[at]
        } else {
            self.push(price())
        }
    }

    fn push(&mut self, p: Priced) -> u32 {
        self.table.push(p);
        self.table.len() as u32 - 1
    }

    pub fn at(&self, i: u32) -> &Priced {
        &self.table[i as usize]
    }

    pub fn into_table(self) -> Vec<Priced> {
        self.table
    }
}
