//! The save quota: each client may save a burst of `BURST` scenarios, then one every `REFILL`
//! — enough for anyone planning by hand, while a script looping on saves gets 429s instead of
//! growing the database without end (a save loop grew it by about 60 MB/s). Kept in the
//! database, so servers sharing one PostgreSQL share the quota too.
//!
//! A token bucket in its GCRA form, one row per client: `tat`, the time at which the client's
//! bucket would be full again. A save at `now` is allowed when `tat - now ≤ (BURST - 1)·REFILL`,
//! and moves `tat` to `max(tat, now) + REFILL`. One statement decides and records, so two
//! servers taking from the same bucket at once cannot both spend its last save.

use sqlx::Row;

use crate::connect::Pool;
use crate::error::{Result, StoreError};

/// Saves a client may make at once.
pub const BURST: u32 = 20;
/// Seconds for one more save to become available.
pub const REFILL_S: f64 = 30.0;

/// Takes one save from `client`'s bucket now.
pub async fn take(pool: &Pool, client: &str) -> Result<()> {
    take_at(pool, client, crate::clock::now_unix_s()).await
}

/// Takes one save from `client`'s bucket at `now` (seconds since the epoch): Ok, or
/// `Quota` with the wait until one is available.
pub async fn take_at(pool: &Pool, client: &str, now: f64) -> Result<()> {
    let tolerance = f64::from(BURST - 1) * REFILL_S;
    // Full buckets are the same as no row: forget them, so the table holds only clients that
    // saved in the last BURST × REFILL (10 minutes).
    sqlx::query("DELETE FROM save_quota WHERE tat < $1")
        .bind(now)
        .execute(pool)
        .await?;
    let row = sqlx::query(
        "INSERT INTO save_quota (client, tat, allowed) VALUES ($1, $2 + $3, 1) \
         ON CONFLICT (client) DO UPDATE SET \
           allowed = CASE WHEN save_quota.tat - $2 <= $4 THEN 1 ELSE 0 END, \
           tat = CASE WHEN save_quota.tat - $2 <= $4 \
                      THEN (CASE WHEN save_quota.tat > $2 THEN save_quota.tat ELSE $2 END) + $3 \
                      ELSE save_quota.tat END \
         RETURNING tat, allowed",
    )
    .bind(client)
    .bind(now)
    .bind(REFILL_S)
    .bind(tolerance)
    .fetch_one(pool)
    .await?;
    let allowed: i64 = row.try_get("allowed")?;
    if allowed == 1 {
        return Ok(());
    }
    let tat: f64 = row.try_get("tat")?;
    let wait = (tat - now - tolerance).max(1.0);
    Err(StoreError::Quota {
        wait_s: wait.ceil() as u64,
    })
}
