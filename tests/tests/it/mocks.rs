//! The typed mocks (`mock` feature of the generated crates).
//!
//! - Every operation of both crates: a random response made from the spec
//!   (every success status of the operation) is decoded by the client's own
//!   decoder into `send`'s output; that typed value is served by the
//!   operation's mock, stubbed with `matching` the very request the call
//!   list builds; the client's call must return the same value, the stub must
//!   have matched that one request, and a JSON body must read back typed.
//!   The calls are those of the conformance test (one list for both).
//! - The README's application test: the 202 add-connection flow and a
//!   transfer refused with `wrongpass`.

use std::fmt::Debug;

use client_runtime::mock::{Operation, Server};
use client_runtime::reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use client_runtime::Response;
use codegen::ir::{Api, ResponseContent};

use super::conformance::Calls;
use super::models::{api, seed, Instances};

/// Stubs each call's operation with a typed response, then makes the call.
struct RoundTrip<'a> {
    server: &'a Server,
    api: &'a Api,
    instances: Instances<'a>,
    called: Vec<String>,
    responses: usize,
    failures: Vec<String>,
}

impl Calls for RoundTrip<'_> {
    async fn call<O>(&mut self, op: O)
    where
        O: Operation + Clone + Send + 'static,
        O::Output: Clone + PartialEq + Debug + Send + super::conformance::Reencode,
    {
        let name = O::NAME;
        let Some(spec_op) = self.api.operations.iter().find(|spec_op| spec_op.operation_id == O::NAME) else {
            self.failures.push(format!("{name}: no operation `{name}` in the spec"));
            return;
        };
        self.called.push(O::NAME.to_owned());
        let listed: Vec<Option<u16>> = spec_op.responses.iter().map(|r| r.status).collect();
        // a `2XX` range stands for a status no other response claims (as the mock does)
        let free = (200..300).find(|s| !listed.contains(&Some(*s))).unwrap_or(299);
        let responses: Vec<(u16, &ResponseContent)> = if spec_op.responses.is_empty() {
            vec![(204, &ResponseContent::None)]
        } else {
            spec_op.responses.iter().map(|r| (r.status.unwrap_or(free), &r.content)).collect()
        };
        for (status, content) in responses {
            let mut headers = HeaderMap::new();
            let body: Vec<u8> = match content {
                ResponseContent::None => Vec::new(),
                ResponseContent::Json(t) => {
                    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    match self.instances.value(t, 0) {
                        Ok(json) => json.text().into_bytes(),
                        Err(_) => {
                            self.failures.push(format!("{name}: its response type has no JSON instance"));
                            continue;
                        }
                    }
                }
                ResponseContent::Text => "text, é€".as_bytes().to_vec(),
                ResponseContent::Bytes => vec![0, 1, 2, 255],
            };
            let text = String::from_utf8_lossy(&body).into_owned();
            let expected = match O::decode(Response::new(status, headers, body.into())) {
                Ok(expected) => expected,
                Err(error) => {
                    self.failures.push(format!("{name} ({status}): the instance does not decode: {error}\n  {text}"));
                    continue;
                }
            };
            self.server.wiremock().reset().await;
            let stub = self.server.stub::<O>().matching(op.clone()).respond(expected.clone()).mount().await;
            match op.clone().send().await {
                Ok(actual) if actual == expected => {}
                Ok(actual) => self.failures.push(format!("{name} ({status}): served {expected:?}\n  read back {actual:?}")),
                Err(error) => self.failures.push(format!("{name} ({status}): {error}")),
            }
            let calls = stub.calls().await;
            if calls != 1 {
                self.failures.push(format!("{name} ({status}): the stub matched {calls} requests, not 1"));
            }
            // a JSON body reads back typed (form and multipart bodies say they are not JSON)
            let sent_json = stub.requests().await.iter().any(|request| {
                request.headers.get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
            });
            match stub.bodies().await {
                Ok(bodies) if sent_json && bodies.len() != 1 => {
                    self.failures.push(format!("{name}: {} bodies read back, not 1", bodies.len()))
                }
                Err(error) if sent_json => {
                    self.failures.push(format!("{name}: the body it received does not read back: {error}"))
                }
                Ok(_) if !sent_json && calls > 0 => {
                    self.failures.push(format!("{name}: a body that is not JSON read back as JSON"))
                }
                _ => {}
            }
            self.responses += 1;
        }
    }
}

impl RoundTrip<'_> {
    /// Fails unless every operation of the spec (webviews are URLs, not
    /// requests) was called and round-tripped.
    fn finish(self, spec: &str, seed: u64) -> usize {
        let mut expected: Vec<&str> =
            self.api.operations.iter().filter(|op| op.webview.is_none()).map(|op| op.operation_id.as_str()).collect();
        expected.sort();
        let mut called: Vec<&str> = self.called.iter().map(String::as_str).collect();
        called.sort();
        called.dedup();
        // only the difference: a new operation's name, not two lists of 180
        let not_called: Vec<&&str> = expected.iter().filter(|op| !called.contains(op)).collect();
        let unknown: Vec<&&str> = called.iter().filter(|op| !expected.contains(op)).collect();
        assert!(
            not_called.is_empty() && unknown.is_empty(),
            "{spec}: operations whose mock was not exercised: {not_called:?} (each needs its call in the list the conformance test names); called but not in the spec: {unknown:?}"
        );
        assert!(self.failures.is_empty(), "{spec} (MODEL_SEED={seed}): {}", self.failures.join("\n"));
        self.responses
    }
}

#[tokio::test]
async fn every_powens_operation_has_a_mock_that_round_trips() {
    let api = api("spec/powens.yaml");
    let seed = seed();
    let server = powens::mock::MockServer::start().await;
    let client = server.client();
    let mut round_trip = RoundTrip {
        server: server.server(),
        api: &api,
        instances: Instances::new(&api, seed),
        called: Vec::new(),
        responses: 0,
        failures: Vec::new(),
    };
    super::conformance::powens_calls::call_every_operation(&client, &mut round_trip).await;
    let responses = round_trip.finish("spec/powens.yaml", seed);
    println!("spec/powens.yaml: {responses} typed responses served and read back (seed {seed})");
}

#[tokio::test]
async fn every_finapi_operation_has_a_mock_that_round_trips() {
    let api = api("spec/finapi.yaml");
    let seed = seed();
    let server = finapi::mock::MockServer::start().await;
    let client = server.client();
    let mut round_trip = RoundTrip {
        server: server.server(),
        api: &api,
        instances: Instances::new(&api, seed),
        called: Vec::new(),
        responses: 0,
        failures: Vec::new(),
    };
    super::conformance::finapi_calls(&client, &mut round_trip).await;
    let responses = round_trip.finish("spec/finapi.yaml", seed);
    println!("spec/finapi.yaml: {responses} typed responses served and read back (seed {seed})");
}

// The README's example, word for word between the markers.
// README-EXAMPLE-START
use powens::mock::MockServer;
use powens::models::{
    ApiErrorCode, Connection, ConnectionErrorCode, ConnectionRequest, ConnectionUpdateRequest,
    ExecuteTransferRequest, Field, FieldRequired, UserId,
};
use powens::operations::{CreateConnectionResponse, UpdateConnectionResponse};
use powens::Secret;

/// The application's code under test: adds a connection, asking the user
/// for what the bank wants (an SMS code) when it answers 202.
async fn add_bank(client: &powens::Client, ask_user: impl Fn(&str) -> String) -> Result<i64, powens::Error> {
    let request = ConnectionRequest::new().with_id_connector(40);
    match client.create_connection(UserId::Me, request).send().await? {
        CreateConnectionResponse::Ok(connection) => Ok(connection.id),
        CreateConnectionResponse::Accepted(pending) => {
            let mut answer = ConnectionUpdateRequest::new();
            for field in pending.fields.iter().flatten() {
                answer.additional_properties.insert(field.name.clone(), Secret::new(ask_user(&field.label)));
            }
            match client.update_connection(UserId::Me, pending.id).body(answer).send().await? {
                UpdateConnectionResponse::Ok(done) | UpdateConnectionResponse::Accepted(done) => Ok(done.id),
            }
        }
    }
}

#[tokio::test]
async fn the_app_asks_for_the_sms_code_and_reports_a_wrong_password() {
    let server = MockServer::start().await;

    // The bank wants an SMS code: 202 with the field to fill...
    let mut pending = Connection::new(7);
    pending.error = Some(ConnectionErrorCode::AdditionalInformationNeeded);
    pending.fields = Some(vec![Field::new(FieldRequired { label: "Code received by SMS".into(), name: "otp".into() })]);
    server.create_connection().respond(CreateConnectionResponse::Accepted(pending)).mount().await;
    // ...then takes it, on that connection only.
    let answered = server
        .update_connection()
        .matching(server.client().update_connection(UserId::Me, 7))
        .respond(UpdateConnectionResponse::Ok(Connection::new(7)))
        .mount()
        .await;

    let id = add_bank(&server.client(), |label| {
        assert_eq!(label, "Code received by SMS");
        "123456".to_owned()
    })
    .await
    .unwrap();
    assert_eq!(id, 7);
    let sent = answered.bodies().await.unwrap();
    assert_eq!(sent[0].additional_properties["otp"].expose(), "123456");

    // A transfer refused: the API's error code reaches the application typed.
    server.execute_transfer().respond_error(400, ApiErrorCode::Wrongpass, "Wrong password").mount().await;
    let error = server
        .client()
        .execute_transfer(UserId::Me, 3, ExecuteTransferRequest::new(true).with_password("not-it"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.api_code_as(), Some(ApiErrorCode::Wrongpass));
}
// README-EXAMPLE-END

/// The README shows the example above as it is here.
#[test]
fn the_readme_shows_the_mock_example_as_tested() {
    let this = std::fs::read_to_string(xtask::root().join("tests/tests/it/mocks.rs")).unwrap();
    let start = this.find("// README-EXAMPLE-START\n").unwrap() + "// README-EXAMPLE-START\n".len();
    let end = this.find("// README-EXAMPLE-END").unwrap();
    let example = &this[start..end];
    let readme = std::fs::read_to_string(xtask::root().join("README.md")).unwrap();
    assert!(readme.contains(example), "README.md must show tests/tests/it/mocks.rs's example, word for word:\n{example}");
}

/// A delay, a sequence and a raw body: what applications test their
/// timeouts, polling and error handling with.
#[tokio::test]
async fn delays_sequences_and_raw_bodies() {
    use std::time::Duration;
    let server = MockServer::start().await;
    // 202 then 200 from one stub
    let mut pending = Connection::new(9);
    pending.error = Some(ConnectionErrorCode::AdditionalInformationNeeded);
    server
        .update_connection()
        .respond(UpdateConnectionResponse::Accepted(pending.clone()))
        .respond(UpdateConnectionResponse::Ok(Connection::new(9)))
        .mount()
        .await;
    let client = server.client();
    let first = client.update_connection(UserId::Me, 9).send().await.unwrap();
    let second = client.update_connection(UserId::Me, 9).send().await.unwrap();
    assert!(matches!(first, UpdateConnectionResponse::Accepted(_)), "{first:?}");
    assert!(matches!(second, UpdateConnectionResponse::Ok(_)), "{second:?}");

    // a delay beyond the client's timeout
    server.get_connection().delay(Duration::from_millis(500)).respond(Connection::new(1)).mount().await;
    let impatient = server.client_builder().timeout(Duration::from_millis(50)).build().unwrap();
    let error = impatient.get_connection(UserId::Me, 1).send().await.unwrap_err();
    assert!(matches!(error, powens::Error::Timeout { .. }), "{error:?}");

    // an HTML error page from a proxy
    server.list_accounts().respond_raw(502, "text/html", "<html>Bad gateway</html>").mount().await;
    let error = client.list_accounts(UserId::Me).send().await.unwrap_err();
    assert_eq!(error.status(), Some(502));
}

/// `matching` tells requests apart by what the builder set: path
/// parameters, query parameters (others may be added), the body; a request
/// that matches no stub gets a 404 that says so.
#[tokio::test]
async fn matching_tells_requests_apart() {
    use powens::models::CreateTransferRequest;
    let server = MockServer::start().await;
    let client = server.client();
    let listed = server
        .list_accounts()
        .matching(client.list_accounts(UserId::Id(7)).limit(5))
        .respond(powens::models::AccountsList::new(Vec::new()))
        .mount()
        .await;
    assert!(client.list_accounts(UserId::Id(7)).limit(5).offset(10).send().await.is_ok(), "more query parameters still match");
    for other in [client.list_accounts(UserId::Id(7)).limit(6), client.list_accounts(UserId::Id(8)).limit(5), client.list_accounts(UserId::Me)] {
        let error = other.send().await.expect_err("another request does not match");
        assert_eq!(error.status(), Some(404), "{error}");
        assert_eq!(error.api_code(), Some(client_runtime::mock::NO_STUB), "{error}");
    }
    assert_eq!(listed.calls().await, 1);

    let body = |label: &str| CreateTransferRequest::new("10.50".parse().unwrap(), label);
    let created = server
        .create_transfer()
        .matching(client.create_transfer(UserId::Me, 1, 2, body("Rent")))
        .respond_error(409, "duplicate", "already there")
        .mount()
        .await;
    let same = client.create_transfer(UserId::Me, 1, 2, body("Rent")).send().await.unwrap_err();
    assert_eq!(same.api_code(), Some("duplicate"));
    let other = client.create_transfer(UserId::Me, 1, 2, body("Food")).send().await.unwrap_err();
    assert_eq!(other.status(), Some(404), "another body does not match");
    assert_eq!(created.bodies().await.unwrap()[0].label, "Rent");
}

/// An operation with no stub reads as such, not as the API's own 404: the
/// error names the operation, says no stub answered, and which have one.
#[tokio::test]
async fn a_request_no_stub_answers_says_so() {
    let server = MockServer::start().await;
    let client = server.client();
    let nothing = client.list_accounts(UserId::Me).send().await.unwrap_err();
    assert_eq!(nothing.api_code(), Some(client_runtime::mock::NO_STUB), "{nothing}");
    assert!(nothing.to_string().contains("operations with a stub: none"), "{nothing}");
    server.list_accounts().respond(powens::models::AccountsList::new(Vec::new())).mount().await;
    server.list_connections().respond(powens::models::ConnectionsList::new(Vec::new())).mount().await;
    let body = powens::models::ExecuteTransferRequest::new(true);
    let error = client.execute_transfer(UserId::Me, 3, body).send().await.unwrap_err();
    let shown = error.to_string();
    assert_eq!(error.status(), Some(404), "{shown}");
    assert!(shown.starts_with("executeTransfer (POST "), "{shown}");
    assert!(shown.contains("noStub: no stub answers POST"), "{shown}");
    assert!(shown.contains("operations with a stub: listAccounts, listConnections"), "{shown}");
}

/// An operation written by hand as the generator writes them, for what the
/// two specs do not have: a header parameter, a path segment with text
/// around its parameter, a body of any content type.
struct Report {
    client: client_runtime::Client,
    id: &'static str,
    header: Option<&'static str>,
    body: Option<(&'static str, &'static str)>,
}

impl Report {
    fn new(server: &Server, id: &'static str) -> Report {
        let client = client_runtime::Client::builder(server.uri()).build().unwrap();
        Report { client, id, header: None, body: None }
    }
    fn header(mut self, value: &'static str) -> Report {
        self.header = Some(value);
        self
    }
    fn body(mut self, content_type: &'static str, text: &'static str) -> Report {
        self.body = Some((content_type, text));
        self
    }
}

impl Operation for Report {
    type Output = ();
    type Body = serde_json::Value;
    const NAME: &'static str = "putReport";
    const METHOD: client_runtime::Method = client_runtime::Method::PUT;
    const PATH: &'static str = "/reports/{id}.pdf";
    fn build_request(&self) -> Result<client_runtime::Request, client_runtime::Error> {
        let path = format!("/reports/{}.pdf", client_runtime::path_segment("id", self.id)?);
        let mut request = client_runtime::Request::of("putReport (PUT /reports/{id}.pdf)", Self::METHOD, path);
        if let Some(value) = self.header {
            request.header("x-trace", value);
        }
        if let Some((content_type, text)) = self.body {
            request.bytes_body(content_type, text);
        }
        Ok(request)
    }
    fn send(self) -> impl client_runtime::ResponseFuture<()> {
        let request = self.build_request();
        self.client.send(move || request)
    }
    fn reply(_: &()) -> client_runtime::mock::Reply {
        client_runtime::mock::Reply::empty(204)
    }
    fn decode(response: Response) -> Result<(), client_runtime::Error> {
        client_runtime::FromResponse::from_response(response)
    }
}

/// Sends `PUT <path>` with a body, as any HTTP client may: the status.
async fn put(server: &Server, path: &str, header: Option<&str>, body: Option<(&str, &str)>) -> u16 {
    let mut request = client_runtime::reqwest::Client::new().put(format!("{}{path}", server.uri()));
    if let Some(value) = header {
        request = request.header("x-trace", value);
    }
    if let Some((content_type, text)) = body {
        request = request.header(CONTENT_TYPE, content_type).body(text.to_owned());
    }
    request.send().await.unwrap().status().as_u16()
}

/// What `matching` compares, each on its own: the path (with text around a
/// parameter), the headers the builder sets, and the body by its content
/// type (JSON as values, forms as pairs in any order, anything else byte for
/// byte); a stub that takes any request of its operation still checks the
/// path template. Each stub counts what it matched.
#[tokio::test]
async fn matching_compares_paths_headers_and_bodies_as_their_kind() {
    const JSON: &str = "application/json";
    const FORM: &str = "application/x-www-form-urlencoded";
    let server = Server::start().await;
    let any = server.stub::<Report>().reply(client_runtime::mock::Reply::empty(202)).mount().await;
    for (path, status) in [("/reports/7.pdf", 202), ("/reports/.pdf", 404), ("/reports/7.txt", 404), ("/reports/7.pdf/x", 404), ("/reports", 404)] {
        assert_eq!(put(&server, path, None, None).await, status, "{path}");
    }
    assert_eq!(any.calls().await, 1);

    let traced = server.stub::<Report>().matching(Report::new(&server, "1").header("abc")).respond(()).mount().await;
    assert_eq!(put(&server, "/reports/1.pdf", Some("abc"), None).await, 204);
    assert_eq!(put(&server, "/reports/1.pdf", Some("abd"), None).await, 202, "another header value: the catch-all");
    assert_eq!(put(&server, "/reports/1.pdf", None, None).await, 202, "no header: the catch-all");
    assert!(Report::new(&server, "1").header("abc").send().await.is_ok());
    assert_eq!(traced.calls().await, 2);

    let json = server.stub::<Report>().matching(Report::new(&server, "2").body(JSON, r#"{"a":1,"b":[true]}"#)).respond(()).mount().await;
    assert_eq!(put(&server, "/reports/2.pdf", None, Some((JSON, r#"{ "b": [ true ], "a": 1 }"#))).await, 204, "same JSON value");
    assert_eq!(put(&server, "/reports/2.pdf", None, Some((JSON, r#"{"a":1,"b":[false]}"#))).await, 202);
    assert_eq!(json.bodies().await.unwrap(), vec![serde_json::json!({"a": 1, "b": [true]})]);

    let form = server.stub::<Report>().matching(Report::new(&server, "3").body(FORM, "a=1&b=x+y")).respond(()).mount().await;
    assert_eq!(put(&server, "/reports/3.pdf", None, Some((FORM, "b=x%20y&a=1"))).await, 204, "same pairs");
    assert_eq!(put(&server, "/reports/3.pdf", None, Some((FORM, "a=1&b=x+z"))).await, 202);
    assert_eq!(put(&server, "/reports/3.pdf", None, Some((FORM, "a=1"))).await, 202);
    assert!(form.bodies().await.is_err(), "a form body is not read as JSON");

    let text = server.stub::<Report>().matching(Report::new(&server, "4").body("text/plain", "a=1&b=2")).respond(()).mount().await;
    assert_eq!(put(&server, "/reports/4.pdf", None, Some(("text/plain", "a=1&b=2"))).await, 204);
    assert_eq!(put(&server, "/reports/4.pdf", None, Some(("text/plain", "b=2&a=1"))).await, 202, "other bytes");
    assert_eq!((json.calls().await, form.calls().await, text.calls().await), (1, 1, 1));
}

/// Answers given in turn are served in turn, the last one from then on.
#[tokio::test]
async fn answers_are_served_in_turn_then_the_last_one() {
    use client_runtime::mock::Reply;
    let server = Server::start().await;
    let stub = server.stub::<Report>().reply(Reply::empty(201)).reply(Reply::empty(202)).reply(Reply::empty(203)).mount().await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(put(&server, "/reports/1.pdf", None, None).await);
    }
    assert_eq!(statuses, [201, 202, 203, 203, 203]);
    assert_eq!(stub.calls().await, 5);
}
