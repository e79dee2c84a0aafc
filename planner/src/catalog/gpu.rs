//! Accelerators: memory, bandwidth, dense TFLOPS per format, power and purchase price.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Architecture family: decides native format support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    Ampere,
    Ada,
    Hopper,
    Blackwell,
    Cdna3,
    /// AMD Instinct MI350X/MI355X: FP8 and MXFP4/MXFP6 in the matrix cores.
    Cdna4,
    /// AMD's RDNA 3.5 integrated GPUs (Ryzen AI Max, "Strix Halo"): no FP8 or FP4 matrix path.
    #[serde(rename = "rdna3.5")]
    Rdna35,
    Apple,
    /// A user-described GPU: native support is whatever TFLOPS the user gave.
    Custom,
}

impl Arch {
    pub fn native_fp8(self) -> bool {
        matches!(
            self,
            Arch::Ada | Arch::Hopper | Arch::Blackwell | Arch::Cdna3 | Arch::Cdna4
        )
    }
    pub fn native_fp4(self) -> bool {
        matches!(self, Arch::Blackwell | Arch::Cdna4)
    }
}

/// A sourced price: what it is, where it came from and when. Shared (`Arc`) by the catalog and
/// every plan option costed with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Price {
    pub usd: f64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub basis: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub source: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub date: Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gpu {
    pub id: String,
    pub name: String,
    pub vendor: String,
    /// Where it is sold and used (the form groups GPUs by it).
    pub segment: Segment,
    /// The memory technology its source names (absent for a user's own GPU).
    #[serde(default)]
    pub memory_kind: Option<MemoryKind>,
    pub arch: Arch,
    #[serde(default)]
    pub unified: bool,
    /// Memory of the configuration this entry describes (for unified devices: the priced one),
    /// in the vendor's binary GB (GiB); see `usable_bytes`.
    pub memory_gb: f64,
    #[serde(default)]
    pub memory_options_gb: Vec<f64>,
    /// Share of memory the GPU may use (unified memory); 1.0 for discrete cards.
    #[serde(default = "one")]
    pub usable_fraction: f64,
    pub bandwidth_gbps: f64,
    #[serde(default)]
    pub bf16_tflops: Option<f64>,
    #[serde(default)]
    pub fp8_tflops: Option<f64>,
    #[serde(default)]
    pub fp4_tflops: Option<f64>,
    #[serde(default)]
    pub tdp_w: Option<f64>,
    #[serde(default)]
    pub interconnect: String,
    #[serde(default)]
    pub interconnect_gbps: Option<f64>,
    #[serde(default)]
    pub price: Option<Arc<Price>>,
    pub source: String,
    pub source_date: String,
    #[serde(default)]
    pub notes: String,
    /// True for a user-described GPU: every figure shown is marked as the user's.
    #[serde(default)]
    pub user_supplied: bool,
}

/// Where a GPU is sold and used.
/// A GPU's memory technology: the same kernels reach a different share of peak bandwidth on
/// each (llama.cpp's decode: 0.66–0.92 of the one-factor prediction on A100 and H100, 1.06–1.25
/// on GDDR6/6X cards; CALIBRATION.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemoryKind {
    /// HBM2, 2e, 3 and 3e stacks beside the die.
    Hbm,
    /// GDDR6, 6X and 7 chips on the board.
    Gddr,
    /// One LPDDR memory for CPU and GPU.
    Unified,
}

impl MemoryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MemoryKind::Hbm => "HBM",
            MemoryKind::Gddr => "GDDR",
            MemoryKind::Unified => "unified-memory",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Segment {
    /// Server GPUs, rented by the hour or bought in servers.
    Datacenter,
    /// Professional desktop cards.
    Workstation,
    /// GeForce cards.
    Consumer,
    /// One memory for CPU and GPU (Apple silicon, DGX Spark).
    Unified,
}

impl Segment {
    pub const ALL: [Segment; 4] = [
        Segment::Datacenter,
        Segment::Workstation,
        Segment::Consumer,
        Segment::Unified,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Segment::Datacenter => "Datacenter",
            Segment::Workstation => "Workstation",
            Segment::Consumer => "Consumer",
            Segment::Unified => "Unified memory (Apple, DGX Spark)",
        }
    }
}

fn one() -> f64 {
    1.0
}

/// Which tensor-core path a format computes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ComputePath {
    Bf16,
    Fp8,
    Fp4,
}

impl Gpu {
    /// Peak dense FLOP/s for a compute path: the native path when the GPU has it, else BF16
    /// (weight-only formats dequantize and compute in 16 bits). None when no figure is sourced.
    pub fn peak_flops(&self, path: ComputePath) -> Option<f64> {
        let tflops = match path {
            ComputePath::Fp4 if self.runs_natively(path) => self.fp4_tflops,
            ComputePath::Fp8 if self.runs_natively(path) => self.fp8_tflops,
            _ => None,
        }
        .or(self.bf16_tflops);
        tflops.map(|t| t * 1e12)
    }

    /// Whether the GPU computes in `path` itself (BF16 always); a path it lacks runs in BF16,
    /// its weights dequantized. FP4 counts only beside a BF16 figure, which its rows need.
    pub fn runs_natively(&self, path: ComputePath) -> bool {
        match path {
            ComputePath::Bf16 => true,
            ComputePath::Fp8 => self.arch.native_fp8() && self.fp8_tflops.is_some(),
            ComputePath::Fp4 => {
                self.arch.native_fp4() && self.fp4_tflops.is_some() && self.bf16_tflops.is_some()
            }
        }
    }

    /// Bytes per second of memory bandwidth.
    pub fn bandwidth_bps(&self) -> f64 {
        self.bandwidth_gbps * 1e9
    }

    /// The family its calibration factors are fitted for: its vendor's GPUs of its memory kind
    /// ("NVIDIA HBM"), or its vendor's alone when the kind is not known.
    pub fn fit_family(&self) -> String {
        match self.memory_kind {
            Some(k) => format!("{} {}", self.vendor, k.as_str()),
            None => self.vendor.clone(),
        }
    }

    /// Memory the GPU itself can use, in bytes, before any engine reservation. Vendors' "GB"
    /// of DRAM/HBM capacity are binary: an "80 GB" A100 reports 81,920 MiB, a "48 GB"
    /// RTX 6000 Ada 48,632 MiB after reservations (deviceQuery output in a public repo).
    pub fn usable_bytes(&self) -> f64 {
        self.memory_gb * crate::units::GIB * self.usable_fraction
    }
}
