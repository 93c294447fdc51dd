//! Token streams to source text: prettyplease per item, a blank line between
//! items and between methods, and the one-line `@generated` header.

use proc_macro2::TokenStream;
use syn::parse::{ParseStream, Parser};

/// Renders one output file. Fails (instead of panicking) if the tokens do
/// not parse, which would be a generator bug.
pub fn render(header: &str, tokens: TokenStream) -> Result<String, String> {
    let mut out = String::new();
    out.push_str(header);
    out.push('\n');
    // what `syn::File` parses, but each item is printed and dropped as soon
    // as it is parsed: no tree of the whole file is ever built
    let print = |input: ParseStream| -> syn::Result<()> {
        let attrs = input.call(syn::Attribute::parse_inner)?;
        if !attrs.is_empty() {
            out.push_str(&prettyplease::unparse(&syn::File { shebang: None, attrs, items: Vec::new() }));
        }
        let mut previous = None;
        while !input.is_empty() {
            let item: syn::Item = input.parse()?;
            // a run of `mod x;` or of `use ...;` lines stays together
            let kind = declaration_kind(&item);
            if kind.is_none() || kind != previous {
                out.push('\n');
            }
            previous = kind;
            let one = syn::File { shebang: None, attrs: Vec::new(), items: vec![item] };
            space_methods(&prettyplease::unparse(&one), &mut out);
        }
        Ok(())
    };
    print.parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
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

/// Appends `text` to `out` with a blank line after a closing brace when the
/// next line starts a new item at the same depth (methods in an impl,
/// functions in a block).
fn space_methods(text: &str, out: &mut String) {
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        if let Some(next) = lines.peek() {
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
}
