//! The server's error type: each variant says what the user sees and with which status.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::store::StoreError;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldMessage {
    pub field: String,
    pub message: String,
}

/// The API's error body: one message per field.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub errors: Vec<FieldMessage>,
}

#[derive(Debug)]
pub enum AppError {
    /// 404 with a page (or JSON for the API) saying the scenario does not exist.
    NotFound(String),
    /// 403: only the owner link may do this.
    Forbidden,
    /// 403: a state-changing request sent by another site's page (`csrf`).
    CrossSite,
    /// 422 with one message per bad field.
    Invalid(Vec<FieldMessage>),
    /// 500: something failed on our side; nothing saved was changed.
    Internal(String),
    /// 503 with `Retry-After`: every core is planning and the queue did not move in time.
    Busy,
}

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldMessage {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// A 422 with one message per engine error, each under its field (`otherwise` for an
    /// error about no field in particular).
    pub fn fields(errors: Vec<planner::PlannerError>, otherwise: &str) -> Self {
        AppError::Invalid(
            errors
                .into_iter()
                .map(|e| FieldMessage {
                    field: e.field().unwrap_or(otherwise).to_string(),
                    message: e.message(),
                })
                .collect(),
        )
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::CrossSite => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn messages(&self) -> Vec<FieldMessage> {
        match self {
            AppError::NotFound(what) => vec![FieldMessage {
                field: "id".into(),
                message: what.clone(),
            }],
            AppError::Forbidden => vec![FieldMessage {
                field: "owner".into(),
                message: "only the owner link can change or delete this scenario".into(),
            }],
            AppError::CrossSite => vec![FieldMessage {
                field: "origin".into(),
                message: "a request sent from another site's page may not change anything here; \
                          use the planner's own pages"
                    .into(),
            }],
            AppError::Invalid(m) => m
                .iter()
                .map(|f| FieldMessage {
                    field: f.field.clone(),
                    message: f.message.clone(),
                })
                .collect(),
            AppError::Busy => vec![FieldMessage {
                field: "server".into(),
                message: app::ssr::work::Busy.to_string(),
            }],
            AppError::Internal(m) => vec![FieldMessage {
                field: "server".into(),
                message: m.clone(),
            }],
        }
    }

    /// The error as JSON, for the API.
    pub fn json(self) -> Response {
        #[derive(Serialize)]
        struct Body {
            errors: Vec<FieldMessage>,
        }
        let retry = self.retry_after();
        let mut r = (
            self.status(),
            Json(Body {
                errors: self.messages(),
            }),
        )
            .into_response();
        if let Some(v) = retry {
            r.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        r
    }

    /// `Retry-After` for a busy answer.
    fn retry_after(&self) -> Option<axum::http::HeaderValue> {
        matches!(self, AppError::Busy)
            .then(|| axum::http::HeaderValue::from(app::ssr::work::RETRY_AFTER_S))
    }
}

/// A plan that cannot be made: a 422 naming the field when the scenario is at fault (over the
/// size limits, an id the catalog lacks), else a 500.
impl From<planner::PlannerError> for AppError {
    fn from(e: planner::PlannerError) -> Self {
        match e.field() {
            Some(field) => {
                let field = field.to_string();
                AppError::field(&field, e.to_string())
            }
            None => AppError::Internal(e.to_string()),
        }
    }
}

impl From<app::ssr::work::Busy> for AppError {
    fn from(_: app::ssr::work::Busy) -> Self {
        AppError::Busy
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(id) => {
                AppError::NotFound(format!("no saved scenario with id '{id}'"))
            }
            StoreError::Forbidden => AppError::Forbidden,
            StoreError::Invalid { field, message } => AppError::field(&field, message),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// Errors of HTML routes are small pages.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let items: String = self
            .messages()
            .iter()
            .map(|m| {
                format!(
                    "<li><strong>{}</strong>: {}</li>",
                    escape(&m.field),
                    escape(&m.message)
                )
            })
            .collect();
        let title = match status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::UNPROCESSABLE_ENTITY => "Some fields need fixing",
            StatusCode::SERVICE_UNAVAILABLE => "Busy",
            _ => "Something went wrong",
        };
        let retry = self.retry_after();
        let mut r = (
            status,
            Html(format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><ul>{items}</ul><p><a href=\"/\">Back to the planner</a></p></body></html>"
            )),
        )
            .into_response();
        if let Some(v) = retry {
            r.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        r
    }
}

/// HTML-escapes text for pages this crate writes by hand.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
