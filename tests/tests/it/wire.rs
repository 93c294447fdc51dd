//! Behaviour of the generated Powens client on the wire: real HTTP against
//! wiremock on 127.0.0.1, and a tiny hand-written server (`RawServer`) where
//! wiremock cannot do it (stateful flows, closed connections, slow bodies).
//!
//! - `requests`: the exact method, path, query, headers and body of each kind
//!   of operation.
//! - `examples`: every JSON example of `spec/powens.yaml` decodes into its
//!   generated type and re-encodes to the same JSON; open enums, unknown and
//!   missing fields.
//! - `flows`: the add-connection 202 flow against a stateful server.
//! - `errors`: error statuses and bodies, malformed bodies, timeouts, closed
//!   connections.
//! - `banking`: secret redaction, retries, pagination, webviews, webhooks.
//! - `drift`: what Powens sends today: the vendor's current shapes decode,
//!   one bad item costs one item (item errors in streams and pages).

mod amounts;
mod banking;
mod drift;
mod errors;
mod examples;
mod flows;
mod requests;
mod walkthrough;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The bearer token every test client sends; it must never show up in a
/// `Debug` or `Display` text.
pub(crate) const TOKEN: &str = "tok_live_Zq81xW0rTh3s3cr3t";

/// A runtime builder for `base_url` with the test token and a timeout that
/// keeps a broken test from hanging.
pub(crate) fn runtime(base_url: &str) -> client_runtime::ClientBuilder {
    client_runtime::Client::builder(base_url)
        .bearer_token(TOKEN)
        .timeout(Duration::from_secs(10))
}

/// A Powens client for `base_url` with the test token.
pub(crate) fn client_for(base_url: &str) -> powens::Client {
    powens::Client::from_runtime(runtime(base_url).build().expect("valid base URL"))
}

/// A wiremock server answering every request with `status` and JSON `body`.
pub(crate) async fn serve_json(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// A wiremock server answering every request with `status` and a raw body.
pub(crate) async fn serve_raw(status: u16, body: &[u8], content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_vec(), content_type))
        .mount(&server)
        .await;
    server
}

/// The one request `server` received.
pub(crate) async fn single_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:?}"
    );
    requests.remove(0)
}

/// A header of a received request, as text.
pub(crate) fn header(request: &wiremock::Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("ASCII header").to_owned())
}

/// `method path?query` of a received request, exactly as sent (still
/// percent-encoded).
pub(crate) fn request_line(request: &wiremock::Request) -> String {
    match request.url.query() {
        Some(query) => format!("{} {}?{}", request.method, request.url.path(), query),
        None => format!("{} {}", request.method, request.url.path()),
    }
}

/// One request read by a [`RawServer`].
#[derive(Debug, Clone)]
pub(crate) struct RawRequest {
    pub(crate) method: String,
    /// The request target: path and query, as sent.
    pub(crate) target: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl RawRequest {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON request body")
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1, one request per connection, for what
/// wiremock cannot do: state across requests, closing a connection without
/// answering, sending a body slowly. The handler gets the parsed request and
/// the socket, and writes whatever it wants (or nothing).
pub(crate) struct RawServer {
    pub(crate) base_url: String,
    pub(crate) requests: Arc<Mutex<Vec<RawRequest>>>,
}

impl RawServer {
    pub(crate) fn start<F>(mut handler: F) -> RawServer
    where
        F: FnMut(&RawRequest, &mut TcpStream) + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base_url = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        // The thread ends with the test process; it only ever blocks in accept.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                if let Some(request) = read_request(&mut stream) {
                    seen.lock().unwrap().push(request.clone());
                    handler(&request, &mut stream);
                }
                // Dropping the stream closes the connection.
            }
        });
        RawServer { base_url, requests }
    }

    pub(crate) fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().unwrap().clone()
    }
}

/// Writes a complete response with `Connection: close`.
pub(crate) fn write_response(stream: &mut TcpStream, status: u16, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

/// Reads one request: head up to the blank line, then `Content-Length` bytes.
fn read_request(stream: &mut TcpStream) -> Option<RawRequest> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let read = stream.read(&mut buffer).ok()?;
        if read == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let method = start.next()?.to_owned();
    let target = start.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = data[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut buffer).ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&buffer[..read]);
    }
    Some(RawRequest {
        method,
        target,
        headers,
        body,
    })
}
