//! Plans the full grid N times, for profilers. Instructions per plan (CALIBRATION.md):
//! the difference between `valgrind --tool=callgrind` runs with N = 3 and N = 1, halved.
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
    for _ in 0..n {
        match plan(c, std::hint::black_box(&s)) {
            Ok(p) => options += p.options.len(),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
    println!("{n} plans, {options} options");
}
