//! Parse the spec text (YAML or JSON), check its version first, repair the
//! real-world 3.1-isms openapiv3 cannot read, then deserialize.

use crate::diagnostics::{join, Diagnostic};
use serde::Deserialize;
use serde_json::Value;

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
    check_version(&value)?;
    let mut warnings = Vec::new();
    repair(&mut value, Path::Root, &mut warnings);
    match deserialize(&mut value) {
        Ok(api) => Ok((api, value, warnings)),
        Err(e) => {
            // serde_json's path-less message; find the place by re-walking
            Err(vec![Diagnostic::error(find_bad_place(&value), format!("the spec does not follow OpenAPI 3.0: {e}"))])
        }
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
/// block mapping is parsed as two documents at once, split before a root key
/// (`components:`) near the middle. Anything the split could change makes
/// one half fail (a flow collection or quoted string cut in two, an alias
/// to an anchor in the other half), and then, or when both halves have a
/// key, the whole text is parsed as one, for the same value or error.
fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    if let Some((first, second)) = halves(text) {
        let (first, second) = std::thread::scope(|scope| {
            let second = scope.spawn(|| serde_yaml::from_str::<Value>(second));
            (serde_yaml::from_str::<Value>(first), second.join())
        });
        if let (Ok(Value::Object(mut first)), Ok(Ok(Value::Object(second)))) = (first, second) {
            if !second.keys().any(|k| first.contains_key(k)) {
                first.extend(second);
                return Ok(Value::Object(first));
            }
        }
    }
    serde_yaml::from_str(text)
}

/// Splits a YAML document of at least 64 KiB before the root key nearest
/// its middle, if it is one document whose root is a block mapping: its
/// first line and the root keys start with a letter, at column 0.
fn halves(text: &str) -> Option<(&str, &str)> {
    let is_key = |line: &str| line.starts_with(|c: char| c.is_ascii_alphabetic()) && line.contains(':');
    let middle = text.len() / 2;
    if text.len() < 64 * 1024 || !is_key(text.lines().find(|l| !(l.trim().is_empty() || l.starts_with('#')))?) {
        return None;
    }
    let mut split = 0usize; // 0: none found
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        // directives, a second document or an explicit end: not one document
        if line.starts_with("---") || line.starts_with("...") || line.starts_with('%') {
            return None;
        }
        if is_key(line) && offset.abs_diff(middle) < split.abs_diff(middle) {
            split = offset;
        }
        offset += line.len();
    }
    (split > 0).then(|| text.split_at(split))
}

fn check_version(value: &Value) -> Result<(), Vec<Diagnostic>> {
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
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(()),
        Some(v) => Err(vec![Diagnostic::error(
            "#/openapi",
            format!("OpenAPI version {} is not supported; only 3.0.x is (3.1 changed the schema language)", show(v)),
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
        assert!(halves(&cases[0]).is_some_and(|(_, second)| second == "b: 1\n"));
    }
}
