//! Inference engines: the container they load, how they span GPUs and their serving defaults.

use serde::{Deserialize, Serialize};

use super::format::Container;
use super::gpu::Arch;

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
    #[serde(default)]
    pub max_batch: Option<u32>,
    /// Engine whose calibration stands in when this one has no measurements of its own.
    #[serde(default)]
    pub calibration_fallback: Option<String>,
    pub source: String,
    pub source_date: String,
}

impl Engine {
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
