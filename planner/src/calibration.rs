//! Calibration against published measurements (PHYSICS.md §11; `data/calibration.csv`, a superset of
//! `shared/reference/calibration.csv`): parse the rows, fit each engine's efficiency factors on
//! the rows kept for fitting, derive the bands from the residuals, and report errors per row
//! and per metric.
//!
//! The model fitted is the one `estimate` uses: step time = bytes / (bandwidth x eta_bw) +
//! FLOPs / (peak x eta_c) + all-reduce time + a per-step overhead tau x layers / 32. Efficiencies are
//! capped at 1 and tau >= 0, so no prediction can exceed the physical ceiling.
//!
//! Held-out rows: within each metric, in file order, every third row starting with the second
//! (index % 3 == 1) is never used to fit. `planner calibrate --split holdout` reports them;
//! `--split loo` reports each row predicted by a fit on all the others (`leave_one_out`).

use serde::{Deserialize, Serialize};

use crate::band::Band;
use crate::catalog::engine::Engine;
use crate::catalog::{Catalog, Sources};
use crate::error::Result;
use crate::estimate::{Physics, Setup, Workload};
use crate::physics::kernels::{Kernels, PerKernels};
use crate::serving;

pub use crate::catalog::calibration_rows::{parse_rows, CalibrationRow, RequestRate};
pub use crate::fit::{BandFit, Cell, EngineFit, EngineFitEntry, Fit, Metric, Regime, Slowdowns};

static BUILTIN: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();

/// The catalog with its factors and bands fitted: made here, where the fitting is, so the
/// catalog's own module never depends on calibration (which depends on the physics, which
/// reads the catalog).
impl Catalog {
    /// The catalog compiled into the binary. Its data is validated by the test suite, so a
    /// failure here is a build defect, reported with the file and entry at fault.
    pub fn builtin() -> &'static Catalog {
        BUILTIN.get_or_init(|| match Catalog::from_sources(&Sources::builtin()) {
            Ok(c) => c,
            Err(e) => panic!("built-in catalog is invalid: {e}"),
        })
    }

    /// A catalog from its data files (today's or a saved scenario's snapshot), fitted.
    pub fn from_sources(src: &Sources) -> Result<Catalog> {
        let mut catalog = Catalog::parse(src)?;
        catalog.fit = fit(&catalog, &catalog.calibration_rows);
        Ok(catalog)
    }
}

/// Mean prompt and output lengths of the ShareGPT runs (`vllm bench serve`, 1000 prompts):
/// 215,312 input and 196,656 generated tokens (gpustack performance lab, gpt-oss-120b/a100.md).
pub const SHAREGPT_PROMPT: u32 = 215;
pub const SHAREGPT_GEN: u32 = 197;
/// llama-bench's default generation length (`-n 128`), for rows that give none.
pub const DEFAULT_GEN: u32 = 128;

/// Rows never used to fit: within each metric, in file order, index % 3 == 1.
pub fn holdout_ids(rows: &[CalibrationRow]) -> Vec<String> {
    let mut out = Vec::new();
    for m in Metric::ALL {
        for (i, r) in rows.iter().filter(|r| r.metric == m).enumerate() {
            if i % 3 == 1 {
                out.push(r.id.clone());
            }
        }
    }
    out
}

/// How a row's run loaded the replica.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RowLoad {
    /// A benchmark that runs its sequences in lockstep (llama-bench, llama-batched-bench) or a
    /// single stream: the decode step and the prefill alone.
    Bench,
    /// A serving engine under a closed loop of this many clients.
    Closed(u32),
    /// The same with every request of the same lengths: synchronized waves.
    Waves(u32),
    /// A serving engine sent this many prompts at once (request rate inf).
    Burst(u32),
    /// The same with a conversation dataset's long-tailed output lengths (ShareGPT).
    BurstVaried(u32),
    /// A serving engine sent `prompts` prompts as Poisson arrivals at `rate` requests/s.
    Open { rate: f64, prompts: u32 },
}

/// A row turned into a setup and workload, or the reason it cannot be.
pub struct RowCase {
    pub physics: Physics,
    pub cell: Cell,
    pub load: RowLoad,
    pub regime: Regime,
}

/// A set of cells one set of factors is fitted on: an engine's current runs (on every vendor's
/// GPUs, or on one vendor's) or its legacy runs (likewise).
#[derive(Debug, Clone, PartialEq)]
struct Scope {
    engine: String,
    vendor: Option<String>,
    legacy: bool,
}

impl Scope {
    fn holds(&self, c: &Cell) -> bool {
        c.engine == self.engine
            && c.legacy == self.legacy
            && self.vendor.as_ref().is_none_or(|v| *v == c.vendor)
    }
}

/// Rows a vendor's or a legacy generation's own factor needs before it is fitted rather than
/// taken from the engine's (fewer would fit their noise).
const MIN_CELL_ROWS: usize = 10;

/// Whether a run's requests vary in length (ShareGPT, a random dataset with a range below 1,
/// lengths given as means), as its notes record: a closed loop of them settles into a steady
/// mix; of equal lengths, into synchronized waves (`serving::closed_loop_waves`).
fn varied_lengths(row: &CalibrationRow) -> bool {
    let notes = row.notes.to_lowercase();
    [
        "sharegpt",
        "range-ratio 0.",
        "range ratio 0.",
        "lengths vary",
        "variance",
        "mean from",
        "mean of",
        "means computed",
        "x nominal",
    ]
    .iter()
    .any(|k| notes.contains(k))
}

/// Builds the physics of a calibration row. Unified-memory devices are taken at their largest
/// configuration (the rows' hardware labels name it, e.g. an M2 Ultra with 192 GB).
pub fn row_case(catalog: &Catalog, row: &CalibrationRow) -> std::result::Result<RowCase, String> {
    let model = catalog.model(&row.model).map_err(|e| e.to_string())?;
    let format = catalog.format(&row.quant).map_err(|e| e.to_string())?;
    let engine = catalog.engine(&row.engine).map_err(|e| e.to_string())?;
    let mut gpu = catalog.gpu(&row.gpu).map_err(|e| e.to_string())?.clone();
    if let Some(max) = gpu.memory_options_gb.iter().cloned().reduce(f64::max) {
        gpu.memory_gb = max;
    }
    let kv_id = if row.kv_dtype.is_empty() {
        engine.default_kv(format)
    } else {
        row.kv_dtype.as_str()
    };
    let kv = catalog.kv_format(kv_id).map_err(|e| e.to_string())?;
    let server = matches!(row.engine.as_str(), "vllm" | "sglang" | "trt-llm");
    // A single stream's decode or prefill is the bare step whatever the engine; anything
    // else a serving engine measured ran under continuous batching.
    let serving = server
        && (row.concurrency > 1
            || !matches!(row.metric, Metric::DecodeTpsStream | Metric::PrefillTps));
    let sharegpt = serving
        && row.prompt_tokens.is_none()
        && row.gen_tokens.is_none()
        && row.notes.to_lowercase().contains("sharegpt");
    if row.parallel.contains("dp-attention") {
        // A replica here is tensor-parallel (or layer-split) throughout; with attention data
        // parallelism each GPU runs the attention of its own requests, which the step model
        // does not have (the same reason TensorRT-LLM's attention-DP rows were left out).
        return Err(
            "attention data parallelism (SGLang --enable-dp-attention) is not modelled".into(),
        );
    }
    if let Some(n) = row.scheduler_steps.filter(|n| *n > 1) {
        // The serving model runs one scheduling pass a step, as every engine in the catalog
        // does; vLLM V0 ran n steps a pass and held new prompts back until they ended.
        return Err(format!(
            "multi-step scheduling ({n} steps a pass, vLLM V0's --num-scheduler-steps) is not \
             modelled; vLLM removed it in August 2025 (vllm-project/vllm pull 22138)"
        ));
    }
    if serving && row.prompt_tokens.is_none() && !sharegpt {
        return Err("the run's prompt and output lengths are not given".into());
    }
    if row.metric == Metric::TtftMs && row.prompt_tokens.is_none() && !sharegpt {
        return Err("TTFT without a prompt length".into());
    }
    if row.metric == Metric::TpotMs && !serving {
        return Err("time per output token outside a serving engine".into());
    }
    let load = match (serving, row.request_rate) {
        (false, _) => RowLoad::Bench,
        (true, RequestRate::AllAtOnce) if row.notes.to_lowercase().contains("sharegpt") => {
            RowLoad::BurstVaried(row.concurrency)
        }
        (true, RequestRate::AllAtOnce) => RowLoad::Burst(row.concurrency),
        (true, RequestRate::PerSecond(rate)) => RowLoad::Open {
            rate,
            prompts: row.concurrency,
        },
        (true, RequestRate::Closed) if varied_lengths(row) => RowLoad::Closed(row.concurrency),
        (true, RequestRate::Closed) => RowLoad::Waves(row.concurrency),
    };
    let workload = Workload {
        concurrency: row.concurrency,
        prompt_tokens: row
            .prompt_tokens
            .unwrap_or(if sharegpt { SHAREGPT_PROMPT } else { 0 }),
        // A prefill benchmark generates nothing (llama-batched-bench's TG 0): its rows' one
        // decode step does not enter the prefill figure.
        gen_tokens: row
            .gen_tokens
            .unwrap_or(if sharegpt { SHAREGPT_GEN } else { DEFAULT_GEN })
            .max(1),
        context_depth: row.context_depth.unwrap_or(0),
        serving,
    };
    // A benchmark that runs its sequences in lockstep sets its own batch (llama-batched-bench
    // -npl 32), whatever slots the engine's server would default to.
    let bench_engine;
    let engine = if load == RowLoad::Bench {
        bench_engine = Engine {
            max_batch: None,
            gpu_defaults: Vec::new(),
            ..engine.clone()
        };
        &bench_engine
    } else {
        engine
    };
    let setup = Setup {
        model,
        format,
        gpu: &gpu,
        gpus: row.gpu_count,
        engine,
        kv,
    };
    let mut physics = Physics::new(&setup, &workload).map_err(|e| e.to_string())?;
    physics.set_limits(row.max_running, row.token_budget);
    if !physics.fits {
        return Err(format!(
            "does not fit in our memory model ({:.1} GB needed, {:.1} GB usable)",
            physics.memory().total,
            physics.memory().available
        ));
    }
    let needs_compute = row.metric == Metric::PrefillTps
        || (row.metric == Metric::TtftMs)
        || (serving && physics.prompt > 1.0);
    if needs_compute && physics.prefill_compute.is_none() {
        return Err(format!("{} has no sourced TFLOPS figure", gpu.name));
    }
    let legacy =
        (engine.legacy.as_ref()).is_some_and(|l| l.covers(&row.engine_version, &row.source_date));
    Ok(RowCase {
        physics,
        cell: Cell {
            engine: row.engine.clone(),
            vendor: gpu.fit_family(),
            legacy,
        },
        load,
        regime: match row.request_rate {
            RequestRate::Closed => Regime::of(row.concurrency as f64),
            _ => Regime::Loaded,
        },
    })
}

/// The predicted value of a row's metric and its physical limit (a ceiling for a speed, a
/// floor for a time).
pub fn predict_row(case: &RowCase, metric: Metric, f: &EngineFit) -> Option<(f64, f64)> {
    let phys = &case.physics;
    if case.load != RowLoad::Bench {
        let slow: Slowdowns = f.into();
        let l = phys.limits();
        let run = |r, step: &dyn Fn(f64, f64) -> f64| match case.load {
            RowLoad::Burst(n) => serving::burst(n as f64, r, &l, step),
            RowLoad::BurstVaried(n) => serving::burst_varied(n as f64, r, &l, step),
            RowLoad::Open { rate, prompts } => {
                serving::finite_open_loop(rate, prompts as f64, r, &l, step)
            }
            RowLoad::Closed(n) => serving::closed_loop(n as f64, r, &l, step),
            RowLoad::Waves(n) => serving::closed_loop_waves(n as f64, r, &l, step),
            RowLoad::Bench => unreachable!("a serving row"),
        };
        // The floor has no fixed path: it bounds what the steps allow.
        let op = run(slow.serve(phys.request()), &|d, p| {
            phys.mixed_step_time(&slow, d, p)
        });
        let ideal = run(phys.request(), &|d, p| phys.mixed_step_floor(d, p));
        return match metric {
            Metric::DecodeTpsStream => Some((op.decode_tps_stream(), ideal.decode_tps_stream())),
            Metric::TpotMs => Some((op.step_s * 1000.0, ideal.step_s * 1000.0)),
            Metric::OutputTpsTotal => Some((op.output_tps, ideal.output_tps)),
            Metric::TtftMs => Some((op.ttft_s * 1000.0, ideal.ttft_s * 1000.0)),
            Metric::PrefillTps => None,
        };
    }
    let p = phys.predict(f);
    let ceiling = phys.ceiling_decode_tps_stream();
    match metric {
        Metric::DecodeTpsStream => Some((p.decode_tps_stream, ceiling)),
        Metric::OutputTpsTotal => Some((p.output_tps_total, ceiling * phys.batch as f64)),
        Metric::PrefillTps => {
            let t = p.prefill_time?;
            Some((phys.prompt / t, phys.prompt / phys.prefill_floor_time()?))
        }
        Metric::TtftMs => {
            let t = f.request_overhead_s + p.prefill_time? + p.step_time;
            let floor = phys.prefill_floor_time()? + phys.step.ceiling_time();
            Some((t * 1000.0, floor * 1000.0))
        }
        Metric::TpotMs => Some((p.step_time * 1000.0, phys.step.ceiling_time() * 1000.0)),
    }
}

fn sq_log_err(cases: &[(&RowCase, f64, Metric)], f: &EngineFit) -> f64 {
    cases
        .iter()
        .filter_map(|(c, v, m)| predict_row(c, *m, f).map(|(p, _)| (p / v).ln().powi(2)))
        .sum()
}

fn grid(from: f64, to: f64, step: f64) -> impl Iterator<Item = f64> {
    let n = ((to - from) / step).round() as usize;
    (0..=n).map(move |i| from + step * i as f64)
}

/// Fits eta_bandwidth and the step overhead on decode rows (both when there are two rows or
/// more; eta alone, with `tau` given, for a single row). A coarse grid, then a fine one around
/// its best point: the squared log error is smooth in both factors, and a full fine grid over
/// a thousand serving rows (each row a steady state of several steps) made leave-one-out take
/// an hour.
fn fit_decode(cases: &[(&RowCase, f64, Metric)], tau: f64, base: EngineFit) -> Option<(f64, f64)> {
    if cases.is_empty() {
        return None;
    }
    let err = |eta: f64, t: f64| {
        let f = EngineFit {
            eta_bandwidth: eta,
            step_overhead_s: t,
            ..base
        };
        sq_log_err(cases, &f)
    };
    let search = |taus: Vec<f64>, etas: Vec<f64>| {
        let mut best = (f64::MAX, 1.0, tau);
        for &t in &taus {
            for &eta in &etas {
                let e = err(eta, t);
                if e < best.0 {
                    best = (e, eta, t);
                }
            }
        }
        best
    };
    let fit_tau = cases.len() >= 2;
    let taus = |from: f64, to: f64, step: f64| -> Vec<f64> {
        if fit_tau {
            grid(from.max(0.0), to.min(0.015), step).collect()
        } else {
            vec![tau]
        }
    };
    let (_, eta, t) = search(taus(0.0, 0.015, 0.001), grid(0.10, 1.0, 0.05).collect());
    let (_, eta, t) = search(
        taus(t - 0.001, t + 0.001, 0.0001),
        grid((eta - 0.05).max(0.10), (eta + 0.05).min(1.0), 0.01).collect(),
    );
    Some((eta, t))
}

/// Fits a compute efficiency on prefill and batched rows, decode factors held fixed (coarse,
/// then fine around the best).
fn fit_compute(
    cases: &[(&RowCase, f64, Metric)],
    base: EngineFit,
    kernels: Kernels,
) -> Option<f64> {
    if cases.is_empty() {
        return None;
    }
    let err = |eta: f64| {
        let mut f = base;
        f.eta_compute.set(kernels, eta);
        sq_log_err(cases, &f)
    };
    let best = |etas: &mut dyn Iterator<Item = f64>| {
        etas.map(|e| (err(e), e))
            .fold((f64::MAX, 1.0), |b, x| if x.0 < b.0 { x } else { b })
            .1
    };
    let coarse = best(&mut grid(0.005, 1.0, 0.05));
    Some(best(&mut grid(
        (coarse - 0.05).max(0.005),
        (coarse + 0.05).min(1.0),
        0.005,
    )))
}

/// Fits one scale on the native and dequantizing compute efficiencies of a dense (`moe` false)
/// or MoE model's rows together, their ratio kept from `base`: what a cell with too few rows of
/// either kind alone fits (coarse, then fine around the best).
fn fit_compute_scale(cases: &[(&RowCase, f64, Metric)], base: EngineFit, moe: bool) -> Option<f64> {
    if cases.is_empty() {
        return None;
    }
    let kinds = [Kernels::of(moe, false), Kernels::of(moe, true)];
    let scaled = |s: f64| {
        let mut f = base;
        for k in kinds {
            f.eta_compute
                .set(k, (s * base.eta_compute.get(k)).clamp(0.005, 1.0));
        }
        f
    };
    let err = |s: f64| sq_log_err(cases, &scaled(s));
    let best = |ss: &mut dyn Iterator<Item = f64>| {
        ss.map(|s| (err(s), s))
            .fold((f64::MAX, 1.0), |b, x| if x.0 < b.0 { x } else { b })
            .1
    };
    let coarse = best(&mut grid(0.1, 4.0, 0.1));
    Some(best(&mut grid(
        (coarse - 0.1).max(0.05),
        coarse + 0.1,
        0.01,
    )))
}

/// Fits every engine's factors and the bands on the non-held-out rows.
pub fn fit(catalog: &Catalog, rows: &[CalibrationRow]) -> Fit {
    fit_without(catalog, rows, holdout_ids(rows))
}

/// Fits every engine's factors and the bands on the rows not in `holdout` (ids).
pub fn fit_without(catalog: &Catalog, rows: &[CalibrationRow], holdout: Vec<String>) -> Fit {
    // A measurement above the physical ceiling of the bytes we model contradicts the model
    // itself (speculative decoding, a different layout...): it is reported, never fitted.
    let cases: Vec<(RowCase, f64, Metric)> = rows
        .iter()
        .filter(|r| !holdout.contains(&r.id))
        .filter_map(|r| row_case(catalog, r).ok().map(|c| (c, r.value, r.metric)))
        .filter(|(c, v, m)| {
            let ceiling = predict_row(c, *m, &EngineFit::default()).map(|(_, ceil)| ceil);
            match ceiling {
                Some(ceil) if m.is_time() => *v >= ceil,
                Some(ceil) => *v <= ceil,
                None => true,
            }
        })
        .collect();
    // No scope: every engine's current generation (a legacy generation's runs never move the
    // factors today's engines start from).
    let select = |scope: Option<&Scope>, pred: &dyn Fn(Metric, &RowCase) -> bool| {
        cases
            .iter()
            .filter(|(c, _, m)| scope.map_or(!c.cell.legacy, |s| s.holds(&c.cell)) && pred(*m, c))
            .map(|(c, v, m)| (c, *v, *m))
            .collect::<Vec<_>>()
    };
    let is_decode = |m: Metric, _: &RowCase| matches!(m, Metric::DecodeTpsStream | Metric::TpotMs);
    // A row on a GPU with no sourced FLOP/s figure has no compute term in its prediction: it
    // says nothing about a compute efficiency and never fits one.
    let is_compute = |kernels: Kernels| {
        move |m: Metric, c: &RowCase| {
            c.physics.kernels == kernels
                && c.physics.prefill_compute.is_some()
                && matches!(m, Metric::PrefillTps | Metric::OutputTpsTotal)
        }
    };

    let fit_scope = |scope: &Scope, base: EngineFit, min_rows: usize| {
        let compute = Kernels::ALL.map(|k| select(Some(scope), &is_compute(k)));
        fit_own(
            &select(Some(scope), &is_decode),
            &compute.each_ref().map(|c| c.as_slice()),
            base,
            min_rows,
        )
    };

    // Serving rows load memory and compute in the same steps, so the decode factors and the
    // compute efficiencies are fitted in turn, twice: each pass with the other's latest values.
    let mut global = EngineFit::default();
    for _ in 0..2 {
        let (g_eta, g_tau) =
            fit_decode(&select(None, &is_decode), 0.0, global).unwrap_or((1.0, 0.0));
        global.eta_bandwidth = g_eta;
        global.step_overhead_s = g_tau;
        for k in Kernels::ALL {
            let eta = fit_compute(&select(None, &is_compute(k)), global, k).unwrap_or(1.0);
            global.eta_compute.set(k, eta);
        }
    }

    // First each engine on its own current rows, then fallbacks resolved against those.
    let current = |engine: &str| Scope {
        engine: engine.to_string(),
        vendor: None,
        legacy: false,
    };
    let own: Vec<(String, Own)> = (catalog.engines.iter())
        .map(|e| (e.id.clone(), fit_scope(&current(&e.id), global, 1)))
        .collect();
    // The scopes whose factors were fitted, with their rows by group (the bands' degrees of
    // freedom).
    let mut fitted: Vec<(Scope, Own)> = Vec::new();
    let lookup = |id: &str| own.iter().find(|(e, _)| e == id).map(|(_, o)| o);
    let mut engines = Vec::new();
    for e in &catalog.engines {
        let chain: Vec<&str> = std::iter::once(e.id.as_str())
            .chain(e.calibration_fallback.as_deref())
            .collect();
        let pick = |get: &dyn Fn(&Own) -> Option<f64>| -> (Option<f64>, String) {
            for id in &chain {
                if let Some(v) = lookup(id).and_then(get) {
                    let from = if *id == e.id {
                        "own rows".to_string()
                    } else {
                        format!("{id} rows")
                    };
                    return (Some(v), from);
                }
            }
            (None, "every engine's current rows (global)".into())
        };
        let (eta_bw, decode_from) = pick(&|o| o.decode.map(|d| d.0));
        let (tau, _) = pick(&|o| o.decode.map(|d| d.1));
        let mut eta_compute = global.eta_compute;
        let mut compute_from = PerKernels::splat(String::new());
        for k in Kernels::ALL {
            let (eta, from) = pick(&|o| o.compute.get(k));
            eta_compute.set(k, eta.unwrap_or(global.eta_compute.get(k)));
            compute_from.set(k, from);
        }
        engines.push(EngineFitEntry {
            engine: e.id.clone(),
            vendor: None,
            legacy: None,
            fit: EngineFit {
                eta_bandwidth: eta_bw.unwrap_or(global.eta_bandwidth),
                step_overhead_s: tau.unwrap_or(global.step_overhead_s),
                eta_compute,
                request_overhead_s: 0.0,
            },
            decode_from,
            compute_from,
            request_from: String::new(),
        });
        if let Some((_, o)) = own.iter().find(|(id, _)| *id == e.id) {
            fitted.push((current(&e.id), o.clone()));
        }
    }

    // Then the narrower cells, each starting from the factors of the scope it narrows: an
    // engine's current runs on one vendor's GPUs (where it ran on more than one vendor's), its
    // legacy runs, and those on one vendor's.
    let mut cells = Vec::new();
    for e in &catalog.engines {
        let Some(parent) = engines.iter().find(|p| p.engine == e.id).cloned() else {
            continue;
        };
        let mut narrow = |scope: Scope, parent: &EngineFitEntry| -> Option<EngineFitEntry> {
            let o = fit_scope(&scope, parent.fit, MIN_CELL_ROWS);
            if o.decode.is_none() && Kernels::ALL.iter().all(|k| o.compute.get(*k).is_none()) {
                return None;
            }
            // A factor the cell did not fit comes from its parent's rows.
            let parent_rows = match &parent.legacy {
                Some(l) => format!("{} {l} rows", e.id),
                None => format!("{} rows", e.id),
            };
            let from = |own: bool, inherited: &str| {
                if own {
                    "own rows".to_string()
                } else if inherited == "own rows" {
                    parent_rows.clone()
                } else {
                    inherited.to_string()
                }
            };
            let (mut eta_compute, mut compute_from) =
                (parent.fit.eta_compute, parent.compute_from.clone());
            for k in Kernels::ALL {
                let own = o.compute.get(k);
                eta_compute.set(k, own.unwrap_or(parent.fit.eta_compute.get(k)));
                compute_from.set(k, from(own.is_some(), parent.compute_from.get_ref(k)));
            }
            let entry = EngineFitEntry {
                engine: e.id.clone(),
                vendor: scope.vendor.clone(),
                legacy: (scope.legacy)
                    .then(|| e.legacy.as_ref().map_or(String::new(), |l| l.id.clone())),
                fit: EngineFit {
                    eta_bandwidth: o.decode.map_or(parent.fit.eta_bandwidth, |d| d.0),
                    step_overhead_s: o.decode.map_or(parent.fit.step_overhead_s, |d| d.1),
                    eta_compute,
                    request_overhead_s: parent.fit.request_overhead_s,
                },
                decode_from: from(o.decode.is_some(), &parent.decode_from),
                compute_from,
                request_from: String::new(),
            };
            fitted.push((scope, o));
            Some(entry)
        };
        let vendors_of = |legacy: bool| {
            let mut v: Vec<&str> = (cases.iter())
                .filter(|(c, _, _)| c.cell.engine == e.id && c.cell.legacy == legacy)
                .map(|(c, _, _)| c.cell.vendor.as_str())
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let by_vendor = |legacy: bool| {
            let v = vendors_of(legacy);
            if v.len() > 1 {
                v.into_iter().map(String::from).collect()
            } else {
                Vec::new()
            }
        };
        for v in by_vendor(false) {
            let scope = Scope {
                engine: e.id.clone(),
                vendor: Some(v),
                legacy: false,
            };
            cells.extend(narrow(scope, &parent));
        }
        if e.legacy.is_some() {
            let scope = Scope {
                engine: e.id.clone(),
                vendor: None,
                legacy: true,
            };
            let legacy_parent = narrow(scope, &parent).unwrap_or_else(|| parent.clone());
            for v in by_vendor(true) {
                let scope = Scope {
                    engine: e.id.clone(),
                    vendor: Some(v),
                    legacy: true,
                };
                cells.extend(narrow(scope, &legacy_parent));
            }
            if legacy_parent != parent {
                cells.push(legacy_parent);
            }
        }
    }
    let mut fit = Fit {
        engines,
        cells,
        global,
        bands: Vec::new(),
        legacy_bands: Vec::new(),
        holdout,
    };
    let overhead_params = fit_request_overhead(&mut fit, &cases);

    // Bands: 95% of log(measured/predicted) on the fitting rows, per metric and regime, and
    // apart for today's engines and for legacy generations: the plan only ever predicts the
    // former, and the latter's residuals (a scheduler the model does not have, V0's multi-step
    // and its queueing) would widen every band it shows. With at least `EMPIRICAL_BAND_ROWS`
    // rows, their 2.5th and 97.5th percentiles: the residuals of serving runs are heavy-tailed
    // (a normal interval around them held 88% of left-out aggregate rows, not 95%). With fewer,
    // a prediction interval: mean ± t(0.975, n - p) x sd x sqrt(1 + 1/n), sd dividing the
    // squared residuals by n - p, p the factors fitted on those rows (residuals of rows a fit
    // was chosen to match understate the error on new ones; n - p is the usual correction).
    // Fewer than 5 rows borrow the metric's other regime pooled with them, then all rows pooled.
    let log_ratios = |legacy: bool, m: Option<Metric>, regime: Option<Regime>| -> Vec<f64> {
        cases
            .iter()
            .filter(|(c, _, cm)| {
                c.cell.legacy == legacy
                    && m.is_none_or(|m| *cm == m)
                    && regime.is_none_or(|r| c.regime == r)
            })
            .filter_map(|(c, v, cm)| {
                predict_row(c, *cm, fit.row_fit(&c.cell)).map(|(p, _)| (v / p).ln())
            })
            .collect()
    };
    let params = |legacy: bool, m: Option<Metric>| {
        fitted_parameters(&cases, &fitted, m, legacy)
            + if m.is_none_or(|m| m == Metric::TtftMs) {
                if legacy {
                    overhead_params.1
                } else {
                    overhead_params.0
                }
            } else {
                0.0
            }
    };
    let interval = |r: &[f64], params: f64| {
        if r.len() >= EMPIRICAL_BAND_ROWS {
            empirical_interval(r)
        } else {
            prediction_interval(r, params)
        }
    };
    let bands_of = |legacy: bool| -> Vec<BandFit> {
        let pooled = interval(&log_ratios(legacy, None, None), params(legacy, None));
        let mut bands = Vec::new();
        for m in Metric::ALL {
            let all = log_ratios(legacy, Some(m), None);
            let metric_params = params(legacy, Some(m));
            for regime in Regime::ALL {
                let r = log_ratios(legacy, Some(m), Some(regime));
                // The metric's factors, in proportion to this regime's share of its rows.
                let share = r.len() as f64 / all.len().max(1) as f64;
                let (low, high) = if r.len() >= 5 {
                    interval(&r, metric_params * share)
                } else if all.len() >= 5 {
                    interval(&all, metric_params)
                } else {
                    pooled
                };
                bands.push(BandFit {
                    metric: m,
                    regime,
                    low,
                    high,
                    rows: r.len(),
                });
            }
        }
        bands
    };
    let bands = bands_of(false);
    let legacy_bands = if cases.iter().any(|(c, _, _)| c.cell.legacy) {
        bands_of(true)
    } else {
        Vec::new()
    };
    fit.legacy_bands = legacy_bands;
    fit.bands = bands;
    fit
}

/// Single-stream TTFT rows an engine needs before its request overhead is its own rather than
/// the one fitted on every engine's.
const MIN_OVERHEAD_ROWS: usize = 3;

/// Fits each engine's request overhead (`EngineFit::request_overhead_s`) on single-stream TTFT
/// rows — the one place a request's fixed path is not buried under queueing — by a coarse then
/// a fine grid over 0–500 ms, the rows' other factors held. An engine's current generation
/// with fewer than `MIN_OVERHEAD_ROWS` such rows takes the one fitted on every engine's current
/// rows; a legacy generation (its own API server) its own when it has the rows, else its
/// engine's. Cells share their generation's. Returns how many were fitted for today's engines
/// and for legacy generations (the bands' degrees of freedom).
fn fit_request_overhead(fit: &mut Fit, cases: &[(RowCase, f64, Metric)]) -> (f64, f64) {
    let single: Vec<&(RowCase, f64, Metric)> = (cases.iter())
        .filter(|(c, _, m)| *m == Metric::TtftMs && c.regime == Regime::Single)
        .collect();
    let rows_of = |engine: Option<&str>, legacy: bool| -> Vec<&(RowCase, f64, Metric)> {
        (single.iter().copied())
            .filter(|(c, _, _)| {
                c.cell.legacy == legacy && engine.is_none_or(|e| c.cell.engine == e)
            })
            .collect()
    };
    let best = |rows: &[&(RowCase, f64, Metric)]| -> Option<f64> {
        if rows.len() < MIN_OVERHEAD_ROWS {
            return None;
        }
        let err = |o: f64| -> f64 {
            (rows.iter())
                .filter_map(|(c, v, m)| {
                    let f = EngineFit {
                        request_overhead_s: o,
                        ..*fit.row_fit(&c.cell)
                    };
                    predict_row(c, *m, &f).map(|(p, _)| (p / v).ln().powi(2))
                })
                .sum()
        };
        let min = |g: &mut dyn Iterator<Item = f64>| {
            g.map(|o| (err(o), o))
                .fold((f64::MAX, 0.0), |b, x| if x.0 < b.0 { x } else { b })
                .1
        };
        let coarse = min(&mut grid(0.0, 0.5, 0.01));
        Some(min(&mut grid(
            (coarse - 0.01).max(0.0),
            coarse + 0.01,
            0.001,
        )))
    };
    let global = best(&rows_of(None, false));
    let mut fitted = (f64::from(u8::from(global.is_some())), 0.0);
    let global = global.unwrap_or(0.0);
    // Each engine's current and legacy generations' values, with where they came from.
    type Chosen = (f64, String);
    let mut chosen: Vec<(String, Chosen, Chosen)> = Vec::new();
    for e in &fit.engines {
        let current = best(&rows_of(Some(&e.engine), false));
        let legacy = best(&rows_of(Some(&e.engine), true));
        fitted.0 += f64::from(u8::from(current.is_some()));
        fitted.1 += f64::from(u8::from(legacy.is_some()));
        let current = match current {
            Some(o) => (o, "own rows".to_string()),
            None => (
                global,
                "every engine's current single-stream rows".to_string(),
            ),
        };
        let legacy = match legacy {
            Some(o) => (o, "own rows".to_string()),
            None => (current.0, format!("{} rows", e.engine)),
        };
        chosen.push((e.engine.clone(), current, legacy));
    }
    for (engine, current, legacy) in chosen {
        let entries = fit.engines.iter_mut().chain(fit.cells.iter_mut());
        for e in entries.filter(|e| e.engine == engine) {
            let (o, from) = if e.legacy.is_some() {
                &legacy
            } else {
                &current
            };
            e.fit.request_overhead_s = *o;
            e.request_from = from.clone();
        }
    }
    fit.global.request_overhead_s = global;
    fitted
}

/// Fitting rows of a metric and regime from which its band is their residuals' own percentiles.
const EMPIRICAL_BAND_ROWS: usize = 40;

/// The 2.5th and 97.5th percentiles of log residuals, as multiplicative factors (lo <= 1 <=
/// hi), linearly interpolated between order statistics.
fn empirical_interval(log_ratios: &[f64]) -> (f64, f64) {
    let mut s = log_ratios.to_vec();
    s.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = q * (s.len() - 1) as f64;
        let (lo, frac) = (i.floor() as usize, i.fract());
        let hi = (lo + 1).min(s.len() - 1);
        s[lo] + (s[hi] - s[lo]) * frac
    };
    (at(0.025).exp().min(1.0), at(0.975).exp().max(1.0))
}

/// Factors fitted on an engine's own rows, by group: decode rows fit η_bw and τ (η_bw alone
/// for a single row); dense and MoE compute rows (prefill and batched output) one η_c each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Decode,
    Compute(Kernels),
}

fn group_of(m: Metric, kernels: Kernels) -> Option<Group> {
    match m {
        Metric::DecodeTpsStream | Metric::TpotMs => Some(Group::Decode),
        Metric::PrefillTps | Metric::OutputTpsTotal => Some(Group::Compute(kernels)),
        Metric::TtftMs => None,
    }
}

/// Factors fitted on the rows of a metric (all metrics when None), in the scopes of one
/// generation (today's engines, or legacy ones). A factor fitted on rows of
/// several metrics counts toward each in proportion to its rows of that metric.
fn fitted_parameters(
    cases: &[(RowCase, f64, Metric)],
    fitted: &[(Scope, Own)],
    m: Option<Metric>,
    legacy: bool,
) -> f64 {
    let mut params = 0.0;
    for (scope, own) in fitted.iter().filter(|(s, _)| s.legacy == legacy) {
        let groups = std::iter::once((Group::Decode, own.decode.is_some(), own.decode_rows)).chain(
            Kernels::ALL.into_iter().map(|k| {
                let fitted = own.compute.get(k).is_some();
                (Group::Compute(k), fitted, own.compute_rows.get(k))
            }),
        );
        for (group, was_fitted, rows) in groups {
            if !was_fitted || rows == 0 {
                continue;
            }
            let factors = match group {
                Group::Decode => rows.min(2) as f64,
                Group::Compute(k) if own.scaled[usize::from(k.moe)] => 0.5,
                Group::Compute(_) => 1.0,
            };
            let of_metric = (cases.iter())
                .filter(|(c, _, cm)| {
                    scope.holds(&c.cell)
                        && group_of(*cm, c.physics.kernels) == Some(group)
                        && m.is_none_or(|m| *cm == m)
                })
                .count();
            params += factors * of_metric as f64 / rows as f64;
        }
    }
    params
}

/// What one scope's rows fitted, by group (None: too few rows, the factor is inherited), and
/// how many rows each group had.
#[derive(Debug, Clone)]
struct Own {
    decode: Option<(f64, f64)>,
    compute: PerKernels<Option<f64>>,
    /// Dense (0) and MoE (1): the native and dequantizing efficiencies are one scale on the
    /// parent's pair (one factor for both).
    scaled: [bool; 2],
    decode_rows: usize,
    compute_rows: PerKernels<usize>,
}

/// Fits a scope's decode factors and compute efficiencies on its decode rows and its compute
/// rows of each kind of kernels (`Kernels::ALL` order), from `base`; a group with fewer than
/// `min_rows` rows keeps base's. Serving rows load memory and compute in the same steps, so the
/// two are fitted in turn, twice.
fn fit_own(
    decode_rows: &[(&RowCase, f64, Metric)],
    compute_rows: &[&[(&RowCase, f64, Metric)]; 4],
    base: EngineFit,
    min_rows: usize,
) -> Own {
    let enough = |r: &'_ [(&RowCase, f64, Metric)]| r.len() >= min_rows.max(1);
    let mut decode = None;
    let mut compute = PerKernels::splat(None);
    let mut scaled = [false; 2];
    let mut b = base;
    for _ in 0..2 {
        scaled = [false; 2];
        decode = if enough(decode_rows) {
            fit_decode(decode_rows, base.step_overhead_s, b)
        } else {
            None
        };
        b.eta_bandwidth = decode.map_or(base.eta_bandwidth, |d| d.0);
        b.step_overhead_s = decode.map_or(base.step_overhead_s, |d| d.1);
        for (k, rows) in Kernels::ALL.into_iter().zip(compute_rows) {
            let eta = if enough(rows) {
                fit_compute(rows, b, k)
            } else {
                None
            };
            compute.set(k, eta);
        }
        // Too few rows of one kind, enough of both: one scale on base's pair.
        for moe in [false, true] {
            let (native, dequant) = (Kernels::of(moe, false), Kernels::of(moe, true));
            let (n, d) = (compute_rows[native.index()], compute_rows[dequant.index()]);
            let both: Vec<_> = n.iter().chain(d.iter()).cloned().collect();
            if (enough(n) && enough(d)) || !enough(&both) {
                continue;
            }
            if let Some(s) = fit_compute_scale(&both, b, moe) {
                for k in [native, dequant] {
                    let eta = (s * b.eta_compute.get(k)).clamp(0.005, 1.0);
                    compute.set(k, Some(eta));
                }
                scaled[usize::from(moe)] = true;
            }
        }
        for k in Kernels::ALL {
            (b.eta_compute).set(k, compute.get(k).unwrap_or(base.eta_compute.get(k)));
        }
    }
    let mut counts = PerKernels::splat(0);
    for (k, rows) in Kernels::ALL.into_iter().zip(compute_rows) {
        counts.set(k, rows.len());
    }
    Own {
        decode,
        compute,
        scaled,
        decode_rows: decode_rows.len(),
        compute_rows: counts,
    }
}

/// Student's t 0.975 quantile, for a two-sided 95% interval.
fn t975(df: usize) -> f64 {
    const TABLE: [(usize, f64); 14] = [
        (1, 12.706),
        (2, 4.303),
        (3, 3.182),
        (4, 2.776),
        (5, 2.571),
        (6, 2.447),
        (7, 2.365),
        (8, 2.306),
        (9, 2.262),
        (10, 2.228),
        (12, 2.179),
        (15, 2.131),
        (20, 2.086),
        (30, 2.042),
    ];
    TABLE
        .iter()
        .find(|(d, _)| df <= *d)
        .map_or(1.960, |(_, t)| *t)
}

/// 95% prediction interval of a new log residual, as multiplicative factors (lo <= 1 <= hi),
/// from residuals of a fit with `params` factors chosen on the same rows.
fn prediction_interval(log_ratios: &[f64], params: f64) -> (f64, f64) {
    let n = log_ratios.len();
    if n < 2 {
        return (1.0, 1.0);
    }
    // Degrees of freedom left after the mean and the fitted factors (at least one).
    let dof = (n as f64 - params.max(1.0)).max(1.0);
    let mean = log_ratios.iter().sum::<f64>() / n as f64;
    let var = log_ratios.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / dof;
    let half = t975(dof.floor() as usize) * var.sqrt() * (1.0 + 1.0 / n as f64).sqrt();
    ((mean - half).exp().min(1.0), (mean + half).exp().max(1.0))
}

/// One evaluated row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowResult {
    pub id: String,
    pub metric: Metric,
    pub measured: f64,
    pub predicted: Option<f64>,
    pub ceiling: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub held_out: bool,
    pub skipped: Option<String>,
}

impl RowResult {
    pub fn ape(&self) -> Option<f64> {
        self.predicted
            .map(|p| (p - self.measured).abs() / self.measured * 100.0)
    }
    pub fn in_band(&self) -> bool {
        matches!((self.low, self.high), (Some(l), Some(h)) if self.measured >= l && self.measured <= h)
    }
    /// A measurement faster than physics allows for the bytes we think it read (or, for a
    /// time, shorter than the floor): a finding about the row or about our byte model.
    pub fn above_ceiling(&self) -> bool {
        match self.ceiling {
            Some(c) if self.metric.is_time() => self.measured < c * 0.999999,
            Some(c) => self.measured > c * 1.000001,
            None => false,
        }
    }
}

/// Evaluates rows against a catalog's fit.
pub fn evaluate(catalog: &Catalog, rows: &[CalibrationRow]) -> Vec<RowResult> {
    evaluate_with(catalog, &catalog.fit, rows)
}

/// Leave-one-out cross-validation: each row predicted, with its band, by factors and bands
/// fitted on every other row of `rows` (the designated held-out ones included). With a held-out
/// split of one or three rows for some metrics, this says more about how the fitting does on
/// rows it has not seen; each result is marked held out, as its row was.
pub fn leave_one_out(catalog: &Catalog, rows: &[CalibrationRow]) -> Vec<RowResult> {
    let one = |r: &CalibrationRow| {
        let fit = fit_without(catalog, rows, vec![r.id.clone()]);
        evaluate_with(catalog, &fit, std::slice::from_ref(r))
    };
    // One fit per row: spread over the cores (a thousand fits take minutes on one).
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = rows.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().flat_map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Evaluates rows against a fit.
pub fn evaluate_with(catalog: &Catalog, fit: &Fit, rows: &[CalibrationRow]) -> Vec<RowResult> {
    rows.iter()
        .map(|r| {
            let held_out = fit.holdout.contains(&r.id);
            let base = RowResult {
                id: r.id.clone(),
                metric: r.metric,
                measured: r.value,
                predicted: None,
                ceiling: None,
                low: None,
                high: None,
                held_out,
                skipped: None,
            };
            match row_case(catalog, r) {
                Err(reason) => RowResult {
                    skipped: Some(reason),
                    ..base
                },
                Ok(case) => {
                    let (lo, hi) = fit.band_of(r.metric, case.regime, &case.cell);
                    match predict_row(&case, r.metric, fit.row_fit(&case.cell)) {
                        None => RowResult {
                            skipped: Some("no prediction for this metric".into()),
                            ..base
                        },
                        Some((p, ceiling)) => {
                            // A time's band stops at its floor, a speed's at its ceiling.
                            let band = if r.metric.is_time() {
                                Band::of_time(p, lo, hi, ceiling)
                            } else {
                                Band::around(p, lo, hi, ceiling)
                            };
                            let (low, high) = (band.low, band.high);
                            RowResult {
                                predicted: Some(p),
                                ceiling: Some(ceiling),
                                low: Some(low),
                                high: Some(high),
                                ..base
                            }
                        }
                    }
                }
            }
        })
        .collect()
}

/// Per-metric summary, in the format the CLI prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub metric: Metric,
    pub n: usize,
    pub median_ape: Option<f64>,
    pub p90_ape: Option<f64>,
    pub above_ceiling: usize,
    pub in_band: usize,
    pub skipped: usize,
}

/// Nearest-rank percentile of a sorted slice.
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

pub fn summarize(results: &[RowResult]) -> Vec<Summary> {
    Metric::ALL
        .into_iter()
        .filter(|m| results.iter().any(|r| r.metric == *m))
        .map(|m| {
            let rows: Vec<&RowResult> = results.iter().filter(|r| r.metric == m).collect();
            let mut apes: Vec<f64> = rows.iter().filter_map(|r| r.ape()).collect();
            apes.sort_by(f64::total_cmp);
            Summary {
                metric: m,
                n: apes.len(),
                median_ape: percentile(&apes, 50.0),
                p90_ape: percentile(&apes, 90.0),
                above_ceiling: rows.iter().filter(|r| r.above_ceiling()).count(),
                in_band: rows.iter().filter(|r| r.in_band()).count(),
                skipped: rows.iter().filter(|r| r.skipped.is_some()).count(),
            }
        })
        .collect()
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.1}%"));
        write!(
            f,
            "summary metric={} n={} median_ape={} p90_ape={} above_ceiling={} in_band={}/{} skipped={}",
            self.metric.as_str(),
            self.n,
            pct(self.median_ape),
            pct(self.p90_ape),
            self.above_ceiling,
            self.in_band,
            self.n,
            self.skipped
        )
    }
}

#[cfg(test)]
mod band_tests {
    use super::*;

    #[test]
    fn fitted_factors_widen_the_interval_and_one_is_the_plain_sample_interval() {
        let r = [0.10, -0.05, 0.02, -0.12, 0.07, 0.01, -0.03];
        let (lo1, hi1) = prediction_interval(&r, 1.0);
        let (lo4, hi4) = prediction_interval(&r, 4.0);
        assert!(lo4 < lo1 && hi4 > hi1, "({lo1}, {hi1}) vs ({lo4}, {hi4})");
        // With one factor (the mean): mean ± t(n-1) · sd(n-1) · √(1 + 1/n).
        let n = r.len() as f64;
        let mean = r.iter().sum::<f64>() / n;
        let sd = (r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let half = 2.447 * sd * (1.0 + 1.0 / n).sqrt();
        assert!((hi1.ln() - (mean + half)).abs() < 1e-12);
        assert!((lo1.ln() - (mean - half)).abs() < 1e-12);
        // More factors than rows leave one degree of freedom, never a division by zero.
        let (lo, hi) = prediction_interval(&r[..2], 5.0);
        assert!(lo.is_finite() && hi.is_finite() && lo < 1.0 && hi > 1.0);
    }

    #[test]
    fn many_rows_take_their_own_percentiles_whatever_their_shape() {
        // 0.00, 0.01, ..., 0.40 shuffled: the 2.5th percentile sits at index 1 (0.01), the
        // 97.5th at index 39 (0.39), whatever the order.
        let mut r: Vec<f64> = (0..=40).map(|i| i as f64 / 100.0).collect();
        r.reverse();
        r.swap(3, 17);
        let (lo, hi) = empirical_interval(&r);
        // lo would be e^0.01 > 1: a band always holds the expected value.
        assert_eq!(lo, 1.0);
        assert!((hi.ln() - 0.39).abs() < 1e-12, "{hi}");
        // A heavy tail widens only its own side.
        r.push(3.0);
        let (_, hi_tail) = empirical_interval(&r);
        assert!(hi_tail > hi && hi_tail.ln() < 3.0);
        let neg: Vec<f64> = (0..=40).map(|i| -(i as f64) / 100.0).collect();
        let (lo, hi) = empirical_interval(&neg);
        assert!((lo.ln() + 0.39).abs() < 1e-12 && hi == 1.0);
    }
}
