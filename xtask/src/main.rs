//! `cargo xtask codegen [--check]`, `generate`, `bench`, `test`.

// generation allocates many small strings (syn identifiers, tokens); the
// system allocator made a third of `generate`'s time
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str = "usage:
  cargo xtask codegen [--check]     regenerate every client from spec/ (or only report)
  cargo xtask generate --spec FILE --out DIR [--name CRATE]
                                    a standalone crate for any OpenAPI 3.0 spec
  cargo xtask bench [--generation-only]
                                    generation time, crate build time, line counts
  cargo xtask test                  install the test tools, run every check and test
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
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(args.iter().any(|a| a == "--check")),
        Some("generate") => generate(&args[1..]),
        Some("bench") => bench::run(args.iter().any(|a| a == "--generation-only")),
        Some("test") => test::run_all(),
        Some("fuzz") => fuzz::run(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

mod bench;
mod fuzz;
mod test;

fn codegen(check: bool) -> Result<(), String> {
    let root = xtask::root();
    let report = xtask::codegen(&root, check)?;
    for w in &report.warnings {
        eprintln!("{w}");
    }
    let changed = report.stale.len() + report.missing.len() + report.orphaned.len();
    if check {
        if report.is_clean() {
            println!("generated code is up to date");
            return Ok(());
        }
        return Err(format!(
            "generated code is out of date ({changed} files):\n{}run `{}` and commit the result",
            rel(&report.describe(), &root),
            xtask::FIX_COMMAND
        ));
    }
    println!("codegen: {changed} files written or removed");
    Ok(())
}

fn rel(text: &str, root: &Path) -> String {
    text.replace(&format!("{}/", root.display()), "")
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn generate(args: &[String]) -> Result<(), String> {
    let spec = flag(args, "--spec").ok_or(USAGE)?;
    let out = flag(args, "--out").ok_or(USAGE)?;
    let out = PathBuf::from(out);
    let default_name = out.file_name().and_then(|n| n.to_str()).unwrap_or("client").replace('-', "_");
    let name = flag(args, "--name").unwrap_or(default_name);
    let start = Instant::now();
    let warnings = xtask::generate_crate(Path::new(&spec), &out, &name)?;
    for w in &warnings {
        eprintln!("{w}");
    }
    println!(
        "generated crate `{name}` in {} ({} warnings, {:.1} ms); build it with `cargo build --manifest-path {}/Cargo.toml`",
        out.display(),
        warnings.len(),
        start.elapsed().as_secs_f64() * 1000.0,
        out.display()
    );
    Ok(())
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
