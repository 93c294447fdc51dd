//! Typed async client for the Powens (formerly Budgea / Budget Insight)
//! bank-aggregation API 2.0, generated from `spec/powens.yaml`.
//!
//! Depend on this crate alone: it re-exports what a program needs (the
//! client and its builder, [`Amount`], [`Date`], [`SqlDateTime`],
//! [`Secret`], [`Error`], [`RetryPolicy`], `reqwest` 0.13,
//! `reqwest_middleware`, [`async_trait`] and [`http`] for your own HTTP
//! client and middleware, [`StreamExt`] and [`Items`] for paged lists).
//!
//! ```toml
//! [dependencies]
//! powens = { path = "…/generated-client/powens" }
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! Every operation is a method on [`Client`] that returns a request builder:
//! required parameters in the call, optional ones as setters, then
//! `.send().await`.
//!
//! ```no_run
//! use powens::{models::UserId, Client, RetryPolicy, StreamExt};
//! use std::time::Duration;
//!
//! # async fn run() -> Result<(), powens::Error> {
//! let client = Client::builder(powens::server_url("demo"))
//!     .bearer_token("user-token")
//!     .timeout(Duration::from_secs(20))
//!     .retry(RetryPolicy::default_for_idempotent())
//!     .build()?;
//! let connections = client.list_connections(UserId::Me).send().await?;
//! for connection in connections.connections {
//!     println!("connection {} to connector {:?}", connection.id, connection.id_connector);
//! }
//! let mut transactions = std::pin::pin!(client.list_transactions(UserId::Me).into_stream());
//! while let Some(transaction) = transactions.next().await {
//!     match transaction {
//!         Ok(transaction) => println!("{} {:?}", transaction.date, transaction.value),
//!         // one item the client cannot read: the stream goes on
//!         Err(error) if error.item().is_some() => eprintln!("skipped: {error}"),
//!         Err(error) => return Err(error),
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Errors are one type, [`Error`]: transport, timeout, API errors with the
//! decoded `code`/`message` ([`ApiError`]), decode errors with the JSON path
//! of the failing field, and item errors ([`ItemError`]): in a list read
//! with `into_stream()` or `send_items()` (a [`Page`]), an item that does not
//! decode costs that item, not the page (its index, offset, JSON path and
//! raw JSON with credentials redacted); unknown fields are ignored, unknown
//! enum values kept, amounts never rounded. API and decode errors name the operation they came
//! from. The API's error code reads typed:
//! `error.api_code_as() == Some(models::ApiErrorCode::Wrongpass)`. Tokens
//! and passwords are [`Secret`]s, redacted in `Debug` output. Only
//! idempotent requests are ever retried.
//!
//! Each request is a `tracing` event (target `client_runtime`, nothing
//! secret in it); `ClientBuilder::middleware_client` takes a
//! `reqwest_middleware` client whose middleware runs on every attempt.
//!
//! For the application's own tests, the `mock` feature adds
//! `mock::MockServer`: a local server on which each operation is stubbed
//! with the client's own types (`server.create_connection().respond(..)`),
//! see the README.
//!
//! `use powens::models::*` next to `use powens::*` is safe: no model takes
//! the name of a root item (the API's `Client` and `Error` schemas are
//! `ClientModel` and `ErrorModel`).

#[rustfmt::skip]
mod generated;

// What a program needs besides the client and its models, so that it
// depends on this crate alone (a plain comment: a doc comment here would
// be prepended to every re-exported item's own docs).
pub use client_runtime::{
    async_trait, http, reqwest, reqwest_middleware, Amount, ApiError, Attempts, Date, Decimal, Error, ItemError, Items, NaiveDate,
    NaiveDateTime, Page, RetryPolicy, Secret, SqlDateTime, Stream, StreamExt,
};
pub use generated::*;
