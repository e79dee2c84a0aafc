//! The plan for a scenario: sizing, costs, ranking, Pareto front and verdict.

use planner::money::HOURS_PER_MONTH;
use planner::scenario::{CustomGpu, CustomModel, GpuChoice, Scenario};
use planner::{plan, Catalog, PlannerError};

#[test]
fn default_scenario_reproduces_the_article_setting() {
    let c = Catalog::builtin();
    let p = plan(c, &Scenario::default()).unwrap();
    for m in ["gpt-oss-20b", "gpt-oss-120b"] {
        assert!(
            p.options
                .iter()
                .any(|o| &*o.model == m && o.meets_targets && o.monthly_cost_usd.is_some()),
            "{m}"
        );
    }
    // 120b as released fits one A100 80GB; it does not fit two RTX 3090s.
    let find = |key: &str| p.option(key).unwrap();
    assert!(find("gpt-oss-120b|mxfp4|a100-80gb-sxm|1|vllm").fits);
    assert!(!find("gpt-oss-120b|mxfp4|rtx-3090|2|vllm").fits);
    assert!(find("gpt-oss-20b|mxfp4|rtx-3090|2|vllm").fits);
    // Ranks are 1..n over the options meeting the targets, cheapest first.
    let mut ranked: Vec<_> = p.options.iter().filter(|o| o.rank.is_some()).collect();
    ranked.sort_by_key(|o| o.rank);
    for w in ranked.windows(2) {
        assert!(w[0].monthly_cost_usd.unwrap() <= w[1].monthly_cost_usd.unwrap());
    }
    assert!(p.options.iter().any(|o| o.pareto));
    let cats: Vec<_> = p.verdict.iter().map(|v| v.category.as_str()).collect();
    assert_eq!(
        cats,
        [
            "Output quality",
            "Inference speed",
            "Hardware friendliness",
            "Cost efficiency"
        ]
    );
    let quality = &p.verdict[0];
    assert_eq!(quality.winner.as_deref(), Some("gpt-oss-120b"));
    // GPQA Diamond, the model card's high-reasoning scores.
    assert!(quality.reason.contains("80.1") && quality.reason.contains("71.5"));
    assert!(!p.api.is_empty());
}

#[test]
fn billed_hours_scale_cloud_cost_and_always_on_is_730_hours() {
    let c = Catalog::builtin();
    let s8 = Scenario::default();
    let s16 = Scenario {
        hours_per_day: 16.0,
        ..Scenario::default()
    };
    let (a, b) = (plan(c, &s8).unwrap(), plan(c, &s16).unwrap());
    let key = "gpt-oss-120b|mxfp4|a100-80gb-sxm|1|vllm";
    let (ca, cb) = (
        a.option(key).unwrap().cloud.clone().unwrap(),
        b.option(key).unwrap().cloud.clone().unwrap(),
    );
    assert!((cb.monthly_usage_usd / ca.monthly_usage_usd - 2.0).abs() < 1e-9);
    let hourly = ca.instances as f64 * ca.rented.usd_per_instance_hour;
    assert!((ca.monthly_always_on_usd - hourly * HOURS_PER_MONTH).abs() < 1e-6);
    assert!((ca.monthly_usage_usd - hourly * 8.0 * 30.0).abs() < 1e-6);
}

#[test]
fn more_users_need_more_replicas() {
    let c = Catalog::builtin();
    let base = Scenario {
        models: vec!["gpt-oss-20b".into()],
        quants: vec!["mxfp4".into()],
        gpus: vec![GpuChoice {
            id: "h100-sxm".into(),
            count: 1,
        }],
        tokens_per_s_per_user: 50.0,
        ..Scenario::default()
    };
    let few = plan(
        c,
        &Scenario {
            peak_users: 10,
            ..base.clone()
        },
    )
    .unwrap();
    let many = plan(
        c,
        &Scenario {
            peak_users: 5000,
            ..base
        },
    )
    .unwrap();
    let (f, m) = (
        &few.options.first().unwrap(),
        &many.options.first().unwrap(),
    );
    assert_eq!(f.replicas, 1);
    assert!(m.replicas > 1, "{m:?}");
    assert!(m.users_per_replica >= 1 && m.users_per_replica * m.replicas >= 5000);
    assert!(
        m.cloud.as_ref().unwrap().monthly_usage_usd > f.cloud.as_ref().unwrap().monthly_usage_usd
    );
}

#[test]
fn an_impossible_speed_target_is_reported_not_hidden() {
    let c = Catalog::builtin();
    let s = Scenario {
        tokens_per_s_per_user: 900.0,
        models: vec!["gpt-oss-120b".into()],
        quants: vec!["mxfp4".into()],
        gpus: vec![GpuChoice {
            id: "a100-80gb-sxm".into(),
            count: 1,
        }],
        ..Scenario::default()
    };
    let p = plan(c, &s).unwrap();
    let o = &p.options.first().unwrap();
    assert!(o.fits && !o.meets_targets && o.rank.is_none());
    assert!(
        o.notes.texts().any(|n| n.contains("per-user speed")),
        "{:?}",
        o.notes
    );
    // The prediction is still shown: what one request a replica gets, below the target, and
    // the cost of one replica.
    let d = o.decode_tps_stream.expect("a miss still says its speed");
    assert!(d.expected < 900.0 && d.expected > 10.0, "{d:?}");
    assert!(o.cloud.is_some() && o.replicas == 0 && o.users_per_replica == 0);
}

#[test]
fn local_break_even_is_one_time_over_monthly_saving() {
    let c = Catalog::builtin();
    let s = Scenario {
        hours_per_day: 24.0,
        models: vec!["gpt-oss-120b".into()],
        quants: vec!["mxfp4".into()],
        gpus: vec![GpuChoice {
            id: "h100-sxm".into(),
            count: 1,
        }],
        ..Scenario::default()
    };
    let p = plan(c, &s).unwrap();
    let o = &p.options.first().unwrap();
    let (cloud, local) = (o.cloud.as_ref().unwrap(), o.local.as_ref().unwrap());
    let saving = cloud.monthly_usage_usd - local.monthly_power_usd.unwrap();
    assert!((local.break_even_month.unwrap() - local.one_time_usd / saving).abs() < 1e-6);
    assert!((local.one_time_usd - (30000.0 + s.host_cost_usd)).abs() < 1e-6);
}

#[test]
fn custom_model_and_gpu_are_planned_and_marked() {
    let c = Catalog::builtin();
    let s = Scenario {
        models: vec!["mine".into()],
        quants: vec!["q4_k_m".into()],
        gpus: vec![GpuChoice { id: "my-card".into(), count: 1 }],
        custom_models: vec![CustomModel {
            id: "mine".into(),
            config_json: r#"{"model_type":"llama","hidden_size":4096,"num_hidden_layers":32,"num_attention_heads":32,
              "num_key_value_heads":8,"vocab_size":128256,"max_position_embeddings":131072,"intermediate_size":14336}"#.into(),
        }],
        custom_gpus: vec![CustomGpu {
            id: "my-card".into(),
            name: "Card".into(),
            memory_gb: 16.0,
            bandwidth_gbps: 448.0,
            bf16_tflops: Some(50.0),
            tdp_w: Some(200.0),
            price_usd: Some(500.0),
            usd_per_hour: Some(0.2),
        }],
        ..Scenario::default()
    };
    assert!(s.validate(c).is_empty(), "{:?}", s.validate(c));
    let p = plan(c, &s).unwrap();
    let o = &p.options.first().unwrap();
    assert!(o.fits);
    assert!(o.gpu_name.contains("your figures"));
    assert!(o.cloud.as_ref().unwrap().rented.user_supplied);
    assert!(o.local.as_ref().unwrap().user_supplied);
}

#[test]
fn every_bad_field_gets_its_own_message() {
    let c = Catalog::builtin();
    let s = Scenario {
        hours_per_day: 30.0,
        peak_users: 0,
        models: vec!["gpt-5".into()],
        quants: vec!["q3".into()],
        gpus: vec![GpuChoice {
            id: "h100-sxm".into(),
            count: 0,
        }],
        engine: "tgi".into(),
        price_basis: "Nowhere Cloud".into(),
        ..Scenario::default()
    };
    let errors = s.validate(c);
    let fields: Vec<_> = errors.iter().filter_map(PlannerError::field).collect();
    for f in [
        "hours_per_day",
        "peak_users",
        "models",
        "quants",
        "gpus",
        "engine",
        "price_basis",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    let models = errors
        .iter()
        .find(|e| e.field() == Some("models"))
        .unwrap()
        .to_string();
    assert!(
        models.contains("gpt-5") && models.contains("gpt-oss-120b"),
        "{models}"
    );
}

/// A grid of a few thousand options: large enough for ties in cost (the price depends on the
/// hardware, not the format), small enough to check against brute force.
fn mid_grid(c: &Catalog) -> Scenario {
    Scenario {
        models: c.models.iter().map(|m| m.id.clone()).collect(),
        quants: vec!["bf16".into(), "q4_k_m".into(), "mxfp4".into(), "fp8".into()],
        gpus: ["a100-80gb-sxm", "h100-sxm", "rtx-3090", "rtx-4090", "l40s"]
            .iter()
            .flat_map(|id| {
                [1, 2, 4, 8].map(|count| GpuChoice {
                    id: (*id).into(),
                    count,
                })
            })
            .collect(),
        engine: "all".into(),
        ..Scenario::default()
    }
}

#[test]
fn pareto_front_and_ranks_match_brute_force() {
    let c = Catalog::builtin();
    let p = plan(c, &mid_grid(c)).unwrap();
    let point = |o: &planner::plan::PlanOption| {
        (
            o.monthly_cost_usd.unwrap(),
            o.quality.unwrap_or(f64::MIN),
            o.decode_tps_stream.map_or(0.0, |b| b.expected),
        )
    };
    let ranked: Vec<_> = p
        .options
        .iter()
        .filter(|o| o.meets_targets && o.monthly_cost_usd.is_some())
        .collect();
    assert!(ranked.len() > 500, "only {} options to check", ranked.len());
    let costs: Vec<f64> = ranked.iter().map(|o| point(o).0).collect();
    assert!(costs.windows(2).any(|w| w[0] == w[1]), "no cost ties");
    for o in &ranked {
        let (c0, q0, s0) = point(o);
        let dominated = ranked.iter().any(|x| {
            let (c1, q1, s1) = point(x);
            c1 <= c0 && q1 >= q0 && s1 >= s0 && (c1, q1, s1) != (c0, q0, s0)
        });
        assert_eq!(o.pareto, !dominated, "{}", o.key());
    }
    let mut by_rank = ranked.clone();
    by_rank.sort_by_key(|o| o.rank.unwrap());
    let ranks: Vec<u32> = by_rank.iter().map(|o| o.rank.unwrap()).collect();
    assert_eq!(ranks, (1..=ranked.len() as u32).collect::<Vec<_>>());
    assert!(by_rank.windows(2).all(|w| point(&w[0]).0 <= point(&w[1]).0));
    assert!(p
        .options
        .iter()
        .filter(|o| !o.meets_targets)
        .all(|o| o.rank.is_none() && !o.pareto));
}

#[test]
fn the_fast_applicability_check_agrees_with_the_worded_one() {
    use planner::estimate::{applicable, Physics, Setup, Workload};
    let c = Catalog::builtin();
    let kv = c.kv_format("bf16").unwrap();
    let w = Workload::default();
    let (mut runs, mut refused) = (0, 0);
    for model in &c.models {
        for format in &c.formats {
            for gpu in &c.gpus {
                for gpus in [1, 2, 3, 4, 8] {
                    for engine in &c.engines {
                        let s = Setup {
                            model,
                            format,
                            gpu,
                            gpus,
                            engine,
                            kv,
                        };
                        let ok = Physics::new(&s, &w).is_ok();
                        assert_eq!(
                            applicable(&s),
                            ok,
                            "{} {} {}x{} {}",
                            model.id,
                            format.id,
                            gpus,
                            gpu.id,
                            engine.id
                        );
                        if ok {
                            runs += 1;
                        } else {
                            refused += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(
        runs > 1000 && refused > 1000,
        "{runs} run, {refused} refused"
    );
}

/// With every engine asked for, the plan's options are exactly the setups `applicable` allows
/// (the plan picks engines from per-plan tables of which engines run a format on a GPU and span
/// a count; a mistake there would drop or add options silently).
#[test]
fn every_engine_plan_has_exactly_the_applicable_setups() {
    use planner::estimate::{applicable, Setup};
    use std::collections::BTreeSet;
    let c = Catalog::builtin();
    let s = Scenario::full_grid(c);
    let kv = c.kv_format(&s.kv_format).unwrap();
    let p = plan(c, &s).unwrap();
    let planned: BTreeSet<String> = p.options.iter().map(|o| o.key()).collect();
    assert_eq!(planned.len(), p.options.len(), "no option twice");
    let mut expected = BTreeSet::new();
    for model in &c.models {
        for format in &c.formats {
            for choice in &s.gpus {
                let gpu = c.gpu(&choice.id).unwrap();
                for engine in &c.engines {
                    let setup = Setup {
                        model,
                        format,
                        gpu,
                        gpus: choice.count,
                        engine,
                        kv,
                    };
                    if applicable(&setup) {
                        expected.insert(format!(
                            "{}|{}|{}|{}|{}",
                            model.id, format.id, gpu.id, choice.count, engine.id
                        ));
                    }
                }
            }
        }
    }
    assert!(expected.len() > 10_000, "{} setups", expected.len());
    let missing: Vec<_> = expected.difference(&planned).take(5).collect();
    let extra: Vec<_> = planned.difference(&expected).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
}

#[test]
fn every_option_is_priced_for_its_own_replica_count() {
    use planner::money::{instances_needed, local_cost};
    let c = Catalog::builtin();
    // Enough users that options of one GPU choice need different replica counts (the plan
    // prices each GPU choice once per replica count).
    let s = Scenario {
        peak_users: 24,
        ..mid_grid(c)
    };
    let p = plan(c, &s).unwrap();
    let mut counts = std::collections::BTreeSet::new();
    for o in p.options.iter().filter(|o| o.fits) {
        let replicas = o.replicas.max(1);
        counts.insert(replicas);
        let gpu = c.gpu(&o.gpu).unwrap();
        if let Some(cl) = &o.cloud {
            assert_eq!(
                Some(cl.instances),
                instances_needed(&cl.rented, o.gpus_per_replica, replicas),
                "{}",
                o.key()
            );
            let hourly = cl.instances as f64 * cl.rented.usd_per_instance_hour;
            let usage = hourly * s.usage_hours_per_month();
            assert!(
                (cl.monthly_usage_usd - usage).abs() <= 1e-9 * usage,
                "{}",
                o.key()
            );
        }
        let cloud = o.cloud.as_ref().map(|c| c.monthly_usage_usd);
        assert_eq!(
            o.local,
            local_cost(gpu, o.gpus_per_replica, replicas, &s, cloud),
            "{}",
            o.key()
        );
        let cheaper = match (
            cloud,
            o.local.as_ref().and_then(|l| l.monthly_amortized_usd),
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        assert_eq!(o.monthly_cost_usd, cheaper, "{}", o.key());
    }
    assert!(counts.len() >= 3, "replica counts seen: {counts:?}");
}

#[test]
fn options_read_back_by_key_rank_and_position() {
    let c = Catalog::builtin();
    let p = plan(c, &mid_grid(c)).unwrap();
    let all: Vec<_> = p.options.iter().collect();
    assert_eq!(all.len(), p.options.len());
    assert_eq!(p.options.iter().len(), p.options.len());
    // Every option is found by its own key, and only by it.
    for (i, o) in all.iter().enumerate().step_by(97) {
        assert_eq!(p.option(&o.key()).unwrap(), *o);
        assert_eq!(p.options.get(i).as_ref(), Some(o));
    }
    let k = all[0].key();
    assert!(p.option(&format!("{k}|extra")).is_err());
    assert!(p.option(&k.replacen('|', "||", 1)).is_err());
    assert!(p.options.get(all.len()).is_none());
    // `ranked` is the options meeting the targets, by rank, 1..n.
    let ranked: Vec<u32> = p.options.ranked().map(|o| o.rank.unwrap()).collect();
    let meeting = all
        .iter()
        .filter(|o| o.meets_targets && o.monthly_cost_usd.is_some())
        .count();
    assert_eq!(ranked, (1..=meeting as u32).collect::<Vec<_>>());
    // The options serialize as the list of records.
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["options"], serde_json::to_value(&all).unwrap());
}

/// The attack of issue 15 (D1): every model id ×100 with every format, every GPU at 1/2/4/8
/// and every engine. Refused before any planning, naming the field and the limit; the whole
/// catalog, listed once, still plans.
#[test]
fn a_plan_over_the_size_limits_is_refused_naming_the_field() {
    use planner::scenario::LIMITS;
    let c = Catalog::builtin();
    let full = Scenario::full_grid(c);
    assert!(full.bounds(c).is_empty(), "{:?}", full.bounds(c));
    let mut attack = full.clone();
    attack.models = (0..100).flat_map(|_| full.models.clone()).collect();
    let started = std::time::Instant::now();
    let e = planner::plan(c, &attack).unwrap_err();
    assert!(
        started.elapsed().as_millis() < 100,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.field(), Some("models"));
    assert!(e.to_string().contains(&LIMITS.models.to_string()), "{e}");
    // Within the list limits but listed twice.
    let mut twice = full.clone();
    twice.models = vec![full.models[0].clone(), full.models[0].clone()];
    let e = planner::plan(c, &twice).unwrap_err();
    assert!(e.to_string().contains("listed twice"), "{e}");
    // Within every list limit, too many configurations together.
    let mut wide = full.clone();
    let extra: Vec<_> = (0..2)
        .flat_map(|_| full.gpus.iter().cloned())
        .enumerate()
        .map(|(i, mut g)| {
            g.count = 9 + i as u32 % 50;
            g
        })
        .collect();
    wide.gpus = extra.into_iter().take(LIMITS.gpu_choices).collect();
    wide.gpus
        .sort_by(|a, b| (&a.id, a.count).cmp(&(&b.id, b.count)));
    wide.gpus.dedup();
    let e = wide.bounds(c);
    assert!(
        e.iter().any(|e| e.to_string().contains("configurations")),
        "{e:?}"
    );
}

/// The details page's curve: per-user speed falls and per-GPU throughput rises as the load on
/// a replica grows, and the operating point lies between its neighbours on the curve.
#[test]
fn the_load_curve_trades_speed_per_user_for_throughput_per_gpu() {
    use planner::plan::curve::load_curve;
    let c = Catalog::builtin();
    let s = Scenario {
        models: vec!["gpt-oss-120b".into()],
        quants: vec!["mxfp4".into()],
        gpus: vec![GpuChoice {
            id: "h100-sxm".into(),
            count: 1,
        }],
        engine: "vllm".into(),
        peak_users: 200,
        ..Scenario::default()
    };
    let p = plan(c, &s).unwrap();
    let o = p.options.ranked().next().expect("an option");
    assert!(o.meets_targets);
    let curve = load_curve(c, &p.scenario, &o).unwrap();
    assert!(curve.points.len() >= 10);
    assert_eq!(curve.points[0].in_flight, 1);
    for w in curve.points.windows(2) {
        assert!(w[1].in_flight > w[0].in_flight);
        assert!(w[1].tps_per_user <= w[0].tps_per_user, "{w:?}");
        assert!(w[1].tps_per_gpu >= w[0].tps_per_gpu, "{w:?}");
    }
    let op = curve.operating.expect("the option meets the targets");
    assert_eq!(op.in_flight, s.peak_users.div_ceil(o.replicas));
    assert!(op.meets_targets);
    let expected = o.decode_tps_stream.unwrap().expected;
    assert!(
        (op.tps_per_user - expected).abs() < 1e-6 * expected,
        "{op:?} vs {expected}"
    );
}

/// "Meets the targets" is judged at the bands' pessimistic ends: every option meeting them
/// holds at the speed band's low end and the TTFT band's high end; an option whose expected
/// figures would meet them but whose bands do not is "at risk", and does not meet them.
#[test]
fn meeting_the_targets_is_judged_at_the_pessimistic_end_of_the_bands() {
    let c = Catalog::builtin();
    let (mut at_risk, mut meets) = (0, 0);
    // The default scenario, then speed targets inside options' own bands (between the low
    // and the expected end), where an option must be at risk whatever the bands' widths.
    let base = plan(c, &Scenario::default()).unwrap();
    let inside: Vec<f64> = (base.options.iter())
        .filter(|o| o.fits)
        .filter_map(|o| o.decode_tps_stream)
        .filter(|d| d.low < d.expected)
        .map(|d| (d.low + d.expected) / 2.0)
        .take(3)
        .collect();
    assert!(!inside.is_empty());
    let targets = std::iter::once(Scenario::default().tokens_per_s_per_user).chain(inside);
    for target in targets {
        let s = Scenario {
            tokens_per_s_per_user: target,
            ..Scenario::default()
        };
        let p = plan(c, &s).unwrap();
        for o in p.options.iter() {
            let key = o.key();
            let speed = o.decode_tps_stream;
            if o.meets_targets {
                meets += 1;
                let d = speed.expect("a meeting option has figures");
                assert!(
                    d.low >= s.tokens_per_s_per_user * (1.0 - 1e-9),
                    "{key}: {d:?}"
                );
                assert!(
                    o.ttft_ms.is_none_or(|t| t.high <= s.ttft_ms * (1.0 + 1e-9)),
                    "{key}"
                );
                assert!(!o.at_risk, "{key}");
            }
            let expected_meets = speed.is_some_and(|d| d.expected >= s.tokens_per_s_per_user)
                && o.ttft_ms.is_none_or(|t| t.expected <= s.ttft_ms);
            let want = o.fits && !o.meets_targets && expected_meets;
            assert_eq!(o.at_risk, want, "{key}");
            if o.at_risk {
                at_risk += 1;
            }
        }
    }
    assert!(
        at_risk > 0 && meets > 0,
        "at risk {at_risk}, meeting {meets}"
    );
}
