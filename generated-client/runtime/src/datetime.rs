//! The docs' datetime format: `2015-07-04 15:17:30` (no `T`, no zone).

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use chrono::NaiveDateTime;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The canonical wire format, written by `Serialize` and `Display`.
const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Accepted on input. `%.f` matches an optional fractional part, and some
/// endpoints use the ISO `T` separator.
const INPUT_FORMATS: [&str; 2] = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"];

/// A datetime without zone, written `2015-07-04 15:17:30` on the wire.
///
/// Decoding also accepts `2015-07-04T15:17:30` and fractional seconds;
/// encoding always writes the canonical form (whole seconds), so every value
/// in the docs' format re-encodes to the same text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SqlDateTime(NaiveDateTime);

impl SqlDateTime {
    /// Wraps a datetime.
    pub fn new(value: NaiveDateTime) -> SqlDateTime {
        SqlDateTime(value)
    }

    /// The wrapped datetime.
    pub fn into_inner(self) -> NaiveDateTime {
        self.0
    }
}

impl From<NaiveDateTime> for SqlDateTime {
    fn from(value: NaiveDateTime) -> SqlDateTime {
        SqlDateTime(value)
    }
}

impl Deref for SqlDateTime {
    type Target = NaiveDateTime;

    fn deref(&self) -> &NaiveDateTime {
        &self.0
    }
}

impl fmt::Display for SqlDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.format(FORMAT), f)
    }
}

/// The error from parsing a [`SqlDateTime`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseSqlDateTimeError(String);

impl fmt::Display for ParseSqlDateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid datetime `{}`, expected `YYYY-MM-DD HH:MM:SS`",
            self.0
        )
    }
}

impl std::error::Error for ParseSqlDateTimeError {}

impl FromStr for SqlDateTime {
    type Err = ParseSqlDateTimeError;

    fn from_str(s: &str) -> Result<SqlDateTime, ParseSqlDateTimeError> {
        INPUT_FORMATS
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(s, format).ok())
            .map(SqlDateTime)
            .ok_or_else(|| ParseSqlDateTimeError(s.to_owned()))
    }
}

impl Serialize for SqlDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SqlDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SqlDateTime, D::Error> {
        deserializer.deserialize_str(SqlDateTimeVisitor)
    }
}

/// Parses from any string form, borrowed or owned, without an allocation.
struct SqlDateTimeVisitor;

impl Visitor<'_> for SqlDateTimeVisitor {
    type Value = SqlDateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a datetime like `2015-07-04 15:17:30`")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<SqlDateTime, E> {
        value.parse().map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_example_round_trips() {
        let value: SqlDateTime = serde_json::from_str(r#""2015-07-04 15:17:30""#).unwrap();
        assert_eq!(value.to_string(), "2015-07-04 15:17:30");
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#""2015-07-04 15:17:30""#
        );
        assert_eq!(value.format("%H").to_string(), "15");
    }

    #[test]
    fn accepts_t_separator_and_fractions() {
        let plain: SqlDateTime = "2015-07-04 15:17:30".parse().unwrap();
        let iso: SqlDateTime = "2015-07-04T15:17:30".parse().unwrap();
        let fraction: SqlDateTime = "2015-07-04 15:17:30.250".parse().unwrap();
        assert_eq!(plain, iso);
        assert_eq!(
            fraction.into_inner().and_utc().timestamp_subsec_millis(),
            250
        );
        assert_eq!(fraction.to_string(), "2015-07-04 15:17:30");
    }

    #[test]
    fn rejects_other_text() {
        for bad in [
            "",
            "2015-07-04",
            "2015-13-04 15:17:30",
            "yesterday",
            "2015-07-04 15:17:30Z",
        ] {
            assert!(bad.parse::<SqlDateTime>().is_err(), "{bad}");
            assert!(serde_json::from_value::<SqlDateTime>(bad.into()).is_err());
        }
        assert!(serde_json::from_str::<SqlDateTime>("12").is_err());
    }
}
