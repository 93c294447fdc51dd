//! What request builders and webview URLs share: the emit context (where
//! the generated root is, which named types are displayed, objects or
//! multipart parts) and how a value goes on the wire (path segments, query
//! text, multipart parts); and an operation's request statements
//! ([`request_statements`]): its path, its query, header and cookie
//! parameters, its body.

use crate::ir::{Api, Body, BodyKind, Location, Operation, Param, PathPart, Style, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone)]
pub struct Ctx {
    /// Path from the file being written to the generated root (`super::super`).
    pub root: TokenStream,
    /// Named types whose `Display` is their wire form (enums, id-or-keyword).
    pub display_types: BTreeSet<String>,
    /// Named types that are JSON objects (structs, maps).
    pub object_types: BTreeSet<String>,
    /// Untagged unions each of whose variants can be multipart parts (a
    /// file, several files, text): their variants' names and types.
    pub part_unions: BTreeMap<String, Vec<(String, Type)>>,
}

impl Ctx {
    /// This context for a file `depth` modules below the generated root.
    pub fn at_depth(&self, depth: usize) -> Ctx {
        let supers = (0..depth).map(|_| quote!(super));
        Ctx { root: quote!(#(#supers)::*), ..self.clone() }
    }

    /// This context for operations files, whose paths start at `root`
    /// (`use super::super as root;`).
    pub fn rooted(&self) -> Ctx {
        Ctx { root: quote!(root), ..self.clone() }
    }

    pub fn client(&self) -> TokenStream {
        let root = &self.root;
        quote!(#root::Client)
    }

    pub fn models(&self) -> TokenStream {
        let root = &self.root;
        quote!(#root::models)
    }
}

/// The emit context at the generated root; one per thread (it holds tokens).
pub fn context(api: &Api) -> Ctx {
    use crate::ir::{ModelKind, Type};
    let mut ctx = Ctx {
        root: quote::quote!(super),
        part_unions: BTreeMap::new(),
        display_types: api
            .models
            .iter()
            .filter(|m| matches!(m.kind, ModelKind::Enum(_) | ModelKind::ScalarUnion { .. }))
            .map(|m| m.name.clone())
            .collect(),
        object_types: api
            .models
            .iter()
            .filter(|m| matches!(m.kind, ModelKind::Struct(_) | ModelKind::Alias(Type::Map(_) | Type::JsonObject)))
            .map(|m| m.name.clone())
            .collect(),
    };
    // unions that hold a file and go as parts (a file, or several)
    ctx.part_unions = api
        .models
        .iter()
        .filter_map(|m| match &m.kind {
            ModelKind::Union { variants, tag: None }
                if variants.iter().any(|v| matches!(&v.ty, Type::Binary) || v.ty == Type::Array(Box::new(Type::Binary)))
                    && variants.iter().all(|v| is_part(&v.ty, &ctx)) =>
            {
                Some((m.name.clone(), variants.iter().map(|v| (v.rust.clone(), v.ty.clone())).collect()))
            }
            _ => None,
        })
        .collect();
    ctx
}

pub fn is_display(t: &Type, ctx: &Ctx) -> bool {
    match t {
        Type::String | Type::I32 | Type::I64 | Type::F32 | Type::F64 | Type::Amount | Type::Bool | Type::Date | Type::DateTime => true,
        Type::Named(n) => ctx.display_types.contains(n),
        _ => false,
    }
}

/// The tokens that turn `value` (a reference) into something `Display`.
pub fn display_value(t: &Type, value: TokenStream, ctx: &Ctx) -> TokenStream {
    match t {
        Type::Secret => quote!(#value.expose()),
        t if is_display(t, ctx) => value,
        // anything else goes as its JSON text
        _ => quote!(::client_runtime::serde_json::to_string(#value).unwrap_or_default()),
    }
}

/// Statements that build the request path in `path`: literal pieces and
/// each path parameter percent-encoded as one segment. `push_str` calls
/// rather than `format!`, whose arguments prettyplease leaves unformatted.
pub fn path_statements(op: &Operation, ctx: &Ctx) -> TokenStream {
    let text = |t: &Type, value: TokenStream| match t {
        Type::String => quote!(&#value),
        Type::Secret => quote!(#value.expose()),
        t if is_display(t, ctx) => quote!(&#value.to_string()),
        _ => quote!(&::client_runtime::serde_json::to_string(&#value).unwrap_or_default()),
    };
    let mut statements = Vec::new();
    for (i, part) in op.path_parts.iter().enumerate() {
        let piece = match part {
            PathPart::Literal(l) if i == 0 => {
                statements.push(quote!(let mut path = String::from(#l);));
                continue;
            }
            // `path.push('/')`, not `push_str("/")` (clippy)
            PathPart::Literal(l) if l.chars().count() == 1 => {
                let c = l.chars().next().unwrap_or('/');
                statements.push(quote!(path.push(#c);));
                continue;
            }
            PathPart::Literal(l) => quote!(#l),
            PathPart::Param(index) => {
                let p = &op.params[*index];
                let n = format_ident!("{}", p.rust);
                let wire = &p.wire;
                match &p.ty {
                    // `style: simple`: each item encoded on its own, joined by
                    // `,`; fewer than `minItems` (at least 1) is an error
                    Type::Array(item) => {
                        let item_text = text(item, quote!(item));
                        let min = proc_macro2::Literal::usize_unsuffixed(p.min_items.max(1));
                        quote! {
                            &::client_runtime::path_list(
                                #wire,
                                #min,
                                self.#n.iter().map(|item| ::client_runtime::path_segment(#wire, #item_text)),
                            )?
                        }
                    }
                    t => {
                        let t = text(t, quote!(self.#n));
                        quote!(&::client_runtime::path_segment(#wire, #t)?)
                    }
                }
            }
        };
        if i == 0 {
            statements.push(quote!(let mut path = String::new();));
        }
        statements.push(quote!(path.push_str(#piece);));
    }
    match statements.as_slice() {
        [] => quote!(let path = String::new();),
        // one literal: nothing to push, so not `mut`
        [_] if matches!(op.path_parts.as_slice(), [PathPart::Literal(_)]) => {
            let l = match &op.path_parts[0] {
                PathPart::Literal(l) => l.clone(),
                PathPart::Param(_) => String::new(),
            };
            quote!(let path = String::from(#l);)
        }
        _ => quote!(#(#statements)*),
    }
}

/// `value` (a slice of `item`s) as one text, items separated by `sep`.
pub fn joined(item: &Type, ctx: &Ctx, sep: &str) -> TokenStream {
    if *item == Type::String {
        return quote!(value.join(#sep));
    }
    let item_value = display_value(item, quote!(item), ctx);
    quote!(value.iter().map(|item| #item_value.to_string()).collect::<Vec<_>>().join(#sep))
}

/// The statements that add `value` (a reference to a `ty`) to `form` as
/// parts named `wire`, when it can be parts: a file, several files, text or
/// several texts (one part each, all named alike); `None` when it is sent
/// as a JSON part.
pub fn part(ty: &Type, wire: &str, ctx: &Ctx) -> Option<TokenStream> {
    Some(match ty {
        Type::Binary => quote!(form.file(#wire, value.clone());),
        Type::Secret => quote!(form.text(#wire, value.expose());),
        t if is_display(t, ctx) => quote!(form.text(#wire, value);),
        Type::Array(item) if **item == Type::Binary => quote! {
            for item in value {
                form.file(#wire, item.clone());
            }
        },
        Type::Array(item) if is_display(item, ctx) => quote! {
            for item in value {
                form.text(#wire, item);
            }
        },
        _ => return None,
    })
}

/// Whether a value of `ty` can go as multipart parts (see [`part`]).
pub fn is_part(ty: &Type, ctx: &Ctx) -> bool {
    part(ty, "", ctx).is_some()
}

/// The statements of an operation's `request` that put its values on the
/// request, worked out before its code is written.
pub struct RequestStatements {
    /// The statements that build `path` (see [`path_statements`]).
    pub path: TokenStream,
    /// The query, header and cookie parameters, in the operation's order.
    pub params: Vec<TokenStream>,
    pub body: Option<TokenStream>,
}

/// The statements that put `op`'s values on its request.
pub fn request_statements(op: &Operation, ctx: &Ctx) -> RequestStatements {
    RequestStatements {
        path: path_statements(op, ctx),
        params: op.params.iter().filter(|p| p.location != Location::Path).map(|p| add_param(p, ctx)).collect(),
        body: op.body.as_ref().map(|b| add_body(b, ctx)),
    }
}

/// A query, header or cookie parameter onto `request`.
fn add_param(p: &Param, ctx: &Ctx) -> TokenStream {
    let n = format_ident!("{}", p.rust);
    let wire = &p.wire;
    let json = quote!(::client_runtime::serde_json);
    let add = match (&p.ty, p.location, p.style) {
        (_, location, Style::Json) => {
            let m = location_method(location);
            quote!(request.#m(#wire, #json::to_string(value).unwrap_or_default());)
        }
        (Type::Array(item), Location::Query, style) => {
            let item_value = display_value(item, quote!(item), ctx);
            let items = if item_value.to_string() == "item" { quote!(value) } else { quote!(value.iter().map(|item| #item_value)) };
            match style {
                _ if p.explode => quote!(request.query_multi(#wire, #items);),
                Style::SpaceDelimited | Style::PipeDelimited => {
                    let sep = if style == Style::SpaceDelimited { " " } else { "|" };
                    let value = joined(item, ctx, sep);
                    quote!(request.query(#wire, #value);)
                }
                _ => quote!(request.query_csv(#wire, #items);),
            }
        }
        (Type::Array(item), location, _) => {
            let m = location_method(location);
            let value = joined(item, ctx, ",");
            quote!(request.#m(#wire, #value);)
        }
        (t, Location::Query, style) if is_object(t, ctx) && (style == Style::DeepObject || p.explode) => {
            // one pair per property: `name[key]=value` (deepObject) or
            // `key=value`, with the JSON's own digits; an error, never a
            // parameter left out
            let deep = style == Style::DeepObject;
            quote!(request.query_object(#wire, #deep, value)?;)
        }
        (t, location, _) => {
            let m = location_method(location);
            let v = display_value(t, quote!(value), ctx);
            quote!(request.#m(#wire, #v);)
        }
    };
    if p.required {
        quote!({ let value = &self.#n; #add })
    } else {
        quote!(if let Some(value) = &self.#n { #add })
    }
}

fn location_method(location: Location) -> TokenStream {
    match location {
        Location::Query | Location::Path => quote!(query),
        Location::Header => quote!(header),
        Location::Cookie => quote!(cookie),
    }
}

/// Objects (written property by property in a query), as opposed to scalars.
fn is_object(t: &Type, ctx: &Ctx) -> bool {
    match t {
        Type::Map(_) | Type::JsonObject => true,
        Type::Named(n) => ctx.object_types.contains(n),
        _ => false,
    }
}

/// The body onto `request`: JSON (or a form instead, where the spec allows
/// both), a form, bytes or multipart parts.
fn add_body(b: &Body, ctx: &Ctx) -> TokenStream {
    let send = match b.kind {
        BodyKind::Json if b.also_form => quote! {
            if self.form_encoded { request.form_body(body)?; } else { request.json_body(body)?; }
        },
        BodyKind::Json => {
            // a vendor JSON type (`application/vnd.x+json`) replaces `application/json`
            let base = b.media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            if base == "application/json" || base == "*/*" || base == "text/json" {
                quote!(request.json_body(body)?;)
            } else {
                let media = b.media_type.trim();
                quote! {
                    request.json_body(body)?;
                    request.header("content-type", #media);
                }
            }
        }
        BodyKind::Form => quote!(request.form_body(body)?;),
        BodyKind::Bytes => {
            let media = &b.media_type;
            quote!(request.bytes_body(#media, body.clone());)
        }
        BodyKind::Multipart => multipart(b, ctx),
    };
    if b.required {
        quote!({ let body = &self.body; #send })
    } else {
        quote!(if let Some(body) = &self.body { #send })
    }
}

fn multipart(b: &Body, ctx: &Ctx) -> TokenStream {
    if b.multipart_fields.is_empty() {
        return quote! {
            let mut form = ::client_runtime::Multipart::new();
            form.json("body", body)?;
            request.multipart_body(form);
        };
    }
    let parts = b.multipart_fields.iter().map(|f| {
        let n = format_ident!("{}", f.rust);
        let wire = &f.wire;
        let add = match &f.ty {
            // a union of parts (a file or several, text): the variant's parts
            Type::Named(name) if ctx.part_unions.contains_key(name) => {
                let union = format_ident!("{}", name);
                let models = ctx.models();
                let arms = ctx.part_unions[name].iter().map(|(variant, ty)| {
                    let variant = format_ident!("{}", variant);
                    let add = part(ty, wire, ctx).unwrap_or_else(|| quote!(form.json(#wire, value)?;));
                    quote!(#models::#union::#variant(value) => { #add })
                });
                quote!(match value { #(#arms)* })
            }
            ty => part(ty, wire, ctx).unwrap_or_else(|| quote!(form.json(#wire, value)?;)),
        };
        let boxed = if f.boxed { quote!(&**) } else { quote!() };
        if f.required && !f.nullable {
            quote!({ let value = #boxed &body.#n; #add })
        } else if f.tri_state {
            quote!(if let Some(Some(value)) = &body.#n { #add })
        } else {
            quote!(if let Some(value) = &body.#n { #add })
        }
    });
    quote! {
        let mut form = ::client_runtime::Multipart::new();
        #(#parts)*
        request.multipart_body(form);
    }
}
