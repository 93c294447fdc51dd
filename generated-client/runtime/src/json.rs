//! JSON bodies to typed values, an error naming the failing field: what
//! responses, pages and webhooks decode with.

use serde::de::DeserializeOwned;

use crate::Error;

/// Decodes JSON, naming the failing field. `status` is 0 outside responses.
///
/// The body is decoded once with plain serde_json; only when that fails is
/// it decoded again with the JSON path tracked (`serde_path_to_error`), to
/// name the failing field: tracking the path costs on every value, and
/// decoding is deterministic, so the second pass fails at the same place.
/// An empty body, and a body that is not JSON, get messages that say so.
pub(crate) fn decode_json<T: DeserializeOwned>(
    operation: Option<&'static str>,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<T, Error> {
    let empty = body.iter().all(u8::is_ascii_whitespace);
    let input: &[u8] = if empty { b"null" } else { body };
    let first = match serde_json::from_slice(input) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let fail = |path: String, error: serde_json::Error| {
        let message = if empty {
            "the body is empty, where a JSON value was expected".to_owned()
        } else if error.is_syntax() && content_type.is_some_and(|ct| !ct.contains("json")) {
            format!("the body is not JSON (content type `{}`): {error}", content_type.unwrap_or_default())
        } else {
            error.to_string()
        };
        Error::Decode { operation, status, path, message, body: String::from_utf8_lossy(body).into_owned() }
    };
    let mut deserializer = serde_json::Deserializer::from_slice(input);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner();
            Err(fail(with_missing_field(path, &inner), inner))
        }
        // the value decoded: what failed is after it (trailing data)
        Ok(_) => Err(fail(".".to_owned(), first)),
    }
}

/// serde reports a missing field at its parent (`accounts[0]`); the path
/// should name the field itself (`accounts[0].balance`).
pub(crate) fn with_missing_field(path: String, error: &serde_json::Error) -> String {
    let message = error.to_string();
    let field = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match field {
        Some(field) if path == "." => field.to_owned(),
        Some(field) => format!("{path}.{field}"),
        None => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[test]
    fn a_missing_field_is_named_in_the_path() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Page {
            items: Vec<Item>,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Item {
            id: i64,
        }
        match decode_json::<Page>(None, 200, None, br#"{"items": [{"id": 1}, {}]}"#) {
            Err(Error::Decode { path, .. }) => assert_eq!(path, "items[1].id"),
            other => panic!("expected a decode error, got {other:?}"),
        }
        match decode_json::<Item>(None, 200, None, b"{}") {
            Err(Error::Decode { path, .. }) => assert_eq!(path, "id"),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}
