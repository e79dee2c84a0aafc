//! The calibration measurements as data (`data/calibration.csv`): one published measurement a
//! row, with its setup, load, source and date. Parsed with the other catalog files; fitted and
//! evaluated by `calibration`.

use serde::{Deserialize, Serialize};

use crate::error::{PlannerError, Result};
use crate::fit::Metric;

/// How a serving run sent its requests (column `request_rate`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestRate {
    /// Empty: a closed loop of `concurrency` clients (or a single-stream benchmark).
    Closed,
    /// `inf`: `concurrency` prompts sent at once.
    AllAtOnce,
    /// Poisson arrivals at this many requests/s, `concurrency` prompts in all.
    PerSecond(f64),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationRow {
    pub id: String,
    pub engine: String,
    /// As the source states it (empty: not stated).
    pub engine_version: String,
    pub model: String,
    pub quant: String,
    /// The KV-cache format the run used (empty: the engine's default for the checkpoint).
    pub kv_dtype: String,
    pub gpu: String,
    pub gpu_count: u32,
    /// How the GPUs are spanned, as published (tp8, tp4ep4, ...).
    pub parallel: String,
    pub concurrency: u32,
    pub request_rate: RequestRate,
    /// The run's cap on running sequences and per-step token budget where it set them (else
    /// the engine's defaults).
    pub max_running: Option<u32>,
    pub token_budget: Option<u32>,
    pub prompt_tokens: Option<u32>,
    pub gen_tokens: Option<u32>,
    pub context_depth: Option<u32>,
    /// Engine steps run per scheduling pass where the run set more than one (vLLM V0's
    /// `--num-scheduler-steps`; column `scheduler_steps`, empty: one).
    pub scheduler_steps: Option<u32>,
    pub metric: Metric,
    pub value: f64,
    pub source: String,
    pub source_date: String,
    pub notes: String,
}

const COLUMNS: [&str; 15] = [
    "id",
    "engine",
    "model",
    "quant",
    "gpu",
    "gpu_count",
    "concurrency",
    "prompt_tokens",
    "gen_tokens",
    "context_depth",
    "metric",
    "value",
    "source",
    "source_date",
    "notes",
];

/// Optional columns, in this order: read when the file has them.
const OPTIONAL_COLUMNS: [&str; 7] = [
    "engine_version",
    "kv_dtype",
    "parallel",
    "request_rate",
    "max_running",
    "token_budget",
    "scheduler_steps",
];

/// Parses calibration rows. A malformed row is an error naming the row and the column.
pub fn parse_rows(text: &str) -> Result<Vec<CalibrationRow>> {
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let bad = |msg: String| PlannerError::invalid("calibration file", msg);
    let headers = rdr.headers().map_err(|e| bad(e.to_string()))?.clone();
    let col = |name: &str| -> Result<usize> {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| bad(format!("missing column '{name}'")))
    };
    let idx: Vec<usize> = COLUMNS.iter().map(|c| col(c)).collect::<Result<_>>()?;
    // Columns the reference format lacks: read when present.
    let optional: Vec<Option<usize>> = OPTIONAL_COLUMNS
        .iter()
        .map(|c| headers.iter().position(|h| h.trim() == *c))
        .collect();
    let mut rows = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let r = rec.map_err(|e| bad(format!("line {}: {e}", n + 2)))?;
        let get = |i: usize| r.get(idx[i]).unwrap_or("").trim();
        let opt = |i: usize| {
            optional[i]
                .and_then(|c| r.get(c))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let id = get(0).to_string();
        let where_ = |c: &str| format!("row '{id}' column '{c}'");
        let int = |i: usize, required: bool| -> Result<Option<u32>> {
            let s = get(i);
            if s.is_empty() {
                return if required {
                    Err(bad(format!("{}: required", where_(COLUMNS[i]))))
                } else {
                    Ok(None)
                };
            }
            s.parse::<u32>()
                .map(Some)
                .map_err(|_| bad(format!("{}: not a whole number: '{s}'", where_(COLUMNS[i]))))
        };
        let metric = Metric::parse(get(10)).ok_or_else(|| {
            bad(format!(
                "{}: unknown metric '{}'",
                where_("metric"),
                get(10)
            ))
        })?;
        let value: f64 = get(11)
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v > 0.0)
            .ok_or_else(|| {
                bad(format!(
                    "{}: not a positive number: '{}'",
                    where_("value"),
                    get(11)
                ))
            })?;
        let gpu_count = int(5, true)?.unwrap_or(1);
        let concurrency = int(6, true)?.unwrap_or(1);
        let request_rate = match opt(3).as_str() {
            "" => RequestRate::Closed,
            "inf" => RequestRate::AllAtOnce,
            v => match v.parse::<f64>() {
                Ok(r) if r.is_finite() && r > 0.0 => RequestRate::PerSecond(r),
                _ => {
                    return Err(bad(format!(
                        "{}: empty (closed loop), 'inf' or requests/s, got '{v}'",
                        where_("request_rate")
                    )))
                }
            },
        };
        let setting = |i: usize, name: &str| -> Result<Option<u32>> {
            let v = opt(i);
            if v.is_empty() {
                return Ok(None);
            }
            match v.parse::<u32>() {
                Ok(n) if n > 0 => Ok(Some(n)),
                _ => Err(bad(format!("{}: not a whole number: '{v}'", where_(name)))),
            }
        };
        let max_running = setting(4, "max_running")?;
        let token_budget = setting(5, "token_budget")?;
        let scheduler_steps = setting(6, "scheduler_steps")?;
        if gpu_count == 0 || concurrency == 0 {
            return Err(bad(format!(
                "row '{id}': gpu_count and concurrency must be >= 1"
            )));
        }
        rows.push(CalibrationRow {
            id: id.clone(),
            engine: get(1).into(),
            engine_version: opt(0),
            model: get(2).into(),
            quant: get(3).into(),
            kv_dtype: opt(1),
            gpu: get(4).into(),
            gpu_count,
            parallel: opt(2),
            concurrency,
            request_rate,
            max_running,
            token_budget,
            prompt_tokens: int(7, false)?,
            gen_tokens: int(8, false)?,
            context_depth: int(9, false)?,
            scheduler_steps,
            metric,
            value,
            source: get(12).into(),
            source_date: get(13).into(),
            notes: get(14).into(),
        });
    }
    Ok(rows)
}
