//! The generator's modules depend only downward: no circle of imports in
//! `codegen/src`, nor in the runtime the generated crates call
//! (`generated-client/runtime/src`). Each file is parsed with `syn`; its
//! `use` items, and the paths of its code that start at `crate`, `super`,
//! `self` or a child module, are edges to the file that defines the module
//! they name (a name the crate root re-exports, to the module it comes
//! from). Test code and `quote!` bodies (generated code) are not imports.

use std::collections::BTreeMap;
use std::path::Path;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

/// Module path (`crate::emit::models`) and text of each file under `src`.
fn sources(src: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("reads src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).expect("under src").with_extension("");
            let mut segments: Vec<String> = relative.iter().map(|s| s.to_string_lossy().into_owned()).collect();
            if matches!(segments.last().map(String::as_str), Some("mod" | "lib")) {
                segments.pop();
            }
            let module = std::iter::once("crate".to_string()).chain(segments).collect::<Vec<_>>().join("::");
            found.insert(module, std::fs::read_to_string(&path).expect("reads a source file"));
        }
    }
    found
}

/// Where one file's paths lead: the modules it names, each with the paths
/// that name it.
struct Edges<'a> {
    modules: &'a BTreeMap<String, String>,
    /// What the crate root re-exports: each name with the module that
    /// defines it (`pub use error::Error;`: `crate::Error` leads there), or
    /// none for a dependency's (`pub use reqwest::Method;`: no edge).
    reexports: &'a BTreeMap<String, Option<String>>,
    to: BTreeMap<String, Vec<String>>,
}

impl Edges<'_> {
    /// A path seen in module `at` (a file's module, or an inline module in
    /// it): the deepest module it names, if it names one of the crate's.
    fn add(&mut self, at: &[String], path: &[String]) {
        let mut resolved: Vec<String> = match path.first().map(String::as_str) {
            Some("crate") if path.len() > 1 && self.reexports.contains_key(&path[1]) => match &self.reexports[&path[1]] {
                Some(module) => vec![module.clone()],
                None => return,
            },
            Some("crate") => vec!["crate".into()],
            Some("self" | "super") => at.to_vec(),
            Some(child) if self.modules.contains_key(&format!("{}::{child}", at.join("::"))) => at.to_vec(),
            _ => return, // a dependency, std, or a local name
        };
        let mut rest = path.iter().skip_while(|s| *s == "crate" || *s == "self");
        for segment in rest.by_ref() {
            match segment.as_str() {
                "super" => {
                    resolved.pop();
                }
                _ if self.modules.contains_key(&format!("{}::{segment}", resolved.join("::"))) => resolved.push(segment.clone()),
                _ => break,
            }
        }
        // an inline module is part of its file
        while !self.modules.contains_key(&resolved.join("::")) {
            resolved.pop();
        }
        let target = resolved.join("::");
        let named = self.to.entry(target).or_default();
        if !named.contains(&path.join("::")) {
            named.push(path.join("::"));
        }
    }

    fn items(&mut self, at: &[String], items: &[syn::Item]) {
        for item in items {
            if is_test(item) {
                continue;
            }
            match item {
                syn::Item::Use(u) => self.use_tree(at, &mut Vec::new(), &u.tree),
                syn::Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        let mut inside = at.to_vec();
                        inside.push(m.ident.to_string());
                        self.items(&inside, inner);
                    }
                }
                other => self.tokens(at, other.to_token_stream()),
            }
        }
    }

    fn use_tree(&mut self, at: &[String], prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(at, prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) if n.ident == "self" => self.add(at, prefix),
            syn::UseTree::Name(n) => self.add(at, &[prefix.clone(), vec![n.ident.to_string()]].concat()),
            syn::UseTree::Rename(r) => self.add(at, &[prefix.clone(), vec![r.ident.to_string()]].concat()),
            syn::UseTree::Glob(_) => self.add(at, prefix),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.use_tree(at, prefix, t)),
        }
    }

    /// Paths `a::b::c` in code, wherever they stand (types, expressions,
    /// patterns); a path after `::` or `.` is not the start of one.
    fn tokens(&mut self, at: &[String], tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Ident(name) if is_quote(name) && matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!') => {
                    i += 3; // the macro, `!` and its body: generated code
                    continue;
                }
                // a `use` in a block, as a `use` item
                TokenTree::Ident(keyword) if keyword == "use" => {
                    let end = trees[i..].iter().position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';')).map_or(trees.len(), |k| i + k + 1);
                    if let Ok(item) = syn::parse2::<syn::ItemUse>(trees[i..end].iter().cloned().collect()) {
                        self.use_tree(at, &mut Vec::new(), &item.tree);
                    }
                    i = end;
                    continue;
                }
                TokenTree::Ident(first) if !after_path_punct(&trees, i) => {
                    let mut path = vec![first.to_string()];
                    let mut j = i + 1;
                    while is_colons(&trees, j) {
                        match trees.get(j + 2) {
                            Some(TokenTree::Ident(next)) => path.push(next.to_string()),
                            _ => break,
                        }
                        j += 3;
                    }
                    if path.len() > 1 {
                        self.add(at, &path);
                    }
                    i = j;
                    continue;
                }
                TokenTree::Group(g) => self.tokens(at, g.stream()),
                _ => {}
            }
            i += 1;
        }
    }
}

fn is_quote(name: &proc_macro2::Ident) -> bool {
    name == "quote" || name == "quote_spanned" || name == "parse_quote"
}

/// `::` at `j`.
fn is_colons(trees: &[TokenTree], j: usize) -> bool {
    matches!((trees.get(j), trees.get(j + 1)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
}

/// The tokens before `i` are `::` or `.`: `i` continues a path or a field
/// access (a lone `:`, as in `field: crate::a::B`, starts a new path).
fn after_path_punct(trees: &[TokenTree], i: usize) -> bool {
    let punct = |k: Option<usize>| match k.map(|k| &trees[k]) {
        Some(TokenTree::Punct(p)) => Some(p.clone()),
        _ => None,
    };
    match punct(i.checked_sub(1)) {
        Some(p) if p.as_char() == '.' => true,
        Some(p) if p.as_char() == ':' => {
            punct(i.checked_sub(2)).is_some_and(|before| before.as_char() == ':' && before.spacing() == proc_macro2::Spacing::Joint)
        }
        _ => false,
    }
}

/// `#[cfg(test)]` items: test code, not part of the generator's layers.
fn is_test(item: &syn::Item) -> bool {
    let attrs = match item {
        syn::Item::Mod(m) => &m.attrs,
        syn::Item::Fn(f) => &f.attrs,
        syn::Item::Use(u) => &u.attrs,
        syn::Item::Impl(i) => &i.attrs,
        _ => return false,
    };
    attrs.iter().any(|a| a.path().is_ident("cfg") && a.to_token_stream().to_string().replace(' ', "") == "#[cfg(test)]")
}

/// The names the crate root re-exports, each with the module it comes from
/// (`pub use error::{Error, ItemError};`: `Error` -> `crate::error`), or
/// none when it comes from a dependency (`pub use reqwest::Method;`).
fn root_reexports(modules: &BTreeMap<String, String>) -> BTreeMap<String, Option<String>> {
    /// `module`: where the path walked so far leads; `None` before its
    /// first segment, `Some(None)` inside a dependency.
    fn walk(tree: &syn::UseTree, module: Option<Option<&str>>, out: &mut BTreeMap<String, Option<String>>, modules: &BTreeMap<String, String>) {
        let leads = |module: Option<Option<&str>>| module.flatten().map(str::to_string);
        match tree {
            syn::UseTree::Path(p) => {
                let child = format!("crate::{}", p.ident);
                match module {
                    None if modules.contains_key(&child) => walk(&p.tree, Some(Some(&child)), out, modules),
                    None => walk(&p.tree, Some(None), out, modules),
                    Some(m) => walk(&p.tree, Some(m), out, modules),
                }
            }
            // `pub use reqwest;` names the dependency itself
            syn::UseTree::Name(n) => drop(out.insert(n.ident.to_string(), leads(module))),
            syn::UseTree::Rename(r) => drop(out.insert(r.rename.to_string(), leads(module))),
            syn::UseTree::Glob(_) => {}
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, module, out, modules)),
        }
    }
    let mut out = BTreeMap::new();
    let Some(root) = modules.get("crate") else { return out };
    let file = syn::parse_file(root).unwrap_or_else(|e| panic!("crate: {e}"));
    for item in &file.items {
        if let syn::Item::Use(u) = item {
            if matches!(u.vis, syn::Visibility::Public(_)) {
                walk(&u.tree, None, &mut out, modules);
            }
        }
    }
    out
}

/// Every file's edges: module -> (module it names -> the paths naming it).
fn graph(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let reexports = root_reexports(modules);
    let mut graph = BTreeMap::new();
    for (module, text) in modules {
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{module}: {e}"));
        let mut edges = Edges { modules, reexports: &reexports, to: BTreeMap::new() };
        let at: Vec<String> = module.split("::").map(String::from).collect();
        edges.items(&at, &file.items);
        edges.to.remove(module);
        graph.insert(module.clone(), edges.to);
    }
    graph
}

/// The circles of the graph: its strongly connected components of more than
/// one module (Tarjan's algorithm).
fn circles(graph: &BTreeMap<String, BTreeMap<String, Vec<String>>>) -> Vec<Vec<String>> {
    struct Search<'a> {
        graph: &'a BTreeMap<String, BTreeMap<String, Vec<String>>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Search<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            for w in self.graph[v].keys() {
                if !self.index.contains_key(w.as_str()) {
                    self.visit(w);
                    self.low.insert(v, self.low[v].min(self.low[w.as_str()]));
                } else if self.stack.contains(&w.as_str()) {
                    self.low.insert(v, self.low[v].min(self.index[w.as_str()]));
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    component.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut search = Search { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for v in graph.keys() {
        if !search.index.contains_key(v.as_str()) {
            search.visit(v);
        }
    }
    search.found
}

/// The report of the circles among `src`'s modules: empty when there is none.
fn circles_in(src: &Path) -> String {
    let graph = graph(&sources(src));
    let mut report = String::new();
    for circle in circles(&graph) {
        report.push_str("a circle:\n");
        for from in &circle {
            for (to, paths) in graph[from].iter().filter(|(to, _)| circle.contains(to)) {
                report.push_str(&format!("  {from} -> {to} ({})\n", paths.join(", ")));
            }
        }
    }
    report
}

#[test]
fn no_circle_of_imports() {
    let report = circles_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(report.is_empty(), "modules of codegen/src that import each other:\n{report}");
}

/// The runtime the generated crates call keeps the same rule.
#[test]
fn no_circle_of_imports_in_the_runtime() {
    let report = circles_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-client/runtime/src"));
    assert!(report.is_empty(), "modules of generated-client/runtime/src that import each other:\n{report}");
}

/// What makes an edge: a `use` up (`super::*` included), a path in code
/// down to a child module; not test code, nor paths in generated code.
#[test]
fn circles_are_found_through_uses_and_paths() {
    let sources = |files: &[(&str, &str)]| files.iter().map(|(m, t)| (m.to_string(), t.to_string())).collect();
    let found = |files: &[(&str, &str)]| circles(&graph(&sources(files)));
    let circle = vec![vec!["crate::emit".to_string(), "crate::emit::text".to_string()]];
    let child = "fn f() -> text::Code { text::Code::default() }";
    assert_eq!(found(&[("crate", ""), ("crate::emit", child), ("crate::emit::text", "use super::Plan;")]), circle);
    assert_eq!(found(&[("crate", ""), ("crate::emit", child), ("crate::emit::text", "use super::*;")]), circle);
    assert_eq!(found(&[("crate", ""), ("crate::emit", child), ("crate::emit::text", "fn g() { crate::emit::f(); }")]), circle);
    assert_eq!(found(&[("crate", ""), ("crate::emit", child), ("crate::emit::text", "fn g() { use super::{f}; f(); }")]), circle);
    assert_eq!(found(&[("crate", ""), ("crate::emit", child), ("crate::emit::text", "struct S { plan: crate::emit::Plan }")]), circle);
    let apart = [
        ("crate", ""),
        ("crate::emit", child),
        ("crate::emit::text", "#[cfg(test)] mod tests { use crate::emit::f; }\nfn g() { quote!(super::models); }"),
    ];
    assert!(found(&apart).is_empty());
    // a name the root re-exports leads to the module that defines it
    let reexported = [("crate", "pub use error::Error;\npub use reqwest::Method;"), ("crate::error", "fn f() -> crate::webhook::Refusal { todo!() }"), ("crate::webhook", "use crate::{Error, Method};")];
    assert_eq!(found(&reexported), vec![vec!["crate::error".to_string(), "crate::webhook".to_string()]]);
}
