//! The catalog data obeys its rules, and breaking any rule fails loudly.

use planner::catalog::{Catalog, Sources};

#[test]
fn builtin_catalog_is_valid_and_complete() {
    let c = Catalog::builtin();
    assert!(c.validate().is_empty(), "{:?}", c.validate());
    // Every canonical id of the reference README that has a sourced row.
    for id in [
        "gpt-oss-20b",
        "gpt-oss-120b",
        "llama-2-7b",
        "llama-2-70b",
        "llama-3.1-8b",
        "llama-3.3-70b",
        "llama-3.1-405b",
        "qwen3-30b-a3b",
        "qwen3-235b-a22b",
        "qwen3-32b",
        "deepseek-v3",
        "mistral-small-24b",
        "gemma-3-27b",
        "qwen2.5-7b",
    ] {
        assert!(c.model(id).is_ok(), "{id}");
    }
    for id in [
        "a100-40gb-sxm",
        "a100-80gb-sxm",
        "a100-40gb-pcie",
        "a100-80gb-pcie",
        "h100-sxm",
        "h100-pcie",
        "h100-nvl",
        "h200",
        "b200",
        "l40s",
        "l4",
        "a10g",
        "rtx-3060-12gb",
        "rtx-3090",
        "rtx-4070-12gb",
        "rtx-4070-ti-12gb",
        "rtx-4090",
        "rtx-5090",
        "rtx-a5000",
        "rtx-6000-ada",
        "rtx-pro-6000",
        "rtx-pro-6000-maxq",
        "rtx-pro-6000-se",
        "mi300x",
        "mi325x",
        "m1-ultra",
        "m2-max",
        "m2-ultra",
        "m2-ultra-60c",
        "m3-max",
        "m3-ultra",
        "m4-max",
        "m4-max-32c",
        "dgx-spark",
    ] {
        assert!(c.gpu(id).is_ok(), "{id}");
    }
    assert!(c.gpu("m4-ultra").is_err(), "there is no M4 Ultra");
    for id in [
        "bf16",
        "fp16",
        "fp8",
        "q8_0",
        "q6_k",
        "q5_k_m",
        "q4_k_m",
        "q4_0",
        "q4_1",
        "mxfp4",
        "nvfp4",
        "awq-int4",
        "gptq-int4",
        "mlx-4bit",
    ] {
        assert!(c.format(id).is_ok(), "{id}");
    }
    for id in ["bf16", "fp8", "q8_0", "q4_0"] {
        assert!(c.kv_format(id).is_ok(), "kv {id}");
    }
    for id in ["vllm", "sglang", "llama.cpp", "ollama", "trt-llm", "mlx"] {
        assert!(c.engine(id).is_ok(), "{id}");
    }
    assert!(c.cloud.len() > 50 && c.api.len() > 20);
    // Rows we cannot use are kept with a reason, not dropped.
    assert!(c.skipped.iter().all(|s| !s.reason.is_empty()));
    // A price published as a range is kept as a skipped row with its reason, not guessed.
    let mut sources = Sources::builtin();
    sources.cloud_prices.push_str("h100-sxm,GCP,H100 80GB,a3-highgpu-8g (per GPU),8,,4.10-11.06,on-demand,us-central1,2026-05-01,cloud.google.com/compute/gpus-pricing,a range\n");
    let ranged = Catalog::from_sources(&sources).unwrap();
    assert!(ranged.skipped.iter().any(|s| s.reason.contains("range")));
}

fn broken(edit: impl FnOnce(&mut Sources)) -> String {
    let mut s = Sources::builtin();
    edit(&mut s);
    match Catalog::from_sources(&s) {
        Ok(_) => panic!("a broken catalog loaded"),
        Err(e) => e.to_string(),
    }
}

/// The provenance rule over every data file: a figure without a source that names a place, or
/// without a YYYY-MM(-DD) date, or citing the physics note, fails the load naming its entry.
#[test]
fn a_figure_without_a_source_or_a_date_or_citing_the_physics_note_fails() {
    fn first_source(text: &str) -> String {
        let start = text.find("\nsource = \"").unwrap() + 1;
        let end = start + text[start..].find('\n').unwrap();
        text[start..end].to_string()
    }
    let e = broken(|s| {
        let line = first_source(&s.gpus);
        s.gpus = s.gpus.replacen(&line, "source = \"\"", 1)
    });
    assert!(
        e.contains("gpus.toml 'a100-40gb-sxm': missing source"),
        "{e}"
    );
    let e = broken(|s| {
        let line = first_source(&s.formats);
        s.formats = s.formats.replacen(&line, "source = \"PHYSICS.md §1\"", 1)
    });
    assert!(
        e.contains("formats.toml 'bf16': cites the physics note"),
        "{e}"
    );
    let e = broken(|s| {
        let line = first_source(&s.engines);
        s.engines = s
            .engines
            .replacen(&line, "source = \"the engine's defaults\"", 1)
    });
    assert!(
        e.contains("engines.toml 'vllm': the source names no URL"),
        "{e}"
    );
    let e = broken(|s| {
        s.models = s
            .models
            .replacen("source_date = \"2025-08-05\"", "source_date = \"2025\"", 1)
    });
    assert!(
        e.contains("models.toml 'gpt-oss-120b': source date '2025'"),
        "{e}"
    );
    // Prices: an undated API price and a cloud offer read "mid-2026".
    let e = broken(|s| s.api_prices = s.api_prices.replacen(",2026-07-02,", ",,", 1));
    assert!(
        e.contains("api_prices.csv") && e.contains("missing source date"),
        "{e}"
    );
    let e = broken(|s| s.cloud_prices = s.cloud_prices.replacen(",2026-01-21,", ",mid-2026,", 1));
    assert!(
        e.contains("cloud_prices.csv") && e.contains("'mid-2026' is not"),
        "{e}"
    );
    // An engine default per GPU class is a figure like any other.
    let e = broken(|s| {
        s.engines = s.engines.replacen(
            "source_date = \"2026-11-02\"",
            "source_date = \"late 2026\"",
            2,
        )
    });
    assert!(e.contains("vllm gpu_defaults >= 160 GiB"), "{e}");
}

#[test]
fn unknown_id_fails() {
    let e = broken(|s| s.cloud_prices = s.cloud_prices.replacen("\nl4,AWS", "\nl5,AWS", 1));
    assert!(e.contains("unknown gpu id 'l5'"), "{e}");
    let e = broken(|s| s.engines = s.engines.replacen("\"q6_k\"", "\"q7_k\"", 1));
    assert!(e.contains("unknown format 'q7_k'"), "{e}");
}

#[test]
fn duplicate_id_fails() {
    let e = broken(|s| {
        s.models = s
            .models
            .replacen("id = \"gpt-oss-20b\"", "id = \"gpt-oss-120b\"", 1)
    });
    assert!(e.contains("duplicate id 'gpt-oss-120b'"), "{e}");
}

#[test]
fn non_physical_values_fail() {
    let e = broken(|s| {
        s.gpus = s
            .gpus
            .replacen("bandwidth_gbps = 1555", "bandwidth_gbps = -1", 1)
    });
    assert!(e.contains("bandwidth_gbps must be positive"), "{e}");
    let e = broken(|s| {
        s.models = s
            .models
            .replacen("experts_active = 4", "experts_active = 400", 1)
    });
    assert!(e.contains("experts_active exceeds experts"), "{e}");
    let e = broken(|s| s.formats = s.formats.replacen("dense_bits = 8.5", "dense_bits = 0", 1));
    assert!(e.contains("within 1-32 bits"), "{e}");
}

#[test]
fn malformed_file_names_the_file() {
    let e = broken(|s| s.models.push_str("\n[[model]]\nid = 3\n"));
    assert!(e.contains("models.toml"), "{e}");
}

#[test]
fn snapshot_id_changes_with_data() {
    let a = Sources::builtin();
    let mut b = Sources::builtin();
    b.cloud_prices = b.cloud_prices.replacen("1.006", "1.007", 1);
    assert_ne!(a.snapshot_id(), b.snapshot_id());
    assert_eq!(a.snapshot_id(), Sources::builtin().snapshot_id());
}

/// The figures an audit of the catalog found wrong (issue 12), pinned with the sources they
/// now come from.
#[test]
fn the_audited_figures_are_corrected_with_their_sources() {
    let c = Catalog::builtin();
    let gpu = |id: &str| c.gpu(id).unwrap();
    // RTX 5090: dense with FP32 accumulate, as the RTX 4090 row (the whitepaper's Table 3).
    let g = gpu("rtx-5090");
    assert_eq!(
        (g.bf16_tflops, g.fp8_tflops, g.fp4_tflops),
        (Some(209.5), Some(419.0), Some(1676.0))
    );
    assert!(
        g.source
            .contains("RTX Blackwell GPU Architecture whitepaper"),
        "{}",
        g.source
    );
    assert_eq!(gpu("rtx-4090").bf16_tflops, Some(165.2));
    // M4 Max: two bins, each with its own bandwidth, memory and price.
    let (big, small) = (gpu("m4-max"), gpu("m4-max-32c"));
    assert_eq!((big.bandwidth_gbps, big.memory_gb), (546.0, 48.0));
    assert_eq!(
        (small.bandwidth_gbps, small.memory_options_gb.clone()),
        (410.0, vec![36.0])
    );
    assert_eq!(small.price.as_ref().map(|p| p.usd), Some(1999.0));
    assert!(big.source.contains("support.apple.com/en-us/122211"));
    // M2 Ultra: $3,999 buys the 60-core GPU; the 76-core row has no sourced price.
    assert!(gpu("m2-ultra").price.is_none());
    let m2 = gpu("m2-ultra-60c");
    assert_eq!(m2.price.as_ref().map(|p| p.usd), Some(3999.0));
    assert!(m2.bf16_tflops.unwrap() < gpu("m2-ultra").bf16_tflops.unwrap());
    // RTX PRO 6000: three editions; every cloud offer but Akash's workstation card rents the
    // Server Edition, and the calibration runs name the edition they ran on.
    assert_eq!(gpu("rtx-pro-6000").bandwidth_gbps, 1792.0);
    assert_eq!(gpu("rtx-pro-6000-maxq").tdp_w, Some(300.0));
    assert_eq!(gpu("rtx-pro-6000-se").bandwidth_gbps, 1597.0);
    let workstation: Vec<&str> = (c.cloud.iter())
        .filter(|o| &*o.gpu_id == "rtx-pro-6000")
        .map(|o| &*o.provider)
        .collect();
    assert_eq!(workstation, ["Akash"]);
    assert!(c
        .cloud
        .iter()
        .any(|o| &*o.gpu_id == "rtx-pro-6000-se" && &*o.provider == "AWS"));
    // AWQ and GPTQ int4 at group 128: the packed zero point and fp16 scale per group.
    assert_eq!(c.format("awq-int4").unwrap().dense_bits, 4.15625);
    assert!((c.format("gptq-int4").unwrap().dense_bits - 4.164).abs() < 1e-9);
    // DeepSeek: the first-party API no longer serves V3 (deepseek-chat and deepseek-reasoner
    // retired 2026-07-24); the December 2024 weights are under DeepSeek's model licence.
    assert!(!c
        .api
        .iter()
        .any(|a| a.model_id == "deepseek-v3" && a.provider.contains("first-party")));
    assert!(c
        .model("deepseek-v3")
        .unwrap()
        .license
        .starts_with("DeepSeek License Agreement"));
}

/// Engine scheduling facts that depend on the GPU, as their sources say (engines.toml).
#[test]
fn engine_defaults_follow_the_gpu_they_run_on() {
    use planner::catalog::gpu::Arch;
    use planner::units::GIB;
    let c = Catalog::builtin();
    let gpu = |id: &str| c.gpu(id).unwrap();
    // SGLang keeps all but a reserve that grows with its prefill chunk and CUDA graphs.
    let sglang = c.engine("sglang").unwrap();
    for (id, reserve) in [
        ("h100-sxm", 13.6),
        ("b200", 26.2),
        ("l40s", 7.1),
        ("rtx-4090", 4.0),
    ] {
        let g = gpu(id);
        let share = sglang.memory_share(g, 40.0 * GIB) / GIB;
        assert!(
            (share - (g.usable_bytes() / GIB - reserve)).abs() < 1e-9,
            "{id}: {share}"
        );
    }
    // ... and on AMD only the Instinct MI300 and MI350 parts, not Ryzen AI Max.
    assert!(sglang.refuses("bf16", "AMD", Arch::Cdna4, 1).is_none());
    assert!(sglang.refuses("bf16", "AMD", Arch::Rdna35, 1).is_some());
    assert!(c
        .engine("vllm")
        .unwrap()
        .refuses("bf16", "AMD", Arch::Rdna35, 1)
        .is_none());
    // Ollama's batch follows its default context, which follows the GPU's memory.
    let ollama = c.engine("ollama").unwrap();
    let budget = |id: &str| ollama.token_budget_on(gpu(id));
    assert_eq!(
        (
            budget("rtx-3060-12gb"),
            budget("rtx-4090"),
            budget("rtx-pro-6000")
        ),
        (512, 1024, 2048)
    );
    // vLLM's fraction of memory, unchanged.
    let vllm = c.engine("vllm").unwrap();
    assert!(
        (vllm.memory_share(gpu("h100-sxm"), 40.0 * GIB) - 0.92 * gpu("h100-sxm").usable_bytes())
            .abs()
            < 1.0
    );
    // TensorRT-LLM gives its KV cache 90% of what the weights and runtime leave free: on an
    // 80 GiB H100 holding 74 GiB, 5.4 GiB of KV and 0.6 GiB left, where 90% of the whole
    // device would leave no KV at all; weights that do not fit get the whole device.
    let trt = c.engine("trt-llm").unwrap();
    let h100 = gpu("h100-sxm");
    let share = trt.memory_share(h100, 74.0 * GIB) / GIB;
    assert!((share - (74.0 + 0.9 * (h100.usable_bytes() / GIB - 74.0))).abs() < 1e-9);
    assert!(h100.usable_bytes() / GIB - share > 0.5);
    assert_eq!(trt.memory_share(h100, 90.0 * GIB), h100.usable_bytes());
}

/// The models and GPUs a late-2026 user asks about are in the catalog, each with a source.
#[test]
fn the_catalog_has_current_models_and_hardware() {
    let c = Catalog::builtin();
    for id in [
        "qwen3-8b",
        "qwen3-14b",
        "devstral-small-2507",
        "deepseek-v3.1",
        "kimi-k2",
        "glm-4.5",
        "glm-4.5-air",
        "qwen3-coder-480b-a35b",
        "qwen3-235b-a22b-2507",
        "llama-4-scout",
        "llama-4-maverick",
        "gemma-3-12b",
        "gemma-3-4b",
        "phi-4",
    ] {
        let m = c.model(id).unwrap();
        assert!(!m.source.is_empty() && !m.license.is_empty(), "{id}");
    }
    for id in [
        "b300",
        "gb200",
        "gb300",
        "mi355x",
        "mi350x",
        "rtx-5080",
        "rtx-5070-ti",
        "rtx-5070",
        "rtx-5060-ti-16gb",
        "ryzen-ai-max-395-128gb",
        "m4-pro",
        "m4-max-32c",
        "m2-ultra-60c",
        "rtx-pro-6000-se",
        "rtx-pro-6000-maxq",
    ] {
        assert!(c.gpu(id).is_ok(), "{id}");
    }
    // CDNA 4 computes FP4 natively; RDNA 3.5 has no FP8 or FP4 path.
    assert!(c.gpu("mi355x").unwrap().arch.native_fp4());
    assert!(!c.gpu("ryzen-ai-max-395-128gb").unwrap().arch.native_fp8());
}

/// Quality is data for every model (three sourced scores, or why not) and what each format
/// loses is data too (a sourced measurement, or "unmeasured" with why); a file missing either
/// does not load.
#[test]
fn every_model_has_sourced_quality_and_every_format_its_measured_loss() {
    let c = Catalog::builtin();
    for m in &c.models {
        assert!(
            m.quality.len() >= 3 || !m.quality_not_reported.is_empty(),
            "{}",
            m.id
        );
    }
    let q4 = c.format("q4_k_m").unwrap();
    let kld = q4
        .quality_loss
        .iter()
        .find(|l| l.metric.contains("KL"))
        .unwrap();
    assert_eq!((kld.reference, kld.quantized), (0.0, 0.031273));
    assert!(c
        .format("mlx-4bit")
        .unwrap()
        .quality_unmeasured
        .starts_with("unmeasured"));
    assert!(c
        .format("mxfp4")
        .unwrap()
        .quality_unmeasured
        .contains("released in this format"));
    let e = broken(|s| {
        s.formats = s.formats.replacen(
            "quality_unmeasured = \"unmeasured: no published",
            "notes = \"unmeasured: no published",
            1,
        )
    });
    assert!(
        e.contains("'mlx-4bit': no quality_loss and no quality_unmeasured"),
        "{e}"
    );
    let e = broken(|s| {
        s.models = s
            .models
            .replacen("quality_not_reported = ", "notes_x = ", 1)
    });
    assert!(e.contains("quality score(s)"), "{e}");
}

/// The form groups GPUs by segment: every group has members, and "unified" is exactly the
/// unified-memory devices.
#[test]
fn every_gpu_has_a_segment_and_unified_memory_is_its_own() {
    use planner::catalog::gpu::Segment;
    let c = planner::Catalog::builtin();
    for seg in Segment::ALL {
        assert!(c.gpus.iter().any(|g| g.segment == seg), "{seg:?} is empty");
    }
    for g in &c.gpus {
        assert_eq!(g.unified, g.segment == Segment::Unified, "{}", g.id);
    }
    let consumer: Vec<&str> = (c.gpus.iter())
        .filter(|g| g.segment == Segment::Consumer)
        .map(|g| g.name.as_str())
        .collect();
    assert!(
        consumer.iter().all(|n| n.starts_with("GeForce")),
        "{consumer:?}"
    );
}
