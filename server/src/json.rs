//! `ValidJson<T>`: the JSON API's body extractor. The body is read within the API's limit
//! (413 naming `body` past it), must be a JSON object whose keys `T` knows (422 naming each
//! unknown key, with a "did you mean"), and deserializes with the path of any bad field named
//! (`serde_path_to_error`: `gpus[1].count`). Every rejection is an `ApiError`.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest request body the JSON API takes, bytes.
pub const BODY_LIMIT: usize = 256 * 1024;

/// A body type's own key check, run on the parsed JSON before deserializing.
pub trait KnownKeys {
    /// Top-level keys beside the scenario's own (e.g. `name` for saving).
    const EXTRA: &'static [&'static str];
}

pub struct ValidJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + KnownKeys> FromRequest<S> for ValidJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let body = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge {
                    limit_kb: (BODY_LIMIT / 1024) as u64,
                }
            } else {
                ApiError::field("body", e.body_text())
            }
        })?;
        let de = &mut serde_json::Deserializer::from_slice(&body);
        let value: serde_json::Value = serde_path_to_error::deserialize(de).map_err(path_error)?;
        planner::scenario_json::check_keys(&value, T::EXTRA)
            .map_err(|errors| ApiError::fields(errors, "body"))?;
        serde_path_to_error::deserialize(&value)
            .map(ValidJson)
            .map_err(path_error)
    }
}

/// A deserialization error as a 422 naming its field (the body itself at the top level).
fn path_error<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> ApiError {
    let path = e.path().to_string();
    let field = if path == "." { "body" } else { &path };
    ApiError::field(field, e.inner().to_string())
}

impl KnownKeys for planner::Scenario {
    const EXTRA: &'static [&'static str] = &[];
}
