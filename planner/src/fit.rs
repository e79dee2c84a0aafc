//! The fitted factors and bands, and how to look them up: what `estimate`, the capacity search
//! and the plan need from calibration, without calibration itself (which fits them on rows and
//! so needs the physics: `calibration` depends on this module, never the reverse).

use serde::{Deserialize, Serialize};

use crate::physics::kernels::{Kernels, PerKernels};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    DecodeTpsStream,
    /// A stream's time per output token under load (median or mean ITL), ms.
    TpotMs,
    OutputTpsTotal,
    PrefillTps,
    TtftMs,
}

impl Metric {
    pub const ALL: [Metric; 5] = [
        Metric::DecodeTpsStream,
        Metric::TpotMs,
        Metric::OutputTpsTotal,
        Metric::PrefillTps,
        Metric::TtftMs,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::DecodeTpsStream => "decode_tps_stream",
            Metric::TpotMs => "tpot_ms",
            Metric::OutputTpsTotal => "output_tps_total",
            Metric::PrefillTps => "prefill_tps",
            Metric::TtftMs => "ttft_ms",
        }
    }

    /// Whether the metric is a time (lower is faster): its physical limit is a floor.
    pub fn is_time(self) -> bool {
        matches!(self, Metric::TpotMs | Metric::TtftMs)
    }
    pub(crate) fn parse(s: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// One engine's fitted efficiency factors.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EngineFit {
    /// Share of peak memory bandwidth reached while decoding.
    pub eta_bandwidth: f64,
    /// Fixed time per step for a 32-layer model (kernel launches, sampling, scheduling),
    /// seconds; it scales with the layer count, as launches do.
    pub step_overhead_s: f64,
    /// Share of peak FLOP/s reached by prefill and batched work, per kind of kernels (dense or
    /// MoE, native or dequantizing: `Kernels`).
    pub eta_compute: PerKernels<f64>,
    /// A request's first token's time outside the engine's steps (HTTP, tokenization, the
    /// first scheduling pass), seconds: fitted on single-stream TTFT rows.
    #[serde(default)]
    pub request_overhead_s: f64,
}

/// An engine's factors as multipliers of physical times (1/η): what a step's and a prefill's
/// expected times are worked out with. The plan makes them once per engine and applies them a
/// few hundred thousand times, and a division costs the processor several multiplications' time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slowdowns {
    /// 1 / η_bw: expected over physical time for streaming memory.
    pub memory: f64,
    /// 1 / η_c of each kind of kernels.
    pub compute: PerKernels<f64>,
    /// The fixed time per step of a 32-layer model (`EngineFit::step_overhead_s`).
    pub step_overhead_s: f64,
    /// A request's fixed path (`EngineFit::request_overhead_s`).
    pub request_s: f64,
}

impl Slowdowns {
    /// Whether these predict exactly what `other` does for a setup running `kernels`
    /// (predictions are worked out from these multipliers, so equal ones give equal figures):
    /// engines that borrow their factors often do, and the plan then sizes an option once for
    /// both.
    pub fn predicts_like(&self, other: &Slowdowns, kernels: Kernels) -> bool {
        self.memory == other.memory
            && self.step_overhead_s == other.step_overhead_s
            && self.request_s == other.request_s
            && self.compute(kernels) == other.compute(kernels)
    }

    /// 1 / η_c of a kind of kernels.
    pub fn compute(&self, kernels: Kernels) -> f64 {
        self.compute.get(kernels)
    }

    /// A request as this engine serves it: the physics' request with the engine's fixed path.
    pub fn serve(&self, r: crate::serving::Request) -> crate::serving::Request {
        crate::serving::Request {
            fixed_s: self.request_s,
            ..r
        }
    }

    /// The fixed per-step overhead of a model with `layers` layers, seconds.
    pub fn overhead(&self, layers: f64) -> f64 {
        self.step_overhead_s * layers / 32.0
    }
}

impl From<&EngineFit> for Slowdowns {
    fn from(f: &EngineFit) -> Self {
        Slowdowns {
            memory: 1.0 / f.eta_bandwidth,
            compute: f.eta_compute.map(|eta| 1.0 / eta),
            step_overhead_s: f.step_overhead_s,
            request_s: f.request_overhead_s,
        }
    }
}

impl Default for EngineFit {
    fn default() -> Self {
        EngineFit {
            eta_bandwidth: 1.0,
            step_overhead_s: 0.0,
            eta_compute: PerKernels::splat(1.0),
            request_overhead_s: 0.0,
        }
    }
}

/// Where each of an engine's factors came from. `vendor` and `legacy` name a cell's factors:
/// the engine's on one GPU family (a vendor's GPUs of one memory kind, `Gpu::fit_family`), or
/// its legacy generation's (absent: the engine's current generation on every GPU).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineFitEntry {
    pub engine: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy: Option<String>,
    pub fit: EngineFit,
    pub decode_from: String,
    /// Where each compute efficiency came from.
    pub compute_from: PerKernels<String>,
    /// Where `fit.request_overhead_s` came from.
    #[serde(default)]
    pub request_from: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Fit {
    /// Each engine's current generation over all its rows.
    pub engines: Vec<EngineFitEntry>,
    /// Factors of narrower cells (`EngineFitEntry::vendor`, `legacy`), where rows allow.
    #[serde(default)]
    pub cells: Vec<EngineFitEntry>,
    pub global: EngineFit,
    /// Each metric's band per regime (`BandFit`), from the residuals of today's engines: what
    /// the plan shows.
    pub bands: Vec<BandFit>,
    /// The same from the runs of engines' legacy generations, which only predict those runs.
    #[serde(default)]
    pub legacy_bands: Vec<BandFit>,
    pub holdout: Vec<String>,
}

impl Fit {
    /// An engine's factors over all its current rows, and a one-line provenance for display.
    pub fn for_engine(&self, engine: &str) -> (&EngineFit, String) {
        (self.engine_fit(engine), self.provenance(engine))
    }

    /// The factors for an engine on one GPU family (`Gpu::fit_family`), and a one-line
    /// provenance for display.
    pub fn for_engine_on(&self, engine: &str, vendor: &str) -> (&EngineFit, String) {
        match self.cell(engine, Some(vendor), None) {
            Some(e) => (&e.fit, provenance_of(e)),
            None => (self.engine_fit(engine), self.provenance(engine)),
        }
    }

    /// An engine's fitted factors over all its current rows (the global ones when it has
    /// none). The plan calls `fit_on` per option, so neither builds a string.
    pub fn engine_fit(&self, engine: &str) -> &EngineFit {
        self.engines
            .iter()
            .find(|e| e.engine == engine)
            .map_or(&self.global, |e| &e.fit)
    }

    /// An engine's factors on one GPU family (`Gpu::fit_family`): its own there where it has
    /// enough rows, else the engine's.
    pub fn fit_on(&self, engine: &str, vendor: &str) -> &EngineFit {
        self.cell(engine, Some(vendor), None)
            .map_or_else(|| self.engine_fit(engine), |e| &e.fit)
    }

    /// The factors a calibration row of `cell` is predicted with: its legacy generation's on
    /// its vendor, its legacy generation's, or the current ones on its vendor, the most
    /// specific fitted.
    pub fn row_fit(&self, cell: &Cell) -> &EngineFit {
        if cell.legacy {
            let legacy = |v: Option<&str>| {
                self.cells.iter().find(|e| {
                    e.engine == cell.engine && e.legacy.is_some() && e.vendor.as_deref() == v
                })
            };
            if let Some(e) = legacy(Some(&cell.vendor)).or_else(|| legacy(None)) {
                return &e.fit;
            }
        }
        self.fit_on(&cell.engine, &cell.vendor)
    }

    fn cell(
        &self,
        engine: &str,
        vendor: Option<&str>,
        legacy: Option<&str>,
    ) -> Option<&EngineFitEntry> {
        self.cells.iter().find(|e| {
            e.engine == engine && e.vendor.as_deref() == vendor && e.legacy.as_deref() == legacy
        })
    }

    /// Where an engine's factors come from, in words.
    pub fn provenance(&self, engine: &str) -> String {
        match self.engines.iter().find(|e| e.engine == engine) {
            Some(e) => provenance_of(e),
            None => format!("{engine}: global factors (no calibration rows)"),
        }
    }

    /// Multiplicative band factors for a metric under a regime, for today's engines; (1, 1)
    /// before fitting.
    pub fn band(&self, m: Metric, regime: Regime) -> (f64, f64) {
        band_in(&self.bands, m, regime)
    }

    /// The band for a cell's generation: a legacy generation's own residuals where fitted.
    pub fn band_of(&self, m: Metric, regime: Regime, cell: &Cell) -> (f64, f64) {
        if cell.legacy && !self.legacy_bands.is_empty() {
            band_in(&self.legacy_bands, m, regime)
        } else {
            self.band(m, regime)
        }
    }
}

fn band_in(bands: &[BandFit], m: Metric, regime: Regime) -> (f64, f64) {
    bands
        .iter()
        .find(|b| b.metric == m && b.regime == regime)
        .map(|b| (b.low, b.high))
        .unwrap_or((1.0, 1.0))
}

/// An entry's provenance in words.
fn provenance_of(e: &EngineFitEntry) -> String {
    let on = e
        .vendor
        .as_ref()
        .map_or(String::new(), |v| format!(" on {v} GPUs"));
    let compute = (Kernels::ALL.iter())
        .map(|k| format!("{} ({})", e.compute_from.get_ref(*k), k.label()))
        .collect::<Vec<_>>()
        .join(" / ");
    format!(
        "{}{on}: decode factors from {}, compute from {compute}, request overhead from {}",
        e.engine, e.decode_from, e.request_from
    )
}

/// The load a band is for: one stream alone, or several sequences at once. Their errors differ
/// by an order of magnitude (a single stream's TTFT is a prefill; under load it is mostly
/// queueing), so one band for both would be too wide for one and too narrow for the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    Single,
    Loaded,
}

impl Regime {
    /// The regime of `concurrent` sequences or clients.
    pub fn of(concurrent: f64) -> Self {
        if concurrent <= 1.0 {
            Regime::Single
        } else {
            Regime::Loaded
        }
    }

    pub const ALL: [Regime; 2] = [Regime::Single, Regime::Loaded];

    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Single => "single",
            Regime::Loaded => "loaded",
        }
    }
}

/// A metric's band under one regime: multiplicative factors on the expected value, and the
/// fitting rows behind them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BandFit {
    pub metric: Metric,
    pub regime: Regime,
    pub low: f64,
    pub high: f64,
    pub rows: usize,
}

/// Whose factors a row is fitted with and predicted by: its engine, its GPUs' family — vendor
/// and memory kind (`Gpu::fit_family`: the same engine runs other kernels on ROCm than on CUDA,
/// and its kernels reach another share of HBM's bandwidth than of GDDR's) — and whether it ran
/// the engine's legacy generation (`Engine::legacy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub engine: String,
    /// The GPU family (`Gpu::fit_family`, e.g. "NVIDIA HBM"; a user's own GPU: "custom").
    pub vendor: String,
    pub legacy: bool,
}
