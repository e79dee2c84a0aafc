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
