//! The kind of matmuls a setup's steps run (PHYSICS.md §4): each kind reaches its own share of
//! the GPU's peak, so calibration fits one compute efficiency per kind.

use serde::{Deserialize, Serialize};

use crate::catalog::format::{Container, Format};
use crate::catalog::gpu::{ComputePath, Gpu};
use crate::catalog::model::Model;

/// A dense model's matmuls or an MoE model's (grouped expert matmuls, further from peak), over
/// weights held in the precision the path computes in, or dequantized inside the kernel:
/// weights stored in fewer bits than the 16-bit path that runs them (llama.cpp's GGUF quants,
/// MXFP4 or FP8 on a GPU without that path). A dequantizing kernel unpacks every weight it
/// reads and its tiles are shaped for that; its share of peak differs from a native GEMM's
/// (llama.cpp's Q4_K_M prefill on A100, H100 and L40S ran 0.5–0.9× the prediction made with its
/// F16 rows' efficiency: CALIBRATION.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kernels {
    pub moe: bool,
    pub dequant: bool,
}

impl Kernels {
    pub const ALL: [Kernels; 4] = [
        Kernels::of(false, false),
        Kernels::of(true, false),
        Kernels::of(false, true),
        Kernels::of(true, true),
    ];

    pub const fn of(moe: bool, dequant: bool) -> Kernels {
        Kernels { moe, dequant }
    }

    /// The kernels of `model` in `format` as `container`'s engines run it on `gpu` in `path`.
    pub fn of_setup(
        model: &Model,
        format: &Format,
        container: Container,
        gpu: &Gpu,
        path: ComputePath,
    ) -> Kernels {
        let layout = format.layout(container, model);
        // The group holding most of a token's parameters: the experts of an MoE model.
        let bits = if model.is_moe() {
            layout.experts_bits
        } else {
            layout.dense_bits
        };
        let computes_in_16_bits = path == ComputePath::Bf16 || !gpu.runs_natively(path);
        Kernels::of(model.is_moe(), computes_in_16_bits && bits < 15.0)
    }

    /// Position in `Kernels::ALL` (and in `PerKernels`).
    pub fn index(self) -> usize {
        usize::from(self.moe) + 2 * usize::from(self.dequant)
    }

    /// In words, as the fitted factors are listed.
    pub fn label(self) -> &'static str {
        match (self.moe, self.dequant) {
            (false, false) => "dense",
            (true, false) => "MoE",
            (false, true) => "dense, dequantizing",
            (true, true) => "MoE, dequantizing",
        }
    }
}

/// One value per kind of kernels.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct PerKernels<T> {
    pub dense: T,
    pub moe: T,
    pub dense_dequant: T,
    pub moe_dequant: T,
}

impl<T: Clone> PerKernels<T> {
    pub fn splat(v: T) -> Self {
        PerKernels {
            dense: v.clone(),
            moe: v.clone(),
            dense_dequant: v.clone(),
            moe_dequant: v,
        }
    }
}

impl<T: Copy> PerKernels<T> {
    pub fn get(&self, k: Kernels) -> T {
        *self.get_ref(k)
    }

    pub fn map<U>(&self, f: impl Fn(T) -> U) -> PerKernels<U> {
        PerKernels {
            dense: f(self.dense),
            moe: f(self.moe),
            dense_dequant: f(self.dense_dequant),
            moe_dequant: f(self.moe_dequant),
        }
    }
}

impl<T> PerKernels<T> {
    /// The value for a kind of kernels, by reference (for values that are not `Copy`).
    pub fn get_ref(&self, k: Kernels) -> &T {
        match k.index() {
            0 => &self.dense,
            1 => &self.moe,
            2 => &self.dense_dequant,
            _ => &self.moe_dequant,
        }
    }

    pub fn set(&mut self, k: Kernels, v: T) {
        *match k.index() {
            0 => &mut self.dense,
            1 => &mut self.moe,
            2 => &mut self.dense_dequant,
            _ => &mut self.moe_dequant,
        } = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_slot() {
        let mut p = PerKernels::splat(0);
        for (i, k) in Kernels::ALL.into_iter().enumerate() {
            assert_eq!(k.index(), i);
            p.set(k, i + 10);
        }
        for (i, k) in Kernels::ALL.into_iter().enumerate() {
            assert_eq!(p.get(k), i + 10);
        }
    }
}
