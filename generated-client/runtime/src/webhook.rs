//! Decoding of webhook bodies posted by the API.

use serde::de::DeserializeOwned;

use crate::Error;

/// Decodes a webhook body as JSON.
///
/// A failure is [`Error::Decode`] with the JSON path of the failing field and
/// status 0 (the body did not come from a response to us).
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    crate::response::decode_json(None, 0, None, body)
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
    fn decodes_and_names_the_failing_field() {
        let event: Event = decode(br#"{"user": {"id": 7}}"#).unwrap();
        assert_eq!(event.user.id, 7);
        match decode::<Event>(br#"{"user": {"id": "seven"}}"#) {
            Err(error @ Error::Decode { .. }) => {
                assert_eq!(error.status(), None);
                let Error::Decode { status, path, .. } = error else {
                    unreachable!()
                };
                assert_eq!((status, path.as_str()), (0, "user.id"));
            }
            other => panic!("expected Decode, got {other:?}"),
        }
    }
}
