//! The add-connection flow end to end against a small stateful server:
//! `POST /users/me/connections` answers 202 with `fields` asking for an OTP,
//! the client posts the requested values to
//! `POST /users/me/connections/{id}`, the server answers 200 with the
//! created connection.

use std::sync::{Arc, Mutex};

use powens::models::{
    ConnectionErrorCode, ConnectionRequest, ConnectionUpdateRequest, FieldType, UserId,
};
use powens::operations::connections::{CreateConnectionResponse, UpdateConnectionResponse};
use serde_json::json;

use super::{client_for, write_response, RawRequest, RawServer, TOKEN};

/// The bank's state for one user: which connection waits for which OTP.
#[derive(Default)]
struct Bank {
    pending: Option<(i64, String)>,
    created: Vec<i64>,
}

/// Powens' side of the flow. Any request it does not expect gets a 400 with
/// the docs' error body, so a wrong client request fails the test loudly.
fn powens_server() -> (RawServer, Arc<Mutex<Bank>>) {
    let bank = Arc::new(Mutex::new(Bank::default()));
    let state = bank.clone();
    let server = RawServer::start(move |request: &RawRequest, stream| {
        let mut bank = state.lock().unwrap();
        let authorized = request.header("authorization") == Some(&format!("Bearer {TOKEN}"));
        let json_body = request.header("content-type") == Some("application/json");
        let reply = match (request.method.as_str(), request.target.as_str()) {
            ("POST", "/users/me/connections") if authorized && json_body => {
                let body = request.json();
                if body
                    == json!({"id_connector": 40, "login": "12345678", "password": "s3cret-pass"})
                {
                    bank.pending = Some((123, "654321".to_owned()));
                    Some((
                        202,
                        json!({
                            "id": 123, "id_user": 1, "id_connector": 40,
                            "state": "additionalInformationNeeded",
                            "error": "additionalInformationNeeded",
                            "error_message": "Enter the code received by SMS",
                            "active": true, "last_update": null,
                            "fields": [{
                                "name": "otp", "label": "Code reçu par SMS",
                                "type": "text", "regex": "^[0-9]{6}$", "required": true
                            }]
                        }),
                    ))
                } else {
                    None
                }
            }
            ("POST", target)
                if authorized && json_body && target.starts_with("/users/me/connections/") =>
            {
                let id: i64 = target.rsplit('/').next().unwrap().parse().unwrap_or(-1);
                let body = request.json();
                match &bank.pending {
                    Some((pending, otp)) if *pending == id && body == json!({"otp": otp}) => {
                        bank.pending = None;
                        bank.created.push(id);
                        Some((
                            200,
                            json!({
                                "id": id, "id_user": 1, "id_connector": 40, "state": null,
                                "error": null, "active": true, "last_update": "2026-01-02 03:04:05",
                                "accounts": [{"id": 17, "balance": 7481.01, "display": true}]
                            }),
                        ))
                    }
                    Some((pending, _)) if *pending == id => {
                        Some((400, json!({"code": "wrongpass", "message": "Wrong OTP"})))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let (status, body) = reply.unwrap_or((
            400,
            json!({"code": "unexpectedRequest", "message": format!("{} {}", request.method, request.target)}),
        ));
        write_response(stream, status, body.to_string().as_bytes());
    });
    (server, bank)
}

fn credentials() -> ConnectionRequest {
    let mut body = ConnectionRequest::new();
    body.id_connector = Some(40);
    body.additional_properties
        .insert("login".into(), "12345678".into());
    body.additional_properties
        .insert("password".into(), "s3cret-pass".into());
    body
}

#[tokio::test]
async fn add_connection_with_additional_information() {
    let (server, bank) = powens_server();
    let client = client_for(&server.base_url);

    // 1. Credentials: the bank wants more.
    let created = client
        .create_connection(UserId::Me, credentials())
        .send()
        .await
        .expect("the first step is accepted");
    let CreateConnectionResponse::Accepted(pending) = created else {
        panic!("expected 202 Accepted, got {created:?}");
    };
    assert_eq!(pending.id, 123);
    assert_eq!(
        pending.state,
        Some(ConnectionErrorCode::AdditionalInformationNeeded)
    );
    let fields = pending.fields.clone().expect("the fields to fill in");
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].name, "otp");
    assert_eq!(fields[0].r#type, Some(FieldType::Text));
    assert_eq!(fields[0].regex.as_deref(), Some("^[0-9]{6}$"));

    // 2. The user fills in every requested field; post them back.
    let mut answer = ConnectionUpdateRequest::new();
    for field in &fields {
        answer
            .additional_properties
            .insert(field.name.clone(), "654321".into());
    }
    let updated = client
        .update_connection(UserId::Me, pending.id)
        .body(answer)
        .send()
        .await
        .expect("the second step succeeds");
    let UpdateConnectionResponse::Ok(connection) = updated else {
        panic!("expected 200 OK, got {updated:?}");
    };
    assert_eq!(connection.id, 123);
    assert_eq!(connection.state, None);
    assert_eq!(connection.accounts.as_ref().map(Vec::len), Some(1));
    assert_eq!(bank.lock().unwrap().created, [123]);

    let requests = server.requests();
    let lines: Vec<String> = requests
        .iter()
        .map(|request| format!("{} {}", request.method, request.target))
        .collect();
    assert_eq!(
        lines,
        [
            "POST /users/me/connections",
            "POST /users/me/connections/123"
        ]
    );
}

/// A wrong OTP is the docs' 400 `wrongpass`; the connection stays pending and
/// a correct OTP afterwards still completes it.
#[tokio::test]
async fn wrong_otp_is_an_api_error_and_can_be_retried() {
    let (server, bank) = powens_server();
    let client = client_for(&server.base_url);
    let CreateConnectionResponse::Accepted(pending) = client
        .create_connection(UserId::Me, credentials())
        .send()
        .await
        .unwrap()
    else {
        panic!("expected 202");
    };

    let mut wrong = ConnectionUpdateRequest::new();
    wrong
        .additional_properties
        .insert("otp".into(), "000000".into());
    let error = client
        .update_connection(UserId::Me, pending.id)
        .body(wrong)
        .send()
        .await
        .expect_err("a wrong OTP");
    let api = error.api().expect("an API error");
    assert_eq!((api.status, api.code.as_deref()), (400, Some("wrongpass")));
    assert!(bank.lock().unwrap().pending.is_some());

    let mut right = ConnectionUpdateRequest::new();
    right
        .additional_properties
        .insert("otp".into(), "654321".into());
    let done = client
        .update_connection(UserId::Me, pending.id)
        .body(right)
        .send()
        .await
        .unwrap();
    assert!(
        matches!(done, UpdateConnectionResponse::Ok(ref c) if c.id == 123),
        "{done:?}"
    );
}

/// A connector that needs nothing more answers 200 at once.
#[tokio::test]
async fn add_connection_directly_ok() {
    let server = super::serve_json(200, json!({"id": 9, "id_connector": 40})).await;
    let created = client_for(&server.uri())
        .create_connection(UserId::Me, credentials())
        .send()
        .await
        .unwrap();
    assert!(
        matches!(created, CreateConnectionResponse::Ok(ref c) if c.id == 9),
        "{created:?}"
    );
}
