//! Operations, one file per tag (or, for a long tag, per operation): for
//! each, a method on the client that starts it, its request builder
//! (required parameters in the constructor, optional ones as setters,
//! `.send().await`), and a response enum where several success statuses
//! exist.
//!
//! An operation is emitted in phases, each the job of one module below
//! this one: its types ([`operation_types`]), its docs ([`operation_docs`]),
//! the statements that put it on the request ([`request_statements`]) and
//! what comes back ([`response_code`]); then [`builder`] writes the items.
//! So an operation goes through each module once, and each module sees
//! the whole operation.

use super::docs::{code, operation_docs};
use super::response::response_code;
use super::types::operation_types;
use super::wire::{request_statements, Ctx};
use crate::code::Code;
use crate::ir::Operation;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// What an operation emits, whichever file it goes in: operations files
/// name the generated root `root` (see [`root_import`]), so the same code
/// serves a tag's file and, split, the operation's own file.
pub struct EmittedOp<'a> {
    op: &'a Operation,
    /// The operation's doc, shared by its client method and builder.
    doc: TokenStream,
    /// The constructor's arguments (`name: type`), which the client method
    /// takes too, and their names.
    args: Vec<TokenStream>,
    arg_names: Vec<proc_macro2::Ident>,
    response_enum: Option<(String, TokenStream)>,
    builder: TokenStream,
}

/// Emits each operation once (with a [`Ctx::rooted`] context).
pub fn emit_ops<'a>(ops: &[&'a Operation], ctx: &Ctx) -> Vec<EmittedOp<'a>> {
    ops.iter().map(|op| builder(op, ctx)).collect()
}

/// `use super::super as root;`: the generated root, from a file `depth`
/// modules below it.
fn root_import(depth: usize) -> TokenStream {
    let supers = (0..depth).map(|_| quote!(super));
    quote!(use #(#supers)::* as root;)
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
            code.push(tokens.clone());
        }
        code.push(e.builder.clone());
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
        code.push(tokens);
    }
    code.push(e.builder);
    (code, exported)
}

/// The client methods that start each operation: `impl Client { ... }`.
fn client_methods(ops: &[EmittedOp], tag_header: bool, ctx: &Ctx) -> TokenStream {
    // rustdoc shows each impl block under its doc: the client's page is
    // grouped by resource (the spec's tag) this way
    let header = ops.first().filter(|_| tag_header).map(|first| {
        let tag = &first.op.tag;
        let doc = format!(" **{tag}**: operations tagged {}.", code(tag));
        quote!(#[doc = #doc])
    });
    let client = ctx.client();
    let methods = ops.iter().map(|EmittedOp { op, doc, args, arg_names, .. }| {
        let attributes = entry_attributes(op.deprecated, args.len(), false);
        let method = format_ident!("{}", op.method_name);
        let builder = format_ident!("{}", op.type_name);
        quote! {
            #doc
            #attributes
            pub fn #method(&self #(, #args)*) -> #builder {
                #builder::new(self #(, #arg_names)*)
            }
        }
    });
    quote! {
        #header
        impl #client {
            #(#methods)*
        }
    }
}

/// The attributes of an entry point: `#[deprecated]` (only there, so that
/// generated code never warns about itself), and clippy's allowances.
fn entry_attributes(deprecated: bool, args: usize, self_named: bool) -> TokenStream {
    let deprecated = deprecated.then(|| quote!(#[deprecated]));
    let many = (args > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let self_named = self_named.then(|| quote!(#[allow(clippy::self_named_constructors)]));
    quote!(#deprecated #many #self_named #[inline])
}

/// The builder struct and its impl, and the response enum when the
/// operation has several success responses: the phases (see the module's
/// docs), then the items.
fn builder<'a>(op: &'a Operation, ctx: &Ctx) -> EmittedOp<'a> {
    // the constructor takes the required parameters, then a required body
    let required = op.params.iter().filter(|p| p.required).count() + usize::from(op.body.as_ref().is_some_and(|b| b.required));
    let new_attributes = entry_attributes(false, required, op.type_name == "New");

    let types = operation_types(op, &ctx.models());
    let docs = operation_docs(op);
    let request = request_statements(op, ctx);
    let response = response_code(op, &types, &docs);

    let client = ctx.client();
    let name = format_ident!("{}", op.type_name);
    let body = op.body.as_ref().zip(types.body.as_ref());
    let fields = op.params.iter().zip(&types.params).map(|(p, t)| {
        let n = format_ident!("{}", p.rust);
        let field = &t.field;
        quote!(#n: #field,)
    });
    let body_field = body.map(|(b, t)| {
        let t = if b.required { quote!(#t) } else { quote!(Option<#t>) };
        let form = b.also_form.then(|| quote!(form_encoded: bool,));
        quote!(body: #t, #form)
    });
    let doc = &docs.operation;
    let structure = quote! {
        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #name {
            client: #client,
            #(#fields)*
            #body_field
            timeout: Option<::std::time::Duration>,
        }
    };

    // the constructor's arguments
    let mut args = Vec::new();
    let mut arg_names = Vec::new();
    let mut inits = Vec::new();
    for (p, t) in op.params.iter().zip(&types.params).filter(|(p, _)| p.required) {
        let n = format_ident!("{}", p.rust);
        let arg = &t.arg;
        args.push(quote!(#n: #arg));
        arg_names.push(n);
        inits.push(t.init.clone());
    }
    if let Some((_, t)) = body.filter(|(b, _)| b.required) {
        args.push(quote!(body: #t));
        arg_names.push(format_ident!("body"));
        inits.push(quote!(body));
    }
    let unset = op.params.iter().filter(|p| !p.required).map(|p| {
        let n = format_ident!("{}", p.rust);
        quote!(#n: None,)
    });
    let body_unset = body.map(|(b, _)| {
        let unset = (!b.required).then(|| quote!(body: None,));
        let form = b.also_form.then(|| quote!(form_encoded: false,));
        quote!(#unset #form)
    });
    // named by every error of the call, whichever stage it comes from (the
    // label never goes on the wire; api-diff reads it as the request built)
    let operation = format!("{} ({} {})", op.operation_id, op.http_method, op.path);

    let setters = op.params.iter().zip(&types.params).zip(&docs.setters).filter(|((p, _), _)| !p.required).map(|((p, t), doc)| {
        let n = format_ident!("{}", p.rust);
        let (arg, set) = (&t.arg, &t.set);
        quote! {
            #doc
            #[inline]
            pub fn #n(mut self, value: #arg) -> Self {
                self.#n = Some(#set);
                self
            }
        }
    });
    let body_setters = body.map(|(b, t)| {
        let setter = (!b.required).then(|| {
            quote! {
                /// Sets the request body.
                #[inline]
                pub fn body(mut self, body: #t) -> Self {
                    self.body = Some(body);
                    self
                }
            }
        });
        let form = b.also_form.then(|| {
            quote! {
                /// Sends the body as `application/x-www-form-urlencoded` instead of JSON.
                #[inline]
                pub fn form_encoded(mut self) -> Self {
                    self.form_encoded = true;
                    self
                }
            }
        });
        quote!(#setter #form)
    });

    let method = format_ident!("{}", op.http_method);
    let default_timeout = op.timeout_seconds.map(|seconds| {
        let seconds = Literal::u64_unsuffixed(seconds);
        quote!(request.default_timeout(::std::time::Duration::from_secs(#seconds));)
    });
    let path = &request.path;
    let params = &request.params;
    let request_body = &request.body;
    let unsecured = (!op.secured).then(|| quote!(request.secured(false);));
    let output = &types.output;
    let send = format_ident!("{}", response.send);
    let stream = &response.stream;
    let implementation = quote! {
        impl #name {
            /// The operation, as its errors name it: its id, method and path template.
            pub const OPERATION: &'static str = #operation;

            /// Starts the request with its required parameters.
            #new_attributes
            pub fn new(client: &#client #(, #args)*) -> Self {
                Self {
                    client: client.clone(),
                    #(#inits,)*
                    #(#unset)*
                    #body_unset
                    timeout: None,
                }
            }

            #(#setters)*
            #body_setters

            /// Overrides the client's timeout for this request.
            #[inline]
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            // `request` builds the request (also what a typed mock matches
            // on), `send` hands it to the runtime; both `#[inline]`: compiled
            // only where `send` is called

            /// The request [`Self::send`] sends: what typed mocks match on.
            #[inline]
            pub(crate) fn request(&self) -> Result<::client_runtime::Request, ::client_runtime::Error> {
                #path
                let mut request = ::client_runtime::Request::of(#operation, ::client_runtime::Method::#method, path);
                #default_timeout
                #(#params)*
                #request_body
                #unsecured
                request.timeout(self.timeout);
                Ok(request)
            }

            /// Sends the request and decodes the response. Nothing happens
            /// until the future is awaited; a parameter that cannot go on
            /// the wire is its error, and nothing is sent.
            #[inline]
            pub fn send(self) -> impl ::client_runtime::ResponseFuture<#output> {
                // built here, handed over as a value: a closure capturing the
                // whole builder (its client included) costs the crate's build
                // 0.5 s in auto-trait proofs, for no change a caller can see
                let request = self.request().map_err(|error| error.with_operation(Self::OPERATION));
                self.client.runtime().#send(move || request)
            }

            #stream
        }
    };

    EmittedOp {
        op,
        doc: docs.operation,
        args,
        arg_names,
        response_enum: response.response_enum,
        builder: quote!(#structure #implementation),
    }
}
