//! The query string as a scenario, and the form's defaults and bounds against the engine's.

use app::fields::{ECONOMICS, WORKLOAD};
use app::ssr::query::{canonical, defaults, parse};
use planner::{Catalog, Scenario};

#[test]
fn empty_query_is_the_article_scenario() {
    let p = parse("", Catalog::builtin());
    assert!(p.errors.is_empty());
    assert_eq!(p.scenario, Scenario::default());
    assert_eq!(
        (p.sort.as_str(), p.dir.as_str(), p.show.as_str()),
        ("rank", "asc", "all")
    );
}

#[test]
fn keys_lists_and_gpu_counts_parse() {
    let p = parse(
        "?hours_per_day=12.5&models=gpt-oss-20b&models=qwen3-32b&quants=mxfp4,q4_k_m&gpus=a100-80gb-sxm:4,rtx-3090:2,h100-sxm&engine=vllm&kwh_price=0.3&utm_source=x&sort=cloud&dir=desc",
        Catalog::builtin(),
    );
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let s = &p.scenario;
    assert_eq!(s.hours_per_day, 12.5);
    assert_eq!(s.models, ["gpt-oss-20b", "qwen3-32b"]);
    assert_eq!(s.quants, ["mxfp4", "q4_k_m"]);
    let gpus: Vec<_> = s.gpus.iter().map(|g| (g.id.as_str(), g.count)).collect();
    assert_eq!(
        gpus,
        [("a100-80gb-sxm", 4), ("rtx-3090", 2), ("h100-sxm", 1)]
    );
    assert_eq!(s.engine, "vllm");
    assert_eq!((p.sort.as_str(), p.dir.as_str()), ("cloud", "desc"));
}

#[test]
fn canonical_query_round_trips() {
    let s = Scenario {
        hours_per_day: 3.5,
        peak_users: 42,
        ..Scenario::default()
    };
    let back = parse(&canonical(&s), Catalog::builtin());
    assert!(back.errors.is_empty());
    assert_eq!(back.scenario, s);
}

#[test]
fn every_bad_field_is_named_once() {
    let p = parse(
        "hours_per_day=x&peak_users=2.5&models=&gpus=h100-sxm:0",
        Catalog::builtin(),
    );
    let fields: Vec<_> = p.errors.iter().map(|e| e.field.as_str()).collect();
    for f in ["hours_per_day", "peak_users", "models", "gpus"] {
        assert_eq!(
            fields.iter().filter(|x| **x == f).count(),
            1,
            "{f} in {fields:?}"
        );
    }
}

#[test]
fn form_defaults_and_bounds_agree_with_the_engine() {
    let d = defaults();
    let reparsed = parse(
        &d.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&"),
        Catalog::builtin(),
    );
    assert_eq!(reparsed.scenario, Scenario::default());
    for f in WORKLOAD.iter().chain(ECONOMICS) {
        assert!(
            d.iter().any(|(k, _)| k == f.key),
            "no default for {}",
            f.key
        );
        let at = |v: f64| parse(&format!("{}={v}", f.key), Catalog::builtin()).errors;
        assert!(
            at(f.min).is_empty(),
            "{} min {} should be valid",
            f.key,
            f.min
        );
        assert!(
            at(f.max).is_empty(),
            "{} max {} should be valid",
            f.key,
            f.max
        );
        let below = f.min - if f.step == "1" { 1.0 } else { 0.001 };
        if below >= 0.0 || f.min > 0.0 {
            assert!(
                !at(below).is_empty(),
                "{} below min should be invalid",
                f.key
            );
        }
    }
}
