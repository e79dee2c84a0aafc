//! The expert-touch law (PHYSICS.md §3).

/// Expected distinct experts touched in one MoE layer by a batch of `batch` tokens, each routed
/// to `active` of `total` experts, under independent uniform routing (diverse traffic):
/// E x (1 - (1 - k/E)^B). At B = 1 it is exactly k; it never exceeds E.
pub fn expected_experts_touched(total: u32, active: u32, batch: f64) -> f64 {
    if total == 0 || active == 0 {
        return 0.0;
    }
    let e = total as f64;
    let k = (active as f64).min(e);
    let b = batch.max(1.0);
    // Batches are whole numbers of sequences: powi (repeated squaring) is several times
    // faster than powf, and the plan evaluates this for every capacity probe. A batch is
    // whole when it survives a round trip through an integer (cheaper than `trunc`, a library
    // call on the baseline x86-64 target).
    let whole = b as i32;
    let untouched = if whole as f64 == b {
        (1.0 - k / e).powi(whole)
    } else {
        (1.0 - k / e).powf(b)
    };
    (e * (1.0 - untouched)).clamp(k, e)
}
