//! What Powens sends today (issue 26): pages in the shape of the vendor's
//! current OpenAPI description decode, and one item the client cannot read
//! costs that item, not its page nor the stream; a page whose own fields
//! are wrong still fails whole, and money is never rounded.

use futures_util::StreamExt;
use powens::models::{
    Counterparty, Transaction, TransactionCounterpartyAccountSchemeName, TransactionCounterpartyType, UserId,
};
use powens::{Error, ItemError};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client_for, serve_json, serve_raw, TOKEN};

const LIST_TRANSACTIONS: &str = "listTransactions (GET /users/{id_user}/transactions)";
const MARKER: &str = "MARKED-SECRET";

/// A transaction as the vendor's January 2025 description has it: its
/// required fields, the new datetimes, no `original_wording`,
/// `simplified_wording`, `stemmed_wording` or `state`.
fn vendor_transaction(id: i64) -> Value {
    json!({
        "id": id, "id_account": 17, "date": "2025-01-14", "type": "card",
        "date_scraped": "2025-01-14 10:21:03", "rdate": "2025-01-13", "coming": false, "active": true,
        "value": -16.22,
        "bdatetime": "2025-01-13 09:15:00", "datetime": "2025-01-14 00:00:00",
        "rdatetime": "2025-01-13T09:15:00+01:00", "vdatetime": null,
    })
}

/// The page of the vendor's shape: an object counterparty, the docs' string
/// counterparty, a null one, an expanded account with a null balance, and a
/// counterparty enum value the spec does not list.
fn vendor_page() -> Value {
    let mut object = vendor_transaction(1);
    object["counterparty"] = json!({
        "label": "HALL'S BEER", "account_identification": "FR7630004012550000041157244",
        "account_scheme_name": "iban", "type": "organization",
    });
    object["account"] = json!({"id": 17, "display": true, "balance": null, "name": "Compte de chèques"});
    let mut text = vendor_transaction(2);
    text["counterparty"] = json!("HALL'S BEER");
    text["original_wording"] = json!("FACTURE CB HALL'S BEER");
    let mut nulls = vendor_transaction(3);
    nulls["counterparty"] = Value::Null;
    nulls["account"] = Value::Null;
    let mut unknown = vendor_transaction(4);
    unknown["counterparty"] = json!({"label": "ACME", "account_identification": null, "account_scheme_name": "swift_bic", "type": null});
    json!({"transactions": [object, text, nulls, unknown], "total": 4})
}

/// Checks the transactions of [`vendor_page`], however they were read.
fn check_vendor_transactions(transactions: &[Transaction]) {
    assert_eq!(transactions.iter().map(|t| t.id).collect::<Vec<_>>(), [1, 2, 3, 4]);
    let first = &transactions[0];
    assert_eq!(first.original_wording, None);
    assert_eq!((&first.simplified_wording, &first.stemmed_wording, &first.state), (&None, &None, &None));
    match &first.counterparty {
        Some(Counterparty::TransactionCounterparty(counterparty)) => {
            assert_eq!(counterparty.label.as_deref(), Some("HALL'S BEER"));
            assert_eq!(counterparty.account_identification.as_deref(), Some("FR7630004012550000041157244"));
            assert_eq!(counterparty.account_scheme_name, Some(TransactionCounterpartyAccountSchemeName::Iban));
            assert_eq!(counterparty.r#type, Some(TransactionCounterpartyType::Organization));
        }
        other => panic!("an object counterparty, got {other:?}"),
    }
    let account = first.account.as_ref().expect("the expanded account");
    assert_eq!((account.id, account.balance), (17, None), "a null balance");
    assert_eq!(first.bdatetime.as_ref().unwrap().to_string(), "2025-01-13 09:15:00");
    assert_eq!(first.datetime.as_ref().unwrap().to_string(), "2025-01-14 00:00:00");
    assert_eq!(first.rdatetime.as_ref().unwrap().to_string(), "2025-01-13T09:15:00+01:00");
    assert_eq!(first.vdatetime, None);
    assert_eq!(first.value.as_ref().unwrap().to_string(), "-16.22");

    assert_eq!(transactions[1].counterparty, Some(Counterparty::Text("HALL'S BEER".into())));
    assert_eq!(transactions[1].original_wording.as_deref(), Some("FACTURE CB HALL'S BEER"));
    assert_eq!((&transactions[2].counterparty, &transactions[2].account), (&None, &None));
    match &transactions[3].counterparty {
        Some(Counterparty::TransactionCounterparty(counterparty)) => {
            assert_eq!(
                counterparty.account_scheme_name,
                Some(TransactionCounterpartyAccountSchemeName::Unknown("swift_bic".into()))
            );
            assert_eq!(counterparty.r#type, None);
        }
        other => panic!("an object counterparty, got {other:?}"),
    }
}

#[tokio::test]
async fn a_page_in_the_vendors_current_shape_decodes() {
    let server = serve_json(200, vendor_page()).await;
    let client = client_for(&server.uri());
    let page = client.list_transactions(UserId::Me).send().await.expect("send decodes it");
    check_vendor_transactions(&page.transactions);
    let streamed: Vec<Transaction> = client
        .list_transactions(UserId::Me)
        .into_stream()
        .map(|item| item.expect("every item decodes"))
        .collect()
        .await;
    check_vendor_transactions(&streamed);
    let page = client.list_transactions(UserId::Me).send_items().await.expect("send_items decodes it");
    assert_eq!((page.total, page.offset, page.errors().count()), (Some(4), 0, 0));
    check_vendor_transactions(&page.decoded().cloned().collect::<Vec<_>>());

    // accounts without a balance, or with a null one
    let accounts = json!({"accounts": [
        {"id": 1, "display": true, "balance": null},
        {"id": 2, "display": true},
        {"id": 3, "display": true, "balance": 2893.36},
    ]});
    let server = serve_json(200, accounts).await;
    let accounts = client_for(&server.uri()).list_accounts(UserId::Me).send().await.expect("accounts decode");
    let balances: Vec<Option<String>> = accounts.accounts.iter().map(|a| a.balance.map(|b| b.to_string())).collect();
    assert_eq!(balances, [None, None, Some("2893.36".to_owned())]);
}

/// Items `ids` as vendor transactions, the one with id `bad` given a value
/// of the wrong type and a password.
fn page_of(ids: std::ops::RangeInclusive<i64>, bad: Option<i64>, total: i64) -> Value {
    let items: Vec<Value> = ids
        .map(|id| {
            let mut item = vendor_transaction(id);
            if Some(id) == bad {
                item["value"] = json!("twelve euros");
                item["password"] = json!(MARKER);
                item["nested"] = json!({"token": MARKER, "kept": "visible"});
            }
            item
        })
        .collect();
    json!({"transactions": items, "total": total})
}

/// Two pages of `limit=100`: ids 1 to 100 (id 43, index 42, wrong-typed),
/// then 101 to 150.
async fn two_pages() -> MockServer {
    let server = MockServer::start().await;
    for (offset, page) in [("0", page_of(1..=100, Some(43), 150)), ("100", page_of(101..=150, None, 150))] {
        Mock::given(method("GET"))
            .and(path("/users/me/transactions"))
            .and(query_param("offset", offset))
            .and(query_param("limit", "100"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .expect(1)
            .mount(&server)
            .await;
    }
    server
}

/// The item error's own checks: what it names, its raw JSON, no secret in
/// any rendering.
fn check_item_error(error: &Error, index: usize, offset: i64) -> &ItemError {
    let item = error.item().unwrap_or_else(|| panic!("an item error, got {error:?}"));
    assert_eq!(item.operation, Some(LIST_TRANSACTIONS));
    assert_eq!(error.operation(), Some(LIST_TRANSACTIONS));
    assert_eq!((item.index, item.offset), (index, offset));
    assert_eq!(item.path, format!("transactions[{index}].value"));
    assert!(item.message.contains("twelve euros") || item.message.contains("invalid type"), "{}", item.message);
    // the raw item: as received, its credentials redacted
    assert!(item.raw.contains(r#""id":43"#), "{}", item.raw);
    assert!(item.raw.contains(r#""value":"twelve euros""#), "{}", item.raw);
    assert!(item.raw.contains(r#""password":"[redacted]""#), "{}", item.raw);
    assert!(item.raw.contains(r#""token":"[redacted]""#) && item.raw.contains("visible"), "{}", item.raw);
    assert!(!item.raw.contains(MARKER), "{}", item.raw);
    let display = error.to_string();
    assert!(
        display.starts_with(&format!(
            "{LIST_TRANSACTIONS}: cannot decode item {index} of the page (offset {offset}) at `transactions[{index}].value`: "
        )),
        "{display}"
    );
    for (what, text) in [
        ("Display", display),
        ("Debug", format!("{error:?}")),
        ("pretty Debug", format!("{error:#?}")),
        ("ItemError Display", item.to_string()),
        ("ItemError Debug", format!("{item:?}")),
    ] {
        assert!(!text.contains(MARKER), "{what} shows the password: {text}");
        assert!(!text.contains(TOKEN), "{what} shows the token: {text}");
    }
    item
}

// README-EXAMPLE-START
async fn sync(client: &powens::Client, synced: &mut Vec<Transaction>, skipped: &mut Vec<String>) -> Result<(), Error> {
    let mut transactions = std::pin::pin!(client.list_transactions(UserId::Me).into_stream());
    while let Some(transaction) = transactions.next().await {
        match transaction {
            Ok(transaction) => synced.push(transaction),
            // one item the client cannot read: log it, keep syncing
            Err(error) if error.item().is_some() => skipped.push(error.to_string()),
            // the network, the API, a page that cannot be read
            Err(error) => return Err(error),
        }
    }
    Ok(())
}
// README-EXAMPLE-END

/// The README shows the body of `sync` above as it is here.
#[test]
fn the_readme_shows_the_sync_loop() {
    let this = include_str!("drift.rs");
    let start = this.find("// README-EXAMPLE-START\n").unwrap();
    let end = this.find("// README-EXAMPLE-END").unwrap();
    let body: Vec<&str> = this[start..end].lines().skip(2).collect();
    // the function's body without its last two lines (`Ok(())`, `}`), one level less indented
    let body: Vec<&str> = body[..body.len() - 2].iter().map(|line| line.strip_prefix("    ").unwrap_or(line)).collect();
    let example = body.join("\n");
    let readme = std::fs::read_to_string(xtask::root().join("README.md")).unwrap();
    assert!(readme.contains(&example), "README.md must show this loop, word for word:\n{example}");
}

#[tokio::test]
async fn one_bad_item_in_a_page_of_100_costs_one_item_and_the_stream_goes_on() {
    let server = two_pages().await;
    let results: Vec<Result<Transaction, Error>> =
        client_for(&server.uri()).list_transactions(UserId::Me).limit(100).into_stream().collect().await;
    assert_eq!(results.len(), 150, "99 items, 1 item error, then the next page's 50");
    let errors: Vec<(usize, &Error)> =
        results.iter().enumerate().filter_map(|(at, item)| item.as_ref().err().map(|error| (at, error))).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, 42, "the error comes in the item's place");
    check_item_error(errors[0].1, 42, 42);
    let ids: Vec<i64> = results.iter().filter_map(|item| item.as_ref().ok()).map(|t| t.id).collect();
    let expected: Vec<i64> = (1..=150).filter(|id| *id != 43).collect();
    assert_eq!(ids, expected);
    assert!(!format!("{results:?}").contains(MARKER));
    // the offset advanced by every item, the bad one included
    let offsets: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| request.url.query_pairs().find(|(name, _)| name == "offset").unwrap().1.into_owned())
        .collect();
    assert_eq!(offsets, ["0", "100"]);
    server.verify().await;

    // the README's loop over the same pages
    let server = two_pages().await;
    let (mut synced, mut skipped) = (Vec::new(), Vec::new());
    sync(&client_for(&server.uri()), &mut synced, &mut skipped).await.expect("the sync goes on");
    assert_eq!((synced.len(), skipped.len()), (149, 1));
    assert!(skipped[0].contains("item 42 of the page (offset 42) at `transactions[42].value`"), "{}", skipped[0]);
}

#[tokio::test]
async fn send_items_gives_each_item_its_outcome_and_send_is_unchanged() {
    let mut page = page_of(201..=210, Some(43), 300);
    // id 43 is not in 201..=210: make the fourth item the bad one
    page["transactions"][3] = page_of(43..=43, Some(43), 0)["transactions"][0].clone();
    let server = serve_json(200, page).await;
    let client = client_for(&server.uri());
    let page = client.list_transactions(UserId::Me).offset(200).limit(10).send_items().await.expect("a page");
    assert_eq!((page.total, page.offset, page.items.len()), (Some(300), 200, 10));
    assert_eq!(page.decoded().count(), 9);
    let error = page.items[3].as_ref().expect_err("the fourth item");
    check_item_error(error, 3, 203);
    assert_eq!(page.errors().count(), 1);
    // `send` still decodes the page whole
    match client.list_transactions(UserId::Me).send().await {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "transactions[3].value"),
        other => panic!("send fails on the bad item, got {other:?}"),
    }
}

/// Amounts as raw JSON text: a `serde_json::Value` would round them before
/// they reach the server.
#[tokio::test]
async fn an_inexact_amount_fails_its_item_and_is_never_rounded() {
    let item = |id: i64, value: &str| {
        format!(
            r#"{{"id": {id}, "id_account": 17, "date": "2025-01-14", "date_scraped": "2025-01-14 10:21:03", "rdate": "2025-01-13", "coming": false, "active": true, "value": {value}}}"#
        )
    };
    let values = [
        "0.1234567890123456789012345678",     // 28 places: exact
        "0.10000000000000000000000000000001", // 32 places: no Decimal holds it
        "123456789012345678901234567890",     // 30 digits: too large
        "1e400",                              // no f64 either
        "-16.20",                             // exact, scale kept
        "true",                               // no amount at all
    ];
    let items: Vec<String> = values.iter().enumerate().map(|(at, value)| item(at as i64 + 1, value)).collect();
    let body = format!(r#"{{"transactions": [{}], "total": 6}}"#, items.join(", "));
    let server = serve_raw(200, body.as_bytes(), "application/json").await;
    let client = client_for(&server.uri());
    let page = client.list_transactions(UserId::Me).send_items().await.expect("the page");
    let shown: Vec<String> = page
        .items
        .iter()
        .map(|item| match item {
            Ok(transaction) => transaction.value.as_ref().unwrap().to_string(),
            Err(error) => error.item().unwrap().path.clone(),
        })
        .collect();
    assert_eq!(
        shown,
        [
            "0.1234567890123456789012345678",
            "transactions[1].value",
            "transactions[2].value",
            "transactions[3].value",
            "-16.20",
            "transactions[5].value",
        ]
    );
    // the raw item keeps the amount's digits as they came
    for (at, value) in [(1, values[1]), (2, values[2]), (3, values[3])] {
        let raw = &page.items[at].as_ref().unwrap_err().item().unwrap().raw;
        assert!(raw.contains(&format!(r#""value": {value}"#)), "{raw}");
    }
    let streamed: Vec<Result<Transaction, Error>> = client.list_transactions(UserId::Me).into_stream().collect().await;
    assert_eq!(streamed.iter().filter(|item| item.is_err()).count(), 4);
    assert_eq!(streamed.len(), 6);
}

#[tokio::test]
async fn a_page_whose_own_fields_are_wrong_still_fails_whole() {
    let mut page = page_of(1..=3, Some(2), 3);
    page["total"] = json!("three");
    let server = serve_json(200, page).await;
    let client = client_for(&server.uri());
    let results: Vec<Result<Transaction, Error>> = client.list_transactions(UserId::Me).into_stream().collect().await;
    assert_eq!(results.len(), 1, "the error, and the stream ends: {results:?}");
    match &results[0] {
        Err(Error::Decode { operation, path, body, .. }) => {
            assert_eq!(*operation, Some(LIST_TRANSACTIONS));
            assert_eq!(path, "total");
            assert!(body.contains("\"three\""), "the whole body is kept");
        }
        other => panic!("a decode error of the page, got {other:?}"),
    }
    match client.list_transactions(UserId::Me).send_items().await {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "total"),
        other => panic!("a decode error of the page, got {other:?}"),
    }
    assert!(client.list_transactions(UserId::Me).send().await.is_err());

    // items that are not a list, a body that is not JSON
    for (body, content_type) in [
        (r#"{"transactions": {"id": 1}, "total": 1}"#, "application/json"),
        ("<html>Bad gateway</html>", "text/html"),
        ("", "application/json"),
    ] {
        let server = serve_raw(200, body.as_bytes(), content_type).await;
        let client = client_for(&server.uri());
        let expected = client.list_transactions(UserId::Me).send().await.unwrap_err().to_string();
        let results: Vec<Result<Transaction, Error>> = client.list_transactions(UserId::Me).into_stream().collect().await;
        match results.as_slice() {
            [Err(error @ Error::Decode { .. })] => assert_eq!(error.to_string(), expected, "{body}"),
            other => panic!("{body}: one decode error, got {other:?}"),
        }
    }
}

/// A server that ignores `offset` and sends a bad item in every page ends
/// the stream with `Error::Pagination`: the bad item does not make the
/// page look new.
#[tokio::test]
async fn a_bad_item_does_not_hide_a_server_that_ignores_offset() {
    let server = serve_json(200, page_of(1..=3, Some(2), 10)).await;
    let results: Vec<Result<Transaction, Error>> =
        client_for(&server.uri()).list_transactions(UserId::Me).limit(3).into_stream().collect().await;
    assert_eq!(results.len(), 4, "{results:?}");
    assert!(results[1].as_ref().is_err_and(|error| error.item().is_some()));
    assert!(matches!(results[3], Err(Error::Pagination { offset: 3, .. })), "{:?}", results[3]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
