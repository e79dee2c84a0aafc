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
/// This is the order both the ranking and the Pareto sweep need.
///
/// A full grid has tens of thousands of entries but only a few hundred distinct costs and one
/// quality per model, so a comparison sort spends most of its time breaking ties. Instead the
/// entries are bucketed by (cost, quality) — the distinct costs found with a small hash table
/// and sorted among themselves — and only within each bucket (a full grid: 571 buckets of 1 to
/// 907 entries) are entries sorted, stably, by speed as an exact integer key.
fn sort(entries: &mut Vec<Entry>) {
    if entries.len() < 2 {
        return;
    }
    // Distinct costs: group[k] of entry k, and each group's cost key.
    let mut groups = CostGroups::with_capacity(entries.len());
    let group: Vec<u32> = entries.iter().map(|e| groups.id(ordered(e.cost))).collect();
    let cost_rank = groups.ranks();
    // Quality levels, best first (at most one per model; models without a score share one).
    let mut levels: Vec<u64> = Vec::new();
    for e in entries.iter() {
        let q = ordered(e.quality);
        if levels.last() != Some(&q) && !levels.contains(&q) {
            levels.push(q);
        }
    }
    levels.sort_unstable_by(|a, b| b.cmp(a));
    let n_levels = levels.len() as u32;
    // Entries come model by model, so the quality is usually the last one's.
    let mut last: Option<(u64, u32)> = None;
    let mut level = |q: f64| {
        let q = ordered(q);
        match last {
            Some((lq, l)) if lq == q => l,
            _ => {
                let l = levels.partition_point(|&l| l > q) as u32;
                last = Some((q, l));
                l
            }
        }
    };
    let bucket: Vec<u32> = (entries.iter().zip(&group))
        .map(|(e, &g)| cost_rank[g as usize] * n_levels + level(e.quality))
        .collect();
    // Counting sort by bucket.
    let n_buckets = groups.len() * n_levels as usize;
    let mut start = vec![0u32; n_buckets + 1];
    for &b in &bucket {
        start[b as usize + 1] += 1;
    }
    for i in 0..n_buckets {
        start[i + 1] += start[i];
    }
    let bounds = start.clone();
    // Within a bucket: faster first, then the lower row. Entries come in row order (the plan
    // pushes them as it builds rows) and are placed in that order, so a stable sort on the
    // speed alone (an exact integer key) leaves equal speeds in row order.
    debug_assert!(entries.windows(2).all(|w| w[0].row < w[1].row));
    let mut keys = vec![(0u64, 0u32); entries.len()];
    for (k, (e, &b)) in entries.iter().zip(&bucket).enumerate() {
        let slot = &mut start[b as usize];
        keys[*slot as usize] = (!ordered(e.speed), k as u32);
        *slot += 1;
    }
    for w in bounds.windows(2) {
        let (a, b) = (w[0] as usize, w[1] as usize);
        if b - a > 1 {
            keys[a..b].sort_by_key(|p| p.0);
        }
    }
    *entries = keys.iter().map(|&(_, k)| entries[k as usize]).collect();
}

/// The distinct costs of a plan's entries: an open-addressing hash table from a cost's
/// ordered bits to a dense group id.
struct CostGroups {
    slots: Vec<u32>,
    keys: Vec<u64>,
}

impl CostGroups {
    fn with_capacity(n: usize) -> Self {
        // Few distinct costs are usual; the table grows when more turn up.
        let size = n.clamp(64, 1024).next_power_of_two() * 2;
        CostGroups {
            slots: vec![u32::MAX; size],
            keys: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    /// The group of a cost key, made on first sight.
    fn id(&mut self, key: u64) -> u32 {
        if self.keys.len() * 2 >= self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = Self::hash(key) & mask;
        loop {
            match self.slots[i] {
                u32::MAX => {
                    let id = self.keys.len() as u32;
                    self.slots[i] = id;
                    self.keys.push(key);
                    return id;
                }
                g if self.keys[g as usize] == key => return g,
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn hash(key: u64) -> usize {
        // Fibonacci hashing: the top bits of the product mix every bit of the key.
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        self.slots = vec![u32::MAX; size];
        let mask = size - 1;
        for (g, &key) in self.keys.iter().enumerate() {
            let mut i = Self::hash(key) & mask;
            while self.slots[i] != u32::MAX {
                i = (i + 1) & mask;
            }
            self.slots[i] = g as u32;
        }
    }

    /// Each group's position in cost order (distinct keys, so no ties).
    fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.keys.len() as u32).collect();
        order.sort_unstable_by_key(|&g| self.keys[g as usize]);
        let mut rank = vec![0u32; self.keys.len()];
        for (r, &g) in order.iter().enumerate() {
            rank[g as usize] = r as u32;
        }
        rank
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The order the bucketed sort must produce, by plain comparisons.
    fn reference(entries: &[Entry]) -> Vec<u32> {
        let mut v = entries.to_vec();
        v.sort_by(|a, b| {
            (a.cost.total_cmp(&b.cost))
                .then(b.quality.total_cmp(&a.quality))
                .then(b.speed.total_cmp(&a.speed))
                .then(a.row.cmp(&b.row))
        });
        v.iter().map(|e| e.row).collect()
    }

    #[test]
    fn bucketed_sort_matches_a_comparison_sort() {
        // Few costs, few qualities, repeated speeds: ties at every level, as in a full grid.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for len in [0usize, 1, 2, 7, 300, 5000] {
            let mut row = 0u32;
            let entries: Vec<Entry> = (0..len)
                .map(|_| {
                    row += 1 + next(3) as u32;
                    Entry {
                        row,
                        cost: [0.0, 12.5, 99.0, 1e6, 3.75][next(5) as usize] * next(40) as f64,
                        quality: [f64::MIN, 40.0, 81.5, 90.0][next(4) as usize],
                        speed: next(25) as f64 * 0.5,
                    }
                })
                .collect();
            let mut sorted = entries.clone();
            sort(&mut sorted);
            let rows: Vec<u32> = sorted.iter().map(|e| e.row).collect();
            assert_eq!(rows, reference(&entries), "{len} entries");
        }
    }
}
