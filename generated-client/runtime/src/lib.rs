//! Small hand-written runtime shared by the generated API clients.
//!
//! Generated crates describe each operation as a [`Request`] (built in a
//! closure handed to [`Client::send_json`] or [`Client::send`], which run it
//! through [`Client::execute`]) and decode JSON objects with [`de`] and
//! [`ser`]; everything that touches the wire (URL building,
//! encoding, authentication, timeouts, retries, error decoding) lives here so
//! the generated code stays declarative and the security-sensitive parts are
//! written and reviewed once.
//!
//! Security choices worth knowing:
//! - Tokens, passwords and client secrets are held in [`Secret`], which never
//!   prints its value.
//! - Errors never carry a query string (it may hold codes or tokens), and
//!   their `Debug` output elides response bodies.
//! - Retries are opt-in ([`RetryPolicy`]) and never repeat `POST` or `PATCH`.
//! - The default HTTP client does not follow redirects, so a bearer token is
//!   only ever sent to the configured base URL and a request is never
//!   replayed somewhere else.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod amount;
mod client;
mod datetime;
pub mod de;
pub mod ser;
mod encoding;
mod error;
#[cfg(feature = "mock")]
pub mod mock;
mod multipart;
mod page;
mod paginate;
mod redact;
mod request;
mod response;
mod retry;
mod secret;
pub mod webhook;
pub mod webview;

pub use bytes::Bytes;
pub use futures_core::Stream;
pub use futures_util::StreamExt;
pub use chrono::{NaiveDate, NaiveDateTime};
pub use reqwest;
pub use reqwest_middleware;
pub use reqwest::Method;
pub use rust_decimal::Decimal;
pub use serde_json;

pub use amount::{Amount, ParseAmountError};
pub use client::{Client, ClientBuilder, ResponseFuture};
pub use datetime::{Date, ParseDateError, ParseSqlDateTimeError, SqlDateTime};
pub use encoding::{path_list, path_segment};
pub use error::{ApiError, Error, ItemError};
pub use multipart::{FilePart, Multipart};
pub use page::Page;
pub use paginate::{paginate, paginate_items};
pub use request::Request;
pub use response::{FromResponse, Response};
pub use retry::RetryPolicy;
pub use secret::Secret;

#[cfg(test)]
mod tests {
    /// Property test cases: `default`, or `PROPTEST_CASES` from the
    /// environment for longer runs (`cargo xtask proptest`).
    pub(crate) fn cases(default: u32) -> u32 {
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
    }

    /// Errors go into `anyhow`/`Box<dyn Error + Send + Sync>`, and clients and
    /// requests cross `tokio::spawn`.
    #[test]
    fn public_types_are_send_and_sync() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<crate::Error>();
        assert_send_sync::<crate::Client>();
        assert_send_sync::<crate::Request>();
        assert_send_sync::<crate::Response>();
        assert_send_sync::<crate::Multipart>();
        assert_send_sync::<crate::Secret>();
    }
}
