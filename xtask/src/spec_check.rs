//! `cargo xtask spec-check`: the maintainer's fast path after a spec edit.
//! It runs what a spec change can break, and nothing a spec change cannot
//! (the corpus, packaging, the standalone and installed-tool builds, the
//! compile oracle, fuzzing, the runtime's own matrix stay in `cargo xtask
//! test`):
//!
//! 1. the test tools, installed as `cargo xtask test` installs them
//!    (openapi-spec-validator from PyPI, Prism from npm into `tools/`);
//! 2. the specs are valid OpenAPI (openapi-spec-validator);
//! 3. `cargo xtask codegen`: the clients regenerated, any warning on the
//!    project's specs a failure naming its rule;
//! 4. clippy with warnings denied on the generated crates;
//! 5. the generated crates' own tests, the runtime bench's check of its
//!    mirror of `powens::models::Transaction`, then the tests crate's `it` binary
//!    (models from random instances, the spec's examples, every operation
//!    against a Prism mock from the spec, the typed mocks, wire behaviour,
//!    snapshots, freshness, the api-diff reports);
//! 6. the API report of the edit (`cargo xtask api-diff` against `HEAD`),
//!    for the pull request.
//!
//! Every step runs even after one fails; the summary says which failed,
//! with the command that reruns it alone.

use std::process::Command;
use std::time::Instant;

use crate::run;

/// The tests of the `it` binary that read no spec of `spec/` (fixtures,
/// the runtime alone, other builds): skipped here, run by `cargo xtask
/// test`. Each by its name's start, with why.
pub const NOT_THE_SPEC: &[(&str, &str)] = &[
    ("api_diff::every_case_has_its_report_and_its_class", "the fixture cases of tests/fixtures/api_diff"),
    ("api_diff::a_real_new_version", "two committed Adyen specs"),
    ("de_differential", "the runtime's decoder against serde_json's, on random JSON"),
    ("diagnostics", "the bad_* fixtures"),
    ("real_specs", "fixtures of real-world spec shapes"),
    ("names", "the naming rules"),
    ("freshness::a_generated_standalone_crate_builds", "a cargo build of the crate generate makes from the real_world fixture"),
    ("freshness::the_freshness_check_notices", "the freshness check on a scratch tree"),
    ("snapshots::every_fixture_matches_its_snapshots", "the fixtures' generated files"),
    ("snapshots::no_orphaned_snapshots", "the fixtures' snapshot files"),
    ("snapshots::a_split_spec_generates_what_its_bundle_generates", "the multi_file fixture"),
];

/// `cargo xtask spec-check`.
pub fn run_all() -> Result<(), String> {
    let root = xtask::root();
    let prism = xtask::prism_path(&root);
    let start = Instant::now();
    let cargo = || {
        let mut command = Command::new(env!("CARGO"));
        // snapshots are read, never written, here
        command.env("INSTA_UPDATE", "no").env("INSTA_FORCE_PASS", "0");
        command
    };
    let steps: Vec<crate::test::Step> = vec![
        ("install the test tools", "cargo xtask spec-check", Box::new(|| crate::test::install_tools(&root))),
        ("the specs are valid OpenAPI", "openapi-spec-validator spec/powens.yaml spec/finapi.yaml", Box::new(|| {
            run(Command::new("openapi-spec-validator").args(["spec/powens.yaml", "spec/finapi.yaml"]).current_dir(&root))
        })),
        ("the clients regenerate, with no warning on the project's specs", "cargo xtask codegen", Box::new(|| {
            let report = xtask::codegen(&root, false)?;
            if !report.is_clean() {
                println!("{}", report.describe());
            }
            xtask::cli::no_warnings(&report.warnings)
        })),
        ("clippy on the generated crates, warnings denied", "cargo clippy -p powens -p finapi --all-features -- -D warnings", Box::new(|| {
            run(cargo().args(["clippy", "--quiet", "-p", "powens", "-p", "finapi", "--all-features", "--", "-D", "warnings"]))
        })),
        ("the generated crates' tests, and the bench's mirror of a generated model", "cargo test -p powens -p finapi --all-features; cargo test -p tests --example runtime_bench", Box::new(|| {
            run(cargo().args(["test", "--quiet", "-p", "powens", "-p", "finapi", "--all-features"]))?;
            run(cargo().args(["test", "--quiet", "-p", "tests", "--example", "runtime_bench"]))
        })),
        ("the tests a spec change can break (models, examples, conformance against Prism, mocks, wire, secrets, snapshots of the specs, freshness, the README's report)", "cargo build -p tests --example walkthrough; cargo test -p tests --test it -- --skip ... (see xtask/src/spec_check.rs)", Box::new(|| {
            // the README's program, run by `wire::walkthrough` as a binary
            // (`cargo test --test it` alone does not build examples: on a
            // fresh clone it would be missing)
            run(cargo().args(["build", "--quiet", "-p", "tests", "--example", "walkthrough"]))?;
            let mut command = cargo();
            command.args(["test", "--quiet", "-p", "tests", "--test", "it", "--"]).env("PRISM_BIN", &prism);
            for (test, _) in NOT_THE_SPEC {
                command.args(["--skip", test]);
            }
            run(&mut command)
        })),
        ("the API report of the edit (paste it in the pull request)", "cargo xtask api-diff", Box::new(|| {
            for spec in xtask::TARGETS.iter().map(|t| t.spec) {
                let given = std::collections::BTreeMap::from([("--spec".to_owned(), spec.to_owned())]);
                println!("{spec}:\n{}", xtask::api_diff::report(&given)?.text);
            }
            Ok(())
        })),
    ];
    // each step says how long it took
    let steps: Vec<crate::test::Step> = steps
        .into_iter()
        .map(|(name, rerun, step)| -> crate::test::Step {
            (name, rerun, Box::new(move || {
                let start = Instant::now();
                let result = step();
                println!("({:.1} s)", start.elapsed().as_secs_f64());
                result
            }))
        })
        .collect();
    let (summary, failed) = crate::test::run_steps(steps);
    println!("\ncargo xtask spec-check ({:.0} s):\n{summary}", start.elapsed().as_secs_f64());
    if failed == 0 {
        println!("the spec edit passes what it can break; `cargo xtask test` runs everything");
        Ok(())
    } else {
        Err(format!("{failed} checks failed"))
    }
}
