//! Broken specs (`tests/fixtures/bad_*.yaml`): each one is rejected with
//! diagnostics, never a panic and never `Ok`, and the rendered messages
//! (pointer, line, message) are one insta snapshot per fixture.

use std::path::PathBuf;

/// Every bad fixture, by file stem; `every_bad_fixture_is_tested` keeps this
/// list in step with the directory.
pub const BAD_FIXTURES: &[&str] = &[
    "bad_allof_itself",
    "bad_dangling_ref",
    "bad_duplicate_operation_ids",
    "bad_invalid_yaml",
    "bad_missing_path_param",
    "bad_openapi31",
    "bad_several",
    "bad_swagger2",
    "bad_type_typo",
];

fn fixture(name: &str) -> PathBuf {
    xtask::root().join("tests/fixtures").join(format!("{name}.yaml"))
}

/// The diagnostics of a bad fixture, which must be rejected without a panic.
fn reject(name: &str) -> Vec<codegen::diagnostics::Diagnostic> {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let options = codegen::Options { spec_label: format!("tests/fixtures/{name}.yaml") };
    let outcome = std::panic::catch_unwind(|| codegen::generate(&text, &options));
    match outcome {
        Err(_) => panic!("{name}: the generator panicked"),
        Ok(Ok(_)) => panic!("{name}: generated, but the spec is broken"),
        Ok(Err(diags)) => {
            assert!(!diags.is_empty(), "{name}: rejected without a diagnostic");
            assert!(diags.iter().any(|d| d.is_error()), "{name}: rejected without an error");
            diags
        }
    }
}

fn check(name: &str) {
    let rendered: Vec<String> = reject(name).iter().map(ToString::to_string).collect();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name.to_string(), rendered.join("\n")));
}

#[test]
fn every_bad_fixture_is_tested() {
    let dir = xtask::root().join("tests/fixtures");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/fixtures is readable")
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter_map(|n| n.strip_prefix("bad_").and_then(|n| n.strip_suffix(".yaml")).map(|n| format!("bad_{n}")))
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, BAD_FIXTURES, "list each bad fixture in BAD_FIXTURES");
}

#[test]
fn allof_itself() {
    check("bad_allof_itself");
}

#[test]
fn dangling_ref() {
    check("bad_dangling_ref");
}

#[test]
fn duplicate_operation_ids() {
    check("bad_duplicate_operation_ids");
}

#[test]
fn invalid_yaml() {
    check("bad_invalid_yaml");
}

#[test]
fn missing_path_param() {
    check("bad_missing_path_param");
}

#[test]
fn openapi31() {
    check("bad_openapi31");
}

#[test]
fn swagger2() {
    check("bad_swagger2");
}

#[test]
fn type_typo() {
    check("bad_type_typo");
}

#[test]
fn several() {
    check("bad_several");
}

/// All the problems of a spec come back together, not one per run.
#[test]
fn several_problems_are_reported_at_once() {
    let diags = reject("bad_several");
    let errors: Vec<String> = diags.iter().filter(|d| d.is_error()).map(|d| d.pointer.clone()).collect();
    for expected in [
        "#/paths/~1things~1{id}/get/parameters",
        "#/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/$ref",
        // the second use of the operationId, in document order
        "#/paths/~1others/get/operationId",
        "#/components/schemas/Thing/properties/count/type",
        "#/components/schemas/Thing/properties/owner/$ref",
    ] {
        assert!(errors.iter().any(|p| p == expected), "no error at {expected}; got {errors:#?}");
    }
    let warnings: Vec<&str> = diags.iter().filter(|d| !d.is_error()).map(|d| d.pointer.as_str()).collect();
    assert!(warnings.contains(&"#/components/schemas/Thing/required/0"), "{warnings:?}");
}

/// Every diagnostic of a bad fixture that points into the document has a line.
#[test]
fn diagnostics_have_lines() {
    for name in BAD_FIXTURES {
        for d in reject(name) {
            assert!(d.line.is_some(), "{name}: no line for {d}");
        }
    }
}
