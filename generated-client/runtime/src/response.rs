//! A successful response, read in full.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::json::decode_json;
use crate::page::{decode_page, PageOf};
use crate::{Error, Page};

/// A 2xx response whose body has been read in full.
#[derive(Clone)]
pub struct Response {
    operation: Option<&'static str>,
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    /// A response from its parts (for tests and hand-written helpers).
    pub fn new(status: u16, headers: HeaderMap, body: Bytes) -> Response {
        Response {
            operation: None,
            status,
            headers,
            body,
        }
    }

    /// Names the operation this is the response of, for decode errors.
    pub fn with_operation(mut self, operation: Option<&'static str>) -> Response {
        self.operation = operation;
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body, consuming the response.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// Decodes the body as JSON. An empty body reads as `null`, so `()` and
    /// `Option<T>` decode from it. A failure is [`Error::Decode`] with the
    /// JSON path of the failing field.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let content_type = self.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        decode_json(self.operation, self.status, content_type, &self.body)
    }

    /// Decodes the body as a list page `P` item by item ([`Page`]): `split`
    /// takes the items and the total out of a `P`, `items_field` names the
    /// field holding the items, and `offset` is the page's offset in the
    /// list. An item that does not decode is an [`Error::Item`] in its
    /// place; the rest of the page decodes as strictly as with
    /// [`Response::json`], and fails the same way.
    pub fn json_page<P, T>(
        &self,
        items_field: &str,
        offset: i64,
        split: impl FnMut(P) -> (Vec<T>, Option<i64>),
    ) -> Result<Page<T>, Error>
    where
        P: DeserializeOwned,
        T: DeserializeOwned,
    {
        let content_type = self.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let of = PageOf { operation: self.operation, status: self.status, content_type, items_field, offset };
        decode_page(of, &self.body, split)
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// An [`Error::UnexpectedStatus`] for a status the operation does not
    /// describe.
    pub fn unexpected(self) -> Error {
        Error::UnexpectedStatus {
            operation: self.operation,
            status: self.status,
            body: self.text(),
        }
    }
}

/// How a successful response becomes the output of a generated `send`
/// when it is not a JSON body: nothing, text, bytes, or a response enum
/// (one variant per documented status) that generated code implements.
pub trait FromResponse: Sized + Send + 'static {
    /// Reads the output from the response.
    fn from_response(response: Response) -> Result<Self, Error>;
}

/// No content: the body, if any, is ignored.
impl FromResponse for () {
    fn from_response(_: Response) -> Result<(), Error> {
        Ok(())
    }
}

/// The body as text, with invalid UTF-8 replaced.
impl FromResponse for String {
    fn from_response(response: Response) -> Result<String, Error> {
        Ok(response.text())
    }
}

/// The raw body.
impl FromResponse for Bytes {
    fn from_response(response: Response) -> Result<Bytes, Error> {
        Ok(response.into_body())
    }
}

/// Shows the body's length only: it may hold tokens.
impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body", &crate::error::BodyLen(self.body.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Amount;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Account {
        balance: Amount,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Accounts {
        accounts: Vec<Account>,
    }

    fn response(body: &'static str) -> Response {
        Response::new(200, HeaderMap::new(), Bytes::from_static(body.as_bytes()))
    }

    #[test]
    fn decode_error_names_the_field() {
        let body = r#"{"accounts": [{"balance": 1}, {"balance": 2.5}, {"balance": "x"}]}"#;
        let error = response(body).json::<Accounts>().unwrap_err();
        match error {
            Error::Decode {
                status,
                path,
                body: raw,
                ..
            } => {
                assert_eq!(status, 200);
                assert_eq!(path, "accounts[2].balance");
                assert_eq!(raw, body);
            }
            other => panic!("expected Decode, got {other:?}"),
        }
    }

    #[test]
    fn empty_and_non_json_bodies_say_so() {
        let error = response("").json::<Accounts>().unwrap_err();
        assert!(error.to_string().contains("the body is empty, where a JSON value was expected"), "{error}");
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::CONTENT_TYPE, "text/html; charset=utf-8".parse().unwrap());
        let html = Response::new(502, headers, Bytes::from_static(b"<html>Bad gateway</html>"))
            .with_operation(Some("listAccounts (GET /users/{id_user}/accounts)"));
        let error = html.json::<Accounts>().unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("listAccounts (GET /users/{id_user}/accounts): cannot decode"), "{text}");
        assert!(text.contains("the body is not JSON (content type `text/html; charset=utf-8`)"), "{text}");
        assert_eq!(error.operation(), Some("listAccounts (GET /users/{id_user}/accounts)"));
    }

    #[test]
    fn empty_body_is_null() {
        assert_eq!(response("").json::<Option<u8>>().unwrap(), None);
        response(" \n").json::<()>().unwrap();
        assert!(response("").json::<Accounts>().is_err());
    }

    #[test]
    fn garbage_and_trailing_data_are_errors() {
        assert!(matches!(
            response("<html>").json::<u8>(),
            Err(Error::Decode { .. })
        ));
        assert!(matches!(
            response("1 2").json::<u8>(),
            Err(Error::Decode { .. })
        ));
        assert!(matches!(
            response("\u{0}\u{ff}").json::<u8>(),
            Err(Error::Decode { .. })
        ));
        assert_eq!(response("3 ").json::<u8>().unwrap(), 3);
    }

    #[test]
    fn unexpected_keeps_status_and_text() {
        let error = response("hi").unexpected();
        assert!(matches!(&error, Error::UnexpectedStatus { status: 200, body, .. } if body == "hi"));
        assert_eq!(error.status(), Some(200));
    }

    /// The accessors; a text or bytes output is the body itself; a
    /// response's `Debug` shows its status, header names and the body's
    /// length, never the body (cargo-mutants on the runtime's unit tests
    /// found these unchecked there; the HTTP tests use some of them).
    #[test]
    fn text_and_bytes_outputs_and_debug() {
        assert_eq!(String::from_response(response("caf\u{e9} ok")).unwrap(), "caf\u{e9} ok");
        assert_eq!(Bytes::from_response(response("raw \u{1}")).unwrap(), Bytes::from_static("raw \u{1}".as_bytes()));
        assert_eq!(response("body").into_body(), Bytes::from_static(b"body"));
        let mut headers = HeaderMap::new();
        headers.insert("x-token", "tok_5ecret".parse().unwrap());
        let created = Response::new(201, headers, Bytes::from_static(b"{\"password\": \"hunter2\"}"));
        assert_eq!((created.status(), created.body().len()), (201, 23));
        assert_eq!(created.headers()["x-token"], "tok_5ecret");
        let shown = format!("{created:?}");
        assert_eq!(shown, r#"Response { status: 201, headers: ["x-token"], body: <23 bytes> }"#);
    }
}
