//! The exact method, path, query, headers and body of each kind of
//! operation, read back from what wiremock received.

use client_runtime::{Date, Decimal, FilePart, SqlDateTime};
use powens::models::{
    ConnectionExpand, CreateConnectorLogoRequest, CreateTokenRequest, CreateTokenRequestGrantType,
    CreateTokenRequestRequired,
    CreateTransferRequest, SyncConnectionRequest, UpdateClientLogoRequest, UpdateWebhookRequest,
    UserId,
};
use powens::operations::connections::DeleteConnectionResponse;
use serde_json::json;

use super::{client_for, header, request_line, serve_json, serve_raw, single_request, TOKEN};

fn date(text: &str) -> Date {
    text.parse().expect("a YYYY-MM-DD date")
}

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

fn transfer_json() -> serde_json::Value {
    json!({
        "amount": 10.5, "exec_date": "2018-09-12", "id": 22,
        "register_date": "2018-09-10 10:34:59", "state": "created", "label": "Test virement"
    })
}

fn webhook_json() -> serde_json::Value {
    json!({"id": 3, "created": "2020-01-02 03:04:05", "updated": "2020-01-02 03:04:05"})
}

/// `expand` of `GET /users/{id_user}/connections` is an array with
/// `explode: false`: one `expand=a,b` pair. `UserId::Me` is the `me` segment.
#[tokio::test]
async fn get_list_sends_array_expand_as_one_pair_and_the_bearer_token() {
    let server = serve_json(200, json!({"connections": [{"id": 7}], "total": 1})).await;
    let list = client_for(&server.uri())
        .list_connections(UserId::Me)
        .expand([ConnectionExpand::Accounts, ConnectionExpand::Connector])
        .send()
        .await
        .expect("a connections list");
    assert_eq!(list.connections.len(), 1);
    assert_eq!(list.connections[0].id, 7);

    let request = single_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /users/me/connections?expand=accounts,connector"
    );
    assert_eq!(header(&request, "authorization"), Some(bearer()));
    assert_eq!(header(&request, "content-type"), None);
    assert!(request.body.is_empty());
}

/// limit/offset, dates as `YYYY-MM-DD`, booleans, a datetime, an amount, a
/// free-text value that needs encoding, and `UserId::Id(42)` in the path. The
/// query keeps the spec's parameter order.
#[tokio::test]
async fn get_list_sends_paging_dates_flags_and_a_numeric_user_id() {
    let server = serve_json(200, json!({"transactions": [], "total": 0})).await;
    let list = client_for(&server.uri())
        .list_transactions(UserId::Id(42))
        .limit(10)
        .offset(20)
        .min_date(date("2015-06-18"))
        .max_date(date("2015-07-04"))
        .income(false)
        .all(true)
        .last_update("2015-07-04 15:17:30".parse::<SqlDateTime>().unwrap())
        .wording("HALL'S BEER & co")
        .min_value("-16.22".parse::<Decimal>().unwrap())
        .expand(["transactions[category]", "connection"])
        .send()
        .await
        .expect("a transactions list");
    assert!(list.transactions.is_empty());

    let request = single_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /users/42/transactions?limit=10&offset=20&min_date=2015-06-18&max_date=2015-07-04\
         &income=false&all=true&last_update=2015-07-04%2015%3A17%3A30\
         &wording=HALL%27S%20BEER%20%26%20co&min_value=-16.22&expand=transactions[category],connection"
    );
    assert_eq!(header(&request, "authorization"), Some(bearer()));
}

/// `From<i64>` makes a plain number a user id; the `all` flag of the
/// subscriptions list is a boolean query parameter.
#[tokio::test]
async fn user_id_from_a_number_and_a_boolean_all_flag() {
    let server = serve_json(200, json!({"subscriptions": []})).await;
    client_for(&server.uri())
        .list_subscriptions(1234_i64)
        .all(true)
        .send()
        .await
        .expect("a subscriptions list");
    assert_eq!(
        request_line(&single_request(&server).await),
        "GET /users/1234/subscriptions?all=true"
    );
}

/// A string path parameter (`key` of the webhook data entries) stays one
/// segment: `/`, `?` and `..` cannot change the endpoint or add a query.
#[tokio::test]
async fn string_path_parameter_stays_one_segment() {
    let server = serve_json(200, webhook_json()).await;
    let client = client_for(&server.uri());
    client
        .get_webhook_add_to_data_entry(7, "a/../b?x")
        .send()
        .await
        .expect("a webhook");
    assert_eq!(
        request_line(&single_request(&server).await),
        "GET /webhooks/7/add_to_data/a%2F..%2Fb%3Fx"
    );

    // `..` alone or an empty value would be collapsed by URL parsers: refused
    // before anything is sent.
    for bad in ["..", ".", ""] {
        let error = client
            .get_webhook_add_to_data_entry(7, bad)
            .send()
            .await
            .expect_err("an invalid path parameter");
        assert!(
            matches!(error, client_runtime::Error::InvalidRequest { .. }),
            "{bad:?}: {error:?}"
        );
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A JSON body: exact JSON, `Content-Type: application/json`, the amount as
/// written (no float drift), the date as `YYYY-MM-DD`.
#[tokio::test]
async fn post_sends_the_exact_json_body() {
    let server = serve_json(200, transfer_json()).await;
    // built in one chain: optional fields through `with_…` setters
    let body = CreateTransferRequest::new("10.50".parse().unwrap(), "Test virement")
        .with_exec_date(date("2018-09-12"));
    let transfer = client_for(&server.uri())
        .create_transfer(UserId::Me, 12, 34, body)
        .send()
        .await
        .expect("a transfer");
    assert_eq!(transfer.id, 22);
    assert_eq!(transfer.amount.to_string(), "10.5");

    let request = single_request(&server).await;
    assert_eq!(
        request_line(&request),
        "POST /users/me/accounts/12/recipients/34/transfers"
    );
    assert_eq!(
        header(&request, "content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(header(&request, "authorization"), Some(bearer()));
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent,
        json!({"amount": 10.50, "exec_date": "2018-09-12", "label": "Test virement"})
    );
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        // fields in the spec's order
        r#"{"amount":10.50,"label":"Test virement","exec_date":"2018-09-12"}"#
    );
}

/// `.form_encoded()` sends `application/x-www-form-urlencoded`; the token
/// endpoint has `security: []`, so no `Authorization` header goes out even
/// though the client has a token.
#[tokio::test]
async fn form_body_and_unsecured_operation() {
    let server = serve_json(
        200,
        json!({"token": "new_user_token_123", "scope": "userspace"}),
    )
    .await;
    let mut body = CreateTokenRequest::new(CreateTokenRequestRequired {
        application: "sharedAccess".into(),
        password: "hunter2 & co".into(),
        username: "jdoe@example.com".into(),
    });
    body.grant_type = Some(CreateTokenRequestGrantType::Password);
    let token = client_for(&server.uri())
        .create_token(body)
        .form_encoded()
        .send()
        .await
        .expect("a token");
    assert_eq!(token.token.expose(), "new_user_token_123");
    assert_eq!(token.scope, "userspace");

    let request = single_request(&server).await;
    assert_eq!(request_line(&request), "POST /auth/token");
    assert_eq!(
        header(&request, "content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        header(&request, "authorization"),
        None,
        "security: [] sends no token"
    );
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        "application=sharedAccess&grant_type=password&password=hunter2+%26+co&username=jdoe%40example.com"
    );
}

/// The same operation without `.form_encoded()` sends JSON.
#[tokio::test]
async fn json_is_the_default_body_encoding() {
    let server = serve_json(200, json!({"token": "t", "scope": "s"})).await;
    client_for(&server.uri())
        .create_token(CreateTokenRequest::new(CreateTokenRequestRequired {
            application: "app".into(),
            password: "pw".into(),
            username: "me".into(),
        }))
        .send()
        .await
        .expect("a token");
    let request = single_request(&server).await;
    assert_eq!(
        header(&request, "content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(),
        json!({"application": "app", "password": "pw", "username": "me"})
    );
}

/// One part of a `multipart/form-data` body.
#[derive(Debug)]
struct Part {
    headers: String,
    body: Vec<u8>,
}

impl Part {
    fn name(&self) -> Option<&str> {
        let start = self.headers.find("name=\"")? + 6;
        let end = self.headers[start..].find('"')? + start;
        Some(&self.headers[start..end])
    }
}

/// Splits a multipart body on its boundary (taken from the content type).
fn multipart_parts(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("a boundary parameter")
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut rest = body;
    // Skip the preamble up to the first delimiter.
    let first = find(rest, delimiter.as_bytes()).expect("a first delimiter");
    rest = &rest[first + delimiter.len()..];
    while !rest.starts_with(b"--") {
        let rest_after_crlf = rest
            .strip_prefix(b"\r\n")
            .expect("CRLF after the delimiter");
        let next = find(rest_after_crlf, format!("\r\n{delimiter}").as_bytes())
            .expect("a closing delimiter");
        let part = &rest_after_crlf[..next];
        let split = find(part, b"\r\n\r\n").expect("part headers");
        parts.push(Part {
            headers: String::from_utf8_lossy(&part[..split]).into_owned(),
            body: part[split + 4..].to_vec(),
        });
        rest = &rest_after_crlf[next + 2 + delimiter.len()..];
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Not a real PNG: the signature, a NUL, a CR LF and some high bytes, to
/// prove the file goes out byte for byte.
const LOGO: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe--not-a-boundary\r\n";

/// The client logo upload is `multipart/form-data` with one file part named
/// `file`, its file name and content type, and the exact bytes.
#[tokio::test]
async fn multipart_logo_upload() {
    let server = serve_json(
        200,
        json!({"id": 9, "filename": "logo.png", "content_type": "image/png", "file_size": 31}),
    )
    .await;
    let file = FilePart::new(LOGO)
        .file_name("logo.png")
        .content_type("image/png");
    let uploaded = client_for(&server.uri())
        .update_client_logo(5, UpdateClientLogoRequest::new(file))
        .send()
        .await
        .expect("the uploaded file");
    assert_eq!(uploaded.id, 9);

    let request = single_request(&server).await;
    assert_eq!(request_line(&request), "POST /clients/5/logo");
    assert_eq!(header(&request, "authorization"), Some(bearer()));
    let content_type = header(&request, "content-type").expect("a content type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let parts = multipart_parts(&content_type, &request.body);
    assert_eq!(parts.len(), 1, "{parts:?}");
    assert_eq!(parts[0].name(), Some("file"));
    assert!(
        parts[0].headers.contains("filename=\"logo.png\""),
        "{}",
        parts[0].headers
    );
    assert!(
        parts[0]
            .headers
            .to_ascii_lowercase()
            .contains("content-type: image/png"),
        "{}",
        parts[0].headers
    );
    assert_eq!(parts[0].body, LOGO);
}

/// A multipart body with a text part and an optional file part; unset
/// optional parts are left out.
#[tokio::test]
async fn multipart_with_text_and_optional_parts() {
    let server = serve_json(200, json!({"id": 1, "id_connector": 3, "id_file": 12})).await;
    let client = client_for(&server.uri());
    let mut body = CreateConnectorLogoRequest::new();
    body.id_file = Some(12);
    body.img = Some(FilePart::new(LOGO).file_name("main.png"));
    client
        .create_connector_logo(3)
        .body(body)
        .send()
        .await
        .expect("a connector logo");
    let request = single_request(&server).await;
    assert_eq!(request_line(&request), "POST /connectors/3/logos");
    let content_type = header(&request, "content-type").unwrap();
    let parts = multipart_parts(&content_type, &request.body);
    let names: Vec<_> = parts.iter().map(|part| part.name().unwrap()).collect();
    assert_eq!(names, ["id_file", "img"]);
    assert_eq!(parts[0].body, b"12");
    assert!(parts[1].headers.contains("filename=\"main.png\""));
    assert_eq!(parts[1].body, LOGO);

    // Only the text part.
    server.reset().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(json!({"id": 1, "id_connector": 3, "id_file": 12})),
        )
        .mount(&server)
        .await;
    let mut only_id = CreateConnectorLogoRequest::new();
    only_id.id_file = Some(12);
    client
        .create_connector_logo(3)
        .body(only_id)
        .send()
        .await
        .unwrap();
    let request = single_request(&server).await;
    let parts = multipart_parts(&header(&request, "content-type").unwrap(), &request.body);
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].name(), Some("id_file"));
}

/// PUT with a boolean query flag and an optional JSON body.
#[tokio::test]
async fn put_with_query_flag_and_optional_body() {
    let server = serve_json(200, json!({"id": 7})).await;
    let client = client_for(&server.uri());
    let mut body = SyncConnectionRequest::new();
    body.psu_requested = Some(false);
    let connection = client
        .sync_connection(UserId::Me, 7)
        .background(true)
        .body(body)
        .send()
        .await
        .expect("a connection");
    assert_eq!(connection.id, 7);
    let request = single_request(&server).await;
    assert_eq!(
        request_line(&request),
        "PUT /users/me/connections/7?background=true"
    );
    assert_eq!(
        header(&request, "content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(),
        json!({"psu_requested": false})
    );

    // Without a body, nothing is sent and there is no content type.
    server.reset().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(json!({"id": 7})))
        .mount(&server)
        .await;
    client.sync_connection(UserId::Me, 7).send().await.unwrap();
    let request = single_request(&server).await;
    assert_eq!(request_line(&request), "PUT /users/me/connections/7");
    assert!(request.body.is_empty());
    assert_eq!(header(&request, "content-type"), None);
}

/// An optional and nullable request field: unset is absent, `Some(None)` is
/// an explicit `null` (clears the value), `Some(Some(x))` is the value.
#[tokio::test]
async fn optional_nullable_field_distinguishes_absent_and_null() {
    let server = serve_json(200, webhook_json()).await;
    let client = client_for(&server.uri());
    let mut clear = UpdateWebhookRequest::new();
    clear.deleted = Some(None);
    clear.url = Some("https://example.com/hook".into());
    client.update_webhook(3).body(clear).send().await.unwrap();
    let mut set = UpdateWebhookRequest::new();
    set.deleted = Some(Some("2020-01-02 03:04:05".parse().unwrap()));
    client.update_webhook(3).body(set).send().await.unwrap();
    client
        .update_webhook(3)
        .body(UpdateWebhookRequest::new())
        .send()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let bodies: Vec<serde_json::Value> = requests
        .iter()
        .map(|request| {
            assert_eq!(request_line(request), "POST /webhooks/3");
            serde_json::from_slice(&request.body).unwrap()
        })
        .collect();
    assert_eq!(
        bodies,
        [
            json!({"deleted": null, "url": "https://example.com/hook"}),
            json!({"deleted": "2020-01-02 03:04:05"}),
            json!({}),
        ]
    );
}

/// DELETE: 200 with the deleted connection, or 204 with no body.
#[tokio::test]
async fn delete_with_200_or_204() {
    let server = serve_json(200, json!({"id": 7})).await;
    let deleted = client_for(&server.uri())
        .delete_connection(UserId::Me, 7)
        .send()
        .await
        .unwrap();
    assert!(
        matches!(deleted, DeleteConnectionResponse::Ok(ref c) if c.id == 7),
        "{deleted:?}"
    );
    let request = single_request(&server).await;
    assert_eq!(request_line(&request), "DELETE /users/me/connections/7");
    assert_eq!(header(&request, "authorization"), Some(bearer()));

    let server = serve_raw(204, b"", "application/json").await;
    let deleted = client_for(&server.uri())
        .delete_connection(UserId::Id(5), 8)
        .send()
        .await
        .unwrap();
    assert!(
        matches!(deleted, DeleteConnectionResponse::NoContent),
        "{deleted:?}"
    );
    assert_eq!(
        request_line(&single_request(&server).await),
        "DELETE /users/5/connections/8"
    );
}

/// A base URL with a path prefix (`https://{domain}.biapi.pro/2.0`) is kept
/// in front of every operation path.
#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = serve_json(200, json!({"connections": []})).await;
    let client = client_for(&format!("{}/2.0/", server.uri()));
    client.list_connections(UserId::Me).send().await.unwrap();
    assert_eq!(
        request_line(&single_request(&server).await),
        "GET /2.0/users/me/connections"
    );
    assert_eq!(powens::server_url("demo"), "https://demo.biapi.pro/2.0");
    assert_eq!(powens::DEFAULT_SERVER_URL, "https://demo.biapi.pro/2.0");
}

/// An array path parameter (`style: simple`): one item, several (each
/// encoded on its own, joined by `,`), and none, which is an error before
/// anything is sent (an empty segment would reach another endpoint).
#[tokio::test]
#[allow(deprecated)]
async fn array_path_parameters_one_several_none() {
    let server = serve_json(200, json!({"connections": []})).await;
    let client = finapi::Client::from_runtime(super::runtime(&server.uri()).build().unwrap());
    client.get_multiple_bank_connections([56]).send().await.unwrap();
    client.get_multiple_bank_connections([1, 2, 3]).send().await.unwrap();
    let none = client.get_multiple_bank_connections(Vec::<i64>::new()).send().await.unwrap_err();
    assert!(
        matches!(&none, client_runtime::Error::InvalidRequest { message, .. } if message.contains("`ids` has 0 items")),
        "{none:?}"
    );
    let paths: Vec<String> =
        server.received_requests().await.unwrap().iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(paths, ["/api/v1/bankConnections/56", "/api/v1/bankConnections/1,2,3"]);
}

/// Every shape of multipart field (the `body_shapes` fixture): set, unset,
/// set to null (absent on the wire: a part cannot be null), arrays as one
/// part per item, an object as a JSON part, files byte for byte.
#[tokio::test]
async fn multipart_fields_of_every_shape() {
    use tests::fixtures::body_shapes::models::{Upload, UploadKind, UploadMeta};
    let server = serve_json(204, json!(null)).await;
    let client = tests::fixtures::body_shapes::Client::from_runtime(super::runtime(&server.uri()).build().unwrap());
    let mut upload = Upload::new(FilePart::new(LOGO.to_vec()).file_name("a.png"), "Title", None);
    upload.comment = Some(Some("é ok".into()));
    upload.count = Some(None);
    upload.ratio = Some(0.5);
    upload.price = Some(Some("-1234567890123456789.0123456789".parse().unwrap()));
    upload.day = Some(Some(date("2015-06-18")));
    upload.kind = Some(Some(UploadKind::Receipt));
    upload.tags = Some(Some(vec!["a".into(), "b,c".into()]));
    let mut meta = UploadMeta::new();
    meta.source = Some("scan".into());
    upload.meta = Some(Some(meta));
    upload.attachments = Some(vec![FilePart::new(b"one".to_vec()), FilePart::new(b"two".to_vec())]);
    client.upload(upload).send().await.unwrap();
    let request = single_request(&server).await;
    let parts = multipart_parts(&header(&request, "content-type").unwrap(), &request.body);
    let sent: Vec<(String, String)> = parts
        .iter()
        .map(|p| (p.name().unwrap_or_default().to_owned(), String::from_utf8_lossy(&p.body).into_owned()))
        .collect();
    let expected: Vec<(&str, &str)> = vec![
        ("file", ""), // compared byte for byte below
        ("title", "Title"),
        ("comment", "é ok"),
        ("ratio", "0.5"),
        ("price", "-1234567890123456789.0123456789"),
        ("day", "2015-06-18"),
        ("kind", "receipt"),
        ("tags", "a"),
        ("tags", "b,c"),
        ("meta", r#"{"source":"scan"}"#),
        ("attachments", "one"),
        ("attachments", "two"),
    ];
    let names: Vec<&str> = sent.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, expected.iter().map(|(n, _)| *n).collect::<Vec<_>>(), "note (None) and count (null) are not sent");
    assert_eq!(parts[0].body, LOGO, "the file byte for byte");
    for ((name, value), (_, want)) in sent.iter().zip(&expected).skip(1) {
        assert_eq!(value, want, "part {name}");
    }
}

/// Every shape of form field: unset fields absent, null absent, amounts and
/// dates as their exact text, booleans as `true`/`false`.
#[tokio::test]
async fn form_fields_of_every_shape() {
    use tests::fixtures::body_shapes::models::{Form, FormKind};
    let server = serve_json(204, json!(null)).await;
    let client = tests::fixtures::body_shapes::Client::from_runtime(super::runtime(&server.uri()).build().unwrap());
    let mut form = Form::new("a b&c");
    form.age = Some(None);
    form.price = Some("10.50".parse().unwrap());
    form.day = Some(date("2015-06-18"));
    form.kind = Some(FormKind::B);
    form.active = Some(Some(false));
    client.send_form(form).send().await.unwrap();
    let request = single_request(&server).await;
    assert_eq!(header(&request, "content-type").as_deref(), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        "name=a+b%26c&price=10.50&day=2015-06-18&kind=b&active=false"
    );
}

/// A multipart field that is one file or several (a union, as 3.1 specs
/// write it) goes as file parts, one per file, all named alike; a file
/// inside an object cannot be a part: the generator warns, and sending it
/// as JSON fails before anything is sent, with an error naming the field
/// (not yet the operation: issue 22), never a panic.
#[tokio::test]
async fn files_in_a_union_go_as_parts_and_a_file_in_an_object_is_an_error() {
    use tests::fixtures::multipart_parts::models::{Attachment, Bundle, UploadBody, UploadBodyFile};
    let server = serve_json(204, json!(null)).await;
    let client = tests::fixtures::multipart_parts::Client::from_runtime(super::runtime(&server.uri()).build().unwrap());
    let one = FilePart::new(LOGO).file_name("a.png");
    let two = FilePart::new(b"second".to_vec()).file_name("b.txt");
    client.upload(UploadBody::new(UploadBodyFile::Array(vec![one.clone(), two]))).send().await.expect("sent");
    client.upload(UploadBody::new(UploadBodyFile::Value(one))).send().await.expect("sent");
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2);
    let parts: Vec<Vec<Part>> = sent
        .iter()
        .map(|request| multipart_parts(&header(request, "content-type").expect("a content type"), &request.body))
        .collect();
    let names = |parts: &[Part]| parts.iter().map(|p| p.name().unwrap_or_default().to_owned()).collect::<Vec<_>>();
    assert_eq!(names(&parts[0]), ["file", "file"]);
    assert_eq!(parts[0][0].body, LOGO);
    assert_eq!(parts[0][1].body, b"second");
    assert!(parts[0][1].headers.contains("filename=\"b.txt\""), "{:?}", parts[0][1]);
    assert_eq!(names(&parts[1]), ["file"]);
    assert_eq!(parts[1][0].body, LOGO);

    let mut attachment = Attachment::new();
    attachment.content = Some(FilePart::new(LOGO));
    let mut bundle = Bundle::new();
    bundle.attachment = Some(attachment);
    let error = client.upload_bundle().body(bundle).send().await.expect_err("a file cannot be JSON");
    let text = error.to_string();
    assert!(text.contains("multipart field `attachment`") && text.contains("multipart part of its own"), "{text}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "nothing was sent");

    let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/multipart_parts.yaml")).unwrap();
    let warnings: Vec<String> = codegen::generate(&spec, &codegen::Options { spec_label: "x".into() })
        .expect("generates")
        .warnings
        .iter()
        .map(|w| w.pointer.clone())
        .collect();
    assert_eq!(warnings, ["#/components/schemas/Bundle/properties/attachment", "#/components/schemas/Bundle/properties/attachments"]);
}

/// An object query parameter (`style: deepObject`) with money in it: one
/// `name[key]=value` pair per set field, the amount's digits as written
/// (`10.50`, not `10.5`, and no pair silently left out: a `serde_json::Value`
/// cannot hold 10.50, which once dropped the whole parameter).
#[tokio::test]
async fn a_deep_object_parameter_keeps_its_amounts_exact() {
    use tests::fixtures::parameters::{models::GetItemsFilter, Client};
    let server = serve_json(200, json!([])).await;
    let client = Client::new(server.uri()).unwrap();
    for below in ["10.50", "123456789012345.67", "-0.00"] {
        let mut filter = GetItemsFilter::new();
        filter.min = Some(3);
        filter.below = Some(below.parse().unwrap());
        let _ = client.get_items(7, [1], "t", "s").filter(filter).send().await;
    }
    let queries: Vec<String> = server.received_requests().await.unwrap().iter().map(|r| r.url.query().unwrap_or("").to_owned()).collect();
    assert_eq!(queries.len(), 3, "{queries:?}");
    for (query, below) in queries.iter().zip(["10.50", "123456789012345.67", "-0.00"]) {
        assert!(query.contains("filter[min]=3") || query.contains("filter%5Bmin%5D=3"), "{query}");
        let pair = format!("{}={below}", if query.contains("filter[below]") { "filter[below]" } else { "filter%5Bbelow%5D" });
        assert!(query.split('&').any(|p| p == pair), "{query} lacks {pair}");
        assert!(!query.contains("max"), "an unset field is left out: {query}");
    }
}
