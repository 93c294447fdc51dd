//! A string that must never appear in logs.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What `Debug` and `Display` print instead of the value.
const REDACTED: &str = "[redacted]";

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

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Secret, D::Error> {
        String::deserialize(deserializer).map(Secret)
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
        assert_eq!(Secret::from(String::from("a")), Secret::new("a"));
    }
}
