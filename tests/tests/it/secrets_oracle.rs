//! Where the secrets are, read from the spec without the generator: a plain
//! walk of the YAML (not `codegen`) finds every credential field, and each
//! must be a `Secret` in the committed generated crate's source.
//!
//! The rule is the one `spec/CONVENTIONS.md` states, written again here: a
//! string property or parameter is a credential when the spec marks it
//! `x-secret: true`, or when its name is a credential's (`password`,
//! `token`, `client_secret`, `pin`, ...) or looks like one (`*token*`,
//! `*secret*`, `*password*`, `code`, `otp`, `*_key`, `*pin`, ...) and the
//! spec does not mark it `x-secret: false`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// A credential the walk found: where, its wire name, and the wire names of
/// the properties beside it (for a property) or the parameters of its
/// operation (for a parameter).
#[derive(Debug)]
struct Credential {
    pointer: String,
    name: String,
    siblings: BTreeSet<String>,
    parameter: bool,
}

/// Names that are credentials, and name shapes that look like them.
fn credential_name(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "password", "client_secret", "secret", "access_token", "auth_token", "token", "jwt_token",
        "refresh_token", "private_key", "api_key", "apikey", "bankingPin", "banking_pin", "pin",
    ];
    const INSIDE: &[&str] = &["token", "secret", "password", "passwd", "jwt", "apikey", "pincode"];
    const WHOLE: &[&str] = &["code", "pin", "otp", "key", "cvv"];
    let lower = name.to_lowercase();
    EXACT.contains(&name)
        || INSIDE.iter().any(|part| lower.contains(part))
        || WHOLE.contains(&lower.as_str())
        || lower.ends_with("_key")
        || lower.ends_with("pin")
}

/// `#/a/b` → the value, for local `$ref`s.
fn resolve<'a>(root: &'a Value, value: &'a Value) -> &'a Value {
    let mut value = value;
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => value = root.pointer(pointer).unwrap_or_else(|| panic!("a dangling $ref {pointer}")),
            None => break,
        }
    }
    value
}

/// Whether a schema is a plain string (`type: string`, or 3.1's
/// `[string, null]`), not a `$ref`, with no format that makes it another
/// type (dates, files, amounts).
fn plain_string(schema: &Value) -> bool {
    if schema.get("$ref").is_some() {
        return false;
    }
    let string = match schema.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().filter(|t| *t != "null").eq([&Value::from("string")]),
        _ => false,
    };
    let format = schema.get("format").and_then(Value::as_str);
    string && matches!(format, None | Some("password" | "byte" | "email" | "uri" | "url" | "uuid" | "hostname"))
}

/// The decision, from the mark and the name.
fn is_credential(name: &str, mark: Option<&Value>) -> bool {
    match mark.and_then(Value::as_bool) {
        Some(marked) => marked,
        None => credential_name(name),
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Every credential property, at any depth of the document (components,
/// request and response bodies, nested objects, `allOf` members, items).
fn walk(root: &Value, value: &Value, pointer: &str, out: &mut Vec<Credential>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                let siblings: BTreeSet<String> = properties.keys().cloned().collect();
                for (name, schema) in properties {
                    if plain_string(schema) && is_credential(name, schema.get("x-secret")) {
                        out.push(Credential {
                            pointer: format!("{pointer}/properties/{}", escape(name)),
                            name: name.clone(),
                            siblings: siblings.clone(),
                            parameter: false,
                        });
                    }
                }
            }
            if let Some(Value::Array(parameters)) = map.get("parameters") {
                let parameters: Vec<&Value> = parameters.iter().map(|p| resolve(root, p)).collect();
                let names: BTreeSet<String> =
                    parameters.iter().filter_map(|p| p.get("name")?.as_str().map(str::to_owned)).collect();
                for (i, parameter) in parameters.iter().enumerate() {
                    let (Some(name), Some(schema)) = (parameter.get("name").and_then(Value::as_str), parameter.get("schema")) else {
                        continue;
                    };
                    let mark = parameter.get("x-secret").or_else(|| schema.get("x-secret"));
                    if plain_string(schema) && is_credential(name, mark) {
                        out.push(Credential {
                            pointer: format!("{pointer}/parameters/{i}"),
                            name: name.to_owned(),
                            siblings: names.clone(),
                            parameter: true,
                        });
                    }
                }
            }
            for (key, child) in map {
                if key != "parameters" {
                    walk(root, child, &format!("{pointer}/{}", escape(key)), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(root, item, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn spec(path: &str) -> Value {
    let text = std::fs::read_to_string(xtask::root().join(path)).unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    serde_json::to_value(yaml).unwrap()
}

/// A struct of the generated source: the doc comment above it, and its
/// fields (Rust name → type) with their wire names (from the generated
/// `Serialize`: `object.<method>("wire", &self.field)`).
#[derive(Debug, Default)]
struct Struct {
    file: String,
    name: String,
    doc: String,
    fields: BTreeMap<String, String>,
    wire: BTreeMap<String, String>,
}

/// Every struct of the generated crate's source, read as text.
fn generated_structs(dir: &std::path::Path) -> Vec<Struct> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut structs: Vec<Struct> = Vec::new();
        for (at, line) in lines.iter().enumerate() {
            let Some(rest) = line.strip_prefix("pub struct ") else { continue };
            let Some(name) = rest.strip_suffix(" {") else { continue };
            let doc: Vec<&str> = lines[..at].iter().rev().take_while(|l| l.starts_with("///") || l.starts_with("#[")).copied().collect();
            let mut fields = BTreeMap::new();
            for field in lines[at + 1..].iter().take_while(|l| **l != "}") {
                let field = field.trim().trim_start_matches("pub ");
                if let Some((rust, ty)) = field.split_once(": ") {
                    if !rust.starts_with("//") && !rust.starts_with('#') {
                        fields.insert(rust.to_owned(), ty.trim_end_matches(',').to_owned());
                    }
                }
            }
            structs.push(Struct {
                file: path.display().to_string(),
                name: name.to_owned(),
                doc: doc.join("\n"),
                fields,
                wire: BTreeMap::new(),
            });
        }
        // the wire names, from each `impl ::serde::Serialize for Name`
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in &mut structs {
            let header = format!("impl ::serde::Serialize for {} {{", s.name);
            let Some(start) = flat.find(&header) else { continue };
            let body = &flat[start..];
            let body = &body[..body[header.len()..].find("impl ").map_or(body.len(), |e| e + header.len())];
            for call in body.split("object.").skip(1) {
                let Some(args) = call.split_once('(').map(|(_, a)| a) else { continue };
                let Some(wire) = args.strip_prefix('"').and_then(|a| a.split_once('"')).map(|(w, _)| w) else { continue };
                let Some(field) = args.split_once("&self.").map(|(_, f)| f.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or_default()) else { continue };
                s.wire.insert(wire.to_owned(), field.to_owned());
            }
        }
        out.extend(structs);
    }
    out
}

/// `bankingPin` → `banking_pin`, `client-id` → `client_id`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        out.extend(if c.is_alphanumeric() { c.to_lowercase().collect::<Vec<_>>() } else { vec!['_'] });
    }
    out
}

const SECRET: &str = "::client_runtime::Secret";

/// The places the walk found that the generated crate does not hold as a
/// `Secret` (empty when every credential is one).
fn unmarked(spec_path: &str, crate_dir: &str) -> (Vec<Credential>, Vec<String>) {
    let root = spec(spec_path);
    let mut credentials = Vec::new();
    walk(&root, &root, "#", &mut credentials);
    let structs = generated_structs(&xtask::root().join(crate_dir).join("src/generated"));
    let mut problems = Vec::new();
    for credential in &credentials {
        if credential.parameter {
            // `#/paths/<path>/<method>/parameters/<i>`: the builder or webview
            // whose doc names `METHOD /path`
            let parts: Vec<String> = credential.pointer.split('/').map(|p| p.replace("~1", "/").replace("~0", "~")).collect();
            let (path, method) = (&parts[2], parts[3].to_uppercase());
            let place = format!("`{method} {path}`");
            let holders: Vec<&Struct> = structs.iter().filter(|s| s.doc.contains(&place) && s.fields.contains_key(&snake(&credential.name))).collect();
            if holders.is_empty() {
                problems.push(format!("{} ({}): no generated struct documented {place} has a field `{}`", credential.pointer, credential.name, snake(&credential.name)));
            }
            for holder in holders {
                let ty = &holder.fields[&snake(&credential.name)];
                if !ty.contains(SECRET) {
                    problems.push(format!("{} ({}): {}::{} is `{ty}`, not a Secret ({})", credential.pointer, credential.name, holder.name, snake(&credential.name), holder.file));
                }
            }
        } else {
            // the generated structs with exactly the schema's properties, or
            // else every one that has them all (an `allOf` adds some)
            let exact: Vec<&Struct> =
                structs.iter().filter(|s| s.wire.keys().eq(credential.siblings.iter())).collect();
            let holders: Vec<&Struct> = if exact.is_empty() {
                structs.iter().filter(|s| credential.siblings.iter().all(|wire| s.wire.contains_key(wire))).collect()
            } else {
                exact
            };
            if holders.is_empty() {
                problems.push(format!("{} ({}): no generated struct has the properties {:?}", credential.pointer, credential.name, credential.siblings));
            }
            for holder in holders {
                let field = &holder.wire[&credential.name];
                let ty = &holder.fields[field];
                if !ty.contains(SECRET) {
                    problems.push(format!("{} ({}): {}::{field} is `{ty}`, not a Secret ({})", credential.pointer, credential.name, holder.name, holder.file));
                }
            }
        }
    }
    (credentials, problems)
}

/// Every credential field the walk finds is a `Secret` in the generated
/// crate; the counts are exact, so a credential that leaves the spec (or a
/// walk that stops finding them) is seen too.
#[test]
fn every_credential_in_the_spec_is_a_secret_in_the_crate() {
    for (spec_path, crate_dir, properties, parameters) in
        [("spec/powens.yaml", "generated-client/powens", 22, 7), ("spec/finapi.yaml", "generated-client/finapi", 3, 0)]
    {
        let (credentials, problems) = unmarked(spec_path, crate_dir);
        assert!(problems.is_empty(), "{spec_path}: credentials that are not Secrets:\n{}", problems.join("\n"));
        let found = |parameter: bool| credentials.iter().filter(|c| c.parameter == parameter).count();
        assert_eq!((found(false), found(true)), (properties, parameters), "{spec_path}: {credentials:#?}");
    }
}

/// The walk and the reading of the source see through what they should:
/// the name rules, the marks, and a `Secret` turned back into a `String`
/// in the source is reported.
#[test]
fn the_oracle_sees_what_it_should() {
    for name in ["password", "client_secret", "bankingPin", "notification_token", "jwt_token", "code", "otp", "api_key", "userpin", "PASSWORD2"] {
        assert!(credential_name(name), "{name}");
    }
    for name in ["label", "id", "value", "codes", "keyword", "account_identification", "token_type_hint_x"] {
        assert_eq!(credential_name(name), name.contains("token"), "{name}");
    }
    assert!(is_credential("label", Some(&Value::Bool(true))));
    assert!(!is_credential("code", Some(&Value::Bool(false))));
    let schema = serde_json::json!({"type": "object", "properties": {
        "password": {"type": "string"}, "pin": {"type": "integer"}, "code": {"$ref": "#/x"},
        "label": {"type": "string", "x-secret": true}, "key": {"type": ["string", "null"]},
        "token": {"type": "string", "x-secret": false}, "secret_at": {"type": "string", "format": "date-time"}
    }});
    let mut found = Vec::new();
    walk(&schema, &schema, "#", &mut found);
    let names: BTreeSet<&str> = found.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, BTreeSet::from(["key", "label", "password"]));
    // a generated struct whose credential is a String is a problem
    let dir = std::env::temp_dir().join(format!("secrets-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = std::fs::read_to_string(xtask::root().join("generated-client/powens/src/generated/models/create_token_request.rs")).unwrap();
    let broken = source.replace(&format!("pub password: {SECRET},"), "pub password: String,");
    assert_ne!(broken, source, "the model's source changed shape: update this test");
    std::fs::write(dir.join("create_token_request.rs"), broken).unwrap();
    let structs = generated_structs(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let model = structs.iter().find(|s| s.name == "CreateTokenRequest").expect("the struct is read");
    assert_eq!(model.fields[&model.wire["password"]], "String");
}

/// `x-secret: true` on what cannot be a `Secret` (an integer, an object, an
/// `allOf` of a `$ref`, a date; a parameter of a non-string type) is a
/// warning at its pointer, not silently ignored; on strings it is none.
#[test]
fn a_secret_mark_on_what_is_no_string_is_a_warning() {
    let text = r#"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: pin_count, in: query, x-secret: true, schema: {type: integer}}
        - {name: label, in: query, x-secret: true, schema: {type: string}}
      responses:
        '200': {description: ok}
components:
  schemas:
    Inner: {type: object, properties: {name: {type: string, x-secret: false}}}
    A:
      type: object
      properties:
        count: {type: integer, x-secret: true}
        inner: {allOf: [{$ref: '#/components/schemas/Inner'}], x-secret: true}
        nested: {type: object, x-secret: true, properties: {name: {type: string, x-secret: false}}}
        day: {type: string, format: date, x-secret: true}
        label: {type: string, x-secret: true}
        plain: {type: integer, x-secret: false}
"#;
    let generated = codegen::generate(text, &codegen::Options { spec_label: "secret.yaml".into() })
        .unwrap_or_else(|diags| panic!("{diags:?}"));
    let mut found: Vec<String> = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("`x-secret: true` is ignored here"))
        .map(|w| w.pointer.clone())
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "#/components/schemas/A/properties/count",
            "#/components/schemas/A/properties/day",
            "#/components/schemas/A/properties/inner",
            "#/components/schemas/A/properties/nested",
            "#/paths/~1things/get/parameters/0",
        ],
        "{:#?}",
        generated.warnings
    );
}
