//! Paths and operations to IR operations: parameters in a fixed order (path
//! in URL order, query, header, cookie), one body, typed success responses.

use super::lowerer::Lowerer;
use crate::diagnostics::{join, Diagnostic};
use crate::ir::{
    Api, Body, BodyKind, Location, ModelKind, Operation, Pagination, Param, PathPart, ResponseContent, Style,
    SuccessResponse, Type, Webview,
};
use crate::names;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response, StatusCode,
};
use std::collections::BTreeMap;

/// Method names the generated client itself uses.
// the client's own methods, and the mock server's (which has a method per operation too)
const CLIENT_RESERVED: &[&str] =
    &["new", "from_runtime", "runtime", "with_bearer_token", "base_url", "clone", "fmt", "start", "uri", "client", "client_builder", "server"];
/// Setter names the request builders use themselves.
const BUILDER_RESERVED: &[&str] = &["new", "request", "send", "send_items", "timeout", "client", "body", "into_stream", "into_pages", "form_encoded", "url", "parse_callback"];

/// An operation before lowering: path, path item, method, operation,
/// pointer, and its operationId when the spec gives one.
type Entry<'a> = (&'a String, &'a PathItem, &'a str, &'a openapiv3::Operation, String, Option<String>);

impl Lowerer<'_> {
    pub(super) fn lower_operations(&mut self) -> Vec<Operation> {
        // every operation first, so names can be assigned knowing them all
        let mut entries: Vec<Entry<'_>> = Vec::new();
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in &self.spec.paths.paths {
            let path_ptr = join("#/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.diags.push(Diagnostic::warning(path_ptr, "path item $refs are not supported; skipped"));
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let ptr = join(&path_ptr, method);
                let explicit = op.operation_id.clone().filter(|id| !id.trim().is_empty());
                if let Some(id) = &explicit {
                    // a duplicate is an error, but the operation is still
                    // lowered so its other problems are reported too
                    match ids.get(id) {
                        Some(first) => self.diags.push(Diagnostic::error(
                            join(&ptr, "operationId"),
                            format!("duplicate operationId `{id}` (also at {first})"),
                        )),
                        None => {
                            ids.insert(id.clone(), ptr.clone());
                        }
                    }
                }
                entries.push((path, item, method, op, ptr, explicit));
            }
        }
        // missing operationIds: `get_users_accounts` from the literal segments,
        // or, where that name is not unique, one that names the parameters
        // too (`get_users_by_id_accounts`); order-independent either way
        let short: Vec<Option<String>> = entries
            .iter()
            .map(|(path, _, method, _, _, explicit)| explicit.is_none().then(|| names::operation_name_from_path(method, path, false)))
            .collect();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (i, (_, _, _, _, _, explicit)) in entries.iter().enumerate() {
            let name = match explicit {
                Some(id) => names::snake(id),
                None => short[i].clone().unwrap_or_default(),
            };
            *counts.entry(name).or_default() += 1;
        }
        let ids: Vec<String> = entries
            .iter()
            .zip(&short)
            .map(|((path, _, method, _, _, explicit), short)| match (explicit, short) {
                (Some(id), _) => id.clone(),
                (None, short) => {
                    let short = short.clone().unwrap_or_default();
                    if counts.get(&short).copied().unwrap_or(0) > 1 {
                        names::operation_name_from_path(method, path, true)
                    } else {
                        short
                    }
                }
            })
            .collect();
        let method_names = names::unique_snake(&ids, CLIENT_RESERVED);
        for ((.., ptr, explicit), name) in entries.iter().zip(&method_names) {
            if explicit.is_none() {
                self.diags.push(Diagnostic::warning(
                    ptr.clone(),
                    format!("no operationId; named `{}` from the method and path", names::unraw(name)),
                ));
            }
        }
        // a builder is named after its method (`get_foo_2` -> `GetFoo2`), so
        // the two agree when names had to be told apart; a method renamed for
        // a name the client reserves keeps the plain type name (`New`)
        let mut builder_scope = names::Scope::for_types();
        let type_names: Vec<String> = ids
            .iter()
            .zip(&method_names)
            .map(|(id, method)| {
                let reserved = CLIENT_RESERVED.contains(&names::unraw(&names::snake(id)));
                builder_scope.claim(names::pascal(if reserved { id } else { names::unraw(method) }))
            })
            .collect();
        // response enums (`<Builder>Response`) share the builders' namespace
        let mut type_scope = names::Scope::with_reserved(&type_names.iter().map(String::as_str).chain(names::PRELUDE.iter().copied()).collect::<Vec<_>>());
        let mut ops = Vec::new();
        for (((path, item, method, op, ptr, _), id), (method_name, type_name)) in
            entries.into_iter().zip(ids).zip(method_names.into_iter().zip(type_names))
        {
            let response_type_name = type_scope.claim(format!("{type_name}Response"));
            if let Some(lowered) = self.lower_operation(path, method, item, op, &ptr, id, method_name, type_name, response_type_name) {
                ops.push(lowered);
            }
        }
        ops
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        item: &PathItem,
        op: &openapiv3::Operation,
        ptr: &str,
        operation_id: String,
        method_name: String,
        type_name: String,
        response_type_name: String,
    ) -> Option<Operation> {
        let tag = op.tags.first().cloned().unwrap_or_else(|| "default".into());
        let (params, path_parts) = self.lower_params(path, item, op, ptr, &type_name);
        let body = op.request_body.as_ref().and_then(|b| self.lower_body(b, &join(ptr, "requestBody"), &type_name));
        let responses = self.lower_responses(op, ptr, &type_name);
        let security = op.security.as_ref().or(self.spec.security.as_ref());
        let secured = security.is_some_and(|reqs| reqs.iter().any(|r| !r.is_empty()));
        let webview = op.extensions.get("x-webview").map(|w| {
            let mut field = |key: &str| {
                w.pointer(&format!("/{key}/$ref"))
                    .and_then(|r| r.as_str())
                    .map(|r| self.reference(r, &join(&join(ptr, "x-webview"), key)))
            };
            Webview { callback: field("callback"), error: field("error") }
        });
        Some(Operation {
            method_name,
            type_name,
            response_type_name,
            operation_id,
            http_method: method.to_uppercase(),
            path: path.to_string(),
            path_parts,
            module: names::module(&tag),
            tag,
            summary: op.summary.clone(),
            doc: op.description.clone(),
            deprecated: op.deprecated,
            timeout_seconds: op.extensions.get("x-timeout").and_then(serde_json::Value::as_u64),
            params,
            body,
            responses,
            secured,
            webview,
            pagination: None,
        })
    }

    fn lower_params(
        &mut self,
        path: &str,
        item: &PathItem,
        op: &openapiv3::Operation,
        ptr: &str,
        type_name: &str,
    ) -> (Vec<Param>, Vec<PathPart>) {
        // a query string written into the path key (`/search?query={query}`,
        // as some real specs do): its parameters are declared `in: query`
        // and sent there; the path is what comes before `?`
        let path = match path.split_once('?') {
            Some((before, query)) => {
                self.diags.push(Diagnostic::warning(
                    ptr.rsplit_once('/').map_or(ptr, |(p, _)| p).to_string(),
                    format!("the path `{path}` holds a query string (`?{query}`): only `{before}` is the path; query parameters are sent as declared"),
                ));
                before
            }
            None => path,
        };
        // operation parameters override path-level ones with the same name+location
        let mut declared: Vec<(String, Parameter)> = Vec::new();
        let path_ptr = ptr.rsplit_once('/').map(|(p, _)| p.to_string()).unwrap_or_default();
        for (list, base) in [(&item.parameters, join(&path_ptr, "parameters")), (&op.parameters, join(ptr, "parameters"))] {
            for (i, p) in list.iter().enumerate() {
                let pptr = join(&base, &i.to_string());
                let Some(p) = self.resolve_parameter(p, &pptr) else { continue };
                let data = p.parameter_data_ref();
                declared.retain(|(_, q)| !(q.parameter_data_ref().name == data.name && location(q) == location(&p)));
                declared.push((pptr, p));
            }
        }
        let pieces = names::path_pieces(path);
        let template_names: Vec<String> = pieces
            .iter()
            .filter_map(|p| match p {
                names::PathPiece::Param(n) => Some(n.clone()),
                names::PathPiece::Literal(_) => None,
            })
            .collect();
        let mut params = Vec::new();
        let mut pointers: Vec<(String, Location, String)> = Vec::new();
        for (pptr, p) in &declared {
            let data = p.parameter_data_ref();
            let loc = location(p);
            pointers.push((data.name.clone(), loc, pptr.clone()));
            if loc == Location::Path && !template_names.contains(&data.name) {
                self.diags.push(Diagnostic::warning(pptr.clone(), format!("path parameter `{}` is not in the path `{path}`; ignored", data.name)));
                continue;
            }
            let hint = format!("{type_name}{}", names::pascal(&data.name));
            let (ty, json) = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    let sptr = join(pptr, "schema");
                    let ty = self.schema_type(s, &hint, &sptr).0;
                    if let ReferenceOr::Item(schema) = s {
                        self.check_default(schema, &ty, &sptr);
                    }
                    (ty, false)
                }
                ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                    Some((media, mt)) => {
                        let json = media.contains("json");
                        let mptr = join(&join(&join(pptr, "content"), media), "schema");
                        let ty = match &mt.schema {
                            Some(s) if json => self.schema_type(s, &hint, &mptr).0,
                            _ => Type::String,
                        };
                        (ty, json)
                    }
                    None => (Type::String, false),
                },
            };
            let schema_extensions = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => Some(&s.schema_data.extensions),
                _ => None,
            };
            // tokens and one-time codes in a URL are credentials too
            let mark = data.extensions.get("x-secret").or_else(|| schema_extensions?.get("x-secret"));
            let ty = if ty == Type::String && self.is_secret(&data.name, mark, pptr) {
                Type::Secret
            } else {
                if ty != Type::String {
                    self.secret_mark_ignored(mark, pptr);
                }
                ty
            };
            let explode = match p {
                Parameter::Query { parameter_data, style, .. } => {
                    parameter_data.explode.unwrap_or(matches!(style, openapiv3::QueryStyle::Form))
                }
                Parameter::Cookie { parameter_data, .. } => parameter_data.explode.unwrap_or(true),
                _ => false,
            };
            let style = match p {
                _ if json => Style::Json,
                Parameter::Query { style, .. } => match style {
                    openapiv3::QueryStyle::Form => Style::Form,
                    openapiv3::QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                    openapiv3::QueryStyle::PipeDelimited => Style::PipeDelimited,
                    openapiv3::QueryStyle::DeepObject => Style::DeepObject,
                },
                Parameter::Cookie { .. } => Style::Form,
                Parameter::Path { style, .. } => {
                    if !matches!(style, openapiv3::PathStyle::Simple) {
                        self.diags.push(Diagnostic::warning(
                            join(pptr, "style"),
                            format!("path style `{}` is not supported; the value is written as `style: simple`", if matches!(style, openapiv3::PathStyle::Matrix) { "matrix" } else { "label" }),
                        ));
                    }
                    Style::Simple
                }
                Parameter::Header { .. } => Style::Simple,
            };
            params.push(Param {
                rust: String::new(),
                wire: data.name.clone(),
                location: loc,
                ty,
                required: data.required || loc == Location::Path,
                explode,
                style,
                min_items: match &data.format {
                    ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => match &schema.schema_kind {
                        openapiv3::SchemaKind::Type(openapiv3::Type::Array(array)) => array.min_items.unwrap_or(0),
                        _ => 0,
                    },
                    _ => 0,
                },
                doc: data.description.clone(),
            });
        }
        for name in &template_names {
            if !params.iter().any(|p| p.location == Location::Path && &p.wire == name) {
                self.diags.push(Diagnostic::error(
                    join(ptr, "parameters"),
                    format!("the path `{path}` has `{{{name}}}` but no path parameter `{name}` is declared"),
                ));
                params.push(Param {
                    rust: String::new(),
                    wire: name.clone(),
                    location: Location::Path,
                    ty: Type::String,
                    required: true,
                    explode: false,
                    style: Style::Simple,
                    min_items: 0,
                    doc: None,
                });
            }
        }
        // path in URL order, then query, header, cookie (stable within each)
        let order = |p: &Param| match p.location {
            Location::Path => template_names.iter().position(|n| n == &p.wire).unwrap_or(0),
            Location::Query => 1000,
            Location::Header => 2000,
            Location::Cookie => 3000,
        };
        params.sort_by_key(order);
        // a query parameter named like a path parameter gets a suffixed Rust name
        let clashes: Vec<bool> = params
            .iter()
            .map(|p| p.location != Location::Path && params.iter().any(|q| q.location == Location::Path && q.wire == p.wire))
            .collect();
        let wire: Vec<String> = params
            .iter()
            .zip(&clashes)
            .map(|(p, clash)| if *clash { format!("{}_{}", p.wire, p.location.word()) } else { p.wire.clone() })
            .collect();
        for (p, rust) in params.iter_mut().zip(names::unique_snake(&wire, BUILDER_RESERVED)) {
            p.rust = rust;
        }
        for (p, _) in params.iter().zip(&clashes).filter(|(_, clash)| **clash) {
            let pptr = pointers
                .iter()
                .find(|(wire, loc, _)| *wire == p.wire && *loc == p.location)
                .map(|(.., ptr)| ptr.clone())
                .unwrap_or_else(|| join(ptr, "parameters"));
            self.diags.push(Diagnostic::warning(
                pptr,
                format!(
                    "{} parameter `{}` has the name of a path parameter; its setter is `{}`",
                    p.location.word(),
                    p.wire,
                    names::unraw(&p.rust)
                ),
            ));
        }
        let parts = pieces
            .iter()
            .map(|piece| match piece {
                names::PathPiece::Literal(l) => PathPart::Literal(l.clone()),
                names::PathPiece::Param(name) => {
                    PathPart::Param(params.iter().position(|p| p.location == Location::Path && &p.wire == name).unwrap_or(0))
                }
            })
            .collect();
        (params, parts)
    }

    fn resolve_parameter(&mut self, p: &ReferenceOr<Parameter>, ptr: &str) -> Option<Parameter> {
        match p {
            ReferenceOr::Item(p) => Some(p.clone()),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/parameters/");
                let found = name.and_then(|n| self.spec.components.as_ref()?.parameters.get(n));
                match found {
                    Some(ReferenceOr::Item(p)) => Some(p.clone()),
                    _ => {
                        let known = self.spec.components.as_ref().map(|c| c.parameters.keys().map(String::as_str).collect::<Vec<_>>()).unwrap_or_default();
                        self.diags.push(Diagnostic::error(join(ptr, "$ref"), format!("dangling parameter $ref `{reference}`{}", did_you_mean(name, &known))));
                        None
                    }
                }
            }
        }
    }

    fn lower_body(&mut self, body: &ReferenceOr<RequestBody>, ptr: &str, type_name: &str) -> Option<Body> {
        let body = match body {
            ReferenceOr::Item(b) => b.clone(),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/");
                match name.and_then(|n| self.spec.components.as_ref()?.request_bodies.get(n)) {
                    Some(ReferenceOr::Item(b)) => b.clone(),
                    _ => {
                        let known = self.spec.components.as_ref().map(|c| c.request_bodies.keys().map(String::as_str).collect::<Vec<_>>()).unwrap_or_default();
                        self.diags.push(Diagnostic::error(join(ptr, "$ref"), format!("dangling requestBody $ref `{reference}`{}", did_you_mean(name, &known))));
                        return None;
                    }
                }
            }
        };
        let content = self.media_types(&body.content, &join(ptr, "content"));
        let pick = |kind: BodyKind| content.iter().find(|(_, k, _)| *k == kind);
        let chosen = pick(BodyKind::Json).or(pick(BodyKind::Multipart)).or(pick(BodyKind::Form)).or(pick(BodyKind::Bytes))?;
        let (media, kind, mt) = chosen.clone();
        let also_form = kind == BodyKind::Json && pick(BodyKind::Form).is_some();
        let hint = format!("{type_name}Body");
        let mptr = join(&join(&join(ptr, "content"), &media), "schema");
        let ty = match (&mt.schema, kind) {
            (_, BodyKind::Bytes) => Type::Binary,
            (Some(s), _) => self.schema_type(s, &hint, &mptr).0,
            (None, _) => Type::Any,
        };
        let multipart_fields = match (&ty, kind) {
            (Type::Named(n), BodyKind::Multipart) => match self.models.get(n).map(|m| &m.kind) {
                Some(ModelKind::Struct(s)) => s.fields.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        // a file the body holds deeper than a part can (in an object, in a
        // list of objects): that field goes as a JSON part, which cannot
        // carry a file
        let base = match &mt.schema {
            Some(ReferenceOr::Reference { reference }) => reference.clone(),
            _ => mptr.clone(),
        };
        for field in &multipart_fields {
            if !self.is_part(&field.ty, 0) && self.holds_file(&field.ty, &mut Vec::new()) {
                self.diags.push(Diagnostic::warning(
                    join(&join(&base, "properties"), &field.wire),
                    "this multipart field holds a file inside a structure, which cannot be a part: it is sent as a JSON part, and sending fails for a file",
                ));
            }
        }
        if kind == BodyKind::Multipart && multipart_fields.is_empty() {
            self.diags.push(Diagnostic::warning(mptr, "multipart body without object properties: sent as one JSON part named `body`"));
        }
        Some(Body { kind, also_form, required: body.required, ty, media_type: media, multipart_fields, doc: body.description })
    }

    /// Whether a multipart field of this type goes as parts of its own (a
    /// file, files, text, or an untagged union of those), as `emit` sends it.
    fn is_part(&self, ty: &Type, depth: usize) -> bool {
        match ty {
            Type::Array(item) => depth == 0 && self.is_part(item, 1) && !matches!(**item, Type::Array(_)),
            Type::Named(name) => match self.models.get(name).map(|m| &m.kind) {
                Some(ModelKind::Enum(_) | ModelKind::ScalarUnion { .. }) => true,
                Some(ModelKind::Union { variants, tag: None }) if depth == 0 => variants.iter().all(|v| self.is_part(&v.ty, 0)),
                _ => false,
            },
            Type::Any | Type::JsonObject | Type::Map(_) | Type::Nullable(_) => false,
            _ => true,
        }
    }

    /// Whether a value of this type holds a file anywhere.
    fn holds_file(&self, ty: &Type, seen: &mut Vec<String>) -> bool {
        match ty {
            Type::Binary => true,
            Type::Array(inner) | Type::Map(inner) | Type::Nullable(inner) => self.holds_file(inner, seen),
            Type::Named(name) if !seen.contains(name) => {
                seen.push(name.clone());
                match self.models.get(name).map(|m| &m.kind) {
                    Some(ModelKind::Struct(s)) => s.fields.iter().any(|f| self.holds_file(&f.ty, seen)),
                    Some(ModelKind::Union { variants, .. }) => variants.iter().any(|v| self.holds_file(&v.ty, seen)),
                    Some(ModelKind::Alias(inner) | ModelKind::Newtype(inner)) => self.holds_file(inner, seen),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Classifies each `content` key; non-media-type keys are warned about and skipped.
    fn media_types(&mut self, content: &indexmap::IndexMap<String, MediaType>, ptr: &str) -> Vec<(String, BodyKind, MediaType)> {
        let mut out = Vec::new();
        for (key, mt) in content {
            let media = key.split(';').next().unwrap_or(key).trim().to_ascii_lowercase();
            if !media.contains('/') {
                self.diags.push(Diagnostic::warning(join(ptr, key), format!("`{key}` is not a media type; ignored")));
                continue;
            }
            let kind = if media == "application/json" || media.ends_with("+json") || media == "*/*" && mt.schema.is_some() || media == "text/json" {
                BodyKind::Json
            } else if media == "multipart/form-data" {
                BodyKind::Multipart
            } else if media == "application/x-www-form-urlencoded" {
                BodyKind::Form
            } else {
                BodyKind::Bytes
            };
            out.push((key.clone(), kind, mt.clone()));
        }
        out
    }

    fn lower_responses(&mut self, op: &openapiv3::Operation, ptr: &str, type_name: &str) -> Vec<SuccessResponse> {
        let mut out = Vec::new();
        let successes: Vec<(&StatusCode, &ReferenceOr<Response>)> = op
            .responses
            .responses
            .iter()
            .filter(|(s, _)| match s {
                StatusCode::Code(c) => (200..300).contains(c),
                StatusCode::Range(r) => *r == 2,
            })
            .collect();
        let several = successes.len() > 1;
        for (status, resp) in successes {
            let key = status.to_string();
            let rptr = join(&join(ptr, "responses"), &key);
            let resp = match resp {
                ReferenceOr::Item(r) => r.clone(),
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix("#/components/responses/");
                    match name.and_then(|n| self.spec.components.as_ref()?.responses.get(n)) {
                        Some(ReferenceOr::Item(r)) => r.clone(),
                        _ => {
                            let known = self.spec.components.as_ref().map(|c| c.responses.keys().map(String::as_str).collect::<Vec<_>>()).unwrap_or_default();
                            self.diags.push(Diagnostic::error(join(&rptr, "$ref"), format!("dangling response $ref `{reference}`{}", did_you_mean(name, &known))));
                            continue;
                        }
                    }
                }
            };
            let code = match status {
                StatusCode::Code(c) => Some(*c),
                StatusCode::Range(_) => None,
            };
            let variant = variant_name(code);
            let hint = if several { format!("{type_name}{variant}Response") } else { format!("{type_name}Response") };
            let media = self.media_types(&resp.content, &join(&rptr, "content"));
            let content = match media.iter().find(|(_, k, _)| *k == BodyKind::Json).or(media.first()) {
                None => ResponseContent::None,
                Some((m, BodyKind::Json, mt)) => match &mt.schema {
                    // a file under a JSON media type is no JSON: its bytes
                    Some(s) => match self.schema_type(s, &hint, &join(&join(&join(&rptr, "content"), m), "schema")).0 {
                        Type::Binary => ResponseContent::Bytes,
                        ty => ResponseContent::Json(ty),
                    },
                    None => ResponseContent::Json(Type::Any),
                },
                // plain text (not a binary string) reads as a `String`
                Some((m, _, mt)) if m.to_ascii_lowercase().starts_with("text/") && !is_binary(mt) => ResponseContent::Text,
                Some(_) => ResponseContent::Bytes,
            };
            out.push(SuccessResponse { status: code, variant, content, doc: Some(resp.description.clone()).filter(|d| !d.is_empty()) });
        }
        out
    }
}

/// Whether a media type's schema is `type: string, format: binary`.
fn is_binary(mt: &MediaType) -> bool {
    use openapiv3::{SchemaKind, StringFormat, Type as T, VariantOrUnknownOrEmpty};
    match &mt.schema {
        Some(ReferenceOr::Item(s)) => match &s.schema_kind {
            SchemaKind::Type(T::String(st)) => st.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary),
            _ => false,
        },
        _ => false,
    }
}

fn location(p: &Parameter) -> Location {
    match p {
        Parameter::Path { .. } => Location::Path,
        Parameter::Query { .. } => Location::Query,
        Parameter::Header { .. } => Location::Header,
        Parameter::Cookie { .. } => Location::Cookie,
    }
}


fn variant_name(code: Option<u16>) -> String {
    match code {
        Some(200) => "Ok".into(),
        Some(201) => "Created".into(),
        Some(202) => "Accepted".into(),
        Some(203) => "NonAuthoritative".into(),
        Some(204) => "NoContent".into(),
        Some(206) => "PartialContent".into(),
        Some(c) => format!("Status{c}"),
        None => "Success".into(),
    }
}

/// Offset/limit list operations whose response holds one array of items
/// can be consumed as a stream of items.
pub(super) fn detect_pagination(api: &mut Api) {
    let models: BTreeMap<String, ModelKind> = api.models.iter().map(|m| (m.name.clone(), m.kind.clone())).collect();
    for op in &mut api.operations {
        let has = |name: &str| {
            op.params.iter().any(|p| p.location == Location::Query && p.wire == name && matches!(p.ty, Type::I64 | Type::I32))
        };
        if !(has("offset") && has("limit")) || op.responses.len() != 1 {
            continue;
        }
        let ResponseContent::Json(Type::Named(name)) = &op.responses[0].content else { continue };
        let Some(ModelKind::Struct(s)) = models.get(name) else { continue };
        let arrays: Vec<_> = s.fields.iter().filter(|f| matches!(f.ty, Type::Array(_))).collect();
        let [items] = arrays.as_slice() else { continue };
        let Type::Array(item) = &items.ty else { continue };
        let total_field = s.fields.iter().find(|f| f.wire == "total").and_then(|f| match f.ty {
            Type::I64 | Type::I32 => Some((f.rust.clone(), true, f.required && !f.nullable)),
            Type::F64 | Type::F32 => Some((f.rust.clone(), false, f.required && !f.nullable)),
            _ => None,
        });
        let item_id = match &**item {
            Type::Named(name) => match models.get(name) {
                Some(ModelKind::Struct(s)) => s.fields.iter().find(|f| f.wire == "id" && matches!(f.ty, Type::I64 | Type::I32)),
                _ => None,
            },
            _ => None,
        }
        .map(|f| (f.rust.clone(), f.required && !f.nullable, f.ty == Type::I32));
        op.pagination = Some(Pagination {
            items_field: items.rust.clone(),
            items_wire: items.wire.clone(),
            items_optional: !items.required || items.nullable,
            item: (**item).clone(),
            total_field,
            item_id,
        });
    }
}

/// ` (did you mean `Name`?)` for a dangling `$ref` close to a component's name.
pub(super) fn did_you_mean(name: Option<&str>, known: &[&str]) -> String {
    name.and_then(|n| crate::diagnostics::closest(n, known)).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default()
}
