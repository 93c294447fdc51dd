//! Operations, one file per tag (or, for a long tag, per operation): for
//! each, a method on the client that starts it, its request builder
//! (required parameters in the constructor, optional ones as setters,
//! `.send().await`), and a response enum where several success statuses
//! exist. The regular parts are written as text ([`Lines`]); what varies
//! too much to be worth it (array and object parameters, multipart and
//! vendor bodies, `into_stream`, response enums) as tokens, laid out by
//! prettyplease in place.

use super::docs::{code, doc_attrs, doc_lines, operation_doc, paragraphs};
use super::types::{arg_convert, arg_type, field_init, ty, type_text};
use super::wire::{display_value, is_display, joined, part, path_statements, Ctx};
use crate::code::{string, Arg, Call, Code, Lines, Piece, Place};
use crate::ir::{Body, BodyKind, Location, Operation, Param, PathPart, ResponseContent, Style, SuccessResponse, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// What an operation emits, whichever file it goes in: operations files
/// name the generated root `root` (see [`root_import`]), so the same text
/// serves a tag's file and, split, the operation's own file.
pub struct EmittedOp<'a> {
    op: &'a Operation,
    doc: Vec<String>,
    response_enum: Option<(String, TokenStream)>,
    builder: [Piece; 2],
}

/// Emits each operation once (with a [`Ctx::rooted`] context).
pub fn emit_ops<'a>(ops: &[&'a Operation], ctx: &Ctx) -> Vec<EmittedOp<'a>> {
    ops.iter()
        .map(|op| {
            let doc = doc_lines(operation_doc(op).as_deref());
            let (builder, response_enum) = builder(op, &doc, ctx);
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
    code.push(client_methods(&methods, true, ctx));
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
pub fn operation_file(tag: &str, e: EmittedOp, tag_header: bool, ctx: &Ctx) -> (Code, Vec<String>) {
    let doc = format!(" The `{}` operation (tagged `{tag}`).", e.op.operation_id.replace('`', "'"));
    let mut exported = vec![e.op.type_name.clone()];
    let mut code = Code::from(quote!(#![doc = #doc]));
    code.push(root_import(3));
    code.push(client_methods(&[(e.op, &e.doc)], tag_header, ctx));
    if let Some((name, tokens)) = e.response_enum {
        exported.push(name);
        code.push(Piece::Tokens(tokens));
    }
    code.0.extend(e.builder);
    (code, exported)
}

/// The client methods that start each operation: `impl Client { ... }`.
/// Each operation comes with its doc lines (see [`emit_ops`]), which
/// the client method and the builder share.
fn client_methods(ops: &[(&Operation, &[String])], tag_header: bool, ctx: &Ctx) -> Piece {
    let mut out = Lines::new();
    // rustdoc shows each impl block under its doc: the client's page is
    // grouped by resource (the spec's tag) this way
    if let Some((first, _)) = ops.first().filter(|_| tag_header) {
        out.line(&["/// **", &first.tag, "**: operations tagged ", &code(&first.tag), "."]);
    }
    out.open(&["impl ", &ctx.client_text(), " {"]);
    for (op, doc) in ops {
        let args = required_args(op, ctx);
        out.doc_lines(doc);
        entry_attributes(&mut out, op.deprecated, args.len(), false);
        let mut params = vec!["&self".to_string()];
        params.extend(args.iter().map(|(n, t, _)| format!("{n}: {t}")));
        out.signature(&format!("pub fn {}", op.method_name), &params, &op.type_name);
        let mut names = vec!["self".to_string()];
        names.extend(args.into_iter().map(|(n, _, _)| n));
        out.call_statement(&Call::new(&format!("{}::new", op.type_name), names), "");
        out.close(&["}"]);
    }
    out.close(&["}"]);
    out.finish()
}

/// (name, argument type, field initialiser) of each constructor argument.
fn required_args(op: &Operation, ctx: &Ctx) -> Vec<(String, String, String)> {
    let models = ctx.models_text();
    let mut out: Vec<(String, String, String)> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            (p.rust.clone(), arg_type(&p.ty, &models), field_init(&p.rust, &p.ty))
        })
        .collect();
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        out.push(("body".into(), body_type(b, ctx), "body".into()));
    }
    out
}

/// The attributes of an entry point: `#[deprecated]` (only there, so that
/// generated code never warns about itself), and clippy's allowances.
fn entry_attributes(out: &mut Lines, deprecated: bool, args: usize, self_named: bool) {
    if deprecated {
        out.line(&["#[deprecated]"]);
    }
    if args > 6 {
        out.line(&["#[allow(clippy::too_many_arguments)]"]);
    }
    if self_named {
        out.line(&["#[allow(clippy::self_named_constructors)]"]);
    }
    out.line(&["#[inline]"]);
}

fn body_type(b: &Body, ctx: &Ctx) -> String {
    match b.kind {
        BodyKind::Bytes => "::client_runtime::Bytes".into(),
        _ => type_text(&b.ty, &ctx.models_text()),
    }
}

/// The builder struct and its impl, and the response enum (tokens) when
/// the operation has several success responses.
fn builder(op: &Operation, doc: &[String], ctx: &Ctx) -> ([Piece; 2], Option<(String, TokenStream)>) {
    let client = ctx.client_text();
    let name = &op.type_name;
    let mut out = Lines::new();
    out.doc_lines(doc);
    out.line(&["#[derive(Debug, Clone)]"]);
    out.line(&["#[must_use = \"a request does nothing until `.send().await`\"]"]);
    out.open(&["pub struct ", name, " {"]);
    out.line(&["client: ", &client, ","]);
    for p in &op.params {
        let (name, ty) = param_field(p, ctx);
        out.typed(&name, &ty, ",", Place::Field);
    }
    if let Some(b) = &op.body {
        let t = body_type(b, ctx);
        let t = if b.required { t } else { format!("Option<{t}>") };
        out.typed("body: ", &t, ",", Place::Field);
        if b.also_form {
            out.line(&["form_encoded: bool,"]);
        }
    }
    out.line(&["timeout: Option<::std::time::Duration>,"]);
    out.close(&["}"]);
    let structure = out.finish();

    let mut out = Lines::new();
    out.open(&["impl ", name, " {"]);
    // named by every error of the call, whichever stage it comes from
    let operation = format!("{} ({} {})", op.operation_id, op.http_method, op.path);
    out.impl_items(quote! {
        /// The operation, as its errors name it: its id, method and path template.
        pub const OPERATION: &'static str = #operation;
    });
    out.line(&["/// Starts the request with its required parameters."]);
    let args = required_args(op, ctx);
    entry_attributes(&mut out, false, args.len(), name == "New");
    let mut params = vec![format!("client: &{client}")];
    params.extend(args.iter().map(|(n, t, _)| format!("{n}: {t}")));
    out.signature("pub fn new", &params, "Self");
    out.open(&["Self {"]);
    out.line(&["client: client.clone(),"]);
    for (_, _, init) in &args {
        out.line(&[init, ","]);
    }
    for p in op.params.iter().filter(|p| !p.required) {
        out.line(&[&p.rust, ": None,"]);
    }
    if let Some(b) = &op.body {
        if !b.required {
            out.line(&["body: None,"]);
        }
        if b.also_form {
            out.line(&["form_encoded: false,"]);
        }
    }
    out.line(&["timeout: None,"]);
    out.close(&["}"]);
    out.close(&["}"]);
    let models = ctx.models_text();
    for p in op.params.iter().filter(|p| !p.required) {
        let set = format!("Sets the {} parameter `{}`.", p.location.word(), p.wire);
        out.doc_lines(&doc_lines(Some(&paragraphs(&[p.doc.as_deref(), Some(&set)]).unwrap_or_default())));
        setter(&mut out, &p.rust, "value", &arg_type(&p.ty, &models), &arg_convert(&p.ty, "value"));
    }
    if let Some(b) = op.body.as_ref().filter(|b| !b.required) {
        out.line(&["/// Sets the request body."]);
        setter(&mut out, "body", "body", &body_type(b, ctx), "body");
    }
    if op.body.as_ref().is_some_and(|b| b.also_form) {
        out.line(&["/// Sends the body as `application/x-www-form-urlencoded` instead of JSON."]);
        out.line(&["#[inline]"]);
        out.open(&["pub fn form_encoded(mut self) -> Self {"]);
        out.line(&["self.form_encoded = true;"]);
        out.line(&["self"]);
        out.close(&["}"]);
    }
    out.line(&["/// Overrides the client's timeout for this request."]);
    setter(&mut out, "timeout", "timeout", "::std::time::Duration", "timeout");
    let parts = request_parts(op, ctx);
    send(&mut out, op, ctx, &parts);
    if let Some(stream) = parts.stream {
        out.impl_items(stream);
    }
    out.close(&["}"]);
    ([structure, out.finish()], parts.response_enum)
}

/// A field of the builder for a parameter: `name: ` and its type.
fn param_field(p: &Param, ctx: &Ctx) -> (String, String) {
    let t = type_text(&p.ty, &ctx.models_text());
    let t = if p.required { t } else { format!("Option<{t}>") };
    (format!("{}: ", p.rust), t)
}

/// `#[inline] pub fn name(mut self, arg: T) -> Self { self.name = Some(value); self }`
fn setter(out: &mut Lines, name: &str, arg: &str, arg_type: &str, value: &str) {
    out.line(&["#[inline]"]);
    out.signature(&format!("pub fn {name}"), &["mut self".to_string(), format!("{arg}: {arg_type}")], "Self");
    out.line(&["self.", name, " = Some(", value, ");"]);
    out.line(&["self"]);
    out.close(&["}"]);
}

/// `request`, which builds the request (also what a typed mock matches on),
/// and `send`, which hands it to the runtime. Both `#[inline]`: compiled
/// only where `send` is called.
fn send(out: &mut Lines, op: &Operation, ctx: &Ctx, parts: &RequestParts) {
    // the request apart from `send`: the typed mocks match on it
    out.line(&["/// The request [`Self::send`] sends: what typed mocks match on."]);
    out.line(&["#[inline]"]);
    out.signature(
        "pub(crate) fn request",
        &["&self".to_string()],
        "Result<::client_runtime::Request, ::client_runtime::Error>",
    );
    path(out, op, ctx);
    let method = format!("::client_runtime::Method::{}", op.http_method);
    // the operation's label as a literal, as `Self::OPERATION` says it: what
    // api-diff reads as the request built (the label never goes on the wire)
    let operation = string(&format!("{} ({} {})", op.operation_id, op.http_method, op.path));
    out.call_statement(&Call::new("let mut request = ::client_runtime::Request::of", [operation, method, "path".into()]), ";");
    if let Some(seconds) = op.timeout_seconds {
        let timeout = format!("::std::time::Duration::from_secs({seconds})");
        out.call_statement(&Call::new("request.default_timeout", [timeout]), ";");
    }
    for p in op.params.iter().filter(|p| p.location != Location::Path) {
        param(out, p, ctx);
    }
    body(out, op, ctx);
    if !op.secured {
        out.line(&["request.secured(false);"]);
    }
    out.line(&["request.timeout(self.timeout);"]);
    out.line(&["Ok(request)"]);
    out.close(&["}"]);
    out.line(&["/// Sends the request and decodes the response. Nothing happens"]);
    out.line(&["/// until the future is awaited; a parameter that cannot go on"]);
    out.line(&["/// the wire is its error, and nothing is sent."]);
    out.line(&["#[inline]"]);
    let output = format!("impl ::client_runtime::ResponseFuture<{}>", parts.output);
    out.signature("pub fn send", &["self".to_string()], &output);
    // built here, handed over as a value: a closure capturing the whole
    // builder (its client included) costs the crate's build 0.5 s in
    // auto-trait proofs, for no change a caller can see
    out.line(&["let request = self.request().map_err(|error| error.with_operation(Self::OPERATION));"]);
    out.line(&["self.client.runtime().", parts.send, "(move || request)"]);
    out.close(&["}"]);
}

/// The statements that build `path`: literal pieces, and each path
/// parameter percent-encoded as one segment (see `wire::path_statements`,
/// which writes them all, for the parameters not handled here).
fn path(out: &mut Lines, op: &Operation, ctx: &Ctx) {
    // each piece: a literal, or the call that encodes a parameter
    let mut pieces: Vec<Arg> = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(l) => pieces.push(Arg::Text(l.clone())),
            PathPart::Param(index) => {
                let p = &op.params[*index];
                let value = match &p.ty {
                    Type::String => format!("&self.{}", p.rust),
                    Type::Secret => format!("self.{}.expose()", p.rust),
                    t if !matches!(t, Type::Array(_)) && is_display(t, ctx) => format!("&self.{}.to_string()", p.rust),
                    // arrays and JSON text: rare, laid out by prettyplease
                    _ => return out.statements(path_statements(op, ctx)),
                };
                let mut segment = Call::new("&::client_runtime::path_segment", [string(&p.wire), value]);
                segment.tail = "?".into();
                pieces.push(Arg::Call(segment));
            }
        }
    }
    let mut pieces = pieces.into_iter().peekable();
    match pieces.peek() {
        None => return out.line(&["let path = String::new();"]),
        Some(Arg::Text(first)) => {
            let first = string(first);
            pieces.next();
            // one literal: nothing to push, so not `mut`
            let head = if pieces.peek().is_none() { "let path = String::from" } else { "let mut path = String::from" };
            out.call_statement(&Call::new(head, [first]), ";");
        }
        Some(Arg::Call(_)) => out.line(&["let mut path = String::new();"]),
    }
    for piece in pieces {
        match piece {
            Arg::Text(literal) => {
                let mut chars = literal.chars();
                match (chars.next(), chars.next()) {
                    // `path.push('/')`, not `push_str("/")` (clippy)
                    (Some(c), None) => out.line(&["path.push(", &proc_macro2::Literal::character(c).to_string(), ");"]),
                    _ => out.call_statement(&Call::new("path.push_str", [string(&literal)]), ";"),
                }
            }
            segment => {
                let mut push = Call::new("path.push_str", None);
                push.args.push(segment);
                out.call_statement(&push, ";");
            }
        }
    }
}

/// A query, header or cookie parameter onto `request`: plain values as
/// text, the rest (arrays, objects, JSON) from [`add_param`].
fn param(out: &mut Lines, p: &Param, ctx: &Ctx) {
    let value = match &p.ty {
        _ if p.style == Style::Json => None,
        Type::Secret => Some("value.expose()"),
        t if !matches!(t, Type::Array(_)) && is_display(t, ctx) => Some("value"),
        _ => None,
    };
    let Some(value) = value else { return out.statements(add_param(p, ctx)) };
    let method = match p.location {
        Location::Query | Location::Path => "request.query",
        Location::Header => "request.header",
        Location::Cookie => "request.cookie",
    };
    let add = Call::new(method, [string(&p.wire), value.to_string()]);
    if p.required {
        out.open(&["{"]);
        out.line(&["let value = &self.", &p.rust, ";"]);
    } else {
        out.open(&["if let Some(value) = &self.", &p.rust, " {"]);
    }
    out.call_statement(&add, ";");
    out.close(&["}"]);
}

/// The body onto `request`: JSON and forms as text, the rest (vendor media
/// types, bytes, multipart) from [`add_body`].
fn body(out: &mut Lines, op: &Operation, ctx: &Ctx) {
    let Some(b) = &op.body else { return };
    let base = b.media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let plain_json = matches!(base.as_str(), "application/json" | "*/*" | "text/json");
    let simple = match b.kind {
        BodyKind::Json => b.also_form || plain_json,
        BodyKind::Form => true,
        _ => false,
    };
    if !simple {
        return out.statements(add_body(op, ctx));
    }
    if b.required {
        out.open(&["{"]);
        out.line(&["let body = &self.body;"]);
    } else {
        out.open(&["if let Some(body) = &self.body {"]);
    }
    if b.kind == BodyKind::Json && b.also_form {
        out.open(&["if self.form_encoded {"]);
        out.line(&["request.form_body(body)?;"]);
        out.reopen(&["} else {"]);
        out.line(&["request.json_body(body)?;"]);
        out.close(&["}"]);
    } else if b.kind == BodyKind::Form {
        out.line(&["request.form_body(body)?;"]);
    } else {
        out.line(&["request.json_body(body)?;"]);
    }
    out.close(&["}"]);
}

/// What `send` needs besides its statements (see [`builder`]), the
/// `into_stream` method of a paginated list, and the response enum when
/// there are several success responses.
struct RequestParts {
    /// `send`'s output type, as text.
    pub output: String,
    /// The runtime method that sends and decodes: `send_json` or `send`.
    pub send: &'static str,
    pub stream: Option<TokenStream>,
    pub response_enum: Option<(String, TokenStream)>,
}

fn request_parts(op: &Operation, ctx: &Ctx) -> RequestParts {
    let models = ctx.models();
    let (output, response_enum) = response_type(op, ctx);
    let (send, from_response) = send_call(op, &output);
    let response_enum = response_enum.map(|(name, tokens)| (name, quote!(#tokens #from_response)));
    let stream = op.pagination.as_ref().map(|pg| {
        let item = ty(&pg.item, &models);
        let items = format_ident!("{}", pg.items_field);
        let items_expr = if pg.items_optional { quote!(response.#items.unwrap_or_default()) } else { quote!(response.#items) };
        let total = match &pg.total_field {
            Some((f, integer, required)) => {
                let f = format_ident!("{}", f);
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
                let f = format_ident!("{}", f);
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
        let offset = format_ident!("{}", op.params.iter().find(|p| p.wire == "offset").map(|p| p.rust.as_str()).unwrap_or_default());
        let limit = format_ident!("{}", op.params.iter().find(|p| p.wire == "limit").map(|p| p.rust.as_str()).unwrap_or_default());
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
                let request = self.request().map_err(|error| error.with_operation(Self::OPERATION));
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
            /// The stream's `total()` is the list's total as the latest page
            /// gave it: once the stream ends, it tells whether every item came.
            #[inline]
            pub fn into_stream(self) -> ::client_runtime::Items<impl ::client_runtime::Stream<Item = Result<#item, ::client_runtime::Error>> + Send + 'static> {
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

            /// Every page, fetched lazily (`limit` items a page, 100 if unset),
            /// starting at `offset`, as the server sends them, for work done
            /// page by page: each page starts after the items received, until
            /// `total` or an empty page (not yielded). Items are decoded as by
            /// [`Self::send_items`] and not de-duplicated ([`Self::into_stream`]
            /// is the stream of items, each once); a server that ignores
            /// `offset` ends the stream with `Error::Pagination` (see
            /// `client_runtime::paginate_pages`).
            #[inline]
            pub fn into_pages(self) -> impl ::client_runtime::Stream<Item = Result<::client_runtime::Page<#item>, ::client_runtime::Error>> + Send + 'static {
                let start = self.#offset #from_param.unwrap_or(0);
                let page_size = self.#limit #from_param.unwrap_or(100);
                ::client_runtime::paginate_pages(start, page_size, move |offset, limit| {
                    let mut page = self.clone();
                    page.#offset = Some(#to_param);
                    page.#limit = Some(#to_limit);
                    page.send_items()
                })
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
            let ident_name = format_ident!("{}", name);
            let variants = several.iter().map(|r| {
                let v = format_ident!("{}", r.variant);
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
                let v = format_ident!("{}", r.variant);
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

fn add_body(op: &Operation, ctx: &Ctx) -> TokenStream {
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
