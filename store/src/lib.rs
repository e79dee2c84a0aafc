//! The scenario store, through sqlx's `Any` driver: an embedded SQLite file under `data/` by
//! default, or PostgreSQL when `DATABASE_URL` says `postgres://…` (several servers then share
//! one database: nothing here keeps state a second server would need; the catalogs' cache only
//! caches). The queries are the same SQL on both backends (`$N` parameters, `ON CONFLICT`).
//!
//! What it holds, one module each: the connection and migrations (`connect`), saved scenarios
//! and their owner checks (`scenarios`), ids and owner tokens (`tokens`), the catalog each
//! scenario was saved with (`catalogs`), the per-client save quota (`quota`) and the database's
//! size limit (`capacity`). Its errors (`StoreError`) say what the user sees; the server and
//! the server functions choose the status and log the causes.

pub mod capacity;
pub mod catalogs;
mod clock;
pub mod connect;
pub mod error;
pub mod quota;
pub mod scenarios;
mod tokens;

pub use catalogs::Catalogs;
pub use clock::now_rfc3339;
pub use connect::{connect, connect_to, Pool, DEFAULT_DATABASE_URL};
pub use error::{Result, StoreError};
pub use scenarios::{
    check_name, check_owner, delete, get, is_owner, list, rename, save, Saved, MAX_NAME_CHARS,
};
