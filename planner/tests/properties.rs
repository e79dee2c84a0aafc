//! Property tests: no input panics; never above the ceiling; more hours never cost less; more
//! bandwidth is never slower; more concurrency never raises per-stream speed.

use planner::estimate::{estimate, Physics, Setup, Workload};
use planner::scenario::{GpuChoice, Scenario};
use planner::{plan, Catalog};
use proptest::prelude::*;

fn ids<T>(v: &[T], f: impl Fn(&T) -> &str) -> Vec<String> {
    v.iter().map(|x| f(x).to_string()).collect()
}

prop_compose! {
    fn any_setup()(m in 0usize..100, q in 0usize..100, g in 0usize..100, e in 0usize..100,
                   n in prop::sample::select(vec![1u32, 2, 3, 4, 8]))
                  -> (usize, usize, usize, usize, u32) { (m, q, g, e, n) }
}

prop_compose! {
    fn any_workload()(c in 1u32..2000, p in 0u32..40_000, g in 1u32..8000, d in 0u32..60_000, serving in any::<bool>())
                     -> Workload {
        Workload { concurrency: c, prompt_tokens: p, gen_tokens: g, context_depth: d, serving }
    }
}

fn pick<'a>(c: &'a Catalog, (m, q, g, e, n): (usize, usize, usize, usize, u32)) -> Setup<'a> {
    Setup {
        model: &c.models[m % c.models.len()],
        format: &c.formats[q % c.formats.len()],
        gpu: &c.gpus[g % c.gpus.len()],
        gpus: n,
        engine: &c.engines[e % c.engines.len()],
        kv: &c.kv_formats[(m + q) % c.kv_formats.len()],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn estimates_never_panic_and_never_exceed_the_ceiling(s in any_setup(), w in any_workload()) {
        let c = Catalog::builtin();
        let setup = pick(c, s);
        if let Ok(e) = estimate(&setup, &w, &c.fit) {
            prop_assert!(e.memory_gb.total.is_finite() && e.memory_gb.total > 0.0);
            match e.decode_tps_stream {
                Some(d) => {
                    prop_assert!(e.fits);
                    prop_assert!(d.low <= d.expected && d.expected <= d.high);
                    prop_assert!(d.high <= e.ceiling_decode_tps_stream * (1.0 + 1e-9));
                }
                None => prop_assert!(!e.fits),
            }
            if let Some(t) = e.output_tps_total {
                prop_assert!(t.high <= e.ceiling_decode_tps_stream * e.batch as f64 * (1.0 + 1e-9));
            }
        }
    }

    #[test]
    fn more_bandwidth_is_never_slower(s in any_setup(), w in any_workload(), factor in 1.0f64..8.0) {
        let c = Catalog::builtin();
        let setup = pick(c, s);
        let mut faster = setup.gpu.clone();
        faster.bandwidth_gbps *= factor;
        let fast_setup = Setup { gpu: &faster, ..setup };
        if let (Ok(a), Ok(b)) = (estimate(&setup, &w, &c.fit), estimate(&fast_setup, &w, &c.fit)) {
            if let (Some(a), Some(b)) = (a.decode_tps_stream, b.decode_tps_stream) {
                prop_assert!(b.expected >= a.expected * (1.0 - 1e-12));
            }
        }
    }

    #[test]
    fn more_concurrency_never_raises_per_stream_speed(s in any_setup(), w in any_workload(), extra in 1u32..500) {
        let c = Catalog::builtin();
        let setup = pick(c, s);
        if let Ok(p) = Physics::new(&setup, &w) {
            let f = c.fit.for_engine_on(&setup.engine.id, &setup.gpu.fit_family()).0;
            let a = p.at_batch(w.concurrency).predict(f).decode_tps_stream;
            let b = p.at_batch(w.concurrency + extra).predict(f).decode_tps_stream;
            prop_assert!(b <= a * (1.0 + 1e-12));
        }
    }

    #[test]
    fn more_hours_never_cost_less(h in 0.5f64..23.0, more in 0.1f64..10.0, users in 1u32..200,
                                   tps in 1.0f64..100.0, g in 0usize..100, n in 1u32..5) {
        let c = Catalog::builtin();
        let gpu = &c.gpus[g % c.gpus.len()];
        let base = Scenario {
            hours_per_day: h,
            peak_users: users,
            tokens_per_s_per_user: tps,
            gpus: vec![GpuChoice { id: gpu.id.clone(), count: n }],
            ..Scenario::default()
        };
        let longer = Scenario { hours_per_day: (h + more).min(24.0), ..base.clone() };
        let (a, b) = (plan(c, &base).unwrap(), plan(c, &longer).unwrap());
        for (x, y) in a.options.iter().zip(&b.options) {
            prop_assert_eq!(x.key(), y.key());
            if let (Some(cx), Some(cy)) = (&x.cloud, &y.cloud) {
                prop_assert!(cy.monthly_usage_usd >= cx.monthly_usage_usd - 1e-9);
            }
            if let (Some(lx), Some(ly)) = (&x.local, &y.local) {
                if let (Some(px), Some(py)) = (lx.monthly_power_usd, ly.monthly_power_usd) {
                    prop_assert!(py >= px - 1e-9);
                }
            }
        }
        for (x, y) in a.api.iter().zip(&b.api) {
            prop_assert!(y.monthly_usd >= x.monthly_usd - 1e-9);
        }
    }

    #[test]
    fn any_scenario_validates_or_plans_without_panic(
        h in -5.0f64..40.0, d in -1.0f64..40.0, users in 0u32..2_000_000, tps in -1.0f64..2000.0,
        p in 0u32..2_000_000, o in 0u32..100, ttft in -1.0f64..1e6, kwh in -1.0f64..20.0,
        m in 0usize..100, q in 0usize..100, g in 0usize..100, n in 0u32..80, nan in any::<bool>()
    ) {
        let c = Catalog::builtin();
        let models = ids(&c.models, |m| &m.id);
        let quants = ids(&c.formats, |f| &f.id);
        let s = Scenario {
            hours_per_day: if nan { f64::NAN } else { h },
            days_per_month: d,
            peak_users: users,
            tokens_per_s_per_user: tps,
            prompt_tokens: p,
            output_tokens: o,
            ttft_ms: ttft,
            kwh_price: kwh,
            models: vec![models[m % models.len()].clone(), "no-such-model".into()],
            quants: vec![quants[q % quants.len()].clone()],
            gpus: vec![GpuChoice { id: c.gpus[g % c.gpus.len()].id.clone(), count: n }],
            engine: "all".into(),
            ..Scenario::default()
        };
        let errors = s.validate(c);
        prop_assert!(errors.iter().any(|e| e.field() == Some("models")));
        prop_assert!(plan(c, &s).is_err());
        let fixed = Scenario { models: vec![models[m % models.len()].clone()], ..s };
        if fixed.validate(c).is_empty() {
            prop_assert!(plan(c, &fixed).is_ok());
        } else {
            prop_assert!(plan(c, &fixed).is_err());
        }
    }
}
