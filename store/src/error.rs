//! What can go wrong in the store.

/// Each variant says what the user sees; the layer that answers picks the status.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// 404: no scenario with that id (or it was deleted).
    #[error("no saved scenario with id '{0}'")]
    NotFound(String),
    /// 403: the owner token is missing or wrong.
    #[error("only the owner link can change or delete this scenario")]
    Forbidden,
    /// 422: a field is invalid (the message names it).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// 429: this client saved too often; one more save in `wait_s` seconds.
    #[error("too many saves from this address: one more in {wait_s} s")]
    Quota { wait_s: u64 },
    /// 507: the store holds its size limit; nothing was saved, everything saved stays.
    #[error("the scenario store is full ({used_mb} MB of {limit_mb} MB); nothing was saved")]
    Full { used_mb: u64, limit_mb: u64 },
    /// 500: the database failed; nothing was changed. `cause` (sqlx's text: a path, a lock, a
    /// host) is for the server's log only, never for the answer.
    #[error("the scenario store failed and nothing was changed")]
    Database { cause: String },
    /// 500: stored data no longer parses (a bug or a manual edit); `cause` likewise logged only.
    #[error("a stored scenario could not be read")]
    Corrupt { cause: String },
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database {
            cause: e.to_string(),
        }
    }
}

impl StoreError {
    /// Stored data that does not parse.
    pub fn corrupt(cause: impl std::fmt::Display) -> Self {
        StoreError::Corrupt {
            cause: cause.to_string(),
        }
    }

    /// What the server's log should say beside the answer, for failures on our side.
    pub fn cause(&self) -> Option<&str> {
        match self {
            StoreError::Database { cause } | StoreError::Corrupt { cause } => Some(cause),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;
