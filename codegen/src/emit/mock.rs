//! The typed mocks, `mock/` (behind the generated crate's `mock` feature):
//! a `MockServer` with one stub method per operation, and, per tag, each
//! request builder's `client_runtime::mock::Operation` impl, which tells
//! the runtime's stub what the builder sends and how `send`'s output goes
//! on the wire.

use super::types::ty;
use crate::ir::{BodyKind, Operation, ResponseContent};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// `mock/mod.rs`: the server, and one private module per tag (they only
/// add methods and impls).
pub fn mock_mod(title: &str, tag_modules: &[String]) -> TokenStream {
    let doc = format!(
        " Typed mocks of every operation of the {title} API, for the tests of\n the applications that use this crate (feature `mock`).\n\n A [`MockServer`] runs on 127.0.0.1; each operation has a method that\n stubs it with the types the client uses: match any request of the\n operation, or only those like a request built with the client\n ([`Stub::matching`](::client_runtime::mock::Stub::matching)); answer\n with `send`'s own output type, an API error, a raw body, a delay, or\n several answers in turn; then read what the application sent\n ([`Mounted::bodies`](::client_runtime::mock::Mounted::bodies)).\n What a stub serves is written by the models' own serializers, so it is\n what the API could send."
    );
    let mods = tag_modules.iter().map(|m| {
        let m = format_ident!("{}", m);
        quote!(mod #m;)
    });
    quote! {
        #![doc = #doc]

        #(#mods)*

        pub use ::client_runtime::mock::{Mounted, Reply, Stub};

        /// A local mock of the API: stubs of its operations, a client of it.
        /// It stops when dropped.
        #[derive(Debug)]
        pub struct MockServer {
            server: ::client_runtime::mock::Server,
        }

        impl MockServer {
            /// Starts a mock server on 127.0.0.1 and a free port.
            pub async fn start() -> Self {
                Self { server: ::client_runtime::mock::Server::start().await }
            }

            /// Its base URL.
            pub fn uri(&self) -> String {
                self.server.uri()
            }

            /// A client builder for this server, with a test bearer token:
            /// set timeouts or retries as the application does.
            pub fn client_builder(&self) -> super::ClientBuilder {
                super::Client::builder(self.uri()).bearer_token("mock-token")
            }

            /// A client of this server, with a test bearer token.
            ///
            /// # Panics
            /// When the HTTP client cannot be built (no TLS backend).
            pub fn client(&self) -> super::Client {
                match self.client_builder().build() {
                    Ok(client) => client,
                    Err(error) => panic!("cannot build a client of the mock server: {error}"),
                }
            }

            /// The runtime's server, for stubs of your own (`wiremock()`).
            pub fn server(&self) -> &::client_runtime::mock::Server {
                &self.server
            }
        }
    }
}

/// `mock/<tag>.rs`: a stub method per operation, and the builders'
/// `Operation` impls.
pub fn mock_tag_file(tag: &str, ops: &[&Operation]) -> TokenStream {
    let doc = format!(" Mocks of the operations tagged `{}`.", tag.replace('`', "'"));
    let methods = ops.iter().map(|op| stub_method(op));
    let impls = ops.iter().map(|op| operation_impl(op));
    quote! {
        #![doc = #doc]

        use super::super as root;

        impl super::MockServer {
            #(#methods)*
        }

        #(#impls)*
    }
}

fn allow_deprecated(op: &Operation) -> TokenStream {
    if op.deprecated {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    }
}

fn stub_method(op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.method_name);
    let builder = format_ident!("{}", op.type_name);
    let doc = format!(
        " Stubs [`{}`](root::Client::{}): `{} {}`.",
        op.operation_id.replace('`', "'"),
        op.method_name.trim_start_matches("r#"),
        op.http_method,
        op.path.replace('`', "'")
    );
    let allow = allow_deprecated(op);
    quote! {
        #[doc = #doc]
        #allow
        pub fn #name(&self) -> ::client_runtime::mock::Stub<'_, root::operations::#builder> {
            self.server.stub()
        }
    }
}

fn operation_impl(op: &Operation) -> TokenStream {
    let models = quote!(root::models);
    let builder = format_ident!("{}", op.type_name);
    let body = match &op.body {
        Some(b) if b.kind == BodyKind::Json || b.also_form => ty(&b.ty, &models),
        _ => quote!(::client_runtime::mock::IgnoredAny),
    };
    let (output, reply) = output_and_reply(op, &models);
    // as `send` decodes: `send_json` for one JSON response, `FromResponse` otherwise
    let decode = match op.responses.as_slice() {
        [one] if matches!(one.content, ResponseContent::Json(_)) => quote!(response.json()),
        _ => quote!(<Self::Output as ::client_runtime::FromResponse>::from_response(response)),
    };
    let name = &op.operation_id;
    let method = format_ident!("{}", op.http_method);
    let path = &op.path;
    let allow = allow_deprecated(op);
    // a reply with no body does not look at the output (`()`)
    let output_arg = if reply.to_string().contains("output") { quote!(output) } else { quote!(_output) };
    quote! {
        #allow
        impl ::client_runtime::mock::Operation for root::operations::#builder {
            type Output = #output;
            type Body = #body;
            const NAME: &'static str = #name;
            const METHOD: ::client_runtime::Method = ::client_runtime::Method::#method;
            const PATH: &'static str = #path;

            fn build_request(&self) -> Result<::client_runtime::Request, ::client_runtime::Error> {
                self.request()
            }

            fn send(self) -> impl ::client_runtime::ResponseFuture<Self::Output> {
                self.send()
            }

            fn decode(response: ::client_runtime::Response) -> Result<Self::Output, ::client_runtime::Error> {
                #decode
            }

            fn reply(#output_arg: &Self::Output) -> ::client_runtime::mock::Reply {
                #reply
            }
        }
    }
}

/// `send`'s output type, and the expression that puts an `output` of it on
/// the wire with its status.
fn output_and_reply(op: &Operation, models: &TokenStream) -> (TokenStream, TokenStream) {
    let reply = |content: &ResponseContent, status: u16, value: TokenStream| {
        let status = Literal::u16_unsuffixed(status);
        match content {
            ResponseContent::None => quote!(::client_runtime::mock::Reply::empty(#status)),
            ResponseContent::Json(_) => quote!(::client_runtime::mock::Reply::json(#status, #value)),
            ResponseContent::Text => quote!(::client_runtime::mock::Reply::text(#status, #value)),
            ResponseContent::Bytes => {
                quote!(::client_runtime::mock::Reply::raw(#status, "application/octet-stream", #value.to_vec()))
            }
        }
    };
    let content_type = |content: &ResponseContent| match content {
        ResponseContent::None => quote!(()),
        ResponseContent::Json(t) => ty(t, models),
        ResponseContent::Text => quote!(String),
        ResponseContent::Bytes => quote!(::client_runtime::Bytes),
    };
    match op.responses.as_slice() {
        [] => (quote!(()), reply(&ResponseContent::None, 204, quote!(output))),
        [one] => {
            let status = one.status.unwrap_or(if one.content == ResponseContent::None { 204 } else { 200 });
            (content_type(&one.content), reply(&one.content, status, quote!(output)))
        }
        several => {
            let enum_name = format_ident!("{}", op.response_type_name);
            // a `2XX` range answers with a status no other variant claims
            let free = (200..300).find(|s| several.iter().all(|r| r.status != Some(*s))).unwrap_or(299);
            let arms = several.iter().map(|r| {
                let variant = format_ident!("{}", r.variant);
                let status = r.status.unwrap_or(free);
                match r.content {
                    ResponseContent::None => {
                        let value = reply(&r.content, status, quote!(()));
                        quote!(root::operations::#enum_name::#variant => #value,)
                    }
                    _ => {
                        let value = reply(&r.content, status, quote!(body));
                        quote!(root::operations::#enum_name::#variant(body) => #value,)
                    }
                }
            });
            (quote!(root::operations::#enum_name), quote!(match output { #(#arms)* }))
        }
    }
}
