//! The query string *is* the scenario: every what-if is a link. Keys: hours_per_day,
//! days_per_month, peak_users, tokens_per_s_per_user, prompt_tokens, output_tokens, ttft_ms,
//! utilization, models (comma-separated ids, or repeated keys from checkboxes), quants, gpus
//! (`id:count,...`), engine, price_basis, kv_format, kwh_price, pue, host_cost_usd,
//! amortization_months, idle_watts_per_gpu; your own GPU (custom_gpu_name, custom_gpu_memory_gb,
//! custom_gpu_bandwidth_gbps, custom_gpu_bf16_tflops, custom_gpu_tdp_w, custom_gpu_price_usd,
//! custom_gpu_usd_per_hour, custom_gpu_count) and model (custom_model_config: a pasted
//! config.json), planned beside the chosen ones; and for the table: sort, dir, show, and
//! only_model, only_gpu, only_engine (ids) to narrow its rows.

use planner::scenario::{CustomGpu, CustomModel, GpuChoice, Scenario, SplitShare};
use planner::Catalog;

use crate::fields::{
    CUSTOM_GPU, CUSTOM_GPU_ID, CUSTOM_MODEL_ID, ECONOMICS, LIST_KEYS, QUALITY, WORKLOAD,
};
use crate::views::FieldError;

pub struct Parsed {
    pub scenario: Scenario,
    /// One message per bad field, naming it.
    pub errors: Vec<FieldError>,
    pub sort: String,
    pub dir: String,
    pub show: String,
    pub only: crate::views::TableFilter,
}

/// Key/value pairs of a query string (with or without the leading '?'), repeated keys joined
/// with commas, in first-seen order.
pub fn pairs(query: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    // Bounded like the form's reader (`qs::MAX_PAIRS`): keys are matched by a scan.
    for (k, v) in
        form_urlencoded::parse(query.trim_start_matches('?').as_bytes()).take(crate::qs::MAX_PAIRS)
    {
        match out.iter_mut().find(|(key, _)| *key == k) {
            Some((_, existing)) if !v.is_empty() => {
                if !existing.is_empty() {
                    existing.push(',');
                }
                existing.push_str(&v);
            }
            Some(_) => {}
            None => out.push((k.into_owned(), v.into_owned())),
        }
    }
    out
}

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// `value` itself when it is an id, else the one id that reads the same loosely
/// (`planner::error::loose_id`), else `value` (validation then says what was meant).
fn loose_match<'a>(value: &str, ids: impl Iterator<Item = &'a str> + Clone) -> String {
    if ids.clone().any(|id| id == value) {
        return value.to_string();
    }
    let want = planner::error::loose_id(value);
    let mut same = ids.filter(|id| planner::error::loose_id(id) == want);
    match (same.next(), same.next()) {
        (Some(id), None) => id.to_string(),
        _ => value.to_string(),
    }
}

/// The message for a table filter naming no id of `known` (None when empty or known).
fn unknown_filter<'a>(
    field: &str,
    want: &str,
    mut known: impl Iterator<Item = &'a str>,
) -> Option<FieldError> {
    (!want.is_empty() && !known.any(|id| id == want)).then(|| {
        let what = field.trim_start_matches("only_");
        err(
            field,
            format!("no {what} '{want}' to show: pick one the table holds"),
        )
    })
}

fn err(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// Parses a query into a scenario (missing keys keep the article's defaults), then validates it
/// against the catalog. Never panics; every bad field gets a message.
pub fn parse(query: &str, catalog: &Catalog) -> Parsed {
    let mut s = Scenario::default();
    let mut errors = Vec::new();
    let mut sort = "rank".to_string();
    let mut dir = "asc".to_string();
    let mut show = "all".to_string();
    let mut only = crate::views::TableFilter::default();
    let mut own = Own::default();
    for (key, raw) in pairs(query) {
        let value = raw.trim();
        let number = || -> Result<f64, FieldError> {
            if value.is_empty() {
                return Err(err(&key, "required"));
            }
            value
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| err(&key, format!("'{value}' is not a number")))
        };
        let whole = || -> Result<u32, FieldError> {
            let v = number()?;
            if v.fract() != 0.0 || v < 0.0 || v > u32::MAX as f64 {
                return Err(err(&key, format!("'{value}' is not a whole number")));
            }
            Ok(v as u32)
        };
        let result: Result<(), FieldError> = match key.as_str() {
            "hours_per_day" => number().map(|v| s.hours_per_day = v),
            "days_per_month" => number().map(|v| s.days_per_month = v),
            "peak_users" => whole().map(|v| s.peak_users = v),
            "total_users" => whole().map(|v| s.total_users = v),
            "active_share" => number().map(|v| s.active_share = v),
            "requests_per_day" => number().map(|v| s.requests_per_day = v),
            "tokens_per_s_per_user" => number().map(|v| s.tokens_per_s_per_user = v),
            "prompt_tokens" => whole().map(|v| s.prompt_tokens = v),
            "output_tokens" => whole().map(|v| s.output_tokens = v),
            "ttft_ms" => number().map(|v| s.ttft_ms = v),
            "utilization" => number().map(|v| s.utilization = v),
            "kwh_price" => number().map(|v| s.kwh_price = v),
            "pue" => number().map(|v| s.pue = v),
            "host_cost_usd" => number().map(|v| s.host_cost_usd = v),
            "amortization_months" => whole().map(|v| s.amortization_months = v),
            "idle_watts_per_gpu" => number().map(|v| s.idle_watts_per_gpu = v),
            "min_quality" => number().map(|v| s.min_quality = v),
            "quality_benchmark" => {
                s.quality_benchmark = value.to_string();
                Ok(())
            }
            "models" => {
                s.models = list(value);
                Ok(())
            }
            "quants" => {
                s.quants = list(value);
                Ok(())
            }
            "gpus" => parse_gpus(value).map(|g| s.gpus = g),
            "split" => parse_split(value).map(|p| s.split = p),
            "engine" => {
                s.engine = value.to_string();
                Ok(())
            }
            "price_basis" => {
                s.price_basis = value.to_string();
                Ok(())
            }
            "kv_format" => {
                s.kv_format = value.to_string();
                Ok(())
            }
            "sort" => {
                sort = value.to_string();
                Ok(())
            }
            "dir" => {
                dir = if value == "desc" { "desc" } else { "asc" }.into();
                Ok(())
            }
            "show" => {
                show = value.to_string();
                Ok(())
            }
            "only_model" => {
                only.model = value.to_string();
                Ok(())
            }
            "only_gpu" => {
                only.gpu = value.to_string();
                Ok(())
            }
            "only_engine" => {
                only.engine = value.to_string();
                Ok(())
            }
            "custom_gpu_name" => {
                own.gpu_name = value.to_string();
                Ok(())
            }
            "custom_model_config" => {
                own.model_config = value.to_string();
                Ok(())
            }
            k if CUSTOM_GPU.iter().any(|f| f.key == k) => {
                if value.is_empty() {
                    Ok(())
                } else {
                    number().map(|v| own.gpu_numbers.push((k.to_string(), v)))
                }
            }
            _ => Ok(()), // unknown keys (tracking parameters...) are ignored
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    // Ids as people type them ("RTX 4090", "GPT-OSS-20B") are the catalog's when exactly one
    // id reads the same loosely; the canonical link then carries the catalog's spelling.
    let models = catalog.models.iter().map(|m| m.id.as_str());
    s.models = (s.models.iter())
        .map(|m| loose_match(m, models.clone()))
        .collect();
    let quants = catalog.formats.iter().map(|f| f.id.as_str());
    s.quants = (s.quants.iter())
        .map(|q| loose_match(q, quants.clone()))
        .collect();
    let gpus = catalog.gpus.iter().map(|g| g.id.as_str());
    for g in &mut s.gpus {
        g.id = loose_match(&g.id, gpus.clone());
    }
    own.add_to(&mut s, &mut errors);
    // Fields that parsed are checked against their ranges and the catalog; a field that did
    // not parse keeps only its parse message.
    for e in s.validate(catalog) {
        let engine_field = e.field().unwrap_or("scenario");
        let field = form_field(engine_field);
        // Beside its own field a message need not repeat the field's name; beside another
        // (a config.json key under the config box) it keeps the part it is about.
        let message = if field == engine_field {
            e.message()
        } else {
            e.to_string()
        };
        if !errors.iter().any(|x| x.field == field) {
            errors.push(FieldError { field, message });
        }
    }
    // A filter names an id of the catalog (or your own GPU or model), else it says which.
    let models = catalog.models.iter().map(|m| m.id.as_str());
    let gpus = catalog.gpus.iter().map(|g| g.id.as_str());
    let filters = [
        unknown_filter("only_model", &only.model, models.chain([CUSTOM_MODEL_ID])),
        unknown_filter("only_gpu", &only.gpu, gpus.chain([CUSTOM_GPU_ID])),
        unknown_filter(
            "only_engine",
            &only.engine,
            catalog.engines.iter().map(|e| e.id.as_str()),
        ),
    ];
    errors.extend(filters.into_iter().flatten());
    Parsed {
        scenario: s,
        errors,
        sort,
        dir,
        show,
        only,
    }
}

/// Your own GPU and model as the form gives them.
#[derive(Default)]
struct Own {
    gpu_name: String,
    gpu_numbers: Vec<(String, f64)>,
    model_config: String,
}

impl Own {
    fn number(&self, key: &str) -> Option<f64> {
        self.gpu_numbers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
    }

    /// Adds your GPU (when its memory and bandwidth are given) to every replica choice and your
    /// model (when a config.json is pasted) to the models planned.
    fn add_to(&self, s: &mut Scenario, errors: &mut Vec<FieldError>) {
        let memory = self.number("custom_gpu_memory_gb");
        let bandwidth = self.number("custom_gpu_bandwidth_gbps");
        let described = !self.gpu_numbers.is_empty() || !self.gpu_name.is_empty();
        match (memory, bandwidth) {
            (Some(memory_gb), Some(bandwidth_gbps)) => {
                let count = self.number("custom_gpu_count").unwrap_or(1.0);
                if count.fract() != 0.0 || !(1.0..=64.0).contains(&count) {
                    errors.push(err("custom_gpu_count", "a whole number from 1 to 64"));
                    return;
                }
                let name = match self.gpu_name.trim() {
                    "" => "Your GPU".to_string(),
                    n => n.chars().take(80).collect(),
                };
                s.custom_gpus.push(CustomGpu {
                    id: CUSTOM_GPU_ID.into(),
                    name,
                    memory_gb,
                    bandwidth_gbps,
                    bf16_tflops: self.number("custom_gpu_bf16_tflops"),
                    tdp_w: self.number("custom_gpu_tdp_w"),
                    price_usd: self.number("custom_gpu_price_usd"),
                    usd_per_hour: self.number("custom_gpu_usd_per_hour"),
                });
                s.gpus.push(GpuChoice {
                    id: CUSTOM_GPU_ID.into(),
                    count: count as u32,
                });
            }
            _ if described => {
                let missing = if memory.is_none() {
                    "custom_gpu_memory_gb"
                } else {
                    "custom_gpu_bandwidth_gbps"
                };
                errors.push(err(missing, "required for your own GPU"));
            }
            _ => {}
        }
        if !self.model_config.trim().is_empty() {
            s.custom_models.push(CustomModel {
                id: CUSTOM_MODEL_ID.into(),
                config_json: self.model_config.clone(),
            });
            s.models.push(CUSTOM_MODEL_ID.into());
        }
    }
}

/// The form field an engine error belongs to: your GPU's figures and your config.json have
/// fields of their own on the page.
fn form_field(engine_field: &str) -> String {
    if let Some(rest) = engine_field.strip_prefix(&format!("custom gpu {CUSTOM_GPU_ID}: ")) {
        return format!("custom_gpu_{rest}");
    }
    if engine_field.starts_with("config.json") || engine_field == "custom model id" {
        return "custom_model_config".into();
    }
    engine_field.to_string()
}

/// `model:share,model:share` (shares as fractions of the requests).
fn parse_split(v: &str) -> Result<Vec<SplitShare>, FieldError> {
    let mut out = Vec::new();
    for item in list(v) {
        let share = item
            .split_once(':')
            .and_then(|(m, x)| Some((m.trim(), x.trim().parse::<f64>().ok()?)))
            .filter(|(_, x)| x.is_finite());
        let Some((model, share)) = share else {
            return Err(err(
                "split",
                format!("'{item}': expected model:share, e.g. gpt-oss-20b:0.7,gpt-oss-120b:0.3"),
            ));
        };
        out.push(SplitShare {
            model: model.to_string(),
            share,
        });
    }
    Ok(out)
}

fn parse_gpus(v: &str) -> Result<Vec<GpuChoice>, FieldError> {
    let mut out = Vec::new();
    for item in list(v) {
        let (id, count) = match item.split_once(':') {
            Some((id, n)) => (id.trim(), n.trim()),
            None => (item.as_str(), "1"),
        };
        let count = count.parse::<u32>().map_err(|_| {
            err(
                "gpus",
                format!("'{item}': expected id:count with a whole count, e.g. a100-80gb-sxm:4"),
            )
        })?;
        out.push(GpuChoice {
            id: id.to_string(),
            count,
        });
    }
    Ok(out)
}

/// The canonical query of a scenario: every key, lists comma-separated.
pub fn canonical(s: &Scenario) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    let n = |v: f64| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v}")
        }
    };
    q.append_pair("hours_per_day", &n(s.hours_per_day));
    q.append_pair("days_per_month", &n(s.days_per_month));
    q.append_pair("peak_users", &s.peak_users.to_string());
    q.append_pair("total_users", &s.total_users.to_string());
    q.append_pair("active_share", &n(s.active_share));
    q.append_pair("tokens_per_s_per_user", &n(s.tokens_per_s_per_user));
    q.append_pair("prompt_tokens", &s.prompt_tokens.to_string());
    q.append_pair("output_tokens", &s.output_tokens.to_string());
    q.append_pair("ttft_ms", &n(s.ttft_ms));
    q.append_pair("utilization", &n(s.utilization));
    q.append_pair("requests_per_day", &n(s.requests_per_day));
    q.append_pair("quality_benchmark", &s.quality_benchmark);
    q.append_pair("min_quality", &n(s.min_quality));
    let models: Vec<&str> = (s.models.iter().map(String::as_str))
        .filter(|m| *m != CUSTOM_MODEL_ID)
        .collect();
    q.append_pair("models", &models.join(","));
    q.append_pair("quants", &s.quants.join(","));
    let gpus: Vec<String> = (s.gpus.iter())
        .filter(|g| g.id != CUSTOM_GPU_ID)
        .map(|g| format!("{}:{}", g.id, g.count))
        .collect();
    q.append_pair("gpus", &gpus.join(","));
    q.append_pair("engine", &s.engine);
    q.append_pair("price_basis", &s.price_basis);
    q.append_pair("kv_format", &s.kv_format);
    q.append_pair("kwh_price", &n(s.kwh_price));
    q.append_pair("pue", &n(s.pue));
    q.append_pair("host_cost_usd", &n(s.host_cost_usd));
    q.append_pair("amortization_months", &s.amortization_months.to_string());
    q.append_pair("idle_watts_per_gpu", &n(s.idle_watts_per_gpu));
    if !s.split.is_empty() {
        let parts: Vec<String> = (s.split.iter())
            .map(|p| format!("{}:{}", p.model, n(p.share)))
            .collect();
        q.append_pair("split", &parts.join(","));
    }
    if let Some(g) = s.custom_gpus.iter().find(|g| g.id == CUSTOM_GPU_ID) {
        q.append_pair("custom_gpu_name", &g.name);
        q.append_pair("custom_gpu_memory_gb", &n(g.memory_gb));
        q.append_pair("custom_gpu_bandwidth_gbps", &n(g.bandwidth_gbps));
        for (key, v) in [
            ("custom_gpu_bf16_tflops", g.bf16_tflops),
            ("custom_gpu_tdp_w", g.tdp_w),
            ("custom_gpu_price_usd", g.price_usd),
            ("custom_gpu_usd_per_hour", g.usd_per_hour),
        ] {
            if let Some(v) = v {
                q.append_pair(key, &n(v));
            }
        }
        if let Some(c) = s.gpus.iter().find(|c| c.id == CUSTOM_GPU_ID) {
            q.append_pair("custom_gpu_count", &c.count.to_string());
        }
    }
    if let Some(m) = s.custom_models.iter().find(|m| m.id == CUSTOM_MODEL_ID) {
        q.append_pair("custom_model_config", &m.config_json);
    }
    q.finish()
}

/// Default value of every form field, as the form shows it.
pub fn defaults() -> Vec<(String, String)> {
    let canonical = canonical(&Scenario::default());
    let mut out = pairs(&canonical);
    // Keep only keys the form has.
    out.retain(|(k, _)| {
        (WORKLOAD.iter().chain(QUALITY).chain(ECONOMICS)).any(|f| f.key == k)
            || LIST_KEYS.contains(&k.as_str())
    });
    out
}
