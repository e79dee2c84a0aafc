//! What the non-Leptos routes share: the database and the catalogs by snapshot.

use crate::store::Pool;

use crate::store::Catalogs;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub catalogs: Catalogs,
}
