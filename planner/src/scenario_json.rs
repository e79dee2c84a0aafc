//! What a scenario's JSON may hold at its top level: a JSON object of the scenario's fields
//! (and any keys its reader adds, such as a saved scenario's name). `{"peak_userz": 5}` is a
//! typo to be named, with the field meant, not the default scenario planned; `[]` or a bare
//! number is not a scenario either (serde would read an array as a struct's fields in order).
//! Fields inside `custom_models` and `custom_gpus` are their own types' business.

use crate::error::PlannerError;
use crate::scenario::Scenario;

/// One error per key of `value` that is neither a scenario field nor in `extra`, or one naming
/// `body` when `value` is not an object.
pub fn check_keys(value: &serde_json::Value, extra: &[&str]) -> Result<(), Vec<PlannerError>> {
    let Some(object) = value.as_object() else {
        return Err(vec![PlannerError::invalid(
            "body",
            "a scenario is a JSON object of fields",
        )]);
    };
    let known = scenario_fields();
    let candidates = || {
        known
            .iter()
            .map(String::as_str)
            .chain(extra.iter().copied())
    };
    let unknown: Vec<PlannerError> = (object.keys())
        .filter(|k| !candidates().any(|f| f == k.as_str()))
        .map(|k| {
            let message = match closest(k, candidates()) {
                Some(f) => format!("unknown field; did you mean '{f}'?"),
                None => "unknown field".to_string(),
            };
            PlannerError::invalid(k.clone(), message)
        })
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(unknown)
    }
}

/// The scenario's top-level fields, as its JSON names them.
fn scenario_fields() -> &'static [String] {
    static FIELDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| match serde_json::to_value(Scenario::default()) {
        Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    })
}

/// The candidate within two edits of `word` (a letter added, dropped or changed), if any.
fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (edits(word, c), c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_named_with_the_field_meant_and_non_objects_refused() {
        let v: serde_json::Value = serde_json::from_str(r#"{"peak_userz": 5, "pue": 1}"#).unwrap();
        let e = check_keys(&v, &[]).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field(), Some("peak_userz"));
        assert!(e[0].to_string().contains("'peak_users'"), "{}", e[0]);
        assert!(check_keys(&serde_json::json!({"name": "x"}), &["name"]).is_ok());
        assert!(check_keys(&serde_json::json!({"name": "x"}), &[]).is_err());
        assert!(check_keys(&serde_json::json!(Scenario::default()), &[]).is_ok());
        for v in [
            serde_json::json!([]),
            serde_json::json!(5),
            serde_json::json!(null),
        ] {
            assert_eq!(check_keys(&v, &[]).unwrap_err()[0].field(), Some("body"));
        }
        assert_eq!(edits("peak_userz", "peak_users"), 1);
        assert_eq!(edits("", "abc"), 3);
        assert_eq!(closest("zzzzzzzz", ["pue", "models"].into_iter()), None);
    }
}
