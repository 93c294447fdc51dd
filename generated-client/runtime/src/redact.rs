//! Raw JSON with the values of credential-looking fields replaced, for the
//! item errors of list pages ([`crate::ItemError::raw`]) and the bodies of
//! API errors ([`crate::ApiError`]'s `Debug`); free text of an error body
//! (`message`, `description`) with the words that may be secrets replaced.

use crate::secret::REDACTED;

/// Names whose values are credentials: those the generator makes
/// [`Secret`](crate::Secret)s by name.
const SECRET_NAMES: &[&str] = &[
    "password", "client_secret", "secret", "access_token", "auth_token", "token", "jwt_token",
    "refresh_token", "private_key", "api_key", "apikey", "bankingPin", "banking_pin", "pin",
];

/// Whether a JSON key names a credential: a secret's name, or a name that
/// looks like one (`code`, `*token*`, `*secret*`, `*password*`, `pin`,
/// `otp`, `*_key`, ...). The generator's own rule for the fields it makes
/// [`Secret`](crate::Secret)s (`codegen/src/lower/schema.rs`), which warns
/// until such a field is marked in the spec, so every field the spec marks
/// `x-secret: true` has such a name. It errs on the side of redacting.
pub(crate) fn is_credential_name(name: &str) -> bool {
    if SECRET_NAMES.contains(&name) {
        return true;
    }
    let name = name.to_ascii_lowercase();
    ["token", "secret", "password", "passwd", "jwt", "apikey", "pincode"].iter().any(|part| name.contains(part))
        || ["code", "pin", "otp", "key", "cvv"].contains(&name.as_str())
        || name.ends_with("_key")
        || name.ends_with("pin")
}

/// What stands for JSON that could not be read to redact it (it never
/// happens for JSON serde_json has validated; the fallback fails closed).
const UNREADABLE: &str = "\"[not shown: the JSON could not be read to redact it]\"";

/// `json` (valid JSON, as a `RawValue` holds it) with the value of every
/// member whose key names a credential, at any depth, replaced by
/// `"[redacted]"`. Everything else is copied byte for byte, so numbers keep
/// their digits: an amount that failed is shown as it came.
pub(crate) fn redact_json(json: &str) -> String {
    redact_json_with(json, None)
}

/// [`redact_json`], and every other string value (not keys) redacted as
/// free text ([`redact_text`], with `secrets` the body's credential values):
/// for error bodies, whose `message` may echo a credential.
pub(crate) fn redact_error_json(json: &str, secrets: &[String]) -> String {
    redact_json_with(json, Some(secrets))
}

fn redact_json_with(json: &str, free_text: Option<&[String]>) -> String {
    let mut scanner = Scanner { text: json, pos: 0, out: String::with_capacity(json.len()), free_text };
    let read = scanner.value(true, 0);
    scanner.blanks(true);
    match read {
        Some(()) if scanner.pos == json.len() => scanner.out,
        _ => UNREADABLE.to_owned(),
    }
}

/// The longest word of free text shown as it is.
const MAX_WORD: usize = 24;

/// `text` (an error body's `message` or `description`, as the server wrote
/// it) with every word that may be a secret replaced by `[redacted]`:
///
/// - a word holding anything but letters, `-` and apostrophes (digits,
///   `_`, `@`, `/`, `=`, `+`, `.` inside: tokens, codes, PINs, keys), or
///   longer than 24 characters;
/// - a word holding the value of a credential field of `body` (`password`,
///   `token`, ..., at any depth: a server that echoes a credential in a
///   field and in its message);
/// - the word after a credential's name written as a key (`password:
///   hunter`, `token=abc`).
///
/// Punctuation around a word and the spacing are kept: `Wrong password`,
/// `The token [redacted] has expired.`. A secret made of letters only, in
/// the text alone, with no key before it, cannot be told from a word: the
/// error's `Display` and `Debug` fail closed on everything else.
pub(crate) fn redact_text<'a>(text: &'a str, body: Option<&serde_json::Value>) -> std::borrow::Cow<'a, str> {
    redact_words(text, &body.map(error_body_secrets).unwrap_or_default())
}

/// An error body's `code` (`wrongpass`, `ENTITY_NOT_FOUND`): shown when it
/// is an identifier (ASCII letters, digits, `_`, `-`, `.`; at most 64) that
/// holds no credential value of the body, else `[redacted]`.
pub(crate) fn redact_code<'a>(code: &'a str, body: Option<&serde_json::Value>) -> &'a str {
    let identifier = !code.is_empty()
        && code.len() <= 64
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    let secrets = body.map(error_body_secrets).unwrap_or_default();
    if identifier && !secrets.iter().any(|secret| code.contains(secret.as_str())) {
        code
    } else {
        REDACTED
    }
}

/// The texts of the credential values of an error body, at any depth, but
/// its top-level `code`: there, the API's error code (`wrongpass`).
pub(crate) fn error_body_secrets(body: &serde_json::Value) -> Vec<String> {
    let mut secrets = Vec::new();
    match body {
        serde_json::Value::Object(fields) => {
            for (key, field) in fields {
                credential_values(field, key != "code" && is_credential_name(key), &mut secrets);
            }
        }
        other => credential_values(other, false, &mut secrets),
    }
    secrets
}

/// [`redact_text`] with the body's credential values already gathered.
fn redact_words<'a>(text: &'a str, secrets: &[String]) -> std::borrow::Cow<'a, str> {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut after_key = false;
    let mut rest = text;
    while !rest.is_empty() {
        let blank = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..blank]);
        rest = &rest[blank..];
        let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..len];
        rest = &rest[len..];
        if word.is_empty() {
            continue;
        }
        let is_edge = |c: char| matches!(c, '"' | '\'' | '`' | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | ',' | '.' | ';' | ':' | '!' | '?' | '«' | '»' | '“' | '”' | '‘' | '’');
        let core = word.trim_matches(is_edge);
        let start = word.len() - word.trim_start_matches(is_edge).len();
        let plain = core.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’')) && core.chars().count() <= MAX_WORD;
        let echoes = secrets.iter().any(|secret| core.contains(secret.as_str()));
        if core.is_empty() {
            out.push_str(word);
        } else if !plain || echoes || after_key {
            changed = true;
            out.push_str(&word[..start]);
            out.push_str(REDACTED);
            out.push_str(&word[start + core.len()..]);
        } else {
            out.push_str(word);
        }
        // `password:` or `token=` (the name is a credential's, written as a key)
        let key = word.trim_start_matches(is_edge);
        after_key = match key.strip_suffix([':', '=']) {
            Some(name) => is_credential_name(name.trim_end_matches(['"', '\''])),
            None => false,
        };
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The texts of the values of credential fields in `value`, at any depth
/// (every string or number under such a field).
fn credential_values(value: &serde_json::Value, under_credential: bool, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(fields) => {
            for (key, field) in fields {
                credential_values(field, under_credential || is_credential_name(key), out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| credential_values(item, under_credential, out)),
        serde_json::Value::String(text) if under_credential && !text.is_empty() => out.push(text.clone()),
        serde_json::Value::Number(number) if under_credential => out.push(number.to_string()),
        _ => {}
    }
}

/// serde_json refuses JSON nested deeper than this.
const MAX_DEPTH: usize = 128;

struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    out: String,
    /// Redact string values as free text, with these credential values.
    free_text: Option<&'a [String]>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Copies (when `emit`) `len` bytes from the current position.
    fn take(&mut self, len: usize, emit: bool) -> Option<()> {
        let piece = self.text.get(self.pos..self.pos + len)?;
        if emit {
            self.out.push_str(piece);
        }
        self.pos += len;
        Some(())
    }

    fn blanks(&mut self, emit: bool) {
        let len = self.text[self.pos..].bytes().take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')).count();
        let _ = self.take(len, emit);
    }

    /// Reads one value, copying it when `emit`.
    fn value(&mut self, emit: bool, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.blanks(emit);
        match self.peek()? {
            b'{' => self.object(emit, depth),
            b'[' => self.array(emit, depth),
            b'"' => {
                let len = self.string_len()?;
                match self.free_text {
                    Some(secrets) if emit => {
                        let text: String = serde_json::from_str(&self.text[self.pos..self.pos + len]).ok()?;
                        match redact_words(&text, secrets) {
                            std::borrow::Cow::Borrowed(_) => self.take(len, emit),
                            std::borrow::Cow::Owned(redacted) => {
                                self.out.push_str(&serde_json::to_string(&redacted).ok()?);
                                self.take(len, false)
                            }
                        }
                    }
                    _ => self.take(len, emit),
                }
            }
            _ => {
                // a number, true, false or null: up to the next delimiter
                let len = self.text[self.pos..]
                    .bytes()
                    .take_while(|b| !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                    .count();
                (len > 0).then_some(())?;
                self.take(len, emit)
            }
        }
    }

    /// The length of the string starting at the current position, quotes
    /// included.
    fn string_len(&self) -> Option<usize> {
        let bytes = &self.text.as_bytes()[self.pos..];
        let mut i = 1;
        loop {
            match bytes.get(i)? {
                b'"' => return Some(i + 1),
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
    }

    fn object(&mut self, emit: bool, depth: usize) -> Option<()> {
        self.take(1, emit)?;
        self.blanks(emit);
        if self.peek()? == b'}' {
            return self.take(1, emit);
        }
        loop {
            self.blanks(emit);
            (self.peek()? == b'"').then_some(())?;
            let len = self.string_len()?;
            let key: String = serde_json::from_str(&self.text[self.pos..self.pos + len]).ok()?;
            self.take(len, emit)?;
            self.blanks(emit);
            (self.peek()? == b':').then_some(())?;
            self.take(1, emit)?;
            if is_credential_name(&key) {
                self.blanks(emit);
                self.value(false, depth + 1)?;
                if emit {
                    self.out.push('"');
                    self.out.push_str(REDACTED);
                    self.out.push('"');
                }
            } else {
                self.value(emit, depth + 1)?;
            }
            self.blanks(emit);
            match self.peek()? {
                b',' => self.take(1, emit)?,
                b'}' => return self.take(1, emit),
                _ => return None,
            }
        }
    }

    fn array(&mut self, emit: bool, depth: usize) -> Option<()> {
        self.take(1, emit)?;
        self.blanks(emit);
        if self.peek()? == b']' {
            return self.take(1, emit);
        }
        loop {
            self.value(emit, depth + 1)?;
            self.blanks(emit);
            match self.peek()? {
                b',' => self.take(1, emit)?,
                b']' => return self.take(1, emit),
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_values_are_replaced_at_any_depth() {
        let json = r#"{"id": 3, "password": "hunter2", "nested": {"access_token": {"a": [1, "x"]}, "list": [{"code": 12345}, {"label": "ok"}]}, "Token": null, "value": 10.000000000000000000000000001}"#;
        assert_eq!(
            redact_json(json),
            r#"{"id": 3, "password": "[redacted]", "nested": {"access_token": "[redacted]", "list": [{"code": "[redacted]"}, {"label": "ok"}]}, "Token": "[redacted]", "value": 10.000000000000000000000000001}"#
        );
    }

    #[test]
    fn keys_are_read_as_json_strings() {
        // `pass\u0077ord` is `password`; a quote inside a string is not its end
        let json = "{\"pass\\u0077ord\": \"x\\\"y\", \"label\": \"a \\\"password\\\": b\"}";
        assert_eq!(redact_json(json), "{\"pass\\u0077ord\": \"[redacted]\", \"label\": \"a \\\"password\\\": b\"}");
    }

    #[test]
    fn scalars_arrays_and_blank_space_are_kept() {
        for json in ["1", "\"text\"", "[]", "{}", " [ 1 , {\"a\" : true} ] ", "null", "-1.5e-3"] {
            assert_eq!(redact_json(json), json);
        }
    }

    #[test]
    fn what_cannot_be_read_is_not_shown() {
        for json in ["{\"password\": ", "{\"a\" 1}", "[1 2]", "\"open", "{\"password\": \"x\"} extra", ""] {
            assert_eq!(redact_json(json), UNREADABLE, "{json}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(redact_json(&deep), UNREADABLE);
    }

    #[test]
    fn free_text_keeps_words_and_hides_what_may_be_secret() {
        let kept = ["Wrong password", "The password is wrong.", "Mot de passe erroné", "l'utilisateur n'existe pas", ""];
        for text in kept {
            assert_eq!(redact_text(text, None), text);
        }
        let cases = [
            ("The token tok_live_9f2 has expired.", "The token [redacted] has expired."),
            ("bad pin (1234)", "bad pin ([redacted])"),
            ("password: hunter is wrong", "password: [redacted] is wrong"),
            ("\"token\": abc refused", "\"token\": [redacted] refused"),
            ("\"token\"=abc refused", "\"[redacted] refused"),
            ("see https://x.example/?code=abc", "see [redacted]"),
            ("  two\tspaces  kept ", "  two\tspaces  kept "),
            ("a supercalifragilisticexpialidocious word", "a [redacted] word"),
        ];
        for (text, redacted) in cases {
            assert_eq!(redact_text(text, None), redacted, "{text}");
        }
        // a credential the body echoes in a field, written in the text too
        let body = serde_json::json!({"password": "hunter", "nested": [{"secret": {"a": "Swordfish"}}], "pin": 12});
        assert_eq!(redact_text("Wrong password hunter, not Swordfish", Some(&body)), "Wrong password [redacted], not [redacted]");
        assert_eq!(redact_text("hunterish", Some(&body)), "[redacted]");
        // an error body's top-level `code` is the API's error code
        let body = serde_json::json!({"code": "authFailure", "nested": {"code": "Swordfish"}});
        assert_eq!(redact_text("authFailure, not Swordfish", Some(&body)), "authFailure, not [redacted]");
        let json = r#"{"code": "authFailure", "message": "the token tok_1 or Swordfish", "n": 1.50, "x": {"code": "Swordfish"}}"#;
        assert_eq!(
            redact_error_json(json, &error_body_secrets(&serde_json::from_str(json).unwrap())),
            r#"{"code": "[redacted]", "message": "the token [redacted] or [redacted]", "n": 1.50, "x": {"code": "[redacted]"}}"#
        );
        // an error code is an identifier: shown unless it echoes a credential
        let body = serde_json::json!({"code": "ENTITY_NOT_FOUND", "password": "hunter"});
        assert_eq!(redact_code("ENTITY_NOT_FOUND", Some(&body)), "ENTITY_NOT_FOUND");
        assert_eq!(redact_code("auth.failure-2", None), "auth.failure-2");
        for bad in ["hunter", "a b", "tok/abc", &"x".repeat(65)] {
            assert_eq!(redact_code(bad, Some(&body)), REDACTED, "{bad}");
        }
    }

    #[test]
    fn names_like_the_generators() {
        for name in ["password", "client_secret", "bankingPin", "my_token", "PASSWORD2", "code", "otp", "api_key", "userpin"] {
            assert!(is_credential_name(name), "{name}");
        }
        for name in ["label", "id", "value", "counterparty", "account_identification", "keyword", "codes"] {
            assert!(!is_credential_name(name), "{name}");
        }
    }
}
