//! What a failed request says, decided in one place: `ApiError`, one variant per answer, each
//! naming its status. Every handler and middleware returns it; `IntoResponse` writes the JSON
//! body (`{"errors": [{"field", "message"}]}`) and keeps a small HTML page beside it, and the
//! `negotiate` layer sends the page instead to a browser asking for HTML outside `/api/`.
//! Failures on our side are logged with the request's id and answered with that id only.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use store::StoreError;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
pub enum ApiError {
    /// 404: no such scenario, report or endpoint (the message says which).
    NotFound(String),
    /// 403: only the owner link may do this.
    Forbidden,
    /// 403: a state-changing request sent by another site's page (`csrf`).
    CrossSite,
    /// 413: the body is over `limit_kb`.
    TooLarge { limit_kb: u64 },
    /// 422 with one message per bad field.
    Invalid(Vec<FieldMessage>),
    /// 429 with `Retry-After`: this client saved too often.
    Quota { wait_s: u64 },
    /// 500: something failed on our side and nothing saved was changed; the cause is in the
    /// log under `reference` (`ApiError::internal` logs it).
    Internal { reference: String },
    /// 503 with `Retry-After`: every core is planning and the queue did not move in time.
    Busy,
    /// 507: the store is at its size limit; nothing was saved.
    StoreFull(String),
}

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid(vec![FieldMessage {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// A 422 with one message per engine error, each under its field (`otherwise` for an
    /// error about no field in particular).
    pub fn fields(errors: Vec<planner::PlannerError>, otherwise: &str) -> Self {
        ApiError::Invalid(
            errors
                .into_iter()
                .map(|e| FieldMessage {
                    field: e.field().unwrap_or(otherwise).to_string(),
                    message: e.message(),
                })
                .collect(),
        )
    }

    /// A failure on our side: `cause` goes to the log, the answer quotes its reference.
    pub fn internal(kind: &str, cause: impl std::fmt::Display) -> Self {
        ApiError::Internal {
            reference: app::ssr::failure::logged(kind, &cause),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Forbidden | ApiError::CrossSite => StatusCode::FORBIDDEN,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Quota { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::StoreFull(_) => StatusCode::INSUFFICIENT_STORAGE,
        }
    }

    fn messages(&self) -> Vec<FieldMessage> {
        let one = |field: &str, message: String| {
            vec![FieldMessage {
                field: field.into(),
                message,
            }]
        };
        match self {
            ApiError::NotFound(what) => one("id", what.clone()),
            ApiError::Forbidden => one(
                "owner",
                "only the owner link can change or delete this scenario".into(),
            ),
            ApiError::CrossSite => one(
                "origin",
                "a request sent from another site's page may not change anything here; \
                 use the planner's own pages"
                    .into(),
            ),
            ApiError::TooLarge { limit_kb } => one("body", format!("at most {limit_kb} KB")),
            ApiError::Invalid(m) => m.clone(),
            ApiError::Quota { wait_s } => one(
                "quota",
                format!("too many saves from this address: one more in {wait_s} s"),
            ),
            ApiError::Internal { reference } => one(
                "server",
                format!(
                    "something failed on our side and nothing saved was changed (reference {reference})"
                ),
            ),
            ApiError::Busy => one("server", app::ssr::work::Busy.to_string()),
            ApiError::StoreFull(m) => one("store", m.clone()),
        }
    }

    /// `Retry-After` seconds, for answers that invite a retry.
    fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::Busy => Some(app::ssr::work::RETRY_AFTER_S),
            ApiError::Quota { wait_s } => Some((*wait_s).max(1)),
            _ => None,
        }
    }

    /// The page a browser is shown instead of the JSON.
    fn page(&self) -> String {
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
        let title = match self.status() {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::PAYLOAD_TOO_LARGE => "Too large",
            StatusCode::UNPROCESSABLE_ENTITY => "Some fields need fixing",
            StatusCode::TOO_MANY_REQUESTS => "Too many saves",
            StatusCode::SERVICE_UNAVAILABLE => "Busy",
            _ => "Something went wrong",
        };
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><ul>{items}</ul><p><a href=\"/\">Back to the planner</a></p></body></html>"
        )
    }
}

/// The HTML page kept beside an error's JSON, for `negotiate`.
#[derive(Clone)]
struct ErrorPage(String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (
            self.status(),
            Json(ErrorBody {
                errors: self.messages(),
            }),
        )
            .into_response();
        if let Some(s) = self.retry_after() {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        r.extensions_mut().insert(ErrorPage(self.page()));
        r
    }
}

/// Whether the request wants an HTML page rather than JSON: anything outside `/api/` (the JSON
/// API and the server functions) whose `Accept` takes HTML, or says nothing.
fn wants_html(req: &Request) -> bool {
    if req.uri().path().starts_with("/api/") {
        return false;
    }
    let accept = (req.headers().get(header::ACCEPT))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("*/*");
    accept.contains("text/html") || accept.contains("*/*")
}

/// Sends an error's HTML page instead of its JSON where the request wants HTML.
pub async fn negotiate(req: Request, next: Next) -> Response {
    let html = wants_html(&req);
    let mut r = next.run(req).await;
    if let (true, Some(ErrorPage(page))) = (html, r.extensions_mut().remove::<ErrorPage>()) {
        let (mut parts, _) = r.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        r = Response::from_parts(parts, Html(page).into_response().into_body());
    }
    r
}

/// A plan that cannot be made: a 422 naming the field when the scenario is at fault (over the
/// size limits, an id the catalog lacks), else a failure on our side.
impl From<planner::PlannerError> for ApiError {
    fn from(e: planner::PlannerError) -> Self {
        match e.field() {
            Some(field) => {
                let field = field.to_string();
                ApiError::field(&field, e.to_string())
            }
            None => ApiError::internal("plan", e),
        }
    }
}

impl From<app::ssr::work::Busy> for ApiError {
    fn from(_: app::ssr::work::Busy) -> Self {
        ApiError::Busy
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(id) => {
                ApiError::NotFound(format!("no saved scenario with id '{id}'"))
            }
            StoreError::Forbidden => ApiError::Forbidden,
            StoreError::Invalid { field, message } => ApiError::field(&field, message),
            StoreError::Quota { wait_s } => ApiError::Quota { wait_s },
            StoreError::Full { .. } => ApiError::StoreFull(e.to_string()),
            StoreError::Database { cause } | StoreError::Corrupt { cause } => {
                ApiError::internal("store", cause)
            }
        }
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
