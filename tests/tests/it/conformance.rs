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
//! The operations to call come from a plain YAML walk of the spec (every
//! operation but the webview URL builders, `x-webview`), not from the
//! generator, so an operation the generator dropped is noticed; each call
//! is recorded under its operation's own `Operation::NAME`, not a name
//! written by hand. An operation with no call is reported first and alone,
//! before Prism starts: the file to extend and a line to paste. The same
//! calls are also sent to a recording server, and each request must route,
//! by the most specific path template (a literal segment beats a
//! `{param}`, as `/connectors/status` beats `/connectors/{id_connector}`),
//! to its own operation: a call that reached another operation fails.
//!
//! Prism comes from `PRISM_BIN` or `tools/node_modules/.bin/prism`, which
//! `cargo xtask test` installs, and so does the first test that needs it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use client_runtime::mock::Operation;
use client_runtime::{Amount, Date, Error, FilePart, SqlDateTime};

/// Prism: `PRISM_BIN`, or `tools/node_modules/.bin/prism`, installed there
/// from npm on first use (as `cargo xtask test` does), so that the narrow
/// command of CONVENTIONS' checklist passes on a fresh clone too.
fn prism_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("PRISM_BIN") {
        let path = PathBuf::from(path);
        assert!(path.exists(), "PRISM_BIN is {}, which does not exist", path.display());
        return path;
    }
    // one install at a time: the Powens and finAPI tests run side by side
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = INSTALL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let root = xtask::root();
    if !xtask::prism_path(&root).exists() {
        eprintln!("installing Prism {} into tools/ (first use)", xtask::PRISM_VERSION);
    }
    xtask::install_prism(&root).unwrap_or_else(|error| panic!("Prism is needed and could not be installed: {error}"))
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
        // Prism picks the port (`-p 0`) and says which in its log: no port
        // is chosen here, bound, dropped and then taken by someone else
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let log = std::env::temp_dir().join(format!("prism-conformance-{}-{n}.log", std::process::id()));
        let out = File::create(&log).expect("a log file");
        let child = Command::new("timeout")
            .arg("900")
            .arg(&prism)
            .args(["mock", "-h", "127.0.0.1", "-p", "0", "--errors", spec])
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot start {}: {error}", prism.display())
            });
        let mut prism = Prism { child, base_url: String::new(), log };
        let started = Instant::now();
        const LISTENING: &str = "Prism is listening on ";
        loop {
            let mut text = String::new();
            if let Ok(mut file) = File::open(&prism.log) {
                let _ = file.read_to_string(&mut text);
            }
            let url = text.lines().find_map(|line| line.split_once(LISTENING)).map(|(_, url)| url.trim().to_owned());
            if let Some(url) = url {
                let address: SocketAddr = url.trim_start_matches("http://").parse().unwrap_or_else(|_| panic!("Prism's address: {url}"));
                if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                    prism.base_url = url;
                    break;
                }
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
/// (`mocks::RoundTrip`), [`Names`] only notes which operation it is. One
/// list of calls serves all three; each call is known by `O::NAME`.
pub(crate) trait Calls {
    async fn call<O>(&mut self, op: O)
    where
        O: Operation + Clone + Send + 'static,
        O::Output: Clone + PartialEq + std::fmt::Debug + Send + Reencode;
}

/// An operation's output as the JSON text serde_json makes of it, or `None`
/// for an output without serde impls (an enum of success statuses). The
/// impls, one per output type of the generated crates, are written by
/// `tests/build.rs` from their `Operation` impls.
pub(crate) trait Reencode {
    fn reencode(&self) -> Option<String>;
}

include!(concat!(env!("OUT_DIR"), "/outputs.rs"));

impl Calls for Report {
    async fn call<O>(&mut self, op: O)
    where
        O: Operation + Clone + Send + 'static,
        O::Output: Clone + PartialEq + std::fmt::Debug + Send + Reencode,
    {
        let result = op.send().await;
        self.record(O::NAME, result);
    }
}

/// The operations a list of calls calls, by `Operation::NAME`, in order;
/// nothing is sent.
#[derive(Default)]
pub(crate) struct Names(pub(crate) Vec<&'static str>);

impl Calls for Names {
    async fn call<O>(&mut self, _op: O)
    where
        O: Operation + Clone + Send + 'static,
        O::Output: Clone + PartialEq + std::fmt::Debug + Send + Reencode,
    {
        self.0.push(O::NAME);
    }
}

/// A list of calls with the calls of some operations left out (what a
/// list looks like when the spec has an operation the list lacks).
struct Without<'a, C> {
    inner: &'a mut C,
    left_out: &'a [&'a str],
}

impl<C: Calls> Calls for Without<'_, C> {
    async fn call<O>(&mut self, op: O)
    where
        O: Operation + Clone + Send + 'static,
        O::Output: Clone + PartialEq + std::fmt::Debug + Send + Reencode,
    {
        if !self.left_out.contains(&O::NAME) {
            self.inner.call(op).await;
        }
    }
}

/// Where a spec's calls are written, for the messages.
struct CallsFile {
    /// The file and function.
    place: &'static str,
    /// How the function names the client (`c`, `client`).
    client: &'static str,
}

const POWENS_CALLS: CallsFile =
    CallsFile { place: "tests/tests/it/conformance/powens_calls.rs (fn call_every_operation, or the function of the operation's tag)", client: "c" };
const FINAPI_CALLS: CallsFile = CallsFile { place: "tests/tests/it/conformance.rs (fn finapi_calls)", client: "client" };

/// The first check, and the only one reported when it fails: every
/// operation of the spec has a call, no call is twice or of an operation
/// the spec does not have. Its message is the file to extend and, per
/// missing operation, a line to paste (in the file's style) with its
/// required arguments to fill in.
fn missing_calls(expected: &BTreeMap<String, SpecOperation>, names: &Names, file: &CallsFile) -> Option<String> {
    let called: BTreeSet<&str> = names.0.iter().copied().collect();
    let mut problems = Vec::new();
    let missing: Vec<&SpecOperation> = expected.values().filter(|op| !called.contains(op.id.as_str())).collect();
    if !missing.is_empty() {
        let lines: Vec<String> = missing.iter().map(|op| format!("    {}", op.paste_line(file.client))).collect();
        problems.push(format!(
            "{} operation(s) of the spec have no conformance call ({}); add to {}:\n{}",
            missing.len(),
            missing.iter().map(|op| format!("{} {} {}", op.id, op.method, op.path)).collect::<Vec<_>>().join(", "),
            file.place,
            lines.join("\n")
        ));
    }
    let mut twice: Vec<&str> = names.0.iter().copied().filter(|name| names.0.iter().filter(|n| *n == name).count() > 1).collect();
    twice.dedup();
    if !twice.is_empty() {
        problems.push(format!("operations called more than once in {}: {twice:?}", file.place));
    }
    let unknown: Vec<&&str> = called.iter().filter(|name| !expected.contains_key(**name)).collect();
    if !unknown.is_empty() {
        problems.push(format!("calls of operations the spec does not have (or marks x-webview), in {}: {unknown:?}", file.place));
    }
    (!problems.is_empty()).then(|| problems.join("\n"))
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
    /// (That every operation was called is checked before, alone:
    /// [`missing_calls`].)
    fn finish(&self, api: &str) -> Vec<String> {
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
    "getBankConnection",
    "finAPI's page keeps both `/bankConnections/{id}` and the deprecated `/bankConnections/{ids}`; \
     Prism routes `GET /bankConnections/1` to the latter and answers a list",
)];

/// An operation of the spec, read by a plain YAML walk (not the
/// generator): its `operationId`, method and path template, and what a
/// call of it needs.
#[derive(Debug, Clone)]
pub(crate) struct SpecOperation {
    id: String,
    method: String,
    path: String,
    /// The required arguments' placeholders, in the client's order: path
    /// parameters in URL order, required query and header parameters, a
    /// required body.
    arguments: Vec<String>,
}

impl SpecOperation {
    /// The line to add to a list of calls, in its style:
    /// `r.call(c.get_connection(ME, 1)).await;`.
    fn paste_line(&self, client: &str) -> String {
        format!("r.call({}).await;", self.call_text(client))
    }

    /// The call itself, `c.get_connection(ME, 1)`, for other lists of
    /// calls (`wire::examples`).
    pub(crate) fn call_text(&self, client: &str) -> String {
        format!("{client}.{}({})", snake_case(&self.id), self.arguments.join(", "))
    }

    /// Whether a request's method and path fit this template: literal
    /// segments equal, a `{param}` segment any non-empty value.
    fn fits(&self, method: &str, path: &str) -> bool {
        let template: Vec<&str> = self.path.trim_matches('/').split('/').collect();
        let actual: Vec<&str> = path.trim_matches('/').split('/').collect();
        method.eq_ignore_ascii_case(&self.method)
            && template.len() == actual.len()
            && template.iter().zip(&actual).all(|(t, a)| if is_param(t) { !a.is_empty() } else { t == a })
    }

    /// Which segments are literal, first to last: compared, a literal
    /// segment where the other template has a `{param}` is more specific.
    fn specificity(&self) -> Vec<bool> {
        self.path.trim_matches('/').split('/').map(|segment| !is_param(segment)).collect()
    }
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// `getConnectorsStatus` -> `get_connectors_status`: how the generated
/// client names an operation's method (a maintainer checks the paste).
fn snake_case(id: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = id.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let after_lower = i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let acronym_end = i > 0 && chars[i - 1].is_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if after_lower || acronym_end {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else if *c == '-' || *c == ' ' {
            out.push('_');
        } else {
            out.push(*c);
        }
    }
    out
}

/// The operations (method and template) a request routes to: of those it
/// fits, the most specific ones (more than one only when two templates
/// differ by their parameters' names alone).
fn routes_of<'a>(operations: &'a BTreeMap<String, SpecOperation>, method: &str, path: &str) -> Vec<&'a SpecOperation> {
    let fitting: Vec<&SpecOperation> = operations.values().filter(|op| op.fits(method, path)).collect();
    let best = fitting.iter().map(|op| op.specificity()).max();
    fitting.into_iter().filter(|op| Some(op.specificity()) == best).collect()
}

/// The operations of a spec the client calls over HTTP (webviews,
/// `x-webview`, are URL builders), by `operationId`.
pub(crate) fn spec_operations(spec: &str) -> BTreeMap<String, SpecOperation> {
    let text = std::fs::read_to_string(xtask::root().join(spec)).unwrap();
    operations_of(&text)
}

/// The YAML walk: `paths`, their methods, `operationId`, and the
/// parameters (path-level and operation-level, local `$ref`s followed).
fn operations_of(text: &str) -> BTreeMap<String, SpecOperation> {
    use serde_yaml::Value;
    let spec: Value = serde_yaml::from_str(text).expect("the spec is YAML");
    let resolve = |value: &Value| -> Value {
        let mut value = value.clone();
        for _ in 0..10 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else { break };
            let pointer = reference.strip_prefix("#/").unwrap_or_else(|| panic!("a local $ref: {reference}"));
            let mut target = &spec;
            for key in pointer.split('/') {
                target = &target[key.replace("~1", "/").replace("~0", "~").as_str()];
            }
            value = target.clone();
        }
        value
    };
    let mut operations = BTreeMap::new();
    for (path, item) in spec["paths"].as_mapping().expect("paths") {
        let path = path.as_str().expect("a path");
        for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
            let Some(operation) = item.get(method) else { continue };
            if operation.get("x-webview").is_some() {
                continue;
            }
            let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path}: no operationId")).to_owned();
            // operation-level parameters override path-level ones of the same name and place
            let mut parameters: Vec<Value> = Vec::new();
            for parameter in item.get("parameters").into_iter().chain(operation.get("parameters")).flat_map(|list| list.as_sequence().cloned().unwrap_or_default()) {
                let parameter = resolve(&parameter);
                parameters.retain(|p| !(p["name"] == parameter["name"] && p["in"] == parameter["in"]));
                parameters.push(parameter);
            }
            let placeholder = |parameter: &Value| -> String {
                let name = parameter["name"].as_str().unwrap_or_default();
                let schema = resolve(&parameter["schema"]);
                match (name, schema["type"].as_str()) {
                    ("id_user", _) => "ME".to_owned(),
                    (_, Some("integer")) => "1".to_owned(),
                    (_, Some("string")) => "\"x\"".to_owned(),
                    (_, Some("boolean")) => "true".to_owned(),
                    _ => format!("todo!(\"{name}\")"),
                }
            };
            let mut arguments = Vec::new();
            for segment in path.trim_matches('/').split('/').filter(|segment| is_param(segment)) {
                let name = &segment[1..segment.len() - 1];
                match parameters.iter().find(|p| p["in"] == "path" && p["name"] == name) {
                    Some(parameter) => arguments.push(placeholder(parameter)),
                    None => arguments.push(format!("todo!(\"{name}\")")),
                }
            }
            for place in ["query", "header"] {
                for parameter in parameters.iter().filter(|p| p["in"] == place && p["required"] == true) {
                    arguments.push(placeholder(parameter));
                }
            }
            if resolve(&operation["requestBody"])["required"] == true {
                arguments.push("todo!(\"the request body\")".to_owned());
            }
            let previous = operations.insert(
                id.clone(),
                SpecOperation { id: id.clone(), method: method.to_uppercase(), path: path.to_owned(), arguments },
            );
            assert!(previous.is_none(), "operationId {id} is used twice");
        }
    }
    operations
}

/// Sends the same calls to a server that records them, and checks that
/// each call's request routes to its own operation (method and most
/// specific path template).
fn calls_reach_their_operations<F>(expected: &BTreeMap<String, SpecOperation>, calls: F) -> Vec<String>
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
            let routes = routes_of(expected, method, path);
            // two templates that differ only by their parameters' names
            // (finAPI's `/bankConnections/{id}` and `/{ids}`) cannot be told
            // apart by any router: either is this call's
            let shape = |op: &SpecOperation| op.path.split('/').map(|s| if is_param(s) { "{}" } else { s }).collect::<Vec<_>>().join("/");
            let one_shape = routes.iter().all(|route| shape(route) == shape(routes[0]));
            if !(one_shape && routes.iter().any(|route| route.id == *name)) {
                let reached: Vec<String> = routes.iter().map(|route| format!("{} ({} {})", route.id, route.method, route.path)).collect();
                let own = expected.get(*name).map(|op| format!("{} {}", op.method, op.path)).unwrap_or_default();
                failures.push(format!("`{name}` ({own}) sent {method} {path}, which routes to {reached:?}"));
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
    // first, and alone: an operation with no call
    let mut names = Names::default();
    block_on(powens_calls::call_every_operation(&unused_client(), &mut names));
    if let Some(message) = missing_calls(&expected, &names, &POWENS_CALLS) {
        panic!("{message}");
    }
    assert_eq!(names.0.len(), expected.len());
    let mut prism = Prism::start("spec/powens.yaml");
    let client = powens::Client::from_runtime(runtime_client(&prism.base_url));
    let mut report = Report::default();
    block_on(powens_calls::call_every_operation(&client, &mut report));
    block_on(oracle_notices_violations(&client));
    prism.assert_alive();
    let mut failures = report.finish("spec/powens.yaml");
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

/// A client for lists of calls that send nothing ([`Names`]).
fn unused_client() -> powens::Client {
    powens::Client::from_runtime(runtime_client("http://127.0.0.1:9"))
}

/// A maintainer adds an operation to the spec: the conformance test fails
/// first with only that, naming the file to extend and the line to paste.
/// Shown with operations the spec has, their calls left out of the list
/// (so no name here is foreign to the spec, and an operation the
/// maintainer really added shows beside them, not instead).
#[test]
fn a_new_operation_in_the_spec_is_noticed_with_what_to_do() {
    let expected = spec_operations("spec/powens.yaml");
    // what the list misses already (an operation just added to the spec,
    // which `powens_operations_conform_to_the_spec` reports) is counted
    // beside the three left out here, so this test does not fail for it
    let mut all = Names::default();
    block_on(powens_calls::call_every_operation(&unused_client(), &mut all));
    let already = missing_calls(&expected, &all, &POWENS_CALLS).map_or(0, |m| m.lines().count() - 1);
    let left_out = ["getConnection", "getConnectorsStatus", "createToken"];
    let mut names = Names::default();
    let mut without = Without { inner: &mut names, left_out: &left_out };
    block_on(powens_calls::call_every_operation(&unused_client(), &mut without));
    let message = missing_calls(&expected, &names, &POWENS_CALLS).expect("the missing calls are reported");
    let first = message.lines().next().unwrap();
    assert!(first.starts_with(&format!("{} operation(s) of the spec have no conformance call", 3 + already)), "{message}");
    assert!(first.contains("tests/tests/it/conformance/powens_calls.rs"), "{message}");
    // a line per operation, in the file's style, with its required arguments
    for line in [
        "    r.call(c.get_connection(ME, 1)).await;",
        "    r.call(c.get_connectors_status()).await;",
        "    r.call(c.create_token(todo!(\"the request body\"))).await;",
    ] {
        assert!(message.lines().any(|l| l == line), "no line `{line}` in:\n{message}");
    }
    // and nothing else: no response, no violation, no other operation
    assert_eq!(message.lines().count(), 4 + already, "{message}");
    // the lines are in the style of the list (the source compiled here)
    let source = include_str!("conformance/powens_calls.rs");
    assert!(source.contains("r.call(c.get_connectors_status()).await;"), "the paste style is the file's");
}

/// The four Powens pairs whose templates differ by a literal segment
/// against a `{param}` route to the right operation; a request with a
/// literal where the template has one goes to that template.
#[test]
fn requests_route_to_the_most_specific_template() {
    let operations = spec_operations("spec/powens.yaml");
    let route = |method: &str, path: &str| -> Vec<String> {
        routes_of(&operations, method, path).into_iter().map(|op| op.id.clone()).collect()
    };
    for (method, path, id) in [
        ("GET", "/connectors/status", "getConnectorsStatus"),
        ("GET", "/connectors/40", "getConnector"),
        ("GET", "/users/me/profiles/main", "getMainProfile"),
        ("GET", "/users/me/profiles/3", "getProfile"),
        ("DELETE", "/webhooks/auth", "deleteWebhookAuthProviders"),
        ("DELETE", "/webhooks/3", "deleteWebhook"),
        ("POST", "/webhooks/auth", "createWebhookAuthProvider"),
        ("POST", "/webhooks/3", "updateWebhook"),
    ] {
        assert_eq!(route(method, path), [id], "{method} {path}");
    }
    assert!(route("GET", "/no/such/path").is_empty());
    assert_eq!(snake_case("getConnectorsStatus"), "get_connectors_status");
    assert_eq!(snake_case("createUserJWT"), "create_user_jwt");
}

/// Deprecated operations are still operations: they are called too.
#[test]
fn finapi_operations_conform_to_the_spec() {
    let expected = spec_operations("spec/finapi.yaml");
    let mut names = Names::default();
    block_on(finapi_calls(&finapi::Client::from_runtime(runtime_client("http://127.0.0.1:9")), &mut names));
    if let Some(message) = missing_calls(&expected, &names, &FINAPI_CALLS) {
        panic!("{message}");
    }
    assert_eq!(names.0.len(), expected.len());
    let mut prism = Prism::start("spec/finapi.yaml");
    let client = finapi::Client::from_runtime(runtime_client(&prism.base_url));
    let mut report = Report::default();
    block_on(finapi_calls(&client, &mut report));
    prism.assert_alive();
    let mut failures = report.finish("spec/finapi.yaml");
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
    r.call(client.get_all_bank_connections().ids([1, 2, 3])).await;
    r.call(client.delete_all_bank_connections()).await;
    let mut import = ImportBankConnectionParams::new(280_001);
    import.banking_user_id = Some("demo".into());
    import.banking_customer_id = Some("demo-customer".into());
    import.banking_pin = Some("demo-pin".into());
    import.store_pin = Some(true);
    import.name = Some("My bank".into());
    import.skip_positions_download = Some(false);
    r.call(client.import_bank_connection(import)).await;
    let mut update = UpdateBankConnectionParams::new(1);
    update.banking_pin = Some("demo-pin".into());
    update.import_new_accounts = Some(true);
    r.call(client.update_bank_connection(update)).await;
    r.call(client.get_bank_connection(1)).await;
    r.call(client.delete_bank_connection(1)).await;
    let mut edit = EditBankConnectionParams::new();
    edit.name = Some("Renamed".into());
    edit.banking_user_id = Some("demo".into());
    r.call(client.edit_bank_connection(1, edit)).await;
    // One id, the page's own example (`/api/v1/bankConnections/56`), and
    // last: Prism 5.14.2 crashes (TypeError `value.split is not a
    // function` in its `style/simple.js`) on a comma-separated array path
    // parameter such as `/bankConnections/1,2`, which is what the client
    // correctly sends for several ids (`style: simple`, see `wire`).
    r.call(client.get_multiple_bank_connections([56])).await;
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
