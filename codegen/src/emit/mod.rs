//! IR to token streams, one per output file. Generated code names std,
//! serde and the runtime by absolute paths, so a schema called `Box`,
//! `Result` or `Option` cannot shadow them.
//!
//! Non-generic functions (setters, `send`, decoders) are `#[inline]`: that
//! way they are compiled in the crate that calls them, not in the generated
//! crate, which then builds without compiling code for the many operations
//! an application never calls.

mod docs;
mod models;
mod operations;
mod support;

use crate::ir::{Api, Operation};
use crate::names;
use proc_macro2::TokenStream;
use std::collections::{BTreeMap, BTreeSet};

/// Every output file, relative to the generated directory. Tags (by module
/// name) in `split` get a directory with one file per operation instead of
/// one file: the caller splits the tags whose file would be too long (see
/// [`split_tags`]).
pub fn emit(api: &Api, split: &BTreeSet<String>) -> BTreeMap<String, TokenStream> {
    let mut files = BTreeMap::new();
    // `models/models.rs` would trip clippy's module_inception
    let mut module_scope = names::Scope::with_reserved(&["mod", "models"]);
    let mut model_mods = Vec::new();
    for model in &api.models {
        let module = module_scope.claim(model.module.clone());
        files.insert(format!("models/{module}.rs"), models::model_file(model));
        model_mods.push((module, model.name.clone()));
    }
    files.insert("models/mod.rs".into(), support::mod_file("Data types of the API: one module per schema.", &model_mods, true));

    let ctx = context(api);
    let (by_module, webviews) = tags(api);
    let mut op_mods = Vec::new();
    for (module, ops) in &by_module {
        let exported = tag_files(module, ops, split.contains(module), &ctx, &mut files);
        op_mods.extend(exported.into_iter().map(|name| (module.clone(), name)));
    }
    files.insert("operations/mod.rs".into(), support::mod_file("Request builders, one module per tag.", &op_mods, false));
    if !webviews.is_empty() {
        files.insert("webview.rs".into(), operations::webview_file(&webviews, &ctx.at_depth(1)));
    }
    if !api.webhooks.is_empty() {
        files.insert("webhooks.rs".into(), support::webhooks_file(&api.webhooks));
    }
    files.insert("mod.rs".into(), support::root_file(api, !webviews.is_empty(), !api.webhooks.is_empty()));
    files
}

/// Only the files of the given tags, split into one file per operation:
/// what [`emit`] with them in `split` writes under `operations/<tag>/`.
/// Every other file is the same either way.
pub fn split_tags(api: &Api, split: &BTreeSet<String>) -> BTreeMap<String, TokenStream> {
    let ctx = context(api);
    let mut files = BTreeMap::new();
    for (module, ops) in tags(api).0.iter().filter(|(module, _)| split.contains(*module)) {
        tag_files(module, ops, true, &ctx, &mut files);
    }
    files
}

fn context(api: &Api) -> operations::Ctx {
    use crate::ir::{ModelKind, Type};
    operations::Ctx {
        root: quote::quote!(super),
        display_types: api
            .models
            .iter()
            .filter(|m| matches!(m.kind, ModelKind::Enum(_) | ModelKind::ScalarUnion { .. }))
            .map(|m| m.name.clone())
            .collect(),
        object_types: api
            .models
            .iter()
            .filter(|m| matches!(m.kind, ModelKind::Struct(_) | ModelKind::Alias(Type::Map(_) | Type::JsonObject)))
            .map(|m| m.name.clone())
            .collect(),
    }
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

/// The file(s) of one tag; returns the names to re-export.
fn tag_files(
    module: &str,
    ops: &[&Operation],
    split: bool,
    ctx: &operations::Ctx,
    files: &mut BTreeMap<String, TokenStream>,
) -> Vec<String> {
    let tag = &ops[0].tag;
    if !split {
        let (tokens, exported) = operations::tag_file(tag, ops, &ctx.at_depth(2));
        files.insert(format!("operations/{module}.rs"), tokens);
        return exported;
    }
    // operations/<tag>/mod.rs re-exports one module per operation; no
    // module is named `mod`, or like the tag (clippy's module_inception)
    let mut file_scope = names::Scope::with_reserved(&["mod", module]);
    let mut entries = Vec::new();
    for op in ops {
        let file = file_scope.claim(names::module(names::unraw(&op.method_name)));
        let (tokens, exported) = operations::operation_file(tag, op, &ctx.at_depth(3));
        files.insert(format!("operations/{module}/{file}.rs"), tokens);
        entries.extend(exported.into_iter().map(|name| (file.clone(), name)));
    }
    let doc = format!("Operations tagged `{}`, one module per operation.", tag.replace('`', "'"));
    files.insert(format!("operations/{module}/mod.rs"), support::mod_file(&doc, &entries, true));
    entries.into_iter().map(|(_, name)| name).collect()
}
