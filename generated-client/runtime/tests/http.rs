//! The client against real HTTP servers on 127.0.0.1: wiremock for
//! well-behaved ones, a raw TCP socket for broken ones.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use client_runtime::{
    paginate, path_segment, Client, Error, FilePart, Method, Multipart, Request, RetryPolicy,
};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok_live_5ecret";
const PASSWORD: &str = "hunter2-5ecret";

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder(format!("{}/2.0/", server.uri()))
        .bearer_token(TOKEN)
        .retry(fast_retries())
        .build()
        .unwrap()
}

fn get(path: &str) -> Request {
    Request::new(Method::GET, path.to_owned())
}

/// Asserts no secret of these tests appears in an error's text.
fn assert_redacted(error: &Error) {
    let text = format!("{error} | {error:?}");
    assert!(!text.contains(TOKEN), "token leaked: {text}");
    assert!(!text.contains(PASSWORD), "password leaked: {text}");
}

/// A server that answers every connection with `reply`, then waits `linger`
/// and closes it. For what wiremock cannot do: garbage, truncation, hangs.
fn raw_server(reply: &'static [u8], linger: Duration) -> String {
    counting_raw_server(reply, linger).0
}

/// [`raw_server`], and the number of connections it accepted.
fn counting_raw_server(reply: &'static [u8], linger: Duration) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counted.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut buffer = [0; 4096];
                let _ = stream.read(&mut buffer);
                let _ = stream.write_all(reply);
                let _ = stream.flush();
                std::thread::sleep(linger);
            });
        }
    });
    (format!("http://{address}"), connections)
}

#[derive(Debug, Deserialize, PartialEq)]
struct Account {
    id: i64,
    balance: client_runtime::Amount,
}

#[tokio::test]
async fn sends_url_token_and_headers_and_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/2.0/users/me/accounts/a%2Fb"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"accounts": [{"id": 1, "balance": -16.22}]}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;

    let mut request = get(&format!(
        "/users/me/accounts/{}",
        path_segment("id", "a/b").unwrap()
    ));
    request
        .query("expand", "transactions[category],connection")
        .query_csv("types", ["checking", "card,deferred"])
        .query("password", PASSWORD)
        .header("X-Request-Id", 42)
        .cookie("session", "abc");
    let response = client(&server).execute(request).await.unwrap();

    #[derive(Deserialize)]
    struct Accounts {
        accounts: Vec<Account>,
    }
    let accounts: Accounts = response.json().unwrap();
    assert_eq!(accounts.accounts[0].balance.to_string(), "-16.22");

    let received = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        received.url.query(),
        Some("expand=transactions[category],connection&types=checking,card%2Cdeferred&password=hunter2-5ecret")
    );
    assert_eq!(
        received.headers["authorization"],
        format!("Bearer {TOKEN}").as_str()
    );
    assert_eq!(received.headers["x-request-id"], "42");
    assert_eq!(received.headers["cookie"], "session=abc");
    assert!(received.headers["user-agent"]
        .to_str()
        .unwrap()
        .starts_with("client-runtime/"));
}

#[tokio::test]
async fn unsecured_request_sends_no_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let mut request = Request::new(Method::POST, "/auth/init".to_owned());
    request.secured(false);
    let response = client(&server).execute(request).await.unwrap();
    assert_eq!(response.status(), 204);
    response.json::<()>().unwrap();
    let received = &server.received_requests().await.unwrap()[0];
    assert!(received.headers.get("authorization").is_none());
}

#[tokio::test]
async fn json_and_form_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client(&server);

    let mut json_request = Request::new(Method::POST, "/users/me/transfers".to_owned());
    json_request.json_body(&json!({"amount": 12.5})).unwrap();
    client.execute(json_request).await.unwrap();

    let mut form_request = Request::new(Method::POST, "/auth/token/access".to_owned());
    form_request
        .form_body(&[("client_secret", PASSWORD), ("code", "x y")])
        .unwrap();
    client.execute(form_request).await.unwrap();

    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].headers["content-type"], "application/json");
    assert_eq!(received[0].body, br#"{"amount":12.5}"#);
    assert_eq!(
        received[1].headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(received[1].body, b"client_secret=hunter2-5ecret&code=x+y");
}

#[tokio::test]
async fn get_is_retried_after_503_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[1,2]", "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server).execute(get("/banks")).await.unwrap();
    assert_eq!(response.json::<Vec<u8>>().unwrap(), vec![1, 2]);
    server.verify().await;
}

#[tokio::test]
async fn post_is_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = Request::new(Method::POST, "/users/me/transfers".to_owned());
    request.json_body(&json!({"amount": 100})).unwrap();
    let error = client(&server).execute(request).await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    server.verify().await;
}

#[tokio::test]
async fn retries_give_up_with_the_last_error_and_cap_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "3600")
                .set_body_raw(r#"{"code": "tooManyRequests"}"#, "application/json"),
        )
        .expect(4)
        .mount(&server)
        .await;
    let started = Instant::now();
    let error = client(&server)
        .execute(Request::new(Method::DELETE, "/users/me".to_owned()))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "Retry-After was not capped"
    );
    let api = error.api().unwrap();
    assert_eq!(api.code.as_deref(), Some("tooManyRequests"));
    assert_eq!(api.retry_after, Some(Duration::from_secs(3600)));
    // the accessors an application reads: the code, typed or not, and the
    // four attempts the last error came from
    assert_eq!(error.api_code(), Some("tooManyRequests"));
    assert_eq!(error.api_code_as::<String>().as_deref(), Some("tooManyRequests"));
    assert_eq!(error.attempts().map(|a| a.count), Some(4));
    assert!(!error.is_timeout());
    server.verify().await;
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400, 401, 403, 404, 409, 422] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status))
            .expect(1)
            .mount(&server)
            .await;
        let error = client(&server).execute(get("/x")).await.unwrap_err();
        assert_eq!(error.status(), Some(status));
        server.verify().await;
    }
}

/// Every method × every class of status × a transport failure, over the
/// wire: an idempotent request is sent again after 429, 502, 503, 504 or a
/// dropped connection (up to `max_retries`), anything else once; `POST` and
/// `PATCH` are always sent once, whatever happens.
#[tokio::test]
async fn retries_by_method_status_and_transport_failure() {
    let methods = [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::POST,
        Method::PATCH,
    ];
    let idempotent = |m: &Method| ![Method::POST, Method::PATCH].contains(m);
    let statuses = [200, 201, 204, 301, 304, 400, 401, 404, 409, 422, 429, 500, 501, 502, 503, 504, 599];
    let retried = |status: u16| [429, 502, 503, 504].contains(&status);
    let policy = RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
    };
    let (mut successes, mut api_errors, mut transport_errors) = (0, 0, 0);
    for m in &methods {
        for status in statuses {
            let server = MockServer::start().await;
            Mock::given(wiremock::matchers::any())
                .respond_with(ResponseTemplate::new(status))
                .mount(&server)
                .await;
            let client = Client::builder(server.uri()).retry(policy).build().unwrap();
            let mut request = Request::new(m.clone(), "/transfers".to_owned());
            if *m == Method::POST || *m == Method::PATCH {
                request.json_body(&json!({"amount": 10.5})).unwrap();
            }
            // the outcome: a response for a 2xx status, else an API error
            // carrying the status (the last one, after the retries)
            match client.execute(request).await {
                Ok(response) => {
                    assert!((200..300).contains(&status), "{m} answered {status}: a success");
                    assert_eq!(response.status(), status, "{m}");
                    successes += 1;
                }
                Err(Error::Api(api)) => {
                    assert!(!(200..300).contains(&status), "{m} answered {status}: an API error");
                    assert_eq!(api.status, status, "{m}");
                    api_errors += 1;
                }
                Err(error) => panic!("{m} answered {status}: {error:?}"),
            }
            let sent = server.received_requests().await.unwrap().len();
            let expected = if idempotent(m) && retried(status) { 3 } else { 1 };
            assert_eq!(sent, expected, "{m} answered {status}: sent {sent} times");
        }
        // a server that drops every connection
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = accepted.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(10) {
                counter.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        let client = Client::builder(format!("http://{address}")).retry(policy).build().unwrap();
        let error = client.execute(Request::new(m.clone(), "/transfers".to_owned())).await.unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{m}: {error:?}");
        let expected = if idempotent(m) { 3 } else { 1 };
        assert_eq!(accepted.load(Ordering::SeqCst), expected, "{m} after a dropped connection");
        // and nothing listening at all: only the idempotent ones try again
        // (the attempts are counted by a middleware, which runs on each)
        let (_held, refused) = refusing_address();
        let (attempts, chain) = counting_chain();
        let client = Client::builder(format!("http://{refused}")).retry(policy).middleware_client(chain).build().unwrap();
        let error = client.execute(Request::new(m.clone(), "/transfers".to_owned())).await.unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{m}: {error:?}");
        assert_eq!(attempts.load(Ordering::SeqCst), expected, "{m} against a refused connection");
        transport_errors += 2;
    }
    // each outcome counted where it was checked: 2xx statuses succeed,
    // the others are API errors, the two broken servers transport errors
    let ok_statuses = statuses.iter().filter(|s| (200..300).contains(*s)).count();
    assert_eq!(successes, methods.len() * ok_statuses);
    assert_eq!(api_errors, methods.len() * (statuses.len() - ok_statuses));
    assert_eq!(transport_errors, methods.len() * 2);
}

/// An address nothing listens on, held for as long as the returned socket
/// lives: a socket bound to the port but not listening, so no other test
/// can take the port meanwhile (a port bound, dropped, then reused is a
/// race) and a connection to it is refused.
fn refusing_address() -> (tokio::net::TcpSocket, std::net::SocketAddr) {
    // tokio's `net` is on wherever reqwest is (it connects with it)
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let address = socket.local_addr().unwrap();
    (socket, address)
}

/// A middleware chain that counts the attempts sent through it (a
/// middleware runs on every attempt, even one whose connection fails).
fn counting_chain() -> (Arc<AtomicUsize>, client_runtime::reqwest_middleware::ClientWithMiddleware) {
    use client_runtime::reqwest_middleware::{self, ClientBuilder as Chain, Middleware, Next};
    struct Count(Arc<AtomicUsize>);
    #[async_trait::async_trait]
    impl Middleware for Count {
        async fn handle(
            &self,
            request: reqwest::Request,
            extensions: &mut http::Extensions,
            next: Next<'_>,
        ) -> reqwest_middleware::Result<reqwest::Response> {
            self.0.fetch_add(1, Ordering::SeqCst);
            next.run(request, extensions).await
        }
    }
    let attempts = Arc::new(AtomicUsize::new(0));
    let chain = Chain::new(reqwest::Client::new()).with(Count(attempts.clone())).build();
    (attempts, chain)
}

#[tokio::test]
async fn multipart_is_rebuilt_for_each_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let mut form = Multipart::new();
    form.text("name", "statement");
    form.json("meta", &json!({"year": 2015})).unwrap();
    form.file(
        "file",
        FilePart::new(b"%PDF-1.4 data".to_vec())
            .file_name("s.pdf")
            .content_type("application/pdf"),
    );
    let mut request = Request::new(Method::PUT, "/users/me/documents/1".to_owned());
    request.multipart_body(form);
    client(&server).execute(request).await.unwrap();

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    for attempt in &received {
        let content_type = attempt.headers["content-type"].to_str().unwrap();
        assert!(content_type.starts_with("multipart/form-data; boundary="));
        let body = String::from_utf8_lossy(&attempt.body);
        for expected in [
            "name=\"name\"\r\n\r\nstatement",
            "Content-Type: application/json\r\n\r\n{\"year\":2015}",
            "filename=\"s.pdf\"",
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4 data",
        ] {
            assert!(body.contains(expected), "missing {expected:?} in {body}");
        }
    }
}

#[tokio::test]
async fn api_error_is_decoded_and_redacted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            r#"{"code": "authFailure", "message": "Wrong password", "description": "Bad login"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let mut request = get("/users/me");
    request.query("password", PASSWORD);
    let error = client(&server).execute(request).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "API error 403: authFailure: Wrong password"
    );
    assert_eq!(
        error.api().unwrap().description.as_deref(),
        Some("Bad login")
    );
    assert_redacted(&error);
}

#[tokio::test]
async fn redirects_are_reported_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("Location", "http://127.0.0.1:9/steal"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server).execute(get("/users/me")).await.unwrap_err();
    assert_eq!(error.status(), Some(302));
}

#[tokio::test]
async fn bad_json_gives_decode_error_with_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"[{"id": 1, "balance": 2}, {"id": 2, "balance": "much"}]"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let response = client(&server).execute(get("/accounts")).await.unwrap();
    let error = response.json::<Vec<Account>>().unwrap_err();
    assert!(
        matches!(&error, Error::Decode { status: 200, path, .. } if path == "[1].balance"),
        "{error:?}"
    );
    // a decode error of a response has its status; it was no API error
    assert_eq!(error.status(), Some(200));
    assert_eq!((error.api_code(), error.attempts()), (None, None));
}

#[tokio::test]
async fn slow_response_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .bearer_token(TOKEN)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let mut request = get("/slow");
    request.query("password", PASSWORD);
    let error = client.execute(request).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(error.is_timeout());
    assert_eq!(error.attempts().map(|a| a.count), Some(1));
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_redacted(&error);

    // A per-request timeout overrides a generous client default.
    let patient = Client::builder(server.uri())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let mut request = get("/slow");
    request.timeout(Some(Duration::from_millis(200)));
    let error = patient.execute(request).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn stalled_body_times_out() {
    let base = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\":",
        Duration::from_secs(5),
    );
    let client = Client::builder(base)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client.execute(get("/stall")).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn broken_servers_give_transport_errors() {
    let cases: [(&str, &'static [u8]); 4] = [
        ("closed", b""),
        ("garbage", b"HELLO \x00\xff\r\n\r\nnot http at all"),
        ("bad status line", b"HTTP/1.1 abc\r\n\r\n"),
        (
            "truncated",
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",
        ),
    ];
    for (name, reply) in cases {
        let base = raw_server(reply, Duration::ZERO);
        let client = Client::builder(base)
            .bearer_token(TOKEN)
            .retry(fast_retries())
            .build()
            .unwrap();
        let mut request = get("/broken");
        request.query("password", PASSWORD);
        let error = client.execute(request).await.unwrap_err();
        assert!(
            matches!(error, Error::Transport { .. }),
            "{name}: {error:?}"
        );
        assert_redacted(&error);
        let source = std::error::Error::source(&error).map(ToString::to_string);
        assert!(!source.unwrap_or_default().contains(PASSWORD), "{name}");
    }
}

/// A response cut short (the connection drops mid-body) is a transport
/// failure like a dropped connection: a `GET` is tried again, a `POST` never.
#[tokio::test]
async fn a_truncated_body_is_retried_for_get_only() {
    let truncated = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort";
    for (method, connections) in [(Method::GET, 4), (Method::POST, 1)] {
        let (base, accepted) = counting_raw_server(truncated, Duration::ZERO);
        let client = Client::builder(base).retry(fast_retries()).build().unwrap();
        let error = client.execute(Request::new(method.clone(), "/cut".into())).await.unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{method}: {error:?}");
        // the head came: a failure to read the rest, not to connect
        assert!(error.to_string().contains("could not read the response"), "{method}: {error}");
        assert_eq!(accepted.load(Ordering::SeqCst), connections, "{method}");
    }
}

#[tokio::test]
async fn refused_connection_is_retried_for_get() {
    let (_held, address) = refusing_address();
    let (attempts, chain) = counting_chain();
    let client = Client::builder(format!("http://{address}"))
        .retry(fast_retries())
        .middleware_client(chain)
        .build()
        .unwrap();
    let started = Instant::now();
    let mut request = get("/x");
    request.query("password", PASSWORD);
    let error = client.execute(request).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(error.to_string().contains("could not connect"), "{error}");
    assert_redacted(&error);
    // the first attempt and `max_retries` (3) more, each counted, and said
    // by the error; the cause is reqwest's, and no timeout
    assert_eq!(attempts.load(Ordering::SeqCst), 4, "attempts");
    assert_eq!(error.attempts().map(|a| a.count), Some(4));
    assert!(!error.is_timeout());
    assert!(std::error::Error::source(&error).is_some_and(|s| s.is::<client_runtime::reqwest::Error>()));
    // and between them three backoffs of 10, 20 and 40 ms (a lower bound:
    // the sleeps are there whatever the machine's load)
    assert!(started.elapsed() >= Duration::from_millis(70));
}

#[tokio::test]
async fn invalid_requests_fail_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let mut request = get("/x");
    request.header("X-Bad", "line\nbreak");
    let error = client(&server).execute(request).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }));
    server.verify().await;
}

#[tokio::test]
async fn pagination_against_a_server_is_lazy_and_stops_at_total() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/2.0/users/me/transactions"))
        .respond_with(|request: &wiremock::Request| {
            let query = |name: &str| {
                request
                    .url
                    .query_pairs()
                    .find(|(key, _)| key == name)
                    .and_then(|(_, value)| value.parse::<i64>().ok())
                    .unwrap_or(0)
            };
            let (offset, limit) = (query("offset"), query("limit"));
            let ids: Vec<i64> = (offset..(offset + limit).min(5)).collect();
            ResponseTemplate::new(200).set_body_json(json!({"transactions": ids, "total": 5}))
        })
        .mount(&server)
        .await;

    #[derive(Deserialize)]
    struct Page {
        transactions: Vec<i64>,
        total: Option<i64>,
    }
    let client = client(&server);
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    let stream = paginate(0, 2, move |offset, limit| {
        let client = client.clone();
        counter.fetch_add(1, Ordering::SeqCst);
        async move {
            let mut request = get("/users/me/transactions");
            request.query("offset", offset).query("limit", limit);
            client.execute(request).await?.json::<Page>()
        }
    }, |page| (page.transactions, page.total), |id: &i64| Some(*id));
    let mut stream = std::pin::pin!(stream);
    assert_eq!(stream.next().await.map(Result::unwrap), Some(0));
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    let rest: Vec<i64> = stream.map(Result::unwrap).collect().await;
    assert_eq!(rest, vec![1, 2, 3, 4]);
    // Pages at 0, 2 and 4; the total ends it with no fourth request.
    assert_eq!(fetches.load(Ordering::SeqCst), 3);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// A timeout the application sets on the client is the limit, also for an
/// operation with a longer default (`x-timeout`); that default applies
/// when the client sets none; a request's own timeout wins over all.
#[tokio::test]
async fn an_operations_default_timeout_and_a_requests_own() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(400)))
        .mount(&server)
        .await;
    let with_default = |timeout: Duration| {
        let mut request = get("/sync");
        request.default_timeout(timeout);
        request
    };
    let client = Client::builder(server.uri()).timeout(Duration::from_millis(100)).build().unwrap();
    let plain = client.execute(get("/sync")).await.unwrap_err();
    assert!(plain.is_timeout(), "{plain:?}");
    let long = client.execute(with_default(Duration::from_secs(10))).await.unwrap_err();
    assert!(long.is_timeout(), "the client's own timeout wins over a longer x-timeout: {long:?}");
    let mut own = with_default(Duration::from_millis(50));
    own.timeout(Some(Duration::from_secs(10)));
    client.execute(own).await.expect("the request's own timeout wins over both");
    // no timeout set on the client: the operation's default applies, both ways
    let unset = Client::builder(server.uri()).build().unwrap();
    unset.execute(with_default(Duration::from_secs(10))).await.expect("a longer default applies");
    let short = unset.execute(with_default(Duration::from_millis(100))).await.unwrap_err();
    assert!(short.is_timeout(), "a shorter default applies too: {short:?}");
}

/// A deadline bounds a call, its retries included: the retries that fit
/// are made, and no retry starts past it. Counted, not timed: two quick
/// 503s, then a server that does not answer; the deadline ends the third
/// attempt, and no fourth one starts (the policy alone would make eleven).
#[tokio::test]
async fn a_deadline_stops_the_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    let retry = RetryPolicy { max_retries: 10, initial_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(1) };
    // the client's own timeout is far longer than the deadline: only the
    // deadline can end the third attempt before the test's bound
    let client = Client::builder(server.uri())
        .retry(retry)
        .timeout(Duration::from_secs(30))
        .deadline(Duration::from_millis(1500))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.execute(get("/x")).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(20), "the deadline did not end the attempt");
    let attempts = server.received_requests().await.unwrap().len();
    assert_eq!(attempts, 3, "two quick 503s retried, then the attempt the deadline ended");
}

/// A `reqwest_middleware` chain runs on every attempt (here one that adds
/// a header and counts); retries stay the runtime's (two attempts for one
/// 503), and a middleware's own error is `Error::Middleware`, with its
/// source kept.
#[tokio::test]
async fn middleware_runs_on_every_attempt_and_its_errors_are_typed() {
    use client_runtime::reqwest_middleware::{self, ClientBuilder as Chain, Middleware, Next};

    struct Tag {
        calls: Arc<AtomicUsize>,
        fail: bool,
    }

    #[async_trait::async_trait]
    impl Middleware for Tag {
        async fn handle(
            &self,
            mut request: reqwest::Request,
            extensions: &mut http::Extensions,
            next: Next<'_>,
        ) -> reqwest_middleware::Result<reqwest::Response> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if self.fail {
                return Err(reqwest_middleware::Error::middleware(std::io::Error::other("quota exceeded")));
            }
            request.headers_mut().insert("x-app", "tagged".parse().unwrap());
            next.run(request, extensions).await
        }
    }

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::header("x-app", "tagged"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::header("x-app", "tagged"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[1]", "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let chain = Chain::new(reqwest::Client::new()).with(Tag { calls: calls.clone(), fail: false }).build();
    let client = Client::builder(server.uri()).retry(fast_retries()).middleware_client(chain).build().unwrap();
    let response = client.execute(get("/banks")).await.unwrap();
    assert_eq!(response.json::<Vec<u8>>().unwrap(), vec![1]);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    server.verify().await;

    let failing = Chain::new(reqwest::Client::new()).with(Tag { calls: calls.clone(), fail: true }).build();
    let client = Client::builder(server.uri()).middleware_client(failing).build().unwrap();
    let error = client.execute(get("/banks")).await.unwrap_err();
    assert!(matches!(&error, Error::Middleware { path, .. } if path == "/banks"), "{error:?}");
    assert_eq!(error.to_string(), "GET /banks: a middleware failed");
    let source = std::error::Error::source(&error).expect("the middleware's error");
    assert!(source.to_string().contains("quota exceeded"), "{source}");
}
