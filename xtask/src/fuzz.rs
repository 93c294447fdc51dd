//! A dependency-free mutation fuzzer: takes every spec and fixture, mutates
//! its text (byte flips, line deletions and duplications, splices between
//! files, type and $ref rewrites; for specs split across files, one of
//! their files) and checks that the generator returns
//! files or diagnostics and never panics.

use std::process::Command;
use std::time::Instant;

use xtask::Rng;

const TOKENS: &[&str] = &[
    "type: integr", "$ref: '#/components/schemas/Nope'", "nullable: true", "type: [string, \"null\"]", "enum: [true, 1, null]",
    "oneOf: []", "allOf: [{}]", "required: [ghost]", "additionalProperties: {}", "items: {}", "in: path", "in: cookie",
    "style: deepObject", "explode: false", "format: binary", "format: sql-date-time", "default: CURRENT_TIMESTAMP",
    "operationId: dup", "content: {bogus: {}}", "'{': x", "- ", ": ", "{", "}", "[", "]", "~1", "\t", "\"", "&a", "*a",
];

fn mutate(rng: &mut Rng, text: &str, other: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..=rng.below(4) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(7) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => {
                let indent = lines[i].len() - lines[i].trim_start().len();
                let tok = TOKENS[rng.below(TOKENS.len())];
                lines.insert(i, format!("{}{tok}", " ".repeat(indent)));
            }
            3 => {
                let o: Vec<&str> = other.lines().collect();
                if !o.is_empty() {
                    let j = rng.below(o.len());
                    lines[i] = o[j].to_string();
                }
            }
            4 => {
                let mut bytes = lines[i].clone().into_bytes();
                if !bytes.is_empty() {
                    let k = rng.below(bytes.len());
                    bytes[k] = b" :-{}[]'\"#&*!|>0aZ"[rng.below(18)];
                }
                lines[i] = String::from_utf8_lossy(&bytes).into_owned();
            }
            5 => lines.truncate(i),
            _ => {
                let l = lines[i].trim_start().to_string();
                lines[i] = l;
            }
        }
    }
    lines.join("\n")
}

/// The input being tried: iteration, since when, text.
type Current = std::sync::Arc<std::sync::Mutex<Option<(usize, Instant, std::sync::Arc<str>)>>>;

/// An input the generator spends more than this on is a failure (it
/// would hang, or eat the memory): the watchdog saves it and stops.
const MAX_SECONDS_PER_INPUT: u64 = 20;

/// Starts the watchdog thread; the loop keeps the returned slot current.
fn watchdog() -> Current {
    let current: Current = Default::default();
    let watched = current.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
        let Ok(guard) = watched.lock() else { return };
        if let Some((n, since, input)) = guard.as_ref() {
            if since.elapsed().as_secs() > MAX_SECONDS_PER_INPUT {
                let path = std::env::temp_dir().join(format!("fuzz-failure-{n}.yaml"));
                let _ = std::fs::write(&path, input.as_bytes());
                eprintln!("fuzz: iteration {n}: the generator took over {MAX_SECONDS_PER_INPUT} s; input saved to {}", path.display());
                std::process::exit(1);
            }
        }
    });
    current
}

pub fn run(args: &[String]) -> Result<(), String> {
    let iterations: usize = args
        .iter()
        .position(|a| a == "--iterations")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    // `--trace`: each input is written to a file before it is tried
    let trace = args.iter().any(|a| a == "--trace").then(|| std::env::temp_dir().join("fuzz-current.yaml"));
    let root = xtask::root();
    let mut corpus = Vec::new();
    for dir in ["spec", "tests/fixtures"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "yaml")).collect();
        paths.sort();
        for p in paths {
            if let Ok(t) = std::fs::read_to_string(&p) {
                corpus.push(t);
            }
        }
    }
    if corpus.is_empty() {
        return Err("fuzz: no corpus".into());
    }
    // specs split across files (`tests/fixtures/<name>/api.yaml`): one of
    // their files is mutated in every fifth iteration
    let mut split_specs: Vec<std::collections::BTreeMap<String, String>> = Vec::new();
    for dir in std::fs::read_dir(root.join("tests/fixtures")).into_iter().flatten().flatten().map(|e| e.path()) {
        if !dir.join("api.yaml").exists() || dir.file_name().is_some_and(|n| n.to_string_lossy().starts_with("bad_")) {
            continue;
        }
        let mut files = std::collections::BTreeMap::new();
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            for path in std::fs::read_dir(&d).into_iter().flatten().flatten().map(|e| e.path()) {
                if path.is_dir() {
                    stack.push(path);
                } else if let (Ok(text), Ok(relative)) = (std::fs::read_to_string(&path), path.strip_prefix(&dir)) {
                    files.insert(relative.to_string_lossy().replace('\\', "/"), text);
                }
            }
        }
        split_specs.push(files);
    }
    // `--seed N` replays a sequence of mutations; `--seed random` (what
    // `cargo xtask test` uses) takes a new one each run. The seed is printed.
    let seed: u64 = match args.iter().position(|a| a == "--seed").and_then(|i| args.get(i + 1)).map(String::as_str) {
        None => 0,
        Some("random") => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64),
        Some(n) => n.parse().map_err(|_| format!("fuzz: --seed takes a number or `random`, not `{n}`"))?,
    };
    // `--min-generated P`: fail when under P% of the inputs generate (the
    // emit and render stages would go untried)
    let min_generated: f64 = args.iter().position(|a| a == "--min-generated").and_then(|i| args.get(i + 1)).and_then(|n| n.parse().ok()).unwrap_or(0.0);
    // `--check-sample N`: the first N generated crates are type-checked
    let check_sample: usize = args.iter().position(|a| a == "--check-sample").and_then(|i| args.get(i + 1)).and_then(|n| n.parse().ok()).unwrap_or(0);
    println!("fuzz: seed {seed} (replay with `cargo xtask fuzz --seed {seed} --iterations {iterations}`)");
    let mut samples: Vec<(usize, String, std::collections::BTreeMap<String, String>)> = Vec::new();
    let mut rng = Rng((0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0x2545_F491_4F6C_DD1D)).max(1));
    let options = codegen::Options { spec_label: "fuzz.yaml".into() };
    let start = Instant::now();
    let (mut ok, mut rejected) = (0usize, 0usize);
    let current = watchdog();
    for n in 0..iterations {
        let a = rng.below(corpus.len());
        let b = rng.below(corpus.len());
        let mut split = (n % 5 == 4 && !split_specs.is_empty()).then(|| split_specs[rng.below(split_specs.len())].clone());
        let input = match &mut split {
            Some(files) => {
                let names: Vec<String> = files.keys().cloned().collect();
                let name = &names[rng.below(names.len())];
                let mutated = mutate(&mut rng, &files[name], &corpus[b]);
                files.insert(name.clone(), mutated);
                files.iter().map(|(file, text)| format!("# ---- {file}\n{text}\n")).collect()
            }
            None => mutate(&mut rng, &corpus[a], &corpus[b]),
        };
        if let Some(path) = &trace {
            // a stack overflow aborts the process: the input must be on disk before
            let _ = std::fs::write(path, &input);
        }
        if let Ok(mut current) = current.lock() {
            *current = Some((n, Instant::now(), std::sync::Arc::from(input.as_str())));
        }
        let outcome = std::panic::catch_unwind(|| match &split {
            Some(files) => {
                let read = |path: &str| files.get(path).cloned().ok_or_else(|| format!("no file `{path}`"));
                codegen::generate_files("api.yaml", &read, &options)
            }
            None => codegen::generate(&input, &options),
        });
        let save = |what: &str| {
            let path = std::env::temp_dir().join(format!("fuzz-failure-{n}.yaml"));
            let _ = std::fs::write(&path, &input);
            format!("fuzz: iteration {n}: {what}; input saved to {}", path.display())
        };
        match outcome {
            Ok(Ok(generated)) => {
                ok += 1;
                if samples.len() < check_sample {
                    samples.push((n, input.clone(), generated.files));
                }
            }
            Ok(Err(diags)) if diags.iter().any(|d| d.message.starts_with("internal generator error")) => {
                return Err(save("the generator wrote code that does not parse"));
            }
            Ok(Err(diags)) if !diags.is_empty() => rejected += 1,
            Ok(Err(_)) => return Err(save("rejected with no diagnostic")),
            Err(_) => return Err(save("the generator panicked")),
        }
    }
    if let Ok(mut current) = current.lock() {
        *current = None;
    }
    println!(
        "fuzz: {iterations} mutated specs in {:.1} s: {ok} generated, {rejected} rejected with diagnostics, 0 panics",
        start.elapsed().as_secs_f64()
    );
    let share = 100.0 * ok as f64 / iterations.max(1) as f64;
    if share < min_generated {
        return Err(format!("fuzz: only {share:.1}% of the inputs generated (at least {min_generated}% wanted): the mutations no longer reach emit and render"));
    }
    if !samples.is_empty() {
        type_check(&root, &samples)?;
    }
    Ok(())
}

/// Type-checks generated crates: each sample is a module of one crate
/// (`target/fuzz-check`), checked by `cargo check`; a sample that does not
/// compile fails the run, its input saved.
fn type_check(root: &std::path::Path, samples: &[(usize, String, std::collections::BTreeMap<String, String>)]) -> Result<(), String> {
    let dir = root.join("target/fuzz-check");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    let write = |path: std::path::PathBuf, text: &str| -> Result<(), String> {
        std::fs::create_dir_all(path.parent().unwrap_or(&dir)).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let runtime = root.join("generated-client/runtime");
    write(
        dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"fuzz-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nclient-runtime = {{ path = {:?} }}\nserde = \"1\"\n\n[features]\nmock = [\"client-runtime/mock\"]\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    )?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| e.to_string())?;
    write(dir.join("Cargo.lock"), &lock)?;
    let mut lib = String::from("#![allow(warnings, clippy::all)]\n");
    for (n, _, files) in samples {
        lib.push_str(&format!("#[rustfmt::skip]\npub mod sample_{n};\n"));
        for (path, text) in files {
            write(dir.join(format!("src/sample_{n}")).join(path), text)?;
        }
    }
    write(dir.join("src/lib.rs"), &lib)?;
    let out = Command::new(env!("CARGO"))
        // the typed mocks are checked too
        .args(["check", "--quiet", "--features", "mock", "--message-format", "short", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/fuzz-check/target"))
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        println!("fuzz: {} generated crates type-checked", samples.len());
        return Ok(());
    }
    let errors = String::from_utf8_lossy(&out.stderr).into_owned();
    let failing: Vec<String> = samples
        .iter()
        .filter(|(n, _, _)| errors.contains(&format!("src/sample_{n}/")))
        .map(|(n, input, _)| {
            let path = std::env::temp_dir().join(format!("fuzz-failure-{n}.yaml"));
            let _ = std::fs::write(&path, input);
            format!("iteration {n} (input saved to {})", path.display())
        })
        .collect();
    let head: String = errors.lines().take(30).collect::<Vec<_>>().join("\n");
    Err(format!("fuzz: generated code does not compile: {}\n{head}", failing.join(", ")))
}
