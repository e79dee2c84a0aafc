//! Server-rendered SVG charts, drawn with plotters: monthly cost against usage hours (cloud,
//! local, API — where lines cross is the break-even) and the memory breakdown of options.

use plotters::prelude::*;

use planner::money::HOURS_PER_MONTH;
use planner::plan::{Plan, PlanOption};

/// A colour of the page's charts (`#rrggbb`) as plotters draws it.
fn rgb(hex: &str) -> RGBColor {
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    RGBColor(byte(1), byte(3), byte(5))
}

/// The page's palette, option `i`'s colour.
fn palette(i: usize) -> RGBColor {
    rgb(crate::chart_axes::colour(i))
}

/// The legend box both charts draw, at a corner the data leaves free.
fn legend<'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, CT>,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(|e| e.to_string())
}

/// A line of the cost chart: label and monthly cost at hours/day 1..=24, drawn dashed (buy)
/// or solid (rent, API) in its option's colour (`None`: the API's own).
struct Line {
    label: String,
    points: Vec<(f64, f64)>,
    dashed: bool,
    option: Option<usize>,
}

/// The cost chart as the page draws it: each line's monthly cost at hours 1..=24, how it is
/// drawn, and the scenario's hours.
pub fn cost_chart(plan: &Plan) -> crate::views::CostChartView {
    crate::views::CostChartView {
        hours_now: plan.scenario.hours_per_day,
        lines: (cost_lines(plan).into_iter())
            .map(|l| crate::views::CostLineView {
                by_hour: l.points.iter().map(|p| p.1).collect(),
                dashed: l.dashed,
                colour: l.option,
                label: l.label,
            })
            .collect(),
    }
}

/// Whether two lines cost the same at every hour (within half a percent): the second adds
/// nothing to the chart but a legend entry hiding under the first.
fn same_costs(a: &Line, b: &Line) -> bool {
    a.points
        .iter()
        .zip(&b.points)
        .all(|(p, q)| (p.1 - q.1).abs() <= 0.005 * p.1.abs().max(q.1.abs()).max(1.0))
}

/// An option as the charts name it: model, format and hardware.
pub fn option_label(o: &PlanOption) -> String {
    format!(
        "{} {} on {}x {}",
        o.model, o.quant, o.gpus_per_replica, o.gpu_name
    )
}

fn cost_lines(plan: &Plan) -> Vec<Line> {
    let s = &plan.scenario;
    let days = s.days_per_month;
    let mut lines = Vec::new();
    for (i, o) in plan.options.ranked().take(3).enumerate() {
        let name = option_label(&o);
        if let Some(c) = &o.cloud {
            let hourly = c.instances as f64 * c.rented.usd_per_instance_hour;
            lines.push(Line {
                label: format!("cloud: {name} ({})", c.rented.provider),
                points: (1..=24)
                    .map(|h| (h as f64, hourly * h as f64 * days))
                    .collect(),
                dashed: false,
                option: Some(i),
            });
        }
        if let Some(l) = &o.local {
            if let (Some(w), Some(_)) = (l.watts, l.monthly_power_usd) {
                let n = (o.gpus_per_replica * o.replicas.max(1)) as f64;
                let per_month = l.one_time_usd / s.amortization_months as f64;
                lines.push(Line {
                    label: format!("local: {name} (amortized {} mo)", s.amortization_months),
                    points: (1..=24)
                        .map(|h| {
                            let busy = w * h as f64 * days / 1000.0;
                            let idle = s.idle_watts_per_gpu
                                * n
                                * (HOURS_PER_MONTH - h as f64 * days).max(0.0)
                                / 1000.0;
                            (h as f64, per_month + (busy + idle) * s.pue * s.kwh_price)
                        })
                        .collect(),
                    dashed: true,
                    option: Some(i),
                });
            }
        }
    }
    // The cheapest hosted API for the same tokens: tokens scale with usage hours.
    if let Some(a) = plan.api.first() {
        let per_hour = a.monthly_usd / (s.hours_per_day * days).max(f64::MIN_POSITIVE);
        lines.push(Line {
            label: format!("API: {} via {}", a.model, a.provider),
            points: (1..=24)
                .map(|h| (h as f64, per_hour * h as f64 * days))
                .collect(),
            dashed: false,
            option: None,
        });
    }
    let mut kept: Vec<Line> = Vec::new();
    for line in lines {
        if !kept.iter().any(|k| same_costs(k, &line)) {
            kept.push(line);
        }
    }
    kept
}

fn svg_error(what: &str) -> String {
    format!("<p class=\"chart-error\">{what} chart unavailable</p>")
}

/// Monthly cost against usage hours per day for the leading options and the cheapest API.
pub fn cost_vs_hours(plan: &Plan) -> String {
    let lines = cost_lines(plan);
    if lines.is_empty() {
        return String::new();
    }
    // Headroom above the highest line for the legend (a row a line), so it covers no data.
    let ymax = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(1.0f64, f64::max)
        * (1.1 + 0.075 * lines.len() as f64);
    let mut svg = String::new();
    let drawn = (|| -> Result<(), String> {
        let root = SVGBackend::with_string(&mut svg, (760, 380)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Monthly cost vs usage hours per day", ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(1f64..24f64, 0f64..ymax)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("usage hours per day")
            .y_desc("USD per month")
            .y_label_formatter(&|v| format!("${v:.0}"))
            .draw()
            .map_err(|e| e.to_string())?;
        let now = plan.scenario.hours_per_day;
        chart
            .draw_series(LineSeries::new(
                vec![(now, 0.0), (now, ymax)],
                BLACK.mix(0.55).stroke_width(2),
            ))
            .map_err(|e| e.to_string())?
            .label(format!("your {now} h a day"))
            .legend(|(x, y)| {
                PathElement::new(
                    vec![(x + 9, y - 6), (x + 9, y + 6)],
                    BLACK.mix(0.55).stroke_width(2),
                )
            });
        for line in &lines {
            let color = line
                .option
                .map_or(rgb(crate::chart_axes::API_COLOUR), palette);
            let style = color.stroke_width(2);
            let series = if line.dashed {
                chart.draw_series(DashedLineSeries::new(line.points.clone(), 8, 5, style))
            } else {
                chart.draw_series(LineSeries::new(line.points.clone(), style))
            }
            .map_err(|e| e.to_string())?;
            let dashed = line.dashed;
            series.label(line.label.clone()).legend(move |(x, y)| {
                let dash = if dashed { 7 } else { 18 };
                PathElement::new(vec![(x, y), (x + dash, y)], color.stroke_width(3))
            });
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        root.present().map_err(|e| e.to_string())?;
        Ok(())
    })();
    match drawn {
        Ok(()) => svg,
        Err(_) => svg_error("cost"),
    }
}

/// Options the memory chart draws at most.
const MEMORY_BARS: usize = 8;

/// The options the memory chart shows: those that fit, best ranked first (ranked options all
/// fit), then the unranked in plan order, then those that do not fit (what they lack is the
/// point of the chart for a small GPU); one per model × format × hardware. Built only until
/// the chart is full: a whole-catalog plan has tens of thousands of fitting options.
pub fn memory_chart_options(plan: &Plan) -> Vec<PlanOption> {
    let unranked = plan.options.iter().filter(|o| o.fits && o.rank.is_none());
    let too_big = plan.options.iter().filter(|o| !o.fits);
    let mut seen = std::collections::HashSet::new();
    plan.options
        .ranked()
        .chain(unranked)
        .chain(too_big)
        .filter(|o| {
            seen.insert((
                o.model.clone(),
                o.quant.clone(),
                o.gpu.clone(),
                o.gpus_per_replica,
            ))
        })
        .take(MEMORY_BARS)
        .collect()
}

/// Memory breakdown (weights, KV cache, runtime overhead) against usable memory.
pub fn memory_breakdown(options: &[PlanOption]) -> String {
    let items: Vec<&PlanOption> = options.iter().take(MEMORY_BARS).collect();
    if items.is_empty() {
        return String::new();
    }
    let labels: Vec<String> = items
        .iter()
        .map(|o| format!("{} {} {}x {}", o.model, o.quant, o.gpus_per_replica, o.gpu))
        .collect();
    let xmax = items
        .iter()
        .map(|o| o.memory_gb.total.max(o.memory_gb.available))
        .fold(1.0f64, f64::max)
        * 1.05;
    let n = items.len() as f64;
    let mut svg = String::new();
    let drawn = (|| -> Result<(), String> {
        let root = SVGBackend::with_string(&mut svg, (760, 60 + 34 * items.len() as u32))
            .into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Memory per replica: weights, KV cache, overhead vs usable (GB)",
                ("sans-serif", 16),
            )
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(260)
            .build_cartesian_2d(0f64..xmax, 0f64..n)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(items.len())
            .y_label_formatter(&|y| {
                let i = (n - y - 0.5).round() as usize;
                labels.get(i).cloned().unwrap_or_default()
            })
            .x_label_formatter(&|x| format!("{x:.0}"))
            .draw()
            .map_err(|e| e.to_string())?;
        let parts = [
            ("weights", palette(0)),
            ("KV cache", palette(2)),
            ("overhead", palette(4)),
        ];
        for (k, &(name, color)) in parts.iter().enumerate() {
            let bars = items.iter().enumerate().map(|(i, o)| {
                let m = &o.memory_gb;
                let (start, len) = match k {
                    0 => (0.0, m.weights),
                    1 => (m.weights, m.kv_cache),
                    _ => (m.weights + m.kv_cache, m.overhead),
                };
                let y = n - i as f64 - 1.0;
                Rectangle::new([(start, y + 0.2), (start + len, y + 0.8)], color.filled())
            });
            chart
                .draw_series(bars)
                .map_err(|e| e.to_string())?
                .label(name.to_string())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
                });
        }
        let marks = items.iter().enumerate().map(|(i, o)| {
            let y = n - i as f64 - 1.0;
            PathElement::new(
                vec![
                    (o.memory_gb.available, y + 0.05),
                    (o.memory_gb.available, y + 0.95),
                ],
                BLACK.stroke_width(2),
            )
        });
        chart
            .draw_series(marks)
            .map_err(|e| e.to_string())?
            .label("usable")
            .legend(|(x, y)| {
                PathElement::new(vec![(x + 6, y - 6), (x + 6, y + 6)], BLACK.stroke_width(2))
            });
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        root.present().map_err(|e| e.to_string())?;
        Ok(())
    })();
    match drawn {
        Ok(()) => svg,
        Err(_) => svg_error("memory"),
    }
}

/// One model's points on the quality-per-dollar chart: its score and its cheapest cost per M
/// output tokens meeting the targets, by API, and among options that fit but miss them.
struct QualityPoint {
    model: String,
    quality: f64,
    meets: Option<f64>,
    api: Option<f64>,
    misses: Option<f64>,
}

fn min_into(slot: &mut Option<f64>, v: Option<f64>) {
    if let Some(v) = v.filter(|v| *v > 0.0 && v.is_finite()) {
        *slot = Some(slot.map_or(v, |s: f64| s.min(v)));
    }
}

/// What the quality chart's x axis measures.
#[derive(Clone, Copy, PartialEq)]
pub enum CostAxis {
    /// Cost per million output tokens.
    PerMillion,
    /// What the scenario's load costs a month.
    Monthly,
}

impl CostAxis {
    fn of_option(self, o: &PlanOption) -> Option<f64> {
        match self {
            CostAxis::PerMillion => o.usd_per_m_output(),
            CostAxis::Monthly => o.monthly_cost_usd,
        }
    }

    fn of_api(self, a: &planner::money::ApiCost) -> f64 {
        match self {
            CostAxis::PerMillion => a.usd_per_m_output_tokens,
            CostAxis::Monthly => a.monthly_usd,
        }
    }

    fn of_answer(self, a: &planner::plan::bottom_line::Answer) -> f64 {
        match self {
            CostAxis::PerMillion => a.usd_per_m_output,
            CostAxis::Monthly => a.monthly_usd,
        }
    }

    fn words(self) -> &'static str {
        match self {
            CostAxis::PerMillion => "cost per M output tokens",
            CostAxis::Monthly => "monthly cost at this load",
        }
    }
}

/// The quality charts as the page draws them: each scored model's cheapest cost of each mark,
/// on both charts' axes (one pass over the options), and the bottom line's answers.
pub fn quality_chart(plan: &Plan) -> crate::views::QualityChartView {
    let mut rows: Vec<crate::views::QualityPointView> = Vec::new();
    let axes = [CostAxis::PerMillion, CostAxis::Monthly];
    for o in plan.options.iter().filter(|o| o.fits) {
        let Some(q) = o.quality else { continue };
        let i = match rows.iter().position(|r| r.model == *o.model) {
            Some(i) => i,
            None => {
                rows.push(crate::views::QualityPointView {
                    model: o.model.to_string(),
                    quality: q,
                    ..Default::default()
                });
                rows.len() - 1
            }
        };
        let mark = if o.meets_targets && !o.below_quality_floor {
            0
        } else {
            2
        };
        let r = &mut rows[i];
        min_into(&mut r.per_m[mark], axes[0].of_option(&o));
        min_into(&mut r.monthly[mark], axes[1].of_option(&o));
    }
    for a in &plan.api {
        if let Some(r) = rows.iter_mut().find(|r| r.model == a.model) {
            min_into(&mut r.per_m[1], Some(axes[0].of_api(a)));
            min_into(&mut r.monthly[1], Some(axes[1].of_api(a)));
        }
    }
    rows.sort_by(|a, b| b.quality.total_cmp(&a.quality));
    let b = &plan.bottom_line;
    let answers = [&b.api, &b.rent, &b.buy]
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let quality = rows.iter().find(|r| r.model == a.model)?.quality;
            Some(crate::views::QualityAnswerView {
                route: a.route.as_str().to_string(),
                model: a.model.clone(),
                quality,
                per_m: axes[0].of_answer(a),
                monthly: axes[1].of_answer(a),
            })
        })
        .collect();
    crate::views::QualityChartView {
        benchmark: plan.scenario.quality_benchmark.clone(),
        points: rows,
        answers,
    }
}

fn quality_points(plan: &Plan, axis: CostAxis) -> Vec<QualityPoint> {
    let mut points: Vec<QualityPoint> = Vec::new();
    for o in plan.options.iter().filter(|o| o.fits) {
        let Some(q) = o.quality else { continue };
        let i = match points.iter().position(|p| *p.model == *o.model) {
            Some(i) => i,
            None => {
                points.push(QualityPoint {
                    model: o.model.to_string(),
                    quality: q,
                    meets: None,
                    api: None,
                    misses: None,
                });
                points.len() - 1
            }
        };
        let p = &mut points[i];
        if o.meets_targets && !o.below_quality_floor {
            min_into(&mut p.meets, axis.of_option(&o));
        } else {
            min_into(&mut p.misses, axis.of_option(&o));
        }
    }
    for a in &plan.api {
        if let Some(p) = points.iter_mut().find(|p| p.model == a.model) {
            min_into(&mut p.api, Some(axis.of_api(a)));
        }
    }
    points
}

/// Quality against cost per million output tokens: each model's cheapest option meeting the
/// targets (circles), its cheapest API (diamonds), its cheapest option that misses them (grey),
/// the Pareto front of what meets, and the bottom line's answers ringed.
pub fn quality_per_dollar(plan: &Plan, axis: CostAxis) -> String {
    let points = quality_points(plan, axis);
    let costs: Vec<f64> = (points.iter())
        .flat_map(|p| [p.meets, p.api, p.misses])
        .flatten()
        .collect();
    if costs.is_empty() {
        return String::new();
    }
    let xmin = costs.iter().copied().fold(f64::MAX, f64::min) / 1.5;
    let xmax = costs.iter().copied().fold(0.0, f64::max) * 1.5;
    let qs: Vec<f64> = points.iter().map(|p| p.quality).collect();
    let ymin = (qs.iter().copied().fold(f64::MAX, f64::min) - 5.0).max(0.0);
    let ymax = (qs.iter().copied().fold(0.0, f64::max) + 5.0).min(100.0);
    let benchmark = plan.scenario.quality_benchmark.clone();
    let front = crate::quality_chart::pareto_front(
        (points.iter())
            .flat_map(|p| {
                [p.meets, p.api]
                    .into_iter()
                    .flatten()
                    .map(|c| (c, p.quality))
            })
            .collect(),
    );
    let b = &plan.bottom_line;
    let answers: Vec<(String, f64, f64)> = [&b.api, &b.rent, &b.buy]
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let q = points.iter().find(|p| p.model == a.model)?.quality;
            Some((a.route.as_str().to_string(), axis.of_answer(a), q))
        })
        .collect();
    let mut svg = String::new();
    let drawn = (|| -> Result<(), String> {
        let root = SVGBackend::with_string(&mut svg, (760, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Quality ({benchmark}) against {}", axis.words()),
                ("sans-serif", 16),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d((xmin..xmax).log_scale(), ymin..ymax)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc(match axis {
                CostAxis::PerMillion => "USD per M output tokens (log scale)",
                CostAxis::Monthly => "USD a month at this load (log scale)",
            })
            .y_desc(benchmark.as_str())
            .x_label_formatter(&|v| planner::money::usd(*v))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new(front.clone(), palette(2).stroke_width(2)))
            .map_err(|e| e.to_string())?
            .label("Pareto front (nothing cheaper and better)")
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], palette(2).stroke_width(2))
            });
        let grey = RGBColor(170, 170, 170);
        chart
            .draw_series(points.iter().filter_map(|p| {
                p.misses
                    .map(|c| Circle::new((c, p.quality), 4, grey.filled()))
            }))
            .map_err(|e| e.to_string())?
            .label("fits, misses the targets")
            .legend(move |(x, y)| Circle::new((x + 6, y), 4, grey.filled()));
        chart
            .draw_series(points.iter().filter_map(|p| {
                p.meets
                    .map(|c| Circle::new((c, p.quality), 5, palette(0).filled()))
            }))
            .map_err(|e| e.to_string())?
            .label("rent or buy, meets the targets")
            .legend(|(x, y)| Circle::new((x + 6, y), 5, palette(0).filled()));
        chart
            .draw_series(points.iter().filter_map(|p| {
                p.api
                    .map(|c| TriangleMarker::new((c, p.quality), 6, palette(4).filled()))
            }))
            .map_err(|e| e.to_string())?
            .label("API")
            .legend(|(x, y)| TriangleMarker::new((x + 6, y), 6, palette(4).filled()));
        chart
            .draw_series(points.iter().map(|p| {
                let c = p.meets.or(p.api).or(p.misses).unwrap_or(xmin);
                Text::new(
                    p.model.clone(),
                    (c, p.quality),
                    ("sans-serif", 11).into_font().color(&BLACK.mix(0.75)),
                )
            }))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(answers.iter().map(|(route, c, q)| {
                EmptyElement::at((*c, *q))
                    + Circle::new((0, 0), 9, BLACK.stroke_width(2))
                    + Text::new(route.clone(), (10, -14), ("sans-serif", 12).into_font())
            }))
            .map_err(|e| e.to_string())?
            .label("the bottom line's answers")
            .legend(|(x, y)| Circle::new((x + 6, y), 6, BLACK.stroke_width(2)));
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        root.present().map_err(|e| e.to_string())?;
        Ok(())
    })();
    match drawn {
        Ok(()) => svg,
        Err(_) => svg_error("quality"),
    }
}

#[cfg(test)]
mod tests {
    use super::{same_costs, Line};

    fn line(costs: &[f64]) -> Line {
        Line {
            label: String::new(),
            points: costs
                .iter()
                .enumerate()
                .map(|(h, c)| (h as f64, *c))
                .collect(),
            dashed: false,
            option: Some(0),
        }
    }

    #[test]
    fn lines_costing_the_same_at_every_hour_are_one_line() {
        assert!(same_costs(&line(&[100.0, 200.0]), &line(&[100.2, 200.5])));
        assert!(!same_costs(&line(&[100.0, 200.0]), &line(&[100.0, 210.0])));
        // Near zero a cent is no difference.
        assert!(same_costs(&line(&[0.0, 0.0]), &line(&[0.004, 0.0])));
    }
}
