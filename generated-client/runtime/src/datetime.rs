//! The docs' date and datetime formats: `2015-06-18` ([`Date`]) and
//! `2015-07-04 15:17:30` ([`SqlDateTime`]), which also holds the RFC 3339
//! form OpenAPI's `date-time` means (`2015-07-04T15:17:30.250+02:00`),
//! written back exactly as it was read. Both are read and written by hand
//! (chrono's format strings are parsed on every call, which made a page of
//! dates several times slower to encode); the tests check both against
//! chrono over generated inputs.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use chrono::{Datelike, NaiveDateTime, Timelike};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The canonical wire format, written by `Serialize` and `Display`.
#[cfg(test)]
const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// A datetime as the API writes it: `2015-07-04 15:17:30` (the Powens
/// docs' form, no zone), or RFC 3339 (`2015-07-04T15:17:30.250+02:00`).
///
/// It keeps how it was written (the separator, the digits of the fraction,
/// the zone) and writes itself back the same way, so nothing read is lost:
/// `30.250` stays `30.250`, `+02:00` stays `+02:00`. It dereferences to
/// the date and time as written ([`NaiveDateTime`]); [`SqlDateTime::offset`]
/// gives the zone. Two values are equal when they are written alike. A
/// fraction of more than 9 digits (finer than a nanosecond) is an error,
/// not a rounding. `Debug` shows it as written: `SqlDateTime(2015-07-04 15:17:30)`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SqlDateTime {
    value: NaiveDateTime,
    form: Form,
}

/// How a datetime was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Form {
    /// Between date and time: ` `, `T` or `t`.
    separator: u8,
    /// Digits of the fractional second (0: none).
    fraction_digits: u8,
    zone: Zone,
}

/// The zone as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Zone {
    None,
    /// `Z`, or `z`.
    Utc(u8),
    /// `+hh:mm` or `-hh:mm` (`-00:00` is not `+00:00` in RFC 3339).
    Offset { negative: bool, hours: u8, minutes: u8 },
}

impl SqlDateTime {
    /// A datetime without zone, written `2015-07-04 15:17:30`, with as
    /// many fraction digits as its nanoseconds need.
    pub fn new(value: NaiveDateTime) -> SqlDateTime {
        let fraction_digits = fraction_digits(value.nanosecond() % 1_000_000_000);
        SqlDateTime { value, form: Form { separator: b' ', fraction_digits, zone: Zone::None } }
    }

    /// The date and time as written (without the zone).
    pub fn into_inner(self) -> NaiveDateTime {
        self.value
    }

    /// The zone it was written with, if any (`Z` is `+00:00`).
    pub fn offset(&self) -> Option<chrono::FixedOffset> {
        match self.form.zone {
            Zone::None => None,
            Zone::Utc(_) => chrono::FixedOffset::east_opt(0),
            Zone::Offset { negative, hours, minutes } => {
                let seconds = (i32::from(hours) * 60 + i32::from(minutes)) * 60;
                chrono::FixedOffset::east_opt(if negative { -seconds } else { seconds })
            }
        }
    }
}

/// The fewest fraction digits that write `nanos` exactly (0 for none).
fn fraction_digits(mut nanos: u32) -> u8 {
    if nanos == 0 {
        return 0;
    }
    let mut digits = 9;
    while nanos.is_multiple_of(10) {
        nanos /= 10;
        digits -= 1;
    }
    digits
}

impl From<NaiveDateTime> for SqlDateTime {
    fn from(value: NaiveDateTime) -> SqlDateTime {
        SqlDateTime::new(value)
    }
}

/// RFC 3339 with its offset: `2015-07-04T15:17:30+02:00`.
impl From<chrono::DateTime<chrono::FixedOffset>> for SqlDateTime {
    fn from(value: chrono::DateTime<chrono::FixedOffset>) -> SqlDateTime {
        let seconds = value.offset().local_minus_utc();
        let minutes = seconds.unsigned_abs() / 60;
        let zone = Zone::Offset { negative: seconds < 0, hours: (minutes / 60) as u8, minutes: (minutes % 60) as u8 };
        let mut datetime = SqlDateTime::new(value.naive_local());
        datetime.form.separator = b'T';
        datetime.form.zone = zone;
        datetime
    }
}

/// RFC 3339 in UTC: `2015-07-04T15:17:30Z`.
impl From<chrono::DateTime<chrono::Utc>> for SqlDateTime {
    fn from(value: chrono::DateTime<chrono::Utc>) -> SqlDateTime {
        let mut datetime = SqlDateTime::new(value.naive_utc());
        datetime.form.separator = b'T';
        datetime.form.zone = Zone::Utc(b'Z');
        datetime
    }
}

impl Deref for SqlDateTime {
    type Target = NaiveDateTime;

    fn deref(&self) -> &NaiveDateTime {
        &self.value
    }
}

/// The datetime as written, not its parts (`Form { separator: 32, .. }`).
impl fmt::Debug for SqlDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SqlDateTime({self})")
    }
}

impl fmt::Display for SqlDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match text(self) {
            Some(text) => f.write_str(text.as_str()),
            // chrono's sign and width rules for years beyond four digits,
            // then the time and zone as written
            None => {
                let mut same_time = *self;
                same_time.value = NaiveDateTime::new(chrono::NaiveDate::default(), self.value.time());
                let rest = text(&same_time).map(|t| t.as_str()[10..].to_owned()).unwrap_or_default();
                write!(f, "{}{rest}", self.value.date().format("%Y-%m-%d"))
            }
        }
    }
}

/// The longest text: `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+hh:mm`.
const LONGEST: usize = 35;

/// The text of a datetime as it was written, on the stack, for years 0 to
/// 9999.
fn text(datetime: &SqlDateTime) -> Option<Digits<LONGEST>> {
    let (date, time) = (datetime.value.date(), datetime.value.time());
    let mut text = Digits([b'0'; LONGEST], 19);
    text.put_date(date)?;
    text.0[4] = b'-';
    text.0[7] = b'-';
    text.0[10] = datetime.form.separator;
    text.0[13] = b':';
    text.0[16] = b':';
    text.put(11, time.hour(), 2);
    text.put(14, time.minute(), 2);
    // a leap second is held as second 59 and a nanosecond count past 1e9
    let leap = time.nanosecond() >= 1_000_000_000;
    text.put(17, time.second() + u32::from(leap), 2);
    let digits = usize::from(datetime.form.fraction_digits);
    if digits > 0 {
        text.0[19] = b'.';
        let nanos = time.nanosecond() % 1_000_000_000;
        text.put(20, nanos / 10u32.pow(9 - digits as u32), digits);
        text.1 = 20 + digits;
    }
    match datetime.form.zone {
        Zone::None => {}
        Zone::Utc(letter) => {
            text.0[text.1] = letter;
            text.1 += 1;
        }
        Zone::Offset { negative, hours, minutes } => {
            let at = text.1;
            text.0[at] = if negative { b'-' } else { b'+' };
            text.put(at + 1, u32::from(hours), 2);
            text.0[at + 3] = b':';
            text.put(at + 4, u32::from(minutes), 2);
            text.1 += 6;
        }
    }
    Some(text)
}

/// An ASCII text of digits and separators, and its length.
struct Digits<const N: usize>([u8; N], usize);

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
        self.0[4] = b'-';
        self.0[7] = b'-';
        self.put(0, year, 4);
        self.put(5, date.month(), 2);
        self.put(8, date.day(), 2);
        Some(())
    }

    fn as_str(&self) -> &str {
        // only ASCII digits and separators are written in
        std::str::from_utf8(&self.0[..self.1]).unwrap_or_default()
    }
}

/// The number written in `bytes[range]`, all digits.
fn number(bytes: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    bytes.get(range)?.iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
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
            "invalid datetime `{}`, expected `YYYY-MM-DD HH:MM:SS` or RFC 3339 (`2015-07-04T15:17:30.250+02:00`, at most 9 fraction digits)",
            self.0
        )
    }
}

impl std::error::Error for ParseSqlDateTimeError {}

impl FromStr for SqlDateTime {
    type Err = ParseSqlDateTimeError;

    fn from_str(s: &str) -> Result<SqlDateTime, ParseSqlDateTimeError> {
        parse(s.as_bytes()).ok_or_else(|| ParseSqlDateTimeError(s.to_owned()))
    }
}

/// `YYYY-MM-DD HH:MM:SS`, with `T` or `t` for the space, an optional
/// fraction of 1 to 9 digits and an optional zone (`Z`, `z`, `±hh:mm`);
/// second 60 is a leap second.
fn parse(b: &[u8]) -> Option<SqlDateTime> {
    if b.len() < 19 || b[13] != b':' || b[16] != b':' || !matches!(b[10], b' ' | b'T' | b't') {
        return None;
    }
    let date = parse_date(&b[..10])?;
    let (hour, minute, second) = (number(b, 11..13)?, number(b, 14..16)?, number(b, 17..19)?);
    let mut at = 19;
    let mut nanos = 0;
    let mut fraction_digits = 0u8;
    if b.get(at) == Some(&b'.') {
        let digits = b[at + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        nanos = number(b, at + 1..at + 1 + digits)? * 10u32.pow(9 - digits as u32);
        fraction_digits = digits as u8;
        at += 1 + digits;
    }
    let zone = match &b[at..] {
        [] => Zone::None,
        [letter @ (b'Z' | b'z')] => Zone::Utc(*letter),
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (number(b, at + 1..at + 3)?, number(b, at + 4..at + 6)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            Zone::Offset { negative: *sign == b'-', hours: hours as u8, minutes: minutes as u8 }
        }
        _ => return None,
    };
    let time = match second {
        60 => chrono::NaiveTime::from_hms_nano_opt(hour, minute, 59, 1_000_000_000 + nanos)?,
        _ => chrono::NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?,
    };
    Some(SqlDateTime { value: NaiveDateTime::new(date, time), form: Form { separator: b[10], fraction_digits, zone } })
}

impl Serialize for SqlDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match text(self) {
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
        f.write_str("a datetime like `2015-07-04 15:17:30` or `2015-07-04T15:17:30Z`")
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
    let mut text = Digits(*b"0000-00-00", 10);
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
        // chrono's parser for what the fast path does not take (years
        // beyond four digits), only when it reads the text exactly as
        // written: it is lenient (a space-padded day, a one-digit month)
        parse_date(s.as_bytes())
            .or_else(|| s.parse().ok().filter(|date| Date(*date).to_string() == s))
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
    fn a_date_is_read_only_as_written() {
        for refused in ["2015-06-1 ", "2015-6-01", " 2015-06-01", "2015-06-01 ", "2015-06-1"] {
            assert!(refused.parse::<Date>().is_err(), "{refused:?}");
        }
        for kept in ["2015-06-01", "+12345-01-01", "-0001-12-31"] {
            let date: Date = kept.parse().unwrap_or_else(|e| panic!("{kept}: {e}"));
            assert_eq!(date.to_string(), kept);
        }
    }

    #[test]
    fn debug_shows_the_datetime_as_written() {
        for text in ["2015-07-04 15:17:30", "2015-07-04T15:17:30.250+02:00", "2015-07-04t15:17:30Z"] {
            let datetime: SqlDateTime = text.parse().unwrap();
            assert_eq!(format!("{datetime:?}"), format!("SqlDateTime({text})"));
        }
    }

    #[test]
    fn docs_example_round_trips() {
        let value: SqlDateTime = serde_json::from_str(r#""2015-07-04 15:17:30""#).unwrap();
        assert_eq!(value.to_string(), "2015-07-04 15:17:30");
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#""2015-07-04 15:17:30""#
        );
        assert_eq!(value.format("%H").to_string(), "15");
        assert_eq!(value.offset(), None);
    }

    /// The `T` separator, fractions and zones are kept as written.
    #[test]
    fn rfc3339_forms_are_written_back_as_read() {
        for text in [
            "2015-07-04T15:17:30",
            "2015-07-04 15:17:30.250",
            "2015-07-04T15:17:30.000",
            "2015-07-04T15:17:30Z",
            "2015-07-04t15:17:30.123456789z",
            "2015-07-04T15:17:30+02:00",
            "2015-07-04T15:17:30-00:00",
            "2016-12-31T23:59:60Z",
        ] {
            let value: SqlDateTime = text.parse().unwrap();
            assert_eq!(value.to_string(), text);
            assert_eq!(serde_json::to_string(&value).unwrap(), format!("\"{text}\""));
        }
        let fraction: SqlDateTime = "2015-07-04 15:17:30.250".parse().unwrap();
        assert_eq!(fraction.into_inner().and_utc().timestamp_subsec_millis(), 250);
        let zoned: SqlDateTime = "2015-07-04T15:17:30+02:00".parse().unwrap();
        assert_eq!(zoned.offset(), chrono::FixedOffset::east_opt(7200));
        let from_chrono = SqlDateTime::from(chrono::DateTime::parse_from_rfc3339("2015-07-04T15:17:30.5-03:30").unwrap());
        assert_eq!(from_chrono.to_string(), "2015-07-04T15:17:30.5-03:30");
        let new = SqlDateTime::new(fraction.into_inner());
        assert_eq!(new.to_string(), "2015-07-04 15:17:30.25", "new() keeps every nanosecond");
    }

    #[test]
    fn rejects_other_text() {
        for bad in [
            "",
            "2015-07-04",
            "2015-13-04 15:17:30",
            "yesterday",
            "2015-07-04 15:17:30.",
            "2015-07-04 15:17:30.1234567890",
            "2015-07-04 15:17:30+2:00",
            "2015-07-04 15:17:30+24:00",
            "2015-07-04 15:17:30Z ",
            "2015-07-04_15:17:30",
        ] {
            assert!(bad.parse::<SqlDateTime>().is_err(), "{bad}");
            assert!(serde_json::from_value::<SqlDateTime>(bad.into()).is_err());
        }
        assert!(serde_json::from_str::<SqlDateTime>("12").is_err());
    }

    /// A datetime in every form: separator, fraction digits, zone.
    fn any_form() -> impl proptest::strategy::Strategy<Value = (u8, u8, Zone)> {
        use proptest::prelude::*;
        let zone = prop_oneof![
            Just(Zone::None),
            Just(Zone::Utc(b'Z')),
            Just(Zone::Utc(b'z')),
            (any::<bool>(), 0u8..24, 0u8..60).prop_map(|(negative, hours, minutes)| Zone::Offset { negative, hours, minutes }),
        ];
        (prop_oneof![Just(b' '), Just(b'T'), Just(b't')], 0u8..=9, zone)
    }

    /// A 19-character datetime text that chrono's parser often accepts:
    /// valid parts and the edges around them (month 0 to 13, day 0 to 32,
    /// so Feb 29 in leap and common years, Feb 30, Apr 31; hour 24,
    /// minute 60, second 60 and 61; years 0000 to 9999 with the century
    /// rules), then, in one text of four, one character changed to a
    /// digit or a separator.
    fn datetime_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let year = prop_oneof![0u32..=9999, Just(1900u32), Just(2000), Just(2016), Just(2015), Just(2100), Just(2400)];
        let day = prop_oneof![0u32..=32, 28u32..=31];
        let separator = prop_oneof![4 => Just(' '), 2 => Just('T'), 1 => Just('t'), 1 => Just('_')];
        let mutation = proptest::option::weighted(0.25, (0usize..19, proptest::sample::select(b"0123456789-: T".to_vec())));
        (year, 0u32..=13, day, separator, 0u32..=24, 0u32..=60, 0u32..=61, mutation).prop_map(
            |(year, month, day, separator, hour, minute, second, mutation)| {
                let mut text = format!("{year:04}-{month:02}-{day:02}{separator}{hour:02}:{minute:02}:{second:02}").into_bytes();
                if let Some((at, byte)) = mutation {
                    text[at] = byte;
                }
                String::from_utf8(text).unwrap()
            },
        )
    }

    /// The texts chrono's parser must be given, valid or not: leap days
    /// by the century rules, the days a month does not have, the edges of
    /// the clock.
    #[test]
    fn calendar_edges_agree_with_chrono() {
        let valid = ["2016-02-29 00:00:00", "2000-02-29 12:30:45", "2400-02-29T23:59:59", "2015-04-30 00:00:00", "0000-01-01 00:00:00", "9999-12-31 23:59:59", "2016-12-31 23:59:60"];
        let invalid = ["2015-02-29 00:00:00", "1900-02-29 00:00:00", "2100-02-29 00:00:00", "2016-02-30 00:00:00", "2015-04-31 00:00:00", "2015-06-31 00:00:00", "2015-00-10 00:00:00", "2015-13-10 00:00:00", "2015-01-00 00:00:00", "2015-01-32 00:00:00", "2015-01-01 24:00:00", "2015-01-01 23:60:00", "2015-01-01 23:59:61"];
        for text in valid.iter().chain(&invalid) {
            let chrono_reads = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"].iter().find_map(|f| NaiveDateTime::parse_from_str(text, f).ok());
            assert_eq!(chrono_reads.is_some(), valid.contains(text), "chrono on {text}");
            assert_eq!(text.parse::<SqlDateTime>().ok().map(SqlDateTime::into_inner), chrono_reads, "{text}");
            assert_eq!(text[..10].parse::<Date>().ok().map(Date::into_inner), text[..10].parse::<chrono::NaiveDate>().ok(), "{text}");
        }
    }

    /// The hand-written paths agree with chrono: every datetime is
    /// written as chrono's `%Y-%m-%d %H:%M:%S` writes it; every text of
    /// [`datetime_text`] is read as chrono's parser reads it (or refused
    /// by both), a good share of them valid and a good share not (both
    /// counted); and every form (separator, 0 to 9 fraction digits, zone)
    /// is written back exactly as read, at the instant chrono's RFC 3339
    /// parser reads.
    #[test]
    fn fast_paths_agree_with_chrono() {
        let (accepted, refused) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
        let leap_days = std::cell::Cell::new(0u32);
        crate::tests::property(
            "fast_paths_agree_with_chrono",
            20_000,
            (-400_000_000_000i64..400_000_000_000i64, 0u32..1_000_000_000, any_form(), datetime_text()),
            |(seconds, nanos, (separator, fraction_digits, zone), text)| {
                let datetime = chrono::DateTime::from_timestamp(seconds, 0).unwrap().naive_utc();
                let ours = SqlDateTime::new(datetime);
                proptest::prop_assert_eq!(ours.to_string(), datetime.format(FORMAT).to_string());
                proptest::prop_assert_eq!(serde_json::to_string(&ours).unwrap(), format!("\"{}\"", datetime.format(FORMAT)));
                // RFC 3339 (5.6) allows a lowercase `t`, which chrono's `%Y-%m-%dT...` does not
                let upper = match text.as_bytes()[10] {
                    b't' => format!("{}T{}", &text[..10], &text[11..]),
                    _ => text.clone(),
                };
                // chrono's parser is lenient with a text not of the shape
                // (a space-padded day, a short field): such a text is
                // refused, whatever chrono says; one of the shape is read as
                // chrono reads it
                let shaped = text.bytes().enumerate().all(|(at, byte)| match at {
                    4 | 7 => byte == b'-',
                    10 => b" Tt".contains(&byte),
                    13 | 16 => byte == b':',
                    _ => byte.is_ascii_digit(),
                });
                let chrono_reads = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"].iter().find_map(|f| NaiveDateTime::parse_from_str(&upper, f).ok()).filter(|_| shaped);
                proptest::prop_assert_eq!(text.parse::<SqlDateTime>().ok().map(SqlDateTime::into_inner), chrono_reads, "{}", text);
                let counter = if chrono_reads.is_some() { &accepted } else { &refused };
                counter.set(counter.get() + 1);
                if chrono_reads.is_some_and(|read| read.month() == 2 && read.day() == 29) {
                    leap_days.set(leap_days.get() + 1);
                }
                if (0..=9999).contains(&datetime.year()) {
                    proptest::prop_assert_eq!(ours.to_string().parse::<SqlDateTime>().ok(), Some(ours));
                    // every form, written and read back, and the instant chrono reads
                    let kept = nanos / 10u32.pow(9 - u32::from(fraction_digits)) * 10u32.pow(9 - u32::from(fraction_digits));
                    let value = datetime.with_nanosecond(kept).unwrap();
                    let formed = SqlDateTime { value, form: Form { separator, fraction_digits, zone } };
                    let written = formed.to_string();
                    let read: SqlDateTime = written.parse().unwrap();
                    proptest::prop_assert_eq!(read, formed);
                    proptest::prop_assert_eq!(read.to_string(), written.clone());
                    proptest::prop_assert_eq!(serde_json::from_str::<SqlDateTime>(&serde_json::to_string(&formed).unwrap()).unwrap(), formed);
                    if let Some(offset) = formed.offset() {
                        let chrono_instant = chrono::DateTime::parse_from_rfc3339(&written).unwrap();
                        let instant = value.and_local_timezone(offset).single().unwrap();
                        proptest::prop_assert_eq!(chrono_instant, instant);
                    }
                }
                // dates
                let date = Date(datetime.date());
                proptest::prop_assert_eq!(date.to_string(), datetime.date().to_string());
                proptest::prop_assert_eq!(serde_json::to_string(&date).unwrap(), serde_json::to_string(&datetime.date()).unwrap());
                proptest::prop_assert_eq!(date.to_string().parse::<Date>().ok(), Some(date));
                // a date of the shape is read as chrono reads it; one not of
                // the shape (a space-padded day) is refused, as for datetimes
                let date_text = &text[..10];
                let date_shaped = text.bytes().take(10).enumerate().all(|(at, byte)| if at == 4 || at == 7 { byte == b'-' } else { byte.is_ascii_digit() });
                let chrono_date = date_text.parse::<chrono::NaiveDate>().ok().filter(|_| date_shaped);
                proptest::prop_assert_eq!(date_text.parse::<Date>().ok().map(Date::into_inner), chrono_date, "{}", date_text);
                Ok(())
            },
        );
        // the generator reaches both sides, and valid Feb 29s (about half
        // the texts are valid, some 70 in 20,000 a valid Feb 29; the old
        // regex made a valid text with probability 3.5e-8)
        let (accepted, refused, leap_days) = (accepted.get(), refused.get(), leap_days.get());
        println!("{accepted} valid, {refused} refused, {leap_days} valid Feb 29s");
        assert!(accepted >= 5_000 && refused >= 5_000 && leap_days >= 20, "{accepted} valid, {refused} refused, {leap_days} valid Feb 29s");
    }
    
}
