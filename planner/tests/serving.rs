//! The replica under load (`serving`), on hand-worked cases with a step time that is linear in
//! its tokens: 10 ms fixed, 0.1 ms per decoding sequence, 0.01 ms per prompt token.

use planner::serving::{burst, closed_loop, open_loop, open_loop_at, Binding, Limits, Request};

fn step(decode: f64, prefill: f64) -> f64 {
    0.010 + 0.0001 * decode + 0.000_01 * prefill
}

const R: Request = Request {
    prompt: 1000.0,
    output: 101.0,
};
const L: Limits = Limits {
    max_running: 64.0,
    token_budget: 8192.0,
};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn one_client_is_a_single_stream() {
    let op = closed_loop(1.0, R, &L, step);
    // Its prompt in one step alone (10 + 10 ms), then 100 decode steps of one sequence.
    assert!(close(op.ttft_s, 0.020), "{}", op.ttft_s);
    assert!(close(op.step_s, 0.0101), "{}", op.step_s);
    let residence = 0.020 + 100.0 * 0.0101;
    assert!(close(op.requests_per_s, 1.0 / residence));
    assert!(close(op.output_tps, 101.0 / residence));
    assert_eq!(op.binding, Binding::Steps);
}

#[test]
fn throughput_rises_to_the_cap_then_flattens_and_latency_only_grows() {
    let mut last = closed_loop(1.0, R, &L, step);
    for n in 2..=200 {
        let op = closed_loop(n as f64, R, &L, step);
        assert!(op.step_s >= last.step_s, "per-stream speed rose at N = {n}");
        assert!(op.ttft_s >= last.ttft_s, "TTFT fell at N = {n}");
        if n as f64 <= L.max_running {
            assert!(
                op.output_tps > last.output_tps,
                "throughput flat at N = {n}"
            );
            assert_ne!(op.binding, Binding::BatchSlots);
        } else {
            assert!(
                close(op.output_tps, last.output_tps),
                "past the cap at N = {n}"
            );
            assert_eq!(op.binding, Binding::BatchSlots);
        }
        last = op;
    }
}

#[test]
fn littles_law_ties_the_closed_loop_together() {
    for n in [1.0, 8.0, 64.0, 150.0] {
        let op = closed_loop(n, R, &L, step);
        let residence = op.ttft_s + (R.output - 1.0) * op.step_s;
        assert!(close(n, op.requests_per_s * residence), "N = {n}");
    }
}

#[test]
fn the_token_budget_holds_prefill_back() {
    let tight = Limits {
        token_budget: 512.0,
        ..L
    };
    let op = closed_loop(64.0, R, &tight, step);
    // Every request needs 1000 prompt tokens and 100 decode tokens; 64 of them need more than
    // 512 tokens a step, so the budget binds and each prompt spans several steps.
    assert_eq!(op.binding, Binding::TokenBudget);
    let loose = closed_loop(64.0, R, &L, step);
    assert!(op.ttft_s > loose.ttft_s && op.output_tps < loose.output_tps);
}

#[test]
fn a_burst_within_the_cap_waits_for_the_prompts_ahead() {
    // 64 prompts at once: the median request's first token comes after 32 prompts of 1000
    // tokens, 8192 a step: 4 steps of 10 + 81.92 ms.
    let op = burst(64.0, R, &L, step);
    assert!(close(op.ttft_s, 4.0 * (0.010 + 0.08192)), "{}", op.ttft_s);
    // Past the cap the median request also waits for completions.
    let big = burst(1000.0, R, &L, step);
    assert!(big.ttft_s > op.ttft_s + (500.0 - 64.0) / big.requests_per_s * 0.99);
}

#[test]
fn an_open_loop_past_capacity_is_overloaded_not_slow() {
    let max = open_loop_at(L.max_running, R, &L, step).at.requests_per_s;
    let below = open_loop(0.5 * max, R, &L, step).expect("half the capacity is served");
    assert!(close(below.at.requests_per_s, 0.5 * max));
    assert!(below.ttft_tail_s >= below.at.ttft_s);
    let over = open_loop(1.01 * max, R, &L, step).expect_err("past capacity");
    assert!(close(over.max_rate, max));
    assert!(open_loop(f64::INFINITY, R, &L, step).is_err());
}

#[test]
fn the_ttft_tail_grows_with_the_load() {
    let mut last = 0.0;
    for n in [1.0, 4.0, 16.0, 48.0, 63.0] {
        let o = open_loop_at(n, R, &L, step);
        assert!(o.ttft_tail_s >= last, "n = {n}");
        last = o.ttft_tail_s;
    }
}
