//! `multipart/form-data` bodies, kept as plain data so they can be rebuilt
//! for every attempt (reqwest's forms are consumed by sending).

use std::fmt;

use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use serde::Serialize;

use crate::error::BodyLen;
use crate::Error;

/// A file to upload in a [`Multipart`] body.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    /// The file contents.
    pub bytes: Vec<u8>,
    /// The file name sent in `Content-Disposition`.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, e.g. `application/pdf`.
    pub content_type: Option<String>,
}

impl FilePart {
    /// A file with these contents, and no name or content type yet.
    pub fn new(bytes: impl Into<Vec<u8>>) -> FilePart {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name.
    pub fn file_name(mut self, file_name: impl Into<String>) -> FilePart {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the content type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> FilePart {
        self.content_type = Some(content_type.into());
        self
    }
}

/// Prints the length only: file contents can be large or private.
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("bytes", &BodyLen(self.bytes.len()))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// A file is a part of a multipart body, never JSON: a model that holds one
/// (a union of a file and a list of files, an object with a file field)
/// still has the serde impls every model has, and writing or reading the
/// file as JSON is an error that says so, never a panic.
impl Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("a file (FilePart) is sent as a multipart part of its own, never as JSON"))
    }
}

impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<FilePart, D::Error> {
        Err(serde::de::Error::custom("a file (FilePart) is not read from JSON"))
    }
}

/// One part of a form. `Bytes` makes the per-attempt copies cheap.
#[derive(Clone)]
enum PartValue {
    Text(String),
    Json(Bytes),
    File {
        bytes: Bytes,
        file_name: Option<String>,
        content_type: Option<String>,
    },
}

/// A `multipart/form-data` body.
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<(String, PartValue)>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// Adds a text field.
    pub fn text(&mut self, name: &str, value: impl fmt::Display) -> &mut Multipart {
        self.parts
            .push((name.to_owned(), PartValue::Text(value.to_string())));
        self
    }

    /// Adds a field holding `value` as JSON (`Content-Type: application/json`).
    pub fn json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let json = serde_json::to_vec(value).map_err(|error| {
            Error::invalid_request(format!(
                "multipart field `{name}` cannot be encoded: {error}"
            ))
        })?;
        self.parts
            .push((name.to_owned(), PartValue::Json(Bytes::from(json))));
        Ok(())
    }

    /// Adds a file.
    pub fn file(&mut self, name: &str, part: FilePart) -> &mut Multipart {
        let value = PartValue::File {
            bytes: Bytes::from(part.bytes),
            file_name: part.file_name,
            content_type: part.content_type,
        };
        self.parts.push((name.to_owned(), value));
        self
    }

    /// Builds a fresh reqwest form for one attempt.
    pub(crate) fn to_form(&self) -> Result<Form, Error> {
        let mut form = Form::new();
        for (name, value) in &self.parts {
            let part = match value {
                PartValue::Text(text) => Part::text(text.clone()),
                PartValue::Json(json) => with_type(bytes_part(json), name, "application/json")?,
                PartValue::File {
                    bytes,
                    file_name,
                    content_type,
                } => {
                    let mut part = bytes_part(bytes);
                    if let Some(content_type) = content_type {
                        part = with_type(part, name, content_type)?;
                    }
                    if let Some(file_name) = file_name {
                        part = part.file_name(file_name.clone());
                    }
                    part
                }
            };
            form = form.part(name.clone(), part);
        }
        Ok(form)
    }
}

fn bytes_part(bytes: &Bytes) -> Part {
    let length = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    Part::stream_with_length(bytes.clone(), length)
}

fn with_type(part: Part, name: &str, content_type: &str) -> Result<Part, Error> {
    part.mime_str(content_type).map_err(|_| {
        Error::invalid_request(format!(
            "multipart field `{name}` has an invalid content type"
        ))
    })
}

/// Prints names, kinds and sizes; never values, which may be passwords.
impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in &self.parts {
            let (kind, length) = match value {
                PartValue::Text(text) => ("text", text.len()),
                PartValue::Json(json) => ("json", json.len()),
                PartValue::File { bytes, .. } => ("file", bytes.len()),
            };
            list.entry(&format_args!("{name}: {kind} <{length} bytes>"));
        }
        list.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_no_json() {
        let error = serde_json::to_string(&FilePart::new("x")).expect_err("not JSON");
        assert!(error.to_string().contains("multipart part"), "{error}");
        let error = serde_json::from_str::<FilePart>("\"x\"").expect_err("not JSON");
        assert!(error.to_string().contains("not read from JSON"), "{error}");
    }

    #[test]
    fn debug_shows_no_contents() {
        let file = FilePart::new(b"%PDF-secret".to_vec())
            .file_name("statement.pdf")
            .content_type("application/pdf");
        assert!(!format!("{file:?}").contains("secret"));
        assert!(format!("{file:?}").contains("11 bytes"));
        let mut form = Multipart::new();
        form.text("password", "hunter2");
        form.file("document", file);
        let debug = format!("{form:?}");
        assert!(
            !debug.contains("hunter2") && !debug.contains("PDF"),
            "{debug}"
        );
        assert!(debug.contains("document: file <11 bytes>"), "{debug}");
    }

    #[test]
    fn bad_content_type_is_invalid_request() {
        let mut form = Multipart::new();
        form.file("f", FilePart::new(vec![1]).content_type("not a type\n"));
        assert!(matches!(form.to_form(), Err(Error::InvalidRequest { .. })));
        let mut ok = Multipart::new();
        ok.file("f", FilePart::new(vec![1]).content_type("image/png"));
        assert!(ok.json("meta", &serde_json::json!({"a": 1})).is_ok());
        assert!(ok.to_form().is_ok());
    }
}
