//! The LLM deployment planner's engine: pure functions from a catalog of sourced facts and a
//! user's scenario to memory, fit, speed and cost. No IO: data files are compiled in.

pub mod band;
pub mod calibration;
pub mod capacity;
pub mod catalog;
pub mod demand;
pub mod dollars;
pub mod error;
pub mod estimate;
pub mod fit;
pub mod hf_config;
pub mod limit;
pub mod money;
pub mod notes;
pub mod physics;
pub mod plan;
pub mod scenario;
pub mod scenario_json;
pub mod serving;
pub mod units;

pub use catalog::Catalog;
pub use error::{PlannerError, Result};
pub use plan::{plan, Plan};
pub use scenario::Scenario;
