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

/// A copy of the specs and fixtures in a fresh directory, as a repository
/// root for `xtask::codegen`.
fn scratch_root(name: &str) -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("freshness-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for dir in ["spec", "tests/fixtures"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
        for entry in std::fs::read_dir(xtask::root().join(dir)).unwrap().flatten() {
            if entry.path().extension().is_some_and(|x| x == "yaml") {
                std::fs::copy(entry.path(), root.join(dir).join(entry.file_name())).unwrap();
            }
        }
    }
    root
}

/// The check notices each kind of drift, and a write repairs it: a file
/// changed by hand (stale), a file deleted (missing), a file the generator
/// does not write (orphaned).
#[test]
fn the_freshness_check_notices_stale_missing_and_orphaned_files() {
    let root = scratch_root("drift");
    let first = xtask::codegen(&root, false).unwrap();
    assert!(first.missing.len() > 100, "everything is written the first time");
    assert!(xtask::codegen(&root, true).unwrap().is_clean(), "clean after a write");

    let generated = root.join("generated-client/powens/src/generated");
    let edited = generated.join("models/account.rs");
    let deleted = generated.join("models/transaction.rs");
    let orphan = generated.join("models/left_over.rs");
    std::fs::write(&edited, std::fs::read_to_string(&edited).unwrap() + "\n// edited by hand\n").unwrap();
    std::fs::remove_file(&deleted).unwrap();
    std::fs::write(&orphan, "// no schema makes this any more\n").unwrap();

    let report = xtask::codegen(&root, true).unwrap();
    assert!(!report.is_clean());
    assert_eq!(report.stale, std::slice::from_ref(&edited));
    assert_eq!(report.missing, std::slice::from_ref(&deleted));
    assert_eq!(report.orphaned, std::slice::from_ref(&orphan));
    let described = report.describe();
    for (kind, path) in [("stale", &edited), ("missing", &deleted), ("orphaned", &orphan)] {
        assert!(described.contains(&format!("{kind}: {}", path.display())), "{described}");
    }
    assert!(!deleted.exists() && orphan.exists(), "--check changes nothing");

    xtask::codegen(&root, false).unwrap();
    assert!(xtask::codegen(&root, true).unwrap().is_clean(), "a write repairs it");
    assert!(deleted.exists() && !orphan.exists());
    let _ = std::fs::remove_dir_all(&root);
}

/// `cargo xtask generate` makes a crate that builds on its own.
#[test]
fn a_generated_standalone_crate_builds() {
    let root = xtask::root();
    let out = std::env::temp_dir().join(format!("generate-crate-{}", std::process::id()));
    let warnings = xtask::generate_crate(&root.join("tests/fixtures/real_world.yaml"), &out, "real_world_client").unwrap();
    assert!(!warnings.is_empty(), "the real_world fixture has known defects");
    // the workspace's versions, so the build needs no new resolution
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let status = std::process::Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/generate-check"))
        .status()
        .unwrap();
    assert!(status.success(), "the crate generated in {} does not build", out.display());
    let _ = std::fs::remove_dir_all(&out);
}
