//! Every JSON example of `spec/powens.yaml` (the docs' examples) decodes into
//! its generated type and re-encodes to the same JSON; enums are open,
//! unknown fields are ignored, a missing required field names itself.
//!
//! Two normalisations, and only these, are applied when comparing the
//! re-encoded value with the example:
//! - numbers compare by value: `format: monetary` amounts are decimals that go
//!   out as JSON floats (the runtime's `serde-float`), and plain `number`
//!   fields (the lists' `total`) are `f64`, so a whole `42` comes back as
//!   `42.0`, the same number;
//! - a `null` in the example may come back absent: optional response fields
//!   are `Option<T>` that skip `None` when encoding, and Powens sends `null`
//!   for "no value" (the docs' `"deleted": null`). Optional *and* nullable
//!   request fields keep the difference (see `requests.rs`).

use client_runtime::Error;
use powens::models::{self, UserId};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client_for, serve_json};

/// The spec as JSON.
pub(crate) fn spec() -> Value {
    let path = xtask::root().join("spec/powens.yaml");
    let text = std::fs::read_to_string(&path).expect("spec/powens.yaml is readable");
    codegen::load::load(&text)
        .expect("spec/powens.yaml loads")
        .1
}

/// Decodes `example` as `T` (through the runtime's decoder, so a failure
/// names the JSON path) and encodes it back.
fn check<T: DeserializeOwned + Serialize>(example: &Value) -> Result<Value, String> {
    let bytes = serde_json::to_vec(example).unwrap();
    let decoded: T = client_runtime::webhook::decode(&bytes).map_err(|error| error.to_string())?;
    serde_json::to_value(&decoded).map_err(|error| format!("cannot re-encode: {error}"))
}

type Check = fn(&Value) -> Result<Value, String>;

/// Schema name -> its generated type. Every schema with an `example` must be
/// here (the test fails on a missing entry, so a new example gets checked).
const SCHEMAS: &[(&str, Check)] = &[
    ("Account", check::<models::Account>),
    ("BanksList", check::<models::BanksList>),
    ("Connection", check::<models::Connection>),
    ("Connector", check::<models::Connector>),
    (
        "CreateAccessTokenRequest",
        check::<models::CreateAccessTokenRequest>,
    ),
    (
        "CreateAccessTokenResponse",
        check::<models::CreateAccessTokenResponse>,
    ),
    (
        "CreateRecipientRequest",
        check::<models::CreateRecipientRequest>,
    ),
    (
        "CreateTransferRequest",
        check::<models::CreateTransferRequest>,
    ),
    ("Currency", check::<models::Currency>),
    ("Error", check::<models::ErrorModel>),
    (
        "ExecuteTransferRequest",
        check::<models::ExecuteTransferRequest>,
    ),
    ("Field", check::<models::Field>),
    (
        "GetTemporaryCodeResponse",
        check::<models::GetTemporaryCodeResponse>,
    ),
    ("InitAuthResponse", check::<models::InitAuthResponse>),
    ("Investment", check::<models::Investment>),
    ("InvestmentsList", check::<models::InvestmentsList>),
    ("PayRequestedField", check::<models::PayRequestedField>),
    ("Transaction", check::<models::Transaction>),
    ("TransactionCounterparty", check::<models::TransactionCounterparty>),
    ("TransactionsList", check::<models::TransactionsList>),
    ("Transfer", check::<models::Transfer>),
    ("UpdateConfigRequest", check::<models::UpdateConfigRequest>),
    ("User", check::<models::User>),
    ("UserSyncedWebhook", check::<models::UserSyncedWebhook>),
    (
        "ValidateRecipientRequest",
        check::<models::ValidateRecipientRequest>,
    ),
];

/// The differences between an example and its re-encoding, after the two
/// normalisations described at the top of this file.
fn differences(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, value) in want {
                let at = format!("{path}.{key}");
                match got.get(key) {
                    Some(found) => differences(value, found, &at, out),
                    None if value.is_null() => {}
                    None => out.push(format!("{at}: {value} was dropped")),
                }
            }
            for key in got.keys().filter(|key| !want.contains_key(*key)) {
                out.push(format!("{path}.{key}: {} was added", got[key]));
            }
        }
        (Value::Array(want), Value::Array(got)) if want.len() == got.len() => {
            for (index, (value, found)) in want.iter().zip(got).enumerate() {
                differences(value, found, &format!("{path}[{index}]"), out);
            }
        }
        (Value::Number(want), Value::Number(got)) => {
            if want.as_f64() != got.as_f64() {
                out.push(format!("{path}: {want} became {got}"));
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("{path}: {expected} became {actual}")),
    }
}

fn round_trip_failures(name: &str, example: &Value, actual: Result<Value, String>) -> Vec<String> {
    match actual {
        Err(error) => vec![format!("{name}: does not decode: {error}")],
        Ok(actual) => {
            let mut out = Vec::new();
            differences(example, &actual, name, &mut out);
            out
        }
    }
}

#[test]
fn every_schema_example_round_trips() {
    let spec = spec();
    let schemas = spec["components"]["schemas"].as_object().expect("schemas");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, schema) in schemas {
        let Some(example) = schema.get("example") else {
            continue;
        };
        let Some((_, check)) = SCHEMAS.iter().find(|(known, _)| known == name) else {
            failures.push(format!("{name}: has an example but no entry in SCHEMAS"));
            continue;
        };
        checked += 1;
        failures.extend(round_trip_failures(name, example, check(example)));
    }
    for (name, _) in SCHEMAS {
        if schemas
            .get(*name)
            .and_then(|schema| schema.get("example"))
            .is_none()
        {
            failures.push(format!("{name}: in SCHEMAS but has no example in the spec"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, SCHEMAS.len());
}

/// The datetime and date texts of the docs come back byte for byte (no `T`,
/// no zone), and amounts keep their digits.
#[test]
fn docs_dates_and_amounts_round_trip_as_text() {
    let transaction = &spec()["components"]["schemas"]["Transaction"]["example"];
    let decoded: models::Transaction = serde_json::from_value(transaction.clone()).unwrap();
    assert_eq!(decoded.date.to_string(), "2015-06-18");
    assert_eq!(decoded.date_scraped.to_string(), "2015-07-04 15:17:30");
    let text = serde_json::to_string(&decoded).unwrap();
    assert!(
        text.contains(r#""date_scraped":"2015-07-04 15:17:30""#),
        "{text}"
    );
    assert!(text.contains(r#""date":"2015-06-18""#), "{text}");
    let value = decoded.value.expect("the example has a value");
    assert_eq!(value.to_string(), "-16.22");
    assert!(text.contains(r#""value":-16.22"#), "{text}");
}

/// Every `(path, method, status, operationId, example)` of a response.
fn response_examples(spec: &Value) -> Vec<(String, String, u16, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
                continue;
            };
            for (status, response) in responses {
                let example = &response["content"]["application/json"]["example"];
                if example.is_null() {
                    continue;
                }
                let status = status.parse().expect("examples are on numeric statuses");
                let id = operation["operationId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                out.push((path.clone(), method.clone(), status, id, example.clone()));
            }
        }
    }
    out
}

fn value_of<T: Serialize>(result: Result<T, Error>) -> Result<Value, Error> {
    result.map(|decoded| serde_json::to_value(decoded).expect("re-encodes"))
}

/// Calls the operation `operation_id` with valid arguments; `None` when this
/// table does not know it.
async fn call(operation_id: &str, client: &powens::Client) -> Option<Result<Value, Error>> {
    let me = UserId::Me;
    Some(match operation_id {
        "listBanks" => value_of(client.list_banks().send().await),
        "listAccounts" => value_of(client.list_accounts(me).send().await),
        "getAccount" => value_of(client.get_account(me, 723).send().await),
        "listAccountRecipients" => value_of(client.list_account_recipients(me, 1).send().await),
        "createRecipient" => {
            let body = models::CreateRecipientRequest::new(
                "FR7613048379405300290000355".into(),
                "Papa".into(),
            );
            value_of(client.create_recipient(me, 1, body).send().await)
        }
        "validateRecipient" => value_of(client.validate_recipient(me, 1, 2).send().await),
        "createTransfer" => {
            let body =
                models::CreateTransferRequest::new("10".parse().unwrap(), "Test virement".into());
            value_of(client.create_transfer(me, 1, 1, body).send().await)
        }
        "syncConnections" => value_of(client.sync_connections(me).send().await),
        "syncConnection" => value_of(client.sync_connection(me, 7).send().await),
        "executeTransfer" => {
            let body = models::ExecuteTransferRequest::new(true);
            value_of(client.execute_transfer(me, 22, body).send().await)
        }
        _ => return None,
    })
}

/// Each response example of an operation, served by wiremock with its
/// status, decodes through the real operation and re-encodes to itself.
#[tokio::test]
async fn every_response_example_decodes_through_its_operation() {
    let spec = spec();
    let examples = response_examples(&spec);
    assert!(!examples.is_empty());
    let mut failures = Vec::new();
    for (path, method, status, operation_id, example) in &examples {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(*status).set_body_json(example))
            .mount(&server)
            .await;
        let client = client_for(&server.uri());
        let name = format!("{method} {path} {status} ({operation_id})");
        match call(operation_id, &client).await {
            None => failures.push(format!("{name}: no entry in `call`")),
            Some(result) => {
                let result = result.map_err(|error| format!("{error} / {error:?}"));
                failures.extend(round_trip_failures(&name, example, result));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The shared error response's example is what `Error::Api` decodes.
#[tokio::test]
async fn error_response_example_decodes_as_api_error() {
    let spec = spec();
    let responses = spec["components"]["responses"]
        .as_object()
        .expect("responses");
    let mut seen = 0;
    for (name, response) in responses {
        let example = &response["content"]["application/json"]["example"];
        if example.is_null() {
            continue;
        }
        seen += 1;
        let server = serve_json(400, example.clone()).await;
        let error = client_for(&server.uri())
            .list_connections(UserId::Me)
            .send()
            .await
            .expect_err("a 400");
        let api = error.api().unwrap_or_else(|| panic!("{name}: {error:?}"));
        assert_eq!(api.status, 400);
        assert_eq!(api.code.as_deref(), example["code"].as_str(), "{name}");
        assert_eq!(
            api.message.as_deref(),
            example["message"].as_str(),
            "{name}"
        );
        assert_eq!(api.body.as_ref(), Some(example), "{name}");
        // The same body also decodes as the spec's Error model.
        assert!(round_trip_failures(name, example, check::<models::ErrorModel>(example)).is_empty());
    }
    assert!(seen >= 1, "the spec has an error example");
}

/// An enum value the spec does not list is kept, and goes back out as is.
#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let server = serve_json(
        200,
        json!({"id": 7, "state": "quantumEntangled", "error": "wrongpass"}),
    )
    .await;
    let connection = client_for(&server.uri())
        .get_connection(UserId::Me, 7)
        .send()
        .await
        .expect("an unknown state still decodes");
    assert_eq!(
        connection.state,
        Some(models::ConnectionErrorCode::Unknown(
            "quantumEntangled".into()
        ))
    );
    assert_eq!(
        connection.error,
        Some(models::ConnectionErrorCode::Wrongpass)
    );
    let again = serde_json::to_value(&connection).unwrap();
    assert_eq!(again["state"], "quantumEntangled");
    assert_eq!(again["error"], "wrongpass");

    let transfer: models::Transfer = serde_json::from_value(json!({
        "amount": 1, "exec_date": "2018-09-12", "id": 1,
        "register_date": "2018-09-10 10:00:00", "state": "teleported"
    }))
    .unwrap();
    assert_eq!(
        transfer.state,
        models::TransferState::Unknown("teleported".into())
    );
    assert_eq!(transfer.state.as_str(), "teleported");
}

/// Fields the spec does not know (a newer API) are ignored.
#[tokio::test]
async fn unknown_fields_are_ignored() {
    let mut account = spec()["components"]["schemas"]["Account"]["example"].clone();
    account["brand_new_field"] = json!({"nested": [1, 2, 3]});
    account["currency"]["new_currency_flag"] = json!(true);
    let server = serve_json(200, account).await;
    let decoded = client_for(&server.uri())
        .get_account(UserId::Me, 723)
        .send()
        .await
        .expect("unknown fields are ignored");
    assert_eq!(decoded.id, 723);
    assert_eq!(decoded.balance.unwrap().to_string(), "2893.36");
}

/// A missing required field or a field of the wrong type is `Error::Decode`
/// naming where it is.
#[tokio::test]
async fn missing_or_mistyped_field_is_a_decode_error_naming_it() {
    let mut transaction = spec()["components"]["schemas"]["Transaction"]["example"].clone();
    transaction.as_object_mut().unwrap().remove("id");
    let server = serve_json(200, json!({"transactions": [transaction], "total": 1})).await;
    let error = client_for(&server.uri())
        .list_transactions(UserId::Me)
        .send()
        .await
        .expect_err("a missing id");
    match &error {
        Error::Decode {
            operation,
            status,
            path,
            message,
            body,
        } => {
            assert_eq!(*operation, Some("listTransactions (GET /users/{id_user}/transactions)"));
            assert!(error.to_string().starts_with("listTransactions (GET /users/{id_user}/transactions): cannot decode"), "{error}");
            assert_eq!(*status, 200);
            // the runtime appends the missing field to the parent's path
            assert_eq!(path, "transactions[0].id", "{message}");
            assert!(body.contains("HALL'S BEER"), "the raw body is kept");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }

    let mut account = spec()["components"]["schemas"]["Account"]["example"].clone();
    account["balance"] = json!("lots");
    let server = serve_json(200, json!({"accounts": [account, account]})).await;
    let error = client_for(&server.uri())
        .list_accounts(UserId::Me)
        .send()
        .await
        .expect_err("a mistyped balance");
    match &error {
        Error::Decode { path, .. } => assert_eq!(path, "accounts[0].balance"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(error.status(), Some(200));
}
