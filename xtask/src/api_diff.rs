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
//! First version: items are compared by their tokens; the fixture pairs, the
//! compile oracle and the agreement with cargo-semver-checks the issue asks
//! for are not there yet.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, ExitCode};

use quote::ToTokens;

/// One public item of a generated crate, as far as compatibility goes.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// A function or method: its signature, the string literals of its
    /// body (what it puts on the wire: paths, wire names, content types),
    /// its docs.
    Function { signature: String, body: std::collections::BTreeSet<String>, docs: String },
    /// A struct: its fields and their types, whether more may come.
    Struct { fields: BTreeMap<String, String>, open: bool, docs: String },
    /// An enum: its variants, whether more may come.
    Enum { variants: BTreeMap<String, String>, open: bool, docs: String },
    /// A type alias.
    Alias { target: String, docs: String },
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
            let fields = s
                .fields
                .iter()
                .filter(|f| is_pub(&f.vis))
                .enumerate()
                .map(|(i, f)| (f.ident.as_ref().map_or(i.to_string(), ToString::to_string), f.ty.to_token_stream().to_string()))
                .collect();
            out.insert(format!("{}::{}", module_name(module), s.ident), Item::Struct { fields, open: open(&s.attrs), docs: docs(&s.attrs) });
        }
        syn::Item::Enum(e) if is_pub(&e.vis) => {
            let variants = e.variants.iter().map(|v| (v.ident.to_string(), v.fields.to_token_stream().to_string())).collect();
            out.insert(format!("{}::{}", module_name(module), e.ident), Item::Enum { variants, open: open(&e.attrs), docs: docs(&e.attrs) });
        }
        syn::Item::Type(t) if is_pub(&t.vis) => {
            out.insert(
                format!("{}::{}", module_name(module), t.ident),
                Item::Alias { target: t.ty.to_token_stream().to_string(), docs: docs(&t.attrs) },
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
                        let mut body = std::collections::BTreeSet::new();
                        literals(f.block.to_token_stream(), &mut body);
                        private.insert(format!("self . {} (", f.sig.ident), body);
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
                if let Item::Function { body, .. } = &mut item {
                    let text = f.block.to_token_stream().to_string();
                    for (call, wire) in &private {
                        if text.contains(call.as_str()) {
                            body.extend(wire.iter().cloned());
                        }
                    }
                }
                out.insert(key, item);
            }
        }
        _ => {}
    }
}

/// The module part of an item's path: `models::transfer` is `models`, the
/// file of each model being private.
fn module_name(module: &str) -> String {
    match module.split("::").collect::<Vec<_>>().as_slice() {
        ["models", ..] => "models".into(),
        ["operations", tag, ..] => format!("operations::{tag}"),
        _ => module.to_owned(),
    }
}

fn function(sig: &syn::Signature, block: &syn::Block, attrs: &[syn::Attribute]) -> Item {
    let mut body = std::collections::BTreeSet::new();
    literals(block.to_token_stream(), &mut body);
    Item::Function { signature: sig.to_token_stream().to_string(), body, docs: docs(attrs) }
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
    let mut push = |class, item: &str, what: String| changes.push(Change { class, item: item.to_owned(), what });
    for (key, before) in &old {
        let Some(after) = new.get(key) else {
            push(Class::Breaking, key, "removed".into());
            continue;
        };
        match (before, after) {
            (Item::Function { signature: s1, body: b1, docs: d1 }, Item::Function { signature: s2, body: b2, docs: d2 }) => {
                // a wire text the old code sent and the new one does not:
                // it compiles, and does something else (new texts come
                // with new optional parts, which send nothing until set)
                let gone: Vec<&String> = b1.difference(b2).collect();
                if s1 != s2 {
                    push(Class::Breaking, key, format!("signature `{s1}` becomes `{s2}`"));
                } else if !gone.is_empty() {
                    push(Class::Breaking, key, format!("same signature, other behaviour on the wire: {} no longer sent", gone.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(", ")));
                } else if d1 != d2 {
                    push(Class::Docs, key, "documentation".into());
                }
            }
            (Item::Struct { fields: f1, open: o1, docs: d1 }, Item::Struct { fields: f2, open: o2, docs: d2 }) => {
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
            _ => push(Class::Breaking, key, "changed kind".into()),
        }
    }
    for key in new.keys().filter(|k| !old.contains_key(*k)) {
        push(Class::Additive, key, "added".into());
    }
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
pub fn markdown(changes: &[Change], current: &str) -> String {
    let count = |class: Class| changes.iter().filter(|c| c.class == class).count();
    let mut out = format!(
        "**API changes**: {} breaking, {} additive, {} docs only; next version {} (now {current})\n",
        count(Class::Breaking),
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
            out.push_str(&format!("- `{}`: {}\n", change.item, change.what));
        }
    }
    out
}

fn json(changes: &[Change], current: &str) -> String {
    let entries: Vec<String> = changes
        .iter()
        .map(|c| {
            let class = match c.class {
                Class::Breaking => "breaking",
                Class::Additive => "additive",
                Class::Docs => "docs",
            };
            format!("{{\"class\":\"{class}\",\"item\":{:?},\"change\":{:?}}}", c.item, c.what)
        })
        .collect();
    format!("{{\"current\":{current:?},\"next\":{:?},\"changes\":[{}]}}", next_version(current, changes), entries.join(","))
}

/// Generates a spec read through `read` (a path relative to the spec's
/// directory).
fn generate(name: &str, read: &dyn Fn(&str) -> Result<String, String>) -> Result<BTreeMap<String, String>, String> {
    let options = codegen::Options { spec_label: name.into() };
    codegen::generate_files(name, read, &options).map(|g| g.files).map_err(|diags| {
        let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
        format!("{name} does not generate:\n{}", lines.join("\n"))
    })
}

/// `cargo xtask api-diff [--old A --new B | --base REV] [--spec FILE]
/// [--format markdown|json] [--fail-on breaking]`.
pub fn run(given: &BTreeMap<String, String>) -> Result<ExitCode, String> {
    let root = xtask::root();
    let from_disk = |path: &Path| {
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        generate(&name, &|file: &str| std::fs::read_to_string(dir.join(file)).map_err(|e| e.to_string()))
    };
    let (old, new) = match (given.get("--old"), given.get("--new")) {
        (Some(old), Some(new)) => (from_disk(Path::new(old))?, from_disk(Path::new(new))?),
        (None, None) => {
            // the crate committed at REV against what regenerating now
            // makes: changes by the spec and by the generator alike
            let spec = given.get("--spec").cloned().unwrap_or_else(|| "spec/powens.yaml".into());
            let base = given.get("--base").cloned().unwrap_or_else(|| "HEAD".into());
            let target = xtask::TARGETS
                .iter()
                .find(|t| t.spec == spec)
                .ok_or_else(|| format!("`{spec}` is not a spec of this repository: {:?}", xtask::TARGETS.iter().map(|t| t.spec).collect::<Vec<_>>()))?;
            let git = |args: &[&str]| -> Result<String, String> {
                let out = Command::new("git").args(args).current_dir(&root).output().map_err(|e| e.to_string())?;
                if out.status.success() {
                    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
                } else {
                    Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
                }
            };
            let mut old = BTreeMap::new();
            for path in git(&["ls-tree", "-r", "--name-only", &base, target.out])?.lines() {
                let relative = path.strip_prefix(target.out).unwrap_or(path).trim_start_matches('/');
                old.insert(relative.to_owned(), git(&["show", &format!("{base}:{path}")])?);
            }
            if old.is_empty() {
                return Err(format!("no generated crate at `{base}:{}`", target.out));
            }
            (old, from_disk(&root.join(&spec))?)
        }
        _ => return Err("give both `--old` and `--new`, or neither (then `--base`)".into()),
    };
    let changes = compare(&old, &new)?;
    let current = current_version(&root);
    let report = match given.get("--format").map(String::as_str) {
        None | Some("markdown") => markdown(&changes, &current),
        Some("json") => json(&changes, &current),
        Some(other) => return Err(format!("unknown format `{other}`: markdown or json")),
    };
    println!("{report}");
    let fail = given.get("--fail-on").is_some_and(|class| class == "breaking") && changes.iter().any(|c| c.class == Class::Breaking);
    Ok(if fail { ExitCode::FAILURE } else { ExitCode::SUCCESS })
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
        // a description: docs only
        let docs = classes(&BASE.replace("Lists the items.", "Lists every item."));
        assert!(!docs.is_empty() && docs.iter().all(|(c, _, _)| *c == Class::Docs), "{docs:#?}");
    }

    #[test]
    fn the_next_version_follows_cargo() {
        let change = |class| vec![Change { class, item: "x".into(), what: "y".into() }];
        assert_eq!(next_version("0.1.0", &change(Class::Breaking)), "0.2.0");
        assert_eq!(next_version("0.1.3", &change(Class::Additive)), "0.1.4");
        assert_eq!(next_version("1.2.3", &change(Class::Breaking)), "2.0.0");
        assert_eq!(next_version("1.2.3", &change(Class::Additive)), "1.3.0");
        assert_eq!(next_version("1.2.3", &change(Class::Docs)), "1.2.4");
        assert_eq!(next_version("0.1.0", &[]), "0.1.0");
    }
}
