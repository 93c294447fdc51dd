//! One file per tag (or, for a long tag, per operation): a request builder
//! per operation (required parameters in the constructor, optional ones as
//! setters, `.send().await`), a method on the client that starts it, and a
//! response enum where several success statuses exist; `builder` writes
//! the regular parts as text, this module the irregular ones as tokens.
//! Webview operations become URL builders instead.

use super::docs::{code, doc_attrs, paragraphs};
use super::builder;
use super::support::{arg_convert, arg_type, ident, ty, type_text};
use super::text::{Code, Piece};
use crate::ir::{Body, BodyKind, Location, Operation, Param, PathPart, ResponseContent, Style, SuccessResponse, Type};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone)]
pub struct Ctx {
    /// Path from the file being written to the generated root (`super::super`).
    pub root: TokenStream,
    /// [`Ctx::root`] as text.
    pub root_text: String,
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
        let root_text = vec!["super"; depth].join("::");
        Ctx { root: quote!(#(#supers)::*), root_text, ..self.clone() }
    }

    pub fn models_text(&self) -> String {
        format!("{}::models", self.root_text)
    }

    pub fn client_text(&self) -> String {
        format!("{}::Client", self.root_text)
    }

    fn models(&self) -> TokenStream {
        let root = &self.root;
        quote!(#root::models)
    }
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

/// Text from `builder` (a type, a conversion) as tokens for the token-made
/// items. It always lexes; if it did not, `render` would report the item.
fn lexed(text: String) -> TokenStream {
    text.parse().unwrap_or_default()
}

/// What an operation emits, whichever file it goes in: operations files
/// name the generated root `root` (see [`root_import`]), so the same text
/// serves a tag's file and, split, the operation's own file.
pub struct EmittedOp<'a> {
    op: &'a Operation,
    doc: Vec<String>,
    response_enum: Option<(String, TokenStream)>,
    builder: [Piece; 2],
}

/// The context of operations files: paths from `root`.
pub fn rooted(ctx: &Ctx) -> Ctx {
    Ctx { root: quote!(root), root_text: "root".into(), ..ctx.clone() }
}

/// Emits each operation once (with a [`rooted`] context).
pub fn emit_ops<'a>(ops: &[&'a Operation], ctx: &Ctx) -> Vec<EmittedOp<'a>> {
    ops.iter()
        .map(|op| {
            let doc = builder::op_doc_lines(op);
            let (builder, response_enum) = builder::builder(op, &doc, ctx);
            EmittedOp { op, doc, response_enum, builder }
        })
        .collect()
}

/// `use super::super as root;`: the generated root, from a file `depth`
/// modules below it.
fn root_import(depth: usize) -> Piece {
    Piece::Formatted(format!("use {} as root;\n", vec!["super"; depth].join("::")))
}

/// A tag's operations in one file, `operations/<tag>.rs`.
pub fn tag_file(tag: &str, ops: &[EmittedOp], ctx: &Ctx) -> (Code, Vec<String>) {
    let doc = format!(" Operations tagged `{}`.", tag.replace('`', "'"));
    let mut exported = Vec::new();
    let mut code = Code::from(quote!(#![doc = #doc]));
    code.push(root_import(2));
    let methods: Vec<(&Operation, &[String])> = ops.iter().map(|e| (e.op, e.doc.as_slice())).collect();
    code.push(builder::client_methods(&methods, ctx));
    for e in ops {
        exported.push(e.op.type_name.clone());
        if let Some((name, tokens)) = &e.response_enum {
            exported.push(name.clone());
            code.push(Piece::Tokens(tokens.clone()));
        }
        code.0.extend(e.builder.iter().cloned());
    }
    (code, exported)
}

/// One operation in a file of its own (a tag too long for one file is a
/// directory of these): its client method, response enum and builder.
pub fn operation_file(tag: &str, e: EmittedOp, ctx: &Ctx) -> (Code, Vec<String>) {
    let doc = format!(" The `{}` operation (tagged `{tag}`).", e.op.operation_id.replace('`', "'"));
    let mut exported = vec![e.op.type_name.clone()];
    let mut code = Code::from(quote!(#![doc = #doc]));
    code.push(root_import(3));
    code.push(builder::client_methods(&[(e.op, &e.doc)], ctx));
    if let Some((name, tokens)) = e.response_enum {
        exported.push(name);
        code.push(Piece::Tokens(tokens));
    }
    code.0.extend(e.builder);
    (code, exported)
}

fn op_doc(op: &Operation) -> TokenStream {
    doc_attrs(op_doc_text(op).as_deref())
}

/// An operation's doc: summary, description, and its method and path.
pub fn op_doc_text(op: &Operation) -> Option<String> {
    let route = format!("`{} {}`", op.http_method, op.path);
    let note = op.deprecated.then_some("Deprecated by the API.");
    paragraphs(&[op.summary.as_deref(), op.doc.as_deref(), note, Some(&route)])
}

/// `#[deprecated]` goes on the entry points only (the client method, a
/// webview's `new`), so generated code never warns about itself.
fn deprecated(op: &Operation) -> TokenStream {
    if op.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    }
}

/// The success type of `send`, and the response enum when there are several.
fn response_type(op: &Operation, ctx: &Ctx) -> (TokenStream, Option<(String, TokenStream)>) {
    let content_type = |c: &ResponseContent| match c {
        ResponseContent::None => None,
        ResponseContent::Json(t) => Some(ty(t, &ctx.models())),
        ResponseContent::Text => Some(quote!(String)),
        ResponseContent::Bytes => Some(quote!(::client_runtime::Bytes)),
    };
    match op.responses.as_slice() {
        [] => (quote!(()), None),
        [one] => (content_type(&one.content).unwrap_or(quote!(())), None),
        several => {
            let name = op.response_type_name.clone();
            let ident_name = ident(&name);
            let variants = several.iter().map(|r| {
                let v = ident(&r.variant);
                let status = r.status.map(|s| format!("HTTP {s}")).unwrap_or("A 2xx status".into());
                let doc = doc_attrs(Some(&format!("{status}{}", r.doc.as_deref().map(|d| format!(": {d}")).unwrap_or_default())));
                match content_type(&r.content) {
                    Some(t) => quote!(#doc #v(#t),),
                    None => quote!(#doc #v,),
                }
            });
            let doc = format!(" The success responses of [`{}`].", op.type_name);
            let tokens = quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum #ident_name {
                    #(#variants)*
                }
            };
            (quote!(#ident_name), Some((name, tokens)))
        }
    }
}

/// The runtime method that sends the request and decodes the response into
/// `send`'s output, and the `FromResponse` impl of the response enum if
/// there is one.
fn send_call(op: &Operation, output: &TokenStream) -> (&'static str, TokenStream) {
    match op.responses.as_slice() {
        [SuccessResponse { content: ResponseContent::Json(_), .. }] => ("send_json", quote!()),
        [] | [_] => ("send", quote!()),
        several => {
            let mut arms = Vec::new();
            let mut fallback = quote!(_ => Err(response.unexpected()),);
            for r in several {
                let v = ident(&r.variant);
                let value = match r.content {
                    ResponseContent::None => quote!(Self::#v),
                    ResponseContent::Json(_) => quote!(Self::#v(response.json()?)),
                    ResponseContent::Text => quote!(Self::#v(response.text())),
                    ResponseContent::Bytes => quote!(Self::#v(response.into_body())),
                };
                match r.status {
                    Some(s) => arms.push(quote!(#s => Ok(#value),)),
                    None => fallback = quote!(_ => Ok(#value),),
                }
            }
            let from_response = quote! {
                impl ::client_runtime::FromResponse for #output {
                    #[inline]
                    fn from_response(response: ::client_runtime::Response) -> Result<Self, ::client_runtime::Error> {
                        match response.status() {
                            #(#arms)*
                            #fallback
                        }
                    }
                }
            };
            ("send", from_response)
        }
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
                let n = ident(&p.rust);
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

pub fn add_param(p: &Param, ctx: &Ctx) -> TokenStream {
    let n = ident(&p.rust);
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
            // one pair per property: `name[key]=value` (deepObject) or `key=value`
            let key = if style == Style::DeepObject {
                let template = format!("{}[{{}}]", wire.replace('{', "{{").replace('}', "}}"));
                quote!(&::std::format!(#template, key))
            } else {
                quote!(&key)
            };
            quote! {
                if let Ok(#json::Value::Object(fields)) = #json::to_value(value) {
                    for (key, field) in fields {
                        match field {
                            #json::Value::Null => {}
                            #json::Value::String(text) => { request.query(#key, text); }
                            other => { request.query(#key, other); }
                        }
                    }
                }
            }
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

/// `value` (a slice of `item`s) as one text, items separated by `sep`.
fn joined(item: &Type, ctx: &Ctx, sep: &str) -> TokenStream {
    if *item == Type::String {
        return quote!(value.join(#sep));
    }
    let item_value = display_value(item, quote!(item), ctx);
    quote!(value.iter().map(|item| #item_value.to_string()).collect::<Vec<_>>().join(#sep))
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

pub fn add_body(op: &Operation, ctx: &Ctx) -> TokenStream {
    let Some(b) = &op.body else { return quote!() };
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
        let n = ident(&f.rust);
        let wire = &f.wire;
        let add = match &f.ty {
            // a union of parts (a file or several, text): the variant's parts
            Type::Named(name) if ctx.part_unions.contains_key(name) => {
                let union = ident(name);
                let models = ctx.models();
                let arms = ctx.part_unions[name].iter().map(|(variant, ty)| {
                    let variant = ident(variant);
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

/// The statements that add `value` (a reference to a `ty`) to `form` as
/// parts named `wire`, when it can be parts: a file, several files, text or
/// several texts (one part each, all named alike); `None` when it is sent
/// as a JSON part.
fn part(ty: &Type, wire: &str, ctx: &Ctx) -> Option<TokenStream> {
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

/// What `send` needs besides its statements (see `builder`), the
/// `into_stream` method of a paginated list, and the response enum when
/// there are several success responses.
pub struct RequestParts {
    /// `send`'s output type, as text.
    pub output: String,
    /// The runtime method that sends and decodes: `send_json` or `send`.
    pub send: &'static str,
    pub stream: Option<TokenStream>,
    pub response_enum: Option<(String, TokenStream)>,
}

pub fn request_parts(op: &Operation, ctx: &Ctx) -> RequestParts {
    let models = ctx.models();
    let (output, response_enum) = response_type(op, ctx);
    let (send, from_response) = send_call(op, &output);
    let response_enum = response_enum.map(|(name, tokens)| (name, quote!(#tokens #from_response)));
    let stream = op.pagination.as_ref().map(|pg| {
        let item = ty(&pg.item, &models);
        let items = ident(&pg.items_field);
        let items_expr = if pg.items_optional { quote!(response.#items.unwrap_or_default()) } else { quote!(response.#items) };
        let total = match &pg.total_field {
            Some((f, integer, required)) => {
                let f = ident(f);
                match (*required, *integer) {
                    (true, true) => quote!(Some(response.#f)),
                    (true, false) => quote!(Some(response.#f as i64)),
                    (false, true) => quote!(response.#f),
                    (false, false) => quote!(response.#f.map(|t| t as i64)),
                }
            }
            None => quote!(None),
        };
        let identify = match &pg.item_id {
            Some((f, required, is_i32)) => {
                let f = ident(f);
                let id = match (*required, *is_i32) {
                    (true, false) => quote!(Some(item.#f)),
                    (true, true) => quote!(Some(i64::from(item.#f))),
                    (false, false) => quote!(item.#f),
                    (false, true) => quote!(item.#f.map(i64::from)),
                };
                quote!(|item: &#item| #id)
            }
            None => quote!(|_: &#item| None::<i64>),
        };
        let limit_ty = op.params.iter().find(|p| p.wire == "limit").map(|p| p.ty.clone());
        let (to_param, from_param) = if limit_ty == Some(Type::I32) {
            (quote!(i32::try_from(offset).unwrap_or(i32::MAX)), quote!(.map(i64::from)))
        } else {
            (quote!(offset), quote!())
        };
        let to_limit = if limit_ty == Some(Type::I32) { quote!(i32::try_from(limit).unwrap_or(i32::MAX)) } else { quote!(limit) };
        let offset = ident(&op.params.iter().find(|p| p.wire == "offset").map(|p| p.rust.clone()).unwrap_or_default());
        let limit = ident(&op.params.iter().find(|p| p.wire == "limit").map(|p| p.rust.clone()).unwrap_or_default());
        // the items' field as the runtime looks for it in the response
        let items_name = &pg.items_wire;
        quote! {
            /// Sends the request and decodes the page item by item: an item
            /// that does not decode is its error in `items` (`Error::Item`:
            /// the operation, the item's index and offset, the JSON path of
            /// the failing field, its raw JSON with credentials redacted),
            /// and the other items are there. The rest of the response
            /// decodes as with [`Self::send`], and fails the same way.
            #[inline]
            pub fn send_items(self) -> impl ::client_runtime::ResponseFuture<::client_runtime::Page<#item>> {
                let offset = self.#offset #from_param.unwrap_or(0);
                let request = self.request();
                self.client.runtime().send_page(
                    move || request,
                    #items_name,
                    offset,
                    |response: #output| (#items_expr, #total),
                )
            }

            /// Every item of every page, fetched lazily page by page (`limit`
            /// items a page, 100 if unset), starting at `offset`: the next page
            /// starts after the items received, until `total` or an empty page.
            /// An item already delivered (same `id`) is not delivered again; a
            /// server that ignores `offset` ends the stream with
            /// `Error::Pagination` (see `client_runtime::paginate_items`).
            /// Pages are read as by [`Self::send_items`]: an item that does
            /// not decode is yielded as its error (`Error::Item`) and the
            /// stream goes on; a page that cannot be read at all ends it.
            #[inline]
            pub fn into_stream(self) -> impl ::client_runtime::Stream<Item = Result<#item, ::client_runtime::Error>> + Send + 'static {
                let start = self.#offset #from_param.unwrap_or(0);
                let page_size = self.#limit #from_param.unwrap_or(100);
                ::client_runtime::paginate_items(
                    start,
                    page_size,
                    move |offset, limit| {
                        let mut page = self.clone();
                        page.#offset = Some(#to_param);
                        page.#limit = Some(#to_limit);
                        page.send_items()
                    },
                    #identify,
                )
            }
        }
    });
    let output = match op.responses.as_slice() {
        [] => "()".to_string(),
        [one] => match &one.content {
            ResponseContent::None => "()".to_string(),
            ResponseContent::Json(t) => type_text(t, &ctx.models_text()),
            ResponseContent::Text => "String".to_string(),
            ResponseContent::Bytes => "::client_runtime::Bytes".to_string(),
        },
        _ => op.response_type_name.clone(),
    };
    RequestParts { output, send, stream, response_enum }
}


/// `webview.rs`: URL builders for browser flows, and their callback parsers.
pub fn webview_file(ops: &[&Operation], ctx: &Ctx) -> TokenStream {
    let models = ctx.models();
    let items = ops.iter().map(|op| {
        let name = ident(&op.type_name);
        let doc = op_doc(op);
        // path parameters (filled into the path) and query parameters
        let query: Vec<&Param> = op.params.iter().filter(|p| matches!(p.location, Location::Query | Location::Path)).collect();
        let fields = query.iter().map(|p| {
            let n = ident(&p.rust);
            let t = ty(&p.ty, &models);
            let t = if p.required { t } else { quote!(Option<#t>) };
            quote!(#n: #t,)
        });
        let required: Vec<&&Param> = query.iter().filter(|p| p.required).collect();
        let args = required.iter().map(|p| {
            let n = ident(&p.rust);
            let t = lexed(arg_type(&p.ty, &ctx.models_text()));
            quote!(#n: #t)
        });
        let inits = query.iter().map(|p| {
            let n = ident(&p.rust);
            if p.required {
                let init = lexed(builder::field_init(&p.rust, &p.ty));
                quote!(#init,)
            } else {
                quote!(#n: None,)
            }
        });
        let setters = query.iter().filter(|p| !p.required).map(|p| {
            let n = ident(&p.rust);
            let t = lexed(arg_type(&p.ty, &ctx.models_text()));
            let conv = lexed(arg_convert(&p.ty, "value"));
            let doc = doc_attrs(paragraphs(&[p.doc.as_deref(), Some(&format!("Sets the query parameter {}.", code(&p.wire)))]).as_deref());
            quote! {
                #doc
                #[inline]
                pub fn #n(mut self, value: #t) -> Self {
                    self.#n = Some(#conv);
                    self
                }
            }
        });
        let pushes = query.iter().filter(|p| p.location == Location::Query).map(|p| {
            let n = ident(&p.rust);
            let wire = &p.wire;
            let to_string = match &p.ty {
                Type::Array(item) => joined(item, ctx, ","),
                Type::String => quote!(value.clone()),
                t => {
                    let v = display_value(t, quote!(value), ctx);
                    quote!(#v.to_string())
                }
            };
            if p.required {
                quote!({ let value = &self.#n; query.push((#wire, #to_string)); })
            } else {
                quote!(if let Some(value) = &self.#n { query.push((#wire, #to_string)); })
            }
        });
        let has_path_params = op.params.iter().any(|p| p.location == Location::Path);
        let (path, path_arg) = if has_path_params {
            (path_statements(op, ctx), quote!(&path))
        } else {
            let literal = &op.path;
            (quote!(), quote!(#literal))
        };
        let (url_output, url_doc, url_value) = if has_path_params {
            (
                quote!(Result<String, ::client_runtime::Error>),
                quote! {
                    /// The URL to open in the user's browser, under `base_url`
                    /// (the API's base URL, the one the client uses).
                    /// Fails when a path parameter is empty, `.` or `..`.
                },
                quote!(Ok(::client_runtime::webview::url(base_url, #path_arg, &query))),
            )
        } else {
            (
                quote!(String),
                quote! {
                    /// The URL to open in the user's browser, under `base_url`
                    /// (the API's base URL, the one the client uses).
                },
                quote!(::client_runtime::webview::url(base_url, #path_arg, &query)),
            )
        };
        let callback = op.webview.as_ref().and_then(|w| w.callback.as_ref()).map(|cb| {
            let cb = ty(cb, &models);
            let err = op.webview.as_ref().and_then(|w| w.error.as_ref()).map(|e| ty(e, &models)).unwrap_or(quote!(::client_runtime::serde_json::Value));
            quote! {
                /// Parses the query of the callback URL the browser comes back
                /// to: the flow's result, or the error it reports.
                #[inline]
                pub fn parse_callback(query: &str) -> Result<Result<#cb, #err>, ::client_runtime::Error> {
                    ::client_runtime::webview::parse_callback(query)
                }
            }
        });
        let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let self_named = super::support::self_named_new(&op.type_name);
        let deprecated = deprecated(op);
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub struct #name {
                #(#fields)*
            }

            impl #name {
                /// Starts the URL with its required parameters.
                #deprecated
                #allow
                #self_named
                #[inline]
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits)* }
                }

                #(#setters)*

                #url_doc
                #[inline]
                pub fn url(&self, base_url: &str) -> #url_output {
                    #path
                    let mut query: Vec<(&str, String)> = Vec::new();
                    #(#pushes)*
                    #url_value
                }

                #callback
            }
        }
    });
    quote! {
        #![doc = " Webview flows: URLs to open in the user's browser, and the callbacks they come back with."]
        #(#items)*
    }
}
