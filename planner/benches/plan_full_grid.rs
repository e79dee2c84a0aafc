//! `plan_full_grid`: the whole default catalog (every model × applicable format × every GPU ×
//! 1/2/4/8 GPUs × every engine) planned for one scenario. Prints the options evaluated.

use criterion::{criterion_group, criterion_main, Criterion};

// The allocator the server runs with (server/src/main.rs): with glibc's, the tens of MB a full
// grid's plan allocates are returned to the OS and page-faulted back on every call.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use planner::scenario::Scenario;
use planner::{plan, Catalog};

fn bench(cr: &mut Criterion) {
    let c = Catalog::builtin();
    let s = Scenario::full_grid(c);
    let p = plan(c, &s).expect("full grid plans");
    println!(
        "plan_full_grid: {} configurations evaluated, {} applicable options, {} fit, {} meet the targets",
        p.evaluated,
        p.options.len(),
        p.options.iter().filter(|o| o.fits).count(),
        p.options.iter().filter(|o| o.meets_targets).count()
    );
    cr.bench_function("plan_full_grid", |b| {
        b.iter(|| plan(c, std::hint::black_box(&s)).unwrap())
    });
    // The plan and every option built as the API's record (names, offer, purchase price): what
    // serializing the whole grid costs on top of planning it.
    cr.bench_function("plan_full_grid_with_records", |b| {
        b.iter(|| {
            let p = plan(c, std::hint::black_box(&s)).unwrap();
            p.options.iter().map(|o| o.replicas as u64).sum::<u64>()
        })
    });
    // The page's everyday case: the article's scenario.
    let d = Scenario::default();
    cr.bench_function("plan_default_scenario", |b| {
        b.iter(|| plan(c, std::hint::black_box(&d)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
