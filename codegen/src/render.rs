//! Code to source text: prettyplease for each item, a blank line between
//! items and between methods, and the one-line `@generated` header.

use crate::code::Code;
use syn::parse::{ParseStream, Parser};

/// Renders one output file. Fails (instead of panicking) if the tokens do
/// not parse, which would be a generator bug.
pub fn render(header: &str, code: Code) -> Result<String, String> {
    let mut out = String::new();
    out.push_str(header);
    out.push('\n');
    let mut previous = None;
    for tokens in code.0 {
        let print = |input: ParseStream| print_items(input, &mut out, &mut previous);
        print.parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    }
    Ok(out)
}

/// What `syn::File` parses, but each item is printed and dropped as soon
/// as it is parsed: no tree of the whole file is ever built.
fn print_items(input: ParseStream, out: &mut String, previous: &mut Option<&'static str>) -> syn::Result<()> {
    let attrs = input.call(syn::Attribute::parse_inner)?;
    if !attrs.is_empty() {
        out.push_str(&prettyplease::unparse(&syn::File { shebang: None, attrs, items: Vec::new() }));
    }
    while !input.is_empty() {
        let item: syn::Item = input.parse()?;
        // a run of `mod x;` or of `use ...;` lines stays together
        let kind = declaration_kind(&item);
        if kind.is_some() && kind == *previous {
            space_methods(&prettyplease::unparse(&file(item)), out);
        } else {
            print_item(item, out);
        }
        *previous = kind;
    }
    Ok(())
}

/// An item after a blank line.
fn print_item(item: syn::Item, out: &mut String) {
    out.push('\n');
    space_methods(&prettyplease::unparse(&file(item)), out);
}

fn file(item: syn::Item) -> syn::File {
    syn::File { shebang: None, attrs: Vec::new(), items: vec![item] }
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
    out.reserve(text.len() + 64);
    let mut ended_item_at = None;
    for line in text.lines() {
        let indent = leading_spaces(line);
        let body = &line[indent..];
        if ended_item_at == Some(indent) && starts_item(body) {
            out.push('\n');
        }
        ended_item_at = ends_item(body).then_some(indent);
        out.push_str(line);
        out.push('\n');
    }
}

/// A line (without its indentation) that closes an item: `}`, or an
/// associated `type Err = ...;`, followed by its `fn`.
fn ends_item(body: &str) -> bool {
    body == "}" || (body.starts_with("type ") && body.ends_with(';'))
}

/// A line (without its indentation) that starts an item.
fn starts_item(body: &str) -> bool {
    ["///", "#[", "pub ", "fn ", "async fn", "impl", "const "].iter().any(|p| body.starts_with(p))
}

fn leading_spaces(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}
