//! Inference engines: the container they load, how they span GPUs and their serving defaults.

use serde::{Deserialize, Serialize};

use super::format::Container;
use super::gpu::{Arch, Gpu};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MultiGpu {
    /// Weights and KV split N ways; every device works on every layer (two all-reduces a layer).
    TensorParallel,
    /// Layers split across devices, which work in turn: memory adds up, a stream is not faster.
    LayerSplit,
    /// One device only.
    SingleDevice,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unsupported {
    pub format: String,
    pub arch: Arch,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Engine {
    pub id: String,
    pub name: String,
    pub container: Container,
    pub multi_gpu: MultiGpu,
    pub vendors: Vec<String>,
    pub formats: Vec<String>,
    #[serde(default)]
    pub unsupported: Vec<Unsupported>,
    pub memory_fraction: f64,
    pub runtime_overhead_gb: f64,
    /// The default cap on sequences running at once (absent: KV memory alone limits them).
    #[serde(default)]
    pub max_batch: Option<u32>,
    /// Tokens (decode plus prefill chunks) one engine step may carry by default.
    pub token_budget: u32,
    /// Defaults that depend on the GPU, first match wins (vLLM raises both on large GPUs).
    #[serde(default)]
    pub gpu_defaults: Vec<GpuDefaults>,
    /// The KV-cache format the engine picks for checkpoints of a format when the user names
    /// none (BF16 where no entry says otherwise).
    #[serde(default)]
    pub kv_defaults: Vec<KvDefault>,
    /// Engine whose calibration stands in when this one has no measurements of its own.
    #[serde(default)]
    pub calibration_fallback: Option<String>,
    pub source: String,
    pub source_date: String,
}

/// An engine's default KV-cache format for checkpoints of one weight format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KvDefault {
    pub format: String,
    pub kv: String,
    pub source: String,
    pub source_date: String,
}

/// Scheduling defaults an engine applies on some GPUs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GpuDefaults {
    /// Applies to GPUs with at least this much device memory (GiB)...
    pub min_memory_gib: f64,
    /// ...except these catalog ids.
    #[serde(default)]
    pub except_gpus: Vec<String>,
    pub max_batch: Option<u32>,
    pub token_budget: Option<u32>,
    pub source: String,
    pub source_date: String,
}

impl GpuDefaults {
    fn applies(&self, gpu: &Gpu) -> bool {
        !gpu.unified && gpu.memory_gb >= self.min_memory_gib && !self.except_gpus.contains(&gpu.id)
    }
}

impl Engine {
    /// The KV-cache format id the engine uses for checkpoints in `format` by default.
    pub fn default_kv(&self, format: &super::format::Format) -> &str {
        self.kv_defaults
            .iter()
            .find(|d| d.format == format.id)
            .map_or("bf16", |d| d.kv.as_str())
    }

    fn gpu_defaults(&self, gpu: &Gpu) -> Option<&GpuDefaults> {
        self.gpu_defaults.iter().find(|d| d.applies(gpu))
    }

    /// The default cap on running sequences on `gpu` (None: KV memory alone limits them).
    pub fn max_running(&self, gpu: &Gpu) -> Option<u32> {
        self.gpu_defaults(gpu)
            .and_then(|d| d.max_batch)
            .or(self.max_batch)
    }

    /// The default per-step token budget on `gpu`.
    pub fn token_budget_on(&self, gpu: &Gpu) -> u32 {
        self.gpu_defaults(gpu)
            .and_then(|d| d.token_budget)
            .unwrap_or(self.token_budget)
    }

    /// Why this engine cannot run a format on a GPU, or None when it can.
    pub fn refuses(&self, format_id: &str, vendor: &str, arch: Arch, gpus: u32) -> Option<String> {
        if !self.formats.iter().any(|f| f == format_id) {
            return Some(format!("{} does not serve {format_id}", self.name));
        }
        if arch != Arch::Custom && !self.vendors.iter().any(|v| v == vendor) {
            return Some(format!("{} does not run on {vendor} hardware", self.name));
        }
        if let Some(u) = self
            .unsupported
            .iter()
            .find(|u| u.format == format_id && u.arch == arch)
        {
            return Some(u.why.clone());
        }
        if self.multi_gpu == MultiGpu::SingleDevice && gpus > 1 {
            return Some(format!("{} runs on one device only", self.name));
        }
        None
    }
}
