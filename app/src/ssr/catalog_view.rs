//! The catalog page's data: every model, format, GPU, engine and price with source and date.

use planner::Catalog;

use crate::views::{CatalogRow, CatalogTable, CatalogView};

fn opt(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v}"))
}

/// How the page was asked to show the catalog: `sort=<table>:<column>`, `dir=desc`, `q=` (rows
/// whose cells or source contain the text) and `min_memory=` (GPUs with at least that many GB).
pub struct Shown {
    pub sort: Option<(String, usize)>,
    pub desc: bool,
    pub filter: String,
    pub min_memory: Option<f64>,
}

impl Shown {
    pub fn from_query(query: &str) -> Shown {
        let pairs = super::query::pairs(query);
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.trim().to_string())
        };
        Shown {
            sort: get("sort").and_then(|v| {
                let (table, col) = v.split_once(':')?;
                Some((table.to_string(), col.parse().ok()?))
            }),
            desc: get("dir").as_deref() == Some("desc"),
            filter: get("q").unwrap_or_default().chars().take(100).collect(),
            min_memory: get("min_memory")
                .and_then(|v| v.parse().ok())
                .filter(|v: &f64| v.is_finite()),
        }
    }
}

/// The number a cell starts with ("1,792", "$8565 (MSRP…)", "48 (unified…)"), for sorting.
fn leading_number(cell: &str) -> Option<f64> {
    let t: String = (cell.trim_start_matches('$').chars())
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    t.parse().ok()
}

/// Filters and sorts one table as asked.
fn shown(mut t: CatalogTable, how: &Shown) -> CatalogTable {
    t.total = t.rows.len();
    if !how.filter.is_empty() {
        let needle = how.filter.to_lowercase();
        t.rows.retain(|r| {
            r.cells
                .iter()
                .chain([&r.source])
                .any(|c| c.to_lowercase().contains(&needle))
        });
    }
    if let (Some(min), "gpus") = (how.min_memory, t.anchor.as_str()) {
        t.rows.retain(|r| {
            r.cells
                .get(2)
                .and_then(|c| leading_number(c))
                .is_some_and(|m| m >= min)
        });
    }
    if let Some((table, col)) = &how.sort {
        if *table == t.anchor && *col < t.headers.len() {
            let key = |r: &CatalogRow| r.cells.get(*col).cloned().unwrap_or_default();
            t.rows.sort_by(|a, b| {
                let (x, y) = (key(a), key(b));
                let order = match (leading_number(&x), leading_number(&y)) {
                    (Some(p), Some(q)) => p.total_cmp(&q),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => x.cmp(&y),
                };
                if how.desc {
                    order.reverse()
                } else {
                    order
                }
            });
            t.sorted_by = Some(*col);
            t.desc = how.desc;
        }
    }
    t
}

pub fn catalog_view(c: &Catalog, how: &Shown) -> CatalogView {
    let models = CatalogTable {
        title: "Models".into(),
        anchor: "models".into(),
        headers: [
            "id",
            "params (derived / published)",
            "active (no input emb.)",
            "layers",
            "KV heads x dim",
            "experts",
            "context",
            "release",
            "quality",
        ]
        .map(String::from)
        .to_vec(),
        sorted_by: None,
        desc: false,
        total: 0,
        rows: c
            .models
            .iter()
            .map(|m| CatalogRow {
                id: m.id.clone(),
                cells: vec![
                    m.id.clone(),
                    format!(
                        "{:.2}B / {}B",
                        m.tensor_groups().total() / 1e9,
                        m.published_total_params_b
                    ),
                    format!("{:.2}B", m.active_params() / 1e9),
                    m.layers.to_string(),
                    format!("{} x {}", m.kv_heads, m.head_dim),
                    if m.is_moe() {
                        format!("{} of {}", m.experts_active, m.experts)
                    } else {
                        "dense".into()
                    },
                    m.max_context.to_string(),
                    m.release_date.clone(),
                    {
                        let scores: Vec<String> = (m.quality.iter())
                            .map(|q| {
                                format!("{} {} ({}; {})", q.benchmark, q.score, q.setting, q.source)
                            })
                            .collect();
                        match (scores.is_empty(), m.quality_not_reported.is_empty()) {
                            (_, true) => scores.join("; "),
                            (true, false) => format!("not reported: {}", m.quality_not_reported),
                            (false, false) => {
                                format!("{}; {}", scores.join("; "), m.quality_not_reported)
                            }
                        }
                    },
                ],
                source: m.source.clone(),
                date: m.source_date.clone(),
            })
            .collect(),
    };
    let formats = CatalogTable {
        title: "Weight formats".into(),
        anchor: "formats".into(),
        headers: [
            "id",
            "name",
            "bits: experts / dense / embedding / lm_head",
            "containers",
            "measured loss (reference → this format)",
        ]
        .map(String::from)
        .to_vec(),
        sorted_by: None,
        desc: false,
        total: 0,
        rows: c
            .formats
            .iter()
            .map(|f| CatalogRow {
                id: f.id.clone(),
                cells: vec![
                    f.id.clone(),
                    f.name.clone(),
                    format!(
                        "{} / {} / {} / {}",
                        f.experts_bits, f.dense_bits, f.embedding_bits, f.unembedding_bits
                    ),
                    f.containers
                        .iter()
                        .map(|c| format!("{c:?}").to_lowercase())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if f.quality_loss.is_empty() {
                        f.quality_unmeasured.clone()
                    } else {
                        (f.quality_loss.iter())
                            .map(|l| {
                                format!(
                                    "{} on {}: {} → {} ({}, {})",
                                    l.metric,
                                    l.model,
                                    l.reference,
                                    l.quantized,
                                    l.source,
                                    l.source_date
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; ")
                    },
                ],
                source: f.source.clone(),
                date: f.source_date.clone(),
            })
            .collect(),
    };
    let gpus = CatalogTable {
        title: "GPUs".into(),
        anchor: "gpus".into(),
        headers: [
            "id",
            "name",
            "memory GB",
            "bandwidth GB/s",
            "BF16 / FP8 / FP4 TFLOPS",
            "TDP W",
            "price",
            "USD per GB/s (DERIVED: price / bandwidth)",
        ]
        .map(String::from)
        .to_vec(),
        sorted_by: None,
        desc: false,
        total: 0,
        rows: c
            .gpus
            .iter()
            .map(|g| CatalogRow {
                id: g.id.clone(),
                cells: vec![
                    g.id.clone(),
                    g.name.clone(),
                    if g.unified {
                        format!(
                            "{} (unified; GPU may use {:.0}%)",
                            g.memory_gb,
                            g.usable_fraction * 100.0
                        )
                    } else {
                        g.memory_gb.to_string()
                    },
                    g.bandwidth_gbps.to_string(),
                    format!(
                        "{} / {} / {}",
                        opt(g.bf16_tflops),
                        opt(g.fp8_tflops),
                        opt(g.fp4_tflops)
                    ),
                    opt(g.tdp_w),
                    g.price.as_ref().map_or("not sourced".into(), |p| {
                        format!("${} ({}, {}, {})", p.usd, p.basis, p.source, p.date)
                    }),
                    g.price
                        .as_ref()
                        .map_or("—".into(), |p| format!("{:.2}", p.usd / g.bandwidth_gbps)),
                ],
                source: g.source.clone(),
                date: g.source_date.clone(),
            })
            .collect(),
    };
    let engines = CatalogTable {
        title: "Engines".into(),
        anchor: "engines".into(),
        headers: ["id", "formats", "multi-GPU", "memory share", "fitted factors"].map(String::from).to_vec(),
        sorted_by: None,
        desc: false,
        total: 0,
        rows: c
            .engines
            .iter()
            .map(|e| {
                let (f, from) = c.fit.for_engine(&e.id);
                let factors = |f: &planner::calibration::EngineFit| {
                    format!("bandwidth {:.2}, compute {:.2} dense / {:.3} MoE ({:.2} / {:.3} dequantizing), {:.1} ms/step per 32 layers, {:.0} ms per request", f.eta_bandwidth, f.eta_compute.dense, f.eta_compute.moe, f.eta_compute.dense_dequant, f.eta_compute.moe_dequant, f.step_overhead_s * 1000.0, f.request_overhead_s * 1000.0)
                };
                // The plan prices today's engine: a vendor's own factors where fitted; a legacy
                // generation's only predict its own calibration runs.
                let by_vendor: String = (c.fit.cells.iter())
                    .filter(|x| x.engine == e.id && x.legacy.is_none())
                    .filter_map(|x| x.vendor.as_ref().map(|v| format!("; on {v} GPUs: {}", factors(&x.fit))))
                    .collect();
                CatalogRow {
                    id: e.id.clone(),
                    cells: vec![
                        e.id.clone(),
                        e.formats.join(", "),
                        format!("{:?}", e.multi_gpu),
                        match e.reserved_gib {
                            Some(r) => {
                                let by_class: Vec<String> = (e.gpu_defaults.iter())
                                    .filter_map(|d| d.reserved_gib.map(|x| format!("{x} GiB from {} GiB", d.min_memory_gib)))
                                    .collect();
                                format!("all but {r} GiB per GPU ({}; no further overhead)", by_class.join(", "))
                            }
                            None if e.fraction_of_free => format!("{:.0}% of what the weights and {} GB of overhead per GPU (an assumption) leave free, for the KV cache", e.memory_fraction * 100.0, e.runtime_overhead_gb),
                            None => format!("{:.0}% (+{} GB overhead per GPU, an assumption)", e.memory_fraction * 100.0, e.runtime_overhead_gb),
                        },
                        format!("{} — {from}{by_vendor}", factors(f)),
                    ],
                    source: e.source.clone(),
                    date: e.source_date.clone(),
                }
            })
            .collect(),
    };
    let cloud = CatalogTable {
        title: "Cloud GPU prices".into(),
        anchor: "cloud".into(),
        headers: [
            "gpu",
            "provider",
            "offer",
            "GPUs",
            "USD/instance-hour",
            "USD/GPU-hour",
            "type",
        ]
        .map(String::from)
        .to_vec(),
        sorted_by: None,
        desc: false,
        total: 0,
        rows: c
            .cloud
            .iter()
            .map(|o| CatalogRow {
                id: o.gpu_id.to_string(),
                cells: vec![
                    o.gpu_id.to_string(),
                    o.provider.to_string(),
                    o.offer.to_string(),
                    o.gpus_per_instance.to_string(),
                    format!("{:.3}", o.usd_per_instance_hour),
                    format!("{:.3}", o.usd_per_gpu_hour()),
                    o.pricing_type.to_string(),
                ],
                source: o.source.to_string(),
                date: o.price_date.to_string(),
            })
            .collect(),
    };
    let api = CatalogTable {
        title: "Hosted API prices".into(),
        anchor: "api".into(),
        headers: ["model", "provider", "USD/M input", "USD/M output"]
            .map(String::from)
            .to_vec(),
        sorted_by: None,
        desc: false,
        total: 0,
        rows: c
            .api
            .iter()
            .map(|a| CatalogRow {
                id: a.model_id.clone(),
                cells: vec![
                    a.model_id.clone(),
                    a.provider.clone(),
                    a.usd_per_m_input.to_string(),
                    a.usd_per_m_output.to_string(),
                ],
                source: a.source.clone(),
                date: a.price_date.clone(),
            })
            .collect(),
    };
    CatalogView {
        snapshot: c.snapshot_id.clone(),
        tables: [models, formats, gpus, engines, cloud, api]
            .into_iter()
            .map(|t| shown(t, how))
            .collect(),
        filter: how.filter.clone(),
        min_memory: how.min_memory.map(|m| m.to_string()).unwrap_or_default(),
        skipped: c
            .skipped
            .iter()
            .map(|s| format!("{} — {}: {}", s.file, s.row, s.reason))
            .collect(),
    }
}
