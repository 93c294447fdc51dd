//! Webhook requests posted by the API: who sent them, and their bodies.

use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::{Error, Secret};

pub use crate::error::Refusal;

/// Checks that a webhook request for `event` carries `Authorization: Bearer
/// <token>` with the expected `token` (the API signs a webhook with the
/// user's access token): anyone can post to a callback URL, so a body is
/// trusted only after this. `authorization` is the header's raw value, as
/// the web framework gives it (`headers.get("authorization").map(|v|
/// v.as_bytes())`).
///
/// The tokens are compared in constant time (`subtle`), so the time taken
/// does not tell how much of a forged token was right (only whether its
/// length was). An empty expected token refuses everything. The refusal,
/// [`Error::WebhookRefused`], names the event and the reason, never a token.
pub fn authenticate(event: &str, authorization: Option<&[u8]>, token: &Secret) -> Result<(), Error> {
    let refuse = |refusal| Err(Error::WebhookRefused { event: event.to_owned(), refusal });
    let Some(header) = authorization else { return refuse(Refusal::Missing) };
    // the scheme is case-insensitive (RFC 9110 section 11.1), then one or more spaces
    let Some((scheme, rest)) = header.split_at_checked(6) else { return refuse(Refusal::NotBearer) };
    let given = rest.trim_ascii_start();
    if !scheme.eq_ignore_ascii_case(b"Bearer") || given.len() == rest.len() || given.is_empty() {
        return refuse(Refusal::NotBearer);
    }
    let expected = token.expose().as_bytes();
    if expected.is_empty() || !bool::from(given.ct_eq(expected)) {
        return refuse(Refusal::WrongToken);
    }
    Ok(())
}

/// Decodes a webhook body as JSON; `webhook` names it in errors
/// (`webhook USER_SYNCED`).
///
/// A failure is [`Error::Decode`] naming the webhook, with the JSON path of
/// the failing field and status 0 (the body did not come from a response
/// to us).
pub fn decode<T: DeserializeOwned>(webhook: &'static str, body: &[u8]) -> Result<T, Error> {
    crate::json::decode_json(Some(webhook), 0, None, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Event {
        user: User,
    }

    #[derive(Debug, Deserialize)]
    struct User {
        id: i64,
    }

    #[test]
    fn only_the_expected_bearer_token_is_accepted() {
        let token = Secret::new("tok_user_42");
        let check = |header: Option<&str>| authenticate("USER_SYNCED", header.map(str::as_bytes), &token);
        for accepted in ["Bearer tok_user_42", "bearer tok_user_42", "BEARER   tok_user_42"] {
            assert!(check(Some(accepted)).is_ok(), "{accepted}");
        }
        let cases = [
            (None, Refusal::Missing),
            (Some(""), Refusal::NotBearer),
            (Some("Bearer"), Refusal::NotBearer),
            (Some("Bearer "), Refusal::NotBearer),
            (Some("Bearertok_user_42"), Refusal::NotBearer),
            (Some("Basic dG9rX3VzZXJfNDI="), Refusal::NotBearer),
            (Some("tok_user_42"), Refusal::NotBearer),
            (Some("Bearer tok_user_4"), Refusal::WrongToken),
            (Some("Bearer tok_user_421"), Refusal::WrongToken),
            (Some("Bearer TOK_USER_42"), Refusal::WrongToken),
            (Some("Bearer tok_user_42 "), Refusal::WrongToken),
        ];
        for (header, expected) in cases {
            match check(header) {
                Err(error @ Error::WebhookRefused { refusal, .. }) => {
                    assert_eq!(refusal, expected, "{header:?}");
                    let shown = format!("{error} {error:?}");
                    assert!(shown.contains("USER_SYNCED") && !shown.contains("tok_user"), "{shown}");
                }
                other => panic!("{header:?}: expected a refusal, got {other:?}"),
            }
        }
        // an empty expected token accepts nothing, not even an empty one
        let empty = Secret::new("");
        assert!(authenticate("E", Some(b"Bearer x"), &empty).is_err());
    }

    #[test]
    fn decodes_and_names_the_failing_field() {
        let event: Event = decode("webhook USER_CREATED", br#"{"user": {"id": 7}}"#).unwrap();
        assert_eq!(event.user.id, 7);
        match decode::<Event>("webhook USER_CREATED", br#"{"user": {"id": "seven"}}"#) {
            Err(error @ Error::Decode { .. }) => {
                assert_eq!(error.status(), None);
                assert!(error.to_string().starts_with("webhook USER_CREATED: cannot decode at `user.id`: "), "{error}");
                let Error::Decode { status, path, .. } = error else {
                    unreachable!()
                };
                assert_eq!((status, path.as_str()), (0, "user.id"));
            }
            other => panic!("expected Decode, got {other:?}"),
        }
    }
}
