//! KV cache (PHYSICS.md §2). The one place that says how many bytes a token of context costs.

use crate::catalog::model::{Attention, Model};

/// KV cache bytes per token of context, for the layers whose cache grows with context:
/// 2 (K and V) x full-attention layers x KV heads x head dim x bytes per element.
/// GQA uses the KV heads, not the attention heads. MLA caches one latent of
/// (kv_lora_rank + rope dim) per layer instead of K and V.
pub fn kv_cache_bytes_per_token(model: &Model, bytes_per_element: f64) -> f64 {
    match model.attention {
        Attention::Gqa => {
            2.0 * model.full_attention_layers() as f64
                * model.kv_heads as f64
                * model.head_dim as f64
                * bytes_per_element
        }
        Attention::Mla => {
            model.layers as f64
                * (model.kv_lora_rank + model.qk_rope_head_dim) as f64
                * bytes_per_element
        }
    }
}

/// Bytes per token held by the sliding-window layers, which keep at most `window` tokens.
pub fn sliding_bytes_per_token(model: &Model, bytes_per_element: f64) -> f64 {
    2.0 * model.sliding_layers as f64
        * model.kv_heads as f64
        * model.head_dim as f64
        * bytes_per_element
}

/// KV cache of one sequence holding `context` tokens.
pub fn kv_bytes_per_sequence(model: &Model, bytes_per_element: f64, context: f64) -> f64 {
    let windowed = context.min(model.sliding_window as f64);
    kv_cache_bytes_per_token(model, bytes_per_element) * context
        + sliding_bytes_per_token(model, bytes_per_element) * windowed
}
