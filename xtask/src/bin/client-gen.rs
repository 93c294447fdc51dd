//! `client-gen`: the generator as a tool, for any OpenAPI 3.0/3.1 spec,
//! outside this repository (`cargo install --path xtask --bin client-gen`).
//! What `cargo xtask generate` and `cargo xtask api-diff --old A --new B`
//! do, through the same library functions; paths are relative to the
//! current directory, and nothing of the checkout it was built from is
//! read (the runtime's version is compiled in), unless `--runtime-path`
//! names a runtime to depend on by path.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use xtask::{api_diff, cli};

const USAGE: &str = "usage:
  client-gen generate --spec FILE --out DIR [--name CRATE]
                      [--runtime-registry NAME | --runtime-path DIR]
                      a client crate for an OpenAPI 3.0/3.1 spec (one file, or split
                      across files by $ref) in DIR (its Cargo.toml, src/lib.rs and
                      src/generated/); CRATE defaults to DIR's name. It depends on
                      client-runtime by version: from crates.io, from the registry NAME
                      of Cargo's configuration, or by path with --runtime-path
  client-gen api-diff --old A.yaml --new B.yaml [--current-version X.Y.Z]
                      [--format markdown|json] [--fail-on breaking]
                      what regenerating from B instead of A changes in the crate's
                      public API (breaking, additive, docs only), and the next semver
                      version after --current-version (default 0.1.0); --fail-on
                      breaking exits with 1 when a change is breaking
  client-gen --help | --version";

const GENERATE: &[(&str, bool)] = cli::GENERATE_OPTIONS;
const API_DIFF: &[(&str, bool)] = &[("--old", true), ("--new", true), ("--current-version", true), ("--format", true), ("--fail-on", true)];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok((text, code)) => {
            println!("{text}");
            code
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

/// What the command prints on stdout and its exit code, or the error.
fn run(args: &[String]) -> Result<(String, ExitCode), String> {
    let command = args.first().map(String::as_str).unwrap_or("");
    let rest = args.get(1..).unwrap_or_default();
    let known = match command {
        "--help" | "-h" | "help" => return Ok((USAGE.to_string(), ExitCode::SUCCESS)),
        "--version" | "-V" => {
            let version = format!("client-gen {} (generates for client-runtime {})", env!("CARGO_PKG_VERSION"), xtask::RUNTIME_VERSION);
            return Ok((version, ExitCode::SUCCESS));
        }
        "generate" => GENERATE,
        "api-diff" => API_DIFF,
        "" => return Err(format!("a command is needed\n\n{USAGE}")),
        other => return Err(format!("unknown command `{other}`{}\n\n{USAGE}", cli::did_you_mean(other, &["generate", "api-diff"]))),
    };
    let Some(given) = cli::parse(&format!("client-gen {command}"), known, rest, &usage_of(command))? else {
        return Ok((usage_of(command), ExitCode::SUCCESS));
    };
    match command {
        "generate" => cli::generate(&given, &usage_of(command)).map(|line| (line, ExitCode::SUCCESS)),
        _ => api_diff_specs(&given),
    }
}

/// `client-gen api-diff --old A --new B`: `cargo xtask api-diff --old A
/// --new B`'s report, with the current version given rather than read from
/// this repository's crate.
fn api_diff_specs(given: &BTreeMap<String, String>) -> Result<(String, ExitCode), String> {
    let (Some(old), Some(new)) = (given.get("--old"), given.get("--new")) else {
        return Err(format!("`--old` and `--new` are needed\n\n{}", usage_of("api-diff")));
    };
    let current = given.get("--current-version").map_or("0.1.0", String::as_str);
    if current.split('.').count() != 3 || !current.split('.').all(|n| n.parse::<u64>().is_ok()) {
        return Err(format!("`--current-version` takes a version like 1.4.0, not `{current}`"));
    }
    let report = api_diff::report_specs(Path::new(old), Path::new(new), current, given)?;
    Ok((report.text, if report.fails { ExitCode::FAILURE } else { ExitCode::SUCCESS }))
}

/// The lines of the usage about one command.
fn usage_of(command: &str) -> String {
    let mut lines = Vec::new();
    let mut inside = false;
    for line in USAGE.lines().skip(1) {
        if line.trim_start().starts_with("client-gen ") {
            inside = line.trim_start().starts_with(&format!("client-gen {command} "));
        }
        if inside {
            lines.push(line);
        }
    }
    format!("usage:\n{}", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn unknown_commands_and_options_are_refused_with_the_usage() {
        let error = run(&args(&["generat"])).unwrap_err();
        assert!(error.starts_with("unknown command `generat` (did you mean `generate`?)\n\nusage:"), "{error}");
        let error = run(&args(&["api-diff", "--old", "a", "--base", "HEAD"])).unwrap_err();
        assert!(error.starts_with("`client-gen api-diff` has no option `--base`"), "{error}");
        assert!(error.contains("client-gen api-diff --old A.yaml") && !error.contains("client-gen generate"), "its usage alone: {error}");
        let error = run(&args(&["generate", "--spec"])).unwrap_err();
        assert!(error.starts_with("`--spec` needs a value"), "{error}");
        assert!(run(&[]).unwrap_err().starts_with("a command is needed"));
        let error = run(&args(&["api-diff", "--old", "a.yaml"])).unwrap_err();
        assert!(error.starts_with("`--old` and `--new` are needed"), "{error}");
        let error = run(&args(&["api-diff", "--old", "a", "--new", "b", "--current-version", "v1"])).unwrap_err();
        assert!(error.contains("not `v1`"), "{error}");
    }

    #[test]
    fn help_and_version() {
        let (text, _) = run(&args(&["--help"])).unwrap();
        assert_eq!(text, USAGE);
        let (text, _) = run(&args(&["generate", "--help"])).unwrap();
        assert!(text.starts_with("usage:\n  client-gen generate --spec FILE") && !text.contains("api-diff"), "{text}");
        let (text, _) = run(&args(&["-V"])).unwrap();
        assert!(text.starts_with("client-gen 0.1.0"), "{text}");
    }

    #[test]
    fn every_option_is_in_the_usage() {
        for (command, known) in [("generate", GENERATE), ("api-diff", API_DIFF)] {
            let usage = usage_of(command);
            for (option, _) in known {
                assert!(usage.contains(option), "{command}: {option} is not in its usage:\n{usage}");
            }
        }
    }
}
