//! Spec descriptions to doc attributes that rustdoc renders cleanly and
//! `-D warnings` accepts: no broken intra-doc links, no bare URLs, no stray
//! HTML, no accidental doctests.

use crate::ir::Operation;
use proc_macro2::TokenStream;
use quote::quote;

/// One `#[doc = " line"]` per line (prettyplease prints `/// line`).
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let attrs = doc_lines(text).into_iter().map(|line| quote!(#[doc = #line]));
    quote!(#(#attrs)*)
}

/// The value of each doc attribute: `" line"`, or `""` for a blank line.
pub fn doc_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Vec::new() };
    sanitize(text).into_iter().map(|line| if line.is_empty() { line } else { format!(" {line}") }).collect()
}

/// A wire value as a markdown code span, whatever it holds (`` a`b ``, an
/// empty string as `""`).
pub fn code(value: &str) -> String {
    let value = value.replace('\r', "\\r").replace('\n', "\\n");
    if value.is_empty() {
        "`\"\"`".into()
    } else if value.contains('`') {
        format!("`` {value} ``")
    } else {
        format!("`{value}`")
    }
}

/// An operation's doc: summary, description, and its method and path.
pub fn operation_doc(op: &Operation) -> Option<String> {
    let route = format!("`{} {}`", op.http_method, op.path);
    let note = op.deprecated.then_some("Deprecated by the API.");
    // the spec's `x-timeout`: when it applies, and that the application's own limit wins
    let timeout = op.timeout_seconds.map(|seconds| {
        format!(
            "It can take long: its timeout is {seconds} s when the client sets none\n(`x-timeout` in the spec); a timeout set with `ClientBuilder::timeout`\nis its limit, and the request's own `.timeout(..)` wins over both."
        )
    });
    paragraphs(&[op.summary.as_deref(), op.doc.as_deref(), note, timeout.as_deref(), Some(&route)])
}

/// The docs of one operation's code, worked out before it is written.
pub struct OperationDocs {
    /// The operation's doc, which its client method and its builder share.
    pub operation: TokenStream,
    /// Each parameter's setter doc, in the operation's order (none for a
    /// required parameter, which has no setter).
    pub setters: Vec<TokenStream>,
    /// Each success response's doc attributes, for its variant of the
    /// response enum (none when there is no enum: one response or none).
    pub responses: Vec<TokenStream>,
}

/// Every doc of `op`'s code.
pub fn operation_docs(op: &Operation) -> OperationDocs {
    let setters = op
        .params
        .iter()
        .map(|p| {
            if p.required {
                return TokenStream::new();
            }
            let set = format!("Sets the {} parameter `{}`.", p.location.word(), p.wire);
            doc_attrs(paragraphs(&[p.doc.as_deref(), Some(&set)]).as_deref())
        })
        .collect();
    let responses = if op.responses.len() < 2 {
        Vec::new()
    } else {
        op.responses
            .iter()
            .map(|r| {
                let status = r.status.map(|s| format!("HTTP {s}")).unwrap_or("A 2xx status".into());
                doc_attrs(Some(&format!("{status}{}", r.doc.as_deref().map(|d| format!(": {d}")).unwrap_or_default())))
            })
            .collect()
    };
    OperationDocs { operation: doc_attrs(operation_doc(op).as_deref()), setters, responses }
}

/// Joins paragraphs (summary, then description) into one doc text.
pub fn paragraphs(parts: &[Option<&str>]) -> Option<String> {
    let parts: Vec<&str> = parts.iter().flatten().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    let mut out: Vec<&str> = Vec::new();
    for p in parts {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    (!out.is_empty()).then(|| out.join("\n\n"))
}

fn sanitize(text: &str) -> Vec<String> {
    let text = text.replace("<br/>", "\n").replace("<br>", "\n").replace("<br />", "\n").replace('\r', "");
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut in_list = false;
    for raw in text.lines() {
        let trimmed = raw.trim_start();
        if trimmed.starts_with("```") {
            // every fenced block is text: never compiled as a doctest
            out.push(if in_fence { "```".to_string() } else { "```text".to_string() });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_string());
            continue;
        }
        // leading indentation would make an indented code block (a doctest);
        // a list item's continuation lines keep a two-space indent
        let is_item = trimmed.starts_with("- ") || trimmed.starts_with("* ") || trimmed.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if trimmed.is_empty() {
            in_list = false;
        } else if is_item {
            in_list = true;
        }
        let indent = if in_list && !is_item && !trimmed.is_empty() { "  " } else { "" };
        out.push(format!("{indent}{}", escape_line(trimmed.trim_end())));
    }
    if in_fence {
        out.push("```".into());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// The first `[text](http…)` in `s`: (before, text, url, after).
fn markdown_link(s: &str) -> Option<(&str, &str, &str, &str)> {
    let mut from = 0;
    while let Some(open) = s[from..].find('[').map(|i| from + i) {
        let close = s[open..].find("](").map(|i| open + i)?;
        let url_start = close + 2;
        let url_end = s[url_start..].find(')').map(|i| url_start + i);
        let is_url = s[url_start..].starts_with("http://") || s[url_start..].starts_with("https://");
        match url_end {
            Some(end) if is_url && !s[open + 1..close].contains('[') => {
                return Some((&s[..open], &s[open + 1..close], &s[url_start..end], &s[end + 1..]));
            }
            _ => from = open + 1,
        }
    }
    None
}

/// Escapes text outside code spans and links, onto `out`: bare URLs go in
/// `<>`, brackets and angle brackets are escaped. One pass straight into
/// `out`: docs are a good part of the generated text.
fn escape_words(part: &str, out: &mut String) {
    for (i, word) in part.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.starts_with("http://") || word.starts_with("https://") {
            let end = word.trim_end_matches(['.', ',', ')', ';', ':']);
            out.push('<');
            for c in end.chars() {
                if c == '>' {
                    out.push_str("%3E");
                } else {
                    out.push(c);
                }
            }
            out.push('>');
            out.push_str(&word[end.len()..]);
        } else {
            for c in word.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '[' => out.push_str("\\["),
                    ']' => out.push_str("\\]"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    c => out.push(c),
                }
            }
        }
    }
}

/// Escapes markdown that rustdoc would misread, outside `code spans`.
fn escape_line(line: &str) -> String {
    let mut out = String::new();
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        // a markdown link to a URL (`[text](https://…)`) stays a link
        let mut rest = part;
        while let Some((before, text, url, after)) = markdown_link(rest) {
            escape_words(before, &mut out);
            out.push('[');
            escape_words(text, &mut out);
            out.push_str("](");
            out.push_str(&url.replace(')', "%29").replace(' ', "%20"));
            out.push(')');
            rest = after;
        }
        escape_words(rest, &mut out);
    }
    if line.split('`').count().is_multiple_of(2) {
        // an unbalanced backtick would swallow the following lines
        out = out.replace('`', "'");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustdoc_safe_lines() {
        assert_eq!(escape_line("see [the docs](https://a.example/x) now"), "see [the docs](https://a.example/x) now");
        assert_eq!(escape_line("bare https://a.example/x."), "bare <https://a.example/x>.");
        assert_eq!(escape_line("[not a link] <b>"), "\\[not a link\\] &lt;b&gt;");
        assert_eq!(escape_line("`[kept]` [x](ftp://y)"), "`[kept]` \\[x\\](ftp://y)");
        assert_eq!(escape_line("odd ` tick"), "odd ' tick");
    }

    #[test]
    fn fenced_code_is_text() {
        assert_eq!(sanitize("a\n```\nfn x() {}\n```"), vec!["a", "```text", "fn x() {}", "```"]);
        assert_eq!(sanitize("    indented"), vec!["indented"]);
    }

    #[test]
    fn code_spans_hold_any_value() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code("a`b"), "`` a`b ``");
    }
}
