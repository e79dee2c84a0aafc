//! The browser's list of its own saves: the cookie `planner_saved=id.token|id.token`, read by
//! "my scenarios" and written by saving (newest first, at most `MAX_REMEMBERED`).

/// The cookie's name.
pub const NAME: &str = "planner_saved";
/// Saves one browser remembers.
pub const MAX_REMEMBERED: usize = 50;

/// The `id.token` pairs of a request's `Cookie` header.
pub fn remembered(cookie_header: &str) -> Vec<(String, String)> {
    cookie_header
        .split(';')
        .filter_map(|c| c.trim().strip_prefix("planner_saved="))
        .flat_map(|v| v.split('|'))
        .filter_map(|pair| pair.split_once('.'))
        .filter(|(id, t)| !id.is_empty() && !t.is_empty())
        .map(|(id, t)| (id.to_string(), t.to_string()))
        .collect()
}

/// The owner token this browser kept for scenario `id`, from a request's headers.
pub fn token_for(headers: &http::HeaderMap, id: &str) -> Option<String> {
    let cookie = (headers.get(http::header::COOKIE)).and_then(|v| v.to_str().ok())?;
    remembered(cookie)
        .into_iter()
        .find(|(i, _)| i == id)
        .map(|(_, t)| t)
}

/// The `Set-Cookie` value listing `pairs`; `Secure` when the browser reached us over TLS.
pub fn set_cookie(pairs: &[(String, String)], tls: bool) -> String {
    let list: Vec<String> = pairs.iter().map(|(id, t)| format!("{id}.{t}")).collect();
    format!(
        "{NAME}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{}",
        list.join("|"),
        if tls { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_round_trip_and_junk_is_skipped() {
        let pairs = vec![
            ("a".to_string(), "t1".to_string()),
            ("b".into(), "t2".into()),
        ];
        let set = set_cookie(&pairs, false);
        let value = set.split(';').next().unwrap();
        assert_eq!(remembered(&format!("x=1; {value}; y=2")), pairs);
        assert!(set_cookie(&pairs, true).ends_with("; Secure"));
        assert!(remembered("planner_saved=.|a.|.b|nodot").is_empty());
    }
}
