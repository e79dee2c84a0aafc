//! Prefill of a prompt (PHYSICS.md §4): compute-bound for all but tiny prompts.

use crate::catalog::format::WeightBytes;
use crate::catalog::model::Model;

use super::decode::{attention_flops_per_token, Hardware};
use super::weights::weight_bytes_read_per_step;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PrefillWork {
    pub flops: f64,
    /// Weight bytes read once for the whole prompt (a long prompt touches nearly every expert).
    pub weight_bytes: f64,
}

/// FLOPs and weight bytes to prefill `prompt` tokens on top of `depth` cached tokens.
/// Causal attention: the i-th new token attends to depth + i tokens.
pub fn prefill_work(model: &Model, weights: &WeightBytes, prompt: f64, depth: f64) -> PrefillWork {
    let mean_context = depth + prompt / 2.0;
    let flops =
        prompt * (2.0 * model.active_params() + attention_flops_per_token(model, mean_context));
    PrefillWork {
        flops,
        weight_bytes: weight_bytes_read_per_step(model, weights, prompt),
    }
}

/// Physical times (compute at peak, memory at full bandwidth) for a prefill on `hw`.
/// Returns (compute_time, memory_time); compute is None without a sourced FLOP/s figure.
pub fn prefill_times(work: &PrefillWork, hw: &Hardware) -> (Option<f64>, f64) {
    (
        hw.compute_time(work.flops),
        hw.memory_time(work.weight_bytes),
    )
}
