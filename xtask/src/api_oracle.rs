//! `cargo xtask api-oracle`: api-diff's classification checked against the
//! compiler. Each fixture case (`tests/fixtures/api_diff/<case>/`) has a
//! consumer, code written against the crate generated from `old.yaml`. It
//! must compile against that crate (else the fixture is wrong), and against
//! the crate generated from `new.yaml` exactly when api-diff's report has no
//! compile-breaking change (a change on the wire only compiles).
//!
//! Everything goes to `target/api-oracle/`: a crate per case and side
//! (`crates/old_<case>`, `crates/new_<case>`), and two consumer crates,
//! `consumers_old` and `consumers_new`, with a module per case. They are a
//! workspace of their own, with the repository's `Cargo.lock` and target
//! directory, so the dependencies are the same versions and built once.
//! Files are written only when they change, so a second run checks again
//! only what changed.

use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::api_diff;

/// Where the crates go, from the repository root.
const OUT: &str = "target/api-oracle";

/// The crate a consumer is written against, and the one it meets after the
/// change.
const SIDES: [&str; 2] = ["old", "new"];

/// A case and what api-diff says of it.
struct Case {
    name: String,
    dir: PathBuf,
    class: &'static str,
    changes: Vec<api_diff::Change>,
}

impl Case {
    /// The report says code written against old may not compile against new.
    fn compile_breaking(&self) -> bool {
        api_diff::compile_breaking(&self.changes)
    }
}

/// Every fixture case, or `only`, with api-diff's report of it.
fn cases(root: &Path, only: Option<&str>) -> Result<Vec<Case>, String> {
    let mut names = api_diff::fixture_cases(root)?;
    if let Some(only) = only {
        if !names.iter().any(|n| n == only) {
            let known: Vec<&str> = names.iter().map(String::as_str).collect();
            let close = codegen::diagnostics::closest(only, &known).map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default();
            return Err(format!("no case `{only}` in {}{close}", api_diff::FIXTURE_CASES));
        }
        names.retain(|n| n == only);
    }
    if names.is_empty() {
        return Err(format!("no cases in {}", api_diff::FIXTURE_CASES));
    }
    let mut cases = Vec::new();
    for name in names {
        let dir = root.join(api_diff::FIXTURE_CASES).join(&name);
        let old = api_diff::generate_path(&dir.join("old.yaml")).map_err(|e| format!("{name}: {e}"))?;
        let new = api_diff::generate_path(&dir.join("new.yaml")).map_err(|e| format!("{name}: {e}"))?;
        let changes = api_diff::compare(&old, &new).map_err(|e| format!("{name}: {e}"))?;
        cases.push(Case { class: api_diff::report_class(&changes), changes, name, dir });
    }
    Ok(cases)
}

/// Runs the oracle on every case, or on `only`: prints the table, fails on
/// any disagreement between api-diff and the compiler.
pub fn run(only: Option<&str>) -> Result<(), String> {
    let root = xtask::root();
    let cases = cases(&root, only)?;
    let out = root.join(OUT);
    println!("api-oracle: {} cases, their crates in {}", cases.len(), out.display());
    write_workspace(&root, &out, &cases)?;

    // every consumer compiles against the crate it was written for
    let on_old = check(&root, &out, "old", &cases)?;
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|case| on_old[&case.name].as_ref().map(|error| format!("{}: consumer.rs does not compile against old.yaml's crate:\n{error}", case.name)))
        .collect();
    if !wrong.is_empty() {
        return Err(format!("{} fixture cases have a wrong consumer:\n\n{}", wrong.len(), wrong.join("\n\n")));
    }

    let on_new = check(&root, &out, "new", &cases)?;
    let width = cases.iter().map(|c| c.name.len()).max().unwrap_or(0).max("case".len());
    println!("{:width$}  {:13}  {:17}  agree", "case", "report", "compiles with new");
    let mut disagreements = Vec::new();
    for case in &cases {
        let error = &on_new[&case.name];
        let agree = case.compile_breaking() == error.is_some();
        let compiles = if error.is_none() { "yes" } else { "no" };
        println!("{:width$}  {:13}  {compiles:17}  {}", case.name, case.class, if agree { "yes" } else { "NO" });
        if agree {
            continue;
        }
        match error {
            Some(error) => disagreements.push(format!(
                "{}: the report ({}) has no compile-breaking change, and the consumer does not compile against new.yaml's crate:\n{error}",
                case.name, case.class
            )),
            None => {
                let breaking: Vec<String> = case
                    .changes
                    .iter()
                    .filter(|c| c.class == api_diff::Class::Breaking && !c.wire)
                    .map(|c| format!("  - `{}`: {}", c.item, c.what))
                    .collect();
                disagreements.push(format!(
                    "{}: the consumer compiles against new.yaml's crate, and the report says it may not:\n{}",
                    case.name,
                    breaking.join("\n")
                ));
            }
        }
    }
    if disagreements.is_empty() {
        println!("api-oracle: api-diff and the compiler agree on {} cases", cases.len());
        Ok(())
    } else {
        Err(format!("api-oracle: api-diff and the compiler disagree on {} cases:\n\n{}", disagreements.len(), disagreements.join("\n\n")))
    }
}

/// `cargo xtask api-semver-checks [--case NAME]`: api-diff against
/// cargo-semver-checks, the linter of Rust crates' public APIs, on every
/// fixture case. Too slow for every CI run (rustdoc JSON of two crates per
/// case): a documented command, whose result is recorded.
///
/// Each case's crates are generated as `api` 1.0.0 into
/// `target/api-semver/<case>/{old,new}`, and `cargo semver-checks
/// check-release --release-type minor` says whether the new one needs a
/// major version. It sees the Rust API only, so it is compared with
/// api-diff's compile-breaking changes (not the wire-only ones). Prints a
/// table and the agreement; fails only when the tool cannot run.
pub fn semver_checks(only: Option<&str>) -> Result<(), String> {
    let root = xtask::root();
    let tool = std::env::var("CARGO_SEMVER_CHECKS").unwrap_or_else(|_| "cargo-semver-checks".into());
    let cases = cases(&root, only)?;
    let out = root.join("target/api-semver");
    let lock = fs::read_to_string(root.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let width = cases.iter().map(|c| c.name.len()).max().unwrap_or(0).max("case".len());
    println!("{:width$}  {:22}  {:20}  agree", "case", "api-diff", "cargo-semver-checks");
    let (mut agree, mut disagree) = (0, Vec::new());
    for case in &cases {
        let (name, dir) = (&case.name, &case.dir);
        for side in SIDES {
            let crate_dir = out.join(name).join(side);
            xtask::generate_crate(&dir.join(format!("{side}.yaml")), &crate_dir, "api")?;
            let manifest = crate_dir.join("Cargo.toml");
            let text = fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
            fs::write(&manifest, text.replace("version = \"0.1.0\"", "version = \"1.0.0\"")).map_err(|e| e.to_string())?;
            fs::write(crate_dir.join("Cargo.lock"), &lock).map_err(|e| e.to_string())?;
        }
        let run = Command::new(&tool)
            .args(["semver-checks", "check-release", "--release-type", "minor", "--manifest-path"])
            .arg(out.join(name).join("new/Cargo.toml"))
            .arg("--baseline-root")
            .arg(out.join(name).join("old"))
            .env("CARGO_TARGET_DIR", out.join("target"))
            .output()
            .map_err(|e| format!("cannot run `{tool}` (install it with `cargo install cargo-semver-checks --locked`, or set CARGO_SEMVER_CHECKS): {e}"))?;
        let text = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
        let says_breaking = if run.status.success() {
            false
        } else if text.contains("requires new major version") || text.contains("FAIL") {
            true
        } else {
            return Err(format!("{name}: cargo-semver-checks failed:\n{text}"));
        };
        let ours = case.compile_breaking();
        let same = ours == says_breaking;
        let word = |breaking: bool| if breaking { "breaking" } else { "compatible" };
        println!("{name:width$}  {:22}  {:20}  {}", word(ours), word(says_breaking), if same { "yes" } else { "NO" });
        if same {
            agree += 1;
        } else {
            let lints: Vec<&str> = text.lines().filter(|l| l.contains("--- failure") || l.trim_start().starts_with("FAIL")).collect();
            disagree.push(format!("{name}: api-diff says {}, cargo-semver-checks {} {}", word(ours), word(says_breaking), lints.join("; ")));
        }
    }
    println!("api-semver-checks: {agree} of {} cases agree", cases.len());
    for line in &disagree {
        println!("  {line}");
    }
    Ok(())
}

/// The name of a case's crate on one side: `old_<case>`, `new_<case>`.
fn crate_name(side: &str, case: &str) -> String {
    format!("{side}_{case}")
}

/// Writes the generated crates, both consumer crates (every case in) and
/// the workspace around them.
fn write_workspace(root: &Path, out: &Path, cases: &[Case]) -> Result<(), String> {
    let mut members = Vec::new();
    for case in cases {
        for side in SIDES {
            let name = crate_name(side, &case.name);
            generate(&case.dir.join(format!("{side}.yaml")), out, &name)?;
            members.push(format!("crates/{name}"));
        }
    }
    let every: Vec<&Case> = cases.iter().collect();
    for side in SIDES {
        write_consumers(out, side, cases, &every)?;
        members.push(format!("consumers_{side}"));
    }
    let mut manifest = String::from("# @generated by `cargo xtask api-oracle`\n\n[workspace]\nresolver = \"2\"\nmembers = [\n");
    for member in &members {
        manifest.push_str(&format!("    {member:?},\n"));
    }
    manifest.push_str("]\n");
    // the repository's profiles: dependencies built with other settings
    // would be built again
    let repository = fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("Cargo.toml: {e}"))?;
    manifest.push_str(&profiles(&repository));
    write_if_changed(&out.join("Cargo.toml"), &manifest)?;
    // the repository's versions of every dependency (Cargo adds the crates
    // of this workspace to it, and drops what they do not use)
    let lock = fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    write_if_changed(&out.join("Cargo.lock"), &lock)
}

/// The `[profile.*]` tables of a manifest, as they are written.
fn profiles(manifest: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            inside = line.starts_with("[profile.");
            if inside {
                out.push('\n');
            }
        }
        if inside && !line.trim().is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Generates a case's spec into `crates/<name>` the way `cargo xtask
/// generate` writes a standalone crate, but as a member of the oracle's
/// workspace. It is generated aside (`staging/<name>`) and copied over
/// file by file, so unchanged files keep their times and Cargo does not
/// check them again.
fn generate(spec: &Path, out: &Path, name: &str) -> Result<(), String> {
    let staging = out.join("staging").join(name);
    xtask::generate_crate(spec, &staging, name).map_err(|e| format!("{name}: {e}"))?;
    let target = out.join("crates").join(name);
    let mut wanted = BTreeSet::new();
    for relative in files_under(&staging) {
        let mut text = fs::read_to_string(staging.join(&relative)).map_err(|e| format!("{}: {e}", staging.join(&relative).display()))?;
        if relative.as_path() == Path::new("Cargo.toml") {
            // a standalone crate is a workspace of its own; here it is a member
            if !text.contains("\n[workspace]\n") {
                return Err(format!("{name}: the generated Cargo.toml has no `[workspace]` table to take out:\n{text}"));
            }
            text = text.replace("\n[workspace]\n", "\n");
        }
        write_if_changed(&target.join(&relative), &text)?;
        wanted.insert(relative);
    }
    // files a previous generation wrote and this one does not
    for relative in files_under(&target) {
        if !wanted.contains(&relative) {
            fs::remove_file(target.join(&relative)).map_err(|e| format!("{}: {e}", target.join(&relative).display()))?;
        }
    }
    Ok(())
}

/// Writes `consumers_<side>`: a module per case of `included`, each the
/// case's `consumer.rs` with `api` naming the case's crate of that side,
/// and a dependency on the crate of every case of `cases`.
///
/// The consumer is copied, not `include!`d: it starts with `//!` docs,
/// which `include!` refuses (E0753). The copy keeps the fixture's line
/// numbers (the `use` of `api` goes at the end), and the compiler's
/// messages are shown with the fixture's path.
fn write_consumers(out: &Path, side: &str, cases: &[Case], included: &[&Case]) -> Result<(), String> {
    let dir = out.join(format!("consumers_{side}"));
    let mut manifest = format!("[package]\nname = \"consumers_{side}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n");
    for case in cases {
        let name = crate_name(side, &case.name);
        manifest.push_str(&format!("{name} = {{ path = \"../crates/{name}\" }}\n"));
    }
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    let mut lib = format!(
        "//! @generated by `cargo xtask api-oracle`: the consumer of each case of\n//! {}, against the crate generated from its {side}.yaml.\n\n// only errors count\n#![allow(warnings)]\n\n",
        api_diff::FIXTURE_CASES
    );
    let mut wanted = BTreeSet::from([PathBuf::from("lib.rs")]);
    for case in included {
        let path = case.dir.join("consumer.rs");
        let consumer = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let module = format!(
            "{}\n// @generated by `cargo xtask api-oracle`: the crate this consumer is checked against\nuse {} as api;\n",
            consumer.trim_end(),
            crate_name(side, &case.name)
        );
        write_if_changed(&dir.join("src").join(format!("{}.rs", case.name)), &module)?;
        wanted.insert(PathBuf::from(format!("{}.rs", case.name)));
        lib.push_str(&format!("#[allow(unused, dead_code)]\nmod {};\n", case.name));
    }
    write_if_changed(&dir.join("src/lib.rs"), &lib)?;
    // the modules of cases left out (`--case`, or a second pass)
    for relative in files_under(&dir.join("src")) {
        if !wanted.contains(&relative) {
            let _ = fs::remove_file(dir.join("src").join(relative));
        }
    }
    Ok(())
}

/// Checks every case's consumer against the crates of `side`: for each
/// case, `None` when it compiles, else the compiler's first error.
///
/// A failing case can hide another's errors (rustc stops some analyses
/// after errors), so the cases that failed are taken out and the rest
/// checked again, until they compile together.
fn check(root: &Path, out: &Path, side: &str, cases: &[Case]) -> Result<BTreeMap<String, Option<String>>, String> {
    let mut failing: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let included: Vec<&Case> = cases.iter().filter(|c| !failing.contains_key(&c.name)).collect();
        write_consumers(out, side, cases, &included)?;
        let build = cargo_check(root, out, side, cases)?;
        if build.success {
            break;
        }
        let mut more = false;
        for (case, error) in build.by_case {
            // the message with the fixture's path (the copy has its lines)
            let shown = error.rendered.replace(&error.file, &format!("{}/{case}/consumer.rs", api_diff::FIXTURE_CASES));
            more |= failing.insert(case, shown).is_none();
        }
        if !more {
            // no case to blame: a generated crate, the workspace, Cargo
            let mut why = build.elsewhere;
            if why.is_empty() {
                let lines: Vec<&str> = build.stderr.lines().collect();
                why.push(lines[lines.len().saturating_sub(20)..].join("\n"));
            }
            return Err(format!("api-oracle: `cargo check -p consumers_{side}` fails, and not in a case's consumer:\n{}", why.join("\n")));
        }
    }
    Ok(cases.iter().map(|c| (c.name.clone(), failing.get(&c.name).cloned())).collect())
}

/// What a `cargo check` of a consumer crate said.
struct Build {
    success: bool,
    /// The first error of each consumer module that has one, by case.
    by_case: BTreeMap<String, CompilerError>,
    /// Errors elsewhere (a generated crate, the consumer crate's lib.rs).
    elsewhere: Vec<String>,
    stderr: String,
}

/// `cargo check --message-format=json -p consumers_<side>`, in the
/// repository's target directory (or `CARGO_TARGET_DIR`, where the
/// repository's dependencies are then built), for `cases`.
fn cargo_check(root: &Path, out: &Path, side: &str, cases: &[Case]) -> Result<Build, String> {
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let consumers = format!("consumers_{side}");
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["check", "--message-format=json", "-p", consumers.as_str(), "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir);
    println!("==> {cmd:?}");
    let output = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    let mut build = Build {
        success: output.status.success(),
        by_case: BTreeMap::new(),
        elsewhere: Vec::new(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Some(error) = parse(line).and_then(|m| compiler_error(&m)) else { continue };
        // an error in `src/<case>.rs` of the consumer crate is that case's
        let case = cases
            .iter()
            .find(|c| error.target == consumers && error.file.ends_with(&format!("src/{}.rs", c.name)))
            .map(|c| c.name.clone());
        match case {
            Some(case) => {
                build.by_case.entry(case).or_insert(error);
            }
            None => build.elsewhere.push(format!("in {} ({}):\n{}", error.target, error.file, error.rendered)),
        }
    }
    Ok(build)
}

/// A compiler error, where it is.
struct CompilerError {
    /// The crate being compiled (its target's name).
    target: String,
    /// The file of the primary span, as rustc names it.
    file: String,
    rendered: String,
}

/// The error a line of Cargo's JSON output reports, if it is one with a
/// place (`aborting due to 3 previous errors` has none, and says nothing
/// more).
fn compiler_error(line: &Json) -> Option<CompilerError> {
    if line.get("reason")?.as_str()? != "compiler-message" {
        return None;
    }
    let message = line.get("message")?;
    if message.get("level")?.as_str()? != "error" {
        return None;
    }
    let primary = message.get("spans")?.as_array()?.iter().find(|s| s.get("is_primary") == Some(&Json::Bool(true)))?;
    Some(CompilerError {
        target: line.get("target")?.get("name")?.as_str()?.to_owned(),
        file: primary.get("file_name")?.as_str()?.to_owned(),
        rendered: message
            .get("rendered")
            .and_then(Json::as_str)
            .or_else(|| message.get("message")?.as_str())
            .unwrap_or_default()
            .trim_end()
            .to_owned(),
    })
}

/// One line of Cargo's JSON output, if it is JSON.
fn parse(line: &str) -> Option<Json> {
    serde_json::from_str(line).ok()
}

/// The files under `dir`, relative to it.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for path in fs::read_dir(&d).into_iter().flatten().flatten().map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                out.push(relative.to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Writes `text` to `path` unless it holds it already (a file written
/// again is checked again by Cargo, which goes by times).
fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).is_ok_and(|current| current == text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_messages_are_read() {
        let line = r#"{"reason":"compiler-message","package_id":"path+file:///x#consumers_new@0.0.0","target":{"kind":["lib"],"name":"consumers_new"},"message":{"$message_type":"diagnostic","level":"error","message":"mismatched types","code":{"code":"E0308","explanation":null},"spans":[{"file_name":"lib.rs","is_primary":false,"line_start":1},{"file_name":"consumers_new/src/path_changed.rs","is_primary":true,"line_start":5,"text":[]}],"children":[],"rendered":"error[E0308]: mismatched types\n --> consumers_new/src/path_changed.rs:5:9 \"\u00e9\ud83d\ude00\"\n"}}"#;
        let error = compiler_error(&parse(line).expect("JSON")).expect("an error");
        assert_eq!(error.target, "consumers_new");
        assert_eq!(error.file, "consumers_new/src/path_changed.rs");
        assert_eq!(error.rendered, "error[E0308]: mismatched types\n --> consumers_new/src/path_changed.rs:5:9 \"é😀\"");
        let abort = r#"{"reason":"compiler-message","target":{"name":"consumers_new"},"message":{"level":"error","message":"aborting due to 2 previous errors","spans":[],"rendered":"error: aborting\n"}}"#;
        assert!(compiler_error(&parse(abort).expect("JSON")).is_none(), "no place, nothing to blame");
    }

    #[test]
    fn the_profiles_are_copied() {
        let manifest = "[workspace]\nmembers = []\n\n[profile.dev]\ndebug = 1\n\n[profile.dev.package.\"*\"]\ndebug = false\n\n[workspace.dependencies]\nx = 1\n";
        assert_eq!(profiles(manifest), "\n[profile.dev]\ndebug = 1\n\n[profile.dev.package.\"*\"]\ndebug = false\n");
    }
}
