//! Decoding of generated structs from JSON objects.
//!
//! Generated structs implement [`Object`] (a loop over the object's keys and
//! a `match` on each key) and forward `Deserialize` to
//! [`deserialize`], instead of deriving `Deserialize`: serde's derive writes
//! several times more code per struct, which made a generated crate slow to
//! build. The behaviour is the derive's: unknown keys are skipped (or kept
//! in `additional_properties`), a missing `Option` field is `None`, a
//! missing required field is an error naming it (`missing field `id``), a
//! key given twice is an error (`duplicate field `id``). The tests compare
//! it with the derive on generated models over generated inputs.
//! Keys go through the deserializer, so `serde_path_to_error` still sees
//! the path of a failing value.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A struct read from the keys and values of a JSON object.
pub trait Object: Sized {
    /// The struct's name, for error messages.
    const NAME: &'static str;

    /// Reads the struct from the object's entries.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of a generated struct.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Object,
{
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// The next key of `map`: borrowed from the input when it can be.
pub fn next_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Cow<'de, str>>, A::Error> {
    map.next_key_seed(KeySeed)
}

/// Reads the value of a required field into its slot. A second key of the
/// same name is an error, as with serde's derive.
#[inline]
pub fn read<'de, A, T>(map: &mut A, name: &'static str, slot: &mut Option<T>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(duplicate(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the value of an optional or nullable field: `null` is
/// `Some(None)`, so a second key of the same name is noticed even after a
/// `null` (generated code flattens it when absent and null are the same).
#[inline]
pub fn read_nullable<'de, A, T>(map: &mut A, name: &'static str, slot: &mut Option<Option<T>>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(duplicate(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the value of a key that is not a field into the struct's
/// additional properties.
pub fn read_other<'de, A, T>(map: &mut A, key: &str, others: &mut BTreeMap<String, T>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    others.insert(key.to_owned(), map.next_value()?);
    Ok(())
}

/// serde's "duplicate field" error, out of the way of the common path.
#[cold]
#[inline(never)]
fn duplicate<E: de::Error>(name: &'static str) -> E {
    E::duplicate_field(name)
}

/// serde's "missing field" error, whatever the deserializer (its error
/// type comes from the caller's return type).
pub fn missing_field<E: de::Error>(name: &'static str) -> E {
    E::missing_field(name)
}

/// Skips the value of a key the struct does not know.
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(key.to_owned()))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// What generated code writes for a struct with a required field, an
    /// optional one and additional properties.
    #[derive(Debug, PartialEq)]
    struct Account {
        id: i64,
        name: Option<String>,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }

    impl<'de> serde::Deserialize<'de> for Account {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    impl Object for Account {
        const NAME: &'static str = "Account";

        fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut id: Option<i64> = None;
            let mut name: Option<Option<String>> = None;
            let mut additional_properties = BTreeMap::new();
            while let Some(key) = next_key(&mut map)? {
                match &*key {
                    "id" => read(&mut map, "id", &mut id),
                    "name" => read_nullable(&mut map, "name", &mut name),
                    other => read_other(&mut map, other, &mut additional_properties),
                }?;
            }
            let Some(id) = id else {
                return Err(missing_field("id"));
            };
            Ok(Account { id, name: name.flatten(), additional_properties })
        }
    }

    #[test]
    fn reads_fields_and_keeps_other_keys() {
        let account: Account = serde_json::from_str(r#"{"name": null, "id": 3, "extra": [1]}"#).unwrap();
        assert_eq!(account.id, 3);
        assert_eq!(account.name, None);
        assert_eq!(account.additional_properties["extra"], serde_json::json!([1]));
    }

    #[test]
    fn escaped_keys_are_matched_too() {
        // an escape makes serde_json hand over an owned key, not a borrowed one
        let account: Account = serde_json::from_str(r#"{"n\u0061me": "x", "\u0069d": 1}"#).unwrap();
        assert_eq!((account.id, account.name.as_deref()), (1, Some("x")));
    }

    #[test]
    fn a_missing_required_field_is_named() {
        let error = serde_json::from_str::<Account>(r#"{"name": "a"}"#).unwrap_err();
        assert!(error.to_string().starts_with("missing field `id`"), "{error}");
    }

    #[test]
    fn a_wrong_value_has_its_path() {
        let json = r#"[{"id": 1}, {"id": "two"}]"#;
        let error = serde_path_to_error::deserialize::<_, Vec<Account>>(&mut serde_json::Deserializer::from_str(json))
            .unwrap_err();
        assert_eq!(error.path().to_string(), "[1].id");
    }

    #[test]
    fn not_an_object_is_an_error() {
        let error = serde_json::from_str::<Account>("[1]").unwrap_err();
        assert!(error.to_string().contains("a JSON object (Account)"), "{error}");
    }
}
