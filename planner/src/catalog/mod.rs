//! The catalog: models, formats, GPUs, engines, cloud offers, API prices and calibration
//! measurements, read from the data files under `planner/data/` (compiled in, so the engine
//! does no IO) and validated. Its efficiency factors are fitted on the calibration rows by
//! `calibration`, which builds the catalog the engine uses (`Catalog::builtin`,
//! `Catalog::from_sources`).

pub mod calibration_rows;
pub mod engine;
pub mod format;
pub mod gpu;
pub mod model;
pub mod prices;
pub mod provenance;

use std::collections::HashSet;
use std::sync::Arc;

use serde::Deserialize;

use crate::error::{PlannerError, Result};
use crate::fit::Fit;
use calibration_rows::CalibrationRow;
use engine::Engine;
use format::{Format, KvFormat};
use gpu::Gpu;
use model::Model;
use prices::{ApiPrice, CloudOffer, SkippedRow};

/// The text of every data file. Tests build broken variants of it to prove validation fails;
/// a saved scenario stores it so its link shows the same numbers after the catalog changes.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sources {
    pub models: String,
    pub gpus: String,
    pub formats: String,
    pub engines: String,
    pub cloud_prices: String,
    pub api_prices: String,
    pub calibration: String,
}

impl Sources {
    pub fn builtin() -> Self {
        Sources {
            models: include_str!("../../data/models.toml").into(),
            gpus: include_str!("../../data/gpus.toml").into(),
            formats: include_str!("../../data/formats.toml").into(),
            engines: include_str!("../../data/engines.toml").into(),
            cloud_prices: include_str!("../../data/cloud_prices.csv").into(),
            api_prices: include_str!("../../data/api_prices.csv").into(),
            calibration: include_str!("../../data/calibration.csv").into(),
        }
    }

    /// A stable id of this exact data, so a saved plan can say which catalog it used.
    pub fn snapshot_id(&self) -> String {
        // FNV-1a 64: stable across platforms and Rust versions, unlike DefaultHasher.
        let mut h: u64 = 0xcbf29ce484222325;
        for text in [
            &self.models,
            &self.gpus,
            &self.formats,
            &self.engines,
            &self.cloud_prices,
            &self.api_prices,
            &self.calibration,
        ] {
            for b in text.bytes().chain([0u8]) {
                h ^= b as u64;
                h = h.wrapping_mul(0x100000001b3);
            }
        }
        format!("{h:016x}")
    }
}

#[derive(Deserialize)]
struct ModelsFile {
    model: Vec<Model>,
}
#[derive(Deserialize)]
struct GpusFile {
    gpu: Vec<Gpu>,
}
#[derive(Deserialize)]
struct FormatsFile {
    format: Vec<Format>,
    kv_format: Vec<KvFormat>,
}
#[derive(Deserialize)]
struct EnginesFile {
    engine: Vec<Engine>,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    pub snapshot_id: String,
    pub models: Vec<Model>,
    pub gpus: Vec<Gpu>,
    pub formats: Vec<Format>,
    pub kv_formats: Vec<KvFormat>,
    pub engines: Vec<Engine>,
    pub cloud: Vec<Arc<CloudOffer>>,
    pub api: Vec<ApiPrice>,
    /// Price rows that could not be used, with the reason.
    pub skipped: Vec<SkippedRow>,
    pub calibration_rows: Vec<CalibrationRow>,
    /// Efficiency factors and bands fitted on the calibration rows kept for fitting.
    pub fit: Fit,
}

fn toml_file<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| PlannerError::Catalog {
        file: file.into(),
        message: e.to_string(),
    })
}

impl Catalog {
    /// The data files parsed and validated, its `fit` not yet made: `Catalog::from_sources`
    /// (in `calibration`, which fits it on the rows) is the catalog the engine uses.
    pub fn parse(src: &Sources) -> Result<Catalog> {
        let models: ModelsFile = toml_file("models.toml", &src.models)?;
        let gpus: GpusFile = toml_file("gpus.toml", &src.gpus)?;
        let formats: FormatsFile = toml_file("formats.toml", &src.formats)?;
        let engines: EnginesFile = toml_file("engines.toml", &src.engines)?;
        let mut skipped = Vec::new();
        let cloud = prices::parse_cloud(&src.cloud_prices, &mut skipped)?;
        let api = prices::parse_api(&src.api_prices, &mut skipped)?;
        let calibration_rows = calibration_rows::parse_rows(&src.calibration)?;
        let catalog = Catalog {
            snapshot_id: src.snapshot_id(),
            models: models.model,
            gpus: gpus.gpu,
            formats: formats.format,
            kv_formats: formats.kv_format,
            engines: engines.engine,
            cloud,
            api,
            skipped,
            calibration_rows,
            fit: Fit::default(),
        };
        let problems = catalog.validate();
        if !problems.is_empty() {
            return Err(PlannerError::Catalog {
                file: "data".into(),
                message: problems.join("; "),
            });
        }
        Ok(catalog)
    }

    /// Every rule the data must obey; each broken rule is one message naming file and entry.
    pub fn validate(&self) -> Vec<String> {
        let mut p = Vec::new();
        let mut unique = |file: &str, ids: Vec<&str>| {
            let mut seen = HashSet::new();
            for id in ids {
                if id.trim().is_empty() {
                    p.push(format!("{file}: an entry has an empty id"));
                } else if !seen.insert(id) {
                    p.push(format!("{file}: duplicate id '{id}'"));
                }
            }
        };
        unique(
            "models.toml",
            self.models.iter().map(|m| m.id.as_str()).collect(),
        );
        unique(
            "gpus.toml",
            self.gpus.iter().map(|g| g.id.as_str()).collect(),
        );
        unique(
            "formats.toml",
            self.formats.iter().map(|f| f.id.as_str()).collect(),
        );
        unique(
            "engines.toml",
            self.engines.iter().map(|e| e.id.as_str()).collect(),
        );
        unique(
            "formats.toml kv_format",
            self.kv_formats.iter().map(|k| k.id.as_str()).collect(),
        );

        let sourced = |p: &mut Vec<String>, file: &str, id: &str, source: &str, date: &str| {
            p.extend(provenance::problems(file, id, source, date));
        };
        let positive = |p: &mut Vec<String>, file: &str, id: &str, field: &str, v: f64| {
            if !(v.is_finite() && v > 0.0) {
                p.push(format!("{file} '{id}': {field} must be positive (got {v})"));
            }
        };

        for m in &self.models {
            let f = "models.toml";
            sourced(&mut p, f, &m.id, &m.source, &m.source_date);
            for (field, v) in [
                ("layers", m.layers),
                ("hidden", m.hidden),
                ("heads", m.heads),
                ("kv_heads", m.kv_heads),
                ("vocab", m.vocab),
                ("max_context", m.max_context),
            ] {
                positive(&mut p, f, &m.id, field, v as f64);
            }
            if m.attention == model::Attention::Gqa {
                positive(&mut p, f, &m.id, "head_dim", m.head_dim as f64);
                if m.kv_heads > 0 && m.heads % m.kv_heads != 0 {
                    p.push(format!(
                        "{f} '{}': heads must be a multiple of kv_heads",
                        m.id
                    ));
                }
            } else if m.kv_lora_rank == 0 {
                p.push(format!("{f} '{}': MLA needs kv_lora_rank", m.id));
            }
            if m.experts_active > m.experts {
                p.push(format!("{f} '{}': experts_active exceeds experts", m.id));
            }
            if m.sliding_layers > m.layers || (m.sliding_layers > 0 && m.sliding_window == 0) {
                p.push(format!("{f} '{}': sliding layout is not physical", m.id));
            }
            if m.dense_ffn_layers > m.layers {
                p.push(format!("{f} '{}': dense_ffn_layers exceeds layers", m.id));
            }
            if !m.is_moe() && m.dense_ffn == 0 {
                p.push(format!("{f} '{}': a dense model needs dense_ffn", m.id));
            }
            if !self.formats.iter().any(|x| x.id == m.native_format) {
                p.push(format!(
                    "{f} '{}': native_format '{}' is not a format id",
                    m.id, m.native_format
                ));
            }
            for q in &m.quality {
                sourced(&mut p, f, &m.id, &q.source, &q.source_date);
                if !(0.0..=100.0).contains(&q.score) {
                    p.push(format!(
                        "{f} '{}': {} score out of 0-100",
                        m.id, q.benchmark
                    ));
                }
            }
            // Quality is data for every model: three sourced scores, or why not.
            if m.quality.len() < 3 && m.quality_not_reported.trim().is_empty() {
                p.push(format!(
                    "{f} '{}': {} quality score(s); give three sourced ones or say why in quality_not_reported",
                    m.id,
                    m.quality.len()
                ));
            }
        }
        for g in &self.gpus {
            let f = "gpus.toml";
            sourced(&mut p, f, &g.id, &g.source, &g.source_date);
            positive(&mut p, f, &g.id, "memory_gb", g.memory_gb);
            positive(&mut p, f, &g.id, "bandwidth_gbps", g.bandwidth_gbps);
            // Calibration fits each engine per vendor and memory kind: every catalog GPU says.
            if g.memory_kind.is_none() {
                p.push(format!(
                    "{f} '{}': memory_kind missing (hbm, gddr or unified)",
                    g.id
                ));
            }
            for (field, v) in [
                ("bf16_tflops", g.bf16_tflops),
                ("fp8_tflops", g.fp8_tflops),
                ("fp4_tflops", g.fp4_tflops),
                ("tdp_w", g.tdp_w),
                ("interconnect_gbps", g.interconnect_gbps),
            ] {
                if let Some(v) = v {
                    positive(&mut p, f, &g.id, field, v);
                }
            }
            if !(g.usable_fraction > 0.0 && g.usable_fraction <= 1.0) {
                p.push(format!("{f} '{}': usable_fraction must be in (0, 1]", g.id));
            }
            if g.unified && !g.memory_options_gb.contains(&g.memory_gb) {
                p.push(format!(
                    "{f} '{}': memory_gb must be one of memory_options_gb",
                    g.id
                ));
            }
            if let Some(price) = &g.price {
                positive(&mut p, f, &g.id, "price.usd", price.usd);
                sourced(&mut p, f, &g.id, &price.source, &price.date);
            }
        }
        for fm in &self.formats {
            let f = "formats.toml";
            sourced(&mut p, f, &fm.id, &fm.source, &fm.source_date);
            for (field, v) in [
                ("experts_bits", fm.experts_bits),
                ("dense_bits", fm.dense_bits),
                ("embedding_bits", fm.embedding_bits),
                ("unembedding_bits", fm.unembedding_bits),
            ] {
                if !(1.0..=32.0).contains(&v) {
                    p.push(format!("{f} '{}': {field} must be within 1-32 bits", fm.id));
                }
            }
            if fm.containers.is_empty() {
                p.push(format!("{f} '{}': no container", fm.id));
            }
            for l in &fm.quality_loss {
                let id = format!("{} quality_loss {} on {}", fm.id, l.metric, l.model);
                sourced(&mut p, f, &id, &l.source, &l.source_date);
                if !(l.reference.is_finite() && l.quantized.is_finite()) {
                    p.push(format!(
                        "{f} '{id}': reference and quantized must be numbers"
                    ));
                }
            }
            // What a format loses is data: a sourced measurement, or why there is none.
            if fm.quality_loss.is_empty() && fm.quality_unmeasured.trim().is_empty() {
                p.push(format!(
                    "{f} '{}': no quality_loss and no quality_unmeasured",
                    fm.id
                ));
            }
        }
        for k in &self.kv_formats {
            positive(&mut p, "formats.toml kv_format", &k.id, "bytes", k.bytes);
            sourced(
                &mut p,
                "formats.toml kv_format",
                &k.id,
                &k.source,
                &k.source_date,
            );
        }
        for e in &self.engines {
            let f = "engines.toml";
            sourced(&mut p, f, &e.id, &e.source, &e.source_date);
            for d in &e.gpu_defaults {
                let id = format!("{} gpu_defaults >= {} GiB", e.id, d.min_memory_gib);
                sourced(&mut p, f, &id, &d.source, &d.source_date);
                if let Some(r) = d.reserved_gib {
                    positive(&mut p, f, &id, "reserved_gib", r);
                }
            }
            for d in &e.kv_defaults {
                let id = format!("{} kv_defaults {}", e.id, d.format);
                sourced(&mut p, f, &id, &d.source, &d.source_date);
            }
            if let Some(l) = &e.legacy {
                sourced(
                    &mut p,
                    f,
                    &format!("{} legacy", e.id),
                    &l.source,
                    &l.source_date,
                );
            }
            if let Some(r) = e.reserved_gib {
                positive(&mut p, f, &e.id, "reserved_gib", r);
            }
            for fid in &e.formats {
                if !self.formats.iter().any(|x| &x.id == fid) {
                    p.push(format!("{f} '{}': unknown format '{fid}'", e.id));
                }
            }
            if !(e.memory_fraction > 0.0 && e.memory_fraction <= 1.0) {
                p.push(format!("{f} '{}': memory_fraction must be in (0, 1]", e.id));
            }
            if !(e.runtime_overhead_gb >= 0.0 && e.runtime_overhead_gb.is_finite()) {
                p.push(format!("{f} '{}': runtime_overhead_gb must be >= 0", e.id));
            }
            if let Some(fb) = &e.calibration_fallback {
                if !self.engines.iter().any(|x| &x.id == fb) {
                    p.push(format!(
                        "{f} '{}': unknown calibration_fallback '{fb}'",
                        e.id
                    ));
                }
            }
        }
        for o in &self.cloud {
            if !self.gpus.iter().any(|g| *g.id == *o.gpu_id) {
                p.push(format!(
                    "cloud_prices.csv {} {}: unknown gpu id '{}'",
                    o.provider, o.offer, o.gpu_id
                ));
            }
            let offer = format!("{} {}", o.provider, o.offer);
            sourced(&mut p, "cloud_prices.csv", &offer, &o.source, &o.price_date);
        }
        for a in &self.api {
            if !self.models.iter().any(|m| m.id == a.model_id) {
                p.push(format!(
                    "api_prices.csv {}: unknown model id '{}'",
                    a.provider, a.model_id
                ));
            }
            let offer = format!("{} {}", a.provider, a.label);
            sourced(&mut p, "api_prices.csv", &offer, &a.source, &a.price_date);
            if a.usd_per_m_input < 0.0 || a.usd_per_m_output < 0.0 {
                p.push(format!("api_prices.csv {}: negative price", a.provider));
            }
        }
        p
    }

    pub fn model(&self, id: &str) -> Result<&Model> {
        self.models.iter().find(|m| m.id == id).ok_or_else(|| {
            PlannerError::unknown("model", id, self.models.iter().map(|m| m.id.as_str()))
        })
    }
    pub fn gpu(&self, id: &str) -> Result<&Gpu> {
        self.gpus.iter().find(|g| g.id == id).ok_or_else(|| {
            PlannerError::unknown("gpu", id, self.gpus.iter().map(|g| g.id.as_str()))
        })
    }
    pub fn format(&self, id: &str) -> Result<&Format> {
        self.formats.iter().find(|f| f.id == id).ok_or_else(|| {
            PlannerError::unknown("quant", id, self.formats.iter().map(|f| f.id.as_str()))
        })
    }
    pub fn engine(&self, id: &str) -> Result<&Engine> {
        self.engines.iter().find(|e| e.id == id).ok_or_else(|| {
            PlannerError::unknown("engine", id, self.engines.iter().map(|e| e.id.as_str()))
        })
    }
    pub fn kv_format(&self, id: &str) -> Result<&KvFormat> {
        self.kv_formats.iter().find(|k| k.id == id).ok_or_else(|| {
            PlannerError::unknown(
                "kv_format",
                id,
                self.kv_formats.iter().map(|k| k.id.as_str()),
            )
        })
    }

    /// Cloud offers for a GPU id.
    pub fn offers_for<'a>(
        &'a self,
        gpu_id: &'a str,
    ) -> impl Iterator<Item = &'a Arc<CloudOffer>> + 'a {
        self.cloud.iter().filter(move |o| &*o.gpu_id == gpu_id)
    }

    /// Hosted-API prices for a model id.
    pub fn api_for<'a>(&'a self, model_id: &'a str) -> impl Iterator<Item = &'a ApiPrice> + 'a {
        self.api.iter().filter(move |a| a.model_id == model_id)
    }

    /// The engine that suits a format on a GPU when the user names none: llama.cpp for GGUF
    /// formats and Apple, MLX for MLX formats, vLLM otherwise.
    pub fn default_engine(&self, format: &Format, gpu: &Gpu) -> Result<&Engine> {
        use format::Container;
        let preferred: &[&str] = if gpu.arch == gpu::Arch::Apple {
            if format.containers.contains(&Container::Mlx)
                && !format.containers.contains(&Container::Gguf)
            {
                &["mlx"]
            } else {
                &["llama.cpp", "mlx"]
            }
        } else if format.containers.contains(&Container::Hf) {
            &["vllm", "sglang", "trt-llm", "llama.cpp"]
        } else {
            &["llama.cpp", "ollama"]
        };
        for id in preferred {
            if let Ok(e) = self.engine(id) {
                if e.refuses(&format.id, &gpu.vendor, gpu.arch, 1).is_none()
                    && e.formats.iter().any(|f| f == &format.id)
                {
                    return Ok(e);
                }
            }
        }
        Err(PlannerError::Unsupported(format!(
            "no engine in the catalog serves {} on {}",
            format.id, gpu.name
        )))
    }
}
