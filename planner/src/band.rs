//! Estimates are bands, not points (PHYSICS.md §9).

use serde::{Deserialize, Serialize};

/// low <= expected <= high, all finite and positive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Band {
    pub low: f64,
    pub expected: f64,
    pub high: f64,
}

impl Band {
    /// A band around `expected` from multiplicative residual factors (lo <= 1 <= hi), with the
    /// high end never above `ceiling` (a physical bound) and the whole band kept ordered.
    pub fn around(expected: f64, lo: f64, hi: f64, ceiling: f64) -> Band {
        let expected = Band::capped(expected, ceiling);
        let high = (expected * hi.max(1.0)).min(ceiling).max(expected);
        let low = (expected * lo.min(1.0)).min(expected);
        Band {
            low,
            expected,
            high,
        }
    }

    /// A band around an expected *time* from multiplicative residual factors (lo <= 1 <= hi),
    /// never below `floor` (the time with every byte at full bandwidth and every FLOP at peak):
    /// a time's physical bound is a floor, as a speed's is a ceiling (`around`).
    pub fn of_time(expected: f64, lo: f64, hi: f64, floor: f64) -> Band {
        let expected = expected.max(floor);
        Band {
            low: (expected * lo.min(1.0)).max(floor),
            expected,
            high: expected * hi.max(1.0),
        }
    }

    /// An expected value as a band shows it: never above the physical ceiling.
    pub fn capped(expected: f64, ceiling: f64) -> f64 {
        expected.min(ceiling)
    }

    /// The band of 1/x scaled by `k` (e.g. a time from a rate): low and high swap.
    pub fn inverse(&self, k: f64) -> Band {
        Band {
            low: k / self.high,
            expected: k / self.expected,
            high: k / self.low,
        }
    }

    pub fn scale(&self, k: f64) -> Band {
        Band {
            low: self.low * k,
            expected: self.expected * k,
            high: self.high * k,
        }
    }

    pub fn contains(&self, v: f64) -> bool {
        v >= self.low && v <= self.high
    }
}
