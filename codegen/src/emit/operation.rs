//! Operations, one file per tag (or, for a long tag, per operation): for
//! each, a method on the client that starts it, its request builder
//! (required parameters in the constructor, optional ones as setters,
//! `.send().await`), and a response enum where several success statuses
//! exist. The regular parts are written as text ([`Lines`]); what varies
//! too much to be worth it (array and object parameters, multipart and
//! vendor bodies, `into_stream`, response enums) as tokens, laid out by
//! prettyplease in place.
//!
//! An operation is emitted in phases, each the job of one module below
//! this one: its types ([`operation_types`]), its docs ([`operation_docs`]),
//! the statements that put it on the request ([`request_statements`]) and
//! what comes back ([`response_code`]); then [`builder`] lays it all out.
//! So an operation goes through each module once, and each module sees
//! the whole operation.

use super::docs::{code, operation_docs};
use super::response::response_code;
use super::types::operation_types;
use super::wire::{request_statements, BodyStatement, Ctx, ParamStatement, PathPiece, PathStatements, PlainBody};
use crate::code::{string, Arg, Call, Code, Lines, Piece, Place};
use crate::ir::Operation;
use proc_macro2::TokenStream;
use quote::quote;

/// What an operation emits, whichever file it goes in: operations files
/// name the generated root `root` (see [`root_import`]), so the same text
/// serves a tag's file and, split, the operation's own file.
pub struct EmittedOp<'a> {
    op: &'a Operation,
    /// The operation's doc lines, shared by its client method and builder.
    doc: Vec<String>,
    /// The constructor's arguments, which the client method takes too:
    /// (name, type).
    args: Vec<(String, String)>,
    response_enum: Option<(String, TokenStream)>,
    builder: [Piece; 2],
}

/// Emits each operation once (with a [`Ctx::rooted`] context).
pub fn emit_ops<'a>(ops: &[&'a Operation], ctx: &Ctx) -> Vec<EmittedOp<'a>> {
    ops.iter().map(|op| builder(op, ctx)).collect()
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
    code.push(client_methods(ops, true, ctx));
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
    code.push(client_methods(std::slice::from_ref(&e), tag_header, ctx));
    if let Some((name, tokens)) = e.response_enum {
        exported.push(name);
        code.push(Piece::Tokens(tokens));
    }
    code.0.extend(e.builder);
    (code, exported)
}

/// The client methods that start each operation: `impl Client { ... }`.
fn client_methods(ops: &[EmittedOp], tag_header: bool, ctx: &Ctx) -> Piece {
    let mut out = Lines::new();
    // rustdoc shows each impl block under its doc: the client's page is
    // grouped by resource (the spec's tag) this way
    if let Some(first) = ops.first().filter(|_| tag_header) {
        out.line(&["/// **", &first.op.tag, "**: operations tagged ", &code(&first.op.tag), "."]);
    }
    out.open(&["impl ", &ctx.client_text(), " {"]);
    for EmittedOp { op, doc, args, .. } in ops {
        out.doc_lines(doc);
        for attribute in entry_attributes(op.deprecated, args.len(), false) {
            out.line(&[attribute]);
        }
        let mut params = vec!["&self".to_string()];
        params.extend(args.iter().map(|(n, t)| format!("{n}: {t}")));
        out.signature(&format!("pub fn {}", op.method_name), &params, &op.type_name);
        let mut names = vec!["self".to_string()];
        names.extend(args.iter().map(|(n, _)| n.clone()));
        out.call_statement(&Call::new(&format!("{}::new", op.type_name), names), "");
        out.close(&["}"]);
    }
    out.close(&["}"]);
    out.finish()
}

/// The attributes of an entry point: `#[deprecated]` (only there, so that
/// generated code never warns about itself), and clippy's allowances.
fn entry_attributes(deprecated: bool, args: usize, self_named: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if deprecated {
        out.push("#[deprecated]");
    }
    if args > 6 {
        out.push("#[allow(clippy::too_many_arguments)]");
    }
    if self_named {
        out.push("#[allow(clippy::self_named_constructors)]");
    }
    out.push("#[inline]");
    out
}

/// The builder struct and its impl, and the response enum (tokens) when
/// the operation has several success responses: the phases (see the
/// module's docs), then the layout, item by item.
fn builder<'a>(op: &'a Operation, ctx: &Ctx) -> EmittedOp<'a> {
    // the constructor's arguments: required parameters, then a required body
    let required = op.params.iter().filter(|p| p.required).count() + usize::from(op.body.as_ref().is_some_and(|b| b.required));
    let new_attributes = entry_attributes(false, required, op.type_name == "New");
    // named by every error of the call, whichever stage it comes from (the
    // label never goes on the wire; api-diff reads it as the request built)
    let operation = format!("{} ({} {})", op.operation_id, op.http_method, op.path);

    let types = operation_types(op, &ctx.models_text(), &ctx.models());
    let docs = operation_docs(op);
    let request = request_statements(op, ctx);
    let response = response_code(op, &types, &docs);

    // (name, type, initialiser) of each constructor argument
    let mut args: Vec<(&str, &str, &str)> = op
        .params
        .iter()
        .zip(&types.params)
        .filter(|(p, _)| p.required)
        .map(|(p, t)| (p.rust.as_str(), t.arg.as_str(), t.init.as_str()))
        .collect();
    if let (Some(b), Some(t)) = (&op.body, &types.body) {
        if b.required {
            args.push(("body", t, "body"));
        }
    }
    let client = ctx.client_text();
    let name = &op.type_name;

    // the struct
    let mut out = Lines::new();
    out.doc_lines(&docs.operation);
    out.line(&["#[derive(Debug, Clone)]"]);
    out.line(&["#[must_use = \"a request does nothing until `.send().await`\"]"]);
    out.open(&["pub struct ", name, " {"]);
    out.line(&["client: ", &client, ","]);
    for (p, t) in op.params.iter().zip(&types.params) {
        out.typed(&format!("{}: ", p.rust), &t.field, ",", Place::Field);
    }
    if let (Some(b), Some(t)) = (&op.body, &types.body) {
        let t = if b.required { t.clone() } else { format!("Option<{t}>") };
        out.typed("body: ", &t, ",", Place::Field);
        if b.also_form {
            out.line(&["form_encoded: bool,"]);
        }
    }
    out.line(&["timeout: Option<::std::time::Duration>,"]);
    out.close(&["}"]);
    let structure = out.finish();

    // the impl: `OPERATION` and the constructor
    let mut out = Lines::new();
    out.open(&["impl ", name, " {"]);
    out.impl_items(quote! {
        /// The operation, as its errors name it: its id, method and path template.
        pub const OPERATION: &'static str = #operation;
    });
    out.line(&["/// Starts the request with its required parameters."]);
    for attribute in &new_attributes {
        out.line(&[attribute]);
    }
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

    // the setters: `#[inline] pub fn name(mut self, arg: T) -> Self { self.name = Some(value); self }`
    let setter = |out: &mut Lines, name: &str, arg: &str, arg_type: &str, value: &str| {
        out.line(&["#[inline]"]);
        out.signature(&format!("pub fn {name}"), &["mut self".to_string(), format!("{arg}: {arg_type}")], "Self");
        out.line(&["self.", name, " = Some(", value, ");"]);
        out.line(&["self"]);
        out.close(&["}"]);
    };
    for ((p, t), doc) in op.params.iter().zip(&types.params).zip(&docs.setters) {
        if !p.required {
            out.doc_lines(doc);
            setter(&mut out, &p.rust, "value", &t.arg, &t.set);
        }
    }
    if let (Some(b), Some(t)) = (&op.body, &types.body) {
        if !b.required {
            out.line(&["/// Sets the request body."]);
            setter(&mut out, "body", "body", t, "body");
        }
        if b.also_form {
            out.line(&["/// Sends the body as `application/x-www-form-urlencoded` instead of JSON."]);
            out.line(&["#[inline]"]);
            out.open(&["pub fn form_encoded(mut self) -> Self {"]);
            out.line(&["self.form_encoded = true;"]);
            out.line(&["self"]);
            out.close(&["}"]);
        }
    }
    out.line(&["/// Overrides the client's timeout for this request."]);
    setter(&mut out, "timeout", "timeout", "::std::time::Duration", "timeout");

    // `request`, which builds the request (also what a typed mock matches
    // on), and `send`, which hands it to the runtime. Both `#[inline]`:
    // compiled only where `send` is called.
    out.line(&["/// The request [`Self::send`] sends: what typed mocks match on."]);
    out.line(&["#[inline]"]);
    out.signature(
        "pub(crate) fn request",
        &["&self".to_string()],
        "Result<::client_runtime::Request, ::client_runtime::Error>",
    );
    match request.path {
        PathStatements::Tokens(statements) => out.statements(statements),
        PathStatements::Pieces(pieces) => {
            // each piece: a literal, or the call that encodes a parameter
            let mut pieces = pieces
                .into_iter()
                .map(|piece| match piece {
                    PathPiece::Literal(l) => Arg::Text(l),
                    PathPiece::Segment { wire, value } => {
                        let mut segment = Call::new("&::client_runtime::path_segment", [string(&wire), value]);
                        segment.tail = "?".into();
                        Arg::Call(segment)
                    }
                })
                .peekable();
            match pieces.peek() {
                None => out.line(&["let path = String::new();"]),
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
    }
    let method = format!("::client_runtime::Method::{}", op.http_method);
    let label = string(&operation);
    out.call_statement(&Call::new("let mut request = ::client_runtime::Request::of", [label, method, "path".into()]), ";");
    if let Some(seconds) = op.timeout_seconds {
        let timeout = format!("::std::time::Duration::from_secs({seconds})");
        out.call_statement(&Call::new("request.default_timeout", [timeout]), ";");
    }
    for param in request.params {
        match param {
            ParamStatement::Tokens(statements) => out.statements(statements),
            ParamStatement::Plain { method, wire, value, field, required } => {
                if required {
                    out.open(&["{"]);
                    out.line(&["let value = &self.", &field, ";"]);
                } else {
                    out.open(&["if let Some(value) = &self.", &field, " {"]);
                }
                out.call_statement(&Call::new(method, [string(&wire), value.to_string()]), ";");
                out.close(&["}"]);
            }
        }
    }
    match request.body {
        None => {}
        Some(BodyStatement::Tokens(statements)) => out.statements(statements),
        Some(BodyStatement::Plain { send, required }) => {
            if required {
                out.open(&["{"]);
                out.line(&["let body = &self.body;"]);
            } else {
                out.open(&["if let Some(body) = &self.body {"]);
            }
            match send {
                PlainBody::JsonOrForm => {
                    out.open(&["if self.form_encoded {"]);
                    out.line(&["request.form_body(body)?;"]);
                    out.reopen(&["} else {"]);
                    out.line(&["request.json_body(body)?;"]);
                    out.close(&["}"]);
                }
                PlainBody::Form => out.line(&["request.form_body(body)?;"]),
                PlainBody::Json => out.line(&["request.json_body(body)?;"]),
            }
            out.close(&["}"]);
        }
    }
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
    let output = format!("impl ::client_runtime::ResponseFuture<{}>", types.output);
    out.signature("pub fn send", &["self".to_string()], &output);
    // built here, handed over as a value: a closure capturing the whole
    // builder (its client included) costs the crate's build 0.5 s in
    // auto-trait proofs, for no change a caller can see
    out.line(&["let request = self.request().map_err(|error| error.with_operation(Self::OPERATION));"]);
    out.line(&["self.client.runtime().", response.send, "(move || request)"]);
    out.close(&["}"]);
    if let Some(stream) = response.stream {
        out.impl_items(stream);
    }
    out.close(&["}"]);

    let args = args.into_iter().map(|(n, t, _)| (n.to_string(), t.to_string())).collect();
    EmittedOp { op, doc: docs.operation, args, response_enum: response.response_enum, builder: [structure, out.finish()] }
}
