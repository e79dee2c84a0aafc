//! The memory chart of the planner page: one bar per replica, weights, KV cache and runtime
//! overhead stacked against the memory its GPUs can use, each bar with its label and figures in
//! text. Drawn in the page rather than as an image: it is a few numbers a bar, it scales with
//! the column, and the text beside each bar is its accessible alternative.

use leptos::prelude::*;

use crate::views::MemoryBar;

/// A bar longer than this many times the largest usable memory is cut there (its figures say
/// the whole): a 700 GB model beside a 24 GB card would leave every other bar a sliver.
const CUT_AT_USABLE: f64 = 2.0;

/// Width of the bars' coordinate space (SVG user units across the whole bar).
const WIDTH: f64 = 1000.0;

/// The GB the bars' full width stands for.
fn scale_gb(bars: &[MemoryBar]) -> f64 {
    let usable = bars.iter().map(|b| b.memory.available).fold(0.0, f64::max);
    bars.iter()
        .map(|b| b.memory.total.min(CUT_AT_USABLE * usable))
        .fold(usable, f64::max)
        .max(f64::MIN_POSITIVE)
}

/// Figures of one bar in words: its parts, its total and what it lacks or leaves.
pub fn bar_text(b: &MemoryBar) -> String {
    let m = &b.memory;
    let parts = format!(
        "weights {:.1} + KV cache {:.1} + overhead {:.1} = {:.1} GB of {:.1} GB usable",
        m.weights, m.kv_cache, m.overhead, m.total, m.available
    );
    if b.fits {
        format!("{parts}: {:.1} GB free", (m.available - m.total).max(0.0))
    } else {
        format!(
            "{parts}: does not fit, {:.1} GB over",
            (m.total - m.available).max(0.0)
        )
    }
}

#[component]
pub fn MemoryBars(bars: Vec<MemoryBar>) -> impl IntoView {
    if bars.is_empty() {
        return ().into_any();
    }
    let scale = scale_gb(&bars);
    let x = move |gb: f64| format!("{:.1}", (gb / scale).clamp(0.0, 1.0) * WIDTH);
    let items = bars
        .into_iter()
        .map(|b| {
            let m = b.memory.clone();
            let (kv_at, overhead_at) = (m.weights, m.weights + m.kv_cache);
            let cut = m.total > scale;
            let text = bar_text(&b);
            view! {
                <li class:over=!b.fits>
                    <span class="what">{b.label.clone()}</span>
                    <svg class="bar" viewBox=format!("0 0 {WIDTH} 20") preserveAspectRatio="none" aria-hidden="true" focusable="false">
                        <rect class="weights" x="0" y="3" width=x(m.weights) height="14"></rect>
                        <rect class="kv" x=x(kv_at) y="3" width=x(m.kv_cache) height="14"></rect>
                        <rect class="overhead" x=x(overhead_at) y="3" width=x(m.overhead) height="14"></rect>
                        <line class="usable" x1=x(m.available) x2=x(m.available) y1="0" y2="20" vector-effect="non-scaling-stroke"></line>
                    </svg>
                    <span class="figures">{text}{cut.then_some(" (bar cut short)")}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <figure class="memory-bars">
            <figcaption>"Memory per replica: weights, KV cache and runtime overhead against what its GPUs can use (the black mark); the options that fit first, then those that do not."</figcaption>
            <p class="legend" aria-hidden="true">
                <span class="key weights"></span>"weights " <span class="key kv"></span>"KV cache "
                <span class="key overhead"></span>"overhead " <span class="key usable"></span>"usable"
            </p>
            <ol>{items}</ol>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::MemoryView;

    fn bar(total: f64, available: f64, fits: bool) -> MemoryBar {
        MemoryBar {
            label: "m".into(),
            memory: MemoryView {
                weights: total * 0.8,
                kv_cache: total * 0.15,
                overhead: total * 0.05,
                total,
                available,
                ..MemoryView::default()
            },
            fits,
        }
    }

    #[test]
    fn a_huge_model_beside_a_small_card_is_cut_at_twice_the_largest_usable() {
        let bars = [bar(16.0, 22.0, true), bar(700.0, 22.0, false)];
        assert_eq!(scale_gb(&bars), 44.0);
        // Bars smaller than every usable mark: the scale is the largest usable memory.
        assert_eq!(
            scale_gb(&[bar(10.0, 22.0, true), bar(5.0, 80.0, true)]),
            80.0
        );
    }

    #[test]
    fn the_text_says_what_is_free_or_what_is_missing() {
        assert!(bar_text(&bar(16.0, 22.0, true)).ends_with("6.0 GB free"));
        assert!(bar_text(&bar(30.0, 22.0, false)).ends_with("does not fit, 8.0 GB over"));
    }
}
