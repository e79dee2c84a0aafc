//! What a scenario's JSON may hold: a JSON object of the scenario's fields (and any keys its
//! reader adds, such as a saved scenario's name), and inside its lists (`gpus`,
//! `custom_models`, `custom_gpus`) objects of their own types' fields. `{"peak_userz": 5}` or
//! `{"custom_gpus": [{"bandwith_gbps": 900}]}` is a typo to be named, with the field meant, not
//! a default silently used; `[]` or a bare number is not a scenario either (serde would read an
//! array as a struct's fields in order).

use crate::error::PlannerError;
use crate::scenario::{CustomGpu, CustomModel, GpuChoice, Scenario, SplitShare};

/// One error per key of `value` that is neither a scenario field nor in `extra`, and per key of
/// an object in one of its lists that the list's type lacks (named `list[i].key`); one naming
/// `body` when `value` is not an object.
pub fn check_keys(value: &serde_json::Value, extra: &[&str]) -> Result<(), Vec<PlannerError>> {
    let Some(object) = value.as_object() else {
        return Err(vec![PlannerError::invalid(
            "body",
            "a scenario is a JSON object of fields",
        )]);
    };
    let top: Vec<&str> = (scenario_fields().iter().map(String::as_str))
        .chain(extra.iter().copied())
        .collect();
    let mut unknown = unknown_keys(object, &top, "");
    for (list, fields) in list_fields() {
        let Some(items) = object.get(*list).and_then(|v| v.as_array()) else {
            continue;
        };
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        for (i, item) in items.iter().enumerate() {
            if let Some(item) = item.as_object() {
                unknown.extend(unknown_keys(item, &fields, &format!("{list}[{i}].")));
            }
        }
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(unknown)
    }
}

/// An error per key of `object` not among `known`, named `prefix` + key.
fn unknown_keys(
    object: &serde_json::Map<String, serde_json::Value>,
    known: &[&str],
    prefix: &str,
) -> Vec<PlannerError> {
    (object.keys())
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| {
            let message = match closest(k, known.iter().copied()) {
                Some(f) => format!("unknown field; did you mean '{f}'?"),
                None => "unknown field".to_string(),
            };
            PlannerError::invalid(format!("{prefix}{k}"), message)
        })
        .collect()
}

/// The fields of a value's JSON object (every optional field set, so none is missing).
fn keys_of(value: impl serde::Serialize) -> Vec<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The scenario's top-level fields, as its JSON names them.
fn scenario_fields() -> &'static [String] {
    static FIELDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| keys_of(Scenario::default()))
}

/// The scenario's lists of objects, with their objects' fields.
fn list_fields() -> &'static [(&'static str, Vec<String>)] {
    static FIELDS: std::sync::OnceLock<Vec<(&'static str, Vec<String>)>> =
        std::sync::OnceLock::new();
    FIELDS.get_or_init(|| {
        let some = Some(1.0);
        vec![
            (
                "gpus",
                keys_of(GpuChoice {
                    id: String::new(),
                    count: 1,
                }),
            ),
            (
                "split",
                keys_of(SplitShare {
                    model: String::new(),
                    share: 1.0,
                }),
            ),
            (
                "custom_models",
                keys_of(CustomModel {
                    id: String::new(),
                    config_json: String::new(),
                }),
            ),
            (
                "custom_gpus",
                keys_of(CustomGpu {
                    id: String::new(),
                    name: String::new(),
                    memory_gb: 1.0,
                    bandwidth_gbps: 1.0,
                    bf16_tflops: some,
                    tdp_w: some,
                    price_usd: some,
                    usd_per_hour: some,
                }),
            ),
        ]
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

    #[test]
    fn typos_inside_the_lists_are_named_by_their_path() {
        let v = serde_json::json!({
            "gpus": [{"id": "h100-sxm", "count": 1}, {"id": "l4", "cuont": 2}],
            "custom_gpus": [{"id": "x", "name": "X", "memory_gb": 24, "bandwith_gbps": 900,
                             "bf16_tflops": 100, "tdp_w": 300, "price_usd": 1, "usd_per_hour": 1}],
            "custom_models": [{"id": "m", "config_json": "{}", "config": "{}"}]
        });
        let e = check_keys(&v, &[]).unwrap_err();
        let fields: Vec<&str> = e.iter().filter_map(|e| e.field()).collect();
        assert_eq!(
            fields,
            [
                "gpus[1].cuont",
                "custom_models[0].config",
                "custom_gpus[0].bandwith_gbps"
            ]
        );
        assert!(e[0].to_string().contains("'count'"), "{}", e[0]);
        assert!(e[2].to_string().contains("'bandwidth_gbps'"), "{}", e[2]);
        // Every optional field of a custom GPU is known.
        let fine = serde_json::json!({"custom_gpus": [{"id": "x", "name": "X", "memory_gb": 24,
            "bandwidth_gbps": 900, "bf16_tflops": 1, "tdp_w": 1, "price_usd": 1, "usd_per_hour": 1}]});
        assert!(check_keys(&fine, &[]).is_ok());
    }
}
