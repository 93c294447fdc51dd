//! Every Rust identifier the generator emits is made here: case conversion,
//! keywords, leading digits, odd characters, and collisions after sanitising.
//!
//! Raw spec strings never reach `format_ident!` (it panics on `x-request-id`).

use heck::{ToPascalCase, ToSnakeCase};
use std::collections::BTreeSet;

/// Every Rust keyword, strict, reserved and weak-but-troublesome (2021 + 2024).
pub const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names of the Rust 2021 prelude. Generated code writes `Option`,
/// `String`, `Vec`, `Box`, `Result`... plainly (far fewer tokens to emit
/// and render than `::std::option::Option`), so no generated type may take
/// one of these names: a schema called `Box` becomes `Box2`.
/// Names a generated crate's root gives its own items (the client, its
/// builder, the errors and the runtime types it re-exports): a model or
/// builder called so becomes `NameModel`, so that `use crate::models::*`
/// next to `use crate::*` never changes what `Client` or `Error` means.
pub const ROOT_NAMES: &[&str] =
    &["Client", "ClientBuilder", "Error", "ApiError", "RetryPolicy", "Secret", "Amount", "Date", "SqlDateTime", "Decimal"];

pub const PRELUDE: &[&str] = &[
    "AsMut", "AsRef", "Box", "Clone", "Copy", "Default", "DoubleEndedIterator", "Drop", "Eq", "Err", "ExactSizeIterator",
    "Extend", "Fn", "FnMut", "FnOnce", "From", "FromIterator", "Into", "IntoIterator", "Iterator", "None", "Ok", "Option",
    "Ord", "PartialEq", "PartialOrd", "Result", "Send", "Sized", "Some", "String", "Sync", "ToOwned", "ToString", "TryFrom",
    "TryInto", "Unpin", "Vec",
];

/// Keywords that cannot be raw identifiers: they get a `_` suffix instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Splits a spec name into words: on non-alphanumerics, lower->Upper, and the
/// end of an acronym (`HTTPServer` -> `HTTP Server`, `ACLs` stays one word).
fn words(raw: &str) -> Vec<String> {
    // Known mixed-case acronyms heck would split badly (`IPv4` -> `i_pv4`).
    let mut s = raw.to_string();
    for (from, to) in [("IPv4", "Ipv4"), ("IPv6", "Ipv6"), ("OAuth", "Oauth"), ("IDs", "Ids")] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next = chars.get(i + 1).copied();
            let after = chars.get(i + 2).copied();
            let lower_before = prev.is_ascii_lowercase() || prev.is_ascii_digit();
            // `HTTPServer`: a capital followed by a lowercase ends the acronym,
            // except a plural `s` closing the word (`ACLs`).
            let plural_s = next == Some('s') && !after.is_some_and(|a| a.is_ascii_lowercase());
            let acronym_end = prev.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()) && !plural_s;
            if lower_before || acronym_end {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The words, lower-cased so heck does not split them again (`ACLs`).
fn joined(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 4);
    for (i, word) in words(raw).iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

/// `snake_case` identifier (fields, functions, modules), keyword-safe.
pub fn snake(raw: &str) -> String {
    // most spec names are snake_case already: nothing to split or recase
    if is_plain_snake(raw) {
        return escape_keyword(raw.to_string());
    }
    let mut s = joined(raw).to_snake_case();
    if s.is_empty() {
        s = "empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("_{s}");
    }
    escape_keyword(s)
}

/// `a`, `id_user`, `v2`: lowercase words of letters and digits joined by
/// single underscores, starting with a letter.
fn is_plain_snake(raw: &str) -> bool {
    raw.starts_with(|c: char| c.is_ascii_lowercase())
        && raw.split('_').all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// `PascalCase` identifier (types, variants), keyword-safe.
pub fn pascal(raw: &str) -> String {
    // `Account`, `websiteUnavailable`: the words are where the capitals are
    if is_plain_camel(raw) {
        let mut s = raw.to_string();
        s[..1].make_ascii_uppercase();
        return escape_keyword(s);
    }
    pascal_by_words(raw)
}

/// Letters and digits starting with a letter, no two capitals in a row
/// (an acronym has words of its own).
fn is_plain_camel(raw: &str) -> bool {
    raw.starts_with(|c: char| c.is_ascii_alphabetic())
        && raw.bytes().all(|b| b.is_ascii_alphanumeric())
        && !raw.as_bytes().windows(2).any(|w| w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase())
}

fn pascal_by_words(raw: &str) -> String {
    let mut s = joined(raw).to_pascal_case();
    if s.is_empty() {
        s = "Empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("V{s}");
    }
    escape_keyword(s)
}

/// A module / file name: never raw (`r#type.rs` is not a file), `_` suffix.
pub fn module(raw: &str) -> String {
    let s = snake(raw);
    match s.strip_prefix("r#") {
        Some(k) => format!("{k}_"),
        None => s,
    }
}

fn escape_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if is_keyword(&s) {
        format!("r#{s}")
    } else {
        s
    }
}

/// The name serde sees for a Rust identifier (serde strips `r#`).
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Hands out unique names inside one scope (a struct's fields, a module's
/// items). Candidates that are already exact get their name first, so
/// `links` keeps `links` and `_links` becomes `links_2`, whatever the order.
#[derive(Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope for type names: the prelude's are taken.
    pub fn for_types() -> Self {
        Scope::with_reserved(&[PRELUDE, ROOT_NAMES].concat())
    }

    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `name`, or `name2`/`name_2`, `…3` ... when taken.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = unraw(&name).to_string();
        let pascal = base.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        // `Self_` + 2 is `Self2` and `self_` + 2 is `self_2`, not `self__2`
        let trimmed = base.trim_end_matches('_');
        let base = if trimmed.is_empty() { base.clone() } else { trimmed.to_string() };
        let sep = if pascal { "" } else { "_" };
        if ROOT_NAMES.contains(&base.as_str()) && self.taken.insert(format!("{base}Model")) {
            return format!("{base}Model");
        }
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }
}

/// Assigns unique snake_case names to a list of wire names, exact ones first.
pub fn unique_snake(wire: &[String], reserved: &[&str]) -> Vec<String> {
    assign(wire, reserved, snake)
}

/// Assigns unique PascalCase names to a list of wire names, exact ones first.
pub fn unique_pascal(wire: &[String], reserved: &[&str]) -> Vec<String> {
    assign(wire, reserved, pascal)
}

fn assign(wire: &[String], reserved: &[&str], case: fn(&str) -> String) -> Vec<String> {
    let mut scope = Scope::with_reserved(reserved);
    let mut out = vec![String::new(); wire.len()];
    // each name once: casing is most of the cost
    let names: Vec<String> = wire.iter().map(|w| case(w)).collect();
    // exact: the name is the wire name, give or take a keyword's `r#` or `_`
    let is_exact = |i: usize| {
        let (name, w) = (unraw(&names[i]), wire[i].as_str());
        name == w || name.strip_suffix('_') == Some(w)
    };
    let exact_first = |exact: bool| (0..wire.len()).filter(move |&i| is_exact(i) == exact);
    let order: Vec<usize> = exact_first(true).chain(exact_first(false)).collect();
    for i in order {
        let name = if reserved.contains(&unraw(&names[i])) { case(&format!("{}_value", wire[i])) } else { names[i].clone() };
        out[i] = scope.claim(name);
    }
    out
}

/// One piece of a path template: literal text or a `{parameter}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPiece {
    Literal(String),
    Param(String),
}

/// Splits a path template into literal text and `{parameters}`, which may
/// sit anywhere in a segment (`/reports/{id}.pdf`). An unclosed `{` is text.
pub fn path_pieces(path: &str) -> Vec<PathPiece> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        if open > 0 {
            out.push(PathPiece::Literal(rest[..open].to_string()));
        }
        out.push(PathPiece::Param(rest[open + 1..close].to_string()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(PathPiece::Literal(rest.to_string()));
    }
    out
}

/// A deterministic operation name when the spec gives no operationId: the
/// method and the literal path segments (`GET /users/{id}/accounts` ->
/// `get_users_accounts`, `DELETE /users/{id}` -> `delete_users_by_id`).
/// `detailed` names every parameter in place (`get_users_by_id_accounts`),
/// for when the short names of two operations are the same.
pub fn operation_name_from_path(method: &str, path: &str, detailed: bool) -> String {
    let mut raw = method.to_lowercase();
    let pieces = path_pieces(path.trim_end_matches('/'));
    for piece in &pieces {
        match piece {
            PathPiece::Literal(l) => {
                raw.push('_');
                raw.push_str(l);
            }
            PathPiece::Param(p) if detailed => {
                raw.push_str("_by_");
                raw.push_str(p);
            }
            PathPiece::Param(_) => {}
        }
    }
    if !detailed && matches!(pieces.last(), Some(PathPiece::Param(_))) {
        raw.push_str("_by_id");
    }
    snake(&raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut for camelCase and PascalCase names gives what the full
    /// conversion gives, over many names.
    #[test]
    fn plain_camel_names_are_capitalised() {
        let mut names: Vec<String> = ["Account", "websiteUnavailable", "v2Beta", "abc1Def", "x", "A", "Self", "aB1c", "tEST"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // every name of up to 4 characters from a small alphabet
        let alphabet = ['a', 'b', 'A', 'B', '1'];
        let mut frontier = vec![String::new()];
        for _ in 0..4 {
            frontier = frontier.iter().flat_map(|p| alphabet.iter().map(move |c| format!("{p}{c}"))).collect();
            names.extend(frontier.iter().cloned());
        }
        for raw in names.iter().filter(|n| is_plain_camel(n)) {
            assert_eq!(pascal(raw), pascal_by_words(raw), "{raw}");
        }
    }

    /// The shortcut for names already in snake_case gives what the full
    /// conversion gives.
    #[test]
    fn plain_snake_names_are_kept() {
        for raw in ["a", "id_user", "v2", "a1_b2", "type", "self", "x9y", "abc_1", "ipv4_addr"] {
            assert!(is_plain_snake(raw), "{raw}");
            let slow = escape_keyword({
                let s = joined(raw).to_snake_case();
                if s.starts_with(|c: char| c.is_ascii_digit()) { format!("_{s}") } else { s }
            });
            assert_eq!(snake(raw), slow, "{raw}");
        }
        for raw in ["A", "_a", "a_", "a__b", "aB", "1a", "a-b", ""] {
            assert!(!is_plain_snake(raw), "{raw}");
        }
    }

    #[test]
    fn every_keyword_becomes_a_valid_identifier() {
        for kw in KEYWORDS {
            let s = snake(kw);
            assert!(s.starts_with("r#") || s.ends_with('_'), "{kw} -> {s}");
            assert!(syn::parse_str::<syn::Ident>(&s).is_ok(), "{kw} -> {s} does not parse");
            let p = pascal(kw);
            assert!(syn::parse_str::<syn::Ident>(&p).is_ok(), "{kw} -> {p} does not parse");
            assert!(syn::parse_str::<syn::Ident>(&module(kw)).is_ok());
        }
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(pascal("Self"), "Self_");
        assert_eq!(module("type"), "type_");
    }

    #[test]
    fn odd_names_become_identifiers() {
        assert_eq!(snake("2fa_enabled"), "_2fa_enabled");
        assert_eq!(snake("x-request-id"), "x_request_id");
        assert_eq!(snake("IPv4Address"), "ipv4_address");
        assert_eq!(snake("ACLs"), "acls");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert_eq!(snake("idUser"), "id_user");
        assert_eq!(snake("a/b"), "a_b");
        assert_eq!(snake(""), "empty");
        assert_eq!(snake("+1"), "_1");
        assert_eq!(pascal("checking"), "Checking");
        assert_eq!(pascal("1"), "V1");
        assert_eq!(pascal("SCARequired"), "ScaRequired");
        for s in ["$ref", "@id", "a.b", "ümlaut", "__"] {
            assert!(syn::parse_str::<syn::Ident>(&snake(s)).is_ok(), "{s}");
            assert!(syn::parse_str::<syn::Ident>(&pascal(s)).is_ok(), "{s}");
        }
    }

    #[test]
    fn collisions_keep_the_exact_name() {
        let names = unique_snake(&["_links".into(), "links".into()], &[]);
        assert_eq!(names, vec!["links_2", "links"]);
        let variants = unique_pascal(&["unknown".into(), "checking".into()], &["Unknown"]);
        assert_eq!(variants, vec!["UnknownValue", "Checking"]);
        // `self` is the exact one of the two, `r#` and `_` aside
        assert_eq!(unique_snake(&["Self".into(), "self".into()], &[]), vec!["self_2", "self_"]);
        assert_eq!(unique_pascal(&["self".into(), "Self".into()], &[]), vec!["Self2", "Self_"]);
        assert_eq!(unique_snake(&["x-id".into(), "x_id".into(), "X-Id".into()], &[]), vec!["x_id_2", "x_id", "x_id_3"]);
    }

    #[test]
    fn operation_names_from_paths() {
        assert_eq!(operation_name_from_path("GET", "/users/{id}/accounts", false), "get_users_accounts");
        assert_eq!(operation_name_from_path("delete", "/users/{id}", false), "delete_users_by_id");
        assert_eq!(operation_name_from_path("get", "/users/{id}/accounts", true), "get_users_by_id_accounts");
        assert_eq!(operation_name_from_path("get", "/", false), "get");
        assert_eq!(operation_name_from_path("get", "/v2.0/type/", false), "get_v2_0_type");
        assert_eq!(operation_name_from_path("get", "/reports/{id}.pdf", false), "get_reports_pdf");
        assert_eq!(operation_name_from_path("get", "/reports/{id}.pdf", true), "get_reports_by_id_pdf");
    }

    #[test]
    fn module_names_are_file_names() {
        assert_eq!(module("type"), "type_");
        assert_eq!(module("Self"), "self_");
        assert_eq!(module("PetOwner"), "pet_owner");
        assert_eq!(module("union"), "union");
        for kw in KEYWORDS {
            let m = module(kw);
            assert!(!m.starts_with("r#") && syn::parse_str::<syn::Ident>(&m).is_ok(), "{kw} -> {m}");
        }
    }

    #[test]
    fn scopes_number_what_is_taken() {
        let mut scope = Scope::with_reserved(&["mod"]);
        assert_eq!(scope.claim("mod".into()), "mod_2");
        assert_eq!(scope.claim("Foo".into()), "Foo");
        assert_eq!(scope.claim("Foo".into()), "Foo2");
        assert_eq!(scope.claim("r#type".into()), "r#type");
        assert_eq!(scope.claim("r#type".into()), "type_2");
        assert_eq!(scope.claim("Self_".into()), "Self_");
        assert_eq!(scope.claim("Self_".into()), "Self2");
        assert!(scope.is_taken("Foo2"));
    }

    #[test]
    fn reserved_names_get_a_suffix() {
        assert_eq!(unique_snake(&["send".into(), "timeout".into(), "id".into()], &["send", "timeout"]), vec!["send_value", "timeout_value", "id"]);
        assert_eq!(unique_pascal(&["Unknown".into()], &["Unknown"]), vec!["UnknownValue"]);
    }

    #[test]
    fn path_templates() {
        use PathPiece::{Literal, Param};
        assert_eq!(
            path_pieces("/reports/{id}.pdf"),
            vec![Literal("/reports/".into()), Param("id".into()), Literal(".pdf".into())]
        );
        assert_eq!(path_pieces("/a/{b"), vec![Literal("/a/{b".into())]);
        assert_eq!(path_pieces("{x}{y}"), vec![Param("x".into()), Param("y".into())]);
        assert_eq!(path_pieces(""), vec![]);
    }

    #[test]
    fn acronyms_and_digits() {
        assert_eq!(pascal("HTTPServer"), "HttpServer");
        assert_eq!(pascal("ACLs"), "Acls");
        assert_eq!(pascal("userIDs"), "UserIds");
        assert_eq!(snake("OAuthToken"), "oauth_token");
        assert_eq!(snake("v2.0"), "v2_0");
        assert_eq!(pascal("3ds_required"), "V3dsRequired");
        assert_eq!(snake("3ds_required"), "_3ds_required");
    }
}
