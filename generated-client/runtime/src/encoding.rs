//! Percent-encoding of path segments and query pairs.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::Error;

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Scalar query values also keep `,` `[` `]`, so Powens' expand syntax
/// (`expand=transactions[category],connection`) goes out as written.
const SCALAR_VALUE: &AsciiSet = &STRICT.remove(b',').remove(b'[').remove(b']');

/// Percent-encodes `value` as exactly one path segment.
///
/// Everything but unreserved characters is encoded, so `/`, `?` and `#`
/// cannot change the URL's structure: `a/../b?x` becomes `a%2F..%2Fb%3Fx`.
/// Empty values, `.` and `..` are rejected because URL parsers collapse them
/// (`%2E%2E` is treated as `..`), which would move the request to another
/// endpoint.
pub fn path_segment(name: &str, value: &str) -> Result<String, Error> {
    match value {
        "" => Err(Error::invalid_request(format!(
            "path parameter `{name}` is empty"
        ))),
        "." | ".." => Err(Error::invalid_request(format!(
            "path parameter `{name}` must not be `.` or `..`"
        ))),
        _ => Ok(utf8_percent_encode(value, STRICT).to_string()),
    }
}

/// Encodes a query parameter name.
pub(crate) fn query_name(name: &str) -> String {
    utf8_percent_encode(name, STRICT).to_string()
}

/// Encodes a scalar query value, keeping `,` `[` `]`.
pub(crate) fn query_value(value: &str) -> String {
    utf8_percent_encode(value, SCALAR_VALUE).to_string()
}

/// Encodes one item of a comma-separated list: its own commas are encoded so
/// they cannot be read as separators.
pub(crate) fn list_item(value: &str) -> String {
    utf8_percent_encode(value, STRICT).to_string()
}

/// Encodes `name=value` pairs into a query string (without `?`).
pub(crate) fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&query_name(name));
        out.push('=');
        out.push_str(&query_value(value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segment_encodes_everything_structural() {
        assert_eq!(path_segment("id", "a/../b?x").unwrap(), "a%2F..%2Fb%3Fx");
        assert_eq!(path_segment("id", "me").unwrap(), "me");
        assert_eq!(path_segment("id", "42").unwrap(), "42");
        assert_eq!(path_segment("id", "a b#c%d").unwrap(), "a%20b%23c%25d");
        assert_eq!(path_segment("id", "é,;=+").unwrap(), "%C3%A9%2C%3B%3D%2B");
        assert_eq!(path_segment("id", "...").unwrap(), "...");
        assert_eq!(path_segment("id", "-._~").unwrap(), "-._~");
    }

    #[test]
    fn path_segment_rejects_dot_segments_and_empty() {
        for bad in ["", ".", ".."] {
            let error = path_segment("id_user", bad).unwrap_err();
            assert!(matches!(error, Error::InvalidRequest { .. }), "{bad}");
            assert!(error.to_string().contains("id_user"), "{error}");
        }
    }

    #[test]
    fn query_encoding() {
        assert_eq!(
            query_string([("expand", "transactions[category],connection")]),
            "expand=transactions[category],connection"
        );
        assert_eq!(
            query_string([("a b", "c&d=e"), ("q", "x+y/z?é")]),
            "a%20b=c%26d%3De&q=x%2By%2Fz%3F%C3%A9"
        );
        assert_eq!(query_name("f[x]"), "f%5Bx%5D");
        assert_eq!(list_item("a,b"), "a%2Cb");
    }
}
