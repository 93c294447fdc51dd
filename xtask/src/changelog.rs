//! Versions that follow the API report, per release: each generated crate
//! with a `CHANGELOG.md` (powens, finapi) keeps an `Unreleased` section that
//! `cargo xtask codegen` rewrites from `api-diff` against the last release,
//! with no date, so `--check` fails when it is behind the code; `cargo
//! xtask release` sets the version `api-diff` computes and moves
//! `Unreleased` under it, with the date.
//!
//! The last release of a crate at version V is the commit that last wrote
//! the `## V` heading of its CHANGELOG.md (the release commit: `release`
//! writes that heading and the version together). Until that heading is
//! committed (a release made and not yet committed), the release is the
//! generated code on disk. A git tag is not used: a clone does not always
//! carry tags, and the heading is in the history of every clone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::api_diff::{self, Change};

/// What introduces the section `codegen` writes.
const MARK: &str = "<!-- written by `cargo xtask codegen` from the API report against the last release; `cargo xtask release` moves it under the next version -->";

/// The crate directory of a target (`generated-client/powens`).
pub fn crate_dir(target: &crate::Target) -> &str {
    target.out.strip_suffix("/src/generated").unwrap_or(target.out)
}

/// The `version = "..."` of a manifest's `[package]`.
pub fn manifest_version(manifest: &str) -> Option<String> {
    manifest.lines().find_map(|l| l.strip_prefix("version = \"").map(|v| v.trim_end_matches('"').to_owned()))
}

/// The manifest with its package's version set to `version`.
pub fn set_manifest_version(manifest: &str, version: &str) -> String {
    let mut done = false;
    let lines: Vec<String> = manifest
        .lines()
        .map(|l| {
            if !done && l.starts_with("version = \"") {
                done = true;
                format!("version = \"{version}\"")
            } else {
                l.to_owned()
            }
        })
        .collect();
    lines.join("\n") + if manifest.ends_with('\n') { "\n" } else { "" }
}

/// The body of `Unreleased` for these changes since `current`.
pub fn unreleased(changes: &[Change], current: &str) -> String {
    let report = if changes.is_empty() {
        format!("No change to the public API since {current}.\n")
    } else {
        api_diff::markdown(changes, current)
    };
    format!("{MARK}\n\n{report}")
}

/// The changelog with its `Unreleased` section's body replaced (the section
/// is added before the first version when there is none).
pub fn rewrite(changelog: &str, body: &str) -> String {
    let (before, _, after) = split(changelog);
    let gap = if after.is_empty() { "" } else { "\n" };
    format!("{before}## Unreleased\n\n{}\n{gap}{after}", body.trim_end())
}

/// The changelog after a release of `version` on `date`: the `Unreleased`
/// body goes under `## version - date`, and `Unreleased` says nothing
/// changed since.
pub fn release(changelog: &str, version: &str, date: &str) -> String {
    let (before, body, after) = split(changelog);
    let released = body.replace(MARK, "");
    let released = released.trim();
    let empty = unreleased(&[], version);
    format!("{before}## Unreleased\n\n{}\n\n## {version} - {date}\n\n{released}\n\n{after}", empty.trim_end()).trim_end().to_owned() + "\n"
}

/// (what comes before `## Unreleased`, its body, the released sections).
fn split(changelog: &str) -> (String, String, String) {
    let start = changelog.find("\n## Unreleased").map(|at| at + 1);
    let first_version = |from: usize| changelog[from..].find("\n## ").map(|at| from + at + 1);
    match start {
        Some(start) => {
            let body_start = start + "## Unreleased".len();
            let end = first_version(body_start).unwrap_or(changelog.len());
            (changelog[..start].to_owned(), changelog[body_start..end].trim().to_owned(), changelog[end..].to_owned())
        }
        None => {
            let end = first_version(0).unwrap_or(changelog.len());
            (changelog[..end].to_owned(), String::new(), changelog[end..].to_owned())
        }
    }
}

/// Today as `YYYY-MM-DD` (UTC), from the system clock.
pub fn today() -> String {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400) as i64;
    // days to civil date (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Where the last release of a crate is: a commit, or the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    Commit(String),
    Disk,
}

/// The last release of the crate in `dir` (relative to `root`) at
/// `version`: the last commit whose change of CHANGELOG.md touches the
/// `## version` heading, if HEAD's CHANGELOG.md has it; else the disk.
pub fn base(root: &Path, dir: &str, version: &str) -> Result<Base, String> {
    let changelog = format!("{dir}/CHANGELOG.md");
    let heading = format!("## {version}");
    let committed = git(root, &["show", &format!("HEAD:{changelog}")]).unwrap_or_default();
    if !committed.lines().any(|l| l == heading || l.starts_with(&format!("{heading} "))) {
        return Ok(Base::Disk);
    }
    let pattern = format!("^## {}( |$)", version.replace('.', "\\."));
    let commit = git(root, &["log", "-1", "--format=%H", "-G", &pattern, "--", &changelog])?;
    let commit = commit.trim();
    if commit.is_empty() {
        return Err(format!("{changelog}: no commit wrote `{heading}` (a shallow clone? the release base needs the history)"));
    }
    Ok(Base::Commit(commit.to_owned()))
}

/// The files under `dir` at `commit`, by path relative to `dir`, read with
/// one `git cat-file --batch`.
pub fn tree_at(root: &Path, commit: &str, dir: &str) -> Result<BTreeMap<String, String>, String> {
    let paths: Vec<String> = git(root, &["ls-tree", "-r", "--name-only", commit, "--", dir])?.lines().map(str::to_owned).collect();
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("git cat-file: {e}"))?;
    let request: String = paths.iter().map(|p| format!("{commit}:{p}\n")).collect();
    let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, request.as_bytes()));
    let out = child.wait_with_output().map_err(|e| format!("git cat-file: {e}"))?;
    let _ = writer.join();
    let mut files = BTreeMap::new();
    let mut rest = out.stdout.as_slice();
    for path in &paths {
        // "<sha> blob <size>\n<content>\n"
        let header_end = rest.iter().position(|b| *b == b'\n').ok_or("git cat-file: short output")?;
        let header = String::from_utf8_lossy(&rest[..header_end]).into_owned();
        let size: usize = header.rsplit(' ').next().and_then(|s| s.parse().ok()).ok_or_else(|| format!("git cat-file: {header}"))?;
        let content = rest.get(header_end + 1..header_end + 1 + size).ok_or("git cat-file: short output")?;
        let relative = path.strip_prefix(dir).unwrap_or(path).trim_start_matches('/');
        files.insert(relative.to_owned(), String::from_utf8_lossy(content).into_owned());
        rest = rest.get(header_end + 2 + size..).unwrap_or_default();
    }
    Ok(files)
}

/// The changes of a target's public API since its last release: the
/// released generated code against `planned` (what the spec generates now,
/// by path relative to the generated directory).
pub fn changes_since_release(root: &Path, target: &crate::Target, planned: &BTreeMap<String, String>) -> Result<(Vec<Change>, String), String> {
    let dir = crate_dir(target);
    let manifest = std::fs::read_to_string(root.join(dir).join("Cargo.toml")).map_err(|e| format!("{dir}/Cargo.toml: {e}"))?;
    let current = manifest_version(&manifest).ok_or_else(|| format!("{dir}/Cargo.toml has no version"))?;
    let spec_now = std::fs::read_to_string(root.join(target.spec)).unwrap_or_default();
    let (released, spec_then) = match base(root, dir, &current)? {
        Base::Disk => (read_tree(&root.join(target.out)), spec_now.clone()),
        Base::Commit(commit) => (tree_at(root, &commit, target.out)?, git(root, &["show", &format!("{commit}:{}", target.spec)]).unwrap_or_default()),
    };
    let mut changes = api_diff::compare(&released, planned)?;
    api_diff::locate(&mut changes, &api_diff::spec_locations(&spec_then), &api_diff::spec_locations(&spec_now));
    Ok((changes, current))
}

/// Each managed changelog (a target whose crate has a CHANGELOG.md) as it
/// should be, given the plan's files.
pub fn planned(root: &Path, files: &BTreeMap<PathBuf, String>) -> Result<Vec<(PathBuf, String)>, String> {
    let mut out = Vec::new();
    for target in crate::TARGETS {
        let path = root.join(crate_dir(target)).join("CHANGELOG.md");
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let generated = root.join(target.out);
        let planned: BTreeMap<String, String> = files
            .iter()
            .filter_map(|(p, t)| p.strip_prefix(&generated).ok().map(|r| (r.to_string_lossy().replace('\\', "/"), t.clone())))
            .collect();
        let (changes, current) = changes_since_release(root, target, &planned)?;
        out.push((path, rewrite(&text.replace("\r\n", "\n"), &unreleased(&changes, &current))));
    }
    Ok(out)
}

/// `cargo xtask release [--crate NAME] [--date YYYY-MM-DD]`: for each
/// target crate (or the one named), when its API changed since the last
/// release, sets the version `api-diff` computes (Cargo.toml and
/// Cargo.lock) and moves `Unreleased` under it. The generated code must be
/// fresh. Returns a line per crate.
pub fn run_release(root: &Path, only: Option<&str>, date: &str) -> Result<Vec<String>, String> {
    let report = crate::codegen(root, true)?;
    if !report.is_clean() {
        return Err(format!("the generated code or a changelog is stale:\n{}run `{}` first", report.describe(), crate::FIX_COMMAND));
    }
    let targets: Vec<&crate::Target> = crate::TARGETS.iter().filter(|t| only.is_none_or(|name| crate_dir(t).ends_with(&format!("/{name}")))).collect();
    if targets.is_empty() {
        return Err(format!("no generated crate named `{}`", only.unwrap_or_default()));
    }
    let mut lines = Vec::new();
    for target in targets {
        let dir = root.join(crate_dir(target));
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let changelog_path = dir.join("CHANGELOG.md");
        let changelog = std::fs::read_to_string(&changelog_path).map_err(|e| format!("{}: {e}", changelog_path.display()))?;
        let planned = read_tree(&root.join(target.out));
        let (changes, current) = changes_since_release(root, target, &planned)?;
        let next = api_diff::next_version(&current, &changes);
        if next == current {
            lines.push(format!("{name}: nothing to release since {current}"));
            continue;
        }
        let manifest_path = dir.join("Cargo.toml");
        let manifest = std::fs::read_to_string(&manifest_path).map_err(|e| e.to_string())?;
        std::fs::write(&manifest_path, set_manifest_version(&manifest, &next)).map_err(|e| e.to_string())?;
        let lock_path = root.join("Cargo.lock");
        if let Ok(lock) = std::fs::read_to_string(&lock_path) {
            let old = format!("name = \"{name}\"\nversion = \"{current}\"\n");
            std::fs::write(&lock_path, lock.replace(&old, &format!("name = \"{name}\"\nversion = \"{next}\"\n"))).map_err(|e| e.to_string())?;
        }
        std::fs::write(&changelog_path, release(&changelog, &next, date)).map_err(|e| e.to_string())?;
        lines.push(format!("{name}: {current} -> {next} ({} API changes); commit Cargo.toml, Cargo.lock and CHANGELOG.md together", changes.len()));
    }
    Ok(lines)
}

/// The files under `dir`, by path relative to it.
pub fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for path in std::fs::read_dir(&d).into_iter().flatten().flatten().map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
            } else if let (Ok(text), Ok(relative)) = (std::fs::read_to_string(&path), path.strip_prefix(dir)) {
                files.insert(relative.to_string_lossy().replace('\\', "/"), text);
            }
        }
    }
    files
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git").args(args).current_dir(root).output().map_err(|e| format!("git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "# Changelog of api\n\nIntro.\n\n## Unreleased\n\nold text\n\n## 0.1.0 - 2026-01-01\n\nFirst.\n";

    /// The report of a fixture case of tests/fixtures/api_diff.
    fn case(name: &str) -> Vec<Change> {
        let dir = crate::root().join(api_diff::FIXTURE_CASES).join(name);
        let old = api_diff::generate_path(&dir.join("old.yaml")).unwrap();
        let new = api_diff::generate_path(&dir.join("new.yaml")).unwrap();
        api_diff::compare(&old, &new).unwrap()
    }

    #[test]
    fn an_additive_then_a_breaking_regeneration_update_unreleased_and_a_release_sets_the_computed_version() {
        // an additive regeneration: a patch release before 1.0
        let additive = case("operation_added");
        assert_eq!(api_diff::report_class(&additive), "additive");
        let log = rewrite(LOG, &unreleased(&additive, "0.1.0"));
        assert!(log.contains("## Unreleased\n\n<!--") && log.contains("next version 0.1.1 (now 0.1.0)"), "{log}");
        assert!(log.contains("### Additive") && !log.contains("old text"), "{log}");
        assert!(log.ends_with("## 0.1.0 - 2026-01-01\n\nFirst.\n") && log.starts_with("# Changelog of api\n\nIntro.\n\n"), "{log}");
        assert_eq!(rewrite(&log, &unreleased(&additive, "0.1.0")), log, "rewriting is stable");

        // then a breaking one since the same release: the minor
        let mut both = additive.clone();
        both.extend(case("operation_removed"));
        let log = rewrite(&log, &unreleased(&both, "0.1.0"));
        assert!(log.contains("next version 0.2.0 (now 0.1.0)") && log.contains("### Breaking"), "{log}");

        // the release: the version api-diff computes, Unreleased under it
        let next = api_diff::next_version("0.1.0", &both);
        assert_eq!(next, "0.2.0");
        let released = release(&log, &next, "2026-12-07");
        assert!(released.contains("## Unreleased\n\n<!--"), "{released}");
        assert!(released.contains("No change to the public API since 0.2.0.\n\n## 0.2.0 - 2026-12-07\n\n**API changes**"), "{released}");
        assert!(!released.split("## 0.2.0").nth(1).unwrap().contains("<!--"), "the mark stays with Unreleased: {released}");
        assert!(released.ends_with("## 0.1.0 - 2026-01-01\n\nFirst.\n"), "{released}");
        let manifest = "[package]\nname = \"api\"\nversion = \"0.1.0\"\n\n[dependencies]\nx = { version = \"0.1.0\" }\n";
        let bumped = set_manifest_version(manifest, &next);
        assert_eq!(manifest_version(&bumped).as_deref(), Some("0.2.0"));
        assert!(bumped.ends_with("x = { version = \"0.1.0\" }\n"), "only the package's version: {bumped}");
    }

    #[test]
    fn a_changelog_without_unreleased_gets_one_before_the_first_version() {
        let log = rewrite("# Changelog\n\n## 0.1.0\n\nFirst.\n", &unreleased(&[], "0.1.0"));
        assert!(log.starts_with("# Changelog\n\n## Unreleased\n\n<!--"), "{log}");
        assert!(log.contains("No change to the public API since 0.1.0.\n\n## 0.1.0\n"), "{log}");
    }

    #[test]
    fn today_is_a_date() {
        let day = today();
        assert_eq!(day.len(), 10);
        assert!(day.starts_with("20") && day.as_bytes()[4] == b'-' && day.as_bytes()[7] == b'-', "{day}");
    }
}
