//! The regular part of each operation, written as text (see `text`): the
//! client method that starts it, the builder struct, its constructor and
//! setters. `send` and `into_stream`, which vary with every operation, are
//! tokens from `operations`, laid out by prettyplease in place.

use super::docs::paragraphs;
use super::operations::{op_doc_text, request_methods, Ctx};
use super::support::type_text;
use super::text::{Lines, Piece};
use crate::ir::{Body, BodyKind, Operation, Param, Type};
use proc_macro2::TokenStream;

/// Parameter type in a constructor or setter argument: convenient `Into`s.
fn arg_type(t: &Type, models: &str) -> String {
    match t {
        Type::String | Type::Secret | Type::Named(_) => format!("impl Into<{}>", type_text(t, models)),
        Type::Array(item) => format!("impl IntoIterator<Item = {}>", type_text(item, models)),
        other => type_text(other, models),
    }
}

/// `value` converted from its [`arg_type`].
fn arg_convert(t: &Type, value: &str) -> String {
    match t {
        Type::String | Type::Secret | Type::Named(_) => format!("{value}.into()"),
        Type::Array(_) => format!("{value}.into_iter().collect()"),
        _ => value.to_string(),
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
            let init = match &p.ty {
                Type::String | Type::Secret | Type::Named(_) | Type::Array(_) => {
                    format!("{}: {}", p.rust, arg_convert(&p.ty, &p.rust))
                }
                _ => p.rust.clone(),
            };
            (p.rust.clone(), arg_type(&p.ty, &models), init)
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
pub fn client_methods(ops: &[&Operation], ctx: &Ctx) -> Piece {
    let mut out = Lines::new();
    out.open(&["impl ", &ctx.client_text(), " {"]);
    for op in ops {
        let args = required_args(op, ctx);
        out.doc(op_doc_text(op).as_deref());
        entry_attributes(&mut out, op.deprecated, args.len(), false);
        let mut params = vec!["&self".to_string()];
        params.extend(args.iter().map(|(n, t, _)| format!("{n}: {t}")));
        out.signature(&format!("pub fn {}", op.method_name), &params, &format!(" -> {} {{", op.type_name));
        let mut names = vec!["self".to_string()];
        names.extend(args.into_iter().map(|(n, _, _)| n));
        out.call(&format!("{}::new", op.type_name), &names, "");
        out.close(&["}"]);
    }
    out.close(&["}"]);
    out.finish()
}

/// A field of the builder for a parameter.
fn param_field(p: &Param, ctx: &Ctx) -> String {
    let t = type_text(&p.ty, &ctx.models_text());
    if p.required {
        format!("{}: {t},", p.rust)
    } else {
        format!("{}: Option<{t}>,", p.rust)
    }
}

/// The builder struct and its impl, and the response enum (tokens) when
/// the operation has several success responses.
pub fn builder(op: &Operation, ctx: &Ctx) -> ([Piece; 2], Option<(String, TokenStream)>) {
    let client = ctx.client_text();
    let name = &op.type_name;
    let mut out = Lines::new();
    out.doc(op_doc_text(op).as_deref());
    out.line(&["#[derive(Debug, Clone)]"]);
    out.line(&["#[must_use = \"a request does nothing until `.send().await`\"]"]);
    out.open(&["pub struct ", name, " {"]);
    out.line(&["client: ", &client, ","]);
    for p in &op.params {
        out.line(&[&param_field(p, ctx)]);
    }
    if let Some(b) = &op.body {
        let t = body_type(b, ctx);
        if b.required {
            out.line(&["body: ", &t, ","]);
        } else {
            out.line(&["body: Option<", &t, ">,"]);
        }
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
    out.signature("pub fn new", &params, " -> Self {");
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
    let (methods, response_enum) = request_methods(op, ctx);
    out.impl_items(methods);
    out.close(&["}"]);
    ([structure, out.finish()], response_enum)
}

/// `#[inline] pub fn name(mut self, arg: T) -> Self { self.name = Some(value); self }`
fn setter(out: &mut Lines, name: &str, arg: &str, arg_type: &str, value: &str) {
    out.line(&["#[inline]"]);
    out.signature(&format!("pub fn {name}"), &["mut self".to_string(), format!("{arg}: {arg_type}")], " -> Self {");
    out.line(&["self.", name, " = Some(", value, ");"]);
    out.line(&["self"]);
    out.close(&["}"]);
}
