//! The plan (issue: enumerate, size, cost, rank): every applicable model × format × GPU option
//! × engine of a scenario, each sized for the demand and costed (cloud, local, API); ranked by
//! monthly cost among those meeting the targets; Pareto front on cost, quality and speed; and
//! the article's verdict categories computed for this scenario.

pub mod bottom_line;
pub mod curve;
mod lookups;
mod options;
mod priced;
mod rank;
pub mod split;
mod verdict;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use lookups::Lookups;
use options::{Names, Row};
pub use options::{Options, PlanOption};
use priced::{Priced, Prices, UNPRICED};
use verdict::Leaders;

use crate::capacity::{capacity, scenario_workload, Targets};
use crate::catalog::engine::Engine;
use crate::catalog::format::{not_applicable_reason, WeightBytes};
use crate::catalog::Catalog;
use crate::error::{PlannerError, Result};
use crate::estimate::{check_counts, compute_path, engine_spans, Load, Physics, Setup};
use crate::money::{api_cost, ApiCost};
use crate::notes::Note;
use crate::scenario::{Scenario, SCENARIO_SCHEMA_VERSION};

pub use crate::catalog::model::QUALITY_BENCHMARK;

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
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<PlanOption>))]
    pub options: Options,
    pub api: Vec<ApiCost>,
    pub verdict: Vec<Verdict>,
    /// Which route (API, rent, buy) and model to take, and when buying pays back.
    pub bottom_line: bottom_line::BottomLine,
    /// The scenario's traffic split priced, beside the pure fleets (absent without a split).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<split::SplitPlan>,
    pub skipped: Vec<Skipped>,
    /// Where each engine's efficiency factors come from.
    pub calibration: Vec<String>,
    /// Configurations looked at, applicable or not (the benchmark's count).
    pub evaluated: usize,
    /// The plan's options in all, and where `options` starts among them: all from 0 unless a
    /// reader asked for a page (the JSON API's `offset` and `limit`).
    #[serde(default)]
    pub options_total: usize,
    #[serde(default)]
    pub options_offset: usize,
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
    let targets = Targets::of(s, &catalog.fit);
    let mut skipped: Vec<Skipped> = Vec::new();
    let mut evaluated = 0usize;
    let mut skip = |what: String, reason: String| {
        if !skipped.iter().any(|k| k.what == what) {
            skipped.push(Skipped { what, reason });
        }
    };

    let look = Lookups::new(catalog, s, &resolved)?;
    let formats = &look.formats;
    let all_engines = s.engine == "all";
    let mut engine_used = vec![false; catalog.engines.len()];
    // Room for every option up front.
    let per_model = look.options_per_model(all_engines, s.gpus.len());
    let mut rows: Vec<Row> = Vec::with_capacity(resolved.models.len() * per_model);
    // What the ranking and the verdict need, gathered as rows are built.
    let mut entries = Vec::with_capacity(rows.capacity());
    let mut leaders = vec![Leaders::default(); resolved.models.len()];
    // What records need to rebuild an option's memory breakdown.
    let mut weights = vec![WeightBytes::default(); resolved.models.len() * formats.len() * 3];
    let output_m = s.monthly_output_tokens() / 1e6;
    let mut prices = Prices::new(s.gpus.len(), s.peak_in_flight());
    // Each model's quality level, for ranking.
    let scores: Vec<Option<f64>> = (resolved.models.iter())
        .map(|m| m.quality_score(&s.quality_benchmark).map(|q| q.score))
        .collect();
    // Whether each model clears the scenario's quality floor (every model does without one).
    let passes: Vec<bool> = scores.iter().map(|q| s.clears_floor(*q)).collect();
    let levels = rank::quality_levels(&scores);
    for (mi, model) in resolved.models.iter().enumerate() {
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
            continue;
        }
        // The engines that can spread this model over each GPU choice's count.
        let spans: Vec<u64> = (s.gpus.iter())
            .map(|c| {
                let each = catalog.engines.iter();
                lookups::engine_set(each.map(|e| engine_spans(e, c.count, model)))
            })
            .collect();
        // Whether each GPU choice's count suits this model, the same for every format.
        let counts: Vec<Option<String>> = (s.gpus.iter())
            .map(|c| {
                check_counts(c.count, model, &workload)
                    .err()
                    .map(|e| e.to_string())
            })
            .collect();
        for (qi, format) in formats.iter().copied().enumerate() {
            if let Some(why) = not_applicable_reason(format, model) {
                evaluated += s.gpus.len();
                skip(format!("{} {}", model.id, format.id), why);
                continue;
            }
            let weights_at = |c| options::weights_index(formats.len(), mi as u32, qi as u32, c);
            // The model's load in this format, per container, worked out on first use.
            let mut loads: [Option<Load>; 3] = [None; 3];
            for (ci, (choice, resolved_choice)) in s.gpus.iter().zip(&look.choices).enumerate() {
                let Some(resolved_choice) = resolved_choice else {
                    continue;
                };
                let gi = resolved_choice.gpu;
                let gpu = &resolved.gpus[gi];
                if let Some(why) = &counts[ci] {
                    evaluated += 1;
                    skip(
                        format!("{} on {}x {}", model.id, choice.count, gpu.id),
                        why.clone(),
                    );
                    continue;
                }
                let engines = match engines_for(catalog, &s.engine, format, gpu) {
                    Ok(e) => e,
                    Err(why) => {
                        evaluated += 1;
                        skip(format!("{} on {}", format.id, gpu.id), why);
                        continue;
                    }
                };
                // The physics of the last engine, reused by the next when the two give this
                // setup the same physics (vLLM, SGLang and TensorRT-LLM mostly do).
                let mut shared: Option<(usize, Physics)> = None;
                // Likewise the sizing of the last engine on that physics, reused by the next
                // when their fitted factors predict the same (engines that borrow factors).
                let mut sized: Option<(usize, crate::capacity::Capacity)> = None;
                evaluated += engines.len();
                // "all" asks for every engine that can: the others are not options, so only
                // the engines that run the format on this GPU and span this count are tried
                // (a set of bits: no per-engine branch to mispredict). A single engine is
                // tried whatever it can do, to word why not.
                let runnable = look.runs(qi, gi) & spans[ci];
                let mut tried = if all_engines {
                    runnable
                } else {
                    engines.clone().fold(0, |set, e| set | 1 << e)
                };
                while tried != 0 {
                    let ei = tried.trailing_zeros() as usize;
                    tried &= tried - 1;
                    let engine = &catalog.engines[ei];
                    // The format rule for this model passed above; the engine's own checks
                    // come from the tables (`applicable` is the same test, worded per call).
                    let fast = (runnable >> ei) & 1 == 1;
                    let setup = || Setup {
                        model,
                        format,
                        gpu,
                        gpus: choice.count,
                        engine,
                        kv,
                    };
                    debug_assert_eq!(fast, crate::estimate::applicable(&setup()));
                    let own;
                    let phys: &Physics = if fast {
                        let reuse =
                            (shared.as_ref()).is_some_and(|(prev, _)| look.same_physics(*prev, ei));
                        if !reuse {
                            sized = None;
                            let slot = &mut loads[engine.container as usize];
                            let setup = setup();
                            let load = slot.get_or_insert_with(|| {
                                let load = Load::new(&setup, &workload);
                                weights[weights_at(engine.container)] = load.weights;
                                load
                            });
                            let hw =
                                resolved_choice.hardware(engine.multi_gpu, compute_path(&setup));
                            let phys = Physics::new_applicable(&setup, &workload, load, hw);
                            shared = Some((ei, phys));
                        }
                        match &shared {
                            Some((_, phys)) => phys,
                            None => unreachable!("set just above"),
                        }
                    } else {
                        // Not an option (the table says the engine cannot run it); `new`
                        // words why for the skipped list.
                        match Physics::new(&setup(), &workload) {
                            Ok(p) => {
                                sized = None;
                                weights[weights_at(engine.container)] = p.weights;
                                own = p;
                                &own
                            }
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
                        }
                    };
                    let slowdowns = look.slowdowns(ei, gi);
                    let cap = match sized {
                        Some((prev, cap))
                            if look
                                .slowdowns(prev, gi)
                                .predicts_like(slowdowns, phys.kernels) =>
                        {
                            cap
                        }
                        _ => {
                            let cap = capacity(phys, &targets, slowdowns);
                            sized = Some((ei, cap));
                            cap
                        }
                    };
                    let replicas = cap.replicas.max(1);
                    let price = if phys.fits {
                        prices.get(ci, replicas, || {
                            let (allowed, index) = &look.offers_by_gpu[gi];
                            Priced::new(gpu, choice.count, replicas, allowed, index, s, output_m)
                        })
                    } else {
                        UNPRICED
                    };
                    let priced = prices.at(price);
                    let mut notes = phys.notes;
                    if phys.fits && priced.offer.is_none() {
                        notes.push(Note::NoCloudOffer);
                    }
                    if phys.fits && gpu.price.is_none() {
                        notes.push(Note::NoPurchasePrice);
                    }
                    if !cap.meets_targets() && phys.fits {
                        notes.push(Note::CannotMeet(cap.limit));
                    }
                    engine_used[ei] = true;
                    let row = Row {
                        model: mi as u32,
                        quant: qi as u32,
                        gpu: gi as u32,
                        engine: ei as u32,
                        gpus: choice.count,
                        fits: phys.fits,
                        meets_targets: cap.meets_targets(),
                        limit: cap.limit,
                        bound: cap.bound,
                        replicas: cap.replicas,
                        users_per_replica: cap.per_replica,
                        kv_in_use: phys.kv_in_use,
                        running: cap.running,
                        ceiling_decode_tps_stream: phys.ceiling_decode_tps_stream(),
                        price,
                        notes,
                    };
                    let i = rows.len();
                    if let Some(e) =
                        rank::entry(i, &row, priced, price, levels[mi]).filter(|_| passes[mi])
                    {
                        entries.push(e);
                    }
                    leaders[mi].consider(i, &row, priced.cheapest_per_m, phys.available);
                    rows.push(row);
                }
            }
        }
    }
    let arc = |s: &str| -> Arc<str> { Arc::from(s) };
    let names = Names {
        models: (resolved.models.iter().zip(&scores))
            .map(|(m, quality)| (arc(&m.id), *quality))
            .collect(),
        quants: formats.iter().map(|f| arc(&f.id)).collect(),
        gpus: resolved
            .gpus
            .iter()
            .map(|g| (arc(&g.id), arc(&g.name), g.clone()))
            .collect(),
        engines: (catalog.engines.iter())
            .map(|e| (arc(&e.id), e.clone()))
            .collect(),
        weights,
        bands: targets.bands,
        offers: (look.allowed_offers.iter())
            .map(|a| a.offer.clone())
            .collect(),
        prices: prices.into_table(),
        scenario: s.clone(),
        output_m,
    };
    let n_levels = levels.iter().max().map_or(0, |l| *l as usize + 1);
    let (ranks, pareto) = rank::rank_and_pareto(&entries, rows.len(), &names.prices, n_levels);
    let options = Options {
        rows,
        ranks,
        pareto,
        names: Arc::new(names),
    };
    let mut api: Vec<ApiCost> = resolved
        .models
        .iter()
        .flat_map(|m| catalog.api_for(&m.id).map(|p| api_cost(p, s)))
        .collect();
    api.sort_by(|a, b| a.monthly_usd.total_cmp(&b.monthly_usd));
    let verdict = verdict::verdict(
        &resolved.models,
        &options,
        &leaders,
        &api,
        &s.quality_benchmark,
    );
    let bottom_line = bottom_line::bottom_line(&bottom_line::Inputs {
        models: &resolved.models,
        levels: &levels,
        passes: &passes,
        options: &options,
        api: &api,
        scenario: s,
    });
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
        options_total: options.len(),
        options_offset: 0,
        options,
        api,
        verdict,
        bottom_line,
        split: split::split_plan(catalog, s)?,
        skipped,
        calibration,
        evaluated,
    })
}

impl Plan {
    /// The option with a key, for detail views and comparisons.
    pub fn option(&self, key: &str) -> Result<PlanOption> {
        self.options.find(key).ok_or_else(|| {
            PlannerError::invalid("option", format!("no option '{key}' in this plan"))
        })
    }
}
