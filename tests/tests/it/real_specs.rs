//! Real specs as people write them: the minimal repros of what refused
//! third-party specs (pretty-printed JSON, flow-style examples, JSON Schema
//! keywords, percent-encoded `$ref`s, `$ref`s to any place, recursion
//! through a documented `allOf`). The whole APIs-guru directory runs in
//! `cargo xtask corpus`.

use std::collections::BTreeMap;

fn generate(text: &str) -> Result<codegen::Generated, Vec<codegen::diagnostics::Diagnostic>> {
    codegen::generate(text, &codegen::Options { spec_label: "real.yaml".into() })
}

fn errors(diags: &[codegen::diagnostics::Diagnostic]) -> Vec<String> {
    diags.iter().filter(|d| d.is_error()).map(ToString::to_string).collect()
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

/// What `json.dump(spec, f, indent=2)` writes: the same crate as the
/// minified JSON, and no finding.
#[test]
fn pretty_printed_json_generates_like_minified_json() {
    let pretty = r#"{
  "openapi": "3.0.0",
  "info": {
    "title": "t",
    "version": "1"
  },
  "tags": [
    {
      "name": "a",
      "description": "x"
    },
    {
      "name": "b",
      "description": "y"
    }
  ],
  "paths": {
    "/ping": {
      "get": {
        "operationId": "ping",
        "responses": {
          "200": {
            "description": "ok"
          }
        }
      }
    }
  }
}"#;
    let minified: String = serde_json::to_string(&serde_json::from_str::<serde_json::Value>(pretty).unwrap()).unwrap();
    let a = generate(pretty).unwrap_or_else(|d| panic!("{}", errors(&d).join("\n")));
    let b = generate(&minified).expect("minified generates");
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    assert_eq!(a.files, b.files);
    // with CRLF line ends and a byte-order mark, the same
    let crlf = format!("\u{feff}{}", pretty.replace('\n', "\r\n"));
    assert_eq!(generate(&crlf).expect("generates").files, b.files);
}

/// A multi-line flow example (an array of objects with the same keys) and
/// a multi-line quoted scalar whose lines look like keys are no duplicate.
#[test]
fn flow_collections_and_quoted_scalars_across_lines_are_no_duplicates() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      description: \"first line\n        name: x\n        name: y\"\n      properties:\n        list: {{type: array, items: {{type: string}}}}\n      example: [\n        {{\"list\": [\"a\"], \"name\": 1}},\n        {{\"list\": [\"b\"],\n         \"name\": 2}}\n      ]\n"
    );
    let generated = generate(&text).unwrap_or_else(|d| panic!("{}", errors(&d).join("\n")));
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
}

/// A duplicate written in flow style that changes a type is an error at
/// the parser's line (it used to generate `pub label: i64` silently).
#[test]
fn a_flow_style_duplicate_that_changes_a_type_is_an_error_at_its_line() {
    let text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        label: {{type: string, format: x, type: integer}}\n");
    let diags = generate(&text).expect_err("refused");
    assert_eq!(
        errors(&diags),
        ["error: #/components/schemas/A/properties/label/type (line 9): `type` is given twice in this mapping, with different values: parsers keep only the last one, silently"]
    );
    // the same value twice, or a description twice: a warning, and it generates
    let same = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: object, description: a, description: b, properties: {{n: {{type: string, type: string}}}}}}\n");
    let warnings = generate(&same).expect("generates").warnings;
    assert_eq!(warnings.len(), 2, "{warnings:?}");
}

/// `additionalItems` is JSON Schema that OpenAPI 3.0 does not use: a
/// warning, not a misplaced property.
#[test]
fn a_json_schema_keyword_is_a_warning() {
    let text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: array\n      items: {{type: string}}\n      additionalItems: {{type: integer}}\n");
    let warnings = generate(&text).unwrap_or_else(|d| panic!("{}", errors(&d).join("\n"))).warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].message.contains("JSON Schema keyword"), "{}", warnings[0]);
}

/// A `$ref` fragment is percent-decoded before it is read as a JSON
/// pointer, in another file as in the same one.
#[test]
fn percent_encoded_references_are_followed() {
    let files: BTreeMap<&str, String> = [
        ("api.yaml", format!("{HEAD}paths:\n  /users/me/connections/{{connectionId}}:\n    $ref: './connections.yml#/paths/~1users~1me~1connections~1%7BconnectionId%7D'\ncomponents:\n  schemas:\n    'A b': {{type: string}}\n    C: {{type: object, properties: {{a: {{$ref: '#/components/schemas/A%20b'}}}}}}\n")),
        ("connections.yml", "paths:\n  /users/me/connections/{connectionId}:\n    get:\n      operationId: getConnection\n      parameters: [{name: connectionId, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n".to_owned()),
    ]
    .into_iter()
    .collect();
    let read = |path: &str| files.get(path).cloned().ok_or_else(|| format!("no {path}"));
    let generated = codegen::generate_files("api.yaml", &read, &codegen::Options { spec_label: "api.yaml".into() })
        .unwrap_or_else(|d| panic!("{}", errors(&d).join("\n")));
    assert_eq!(generated.stats.operations, 1);
    let model = generated.files.iter().find(|(p, _)| p.ends_with("/c.rs")).map(|(_, t)| t.clone()).expect("model C");
    assert!(model.contains("pub a: Option<super::AB>"), "{model}");
}

/// Any local JSON pointer is a valid `$ref` target (what `redocly bundle`
/// writes), and a response where a schema is expected stands for its
/// schema.
#[test]
fn references_to_any_place_are_followed() {
    let text = format!(
        "{HEAD}paths:\n  /users:\n    get:\n      operationId: listUsers\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{name: {{type: string}}}}}}\n  /admins:\n    get:\n      operationId: listAdmins\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/paths/~1users/get/responses/200/content/application~1json/schema'}}\n        '201':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/responses/Count'}}\ncomponents:\n  responses:\n    Count:\n      description: a count\n      content: {{application/json: {{schema: {{type: integer}}}}}}\n"
    );
    let generated = generate(&text).unwrap_or_else(|d| panic!("{}", errors(&d).join("\n")));
    assert_eq!(generated.stats.operations, 2);
    assert_eq!(generated.stats.untyped, 0, "every type is known");
}

/// A recursive field written `allOf: [$ref, {description}]`, as generated
/// cloud specs document a field: an ordinary boxed recursive field.
#[test]
fn recursion_through_a_documented_all_of_is_a_boxed_field() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    AttributeFilter:\n      type: object\n      properties:\n        Key: {{type: string}}\n        NotFilter:\n          allOf:\n            - $ref: '#/components/schemas/AttributeFilter'\n            - description: Performs a logical NOT on the filter.\n"
    );
    let generated = generate(&text).unwrap_or_else(|d| panic!("{}", errors(&d).join("\n")));
    let model = generated.files.iter().find(|(p, _)| p.ends_with("attribute_filter.rs")).map(|(_, t)| t.clone()).expect("the model");
    assert!(model.contains("    /// Performs a logical NOT on the filter.\n    pub not_filter: Option<Box<super::AttributeFilter>>,"), "{model}");
}

/// A query string written into a path key (`/search?query={query}`): the
/// path is what comes before `?`, with a warning.
#[test]
fn a_query_string_in_a_path_key_is_a_warning() {
    let text = format!(
        "{HEAD}paths:\n  /search?query={{query}}:\n    get:\n      operationId: search\n      parameters: [{{name: query, in: query, required: true, schema: {{type: string}}}}]\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let generated = generate(&text).unwrap_or_else(|d| panic!("{}", errors(&d).join("\n")));
    assert_eq!(generated.warnings.len(), 1, "{:?}", generated.warnings);
    assert_eq!(generated.stats.operations, 1);
}

/// YAML anchors and aliases (what PyYAML writes for a repeated subtree)
/// read as the subtree written out.
#[test]
fn anchors_and_aliases_read_as_the_subtree() {
    let aliased = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        x: &id001\n          type: string\n          description: shared\n        y: *id001\n"
    );
    let written = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        x: {{type: string, description: shared}}\n        y: {{type: string, description: shared}}\n"
    );
    assert_eq!(generate(&aliased).expect("generates").files, generate(&written).expect("generates").files);
}

/// A file under a JSON media type (epa.gov's spec) is read as bytes, not
/// decoded as JSON into a file part (which did not compile).
#[test]
fn a_binary_json_response_is_bytes() {
    let text = format!(
        "{HEAD}paths:\n  /download:\n    get:\n      operationId: download\n      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {{type: string, format: binary}}}}}}\n"
    );
    let generated = generate(&text).unwrap_or_else(|d| panic!("{}", errors(&d).join("\n")));
    let op = generated.files.iter().find(|(p, _)| p.starts_with("operations/")).map(|(_, t)| t.clone()).expect("operations");
    assert!(op.contains("ResponseFuture<::client_runtime::Bytes>"), "{op}");
}
