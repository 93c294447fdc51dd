//! A spec split across files, made one document: every `$ref` to another
//! file (`core.yml#/components/schemas/Error`, `users.yml#/paths/~1users`,
//! `schemas/Error.yaml`) is resolved through the caller's `read` (the
//! generator does no I/O), schemas are placed under
//! `components/schemas` by name (once each, so refs of refs and cycles
//! across files resolve), anything else (path items, parameters,
//! responses...) is put in place. The result says where each placed part
//! came from, so diagnostics name the file, the pointer and the line.
//! Remote (`http(s)://`) references are an error: nothing is fetched.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diagnostics::{escape_token, join, Diagnostic};

/// The bundled document and where its parts came from.
pub struct Bundled {
    pub document: Value,
    /// (pointer in the bundle, file, pointer in that file), longest first.
    pub origins: Vec<(String, String, String)>,
    /// Every file read, by its normalised path (the root too).
    pub texts: BTreeMap<String, String>,
}

/// Reads a file by its normalised path (`/`-separated, relative to where
/// the root file is).
pub type Read<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// Bundles the spec whose root file is `root` (its path as `read` takes it).
/// On failure, the diagnostics and the texts read so far (to find lines).
pub fn bundle(root: &str, read: Read<'_>) -> Result<Bundled, (Vec<Diagnostic>, BTreeMap<String, String>)> {
    let root = normalise("", root);
    let mut bundler = Bundler { root: root.clone(), read, files: BTreeMap::new(), texts: BTreeMap::new(), placed: BTreeMap::new(), names: BTreeMap::new(), origins: Vec::new(), new_schemas: Vec::new(), inlining: Vec::new(), errors: Vec::new() };
    let mut document = bundler.file(&root).map_err(|e| (vec![e], BTreeMap::new()))?;
    // the root's own schema names are taken first
    if let Some(schemas) = document.pointer("/components/schemas").and_then(Value::as_object) {
        for name in schemas.keys() {
            bundler.names.insert(name.clone(), (root.clone(), format!("#/components/schemas/{}", escape_token(name))));
        }
    }
    bundler.walk(&mut document, &root, "#", "#", Context::Other, 0);
    if !bundler.new_schemas.is_empty() {
        let root_map = document
            .as_object_mut()
            .ok_or_else(|| (vec![Diagnostic::error("#", "the spec must be a YAML or JSON object")], BTreeMap::new()))?;
        let components = root_map.entry("components").or_insert_with(|| Value::Object(Map::new()));
        if let Some(components) = components.as_object_mut() {
            let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
            if let Some(schemas) = schemas.as_object_mut() {
                for (name, schema) in std::mem::take(&mut bundler.new_schemas) {
                    schemas.insert(name, schema);
                }
            }
        }
    }
    if !bundler.errors.is_empty() {
        return Err((bundler.errors, bundler.texts));
    }
    let mut origins = bundler.origins;
    origins.sort_by_key(|origin| std::cmp::Reverse(origin.0.len()));
    Ok(Bundled { document, origins, texts: bundler.texts })
}

/// Where a `$ref` sits, which decides where its target goes.
#[derive(Clone, Copy, PartialEq)]
enum Context {
    Schema,
    Other,
}

struct Bundler<'a> {
    /// The root file's normalised path.
    root: String,
    read: Read<'a>,
    /// Parsed files, by normalised path.
    files: BTreeMap<String, Value>,
    texts: BTreeMap<String, String>,
    /// (file, pointer) of a schema already placed -> its name.
    placed: BTreeMap<(String, String), String>,
    /// Schema name -> the (file, pointer) it holds.
    names: BTreeMap<String, (String, String)>,
    origins: Vec<(String, String, String)>,
    new_schemas: Vec<(String, Value)>,
    /// The (file, pointer) of the parts being put in place, one inside the
    /// other: one that comes back includes itself.
    inlining: Vec<(String, String)>,
    errors: Vec<Diagnostic>,
}

/// Deeper than this, a chain of references between files does not end.
const MAX_DEPTH: usize = 64;

impl Bundler<'_> {
    fn file(&mut self, path: &str) -> Result<Value, Diagnostic> {
        if let Some(value) = self.files.get(path) {
            return Ok(value.clone());
        }
        let text = (self.read)(path).map_err(|e| Diagnostic::error(format!("{path}#"), format!("cannot read `{path}`: {e}")))?;
        let value = crate::load::parse_text(&text)
            .map_err(|e| Diagnostic::error(format!("{path}#"), format!("`{path}` is not valid YAML or JSON: {e}")))?;
        self.texts.insert(path.to_owned(), text);
        self.files.insert(path.to_owned(), value.clone());
        Ok(value)
    }

    /// Resolves the external references under `value`, which sits at `ptr`
    /// in the bundle and came from `file`.
    /// `at` is where `value` is in `file` (`ptr` is where it is in the bundle).
    fn walk(&mut self, value: &mut Value, file: &str, ptr: &str, at: &str, context: Context, depth: usize) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref").cloned().as_ref() {
                    let here = self.shown(file, &join(at, "$ref"));
                    self.reference(value, reference, file, ptr, &here, context, depth);
                    return;
                }
                for (key, inner) in map.iter_mut() {
                    let inner_context = match key.as_str() {
                        "schema" | "items" | "additionalProperties" | "not" => Context::Schema,
                        _ if context == Context::Schema && ["properties", "allOf", "oneOf", "anyOf"].contains(&key.as_str()) => Context::Schema,
                        _ if ptr == "#/components/schemas" => Context::Schema,
                        _ if key.starts_with("example") || key.starts_with("x-") => continue,
                        _ => if context == Context::Schema && is_schema_map(ptr) { Context::Schema } else { Context::Other },
                    };
                    self.walk(inner, file, &join(ptr, key), &join(at, key), inner_context, depth);
                }
            }
            Value::Array(items) => {
                for (i, inner) in items.iter_mut().enumerate() {
                    self.walk(inner, file, &join(ptr, &i.to_string()), &join(at, &i.to_string()), context, depth);
                }
            }
            _ => {}
        }
    }

    /// `here` is the `$ref`'s place, as diagnostics show it.
    #[allow(clippy::too_many_arguments)]
    fn reference(&mut self, value: &mut Value, reference: &str, file: &str, ptr: &str, here: &str, context: Context, depth: usize) {
        if reference.starts_with("http://") || reference.starts_with("https://") {
            self.errors.push(Diagnostic::error(
                here,
                format!("`{reference}` is a remote reference: nothing is fetched; download it next to the spec and refer to it by a relative path"),
            ));
            return;
        }
        let (target_file, target_ptr) = match reference.split_once('#') {
            // a fragment is percent-decoded, then read as a JSON pointer
            Some(("", pointer)) => (file.to_owned(), format!("#{}", crate::refs::percent_decode(pointer))),
            Some((path, pointer)) => (normalise(file, path), format!("#{}", crate::refs::percent_decode(pointer))),
            None => (normalise(file, reference), "#".to_owned()),
        };
        if target_file == self.root && target_ptr.starts_with("#/components/") {
            // a reference into the root's own components: written as such
            *value = serde_json::json!({ "$ref": target_ptr });
            return;
        }
        if depth > MAX_DEPTH {
            self.errors.push(Diagnostic::error(here, "references between files go on without end"));
            return;
        }
        if context == Context::Schema {
            let name = self.place_schema(&target_file, &target_ptr, here, reference, depth);
            if let Some(name) = name {
                *value = serde_json::json!({ "$ref": format!("#/components/schemas/{}", escape_token(&name)) });
            }
            return;
        }
        // anything else goes in place, its own references resolved from its
        // file; what looks like a schema is placed as one (so it is named,
        // and a cycle through it resolves)
        match self.target(&target_file, &target_ptr) {
            Ok(target) if looks_like_schema(&target) => {
                if let Some(name) = self.place_schema(&target_file, &target_ptr, here, reference, depth) {
                    *value = serde_json::json!({ "$ref": format!("#/components/schemas/{}", escape_token(&name)) });
                }
            }
            Ok(mut target) => {
                let key = (target_file.clone(), target_ptr.clone());
                if self.inlining.contains(&key) {
                    self.errors.push(Diagnostic::error(here, format!("`{reference}` includes itself: it would never end")));
                    return;
                }
                self.inlining.push(key);
                self.walk(&mut target, &target_file, ptr, &target_ptr, context, depth + 1);
                self.inlining.pop();
                self.origins.push((ptr.to_owned(), target_file.clone(), target_ptr.clone()));
                *value = target;
            }
            Err(why) => self.errors.push(Diagnostic::error(here, format!("`{reference}`: {why}"))),
        }
    }

    /// Puts a schema of another file under `components/schemas` (once),
    /// returns its name there.
    fn place_schema(&mut self, file: &str, pointer: &str, here: &str, reference: &str, depth: usize) -> Option<String> {
        let key = (file.to_owned(), pointer.to_owned());
        if let Some(name) = self.placed.get(&key) {
            return Some(name.clone());
        }
        let mut target = match self.target(file, pointer) {
            Ok(target) => target,
            Err(why) => {
                self.errors.push(Diagnostic::error(here, format!("`{reference}`: {why}")));
                return None;
            }
        };
        // the name: the pointer's last token, or the file's name
        let base = pointer
            .rsplit('/')
            .next()
            .filter(|t| !t.is_empty() && *t != "#")
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .unwrap_or_else(|| file.rsplit('/').next().unwrap_or(file).split('.').next().unwrap_or("Schema").to_owned());
        let mut name = base.clone();
        let mut n = 2;
        while self.names.get(&name).is_some_and(|held| *held != key) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.names.insert(name.clone(), key.clone());
        self.placed.insert(key, name.clone());
        let at = format!("#/components/schemas/{}", escape_token(&name));
        self.walk(&mut target, file, &at, pointer, Context::Schema, depth + 1);
        self.origins.push((at, file.to_owned(), pointer.to_owned()));
        self.new_schemas.push((name.clone(), target));
        Some(name)
    }

    /// The value at `pointer` in `file`, or why there is none.
    fn target(&mut self, file: &str, pointer: &str) -> Result<Value, String> {
        let document = self.file(file).map_err(|e| e.message)?;
        document.pointer(&pointer[1..]).cloned().ok_or_else(|| format!("no such place in `{file}`"))
    }

    /// A place as diagnostics show it: `#/a/b` in the root file,
    /// `core.yaml#/a/b` in another.
    fn shown(&self, file: &str, at: &str) -> String {
        if file == self.root {
            at.to_owned()
        } else {
            format!("{file}{at}")
        }
    }
}

/// Whether a value is a schema rather than a parameter, a response or a
/// path item: what only schemas have.
fn looks_like_schema(value: &Value) -> bool {
    let Some(object) = value.as_object() else { return false };
    let schema_only = ["type", "properties", "items", "allOf", "oneOf", "anyOf", "additionalProperties", "enum"];
    let elsewhere = ["in", "content", "get", "post", "put", "delete", "patch"];
    schema_only.iter().any(|k| object.contains_key(*k)) && !elsewhere.iter().any(|k| object.contains_key(*k))
}

/// Whether `ptr` is a map of schemas by name (`properties`), whose values
/// are schemas.
fn is_schema_map(ptr: &str) -> bool {
    ptr.ends_with("/properties")
}

/// `path` relative to the directory of `from`, with `.` and `..` resolved,
/// so one file reached by two relative paths is one file.
pub fn normalise(from: &str, path: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop(); // the file name
    if path.starts_with('/') {
        parts.clear();
    }
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") && !parts.is_empty() {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the fuzzer: a schema reached where no schema is expected
    /// (under an unknown key) was put in place, and two schemas that refer
    /// to each other that way were copied into each other without end.
    #[test]
    fn schemas_that_refer_to_each_other_are_placed_once() {
        let files = BTreeMap::from([
            ("api.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /t:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'core.yaml#/Team'}\n"),
            ("core.yaml", "Team:\n  type: object\n  properties:\n    members:\n      type: array\n      item]: {$ref: 'User.yaml'}\n    lead: {$ref: '#/Team'}\n"),
            ("User.yaml", "type: object\nproperties:\n  team: {$ref: 'core.yaml#/Team'}\n  other: {weird: {$ref: 'core.yaml#/Team'}}\n"),
        ]);
        let read = |path: &str| files.get(path).map(|t| t.to_string()).ok_or_else(|| format!("no {path}"));
        let bundled = bundle("api.yaml", &read).unwrap_or_else(|(e, _)| panic!("{e:?}"));
        let schemas = bundled.document.pointer("/components/schemas").and_then(Value::as_object).unwrap();
        let mut names: Vec<&String> = schemas.keys().collect();
        names.sort();
        assert_eq!(names, ["Team", "User"]);
    }

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normalise("api.yml", "core.yml"), "core.yml");
        assert_eq!(normalise("spec/api.yml", "./schemas/../core.yml"), "spec/core.yml");
        assert_eq!(normalise("spec/paths/users.yml", "../core.yml"), "spec/core.yml");
        assert_eq!(normalise("api.yml", "../shared/x.yml"), "../shared/x.yml");
    }
}
