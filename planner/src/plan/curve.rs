//! The curve a serving engineer reads for one option: aggregate output tokens/s per GPU against
//! tokens/s per user as the load on a replica grows (PHYSICS.md §10), with the operating point
//! the plan sized it for. Worked out on request for one option (its details page), not for
//! every option of a plan.

use serde::{Deserialize, Serialize};

use crate::capacity::{scenario_workload, Targets};
use crate::catalog::Catalog;
use crate::error::{PlannerError, Result};
use crate::estimate::{Physics, Setup};
use crate::fit::Slowdowns;
use crate::plan::PlanOption;
use crate::scenario::Scenario;
use crate::serving::open_loop_at;

/// One load on the curve: `in_flight` requests on a replica, as an open loop (the plan's view).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurvePoint {
    pub in_flight: u32,
    /// Expected per-stream decode tokens/s (1 / TPOT).
    pub tps_per_user: f64,
    /// Expected output tokens/s of the replica divided by its GPUs.
    pub tps_per_gpu: f64,
    /// Expected 95th-percentile TTFT, ms (None without a TFLOPS figure).
    pub ttft_p95_ms: Option<f64>,
    /// Whether this load meets the scenario's speed and TTFT targets.
    pub meets_targets: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoadCurve {
    /// From one request to the most the replica holds (its batch cap or KV memory), at most
    /// `MAX_POINTS` loads spaced evenly on a log scale.
    pub points: Vec<CurvePoint>,
    /// The load each replica carries at the peak, when the option meets the targets.
    pub operating: Option<CurvePoint>,
}

pub const MAX_POINTS: usize = 24;

/// The load curve of a plan's option under scenario `s` (the scenario the plan was made for).
pub fn load_curve(catalog: &Catalog, s: &Scenario, o: &PlanOption) -> Result<LoadCurve> {
    let resolved = s.resolve(catalog)?;
    let model = (resolved.models.iter())
        .find(|m| *m.id == *o.model)
        .ok_or_else(|| {
            PlannerError::invalid("key", format!("no model '{}' in the scenario", o.model))
        })?;
    let gpu = (resolved.gpus.iter())
        .find(|g| *g.id == *o.gpu)
        .ok_or_else(|| {
            PlannerError::invalid("key", format!("no GPU '{}' in the scenario", o.gpu))
        })?;
    let setup = Setup {
        model,
        format: catalog.format(&o.quant)?,
        gpu,
        gpus: o.gpus_per_replica,
        engine: catalog.engine(&o.engine)?,
        kv: catalog.kv_format(&s.kv_format)?,
    };
    let phys = Physics::new(&setup, &scenario_workload(s))?;
    if !phys.fits {
        return Ok(LoadCurve {
            points: Vec::new(),
            operating: None,
        });
    }
    let slow = Slowdowns::from(catalog.fit.fit_on(&o.engine, &gpu.fit_family()));
    let targets = Targets::of(s, &catalog.fit);
    let (request, limits) = (slow.serve(phys.request()), phys.limits());
    let has_compute = phys.prefill_compute.is_some();
    let point = |n: u32| {
        let ol = open_loop_at(n as f64, request, &limits, |d, p| {
            phys.mixed_step_time(&slow, d, p)
        });
        let ttft = has_compute.then_some(ol.ttft_tail_s * 1000.0);
        CurvePoint {
            in_flight: n,
            tps_per_user: ol.at.decode_tps_stream(),
            tps_per_gpu: ol.at.output_tps / o.gpus_per_replica.max(1) as f64,
            ttft_p95_ms: ttft,
            meets_targets: targets.speed_met(n, ol.at.step_s)
                && (!has_compute || targets.ttft_met(n, ol.ttft_tail_s)),
        }
    };
    let cap = limits.max_running.clamp(1.0, u32::MAX as f64) as u32;
    let mut loads: Vec<u32> = (0..MAX_POINTS)
        .map(|i| {
            let f = i as f64 / (MAX_POINTS - 1) as f64;
            (cap as f64).powf(f).round() as u32
        })
        .collect();
    loads.dedup();
    let operating = (o.meets_targets && o.replicas > 0)
        .then(|| point(s.peak_in_flight().max(1).div_ceil(o.replicas)));
    Ok(LoadCurve {
        points: loads.into_iter().map(point).collect(),
        operating,
    })
}
