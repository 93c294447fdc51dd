//! The client's `tracing` events, in a test binary of their own: the
//! recorder is the process's global subscriber. A thread-local one
//! (`with_default`) among parallel tests loses events to tracing's shared
//! per-callsite interest cache, which made this test fail now and then.

use std::sync::{Arc, Mutex};

use client_runtime::{Client, Method, Request, RetryPolicy};
use std::time::Duration;
use tracing::field::{Field, Visit};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok_live_5ecret";
const PASSWORD: &str = "hunter2-5ecret";

/// Records the fields of every event as `name=value` text.
struct Recorder(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// Every attempt is a `tracing` event with the operation, the attempt and
/// the status; so are a retry's wait, a retry the deadline cuts, and a 2xx
/// that does not decode; nothing secret (no token, no query, no body).
#[tokio::test]
async fn every_attempt_is_a_tracing_event_without_secrets() {
    let events = Arc::new(Mutex::new(Vec::new()));
    tracing::subscriber::set_global_default(Recorder(events.clone())).unwrap();

    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let client = Client::builder(format!("{}/2.0/", server.uri()))
        .bearer_token(TOKEN)
        .retry(RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
        .build()
        .unwrap();
    let mut request = Request::of("listAccounts (GET /users/{id_user}/accounts)", Method::GET, "/users/me/accounts".into());
    request.query("code", PASSWORD);
    client.execute(request).await.unwrap();

    // a 2xx that does not decode, and a retry the deadline leaves no time for
    let broken = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_raw(format!(r#"{{"id": "{PASSWORD}"}}"#), "application/json")).mount(&broken).await;
    #[derive(Debug, serde::Deserialize)]
    struct Account {
        #[allow(dead_code)]
        id: i64,
    }
    let decoding = Client::builder(broken.uri()).bearer_token(TOKEN).build().unwrap();
    let request = Request::of("getAccount (GET /accounts/{id})", Method::GET, "/accounts/1".into());
    decoding.send_json::<Account, _>(move || Ok(request)).await.unwrap_err();
    let failing = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&failing).await;
    let hurried = Client::builder(failing.uri())
        .retry(RetryPolicy { max_retries: 3, initial_backoff: Duration::from_secs(5), max_backoff: Duration::from_secs(5) })
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap();
    hurried.execute(Request::of("getUser (GET /users/{id})", Method::GET, "/users/1".into())).await.unwrap_err();

    let events = events.lock().unwrap();
    let ours: Vec<&String> = events.iter().filter(|e| e.contains("operation=")).collect();
    assert_eq!(ours.len(), 7, "{events:?}");
    assert!(ours[0].contains("operation=\"listAccounts (GET /users/{id_user}/accounts)\""), "{}", ours[0]);
    assert!(ours[0].contains("attempt=0") && ours[0].contains("status=503"), "{}", ours[0]);
    assert!(ours[1].contains("message=retrying") && ours[1].contains("attempt=0") && ours[1].contains("wait_ms="), "{}", ours[1]);
    assert!(ours[2].contains("attempt=1") && ours[2].contains("status=200"), "{}", ours[2]);
    assert!(ours[3].contains("getAccount") && ours[3].contains("status=200"), "{}", ours[3]);
    assert!(ours[4].contains("message=response does not decode") && ours[4].contains("path=\"id\""), "{}", ours[4]);
    assert!(ours[5].contains("getUser") && ours[5].contains("status=503"), "{}", ours[5]);
    assert!(ours[6].contains("message=no retry: the deadline is too near") && ours[6].contains("wait_ms=5000"), "{}", ours[6]);
    for event in events.iter() {
        assert!(!event.contains(TOKEN) && !event.contains(PASSWORD), "a secret in {event}");
    }
}
