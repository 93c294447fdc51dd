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

use std::io::Write as _;
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
    /// `owner` is the type of the impl it is in (`models::Transfer`), when
    /// it is a method; `inputs` and `output` are its arguments (name,
    /// type) and its return type as a user writes them.
    Function {
        signature: String,
        shape: String,
        body: std::collections::BTreeSet<String>,
        statements: std::collections::BTreeSet<String>,
        deprecated: bool,
        docs: String,
        owner: Option<String>,
        inputs: Vec<(String, String)>,
        output: String,
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

impl Item {
    /// What the report calls it when it is added or removed as a whole.
    fn kind(&self) -> Option<&'static str> {
        match self {
            Item::Function { .. } => None,
            Item::Struct { .. } => Some("struct"),
            Item::Enum { .. } => Some("enum"),
            Item::Alias { .. } => Some("type alias"),
            Item::Const { .. } => Some("const"),
        }
    }

    /// A type (whose methods and impls go with it).
    fn is_type(&self) -> bool {
        matches!(self, Item::Struct { .. } | Item::Enum { .. } | Item::Alias { .. })
    }

    /// The item without its documentation: what a type renamed with
    /// nothing else changed keeps.
    fn shape(&self) -> String {
        match self {
            Item::Struct { fields, open, .. } => format!("struct {open} {fields:?}"),
            Item::Enum { variants, open, .. } => format!("enum {open} {variants:?}"),
            Item::Alias { target, .. } => format!("alias {target}"),
            Item::Const { ty, value, .. } => format!("const {ty} {value}"),
            Item::Function { shape, body, .. } => format!("fn {shape} {body:?}"),
        }
    }
}

/// A change and its class.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Breaking,
    Additive,
    Docs,
}

/// One line of the report: one change to the public API, with the items it
/// takes along (the methods and impls of a type added or removed, a
/// builder's constructor changed as its client method is, a field's setter).
#[derive(Debug, Clone)]
pub struct Change {
    pub class: Class,
    /// The item as a user writes its path: `models::AccountUsage`,
    /// `Client::list_accounts`, `operations::accounts::ListAccounts::new`.
    pub item: String,
    pub what: String,
    /// A function whose signature stays and whose wire texts change: the
    /// code using it still compiles, and does something else. Breaking,
    /// but no compiler error tells the user.
    pub wire: bool,
    /// Where in the spec it comes from (a JSON pointer), when known: see
    /// [`locate`].
    pub location: Option<String>,
    /// What the item is, for one added or removed as a whole (`struct`,
    /// `enum`, `type alias`, `const`).
    pub kind: Option<&'static str>,
    /// Its methods and trait impls were added or removed with it (folded
    /// into this line).
    pub with_impls: bool,
    /// The other items this same change touches, folded into this line
    /// (`operations::items::ListItems::new` beside `Client::list_items`).
    pub also: Vec<String>,
    /// The old and the new text of what changed (a type, a signature), for
    /// telling a rename's consequences from other changes.
    texts: Option<(String, String)>,
}

impl Change {
    /// A change of `item`, with nothing folded into it and no location yet.
    pub fn new(class: Class, item: &str, what: String) -> Change {
        Change { class, item: item.to_owned(), what, wire: false, location: None, kind: None, with_impls: false, also: Vec::new(), texts: None }
    }
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

/// The public items of a generated crate's files, by path as a user writes
/// it (`models::Transfer`, `Client::list_transactions`,
/// `operations::transfers::CreateTransfer::send`, `models::Transfer as
/// Display::fmt`). Types are read first, so that a method is keyed by the
/// path of the type it belongs to whichever file its impl is in.
fn items(files: &BTreeMap<String, String>) -> Result<BTreeMap<String, Item>, String> {
    let mut parsed = Vec::new();
    for (path, text) in files {
        let file = syn::parse_file(text).map_err(|e| format!("{path}: {e}"))?;
        let module = path.trim_end_matches(".rs").trim_end_matches("/mod").replace('/', "::");
        parsed.push((module, file));
    }
    // every type by its path, and by its name alone (for `impl Operation
    // for root::operations::ListItems`, a re-export of
    // `operations::items::ListItems`)
    let mut types: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (module, file) in &parsed {
        for item in &file.items {
            let ident = match item {
                syn::Item::Struct(s) if is_pub(&s.vis) => &s.ident,
                syn::Item::Enum(e) if is_pub(&e.vis) => &e.ident,
                syn::Item::Type(t) if is_pub(&t.vis) => &t.ident,
                _ => continue,
            };
            types.entry(ident.to_string()).or_default().push(item_path(module, &ident.to_string()));
        }
    }
    let mut out = BTreeMap::new();
    for (module, file) in &parsed {
        for item in &file.items {
            collect(item, module, &types, &mut out);
        }
    }
    Ok(out)
}

/// The path of an item named `name` defined in the file of `module`.
fn item_path(module: &str, name: &str) -> String {
    let module = module_name(module);
    if module.is_empty() {
        name.to_owned()
    } else {
        format!("{module}::{name}")
    }
}

/// The text of the doc comments, one line each.
fn docs(attrs: &[syn::Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(syn::MetaNameValue { value: syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }), .. }) = &attr.meta {
            lines.push(text.value().trim().to_owned());
        }
    }
    lines.join("\n")
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// Paths in a type or a signature as a user of the crate writes them: the
/// generated files' own relative paths (`super::AccountUsage` in a model's
/// file, `root::models::AccountUsage` in an operation's) from the crate's
/// root (`models::AccountUsage`), and std's and the runtime's fully
/// qualified paths without the leading `::` (`String`,
/// `client_runtime::Date`).
fn user_paths(text: &str, module: &str) -> String {
    let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
    let grandparent = parent.rsplit_once("::").map_or("", |(p, _)| p);
    let prefixed = |path: &str| if path.is_empty() { String::new() } else { format!("{path}::") };
    let replacements: [(&str, String); 11] = [
        ("::std::string::String", "String".into()),
        ("::std::vec::Vec", "Vec".into()),
        ("::std::option::Option", "Option".into()),
        ("::std::boxed::Box", "Box".into()),
        ("::std::result::Result", "Result".into()),
        ("::std::", "std::".into()),
        ("::client_runtime::", "client_runtime::".into()),
        ("::serde_json::", "serde_json::".into()),
        ("super::super::", prefixed(grandparent)),
        ("super::", prefixed(parent)),
        ("root::", String::new()),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while let Some(c) = rest.chars().next() {
        // only at the start of a path, not inside one (`a::super::`)
        let starts_path = !out.ends_with(|p: char| p.is_alphanumeric() || p == '_' || p == ':');
        if starts_path {
            for (from, to) in &replacements {
                if let Some(after) = rest.strip_prefix(from) {
                    out.push_str(to);
                    rest = after;
                    continue 'scan;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn collect(item: &syn::Item, module: &str, types: &BTreeMap<String, Vec<String>>, out: &mut BTreeMap<String, Item>) {
    let open = |attrs: &[syn::Attribute]| attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
    let paths = |text: &str| qualified(&user_paths(text, module), module, types);
    let ty = |t: &syn::Type| paths(&pretty_type(t));
    match item {
        syn::Item::Struct(s) if is_pub(&s.vis) => {
            let public = || s.fields.iter().filter(|f| is_pub(&f.vis)).enumerate();
            let name = |i: usize, f: &syn::Field| f.ident.as_ref().map_or(i.to_string(), ToString::to_string);
            let fields = public().map(|(i, f)| (name(i, f), ty(&f.ty))).collect();
            // a field's doc is the struct's documentation too
            let field_docs = public().map(|(i, f)| (name(i, f), docs(&f.attrs))).collect();
            out.insert(item_path(module, &s.ident.to_string()), Item::Struct { fields, field_docs, open: open(&s.attrs), docs: docs(&s.attrs) });
        }
        syn::Item::Enum(e) if is_pub(&e.vis) => {
            let variants = e
                .variants
                .iter()
                .map(|v| {
                    let fields: Vec<String> = v.fields.iter().map(|f| ty(&f.ty)).collect();
                    let fields = match &v.fields {
                        syn::Fields::Unit => String::new(),
                        syn::Fields::Unnamed(_) => format!("({})", fields.join(", ")),
                        syn::Fields::Named(named) => {
                            let names = named.named.iter().map(|f| f.ident.as_ref().map(ToString::to_string).unwrap_or_default());
                            format!("{{ {} }}", names.zip(fields).map(|(n, t)| format!("{n}: {t}")).collect::<Vec<_>>().join(", "))
                        }
                    };
                    (v.ident.to_string(), fields)
                })
                .collect();
            out.insert(item_path(module, &e.ident.to_string()), Item::Enum { variants, open: open(&e.attrs), docs: docs(&e.attrs) });
        }
        syn::Item::Type(t) if is_pub(&t.vis) => {
            out.insert(item_path(module, &t.ident.to_string()), Item::Alias { target: ty(&t.ty), docs: docs(&t.attrs) });
        }
        syn::Item::Const(c) if is_pub(&c.vis) => {
            out.insert(
                item_path(module, &c.ident.to_string()),
                Item::Const { ty: ty(&c.ty), value: c.expr.to_token_stream().to_string(), docs: docs(&c.attrs) },
            );
        }
        syn::Item::Fn(f) if is_pub(&f.vis) => {
            out.insert(item_path(module, &f.sig.ident.to_string()), function(&f.sig, &f.block, &f.attrs, &paths, None));
        }
        syn::Item::Impl(block) => {
            // `impl root::Client` and `impl Transfer`: their pub methods; the
            // serde impls: their bodies are the wire format
            let self_type = block.self_ty.to_token_stream().to_string().replace(' ', "");
            let owner = owner_path(&self_type, module, types);
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
                    None if is_pub(&f.vis) => format!("{owner}::{}", f.sig.ident),
                    Some(name) => format!("{owner} as {}::{}", name.rsplit("::").next().unwrap_or(name), f.sig.ident),
                    None => continue,
                };
                let mut item = function(&f.sig, &f.block, &f.attrs, &paths, Some(owner.clone()));
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

/// A text's bare names of types of the module it is written in
/// (`SyncConnectionResponse` in `operations/connections.rs`) as paths from
/// the crate's root (`operations::connections::SyncConnectionResponse`).
fn qualified(text: &str, module: &str, types: &BTreeMap<String, Vec<String>>) -> String {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_alphabetic() || c == '_') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
        let name = &rest[..end];
        let path = item_path(module, name);
        let bare_name = !out.ends_with(':') && !out.ends_with(|c: char| word(c));
        if bare_name && path != name && types.get(name).is_some_and(|known| known.contains(&path)) {
            out.push_str(&path);
        } else {
            out.push_str(name);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The path of the type an impl in `module` is for: its own path resolved
/// from the crate's root when a type has it, else the one type of that
/// name, else the path as written.
fn owner_path(self_type: &str, module: &str, types: &BTreeMap<String, Vec<String>>) -> String {
    let written = user_paths(self_type, module);
    let name = written.rsplit("::").next().unwrap_or(&written).to_owned();
    let known = types.get(&name).map(Vec::as_slice).unwrap_or_default();
    let relative = item_path(module, &written);
    if known.contains(&written) {
        written
    } else if known.contains(&relative) {
        relative
    } else if let [only] = known {
        only.clone()
    } else {
        written
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
/// file of each model being private; the generated root's is empty.
fn module_name(module: &str) -> String {
    match module.split("::").collect::<Vec<_>>().as_slice() {
        ["models", ..] => "models".into(),
        ["operations", tag, ..] => format!("operations::{tag}"),
        // the generated root's own items (`Client`, `DEFAULT_SERVER_URL`):
        // the crate's root, which re-exports them
        ["mod"] => String::new(),
        _ => module.to_owned(),
    }
}


fn function(sig: &syn::Signature, block: &syn::Block, attrs: &[syn::Attribute], paths: &dyn Fn(&str) -> String, owner: Option<String>) -> Item {
    let mut body = std::collections::BTreeSet::new();
    literals(without_labels(block.to_token_stream()), &mut body);
    let shapes: Vec<String> = sig
        .inputs
        .iter()
        .map(|input| match input {
            syn::FnArg::Typed(arg) => format!("_ : {}", arg.ty.to_token_stream()),
            receiver => receiver.to_token_stream().to_string(),
        })
        .collect();
    let inputs = sig
        .inputs
        .iter()
        .map(|input| match input {
            syn::FnArg::Typed(arg) => (one_line_tokens(&arg.pat.to_token_stream().to_string()), paths(&pretty_type(&arg.ty))),
            receiver => ("self".to_owned(), one_line_tokens(&receiver.to_token_stream().to_string()).replace("& ", "&")),
        })
        .collect();
    let output = match &sig.output {
        syn::ReturnType::Default => "()".to_owned(),
        syn::ReturnType::Type(_, ty) => paths(&pretty_type(ty)),
    };
    let shape = format!(
        "{} fn {} {} ({}) {} {}",
        if sig.asyncness.is_some() { "async" } else { "" },
        sig.ident,
        sig.generics.to_token_stream(),
        shapes.join(", "),
        sig.output.to_token_stream(),
        sig.generics.where_clause.to_token_stream()
    );
    Item::Function {
        signature: paths(&pretty_signature(sig)),
        shape,
        body,
        statements: Default::default(),
        deprecated: attrs.iter().any(|a| a.path().is_ident("deprecated")),
        docs: docs(attrs),
        owner,
        inputs,
        output,
    }
}

/// A pattern's tokens as written (`mut value`).
fn one_line_tokens(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What changed in a signature, argument by argument when its arguments
/// can be matched by name: ``argument `currency`: `impl Into<String>`
/// becomes `impl Into<models::Currency>` ``; else both signatures whole.
fn signature_change(old: &Item, new: &Item) -> String {
    let (
        Item::Function { signature: s1, inputs: i1, output: o1, shape: h1, .. },
        Item::Function { signature: s2, inputs: i2, output: o2, shape: h2, .. },
    ) = (old, new)
    else {
        return String::new();
    };
    let whole = format!("signature `{s1}` becomes `{s2}`");
    let name = |(n, _): &(String, String)| n.trim_start_matches("mut ").to_owned();
    let names1: Vec<String> = i1.iter().map(name).collect();
    let names2: Vec<String> = i2.iter().map(name).collect();
    let mut parts = Vec::new();
    for (n, (_, t1)) in names1.iter().zip(i1) {
        match names2.iter().position(|m| m == n) {
            None => parts.push(format!("argument `{n}: {t1}` removed")),
            Some(at) if i2[at].1 != *t1 => parts.push(format!("argument `{n}`: `{t1}` becomes `{}`", i2[at].1)),
            _ => {}
        }
    }
    for (n, (_, t2)) in names2.iter().zip(i2) {
        if !names1.contains(n) {
            parts.push(format!("argument `{n}: {t2}` added"));
        }
    }
    if o1 != o2 {
        parts.push(format!("returns `{o2}` instead of `{o1}`"));
    }
    // the arguments that stay, in the same order: what is listed is all
    // that changed (else, the order or something else did: both whole)
    let kept1: Vec<&String> = names1.iter().filter(|n| names2.contains(n)).collect();
    let kept2: Vec<&String> = names2.iter().filter(|n| names1.contains(n)).collect();
    let rest = |shape: &str| shape.split(" (").next().unwrap_or_default().to_owned();
    if parts.is_empty() || kept1 != kept2 || rest(h1) != rest(h2) {
        whole
    } else {
        parts.join("; ")
    }
}

/// What a documentation change says: the lines removed and the lines
/// added, quoted; where both are long, only the words that differ, with
/// three words around them (`"…enterprise-server@2.18/rest…" becomes
/// "…enterprise-server@2.19/rest…"`), each side cut at 160 characters.
fn docs_change(old: &str, new: &str) -> String {
    let lines = |text: &str| -> Vec<String> { text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect() };
    let (before, after) = (lines(old), lines(new));
    let removed: Vec<&str> = before.iter().filter(|l| !after.contains(l)).map(String::as_str).collect();
    let added: Vec<&str> = after.iter().filter(|l| !before.contains(l)).map(String::as_str).collect();
    let quote = |words: &[&str], cut_before: bool, cut_after: bool| {
        let joined = words.join(" ");
        let mut text: String = joined.chars().take(160).collect();
        let cut_after = cut_after || text.len() < joined.len();
        if cut_before {
            text.insert(0, '…');
        }
        if cut_after {
            text.push('…');
        }
        format!("\"{text}\"")
    };
    let (old_words, new_words) = (removed.join(" "), added.join(" "));
    let (a, b): (Vec<&str>, Vec<&str>) = (old_words.split_whitespace().collect(), new_words.split_whitespace().collect());
    match (a.is_empty(), b.is_empty()) {
        (true, true) => "reworded (the same lines, in another order or layout)".to_owned(),
        (false, true) => format!("text removed: {}", quote(&a, false, false)),
        (true, false) => format!("text added: {}", quote(&b, false, false)),
        (false, false) => {
            // the words both sides share at the start and at the end
            let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
            let short = old_words.chars().count() <= 160 && new_words.chars().count() <= 160;
            if short || (prefix == 0 && suffix == 0) {
                return format!("{} becomes {}", quote(&a, false, false), quote(&b, false, false));
            }
            const AROUND: usize = 3;
            let start = prefix.saturating_sub(AROUND);
            let part = |words: &[&str]| {
                let end = (words.len() - suffix + AROUND).min(words.len());
                quote(&words[start..end], start > 0, end < words.len())
            };
            format!("{} becomes {}", part(&a), part(&b))
        }
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


/// Every change from `old` to `new`, breaking first, one per line of the
/// report: the methods and trait impls of a type added or removed are
/// folded into the type's line, a field's setter into the field's, and a
/// type removed and one of the same shape added in its place (a property's
/// type goes from the one to the other) into one rename.
pub fn compare(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Result<Vec<Change>, String> {
    let (old, new) = (items(old)?, items(new)?);
    let mut changes = changes(&old, &new);
    let renames = fold_renames(&mut changes, &old, &new);
    fold_impls(&mut changes, &old, &new, &renames);
    fold_setters(&mut changes, &old, &new);
    changes.sort_by(|a, b| (&a.class, &a.item).cmp(&(&b.class, &b.item)));
    Ok(changes)
}

/// Every change of every item, one per item and aspect.
fn changes(old: &BTreeMap<String, Item>, new: &BTreeMap<String, Item>) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut push = |class, item: &str, what: String, texts: Option<(&String, &String)>| {
        let mut change = Change::new(class, item, what);
        change.texts = texts.map(|(a, b)| (a.clone(), b.clone()));
        changes.push(change);
    };
    // the changes on the wire only, apart: `push` holds `changes`
    let mut on_the_wire = Vec::new();
    for (key, before) in old {
        let Some(after) = new.get(key) else {
            continue;
        };
        match (before, after) {
            (
                Item::Function { signature: s1, shape: h1, body: b1, statements: c1, deprecated: x1, docs: d1, .. },
                Item::Function { signature: s2, shape: h2, body: b2, statements: c2, deprecated: x2, docs: d2, .. },
            ) => {
                // a wire text the old code sent and the new one does not, or
                // a statement of the request it builds that is gone: it
                // compiles, and does something else (new texts and
                // statements come with new optional parts, which send
                // nothing until set)
                let gone: Vec<&String> = b1.difference(b2).collect();
                let rebuilt = c1.difference(c2).count();
                if h1 != h2 {
                    push(Class::Breaking, key, signature_change(before, after), Some((s1, s2)));
                } else if !gone.is_empty() || rebuilt > 0 {
                    let what = if gone.is_empty() {
                        format!("same signature, other behaviour on the wire: {rebuilt} statement(s) of the request it builds changed")
                    } else {
                        let gone: Vec<&str> = gone.iter().map(|g| g.as_str()).collect();
                        format!("same signature, other behaviour on the wire: {} no longer sent", gone.join(", "))
                    };
                    let mut change = Change::new(Class::Breaking, key, what);
                    change.wire = true;
                    on_the_wire.push(change);
                } else if !x1 && *x2 {
                    // deprecating is a minor change (the Cargo book)
                    push(Class::Additive, key, "deprecated".into(), None);
                } else if d1 != d2 {
                    push(Class::Docs, key, format!("documentation: {}", docs_change(d1, d2)), None);
                } else if s1 != s2 {
                    push(Class::Docs, key, format!("argument names: `{s1}` becomes `{s2}`"), None);
                }
            }
            (
                Item::Struct { fields: f1, field_docs: fd1, open: o1, docs: d1 },
                Item::Struct { fields: f2, field_docs: fd2, open: o2, docs: d2 },
            ) => {
                for (field, ty) in f1 {
                    match f2.get(field) {
                        None => push(Class::Breaking, key, format!("field `{field}` removed"), None),
                        Some(t2) if t2 != ty => push(Class::Breaking, key, format!("field `{field}`: `{ty}` becomes `{t2}`"), Some((ty, t2))),
                        _ => {}
                    }
                }
                for field in f2.keys().filter(|f| !f1.contains_key(*f)) {
                    // a new field breaks struct literals, unless the struct is non_exhaustive
                    let class = if *o1 && *o2 { Class::Additive } else { Class::Breaking };
                    push(class, key, format!("field `{field}` added"), None);
                }
                if f1 == f2 && d1 != d2 {
                    push(Class::Docs, key, format!("documentation: {}", docs_change(d1, d2)), None);
                }
                for (field, doc) in fd1 {
                    if let Some(d) = fd2.get(field).filter(|d| *d != doc) {
                        push(Class::Docs, key, format!("documentation of field `{field}`: {}", docs_change(doc, d)), None);
                    }
                }
            }
            (Item::Enum { variants: v1, open: o1, docs: d1 }, Item::Enum { variants: v2, open: o2, docs: d2 }) => {
                for (variant, fields) in v1 {
                    match v2.get(variant) {
                        None => push(Class::Breaking, key, format!("variant `{variant}` removed"), None),
                        Some(f2) if f2 != fields => push(Class::Breaking, key, format!("variant `{variant}`: `{variant}{fields}` becomes `{variant}{f2}`"), Some((fields, f2))),
                        _ => {}
                    }
                }
                for variant in v2.keys().filter(|v| !v1.contains_key(*v)) {
                    // a new variant breaks exhaustive matches, unless the enum is non_exhaustive
                    let class = if *o1 && *o2 { Class::Additive } else { Class::Breaking };
                    push(class, key, format!("variant `{variant}` added"), None);
                }
                if v1 == v2 && d1 != d2 {
                    push(Class::Docs, key, format!("documentation: {}", docs_change(d1, d2)), None);
                }
            }
            (Item::Alias { target: t1, docs: d1 }, Item::Alias { target: t2, docs: d2 }) => {
                if t1 != t2 {
                    push(Class::Breaking, key, format!("`{t1}` becomes `{t2}`"), Some((t1, t2)));
                } else if d1 != d2 {
                    push(Class::Docs, key, format!("documentation: {}", docs_change(d1, d2)), None);
                }
            }
            (Item::Const { ty: t1, value: v1, docs: d1 }, Item::Const { ty: t2, value: v2, docs: d2 }) => {
                if t1 != t2 {
                    push(Class::Breaking, key, format!("`{t1}` becomes `{t2}`"), Some((t1, t2)));
                } else if v1 != v2 {
                    let mut change = Change::new(Class::Breaking, key, format!("same type, other value: `{v1}` becomes `{v2}`"));
                    change.wire = true;
                    on_the_wire.push(change);
                } else if d1 != d2 {
                    push(Class::Docs, key, format!("documentation: {}", docs_change(d1, d2)), None);
                }
            }
            _ => push(Class::Breaking, key, "changed kind".into(), None),
        }
    }
    for (key, item) in old.iter().filter(|(k, _)| !new.contains_key(*k)) {
        let mut change = Change::new(Class::Breaking, key, "removed".into());
        change.kind = item.kind();
        changes.push(change);
    }
    for (key, item) in new.iter().filter(|(k, _)| !old.contains_key(*k)) {
        let mut change = Change::new(Class::Additive, key, "added".into());
        change.kind = item.kind();
        changes.push(change);
    }
    changes.extend(on_the_wire);
    changes
}

/// The last segment of a path (`AccountUsage` of `models::AccountUsage`).
fn bare(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

/// `text` with every whole-word `from` replaced by `to`.
fn substitute(text: &str, from: &str, to: &str) -> String {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + from.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(word) || after.is_some_and(word) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

/// What the methods and impls of a type put on the wire, by method, its
/// own name written `Self`: equal for a type renamed and nothing else.
fn impls_wire(items: &BTreeMap<String, Item>, owner: &str) -> BTreeMap<String, String> {
    items
        .iter()
        .filter_map(|(key, item)| match item {
            Item::Function { owner: Some(o), body, shape, .. } if o == owner => {
                let method = key.strip_prefix(owner).unwrap_or(key);
                let text = format!("{shape} {body:?}");
                Some((method.to_owned(), substitute(&text, bare(owner), "Self")))
            }
            _ => None,
        })
        .collect()
}

/// Finds the renames: a type removed and a type added with the same shape
/// (fields or variants, and what their impls send), where something that
/// stays (a field, a setter, a signature) had the one and now has the
/// other: the same place of the spec gives another name to the same type.
/// Shape alone would pair look-alikes that have nothing to do with each
/// other. Each rename becomes one breaking line, with the changes it alone
/// explains. Returns the renames (old path, new path).
fn fold_renames(changes: &mut Vec<Change>, old: &BTreeMap<String, Item>, new: &BTreeMap<String, Item>) -> Vec<(String, String)> {
    let gone: Vec<&String> = changes.iter().filter(|c| c.what == "removed" && old.get(&c.item).is_some_and(Item::is_type)).map(|c| &c.item).collect();
    let came: Vec<&String> = changes.iter().filter(|c| c.what == "added" && new.get(&c.item).is_some_and(Item::is_type)).map(|c| &c.item).collect();
    let explains = |texts: &Option<(String, String)>, renames: &[(String, String)]| {
        texts.as_ref().is_some_and(|(before, after)| {
            let renamed = renames.iter().fold(before.clone(), |text, (from, to)| substitute(&substitute(&text, from, to), bare(from), bare(to)));
            renamed == *after
        })
    };
    let mut candidates = Vec::new();
    for removed in &gone {
        for added in &came {
            let (a, b) = (&old[*removed], &new[*added]);
            if a.shape() != b.shape() || impls_wire(old, removed) != impls_wire(new, added) {
                continue;
            }
            let pair = vec![((*removed).clone(), (*added).clone())];
            if changes.iter().any(|c| explains(&c.texts, &pair)) {
                candidates.push(pair.into_iter().next().unwrap_or_default());
            }
        }
    }
    // one partner each, or none
    let count = |f: &dyn Fn(&(String, String)) -> &String, key: &String| candidates.iter().filter(|p| f(p) == key).count();
    let renames: Vec<(String, String)> =
        candidates.iter().filter(|p| count(&|q| &q.0, &p.0) == 1 && count(&|q| &q.1, &p.1) == 1).cloned().collect();
    if renames.is_empty() {
        return renames;
    }
    // the changes the renames alone explain, by the rename they name
    let mut consequences: BTreeMap<String, Vec<String>> = BTreeMap::new();
    changes.retain(|c| {
        if c.class != Class::Breaking || !explains(&c.texts, &renames) {
            return true;
        }
        let field = c.what.strip_prefix("field `").and_then(|rest| rest.split('`').next());
        let place = match field {
            Some(field) => format!("`{}` (field `{field}`)", c.item),
            None => format!("`{}`", c.item),
        };
        let before = c.texts.as_ref().map(|t| t.0.as_str()).unwrap_or_default();
        for (from, _) in &renames {
            if substitute(before, bare(from), "\u{0}") != before {
                consequences.entry(from.clone()).or_default().push(place.clone());
            }
        }
        false
    });
    changes.retain(|c| !renames.iter().any(|(from, to)| (c.item == *from && c.what == "removed") || (c.item == *to && c.what == "added")));
    for (from, to) in &renames {
        let mut change = Change::new(Class::Breaking, from, format!("renamed to `{to}`, a breaking rename"));
        change.kind = old[from].kind();
        change.also = consequences.remove(from).unwrap_or_default();
        changes.push(change);
    }
    renames
}

/// The methods and trait impls of a type added or removed (or renamed)
/// are folded into its line.
fn fold_impls(changes: &mut Vec<Change>, old: &BTreeMap<String, Item>, new: &BTreeMap<String, Item>, renames: &[(String, String)]) {
    let owner = |items: &BTreeMap<String, Item>, key: &str| match items.get(key) {
        Some(Item::Function { owner: Some(owner), .. }) => Some(owner.clone()),
        _ => None,
    };
    // the line each owner's methods fold into
    let mut lines: BTreeMap<(bool, String), String> = BTreeMap::new();
    for c in changes.iter() {
        if c.what == "removed" && old.get(&c.item).is_some_and(Item::is_type) {
            lines.insert((false, c.item.clone()), c.item.clone());
        }
        if c.what == "added" && new.get(&c.item).is_some_and(Item::is_type) {
            lines.insert((true, c.item.clone()), c.item.clone());
        }
    }
    for (from, to) in renames {
        lines.insert((false, from.clone()), from.clone());
        lines.insert((true, to.clone()), from.clone());
    }
    let mut folded = std::collections::BTreeSet::new();
    changes.retain(|c| {
        let line = match c.what.as_str() {
            "removed" => owner(old, &c.item).and_then(|o| lines.get(&(false, o))),
            "added" => owner(new, &c.item).and_then(|o| lines.get(&(true, o))),
            _ => None,
        };
        match line {
            Some(line) => {
                folded.insert(line.clone());
                false
            }
            None => true,
        }
    });
    for c in changes.iter_mut() {
        if c.kind.is_some() && folded.contains(&c.item) {
            c.with_impls = true;
        }
    }
}

/// A field's setter (`with_reference`) changed with its field is folded
/// into the field's line.
fn fold_setters(changes: &mut Vec<Change>, old: &BTreeMap<String, Item>, new: &BTreeMap<String, Item>) {
    let mut folded: Vec<(usize, String)> = Vec::new();
    for (at, c) in changes.iter().enumerate() {
        let owner = match new.get(&c.item).or_else(|| old.get(&c.item)) {
            Some(Item::Function { owner: Some(owner), .. }) => owner,
            _ => continue,
        };
        let Some(field) = c.item.rsplit("::").next().and_then(|m| m.strip_prefix("with_")) else { continue };
        let mention = format!("field `{field}`");
        let target = changes.iter().position(|d| {
            d.item == *owner && d.class == c.class && (d.what.starts_with(&mention) || d.what.starts_with(&format!("documentation of {mention}")))
        });
        if let Some(target) = target {
            folded.push((at, changes[target].item.clone() + "\u{0}" + &changes[target].what));
        }
    }
    for (at, target) in folded.iter().rev() {
        let setter = changes.remove(*at);
        if let Some(line) = changes.iter_mut().find(|d| d.item.clone() + "\u{0}" + &d.what == *target) {
            line.also.push(format!("`{}`", setter.item));
        }
    }
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

/// A line of the report, without its spec location: `` `models::X`
/// (enum): removed, with its impls (also `y`)``, marked `(wire)` when it
/// changes the wire only.
fn line(change: &Change) -> String {
    let mark = if change.wire { "(wire) " } else { "" };
    let kind = change.kind.map(|k| format!(" ({k})")).unwrap_or_default();
    let impls = if change.with_impls { ", with its impls" } else { "" };
    let also = if change.also.is_empty() { String::new() } else { format!(" (also {})", change.also.join(", ")) };
    format!("{mark}`{}`{kind}: {}{impls}{also}", change.item, change.what)
}

/// The report in Markdown, to paste in a pull request: a summary first
/// (the counts, the next version, each breaking change on one line), then
/// every change by class with its place in the spec. A change on the wire
/// only is marked `(wire)`: it compiles, so no compiler error will point
/// at it.
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
    if breaking > 0 {
        out.push_str("\nBreaking, in short:\n");
        for line in in_short(changes) {
            out.push_str(&format!("- {line}\n"));
        }
    }
    for (class, title) in [(Class::Breaking, "Breaking"), (Class::Additive, "Additive"), (Class::Docs, "Docs only")] {
        let listed: Vec<&Change> = changes.iter().filter(|c| c.class == class).collect();
        if listed.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {title}\n"));
        // many documentation changes fold away in the pull request
        let folded = class == Class::Docs && listed.len() > DOCS_SHOWN;
        if folded {
            out.push_str(&format!("<details><summary>{} documentation changes</summary>\n\n", listed.len()));
        }
        for change in listed {
            let place = change.location.as_ref().map(|l| format!(" (spec: `{l}`)")).unwrap_or_default();
            out.push_str(&format!("- {}{place}\n", line(change)));
        }
        if folded {
            out.push_str("\n</details>\n");
        }
    }
    out
}

/// Documentation lines shown as they are; more are folded in a
/// `<details>` block.
const DOCS_SHOWN: usize = 10;

/// The breaking changes, one line per item: the fields or variants added
/// or removed named together (`fields `a`, `b` removed`), the other
/// changes after them.
fn in_short(changes: &[Change]) -> Vec<String> {
    let breaking: Vec<&Change> = changes.iter().filter(|c| c.class == Class::Breaking).collect();
    let mut by_item: Vec<(String, Vec<Change>)> = Vec::new();
    for change in &breaking {
        let mark = if change.wire { "(wire) " } else { "" };
        let kind = change.kind.map(|k| format!(" ({k})")).unwrap_or_default();
        // a constructor's arguments go with the fields of its struct
        let mut change = (*change).clone();
        if let Some(owner) = change.item.strip_suffix("::new").filter(|o| breaking.iter().any(|c| c.item == *o && !c.wire)) {
            change.what = format!("`new`: {}", change.what);
            change.item = owner.to_owned();
        }
        let head = if change.kind.is_some() || change.wire { format!("{mark}`{}`{kind}", change.item) } else { format!("`{}`", change.item) };
        match by_item.iter_mut().find(|(h, _)| *h == head) {
            Some((_, list)) => list.push(change),
            None => by_item.push((head, vec![change])),
        }
    }
    by_item
        .into_iter()
        .map(|(head, list)| {
            let mut parts: Vec<String> = Vec::new();
            let mut named: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
            for change in &list {
                let grouped = ["field", "variant"].iter().find_map(|what| {
                    let rest = change.what.strip_prefix(what)?.strip_prefix(" `")?;
                    let (name, tail) = rest.split_once('`')?;
                    matches!(tail, " removed" | " added").then_some((*what, tail.trim_start(), name))
                });
                match grouped {
                    Some((what, tail, name)) => named.entry((what, tail)).or_default().push(name),
                    None => parts.push(change.what.clone()),
                }
            }
            let mut grouped: Vec<String> = named
                .into_iter()
                .map(|((what, tail), names)| {
                    let list = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
                    let plural = if names.len() > 1 { "s" } else { "" };
                    format!("{what}{plural} {list} {tail}")
                })
                .collect();
            grouped.extend(parts);
            format!("{head}: {}", grouped.join("; "))
        })
        .collect()
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
            serde_json::json!({
                "class": class, "wire": c.wire, "item": c.item, "kind": c.kind, "change": c.what,
                "with_impls": c.with_impls, "also": c.also, "location": c.location,
            })
        })
        .collect();
    serde_json::json!({"current": current, "next": next_version(current, changes), "changes": entries}).to_string()
}

/// Where each generated item comes from in a spec, as JSON pointers: an
/// operation's client method, builder, response enum and mock by the
/// operation (`#/paths/~1users~1{id_user}~1transfers/post`), a builder's
/// setter by its parameter; every model by the place its schema is
/// written (`#/components/schemas/Transfer`, or the property, parameter or
/// body of an inline schema), a field and its setter by the property.
/// Empty when the spec does not lower (a split spec's root alone).
pub fn spec_locations(spec_text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(api) = codegen::api(spec_text) else { return out };
    for op in &api.operations {
        let pointer = format!("#/paths/{}/{}", escape(&op.path), op.http_method.to_lowercase());
        let method = op.method_name.trim_start_matches("r#");
        for key in [
            format!("Client::{method}"),
            format!("mock::MockServer::{method}"),
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
    let document = codegen::load::load(spec_text).map(|(_, document, _)| document).unwrap_or_default();
    // an optional parameter's setter, by the parameter itself
    for op in &api.operations {
        let places = parameter_places(&document, &op.path, &op.http_method.to_lowercase());
        for param in &op.params {
            if let Some(place) = places.get(&(param.wire.as_str(), param.location.word())) {
                out.insert(format!("{}::{}", op.type_name, param.rust.trim_start_matches("r#")), place.clone());
            }
        }
    }
    for model in &api.models {
        let pointer = &model.pointer;
        // a field, and its setter, by its property
        // the struct of its required fields (`<Model>Required`) by the
        // same schema, each field by its property
        if let codegen::ir::ModelKind::Struct(s) = &model.kind {
            for field in &s.fields {
                let property = property_place(&document, pointer, &field.wire);
                let rust = field.rust.trim_start_matches("r#");
                out.insert(format!("models::{}.{rust}", model.name), property.clone());
                if let (Some(required), true) = (&s.required_type, field.required) {
                    out.insert(format!("models::{required}.{rust}"), property.clone());
                }
                out.insert(format!("{}::with_{rust}", model.name), property);
            }
            if let Some(required) = &s.required_type {
                out.insert(format!("models::{required}"), pointer.clone());
                out.entry(required.clone()).or_insert_with(|| pointer.clone());
            }
        }
        out.insert(format!("models::{}", model.name), pointer.clone());
        out.entry(model.name.clone()).or_insert_with(|| pointer.clone());
    }
    out
}

/// Where a property of the schema at `pointer` is written: under its
/// `properties`, or those of a member of its `allOf` (written there or
/// `$ref`'d); else the schema itself.
fn property_place(document: &serde_json::Value, pointer: &str, property: &str) -> String {
    let local = |p: &str| p.strip_prefix('#').unwrap_or(p).to_owned();
    let at = |p: &str| document.pointer(&local(p));
    let mut schemas = vec![pointer.to_owned()];
    if let Some(members) = at(&format!("{pointer}/allOf")).and_then(|m| m.as_array()) {
        for (i, member) in members.iter().enumerate() {
            match member.get("$ref").and_then(|r| r.as_str()) {
                Some(reference) if reference.starts_with("#/") => schemas.push(reference.to_owned()),
                _ => schemas.push(format!("{pointer}/allOf/{i}")),
            }
        }
    }
    schemas
        .iter()
        .map(|schema| format!("{schema}/properties/{}", escape(property)))
        .find(|place| at(place).is_some())
        .unwrap_or_else(|| pointer.to_owned())
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


/// Fills each change's spec location, from the new spec, or the old one for
/// what it removed: the property of a field's change, else the item, else
/// the type a method belongs to. Then the lines that say the same thing at
/// the same place (a client method and its builder's constructor, an
/// operation's method, mock and builder added together, one description
/// read in several docs) become one.
pub fn locate(changes: &mut Vec<Change>, old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) {
    for change in changes.iter_mut() {
        let field = ["field `", "documentation of field `"]
            .iter()
            .find_map(|prefix| change.what.strip_prefix(prefix))
            .and_then(|rest| rest.split('`').next());
        let path = change.item.split(" as ").next().unwrap_or(&change.item).to_owned();
        let segments: Vec<&str> = path.split("::").collect();
        let mut keys: Vec<String> = Vec::new();
        if let Some(field) = field {
            keys.push(format!("{}.{}", change.item, field.trim_start_matches("r#")));
        }
        keys.push(change.item.clone());
        if segments.len() >= 2 && !change.item.contains(" as ") {
            // `CreateTransferRequest::with_reference`, `ListItems::limit`
            keys.push(segments[segments.len() - 2..].join("::"));
        }
        keys.push(path.clone());
        if segments.len() >= 2 && !change.item.contains(" as ") {
            // the type of a method
            keys.push(segments[..segments.len() - 1].join("::"));
            keys.push(segments[segments.len() - 2].to_owned());
        }
        keys.push(segments[segments.len() - 1].to_owned());
        // the first key either spec knows: a removed field's property is
        // in the old spec, its struct in both
        change.location = keys.iter().find_map(|key| new.get(key).or_else(|| old.get(key))).cloned();
    }
    fold_wire(changes);
    merge(changes);
}

/// A change on the wire only that comes with a change the compiler shows
/// is folded into it: the wire names no longer sent of properties whose
/// fields are removed, or a change at the same place of the spec as a
/// compile-breaking one (a required argument removed, and the header it
/// sent).
fn fold_wire(changes: &mut Vec<Change>) {
    // the wire names of the removed fields, by struct
    let mut removed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in changes.iter() {
        if c.what.starts_with("field `") && c.what.ends_with("` removed") {
            if let Some(name) = c.location.as_deref().and_then(|l| l.rsplit_once("/properties/")).map(|(_, name)| name) {
                removed.entry(c.item.clone()).or_default().push(format!("\"{}\"", name.replace("~1", "/").replace("~0", "~")));
            }
        }
    }
    let places: Vec<String> = changes.iter().filter(|c| c.class == Class::Breaking && !c.wire).filter_map(|c| c.location.clone()).collect();
    let mut folded: Vec<(String, String)> = Vec::new();
    changes.retain(|c| {
        if !c.wire {
            return true;
        }
        let owner = c.item.split(" as ").next().unwrap_or(&c.item);
        let gone = c.what.split_once(": ").map(|(_, texts)| texts.trim_end_matches(" no longer sent")).unwrap_or_default();
        let texts: Vec<&str> = gone.split(", ").collect();
        if removed.get(owner).is_some_and(|names| texts.iter().all(|t| names.iter().any(|n| n == t))) {
            return false;
        }
        match &c.location {
            Some(place) if places.contains(place) => {
                let what = c.what.strip_prefix("same signature, other behaviour on the wire: ").unwrap_or(&c.what);
                folded.push((place.clone(), format!("(wire) `{}`: {what}", c.item)));
                false
            }
            _ => true,
        }
    });
    for (place, item) in folded {
        if let Some(line) = changes.iter_mut().find(|c| c.class == Class::Breaking && !c.wire && c.location.as_ref() == Some(&place)) {
            line.also.push(item);
        }
    }
}

/// The lines with the same class, text and place become the first of them,
/// the others named in its `also`.
fn merge(changes: &mut Vec<Change>) {
    let mut kept: Vec<Change> = Vec::new();
    for change in changes.drain(..) {
        let same = change.location.is_some()
            .then(|| kept.iter_mut().find(|k| k.class == change.class && k.wire == change.wire && k.what == change.what && k.location == change.location))
            .flatten();
        match same {
            Some(line) => {
                let impls = if change.with_impls { ", with its impls" } else { "" };
                let kind = change.kind.map(|k| format!(" ({k}{impls})")).unwrap_or_default();
                line.also.push(format!("`{}`{kind}", change.item));
                line.also.extend(change.also);
            }
            None => kept.push(change),
        }
    }
    *changes = kept;
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
    // a reader that stops early (`| head`) is no error
    let _ = writeln!(std::io::stdout(), "{}", report.text);
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
    let (old, new, old_places) = match (given.get("--old"), given.get("--new")) {
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
            let old = committed(&root, &base, target.out)?;
            // where what it removed was, in the spec as it was at REV
            let old_places = git(&["show", &format!("{base}:{spec}")]).map(|text| spec_locations(&text)).unwrap_or_default();
            (old, generate_path(&root.join(&spec))?, old_places)
        }
        _ => return Err("give both `--old` and `--new`, or neither (then `--base`)".into()),
    };
    let places = spec_places(&root.join(spec));
    finish(compare(&old, &new)?, (old_places, places), &current_version(&root), given)
}

/// The generated files under `out` as committed at `base`, by path
/// relative to `out`: what `cargo xtask api-diff` compares with.
pub fn committed(root: &Path, base: &str, out: &str) -> Result<BTreeMap<String, String>, String> {
    let mut old = BTreeMap::new();
    for path in git(root, &["ls-tree", "-r", "--name-only", base, out])?.lines() {
        let relative = path.strip_prefix(out).unwrap_or(path).trim_start_matches('/');
        old.insert(relative.to_owned(), git(root, &["show", &format!("{base}:{path}")])?);
    }
    if old.is_empty() {
        return Err(format!("no generated crate at `{base}:{out}`"));
    }
    Ok(old)
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
    let mut compared = 0;
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
                    compared += 1;
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
    println!("api-diff --history: {} versions of {spec}, {compared} pairs compared", revisions.len());
    // a check that compared nothing proved nothing (a shallow clone)
    if compared == 0 {
        failures.push(format!("no pair of versions of {spec} was compared ({} in git log): a shallow clone? run `git fetch --unshallow`", revisions.len()));
    }
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
        assert!(plain.text.starts_with("**API changes**: 1 breaking") && plain.text.contains("\n### Breaking\n"), "{}", plain.text);
        // the client method and its builder's constructor: one change, one line
        assert!(plain.text.contains("- `Client::list_transactions`: argument `id_account: i64` added (also `operations::transactions::ListTransactions::new`) (spec: "), "{}", plain.text);
        assert!(!plain.fails, "no gate was asked for");
        assert!(report(&given(breaking, &[("--fail-on", "breaking")])).unwrap().fails);
        assert!(!report(&given("optional_query_param_added", &[("--fail-on", "breaking")])).unwrap().fails, "additive passes");

        let json: serde_json::Value = serde_json::from_str(&report(&given(breaking, &[("--format", "json")])).unwrap().text).unwrap();
        let version = current_version(&crate::root());
        assert_eq!(json["current"], version.as_str());
        assert_eq!(json["next"], next_version(&version, &[Change::new(Class::Breaking, "", String::new())]));
        let first = &json["changes"][0];
        assert_eq!((first["class"].as_str(), first["wire"].as_bool()), (Some("breaking"), Some(false)), "{json}");
        assert_eq!(first["item"], "Client::list_transactions", "{json}");
        assert_eq!(first["change"], "argument `id_account: i64` added", "{json}");
        assert_eq!(first["also"], serde_json::json!(["`operations::transactions::ListTransactions::new`"]), "{json}");
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
        assert_eq!(compared("/// One.\npub enum E { A }", "/// Two.\npub enum E { A }"), [(Class::Docs, "documentation: \"One.\" becomes \"Two.\"".to_owned())]);
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
        assert!(root.contains_key("URL"), "the crate root's own items, as a user writes them: {:?}", root.keys());
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

    /// A type added or removed is one line, its methods and trait impls
    /// folded into it; a field's setter goes with the field.
    #[test]
    fn impls_and_setters_fold_into_their_lines() {
        let old = "pub struct A { pub x: i64 } impl A { pub fn get(&self) -> i64 { self.x } } impl ::std::fmt::Display for A { fn fmt(&self) {} }";
        let removed = compared(old, "");
        assert_eq!(removed, [(Class::Breaking, "removed".to_owned())], "{removed:?}");
        let changes = compare(&BTreeMap::from([("models/a.rs".to_owned(), old.to_owned())]), &BTreeMap::new()).unwrap();
        assert_eq!(markdown(&changes, "0.1.0").lines().last(), Some("- `models::A` (struct): removed, with its impls"));
        let with_setter = |field: &str| {
            format!("#[non_exhaustive] pub struct A {{ pub {field}: i64 }} impl A {{ pub fn with_{field}(mut self, value: i64) -> Self {{ self }} }}")
        };
        let files = |text: String| BTreeMap::from([("models/a.rs".to_owned(), text)]);
        let added = compare(&files("#[non_exhaustive] pub struct A {}".into()), &files(with_setter("y"))).unwrap();
        assert_eq!(added.len(), 1, "{added:#?}");
        assert_eq!((added[0].what.as_str(), added[0].also.as_slice()), ("field `y` added", ["`models::A::with_y`".to_owned()].as_slice()));
    }

    /// A type removed and one of the same shape added are a rename only
    /// where something that stays went from the one to the other (the same
    /// property's type); two look-alikes elsewhere are a removal and an
    /// addition.
    #[test]
    fn a_rename_is_the_same_shape_at_the_same_place() {
        let spec = |field: &str, other: &str| {
            format!("pub struct Holder {{ pub usage: Option<super::{field}> }}\n pub enum {field} {{ A, B }}\n pub enum {other} {{ X }}")
        };
        let files = |text: String| BTreeMap::from([("models/mod.rs".to_owned(), text)]);
        let renamed = compare(&files(spec("HolderUsage", "Lonely")), &files(spec("AccountUsage", "Lonely"))).unwrap();
        let lines: Vec<String> = renamed.iter().map(line).collect();
        assert_eq!(lines, ["`models::HolderUsage` (enum): renamed to `models::AccountUsage`, a breaking rename (also `models::Holder` (field `usage`))"], "{renamed:#?}");
        // the same shape, nothing that held the one holds the other
        let unrelated = compare(&files(spec("HolderUsage", "Lonely")), &files(spec("HolderUsage", "Other") + "\n pub enum Gone { A, B }")).unwrap();
        assert!(unrelated.iter().all(|c| !c.what.contains("renamed")), "{unrelated:#?}");
        // another shape at the same place: a type change, a removal, an addition
        let reshaped = compare(&files(spec("HolderUsage", "Lonely")), &files(spec("AccountUsage", "Lonely").replace("{ A, B }", "{ A, C }"))).unwrap();
        assert!(reshaped.iter().all(|c| !c.what.contains("renamed")) && reshaped.len() == 3, "{reshaped:#?}");
    }

    /// Paths as a user of the crate writes them, from the file they are in.
    #[test]
    fn paths_are_written_from_the_crate_root() {
        assert_eq!(user_paths("Option<super::AccountUsage>", "models::account"), "Option<models::AccountUsage>");
        assert_eq!(user_paths("impl Into<root::models::UserId>", "operations::accounts"), "impl Into<models::UserId>");
        assert_eq!(user_paths("::std::vec::Vec<::std::string::String>", "models::a"), "Vec<String>");
        assert_eq!(user_paths("::client_runtime::Date", "models::a"), "client_runtime::Date");
        assert_eq!(user_paths("super::super::Client", "mock::accounts"), "Client");
        assert_eq!(user_paths("my_super::X", "models::a"), "my_super::X", "only at the start of a path");
    }

    /// A documentation change says what text went and what came.
    #[test]
    fn docs_changes_quote_the_text() {
        assert_eq!(docs_change("Old.\nKept.", "Kept."), "text removed: \"Old.\"");
        assert_eq!(docs_change("Kept.", "Kept.\nNew."), "text added: \"New.\"");
        assert_eq!(docs_change("Old.", "New."), "\"Old.\" becomes \"New.\"");
        assert!(docs_change("", &"x".repeat(300)).ends_with("…\""));
    }

    #[test]
    fn the_next_version_follows_cargo() {
        let change = |class| vec![Change::new(class, "x", "y".into())];
        assert_eq!(next_version("0.1.0", &change(Class::Breaking)), "0.2.0");
        assert_eq!(next_version("0.1.3", &change(Class::Additive)), "0.1.4");
        assert_eq!(next_version("1.2.3", &change(Class::Breaking)), "2.0.0");
        assert_eq!(next_version("1.2.3", &change(Class::Additive)), "1.3.0");
        assert_eq!(next_version("1.2.3", &change(Class::Docs)), "1.2.4");
        assert_eq!(next_version("0.1.0", &[]), "0.1.0");
    }
}
