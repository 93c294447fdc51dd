//! What `cargo xtask` and the installed generator (`client-gen`) share on
//! their command line: checked options, and the `generate` command.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The options given to a command (`program`, e.g. `cargo xtask codegen`),
/// checked against `known` (each option's name and whether it takes a
/// value): an unknown option, or one without its value, is an error with
/// `usage`. `None` for `--help` or `-h`.
pub fn parse(program: &str, known: &[(&str, bool)], args: &[String], usage: &str) -> Result<Option<BTreeMap<String, String>>, String> {
    let mut given = BTreeMap::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--help" || arg == "-h" {
            return Ok(None);
        }
        let Some((name, takes_value)) = known.iter().find(|(name, _)| name == arg) else {
            let names: Vec<&str> = known.iter().map(|(name, _)| *name).collect();
            return Err(format!("`{program}` has no option `{arg}`{}\n\n{usage}", did_you_mean(arg, &names)));
        };
        let value = if *takes_value {
            args.next().filter(|v| !v.starts_with("--")).ok_or_else(|| format!("`{name}` needs a value\n\n{usage}"))?.clone()
        } else {
            String::new()
        };
        given.insert(name.to_string(), value);
    }
    Ok(Some(given))
}

/// ` (did you mean `x`?)` for the closest name, if one is close.
pub fn did_you_mean(given: &str, names: &[&str]) -> String {
    codegen::diagnostics::closest(given, names).map(|name| format!(" (did you mean `{name}`?)")).unwrap_or_default()
}

/// The project's own specs are held to no warning at all: `Err` listing
/// each warning `cargo xtask codegen` found with its rule
/// (`[required-without-property] spec/powens.yaml: warning: ...`), and what
/// to do; `Ok` when there is none.
pub fn no_warnings(warnings: &[String]) -> Result<(), String> {
    if warnings.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = warnings.iter().map(|w| format!("  [{}] {w}", codegen::diagnostics::rule_of(w))).collect();
    Err(format!(
        "{} warning(s) on the project's own specs, where any warning fails (as the test `{}` does):\n{}\n\
         fix each at its line, or, where the spec is right as it is, acknowledge it at its place \
         (`x-acknowledged: {{warning: <part of the message>, reason: <why>}}`, spec/CONVENTIONS.md)",
        warnings.len(),
        NO_WARNINGS_TEST,
        lines.join("\n")
    ))
}

/// The test that fails on any warning of the project's specs.
pub const NO_WARNINGS_TEST: &str = "cargo test -p tests --test it -- the_projects_specs_have_no_warnings";

/// The options of `generate` (`cargo xtask generate`, `client-gen generate`).
pub const GENERATE_OPTIONS: &[(&str, bool)] = &[("--spec", true), ("--out", true), ("--name", true), ("--runtime-registry", true), ("--runtime-path", true)];

/// `generate --spec FILE --out DIR [--name CRATE] [--runtime-registry NAME |
/// --runtime-path DIR]`: a standalone crate in DIR. Paths are relative to
/// the current directory; nothing of this checkout is read (the runtime's
/// version is compiled in). Prints the spec's warnings on stderr; returns
/// the line saying what it made. `usage` follows a misuse.
pub fn generate(given: &BTreeMap<String, String>, usage: &str) -> Result<String, String> {
    let spec = given.get("--spec").ok_or_else(|| format!("`--spec` is needed\n\n{usage}"))?;
    let out = given.get("--out").ok_or_else(|| format!("`--out` is needed\n\n{usage}"))?;
    let out = PathBuf::from(out);
    let default_name = out.file_name().and_then(|n| n.to_str()).unwrap_or("client").replace('-', "_");
    let name = given.get("--name").cloned().unwrap_or(default_name);
    let start = Instant::now();
    let runtime = match (given.get("--runtime-registry"), given.get("--runtime-path")) {
        (Some(_), Some(_)) => return Err(format!("`--runtime-registry` and `--runtime-path` exclude each other\n\n{usage}")),
        (Some(registry), None) => crate::Runtime::Registry { version: crate::RUNTIME_VERSION.to_string(), registry: Some(registry.clone()) },
        (None, Some(path)) => {
            let path = PathBuf::from(path);
            crate::Runtime::Path(path.canonicalize().map_err(|e| format!("--runtime-path {}: {e}", path.display()))?)
        }
        (None, None) => crate::Runtime::published(),
    };
    let warnings = crate::generate_crate_with(Path::new(spec), &out, &name, &runtime)?;
    for w in &warnings {
        eprintln!("{w}");
    }
    Ok(format!(
        "generated crate `{name}` in {} ({} warnings, {:.1} ms); build it with `cargo build --manifest-path {}/Cargo.toml`",
        out.display(),
        warnings.len(),
        start.elapsed().as_secs_f64() * 1000.0,
        out.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn options_are_checked_against_the_known_ones() {
        let typo = parse("tool generate", GENERATE_OPTIONS, &args(&["--spc", "a"]), "USAGE").unwrap_err();
        assert_eq!(typo, "`tool generate` has no option `--spc` (did you mean `--spec`?)\n\nUSAGE");
        assert!(parse("tool generate", GENERATE_OPTIONS, &args(&["--out", "x", "-h"]), "U").unwrap().is_none());
        let missing = parse("tool generate", GENERATE_OPTIONS, &args(&["--spec", "--out"]), "U").unwrap_err();
        assert_eq!(missing, "`--spec` needs a value\n\nU");
    }

    #[test]
    fn a_warning_on_the_projects_specs_fails_naming_its_rule() {
        assert_eq!(no_warnings(&[]), Ok(()));
        let warning = "spec/powens.yaml: warning: #/components/schemas/A/required/0 (line 9): `labell` is required but there is no such property (did you mean `label`?); ignored";
        let error = no_warnings(&[warning.to_owned()]).unwrap_err();
        assert!(error.starts_with("1 warning(s) on the project's own specs"), "{error}");
        assert!(error.contains(&format!("  [required-without-property] {warning}")), "{error}");
        assert!(error.contains("x-acknowledged") && error.contains(NO_WARNINGS_TEST), "{error}");
    }

    #[test]
    fn generate_needs_its_spec_and_out_and_one_runtime() {
        let given = |list: &[&str]| parse("g", GENERATE_OPTIONS, &args(list), "U").unwrap().unwrap();
        assert_eq!(generate(&given(&["--out", "x"]), "U").unwrap_err(), "`--spec` is needed\n\nU");
        assert_eq!(generate(&given(&["--spec", "x"]), "U").unwrap_err(), "`--out` is needed\n\nU");
        let both = generate(&given(&["--spec", "a", "--out", "b", "--runtime-registry", "r", "--runtime-path", "p"]), "U").unwrap_err();
        assert!(both.starts_with("`--runtime-registry` and `--runtime-path` exclude each other"), "{both}");
    }
}
