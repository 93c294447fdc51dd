//! One file per model: structs, open enums, unions, aliases.

use super::docs::{code, doc_attrs, doc_lines, paragraphs};
use super::types::{arg_convert, arg_type, ty, type_text};
use crate::code::{string, Code, Lines, Piece, Place};
use crate::ir::{EnumValue, Field, Model, ModelKind, Struct, Type, UnionTag, UnionVariant};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn model_file(model: &Model) -> Code {
    let body = match &model.kind {
        ModelKind::Struct(s) => return structure(model, s),
        ModelKind::Enum(values) => return open_enum(model, values),
        ModelKind::Union { variants, tag: None } => union(model, variants),
        ModelKind::Union { variants, tag: Some(tag) } => tagged_union(model, variants, tag),
        ModelKind::ScalarUnion { scalars, constants } => scalar_union(model, scalars, constants),
        ModelKind::Alias(t) => {
            let doc = doc_attrs(model.doc.as_deref());
            let name = format_ident!("{}", model.name);
            let t = ty(t, &quote!(super));
            quote!(#doc pub type #name = #t;)
        }
        ModelKind::Newtype(t) => {
            let doc = doc_attrs(model.doc.as_deref());
            let name = format_ident!("{}", model.name);
            let t = ty(t, &quote!(super));
            quote! {
                #doc
                #[derive(Debug, Clone, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #t);
            }
        }
    };
    Code::from(body)
}

/// The field's full Rust type: boxed when recursive, optional, or tri-state.
fn field_type_text(f: &Field) -> String {
    let t = type_text(&f.ty, "super");
    let t = if f.boxed { format!("Box<{t}>") } else { t };
    if f.tri_state {
        format!("Option<Option<{t}>>")
    } else if !f.required || f.nullable {
        format!("Option<{t}>")
    } else {
        t
    }
}

fn structure(model: &Model, s: &Struct) -> Code {
    let name = &model.name;
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let mut out = Lines::new();
    out.doc_lines(&doc_lines(model.doc.as_deref()));
    // nothing required: every field starts unset, which is `Default`
    if required.is_empty() {
        out.line(&["#[derive(Debug, Clone, Default, PartialEq)]"]);
    } else {
        out.line(&["#[derive(Debug, Clone, PartialEq)]"]);
    }
    out.line(&["#[non_exhaustive]"]);
    if s.fields.is_empty() && s.additional.is_none() {
        out.line(&["pub struct ", name, " {}"]);
    } else {
        out.open(&["pub struct ", name, " {"]);
        for f in &s.fields {
            out.doc_lines(&doc_lines(f.doc.as_deref()));
            out.typed(&format!("pub {}: ", f.rust), &field_type_text(f), ",", Place::Field);
        }
        if let Some(a) = &s.additional {
            out.line(&["/// Properties beyond the ones named above."]);
            let t = format!("::std::collections::BTreeMap<String, {}>", type_text(a, "super"));
            out.typed("pub additional_properties: ", &t, ",", Place::Field);
        }
        out.close(&["}"]);
    }
    let mut code = Code(vec![out.finish()]);

    if let Some(required_type) = &s.required_type {
        code.push(required_struct(name, required_type, &required));
    }

    let mut out = Lines::new();
    out.open(&["impl ", name, " {"]);
    constructor(&mut out, name, s, &required);
    if s.request {
        setters(&mut out, s);
    }
    out.close(&["}"]);
    code.push(out.finish());
    // a file in a struct is sent as a multipart part; the serde impls are
    // there all the same (a struct that holds it may be JSON), and the
    // file's own say that it is no JSON (`client_runtime::FilePart`)
    code.push(serialize_struct(model, s));
    deserialize_struct(model, s, &mut code);
    code
}

/// `new`: from a struct of the required fields when there is one (see
/// `lower::Lowerer::name_required_fields`), else from at most a few
/// distinctly typed arguments, text taken as anything that converts (a
/// `&str`) the way the setters take it.
fn constructor(out: &mut Lines, name: &str, s: &Struct, required: &[&Field]) {
    if required.is_empty() {
        out.line(&["/// A value with every optional field unset."]);
    } else if let Some(required_type) = &s.required_type {
        out.line(&["/// A value from its required fields (a [`", required_type, "`]);"]);
        out.line(&["/// optional fields start unset."]);
    } else {
        out.line(&["/// A value from its required fields; optional fields start unset."]);
    }
    if name == "New" {
        out.line(&["#[allow(clippy::self_named_constructors)]"]);
    }
    out.line(&["#[inline]"]);
    let named = s.required_type.is_some();
    let mut inits: Vec<String> = s
        .fields
        .iter()
        .map(|f| match (f.required, named) {
            (true, true) => format!("{0}: required.{0}", f.rust),
            (true, false) => f.rust.clone(),
            (false, _) => format!("{}: None", f.rust),
        })
        .collect();
    if s.additional.is_some() {
        inits.push("additional_properties: ::std::collections::BTreeMap::new()".into());
    }
    if let Some(required_type) = &s.required_type {
        out.signature("pub fn new", &[format!("required: {required_type}")], "Self");
    } else {
        // text only: `"10.50".parse()?` for an amount, or `x.into()` for a
        // named type, would no longer know its type behind an `impl Into`
        let converts = |f: &Field| !f.nullable && !f.boxed && !f.tri_state && matches!(f.ty, Type::String | Type::Secret);
        let args: Vec<String> = required
            .iter()
            .map(|f| format!("{}: {}", f.rust, if converts(f) { arg_type(&f.ty, "super") } else { field_type_text(f) }))
            .collect();
        out.signature("pub fn new", &args, "Self");
        for f in required.iter().filter(|f| converts(f)) {
            out.line(&["let ", &f.rust, " = ", &arg_convert(&f.ty, &f.rust), ";"]);
        }
    }
    out.struct_literal("", "Self", &inits, "");
    out.close(&["}"]);
}

/// `<Model>Required`: the required fields of a model, each named, for
/// `new`. Not `#[non_exhaustive]`, so that it is built as a literal; a
/// new required field is a breaking change to the model all the same.
fn required_struct(name: &str, required_type: &str, required: &[&Field]) -> Piece {
    let mut out = Lines::new();
    out.line(&["/// The required fields of [`", name, "`], for [`", name, "::new`]: each is named, and"]);
    out.line(&["/// leaving one out is a compile error."]);
    out.line(&["#[derive(Debug, Clone, PartialEq)]"]);
    out.open(&["pub struct ", required_type, " {"]);
    for f in required {
        out.doc_lines(&doc_lines(f.doc.as_deref()));
        out.typed(&format!("pub {}: ", f.rust), &field_type_text(f), ",", Place::Field);
    }
    out.close(&["}"]);
    out.finish()
}

/// A request body's optional fields set one by one in a chain:
/// `CreateTransferRequest::new(amount, label).with_exec_date(day)` (a
/// struct literal is refused on a `#[non_exhaustive]` struct).
fn setters(out: &mut Lines, s: &Struct) {
    for f in s.fields.iter().filter(|f| !f.required) {
        let arg = arg_type(&f.ty, "super");
        let mut value = arg_convert(&f.ty, "value");
        if f.boxed {
            value = format!("Box::new({value})");
        }
        let value = if f.tri_state { format!("Some(Some({value}))") } else { format!("Some({value})") };
        out.line(&["/// Sets ", &code(&f.wire), "; chainable."]);
        out.line(&["#[inline]"]);
        let name = format!("pub fn with_{}", names::unraw(&f.rust));
        out.signature(&name, &["mut self".to_string(), format!("value: {arg}")], "Self");
        out.line(&["self.", &f.rust, " = ", &value, ";"]);
        out.line(&["self"]);
        out.close(&["}"]);
    }
}

/// `impl Serialize for name { fn serialize(..) {`: the body comes next.
fn open_serialize(out: &mut Lines, name: &str) {
    out.open(&["impl ::serde::Serialize for ", name, " {"]);
    let params = ["&self".to_string(), "serializer: S".to_string()];
    out.signature("fn serialize<S: ::serde::Serializer>", &params, "Result<S::Ok, S::Error>");
}

/// `impl Deserialize for name { fn deserialize(..) {`: the body comes next.
fn open_deserialize(out: &mut Lines, name: &str) {
    out.open(&["impl<'de> ::serde::Deserialize<'de> for ", name, " {"]);
    let params = ["deserializer: D".to_string()];
    out.signature("fn deserialize<D: ::serde::Deserializer<'de>>", &params, "Result<Self, D::Error>");
}

/// `Serialize` through `client_runtime::ser`: one call per field, unset
/// optional fields left out, as serde's derive with `skip_serializing_if`
/// would, with a fraction of the code to compile.
fn serialize_struct(model: &Model, s: &Struct) -> Piece {
    let mut out = Lines::new();
    open_serialize(&mut out, &model.name);
    if s.fields.is_empty() && s.additional.is_none() {
        out.line(&["::client_runtime::ser::Object::new(serializer).end()"]);
    } else {
        out.line(&["let mut object = ::client_runtime::ser::Object::new(serializer);"]);
        for f in &s.fields {
            // required and nullable: `null` is written; optional: left out when unset
            let call = if f.required && !f.tri_state { "object.field(" } else { "object.optional(" };
            out.line(&[call, &string(&f.wire), ", &self.", &f.rust, ");"]);
        }
        if s.additional.is_some() {
            out.line(&["object.others(&self.additional_properties);"]);
        }
        out.line(&["object.end()"]);
    }
    out.close(&["}"]);
    out.close(&["}"]);
    out.finish()
}

/// `Deserialize` through `client_runtime::de`: a loop over the keys and a
/// match on each key, with the same behaviour as serde's derive and
/// a fraction of the code to compile. Shaped for the type checker: a local
/// of known type per field, one call per arm, one `?` per key and one
/// `let ... else` per required field, so the cost stays linear in the
/// number of fields.
fn deserialize_struct(model: &Model, s: &Struct, code: &mut Code) {
    let name = &model.name;
    let mut out = Lines::new();
    open_deserialize(&mut out, name);
    out.line(&["::client_runtime::de::deserialize(deserializer)"]);
    out.close(&["}"]);
    out.close(&["}"]);
    code.push(out.finish());

    // the locals are named like the fields; these must not collide with them
    let taken: Vec<&str> = s.fields.iter().map(|f| names::unraw(&f.rust)).collect();
    let map = fresh("map", &taken);
    let key = fresh("key", &taken);
    let other = fresh("other", &taken);
    let mut out = Lines::new();
    out.open(&["impl ::client_runtime::de::Object for ", name, " {"]);
    out.line(&["const NAME: &'static str = ", &string(name), ";"]);
    // locals are named like the fields, whatever the spec calls them
    out.line(&["#[allow(clippy::disallowed_names)]"]);
    out.signature("fn from_map<'de, A: ::serde::de::MapAccess<'de>>", &[format!("mut {map}: A")], "Result<Self, A::Error>");
    out.line(&["use ::client_runtime::de;"]);
    // a local per field, `None` until its key is read (so a second key of
    // the same name is an error, as with serde's derive); an optional field
    // that is not tri-state is read as tri-state (null is `Some(None)`) and
    // flattened at the end, for the same reason
    let read_as_tri_state = |f: &Field| is_option(f) && !f.tri_state;
    for f in &s.fields {
        let t = field_type_text(f);
        let t = if is_option(f) && !read_as_tri_state(f) { t } else { format!("Option<{t}>") };
        out.typed(&format!("let mut {}: ", f.rust), &t, " = None;", Place::Statement);
    }
    if s.additional.is_some() {
        out.line(&["let mut additional_properties = ::std::collections::BTreeMap::new();"]);
    }
    out.open(&["while let Some(", &key, ") = de::next_key(&mut ", &map, ")? {"]);
    out.open(&["match &*", &key, " {"]);
    for f in &s.fields {
        let read = if is_option(f) { "read_nullable" } else { "read" };
        out.arm(&string(&f.wire), &format!("de::{read}(&mut {map}, {}, &mut {})", string(&f.wire), f.rust));
    }
    match s.additional {
        Some(_) => out.arm(&other, &format!("de::read_other(&mut {map}, {other}, &mut additional_properties)")),
        None => out.arm("_", &format!("de::skip_value(&mut {map})")),
    }
    out.close(&["}?;"]);
    out.close(&["}"]);
    for f in s.fields.iter().filter(|f| !is_option(f)) {
        out.open(&["let Some(", &f.rust, ") = ", &f.rust, " else {"]);
        out.line(&["return Err(de::missing_field(", &string(&f.wire), "));"]);
        out.close(&["};"]);
    }
    let mut inits: Vec<String> = s
        .fields
        .iter()
        .map(|f| if read_as_tri_state(f) { format!("{0}: {0}.flatten()", f.rust) } else { f.rust.clone() })
        .collect();
    if s.additional.is_some() {
        inits.push("additional_properties".into());
    }
    out.struct_literal("Ok(", "Self", &inits, ")");
    out.close(&["}"]);
    out.close(&["}"]);
    code.push(out.finish());
}

/// `base`, or `base_2`, `base_3`... whichever no field is named.
fn fresh(base: &str, taken: &[&str]) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name.as_str()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// Whether the field's Rust type is an `Option` (see [`field_type_text`]).
fn is_option(f: &Field) -> bool {
    f.tri_state || !f.required || f.nullable
}

fn open_enum(model: &Model, values: &[EnumValue]) -> Code {
    let name = &model.name;
    let mut out = Lines::new();
    out.doc_lines(&doc_lines(paragraphs(&[model.doc.as_deref(), Some("Open: a value this client does not know is kept in `Unknown`.")]).as_deref()));
    out.line(&["#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]"]);
    out.line(&["#[non_exhaustive]"]);
    out.open(&["pub enum ", name, " {"]);
    for v in values {
        out.doc_line(&format!(" {}", code(&v.wire)));
        out.line(&[&v.rust, ","]);
    }
    out.line(&["/// A value not in the spec, kept as received."]);
    out.line(&["Unknown(String),"]);
    out.close(&["}"]);
    let mut code = Code(vec![out.finish()]);

    let mut out = Lines::new();
    out.open(&["impl ", name, " {"]);
    out.line(&["/// The value as it is on the wire."]);
    out.line(&["#[inline]"]);
    out.open(&["pub fn as_str(&self) -> &str {"]);
    out.open(&["match self {"]);
    for v in values {
        out.arm(&format!("Self::{}", v.rust), &string(&v.wire));
    }
    out.line(&["Self::Unknown(value) => value,"]);
    out.close(&["}"]);
    out.close(&["}"]);
    out.close(&["}"]);
    code.push(out.finish());

    let mut out = Lines::new();
    out.open(&["impl ::std::str::FromStr for ", name, " {"]);
    out.line(&["type Err = ::std::convert::Infallible;"]);
    out.line(&["#[inline]"]);
    out.open(&["fn from_str(value: &str) -> Result<Self, Self::Err> {"]);
    out.open(&["Ok("]);
    out.open(&["match value {"]);
    for v in values {
        out.arm(&string(&v.wire), &format!("Self::{}", v.rust));
    }
    out.line(&["other => Self::Unknown(other.to_owned()),"]);
    out.close(&["},"]);
    out.close(&[")"]);
    out.close(&["}"]);
    out.close(&["}"]);
    code.push(out.finish());

    let mut out = Lines::new();
    out.open(&["impl ::std::fmt::Display for ", name, " {"]);
    out.line(&["#[inline]"]);
    out.signature("fn fmt", &["&self".into(), "f: &mut ::std::fmt::Formatter<'_>".into()], "::std::fmt::Result");
    out.line(&["f.write_str(self.as_str())"]);
    out.close(&["}"]);
    out.close(&["}"]);
    code.push(out.finish());

    let mut out = Lines::new();
    open_serialize(&mut out, name);
    out.line(&["serializer.serialize_str(self.as_str())"]);
    out.close(&["}"]);
    out.close(&["}"]);
    code.push(out.finish());

    let mut out = Lines::new();
    open_deserialize(&mut out, name);
    out.line(&["let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;"]);
    out.open(&["match value.parse() {"]);
    out.line(&["Ok(parsed) => Ok(parsed),"]);
    out.line(&["Err(never) => match never {}"]);
    out.close(&["}"]);
    out.close(&["}"]);
    out.close(&["}"]);
    code.push(out.finish());
    code
}

fn union(model: &Model, variants: &[UnionVariant]) -> TokenStream {
    let name = format_ident!("{}", model.name);
    let doc = doc_attrs(paragraphs(&[model.doc.as_deref(), Some("One of several shapes, tried in order when decoding.")]).as_deref());
    let vs = variants.iter().map(|v| {
        let n = format_ident!("{}", v.rust);
        let t = ty(&v.ty, &quote!(super));
        let t = if v.ty == Type::Named(model.name.clone()) { quote!(Box<#t>) } else { t };
        quote!(#n(#t),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#vs)*
        }
    }
}

/// A union with a discriminator: decoded by the value of its tag property,
/// an unknown value kept as JSON; encoded as the variant (which holds the tag).
fn tagged_union(model: &Model, variants: &[UnionVariant], tag: &UnionTag) -> TokenStream {
    let name = format_ident!("{}", model.name);
    let property = &tag.property;
    let chosen = format!("Chosen by its {} property; an unknown value is kept in `Unknown`.", code(property));
    let doc = doc_attrs(paragraphs(&[model.doc.as_deref(), Some(&chosen)]).as_deref());
    let vs = variants.iter().enumerate().map(|(i, v)| {
        let n = format_ident!("{}", v.rust);
        let t = ty(&v.ty, &quote!(super));
        let t = if v.ty == Type::Named(model.name.clone()) { quote!(Box<#t>) } else { t };
        let values: Vec<String> = tag.values.iter().filter(|(_, j)| *j == i).map(|(w, _)| code(w)).collect();
        let doc = (!values.is_empty()).then(|| {
            let d = format!(" {}: {}", code(property), values.join(", "));
            quote!(#[doc = #d])
        });
        quote!(#doc #n(#t),)
    });
    let arms = variants.iter().enumerate().filter_map(|(i, v)| {
        let values: Vec<&String> = tag.values.iter().filter(|(_, j)| *j == i).map(|(w, _)| w).collect();
        if values.is_empty() {
            return None;
        }
        let n = format_ident!("{}", v.rust);
        let wrap = if v.ty == Type::Named(model.name.clone()) {
            quote!(|value| Self::#n(Box::new(value)))
        } else {
            quote!(Self::#n)
        };
        Some(quote! {
            Some(#(#values)|*) => ::client_runtime::serde_json::from_value(value)
                .map(#wrap)
                .map_err(<D::Error as ::serde::de::Error>::custom),
        })
    });
    let unknown_doc = format!(" A {} this client does not know, kept as received.", code(property));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#vs)*
            #[doc = #unknown_doc]
            Unknown(::client_runtime::serde_json::Value),
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::client_runtime::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::client_runtime::serde_json::Value::as_str).map(ToOwned::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
    }
}

/// An id-or-keyword value such as a user id or `me`: prints as it goes in
/// a URL, decodes from either shape.
fn scalar_union(model: &Model, scalars: &[UnionVariant], constants: &[EnumValue]) -> TokenStream {
    let name = format_ident!("{}", model.name);
    let doc = doc_attrs(model.doc.as_deref());
    let scalar_variants = scalars.iter().map(|v| {
        let n = format_ident!("{}", v.rust);
        let t = ty(&v.ty, &quote!(super));
        quote!(#n(#t),)
    });
    let constant_variants = constants.iter().map(|c| {
        let n = format_ident!("{}", c.rust);
        let d = format!(" {}", code(&c.wire));
        quote!(#[doc = #d] #n,)
    });
    let display = scalars
        .iter()
        .map(|v| {
            let n = format_ident!("{}", v.rust);
            quote!(Self::#n(value) => ::std::fmt::Display::fmt(value, f),)
        })
        .chain(constants.iter().map(|c| {
            let n = format_ident!("{}", c.rust);
            let w = &c.wire;
            quote!(Self::#n => f.write_str(#w),)
        }));
    let serialize = scalars
        .iter()
        .map(|v| {
            let n = format_ident!("{}", v.rust);
            quote!(Self::#n(value) => ::serde::Serialize::serialize(value, serializer),)
        })
        .chain(constants.iter().map(|c| {
            let n = format_ident!("{}", c.rust);
            let w = &c.wire;
            quote!(Self::#n => serializer.serialize_str(#w),)
        }));
    let constant_arms = constants.iter().map(|c| {
        let n = format_ident!("{}", c.rust);
        let w = &c.wire;
        quote! {
            if value.as_str() == Some(#w) {
                return Ok(Self::#n);
            }
        }
    });
    let scalar_tries = scalars.iter().map(|v| {
        let n = format_ident!("{}", v.rust);
        quote! {
            if let Ok(parsed) = ::client_runtime::serde_json::from_value(value.clone()) {
                return Ok(Self::#n(parsed));
            }
        }
    });
    // `From` only where the scalar type is unambiguous
    let froms = scalars.iter().filter(|v| scalars.iter().filter(|w| w.ty == v.ty).count() == 1).map(|v| {
        let n = format_ident!("{}", v.rust);
        let t = ty(&v.ty, &quote!(super));
        quote! {
            impl From<#t> for #name {
                fn from(value: #t) -> Self {
                    Self::#n(value)
                }
            }
        }
    });
    let expected = format!("a value of {}", model.name);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#scalar_variants)*
            #(#constant_variants)*
        }

        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display)*
                }
            }
        }

        #(#froms)*

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::client_runtime::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #(#constant_arms)*
                #(#scalar_tries)*
                Err(<D::Error as ::serde::de::Error>::custom(::std::format!("expected {}, found {}", #expected, value)))
            }
        }
    }
}
