//! A generated standalone crate builds wherever it is copied: it depends on
//! `client-runtime` by version, and nothing of this checkout is reachable
//! from where it is built.
//!
//! The proof, offline: the runtime is packaged (`cargo package`), put in a
//! local file registry (Cargo's `local-registry` source, in a temporary
//! directory) that replaces crates.io, with every other crate taken from
//! Cargo's own download cache (its index entries and `.crate` files); the
//! crate is generated into another temporary directory, outside the
//! checkout, and `cargo check --offline` builds it there. No `[patch]`, no
//! path into the checkout: the build sees the runtime only as a registry
//! user would, through its package.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

/// Makes the crate to check: `generate(out)` writes a standalone crate
/// (with its Cargo.toml) into `out`.
pub type Generator<'a> = &'a dyn Fn(&Path) -> Result<(), String>;

/// Packages the runtime, lays out the registry and the crate in a fresh
/// temporary directory, and builds the crate there offline. The build's
/// target directory is `target/standalone` of the checkout (only compiled
/// artefacts: the dependencies build once and are reused by later runs).
pub fn check(root: &Path, cargo: &Path, generate: Generator) -> Result<(), String> {
    check_with(root, cargo, generate, false)
}

/// [`check`], then, with `readme`, `readme_dependency_in`'s
/// application against the same registry (so the dependencies it shares
/// with the generated crate build once).
pub fn check_with(root: &Path, cargo: &Path, generate: Generator, readme: bool) -> Result<(), String> {
    // the same place each run: Cargo unpacks a local registry's crates under
    // a name made from its path, and a new path would build every
    // dependency again
    let work = std::env::temp_dir().join("client-runtime-standalone-check");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let result = check_in(root, cargo, generate, &work).and_then(|registry| if readme { readme_dependency_in(root, cargo, &work, &registry) } else { Ok(()) });
    if result.is_ok() {
        let _ = fs::remove_dir_all(&work);
    } else {
        eprintln!("(left {} for a look)", work.display());
    }
    result
}

/// Returns the local registry's path.
fn check_in(root: &Path, cargo: &Path, generate: Generator, work: &Path) -> Result<PathBuf, String> {
    let runtime = package_runtime(root, cargo)?;
    let registry = work.join("registry");
    let crates = local_registry(&cargo_home(), &registry)?;
    add_crate(&runtime, &registry, work, cargo)?;
    println!("local registry {}: client-runtime {} and {crates} crates of Cargo's cache", registry.display(), crate::RUNTIME_VERSION);

    let app = work.join("app");
    generate(&app)?;
    let manifest = fs::read_to_string(app.join("Cargo.toml")).map_err(|e| format!("the generated Cargo.toml: {e}"))?;
    check_manifest(&manifest, root)?;
    // the configuration a registry user has: crates.io (here replaced by the
    // local registry), nothing else
    fs::create_dir_all(work.join(".cargo")).map_err(|e| e.to_string())?;
    fs::write(
        work.join(".cargo/config.toml"),
        format!(
            "[source.crates-io]\nreplace-with = \"local-file-registry\"\n\n[source.local-file-registry]\nlocal-registry = {:?}\n\n[net]\noffline = true\n",
            registry.display().to_string()
        ),
    )
    .map_err(|e| e.to_string())?;
    forget_built(cargo, root, &app, &["client-runtime"])?;
    // with no TLS back end the build stops, naming the two features
    let out = check_app(cargo, root, &app, "mock")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() || !stderr.contains("needs a TLS back end") {
        return Err(format!("a build of the generated crate with no TLS back end was not refused with the error that names them:\n{stderr}"));
    }
    // the platform's TLS alone, and the mocks: the workspace builds the
    // default (rustls), so each back end is built by `cargo xtask test`
    let out = check_app(cargo, root, &app, "native-tls,mock")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("the generated crate copied to {} does not build from the registry:\n{stderr}", app.display()));
    }
    // the runtime came from the registry (crates.io's name, replaced by the
    // local one), as the package made here: its checksum
    let lock = fs::read_to_string(app.join("Cargo.lock")).map_err(|e| format!("the crate's Cargo.lock: {e}"))?;
    let checksum = sha256(&runtime)?;
    let entry = lock.split("[[package]]").find(|p| p.contains("name = \"client-runtime\"")).unwrap_or_default();
    if !entry.contains("source = \"registry+") || !entry.contains(&checksum) {
        return Err(format!("client-runtime did not come from the packaged runtime in the registry (checksum {checksum}):\n{entry}"));
    }
    if stderr.contains(&root.display().to_string()) || lock.contains(&root.display().to_string()) {
        return Err(format!("the build reached into the checkout:\n{stderr}"));
    }
    Ok(registry)
}

/// Cargo takes a registry crate's build for the crate while its name and
/// version stay (a registry's crates do not change): what was built from
/// an earlier package of the same version is removed from the standalone
/// target directory (after a build of the runtime without its TLS check,
/// the check passed on that build).
fn forget_built(cargo: &Path, root: &Path, app: &Path, crates: &[&str]) -> Result<(), String> {
    let mut clean = Command::new(cargo);
    clean.args(["clean", "--offline", "--quiet"]).current_dir(app).env("CARGO_TARGET_DIR", root.join("target/standalone"));
    for krate in crates {
        clean.args(["-p", krate]);
    }
    crate::run_quiet(&mut clean).map(|_| ())
}

/// `cargo check` of the crate at `app` with only `features`, offline,
/// warnings denied, in the standalone target directory.
fn check_app(cargo: &Path, root: &Path, app: &Path, features: &str) -> Result<std::process::Output, String> {
    app_check(cargo, root, app, &["--no-default-features", "--features", features])
}

/// `cargo check --offline <args>` of the application at `app`, as its
/// developer would run it: warnings denied, in the standalone target
/// directory, and none of the `CARGO_*` variables `cargo xtask` runs under.
fn app_check(cargo: &Path, root: &Path, app: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    let mut build = Command::new(cargo);
    build
        .args(["check", "--offline", "--message-format", "short"])
        .args(args)
        .current_dir(app)
        .env("CARGO_TARGET_DIR", root.join("target/standalone"))
        .env("RUSTFLAGS", "-D warnings");
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(|k| k.starts_with("CARGO_") && k != "CARGO_HOME" && k != "CARGO_TARGET_DIR") {
            build.env_remove(key);
        }
    }
    println!("==> {build:?} in {}", app.display());
    build.output().map_err(|e| format!("cargo check: {e}"))
}

/// Where the README shows an application's `Cargo.toml` lines for a
/// registry dependency: the first ```toml block after this heading.
pub const README_DEPENDENCY_HEADING: &str = "### Depending on the client from a registry";

/// The README's `Cargo.toml` lines for depending on powens from a registry.
pub fn readme_dependency_lines(readme: &str) -> Result<String, String> {
    let section = readme.split(README_DEPENDENCY_HEADING).nth(1).ok_or(format!("README.md has no `{README_DEPENDENCY_HEADING}` section"))?;
    let block = section.split("```toml\n").nth(1).and_then(|b| b.split("```").next()).ok_or("README.md's registry section has no ```toml block")?;
    Ok(block.to_owned())
}

/// The README's registry dependency works as shown: `powens` packaged
/// and added to the registry of [`check`] (which holds the packaged
/// `client-runtime` and Cargo's cache, replacing crates.io), an application
/// beside the generated crate whose Cargo.toml holds the README's lines
/// word for word (powens by version, its `mock` feature for the tests),
/// checked offline with a test using the typed mocks. A README whose
/// version no longer takes powens' fails.
fn readme_dependency_in(root: &Path, cargo: &Path, work: &Path, registry: &Path) -> Result<(), String> {
    let readme = fs::read_to_string(root.join("README.md")).map_err(|e| format!("README.md: {e}"))?;
    let lines = readme_dependency_lines(&readme)?;
    // powens depends on the unpublished runtime: packaged together, cargo
    // resolves it from the packages
    let mut package = Command::new(cargo);
    package.args(["package", "--quiet", "--allow-dirty", "--no-verify", "-p", "client-runtime", "-p", "powens"]).current_dir(root);
    println!("==> {package:?}");
    let out = package.output().map_err(|e| format!("cargo package: {e}"))?;
    if !out.status.success() {
        return Err(format!("cargo package -p client-runtime -p powens failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    let manifest = fs::read_to_string(root.join("generated-client/powens/Cargo.toml")).map_err(|e| e.to_string())?;
    let version = crate::changelog::manifest_version(&manifest).ok_or("powens has no version")?;
    add_crate(&root.join(format!("target/package/powens-{version}.crate")), registry, work, cargo)?;
    let app = work.join("readme-app");
    fs::create_dir_all(app.join("src")).map_err(|e| e.to_string())?;
    fs::create_dir_all(app.join("tests")).map_err(|e| e.to_string())?;
    let manifest = format!("[package]\nname = \"readme-app\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n{lines}\n[workspace]\n");
    fs::write(app.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    fs::write(app.join("src/main.rs"), "fn main() {\n    println!(\"{}\", std::any::type_name::<powens::Client>());\n}\n").map_err(|e| e.to_string())?;
    fs::write(
        app.join("tests/mock.rs"),
        "#[test]\nfn the_typed_mocks_are_there() {\n    println!(\"{}\", std::any::type_name::<powens::mock::MockServer>());\n}\n",
    )
    .map_err(|e| e.to_string())?;
    forget_built(cargo, root, &app, &["client-runtime", "powens"])?;
    let out = app_check(cargo, root, &app, &["--all-targets"])?;
    if !out.status.success() {
        return Err(format!(
            "an application with the README's Cargo.toml lines (`{README_DEPENDENCY_HEADING}`) does not build against the packaged crates:\n{lines}\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let lock = fs::read_to_string(app.join("Cargo.lock")).map_err(|e| format!("the application's Cargo.lock: {e}"))?;
    for krate in ["client-runtime", "powens"] {
        let entry = lock.split("[[package]]").find(|p| p.contains(&format!("name = \"{krate}\""))).unwrap_or_default();
        if !entry.contains("source = \"registry+") {
            return Err(format!("{krate} did not come from the registry:\n{entry}"));
        }
    }
    println!("an application with the README's Cargo.toml lines builds, powens and client-runtime from the registry, the mock feature in its tests");
    Ok(())
}

/// The generated manifest depends on the runtime by version, never by path
/// nor through a `[patch]`, and names nothing of the checkout.
pub fn check_manifest(manifest: &str, root: &Path) -> Result<(), String> {
    let wanted = format!("client-runtime = {{ version = \"{}\", default-features = false }}", crate::RUNTIME_VERSION);
    if !manifest.lines().any(|l| l.trim() == wanted) {
        return Err(format!("the generated Cargo.toml does not say `{wanted}`:\n{manifest}"));
    }
    if manifest.contains("path =") || manifest.contains("[patch") || manifest.contains(&root.display().to_string()) {
        return Err(format!("the generated Cargo.toml points into a checkout:\n{manifest}"));
    }
    Ok(())
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

/// `cargo package -p client-runtime` (not verified here: the packaging
/// check does that); the path of the `.crate`.
fn package_runtime(root: &Path, cargo: &Path) -> Result<PathBuf, String> {
    let mut package = Command::new(cargo);
    package.args(["package", "--quiet", "--allow-dirty", "--no-verify", "-p", "client-runtime"]).current_dir(root);
    println!("==> {package:?}");
    let out = package.output().map_err(|e| format!("cargo package: {e}"))?;
    if !out.status.success() {
        return Err(format!("cargo package -p client-runtime failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    let file = root.join(format!("target/package/client-runtime-{}.crate", crate::RUNTIME_VERSION));
    if file.exists() {
        Ok(file)
    } else {
        Err(format!("cargo package wrote no {}", file.display()))
    }
}

/// The path of a crate's file in a registry index (`se/rd/serde`, `3/s/syn`).
pub fn index_path(name: &str) -> String {
    let lower = name.to_lowercase();
    match lower.len() {
        1 => format!("1/{lower}"),
        2 => format!("2/{lower}"),
        3 => format!("3/{}/{lower}", &lower[..1]),
        _ => format!("{}/{}/{lower}", &lower[..2], &lower[2..4]),
    }
}

/// The index entries of Cargo's cache file for one crate (`index/*/.cache/..`):
/// a version byte, a 4-byte index version, the index's own version and a
/// NUL, then a NUL-ended version and NUL-ended JSON line per version.
pub fn cache_entries(bytes: &[u8]) -> Vec<(String, String)> {
    let Some(rest) = bytes.get(5..) else { return Vec::new() };
    let mut parts = rest.split(|b| *b == 0);
    let _index_version = parts.next();
    let mut entries = Vec::new();
    while let (Some(version), Some(line)) = (parts.next(), parts.next()) {
        if let (Ok(version), Ok(line)) = (std::str::from_utf8(version), std::str::from_utf8(line)) {
            if !line.is_empty() {
                entries.push((version.to_string(), line.to_string()));
            }
        }
    }
    entries
}

/// Lays out a `local-registry` at `registry` from Cargo's cache: each
/// `.crate` file downloaded, and the index entries of each crate. A crate
/// with some versions downloaded keeps only those (the resolver must not
/// pick one it cannot unpack offline); one with none (a dependency of
/// another platform, resolved but never built here) keeps all. Returns the
/// number of crates.
fn local_registry(cargo_home: &Path, registry: &Path) -> Result<usize, String> {
    let mut downloaded: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    fs::create_dir_all(registry).map_err(|e| format!("{}: {e}", registry.display()))?;
    for dir in subdirs(&cargo_home.join("registry/cache"), "index.crates.io-") {
        for file in fs::read_dir(&dir).map_err(|e| e.to_string())?.flatten().map(|e| e.path()) {
            let Some(stem) = file.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".crate")) else { continue };
            // name-version: the version starts at the last `-` followed by a digit
            let Some(cut) = stem.char_indices().filter(|(i, c)| *c == '-' && stem[i + 1..].starts_with(|d: char| d.is_ascii_digit())).map(|(i, _)| i).next() else { continue };
            downloaded.entry(stem[..cut].to_lowercase()).or_default().insert(stem[cut + 1..].to_string());
            fs::copy(&file, registry.join(file.file_name().unwrap_or_default())).map_err(|e| format!("{}: {e}", file.display()))?;
        }
    }
    let mut crates = 0;
    for dir in subdirs(&cargo_home.join("registry/index"), "index.crates.io-") {
        let cache = dir.join(".cache");
        for file in walk_files(&cache) {
            let Ok(bytes) = fs::read(&file) else { continue };
            let entries = cache_entries(&bytes);
            let Some(name) = entries.first().and_then(|(_, line)| serde_json::from_str::<Value>(line).ok()).and_then(|v| v["name"].as_str().map(str::to_string)) else { continue };
            let kept = downloaded.get(&name.to_lowercase());
            let lines: Vec<&str> = entries.iter().filter(|(version, _)| kept.is_none_or(|k| k.contains(version))).map(|(_, line)| line.as_str()).collect();
            let path = registry.join("index").join(index_path(&name));
            fs::create_dir_all(path.parent().unwrap_or(registry)).map_err(|e| e.to_string())?;
            fs::write(&path, lines.join("\n") + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
            crates += 1;
        }
    }
    if crates == 0 {
        return Err(format!("Cargo's cache in {} holds no index: build the workspace once first", cargo_home.display()));
    }
    Ok(crates)
}

/// Adds a packaged crate to the registry: its `.crate` file and its index
/// entry, written from its packaged manifest (`cargo metadata`) as a
/// registry writes it (dependencies, features, the file's SHA-256).
fn add_crate(file: &Path, registry: &Path, work: &Path, cargo: &Path) -> Result<(), String> {
    let unpacked = work.join("unpacked");
    fs::create_dir_all(&unpacked).map_err(|e| e.to_string())?;
    crate::run_quiet(Command::new("tar").arg("xzf").arg(file).arg("-C").arg(&unpacked))?;
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let metadata = crate::run_quiet(
        Command::new(cargo)
            .args(["metadata", "--no-deps", "--offline", "--format-version", "1", "--manifest-path"])
            .arg(unpacked.join(stem).join("Cargo.toml")),
    )?;
    let metadata: Value = serde_json::from_str(&metadata).map_err(|e| format!("cargo metadata: {e}"))?;
    let package = &metadata["packages"][0];
    let checksum = sha256(file)?;
    let line = index_line(package, &checksum);
    let name = package["name"].as_str().unwrap_or_default();
    let path = registry.join("index").join(index_path(name));
    fs::create_dir_all(path.parent().unwrap_or(registry)).map_err(|e| e.to_string())?;
    // this crate alone under its name, whatever crates.io has of that name
    fs::write(&path, format!("{line}\n")).map_err(|e| e.to_string())?;
    fs::copy(file, registry.join(file.file_name().unwrap_or_default())).map_err(|e| e.to_string())?;
    forget_unpacked(&cargo_home(), stem)
}

/// Cargo unpacks a registry's crate once, under `registry/src/<source>/`,
/// and builds that copy from then on: a crate packaged again under the same
/// version would be checked as it was the first time (this check passed on
/// a stale runtime once). The copies from local registries (whose source
/// directory is not a remote index's) are removed, so the crate is
/// unpacked, and built, from the package just made.
fn forget_unpacked(cargo_home: &Path, stem: &str) -> Result<(), String> {
    let Ok(sources) = fs::read_dir(cargo_home.join("registry/src")) else { return Ok(()) };
    for source in sources.flatten().map(|e| e.path()) {
        let remote = source.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("index."));
        let copy = source.join(stem);
        if !remote && copy.exists() {
            fs::remove_dir_all(&copy).map_err(|e| format!("{}: {e}", copy.display()))?;
        }
    }
    Ok(())
}

/// A registry index line for a package of `cargo metadata`.
pub fn index_line(package: &Value, checksum: &str) -> String {
    let deps: Vec<Value> = package["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|dep| {
            let renamed = dep["rename"].as_str();
            json!({
                "name": renamed.unwrap_or_else(|| dep["name"].as_str().unwrap_or_default()),
                "package": renamed.map(|_| dep["name"].clone()),
                "req": dep["req"],
                "features": dep["features"],
                "optional": dep["optional"],
                "default_features": dep["uses_default_features"],
                "target": dep["target"],
                "kind": dep["kind"].as_str().unwrap_or("normal"),
            })
        })
        .collect();
    // features naming `dep:x` or `x?/f` go in `features2`, as crates.io does
    let (mut plain, mut new) = (serde_json::Map::new(), serde_json::Map::new());
    for (feature, list) in package["features"].as_object().into_iter().flatten() {
        let newer = list.as_array().into_iter().flatten().any(|f| f.as_str().is_some_and(|f| f.starts_with("dep:") || f.contains("?/")));
        if newer { &mut new } else { &mut plain }.insert(feature.clone(), list.clone());
    }
    let mut line = json!({
        "name": package["name"],
        "vers": package["version"],
        "deps": deps,
        "features": plain,
        "cksum": checksum,
        "yanked": false,
        "links": package["links"],
        "rust_version": package["rust_version"],
    });
    if !new.is_empty() {
        line["features2"] = Value::Object(new);
        line["v"] = json!(2);
    }
    line.to_string()
}

fn sha256(file: &Path) -> Result<String, String> {
    let out = crate::run_quiet(Command::new("sha256sum").arg(file))?;
    out.split_whitespace().next().map(str::to_string).ok_or_else(|| format!("sha256sum {}: no sum", file.display()))
}

fn subdirs(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix)))
        .collect();
    dirs.sort();
    dirs
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for p in fs::read_dir(&d).into_iter().flatten().flatten().map(|e| e.path()) {
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_paths_follow_the_registry_layout() {
        assert_eq!(index_path("a"), "1/a");
        assert_eq!(index_path("cc"), "2/cc");
        assert_eq!(index_path("syn"), "3/s/syn");
        assert_eq!(index_path("Serde_json"), "se/rd/serde_json");
    }

    #[test]
    fn cargo_cache_files_read_as_version_and_line() {
        let mut bytes = vec![3, 2, 0, 0, 0];
        bytes.extend_from_slice(b"etag\0");
        bytes.extend_from_slice(b"1.0.0\0{\"name\":\"x\",\"vers\":\"1.0.0\"}\0");
        bytes.extend_from_slice(b"1.1.0\0{\"name\":\"x\",\"vers\":\"1.1.0\"}\0");
        let entries = cache_entries(&bytes);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1], ("1.1.0".to_string(), "{\"name\":\"x\",\"vers\":\"1.1.0\"}".to_string()));
        assert!(cache_entries(&[3]).is_empty());
    }

    #[test]
    fn an_index_line_carries_dependencies_renames_and_new_style_features() {
        let package = json!({
            "name": "client-runtime", "version": "0.1.0", "links": null, "rust_version": "1.88",
            "dependencies": [
                {"name": "wiremock", "rename": null, "req": "^0.6", "features": [], "optional": true, "uses_default_features": true, "target": null, "kind": null},
                {"name": "tokio", "rename": "rt", "req": "^1", "features": ["time"], "optional": false, "uses_default_features": false, "target": "cfg(unix)", "kind": "dev"}
            ],
            "features": {"mock": ["dep:wiremock"], "plain": []}
        });
        let line: Value = serde_json::from_str(&index_line(&package, "abc")).unwrap();
        assert_eq!(line["deps"][0]["kind"], "normal");
        assert_eq!(line["deps"][0]["optional"], true);
        assert_eq!(line["deps"][1]["name"], "rt");
        assert_eq!(line["deps"][1]["package"], "tokio");
        assert_eq!(line["deps"][1]["default_features"], false);
        assert_eq!(line["features2"]["mock"][0], "dep:wiremock");
        assert_eq!(line["features"]["plain"], json!([]));
        assert_eq!((line["v"].clone(), line["cksum"].clone()), (json!(2), json!("abc")));
    }

    /// The README's registry lines name powens by a requirement its
    /// version meets (the build itself is `cargo xtask standalone`).
    #[test]
    fn the_readme_registry_lines_match_the_crates_versions() {
        let readme = fs::read_to_string(crate::root().join("README.md")).unwrap();
        let lines = readme_dependency_lines(&readme).unwrap();
        let manifest = fs::read_to_string(crate::root().join("generated-client/powens/Cargo.toml")).unwrap();
        let version = crate::changelog::manifest_version(&manifest).unwrap();
        let requirement = lines.lines().find_map(|l| l.strip_prefix("powens = \"")).and_then(|r| r.split('"').next()).unwrap();
        assert!(
            crate::runtime_api::compatible_range(requirement) == crate::runtime_api::compatible_range(&version),
            "README.md's `powens = \"{requirement}\"` does not take powens {version}"
        );
        assert!(lines.contains("[dependencies]") && lines.contains("[dev-dependencies]") && lines.contains("features = [\"mock\"]"), "{lines}");
    }

    #[test]
    fn the_generated_manifest_depends_on_the_runtime_by_version() {
        let root = Path::new("/checkout");
        let good = format!("[dependencies]\nclient-runtime = {{ version = \"{}\", default-features = false }}\n", crate::RUNTIME_VERSION);
        assert!(check_manifest(&good, root).is_ok());
        assert!(check_manifest("[dependencies]\nclient-runtime = { path = \"/checkout/generated-client/runtime\" }\n", root).is_err());
        let patched = format!("{good}[patch.crates-io]\nclient-runtime = {{ git = \"x\" }}\n");
        assert!(check_manifest(&patched, root).is_err());
    }
}
