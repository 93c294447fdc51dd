//! Local `$ref`s as the lowering reads them. A `$ref` is a URI reference:
//! its fragment is percent-decoded, then read as a JSON pointer (RFC 6901,
//! section 6), and any place of the document is a valid target, not only
//! `components` (`redocly bundle` writes `#/paths/~1users/get/.../schema`).
//! Runs on the parsed document, before it is read as OpenAPI: every local
//! `$ref` is written decoded; one that points elsewhere than a component
//! is replaced by what it points at (a schema is put under
//! `components/schemas` once and referred to there, so a recursive one
//! stays a named, boxed type).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diagnostics::{escape_token, join};

/// The component kinds the lowering follows references into.
const COMPONENT_KINDS: &[&str] = &["schemas", "parameters", "responses", "requestBodies", "headers", "examples", "securitySchemes", "links", "callbacks", "pathItems"];

/// Keys under which a schema holds other schemas by name, one or a list.
const SUBSCHEMA_MAPS: &[&str] = &["properties"];
const SUBSCHEMA_ONE: &[&str] = &["items", "additionalProperties", "not"];
const SUBSCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf"];
/// Keys whose values are data (examples, defaults), never references.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const"];
/// Objects (outside schemas) whose keys are names the spec chose, not
/// keywords: a schema may be called `example`, an encoded property
/// `default`, a component `x-thing`.
const NAME_MAPS: &[&str] = &["responses", "headers", "content", "encoding", "links", "callbacks"];

/// How deep references to references are followed before giving up.
const MAX_PASSES: usize = 16;

/// Rewrites the document's local `$ref`s (see the module docs). A valid
/// target is no finding: there is nothing to warn about.
pub fn normalise(document: &mut Value) {
    let mut hoisted: BTreeMap<String, String> = BTreeMap::new();
    for _ in 0..MAX_PASSES {
        let mut found = Vec::new();
        find(document, "#", false, &mut found);
        let mut changed = false;
        for Found { at, reference, in_schema } in found {
            let decoded = percent_decode(&reference);
            let Some(pointer) = decoded.strip_prefix('#') else { continue };
            let is_component = component_ref(pointer, in_schema);
            let replacement = if is_component {
                (decoded != reference).then(|| serde_json::json!({ "$ref": decoded }))
            } else if let Some(target) = document.pointer(pointer).cloned() {
                if in_schema {
                    let name = match hoisted.get(pointer) {
                        Some(name) => name.clone(),
                        None => {
                            let name = hoist(document, pointer, schema_of(target));
                            hoisted.insert(pointer.to_owned(), name.clone());
                            name
                        }
                    };
                    Some(serde_json::json!({ "$ref": format!("#/components/schemas/{}", escape_token(&name)) }))
                } else {
                    // copied once it holds no reference still to rewrite, so
                    // that a place that holds a reference to itself cannot
                    // grow the document at every pass
                    let mut inner = Vec::new();
                    find(&target, "#", false, &mut inner);
                    inner.is_empty().then_some(target)
                }
            } else {
                // no such place: the lowering says so, at this `$ref`
                (decoded != reference).then(|| serde_json::json!({ "$ref": decoded }))
            };
            if let Some(replacement) = replacement {
                if let Some(place) = document.pointer_mut(&at[1..]) {
                    *place = replacement;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
}

/// Whether a decoded pointer names one component (`/components/schemas/X`),
/// a schema where a schema is expected.
fn component_ref(pointer: &str, in_schema: bool) -> bool {
    let mut tokens = pointer.split('/');
    matches!(
        (tokens.next(), tokens.next(), tokens.next(), tokens.next(), tokens.next()),
        (Some(""), Some("components"), Some(kind), Some(_), None) if if in_schema { kind == "schemas" } else { COMPONENT_KINDS.contains(&kind) }
    )
}

/// The schema a reference in a schema's place means: a response or a
/// request body where a schema is expected stands for its JSON content's
/// schema.
fn schema_of(target: Value) -> Value {
    let content_schema = target
        .get("content")
        .and_then(Value::as_object)
        .and_then(|content| content.get("application/json").or_else(|| content.values().next()))
        .and_then(|media| media.get("schema"))
        .cloned();
    // a parameter or a media type: its `schema`
    let own_schema = target.get("schema").filter(|_| target.get("in").is_some() || target.get("type").is_none()).cloned();
    match content_schema.or(own_schema) {
        Some(schema) if target.get("type").is_none() && target.get("properties").is_none() => schema,
        _ => target,
    }
}

/// Puts `schema` under `components/schemas` with a name taken from the
/// pointer, and returns the name.
fn hoist(document: &mut Value, pointer: &str, schema: Value) -> String {
    const STRUCTURE: &[&str] = &[
        "", "schema", "schemas", "items", "content", "properties", "responses", "requestBody", "parameters", "allOf", "oneOf", "anyOf",
        "additionalProperties", "not", "paths", "components", "get", "put", "post", "delete", "patch", "head", "options", "trace",
    ];
    let base = pointer
        .split('/')
        .rev()
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .find(|t| !(STRUCTURE.contains(&t.as_str()) || t.contains('/') || t.chars().all(|c| c.is_ascii_digit())))
        .unwrap_or_else(|| "Schema".to_owned());
    let Some(root) = document.as_object_mut() else { return base };
    let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let schemas = components.as_object_mut().map(|c| c.entry("schemas").or_insert_with(|| Value::Object(Map::new())));
    let Some(Value::Object(schemas)) = schemas else { return base };
    let mut name = base.clone();
    let mut n = 2;
    while schemas.contains_key(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    schemas.insert(name.clone(), schema);
    name
}

/// A `$ref` found: the pointer of the object that holds it, its text, and
/// whether a schema is expected there.
struct Found {
    at: String,
    reference: String,
    in_schema: bool,
}

/// Every `$ref` in `value` (pointer `ptr`) that may need rewriting: local
/// ones, not the data of examples and defaults.
fn find(value: &Value, ptr: &str, in_schema: bool, out: &mut Vec<Found>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if reference.starts_with('#') && (reference.contains('%') || !component_ref(&reference[1..], in_schema)) {
                    out.push(Found { at: ptr.to_owned(), reference: reference.clone(), in_schema });
                }
            }
            let names_here = ptr == "#/paths"
                || ptr == "#/webhooks"
                || ptr.strip_prefix("#/components/").is_some_and(|kind| !kind.contains('/'))
                || (!in_schema && ptr.rsplit('/').next().is_some_and(|last| NAME_MAPS.contains(&last)));
            for (key, child) in map {
                if !names_here && (DATA.contains(&key.as_str()) || key.starts_with("x-")) {
                    continue;
                }
                let child_ptr = join(ptr, key);
                if in_schema && SUBSCHEMA_MAPS.contains(&key.as_str()) {
                    for (name, schema) in child.as_object().into_iter().flatten() {
                        find(schema, &join(&child_ptr, name), true, out);
                    }
                } else if in_schema && SUBSCHEMA_LISTS.contains(&key.as_str()) {
                    for (i, schema) in child.as_array().into_iter().flatten().enumerate() {
                        find(schema, &join(&child_ptr, &i.to_string()), true, out);
                    }
                } else {
                    let child_in_schema = key == "schema" || ptr == "#/components/schemas" || (in_schema && SUBSCHEMA_ONE.contains(&key.as_str()));
                    find(child, &child_ptr, child_in_schema, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                find(child, &join(ptr, &i.to_string()), false, out);
            }
        }
        _ => {}
    }
}

/// `text` with its `%XX` escapes decoded, when they make UTF-8 (as is
/// otherwise).
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8().map_or_else(|_| text.to_owned(), |decoded| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fragments_are_percent_decoded_then_read_as_pointers() {
        assert_eq!(percent_decode("#/paths/~1users~1%7Bid%7D"), "#/paths/~1users~1{id}");
        assert_eq!(percent_decode("#/a%20b/%zz/%"), "#/a b/%zz/%");
        // not UTF-8 once decoded: kept as written
        assert_eq!(percent_decode("#/%FF"), "#/%FF");
        let mut doc = json!({
            "paths": {"/u/{id}": {"get": {"responses": {"200": {"$ref": "#/components/responses/R%20s"}}}}},
            "components": {"responses": {"R s": {"description": "d"}}, "schemas": {"A b": {"type": "string"}, "B": {"$ref": "#/components/schemas/A%20b"}}},
        });
        normalise(&mut doc);
        assert_eq!(doc["components"]["schemas"]["B"]["$ref"], "#/components/schemas/A b");
        assert_eq!(doc["paths"]["/u/{id}"]["get"]["responses"]["200"]["$ref"], "#/components/responses/R s");
    }

    #[test]
    fn any_local_place_is_followed() {
        let mut doc = json!({
            "paths": {
                "/users": {"get": {"responses": {"200": {"description": "d", "content": {"application/json": {"schema":
                    {"type": "object", "properties": {"next": {"$ref": "#/paths/~1users/get/responses/200/content/application~1json/schema"}}}}}}}}},
                "/others": {"get": {
                    "parameters": [{"$ref": "#/paths/~1users~1%7Bid%7D/get/parameters/0"}],
                    "responses": {"200": {"description": "d", "content": {"application/json": {"schema":
                    {"$ref": "#/paths/~1users/get/responses/200/content/application~1json/schema"}}}}}}},
                "/users/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "d", "content": {"application/json": {"schema": {"$ref": "#/components/responses/One"}}}}}}},
            },
            "components": {"responses": {"One": {"description": "d", "content": {"application/json": {"schema": {"type": "integer"}}}}}},
        });
        normalise(&mut doc);
        // a schema: placed once under components, recursion included
        assert_eq!(doc["paths"]["/others"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Schema");
        assert_eq!(doc["components"]["schemas"]["Schema"]["properties"]["next"]["$ref"], "#/components/schemas/Schema");
        // a parameter: in place
        assert_eq!(doc["paths"]["/others"]["get"]["parameters"][0]["name"], "id");
        // a response where a schema is expected: its content's schema
        assert_eq!(doc["components"]["schemas"]["One"]["type"], "integer");
    }

    #[test]
    fn components_named_like_keywords_are_followed() {
        let mut doc = json!({"components": {"schemas": {
            "example": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/Other/properties/x"}}},
            "x-thing": {"$ref": "#/components/schemas/Other/properties/x"},
            "Other": {"type": "object", "properties": {"x": {"type": "integer"}}},
        }}});
        normalise(&mut doc);
        assert_eq!(doc["components"]["schemas"]["example"]["properties"]["a"]["$ref"], "#/components/schemas/x");
        assert_eq!(doc["components"]["schemas"]["x-thing"]["$ref"], "#/components/schemas/x");
        assert_eq!(doc["components"]["schemas"]["x"]["type"], "integer");
    }

    #[test]
    fn examples_are_data() {
        let mut doc = json!({"components": {"schemas": {"A": {"type": "object", "example": {"$ref": "#/nowhere"}}}}});
        let before = doc.clone();
        normalise(&mut doc);
        assert_eq!(doc, before);
    }
}
