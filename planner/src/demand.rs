//! The scenario's demand in words: how the peak that sizes the fleet and the monthly volume
//! that prices it follow from what the user entered (`Scenario::peak_in_flight`,
//! `Scenario::monthly_output_tokens`). The page beside the form, the details page and the
//! reports all say it this way.

use crate::scenario::Scenario;

fn count(v: f64) -> String {
    crate::dollars::thousands(v.round())
}

/// "20 requests in flight at the peak (200 users, 10% of them at once)", or the given peak.
pub fn peak_text(s: &Scenario) -> String {
    let peak = s.peak_in_flight();
    if s.total_users > 0 {
        format!(
            "{} requests in flight at the peak ({} users, {}% of them at once)",
            count(peak as f64),
            count(s.total_users as f64),
            s.active_share * 100.0
        )
    } else {
        format!(
            "{} requests in flight at the peak (given)",
            count(peak as f64)
        )
    }
}

/// Requests in flight on average over the usage hours when the requests a day are given
/// (Little's law: arrivals per second × seconds a request lasts, its TTFT target plus its
/// output at the speed target); None otherwise.
pub fn average_in_flight(s: &Scenario) -> Option<f64> {
    (s.requests_per_day > 0.0).then(|| {
        let per_s = s.requests_per_day / (s.hours_per_day * 3600.0);
        let lasts = s.ttft_ms / 1000.0 + s.output_tokens as f64 / s.tokens_per_s_per_user;
        per_s * lasts
    })
}

/// How the monthly output volume is worked out, with its figure.
pub fn volume_text(s: &Scenario) -> String {
    let m = s.monthly_output_tokens() / 1e6;
    if s.requests_per_day > 0.0 {
        let avg = average_in_flight(s).unwrap_or(0.0);
        format!(
            "{m:.1} M output tokens a month ({} requests a day × {} days × {} output tokens); \
             about {avg:.1} requests in flight on average over the usage hours",
            count(s.requests_per_day),
            s.days_per_month,
            s.output_tokens
        )
    } else {
        format!(
            "{m:.1} M output tokens a month ({} in flight × {} tok/s × 3,600 s × {} h × {} \
             load): every peak request streaming for that share of the usage hours",
            count(s.peak_in_flight() as f64),
            s.tokens_per_s_per_user,
            s.usage_hours_per_month(),
            s.utilization
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_and_requests_give_the_peak_and_the_volume() {
        let s = Scenario {
            total_users: 200,
            active_share: 0.1,
            requests_per_day: 6000.0,
            output_tokens: 300,
            days_per_month: 30.0,
            hours_per_day: 8.0,
            tokens_per_s_per_user: 15.0,
            ttft_ms: 1000.0,
            ..Scenario::default()
        };
        assert_eq!(s.peak_in_flight(), 20);
        assert_eq!(s.monthly_output_tokens(), 6000.0 * 30.0 * 300.0);
        assert!(peak_text(&s).starts_with("20 requests in flight at the peak (200 users, 10%"));
        assert!(volume_text(&s).starts_with("54.0 M output tokens a month (6,000 requests"));
        // 6,000 requests over 8 h, each lasting 1 s + 300 / 15 s = 21 s: 4.4 in flight.
        let avg = average_in_flight(&s).unwrap();
        assert!((avg - 6000.0 / 28_800.0 * 21.0).abs() < 1e-9);
        // Given directly, the peak stays what it was and the volume follows it.
        let d = Scenario::default();
        assert_eq!(d.peak_in_flight(), d.peak_users);
        assert!(peak_text(&d).ends_with("(given)"));
        assert!(average_in_flight(&d).is_none());
    }
}
