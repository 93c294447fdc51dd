//! IR to token streams, one per output file. Generated code names std,
//! serde and the runtime by absolute paths, so a schema called `Box`,
//! `Result` or `Option` cannot shadow them.

mod docs;
mod models;
mod operations;
mod support;

use crate::ir::Api;
use crate::names;
use proc_macro2::TokenStream;
use std::collections::BTreeMap;



/// Every output file, relative to the generated directory.
pub fn emit(api: &Api) -> BTreeMap<String, TokenStream> {
    let mut files = BTreeMap::new();
    let mut module_scope = names::Scope::with_reserved(&["mod"]);
    let mut model_mods = Vec::new();
    for model in &api.models {
        let module = module_scope.claim(model.module.clone());
        files.insert(format!("models/{module}.rs"), models::model_file(model));
        model_mods.push((module, model.name.clone()));
    }
    files.insert("models/mod.rs".into(), support::mod_file("Data types of the API: one module per schema.", &model_mods, true));

    let ctx = operations::Ctx {
        display_types: api
            .models
            .iter()
            .filter(|m| matches!(m.kind, crate::ir::ModelKind::Enum(_) | crate::ir::ModelKind::ScalarUnion { .. }))
            .map(|m| m.name.clone())
            .collect(),
    };
    let mut by_module: BTreeMap<String, Vec<&crate::ir::Operation>> = BTreeMap::new();
    let mut webviews = Vec::new();
    for op in &api.operations {
        if op.webview.is_some() {
            webviews.push(op);
        } else {
            by_module.entry(op.module.clone()).or_default().push(op);
        }
    }
    let mut op_mods = Vec::new();
    for (module, ops) in &by_module {
        let (tokens, exported) = operations::tag_file(&ops[0].tag, ops, &ctx);
        files.insert(format!("operations/{module}.rs"), tokens);
        for name in exported {
            op_mods.push((module.clone(), name));
        }
    }
    files.insert("operations/mod.rs".into(), support::mod_file("Request builders, one module per tag.", &op_mods, false));
    if !webviews.is_empty() {
        files.insert("webview.rs".into(), operations::webview_file(&webviews, &ctx));
    }
    if !api.webhooks.is_empty() {
        files.insert("webhooks.rs".into(), support::webhooks_file(&api.webhooks));
    }
    files.insert("mod.rs".into(), support::root_file(api, !webviews.is_empty(), !api.webhooks.is_empty()));
    files
}
