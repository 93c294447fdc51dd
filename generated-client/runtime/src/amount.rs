//! Exact amounts of money (`format: monetary`).

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

/// serde_json's names for "the exact text of a JSON value" (feature
/// `raw_value`, which only adds `RawValue` and changes nothing else) and for
/// "the exact text of a number" (what its `arbitrary_precision` feature hands
/// over, when an application turns it on). The tests of this module fail if
/// serde_json ever renames them.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The most decimal places a [`Decimal`] holds.
const MAX_SCALE: i64 = 28;

/// An amount of money, exact to the last digit.
///
/// On the wire it is a JSON number (`-16.22`), read from the number's own
/// digits and written from the decimal's own digits: never through `f64`.
/// The scale is kept both ways: `10.50` is read as 10.50 and written as
/// `10.50`, `42` as `42`. A number a [`Decimal`] cannot hold exactly (more
/// than 28 significant digits or decimal places, or beyond ±7.9 × 10²⁸) is a
/// decode error, never a rounding. Query strings, form and multipart bodies
/// carry the same digits as text.
///
/// It dereferences to [`Decimal`] for arithmetic and comparisons, and
/// converts from and into it.
///
/// Which serializers are exact:
///
/// - serde_json's text serializers (`to_string`, `to_vec`, `to_writer`,
///   their pretty forms, `value::to_raw_value`) write the decimal's own
///   digits as a JSON number: always exact. The client sends bodies this way.
/// - `serde_json::to_value` (and `json!`) is exact or fails: a `Value` holds
///   a number as an f64 (unless the application turns on serde_json's
///   `arbitrary_precision`, under which every amount is exact), so an amount
///   becomes a `Value` only when the `Value` writes back exactly its text
///   (`-16.22`, `42`), and is an error otherwise (`10.50`, whose scale an
///   f64 loses; `123456789012345.67`, which an f64 does not hold): never a
///   rounded number.
/// - Other serde formats see a one-field struct holding its text (exact,
///   but not a number): use [`Amount`]'s `Display` there.
///
/// Decoding takes the exact digits from serde_json's own parser, whether or
/// not the application turns on serde_json's `arbitrary_precision`; from
/// other sources (a `serde_json::Value` without that feature, other formats)
/// it takes what the source kept.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(Decimal);

impl Amount {
    /// The amount as a [`Decimal`].
    pub fn decimal(self) -> Decimal {
        self.0
    }
}

impl From<Decimal> for Amount {
    fn from(value: Decimal) -> Amount {
        Amount(value)
    }
}

impl From<Amount> for Decimal {
    fn from(value: Amount) -> Decimal {
        value.0
    }
}

impl From<i64> for Amount {
    fn from(value: i64) -> Amount {
        Amount(Decimal::from(value))
    }
}

impl PartialEq<Decimal> for Amount {
    fn eq(&self, other: &Decimal) -> bool {
        self.0 == *other
    }
}

impl Deref for Amount {
    type Target = Decimal;

    fn deref(&self) -> &Decimal {
        &self.0
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The text is not an amount a [`Decimal`] holds exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseAmountError(String);

impl fmt::Display for ParseAmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseAmountError {}

/// Parses a JSON number (`-16.22`, `1e3`, `0.10`) exactly.
impl FromStr for Amount {
    type Err = ParseAmountError;

    fn from_str(text: &str) -> Result<Amount, ParseAmountError> {
        parse_exact(text).map(Amount)
    }
}

/// The value of a JSON number's text, exactly, keeping its scale.
fn parse_exact(text: &str) -> Result<Decimal, ParseAmountError> {
    let invalid = || ParseAmountError(format!("`{}` is not a number", shorten(text)));
    let out_of_range = || {
        ParseAmountError(format!(
            "`{}` does not fit an amount exactly (at most 28 decimal places and 28 to 29 significant digits)",
            shorten(text)
        ))
    };
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) if !fraction.is_empty() => (whole, fraction),
        Some(_) => return Err(invalid()),
        None => (mantissa, ""),
    };
    let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !is_digits(whole) || !is_digits(fraction) {
        return Err(invalid());
    }
    let all_zero = whole.bytes().chain(fraction.bytes()).all(|b| b == b'0');
    let exponent: i64 = match exponent {
        None => 0,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !is_digits(digits) {
                return Err(invalid());
            }
            match e.parse::<i64>() {
                Ok(e) => e,
                // an exponent beyond i64 only keeps zero representable
                Err(_) if all_zero => 0,
                Err(_) => return Err(out_of_range()),
            }
        }
    };
    // value = digits × 10^-scale, read without allocating
    let digits = || whole.bytes().chain(fraction.bytes());
    let leading = digits().take_while(|&b| b == b'0').count();
    let significant = whole.len() + fraction.len() - leading;
    let trailing = if significant == 0 { 0 } else { digits().rev().take_while(|&b| b == b'0').count() };
    let mut scale = (fraction.len() as i64).saturating_sub(exponent);
    // trailing zeros beyond what a Decimal's scale holds change nothing
    let dropped = if scale > MAX_SCALE { (trailing as i64).min(scale - MAX_SCALE) } else { 0 };
    scale -= dropped;
    let used = significant - dropped as usize;
    let shift = if scale < 0 && used > 0 { -scale } else { 0 };
    if scale > MAX_SCALE && used > 0 || used as i64 + shift > 29 {
        return Err(out_of_range());
    }
    let scale = scale.clamp(0, MAX_SCALE) as u32;
    let mut mantissa: i128 = 0;
    for digit in digits().skip(leading).take(used) {
        mantissa = mantissa * 10 + i128::from(digit - b'0');
    }
    mantissa *= 10i128.pow(shift as u32);
    if negative {
        mantissa = -mantissa;
    }
    let mut value = Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| out_of_range())?;
    if negative && mantissa == 0 {
        value.set_sign_negative(true);
    }
    Ok(value)
}

/// At most 40 characters of a bad input, for error messages.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // serde_json writes the text of a RawValue as it is: a JSON number.
        let mut buffer = [0u8; 64];
        let text = write_decimal(self.0, &mut buffer);
        // serde_json's `Value` serializer parses that text into a `Value`,
        // which (without `arbitrary_precision`) holds an f64: exact, or an
        // error, never a rounded number.
        if is_json_value_serializer::<S>() {
            value_is_exact(text).map_err(serde::ser::Error::custom)?;
        }
        let mut raw = serializer.serialize_struct(RAW_VALUE_TOKEN, 1)?;
        raw.serialize_field(RAW_VALUE_TOKEN, text)?;
        raw.end()
    }
}

/// Whether `S` is serde_json's `Value` serializer (`serde_json::to_value`,
/// `json!`, and every value nested in what they serialize). Compared by
/// name: `S` need not be `'static`, and both names come from the same
/// compiler, so no spelling of the path is assumed.
fn is_json_value_serializer<S>() -> bool {
    std::any::type_name::<S>() == std::any::type_name::<serde_json::value::Serializer>()
}

/// `Ok` when the `Value` serde_json makes of the amount's `text` writes
/// back exactly that text (a number an f64 holds, written with the
/// amount's own scale; any amount under `arbitrary_precision`).
fn value_is_exact(text: &str) -> Result<(), String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
    let written = value.to_string();
    if written == text {
        return Ok(());
    }
    Err(format!(
        "the amount {text} cannot be a serde_json::Value exactly (a Value holds numbers as f64 unless \
         serde_json's `arbitrary_precision` is on; it would be {written}): serialize amounts with \
         serde_json::to_string, to_vec, to_writer or value::to_raw_value, which write their digits"
    ))
}

/// The decimal's text (what its `Display` writes: sign, digits, point at
/// its scale) written into `buffer` without `fmt` or an allocation: most of
/// the time of encoding an amount went to formatting.
fn write_decimal(value: Decimal, buffer: &mut [u8; 64]) -> &str {
    let scale = value.scale() as usize;
    let magnitude = value.mantissa().unsigned_abs();
    // the digits, last first; in u64 when it fits (a u128 division is
    // several times slower)
    let mut digits = [0u8; 40];
    let mut count = 0;
    match u64::try_from(magnitude) {
        Ok(mut small) => {
            while small > 0 {
                digits[count] = (small % 10) as u8;
                small /= 10;
                count += 1;
            }
        }
        Err(_) => {
            let mut large = magnitude;
            while large > 0 {
                digits[count] = (large % 10) as u8;
                large /= 10;
                count += 1;
            }
        }
    }
    // written from the end: the point after `scale` digits, at least one
    // digit before it
    let mut at = buffer.len();
    for (i, &digit) in digits.iter().enumerate().take(count.max(scale + 1)) {
        if i == scale && scale > 0 {
            at -= 1;
            buffer[at] = b'.';
        }
        at -= 1;
        buffer[at] = b'0' + digit;
    }
    if value.is_sign_negative() {
        at -= 1;
        buffer[at] = b'-';
    }
    // only ASCII digits, a point and a sign are written in
    std::str::from_utf8(&buffer[at..]).unwrap_or_default()
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        // serde_json's parser answers this with the number's own text; other
        // deserializers call `visit_newtype_struct`, which reads any value.
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, AmountVisitor)
    }
}

struct AmountVisitor;

impl<'de> Visitor<'de> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount (a JSON number)")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Amount, D::Error> {
        deserializer.deserialize_any(AmountVisitor)
    }

    /// The raw text of a value (serde_json's parser), or the exact text of
    /// a number (a `serde_json::Value` under `arbitrary_precision`).
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Amount, A::Error> {
        let key: Option<TokenKey> = map.next_key()?;
        if key.is_none() {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        // The value is parsed once the map is read, so that an error is
        // reported at the amount's own path, not at the token's.
        let parsed = map.next_value_seed(TextSeed)?;
        parsed.map(Amount).map_err(de::Error::custom)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Amount, E> {
        Ok(Amount(Decimal::from(value)))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Amount, E> {
        Ok(Amount(Decimal::from(value)))
    }

    /// A source that kept only an `f64` (a `serde_json::Value` without
    /// `arbitrary_precision`): its shortest text is the best it can give.
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Amount, E> {
        if !value.is_finite() {
            return Err(E::custom(format!("`{value}` is not an amount")));
        }
        parse_exact(&format!("{value:?}")).map(Amount).map_err(E::custom)
    }

    /// An amount written as a JSON string (`"10.50"`) is read too.
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Amount, E> {
        parse_exact(value).map(Amount).map_err(E::custom)
    }
}

/// The key of serde_json's one-entry maps: one of its two tokens.
struct TokenKey;

impl<'de> Deserialize<'de> for TokenKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TokenKey, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = TokenKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount (a JSON number)")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<TokenKey, E> {
                if key == RAW_VALUE_TOKEN || key == NUMBER_TOKEN {
                    Ok(TokenKey)
                } else {
                    Err(E::invalid_type(de::Unexpected::Map, &self))
                }
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Reads the text of the number, borrowed when it can be, and parses it.
struct TextSeed;

impl<'de> DeserializeSeed<'de> for TextSeed {
    type Value = Result<Decimal, ParseAmountError>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for TextSeed {
    type Value = Result<Decimal, ParseAmountError>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the text of a number")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        // a RawValue may carry whitespace around the value, and be any value
        let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
        Ok(match text.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => parse_exact(text),
            Some(b'"') => match serde_json::from_str::<String>(text) {
                Ok(inner) => parse_exact(&inner),
                Err(_) => Err(ParseAmountError(format!("`{}` is not a number", shorten(text)))),
            },
            _ => Err(ParseAmountError(format!(
                "expected an amount (a JSON number), found `{}`",
                shorten(text)
            ))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Amount {
        text.parse().unwrap()
    }

    #[test]
    fn json_numbers_keep_every_digit_both_ways() {
        for text in [
            "-16.22",
            "0.10",
            "42",
            "-0.00",
            "83777043061715.63",
            "3895142176876064.23",
            "123456789012345.67",
            "79228162514264337593543950335",
            "-7.9228162514264337593543950335",
            "0.0000000000000000000000000001",
        ] {
            let value: Amount = serde_json::from_str(text).unwrap();
            assert_eq!(value.to_string(), text);
            assert_eq!(serde_json::to_string(&value).unwrap(), text);
        }
    }

    #[test]
    fn exponents_and_zeros_are_exact() {
        assert_eq!(amount("1e2").to_string(), "100");
        assert_eq!(amount("1.5E-3").to_string(), "0.0015");
        assert_eq!(amount("0e999999999999999999999").to_string(), "0");
        assert_eq!(amount("1.0000000000000000000000000000000").to_string(), "1.0000000000000000000000000000");
        assert_eq!(amount("-0"), Amount::default());
        assert_eq!(amount("0e50").to_string(), "0");
        assert_eq!(amount("0.000e-40"), Amount::default());
        assert_eq!(amount("120e-29").to_string(), "0.0000000000000000000000000012");
        assert_eq!(amount("7.9228162514264337593543950335e28").to_string(), "79228162514264337593543950335");
    }

    #[test]
    fn what_a_decimal_cannot_hold_is_an_error_not_a_rounding() {
        for text in [
            "79228162514264337593543950336",
            "1e29",
            "1e9999999999999999999999",
            "0.00000000000000000000000000001",
            "120e-30",
            "1.00000000000000000000000000001",
            "123456789012345678901234567890",
            // more digits than an i128 holds: refused before they are read
            "1234567890123456789012345678901234567890",
            "-99999999999999999999999999999999999999999999999999.5",
        ] {
            assert!(text.parse::<Amount>().is_err(), "{text}");
            assert!(serde_json::from_str::<Amount>(text).is_err(), "{text}");
        }
        for text in ["", "-", "1.", ".5", "1e", "1e+", "0x10", "1,5", "--1", "NaN", "1 2"] {
            assert!(text.parse::<Amount>().is_err(), "{text:?}");
        }
    }

    #[test]
    fn the_error_names_the_field() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Transfer {
            amount: Amount,
        }
        let json = r#"[{"amount": 1}, {"amount": 1e40}]"#;
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let error = serde_path_to_error::deserialize::<_, Vec<Transfer>>(&mut deserializer).unwrap_err();
        assert_eq!(error.path().to_string(), "[1].amount");
        assert!(error.to_string().contains("does not fit an amount"), "{error}");
        let error = serde_json::from_str::<Transfer>(r#"{"amount": {"a": 1}}"#).unwrap_err();
        assert!(error.to_string().contains("expected an amount"), "{error}");
    }

    #[test]
    fn other_sources_are_read_too() {
        // a buffered value (untagged enums) and a Value go through deserialize_any
        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(untagged)]
        enum Either {
            Amount { amount: Amount },
        }
        let Either::Amount { amount } = serde_json::from_str(r#"{"amount": -16.22}"#).unwrap();
        assert_eq!(amount, self::amount("-16.22"));
        let value = serde_json::json!(12);
        assert_eq!(serde_json::from_value::<Amount>(value).unwrap(), self::amount("12"));
        assert_eq!(serde_json::from_str::<Amount>(r#""10.50""#).unwrap().to_string(), "10.50");
        assert!(serde_json::from_str::<Amount>("true").is_err());
        // serde_json hands a `Value` over as raw text; a buffered value
        // (an untagged enum: a `oneOf` model) comes as integers and strings
        let buffered = |json: &str| {
            let Either::Amount { amount } = serde_json::from_str(json).unwrap();
            amount.to_string()
        };
        assert_eq!(buffered(r#"{"amount": -16}"#), "-16");
        assert_eq!(buffered(r#"{"amount": 12}"#), "12");
        assert_eq!(buffered(r#"{"amount": "10.50"}"#), "10.50");
        // an object is no amount, whatever its one key
        assert!(serde_json::from_str::<Either>(r#"{"amount": {"a": "1"}}"#).is_err());
        assert_eq!(serde_json::from_value::<Amount>(serde_json::json!("-0.10")).unwrap().to_string(), "-0.10");
    }

    /// The conversions and comparisons an application uses keep the value.
    #[test]
    fn conversions_keep_the_value() {
        let decimal = Decimal::new(1050, 2);
        let amount = Amount::from(decimal);
        assert_eq!(amount.decimal(), decimal);
        assert_eq!(Decimal::from(amount), decimal);
        assert_eq!(*amount, decimal, "Deref");
        assert!(amount == decimal && amount != Decimal::new(1051, 2));
        assert_eq!(Amount::from(-5i64).decimal(), Decimal::from(-5));
        assert_eq!(format!("{amount:?}"), "10.50");
    }

    /// A bad text is named in the error, cut at 40 characters.
    #[test]
    fn bad_texts_are_errors_that_show_their_start() {
        for bad in ["0e", "1e", "1e+", "1E-", "1.", ".5", "", "-", "1x", "e5"] {
            let error = bad.parse::<Amount>().unwrap_err().to_string();
            assert_eq!(error, format!("`{bad}` is not a number"));
        }
        let long = format!("{}x", "9".repeat(45));
        let error = long.parse::<Amount>().unwrap_err().to_string();
        assert_eq!(error, format!("`{}…` is not a number", "9".repeat(40)));
    }

    /// What is not an amount is named, with what was expected instead.
    #[test]
    fn a_value_of_another_kind_says_an_amount_was_expected() {
        use serde::de::value::{BoolDeserializer, Error, MapDeserializer};
        let error = |result: Result<Amount, Error>| result.unwrap_err().to_string();
        // what serde's buffered content (untagged unions) or another format hands over
        assert_eq!(error(Amount::deserialize(BoolDeserializer::<Error>::new(true))), "invalid type: boolean `true`, expected an amount (a JSON number)");
        // a map that is not serde_json's number or raw value
        let map = MapDeserializer::<_, Error>::new(vec![("x", 1)].into_iter());
        assert_eq!(error(Amount::deserialize(map)), "invalid type: map, expected an amount (a JSON number)");
        // serde_json's number token holding something other than its text
        let map = MapDeserializer::<_, Error>::new(vec![(NUMBER_TOKEN, 5)].into_iter());
        assert_eq!(error(Amount::deserialize(map)), "invalid type: integer `5`, expected the text of a number");
    }

    /// `cargo xtask test` runs these tests twice: as the runtime is built for
    /// applications, and with serde_json's `arbitrary_precision` turned on
    /// (as an application may): amounts stay exact both ways in both.
    #[test]
    fn with_or_without_arbitrary_precision() {
        let text = "3895142176876064.23";
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let through_value: Amount = serde_json::from_value(value.clone()).unwrap();
        let back = serde_json::to_value(amount(text));
        let shown = value.to_string();
        if shown == text {
            // arbitrary_precision: a Value holds the number's own digits
            assert_eq!(through_value.to_string(), text);
            assert_eq!(back.unwrap().to_string(), text);
        } else {
            // a Value holds an f64: what the application chose for its
            // Values; an amount refuses to become one it is not
            assert_eq!(shown, "3895142176876064.0");
            let error = back.unwrap_err().to_string();
            assert!(error.contains("3895142176876064.23 cannot be a serde_json::Value exactly"), "{error}");
        }
        // the client's own paths never go through a Value
        assert_eq!(serde_json::from_str::<Amount>(text).unwrap().to_string(), text);
        assert_eq!(serde_json::to_string(&amount(text)).unwrap(), text);
        #[derive(Deserialize)]
        struct Page {
            amounts: Vec<Amount>,
        }
        let page: Page = serde_json::from_str(&format!(r#"{{"amounts": [{text}, -0.10]}}"#)).unwrap();
        assert_eq!(page.amounts[0].to_string(), text);
        assert_eq!(page.amounts[1].to_string(), "-0.10");
    }

    #[test]
    fn to_value_is_a_number() {
        let value = serde_json::to_value(amount("-16.22")).unwrap();
        assert_eq!(value, serde_json::json!(-16.22));
        assert_eq!(serde_json::to_value(amount("42")).unwrap(), serde_json::json!(42));
        assert_eq!(serde_json::json!({ "amount": amount("0.5") }).to_string(), r#"{"amount":0.5}"#);
    }

    /// Whether serde_json's `arbitrary_precision` is on (a `Value` keeps a
    /// number's text): then every amount's `to_value` is exact.
    fn arbitrary_precision() -> bool {
        let shown: String = serde_json::from_str::<serde_json::Value>("0.10").unwrap().to_string();
        shown == "0.10"
    }

    /// `to_value` is exact or an error: the amounts an f64 cannot write
    /// back with their own text fail, nested or not, with a message that
    /// says what to use; the text serializers stay exact.
    #[test]
    fn to_value_is_exact_or_fails() {
        for text in ["123456789012345.67", "10.50", "0.10", "-0.00", "79228162514264337593543950335", "0.0000001"] {
            let value = amount(text);
            assert_eq!(serde_json::to_string(&value).unwrap(), text);
            assert_eq!(serde_json::value::to_raw_value(&value).unwrap().get(), text);
            let results = [
                serde_json::to_value(value),
                serde_json::to_value([value]),
                serde_json::to_value(Some(value)),
                serde_json::to_value(std::collections::BTreeMap::from([("amount", value)])),
            ];
            for result in results {
                if arbitrary_precision() {
                    assert!(result.unwrap().to_string().contains(text), "{text}");
                } else {
                    let error = result.unwrap_err().to_string();
                    assert!(error.contains(&format!("the amount {text} cannot be a serde_json::Value exactly")), "{error}");
                    assert!(error.contains("to_string"), "{error}");
                }
            }
        }
    }

    /// A decimal of 1 to 28 significant digits (29 when it fits), scale 0
    /// to 28, either sign, and one in ten a zero (`0`, `-0.00`...): its
    /// text and its value. The sign is the decimal's own flag, so a zero
    /// can be negative (negating a zero mantissa leaves it positive).
    fn any_amount() -> impl proptest::strategy::Strategy<Value = (String, Decimal)> {
        use proptest::prelude::*;
        let digits = prop_oneof![9 => 1usize..=29, 1 => Just(0usize)];
        (any::<bool>(), digits, 0u32..=28, any::<u128>()).prop_filter_map(
            "fits a Decimal",
            |(negative, digits, scale, seed)| {
                let max = 10u128.pow(digits as u32);
                let mantissa = (seed % max) as i128;
                let mut value = Decimal::try_from_i128_with_scale(mantissa, scale).ok()?;
                value.set_sign_negative(negative);
                Some((value.to_string(), value))
            },
        )
    }

    /// Every decimal is read and written with its own digits: JSON text,
    /// JSON inside an object, `Value` text, form pairs and `Display`.
    #[test]
    fn every_decimal_round_trips_exactly() {
        let negative_zeros = std::cell::Cell::new(0u32);
        crate::tests::property(
            "every_decimal_round_trips_exactly",
            20_000,
            any_amount(),
            |(text, value)| {
                if value.is_zero() && value.is_sign_negative() {
                    negative_zeros.set(negative_zeros.get() + 1);
                    proptest::prop_assert!(text.starts_with("-0"), "{}", text);
                }
                let amount: Amount = serde_json::from_str(&text).unwrap();
                proptest::prop_assert_eq!(amount.decimal(), value);
                proptest::prop_assert_eq!(amount.decimal().scale(), value.scale());
                proptest::prop_assert_eq!(amount.decimal().is_sign_negative(), value.is_sign_negative(), "the sign of {}", text);
                proptest::prop_assert_eq!(serde_json::to_string(&amount).unwrap(), text.clone());
                #[derive(Serialize, Deserialize)]
                struct Body {
                    amount: Amount,
                    amounts: Vec<Amount>,
                    maybe: Option<Amount>,
                }
                let json = format!(r#"{{"amount":{text},"amounts":[{text},{text}],"maybe":{text}}}"#);
                let body: Body = serde_json::from_slice(json.as_bytes()).unwrap();
                proptest::prop_assert_eq!(serde_json::to_string(&body).unwrap(), json.clone());
                let form = crate::encoding::form_text(format!(r#"{{"amount":{text}}}"#).as_bytes()).unwrap();
                proptest::prop_assert_eq!(form, format!("amount={text}"));
                proptest::prop_assert_eq!(amount.to_string(), text.clone());
                let mut buffer = [0; 64];
                proptest::prop_assert_eq!(write_decimal(value, &mut buffer), text.as_str());
                // a Value: the amount's own text, or an error, never a rounding
                match serde_json::to_value(amount) {
                    Ok(json) => {
                        proptest::prop_assert_eq!(json.to_string(), text.clone());
                        let back: Amount = serde_json::from_value(json).unwrap();
                        proptest::prop_assert_eq!(back.decimal(), value);
                        proptest::prop_assert_eq!(back.decimal().scale(), value.scale());
                    }
                    Err(error) => proptest::prop_assert!(error.to_string().contains("cannot be a serde_json::Value exactly"), "{}", error),
                }
                match serde_json::to_value(&body) {
                    Ok(json) => proptest::prop_assert_eq!(json.to_string(), format!(r#"{{"amount":{text},"amounts":[{text},{text}],"maybe":{text}}}"#)),
                    Err(error) => proptest::prop_assert!(error.to_string().contains("cannot be a serde_json::Value exactly"), "{}", error),
                }
                // the same value written with an exponent
                let scientific: Amount = format!("{}e-{}", value.mantissa(), value.scale()).parse().unwrap();
                proptest::prop_assert_eq!(scientific.decimal(), value);
                proptest::prop_assert_eq!(scientific.decimal().scale(), value.scale());
                Ok(())
            },
        );
        // about 1 in 20 cases is a negative zero
        assert!(negative_zeros.get() >= 200, "{} negative zeros", negative_zeros.get());
    }
    
}
