//! Custom models from pasted config.json files.

use planner::hf_config::model_from_config;
use planner::physics::kv::kv_cache_bytes_per_token;
use planner::Catalog;

const GPT_OSS_120B: &str = r#"{
  "architectures": ["GptOssForCausalLM"], "model_type": "gpt_oss",
  "hidden_size": 2880, "num_hidden_layers": 36, "num_attention_heads": 64,
  "num_key_value_heads": 8, "head_dim": 64, "vocab_size": 201088,
  "intermediate_size": 2880, "num_local_experts": 128, "num_experts_per_tok": 4,
  "sliding_window": 128, "max_position_embeddings": 131072, "tie_word_embeddings": false,
  "layer_types": ["sliding_attention","full_attention","sliding_attention","full_attention",
    "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
    "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
    "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
    "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
    "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
    "sliding_attention","full_attention"],
  "quantization_config": {"quant_method": "mxfp4"}, "torch_dtype": "bfloat16"
}"#;

#[test]
fn gpt_oss_config_reproduces_the_catalog_model() {
    let m = model_from_config("my-oss", GPT_OSS_120B).unwrap();
    let cat = Catalog::builtin().model("gpt-oss-120b").unwrap();
    assert_eq!(m.tensor_groups(), cat.tensor_groups());
    assert_eq!(m.native_format, "mxfp4");
    assert_eq!(m.sliding_layers, 18);
    assert_eq!(kv_cache_bytes_per_token(&m, 2.0), 36_864.0);
    assert!(m.user_supplied);
}

#[test]
fn deepseek_and_gemma_and_qwen_moe_families_parse() {
    let ds = r#"{"model_type":"deepseek_v3","hidden_size":7168,"num_hidden_layers":61,"num_attention_heads":128,
      "vocab_size":129280,"max_position_embeddings":163840,"intermediate_size":18432,"moe_intermediate_size":2048,
      "n_routed_experts":256,"n_shared_experts":1,"num_experts_per_tok":8,"first_k_dense_replace":3,
      "kv_lora_rank":512,"q_lora_rank":1536,"qk_nope_head_dim":128,"qk_rope_head_dim":64,"v_head_dim":128,
      "quantization_config":{"quant_method":"fp8"}}"#;
    let m = model_from_config("ds", ds).unwrap();
    let cat = Catalog::builtin().model("deepseek-v3").unwrap();
    assert!((m.tensor_groups().total() - cat.tensor_groups().total()).abs() < 1e6);
    assert_eq!(m.native_format, "fp8");

    let gemma = r#"{"model_type":"gemma3","text_config":{"hidden_size":5376,"num_hidden_layers":62,
      "num_attention_heads":32,"num_key_value_heads":16,"head_dim":128,"vocab_size":262208,
      "intermediate_size":21504,"sliding_window":1024,"max_position_embeddings":131072}}"#;
    let g = model_from_config("g", gemma).unwrap();
    assert_eq!(g.sliding_layers, 52);
    assert!(g.tied_embeddings);

    let qwen = r#"{"model_type":"qwen3_moe","hidden_size":2048,"num_hidden_layers":48,"num_attention_heads":32,
      "num_key_value_heads":4,"head_dim":128,"vocab_size":151936,"max_position_embeddings":40960,
      "moe_intermediate_size":768,"num_experts":128,"num_experts_per_tok":8,"intermediate_size":6144}"#;
    let q = model_from_config("q", qwen).unwrap();
    let cat = Catalog::builtin().model("qwen3-30b-a3b").unwrap();
    assert_eq!(q.tensor_groups(), cat.tensor_groups());
}

#[test]
fn bad_configs_name_the_field() {
    let err = |json: &str| model_from_config("x", json).unwrap_err().to_string();
    assert!(err("not json").contains("not valid JSON"));
    assert!(err("[1,2]").contains("must be a JSON object"));
    assert!(err(r#"{"hidden_size": 1}"#).contains("model_type: missing"));
    let e = err(r#"{"model_type": "bert"}"#);
    assert!(
        e.contains("unsupported 'bert'") && e.contains("gpt_oss"),
        "{e}"
    );
    let e = err(
        r#"{"model_type":"llama","hidden_size":4096,"num_hidden_layers":32,"vocab_size":128256,"max_position_embeddings":8192,"intermediate_size":14336}"#,
    );
    assert!(e.contains("num_attention_heads: missing"), "{e}");
    let e = err(r#"{"model_type":"llama","hidden_size":"big","num_hidden_layers":32}"#);
    assert!(e.contains("hidden_size: must be a whole number"), "{e}");
    let e = err(
        r#"{"model_type":"llama","hidden_size":4096,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":5,"vocab_size":1,"max_position_embeddings":1,"intermediate_size":1}"#,
    );
    assert!(e.contains("num_key_value_heads"), "{e}");
    assert!(model_from_config("", GPT_OSS_120B).is_err());
}
