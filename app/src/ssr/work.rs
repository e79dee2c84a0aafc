//! Where planning runs: on tokio's blocking threads, at most one plan per core at a time, so a
//! heavy plan never holds an async worker (which would stall `/healthz` and every other
//! request behind it) and plans beyond the cores wait their turn — for a while, then are
//! refused as busy (the caller answers 503 with `Retry-After`).

use std::sync::LazyLock;
use std::time::Duration;

use tokio::sync::Semaphore;

/// How long a plan may wait for a core before the request is refused.
pub const QUEUE_WAIT: Duration = Duration::from_secs(10);
/// Seconds a refused client is asked to wait (`Retry-After`).
pub const RETRY_AFTER_S: u64 = 2;

static CORES: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

/// Every core is planning and the queue did not move within `QUEUE_WAIT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

impl std::fmt::Display for Busy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the server is busy planning other requests; try again in {RETRY_AFTER_S} s"
        )
    }
}

/// Runs `work` (a plan and what is built from it) on a blocking thread once a core is free.
pub async fn plan<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Busy> {
    let permit = tokio::time::timeout(QUEUE_WAIT, CORES.acquire())
        .await
        .map_err(|_| Busy)?
        .map_err(|_| Busy)?;
    let out = tokio::task::spawn_blocking(work).await;
    drop(permit);
    // A panic in the work is a bug, not load: resume it where the caller can see it.
    out.map_err(|e| std::panic::resume_unwind(e.into_panic()))
}
