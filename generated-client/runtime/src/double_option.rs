//! Serde helpers for `Option<Option<T>>` fields, where an absent field and an
//! explicit `null` mean different things on the wire (for instance "leave
//! unchanged" versus "clear").
//!
//! Use with
//! `#[serde(default, skip_serializing_if = "Option::is_none", with = "::client_runtime::double_option")]`:
//!
//! | wire          | value            |
//! |---------------|------------------|
//! | field absent  | `None`           |
//! | `null`        | `Some(None)`     |
//! | a value       | `Some(Some(v))`  |

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `null` for `Some(None)` and the value for `Some(Some(v))`.
///
/// `None` is normally skipped by `skip_serializing_if`; if it is not, it is
/// written as `null` too.
pub fn serialize<T, S>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Serialize,
    S: Serializer,
{
    match value {
        Some(Some(inner)) => serializer.serialize_some(inner),
        Some(None) | None => serializer.serialize_none(),
    }
}

/// Reads `null` as `Some(None)` and a value as `Some(Some(v))`.
///
/// Serde only calls this when the field is present; `#[serde(default)]` makes
/// an absent field `None`.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::double_option"
        )]
        name: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_value_decode_differently() {
        let absent: Patch = serde_json::from_str("{}").unwrap();
        let null: Patch = serde_json::from_str(r#"{"name":null}"#).unwrap();
        let value: Patch = serde_json::from_str(r#"{"name":"x"}"#).unwrap();
        assert_eq!(absent.name, None);
        assert_eq!(null.name, Some(None));
        assert_eq!(value.name, Some(Some("x".to_owned())));
    }

    #[test]
    fn encodes_back_to_the_same_text() {
        for text in ["{}", r#"{"name":null}"#, r#"{"name":"x"}"#] {
            let patch: Patch = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&patch).unwrap(), text);
        }
    }

    #[test]
    fn wrong_type_is_an_error() {
        assert!(serde_json::from_str::<Patch>(r#"{"name":3}"#).is_err());
    }
}
