//! What a banking client must guarantee: secrets never printed, a transfer
//! never sent twice, lists streamed lazily, webview URLs and callbacks
//! exact, webhooks typed.

use std::time::Duration;

use client_runtime::{Error, RetryPolicy};
use futures_util::StreamExt;
use powens::models::{
    ConnectionRequest, ConnectionUpdateRequest, CreateAccessTokenRequest, CreateAccessTokenRequestRequired,
    CreateTokenRequest, CreateTokenRequestRequired,
    CreateTransferRequest, ExecuteTransferRequest, NewConnectorRequest, NewConnectorRequestRequired, RenewAccessTokenRequest,
    UserId, WebviewCallbackError, WebviewErrorCode,
};
use powens::webhooks::Webhook;
use powens::webview::{
    OpenAccountsWebview, OpenConnectSelectWebview, OpenConnectWebview, OpenManageWebview,
    OpenReconnectWebview, OpenTransferWebview, OpenWebauth,
};
use serde_json::json;
use wiremock::matchers::{any, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client_for, runtime, serve_json, serve_raw, RawServer, TOKEN};

const PASSWORD: &str = "Pa55w0rd-hunter2";
const CLIENT_SECRET: &str = "cl1ent_s3cret_54tHJHjvod";

fn assert_no_secret(what: &str, text: &str) {
    for secret in [TOKEN, PASSWORD, CLIENT_SECRET] {
        assert!(!text.contains(secret), "{what} shows a secret: {text}");
    }
}

// ---------------------------------------------------------------- secrets

#[test]
fn client_debug_hides_the_token() {
    let client = client_for("https://demo.biapi.pro/2.0");
    assert_no_secret("powens::Client", &format!("{client:?}"));
    assert_no_secret("runtime client", &format!("{:?}", client.runtime()));
    assert_no_secret(
        "runtime builder",
        &format!("{:?}", runtime("https://demo.biapi.pro/2.0")),
    );
    let other = client.with_bearer_token(PASSWORD);
    assert_no_secret("client with another token", &format!("{other:?}"));
}

#[test]
fn request_builders_and_bodies_hide_passwords_and_secrets() {
    let client = client_for("https://demo.biapi.pro/2.0");

    let token_request = CreateTokenRequest::new(CreateTokenRequestRequired { application: "app".into(), password: PASSWORD.into(), username: "jdoe".into() });
    assert_no_secret("CreateTokenRequest", &format!("{token_request:?}"));
    assert_no_secret(
        "create_token builder",
        &format!("{:?}", client.create_token(token_request.clone())),
    );
    // The password still goes on the wire.
    assert_eq!(
        serde_json::to_value(&token_request).unwrap()["password"],
        PASSWORD
    );

    let access =
        CreateAccessTokenRequest::new(CreateAccessTokenRequestRequired {
            client_id: "17473055".into(),
            client_secret: CLIENT_SECRET.into(),
            code: "code".into(),
        });
    assert_no_secret("CreateAccessTokenRequest", &format!("{access:?}"));
    assert_no_secret(
        "create_access_token builder",
        &format!("{:?}", client.create_access_token(access)),
    );

    let renew = RenewAccessTokenRequest::new("17473055", CLIENT_SECRET, 7);
    assert_no_secret("RenewAccessTokenRequest", &format!("{renew:?}"));

    let connector = NewConnectorRequest::new(NewConnectorRequestRequired { login: "login".into(), name: "My bank".into(), password: PASSWORD.into() });
    assert_no_secret("NewConnectorRequest", &format!("{connector:?}"));

    let mut execute = ExecuteTransferRequest::new(true);
    execute.password = Some(PASSWORD.into());
    assert_no_secret("ExecuteTransferRequest", &format!("{execute:?}"));
    assert_no_secret(
        "execute_transfer builder",
        &format!("{:?}", client.execute_transfer(UserId::Me, 1, execute)),
    );

    let mut update = ConnectionUpdateRequest::new();
    update.password = Some(PASSWORD.into());
    assert_no_secret("ConnectionUpdateRequest", &format!("{update:?}"));
    assert_no_secret(
        "update_connection builder",
        &format!("{:?}", client.update_connection(UserId::Me, 1).body(update)),
    );
}

/// The credentials of a new connection are the connector's fields, sent as
/// additional properties (`login=…&password=…`): they are as secret as a
/// typed `password`.
#[test]
fn connection_credentials_in_additional_properties_are_redacted() {
    let client = client_for("https://demo.biapi.pro/2.0");
    let mut body = ConnectionRequest::new();
    body.id_connector = Some(40);
    body.additional_properties
        .insert("login".into(), "12345678".into());
    body.additional_properties
        .insert("password".into(), PASSWORD.into());
    assert_no_secret("ConnectionRequest", &format!("{body:?}"));
    assert_no_secret(
        "create_connection builder",
        &format!("{:?}", client.create_connection(UserId::Me, body)),
    );
}

/// Tokens the API hands back are secrets too.
#[test]
fn tokens_in_responses_are_redacted() {
    let response: powens::models::CreateTokenResponse =
        serde_json::from_value(json!({"token": TOKEN, "scope": "userspace"})).unwrap();
    assert_no_secret("CreateTokenResponse", &format!("{response:?}"));
    assert_eq!(response.token.expose(), TOKEN);
    let access: powens::models::CreateAccessTokenResponse =
        serde_json::from_value(json!({"access_token": TOKEN, "token_type": "Bearer"})).unwrap();
    assert_no_secret("CreateAccessTokenResponse", &format!("{access:?}"));
}

/// The webauth URL carries a token; printing the builder must not.
#[test]
fn webview_builder_debug_hides_its_token() {
    let webauth = OpenWebauth::new(1, TOKEN, "https://app.example.com/cb");
    assert_no_secret("OpenWebauth", &format!("{webauth:?}"));
}

/// Errors of every kind, after a request that carried the token and a
/// password, print neither (`Debug` and `Display`).
#[tokio::test]
async fn errors_hide_secrets() {
    let body = || CreateTokenRequest::new(CreateTokenRequestRequired { application: "app".into(), password: PASSWORD.into(), username: "jdoe".into() });
    let mut errors: Vec<Error> = Vec::new();

    let server = serve_json(
        400,
        json!({"code": "wrongpass", "message": "Wrong password"}),
    )
    .await;
    errors.push(
        client_for(&server.uri())
            .create_token(body())
            .send()
            .await
            .unwrap_err(),
    );
    errors.push(
        client_for(&server.uri())
            .list_accounts(UserId::Me)
            .send()
            .await
            .unwrap_err(),
    );

    // A success body holding a token, that fails to decode: the body is
    // kept for the caller but not printed.
    let server = serve_json(200, json!({"token": TOKEN, "scope": 5})).await;
    let decode = client_for(&server.uri())
        .create_token(body())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(decode, Error::Decode { .. }), "{decode:?}");
    errors.push(decode);
    // The secret field itself of the wrong type: serde's message would quote
    // the value.
    let server = serve_json(200, json!({"token": [TOKEN], "scope": "x"})).await;
    errors.push(client_for(&server.uri()).create_token(body()).send().await.unwrap_err());

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let slow = runtime(&server.uri())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    errors.push(
        powens::Client::from_runtime(slow)
            .create_token(body())
            .send()
            .await
            .unwrap_err(),
    );

    let closed = RawServer::start(|_, _| {});
    errors.push(
        client_for(&closed.base_url)
            .list_accounts(UserId::Me)
            .send()
            .await
            .unwrap_err(),
    );

    // Webview callbacks hold one-time codes.
    errors.push(
        OpenConnectWebview::parse_callback(&format!("?connection_id=x&code={PASSWORD}"))
            .unwrap_err(),
    );

    let kinds: Vec<&str> = errors
        .iter()
        .map(|error| match error {
            Error::Api(_) => "api",
            Error::Decode { .. } => "decode",
            Error::Timeout { .. } => "timeout",
            Error::Transport { .. } => "transport",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["api", "api", "decode", "decode", "timeout", "transport", "decode"]);
    for error in &errors {
        assert_no_secret("error Debug", &format!("{error:?}"));
        assert_no_secret("error Display", &error.to_string());
    }
}

/// Every rendering of an error: `Display`, `Debug`, `{:#?}`, and the same
/// for each error of its `source()` chain.
fn renderings(error: &Error) -> Vec<String> {
    let mut out = vec![error.to_string(), format!("{error:?}"), format!("{error:#?}")];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        out.extend([cause.to_string(), format!("{cause:?}"), format!("{cause:#?}")]);
        source = cause.source();
    }
    if let Some(api) = error.api() {
        out.extend([api.to_string(), format!("{api:?}"), format!("{api:#?}")]);
    }
    out
}

/// A 4xx that echoes credentials (the password sent back in a field, the
/// token in a nested field and in the `description`, the password in the
/// `message`, a letters-only secret after `password:` and echoed in a
/// field): no rendering of the error shows any of them, through the
/// generated client against a local server; the explicit accessors keep
/// the body as it came.
#[tokio::test]
async fn api_errors_that_echo_secrets_hide_them() {
    const LETTERS: &str = "Swordfishmarker";
    let echo = json!({
        "code": "wrongpass",
        "message": format!("Wrong password {PASSWORD}"),
        "description": format!("the token {TOKEN} was refused; password: {LETTERS}"),
        "password": PASSWORD,
        "token": TOKEN,
        "details": {"client_secret": CLIENT_SECRET, "banking_pin": LETTERS, "label": "kept"},
    });
    let server = serve_json(400, echo.clone()).await;
    let body = CreateTokenRequest::new(CreateTokenRequestRequired { application: "app".into(), password: PASSWORD.into(), username: "jdoe".into() });
    let error = client_for(&server.uri()).create_token(body).send().await.unwrap_err();
    let api = error.api().expect("an API error");
    for shown in renderings(&error) {
        assert_no_secret("API error echoing secrets", &shown);
        assert!(!shown.contains(LETTERS), "API error echoing secrets: {shown}");
    }
    assert_eq!(error.api_code(), Some("wrongpass"));
    assert!(error.to_string().ends_with("API error 400: wrongpass: Wrong password [redacted]"), "{error}");
    assert!(format!("{error:?}").contains(r#""label":"kept""#), "{error:?}");
    // unredacted, when the application asks for it
    assert_eq!(serde_json::from_str::<serde_json::Value>(api.raw_body()).unwrap(), echo);
    assert_eq!(api.body.as_ref(), Some(&echo));
    assert!(api.description.as_deref().unwrap().contains(TOKEN));

    // a body that is not JSON: its length only
    let text = format!("password={PASSWORD}&token={TOKEN}");
    let server = serve_raw(401, text.as_bytes(), "text/plain").await;
    let error = client_for(&server.uri()).list_accounts(UserId::Me).send().await.unwrap_err();
    for shown in renderings(&error) {
        assert_no_secret("API error with a text body", &shown);
    }
    assert!(format!("{error:?}").contains(&format!("raw: <{} bytes>", text.len())), "{error:?}");
    assert_eq!(error.api().unwrap().raw_body(), text);
}

// ---------------------------------------------------------------- retries

fn retrying(base_url: &str) -> powens::Client {
    let retry = RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
    };
    powens::Client::from_runtime(runtime(base_url).retry(retry).build().unwrap())
}

/// An idempotent GET that gets a 503 succeeds on the retry.
#[tokio::test]
async fn get_is_retried_after_503() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"accounts": []})))
        .expect(1)
        .mount(&server)
        .await;
    let accounts = retrying(&server.uri())
        .list_accounts(UserId::Me)
        .send()
        .await
        .expect("the retry succeeds");
    assert!(accounts.accounts.is_empty());
    server.verify().await;
}

/// A GET that keeps failing is tried 1 + max_retries times, then reported.
#[tokio::test]
async fn get_gives_up_after_max_retries() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .expect(4)
        .mount(&server)
        .await;
    let error = retrying(&server.uri())
        .get_user(UserId::Me)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    server.verify().await;
}

/// Creating a transfer is a POST: a 503 is reported, never re-sent, even
/// with a retry policy.
#[tokio::test]
async fn transfer_post_is_sent_exactly_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/me/accounts/1/recipients/2/transfers"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .expect(1)
        .mount(&server)
        .await;
    let body = CreateTransferRequest::new("1500.00".parse().unwrap(), "Rent");
    let error = retrying(&server.uri())
        .create_transfer(UserId::Me, 1, 2, body)
        .send()
        .await
        .expect_err("503");
    assert_eq!(error.status(), Some(503));

    // Executing it is a POST too.
    Mock::given(method("POST"))
        .and(path("/users/me/transfers/22"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    let error = retrying(&server.uri())
        .execute_transfer(UserId::Me, 22, ExecuteTransferRequest::new(true))
        .send()
        .await
        .expect_err("502");
    assert_eq!(error.status(), Some(502));
    server.verify().await;
}

/// A POST that timed out may have reached the bank: not re-sent either.
#[tokio::test]
async fn timed_out_post_is_not_resent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .expect(1)
        .mount(&server)
        .await;
    let body = CreateTransferRequest::new("10".parse().unwrap(), "Once");
    let error = retrying(&server.uri())
        .create_transfer(UserId::Me, 1, 2, body)
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .expect_err("too slow");
    assert!(error.is_timeout(), "{error:?}");
    server.verify().await;
}

/// No retry policy: a GET is sent once.
#[tokio::test]
async fn no_retries_by_default() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    client_for(&server.uri())
        .list_accounts(UserId::Me)
        .send()
        .await
        .unwrap_err();
    server.verify().await;
}

// ------------------------------------------------------------- pagination

fn transaction(id: i64) -> serde_json::Value {
    json!({
        "id": id, "id_account": 17, "active": true, "coming": false,
        "date": "2015-06-18", "rdate": "2015-06-17", "date_scraped": "2015-07-04 15:17:30",
        "original_wording": format!("OP {id}"), "simplified_wording": "OP",
        "stemmed_wording": "OP", "state": "parsed", "value": -16.22
    })
}

/// Three pages of 2, 2 and 1 transactions, by `offset`.
async fn three_pages(total: Option<i64>) -> MockServer {
    let server = MockServer::start().await;
    // without a total, the stream asks once more and gets an empty page
    for (offset, ids) in [("0", vec![1, 2]), ("2", vec![3, 4]), ("4", vec![5]), ("5", vec![])] {
        let items: Vec<_> = ids.into_iter().map(transaction).collect();
        let mut body = json!({"transactions": items});
        if let Some(total) = total {
            body["total"] = json!(total);
        }
        Mock::given(method("GET"))
            .and(path("/users/me/transactions"))
            .and(query_param("offset", offset))
            .and(query_param("limit", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    server
}

async fn offsets(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| {
            request
                .url
                .query_pairs()
                .find(|(name, _)| name == "offset")
                .map(|(_, value)| value.into_owned())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn stream_yields_every_item_in_order() {
    for total in [Some(5), None] {
        let server = three_pages(total).await;
        let ids: Vec<i64> = client_for(&server.uri())
            .list_transactions(UserId::Me)
            .limit(2)
            .min_date("2015-01-01".parse().unwrap())
            .into_stream()
            .map(|item| item.expect("a transaction").id)
            .collect()
            .await;
        assert_eq!(ids, [1, 2, 3, 4, 5], "total {total:?}");
        let expected: &[&str] = if total.is_some() { &["0", "2", "4"] } else { &["0", "2", "4", "5"] };
        assert_eq!(offsets(&server).await, expected, "total {total:?}");
        // Other parameters go with every page.
        for request in server.received_requests().await.unwrap() {
            assert!(request.url.query().unwrap().contains("min_date=2015-01-01"));
        }
    }
}

/// The stream tells the list's total (from the latest page), and
/// `into_pages` gives the pages themselves, at their offsets.
#[tokio::test]
async fn the_total_and_the_pages_through_the_generated_client() {
    for total in [Some(5), None] {
        let server = three_pages(total).await;
        let mut stream = client_for(&server.uri()).list_transactions(UserId::Me).limit(2).into_stream();
        assert_eq!(stream.total(), None, "before the first page");
        let ids: Vec<i64> = (&mut stream).map(|item| item.expect("a transaction").id).collect().await;
        assert_eq!((ids.len(), stream.total()), (5, total), "total {total:?}");

        let server = three_pages(total).await;
        let pages: Vec<client_runtime::Page<powens::models::Transaction>> = client_for(&server.uri())
            .list_transactions(UserId::Me)
            .limit(2)
            .into_pages()
            .map(|page| page.expect("a page"))
            .collect()
            .await;
        let shape: Vec<(i64, Vec<i64>)> = pages.iter().map(|page| (page.offset, page.decoded().map(|t| t.id).collect())).collect();
        assert_eq!(shape, [(0, vec![1, 2]), (2, vec![3, 4]), (4, vec![5])], "total {total:?}");
        assert!(pages.iter().all(|page| page.total == total && page.operation.is_some_and(|op| op.starts_with("listTransactions (GET "))));
        let expected: &[&str] = if total.is_some() { &["0", "2", "4"] } else { &["0", "2", "4", "5"] };
        assert_eq!(offsets(&server).await, expected, "total {total:?}");
    }
}

#[tokio::test]
async fn stream_fetches_pages_lazily() {
    let server = three_pages(Some(5)).await;
    let stream = client_for(&server.uri())
        .list_transactions(UserId::Me)
        .limit(2)
        .into_stream();
    let mut stream = std::pin::pin!(stream);
    assert!(
        offsets(&server).await.is_empty(),
        "nothing before the first poll"
    );
    let first: Vec<i64> = stream
        .as_mut()
        .take(2)
        .map(|item| item.unwrap().id)
        .collect()
        .await;
    assert_eq!(first, [1, 2]);
    assert_eq!(
        offsets(&server).await,
        ["0"],
        "take(2) only fetches the first page"
    );
    let third = stream.next().await.unwrap().unwrap();
    assert_eq!(third.id, 3);
    assert_eq!(offsets(&server).await, ["0", "2"]);
}

/// Items added at the front of a list while it is paged (newest first, as
/// transactions are): each later page overlaps the items already read by
/// less than a page. Through the generated `into_stream`, the stream ends
/// without an error and delivers every item exactly once, in order, with
/// and without a `total` in the pages.
#[tokio::test]
async fn stream_with_pages_that_overlap_delivers_each_item_once() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    for with_total in [true, false] {
        let server = MockServer::start().await;
        let served = Arc::new(AtomicUsize::new(0));
        let counter = served.clone();
        Mock::given(method("GET"))
            .and(path("/users/me/transactions"))
            .respond_with(move |request: &wiremock::Request| {
                let query = |name: &str| -> usize {
                    request.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.parse().unwrap()).unwrap()
                };
                // ids 10 down to 1; once the first page is served, 102 and
                // 101 arrive at the front and shift the list by two
                let mut ids: Vec<i64> = (1..=10).rev().collect();
                if counter.fetch_add(1, Ordering::SeqCst) >= 1 {
                    ids.splice(0..0, [102, 101]);
                }
                let page: Vec<_> = ids.iter().skip(query("offset")).take(query("limit")).map(|id| transaction(*id)).collect();
                let mut body = json!({"transactions": page});
                if with_total {
                    body["total"] = json!(ids.len());
                }
                ResponseTemplate::new(200).set_body_json(body)
            })
            .mount(&server)
            .await;
        let results: Vec<Result<powens::models::Transaction, Error>> =
            client_for(&server.uri()).list_transactions(UserId::Me).limit(4).into_stream().collect().await;
        let ids: Vec<i64> = results
            .into_iter()
            .map(|item| item.unwrap_or_else(|error| panic!("total {with_total}: the stream ended with {error}")).id)
            .collect();
        // the second page (offset 4) repeats 8 and 7 and brings 6 and 5
        assert_eq!(ids, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], "total {with_total}");
        let expected: &[&str] = if with_total { &["0", "4", "8"] } else { &["0", "4", "8", "12"] };
        assert_eq!(offsets(&server).await, expected, "total {with_total}");
    }
}

/// An error ends the stream after the items already received.
#[tokio::test]
async fn stream_error_is_yielded_once() {
    let server = MockServer::start().await;
    Mock::given(query_param("offset", "0"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"transactions": [transaction(1), transaction(2)]})),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("offset", "2"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"code": "bug"})))
        .mount(&server)
        .await;
    let items: Vec<Result<_, Error>> = client_for(&server.uri())
        .list_transactions(UserId::Me)
        .limit(2)
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[1].is_ok());
    let error = items[2].as_ref().unwrap_err();
    assert_eq!(error.api().and_then(|api| api.code.as_deref()), Some("bug"));
}

// ---------------------------------------------------------------- webviews

const BASE: &str = "https://demo.biapi.pro/2.0";

/// The deprecated v3 webviews (`accounts`, `connect/select`) are still
/// checked while the spec keeps them.
#[test]
#[allow(deprecated)]
fn webview_urls_are_exact() {
    let connect = OpenConnectWebview::new(123, "https://app.example.com/cb?x=1&y=2")
        .state("s t/é")
        .connector_ids([40, 59])
        .connector_capabilities(["bank".to_owned(), "transfer".to_owned()]);
    assert_eq!(
        connect.url(BASE),
        "https://demo.biapi.pro/2.0/auth/webview/connect?client_id=123\
         &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fx%3D1%26y%3D2\
         &state=s%20t%2F%C3%A9&connector_ids=40,59&connector_capabilities=bank,transfer"
    );
    // A trailing slash on the base URL changes nothing.
    assert_eq!(connect.url(&format!("{BASE}/")), connect.url(BASE));

    assert_eq!(
        OpenManageWebview::new(123, "temp_code_1").url(BASE),
        "https://demo.biapi.pro/2.0/auth/webview/manage?client_id=123&code=temp_code_1"
    );
    assert_eq!(
        OpenReconnectWebview::new(123, "https://app.example.com/cb", "c0de", 42)
            .reset_credentials(true)
            .url(BASE),
        "https://demo.biapi.pro/2.0/auth/webview/reconnect?client_id=123\
         &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&code=c0de&connection_id=42\
         &reset_credentials=true"
    );
    assert_eq!(
        OpenTransferWebview::new(123, "https://app.example.com/cb")
            .transfer_id(22)
            .url(BASE),
        "https://demo.biapi.pro/2.0/auth/webview/transfer?client_id=123\
         &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&transfer_id=22"
    );
    assert_eq!(
        OpenAccountsWebview::new(123).url(BASE),
        "https://demo.biapi.pro/2.0/auth/webview/accounts?client_id=123"
    );
    assert_eq!(
        OpenConnectSelectWebview::new(123, "https://app.example.com/cb")
            .id_connector(40)
            .url(BASE),
        "https://demo.biapi.pro/2.0/auth/webview/connect/select?client_id=123\
         &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&id_connector=40"
    );
    let webauth = OpenWebauth::new(123, "tmp", "https://app.example.com/cb")
        .id_connection(7)
        .url(BASE);
    assert_eq!(
        webauth,
        "https://demo.biapi.pro/2.0/webauth?client_id=123&token=tmp\
         &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&id_connection=7"
    );
}

#[test]
fn webview_callback_success() {
    let parsed = OpenConnectWebview::parse_callback(
        "https://app.example.com/cb?connection_id=42&code=abc%2Bdef%2F%3D&state=s%20t",
    )
    .expect("a well-formed callback")
    .expect("a success");
    assert_eq!(parsed.connection_id, 42);
    assert_eq!(parsed.code.as_ref().map(|code| code.expose()), Some("abc+def/="));
    assert!(!format!("{parsed:?}").contains("abc+def"), "the code is redacted");
    assert_eq!(parsed.state.as_deref(), Some("s t"));

    let transfer = OpenTransferWebview::parse_callback("?transfer_id=22&state=x")
        .unwrap()
        .unwrap();
    assert_eq!(transfer.transfer_id, 22);
    let reconnect = OpenReconnectWebview::parse_callback("state=only")
        .unwrap()
        .unwrap();
    assert_eq!(reconnect.state.as_deref(), Some("only"));
}

/// The error parameters as the spec's `WebviewCallbackError`. (Going through
/// JSON keeps this test independent of whether the generated
/// `parse_callback` returns that type or a JSON value.)
fn as_callback_error(error: impl serde::Serialize) -> WebviewCallbackError {
    serde_json::from_value(serde_json::to_value(error).unwrap()).expect("a WebviewCallbackError")
}

#[test]
fn webview_callback_errors_keep_unknown_codes() {
    let error = OpenConnectWebview::parse_callback(
        "https://app.example.com/cb?error=tos_declined&error_description=User%20said%20no&state=s",
    )
    .expect("a well-formed callback")
    .expect_err("an error callback");
    let error = as_callback_error(error);
    assert_eq!(error.error, WebviewErrorCode::TosDeclined);
    assert_eq!(error.error_description.as_deref(), Some("User said no"));

    let error = OpenManageWebview::parse_callback("?error=brand_new_failure")
        .unwrap()
        .expect_err("an error callback");
    let error = as_callback_error(error);
    assert_eq!(
        error.error,
        WebviewErrorCode::Unknown("brand_new_failure".into())
    );
    assert_eq!(error.error.as_str(), "brand_new_failure");
    assert_eq!(error.error_description, None);

    let access_denied = OpenTransferWebview::parse_callback("?error=access_denied").unwrap();
    assert_eq!(
        as_callback_error(access_denied.unwrap_err()).error,
        WebviewErrorCode::AccessDenied
    );

    // A malformed success callback is a decode error naming the flow, not a panic.
    let malformed = OpenConnectWebview::parse_callback("?connection_id=not-a-number").unwrap_err();
    assert!(matches!(&malformed, Error::Decode { status: 0, path, .. } if path == "connection_id"), "{malformed:?}");
    assert_eq!(malformed.operation(), Some("openConnectWebview callback"));
    assert!(!malformed.to_string().contains("not-a-number"), "{malformed}");
}

// ---------------------------------------------------------------- webhooks

#[test]
fn webhooks_decode_by_event() {
    let found = Webhook::decode(
        "SUBSCRIPTION_FOUND",
        br#"{"id": 1, "id_user": 2, "id_connection": 3, "new_field": true}"#,
    )
    .expect("a SUBSCRIPTION_FOUND payload");
    assert_eq!(found.event(), "SUBSCRIPTION_FOUND");
    let Webhook::SubscriptionFound(payload) = &found else {
        panic!("expected SubscriptionFound, got {found:?}");
    };
    assert_eq!(
        (payload.id, payload.id_user, payload.id_connection),
        (1, 2, 3)
    );

    let example = &super::examples::spec()["components"]["schemas"]["UserSyncedWebhook"]["example"];
    let synced = Webhook::decode("USER_SYNCED", &serde_json::to_vec(example).unwrap()).unwrap();
    let Webhook::UserSynced(payload) = &synced else {
        panic!("expected UserSynced, got {synced:?}");
    };
    assert!(!payload.connections.is_empty());

    let unknown = Webhook::decode("CONNECTION_DELETED", br#"{"id": 9}"#).unwrap();
    match &unknown {
        Webhook::Unknown { event, payload } => {
            assert_eq!(event, "CONNECTION_DELETED");
            assert_eq!(payload, &json!({"id": 9}));
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
    assert_eq!(unknown.event(), "CONNECTION_DELETED");
}

#[test]
fn bad_webhook_payload_is_a_decode_error_naming_the_field() {
    let error = Webhook::decode(
        "SUBSCRIPTION_FOUND",
        br#"{"id": 1, "id_user": "two", "id_connection": 3}"#,
    )
    .unwrap_err();
    assert!(error.to_string().starts_with("webhook SUBSCRIPTION_FOUND: cannot decode at `id_user`: "), "{error}");
    match error {
        Error::Decode { status, path, .. } => {
            assert_eq!(status, 0);
            assert_eq!(path, "id_user");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(Webhook::decode("SUBSCRIPTION_FOUND", b"not json").is_err());
    let unknown = Webhook::decode("WHATEVER", b"not json").unwrap_err();
    assert_eq!(unknown.operation(), Some("webhook of an unknown event"));
}

/// A webhook is decoded only once its `Authorization: Bearer` carries the
/// user's token; anything else is refused, naming the event, never a token.
#[test]
fn webhooks_are_received_only_with_the_users_token() {
    let token = client_runtime::Secret::new("tok_user_42");
    let body = br#"{"id": 1, "id_user": 2, "id_connection": 3}"#;
    let received = Webhook::receive("SUBSCRIPTION_FOUND", Some(b"Bearer tok_user_42"), &token, body).unwrap();
    assert_eq!(received.event(), "SUBSCRIPTION_FOUND");
    for (header, refusal) in [
        (None, client_runtime::webhook::Refusal::Missing),
        (Some(&b"Bearer tok_forged"[..]), client_runtime::webhook::Refusal::WrongToken),
        (Some(&b"tok_user_42"[..]), client_runtime::webhook::Refusal::NotBearer),
    ] {
        let error = Webhook::receive("SUBSCRIPTION_FOUND", header, &token, body).unwrap_err();
        assert!(matches!(&error, Error::WebhookRefused { refusal: r, .. } if *r == refusal), "{error:?}");
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("SUBSCRIPTION_FOUND") && !shown.contains("tok_"), "{shown}");
    }
    // refused before the body is read: a forged, malformed body is not even decoded
    let forged = Webhook::receive("SUBSCRIPTION_FOUND", Some(b"Bearer nope"), &token, b"not json").unwrap_err();
    assert!(matches!(forged, Error::WebhookRefused { .. }), "{forged:?}");
}
