//! Saved scenarios: immutable once saved (only the name may change); only their owner, holding
//! the private token returned once at save time, may rename or delete them.

use planner::catalog::Sources;
use planner::scenario::{Scenario, SCENARIO_SCHEMA_VERSION};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::clock::now_rfc3339;
use crate::connect::Pool;
use crate::error::{Result, StoreError};
use crate::tokens::{hash, random_token};

/// Longest scenario name accepted.
pub const MAX_NAME_CHARS: usize = 200;
/// Most ids one list reads (a browser's cookie holds at most 50).
const MAX_LISTED: usize = 200;

/// A saved scenario as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub schema_version: u32,
    pub scenario: Scenario,
    pub catalog_snapshot_id: String,
    pub parent_id: Option<String>,
}

/// A scenario name, trimmed: 422 naming `name` when empty or too long.
pub fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    let invalid = |message: String| StoreError::Invalid {
        field: "name".into(),
        message,
    };
    if name.is_empty() {
        return Err(invalid("give the scenario a name".into()));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(format!("at most {MAX_NAME_CHARS} characters")));
    }
    Ok(name.to_string())
}

/// Saves a scenario (already validated) with the catalog it is planned with, unless the store
/// is at its size limit. Returns the saved row and the private owner token, which is not stored
/// (only its hash is).
pub async fn save(
    pool: &Pool,
    name: &str,
    scenario: &Scenario,
    parent: Option<&str>,
    sources: &Sources,
) -> Result<(Saved, String)> {
    let name = check_name(name)?;
    crate::capacity::check(pool, crate::capacity::limit_bytes()).await?;
    let id = random_token(12)?;
    let token = random_token(24)?;
    let created_at = now_rfc3339();
    let snapshot_id = sources.snapshot_id();
    let scenario_json = serde_json::to_string(scenario).map_err(StoreError::corrupt)?;
    let sources_json = serde_json::to_string(sources).map_err(StoreError::corrupt)?;
    let parent = match parent {
        Some(p) if get(pool, p).await?.is_some() => Some(p.to_string()),
        _ => None,
    };
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO catalog_snapshots (id, sources_json, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&snapshot_id)
    .bind(&sources_json)
    .bind(&created_at)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO scenarios (id, owner_token_hash, name, created_at, schema_version, scenario_json, catalog_snapshot_id, parent_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(hash(&token))
    .bind(&name)
    .bind(&created_at)
    .bind(SCENARIO_SCHEMA_VERSION as i64)
    .bind(&scenario_json)
    .bind(&snapshot_id)
    .bind(&parent)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((
        Saved {
            id,
            name,
            created_at,
            schema_version: SCENARIO_SCHEMA_VERSION,
            scenario: scenario.clone(),
            catalog_snapshot_id: snapshot_id,
            parent_id: parent,
        },
        token,
    ))
}

fn row_to_saved(row: &AnyRow) -> Result<Saved> {
    let json: String = row.try_get("scenario_json")?;
    let scenario: Scenario = serde_json::from_str(&json).map_err(StoreError::corrupt)?;
    Ok(Saved {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        created_at: row.try_get("created_at")?,
        schema_version: row.try_get::<i64, _>("schema_version")? as u32,
        scenario,
        catalog_snapshot_id: row.try_get("catalog_snapshot_id")?,
        parent_id: row.try_get("parent_id")?,
    })
}

/// The scenario saved under `id`, if any.
pub async fn get(pool: &Pool, id: &str) -> Result<Option<Saved>> {
    let row = sqlx::query(
        "SELECT id, name, created_at, schema_version, scenario_json, catalog_snapshot_id, parent_id FROM scenarios WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(row_to_saved).transpose()
}

/// Saved scenarios among `ids` (the ones this browser saved), newest first.
pub async fn list(pool: &Pool, ids: &[String]) -> Result<Vec<Saved>> {
    let mut out = Vec::new();
    for id in ids.iter().take(MAX_LISTED) {
        if let Some(s) = get(pool, id).await? {
            out.push(s);
        }
    }
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    Ok(out)
}

/// Ok when `token` is the owner token of scenario `id`; `NotFound` for an unknown id,
/// `Forbidden` for any other token.
pub async fn check_owner(pool: &Pool, id: &str, token: &str) -> Result<()> {
    let row = sqlx::query("SELECT owner_token_hash FROM scenarios WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
    let stored: String = row.try_get("owner_token_hash")?;
    if token.is_empty() || stored != hash(token) {
        return Err(StoreError::Forbidden);
    }
    Ok(())
}

/// Whether `token` is the owner token of scenario `id`.
pub async fn is_owner(pool: &Pool, id: &str, token: &str) -> bool {
    check_owner(pool, id, token).await.is_ok()
}

/// Renames a scenario: its owner only.
pub async fn rename(pool: &Pool, id: &str, token: &str, name: &str) -> Result<()> {
    let name = check_name(name)?;
    check_owner(pool, id, token).await?;
    sqlx::query("UPDATE scenarios SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Deletes a scenario: its owner only. Scenarios forked from it keep their own rows.
pub async fn delete(pool: &Pool, id: &str, token: &str) -> Result<()> {
    check_owner(pool, id, token).await?;
    sqlx::query("DELETE FROM scenarios WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}
