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

/// Escapes one JSON-pointer token (`/` -> `~1`, `~` -> `~0`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends a token to a pointer.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

/// Finds the line of a pointer in YAML or JSON text by walking its keys in
/// order of indentation. Best effort: `None` when the walk loses its way.
pub fn locate(text: &str, pointer: &str) -> Option<usize> {
    let tokens: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0usize;
    let mut min_indent = 0usize;
    let mut found = None;
    for token in &tokens {
        if token.chars().all(|c| c.is_ascii_digit()) {
            // array index: the n-th `- ` item below the current key
            let n: usize = token.parse().ok()?;
            let mut count = 0;
            let mut hit = None;
            for (i, line) in lines.iter().enumerate().skip(start) {
                let indent = line.len() - line.trim_start().len();
                if !line.trim().is_empty() && indent < min_indent {
                    break;
                }
                if line.trim_start().starts_with("- ") || line.trim() == "-" {
                    if count == n {
                        hit = Some(i);
                        break;
                    }
                    count += 1;
                }
            }
            let i = hit?;
            found = Some(i + 1);
            start = i + 1;
            min_indent = lines[i].len() - lines[i].trim_start().len() + 1;
            continue;
        }
        let keys = [format!("{token}:"), format!("'{token}':"), format!("\"{token}\":")];
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(start) {
            let trimmed = line.trim_start().trim_start_matches("- ");
            let indent = line.len() - line.trim_start().len();
            if !line.trim().is_empty() && indent < min_indent.saturating_sub(1) && found.is_some() {
                break;
            }
            if keys.iter().any(|k| trimmed.starts_with(k.as_str())) {
                hit = Some(i);
                break;
            }
        }
        let i = hit?;
        found = Some(i + 1);
        start = i + 1;
        min_indent = lines[i].len() - lines[i].trim_start().len() + 1;
    }
    found
}
