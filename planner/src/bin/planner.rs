//! `planner`: the engine from the command line. Bad arguments exit with code 2 and a one-line
//! message naming the argument; nothing panics.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use planner::calibration;
use planner::estimate::{estimate_under_load, Arrivals, Setup, Workload};
use planner::{Catalog, PlannerError, Scenario};

#[derive(Parser)]
#[command(
    name = "planner",
    about = "Which open model, in which format, on which hardware, at what cost"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Memory, fit and speed of one configuration, as one JSON object.
    Estimate {
        #[arg(long)]
        model: String,
        #[arg(long)]
        quant: String,
        #[arg(long)]
        gpu: String,
        #[arg(long, default_value_t = 1)]
        gpus: i64,
        #[arg(long)]
        engine: Option<String>,
        /// Clients of a closed loop, each sending its next request when the last completes.
        #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
        concurrency: i64,
        /// Poisson arrivals, requests/s (an open loop) instead of a closed loop.
        #[arg(long, allow_negative_numbers = true)]
        arrival_rate: Option<f64>,
        #[arg(long, default_value_t = 512)]
        prompt: i64,
        #[arg(long, default_value_t = 128)]
        gen: i64,
        /// Tokens already in the KV cache before the prompt.
        #[arg(long, default_value_t = 0)]
        context: i64,
        /// KV-cache format; absent: the engine's default for the checkpoint's format.
        #[arg(long)]
        kv: Option<String>,
    },
    /// Compare predictions with measurements in a calibration CSV.
    Calibrate {
        file: String,
        /// Which rows to report: all, train (used to fit), holdout (never used to fit), or
        /// loo (every row, each predicted by factors fitted on all the other rows).
        #[arg(long, default_value = "all")]
        split: String,
        /// text (a line a row, then the summaries) or csv (every row with measured, low,
        /// expected and high).
        #[arg(long, default_value = "text")]
        format: String,
    },
    /// The full plan for a scenario JSON file (`planner plan --template` prints a starting one).
    Plan {
        file: Option<String>,
        /// Print the default scenario (the article's setting) as JSON and exit.
        #[arg(long)]
        template: bool,
        /// json (everything) or table (one line an option, then the verdict).
        #[arg(long, default_value = "json")]
        format: String,
    },
    /// Every id in the catalog.
    Catalog,
}

fn count(field: &str, v: i64, max: i64) -> Result<u32, PlannerError> {
    if v < 1 || v > max {
        return Err(PlannerError::invalid(
            field,
            format!("must be between 1 and {max} (got {v})"),
        ));
    }
    Ok(v as u32)
}

fn tokens(field: &str, v: i64, min: i64) -> Result<u32, PlannerError> {
    if v < min || v > 10_000_000 {
        return Err(PlannerError::invalid(
            field,
            format!("must be between {min} and 10000000 (got {v})"),
        ));
    }
    Ok(v as u32)
}

fn run(cli: Cli) -> Result<(), PlannerError> {
    let catalog = Catalog::builtin();
    match cli.command {
        Command::Estimate {
            model,
            quant,
            gpu,
            gpus,
            engine,
            concurrency,
            arrival_rate,
            prompt,
            gen,
            context,
            kv,
        } => {
            let arrivals = match arrival_rate {
                None => Arrivals::ClosedLoop,
                Some(r) if r.is_finite() && r > 0.0 && r <= 1e6 => {
                    Arrivals::OpenLoop { requests_per_s: r }
                }
                Some(r) => {
                    return Err(PlannerError::invalid(
                        "--arrival-rate",
                        format!(
                            "must be a number of requests/s above 0 and at most 1000000 (got {r})"
                        ),
                    ))
                }
            };
            let model = catalog.model(&model)?;
            let format = catalog.format(&quant)?;
            let gpu = catalog.gpu(&gpu)?;
            let engine = match engine {
                Some(e) => catalog.engine(&e)?,
                None => catalog.default_engine(format, gpu)?,
            };
            let setup = Setup {
                model,
                format,
                gpu,
                gpus: count("gpus", gpus, 64)?,
                engine,
                kv: catalog.kv_format(kv.as_deref().unwrap_or(engine.default_kv(format)))?,
            };
            let workload = Workload {
                concurrency: count("concurrency", concurrency, 100_000)?,
                prompt_tokens: tokens("prompt", prompt, 0)?,
                gen_tokens: tokens("gen", gen, 1)?,
                context_depth: tokens("context", context, 0)?,
                serving: true,
            };
            let e = estimate_under_load(&setup, &workload, arrivals, &catalog.fit)?;
            println!("{}", serde_json::to_string_pretty(&e).unwrap_or_default());
        }
        Command::Calibrate {
            file,
            split,
            format,
        } => {
            if !matches!(format.as_str(), "text" | "csv") {
                return Err(PlannerError::invalid("--format", "must be text or csv"));
            }
            if !matches!(split.as_str(), "all" | "train" | "holdout" | "loo") {
                return Err(PlannerError::invalid(
                    "--split",
                    "must be all, train, holdout or loo",
                ));
            }
            let text = std::fs::read_to_string(&file)
                .map_err(|e| PlannerError::invalid("FILE", format!("cannot read {file}: {e}")))?;
            let rows = calibration::parse_rows(&text)?;
            let loo = split == "loo";
            let evaluated = if loo {
                calibration::leave_one_out(catalog, &rows)
            } else {
                calibration::evaluate(catalog, &rows)
            };
            let results: Vec<_> = evaluated
                .into_iter()
                .filter(|r| match split.as_str() {
                    "train" => !r.held_out,
                    "holdout" => r.held_out,
                    _ => true,
                })
                .collect();
            if format == "csv" {
                print_csv(&results);
                return Ok(());
            }
            for r in &results {
                match (&r.skipped, r.predicted) {
                    (Some(why), _) => println!("{} {} skipped: {why}", r.id, r.metric.as_str()),
                    (None, Some(p)) => println!(
                        "{} {} {:.2} {:.2} {:.3}{}{}",
                        r.id,
                        r.metric.as_str(),
                        r.measured,
                        p,
                        r.measured / p,
                        if r.held_out && !loo { " holdout" } else { "" },
                        if r.above_ceiling() {
                            " ABOVE-CEILING"
                        } else {
                            ""
                        }
                    ),
                    _ => {}
                }
            }
            // Leave-one-out refits the factors for every row: the catalog's are not the ones used.
            if !loo {
                for e in catalog.fit.engines.iter().chain(&catalog.fit.cells) {
                    let vendor = e
                        .vendor
                        .as_ref()
                        .map_or(String::new(), |v| format!(" vendor={v}"));
                    let legacy = e
                        .legacy
                        .as_ref()
                        .map_or(String::new(), |l| format!(" legacy={l}"));
                    let c = &e.fit.eta_compute;
                    let from = &e.compute_from;
                    println!(
                        "fit engine={}{vendor}{legacy} eta_bandwidth={:.2} overhead_ms_per_32_layers={:.2} eta_compute_dense={:.3} eta_compute_moe={:.3} eta_compute_dense_dequant={:.3} eta_compute_moe_dequant={:.3} request_overhead_ms={:.0} decode_from=\"{}\" compute_from=\"{}\"/\"{}\"/\"{}\"/\"{}\" request_from=\"{}\"",
                        e.engine,
                        e.fit.eta_bandwidth,
                        e.fit.step_overhead_s * 1000.0,
                        c.dense,
                        c.moe,
                        c.dense_dequant,
                        c.moe_dequant,
                        e.fit.request_overhead_s * 1000.0,
                        e.decode_from,
                        from.dense,
                        from.moe,
                        from.dense_dequant,
                        from.moe_dequant,
                        e.request_from
                    );
                }
                let bands = (catalog.fit.bands.iter().map(|b| (b, "current")))
                    .chain(catalog.fit.legacy_bands.iter().map(|b| (b, "legacy")));
                for (b, generation) in bands {
                    println!(
                        "band metric={} regime={} generation={generation} low_factor={:.3} high_factor={:.3} rows={}",
                        b.metric.as_str(),
                        b.regime.as_str(),
                        b.low,
                        b.high,
                        b.rows
                    );
                }
            }
            for s in calibration::summarize(&results) {
                println!("{s}");
            }
        }
        Command::Plan {
            file,
            template,
            format,
        } => {
            if template {
                println!("{}", to_json(&Scenario::default()));
                return Ok(());
            }
            if !matches!(format.as_str(), "json" | "table") {
                return Err(PlannerError::invalid("--format", "must be json or table"));
            }
            let file = file
                .ok_or_else(|| PlannerError::invalid("FILE", "a scenario JSON file is required"))?;
            let text = std::fs::read_to_string(&file)
                .map_err(|e| PlannerError::invalid("FILE", format!("cannot read {file}: {e}")))?;
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| PlannerError::invalid("FILE", format!("not JSON: {e}")))?;
            if let Err(errors) = planner::scenario_json::check_keys(&value, &[]) {
                for e in &errors[1..] {
                    eprintln!("error: {e}");
                }
                return Err(errors[0].clone());
            }
            let scenario: Scenario = serde_json::from_value(value)
                .map_err(|e| PlannerError::invalid("FILE", format!("not a scenario: {e}")))?;
            let errors = scenario.validate(catalog);
            if let Some(first) = errors.first() {
                for e in &errors[1..] {
                    eprintln!("error: {e}");
                }
                return Err(first.clone());
            }
            let plan = planner::plan(catalog, &scenario)?;
            if format == "json" {
                println!("{}", to_json(&plan));
            } else {
                print_table(&plan);
            }
        }
        Command::Catalog => {
            let list = |name: &str, ids: Vec<&str>| println!("{name}: {}", ids.join(", "));
            list(
                "models",
                catalog.models.iter().map(|m| m.id.as_str()).collect(),
            );
            list(
                "quants",
                catalog.formats.iter().map(|f| f.id.as_str()).collect(),
            );
            list(
                "kv_formats",
                catalog.kv_formats.iter().map(|f| f.id.as_str()).collect(),
            );
            list("gpus", catalog.gpus.iter().map(|g| g.id.as_str()).collect());
            list(
                "engines",
                catalog.engines.iter().map(|e| e.id.as_str()).collect(),
            );
            println!("catalog_snapshot: {}", catalog.snapshot_id);
        }
    }
    Ok(())
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn print_table(plan: &planner::Plan) {
    let usd = |v: Option<f64>| v.map_or("-".to_string(), planner::money::usd);
    println!(
        "{:<5} {:<13} {:<6} {:<18} {:<10} {:<5} {:>9} {:>9} {:>10} {:>10} {:>9}  limit",
        "rank",
        "model",
        "quant",
        "hardware",
        "engine",
        "fits",
        "replicas",
        "tok/s",
        "cloud/mo",
        "local 1x",
        "$/M out"
    );
    for o in &plan.options {
        println!(
            "{:<5} {:<13} {:<6} {:<18} {:<10} {:<5} {:>9} {:>9} {:>10} {:>10} {:>9}  {}",
            o.rank.map_or("-".into(), |r| r.to_string()),
            o.model,
            o.quant,
            format!("{}x {}", o.gpus_per_replica, o.gpu),
            o.engine,
            o.fits,
            o.replicas,
            o.decode_tps_stream
                .map_or("-".into(), |b| format!("{:.0}", b.expected)),
            usd(o.cloud.as_ref().map(|c| c.monthly_usage_usd)),
            usd(o.local.as_ref().map(|l| l.one_time_usd)),
            o.usd_per_m_output()
                .map_or("-".into(), |v| format!("{v:.2}")),
            o.limit.describe()
        );
    }
    for a in &plan.api {
        println!(
            "api {} {} ${:.0}/month (${:.3}/M output, {})",
            a.model, a.provider, a.monthly_usd, a.usd_per_m_output_tokens, a.price_date
        );
    }
    for v in &plan.verdict {
        println!(
            "verdict {}: {} — {}",
            v.category,
            v.winner.as_deref().unwrap_or("no data"),
            v.reason
        );
    }
    for k in &plan.skipped {
        println!("skipped {}: {}", k.what, k.reason);
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if e.use_stderr() => {
            // One line naming the argument, not clap's multi-line usage block.
            let text = e.to_string();
            eprintln!("{}", text.lines().next().unwrap_or("error: bad arguments"));
            return ExitCode::from(2);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Every evaluated row as CSV: measured, the band's low, expected and high, the physical limit
/// (a ceiling for a speed, a floor for a time), and why a row was skipped.
fn print_csv(results: &[calibration::RowResult]) {
    println!("id,metric,measured,low,expected,high,limit,held_out,skipped");
    let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.4}"));
    for r in results {
        let skipped = r.skipped.as_deref().unwrap_or("").replace('"', "'");
        println!(
            "{},{},{},{},{},{},{},{},\"{skipped}\"",
            r.id,
            r.metric.as_str(),
            r.measured,
            num(r.low),
            num(r.predicted),
            num(r.high),
            num(r.ceiling),
            r.held_out
        );
    }
}
