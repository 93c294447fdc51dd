//! `cargo test --release -p codegen --lib -- --ignored --nocapture timing`:
//! the median time of each stage over 30 runs on spec/powens.yaml (set
//! `ONLY_GENERATE` to time `generate` alone). `1a` and `1b` are the two
//! steps of `load` on one thread; emit and render time every file, unsplit,
//! on one thread. Figures, not a pass/fail test.

use super::*;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

#[test]
#[ignore]
fn timing() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/powens.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let options = Options { spec_label: "spec/powens.yaml".into() };
    let only_generate = std::env::var_os("ONLY_GENERATE").is_some();
    let mut stages: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut time = |name, t: Instant| stages.entry(name).or_default().push(t.elapsed());
    for _ in 0..30 {
        let t = Instant::now();
        std::hint::black_box(generate(&text, &options).unwrap());
        time("0 generate", t);
        if only_generate {
            continue;
        }
        let t = Instant::now();
        let value = serde_yaml::from_str::<serde_json::Value>(&text).unwrap();
        time("1a yaml->Value, 1 thread", t);
        let t = Instant::now();
        std::hint::black_box(serde_json::from_value::<openapiv3::OpenAPI>(value).unwrap());
        time("1b Value->OpenAPI, 1 thread", t);
        let t = Instant::now();
        let (spec, _, _) = load::load(&text).unwrap();
        time("1 load", t);
        let t = Instant::now();
        let (api, _) = lower::lower(&spec);
        time("2 lower", t);
        let t = Instant::now();
        let emitted = emit::emit(&api, &BTreeSet::new());
        time("3 emit, 1 thread", t);
        let t = Instant::now();
        let emitted: BTreeMap<_, _> = emitted.into_iter().map(|(path, t)| (path, count_tokens(t).1)).collect();
        time("3b count_tokens", t);
        let t = Instant::now();
        std::hint::black_box(render_all("", emitted, &mut Vec::new()));
        time("4 render, 1 thread", t);
    }
    for (name, times) in stages {
        println!("{name:<28} {:6.1} ms", median(times));
    }
}
