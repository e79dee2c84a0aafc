//! One decode step at a batch (PHYSICS.md §3 and §5): what it reads, what it computes, what
//! it sends between GPUs, and the physical time each takes. No efficiency factor here.

use crate::catalog::engine::MultiGpu;
use crate::catalog::format::WeightBytes;
use crate::catalog::model::{Attention, Model};

use super::weights::{expert_share_touched, fixed_weight_bytes};

/// PCIe 4.0 x16 per direction, for GPUs without a faster link (64 GB/s both ways: DERIVED /2).
pub const PCIE_GEN4_BPS: f64 = 32e9;
/// ASSUMPTION: fixed latency of one all-reduce over the GPU link (NVLink/PCIe), of the order
/// NCCL reports for small messages. Not a published figure; it only affects tensor-parallel
/// configurations and is listed with every such estimate.
pub const ALLREDUCE_LATENCY_S: f64 = 8e-6;

/// The hardware a replica runs on, as a step's times are worked out from it: seconds per byte
/// streamed and per FLOP (across the devices that work at the same time) and per byte of a
/// message all-reduced between them. These are reciprocals of the GPUs' rates, worked out once:
/// the plan times a step hundreds of thousands of times, and a division costs the processor
/// several multiplications' time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hardware {
    pub devices: u32,
    pub split: MultiGpu,
    seconds_per_byte: f64,
    /// None without a sourced FLOP/s figure.
    seconds_per_flop: Option<f64>,
    seconds_per_link_byte: f64,
}

impl Hardware {
    /// `devices` GPUs of `bandwidth_bps` memory bandwidth and `peak_flops` dense FLOP/s each
    /// (None: not sourced), linked at `interconnect_bps`, spanned by `split`.
    pub fn new(
        bandwidth_bps: f64,
        peak_flops: Option<f64>,
        devices: u32,
        split: MultiGpu,
        interconnect_bps: f64,
    ) -> Self {
        let par = parallel_devices(devices, split);
        let n = devices.max(1) as f64;
        Hardware {
            devices,
            split,
            seconds_per_byte: 1.0 / (bandwidth_bps * par),
            seconds_per_flop: peak_flops.map(|p| 1.0 / (p * par)),
            seconds_per_link_byte: 2.0 * (n - 1.0) / n / interconnect_bps,
        }
    }

    /// Whether the GPUs have a sourced FLOP/s figure (else compute times are unknown).
    pub fn has_peak(&self) -> bool {
        self.seconds_per_flop.is_some()
    }

    /// Time to stream `bytes` (spread over the devices working together) at full bandwidth.
    pub fn memory_time(&self, bytes: f64) -> f64 {
        bytes * self.seconds_per_byte
    }

    /// Time for `flops` (spread likewise) at peak; None without a sourced FLOP/s figure.
    pub fn compute_time(&self, flops: f64) -> Option<f64> {
        self.seconds_per_flop.map(|s| flops * s)
    }

    /// One all-reduce of a `message`-byte tensor over the GPUs' link: a fixed latency, plus a
    /// ring's 2 (n − 1)/n × message bytes through each GPU's link.
    pub fn allreduce_time(&self, message: f64) -> f64 {
        ALLREDUCE_LATENCY_S + message * self.seconds_per_link_byte
    }
}

/// Devices that work at the same time on one step: all of them under tensor parallelism,
/// one at a time under a layer split.
fn parallel_devices(devices: u32, split: MultiGpu) -> f64 {
    match split {
        MultiGpu::TensorParallel => devices.max(1) as f64,
        _ => 1.0,
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DecodeStep {
    pub weight_bytes: f64,
    pub kv_bytes: f64,
    /// Time to stream those bytes at full bandwidth.
    pub memory_time: f64,
    /// Time for the step's FLOPs at peak; None when the GPU has no sourced compute figure.
    pub compute_time: Option<f64>,
    /// All-reduce time between tensor-parallel GPUs.
    pub comm_time: f64,
}

impl DecodeStep {
    /// The physical floor of one step: bytes at full bandwidth, FLOPs at full peak.
    pub fn ceiling_time(&self) -> f64 {
        self.memory_time.max(self.compute_time.unwrap_or(0.0))
    }
}

/// Attention FLOPs for one prompt token attending to `context` tokens (prefill): QKᵀ and AV per
/// head, 2 FLOPs a multiply-add. GQA: head_dim each way. MLA prefills with its keys and values
/// decompressed: (qk_nope + qk_rope) for QKᵀ, v_head_dim for AV.
pub fn attention_flops_per_token(model: &Model, context: f64) -> f64 {
    let per_context = match model.attention {
        Attention::Gqa => 4.0 * model.heads as f64 * model.head_dim as f64,
        Attention::Mla => {
            2.0 * model.heads as f64
                * (model.qk_nope_head_dim + model.qk_rope_head_dim + model.v_head_dim) as f64
        }
    };
    attended(model, context, per_context)
}

/// Attention FLOPs for one decoded token attending to `context` cached tokens. MLA decodes
/// against its compressed cache with the up-projections absorbed (vLLM's and SGLang's MLA
/// decode kernels): each head's query meets the (kv_lora_rank + qk_rope) latent for QKᵀ and
/// the kv_lora_rank latent for AV — 4.25× the FLOPs per cached token of a 128-dim GQA head for
/// DeepSeek-V3 (DERIVED: 2 × (512 + 64 + 512) against 4 × 128).
pub fn decode_attention_flops_per_token(model: &Model, context: f64) -> f64 {
    let per_context = match model.attention {
        Attention::Gqa => 4.0 * model.heads as f64 * model.head_dim as f64,
        Attention::Mla => {
            2.0 * model.heads as f64 * (2 * model.kv_lora_rank + model.qk_rope_head_dim) as f64
        }
    };
    attended(model, context, per_context)
}

/// `per_context` FLOPs per attended token over the full-attention layers (every cached token)
/// and the sliding ones (at most the window).
fn attended(model: &Model, context: f64, per_context: f64) -> f64 {
    let windowed = context.min(model.sliding_window as f64);
    per_context
        * (model.full_attention_layers() as f64 * context + model.sliding_layers as f64 * windowed)
}

/// What one decode step asks of the hardware per model, layout and context, before the batch:
/// the weights every step streams, the expert weights a batch touches a share of, and each
/// sequence's KV bytes and FLOPs. Worked out once per model × layout × workload, because the
/// plan and its capacity search evaluate the step at many batches on many GPUs.
#[derive(Debug, Clone, Copy)]
pub struct StepWork {
    /// Weight bytes read whatever the batch (`fixed_weight_bytes`).
    fixed_weight_bytes: f64,
    /// Every expert's weights.
    expert_bytes: f64,
    experts: u32,
    experts_active: u32,
    kv_bytes_per_seq: f64,
    /// 2 × active parameters + attention over the context, per new token.
    flops_per_seq: f64,
    /// 2 × active parameters + attention over half the prompt, per prompt token prefilled.
    flops_per_prompt_token: f64,
    hidden: f64,
    layers: f64,
}

impl StepWork {
    /// Sequences whose caches hold `kv_bytes_per_seq` each, at an average context of `context`
    /// tokens, with prompts of `prompt` tokens prefilled beside them.
    pub fn new(
        model: &Model,
        weights: &WeightBytes,
        kv_bytes_per_seq: f64,
        context: f64,
        prompt: f64,
    ) -> Self {
        StepWork {
            fixed_weight_bytes: fixed_weight_bytes(model, weights),
            expert_bytes: weights.experts,
            experts: model.experts,
            experts_active: model.experts_active,
            kv_bytes_per_seq,
            flops_per_seq: 2.0 * model.active_params()
                + decode_attention_flops_per_token(model, context),
            flops_per_prompt_token: 2.0 * model.active_params()
                + attention_flops_per_token(model, prompt / 2.0),
            hidden: model.hidden as f64,
            layers: model.layers as f64,
        }
    }

    /// Weight bytes one step of `batch` sequences reads: the fixed ones and the experts the
    /// batch touches (the expert-touch law).
    pub fn weight_bytes(&self, batch: f64) -> f64 {
        let touched = expert_share_touched(self.experts, self.experts_active, batch);
        self.fixed_weight_bytes + self.expert_bytes * touched
    }

    /// Expected distinct experts a batch of `batch` sequences touches per MoE layer.
    pub fn experts_touched(&self, batch: f64) -> f64 {
        expert_share_touched(self.experts, self.experts_active, batch) * self.experts as f64
    }

    /// One decode step of `batch` sequences on `hw`.
    #[inline(always)]
    pub fn step(&self, batch: f64, hw: &Hardware) -> DecodeStep {
        self.mixed(batch, 0.0, hw)
    }

    /// One serving step on `hw` (continuous batching with chunked prefill): a decode token for
    /// each of `decode` sequences and `prefill` prompt tokens. The weights are read once for
    /// all of them (the experts their tokens touch), the decoding sequences' KV caches are
    /// read, every token costs its FLOPs, and every token's activations are all-reduced.
    #[inline(always)]
    pub fn mixed(&self, decode: f64, prefill: f64, hw: &Hardware) -> DecodeStep {
        let tokens = decode + prefill;
        let weight_bytes = self.weight_bytes(tokens);
        let kv_bytes = decode * self.kv_bytes_per_seq;
        let memory_time = hw.memory_time(weight_bytes + kv_bytes);
        let flops = decode * self.flops_per_seq + prefill * self.flops_per_prompt_token;
        let compute_time = hw.compute_time(flops);
        let comm_time = if hw.split == MultiGpu::TensorParallel && hw.devices > 1 {
            // Two all-reduces per layer of the step's BF16 activations; a ring all-reduce
            // sends 2 (n − 1)/n times the message over each link (`allreduce_time`).
            let message = tokens * self.hidden * 2.0;
            2.0 * self.layers * hw.allreduce_time(message)
        } else {
            0.0
        };
        DecodeStep {
            weight_bytes,
            kv_bytes,
            memory_time,
            compute_time,
            comm_time,
        }
    }
}

/// One decode step of `batch` sequences whose caches hold `kv_bytes_per_seq` each, at an
/// average context of `context` tokens (`StepWork::step` for a single evaluation).
pub fn decode_step(
    model: &Model,
    weights: &WeightBytes,
    kv_bytes_per_seq: f64,
    context: f64,
    batch: f64,
    hw: &Hardware,
) -> DecodeStep {
    StepWork::new(model, weights, kv_bytes_per_seq, context, 0.0).step(batch, hw)
}
