//! The engine's plan as page data: formatted, sorted, filtered, with the arithmetic and the
//! sources of each option, and the charts.

use planner::capacity::Limit;
use planner::estimate::Bound;
use planner::money::usd;
use planner::plan::{Plan, PlanOption};
use planner::Catalog;

use super::query::{canonical, Parsed};
use crate::views::{
    ApiView, BandView, Choice, CurvePointView, CurveView, MemoryBar, MemoryView, OptionDetail,
    OptionView, PlanView, Sourced, VerdictView, MAX_ROWS,
};

fn band(b: Option<planner::band::Band>) -> Option<BandView> {
    b.map(|b| BandView {
        low: b.low,
        expected: b.expected,
        high: b.high,
    })
}

fn limit_text(l: Limit) -> &'static str {
    l.describe()
}

/// What an option's last column says: the limit it meets the targets within, or by how much it
/// misses them (speed and TTFT at one request a replica), or how much memory it lacks.
fn standing_text(o: &PlanOption, s: &planner::Scenario) -> String {
    if !o.fits {
        let short = o.memory_gb.total - o.memory_gb.available;
        return if short > 0.0 {
            format!("does not fit: {short:.1} GB short")
        } else {
            "does not fit".into()
        };
    }
    if o.below_quality_floor {
        return match o.quality {
            Some(q) => format!(
                "below the quality floor: {} {q:.1}, under {}",
                s.quality_benchmark, s.min_quality
            ),
            None => format!(
                "below the quality floor: no {} score reported",
                s.quality_benchmark
            ),
        };
    }
    if o.meets_targets {
        return limit_text(o.limit).into();
    }
    let (d, t) = (o.decode_tps_stream, o.ttft_ms);
    if o.at_risk {
        let why = match (d, t) {
            (Some(d), _) if d.low < s.tokens_per_s_per_user => format!(
                "its speed band's low end, {:.1} tok/s, is below the {} tok/s target",
                d.low, s.tokens_per_s_per_user
            ),
            (_, Some(t)) => format!(
                "its TTFT band's high end, {:.0} ms, is above the {} ms target",
                t.high, s.ttft_ms
            ),
            _ => String::new(),
        };
        return format!("at risk: meets the targets on its expected figures, but {why}");
    }
    match (d, t) {
        (Some(d), _) if d.expected < s.tokens_per_s_per_user => format!(
            "misses the speed target: {:.1} of {} tok/s per user, {:.0}% short",
            d.expected,
            s.tokens_per_s_per_user,
            (1.0 - d.expected / s.tokens_per_s_per_user) * 100.0
        ),
        (_, Some(t)) if t.expected > s.ttft_ms => format!(
            "misses the TTFT target: {:.0} of {} ms, {:.0}% over",
            t.expected,
            s.ttft_ms,
            (t.expected / s.ttft_ms - 1.0) * 100.0
        ),
        _ => limit_text(o.limit).into(),
    }
}

fn bound_text(b: Bound) -> &'static str {
    match b {
        Bound::Capacity => "memory capacity",
        Bound::Bandwidth => "memory bandwidth",
        Bound::Compute => "compute",
        Bound::Interconnect => "interconnect",
    }
}

/// The arithmetic, notes and sources behind an option's numbers (its details page).
fn option_detail(o: &PlanOption, plan: &Plan, catalog: &Catalog) -> OptionDetail {
    let s = &plan.scenario;
    let m = &o.memory_gb;
    let output_m = plan.monthly_output_tokens / 1e6;
    let mut arithmetic = vec![
        format!(
            "memory per replica: weights {:.1} GB (experts {:.1}, dense {:.1}, embedding {:.1}, lm_head {:.1}) + KV cache {:.1} GB + runtime overhead {:.1} GB = {:.1} GB of {:.1} GB usable",
            m.weights, m.weights_experts, m.weights_dense, m.weights_embedding, m.weights_unembedding, m.kv_cache, m.overhead, m.total, m.available
        ),
        format!(
            "decode ceiling {:.0} tok/s per stream (every byte at full bandwidth, every FLOP at peak); the expected value applies the engine's fitted efficiency",
            o.ceiling_decode_tps_stream
        ),
    ];
    if o.meets_targets {
        arithmetic.push(format!(
            "capacity: {} users per replica within {:.1} tok/s per user and {:.0} ms to first token at the 95th percentile (limit: {}); {} peak users -> {} replica(s) of {} GPU(s)",
            o.users_per_replica, s.tokens_per_s_per_user, s.ttft_ms, limit_text(o.limit), s.peak_in_flight(), o.replicas, o.gpus_per_replica
        ));
    }
    if let Some(c) = &o.cloud {
        arithmetic.push(format!(
            "cloud: {} instance(s) x {}/h ({} GPUs each) x {:.0} usage h/month = {}/month; always-on x 730 h = {}/month",
            c.instances, usd(c.rented.usd_per_instance_hour), c.rented.gpus_per_instance, s.usage_hours_per_month(), usd(c.monthly_usage_usd), usd(c.monthly_always_on_usd)
        ));
    }
    if let Some(l) = &o.local {
        let mut line = format!(
            "local: {} GPU(s) x {} + {} host(s) x {} = {} one-time",
            o.gpus_per_replica * o.replicas.max(1),
            usd(l.gpu_price.usd),
            o.replicas.max(1),
            usd(s.host_cost_usd),
            usd(l.one_time_usd)
        );
        if let (Some(w), Some(p)) = (l.watts, l.monthly_power_usd) {
            line.push_str(&format!(
                "; power {:.0} W x {:.0} h x PUE {} x {}/kWh = {}/month",
                w,
                s.usage_hours_per_month(),
                s.pue,
                s.kwh_price,
                usd(p)
            ));
        } else {
            line.push_str("; power not estimated (no sourced TDP)");
        }
        if let Some(b) = l.break_even_month {
            line.push_str(&format!("; buying beats renting after {b:.1} months"));
        }
        arithmetic.push(line);
    }
    if output_m > 0.0 {
        arithmetic.push(format!("volume: {}", planner::demand::volume_text(s)));
    }
    let mut sources = Vec::new();
    if let Ok(g) = catalog.gpu(&o.gpu) {
        sources.push(Sourced {
            label: format!("{} specs", g.name),
            value: format!(
                "{} GB, {} GB/s{}",
                g.memory_gb,
                g.bandwidth_gbps,
                g.bf16_tflops
                    .map_or(String::new(), |t| format!(", {t} BF16 TFLOPS"))
            ),
            source: g.source.clone(),
            date: g.source_date.clone(),
        });
    } else {
        sources.push(Sourced {
            label: format!("{} specs", o.gpu_name),
            value: "your figures".into(),
            source: "user-supplied".into(),
            date: "user-supplied".into(),
        });
    }
    if let Ok(model) = catalog.model(&o.model) {
        sources.push(Sourced {
            label: format!("{} architecture", model.id),
            value: format!(
                "{} layers, {} KV heads x {}",
                model.layers, model.kv_heads, model.head_dim
            ),
            source: model.source.clone(),
            date: model.source_date.clone(),
        });
    }
    if let Ok(f) = catalog.format(&o.quant) {
        sources.push(Sourced {
            label: format!("{} layout", f.id),
            value: format!("experts {} / dense {} bits", f.experts_bits, f.dense_bits),
            source: f.source.clone(),
            date: f.source_date.clone(),
        });
    }
    if let Some(c) = &o.cloud {
        sources.push(Sourced {
            label: format!("{} {} price", c.rented.provider, c.rented.offer),
            value: format!(
                "{}/instance-hour, {}",
                usd(c.rented.usd_per_instance_hour),
                c.rented.pricing_type
            ),
            source: c.rented.source.to_string(),
            date: c.rented.price_date.to_string(),
        });
    }
    if let Some(l) = &o.local {
        sources.push(Sourced {
            label: "GPU purchase price".into(),
            value: format!("{} ({})", usd(l.gpu_price.usd), l.gpu_price.basis),
            source: l.gpu_price.source.to_string(),
            date: l.gpu_price.date.to_string(),
        });
    }
    let point = |p: &planner::plan::curve::CurvePoint| CurvePointView {
        in_flight: p.in_flight,
        per_user: p.tps_per_user,
        per_gpu: p.tps_per_gpu,
        ttft_p95_ms: p.ttft_p95_ms,
        meets: p.meets_targets,
    };
    let curve = match planner::plan::curve::load_curve(catalog, s, o) {
        Ok(c) => CurveView {
            points: c.points.iter().map(point).collect(),
            operating: c.operating.as_ref().map(point),
            speed_target: s.tokens_per_s_per_user,
        },
        Err(_) => CurveView::default(),
    };
    OptionDetail {
        curve,
        memory: memory_view(m),
        arithmetic,
        sources,
        notes: o.notes.texts().map(|n| n.into_owned()).collect(),
    }
}

/// A replica's memory in GB, by part.
fn memory_view(m: &planner::estimate::MemoryBreakdown) -> MemoryView {
    MemoryView {
        experts: m.weights_experts,
        dense: m.weights_dense,
        embedding: m.weights_embedding,
        unembedding: m.weights_unembedding,
        weights: m.weights,
        kv_cache: m.kv_cache,
        overhead: m.overhead,
        total: m.total,
        available: m.available,
    }
}

/// An option as a row of the table.
fn option_view(o: &PlanOption, plan: &Plan) -> OptionView {
    let api_monthly = plan
        .api
        .iter()
        .filter(|a| a.model == *o.model)
        .map(|a| a.monthly_usd)
        .reduce(f64::min);
    OptionView {
        key: o.key(),
        model: o.model.to_string(),
        quant: o.quant.to_string(),
        gpu: o.gpu.to_string(),
        hardware: format!("{}x {}", o.gpus_per_replica, o.gpu_name),
        engine: o.engine.to_string(),
        fits: o.fits,
        meets_targets: o.meets_targets,
        at_risk: o.at_risk,
        below_floor: o.below_quality_floor,
        replicas: o.replicas,
        users_per_replica: o.users_per_replica,
        decode: band(o.decode_tps_stream),
        ttft_ms: band(o.ttft_ms),
        cloud_monthly: o.cloud.as_ref().map(|c| c.monthly_usage_usd),
        cloud_always_on: o.cloud.as_ref().map(|c| c.monthly_always_on_usd),
        cloud_label: o
            .cloud
            .as_ref()
            .map(|c| format!("{} {}", c.rented.provider, c.rented.offer)),
        local_one_time: o.local.as_ref().map(|l| l.one_time_usd),
        local_monthly: o.local.as_ref().and_then(|l| l.monthly_amortized_usd),
        break_even_month: o.local.as_ref().and_then(|l| l.break_even_month),
        usd_per_m: o.usd_per_m_output(),
        api_monthly,
        limit: standing_text(o, &plan.scenario),
        bound: bound_text(o.bound).into(),
        rank: o.rank,
        pareto: o.pareto,
        memory_total: o.memory_gb.total,
        detail: None,
    }
}

fn sort_options(v: &mut [OptionView], sort: &str, desc: bool) {
    let key = |o: &OptionView| -> f64 {
        let missing = f64::INFINITY;
        match sort {
            "cloud" => o.cloud_monthly.unwrap_or(missing),
            "local" => o.local_one_time.unwrap_or(missing),
            "decode" => o.decode.map_or(missing, |b| b.expected),
            "ttft" => o.ttft_ms.map_or(missing, |b| b.expected),
            "usd_per_m" => o.usd_per_m.unwrap_or(missing),
            "replicas" => {
                if o.replicas == 0 {
                    missing
                } else {
                    o.replicas as f64
                }
            }
            "memory" => o.memory_total,
            _ => o.rank.map_or(missing, |r| r as f64),
        }
    };
    // Missing values stay last whichever way.
    let key = |o: &OptionView| -> f64 {
        let k = key(o);
        if crate::views::LARGEST_FIRST.contains(&sort) && k.is_finite() {
            -k
        } else {
            k
        }
    };
    v.sort_by(|a, b| {
        let ord = match sort {
            "model" => a.model.cmp(&b.model).then(a.quant.cmp(&b.quant)),
            "hardware" => a.hardware.cmp(&b.hardware),
            _ => key(a).total_cmp(&key(b)),
        };
        if desc {
            ord.reverse()
        } else {
            ord
        }
    });
}

/// Where a plan comes from: the current query, or a saved scenario (its charts and details use
/// the saved catalog).
pub enum Origin<'a> {
    Current,
    Saved(&'a str),
}

/// The option of a plan with a key, worded in full for its details page.
pub fn option_details(plan: &Plan, key: &str, catalog: &Catalog) -> Option<OptionView> {
    plan.options.find(key).map(|o| OptionView {
        detail: Some(option_detail(&o, plan, catalog)),
        ..option_view(&o, plan)
    })
}

/// The models, GPUs and engines of the table's rows, each once, for its filters (GPUs by name:
/// the catalog's, or the one a user gave their own GPU).
fn filter_choices(plan: &planner::Plan) -> crate::views::FilterChoices {
    let mut c = crate::views::FilterChoices::default();
    let add = |list: &mut Vec<Choice>, id: &str, label: &str| {
        if !list.iter().any(|x| x.id == id) {
            list.push(Choice {
                id: id.to_string(),
                label: label.to_string(),
            });
        }
    };
    for o in &plan.options {
        add(&mut c.models, &o.model, &o.model);
        add(&mut c.gpus, &o.gpu, &o.gpu_name);
        add(&mut c.engines, &o.engine, &o.engine);
    }
    c
}

/// Page data for a parsed query: the errors only when the scenario is invalid, else the plan.
pub fn plan_view(parsed: &Parsed, catalog: &Catalog, origin: Origin) -> PlanView {
    let mut view = PlanView {
        sort: parsed.sort.clone(),
        dir: parsed.dir.clone(),
        show: parsed.show.clone(),
        only: parsed.only.clone(),
        ..PlanView::default()
    };
    if !parsed.errors.is_empty() {
        view.errors = parsed.errors.clone();
        return view;
    }
    let plan = match planner::plan(catalog, &parsed.scenario) {
        Ok(p) => p,
        Err(e) => {
            view.errors = vec![crate::views::FieldError {
                field: e.field().unwrap_or("scenario").to_string(),
                message: e.message(),
            }];
            return view;
        }
    };
    view.query = canonical(&parsed.scenario);
    view.bottom_line = super::bottom_line::bottom_line_view(&plan);
    view.demand = vec![
        planner::demand::peak_text(&plan.scenario),
        planner::demand::volume_text(&plan.scenario),
    ];
    view.verdict = plan
        .verdict
        .iter()
        .map(|v| VerdictView {
            category: v.category.clone(),
            winner: v.winner.clone().unwrap_or_else(|| "no data".into()),
            reason: v.reason.clone(),
        })
        .collect();
    let mut options: Vec<OptionView> = plan
        .options
        .iter()
        .map(|o| option_view(&o, &plan))
        .collect();
    view.total_options = options.len();
    view.filter_choices = filter_choices(&plan);
    options.retain(|o| {
        parsed.only.keeps(&o.model, &o.gpu, &o.engine)
            && match parsed.show.as_str() {
                "fits" => o.fits,
                "meets" => o.meets_targets,
                _ => true,
            }
    });
    sort_options(&mut options, &parsed.sort, parsed.dir == "desc");
    view.matched_options = options.len();
    options.truncate(MAX_ROWS);
    view.options = options;
    view.api = plan
        .api
        .iter()
        .map(|a| ApiView {
            model: a.model.clone(),
            provider: a.provider.clone(),
            monthly: a.monthly_usd,
            per_m_output: a.usd_per_m_output_tokens,
            input_price: a.usd_per_m_input,
            output_price: a.usd_per_m_output,
            date: a.price_date.clone(),
            source: a.source.clone(),
        })
        .collect();
    let details = match origin {
        Origin::Current => crate::links::details(&view.query),
        Origin::Saved(id) => crate::links::saved_details(id),
    };
    view.cost_chart = super::charts::cost_chart(&plan);
    view.quality_chart = super::charts::quality_chart(&plan);
    view.memory_bars = super::charts::memory_chart_options(&plan)
        .iter()
        .map(|o| MemoryBar {
            label: format!("{} ({})", super::charts::option_label(o), o.engine),
            memory: memory_view(&o.memory_gb),
            fits: o.fits,
        })
        .collect();
    view.details_base = details;
    view.monthly_output_tokens = plan.monthly_output_tokens;
    view.monthly_input_tokens = plan.monthly_input_tokens;
    view.catalog_snapshot = plan.catalog_snapshot.clone();
    view.calibration = plan.calibration.clone();
    view.skipped = plan
        .skipped
        .iter()
        .map(|k| format!("{}: {}", k.what, k.reason))
        .collect();
    view
}
