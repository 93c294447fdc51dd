//! openapiv3 document -> IR. Collects every problem as a diagnostic with a
//! JSON pointer; known real-world defects are warnings and generation goes on.

mod lowerer;
mod operation;
mod schema;

use crate::diagnostics::Diagnostic;
use crate::ir::{Api, Model, ModelKind, Server, ServerVariable, Type, Webhook};
use crate::names;
use lowerer::Lowerer;
use openapiv3::OpenAPI;
use std::collections::{BTreeMap, BTreeSet};

/// The most required fields a positional `new` takes (see
/// [`Lowerer::name_required_fields`]).
const POSITIONAL_NEW: usize = 3;

pub fn lower(spec: &OpenAPI) -> (Api, Vec<Diagnostic>) {
    let mut lowerer = Lowerer {
        spec,
        component_names: BTreeMap::new(),
        model_scope: names::Scope::for_types(),
        models: BTreeMap::new(),
        diags: Vec::new(),
        inline_stack: Vec::new(),
        inline_models: 0,
        inline_budget: schema::inline_budget(spec),
        inline_enums: BTreeMap::new(),
    };
    lowerer.register_components();
    lowerer.lower_components();
    let operations = lowerer.lower_operations();
    let webhooks = lowerer.lower_webhooks();
    lowerer.break_alias_cycles();
    lowerer.name_required_fields();
    let servers = lower_servers(spec, &mut lowerer.diags);
    let mut api = Api {
        title: spec.info.title.clone(),
        description: spec.info.description.clone(),
        servers,
        models: lowerer.models.into_values().collect(),
        operations,
        webhooks,
    };
    box_recursive_fields(&mut api);
    mark_tri_state_fields(&mut api);
    operation::detect_pagination(&mut api);
    (api, lowerer.diags)
}

impl Lowerer<'_> {
    /// Names every component before converting any, so references resolve in
    /// any order and collisions after sanitising get distinct names.
    fn register_components(&mut self) {
        let Some(components) = &self.spec.components else { return };
        let wire: Vec<String> = components.schemas.keys().cloned().collect();
        for (w, rust) in wire.iter().zip(names::unique_pascal(&wire, &[])) {
            let rust = self.model_scope.claim(rust);
            self.component_names.insert(w.clone(), rust);
        }
    }

    /// A positional `new` is kept for at most [`POSITIONAL_NEW`] required
    /// fields of distinct types, where swapping two arguments is a compile
    /// error. Any other struct with required fields gets a struct of them,
    /// `<Model>Required`, built as a literal: each value is named, and a
    /// missing one is a compile error (a `build()` that fails would make
    /// it a runtime one). Named after every model, so a schema of that
    /// name keeps its own and this one gets a number.
    fn name_required_fields(&mut self) {
        for model in self.models.values_mut() {
            let ModelKind::Struct(s) = &mut model.kind else { continue };
            let required: Vec<(&Type, bool, bool)> =
                s.fields.iter().filter(|f| f.required).map(|f| (&f.ty, f.nullable, f.boxed)).collect();
            let distinct = required.iter().enumerate().all(|(i, a)| !required[..i].contains(a));
            if required.len() > POSITIONAL_NEW || !distinct {
                s.required_type = Some(self.model_scope.claim(format!("{}Required", model.name)));
            }
        }
    }

    /// A type alias may not contain itself. One that does through a Vec or
    /// a map becomes a newtype; one that is only `$ref`s to itself describes
    /// no value at all and is read as any JSON value, with a warning.
    fn break_alias_cycles(&mut self) {
        let aliases: BTreeMap<String, Type> = self
            .models
            .values()
            .filter_map(|m| match &m.kind {
                ModelKind::Alias(t) => Some((m.name.clone(), t.clone())),
                _ => None,
            })
            .collect();
        let graph = |direct: bool| -> BTreeMap<String, Vec<String>> {
            aliases
                .iter()
                .map(|(name, ty)| {
                    let mut out = Vec::new();
                    if direct { direct_refs(ty, &mut out) } else { all_refs(ty, &mut out) }
                    out.retain(|n| aliases.contains_key(n));
                    (name.clone(), out)
                })
                .collect()
        };
        let (direct, all) = (graph(true), graph(false));
        let in_cycle = |g: &BTreeMap<String, Vec<String>>, name: &String| reachable(&g[name], g).contains(name);
        for name in aliases.keys() {
            if !in_cycle(&all, name) {
                continue;
            }
            let Some(model) = self.models.get_mut(name) else { continue };
            let ModelKind::Alias(ty) = &model.kind else { continue };
            if in_cycle(&direct, name) {
                let wire = self.component_names.iter().find(|(_, r)| *r == name).map(|(w, _)| w.clone()).unwrap_or_else(|| name.clone());
                model.kind = ModelKind::Alias(Type::Any);
                self.diags.push(Diagnostic::warning(
                    crate::diagnostics::join("#/components/schemas", &wire),
                    "this schema is only a chain of $refs back to itself; read as any JSON value",
                ));
            } else {
                model.kind = ModelKind::Newtype(ty.clone());
            }
        }
    }

    fn lower_webhooks(&mut self) -> Vec<Webhook> {
        let Some(hooks) = self.spec.extensions.get("x-webhooks").and_then(|v| v.as_object()) else { return Vec::new() };
        let events: Vec<String> = hooks.keys().cloned().collect();
        let variants = names::unique_pascal(&events, &["Unknown"]);
        let mut out = Vec::new();
        for ((event, hook), variant) in hooks.iter().zip(variants) {
            let ptr = crate::diagnostics::join("#/x-webhooks", event);
            let Some(reference) = hook.pointer("/payload/$ref").and_then(|r| r.as_str()) else {
                self.diags.push(Diagnostic::warning(ptr, "webhook without `payload: {$ref: ...}`; skipped"));
                continue;
            };
            let payload = self.reference(reference, &crate::diagnostics::join(&ptr, "payload"));
            let doc = hook.get("description").and_then(|d| d.as_str()).map(str::to_string);
            out.push(Webhook { event: event.clone(), variant, doc, payload });
        }
        out
    }
}

fn lower_servers(spec: &OpenAPI, diags: &mut Vec<Diagnostic>) -> Vec<Server> {
    spec.servers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // `api.example.com/v1` (no scheme) is a real-world defect: read as https
            let mut url = s.url.clone();
            let has_scheme = url.split_once("://").is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains('/'));
            if !has_scheme && !url.starts_with('/') && !url.starts_with('{') {
                let fixed = format!("https://{}", url.trim_start_matches("//"));
                diags.push(Diagnostic::warning(
                    format!("#/servers/{i}/url"),
                    format!("server URL `{url}` has no scheme; read as `{fixed}`"),
                ));
                url = fixed;
            }
            let wire: Vec<String> = s.variables.iter().flat_map(|v| v.keys().cloned()).collect();
            let rust = names::unique_snake(&wire, &[]);
            let variables = s
                .variables
                .iter()
                .flat_map(|v| v.iter())
                .zip(rust)
                .map(|((w, v), rust)| ServerVariable {
                    rust,
                    wire: w.clone(),
                    default: v.default.clone(),
                    description: v.description.clone(),
                })
                .collect();
            Server { url, description: s.description.clone(), variables }
        })
        .collect()
}

/// Named types a type refers to directly (not through a Vec or map, which
/// already put the value on the heap).
fn direct_refs(ty: &Type, out: &mut Vec<String>) {
    match ty {
        Type::Named(n) => out.push(n.clone()),
        Type::Nullable(inner) => direct_refs(inner, out),
        _ => {}
    }
}

/// Every named type a type mentions, at any depth.
pub(crate) fn all_refs(ty: &Type, out: &mut Vec<String>) {
    match ty {
        Type::Named(n) => out.push(n.clone()),
        Type::Nullable(inner) | Type::Array(inner) | Type::Map(inner) => all_refs(inner, out),
        _ => {}
    }
}

fn model_refs(model: &Model, direct: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |ty: &Type| if direct { direct_refs(ty, &mut out) } else { all_refs(ty, &mut out) };
    match &model.kind {
        ModelKind::Struct(s) => {
            s.fields.iter().for_each(|f| add(&f.ty));
            if let Some(a) = &s.additional {
                add(a);
            }
        }
        ModelKind::Union { variants, .. } => variants.iter().for_each(|v| add(&v.ty)),
        ModelKind::Alias(t) | ModelKind::Newtype(t) => add(t),
        ModelKind::Enum(_) | ModelKind::ScalarUnion { .. } => {}
    }
    out
}

fn reachable(from: &[String], graph: &BTreeMap<String, Vec<String>>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = from.to_vec();
    while let Some(n) = stack.pop() {
        if seen.insert(n.clone()) {
            stack.extend(graph.get(&n).cloned().unwrap_or_default());
        }
    }
    seen
}

/// Boxes every struct field whose type leads back to its own struct without
/// passing through a Vec or a map (`Account.connection` <-> `Connection`…).
fn box_recursive_fields(api: &mut Api) {
    let graph: BTreeMap<String, Vec<String>> = api.models.iter().map(|m| (m.name.clone(), model_refs(m, true))).collect();
    for model in &mut api.models {
        let name = model.name.clone();
        if let ModelKind::Struct(s) = &mut model.kind {
            for field in &mut s.fields {
                let mut targets = Vec::new();
                direct_refs(&field.ty, &mut targets);
                field.boxed = targets.iter().any(|t| reachable(std::slice::from_ref(t), &graph).contains(&name));
            }
        }
    }
}

/// Optional *and* nullable fields of request bodies distinguish absent from
/// null on the wire, so their type says so (`Option<Option<T>>`).
fn mark_tri_state_fields(api: &mut Api) {
    let graph: BTreeMap<String, Vec<String>> = api.models.iter().map(|m| (m.name.clone(), model_refs(m, false))).collect();
    let mut roots = Vec::new();
    for op in &api.operations {
        if let Some(body) = &op.body {
            all_refs(&body.ty, &mut roots);
        }
    }
    let request_models = reachable(&roots, &graph);
    for model in &mut api.models {
        if !request_models.contains(&model.name) {
            continue;
        }
        if let ModelKind::Struct(s) = &mut model.kind {
            s.request = true;
            for f in &mut s.fields {
                f.tri_state = !f.required && f.nullable;
            }
        }
    }
    // a multipart body's parts are its model's fields: the same shape
    for op in &mut api.operations {
        for f in op.body.iter_mut().flat_map(|body| body.multipart_fields.iter_mut()) {
            f.tri_state = !f.required && f.nullable;
        }
    }
}
