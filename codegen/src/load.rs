//! Parse the spec text (YAML or JSON), check its version first, bring a
//! 3.1 document into the 3.0 model (`openapi31`), repair the real-world
//! defects openapiv3 cannot read, then deserialize.

use crate::diagnostics::{join, Diagnostic};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Parses `text` into an openapiv3 document plus warnings for what was repaired.
pub fn load(text: &str) -> Result<(openapiv3::OpenAPI, Value, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut value: Value = match parse(text) {
        Ok(v) => v,
        Err(e) => {
            let mut d = Diagnostic::error("#", format!("the spec is not valid YAML or JSON: {e}"));
            d.line = e.location().map(|l| l.line());
            return Err(vec![d]);
        }
    };
    let version_31 = check_version(&value)?;
    let mut warnings = if version_31 { crate::openapi31::to_30(&mut value) } else { Vec::new() };
    repair(&mut value, Path::Root, &mut warnings);
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

/// The text as a JSON value. Parsing YAML is a good part of the time
/// `generate` takes and is sequential, so a large document whose root is a
/// block mapping is parsed as two documents at once, split near the middle
/// before a root key (`components:`) or before a key of a root key's block
/// mapping (a path under `paths:`, the second half then starting with
/// `paths:` again). Anything the split could change makes one half fail (a
/// flow collection or quoted string cut in two, an alias to an anchor in
/// the other half), and then, or when both halves have a key, the whole
/// text is parsed as one, for the same value or error.
fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    if let Some(split) = halves(text) {
        let second_text = [split.parent, split.second].concat();
        let (first, second) = std::thread::scope(|scope| {
            let second = scope.spawn(|| from_yaml(&second_text));
            (from_yaml(split.first), second.join())
        });
        if let (Ok(Value::Object(first)), Ok(Ok(Value::Object(second)))) = (first, second) {
            if let Some(merged) = merge(first, second) {
                return Ok(Value::Object(merged));
            }
        }
    }
    from_yaml(text)
}

/// A file of a spec as a JSON value (for the bundling of multi-file specs).
pub(crate) fn parse_text(text: &str) -> Result<Value, serde_yaml::Error> {
    parse(text)
}

/// YAML (or JSON) text as a JSON value. Integers beyond 64 bits, which a
/// JSON value cannot hold as integers, become floats (`repair` then
/// clamps or drops them where an integer is needed, with a warning)
/// instead of failing the whole document.
fn from_yaml(text: &str) -> Result<Value, serde_yaml::Error> {
    serde_yaml::from_str::<Lenient>(text).map(|lenient| lenient.0)
}

/// A JSON value read with big integers as floats.
struct Lenient(Value);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Lenient, D::Error> {
        deserializer.deserialize_any(LenientVisitor).map(Lenient)
    }
}

struct LenientVisitor;

impl<'de> serde::de::Visitor<'de> for LenientVisitor {
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
        while let Some(Lenient(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        // keys as strings, as a JSON value reads them (`200:` is "200")
        while let Some((key, Lenient(value))) = map.next_entry::<String, Lenient>()? {
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// The two halves' root mappings as one, if no key is in both (but for the
/// mapping the split cut in two, whose own keys must not be in both).
fn merge(mut first: Map<String, Value>, second: Map<String, Value>) -> Option<Map<String, Value>> {
    for (key, value) in second {
        match (first.get_mut(&key), value) {
            (None, value) => {
                first.insert(key, value);
            }
            (Some(Value::Object(inner)), Value::Object(rest)) if !rest.keys().any(|k| inner.contains_key(k)) => {
                inner.extend(rest);
            }
            _ => return None,
        }
    }
    Some(first)
}

/// Where [`halves`] cuts: the second half is `parent` (a root key line,
/// or nothing) followed by `second`.
struct Split<'a> {
    first: &'a str,
    parent: &'a str,
    second: &'a str,
}

/// Splits a YAML document of at least 64 KiB near its middle, before a
/// root key or a key of a root key's block mapping, if it is one document
/// whose root is a block mapping: its first line and the root keys start
/// with a letter, at column 0.
fn halves(text: &str) -> Option<Split<'_>> {
    let is_root_key = |line: &str| line.starts_with(|c: char| c.is_ascii_alphabetic()) && line.contains(':');
    let middle = text.len() / 2;
    if text.len() < 64 * 1024 || !is_root_key(text.lines().find(|l| !(l.trim().is_empty() || l.starts_with('#')))?) {
        return None;
    }
    // (offset, parent line): the best place so far; 0 is none
    let mut best: (usize, &str) = (0, "");
    let mut offset = 0usize;
    // the root key whose block mapping the lines are in, and its keys' indentation
    let mut parent: Option<(&str, Option<usize>)> = None;
    for line in text.split_inclusive('\n') {
        // directives, a second document or an explicit end: not one document
        if line.starts_with("---") || line.starts_with("...") || line.starts_with('%') {
            return None;
        }
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        let candidate = if is_root_key(line) {
            // `key:` alone on its line opens a block mapping (or sequence)
            let opens_block = line.split_once(':').is_some_and(|(_, rest)| rest.trim().is_empty());
            parent = opens_block.then_some((line, None));
            Some("")
        } else if content.trim().is_empty() || content.starts_with('#') {
            None
        } else {
            match &mut parent {
                Some((_, keys_indent @ None)) if indent > 0 => {
                    *keys_indent = Some(indent);
                    None
                }
                Some((parent_line, Some(keys_indent)))
                    if indent == *keys_indent && !content.starts_with('-') && content.contains(':') =>
                {
                    Some(*parent_line)
                }
                _ => None,
            }
        };
        if let Some(parent_line) = candidate {
            if offset > 0 && offset.abs_diff(middle) < best.0.abs_diff(middle) {
                best = (offset, parent_line);
            }
        }
        offset += line.len();
    }
    let (at, parent) = best;
    (at > 0).then(|| Split { first: &text[..at], parent, second: &text[at..] })
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

    /// Split or not, the same value or the same error.
    #[test]
    fn halves_parse_like_the_whole() {
        let long = "y".repeat(70_000);
        let cases = [
            format!("a:\n  x: '{long}'\nb: 1\n"),
            // an alias to an anchor in the other half
            format!("a: &anchor\n  x: '{long}'\nb: *anchor\n"),
            // a flow mapping cut in two
            format!("a: {{x: '{long}',\nb: 2}}\n"),
            // a root key in both halves
            format!("a:\n  x: '{long}'\na: 2\n"),
            format!("a:\n  x: '{long}'\n---\nb: 1\n"),
        ];
        for text in &cases {
            let whole = serde_yaml::from_str::<Value>(text).map_err(|e| e.to_string());
            assert_eq!(parse(text).map_err(|e| e.to_string()), whole, "{}", &text[..20]);
        }
        assert!(halves(&cases[0]).is_some_and(|s| s.parent.is_empty() && s.second == "b: 1\n"));
    }

    /// Split inside a root key's mapping (between two paths): the same value
    /// or the same error, and the real spec parses as it does whole.
    #[test]
    fn halves_inside_a_mapping_parse_like_the_whole() {
        let long = "y".repeat(40_000);
        let cases = [
            format!("openapi: x\npaths:\n  /a:\n    x: '{long}'\n  /b:\n    x: '{long}'\n  /c: 1\ncomponents: 2\n"),
            // an alias to an anchor in the other half
            format!("paths:\n  /a: &anchor\n    x: '{long}'\n  /b: *anchor\n  /c:\n    x: '{long}'\n"),
            // a path in both halves
            format!("paths:\n  /a:\n    x: '{long}'\n  /a:\n    x: '{long}'\n"),
            // a flow mapping cut in two
            format!("paths: {{/a: '{long}',\n  /b: '{long}'}}\n"),
            // a sequence, not a mapping
            format!("tags:\n  - x: '{long}'\n  - y: '{long}'\n"),
        ];
        for text in &cases {
            let whole = serde_yaml::from_str::<Value>(text).map_err(|e| e.to_string());
            assert_eq!(parse(text).map_err(|e| e.to_string()), whole, "{}", &text[..20]);
        }
        assert!(halves(&cases[0]).is_some_and(|s| s.parent == "paths:\n" && s.second.starts_with("  /b:")));
        let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/powens.yaml")).expect("the spec");
        let split = halves(&spec).expect("splits");
        assert_eq!(split.parent, "paths:\n", "the middle of the spec is in its paths");
        assert_eq!(parse(&spec).ok(), serde_yaml::from_str::<Value>(&spec).ok());
    }
}
