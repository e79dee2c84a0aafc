//! The planner form's numeric fields: query key, label, unit and bounds. The bounds mirror
//! `planner::Scenario::validate` (a server test checks they agree); defaults come from the
//! server with the catalog choices.

pub struct NumberField {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub min: f64,
    pub max: f64,
    pub step: &'static str,
    pub help: &'static str,
}

pub const WORKLOAD: &[NumberField] = &[
    NumberField {
        key: "hours_per_day",
        label: "Usage hours per day",
        unit: "h/day",
        min: 0.5,
        max: 24.0,
        step: "0.5",
        help:
            "Hours a day the service is in use; cloud bills these hours (or 730 h/month always-on).",
    },
    NumberField {
        key: "days_per_month",
        label: "Days per month",
        unit: "days",
        min: 1.0,
        max: 31.0,
        step: "1",
        help: "",
    },
    NumberField {
        key: "peak_users",
        label: "Peak concurrent users",
        unit: "users",
        min: 1.0,
        max: 1_000_000.0,
        step: "1",
        help: "Requests in flight at the busiest moment: this sizes the fleet (unless all users are given below).",
    },
    NumberField {
        key: "total_users",
        label: "Or: all users",
        unit: "users (0 = use the peak above)",
        min: 0.0,
        max: 10_000_000.0,
        step: "1",
        help: "Everyone who uses the service; with the share below it sets the peak instead.",
    },
    NumberField {
        key: "active_share",
        label: "Share of them in flight at the peak",
        unit: "(0-1]",
        min: 0.0001,
        max: 1.0,
        step: "any",
        help: "Users with a request in flight at the busiest moment, as a share of all users.",
    },
    NumberField {
        key: "tokens_per_s_per_user",
        label: "Speed per user",
        unit: "tokens/s",
        min: 0.1,
        max: 1000.0,
        step: "any",
        help: "Decode speed each user must see (reading speed is about 5-10 tokens/s).",
    },
    NumberField {
        key: "prompt_tokens",
        label: "Prompt length",
        unit: "tokens",
        min: 1.0,
        max: 1_000_000.0,
        step: "1",
        help: "",
    },
    NumberField {
        key: "output_tokens",
        label: "Output length",
        unit: "tokens",
        min: 1.0,
        max: 1_000_000.0,
        step: "1",
        help: "",
    },
    NumberField {
        key: "ttft_ms",
        label: "Time to first token target",
        unit: "ms",
        min: 10.0,
        max: 600_000.0,
        step: "1",
        help: "Held at its 95th percentile under the peak load, queueing included.",
    },
    NumberField {
        key: "utilization",
        label: "Load during usage hours",
        unit: "share of peak (0-1]",
        min: 0.01,
        max: 1.0,
        step: "0.01",
        help: "1 = every peak user streams the whole usage time; sets the monthly token volume unless requests a day are given.",
    },
    NumberField {
        key: "requests_per_day",
        label: "Or: requests per day",
        unit: "requests (0 = from the load above)",
        min: 0.0,
        max: 10_000_000_000.0,
        step: "any",
        help: "Sets the monthly token volume: requests a day × days × output tokens.",
    },
];

/// The quality floor's score (its benchmark is a select: `quality_benchmark`).
pub const QUALITY: &[NumberField] = &[NumberField {
    key: "min_quality",
    label: "Quality floor",
    unit: "least score (0 = none)",
    min: 0.0,
    max: 100.0,
    step: "any",
    help: "Models scoring less on the benchmark, or reporting no score on it, are never ranked or recommended; above the floor, cost decides.",
}];

pub const ECONOMICS: &[NumberField] = &[
    NumberField {
        key: "kwh_price",
        label: "Electricity price",
        unit: "USD/kWh",
        min: 0.0,
        max: 10.0,
        step: "0.01",
        help: "",
    },
    NumberField {
        key: "pue",
        label: "PUE",
        unit: "x",
        min: 1.0,
        max: 3.0,
        step: "0.05",
        help: "Facility overhead on power (1.0 at home).",
    },
    NumberField {
        key: "host_cost_usd",
        label: "Host cost per local replica",
        unit: "USD",
        min: 0.0,
        max: 10_000_000.0,
        step: "1",
        help: "CPU, board, RAM, PSU and case of each local machine.",
    },
    NumberField {
        key: "amortization_months",
        label: "Amortization",
        unit: "months",
        min: 1.0,
        max: 240.0,
        step: "1",
        help: "",
    },
    NumberField {
        key: "idle_watts_per_gpu",
        label: "Idle power per GPU",
        unit: "W",
        min: 0.0,
        max: 2000.0,
        step: "1",
        help: "Outside usage hours; 0 leaves idle power out.",
    },
];

/// Your own GPU, for hardware the catalog lacks (`custom_gpu_*`; the name is a text field).
/// The bounds mirror `planner::scenario::CustomGpu::to_gpu`; empty fields are "not given".
pub const CUSTOM_GPU: &[NumberField] = &[
    NumberField {
        key: "custom_gpu_memory_gb",
        label: "Memory",
        unit: "GB",
        min: 1.0,
        max: 4096.0,
        step: "any",
        help: "",
    },
    NumberField {
        key: "custom_gpu_bandwidth_gbps",
        label: "Memory bandwidth",
        unit: "GB/s",
        min: 1.0,
        max: 100_000.0,
        step: "any",
        help: "",
    },
    NumberField {
        key: "custom_gpu_bf16_tflops",
        label: "BF16 dense",
        unit: "TFLOPS",
        min: 0.1,
        max: 100_000.0,
        step: "any",
        help: "Dense, not with sparsity; empty: prefill and time to first token are not estimated.",
    },
    NumberField {
        key: "custom_gpu_tdp_w",
        label: "Power",
        unit: "W",
        min: 1.0,
        max: 10_000.0,
        step: "any",
        help: "",
    },
    NumberField {
        key: "custom_gpu_price_usd",
        label: "Purchase price",
        unit: "USD per GPU",
        min: 0.0,
        max: 10_000_000.0,
        step: "any",
        help: "",
    },
    NumberField {
        key: "custom_gpu_usd_per_hour",
        label: "Rental price",
        unit: "USD per GPU-hour",
        min: 0.0,
        max: 10_000.0,
        step: "any",
        help: "",
    },
    NumberField {
        key: "custom_gpu_count",
        label: "GPUs per replica",
        unit: "count",
        min: 1.0,
        max: 64.0,
        step: "1",
        help: "",
    },
];

/// The ids your own GPU and model take in the plan.
pub const CUSTOM_GPU_ID: &str = "custom-gpu";
pub const CUSTOM_MODEL_ID: &str = "custom-model";

/// What the form calls a query key (the key itself when the form has no such field).
pub fn label_of(key: &str) -> &str {
    let numeric = [WORKLOAD, QUALITY, ECONOMICS, CUSTOM_GPU]
        .into_iter()
        .flatten();
    if let Some(f) = numeric.into_iter().find(|f| f.key == key) {
        return f.label;
    }
    match key {
        "quality_benchmark" => "Compare models on",
        "models" => "Models",
        "quants" => "Formats",
        "gpus" => "GPU options",
        "split" => "Traffic split",
        "engine" => "Engine",
        "price_basis" => "Cloud price basis",
        "kv_format" => "KV-cache format",
        "custom_gpu_name" => "Your GPU's name",
        "custom_model_config" => "Your model's config.json",
        other => other,
    }
}

/// Every query key the page understands besides the numeric fields.
pub const LIST_KEYS: &[&str] = &[
    "quality_benchmark",
    "models",
    "quants",
    "gpus",
    "split",
    "engine",
    "price_basis",
    "kv_format",
];

/// Use-case presets from the article's table. Their values are our stated assumptions, shown on
/// the page, not facts.
pub struct Preset {
    pub id: &'static str,
    pub label: &'static str,
    pub assumption: &'static str,
    pub values: &'static [(&'static str, &'static str)],
}

pub const PRESETS: &[Preset] = &[
    Preset { id: "chatbot", label: "Chatbot / agent", assumption: "1,500-token prompts (history + tools), 300-token answers at 15 tok/s, first token within 1 s; 200 users, a tenth of them mid-answer at the busiest moment, 30 requests each a day (our assumption for a team chat product)",
        values: &[("prompt_tokens", "1500"), ("output_tokens", "300"), ("total_users", "200"), ("active_share", "0.1"), ("requests_per_day", "6000"), ("tokens_per_s_per_user", "15"), ("ttft_ms", "1000")] },
    Preset { id: "code", label: "Code generation", assumption: "4,000-token prompts (files in context), 800-token completions, 10 developers at 40 tok/s, first token within 1.5 s; models resolving at least half of SWE-bench Verified",
        values: &[("prompt_tokens", "4000"), ("output_tokens", "800"), ("peak_users", "10"), ("tokens_per_s_per_user", "40"), ("ttft_ms", "1500"), ("quality_benchmark", "SWE-bench Verified"), ("min_quality", "50")] },
    Preset { id: "research", label: "Research-grade NLP", assumption: "8,000-token prompts, 1,000-token answers, 5 researchers at 20 tok/s, first token within 5 s; models scoring at least 60 on GPQA Diamond",
        values: &[("prompt_tokens", "8000"), ("output_tokens", "1000"), ("peak_users", "5"), ("tokens_per_s_per_user", "20"), ("ttft_ms", "5000"), ("quality_benchmark", "GPQA Diamond"), ("min_quality", "60")] },
    Preset { id: "summarization", label: "Summarization", assumption: "16,000-token documents, 500-token summaries, 5 concurrent jobs at 20 tok/s, first token within 10 s",
        values: &[("prompt_tokens", "16000"), ("output_tokens", "500"), ("peak_users", "5"), ("tokens_per_s_per_user", "20"), ("ttft_ms", "10000")] },
    Preset { id: "longform", label: "Long-form writing", assumption: "1,000-token briefs, 3,000-token drafts, 5 writers at 20 tok/s, first token within 2 s",
        values: &[("prompt_tokens", "1000"), ("output_tokens", "3000"), ("peak_users", "5"), ("tokens_per_s_per_user", "20"), ("ttft_ms", "2000")] },
    Preset { id: "budget", label: "Budget local deployment", assumption: "one user at 10 tok/s, 1,000-token prompts, 400-token answers, 4 h/day, on one or two RTX 3090s",
        values: &[("prompt_tokens", "1000"), ("output_tokens", "400"), ("peak_users", "1"), ("tokens_per_s_per_user", "10"), ("ttft_ms", "3000"), ("hours_per_day", "4"), ("gpus", "rtx-3090:1,rtx-3090:2,rtx-4090:1")] },
    Preset { id: "enterprise", label: "Enterprise scale", assumption: "500 concurrent users at 20 tok/s, 2,000-token prompts, 500-token answers, 24 h/day, first token within 1.5 s",
        values: &[("prompt_tokens", "2000"), ("output_tokens", "500"), ("peak_users", "500"), ("tokens_per_s_per_user", "20"), ("ttft_ms", "1500"), ("hours_per_day", "24"), ("gpus", "a100-80gb-sxm:1,h100-sxm:1,h100-sxm:8,h200:1")] },
];
