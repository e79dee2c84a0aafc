//! The bottom line of a plan: the best API, rent and buy answers, the route to take, the
//! break-even, and the sentence — checked against the plan's own options and prices.

use planner::plan::bottom_line::{Answer, Route};
use planner::plan::{Plan, QUALITY_BENCHMARK};
use planner::scenario::{GpuChoice, Scenario};
use planner::{plan, Catalog};

fn gpus(list: &[(&str, u32)]) -> Vec<GpuChoice> {
    list.iter()
        .map(|(id, count)| GpuChoice {
            id: id.to_string(),
            count: *count,
        })
        .collect()
}

fn score(c: &Catalog, model: &str) -> f64 {
    c.model(model)
        .unwrap()
        .quality_score(QUALITY_BENCHMARK)
        .map_or(f64::MIN, |q| q.score)
}

/// A self-hosted answer is an option of the plan meeting the targets (at the pessimistic end
/// of its bands), costing what the option costs by that route; no option meeting the targets
/// has a better-scoring model, or the same model for less.
fn check_hosted(c: &Catalog, p: &Plan, a: &Answer) {
    let o = p.option(a.key.as_deref().unwrap()).unwrap();
    assert!(o.fits && o.meets_targets && !o.at_risk, "{}", o.key());
    assert_eq!(&*o.model, a.model);
    let cost = |o: &planner::plan::PlanOption| match a.route {
        Route::Rent => o.cloud.as_ref().map(|c| c.monthly_usage_usd),
        Route::Buy => o.local.as_ref().and_then(|l| l.monthly_amortized_usd),
        Route::Api => unreachable!(),
    };
    let mine = cost(&o).unwrap();
    assert!((a.monthly_usd - mine).abs() < 1e-9 * mine.max(1.0));
    let per_m = mine / (p.monthly_output_tokens / 1e6);
    assert!((a.usd_per_m_output - per_m).abs() < 1e-9 * per_m.max(1.0));
    for x in p.options.iter().filter(|x| x.meets_targets) {
        let Some(cx) = cost(&x) else { continue };
        assert!(
            score(c, &x.model) <= score(c, &a.model),
            "{} beats it",
            x.key()
        );
        if *x.model == *a.model {
            assert!(cx >= mine - 1e-9, "{} is cheaper: {cx} < {mine}", x.key());
        }
    }
}

#[test]
fn the_default_scenario_names_an_api_a_rent_and_a_buy_answer() {
    let c = Catalog::builtin();
    let p = plan(c, &Scenario::default()).unwrap();
    let b = &p.bottom_line;
    let (api, rent, buy) = (
        b.api.as_ref().unwrap(),
        b.rent.as_ref().unwrap(),
        b.buy.as_ref().unwrap(),
    );
    check_hosted(c, &p, rent);
    check_hosted(c, &p, buy);
    assert!(rent.provider.is_some() && buy.one_time_usd.unwrap() > 0.0);
    // The API answer is the best-scoring model's cheapest API price for this scenario's tokens.
    let cheapest = (p.api.iter())
        .filter(|x| x.model == api.model)
        .map(|x| x.monthly_usd)
        .fold(f64::MAX, f64::min);
    assert_eq!(api.monthly_usd, cheapest);
    assert!(p
        .api
        .iter()
        .all(|x| score(c, &x.model) <= score(c, &api.model)));
    // The route to take: the best quality, then the lowest monthly cost.
    let best = b.best.unwrap();
    let chosen = [api, rent, buy]
        .into_iter()
        .find(|a| a.route == best)
        .unwrap();
    for a in [api, rent, buy] {
        assert!(score(c, &a.model) <= score(c, &chosen.model));
        if score(c, &a.model) == score(c, &chosen.model) {
            assert!(a.monthly_usd >= chosen.monthly_usd);
        }
    }
    // Buying pays back against renting when its one-time cost is saved month by month.
    let saved = rent.monthly_usd - buy.monthly_power_usd.unwrap();
    let months = b.break_even.buy_vs_rent_months.unwrap();
    assert!((months - buy.one_time_usd.unwrap() / saved).abs() < 1e-9 * months);
    // The API break-even: at that volume the API's bill equals the cheaper self-hosted one.
    let volume = b.break_even.api_below_m_output_per_day.unwrap();
    let hosted = rent.monthly_usd.min(buy.monthly_usd);
    let bill = volume * p.scenario.days_per_month * api.usd_per_m_output;
    assert!((bill - hosted).abs() < 1e-6 * hosted);
    // The sentence names the answer's model and its monthly cost as the page writes it.
    assert!(b.summary.contains(&chosen.model), "{}", b.summary);
    assert!(
        b.summary.contains(&planner::money::usd(chosen.monthly_usd)),
        "{}",
        b.summary
    );
    // Side by side: the other model on the same hardware.
    let alt = &rent.alternatives;
    assert_eq!(alt.len(), 1);
    assert_ne!(alt[0].model, rent.model);
}

/// The hobbyist: one RTX 4090 holds gpt-oss-20b, never gpt-oss-120b; the bottom line never
/// recommends hardware an option does not fit.
#[test]
fn on_a_single_rtx_4090_nothing_that_does_not_fit_is_recommended() {
    let c = Catalog::builtin();
    let s = Scenario {
        gpus: gpus(&[("rtx-4090", 1)]),
        peak_users: 1,
        hours_per_day: 4.0,
        ..Scenario::default()
    };
    let p = plan(c, &s).unwrap();
    let b = &p.bottom_line;
    for a in [&b.rent, &b.buy].into_iter().flatten() {
        let o = p.option(a.key.as_deref().unwrap()).unwrap();
        assert!(o.fits, "{}", o.key());
        assert_eq!(a.model, "gpt-oss-20b");
        assert!(o.meets_targets || (a.at_risk && o.at_risk), "{}", o.key());
        // gpt-oss-120b is named beside it, as not fitting this GPU.
        let other = &a.alternatives[0];
        assert_eq!(other.model, "gpt-oss-120b");
        assert_eq!(
            other.standing.as_deref(),
            Some("does not fit this hardware")
        );
    }
    assert!(b.buy.is_some(), "{:?}", b.why_not);
}

/// The infra engineer: 2,000 users on H100 / H200 / B200 fleets; every answer meets the
/// targets at the pessimistic end, and the fleets carry the peak.
#[test]
fn a_large_fleet_is_sized_for_the_peak_at_the_pessimistic_end() {
    let c = Catalog::builtin();
    let mut list = Vec::new();
    for g in ["h100-sxm", "h200", "b200"] {
        for n in [1, 2, 4, 8] {
            list.push((g, n));
        }
    }
    let s = Scenario {
        gpus: gpus(&list),
        peak_users: 2000,
        hours_per_day: 12.0,
        ..Scenario::default()
    };
    let p = plan(c, &s).unwrap();
    let b = &p.bottom_line;
    for a in [&b.rent, &b.buy].into_iter().flatten() {
        check_hosted(c, &p, a);
        let o = p.option(a.key.as_deref().unwrap()).unwrap();
        assert!(o.replicas * o.users_per_replica >= s.peak_users);
        assert!(o.decode_tps_stream.unwrap().low >= s.tokens_per_s_per_user * (1.0 - 1e-9));
    }
    assert!(b.rent.is_some() && b.buy.is_some());
}

/// Without any API price (a model the catalog's APIs do not serve) the API route is null with
/// its reason, and the other routes still answer.
#[test]
fn a_route_without_an_answer_says_why() {
    let c = Catalog::builtin();
    let no_api = (c.models.iter())
        .find(|m| c.api_for(&m.id).next().is_none() && m.id == "llama-2-7b")
        .or_else(|| c.models.iter().find(|m| c.api_for(&m.id).next().is_none()))
        .expect("a catalog model without an API price");
    let s = Scenario {
        models: vec![no_api.id.clone()],
        quants: vec!["q8_0".into(), "fp8".into(), "bf16".into()],
        gpus: gpus(&[("h100-sxm", 1), ("h100-sxm", 8)]),
        ..Scenario::default()
    };
    let p = plan(c, &s).unwrap();
    let b = &p.bottom_line;
    assert!(b.api.is_none());
    assert!(b.why_not.api.as_deref().unwrap().contains("no API price"));
    assert_ne!(b.best, Some(Route::Api));
    // No GPU choice at all that fits: every self-hosted route says so.
    let tiny = Scenario {
        models: vec!["gpt-oss-120b".into()],
        gpus: gpus(&[("rtx-3090", 1)]),
        ..Scenario::default()
    };
    let p = plan(c, &tiny).unwrap();
    let b = &p.bottom_line;
    assert!(b.rent.is_none() && b.buy.is_none());
    assert_eq!(
        b.why_not.buy.as_deref(),
        Some("nothing fits the chosen GPUs")
    );
    assert_eq!(b.best, Some(Route::Api));
}

/// A quality floor: models below it (or reporting no score on its benchmark) are never ranked
/// or recommended; among those clearing it, cost decides.
#[test]
fn a_quality_floor_lets_cost_decide_among_the_models_above_it() {
    let c = Catalog::builtin();
    let s = Scenario {
        models: vec![
            "gpt-oss-20b".into(),
            "gpt-oss-120b".into(),
            "qwen3-8b".into(),
            "gemma-3-27b".into(),
        ],
        quants: vec!["mxfp4".into(), "fp8".into(), "bf16".into()],
        gpus: gpus(&[("h100-sxm", 1), ("l40s", 1), ("rtx-4090", 1)]),
        peak_users: 40,
        min_quality: 70.0,
        ..Scenario::default()
    };
    let p = plan(c, &s).unwrap();
    for o in p.options.iter() {
        let clears = o.quality.is_some_and(|q| q >= 70.0);
        assert_eq!(o.below_quality_floor, !clears, "{}", o.key());
        if !clears {
            assert!(o.rank.is_none(), "{} is ranked below the floor", o.key());
        }
    }
    let b = &p.bottom_line;
    for a in [&b.api, &b.rent, &b.buy].into_iter().flatten() {
        assert!(score(c, &a.model) >= 70.0, "{:?} {}", a.route, a.model);
    }
    // Cost decides: no option of a model clearing the floor rents for less.
    let rent = b.rent.as_ref().unwrap();
    for o in p
        .options
        .iter()
        .filter(|o| o.meets_targets && !o.below_quality_floor)
    {
        if let Some(c) = o.cloud.as_ref() {
            assert!(
                c.monthly_usage_usd >= rent.monthly_usd - 1e-9,
                "{}",
                o.key()
            );
        }
    }
    assert!(b.method.contains("at least 70"), "{}", b.method);
    // A floor nothing clears: every route says so.
    let none = plan(
        c,
        &Scenario {
            min_quality: 99.0,
            ..s.clone()
        },
    )
    .unwrap();
    let w = &none.bottom_line.why_not;
    assert!(none.bottom_line.best.is_none());
    assert_eq!(
        none.bottom_line.summary,
        "No route serves this scenario: no chosen model clears the quality floor."
    );
    for why in [&w.api, &w.rent, &w.buy] {
        assert!(why.as_deref().unwrap().contains("quality floor"), "{why:?}");
    }
}

#[test]
fn a_bad_quality_benchmark_or_floor_names_its_field() {
    let c = Catalog::builtin();
    let field = |s: Scenario| -> Vec<String> {
        s.validate(c)
            .iter()
            .filter_map(|e| e.field().map(String::from))
            .collect()
    };
    let s = Scenario {
        quality_benchmark: "Vibes".into(),
        ..Scenario::default()
    };
    assert_eq!(field(s), ["quality_benchmark"]);
    let s = Scenario {
        min_quality: 101.0,
        ..Scenario::default()
    };
    assert_eq!(field(s), ["min_quality"]);
    // Another benchmark is compared on when asked: MMLU-Pro ranks the models by it.
    let s = Scenario {
        quality_benchmark: "MMLU-Pro".into(),
        models: vec!["llama-3.1-8b".into(), "llama-3.3-70b".into()],
        quants: vec!["fp8".into()],
        gpus: gpus(&[("h100-sxm", 1), ("h100-sxm", 2)]),
        ..Scenario::default()
    };
    let p = plan(c, &s).unwrap();
    assert!(
        p.verdict[0].reason.contains("MMLU-Pro"),
        "{}",
        p.verdict[0].reason
    );
    assert_eq!(p.verdict[0].winner.as_deref(), Some("llama-3.3-70b"));
}

fn split(parts: &[(&str, f64)]) -> Vec<planner::scenario::SplitShare> {
    parts
        .iter()
        .map(|(m, x)| planner::scenario::SplitShare {
            model: m.to_string(),
            share: *x,
        })
        .collect()
}

/// The seed's real question: 70% of requests to gpt-oss-20b, 30% to gpt-oss-120b, priced as
/// one deployment. Each part carries its share of the peak and the volume; the split costs the
/// sum of its parts, lies between the pure fleets, and scores the share-weighted mean.
#[test]
fn a_traffic_split_is_priced_between_the_pure_fleets() {
    let c = Catalog::builtin();
    let s = Scenario {
        models: vec!["gpt-oss-20b".into(), "gpt-oss-120b".into()],
        quants: vec!["mxfp4".into()],
        gpus: gpus(&[("h100-sxm", 1), ("l40s", 1)]),
        peak_users: 40,
        split: split(&[("gpt-oss-20b", 0.7), ("gpt-oss-120b", 0.3)]),
        min_quality: 75.0,
        ..Scenario::default()
    };
    let p = plan(c, &s).unwrap();
    let sp = p.split.as_ref().expect("a split plan");
    let parts = &sp.split.parts;
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].peak_in_flight, 28);
    assert_eq!(parts[1].peak_in_flight, 12);
    let volume: f64 = parts.iter().map(|x| x.monthly_output_tokens).sum();
    assert!((volume - p.monthly_output_tokens).abs() < 1e-6 * volume);
    let sum: f64 = parts
        .iter()
        .map(|x| x.answer.as_ref().unwrap().monthly_usd)
        .sum();
    let total = sp.split.monthly_usd.unwrap();
    assert!((total - sum).abs() < 1e-9 * sum);
    let (a, b) = (
        sp.pure[0].monthly_usd.unwrap(),
        sp.pure[1].monthly_usd.unwrap(),
    );
    assert!(
        total >= a.min(b) - 1e-9 && total <= a.max(b) + 1e-9,
        "{total} vs {a}, {b}"
    );
    let q = 0.7 * score(c, "gpt-oss-20b") + 0.3 * score(c, "gpt-oss-120b");
    assert!((sp.split.quality.unwrap() - q).abs() < 1e-9);
    // The cheapest split in tenths with a blended score of at least 75: as much gpt-oss-20b as
    // the floor allows (71.5 and 80.1: half and half scores 75.8, 60/40 74.9).
    let best = sp.cheapest_clearing_floor.as_ref().unwrap();
    assert!(best.quality.unwrap() >= 75.0);
    assert_eq!(best.parts[0].model, "gpt-oss-20b");
    assert!(
        (best.parts[0].share - 0.5).abs() < 1e-9,
        "{:?}",
        best.parts[0].share
    );
}

#[test]
fn a_split_that_does_not_add_up_names_the_field() {
    let c = Catalog::builtin();
    let bad = |parts: &[(&str, f64)]| -> String {
        let s = Scenario {
            split: split(parts),
            ..Scenario::default()
        };
        let errs = s.validate(c);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].field(), Some("split"));
        errs[0].to_string()
    };
    assert!(bad(&[("gpt-oss-20b", 0.7), ("gpt-oss-120b", 0.2)]).contains("sum to"));
    assert!(bad(&[("gpt-oss-20b", 1.0)]).contains("two models"));
    assert!(bad(&[("gpt-oss-20b", 0.5), ("qwen3-8b", 0.5)]).contains("not among the models"));
    assert!(bad(&[("gpt-oss-20b", 0.5), ("gpt-oss-20b", 0.5)]).contains("twice"));
    assert!(bad(&[("gpt-oss-20b", -0.5), ("gpt-oss-120b", 1.5)]).contains("at most 1"));
}
