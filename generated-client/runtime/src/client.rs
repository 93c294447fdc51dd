//! The HTTP client: configuration, and sending a [`Request`] with retries.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, COOKIE, USER_AGENT};
use reqwest::Url;

use crate::request::Body;
use crate::retry::{is_retryable_error, is_retryable_status};
use serde::de::DeserializeOwned;

use crate::{ApiError, Attempts, Error, FromResponse, Page, Request, Response, RetryPolicy, Secret};

/// Used when neither the client nor the request sets a timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

const DEFAULT_USER_AGENT: &str = concat!("client-runtime/", env!("CARGO_PKG_VERSION"));

/// Sends [`Request`]s to one API.
///
/// Cloning is cheap (the configuration is shared behind an `Arc`). `Debug`
/// never shows the bearer token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    http: reqwest_middleware::ClientWithMiddleware,
    base_url: String,
    token: Option<Secret>,
    /// The application's timeout, when it set one; else an operation's
    /// default (`x-timeout`) or [`DEFAULT_TIMEOUT`].
    timeout: Option<Duration>,
    retry: RetryPolicy,
    /// The most time a call may take, its retries included.
    deadline: Option<Duration>,
    user_agent: HeaderValue,
}

impl Client {
    /// A client with default settings for `base_url`, e.g.
    /// `https://example.biapi.pro/2.0`.
    pub fn new(base_url: impl Into<String>) -> Result<Client, Error> {
        Client::builder(base_url).build()
    }

    /// A builder to configure a client for `base_url`.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            token: None,
            timeout: None,
            retry: RetryPolicy::none(),
            deadline: None,
            http: None,
            user_agent: None,
        }
    }

    /// The base URL, without trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A copy of this client that sends another bearer token (for instance a
    /// user's token after an admin token created the user).
    pub fn with_bearer_token(&self, token: impl Into<Secret>) -> Client {
        let mut inner = (*self.inner).clone();
        inner.token = Some(token.into());
        Client {
            inner: Arc::new(inner),
        }
    }

    /// Sends `request` and reads the whole response.
    ///
    /// Returns the response for a 2xx status and [`Error::Api`] for any other.
    /// Idempotent requests are retried per the client's [`RetryPolicy`];
    /// `POST` and `PATCH` are sent at most once.
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        request.check()?;
        let url = self.url(&request).map_err(|error| request.named(error))?;
        let headers = self.headers(&request).map_err(|error| request.named(error))?;
        let retries = self.inner.retry.retries_for(&request.method);
        let mut attempt = 0;
        let call_started = std::time::Instant::now();
        loop {
            // each attempt's timeout, within what the deadline leaves
            let mut timeout = self.attempt_timeout(&request);
            if let Some(deadline) = self.inner.deadline {
                timeout = timeout.min(deadline.saturating_sub(call_started.elapsed()));
            }
            let started = std::time::Instant::now();
            let outcome = self.attempt(&request, &url, &headers, timeout).await;
            trace_attempt(&request, attempt, &outcome, started.elapsed());
            let attempts = Attempts { count: attempt + 1, elapsed: call_started.elapsed() };
            let retry_after = match &outcome {
                Err(Attempt::Failed(error)) if is_retryable_error(error) => None,
                Err(Attempt::Status(api)) if is_retryable_status(api.status) => api.retry_after,
                _ => return outcome.map_err(|failure| failure.into_error(&request, attempts)),
            };
            let delay = self.inner.retry.delay(attempt, retry_after);
            let past_deadline = self.inner.deadline.is_some_and(|deadline| call_started.elapsed() + delay >= deadline);
            if attempt >= retries || past_deadline {
                if attempt < retries {
                    trace_cut_short(&request, attempt, delay);
                }
                return outcome.map_err(|failure| failure.into_error(&request, attempts));
            }
            trace_retry(&request, attempt, delay);
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// Sends the request that `build` makes and decodes a JSON body: what a
    /// generated `send` returns.
    ///
    /// `build` runs when the future is first polled; if it fails, that error
    /// is the future's output and nothing is sent. The future owns what it
    /// needs (`'static`). The building and the decoding are instantiated
    /// only where the future is polled, so a generated crate compiles none of
    /// that code for the operations its users do not call.
    pub fn send_json<T, F>(&self, build: F) -> impl ResponseFuture<T>
    where
        T: DeserializeOwned + Send + 'static,
        F: FnOnce() -> Result<Request, Error> + Send + Unpin + 'static,
    {
        Sending::new(self, build, Json::<T>(PhantomData))
    }

    /// Like [`Client::send_json`] for one page of a list, decoded item by
    /// item ([`Response::json_page`]): what a generated `send_items`
    /// returns, and what its `into_stream` pages with. `split` takes the
    /// items and the total out of the list type `P`, `items_field` names
    /// the field holding the items, `offset` is the page's offset.
    pub fn send_page<P, T, F>(
        &self,
        build: F,
        items_field: &'static str,
        offset: i64,
        split: fn(P) -> (Vec<T>, Option<i64>),
    ) -> impl ResponseFuture<Page<T>>
    where
        P: DeserializeOwned + 'static,
        T: DeserializeOwned + Send + 'static,
        F: FnOnce() -> Result<Request, Error> + Send + Unpin + 'static,
    {
        Sending::new(self, build, PageDecode { items_field, offset, split })
    }

    /// Like [`Client::send_json`], for outputs read another way: nothing
    /// (`()`), text, bytes, or a response enum per status ([`FromResponse`]).
    pub fn send<T, F>(&self, build: F) -> impl ResponseFuture<T>
    where
        T: FromResponse,
        F: FnOnce() -> Result<Request, Error> + Send + Unpin + 'static,
    {
        Sending::new(self, build, Using::<T>(PhantomData))
    }

    /// The timeout of one attempt: the request's own if it sets one, else
    /// the client's if the application set one (a limit it sets is a
    /// limit), else the operation's default (an operation the API says can
    /// take long, `x-timeout` in the spec), else [`DEFAULT_TIMEOUT`].
    fn attempt_timeout(&self, request: &Request) -> Duration {
        request.timeout.or(self.inner.timeout).or(request.default_timeout).unwrap_or(DEFAULT_TIMEOUT)
    }

    /// One attempt: send, read the whole body, sort by status.
    async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        timeout: Duration,
    ) -> Result<Response, Attempt> {
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url.clone())
            .headers(headers.clone())
            .timeout(timeout);
        builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes { bytes, .. } => builder.body(bytes.clone()),
            // Rebuilt for every attempt: a reqwest form is consumed by sending.
            Body::Multipart(form) => builder.multipart(form.to_form().map_err(Attempt::Invalid)?),
        };
        let response = builder.send().await.map_err(|error| match error {
            reqwest_middleware::Error::Reqwest(error) => Attempt::Failed(error),
            reqwest_middleware::Error::Middleware(error) => Attempt::Middleware(error.into()),
        })?;
        let status = response.status().as_u16();
        let response_headers = response.headers().clone();
        // reqwest's timeout also covers reading the body.
        let body = response.bytes().await.map_err(Attempt::Failed)?;
        if (200..300).contains(&status) {
            Ok(Response::new(status, response_headers, body).with_operation(request.operation))
        } else {
            let api = ApiError::from_response(status, &response_headers, &body);
            Err(Attempt::Status(Box::new(api)))
        }
    }

    /// Base URL + path + query. The base is a fixed prefix, so nothing in the
    /// request can change the host.
    fn url(&self, request: &Request) -> Result<Url, Error> {
        let mut text = format!("{}{}", self.inner.base_url, request.path);
        let query = request.query_string();
        if !query.is_empty() {
            text.push('?');
            text.push_str(&query);
        }
        // The message leaves the URL out: its query may hold secrets.
        Url::parse(&text)
            .map_err(|error| Error::invalid_request(format!("the request URL is invalid: {error}")))
    }

    /// Client headers first, then the request's own, which replace them.
    fn headers(&self, request: &Request) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        if let (true, Some(token)) = (request.secured, &self.inner.token) {
            let mut value =
                HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                    Error::invalid_request("the bearer token is not a valid header value")
                })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        if let Body::Bytes { content_type, .. } = &request.body {
            let value = HeaderValue::from_str(content_type)
                .map_err(|_| Error::invalid_request("the content type is not a valid header value"))?;
            headers.insert(CONTENT_TYPE, value);
        }
        if let Some(cookies) = request.cookie_header() {
            let value = HeaderValue::from_str(&cookies)
                .map_err(|_| Error::invalid_request("the cookies are not a valid header value"))?;
            headers.insert(COOKIE, value);
        }
        let mut replaced = Vec::new();
        for (name, value) in &request.headers {
            if replaced.contains(name) {
                headers.append(name, value.clone());
            } else {
                headers.insert(name, value.clone());
                replaced.push(name.clone());
            }
        }
        Ok(headers)
    }
}

/// What a generated `send` returns: a future of the decoded response that
/// can cross threads (`Send`) and borrows nothing (`'static`). A trait so
/// that generated signatures read `impl ResponseFuture<Account>`.
pub trait ResponseFuture<T>: Future<Output = Result<T, Error>> + Send + 'static {}

impl<T, F> ResponseFuture<T> for F where F: Future<Output = Result<T, Error>> + Send + 'static {}

type BoxedResponse = Pin<Box<dyn Future<Output = Result<Response, Error>> + Send>>;

/// How a [`Sending`] future turns the response into its output.
trait Decode {
    type Output;
    fn decode(self, response: Response) -> Result<Self::Output, Error>;
}

/// A JSON body.
struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Decode for Json<T> {
    type Output = T;
    fn decode(self, response: Response) -> Result<T, Error> {
        response.json()
    }
}

/// Any [`FromResponse`] output.
struct Using<T>(PhantomData<fn() -> T>);

impl<T: FromResponse> Decode for Using<T> {
    type Output = T;
    fn decode(self, response: Response) -> Result<T, Error> {
        T::from_response(response)
    }
}

/// A list page, item by item.
struct PageDecode<P, T> {
    items_field: &'static str,
    offset: i64,
    split: fn(P) -> (Vec<T>, Option<i64>),
}

impl<P: DeserializeOwned, T: DeserializeOwned> Decode for PageDecode<P, T> {
    type Output = Page<T>;
    fn decode(self, response: Response) -> Result<Page<T>, Error> {
        response.json_page(self.items_field, self.offset, self.split)
    }
}

/// Builds the request on the first poll, sends it, decodes the response. A
/// named future rather than an `async` block: its `poll`, and with it the
/// building and decoding code, is only instantiated by code that awaits it.
struct Sending<F, D> {
    state: State<F>,
    /// Taken when the response is decoded.
    decode: Option<D>,
}

enum State<F> {
    Building(Client, F),
    Sending(BoxedResponse),
    Done,
}

impl<F, D> Sending<F, D> {
    fn new(client: &Client, build: F, decode: D) -> Sending<F, D> {
        Sending { state: State::Building(client.clone(), build), decode: Some(decode) }
    }
}

impl<F, D> Future for Sending<F, D>
where
    F: FnOnce() -> Result<Request, Error> + Unpin,
    D: Decode + Unpin,
{
    type Output = Result<D::Output, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Building(client, build) => match build() {
                    Ok(request) => {
                        let response = async move { client.execute(request).await };
                        this.state = State::Sending(Box::pin(response));
                    }
                    Err(error) => return Poll::Ready(Err(error)),
                },
                State::Sending(mut response) => {
                    return match response.as_mut().poll(cx) {
                        Poll::Pending => {
                            this.state = State::Sending(response);
                            Poll::Pending
                        }
                        Poll::Ready(response) => Poll::Ready(response.and_then(|response| match this.decode.take() {
                            Some(decode) => decode.decode(response).inspect_err(trace_decode_failure),
                            None => Err(Error::invalid_request("the request was polled after it completed")),
                        })),
                    };
                }
                State::Done => {
                    let error = Error::invalid_request("the request was polled after it completed");
                    return Poll::Ready(Err(error));
                }
            }
        }
    }
}

/// A `tracing` event per attempt (target `client_runtime`, level `debug`):
/// the operation (name, method, path template), the attempt, the status or
/// the kind of failure, the time it took. No URL, query, header or body:
/// nothing secret. Free when the application installs no subscriber.
fn trace_attempt(request: &Request, attempt: u32, outcome: &Result<Response, Attempt>, elapsed: std::time::Duration) {
    let operation = request.operation.unwrap_or("");
    let method = request.method.as_str();
    let elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
    match outcome {
        Ok(response) => {
            tracing::debug!(operation, method, attempt, status = response.status(), elapsed_ms, "response")
        }
        Err(Attempt::Status(api)) => {
            tracing::debug!(operation, method, attempt, status = api.status, elapsed_ms, "error response")
        }
        Err(Attempt::Failed(error)) => {
            let failure = if error.is_timeout() { "timeout" } else if error.is_connect() { "connect" } else { "transport" };
            tracing::debug!(operation, method, attempt, failure, elapsed_ms, "no response")
        }
        Err(Attempt::Middleware(_)) => {
            tracing::debug!(operation, method, attempt, failure = "middleware", elapsed_ms, "no response")
        }
        Err(Attempt::Invalid(_)) => {}
    }
}

/// A `tracing` event (target `client_runtime`, level `debug`) when a 2xx
/// response does not decode: the operation, the status, the JSON path of
/// the failing field. Never the body or the value.
fn trace_decode_failure(error: &Error) {
    if let Error::Decode { operation, status, path, .. } = error {
        tracing::debug!(operation = operation.unwrap_or(""), status, path = path.as_str(), "response does not decode");
    } else if let Error::UnexpectedStatus { operation, status, .. } = error {
        tracing::debug!(operation = operation.unwrap_or(""), status, "unexpected status");
    }
}

/// A `tracing` event (target `client_runtime`, level `debug`) before a
/// retry's wait: the operation, the attempt that failed, the wait.
fn trace_retry(request: &Request, attempt: u32, delay: Duration) {
    let operation = request.operation.unwrap_or("");
    let wait_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
    tracing::debug!(operation, method = request.method.as_str(), attempt, wait_ms, "retrying");
}

/// A `tracing` event when the deadline leaves no time for a retry the
/// policy allows.
fn trace_cut_short(request: &Request, attempt: u32, delay: Duration) {
    let operation = request.operation.unwrap_or("");
    let wait_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
    tracing::debug!(operation, method = request.method.as_str(), attempt, wait_ms, "no retry: the deadline is too near");
}

/// Why one attempt did not return a 2xx response.
enum Attempt {
    Failed(reqwest::Error),
    /// An error raised by a middleware of the application's client.
    Middleware(Box<dyn std::error::Error + Send + Sync>),
    Status(Box<ApiError>),
    Invalid(Error),
}

impl Attempt {
    fn into_error(self, request: &Request, attempts: Attempts) -> Error {
        match self {
            Attempt::Failed(error) => Error::from_reqwest(request.operation, &request.method, &request.path, attempts, error),
            Attempt::Middleware(source) => Error::Middleware {
                operation: request.operation,
                method: request.method.clone(),
                path: request.path.clone(),
                attempts,
                source,
            },
            Attempt::Status(mut api) => {
                api.operation = request.operation;
                api.attempts = attempts;
                Error::Api(api)
            }
            Attempt::Invalid(error) => request.named(error),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            // Secret's Debug prints `[redacted]`.
            .field("bearer_token", &self.inner.token)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// Configures a [`Client`]; see [`Client::builder`].
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: String,
    token: Option<Secret>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    deadline: Option<Duration>,
    http: Option<reqwest_middleware::ClientWithMiddleware>,
    user_agent: Option<String>,
}

impl ClientBuilder {
    /// Sends `Authorization: Bearer <token>` on secured requests.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> ClientBuilder {
        self.token = Some(token.into());
        self
    }

    /// The most time a call may take, its attempts and the waits between
    /// them included: no retry starts past it, and an attempt's timeout is
    /// cut to what is left of it. None by default.
    pub fn deadline(mut self, deadline: Duration) -> ClientBuilder {
        self.deadline = Some(deadline);
        self
    }

    /// The timeout of each attempt, from connecting to reading the last byte
    /// of the body, for every operation: once set here, it is the limit,
    /// also for the operations the API says can take long (whose spec gives
    /// a longer default, `x-timeout`, used only when no timeout is set
    /// here; their docs say so). Unset, it is 30 s, or that default. A
    /// request's own `.timeout(..)` wins over both.
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.timeout = Some(timeout);
        self
    }

    /// Retries for idempotent requests (default: none).
    pub fn retry(mut self, retry: RetryPolicy) -> ClientBuilder {
        self.retry = retry;
        self
    }

    /// Uses this reqwest client (proxies, custom TLS roots, ...). The default
    /// client uses rustls and does not follow redirects.
    pub fn http_client(mut self, http: reqwest::Client) -> ClientBuilder {
        self.http = Some(http.into());
        self
    }

    /// Sends every request through this `reqwest_middleware` client: your
    /// own middleware (logging, metrics, headers, caching...) runs on each
    /// attempt, after the request is built and signed, before it is sent.
    /// Leave retries to [`ClientBuilder::retry`]: it knows which requests
    /// may be repeated (a middleware that retries a transfer would not).
    /// An error a middleware returns is [`Error::Middleware`].
    pub fn middleware_client(mut self, http: reqwest_middleware::ClientWithMiddleware) -> ClientBuilder {
        self.http = Some(http);
        self
    }

    /// The `User-Agent` header (default `client-runtime/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> ClientBuilder {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = normalize_base_url(&self.base_url)?;
        let user_agent = match &self.user_agent {
            Some(text) => HeaderValue::from_str(text).map_err(|_| {
                Error::invalid_request("the user agent is not a valid header value")
            })?,
            None => HeaderValue::from_static(DEFAULT_USER_AGENT),
        };
        let http = match self.http {
            Some(http) => http,
            // No redirects: a token or a request body must only ever go to
            // the configured API, and a 3xx is better reported than followed.
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| {
                    Error::invalid_request(format!("cannot build the HTTP client: {error}"))
                })?
                .into(),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                token: self.token,
                timeout: self.timeout,
                retry: self.retry,
                deadline: self.deadline,
                user_agent,
            }),
        })
    }
}

/// Accepts `http(s)://host[:port][/path]` and returns it without trailing
/// slash. Messages never echo the URL, which might carry credentials.
fn normalize_base_url(text: &str) -> Result<String, Error> {
    let invalid = |message: &str| Error::InvalidBaseUrl {
        message: message.to_owned(),
    };
    let url = Url::parse(text.trim()).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host_str().unwrap_or_default().is_empty() {
        return Err(invalid("the URL has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("the URL must not contain credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("the URL must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_checked_and_trimmed() {
        let client = Client::new("https://demo.biapi.pro/2.0/").unwrap();
        assert_eq!(client.base_url(), "https://demo.biapi.pro/2.0");
        assert_eq!(
            Client::new("http://127.0.0.1:8080").unwrap().base_url(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "",
            "demo.biapi.pro/2.0",
            "ftp://demo.biapi.pro",
            "file:///etc/passwd",
            "https://",
            "https://user:pw@demo.biapi.pro",
            "https://user@demo.biapi.pro",
            "https://:pw@demo.biapi.pro",
            "https://demo.biapi.pro/2.0?token=x",
            "https://demo.biapi.pro/2.0#x",
        ] {
            let error = Client::new(bad).unwrap_err();
            assert!(
                matches!(error, Error::InvalidBaseUrl { .. }),
                "{bad}: {error:?}"
            );
            assert!(!error.to_string().contains("pw@"), "{error}");
        }
    }

    #[test]
    fn debug_redacts_the_token() {
        let client = Client::builder("https://demo.biapi.pro/2.0")
            .bearer_token("tok_live_abc")
            .build()
            .unwrap();
        let other = client.with_bearer_token(String::from("tok_user_def"));
        for text in [format!("{client:?}"), format!("{other:?}")] {
            assert!(
                !text.contains("tok_live_abc") && !text.contains("tok_user_def"),
                "{text}"
            );
            assert!(text.contains("[redacted]"), "{text}");
        }
        let builder = Client::builder("https://x.test").bearer_token("tok_live_abc");
        assert!(!format!("{builder:?}").contains("tok_live_abc"));
    }

    #[test]
    fn url_keeps_the_host_fixed() {
        let client = Client::new("https://demo.biapi.pro/2.0").unwrap();
        let mut request = Request::new(
            reqwest::Method::GET,
            format!(
                "/users/{}",
                crate::path_segment("id", "..%2F@evil.test").unwrap()
            ),
        );
        request.query("q", "a b");
        let url = client.url(&request).unwrap();
        assert_eq!(url.host_str(), Some("demo.biapi.pro"));
        assert_eq!(url.path(), "/2.0/users/..%252F%40evil.test");
        assert_eq!(url.query(), Some("q=a%20b"));
    }

    #[test]
    fn request_headers_replace_client_headers() {
        let client = Client::builder("https://x.test")
            .bearer_token("t")
            .build()
            .unwrap();
        let mut request = Request::new(reqwest::Method::GET, "/".to_owned());
        request
            .header("Authorization", "Basic abc")
            .header("X-A", 1)
            .header("X-A", 2);
        let headers = client.headers(&request).unwrap();
        assert_eq!(headers.get_all(AUTHORIZATION).iter().count(), 1);
        assert_eq!(headers[AUTHORIZATION], "Basic abc");
        assert_eq!(headers.get_all("x-a").iter().count(), 2);

        let mut public = Request::new(reqwest::Method::GET, "/".to_owned());
        public.secured(false);
        assert!(client
            .headers(&public)
            .unwrap()
            .get(AUTHORIZATION)
            .is_none());
        let bad = client.with_bearer_token("bad\ntoken");
        let error = bad
            .headers(&Request::new(reqwest::Method::GET, "/".to_owned()))
            .unwrap_err();
        assert!(!error.to_string().contains("token\n") && !format!("{error:?}").contains("bad\\n"));
    }
}
