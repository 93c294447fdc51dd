//! `cargo xtask api-diff`: what a regeneration changes in the public Rust
//! API of a generated client, each change classified by Rust's semver rules
//! (breaking, additive, docs only), with the next version to release.
//!
//! It compares the generated code (parsed with syn), not the specs: with
//! `--base REV`, the crate committed at REV against what regenerating now
//! makes, so a change made by the generator shows up as well as one made
//! by the spec.
//! A change inside a function whose signature stays (a wire name, a path, a
//! content type) is reported as breaking on the wire: it compiles, and
//! behaves differently.
//!
//! Items are compared by their tokens (signatures without argument names);
//! each change names its place in the spec when the spec is at hand
//! ([`spec_locations`]). The fixture cases (`tests/fixtures/api_diff/<case>/`)
//! pin the reports (snapshots in the tests crate), and are checked against
//! the compiler by `cargo xtask api-oracle` and against cargo-semver-checks
//! by `cargo xtask api-semver-checks`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, ExitCode};

use codegen::ir::Type;
use quote::ToTokens;

/// One public item of a generated crate, as far as compatibility goes.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// A function or method: its signature, the string literals of its
    /// body (what it puts on the wire: paths, wire names, content types),
    /// its docs.
    ///
    /// `shape` is the signature without argument names (renaming an
    /// argument breaks nobody); `statements` are the statements of the
    /// private helpers it calls (`request`, which builds what `send`
    /// sends): one the old code had and the new has not changes the wire.
    Function {
        signature: String,
        shape: String,
        body: std::collections::BTreeSet<String>,
        statements: std::collections::BTreeSet<String>,
        deprecated: bool,
        docs: String,
    },
    /// A struct: its fields and their types, whether more may come.
    Struct { fields: BTreeMap<String, String>, field_docs: BTreeMap<String, String>, open: bool, docs: String },
    /// An enum: its variants, whether more may come.
    Enum { variants: BTreeMap<String, String>, open: bool, docs: String },
    /// A type alias.
    Alias { target: String, docs: String },
    /// A constant (the server URL): its value is what goes on the wire.
    Const { ty: String, value: String, docs: String },
}

/// A change and its class.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Breaking,
    Additive,
    Docs,
}

#[derive(Debug, Clone)]
pub struct Change {
    pub class: Class,
    pub item: String,
    pub what: String,
    /// A function whose signature stays and whose wire texts change: the
    /// code using it still compiles, and does something else. Breaking,
    /// but no compiler error tells the user.
    pub wire: bool,
    /// Where in the spec it comes from (a JSON pointer), when known: see
    /// [`locate`].
    pub location: Option<String>,
}

/// Where the fixture cases are, from the repository root: one directory
/// per case, with `old.yaml`, `new.yaml`, `consumer.rs` and `expected`.
pub const FIXTURE_CASES: &str = "tests/fixtures/api_diff";

/// The fixture cases' names (their directories), sorted.
pub fn fixture_cases(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join(FIXTURE_CASES);
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    cases.sort();
    Ok(cases)
}

/// The class of a whole report, in the words of the fixture cases'
/// `expected` files: `breaking`; `breaking-wire` when every breaking change
/// is on the wire only (the user's code still compiles); `additive`; or
/// `docs`, which an empty report counts as (nothing changes but, at most,
/// the documentation).
pub fn report_class(changes: &[Change]) -> &'static str {
    let breaking: Vec<&Change> = changes.iter().filter(|c| c.class == Class::Breaking).collect();
    if !breaking.is_empty() {
        if breaking.iter().all(|c| c.wire) {
            "breaking-wire"
        } else {
            "breaking"
        }
    } else if changes.iter().any(|c| c.class == Class::Additive) {
        "additive"
    } else {
        "docs"
    }
}

/// Whether code written against the old crate may stop compiling against
/// the new one: a breaking change that is not on the wire only.
pub fn compile_breaking(changes: &[Change]) -> bool {
    changes.iter().any(|c| c.class == Class::Breaking && !c.wire)
}

/// The public items of a generated crate's files, by path (`models::Transfer`,
/// `Client::list_transactions`, `operations::transfers::CreateTransfer::send`).
fn items(files: &BTreeMap<String, String>) -> Result<BTreeMap<String, Item>, String> {
    let mut out = BTreeMap::new();
    for (path, text) in files {
        let file = syn::parse_file(text).map_err(|e| format!("{path}: {e}"))?;
        let module = path.trim_end_matches(".rs").trim_end_matches("/mod").replace('/', "::");
        for item in &file.items {
            collect(item, &module, &mut out);
        }
    }
    Ok(out)
}

fn docs(attrs: &[syn::Attribute]) -> String {
    attrs.iter().filter(|a| a.path().is_ident("doc")).map(|a| a.to_token_stream().to_string()).collect()
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn collect(item: &syn::Item, module: &str, out: &mut BTreeMap<String, Item>) {
    let open = |attrs: &[syn::Attribute]| attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
    match item {
        syn::Item::Struct(s) if is_pub(&s.vis) => {
            let public = || s.fields.iter().filter(|f| is_pub(&f.vis)).enumerate();
            let name = |i: usize, f: &syn::Field| f.ident.as_ref().map_or(i.to_string(), ToString::to_string);
            let fields = public().map(|(i, f)| (name(i, f), pretty_type(&f.ty))).collect();
            // a field's doc is the struct's documentation too
            let field_docs = public().map(|(i, f)| (name(i, f), docs(&f.attrs))).collect();
            out.insert(
                format!("{}::{}", module_name(module), s.ident),
                Item::Struct { fields, field_docs, open: open(&s.attrs), docs: docs(&s.attrs) },
            );
        }
        syn::Item::Enum(e) if is_pub(&e.vis) => {
            let variants = e.variants.iter().map(|v| (v.ident.to_string(), v.fields.to_token_stream().to_string())).collect();
            out.insert(format!("{}::{}", module_name(module), e.ident), Item::Enum { variants, open: open(&e.attrs), docs: docs(&e.attrs) });
        }
        syn::Item::Type(t) if is_pub(&t.vis) => {
            out.insert(
                format!("{}::{}", module_name(module), t.ident),
                Item::Alias { target: pretty_type(&t.ty), docs: docs(&t.attrs) },
            );
        }
        syn::Item::Const(c) if is_pub(&c.vis) => {
            out.insert(
                format!("{}::{}", module_name(module), c.ident),
                Item::Const { ty: pretty_type(&c.ty), value: c.expr.to_token_stream().to_string(), docs: docs(&c.attrs) },
            );
        }
        syn::Item::Fn(f) if is_pub(&f.vis) => {
            out.insert(format!("{}::{}", module_name(module), f.sig.ident), function(&f.sig, &f.block, &f.attrs));
        }
        syn::Item::Impl(block) => {
            // `impl root::Client` and `impl Transfer`: their pub methods; the
            // serde impls: their bodies are the wire format
            let self_type = block.self_ty.to_token_stream().to_string().replace(' ', "");
            let self_name = self_type.rsplit("::").next().unwrap_or(&self_type).to_owned();
            let trait_name = block.trait_.as_ref().map(|(_, path, _)| path.to_token_stream().to_string().replace(' ', ""));
            // what a private helper puts on the wire (`request`, which `send`
            // calls) counts as the wire of the pub methods that call it
            let mut private = BTreeMap::new();
            for inner in &block.items {
                if let syn::ImplItem::Fn(f) = inner {
                    if trait_name.is_none() && !is_pub(&f.vis) {
                        let code = without_labels(f.block.to_token_stream());
                        let mut body = std::collections::BTreeSet::new();
                        literals(code, &mut body);
                        let statements: std::collections::BTreeSet<String> =
                            f.block.stmts.iter().map(|s| without_labels(s.to_token_stream()).to_string()).collect();
                        private.insert(format!("self . {} (", f.sig.ident), (body, statements));
                    }
                }
            }
            for inner in &block.items {
                let syn::ImplItem::Fn(f) = inner else { continue };
                let key = match &trait_name {
                    None if is_pub(&f.vis) => format!("{self_name}::{}", f.sig.ident),
                    Some(name) => format!("{self_name} as {}::{}", name.rsplit("::").next().unwrap_or(name), f.sig.ident),
                    None => continue,
                };
                let mut item = function(&f.sig, &f.block, &f.attrs);
                if let Item::Function { body, statements, .. } = &mut item {
                    let text = f.block.to_token_stream().to_string();
                    for (call, (wire, code)) in &private {
                        if text.contains(call.as_str()) {
                            body.extend(wire.iter().cloned());
                            statements.extend(code.iter().cloned());
                        }
                    }
                }
                out.insert(key, item);
            }
        }
        _ => {}
    }
}

/// A type as a reviewer reads it (`Option<Vec<String>>`, where the token
/// stream says `Option < Vec < String > >`): prettyplease's layout on one
/// line.
fn pretty_type(ty: &syn::Type) -> String {
    let text = one_line(syn::parse_quote!(type T = #ty;));
    text.strip_prefix("type T = ").and_then(|t| t.strip_suffix(';')).unwrap_or(&text).to_owned()
}

/// A signature as a reviewer reads it: `fn limit(mut self, value: i64) ->
/// Self`.
fn pretty_signature(sig: &syn::Signature) -> String {
    let text = one_line(syn::parse_quote!(#sig {}));
    text.trim_end_matches("{}").trim_end().trim_end_matches(',').to_owned()
}

/// An item in prettyplease's layout, its lines joined into one: no space
/// inside the brackets, no trailing comma a line break left.
fn one_line(item: syn::Item) -> String {
    let text = prettyplease::unparse(&syn::File { shebang: None, attrs: vec![], items: vec![item] });
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    joined.replace("( ", "(").replace(", )", ")").replace("< ", "<").replace(", >", ">")
}

/// The module part of an item's path: `models::transfer` is `models`, the
/// file of each model being private.
fn module_name(module: &str) -> String {
    match module.split("::").collect::<Vec<_>>().as_slice() {
        ["models", ..] => "models".into(),
        ["operations", tag, ..] => format!("operations::{tag}"),
        // the generated root's own items (`DEFAULT_SERVER_URL`)
        ["mod"] => "crate".into(),
        _ => module.to_owned(),
    }
}

fn function(sig: &syn::Signature, block: &syn::Block, attrs: &[syn::Attribute]) -> Item {
    let mut body = std::collections::BTreeSet::new();
    literals(without_labels(block.to_token_stream()), &mut body);
    let inputs: Vec<String> = sig
        .inputs
        .iter()
        .map(|input| match input {
            syn::FnArg::Typed(arg) => format!("_ : {}", arg.ty.to_token_stream()),
            receiver => receiver.to_token_stream().to_string(),
        })
        .collect();
    let shape = format!(
        "{} fn {} {} ({}) {} {}",
        if sig.asyncness.is_some() { "async" } else { "" },
        sig.ident,
        sig.generics.to_token_stream(),
        inputs.join(", "),
        sig.output.to_token_stream(),
        sig.generics.where_clause.to_token_stream()
    );
    Item::Function {
        signature: pretty_signature(sig),
        shape,
        body,
        statements: Default::default(),
        deprecated: attrs.iter().any(|a| a.path().is_ident("deprecated")),
        docs: docs(attrs),
    }
}

/// The code without the names that are never sent: the labels naming
/// things in error messages (the operation of `Request::of("getAccount (GET
/// /accounts/{id_account})", ..)`, the parameter of
/// `path_segment("id_account", ..)` and `path_list(..)`), and the builder
/// field a path parameter's value comes from, named after the parameter.
/// Renaming an operation or a path parameter is no wire change (path
/// parameters are passed, and written, in URL order). Without the trailing
/// commas prettyplease adds when a longer name breaks a call over lines.
fn without_labels(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    unnamed(tokens, false)
}

fn unnamed(tokens: proc_macro2::TokenStream, in_path_call: bool) -> proc_macro2::TokenStream {
    use proc_macro2::{Delimiter, Ident, Span, TokenTree};
    let mut out: Vec<TokenTree> = Vec::new();
    let mut called: Option<String> = None;
    for token in tokens {
        let after_self_dot = matches!(
            out.as_slice(),
            [.., TokenTree::Ident(this), TokenTree::Punct(dot)] if this == "self" && dot.as_char() == '.'
        );
        let next_called = match &token {
            TokenTree::Ident(ident) => Some(ident.to_string()),
            _ => None,
        };
        out.push(match token {
            TokenTree::Group(group) => {
                let arguments = group.delimiter() == Delimiter::Parenthesis;
                let path_call = arguments && matches!(called.as_deref(), Some("path_segment" | "path_list"));
                let label_call = path_call || (arguments && called.as_deref() == Some("of"));
                let mut inner: Vec<TokenTree> = unnamed(group.stream(), in_path_call || path_call).into_iter().collect();
                if label_call {
                    if let Some(TokenTree::Literal(_)) = inner.first() {
                        inner[0] = TokenTree::Ident(Ident::new("_", Span::call_site()));
                    }
                }
                if matches!(inner.last(), Some(TokenTree::Punct(comma)) if comma.as_char() == ',') {
                    inner.pop();
                }
                let mut rebuilt = proc_macro2::Group::new(group.delimiter(), inner.into_iter().collect());
                rebuilt.set_span(group.span());
                TokenTree::Group(rebuilt)
            }
            TokenTree::Ident(ident) if in_path_call && after_self_dot => TokenTree::Ident(Ident::new("path_parameter", ident.span())),
            other => other,
        });
        called = next_called;
    }
    out.into_iter().collect()
}

/// The string literals of some code, at any depth.
fn literals(tokens: proc_macro2::TokenStream, out: &mut std::collections::BTreeSet<String>) {
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Literal(literal) => {
                let text = literal.to_string();
                if text.starts_with('"') {
                    out.insert(text);
                }
            }
            proc_macro2::TokenTree::Group(group) => literals(group.stream(), out),
            _ => {}
        }
    }
}

/// Every change from `old` to `new`, breaking first.
pub fn compare(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Result<Vec<Change>, String> {
    let (old, new) = (items(old)?, items(new)?);
    let mut changes = Vec::new();
    let mut push = |class, item: &str, what: String| changes.push(Change { class, item: item.to_owned(), what, wire: false, location: None });
    // the changes on the wire only, apart: `push` holds `changes`
    let mut on_the_wire = Vec::new();
    for (key, before) in &old {
        let Some(after) = new.get(key) else {
            push(Class::Breaking, key, "removed".into());
            continue;
        };
        match (before, after) {
            (
                Item::Function { signature: s1, shape: h1, body: b1, statements: c1, deprecated: x1, docs: d1 },
                Item::Function { signature: s2, shape: h2, body: b2, statements: c2, deprecated: x2, docs: d2 },
            ) => {
                // a wire text the old code sent and the new one does not, or
                // a statement of the request it builds that is gone: it
                // compiles, and does something else (new texts and
                // statements come with new optional parts, which send
                // nothing until set)
                let gone: Vec<&String> = b1.difference(b2).collect();
                let rebuilt = c1.difference(c2).count();
                if h1 != h2 {
                    push(Class::Breaking, key, format!("signature `{s1}` becomes `{s2}`"));
                } else if !gone.is_empty() || rebuilt > 0 {
                    let what = if gone.is_empty() {
                        format!("same signature, other behaviour on the wire: {rebuilt} statement(s) of the request it builds changed")
                    } else {
                        let gone: Vec<&str> = gone.iter().map(|g| g.as_str()).collect();
                        format!("same signature, other behaviour on the wire: {} no longer sent", gone.join(", "))
                    };
                    on_the_wire.push(Change { class: Class::Breaking, item: key.clone(), what, wire: true, location: None });
                } else if !x1 && *x2 {
                    // deprecating is a minor change (the Cargo book)
                    push(Class::Additive, key, "deprecated".into());
                } else if d1 != d2 || s1 != s2 {
                    push(Class::Docs, key, "documentation (or argument names)".into());
                }
            }
            (
                Item::Struct { fields: f1, field_docs: fd1, open: o1, docs: d1 },
                Item::Struct { fields: f2, field_docs: fd2, open: o2, docs: d2 },
            ) => {
                for (field, ty) in f1 {
                    match f2.get(field) {
                        None => push(Class::Breaking, key, format!("field `{field}` removed")),
                        Some(t2) if t2 != ty => push(Class::Breaking, key, format!("field `{field}`: `{ty}` becomes `{t2}`")),
                        _ => {}
                    }
                }
                for field in f2.keys().filter(|f| !f1.contains_key(*f)) {
                    // a new field breaks struct literals, unless the struct is non_exhaustive
                    let class = if *o1 && *o2 { Class::Additive } else { Class::Breaking };
                    push(class, key, format!("field `{field}` added"));
                }
                if f1 == f2 && d1 != d2 {
                    push(Class::Docs, key, "documentation".into());
                }
                for (field, doc) in fd1 {
                    if fd2.get(field).is_some_and(|d| d != doc) {
                        push(Class::Docs, key, format!("documentation of field `{field}`"));
                    }
                }
            }
            (Item::Enum { variants: v1, open: o1, docs: d1 }, Item::Enum { variants: v2, open: o2, docs: d2 }) => {
                for (variant, fields) in v1 {
                    match v2.get(variant) {
                        None => push(Class::Breaking, key, format!("variant `{variant}` removed")),
                        Some(f2) if f2 != fields => push(Class::Breaking, key, format!("variant `{variant}` changed")),
                        _ => {}
                    }
                }
                for variant in v2.keys().filter(|v| !v1.contains_key(*v)) {
                    // a new variant breaks exhaustive matches, unless the enum is non_exhaustive
                    let class = if *o1 && *o2 { Class::Additive } else { Class::Breaking };
                    push(class, key, format!("variant `{variant}` added"));
                }
                if v1 == v2 && d1 != d2 {
                    push(Class::Docs, key, "documentation".into());
                }
            }
            (Item::Alias { target: t1, docs: d1 }, Item::Alias { target: t2, docs: d2 }) => {
                if t1 != t2 {
                    push(Class::Breaking, key, format!("`{t1}` becomes `{t2}`"));
                } else if d1 != d2 {
                    push(Class::Docs, key, "documentation".into());
                }
            }
            (Item::Const { ty: t1, value: v1, docs: d1 }, Item::Const { ty: t2, value: v2, docs: d2 }) => {
                if t1 != t2 {
                    push(Class::Breaking, key, format!("`{t1}` becomes `{t2}`"));
                } else if v1 != v2 {
                    let what = format!("same type, other value: `{v1}` becomes `{v2}`");
                    on_the_wire.push(Change { class: Class::Breaking, item: key.clone(), what, wire: true, location: None });
                } else if d1 != d2 {
                    push(Class::Docs, key, "documentation".into());
                }
            }
            _ => push(Class::Breaking, key, "changed kind".into()),
        }
    }
    for key in new.keys().filter(|k| !old.contains_key(*k)) {
        push(Class::Additive, key, "added".into());
    }
    changes.extend(on_the_wire);
    changes.sort_by(|a, b| (&a.class, &a.item).cmp(&(&b.class, &b.item)));
    Ok(changes)
}

/// The next version by Cargo's rules: before 1.0 a breaking change bumps
/// the minor, anything else the patch.
pub fn next_version(current: &str, changes: &[Change]) -> String {
    let parts: Vec<u64> = current.split('.').filter_map(|p| p.parse().ok()).collect();
    let [major, minor, patch] = parts.as_slice() else { return current.to_owned() };
    let breaking = changes.iter().any(|c| c.class == Class::Breaking);
    match (changes.is_empty(), breaking, *major) {
        (true, _, _) => current.to_owned(),
        (false, true, 0) => format!("0.{}.0", minor + 1),
        (false, true, _) => format!("{}.0.0", major + 1),
        (false, false, 0) => format!("0.{minor}.{}", patch + 1),
        (false, false, _) => {
            if changes.iter().any(|c| c.class == Class::Additive) {
                format!("{major}.{}.0", minor + 1)
            } else {
                format!("{major}.{minor}.{}", patch + 1)
            }
        }
    }
}

/// The report in Markdown: the summary line first, then breaking changes.
/// A change on the wire only is marked `(wire)`: it compiles, so no
/// compiler error will point at it.
pub fn markdown(changes: &[Change], current: &str) -> String {
    let count = |class: Class| changes.iter().filter(|c| c.class == class).count();
    let breaking = count(Class::Breaking);
    let wire_only = if breaking == 0 {
        String::new()
    } else {
        format!(" ({} on the wire only)", changes.iter().filter(|c| c.class == Class::Breaking && c.wire).count())
    };
    let mut out = format!(
        "**API changes**: {breaking} breaking{wire_only}, {} additive, {} docs only; next version {} (now {current})\n",
        count(Class::Additive),
        count(Class::Docs),
        next_version(current, changes)
    );
    for (class, title) in [(Class::Breaking, "Breaking"), (Class::Additive, "Additive"), (Class::Docs, "Docs only")] {
        let listed: Vec<&Change> = changes.iter().filter(|c| c.class == class).collect();
        if listed.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {title}\n"));
        for change in listed {
            let mark = if change.wire { "(wire) " } else { "" };
            let place = change.location.as_ref().map(|l| format!(" (spec: `{l}`)")).unwrap_or_default();
            out.push_str(&format!("- {mark}`{}`: {}{place}\n", change.item, change.what));
        }
    }
    out
}

fn json(changes: &[Change], current: &str) -> String {
    let entries: Vec<serde_json::Value> = changes
        .iter()
        .map(|c| {
            let class = match c.class {
                Class::Breaking => "breaking",
                Class::Additive => "additive",
                Class::Docs => "docs",
            };
            serde_json::json!({"class": class, "wire": c.wire, "item": c.item, "change": c.what, "location": c.location})
        })
        .collect();
    serde_json::json!({"current": current, "next": next_version(current, changes), "changes": entries}).to_string()
}

/// Where each generated item comes from in a spec, as JSON pointers: an
/// operation's client method, builder, response enum and mock by the
/// operation (`#/paths/~1users~1{id_user}~1transfers/post`); a model and
/// its methods by its schema (`#/components/schemas/Transfer`). Empty when
/// the spec does not lower (a split spec's root alone).
pub fn spec_locations(spec_text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(api) = codegen::api(spec_text) else { return out };
    for op in &api.operations {
        let pointer = format!("#/paths/{}/{}", escape(&op.path), op.http_method.to_lowercase());
        let method = op.method_name.trim_start_matches("r#");
        for key in [
            format!("Client::{method}"),
            format!("MockServer::{method}"),
            op.type_name.clone(),
            format!("operations::{}::{}", op.module, op.type_name),
            format!("webview::{}", op.type_name),
            op.response_type_name.clone(),
        ] {
            out.insert(key, pointer.clone());
        }
    }
    for webhook in &api.webhooks {
        // the enum of every event, by its first event; each payload by its event
        out.entry("webhooks::Webhook".to_owned()).or_insert_with(|| "#/x-webhooks".to_owned());
        if let Type::Named(payload) = &webhook.payload {
            out.entry(payload.clone()).or_insert_with(|| format!("#/x-webhooks/{}", escape(&webhook.event)));
        }
    }
    if let Ok((spec, document, _)) = codegen::load::load(spec_text) {
        // an optional parameter's setter, by the parameter itself
        for op in &api.operations {
            let places = parameter_places(&document, &op.path, &op.http_method.to_lowercase());
            for param in &op.params {
                if let Some(place) = places.get(&(param.wire.as_str(), param.location.word())) {
                    out.insert(format!("{}::{}", op.type_name, param.rust.trim_start_matches("r#")), place.clone());
                }
            }
        }
        let schemas = spec.components.map(|c| c.schemas.into_keys().collect::<Vec<_>>()).unwrap_or_default();
        for model in &api.models {
            // the schema the model is named after (`Client` is `ClientModel`)
            let schema = schemas.iter().find(|key| {
                let name = codegen::names::pascal(key);
                model.name == name || model.name == format!("{name}Model")
            });
            if let Some(schema) = schema {
                let pointer = format!("#/components/schemas/{}", escape(schema));
                // a field, and its setter, by its property
                if let codegen::ir::ModelKind::Struct(s) = &model.kind {
                    for field in &s.fields {
                        let property = format!("{pointer}/properties/{}", escape(&field.wire));
                        let rust = field.rust.trim_start_matches("r#");
                        out.insert(format!("models::{}.{rust}", model.name), property.clone());
                        out.insert(format!("{}::with_{rust}", model.name), property);
                    }
                }
                out.insert(format!("models::{}", model.name), pointer.clone());
                out.insert(model.name.clone(), pointer);
            }
        }
    }
    out
}

/// Where an operation's parameters are written, by name and `in`: in the
/// operation's own list, or the path's (which the operation's overrides).
fn parameter_places<'a>(document: &'a serde_json::Value, path: &str, method: &str) -> BTreeMap<(&'a str, &'a str), String> {
    let path_item = format!("/paths/{}", escape(path));
    let mut out = BTreeMap::new();
    for owner in [format!("{path_item}/{method}"), path_item] {
        let Some(list) = document.pointer(&format!("{owner}/parameters")).and_then(|l| l.as_array()) else { continue };
        for (index, written) in list.iter().enumerate() {
            // a `$ref`'d parameter is found by its name where it is defined
            let reference = written.get("$ref").and_then(|r| r.as_str()).and_then(|r| r.strip_prefix('#'));
            let parameter = reference.and_then(|r| document.pointer(r)).unwrap_or(written);
            let name = parameter.get("name").and_then(|n| n.as_str());
            let place = parameter.get("in").and_then(|n| n.as_str());
            if let (Some(name), Some(place)) = (name, place) {
                out.entry((name, place)).or_insert_with(|| format!("#{owner}/parameters/{index}"));
            }
        }
    }
    out
}

/// A key as a JSON pointer writes it (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Fills each change's spec location: from the new spec, or the old one for
/// what it removed. An item is found by its path, or by its type
/// (`CreateTransfer::send` by `CreateTransfer`).
pub fn locate(changes: &mut [Change], old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) {
    for change in changes {
        let owner = change.item.split("::").next().unwrap_or_default();
        // "field `exec_date` ..." of a model: the property itself
        let field = change.what.strip_prefix("field `").and_then(|rest| rest.split('`').next());
        let field_key = field.map(|field| format!("{}.{field}", change.item));
        let find = |places: &BTreeMap<String, String>| {
            field_key.as_ref().and_then(|key| places.get(key)).or_else(|| places.get(&change.item)).or_else(|| places.get(owner)).cloned()
        };
        change.location = find(new).or_else(|| find(old));
    }
}

/// Generates a spec read through `read` (a path relative to the spec's
/// directory).
pub fn generate(name: &str, read: &dyn Fn(&str) -> Result<String, String>) -> Result<BTreeMap<String, String>, String> {
    let options = codegen::Options { spec_label: name.into() };
    codegen::generate_files(name, read, &options).map(|g| g.files).map_err(|diags| {
        let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
        format!("{name} does not generate:\n{}", lines.join("\n"))
    })
}

/// Generates the spec file at `path`, and the files its `$ref`s name (read
/// relative to it): what `--old` and `--new` compare, and the fixture cases.
pub fn generate_path(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
    generate(&name, &|file: &str| std::fs::read_to_string(dir.join(file)).map_err(|e| e.to_string()))
}

/// `cargo xtask api-diff [--old A --new B | --base REV] [--spec FILE]
/// [--format markdown|json] [--fail-on breaking]`.
pub fn run(given: &BTreeMap<String, String>) -> Result<ExitCode, String> {
    let report = report(given)?;
    println!("{}", report.text);
    Ok(if report.fails { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// What `cargo xtask api-diff` prints, and whether it fails the gate.
pub struct Report {
    pub text: String,
    /// `--fail-on breaking` was given and a change is breaking.
    pub fails: bool,
}

/// The report the command's arguments ask for.
pub fn report(given: &BTreeMap<String, String>) -> Result<Report, String> {
    let root = crate::root();
    let spec = given.get("--spec").cloned().unwrap_or_else(|| "spec/powens.yaml".into());
    let (old, new) = match (given.get("--old"), given.get("--new")) {
        (Some(old), Some(new)) => return report_specs(Path::new(old), Path::new(new), &current_version(&root), given),
        (None, None) => {
            // the crate committed at REV against what regenerating now
            // makes: changes by the spec and by the generator alike
            let base = given.get("--base").cloned().unwrap_or_else(|| "HEAD".into());
            let target = crate::TARGETS
                .iter()
                .find(|t| t.spec == spec)
                .ok_or_else(|| format!("`{spec}` is not a spec of this repository: {:?}", crate::TARGETS.iter().map(|t| t.spec).collect::<Vec<_>>()))?;
            let git = |args: &[&str]| git(&root, args);
            let mut old = BTreeMap::new();
            for path in git(&["ls-tree", "-r", "--name-only", &base, target.out])?.lines() {
                let relative = path.strip_prefix(target.out).unwrap_or(path).trim_start_matches('/');
                old.insert(relative.to_owned(), git(&["show", &format!("{base}:{path}")])?);
            }
            if old.is_empty() {
                return Err(format!("no generated crate at `{base}:{}`", target.out));
            }
            (old, generate_path(&root.join(&spec))?)
        }
        _ => return Err("give both `--old` and `--new`, or neither (then `--base`)".into()),
    };
    let places = spec_places(&root.join(spec));
    finish(compare(&old, &new)?, (BTreeMap::new(), places), &current_version(&root), given)
}

/// The report of `--old A --new B`: the two spec files (paths relative to
/// the current directory) generated and compared, the next version computed
/// from `current`. Reads nothing else: the installed generator
/// (`client-gen api-diff`) runs it outside any checkout.
pub fn report_specs(old: &Path, new: &Path, current: &str, given: &BTreeMap<String, String>) -> Result<Report, String> {
    let (old_files, new_files) = (generate_path(old)?, generate_path(new)?);
    finish(compare(&old_files, &new_files)?, (spec_places(old), spec_places(new)), current, given)
}

/// The spec locations of a spec file (none when it cannot be read).
fn spec_places(path: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(path).map(|text| spec_locations(&text)).unwrap_or_default()
}

/// The changes located in the specs and written as `--format` and
/// `--fail-on` ask.
fn finish(
    mut changes: Vec<Change>,
    (old_places, new_places): (BTreeMap<String, String>, BTreeMap<String, String>),
    current: &str,
    given: &BTreeMap<String, String>,
) -> Result<Report, String> {
    locate(&mut changes, &old_places, &new_places);
    let text = match given.get("--format").map(String::as_str) {
        None | Some("markdown") => markdown(&changes, current),
        Some("json") => json(&changes, current),
        Some(other) => return Err(format!("unknown format `{other}`: markdown or json")),
    };
    let fails = given.get("--fail-on").is_some_and(|class| class == "breaking") && changes.iter().any(|c| c.class == Class::Breaking);
    Ok(Report { text, fails })
}

/// The report over the spec's own history: every consecutive pair of
/// committed versions of `spec` (oldest first), each generated and compared
/// (`cargo xtask api-diff --history`). One line per pair; an error if any
/// version does not generate or a pair cannot be compared.
pub fn history(spec: &str) -> Result<(), String> {
    let root = crate::root();
    let git = |args: &[&str]| git(&root, args);
    let revisions: Vec<String> = git(&["log", "--reverse", "--format=%h", "--", spec])?.lines().map(str::to_owned).collect();
    let name = Path::new(spec).file_name().and_then(|n| n.to_str()).unwrap_or(spec).to_owned();
    let mut previous: Option<(String, BTreeMap<String, String>)> = None;
    let mut failures = Vec::new();
    for revision in &revisions {
        let text = git(&["show", &format!("{revision}:{spec}")])?;
        let files = match generate(&name, &|_: &str| Ok(text.clone())) {
            Ok(files) => files,
            Err(error) => {
                failures.push(format!("{revision}: {spec} does not generate: {error}"));
                previous = None;
                continue;
            }
        };
        if let Some((before, old)) = &previous {
            match compare(old, &files) {
                Ok(changes) => {
                    let count = |class: Class| changes.iter().filter(|c| c.class == class).count();
                    println!(
                        "{before}..{revision}: {} ({} breaking, {} additive, {} docs only)",
                        report_class(&changes),
                        count(Class::Breaking),
                        count(Class::Additive),
                        count(Class::Docs)
                    );
                }
                Err(error) => failures.push(format!("{before}..{revision}: {error}")),
            }
        }
        previous = Some((revision.clone(), files));
    }
    println!("api-diff --history: {} versions of {spec}, {} pairs compared", revisions.len(), revisions.len().saturating_sub(1));
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// `git ARGS` in `root`: its output, or its error message.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git").args(args).current_dir(root).output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

fn current_version(root: &Path) -> String {
    std::fs::read_to_string(root.join("generated-client/powens/Cargo.toml"))
        .ok()
        .and_then(|text| text.lines().find_map(|l| l.strip_prefix("version = \"").map(|v| v.trim_end_matches('"').to_owned())))
        .unwrap_or_else(|| "0.1.0".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(spec: &str) -> BTreeMap<String, String> {
        codegen::generate(spec, &codegen::Options { spec_label: "t".into() }).unwrap().files
    }

    const BASE: &str = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /items:
    get:
      operationId: listItems
      description: Lists the items.
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: items
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        kind: {type: string, enum: [a, b]}
";

    fn classes(new: &str) -> Vec<(Class, String, String)> {
        compare(&generated(BASE), &generated(new)).unwrap().into_iter().map(|c| (c.class, c.item, c.what)).collect()
    }

    #[test]
    fn the_classification_follows_semver() {
        assert!(classes(BASE).is_empty(), "no change, no report");
        // a new optional parameter: a setter, additive
        let optional = classes(&BASE.replace("- {name: limit,", "- {name: offset, in: query, schema: {type: integer}}\n        - {name: limit,"));
        assert!(optional.iter().all(|(c, _, _)| *c == Class::Additive), "{optional:#?}");
        assert!(optional.iter().any(|(_, item, _)| item.ends_with("ListItems::offset")), "{optional:#?}");
        // a new required parameter: the client method's signature changes
        let required = classes(&BASE.replace("{name: limit, in: query,", "{name: limit, in: query, required: true,"));
        assert!(required.iter().any(|(c, item, _)| *c == Class::Breaking && item == "Client::list_items"), "{required:#?}");
        // a new value of an open enum: additive
        let value = classes(&BASE.replace("enum: [a, b]", "enum: [a, b, c]"));
        assert!(value.iter().any(|(c, item, what)| *c == Class::Additive && item == "models::ItemKind" && what.contains("`C`")), "{value:#?}");
        // a field's type: breaking
        let ty = classes(&BASE.replace("id: {type: integer}", "id: {type: string}"));
        assert!(ty.iter().any(|(c, item, what)| *c == Class::Breaking && item == "models::Item" && what.contains("field `id`")), "{ty:#?}");
        // a wire name alone: breaking on the wire, same signatures
        let wire = classes(&BASE.replace("/items:", "/things:"));
        assert!(wire.iter().any(|(c, _, what)| *c == Class::Breaking && what.contains("on the wire")), "{wire:#?}");
        let changes = compare(&generated(BASE), &generated(&BASE.replace("/items:", "/things:"))).unwrap();
        assert_eq!(report_class(&changes), "breaking-wire", "{changes:#?}");
        assert!(!compile_breaking(&changes));
        assert!(compile_breaking(&compare(&generated(BASE), &generated(&BASE.replace("id: {type: integer}", "id: {type: string}"))).unwrap()));
        let report = markdown(&changes, "0.1.0");
        assert!(report.contains("breaking (") && report.contains(" on the wire only)") && report.contains("- (wire) `"), "{report}");
        // a description: docs only
        let docs = classes(&BASE.replace("Lists the items.", "Lists every item."));
        assert!(!docs.is_empty() && docs.iter().all(|(c, _, _)| *c == Class::Docs), "{docs:#?}");
    }

    /// The command on two spec files: Markdown or JSON, and the CI gate.
    #[test]
    fn the_command_reports_in_both_formats_and_gates_on_breaking() {
        let cases = crate::root().join(FIXTURE_CASES);
        let given = |case: &str, extra: &[(&str, &str)]| {
            let mut given = BTreeMap::new();
            for side in ["old", "new"] {
                given.insert(format!("--{side}"), cases.join(case).join(format!("{side}.yaml")).to_string_lossy().into_owned());
            }
            given.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            given
        };
        let breaking = "required_query_param_added";
        let plain = report(&given(breaking, &[])).unwrap();
        assert!(plain.text.starts_with("**API changes**: 2 breaking") && plain.text.contains("\n### Breaking\n"), "{}", plain.text);
        assert!(!plain.fails, "no gate was asked for");
        assert!(report(&given(breaking, &[("--fail-on", "breaking")])).unwrap().fails);
        assert!(!report(&given("optional_query_param_added", &[("--fail-on", "breaking")])).unwrap().fails, "additive passes");

        let json: serde_json::Value = serde_json::from_str(&report(&given(breaking, &[("--format", "json")])).unwrap().text).unwrap();
        let version = current_version(&crate::root());
        assert_eq!(json["current"], version.as_str());
        assert_eq!(json["next"], next_version(&version, &[Change { class: Class::Breaking, item: String::new(), what: String::new(), wire: false, location: None }]));
        let first = &json["changes"][0];
        assert_eq!((first["class"].as_str(), first["wire"].as_bool()), (Some("breaking"), Some(false)), "{json}");
        assert_eq!(first["item"], "Client::list_transactions", "{json}");
        assert!(first["change"].as_str().is_some_and(|c| c.starts_with("signature `fn list_transactions(")), "{json}");
        assert_eq!(first["location"], "#/paths/~1users~1{id_user}~1transactions/get", "{json}");

        assert!(report(&given(breaking, &[("--format", "yaml")])).is_err());
        let mut one_side = given(breaking, &[]);
        one_side.remove("--new");
        assert!(report(&one_side).is_err(), "--old alone");
    }

    /// Without spec files: the crate committed at `--base` (from git)
    /// against what regenerating its spec makes now.
    #[test]
    fn the_base_revision_is_read_from_git() {
        let cargo_toml = std::fs::read_to_string(crate::root().join("generated-client/powens/Cargo.toml")).unwrap();
        let version = cargo_toml.lines().find_map(|l| l.strip_prefix("version = ")).unwrap().trim_matches('"');
        let head = report(&BTreeMap::new()).unwrap();
        assert!(head.text.starts_with("**API changes**: ") && head.text.contains(&format!("(now {version})")), "{}", head.text);
        let nowhere = BTreeMap::from([("--base".to_owned(), "no-such-revision".to_owned())]);
        assert!(report(&nowhere).is_err());
        let finapi = BTreeMap::from([("--spec".to_owned(), "spec/finapi.yaml".to_owned())]);
        assert!(report(&finapi).unwrap().text.starts_with("**API changes**: "));
        assert!(report(&BTreeMap::from([("--spec".to_owned(), "spec/none.yaml".to_owned())])).is_err());
    }

    /// Rust files by hand, for what generated code never does (a struct
    /// that stops being `#[non_exhaustive]`).
    fn compared(old: &str, new: &str) -> Vec<(Class, String)> {
        let files = |text: &str| BTreeMap::from([("models/mod.rs".to_owned(), text.to_owned())]);
        compare(&files(old), &files(new)).unwrap().into_iter().map(|c| (c.class, c.what)).collect()
    }

    #[test]
    fn a_new_field_or_variant_is_additive_only_when_both_sides_are_non_exhaustive() {
        let open = "#[non_exhaustive] pub struct A { pub x: i64 }";
        let open_more = "#[non_exhaustive] pub struct A { pub x: i64, pub y: i64 }";
        let closed = "pub struct A { pub x: i64 }";
        let closed_more = "pub struct A { pub x: i64, pub y: i64 }";
        assert_eq!(compared(open, open_more), [(Class::Additive, "field `y` added".to_owned())]);
        assert_eq!(compared(closed, open_more), [(Class::Breaking, "field `y` added".to_owned())]);
        assert_eq!(compared(open, closed_more), [(Class::Breaking, "field `y` added".to_owned())]);
        let open = "#[non_exhaustive] pub enum E { A }";
        let open_more = "#[non_exhaustive] pub enum E { A, B }";
        assert_eq!(compared(open, open_more), [(Class::Additive, "variant `B` added".to_owned())]);
        assert_eq!(compared("pub enum E { A }", open_more), [(Class::Breaking, "variant `B` added".to_owned())]);
        assert_eq!(compared(open, "pub enum E { A, B }"), [(Class::Breaking, "variant `B` added".to_owned())]);
        // documentation alone
        assert_eq!(compared("/// One.\npub enum E { A }", "/// Two.\npub enum E { A }"), [(Class::Docs, "documentation".to_owned())]);
        assert_eq!(compared("/// One.\npub enum E { A }", "/// Two.\npub enum E { A, B }"), [(Class::Breaking, "variant `B` added".to_owned())]);
    }

    /// Every kind of public item is compared; private ones are not the API.
    #[test]
    fn public_items_of_every_kind_and_no_private_one() {
        let private = ["struct P { pub x: i64 }", "enum Q { A }", "type T = i64;", "const C: i64 = 1;", "fn f(x: i64) {}"];
        let changed = ["struct P { pub x: String }", "enum Q { B }", "type T = String;", "const C: i64 = 2;", "fn f(x: String) {}"];
        for (old, new) in private.iter().zip(changed) {
            assert!(compared(old, new).is_empty(), "{old} -> {new}");
            let (old, new) = (format!("pub {old}"), format!("pub {new}"));
            assert!(compared(&old, &new).iter().any(|(class, _)| *class == Class::Breaking), "{old} -> {new}");
        }
        // a builder split into a file of its own is still named by its tag
        let nested = items(&BTreeMap::from([("operations/transactions/list.rs".to_owned(), "pub struct ListAll;".to_owned())])).unwrap();
        assert!(nested.contains_key("operations::transactions::ListAll"), "{:?}", nested.keys());
        let root = items(&BTreeMap::from([("mod.rs".to_owned(), "pub const URL: &str = \"x\";".to_owned())])).unwrap();
        assert!(root.contains_key("crate::URL"), "{:?}", root.keys());
    }

    /// Which field of the builder feeds a query parameter is the request;
    /// only a path parameter's field is named after what is never sent.
    #[test]
    fn only_path_parameter_fields_are_unnamed() {
        let builder = |field: &str, in_path: bool| {
            let call = if in_path {
                format!("path.push_str(&::client_runtime::path_segment(\"p\", &self.{field}.to_string())?);")
            } else {
                format!("request.query(\"q\", &self.{field});")
            };
            format!("pub struct B {{ limit: i64, offset: i64 }} impl B {{ fn request(&self) {{ {call} }} pub fn send(self) {{ self.request(); }} }}")
        };
        assert!(compared(&builder("limit", true), &builder("offset", true)).is_empty(), "a renamed path parameter");
        let query = compared(&builder("limit", false), &builder("offset", false));
        assert!(query.iter().any(|(class, what)| *class == Class::Breaking && what.contains("on the wire")), "{query:?}");
    }

    #[test]
    fn the_next_version_follows_cargo() {
        let change = |class| vec![Change { class, item: "x".into(), what: "y".into(), wire: false, location: None }];
        assert_eq!(next_version("0.1.0", &change(Class::Breaking)), "0.2.0");
        assert_eq!(next_version("0.1.3", &change(Class::Additive)), "0.1.4");
        assert_eq!(next_version("1.2.3", &change(Class::Breaking)), "2.0.0");
        assert_eq!(next_version("1.2.3", &change(Class::Additive)), "1.3.0");
        assert_eq!(next_version("1.2.3", &change(Class::Docs)), "1.2.4");
        assert_eq!(next_version("0.1.0", &[]), "0.1.0");
    }
}
