//! How every dollar figure (and every count with thousands separators) is written. Depends on nothing, so the page's wasm (which does not
//! link the engine) compiles this same file (`app::usd`).

/// How every dollar figure is written, on the page, in reports and in the bottom line's
/// sentences: whole dollars with thousands separators from $100, cents below; "—" for a figure
/// that is not a number.
pub fn usd(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    if v < 100.0 {
        return format!("${v:.2}");
    }
    format!("${}", thousands(v))
}

/// A whole number with thousands separators: 1234567.8 is "1,234,568".
pub fn thousands(v: f64) -> String {
    let digits = format!("{v:.0}");
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", digits.as_str()),
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{thousands, usd};

    #[test]
    fn dollars_get_thousands_separators_and_cents_only_below_100() {
        assert_eq!(usd(0.214), "$0.21");
        assert_eq!(usd(99.994), "$99.99");
        assert_eq!(usd(5184.2), "$5,184");
        assert_eq!(usd(390_000.0), "$390,000");
        assert_eq!(usd(1_234_567.8), "$1,234,568");
        assert_eq!(usd(f64::NAN), "—");
        assert_eq!(thousands(-1234.0), "-1,234");
        assert_eq!(thousands(999.0), "999");
    }
}
