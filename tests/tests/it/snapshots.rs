//! Every good fixture spec (`tests/fixtures/*.yaml`, not `bad_*`): each
//! generated file is an insta snapshot named `<fixture>__<path with / as __>`,
//! and the warnings are one more (`<fixture>__warnings`). The same output is
//! compiled by the `tests` crate (`src/fixtures/`), so a snapshot is both
//! read in review and known to build. The project's own specs have no
//! warnings at all.
//!
//! Accept changes with `INSTA_UPDATE=always cargo test -p tests --test it snapshots`
//! (`cargo xtask test` never writes or accepts snapshots, whatever the
//! environment says)
//! after reading the diff.

use std::collections::BTreeSet;
use std::path::PathBuf;

fn root() -> PathBuf {
    xtask::root()
}

/// Generates from a spec file and the files its `$ref`s name.
fn generate(spec: &str, label: &str) -> codegen::Generated {
    let path = root().join(spec);
    let dir = path.parent().expect("a directory").to_path_buf();
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).map_err(|e| e.to_string());
    let name = path.file_name().and_then(|n| n.to_str()).expect("a file name");
    codegen::generate_files(name, &read, &codegen::Options { spec_label: label.to_string() }).unwrap_or_else(|diags| {
        let list: Vec<String> = diags.iter().map(ToString::to_string).collect();
        panic!("{spec} does not generate:\n{}", list.join("\n"))
    })
}

fn warnings(generated: &codegen::Generated) -> String {
    let lines: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    if lines.is_empty() {
        "(no warnings)".into()
    } else {
        lines.join("\n")
    }
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// The snapshot name of one generated file of a fixture.
fn snapshot_name(fixture: &str, path: &str) -> String {
    format!("{fixture}__{}", path.replace('/', "__"))
}

/// A fixture's spec file: `tests/fixtures/<name>.yaml`, or the root of a
/// spec split across files, `tests/fixtures/<name>/api.yaml`.
fn fixture_label(fixture: &str) -> String {
    let split = format!("tests/fixtures/{fixture}/api.yaml");
    if root().join(&split).exists() {
        split
    } else {
        format!("tests/fixtures/{fixture}.yaml")
    }
}

fn check_fixture(fixture: &str) {
    let label = fixture_label(fixture);
    let generated = generate(&label, &label);
    settings().bind(|| {
        for (path, text) in &generated.files {
            insta::assert_snapshot!(snapshot_name(fixture, path), text);
        }
        insta::assert_snapshot!(format!("{fixture}__warnings"), warnings(&generated));
    });
}

/// The good fixtures on disk (`tests/fixtures/*.yaml` but `bad_*`): every one
/// is checked, by construction, not from a list to keep in step.
pub fn good_fixtures() -> Vec<String> {
    xtask::fixture_specs(&root())
        .expect("tests/fixtures is readable")
        .iter()
        .map(|p| xtask::fixture_name(p))
        .collect()
}

/// Every good fixture's files and warnings match their snapshots; all the
/// fixtures are checked and all the mismatches reported together.
#[test]
fn every_fixture_matches_its_snapshots() {
    let fixtures = good_fixtures();
    assert!(fixtures.len() >= 13, "{fixtures:?}");
    let failed: Vec<&String> = fixtures
        .iter()
        .filter(|fixture| std::panic::catch_unwind(|| check_fixture(fixture)).is_err())
        .collect();
    assert!(failed.is_empty(), "snapshots differ for {failed:?} (diffs above)");
}

/// A snapshot whose file the generator no longer writes would never be
/// checked again: fail so it gets deleted.
#[test]
fn no_orphaned_snapshots() {
    let mut expected: BTreeSet<String> = BTreeSet::new();
    for fixture in &good_fixtures() {
        let label = fixture_label(fixture);
        for path in generate(&label, &label).files.keys() {
            expected.insert(format!("{}.snap", snapshot_name(fixture, path)));
        }
        expected.insert(format!("{fixture}__warnings.snap"));
    }
    for bad in super::diagnostics::bad_fixtures() {
        expected.insert(format!("{bad}.snap"));
    }
    let dir = root().join("tests/tests/it/snapshots");
    let on_disk: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().filter_map(|e| e.file_name().to_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let orphans: Vec<&String> =
        on_disk.iter().filter(|name| name.ends_with(".snap") && !expected.contains(name.as_str())).collect();
    assert!(orphans.is_empty(), "snapshots no test writes any more (delete them): {orphans:?}");
}

/// A spec's warnings.
fn spec_warnings(spec: &str) -> String {
    warnings(&generate(spec, spec))
}

/// A spec split across files generates the crate its bundled form
/// (`redocly bundle`'s output, committed) generates, file for file.
#[test]
fn a_split_spec_generates_what_its_bundle_generates() {
    let split = generate("tests/fixtures/multi_file/api.yaml", "x");
    let bundled = generate("tests/fixtures/multi_file_bundled.yaml", "x");
    assert_eq!(split.files.keys().collect::<Vec<_>>(), bundled.files.keys().collect::<Vec<_>>());
    for (path, text) in &split.files {
        assert_eq!(text, &bundled.files[path], "{path} differs");
    }
    assert!(split.files.contains_key("models/team.rs") && split.files.contains_key("models/user.rs"));
}

/// The project's own specs generate without a single warning, so a new
/// one stands out: fix the spec, or acknowledge the warning at its place
/// (`x-acknowledged`, see spec/CONVENTIONS.md).
#[test]
fn the_projects_specs_have_no_warnings() {
    for spec in ["spec/powens.yaml", "spec/finapi.yaml"] {
        assert_eq!(spec_warnings(spec), "(no warnings)", "{spec}");
    }
}

/// Review tools collapse long files: an operations file over the limit is
/// split into one file per operation, and no other file gets that long.
#[test]
fn no_generated_file_is_too_long() {
    for spec in ["spec/powens.yaml", "spec/finapi.yaml"] {
        for (path, text) in generate(spec, spec).files {
            let lines = text.lines().count();
            assert!(lines <= codegen::MAX_FILE_LINES, "{spec}: {path} has {lines} lines");
        }
    }
}
