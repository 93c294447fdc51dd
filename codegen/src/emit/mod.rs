//! IR to code, one [`Code`] per output file. One module per kind of output
//! file, none importing another: [`models`], [`operation`] (a tag's file,
//! or an operation's own: the client method, the request builder and its
//! response enum), [`webview`], [`webhooks`], [`mock`], [`root`] (`mod.rs`
//! files and the `Client`). Below them what they share: [`types`] (Rust
//! types of IR things; identifiers are quote's `format_ident!`), [`docs`]
//! (doc comments rustdoc accepts) and [`wire`] (the emit context; how a
//! value goes into a path, a query, a body or a multipart part), with
//! [`response`] (what comes back: response enums, decoding, paging) for
//! `operation` alone. An operation goes through them in phases, each
//! module once: its types, docs, request and response are worked out
//! first, then written (see [`operation`]). This module plans the files
//! and hands each job to one of them.
//!
//! Code is written one way: `quote!` tokens, which `render` lays out with
//! prettyplease. Until 2026-12-07 the regular items were also written as
//! text already in prettyplease's layout, with a layout engine of their
//! own, to save time; measured again then, whole process (`generate
//! --spec S --out D`, release, 2 cores, each pair of runs in turn,
//! medians; the same files byte for byte), one way costs too little to
//! keep the second:
//!
//! | spec | two ways | one way | one / two | progenitor 0.15 | one / progenitor |
//! |---|---|---|---|---|---|
//! | Budgea (APIs-guru `biapi.pro.json`, progenitor's 4 edits), 40 runs | 0.10 s wall, 0.16 s CPU | 0.12 s wall, 0.20 s CPU | 1.21x wall, 1.27x CPU | 0.39 s wall and CPU | 0.30x wall, 0.49x CPU |
//! | `spec/powens.yaml`, 30 runs | 0.089 s wall, 0.14 s CPU | 0.11 s wall, 0.18 s CPU | 1.24x wall, 1.33x CPU | (refuses it) | |
//! | APIs-guru `api.github.com.json`, 5.7 MB, 7 runs | 2.8 s wall, 3.7 s CPU | 3.0 s wall, 4.4 s CPU | 1.13x wall, 1.22x CPU | | |
//!
//! DESIGN's goal for one code path, half of progenitor's time on the
//! Budgea spec, holds (0.30x), and the largest spec stays within 1.5x.
//!
//! Generated code uses the prelude's names plainly (`Option`, `String`,
//! `Vec`...: no generated type may take one, see `names::PRELUDE`) and
//! names the rest of std, serde and the runtime by absolute paths, which
//! no schema can shadow. Operations files import the generated root as
//! `root` (`use super::super as root;`) and name the client and the models
//! from it: the same text then serves a tag's file and an operation's own
//! file one level deeper, and no generated item can take that name (they
//! are all `PascalCase`).
//!
//! Non-generic functions (setters, `send`, decoders) are `#[inline]`: that
//! way they are compiled in the crate that calls them, not in the generated
//! crate, which then builds without compiling code for the many operations
//! an application never calls.

mod docs;
mod mock;
mod models;
mod operation;
mod response;
mod root;
mod types;
mod webhooks;
mod webview;
mod wire;

use crate::code::Code;
use crate::ir::{Api, Model, ModelKind, Operation};
use crate::names;
use proc_macro2::TokenStream;
use std::collections::BTreeMap;

pub use wire::{context, Ctx};

/// Every output file (relative to the generated directory) and what it
/// is made from, decided up front: names are claimed in order here, so the
/// files themselves can be emitted in any order and on any thread (a
/// `TokenStream` cannot cross threads, the plan can).
pub struct Plan<'a> {
    api: &'a Api,
    /// Model module name and model.
    models: Vec<(String, &'a Model)>,
    /// Operations by tag module; see [`tags`].
    tags: Vec<(String, Vec<&'a Operation>)>,
    webviews: Vec<&'a Operation>,
}

/// One unit of work: a file, or the file(s) of one tag.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    Model(usize),
    ModelsMod,
    /// Tag `i` of the plan: see [`Plan::tag_file`] and [`Plan::split_tag`].
    Tag(usize),
    Webview,
    Webhooks,
    Root,
    /// `mock/mod.rs`, and the mocks of tag `i` (`mock/<tag>.rs`).
    MockMod,
    Mock(usize),
}

impl<'a> Plan<'a> {
    pub fn new(api: &'a Api) -> Self {
        // `models/models.rs` would trip clippy's module_inception
        let mut module_scope = names::Scope::with_reserved(&["mod", "models"]);
        let models = api.models.iter().map(|model| (module_scope.claim(model.module.clone()), model)).collect();
        let (by_module, webviews) = tags(api);
        Plan { api, models, tags: by_module.into_iter().collect(), webviews }
    }

    /// Every job, each file in exactly one; `operations/mod.rs` is apart
    /// (see [`Plan::operations_mod`]). The largest come first, so that
    /// threads taking jobs in turn finish together.
    pub fn jobs(&self) -> Vec<Job> {
        let mut tags: Vec<usize> = (0..self.tags.len()).collect();
        tags.sort_by_key(|&i| std::cmp::Reverse(self.tags[i].1.len()));
        let mut jobs: Vec<Job> = tags.into_iter().map(Job::Tag).collect();
        if !self.webviews.is_empty() {
            jobs.push(Job::Webview);
        }
        if !self.api.webhooks.is_empty() {
            jobs.push(Job::Webhooks);
        }
        jobs.extend([Job::Root, Job::ModelsMod, Job::MockMod]);
        jobs.extend((0..self.tags.len()).map(Job::Mock));
        jobs.extend((0..self.models.len()).map(Job::Model));
        jobs
    }

    /// The file of a job other than [`Job::Tag`].
    pub fn file(&self, job: Job, ctx: &Ctx) -> (String, Code) {
        match job {
            Job::Model(i) => {
                let (module, model) = &self.models[i];
                (format!("models/{module}.rs"), models::model_file(model))
            }
            Job::ModelsMod => {
                let entries: Vec<(String, String)> = self
                    .models
                    .iter()
                    .flat_map(|(module, model)| {
                        let required = match &model.kind {
                            ModelKind::Struct(s) => s.required_type.clone(),
                            _ => None,
                        };
                        std::iter::once(model.name.clone()).chain(required).map(|name| (module.clone(), name))
                    })
                    .collect();
                ("models/mod.rs".into(), root::mod_file("Data types of the API: one module per schema.", &entries, true).into())
            }
            Job::Tag(_) => unreachable!("a tag is emitted by tag_file or split_tag"),
            Job::Webview => ("webview.rs".into(), webview::webview_file(&self.webviews, &ctx.at_depth(1)).into()),
            Job::Webhooks => ("webhooks.rs".into(), webhooks::webhooks_file(&self.api.webhooks).into()),
            Job::MockMod => {
                let modules: Vec<String> = self.tags.iter().map(|(module, _)| module.clone()).collect();
                ("mock/mod.rs".into(), mock::mock_mod(&self.api.title, &modules).into())
            }
            Job::Mock(i) => {
                let (module, ops) = &self.tags[i];
                (format!("mock/{module}.rs"), mock::mock_tag_file(&ops[0].tag, ops).into())
            }
            Job::Root => {
                let root = root::root_file(self.api, !self.webviews.is_empty(), !self.api.webhooks.is_empty());
                ("mod.rs".into(), root.into())
            }
        }
    }

    /// Every operation of tag `i`, emitted once for [`Plan::tag_file`] or
    /// [`Plan::split_tag`].
    pub fn tag_ops(&self, i: usize, ctx: &Ctx) -> Vec<operation::EmittedOp<'a>> {
        operation::emit_ops(&self.tags[i].1, &ctx.rooted())
    }

    /// Tag `i` as one file, `operations/<tag>.rs`, and the names it exports.
    pub fn tag_file(&self, i: usize, ops: &[operation::EmittedOp], ctx: &Ctx) -> (String, Code, Vec<String>) {
        let (module, tag_ops) = &self.tags[i];
        let (code, exported) = operation::tag_file(&tag_ops[0].tag, ops, &ctx.rooted());
        (format!("operations/{module}.rs"), code, exported)
    }

    /// Tag `i` split, for a tag whose file would be too long to review: a
    /// directory with one file per operation, `operations/<tag>/`. The
    /// names it exports are those of [`Plan::tag_file`].
    pub fn split_tag(&self, i: usize, ops: Vec<operation::EmittedOp>, ctx: &Ctx) -> (Vec<(String, Code)>, Vec<String>) {
        let (module, tag_ops) = &self.tags[i];
        let tag = &tag_ops[0].tag;
        // operations/<tag>/mod.rs re-exports one module per operation; no
        // module is named `mod`, or like the tag (clippy's module_inception)
        let mut file_scope = names::Scope::with_reserved(&["mod", module]);
        let ctx = ctx.rooted();
        let mut files = Vec::new();
        let mut entries = Vec::new();
        for (index, (op, emitted)) in tag_ops.iter().zip(ops).enumerate() {
            let file = file_scope.claim(names::module(names::unraw(&op.method_name)));
            // the tag's header on the client's page once, not once per method
            let (code, exported) = operation::operation_file(tag, emitted, index == 0, &ctx);
            files.push((format!("operations/{module}/{file}.rs"), code));
            entries.extend(exported.into_iter().map(|name| (file.clone(), name)));
        }
        let doc = format!("Operations tagged `{}`, one module per operation.", tag.replace('`', "'"));
        files.push((format!("operations/{module}/mod.rs"), root::mod_file(&doc, &entries, true).into()));
        (files, entries.into_iter().map(|(_, name)| name).collect())
    }

    /// `operations/mod.rs`, from the names each tag exports (by tag index).
    pub fn operations_mod(&self, exported: &[Vec<String>]) -> (String, TokenStream) {
        let op_mods: Vec<(String, String)> = self
            .tags
            .iter()
            .zip(exported)
            .flat_map(|((module, _), names)| names.iter().map(move |name| (module.clone(), name.clone())))
            .collect();
        ("operations/mod.rs".into(), root::mod_file("Request builders, one module per tag.", &op_mods, false))
    }
}

/// Every output file, the tags (by module name) in `split` split: the
/// reference the parallel `generate` must match, and the one-thread emit
/// `stage_timings` measures.
pub fn emit(api: &Api, split: &std::collections::BTreeSet<String>) -> BTreeMap<String, Code> {
    let plan = Plan::new(api);
    let ctx = context(api);
    let mut files = BTreeMap::new();
    let mut exported = vec![Vec::new(); plan.tags.len()];
    for job in plan.jobs() {
        match job {
            Job::Tag(i) if split.contains(&plan.tags[i].0) => {
                let (split_files, names) = plan.split_tag(i, plan.tag_ops(i, &ctx), &ctx);
                files.extend(split_files);
                exported[i] = names;
            }
            Job::Tag(i) => {
                let (path, tokens, names) = plan.tag_file(i, &plan.tag_ops(i, &ctx), &ctx);
                files.insert(path, tokens);
                exported[i] = names;
            }
            other => {
                let (path, tokens) = plan.file(other, &ctx);
                files.insert(path, tokens);
            }
        }
    }
    let (path, tokens) = plan.operations_mod(&exported);
    files.insert(path, tokens.into());
    files
}

type TagGroups<'a> = (BTreeMap<String, Vec<&'a Operation>>, Vec<&'a Operation>);

/// Operations by tag module, and the webview operations apart.
fn tags(api: &Api) -> TagGroups<'_> {
    let mut by_module: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    let mut webviews = Vec::new();
    for op in &api.operations {
        if op.webview.is_some() {
            webviews.push(op);
        } else {
            // a tag named `operations` gets `operations_2`
            let module = match op.module.as_str() {
                "operations" | "mod" => format!("{}_2", op.module),
                other => other.to_string(),
            };
            by_module.entry(module).or_default().push(op);
        }
    }
    (by_module, webviews)
}
