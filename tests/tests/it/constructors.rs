//! The README's promise about model constructors, read from the generated
//! code itself (with `syn`, not from the generator's IR): no `new` takes
//! two arguments of the same type (a swap would compile), nor more than
//! three; a model with more takes a `<Model>Required` struct, which a
//! caller builds as a literal, so every value is named and a missing one is
//! a compile error (no `#[non_exhaustive]`, no `Default` to fill the gaps).

use std::path::{Path, PathBuf};
use syn::{Fields, FnArg, ImplItem, Item};

/// What is wrong with the constructors of one model file.
fn problems(source: &str) -> (usize, Vec<String>) {
    let file = syn::parse_file(source).expect("generated code parses");
    let mut out = Vec::new();
    let mut constructors = 0;
    let structs: Vec<&syn::ItemStruct> = file.items.iter().filter_map(|i| if let Item::Struct(s) = i { Some(s) } else { None }).collect();
    for item in &file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        let owner = quote::ToTokens::to_token_stream(&block.self_ty).to_string();
        for f in &block.items {
            let ImplItem::Fn(f) = f else { continue };
            if f.sig.ident != "new" {
                continue;
            }
            constructors += 1;
            let types: Vec<String> = f
                .sig
                .inputs
                .iter()
                .filter_map(|a| if let FnArg::Typed(t) = a { Some(quote::ToTokens::to_token_stream(&t.ty).to_string()) } else { None })
                .collect();
            if types.len() > 3 {
                out.push(format!("{owner}::new takes {} arguments", types.len()));
            }
            for (i, t) in types.iter().enumerate() {
                if types[..i].contains(t) {
                    out.push(format!("{owner}::new takes two arguments of type {t}"));
                }
            }
            // one argument of a struct declared beside the model: the named fields
            if let [only] = types.as_slice() {
                if let Some(s) = structs.iter().find(|s| s.ident == only.as_str()) {
                    let attrs: String = s.attrs.iter().map(|a| quote::ToTokens::to_token_stream(a).to_string()).collect();
                    if attrs.contains("non_exhaustive") || attrs.contains("Default") {
                        out.push(format!("{only} can be built without naming every field"));
                    }
                    if !matches!(s.fields, Fields::Named(_)) {
                        out.push(format!("{only} does not name its fields"));
                    }
                }
            }
        }
    }
    (constructors, out)
}

fn model_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            model_files(&path, out);
        } else if path.parent().is_some_and(|p| p.ends_with("models")) && path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_constructor_takes_arguments_a_caller_can_swap() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for dir in ["generated-client/powens/src/generated", "generated-client/finapi/src/generated", "tests/src/fixtures"] {
        model_files(&root.join(dir), &mut files);
    }
    let (mut constructors, mut structs, mut found) = (0, 0, Vec::new());
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        // every model struct (`#[non_exhaustive]`) has exactly one `new`
        structs += source.matches("#[non_exhaustive]\npub struct ").count();
        let (n, problems) = problems(&source);
        constructors += n;
        found.extend(problems.into_iter().map(|p| format!("{}: {p}", file.strip_prefix(root).unwrap().display())));
    }
    assert!(found.is_empty(), "constructors a caller can misuse:\n{}", found.join("\n"));
    // nothing skipped: the files were found, and each model's `new` was read
    assert!(files.len() > 300, "only {} model files", files.len());
    assert_eq!(constructors, structs, "a model struct's `new` was not read");
}

/// The check sees what it is for: swappable neighbours, too many
/// arguments, a required struct that can be built without naming all.
#[test]
fn the_constructor_check_finds_what_it_looks_for() {
    let bad = r#"
        pub struct Field { pub label: String, pub name: String }
        impl Field { pub fn new(label: String, name: String) -> Self { todo!() } }
        pub struct Big { pub a: i64 }
        impl Big { pub fn new(a: i64, b: bool, c: u8, d: char) -> Self { todo!() } }
        #[derive(Default)]
        pub struct WideRequired { pub a: i64 }
        pub struct Wide { pub a: i64 }
        impl Wide { pub fn new(required: WideRequired) -> Self { todo!() } }
    "#;
    let (n, found) = problems(bad);
    assert_eq!(n, 3);
    assert_eq!(
        found,
        [
            "Field::new takes two arguments of type String",
            "Big::new takes 4 arguments",
            "WideRequired can be built without naming every field",
        ]
    );
    let good = r#"
        pub struct TRequired { pub a: i64, pub b: i64 }
        pub struct T { pub a: i64, pub b: i64 }
        impl T { pub fn new(required: TRequired) -> Self { todo!() } }
        pub struct U { pub a: i64 }
        impl U { pub fn new(a: i64, label: impl Into<String>) -> Self { todo!() } }
    "#;
    assert_eq!(problems(good), (2, vec![]));
}
