//! The crates that ship (`client-runtime`, `powens`, `finapi`) package and
//! verify as a registry user builds them, and their packages hold what an
//! application builds and nothing else: no spec, no fixture, no snapshot.

use std::path::Path;
use std::process::Command;

/// The crates published to a registry, the runtime first (the others
/// depend on it by version).
pub const SHIPPED: &[&str] = &["client-runtime", "powens", "finapi"];

/// The directory of a shipped crate, from the repository root.
pub fn dir(krate: &str) -> &'static str {
    match krate {
        "client-runtime" => "generated-client/runtime",
        "powens" => "generated-client/powens",
        "finapi" => "generated-client/finapi",
        _ => "",
    }
}

/// Whether a file of a package's listing (`cargo package --list`) belongs in
/// it: the sources, the examples and the runtime's own tests, the manifest
/// and what cargo adds, the README and the changelog. Never a fixture, a
/// snapshot or a spec, wherever it sits.
pub fn allowed(file: &str) -> bool {
    let forbidden = file.contains("fixtures/")
        || file.contains("snapshots/")
        || [".snap", ".snap.new", ".pending-snap", ".yaml", ".yml", ".json"].iter().any(|end| file.ends_with(end));
    let top = [".cargo_vcs_info.json", "Cargo.toml", "Cargo.toml.orig", "Cargo.lock", "README.md", "CHANGELOG.md"];
    let place = top.contains(&file)
        || (file.ends_with(".rs") && ["src/", "examples/", "tests/"].iter().any(|dir| file.starts_with(dir)));
    file == ".cargo_vcs_info.json" || (place && !forbidden)
}

/// The files of `listing` that do not belong in the package of `krate`.
pub fn check_listing(krate: &str, listing: &str) -> Result<(), String> {
    let wrong: Vec<&str> = listing.lines().map(str::trim).filter(|f| !f.is_empty() && !allowed(f)).collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the package of `{krate}` holds files an application does not build (fix `include` in its Cargo.toml):\n  {}",
            wrong.join("\n  ")
        ))
    }
}

/// `cargo package --list` for each shipped crate, checked, then `cargo
/// package` of all three, which builds each from its packaged files, the
/// others resolved from a local registry of the packages (as a registry
/// user would). `--allow-dirty`: what is checked is the manifests and the
/// files, not whether the work is committed.
pub fn check(root: &Path, cargo: &Path) -> Result<(), String> {
    for krate in SHIPPED {
        let out = Command::new(cargo)
            .args(["package", "--list", "--allow-dirty", "-p", krate])
            .current_dir(root)
            .output()
            .map_err(|e| format!("cargo package --list: {e}"))?;
        if !out.status.success() {
            return Err(format!("cargo package --list -p {krate} failed:\n{}", String::from_utf8_lossy(&out.stderr)));
        }
        check_listing(krate, &String::from_utf8_lossy(&out.stdout))?;
        let warnings: Vec<&str> = std::str::from_utf8(&out.stderr).unwrap_or_default().lines().filter(|l| l.starts_with("warning")).collect();
        if !warnings.is_empty() {
            return Err(format!("cargo package -p {krate} warns (metadata or include missing?):\n{}", warnings.join("\n")));
        }
    }
    let mut package = Command::new(cargo);
    package.args(["package", "--allow-dirty"]);
    for krate in SHIPPED {
        package.args(["-p", krate]);
    }
    println!("==> {package:?}");
    let out = package.current_dir(root).output().map_err(|e| format!("cargo package: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprint!("{stderr}");
    if !out.status.success() {
        return Err(format!("cargo package of {} failed ({})", SHIPPED.join(", "), out.status));
    }
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning")).collect();
    if warnings.is_empty() {
        Ok(())
    } else {
        Err(format!("cargo package warns (metadata or `include` to fix):\n{}", warnings.join("\n")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_examples_and_the_manifest_belong_and_fixtures_and_snapshots_never_do() {
        for file in ["src/lib.rs", "src/generated/models/account.rs", "examples/first_program.rs", "tests/http.rs", "Cargo.toml", "Cargo.toml.orig", "Cargo.lock", "README.md", "CHANGELOG.md", ".cargo_vcs_info.json"] {
            assert!(allowed(file), "{file}");
        }
        for file in [
            "tests/fixtures/enums.yaml",
            "src/fixtures/enums/mod.rs",
            "tests/snapshots/it__enums.snap",
            "src/snapshots/x.rs",
            "spec/powens.yaml",
            "src/data.json",
            "build.rs",
            "benches/x.rs",
            "notes.txt",
        ] {
            assert!(!allowed(file), "{file}");
        }
        let error = check_listing("powens", "Cargo.toml\nsrc/lib.rs\ntests/snapshots/a.snap\n").unwrap_err();
        assert!(error.contains("`powens`") && error.contains("tests/snapshots/a.snap") && !error.contains("src/lib.rs"), "{error}");
        assert!(check_listing("powens", "Cargo.toml\nsrc/lib.rs\n").is_ok());
    }
}
