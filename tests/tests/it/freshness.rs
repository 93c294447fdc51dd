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
