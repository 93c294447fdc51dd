//! What comes back from an operation: the runtime method that decodes
//! `send`'s output, the response enum of several success responses with
//! its `FromResponse` impl, and a paginated list's methods that read it
//! item by item (`send_items`, `into_stream`, `into_pages`). All tokens,
//! from the operation's types and docs worked out before.

use super::docs::OperationDocs;
use super::types::OperationTypes;
use crate::ir::{Operation, Pagination, ResponseContent, SuccessResponse, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// What `send` and the paging methods need of the response.
pub struct ResponseCode {
    /// The runtime method that sends and decodes: `send_json` or `send`.
    pub send: &'static str,
    /// The response enum and its `FromResponse` impl, when there are
    /// several success responses: its name and tokens.
    pub response_enum: Option<(String, TokenStream)>,
    /// The paging methods of a paginated list, items of the builder's impl.
    pub stream: Option<TokenStream>,
}

/// What `op`'s builder needs of its responses.
pub fn response_code(op: &Operation, types: &OperationTypes, docs: &OperationDocs) -> ResponseCode {
    let response_enum = response_enum(op, types, docs);
    let (send, from_response) = send_call(op, &types.output);
    let response_enum = response_enum.map(|(name, tokens)| (name, quote!(#tokens #from_response)));
    let stream = op.pagination.as_ref().zip(types.page_item.as_ref()).map(|(pg, item)| paging(op, pg, item, &types.output));
    ResponseCode { send, response_enum, stream }
}

/// The response enum, when there are several success responses: its name and tokens.
fn response_enum(op: &Operation, types: &OperationTypes, docs: &OperationDocs) -> Option<(String, TokenStream)> {
    if op.responses.len() < 2 {
        return None;
    }
    let name = op.response_type_name.clone();
    let ident_name = format_ident!("{}", name);
    let variants = op.responses.iter().zip(&types.responses).zip(&docs.responses).map(|((r, content), doc)| {
        let v = format_ident!("{}", r.variant);
        match content {
            Some(t) => quote!(#doc #v(#t),),
            None => quote!(#doc #v,),
        }
    });
    let doc = format!(" The success responses of [`{}`].", op.type_name);
    let tokens = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #ident_name {
            #(#variants)*
        }
    };
    Some((name, tokens))
}

/// The runtime method that sends the request and decodes the response into
/// `send`'s output, and the `FromResponse` impl of the response enum if
/// there is one.
fn send_call(op: &Operation, output: &TokenStream) -> (&'static str, TokenStream) {
    match op.responses.as_slice() {
        [SuccessResponse { content: ResponseContent::Json(_), .. }] => ("send_json", quote!()),
        [] | [_] => ("send", quote!()),
        several => {
            let mut arms = Vec::new();
            let mut fallback = quote!(_ => Err(response.unexpected()),);
            for r in several {
                let v = format_ident!("{}", r.variant);
                let value = match r.content {
                    ResponseContent::None => quote!(Self::#v),
                    ResponseContent::Json(_) => quote!(Self::#v(response.json()?)),
                    ResponseContent::Text => quote!(Self::#v(response.text())),
                    ResponseContent::Bytes => quote!(Self::#v(response.into_body())),
                };
                match r.status {
                    Some(s) => arms.push(quote!(#s => Ok(#value),)),
                    None => fallback = quote!(_ => Ok(#value),),
                }
            }
            let from_response = quote! {
                impl ::client_runtime::FromResponse for #output {
                    #[inline]
                    fn from_response(response: ::client_runtime::Response) -> Result<Self, ::client_runtime::Error> {
                        match response.status() {
                            #(#arms)*
                            #fallback
                        }
                    }
                }
            };
            ("send", from_response)
        }
    }
}

/// `send_items`, `into_stream` and `into_pages` of a paginated list whose
/// items are `item`s, in responses of type `output`.
fn paging(op: &Operation, pg: &Pagination, item: &TokenStream, output: &TokenStream) -> TokenStream {
    let items = format_ident!("{}", pg.items_field);
    let items_expr = if pg.items_optional { quote!(response.#items.unwrap_or_default()) } else { quote!(response.#items) };
    let total = match &pg.total_field {
        Some((f, integer, required)) => {
            let f = format_ident!("{}", f);
            match (*required, *integer) {
                (true, true) => quote!(Some(response.#f)),
                (true, false) => quote!(Some(response.#f as i64)),
                (false, true) => quote!(response.#f),
                (false, false) => quote!(response.#f.map(|t| t as i64)),
            }
        }
        None => quote!(None),
    };
    let identify = match &pg.item_id {
        Some((f, required, is_i32)) => {
            let f = format_ident!("{}", f);
            let id = match (*required, *is_i32) {
                (true, false) => quote!(Some(item.#f)),
                (true, true) => quote!(Some(i64::from(item.#f))),
                (false, false) => quote!(item.#f),
                (false, true) => quote!(item.#f.map(i64::from)),
            };
            quote!(|item: &#item| #id)
        }
        None => quote!(|_: &#item| None::<i64>),
    };
    let limit_ty = op.params.iter().find(|p| p.wire == "limit").map(|p| p.ty.clone());
    let (to_param, from_param) = if limit_ty == Some(Type::I32) {
        (quote!(i32::try_from(offset).unwrap_or(i32::MAX)), quote!(.map(i64::from)))
    } else {
        (quote!(offset), quote!())
    };
    let to_limit = if limit_ty == Some(Type::I32) { quote!(i32::try_from(limit).unwrap_or(i32::MAX)) } else { quote!(limit) };
    let offset = format_ident!("{}", op.params.iter().find(|p| p.wire == "offset").map(|p| p.rust.as_str()).unwrap_or_default());
    let limit = format_ident!("{}", op.params.iter().find(|p| p.wire == "limit").map(|p| p.rust.as_str()).unwrap_or_default());
    // the items' field as the runtime looks for it in the response
    let items_name = &pg.items_wire;
    quote! {
        /// Sends the request and decodes the page item by item: an item
        /// that does not decode is its error in `items` (`Error::Item`:
        /// the operation, the item's index and offset, the JSON path of
        /// the failing field, its raw JSON with credentials redacted),
        /// and the other items are there. The rest of the response
        /// decodes as with [`Self::send`], and fails the same way.
        #[inline]
        pub fn send_items(self) -> impl ::client_runtime::ResponseFuture<::client_runtime::Page<#item>> {
            let offset = self.#offset #from_param.unwrap_or(0);
            let request = self.request().map_err(|error| error.with_operation(Self::OPERATION));
            self.client.runtime().send_page(
                move || request,
                #items_name,
                offset,
                |response: #output| (#items_expr, #total),
            )
        }

        /// Every item of every page, fetched lazily page by page (`limit`
        /// items a page, 100 if unset), starting at `offset`: the next page
        /// starts after the items received, until `total` or an empty page.
        /// An item already delivered (same `id`) is not delivered again; a
        /// server that ignores `offset` ends the stream with
        /// `Error::Pagination` (see `client_runtime::paginate_items`).
        /// Pages are read as by [`Self::send_items`]: an item that does
        /// not decode is yielded as its error (`Error::Item`) and the
        /// stream goes on; a page that cannot be read at all ends it.
        /// The stream's `total()` is the list's total as the latest page
        /// gave it: once the stream ends, it tells whether every item came.
        #[inline]
        pub fn into_stream(self) -> ::client_runtime::Items<impl ::client_runtime::Stream<Item = Result<#item, ::client_runtime::Error>> + Send + 'static> {
            let start = self.#offset #from_param.unwrap_or(0);
            let page_size = self.#limit #from_param.unwrap_or(100);
            ::client_runtime::paginate_items(
                start,
                page_size,
                move |offset, limit| {
                    let mut page = self.clone();
                    page.#offset = Some(#to_param);
                    page.#limit = Some(#to_limit);
                    page.send_items()
                },
                #identify,
            )
        }

        /// Every page, fetched lazily (`limit` items a page, 100 if unset),
        /// starting at `offset`, as the server sends them, for work done
        /// page by page: each page starts after the items received, until
        /// `total` or an empty page (not yielded). Items are decoded as by
        /// [`Self::send_items`] and not de-duplicated ([`Self::into_stream`]
        /// is the stream of items, each once); a server that ignores
        /// `offset` ends the stream with `Error::Pagination` (see
        /// `client_runtime::paginate_pages`).
        #[inline]
        pub fn into_pages(self) -> impl ::client_runtime::Stream<Item = Result<::client_runtime::Page<#item>, ::client_runtime::Error>> + Send + 'static {
            let start = self.#offset #from_param.unwrap_or(0);
            let page_size = self.#limit #from_param.unwrap_or(100);
            ::client_runtime::paginate_pages(start, page_size, move |offset, limit| {
                let mut page = self.clone();
                page.#offset = Some(#to_param);
                page.#limit = Some(#to_limit);
                page.send_items()
            })
        }
    }
}
