//! The plan (issue: enumerate, size, cost, rank): every applicable model × format × GPU option
//! × engine of a scenario, each sized for the demand and costed (cloud, local, API); ranked by
//! monthly cost among those meeting the targets; Pareto front on cost, quality and speed; and
//! the article's verdict categories computed for this scenario.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::band::Band;
use crate::capacity::{capacity, scenario_workload, Limit};
use crate::catalog::engine::Engine;
use crate::catalog::format::not_applicable_reason;
use crate::catalog::Catalog;
use crate::error::{PlannerError, Result};
use crate::estimate::{Bound, Load, MemoryBreakdown, Physics, Setup};
use crate::money::{
    allowed, api_cost, cloud_cost, local_cost, pick_offer, Allowed, ApiCost, CloudCost, LocalCost,
};
use crate::notes::{Note, Notes};
use crate::scenario::{Scenario, SCENARIO_SCHEMA_VERSION};

/// The benchmark the quality verdict compares on (the one every gpt-oss card reports).
pub const QUALITY_BENCHMARK: &str = "MMLU";

/// One option of a plan. Serialized only (the API's answer); never read back.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanOption {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub model: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quant: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub gpu: Arc<str>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub gpu_name: Arc<str>,
    pub gpus_per_replica: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub engine: Arc<str>,
    pub fits: bool,
    pub meets_targets: bool,
    pub replicas: u32,
    pub users_per_replica: u32,
    pub limit: Limit,
    pub bound: Bound,
    pub memory_gb: MemoryBreakdown,
    pub decode_tps_stream: Option<Band>,
    pub output_tps_replica: Option<Band>,
    pub ttft_ms: Option<Band>,
    pub ceiling_decode_tps_stream: f64,
    pub cloud: Option<CloudCost>,
    pub local: Option<LocalCost>,
    pub cloud_usd_per_m_output: Option<f64>,
    pub local_usd_per_m_output: Option<f64>,
    /// The cheaper of cloud (billed usage hours) and local (amortized + power), per month.
    pub monthly_cost_usd: Option<f64>,
    pub quality: Option<f64>,
    /// 1 = cheapest option meeting the targets.
    pub rank: Option<u32>,
    pub pareto: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub notes: Notes,
}

impl PlanOption {
    /// Stable key: model|quant|gpu|count|engine (for links, detail views and comparisons).
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}",
            self.model, self.quant, self.gpu, self.gpus_per_replica, self.engine
        )
    }

    fn has_key(&self, key: &str) -> bool {
        let mut parts = key.split('|');
        let mut next = || parts.next().unwrap_or("");
        *self.model == *next()
            && *self.quant == *next()
            && *self.gpu == *next()
            && next() == self.gpus_per_replica.to_string()
            && *self.engine == *next()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verdict {
    pub category: String,
    /// Winning model id, "tie", or None when there is no data to decide.
    pub winner: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Skipped {
    pub what: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    pub schema_version: u32,
    pub catalog_snapshot: String,
    pub scenario: Scenario,
    pub monthly_output_tokens: f64,
    pub monthly_input_tokens: f64,
    pub options: Vec<PlanOption>,
    pub api: Vec<ApiCost>,
    pub verdict: Vec<Verdict>,
    pub skipped: Vec<Skipped>,
    /// Where each engine's efficiency factors come from.
    pub calibration: Vec<String>,
    /// Configurations looked at, applicable or not (the benchmark's count).
    pub evaluated: usize,
}

/// The catalog engines (as a range of indices) a scenario's engine choice puts on a format
/// and GPU: the suitable default for "auto", every one for "all", else the one named.
fn engines_for(
    catalog: &Catalog,
    choice: &str,
    format: &crate::catalog::format::Format,
    gpu: &crate::catalog::gpu::Gpu,
) -> std::result::Result<std::ops::Range<usize>, String> {
    let index = |e: &Engine| {
        catalog
            .engines
            .iter()
            .position(|x| std::ptr::eq(x, e))
            .ok_or_else(|| format!("engine '{}' is not in the catalog", e.id))
    };
    let one = |i: usize| i..i + 1;
    match choice {
        "auto" => catalog
            .default_engine(format, gpu)
            .map_err(|e| e.to_string())
            .and_then(index)
            .map(one),
        "all" => Ok(0..catalog.engines.len()),
        id => catalog
            .engine(id)
            .map_err(|e| e.to_string())
            .and_then(index)
            .map(one),
    }
}

/// Plans a scenario. Invalid input is an error naming the first bad field; call
/// `Scenario::validate` first to get every field's message.
pub fn plan(catalog: &Catalog, s: &Scenario) -> Result<Plan> {
    if let Some(e) = s.validate(catalog).into_iter().next() {
        return Err(e);
    }
    let resolved = s.resolve(catalog)?;
    let kv = catalog.kv_format(&s.kv_format)?;
    let workload = scenario_workload(s);
    let output_m = s.monthly_output_tokens() / 1e6;
    let mut skipped: Vec<Skipped> = Vec::new();
    let mut evaluated = 0usize;
    let mut skip = |what: String, reason: String| {
        if !skipped.iter().any(|k| k.what == what) {
            skipped.push(Skipped { what, reason });
        }
    };

    // Everything the loop below would otherwise look up by string per option is indexed once:
    // GPU of each choice, offers per GPU, each engine's id and fitted factors.
    let choice_gpu: Vec<Option<usize>> = s
        .gpus
        .iter()
        .map(|c| resolved.gpus.iter().position(|g| g.id == c.id))
        .collect();
    let mut offers_by_gpu: Vec<Vec<Allowed>> = vec![Vec::new(); resolved.gpus.len()];
    let offers = catalog.cloud.iter().chain(resolved.custom_offers.iter());
    for a in allowed(offers, &s.price_basis) {
        if let Some(gi) = resolved.gpus.iter().position(|g| *g.id == *a.offer.gpu_id) {
            offers_by_gpu[gi].push(a);
        }
    }
    let mut engine_used = vec![false; catalog.engines.len()];
    let arc = |s: &str| -> Arc<str> { Arc::from(s) };
    let engine_ids: Vec<Arc<str>> = catalog.engines.iter().map(|e| arc(&e.id)).collect();
    let engine_fits: Vec<&crate::calibration::EngineFit> = catalog
        .engines
        .iter()
        .map(|e| catalog.fit.engine_fit(&e.id))
        .collect();
    let gpu_ids: Vec<(Arc<str>, Arc<str>)> = resolved
        .gpus
        .iter()
        .map(|g| (arc(&g.id), arc(&g.name)))
        .collect();
    let all_engines = s.engine == "all";
    // Whether engine e serves format q on GPU g at all: runs[q][e][g], worked out once rather
    // than with string comparisons per option.
    let runs_stride = catalog.engines.len() * resolved.gpus.len();
    let mut runs = Vec::with_capacity(s.quants.len() * runs_stride);
    for q in &s.quants {
        let format = catalog.format(q)?;
        for e in &catalog.engines {
            runs.extend(
                resolved
                    .gpus
                    .iter()
                    .map(|g| crate::estimate::engine_runs(e, format, g)),
            );
        }
    }
    // Room for every option up front: a large grid otherwise regrows (and copies) a vector of
    // tens of MB. Per model, at most one option per GPU choice, format and engine that runs it.
    let per_model: usize = if all_engines {
        // Each chunk of `runs` is one format × engine over the GPU types.
        runs.chunks(resolved.gpus.len().max(1))
            .map(|row| choice_gpu.iter().flatten().filter(|&&gi| row[gi]).count())
            .sum()
    } else {
        s.quants.len() * s.gpus.len()
    };
    let mut options = Vec::with_capacity(resolved.models.len() * per_model);
    // Options are built model by model: model k's are options[model_ranges[k]].
    let mut model_ranges = Vec::with_capacity(resolved.models.len());
    for model in &resolved.models {
        let first = options.len();
        let quality = model.quality_score(QUALITY_BENCHMARK).map(|q| q.score);
        let model_id = arc(&model.id);
        // Checked once per model, not once per configuration.
        let context = workload.prompt_tokens as u64 + workload.gen_tokens as u64;
        if context > model.max_context as u64 {
            evaluated += s.quants.len() * s.gpus.len();
            skip(
                model.id.clone(),
                format!(
                    "prompt + output = {context} tokens exceeds its maximum context of {}",
                    model.max_context
                ),
            );
            model_ranges.push(first..first);
            continue;
        }
        for (qi, quant) in s.quants.iter().enumerate() {
            let format = catalog.format(quant)?;
            let quant_id = arc(&format.id);
            if let Some(why) = not_applicable_reason(format, model) {
                evaluated += s.gpus.len();
                skip(format!("{} {}", model.id, format.id), why);
                continue;
            }
            let runs = &runs[qi * runs_stride..(qi + 1) * runs_stride];
            // The model's load in this format, per container, worked out on first use.
            let mut loads: [Option<Load>; 3] = [None; 3];
            for (choice, gi) in s.gpus.iter().zip(&choice_gpu) {
                let Some(gi) = *gi else { continue };
                let gpu = &resolved.gpus[gi];
                let engines = match engines_for(catalog, &s.engine, format, gpu) {
                    Ok(e) => e,
                    Err(why) => {
                        evaluated += 1;
                        skip(format!("{} on {}", format.id, gpu.id), why);
                        continue;
                    }
                };
                for ei in engines {
                    evaluated += 1;
                    let engine = &catalog.engines[ei];
                    // The format rule for this model passed above; the engine's own checks
                    // come from the table (`applicable` is the same test, worded per call).
                    let fast = runs[ei * resolved.gpus.len() + gi]
                        && crate::estimate::engine_spans(engine, choice.count, model);
                    let setup = Setup {
                        model,
                        format,
                        gpu,
                        gpus: choice.count,
                        engine,
                        kv,
                    };
                    debug_assert_eq!(fast, crate::estimate::applicable(&setup));
                    let built = if fast {
                        let slot = &mut loads[engine.container as usize];
                        let load = *slot.get_or_insert_with(|| Load::new(&setup, &workload));
                        Physics::new_applicable(&setup, &workload, &load)
                    } else if all_engines {
                        // "all" asks for every engine that can: the others are not options.
                        continue;
                    } else {
                        Physics::new(&setup, &workload)
                    };
                    let phys = match built {
                        Ok(p) => p,
                        Err(e) => {
                            skip(
                                format!(
                                    "{} {} on {}x {} ({})",
                                    model.id, format.id, choice.count, gpu.id, engine.id
                                ),
                                e.to_string(),
                            );
                            continue;
                        }
                    };
                    let engine_fit = engine_fits[ei];
                    let cap = capacity(&setup, &phys, s, &catalog.fit, engine_fit)?;
                    let replicas = cap.replicas.max(1);
                    let (cloud, local) = if phys.fits {
                        let cloud = pick_offer(&offers_by_gpu[gi], choice.count, replicas)
                            .and_then(|o| {
                                cloud_cost(o, choice.count, replicas, s.usage_hours_per_month())
                            });
                        let local = local_cost(
                            gpu,
                            choice.count,
                            replicas,
                            s,
                            cloud.as_ref().map(|c| c.monthly_usage_usd),
                        );
                        (cloud, local)
                    } else {
                        (None, None)
                    };
                    let per_m = |usd: f64| if output_m > 0.0 { usd / output_m } else { 0.0 };
                    let cloud_m = cloud.as_ref().map(|c| per_m(c.monthly_usage_usd));
                    let local_monthly = local.as_ref().and_then(|l| l.monthly_amortized_usd);
                    let local_m = local_monthly.map(per_m);
                    let monthly_cost =
                        match (cloud.as_ref().map(|c| c.monthly_usage_usd), local_monthly) {
                            (Some(a), Some(b)) => Some(a.min(b)),
                            (a, b) => a.or(b),
                        };
                    let p = phys.predict(engine_fit);
                    let mut notes = phys.notes;
                    if phys.fits && cloud.is_none() {
                        notes.push(Note::NoCloudOffer);
                    }
                    if phys.fits && gpu.price.is_none() {
                        notes.push(Note::NoPurchasePrice);
                    }
                    if !cap.meets_targets() && phys.fits {
                        notes.push(Note::CannotMeet(cap.limit));
                    }
                    let engine_id = engine_ids[ei].clone();
                    engine_used[ei] = true;
                    options.push(PlanOption {
                        model: model_id.clone(),
                        quant: quant_id.clone(),
                        gpu: gpu_ids[gi].0.clone(),
                        gpu_name: gpu_ids[gi].1.clone(),
                        gpus_per_replica: choice.count,
                        engine: engine_id,
                        fits: phys.fits,
                        meets_targets: cap.meets_targets(),
                        replicas: cap.replicas,
                        users_per_replica: cap.per_replica,
                        limit: cap.limit,
                        bound: if phys.fits { p.bound } else { Bound::Capacity },
                        memory_gb: phys.memory,
                        decode_tps_stream: cap.decode_tps_stream,
                        output_tps_replica: cap.output_tps_replica,
                        ttft_ms: cap.ttft_ms,
                        ceiling_decode_tps_stream: phys.ceiling_decode_tps_stream(),
                        cloud,
                        local,
                        cloud_usd_per_m_output: cloud_m,
                        local_usd_per_m_output: local_m,
                        monthly_cost_usd: monthly_cost,
                        quality,
                        rank: None,
                        pareto: false,
                        notes,
                    });
                }
            }
        }
        model_ranges.push(first..options.len());
    }
    let order = by_cost(&options);
    rank(&mut options, &order);
    mark_pareto(&mut options, &order);
    let mut api: Vec<ApiCost> = resolved
        .models
        .iter()
        .flat_map(|m| catalog.api_for(&m.id).map(|p| api_cost(p, s)))
        .collect();
    api.sort_by(|a, b| a.monthly_usd.total_cmp(&b.monthly_usd));
    let verdict = verdict(&resolved.models, &options, &model_ranges, &api);
    let calibration = catalog
        .engines
        .iter()
        .zip(&engine_used)
        .filter(|(_, used)| **used)
        .map(|(e, _)| catalog.fit.provenance(&e.id))
        .collect();
    Ok(Plan {
        schema_version: SCENARIO_SCHEMA_VERSION,
        catalog_snapshot: catalog.snapshot_id.clone(),
        scenario: s.clone(),
        monthly_output_tokens: s.monthly_output_tokens(),
        monthly_input_tokens: s.monthly_input_tokens(),
        options,
        api,
        verdict,
        skipped,
        calibration,
        evaluated,
    })
}

/// Options meeting the targets that have a cost, in (cost asc, quality desc, speed desc, index)
/// order: the one order both the ranking and the Pareto sweep walk (one sort, not two).
fn by_cost(options: &[PlanOption]) -> Vec<(f64, usize)> {
    // f64::total_cmp's order as an integer key, so the sort compares plain integers. Equal
    // costs are common (the price depends on the hardware, not the format), so ties go to the
    // better model, then the faster option, then the index: the order the Pareto sweep needs.
    let key = |c: f64| {
        let b = c.to_bits() as i64;
        b ^ ((((b >> 63) as u64) >> 1) as i64)
    };
    let mut order: Vec<((i64, i64, i64, usize), f64)> = options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.meets_targets)
        .filter_map(|(i, o)| {
            let c = o.monthly_cost_usd?;
            let q = o.quality.unwrap_or(f64::MIN);
            let sp = o.decode_tps_stream.map_or(0.0, |b| b.expected);
            Some(((key(c), !key(q), !key(sp), i), c))
        })
        .collect();
    order.sort_unstable_by_key(|e| e.0);
    order.into_iter().map(|((.., i), c)| (c, i)).collect()
}

/// Ranks options meeting the targets by monthly cost (1 = cheapest; at equal cost the better
/// model, then the faster option); the rest stay unranked.
fn rank(options: &mut [PlanOption], order: &[(f64, usize)]) {
    for (r, &(_, i)) in order.iter().enumerate() {
        options[i].rank = Some(r as u32 + 1);
    }
}

/// Marks options no other option beats on all of cost (lower), quality and speed (higher).
/// Sweep in order of (cost asc, quality desc, speed desc): anything that dominates an option
/// comes before it, so an option is dominated when an earlier, non-identical option has
/// quality and speed at least as high. Quality takes few values (one per model), so the running
/// best speed per quality level makes this one pass over the cost order.
fn mark_pareto(options: &mut [PlanOption], order: &[(f64, usize)]) {
    let point = |o: &PlanOption| {
        (
            o.quality.unwrap_or(f64::MIN),
            o.decode_tps_stream.map_or(0.0, |b| b.expected),
        )
    };
    let mut levels: Vec<f64> = Vec::new();
    for &(_, i) in order {
        let q = point(&options[i]).0;
        if !levels.contains(&q) {
            levels.push(q);
        }
    }
    levels.sort_by(f64::total_cmp);
    // best[l]: highest speed seen so far among options of quality level l.
    let mut best = vec![f64::NEG_INFINITY; levels.len()];
    let mut start = 0;
    while start < order.len() {
        // Identical points: none dominates another, so query before inserting.
        let p = (order[start].0, point(&options[order[start].1]));
        let mut end = start + 1;
        while end < order.len() && (order[end].0, point(&options[order[end].1])) == p {
            end += 1;
        }
        let (q, sp) = p.1;
        let level = levels.partition_point(|x| *x < q);
        let dominated = best[level..].iter().any(|b| *b >= sp);
        for &(_, i) in &order[start..end] {
            options[i].pareto = !dominated;
        }
        best[level] = best[level].max(sp);
        start = end;
    }
}

fn money(v: f64) -> String {
    if v >= 100.0 {
        format!("${:.0}", v)
    } else {
        format!("${v:.2}")
    }
}

/// A model, its score and the words explaining it.
type Scored = (String, f64, String);

/// Picks the model with the best value of `score` (higher is better unless `lower`), and the
/// runner-up for the reason line.
fn best_model(scores: &[Scored], lower: bool) -> Option<(&Scored, Option<&Scored>)> {
    let mut sorted: Vec<&Scored> = scores.iter().collect();
    sorted.sort_by(|a, b| {
        if lower {
            a.1.total_cmp(&b.1)
        } else {
            b.1.total_cmp(&a.1)
        }
    });
    let first = *sorted.first()?;
    Some((first, sorted.get(1).copied()))
}

/// `model_ranges[k]`: where model k's options are in `options`.
fn verdict(
    models: &[crate::catalog::model::Model],
    options: &[PlanOption],
    model_ranges: &[std::ops::Range<usize>],
    api: &[ApiCost],
) -> Vec<Verdict> {
    let decide = |category: &str,
                  scores: Vec<(String, f64, String)>,
                  lower: bool,
                  unit: &dyn Fn(f64) -> String,
                  none: &str| {
        match best_model(&scores, lower) {
            None => Verdict {
                category: category.into(),
                winner: None,
                reason: none.into(),
            },
            Some((first, second)) => {
                let tie =
                    second.is_some_and(|s| (s.1 - first.1).abs() <= 1e-9 * first.1.abs().max(1.0));
                let reason = match second {
                    Some(s) => format!(
                        "{}: {} {} vs {}: {} {}",
                        first.0,
                        unit(first.1),
                        first.2,
                        s.0,
                        unit(s.1),
                        s.2
                    ),
                    None => format!(
                        "{}: {} {} (the only model with data)",
                        first.0,
                        unit(first.1),
                        first.2
                    ),
                };
                Verdict {
                    category: category.into(),
                    winner: Some(if tie { "tie".into() } else { first.0.clone() }),
                    reason,
                }
            }
        }
    };
    let quality: Vec<(String, f64, String)> = models
        .iter()
        .filter_map(|m| {
            m.quality_score(QUALITY_BENCHMARK).map(|q| {
                (
                    m.id.clone(),
                    q.score,
                    format!("({}, {})", q.setting, q.source),
                )
            })
        })
        .collect();
    // Per model, the best option by a value; the reason is worded for the winner only (the
    // grid can hold tens of thousands of options).
    let per_model = |pick: &dyn Fn(&PlanOption) -> Option<f64>,
                     lower: bool,
                     why: &dyn Fn(&PlanOption) -> String|
     -> Vec<(String, f64, String)> {
        models
            .iter()
            .zip(model_ranges)
            .filter_map(|(m, range)| {
                options[range.clone()]
                    .iter()
                    .filter_map(|o| pick(o).map(|v| (v, o)))
                    .reduce(|a, b| {
                        if (b.0 < a.0) == lower && b.0 != a.0 {
                            b
                        } else {
                            a
                        }
                    })
                    .map(|(v, o)| (m.id.clone(), v, why(o)))
            })
            .collect()
    };
    let speed = per_model(
        &|o| {
            o.meets_targets
                .then_some(())
                .and(o.decode_tps_stream)
                .map(|b| b.expected)
        },
        false,
        &|o| {
            format!(
                "tok/s per user on {}x {} ({}, {})",
                o.gpus_per_replica, o.gpu_name, o.quant, o.engine
            )
        },
    );
    let hardware = per_model(&|o| o.fits.then_some(o.memory_gb.available), true, &|o| {
        format!(
            "GB usable on {}x {} ({})",
            o.gpus_per_replica, o.gpu_name, o.quant
        )
    });
    let cheapest = |o: &PlanOption| -> Option<(f64, bool)> {
        if !o.meets_targets {
            return None;
        }
        match (o.local_usd_per_m_output, o.cloud_usd_per_m_output) {
            (Some(l), Some(c)) => Some(if l <= c { (l, true) } else { (c, false) }),
            (Some(l), None) => Some((l, true)),
            (None, Some(c)) => Some((c, false)),
            (None, None) => None,
        }
    };
    let mut cost = per_model(
        &|o| cheapest(o).map(|c| c.0),
        true,
        &|o| match cheapest(o) {
            Some((_, true)) => format!(
                "per M output tokens, local {}x {}",
                o.gpus_per_replica, o.gpu_name
            ),
            _ => format!(
                "per M output tokens, {} {}x {}",
                o.cloud.as_ref().map_or("", |c| &*c.rented.provider),
                o.gpus_per_replica,
                o.gpu_name
            ),
        },
    );
    for m in models {
        if let Some(a) = api.iter().filter(|a| a.model == m.id).min_by(|a, b| {
            a.usd_per_m_output_tokens
                .total_cmp(&b.usd_per_m_output_tokens)
        }) {
            let entry = (
                m.id.clone(),
                a.usd_per_m_output_tokens,
                format!(
                    "per M output tokens via {} API (input included)",
                    a.provider
                ),
            );
            match cost.iter_mut().find(|c| c.0 == m.id) {
                Some(c) if c.1 <= entry.1 => {}
                Some(c) => *c = entry,
                None => cost.push(entry),
            }
        }
    }
    vec![
        decide(
            "Output quality",
            quality,
            false,
            &|v| format!("{QUALITY_BENCHMARK} {v:.1}"),
            "no published score for these models in the catalog",
        ),
        decide(
            "Inference speed",
            speed,
            false,
            &|v| format!("{v:.0}"),
            "no option meets the targets",
        ),
        decide(
            "Hardware friendliness",
            hardware,
            true,
            &|v| format!("{v:.0}"),
            "no option fits",
        ),
        decide(
            "Cost efficiency",
            cost,
            true,
            &|v| money(v),
            "no option meets the targets and no API price",
        ),
    ]
}

impl Plan {
    /// The option with a key, for detail views and comparisons.
    pub fn option(&self, key: &str) -> Result<&PlanOption> {
        self.options.iter().find(|o| o.has_key(key)).ok_or_else(|| {
            PlannerError::invalid("option", format!("no option '{key}' in this plan"))
        })
    }
}
