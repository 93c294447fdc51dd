//! The README's whole program (`tests/examples/walkthrough.rs`, depending on
//! `powens` only) run against a local Powens: authenticate, the 202 flow,
//! every transaction over pages, a transfer, an API error by its code.

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn transaction(id: i64, value: f64) -> serde_json::Value {
    json!({"id": id, "id_account": 17, "active": true, "coming": false, "date": "2015-06-18", "rdate": "2015-06-17",
           "date_scraped": "2015-07-04 15:17:30", "original_wording": "OP", "simplified_wording": "OP",
           "stemmed_wording": "OP", "state": "parsed", "value": value})
}

#[tokio::test]
async fn the_readme_program_runs_against_a_local_powens() {
    let server = MockServer::start().await;
    let mount = |mock: Mock| {
        let server = &server;
        async move { mock.mount(server).await }
    };
    mount(Mock::given(method("POST")).and(path("/auth/init")).respond_with(
        ResponseTemplate::new(200).set_body_json(json!({"auth_token": "user-token", "type": "permanent", "id_user": 1})),
    ))
    .await;
    let authorized = || header("authorization", "Bearer user-token");
    mount(
        Mock::given(method("POST"))
            .and(path("/users/me/connections"))
            .and(authorized())
            .and(body_json(json!({"id_connector": 40, "login": "12345678", "password": "s3cret-pass"})))
            .respond_with(ResponseTemplate::new(202).set_body_json(json!({
                "id": 123, "id_user": 1, "id_connector": 40, "state": "additionalInformationNeeded", "active": true,
                "last_update": null, "fields": [{"name": "otp", "label": "Code", "type": "text"}]
            }))),
    )
    .await;
    mount(
        Mock::given(method("POST"))
            .and(path("/users/me/connections/123"))
            .and(authorized())
            .and(body_json(json!({"otp": "654321"})))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "id": 123, "id_user": 1, "id_connector": 40, "state": null, "active": true, "last_update": "2026-01-02 03:04:05"
            }))),
    )
    .await;
    for (offset, items) in [("0", vec![transaction(1, -16.22), transaction(2, 1500.0)]), ("2", vec![transaction(3, -0.01)])] {
        mount(
            Mock::given(method("GET"))
                .and(path("/users/me/transactions"))
                .and(query_param("offset", offset))
                .and(authorized())
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({"transactions": items, "total": 3}))),
        )
        .await;
    }
    mount(
        Mock::given(method("POST"))
            .and(path("/users/me/accounts/17/recipients/5/transfers"))
            .and(body_json(json!({"amount": 10.50, "label": "Rent"})))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "id": 22, "amount": 10.50, "label": "Rent", "exec_date": "2026-01-03",
                "register_date": "2026-01-02 10:34:59", "state": "created"
            }))),
    )
    .await;
    mount(
        Mock::given(method("POST"))
            .and(path("/users/me/transfers/22"))
            .respond_with(ResponseTemplate::new(400).set_body_json(json!({"code": "wrongpass", "message": "Wrong password"}))),
    )
    .await;

    // the example is built with this test binary (`cargo test` builds examples)
    let exe = std::env::current_exe().unwrap();
    let program = exe.parent().and_then(|deps| deps.parent()).unwrap().join("examples").join("walkthrough");
    assert!(program.exists(), "{} is not built: run the tests with `cargo test -p tests`", program.display());
    let output = tokio::process::Command::new(&program).env("POWENS_BASE_URL", server.uri()).output().await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the program failed: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "authenticated",
            "the bank asks for [\"otp\"]",
            "connection 123 added",
            "transaction 1 -16.22",
            "transaction 2 1500.0",
            "transaction 3 -0.01",
            "3 transactions",
            "transfer 22 of 10.5", // the amount as the server wrote it
            "the bank refused the password",
        ]
    );
}
