//! Decoding of generated structs from JSON objects.
//!
//! Generated structs implement [`Object`] (a loop over the object's keys and
//! a `match` on the field index) and forward `Deserialize` to
//! [`deserialize`], instead of deriving `Deserialize`: serde's derive writes
//! several times more code per struct, which made a generated crate slow to
//! build. The behaviour is the derive's: unknown keys are skipped (or kept
//! in `additional_properties`), a missing `Option` field is `None`, a
//! missing required field is an error naming it (`missing field `id``).
//! Keys go through the deserializer, so `serde_path_to_error` still sees
//! the path of a failing value.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A struct read from the keys and values of a JSON object.
pub trait Object: Sized {
    /// The struct's name, for error messages.
    const NAME: &'static str;
    /// Wire names of the known fields: [`Key::Field`]`(i)` is `FIELDS[i]`.
    const FIELDS: &'static [&'static str];

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

/// A key of the object being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// One of the struct's fields, by index in [`Object::FIELDS`].
    Field(usize),
    /// Any other key.
    Other(String),
}

/// The next key of `map`, sorted into a field index or another key.
pub fn next_key<'de, A>(map: &mut A, fields: &'static [&'static str]) -> Result<Option<Key>, A::Error>
where
    A: MapAccess<'de>,
{
    map.next_key_seed(KeySeed(fields))
}

/// Reads the value of a required field into its slot.
pub fn read<'de, A, T>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the value of an optional or nullable field: `null` is `None`.
pub fn read_optional<'de, A, T>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    *slot = map.next_value()?;
    Ok(())
}

/// Reads the value of an optional and nullable field whose absence and
/// `null` differ: `null` is `Some(None)`.
pub fn read_nullable<'de, A, T>(map: &mut A, slot: &mut Option<Option<T>>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the value of a key that is not a field into the struct's
/// additional properties.
pub fn read_other<'de, A, T>(map: &mut A, key: String, others: &mut BTreeMap<String, T>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    others.insert(key, map.next_value()?);
    Ok(())
}

/// serde's "missing field" error for the first required field left unset,
/// given as `(name, unset)` pairs.
pub fn missing<E: de::Error>(fields: &[(&'static str, bool)]) -> E {
    match fields.iter().find(|(_, unset)| *unset) {
        Some((name, _)) => E::missing_field(name),
        None => E::custom("a required field is missing"),
    }
}

/// Skips the value of a key the struct does not know.
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

struct KeySeed(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match self.0.iter().position(|field| *field == key) {
            Some(index) => Key::Field(index),
            None => Key::Other(key.to_owned()),
        })
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
        const FIELDS: &'static [&'static str] = &["id", "name"];

        fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut fields = (None, None);
            let mut additional_properties = BTreeMap::new();
            while let Some(key) = next_key(&mut map, Self::FIELDS)? {
                match key {
                    Key::Field(0) => read::<_, i64>(&mut map, &mut fields.0),
                    Key::Field(1) => read_optional::<_, String>(&mut map, &mut fields.1),
                    Key::Other(key) => read_other(&mut map, key, &mut additional_properties),
                    Key::Field(_) => skip_value(&mut map),
                }?;
            }
            match fields.0 {
                Some(id) => Ok(Account { id, name: fields.1, additional_properties }),
                None => Err(missing(&[("id", true)])),
            }
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
