//! Code written as text, in the layout prettyplease gives it, for the
//! regular, table-like items (serde impls, enum tables): through `quote!`
//! and prettyplease they took most of the generation time, to build, parse
//! and print tokens whose layout is known in advance.
//!
//! Only layouts that are sure are written: a line that would not fit
//! prettyplease's width is not guessed at, the whole item then goes to
//! prettyplease as text ([`Piece::Unformatted`]). A test checks that
//! prettyplease leaves every generated file as it is.

use super::docs::doc_lines;
use proc_macro2::TokenStream;

/// One output file's content on its way to `render`.
#[derive(Default)]
pub struct Code(pub Vec<Piece>);

pub enum Piece {
    /// Items (and inner attributes) for prettyplease to format.
    Tokens(TokenStream),
    /// One item already in prettyplease's layout.
    Formatted(String),
    /// One item as source text, for prettyplease to format.
    Unformatted(String),
}

impl Code {
    pub fn push(&mut self, piece: Piece) {
        self.0.push(piece);
    }
}

impl From<TokenStream> for Code {
    fn from(tokens: TokenStream) -> Self {
        Code(vec![Piece::Tokens(tokens)])
    }
}

/// prettyplease's line width (`MARGIN`), and the room it always leaves
/// however deep the indentation (`MIN_SPACE`).
const MARGIN: usize = 89;
const MIN_SPACE: usize = 60;
const INDENT: usize = 4;

/// An item written line by line, four spaces per level.
pub struct Lines {
    text: String,
    indent: usize,
    fits: bool,
}

impl Lines {
    pub fn new() -> Self {
        Lines { text: String::with_capacity(1024), indent: 0, fits: true }
    }

    /// Whether `len` characters fit on a line at `indent`.
    fn room(indent: usize, len: usize) -> bool {
        len <= MARGIN.saturating_sub(indent).max(MIN_SPACE)
    }

    /// Whether a line of `parts` fits at the current indentation.
    pub fn fits(&self, parts: &[&str]) -> bool {
        Self::room(self.indent, parts.iter().map(|p| p.chars().count()).sum())
    }

    /// A line at the current indentation, made of `parts`.
    pub fn line(&mut self, parts: &[&str]) {
        self.fits &= self.fits(parts);
        for _ in 0..self.indent {
            self.text.push(' ');
        }
        for part in parts {
            self.text.push_str(part);
        }
        self.text.push('\n');
    }

    /// A line prettyplease never breaks (a doc comment): not measured.
    fn unbroken_line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.text.push(' ');
        }
        self.text.push_str(text);
        self.text.push('\n');
    }

    /// Doc comments, as prettyplease prints one `#[doc = " line"]` each.
    pub fn doc(&mut self, text: Option<&str>) {
        for line in doc_lines(text) {
            self.doc_line(&line);
        }
    }

    /// Lines known to be in prettyplease's layout, whatever their width
    /// (the first is measured: it may hold a name of any length).
    pub fn verbatim(&mut self, parts: &[&str]) {
        let text = parts.concat();
        let first = text.lines().next().unwrap_or_default();
        self.fits &= self.fits(&[first]);
        self.text.push_str(&text);
    }

    /// One doc comment line with this attribute value (`" text"`).
    pub fn doc_line(&mut self, value: &str) {
        self.unbroken_line(&format!("///{}", value.trim_end_matches(' ')));
    }

    /// A struct literal `before path { fields } after`: on one line when
    /// prettyplease's limit for struct literals (34 columns from the path
    /// to the closing brace) and the line width allow, else one field per
    /// line.
    pub fn struct_literal(&mut self, before: &str, path: &str, fields: &[String], after: &str) {
        if fields.is_empty() {
            self.line(&[before, path, " {}", after]);
            return;
        }
        let joined = fields.join(", ");
        if path.len() + " {  ".len() + joined.len() <= 34 && self.fits(&[before, path, " { ", &joined, " }", after]) {
            self.line(&[before, path, " { ", &joined, " }", after]);
        } else {
            self.open(&[before, path, " {"]);
            for f in fields {
                self.line(&[f, ","]);
            }
            self.close(&["}", after]);
        }
    }

    /// A signature `head(params) tail` that opens a block (`tail` ends in
    /// `{`): on one line when it fits, else one parameter per line.
    pub fn signature(&mut self, head: &str, params: &[String], tail: &str) {
        let one_line = format!("{head}({}){tail}", params.join(", "));
        if params.is_empty() || self.fits(&[&one_line]) {
            self.open(&[&one_line]);
        } else {
            self.open(&[head, "("]);
            for p in params {
                self.line(&[p, ","]);
            }
            self.reopen(&[")", tail]);
        }
    }

    /// A call `head(args)tail`: on one line when it fits, else one argument
    /// per line.
    pub fn call(&mut self, head: &str, args: &[String], tail: &str) {
        let one_line = format!("{head}({}){tail}", args.join(", "));
        if args.is_empty() || self.fits(&[&one_line]) {
            self.line(&[&one_line]);
        } else {
            self.open(&[head, "("]);
            for a in args {
                self.line(&[a, ","]);
            }
            self.close(&[")", tail]);
        }
    }

    /// Items of the impl block being written (methods), from tokens laid
    /// out by prettyplease: the irregular ones, not worth writing as text.
    pub fn impl_items(&mut self, items: TokenStream) {
        let block = quote::quote!(impl X { #items });
        let printed = match syn::parse2::<syn::Item>(block) {
            Ok(item) => prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: vec![item] }),
            Err(_) => {
                // a generator bug: left for `render` to report with the item
                self.fits = false;
                self.text.push_str(&items.to_string());
                return;
            }
        };
        let lines: Vec<&str> = printed.lines().collect();
        let inner = lines.get(1..lines.len().saturating_sub(1)).unwrap_or_default();
        // prettyplease indents them one level, inside `impl X {`
        let extra = self.indent.saturating_sub(INDENT);
        for line in inner {
            if !line.is_empty() {
                for _ in 0..extra {
                    self.text.push(' ');
                }
            }
            self.text.push_str(line);
            self.text.push('\n');
        }
    }

    /// A line that opens a block: what follows is indented.
    pub fn open(&mut self, parts: &[&str]) {
        self.line(parts);
        self.indent += INDENT;
    }

    /// A line that closes a block.
    pub fn close(&mut self, parts: &[&str]) {
        self.indent = self.indent.saturating_sub(INDENT);
        self.line(parts);
    }

    /// A line that closes a block and opens another: `) -> T {`.
    pub fn reopen(&mut self, parts: &[&str]) {
        self.indent = self.indent.saturating_sub(INDENT);
        self.open(parts);
    }

    /// A match arm `pattern => body,`; prettyplease puts a body that does
    /// not fit on the arm's line in a block of its own.
    pub fn arm(&mut self, pattern: &str, body: &str) {
        if self.fits(&[pattern, " => ", body, ","]) {
            self.line(&[pattern, " => ", body, ","]);
        } else {
            self.open(&[pattern, " => {"]);
            self.line(&[body]);
            self.close(&["}"]);
        }
    }

    /// The item: as it is when every line fitted, otherwise for prettyplease.
    pub fn finish(self) -> Piece {
        if self.fits {
            Piece::Formatted(self.text)
        } else {
            Piece::Unformatted(self.text)
        }
    }
}

/// A string literal as `quote!` writes it.
pub fn string(value: &str) -> String {
    proc_macro2::Literal::string(value).to_string()
}
