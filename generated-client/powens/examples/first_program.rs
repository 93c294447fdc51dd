//! A first real program: create a user with a permanent token, list its
//! connections with their accounts, then page through its transactions.
//!
//! ```text
//! POWENS_DOMAIN=demo POWENS_CLIENT_ID=… POWENS_CLIENT_SECRET=… cargo run -p powens --example first_program
//! ```

use powens::StreamExt;
use powens::models::{ConnectionExpand, InitAuthRequest, UserId};

#[tokio::main]
async fn main() -> Result<(), powens::Error> {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let client = powens::Client::builder(powens::server_url(&var("POWENS_DOMAIN"))).build()?;

    // 1. A new user; with client credentials its token is permanent.
    let mut init = InitAuthRequest::new();
    init.client_id = Some(var("POWENS_CLIENT_ID"));
    init.client_secret = Some(var("POWENS_CLIENT_SECRET").into());
    let auth = client.init_auth().body(init).send().await?;
    let client = client.with_bearer_token(auth.auth_token);

    // 2. Its connections, with their accounts expanded.
    let connections = client
        .list_connections(UserId::Me)
        .expand([ConnectionExpand::Accounts])
        .send()
        .await?;
    for connection in &connections.connections {
        println!("connection {} ({:?})", connection.id, connection.error);
        for account in connection.accounts.iter().flatten() {
            let balance = account.balance.map(|b| b.to_string()).unwrap_or_default();
            println!("  {:?}: {balance}", account.name);
        }
    }

    // 3. Every transaction, fetched lazily 50 at a time.
    let mut transactions = std::pin::pin!(client.list_transactions(UserId::Me).limit(50).into_stream());
    while let Some(transaction) = transactions.next().await {
        let transaction = transaction?;
        let value = transaction.value.map(|v| v.to_string()).unwrap_or_default();
        let label = transaction.simplified_wording.or(transaction.wording).unwrap_or_default();
        println!("{} {value:>10} {label}", transaction.date);
    }
    Ok(())
}
