//! Shared emit helpers (identifiers, types) and the small files: module
//! lists, the client root, webhooks.

use super::docs::{doc_attrs, paragraphs};
use crate::ir::{Api, Type, Webhook};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier from an already-sanitised name (see `names`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

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
            let n = ident(n);
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

/// `mod a; pub use self::a::A;` lists, sorted.
pub fn mod_file(doc: &str, entries: &[(String, String)], private_mods: bool) -> TokenStream {
    let doc = format!(" {doc}");
    let mut modules: Vec<&String> = entries.iter().map(|(m, _)| m).collect();
    modules.sort();
    modules.dedup();
    let mods = modules.iter().map(|m| {
        let m = ident(m);
        if private_mods {
            quote!(mod #m;)
        } else {
            quote!(pub mod #m;)
        }
    });
    let mut sorted = entries.to_vec();
    sorted.sort();
    let uses = sorted.iter().map(|(m, name)| {
        let (m, name) = (ident(m), ident(name));
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
        let n = ident(&v.rust);
        quote!(#n: &str)
    });
    let mut template = first.url.replace('{', "{{").replace('}', "}}");
    for v in &first.variables {
        template = template.replace(&format!("{{{{{}}}}}", v.wire), "{}");
    }
    let template = template.trim_end_matches('/').to_string();
    let values = first.variables.iter().map(|v| ident(&v.rust));
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

/// `webhooks.rs`: one enum of every documented webhook payload, and the
/// decoder from the event name and the received body.
pub fn webhooks_file(hooks: &[Webhook]) -> TokenStream {
    let models = quote!(super::models);
    let variants = hooks.iter().map(|h| {
        let v = ident(&h.variant);
        let t = ty(&h.payload, &models);
        let doc = doc_attrs(Some(&format!("{}{}", super::docs::code(&h.event), h.doc.as_deref().map(|d| format!(": {d}")).unwrap_or_default())));
        quote!(#doc #v(#t),)
    });
    let decode_arms = hooks.iter().map(|h| {
        let v = ident(&h.variant);
        let e = &h.event;
        quote!(#e => Self::#v(::client_runtime::webhook::decode(body)?),)
    });
    let event_arms = hooks.iter().map(|h| {
        let v = ident(&h.variant);
        let e = &h.event;
        quote!(Self::#v(_) => #e,)
    });
    quote! {
        #![doc = " Webhook payloads: what the API posts to your callback URLs."]

        /// A received webhook, decoded by its event name.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Webhook {
            #(#variants)*
            /// An event this client does not know yet; its payload is kept as JSON.
            Unknown {
                /// The event name.
                event: String,
                /// The body as received.
                payload: ::client_runtime::serde_json::Value,
            },
        }

        impl Webhook {
            /// Decodes the body of a webhook request for `event` (the event name
            /// the callback URL was registered for).
            #[inline]
            pub fn decode(event: &str, body: &[u8]) -> Result<Self, ::client_runtime::Error> {
                Ok(match event {
                    #(#decode_arms)*
                    _ => Self::Unknown {
                        event: event.to_owned(),
                        payload: ::client_runtime::webhook::decode(body)?,
                    },
                })
            }

            /// The event name of this webhook.
            #[inline]
            pub fn event(&self) -> &str {
                match self {
                    #(#event_arms)*
                    Self::Unknown { event, .. } => event,
                }
            }
        }
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
