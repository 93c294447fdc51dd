//! Every model of both generated crates against its own schema: random JSON
//! instances made from the spec's schemas (required and optional fields,
//! nulls where nullable, known and unknown enum values, nested objects,
//! arrays, maps, amounts of up to 28 digits) decode through the client's
//! own response path and encode back to the same JSON: an amount
//! (`format: monetary`) to its very text (scale and the sign of a zero
//! included: `10.50` stays `10.50`, `-0.00` stays `-0.00`), another number
//! to its exact value with the sign of a zero (never through `f64`); and a
//! value put in every secret field never shows in `Debug` output.
//!
//! Instances per model: `MODEL_INSTANCES` (default 100); the seed is printed
//! and can be set with `MODEL_SEED` to replay a failure.

use std::collections::BTreeMap;
use std::fmt::Debug;

use client_runtime::{Bytes, Response};
use codegen::ir::{Api, Model, ModelKind, Type};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;

include!(concat!(env!("OUT_DIR"), "/models.rs"));

/// Decodes an instance into one model type: its re-encoded JSON and its
/// `Debug` text.
type Check = fn(&[u8]) -> Result<(String, String), String>;

fn check<T: DeserializeOwned + Serialize + Debug>(json: &[u8]) -> Result<(String, String), String> {
    let response = Response::new(200, Default::default(), Bytes::copy_from_slice(json));
    let value: T = response.json().map_err(|error| format!("{error}"))?;
    let encoded = serde_json::to_string(&value).map_err(|error| format!("encoding: {error}"))?;
    Ok((encoded, format!("{value:?}")))
}

/// A JSON value with numbers kept as text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(String),
    /// An amount (`format: monetary`) of an instance: compared as text.
    Amount(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    pub(crate) fn text(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Number(n) | Json::Amount(n) => n.clone(),
            Json::String(s) => serde_json::to_string(s).unwrap(),
            Json::Array(items) => format!("[{}]", items.iter().map(Json::text).collect::<Vec<_>>().join(",")),
            Json::Object(members) => format!(
                "{{{}}}",
                members.iter().map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), v.text())).collect::<Vec<_>>().join(",")
            ),
        }
    }

    /// The form compared: object members sorted and without nulls (absent
    /// and null are the same for a field that is not tri-state); numbers
    /// stay as written ([`Json::difference`] compares them).
    fn canonical(&self) -> Json {
        match self {
            Json::Array(items) => Json::Array(items.iter().map(Json::canonical).collect()),
            Json::Object(members) => {
                let sorted: BTreeMap<&String, Json> =
                    members.iter().filter(|(_, v)| *v != Json::Null).map(|(k, v)| (k, v.canonical())).collect();
                Json::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
            }
            other => other.clone(),
        }
    }

    /// Whether `actual` (re-encoded, canonical) is what this instance
    /// (canonical) says: an amount's text exactly, another number's exact
    /// value, the rest equal.
    fn agrees(&self, actual: &Json) -> bool {
        self.difference(actual, "").is_none()
    }

    /// Where `actual` first differs from what this instance says.
    fn difference(&self, actual: &Json, at: &str) -> Option<String> {
        match (self, actual) {
            (Json::Amount(want), Json::Number(got)) if want == got => None,
            (Json::Number(want), Json::Number(got)) if exact_value(want) == exact_value(got) => None,
            (Json::Array(want), Json::Array(got)) if want.len() == got.len() => {
                want.iter().zip(got).enumerate().find_map(|(i, (w, g))| w.difference(g, &format!("{at}[{i}]")))
            }
            (Json::Object(want), Json::Object(got)) => {
                for ((key, w), (got_key, g)) in want.iter().zip(got) {
                    if key != got_key {
                        return Some(format!("{at}: member `{key}` where `{got_key}` came back"));
                    }
                    if let Some(difference) = w.difference(g, &format!("{at}.{key}")) {
                        return Some(difference);
                    }
                }
                (want.len() != got.len()).then(|| format!("{at}: {} members, {} came back", want.len(), got.len()))
            }
            (want, got) if want == got => None,
            (want, got) => Some(format!("{at}: {} came back as {}", want.text(), got.text())),
        }
    }

    pub(crate) fn parse(text: &str) -> Json {
        let raw: &RawValue = serde_json::from_str(text).expect("valid JSON");
        Json::from_raw(raw)
    }

    fn from_raw(raw: &RawValue) -> Json {
        let text = raw.get().trim();
        match text.as_bytes()[0] {
            b'{' => {
                let members: BTreeMap<String, &RawValue> = serde_json::from_str(text).unwrap();
                Json::Object(members.into_iter().map(|(k, v)| (k, Json::from_raw(v))).collect())
            }
            b'[' => Json::Array(serde_json::from_str::<Vec<&RawValue>>(text).unwrap().into_iter().map(Json::from_raw).collect()),
            b'"' => Json::String(serde_json::from_str(text).unwrap()),
            b't' => Json::Bool(true),
            b'f' => Json::Bool(false),
            b'n' => Json::Null,
            _ => Json::Number(text.to_owned()),
        }
    }
}

/// A JSON number's exact value as `[-]digits e exponent`, digits without
/// leading or trailing zeros: equal texts mean equal values. A zero keeps
/// its sign (`-0` and `0` are different `f64`s).
fn exact_value(text: &str) -> String {
    let (negative, rest) = text.strip_prefix('-').map_or((false, text), |r| (true, r));
    let (mantissa, exponent) = rest.split_once(['e', 'E']).unwrap_or((rest, "0"));
    let exponent: i64 = exponent.parse().unwrap();
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = format!("{whole}{fraction}").trim_start_matches('0').to_owned();
    let mut exponent = exponent - fraction.len() as i64;
    while digits.ends_with('0') {
        digits.pop();
        exponent += 1;
    }
    if digits.is_empty() {
        return if negative { "-0" } else { "0" }.into();
    }
    format!("{}{digits}e{exponent}", if negative { "-" } else { "" })
}

use xtask::Rng;

/// Makes instances of a spec's models.
pub(crate) struct Instances<'a> {
    models: BTreeMap<&'a str, &'a Model>,
    rng: Rng,
    /// When set, every secret gets a value starting with this marker.
    canary: Option<&'static str>,
    secrets_put: usize,
}

/// Types an instance cannot be made of as JSON (file parts of multipart bodies).
pub(crate) struct NotJson;

impl<'a> Instances<'a> {
    pub(crate) fn new(api: &'a Api, seed: u64) -> Self {
        Instances { models: api.models.iter().map(|m| (m.name.as_str(), m)).collect(), rng: Rng(seed | 1), canary: None, secrets_put: 0 }
    }

    fn model(&mut self, name: &str, depth: usize) -> Result<Json, NotJson> {
        let model = self.models[name];
        match &model.kind {
            ModelKind::Struct(s) => {
                let mut members = Vec::new();
                for field in &s.fields {
                    if !field.required && (depth > 3 || self.rng.chance(2)) {
                        continue;
                    }
                    let value = if field.nullable && self.rng.chance(4) { Json::Null } else { self.value(&field.ty, depth + 1)? };
                    members.push((field.wire.clone(), value));
                }
                if let Some(extra) = &s.additional {
                    for n in 0..self.rng.below(3) {
                        let key = format!("extra_{n}_{}", self.rng.below(1000));
                        if s.fields.iter().all(|f| f.wire != key) {
                            members.push((key, self.value(extra, depth + 1)?));
                        }
                    }
                }
                Ok(Json::Object(members))
            }
            ModelKind::Enum(values) => Ok(Json::String(if values.is_empty() || self.rng.chance(5) {
                format!("not_a_known_value_{}", self.rng.below(100))
            } else {
                values[self.rng.below(values.len())].wire.clone()
            })),
            ModelKind::Union { variants, tag } => {
                let i = self.rng.below(variants.len());
                let mut value = self.value(&variants[i].ty, depth + 1)?;
                if let (Some(tag), Json::Object(members)) = (tag, &mut value) {
                    if let Some((wire, _)) = tag.values.iter().find(|(_, index)| *index == i) {
                        members.retain(|(k, _)| *k != tag.property);
                        members.push((tag.property.clone(), Json::String(wire.clone())));
                    }
                }
                Ok(value)
            }
            ModelKind::ScalarUnion { scalars, constants } => {
                let pick = self.rng.below(scalars.len() + constants.len());
                match scalars.get(pick) {
                    Some(scalar) => self.value(&scalar.ty, depth + 1),
                    None => Ok(Json::String(constants[pick - scalars.len()].wire.clone())),
                }
            }
            ModelKind::Alias(t) | ModelKind::Newtype(t) => self.value(t, depth + 1),
        }
    }

    pub(crate) fn value(&mut self, t: &Type, depth: usize) -> Result<Json, NotJson> {
        let rng = &mut self.rng;
        Ok(match t {
            Type::String => Json::String(self.string()),
            Type::Secret => match self.canary {
                Some(canary) => {
                    self.secrets_put += 1;
                    Json::String(format!("{canary}{}", self.rng.below(1_000_000)))
                }
                None => Json::String(self.string()),
            },
            Type::I32 => Json::Number((rng.bits() as i32).to_string()),
            Type::I64 => Json::Number(match rng.below(4) {
                0 => i64::MIN.to_string(),
                1 => i64::MAX.to_string(),
                _ => (rng.bits() as i64 >> rng.below(64)).to_string(),
            }),
            // Plain numbers are f32/f64 by design: values those types hold
            // exactly as text (6 and 15 significant digits, small exponents),
            // which serde_json's default parser reads to the nearest float.
            Type::F32 => Json::Number(decimal(rng, 6, 6)),
            Type::F64 => Json::Number(decimal(rng, 15, 15)),
            Type::Amount => Json::Amount(decimal(rng, 28, 10)),
            Type::Bool => Json::Bool(rng.chance(2)),
            Type::Date => Json::String(date(rng)),
            // the docs' form, and RFC 3339's: separators, fractions, zones
            Type::DateTime => {
                let date = date(rng);
                let separator = [" ", " ", "T", "t"][rng.below(4)];
                let mut text = format!("{date}{separator}{:02}:{:02}:{:02}", rng.below(24), rng.below(60), rng.below(60));
                if rng.chance(3) {
                    let digits = 1 + rng.below(9);
                    text.push('.');
                    text.extend((0..digits).map(|_| char::from(b'0' + rng.below(10) as u8)));
                }
                match rng.below(4) {
                    0 => text.push('Z'),
                    1 => text.push_str(&format!("{}{:02}:{:02}", ["+", "-"][rng.below(2)], rng.below(24), rng.below(60))),
                    _ => {}
                }
                Json::String(text)
            }
            Type::Binary => return Err(NotJson),
            Type::Any => match rng.below(4) {
                0 => Json::Number((rng.bits() as i64).to_string()),
                1 => Json::String(self.string()),
                2 => Json::Array(vec![Json::Bool(true), Json::Null]),
                _ => Json::Object(vec![("a".into(), Json::Number("1.5".into()))]),
            },
            Type::JsonObject => Json::Object(vec![("k".into(), Json::String(self.string()))]),
            Type::Array(item) => {
                let len = if depth > 3 { 0 } else { self.rng.below(4) };
                Json::Array((0..len).map(|_| self.value(item, depth + 1)).collect::<Result<_, _>>()?)
            }
            Type::Map(item) => {
                let len = if depth > 3 { 0 } else { self.rng.below(3) };
                let mut members = Vec::new();
                for n in 0..len {
                    members.push((format!("key{n}"), self.value(item, depth + 1)?));
                }
                Json::Object(members)
            }
            Type::Named(name) => return self.model(name, depth),
            Type::Nullable(inner) => {
                if self.rng.chance(4) {
                    Json::Null
                } else {
                    self.value(inner, depth)?
                }
            }
        })
    }

    fn string(&mut self) -> String {
        const SOME: [&str; 6] = ["", "a", "hello world", "é€😀", "quote\" back\\slash", "line\nbreak\ttab"];
        if self.rng.chance(2) {
            SOME[self.rng.below(SOME.len())].to_owned()
        } else {
            (0..self.rng.below(12)).map(|_| (b'a' + self.rng.below(26) as u8) as char).collect()
        }
    }
}

/// A decimal number of 1 to `max_digits` significant digits and a scale of
/// 0 to `max_scale`, either sign, as text (`-16.22`, `0.10`, `42`); one in
/// eight is a zero, and the sign is the decimal's flag, so a zero can be
/// negative (`-0.00`).
fn decimal(rng: &mut Rng, max_digits: u32, max_scale: u32) -> String {
    let digits = 1 + rng.below(max_digits as usize) as u32;
    let scale = rng.below(max_scale as usize + 1) as u32;
    let mantissa = (i128::from(rng.bits()) << 32 | i128::from(rng.bits() as u32)) % 10i128.pow(digits);
    let mantissa = if rng.chance(8) { 0 } else { mantissa };
    let mut value = client_runtime::Decimal::from_i128_with_scale(mantissa, scale);
    value.set_sign_negative(rng.chance(2));
    value.to_string()
}

fn date(rng: &mut Rng) -> String {
    format!("{:04}-{:02}-{:02}", 1000 + rng.below(9000), 1 + rng.below(12), 1 + rng.below(28))
}

pub(crate) fn seed() -> u64 {
    match std::env::var("MODEL_SEED") {
        Ok(seed) => seed.parse().expect("MODEL_SEED is a number"),
        Err(_) => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64,
    }
}

fn instances_per_model() -> usize {
    crate::size_from_env("MODEL_INSTANCES", 100) as usize
}

pub(crate) fn api(spec: &str) -> Api {
    let text = std::fs::read_to_string(xtask::root().join(spec)).unwrap();
    codegen::api(&text).unwrap_or_else(|errors| panic!("{spec}: {errors:?}"))
}

/// Round trips every model of a spec; returns the models checked and the
/// models skipped (no serde impls, or no JSON instance), by name.
fn round_trip_every_model(spec: &str, lookup: fn(&str) -> Option<Option<Check>>) -> (Vec<String>, Vec<String>) {
    let api = api(spec);
    let seed = seed();
    let per_model = instances_per_model();
    println!("{spec}: seed {seed} (MODEL_SEED={seed} replays it), {per_model} instances per model");
    let mut instances = Instances::new(&api, seed);
    let (mut checked, mut skipped) = (Vec::new(), Vec::new());
    let mut failures = Vec::new();
    for model in &api.models {
        let check = lookup(&model.name).unwrap_or_else(|| panic!("{spec}: model `{}` is not exported by the crate", model.name));
        let Some(check) = check else {
            skipped.push(model.name.clone());
            continue;
        };
        // an instance with a file part (an optional one, randomly) has no
        // JSON form: the next one is tried, and a model is skipped only
        // when none of its instances has one (a required file part)
        let mut made = 0;
        for _ in 0..per_model {
            let Ok(instance) = instances.model(&model.name, 0) else { continue };
            made += 1;
            let text = instance.text();
            match check(text.as_bytes()) {
                Ok((encoded, _)) => {
                    if let Some(difference) = instance.canonical().difference(&Json::parse(&encoded).canonical(), "") {
                        failures.push(format!("{} at {difference}: {text}\n  came back as {encoded}", model.name));
                    }
                }
                Err(error) => failures.push(format!("{}: {text}\n  does not decode: {error}", model.name)),
            }
            if failures.len() > 20 {
                break;
            }
        }
        if made == 0 {
            skipped.push(model.name.clone());
        } else {
            checked.push(model.name.clone());
        }
    }
    assert!(failures.is_empty(), "{spec} (seed {seed}): {} instances did not round-trip:\n{}", failures.len(), failures.join("\n"));
    println!("{spec}: {} models round-tripped, {per_model} instances each; skipped: {skipped:?}", checked.len());
    (checked, skipped)
}

/// The models that have no JSON form, by name, each with why: skipped by
/// the round trip, and only these (a model that makes no instance, or a new
/// multipart body, fails until it is named here).
const POWENS_SKIPPED: &[(&str, &str)] = &[("UpdateClientLogoRequest", "a multipart body with a file part (the logo)")];
const FINAPI_SKIPPED: &[(&str, &str)] = &[];

/// Every model of the spec is round-tripped but the named ones: exact.
fn every_model_round_trips(spec: &str, lookup: fn(&str) -> Option<Option<Check>>, skip: &[(&str, &str)]) {
    let models = api(spec).models.len();
    let (checked, skipped) = round_trip_every_model(spec, lookup);
    let named: Vec<&str> = skip.iter().map(|(name, _)| *name).collect();
    assert_eq!(skipped, named, "{spec}: the models skipped (no JSON form) are the named ones");
    assert_eq!(checked.len(), models - named.len(), "{spec}: every other model round-tripped");
}

#[test]
fn every_powens_model_round_trips() {
    every_model_round_trips("spec/powens.yaml", powens_model, POWENS_SKIPPED);
}

#[test]
fn every_finapi_model_round_trips() {
    every_model_round_trips("spec/finapi.yaml", finapi_model, FINAPI_SKIPPED);
}

/// A value put in every secret field of every model never shows in the
/// model's `Debug` output, and the models hold secrets where the spec says.
/// Returns the models whose instances held a secret.
fn secrets_never_show(spec: &str, lookup: fn(&str) -> Option<Option<Check>>) -> std::collections::BTreeSet<String> {
    const CANARY: &str = "CANARY-SECRET-";
    let api = api(spec);
    let seed = seed();
    let mut instances = Instances::new(&api, seed);
    instances.canary = Some(CANARY);
    let mut with_secrets = 0;
    let mut models = std::collections::BTreeSet::new();
    for model in &api.models {
        let Some(check) = lookup(&model.name).unwrap() else { continue };
        for _ in 0..instances_per_model() {
            let before = instances.secrets_put;
            let Ok(instance) = instances.model(&model.name, 0) else { continue };
            if instances.secrets_put == before {
                continue;
            }
            with_secrets += 1;
            models.insert(model.name.clone());
            let (_, debug) = check(instance.text().as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", model.name));
            assert!(!debug.contains(CANARY), "{spec} (seed {seed}): a secret shows in the Debug output of {}: {debug}", model.name);
        }
    }
    println!("{spec}: {} secret values put in {with_secrets} instances of {} models, none shown", instances.secrets_put, models.len());
    models
}

/// The models with a secret field of their own (a `Secret`, or a list,
/// map or nullable of one): each must have had instances holding one.
fn models_with_secret_fields(spec: &str) -> std::collections::BTreeSet<String> {
    fn holds_secret(t: &Type) -> bool {
        match t {
            Type::Secret => true,
            Type::Array(inner) | Type::Map(inner) | Type::Nullable(inner) => holds_secret(inner),
            _ => false,
        }
    }
    api(spec)
        .models
        .iter()
        .filter(|model| matches!(&model.kind, ModelKind::Struct(s) if s.fields.iter().any(|field| holds_secret(&field.ty))))
        .map(|model| model.name.clone())
        .collect()
}

#[test]
fn no_secret_shows_in_debug_output() {
    for (spec, lookup) in [("spec/powens.yaml", powens_model as fn(&str) -> Option<Option<Check>>), ("spec/finapi.yaml", finapi_model)] {
        let tested = secrets_never_show(spec, lookup);
        let own: Vec<String> = models_with_secret_fields(spec).into_iter().filter(|name| !tested.contains(name)).collect();
        assert!(own.is_empty(), "{spec}: models with a secret field whose instances never held a secret: {own:?}");
        assert!(!tested.is_empty(), "{spec}: no secret tested");
    }
}

/// Arbitrary bytes and mangled JSON fed to every model's decoder (the
/// client's response path): an error or a value, never a panic. Inputs per
/// model: `MODEL_INSTANCES` × 4.
fn decoders_never_panic(spec: &str, lookup: fn(&str) -> Option<Option<Check>>) -> usize {
    let api = api(spec);
    let seed = seed();
    let mut instances = Instances::new(&api, seed);
    let mut rng = Rng(seed.rotate_left(17) | 1);
    let mut tried = 0;
    let mut decoded_models = 0;
    for model in &api.models {
        let Some(check) = lookup(&model.name).unwrap() else { continue };
        decoded_models += 1;
        for _ in 0..instances_per_model() {
            let valid = instances.model(&model.name, 0).map(|json| json.text()).unwrap_or_default().into_bytes();
            let mut inputs = Vec::new();
            // random bytes
            inputs.push((0..rng.below(64)).map(|_| rng.bits() as u8).collect::<Vec<u8>>());
            // a valid instance cut short
            inputs.push(valid[..rng.below(valid.len() + 1)].to_vec());
            // a valid instance with a few bytes changed
            let mut flipped = valid.clone();
            for _ in 0..1 + rng.below(4) {
                if !flipped.is_empty() {
                    let at = rng.below(flipped.len());
                    flipped[at] = b"{}[]\",:0-e9.\"nt\\ \x00\xff"[rng.below(19)];
                }
            }
            inputs.push(flipped);
            // every number made huge, every string made a number
            let text = String::from_utf8_lossy(&valid).into_owned();
            inputs.push(text.replace(":1", ":1e999999").replace(":\"", ":-99999999999999999999999999999999.9,\"x\":\"").into_bytes());
            for input in inputs {
                let outcome = std::panic::catch_unwind(|| check(&input));
                assert!(outcome.is_ok(), "{spec} (seed {seed}): decoding {} panicked on {:?}", model.name, String::from_utf8_lossy(&input));
                tried += 1;
            }
        }
    }
    println!("{spec}: {tried} arbitrary and mangled inputs decoded without a panic (seed {seed})");
    // four inputs per instance, for every model with a decoder
    assert_eq!(tried, decoded_models * instances_per_model() * 4, "{spec}: the inputs tried");
    decoded_models
}

#[test]
fn no_input_makes_a_decoder_panic() {
    // every model has a decoder (a multipart body's too), and each is fed
    for (spec, lookup) in [("spec/powens.yaml", powens_model as fn(&str) -> Option<Option<Check>>), ("spec/finapi.yaml", finapi_model)] {
        assert_eq!(decoders_never_panic(spec, lookup), api(spec).models.len(), "{spec}: models fed");
    }
}

#[test]
fn exact_value_compares_numbers_by_value() {
    assert_eq!(exact_value("10.50"), exact_value("10.5"));
    assert_eq!(exact_value("1e2"), exact_value("100"));
    assert_eq!(exact_value("-0.0"), exact_value("-0"));
    assert_ne!(exact_value("-0.0"), exact_value("0"));
    // an amount is compared as text: scale and the sign of a zero count
    assert!(Json::Amount("10.50".into()).agrees(&Json::Number("10.50".into())));
    assert!(!Json::Amount("10.50".into()).agrees(&Json::Number("10.5".into())));
    assert!(!Json::Amount("-0.00".into()).agrees(&Json::Number("0.00".into())));
    assert_ne!(exact_value("3895142176876064.23"), exact_value("3895142176876064.0"));
    assert_ne!(exact_value("-1"), exact_value("1"));
}
