//! Plans the full grid N times and prints each plan's least and median time (CALIBRATION.md,
//! "Performance"). For profilers, instructions per plan are the difference between
//! `valgrind --tool=callgrind` runs with N = 3 and N = 1, halved.
//!
//! `cargo build --release -p planner --example profile_plan`

use planner::scenario::Scenario;
use planner::{plan, Catalog};

// The allocator the server and the benchmark run with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let c = Catalog::builtin();
    let s = Scenario::full_grid(c);
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let mut options = 0;
    // Each plan's time: the least and the median are steadier than a mean on a shared machine.
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let start = std::time::Instant::now();
        let planned = plan(c, std::hint::black_box(&s));
        times.push(start.elapsed().as_secs_f64() * 1e3);
        match planned {
            Ok(p) => options += p.options.len(),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let (least, median) = (times.first().copied(), times.get(n / 2).copied());
    println!("{n} plans, {options} options");
    if let (Some(least), Some(median)) = (least, median) {
        println!("ms per plan: least {least:.3}, median {median:.3}");
    }
}
