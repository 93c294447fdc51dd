//! `cargo xtask bench`: figures, not pass/fail. Generation time is the
//! median of many in-process runs in a release build; the crate build time
//! is a rebuild of the generated crate alone, its dependencies already built;
//! the runtime figures come from `tests/examples/runtime_bench.rs`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// `generation_only`: no crate builds, for whoever works on the generator.
pub fn run(generation_only: bool) -> Result<(), String> {
    if cfg!(debug_assertions) {
        // re-run in release: debug timings say nothing about the generator
        let mut args = vec!["run", "--release", "--quiet", "--package", "xtask", "--", "bench"];
        if generation_only {
            args.push("--generation-only");
        }
        return crate::run(Command::new(env!("CARGO")).args(args));
    }
    let root = xtask::root();
    println!("{:<20} {:>14} {:>26} {:>10} {:>22}", "spec", "generation", "crate build (with mock)", "lines", "largest file");
    for t in xtask::TARGETS {
        let text = std::fs::read_to_string(root.join(t.spec)).map_err(|e| e.to_string())?;
        let options = codegen::Options { spec_label: t.spec.into() };
        let mut times = Vec::new();
        for _ in 0..30 {
            let start = Instant::now();
            let out = codegen::generate(&text, &options).map_err(|_| format!("{} does not generate", t.spec))?;
            times.push(start.elapsed());
            std::hint::black_box(out);
        }
        times.sort();
        let median = times[times.len() / 2];
        let package = t.out.split('/').nth(1).unwrap_or_default();
        let build = if generation_only {
            "skipped".to_string()
        } else {
            // without the `mock` feature (what applications build), and with it
            let plain = crate_build_time(&root, package, false)?.as_secs_f64();
            let mock = crate_build_time(&root, package, true)?.as_secs_f64();
            format!("{plain:.1} s ({mock:.1} s)")
        };
        let (lines, largest, largest_lines) = line_counts(&root.join(t.out));
        println!(
            "{:<20} {:>11.1} ms {:>26} {:>10} {:>22}",
            t.spec,
            ms(median),
            build,
            lines,
            format!("{largest} ({largest_lines})")
        );
    }
    // where the time goes, for whoever makes it faster
    let spec = xtask::TARGETS[0].spec;
    let text = std::fs::read_to_string(root.join(spec)).map_err(|e| e.to_string())?;
    let stages = codegen::stage_timings(&text, 30).map_err(|_| format!("{spec} does not generate"))?;
    println!("\n{spec}, median of 30 runs per stage:");
    for (stage, ms) in stages {
        println!("  {stage:<28} {ms:6.1} ms");
    }
    whole_process(&root)?;
    if !generation_only {
        // the client at run time: its decode and encode paths against plain serde
        println!();
        crate::run(Command::new(env!("CARGO")).args(["run", "--release", "--quiet", "-p", "tests", "--example", "runtime_bench"]))?;
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Builds the package once (dependencies), then times a rebuild of it alone.
fn crate_build_time(root: &Path, package: &str, mock: bool) -> Result<Duration, String> {
    // no incremental cache: the figure is a full build of the crate itself
    let features: &[&str] = if mock { &["--features", "mock"] } else { &[] };
    let build = || {
        Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--package", package])
            .args(features)
            .env("CARGO_INCREMENTAL", "0")
            .current_dir(root)
            .status()
    };
    build().map_err(|e| e.to_string())?;
    let lib = root.join(format!("generated-client/{package}/src/lib.rs"));
    let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
    std::fs::write(&lib, &text).map_err(|e| e.to_string())?; // bump the mtime
    let start = Instant::now();
    let status = build().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("{package} does not build"));
    }
    Ok(start.elapsed())
}

fn line_counts(dir: &Path) -> (usize, String, usize) {
    let mut total = 0;
    let mut largest = (String::new(), 0);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                let n = text.lines().count();
                total += n;
                if n > largest.1 {
                    largest = (p.strip_prefix(dir).unwrap_or(&p).display().to_string(), n);
                }
            }
        }
    }
    (total, largest.0, largest.1)
}

/// The whole `cargo xtask generate` process, as a user runs it (start,
/// read, generate, write the crate), median of 10: on the Powens spec made
/// messy (a copy with 40 more operations with multipart bodies, missing
/// operationIds, defaults of the wrong type and a query parameter named
/// like a path parameter: hundreds of warnings), and on a spec split
/// across files.
fn whole_process(root: &Path) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let scratch = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let messy = scratch.join("messy.yaml");
    std::fs::write(&messy, messy_spec(&std::fs::read_to_string(root.join("spec/powens.yaml")).map_err(|e| e.to_string())?))
        .map_err(|e| e.to_string())?;
    println!("\nwhole `cargo xtask generate` process (release), median of 10:");
    for (label, spec) in [("messy Powens", messy.clone()), ("multi-file fixture", root.join("tests/fixtures/multi_file/api.yaml"))] {
        let out = scratch.join("out");
        let mut times = Vec::new();
        let mut warnings = String::new();
        for _ in 0..10 {
            let start = Instant::now();
            let result = Command::new(&exe).args(["generate", "--spec"]).arg(&spec).arg("--out").arg(&out).output().map_err(|e| e.to_string())?;
            times.push(start.elapsed());
            if !result.status.success() {
                return Err(format!("{label} does not generate: {}", String::from_utf8_lossy(&result.stderr)));
            }
            warnings = String::from_utf8_lossy(&result.stderr).lines().count().to_string();
        }
        times.sort();
        let files = walk_count(&out.join("src/generated"));
        println!("  {label:<22} {:>7.1} ms ({files} files, {warnings} warnings)", ms(times[times.len() / 2]));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

fn walk_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| if e.path().is_dir() { walk_count(&e.path()) } else { 1 })
        .sum()
}

/// The Powens spec with 40 more operations that carry the defects real
/// specs have.
fn messy_spec(powens: &str) -> String {
    let mut extra = String::new();
    for n in 0..40 {
        extra.push_str(&format!(
            "  /messy/{n}/{{id_user}}:\n    post:\n      parameters:\n        - {{name: id_user, in: path, required: true, schema: {{type: integer}}}}\n        \
             - {{name: id_user, in: query, schema: {{type: integer, default: \"seven\"}}}}\n      requestBody:\n        content:\n          \
             multipart/form-data:\n            schema:\n              type: object\n              required: [file, ghost]\n              properties:\n                \
             file: {{type: string, format: binary}}\n                note: {{type: string, nullable: true}}\n                count: {{type: integer, default: \"x\"}}\n                \
             tags: {{type: array, items: {{type: string}}}}\n      responses:\n        '200': {{description: ok}}\n"
        ));
    }
    powens.replacen("\npaths:\n", &format!("\npaths:\n{extra}"), 1)
}
