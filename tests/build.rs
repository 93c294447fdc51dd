//! Lists every model of the generated Powens and finAPI crates, so the
//! schema-driven tests (`tests/it/models.rs`) can decode a JSON instance
//! into the model a schema names: `$OUT_DIR/models.rs` holds one function
//! per crate, `fn <crate>_model(name) -> Option<Option<Check>>` (`Some(None)`:
//! a model without serde impls, a multipart body), built from the
//! `pub use` lines of the generated `models/mod.rs` (so a new model is
//! covered without a hand edit). A module's first name is its schema's
//! model; a second is the struct of its required fields (`<Model>Required`,
//! no serde: it is never on the wire).
//!
//! It also writes, from the generated code read with `syn`, the bench's
//! mirrors of `Transaction` ([`transaction_mirrors`]) and the re-encoding
//! of every operation's output ([`outputs`]).

use std::fmt::Write;

fn main() {
    let mut out = String::new();
    for krate in ["powens", "finapi"] {
        let path = format!("../generated-client/{krate}/src/generated/models/mod.rs");
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        writeln!(out, "pub fn {krate}_model(name: &str) -> Option<Option<Check>> {{").unwrap();
        writeln!(out, "    Some(match name {{").unwrap();
        let mut modules = std::collections::BTreeSet::new();
        for line in text.lines() {
            let Some(name) = line.strip_prefix("pub use self::").and_then(|rest| rest.strip_suffix(';')) else { continue };
            let (module, name) = name.split_once("::").unwrap();
            if !modules.insert(module) {
                continue;
            }
            // models of multipart bodies only (file parts) have no serde impls
            let file = format!("../generated-client/{krate}/src/generated/models/{module}.rs");
            let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
            if text.contains("Deserialize") || text.contains("pub type ") {
                writeln!(out, "        {name:?} => Some(check::<{krate}::models::{name}>),").unwrap();
            } else {
                writeln!(out, "        {name:?} => None,").unwrap();
            }
        }
        writeln!(out, "        _ => return None,\n    }})\n}}").unwrap();
    }
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("models.rs");
    std::fs::write(dest, out).unwrap();
    transaction_mirrors();
    outputs();
}

/// `$OUT_DIR/outputs.rs`: `impl Reencode for T` (the trait is in
/// `tests/it/conformance.rs`) for every `type Output = T` of an
/// `mock::Operation` impl of the generated Powens and finAPI crates, read with
/// `syn`, so that a call of the conformance list can also serve as the
/// response-example test's call (`wire/examples.rs`) with no second list.
/// An output is re-encoded with serde_json, except the success-status
/// enums (`operations::…Response`, no serde impls), which give `None`.
fn outputs() {
    use quote::ToTokens;
    let mut outputs = std::collections::BTreeSet::new();
    for krate in ["powens", "finapi"] {
        let dir = std::path::PathBuf::from(format!("../generated-client/{krate}/src/generated/mock"));
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files = Vec::new();
        rust_files(&dir, &mut files);
        assert!(!files.is_empty(), "{}: no mock files", dir.display());
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for item in &file.items {
                let syn::Item::Impl(block) = item else { continue };
                let Some((_, trait_path, _)) = &block.trait_ else { continue };
                if trait_path.segments.last().is_none_or(|s| s.ident != "Operation") {
                    continue;
                }
                for item in &block.items {
                    if let syn::ImplItem::Type(output) = item {
                        if output.ident == "Output" {
                            let ty = output.ty.to_token_stream().to_string();
                            outputs.insert(ty.strip_prefix("root ::").map_or(ty.clone(), |rest| format!("{krate} ::{rest}")));
                        }
                    }
                }
            }
        }
    }
    assert!(outputs.len() > 10, "too few operation outputs read: {outputs:?}");
    let mut out = String::new();
    for ty in &outputs {
        let is_status_enum = ty.split(" :: ").nth(1) == Some("operations");
        let body = if is_status_enum { "None" } else { "Some(serde_json::to_string(self).expect(\"an output re-encodes\"))" };
        out.push_str(&format!("impl Reencode for {ty} {{\n    fn reencode(&self) -> Option<String> {{\n        {body}\n    }}\n}}\n"));
    }
    std::fs::write(std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("outputs.rs"), out).unwrap();
}

/// The `.rs` files under `dir`, at any depth.
fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `$OUT_DIR/transaction_mirrors.rs`, the bench's baselines
/// (`examples/runtime_bench.rs`): every field of the generated
/// `powens::models::Transaction`, in order, read with `syn`, in two serde
/// derives: `SameTypesTransaction` with the model's own types, and
/// `MirrorTransaction` with plain ones (an amount as `f64`, a date as text,
/// a model as any JSON value); `same_types` moves a model into the first.
/// Generated, so a spec change to `Transaction` needs no edit of the bench.
fn transaction_mirrors() {
    use quote::ToTokens;
    let path = "../generated-client/powens/src/generated/models/transaction.rs";
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let fields: Vec<(&syn::Ident, &syn::Type)> = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == "Transaction" => Some(s.fields.iter().map(|f| (f.ident.as_ref().unwrap(), &f.ty)).collect()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{path}: no struct Transaction"));
    // the wire name of each field: `object.field("wire", &self.rust)` in its Serialize impl
    let mut wire = std::collections::BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else { continue };
        for f in &block.items {
            let syn::ImplItem::Fn(f) = f else { continue };
            for stmt in &f.block.stmts {
                let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else { continue };
                let (Some(syn::Expr::Lit(name)), Some(syn::Expr::Reference(field))) = (call.args.first(), call.args.get(1)) else { continue };
                let (syn::Lit::Str(name), syn::Expr::Field(field)) = (&name.lit, &*field.expr) else { continue };
                if let syn::Member::Named(rust) = &field.member {
                    wire.insert(rust.to_string(), name.value());
                }
            }
        }
    }
    let own = |ty: &syn::Type| ty.to_token_stream().to_string().replace("super ::", "powens :: models ::");
    let (mut same, mut mirror, mut moves) = (String::new(), String::new(), String::new());
    for (name, ty) in &fields {
        let wire = wire.get(&name.to_string()).unwrap_or_else(|| panic!("{path}: no wire name for `{name}`"));
        let attrs = format!(
            "    #[serde(rename = {wire:?}{})]\n",
            if own(ty).starts_with("Option <") { ", skip_serializing_if = \"Option::is_none\"" } else { "" }
        );
        same.push_str(&format!("{attrs}    {name}: {},\n", own(ty)));
        mirror.push_str(&format!("{attrs}    {name}: {},\n", plain(ty)));
        moves.push_str(&format!("        {name}: t.{name},\n"));
    }
    let out = format!(
        "/// Every field of `powens::models::Transaction` with its own type, derived.\n#[derive(serde::Deserialize, serde::Serialize)]\nstruct SameTypesTransaction {{\n{same}}}\n\n\
         /// Every field of `powens::models::Transaction` with a plain type, derived.\n#[derive(serde::Deserialize, serde::Serialize)]\nstruct MirrorTransaction {{\n{mirror}}}\n\n\
         /// The generated model as its mirror of the same types.\n#[allow(dead_code)]\nfn same_types(t: powens::models::Transaction) -> SameTypesTransaction {{\n    SameTypesTransaction {{\n{moves}    }}\n}}\n\n\
         /// The number of fields mirrored.\nconst MIRRORED_FIELDS: usize = {};\n",
        fields.len()
    );
    std::fs::write(std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("transaction_mirrors.rs"), out).unwrap();
}

/// A type as the plain mirror holds it: what serde_json reads without the
/// runtime (an amount as `f64`, a date or datetime as text, a model as any
/// JSON value); options and lists kept.
fn plain(ty: &syn::Type) -> String {
    use quote::ToTokens;
    let syn::Type::Path(path) = ty else { return "serde_json::Value".into() };
    let last = path.path.segments.last().unwrap();
    let inner = match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    let from_models = path.path.segments.first().is_some_and(|s| s.ident == "super");
    match (last.ident.to_string().as_str(), inner) {
        ("Option", Some(t)) => format!("Option<{}>", plain(t)),
        ("Vec", Some(t)) => format!("Vec<{}>", plain(t)),
        ("Box", Some(t)) => plain(t),
        ("Amount", _) => "f64".into(),
        ("Date" | "SqlDateTime", _) => "String".into(),
        (_, _) if from_models => "serde_json::Value".into(),
        ("String" | "bool" | "i64" | "i32" | "f64" | "f32", _) => ty.to_token_stream().to_string(),
        _ => "serde_json::Value".into(),
    }
}
