//! When to retry a request, and how long to wait first.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::Method;

/// How many times to retry an idempotent request, and the waits in between.
///
/// Retries are opt-in ([`RetryPolicy::none`] is the default) and only ever
/// apply to idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`,
/// `TRACE`): a `POST` or `PATCH` is never sent twice, since a transfer must
/// not be repeated. A retry happens after a connection failure (refused, or
/// dropped before or during the response), a timeout, or a 429, 502, 503 or
/// 504 response. The wait doubles from `initial_backoff`
/// up to `max_backoff`; a `Retry-After` header replaces it, still capped at
/// `max_backoff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The wait before the first retry.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// No retries.
    pub const fn none() -> RetryPolicy {
        RetryPolicy {
            max_retries: 0,
            initial_backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
        }
    }

    /// Three retries, waiting 200 ms, then 400 ms, then 800 ms (at most 5 s).
    pub const fn default_for_idempotent() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }

    /// How many retries `method` may have under this policy.
    pub(crate) fn retries_for(&self, method: &Method) -> u32 {
        if is_idempotent(method) {
            self.max_retries
        } else {
            0
        }
    }

    /// The wait before retry number `attempt` (0 for the first retry).
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt));
        retry_after.unwrap_or(exponential).min(self.max_backoff)
    }
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy::none()
    }
}

/// Methods that RFC 9110 defines as idempotent. Anything else, including
/// extension methods, is never retried.
fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
}

/// Statuses that say "try again later" rather than "this request is wrong".
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Failures where trying again may help: no connection, a connection
/// dropped before or during the response, a timeout (idempotent requests
/// only: the server may have acted on a request whose response was lost).
/// The client only reads a body's bytes, so reqwest's `decode` errors are a
/// body cut short there, not a format it failed to read.
pub(crate) fn is_retryable_error(error: &reqwest::Error) -> bool {
    error.is_connect() || error.is_timeout() || error.is_request() || error.is_body() || error.is_decode()
}

/// Parses `Retry-After`: delay seconds, or an HTTP date (a date in the past
/// means no wait).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(text).ok()?.timestamp();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    let wait = u64::try_from(at).unwrap_or(0).saturating_sub(now);
    Some(Duration::from_secs(wait))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn never_retries_post_or_patch() {
        let policy = RetryPolicy::default_for_idempotent();
        assert_eq!(policy.retries_for(&Method::POST), 0);
        assert_eq!(policy.retries_for(&Method::PATCH), 0);
        assert_eq!(policy.retries_for(&Method::GET), 3);
        assert_eq!(policy.retries_for(&Method::DELETE), 3);
        assert_eq!(RetryPolicy::default().retries_for(&Method::GET), 0);
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = RetryPolicy::default_for_idempotent();
        assert_eq!(policy.delay(0, None), Duration::from_millis(200));
        assert_eq!(policy.delay(2, None), Duration::from_millis(800));
        assert_eq!(policy.delay(40, None), Duration::from_secs(5));
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(3600))),
            Duration::from_secs(5)
        );
    }

    fn headers(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn parses_retry_after() {
        assert_eq!(retry_after(&headers("0")), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers(" 12 ")), Some(Duration::from_secs(12)));
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        assert!(
            retry_after(&headers("Fri, 01 Jan 2100 00:00:00 GMT"))
                > Some(Duration::from_secs(3600))
        );
        assert_eq!(retry_after(&headers("-1")), None);
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }
}
