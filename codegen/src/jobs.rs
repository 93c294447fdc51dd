//! Emits and renders every file of the plan on every core: each thread
//! takes the next job (a file, or a tag's files), emits it and renders it.

use crate::code::Code;
use crate::diagnostics::Diagnostic;
use crate::{emit, ir, render};
use std::collections::BTreeMap;

/// Emits and renders every file, on as many threads as there are cores:
/// each thread takes the next job of the plan, emits it and renders it
/// (tokens cannot cross threads). Returns the files and the internal errors.
pub fn emit_and_render(api: &ir::Api, header: &str) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let plan = emit::Plan::new(api);
    let jobs = plan.jobs();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let worker = || {
        let ctx = emit::context(api);
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&job) = jobs.get(i) else { return done };
            done.push((job, run_job(&plan, job, &ctx, header)));
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len());
    let done: Vec<_> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
        let mut done = worker();
        for thread in others {
            done.extend(thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        done
    });
    let mut files = BTreeMap::new();
    let mut errors = Vec::new();
    let mut exported = BTreeMap::new(); // tag index -> names
    let mut add = |path: String, rendered: Result<String, String>| match rendered {
        Ok(text) => {
            files.insert(path, text);
        }
        Err(e) => errors.push(Diagnostic::error("#", format!("internal generator error in {path}: {e}"))),
    };
    for (job, out) in done {
        if let emit::Job::Tag(i) = job {
            exported.insert(i, out.exported);
        }
        for (path, rendered) in out.files {
            add(path, rendered);
        }
    }
    // the module list needs every tag's names
    let (path, tokens) = plan.operations_mod(&exported.into_values().collect::<Vec<_>>());
    add(path, render::render(header, tokens.into()));
    (files, errors)
}

/// What one job made: rendered files (or why one failed to render), and
/// the names a tag exports.
struct JobOutput {
    files: Vec<(String, Result<String, String>)>,
    exported: Vec<String>,
}

/// Emits and renders one job. A tag whose file would be too long to review
/// becomes a directory with one file per operation.
fn run_job(plan: &emit::Plan, job: emit::Job, ctx: &emit::Ctx, header: &str) -> JobOutput {
    let emit::Job::Tag(i) = job else {
        let (path, code) = plan.file(job, ctx);
        return JobOutput { files: vec![(path, render::render(header, code))], exported: Vec::new() };
    };
    // each operation is emitted once, for one file or the other
    let ops = plan.tag_ops(i, ctx);
    let (path, code, exported) = plan.tag_file(i, &ops, ctx);
    let rendered = render::render(header, code);
    if !rendered.as_ref().is_ok_and(|text| text.lines().count() > MAX_FILE_LINES) {
        return JobOutput { files: vec![(path, rendered)], exported };
    }
    let (split, exported) = plan.split_tag(i, ops, ctx);
    let files = split.into_iter().map(|(path, code)| (path, render::render(header, code))).collect();
    JobOutput { files, exported }
}

/// Files longer than this are hard to review; an operations file over it is
/// split (one file per operation).
pub const MAX_FILE_LINES: usize = 1500;

/// Renders every file on one thread (the reference for the tests and the
/// stage timings).
pub fn render_all(header: &str, code: BTreeMap<String, Code>, diags: &mut Vec<Diagnostic>) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for (path, code) in code {
        match render::render(header, code) {
            Ok(text) => {
                files.insert(path, text);
            }
            Err(e) => diags.push(Diagnostic::error("#", format!("internal generator error in {path}: {e}"))),
        }
    }
    files
}
