//! Raw JSON with the values of credential-looking fields replaced, for the
//! item errors of list pages ([`crate::ItemError::raw`]).

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
    let mut scanner = Scanner { text: json, pos: 0, out: String::with_capacity(json.len()) };
    let read = scanner.value(true, 0);
    scanner.blanks(true);
    match read {
        Some(()) if scanner.pos == json.len() => scanner.out,
        _ => UNREADABLE.to_owned(),
    }
}

/// serde_json refuses JSON nested deeper than this.
const MAX_DEPTH: usize = 128;

struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    out: String,
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
                self.take(len, emit)
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
    fn names_like_the_generators() {
        for name in ["password", "client_secret", "bankingPin", "my_token", "PASSWORD2", "code", "otp", "api_key", "userpin"] {
            assert!(is_credential_name(name), "{name}");
        }
        for name in ["label", "id", "value", "counterparty", "account_identification", "keyword", "codes"] {
            assert!(!is_credential_name(name), "{name}");
        }
    }
}
