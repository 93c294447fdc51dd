//! Parse the spec text (YAML or JSON), check its version first, bring a
//! 3.1 document into the 3.0 model (`openapi31`), repair the real-world
//! defects openapiv3 cannot read, then deserialize.

use crate::diagnostics::{join, Diagnostic};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::cell::RefCell;

/// Parses `text` into an openapiv3 document plus warnings for what was repaired.
pub fn load(text: &str) -> Result<(openapiv3::OpenAPI, Value, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (mut value, duplicates) = match parse(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let mut d = Diagnostic::error("#", format!("the spec is not valid YAML or JSON: {e}"));
            d.line = e.line;
            return Err(vec![d]);
        }
    };
    let version_31 = check_version(&value)?;
    let mut warnings: Vec<Diagnostic> = duplicates.iter().map(Duplicate::diagnostic).collect();
    if version_31 {
        warnings.extend(crate::openapi31::to_30(&mut value));
    }
    repair(&mut value, Path::Root, &mut warnings);
    crate::refs::normalise(&mut value);
    drop_callbacks(&mut value);
    if version_31 {
        // type lists are plain 3.1, not a defect to point out
        warnings.retain(|w| !w.message.starts_with("`type` as a list"));
    }
    // a schema that cannot be read becomes "any JSON value" at its place
    // only, with a warning, and the rest of the spec goes on
    let mut degraded = 0;
    loop {
        match deserialize(&mut value) {
            Ok(api) => return Ok((api, value, warnings)),
            Err(e) => match bad_schema(&value, "#", false) {
                Some(Bad { pointer, reason, keyword: Some(keyword) }) if degraded < MAX_DEGRADED => {
                    if let Some(Value::Object(schema)) = value.pointer_mut(&pointer[1..]) {
                        schema.remove(&keyword);
                    }
                    warnings.push(Diagnostic::warning(
                        join(&pointer, &keyword),
                        format!("`{keyword}` cannot be read as OpenAPI 3.0 ({reason}); ignored"),
                    ));
                    degraded += 1;
                }
                Some(Bad { pointer, reason, keyword: None }) if degraded < MAX_DEGRADED => {
                    if let Some(place) = value.pointer_mut(&pointer[1..]) {
                        *place = Value::Object(Map::new());
                    }
                    warnings.push(Diagnostic::warning(
                        pointer,
                        format!("this schema cannot be read as OpenAPI 3.0 ({reason}); read as any JSON value"),
                    ));
                    degraded += 1;
                }
                // serde_json's path-less message; find the place by re-walking
                _ => return Err(vec![Diagnostic::error(find_bad_place(&value), format!("the spec does not follow OpenAPI 3.0: {e}"))]),
            },
        }
    }
}

/// Past this many unreadable schemas, the spec is refused.
const MAX_DEGRADED: usize = 100;

/// A schema that cannot be read: where, why, and the one keyword that
/// makes it unreadable when there is one (only that keyword is dropped).
struct Bad {
    pointer: String,
    reason: String,
    keyword: Option<String>,
}

/// The deepest schema under `value` that cannot be read (its children can),
/// with serde's reason. `is_schema` says whether `value` sits where a
/// schema goes; schemas are found under `schema` keys, in
/// `components/schemas`, and inside other schemas.
fn bad_schema(value: &Value, ptr: &str, is_schema: bool) -> Option<Bad> {
    if is_schema {
        let error = openapiv3::ReferenceOr::<openapiv3::Schema>::deserialize(value).err()?;
        let object = value.as_object();
        let children = object.into_iter().flat_map(|o| {
            let each = |key: &'static str| o.get(key).and_then(Value::as_object).into_iter().flatten().map(move |(k, v)| (join(key, k), v));
            let list = |key: &'static str| {
                o.get(key).and_then(Value::as_array).into_iter().flatten().enumerate().map(move |(i, v)| (join(key, &i.to_string()), v))
            };
            let single = ["items", "not", "additionalProperties"]
                .into_iter()
                .filter_map(move |key| o.get(key).filter(|v| !v.is_boolean()).map(|v| (key.to_owned(), v)));
            each("properties").chain(list("allOf")).chain(list("oneOf")).chain(list("anyOf")).chain(single)
        });
        for (relative, child) in children {
            if let Some(found) = bad_schema(child, &format!("{ptr}/{relative}"), true) {
                return Some(found);
            }
        }
        // the keyword without which the schema reads, if there is one
        let keyword = object.and_then(|o| {
            o.keys().find(|key| {
                let mut without = o.clone();
                without.remove(*key);
                openapiv3::ReferenceOr::<openapiv3::Schema>::deserialize(&Value::Object(without)).is_ok()
            })
        });
        return Some(Bad { pointer: ptr.to_owned(), reason: error.to_string(), keyword: keyword.cloned() });
    }
    match value {
        Value::Object(map) => map.iter().filter(|(key, _)| !(key.starts_with("x-") || key.starts_with("example"))).find_map(|(key, child)| {
            let child_is_schema = key == "schema" || ptr == "#/components/schemas";
            bad_schema(child, &join(ptr, key), child_is_schema)
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, child)| bad_schema(child, &join(ptr, &i.to_string()), false)),
        _ => None,
    }
}

/// The document from its value (borrowed: no copy of it). `components`,
/// about half of a large spec, is deserialized on a thread of its own; if
/// either part fails, the whole is deserialized again, for serde's error.
fn deserialize(value: &mut Value) -> Result<openapiv3::OpenAPI, serde_json::Error> {
    let components = value.as_object_mut().and_then(|root| root.remove("components"));
    let (rest, own) = std::thread::scope(|scope| {
        let own = scope.spawn(|| components.as_ref().map(Option::<openapiv3::Components>::deserialize));
        (openapiv3::OpenAPI::deserialize(&*value), own.join())
    });
    if let (Some(components), Some(root)) = (components, value.as_object_mut()) {
        root.insert("components".into(), components);
    }
    match (rest, own) {
        (Ok(api), Ok(None)) => Ok(api),
        (Ok(api), Ok(Some(Ok(components)))) => Ok(openapiv3::OpenAPI { components, ..api }),
        _ => openapiv3::OpenAPI::deserialize(&*value),
    }
}

/// Why the text is not YAML or JSON, and where.
#[derive(Debug)]
pub(crate) struct ParseError {
    message: String,
    line: Option<usize>,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The text (JSON or YAML; a byte-order mark is skipped) as a JSON value,
/// with the keys the parser saw twice in one mapping. A document that
/// opens with `{` is read as JSON first (JSON allows characters YAML does
/// not, such as C1 controls in strings, and reads faster), then as YAML
/// (a flow mapping that is not JSON).
fn parse(text: &str) -> Result<(Value, Vec<Duplicate>), ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let as_json = |fail_at| {
        let state = RefCell::new(ReadState { fail_at, ..ReadState::default() });
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let value = serde::de::DeserializeSeed::deserialize(Reader { state: &state }, &mut deserializer).and_then(|v| deserializer.end().map(|()| v));
        value.map(|v| (v, state.into_inner().duplicates)).map_err(|e| ParseError { message: e.to_string(), line: Some(e.line()) })
    };
    let as_yaml = |fail_at| {
        let state = RefCell::new(ReadState { fail_at, ..ReadState::default() });
        let value = serde::de::DeserializeSeed::deserialize(Reader { state: &state }, serde_yaml::Deserializer::from_str(text));
        value
            .map(|v| (v, state.into_inner().duplicates))
            .map_err(|e| ParseError { message: e.to_string(), line: e.location().map(|l| l.line()) })
    };
    let json = text.trim_start().starts_with('{');
    let read = |fail_at: Option<usize>| -> Result<(Value, Vec<Duplicate>), ParseError> {
        if json {
            match as_json(fail_at) {
                Ok(read) => return Ok(read),
                // stopped at a duplicate on purpose: that is the answer
                Err(e) if fail_at.is_some() => return Err(e),
                Err(json_error) => {
                    // not JSON: YAML's flow style, or broken JSON (whose
                    // JSON error says more)
                    return as_yaml(fail_at).map_err(|yaml_error| if text.trim_start()[1..].trim_start().starts_with('"') { json_error } else { yaml_error });
                }
            }
        }
        as_yaml(fail_at)
    };
    let (value, mut duplicates) = read(None)?;
    // the parser's own line for each: read again, stopping at the n-th
    // (rare, so a second read per duplicate costs nothing in practice)
    for (n, duplicate) in duplicates.iter_mut().enumerate().take(MAX_LOCATED_DUPLICATES) {
        if let Err(error) = read(Some(n)) {
            duplicate.line = error.line;
        }
    }
    Ok((value, duplicates))
}

/// Past this many duplicate keys, the rest are reported without their line.
const MAX_LOCATED_DUPLICATES: usize = 50;

/// A file of a spec as a JSON value (for the bundling of multi-file specs).
pub(crate) fn parse_text(text: &str) -> Result<Value, ParseError> {
    parse(text).map(|(value, _)| value)
}

/// A key given twice in one mapping: YAML and JSON parsers keep the last
/// value, silently.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Duplicate {
    /// The pointer of the key (its mapping's pointer and the key).
    pub pointer: String,
    pub key: String,
    /// Whether both values are the same (nothing is lost then).
    pub same_value: bool,
    /// The parser's line of the second key, 1-based.
    pub line: Option<usize>,
}

impl Duplicate {
    /// An error where the value kept may change the generated client (two
    /// different values of a key that is not documentation), a warning
    /// otherwise.
    fn diagnostic(&self) -> Diagnostic {
        const DOCS: &[&str] = &["description", "summary", "title", "example", "examples", "externalDocs", "x-acknowledged"];
        let key = &self.key;
        let mut d = if self.same_value {
            Diagnostic::warning(&self.pointer, format!("`{key}` is given twice in this mapping, with the same value"))
        } else if DOCS.contains(&key.as_str()) || key.starts_with("x-") {
            Diagnostic::warning(&self.pointer, format!("`{key}` is given twice in this mapping: only the last one is read"))
        } else {
            Diagnostic::error(&self.pointer, format!("`{key}` is given twice in this mapping, with different values: parsers keep only the last one, silently"))
        };
        d.line = self.line;
        d
    }
}

/// What the reader keeps while it walks the document.
#[derive(Default)]
struct ReadState {
    /// The keys and indexes from the root to the value being read.
    path: Vec<Step>,
    duplicates: Vec<Duplicate>,
    /// Duplicate keys met so far, and the one to stop at with an error
    /// (whose location is then the parser's place of that key).
    met: usize,
    fail_at: Option<usize>,
}

enum Step {
    Key(String),
    Index(usize),
}

impl ReadState {
    fn pointer(&self) -> String {
        self.path.iter().fold("#".to_owned(), |ptr, step| match step {
            Step::Key(key) => join(&ptr, key),
            Step::Index(i) => join(&ptr, &i.to_string()),
        })
    }
}

/// Reads any YAML value as a JSON value. Integers beyond 64 bits, which a
/// JSON value cannot hold as integers, become floats (`repair` then clamps
/// or drops them where an integer is needed, with a warning) instead of
/// failing the whole document. Mapping keys are read as strings, as a JSON
/// value reads them (`200:` is "200"), and a key already in its mapping is
/// recorded as a duplicate.
#[derive(Clone, Copy)]
struct Reader<'s> {
    state: &'s RefCell<ReadState>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Reader<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Reader<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::from(v as f64), Value::from))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| Value::from(v as f64), Value::from))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            self.state.borrow_mut().path.push(Step::Index(items.len()));
            let item = seq.next_element_seed(self);
            self.state.borrow_mut().path.pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(Key { object: &object, state: self.state })? {
            self.state.borrow_mut().path.push(Step::Key(key));
            let value = map.next_value_seed(self);
            let mut state = self.state.borrow_mut();
            let Some(Step::Key(key)) = state.path.pop() else { unreachable!("the key pushed above") };
            let value = value?;
            if let Some(first) = object.get(&key) {
                let pointer = join(&state.pointer(), &key);
                let same_value = *first == value;
                state.duplicates.push(Duplicate { pointer, key: key.clone(), same_value, line: None });
            }
            drop(state);
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A mapping's key, as a string; when the mapping has it already and it is
/// the duplicate to stop at, an error raised while the parser stands on the
/// key, so that its location is the key's.
struct Key<'a, 's> {
    object: &'a Map<String, Value>,
    state: &'s RefCell<ReadState>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Key<'_, '_> {
    type Value = String;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Key<'_, '_> {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        if self.object.contains_key(v) {
            let mut state = self.state.borrow_mut();
            let n = state.met;
            state.met += 1;
            if state.fail_at == Some(n) {
                return Err(E::custom(format_args!("`{v}` is given twice in this mapping")));
            }
        }
        Ok(v.to_owned())
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
        self.visit_str(&v.to_string())
    }
}

/// Callbacks describe requests the server makes, which a client does not
/// send: nothing is generated from them, so they are not read (a callback
/// openapiv3 cannot read, such as a `$ref` in place of a path item, would
/// otherwise refuse the whole spec).
fn drop_callbacks(value: &mut Value) {
    let Some(root) = value.as_object_mut() else { return };
    if let Some(Value::Object(components)) = root.get_mut("components") {
        components.remove("callbacks");
    }
    for item in root.get_mut("paths").and_then(Value::as_object_mut).into_iter().flat_map(|paths| paths.values_mut()) {
        for operation in item.as_object_mut().into_iter().flat_map(|item| item.values_mut()) {
            if let Some(operation) = operation.as_object_mut() {
                operation.remove("callbacks");
            }
        }
    }
}

/// Whether the document is 3.1 (3.0 otherwise); an error for any other.
fn check_version(value: &Value) -> Result<bool, Vec<Diagnostic>> {
    let Some(obj) = value.as_object() else {
        return Err(vec![Diagnostic::error("#", "the spec must be a YAML or JSON object")]);
    };
    if let Some(v) = obj.get("swagger") {
        return Err(vec![Diagnostic::error(
            "#/swagger",
            format!("this is a Swagger {} document; only OpenAPI 3.0.x is supported (convert it first, e.g. with swagger2openapi)", show(v)),
        )]);
    }
    match obj.get("openapi") {
        None => Err(vec![Diagnostic::error("#", "missing `openapi: 3.0.x` version field")]),
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(false),
        Some(Value::String(v)) if v.starts_with("3.1") => Ok(true),
        Some(v) => Err(vec![Diagnostic::error(
            "#/openapi",
            format!("OpenAPI version {} is not supported; 3.0.x and 3.1.x are", show(v)),
        )]),
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Repairs, in place and with a warning each, constructs real specs use that
/// openapiv3 would reject: `type: [string, "null"]` (3.1) and non-string
/// values in a string enum (YAML booleans such as `true`, numbers).
fn repair(value: &mut Value, path: Path, warnings: &mut Vec<Diagnostic>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get("type") {
                let non_null: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
                let nullable = non_null.len() < types.len();
                if let [single] = non_null.as_slice() {
                    map.insert("type".into(), single.clone());
                } else {
                    map.remove("type");
                }
                if nullable {
                    map.insert("nullable".into(), Value::Bool(true));
                }
                warnings.push(Diagnostic::warning(
                    join(&path.pointer(), "type"),
                    "`type` as a list is OpenAPI 3.1; read as one type plus `nullable`",
                ));
            }
            if map.get("type").and_then(Value::as_str) == Some("string") {
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    for (i, v) in values.iter_mut().enumerate() {
                        if !(v.is_string() || v.is_null()) {
                            warnings.push(Diagnostic::warning(
                                join(&join(&path.pointer(), "enum"), &i.to_string()),
                                format!("string enum value {v} is not a string (a YAML boolean or number?); read as \"{}\"", show(v)),
                            ));
                            *v = Value::String(show(v));
                        }
                    }
                }
            }
            repair_big_numbers(map, &path, warnings);
            for (k, v) in map.iter_mut() {
                repair(v, Path::Key(&path, k), warnings);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                repair(v, Path::Index(&path, i), warnings);
            }
        }
        _ => {}
    }
}

/// Where a value is in the document; a JSON pointer is made of it only for
/// a warning (a pointer for every node would be an allocation per node).
/// Numbers beyond what a keyword holds (integers past 64 bits, read as
/// floats, on an integer schema; a length that is not a whole number):
/// bounds are clamped, the rest dropped, each with a warning.
fn repair_big_numbers(map: &mut Map<String, Value>, path: &Path, warnings: &mut Vec<Diagnostic>) {
    let integer = map.get("type").and_then(Value::as_str) == Some("integer");
    let beyond = |v: &Value| v.is_f64() && v.as_f64().is_some_and(|f| f.is_finite() && (f <= i64::MIN as f64 || f >= i64::MAX as f64));
    for key in ["minimum", "maximum"] {
        let Some(value) = map.get_mut(key) else { continue };
        if integer && beyond(value) {
            let clamped = if value.as_f64().unwrap_or(0.0) < 0.0 { i64::MIN } else { i64::MAX };
            warnings.push(Diagnostic::warning(
                join(&path.pointer(), key),
                format!("`{key}: {value}` is beyond 64 bits; read as {clamped}"),
            ));
            *value = Value::from(clamped);
        }
    }
    let whole = ["maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties"];
    let mut dropped: Vec<&str> = whole.into_iter().filter(|k| map.get(*k).is_some_and(|v| !v.is_u64())).collect();
    if integer {
        dropped.extend(["default", "example", "multipleOf"].into_iter().filter(|k| map.get(*k).is_some_and(&beyond)));
    }
    for key in dropped {
        if let Some(value) = map.remove(key) {
            warnings.push(Diagnostic::warning(join(&path.pointer(), key), format!("`{key}: {value}` cannot apply here; dropped")));
        }
    }
    if integer {
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            let before = values.len();
            values.retain(|v| !beyond(v));
            if values.len() < before {
                warnings.push(Diagnostic::warning(join(&path.pointer(), "enum"), "enum values beyond 64 bits dropped"));
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn pointer(&self) -> String {
        match self {
            Path::Root => "#".into(),
            Path::Key(parent, key) => join(&parent.pointer(), key),
            Path::Index(parent, i) => join(&parent.pointer(), &i.to_string()),
        }
    }
}

/// Narrows a deserialization failure to the innermost object that fails on
/// its own: try each top-level section, then each entry below it.
fn find_bad_place(value: &Value) -> String {
    let Some(root) = value.as_object() else { return "#".into() };
    let probe = |section: &str, entry: Option<(&str, &Value)>| -> bool {
        let mut doc = serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
        match entry {
            Some((k, v)) => {
                if section == "components" {
                    return true;
                }
                doc[section] = serde_json::json!({ k: v });
            }
            None => doc[section] = root.get(section).cloned().unwrap_or(Value::Null),
        }
        serde_json::from_value::<openapiv3::OpenAPI>(doc).is_ok()
    };
    for section in ["info", "servers", "paths", "components", "security", "tags"] {
        if root.contains_key(section) && !probe(section, None) {
            let ptr = format!("#/{section}");
            if section == "paths" {
                if let Some(paths) = root.get("paths").and_then(Value::as_object) {
                    for (k, v) in paths {
                        if !probe("paths", Some((k, v))) {
                            return join(&ptr, k);
                        }
                    }
                }
            }
            if section == "components" {
                if let Some(comps) = root.get("components").and_then(Value::as_object) {
                    for (kind, entries) in comps {
                        for (name, v) in entries.as_object().into_iter().flatten() {
                            let mut doc = serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {}});
                            doc["components"][kind] = serde_json::json!({ name: v });
                            if serde_json::from_value::<openapiv3::OpenAPI>(doc).is_err() {
                                return join(&join(&ptr, kind), name);
                            }
                        }
                    }
                }
            }
            return ptr;
        }
    }
    "#".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_point_at_their_place() {
        let mut value = serde_json::json!({"paths": {"/a~b": {"x": [{"type": ["string", "null"], "enum": ["a", true]}]}}});
        let mut warnings = Vec::new();
        repair(&mut value, Path::Root, &mut warnings);
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/paths/~1a~0b/x/0/type", "#/paths/~1a~0b/x/0/enum/1"]);
        assert_eq!(value["paths"]["/a~b"]["x"][0]["enum"][1], "true");
    }

    fn duplicates(text: &str) -> Vec<(String, bool, Option<usize>)> {
        parse(text).expect("parses").1.into_iter().map(|d| (d.pointer, d.same_value, d.line)).collect()
    }

    /// Keys given twice are the parser's finding, in every style, with the
    /// parser's line; the same key in sibling mappings is no duplicate.
    #[test]
    fn duplicate_keys_come_from_the_parser() {
        let block = "a:\n  b: 1\n  c:\n    - x: 1\n      x: 2\n    - x: 3\n  b: 2\nd: |\n  b: 1\n  b: 1\nd: 3\n";
        assert_eq!(
            duplicates(block),
            [("#/a/c/0/x".to_owned(), false, Some(5)), ("#/a/b".to_owned(), false, Some(7)), ("#/d".to_owned(), false, Some(11))]
        );
        let flow = "label: {type: string, format: x, type: integer}\n";
        assert_eq!(duplicates(flow), [("#/label/type".to_owned(), false, Some(1))]);
        let json = "{\n  \"a\": [\n    {\"name\": 1,\n     \"name\": 1}\n  ]\n}";
        assert_eq!(duplicates(json), [("#/a/0/name".to_owned(), true, Some(4))]);
        // pretty-printed JSON, a multi-line flow example, a multi-line
        // quoted scalar whose lines look like keys: no duplicate
        let clean = [
            "{\n  \"tags\": [\n    {\n      \"name\": \"a\",\n      \"description\": \"x\"\n    },\n    {\n      \"name\": \"b\",\n      \"description\": \"y\"\n    }\n  ]\n}\n",
            "example: [\n  {\"id\": 1, \"name\": \"a\"},\n  {\"id\": 2,\n   \"name\": \"b\"}\n]\n",
            "description: \"first\n  name: x\n  name: y\"\n",
        ];
        for text in clean {
            assert_eq!(duplicates(text), [], "{text}");
        }
    }
}
