//! Every JSON example of `spec/powens.yaml` (the docs' examples) decodes into
//! its generated type and re-encodes to the same JSON; enums are open,
//! unknown fields are ignored, a missing required field names itself.
//!
//! The schema examples are read from the spec's YAML with their numbers'
//! own text (not through `f64`), fed to the decoder as that text, and the
//! re-encoding is compared number by number as text: an amount
//! (`format: monetary`, an exact decimal) must come back with the very
//! digits of the example (`2893.36`, `10.50`). Two normalisations, and only
//! these, are applied:
//! - a whole number may come back with `.0` added (`42` as `42.0`): plain
//!   `number` fields (the lists' `total`) are `f64`, which serde_json writes
//!   so; no other change of a number's text is accepted;
//! - a `null` in the example may come back absent: optional response fields
//!   are `Option<T>` that skip `None` when encoding, and Powens sends `null`
//!   for "no value" (the docs' `"deleted": null`). Optional *and* nullable
//!   request fields keep the difference (see `requests.rs`).
//!
//! Every schema with an `example` is checked through the generated model of
//! the same name (the crate's own list of models, `tests/build.rs`), so a
//! new example needs no edit here; a schema whose model has another name
//! is in `RENAMED`, and the failure says which line to add.
//!
//! Every response example is served to its operation's call, the one the
//! conformance test makes (`conformance/powens_calls.rs`): a new operation
//! with an example needs that one line, which the conformance test asks
//! for, and nothing here.

use client_runtime::mock::Operation;
use client_runtime::Error;
use powens::models::{self, UserId};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client_for, serve_json};
use crate::conformance::{powens_calls, Calls, Reencode};
use crate::models::Json;

/// The spec as JSON.
/// (A plain YAML reading, not the generator's loader; numbers as `f64`:
/// for tests that edit an example, not for exact comparisons, which read
/// [`exact_spec`].)
pub(crate) fn spec() -> Value {
    let path = xtask::root().join("spec/powens.yaml");
    let text = std::fs::read_to_string(&path).expect("spec/powens.yaml is readable");
    serde_yaml::from_str(&text).expect("spec/powens.yaml is YAML")
}

/// The spec as exact JSON: every number with the text it has in the YAML.
/// A plain YAML walk (serde_yaml): the document is read twice, once as a
/// `serde_yaml::Value` for its shape, then again guided by that shape, each
/// number read as the text of its scalar.
pub(crate) fn exact_spec() -> Json {
    let text = std::fs::read_to_string(xtask::root().join("spec/powens.yaml")).expect("spec/powens.yaml is readable");
    exact_yaml(&text)
}

fn exact_yaml(text: &str) -> Json {
    use serde::de::DeserializeSeed;
    let shape: serde_yaml::Value = serde_yaml::from_str(text).expect("YAML");
    Shaped(&shape).deserialize(serde_yaml::Deserializer::from_str(text)).expect("YAML")
}

/// Deserializes a YAML node as exact [`Json`], knowing its shape.
struct Shaped<'a>(&'a serde_yaml::Value);

impl<'de> serde::de::DeserializeSeed<'de> for Shaped<'_> {
    type Value = Json;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        use serde::de::{Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
        use serde::Deserialize;
        use serde_yaml::Value as Yaml;
        struct Items<'a>(&'a [Yaml]);
        impl<'de> Visitor<'de> for Items<'_> {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                for shape in self.0 {
                    items.push(seq.next_element_seed(Shaped(shape))?.ok_or_else(|| A::Error::custom("shorter"))?);
                }
                Ok(Json::Array(items))
            }
        }
        struct Members<'a>(&'a serde_yaml::Mapping);
        impl<'de> Visitor<'de> for Members<'_> {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<Yaml>()? {
                    let shape = self.0.get(&key).ok_or_else(|| A::Error::custom("a key the first reading did not see"))?;
                    let name = match &key {
                        Yaml::String(name) => name.clone(),
                        other => serde_yaml::to_string(other).unwrap().trim().to_owned(),
                    };
                    members.push((name, map.next_value_seed(Shaped(shape))?));
                }
                Ok(Json::Object(members))
            }
        }
        match self.0 {
            Yaml::Sequence(items) => deserializer.deserialize_seq(Items(items)),
            Yaml::Mapping(members) => deserializer.deserialize_map(Members(members)),
            // the scalar's own text (`-16.22`, `10.50`, `1e3`): JSON's syntax
            Yaml::Number(_) => {
                let text = String::deserialize(deserializer)?;
                serde_json::from_str::<&serde_json::value::RawValue>(&text)
                    .map_err(|_| D::Error::custom(format!("`{text}` is a YAML number but not a JSON one")))?;
                Ok(Json::Number(text))
            }
            other => {
                IgnoredAny::deserialize(deserializer)?;
                Ok(match other {
                    Yaml::Null => Json::Null,
                    Yaml::Bool(b) => Json::Bool(*b),
                    Yaml::String(text) => Json::String(text.clone()),
                    tagged => return Err(D::Error::custom(format!("a tagged node: {tagged:?}"))),
                })
            }
        }
    }
}

/// Member `key` of an object.
fn member<'a>(json: &'a Json, key: &str) -> Option<&'a Json> {
    match json {
        Json::Object(members) => members.iter().find(|(name, _)| name == key).map(|(_, value)| value),
        _ => None,
    }
}

/// The differences between an example and its re-encoding (both exact),
/// after the two normalisations described at the top of this file.
fn exact_differences(expected: &Json, actual: &Json, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Json::Object(want), Json::Object(got)) => {
            for (key, value) in want {
                let at = format!("{path}.{key}");
                match got.iter().find(|(name, _)| name == key) {
                    Some((_, found)) => exact_differences(value, found, &at, out),
                    None if *value == Json::Null => {}
                    None => out.push(format!("{at}: {} was dropped", value.text())),
                }
            }
            for (key, value) in got.iter().filter(|(key, _)| !want.iter().any(|(name, _)| name == key)) {
                out.push(format!("{path}.{key}: {} was added", value.text()));
            }
        }
        (Json::Array(want), Json::Array(got)) if want.len() == got.len() => {
            for (index, (value, found)) in want.iter().zip(got).enumerate() {
                exact_differences(value, found, &format!("{path}[{index}]"), out);
            }
        }
        (Json::Number(want), Json::Number(got)) => {
            let whole_as_float = !want.contains(['.', 'e', 'E']) && *got == format!("{want}.0");
            if want != got && !whole_as_float {
                out.push(format!("{path}: {want} became {got}"));
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("{path}: {} became {}", expected.text(), actual.text())),
    }
}

/// Schemas whose generated model has another name (a name the generated
/// API reserves).
const RENAMED: &[(&str, &str)] = &[("Error", "ErrorModel")];

/// Every schema with an `example`: its example, exact, decodes into the
/// generated model of that schema and re-encodes to the same text.
#[test]
fn every_schema_example_round_trips_exactly() {
    let spec = exact_spec();
    let Some(Json::Object(schemas)) = member(&spec, "components").and_then(|c| member(c, "schemas")) else {
        panic!("no components.schemas")
    };
    let mut failures = Vec::new();
    let mut checked = Vec::new();
    for (name, schema) in schemas {
        let Some(example) = member(schema, "example") else { continue };
        let model = RENAMED.iter().find(|(schema, _)| schema == name).map_or(name.as_str(), |(_, model)| *model);
        let Some(Some(check)) = crate::models::powens_model(model) else {
            failures.push(format!(
                "{name}: has an example but the crate has no model `{model}` with serde impls; if its model has \
                 another name, add (\"{name}\", \"<model>\") to RENAMED in tests/tests/it/wire/examples.rs"
            ));
            continue;
        };
        checked.push(name.clone());
        match check(example.text().as_bytes()) {
            Err(error) => failures.push(format!("{name}: does not decode: {error}")),
            Ok((encoded, _)) => exact_differences(example, &Json::parse(&encoded), name, &mut failures),
        }
    }
    for (schema, _) in RENAMED {
        if !checked.iter().any(|name| name == schema) {
            failures.push(format!("{schema}: in RENAMED (tests/tests/it/wire/examples.rs) but has no example in the spec"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    println!("{} schema examples round-tripped exactly: {checked:?}", checked.len());
    // the examples the docs give (one per schema that has one), all checked
    assert_eq!(checked.len(), schemas.iter().filter(|(_, schema)| member(schema, "example").is_some()).count());
}

/// The exact reading keeps a number's text where `f64` would not.
#[test]
fn the_exact_reading_keeps_every_digit() {
    let json = exact_yaml("a: 10.50\nb: [-0.00, 123456789012345.67, 42, 1e3]\nc: {d: '10.50', e: null, f: true}\n");
    assert_eq!(json.text(), r#"{"a":10.50,"b":[-0.00,123456789012345.67,42,1e3],"c":{"d":"10.50","e":null,"f":true}}"#);
    let mut out = Vec::new();
    exact_differences(&Json::parse("[10.50, 42, -0.00]"), &Json::parse("[10.5, 42.0, 0.00]"), "x", &mut out);
    assert_eq!(out, ["x[0]: 10.50 became 10.5", "x[2]: -0.00 became 0.00"]);
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

/// Every `(path, method, status, operationId, example)` of a response,
/// the example exact.
fn response_examples(spec: &Json) -> Vec<(String, String, u16, String, Json)> {
    let mut out = Vec::new();
    let Some(Json::Object(paths)) = member(spec, "paths") else { panic!("no paths") };
    for (path, item) in paths {
        let Json::Object(methods) = item else { continue };
        for (method, operation) in methods {
            let Some(Json::Object(responses)) = member(operation, "responses") else {
                continue;
            };
            for (status, response) in responses {
                let example = member(response, "content").and_then(|c| member(c, "application/json")).and_then(|m| member(m, "example"));
                let Some(example) = example else { continue };
                let status = status.parse().expect("examples are on numeric statuses");
                let id = match member(operation, "operationId") {
                    Some(Json::String(id)) => id.clone(),
                    _ => String::new(),
                };
                out.push((path.clone(), method.clone(), status, id, example.clone()));
            }
        }
    }
    out
}

/// The conformance list's call of one operation (each operation has one:
/// `tests/tests/it/conformance/powens_calls.rs`), sent; every other call is
/// only built. Its output is kept re-encoded, as the client would send it.
struct TheCall<'a> {
    operation_id: &'a str,
    output: Option<Result<Option<String>, Error>>,
}

impl Calls for TheCall<'_> {
    async fn call<O>(&mut self, op: O)
    where
        O: Operation + Clone + Send + 'static,
        O::Output: Clone + PartialEq + std::fmt::Debug + Send + Reencode,
    {
        if O::NAME == self.operation_id {
            self.output = Some(op.send().await.map(|output| output.reencode()));
        }
    }
}

/// Each response example of an operation, served by wiremock with its
/// status, decodes through the real operation and re-encodes to itself.
#[tokio::test]
async fn every_response_example_decodes_through_its_operation() {
    let spec = exact_spec();
    let examples = response_examples(&spec);
    assert!(!examples.is_empty());
    let mut failures = Vec::new();
    for (path, method, status, operation_id, example) in &examples {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(*status).set_body_raw(example.text(), "application/json"))
            .mount(&server)
            .await;
        let client = client_for(&server.uri());
        let name = format!("{method} {path} {status} ({operation_id})");
        let mut the_call = TheCall { operation_id, output: None };
        powens_calls::call_every_operation(&client, &mut the_call).await;
        match the_call.output {
            // the conformance test reports it first, with the line to paste
            None => failures.push(format!(
                "{name}: no call in tests/tests/it/conformance/powens_calls.rs (`cargo test -p tests --test it -- conformance` prints the line to add)"
            )),
            Some(Err(error)) => failures.push(format!("{name}: does not decode: {error} / {error:?}")),
            Some(Ok(None)) => failures.push(format!("{name}: its output has no serde impls to compare with the example")),
            Some(Ok(Some(text))) => exact_differences(example, &Json::parse(&text), &name, &mut failures),
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
        // The same body also decodes as the spec's Error model (exact
        // comparisons: `every_schema_example_round_trips_exactly`).
        let decoded: models::ErrorModel = serde_json::from_value(example.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(Some(decoded.code.as_str()), example["code"].as_str(), "{name}");
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
