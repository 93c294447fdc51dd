//! `webhooks.rs`: the payloads the API posts to callback URLs.

use super::docs::{code, doc_attrs};
use super::types::ty;
use crate::ir::Webhook;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `webhooks.rs`: one enum of every documented webhook payload, and the
/// decoder from the event name and the received body.
pub fn webhooks_file(hooks: &[Webhook]) -> TokenStream {
    let models = quote!(super::models);
    let variants = hooks.iter().map(|h| {
        let v = format_ident!("{}", h.variant);
        let t = ty(&h.payload, &models);
        let doc = doc_attrs(Some(&format!("{}{}", code(&h.event), h.doc.as_deref().map(|d| format!(": {d}")).unwrap_or_default())));
        quote!(#doc #v(#t),)
    });
    let decode_arms = hooks.iter().map(|h| {
        let v = format_ident!("{}", h.variant);
        let e = &h.event;
        // a decode error names the webhook it is the payload of
        let named = format!("webhook {e}");
        quote!(#e => Self::#v(::client_runtime::webhook::decode(#named, body)?),)
    });
    let event_arms = hooks.iter().map(|h| {
        let v = format_ident!("{}", h.variant);
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
            /// the callback URL was registered for), without checking who sent
            /// it: [`Webhook::receive`] checks first.
            #[inline]
            pub fn decode(event: &str, body: &[u8]) -> Result<Self, ::client_runtime::Error> {
                Ok(match event {
                    #(#decode_arms)*
                    _ => Self::Unknown {
                        event: event.to_owned(),
                        payload: ::client_runtime::webhook::decode("webhook of an unknown event", body)?,
                    },
                })
            }

            /// Receives a webhook request for `event`: first checks that its
            /// `Authorization` header (`authorization`, the header's raw value)
            /// carries the user's `token` (`Bearer <token>`, compared in constant
            /// time: `client_runtime::webhook::authenticate`), then decodes the
            /// body. Anyone can post to a callback URL: a refusal,
            /// `Error::WebhookRefused`, means the body must not be trusted
            /// (answer 401 and drop it).
            #[inline]
            pub fn receive(event: &str, authorization: Option<&[u8]>, token: &::client_runtime::Secret, body: &[u8]) -> Result<Self, ::client_runtime::Error> {
                ::client_runtime::webhook::authenticate(event, authorization, token)?;
                Self::decode(event, body)
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
