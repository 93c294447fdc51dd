//! Token streams to source text: prettyplease per item, a blank line between
//! items and between methods, and the one-line `@generated` header.

use proc_macro2::TokenStream;

/// Renders one output file. Fails (instead of panicking) if the tokens do
/// not parse, which would be a generator bug.
pub fn render(header: &str, tokens: TokenStream) -> Result<String, String> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    let mut out = String::new();
    out.push_str(header);
    out.push('\n');
    if !file.attrs.is_empty() {
        let inner = syn::File { shebang: None, attrs: std::mem::take(&mut file.attrs), items: Vec::new() };
        out.push_str(&prettyplease::unparse(&inner));
    }
    let mut previous = None;
    for item in file.items {
        // a run of `mod x;` or of `use ...;` lines stays together
        let kind = declaration_kind(&item);
        if kind.is_none() || kind != previous {
            out.push('\n');
        }
        previous = kind;
        let one = syn::File { shebang: None, attrs: Vec::new(), items: vec![item] };
        out.push_str(&space_methods(&prettyplease::unparse(&one)));
    }
    Ok(out)
}

/// One-line declarations that read best as a block: `mod a;`, `use a::A;`.
fn declaration_kind(item: &syn::Item) -> Option<&'static str> {
    match item {
        syn::Item::Mod(m) if m.content.is_none() && m.attrs.is_empty() => Some("mod"),
        syn::Item::Use(u) if u.attrs.is_empty() => Some("use"),
        _ => None,
    }
}

/// A blank line after a closing brace when the next line starts a new item
/// at the same depth (methods in an impl, functions in a block).
fn space_methods(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        if let Some(next) = lines.get(i + 1) {
            let indent = line.len() - line.trim_start().len();
            let next_indent = next.len() - next.trim_start().len();
            let t = next.trim_start();
            let starts_item = ["///", "#[", "pub ", "fn ", "async fn", "impl", "const "].iter().any(|p| t.starts_with(p));
            // `type Err = ...;` in an impl, followed by its `fn`
            let assoc_type = line.trim_start().starts_with("type ") && line.ends_with(';');
            if (line.trim() == "}" || assoc_type) && indent == next_indent && starts_item {
                out.push('\n');
            }
        }
    }
    out
}
