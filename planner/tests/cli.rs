//! The `planner` binary: JSON output, calibration lines, exit code 2 on bad arguments.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planner"))
        .args(args)
        .output()
        .expect("run planner")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn estimate_prints_the_documented_json() {
    let o = run(&[
        "estimate",
        "--model",
        "gpt-oss-120b",
        "--quant",
        "mxfp4",
        "--gpu",
        "h100-sxm",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["fits"], true);
    for k in ["weights", "kv_cache", "overhead", "total", "available"] {
        assert!(v["memory_gb"][k].as_f64().unwrap() >= 0.0, "{k}");
    }
    for k in [
        "decode_tps_stream",
        "output_tps_total",
        "prefill_tps",
        "ttft_ms",
    ] {
        let b = &v[k];
        let (l, e, h) = (
            b["low"].as_f64().unwrap(),
            b["expected"].as_f64().unwrap(),
            b["high"].as_f64().unwrap(),
        );
        assert!(l <= e && e <= h, "{k}");
    }
    assert!(
        v["decode_tps_stream"]["high"].as_f64().unwrap()
            <= v["ceiling_decode_tps_stream"].as_f64().unwrap()
    );
    assert_eq!(v["bound"], "bandwidth");
    assert_eq!(v["engine"], "vllm");
}

#[test]
fn estimate_of_a_config_that_does_not_fit_has_null_speeds() {
    let o = run(&[
        "estimate",
        "--model",
        "gpt-oss-120b",
        "--quant",
        "mxfp4",
        "--gpu",
        "rtx-4090",
    ]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["fits"], false);
    assert!(v["decode_tps_stream"].is_null() && v["ttft_ms"].is_null());
    assert_eq!(v["bound"], "capacity");
}

/// `planner estimate` of gpt-oss-20b MXFP4 on one H100, the load tests' starting point.
const ESTIMATE_20B: &[&str] = &[
    "estimate",
    "--model",
    "gpt-oss-20b",
    "--quant",
    "mxfp4",
    "--gpu",
    "h100-sxm",
];

#[test]
fn bad_arguments_exit_2_with_one_line_naming_the_argument() {
    let est = |extra: &[&'static str]| [ESTIMATE_20B, extra].concat();
    let load_cases = [
        (est(&["--arrival-rate", "-1"]), "--arrival-rate"),
        (est(&["--arrival-rate", "NaN"]), "--arrival-rate"),
        (est(&["--arrival-rate", "inf"]), "--arrival-rate"),
        (est(&["--concurrency", "0"]), "concurrency"),
        (est(&["--concurrency", "-3"]), "concurrency"),
    ];
    for (args, want) in &load_cases {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains(want) && err.trim().lines().count() == 1,
            "{args:?}: {err}"
        );
    }
    let cases: [(&[&str], &str); 8] = [
        (
            &[
                "estimate", "--model", "gpt-5", "--quant", "mxfp4", "--gpu", "h100-sxm",
            ],
            "model: unknown id 'gpt-5'; valid: gpt-oss-120b",
        ),
        (
            &[
                "estimate",
                "--model",
                "gpt-oss-20b",
                "--quant",
                "q3",
                "--gpu",
                "h100-sxm",
            ],
            "quant: unknown id",
        ),
        (
            &[
                "estimate",
                "--model",
                "gpt-oss-20b",
                "--quant",
                "mxfp4",
                "--gpu",
                "h100-sxm",
                "--gpus",
                "0",
            ],
            "gpus: must be between 1",
        ),
        (
            &[
                "estimate",
                "--model",
                "gpt-oss-20b",
                "--quant",
                "mxfp4",
                "--gpu",
                "h100-sxm",
                "--concurrency=-3",
            ],
            "concurrency: must be between 1",
        ),
        (
            &[
                "estimate",
                "--model",
                "gpt-oss-20b",
                "--quant",
                "mxfp4",
                "--gpu",
                "h100-sxm",
                "--prompt",
                "NaN",
            ],
            "--prompt",
        ),
        (&["calibrate", "/no/such/file.csv"], "cannot read"),
        (&["calibrate", "--split", "nope", "x.csv"], "--split"),
        (&["calibrate", "--format", "xml", "x.csv"], "--format"),
    ];
    for (args, want) in cases {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn calibrate_prints_rows_and_summary_lines() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/calibration.csv");
    let o = run(&["calibrate", path]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out
        .lines()
        .any(|l| l.starts_with("m007 decode_tps_stream 59.02 ")));
    let summary = out
        .lines()
        .find(|l| l.starts_with("summary metric=decode_tps_stream "))
        .unwrap();
    let re_ok = summary
        .split(' ')
        .map(|kv| kv.split('=').next().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(
        re_ok,
        [
            "summary",
            "metric",
            "n",
            "median_ape",
            "p90_ape",
            "above_ceiling",
            "in_band",
            "skipped"
        ]
    );
    assert!(out.contains("skipped: "), "skipped rows print their reason");
}

#[test]
fn calibrate_leave_one_out_refits_for_every_row() {
    // The project's rows before the serving measurements: leave-one-out over the whole file
    // takes minutes in a debug build (the test command runs it in release).
    let full =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/calibration.csv"))
            .unwrap();
    let small: String = full
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.starts_with('m'))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let file = std::env::temp_dir().join(format!("planner-loo-{}.csv", std::process::id()));
    std::fs::write(&file, small).unwrap();
    let o = run(&["calibrate", "--split", "loo", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // Every row, none marked as the fixed split's held-out ones, and no single fit's factors
    // printed (there is one fit per row).
    let predicted = out
        .lines()
        .filter(|l| l.starts_with('m') && !l.contains("skipped"));
    assert!(predicted.count() >= 40, "{out}");
    assert!(!out.contains(" holdout"));
    assert!(!out.contains("fit engine="));
    let summary = out
        .lines()
        .find(|l| l.starts_with("summary metric=prefill_tps "))
        .unwrap();
    assert!(summary.contains(" n=5 "), "{summary}");
}

#[test]
fn plan_reads_a_scenario_and_rejects_a_bad_one() {
    let dir = std::env::temp_dir().join(format!("planner-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.json");
    let t = run(&["plan", "--template"]);
    std::fs::write(&good, &t.stdout).unwrap();
    let o = run(&["plan", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["options"].as_array().unwrap().len() >= 12);
    assert_eq!(v["verdict"].as_array().unwrap().len(), 4);
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"hours_per_day": 30, "models": ["nope"]}"#).unwrap();
    let o = run(&["plan", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("hours_per_day") && err.contains("models"),
        "{err}"
    );
    let o = run(&["catalog"]);
    assert!(stdout(&o).contains("gpus: a100-40gb-sxm"));
}

#[test]
fn estimate_under_load_closed_and_open_loop() {
    let base = [ESTIMATE_20B, &["--prompt", "1000", "--gen", "200"]].concat();
    let json = |extra: &[&str]| -> serde_json::Value {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let o = run(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let one = json(&["--concurrency", "1"]);
    let many = json(&["--concurrency", "64"]);
    let (u1, u64_) = (&one["under_load"], &many["under_load"]);
    assert_eq!(u1["arrivals"], "closed_loop");
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    // More clients: more throughput, each stream slower, a later first token.
    assert!(f(&u64_["output_tps"]["expected"]) > f(&u1["output_tps"]["expected"]) * 10.0);
    assert!(f(&u64_["tpot_ms"]["expected"]) > f(&u1["tpot_ms"]["expected"]));
    assert!(f(&u64_["ttft_ms"]["expected"]) > f(&u1["ttft_ms"]["expected"]));
    // The engine's default KV format for an MXFP4 checkpoint on vLLM is BF16.
    assert_eq!(one["kv_format"], "bf16");
    // An open loop below what 64 clients complete is served, with a 95th-percentile TTFT.
    let rate = f(&u64_["requests_per_s"]) / 2.0;
    let open = json(&["--arrival-rate", &format!("{rate}")]);
    let u = &open["under_load"];
    assert!((f(&u["requests_per_s"]) - rate).abs() < 1e-6 * rate, "{u}");
    assert!(f(&u["ttft_p95_ms"]["expected"]) >= f(&u["ttft_ms"]["expected"]));
    // Far past capacity it is overloaded: no figures, a note with the sustainable rate.
    let over = json(&["--arrival-rate", "100000"]);
    assert!(over["under_load"].is_null());
    let notes = over["notes"].to_string();
    assert!(
        notes.contains("overloaded") && notes.contains("requests/s"),
        "{notes}"
    );
}

#[test]
fn calibrate_writes_every_row_as_csv() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/calibration.csv");
    let o = run(&["calibrate", "--format", "csv", path]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("id,metric,measured,low,expected,high,limit,held_out,skipped")
    );
    let rows = std::fs::read_to_string(path).unwrap().lines().count() - 1;
    assert_eq!(out.lines().count() - 1, rows);
    // A predicted row carries its band around the expected value.
    let predicted = out
        .lines()
        .skip(1)
        .find(|l| l.starts_with("m003,"))
        .unwrap();
    let cells: Vec<&str> = predicted.split(',').collect();
    let (lo, ex, hi): (f64, f64, f64) = (
        cells[3].parse().unwrap(),
        cells[4].parse().unwrap(),
        cells[5].parse().unwrap(),
    );
    assert!(lo <= ex && ex <= hi, "{predicted}");
}

#[test]
fn a_scenario_file_with_a_misspelt_field_exits_2_naming_it() {
    let dir = std::env::temp_dir().join(format!("planner-cli-typo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("typo.json");
    std::fs::write(&file, r#"{"peak_userz": 5}"#).unwrap();
    let o = run(&["plan", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("peak_userz") && stderr(&o).contains("'peak_users'"),
        "{}",
        stderr(&o)
    );
    std::fs::write(&file, "[]").unwrap();
    let o = run(&["plan", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("body"), "{}", stderr(&o));
}
