//! The query string *is* the scenario: every what-if is a link. Keys: hours_per_day,
//! days_per_month, peak_users, tokens_per_s_per_user, prompt_tokens, output_tokens, ttft_ms,
//! utilization, models (comma-separated ids, or repeated keys from checkboxes), quants, gpus
//! (`id:count,...`), engine, price_basis, kv_format, kwh_price, pue, host_cost_usd,
//! amortization_months, idle_watts_per_gpu; and for the table: sort, dir, show.

use planner::scenario::{GpuChoice, Scenario};
use planner::Catalog;

use crate::fields::{ECONOMICS, LIST_KEYS, WORKLOAD};
use crate::views::FieldError;

pub struct Parsed {
    pub scenario: Scenario,
    /// One message per bad field, naming it.
    pub errors: Vec<FieldError>,
    pub sort: String,
    pub dir: String,
    pub show: String,
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
            "models" => {
                s.models = list(value);
                Ok(())
            }
            "quants" => {
                s.quants = list(value);
                Ok(())
            }
            "gpus" => parse_gpus(value).map(|g| s.gpus = g),
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
            _ => Ok(()), // unknown keys (tracking parameters...) are ignored
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    // Fields that parsed are checked against their ranges and the catalog; a field that did
    // not parse keeps only its parse message.
    for e in s.validate(catalog) {
        let field = e.field().unwrap_or("scenario").to_string();
        if !errors.iter().any(|x| x.field == field) {
            errors.push(FieldError {
                field,
                message: e.to_string(),
            });
        }
    }
    Parsed {
        scenario: s,
        errors,
        sort,
        dir,
        show,
    }
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
    q.append_pair("tokens_per_s_per_user", &n(s.tokens_per_s_per_user));
    q.append_pair("prompt_tokens", &s.prompt_tokens.to_string());
    q.append_pair("output_tokens", &s.output_tokens.to_string());
    q.append_pair("ttft_ms", &n(s.ttft_ms));
    q.append_pair("utilization", &n(s.utilization));
    q.append_pair("models", &s.models.join(","));
    q.append_pair("quants", &s.quants.join(","));
    let gpus: Vec<String> = s
        .gpus
        .iter()
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
    q.finish()
}

/// Default value of every form field, as the form shows it.
pub fn defaults() -> Vec<(String, String)> {
    let canonical = canonical(&Scenario::default());
    let mut out = pairs(&canonical);
    // Keep only keys the form has.
    out.retain(|(k, _)| {
        WORKLOAD.iter().chain(ECONOMICS).any(|f| f.key == k) || LIST_KEYS.contains(&k.as_str())
    });
    out
}
