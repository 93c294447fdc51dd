//! Per-stage timing for `cargo xtask bench`: the median time of each stage
//! over `runs` runs. `1a` and `1b` are the two steps of `load` on one
//! thread; emit and render time every file, unsplit, on one thread (in
//! `generate` they share the cores), render split into the model files and
//! the others. Figures, not a pass/fail check.

use crate::diagnostics::Diagnostic;
use crate::jobs::render_all;
use crate::{emit, lint, load, lower};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

/// `(stage, median milliseconds)` for a spec that generates, in order;
/// `generate` is the whole pipeline (the crate's, handed down).
pub fn stage_timings<T>(text: &str, runs: usize, generate: impl Fn(&str) -> Result<T, Vec<Diagnostic>>) -> Result<Vec<(String, f64)>, Vec<Diagnostic>> {
    let mut stages: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut time = |name, t: Instant| stages.entry(name).or_default().push(t.elapsed());
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        std::hint::black_box(generate(text)?);
        time("0 generate", t);
        let t = Instant::now();
        if let Ok(value) = serde_yaml::from_str::<serde_json::Value>(text) {
            time("1a yaml->Value, 1 thread", t);
            let t = Instant::now();
            std::hint::black_box(serde_json::from_value::<openapiv3::OpenAPI>(value).ok());
            time("1b Value->OpenAPI, 1 thread", t);
        }
        let t = Instant::now();
        let (spec, raw, _) = load::load(text)?;
        time("1 load", t);
        let t = Instant::now();
        std::hint::black_box(lint::lint(&raw));
        time("1c lint (beside lower), 1 thread", t);
        let t = Instant::now();
        let (api, _) = lower::lower(&spec);
        time("2 lower", t);
        let t = Instant::now();
        let emitted = emit::emit(&api, &BTreeSet::new());
        time("3 emit, 1 thread", t);
        let (models, rest): (BTreeMap<_, _>, BTreeMap<_, _>) = emitted.into_iter().partition(|(p, _)| p.starts_with("models"));
        let t = Instant::now();
        std::hint::black_box(render_all("", models, &mut Vec::new()));
        time("4a render models, 1 thread", t);
        let t = Instant::now();
        std::hint::black_box(render_all("", rest, &mut Vec::new()));
        time("4b render rest, 1 thread", t);
    }
    Ok(stages.into_iter().map(|(name, times)| (name.to_string(), median(times))).collect())
}
