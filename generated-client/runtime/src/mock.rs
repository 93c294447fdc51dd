//! Typed mocks for application tests (feature `mock`): a local HTTP server
//! on which a test stubs an operation with the types the client uses.
//!
//! Built on [wiremock](https://docs.rs/wiremock), the mock server the Rust
//! ecosystem already uses with reqwest: it runs in the test's own tokio
//! runtime, on 127.0.0.1, and stops when dropped.
//!
//! What a stub serves is encoded by the models' own `Serialize` (the same
//! code that writes request bodies) and read back by the client's decoder,
//! so a mock serves only what the API could send. What it matches is built
//! by the operation's own request builder, so a stub matches exactly the
//! request the client sends.
//!
//! A generated crate implements [`Operation`] for each request builder and
//! gives its `MockServer` one method per operation returning a [`Stub`].
//!
//! A request that no stub answers gets a 404 whose body says so (code
//! [`NO_STUB`], the request's method and path, and the operations that
//! have stubs), so the client's error reads
//! `executeTransfer (POST /users/{id_user}/transfers/{id_transfer}/execute):
//! API error 404: noStub: ...` rather than a bare 404 that looks like the API's.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Url;
use serde::de::DeserializeOwned;
/// The body type of an operation that sends none as JSON.
pub use serde::de::IgnoredAny;
use serde::Serialize;

use crate::request::Body;
use crate::{Error, Method, Request};

/// An operation as its mock sees it: implemented by generated code for each
/// request builder.
pub trait Operation {
    /// What `send` returns on success (a model, a response enum, `()`...).
    type Output;
    /// The JSON request body, as the application builds it
    /// ([`serde::de::IgnoredAny`] when the operation has none).
    type Body: DeserializeOwned;
    /// The operation's name (`createConnection`).
    const NAME: &'static str;
    /// The method it is sent with.
    const METHOD: Method;
    /// Its path template (`/users/{id_user}/connections`), relative to
    /// the client's base URL.
    const PATH: &'static str;
    /// The request the builder sends.
    fn build_request(&self) -> Result<Request, Error>;
    /// Sends it: the builder's own `send`, for generic code (a test that
    /// calls every operation).
    fn send(self) -> impl crate::ResponseFuture<Self::Output>;
    /// The response that makes `send` return `output`.
    fn reply(output: &Self::Output) -> Reply;
    /// What `send` makes of a response: the client's own decoder.
    fn decode(response: crate::Response) -> Result<Self::Output, Error>;
}

/// A response a stub serves: status, content type, body.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    /// `value` as JSON, written by its `Serialize` impl.
    ///
    /// # Panics
    /// When `value` cannot be encoded (a map with non-string keys): a
    /// mistake in the test, not a condition to handle.
    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Reply {
        let body = serde_json::to_vec(value).unwrap_or_else(|error| panic!("a mock body cannot be encoded: {error}"));
        Reply { status, content_type: Some("application/json".into()), body }
    }

    /// No body.
    pub fn empty(status: u16) -> Reply {
        Reply { status, content_type: None, body: Vec::new() }
    }

    /// A text body.
    pub fn text(status: u16, text: &str) -> Reply {
        Reply { status, content_type: Some("text/plain; charset=utf-8".into()), body: text.as_bytes().to_vec() }
    }

    /// Any body, as is.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply { status, content_type: Some(content_type.into()), body: body.into() }
    }

    /// An API error as the API sends one: `{"code": ..., "message": ...}`,
    /// which the client reads as [`Error::Api`] with that code.
    pub fn error(status: u16, code: impl std::fmt::Display, message: impl Into<String>) -> Reply {
        let body = serde_json::json!({"code": code.to_string(), "message": message.into()});
        Reply::json(status, &body)
    }

    fn template(&self, delay: Option<Duration>) -> wiremock::ResponseTemplate {
        let mut template = wiremock::ResponseTemplate::new(self.status);
        if let Some(content_type) = &self.content_type {
            template = template.set_body_raw(self.body.clone(), content_type);
        }
        match delay {
            Some(delay) => template.set_delay(delay),
            None => template,
        }
    }
}

/// The API error code of the 404 a mock server answers to a request no
/// stub answers: `error.api_code() == Some(mock::NO_STUB)`.
pub const NO_STUB: &str = "noStub";

/// A local mock server. Generated crates wrap it in their own
/// `mock::MockServer`, with one method per operation.
#[derive(Debug)]
pub struct Server {
    inner: wiremock::MockServer,
    /// The operations that have a mounted stub, for the no-stub answer.
    stubbed: Arc<Mutex<Vec<&'static str>>>,
}

impl Server {
    /// Starts a server on 127.0.0.1 and a free port; it stops when dropped.
    pub async fn start() -> Server {
        let server = Server { inner: wiremock::MockServer::start().await, stubbed: Arc::default() };
        // tried after every stub (wiremock tries lower priorities first)
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(NoStub(server.stubbed.clone()))
            .with_priority(u8::MAX)
            .named("no stub")
            .mount(&server.inner)
            .await;
        server
    }

    /// Its base URL, `http://127.0.0.1:<port>`: give it to the client.
    pub fn uri(&self) -> String {
        self.inner.uri()
    }

    /// The underlying wiremock server, for what typed stubs do not cover.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.inner
    }

    /// A stub of operation `O`, matching every request of it until
    /// narrowed by [`Stub::matching`].
    pub fn stub<O: Operation>(&self) -> Stub<'_, O> {
        Stub { server: &self.inner, stubbed: &self.stubbed, expected: None, replies: Vec::new(), delay: None, operation: PhantomData }
    }
}

/// The answer to a request no stub answers: a 404 that says so.
struct NoStub(Arc<Mutex<Vec<&'static str>>>);

impl wiremock::Respond for NoStub {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let stubbed = self.0.lock().map(|names| names.join(", ")).unwrap_or_default();
        let stubbed = if stubbed.is_empty() { "none".to_owned() } else { stubbed };
        let message = format!("no stub answers {} {} (operations with a stub: {stubbed})", request.method, request.url.path());
        Reply::error(404, NO_STUB, message).template(None)
    }
}

/// One operation's stub, being set up: what it matches, what it answers.
/// Nothing is served until [`Stub::mount`].
#[must_use = "a stub serves nothing until `.mount().await`"]
pub struct Stub<'a, O: Operation> {
    server: &'a wiremock::MockServer,
    stubbed: &'a Mutex<Vec<&'static str>>,
    expected: Option<Expected>,
    replies: Vec<Reply>,
    delay: Option<Duration>,
    operation: PhantomData<fn() -> O>,
}

impl<'a, O: Operation> Stub<'a, O> {
    /// Matches only requests like the one this builder sends: the same
    /// path parameters, the query parameters it sets (others may be there
    /// too), its headers, and an equal body when it sets one (JSON compared
    /// as values, forms as their pairs in any order, other bodies byte for
    /// byte; multipart bodies are not compared). Such a stub is tried before
    /// the stubs that match any request of the operation.
    ///
    /// # Panics
    /// When the builder cannot build its request (a path parameter that
    /// cannot go on the wire): the test's own mistake.
    pub fn matching(mut self, request: O) -> Self {
        let request = request
            .build_request()
            .unwrap_or_else(|error| panic!("the request to match cannot be built: {error}"));
        self.expected = Some(Expected::of(&request));
        self
    }

    /// Answers with the response that makes `send` return `output`.
    /// Several answers are served in turn, the last one from then on
    /// (202 then 200).
    pub fn respond(self, output: O::Output) -> Self {
        let reply = O::reply(&output);
        self.reply(reply)
    }

    /// Answers with an API error: `status`, and a body with this `code`
    /// (the crate's error-code enum, or text) and `message`.
    pub fn respond_error(self, status: u16, code: impl std::fmt::Display, message: impl Into<String>) -> Self {
        self.reply(Reply::error(status, code, message))
    }

    /// Answers with any status and body, for what the API should not send
    /// (a body that does not decode, an HTML error page).
    pub fn respond_raw(self, status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.reply(Reply::raw(status, content_type, body))
    }

    /// Answers with a [`Reply`].
    pub fn reply(mut self, reply: Reply) -> Self {
        self.replies.push(reply);
        self
    }

    /// Waits this long before each answer (to exercise timeouts).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Starts serving. The stub stays for the server's life; the returned
    /// handle tells what it received.
    ///
    /// # Panics
    /// When no answer was given (`respond`, `respond_error`...).
    pub async fn mount(self) -> Mounted<'a, O> {
        assert!(!self.replies.is_empty(), "a stub of {} needs an answer: call .respond(..) first", O::NAME);
        let matcher = Arc::new(Matcher {
            method: O::METHOD,
            template: O::PATH.split('/').map(str::to_owned).collect(),
            expected: self.expected,
        });
        // a narrowed stub wins over one that takes every request (wiremock's
        // default priority is 5; lower goes first)
        let priority = if matcher.expected.is_some() { 4 } else { 5 };
        let responder = Replies { replies: self.replies, delay: self.delay, served: AtomicUsize::new(0) };
        wiremock::Mock::given(SharedMatcher(matcher.clone()))
            .respond_with(responder)
            .with_priority(priority)
            .named(O::NAME)
            .mount(self.server)
            .await;
        if let Ok(mut stubbed) = self.stubbed.lock() {
            if !stubbed.contains(&O::NAME) {
                stubbed.push(O::NAME);
            }
        }
        Mounted { server: self.server, matcher, operation: PhantomData }
    }
}

/// A mounted stub: what it received.
pub struct Mounted<'a, O: Operation> {
    server: &'a wiremock::MockServer,
    matcher: Arc<Matcher>,
    operation: PhantomData<fn() -> O>,
}

impl<O: Operation> Mounted<'_, O> {
    /// The requests this stub matched, in order (whether or not another
    /// stub answered them).
    pub async fn requests(&self) -> Vec<wiremock::Request> {
        let received = self.server.received_requests().await.unwrap_or_default();
        received.into_iter().filter(|request| self.matcher.matches(request)).collect()
    }

    /// How many requests this stub matched.
    pub async fn calls(&self) -> usize {
        self.requests().await.len()
    }

    /// The JSON bodies of the requests it matched, decoded as the
    /// operation's body type: what the application sent. A body that is
    /// not JSON (form-encoded, multipart) is an error that says so.
    pub async fn bodies(&self) -> Result<Vec<O::Body>, Error> {
        self.requests()
            .await
            .iter()
            .map(|request| {
                let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
                if !content_type.starts_with("application/json") {
                    let message = format!("{}: the request body is `{content_type}`, not JSON", O::NAME);
                    return Err(Error::invalid_request(message));
                }
                let response = crate::Response::new(0, Default::default(), request.body.clone().into());
                response.json::<O::Body>()
            })
            .collect()
    }
}

/// Serves the replies in turn, the last one from then on.
struct Replies {
    replies: Vec<Reply>,
    delay: Option<Duration>,
    served: AtomicUsize,
}

impl wiremock::Respond for Replies {
    fn respond(&self, _: &wiremock::Request) -> wiremock::ResponseTemplate {
        let turn = self.served.fetch_add(1, Ordering::SeqCst).min(self.replies.len() - 1);
        self.replies[turn].template(self.delay)
    }
}

/// Matches the requests of one operation: its method and path template,
/// and what [`Stub::matching`] gave.
struct Matcher {
    method: Method,
    /// The template's segments, `{name}` for a parameter.
    template: Vec<String>,
    expected: Option<Expected>,
}

impl Matcher {
    fn matches(&self, request: &wiremock::Request) -> bool {
        if request.method != self.method {
            return false;
        }
        let path = request.url.path();
        let segments: Vec<&str> = path.split('/').collect();
        let template_fits = segments.len() == self.template.len()
            && segments.iter().zip(&self.template).all(|(segment, template)| segment_fits(segment, template));
        template_fits && self.expected.as_ref().is_none_or(|expected| expected.matches(request))
    }
}

/// Whether a path segment fits a segment of the template: each `{name}`
/// stands for one or more characters, with the text around it as written
/// (`{id}`, `{id}.pdf`, `v{major}.{minor}`).
fn segment_fits(segment: &str, template: &str) -> bool {
    let mut pieces = template.split('{');
    let Some(mut rest) = segment.strip_prefix(pieces.next().unwrap_or_default()) else {
        return false;
    };
    // the literal text after each parameter
    let after: Vec<&str> = pieces.map(|piece| piece.split_once('}').map_or(piece, |(_, text)| text)).collect();
    let Some((last, middle)) = after.split_last() else {
        return rest.is_empty();
    };
    for text in middle {
        // the parameter takes at least one character, up to the next text
        let Some(first) = rest.chars().next().map(char::len_utf8) else {
            return false;
        };
        let Some(at) = rest[first..].find(text) else {
            return false;
        };
        rest = &rest[first + at + text.len()..];
    }
    rest.len() > last.len() && rest.ends_with(last)
}

/// A matcher shared by the mounted mock and the handle that reads what it
/// received.
struct SharedMatcher(Arc<Matcher>);

impl wiremock::Match for SharedMatcher {
    fn matches(&self, request: &wiremock::Request) -> bool {
        self.0.matches(request)
    }
}

/// What a request built by the client looks like on the wire.
struct Expected {
    path: String,
    query: Vec<String>,
    headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    body: ExpectedBody,
}

enum ExpectedBody {
    Any,
    Json(serde_json::Value),
    Form(Vec<(String, String)>),
    Bytes(Vec<u8>),
}

impl Expected {
    fn of(request: &Request) -> Expected {
        // parsed as the client parses it, so both sides are normalised alike
        let url = Url::parse(&format!("http://mock{}?{}", request.path, request.query_string()))
            .expect("a request the builder made has a valid URL");
        let body = match &request.body {
            // no body set (an optional body left out) matches any body, as
            // query parameters left out match any
            Body::Empty | Body::Multipart(_) => ExpectedBody::Any,
            Body::Bytes { content_type, bytes } if content_type.starts_with("application/json") => {
                serde_json::from_slice(bytes).map_or_else(|_| ExpectedBody::Bytes(bytes.to_vec()), ExpectedBody::Json)
            }
            Body::Bytes { content_type, bytes } if content_type.starts_with("application/x-www-form-urlencoded") => {
                ExpectedBody::Form(form_pairs(bytes))
            }
            Body::Bytes { bytes, .. } => ExpectedBody::Bytes(bytes.to_vec()),
        };
        Expected {
            path: url.path().to_owned(),
            query: query_pairs(&url),
            headers: request.headers.clone(),
            body,
        }
    }

    fn matches(&self, request: &wiremock::Request) -> bool {
        let query = query_pairs(&request.url);
        request.url.path() == self.path
            && self.query.iter().all(|pair| query.contains(pair))
            && self.headers.iter().all(|(name, value)| request.headers.get_all(name).iter().any(|v| v == value))
            && match &self.body {
                ExpectedBody::Any => true,
                ExpectedBody::Json(value) => {
                    serde_json::from_slice::<serde_json::Value>(&request.body).is_ok_and(|body| &body == value)
                }
                ExpectedBody::Form(pairs) => &form_pairs(&request.body) == pairs,
                ExpectedBody::Bytes(bytes) => &request.body == bytes,
            }
    }
}

/// The query's `name=value` pairs as sent (still encoded).
fn query_pairs(url: &Url) -> Vec<String> {
    url.query().unwrap_or("").split('&').filter(|pair| !pair.is_empty()).map(str::to_owned).collect()
}

/// A form body's pairs, decoded and sorted.
fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).unwrap_or_default();
    pairs.sort();
    pairs
}

#[cfg(test)]
mod tests {
    use super::segment_fits;
    use proptest::prelude::*;

    /// Literal text of a path segment: no braces, no slash.
    fn text() -> impl Strategy<Value = String> {
        "[a-z._-]{0,4}"
    }

    /// A segment made of the template's texts around any non-empty
    /// values fits; with a value missing, or a text changed, it does not.
    #[test]
    fn a_segment_fits_its_template_exactly() {
        crate::tests::property(
            "a_segment_fits_its_template_exactly",
            5_000,
            (proptest::collection::vec(text(), 1..4), proptest::collection::vec("[A-Z0-9%~]{1,6}", 3), any::<proptest::sample::Index>()),
            |(texts, values, cut)| {
                // two parameters side by side can be read several ways: a text
                // between them
                let inner = texts.len().saturating_sub(1);
                let texts: Vec<String> =
                    texts.iter().enumerate().map(|(i, t)| if i > 0 && i < inner && t.is_empty() { "-".into() } else { t.clone() }).collect();
                let template: String = texts.iter().enumerate().map(|(i, t)| if i == 0 { t.clone() } else { format!("{{p{i}}}{t}") }).collect();
                let filled = |value: &dyn Fn(usize) -> String| -> String {
                    texts.iter().enumerate().map(|(i, t)| if i == 0 { t.clone() } else { format!("{}{t}", value(i)) }).collect()
                };
                // values of other characters than the texts': one way to read each
                prop_assert!(segment_fits(&filled(&|i| values[i - 1].clone()), &template), "{template}");
                if texts.len() > 1 {
                    let emptied = cut.index(texts.len() - 1) + 1;
                    let segment = filled(&|i| if i == emptied { String::new() } else { values[i - 1].clone() });
                    prop_assert!(!segment_fits(&segment, &template), "{segment} fits {template} with parameter {emptied} empty");
                }
                if texts.last().is_some_and(|last| !last.is_empty()) {
                    let mut changed = filled(&|i| values[i - 1].clone());
                    changed.pop();
                    changed.push('#');
                    prop_assert!(!segment_fits(&changed, &template), "{changed} fits {template}");
                }
                Ok(())
            },
        );
    }
    

    #[test]
    fn plain_segments_and_parameters() {
        assert!(segment_fits("accounts", "accounts"));
        assert!(!segment_fits("account", "accounts"));
        assert!(!segment_fits("accountsx", "accounts"));
        assert!(segment_fits("42", "{id}"));
        assert!(!segment_fits("", "{id}"));
        assert!(segment_fits("42.pdf", "{id}.pdf"));
        assert!(!segment_fits(".pdf", "{id}.pdf"));
        assert!(!segment_fits("42.txt", "{id}.pdf"));
        assert!(segment_fits("v1.2", "v{major}.{minor}"));
        assert!(!segment_fits("v1.", "v{major}.{minor}"));
    }
}
