//! Calibration holds its targets on rows never used to fit, and never predicts above physics.

use planner::calibration::{
    evaluate, evaluate_with, fit_without, holdout_ids, leave_one_out, parse_rows, summarize, Metric,
};
use planner::Catalog;

fn rows() -> Vec<planner::calibration::CalibrationRow> {
    parse_rows(include_str!("../data/calibration.csv")).unwrap()
}

#[test]
fn no_prediction_exceeds_its_ceiling() {
    let results = evaluate(Catalog::builtin(), &rows());
    for r in &results {
        if let (Some(p), Some(c)) = (r.predicted, r.ceiling) {
            if r.metric.is_time() {
                assert!(p >= c * (1.0 - 1e-9), "{}: {p} < floor {c}", r.id);
                assert!(
                    r.low.unwrap() >= c * (1.0 - 1e-9),
                    "{}: band below floor",
                    r.id
                );
            } else {
                assert!(p <= c * (1.0 + 1e-9), "{}: {p} > {c}", r.id);
                assert!(
                    r.high.unwrap() <= c * (1.0 + 1e-9),
                    "{}: band above ceiling",
                    r.id
                );
            }
        }
    }
}

#[test]
fn holdout_rows_are_never_fitted_and_meet_decode_target() {
    let rows = rows();
    let holdout = holdout_ids(&rows);
    assert!(holdout.len() >= rows.len() / 4);
    assert_eq!(Catalog::builtin().fit.holdout, holdout);
    let results: Vec<_> = evaluate(Catalog::builtin(), &rows)
        .into_iter()
        .filter(|r| r.held_out)
        .collect();
    let s = summarize(&results);
    let decode = s
        .iter()
        .find(|s| s.metric == Metric::DecodeTpsStream)
        .unwrap();
    assert!(decode.n >= 8);
    assert!(decode.median_ape.unwrap() <= 15.0, "{decode}");
    let agg = s
        .iter()
        .find(|s| s.metric == Metric::OutputTpsTotal)
        .unwrap();
    // A guard against regressions, not the target: on the 248 held-out serving rows the model
    // is at 22% (CALIBRATION.md, "Errors"); the target is 20%.
    assert!(agg.median_ape.unwrap() <= 25.0, "{agg}");
    assert!(agg.n >= 200, "{agg}");
}

#[test]
fn a_left_out_row_is_predicted_without_its_own_measurement() {
    // m057 is Ollama's only decode row: fitted on it, its prediction follows its measurement;
    // left out, it cannot.
    let catalog = Catalog::builtin();
    // The project's own rows before the serving measurements (ids m…): leave-one-out over all
    // of them takes minutes in a debug build; the property does not depend on the count.
    let mut rows: Vec<_> = rows()
        .into_iter()
        .filter(|r| r.id.starts_with('m'))
        .collect();
    let loo = |rows: &[planner::calibration::CalibrationRow]| {
        let r = leave_one_out(catalog, rows);
        let r = r.into_iter().find(|r| r.id == "m057").unwrap();
        assert!(r.held_out && r.skipped.is_none(), "{r:?}");
        r.predicted.unwrap()
    };
    let fitted = |rows: &[planner::calibration::CalibrationRow]| {
        let fit = fit_without(catalog, rows, Vec::new());
        let r = evaluate_with(catalog, &fit, rows);
        r.into_iter()
            .find(|r| r.id == "m057")
            .unwrap()
            .predicted
            .unwrap()
    };
    let (loo_before, fitted_before) = (loo(&rows), fitted(&rows));
    let m057 = rows.iter_mut().find(|r| r.id == "m057").unwrap();
    m057.value *= 0.5;
    assert_eq!(loo(&rows), loo_before);
    assert!(
        fitted(&rows) < fitted_before * 0.8,
        "{} vs {fitted_before}",
        fitted(&rows)
    );
    // Every computable row gets a prediction from the others.
    let all = leave_one_out(catalog, &rows);
    assert_eq!(all.len(), rows.len());
    assert!(all.iter().all(|r| r.held_out));
    assert!(all.iter().filter(|r| r.predicted.is_some()).count() >= 38);
}

#[test]
fn skipped_rows_carry_a_reason() {
    let results = evaluate(Catalog::builtin(), &rows());
    let skipped: Vec<_> = results.iter().filter(|r| r.skipped.is_some()).collect();
    assert!(!skipped.is_empty());
    assert!(skipped
        .iter()
        .all(|r| !r.skipped.as_ref().unwrap().is_empty()));
}

/// Attention data parallelism (each GPU runs the attention of its own requests) is not the
/// tensor-parallel replica the step model has: such runs are kept in the file and skipped.
#[test]
fn attention_data_parallel_runs_are_skipped_as_not_modelled() {
    let header = "id,engine,engine_version,model,quant,gpu,gpu_count,parallel,concurrency,request_rate,prompt_tokens,gen_tokens,context_depth,metric,value,source,source_date,notes\n";
    let row = |id: &str, parallel: &str| {
        format!("{id},sglang,0.5.3,deepseek-v3,fp8,h200,8,{parallel},64,,3200,800,,output_tps_total,900,s,d,n\n")
    };
    let rows = parse_rows(&format!(
        "{header}{}{}",
        row("a", "tp8 dp-attention"),
        row("b", "tp8")
    ))
    .unwrap();
    let results = evaluate(Catalog::builtin(), &rows);
    let why = results[0].skipped.as_deref().unwrap_or_default();
    assert!(why.contains("attention data parallelism"), "{why}");
    assert!(results[1].skipped.is_none() && results[1].predicted.is_some());
    // The SGLang runs launched with --enable-dp-attention (dstack, gpustack, the cookbook).
    let dp = (evaluate(Catalog::builtin(), &self::rows()).into_iter())
        .filter(|r| {
            (r.skipped.as_deref()).is_some_and(|w| w.contains("attention data parallelism"))
        })
        .count();
    assert_eq!(dp, 48);
}

#[test]
fn multi_step_runs_are_skipped_as_not_modelled_and_single_step_runs_are_not() {
    let header = "id,engine,engine_version,model,quant,gpu,gpu_count,concurrency,request_rate,prompt_tokens,gen_tokens,context_depth,metric,value,source,source_date,notes,scheduler_steps\n";
    let row = |id: &str, steps: &str| {
        format!("{id},vllm,0.6.3,llama-3.1-8b,bf16,h100-sxm,1,100,16,215,120,,ttft_ms,400,s,d,n,{steps}\n")
    };
    let rows = parse_rows(&format!(
        "{header}{}{}{}",
        row("a", "10"),
        row("b", "1"),
        row("c", "")
    ))
    .unwrap();
    let results = evaluate(Catalog::builtin(), &rows);
    let why = results[0].skipped.as_deref().unwrap_or_default();
    assert!(why.contains("multi-step scheduling (10 steps"), "{why}");
    assert!(results[1].skipped.is_none() && results[1].predicted.is_some());
    assert!(results[2].skipped.is_none() && results[2].predicted.is_some());
    // The dstack sweeps that set 5, 10 or 15 steps are kept in the file and skipped.
    let multi = (evaluate(Catalog::builtin(), &self::rows()).into_iter())
        .filter(|r| {
            r.skipped
                .as_deref()
                .is_some_and(|w| w.contains("multi-step"))
        })
        .count();
    assert_eq!(multi, 56);
    let e = parse_rows(&format!("{header}{}", row("d", "0"))).unwrap_err();
    assert!(e.to_string().contains("column 'scheduler_steps'"), "{e}");
}

#[test]
fn bad_calibration_rows_name_row_and_column() {
    let header = "id,engine,model,quant,gpu,gpu_count,concurrency,prompt_tokens,gen_tokens,context_depth,metric,value,source,source_date,notes\n";
    let e = parse_rows(&format!(
        "{header}x1,vllm,gpt-oss-20b,mxfp4,h100-sxm,1,1,,,,decode_tps_stream,fast,s,d,n\n"
    ))
    .unwrap_err();
    assert!(e.to_string().contains("row 'x1' column 'value'"), "{e}");
    let e = parse_rows(&format!(
        "{header}x2,vllm,gpt-oss-20b,mxfp4,h100-sxm,one,1,,,,decode_tps_stream,1,s,d,n\n"
    ))
    .unwrap_err();
    assert!(e.to_string().contains("column 'gpu_count'"), "{e}");
    let e = parse_rows("id,engine\nx,y\n").unwrap_err();
    assert!(e.to_string().contains("missing column"), "{e}");
}

#[test]
fn an_engine_on_another_vendors_gpus_gets_its_own_factors_where_rows_allow() {
    let c = Catalog::builtin();
    let fit = &c.fit;
    let family = |id: &str| c.gpu(id).unwrap().fit_family();
    assert_eq!(family("mi300x"), "AMD HBM");
    // SGLang has runs on MI300X/MI325X and on NVIDIA GPUs: ROCm kernels get their own factors.
    let (amd, said) = fit.for_engine_on("sglang", &family("mi300x"));
    assert_ne!(amd, fit.engine_fit("sglang"));
    assert!(said.contains("on AMD HBM GPUs"), "{said}");
    // llama.cpp ran on NVIDIA's HBM and GDDR cards: the same kernels reach another share of
    // the bandwidth on each.
    let (hbm, gddr) = (family("a100-80gb-sxm"), family("rtx-4090"));
    assert_eq!((hbm.as_str(), gddr.as_str()), ("NVIDIA HBM", "NVIDIA GDDR"));
    let bw = |f: &str| fit.fit_on("llama.cpp", f).eta_bandwidth;
    assert!(bw(&hbm) < 0.8 * bw(&gddr), "{} {}", bw(&hbm), bw(&gddr));
    // A family with no rows of the engine takes the engine's factors.
    assert_eq!(fit.fit_on("sglang", "Intel"), fit.engine_fit("sglang"));
    assert_eq!(fit.fit_on("no-such-engine", "AMD HBM"), &fit.global);
}

#[test]
fn runs_of_a_legacy_engine_generation_never_move_the_current_factors() {
    let catalog = Catalog::builtin();
    let rows = rows();
    let legacy: Vec<_> = rows
        .iter()
        .filter(|r| {
            r.engine == "vllm"
                && (catalog.engine("vllm").unwrap().legacy.as_ref())
                    .is_some_and(|l| l.covers(&r.engine_version, &r.source_date))
        })
        .map(|r| r.id.clone())
        .collect();
    assert!(legacy.len() >= 100, "{} vLLM V0 rows", legacy.len());
    let current_only: Vec<_> = rows
        .iter()
        .filter(|r| !legacy.contains(&r.id))
        .cloned()
        .collect();
    let with = fit_without(catalog, &rows, Vec::new());
    let without = fit_without(catalog, &current_only, Vec::new());
    assert_eq!(with.engine_fit("vllm"), without.engine_fit("vllm"));
    assert_eq!(
        with.fit_on("vllm", "NVIDIA HBM"),
        without.fit_on("vllm", "NVIDIA HBM")
    );
    // Nor the bands the plan shows: theirs are fitted apart, on their own residuals.
    assert_eq!(with.bands, without.bands);
    assert!(without.legacy_bands.is_empty());
    assert_eq!(with.legacy_bands.len(), with.bands.len());
    let loaded = |b: &[planner::calibration::BandFit]| {
        let b = (b.iter())
            .find(|b| {
                b.metric == Metric::OutputTpsTotal
                    && b.regime == planner::calibration::Regime::Loaded
            })
            .unwrap();
        (b.high / b.low, b.rows)
    };
    let (current, legacy) = (loaded(&with.bands), loaded(&with.legacy_bands));
    assert!(current.1 > 100 && legacy.1 > 10, "{current:?} {legacy:?}");
    // V0's runs are the model's worst: their band is the wider.
    assert!(legacy.0 > current.0, "{current:?} {legacy:?}");
    // ...and they are predicted by their own generation's factors.
    let v0 = planner::calibration::Cell {
        engine: "vllm".into(),
        vendor: "NVIDIA HBM".into(),
        legacy: true,
    };
    assert_ne!(with.row_fit(&v0), with.fit_on("vllm", "NVIDIA HBM"));
    assert_eq!(without.row_fit(&v0), without.fit_on("vllm", "NVIDIA HBM"));
}

#[test]
fn a_single_stream_and_a_loaded_replica_get_their_own_bands() {
    use planner::calibration::Regime;
    let fit = &Catalog::builtin().fit;
    let spread = |m: Metric, r: Regime| {
        let (lo, hi) = fit.band(m, r);
        assert!(lo <= 1.0 && hi >= 1.0, "{m:?} {r:?}: ({lo}, {hi})");
        hi / lo
    };
    // One stream's TTFT is a prefill; under load it is mostly queueing, and the published
    // runs' errors differ accordingly.
    assert!(spread(Metric::TtftMs, Regime::Single) < spread(Metric::TtftMs, Regime::Loaded));
    assert!(spread(Metric::TpotMs, Regime::Single) < spread(Metric::TpotMs, Regime::Loaded));
    for b in &fit.bands {
        assert_eq!(fit.band(b.metric, b.regime), (b.low, b.high));
    }
    assert_eq!(fit.bands.len(), Metric::ALL.len() * Regime::ALL.len());
}

/// Each kind of kernels gets its own compute efficiency (native GEMMs and dequantizing ones, for
/// dense and MoE models); a GPU family with too few rows of either kind alone, but enough of both,
/// scales its engine's pair by one factor, keeping their ratio.
#[test]
fn a_family_short_of_rows_of_each_kind_of_kernels_scales_its_engines_pair() {
    use planner::physics::kernels::Kernels;
    let c = Catalog::builtin();
    let fit = &c.fit;
    let engine = fit.engine_fit("llama.cpp").eta_compute;
    assert_ne!(engine.dense, engine.dense_dequant);
    let family = c.gpu("rtx-4090").unwrap().fit_family();
    let cell = fit.fit_on("llama.cpp", &family).eta_compute;
    assert_ne!(cell.dense, engine.dense, "the family fitted its own scale");
    let ratio = |p: planner::physics::kernels::PerKernels<f64>| p.dense / p.dense_dequant;
    assert!((ratio(cell) - ratio(engine)).abs() < 0.02 * ratio(engine));
    let (_, said) = fit.for_engine_on("llama.cpp", &family);
    assert!(said.contains(Kernels::of(false, true).label()), "{said}");
}
