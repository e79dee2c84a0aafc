//! Ranking by cost and the Pareto front (cost vs quality vs speed), both from one order.

use super::options::Row;
use super::priced::Priced;

/// A row meeting the targets with a cost, as the ranking sees it: the plan collects these as
/// it builds rows, so ranking never walks the rows again. Cost and quality are kept as the
/// indices that determine them (the price, the model's quality level), so entries are grouped
/// by them without comparing floats.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    /// Decode tokens/s per user, as `ordered` bits.
    speed: u64,
    row: u32,
    /// Index into the plan's prices.
    price: u32,
    /// The model's quality level (0 = best; `quality_levels`).
    level: u32,
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

/// The entry of row `i` priced `p` (index `price`), its model at quality level `level`, if it
/// meets the targets at a cost.
pub(super) fn entry(i: usize, r: &Row, p: &Priced, price: u32, level: u32) -> Option<Entry> {
    if !r.meets_targets || p.monthly_cost().is_none() {
        return None;
    }
    Some(Entry {
        speed: ordered(r.speed().unwrap_or(0.0)),
        row: i as u32,
        price,
        level,
    })
}

/// Each model's quality level: 0 for the best score, one level per distinct score, models
/// without a score sharing the lowest.
pub(super) fn quality_levels(scores: &[Option<f64>]) -> Vec<u32> {
    let key = |q: &Option<f64>| ordered(q.unwrap_or(f64::MIN));
    let mut distinct: Vec<u64> = scores.iter().map(key).collect();
    distinct.sort_unstable_by(|a, b| b.cmp(a));
    distinct.dedup();
    (scores.iter())
        .map(|q| distinct.partition_point(|&d| d > key(q)) as u32)
        .collect()
}

/// Each price's position in cost order, equal costs sharing one (u32::MAX: no cost), and the
/// number of distinct costs. A plan has a few hundred prices, however many options.
fn cost_ranks(prices: &[Priced]) -> (Vec<u32>, usize) {
    let mut by_cost: Vec<(f64, u32)> = (prices.iter().enumerate())
        .filter_map(|(i, p)| Some((p.monthly_cost()?, i as u32)))
        .collect();
    by_cost.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut rank = vec![u32::MAX; prices.len()];
    let mut distinct = 0;
    let mut last: Option<f64> = None;
    for &(cost, i) in &by_cost {
        if last.is_some_and(|l| l.total_cmp(&cost).is_ne()) {
            distinct += 1;
        }
        last = Some(cost);
        rank[i as usize] = distinct;
    }
    let costs = if last.is_some() {
        distinct as usize + 1
    } else {
        0
    };
    (rank, costs)
}

/// The ranking order, as (inverted speed, row) pairs, and where each bucket starts in it:
/// cost ascending; equal costs are common (the price depends on the hardware, not the format),
/// so ties go to the better model, then the faster option, then the row. This is the order
/// both the ranking and the Pareto sweep need; the pairs carry all either reads, so neither
/// goes back to the entries (19k of them in a full grid, read in this order at random).
///
/// Entries are counted into buckets of (cost, quality level) — a full grid's 19k entries fall
/// into a few hundred — and only each bucket is sorted, stably, on its entries' exact integer
/// speed.
fn order(
    entries: &[Entry],
    bucket: impl Fn(&Entry) -> usize,
    n_buckets: usize,
) -> (Vec<(u64, u32)>, Vec<u32>) {
    let mut start = vec![0u32; n_buckets + 1];
    for e in entries {
        start[bucket(e) + 1] += 1;
    }
    for i in 0..n_buckets {
        start[i + 1] += start[i];
    }
    let bounds = start.clone();
    // Entries come in row order (the plan pushes them as it builds rows) and are placed in
    // that order, so a stable sort on the speed leaves equal speeds in row order.
    debug_assert!(entries.windows(2).all(|w| w[0].row < w[1].row));
    let mut keys = vec![(0u64, 0u32); entries.len()];
    for e in entries {
        let slot = &mut start[bucket(e)];
        keys[*slot as usize] = (!e.speed, e.row);
        *slot += 1;
    }
    for w in bounds.windows(2) {
        let (a, b) = (w[0] as usize, w[1] as usize);
        if b - a > 1 {
            keys[a..b].sort_by_key(|p| p.0);
        }
    }
    (keys, bounds)
}

/// Ranks (1 = cheapest; at equal cost the better model, then the faster option; 0 = unranked)
/// and Pareto flags for `rows` rows, from the entries of those meeting the targets, the
/// plan's prices and the number of quality levels.
pub(super) fn rank_and_pareto(
    entries: &[Entry],
    rows: usize,
    prices: &[Priced],
    levels: usize,
) -> (Vec<u32>, Vec<bool>) {
    let (cost_rank, costs) = cost_ranks(prices);
    let bucket = |e: &Entry| cost_rank[e.price as usize] as usize * levels + e.level as usize;
    let (order, bounds) = order(entries, bucket, costs * levels);
    let mut ranks = vec![0u32; rows];
    for (r, &(_, row)) in order.iter().enumerate() {
        ranks[row as usize] = r as u32 + 1;
    }
    (ranks, pareto(&order, &bounds, levels, rows))
}

/// Marks rows no other row beats on all of cost (lower), quality and speed (higher).
/// Sweep in the ranking order (cost asc, quality desc, speed desc), one (cost, quality level)
/// bucket after another (`bounds`: where each starts in `order`): anything that dominates an
/// option comes before it, so an option is dominated when an earlier, non-identical option has
/// quality and speed at least as high. Quality takes few values (one per model), so the running
/// best speed per quality level makes this one pass.
fn pareto(order: &[(u64, u32)], bounds: &[u32], levels: usize, rows: usize) -> Vec<bool> {
    let mut flags = vec![false; rows];
    // best[l]: highest speed (ordered bits; 0 = none, below every speed) seen so far among
    // options of quality level l.
    let mut best = vec![0u64; levels];
    for (b, w) in bounds.windows(2).enumerate() {
        let level = b % levels;
        let bucket = &order[w[0] as usize..w[1] as usize];
        let mut start = 0;
        while start < bucket.len() {
            // Identical points (same cost, quality and speed): none dominates another, so
            // query before inserting.
            let inverted = bucket[start].0;
            let mut end = start + 1;
            while end < bucket.len() && bucket[end].0 == inverted {
                end += 1;
            }
            let speed = !inverted;
            let dominated = best[..=level].iter().any(|&b| b >= speed);
            for &(_, row) in &bucket[start..end] {
                flags[row as usize] = !dominated;
            }
            best[level] = best[level].max(speed);
            start = end;
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranking_order_matches_a_comparison_sort() {
        // Few costs (some equal under different prices), few qualities, repeated speeds: ties
        // at every level, as in a full grid.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let scores = [None, Some(40.0), Some(81.5), Some(90.0), Some(40.0)];
        let levels = quality_levels(&scores);
        assert_eq!(levels, [3, 2, 1, 0, 2]);
        let n_levels = 4;
        for len in [0usize, 1, 2, 7, 300, 5000] {
            let mut prices = vec![Priced::default()];
            for _ in 0..40 {
                let cost = [0.0, 12.5, 99.0, 1e6, 3.75][next(5) as usize] * next(40) as f64;
                prices.push(match next(3) {
                    0 => Priced {
                        cloud_monthly: Some(cost),
                        ..Priced::default()
                    },
                    1 => Priced {
                        local_monthly: Some(cost),
                        ..Priced::default()
                    },
                    _ => Priced {
                        cloud_monthly: Some(cost + 1.0),
                        local_monthly: Some(cost),
                        ..Priced::default()
                    },
                });
            }
            let mut row = 0u32;
            // (entry, cost, quality, speed) for the reference order.
            let all: Vec<(Entry, f64, f64, f64)> = (0..len)
                .map(|_| {
                    row += 1 + next(3) as u32;
                    let price = 1 + next(40) as u32;
                    let model = next(scores.len() as u64) as usize;
                    let speed = next(25) as f64 * 0.5;
                    let e = Entry {
                        speed: ordered(speed),
                        row,
                        price,
                        level: levels[model],
                    };
                    let cost = prices[price as usize].monthly_cost().unwrap();
                    (e, cost, scores[model].unwrap_or(f64::MIN), speed)
                })
                .collect();
            let entries: Vec<Entry> = all.iter().map(|a| a.0).collect();
            let mut reference = all.clone();
            reference.sort_by(|a, b| {
                (a.1.total_cmp(&b.1))
                    .then(b.2.total_cmp(&a.2))
                    .then(b.3.total_cmp(&a.3))
                    .then(a.0.row.cmp(&b.0.row))
            });
            let reference: Vec<u32> = reference.iter().map(|a| a.0.row).collect();
            let rows = row as usize + 1;
            let (ranks, _) = rank_and_pareto(&entries, rows, &prices, n_levels);
            let mut by_rank: Vec<(u32, u32)> = (ranks.iter().enumerate())
                .filter(|(_, r)| **r > 0)
                .map(|(i, r)| (*r, i as u32))
                .collect();
            by_rank.sort_unstable();
            let got: Vec<u32> = by_rank.iter().map(|p| p.1).collect();
            assert_eq!(got, reference, "{len} entries");
        }
    }
}
