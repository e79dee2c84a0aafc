//! A small query-string reader/writer shared by server and browser (no JS, no engine), so the
//! form can show exactly what the user typed and the browser can write canonical URLs.

/// The most `key=value` parts a query string is read for: far more than the form writes (a
/// whole-catalog selection is about 60), and the bound that keeps reading a query linear in
/// practice — keys are matched by a scan, and a page reads its query once per form field, so
/// 8,000 junk keys once cost 20 s of CPU. Parts past it are ignored.
pub const MAX_PAIRS: usize = 128;

/// Key/value pairs, percent-decoded, repeated keys joined with commas (checkboxes), in order;
/// the first `MAX_PAIRS` parts only.
pub fn parse(query: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for part in query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .take(MAX_PAIRS)
    {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let (k, v) = (decode(k), decode(v));
        match out.iter_mut().find(|(key, _)| *key == k) {
            Some((_, existing)) => {
                if !v.is_empty() {
                    if !existing.is_empty() {
                        existing.push(',');
                    }
                    existing.push_str(&v);
                }
            }
            None => out.push((k, v)),
        }
    }
    out
}

pub fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The pairs as a query string (without '?'), commas kept readable.
pub fn to_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The query with `key` set to `value` (added at the end when absent).
pub fn with(query: &str, key: &str, value: &str) -> String {
    let mut pairs = parse(query);
    match pairs.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => *v = value.to_string(),
        None => pairs.push((key.to_string(), value.to_string())),
    }
    to_string(&pairs)
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A value for a query string (percent-encoded, commas and colons kept readable).
pub fn encode_value(s: &str) -> String {
    encode(s)
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' | b':' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_repeats() {
        let p = parse("?models=a&models=b&gpus=x%3A1%2Cy%3A2&name=a+b&bad=%zz&end=%4");
        assert_eq!(get(&p, "models"), Some("a,b"));
        assert_eq!(get(&p, "gpus"), Some("x:1,y:2"));
        assert_eq!(get(&p, "name"), Some("a b"));
        assert_eq!(get(&p, "bad"), Some("%zz"));
        assert_eq!(get(&p, "end"), Some("%4"));
        assert_eq!(to_string(&parse(&to_string(&p))), to_string(&p));
        assert_eq!(with("a=1&b=2", "b", "3"), "a=1&b=3");
        assert_eq!(with("a=1", "s", "x y"), "a=1&s=x+y");
        assert_eq!(
            parse("models=&models=q"),
            vec![("models".to_string(), "q".to_string())]
        );
    }
}
