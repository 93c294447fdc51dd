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
    println!("{:<20} {:>14} {:>16} {:>10} {:>22}", "spec", "generation", "crate build", "lines", "largest file");
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
            format!("{:.1} s", crate_build_time(&root, package)?.as_secs_f64())
        };
        let (lines, largest, largest_lines) = line_counts(&root.join(t.out));
        println!(
            "{:<20} {:>11.1} ms {:>16} {:>10} {:>22}",
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
fn crate_build_time(root: &Path, package: &str) -> Result<Duration, String> {
    // no incremental cache: the figure is a full build of the crate itself
    let build = || {
        Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--package", package])
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
