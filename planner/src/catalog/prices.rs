//! Cloud GPU offers and hosted-API token prices, parsed from the CSV tables under `data/`.
//! A row that cannot be used (no numeric hourly price, a GPU without a canonical id) is kept
//! in `skipped` with its reason, never dropped silently.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{PlannerError, Result};

/// One rentable instance type. Shared (`Arc`) by the catalog and every plan option priced on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloudOffer {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub gpu_id: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub provider: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub offer: Arc<str>,
    pub gpus_per_instance: u32,
    pub usd_per_instance_hour: f64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub pricing_type: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub region: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub price_date: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub source: Arc<str>,
    /// True when the user typed this price.
    #[serde(default)]
    pub user_supplied: bool,
}

impl CloudOffer {
    pub fn usd_per_gpu_hour(&self) -> f64 {
        self.usd_per_instance_hour / self.gpus_per_instance as f64
    }
    /// On-demand prices are the default basis; spot and marketplace asks can vanish.
    pub fn is_on_demand(&self) -> bool {
        // Case-insensitive without allocating: the plan asks this for every option.
        let has = |needle: &str| {
            self.pricing_type
                .as_bytes()
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
        };
        has("on-demand") && !has("spot")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiPrice {
    pub model_id: String,
    pub label: String,
    pub provider: String,
    pub usd_per_m_input: f64,
    pub usd_per_m_output: f64,
    pub price_date: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedRow {
    pub file: String,
    pub row: String,
    pub reason: String,
}

fn num(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes())
}

fn catalog_err(file: &str, e: impl std::fmt::Display) -> PlannerError {
    PlannerError::Catalog {
        file: file.into(),
        message: e.to_string(),
    }
}

pub fn parse_cloud(text: &str, skipped: &mut Vec<SkippedRow>) -> Result<Vec<Arc<CloudOffer>>> {
    const FILE: &str = "cloud_prices.csv";
    let mut out = Vec::new();
    for rec in reader(text).records() {
        let r = rec.map_err(|e| catalog_err(FILE, e))?;
        let get = |i: usize| r.get(i).unwrap_or("").trim().to_string();
        let label = format!("{} {} {}", get(1), get(2), get(3));
        let mut skip = |reason: &str| {
            skipped.push(SkippedRow {
                file: FILE.into(),
                row: label.clone(),
                reason: reason.into(),
            })
        };
        if get(0).is_empty() {
            skip("GPU has no canonical id in the catalog");
            continue;
        }
        let Some(gpi) = num(&get(4)).filter(|g| *g >= 1.0) else {
            skip("GPUs per instance is not a number");
            continue;
        };
        let per_instance = num(&get(5)).or_else(|| num(&get(6)).map(|p| p * gpi));
        let Some(per_instance) = per_instance.filter(|p| *p > 0.0) else {
            skip("no single hourly price (a range or blank)");
            continue;
        };
        out.push(Arc::new(CloudOffer {
            gpu_id: get(0).into(),
            provider: get(1).into(),
            offer: get(3).into(),
            gpus_per_instance: gpi as u32,
            usd_per_instance_hour: per_instance,
            pricing_type: get(7).into(),
            region: get(8).into(),
            price_date: get(9).into(),
            source: get(10).into(),
            user_supplied: false,
        }));
    }
    Ok(out)
}

pub fn parse_api(text: &str, skipped: &mut Vec<SkippedRow>) -> Result<Vec<ApiPrice>> {
    const FILE: &str = "api_prices.csv";
    let mut out = Vec::new();
    for rec in reader(text).records() {
        let r = rec.map_err(|e| catalog_err(FILE, e))?;
        let get = |i: usize| r.get(i).unwrap_or("").trim().to_string();
        let label = format!("{} {}", get(2), get(1));
        let (Some(i), Some(o)) = (num(&get(3)), num(&get(4))) else {
            skipped.push(SkippedRow {
                file: FILE.into(),
                row: label,
                reason: "input/output prices not given separately".into(),
            });
            continue;
        };
        if get(0).is_empty() {
            skipped.push(SkippedRow {
                file: FILE.into(),
                row: label,
                reason: "model has no canonical id in the catalog".into(),
            });
            continue;
        }
        out.push(ApiPrice {
            model_id: get(0),
            label: get(1),
            provider: get(2),
            usd_per_m_input: i,
            usd_per_m_output: o,
            price_date: get(5),
            source: get(6),
        });
    }
    Ok(out)
}
