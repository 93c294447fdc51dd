//! Broken specs (`tests/fixtures/bad_*.yaml`): each one is rejected with
//! diagnostics, never a panic and never `Ok`, and the rendered messages
//! (pointer, line, message) are one insta snapshot per fixture.

use std::path::PathBuf;

/// The bad fixtures on disk (`tests/fixtures/bad_*.yaml`), by file stem:
/// every one is checked, by construction.
pub fn bad_fixtures() -> Vec<String> {
    let dir = xtask::root().join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/fixtures is readable")
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter_map(|n| n.strip_suffix(".yaml").or(Some(n.as_str()).filter(|n| dir.join(n).join("api.yaml").exists())).filter(|n| n.starts_with("bad_")).map(str::to_string))
        .collect();
    names.sort();
    names
}

/// A bad fixture's spec file (the root `api.yaml` of a split one).
fn fixture(name: &str) -> PathBuf {
    let split = xtask::root().join("tests/fixtures").join(name).join("api.yaml");
    if split.exists() {
        split
    } else {
        xtask::root().join("tests/fixtures").join(format!("{name}.yaml"))
    }
}

/// The diagnostics of a bad fixture, which must be rejected without a panic.
fn reject(name: &str) -> Vec<codegen::diagnostics::Diagnostic> {
    let path = fixture(name);
    let dir = path.parent().expect("a directory").to_path_buf();
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).map_err(|e| e.to_string());
    let file = path.file_name().and_then(|n| n.to_str()).expect("a file name").to_owned();
    let options = codegen::Options { spec_label: format!("tests/fixtures/{name}.yaml") };
    let outcome = std::panic::catch_unwind(|| codegen::generate_files(&file, &read, &options));
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

/// Every bad fixture is rejected, and its rendered diagnostics match its
/// snapshot; all are checked and the mismatches reported together.
#[test]
fn every_bad_fixture_is_rejected_as_its_snapshot_says() {
    let fixtures = bad_fixtures();
    assert!(fixtures.len() >= 9, "{fixtures:?}");
    let failed: Vec<&String> = fixtures.iter().filter(|name| std::panic::catch_unwind(|| check(name)).is_err()).collect();
    assert!(failed.is_empty(), "{failed:?} (details above)");
}

/// A second check besides the snapshots: every diagnostic points at a
/// place of the document, or just under one (a key that should be there).
#[test]
fn diagnostics_point_into_the_document() {
    for name in bad_fixtures() {
        let root = fixture(&name);
        for d in reject(&name) {
            // `file.yaml#/a/b` points into another file of a split spec
            let (file, pointer) = match d.pointer.split_once('#') {
                Some((file, pointer)) if !file.is_empty() => (root.with_file_name(file), pointer.to_owned()),
                _ => (root.clone(), d.pointer.trim_start_matches('#').to_owned()),
            };
            let Ok(text) = std::fs::read_to_string(&file) else { continue };
            let Ok(document) = serde_yaml::from_str::<serde_json::Value>(&text) else { continue };
            let pointer = pointer.as_str();
            let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
            assert!(
                document.pointer(pointer).is_some() || document.pointer(parent).is_some(),
                "{name}: `{}` points nowhere in the document",
                d.pointer
            );
        }
    }
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
    for name in bad_fixtures() {
        for d in reject(&name) {
            assert!(d.line.is_some(), "{name}: no line for {d}");
        }
    }
}
