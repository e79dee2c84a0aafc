//! Hand physics: the numbers PHYSICS.md derives, checked against the engine.

use planner::catalog::format::WeightBytes;
use planner::estimate::{estimate, Physics, Setup, Workload};
use planner::physics::kv::kv_cache_bytes_per_token;
use planner::physics::moe::expected_experts_touched;
use planner::physics::GIB;
use planner::scenario::CustomGpu;
use planner::Catalog;

fn cat() -> &'static Catalog {
    Catalog::builtin()
}

fn setup<'a>(
    model: &str,
    quant: &str,
    gpu: &'a planner::catalog::gpu::Gpu,
    gpus: u32,
    engine: &str,
) -> Setup<'a> {
    let c = cat();
    Setup {
        model: c.model(model).unwrap(),
        format: c.format(quant).unwrap(),
        gpu,
        gpus,
        engine: c.engine(engine).unwrap(),
        kv: c.kv_format("bf16").unwrap(),
    }
}

#[test]
fn gpt_oss_120b_as_released_weighs_60_8_gib() {
    let c = cat();
    let m = c.model("gpt-oss-120b").unwrap();
    let f = c.format("mxfp4").unwrap();
    let w = WeightBytes::new(
        &m.tensor_groups(),
        &f.layout(planner::catalog::format::Container::Hf, m),
    );
    let gib = w.total() / GIB;
    assert!((gib - 60.8).abs() / 60.8 < 0.05, "{gib} GiB");
    // and the 20b: 12.8 GiB
    let m20 = c.model("gpt-oss-20b").unwrap();
    let w20 = WeightBytes::new(
        &m20.tensor_groups(),
        &f.layout(planner::catalog::format::Container::Hf, m20),
    );
    assert!((w20.total() / GIB - 12.8).abs() / 12.8 < 0.05);
}

#[test]
fn gguf_layout_of_gpt_oss_matches_published_file_sizes() {
    let c = cat();
    let f = c.format("mxfp4").unwrap();
    for (id, gib) in [("gpt-oss-20b", 11.27), ("gpt-oss-120b", 59.02)] {
        let m = c.model(id).unwrap();
        let w = WeightBytes::new(
            &m.tensor_groups(),
            &f.layout(planner::catalog::format::Container::Gguf, m),
        );
        let got = w.total() / GIB;
        assert!((got - gib).abs() / gib < 0.03, "{id}: {got} vs {gib} GiB");
    }
}

#[test]
fn gpt_oss_120b_fits_one_80gb_gpu_not_a_24gb_one() {
    let c = cat();
    let w = Workload::default();
    let a100 = c.gpu("a100-80gb-sxm").unwrap();
    let e = estimate(&setup("gpt-oss-120b", "mxfp4", a100, 1, "vllm"), &w, &c.fit).unwrap();
    assert!(e.fits, "{:?}", e.memory_gb);
    let h100 = c.gpu("h100-sxm").unwrap();
    assert!(
        estimate(&setup("gpt-oss-120b", "mxfp4", h100, 1, "vllm"), &w, &c.fit)
            .unwrap()
            .fits
    );
    let rtx = c.gpu("rtx-4090").unwrap();
    for engine in ["vllm", "llama.cpp"] {
        let e = estimate(&setup("gpt-oss-120b", "mxfp4", rtx, 1, engine), &w, &c.fit).unwrap();
        assert!(!e.fits);
        assert!(
            e.decode_tps_stream.is_none(),
            "no speed for a config that does not fit"
        );
    }
}

#[test]
fn gpt_oss_20b_fits_16_gb() {
    let c = cat();
    let gpu = CustomGpu {
        id: "card-16".into(),
        name: "16 GB card".into(),
        memory_gb: 16.0,
        bandwidth_gbps: 500.0,
        bf16_tflops: None,
        tdp_w: None,
        price_usd: None,
        usd_per_hour: None,
    }
    .to_gpu()
    .unwrap();
    let e = estimate(
        &setup("gpt-oss-20b", "mxfp4", &gpu, 1, "llama.cpp"),
        &Workload::default(),
        &c.fit,
    )
    .unwrap();
    assert!(e.fits, "{:?}", e.memory_gb);
    // ... but not 120b
    let e = estimate(
        &setup("gpt-oss-120b", "mxfp4", &gpu, 1, "llama.cpp"),
        &Workload::default(),
        &c.fit,
    )
    .unwrap();
    assert!(!e.fits);
}

#[test]
fn bf16_upcast_of_120b_needs_four_80gb_gpus_with_tensor_parallel() {
    let c = cat();
    let a100 = c.gpu("a100-80gb-sxm").unwrap();
    let w = Workload::default();
    let fits =
        |n| estimate(&setup("gpt-oss-120b", "bf16", a100, n, "vllm"), &w, &c.fit).map(|e| e.fits);
    assert_eq!(fits(1), Ok(false));
    assert_eq!(fits(2), Ok(false));
    assert!(fits(3).is_err(), "64 heads do not split 3 ways");
    assert_eq!(fits(4), Ok(true));
    let e = estimate(&setup("gpt-oss-120b", "bf16", a100, 4, "vllm"), &w, &c.fit).unwrap();
    assert!(
        (e.memory_gb.weights - 233.7).abs() < 233.7 * 0.02,
        "{}",
        e.memory_gb.weights
    );
}

#[test]
fn gpt_oss_kv_cache_bytes_per_token() {
    let c = cat();
    assert_eq!(
        kv_cache_bytes_per_token(c.model("gpt-oss-120b").unwrap(), 2.0),
        36_864.0
    );
    assert_eq!(
        kv_cache_bytes_per_token(c.model("gpt-oss-20b").unwrap(), 2.0),
        24_576.0
    );
    // GQA uses KV heads: llama-3.1-8b 32 layers x 2 x 8 x 128 x 2 B = 131,072
    assert_eq!(
        kv_cache_bytes_per_token(c.model("llama-3.1-8b").unwrap(), 2.0),
        131_072.0
    );
    // MLA caches the latent: 61 x (512 + 64) x 2 B = 70,272
    assert_eq!(
        kv_cache_bytes_per_token(c.model("deepseek-v3").unwrap(), 2.0),
        70_272.0
    );
    // fp8 KV halves it
    assert_eq!(
        kv_cache_bytes_per_token(c.model("gpt-oss-120b").unwrap(), 1.0),
        18_432.0
    );
}

#[test]
fn expert_touch_law() {
    assert_eq!(expected_experts_touched(128, 4, 1.0), 4.0);
    let b32 = expected_experts_touched(128, 4, 32.0);
    assert!((b32 - 81.9).abs() < 0.5, "{b32}");
    let b64 = expected_experts_touched(128, 4, 64.0);
    assert!((b64 - 110.9).abs() < 0.5, "{b64}");
    assert!(expected_experts_touched(128, 4, 1e6) <= 128.0);
}

#[test]
fn dense_decode_ceiling_skips_the_input_embedding() {
    // llama-3.1-8b bf16 on an RTX 4090: 15.0 of 16.06 GB read per token -> about 67 tok/s.
    let c = cat();
    let rtx = c.gpu("rtx-4090").unwrap();
    let w = Workload {
        prompt_tokens: 0,
        gen_tokens: 1,
        ..Workload::default()
    };
    let p = Physics::new(&setup("llama-3.1-8b", "bf16", rtx, 1, "llama.cpp"), &w).unwrap();
    let ceiling = p.ceiling_decode_tps_stream();
    assert!((ceiling - 67.0).abs() < 1.0, "{ceiling}");
}

#[test]
fn derived_parameter_counts_match_published_totals() {
    for m in &cat().models {
        let total = m.tensor_groups().total() / 1e9;
        let published = m.published_total_params_b;
        assert!(
            (total - published).abs() / published < 0.03,
            "{}: derived {total:.2}B vs published {published}B",
            m.id
        );
    }
    // Active parameters (without input embedding) of gpt-oss-120b: 5.13B per the model card.
    let a = cat().model("gpt-oss-120b").unwrap().active_params() / 1e9;
    assert!((a - 5.13).abs() < 0.05, "{a}");
}

#[test]
fn layer_split_gives_one_stream_no_speed_up() {
    let c = cat();
    let rtx = c.gpu("rtx-3090").unwrap();
    let w = Workload::default();
    let one = estimate(
        &setup("llama-3.1-8b", "q4_k_m", rtx, 1, "llama.cpp"),
        &w,
        &c.fit,
    )
    .unwrap();
    let two = estimate(
        &setup("llama-3.1-8b", "q4_k_m", rtx, 2, "llama.cpp"),
        &w,
        &c.fit,
    )
    .unwrap();
    assert!(
        two.decode_tps_stream.unwrap().expected <= one.decode_tps_stream.unwrap().expected + 1e-9
    );
    assert!(two.memory_gb.available > one.memory_gb.available);
}

#[test]
fn tensor_parallel_is_faster_per_stream_than_one_gpu() {
    let c = cat();
    let h100 = c.gpu("h100-sxm").unwrap();
    let w = Workload::default();
    let one = estimate(&setup("llama-3.3-70b", "fp8", h100, 1, "vllm"), &w, &c.fit).unwrap();
    let four = estimate(&setup("llama-3.3-70b", "fp8", h100, 4, "vllm"), &w, &c.fit).unwrap();
    assert!(
        four.decode_tps_stream.unwrap().expected > one.decode_tps_stream.unwrap().expected * 1.5
    );
}

/// The plan computes the physics once for engines `same_physics` pairs: it must hold only
/// when the physics really is the same, and every difference it checks must matter.
#[test]
fn engines_with_the_same_physics_give_identical_physics() {
    use planner::estimate::{applicable, same_physics};
    let c = cat();
    let gpu = c.gpu("h100-sxm").unwrap();
    let mut pairs = 0;
    // The catalog's engines differ in their scheduling defaults; an engine that differs from
    // vLLM only in name and fitted factors shares its physics.
    let mut engines = c.engines.clone();
    engines.push(planner::catalog::engine::Engine {
        id: "vllm-fork".into(),
        name: "vLLM fork".into(),
        ..c.engine("vllm").unwrap().clone()
    });
    for model in ["gpt-oss-120b", "llama-3.1-8b", "qwen3-30b-a3b"] {
        for quant in ["mxfp4", "bf16", "fp8", "q4_k_m"] {
            for gpus in [1, 2, 4] {
                for concurrency in [1, 8, 300] {
                    let w = Workload {
                        concurrency,
                        ..Workload::default()
                    };
                    for a in &engines {
                        for b in &engines {
                            let sa = Setup {
                                engine: a,
                                ..setup(model, quant, gpu, gpus, "vllm")
                            };
                            let sb = Setup { engine: b, ..sa };
                            if !applicable(&sa) || !applicable(&sb) {
                                continue;
                            }
                            let (pa, pb) = (Physics::new(&sa, &w), Physics::new(&sb, &w));
                            let same = format!("{pa:?}") == format!("{pb:?}");
                            if same_physics(a, b) {
                                assert!(same, "{} / {} {model} {quant}", a.id, b.id);
                                pairs += usize::from(a.id != b.id);
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(
        pairs > 0,
        "no two engines share physics: the test checks nothing"
    );
    // Each input the predicate compares changes the physics of some setup.
    let vllm = c.engine("vllm").unwrap();
    let s = setup("llama-3.1-8b", "bf16", gpu, 2, "vllm");
    let w = Workload {
        concurrency: 300,
        ..Workload::default()
    };
    let base = format!("{:?}", Physics::new(&s, &w));
    use planner::catalog::engine::{Engine, MultiGpu};
    let edits = [
        Engine {
            memory_fraction: 0.5,
            ..vllm.clone()
        },
        Engine {
            runtime_overhead_gb: 9.0,
            ..vllm.clone()
        },
        Engine {
            max_batch: Some(16),
            gpu_defaults: Vec::new(),
            ..vllm.clone()
        },
        Engine {
            token_budget: 64,
            gpu_defaults: Vec::new(),
            ..vllm.clone()
        },
        Engine {
            multi_gpu: MultiGpu::LayerSplit,
            ..vllm.clone()
        },
    ];
    for e in &edits {
        assert!(!same_physics(vllm, e));
        let edited = Setup { engine: e, ..s };
        assert_ne!(format!("{:?}", Physics::new(&edited, &w)), base);
    }
}

/// The plan sizes an option once for engines whose factors `predicts_like` each other.
#[test]
fn factors_that_predict_alike_give_the_same_prediction() {
    use planner::calibration::{EngineFit, Slowdowns};
    use planner::physics::kernels::{Kernels, PerKernels};
    let like = |a: &EngineFit, b: &EngineFit, moe| {
        Slowdowns::from(a).predicts_like(&b.into(), Kernels::of(moe, false))
    };
    let c = cat();
    let gpu = c.gpu("h100-sxm").unwrap();
    let a = EngineFit {
        eta_bandwidth: 0.7,
        step_overhead_s: 0.004,
        eta_compute: PerKernels {
            dense: 0.8,
            moe: 0.3,
            dense_dequant: 0.6,
            moe_dequant: 0.2,
        },
        request_overhead_s: 0.03,
    };
    let moe_only = EngineFit {
        eta_compute: PerKernels {
            moe: 0.02,
            ..a.eta_compute
        },
        ..a
    };
    let w = Workload {
        concurrency: 64,
        ..Workload::default()
    };
    let dense = Physics::new(&setup("llama-3.1-8b", "bf16", gpu, 1, "vllm"), &w).unwrap();
    let moe = Physics::new(&setup("qwen3-30b-a3b", "bf16", gpu, 1, "vllm"), &w).unwrap();
    assert!(like(&a, &moe_only, false));
    assert_eq!(dense.predict(&a), dense.predict(&moe_only));
    assert!(!like(&a, &moe_only, true));
    assert_ne!(moe.predict(&a), moe.predict(&moe_only));
    for other in [
        EngineFit {
            eta_bandwidth: 0.6,
            ..a
        },
        EngineFit {
            step_overhead_s: 0.001,
            ..a
        },
        EngineFit {
            eta_compute: PerKernels {
                dense: 0.5,
                ..a.eta_compute
            },
            ..a
        },
    ] {
        assert!(!like(&a, &other, false));
        assert_ne!(dense.predict(&a), dense.predict(&other));
    }
    // A request's fixed path changes every TTFT, not the steps.
    let slower_requests = EngineFit {
        request_overhead_s: 0.05,
        ..a
    };
    assert!(!like(&a, &slower_requests, false));
    assert!(!like(&a, &slower_requests, true));
}

/// MLA's attention FLOPs, worked by hand for DeepSeek-V3 (128 heads, 61 layers, kv_lora_rank
/// 512, qk_rope 64, qk_nope 128, v 128): decode against the compressed latent, prefill with
/// keys and values decompressed; GQA models are unchanged by the distinction.
#[test]
fn mla_attention_flops_follow_the_latent_in_decode() {
    use planner::physics::decode::{attention_flops_per_token, decode_attention_flops_per_token};
    let c = cat();
    let ds = c.model("deepseek-v3").unwrap();
    let ctx = 1000.0;
    let decode = 2.0 * 128.0 * (2.0 * 512.0 + 64.0) * 61.0 * ctx;
    let prefill = 2.0 * 128.0 * (128.0 + 64.0 + 128.0) * 61.0 * ctx;
    assert!((decode_attention_flops_per_token(ds, ctx) - decode).abs() < 1e-6 * decode);
    assert!((attention_flops_per_token(ds, ctx) - prefill).abs() < 1e-6 * prefill);
    let llama = c.model("llama-3.1-8b").unwrap();
    let gqa = 4.0 * 32.0 * 128.0 * 32.0 * ctx;
    assert_eq!(decode_attention_flops_per_token(llama, ctx), gqa);
    assert_eq!(attention_flops_per_token(llama, ctx), gqa);
}

#[test]
fn an_estimate_takes_the_band_of_its_regime() {
    use planner::calibration::{Metric, Regime};
    let c = cat();
    let h100 = c.gpu("h100-sxm").unwrap();
    let s = setup("llama-3.1-8b", "bf16", h100, 1, "vllm");
    let at = |concurrency: u32| {
        let w = Workload {
            concurrency,
            prompt_tokens: 512,
            gen_tokens: 128,
            context_depth: 0,
            serving: true,
        };
        estimate(&s, &w, &c.fit).unwrap()
    };
    // The closed loop's TTFT band: its regime's factor above the expected value; below it,
    // its regime's factor or the physical floor, whichever is higher.
    let factors = |e: &planner::estimate::Estimate| {
        let t = e.under_load.as_ref().unwrap().ttft_ms.unwrap();
        (t.low / t.expected, t.high / t.expected)
    };
    for (n, regime) in [(1, Regime::Single), (32, Regime::Loaded)] {
        let (lo, hi) = factors(&at(n));
        let (band_lo, band_hi) = c.fit.band(Metric::TtftMs, regime);
        assert!((hi - band_hi).abs() < 1e-9, "{n}: {hi} vs {band_hi}");
        assert!(lo >= band_lo - 1e-12, "{n}: {lo} vs {band_lo}");
    }
    assert_ne!(
        c.fit.band(Metric::TtftMs, Regime::Single),
        c.fit.band(Metric::TtftMs, Regime::Loaded)
    );
}

/// Every model whose checkpoint size is published weighs, as derived from its architecture in
/// its release format, within 5% of it (the others are checked on their parameter counts).
#[test]
fn released_checkpoints_weigh_what_their_files_say() {
    let c = cat();
    let mut checked = Vec::new();
    for m in &c.models {
        let Some(bytes) = m.published_checkpoint_bytes else {
            continue;
        };
        let f = c.format(&m.native_format).unwrap();
        let w = WeightBytes::new(
            &m.tensor_groups(),
            &f.layout(planner::catalog::format::Container::Hf, m),
        );
        let off = (w.total() - bytes).abs() / bytes;
        assert!(
            off < 0.05,
            "{}: derived {:.3e} B vs published {bytes:.3e} B",
            m.id,
            w.total()
        );
        checked.push(m.id.as_str());
    }
    assert!(
        checked.contains(&"devstral-small-2507") && checked.len() >= 3,
        "{checked:?}"
    );
}

/// Which matmuls a setup runs: weights stored below the 16-bit path that computes them are
/// dequantized in the kernel (llama.cpp's GGUF quants, MXFP4 or FP8 where the GPU lacks the
/// path); F16/BF16 and a GPU's own FP8/FP4 path are native GEMMs. Each kind has its own fitted
/// compute efficiency.
#[test]
fn weights_below_the_compute_path_make_dequantizing_kernels() {
    use planner::physics::kernels::Kernels;
    let c = cat();
    let kernels = |model: &str, quant: &str, gpu: &str, engine: &str| {
        let w = Workload::default();
        Physics::new(&setup(model, quant, c.gpu(gpu).unwrap(), 1, engine), &w)
            .unwrap()
            .kernels
    };
    let dense = |dequant| Kernels::of(false, dequant);
    let moe = |dequant| Kernels::of(true, dequant);
    assert_eq!(
        kernels("llama-3.1-8b", "q4_k_m", "rtx-4090", "llama.cpp"),
        dense(true)
    );
    assert_eq!(
        kernels("llama-3.1-8b", "fp16", "rtx-4090", "llama.cpp"),
        dense(false)
    );
    assert_eq!(
        kernels("llama-3.1-8b", "fp8", "h100-sxm", "vllm"),
        dense(false)
    );
    assert_eq!(
        kernels("llama-3.1-8b", "fp8", "a100-80gb-sxm", "vllm"),
        dense(true)
    );
    assert_eq!(
        kernels("gpt-oss-120b", "mxfp4", "h100-sxm", "vllm"),
        moe(true)
    );
    assert_eq!(kernels("gpt-oss-120b", "mxfp4", "b200", "vllm"), moe(false));
    assert_eq!(
        kernels("qwen3-30b-a3b", "bf16", "h100-sxm", "vllm"),
        moe(false)
    );
}
