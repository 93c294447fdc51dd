//! A whole Powens program, written from the README alone and depending on
//! the `powens` crate only: authenticate, add a connection through the
//! 202 "more information needed" flow, page through every transaction, make
//! a transfer, and handle an API error by its code. The tests run it
//! against a local server (`POWENS_BASE_URL`); pointed at a real domain
//! (`https://demo.biapi.pro/2.0`) it does the same there.

use powens::models::{
    ApiErrorCode, ConnectionRequest, ConnectionUpdateRequest, CreateTransferRequest, ExecuteTransferRequest, InitAuthRequest,
    UserId,
};
use powens::operations::connections::{CreateConnectionResponse, UpdateConnectionResponse};
use powens::{Client, RetryPolicy, Secret, StreamExt};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), powens::Error> {
    let base_url = std::env::var("POWENS_BASE_URL").unwrap_or_else(|_| powens::server_url("demo"));
    let client = Client::builder(&base_url)
        .timeout(Duration::from_secs(30))
        .retry(RetryPolicy::default_for_idempotent())
        .build()?;

    // 1. A user and its token.
    let auth = client
        .init_auth()
        .body(InitAuthRequest::new().with_client_id("my-client-id").with_client_secret("my-client-secret"))
        .send()
        .await?;
    let client = client.with_bearer_token(auth.auth_token);
    println!("authenticated");

    // 2. A connection: the bank asks for a code sent by SMS (202), we post it.
    let mut credentials = ConnectionRequest::new().with_id_connector(40);
    credentials.additional_properties.insert("login".into(), Secret::new("12345678"));
    credentials.additional_properties.insert("password".into(), Secret::new("s3cret-pass"));
    let connection = match client.create_connection(UserId::Me, credentials).send().await? {
        CreateConnectionResponse::Ok(connection) => connection,
        CreateConnectionResponse::Accepted(pending) => {
            let asked: Vec<String> = pending.fields.iter().flatten().map(|field| field.name.clone()).collect();
            println!("the bank asks for {asked:?}");
            let mut answer = ConnectionUpdateRequest::new();
            answer.additional_properties.insert("otp".into(), Secret::new("654321"));
            match client.update_connection(UserId::Me, pending.id).body(answer).send().await? {
                UpdateConnectionResponse::Ok(connection) | UpdateConnectionResponse::Accepted(connection) => connection,
            }
        }
    };
    println!("connection {} added", connection.id);

    // 3. Every transaction, page after page.
    let mut transactions = std::pin::pin!(client.list_transactions(UserId::Me).limit(2).into_stream());
    let mut count = 0;
    while let Some(transaction) = transactions.next().await {
        let transaction = transaction?;
        count += 1;
        println!("transaction {} {}", transaction.id, transaction.value.map(|v| v.to_string()).unwrap_or_default());
    }
    println!("{count} transactions");

    // 4. A transfer, executed with the wrong password: the API says so by its code.
    let transfer = client
        .create_transfer(UserId::Me, 17, 5, CreateTransferRequest::new("10.50".parse().expect("an amount"), "Rent"))
        .send()
        .await?;
    println!("transfer {} of {}", transfer.id, transfer.amount);
    let execute = ExecuteTransferRequest::new(true).with_password("not-the-password");
    match client.execute_transfer(UserId::Me, transfer.id, execute).send().await {
        Ok(_) => println!("transfer executed"),
        Err(error) if error.api_code_as() == Some(ApiErrorCode::Wrongpass) => {
            println!("the bank refused the password")
        }
        Err(error) => return Err(error),
    }
    Ok(())
}
