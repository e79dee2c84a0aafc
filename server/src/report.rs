//! Reports of a plan — CSV, versioned JSON, Markdown and a print-ready HTML page — for a saved
//! scenario or for the unsaved one a query string describes.

use planner::plan::{Plan, PlanOption};
use planner::scenario::Scenario;
use serde::Serialize;

use crate::error::escape;

/// Version of the JSON report's shape.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// Who the report is about: a saved scenario or the current, unsaved one.
pub struct Subject<'a> {
    pub id: Option<&'a str>,
    pub name: &'a str,
    pub generated_at: &'a str,
}

/// A spreadsheet must never read a cell as a formula: a cell that starts with `=`, `+`, `-`, `@`,
/// tab or CR gets a leading apostrophe (OWASP CSV injection guidance).
pub fn neutralize(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| format!("{v:.4}"))
}

pub fn csv(subject: &Subject, plan: &Plan) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "scenario",
        "option",
        "model",
        "quant",
        "gpu",
        "gpus_per_replica",
        "engine",
        "fits",
        "meets_targets",
        "rank",
        "replicas",
        "users_per_replica",
        "decode_tps_low",
        "decode_tps_expected",
        "decode_tps_high",
        "ttft_ms_expected",
        "memory_total_gb",
        "memory_available_gb",
        "cloud_provider",
        "cloud_offer",
        "cloud_instances",
        "cloud_usd_per_instance_hour",
        "cloud_monthly_usage_usd",
        "cloud_monthly_always_on_usd",
        "cloud_price_date",
        "cloud_price_source",
        "local_one_time_usd",
        "local_monthly_power_usd",
        "local_monthly_amortized_usd",
        "break_even_month",
        "usd_per_m_output_cloud",
        "usd_per_m_output_local",
        "bottom_line",
    ];
    w.write_record(header).map_err(|e| e.to_string())?;
    let b = &plan.bottom_line;
    let chosen = |key: &str| -> String {
        let routes: Vec<&str> = [&b.rent, &b.buy]
            .into_iter()
            .flatten()
            .filter(|a| a.key.as_deref() == Some(key))
            .map(|a| a.route.as_str())
            .collect();
        routes.join(" ")
    };
    for o in &plan.options {
        let c = o.cloud.as_ref();
        let l = o.local.as_ref();
        let d = o.decode_tps_stream;
        let row = vec![
            subject.name.to_string(),
            o.key(),
            o.model.to_string(),
            o.quant.to_string(),
            o.gpu.to_string(),
            o.gpus_per_replica.to_string(),
            o.engine.to_string(),
            o.fits.to_string(),
            o.meets_targets.to_string(),
            o.rank.map_or(String::new(), |r| r.to_string()),
            o.replicas.to_string(),
            o.users_per_replica.to_string(),
            num(d.map(|b| b.low)),
            num(d.map(|b| b.expected)),
            num(d.map(|b| b.high)),
            num(o.ttft_ms.map(|b| b.expected)),
            num(Some(o.memory_gb.total)),
            num(Some(o.memory_gb.available)),
            c.map_or(String::new(), |c| c.rented.provider.to_string()),
            c.map_or(String::new(), |c| c.rented.offer.to_string()),
            c.map_or(String::new(), |c| c.instances.to_string()),
            num(c.map(|c| c.rented.usd_per_instance_hour)),
            num(c.map(|c| c.monthly_usage_usd)),
            num(c.map(|c| c.monthly_always_on_usd)),
            c.map_or(String::new(), |c| c.rented.price_date.to_string()),
            c.map_or(String::new(), |c| c.rented.source.to_string()),
            num(l.map(|l| l.one_time_usd)),
            num(l.and_then(|l| l.monthly_power_usd)),
            num(l.and_then(|l| l.monthly_amortized_usd)),
            num(l.and_then(|l| l.break_even_month)),
            num(o.cloud_usd_per_m_output),
            num(o.local_usd_per_m_output),
            chosen(&o.key()),
        ];
        w.write_record(row.iter().map(|c| neutralize(c)))
            .map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

#[derive(Serialize)]
struct JsonOption {
    key: String,
    #[serde(flatten)]
    option: PlanOption,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    generated_at: &'a str,
    currency: &'static str,
    id: Option<&'a str>,
    name: &'a str,
    inputs: &'a Scenario,
    catalog_snapshot_id: &'a str,
    monthly_output_tokens: f64,
    monthly_input_tokens: f64,
    verdict: &'a [planner::plan::Verdict],
    bottom_line: &'a planner::plan::bottom_line::BottomLine,
    #[serde(skip_serializing_if = "Option::is_none")]
    split: &'a Option<planner::plan::split::SplitPlan>,
    options: Vec<JsonOption>,
    api: &'a [planner::money::ApiCost],
}

pub fn json(subject: &Subject, plan: &Plan) -> Result<String, String> {
    let report = JsonReport {
        schema_version: REPORT_SCHEMA_VERSION,
        generated_at: subject.generated_at,
        currency: "USD",
        id: subject.id,
        name: subject.name,
        inputs: &plan.scenario,
        catalog_snapshot_id: &plan.catalog_snapshot,
        monthly_output_tokens: plan.monthly_output_tokens,
        monthly_input_tokens: plan.monthly_input_tokens,
        verdict: &plan.verdict,
        bottom_line: &plan.bottom_line,
        split: &plan.split,
        options: plan
            .options
            .iter()
            .map(|o| JsonOption {
                key: o.key(),
                option: o,
            })
            .collect(),
        api: &plan.api,
    };
    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
}

fn usd(v: Option<f64>) -> String {
    v.map_or("—".into(), planner::money::usd)
}

/// Text in Markdown: pipes and line breaks would break a table, and Markdown passes raw HTML
/// through to whatever renders it (a name of `<img onerror=…>` would run there), so markup
/// characters become entities, which every renderer shows as the characters.
fn md(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

fn inputs(s: &Scenario) -> Vec<(String, String)> {
    let gpus: Vec<String> = s
        .gpus
        .iter()
        .map(|g| format!("{}:{}", g.id, g.count))
        .collect();
    vec![
        (
            "Usage".into(),
            format!("{} h/day, {} days/month", s.hours_per_day, s.days_per_month),
        ),
        ("Peak".into(), planner::demand::peak_text(s)),
        ("Volume".into(), planner::demand::volume_text(s)),
        (
            "Speed per user".into(),
            format!("{} tokens/s", s.tokens_per_s_per_user),
        ),
        (
            "Prompt / output".into(),
            format!("{} / {} tokens", s.prompt_tokens, s.output_tokens),
        ),
        ("TTFT target".into(), format!("{} ms", s.ttft_ms)),
        ("Models".into(), s.models.join(", ")),
        ("Formats".into(), s.quants.join(", ")),
        ("GPU options".into(), gpus.join(", ")),
        ("Engine".into(), s.engine.clone()),
        ("Cloud price basis".into(), s.price_basis.clone()),
        (
            "Electricity".into(),
            format!("${}/kWh, PUE {}", s.kwh_price, s.pue),
        ),
        (
            "Host cost / amortization".into(),
            format!(
                "${} per local replica, {} months",
                s.host_cost_usd, s.amortization_months
            ),
        ),
    ]
}

pub fn markdown(subject: &Subject, plan: &Plan) -> String {
    let mut out = format!(
        "# {}\n\nGenerated {} · catalog snapshot `{}` · currency USD\n\n## Inputs\n\n",
        md(subject.name),
        subject.generated_at,
        plan.catalog_snapshot
    );
    for (k, v) in inputs(&plan.scenario) {
        out.push_str(&format!("- **{k}**: {}\n", md(&v)));
    }
    out.push_str(&markdown_bottom_line(plan));
    out.push_str("\n## Verdict\n\n| Category | Winner | Why |\n|---|---|---|\n");
    for v in &plan.verdict {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            md(&v.category),
            md(v.winner.as_deref().unwrap_or("no data")),
            md(&v.reason)
        ));
    }
    out.push_str("\n## Options\n\n| # | Model | Format | Hardware | Engine | Fits | Replicas | Decode tok/s | Cloud $/month | Local one-time | $/M output |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for o in &plan.options {
        out.push_str(&format!(
            "| {} | {} | {} | {}x {} | {} | {} | {} | {} | {} | {} | {} |\n",
            o.rank.map_or("—".into(), |r| r.to_string()),
            md(&o.model),
            md(&o.quant),
            o.gpus_per_replica,
            md(&o.gpu_name),
            md(&o.engine),
            if o.fits { "yes" } else { "no" },
            o.replicas,
            o.decode_tps_stream.map_or("—".into(), |b| format!(
                "{:.0} ({:.0}–{:.0})",
                b.expected, b.low, b.high
            )),
            usd(o.cloud.as_ref().map(|c| c.monthly_usage_usd)),
            usd(o.local.as_ref().map(|l| l.one_time_usd)),
            usd(o.usd_per_m_output()),
        ));
    }
    out.push_str("\n## Hosted APIs for the same tokens\n\n| Model | Provider | $/month | Price date |\n|---|---|---|---|\n");
    for a in &plan.api {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            md(&a.model),
            md(&a.provider),
            usd(Some(a.monthly_usd)),
            md(&a.price_date)
        ));
    }
    out
}

/// The bottom line in Markdown, with the page's own wording of every figure.
fn markdown_bottom_line(plan: &Plan) -> String {
    let v = app::ssr::bottom_line::bottom_line_view(plan);
    let mut out = format!("\n## The bottom line\n\n{}\n\n", md(&v.summary));
    out.push_str("| Route | Answer | Hardware | Figures |\n|---|---|---|---|\n");
    for r in &v.routes {
        let figures: Vec<String> = (r.figures.iter())
            .map(|(k, v)| format!("{}: {}", md(k), md(v)))
            .collect();
        out.push_str(&format!(
            "| {}{} | {} | {} | {} |\n",
            md(&r.title),
            if r.best { " (the answer)" } else { "" },
            md(r.why_not.as_deref().unwrap_or(&r.answer)),
            md(&r.hardware),
            figures.join("; ")
        ));
    }
    if let Some(s) = &v.split {
        out.push_str("\n### Traffic split\n\n");
        for line in s
            .parts
            .iter()
            .chain([&s.total])
            .chain(&s.pure)
            .chain(&s.floor)
        {
            out.push_str(&format!("- {}\n", md(line)));
        }
    }
    out.push_str(&format!("\n{}\n", md(&v.method)));
    out
}

/// The bottom line as print HTML, with the page's own wording of every figure.
fn print_bottom_line(plan: &Plan) -> String {
    let e = escape;
    let v = app::ssr::bottom_line::bottom_line_view(plan);
    let rows: String = (v.routes.iter())
        .map(|r| {
            let figures: Vec<String> = (r.figures.iter())
                .map(|(k, v)| format!("{}: {}", e(k), e(v)))
                .collect();
            format!(
                "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                e(&r.title),
                if r.best {
                    " <strong>(the answer)</strong>"
                } else {
                    ""
                },
                e(r.why_not.as_deref().unwrap_or(&r.answer)),
                e(&r.hardware),
                figures.join("<br>")
            )
        })
        .collect();
    let split = v.split.as_ref().map_or(String::new(), |s| {
        let items: String = (s
            .parts
            .iter()
            .chain([&s.total])
            .chain(&s.pure)
            .chain(&s.floor))
        .map(|l| format!("<li>{}</li>", e(l)))
        .collect();
        format!("<h3>Traffic split</h3><ul>{items}</ul>")
    });
    format!(
        "<p>{}</p><table><thead><tr><th>Route</th><th>Answer</th><th>Hardware</th><th>Figures</th></tr></thead><tbody>{rows}</tbody></table>{split}<p>{}</p>",
        e(&v.summary),
        e(&v.method)
    )
}

/// A print-ready HTML report: A4 and Letter both fit (12 mm margins, no fixed page size).
pub fn print_html(subject: &Subject, plan: &Plan) -> String {
    let e = escape;
    let mut rows = String::new();
    for o in plan.options.iter().filter(|o| o.fits) {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{} <code>{}</code></td><td>{}x {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            o.rank.map_or("—".into(), |r| r.to_string()),
            e(&o.model), e(&o.quant), o.gpus_per_replica, e(&o.gpu_name), e(&o.engine),
            o.decode_tps_stream.map_or("—".into(), |b| format!("{:.0} ({:.0}–{:.0})", b.expected, b.low, b.high)),
            e(&usd(o.cloud.as_ref().map(|c| c.monthly_usage_usd))),
            e(&usd(o.local.as_ref().map(|l| l.one_time_usd))),
            e(&usd(o.usd_per_m_output())),
        ));
    }
    let inputs: String = inputs(&plan.scenario)
        .iter()
        .map(|(k, v)| format!("<dt>{}</dt><dd>{}</dd>", e(k), e(v)))
        .collect();
    let verdict: String = plan
        .verdict
        .iter()
        .map(|v| {
            format!(
                "<li><strong>{}</strong>: {} — {}</li>",
                e(&v.category),
                e(v.winner.as_deref().unwrap_or("no data")),
                e(&v.reason)
            )
        })
        .collect();
    let cost = app::ssr::charts::cost_vs_hours(plan);
    let memory = app::ssr::charts::memory_breakdown(&app::ssr::charts::memory_chart_options(plan));
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{name} — LLM deployment report</title>
<style>
@page {{ margin: 12mm; }}
body {{ font-family: system-ui, sans-serif; font-size: 10.5pt; color: #111; max-width: 190mm; margin: 0 auto; }}
h1 {{ font-size: 16pt; }} h2 {{ font-size: 12pt; margin-top: 1.2em; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9pt; }}
th, td {{ border-bottom: 1px solid #ccc; padding: 2pt 4pt; text-align: left; }}
dl {{ display: grid; grid-template-columns: max-content 1fr; gap: 2pt 10pt; }} dd {{ margin: 0; }}
svg {{ max-width: 100%; height: auto; }} figure {{ break-inside: avoid; margin: 0 0 8pt; }}
tr {{ break-inside: avoid; }}
</style></head><body>
<h1>{name}</h1>
<p>Generated {generated} · catalog snapshot <code>{snapshot}</code> · all prices USD with their source dates in the CSV/JSON exports.</p>
<h2>Inputs</h2><dl>{inputs}</dl>
<h2>The bottom line</h2>{bottom_line}
<h2>Verdict</h2><ul>{verdict}</ul>
<h2>Charts</h2><figure>{cost}</figure><figure>{memory}</figure>
<h2>Options that fit</h2>
<table><thead><tr><th>#</th><th>Model / format</th><th>Hardware</th><th>Engine</th><th>Decode tok/s per user</th><th>Cloud / month</th><th>Local one-time</th><th>$ / M output</th></tr></thead><tbody>{rows}</tbody></table>
</body></html>"#,
        name = e(subject.name),
        generated = e(subject.generated_at),
        snapshot = e(&plan.catalog_snapshot),
        bottom_line = print_bottom_line(plan),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralized() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralize(bad).starts_with('\''), "{bad}");
        }
        assert_eq!(neutralize("gpt-oss-20b"), "gpt-oss-20b");
        assert_eq!(neutralize(""), "");
    }
}
