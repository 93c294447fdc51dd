//! The generator's modules depend only downward: no circle of imports in
//! `codegen/src`. Each file is parsed with `syn`; its `use` items, and the
//! paths of its code that start at `crate`, `super`, `self` or a child
//! module, are edges to the file that defines the module they name. Test
//! code and `quote!` bodies (generated code) are not imports.

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
    to: BTreeMap<String, Vec<String>>,
}

impl Edges<'_> {
    /// A path seen in module `at` (a file's module, or an inline module in
    /// it): the deepest module it names, if it names one of the crate's.
    fn add(&mut self, at: &[String], path: &[String]) {
        let mut resolved: Vec<String> = match path.first().map(String::as_str) {
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

/// The token before `i` is `::` or `.`: `i` continues a path or a field access.
fn after_path_punct(trees: &[TokenTree], i: usize) -> bool {
    match i.checked_sub(1).map(|k| &trees[k]) {
        Some(TokenTree::Punct(p)) => p.as_char() == ':' || p.as_char() == '.',
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

/// Every file's edges: module -> (module it names -> the paths naming it).
fn graph(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut graph = BTreeMap::new();
    for (module, text) in modules {
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{module}: {e}"));
        let mut edges = Edges { modules, to: BTreeMap::new() };
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

#[test]
fn no_circle_of_imports() {
    let graph = graph(&sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src")));
    let mut report = String::new();
    for circle in circles(&graph) {
        report.push_str("a circle:\n");
        for from in &circle {
            for (to, paths) in graph[from].iter().filter(|(to, _)| circle.contains(to)) {
                report.push_str(&format!("  {from} -> {to} ({})\n", paths.join(", ")));
            }
        }
    }
    assert!(report.is_empty(), "modules of codegen/src that import each other:\n{report}");
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
    let apart = [
        ("crate", ""),
        ("crate::emit", child),
        ("crate::emit::text", "#[cfg(test)] mod tests { use crate::emit::f; }\nfn g() { quote!(super::models); }"),
    ];
    assert!(found(&apart).is_empty());
}
