//! Encoding of generated structs as JSON objects (or form bodies).
//!
//! Generated structs implement `Serialize` with one [`Object`] call per
//! field instead of deriving it: serde's derive writes a presence count and
//! a branch per optional field, which made a generated crate slow to build.
//! The output is the derive's: fields in declaration order, unset optional
//! fields left out, additional properties after the named fields.

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// A JSON object being written. The first error is kept and every later
/// call does nothing, so generated code needs no `?` per field.
pub struct Object<S: Serializer> {
    state: Result<S::SerializeMap, S::Error>,
}

impl<S: Serializer> Object<S> {
    /// Starts the object.
    pub fn new(serializer: S) -> Object<S> {
        Object {
            state: serializer.serialize_map(None),
        }
    }

    /// Writes a field that is always present.
    pub fn field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.entry(name, value);
    }

    /// Writes an optional field when it is set. A tri-state field
    /// (`Option<Option<T>>`) set to `Some(None)` is written as `null`.
    pub fn optional<T: Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(name, value);
        }
    }

    /// Writes the additional properties, after the named fields.
    pub fn others<T: Serialize>(&mut self, values: &BTreeMap<String, T>) {
        for (name, value) in values {
            self.entry(name.as_str(), value);
        }
    }

    /// Writes one entry unless an earlier one failed; keeps the first error.
    fn entry<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        if let Ok(map) = &mut self.state {
            if let Err(error) = map.serialize_entry(name, value) {
                self.state = Err(error);
            }
        }
    }

    /// Ends the object, or returns the first error.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.state?.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What generated code writes for a struct with a required field, an
    /// optional one, a tri-state one and additional properties.
    struct Update {
        id: i64,
        name: Option<String>,
        deleted: Option<Option<String>>,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }

    impl Serialize for Update {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut object = Object::new(serializer);
            object.field("id", &self.id);
            object.optional("name", &self.name);
            object.optional("deleted", &self.deleted);
            object.others(&self.additional_properties);
            object.end()
        }
    }

    fn update(name: Option<&str>, deleted: Option<Option<&str>>) -> Update {
        Update {
            id: 1,
            name: name.map(str::to_owned),
            deleted: deleted.map(|d| d.map(str::to_owned)),
            additional_properties: BTreeMap::from([("extra".to_owned(), json!(true))]),
        }
    }

    #[test]
    fn unset_fields_are_left_out_and_null_is_kept() {
        let unset = serde_json::to_string(&update(None, None)).unwrap();
        assert_eq!(unset, r#"{"id":1,"extra":true}"#);
        let cleared = serde_json::to_string(&update(Some("a"), Some(None))).unwrap();
        assert_eq!(cleared, r#"{"id":1,"name":"a","deleted":null,"extra":true}"#);
        let set = serde_json::to_string(&update(None, Some(Some("2015-01-01")))).unwrap();
        assert_eq!(set, r#"{"id":1,"deleted":"2015-01-01","extra":true}"#);
    }

    #[test]
    fn form_bodies_work_too() {
        let text = serde_urlencoded::to_string(update(Some("a b"), None)).unwrap();
        assert_eq!(text, "id=1&name=a+b&extra=true");
    }

    #[test]
    fn the_first_error_is_returned() {
        let mut nested = update(None, None);
        nested.additional_properties.insert("deep".to_owned(), json!({"a": 1}));
        assert!(serde_urlencoded::to_string(&nested).is_err());
    }
}
