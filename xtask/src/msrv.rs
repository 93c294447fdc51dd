//! The `rust-version` the shipped crates declare is one that is checked.
//!
//! The workspace declares it once (`[workspace.package] rust-version`);
//! `client-runtime`, `powens` and `finapi` inherit it, so it is in their
//! published manifests. What needs it today: the generated code's
//! `use super::super as root;` (a `super` path renamed in a `use`,
//! accepted from Rust 1.95; 1.94 refuses it), and the locked dependencies
//! (1.88 at least).
//!
//! In `cargo xtask test` the check costs nothing when the toolchain running
//! the tests is the declared one: every build, test, clippy and package
//! verification of the run is then made with it. When the two differ (the
//! machine's stable moved on), the step builds the shipped crates with the
//! declared toolchain (installed with rustup when missing), as `cargo xtask
//! msrv` always does.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::package::SHIPPED;

/// The `rust-version` of a manifest's `[workspace.package]` (or of its
/// `[package]`).
pub fn declared(manifest: &str) -> Option<String> {
    manifest.lines().find_map(|l| l.trim().strip_prefix("rust-version = \"").map(|v| v.trim_end_matches('"').to_owned()))
}

/// `1.95.0` from `rustc 1.95.0 (59807616e 2026-..)`.
pub fn rustc_release(version_line: &str) -> Option<String> {
    version_line.split_whitespace().nth(1).map(|v| v.split('-').next().unwrap_or(v).to_owned())
}

/// Whether release `x.y.z` is the declared `x.y` (or `x.y.z`).
pub fn same_release(release: &str, declared: &str) -> bool {
    let cut = |v: &str| v.split('.').take(declared.split('.').count()).collect::<Vec<_>>().join(".");
    cut(release) == declared
}

/// The shipped crates declare the workspace's rust-version (inherit it).
pub fn check_manifests(root: &Path) -> Result<String, String> {
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("Cargo.toml: {e}"))?;
    let version = declared(&workspace).ok_or("Cargo.toml's [workspace.package] declares no rust-version")?;
    for krate in SHIPPED {
        let dir = crate::package::dir(krate);
        let manifest = std::fs::read_to_string(root.join(dir).join("Cargo.toml")).map_err(|e| format!("{dir}/Cargo.toml: {e}"))?;
        if !manifest.lines().any(|l| l.trim() == "rust-version.workspace = true") {
            return Err(format!("{dir}/Cargo.toml does not declare the workspace's rust-version ({version}): add `rust-version.workspace = true`"));
        }
    }
    Ok(version)
}

/// The rustc release of the toolchain `cargo` belongs to.
fn running_release(cargo: &Path) -> Result<String, String> {
    let rustc = cargo.parent().map(|d| d.join("rustc")).filter(|p| p.exists()).unwrap_or_else(|| PathBuf::from("rustc"));
    let line = crate::run_quiet(Command::new(rustc).arg("--version"))?;
    rustc_release(&line).ok_or_else(|| format!("rustc --version: {line}"))
}

/// The step of `cargo xtask test`: nothing to build when the run's
/// toolchain is the declared one, else [`check`].
pub fn step(root: &Path, cargo: &Path) -> Result<(), String> {
    let version = check_manifests(root)?;
    let running = running_release(cargo)?;
    if same_release(&running, &version) {
        println!("the shipped crates declare rust-version {version}, and this run's toolchain is {running}: every build of the run checks it");
        return Ok(());
    }
    println!("this run's toolchain is {running}, the shipped crates declare {version}: building them with {version}");
    check(root)
}

/// `cargo xtask msrv`: the shipped crates (all features) type-check with
/// the declared toolchain, installed with rustup when missing, against the
/// locked dependencies, in `target/msrv`.
pub fn check(root: &Path) -> Result<(), String> {
    let version = check_manifests(root)?;
    let toolchain = toolchain(&version)?;
    let mut build = Command::new("rustup");
    build.args(["run", &toolchain, "cargo", "check", "--locked", "--all-features", "--message-format", "short"]);
    for krate in SHIPPED {
        build.args(["-p", krate]);
    }
    build.current_dir(root).env("CARGO_TARGET_DIR", root.join("target/msrv")).env_remove("RUSTUP_TOOLCHAIN");
    for (key, _) in std::env::vars_os() {
        // the outer cargo's variables must not reach the build
        if key.to_str().is_some_and(|k| k.starts_with("CARGO") && k != "CARGO_HOME") {
            build.env_remove(key);
        }
    }
    build.env("CARGO_TARGET_DIR", root.join("target/msrv"));
    println!("==> {build:?}");
    let start = std::time::Instant::now();
    let out = build.output().map_err(|e| format!("rustup: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        // the errors (short format: one line each), not the build's progress
        let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
        let shown = if errors.is_empty() { stderr.lines().collect() } else { errors };
        return Err(format!(
            "{} do not build with Rust {version}, the rust-version they declare (raise it, or make them build with {version}):\n{}{}",
            SHIPPED.join(", "),
            shown.iter().take(30).copied().collect::<Vec<_>>().join("\n"),
            if shown.len() > 30 { format!("\n... and {} more", shown.len() - 30) } else { String::new() }
        ));
    }
    println!("{} build with Rust {version} ({toolchain}) in {:.0} s", SHIPPED.join(", "), start.elapsed().as_secs_f64());
    Ok(())
}

/// The name of an installed toolchain of release `version` (`1.95.0-x86_64-..`
/// for `1.95`), installed with `rustup toolchain install --profile minimal`
/// when there is none.
fn toolchain(version: &str) -> Result<String, String> {
    let list = crate::run_quiet(Command::new("rustup").args(["toolchain", "list"]))?;
    let installed = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .find(|name| name.starts_with(&format!("{version}-")) || name.starts_with(&format!("{version}.")));
    if let Some(name) = installed {
        return Ok(name.to_owned());
    }
    println!("==> rustup toolchain install {version} --profile minimal");
    let out = Command::new("rustup").args(["toolchain", "install", version, "--profile", "minimal"]).output().map_err(|e| format!("rustup: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cannot install Rust {version} (the declared rust-version) with rustup, so it is not checked:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(version.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_read_and_compare_as_declared() {
        assert_eq!(declared("[workspace.package]\nedition = \"2021\"\nrust-version = \"1.95\"\n").as_deref(), Some("1.95"));
        assert_eq!(declared("[package]\nname = \"x\"\n"), None);
        assert_eq!(rustc_release("rustc 1.95.0 (59807616e 2026-04-14)").as_deref(), Some("1.95.0"));
        assert_eq!(rustc_release("rustc 1.96.0-nightly (abc 2026-05-01)").as_deref(), Some("1.96.0"));
        assert!(same_release("1.95.0", "1.95") && same_release("1.95.2", "1.95") && same_release("1.95.2", "1.95.2"));
        assert!(!same_release("1.96.0", "1.95") && !same_release("1.95.1", "1.95.2") && !same_release("1.9.0", "1.95"));
    }

    /// The repository's own manifests: declared once, inherited by each
    /// shipped crate.
    #[test]
    fn the_shipped_crates_declare_the_workspace_rust_version() {
        let version = check_manifests(&crate::root()).unwrap();
        assert!(version.split('.').all(|n| n.parse::<u32>().is_ok()), "{version}");
    }
}
