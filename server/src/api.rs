//! The JSON API under /api/v1. Bodies over the limit get 413; invalid JSON or fields get 422
//! with one message per field.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use planner::{Catalog, Scenario};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::json::{KnownKeys, ValidJson};
use crate::state::AppState;

fn validate(s: &Scenario) -> Result<(), ApiError> {
    let errors = s.validate(Catalog::builtin());
    if errors.is_empty() {
        return Ok(());
    }
    Err(ApiError::fields(errors, "scenario"))
}

/// GET /api/v1/scenario-template: the default scenario (the article's setting).
#[utoipa::path(get, path = "/api/v1/scenario-template", responses((status = 200, description = "The default scenario", body = Scenario)))]
pub async fn template() -> Json<Scenario> {
    Json(Scenario::default())
}

/// Options a plan answer holds unless asked for fewer, and at most: the whole catalog makes
/// 47,128 options, 66 MB of JSON for a 5 KB request.
pub const PAGE_DEFAULT: usize = 500;
pub const PAGE_MAX: usize = 5_000;

/// Which options of a plan an answer holds (`?offset=&limit=`).
#[derive(Deserialize, utoipa::IntoParams)]
pub struct Page {
    /// The first option returned, in the plan's order (default 0).
    pub offset: Option<usize>,
    /// How many options from there (default 500, at most 5,000).
    pub limit: Option<usize>,
}

impl Page {
    fn check(&self) -> Result<(usize, usize), ApiError> {
        let limit = self.limit.unwrap_or(PAGE_DEFAULT);
        if limit == 0 || limit > PAGE_MAX {
            return Err(ApiError::field(
                "limit",
                format!("1 to {PAGE_MAX} options a page"),
            ));
        }
        Ok((self.offset.unwrap_or(0), limit))
    }
}

/// POST /api/v1/plan: a scenario in, the plan out — its options a page at a time
/// (`options_total` says how many there are, `options_offset` where this page starts).
#[utoipa::path(post, path = "/api/v1/plan", request_body = Scenario, params(Page), responses(
    (status = 200, description = "The plan", body = planner::Plan),
    (status = 413, description = "Body over the size limit"),
    (status = 422, description = "One message per invalid field", body = crate::error::ErrorBody)))]
pub async fn plan(
    page: Result<Query<Page>, QueryRejection>,
    ValidJson(s): ValidJson<Scenario>,
) -> Result<Json<planner::Plan>, ApiError> {
    let Query(page) = page.map_err(|e| ApiError::field("query", e.body_text()))?;
    let (offset, limit) = page.check()?;
    validate(&s)?;
    let plan = app::ssr::work::plan(move || {
        let mut plan = planner::plan(Catalog::builtin(), &s)?;
        plan.options.page(offset, limit);
        plan.options_offset = offset.min(plan.options_total);
        Ok::<_, ApiError>(plan)
    })
    .await??;
    Ok(Json(plan))
}

/// A scenario with a name, for saving.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewScenario {
    pub name: String,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(flatten)]
    pub scenario: Scenario,
}

impl KnownKeys for NewScenario {
    const EXTRA: &'static [&'static str] = &["name", "parent"];
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: String,
    pub url: String,
    pub owner_url: String,
}

/// POST /api/v1/scenarios: 201 with the share link and the private owner link (shown once).
#[utoipa::path(post, path = "/api/v1/scenarios", request_body = NewScenario, responses(
    (status = 201, description = "Saved", body = Created),
    (status = 413, description = "Body over the size limit"),
    (status = 422, description = "One message per invalid field", body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ValidJson(new): ValidJson<NewScenario>,
) -> Result<Response, ApiError> {
    validate(&new.scenario)?;
    let (saved, token) = store::save(
        &state.pool,
        &new.name,
        &new.scenario,
        new.parent.as_deref(),
        &planner::catalog::Sources::builtin(),
    )
    .await?;
    let created = Created {
        url: app::links::saved(&saved.id),
        owner_url: app::links::saved_owner(&saved.id, &token),
        id: saved.id,
    };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SavedJson {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub schema_version: u32,
    pub parent_id: Option<String>,
    pub catalog_snapshot_id: String,
    pub scenario: Scenario,
    pub plan: planner::Plan,
}

/// GET /api/v1/scenarios/{id}: the saved scenario and its plan under the saved catalog.
#[utoipa::path(get, path = "/api/v1/scenarios/{id}", params(("id" = String, Path, description = "Scenario id")), responses(
    (status = 200, description = "The saved scenario", body = SavedJson),
    (status = 404, description = "No such scenario", body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SavedJson>, ApiError> {
    let (s, plan) = crate::saved::saved_plan(&state, &id).await?;
    Ok(Json(SavedJson {
        id: s.id,
        name: s.name,
        created_at: s.created_at,
        schema_version: s.schema_version,
        parent_id: s.parent_id,
        catalog_snapshot_id: s.catalog_snapshot_id,
        scenario: s.scenario,
        plan,
    }))
}

/// GET /api/v1/catalog: every model, format, GPU, engine and price, with sources and dates.
#[utoipa::path(get, path = "/api/v1/catalog", responses((status = 200, description = "The catalog with sources and dates", body = serde_json::Value)))]
pub async fn catalog() -> Response {
    let c = Catalog::builtin();
    Json(serde_json::json!({
        "snapshot_id": c.snapshot_id,
        "models": c.models,
        "formats": c.formats,
        "kv_formats": c.kv_formats,
        "gpus": c.gpus,
        "engines": c.engines,
        "cloud_offers": c.cloud,
        "api_prices": c.api,
        "skipped_price_rows": c.skipped,
        "calibration": c.fit,
    }))
    .into_response()
}

/// Unknown API paths answer JSON, not the HTML 404 page.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such API endpoint".into())
}
