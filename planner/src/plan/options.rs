//! A plan's options, kept as rows of figures: the plan computes every number of every option
//! (tens of thousands on a full grid) into small `Row`s — indices instead of names, nothing to
//! free — and builds the API's `PlanOption` record, with its names, offer and price, only for
//! the options a caller reads or serializes. Building 47k records with shared strings took
//! half of a full-grid plan.

use std::sync::Arc;

use serde::ser::{Serialize, SerializeSeq, Serializer};

use crate::band::Band;
use crate::capacity::{BandFactors, Limit, Running};
use crate::catalog::engine::Engine;
use crate::catalog::format::{Container, WeightBytes};
use crate::catalog::gpu::Gpu;
use crate::catalog::prices::CloudOffer;
use crate::estimate::{memory_budget, Bound, MemoryBreakdown};
use crate::money::{cloud_cost, local_cost, CloudCost, LocalCost};
use crate::notes::Notes;
use crate::scenario::Scenario;

use super::priced::Priced;

/// One option of a plan, as the API answers it. Serialized only; never read back.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanOption {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub model: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quant: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub gpu: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub gpu_name: Arc<str>,
    pub gpus_per_replica: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub engine: Arc<str>,
    pub fits: bool,
    pub meets_targets: bool,
    /// Misses the targets only at its bands' pessimistic ends: one request's expected speed and
    /// TTFT meet them, but the speed band's low end or the TTFT band's high end does not
    /// (`meets_targets` is judged at those ends). It may well meet them; nothing promises it.
    pub at_risk: bool,
    pub replicas: u32,
    pub users_per_replica: u32,
    pub limit: Limit,
    pub bound: Bound,
    pub memory_gb: MemoryBreakdown,
    pub decode_tps_stream: Option<Band>,
    pub output_tps_replica: Option<Band>,
    pub ttft_ms: Option<Band>,
    pub ceiling_decode_tps_stream: f64,
    pub cloud: Option<CloudCost>,
    pub local: Option<LocalCost>,
    pub cloud_usd_per_m_output: Option<f64>,
    pub local_usd_per_m_output: Option<f64>,
    /// The cheaper of cloud (billed usage hours) and local (amortized + power), per month.
    pub monthly_cost_usd: Option<f64>,
    /// The model's score on the scenario's `quality_benchmark`.
    pub quality: Option<f64>,
    /// The model is below the scenario's quality floor (`min_quality`): never ranked or
    /// recommended, whatever its speed and cost.
    pub below_quality_floor: bool,
    /// 1 = cheapest option meeting the targets.
    pub rank: Option<u32>,
    pub pareto: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub notes: Notes,
}

impl PlanOption {
    /// The cheaper of renting and buying per million output tokens: the cost per token the
    /// page, the reports and the ranking show for this option (`monthly_cost_usd`'s).
    pub fn usd_per_m_output(&self) -> Option<f64> {
        super::priced::cheapest(self.local_usd_per_m_output, self.cloud_usd_per_m_output)
            .map(|(usd, _)| usd)
    }

    /// Stable key: model|quant|gpu|count|engine (for links, detail views and comparisons).
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}",
            self.model, self.quant, self.gpu, self.gpus_per_replica, self.engine
        )
    }
}

/// Every figure of one option; names are indices into the plan's `Names`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Row {
    pub model: u32,
    pub quant: u32,
    pub gpu: u32,
    pub engine: u32,
    pub gpus: u32,
    pub fits: bool,
    pub meets_targets: bool,
    pub limit: Limit,
    pub bound: Bound,
    pub replicas: u32,
    pub users_per_replica: u32,
    /// Bytes of KV cache in use; the rest of the memory breakdown is the same for every
    /// option of a model, format, GPU and engine, and is worked out when read.
    pub kv_in_use: f64,
    /// Expected figures at the running batch (at one request when it misses the targets;
    /// absent when it does not fit); the bands around them are put on when read.
    pub running: Option<Running>,
    pub ceiling_decode_tps_stream: f64,
    /// What renting and buying its replicas costs (index into `Names::prices`; `UNPRICED`
    /// when it does not fit). Options of a GPU choice needing as many replicas share one.
    pub price: u32,
    pub notes: Notes,
}

impl Row {
    pub fn speed(&self) -> Option<f64> {
        self.running.map(|r| r.decode_expected())
    }
}

/// What turns rows into records: the names, offers and GPUs they index, and the scenario's
/// economics (the local cost is re-derived, not stored).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Names {
    /// Model id and its quality score.
    pub models: Vec<(Arc<str>, Option<f64>)>,
    pub quants: Vec<Arc<str>>,
    /// GPU id, display name and the GPU itself.
    pub gpus: Vec<(Arc<str>, Arc<str>, Gpu)>,
    /// Engine id and the engine itself (its memory reservations).
    pub engines: Vec<(Arc<str>, Engine)>,
    /// The weights of each model in each format under each container:
    /// `weights[(model × formats + format) × 3 + container]`.
    pub weights: Vec<WeightBytes>,
    pub bands: BandFactors,
    pub offers: Vec<Arc<CloudOffer>>,
    /// The plan's prices, each one once (`Row::price`).
    pub prices: Vec<Priced>,
    pub scenario: Scenario,
    /// Output tokens a month, in millions.
    pub output_m: f64,
}

impl Names {
    pub fn per_m(&self, usd: f64) -> f64 {
        per_m(usd, self.output_m)
    }

    /// Where a model's weights in a format under a container are in `weights`.
    pub fn weights_index(&self, model: u32, quant: u32, container: Container) -> usize {
        weights_index(self.quants.len(), model, quant, container)
    }
}

/// The index of a model × format × container in a table laid out like `Names::weights`.
pub(crate) fn weights_index(formats: usize, model: u32, quant: u32, container: Container) -> usize {
    (model as usize * formats + quant as usize) * 3 + container as usize
}

/// A monthly cost per million output tokens, for `output_m` million a month (0 when none).
pub(crate) fn per_m(usd: f64, output_m: f64) -> f64 {
    if output_m > 0.0 {
        usd / output_m
    } else {
        0.0
    }
}

/// A plan's options in the order they were built (model by model). Each is built as a
/// `PlanOption` when read; it serializes as the list of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub(crate) rows: Vec<Row>,
    /// Per row: its rank by cost (0 = unranked) and whether it is on the Pareto front. Kept
    /// beside the rows, not in them: the ranking writes them in cost order, all over the plan.
    pub(crate) ranks: Vec<u32>,
    pub(crate) pareto: Vec<bool>,
    pub(crate) names: Arc<Names>,
}

impl Options {
    /// Keeps the `limit` options from `offset` on (the API's pages of a large plan).
    pub fn page(&mut self, offset: usize, limit: usize) {
        let start = offset.min(self.rows.len());
        let end = start.saturating_add(limit).min(self.rows.len());
        self.rows = self.rows[start..end].to_vec();
        self.ranks = self.ranks[start..end].to_vec();
        self.pareto = self.pareto[start..end].to_vec();
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<PlanOption> {
        self.rows.get(i).map(|_| self.record(i))
    }

    pub fn first(&self) -> Option<PlanOption> {
        self.get(0)
    }

    /// Every option, built one at a time.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            rows: 0..self.rows.len(),
            options: self,
        }
    }

    /// Options meeting the targets, by rank (cheapest first), built only for those taken.
    pub fn ranked(&self) -> impl Iterator<Item = PlanOption> + '_ {
        let mut order: Vec<(u32, usize)> = (self.ranks.iter().copied().enumerate())
            .filter(|(_, rank)| *rank > 0)
            .map(|(i, rank)| (rank, i))
            .collect();
        order.sort_unstable();
        order.into_iter().map(|(_, i)| self.record(i))
    }

    /// The option with this key (model|quant|gpu|count|engine).
    pub fn find(&self, key: &str) -> Option<PlanOption> {
        self.rows
            .iter()
            .position(|r| self.has_key(r, key))
            .map(|i| self.record(i))
    }

    fn has_key(&self, r: &Row, key: &str) -> bool {
        let n = &*self.names;
        let mut parts = key.split('|');
        let mut next = || parts.next().unwrap_or("");
        *n.models[r.model as usize].0 == *next()
            && *n.quants[r.quant as usize] == *next()
            && *n.gpus[r.gpu as usize].0 == *next()
            && next() == r.gpus.to_string()
            && *n.engines[r.engine as usize].0 == *next()
            && parts.next().is_none()
    }

    /// Whether a row misses the targets only at its bands' pessimistic ends: it fits, and one
    /// request's expected speed and TTFT meet them (`PlanOption::at_risk`).
    pub(crate) fn at_risk(&self, r: &Row) -> bool {
        let s = &self.names.scenario;
        r.fits
            && !r.meets_targets
            && r.running.is_some_and(|run| {
                run.decode_expected() >= s.tokens_per_s_per_user
                    && run.ttft_ms.is_none_or(|t| t <= s.ttft_ms)
            })
    }

    /// The API record of row `i`: names looked up, the rented offer and the purchase priced.
    pub(crate) fn record(&self, i: usize) -> PlanOption {
        let r = &self.rows[i];
        let n = &*self.names;
        let (model, quality) = &n.models[r.model as usize];
        let (gpu_id, gpu_name, gpu) = &n.gpus[r.gpu as usize];
        let (engine_id, engine) = &n.engines[r.engine as usize];
        let weights = &n.weights[n.weights_index(r.model, r.quant, engine.container)];
        let (available, overhead) = memory_budget(r.gpus, gpu, engine, weights.total());
        let bands = r.running.map(|run| run.bands(&n.bands));
        let s = &n.scenario;
        let price = &n.prices[r.price as usize];
        let cloud = price.offer.and_then(|(offer, _)| {
            cloud_cost(
                &n.offers[offer as usize],
                r.gpus,
                r.replicas.max(1),
                s.usage_hours_per_month(),
            )
        });
        let local = if r.fits {
            local_cost(gpu, r.gpus, r.replicas.max(1), s, price.cloud_monthly)
        } else {
            None
        };
        let at_risk = self.at_risk(r);
        PlanOption {
            model: model.clone(),
            quant: n.quants[r.quant as usize].clone(),
            gpu: gpu_id.clone(),
            gpu_name: gpu_name.clone(),
            gpus_per_replica: r.gpus,
            engine: engine_id.clone(),
            fits: r.fits,
            meets_targets: r.meets_targets,
            at_risk,
            replicas: r.replicas,
            users_per_replica: r.users_per_replica,
            limit: r.limit,
            bound: r.bound,
            memory_gb: MemoryBreakdown::new(weights, r.kv_in_use, overhead, available),
            decode_tps_stream: bands.map(|b| b.decode_tps_stream),
            output_tps_replica: bands.map(|b| b.output_tps_replica),
            ttft_ms: bands.and_then(|b| b.ttft_ms),
            ceiling_decode_tps_stream: r.ceiling_decode_tps_stream,
            cloud,
            local,
            cloud_usd_per_m_output: price.cloud_monthly.map(|c| n.per_m(c)),
            local_usd_per_m_output: price.local_monthly.map(|c| n.per_m(c)),
            monthly_cost_usd: price.monthly_cost(),
            quality: *quality,
            below_quality_floor: !s.clears_floor(*quality),
            rank: (self.ranks[i] > 0).then_some(self.ranks[i]),
            pareto: self.pareto[i],
            notes: r.notes,
        }
    }
}

/// The options of a plan, each built as it is reached.
pub struct Iter<'a> {
    rows: std::ops::Range<usize>,
    options: &'a Options,
}

impl Iterator for Iter<'_> {
    type Item = PlanOption;

    fn next(&mut self) -> Option<PlanOption> {
        self.rows.next().map(|i| self.options.record(i))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rows.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Options {
    type Item = PlanOption;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl Serialize for Options {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for o in self.iter() {
            seq.serialize_element(&o)?;
        }
        seq.end()
    }
}

// A row is written once per option (tens of thousands per plan): up to 128 bytes it is moved
// with inline stores; above, every push was a call to memcpy (seen in callgrind profiles).
const _: () = assert!(std::mem::size_of::<Row>() <= 128);
