//! The docs' date and datetime formats: `2015-06-18` ([`Date`]) and
//! `2015-07-04 15:17:30` ([`SqlDateTime`], no `T`, no zone). Both are read
//! and written by hand in those forms (chrono's format strings are parsed on
//! every call, which made a page of dates several times slower to encode),
//! and through chrono for anything else; the tests check both against chrono
//! over generated inputs.

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

impl fmt::Display for SqlDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match canonical_text(self.0) {
            Some(text) => f.write_str(text.as_str()),
            // chrono's sign and width rules for years beyond four digits
            None => fmt::Display::fmt(&self.0.format(FORMAT), f),
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS` on the stack, for years 0 to 9999.
fn canonical_text(value: NaiveDateTime) -> Option<Digits<19>> {
    let (date, time) = (value.date(), value.time());
    let mut text = Digits(*b"0000-00-00 00:00:00");
    text.put_date(date)?;
    text.put(11, time.hour(), 2);
    text.put(14, time.minute(), 2);
    text.put(17, time.second(), 2);
    Some(text)
}

/// A fixed-width ASCII text of digits and separators.
struct Digits<const N: usize>([u8; N]);

impl<const N: usize> Digits<N> {
    /// Writes `value` in `width` digits ending before `at + width`.
    fn put(&mut self, at: usize, value: u32, width: usize) {
        // two digits at a time: half the divisions
        const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
            2021222324252627282930313233343536373839\
            4041424344454647484950515253545556575859\
            6061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899";
        let mut value = value as usize;
        let mut end = at + width;
        while end > at + 1 {
            let pair = value % 100 * 2;
            self.0[end - 2..end].copy_from_slice(&PAIRS[pair..pair + 2]);
            value /= 100;
            end -= 2;
        }
        if end > at {
            self.0[at] = b'0' + (value % 10) as u8;
        }
    }

    /// Writes `YYYY-MM-DD` at the start; `None` for years beyond 0..=9999.
    fn put_date(&mut self, date: chrono::NaiveDate) -> Option<()> {
        let year = u32::try_from(date.year()).ok().filter(|year| *year <= 9999)?;
        self.put(0, year, 4);
        self.put(5, date.month(), 2);
        self.put(8, date.day(), 2);
        Some(())
    }

    fn as_str(&self) -> &str {
        // only ASCII digits and separators are written in
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// The number written in `bytes[range]`, all digits.
fn number(bytes: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    bytes[range].iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
}

/// `YYYY-MM-DD` exactly.
fn parse_date(b: &[u8]) -> Option<chrono::NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(number(b, 0..4)? as i32, number(b, 5..7)?, number(b, 8..10)?)
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
    if b.len() != 19 || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = parse_date(&b[..10])?;
    let time = chrono::NaiveTime::from_hms_opt(number(b, 11..13)?, number(b, 14..16)?, number(b, 17..19)?)?;
    Some(SqlDateTime(NaiveDateTime::new(date, time)))
}

impl Serialize for SqlDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match canonical_text(self.0) {
            Some(text) => serializer.serialize_str(text.as_str()),
            None => serializer.collect_str(self),
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

/// A date, written `2015-06-18` on the wire.
///
/// It dereferences to chrono's [`NaiveDate`](chrono::NaiveDate) and converts
/// from and into it; `"2015-06-18".parse::<Date>()` reads one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(chrono::NaiveDate);

impl Date {
    /// Wraps a date.
    pub fn new(value: chrono::NaiveDate) -> Date {
        Date(value)
    }

    /// The wrapped date.
    pub fn into_inner(self) -> chrono::NaiveDate {
        self.0
    }
}

impl From<chrono::NaiveDate> for Date {
    fn from(value: chrono::NaiveDate) -> Date {
        Date(value)
    }
}

impl From<Date> for chrono::NaiveDate {
    fn from(value: Date) -> chrono::NaiveDate {
        value.0
    }
}

impl PartialEq<chrono::NaiveDate> for Date {
    fn eq(&self, other: &chrono::NaiveDate) -> bool {
        self.0 == *other
    }
}

impl Deref for Date {
    type Target = chrono::NaiveDate;

    fn deref(&self) -> &chrono::NaiveDate {
        &self.0
    }
}

/// `YYYY-MM-DD` for years 0 to 9999, chrono's form beyond.
fn date_text(date: chrono::NaiveDate) -> Option<Digits<10>> {
    let mut text = Digits(*b"0000-00-00");
    text.put_date(date)?;
    Some(text)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match date_text(self.0) {
            Some(text) => f.write_str(text.as_str()),
            None => fmt::Display::fmt(&self.0, f),
        }
    }
}

/// The error from parsing a [`Date`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDateError(String);

impl fmt::Display for ParseDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid date `{}`, expected `YYYY-MM-DD`", self.0)
    }
}

impl std::error::Error for ParseDateError {}

/// `YYYY-MM-DD`, and whatever chrono's `NaiveDate` reads.
impl FromStr for Date {
    type Err = ParseDateError;

    fn from_str(s: &str) -> Result<Date, ParseDateError> {
        parse_date(s.as_bytes())
            .or_else(|| s.parse().ok())
            .map(Date)
            .ok_or_else(|| ParseDateError(s.to_owned()))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match date_text(self.0) {
            Some(text) => serializer.serialize_str(text.as_str()),
            None => serializer.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date like `2015-06-18`")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Date, E> {
                value.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(DateVisitor)
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
            // dates
            let date = Date(datetime.date());
            proptest::prop_assert_eq!(date.to_string(), datetime.date().to_string());
            proptest::prop_assert_eq!(serde_json::to_string(&date).unwrap(), serde_json::to_string(&datetime.date()).unwrap());
            proptest::prop_assert_eq!(date.to_string().parse::<Date>().ok(), Some(date));
            let date_text = &text[..10];
            proptest::prop_assert_eq!(date_text.parse::<Date>().ok().map(Date::into_inner), date_text.parse::<chrono::NaiveDate>().ok());
        }
    }
}
