//! An OpenAPI 3.1 document brought into the 3.0 model the rest of the
//! generator reads: what has a 3.0 meaning is rewritten to it, silently
//! (`type` lists with `null`, `const`, `examples`, numeric exclusive
//! bounds, `$ref` with sibling keywords, `prefixItems`, binary content
//! keywords, top-level `webhooks`, `components/pathItems`); what has none
//! is dropped with a warning at its place (`jsonSchemaDialect`,
//! `$dynamicRef`, `if`/`then`/`else`, ...).

use serde_json::{Map, Value};

use crate::diagnostics::{join, Diagnostic};

/// JSON Schema keywords 3.0 has no meaning for: dropped, with a warning.
const DROPPED: &[&str] = &[
    "$schema", "$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs", "if", "then", "else",
    "dependentSchemas", "dependentRequired", "unevaluatedProperties", "unevaluatedItems", "patternProperties", "propertyNames",
    "contains", "minContains", "maxContains",
];

/// Rewrites a 3.1 document in place into 3.0; returns the warnings.
pub fn to_30(document: &mut Value) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let Some(root) = document.as_object_mut() else { return warnings };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    if root.remove("jsonSchemaDialect").is_some() {
        warnings.push(Diagnostic::warning("#/jsonSchemaDialect", "`jsonSchemaDialect` has no OpenAPI 3.0 meaning; dropped"));
    }
    if let Some(Value::Object(info)) = root.get_mut("info") {
        info.remove("summary");
        if let Some(Value::Object(license)) = info.get_mut("license") {
            license.remove("identifier");
        }
    }
    inline_path_items(root);
    webhooks(root, &mut warnings);
    // paths without operations are allowed in 3.1, and `paths` may be absent
    root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    rewrite(document, "#", &mut warnings);
    warnings
}

/// `paths: {/a: {$ref: '#/components/pathItems/A'}}` with the path item
/// itself, as 3.0 has no `components/pathItems`.
fn inline_path_items(root: &mut Map<String, Value>) {
    let items = root.get_mut("components").and_then(Value::as_object_mut).and_then(|c| c.remove("pathItems"));
    let Some(Value::Object(items)) = items else { return };
    for item in root.get_mut("paths").and_then(Value::as_object_mut).into_iter().flat_map(|paths| paths.values_mut()) {
        let target = item.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/pathItems/"));
        if let Some(found) = target.and_then(|name| items.get(name)) {
            *item = found.clone();
        }
    }
}

/// Top-level `webhooks` (path items whose request body is the payload) as
/// the generator's `x-webhooks` (event -> payload `$ref`); an inline payload
/// becomes a schema of its own, `<Event>Payload`.
fn webhooks(root: &mut Map<String, Value>, warnings: &mut Vec<Diagnostic>) {
    let Some(Value::Object(hooks)) = root.remove("webhooks") else { return };
    let mut converted = Map::new();
    let mut new_schemas = Vec::new();
    for (event, item) in &hooks {
        let ptr = join("#/webhooks", event);
        let operation = item.as_object().and_then(|i| ["post", "put", "get"].iter().find_map(|m| i.get(*m)));
        let body = operation.and_then(|o| o.pointer("/requestBody"));
        let schema = body.and_then(|b| b.get("content")).and_then(Value::as_object).and_then(|c| {
            c.iter().find(|(media, _)| media.contains("json")).and_then(|(_, media)| media.get("schema"))
        });
        let Some(schema) = schema else {
            warnings.push(Diagnostic::warning(ptr, "webhook without a JSON request body; skipped"));
            continue;
        };
        let payload = match schema.get("$ref") {
            Some(reference) => serde_json::json!({ "$ref": reference }),
            None => {
                let name = format!("{}Payload", heck::ToUpperCamelCase::to_upper_camel_case(event.as_str()));
                new_schemas.push((name.clone(), schema.clone()));
                serde_json::json!({ "$ref": format!("#/components/schemas/{name}") })
            }
        };
        let mut hook = Map::new();
        if let Some(doc) = operation.and_then(|o| o.get("description").or_else(|| o.get("summary"))) {
            hook.insert("description".into(), doc.clone());
        }
        hook.insert("payload".into(), payload);
        converted.insert(event.clone(), Value::Object(hook));
    }
    if !new_schemas.is_empty() {
        let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
        if let Some(components) = components.as_object_mut() {
            let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
            if let Some(schemas) = schemas.as_object_mut() {
                for (name, schema) in new_schemas {
                    schemas.entry(name).or_insert(schema);
                }
            }
        }
    }
    if !converted.is_empty() {
        root.entry("x-webhooks").or_insert(Value::Object(converted));
    }
}

/// The schema-level rewrites, everywhere in the document.
fn rewrite(value: &mut Value, ptr: &str, warnings: &mut Vec<Diagnostic>) {
    match value {
        Value::Object(map) => {
            schema_keywords(map, ptr, warnings);
            for (key, inner) in map.iter_mut() {
                // examples are data, not schemas
                if key == "example" || key == "examples" || key == "default" || key == "enum" || key.starts_with("x-") {
                    continue;
                }
                rewrite(inner, &join(ptr, key), warnings);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter_mut().enumerate() {
                rewrite(inner, &join(ptr, &i.to_string()), warnings);
            }
        }
        _ => {}
    }
}

fn schema_keywords(map: &mut Map<String, Value>, ptr: &str, warnings: &mut Vec<Diagnostic>) {
    // `$ref` with siblings: 3.0 ignores them; a described reference is
    // `allOf: [$ref]` (what the lowering reads as the referenced type)
    if map.contains_key("$ref") && map.len() > 1 {
        map.remove("summary");
        let schema_siblings = map.keys().any(|k| k != "$ref" && k != "description" && !k.starts_with("x-"));
        if schema_siblings || map.contains_key("description") {
            if let Some(reference) = map.remove("$ref") {
                map.insert("allOf".into(), Value::Array(vec![serde_json::json!({ "$ref": reference })]));
            }
        }
    }
    // `oneOf: [{type: 'null'}, X]` (how 3.1 writes a nullable reference):
    // X, nullable
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = map.get_mut(key) else { continue };
        let before = members.len();
        members.retain(|m| m.get("type").and_then(Value::as_str) != Some("null"));
        if members.len() == before {
            continue;
        }
        map.insert("nullable".into(), Value::Bool(true));
        if let Some(Value::Array(members)) = map.remove(key) {
            let target = if members.len() == 1 { "allOf" } else { key };
            map.insert(target.into(), Value::Array(members));
        }
    }
    // `type: 'null'` alone, or `type: [x, 'null']` (the load's repair reads the list)
    if map.get("type").and_then(Value::as_str) == Some("null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
    }
    if let Some(value) = map.remove("const") {
        // a `const` often has no `type`: it is the value's own
        let own_type = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_f64() => Some("number"),
            Value::Number(_) => Some("integer"),
            _ => None,
        };
        if let (Some(own_type), false) = (own_type, map.contains_key("type")) {
            map.insert("type".into(), Value::String(own_type.into()));
        }
        map.insert("enum".into(), Value::Array(vec![value]));
    }
    // a schema's `examples` is a list (a media type's is a map: kept)
    if map.get("examples").is_some_and(Value::is_array) {
        if let Some(Value::Array(mut examples)) = map.remove("examples") {
            if !examples.is_empty() && !map.contains_key("example") {
                map.insert("example".into(), examples.swap_remove(0));
            }
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(number) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), number);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if let Some(prefix) = map.remove("prefixItems") {
        if !map.contains_key("items") {
            map.insert("items".into(), Value::Object(Map::new()));
        }
        let _ = prefix;
        warnings.push(Diagnostic::warning(
            join(ptr, "prefixItems"),
            "`prefixItems` (a tuple) has no OpenAPI 3.0 meaning; read as an array of any JSON values",
        ));
    }
    if map.get("type").and_then(Value::as_str) == Some("string") && !map.contains_key("format") {
        let media = map.get("contentMediaType").and_then(Value::as_str);
        let encoding = map.get("contentEncoding").and_then(Value::as_str);
        let format = match (media, encoding) {
            (_, Some("base64" | "base64url")) => Some("byte"),
            (Some(media), None) if !media.starts_with("text/") && !media.contains("json") => Some("binary"),
            _ => None,
        };
        if let Some(format) = format {
            map.insert("format".into(), Value::String(format.into()));
        }
    }
    map.remove("contentMediaType");
    map.remove("contentEncoding");
    for key in DROPPED {
        if map.remove(*key).is_some() {
            warnings.push(Diagnostic::warning(join(ptr, key), format!("`{key}` has no OpenAPI 3.0 meaning; dropped")));
        }
    }
    // boolean schemas: `items: true`, `not: false`...
    for key in ["items", "not", "schema"] {
        if map.get(key).is_some_and(Value::is_boolean) {
            map.insert(key.into(), Value::Object(Map::new()));
        }
    }
}
