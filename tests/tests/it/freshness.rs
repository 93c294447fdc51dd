//! The checked-in clients are what the specs generate (the rust-analyzer
//! pattern: a plain test fails on stale code and names the fix).

#[test]
fn generated_code_is_fresh() {
    let root = xtask::root();
    let report = xtask::codegen(&root, true).expect("the specs generate");
    assert!(
        report.is_clean(),
        "generated code is out of date:\n{}run `{}` and commit the result",
        report.describe(),
        xtask::FIX_COMMAND
    );
}

#[test]
fn generation_is_deterministic() {
    let root = xtask::root();
    let first = xtask::plan(&root).expect("the specs generate").0;
    let second = xtask::plan(&root).expect("the specs generate").0;
    assert_eq!(first.len(), second.len());
    for (path, text) in &first {
        assert!(second.get(path) == Some(text), "{} differs between two runs", path.display());
    }
}

/// What the generator writes as text, to spare prettyplease the work, is
/// what prettyplease would have written: every file comes back unchanged.
#[test]
fn generated_code_is_in_prettyplease_layout() {
    let root = xtask::root();
    let files = xtask::plan(&root).expect("the specs generate").0;
    // the list of fixture modules is written by xtask, not by the generator
    let listing = root.join("tests/src/fixtures/mod.rs");
    for (path, text) in files.iter().filter(|(path, _)| **path != listing) {
        let again = codegen::reformat(text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(&again == text, "{} is not as prettyplease writes it", path.display());
    }
}
