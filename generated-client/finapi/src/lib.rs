//! Typed async client for finAPI bank connections, generated from
//! `spec/finapi.yaml` (it proves the generator is not tied to one API).
//!
//! ```no_run
//! # async fn run() -> Result<(), finapi::Error> {
//! let runtime = client_runtime::Client::builder(finapi::DEFAULT_SERVER_URL)
//!     .bearer_token("access-token")
//!     .build()?;
//! let client = finapi::Client::from_runtime(runtime);
//! let list = client.get_all_bank_connections().ids([1, 2]).send().await?;
//! println!("{list:?}");
//! # Ok(())
//! # }
//! ```

#[rustfmt::skip]
mod generated;

pub use client_runtime::{ApiError, Error, RetryPolicy, Secret};
pub use generated::*;
