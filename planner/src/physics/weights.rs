//! Weights in memory and weight bytes read per decode step (PHYSICS.md §1, §3).

use crate::catalog::format::WeightBytes;
use crate::catalog::model::Model;

use super::moe::expected_experts_touched;

/// Weight bytes every decode step reads whatever the batch: every dense weight and the lm_head
/// (the embedding table when tied). The input embedding table is not read whole, only the
/// batch's rows, which we neglect.
pub fn fixed_weight_bytes(model: &Model, w: &WeightBytes) -> f64 {
    let lm_head = if model.tied_embeddings {
        w.embedding
    } else {
        w.unembedding
    };
    w.dense + lm_head
}

/// Weight bytes one decode step reads for a batch of `batch` sequences: the fixed ones and the
/// experts the batch touches.
pub fn weight_bytes_read_per_step(model: &Model, w: &WeightBytes, batch: f64) -> f64 {
    fixed_weight_bytes(model, w) + w.experts * expert_fraction_touched(model, batch)
}

/// Share of all expert weights a batch of `batch` tokens touches.
pub fn expert_fraction_touched(model: &Model, batch: f64) -> f64 {
    expert_share_touched(model.experts, model.experts_active, batch)
}

/// Share of `experts` experts a batch of `batch` tokens, each routed to `active`, touches (0
/// for a dense model).
pub fn expert_share_touched(experts: u32, active: u32, batch: f64) -> f64 {
    if experts == 0 || active == 0 {
        return 0.0;
    }
    expected_experts_touched(experts, active, batch) / experts as f64
}
