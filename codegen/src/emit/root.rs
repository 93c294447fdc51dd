//! The generated root, `mod.rs` (the `Client`, its builder, the server
//! URLs), and the module lists (`models/mod.rs`, `operations/mod.rs`).

use super::docs::{doc_attrs, paragraphs};
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `mod a; pub use self::a::A;` lists, sorted.
pub fn mod_file(doc: &str, entries: &[(String, String)], private_mods: bool) -> TokenStream {
    let doc = format!(" {doc}");
    let mut modules: Vec<&String> = entries.iter().map(|(m, _)| m).collect();
    modules.sort();
    modules.dedup();
    let mods = modules.iter().map(|m| {
        let m = format_ident!("{}", m);
        if private_mods {
            quote!(mod #m;)
        } else {
            quote!(pub mod #m;)
        }
    });
    let mut sorted = entries.to_vec();
    sorted.sort();
    let uses = sorted.iter().map(|(m, name)| {
        let (m, name) = (format_ident!("{}", m), format_ident!("{}", name));
        quote!(pub use self::#m::#name;)
    });
    quote! {
        #![doc = #doc]
        #(#mods)*
        #(#uses)*
    }
}

/// The root `mod.rs`: submodules, the `Client`, and the server URLs.
pub fn root_file(api: &Api, webview: bool, webhooks: bool) -> TokenStream {
    let title = format!("Client for the {} API.", api.title);
    // the module's inner doc: title, then the API's own description
    let inner_doc = doc_attrs(paragraphs(&[Some(&title), api.description.as_deref()]).as_deref())
        .into_iter()
        .map(|tree| match tree {
            // `#[doc = ...]` -> `#![doc = ...]`
            proc_macro2::TokenTree::Punct(p) if p.as_char() == '#' => {
                let bang = proc_macro2::Punct::new('!', proc_macro2::Spacing::Alone);
                quote!(#p #bang)
            }
            other => quote!(#other),
        })
        .collect::<TokenStream>();
    let client_doc = doc_attrs(Some(&format!(
        "Client for the {} API: one method per operation, each returning a request builder.\n\nCheap to clone: clones share one connection pool.",
        api.title
    )));
    let webview_mod = webview.then(|| quote!(pub mod webview;));
    let webhooks_mod = webhooks.then(|| quote!(pub mod webhooks;));
    let servers = servers(api);
    quote! {
        #inner_doc
        pub mod models;
        pub mod operations;
        #[cfg(feature = "mock")]
        pub mod mock;
        #webhooks_mod
        #webview_mod

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: ::client_runtime::Client,
        }

        impl Client {
            /// A client for `base_url`, with no token and default settings.
            pub fn new(base_url: impl Into<String>) -> Result<Self, ::client_runtime::Error> {
                Ok(Self::from_runtime(::client_runtime::Client::new(base_url)?))
            }

            /// A client over a configured runtime client (token, timeout, retries, HTTP client).
            pub fn from_runtime(runtime: ::client_runtime::Client) -> Self {
                Self { runtime }
            }

            /// The runtime client requests go through.
            pub fn runtime(&self) -> &::client_runtime::Client {
                &self.runtime
            }

            /// The API's base URL, without trailing slash (what webview
            /// builders take as `base_url`).
            pub fn base_url(&self) -> &str {
                self.runtime.base_url()
            }

            /// A copy of this client that sends another bearer token.
            pub fn with_bearer_token(&self, token: impl Into<::client_runtime::Secret>) -> Self {
                Self { runtime: self.runtime.with_bearer_token(token) }
            }

            /// Starts configuring a client for `base_url`: token, timeout,
            /// retries, user agent, your own `reqwest::Client`.
            pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                ClientBuilder(::client_runtime::Client::builder(base_url))
            }
        }

        /// Configures a [`Client`]; [`ClientBuilder::build`] checks the base URL.
        #[derive(Debug)]
        #[must_use = "a builder does nothing until `.build()`"]
        pub struct ClientBuilder(::client_runtime::ClientBuilder);

        impl ClientBuilder {
            /// The bearer token sent with every secured request (redacted in `Debug`).
            pub fn bearer_token(self, token: impl Into<::client_runtime::Secret>) -> Self {
                Self(self.0.bearer_token(token))
            }

            /// The timeout of each attempt, from connecting to reading the last byte.
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                Self(self.0.timeout(timeout))
            }

            /// Retries of idempotent requests (never `POST` or `PATCH`).
            pub fn retry(self, retry: ::client_runtime::RetryPolicy) -> Self {
                Self(self.0.retry(retry))
            }

            /// The most time a call may take, retries and waits included.
            pub fn deadline(self, deadline: ::std::time::Duration) -> Self {
                Self(self.0.deadline(deadline))
            }

            /// Your own `reqwest::Client` (proxies, certificates, connection pools).
            pub fn http_client(self, http: ::client_runtime::reqwest::Client) -> Self {
                Self(self.0.http_client(http))
            }

            /// Your own `reqwest_middleware` client: its middleware (logging,
            /// metrics, headers...) runs on every attempt. Leave retries to
            /// [`Self::retry`], which never repeats a non-idempotent request.
            pub fn middleware_client(self, http: ::client_runtime::reqwest_middleware::ClientWithMiddleware) -> Self {
                Self(self.0.middleware_client(http))
            }

            /// The `User-Agent` header.
            pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
                Self(self.0.user_agent(user_agent))
            }

            /// The client, or [`::client_runtime::Error::InvalidBaseUrl`].
            pub fn build(self) -> Result<Client, ::client_runtime::Error> {
                Ok(Client::from_runtime(self.0.build()?))
            }
        }

        #servers
    }
}

fn servers(api: &Api) -> TokenStream {
    let Some(first) = api.servers.first() else { return quote!() };
    let mut default_url = first.url.clone();
    for v in &first.variables {
        default_url = default_url.replace(&format!("{{{}}}", v.wire), &v.default);
    }
    let default_url = default_url.trim_end_matches('/').to_string();
    let default_doc = format!(" The first server of the spec, variables at their defaults: `{default_url}`.");
    let constant = quote! {
        #[doc = #default_doc]
        pub const DEFAULT_SERVER_URL: &str = #default_url;
    };
    if first.variables.is_empty() {
        return constant;
    }
    let args = first.variables.iter().map(|v| {
        let n = format_ident!("{}", v.rust);
        quote!(#n: &str)
    });
    let mut template = first.url.replace('{', "{{").replace('}', "}}");
    for v in &first.variables {
        template = template.replace(&format!("{{{{{}}}}}", v.wire), "{}");
    }
    let template = template.trim_end_matches('/').to_string();
    let values = first.variables.iter().map(|v| format_ident!("{}", v.rust));
    let mut doc = format!("The server URL `{}` with its variables filled in.", first.url);
    for v in &first.variables {
        doc.push_str(&format!("\n\n`{}`: {} (default `{}`)", v.rust, v.description.clone().unwrap_or_default(), v.default));
    }
    let doc = doc_attrs(Some(&doc));
    quote! {
        #constant

        #doc
        pub fn server_url(#(#args),*) -> String {
            ::std::format!(#template, #(#values),*)
        }
    }
}
