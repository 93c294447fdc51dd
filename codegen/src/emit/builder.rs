//! Each operation as text (see `text`): the client method that starts it,
//! the builder struct, its constructor, setters and `send`. What varies
//! too much to be worth writing as text (array and object parameters,
//! multipart and vendor bodies, `into_stream`, response enums) comes as
//! tokens from `operations`, laid out by prettyplease in place.

use super::docs::{doc_lines, paragraphs};
use super::operations::{self as ops, op_doc_text, Ctx};
use super::support::{arg_convert, arg_type, type_text};
use super::text::{string, Arg, Call, Lines, Piece, Place};
use crate::ir::{Body, BodyKind, Location, Operation, Param, PathPart, Style, Type};
use proc_macro2::TokenStream;

/// An operation's doc lines: summary, description, method and path.
pub fn op_doc_lines(op: &Operation) -> Vec<String> {
    doc_lines(op_doc_text(op).as_deref())
}

/// `name: conversion` in a struct literal, or just `name` when there is none.
pub(super) fn field_init(name: &str, t: &Type) -> String {
    match t {
        Type::String | Type::Secret | Type::Amount | Type::Named(_) | Type::Array(_) => format!("{name}: {}", arg_convert(t, name)),
        _ => name.to_string(),
    }
}

fn body_type(b: &Body, ctx: &Ctx) -> String {
    match b.kind {
        BodyKind::Bytes => "::client_runtime::Bytes".into(),
        _ => type_text(&b.ty, &ctx.models_text()),
    }
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

/// The client methods that start each operation: `impl Client { ... }`.
/// Each operation comes with its doc lines (see [`op_doc_lines`]), which
/// the client method and the builder share.
pub fn client_methods(ops: &[(&Operation, &[String])], ctx: &Ctx) -> Piece {
    let mut out = Lines::new();
    // rustdoc shows each impl block under its doc: the client's page is
    // grouped by resource (the spec's tag) this way
    if let Some((first, _)) = ops.first() {
        out.line(&["/// **", &first.tag, "**: operations tagged ", &super::docs::code(&first.tag), "."]);
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

/// A field of the builder for a parameter: `name: ` and its type.
fn param_field(p: &Param, ctx: &Ctx) -> (String, String) {
    let t = type_text(&p.ty, &ctx.models_text());
    let t = if p.required { t } else { format!("Option<{t}>") };
    (format!("{}: ", p.rust), t)
}

/// The builder struct and its impl, and the response enum (tokens) when
/// the operation has several success responses.
pub fn builder(op: &Operation, doc: &[String], ctx: &Ctx) -> ([Piece; 2], Option<(String, TokenStream)>) {
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
        out.doc(Some(&paragraphs(&[p.doc.as_deref(), Some(&set)]).unwrap_or_default()));
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
    let parts = ops::request_parts(op, ctx);
    send(&mut out, op, ctx, &parts);
    if let Some(stream) = parts.stream {
        out.impl_items(stream);
    }
    out.close(&["}"]);
    ([structure, out.finish()], parts.response_enum)
}

/// `request`, which builds the request (also what a typed mock matches on),
/// and `send`, which hands it to the runtime. Both `#[inline]`: compiled
/// only where `send` is called.
fn send(out: &mut Lines, op: &Operation, ctx: &Ctx, parts: &ops::RequestParts) {
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
    // named in its errors: the operation, its method and path template
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
    out.line(&["let request = self.request();"]);
    out.line(&["self.client.runtime().", parts.send, "(move || request)"]);
    out.close(&["}"]);
}

/// The statements that build `path`: literal pieces, and each path
/// parameter percent-encoded as one segment (see `operations::path_statements`,
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
                    t if !matches!(t, Type::Array(_)) && ops::is_display(t, ctx) => format!("&self.{}.to_string()", p.rust),
                    // arrays and JSON text: rare, laid out by prettyplease
                    _ => return out.statements(ops::path_statements(op, ctx)),
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
/// text, the rest (arrays, objects, JSON) from `operations::add_param`.
fn param(out: &mut Lines, p: &Param, ctx: &Ctx) {
    let value = match &p.ty {
        _ if p.style == Style::Json => None,
        Type::Secret => Some("value.expose()"),
        t if !matches!(t, Type::Array(_)) && ops::is_display(t, ctx) => Some("value"),
        _ => None,
    };
    let Some(value) = value else { return out.statements(ops::add_param(p, ctx)) };
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
/// types, bytes, multipart) from `operations::add_body`.
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
        return out.statements(ops::add_body(op, ctx));
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

/// `#[inline] pub fn name(mut self, arg: T) -> Self { self.name = Some(value); self }`
fn setter(out: &mut Lines, name: &str, arg: &str, arg_type: &str, value: &str) {
    out.line(&["#[inline]"]);
    out.signature(&format!("pub fn {name}"), &["mut self".to_string(), format!("{arg}: {arg_type}")], "Self");
    out.line(&["self.", name, " = Some(", value, ");"]);
    out.line(&["self"]);
    out.close(&["}"]);
}
