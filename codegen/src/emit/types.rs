//! Rust types of IR things, shared by every output: types (as tokens and
//! as text), constructor arguments and their conversions. Identifiers are
//! quote's `format_ident!`, which makes a sanitised `r#` name (see
//! `names`) a raw identifier.

use crate::ir::{BodyKind, Operation, ResponseContent, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// A type named `New` (a schema or operation called `new`) has a `new`
/// constructor like every other: clippy's `self_named_constructors` is moot.
pub fn self_named_new(type_name: &str) -> Option<TokenStream> {
    (type_name == "New").then(|| quote!(#[allow(clippy::self_named_constructors)]))
}

/// The Rust type for an IR type; `models` is the path to the models module
/// from the file being written (`super` in models, `models` elsewhere).
pub fn ty(t: &Type, models: &TokenStream) -> TokenStream {
    match t {
        Type::String => quote!(String),
        Type::Secret => quote!(::client_runtime::Secret),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::F32 => quote!(f32),
        Type::F64 => quote!(f64),
        Type::Amount => quote!(::client_runtime::Amount),
        Type::Bool => quote!(bool),
        Type::Date => quote!(::client_runtime::Date),
        Type::DateTime => quote!(::client_runtime::SqlDateTime),
        Type::Binary => quote!(::client_runtime::FilePart),
        Type::Any => quote!(::client_runtime::serde_json::Value),
        Type::JsonObject => {
            quote!(::client_runtime::serde_json::Map<String, ::client_runtime::serde_json::Value>)
        }
        Type::Array(inner) => {
            let inner = ty(inner, models);
            quote!(Vec<#inner>)
        }
        Type::Map(inner) => {
            let inner = ty(inner, models);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        Type::Named(n) => {
            let n = format_ident!("{}", n);
            quote!(#models::#n)
        }
        Type::Nullable(inner) => {
            let inner = ty(inner, models);
            quote!(Option<#inner>)
        }
    }
}

/// [`ty`] as text, as prettyplease prints it.
pub fn type_text(t: &Type, models: &str) -> String {
    match t {
        Type::String => "String".into(),
        Type::Secret => "::client_runtime::Secret".into(),
        Type::I32 => "i32".into(),
        Type::I64 => "i64".into(),
        Type::F32 => "f32".into(),
        Type::F64 => "f64".into(),
        Type::Amount => "::client_runtime::Amount".into(),
        Type::Bool => "bool".into(),
        Type::Date => "::client_runtime::Date".into(),
        Type::DateTime => "::client_runtime::SqlDateTime".into(),
        Type::Binary => "::client_runtime::FilePart".into(),
        Type::Any => "::client_runtime::serde_json::Value".into(),
        Type::JsonObject => "::client_runtime::serde_json::Map<String, ::client_runtime::serde_json::Value>".into(),
        Type::Array(inner) => format!("Vec<{}>", type_text(inner, models)),
        Type::Map(inner) => format!("::std::collections::BTreeMap<String, {}>", type_text(inner, models)),
        Type::Named(n) => format!("{models}::{n}"),
        Type::Nullable(inner) => format!("Option<{}>", type_text(inner, models)),
    }
}

/// Parameter type in a constructor or setter argument: convenient `Into`s.
pub fn arg_type(t: &Type, models: &str) -> String {
    match t {
        Type::String | Type::Secret | Type::Amount | Type::Named(_) => format!("impl Into<{}>", type_text(t, models)),
        // strings as anything that turns into one (`["a", "b"]`)
        Type::Array(item) if **item == Type::String => "impl IntoIterator<Item = impl Into<String>>".to_string(),
        Type::Array(item) => format!("impl IntoIterator<Item = {}>", type_text(item, models)),
        other => type_text(other, models),
    }
}

/// `value` converted from its [`arg_type`].
pub fn arg_convert(t: &Type, value: &str) -> String {
    match t {
        Type::String | Type::Secret | Type::Amount | Type::Named(_) => format!("{value}.into()"),
        Type::Array(item) if **item == Type::String => format!("{value}.into_iter().map(Into::into).collect()"),
        Type::Array(_) => format!("{value}.into_iter().collect()"),
        _ => value.to_string(),
    }
}

/// `name: conversion` in a struct literal, or just `name` when there is none.
pub fn field_init(name: &str, t: &Type) -> String {
    match t {
        Type::String | Type::Secret | Type::Amount | Type::Named(_) | Type::Array(_) => format!("{name}: {}", arg_convert(t, name)),
        _ => name.to_string(),
    }
}

/// Every type one operation's code names, worked out before its code is
/// laid out: as text for the builder (fields, constructor, setters, `send`)
/// and as tokens for the response enum and the paging methods.
pub struct OperationTypes {
    /// One per parameter, in the operation's order.
    pub params: Vec<ParamTypes>,
    /// The body's type, when there is a body (not wrapped in `Option`).
    pub body: Option<String>,
    /// `send`'s output, as text.
    pub output: String,
    /// `send`'s output, as tokens.
    pub output_tokens: TokenStream,
    /// Each success response's content type (`None`: no content).
    pub responses: Vec<Option<TokenStream>>,
    /// A paginated list's item type.
    pub page_item: Option<TokenStream>,
}

/// A parameter's types in its builder.
pub struct ParamTypes {
    /// The builder field's type (in `Option` when the parameter is optional).
    pub field: String,
    /// The argument type of its constructor argument or setter ([`arg_type`]).
    pub arg: String,
    /// A setter's `value` converted to the field's type ([`arg_convert`]).
    pub set: String,
    /// Its initialiser in the constructor ([`field_init`]).
    pub init: String,
}

/// Every type of `op`'s code; `models` (text and tokens) is the path to
/// the models module from the operation's file.
pub fn operation_types(op: &Operation, models_text: &str, models: &TokenStream) -> OperationTypes {
    let params = op
        .params
        .iter()
        .map(|p| {
            let t = type_text(&p.ty, models_text);
            ParamTypes {
                field: if p.required { t } else { format!("Option<{t}>") },
                arg: arg_type(&p.ty, models_text),
                set: arg_convert(&p.ty, "value"),
                init: field_init(&p.rust, &p.ty),
            }
        })
        .collect();
    let body = op.body.as_ref().map(|b| match b.kind {
        BodyKind::Bytes => "::client_runtime::Bytes".to_string(),
        _ => type_text(&b.ty, models_text),
    });
    let content = |c: &ResponseContent| match c {
        ResponseContent::None => None,
        ResponseContent::Json(t) => Some(ty(t, models)),
        ResponseContent::Text => Some(quote!(String)),
        ResponseContent::Bytes => Some(quote!(::client_runtime::Bytes)),
    };
    let responses: Vec<Option<TokenStream>> = op.responses.iter().map(|r| content(&r.content)).collect();
    let (output, output_tokens) = match (op.responses.as_slice(), responses.as_slice()) {
        ([], _) => ("()".to_string(), quote!(())),
        ([one], [tokens]) => {
            let text = match &one.content {
                ResponseContent::None => "()".to_string(),
                ResponseContent::Json(t) => type_text(t, models_text),
                ResponseContent::Text => "String".to_string(),
                ResponseContent::Bytes => "::client_runtime::Bytes".to_string(),
            };
            (text, tokens.clone().unwrap_or(quote!(())))
        }
        _ => {
            let name = format_ident!("{}", op.response_type_name);
            (op.response_type_name.clone(), quote!(#name))
        }
    };
    let page_item = op.pagination.as_ref().map(|pg| ty(&pg.item, models));
    OperationTypes { params, body, output, output_tokens, responses, page_item }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text and the token forms of a type are the same tokens.
    #[test]
    fn type_text_matches_ty() {
        let leaves = [
            Type::String,
            Type::Secret,
            Type::I32,
            Type::I64,
            Type::F32,
            Type::F64,
            Type::Amount,
            Type::Bool,
            Type::Date,
            Type::DateTime,
            Type::Binary,
            Type::Any,
            Type::JsonObject,
            Type::Named("Account".into()),
        ];
        let mut types: Vec<Type> = leaves.to_vec();
        for leaf in &leaves {
            types.push(Type::Array(Box::new(leaf.clone())));
            types.push(Type::Map(Box::new(leaf.clone())));
            types.push(Type::Nullable(Box::new(Type::Array(Box::new(Type::Map(Box::new(leaf.clone())))))));
        }
        for t in &types {
            // the same tokens, whatever the spacing between them
            let compact = |s: String| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let tokens = compact(ty(t, &quote!(root::models)).to_string());
            let text: TokenStream = type_text(t, "root::models").parse().expect("lexes");
            assert_eq!(compact(text.to_string()), tokens, "{t:?}");
        }
    }
}
