//! Conformance against Prism, the independent oracle: every operation of the
//! generated clients, called with valid arguments against `prism mock
//! --errors` started from the spec, must produce no request violation.
//!
//! Prism answers a request that breaks the spec (wrong path, missing or
//! mistyped parameter, body not matching the schema, missing token) with an
//! HTTP error (422, 400, 401, 404, 405): every `Error::Api` counts as a
//! request violation. A mock response our client cannot decode, or a status
//! it does not expect, fails too, unless `ALLOWED` lists it with a reason.
//!
//! The operations to call come from the spec (every operation but the
//! webview URL builders), not from the generated code, so an operation the
//! generator dropped is noticed. The same calls are also sent to a
//! recording server, and each request must match its own operation's method
//! and path template: a call that reached another operation fails.
//!
//! Prism comes from `PRISM_BIN` or `tools/node_modules/.bin/prism`, which
//! `cargo xtask test` installs. Without it the test fails and says so.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use client_runtime::mock::Operation;
use client_runtime::{Amount, Date, Error, FilePart, SqlDateTime};

const PRISM_HINT: &str = "run `cargo xtask test` (it installs Prism with \
     `npm install --prefix tools @stoplight/prism-cli@5.14.2`), or set PRISM_BIN";

fn prism_bin() -> PathBuf {
    let path = match std::env::var_os("PRISM_BIN") {
        Some(path) => PathBuf::from(path),
        None => xtask::root().join("tools/node_modules/.bin/prism"),
    };
    assert!(
        path.exists(),
        "Prism is not installed at {}: {PRISM_HINT}",
        path.display()
    );
    path
}

/// A `prism mock --errors` process on 127.0.0.1. It runs under `timeout 900`
/// so it stops by itself even if this process is killed; `Drop` stops it
/// sooner.
struct Prism {
    child: Child,
    base_url: String,
    log: PathBuf,
}

impl Prism {
    fn start(spec: &str) -> Prism {
        let prism = prism_bin();
        let root = xtask::root();
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
            listener.local_addr().unwrap().port()
        };
        let log = std::env::temp_dir().join(format!("prism-conformance-{port}.log"));
        let out = File::create(&log).expect("a log file");
        let child = Command::new("timeout")
            .arg("900")
            .arg(&prism)
            .args([
                "mock",
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "--errors",
                spec,
            ])
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot start {}: {error}; {PRISM_HINT}", prism.display())
            });
        let mut prism = Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log,
        };
        let address: SocketAddr = ([127, 0, 0, 1], port).into();
        let started = Instant::now();
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                break;
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                panic!(
                    "Prism exited ({status}) before listening:\n{}",
                    prism.log_tail()
                );
            }
            if started.elapsed() > Duration::from_secs(60) {
                panic!("Prism did not listen within 60 s:\n{}", prism.log_tail());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        prism
    }

    /// Fails with Prism's log when it died during the calls (it then
    /// refuses every later connection).
    fn assert_alive(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!(
                "Prism died during the calls ({status}):\n{}",
                self.log_tail()
            );
        }
    }

    fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = File::open(&self.log) {
            let _ = file.read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // SIGTERM to `timeout`, which forwards it to Prism; SIGKILL only if
        // that did not work.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                let _ = std::fs::remove_file(&self.log);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a list of calls hands each call to: conformance sends it
/// ([`Report`]), the mock round trip stubs its operation and then sends it
/// (`mocks::RoundTrip`). One list of calls serves both.
pub(crate) trait Calls {
    async fn call<O>(&mut self, name: &'static str, op: O)
    where
        O: Operation + Clone + Send + 'static,
        O::Output: Clone + PartialEq + std::fmt::Debug + Send;
}

impl Calls for Report {
    async fn call<O>(&mut self, name: &'static str, op: O)
    where
        O: Operation + Clone + Send + 'static,
        O::Output: Clone + PartialEq + std::fmt::Debug + Send,
    {
        let result = op.send().await;
        self.record(name, result);
    }
}

/// What the calls gave.
#[derive(Default)]
struct Report {
    called: Vec<&'static str>,
    violations: Vec<String>,
    decode_errors: Vec<String>,
    other_errors: Vec<String>,
}

impl Report {
    fn record<T>(&mut self, name: &'static str, result: Result<T, Error>) {
        self.called.push(name);
        match result {
            Ok(_) => {}
            Err(Error::Api(api)) => {
                self.violations
                    .push(format!("{name}: HTTP {}: {}", api.status, api.raw.trim()))
            }
            Err(error @ (Error::Decode { .. } | Error::UnexpectedStatus { .. })) => {
                let body = match &error {
                    Error::Decode { body, .. } | Error::UnexpectedStatus { body, .. } => {
                        body.clone()
                    }
                    _ => String::new(),
                };
                let body: String = body.chars().take(300).collect();
                self.decode_errors
                    .push(format!("{name}: {error}\n    body: {body}"));
            }
            Err(error) => self
                .other_errors
                .push(format!("{name}: {error} / {error:?}")),
        }
    }

    /// Prints the summary line and the details; returns the failures.
    /// `calls_file` is where the hand-written calls are, for the message.
    fn finish(&self, api: &str, expected: &BTreeMap<String, Route>, calls_file: &str) -> Vec<String> {
        let called: BTreeSet<String> = self.called.iter().map(|name| name.to_string()).collect();
        println!(
            "conformance: {} operations called against Prism, {} request violations, {} response \
             decode errors ({api}; webview operations are URL builders, not HTTP calls: not called)",
            self.called.len(),
            self.violations.len(),
            self.decode_errors.len()
        );
        for violation in &self.violations {
            println!("  request violation: {violation}");
        }
        for error in &self.decode_errors {
            println!("  response decode error: {error}");
        }
        for error in &self.other_errors {
            println!("  other error: {error}");
        }
        let mut failures = Vec::new();
        if self.called.len() != called.len() {
            failures.push("an operation was called twice in the list".to_owned());
        }
        let missing: Vec<&String> = expected.keys().filter(|name| !called.contains(*name)).collect();
        let unknown: Vec<_> = called.iter().filter(|name| !expected.contains_key(*name)).collect();
        if !missing.is_empty() {
            let example = missing[0];
            failures.push(format!(
                "operations of the spec not called: {missing:?}; add a call for each to {calls_file}, \
                 with its required arguments, e.g. `r.call(\"{example}\", c.{example}(..)).await;`"
            ));
        }
        if !unknown.is_empty() {
            failures.push(format!("called names that are not operations of the spec: {unknown:?}"));
        }
        if !self.violations.is_empty() {
            failures.push(format!("{} request violations", self.violations.len()));
        }
        for error in &self.decode_errors {
            let name = error.split(':').next().unwrap_or_default();
            if !ALLOWED.iter().any(|(allowed, _)| *allowed == name) {
                failures.push(format!("response not decoded: {error}"));
            }
        }
        for (allowed, reason) in ALLOWED {
            let listed = called.contains(*allowed);
            let failing = self.decode_errors.iter().any(|e| e.starts_with(&format!("{allowed}:")));
            if listed && !failing {
                failures.push(format!("`{allowed}` is allowed to fail ({reason}) but no longer does: remove it from ALLOWED"));
            }
        }
        if !self.other_errors.is_empty() {
            failures.push(format!(
                "{} transport or invalid-request errors",
                self.other_errors.len()
            ));
        }
        failures
    }
}

/// Responses that may fail to decode, each with why: a route Prism cannot
/// tell apart sends the response of another operation.
const ALLOWED: &[(&str, &str)] = &[(
    "get_bank_connection",
    "finAPI's page keeps both `/bankConnections/{id}` and the deprecated `/bankConnections/{ids}`; \
     Prism routes `GET /bankConnections/1` to the latter and answers a list",
)];

/// An operation's method and path template, from the spec.
#[derive(Debug, Clone)]
struct Route {
    method: String,
    path: String,
}

impl Route {
    /// Whether a request's method and path are this operation's: literal
    /// segments equal, `{param}` segments any non-empty value.
    fn matches(&self, method: &str, path: &str) -> bool {
        let template: Vec<&str> = self.path.trim_matches('/').split('/').collect();
        let actual: Vec<&str> = path.trim_matches('/').split('/').collect();
        method.eq_ignore_ascii_case(&self.method)
            && template.len() == actual.len()
            && template.iter().zip(&actual).all(|(t, a)| if t.starts_with('{') { !a.is_empty() } else { t == a })
    }
}

/// The operations of a spec the client calls over HTTP (webviews are URL
/// builders), by client method name.
fn spec_operations(spec: &str) -> BTreeMap<String, Route> {
    let text = std::fs::read_to_string(xtask::root().join(spec)).unwrap();
    operations_of(&text)
}

fn operations_of(text: &str) -> BTreeMap<String, Route> {
    let api = codegen::api(text).unwrap_or_else(|e| panic!("the spec does not generate: {e:?}"));
    api.operations
        .iter()
        .filter(|op| op.webview.is_none())
        .map(|op| (op.method_name.trim_start_matches("r#").to_owned(), Route { method: op.http_method.clone(), path: op.path.clone() }))
        .collect()
}

/// Sends the same calls to a server that records them, and checks that
/// each call's request is its own operation's (method and path template).
fn calls_reach_their_operations<F>(expected: &BTreeMap<String, Route>, calls: F) -> Vec<String>
where
    F: FnOnce(String) -> std::pin::Pin<Box<dyn std::future::Future<Output = Report>>>,
{
    use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        let report = calls(server.uri()).await;
        let received = server.received_requests().await.unwrap();
        if received.len() != report.called.len() {
            return vec![format!("{} calls sent {} requests: each call must send one", report.called.len(), received.len())];
        }
        let mut failures = Vec::new();
        for (name, request) in report.called.iter().zip(&received) {
            let (method, path) = (request.method.as_str(), request.url.path());
            match expected.get(*name) {
                Some(route) if route.matches(method, path) => {}
                Some(route) => failures.push(format!("`{name}` sent {method} {path}, not {} {}", route.method, route.path)),
                None => {}
            }
        }
        failures
    })
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

fn runtime_client(base_url: &str) -> client_runtime::Client {
    client_runtime::Client::builder(base_url)
        .bearer_token("conformance-token-0123456789")
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// The oracle is awake: requests that break the spec, sent through the
/// runtime by hand, are refused. Without this, a Prism that accepted
/// anything would make the conformance test pass vacuously.
async fn oracle_notices_violations(client: &powens::Client) {
    use client_runtime::{Method, Request};
    let mut bad_body = Request::new(
        Method::POST,
        "/users/me/accounts/1/recipients/2/transfers".to_owned(),
    );
    bad_body
        .json_body(&serde_json::json!({"label": 5}))
        .unwrap();
    let mut bad_query = Request::new(Method::GET, "/users/me/transactions".to_owned());
    bad_query.query("limit", "ten");
    let unknown_path = Request::new(Method::GET, "/users/me/no_such_thing".to_owned());
    for (what, request) in [
        ("a body missing `amount`", bad_body),
        ("a non-integer `limit`", bad_query),
        ("an unknown path", unknown_path),
    ] {
        match client.runtime().execute(request).await {
            Err(Error::Api(api)) => assert!(
                matches!(api.status, 400 | 404 | 422),
                "{what}: Prism answered {} {}",
                api.status,
                api.raw
            ),
            other => panic!("{what}: Prism did not refuse it: {other:?}"),
        }
    }
}

#[test]
fn powens_operations_conform_to_the_spec() {
    let expected = spec_operations("spec/powens.yaml");
    assert!(expected.len() > 150, "found only {} operations", expected.len());
    let calls_file = "tests/tests/it/conformance/powens_calls.rs (fn call_every_operation)";
    let mut prism = Prism::start("spec/powens.yaml");
    let client = powens::Client::from_runtime(runtime_client(&prism.base_url));
    let mut report = Report::default();
    block_on(powens_calls::call_every_operation(&client, &mut report));
    block_on(oracle_notices_violations(&client));
    prism.assert_alive();
    let mut failures = report.finish("spec/powens.yaml", &expected, calls_file);
    failures.extend(calls_reach_their_operations(&expected, |uri| {
        Box::pin(async move {
            let client = powens::Client::from_runtime(runtime_client(&uri));
            let mut report = Report::default();
            powens_calls::call_every_operation(&client, &mut report).await;
            report
        })
    }));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A maintainer adds an operation to the spec: the conformance test fails,
/// names the file to extend and shows the call to add (checked on a copy of
/// the spec, with the calls sent to a recording server instead of Prism).
#[test]
fn a_new_operation_in_the_spec_is_noticed_with_what_to_do() {
    let text = std::fs::read_to_string(xtask::root().join("spec/powens.yaml")).unwrap();
    let new_path = "  /users/{id_user}/piggy_banks:\n    get:\n      operationId: listPiggyBanks\n      tags: [accounts]\n      \
                    parameters:\n        - $ref: '#/components/parameters/IdUser'\n      responses:\n        '200':\n          \
                    description: OK\n";
    let edited = text.replacen("paths:\n", &format!("paths:\n{new_path}"), 1);
    let expected = operations_of(&edited);
    assert!(expected.contains_key("list_piggy_banks"));
    let report = block_on(async {
        use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        let client = powens::Client::from_runtime(runtime_client(&server.uri()));
        let mut report = Report::default();
        powens_calls::call_every_operation(&client, &mut report).await;
        report
    });
    let failures = report.finish("spec/powens.yaml", &expected, "tests/tests/it/conformance/powens_calls.rs (fn call_every_operation)");
    let message = failures.join("\n");
    assert!(message.contains("operations of the spec not called: [\"list_piggy_banks\"]"), "{message}");
    assert!(message.contains("tests/tests/it/conformance/powens_calls.rs"), "{message}");
    assert!(message.contains("r.call(\"list_piggy_banks\", c.list_piggy_banks(..)).await;"), "{message}");
}

/// Deprecated operations are still operations: they are called too.
#[test]
fn finapi_operations_conform_to_the_spec() {
    let expected = spec_operations("spec/finapi.yaml");
    assert_eq!(expected.len(), 8, "{expected:?}");
    let mut prism = Prism::start("spec/finapi.yaml");
    let client = finapi::Client::from_runtime(runtime_client(&prism.base_url));
    let mut report = Report::default();
    block_on(finapi_calls(&client, &mut report));
    prism.assert_alive();
    let mut failures = report.finish("spec/finapi.yaml", &expected, "tests/tests/it/conformance.rs (fn finapi_calls)");
    failures.extend(calls_reach_their_operations(&expected, |uri| {
        Box::pin(async move {
            let client = finapi::Client::from_runtime(runtime_client(&uri));
            let mut report = Report::default();
            finapi_calls(&client, &mut report).await;
            report
        })
    }));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[allow(deprecated)]
pub(crate) async fn finapi_calls(client: &finapi::Client, r: &mut impl Calls) {
    use finapi::models::{EditBankConnectionParams, ImportBankConnectionParams, UpdateBankConnectionParams};
    r.call("get_all_bank_connections", client.get_all_bank_connections().ids([1, 2, 3])).await;
    r.call("delete_all_bank_connections", client.delete_all_bank_connections()).await;
    let mut import = ImportBankConnectionParams::new(280_001);
    import.banking_user_id = Some("demo".into());
    import.banking_customer_id = Some("demo-customer".into());
    import.banking_pin = Some("demo-pin".into());
    import.store_pin = Some(true);
    import.name = Some("My bank".into());
    import.skip_positions_download = Some(false);
    r.call("import_bank_connection", client.import_bank_connection(import)).await;
    let mut update = UpdateBankConnectionParams::new(1);
    update.banking_pin = Some("demo-pin".into());
    update.import_new_accounts = Some(true);
    r.call("update_bank_connection", client.update_bank_connection(update)).await;
    r.call("get_bank_connection", client.get_bank_connection(1)).await;
    r.call("delete_bank_connection", client.delete_bank_connection(1)).await;
    let mut edit = EditBankConnectionParams::new();
    edit.name = Some("Renamed".into());
    edit.banking_user_id = Some("demo".into());
    r.call("edit_bank_connection", client.edit_bank_connection(1, edit)).await;
    // One id, the page's own example (`/api/v1/bankConnections/56`), and
    // last: Prism 5.14.2 crashes (TypeError `value.split is not a
    // function` in its `style/simple.js`) on a comma-separated array path
    // parameter such as `/bankConnections/1,2`, which is what the client
    // correctly sends for several ids (`style: simple`, see `wire`).
    r.call("get_multiple_bank_connections", client.get_multiple_bank_connections([56])).await;
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

fn datetime(text: &str) -> SqlDateTime {
    text.parse().unwrap()
}

fn amount(text: &str) -> Amount {
    text.parse().unwrap()
}

/// A string-keyed map; values may be plain strings or `Secret`s.
fn map<V: for<'a> From<&'a str>>(pairs: &[(&str, &str)]) -> BTreeMap<String, V> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), V::from(v)))
        .collect()
}

fn logo() -> FilePart {
    FilePart::new(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec())
        .file_name("logo.png")
        .content_type("image/png")
}

pub(crate) mod powens_calls;
