//! Rust types of IR things, shared by every output: types, constructor
//! arguments and their conversions, and every type of one operation
//! ([`operation_types`]). Identifiers are quote's `format_ident!`, which
//! makes a sanitised `r#` name (see `names`) a raw identifier.

use crate::ir::{BodyKind, Operation, ResponseContent, Type};
use proc_macro2::{Ident, TokenStream};
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

/// Parameter type in a constructor or setter argument: convenient `Into`s.
pub fn arg_type(t: &Type, models: &TokenStream) -> TokenStream {
    match t {
        Type::String | Type::Secret | Type::Amount | Type::Named(_) => {
            let t = ty(t, models);
            quote!(impl Into<#t>)
        }
        // strings as anything that turns into one (`["a", "b"]`)
        Type::Array(item) if **item == Type::String => quote!(impl IntoIterator<Item = impl Into<String>>),
        Type::Array(item) => {
            let item = ty(item, models);
            quote!(impl IntoIterator<Item = #item>)
        }
        other => ty(other, models),
    }
}

/// `value` converted from its [`arg_type`].
pub fn arg_convert(t: &Type, value: &Ident) -> TokenStream {
    match t {
        Type::String | Type::Secret | Type::Amount | Type::Named(_) => quote!(#value.into()),
        Type::Array(item) if **item == Type::String => quote!(#value.into_iter().map(Into::into).collect()),
        Type::Array(_) => quote!(#value.into_iter().collect()),
        _ => quote!(#value),
    }
}

/// `name: conversion` in a struct literal, or just `name` when there is none.
pub fn field_init(name: &Ident, t: &Type) -> TokenStream {
    match t {
        Type::String | Type::Secret | Type::Amount | Type::Named(_) | Type::Array(_) => {
            let value = arg_convert(t, name);
            quote!(#name: #value)
        }
        _ => quote!(#name),
    }
}

/// Every type one operation's code names, worked out before its code is
/// written: the builder's fields, constructor and setters, `send`'s
/// output, the response enum's variants and the paging methods' items.
pub struct OperationTypes {
    /// One per parameter, in the operation's order.
    pub params: Vec<ParamTypes>,
    /// The body's type, when there is a body (not wrapped in `Option`).
    pub body: Option<TokenStream>,
    /// `send`'s output.
    pub output: TokenStream,
    /// Each success response's content type (`None`: no content).
    pub responses: Vec<Option<TokenStream>>,
    /// A paginated list's item type.
    pub page_item: Option<TokenStream>,
}

/// A parameter's types in its builder.
pub struct ParamTypes {
    /// The builder field's type (in `Option` when the parameter is optional).
    pub field: TokenStream,
    /// The argument type of its constructor argument or setter ([`arg_type`]).
    pub arg: TokenStream,
    /// A setter's `value` converted to the field's type ([`arg_convert`]).
    pub set: TokenStream,
    /// Its initialiser in the constructor ([`field_init`]).
    pub init: TokenStream,
}

/// Every type of `op`'s code; `models` is the path to the models module
/// from the operation's file.
pub fn operation_types(op: &Operation, models: &TokenStream) -> OperationTypes {
    let value = format_ident!("value");
    let params = op
        .params
        .iter()
        .map(|p| {
            let t = ty(&p.ty, models);
            ParamTypes {
                field: if p.required { t } else { quote!(Option<#t>) },
                arg: arg_type(&p.ty, models),
                set: arg_convert(&p.ty, &value),
                init: field_init(&format_ident!("{}", p.rust), &p.ty),
            }
        })
        .collect();
    let body = op.body.as_ref().map(|b| match b.kind {
        BodyKind::Bytes => quote!(::client_runtime::Bytes),
        _ => ty(&b.ty, models),
    });
    let responses: Vec<Option<TokenStream>> = op
        .responses
        .iter()
        .map(|r| match &r.content {
            ResponseContent::None => None,
            ResponseContent::Json(t) => Some(ty(t, models)),
            ResponseContent::Text => Some(quote!(String)),
            ResponseContent::Bytes => Some(quote!(::client_runtime::Bytes)),
        })
        .collect();
    let output = match responses.as_slice() {
        [] => quote!(()),
        [one] => one.clone().unwrap_or(quote!(())),
        _ => {
            let name = format_ident!("{}", op.response_type_name);
            quote!(#name)
        }
    };
    let page_item = op.pagination.as_ref().map(|pg| ty(&pg.item, models));
    OperationTypes { params, body, output, responses, page_item }
}

