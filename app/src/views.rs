//! What the server sends the page: plain data built from the engine's plan on the server, so
//! the wasm never carries the engine or its catalog.

use serde::{Deserialize, Serialize};

/// A message beside a form field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BandView {
    pub low: f64,
    pub expected: f64,
    pub high: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerdictView {
    pub category: String,
    pub winner: String,
    pub reason: String,
}

/// The bottom line as the page shows it (`planner::plan::bottom_line`).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct BottomLineView {
    pub summary: String,
    /// API, rent and buy, in that order.
    pub routes: Vec<RouteView>,
    pub method: String,
    /// The scenario's traffic split priced, when it has one.
    pub split: Option<SplitView>,
}

/// A traffic split as the page shows it: one line per part, the total, the pure fleets.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct SplitView {
    pub parts: Vec<String>,
    pub total: String,
    pub pure: Vec<String>,
    /// The cheapest split in tenths clearing the quality floor, in words.
    pub floor: Option<String>,
}

/// One route's answer on the page, its figures already written.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct RouteView {
    /// "api", "rent" or "buy".
    pub route: String,
    pub title: String,
    /// The route to take.
    pub best: bool,
    pub at_risk: bool,
    /// Model and format, or empty with `why_not` set.
    pub answer: String,
    pub hardware: String,
    /// (label, value) figures: monthly, one-time, per M tokens, quality, payback.
    pub figures: Vec<(String, String)>,
    /// The option's key for its details page (self-hosted routes).
    pub key: Option<String>,
    pub why_not: Option<String>,
    /// The other models the same way (same hardware for rent and buy): (model, what it costs).
    pub alternatives: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct MemoryView {
    pub experts: f64,
    pub dense: f64,
    pub embedding: f64,
    pub unembedding: f64,
    pub weights: f64,
    pub kv_cache: f64,
    pub overhead: f64,
    pub total: f64,
    pub available: f64,
}

/// A sourced figure shown with where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sourced {
    pub label: String,
    pub value: String,
    pub source: String,
    pub date: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionView {
    pub key: String,
    pub model: String,
    pub quant: String,
    pub gpu: String,
    pub hardware: String,
    pub engine: String,
    pub fits: bool,
    pub meets_targets: bool,
    pub at_risk: bool,
    /// The model is below the scenario's quality floor.
    pub below_floor: bool,
    pub replicas: u32,
    pub users_per_replica: u32,
    pub decode: Option<BandView>,
    pub ttft_ms: Option<BandView>,
    pub cloud_monthly: Option<f64>,
    pub cloud_always_on: Option<f64>,
    pub cloud_label: Option<String>,
    pub local_one_time: Option<f64>,
    pub local_monthly: Option<f64>,
    pub break_even_month: Option<f64>,
    pub usd_per_m: Option<f64>,
    pub api_monthly: Option<f64>,
    pub limit: String,
    pub bound: String,
    pub rank: Option<u32>,
    pub pareto: bool,
    /// Memory per replica, GB.
    pub memory_total: f64,
    /// What only the details page shows. Left out of the table's rows: the page ships its data
    /// to the browser for hydration, and these were half of it.
    pub detail: Option<OptionDetail>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct OptionDetail {
    pub memory: MemoryView,
    /// The arithmetic behind the numbers, one line each.
    pub arithmetic: Vec<String>,
    pub sources: Vec<Sourced>,
    pub notes: Vec<String>,
    /// Throughput per GPU against speed per user as the load grows (`planner::plan::curve`).
    pub curve: CurveView,
}

/// One load of an option's curve.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CurvePointView {
    pub in_flight: u32,
    pub per_user: f64,
    pub per_gpu: f64,
    pub ttft_p95_ms: Option<f64>,
    pub meets: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CurveView {
    pub points: Vec<CurvePointView>,
    pub operating: Option<CurvePointView>,
    /// The scenario's per-user speed target, tok/s (a vertical line on the chart).
    pub speed_target: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiView {
    pub model: String,
    pub provider: String,
    pub monthly: f64,
    pub per_m_output: f64,
    pub input_price: f64,
    pub output_price: f64,
    pub date: String,
    pub source: String,
}

/// Rows the options table shows at most, in its sort order. A whole-catalog scenario has tens of
/// thousands of options: all of them made a page of tens of MB (and its hydration data) that
/// took seconds to render; the reports carry every option.
pub const MAX_ROWS: usize = 500;

/// Usage hours a day at which the cost chart's table gives each line's monthly cost.
pub const COST_TABLE_HOURS: [u32; 6] = [1, 4, 8, 12, 16, 24];

/// One line of the cost chart: what it is, how it is drawn and its monthly cost at each usage
/// hour a day.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct CostLineView {
    pub label: String,
    /// Monthly cost at 1, 2, … 24 hours a day (`by_hour[h - 1]`).
    pub by_hour: Vec<f64>,
    /// Buying (amortized + power) is dashed; renting and the API are solid.
    pub dashed: bool,
    /// The option's colour (`crate::chart_axes::PALETTE`), None for the API's own grey.
    pub colour: Option<usize>,
}

impl CostLineView {
    /// Monthly cost at `hours` a day, when the line has that hour.
    pub fn at(&self, hours: u32) -> Option<f64> {
        let i = usize::try_from(hours).ok()?.checked_sub(1)?;
        self.by_hour.get(i).copied()
    }
}

/// The cost chart: its lines and the scenario's own usage hours (the marker).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct CostChartView {
    pub hours_now: f64,
    pub lines: Vec<CostLineView>,
}

/// One model's point on the quality charts, as their text alternative gives it: its score and
/// the cheapest cost of each mark (per M output tokens, and a month at this load).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct QualityPointView {
    pub model: String,
    pub quality: f64,
    /// Rent or buy meeting the targets, an API, and fitting but missing them: per M output.
    pub per_m: [Option<f64>; 3],
    /// The same, a month.
    pub monthly: [Option<f64>; 3],
}

/// One of the bottom line's answers, ringed on the quality charts.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct QualityAnswerView {
    /// "api", "rent" or "buy".
    pub route: String,
    pub model: String,
    pub quality: f64,
    pub per_m: f64,
    pub monthly: f64,
}

/// The quality charts (per M output tokens and a month): every scored model's points and the
/// bottom line's answers.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct QualityChartView {
    /// The benchmark the scores are on.
    pub benchmark: String,
    pub points: Vec<QualityPointView>,
    pub answers: Vec<QualityAnswerView>,
}

/// One replica's memory as the page's bar chart draws it.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct MemoryBar {
    /// Model, format and hardware, as the table names them.
    pub label: String,
    pub memory: MemoryView,
    /// The planner's verdict (`PlanOption::fits`).
    pub fits: bool,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct PlanView {
    /// The scenario as a canonical query string (what a share link carries).
    pub query: String,
    pub errors: Vec<FieldError>,
    /// Set when every core was planning and this request waited too long: the page says so
    /// and answers 503 with `Retry-After` (nothing was planned).
    pub busy: Option<String>,
    pub bottom_line: BottomLineView,
    /// The peak that sizes the fleet and the monthly volume, in words (`planner::demand`).
    pub demand: Vec<String>,
    pub verdict: Vec<VerdictView>,
    pub options: Vec<OptionView>,
    /// Options before filtering, for "showing N of M".
    pub total_options: usize,
    /// Options the filter kept, before the table's row limit (`MAX_ROWS`).
    pub matched_options: usize,
    pub api: Vec<ApiView>,
    /// The charts, drawn in the page from these few numbers (each with its table).
    pub cost_chart: CostChartView,
    pub memory_bars: Vec<MemoryBar>,
    pub quality_chart: QualityChartView,
    /// Link prefix of an option's details page (append `&key=`).
    pub details_base: String,
    pub monthly_output_tokens: f64,
    pub monthly_input_tokens: f64,
    pub catalog_snapshot: String,
    pub calibration: Vec<String>,
    pub skipped: Vec<String>,
    pub sort: String,
    pub dir: String,
    pub show: String,
    /// The table's rows narrowed to one model, GPU or engine.
    pub only: TableFilter,
    /// What each of those filters can pick: the models, GPUs and engines the plan holds.
    pub filter_choices: FilterChoices,
}

/// The table's filters by model, GPU and engine (ids; empty: every one).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct TableFilter {
    pub model: String,
    pub gpu: String,
    pub engine: String,
}

impl TableFilter {
    /// Whether a row passes every filter.
    pub fn keeps(&self, model: &str, gpu: &str, engine: &str) -> bool {
        let one = |want: &str, have: &str| want.is_empty() || want == have;
        one(&self.model, model) && one(&self.gpu, gpu) && one(&self.engine, engine)
    }
}

/// The models, GPUs and engines a plan's options hold, in the order they first appear.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct FilterChoices {
    pub models: Vec<Choice>,
    pub gpus: Vec<Choice>,
    pub engines: Vec<Choice>,
}

/// Query keys of the table's state, beside the scenario's: what a sort or filter link keeps.
pub const TABLE_KEYS: [&str; 6] = [
    "sort",
    "dir",
    "show",
    "only_model",
    "only_gpu",
    "only_engine",
];

/// One checkbox / select choice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

/// A GPU as the form's picker shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GpuPick {
    pub id: String,
    pub label: String,
    /// The picker's group (`planner::catalog::gpu::Segment::label`).
    pub group: String,
    /// Memory, bandwidth, the cheapest on-demand rental and the purchase price, in one line.
    pub facts: String,
}

/// GPUs per replica the picker offers a box for; other counts go in the text field.
pub const PICKER_COUNTS: [u32; 4] = [1, 2, 4, 8];

/// Whether a GPU list entry (`id:count`) is one of the picker's boxes.
pub fn in_picker(entry: &str, ids: &[String]) -> bool {
    entry.split_once(':').is_some_and(|(id, n)| {
        ids.iter().any(|i| i == id) && PICKER_COUNTS.iter().any(|c| c.to_string() == n)
    })
}

/// What the form offers, from the catalog, plus the default value of every field.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct FormChoices {
    pub models: Vec<Choice>,
    pub quants: Vec<Choice>,
    pub gpus: Vec<GpuPick>,
    pub engines: Vec<Choice>,
    pub providers: Vec<Choice>,
    /// Benchmarks the catalog's models report, for the quality floor.
    pub benchmarks: Vec<Choice>,
    /// KV-cache element formats.
    pub kv_formats: Vec<Choice>,
    pub defaults: Vec<(String, String)>,
}

impl FormChoices {
    pub fn default_of(&self, key: &str) -> String {
        self.defaults
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// A row of the catalog page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogRow {
    pub id: String,
    pub cells: Vec<String>,
    pub source: String,
    pub date: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogTable {
    pub title: String,
    pub anchor: String,
    pub headers: Vec<String>,
    pub rows: Vec<CatalogRow>,
    /// The column the rows are sorted by, if any, and whether descending.
    pub sorted_by: Option<usize>,
    pub desc: bool,
    /// Rows before the filter.
    pub total: usize,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct CatalogView {
    pub snapshot: String,
    pub tables: Vec<CatalogTable>,
    pub skipped: Vec<String>,
    /// The text rows were filtered by (`q`), and the least GPU memory asked for (`min_memory`).
    pub filter: String,
    pub min_memory: String,
}

/// One claim of the article beside the planner's number and the sourced fact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimView {
    pub number: u32,
    pub claim: String,
    pub verdict: String,
    pub planner: String,
    pub fact: String,
}

/// A saved scenario's page.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct SavedView {
    pub found: bool,
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub parent_id: Option<String>,
    pub inputs: Vec<(String, String)>,
    pub plan: PlanView,
    pub is_owner: bool,
    /// The private owner link, shown once right after saving.
    pub owner_url: Option<String>,
    /// The share link, absolute when the request said where it came in.
    pub share_url: String,
    pub owner_token: Option<String>,
    /// "prices changed since this was saved", in plain lines.
    pub price_change: Vec<String>,
}

/// One of this browser's saved scenarios.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MySaved {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub owner_token: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareInput {
    pub key: String,
    /// What the form calls it.
    pub label: String,
    pub a: String,
    pub b: String,
    pub differs: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareRow {
    pub key: String,
    pub a_cloud: Option<f64>,
    pub b_cloud: Option<f64>,
    pub a_local: Option<f64>,
    pub b_local: Option<f64>,
    pub a_per_m: Option<f64>,
    pub b_per_m: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct CompareView {
    pub error: Option<String>,
    pub a_id: String,
    pub a_name: String,
    pub b_id: String,
    pub b_name: String,
    /// Each scenario's bottom line in one sentence (today's prices).
    pub a_summary: String,
    pub b_summary: String,
    pub inputs: Vec<CompareInput>,
    /// The first `MAX_ROWS` options of A, then of B.
    pub rows: Vec<CompareRow>,
    /// Options of A and B together, before the row limit.
    pub total_rows: usize,
}

/// One option's details page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DetailsView {
    pub option: OptionView,
    /// Where the table is.
    pub back: String,
}

/// Sort keys whose first ("asc") order lists the largest value first, the best being the
/// fastest: the table sorts by them negated, and `aria-sort` says what the values do.
pub const LARGEST_FIRST: &[&str] = &["decode"];

/// What `aria-sort` says of a column sorted by `key` in the table's `dir`.
pub fn aria_sort(sorted_by: &str, dir: &str, key: &str) -> &'static str {
    if sorted_by != key {
        return "none";
    }
    if (dir == "asc") != LARGEST_FIRST.contains(&key) {
        "ascending"
    } else {
        "descending"
    }
}
