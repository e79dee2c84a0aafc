//! What the plan's loop would otherwise look up by string for every option, indexed once per
//! plan: the GPU of each choice, the offers per GPU type, each engine's fitted factors, which
//! engine serves which format on which GPU, and which engines share physics.

use crate::catalog::engine::MultiGpu;
use crate::catalog::format::Format;
use crate::catalog::gpu::{ComputePath, Gpu};
use crate::catalog::Catalog;
use crate::error::{PlannerError, Result};
use crate::estimate::{engine_runs, hardware, same_physics};
use crate::fit::Slowdowns;
use crate::money::{allowed, Allowed};
use crate::physics::decode::Hardware;
use crate::scenario::{Resolved, Scenario};

pub(super) struct Lookups<'a> {
    /// The scenario's formats, in its order.
    pub formats: Vec<&'a Format>,
    /// Each GPU choice resolved (None: its GPU is not in the catalog).
    pub choices: Vec<Option<Choice>>,
    /// The offers the price basis allows (the plan's `Names::offers`, in this order).
    pub allowed_offers: Vec<Allowed<'a>>,
    /// Per GPU type: its allowed offers, and each one's index in `allowed_offers`.
    pub offers_by_gpu: Vec<(Vec<Allowed<'a>>, Vec<u32>)>,
    /// slowdowns[engine × gpus + gpu]: each catalog engine's fitted factors on each GPU type
    /// (its vendor's where fitted), as multipliers of physical times.
    slowdowns: Vec<Slowdowns>,
    engines: usize,
    gpus: usize,
    /// runs[format × gpus + gpu]: the engines (bit e: engine e) that serve the format on the
    /// GPU type at all.
    runs: Vec<u64>,
    /// same_phys[a × engines + b]: whether engines a and b give a setup the same physics at
    /// the scenario's concurrency.
    same_phys: Vec<bool>,
}

impl<'a> Lookups<'a> {
    pub fn new(catalog: &'a Catalog, s: &Scenario, resolved: &'a Resolved) -> Result<Self> {
        let formats = (s.quants.iter())
            .map(|q| catalog.format(q))
            .collect::<Result<Vec<_>>>()?;
        let choices = (s.gpus.iter())
            .map(|c| {
                let gi = resolved.gpus.iter().position(|g| g.id == c.id)?;
                Some(Choice::new(gi, &resolved.gpus[gi], c.count))
            })
            .collect();
        let offers = catalog.cloud.iter().chain(resolved.custom_offers.iter());
        let allowed_offers = allowed(offers, &s.price_basis);
        let mut offers_by_gpu = vec![(Vec::new(), Vec::new()); resolved.gpus.len()];
        for (i, a) in allowed_offers.iter().enumerate() {
            if let Some(gi) = resolved.gpus.iter().position(|g| *g.id == *a.offer.gpu_id) {
                offers_by_gpu[gi].0.push(*a);
                offers_by_gpu[gi].1.push(i as u32);
            }
        }
        let engines = &catalog.engines;
        if engines.len() > 64 {
            return Err(PlannerError::invalid(
                "engine",
                format!(
                    "the plan handles at most 64 engines, the catalog has {}",
                    engines.len()
                ),
            ));
        }
        let runs = (formats.iter())
            .flat_map(|f| resolved.gpus.iter().map(move |g| (f, g)))
            .map(|(f, g)| engine_set(engines.iter().map(|e| engine_runs(e, f, g))))
            .collect();
        let same_phys = (engines.iter())
            .flat_map(|a| engines.iter().map(move |b| (a, b)))
            .map(|(a, b)| same_physics(a, b))
            .collect();
        Ok(Lookups {
            formats,
            choices,
            allowed_offers,
            offers_by_gpu,
            slowdowns: (engines.iter())
                .flat_map(|e| {
                    (resolved.gpus.iter())
                        .map(|g| Slowdowns::from(catalog.fit.fit_on(&e.id, &g.fit_family())))
                })
                .collect(),
            engines: engines.len(),
            gpus: resolved.gpus.len(),
            runs,
            same_phys,
        })
    }

    /// The engines (bit e: engine e) that serve format `q` on GPU type `g`, whatever the model
    /// and count.
    pub fn runs(&self, q: usize, g: usize) -> u64 {
        self.runs[q * self.gpus + g]
    }

    /// Engine `e`'s factors on GPU type `g`.
    pub fn slowdowns(&self, e: usize, g: usize) -> &Slowdowns {
        &self.slowdowns[e * self.gpus + g]
    }

    /// Whether engines `a` and `b` give any setup the same physics (`same_physics`).
    pub fn same_physics(&self, a: usize, b: usize) -> bool {
        self.same_phys[a * self.engines + b]
    }

    /// At most how many options one model has: one per GPU choice, format and engine that
    /// serves it ("all" engines), else one per GPU choice and format.
    pub fn options_per_model(&self, all_engines: bool, choices: usize) -> usize {
        if !all_engines {
            return self.formats.len() * choices;
        }
        let mut n = 0;
        for q in 0..self.formats.len() {
            for e in 0..self.engines {
                n += (self.choices.iter().flatten())
                    .filter(|c| (self.runs(q, c.gpu) >> e) & 1 == 1)
                    .count();
            }
        }
        n
    }
}

/// A GPU choice resolved: its GPU type, and the hardware its GPUs are to each way of spanning
/// them and each compute path (`estimate::hardware`, made once per plan rather than per option).
pub(super) struct Choice {
    /// The GPU type's index among the resolved GPUs.
    pub gpu: usize,
    hardware: [Hardware; SPLITS.len() * PATHS.len()],
}

const SPLITS: [MultiGpu; 3] = [
    MultiGpu::TensorParallel,
    MultiGpu::LayerSplit,
    MultiGpu::SingleDevice,
];
const PATHS: [ComputePath; 3] = [ComputePath::Bf16, ComputePath::Fp8, ComputePath::Fp4];

/// Where `Choice::hardware` keeps a way of spanning and a compute path (the orders above are
/// the enums', which a test checks).
fn slot(split: MultiGpu, path: ComputePath) -> usize {
    split as usize * PATHS.len() + path as usize
}

impl Choice {
    fn new(gpu: usize, g: &Gpu, count: u32) -> Self {
        Choice {
            gpu,
            hardware: std::array::from_fn(|i| {
                hardware(g, count, SPLITS[i / PATHS.len()], PATHS[i % PATHS.len()])
            }),
        }
    }

    /// The hardware these GPUs are to an engine spanning them by `split` and computing in
    /// `path`.
    pub fn hardware(&self, split: MultiGpu, path: ComputePath) -> &Hardware {
        &self.hardware[slot(split, path)]
    }
}

/// A set of engines as bits (bit e: engine e), from whether each one is in it, in order.
pub(super) fn engine_set(each: impl Iterator<Item = bool>) -> u64 {
    each.enumerate()
        .fold(0, |set, (e, is)| set | (is as u64) << e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_way_of_spanning_and_compute_path_has_its_own_hardware_slot() {
        for (i, split) in SPLITS.iter().enumerate() {
            for (j, path) in PATHS.iter().enumerate() {
                assert_eq!(
                    slot(*split, *path),
                    i * PATHS.len() + j,
                    "{split:?} {path:?}"
                );
            }
        }
    }
}
