//! The one error type of the generated clients.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::Method;

use crate::retry::retry_after;

/// Everything that can go wrong with a call.
///
/// No variant's text contains a query string or a credential: paths are
/// stored without their query, the underlying `reqwest` error has its URL
/// removed, and `Debug` elides the bodies of successful responses (which may
/// hold tokens) by printing only their length.
///
/// Every error of a generated client's call names its operation (name,
/// method and path template: [`Error::operation`]) and, after retries, how
/// many attempts were made and for how long ([`Error::attempts`]).
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or the response could not be read
    /// (connection refused or closed, TLS failure, truncated body, ...).
    Transport {
        /// The operation (name, method and path template), when known.
        operation: Option<&'static str>,
        /// The request method.
        method: Method,
        /// The request path, without query string.
        path: String,
        /// The attempts made, this last one included.
        attempts: Attempts,
        /// The underlying error, with its URL removed.
        source: reqwest::Error,
    },
    /// The request or reading its response took longer than the timeout.
    Timeout {
        /// The operation (name, method and path template), when known.
        operation: Option<&'static str>,
        /// The request method.
        method: Method,
        /// The request path, without query string.
        path: String,
        /// The attempts made, this last one included.
        attempts: Attempts,
    },
    /// A middleware of the application's client
    /// ([`ClientBuilder::middleware_client`](crate::ClientBuilder::middleware_client))
    /// returned an error.
    Middleware {
        /// The operation (name, method and path template), when known.
        operation: Option<&'static str>,
        /// The request method.
        method: Method,
        /// The request path, without query string.
        path: String,
        /// The attempts made, this last one included.
        attempts: Attempts,
        /// The middleware's error, as it returned it.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The server answered with a non-2xx status.
    Api(Box<ApiError>),
    /// A body could not be decoded into the expected type.
    Decode {
        /// The operation, when the body is a response of one.
        operation: Option<&'static str>,
        /// The HTTP status, or 0 when the body did not come from a response
        /// (webhooks, webview callbacks).
        status: u16,
        /// The JSON path of the failing field, e.g. `accounts[2].balance`.
        path: String,
        /// What was wrong.
        message: String,
        /// The body, as lossy UTF-8 (empty for webview callbacks, whose
        /// query holds one-time codes).
        body: String,
    },
    /// One item of a list page could not be decoded; the page's other items
    /// were (see [`Page`](crate::Page): a list operation's `send_items`,
    /// and `into_stream`, which yields this error in the item's place and
    /// goes on).
    Item(Box<ItemError>),
    /// A 2xx status the operation does not describe.
    UnexpectedStatus {
        /// The operation (name, method and path template), when known.
        operation: Option<&'static str>,
        /// The HTTP status.
        status: u16,
        /// The body, as lossy UTF-8.
        body: String,
    },
    /// The request could not be built: a bad path parameter, a body that
    /// cannot be encoded, an invalid header value, ...
    InvalidRequest {
        /// The operation (name, method and path template), when known.
        operation: Option<&'static str>,
        /// What was wrong.
        message: String,
    },
    /// A list consumed as a stream (`into_stream`) cannot be paged to its
    /// end: the server returned a page of items already delivered (it
    /// ignores `offset`, or the list changed by more than a page while it
    /// was read).
    Pagination {
        /// The operation (name, method and path template), when known.
        operation: Option<&'static str>,
        /// The offset of the page that stopped the stream.
        offset: i64,
        /// What was wrong.
        message: String,
    },
    /// A webhook request was refused by
    /// [`webhook::authenticate`](crate::webhook::authenticate): its
    /// `Authorization` header is missing or does not carry the expected
    /// token. Its body must not be trusted.
    WebhookRefused {
        /// The event the request was posted for.
        event: String,
        /// Why it was refused.
        refusal: Refusal,
    },
    /// The base URL is not an `http(s)` URL with a host.
    InvalidBaseUrl {
        /// What was wrong.
        message: String,
    },
}

/// Why [`webhook::authenticate`](crate::webhook::authenticate) refused a
/// webhook request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The request has no `Authorization` header.
    Missing,
    /// The `Authorization` header is not `Bearer <token>`.
    NotBearer,
    /// The token is not the expected one.
    WrongToken,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::Missing => "no Authorization header",
            Refusal::NotBearer => "the Authorization header is not `Bearer <token>`",
            Refusal::WrongToken => "the bearer token is not the expected one",
        })
    }
}

impl Error {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } if *status != 0 => Some(*status),
            Error::UnexpectedStatus { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API's error code (`wrongpass`, `actionNeeded`...), for an
    /// [`Error::Api`] whose body has one: `if error.api_code() == Some("wrongpass")`.
    pub fn api_code(&self) -> Option<&str> {
        self.api()?.code.as_deref()
    }

    /// The API's error code as a typed value, for an [`Error::Api`] whose
    /// body has one: a generated open enum of the codes the spec lists
    /// (`powens::models::ApiErrorCode`), whose catch-all variant keeps a
    /// code the spec does not know:
    /// `if let Some(ApiErrorCode::Wrongpass) = error.api_code_as() { .. }`.
    pub fn api_code_as<C: std::str::FromStr<Err = std::convert::Infallible>>(&self) -> Option<C> {
        let code = self.api_code()?;
        let Ok(code) = code.parse();
        Some(code)
    }

    /// The operation the error came from (`listTransactions (GET
    /// /users/{id_user}/transactions)`): known for every error of a
    /// generated client's call; `None` for a hand-made request that names
    /// none, a webhook or a webview callback.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api(api) => api.operation,
            Error::Item(item) => item.operation,
            Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Middleware { operation, .. }
            | Error::Decode { operation, .. }
            | Error::UnexpectedStatus { operation, .. }
            | Error::InvalidRequest { operation, .. }
            | Error::Pagination { operation, .. } => *operation,
            Error::WebhookRefused { .. } | Error::InvalidBaseUrl { .. } => None,
        }
    }

    /// The attempts made, for an error of a request that was sent (the
    /// last attempt's error, after the retries the policy allowed).
    pub fn attempts(&self) -> Option<Attempts> {
        match self {
            Error::Transport { attempts, .. } | Error::Timeout { attempts, .. } | Error::Middleware { attempts, .. } => Some(*attempts),
            Error::Api(api) => Some(api.attempts),
            _ => None,
        }
    }

    /// This error, naming `operation` if it names none yet: what generated
    /// code applies to the errors of building a request and of paging,
    /// which happen where the operation is not otherwise known.
    pub fn with_operation(mut self, operation: &'static str) -> Error {
        let slot = match &mut self {
            Error::Api(api) => &mut api.operation,
            Error::Item(item) => &mut item.operation,
            Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Middleware { operation, .. }
            | Error::Decode { operation, .. }
            | Error::UnexpectedStatus { operation, .. }
            | Error::InvalidRequest { operation, .. }
            | Error::Pagination { operation, .. } => operation,
            Error::WebhookRefused { .. } | Error::InvalidBaseUrl { .. } => return self,
        };
        slot.get_or_insert(operation);
        self
    }

    /// The item that could not be decoded, for [`Error::Item`].
    pub fn item(&self) -> Option<&ItemError> {
        match self {
            Error::Item(item) => Some(item),
            _ => None,
        }
    }

    /// The decoded error response, for [`Error::Api`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Whether the request timed out (every timeout of reqwest's is an
    /// [`Error::Timeout`], never a `Transport`).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    pub(crate) fn invalid_request(message: impl Into<String>) -> Error {
        Error::InvalidRequest {
            operation: None,
            message: message.into(),
        }
    }

    /// Classifies a reqwest error and strips its URL, whose query may hold
    /// codes or tokens.
    pub(crate) fn from_reqwest(operation: Option<&'static str>, method: &Method, path: &str, attempts: Attempts, source: reqwest::Error) -> Error {
        if source.is_timeout() {
            Error::Timeout {
                operation,
                method: method.clone(),
                path: path.to_owned(),
                attempts,
            }
        } else {
            Error::Transport {
                operation,
                method: method.clone(),
                path: path.to_owned(),
                attempts,
                source: source.without_url(),
            }
        }
    }
}

/// How many attempts a call made, and the time from the start of the first
/// to the end of the last.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attempts {
    /// The number of attempts, 1 when the request was sent once.
    pub count: u32,
    /// From the start of the first attempt to the end of the last.
    pub elapsed: Duration,
}

/// ` (attempt 4 of a call of 2.3 s)` after a retried call's error; nothing
/// after a request sent once.
impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.count > 1 {
            write!(f, " (attempt {}, {:.1} s after the first began)", self.count, self.elapsed.as_secs_f64())?;
        }
        Ok(())
    }
}

/// The media type of a `Content-Type` (`text/html` of `text/html;
/// charset=utf-8`), or a placeholder when it is not one: only a type is
/// shown, never what else a server put in the header.
fn media_type(content_type: &str) -> &str {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let is_token = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b));
    match essence.split_once('/') {
        Some((kind, sub)) if is_token(kind) && is_token(sub) && essence.len() <= 80 => essence,
        _ => "non-media-type",
    }
}

/// `listAccounts (GET /users/{id_user}/accounts): ` before an error's text
/// when its operation is known.
fn prefix(f: &mut fmt::Formatter<'_>, operation: Option<&'static str>) -> fmt::Result {
    match operation {
        Some(operation) => write!(f, "{operation}: "),
        None => Ok(()),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport {
                operation,
                method,
                path,
                attempts,
                source,
            } => {
                let what = if source.is_connect() {
                    "could not connect"
                } else if source.is_body() || source.is_decode() {
                    "could not read the response"
                } else {
                    "request failed"
                };
                prefix(f, *operation)?;
                write!(f, "{method} {path}: {what}{attempts}")
            }
            Error::Timeout { operation, method, path, attempts } => {
                prefix(f, *operation)?;
                write!(f, "{method} {path}: timed out{attempts}")
            }
            Error::Middleware { operation, method, path, attempts, .. } => {
                prefix(f, *operation)?;
                write!(f, "{method} {path}: a middleware failed{attempts}")
            }
            Error::Api(api) => fmt::Display::fmt(api, f),
            Error::Decode {
                operation,
                status,
                path,
                message,
                ..
            } => {
                prefix(f, *operation)?;
                f.write_str("cannot decode ")?;
                if *status != 0 {
                    write!(f, "the response (status {status}) ")?;
                }
                write!(f, "at `{path}`: {message}")
            }
            Error::Item(item) => fmt::Display::fmt(item, f),
            Error::UnexpectedStatus { operation, status, .. } => {
                prefix(f, *operation)?;
                write!(f, "unexpected status {status}: the operation does not describe it")
            }
            Error::InvalidRequest { operation, message } => {
                prefix(f, *operation)?;
                write!(f, "invalid request: {message}")
            }
            Error::Pagination { operation, offset, message } => {
                prefix(f, *operation)?;
                write!(f, "paging stopped at offset {offset}: {message}")
            }
            Error::WebhookRefused { event, refusal } => write!(f, "webhook {event} refused: {refusal}"),
            Error::InvalidBaseUrl { message } => write!(f, "invalid base URL: {message}"),
        }
    }
}

/// Written by hand so bodies of successful responses show only their length.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport {
                operation,
                method,
                path,
                attempts,
                source,
            } => f
                .debug_struct("Transport")
                .field("operation", operation)
                .field("method", method)
                .field("path", path)
                .field("attempts", attempts)
                .field("source", source)
                .finish(),
            Error::Timeout { operation, method, path, attempts } => f
                .debug_struct("Timeout")
                .field("operation", operation)
                .field("method", method)
                .field("path", path)
                .field("attempts", attempts)
                .finish(),
            Error::Middleware { operation, method, path, attempts, source } => f
                .debug_struct("Middleware")
                .field("operation", operation)
                .field("method", method)
                .field("path", path)
                .field("attempts", attempts)
                .field("source", source)
                .finish(),
            Error::Api(api) => f.debug_tuple("Api").field(api).finish(),
            Error::Decode {
                operation,
                status,
                path,
                message,
                body,
            } => f
                .debug_struct("Decode")
                .field("operation", operation)
                .field("status", status)
                .field("path", path)
                .field("message", message)
                .field("body", &BodyLen(body.len()))
                .finish(),
            Error::Item(item) => f.debug_tuple("Item").field(item).finish(),
            Error::UnexpectedStatus { operation, status, body } => f
                .debug_struct("UnexpectedStatus")
                .field("operation", operation)
                .field("status", status)
                .field("body", &BodyLen(body.len()))
                .finish(),
            Error::Pagination { operation, offset, message } => f
                .debug_struct("Pagination")
                .field("operation", operation)
                .field("offset", offset)
                .field("message", message)
                .finish(),
            Error::InvalidRequest { operation, message } => f
                .debug_struct("InvalidRequest")
                .field("operation", operation)
                .field("message", message)
                .finish(),
            Error::WebhookRefused { event, refusal } => f
                .debug_struct("WebhookRefused")
                .field("event", event)
                .field("refusal", refusal)
                .finish(),
            Error::InvalidBaseUrl { message } => f
                .debug_struct("InvalidBaseUrl")
                .field("message", message)
                .finish(),
        }
    }
}

/// Prints `<N bytes>` in place of a body.
pub(crate) struct BodyLen(pub(crate) usize);

impl fmt::Debug for BodyLen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Middleware { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

/// A non-2xx response, decoded as far as possible.
///
/// A server may echo a credential in an error body (a bank password sent
/// back, a token in a `description`), so the renderings redact:
/// `Display` and `Debug` show the values of credential fields (`password`,
/// `*token*`, `*secret*`, `code`... at any depth) as `"[redacted]"`, a
/// body that is not JSON as its length only, and the words of `message`
/// and `description` that may be secrets (holding digits or symbols, too
/// long, echoing a credential field, or after `password:`) as
/// `[redacted]`. The fields themselves, and [`ApiError::raw_body`], hold
/// what the server sent, **unredacted**: read them explicitly, and do not
/// log them.
#[derive(Clone, PartialEq)]
pub struct ApiError {
    /// The operation that got this response (name, method and path
    /// template), when the request named it.
    pub operation: Option<&'static str>,
    /// The HTTP status.
    pub status: u16,
    /// The top-level `code` string of a JSON body, e.g. `authFailure`.
    pub code: Option<String>,
    /// The top-level `message` string of a JSON body, unredacted.
    pub message: Option<String>,
    /// The top-level `description` string of a JSON body, unredacted.
    pub description: Option<String>,
    /// The body, when it is JSON, unredacted.
    pub body: Option<serde_json::Value>,
    /// The body as lossy UTF-8, whatever it is, unredacted (see
    /// [`ApiError::raw_body`]).
    pub raw: String,
    /// The response's `Content-Type`, when it sent one.
    pub content_type: Option<String>,
    /// The `Retry-After` delay, when the server sent one.
    pub retry_after: Option<Duration>,
    /// The attempts made, this response's included.
    pub attempts: Attempts,
}

impl ApiError {
    /// Decodes a non-2xx response.
    pub fn from_response(status: u16, headers: &HeaderMap, body: &[u8]) -> ApiError {
        let json = serde_json::from_slice::<serde_json::Value>(body).ok();
        let field = |name: &str| {
            json.as_ref()
                .and_then(|value| value.get(name))
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        let content_type = headers.get(reqwest::header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(str::to_owned);
        ApiError {
            operation: None,
            status,
            code: field("code"),
            message: field("message"),
            description: field("description"),
            raw: String::from_utf8_lossy(body).into_owned(),
            content_type,
            retry_after: retry_after(headers),
            attempts: Attempts { count: 1, elapsed: Duration::ZERO },
            body: json,
        }
    }
}

impl ApiError {
    /// The body as the server sent it (lossy UTF-8), **unredacted**: it may
    /// hold a credential the server echoed. `Display` and `Debug` never
    /// show it; read it explicitly when the application needs it.
    pub fn raw_body(&self) -> &str {
        &self.raw
    }

    /// `text` with the words that may be secrets redacted.
    fn redacted<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        crate::redact::redact_text(text, self.body.as_ref())
    }
}

/// `API error 403: authFailure: Wrong password`; never the raw body, and
/// the code and text with the words that may be secrets redacted. A body
/// that is not JSON is described (`a text/html body of 1234 bytes, not
/// JSON`, `an empty body`), not shown.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        prefix(f, self.operation)?;
        write!(f, "API error {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, ": {}", crate::redact::redact_code(code, self.body.as_ref()))?;
        }
        if let Some(text) = self.message.as_ref().or(self.description.as_ref()) {
            write!(f, ": {}", self.redacted(text))?;
        }
        if self.body.is_none() {
            match (self.raw.trim().is_empty(), &self.content_type) {
                (true, _) => f.write_str(": an empty body")?,
                (false, Some(content_type)) => write!(f, ": a {} body of {} bytes, not JSON", media_type(content_type), self.raw.len())?,
                (false, None) => write!(f, ": a body of {} bytes without a content type, not JSON", self.raw.len())?,
            }
        }
        write!(f, "{}", self.attempts)
    }
}

/// Written by hand: the JSON body with its credential fields redacted, a
/// body that is not JSON as its length, the texts redacted as in `Display`.
impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = |value: &Option<String>| value.as_deref().map(|text| self.redacted(text).into_owned());
        let mut out = f.debug_struct("ApiError");
        out.field("operation", &self.operation)
            .field("status", &self.status)
            .field("code", &self.code.as_deref().map(|code| crate::redact::redact_code(code, self.body.as_ref())))
            .field("message", &text(&self.message))
            .field("description", &text(&self.description));
        match &self.body {
            Some(body) => {
                let secrets = crate::redact::error_body_secrets(body);
                out.field("body", &RedactedJson(crate::redact::redact_error_json(self.raw.trim(), &secrets)))
            }
            None => out.field("body", &None::<()>),
        };
        out.field("raw", &BodyLen(self.raw.len()))
            .field("content_type", &self.content_type)
            .field("retry_after", &self.retry_after)
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// Redacted JSON, printed as it is.
struct RedactedJson(String);

impl fmt::Debug for RedactedJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ApiError {}

/// An item of a list page that could not be decoded ([`Error::Item`]).
///
/// Neither `Display` nor `Debug` shows the item: `Display` names the
/// operation, the item's place and the failing field, `Debug` shows the
/// length of [`ItemError::raw`].
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ItemError {
    /// The operation whose page held the item (name, method and path
    /// template), when the request named it.
    pub operation: Option<&'static str>,
    /// The item's index in its page, from 0.
    pub index: usize,
    /// The item's offset in the whole list: the page's `offset` plus
    /// [`ItemError::index`].
    pub offset: i64,
    /// The JSON path of the failing field in the response, e.g.
    /// `transactions[17].value`.
    pub path: String,
    /// What was wrong.
    pub message: String,
    /// The item's JSON as received, except the value of every field whose
    /// name is a credential's (`password`, `*token*`, `*secret*`, `code`,
    /// ...), at any depth, which is `"[redacted]"`. Numbers keep their
    /// digits.
    pub raw: String,
}

impl ItemError {
    /// An item error (for tests and hand-written helpers); `raw` is the
    /// item's JSON, redacted here.
    pub fn new(operation: Option<&'static str>, index: usize, offset: i64, path: String, message: String, raw: &str) -> ItemError {
        ItemError { operation, index, offset, path, message, raw: crate::redact::redact_json(raw) }
    }
}

/// ``listTransactions (GET ...): cannot decode item 17 of the page (offset
/// 117) at `transactions[17].value`: ...``; never the item itself.
impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(operation) = self.operation {
            write!(f, "{operation}: ")?;
        }
        write!(
            f,
            "cannot decode item {} of the page (offset {}) at `{}`: {}",
            self.index, self.offset, self.path, self.message
        )
    }
}

/// Shows the raw item's length only, like the bodies of other errors.
impl fmt::Debug for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemError")
            .field("operation", &self.operation)
            .field("index", &self.index)
            .field("offset", &self.offset)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("raw", &BodyLen(self.raw.len()))
            .finish()
    }
}

impl std::error::Error for ItemError {}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    #[test]
    fn powens_json_error() {
        let body = br#"{"code": "authFailure", "message": "Wrong password", "description": "The password is wrong"}"#;
        let api = ApiError::from_response(403, &HeaderMap::new(), body);
        assert_eq!(api.code.as_deref(), Some("authFailure"));
        assert_eq!(api.message.as_deref(), Some("Wrong password"));
        assert_eq!(api.description.as_deref(), Some("The password is wrong"));
        assert_eq!(
            api.body.as_ref().and_then(|b| b.get("code")),
            Some(&"authFailure".into())
        );
        assert_eq!(
            api.to_string(),
            "API error 403: authFailure: Wrong password"
        );
        let error = Error::Api(Box::new(api));
        assert_eq!(error.status(), Some(403));
        assert_eq!(
            error.to_string(),
            "API error 403: authFailure: Wrong password"
        );
    }

    #[test]
    fn non_string_fields_are_ignored() {
        let api =
            ApiError::from_response(400, &HeaderMap::new(), br#"{"code": 12, "message": null}"#);
        assert_eq!(api.code, None);
        assert_eq!(api.message, None);
        assert!(api.body.is_some());
        assert_eq!(api.to_string(), "API error 400");
    }

    #[test]
    fn non_json_body_keeps_raw() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        let api = ApiError::from_response(502, &headers, b"<html>Bad gateway \xff</html>");
        assert_eq!(api.code, None);
        assert_eq!(api.body, None);
        assert_eq!(api.raw, "<html>Bad gateway \u{fffd}</html>");
        assert_eq!(api.retry_after, Some(Duration::from_secs(7)));
        assert_eq!(api.to_string(), "API error 502: a body of 28 bytes without a content type, not JSON");
    }

    #[test]
    fn empty_body() {
        let api = ApiError::from_response(404, &HeaderMap::new(), b"");
        assert_eq!((api.code, api.body, api.raw.as_str()), (None, None, ""));
    }

    /// A 4xx that echoes credentials: no rendering shows them; the
    /// explicit fields and `raw_body` keep them.
    #[test]
    fn api_error_renderings_hide_echoed_secrets() {
        const MARK: &str = "S3cr3t-MARK";
        let body = format!(
            r#"{{"code": "wrongpass", "message": "password {MARK} is wrong", "description": "the token tok_{MARK} expired", "password": "{MARK}", "details": {{"access_token": "{MARK}x", "label": "kept"}}, "amount": 10.50}}"#
        );
        let mut api = ApiError::from_response(400, &HeaderMap::new(), body.as_bytes());
        api.operation = Some("createToken (POST /auth/token)");
        let error = Error::Api(Box::new(api.clone()));
        for shown in [format!("{api}"), format!("{api:?}"), format!("{api:#?}"), format!("{error}"), format!("{error:?}"), format!("{error:#?}")] {
            assert!(!shown.contains(MARK), "{shown}");
            assert!(!shown.contains("S3cr3t"), "{shown}");
        }
        assert_eq!(error.to_string(), "createToken (POST /auth/token): API error 400: wrongpass: password [redacted] is wrong");
        let debug = format!("{api:?}");
        assert!(debug.contains(r#""password": "[redacted]""#) && debug.contains(r#""label": "kept""#), "{debug}");
        assert!(debug.contains(r#""amount": 10.50"#), "numbers keep their digits: {debug}");
        assert!(debug.contains("the token [redacted] expired"), "{debug}");
        assert_eq!(api.raw_body(), body);
        assert_eq!(api.body.as_ref().and_then(|b| b.get("password")), Some(&MARK.into()));
        // a body that is not JSON shows its length only
        let text = format!("token={MARK}");
        let api = ApiError::from_response(401, &HeaderMap::new(), text.as_bytes());
        for shown in [format!("{api}"), format!("{api:?}"), format!("{api:#?}")] {
            assert!(!shown.contains(MARK), "{shown}");
        }
        assert!(format!("{api:?}").contains(&format!("raw: <{} bytes>", text.len())));
        assert_eq!(api.raw_body(), text);
    }

    #[test]
    fn debug_hides_success_bodies() {
        let error = Error::Decode {
            operation: None,
            status: 200,
            path: "auth_token".into(),
            message: "invalid type".into(),
            body: r#"{"auth_token": 5, "secret": "tok_live_123"}"#.into(),
        };
        let debug = format!("{error:?}");
        assert!(!debug.contains("tok_live_123"), "{debug}");
        assert!(debug.contains("auth_token"));
        assert_eq!(
            error.to_string(),
            "cannot decode the response (status 200) at `auth_token`: invalid type"
        );
        let unexpected = Error::UnexpectedStatus {
            operation: None,
            status: 201,
            body: "tok_live_123".into(),
        };
        assert!(!format!("{unexpected:?} {unexpected}").contains("tok_live_123"));
    }

    /// The pure pieces of error rendering, one by one (cargo-mutants on the
    /// unit tests found them unchecked here): the media type shown for a
    /// body (a type only, never the rest of the header), the attempts after
    /// a retried call's error, an item error's `Debug` (the raw item's
    /// length, never the item).
    #[test]
    fn rendering_pieces() {
        assert_eq!(media_type("text/html; charset=utf-8"), "text/html");
        assert_eq!(media_type(" application/problem+json "), "application/problem+json");
        for bad in ["", "text", "/html", "text/", "text/ht ml", "tok=abc/x", &format!("a/{}", "b".repeat(80))] {
            assert_eq!(media_type(bad), "non-media-type", "{bad:?}");
        }
        assert_eq!(media_type(&format!("a/{}", "b".repeat(78))).len(), 80);
        let once = Attempts { count: 1, elapsed: Duration::from_millis(2300) };
        let retried = Attempts { count: 4, elapsed: Duration::from_millis(2300) };
        assert_eq!(once.to_string(), "");
        assert_eq!(retried.to_string(), " (attempt 4, 2.3 s after the first began)");
        let raw = r#"{"value": 1, "password": "hunter2"}"#;
        let item = ItemError::new(Some("listItems"), 2, 17, "items[2].value".into(), "bad".into(), raw);
        let shown = format!("{item:?}");
        assert!(shown.starts_with(r#"ItemError { operation: Some("listItems"), index: 2, offset: 17, path: "items[2].value", message: "bad", raw: <"#), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
