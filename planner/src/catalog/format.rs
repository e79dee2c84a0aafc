//! Weight and KV-cache formats: bits per weight per tensor group, per container layout.

use serde::{Deserialize, Serialize};

use super::gpu::ComputePath;
use super::model::{Model, TensorGroups};

/// A file layout: which engines can load it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Container {
    Hf,
    Gguf,
    Mlx,
}

/// Bits per weight of each tensor group (scales included).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub experts_bits: f64,
    pub dense_bits: f64,
    pub embedding_bits: f64,
    pub unembedding_bits: f64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LayoutOverride {
    pub experts_bits: Option<f64>,
    pub dense_bits: Option<f64>,
    pub embedding_bits: Option<f64>,
    pub unembedding_bits: Option<f64>,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Format {
    pub id: String,
    pub name: String,
    pub containers: Vec<Container>,
    /// Only for models released in this format (MXFP4 is gpt-oss's own layout).
    #[serde(default)]
    pub native_only: bool,
    /// On an MXFP4-native model this format keeps the experts in MXFP4 (MLX does).
    #[serde(default)]
    pub keeps_native_mxfp4_experts: bool,
    pub experts_bits: f64,
    pub dense_bits: f64,
    pub embedding_bits: f64,
    pub unembedding_bits: f64,
    pub compute: ComputePath,
    pub quality: String,
    /// Sourced measurements of what the format loses against its reference (each names its
    /// metric and model; one number per format does not hold for every model).
    #[serde(default)]
    pub quality_loss: Vec<QualityLoss>,
    /// Why no loss is given, where none is sourced ("unmeasured").
    #[serde(default)]
    pub quality_unmeasured: String,
    pub source: String,
    pub source_date: String,
    #[serde(default)]
    pub gguf: Option<LayoutOverride>,
    #[serde(default)]
    pub hf: Option<LayoutOverride>,
    #[serde(default)]
    pub mlx: Option<LayoutOverride>,
}

/// Bits of MXFP4 (32 fp4 values + one 8-bit scale), for formats that keep released experts.
pub const MXFP4_BITS: f64 = 4.25;

/// Why a format does not apply to a model.
pub fn not_applicable_reason(format: &Format, model: &Model) -> Option<String> {
    let native_mxfp4 = model.native_format == "mxfp4";
    if format.native_only && model.native_format != format.id {
        return Some(format!(
            "{} ({}) is a release layout; {} was not released in it",
            format.id, format.name, model.id
        ));
    }
    if native_mxfp4
        && format.id != "mxfp4"
        && format.experts_bits < 8.0
        && !format.keeps_native_mxfp4_experts
    {
        return Some(format!(
            "{} is released with 4.25-bit MXFP4 experts: re-quantizing them to {} saves no memory and its quality is unpublished",
            model.id, format.id
        ));
    }
    None
}

impl Format {
    /// The layout in a given container, with that container's overrides applied.
    pub fn layout(&self, container: Container, model: &Model) -> Layout {
        let mut l = Layout {
            experts_bits: self.experts_bits,
            dense_bits: self.dense_bits,
            embedding_bits: self.embedding_bits,
            unembedding_bits: self.unembedding_bits,
        };
        let o = match container {
            Container::Gguf => self.gguf.as_ref(),
            Container::Hf => self.hf.as_ref(),
            Container::Mlx => self.mlx.as_ref(),
        };
        if let Some(o) = o {
            l.experts_bits = o.experts_bits.unwrap_or(l.experts_bits);
            l.dense_bits = o.dense_bits.unwrap_or(l.dense_bits);
            l.embedding_bits = o.embedding_bits.unwrap_or(l.embedding_bits);
            l.unembedding_bits = o.unembedding_bits.unwrap_or(l.unembedding_bits);
        }
        if self.keeps_native_mxfp4_experts && model.native_format == "mxfp4" {
            l.experts_bits = MXFP4_BITS;
        }
        l
    }
}

/// Bytes of each tensor group under a layout.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct WeightBytes {
    pub experts: f64,
    pub dense: f64,
    pub embedding: f64,
    pub unembedding: f64,
}

impl WeightBytes {
    pub fn new(groups: &TensorGroups, layout: &Layout) -> Self {
        WeightBytes {
            experts: groups.experts * layout.experts_bits / 8.0,
            dense: groups.dense * layout.dense_bits / 8.0,
            embedding: groups.embedding * layout.embedding_bits / 8.0,
            unembedding: groups.unembedding * layout.unembedding_bits / 8.0,
        }
    }

    pub fn total(&self) -> f64 {
        self.experts + self.dense + self.embedding + self.unembedding
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KvFormat {
    pub id: String,
    /// Bytes per cached element (one K or V value).
    pub bytes: f64,
    pub source: String,
    pub source_date: String,
}

/// What a format measurably loses: `metric` on `model`, `reference` (the unquantized value)
/// against `quantized`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QualityLoss {
    pub metric: String,
    pub model: String,
    pub reference: f64,
    pub quantized: f64,
    pub source: String,
    pub source_date: String,
}
