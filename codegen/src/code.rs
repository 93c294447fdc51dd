//! What `emit` hands to `render`: one [`Code`] per output file, its items
//! as `quote!` tokens, which `render` lays out with prettyplease.

use proc_macro2::TokenStream;

/// One output file's content on its way to `render`: items (and inner
/// attributes) in order.
#[derive(Default)]
pub struct Code(pub Vec<TokenStream>);

impl Code {
    pub fn push(&mut self, tokens: TokenStream) {
        self.0.push(tokens);
    }
}

impl From<TokenStream> for Code {
    fn from(tokens: TokenStream) -> Self {
        Code(vec![tokens])
    }
}
