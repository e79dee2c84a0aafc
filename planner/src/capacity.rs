//! Capacity for a demand (PHYSICS.md §7): how many concurrent users one replica serves
//! within the per-user speed and TTFT targets, and how many replicas the peak needs.

use crate::band::Band;
use crate::estimate::{Bound, Physics, Workload};
use crate::fit::{Fit, Metric, Regime, Slowdowns};
use crate::scenario::Scenario;
use crate::serving;

pub use crate::limit::Limit;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capacity {
    /// Users one replica serves within the targets (0: it cannot meet them at all).
    pub per_replica: u32,
    /// Replicas the peak needs (0 when a replica cannot meet the targets).
    pub replicas: u32,
    pub limit: Limit,
    /// What one replica runs at the peak when it meets the targets, or at one request when it
    /// cannot (so a miss says by how much); None when it does not fit.
    pub running: Option<Running>,
    /// What binds at the peak's batch (capacity when it does not fit).
    pub bound: Bound,
}

/// Expected figures of a replica at the batch it runs; `bands` puts the calibrated bands
/// around them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Running {
    /// Sequences decoded together.
    pub batch: u32,
    /// Per-user decode tokens/s and the replica's output tokens/s.
    pub decode_tps_stream: f64,
    pub output_tps_replica: f64,
    /// Per-stream decode tokens/s and the replica's output at this load with every byte at
    /// full bandwidth and every FLOP at peak: the bands' upper limits.
    pub ceiling_decode_tps_stream: f64,
    pub ceiling_output_tps_replica: f64,
    /// Time to first token at its 95th percentile under this load, queueing for step budget
    /// and batch slots included (None without a TFLOPS figure).
    pub ttft_ms: Option<f64>,
}

/// The calibration's band factors for the figures a replica reports, for a replica serving
/// one stream and one serving several.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandFactors {
    pub single: RegimeBands,
    pub loaded: RegimeBands,
}

/// Band factors (low, high) under one regime.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegimeBands {
    pub decode: (f64, f64),
    pub output: (f64, f64),
    /// TTFT's (low, high) as factors of the expected time.
    pub ttft: (f64, f64),
}

impl BandFactors {
    pub fn of(fit: &Fit) -> Self {
        let at = |r: Regime| RegimeBands {
            decode: fit.band(Metric::DecodeTpsStream, r),
            output: fit.band(Metric::OutputTpsTotal, r),
            ttft: fit.band(Metric::TtftMs, r),
        };
        BandFactors {
            single: at(Regime::Single),
            loaded: at(Regime::Loaded),
        }
    }

    /// The factors for a replica with `in_flight` requests at once.
    pub fn at(&self, in_flight: u32) -> &RegimeBands {
        match Regime::of(in_flight as f64) {
            Regime::Single => &self.single,
            Regime::Loaded => &self.loaded,
        }
    }
}

/// A replica's figures as bands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunningBands {
    pub decode_tps_stream: Band,
    pub output_tps_replica: Band,
    pub ttft_ms: Option<Band>,
}

impl Running {
    /// The expected per-user speed as its band shows it (never above the ceiling).
    pub fn decode_expected(&self) -> f64 {
        Band::capped(self.decode_tps_stream, self.ceiling_decode_tps_stream)
    }

    /// The bands around the expected figures: the fit's residual factors, high ends capped at
    /// the physical ceiling; TTFT from the prefill band (a faster prefill, a shorter wait).
    pub fn bands(&self, f: &BandFactors) -> RunningBands {
        let f = f.at(self.batch);
        let ceiling = self.ceiling_decode_tps_stream;
        let decode = Band::around(self.decode_tps_stream, f.decode.0, f.decode.1, ceiling);
        // One sequence: the replica's output is the stream itself, with the stream's band.
        let output = if self.batch == 1 {
            decode
        } else {
            let (lo, hi) = f.output;
            Band::around(
                self.output_tps_replica,
                lo,
                hi,
                self.ceiling_output_tps_replica,
            )
        };
        // The replica's figures keep no TTFT floor (a row stays within 128 bytes): 0 here.
        let ttft_ms = self
            .ttft_ms
            .map(|ms| Band::of_time(ms, f.ttft.0, f.ttft.1, 0.0));
        RunningBands {
            decode_tps_stream: decode,
            output_tps_replica: output,
            ttft_ms,
        }
    }
}

impl Capacity {
    pub fn meets_targets(&self) -> bool {
        self.per_replica > 0
    }
}

/// The workload a scenario puts on a replica: its users, served with continuous batching.
pub fn scenario_workload(s: &Scenario) -> Workload {
    Workload {
        concurrency: s.peak_in_flight().max(1),
        prompt_tokens: s.prompt_tokens,
        gen_tokens: s.output_tokens.max(1),
        context_depth: 0,
        serving: true,
    }
}

/// A scenario's targets as the capacity search compares them: the peak's users, the longest
/// decode step that still gives each user the speed target (its inverse), and the 95th
/// percentile TTFT the target allows; and the calibration's bands, because a replica meets the
/// targets only at its bands' pessimistic ends (the speed band's low end at or above the speed
/// target, the TTFT band's high end within the TTFT target). Made once per plan; the search
/// compares them at every load it probes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Targets {
    pub peak: u32,
    pub max_step_s: f64,
    pub ttft_s: f64,
    pub bands: BandFactors,
}

impl Targets {
    pub fn of(s: &Scenario, fit: &Fit) -> Self {
        Targets {
            peak: s.peak_in_flight().max(1),
            max_step_s: 1.0 / s.tokens_per_s_per_user,
            ttft_s: s.ttft_ms / 1000.0,
            bands: BandFactors::of(fit),
        }
    }

    /// Whether `n` requests in flight, each step taking `step_s` expected, give every user the
    /// speed target at the band's low end (the expected speed times its low factor; `Band::around`).
    pub fn speed_met(&self, n: u32, step_s: f64) -> bool {
        step_s <= self.max_step_s * self.bands.at(n).decode.0.min(1.0)
    }

    /// Whether an expected 95th-percentile TTFT of `ttft_s` at `n` in flight meets the TTFT
    /// target at the band's high end (`Band::of_time`).
    pub fn ttft_met(&self, n: u32, ttft_s: f64) -> bool {
        ttft_s * self.bands.at(n).ttft.1.max(1.0) <= self.ttft_s
    }
}

/// Sizes a setup for a scenario `s`: `phys` must be `Physics::new(setup, scenario_workload(s))`,
/// `t` the scenario's `Targets::of(s)` and `f` the engine's fitted factors as multipliers (the
/// plan makes them once per engine). A replica carries `n` requests in flight when, as an open
/// loop at the arrival rate that keeps `n` in flight (`serving::open_loop_at`), each stream's
/// time per output token meets the speed target and TTFT at its 95th percentile meets the
/// TTFT target at the pessimistic ends of their bands (`Targets::speed_met`, `ttft_met`); the
/// largest such `n` is the replica's capacity. The figures kept are expected values;
/// `Running::bands` puts the calibration's bands around them.
#[inline(always)]
pub fn capacity(phys: &Physics, t: &Targets, f: &Slowdowns) -> Capacity {
    if !phys.fits {
        return Capacity {
            per_replica: 0,
            replicas: 0,
            limit: Limit::Memory,
            running: None,
            bound: Bound::Capacity,
        };
    }
    let bound = phys.predict_slowed(f).bound;
    let limits = phys.limits();
    let request = f.serve(phys.request());
    let step = |d: f64, p: f64| phys.mixed_step_time(f, d, p);
    let at = |n: u32| serving::open_loop_at(n as f64, request, &limits, step);
    // Without a TFLOPS figure the prompt's compute is unknown: TTFT is not checked (the
    // option's notes say so).
    let check_ttft = phys.prefill_compute.is_some();
    // The expected figures of a replica carrying `n` requests, its ceilings beside them.
    let running_at = |n: u32| {
        let o = at(n);
        let floor = serving::open_loop_at(n as f64, phys.request(), &limits, |d, p| {
            phys.mixed_step_floor(d, p)
        });
        Running {
            batch: n,
            decode_tps_stream: o.at.decode_tps_stream(),
            output_tps_replica: o.at.output_tps,
            ceiling_decode_tps_stream: floor.at.decode_tps_stream(),
            ceiling_output_tps_replica: floor.at.output_tps,
            ttft_ms: check_ttft.then_some(o.ttft_tail_s * 1000.0),
        }
    };
    // Missing a target still says what one request gets: the user sees by how much it misses.
    let none = |limit| Capacity {
        per_replica: 0,
        replicas: 0,
        limit,
        running: Some(running_at(1)),
        bound,
    };
    let too_slow = |n: u32, o: &serving::OpenLoop| !t.speed_met(n, o.at.step_s);
    let ok = |n: u32| {
        let o = at(n);
        !too_slow(n, &o) && (!check_ttft || t.ttft_met(n, o.ttft_tail_s))
    };
    let peak = t.peak;
    let cap = limits.max_running.min(u32::MAX as f64) as u32;
    let max_n = peak.min(cap).max(1);
    // Per-stream speed falls and TTFT rises with the load. The largest load is tried first
    // (often one replica carries the whole peak); else one request, then a binary search.
    let (mut lo, mut hi) = if max_n > 1 && ok(max_n) {
        (max_n, max_n)
    } else if !ok(1) {
        return none(if too_slow(1, &at(1)) {
            Limit::Speed
        } else {
            Limit::Ttft
        });
    } else {
        (1u32, max_n.saturating_sub(1).max(1))
    };
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if ok(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let per_replica = lo;
    let limit = if per_replica >= peak {
        Limit::Demand
    } else if per_replica == max_n {
        if phys.engine_cap_binds() {
            Limit::EngineBatch
        } else {
            Limit::KvCache
        }
    } else if too_slow(per_replica + 1, &at(per_replica + 1)) {
        Limit::Speed
    } else {
        Limit::Ttft
    };
    let replicas = peak.div_ceil(per_replica);
    // The load each replica actually carries when the peak is spread evenly.
    let n = peak.div_ceil(replicas);
    Capacity {
        per_replica,
        replicas,
        limit,
        running: Some(running_at(n)),
        bound,
    }
}
