//! One API call, described as data before anything is sent.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;
use serde::Serialize;

use crate::encoding::{list_item, query_name, query_value};
use crate::{Error, Multipart};

/// The body of a [`Request`].
#[derive(Clone)]
pub(crate) enum Body {
    Empty,
    Bytes {
        content_type: std::borrow::Cow<'static, str>,
        bytes: Bytes,
    },
    Multipart(Multipart),
}

/// A request for [`Client::execute`](crate::Client::execute).
///
/// Setters take `&mut self` so generated code can add optional parts one by
/// one. Setters that cannot return an error (`header`, `cookie`) remember the
/// first invalid input, and `execute` reports it as
/// [`Error::InvalidRequest`] before anything is sent.
///
/// Values go out through their `Display` text: pass `secret.expose()`, not a
/// [`Secret`](crate::Secret), whose `Display` is `[redacted]`.
#[derive(Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    /// Already percent-encoded `(name, value)` pairs.
    query: Vec<(String, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    cookies: Vec<String>,
    pub(crate) body: Body,
    pub(crate) timeout: Option<Duration>,
    /// The operation's default timeout, used when neither the request nor
    /// the application's client sets one.
    pub(crate) default_timeout: Option<Duration>,
    pub(crate) secured: bool,
    /// Which operation this is (`listTransactions (GET /users/{id_user}/transactions)`),
    /// for error messages.
    pub(crate) operation: Option<&'static str>,
    invalid: Option<String>,
}

impl Request {
    /// A request for `path`, whose parameters are already encoded with
    /// [`path_segment`](crate::path_segment). Requests are `secured` (sent
    /// with the bearer token) by default.
    pub fn new(method: Method, path: String) -> Request {
        let mut request = Request {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: Body::Empty,
            timeout: None,
            default_timeout: None,
            secured: true,
            operation: None,
            invalid: None,
        };
        // A `?` or `#` would smuggle a query or fragment past the encoding.
        if request.path.contains(['?', '#']) {
            request.reject("the path must not contain `?` or `#`".to_owned());
        } else if !request.path.is_empty() && !request.path.starts_with('/') {
            request.path.insert(0, '/');
        }
        request
    }

    /// A request of the operation named `operation` (its name, method and
    /// path template: no query, no body, nothing secret), which its errors
    /// name: what generated code makes.
    pub fn of(operation: &'static str, method: Method, path: String) -> Request {
        let mut request = Request::new(method, path);
        request.operation = Some(operation);
        request
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path, as given to [`Request::new`].
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The encoded query string, without `?` (empty when there is none).
    pub fn query_string(&self) -> String {
        let mut out = String::new();
        for (name, value) in &self.query {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            out.push_str(value);
        }
        out
    }

    /// Adds `name=value` to the query.
    pub fn query(&mut self, name: &str, value: impl fmt::Display) -> &mut Request {
        self.query
            .push((query_name(name), query_value(&value.to_string())));
        self
    }

    /// Adds one `name=a,b,c` pair (`style: form, explode: false`). Commas
    /// inside an item are encoded so they cannot split it; an empty list adds
    /// nothing.
    pub fn query_csv<I, T>(&mut self, name: &str, items: I) -> &mut Request
    where
        I: IntoIterator<Item = T>,
        T: fmt::Display,
    {
        let encoded: Vec<String> = items
            .into_iter()
            .map(|item| list_item(&item.to_string()))
            .collect();
        if !encoded.is_empty() {
            self.query.push((query_name(name), encoded.join(",")));
        }
        self
    }

    /// Adds `name=a&name=b` (`style: form, explode: true`).
    pub fn query_multi<I, T>(&mut self, name: &str, items: I) -> &mut Request
    where
        I: IntoIterator<Item = T>,
        T: fmt::Display,
    {
        for item in items {
            self.query(name, item);
        }
        self
    }

    /// Adds one pair per field of `value`, an object (`style: form,
    /// explode: true`): `key=value`, or `name[key]=value` with `deep_name`
    /// (`style: deepObject`). Values keep their JSON digits (amounts
    /// exact); null fields are left out; a nested value goes as its JSON
    /// text. A value that is not an object, or cannot be encoded, is an
    /// [`Error::InvalidRequest`] naming the parameter, never a silently
    /// missing parameter.
    pub fn query_object<T: Serialize + ?Sized>(&mut self, parameter: &str, deep: bool, value: &T) -> Result<&mut Request, Error> {
        let pairs = serde_json::to_vec(value)
            .map_err(|error| error.to_string())
            .and_then(|json| crate::encoding::object_pairs(&json))
            .map_err(|error| self.named(Error::invalid_request(format!("query parameter `{parameter}` cannot be encoded: {error}"))))?;
        for (key, text) in pairs {
            if deep {
                self.query(&format!("{parameter}[{key}]"), text);
            } else {
                self.query(&key, text);
            }
        }
        Ok(self)
    }

    /// Adds a header. An invalid name or value (for instance one with a line
    /// break) makes `execute` fail with [`Error::InvalidRequest`].
    pub fn header(&mut self, name: &str, value: impl fmt::Display) -> &mut Request {
        let parsed = HeaderName::from_bytes(name.as_bytes())
            .ok()
            .zip(HeaderValue::from_str(&value.to_string()).ok());
        match parsed {
            Some(pair) => self.headers.push(pair),
            None => self.reject(format!("header `{name}` has an invalid name or value")),
        }
        self
    }

    /// Adds a cookie. Names must be HTTP tokens and values RFC 6265 cookie
    /// octets (no space, `"`, `,`, `;` or `\`); anything else makes `execute`
    /// fail rather than send a mangled cookie.
    pub fn cookie(&mut self, name: &str, value: impl fmt::Display) -> &mut Request {
        let value = value.to_string();
        let name_ok = !name.is_empty() && HeaderName::from_bytes(name.as_bytes()).is_ok();
        let value_ok = value.bytes().all(is_cookie_octet);
        if name_ok && value_ok {
            self.cookies.push(format!("{name}={value}"));
        } else {
            self.reject(format!("cookie `{name}` has an invalid name or value"));
        }
        self
    }

    /// Sets a JSON body.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|error| {
            Error::invalid_request(format!("the JSON body cannot be encoded: {error}"))
        })?;
        self.body = Body::Bytes {
            content_type: "application/json".into(),
            bytes: Bytes::from(bytes),
        };
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body: the body's JSON
    /// object, one pair per top-level field, so numbers (amounts included)
    /// carry exactly the digits of the JSON body. Nested values cannot be
    /// form-encoded and give [`Error::InvalidRequest`].
    pub fn form_body<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let text = serde_json::to_vec(body)
            .map_err(|error| error.to_string())
            .and_then(|json| crate::encoding::form_text(&json))
            .map_err(|error| Error::invalid_request(format!("the form body cannot be encoded: {error}")))?;
        self.body = Body::Bytes {
            content_type: "application/x-www-form-urlencoded".into(),
            bytes: Bytes::from(text),
        };
        Ok(())
    }

    /// Sets a raw body of any media type (e.g. `application/octet-stream`).
    pub fn bytes_body(&mut self, content_type: &str, body: impl Into<Bytes>) -> &mut Request {
        self.body = Body::Bytes {
            content_type: content_type.to_owned().into(),
            bytes: body.into(),
        };
        self
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart_body(&mut self, body: Multipart) -> &mut Request {
        self.body = Body::Multipart(body);
        self
    }

    /// Overrides the client's timeout for this request (`None` keeps it).
    pub fn timeout(&mut self, timeout: Option<Duration>) -> &mut Request {
        self.timeout = timeout;
        self
    }

    /// The operation's default timeout (`x-timeout` in the spec, for an
    /// operation the API says can take long): used when neither the request
    /// nor the client sets a timeout (an application's own limit wins).
    pub fn default_timeout(&mut self, timeout: Duration) -> &mut Request {
        self.default_timeout = Some(timeout);
        self
    }

    /// Whether the bearer token is sent (default `true`).
    pub fn secured(&mut self, secured: bool) -> &mut Request {
        self.secured = secured;
        self
    }

    /// The `Cookie` header value, if any cookie was set.
    pub(crate) fn cookie_header(&self) -> Option<String> {
        (!self.cookies.is_empty()).then(|| self.cookies.join("; "))
    }

    /// The first problem recorded by a setter.
    pub(crate) fn check(&self) -> Result<(), Error> {
        match &self.invalid {
            Some(message) => Err(self.named(Error::invalid_request(message.clone()))),
            None => Ok(()),
        }
    }

    /// `error`, naming this request's operation if it has one.
    pub(crate) fn named(&self, error: Error) -> Error {
        match self.operation {
            Some(operation) => error.with_operation(operation),
            None => error,
        }
    }

    /// Keeps the first problem: it is usually the cause of the others.
    fn reject(&mut self, message: String) {
        self.invalid.get_or_insert(message);
    }
}

/// RFC 6265 `cookie-octet`.
fn is_cookie_octet(byte: u8) -> bool {
    matches!(byte, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

/// Shows the shape of the request only: query values, header values, cookies
/// and bodies may hold codes, tokens or passwords.
impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<&str> = self.query.iter().map(|(name, _)| name.as_str()).collect();
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        let body = match &self.body {
            Body::Empty => "none".to_owned(),
            Body::Bytes {
                content_type,
                bytes,
            } => format!("{content_type} <{} bytes>", bytes.len()),
            Body::Multipart(_) => "multipart/form-data".to_owned(),
        };
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &query)
            .field("headers", &headers)
            .field("cookies", &self.cookies.len())
            .field("body", &body)
            .field("timeout", &self.timeout)
            .field("secured", &self.secured)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn get() -> Request {
        Request::new(Method::GET, "/users/me/accounts".to_owned())
    }

    #[test]
    fn scalar_list_and_repeated_query() {
        let mut request = get();
        request
            .query("expand", "transactions[category],connection")
            .query_csv("fields", ["a", "b,c", "d e"])
            .query_csv("empty", Vec::<String>::new())
            .query_csv("blank", [""])
            .query_multi("id", [1, 2])
            .query(
                "min_date",
                chrono::NaiveDate::from_ymd_opt(2015, 6, 18).unwrap(),
            )
            .query("q", "a&b=c+d");
        assert_eq!(
            request.query_string(),
            "expand=transactions[category],connection&fields=a,b%2Cc,d%20e&blank=&id=1&id=2\
             &min_date=2015-06-18&q=a%26b%3Dc%2Bd"
        );
    }

    #[test]
    fn debug_hides_values() {
        let mut request = get();
        request
            .query("password", "hunter2")
            .header("X-Token", "tok_123")
            .cookie("session", "cookie_456");
        request.json_body(&json!({"pin": "9876"})).unwrap();
        let debug = format!("{request:?}");
        for secret in ["hunter2", "tok_123", "cookie_456", "9876"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert!(debug.contains("password"), "{debug}");
    }

    #[test]
    fn invalid_header_or_cookie_is_reported() {
        let mut request = get();
        request.header("X-Ok", "fine");
        assert!(request.check().is_ok());
        request.header("X-Evil", "a\r\nInjected: yes");
        let error = request.check().unwrap_err();
        assert!(matches!(&error, Error::InvalidRequest { message, .. } if message.contains("X-Evil")));
        assert!(!error.to_string().contains("Injected"));

        let mut cookies = get();
        cookies.cookie("a", "1").cookie("b", "x;y");
        assert!(cookies.check().is_err());
        let mut fine = get();
        fine.cookie("a", "1").cookie("b", "2");
        assert_eq!(fine.cookie_header().as_deref(), Some("a=1; b=2"));
    }

    #[test]
    fn path_must_not_carry_a_query() {
        assert!(Request::new(Method::GET, "/a?b=c".to_owned())
            .check()
            .is_err());
        assert!(Request::new(Method::GET, "/a#b".to_owned())
            .check()
            .is_err());
        assert_eq!(Request::new(Method::GET, "a".to_owned()).path(), "/a");
    }

    #[test]
    fn nested_form_body_is_invalid_request() {
        let mut request = Request::new(Method::POST, "/auth/token/access".to_owned());
        let nested = request.form_body(&json!({"a": {"b": 1}}));
        assert!(matches!(nested, Err(Error::InvalidRequest { .. })));
        #[derive(serde::Serialize)]
        struct Token {
            grant_type: &'static str,
            code: &'static str,
            amount: crate::Amount,
        }
        let amount = "3895142176876064.23".parse().unwrap();
        request
            .form_body(&Token { grant_type: "authorization_code", code: "a b&c", amount })
            .unwrap();
        match &request.body {
            Body::Bytes {
                content_type,
                bytes,
            } => {
                assert_eq!(content_type, "application/x-www-form-urlencoded");
                assert_eq!(&bytes[..], b"grant_type=authorization_code&code=a+b%26c&amount=3895142176876064.23");
            }
            _ => panic!("expected a form body"),
        }
    }
}
