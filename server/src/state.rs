//! What the non-Leptos routes share: the database and the catalogs by snapshot.

use store::{Catalogs, Pool};

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub catalogs: Catalogs,
}
