//! Typed async client for the Powens (formerly Budgea / Budget Insight)
//! bank-aggregation API 2.0, generated from `spec/powens.yaml`.
//!
//! Every operation is a method on [`Client`] that returns a request builder:
//! required parameters in the call, optional ones as setters, then
//! `.send().await`.
//!
//! ```no_run
//! use powens::{models::UserId, Client, RetryPolicy};
//! use std::time::Duration;
//!
//! # async fn run() -> Result<(), powens::Error> {
//! let runtime = client_runtime::Client::builder(powens::server_url("demo"))
//!     .bearer_token("user-token")
//!     .timeout(Duration::from_secs(20))
//!     .retry(RetryPolicy::default_for_idempotent())
//!     .build()?;
//! let client = Client::from_runtime(runtime);
//! let connections = client.list_connections(UserId::Me).send().await?;
//! for connection in connections.connections {
//!     println!("connection {} to connector {:?}", connection.id, connection.id_connector);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Errors are one type, [`Error`]: transport, timeout, API errors with the
//! decoded `code`/`message` ([`ApiError`]), decode errors with the JSON path
//! of the failing field. Tokens and passwords are [`Secret`]s, redacted in
//! `Debug` output. Only idempotent requests are ever retried.

#[rustfmt::skip]
mod generated;

pub use client_runtime::{Amount, ApiError, Date, Error, RetryPolicy, Secret, SqlDateTime};
pub use generated::*;
