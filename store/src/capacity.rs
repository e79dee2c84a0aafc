//! The store's size limit: a save is refused (507) once the database holds
//! `PLANNER_STORE_MAX_MB` megabytes (default 2,048), so a flood of saves that the per-client
//! quota lets through (many addresses) fills a known budget, not the disk. Reads, renames and
//! deletes go on; deleting frees room on PostgreSQL at once and on SQLite as pages are reused.

use sqlx::Row;

use crate::connect::Pool;
use crate::error::{Result, StoreError};

const DEFAULT_LIMIT_MB: u64 = 2048;
const MB: u64 = 1_000_000;

/// The limit in bytes, from `PLANNER_STORE_MAX_MB` (read once).
pub fn limit_bytes() -> u64 {
    static LIMIT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        std::env::var("PLANNER_STORE_MAX_MB")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(DEFAULT_LIMIT_MB)
            .saturating_mul(MB)
    })
}

/// Bytes the database holds now: SQLite's pages in use (free pages excluded), PostgreSQL's
/// `pg_database_size`.
pub async fn used_bytes(pool: &Pool) -> Result<u64> {
    // One connection both names the backend and answers.
    let mut conn = pool.acquire().await?;
    let sql = if conn.backend_name() == "PostgreSQL" {
        "SELECT CAST(pg_database_size(current_database()) AS BIGINT) AS used"
    } else {
        "SELECT (p.page_count - f.freelist_count) * s.page_size AS used FROM pragma_page_count() p, pragma_freelist_count() f, pragma_page_size() s"
    };
    let row = sqlx::query(sql).fetch_one(&mut *conn).await?;
    Ok(row.try_get::<i64, _>("used")?.max(0) as u64)
}

/// Err(Full) when the database holds `limit` bytes or more.
pub async fn check(pool: &Pool, limit: u64) -> Result<()> {
    let used = used_bytes(pool).await?;
    if used >= limit {
        return Err(StoreError::Full {
            used_mb: used.div_ceil(MB),
            limit_mb: limit / MB,
        });
    }
    Ok(())
}
