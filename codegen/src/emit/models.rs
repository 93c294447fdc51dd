//! One file per model: structs, open enums, unions, aliases.

use super::docs::{code, doc_attrs, paragraphs};
use super::types::{arg_convert, arg_type, ty};
use crate::code::Code;
use crate::ir::{EnumValue, Field, Model, ModelKind, Struct, Type, UnionTag, UnionVariant};
use crate::names;
use proc_macro2::{Ident, TokenStream};
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
fn field_type(f: &Field) -> TokenStream {
    let t = ty(&f.ty, &quote!(super));
    let t = if f.boxed { quote!(Box<#t>) } else { t };
    if f.tri_state {
        quote!(Option<Option<#t>>)
    } else if !f.required || f.nullable {
        quote!(Option<#t>)
    } else {
        t
    }
}

/// `pub name: Type,` with the field's doc, for each field.
fn field_declarations<'a>(fields: impl IntoIterator<Item = &'a Field>) -> TokenStream {
    let fields = fields.into_iter().map(|f| {
        let doc = doc_attrs(f.doc.as_deref());
        let n = format_ident!("{}", f.rust);
        let t = field_type(f);
        quote!(#doc pub #n: #t,)
    });
    quote!(#(#fields)*)
}

fn structure(model: &Model, s: &Struct) -> Code {
    let name = format_ident!("{}", model.name);
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let doc = doc_attrs(model.doc.as_deref());
    // nothing required: every field starts unset, which is `Default`
    let derive = if required.is_empty() {
        quote!(#[derive(Debug, Clone, Default, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    let fields = field_declarations(&s.fields);
    let additional = s.additional.as_ref().map(|a| {
        let t = ty(a, &quote!(super));
        quote! {
            /// Properties beyond the ones named above.
            pub additional_properties: ::std::collections::BTreeMap<String, #t>,
        }
    });
    let mut code = Code::from(quote! {
        #doc
        #derive
        #[non_exhaustive]
        pub struct #name {
            #fields
            #additional
        }
    });

    if let Some(required_type) = &s.required_type {
        code.push(required_struct(&model.name, required_type, &required));
    }

    let constructor = constructor(&model.name, s, &required);
    let setters = s.request.then(|| setters(s));
    code.push(quote! {
        impl #name {
            #constructor
            #setters
        }
    });
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
fn constructor(name: &str, s: &Struct, required: &[&Field]) -> TokenStream {
    let doc = if required.is_empty() {
        quote! {
            /// A value with every optional field unset.
        }
    } else if let Some(required_type) = &s.required_type {
        let first = format!(" A value from its required fields (a [`{required_type}`]);");
        quote! {
            #[doc = #first]
            /// optional fields start unset.
        }
    } else {
        quote! {
            /// A value from its required fields; optional fields start unset.
        }
    };
    let self_named = (name == "New").then(|| quote!(#[allow(clippy::self_named_constructors)]));
    let named = s.required_type.is_some();
    let inits = s.fields.iter().map(|f| {
        let n = format_ident!("{}", f.rust);
        match (f.required, named) {
            (true, true) => quote!(#n: required.#n),
            (true, false) => quote!(#n),
            (false, _) => quote!(#n: None),
        }
    });
    let additional = s.additional.as_ref().map(|_| quote!(additional_properties: ::std::collections::BTreeMap::new()));
    let inits = inits.chain(additional);
    let (args, converts) = if let Some(required_type) = &s.required_type {
        let t = format_ident!("{}", required_type);
        (vec![quote!(required: #t)], Vec::new())
    } else {
        // text only: `"10.50".parse()?` for an amount, or `x.into()` for a
        // named type, would no longer know its type behind an `impl Into`
        let converts = |f: &Field| !f.nullable && !f.boxed && !f.tri_state && matches!(f.ty, Type::String | Type::Secret);
        let args = required
            .iter()
            .map(|f| {
                let n = format_ident!("{}", f.rust);
                let t = if converts(f) { arg_type(&f.ty, &quote!(super)) } else { field_type(f) };
                quote!(#n: #t)
            })
            .collect();
        let conversions = required
            .iter()
            .filter(|f| converts(f))
            .map(|f| {
                let n = format_ident!("{}", f.rust);
                let value = arg_convert(&f.ty, &n);
                quote!(let #n = #value;)
            })
            .collect();
        (args, conversions)
    };
    quote! {
        #doc
        #self_named
        #[inline]
        pub fn new(#(#args),*) -> Self {
            #(#converts)*
            Self { #(#inits),* }
        }
    }
}

/// `<Model>Required`: the required fields of a model, each named, for
/// `new`. Not `#[non_exhaustive]`, so that it is built as a literal; a
/// new required field is a breaking change to the model all the same.
fn required_struct(name: &str, required_type: &str, required: &[&Field]) -> TokenStream {
    let doc = format!(" The required fields of [`{name}`], for [`{name}::new`]: each is named, and");
    let required_type = format_ident!("{}", required_type);
    let fields = field_declarations(required.iter().copied());
    quote! {
        #[doc = #doc]
        /// leaving one out is a compile error.
        #[derive(Debug, Clone, PartialEq)]
        pub struct #required_type {
            #fields
        }
    }
}

/// A request body's optional fields set one by one in a chain:
/// `CreateTransferRequest::new(amount, label).with_exec_date(day)` (a
/// struct literal is refused on a `#[non_exhaustive]` struct).
fn setters(s: &Struct) -> TokenStream {
    let value = format_ident!("value");
    let setters = s.fields.iter().filter(|f| !f.required).map(|f| {
        let n = format_ident!("{}", f.rust);
        let setter = format_ident!("with_{}", names::unraw(&f.rust));
        let arg = arg_type(&f.ty, &quote!(super));
        let mut converted = arg_convert(&f.ty, &value);
        if f.boxed {
            converted = quote!(Box::new(#converted));
        }
        let converted = if f.tri_state { quote!(Some(Some(#converted))) } else { quote!(Some(#converted)) };
        let doc = format!(" Sets {}; chainable.", code(&f.wire));
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn #setter(mut self, value: #arg) -> Self {
                self.#n = #converted;
                self
            }
        }
    });
    quote!(#(#setters)*)
}

/// `impl Serialize for name` whose `serialize` is `body`.
fn serialize_impl(name: &Ident, body: TokenStream) -> TokenStream {
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #body
            }
        }
    }
}

/// `impl Deserialize for name` whose `deserialize` is `body`.
fn deserialize_impl(name: &Ident, body: TokenStream) -> TokenStream {
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #body
            }
        }
    }
}

/// `Serialize` through `client_runtime::ser`: one call per field, unset
/// optional fields left out, as serde's derive with `skip_serializing_if`
/// would, with a fraction of the code to compile.
fn serialize_struct(model: &Model, s: &Struct) -> TokenStream {
    let name = format_ident!("{}", model.name);
    if s.fields.is_empty() && s.additional.is_none() {
        return serialize_impl(&name, quote!(::client_runtime::ser::Object::new(serializer).end()));
    }
    let fields = s.fields.iter().map(|f| {
        let n = format_ident!("{}", f.rust);
        let wire = &f.wire;
        // required and nullable: `null` is written; optional: left out when unset
        if f.required && !f.tri_state {
            quote!(object.field(#wire, &self.#n);)
        } else {
            quote!(object.optional(#wire, &self.#n);)
        }
    });
    let others = s.additional.as_ref().map(|_| quote!(object.others(&self.additional_properties);));
    serialize_impl(
        &name,
        quote! {
            let mut object = ::client_runtime::ser::Object::new(serializer);
            #(#fields)*
            #others
            object.end()
        },
    )
}

/// `Deserialize` through `client_runtime::de`: a loop over the keys and a
/// match on each key, with the same behaviour as serde's derive and
/// a fraction of the code to compile. Shaped for the type checker: a local
/// of known type per field, one call per arm, one `?` per key and one
/// `let ... else` per required field, so the cost stays linear in the
/// number of fields.
fn deserialize_struct(model: &Model, s: &Struct, code: &mut Code) {
    let name = format_ident!("{}", model.name);
    code.push(deserialize_impl(&name, quote!(::client_runtime::de::deserialize(deserializer))));

    // the locals are named like the fields; these must not collide with them
    let taken: Vec<&str> = s.fields.iter().map(|f| names::unraw(&f.rust)).collect();
    let map = format_ident!("{}", fresh("map", &taken));
    let key = format_ident!("{}", fresh("key", &taken));
    let other = format_ident!("{}", fresh("other", &taken));
    // a local per field, `None` until its key is read (so a second key of
    // the same name is an error, as with serde's derive); an optional field
    // that is not tri-state is read as tri-state (null is `Some(None)`) and
    // flattened at the end, for the same reason
    let read_as_tri_state = |f: &Field| is_option(f) && !f.tri_state;
    let locals = s.fields.iter().map(|f| {
        let n = format_ident!("{}", f.rust);
        let t = field_type(f);
        let t = if is_option(f) && !read_as_tri_state(f) { t } else { quote!(Option<#t>) };
        quote!(let mut #n: #t = None;)
    });
    let additional = s.additional.as_ref().map(|_| quote!(let mut additional_properties = ::std::collections::BTreeMap::new();));
    let arms = s.fields.iter().map(|f| {
        let n = format_ident!("{}", f.rust);
        let wire = &f.wire;
        let read = if is_option(f) { format_ident!("read_nullable") } else { format_ident!("read") };
        quote!(#wire => de::#read(&mut #map, #wire, &mut #n),)
    });
    let other_arm = match s.additional {
        Some(_) => quote!(#other => de::read_other(&mut #map, #other, &mut additional_properties),),
        None => quote!(_ => de::skip_value(&mut #map),),
    };
    let checks = s.fields.iter().filter(|f| !is_option(f)).map(|f| {
        let n = format_ident!("{}", f.rust);
        let wire = &f.wire;
        quote! {
            let Some(#n) = #n else {
                return Err(de::missing_field(#wire));
            };
        }
    });
    let inits = s.fields.iter().map(|f| {
        let n = format_ident!("{}", f.rust);
        if read_as_tri_state(f) {
            quote!(#n: #n.flatten())
        } else {
            quote!(#n)
        }
    });
    let inits = inits.chain(s.additional.as_ref().map(|_| quote!(additional_properties)));
    let name_text = &model.name;
    code.push(quote! {
        impl ::client_runtime::de::Object for #name {
            const NAME: &'static str = #name_text;
            // locals are named like the fields, whatever the spec calls them
            #[allow(clippy::disallowed_names)]
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(mut #map: A) -> Result<Self, A::Error> {
                use ::client_runtime::de;
                #(#locals)*
                #additional
                while let Some(#key) = de::next_key(&mut #map)? {
                    match &*#key {
                        #(#arms)*
                        #other_arm
                    }?;
                }
                #(#checks)*
                Ok(Self { #(#inits),* })
            }
        }
    });
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

/// Whether the field's Rust type is an `Option` (see [`field_type`]).
fn is_option(f: &Field) -> bool {
    f.tri_state || !f.required || f.nullable
}

fn open_enum(model: &Model, values: &[EnumValue]) -> Code {
    let name = format_ident!("{}", model.name);
    let doc = doc_attrs(paragraphs(&[model.doc.as_deref(), Some("Open: a value this client does not know is kept in `Unknown`.")]).as_deref());
    let variants: Vec<Ident> = values.iter().map(|v| format_ident!("{}", v.rust)).collect();
    let wires: Vec<&String> = values.iter().map(|v| &v.wire).collect();
    let docs = values.iter().map(|v| {
        let d = format!(" {}", code(&v.wire));
        quote!(#[doc = #d])
    });
    let mut code = Code::from(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #variants,)*
            /// A value not in the spec, kept as received.
            Unknown(String),
        }
    });
    code.push(quote! {
        impl #name {
            /// The value as it is on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(value) => value,
                }
            }
        }
    });
    code.push(quote! {
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            #[inline]
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(
                    match value {
                        #(#wires => Self::#variants,)*
                        other => Self::Unknown(other.to_owned()),
                    },
                )
            }
        }
    });
    code.push(quote! {
        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    });
    code.push(serialize_impl(&name, quote!(serializer.serialize_str(self.as_str()))));
    code.push(deserialize_impl(
        &name,
        quote! {
            let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
            match value.parse() {
                Ok(parsed) => Ok(parsed),
                Err(never) => match never {},
            }
        },
    ));
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
