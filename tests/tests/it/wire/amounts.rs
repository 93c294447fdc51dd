//! Amounts (`format: monetary`) over a real HTTP exchange, for random
//! decimals of 1 to 28 significant digits, scales 0 to 10 and both signs:
//! the JSON, form and multipart bodies and the query string carry the decimal's
//! own digits, and a response holding them decodes to the same decimal.
//! Each text is compared whole (a query or form pair, a JSON member, a
//! multipart part), so `10.500` is not taken for `10.50`; zeros may be
//! negative. Cases: `PROPTEST_CASES` (default 300).

use client_runtime::{Amount, Decimal};
use powens::models::{CreateTransactionRequest, CreateTransferRequest, UserId};
use tests::fixtures::bodies::models::UploadDocumentBody;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::client_for;

/// A decimal of 1 to 28 significant digits, scale 0 to 10, either sign,
/// and one in ten a zero: the sign is the decimal's own flag, so a zero
/// can be negative (`-0.00`), which negating a zero mantissa never makes.
fn any_amount() -> impl Strategy<Value = Decimal> {
    let digits = prop_oneof![9 => 1u32..=28, 1 => Just(0u32)];
    (any::<bool>(), digits, 0u32..=10, any::<u128>()).prop_map(|(negative, digits, scale, seed)| {
        let mantissa = (seed % 10u128.pow(digits)) as i128;
        let mut decimal = Decimal::from_i128_with_scale(mantissa, scale);
        decimal.set_sign_negative(negative);
        decimal
    })
}

/// The value of query or form pair `name` in `pairs` (`a=1&b=2`), exactly
/// as sent (amounts need no percent-encoding: digits, `-` and `.`).
fn pair<'a>(pairs: &'a str, name: &str) -> Option<&'a str> {
    pairs.split('&').filter_map(|pair| pair.split_once('=')).find(|(key, _)| *key == name).map(|(_, value)| value)
}

/// The text of member `name` of a JSON object, exactly as sent.
fn json_member(body: &[u8], name: &str) -> Option<String> {
    let members: std::collections::BTreeMap<String, &serde_json::value::RawValue> = serde_json::from_slice(body).ok()?;
    members.get(name).map(|raw| raw.get().to_owned())
}

/// The content of multipart part `name`, exactly as sent.
fn part<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    let start = body.find(&format!("name=\"{name}\""))?;
    let content = &body[start..];
    let content = &content[content.find("\r\n\r\n")? + 4..];
    Some(&content[..content.find("\r\n--")?])
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
    let negative_zeros = std::cell::Cell::new(0usize);
    runner
        .run(&any_amount(), |decimal| {
            tried.set(tried.get() + 1);
            let text = decimal.to_string();
            let date = "2015-06-18".parse().unwrap();
            let (page, sent) = runtime.block_on(async {
                let page = client.list_transactions(UserId::Me).min_value(decimal).send().await.unwrap();
                client.create_transfer(UserId::Me, 1, 2, CreateTransferRequest::new(Amount::from(decimal), "x")).send().await.unwrap();
                let body = CreateTransactionRequest::new(date, "OP", Amount::from(decimal));
                client.create_connection_account_transaction(UserId::Me, 1, 2, body).form_encoded().send().await.unwrap();
                let mut upload = UploadDocumentBody::new(client_runtime::FilePart::new(b"%PDF".to_vec()), "doc");
                upload.price = Some(Amount::from(decimal));
                fixture.upload_document(upload).send().await.unwrap();
                let received = server.received_requests().await.unwrap();
                (page, received[received.len() - 4..].to_vec())
            });
            if decimal.is_zero() && decimal.is_sign_negative() {
                negative_zeros.set(negative_zeros.get() + 1);
                prop_assert!(text.starts_with("-0"), "{}", text);
            }
            // query: the decimal's own digits, the whole value (not a prefix)
            let query = sent[0].url.query().unwrap_or_default().to_owned();
            prop_assert_eq!(pair(&query, "min_value"), Some(text.as_str()), "sent as {}", query);
            // response: the same digits decode to the same decimal, scale and sign included
            let value = page.transactions[0].value.expect("a value");
            prop_assert_eq!(value.decimal(), decimal);
            prop_assert_eq!(value.decimal().scale(), decimal.scale());
            prop_assert_eq!(value.decimal().is_sign_negative(), decimal.is_sign_negative());
            prop_assert_eq!(value.to_string(), text.clone());
            // JSON body
            let json = String::from_utf8_lossy(&sent[1].body).into_owned();
            prop_assert_eq!(json_member(&sent[1].body, "amount"), Some(text.clone()), "sent as {}", json);
            // form body
            let form = String::from_utf8_lossy(&sent[2].body).into_owned();
            prop_assert_eq!(pair(&form, "value"), Some(text.as_str()), "sent as {}", form);
            // multipart part
            let multipart = String::from_utf8_lossy(&sent[3].body).into_owned();
            prop_assert_eq!(part(&multipart, "price"), Some(text.as_str()), "sent as {}", multipart);
            Ok(())
        })
        .unwrap();
    println!("{} amounts sent and read back exactly (query, JSON, form and multipart bodies, response)", tried.get());
    assert_eq!(tried.get(), cases as usize, "the cases that ran");
    // about 1 in 20 cases
    assert!(negative_zeros.get() >= 3, "{} negative zeros", negative_zeros.get());
}
