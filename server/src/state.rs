//! What the non-Leptos routes share: the database and the catalogs by snapshot.

use sqlx::SqlitePool;

use crate::store::Catalogs;

#[derive(Clone)]
pub struct AppState {
    pub pool: SqlitePool,
    pub catalogs: Catalogs,
}
