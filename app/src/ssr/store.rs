//! The scenario store, through sqlx's `Any` driver: an embedded SQLite file under `data/` by
//! default, or PostgreSQL when `DATABASE_URL` says `postgres://…` (several servers then share
//! one database: nothing here keeps state a second server would need, the catalogs' cache only
//! caches). Created and migrated on start, each backend with its own migrations
//! (`migrations/sqlite`, `migrations/postgres`); the queries are the same SQL on both (`$N`
//! parameters, `ON CONFLICT`). SQLite runs with a WAL journal and a busy timeout so concurrent
//! writers wait instead of failing. Saved scenarios are immutable; only their owner, holding
//! the private token returned once at save time, may rename or delete them.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use planner::catalog::{Catalog, Sources};
use planner::scenario::{Scenario, SCENARIO_SCHEMA_VERSION};
use sha2::{Digest, Sha256};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Executor, Row};

/// A connection pool to the store, whichever backend `DATABASE_URL` names.
pub type Pool = sqlx::AnyPool;

/// The default database when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/planner.db";
/// Longest scenario name accepted.
pub const MAX_NAME_CHARS: usize = 200;

/// What can go wrong in the store; each variant says what the user sees.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// 404: no scenario with that id (or it was deleted).
    #[error("no saved scenario with id '{0}'")]
    NotFound(String),
    /// 403: the owner token is missing or wrong.
    #[error("only the owner link can change or delete this scenario")]
    Forbidden,
    /// 422: a field is invalid (the message names it).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// 500: the database failed; nothing was changed. The cause (sqlx's text: a path, a lock,
    /// a host) is written to the server's log under the reference, never shown.
    #[error("the scenario store failed and nothing was changed (reference {0})")]
    Database(String),
    /// 500: stored data no longer parses (a bug or a manual edit); logged likewise.
    #[error("a stored scenario could not be read (reference {0})")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(logged("database", &e))
    }
}

impl StoreError {
    /// Stored data that does not parse, its cause logged.
    pub fn corrupt(cause: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(logged("unreadable", &cause))
    }
}

/// Writes a failure's cause to the server's log (stderr) under a fresh reference, returned
/// for the user to quote.
fn logged(kind: &str, cause: &dyn std::fmt::Display) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    let reference = format!("{:012x}", h.finish() & 0xffff_ffff_ffff);
    eprintln!("store error {reference} ({kind}): {cause}");
    reference
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub async fn connect() -> std::result::Result<Pool, sqlx::Error> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_string());
    connect_to(&url).await
}

/// The backends a `DATABASE_URL` may name.
enum Backend {
    Sqlite,
    Postgres,
}

pub async fn connect_to(url: &str) -> std::result::Result<Pool, sqlx::Error> {
    // sqlx would take an unknown scheme ("mysql://…", a bare path) for a relative SQLite path
    // and create a folder named after it to serve from: refused before anything is opened.
    let backend = if url.starts_with("sqlite:") {
        Backend::Sqlite
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Backend::Postgres
    } else {
        let scheme = url.split_once("://").map_or(url, |(s, _)| s);
        return Err(sqlx::Error::Configuration(
            format!(
                "DATABASE_URL: '{scheme}' is not a store this server serves from; use sqlite://PATH or postgres://USER@HOST/DB (the default is {DEFAULT_DATABASE_URL})"
            )
            .into(),
        ));
    };
    sqlx::any::install_default_drivers();
    let pool = match backend {
        Backend::Sqlite => {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            if let Some(dir) = options.get_filename().parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
                }
            }
            // Creates the file in WAL mode; the pool's own connections set the per-connection
            // settings again (the Any driver opens them from the URL alone).
            options.connect().await?;
            AnyPoolOptions::new()
                .max_connections(8)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON")
                            .await
                            .map(|_| ())
                    })
                })
                .connect(url)
                .await?
        }
        Backend::Postgres => {
            AnyPoolOptions::new()
                .max_connections(8)
                .connect(url)
                .await?
        }
    };
    match backend {
        Backend::Sqlite => sqlx::migrate!("../migrations/sqlite").run(&pool).await?,
        Backend::Postgres => sqlx::migrate!("../migrations/postgres").run(&pool).await?,
    }
    Ok(pool)
}

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

/// Random bytes as URL-safe base64 without padding.
fn random_token(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| StoreError::corrupt(format!("no randomness: {e}")))?;
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in buf.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (*b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    Ok(out)
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Current UTC time as RFC 3339 (seconds).
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

pub fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid {
            field: "name".into(),
            message: "give the scenario a name".into(),
        });
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(StoreError::Invalid {
            field: "name".into(),
            message: format!("at most {MAX_NAME_CHARS} characters"),
        });
    }
    Ok(name.to_string())
}

/// Saves a scenario (already validated) with the catalog it is planned with. Returns the saved
/// row and the private owner token, which is not stored (only its hash is).
pub async fn save(
    pool: &Pool,
    name: &str,
    scenario: &Scenario,
    parent: Option<&str>,
    sources: &Sources,
) -> Result<(Saved, String)> {
    let name = check_name(name)?;
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
    for id in ids.iter().take(200) {
        if let Some(s) = get(pool, id).await? {
            out.push(s);
        }
    }
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    Ok(out)
}

async fn check_owner(pool: &Pool, id: &str, token: &str) -> Result<()> {
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

pub async fn delete(pool: &Pool, id: &str, token: &str) -> Result<()> {
    check_owner(pool, id, token).await?;
    sqlx::query("DELETE FROM scenarios WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Catalogs by snapshot id: today's is the built-in one; older ones are rebuilt from the stored
/// sources (and calibrated) once, then kept.
#[derive(Clone, Default)]
pub struct Catalogs {
    cache: Arc<Mutex<HashMap<String, Arc<Catalog>>>>,
}

impl Catalogs {
    pub async fn get(&self, pool: &Pool, snapshot_id: &str) -> Result<Arc<Catalog>> {
        let builtin = Catalog::builtin();
        if builtin.snapshot_id == snapshot_id {
            return Ok(self.cached(snapshot_id).unwrap_or_else(|| {
                let c = Arc::new(builtin.clone());
                self.put(snapshot_id, c.clone());
                c
            }));
        }
        if let Some(c) = self.cached(snapshot_id) {
            return Ok(c);
        }
        let row = sqlx::query("SELECT sources_json FROM catalog_snapshots WHERE id = $1")
            .bind(snapshot_id)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| {
                StoreError::corrupt(format!("catalog snapshot {snapshot_id} is missing"))
            })?;
        let json: String = row.try_get("sources_json")?;
        let sources: Sources = serde_json::from_str(&json).map_err(StoreError::corrupt)?;
        let catalog = Arc::new(Catalog::from_sources(&sources).map_err(StoreError::corrupt)?);
        self.put(snapshot_id, catalog.clone());
        Ok(catalog)
    }

    fn cached(&self, id: &str) -> Option<Arc<Catalog>> {
        self.cache.lock().ok()?.get(id).cloned()
    }

    fn put(&self, id: &str, c: Arc<Catalog>) {
        if let Ok(mut m) = self.cache.lock() {
            m.insert(id.to_string(), c);
        }
    }
}

/// The `id.token` pairs of the saved-scenarios cookie (`planner_saved=id.token|id.token`).
pub fn remembered_from_cookie_header(cookie_header: &str) -> Vec<(String, String)> {
    cookie_header
        .split(';')
        .filter_map(|c| c.trim().strip_prefix("planner_saved="))
        .flat_map(|v| v.split('|'))
        .filter_map(|pair| pair.split_once('.'))
        .filter(|(id, t)| !id.is_empty() && !t.is_empty())
        .map(|(id, t)| (id.to_string(), t.to_string()))
        .collect()
}

/// Whether `token` is the owner token of scenario `id`.
pub async fn is_owner(pool: &Pool, id: &str, token: &str) -> bool {
    check_owner(pool, id, token).await.is_ok()
}
