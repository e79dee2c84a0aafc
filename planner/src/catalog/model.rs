//! Model architectures and the parameter count of each tensor group, derived from the
//! architecture (PHYSICS.md §1). Nothing here is a stored parameter count: the published
//! totals are kept only to check the derivation.

use serde::{Deserialize, Serialize};

/// How the attention layers store their KV cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Attention {
    /// Grouped-query (or plain multi-head when kv_heads == heads) attention.
    Gqa,
    /// DeepSeek's multi-head latent attention: the cache holds the compressed latent.
    Mla,
}

/// A published benchmark score, quoted from the model card.
/// The benchmark models are compared on unless a scenario names another (ranking, the verdict,
/// the bottom line): the one most of the catalog's model cards report (17 of 28; its settings,
/// such as reasoning effort, are shown beside each score).
pub const QUALITY_BENCHMARK: &str = "GPQA Diamond";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityScore {
    pub benchmark: String,
    pub score: f64,
    pub setting: String,
    pub source: String,
    pub source_date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub hf_repo: String,
    #[serde(default)]
    pub developer: String,
    pub native_format: String,
    pub layers: u32,
    pub hidden: u32,
    pub heads: u32,
    pub kv_heads: u32,
    pub head_dim: u32,
    pub vocab: u32,
    pub tied_embeddings: bool,
    pub attention: Attention,
    #[serde(default)]
    pub sliding_layers: u32,
    #[serde(default)]
    pub sliding_window: u32,
    #[serde(default)]
    pub kv_lora_rank: u32,
    #[serde(default)]
    pub q_lora_rank: u32,
    #[serde(default)]
    pub qk_nope_head_dim: u32,
    #[serde(default)]
    pub qk_rope_head_dim: u32,
    #[serde(default)]
    pub v_head_dim: u32,
    /// Intermediate size of the dense FFN layers (0 for an all-MoE model).
    #[serde(default)]
    pub dense_ffn: u32,
    /// How many layers have a dense FFN (all of them for a dense model; DeepSeek's first 3).
    #[serde(default)]
    pub dense_ffn_layers: u32,
    /// Intermediate size of one routed expert.
    #[serde(default)]
    pub moe_ffn: u32,
    #[serde(default)]
    pub experts: u32,
    #[serde(default)]
    pub experts_active: u32,
    #[serde(default)]
    pub shared_experts: u32,
    pub max_context: u32,
    #[serde(default)]
    pub published_total_params_b: f64,
    #[serde(default)]
    pub published_active_params_b: f64,
    #[serde(default)]
    pub active_convention: String,
    /// Bytes of the released checkpoint's weight files, where its index or listing publishes
    /// them (`model.safetensors.index.json` total_size); the weights derived from the
    /// architecture in the native format must come within 5% of it.
    #[serde(default)]
    pub published_checkpoint_bytes: Option<f64>,
    #[serde(default)]
    pub release_date: String,
    #[serde(default)]
    pub license: String,
    pub source: String,
    pub source_date: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub quality: Vec<QualityScore>,
    /// Why fewer than three scores are given, where that is so ("not reported").
    #[serde(default)]
    pub quality_not_reported: String,
    /// True for a model built from a pasted config.json rather than the catalog.
    #[serde(default)]
    pub user_supplied: bool,
    /// Tensor groups and active parameters, derived once (the plan asks for them per option).
    #[serde(skip)]
    pub derived: std::sync::OnceLock<(TensorGroups, f64)>,
}

/// Parameter counts per tensor group, in parameters (not billions).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct TensorGroups {
    /// All routed experts of all MoE layers.
    pub experts: f64,
    /// Attention, router, dense FFN layers and shared experts: read every decode step.
    pub dense: f64,
    /// Input embedding table: only the rows of the batch's tokens are read per step.
    pub embedding: f64,
    /// The lm_head (zero when tied to the embedding table, which is then read instead).
    pub unembedding: f64,
}

impl TensorGroups {
    pub fn total(&self) -> f64 {
        self.experts + self.dense + self.embedding + self.unembedding
    }
}

impl Model {
    pub fn is_moe(&self) -> bool {
        self.experts > 0 && self.experts_active > 0
    }

    /// Layers whose FFN is a routed-expert layer.
    pub fn moe_layers(&self) -> u32 {
        if self.is_moe() {
            self.layers.saturating_sub(self.dense_ffn_layers)
        } else {
            0
        }
    }

    /// Parameters of one routed expert (a gated MLP: gate, up and down projections).
    pub fn params_per_expert(&self) -> f64 {
        3.0 * self.hidden as f64 * self.moe_ffn as f64
    }

    /// Attention parameters of one layer.
    fn attention_params_per_layer(&self) -> f64 {
        let h = self.hidden as f64;
        match self.attention {
            Attention::Gqa => {
                let q = (self.heads * self.head_dim) as f64;
                let kv = (self.kv_heads * self.head_dim) as f64;
                // q and o projections are hidden x q; k and v are hidden x kv.
                2.0 * h * q + 2.0 * h * kv
            }
            Attention::Mla => {
                let heads = self.heads as f64;
                let qk = (self.qk_nope_head_dim + self.qk_rope_head_dim) as f64;
                let q = if self.q_lora_rank > 0 {
                    let r = self.q_lora_rank as f64;
                    h * r + r * heads * qk
                } else {
                    h * heads * qk
                };
                let kv_a = h * (self.kv_lora_rank + self.qk_rope_head_dim) as f64;
                let kv_b = self.kv_lora_rank as f64
                    * heads
                    * (self.qk_nope_head_dim + self.v_head_dim) as f64;
                let o = heads * self.v_head_dim as f64 * h;
                q + kv_a + kv_b + o
            }
        }
    }

    /// Parameter count of each tensor group, derived from the architecture. Norms and biases
    /// (well under 0.1% of any catalog model) are left out.
    pub fn tensor_groups(&self) -> TensorGroups {
        self.derived().0
    }

    fn derived(&self) -> (TensorGroups, f64) {
        *self.derived.get_or_init(|| {
            let g = self.derive_tensor_groups();
            (g, self.derive_active_params(&g))
        })
    }

    fn derive_tensor_groups(&self) -> TensorGroups {
        let h = self.hidden as f64;
        let layers = self.layers as f64;
        let attention = self.attention_params_per_layer() * layers;
        let dense_ffn = 3.0 * h * self.dense_ffn as f64 * self.dense_ffn_layers as f64;
        let moe_layers = self.moe_layers() as f64;
        let router = h * self.experts as f64 * moe_layers;
        let shared = self.params_per_expert() * self.shared_experts as f64 * moe_layers;
        let experts = self.params_per_expert() * self.experts as f64 * moe_layers;
        let table = self.vocab as f64 * h;
        TensorGroups {
            experts,
            dense: attention + dense_ffn + router + shared,
            embedding: table,
            unembedding: if self.tied_embeddings { 0.0 } else { table },
        }
    }

    /// Parameters read for one token, without the input embedding table (our convention).
    pub fn active_params(&self) -> f64 {
        self.derived().1
    }

    fn derive_active_params(&self, g: &TensorGroups) -> f64 {
        let experts = if self.is_moe() {
            self.params_per_expert() * self.experts_active as f64 * self.moe_layers() as f64
        } else {
            0.0
        };
        let lm_head = if self.tied_embeddings {
            g.embedding
        } else {
            g.unembedding
        };
        g.dense + experts + lm_head
    }

    /// Layers with full attention (their KV grows with context).
    pub fn full_attention_layers(&self) -> u32 {
        self.layers.saturating_sub(self.sliding_layers)
    }

    /// Every benchmark this model reports a score on.
    pub fn benchmarks(&self) -> impl Iterator<Item = &str> {
        self.quality.iter().map(|q| q.benchmark.as_str())
    }

    /// Best published score on a benchmark, if the model card gives one.
    pub fn quality_score(&self, benchmark: &str) -> Option<&QualityScore> {
        self.quality
            .iter()
            .filter(|q| q.benchmark == benchmark)
            .max_by(|a, b| a.score.total_cmp(&b.score))
    }
}
