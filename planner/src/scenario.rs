//! A user's scenario: usage, demand, candidate models / formats / hardware, and economics.
//! This is the JSON the API takes and the query string the page encodes. `validate` checks
//! every field and returns one error per bad field, naming it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::catalog::gpu::{Arch, Gpu, Price, Segment};
use crate::catalog::model::{Model, QUALITY_BENCHMARK};
use crate::catalog::prices::CloudOffer;
use crate::catalog::Catalog;
use crate::error::{check_range, PlannerError, Result};
use crate::hf_config::model_from_config;

/// Version of this JSON shape; bumped on any incompatible change.
pub const SCENARIO_SCHEMA_VERSION: u32 = 1;

/// A share of the requests routed to one model (a traffic split).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SplitShare {
    pub model: String,
    pub share: f64,
}

/// Models a traffic split may route to at most.
pub const MAX_SPLIT_PARTS: usize = 4;

/// A GPU option: `count` GPUs of one type per replica.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GpuChoice {
    pub id: String,
    pub count: u32,
}

/// A model from a pasted config.json.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomModel {
    pub id: String,
    pub config_json: String,
}

/// A GPU the catalog lacks, described by the user. Every figure is marked as the user's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomGpu {
    pub id: String,
    pub name: String,
    pub memory_gb: f64,
    pub bandwidth_gbps: f64,
    #[serde(default)]
    pub bf16_tflops: Option<f64>,
    #[serde(default)]
    pub tdp_w: Option<f64>,
    #[serde(default)]
    pub price_usd: Option<f64>,
    /// Rental price per GPU-hour, if the user has one.
    #[serde(default)]
    pub usd_per_hour: Option<f64>,
}

/// How cloud prices are chosen.
pub const PRICE_BASIS_CHEAPEST: &str = "cheapest";

/// How large one scenario may be (`Scenario::bounds`).
pub struct Limits {
    pub models: usize,
    pub quants: usize,
    pub gpu_choices: usize,
    pub custom: usize,
    pub config_json_bytes: usize,
    /// Models × formats × GPU choices × engines. The whole catalog with every engine is 423,360
    /// (28 × 14 × 180 × 6; its CLI plan: 3.5 s with the 249 MB JSON written, 273 MB resident);
    /// 1.4 million took 1.2 GB.
    pub configurations: usize,
}

pub const LIMITS: Limits = Limits {
    models: 64,
    quants: 32,
    gpu_choices: 256,
    custom: 8,
    config_json_bytes: 65_536,
    configurations: 500_000,
};

/// The first entry listed twice, if any.
fn first_duplicate(ids: &[String]) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    ids.iter().find(|id| !seen.insert(id.as_str())).cloned()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scenario {
    /// Hours a day the service is used.
    pub hours_per_day: f64,
    pub days_per_month: f64,
    /// Requests in flight at the busiest moment (when `total_users` is 0; else derived).
    pub peak_users: u32,
    /// Everyone who uses the service (0: `peak_users` is given directly).
    pub total_users: u32,
    /// Share of `total_users` with a request in flight at the busiest moment.
    pub active_share: f64,
    /// Requests a day, for the monthly token volume (0: every peak user streams for
    /// `utilization` of the usage hours).
    pub requests_per_day: f64,
    /// Decode speed each user must see, tokens/s.
    pub tokens_per_s_per_user: f64,
    pub prompt_tokens: u32,
    pub output_tokens: u32,
    /// Time-to-first-token target, ms.
    pub ttft_ms: f64,
    /// Share of usage hours at peak load (1 = peak load all usage hours).
    pub utilization: f64,
    pub models: Vec<String>,
    pub quants: Vec<String>,
    pub gpus: Vec<GpuChoice>,
    /// An engine id, "auto" (the engine that suits each format and GPU) or "all".
    pub engine: String,
    pub kv_format: String,
    /// "cheapest" (cheapest on-demand offer) or a provider name.
    pub price_basis: String,
    pub kwh_price: f64,
    pub pue: f64,
    /// Host (CPU, board, RAM, PSU, case) per local replica, USD.
    pub host_cost_usd: f64,
    /// Idle draw per GPU outside usage hours, W (0 = not counted).
    pub idle_watts_per_gpu: f64,
    pub amortization_months: u32,
    /// The benchmark models are compared on (ranking, the verdict, the bottom line).
    pub quality_benchmark: String,
    /// The least score on it a model must have to be ranked or recommended (0: no floor). A
    /// model whose card reports no score on it is below any floor.
    pub min_quality: f64,
    pub custom_models: Vec<CustomModel>,
    pub custom_gpus: Vec<CustomGpu>,
    /// A traffic split among the scenario's models, priced as one deployment beside the plan
    /// (empty: none). Shares sum to 1.
    pub split: Vec<SplitShare>,
}

impl Default for Scenario {
    /// The article's setting: gpt-oss-20b vs gpt-oss-120b, 8 hours a day, 4-, 8- and 16-bit
    /// formats, one A100 80GB, four A100s, a local pair of RTX 3090s, and hosted APIs. The
    /// workload values are inputs, not facts: the page states them and the user changes them.
    fn default() -> Self {
        Scenario {
            hours_per_day: 8.0,
            days_per_month: 30.0,
            peak_users: 10,
            total_users: 0,
            active_share: 0.1,
            requests_per_day: 0.0,
            tokens_per_s_per_user: 20.0,
            prompt_tokens: 1000,
            output_tokens: 500,
            ttft_ms: 2000.0,
            utilization: 1.0,
            models: vec!["gpt-oss-20b".into(), "gpt-oss-120b".into()],
            quants: vec!["mxfp4".into(), "fp8".into(), "q8_0".into(), "bf16".into()],
            gpus: vec![
                GpuChoice {
                    id: "a100-80gb-sxm".into(),
                    count: 1,
                },
                GpuChoice {
                    id: "a100-80gb-sxm".into(),
                    count: 4,
                },
                GpuChoice {
                    id: "rtx-3090".into(),
                    count: 2,
                },
            ],
            engine: "auto".into(),
            kv_format: "bf16".into(),
            price_basis: PRICE_BASIS_CHEAPEST.into(),
            kwh_price: 0.15,
            pue: 1.0,
            host_cost_usd: 2000.0,
            idle_watts_per_gpu: 0.0,
            amortization_months: 36,
            quality_benchmark: QUALITY_BENCHMARK.into(),
            min_quality: 0.0,
            custom_models: Vec::new(),
            custom_gpus: Vec::new(),
            split: Vec::new(),
        }
    }
}

/// Models, GPUs and offers a scenario resolves to (catalog entries plus user-supplied ones).
#[derive(Debug, Clone)]
pub struct Resolved {
    pub models: Vec<Model>,
    pub gpus: Vec<Gpu>,
    /// Offers for user-supplied GPUs (the catalog's come from the catalog).
    pub custom_offers: Vec<Arc<CloudOffer>>,
}

impl Scenario {
    /// The default scenario over the whole catalog: every model, every format, every GPU at
    /// 1, 2, 4 and 8 per replica, every engine that runs each (the `plan_full_grid` benchmark).
    pub fn full_grid(catalog: &Catalog) -> Scenario {
        Scenario {
            models: catalog.models.iter().map(|m| m.id.clone()).collect(),
            quants: catalog.formats.iter().map(|f| f.id.clone()).collect(),
            gpus: (catalog.gpus.iter())
                .flat_map(|g| {
                    [1, 2, 4, 8].map(|count| GpuChoice {
                        id: g.id.clone(),
                        count,
                    })
                })
                .collect(),
            engine: "all".into(),
            ..Scenario::default()
        }
    }

    /// Requests in flight at the busiest moment: what sizes the fleet. Given directly, or the
    /// active share of all users (rounded up).
    pub fn peak_in_flight(&self) -> u32 {
        if self.total_users > 0 {
            let n = (self.total_users as f64 * self.active_share).ceil();
            n.clamp(1.0, u32::MAX as f64) as u32
        } else {
            self.peak_users
        }
    }

    /// Output tokens a month: the requests a day times their output over the month when the
    /// requests are given; else every peak request streaming at the target speed for the usage
    /// hours, scaled by utilization.
    pub fn monthly_output_tokens(&self) -> f64 {
        if self.requests_per_day > 0.0 {
            return self.requests_per_day * self.days_per_month * self.output_tokens as f64;
        }
        self.peak_in_flight() as f64
            * self.tokens_per_s_per_user
            * 3600.0
            * self.usage_hours_per_month()
            * self.utilization
    }

    /// Prompt tokens a month: each response of `output_tokens` comes with one prompt.
    pub fn monthly_input_tokens(&self) -> f64 {
        self.monthly_output_tokens() * self.prompt_tokens as f64 / self.output_tokens.max(1) as f64
    }

    /// What is wrong with the traffic split, if anything (its size is checked in `bounds`).
    fn split_error(&self) -> Option<PlannerError> {
        if self.split.is_empty() {
            return None;
        }
        let bad = |m: String| Some(PlannerError::invalid("split", m));
        if self.split.len() < 2 {
            return bad("a split routes to two models or more".into());
        }
        if let Some(p) = self.split.iter().find(|p| !self.models.contains(&p.model)) {
            return bad(format!("'{}' is not among the models planned", p.model));
        }
        if let Some(p) = (self.split.iter()).find(|p| !(p.share > 0.0 && p.share <= 1.0)) {
            return bad(format!(
                "{}: a share is more than 0 and at most 1 (got {})",
                p.model, p.share
            ));
        }
        let sum: f64 = self.split.iter().map(|p| p.share).sum();
        if (sum - 1.0).abs() > 1e-6 {
            return bad(format!("the shares sum to {sum}, not 1"));
        }
        None
    }

    /// Whether a model with this score on `quality_benchmark` clears the quality floor.
    pub fn clears_floor(&self, score: Option<f64>) -> bool {
        self.min_quality <= 0.0 || score.is_some_and(|q| q >= self.min_quality)
    }

    pub fn usage_hours_per_month(&self) -> f64 {
        self.hours_per_day * self.days_per_month
    }

    /// Every problem with the scenario, one error per field. Empty means valid.
    pub fn validate(&self, catalog: &Catalog) -> Vec<PlannerError> {
        // The bounds first, and alone when they fail: they are what keeps one request from
        // costing unbounded work (the rest is checked per entry).
        let bounds = self.bounds(catalog);
        if !bounds.is_empty() {
            return bounds;
        }
        let mut errs = Vec::new();
        let mut range = |field: &str, v: f64, min: f64, max: f64| {
            if let Err(e) = check_range(field, v, min, max) {
                errs.push(e);
            }
        };
        range("hours_per_day", self.hours_per_day, 0.5, 24.0);
        range("days_per_month", self.days_per_month, 1.0, 31.0);
        range("peak_users", self.peak_users as f64, 1.0, 1_000_000.0);
        range(
            "tokens_per_s_per_user",
            self.tokens_per_s_per_user,
            0.1,
            1000.0,
        );
        range("prompt_tokens", self.prompt_tokens as f64, 1.0, 1_000_000.0);
        range("output_tokens", self.output_tokens as f64, 1.0, 1_000_000.0);
        range("ttft_ms", self.ttft_ms, 10.0, 600_000.0);
        range("utilization", self.utilization, 0.01, 1.0);
        range("total_users", self.total_users as f64, 0.0, 10_000_000.0);
        range("active_share", self.active_share, 0.0001, 1.0);
        range(
            "requests_per_day",
            self.requests_per_day,
            0.0,
            10_000_000_000.0,
        );
        range("kwh_price", self.kwh_price, 0.0, 10.0);
        range("pue", self.pue, 1.0, 3.0);
        range("host_cost_usd", self.host_cost_usd, 0.0, 10_000_000.0);
        range("idle_watts_per_gpu", self.idle_watts_per_gpu, 0.0, 2000.0);
        range(
            "amortization_months",
            self.amortization_months as f64,
            1.0,
            240.0,
        );
        range("min_quality", self.min_quality, 0.0, 100.0);
        if let Some(e) = self.split_error() {
            errs.push(e);
        }
        if self.total_users > 0 && self.peak_in_flight() > 1_000_000 {
            errs.push(PlannerError::invalid(
                "total_users",
                format!(
                    "{} users with {} active at the peak is {} requests in flight; at most \
                     1,000,000",
                    self.total_users,
                    self.active_share,
                    self.peak_in_flight()
                ),
            ));
        }
        let mut benchmarks: Vec<&str> =
            catalog.models.iter().flat_map(|m| m.benchmarks()).collect();
        benchmarks.sort_unstable();
        benchmarks.dedup();
        if !benchmarks.contains(&self.quality_benchmark.as_str()) {
            errs.push(PlannerError::unknown(
                "quality_benchmark",
                self.quality_benchmark.as_str(),
                benchmarks,
            ));
        }

        let custom_model_ids: Vec<&str> =
            self.custom_models.iter().map(|m| m.id.as_str()).collect();
        let custom_gpu_ids: Vec<&str> = self.custom_gpus.iter().map(|g| g.id.as_str()).collect();
        if self.models.is_empty() {
            errs.push(PlannerError::invalid("models", "choose at least one model"));
        }
        for id in &self.models {
            if !custom_model_ids.contains(&id.as_str()) {
                if let Err(mut e) = catalog.model(id) {
                    if let PlannerError::UnknownId { field, .. } = &mut e {
                        *field = "models".into();
                    }
                    errs.push(e);
                }
            }
        }
        if self.quants.is_empty() {
            errs.push(PlannerError::invalid(
                "quants",
                "choose at least one format",
            ));
        }
        for id in &self.quants {
            if let Err(mut e) = catalog.format(id) {
                if let PlannerError::UnknownId { field, .. } = &mut e {
                    *field = "quants".into();
                }
                errs.push(e);
            }
        }
        if self.gpus.is_empty() {
            errs.push(PlannerError::invalid(
                "gpus",
                "choose at least one GPU option",
            ));
        }
        for g in &self.gpus {
            if g.count == 0 || g.count > 64 {
                errs.push(PlannerError::invalid(
                    "gpus",
                    format!("{}: count must be between 1 and 64 (got {})", g.id, g.count),
                ));
            }
            if !custom_gpu_ids.contains(&g.id.as_str()) {
                if let Err(mut e) = catalog.gpu(&g.id) {
                    if let PlannerError::UnknownId { field, .. } = &mut e {
                        *field = "gpus".into();
                    }
                    errs.push(e);
                }
            }
        }
        if !matches!(self.engine.as_str(), "auto" | "all") && catalog.engine(&self.engine).is_err()
        {
            errs.push(PlannerError::unknown(
                "engine",
                self.engine.as_str(),
                ["auto", "all"]
                    .into_iter()
                    .chain(catalog.engines.iter().map(|e| e.id.as_str())),
            ));
        }
        if let Err(mut e) = catalog.kv_format(&self.kv_format) {
            if let PlannerError::UnknownId { field, .. } = &mut e {
                *field = "kv_format".into();
            }
            errs.push(e);
        }
        if self.price_basis != PRICE_BASIS_CHEAPEST
            && !catalog
                .cloud
                .iter()
                .any(|o| o.provider.eq_ignore_ascii_case(&self.price_basis))
        {
            let mut providers: Vec<&str> = catalog.cloud.iter().map(|o| &*o.provider).collect();
            providers.sort();
            providers.dedup();
            errs.push(PlannerError::unknown(
                "price_basis",
                self.price_basis.as_str(),
                std::iter::once(PRICE_BASIS_CHEAPEST).chain(providers),
            ));
        }
        for m in &self.custom_models {
            if let Err(e) = model_from_config(&m.id, &m.config_json) {
                errs.push(e);
            }
        }
        for g in &self.custom_gpus {
            if let Err(e) = g.to_gpu() {
                errs.push(e);
            }
        }
        errs
    }

    /// The limits on a plan's size: list lengths, no id listed twice, and the configurations
    /// it asks for (models × formats × GPU choices × engines), each error naming its field and
    /// the limit. A scenario within them plans in well under a second; the whole catalog is
    /// within them.
    pub fn bounds(&self, catalog: &Catalog) -> Vec<PlannerError> {
        let mut errs = Vec::new();
        let mut list = |field: &str, len: usize, max: usize, dup: Option<String>| {
            if len > max {
                errs.push(PlannerError::invalid(
                    field,
                    format!("at most {max} entries (got {len})"),
                ));
            } else if let Some(d) = dup {
                errs.push(PlannerError::invalid(
                    field,
                    format!("'{d}' is listed twice"),
                ));
            }
        };
        list(
            "models",
            self.models.len(),
            LIMITS.models,
            first_duplicate(&self.models),
        );
        list(
            "quants",
            self.quants.len(),
            LIMITS.quants,
            first_duplicate(&self.quants),
        );
        let choices: Vec<String> = (self.gpus.iter())
            .map(|g| format!("{}:{}", g.id, g.count))
            .collect();
        list(
            "gpus",
            choices.len(),
            LIMITS.gpu_choices,
            first_duplicate(&choices),
        );
        let custom_models: Vec<String> = self.custom_models.iter().map(|m| m.id.clone()).collect();
        list(
            "custom_models",
            custom_models.len(),
            LIMITS.custom,
            first_duplicate(&custom_models),
        );
        let custom_gpus: Vec<String> = self.custom_gpus.iter().map(|g| g.id.clone()).collect();
        list(
            "custom_gpus",
            custom_gpus.len(),
            LIMITS.custom,
            first_duplicate(&custom_gpus),
        );
        let split: Vec<String> = self.split.iter().map(|p| p.model.clone()).collect();
        list(
            "split",
            split.len(),
            MAX_SPLIT_PARTS,
            first_duplicate(&split),
        );
        for m in &self.custom_models {
            if m.config_json.len() > LIMITS.config_json_bytes {
                errs.push(PlannerError::invalid(
                    "custom_models",
                    format!(
                        "{}: config.json of at most {} bytes (got {})",
                        m.id,
                        LIMITS.config_json_bytes,
                        m.config_json.len()
                    ),
                ));
            }
        }
        if errs.is_empty() {
            let engines = if self.engine == "all" {
                catalog.engines.len()
            } else {
                1
            };
            let configurations = self.models.len() * self.quants.len() * self.gpus.len() * engines;
            if configurations > LIMITS.configurations {
                errs.push(PlannerError::invalid(
                    "gpus",
                    format!(
                        "{} models × {} formats × {} GPU choices × {engines} engine(s) = {configurations} configurations; one plan takes at most {}",
                        self.models.len(),
                        self.quants.len(),
                        self.gpus.len(),
                        LIMITS.configurations
                    ),
                ));
            }
        }
        errs
    }

    /// Resolves ids to catalog entries and user-supplied ones. Call after `validate`.
    pub fn resolve(&self, catalog: &Catalog) -> Result<Resolved> {
        let mut models = Vec::new();
        for id in &self.models {
            match self.custom_models.iter().find(|m| &m.id == id) {
                Some(c) => models.push(model_from_config(&c.id, &c.config_json)?),
                None => models.push(catalog.model(id)?.clone()),
            }
        }
        let mut gpus: Vec<Gpu> = Vec::new();
        let mut custom_offers = Vec::new();
        for choice in &self.gpus {
            if gpus.iter().any(|g| g.id == choice.id) {
                continue;
            }
            match self.custom_gpus.iter().find(|g| g.id == choice.id) {
                Some(c) => {
                    gpus.push(c.to_gpu()?);
                    if let Some(p) = c.usd_per_hour {
                        custom_offers.push(Arc::new(CloudOffer {
                            gpu_id: c.id.as_str().into(),
                            provider: "your price".into(),
                            offer: c.name.as_str().into(),
                            gpus_per_instance: 1,
                            usd_per_instance_hour: p,
                            pricing_type: "on-demand (user-supplied)".into(),
                            region: "".into(),
                            price_date: "user-supplied".into(),
                            source: "user-supplied".into(),
                            user_supplied: true,
                        }));
                    }
                }
                None => gpus.push(catalog.gpu(&choice.id)?.clone()),
            }
        }
        Ok(Resolved {
            models,
            gpus,
            custom_offers,
        })
    }
}

impl CustomGpu {
    pub fn to_gpu(&self) -> Result<Gpu> {
        let f = |name: &str| format!("custom gpu {}: {name}", self.id);
        if self.id.trim().is_empty() || self.id.len() > 64 {
            return Err(PlannerError::invalid(f("id"), "must be 1-64 characters"));
        }
        check_range(&f("memory_gb"), self.memory_gb, 1.0, 4096.0)?;
        check_range(&f("bandwidth_gbps"), self.bandwidth_gbps, 1.0, 100_000.0)?;
        if let Some(t) = self.bf16_tflops {
            check_range(&f("bf16_tflops"), t, 0.1, 100_000.0)?;
        }
        if let Some(w) = self.tdp_w {
            check_range(&f("tdp_w"), w, 1.0, 10_000.0)?;
        }
        if let Some(p) = self.price_usd {
            check_range(&f("price_usd"), p, 0.0, 10_000_000.0)?;
        }
        if let Some(p) = self.usd_per_hour {
            check_range(&f("usd_per_hour"), p, 0.0, 10_000.0)?;
        }
        Ok(Gpu {
            id: self.id.clone(),
            name: format!("{} (your figures)", self.name),
            vendor: "custom".into(),
            // The user's own card: a workstation's, for the purpose of grouping.
            segment: Segment::Workstation,
            memory_kind: None,
            arch: Arch::Custom,
            unified: false,
            memory_gb: self.memory_gb,
            memory_options_gb: Vec::new(),
            usable_fraction: 1.0,
            bandwidth_gbps: self.bandwidth_gbps,
            bf16_tflops: self.bf16_tflops,
            fp8_tflops: None,
            fp4_tflops: None,
            tdp_w: self.tdp_w,
            interconnect: "PCIe (assumed)".into(),
            interconnect_gbps: None,
            price: self.price_usd.map(|usd| {
                Arc::new(Price {
                    usd,
                    basis: "user-supplied".into(),
                    source: "user-supplied".into(),
                    date: "user-supplied".into(),
                })
            }),
            source: "user-supplied".into(),
            source_date: "user-supplied".into(),
            notes: String::new(),
            user_supplied: true,
        })
    }
}
