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

    /// The rule a warning comes from (`unknown-keyword`,
    /// `required-without-property`, ...): see [`rule_of`].
    pub fn rule(&self) -> &'static str {
        rule_of(&self.message)
    }
}

/// The rules of the warnings, each by a part of its message: what the
/// project's own specs are held to (`cargo xtask codegen` fails on any
/// warning there, naming its rule).
pub const RULES: &[(&str, &str)] = &[
    ("is a JSON Schema keyword that OpenAPI 3.0 does not use", "json-schema-keyword"),
    ("is not a keyword of", "unknown-keyword"),
    ("but a boolean for YAML 1.1 tools", "yaml11-boolean"),
    ("is given twice in this mapping", "duplicate-key"),
    ("cannot be read as OpenAPI 3.0", "not-openapi-3.0"),
    ("is OpenAPI 3.1", "openapi-3.1"),
    ("has no OpenAPI 3.0 meaning", "openapi-3.1"),
    ("is not a string (a YAML boolean or number?)", "enum-value-not-a-string"),
    ("beyond 64 bits", "beyond-64-bits"),
    ("cannot apply here", "misplaced-bound"),
    ("a chain of $refs back to itself", "ref-cycle"),
    ("webhook without", "webhook-without-payload"),
    ("has no scheme", "server-url-without-scheme"),
    ("path item $refs are not supported", "path-item-ref"),
    ("no operationId", "missing-operation-id"),
    ("holds a query string", "query-string-in-path"),
    ("is not in the path", "path-parameter-not-in-path"),
    ("path style", "path-style"),
    ("has the name of a path parameter", "parameter-named-like-path-parameter"),
    ("multipart", "multipart-body"),
    ("is not a media type", "not-a-media-type"),
    ("looks like a credential", "unmarked-credential"),
    ("`x-secret: true` is ignored here", "misplaced-secret-mark"),
    ("nest too deep", "inline-depth"),
    ("the generator's budget", "inline-budget"),
    ("the same enum as", "inline-enum-twice"),
    ("`not` is not expressible", "not-schema"),
    ("is required but there is no such property", "required-without-property"),
    ("does not match the schema's type", "default-type-mismatch"),
    ("is not one of the union's $ref members", "discriminator-mapping"),
    ("so no `", "discriminator-inline-member"),
    ("allOf member is not an object", "allof-not-an-object"),
];

/// The rule of a warning's message (its first matching part in
/// [`RULES`]), `warning` for a message no rule names.
pub fn rule_of(message: &str) -> &'static str {
    RULES.iter().find(|(part, _)| message.contains(part)).map_or("warning", |(_, rule)| rule)
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
        // in half steps: a case difference costs 1, anything else 2, two
        // neighbours swapped (`lable`) 2 (optimal string alignment)
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = 2 * i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = 2 * j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let substitution = if a[i - 1] == b[j - 1] {
                    0
                } else if a[i - 1].eq_ignore_ascii_case(&b[j - 1]) {
                    1
                } else {
                    2
                };
                let mut best = (d[i - 1][j - 1] + substitution).min(d[i - 1][j] + 2).min(d[i][j - 1] + 2);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 2);
                }
                d[i][j] = best;
            }
        }
        d[a.len()][b.len()]
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
        // two neighbours swapped are one typo
        assert_eq!(closest("lable", &["id", "label"]), Some("label"));
        assert_eq!(closest("Acount", &["Account"]), Some("Account"));
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

    /// Every warning the fixtures give has a rule (a message no rule
    /// names would fail the project's specs as a bare `warning`).
    #[test]
    fn every_warning_of_the_fixtures_has_a_rule() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|x| x != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let options = crate::Options { spec_label: "t".into() };
            let warnings = match crate::generate(&text, &options) {
                Ok(generated) => generated.warnings,
                Err(diagnostics) => diagnostics.into_iter().filter(|d| !d.is_error()).collect(),
            };
            for warning in warnings {
                seen += 1;
                assert_ne!(warning.rule(), "warning", "{}: no rule names {warning}", path.display());
            }
        }
        assert!(seen > 20, "{seen} warnings");
        assert_eq!(rule_of("`labell` is required but there is no such property (did you mean `label`?); ignored"), "required-without-property");
    }

    #[test]
    fn pointers_escape_their_tokens() {
        assert_eq!(join("#/paths", "/a~b"), "#/paths/~1a~0b");
    }
}
