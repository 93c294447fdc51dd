//! The docs' datetime format: `2015-07-04 15:17:30` (no `T`, no zone).

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use chrono::{Datelike, NaiveDateTime, Timelike};
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

/// Written field by field: chrono's format strings are parsed on every
/// call, which made encoding a page of datetimes several times slower.
impl fmt::Display for SqlDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (date, time) = (self.0.date(), self.0.time());
        if !(0..=9999).contains(&date.year()) {
            // chrono's sign and width rules for years beyond four digits
            return fmt::Display::fmt(&self.0.format(FORMAT), f);
        }
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            date.year(),
            date.month(),
            date.day(),
            time.hour(),
            time.minute(),
            time.second()
        )
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
        if let Some(value) = parse_canonical(s) {
            return Ok(value);
        }
        INPUT_FORMATS
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(s, format).ok())
            .map(SqlDateTime)
            .ok_or_else(|| ParseSqlDateTimeError(s.to_owned()))
    }
}

/// `YYYY-MM-DD HH:MM:SS` exactly, the form every response uses, read without
/// chrono's format parser; anything else goes through it.
fn parse_canonical(s: &str) -> Option<SqlDateTime> {
    let b = s.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let date = chrono::NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)?;
    let time = chrono::NaiveTime::from_hms_opt(number(11..13)?, number(14..16)?, number(17..19)?)?;
    Some(SqlDateTime(NaiveDateTime::new(date, time)))
}

impl Serialize for SqlDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = crate::encoding::StackText::default();
        match fmt::Write::write_fmt(&mut text, format_args!("{self}")) {
            Ok(()) => serializer.serialize_str(text.as_str()),
            Err(_) => serializer.collect_str(self),
        }
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

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(crate::tests::cases(20_000)))]

        /// The hand-written fast paths agree with chrono: every datetime is
        /// written as chrono's `%Y-%m-%d %H:%M:%S` writes it, and every
        /// 19-character text of digits and separators is read as chrono's
        /// parser reads it (or refused by both).
        #[test]
        fn fast_paths_agree_with_chrono(
            seconds in -400_000_000_000i64..400_000_000_000i64,
            text in "[0-9]{4}[-0-9][0-9]{2}[-0-9][0-9]{2}[ T0-9][0-9]{2}[:0-9][0-9]{2}[:0-9][0-9]{2}",
        ) {
            let datetime = chrono::DateTime::from_timestamp(seconds, 0).unwrap().naive_utc();
            let ours = SqlDateTime(datetime);
            proptest::prop_assert_eq!(ours.to_string(), datetime.format(FORMAT).to_string());
            proptest::prop_assert_eq!(serde_json::to_string(&ours).unwrap(), format!("\"{}\"", datetime.format(FORMAT)));
            let chrono_reads = INPUT_FORMATS.iter().find_map(|f| NaiveDateTime::parse_from_str(&text, f).ok());
            proptest::prop_assert_eq!(text.parse::<SqlDateTime>().ok().map(SqlDateTime::into_inner), chrono_reads);
            if (0..=9999).contains(&datetime.year()) {
                proptest::prop_assert_eq!(ours.to_string().parse::<SqlDateTime>().ok(), Some(ours));
            }
        }
    }
}
