//! What stops a replica from taking one more user: shared by the capacity search, which finds
//! it, and the notes, which word it.

use serde::{Deserialize, Serialize};

/// What caps the users one replica serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Limit {
    /// One replica serves the whole peak.
    Demand,
    /// The weights plus one sequence do not fit.
    Memory,
    /// KV memory holds no more sequences.
    KvCache,
    /// The engine's default batch cap.
    EngineBatch,
    /// One more user would push per-user decode speed below the target.
    Speed,
    /// One more user (or even one) would push TTFT above the target.
    Ttft,
}

impl Limit {
    /// Why an option that fits cannot meet the targets, worded for its notes.
    pub fn cannot_meet(self) -> &'static str {
        match self {
            Limit::Speed => {
                "cannot meet the targets: per-user speed target not reached even with one user"
            }
            Limit::Ttft => {
                "cannot meet the targets: time-to-first-token target not reached even idle"
            }
            Limit::Memory => "cannot meet the targets: does not fit in memory",
            _ => "cannot meet the targets",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Limit::Demand => "one replica carries the peak",
            Limit::Memory => "does not fit in memory",
            Limit::KvCache => "KV cache memory",
            Limit::EngineBatch => "engine batch limit",
            Limit::Speed => "per-user speed target",
            Limit::Ttft => "time-to-first-token target",
        }
    }
}
