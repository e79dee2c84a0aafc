//! First-principles relations of `planner/PHYSICS.md`, one file a section:
//! weights in memory (§1), KV cache (§2), the expert-touch law (§3), the decode step (§3, §5)
//! and prefill (§4). Everything here is exact arithmetic on catalog figures; the fitted
//! efficiency factors are applied later, in `estimate`.

pub mod decode;
pub mod kernels;
pub mod kv;
pub mod moe;
pub mod prefill;
pub mod weights;

pub use crate::units::{GB, GIB};
