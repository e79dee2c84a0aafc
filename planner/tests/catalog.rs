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
        "mi300x",
        "mi325x",
        "m1-ultra",
        "m2-max",
        "m2-ultra",
        "m3-max",
        "m3-ultra",
        "m4-max",
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
    assert!(c.skipped.iter().any(|s| s.reason.contains("range")));
}

fn broken(edit: impl FnOnce(&mut Sources)) -> String {
    let mut s = Sources::builtin();
    edit(&mut s);
    match Catalog::from_sources(&s) {
        Ok(_) => panic!("a broken catalog loaded"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn missing_source_fails() {
    let e = broken(|s| {
        s.gpus = s.gpus.replacen(
            "source = \"thundercompute.com/blog/nvidia-a100-specs-full-guide; glennklockwood.com/garden/processors/A100\"",
            "source = \"\"",
            1,
        )
    });
    assert!(e.contains("missing source"), "{e}");
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
