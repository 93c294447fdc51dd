//! The generated decoders (`client_runtime::de`, a loop over keys) against
//! serde's own `#[derive(Deserialize)]` on the same structs, over generated
//! JSON objects: keys of the fields, unknown keys and keys given twice, in
//! any order, with values of every JSON type. Both accept the same inputs,
//! to the same values, and both refuse a key given twice. One difference is
//! by design and checked apart: the derive also reads a struct from a JSON
//! array of its fields in order (`["Paris"]`); generated decoders want an
//! object, as every API sends.
//! Cases: `PROPTEST_CASES` (default 3,000).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde::{Deserialize, Deserializer};
use tests::fixtures::nullable::models::{Address, ProfileUpdate};

/// A tri-state field as generated code reads it: absent `None`, null
/// `Some(None)` (the derive's own `Option<Option<T>>` reads null as `None`).
fn tri_state<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize, Debug, PartialEq)]
struct DerivedAddress {
    city: String,
    #[serde(default, deserialize_with = "tri_state")]
    line2: Option<Option<String>>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct DerivedProfileUpdate {
    name: String,
    nickname: Option<String>,
    email: Option<String>,
    #[serde(default, deserialize_with = "tri_state")]
    phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "tri_state")]
    address: Option<Option<DerivedAddress>>,
}

fn same_address(ours: &Address, derived: &DerivedAddress) -> bool {
    ours.city == derived.city && ours.line2 == derived.line2
}

fn same(ours: &ProfileUpdate, derived: &DerivedProfileUpdate) -> bool {
    ours.name == derived.name
        && ours.nickname == derived.nickname
        && ours.email == derived.email
        && ours.phone == derived.phone
        && match (&ours.address, &derived.address) {
            (Some(Some(a)), Some(Some(b))) => same_address(a, b),
            (a, b) => a.is_none() == b.is_none() && a.as_ref().is_some_and(Option::is_none) == b.as_ref().is_some_and(Option::is_none),
        }
}

/// A JSON value of any type, the address object included.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("12".to_owned()),
        Just("-1.5".to_owned()),
        Just("\"x\"".to_owned()),
        Just("\"\"".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just(r#"{"city": "Paris"}"#.to_owned()),
        Just(r#"{"city": "Paris", "line2": null}"#.to_owned()),
        Just(r#"{"city": "Lyon", "line2": "b", "line2": "c"}"#.to_owned()),
        Just(r#"{"line2": "b"}"#.to_owned()),
    ]
}

const KEYS: [&str; 7] = ["name", "nickname", "email", "phone", "address", "other", "city"];

/// An object of 0 to 8 entries, keys drawn from the fields and others, so
/// a key given twice is common.
fn object() -> impl Strategy<Value = String> {
    proptest::collection::vec((0..KEYS.len(), value()), 0..8).prop_map(|entries| {
        let members: Vec<String> = entries.iter().map(|(k, v)| format!("\"{}\": {v}", KEYS[*k])).collect();
        format!("{{{}}}", members.join(", "))
    })
}

#[test]
fn generated_decoders_agree_with_serde_derive() {
    let cases = crate::size_from_env("PROPTEST_CASES", 3_000);
    let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::with_cases(cases) });
    let ran = std::cell::Cell::new(0u32);
    runner
        .run(&object(), |json| {
            ran.set(ran.get() + 1);
            let ours = serde_json::from_str::<ProfileUpdate>(&json);
            let derived = serde_json::from_str::<DerivedProfileUpdate>(&json);
            match (&ours, &derived) {
                (Ok(a), Ok(b)) => prop_assert!(same(a, b), "{}: {:?} vs {:?}", json, a, b),
                (Err(a), Err(b)) => {
                    let twice = |e: &serde_json::Error| e.to_string().starts_with("duplicate field");
                    prop_assert_eq!(twice(a), twice(b), "{}: {} vs {}", json, a, b);
                }
                _ => prop_assert!(false, "{}: ours {:?}, derive {:?}", json, ours, derived),
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(ran.get(), cases, "the cases that ran");
    assert!(serde_json::from_str::<DerivedAddress>(r#"["Paris"]"#).is_ok());
    assert!(serde_json::from_str::<Address>(r#"["Paris"]"#).is_err());
    // and the case the derive refuses that `de` used to accept
    let twice = r#"{"name": "a", "email": null, "email": "b"}"#;
    assert!(serde_json::from_str::<ProfileUpdate>(twice).unwrap_err().to_string().starts_with("duplicate field `email`"));
}
