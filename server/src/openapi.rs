//! The OpenAPI document of /api/v1, generated from the handlers' annotations and the types.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "LLM Deployment Planner API", version = "1"),
    paths(
        crate::api::template,
        crate::api::plan,
        crate::api::create,
        crate::api::get,
        crate::api::catalog
    ),
    components(schemas(
        planner::Scenario,
        planner::Plan,
        crate::api::NewScenario,
        crate::api::Created,
        crate::api::SavedJson,
        crate::error::ErrorBody
    ))
)]
pub struct ApiDoc;

/// GET /api/v1/openapi.json
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
