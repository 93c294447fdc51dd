//! Error statuses, malformed bodies, timeouts and broken connections: always
//! the right `Error` variant, never a panic.

use std::io::Write;
use std::time::Duration;

use client_runtime::Error;
use powens::models::{ConnectionRequest, UserId};
use powens::operations::connections::CreateConnectionResponse;
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{
    client_for, runtime, serve_json, serve_raw, single_request, write_response, RawServer,
};

const STATUSES: [u16; 5] = [400, 403, 404, 500, 503];

/// The docs' error body gives `Error::Api` with status, code and message.
#[tokio::test]
async fn error_statuses_with_the_docs_body() {
    for status in STATUSES {
        let body = json!({"code": "wrongpass", "message": "Wrong password"});
        let server = serve_json(status, body.clone()).await;
        let error = client_for(&server.uri())
            .list_accounts(UserId::Me)
            .send()
            .await
            .expect_err("an error status");
        let Error::Api(api) = &error else {
            panic!("{status}: expected Error::Api, got {error:?}");
        };
        assert_eq!(api.status, status);
        assert_eq!(api.code.as_deref(), Some("wrongpass"));
        assert_eq!(api.message.as_deref(), Some("Wrong password"));
        assert_eq!(api.description, None);
        assert_eq!(api.body.as_ref(), Some(&body));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&api.raw).unwrap(),
            body
        );
        assert_eq!(error.status(), Some(status));
        // which request failed, and its code as a program reads it
        assert_eq!(
            error.to_string(),
            format!("listAccounts (GET /users/{{id_user}}/accounts): API error {status}: wrongpass: Wrong password")
        );
        assert_eq!(error.api_code(), Some("wrongpass"));
        assert_eq!(error.api_code_as(), Some(powens::models::ApiErrorCode::Wrongpass));
        // a code the spec does not list is kept, not lost
        let unknown = powens::Error::Api(Box::new(powens::ApiError { code: Some("newCode".into()), ..(**api).clone() }));
        assert_eq!(
            unknown.api_code_as::<powens::models::ApiErrorCode>().map(|code| code.to_string()),
            Some("newCode".to_owned())
        );
        assert_eq!(error.operation(), Some("listAccounts (GET /users/{id_user}/accounts)"));
        // One request: no retries without a retry policy.
        single_request(&server).await;
    }
}

/// `description` is decoded too when the API sends it.
#[tokio::test]
async fn error_description_is_decoded() {
    let server = serve_json(
        400,
        json!({"code": "websiteUnavailable", "message": "Down", "description": "The bank is down"}),
    )
    .await;
    let error = client_for(&server.uri())
        .create_connection(UserId::Me, ConnectionRequest::new())
        .send()
        .await
        .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.code.as_deref(), Some("websiteUnavailable"));
    assert_eq!(api.description.as_deref(), Some("The bank is down"));
}

/// An empty, HTML or truncated error body is still `Error::Api`, with no
/// code and the raw body kept.
#[tokio::test]
async fn error_statuses_with_empty_html_or_truncated_bodies() {
    let bodies: [(&[u8], &str); 3] = [
        (b"", "application/json"),
        (
            b"<html><body><h1>502 Bad Gateway</h1></body></html>",
            "text/html",
        ),
        (br#"{"code": "wrongpass", "mess"#, "application/json"),
    ];
    for status in STATUSES {
        for (body, content_type) in bodies {
            let server = serve_raw(status, body, content_type).await;
            let error = client_for(&server.uri())
                .get_connection(UserId::Me, 1)
                .send()
                .await
                .expect_err("an error status");
            let text = String::from_utf8_lossy(body);
            let Error::Api(api) = &error else {
                panic!("{status} {text:?}: expected Error::Api, got {error:?}");
            };
            assert_eq!(api.status, status);
            assert_eq!(api.code, None, "{status} {text:?}");
            assert_eq!(api.message, None);
            assert_eq!(api.body, None);
            assert_eq!(api.raw, text, "the raw body is kept");
            let described = match text.len() {
                0 => "an empty body".to_owned(),
                n => format!("a {content_type} body of {n} bytes, not JSON"),
            };
            assert_eq!(error.to_string(), format!("getConnection (GET /users/{{id_user}}/connections/{{id_connection}}): API error {status}: {described}"));
        }
    }
}

/// A 200 whose body is not JSON, is truncated, has the wrong shape or
/// trailing data is `Error::Decode` with the raw body.
#[tokio::test]
async fn success_with_an_undecodable_body_is_a_decode_error() {
    let bodies: [&[u8]; 6] = [
        b"<html>maintenance</html>",
        br#"{"connections": [{"id": 1}, {"id""#,
        b"",
        b"[]",
        br#"{"connections": []} trailing"#,
        b"\xff\xfe\x00garbage",
    ];
    for body in bodies {
        let server = serve_raw(200, body, "application/json").await;
        let error = client_for(&server.uri())
            .list_connections(UserId::Me)
            .send()
            .await
            .expect_err("an undecodable body");
        let text = String::from_utf8_lossy(body);
        match &error {
            Error::Decode { status, body, .. } => {
                assert_eq!(*status, 200);
                assert_eq!(*body, text);
            }
            other => panic!("{text:?}: expected Error::Decode, got {other:?}"),
        }
    }
}

/// A 2xx status the operation does not describe is reported, not guessed.
#[tokio::test]
async fn undescribed_success_status_is_unexpected_status() {
    let server = serve_json(201, json!({"id": 1})).await;
    let error = client_for(&server.uri())
        .create_connection(UserId::Me, ConnectionRequest::new())
        .send()
        .await
        .expect_err("201 is not described");
    assert!(
        matches!(error, Error::UnexpectedStatus { status: 201, .. }),
        "{error:?}"
    );
}

/// A server slower than the client's timeout gives `Error::Timeout`, and so
/// does a per-request override.
#[tokio::test]
async fn slow_server_times_out() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"connections": []}))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;

    let runtime = runtime(&server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let client = powens::Client::from_runtime(runtime);
    let started = std::time::Instant::now();
    let error = client
        .list_connections(UserId::Me)
        .send()
        .await
        .expect_err("too slow");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(error.is_timeout());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // The client's timeout is 10 s; the request's own 200 ms wins.
    let started = std::time::Instant::now();
    let error = client_for(&server.uri())
        .list_connections(UserId::Me)
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .expect_err("too slow");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(error.to_string(), "listConnections (GET /users/{id_user}/connections): GET /users/me/connections: timed out");
    assert_eq!(error.operation(), Some("listConnections (GET /users/{id_user}/connections)"));
    assert_eq!(error.attempts().map(|a| a.count), Some(1), "GET is retried only when the client's policy says");
}

/// The head comes at once but the body trickles: the timeout covers reading
/// the body too.
#[tokio::test]
async fn slow_body_times_out() {
    let server = RawServer::start(|_, stream| {
        let body = br#"{"connections": []}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{{",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.flush();
        std::thread::sleep(Duration::from_secs(2));
        let _ = stream.write_all(&body[1..]);
    });
    let runtime = runtime(&server.base_url)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = powens::Client::from_runtime(runtime)
        .list_connections(UserId::Me)
        .send()
        .await
        .expect_err("the body is too slow");
    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

/// The server reads the request and closes the connection without a word.
#[tokio::test]
async fn closed_connection_is_a_transport_error() {
    let server = RawServer::start(|_, _| {});
    let error = client_for(&server.base_url)
        .list_connections(UserId::Me)
        .send()
        .await
        .expect_err("no response");
    match &error {
        Error::Transport { method, path, .. } => {
            assert_eq!(method.as_str(), "GET");
            assert_eq!(path, "/users/me/connections");
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

/// The body is cut short of its `Content-Length`, then the connection
/// closes: reading the response failed, a transport error.
#[tokio::test]
async fn body_cut_short_is_a_transport_error() {
    let server = RawServer::start(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"connections\": [",
        );
    });
    let error = client_for(&server.base_url)
        .list_connections(UserId::Me)
        .send()
        .await
        .expect_err("a truncated response");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

/// Nothing listens on the port.
#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // a socket bound to a port and not listening: the port stays ours
    // (no other test can take it, as one could after a bind and a drop)
    // and a connection to it is refused
    let held = tokio::net::TcpSocket::new_v4().unwrap();
    held.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = held.local_addr().unwrap().port();
    let error = client_for(&format!("http://127.0.0.1:{port}"))
        .list_connections(UserId::Me)
        .send()
        .await
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "listConnections (GET /users/{id_user}/connections): GET /users/me/connections: could not connect"
    );
}

/// Any status with any body, on operations with a plain, an enum and an
/// empty response: a value or an error, never a panic.
#[tokio::test]
async fn no_response_makes_the_client_panic() {
    let statuses = [
        200, 201, 202, 204, 206, 299, 301, 302, 304, 400, 401, 418, 429, 500, 502, 599,
    ];
    let bodies: [&[u8]; 10] = [
        b"",
        b"null",
        b"[]",
        b"{}",
        b"<html>",
        br#"{"code": 5, "message": ["x"]}"#,
        b"\xff\xfe\xfd",
        br#"{"id": 1e400}"#,
        br#"{"id": -9223372036854775809}"#,
        br#"{"connections": null, "accounts": {"id": true}}"#,
    ];
    let server = MockServer::start().await;
    let client = client_for(&server.uri());
    // Every outcome is checked, not only that it came back: a success only
    // for a 2xx status, an API error only for another status, and any
    // other error one that carries the status it came with.
    // The outcome's kind is returned, and tallied below.
    fn check<T>(what: &str, status: u16, body: &[u8], outcome: Result<T, Error>) -> &'static str {
        let success = (200..300).contains(&status);
        match outcome {
            Ok(_) => {
                assert!(success, "{what}: status {status} gave a success");
                "ok"
            }
            Err(Error::Api(api)) => {
                assert!(!success, "{what}: status {status} gave an API error");
                assert_eq!(api.status, status, "{what}");
                "api"
            }
            Err(error @ (Error::Decode { .. } | Error::UnexpectedStatus { .. })) => {
                assert!(success, "{what}: status {status} gave {error}");
                assert_eq!(error.status(), Some(status), "{what} {body:?}: {error:?}");
                if matches!(error, Error::Decode { .. }) { "decode" } else { "unexpected status" }
            }
            Err(error) => panic!("{what}: status {status}, body {body:?}: {error:?}"),
        }
    }
    let mut tally: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    for status in statuses {
        for body in bodies {
            server.reset().await;
            Mock::given(any())
                .respond_with(
                    ResponseTemplate::new(status).set_body_raw(body.to_vec(), "application/json"),
                )
                .mount(&server)
                .await;
            let listed = check("list_accounts", status, body, client.list_accounts(UserId::Me).send().await);
            *tally.entry(("list_accounts", listed)).or_default() += 1;
            let created = client
                .create_connection(UserId::Me, ConnectionRequest::new())
                .send()
                .await;
            if let Ok(CreateConnectionResponse::Ok(_) | CreateConnectionResponse::Accepted(_)) = &created {
                assert!(status == 200 || status == 202, "status {status}");
            }
            *tally.entry(("create_connection", check("create_connection", status, body, created))).or_default() += 1;
            let deleted = check("delete_connection", status, body, client.delete_connection(UserId::Me, 1).send().await);
            *tally.entry(("delete_connection", deleted)).or_default() += 1;
            let logged_out = check("delete_token", status, body, client.delete_token().send().await);
            *tally.entry(("delete_token", logged_out)).or_default() += 1;
        }
    }
    // Each count is of outcomes checked above, so it can fail. The 10
    // statuses that are not 2xx give API errors (x 10 bodies); of the 6
    // 2xx statuses, by what the spec describes for each operation (none of
    // the bodies is a valid account list or connection):
    // - listAccounts (200, JSON): every 2xx read as its list, none decodes;
    // - createConnection (200 and 202, JSON): those two do not decode, the
    //   4 others are statuses it does not describe;
    // - deleteConnection (200 JSON, 204 empty): 200 does not decode, 204 is
    //   a success whatever its body, the 4 others are not described;
    // - deleteToken (200, no content): any 2xx is a success, body ignored.
    let n = bodies.len();
    let expected = std::collections::BTreeMap::from([
        (("create_connection", "api"), 10 * n),
        (("create_connection", "decode"), 2 * n),
        (("create_connection", "unexpected status"), 4 * n),
        (("delete_connection", "api"), 10 * n),
        (("delete_connection", "decode"), n),
        (("delete_connection", "ok"), n),
        (("delete_connection", "unexpected status"), 4 * n),
        (("delete_token", "api"), 10 * n),
        (("delete_token", "ok"), 6 * n),
        (("list_accounts", "api"), 10 * n),
        (("list_accounts", "decode"), 6 * n),
    ]);
    assert_eq!(tally, expected, "outcomes by operation and kind");
}

/// An error response over the raw server (as a proxy would send it): kept.
#[tokio::test]
async fn raw_server_error_body_is_kept() {
    let server = RawServer::start(|_, stream| write_response(stream, 503, b"upstream timeout"));
    let error = client_for(&server.base_url)
        .get_user(UserId::Me)
        .send()
        .await
        .unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!((api.status, api.raw.as_str()), (503, "upstream timeout"));
}

/// Every error of a call names its operation (name, method, path
/// template); a retried call's error says which attempt it was; an API
/// error whose body is not JSON says what the body was, never its text.
#[tokio::test]
async fn every_error_names_its_operation_and_attempts() {
    const LIST: &str = "listConnections (GET /users/{id_user}/connections)";
    const DELETE: &str = "deleteConnection (DELETE /users/{id_user}/connections/{id_connection})";
    // an unexpected 2xx: the operation describes 204 only
    let server = serve_raw(201, b"{}", "application/json").await;
    let error = client_for(&server.uri()).delete_connection(UserId::Me, 1).send().await.unwrap_err();
    assert!(matches!(error, Error::UnexpectedStatus { status: 201, .. }), "{error:?}");
    assert_eq!(error.operation(), Some(DELETE));
    assert_eq!(error.to_string(), format!("{DELETE}: unexpected status 201: the operation does not describe it"));

    // a proxy's HTML page, then an empty 500: described, not shown
    let page = "<html><body>Bad gateway: token=abc123</body></html>";
    let server = serve_raw(502, page.as_bytes(), "text/html; charset=utf-8").await;
    let error = client_for(&server.uri()).list_connections(UserId::Me).send().await.unwrap_err();
    assert_eq!(error.to_string(), format!("{LIST}: API error 502: a text/html body of {} bytes, not JSON", page.len()));
    let server = serve_raw(500, b"", "text/plain").await;
    let error = client_for(&server.uri()).list_connections(UserId::Me).send().await.unwrap_err();
    assert_eq!(error.to_string(), format!("{LIST}: API error 500: an empty body"));

    // retried three times: the fourth attempt's error says so
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let policy = client_runtime::RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
    };
    let retrying = powens::Client::from_runtime(runtime(&server.uri()).retry(policy).build().unwrap());
    let error = retrying.list_connections(UserId::Me).send().await.unwrap_err();
    let attempts = error.attempts().expect("a sent request's error counts its attempts");
    assert_eq!((attempts.count, server.received_requests().await.unwrap().len()), (4, 4));
    let shown = error.to_string();
    assert!(shown.starts_with(&format!("{LIST}: API error 503: an empty body (attempt 4, ")), "{shown}");
    assert!(shown.ends_with(" s after the first began)"), "{shown}");

    // a request that cannot be sent names its operation too
    let client = powens::Client::from_runtime(runtime(&server.uri()).bearer_token("line\nbreak").build().unwrap());
    let error = client.list_connections(UserId::Me).send().await.unwrap_err();
    assert_eq!(error.to_string(), format!("{LIST}: invalid request: the bearer token is not a valid header value"));
    assert_eq!(error.attempts(), None, "nothing was sent");
}

/// A timeout the application sets on its client bounds every operation,
/// those with a longer `x-timeout` in the spec (syncConnections: 120 s)
/// included; that default applies only when the client sets none.
#[tokio::test]
async fn the_clients_own_timeout_bounds_operations_with_x_timeout() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_body_json(json!({"connections": []})).set_delay(Duration::from_millis(1500));
    Mock::given(any()).respond_with(slow).mount(&server).await;
    let limited = powens::Client::from_runtime(client_runtime::Client::builder(server.uri()).timeout(Duration::from_millis(300)).build().unwrap());
    let error = limited.sync_connections(UserId::Me).send().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    let unset = powens::Client::from_runtime(client_runtime::Client::builder(server.uri()).build().unwrap());
    let synced = unset.sync_connections(UserId::Me).send().await;
    assert!(synced.is_ok(), "x-timeout (120 s) applies when the client sets none: {synced:?}");
}

/// An error found while building the request, before anything is sent,
/// names its operation too (an empty list where a path segment is needed).
#[tokio::test]
#[allow(deprecated)]
async fn a_request_that_cannot_be_built_names_its_operation() {
    let server = serve_json(200, json!({"connections": []})).await;
    let client = finapi::Client::from_runtime(runtime(&server.uri()).build().unwrap());
    let error = client.get_multiple_bank_connections(Vec::<i64>::new()).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert_eq!(error.operation(), Some("getMultipleBankConnections (GET /api/v1/bankConnections/{ids})"));
    assert!(error.to_string().starts_with("getMultipleBankConnections (GET /api/v1/bankConnections/{ids}): invalid request: "), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
}

/// A middleware written with what `powens` re-exports alone
/// (`powens::async_trait`, `powens::http`, `powens::reqwest_middleware`).
#[tokio::test]
async fn a_middleware_from_powens_reexports_alone() {
    use powens::reqwest_middleware::{Middleware, Next};
    struct Count(std::sync::Arc<std::sync::atomic::AtomicUsize>);
    #[powens::async_trait]
    impl Middleware for Count {
        async fn handle(
            &self,
            request: powens::reqwest::Request,
            extensions: &mut powens::http::Extensions,
            next: Next<'_>,
        ) -> powens::reqwest_middleware::Result<powens::reqwest::Response> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            next.run(request, extensions).await
        }
    }
    let server = serve_json(200, json!({"connections": []})).await;
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let http = powens::reqwest_middleware::ClientBuilder::new(powens::reqwest::Client::new()).with(Count(seen.clone())).build();
    let client = powens::Client::builder(server.uri()).middleware_client(http).build().unwrap();
    client.list_connections(UserId::Me).send().await.unwrap();
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 1);
}
