//! `cargo xtask test`: installs what the tests need (openapi-spec-validator
//! from PyPI, Prism from npm into tools/), then runs every check: spec
//! validation, freshness, the whole test suite (including conformance
//! against Prism), clippy and rustdoc with warnings denied, and a fuzz run.

use crate::{output, run};
use std::process::Command;

const PRISM_VERSION: &str = "5.14.2";

pub fn run_all() -> Result<(), String> {
    let root = xtask::root();
    let tools = root.join("tools");
    // 1. tools
    if Command::new("openapi-spec-validator").arg("--help").output().is_err() {
        run(Command::new("python3").args(["-m", "pip", "install", "--quiet", "openapi-spec-validator"]))?;
    }
    let prism = tools.join("node_modules/.bin/prism");
    if !prism.exists() {
        std::fs::create_dir_all(&tools).map_err(|e| e.to_string())?;
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"])
            .arg(&tools)
            .arg(format!("@stoplight/prism-cli@{PRISM_VERSION}")))?;
    }
    // 2. the specs are valid OpenAPI
    run(Command::new("openapi-spec-validator").args(["spec/powens.yaml", "spec/finapi.yaml"]))?;
    // 3. the checked-in clients are fresh
    let report = xtask::codegen(&root, true)?;
    if !report.is_clean() {
        return Err(format!("generated code is stale:\n{}run `{}`", report.describe(), xtask::FIX_COMMAND));
    }
    // 4. every test, with Prism available to the conformance tests
    run(Command::new(env!("CARGO")).args(["test", "--workspace", "--no-fail-fast"]).env("PRISM_BIN", &prism))?;
    // 5. the runtime as applications get it: no serde_json feature of ours
    //    reaches them, and amounts stay exact whether or not an application
    //    turns on serde_json's `arbitrary_precision` (Cargo unifies features,
    //    so each is a build of its own: the workspace's tests run with the
    //    generator's `preserve_order`)
    for krate in ["powens", "finapi", "client-runtime"] {
        let tree = output(Command::new(env!("CARGO")).args(["tree", "-p", krate, "-e", "features", "-i", "serde_json", "--edges", "normal"]))?;
        for feature in ["preserve_order", "arbitrary_precision", "float_roundtrip"] {
            if tree.contains(&format!("serde_json feature \"{feature}\"")) {
                return Err(format!("{krate} turns on serde_json's `{feature}`, which would reach every application:\n{tree}"));
            }
        }
    }
    run(Command::new(env!("CARGO")).args(["test", "-p", "client-runtime", "--lib"]))?;
    run(Command::new(env!("CARGO")).args(["test", "-p", "client-runtime", "--lib", "--features", "serde_json/arbitrary_precision"]))?;
    // 6. lints and docs, warnings denied
    run(Command::new(env!("CARGO")).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    run(Command::new(env!("CARGO")).args(["doc", "--workspace", "--no-deps"]).env("RUSTDOCFLAGS", "-D warnings"))?;
    // 7. the generator survives mutated specs
    crate::fuzz::run(&["--iterations".into(), "1000".into()])?;
    println!("cargo xtask test: all checks passed");
    Ok(())
}


