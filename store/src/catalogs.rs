//! The catalog each saved scenario is planned with: today's is the built-in one; older ones are
//! rebuilt from the sources stored at save time (and calibrated) once, then kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use planner::catalog::{Catalog, Sources};
use sqlx::Row;

use crate::connect::Pool;
use crate::error::{Result, StoreError};

/// Catalogs by snapshot id. Only a cache: any server rebuilds the same from the database.
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
