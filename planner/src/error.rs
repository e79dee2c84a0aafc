//! The engine's one error type. Each variant's message is what the user sees: it names the
//! field or id at fault and, for unknown ids, lists the valid ones.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum PlannerError {
    /// An id that is not in the catalog; the user sees the valid ids.
    #[error("{field}: unknown id '{value}'; valid: {valid}")]
    UnknownId {
        field: String,
        value: String,
        valid: String,
    },
    /// A value outside its physical or sensible range (zero GPUs, NaN, negative hours...).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// A combination the engine cannot serve (format not supported by engine or GPU...).
    #[error("{0}")]
    Unsupported(String),
    /// A catalog data file that does not parse or breaks a rule; names the file and entry.
    #[error("catalog {file}: {message}")]
    Catalog { file: String, message: String },
}

impl PlannerError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn unknown<'a>(
        field: impl Into<String>,
        value: impl Into<String>,
        valid: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        Self::UnknownId {
            field: field.into(),
            value: value.into(),
            valid: valid.into_iter().collect::<Vec<_>>().join(", "),
        }
    }

    /// The field this error is about, when it is about one (for forms that show the message
    /// beside the field).
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::UnknownId { field, .. } | Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// What is wrong, without the field's name (for answers that name the field apart: a
    /// 422's `field` and `message`, a form's message beside its field).
    pub fn message(&self) -> String {
        match self {
            Self::UnknownId { value, valid, .. } => format!("unknown id '{value}'; valid: {valid}"),
            Self::Invalid { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

pub type Result<T> = std::result::Result<T, PlannerError>;

/// Checks that a number is finite and inside `[min, max]`, naming the field otherwise.
pub fn check_range(field: &str, value: f64, min: f64, max: f64) -> Result<f64> {
    if !value.is_finite() {
        return Err(PlannerError::invalid(field, "must be a finite number"));
    }
    if value < min || value > max {
        return Err(PlannerError::invalid(
            field,
            format!("must be between {min} and {max} (got {value})"),
        ));
    }
    Ok(value)
}
