//! The engine's one error type. Each variant's message is what the user sees: it names the
//! field or id at fault and, for unknown ids, lists the valid ones.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum PlannerError {
    /// An id that is not in the catalog; the user sees the closest ids, then the valid ones.
    #[error("{field}: unknown id '{value}'; {hint}valid: {valid}")]
    UnknownId {
        field: String,
        value: String,
        /// "did you mean 'a', 'b'? " or empty.
        hint: String,
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
        let value = value.into();
        let valid: Vec<&str> = valid.into_iter().collect();
        let close = closest_ids(&value, &valid);
        Self::UnknownId {
            field: field.into(),
            hint: if close.is_empty() {
                String::new()
            } else {
                let quoted: Vec<String> = close.iter().map(|c| format!("'{c}'")).collect();
                format!("did you mean {}? ", quoted.join(", "))
            },
            value,
            valid: valid.join(", "),
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
            Self::UnknownId {
                value, hint, valid, ..
            } => format!("unknown id '{value}'; {hint}valid: {valid}"),
            Self::Invalid { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

pub type Result<T> = std::result::Result<T, PlannerError>;

/// An id as people type it: lower case, letters and digits only ("RTX 4090", "rtx-4090" and
/// "RTX4090" are one).
pub fn loose_id(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Letters to add, drop or change to turn `a` into `b`.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let next = (prev + usize::from(ca != b[j]))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Up to five ids `value` probably meant: those whose loose form contains its loose form (or
/// the other way round), else those within two edits of it.
fn closest_ids<'a>(value: &str, ids: &[&'a str]) -> Vec<&'a str> {
    let v = loose_id(value);
    if v.is_empty() {
        return Vec::new();
    }
    let mut near: Vec<&str> = (ids.iter().copied())
        .filter(|id| {
            let l = loose_id(id);
            l.contains(&v) || (l.len() >= 3 && v.contains(&l))
        })
        .collect();
    if near.is_empty() {
        near = (ids.iter().copied())
            .filter(|id| edits(&v, &loose_id(id)) <= 2)
            .collect();
    }
    near.truncate(5);
    near
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_id_says_which_ids_were_probably_meant() {
        let ids = ["h100-sxm", "h100-pcie", "h200", "rtx-4090", "rtx-3090"];
        let e = PlannerError::unknown("gpus", "h100", ids);
        assert!(
            e.to_string().starts_with(
                "gpus: unknown id 'h100'; did you mean 'h100-sxm', 'h100-pcie'? valid:"
            ),
            "{e}"
        );
        let e = PlannerError::unknown("gpus", "rtx-4080", ids);
        assert!(
            e.message().contains("did you mean 'rtx-4090', 'rtx-3090'?"),
            "{e}"
        );
        let e = PlannerError::unknown("gpus", "tpu-v5", ids);
        assert!(!e.message().contains("did you mean"), "{e}");
        assert_eq!(loose_id("RTX 4090"), loose_id("rtx-4090"));
    }
}
