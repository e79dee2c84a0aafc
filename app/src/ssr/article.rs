//! The article's claims beside what the planner computes for the same setup and the sourced
//! fact (facts from shared/reference/seed-claims.md, compiled 2026-11-27, copied here).

use planner::estimate::{estimate, Setup, Workload};
use planner::scenario::{GpuChoice, Scenario};
use planner::Catalog;

use crate::views::ClaimView;

/// The setup of a claim's configuration, with the engine that suits it.
fn setup<'a>(
    c: &'a Catalog,
    model: &str,
    quant: &str,
    gpu: &str,
    gpus: u32,
) -> Result<Setup<'a>, String> {
    let m = c.model(model).map_err(|e| e.to_string())?;
    let f = c.format(quant).map_err(|e| e.to_string())?;
    let g = c.gpu(gpu).map_err(|e| e.to_string())?;
    let kv = c.kv_format("bf16").map_err(|e| e.to_string())?;
    let engine = c.default_engine(f, g).map_err(|e| e.to_string())?;
    Ok(Setup {
        model: m,
        format: f,
        gpu: g,
        gpus,
        engine,
        kv,
    })
}

fn decode(c: &Catalog, model: &str, gpu: &str, gpus: u32, quant: &str) -> String {
    let s = match setup(c, model, quant, gpu, gpus) {
        Ok(s) => s,
        Err(e) => return format!("{model}: {e}"),
    };
    match estimate(&s, &Workload::default(), &c.fit) {
        Ok(e) => match e.decode_tps_stream {
            Some(b) => format!(
                "{model}: {:.0} tok/s ({:.0}-{:.0}, {}), fits {:.1} of {:.1} GB",
                b.expected, b.low, b.high, s.engine.id, e.memory_gb.total, e.memory_gb.available
            ),
            None => format!(
                "{model}: does not fit ({:.1} GB needed, {:.1} GB usable)",
                e.memory_gb.total, e.memory_gb.available
            ),
        },
        Err(e) => format!("{model}: {e}"),
    }
}

fn fits(c: &Catalog, model: &str, quant: &str, gpu: &str, gpus: u32) -> String {
    let label = format!("{model} {quant} on {gpus}x {gpu}");
    let result = setup(c, model, quant, gpu, gpus)
        .and_then(|s| estimate(&s, &Workload::default(), &c.fit).map_err(|e| e.to_string()));
    match result {
        Ok(e) => format!(
            "{label}: {} ({:.1} of {:.1} GB)",
            if e.fits { "fits" } else { "does not fit" },
            e.memory_gb.total,
            e.memory_gb.available
        ),
        Err(e) => format!("{label}: {e}"),
    }
}

fn monthly(c: &Catalog, model: &str, gpu: &str, count: u32) -> String {
    let s = Scenario {
        models: vec![model.into()],
        quants: vec!["mxfp4".into()],
        gpus: vec![GpuChoice {
            id: gpu.into(),
            count,
        }],
        peak_users: 1,
        ..Scenario::default()
    };
    match planner::plan(c, &s) {
        Ok(p) => p.options.first().and_then(|o| o.cloud).map_or(
            "no cloud offer rents that shape".into(),
            |cl| {
                format!(
                    "{count}x {gpu} at 8 h/day: ${:.0}/month ({} {}, {}), always-on ${:.0}",
                    cl.monthly_usage_usd,
                    cl.rented.provider,
                    cl.rented.offer,
                    cl.rented.price_date,
                    cl.monthly_always_on_usd
                )
            },
        ),
        Err(e) => e.to_string(),
    }
}

pub fn claims(c: &Catalog) -> Vec<ClaimView> {
    let m = |id: &str| c.model(id).ok();
    let params = |id: &str| {
        m(id).map_or("n/a".into(), |m| {
            format!(
                "{id}: {:.2}B total, {:.2}B active (derived from config.json)",
                m.tensor_groups().total() / 1e9,
                m.active_params() / 1e9
            )
        })
    };
    let weights_bf16 = |id: &str| {
        m(id).map_or("n/a".into(), |m| {
            format!(
                "{id}: {:.1} GB as a BF16 upcast",
                m.tensor_groups().total() * 2.0 / 1e9
            )
        })
    };
    let row = |number, claim: &str, verdict: &str, planner: String, fact: &str| ClaimView {
        number,
        claim: claim.into(),
        verdict: verdict.into(),
        planner,
        fact: fact.into(),
    };
    vec![
        row(1, "120B: 120B params, ~2T training tokens, 2025", "Params roughly right, token count unsupported", params("gpt-oss-120b"), "116.83B total, 5.13B active; training tokens not disclosed; released 2025-08-05 (OpenAI model card)."),
        row(2, "20B: 20B params, ~800B tokens, 2024", "Year wrong; token count unsupported", params("gpt-oss-20b"), "20.91B total, 3.61B active; released 2025-08-05, the same day as 120b (model card)."),
        row(3, "MMLU 57% (20B) vs 72% (120B)", "Wrong", m("gpt-oss-120b").zip(m("gpt-oss-20b")).map_or("n/a".into(), |(a, b)| format!("catalog: 120b MMLU {}, 20b MMLU {}", a.quality_score("MMLU").map_or(0.0, |q| q.score), b.quality_score("MMLU").map_or(0.0, |q| q.score))), "Model card: MMLU 85.3 (20b) and 90.0 (120b), high reasoning."),
        row(4, "HellaSwag 78/86, GSM8K 56/74", "Not found in any source", "not in the catalog: no source reports these".into(), "OpenAI reports neither benchmark for gpt-oss."),
        row(5, "Tokens/s on one A100: ~40 (20B) vs ~7 (120B)", "Wrong by about 10x", format!("{}; {}", decode(c, "gpt-oss-20b", "a100-80gb-sxm", 1, "mxfp4"), decode(c, "gpt-oss-120b", "a100-80gb-sxm", 1, "mxfp4")), "120b on 1x A100 80GB: 88-90 tok/s single stream with vLLM (vllm issue 22331); 2,276 tok/s aggregate (gpustack)."),
        row(6, "First-token latency ~1.5 s (20B) vs ~4.5 s (120B)", "Not a model property", "TTFT depends on prompt length and load: see the planner page's TTFT column for your prompt".into(), "Idle TTFT is prefill time: a 2K prompt on DGX Spark takes about 1.1 s for 120b; under load queueing dominates."),
        row(7, "Memory (FP16): ~40 GB (20B) vs ~180 GB (120B)", "20B right for an upcast; 120B wrong", format!("{}; {}", weights_bf16("gpt-oss-20b"), weights_bf16("gpt-oss-120b")), "Released MXFP4 checkpoints: 12.8 GiB and 60.8 GiB; BF16 upcasts 41.8 and 233.7 GB."),
        row(8, "20B runs on single A100 or dual 3090; 120B needs multiple A100s", "Second half wrong", format!("{}; {}", fits(c, "gpt-oss-120b", "mxfp4", "a100-80gb-sxm", 1), fits(c, "gpt-oss-120b", "mxfp4", "rtx-3090", 2)), "MXFP4 lets 120b fit a single 80 GB GPU and 20b run within 16 GB (model card sec 2.1)."),
        row(9, "120B 4-bit 'not stable'", "Wrong", "mxfp4 is 120b's release format; the planner treats it as the baseline".into(), "OpenAI post-trained with MXFP4 experts and evaluated that checkpoint."),
        row(10, "Context up to 32k (20B) vs 64k (120B)", "Wrong", m("gpt-oss-120b").zip(m("gpt-oss-20b")).map_or("n/a".into(), |(a, b)| format!("catalog: {} and {} tokens", b.max_context, a.max_context)), "Both 131,072 tokens (config.json)."),
        row(11, "4x A100 cluster about $8,000+/month at 8 h/day", "Too high; and 120b does not need 4 A100s", monthly(c, "gpt-oss-120b", "a100-80gb-sxm", 4), "960 GPU-h/month: $1,334 (RunPod) to $4,896 (GCP); one A100 80GB is enough for 120b."),
        row(12, "Single A100 about $2,000/month at 8 h/day", "Too high (about 2-7x)", monthly(c, "gpt-oss-20b", "a100-80gb-sxm", 1), "240 GPU-h/month: $286-430 (RunPod) to $1,224 (GCP)."),
        row(13, "Dual 3090 local about $4,000 one-time", "Plausible for a whole build", fits(c, "gpt-oss-20b", "mxfp4", "rtx-3090", 2), "Used 3090s $500-1,000 each; complete dual-3090 builds $3,570-3,910 (May 2026)."),
    ]
}
