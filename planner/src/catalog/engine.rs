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
    /// The architectures it runs on, where fewer than all of its vendors' (empty: all).
    #[serde(default)]
    pub archs: Vec<Arch>,
    pub formats: Vec<String>,
    #[serde(default)]
    pub unsupported: Vec<Unsupported>,
    pub memory_fraction: f64,
    /// Whether `memory_fraction` is a share of the memory left free once the weights and the
    /// runtime are loaded, for the KV cache alone (TensorRT-LLM's free_gpu_memory_fraction),
    /// rather than of the device's memory (vLLM's gpu_memory_utilization).
    #[serde(default)]
    pub fraction_of_free: bool,
    /// Where the engine sizes its share as "all but a reserve" (SGLang's mem_fraction_static):
    /// GiB per GPU left for activations, graphs and context; its share is the rest.
    #[serde(default)]
    pub reserved_gib: Option<f64>,
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
    /// An earlier generation of the engine whose measurements are fitted apart from the
    /// current one's (the plan uses the current one's factors).
    #[serde(default)]
    pub legacy: Option<Legacy>,
    pub source: String,
    pub source_date: String,
}

/// An engine's earlier generation: runs of versions before `before_version` (or, when a run
/// names no version, measured before `before_date`) ran a different scheduler and kernels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Legacy {
    pub id: String,
    pub before_version: String,
    /// YYYY-MM-DD: the release date of `before_version`.
    pub before_date: String,
    pub source: String,
    pub source_date: String,
}

impl Legacy {
    /// Whether a run of `version` (empty: not stated) measured on `date` (YYYY-MM[-DD]) ran
    /// this generation. Versions compare by their leading numbers ("v0.6.3.post2" is 0.6.3).
    pub fn covers(&self, version: &str, date: &str) -> bool {
        match (
            release_numbers(version),
            release_numbers(&self.before_version),
        ) {
            (Some(v), Some(before)) => v < before,
            _ => !date.is_empty() && date < self.before_date.as_str(),
        }
    }
}

/// The leading dotted numbers of a version string ("v0.11.0rc1" -> [0, 11, 0]).
fn release_numbers(version: &str) -> Option<Vec<u32>> {
    let v = version.trim().trim_start_matches('v');
    let nums: Vec<u32> = v
        .split('.')
        .map_while(|part| {
            let digits: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
            digits.parse().ok()
        })
        .collect();
    (!nums.is_empty()).then_some(nums)
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
    #[serde(default)]
    pub reserved_gib: Option<f64>,
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

    /// Bytes of one `gpu` the engine lets itself use for weights, KV cache and its runtime
    /// overhead, when `resident` bytes of weights and runtime sit on it: all but its reserve
    /// where it keeps one, its fraction of what they leave free where the fraction is of free
    /// memory, else its fraction of the memory.
    pub fn memory_share(&self, gpu: &Gpu, resident: f64) -> f64 {
        let usable = gpu.usable_bytes();
        let reserved = self.gpu_defaults(gpu).and_then(|d| d.reserved_gib);
        match reserved.or(self.reserved_gib) {
            Some(r) => (usable - r * crate::units::GIB).max(0.0),
            None if self.fraction_of_free && usable > resident => {
                resident + (usable - resident) * self.memory_fraction
            }
            None if self.fraction_of_free => usable,
            None => usable * self.memory_fraction,
        }
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

    /// Whether it runs on a GPU of this vendor and architecture (a user's own GPU: always).
    pub fn runs_on(&self, vendor: &str, arch: Arch) -> bool {
        arch == Arch::Custom
            || (self.vendors.iter().any(|v| v == vendor)
                && (self.archs.is_empty() || self.archs.contains(&arch)))
    }

    /// Why this engine cannot run a format on a GPU, or None when it can.
    pub fn refuses(&self, format_id: &str, vendor: &str, arch: Arch, gpus: u32) -> Option<String> {
        if !self.formats.iter().any(|f| f == format_id) {
            return Some(format!("{} does not serve {format_id}", self.name));
        }
        if !self.runs_on(vendor, arch) {
            return Some(format!(
                "{} does not run on this {vendor} hardware",
                self.name
            ));
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

#[cfg(test)]
mod tests {
    use super::Legacy;

    fn v0() -> Legacy {
        Legacy {
            id: "v0".into(),
            before_version: "0.8.0".into(),
            before_date: "2025-03-18".into(),
            source: String::new(),
            source_date: String::new(),
        }
    }

    #[test]
    fn a_legacy_generation_covers_earlier_versions_by_number_not_by_text() {
        let l = v0();
        assert!(l.covers("0.6.3.post2.dev308+gb489fc3c", "2026-01-01"));
        assert!(l.covers("v0.7.4.dev181+gf35f8e22", ""));
        assert!(!l.covers("0.8.0", "2024-01-01"));
        // "0.10" is after "0.8" though it sorts before it as text.
        assert!(!l.covers("v0.10.2", "2024-01-01"));
        assert!(!l.covers("1.0", ""));
    }

    #[test]
    fn without_a_version_the_measurement_date_decides() {
        let l = v0();
        assert!(l.covers("", "2024-11"));
        assert!(l.covers("", "2025-03-17"));
        assert!(!l.covers("", "2025-03-18"));
        assert!(!l.covers("", "2026-04"));
        // Neither a version nor a date: the current generation.
        assert!(!l.covers("", ""));
    }
}
