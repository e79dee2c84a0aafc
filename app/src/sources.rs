//! A catalog source as text with its places linked: each URL-like token (`domain.tld/path`,
//! `https://…`) becomes a link, the words around it stay text.

/// A piece of a source: text, or a link with the text it shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Link { href: String, text: String },
}

/// The parts of a source, in order.
pub fn parts(source: &str) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    let mut text = String::new();
    for (i, word) in source.split(' ').enumerate() {
        if i > 0 {
            text.push(' ');
        }
        match link(word) {
            Some((href, shown, trail)) => {
                text.push_str(&word[..word.len() - shown.len() - trail.len()]);
                if !text.is_empty() {
                    out.push(Part::Text(std::mem::take(&mut text)));
                }
                out.push(Part::Link { href, text: shown });
                text.push_str(trail);
            }
            None => text.push_str(word),
        }
    }
    if !text.is_empty() {
        out.push(Part::Text(text));
    }
    out
}

/// The link a word names, with the punctuation after it: `(href, shown, trailing)`.
fn link(word: &str) -> Option<(String, String, &str)> {
    let start = word.find(|c: char| c.is_ascii_alphanumeric())?;
    let lead = &word[..start];
    if !lead.is_empty() && lead != "(" {
        return None;
    }
    let body = &word[start..];
    let end = body
        .trim_end_matches([')', ',', ';', ':', '.', '\'', '"'])
        .len();
    let (token, trail) = body.split_at(end);
    let bare = token
        .strip_prefix("https://")
        .or_else(|| token.strip_prefix("http://"))
        .unwrap_or(token);
    let (host, path) = bare.split_once('/')?;
    let (name, tld) = host.rsplit_once('.')?;
    let host_ok = !name.is_empty()
        && (2..=6).contains(&tld.len())
        && tld.bytes().all(|b| b.is_ascii_lowercase())
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if !host_ok || path.contains("..") {
        return None;
    }
    Some((format!("https://{bare}"), token.to_string(), trail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_repository_paths_become_links_and_prose_stays_text() {
        let p = parts("nvidia.com/en-us/data-center/h100 and the datasheet (github.com/a/b research), read 2026");
        assert_eq!(
            p,
            vec![
                Part::Link {
                    href: "https://nvidia.com/en-us/data-center/h100".into(),
                    text: "nvidia.com/en-us/data-center/h100".into()
                },
                Part::Text(" and the datasheet (".into()),
                Part::Link {
                    href: "https://github.com/a/b".into(),
                    text: "github.com/a/b".into()
                },
                Part::Text(" research), read 2026".into()),
            ]
        );
        assert_eq!(
            parts("arXiv:2508.10925 Table 1"),
            vec![Part::Text("arXiv:2508.10925 Table 1".into())]
        );
        assert_eq!(parts("a/b c.d"), vec![Part::Text("a/b c.d".into())]);
        assert!(
            matches!(&parts("https://x.org/p;")[0], Part::Link { href, .. } if href == "https://x.org/p")
        );
        // Nothing but https links: no javascript: or other schemes get through.
        assert_eq!(
            parts("javascript:alert(1)/x.com/y"),
            vec![Part::Text("javascript:alert(1)/x.com/y".into())]
        );
    }
}
