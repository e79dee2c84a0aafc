//! Opening the store named by `DATABASE_URL`: an embedded SQLite file by default, or
//! PostgreSQL (`postgres://…`), created and migrated on start, each backend with its own
//! migrations (`migrations/sqlite`, `migrations/postgres`).

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Executor};

/// A connection pool to the store, whichever backend `DATABASE_URL` names.
pub type Pool = sqlx::AnyPool;

/// The default database when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/planner.db";

/// The store `DATABASE_URL` names (or the default).
pub async fn connect() -> Result<Pool, sqlx::Error> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_string());
    connect_to(&url).await
}

/// The backends a `DATABASE_URL` may name.
enum Backend {
    Sqlite,
    Postgres,
}

/// The store at `url`, created if missing and migrated.
pub async fn connect_to(url: &str) -> Result<Pool, sqlx::Error> {
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
            // WAL and a busy timeout: concurrent writers wait instead of failing.
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
