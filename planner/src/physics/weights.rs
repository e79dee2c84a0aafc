//! Weights in memory and weight bytes read per decode step (physics note §1, §3).

use crate::catalog::format::WeightBytes;
use crate::catalog::model::Model;

use super::moe::expected_experts_touched;

/// Weight bytes one decode step reads for a batch of `batch` sequences: every dense weight, the
/// lm_head (the embedding table when tied), and the experts the batch touches. The input
/// embedding table is not read whole, only the batch's rows, which we neglect.
pub fn weight_bytes_read_per_step(model: &Model, w: &WeightBytes, batch: f64) -> f64 {
    let lm_head = if model.tied_embeddings {
        w.embedding
    } else {
        w.unembedding
    };
    w.dense + lm_head + w.experts * expert_fraction_touched(model, batch)
}

/// Share of all expert weights a batch of `batch` tokens touches.
pub fn expert_fraction_touched(model: &Model, batch: f64) -> f64 {
    if !model.is_moe() {
        return 0.0;
    }
    expected_experts_touched(model.experts, model.experts_active, batch) / model.experts as f64
}
