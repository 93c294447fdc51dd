//! `webview.rs`: the operations a browser opens (`x-webview`), as URL
//! builders and parsers of the callback they come back with.

use super::docs::{code, doc_attrs, operation_doc, paragraphs};
use super::types::{arg_convert, arg_type, field_init, self_named_new, ty};
use super::wire::{display_value, joined, path_statements, Ctx};
use crate::ir::{Location, Operation, Param, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `#[deprecated]` goes on the entry points only (the client method, a
/// webview's `new`), so generated code never warns about itself.
fn deprecated(op: &Operation) -> TokenStream {
    if op.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    }
}

/// `webview.rs`: URL builders for browser flows, and their callback parsers.
pub fn webview_file(ops: &[&Operation], ctx: &Ctx) -> TokenStream {
    let models = ctx.models();
    let items = ops.iter().map(|op| {
        let name = format_ident!("{}", op.type_name);
        let doc = doc_attrs(operation_doc(op).as_deref());
        // path parameters (filled into the path) and query parameters
        let query: Vec<&Param> = op.params.iter().filter(|p| matches!(p.location, Location::Query | Location::Path)).collect();
        let fields = query.iter().map(|p| {
            let n = format_ident!("{}", p.rust);
            let t = ty(&p.ty, &models);
            let t = if p.required { t } else { quote!(Option<#t>) };
            quote!(#n: #t,)
        });
        let required: Vec<&&Param> = query.iter().filter(|p| p.required).collect();
        let args = required.iter().map(|p| {
            let n = format_ident!("{}", p.rust);
            let t = arg_type(&p.ty, &models);
            quote!(#n: #t)
        });
        let inits = query.iter().map(|p| {
            let n = format_ident!("{}", p.rust);
            if p.required {
                let init = field_init(&n, &p.ty);
                quote!(#init,)
            } else {
                quote!(#n: None,)
            }
        });
        let setters = query.iter().filter(|p| !p.required).map(|p| {
            let n = format_ident!("{}", p.rust);
            let t = arg_type(&p.ty, &models);
            let conv = arg_convert(&p.ty, &format_ident!("value"));
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
            let n = format_ident!("{}", p.rust);
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
            let flow = format!("{} callback", op.operation_id);
            quote! {
                /// Parses the callback URL the browser comes back to (the whole
                /// URL, or its query with or without `?`): the flow's result, or
                /// the error it reports. A decode error names the flow and the
                /// failing field, never a value (the query holds one-time codes).
                #[inline]
                pub fn parse_callback(query: &str) -> Result<Result<#cb, #err>, ::client_runtime::Error> {
                    ::client_runtime::webview::parse_callback(query).map_err(|error| error.with_operation(#flow))
                }
            }
        });
        let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let self_named = self_named_new(&op.type_name);
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
