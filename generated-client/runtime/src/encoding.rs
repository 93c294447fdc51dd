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

/// An array path parameter (`style: simple`): its items, each already
/// encoded by [`path_segment`], joined by `,`. Fewer than `min_items` (the
/// spec's `minItems`; generated code passes at least 1, since an empty
/// segment would send the request to another endpoint) is an error before
/// anything is sent.
pub fn path_list(
    name: &str,
    min_items: usize,
    segments: impl IntoIterator<Item = Result<String, Error>>,
) -> Result<String, Error> {
    let segments = segments.into_iter().collect::<Result<Vec<_>, _>>()?;
    if segments.len() < min_items {
        return Err(Error::invalid_request(format!(
            "path parameter `{name}` has {} items, at least {min_items} needed",
            segments.len()
        )));
    }
    Ok(segments.join(","))
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
/// they cannot be read as separators (`[` `]` kept, as in scalar values).
pub(crate) fn list_item(value: &str) -> String {
    utf8_percent_encode(value, LIST_ITEM).to_string()
}

/// What a list item keeps: what a scalar value keeps but `,`.
const LIST_ITEM: &AsciiSet = &SCALAR_VALUE.add(b',');

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

/// The `application/x-www-form-urlencoded` text of a JSON object, one pair
/// per field in order: strings unquoted, numbers and booleans as their JSON
/// text (so amounts keep every digit), `null` left out. Nested objects and
/// arrays cannot be form-encoded.
pub(crate) fn form_text(json: &[u8]) -> Result<String, String> {
    let fields = serde_json::from_slice::<Fields<'_>>(json).map_err(|error| error.to_string())?;
    let mut pairs: Vec<(&str, std::borrow::Cow<'_, str>)> = Vec::with_capacity(fields.0.len());
    for (name, raw) in &fields.0 {
        let text = raw.get();
        match text.as_bytes().first() {
            Some(b'n') => {}
            Some(b'"') => {
                let value: std::borrow::Cow<'_, str> = serde_json::from_str(text).map_err(|error| error.to_string())?;
                pairs.push((name.as_ref(), value));
            }
            Some(b'{' | b'[') => return Err(format!("field `{name}` is nested: it cannot be form-encoded")),
            _ => pairs.push((name.as_ref(), text.into())),
        }
    }
    serde_urlencoded::to_string(pairs).map_err(|error| error.to_string())
}

/// The fields of a JSON object as query pairs, in order: strings decoded,
/// numbers and booleans with the digits of their JSON text (amounts stay
/// exact), nested values as their JSON text, nulls left out.
pub(crate) fn object_pairs(json: &[u8]) -> Result<Vec<(String, String)>, String> {
    let fields = serde_json::from_slice::<Fields<'_>>(json).map_err(|error| error.to_string())?;
    let mut pairs = Vec::with_capacity(fields.0.len());
    for (name, raw) in &fields.0 {
        let text = raw.get();
        match text.as_bytes().first() {
            Some(b'n') => {}
            Some(b'"') => pairs.push((name.to_string(), serde_json::from_str::<String>(text).map_err(|error| error.to_string())?)),
            _ => pairs.push((name.to_string(), text.to_owned())),
        }
    }
    Ok(pairs)
}

/// The fields of a JSON object (or a list of pairs), in order, each value
/// as its raw JSON text.
struct Fields<'a>(Vec<(std::borrow::Cow<'a, str>, &'a serde_json::value::RawValue)>);

impl<'de> serde::Deserialize<'de> for Fields<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> serde::de::Visitor<'de> for FieldsVisitor {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
                let mut fields = Vec::new();
                while let Some(key) = crate::de::next_key(&mut map)? {
                    fields.push((key, map.next_value()?));
                }
                Ok(Fields(fields))
            }
            /// `[(name, value), ...]`: pairs written by hand.
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Fields<'de>, A::Error> {
                let mut fields = Vec::new();
                while let Some(pair) = seq.next_element()? {
                    fields.push(pair);
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_any(FieldsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_lists_are_never_empty() {
        let ids = |items: &[&str]| items.iter().map(|i| path_segment("ids", i)).collect::<Vec<_>>();
        assert_eq!(path_list("ids", 1, ids(&["1"])).unwrap(), "1");
        assert_eq!(path_list("ids", 1, ids(&["1", "a,b", "c/d"])).unwrap(), "1,a%2Cb,c%2Fd");
        assert!(path_list("ids", 1, ids(&[])).unwrap_err().to_string().contains("`ids` has 0 items, at least 1"));
        assert!(path_list("ids", 3, ids(&["1", "2"])).is_err());
        assert!(path_list("ids", 1, ids(&["1", ""])).is_err(), "an empty item is refused too");
    }

    #[test]
    fn form_text_is_the_json_object_flattened() {
        let json = br#"{"a": "x y&z", "n": 10.50, "big": 79228162514264337593543950335, "t": true, "gone": null, "e": "\u00e9"}"#;
        assert_eq!(
            form_text(json).unwrap(),
            "a=x+y%26z&n=10.50&big=79228162514264337593543950335&t=true&e=%C3%A9"
        );
        assert!(form_text(br#"{"a": [1]}"#).unwrap_err().contains("`a` is nested"));
        assert!(form_text(br#"{"a": {}}"#).is_err());
        assert!(form_text(b"[1]").is_err());
        assert!(form_text(b"1").is_err());
        assert_eq!(form_text(br#"[["a", "1"], ["b", 2.50]]"#).unwrap(), "a=1&b=2.50");
    }

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
