//! What `emit` hands to `render`: one [`Code`] per output file, a list of
//! [`Piece`]s, each tokens or text. The text is written by [`Lines`] in the
//! layout prettyplease gives it, for the regular items (structs and their
//! serde impls, enums, builders): through `quote!` and prettyplease they
//! took nine tenths of the generation time, to build, parse and print
//! tokens whose layout is known in advance (see `emit` for the figures).
//!
//! Only layouts that are sure are written here. Where prettyplease's choice
//! depends on more than the line (a closing bracket that would overflow),
//! prettyplease lays out that statement, field or signature in place; the
//! irregular statements and methods are tokens it lays out the same way;
//! a line that fits nowhere sends the whole item to it
//! ([`Piece::Unformatted`]). Tests check that prettyplease leaves every
//! generated file as it is, and sweep names across the line width.

use proc_macro2::TokenStream;

/// One output file's content on its way to `render`.
#[derive(Default)]
pub struct Code(pub Vec<Piece>);

#[derive(Clone)]
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
    /// The indentation of the previous line if it ended an item (`}`, or an
    /// associated `type ...;`): a blank line goes between it and a next item
    /// at the same depth, as `render` puts between printed methods.
    ended_item_at: Option<usize>,
    /// The line being written, reused.
    scratch: String,
}

impl Lines {
    pub fn new() -> Self {
        Lines { text: String::with_capacity(1024), indent: 0, fits: true, ended_item_at: None, scratch: String::new() }
    }

    /// Whether `len` bytes fit on a line at `indent` (prettyplease measures
    /// text in bytes, `é` is two).
    fn room(indent: usize, len: usize) -> bool {
        len <= MARGIN.saturating_sub(indent).max(MIN_SPACE)
    }

    /// Whether a line of `parts` fits at the current indentation.
    pub fn fits(&self, parts: &[&str]) -> bool {
        Self::room(self.indent, parts.iter().map(|p| p.len()).sum())
    }

    /// A line at the current indentation, made of `parts`.
    pub fn line(&mut self, parts: &[&str]) {
        self.fits &= self.fits(parts);
        self.push_line(parts);
    }

    /// A line whose width was checked by the caller.
    fn push_line(&mut self, parts: &[&str]) {
        self.put(self.indent, parts);
    }

    /// A line prettyplease never breaks (a doc comment): not measured.
    fn unbroken_line(&mut self, text: &str) {
        self.put(self.indent, &[text]);
    }

    /// A line already indented (from prettyplease's output).
    fn put_indented(&mut self, line: &str, extra_indent: usize) {
        let own = leading_spaces(line);
        let indent = if line.is_empty() { 0 } else { own + extra_indent };
        self.put(indent, &[&line[own..]]);
    }

    /// Every line goes through here.
    fn put(&mut self, indent: usize, parts: &[&str]) {
        let mut body = std::mem::take(&mut self.scratch);
        body.clear();
        for part in parts {
            body.push_str(part);
        }
        if self.ended_item_at == Some(indent) && starts_item(&body) {
            self.text.push('\n');
        }
        self.ended_item_at = ends_item(&body).then_some(indent);
        for _ in 0..indent {
            self.text.push(' ');
        }
        self.text.push_str(&body);
        self.text.push('\n');
        self.scratch = body;
    }

    /// Doc comments from the values of their attributes (`" line"`, as
    /// `emit`'s `doc_lines` makes them), as prettyplease prints them.
    pub fn doc_lines(&mut self, lines: &[String]) {
        for line in lines {
            self.doc_line(line);
        }
    }

    /// One doc comment line with this attribute value (`" text"`).
    pub fn doc_line(&mut self, value: &str) {
        self.unbroken_line(&["///", value.trim_end_matches(' ')].concat());
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

    /// A method signature `head(params) -> ret {` (no `-> ret` when `ret`
    /// is empty) that opens a block: on one line when it fits, else one
    /// parameter per line, then `) -> ret {`.
    pub fn signature(&mut self, head: &str, params: &[String], ret: &str) {
        let arrow = if ret.is_empty() { "" } else { " -> " };
        let one_line = format!("{head}({}){arrow}{ret} {{", params.join(", "));
        if params.is_empty() || self.fits(&[&one_line]) {
            return self.open(&[&one_line]);
        }
        let inner = self.indent + INDENT;
        let mut lines = vec![(self.indent, format!("{head}("))];
        let mut known = params.iter().all(|p| match p.split_once(": ") {
            Some((name, ty)) => layout_type(&format!("{name}: "), ty, ",", inner, &mut lines),
            None => push_fitting(&mut lines, inner, format!("{p},")),
        });
        known = known && layout_type(&format!("){arrow}"), ret, " {", self.indent, &mut lines);
        if known {
            self.push_lines(lines);
        } else {
            self.signature_by_prettyplease(&one_line);
        }
        self.indent += INDENT;
    }

    /// A signature as prettyplease lays it out in an impl block, for the
    /// widths where its choice is not known here.
    fn signature_by_prettyplease(&mut self, one_line: &str) {
        let item = (self.indent == INDENT).then(|| syn::parse_str(&format!("impl X {{\n{one_line}\nx\n}}\n}}")).ok());
        self.splice(item.flatten(), one_line, 0, |lines| lines.iter().skip(1).take_while(|l| l.trim() != "x").copied().collect());
    }

    /// Lines of `item` as prettyplease prints it, chosen by `keep`, put
    /// `extra` spaces deeper. No item (it does not parse: a generator bug,
    /// or it cannot be printed as deep): `raw` is left for `render` to lay
    /// out, or report, with the whole item.
    fn splice(&mut self, item: Option<syn::Item>, raw: &str, extra: usize, keep: impl for<'a> FnOnce(&[&'a str]) -> Vec<&'a str>) {
        let Some(item) = item else {
            self.fits = false;
            return self.push_line(&[raw]);
        };
        let printed = print_item(item);
        let lines: Vec<&str> = printed.lines().collect();
        for line in keep(&lines) {
            self.put_indented(line, extra);
        }
    }

    /// A statement that is a call, ending in `end` (`;`, or nothing for
    /// the value of a block).
    pub fn call_statement(&mut self, call: &Call, end: &str) {
        let mut lines = Vec::new();
        if layout(call, end, self.indent, &mut lines) {
            self.push_lines(lines);
        } else {
            let mut one_line = String::new();
            call.one_line(&mut one_line);
            one_line.push_str(end);
            self.statement_by_prettyplease(&one_line);
        }
    }

    /// A local `let x: T = None;` (`place` is a statement) or a struct
    /// field `pub x: T,`: the type's generic arguments broken over lines
    /// when it does not fit.
    pub fn typed(&mut self, prefix: &str, ty: &str, suffix: &str, place: Place) {
        let mut lines = Vec::new();
        if layout_type(prefix, ty, suffix, self.indent, &mut lines) {
            return self.push_lines(lines);
        }
        let one_line = format!("{prefix}{ty}{suffix}");
        match place {
            Place::Statement => self.statement_by_prettyplease(&one_line),
            Place::Field => self.field_by_prettyplease(&one_line),
        }
    }

    fn push_lines(&mut self, lines: Vec<(usize, String)>) {
        for (indent, line) in lines {
            self.put(indent, &[&line]);
        }
    }

    /// A statement as prettyplease lays it out at this depth.
    fn statement_by_prettyplease(&mut self, text: &str) {
        match text.parse::<TokenStream>() {
            Ok(tokens) => self.statements(tokens),
            Err(_) => {
                self.fits = false;
                self.push_line(&[text]);
            }
        }
    }

    /// A field as prettyplease lays it out in a struct.
    fn field_by_prettyplease(&mut self, text: &str) {
        let item = (self.indent == INDENT).then(|| syn::parse_str(&format!("struct S {{ {text} }}")).ok());
        self.splice(item.flatten(), text, 0, inner_lines);
    }

    /// Statements laid out by prettyplease at the current indentation (the
    /// irregular ones): printed inside as many blocks as it takes to be as
    /// deep, since how lines break depends on the room left.
    pub fn statements(&mut self, statements: TokenStream) {
        let depth = self.indent / INDENT;
        let mut block = statements;
        for _ in 1..depth {
            block = quote::quote!({ #block });
        }
        let raw = block.to_string();
        let item = syn::parse2(quote::quote!(fn f() { #block })).ok();
        // the lines inside the function and its blocks, already as deep
        self.splice(item, &raw, 0, |lines| lines.get(depth..lines.len().saturating_sub(depth)).unwrap_or_default().to_vec());
    }

    /// Items of the impl block being written (methods), from tokens laid
    /// out by prettyplease: the irregular ones, not worth writing as text.
    pub fn impl_items(&mut self, items: TokenStream) {
        let raw = items.to_string();
        // prettyplease indents them one level, inside `impl X {`
        let extra = self.indent.saturating_sub(INDENT);
        self.splice(syn::parse2(quote::quote!(impl X { #items })).ok(), &raw, extra, inner_lines);
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
        // the comma may overflow
        if self.fits(&[pattern, " => ", body]) {
            self.push_line(&[pattern, " => ", body, ","]);
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

/// A call `head(args)tail`, or a type `head<args>tail`, whose arguments
/// may be calls or types in turn, laid out as prettyplease does: on one
/// line when it fits, else one argument per line (each laid out the same
/// way).
pub struct Call {
    pub head: String,
    pub args: Vec<Arg>,
    pub tail: String,
    brackets: (char, char),
}

pub enum Arg {
    Text(String),
    Call(Call),
}

impl Call {
    pub fn new(head: &str, args: impl IntoIterator<Item = String>) -> Call {
        let args = args.into_iter().map(Arg::Text).collect();
        Call { head: head.to_string(), args, tail: String::new(), brackets: ('(', ')') }
    }

    /// A type (as `type_text` writes it), its generic arguments as
    /// arguments: prettyplease breaks `A<B, C>` as it breaks `a(b, c)`.
    pub fn of_type(text: &str) -> Arg {
        let Some(open) = text.find('<') else { return Arg::Text(text.to_string()) };
        let mut args = Vec::new();
        let (mut depth, mut start) = (0, open + 1);
        for (i, c) in text.char_indices().skip(open) {
            match c {
                '<' => depth += 1,
                ',' if depth == 1 => {
                    args.push(Call::of_type(text[start..i].trim()));
                    start = i + 1;
                }
                '>' if depth == 1 => {
                    args.push(Call::of_type(text[start..i].trim()));
                    let (head, tail) = (text[..open].to_string(), text[i + 1..].to_string());
                    return Arg::Call(Call { head, args, tail, brackets: ('<', '>') });
                }
                '>' => depth -= 1,
                _ => {}
            }
        }
        Arg::Text(text.to_string())
    }

    fn one_line(&self, out: &mut String) {
        out.push_str(&self.head);
        out.push(self.brackets.0);
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            match arg {
                Arg::Text(t) => out.push_str(t),
                Arg::Call(c) => c.one_line(out),
            }
        }
        out.push(self.brackets.1);
        out.push_str(&self.tail);
    }
}

/// Where a line that may break sits: what to ask prettyplease for when
/// its layout is not known here.
#[derive(Clone, Copy)]
pub enum Place {
    Statement,
    Field,
}

/// Lays out `call` then `end` at `indent` into `lines`, as prettyplease
/// does: on one line when the whole line fits; broken, one argument per
/// line, when the arguments alone run past the width, or when a call that
/// is an argument (with its comma) or a return type (with its ` {`) does
/// not fit. Otherwise (a statement or a type whose closing bracket and what
/// follows would overflow)
/// prettyplease's choice depends on more than the line: `false`, and the
/// caller asks it.
fn layout(call: &Call, end: &str, indent: usize, lines: &mut Vec<(usize, String)>) -> bool {
    let mut one_line = String::new();
    call.one_line(&mut one_line);
    let arguments_end = one_line.len() - 1 - call.tail.len();
    one_line.push_str(end);
    if call.args.is_empty() || Lines::room(indent, one_line.len()) {
        lines.push((indent, one_line));
        return true;
    }
    // an argument that is a call, or a return type before its block: the
    // closing bracket and what follows, up to the next break, count
    let whole_line_counts = (end == "," && call.brackets.0 == '(') || end == " {";
    if !whole_line_counts && Lines::room(indent, arguments_end) {
        return false;
    }
    lines.push((indent, format!("{}{}", call.head, call.brackets.0)));
    for arg in &call.args {
        let known = match arg {
            Arg::Text(t) => push_fitting(lines, indent + INDENT, format!("{t},")),
            Arg::Call(c) => layout(c, ",", indent + INDENT, lines),
        };
        if !known {
            return false;
        }
    }
    lines.push((indent, format!("{}{}{end}", call.brackets.1, call.tail)));
    true
}

/// [`layout`] of `prefix type suffix`.
fn layout_type(prefix: &str, ty: &str, suffix: &str, indent: usize, lines: &mut Vec<(usize, String)>) -> bool {
    match Call::of_type(ty) {
        Arg::Text(t) => push_fitting(lines, indent, format!("{prefix}{t}{suffix}")),
        Arg::Call(mut call) => {
            call.head.insert_str(0, prefix);
            layout(&call, suffix, indent, lines)
        }
    }
}

/// A line that cannot break: `false` when it does not fit.
fn push_fitting(lines: &mut Vec<(usize, String)>, indent: usize, line: String) -> bool {
    let fits = Lines::room(indent, line.len());
    lines.push((indent, line));
    fits
}

/// The lines between an item's first and last (its body).
fn inner_lines<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    lines.get(1..lines.len().saturating_sub(1)).unwrap_or_default().to_vec()
}

/// One item as prettyplease prints it, lines and all.
fn print_item(item: syn::Item) -> String {
    prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: vec![item] })
}

/// A string literal as `quote!` writes it.
pub fn string(value: &str) -> String {
    proc_macro2::Literal::string(value).to_string()
}

/// A line (without its indentation) that closes an item: `}`, or an
/// associated `type Err = ...;`, followed by its `fn`.
pub fn ends_item(body: &str) -> bool {
    body == "}" || (body.starts_with("type ") && body.ends_with(';'))
}

/// A line (without its indentation) that starts an item.
pub fn starts_item(body: &str) -> bool {
    ["///", "#[", "pub ", "fn ", "async fn", "impl", "const "].iter().any(|p| body.starts_with(p))
}

pub fn leading_spaces(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}
