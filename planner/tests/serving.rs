//! The replica under load (`serving`), on hand-worked cases with a step time that is linear in
//! its tokens: 10 ms fixed, 0.1 ms per decoding sequence, 0.01 ms per prompt token.

use planner::serving::{
    burst, burst_varied, closed_loop, finite_open_loop, open_loop, open_loop_at, Binding, Limits,
    Request,
};

fn step(decode: f64, prefill: f64) -> f64 {
    0.010 + 0.0001 * decode + 0.000_01 * prefill
}

const R: Request = Request {
    prompt: 1000.0,
    output: 101.0,
    fixed_s: 0.0,
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

#[test]
fn a_burst_of_varied_lengths_drains_as_requests_finish() {
    // 32 prompts, all admitted: 32,000 prompt tokens in 4 budget-full steps of 8,000 (90 ms
    // each), then a drain of exponential lengths from 32 running: 101 × (∫₀^ln 32 (10 ms +
    // 0.1 ms × eˢ) ds + T(1)) = 101 × (10 ms × ln 32 + 0.1 ms × 31 + 10.1 ms).
    let op = burst_varied(32.0, R, &L, step);
    let drain = 101.0 * (0.010 * 32f64.ln() + 0.0001 * 31.0 + 0.0101);
    let total = 4.0 * 0.090 + drain;
    assert!(
        (op.output_tps / (32.0 * 101.0 / total) - 1.0).abs() < 1e-9,
        "{op:?}"
    );
    // The median request (length 101 × ln 2) sees the batch fall from 32 to 16:
    // 10 ms + 0.1 ms × 16 / ln 2 on average, below the full batch's 13.2 ms.
    let tpot = 0.010 + 0.0001 * 16.0 / std::f64::consts::LN_2;
    assert!((op.step_s / tpot - 1.0).abs() < 1e-9, "{}", op.step_s);
    assert!(op.step_s < step(32.0, 0.0));
    // One prompt: its prefill (20 ms), then 101 steps alone.
    let one = burst_varied(1.0, R, &L, step);
    assert!(close(one.step_s, 0.0101), "{one:?}");
    assert!(
        close(one.output_tps, 101.0 / (0.020 + 101.0 * 0.0101)),
        "{one:?}"
    );
}

#[test]
fn a_long_queue_holds_the_cap_so_the_tail_matters_less_and_less() {
    // 200 prompts for 64 slots: most requests finish at the full batch's pace (the closed
    // loop's), then the last 64 drain; more prompts, closer to the steady throughput.
    let steady = closed_loop(200.0, R, &L, step);
    let op = burst_varied(200.0, R, &L, step);
    assert!(close(op.step_s, steady.step_s));
    assert!(op.output_tps < steady.output_tps);
    let mut last = burst_varied(64.0, R, &L, step).output_tps;
    for n in [100.0, 200.0, 500.0, 1000.0, 5000.0] {
        let tps = burst_varied(n, R, &L, step).output_tps;
        assert!(tps > last, "{n}: {tps} <= {last}");
        assert!(tps < closed_loop(n, R, &L, step).output_tps);
        last = tps;
    }
    // TTFT is the plain burst's: the prompts ahead, then the completions ahead.
    assert!(close(op.ttft_s, burst(200.0, R, &L, step).ttft_s));
}

#[test]
fn a_finite_run_past_capacity_is_followed_in_time() {
    let max = open_loop_at(L.max_running, R, &L, step).at.requests_per_s;
    // Below capacity it is the steady open loop.
    let steady = open_loop(0.5 * max, R, &L, step).expect("served").at;
    assert_eq!(finite_open_loop(0.5 * max, 1000.0, R, &L, step), steady);
    // 64 prompts at once onto 64 slots: the median request's first token comes once 32
    // prompts (32,000 tokens) went through budget-full steps of 8,192 (8 prompts, ≥ 92 ms
    // each, more as the prefilled decode beside them): about four steps, never fewer.
    let burst = finite_open_loop(1e6, 64.0, R, &L, step);
    assert!(
        burst.ttft_s > 4.0 * 0.092 && burst.ttft_s < 6.0 * 0.092,
        "{burst:?}"
    );
    // Past capacity, a later median arrival finds more ahead of it: TTFT rises with the rate,
    // throughput never passes the arrivals or what the full replica sustains (within the
    // fluid's mix), and the run is reported as binding on slots once it holds more than the cap.
    let mut last = 0.0;
    for k in [1.5, 2.0, 4.0, 16.0] {
        let op = finite_open_loop(k * max, 1000.0, R, &L, step);
        assert!(op.ttft_s > last, "{k}: {op:?}");
        assert!(op.requests_per_s < k * max, "{k}: {op:?}");
        assert!(op.requests_per_s < 1.1 * max, "{k}: {op:?} vs {max}");
        assert!(op.step_s >= step(1.0, 0.0), "{k}: {op:?}");
        last = op.ttft_s;
    }
    // With slots to spare, a run at 1.5× capacity whose median arrives before the cap fills
    // waits only for the prompts ahead, far less than a queue growing from the start
    // (half the run's excess arrivals served at capacity).
    let wide = Limits {
        max_running: 4096.0,
        token_budget: 8192.0,
    };
    let max_wide = open_loop_at(wide.max_running, R, &wide, step)
        .at
        .requests_per_s;
    let op = finite_open_loop(1.5 * max_wide, 1000.0, R, &wide, step);
    let from_start = 0.5 * 1000.0 / (1.5 * max_wide) * 0.5 * max_wide / max_wide;
    assert!(op.ttft_s < 0.5 * from_start, "{op:?} vs {from_start}");
}

#[test]
fn a_requests_fixed_path_adds_to_its_ttft_only() {
    let slow = Request { fixed_s: 0.05, ..R };
    let add = |a: f64, b: f64| close(b, a + 0.05);
    for n in [1.0, 16.0, 200.0] {
        let (a, b) = (closed_loop(n, R, &L, step), closed_loop(n, slow, &L, step));
        assert!(add(a.ttft_s, b.ttft_s), "{n}: {a:?} {b:?}");
        assert!(close(a.output_tps, b.output_tps) && close(a.step_s, b.step_s));
        let (a, b) = (burst(n, R, &L, step), burst(n, slow, &L, step));
        assert!(add(a.ttft_s, b.ttft_s), "{n}");
    }
    let (a, b) = (
        open_loop_at(16.0, R, &L, step),
        open_loop_at(16.0, slow, &L, step),
    );
    assert!(add(a.at.ttft_s, b.at.ttft_s) && add(a.ttft_tail_s, b.ttft_tail_s));
    assert!(close(a.at.requests_per_s, b.at.requests_per_s));
    let max = a.at.requests_per_s * 100.0;
    let (a, b) = (
        finite_open_loop(max, 500.0, R, &L, step),
        finite_open_loop(max, 500.0, slow, &L, step),
    );
    assert!(add(a.ttft_s, b.ttft_s), "{a:?} {b:?}");
}

/// A step like a MoE's: any prompt chunk (hundreds of tokens) reads every expert, 20 ms more
/// than a decode step of a few sequences, whatever the chunk's size.
fn moe_step(decode: f64, prefill: f64) -> f64 {
    0.010 + 0.0001 * decode + if prefill > 0.0 { 0.020 } else { 0.0 }
}

#[test]
fn prompt_chunks_come_whole_not_spread_over_every_step() {
    // 8 clients: each prompt (1,000 tokens) fits one step, then 100 decode steps. Beside one
    // request, the other 7 decode 700/101 sequences a step on average and bring 7,000/101
    // prompt tokens a step: a whole chunk in 7 of every 101 steps, none in the rest.
    let decoding = 1.0 + 700.0 / 101.0;
    let share = 7.0 / 101.0;
    let plain = moe_step(decoding, 0.0);
    let with_chunk = moe_step(decoding, 1000.0);
    let mean = (1.0 - share) * plain + share * with_chunk;
    let op = closed_loop(8.0, R, &L, moe_step);
    assert!(close(op.step_s, mean), "{} against {mean}", op.step_s);
    // Spread thin, every step would have read every expert.
    assert!(op.step_s < 0.7 * moe_step(decoding, 7000.0 / 101.0));
    // A request arrives in a long step more often than in a short one: the rest of the step
    // under way is E[T²] / 2E[T], then its own chunk's step.
    let residual = ((1.0 - share) * plain * plain + share * with_chunk * with_chunk) / (2.0 * mean);
    let own_chunk = moe_step(700.0 / 101.0, 1000.0);
    assert!(close(op.ttft_s, residual + own_chunk), "{}", op.ttft_s);
    assert!(residual > mean / 2.0);
    // For a step linear in its tokens the mean step is the same either way.
    let linear = closed_loop(8.0, R, &L, step);
    assert!(close(linear.step_s, step(decoding, 7000.0 / 101.0)));
}
