//! The query string as a scenario, and the form's defaults and bounds against the engine's.

use app::fields::{ECONOMICS, QUALITY, WORKLOAD};
use app::ssr::query::{canonical, defaults, parse};
use planner::{Catalog, Scenario};

#[test]
fn empty_query_is_the_article_scenario() {
    let p = parse("", Catalog::builtin());
    assert!(p.errors.is_empty());
    assert_eq!(p.scenario, Scenario::default());
    assert_eq!(
        (p.sort.as_str(), p.dir.as_str(), p.show.as_str()),
        ("rank", "asc", "all")
    );
}

#[test]
fn keys_lists_and_gpu_counts_parse() {
    let p = parse(
        "?hours_per_day=12.5&models=gpt-oss-20b&models=qwen3-32b&quants=mxfp4,q4_k_m&gpus=a100-80gb-sxm:4,rtx-3090:2,h100-sxm&engine=vllm&kwh_price=0.3&utm_source=x&sort=cloud&dir=desc",
        Catalog::builtin(),
    );
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let s = &p.scenario;
    assert_eq!(s.hours_per_day, 12.5);
    assert_eq!(s.models, ["gpt-oss-20b", "qwen3-32b"]);
    assert_eq!(s.quants, ["mxfp4", "q4_k_m"]);
    let gpus: Vec<_> = s.gpus.iter().map(|g| (g.id.as_str(), g.count)).collect();
    assert_eq!(
        gpus,
        [("a100-80gb-sxm", 4), ("rtx-3090", 2), ("h100-sxm", 1)]
    );
    assert_eq!(s.engine, "vllm");
    assert_eq!((p.sort.as_str(), p.dir.as_str()), ("cloud", "desc"));
}

#[test]
fn canonical_query_round_trips() {
    let s = Scenario {
        hours_per_day: 3.5,
        peak_users: 42,
        ..Scenario::default()
    };
    let back = parse(&canonical(&s), Catalog::builtin());
    assert!(back.errors.is_empty());
    assert_eq!(back.scenario, s);
}

#[test]
fn every_bad_field_is_named_once() {
    let p = parse(
        "hours_per_day=x&peak_users=2.5&models=&gpus=h100-sxm:0",
        Catalog::builtin(),
    );
    let fields: Vec<_> = p.errors.iter().map(|e| e.field.as_str()).collect();
    for f in ["hours_per_day", "peak_users", "models", "gpus"] {
        assert_eq!(
            fields.iter().filter(|x| **x == f).count(),
            1,
            "{f} in {fields:?}"
        );
    }
}

#[test]
fn form_defaults_and_bounds_agree_with_the_engine() {
    let d = defaults();
    let reparsed = parse(
        &d.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&"),
        Catalog::builtin(),
    );
    assert_eq!(reparsed.scenario, Scenario::default());
    for f in WORKLOAD.iter().chain(QUALITY).chain(ECONOMICS) {
        assert!(
            d.iter().any(|(k, _)| k == f.key),
            "no default for {}",
            f.key
        );
        let at = |v: f64| parse(&format!("{}={v}", f.key), Catalog::builtin()).errors;
        assert!(
            at(f.min).is_empty(),
            "{} min {} should be valid",
            f.key,
            f.min
        );
        assert!(
            at(f.max).is_empty(),
            "{} max {} should be valid",
            f.key,
            f.max
        );
        let below = f.min - if f.step == "1" { 1.0 } else { 0.001 };
        if below >= 0.0 || f.min > 0.0 {
            assert!(
                !at(below).is_empty(),
                "{} below min should be invalid",
                f.key
            );
        }
    }
}

/// A small dense config.json, as Hugging Face publishes them.
pub const OWN_CONFIG: &str = r#"{"model_type": "llama", "hidden_size": 2048, "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64, "intermediate_size": 8192, "vocab_size": 128256, "tie_word_embeddings": true, "max_position_embeddings": 131072}"#;

fn own_query(config: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("models", "gpt-oss-20b")
        .append_pair("gpus", "rtx-4090:1")
        .append_pair("custom_gpu_name", "Lab card")
        .append_pair("custom_gpu_memory_gb", "48")
        .append_pair("custom_gpu_bandwidth_gbps", "900")
        .append_pair("custom_gpu_bf16_tflops", "150")
        .append_pair("custom_gpu_price_usd", "4000")
        .append_pair("custom_gpu_count", "2")
        .append_pair("custom_model_config", config);
    q.finish()
}

#[test]
fn your_own_gpu_and_model_join_the_plan_and_survive_the_canonical_link() {
    let p = parse(&own_query(OWN_CONFIG), Catalog::builtin());
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let s = &p.scenario;
    assert_eq!(s.models, ["gpt-oss-20b", "custom-model"]);
    let gpus: Vec<_> = s.gpus.iter().map(|g| (g.id.as_str(), g.count)).collect();
    assert_eq!(gpus, [("rtx-4090", 1), ("custom-gpu", 2)]);
    let g = &s.custom_gpus[0];
    assert_eq!(
        (g.name.as_str(), g.memory_gb, g.bf16_tflops, g.tdp_w),
        ("Lab card", 48.0, Some(150.0), None)
    );
    assert_eq!(s.custom_models[0].config_json, OWN_CONFIG);
    // The share link carries both, compactly, and reads back the same scenario.
    let link = canonical(s);
    assert!(
        !link.contains("custom-gpu%3A") && link.contains("custom_gpu_count=2"),
        "{link}"
    );
    let back = parse(&link, Catalog::builtin());
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    assert_eq!(&back.scenario, s);
}

#[test]
fn a_bad_config_or_an_incomplete_gpu_is_named_on_its_own_field() {
    let broken = OWN_CONFIG.replace(r#""hidden_size": 2048, "#, "");
    let p = parse(&own_query(&broken), Catalog::builtin());
    let e = p
        .errors
        .iter()
        .find(|e| e.field == "custom_model_config")
        .expect("named");
    assert!(e.message.contains("hidden_size"), "{}", e.message);
    for (query, field) in [
        (
            "custom_gpu_name=x&custom_gpu_memory_gb=24",
            "custom_gpu_bandwidth_gbps",
        ),
        (
            "custom_gpu_memory_gb=24&custom_gpu_bandwidth_gbps=0",
            "custom_gpu_bandwidth_gbps",
        ),
        (
            "custom_gpu_memory_gb=24&custom_gpu_bandwidth_gbps=500&custom_gpu_count=1.5",
            "custom_gpu_count",
        ),
    ] {
        let errors = parse(query, Catalog::builtin()).errors;
        assert!(
            errors.iter().any(|e| e.field == field),
            "{query}: {errors:?}"
        );
    }
}

/// The form's bounds for your own GPU are the engine's: at the minimum a figure is taken, just
/// below it the field is named.
#[test]
fn your_gpus_form_bounds_agree_with_the_engine() {
    use app::fields::CUSTOM_GPU;
    for f in CUSTOM_GPU.iter().filter(|f| f.key != "custom_gpu_count") {
        let with = |v: f64| {
            let mut q = format!("{}={v}", f.key);
            for (k, d) in [
                ("custom_gpu_memory_gb", 24),
                ("custom_gpu_bandwidth_gbps", 500),
            ] {
                if k != f.key {
                    q.push_str(&format!("&{k}={d}"));
                }
            }
            parse(&q, Catalog::builtin()).errors
        };
        assert!(
            !with(f.min).iter().any(|e| e.field == f.key),
            "{} at its minimum",
            f.key
        );
        let below = f.min - f.min.max(1.0) * 0.5 - 0.01;
        assert!(
            with(below).iter().any(|e| e.field == f.key),
            "{} below {}",
            f.key,
            f.min
        );
        assert!(
            with(f.max * 2.0).iter().any(|e| e.field == f.key),
            "{} above {}",
            f.key,
            f.max
        );
    }
}
