//! OpenAPI 3.0 to Rust client generator: spec text in, files out.
//! [`generate`] is pure (the caller owns the disk); this file holds the
//! public API and the pipeline, each stage a module with one job.
//!
//! # Design
//!
//! Stages, top to bottom; each module depends only on modules below it
//! (`tests/layers.rs` fails on a circle of imports):
//!
//! 1. [`load`]: text to an openapiv3 document: YAML or JSON, version check,
//!    3.1 brought to 3.0 (`openapi31`), local `$ref`s read as URIs (`refs`),
//!    real-world defects repaired. `bundle` first makes a spec split
//!    across files one document; [`lint`] reads the raw document for keys
//!    a maintainer mistyped. Owns everything about spec text.
//! 2. `lower`: openapiv3 to the plain [`ir`] (`Api { models, operations,
//!    webhooks }`), every problem a [`diagnostics::Diagnostic`] with its
//!    JSON pointer. openapiv3 types stop here.
//! 3. [`names`]: every Rust identifier (case, keywords, collisions,
//!    reserved names); `lower` names the IR with it.
//! 4. `emit`: IR to a `code::Code` per output file, one module per kind of
//!    output, sharing helpers below them (see its docs). `quote!` and the
//!    generated crate's shape live only here.
//! 5. `code` and `render`: `code` is what emit hands over (the items of
//!    each file as `quote!` tokens); `render` turns it into the file's
//!    text (prettyplease, blank lines, the `@generated` header).
//!
//! `jobs` runs emit and render for every file on every core; `timing`
//! times the stages for `cargo xtask bench`.
//!
//! Where a change goes: a new OpenAPI construct is read in `lower` (into
//! the IR, which grows a field or a variant if no existing one says it)
//! and written by the emit module of each output it shows in; a new kind
//! of output file is a new module in `emit/`, planned in `emit::Plan`,
//! that uses `types`, `docs` and `wire` and is used by no other. What an
//! operation's builder writes is worked out in phases, one per helper
//! module (its types, docs, request statements and response handling),
//! then written: a new request or response feature goes in `wire` or
//! `response`, not in `operation`.

mod bundle;
mod code;
pub mod diagnostics;
mod emit;
pub mod ir;
mod jobs;
pub mod lint;
pub mod load;
mod lower;
mod openapi31;
mod refs;
pub mod names;
mod render;
mod timing;

use diagnostics::Diagnostic;
pub use jobs::MAX_FILE_LINES;
use std::collections::BTreeMap;

/// What the generator is told besides the spec text.
#[derive(Debug, Clone)]
pub struct Options {
    /// How the header names the spec, e.g. `spec/powens.yaml`.
    pub spec_label: String,
}

/// The generated files (paths relative to the generated directory, `/`
/// separated) and the warnings about the spec.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: BTreeMap<String, String>,
    pub warnings: Vec<Diagnostic>,
    /// How much of the spec the client holds (the corpus baseline records it).
    pub stats: Stats,
}

/// What a generated client holds: its operations and models, and how many
/// of the types of its models, parameters, bodies and responses are untyped
/// JSON values (`serde_json::Value`, where the spec says no more or the
/// generator fell back).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub operations: usize,
    pub models: usize,
    pub untyped: usize,
}

impl Stats {
    fn of(api: &ir::Api) -> Stats {
        fn untyped(ty: &ir::Type) -> bool {
            match ty {
                ir::Type::Any => true,
                ir::Type::Array(inner) | ir::Type::Map(inner) | ir::Type::Nullable(inner) => untyped(inner),
                _ => false,
            }
        }
        let types = api.models.iter().flat_map(|model| -> Vec<&ir::Type> {
            match &model.kind {
                ir::ModelKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(s.additional.as_ref()).collect(),
                ir::ModelKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
                ir::ModelKind::ScalarUnion { scalars, .. } => scalars.iter().map(|v| &v.ty).collect(),
                ir::ModelKind::Alias(ty) | ir::ModelKind::Newtype(ty) => vec![ty],
                ir::ModelKind::Enum(_) => Vec::new(),
            }
        });
        // and where operations use a type: parameters, bodies, responses
        let used = api.operations.iter().flat_map(|op| -> Vec<&ir::Type> {
            let responses = op.responses.iter().filter_map(|r| match &r.content {
                ir::ResponseContent::Json(ty) => Some(ty),
                _ => None,
            });
            op.params.iter().map(|p| &p.ty).chain(op.body.as_ref().map(|b| &b.ty)).chain(responses).collect()
        });
        Stats { operations: api.operations.len(), models: api.models.len(), untyped: types.chain(used).filter(|ty| untyped(ty)).count() }
    }
}

/// Generates the client files for a spec. Errors (and warnings found on the
/// way) come back together, sorted, each with its JSON pointer.
pub fn generate(spec_text: &str, options: &Options) -> Result<Generated, Vec<Diagnostic>> {
    let (spec, raw, diags) = load::load(spec_text).map_err(|d| locate(spec_text, d))?;
    // the other core is idle while the spec is lowered: it frees the raw
    // document and finds the lines of the warnings so far
    let (api, lower_diags, (mut diags, acknowledged)) = std::thread::scope(|scope| {
        // it also lints what the maintainer wrote, and frees the document
        let located = scope.spawn(move || {
            let findings = lint::lint(&raw);
            drop(raw);
            let mut diags = locate(spec_text, diags.into_iter().chain(findings.diagnostics).collect());
            lint::drop_quoted_booleans(&mut diags, spec_text);
            (diags, findings.acknowledged)
        });
        let (api, lower_diags) = lower::lower(&spec);
        (api, lower_diags, located.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    diags.extend(locate(spec_text, lower_diags));
    lint::drop_acknowledged(&mut diags, &acknowledged);
    if diags.iter().any(Diagnostic::is_error) {
        sort(&mut diags);
        return Err(diags);
    }
    let header = format!("// @generated by `cargo xtask codegen` from {}. Do not edit.", options.spec_label);
    let stats = Stats::of(&api);
    let (files, render_errors) = jobs::emit_and_render(&api, &header);
    drop(spec);
    diags.extend(render_errors);
    sort(&mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok(Generated { files, warnings: diags, stats })
}

/// Generates the client files for a spec that may be split across files:
/// `root` is the root file's path as `read` takes it (relative to where the
/// caller reads from), and every relative `$ref` to another file is read
/// through `read`. A single-file spec gives what [`generate`] gives; a
/// multi-file one is bundled into one document first, and its diagnostics
/// name the file, the pointer in it and the line.
pub fn generate_files(root: &str, read: &dyn Fn(&str) -> Result<String, String>, options: &Options) -> Result<Generated, Vec<Diagnostic>> {
    let root_file = bundle::normalise("", root);
    let root_text = read(&root_file).map_err(|e| vec![Diagnostic::error("#", format!("cannot read `{root_file}`: {e}"))])?;
    if !has_external_refs(&root_text) {
        return generate(&root_text, options);
    }
    let bundled = bundle::bundle(root, read).map_err(|(diags, texts)| {
        // the errors point into the files: find their lines there
        diags.into_iter().map(|d| locate_in_file(d, &texts, &root_file)).collect::<Vec<_>>()
    })?;
    if bundled.texts.len() == 1 {
        return generate(&bundled.texts[&root_file], options);
    }
    let text = serde_json::to_string(&bundled.document).map_err(|e| vec![Diagnostic::error("#", e.to_string())])?;
    let remap = |diags: Vec<Diagnostic>| -> Vec<Diagnostic> {
        let mut diags: Vec<Diagnostic> = diags
            .into_iter()
            .map(|mut d| {
                let (file, pointer) = bundled
                    .origins
                    .iter()
                    .find(|(at, _, _)| d.pointer == *at || d.pointer.starts_with(&format!("{at}/")))
                    .map(|(at, file, from)| (file.clone(), format!("{from}{}", &d.pointer[at.len()..])))
                    .unwrap_or_else(|| (root_file.clone(), d.pointer.clone()));
                d.pointer = if file == root_file { pointer } else { format!("{file}{pointer}") };
                d.line = None;
                locate_in_file(d, &bundled.texts, &root_file)
            })
            .collect();
        sort(&mut diags);
        diags
    };
    match generate(&text, options) {
        Ok(generated) => Ok(Generated { files: generated.files, warnings: remap(generated.warnings), stats: generated.stats }),
        Err(diags) => Err(remap(diags)),
    }
}

/// Whether a spec's text has a `$ref` to another file (one whose value does
/// not start with `#`): a single-file spec skips the bundling.
fn has_external_refs(text: &str) -> bool {
    text.match_indices("$ref").any(|(at, _)| {
        let rest = text[at + 4..].trim_start_matches(['"', '\'', ' ']);
        let value = rest.strip_prefix(':').map(|v| v.trim_start_matches([' ', '"', '\'']));
        value.is_some_and(|v| !v.starts_with('#'))
    })
}

/// The line of a diagnostic whose pointer may name a file (`core.yml#/a`),
/// found in that file's text (the root's when it names none).
fn locate_in_file(mut d: Diagnostic, texts: &BTreeMap<String, String>, root: &str) -> Diagnostic {
    if d.line.is_some() {
        return d;
    }
    let (file, pointer) = match d.pointer.split_once('#') {
        Some(("", pointer)) => (root, pointer),
        Some((file, pointer)) => (file, pointer),
        None => (root, d.pointer.as_str()),
    };
    if let Some(text) = texts.get(file) {
        let lines: Vec<&str> = text.lines().collect();
        d.line = diagnostics::locate_in_lines(&lines, &format!("#{pointer}"));
    }
    d
}

/// The IR of a spec (what `generate` emits from), for tests that check
/// generated code against the spec: warnings are dropped, errors returned.
pub fn api(spec_text: &str) -> Result<ir::Api, Vec<Diagnostic>> {
    let (spec, raw, diags) = load::load(spec_text)?;
    let (api, lower_diags) = lower::lower(&spec);
    let lints = lint::lint(&raw).diagnostics.into_iter();
    let errors: Vec<Diagnostic> = diags.into_iter().chain(lower_diags).chain(lints).filter(Diagnostic::is_error).collect();
    if errors.is_empty() {
        Ok(api)
    } else {
        Err(errors)
    }
}

/// `(stage, median milliseconds)` of [`generate`]'s stages for a spec that
/// generates, over `runs` runs (`cargo xtask bench`).
pub fn stage_timings(text: &str, runs: usize) -> Result<Vec<(String, f64)>, Vec<Diagnostic>> {
    timing::stage_timings(text, runs, |text| generate(text, &Options { spec_label: "bench".into() }))
}

/// Errors first, then in document order (by line, then pointer).
fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (std::cmp::Reverse(a.severity), a.line.unwrap_or(usize::MAX), &a.pointer, &a.message)
            .cmp(&(std::cmp::Reverse(b.severity), b.line.unwrap_or(usize::MAX), &b.pointer, &b.message))
    });
}

fn locate(text: &str, mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if diags.iter().all(|d| d.line.is_some()) {
        return diags;
    }
    let lines: Vec<&str> = text.lines().collect();
    for d in &mut diags {
        if d.line.is_none() {
            d.line = diagnostics::locate_in_lines(&lines, &d.pointer);
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn run(text: &str) -> Result<Generated, Vec<Diagnostic>> {
        generate(text, &Options { spec_label: "test.yaml".into() })
    }

    /// Odd documents come back as diagnostics (or files), never a panic.
    #[test]
    fn odd_inputs_do_not_panic() {
        let cases = [
            "",
            "null",
            "[]",
            "openapi: 3.0.0",
            "openapi: 3",
            "openapi: '3.0.3'\ninfo: {title: t, version: '1'}\npaths: {}",
            // allOf through itself, a $ref cycle, an empty oneOf
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {allOf: [{$ref: '#/components/schemas/A'}, {type: object}]}\n    B: {$ref: '#/components/schemas/B'}\n    C: {oneOf: []}\n",
            // an inline allOf that takes in the schema it sits in (found by
            // the fuzzer: it nested without end), and the same with one
            // reference twice, which is the reference
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    N:\n      type: object\n      properties:\n        next: {allOf: [{$ref: '#/components/schemas/N'}, {type: object}]}\n",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    N:\n      type: object\n      properties:\n        next: {allOf: [{$ref: '#/components/schemas/N'}, {$ref: '#/components/schemas/N'}]}\n",
            // an unclosed path template, an empty one, a parameter without a schema
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{b:\n    get: {responses: {'200': {description: x}}}\n  /c/{}:\n    get: {responses: {'200': {description: x}}}\n",
        ];
        for text in cases {
            match run(text) {
                Ok(_) => {}
                Err(diags) => assert!(!diags.is_empty(), "{text:?} rejected without a diagnostic"),
            }
        }
    }

    /// Inline allOf models that multiply without a cycle (each component
    /// takes in the next twice): stopped at a budget, with a warning, and
    /// the spec still generates (a budget must not refuse a real spec).
    #[test]
    fn inline_models_that_multiply_are_stopped() {
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n");
        for i in 0..20 {
            let next = format!("'#/components/schemas/C{}'", i + 1);
            text.push_str(&format!(
                "    C{i}:\n      type: object\n      properties:\n        a: {{allOf: [{{$ref: {next}}}, {{type: object}}]}}\n        b: {{allOf: [{{$ref: {next}}}, {{type: object}}]}}\n"
            ));
        }
        text.push_str("    C20: {type: object}\n");
        let generated = run(&text).expect("generates");
        assert!(generated.warnings.iter().any(|d| d.message.contains("budget")), "{:?}", generated.warnings);
    }

    /// An allOf beside other keywords (`type: array`, found by the fuzzer)
    /// that takes in the schema it sits in is the same error as a plain
    /// one: its inline models nested 32 deep, a type rustc could not prove
    /// `Send` (E0275).
    #[test]
    fn an_allof_beside_a_type_that_takes_in_its_parent_is_an_error() {
        for extra in ["type: array, items: {$ref: '#/components/schemas/Node'}", "type: object"] {
            let text = format!(
                "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        name: {{type: string}}\n        next: {{allOf: [{{$ref: '#/components/schemas/Node'}}], {extra}}}\n"
            );
            let diags = run(&text).expect_err(extra);
            assert!(diags.iter().any(|d| d.pointer == "#/components/schemas/Node/properties/next" && d.message.contains("nest without end")), "{extra}: {diags:?}");
        }
    }

    #[test]
    fn an_empty_api_generates() {
        let generated = run("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}").expect("generates");
        assert!(generated.files.contains_key("mod.rs"));
        assert!(generated.warnings.is_empty());
    }

    #[test]
    fn errors_come_first_then_document_order() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'204': {description: x}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [ghost]\n      properties:\n        b: {$ref: '#/components/schemas/Nope'}\n        c: {type: strin}\n";
        let diags = run(text).expect_err("dangling ref");
        let shown: Vec<String> = diags.iter().map(|d| format!("{:?} {}", d.severity, d.pointer)).collect();
        assert_eq!(
            shown,
            [
                "Error #/components/schemas/A/properties/b/$ref",
                "Error #/components/schemas/A/properties/c/type",
                "Warning #/paths/~1a/get",
                "Warning #/components/schemas/A/required/0",
            ]
        );
    }

    fn many_operations(n: usize) -> String {
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
        for i in 0..n {
            text.push_str(&format!(
                "  /things{i}/{{id}}:\n    get:\n      operationId: getThing{i}\n      tags: [things]\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: integer}}}}\n        - {{name: q, in: query, schema: {{type: string}}}}\n      responses: {{'200': {{description: x, content: {{application/json: {{schema: {{type: object, properties: {{a: {{type: integer}}}}}}}}}}}}}}\n"
            ));
        }
        text
    }

    /// A tag too long for one file is one file per operation, and the files
    /// are what `emit` writes when asked to split that tag.
    #[test]
    fn long_tags_are_split() {
        let short = run(&many_operations(3)).expect("generates");
        assert!(short.files.contains_key("operations/things.rs"));
        let text = many_operations(40);
        let long = run(&text).expect("generates");
        assert!(!long.files.contains_key("operations/things.rs"));
        assert!(long.files.contains_key("operations/things/mod.rs"));
        assert!(long.files.contains_key("operations/things/get_thing0.rs"));
        assert!(long.files.values().all(|t| t.lines().count() <= MAX_FILE_LINES));
        let (spec, _, _) = load::load(&text).expect("loads");
        let (api, _) = lower::lower(&spec);
        let split: BTreeSet<String> = ["things".to_string()].into();
        let header = "// @generated by `cargo xtask codegen` from test.yaml. Do not edit.";
        let direct = jobs::render_all(header, emit::emit(&api, &split), &mut Vec::new());
        assert_eq!(direct, long.files);
    }
}
