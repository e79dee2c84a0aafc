//! One configuration — model × format × GPU × count × engine — at one operating point:
//! memory and fit, decode and prefill speed with bands, the physical ceiling and what binds.
//!
//! Two stages: `Physics::new` does the exact arithmetic of `physics` (no fitted factor), then
//! `Physics::predict` applies an engine's fitted efficiencies. Calibration fits those factors
//! by calling `predict` on precomputed `Physics`, so the fit and the product share one model.

use serde::{Deserialize, Serialize};

use crate::band::Band;
use crate::catalog::engine::{Engine, MultiGpu};
use crate::catalog::format::{not_applicable_reason, Format, KvFormat, WeightBytes};
use crate::catalog::gpu::{ComputePath, Gpu};
use crate::catalog::model::Model;
use crate::error::{PlannerError, Result};
use crate::fit::{EngineFit, Fit, Metric, Regime, Slowdowns};
use crate::notes::{Note, Notes};
use crate::physics::decode::{DecodeStep, Hardware, StepWork, PCIE_GEN4_BPS};
use crate::physics::kernels::Kernels;
use crate::physics::kv::kv_bytes_per_sequence;
use crate::physics::prefill::{prefill_times, prefill_work, PrefillWork};
use crate::physics::GB;

/// What the replica is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    /// Sequences in flight at once.
    pub concurrency: u32,
    pub prompt_tokens: u32,
    pub gen_tokens: u32,
    /// Tokens already in the KV cache before the prompt (a long conversation, a benchmark's depth).
    pub context_depth: u32,
    /// Continuous-batching server: prompts arrive and are prefilled in the same steps as other
    /// requests' decodes (`serving`). False for pure-generation benchmarks (llama-bench tg,
    /// llama-batched-bench S_TG), where every sequence decodes at once.
    pub serving: bool,
}

impl Default for Workload {
    fn default() -> Self {
        Workload {
            concurrency: 1,
            prompt_tokens: 512,
            gen_tokens: 128,
            context_depth: 0,
            serving: false,
        }
    }
}

/// The configuration to estimate. Model and GPU are passed by reference so user-supplied ones
/// (a pasted config.json, a custom GPU) work exactly like catalog entries.
#[derive(Debug, Clone, Copy)]
pub struct Setup<'a> {
    pub model: &'a Model,
    pub format: &'a Format,
    pub gpu: &'a Gpu,
    pub gpus: u32,
    pub engine: &'a Engine,
    pub kv: &'a KvFormat,
}

/// What limits the configuration (PHYSICS.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Bound {
    /// Memory capacity: it does not fit, or fewer sequences fit than asked for.
    Capacity,
    /// Memory bandwidth: streaming weights and KV sets the step time.
    Bandwidth,
    /// Compute: FLOPs set the step time (large batches, prefill).
    Compute,
    /// The link between tensor-parallel GPUs.
    Interconnect,
}

/// Memory of one replica (all its GPUs), in GB (10^9 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemoryBreakdown {
    pub weights: f64,
    pub weights_experts: f64,
    pub weights_dense: f64,
    pub weights_embedding: f64,
    pub weights_unembedding: f64,
    pub kv_cache: f64,
    pub overhead: f64,
    pub total: f64,
    pub available: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub model: String,
    pub quant: String,
    pub gpu: String,
    pub gpus: u32,
    pub engine: String,
    pub kv_format: String,
    pub workload: Workload,
    pub fits: bool,
    pub memory_gb: MemoryBreakdown,
    /// Sequences decoded together: the concurrency asked for, capped by the engine's batch
    /// limit and by KV memory.
    pub batch: u32,
    pub decode_tps_stream: Option<Band>,
    pub output_tps_total: Option<Band>,
    pub prefill_tps: Option<Band>,
    pub ttft_ms: Option<Band>,
    /// Per-stream decode speed with every byte at full bandwidth and every FLOP at peak.
    pub ceiling_decode_tps_stream: f64,
    pub bound: Bound,
    /// Weight + KV bytes one decode step reads, GB.
    pub bytes_per_step_gb: f64,
    /// Expected distinct experts touched per MoE layer at this batch (0 for dense models).
    pub experts_touched_per_layer: f64,
    /// The replica serving this load (`serving`): a closed loop of `concurrency` clients, or
    /// an open loop at an arrival rate (`estimate_under_load`). None for a load it cannot
    /// sustain (the notes say the rate it can) or when the setup does not fit.
    pub under_load: Option<UnderLoad>,
    /// The efficiency factors used and where they come from.
    pub calibration: String,
    /// Plain-language notes: assumptions, caps, unavailable figures.
    pub notes: Vec<String>,
}

/// How requests reach the replica.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrivals {
    /// `concurrency` clients, each sending its next request when the last completes.
    ClosedLoop,
    /// Poisson arrivals at this many requests/s.
    OpenLoop { requests_per_s: f64 },
}

/// A replica's figures under a load, as bands (calibrated on serving runs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnderLoad {
    pub arrivals: Arrivals,
    /// Requests holding batch slots, and in the system (waiting for a slot too).
    pub running: f64,
    pub in_system: f64,
    pub requests_per_s: f64,
    pub output_tps: Band,
    /// A stream's time per output token, ms.
    pub tpot_ms: Band,
    /// Mean TTFT, queueing included, ms.
    pub ttft_ms: Option<Band>,
    /// The open loop's TTFT at its 95th percentile, ms.
    pub ttft_p95_ms: Option<Band>,
    pub binding: crate::serving::Binding,
}

impl MemoryBreakdown {
    /// A replica's memory in GB, from bytes: the weights per tensor group, the KV cache in
    /// use, the engine's runtime overhead, and what the engine may use (`memory_budget`).
    pub fn new(weights: &WeightBytes, kv_in_use: f64, overhead: f64, available: f64) -> Self {
        MemoryBreakdown {
            weights: weights.total() / GB,
            weights_experts: weights.experts / GB,
            weights_dense: weights.dense / GB,
            weights_embedding: weights.embedding / GB,
            weights_unembedding: weights.unembedding / GB,
            kv_cache: kv_in_use / GB,
            overhead: overhead / GB,
            total: (weights.total() + overhead + kv_in_use) / GB,
            available: available / GB,
        }
    }
}

/// Bytes an engine may use on `gpus` GPUs of a type holding `weights` bytes between them (its
/// share of their usable memory), and the runtime overhead it keeps there (CUDA context,
/// activations, graphs).
pub fn memory_budget(gpus: u32, gpu: &Gpu, engine: &Engine, weights: f64) -> (f64, f64) {
    let n = gpus as f64;
    let overhead_per_gpu = engine.runtime_overhead_gb * GB;
    let available = n * engine.memory_share(gpu, weights / n + overhead_per_gpu);
    (available, n * overhead_per_gpu)
}

/// What a model in one layout asks of any hardware for a workload: weight bytes per tensor
/// group, KV bytes per sequence, prefill work. It depends on neither the GPU nor the engine's
/// factors (only on the engine's container, through the layout), so the plan works it out once
/// per model × format × container rather than per option.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub weights: WeightBytes,
    pub final_context: f64,
    pub mean_context: f64,
    /// KV cache of one sequence at its final and its mean length.
    pub kv_per_seq_final: f64,
    pub kv_per_seq_mean: f64,
    /// Sequences per byte of free memory (1 / `kv_per_seq_final`; 0 without a KV cache): the
    /// plan multiplies by it for every option instead of dividing.
    pub seqs_per_kv_byte: f64,
    /// What a decode step reads and computes per sequence, at the mean context.
    pub step: StepWork,
    /// The prompt's prefill.
    pub prefill: PrefillWork,
    /// Whether the format upcasts a model released in fewer bits (MXFP4 or FP8) to 8 bits or
    /// more: more memory and bytes per step for no gain in quality.
    pub upcast: bool,
}

impl Load {
    pub fn new(s: &Setup, w: &Workload) -> Load {
        let groups = s.model.tensor_groups();
        let layout = s.format.layout(s.engine.container, s.model);
        let weights = WeightBytes::new(&groups, &layout);
        let final_context = (w.context_depth + w.prompt_tokens + w.gen_tokens) as f64;
        let mean_context =
            w.context_depth as f64 + w.prompt_tokens as f64 + w.gen_tokens as f64 / 2.0;
        let kv_per_seq_mean = kv_bytes_per_sequence(s.model, s.kv.bytes, mean_context);
        let kv_per_seq_final = kv_bytes_per_sequence(s.model, s.kv.bytes, final_context);
        let low_bit_release = matches!(s.model.native_format.as_str(), "mxfp4" | "fp8");
        Load {
            weights,
            final_context,
            mean_context,
            kv_per_seq_final,
            kv_per_seq_mean,
            seqs_per_kv_byte: if kv_per_seq_final > 0.0 {
                1.0 / kv_per_seq_final
            } else {
                0.0
            },
            step: StepWork::new(
                s.model,
                &weights,
                kv_per_seq_mean,
                mean_context,
                w.prompt_tokens as f64,
            ),
            prefill: prefill_work(
                s.model,
                &weights,
                w.prompt_tokens.max(1) as f64,
                w.context_depth as f64,
            ),
            upcast: low_bit_release
                && s.format.id != s.model.native_format
                && s.format.dense_bits >= 8.0,
        }
    }
}

/// The exact physics of a setup at a workload, before any efficiency factor.
#[derive(Debug, Clone)]
pub struct Physics {
    pub weights: WeightBytes,
    pub kv_per_seq_final: f64,
    /// Bytes of KV cache the batch holds (one sequence's when it does not fit).
    pub kv_in_use: f64,
    /// Bytes the engine may use on the replica's GPUs, and its runtime overhead there.
    pub available: f64,
    pub overhead: f64,
    pub fits: bool,
    pub batch: u32,
    pub step: DecodeStep,
    /// Prefill: compute time at peak (None if no FLOP/s figure) and weight-read time.
    pub prefill_compute: Option<f64>,
    pub prefill_memory: f64,
    pub prompt: f64,
    /// Clients the workload names (its concurrency, before any cap).
    pub clients: f64,
    /// Output tokens a request reads (the workload's generation length).
    pub output: f64,
    /// The kind of matmuls its steps run (dense or MoE, native or dequantizing).
    pub kernels: Kernels,
    pub layers: f64,
    pub notes: Notes,
    // What `at_batch` needs to recompute the decode step for another batch.
    hw: Hardware,
    work: StepWork,
    /// The engine's cap on running sequences on this GPU and its per-step token budget.
    engine_cap: u32,
    token_budget: f64,
    /// Sequences the KV memory holds (0 when it does not fit).
    pub kv_capacity: f64,
    /// `ceiling_decode_tps_stream`, worked out with the step (a plan reads it for every option,
    /// and engines sharing the physics share it).
    ceiling: f64,
}

/// Predicted values for one setup under one engine fit (expected values only).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    pub step_time: f64,
    pub decode_tps_stream: f64,
    pub output_tps_total: f64,
    pub prefill_time: Option<f64>,
    pub bound: Bound,
}

/// Whole sequences in `x` sequences' worth of memory: `x.floor().max(0.0)`, by an integer
/// conversion where it is exact (the baseline x86-64 target has no floor instruction, and the
/// plan does this for every option).
fn whole_sequences(x: f64) -> f64 {
    if x < (1u64 << 52) as f64 {
        // Truncation is floor for x >= 0. Signed: converting from u64 is a dozen
        // instructions on this target, from i64 one.
        (x as i64).max(0) as f64
    } else {
        x.floor().max(0.0)
    }
}

/// The counts and lengths of a setup and workload (not whether the engine runs it).
fn check_workload(s: &Setup, w: &Workload) -> Result<()> {
    check_counts(s.gpus, s.model, w)
}

/// GPUs per replica and a workload's counts and lengths for a model: what `Physics::new`
/// checks besides whether the engine runs the setup.
pub fn check_counts(gpus: u32, model: &Model, w: &Workload) -> Result<()> {
    if gpus == 0 {
        return Err(PlannerError::invalid("gpus", "must be at least 1"));
    }
    if gpus > 64 {
        return Err(PlannerError::invalid(
            "gpus",
            "must be at most 64 per replica",
        ));
    }
    if w.concurrency == 0 {
        return Err(PlannerError::invalid("concurrency", "must be at least 1"));
    }
    if w.gen_tokens == 0 {
        return Err(PlannerError::invalid("gen", "must be at least 1"));
    }
    let context = w.context_depth as u64 + w.prompt_tokens as u64 + w.gen_tokens as u64;
    if context > model.max_context as u64 {
        return Err(PlannerError::invalid(
            "context",
            format!(
                "context + prompt + gen = {context} tokens exceeds {}'s maximum of {}",
                model.id, model.max_context
            ),
        ));
    }
    Ok(())
}

/// Whether the engine runs this model, format and GPU at all, with the reason when not
/// (`applicable` answers the same question without wording it).
fn check_runs(s: &Setup) -> Result<()> {
    if let Some(why) = not_applicable_reason(s.format, s.model) {
        return Err(PlannerError::Unsupported(why));
    }
    if !s.format.containers.contains(&s.engine.container) {
        return Err(PlannerError::Unsupported(format!(
            "{} has no {} layout for {}",
            s.format.id, s.engine.name, s.model.id
        )));
    }
    if let Some(why) = s
        .engine
        .refuses(&s.format.id, &s.gpu.vendor, s.gpu.arch, s.gpus)
    {
        return Err(PlannerError::Unsupported(why));
    }
    if s.engine.multi_gpu == MultiGpu::TensorParallel
        && s.gpus > 1
        && !s.model.heads.is_multiple_of(s.gpus)
    {
        return Err(PlannerError::Unsupported(format!(
            "tensor parallel over {} GPUs needs the {} attention heads of {} to divide evenly",
            s.gpus, s.model.heads, s.model.id
        )));
    }
    Ok(())
}

/// Whether a setup can run at all, without building an error message (the plan's fast path;
/// `Physics::new` gives the reason).
pub fn applicable(s: &Setup) -> bool {
    model_takes(s.format, s.model)
        && engine_runs(s.engine, s.format, s.gpu)
        && engine_spans(s.engine, s.gpus, s.model)
}

/// Whether two engines give any setup the same `Physics`: the same layout and compute path
/// (container), the same way of spanning GPUs, the same memory reservations, and the same
/// scheduling limits on every GPU (caps and token budgets). Everything else
/// `Physics` depends on is the setup's model, format, GPU and count. The plan computes the
/// physics once for such engines; their fitted factors still differ.
pub fn same_physics(a: &Engine, b: &Engine) -> bool {
    a.container == b.container
        && a.multi_gpu == b.multi_gpu
        && a.memory_fraction == b.memory_fraction
        && a.fraction_of_free == b.fraction_of_free
        && a.reserved_gib == b.reserved_gib
        && a.runtime_overhead_gb == b.runtime_overhead_gb
        && a.max_batch == b.max_batch
        && a.token_budget == b.token_budget
        && a.gpu_defaults == b.gpu_defaults
}

/// Whether a format exists for a model (its release rules; `not_applicable_reason` words it).
pub fn model_takes(f: &Format, model: &Model) -> bool {
    if f.native_only && model.native_format != f.id {
        return false;
    }
    let native_mxfp4 = model.native_format == "mxfp4";
    !(native_mxfp4 && f.id != "mxfp4" && f.experts_bits < 8.0 && !f.keeps_native_mxfp4_experts)
}

/// Whether an engine serves a format on a GPU type at all (whatever the model and count).
pub fn engine_runs(e: &Engine, f: &Format, gpu: &Gpu) -> bool {
    f.containers.contains(&e.container)
        && e.formats.contains(&f.id)
        && e.runs_on(&gpu.vendor, gpu.arch)
        && !e
            .unsupported
            .iter()
            .any(|u| u.format == f.id && u.arch == gpu.arch)
}

/// Whether an engine can spread a model over this many GPUs.
pub fn engine_spans(e: &Engine, gpus: u32, model: &Model) -> bool {
    match e.multi_gpu {
        MultiGpu::SingleDevice => gpus == 1,
        MultiGpu::TensorParallel => gpus == 1 || model.heads.is_multiple_of(gpus),
        MultiGpu::LayerSplit => true,
    }
}

/// The compute path a setup runs in: llama.cpp-family engines dequantize to 16-bit (or int8)
/// kernels whatever the format; server engines use the format's native path where it exists.
pub fn compute_path(s: &Setup) -> ComputePath {
    match s.engine.container {
        crate::catalog::format::Container::Hf => s.format.compute,
        _ => ComputePath::Bf16,
    }
}

/// The hardware `gpus` GPUs of a type are to an engine that spans them by `split` and computes
/// in `path`: their bandwidth, peak FLOP/s for the path, and link (PCIe 4.0 when the catalog
/// names no faster one). The plan makes one per GPU choice, way of spanning and path.
pub fn hardware(gpu: &Gpu, gpus: u32, split: MultiGpu, path: ComputePath) -> Hardware {
    let interconnect_bps = gpu
        .interconnect_gbps
        .map(|g| g * 1e9)
        .unwrap_or(PCIE_GEN4_BPS);
    Hardware::new(
        gpu.bandwidth_bps(),
        gpu.peak_flops(path),
        gpus,
        split,
        interconnect_bps,
    )
}

/// `hardware` for a setup.
fn setup_hardware(s: &Setup) -> Hardware {
    hardware(s.gpu, s.gpus, s.engine.multi_gpu, compute_path(s))
}

impl Physics {
    pub fn new(s: &Setup, w: &Workload) -> Result<Physics> {
        check_workload(s, w)?;
        check_runs(s)?;
        Ok(Self::compute(s, w))
    }

    /// `new` for a setup the caller has already found `applicable`, at a workload it has
    /// already checked (`check_counts`), with its `Load` and its `hardware` worked out
    /// beforehand: the plan's hot loop, where those checks, the per-model arithmetic and the
    /// hardware's reciprocals would otherwise be repeated for every GPU and engine.
    #[inline(always)]
    pub fn new_applicable(s: &Setup, w: &Workload, load: &Load, hw: &Hardware) -> Physics {
        debug_assert!(applicable(s));
        debug_assert!(check_workload(s, w).is_ok());
        debug_assert_eq!(*hw, setup_hardware(s));
        Self::with_load(s, w, load, hw)
    }

    fn compute(s: &Setup, w: &Workload) -> Physics {
        Self::with_load(s, w, &Load::new(s, w), &setup_hardware(s))
    }

    #[inline(always)]
    fn with_load(s: &Setup, w: &Workload, load: &Load, hw: &Hardware) -> Physics {
        let mut notes = Notes::default();
        let Load {
            weights,
            final_context,
            kv_per_seq_final,
            seqs_per_kv_byte,
            step: step_work,
            prefill: work,
            ..
        } = *load;
        let (available, overhead) = memory_budget(s.gpus, s.gpu, s.engine, weights.total());
        let free_for_kv = available - weights.total() - overhead;
        let fits = free_for_kv >= kv_per_seq_final;
        let kv_capacity = if kv_per_seq_final > 0.0 {
            whole_sequences(free_for_kv * seqs_per_kv_byte)
        } else {
            f64::MAX
        };
        let mut batch = w.concurrency as f64;
        let engine_cap = s.engine.max_running(s.gpu);
        if let Some(cap) = engine_cap {
            if batch > cap as f64 {
                batch = cap as f64;
                notes.push(Note::EngineBatchCap(cap));
            }
        }
        if fits && batch > kv_capacity {
            batch = kv_capacity.max(1.0);
            notes.push(Note::KvLimited {
                sequences: batch.min(u32::MAX as f64) as u32,
                tokens: final_context.min(u32::MAX as f64) as u32,
            });
        }
        let batch = batch.max(1.0);
        let kv_in_use = if fits {
            batch * kv_per_seq_final
        } else {
            kv_per_seq_final
        };
        if !fits {
            notes.push(Note::DoesNotFit);
        }

        if !hw.has_peak() {
            notes.push(Note::NoTflops);
        }
        if s.engine.multi_gpu == MultiGpu::TensorParallel && s.gpus > 1 {
            notes.push(Note::TensorParallelLatency);
        }
        if s.engine.multi_gpu == MultiGpu::LayerSplit && s.gpus > 1 {
            notes.push(Note::LayerSplit);
        }
        let step = step_work.step(batch, hw);
        let (prefill_compute, prefill_memory) = prefill_times(&work, hw);
        if load.upcast {
            notes.push(Note::Upcast);
        }
        Physics {
            weights,
            kv_per_seq_final,
            kv_in_use,
            available,
            overhead,
            fits,
            batch: batch as u32,
            step,
            prefill_compute,
            prefill_memory,
            prompt: w.prompt_tokens.max(1) as f64,
            clients: w.concurrency.max(1) as f64,
            output: w.gen_tokens.max(1) as f64,
            kernels: Kernels::of_setup(
                s.model,
                s.format,
                s.engine.container,
                s.gpu,
                compute_path(s),
            ),
            layers: s.model.layers as f64,
            notes,
            hw: *hw,
            work: step_work,
            engine_cap: engine_cap.unwrap_or(u32::MAX),
            token_budget: s.engine.token_budget_on(s.gpu) as f64,
            kv_capacity: if fits { kv_capacity } else { 0.0 },
            ceiling: 1.0 / step.ceiling_time(),
        }
    }

    /// The same setup decoding `batch` sequences instead (memory use and fit unchanged): the
    /// capacity search calls this, so it recomputes only the decode step.
    pub fn at_batch(&self, batch: u32) -> Physics {
        let b = batch.max(1);
        let step = self.decode_step_at(b);
        Physics {
            batch: b,
            step,
            notes: Notes::default(),
            ceiling: 1.0 / step.ceiling_time(),
            ..self.clone()
        }
    }

    /// Where the replica's memory goes, in GB.
    pub fn memory(&self) -> MemoryBreakdown {
        MemoryBreakdown::new(&self.weights, self.kv_in_use, self.overhead, self.available)
    }

    /// Expected distinct experts touched per MoE layer at this batch (0 for a dense model).
    pub fn experts_touched(&self) -> f64 {
        self.work.experts_touched(self.batch as f64)
    }

    /// Expected decode step time when `batch` sequences decode together (what the capacity
    /// search probes: the decode step only, nothing copied).
    pub fn step_time_at(&self, f: &Slowdowns, batch: u32) -> f64 {
        self.step_time(&self.decode_step_at(batch), f)
    }

    /// The exact decode step of this setup at another batch (at least one sequence).
    fn decode_step_at(&self, batch: u32) -> DecodeStep {
        // The batch `new` worked out already (the capacity search tries it first): the same
        // arithmetic on the same inputs, so the same step.
        if batch.max(1) == self.batch {
            return self.step;
        }
        let b = batch.max(1) as f64;
        self.work.step(b, &self.hw)
    }

    /// The engine's scheduling limits on this replica: its cap on running sequences and what
    /// the KV memory holds, and its per-step token budget (`serving`).
    pub fn limits(&self) -> crate::serving::Limits {
        crate::serving::Limits {
            max_running: (self.engine_cap as f64).min(self.kv_capacity).max(1.0),
            token_budget: self.token_budget,
        }
    }

    /// A run's own scheduling settings in place of the engine's defaults (calibration rows
    /// that state them).
    pub fn set_limits(&mut self, max_running: Option<u32>, token_budget: Option<u32>) {
        if let Some(n) = max_running {
            self.engine_cap = n;
        }
        if let Some(t) = token_budget {
            self.token_budget = t as f64;
        }
    }

    /// A request of this workload, as the serving model takes it.
    /// The request as physics sees it (no fixed path outside the steps: `Slowdowns::serve`
    /// adds the engine's).
    pub fn request(&self) -> crate::serving::Request {
        crate::serving::Request {
            prompt: self.prompt,
            output: self.output,
            fixed_s: 0.0,
        }
    }

    /// Whether the engine's cap on running sequences binds before the KV memory does.
    pub fn engine_cap_binds(&self) -> bool {
        (self.engine_cap as f64) <= self.kv_capacity
    }

    /// Expected time of a serving step with `decode` decoding sequences and `prefill` prompt
    /// tokens under an engine's factors (`StepWork::mixed`).
    pub fn mixed_step_time(&self, f: &Slowdowns, decode: f64, prefill: f64) -> f64 {
        self.step_time(&self.work.mixed(decode, prefill, &self.hw), f)
    }

    /// The physical floor of that step: bytes at full bandwidth, FLOPs at peak, no overhead.
    pub fn mixed_step_floor(&self, decode: f64, prefill: f64) -> f64 {
        self.work.mixed(decode, prefill, &self.hw).ceiling_time()
    }

    /// A decode step's expected time under an engine's factors. Streaming weights and computing
    /// do not overlap perfectly in real kernels (grouped expert matmuls load, then compute); the
    /// sum fits the published runs as well as a per-kernel smooth max does (CALIBRATION.md,
    /// "The model, in short"). The physical ceiling still uses the max.
    fn step_time(&self, step: &DecodeStep, f: &Slowdowns) -> f64 {
        let (mem, comp) = self.memory_and_compute(step, f);
        mem + comp + step.comm_time + f.overhead(self.layers)
    }

    /// A step's memory and compute times under an engine's efficiencies (physical time / η).
    fn memory_and_compute(&self, step: &DecodeStep, f: &Slowdowns) -> (f64, f64) {
        let mem = step.memory_time * f.memory;
        let comp = step
            .compute_time
            .map_or(0.0, |c| c * f.compute(self.kernels));
        (mem, comp)
    }

    /// Expected prefill time of the prompt (None without a FLOP/s figure); batch-independent.
    fn prefill_time(&self, f: &Slowdowns) -> Option<f64> {
        let slow_c = f.compute(self.kernels);
        self.prefill_compute
            .map(|c| c * slow_c + self.prefill_memory * f.memory + f.overhead(self.layers))
    }

    /// Per-stream decode tokens/s with every byte at full bandwidth and every FLOP at peak.
    pub fn ceiling_decode_tps_stream(&self) -> f64 {
        self.ceiling
    }

    /// Prefill time with no efficiency loss: the physical floor.
    pub fn prefill_floor_time(&self) -> Option<f64> {
        self.prefill_compute.map(|c| c.max(self.prefill_memory))
    }

    /// Expected values under an engine's fitted efficiencies. Efficiencies are <= 1 and the
    /// overhead >= 0, so nothing here can exceed the physical ceiling.
    pub fn predict(&self, f: &EngineFit) -> Prediction {
        self.predict_slowed(&f.into())
    }

    /// `predict` with the factors as multipliers, made once per engine (the plan's way).
    pub fn predict_slowed(&self, f: &Slowdowns) -> Prediction {
        let (mem, comp) = self.memory_and_compute(&self.step, f);
        let comm = self.step.comm_time;
        let step_time = self.step_time(&self.step, f);
        let bound = if !self.fits || (self.batch as f64) < 1.0 {
            Bound::Capacity
        } else if comm > mem.max(comp) {
            Bound::Interconnect
        } else if comp > mem {
            Bound::Compute
        } else {
            Bound::Bandwidth
        };
        let prefill_time = self.prefill_time(f);
        let decode_tps_stream = 1.0 / step_time;
        Prediction {
            step_time,
            decode_tps_stream,
            output_tps_total: self.batch as f64 * decode_tps_stream,
            prefill_time,
            bound,
        }
    }
}

/// Estimates a setup at a workload with the catalog's fitted efficiencies and bands, under a
/// closed loop of `w.concurrency` clients.
pub fn estimate(s: &Setup, w: &Workload, fit: &Fit) -> Result<Estimate> {
    estimate_under_load(s, w, Arrivals::ClosedLoop, fit)
}

/// `estimate` with the load's arrivals given: a closed loop of `w.concurrency` clients or an
/// open loop at a rate.
pub fn estimate_under_load(
    s: &Setup,
    w: &Workload,
    arrivals: Arrivals,
    fit: &Fit,
) -> Result<Estimate> {
    let phys = Physics::new(s, w)?;
    let (engine_fit, provenance) = fit.for_engine_on(&s.engine.id, &s.gpu.fit_family());
    let p = phys.predict(engine_fit);
    let ceiling = phys.ceiling_decode_tps_stream();
    let mut notes: Vec<String> = phys.notes.texts().map(|n| n.into_owned()).collect();
    let mut bound = p.bound;
    if phys.fits && (phys.batch as u64) < w.concurrency as u64 {
        bound = Bound::Capacity;
    }
    let regime = Regime::of(phys.batch as f64);
    let band = |m: Metric, v: f64, ceil: f64| {
        let (lo, hi) = fit.band(m, regime);
        Band::around(v, lo, hi, ceil)
    };
    let (decode, total, prefill, ttft) = if phys.fits {
        let decode = band(Metric::DecodeTpsStream, p.decode_tps_stream, ceiling);
        // One sequence: the aggregate is the stream itself, with the stream's band.
        let total = if phys.batch == 1 {
            decode
        } else {
            band(
                Metric::OutputTpsTotal,
                p.output_tps_total,
                ceiling * phys.batch as f64,
            )
        };
        let prefill = match (p.prefill_time, phys.prefill_floor_time()) {
            (Some(t), Some(floor)) => Some(band(
                Metric::PrefillTps,
                phys.prompt / t,
                phys.prompt / floor,
            )),
            _ => None,
        };
        // TTFT on an idle replica: the request's fixed path, the prompt's prefill, then the
        // step that emits the token.
        let fixed_ms = engine_fit.request_overhead_s * 1000.0;
        let ttft = prefill.map(|pf| {
            let prefill_ms = pf.inverse(phys.prompt * 1000.0);
            let step_ms = decode.inverse(1000.0);
            Band {
                low: fixed_ms + prefill_ms.low + step_ms.low,
                expected: fixed_ms + prefill_ms.expected + step_ms.expected,
                high: fixed_ms + prefill_ms.high + step_ms.high,
            }
        });
        (Some(decode), Some(total), prefill, ttft)
    } else {
        (None, None, None, None)
    };
    let under_load = if phys.fits {
        under_load(&phys, engine_fit, arrivals, fit, &mut notes)
    } else {
        None
    };
    Ok(Estimate {
        model: s.model.id.clone(),
        quant: s.format.id.clone(),
        gpu: s.gpu.id.clone(),
        gpus: s.gpus,
        engine: s.engine.id.clone(),
        kv_format: s.kv.id.clone(),
        workload: *w,
        fits: phys.fits,
        memory_gb: phys.memory(),
        batch: phys.batch,
        decode_tps_stream: decode,
        output_tps_total: total,
        prefill_tps: prefill,
        ttft_ms: ttft,
        ceiling_decode_tps_stream: ceiling,
        under_load,
        bound,
        bytes_per_step_gb: (phys.step.weight_bytes + phys.step.kv_bytes) / GB,
        experts_touched_per_layer: phys.experts_touched(),
        calibration: provenance,
        notes,
    })
}

/// The replica under `arrivals` (`serving`), with the calibration's bands: speeds capped at
/// what the same load gives with every byte at full bandwidth and every FLOP at peak, times
/// floored there.
fn under_load(
    phys: &Physics,
    engine_fit: &EngineFit,
    arrivals: Arrivals,
    fit: &Fit,
    notes: &mut Vec<String>,
) -> Option<UnderLoad> {
    use crate::serving;
    let slow: Slowdowns = engine_fit.into();
    let (r, l) = (slow.serve(phys.request()), phys.limits());
    let floor_r = phys.request();
    let expected = |d: f64, p: f64| phys.mixed_step_time(&slow, d, p);
    let ideal = |d: f64, p: f64| phys.mixed_step_floor(d, p);
    // As the calibration rows: a closed loop by its clients, Poisson arrivals under load.
    let regime = match arrivals {
        Arrivals::ClosedLoop => Regime::of(phys.clients),
        Arrivals::OpenLoop { .. } => Regime::Loaded,
    };
    let time_band = |m: Metric, v: f64, floor: f64| {
        let (lo, hi) = fit.band(m, regime);
        Band::of_time(v, lo, hi, floor)
    };
    let has_compute = phys.prefill_compute.is_some();
    let (op, best, tail) = match arrivals {
        Arrivals::ClosedLoop => {
            let n = phys.clients;
            (
                serving::closed_loop(n, r, &l, expected),
                serving::closed_loop(n, floor_r, &l, ideal),
                None,
            )
        }
        Arrivals::OpenLoop { requests_per_s } => {
            match serving::open_loop(requests_per_s, r, &l, expected) {
                Ok(o) => {
                    let b = serving::open_loop(requests_per_s, floor_r, &l, ideal).map_or(o, |b| b);
                    (o.at, b.at, Some((o.ttft_tail_s, b.ttft_tail_s)))
                }
                Err(over) => {
                    notes.push(format!(
                        "overloaded: at {requests_per_s} requests/s the queue grows without bound; this replica sustains at most {:.3} requests/s (expected)",
                        over.max_rate
                    ));
                    return None;
                }
            }
        }
    };
    if !has_compute {
        notes.push(
            "TTFT under load needs a TFLOPS figure for the prompt's compute: not estimated".into(),
        );
    }
    let (lo, hi) = fit.band(Metric::OutputTpsTotal, regime);
    Some(UnderLoad {
        arrivals,
        running: op.running,
        in_system: op.in_system,
        requests_per_s: op.requests_per_s,
        output_tps: Band::around(op.output_tps, lo, hi, best.output_tps),
        tpot_ms: time_band(Metric::TpotMs, op.step_s * 1000.0, best.step_s * 1000.0),
        ttft_ms: has_compute
            .then(|| time_band(Metric::TtftMs, op.ttft_s * 1000.0, best.ttft_s * 1000.0)),
        ttft_p95_ms: tail
            .filter(|_| has_compute)
            .map(|(t, b)| time_band(Metric::TtftMs, t * 1000.0, b * 1000.0)),
        binding: op.binding,
    })
}
