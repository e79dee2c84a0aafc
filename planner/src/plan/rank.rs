//! Ranking by cost and the Pareto front (cost vs quality vs speed), both from one sort.

use super::options::Row;

/// A row meeting the targets with a cost, as the ranking sees it: the plan collects these as
/// it builds rows, so ranking never walks the rows again.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    row: u32,
    cost: f64,
    quality: f64,
    speed: f64,
}

/// f64::total_cmp's order as an unsigned integer, so sorting compares plain integers.
fn ordered(c: f64) -> u64 {
    let b = c.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// The entry of row `i` (its model's score `quality`), if it meets the targets at a cost.
pub(super) fn entry(i: usize, r: &Row, quality: Option<f64>) -> Option<Entry> {
    if !r.meets_targets {
        return None;
    }
    Some(Entry {
        row: i as u32,
        cost: r.monthly_cost()?,
        quality: quality.unwrap_or(f64::MIN),
        speed: r.speed().unwrap_or(0.0),
    })
}

/// Sorts entries by cost ascending; equal costs are common (the price depends on the hardware,
/// not the format), so ties go to the better model, then the faster option, then the row.
/// This is the order both the ranking and the Pareto sweep need. The sort moves 12-byte
/// (cost, entry) keys, not whole entries, and breaks ties only inside runs of equal cost.
fn sort(entries: &mut Vec<Entry>) {
    let mut keys: Vec<(u64, u32)> = (entries.iter().enumerate())
        .map(|(k, e)| (ordered(e.cost), k as u32))
        .collect();
    keys.sort_unstable();
    let mut sorted: Vec<Entry> = keys.iter().map(|&(_, k)| entries[k as usize]).collect();
    let mut start = 0;
    while start < keys.len() {
        let mut end = start + 1;
        while end < keys.len() && keys[end].0 == keys[start].0 {
            end += 1;
        }
        if end - start > 1 {
            sorted[start..end].sort_unstable_by(|a, b| {
                (b.quality.total_cmp(&a.quality))
                    .then(b.speed.total_cmp(&a.speed))
                    .then(a.row.cmp(&b.row))
            });
        }
        start = end;
    }
    *entries = sorted;
}

/// Ranks (1 = cheapest; at equal cost the better model, then the faster option; 0 = unranked)
/// and Pareto flags for `rows` rows, from the entries of those meeting the targets.
pub(super) fn rank_and_pareto(mut entries: Vec<Entry>, rows: usize) -> (Vec<u32>, Vec<bool>) {
    sort(&mut entries);
    let mut ranks = vec![0u32; rows];
    for (r, e) in entries.iter().enumerate() {
        ranks[e.row as usize] = r as u32 + 1;
    }
    (ranks, pareto(&entries, rows))
}

/// Marks rows no other row beats on all of cost (lower), quality and speed (higher).
/// Sweep in order of (cost asc, quality desc, speed desc): anything that dominates an option
/// comes before it, so an option is dominated when an earlier, non-identical option has
/// quality and speed at least as high. Quality takes few values (one per model), so the running
/// best speed per quality level makes this one pass over the cost order.
fn pareto(order: &[Entry], rows: usize) -> Vec<bool> {
    let mut flags = vec![false; rows];
    let point = |e: &Entry| (e.cost, e.quality, e.speed);
    let mut levels: Vec<f64> = Vec::new();
    for e in order {
        if !levels.contains(&e.quality) {
            levels.push(e.quality);
        }
    }
    levels.sort_by(f64::total_cmp);
    // best[l]: highest speed seen so far among options of quality level l.
    let mut best = vec![f64::NEG_INFINITY; levels.len()];
    let mut start = 0;
    while start < order.len() {
        // Identical points: none dominates another, so query before inserting.
        let p = point(&order[start]);
        let mut end = start + 1;
        while end < order.len() && point(&order[end]) == p {
            end += 1;
        }
        let (_, q, sp) = p;
        let level = levels.partition_point(|x| *x < q);
        let dominated = best[level..].iter().any(|b| *b >= sp);
        for e in &order[start..end] {
            flags[e.row as usize] = !dominated;
        }
        best[level] = best[level].max(sp);
        start = end;
    }
    flags
}
