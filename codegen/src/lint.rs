//! What a maintainer's edit can get wrong without the parser noticing: keys
//! that are not keywords of the object they sit in (a property indented
//! out of `properties`, `descripton`, `require`) and unquoted YAML 1.1
//! booleans (`yes`, `off`),
//! which this generator reads as strings (YAML 1.2) and the validator as
//! booleans. Runs on the parsed document before it is read as OpenAPI.
//!
//! A key that would make a property vanish (a mapping that looks like a
//! schema, among a schema's keywords) is an error; any other unknown key is
//! a warning, with the keyword it is closest to. The project's own specs
//! must have no warnings left (a test), so none goes unseen there.
//! Vendor extensions (`x-…`) are always allowed. A warning can be
//! acknowledged at its place with `x-acknowledged: {warning: <part of the
//! message>, reason: <why>}`, so that a new warning stands out.

use serde_json::{Map, Value};

use crate::diagnostics::{closest, join, Diagnostic};

/// The keywords of each kind of object this lint knows.
const ROOT: &[&str] = &["openapi", "info", "servers", "paths", "components", "security", "tags", "externalDocs", "webhooks", "jsonSchemaDialect"];
const PATH_ITEM: &[&str] = &["$ref", "summary", "description", "get", "put", "post", "delete", "options", "head", "patch", "trace", "servers", "parameters"];
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const OPERATION: &[&str] = &[
    "tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody", "responses", "callbacks", "deprecated",
    "security", "servers",
];
const PARAMETER: &[&str] = &[
    "$ref", "name", "in", "description", "required", "deprecated", "allowEmptyValue", "style", "explode", "allowReserved", "schema",
    "example", "examples", "content",
];
const REQUEST_BODY: &[&str] = &["$ref", "description", "content", "required"];
const RESPONSE: &[&str] = &["$ref", "description", "headers", "content", "links"];
const MEDIA_TYPE: &[&str] = &["schema", "example", "examples", "encoding"];
const COMPONENTS: &[&str] = &["schemas", "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links", "callbacks", "pathItems"];
const SCHEMA: &[&str] = &[
    "$ref", "title", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
    "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "required", "enum", "type", "allOf", "oneOf", "anyOf", "not",
    "items", "properties", "additionalProperties", "description", "format", "default", "nullable", "discriminator", "readOnly",
    "writeOnly", "xml", "externalDocs", "example", "examples", "deprecated", "const",
];
/// JSON Schema keywords that OpenAPI 3.0 does not use: ignored (a
/// warning), never taken for a misplaced property.
const JSON_SCHEMA_ONLY: &[&str] = &[
    "$schema", "$id", "$anchor", "$comment", "$defs", "definitions", "additionalItems", "prefixItems", "contains", "minContains",
    "maxContains", "patternProperties", "propertyNames", "dependencies", "dependentSchemas", "dependentRequired", "if", "then", "else",
    "unevaluatedItems", "unevaluatedProperties", "contentMediaType", "contentEncoding", "contentSchema",
];
/// Keys that make a mapping look like a schema (so a misplaced property).
const SCHEMA_MARKERS: &[&str] = &["type", "$ref", "properties", "items", "allOf", "oneOf", "anyOf", "enum", "format"];

/// A warning a spec acknowledges at its place.
#[derive(Debug, Clone)]
pub struct Acknowledgement {
    pub pointer: String,
    pub warning: String,
}

/// What the lint found, and the warnings the spec acknowledges.
#[derive(Debug, Default)]
pub struct Findings {
    pub diagnostics: Vec<Diagnostic>,
    pub acknowledged: Vec<Acknowledgement>,
}

/// Lints a parsed document.
pub fn lint(document: &Value) -> Findings {
    let mut findings = Findings::default();
    let Some(root) = document.as_object() else { return findings };
    let mut lint = Lint { findings: &mut findings };
    lint.keys(root, "#", ROOT, "the document");
    if let Some(paths) = root.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            lint.path_item(item, &join("#/paths", path));
        }
    }
    if let Some(components) = root.get("components").and_then(Value::as_object) {
        lint.keys(components, "#/components", COMPONENTS, "`components`");
        let each = |kind: &str| components.get(kind).and_then(Value::as_object).into_iter().flatten();
        for (name, schema) in each("schemas") {
            lint.schema(schema, &join("#/components/schemas", name));
        }
        for (name, parameter) in each("parameters") {
            lint.parameter(parameter, &join("#/components/parameters", name));
        }
        for (name, body) in each("requestBodies") {
            lint.request_body(body, &join("#/components/requestBodies", name));
        }
        for (name, response) in each("responses") {
            lint.response(response, &join("#/components/responses", name));
        }
    }
    lint.walk(document, &mut Vec::new());
    findings
}

struct Lint<'a> {
    findings: &'a mut Findings,
}

impl Lint<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.findings.diagnostics.push(diagnostic);
    }

    /// Reports the keys of `object` that are not `keywords` (nor `x-…`).
    fn keys(&mut self, object: &Map<String, Value>, ptr: &str, keywords: &[&str], what: &str) {
        for (key, value) in object {
            if key.starts_with("x-") || keywords.contains(&key.as_str()) {
                continue;
            }
            let at = join(ptr, key);
            if keywords == SCHEMA && JSON_SCHEMA_ONLY.contains(&key.as_str()) {
                self.push(Diagnostic::warning(at, format!("`{key}` is a JSON Schema keyword that OpenAPI 3.0 does not use; ignored")));
                continue;
            }
            let schema_like = keywords == SCHEMA
                && value.as_object().is_some_and(|v| SCHEMA_MARKERS.iter().any(|marker| v.contains_key(*marker)));
            // `usage:` with nothing under it, among a schema's keywords: a
            // property out of `properties` whose own keys lost their
            // indentation too, so they became this schema's (one given
            // twice is an error at its second place, from the parser)
            let swallowed: Vec<&str> = object
                .keys()
                .skip_while(|k| *k != key)
                .skip(1)
                .filter(|k| SCHEMA.contains(&k.as_str()))
                .map(String::as_str)
                .collect();
            if keywords == SCHEMA && value.is_null() && closest(key, keywords).is_none() {
                let after = if swallowed.is_empty() {
                    String::new()
                } else {
                    format!(" (`{}` after it)", swallowed.join("`, `"))
                };
                self.push(Diagnostic::warning(
                    at,
                    format!(
                        "`{key}` is not a keyword of {what} and has no value: if it is a property, its own keys{after} \
                         are read as this schema's; indent them under it, and it under `properties`"
                    ),
                ));
                continue;
            }
            match closest(key, keywords) {
                _ if schema_like => self.push(Diagnostic::error(
                    at,
                    format!(
                        "`{key}` is not a keyword of {what}, but it looks like a property: indent it under `properties` \
                         (as it is, it would be ignored)"
                    ),
                )),
                Some(keyword) => self.push(Diagnostic::warning(
                    at,
                    format!("`{key}` is not a keyword of {what} (did you mean `{keyword}`?); ignored"),
                )),
                None => self.push(Diagnostic::warning(at, format!("`{key}` is not a keyword of {what}; ignored"))),
            }
        }
    }

    fn path_item(&mut self, item: &Value, ptr: &str) {
        let Some(item) = item.as_object() else { return };
        self.keys(item, ptr, PATH_ITEM, "a path item");
        self.parameters(item.get("parameters"), &join(ptr, "parameters"));
        for method in METHODS {
            let Some(operation) = item.get(*method).and_then(Value::as_object) else { continue };
            let ptr = join(ptr, method);
            self.keys(operation, &ptr, OPERATION, "an operation");
            self.parameters(operation.get("parameters"), &join(&ptr, "parameters"));
            if let Some(body) = operation.get("requestBody") {
                self.request_body(body, &join(&ptr, "requestBody"));
            }
            for (status, response) in operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
                self.response(response, &join(&join(&ptr, "responses"), status));
            }
        }
    }

    fn parameters(&mut self, parameters: Option<&Value>, ptr: &str) {
        for (i, parameter) in parameters.and_then(Value::as_array).into_iter().flatten().enumerate() {
            self.parameter(parameter, &join(ptr, &i.to_string()));
        }
    }

    fn parameter(&mut self, parameter: &Value, ptr: &str) {
        let Some(parameter) = parameter.as_object() else { return };
        self.keys(parameter, ptr, PARAMETER, "a parameter");
        if let Some(schema) = parameter.get("schema") {
            self.schema(schema, &join(ptr, "schema"));
        }
        self.content(parameter.get("content"), &join(ptr, "content"));
    }

    fn request_body(&mut self, body: &Value, ptr: &str) {
        let Some(body) = body.as_object() else { return };
        self.keys(body, ptr, REQUEST_BODY, "a request body");
        self.content(body.get("content"), &join(ptr, "content"));
    }

    fn response(&mut self, response: &Value, ptr: &str) {
        let Some(response) = response.as_object() else { return };
        self.keys(response, ptr, RESPONSE, "a response");
        self.content(response.get("content"), &join(ptr, "content"));
    }

    fn content(&mut self, content: Option<&Value>, ptr: &str) {
        for (media, media_type) in content.and_then(Value::as_object).into_iter().flatten() {
            // a key that is not a media type is reported by the lowering
            let (Some(media_type), true) = (media_type.as_object(), media.contains('/')) else { continue };
            let ptr = join(ptr, media);
            self.keys(media_type, &ptr, MEDIA_TYPE, "a media type");
            if let Some(schema) = media_type.get("schema") {
                self.schema(schema, &join(&ptr, "schema"));
            }
        }
    }

    fn schema(&mut self, schema: &Value, ptr: &str) {
        let Some(schema) = schema.as_object() else { return };
        self.keys(schema, ptr, SCHEMA, "a schema");
        for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
            self.schema(property, &join(&join(ptr, "properties"), name));
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(inner) = schema.get(key) {
                self.schema(inner, &join(ptr, key));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for (i, inner) in schema.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
                self.schema(inner, &join(&join(ptr, key), &i.to_string()));
            }
        }
    }

    /// One walk over the whole document: `x-acknowledged: {warning, reason}`
    /// wherever it is, and strings that YAML 1.1 reads as booleans
    /// (candidates, dropped later where the text quotes them, see
    /// [`drop_quoted_booleans`]). The pointer is built only for a finding.
    fn walk<'v>(&mut self, value: &'v Value, path: &mut Vec<Segment<'v>>) {
        match value {
            Value::String(s) if is_yaml11_boolean(s) => self.push(Diagnostic::warning(
                pointer(path),
                format!(
                    "`{s}` is the string \"{s}\" here (YAML 1.2), but a boolean for YAML 1.1 tools such as \
                     openapi-spec-validator: quote it"
                ),
            )),
            Value::Object(map) => {
                if let Some(ack) = map.get("x-acknowledged") {
                    let ptr = pointer(path);
                    match (ack.get("warning").and_then(Value::as_str), ack.get("reason").and_then(Value::as_str)) {
                        (Some(warning), Some(reason)) if !warning.trim().is_empty() && !reason.trim().is_empty() => {
                            self.findings.acknowledged.push(Acknowledgement { pointer: ptr, warning: warning.to_owned() })
                        }
                        _ => self.push(Diagnostic::error(
                            join(&ptr, "x-acknowledged"),
                            "`x-acknowledged` takes `warning` (a part of the warning's message) and `reason`",
                        )),
                    }
                }
                for (key, inner) in map {
                    if matches!(inner, Value::Object(_) | Value::Array(_) | Value::String(_)) {
                        path.push(Segment::Key(key));
                        self.walk(inner, path);
                        path.pop();
                    }
                }
            }
            Value::Array(items) => {
                for (i, inner) in items.iter().enumerate() {
                    path.push(Segment::Index(i));
                    self.walk(inner, path);
                    path.pop();
                }
            }
            _ => {}
        }
    }
}

/// A step of the path to a value.
enum Segment<'v> {
    Key(&'v str),
    Index(usize),
}

fn pointer(path: &[Segment<'_>]) -> String {
    path.iter().fold("#".to_owned(), |ptr, segment| match segment {
        Segment::Key(key) => join(&ptr, key),
        Segment::Index(i) => join(&ptr, &i.to_string()),
    })
}

fn is_yaml11_boolean(s: &str) -> bool {
    // PyYAML's booleans (what openapi-spec-validator reads); it leaves `y`
    // and `n` strings
    ["yes", "no", "on", "off"].iter().any(|word| s.eq_ignore_ascii_case(word))
        && s.chars().skip(1).all(|c| c.is_ascii_lowercase()) | s.chars().all(|c| c.is_ascii_uppercase())
}

/// Keeps the YAML 1.1 boolean warnings only where the located line has the
/// word unquoted (a quoted `'yes'` is a string for every tool).
pub fn drop_quoted_booleans(diags: &mut Vec<Diagnostic>, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    diags.retain(|d| {
        let Some(word) = d.message.strip_prefix('`').and_then(|m| m.split('`').next()) else { return true };
        if !d.message.contains("YAML 1.1") {
            return true;
        }
        let Some(line) = d.line.and_then(|n| lines.get(n.checked_sub(1)?)) else { return false };
        let content = line.split(" #").next().unwrap_or(line);
        content.split(|c: char| c == ':' || c == ',' || c == '[' || c == ']' || c == '-' || c.is_whitespace()).any(|token| token == word)
    });
}

/// Drops the warnings a spec acknowledges at their place (or at the
/// object that holds them).
pub fn drop_acknowledged(diags: &mut Vec<Diagnostic>, acknowledged: &[Acknowledgement]) {
    diags.retain(|d| {
        d.is_error()
            || !acknowledged.iter().any(|ack| {
                (d.pointer == ack.pointer || d.pointer.starts_with(&format!("{}/", ack.pointer))) && d.message.contains(&ack.warning)
            })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_booleans() {
        for s in ["yes", "Yes", "YES", "no", "on", "OFF"] {
            assert!(is_yaml11_boolean(s), "{s}");
        }
        for s in ["yEs", "true", "none", "only", "", "y", "n"] {
            assert!(!is_yaml11_boolean(s), "{s}");
        }
    }
}
