//! A replica under load (PHYSICS.md §10): continuous batching with chunked prefill, in steady
//! state, for a closed loop of N clients, a burst of N prompts sent at once (draining as
//! requests of varied lengths finish), and an open loop of Poisson arrivals.
//!
//! Each engine step runs one decode token for every running sequence past its prefill plus
//! prompt tokens of admitted requests, up to the engine's per-step token budget (chunked
//! prefill: vLLM, SGLang and TensorRT-LLM put prefill chunks and decode tokens in one batch).
//! A step's time is the per-step physics of that mixed batch (`step(decode, prefill_tokens)`,
//! given by the caller: weights read once, FLOPs for every token, KV of every decoding
//! sequence, all-reduces, the per-step overhead).
//!
//! Why a closed form and not a discrete-event simulation: the plan sizes ~50k options per
//! request, each with a search over the load, and a simulation of thousands of steps per probe
//! would cost seconds. In steady state the mix of a step is fixed by conservation — every
//! request brings P prompt tokens and O output tokens, the first of which its last prefill
//! chunk emits — so steps carry d decode tokens and, on average, d·P/(O − 1) prompt tokens
//! (in whole chunks, in a share of the steps), and Little's law gives the rest: completions
//! λ = d / ((O − 1)·T), residence N / λ = TTFT + (O − 1)·T.
//! Waiting for a batch slot (closed loop above the cap, bursts) follows from the same law; the
//! open loop's tail of TTFT adds the queueing of prompts for the step budget (M/D/1, Poisson
//! arrivals) and, near the cap, for a slot. Variable request lengths (ShareGPT) are taken at
//! their means, except in a burst's drain, where their spread is what sets its length.

use serde::{Deserialize, Serialize};

/// The engine's scheduling limits on one replica.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Sequences running at once: the engine's cap and what the KV memory holds, whichever is
    /// lower (at least 1).
    pub max_running: f64,
    /// Tokens (decode plus prefill) one step may carry (`max_num_batched_tokens`).
    pub token_budget: f64,
}

/// One request: its lengths, tokens, and the time its first token takes outside the engine's
/// steps (the API server's path: HTTP, tokenization, the first scheduling pass), seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Request {
    pub prompt: f64,
    pub output: f64,
    pub fixed_s: f64,
}

/// What binds the replica at an operating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// Every request is admitted at once; the step time sets the pace.
    Steps,
    /// Requests wait for a batch slot (engine cap or KV memory).
    BatchSlots,
    /// The per-step token budget holds back prefill.
    TokenBudget,
}

/// A replica's steady state at one load. Times in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Operating {
    /// Requests in the system (running and waiting for a slot).
    pub in_system: f64,
    /// Requests holding a batch slot (decoding or in prefill).
    pub running: f64,
    /// Sequences that decode one token per step.
    pub decoding: f64,
    /// Prompt tokens a step carries on average.
    pub prefill_per_step: f64,
    /// Mean step time; a decoding stream's time per output token (TPOT).
    pub step_s: f64,
    /// Completed requests per second.
    pub requests_per_s: f64,
    /// Output tokens per second of the replica.
    pub output_tps: f64,
    /// Mean time to first token, the queueing included.
    pub ttft_s: f64,
    pub binding: Binding,
}

impl Operating {
    /// Per-stream decode tokens/s (1 / TPOT).
    pub fn decode_tps_stream(&self) -> f64 {
        1.0 / self.step_s
    }
}

/// The steady state with `running` requests holding slots (at most the cap), seen by one of
/// them: how many prompt-token steps its prefill spans, the step that carries its chunk, and
/// the steps of its decode, beside the other `running − 1` requests in their mean mix.
struct Mix {
    /// Steps a prompt's prefill spans.
    prefill_steps: f64,
    /// A step of this request's decode, on average: itself and the others' decodes, and in a
    /// share of the steps one of the others' prompt chunks.
    tpot_s: f64,
    /// The mean rest of the step under way when a request arrives.
    residual_s: f64,
    /// A step carrying one of its prompt's chunks beside the others' decodes.
    chunk_step_s: f64,
    /// The others' mean decode tokens and prompt tokens per step.
    others_decoding: f64,
    others_prefill: f64,
    budget_bound: bool,
}

fn mix(running: f64, r: Request, l: &Limits, step: &impl Fn(f64, f64) -> f64) -> Mix {
    let running = running.max(0.0);
    let decode_steps = (r.output - 1.0).max(0.0);
    let budget = l.token_budget.max(1.0);
    // A request spends `x` steps in prefill and O − 1 in decode. Decode tokens go first (the
    // schedulers run the running decodes, then fill the budget with prompt chunks), so a
    // prompt's chunks get the spare budget: x ≥ P / spare. And all prompts together may not
    // need more than the budget: R (P + O − 1) / (O − 1 + x) ≤ budget per step. Two passes
    // settle x (the spare budget depends on how many decode).
    let mut x = (r.prompt / budget).ceil().max(1.0);
    for _ in 0..2 {
        let decoding = running * decode_steps / (decode_steps + x);
        let spare = (budget - decoding).max(1.0);
        x = (r.prompt / spare).ceil().max(1.0);
    }
    let budget_x = running * (r.prompt + decode_steps) / budget - decode_steps;
    let budget_bound = budget_x > x;
    let x = x.max(budget_x);
    let others = (running - 1.0).max(0.0);
    let others_decoding = others * decode_steps / (decode_steps + x);
    let others_prefill = others * r.prompt / (decode_steps + x);
    let chunk = (r.prompt / x).min(budget);
    // The others' prompt tokens come in chunks, not spread thin over every step: while fewer
    // than one chunk a step is due, a share of the steps carries a whole chunk and the rest
    // decode only. For a dense model the mean step is the same either way (its time is linear
    // in the tokens); a MoE step is not: a chunk of thousands of tokens reads every expert,
    // a decode step of a few sequences only the experts they route to.
    let decoding = 1.0 + others_decoding;
    let share = others_prefill / chunk.max(1.0);
    let (tpot_s, tpot_sq) = if share < 1.0 {
        let plain = step(decoding, 0.0);
        let with_chunk = step(decoding, chunk);
        (
            (1.0 - share) * plain + share * with_chunk,
            (1.0 - share) * plain * plain + share * with_chunk * with_chunk,
        )
    } else {
        let t = step(decoding, others_prefill);
        (t, t * t)
    };
    Mix {
        prefill_steps: x,
        tpot_s,
        // A request arriving at a random moment lands in a long step more often than a short
        // one: the rest of the step under way is E[T²] / (2 E[T]), not E[T] / 2.
        residual_s: tpot_sq / (2.0 * tpot_s),
        chunk_step_s: step(others_decoding, chunk.max(others_prefill.min(budget))),
        others_decoding,
        others_prefill,
        budget_bound,
    }
}

impl Mix {
    /// Time from admission to the first token: the rest of the step under way (when others
    /// run) and the steps carrying the prompt's chunks; the last emits the first token.
    fn first_token_s(&self, running: f64) -> f64 {
        let residual = if running > 1.0 { self.residual_s } else { 0.0 };
        residual + self.prefill_steps * self.chunk_step_s
    }

    /// Time a request holds its slot: to its first token, then O − 1 decode steps.
    fn residence_s(&self, running: f64, r: Request) -> f64 {
        self.first_token_s(running) + (r.output - 1.0).max(0.0) * self.tpot_s
    }
}

/// A closed loop of `clients` (≥ 1) each sending a request and, once it completes, the next:
/// `vllm bench serve --max-concurrency N`.
pub fn closed_loop(
    clients: f64,
    r: Request,
    l: &Limits,
    step: impl Fn(f64, f64) -> f64,
) -> Operating {
    let (clients, running) = admitted(clients, l);
    let m = mix(running, r, l, &step);
    // Little's law over the slots: running = λ × residence; the clients beyond the slots
    // wait (clients − running) / λ for one.
    let requests_per_s = running / m.residence_s(running, r);
    let wait = (clients - running) / requests_per_s;
    Operating {
        in_system: clients,
        running,
        decoding: 1.0 + m.others_decoding,
        prefill_per_step: m.others_prefill,
        step_s: m.tpot_s,
        requests_per_s,
        output_tps: requests_per_s * r.output,
        ttft_s: r.fixed_s + wait + m.first_token_s(running),
        binding: binding(clients > running, m.budget_bound),
    }
}

/// A closed loop's clients (at least one) and those holding batch slots (at most the cap).
fn admitted(clients: f64, l: &Limits) -> (f64, f64) {
    let clients = clients.max(1.0);
    (clients, clients.min(l.max_running.max(1.0)))
}

fn binding(slots: bool, budget: bool) -> Binding {
    if slots {
        Binding::BatchSlots
    } else if budget {
        Binding::TokenBudget
    } else {
        Binding::Steps
    }
}

/// `prompts` requests sent at once with no client-side cap (`vllm bench serve` at request rate
/// inf, `trtllm-bench`): throughput is the closed loop's at that many clients (the queue stays
/// full until the last slots drain, which we neglect); the TTFT reported is the median
/// request's: the prefill of the requests admitted before it, in budget-full steps, or, past
/// the cap, the completions it waits for. For requests of equal lengths; `burst_varied` drains
/// a batch whose lengths vary.
pub fn burst(prompts: f64, r: Request, l: &Limits, step: impl Fn(f64, f64) -> f64) -> Operating {
    let mut op = closed_loop(prompts, r, l, &step);
    let cap = l.max_running.max(1.0);
    let median = (prompts / 2.0).ceil().max(1.0);
    let budget = l.token_budget.max(1.0);
    let admitted_ahead = median.min(cap);
    let full_step = step(0.0, budget.min(admitted_ahead * r.prompt));
    let prefill_s = (admitted_ahead * r.prompt / budget).ceil().max(1.0) * full_step;
    let wait = (median - cap).max(0.0) / op.requests_per_s;
    op.ttft_s = r.fixed_s + wait + prefill_s;
    op
}

/// `prompts` requests sent at once whose output lengths vary as a conversation dataset's do
/// (ShareGPT): the batch fills to the cap, holds it while requests wait (the closed loop's
/// steady state), then drains as requests finish — the throughput a benchmark reports is all
/// tokens over the whole run, the thinning tail included, and a short request's TPOT is that of
/// the full batch while a long one's falls with it.
///
/// ASSUMPTION: output lengths are exponential with the row's mean (the maximum-entropy law for
/// a given mean; ShareGPT's are long-tailed). Its memorylessness keeps the drain in closed
/// form: with n(t) = n₀·e^(−t/O) running after t decode steps, the drain lasts
/// O·(∫₀^ln n₀ T(e^s) ds + T(1)) (the last request's expected remaining O steps alone), and the
/// median request (length O·ln 2) averages T over the drain's first O·ln 2 steps.
pub fn burst_varied(
    prompts: f64,
    r: Request,
    l: &Limits,
    step: impl Fn(f64, f64) -> f64,
) -> Operating {
    let mut op = burst(prompts, r, l, &step);
    let n0 = prompts.max(1.0).min(l.max_running.max(1.0));
    let queued = (prompts - n0).max(0.0);
    let mean = r.output.max(1.0);
    let decode_step = |s: f64| step(s.exp(), 0.0);
    let ln_n0 = n0.ln();
    let drain_s = mean * (integral(&decode_step, 0.0, ln_n0) + step(1.0, 0.0));
    // With every prompt admitted at once, they are prefilled first, in budget-full steps.
    let budget = l.token_budget.max(1.0);
    let prefill_s = if queued > 0.0 {
        0.0
    } else {
        let steps = (n0 * r.prompt / budget).ceil().max(1.0);
        steps * step(0.0, (n0 * r.prompt / steps).min(budget))
    };
    // While requests wait, the cap holds in the steady mix (`closed_loop`'s completions).
    let full_s = queued / op.requests_per_s;
    let total_s = prefill_s + full_s + drain_s;
    let ln2 = std::f64::consts::LN_2;
    // (With fewer than two running, the median request decodes alone.)
    let width = ln2.min(ln_n0);
    let drain_tpot = if width > 1e-9 {
        integral(&decode_step, ln_n0 - width, ln_n0) / width
    } else {
        step(n0, 0.0)
    };
    // The median request completes in the full phase when at least half finish there.
    let tpot = if queued >= prompts / 2.0 {
        op.step_s
    } else {
        drain_tpot
    };
    op.requests_per_s = prompts / total_s;
    op.output_tps = prompts * r.output / total_s;
    op.step_s = tpot;
    op
}

/// ∫ₐᵇ f by 8-point Gauss–Legendre (f is smooth: a step time against the log of the batch).
fn integral(f: &impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    const NODES: [(f64, f64); 4] = [
        (0.183_434_642_495_649_8, 0.362_683_783_378_362),
        (0.525_532_409_916_329, 0.313_706_645_877_887_3),
        (0.796_666_477_413_626_7, 0.222_381_034_453_374_5),
        (0.960_289_856_497_536_3, 0.101_228_536_290_376_3),
    ];
    if b <= a {
        return 0.0;
    }
    let (mid, half) = ((a + b) / 2.0, (b - a) / 2.0);
    half * NODES
        .iter()
        .map(|&(x, w)| w * (f(mid - half * x) + f(mid + half * x)))
        .sum::<f64>()
}

/// A closed loop of `clients` whose requests all have the same lengths (a benchmark's random
/// dataset with fixed ISL/OSL): they start together and, finishing together, send the next
/// together, so the replica runs in synchronized waves rather than in the steady mix of
/// `closed_loop`. A wave prefills every prompt in budget-full steps (the prompts already
/// prefilled decode in the same steps), then decodes them together; the median request's first
/// token comes after the prompts ahead of it. Above the cap the waves hold the cap and the rest
/// wait, as in `closed_loop`.
pub fn closed_loop_waves(
    clients: f64,
    r: Request,
    l: &Limits,
    step: impl Fn(f64, f64) -> f64,
) -> Operating {
    let (clients, n) = admitted(clients, l);
    let budget = l.token_budget.max(1.0);
    let decode_steps = (r.output - 1.0).max(0.0);
    let prompt_tokens = n * r.prompt;
    let prefill_steps = (prompt_tokens / budget).ceil().max(1.0);
    // While the prompts are prefilled, those done so far (half, on average) decode alongside.
    let prefill_step = step(
        if n > 1.0 { n / 2.0 } else { 0.0 },
        prompt_tokens / prefill_steps,
    );
    let median_ttft = ((n / 2.0).ceil() * r.prompt / budget).ceil().max(1.0) * prefill_step;
    let decode_step = step(n, 0.0);
    let wave = prefill_steps * prefill_step + decode_steps * decode_step;
    let requests_per_s = n / wave;
    let tpot = if decode_steps > 0.0 {
        (wave - median_ttft) / decode_steps
    } else {
        decode_step
    };
    let wait = (clients - n) / requests_per_s;
    Operating {
        in_system: clients,
        running: n,
        decoding: n,
        prefill_per_step: prompt_tokens / prefill_steps,
        step_s: tpot,
        requests_per_s,
        output_tps: requests_per_s * r.output,
        ttft_s: r.fixed_s + wait + median_ttft,
        binding: binding(clients > n, prefill_steps > 1.0),
    }
}

/// An open loop at an arrival rate, with the high percentile of TTFT.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpenLoop {
    pub at: Operating,
    /// TTFT at the `TTFT_PERCENTILE`.
    pub ttft_tail_s: f64,
}

/// The percentile of TTFT the open loop reports and the plan holds to the target.
pub const TTFT_PERCENTILE: f64 = 0.95;

/// Poisson arrivals with `running` requests holding slots on average (below the cap): the
/// steady state and TTFT's tail. The tail adds to the mean service (i) the rest of a whole
/// step, (ii) the wait of a prompt for step budget behind others that arrived at once — an
/// M/D/1 queue of prompts served at the spare budget, its wait's tail taken as exponential
/// beyond P(wait > 0) = ρ — and (iii) near the cap, the wait for a slot when the Poisson count
/// of requests in the system exceeds it.
pub fn open_loop_at(
    running: f64,
    r: Request,
    l: &Limits,
    step: impl Fn(f64, f64) -> f64,
) -> OpenLoop {
    let cap = l.max_running.max(1.0);
    let running = running.clamp(0.0, cap);
    let m = mix(running, r, l, &step);
    let residence = m.residence_s(running.max(1.0), r);
    let requests_per_s = running / residence;
    let q = 1.0 - TTFT_PERCENTILE;
    // (ii) prompts queue for the budget left beside the decode tokens.
    let spare = (l.token_budget - m.others_decoding).max(1.0);
    let prefill_per_step = running * r.prompt / ((r.output - 1.0).max(0.0) + m.prefill_steps);
    let rho = (prefill_per_step / spare).min(0.999_999);
    let prompt_service = r.prompt / spare * m.chunk_step_s;
    let mean_wait = rho * prompt_service / (2.0 * (1.0 - rho));
    let budget_wait = if rho > q {
        mean_wait / rho * (rho / q).ln()
    } else {
        0.0
    };
    // (iii) the Poisson count of requests in the system at its percentile, beyond the cap.
    let excess = (running + 1.645 * running.sqrt() - cap).max(0.0);
    let slot_wait = excess / requests_per_s.max(f64::MIN_POSITIVE);
    let first = r.fixed_s + m.first_token_s(running);
    let residual_tail = if running > 1.0 {
        m.tpot_s * (TTFT_PERCENTILE - 0.5)
    } else {
        0.0
    };
    OpenLoop {
        at: Operating {
            in_system: running,
            running,
            decoding: running.min(1.0) + m.others_decoding,
            prefill_per_step: m.others_prefill,
            step_s: m.tpot_s,
            requests_per_s,
            output_tps: requests_per_s * r.output,
            ttft_s: first + mean_wait,
            binding: binding(excess > 0.0, m.budget_bound),
        },
        ttft_tail_s: first + residual_tail + budget_wait + slot_wait,
    }
}

/// The open loop past what the replica can complete.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overloaded {
    /// The highest arrival rate the replica sustains, requests/s.
    pub max_rate: f64,
}

/// An open loop of Poisson arrivals at `rate` requests/s: the steady state whose completion
/// rate equals the arrivals, found by bisection on the requests running (completions rise
/// with them); at or past the rate the cap allows, overloaded (the queue grows without
/// bound), never a long finite TTFT.
pub fn open_loop(
    rate: f64,
    r: Request,
    l: &Limits,
    step: impl Fn(f64, f64) -> f64,
) -> Result<OpenLoop, Overloaded> {
    let cap = l.max_running.max(1.0);
    let at = |n: f64| open_loop_at(n, r, l, &step);
    let max_rate = at(cap).at.requests_per_s;
    // NaN compares false: it is no rate the replica sustains.
    if rate.is_nan() || rate >= max_rate {
        return Err(Overloaded { max_rate });
    }
    let (mut lo, mut hi) = (0.0_f64, cap);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if at(mid).at.requests_per_s < rate {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(at(hi))
}

/// A benchmark's open loop: `prompts` requests arriving at `rate` per second (Poisson). Below
/// capacity, the steady state with its mean TTFT. At or past it the run never settles, so it
/// is followed in time (`transient`).
pub fn finite_open_loop(
    rate: f64,
    prompts: f64,
    r: Request,
    l: &Limits,
    step: impl Fn(f64, f64) -> f64,
) -> Operating {
    match open_loop(rate, r, l, &step) {
        Ok(o) => o.at,
        Err(_) => transient(rate, prompts.max(1.0), r, l, &step),
    }
}

/// Euler steps over the arrivals and at most this many over the drain.
const ARRIVAL_STEPS: usize = 32;
const DRAIN_STEPS: usize = 128;

/// A finite run past capacity, followed in time as two fluids: prompts waiting for their
/// prefill (FIFO) and sequences decoding. Each engine step decodes one token of every decoding
/// sequence (at most the cap) and fills the rest of its token budget with waiting prompts, as
/// many as free slots allow; a decoding sequence finishes with probability 1 / (O − 1) per
/// step (the mean field of varied lengths). The median request's TTFT is the time between
/// half the prompts having arrived and half having been prefilled; throughput is every output
/// token over the whole run; TPOT the mean step weighted by the tokens decoded in it.
///
/// Why a path and not the steady state at the cap: a 1,000-prompt run at twice the capacity
/// of a replica with 512 slots never reaches its cap before its median request arrives
/// (dstack's Llama-3.1-405B runs: a median TTFT of 0.3–4 s where "the queue grows from the
/// start" gave 130 s), while prompts arriving together wait for each other's prefill as in a
/// burst. Euler steps, fixed in number, keep it cheap enough to be fitted.
fn transient(
    rate: f64,
    prompts: f64,
    r: Request,
    l: &Limits,
    step: &impl Fn(f64, f64) -> f64,
) -> Operating {
    let cap = l.max_running.max(1.0);
    let budget = l.token_budget.max(1.0);
    let decode_steps = (r.output - 1.0).max(1.0);
    let prompt = r.prompt.max(1.0);
    let half = prompts / 2.0;
    // (waiting, decoding, prefilled so far, time)
    let (mut waiting, mut decoding, mut prefilled, mut t) = (0.0_f64, 0.0_f64, 0.0_f64, 0.0_f64);
    let (mut tokens, mut weighted_step) = (0.0, 0.0);
    let mut median_prefilled_at: Option<f64> = None;
    let mut at_median: Option<(f64, f64, f64)> = None; // (in system, decoding, step)
    let arrival_s = prompts / rate;
    let mut i = 0;
    while i < ARRIVAL_STEPS + DRAIN_STEPS {
        let arriving = i < ARRIVAL_STEPS;
        if !arriving && waiting + decoding < 0.5 {
            break;
        }
        let d = decoding.min(cap);
        let admit = waiting.min((cap - d).max(0.0));
        let prefill = (admit * prompt).min((budget - d).max(0.0));
        let step_s = step(d, prefill).max(f64::MIN_POSITIVE);
        let dt = if arriving {
            arrival_s / ARRIVAL_STEPS as f64
        } else {
            // A sixteenth of the time the tokens left would take at this step's pace.
            let left = waiting * prompt + decoding * decode_steps;
            (left / (d + prefill).max(1.0) * step_s / 16.0).max(step_s)
        };
        let steps = dt / step_s;
        let came = if arriving { rate * dt } else { 0.0 };
        let served = (prefill / prompt * steps).min(waiting + came);
        let done = (d * steps / decode_steps).min(decoding);
        tokens += d * steps;
        weighted_step += d * steps * step_s;
        if median_prefilled_at.is_none() && prefilled + served >= half {
            let share = if served > 0.0 {
                (half - prefilled) / served
            } else {
                0.0
            };
            median_prefilled_at = Some(t + share * dt);
        }
        if at_median.is_none() && t + dt >= arrival_s / 2.0 {
            at_median = Some((waiting + decoding, d, step_s));
        }
        waiting += came - served;
        decoding += served - done;
        prefilled += served;
        t += dt;
        i += 1;
    }
    let (in_system, d, step_s) = at_median.unwrap_or((1.0, 1.0, step(1.0, 0.0)));
    let ttft_s = r.fixed_s
        + median_prefilled_at
            .map_or(t, |at| at - arrival_s / 2.0)
            .max(0.0)
        + step(d, prompt.min(budget));
    let step_s = if tokens > 0.0 {
        weighted_step / tokens
    } else {
        step_s
    };
    Operating {
        in_system,
        running: d.max(1.0),
        decoding: d.max(1.0),
        prefill_per_step: 0.0,
        step_s,
        requests_per_s: prompts / t,
        output_tps: prompts * r.output / t,
        ttft_s,
        binding: binding(in_system > cap, true),
    }
}
