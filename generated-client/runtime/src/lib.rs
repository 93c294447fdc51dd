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

//!
//! TLS comes from one of two features: `rustls` (the default: rustls on
//! aws-lc-rs, what reqwest 0.13 uses by default) or `native-tls` (the
//! platform's: OpenSSL on Linux, SChannel, Security.framework). With both,
//! reqwest uses the platform's.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// without a TLS back end every `https://` request would fail at run time
#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
compile_error!(
    "client-runtime needs a TLS back end: turn on its `rustls` feature (the default) or its `native-tls` feature \
     (for a generated crate such as powens: `powens = { version = \"…\", default-features = false, features = [\"native-tls\"] }`)"
);

mod amount;
mod client;
mod datetime;
pub mod de;
pub mod ser;
mod encoding;
mod error;
mod json;
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

/// For an application's middleware ([`reqwest_middleware::Middleware`]):
/// `#[async_trait]` on its impl, and `http::Extensions` in its signature.
pub use async_trait::async_trait;
pub use http;
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
pub use error::{ApiError, Attempts, Error, ItemError};
pub use multipart::{FilePart, Multipart};
pub use page::Page;
pub use paginate::{paginate, paginate_items, paginate_pages, Items};
pub use request::Request;
pub use response::{FromResponse, Response};
pub use retry::RetryPolicy;
pub use secret::Secret;

#[cfg(test)]
mod tests {
    /// Property test cases: `minimum`, or more with `PROPTEST_CASES` from
    /// the environment for longer runs. A value below the minimum, or one
    /// that is no number, is refused (the test fails): a proof cannot be
    /// switched off from the environment.
    pub(crate) fn cases(minimum: u32) -> u32 {
        cases_from(std::env::var("PROPTEST_CASES").ok().as_deref(), minimum).unwrap_or_else(|refused| panic!("{refused}"))
    }

    /// [`cases`] for a value of `PROPTEST_CASES` (`None`: unset).
    fn cases_from(value: Option<&str>, minimum: u32) -> Result<u32, String> {
        match value {
            None => Ok(minimum),
            Some(text) => match text.trim().parse::<u32>() {
                Ok(cases) if cases >= minimum => Ok(cases),
                _ => Err(format!("PROPTEST_CASES={text:?} is refused: this property test runs at least {minimum} cases")),
            },
        }
    }

    /// Runs a property test of at least `minimum` cases ([`cases`]) with its
    /// own runner (proptest's macros take `PROPTEST_CASES` over the test's
    /// own size, so `PROPTEST_CASES=0` would pass with no case), and asserts
    /// the number of cases that ran.
    pub(crate) fn property<S: proptest::strategy::Strategy>(
        name: &str,
        minimum: u32,
        strategy: S,
        test: impl Fn(S::Value) -> Result<(), proptest::test_runner::TestCaseError>,
    ) {
        use proptest::test_runner::{Config, TestRunner};
        let cases = cases(minimum);
        let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::with_cases(cases) });
        let ran = std::cell::Cell::new(0u32);
        let result = runner.run(&strategy, |value| {
            ran.set(ran.get() + 1);
            test(value)
        });
        if let Err(error) = result {
            panic!("{name}: {error}");
        }
        assert!(cases >= minimum, "{name}: {cases} cases, below the minimum {minimum}");
        assert_eq!(ran.get(), cases, "{name}: ran {} cases of {cases}", ran.get());
    }

    /// The size of a property test cannot be lowered from the environment,
    /// and the cases that ran are counted.
    #[test]
    fn sizes_below_the_minimum_are_refused() {
        assert_eq!(cases_from(None, 500), Ok(500));
        assert_eq!(cases_from(Some("800"), 500), Ok(800));
        assert_eq!(cases_from(Some("500"), 500), Ok(500));
        for refused in ["0", "1", "499", "", "many", "-1", "1e9"] {
            let error = cases_from(Some(refused), 500).unwrap_err();
            assert!(error.contains("at least 500 cases"), "{error}");
        }
        let ran = std::cell::Cell::new(0);
        property("counted", 37, 0u8..10, |_| {
            ran.set(ran.get() + 1);
            Ok(())
        });
        assert_eq!(ran.get(), cases(37));
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
