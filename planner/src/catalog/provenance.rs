//! What every catalog figure must say about where it comes from: a source that names a place
//! (a URL, a repository path, a paper) and a date (`YYYY-MM-DD`, or `YYYY-MM` where the source
//! gives no day). The project's own physics note is the model, never the source of a spec.

/// The problems with one entry's provenance, each naming the file and the entry.
pub fn problems(file: &str, id: &str, source: &str, date: &str) -> Vec<String> {
    let mut p = Vec::new();
    let source = source.trim();
    if source.is_empty() {
        p.push(format!("{file} '{id}': missing source"));
    } else {
        let lower = source.to_lowercase();
        if lower.contains("physics.md") || lower.contains("physics note") {
            p.push(format!(
                "{file} '{id}': cites the physics note as its source; cite the figure's own (datasheet, spec, source file)"
            ));
        }
        if !names_a_place(source) {
            p.push(format!(
                "{file} '{id}': the source names no URL, repository path or paper: '{source}'"
            ));
        }
    }
    if date.trim().is_empty() {
        p.push(format!("{file} '{id}': missing source date"));
    } else if !is_date(date.trim()) {
        p.push(format!(
            "{file} '{id}': source date '{date}' is not YYYY-MM-DD or YYYY-MM"
        ));
    }
    p
}

/// `YYYY-MM-DD` or `YYYY-MM`, with a real month and day.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |t: &str, len: usize| {
        (t.len() == len && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse::<u32>().ok())
    };
    match parts.as_slice() {
        [y, m] => num(y, 4).is_some() && matches!(num(m, 2), Some(Some(1..=12))),
        [y, m, d] => {
            num(y, 4).is_some()
                && matches!(num(m, 2), Some(Some(1..=12)))
                && matches!(num(d, 2), Some(Some(1..=31)))
        }
        _ => false,
    }
}

/// Whether a source says where to look: a path or URL (`/`), a domain (`word.tld`), or an
/// arXiv id.
fn names_a_place(s: &str) -> bool {
    s.contains('/')
        || s.contains("arXiv:")
        || s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .any(|w| {
                let w = w.trim_matches('.');
                match w.rsplit_once('.') {
                    Some((name, tld)) => {
                        !name.is_empty()
                            && (2..=6).contains(&tld.len())
                            && tld.bytes().all(|b| b.is_ascii_lowercase())
                    }
                    None => false,
                }
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sourced_dated_figure_passes_and_each_gap_is_named() {
        assert!(problems(
            "gpus.toml",
            "x",
            "nvidia.com/en-us/data-center/h100",
            "2023-01"
        )
        .is_empty());
        assert!(problems("m", "x", "arXiv:2508.10925 Table 1", "2025-08-05").is_empty());
        assert!(problems("m", "x", "joshua8.ai", "2025-01-30").is_empty());
        let one = |source: &str, date: &str| problems("f.toml", "x", source, date).join(" | ");
        assert!(one("PHYSICS.md §1", "2026-11-27").contains("physics note"));
        assert!(one("public repo price table", "2026-01").contains("names no URL"));
        assert!(one("nvidia.com/x", "2026").contains("not YYYY-MM-DD"));
        assert!(one("nvidia.com/x", "2026 (page read)").contains("not YYYY-MM-DD"));
        assert!(one("nvidia.com/x", "2026-13").contains("not YYYY-MM-DD"));
        assert!(one("nvidia.com/x", "mid-2026").contains("not YYYY-MM-DD"));
        assert!(
            one("", "").contains("missing source") && one("", "").contains("missing source date")
        );
        assert!(
            one("nvidia.com/x", "2026-02-30").is_empty(),
            "days are not checked against the month"
        );
    }
}
