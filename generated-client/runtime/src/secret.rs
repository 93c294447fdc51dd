//! A string that must never appear in logs.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What `Debug` and `Display` print instead of the value.
pub(crate) const REDACTED: &str = "[redacted]";

/// A token, password or client secret.
///
/// `Debug` and `Display` print `[redacted]`, so a secret inside a model, a
/// client or an error cannot leak through `{:?}` or a log line. Serde sees the
/// plain string, because the value has to go on the wire. Use
/// [`Secret::expose`] where the real value is needed (never pass a `Secret`
/// itself where a `Display` value is expected: that sends `[redacted]`).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The real value, for the few places that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_owned())
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// A value of the wrong type is an error that does not quote it (serde's
/// own message would: `invalid type: integer `1234``).
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Secret, D::Error> {
        deserializer.deserialize_any(SecretVisitor)
    }
}

struct SecretVisitor;

impl SecretVisitor {
    fn wrong<E: serde::de::Error>(kind: &str) -> E {
        E::custom(format_args!("invalid type: {kind}, expected a string (a secret: its value is not shown)"))
    }
}

impl<'de> serde::de::Visitor<'de> for SecretVisitor {
    type Value = Secret;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string (a secret)")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Secret, E> {
        Ok(Secret(value.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Secret, E> {
        Ok(Secret(value))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Secret, E> {
        Err(Self::wrong("a boolean"))
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Secret, E> {
        Err(Self::wrong("a number"))
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Secret, E> {
        Err(Self::wrong("a number"))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Secret, E> {
        Err(Self::wrong("a number"))
    }

    // serde's own message for these quotes the value
    fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<Secret, E> {
        Err(Self::wrong("a number"))
    }

    fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<Secret, E> {
        Err(Self::wrong("a number"))
    }

    fn visit_bytes<E: serde::de::Error>(self, _: &[u8]) -> Result<Secret, E> {
        Err(Self::wrong("bytes"))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Secret, E> {
        Err(Self::wrong("null"))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Secret, A::Error> {
        Err(Self::wrong("an array"))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Secret, A::Error> {
        Err(Self::wrong("an object"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(secret.to_string(), "[redacted]");
        assert!(!format!("{:?}", Some(secret.clone())).contains("hunter2"));
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn serde_is_the_plain_string() {
        let secret = Secret::from("s3cr3t");
        assert_eq!(serde_json::to_string(&secret).unwrap(), r#""s3cr3t""#);
        let back: Secret = serde_json::from_str(r#""s3cr3t""#).unwrap();
        assert_eq!(back, secret);
        // an owned string (a `Value`, a reader): `visit_string`
        assert_eq!(serde_json::from_value::<Secret>(serde_json::json!("s3cr3t")).unwrap(), secret);
        assert_eq!(serde_json::from_reader::<_, Secret>(&br#""s3\u0063r3t""#[..]).unwrap(), secret);
        assert_eq!(Secret::from(String::from("a")), Secret::new("a"));
    }

    #[test]
    fn a_wrong_type_is_not_quoted_in_the_error() {
        for json in ["123456789", "-123456789", "true", "-1.5e3", r#"["hunter2"]"#, r#"{"a": "hunter2"}"#, "null"] {
            let error = serde_json::from_str::<Secret>(json).unwrap_err().to_string();
            assert!(error.contains("its value is not shown"), "{json}: {error}");
            for shown in ["123456789", "true", "1.5", "hunter2"] {
                assert!(!error.contains(shown), "{json}: {error}");
            }
        }
        // what other formats hand over: bytes, 128-bit integers
        use serde::de::value::{BytesDeserializer, Error, I128Deserializer, U128Deserializer};
        let errors = [
            Secret::deserialize(BytesDeserializer::<Error>::new(b"hunter2")).unwrap_err(),
            Secret::deserialize(I128Deserializer::<Error>::new(-123456789)).unwrap_err(),
            Secret::deserialize(U128Deserializer::<Error>::new(123456789)).unwrap_err(),
        ];
        for error in errors.map(|e| e.to_string()) {
            assert!(error.contains("its value is not shown") && !error.contains("123456789") && !error.contains("hunter2"), "{error}");
        }
        // a kind no visit_* method takes (an enum) says what was expected,
        // and no value (found missed by cargo-mutants: an empty `expecting`)
        use serde::de::value::{EnumAccessDeserializer, StringDeserializer};
        let error = Secret::deserialize(EnumAccessDeserializer::new(StringDeserializer::<Error>::new("hunter2".into()))).unwrap_err().to_string();
        assert_eq!(error, "invalid type: enum, expected a string (a secret)");
    }
}
