//! A model from a pasted Hugging Face `config.json` (llama, qwen2, qwen3, qwen3_moe, mistral,
//! gemma3, gpt_oss, deepseek_v3 families). A missing or invalid field is an error naming it.

use serde_json::{Map, Value};

use crate::catalog::model::{Attention, Model};
use crate::error::{PlannerError, Result};

pub const FAMILIES: [&str; 8] = [
    "llama",
    "qwen2",
    "qwen3",
    "qwen3_moe",
    "mistral",
    "gemma3",
    "gpt_oss",
    "deepseek_v3",
];

fn field_err(name: &str, msg: &str) -> PlannerError {
    PlannerError::invalid(format!("config.json: {name}"), msg)
}

struct Cfg<'a>(&'a Map<String, Value>);

impl Cfg<'_> {
    fn opt_u32(&self, name: &str) -> Result<Option<u32>> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .filter(|n| *n <= u32::MAX as u64)
                .map(|n| Some(n as u32))
                .ok_or_else(|| field_err(name, "must be a whole number")),
        }
    }
    fn u32(&self, name: &str) -> Result<u32> {
        match self.opt_u32(name)? {
            Some(0) => Err(field_err(name, "must be positive")),
            Some(v) => Ok(v),
            None => Err(field_err(name, "missing")),
        }
    }
    fn bool_or(&self, name: &str, default: bool) -> Result<bool> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(field_err(name, "must be true or false")),
        }
    }
    fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }
}

/// Parses a config.json into a model with the given id. The model is marked user-supplied.
pub fn model_from_config(id: &str, json: &str) -> Result<Model> {
    if id.trim().is_empty() || id.len() > 64 {
        return Err(PlannerError::invalid(
            "custom model id",
            "must be 1-64 characters",
        ));
    }
    let root: Value = serde_json::from_str(json)
        .map_err(|e| PlannerError::invalid("config.json", format!("not valid JSON: {e}")))?;
    let root = root
        .as_object()
        .ok_or_else(|| PlannerError::invalid("config.json", "must be a JSON object"))?;
    let family = Cfg(root)
        .str("model_type")
        .ok_or_else(|| field_err("model_type", "missing"))?
        .to_string();
    if !FAMILIES.contains(&family.as_str()) {
        return Err(field_err(
            "model_type",
            &format!("unsupported '{family}'; supported: {}", FAMILIES.join(", ")),
        ));
    }
    // Gemma 3 nests the language model under text_config.
    let text = match (family.as_str(), root.get("text_config")) {
        ("gemma3", Some(Value::Object(t))) => t,
        ("gemma3", _) => return Err(field_err("text_config", "missing")),
        _ => root,
    };
    let c = Cfg(text);
    let hidden = c.u32("hidden_size")?;
    let layers = c.u32("num_hidden_layers")?;
    let heads = c.u32("num_attention_heads")?;
    let kv_heads = c.opt_u32("num_key_value_heads")?.unwrap_or(heads);
    if kv_heads == 0 || heads % kv_heads != 0 {
        return Err(field_err(
            "num_key_value_heads",
            "must divide num_attention_heads",
        ));
    }
    let head_dim = c.opt_u32("head_dim")?.unwrap_or(hidden / heads);
    let vocab = c.u32("vocab_size")?;
    let max_context = c.u32("max_position_embeddings")?;
    let tied = c.bool_or("tie_word_embeddings", family == "gemma3")?;

    let mut m = Model {
        id: id.trim().to_string(),
        name: id.trim().to_string(),
        hf_repo: String::new(),
        developer: String::new(),
        native_format: native_format(root),
        layers,
        hidden,
        heads,
        kv_heads,
        head_dim,
        vocab,
        tied_embeddings: tied,
        attention: Attention::Gqa,
        sliding_layers: 0,
        sliding_window: 0,
        kv_lora_rank: 0,
        q_lora_rank: 0,
        qk_nope_head_dim: 0,
        qk_rope_head_dim: 0,
        v_head_dim: 0,
        dense_ffn: 0,
        dense_ffn_layers: 0,
        moe_ffn: 0,
        experts: 0,
        experts_active: 0,
        shared_experts: 0,
        max_context,
        published_total_params_b: 0.0,
        published_active_params_b: 0.0,
        active_convention: String::new(),
        published_checkpoint_bytes: None,
        release_date: String::new(),
        license: String::new(),
        source: "user-supplied config.json".into(),
        source_date: "user-supplied".into(),
        notes: String::new(),
        quality: Vec::new(),
        quality_not_reported: "a model from a pasted config.json has no published scores here"
            .into(),
        user_supplied: true,
        derived: Default::default(),
    };
    match family.as_str() {
        "llama" | "qwen2" | "qwen3" | "mistral" => {
            m.dense_ffn = c.u32("intermediate_size")?;
            m.dense_ffn_layers = layers;
            let sliding = c.bool_or("use_sliding_window", family == "mistral")?;
            if let (true, Some(w)) = (sliding, c.opt_u32("sliding_window")?) {
                if w < max_context {
                    m.sliding_layers = layers;
                    m.sliding_window = w;
                }
            }
        }
        "gemma3" => {
            m.dense_ffn = c.u32("intermediate_size")?;
            m.dense_ffn_layers = layers;
            let window = c.u32("sliding_window")?;
            let pattern = c.opt_u32("sliding_window_pattern")?.unwrap_or(6).max(1);
            m.sliding_layers = layers - layers / pattern;
            m.sliding_window = window;
        }
        "qwen3_moe" => {
            m.experts = c.u32("num_experts")?;
            m.experts_active = c.u32("num_experts_per_tok")?;
            m.moe_ffn = c.u32("moe_intermediate_size")?;
        }
        "gpt_oss" => {
            m.experts = c.u32("num_local_experts")?;
            m.experts_active = c
                .opt_u32("num_experts_per_tok")?
                .or(c.opt_u32("experts_per_token")?)
                .ok_or_else(|| field_err("num_experts_per_tok", "missing"))?;
            m.moe_ffn = c.u32("intermediate_size")?;
            m.sliding_window = c.u32("sliding_window")?;
            let types = text
                .get("layer_types")
                .and_then(Value::as_array)
                .ok_or_else(|| field_err("layer_types", "missing"))?;
            m.sliding_layers = types
                .iter()
                .filter(|t| t.as_str() == Some("sliding_attention"))
                .count() as u32;
        }
        "deepseek_v3" => {
            m.attention = Attention::Mla;
            m.experts = c.u32("n_routed_experts")?;
            m.experts_active = c.u32("num_experts_per_tok")?;
            m.shared_experts = c.opt_u32("n_shared_experts")?.unwrap_or(0);
            m.moe_ffn = c.u32("moe_intermediate_size")?;
            m.dense_ffn = c.u32("intermediate_size")?;
            m.dense_ffn_layers = c.opt_u32("first_k_dense_replace")?.unwrap_or(0);
            m.kv_lora_rank = c.u32("kv_lora_rank")?;
            m.q_lora_rank = c.opt_u32("q_lora_rank")?.unwrap_or(0);
            m.qk_nope_head_dim = c.u32("qk_nope_head_dim")?;
            m.qk_rope_head_dim = c.u32("qk_rope_head_dim")?;
            m.v_head_dim = c.u32("v_head_dim")?;
            m.kv_heads = heads;
            m.head_dim = m.qk_nope_head_dim + m.qk_rope_head_dim;
        }
        other => return Err(field_err("model_type", &format!("unsupported '{other}'"))),
    }
    if m.experts_active > m.experts {
        return Err(field_err(
            "num_experts_per_tok",
            "exceeds the number of experts",
        ));
    }
    if m.dense_ffn_layers > layers {
        return Err(field_err(
            "first_k_dense_replace",
            "exceeds num_hidden_layers",
        ));
    }
    Ok(m)
}

/// The release format from `quantization_config` or `torch_dtype`.
fn native_format(root: &Map<String, Value>) -> String {
    let quant = root
        .get("quantization_config")
        .and_then(|q| q.get("quant_method"))
        .and_then(Value::as_str);
    match quant {
        Some("mxfp4") => "mxfp4".into(),
        Some("fp8") => "fp8".into(),
        _ => match root.get("torch_dtype").and_then(Value::as_str) {
            Some("float16") => "fp16".into(),
            _ => "bf16".into(),
        },
    }
}
