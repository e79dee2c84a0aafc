//! What the page's charts share: their colours and their axes' round tick values. The charts
//! are SVG elements in the page (they scale with the column, and each mark carries its figures
//! as a `<title>` that shows on hover).

/// The options' colours, in rank order (the API has its own, `API_COLOUR`).
pub const PALETTE: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
];

/// The API's colour: none of the options'.
pub const API_COLOUR: &str = "#5a5a5a";

/// A colour of the palette, cycling.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// The round step (1, 2, 2.5 or 5 × 10ⁿ) at least `raw`.
fn round_step(raw: f64) -> f64 {
    let raw = raw.max(f64::MIN_POSITIVE);
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(raw)
}

/// Five round tick values from 0 to at least `max`.
pub fn ticks(max: f64) -> Vec<f64> {
    let step = round_step(max / 4.0);
    (0..=4).map(|i| i as f64 * step).collect()
}

/// Round tick values covering `lo..=hi`, four to six of them: the first at or below `lo`, the
/// last at or above `hi`.
pub fn ticks_between(lo: f64, hi: f64) -> Vec<f64> {
    let step = round_step((hi - lo).max(f64::MIN_POSITIVE) / 4.0);
    let first = (lo / step).floor() * step;
    let n = ((hi - first) / step).ceil().max(1.0) as usize;
    (0..=n.min(8)).map(|i| first + i as f64 * step).collect()
}

/// Ticks of a log axis over `lo..hi` (both > 0): 1, 2 and 5 × 10ⁿ inside it, or only the powers
/// of ten when that gives more than eight.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo) {
        return Vec::new();
    }
    let (from, to) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let inside = |mults: &[f64]| -> Vec<f64> {
        (from..=to)
            .flat_map(|e| mults.iter().map(move |m| m * 10f64.powi(e)))
            .filter(|v| *v >= lo && *v <= hi)
            .collect()
    };
    let fine = inside(&[1.0, 2.0, 5.0]);
    if fine.len() <= 8 {
        fine
    } else {
        inside(&[1.0])
    }
}

/// A number as a chart's tick label: no trailing zeros.
pub fn tick_label(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_round_and_reach_the_maximum() {
        assert_eq!(
            ticks(9_000.0),
            vec![0.0, 2_500.0, 5_000.0, 7_500.0, 10_000.0]
        );
        assert_eq!(ticks(4.0), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        let t = ticks_between(47.0, 83.0);
        assert!(t[0] <= 47.0 && *t.last().unwrap() >= 83.0, "{t:?}");
        assert!(t.len() >= 4 && t.len() <= 9, "{t:?}");
        assert_eq!(t[1] - t[0], 10.0);
    }

    #[test]
    fn log_ticks_stay_inside_the_range_and_thin_out_over_many_decades() {
        assert_eq!(log_ticks(0.15, 3.0), vec![0.2, 0.5, 1.0, 2.0]);
        let wide = log_ticks(0.01, 1_000_000.0);
        assert_eq!(wide.len(), 9);
        assert!(wide
            .iter()
            .all(|v| (v.log10() - v.log10().round()).abs() < 1e-9));
        assert!(log_ticks(0.0, 5.0).is_empty());
    }

    #[test]
    fn tick_labels_drop_trailing_zeros() {
        assert_eq!(tick_label(2_500.0), "2500");
        assert_eq!(tick_label(0.5), "0.5");
        assert_eq!(tick_label(0.25), "0.25");
    }
}
