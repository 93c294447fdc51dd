//! The generator as a tool: `client-gen` installed with `cargo install`, run
//! outside any checkout (`cargo xtask tool`), and the build.rs example of
//! `codegen/examples/build_rs` (`cargo xtask build-rs`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

/// The README's install command.
pub const INSTALL: &str = "cargo install --path xtask --bin client-gen --locked";

/// Where the build.rs example lives, in the checkout.
pub const BUILD_RS_EXAMPLE: &str = "codegen/examples/build_rs";

/// Two versions of a small spec: the second adds an optional field (additive)
/// and makes `limit` required (breaking).
const OLD_SPEC: &str = "openapi: 3.0.3
info: {title: Shop, version: '1'}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: The items.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      type: object
      required: [id]
      properties:
        id: {type: integer}
";

/// `cargo xtask tool`: installs `client-gen` as the README says, from a copy
/// of the checkout's files that is deleted before the binary runs (so it
/// cannot read the checkout it was built from), then, in a temporary
/// directory with paths relative to it: `--help`, an unknown option, and
/// `api-diff` on two versions of a small spec; last, the crate it generates
/// from spec/finapi.yaml builds outside the checkout against the packaged
/// runtime in a local registry ([`crate::standalone::check`]).
pub fn check(root: &Path, cargo: &Path) -> Result<(), String> {
    let work = std::env::temp_dir().join("client-gen-tool-check");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let result = check_in(root, cargo, &work);
    if result.is_ok() {
        let _ = fs::remove_dir_all(&work);
    } else {
        eprintln!("(left {} for a look)", work.display());
    }
    result
}

fn check_in(root: &Path, cargo: &Path, work: &Path) -> Result<(), String> {
    let binary = install(root, cargo, work)?;
    let run_dir = work.join("run");
    fs::create_dir_all(run_dir.join("specs")).map_err(|e| e.to_string())?;
    let run = |args: &[&str]| -> Result<Output, String> {
        Command::new(&binary).args(args).current_dir(&run_dir).output().map_err(|e| format!("{}: {e}", binary.display()))
    };
    let text = |out: &Output| format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));

    let help = run(&["--help"])?;
    if !help.status.success() || !text(&help).contains("client-gen generate --spec FILE --out DIR") || !text(&help).contains("client-gen api-diff --old") {
        return Err(format!("`client-gen --help` does not show the usage:\n{}", text(&help)));
    }
    let unknown = run(&["generate", "--spec", "a.yaml", "--outt", "x"])?;
    if unknown.status.success() || !text(&unknown).contains("has no option `--outt` (did you mean `--out`?)") || !text(&unknown).contains("usage:") {
        return Err(format!("`client-gen generate --outt` is not refused with the usage:\n{}", text(&unknown)));
    }
    println!("client-gen: --help shows the usage, an unknown option is refused with it");

    // api-diff on two versions of a small spec, by paths relative to the
    // current directory
    let new_spec = OLD_SPEC
        .replace("{name: limit, in: query, schema", "{name: limit, in: query, required: true, schema")
        .replace("        id: {type: integer}\n", "        id: {type: integer}\n        name: {type: string}\n");
    fs::write(run_dir.join("specs/v1.yaml"), OLD_SPEC).map_err(|e| e.to_string())?;
    fs::write(run_dir.join("specs/v2.yaml"), &new_spec).map_err(|e| e.to_string())?;
    let diff = run(&["api-diff", "--old", "specs/v1.yaml", "--new", "specs/v2.yaml", "--current-version", "1.2.3"])?;
    let report = text(&diff);
    // the breaking change (limit required) and the additive one (a field),
    // however api-diff groups the items they touch into lines
    let breaking = report.lines().find(|l| l.starts_with("**API changes**")).is_some_and(|l| !l.contains(" 0 breaking") && l.contains(" 1 additive"));
    let named = report.contains("`Client::list_items`") && report.contains("limit") && report.contains("field `name` added");
    if !diff.status.success() || !breaking || !named || !report.contains("next version 2.0.0 (now 1.2.3)") {
        return Err(format!("`client-gen api-diff` gave an unexpected report:\n{report}"));
    }
    let same = run(&["api-diff", "--old", "specs/v1.yaml", "--new", "specs/v1.yaml", "--format", "json", "--fail-on", "breaking"])?;
    let json: serde_json::Value = serde_json::from_slice(&same.stdout).map_err(|e| format!("api-diff --format json: {e}: {}", text(&same)))?;
    if !same.status.success() || json["next"] != "0.1.0" || json["changes"] != serde_json::json!([]) {
        return Err(format!("`client-gen api-diff` of a spec with itself: {json}"));
    }
    let gate = run(&["api-diff", "--old", "specs/v1.yaml", "--new", "specs/v2.yaml", "--fail-on", "breaking"])?;
    if gate.status.code() != Some(1) {
        return Err(format!("`client-gen api-diff --fail-on breaking` on a breaking change exits with {:?}", gate.status.code()));
    }
    println!("client-gen api-diff: the breaking change (limit required) and the additive one (a field) found, next version 2.0.0, --fail-on breaking exits with 1");

    // the crate it makes builds outside the checkout, the runtime from a registry
    let generate = |out: &Path| -> Result<(), String> {
        let dir = out.parent().ok_or("no directory above the crate")?;
        fs::create_dir_all(dir.join("specs")).map_err(|e| e.to_string())?;
        fs::copy(root.join("spec/finapi.yaml"), dir.join("specs/finapi.yaml")).map_err(|e| e.to_string())?;
        let name = out.file_name().and_then(|n| n.to_str()).ok_or("the crate's directory has no name")?;
        let made = Command::new(&binary)
            .args(["generate", "--spec", "specs/finapi.yaml", "--out", name, "--name", "finapi_standalone"])
            .current_dir(dir)
            .output()
            .map_err(|e| e.to_string())?;
        if !made.status.success() || !out.join("Cargo.toml").exists() {
            return Err(format!("client-gen generate failed:\n{}", text(&made)));
        }
        println!("{}", String::from_utf8_lossy(&made.stdout).trim());
        Ok(())
    };
    crate::standalone::check(root, cargo, &generate)
}

/// Copies the checkout's files (tracked and untracked, not ignored: no
/// `target/`) into `work/src` (modification times kept, so a later run with
/// the same files builds nothing), installs `client-gen` from there into
/// `work/bin` with the README's command (offline; the build's target is
/// `target/client-gen-install` of the checkout, kept between runs), deletes
/// the copy, and returns the binary's path.
fn install(root: &Path, cargo: &Path, work: &Path) -> Result<PathBuf, String> {
    let copy = work.join("src");
    fs::create_dir_all(&copy).map_err(|e| e.to_string())?;
    let script = format!(
        "git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C {:?}",
        copy.display().to_string()
    );
    crate::run_quiet(Command::new("sh").args(["-c", &script]).current_dir(root))?;
    if !copy.join("xtask/Cargo.toml").exists() {
        return Err(format!("the copy of the checkout in {} has no xtask/Cargo.toml", copy.display()));
    }
    let mut install = Command::new(cargo);
    install.args(INSTALL.split(' ').skip(1).map(|arg| if arg == "xtask" { copy.join("xtask").into_os_string() } else { arg.into() }));
    install.arg("--root").arg(work).arg("--offline").current_dir(work).env("CARGO_TARGET_DIR", root.join("target/client-gen-install"));
    clean_env(&mut install);
    println!("==> {install:?}");
    let start = Instant::now();
    let out = install.output().map_err(|e| format!("cargo install: {e}"))?;
    if !out.status.success() {
        return Err(format!("cargo install of client-gen failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    println!("installed client-gen in {:.1} s", start.elapsed().as_secs_f64());
    fs::remove_dir_all(&copy).map_err(|e| format!("{}: {e}", copy.display()))?;
    Ok(work.join("bin/client-gen"))
}

/// What `cargo xtask` runs under (`CARGO_PKG_*`, `CARGO_MANIFEST_DIR`, ...)
/// must not reach the builds it starts.
fn clean_env(cmd: &mut Command) {
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(|k| k.starts_with("CARGO_") && k != "CARGO_HOME" && k != "CARGO_TARGET_DIR") {
            cmd.env_remove(key);
        }
    }
}

/// `cargo xtask build-rs`: the build.rs example builds and its tests pass
/// (`cargo test --all-features`, offline, no warning), in place, with the
/// workspace's Cargo.lock (copied beside it, ignored by git) and target
/// directory, so its dependencies are the workspace's and build once.
pub fn check_build_rs(root: &Path, cargo: &Path) -> Result<(), String> {
    let example = root.join(BUILD_RS_EXAMPLE);
    fs::copy(root.join("Cargo.lock"), example.join("Cargo.lock")).map_err(|e| format!("{}: {e}", example.display()))?;
    let mut test = Command::new(cargo);
    test.args(["test", "--offline", "--all-features", "--message-format", "short"])
        .current_dir(&example)
        .env("CARGO_TARGET_DIR", root.join("target"));
    clean_env(&mut test);
    println!("==> {test:?} in {}", example.display());
    let out = test.output().map_err(|e| format!("cargo test: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("the build.rs example does not build or its tests fail:\n{stderr}{}", String::from_utf8_lossy(&out.stdout)));
    }
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    if !warnings.is_empty() {
        return Err(format!("the build.rs example builds with warnings:\n{}", warnings.join("\n")));
    }
    let passed = String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.starts_with("test result: ok")).count();
    println!("the build.rs example builds, {passed} test binaries pass");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readme() -> String {
        fs::read_to_string(crate::root().join("README.md")).unwrap()
    }

    #[test]
    fn the_readme_shows_the_install_command() {
        assert!(readme().contains(&format!("\n{INSTALL}")), "README.md should show `{INSTALL}`");
    }

    /// The README shows the example's build.rs and lib.rs word for word, and
    /// its Cargo.toml's dependency lines.
    #[test]
    fn the_readme_shows_the_build_rs_example_as_tested() {
        let readme = readme();
        let example = crate::root().join(BUILD_RS_EXAMPLE);
        for file in ["build.rs", "src/lib.rs"] {
            let text = fs::read_to_string(example.join(file)).unwrap();
            // up to the tests of lib.rs
            let shown = text.split("\n#[cfg(test)]").next().unwrap();
            assert!(readme.contains(shown), "README.md must show {BUILD_RS_EXAMPLE}/{file} word for word:\n{shown}");
        }
        let manifest = fs::read_to_string(example.join("Cargo.toml")).unwrap();
        for line in ["[build-dependencies]", "[dependencies]", "serde = { version = \"1\", features = [\"derive\"] }"] {
            assert!(manifest.contains(line) && readme.contains(line), "{line}");
        }
    }

    /// The build.rs section's `client-runtime = "x.y"` takes the runtime's
    /// version (the example itself builds against the checkout's runtime).
    #[test]
    fn the_readme_build_rs_lines_name_the_runtime_by_its_version() {
        let readme = readme();
        let section = readme.split("### A client generated at build time: build.rs").nth(1).unwrap();
        let requirement = section.lines().find_map(|l| l.strip_prefix("client-runtime = \"")).and_then(|r| r.split('"').next()).unwrap();
        assert_eq!(
            crate::runtime_api::compatible_range(requirement),
            crate::runtime_api::compatible_range(crate::RUNTIME_VERSION),
            "README.md's build.rs section says `client-runtime = \"{requirement}\"`, the runtime is {}",
            crate::RUNTIME_VERSION
        );
        // and the runtime's own README, shown on its registry page
        let own = fs::read_to_string(crate::root().join("generated-client/runtime/README.md")).unwrap();
        let requirement = own.lines().find_map(|l| l.strip_prefix("client-runtime = \"")).and_then(|r| r.split('"').next()).unwrap();
        assert_eq!(crate::runtime_api::compatible_range(requirement), crate::runtime_api::compatible_range(crate::RUNTIME_VERSION));
    }

    #[test]
    fn the_two_small_specs_differ_as_the_check_expects() {
        let new = OLD_SPEC.replace("{name: limit, in: query, schema", "{name: limit, in: query, required: true, schema");
        assert_ne!(new, OLD_SPEC, "the replacement applies");
        assert!(OLD_SPEC.contains("        id: {type: integer}\n"));
    }
}
