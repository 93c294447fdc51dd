//! `cargo xtask runtime-api`: the public API of `client-runtime` changes
//! only with a version bump in its Cargo.toml and CHANGELOG.md.
//!
//! The runtime's version and changelog are kept by hand. A release of
//! version V is recorded in the history as the commit that wrote the `## V`
//! heading of `generated-client/runtime/CHANGELOG.md` (as for the generated
//! crates, [`crate::changelog::base`]: no tag, every clone has it). The
//! check compares the runtime's public API at that commit with the working
//! tree:
//!
//! - the newest version heading of CHANGELOG.md is Cargo.toml's version;
//! - when that heading is dated (`## 0.2.0 - 2026-12-07`: released), the
//!   API has not changed since the commit that dated it (else: bump, to the
//!   version the change requires, in a new undated section);
//! - since the release of the version before it, the API changed at most as
//!   much as the bump allows (a breaking change needs 0.x → 0.(x+1), an
//!   additive one at least a patch). An undated newest version is the next
//!   release in preparation: changes go into it, per release rather than
//!   per commit, as long as it is large enough.
//!
//! The API is what [`crate::api_diff::compare`] sees in `src/**/*.rs` (pub
//! structs and their pub fields, enums, functions, methods of inherent and
//! trait impls, constants, aliases), plus what it does not look at: pub
//! traits, `pub use` and `pub mod` items, `#[macro_export]` macros, the
//! Cargo features, and the semver range of each crate the runtime
//! re-exports (`pub use reqwest;`: a major bump of reqwest changes the
//! runtime's API). Documentation, and a changed literal inside a function
//! body (api-diff's "on the wire" changes: a message, a header value), are
//! not API changes and need no bump; they are printed.

use std::collections::BTreeMap;
use std::path::Path;

use quote::ToTokens;

use crate::api_diff::{self, Class};
use crate::changelog;

/// The runtime's directory, from the repository root.
pub const RUNTIME_DIR: &str = "generated-client/runtime";

/// The runtime's public API as of some commit, or the disk: its sources (by
/// path relative to `src/`), its manifest and the workspace's.
pub struct Snapshot {
    pub sources: BTreeMap<String, String>,
    pub manifest: String,
    pub workspace_manifest: String,
}

impl Snapshot {
    /// The working tree's runtime.
    pub fn disk(root: &Path) -> Result<Snapshot, String> {
        let read = |p: &str| std::fs::read_to_string(root.join(p)).map_err(|e| format!("{p}: {e}"));
        Ok(Snapshot {
            sources: changelog::read_tree(&root.join(RUNTIME_DIR).join("src")).into_iter().filter(|(p, _)| p.ends_with(".rs")).collect(),
            manifest: read(&format!("{RUNTIME_DIR}/Cargo.toml"))?,
            workspace_manifest: read("Cargo.toml")?,
        })
    }

    /// The runtime committed at `commit`.
    pub fn at(root: &Path, commit: &str) -> Result<Snapshot, String> {
        let show = |p: &str| {
            let out = std::process::Command::new("git").args(["show", &format!("{commit}:{p}")]).current_dir(root).output().map_err(|e| format!("git: {e}"))?;
            if out.status.success() {
                Ok(String::from_utf8_lossy(&out.stdout).into_owned())
            } else {
                Err(format!("git show {commit}:{p}: {}", String::from_utf8_lossy(&out.stderr).trim()))
            }
        };
        Ok(Snapshot {
            sources: changelog::tree_at(root, commit, &format!("{RUNTIME_DIR}/src"))?.into_iter().filter(|(p, _)| p.ends_with(".rs")).collect(),
            manifest: show(&format!("{RUNTIME_DIR}/Cargo.toml"))?,
            workspace_manifest: show("Cargo.toml")?,
        })
    }
}

/// Every change of the public API from `old` to `new`: api-diff's, then
/// the traits, re-exports, modules, macros, features and re-exported
/// crates' ranges.
pub fn changes(old: &Snapshot, new: &Snapshot) -> Result<Vec<Change>, String> {
    let mut changes: Vec<Change> = api_diff::compare(&old.sources, &new.sources)?
        .into_iter()
        .map(|c| Change { class: c.class, item: c.item, what: c.what, wire: c.wire })
        .collect();
    let (before, after) = (surface(old)?, surface(new)?);
    let change = |class, item: &str, what: String| Change { class, item: item.to_owned(), what, wire: false };
    for (key, text) in &before {
        match after.get(key) {
            None => changes.push(change(Class::Breaking, key, "removed".into())),
            Some(now) if now != text => changes.push(change(Class::Breaking, key, format!("`{text}` becomes `{now}`"))),
            _ => {}
        }
    }
    for key in after.keys().filter(|k| !before.contains_key(*k)) {
        changes.push(change(Class::Additive, key, "added".into()));
    }
    changes.sort_by(|a, b| (&a.class, &a.item).cmp(&(&b.class, &b.item)));
    Ok(changes)
}

/// One change of the runtime's public API.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub class: Class,
    /// The item, by the module of its file (`error::ApiError::raw_body`),
    /// or what api-diff does not see (`trait response::FromResponse`,
    /// `use lib::reqwest`, `feature mock`, `crate reqwest`).
    pub item: String,
    pub what: String,
    /// Only a literal inside a function body changed (api-diff's "on the
    /// wire"): the API is the same.
    pub wire: bool,
}

/// The version the changes need after `current`, by Cargo's rules: before
/// 1.0 a breaking change bumps the minor and anything else the patch;
/// after, the major and the minor.
pub fn required_version(current: &str, changes: &[Change]) -> String {
    let parts: Vec<u64> = current.split('.').filter_map(|p| p.parse().ok()).collect();
    let [major, minor, patch] = parts.as_slice() else { return current.to_owned() };
    let needing = needing_a_bump(changes);
    let breaking = needing.iter().any(|c| c.class == Class::Breaking);
    match (needing.is_empty(), breaking, *major) {
        (true, _, _) => current.to_owned(),
        (false, true, 0) => format!("0.{}.0", minor + 1),
        (false, true, _) => format!("{}.0.0", major + 1),
        (false, false, 0) => format!("0.{minor}.{}", patch + 1),
        (false, false, _) => format!("{major}.{}.0", minor + 1),
    }
}

/// The changes as a list for the error message and the changelog.
pub fn listing(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| {
            let class = match c.class {
                Class::Breaking => "breaking",
                Class::Additive => "additive",
                Class::Docs => "docs",
            };
            format!("- {class}: `{}`: {}\n", c.item, c.what)
        })
        .collect()
}

/// The changes that need a version bump: not documentation, not a literal
/// inside a body.
pub fn needing_a_bump(changes: &[Change]) -> Vec<Change> {
    changes.iter().filter(|c| c.class != Class::Docs && !c.wire).cloned().collect()
}

/// What api-diff does not look at, by key: `trait client::ResponseFuture`,
/// `use lib::Client`, `mod lib::webhook`, `macro m`, `feature mock`,
/// `crate reqwest` (the semver range re-exported).
fn surface(snapshot: &Snapshot) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let mut reexported = Vec::new();
    // the crate's own modules (`pub use client::Client` re-exports no crate)
    let mut modules: Vec<String> = snapshot.sources.keys().map(|p| p.trim_end_matches(".rs").replace('/', "::")).collect();
    for (path, text) in &snapshot.sources {
        let file = syn::parse_file(text).map_err(|e| format!("{path}: {e}"))?;
        let module = path.trim_end_matches(".rs").trim_end_matches("/mod").replace('/', "::");
        for item in &file.items {
            if let syn::Item::Mod(m) = item {
                modules.push(m.ident.to_string());
            }
            match item {
                syn::Item::Trait(t) if matches!(t.vis, syn::Visibility::Public(_)) => {
                    out.insert(format!("trait {module}::{}", t.ident), trait_shape(t));
                }
                syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) => {
                    let cfg = cfgs(&u.attrs);
                    for name in use_names(&u.tree, "") {
                        if module == "lib" && !name.contains("::") && !name.contains(" as ") {
                            // `pub use reqwest;`: the crate itself
                            reexported.push(name.clone());
                        } else if let Some(krate) = name.split("::").next().filter(|_| module == "lib") {
                            reexported.push(krate.to_owned());
                        }
                        out.insert(format!("use {module}::{name}"), format!("pub use {name}{cfg}"));
                    }
                }
                syn::Item::Mod(m) if matches!(m.vis, syn::Visibility::Public(_)) => {
                    out.insert(format!("mod {module}::{}", m.ident), format!("pub mod {}{}", m.ident, cfgs(&m.attrs)));
                }
                syn::Item::Macro(m) if m.attrs.iter().any(|a| a.path().is_ident("macro_export")) => {
                    let name = m.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                    out.insert(format!("macro {name}"), m.mac.tokens.to_string());
                }
                _ => {}
            }
        }
    }
    for feature in features(&snapshot.manifest) {
        out.insert(format!("feature {feature}"), format!("feature `{feature}`"));
    }
    // the crates the runtime re-exports: their semver-compatible range is
    // part of its API (a type of reqwest 0.13 is not one of reqwest 0.14)
    reexported.sort();
    reexported.dedup();
    for krate in reexported.into_iter().filter(|k| !["crate", "self", "super"].contains(&k.as_str()) && !modules.contains(k)) {
        let cargo_name = krate.replace('_', "-");
        let requirement = requirement(&snapshot.manifest, &cargo_name)
            .or_else(|| requirement(&snapshot.workspace_manifest, &cargo_name))
            .or_else(|| requirement(&snapshot.manifest, &krate))
            .or_else(|| requirement(&snapshot.workspace_manifest, &krate))
            .ok_or_else(|| format!("the runtime re-exports `{krate}`, and neither its Cargo.toml nor the workspace's gives it a version"))?;
        out.insert(format!("crate {krate}"), format!("{krate} {}", compatible_range(&requirement)));
    }
    Ok(out)
}

/// A trait without its documentation and default bodies: its generics,
/// supertraits and each item's signature (and whether it has a default).
fn trait_shape(t: &syn::ItemTrait) -> String {
    let mut out = format!(
        "{} trait {}{}: {} {} {{",
        t.unsafety.to_token_stream(),
        t.ident,
        t.generics.to_token_stream(),
        t.supertraits.to_token_stream(),
        t.generics.where_clause.to_token_stream()
    );
    for item in &t.items {
        let text = match item {
            syn::TraitItem::Fn(f) => format!("{}{}", f.sig.to_token_stream(), if f.default.is_some() { " { default }" } else { ";" }),
            syn::TraitItem::Type(ty) => format!("type {}{}: {};{}", ty.ident, ty.generics.to_token_stream(), ty.bounds.to_token_stream(), if ty.default.is_some() { " (default)" } else { "" }),
            syn::TraitItem::Const(c) => format!("const {}: {};{}", c.ident, c.ty.to_token_stream(), if c.default.is_some() { " (default)" } else { "" }),
            other => other.to_token_stream().to_string(),
        };
        out.push(' ');
        out.push_str(&text);
    }
    out + " }"
}

/// ` (cfg(...))` for each `#[cfg]` of an item, so moving one behind a
/// feature is a change.
fn cfgs(attrs: &[syn::Attribute]) -> String {
    attrs.iter().filter(|a| a.path().is_ident("cfg")).map(|a| format!(" {}", a.to_token_stream())).collect()
}

/// The names a `use` tree brings in: `chrono::{NaiveDate, NaiveDateTime}`
/// gives two, `x as y` keeps its `as`.
fn use_names(tree: &syn::UseTree, prefix: &str) -> Vec<String> {
    let join = |name: &str| if prefix.is_empty() { name.to_owned() } else { format!("{prefix}::{name}") };
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree, &join(&p.ident.to_string())),
        syn::UseTree::Name(n) => vec![join(&n.ident.to_string())],
        syn::UseTree::Rename(r) => vec![format!("{} as {}", join(&r.ident.to_string()), r.rename)],
        syn::UseTree::Glob(_) => vec![join("*")],
        syn::UseTree::Group(g) => g.items.iter().flat_map(|t| use_names(t, prefix)).collect(),
    }
}

/// The feature names of a manifest's `[features]`.
pub fn features(manifest: &str) -> Vec<String> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == "[features]";
        } else if inside && !line.starts_with('#') {
            if let Some((name, _)) = line.split_once('=') {
                out.push(name.trim().to_owned());
            }
        }
    }
    out
}

/// The version requirement of dependency `name` in a manifest's
/// dependency tables (`name = "1"` or `name = { version = "1", .. }`).
pub fn requirement(manifest: &str, name: &str) -> Option<String> {
    let mut table = String::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            table = line.to_owned();
            continue;
        }
        if !table.ends_with("dependencies]") || table.contains("dev-dependencies") {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { continue };
        if key.trim() != name {
            continue;
        }
        let value = value.trim();
        if let Some(plain) = value.strip_prefix('"') {
            return plain.split('"').next().map(str::to_owned);
        }
        if let Some(at) = value.find("version") {
            return value[at..].split('"').nth(1).map(str::to_owned);
        }
    }
    None
}

/// The semver-compatible range a requirement stands for, by Cargo's rules:
/// `1.36` is `1.x`, `0.13` is `0.13.x`, `0.0.3` is `0.0.3`.
pub fn compatible_range(requirement: &str) -> String {
    let bare = requirement.trim_start_matches(['^', '=', '~', ' ']);
    let parts: Vec<&str> = bare.split('.').collect();
    match parts.as_slice() {
        ["0", "0", patch, ..] => format!("0.0.{patch}"),
        ["0", minor, ..] => format!("0.{minor}.x"),
        [major, ..] => format!("{major}.x"),
        [] => requirement.to_owned(),
    }
}

/// The version headings of a changelog (`## 0.1.1` or `## 0.1.1 - date`),
/// newest first; `Unreleased` is not one.
pub fn versions(changelog: &str) -> Vec<String> {
    changelog
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|v| v.split('.').count() == 3 && v.split('.').all(|n| n.parse::<u64>().is_ok()))
        .map(str::to_owned)
        .collect()
}

/// Whether the changelog's `## version` heading carries a date (`## 0.2.0 -
/// 2026-12-07`): the version is released. Without one it is the next
/// version in preparation, and API changes go into it.
pub fn released_on(changelog: &str, version: &str) -> bool {
    changelog.lines().filter_map(|l| l.strip_prefix("## ")).any(|rest| {
        let mut words = rest.split_whitespace();
        words.next() == Some(version) && words.any(|w| w.len() == 10 && w.as_bytes()[4] == b'-' && w.as_bytes()[7] == b'-' && w.replace('-', "").parse::<u32>().is_ok())
    })
}

/// Whether version `a` is at least `b` (both `x.y.z`).
pub fn at_least(a: &str, b: &str) -> bool {
    let parse = |v: &str| v.split('.').map(|n| n.parse::<u64>().unwrap_or(0)).collect::<Vec<_>>();
    parse(a) >= parse(b)
}

/// The check, on the repository at `root`. Returns what it found on
/// success (a line per comparison).
pub fn check(root: &Path) -> Result<String, String> {
    let disk = Snapshot::disk(root)?;
    let version = changelog::manifest_version(&disk.manifest).ok_or(format!("{RUNTIME_DIR}/Cargo.toml has no version"))?;
    let log_path = format!("{RUNTIME_DIR}/CHANGELOG.md");
    let log = std::fs::read_to_string(root.join(&log_path)).map_err(|e| format!("{log_path}: {e}"))?;
    let released = versions(&log);
    if released.first() != Some(&version) {
        return Err(format!(
            "{RUNTIME_DIR}/Cargo.toml says version {version}, and the newest version of {log_path} is {}: write its `## {version}` section (what changed in the API)",
            released.first().map_or("none".to_owned(), |v| format!("`## {v}`"))
        ));
    }
    let mut lines = Vec::new();
    // a released version (its heading dated): no change since its release
    if !released_on(&log, &version) {
        lines.push(format!("client-runtime {version}: not released yet (its `## {version}` heading has no date): API changes go into it"));
    } else {
        match changelog::base(root, RUNTIME_DIR, &version)? {
            changelog::Base::Disk => lines.push(format!("client-runtime {version}: its release is not committed yet")),
            changelog::Base::Commit(commit) => {
                let all = changes(&Snapshot::at(root, &commit)?, &disk)?;
                let needing = needing_a_bump(&all);
                if !needing.is_empty() {
                    let next = required_version(&version, &needing);
                    return Err(format!(
                        "client-runtime's public API changed since its release {version} (commit {}, which wrote `## {version} - <date>` in {log_path}) without a version bump:\n{}\nset `version = \"{next}\"` in {RUNTIME_DIR}/Cargo.toml (and the workspace's `client-runtime` requirement), and write a `## {next}` section (no date until it is released) in {log_path} with these changes",
                        &commit[..commit.len().min(12)],
                        listing(&needing)
                    ));
                }
                lines.push(format!("client-runtime {version}: no API change since its release (commit {}){}", &commit[..commit.len().min(12)], not_counted(&all)));
            }
        }
    }
    // since the version before: the bump is as large as the changes need
    if let Some(previous) = released.get(1) {
        if let changelog::Base::Commit(commit) = changelog::base(root, RUNTIME_DIR, previous)? {
            let all = changes(&Snapshot::at(root, &commit)?, &disk)?;
            let needing = needing_a_bump(&all);
            let required = required_version(previous, &needing);
            if !at_least(&version, &required) {
                return Err(format!(
                    "client-runtime's public API changed since {previous} more than the bump to {version} allows: it needs {required}:\n{}",
                    listing(&needing)
                ));
            }
            lines.push(format!("client-runtime {previous} -> {version}: the changes since {previous} need {required} at least{}", not_counted(&all)));
        }
    }
    Ok(lines.join("\n"))
}

fn not_counted(all: &[Change]) -> String {
    let docs = all.iter().filter(|c| c.class == Class::Docs).count();
    let wire = all.iter().filter(|c| c.wire).count();
    if docs + wire == 0 {
        String::new()
    } else {
        format!(" ({docs} documentation and {wire} function-body changes, which need no bump)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(lib: &str, manifest: &str) -> Snapshot {
        Snapshot {
            sources: BTreeMap::from([("lib.rs".to_owned(), lib.to_owned())]),
            manifest: manifest.to_owned(),
            workspace_manifest: "[workspace.dependencies]\nreqwest = { version = \"0.13\", default-features = false }\n".to_owned(),
        }
    }

    const LIB: &str = "pub use reqwest;\npub use chrono::{NaiveDate, NaiveDateTime};\nmod client;\npub use client::Client;\n/// A trait.\npub trait Op { fn path(&self) -> String; }\n#[cfg(feature = \"mock\")]\npub mod mock;\npub struct S { pub a: i64, b: i64 }\nimpl S { pub fn get(&self) -> i64 { self.b } }\n";
    const MANIFEST: &str = "[package]\nname = \"client-runtime\"\nversion = \"0.1.0\"\n\n[dependencies]\nreqwest.workspace = true\nchrono = { version = \"0.4\", default-features = false }\n\n[features]\n# typed mocks\nmock = [\"dep:wiremock\"]\n";

    fn classes(old: &str, new: &str, old_manifest: &str, new_manifest: &str) -> Vec<(Class, String)> {
        let changes = needing_a_bump(&changes(&snapshot(old, old_manifest), &snapshot(new, new_manifest)).unwrap());
        changes.into_iter().map(|c| (c.class, c.item)).collect()
    }

    #[test]
    fn docs_and_bodies_need_no_bump() {
        let new = LIB.replace("/// A trait.", "/// A trait, documented.").replace("self.b }", "self.b + 0 }");
        assert_eq!(classes(LIB, &new, MANIFEST, MANIFEST), vec![]);
        assert_eq!(classes(LIB, LIB, MANIFEST, MANIFEST), vec![]);
    }

    #[test]
    fn what_api_diff_sees_and_what_it_does_not_are_changes() {
        let added_method = LIB.replace("impl S {", "impl S { pub fn more(&self) {} ");
        // api-diff's own key for it (`S::more`, with or without the module)
        let added = classes(LIB, &added_method, MANIFEST, MANIFEST);
        assert!(matches!(added.as_slice(), [(Class::Additive, item)] if item.ends_with("S::more")), "{added:?}");
        let trait_changed = LIB.replace("fn path(&self) -> String;", "fn path(&self) -> String; fn method(&self) -> String;");
        assert_eq!(classes(LIB, &trait_changed, MANIFEST, MANIFEST), vec![(Class::Breaking, "trait lib::Op".to_owned())]);
        let reexport_gone = LIB.replace("NaiveDate, NaiveDateTime", "NaiveDate");
        assert_eq!(classes(LIB, &reexport_gone, MANIFEST, MANIFEST), vec![(Class::Breaking, "use lib::chrono::NaiveDateTime".to_owned())]);
        let behind_feature = LIB.replace("pub use client::Client;", "#[cfg(feature = \"mock\")]\npub use client::Client;");
        assert_eq!(classes(LIB, &behind_feature, MANIFEST, MANIFEST), vec![(Class::Breaking, "use lib::client::Client".to_owned())]);
        let feature_gone = MANIFEST.replace("mock = [\"dep:wiremock\"]\n", "");
        assert_eq!(classes(LIB, LIB, MANIFEST, &feature_gone), vec![(Class::Breaking, "feature mock".to_owned())]);
        let chrono_next = MANIFEST.replace("version = \"0.4\"", "version = \"0.5\"");
        assert_eq!(classes(LIB, LIB, MANIFEST, &chrono_next), vec![(Class::Breaking, "crate chrono".to_owned())]);
        let chrono_same_range = MANIFEST.replace("version = \"0.4\"", "version = \"0.4.30\"");
        assert_eq!(classes(LIB, LIB, MANIFEST, &chrono_same_range), vec![]);
    }

    #[test]
    fn requirements_ranges_and_versions_read_as_cargo_means_them() {
        let workspace = "[workspace.dependencies]\nserde_json = \"1\"\nreqwest = { version = \"0.13\", features = [\"x\"] }\n[dev-dependencies]\nwiremock = \"0.6\"\n";
        assert_eq!(requirement(workspace, "serde_json").as_deref(), Some("1"));
        assert_eq!(requirement(workspace, "reqwest").as_deref(), Some("0.13"));
        assert_eq!(requirement(workspace, "wiremock"), None);
        assert_eq!(compatible_range("1.36"), "1.x");
        assert_eq!(compatible_range("0.13"), "0.13.x");
        assert_eq!(compatible_range("^0.0.3"), "0.0.3");
        assert_eq!(versions("# Log\n\n## Unreleased\n\n## 0.2.0 - 2026-01-02\n\n## 0.1.0\n"), ["0.2.0", "0.1.0"]);
        assert!(at_least("0.2.0", "0.1.1") && at_least("0.1.1", "0.1.1") && !at_least("0.1.0", "0.1.1") && at_least("0.10.0", "0.9.0"));
        assert_eq!(features(MANIFEST), ["mock"]);
        assert!(released_on("## 0.2.0 - 2026-12-07\n", "0.2.0") && !released_on("## 0.2.0\n", "0.2.0") && !released_on("## 0.2.0 - soon\n", "0.2.0"));
    }

    /// The check on a repository of its own: a release, an API change
    /// without a bump (fails), the bump (passes, before and after its
    /// commit, and absorbs more changes while undated as long as it is
    /// large enough), a released version changed (fails).
    #[test]
    fn the_check_fails_on_a_change_without_a_bump_and_passes_with_one() {
        let dir = std::env::temp_dir().join(format!("runtime-api-check-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let write = |path: &str, text: &str| {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let git = |args: &[&str]| {
            let out = std::process::Command::new("git").args(args).current_dir(&dir).output().unwrap();
            assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        };
        let commit = |message: &str| {
            git(&["add", "-A"]);
            git(&["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message]);
        };
        let manifest = |version: &str| format!("[package]\nname = \"client-runtime\"\nversion = \"{version}\"\n\n[dependencies]\nreqwest.workspace = true\n");
        // each heading as given (`0.1.0 - 2026-01-01` is released)
        let log = |headings: &[&str]| {
            let sections: String = headings.iter().map(|v| format!("## {v}\n\n- something\n\n")).collect();
            format!("# Changelog\n\n## Unreleased\n\nNothing yet.\n\n{sections}")
        };
        let lib = |path: &str, text: &str| write(&format!("{RUNTIME_DIR}/src/{path}"), text);
        const LIB: &str = "pub use reqwest;\npub struct Client { pub base: String }\nimpl Client { pub fn get(&self) -> &str { &self.base } }\n";
        write("Cargo.toml", "[workspace.dependencies]\nreqwest = \"0.13\"\n");
        write(&format!("{RUNTIME_DIR}/Cargo.toml"), &manifest("0.1.0"));
        write(&format!("{RUNTIME_DIR}/CHANGELOG.md"), &log(&["0.1.0 - 2026-01-01"]));
        lib("lib.rs", LIB);
        git(&["init", "-q"]);
        commit("release 0.1.0");
        assert!(check(&dir).is_ok(), "{:?}", check(&dir));

        // a method added to the released 0.1.0, no bump
        let added = LIB.replace("impl Client {", "impl Client { pub fn put(&self) {}");
        lib("lib.rs", &added);
        let error = check(&dir).unwrap_err();
        assert!(error.contains("without a version bump") && error.contains("Client::put") && error.contains("version = \"0.1.1\""), "{error}");
        // a bump in Cargo.toml alone: the changelog has no section for it
        write(&format!("{RUNTIME_DIR}/Cargo.toml"), &manifest("0.1.1"));
        assert!(check(&dir).unwrap_err().contains("write its `## 0.1.1` section"));
        // and its section, undated: passes, before and after the commit
        write(&format!("{RUNTIME_DIR}/CHANGELOG.md"), &log(&["0.1.1", "0.1.0 - 2026-01-01"]));
        assert!(check(&dir).is_ok(), "{:?}", check(&dir));
        commit("API change, 0.1.1 in preparation");
        assert!(check(&dir).is_ok(), "{:?}", check(&dir));

        // a field made private (breaking) while 0.1.1 is prepared: too small
        let broken = added.replace("pub struct Client { pub base: String }", "pub struct Client { base: String }");
        lib("lib.rs", &broken);
        let error = check(&dir).unwrap_err();
        assert!(error.contains("more than the bump to 0.1.1 allows: it needs 0.2.0") && error.contains("field `base` removed"), "{error}");
        // the version in preparation becomes 0.2.0, and takes more changes
        write(&format!("{RUNTIME_DIR}/Cargo.toml"), &manifest("0.2.0"));
        write(&format!("{RUNTIME_DIR}/CHANGELOG.md"), &log(&["0.2.0", "0.1.0 - 2026-01-01"]));
        assert!(check(&dir).is_ok(), "{:?}", check(&dir));
        commit("breaking, 0.2.0 in preparation");
        lib("lib.rs", &broken.replace("impl Client {", "impl Client { pub fn delete(&self) {}"));
        assert!(check(&dir).is_ok(), "{:?}", check(&dir));

        // 0.2.0 released (dated); then a major bump of a re-exported crate
        write(&format!("{RUNTIME_DIR}/CHANGELOG.md"), &log(&["0.2.0 - 2026-02-01", "0.1.0 - 2026-01-01"]));
        commit("release 0.2.0");
        assert!(check(&dir).is_ok(), "{:?}", check(&dir));
        write("Cargo.toml", "[workspace.dependencies]\nreqwest = \"0.14\"\n");
        let error = check(&dir).unwrap_err();
        assert!(error.contains("since its release 0.2.0") && error.contains("crate reqwest") && error.contains("version = \"0.3.0\""), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
