//! A list page decoded item by item: one item that does not decode costs
//! that item, not the page.

use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::error::ItemError;
use crate::json::{decode_json, with_missing_field};
use crate::Error;

/// One page of an offset/limit list, each item decoded on its own: what a
/// list operation's `send_items` returns, and what its `into_stream` pages
/// through.
///
/// An item that does not decode is an [`Error::Item`] in its place (the
/// operation, the item's index and offset, the JSON path of the failing
/// field, its raw JSON with credentials redacted); the other items are
/// there. The rest of the response (`total`, ...) decodes as strictly as
/// `send`'s, and a response whose rest does not decode is an error, not a
/// page.
#[derive(Debug)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's items, in order.
    pub items: Vec<Result<T, Error>>,
    /// The number of items in the whole list, when the page says.
    pub total: Option<i64>,
    /// The offset of the page's first item in the list.
    pub offset: i64,
    /// The operation the page comes from (name, method and path
    /// template), when the request named it: what paging errors name.
    pub operation: Option<&'static str>,
}

impl<T> Page<T> {
    /// A page from its parts (for tests and hand-written helpers).
    pub fn new(items: Vec<Result<T, Error>>, total: Option<i64>, offset: i64) -> Page<T> {
        Page { items, total, offset, operation: None }
    }

    /// The items that decoded, in order.
    pub fn decoded(&self) -> impl Iterator<Item = &T> {
        self.items.iter().filter_map(|item| item.as_ref().ok())
    }

    /// The errors of the items that did not decode, in order.
    pub fn errors(&self) -> impl Iterator<Item = &Error> {
        self.items.iter().filter_map(|item| item.as_ref().err())
    }
}

/// The members of a JSON object in order (a key given twice twice), each
/// value as its raw text.
struct Members(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Members, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// How a page is read: which operation it comes from (for its errors), the
/// name of its items field, its offset in the list.
#[derive(Clone, Copy)]
pub(crate) struct PageOf<'a> {
    pub(crate) operation: Option<&'static str>,
    pub(crate) status: u16,
    pub(crate) content_type: Option<&'a str>,
    /// The wire name of the field holding the items (from the spec);
    /// another array member of the response that proves to be the items is
    /// taken when there is no such member.
    pub(crate) items_field: &'a str,
    pub(crate) offset: i64,
}

/// Decodes a list page `P` whose items `split` takes out (with the total).
///
/// The whole page is decoded first, as `send` does: when it decodes, every
/// item is good and nothing more is done. When it does not, the response is
/// read again as an object of raw members: the rest of the page (every
/// member but the items array, which is replaced by `[]`) must decode as
/// `P`, and each item is decoded on its own from its raw text (never
/// through `serde_json::Value`, so amounts stay exact), an item that fails
/// becoming an [`Error::Item`]. A response that is not such an object, or
/// whose rest does not decode, is the error `send` would give.
pub(crate) fn decode_page<P, T>(
    of: PageOf<'_>,
    body: &[u8],
    mut split: impl FnMut(P) -> (Vec<T>, Option<i64>),
) -> Result<Page<T>, Error>
where
    P: DeserializeOwned,
    T: DeserializeOwned,
{
    if let Ok(page) = serde_json::from_slice::<P>(body) {
        return Ok(all_good(split(page), of));
    }
    // `send`'s error (decoding is deterministic: it fails again)
    let strict = |split: &mut dyn FnMut(P) -> (Vec<T>, Option<i64>)| {
        decode_json::<P>(of.operation, of.status, of.content_type, body).map(|page| all_good(split(page), of))
    };
    let Ok(Members(members)) = serde_json::from_slice::<Members>(body) else {
        return strict(&mut split);
    };
    // the items: the array member named like the items field, or else the
    // array member without which the rest decodes with no items
    let arrays = members.iter().enumerate().filter(|(_, (_, value))| value.get().starts_with('['));
    let named = arrays.clone().find(|(_, (key, _))| key == of.items_field.trim_start_matches("r#")).map(|(at, _)| at);
    let candidates = named.into_iter().chain(arrays.map(|(at, _)| at).filter(|at| Some(*at) != named));
    let mut chosen = None;
    for at in candidates {
        if let Ok(page) = serde_json::from_str::<P>(&without_items(&members, at)) {
            let (rest, total) = split(page);
            if rest.is_empty() {
                chosen = Some((at, total));
                break;
            }
        }
    }
    let Some((at, total)) = chosen else {
        // the rest of the page does not decode: its error, with the body
        let rest = named.map(|at| without_items(&members, at));
        return match rest.map(|rest| decode_json::<P>(of.operation, of.status, of.content_type, rest.as_bytes())) {
            Some(Err(Error::Decode { operation, status, path, message, .. })) => Err(Error::Decode {
                operation,
                status,
                path,
                message: without_position(message),
                body: String::from_utf8_lossy(body).into_owned(),
            }),
            _ => strict(&mut split),
        };
    };
    let (field, raw_items) = &members[at];
    let Ok(raw_items) = serde_json::from_str::<Vec<Box<RawValue>>>(raw_items.get()) else {
        return strict(&mut split);
    };
    let items = raw_items.iter().enumerate().map(|(index, raw)| decode_item(of, field, index, raw)).collect();
    Ok(Page { items, total, offset: of.offset, operation: of.operation })
}

/// A page whose items all decoded.
fn all_good<T>((items, total): (Vec<T>, Option<i64>), of: PageOf<'_>) -> Page<T> {
    Page { items: items.into_iter().map(Ok).collect(), total, offset: of.offset, operation: of.operation }
}

/// The object of `members` with the value of the member at `at` replaced by
/// `[]`: the page without its items.
fn without_items(members: &[(String, Box<RawValue>)], at: usize) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::Value::from(key.as_str()).to_string());
        out.push(':');
        out.push_str(if i == at { "[]" } else { value.get() });
    }
    out.push('}');
    out
}

/// serde_json's message without its ` at line L column C`, which would
/// point into the page rebuilt without its items, not into the body.
fn without_position(message: String) -> String {
    let Some(at) = message.rfind(" at line ") else { return message };
    let rest = &message[at + " at line ".len()..];
    let position = rest
        .split_once(" column ")
        .is_some_and(|(line, column)| !line.is_empty() && !column.is_empty() && (line.to_owned() + column).bytes().all(|b| b.is_ascii_digit()));
    if position {
        message[..at].to_owned()
    } else {
        message
    }
}

/// One item, from its raw text: first without tracking the path (the fast
/// way), then, when it fails, again with it to name the failing field.
fn decode_item<T: DeserializeOwned>(of: PageOf<'_>, field: &str, index: usize, raw: &RawValue) -> Result<T, Error> {
    let text = raw.get();
    let first = match serde_json::from_str::<T>(text) {
        Ok(item) => return Ok(item),
        Err(error) => error,
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let (inner, message) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => {
            let path = error.path().to_string();
            let error = error.into_inner();
            (with_missing_field(path, &error), error.to_string())
        }
        Ok(_) => (".".to_owned(), first.to_string()),
    };
    let path = match inner.as_str() {
        "." => format!("{field}[{index}]"),
        inner if inner.starts_with('[') => format!("{field}[{index}]{inner}"),
        inner => format!("{field}[{index}].{inner}"),
    };
    let offset = of.offset.saturating_add(i64::try_from(index).unwrap_or(i64::MAX));
    Err(Error::Item(Box::new(ItemError::new(of.operation, index, offset, path, message, text))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Amount, Response};

    #[derive(Debug, Deserialize, PartialEq)]
    struct Transaction {
        id: i64,
        value: Option<Amount>,
        wording: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    struct TransactionsList {
        transactions: Vec<Transaction>,
        total: Option<i64>,
    }

    const OPERATION: &str = "listTransactions (GET /users/{id_user}/transactions)";

    fn of(items_field: &str, offset: i64) -> PageOf<'_> {
        PageOf { operation: Some(OPERATION), status: 200, content_type: Some("application/json"), items_field, offset }
    }

    fn split(list: TransactionsList) -> (Vec<Transaction>, Option<i64>) {
        (list.transactions, list.total)
    }

    fn page(body: &str, offset: i64) -> Result<Page<Transaction>, Error> {
        decode_page(of("transactions", offset), body.as_bytes(), split)
    }

    fn item_error(item: &Result<Transaction, Error>) -> &ItemError {
        match item {
            Err(Error::Item(item)) => item,
            other => panic!("expected an item error, got {other:?}"),
        }
    }

    #[test]
    fn a_good_page_is_all_items() {
        let page = page(r#"{"transactions": [{"id": 1, "value": 10.50}, {"id": 2}], "total": 7}"#, 5).unwrap();
        assert_eq!(page.total, Some(7));
        assert_eq!(page.offset, 5);
        let items: Vec<&Transaction> = page.decoded().collect();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].value.as_ref().unwrap().to_string(), "10.50");
        assert_eq!(page.errors().count(), 0);
    }

    #[test]
    fn a_bad_item_costs_that_item_only() {
        let body = r#"{"total": 40, "transactions": [
            {"id": 1, "value": -16.22},
            {"id": 2, "value": "12,5", "wording": "x", "password": "MARKED-SECRET", "nested": {"auth_token": "MARKED-SECRET"}},
            {"wording": "no id"},
            {"id": 4, "value": 0.1000000000000000000000000000001},
            {"id": 5, "value": 123456789012345678901234567890},
            7,
            {"id": 8, "value": 1.10}
        ]}"#;
        let page = page(body, 20).unwrap();
        assert_eq!(page.total, Some(40));
        assert_eq!(page.items.len(), 7);
        let good: Vec<i64> = page.decoded().map(|t| t.id).collect();
        assert_eq!(good, [1, 8]);
        assert_eq!(page.items[6].as_ref().unwrap().value.as_ref().unwrap().to_string(), "1.10");

        let wrong_type = item_error(&page.items[1]);
        assert_eq!((wrong_type.index, wrong_type.offset), (1, 21));
        assert_eq!(wrong_type.path, "transactions[1].value");
        assert_eq!(wrong_type.operation, Some(OPERATION));
        assert!(wrong_type.raw.contains(r#""value": "12,5""#), "{}", wrong_type.raw);
        assert!(wrong_type.raw.contains(r#""password": "[redacted]""#), "{}", wrong_type.raw);
        assert!(!wrong_type.raw.contains("MARKED-SECRET"), "{}", wrong_type.raw);
        let error = &page.items[1].as_ref().unwrap_err();
        for shown in [error.to_string(), format!("{error:?}"), format!("{error:#?}")] {
            assert!(!shown.contains("MARKED-SECRET"), "{shown}");
        }
        assert!(error.to_string().starts_with(&format!("{OPERATION}: cannot decode item 1 of the page (offset 21) at `transactions[1].value`: ")), "{error}");
        assert_eq!(error.operation(), Some(OPERATION));

        assert_eq!(item_error(&page.items[2]).path, "transactions[2].id");
        // money is exact or the item fails: never rounded
        for (at, digits) in [(3, "0.1000000000000000000000000000001"), (4, "123456789012345678901234567890")] {
            let inexact = item_error(&page.items[at]);
            assert_eq!(inexact.path, format!("transactions[{at}].value"));
            assert!(inexact.raw.contains(digits), "the amount as it came: {}", inexact.raw);
        }
        assert_eq!(item_error(&page.items[5]).path, "transactions[5]");
        assert_eq!(item_error(&page.items[5]).raw, "7");
    }

    #[test]
    fn the_rest_of_the_page_still_decodes_strictly() {
        let body = r#"{"transactions": [{"id": 1}, {"id": "bad"}], "total": "many"}"#;
        match page(body, 0) {
            Err(Error::Decode { path, message, body: raw, operation, status }) => {
                assert_eq!(path, "total");
                assert!(message.starts_with("invalid type: string \"many\""), "{message}");
                assert!(!message.contains(" at line "), "{message}");
                assert_eq!(raw, body);
                assert_eq!((operation, status), (Some(OPERATION), 200));
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        // items that are no array, a missing items field, no object, no JSON
        for body in [r#"{"transactions": {"id": 1}}"#, r#"{"total": 1}"#, "[]", "", "<html>", r#"{"transactions": []} x"#] {
            let strict = Response::new(200, Default::default(), bytes::Bytes::from(body))
                .with_operation(Some(OPERATION))
                .json::<TransactionsList>()
                .unwrap_err();
            match page(body, 0) {
                Err(error @ Error::Decode { .. }) => assert_eq!(error.to_string(), strict.to_string(), "{body}"),
                other => panic!("{body}: expected a decode error, got {other:?}"),
            }
        }
        // a key given twice is refused as by `send`
        assert!(page(r#"{"transactions": [{"id": "x"}], "transactions": []}"#, 0).is_err());
    }

    #[test]
    fn items_under_another_wire_name_are_found() {
        #[derive(Debug, Deserialize)]
        struct List {
            #[serde(rename = "Items")]
            items: Vec<Transaction>,
            #[serde(rename = "Total")]
            total: i64,
        }
        let body = r#"{"Other": [1, 2], "Items": [{"id": 1}, {"id": true}], "Total": 2}"#;
        let page = decode_page(of("items", 0), body.as_bytes(), |list: List| (list.items, Some(list.total))).unwrap();
        assert_eq!(page.total, Some(2));
        assert_eq!(page.decoded().count(), 1);
        assert_eq!(item_error(&page.items[1]).path, "Items[1].id");
    }

    #[test]
    fn positions_are_cut_only_when_they_are_positions() {
        assert_eq!(without_position("invalid type: null at line 1 column 20".into()), "invalid type: null");
        for kept in ["expected x at line one", "at line 1 column ", "foo at line 1 column 2x"] {
            assert_eq!(without_position(kept.into()), kept);
        }
    }
}
