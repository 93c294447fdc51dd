//! Amounts (`format: monetary`) over a real HTTP exchange, for random
//! decimals of 1 to 28 significant digits, scales 0 to 10 and both signs:
//! the JSON, form and multipart bodies and the query string carry the decimal's
//! own digits, and a response holding them decodes to the same decimal.
//! Cases: `PROPTEST_CASES` (default 300).

use client_runtime::{Amount, Decimal};
use powens::models::{CreateTransactionRequest, CreateTransferRequest, UserId};
use tests::fixtures::bodies::models::UploadDocumentBody;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::client_for;

/// A decimal of 1 to 28 significant digits, scale 0 to 10, either sign.
fn any_amount() -> impl Strategy<Value = Decimal> {
    (any::<bool>(), 1u32..=28, 0u32..=10, any::<u128>()).prop_map(|(negative, digits, scale, seed)| {
        let mantissa = (seed % 10u128.pow(digits)) as i128;
        Decimal::from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale)
    })
}

/// Answers a transaction list whose one transaction's value is the text of
/// the `min_value` query parameter (so the query's digits come back in the
/// body), and `{}`-like success bodies to the POSTs.
async fn echo_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &wiremock::Request| {
            let value = request.url.query_pairs().find(|(k, _)| k == "min_value").map(|(_, v)| v.into_owned()).unwrap_or_default();
            let body = format!(
                r#"{{"transactions": [{{"id": 1, "id_account": 17, "active": true, "coming": false, "date": "2015-06-18",
                "rdate": "2015-06-17", "date_scraped": "2015-07-04 15:17:30", "original_wording": "OP",
                "simplified_wording": "OP", "stemmed_wording": "OP", "state": "parsed", "value": {value}}}], "total": 1}}"#
            );
            ResponseTemplate::new(200).set_body_raw(body, "application/json")
        })
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"id": 3, "id_account": 17, "active": true, "coming": false, "date": "2015-06-18", "rdate": "2015-06-17",
            "date_scraped": "2015-07-04 15:17:30", "original_wording": "OP", "simplified_wording": "OP",
            "stemmed_wording": "OP", "state": "parsed", "value": 1, "amount": 1, "exec_date": "2018-09-12",
            "register_date": "2018-09-10 10:34:59", "label": "x"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    server
}

#[test]
fn amounts_are_exact_on_the_wire() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(echo_server());
    let client = client_for(&server.uri());
    // a multipart body with an amount part (the `bodies` fixture's upload)
    let fixture = tests::fixtures::bodies::Client::from_runtime(super::runtime(&server.uri()).build().unwrap());
    let cases = crate::size_from_env("PROPTEST_CASES", 300);
    let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::with_cases(cases) });
    let tried = std::cell::Cell::new(0usize);
    runner
        .run(&any_amount(), |decimal| {
            tried.set(tried.get() + 1);
            let text = decimal.to_string();
            let date = "2015-06-18".parse().unwrap();
            let (page, sent) = runtime.block_on(async {
                let page = client.list_transactions(UserId::Me).min_value(decimal).send().await.unwrap();
                client.create_transfer(UserId::Me, 1, 2, CreateTransferRequest::new(Amount::from(decimal), "x".into())).send().await.unwrap();
                let body = CreateTransactionRequest::new(date, "OP".into(), Amount::from(decimal));
                client.create_connection_account_transaction(UserId::Me, 1, 2, body).form_encoded().send().await.unwrap();
                let mut upload = UploadDocumentBody::new(client_runtime::FilePart::new(b"%PDF".to_vec()), "doc".into());
                upload.price = Some(Amount::from(decimal));
                fixture.upload_document(upload).send().await.unwrap();
                let received = server.received_requests().await.unwrap();
                (page, received[received.len() - 4..].to_vec())
            });
            // query: the decimal's own digits
            let query = sent[0].url.query().unwrap_or_default().to_owned();
            prop_assert!(query.contains(&format!("min_value={text}")), "{} sent as {}", text, query);
            // response: the same digits decode to the same decimal, scale included
            let value = page.transactions[0].value.expect("a value");
            prop_assert_eq!(value.decimal(), decimal);
            prop_assert_eq!(value.to_string(), text.clone());
            // JSON body
            let json = String::from_utf8_lossy(&sent[1].body).into_owned();
            prop_assert!(json.contains(&format!(r#""amount":{text},"#)), "{} sent as {}", text, json);
            // form body
            let form = String::from_utf8_lossy(&sent[2].body).into_owned();
            prop_assert!(form.contains(&format!("value={text}")), "{} sent as {}", text, form);
            // multipart part
            let multipart = String::from_utf8_lossy(&sent[3].body).into_owned();
            let part = format!("name=\"price\"\r\n\r\n{text}\r\n");
            prop_assert!(multipart.contains(&part), "{} sent as {}", text, multipart);
            Ok(())
        })
        .unwrap();
    println!("{} amounts sent and read back exactly (query, JSON, form and multipart bodies, response)", tried.get());
    assert_eq!(tried.get(), cases as usize, "the cases that ran");
}
