//! Saving, renaming and deleting scenarios from plain HTML forms (no JavaScript needed), the
//! browser's list of its own saves (a cookie), and the report downloads.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use planner::Catalog;
use serde::Deserialize;

use crate::error::ApiError;
use crate::report::{self, Subject};
use crate::state::AppState;
use app::ssr::saved_cookie;

/// A query's field errors as a 422.
fn query_errors(errors: Vec<app::views::FieldError>) -> ApiError {
    ApiError::Invalid(
        errors
            .into_iter()
            .map(|e| crate::error::FieldMessage {
                field: e.field,
                message: e.message,
            })
            .collect(),
    )
}

/// The `id.token` pairs in the request's saved-list cookie.
pub fn remembered(headers: &HeaderMap) -> Vec<(String, String)> {
    saved_cookie::remembered(
        headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    )
}

/// The saved-list cookie; `Secure` when the browser reached us over TLS (a proxy in front
/// says so with `X-Forwarded-Proto: https`), so it never travels in clear text after that.
fn cookie_value(pairs: &[(String, String)], headers: &HeaderMap) -> String {
    let tls = (headers.get("x-forwarded-proto"))
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    saved_cookie::set_cookie(pairs, tls)
}

#[derive(Deserialize)]
pub struct SaveForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub parent: String,
}

/// POST /scenarios: save the scenario a query describes, remember it in this browser, and go to
/// its page with the private owner link shown once.
pub async fn save_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SaveForm>,
) -> Result<Response, ApiError> {
    let parsed = app::ssr::query::parse(&form.query, Catalog::builtin());
    if !parsed.errors.is_empty() {
        return Err(query_errors(parsed.errors));
    }
    let parent = (!form.parent.is_empty()).then_some(form.parent.as_str());
    let (saved, token) = store::save(
        &state.pool,
        &form.name,
        &parsed.scenario,
        parent,
        &planner::catalog::Sources::builtin(),
    )
    .await?;
    let mut pairs = remembered(&headers);
    pairs.retain(|(id, _)| *id != saved.id);
    pairs.insert(0, (saved.id.clone(), token.clone()));
    pairs.truncate(saved_cookie::MAX_REMEMBERED);
    let mut response = Redirect::to(&app::links::saved_new(&saved.id)).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie_value(&pairs, &headers)) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct OwnerForm {
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub name: String,
    /// "yes" once the owner confirmed a delete.
    #[serde(default)]
    pub confirm: String,
}

/// POST /s/{id}/rename: the owner renames; this browser remembers the owner token (an owner
/// link opened elsewhere becomes this browser's), and the page it lands on holds no token.
pub async fn rename_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<OwnerForm>,
) -> Result<Response, ApiError> {
    store::rename(&state.pool, &id, &form.owner, &form.name).await?;
    let mut pairs = remembered(&headers);
    pairs.retain(|(i, _)| *i != id);
    pairs.insert(0, (id.clone(), form.owner.clone()));
    pairs.truncate(saved_cookie::MAX_REMEMBERED);
    let mut response = Redirect::to(&app::links::saved(&id)).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie_value(&pairs, &headers)) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

/// The page that asks before a delete (a form, so it works without JavaScript): the owner
/// token travels in the form, never in the address.
fn confirm_delete_page(id: &str, name: &str, owner: &str) -> Response {
    let e = crate::error::escape;
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Delete {name}?</title><link rel=\"stylesheet\" href=\"/pkg/planner-web.css\"></head><body><main><h1>Delete “{name}”?</h1><p>The share link stops working for everyone, now and for good. Scenarios forked from it keep their own copies.</p><form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"owner\" value=\"{owner}\"><input type=\"hidden\" name=\"confirm\" value=\"yes\"><button type=\"submit\" class=\"danger\">Delete it</button> <a href=\"{back}\">Keep it</a></form></main></body></html>",
        name = e(name),
        action = e(&app::links::saved_action(id, "delete")),
        owner = e(owner),
        back = e(&app::links::saved(id)),
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

pub async fn delete_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<OwnerForm>,
) -> Result<Response, ApiError> {
    if form.confirm != "yes" {
        store::check_owner(&state.pool, &id, &form.owner).await?;
        let name = store::get(&state.pool, &id)
            .await?
            .map(|s| s.name)
            .unwrap_or_default();
        return Ok(confirm_delete_page(&id, &name, &form.owner));
    }
    store::delete(&state.pool, &id, &form.owner).await?;
    let mut pairs = remembered(&headers);
    pairs.retain(|(i, _)| *i != id);
    let mut response = Redirect::to("/scenarios").into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie_value(&pairs, &headers)) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

/// Report formats (and the two charts, as SVG images).
#[derive(Clone, Copy)]
pub enum Format {
    Csv,
    Json,
    Markdown,
    Html,
    CostChart,
    MemoryChart,
    QualityChart,
    QualityMonthlyChart,
}

fn respond(
    format: Format,
    subject: &Subject,
    plan: &planner::Plan,
    stem: &str,
) -> Result<Response, ApiError> {
    let (body, mime, ext) = match format {
        Format::Csv => (
            report::csv(subject, plan).map_err(|e| ApiError::internal("report", e))?,
            "text/csv; charset=utf-8",
            "csv",
        ),
        Format::Json => (
            report::json(subject, plan).map_err(|e| ApiError::internal("report", e))?,
            "application/json",
            "json",
        ),
        Format::Markdown => (
            report::markdown(subject, plan),
            "text/markdown; charset=utf-8",
            "md",
        ),
        Format::Html => (
            report::print_html(subject, plan),
            "text/html; charset=utf-8",
            "html",
        ),
        Format::CostChart => (
            app::ssr::charts::cost_vs_hours(plan),
            "image/svg+xml",
            "svg",
        ),
        Format::QualityChart => (
            app::ssr::charts::quality_per_dollar(plan, app::ssr::charts::CostAxis::PerMillion),
            "image/svg+xml",
            "svg",
        ),
        Format::QualityMonthlyChart => (
            app::ssr::charts::quality_per_dollar(plan, app::ssr::charts::CostAxis::Monthly),
            "image/svg+xml",
            "svg",
        ),
        Format::MemoryChart => (
            app::ssr::charts::memory_breakdown(&app::ssr::charts::memory_chart_options(plan)),
            "image/svg+xml",
            "svg",
        ),
    };
    let mut response = (StatusCode::OK, [(header::CONTENT_TYPE, mime)], body).into_response();
    if matches!(format, Format::Csv | Format::Json | Format::Markdown) {
        let disposition = format!("attachment; filename=\"{stem}.{ext}\"");
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(response)
}

/// A saved scenario re-planned with the catalog it was saved with.
pub async fn saved_plan(
    state: &AppState,
    id: &str,
) -> Result<(store::Saved, planner::Plan), ApiError> {
    let saved = store::get(&state.pool, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no saved scenario with id '{id}'")))?;
    let catalog = state
        .catalogs
        .get(&state.pool, &saved.catalog_snapshot_id)
        .await?;
    let scenario = saved.scenario.clone();
    let plan = app::ssr::work::plan(move || planner::plan(&catalog, &scenario))
        .await?
        .map_err(ApiError::from)?;
    Ok((saved, plan))
}

pub async fn saved_report(
    state: &AppState,
    id: &str,
    format: Format,
) -> Result<Response, ApiError> {
    let (saved, plan) = saved_plan(state, id).await?;
    let now = store::now_rfc3339();
    let subject = Subject {
        id: Some(&saved.id),
        name: &saved.name,
        generated_at: &now,
    };
    respond(format, &subject, &plan, &format!("scenario-{}", saved.id))
}

pub async fn current_report(query: &str, format: Format) -> Result<Response, ApiError> {
    let catalog = Catalog::builtin();
    let parsed = app::ssr::query::parse(query, catalog);
    if !parsed.errors.is_empty() {
        return Err(query_errors(parsed.errors));
    }
    let scenario = parsed.scenario;
    let plan = app::ssr::work::plan(move || planner::plan(catalog, &scenario))
        .await?
        .map_err(ApiError::from)?;
    let now = store::now_rfc3339();
    let subject = Subject {
        id: None,
        name: "Unsaved scenario",
        generated_at: &now,
    };
    respond(format, &subject, &plan, "scenario")
}

/// GET /s/{id}/report.{csv,json,md} and /s/{id}/report (print HTML).
pub async fn saved_report_route(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let format = match file.as_str() {
        "report.csv" => Format::Csv,
        "report.json" => Format::Json,
        "report.md" => Format::Markdown,
        "report" | "report.html" => Format::Html,
        "cost.svg" => Format::CostChart,
        "memory.svg" => Format::MemoryChart,
        "quality.svg" => Format::QualityChart,
        "quality-monthly.svg" => Format::QualityMonthlyChart,
        _ => return Err(ApiError::NotFound(format!("no report '{file}'"))),
    };
    saved_report(&state, &id, format).await
}

/// GET /report.{csv,json,md,html}?{query}: the same for the unsaved scenario of a query.
pub async fn current_report_route(
    format: Format,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    current_report(query.as_deref().unwrap_or(""), format).await
}
