//! Problems found in a spec, each located by a JSON pointer (and a line when
//! the pointer can be found in the text).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation goes on; the spec has a known real-world defect.
    Warning,
    /// The spec cannot be generated.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    /// JSON pointer to the offending place, e.g. `#/paths/~1users~1{id}/get`.
    pub pointer: String,
    /// 1-based line in the spec text, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, pointer: pointer.into(), line: None, message: message.into() }
    }

    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, pointer: pointer.into(), line: None, message: message.into() }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}", self.pointer)?;
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The candidate closest to `given` when it is close enough to be a typo of
/// it (an edit distance of at most a quarter of its length, at least 1,
/// case differences counting half), for "did you mean" hints.
pub fn closest<'a>(given: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let distance = |a: &str, b: &str| -> usize {
        // in half steps: a case difference costs 1, anything else 2
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).map(|j| 2 * j).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut diagonal = row[0];
            row[0] = 2 * (i + 1);
            for (j, cb) in b.iter().enumerate() {
                let substitution = if ca == *cb {
                    0
                } else if ca.eq_ignore_ascii_case(cb) {
                    1
                } else {
                    2
                };
                let next = (diagonal + substitution).min(row[j] + 2).min(row[j + 1] + 2);
                diagonal = row[j + 1];
                row[j + 1] = next;
            }
        }
        row[b.len()]
    };
    candidates
        .iter()
        .map(|c| (distance(given, c), *c))
        .filter(|(d, c)| *d > 0 && *d <= 2 * (c.chars().count() / 4).max(1))
        .min()
        .map(|(_, c)| c)
}

/// Escapes one JSON-pointer token (`/` -> `~1`, `~` -> `~0`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends a token to a pointer.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

/// Finds the line of a pointer in YAML or JSON text by walking its keys
/// and `- ` items by indentation, one level at a time. Best effort: a key
/// the walk cannot find on a line of its own (inside a flow mapping
/// `{a: b}`, a flow sequence, or missing altogether) leaves it at the line of
/// the deepest key it found; `None` when not even the first key is found.
pub fn locate(text: &str, pointer: &str) -> Option<usize> {
    locate_in_lines(&text.lines().collect::<Vec<_>>(), pointer)
}

/// [`locate`] in the text's lines, split once for many pointers.
pub fn locate_in_lines(lines: &[&str], pointer: &str) -> Option<usize> {
    let tokens: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let indent_of = |l: &str| l.len() - l.trim_start().len();
    // blank lines, comments and JSON's lone brackets say nothing about nesting
    let is_content = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && !t.chars().all(|c| matches!(c, '{' | '}' | '[' | ']' | ','))
    };
    let is_dash = |body: &str| body.starts_with("- ") || body == "-";
    let mut start = 0usize;
    // indentation of the key (or `- `) the walk is inside; `None` at the top
    let mut parent: Option<usize> = None;
    // when inside a `- key: value` item, the column its first key starts at
    let mut item_column: Option<usize> = None;
    let mut found = None;
    for token in &tokens {
        let index: Option<usize> = token.chars().all(|c| c.is_ascii_digit()).then(|| token.parse().ok()).flatten();
        let keys = [format!("{token}:"), format!("'{token}':"), format!("\"{token}\":")];
        let mut child_indent = None;
        let mut count = 0;
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(start) {
            if !is_content(line) {
                continue;
            }
            let (indent, body) = match item_column {
                Some(column) if i == start => (column, line.get(column..).unwrap_or_default()),
                _ => (indent_of(line), line.trim_start()),
            };
            if let Some(p) = parent {
                // an indentless sequence puts its dashes at the key's indentation
                let indentless_item = indent == p && index.is_some() && is_dash(body);
                if indent < p || (indent == p && !indentless_item && !(item_column.is_some() && i == start)) {
                    break;
                }
            }
            if indent != *child_indent.get_or_insert(indent) {
                continue; // deeper than the level searched
            }
            let matched = match index {
                Some(n) if is_dash(body) => {
                    count += 1;
                    count - 1 == n
                }
                // a number is also a key (`'200':`)
                _ => keys.iter().any(|k| body.starts_with(k.as_str())),
            };
            if matched {
                hit = Some((i, indent, body));
                break;
            }
        }
        let Some((i, indent, body)) = hit else { return found };
        found = Some(i + 1);
        parent = Some(indent);
        let after_dash = body.strip_prefix('-').map(|rest| rest.len() - rest.trim_start().len() + 1);
        match (index, after_dash) {
            // `- name: x`: the item's first key is on the dash line
            (Some(_), Some(skip)) if body.len() > skip => {
                start = i;
                item_column = Some(line_start(lines[i], body) + skip);
            }
            _ => {
                start = i + 1;
                item_column = None;
            }
        }
    }
    found
}

/// The column where `body` (a suffix of `line`) starts.
fn line_start(line: &str, body: &str) -> usize {
    line.len() - body.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_only() {
        let keywords = ["description", "required", "properties", "readOnly", "type"];
        assert_eq!(closest("descripton", &keywords), Some("description"));
        assert_eq!(closest("require", &keywords), Some("required"));
        assert_eq!(closest("readonly", &keywords), Some("readOnly"));
        assert_eq!(closest("propertes", &keywords), Some("properties"));
        assert_eq!(closest("usage", &keywords), None);
        assert_eq!(closest("type", &keywords), None, "an exact match is no typo");
        assert_eq!(closest("Conterparty", &["Counterparty", "Connector"]), Some("Counterparty"));
    }

    const YAML: &str = "openapi: 3.0.3
paths:
  /users/{id}:
    get:
      parameters:
        - name: id
          in: path
        - name: expand
          in: query
      responses:
        '200': {description: ok}
    post:
      # a comment
      parameters:
      - name: body
        schema: {$ref: '#/x'}
components:
  schemas:
    Thing:
      required: [ghost]
";

    #[test]
    fn keys_items_and_flow_collections() {
        assert_eq!(locate(YAML, "#/paths/~1users~1{id}/get"), Some(4));
        assert_eq!(locate(YAML, "#/paths/~1users~1{id}/get/parameters/1"), Some(8));
        assert_eq!(locate(YAML, "#/paths/~1users~1{id}/get/parameters/1/in"), Some(9));
        assert_eq!(locate(YAML, "#/paths/~1users~1{id}/get/parameters/0/name"), Some(6));
        assert_eq!(locate(YAML, "#/paths/~1users~1{id}/get/responses/200/description"), Some(11));
        // an indentless sequence, and a key inside a flow mapping
        assert_eq!(locate(YAML, "#/paths/~1users~1{id}/post/parameters/0/schema/$ref"), Some(16));
        assert_eq!(locate(YAML, "#/components/schemas/Thing/required/0"), Some(20));
    }

    #[test]
    fn missing_keys_stop_at_the_deepest_found() {
        // `post` has no `responses`: not the `responses` of its sibling `get`
        assert_eq!(locate(YAML, "#/paths/~1users~1{id}/post/responses"), Some(12));
        assert_eq!(locate(YAML, "#/nothing"), None);
        assert_eq!(locate(YAML, "#"), None);
    }

    #[test]
    fn json_text() {
        let json = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  }\n}\n";
        assert_eq!(locate(json, "#/paths/~1a/get"), Some(5));
    }

    #[test]
    fn pointers_escape_their_tokens() {
        assert_eq!(join("#/paths", "/a~b"), "#/paths/~1a~0b");
    }
}
