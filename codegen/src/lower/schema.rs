//! Schemas to IR types and models. Every component name is registered before
//! any schema is converted, so references resolve whatever the order.

use super::lowerer::Lowerer;
use crate::diagnostics::{join, Diagnostic};
use crate::ir::{EnumValue, Field, Model, ModelKind, Struct, Type, UnionTag, UnionVariant};
use crate::names;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat,
    VariantOrUnknownOrEmpty,
};

/// Property and parameter names whose string values are credentials:
/// redacted in `Debug` unless the spec says `x-secret: false`.
const SECRET_NAMES: &[&str] = &[
    "password", "client_secret", "secret", "access_token", "auth_token", "token", "jwt_token",
    "refresh_token", "private_key", "api_key", "apikey", "bankingPin", "banking_pin", "pin",
];

/// Whether a name looks like a credential's (`code`, `*token*`, `*secret*`,
/// `*password*`, `pin`, `otp`, `*_key`, ...): such a string must be marked
/// `x-secret: true` or `x-secret: false` in the spec, so a new field cannot
/// slip into `Debug` output unnoticed.
fn looks_like_credential(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["token", "secret", "password", "passwd", "jwt", "apikey", "pincode"].iter().any(|part| name.contains(part))
        || ["code", "pin", "otp", "key", "cvv"].contains(&name.as_str())
        || name.ends_with("_key")
        || name.ends_with("pin")
}

impl Lowerer<'_> {
    /// Whether a string property or parameter holds a credential (a
    /// `Secret`, redacted in `Debug`): the spec marks it `x-secret: true`, or
    /// it has a credential's name (`SECRET_NAMES`) and is not marked
    /// `x-secret: false`. A name that only looks like a credential's and is
    /// not marked is a secret too (fail closed), with a warning.
    pub(super) fn is_secret(&mut self, name: &str, mark: Option<&serde_json::Value>, ptr: &str) -> bool {
        if let Some(marked) = mark.and_then(serde_json::Value::as_bool) {
            return marked;
        }
        if SECRET_NAMES.contains(&name) {
            return true;
        }
        if looks_like_credential(name) {
            self.diags.push(Diagnostic::warning(
                ptr.to_owned(),
                format!("`{name}` looks like a credential, so it is redacted in Debug output: mark it `x-secret: true` to confirm, or `x-secret: false` if it is not one"),
            ));
            return true;
        }
        false
    }

    /// `x-secret: true` where the type is no string (an object, a `$ref`
    /// to one, an integer, a date...): only strings become `Secret`s, so
    /// the mark does nothing; said, not ignored silently.
    pub(super) fn secret_mark_ignored(&mut self, mark: Option<&serde_json::Value>, ptr: &str) {
        if mark.and_then(serde_json::Value::as_bool) == Some(true) {
            self.diags.push(Diagnostic::warning(
                ptr.to_owned(),
                "`x-secret: true` is ignored here: only a plain string (`type: string`, no `$ref`, no format that makes it another type) becomes a `Secret`; mark the string fields inside, or remove the mark".to_owned(),
            ));
        }
    }
}

const KNOWN_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Inline models nest as deep as the document does; deeper than this, or
/// more of them than this, and something is taking in schemas without end.
const MAX_INLINE_DEPTH: usize = 32;
/// The inline-model budget grows with the spec (a real spec's inline
/// models follow its operations and schemas: microsoft.com/graph.json,
/// 11,422 operations, makes more than 10,000), so that only models that
/// multiply (an allOf taking in schemas that take in others, twice each)
/// reach it.
const MIN_INLINE_MODELS: usize = 10_000;
const INLINE_MODELS_PER_ITEM: usize = 20;

/// The inline-model budget of a spec: [`INLINE_MODELS_PER_ITEM`] per
/// operation and component schema, at least [`MIN_INLINE_MODELS`].
pub(super) fn inline_budget(spec: &openapiv3::OpenAPI) -> usize {
    let operations: usize = spec.paths.paths.values().map(|item| item.as_item().map_or(1, |item| item.iter().count())).sum();
    let schemas = spec.components.as_ref().map_or(0, |c| c.schemas.len());
    MIN_INLINE_MODELS.max(INLINE_MODELS_PER_ITEM.saturating_mul(operations + schemas))
}

impl Lowerer<'_> {
    /// Converts every component schema into a model.
    pub(super) fn lower_components(&mut self) {
        let Some(components) = &self.spec.components else { return };
        for (wire, schema) in &components.schemas {
            let ptr = join("#/components/schemas", wire);
            let name = self.component_names[wire].clone();
            match schema {
                ReferenceOr::Reference { reference } => {
                    let ty = self.reference(reference, &ptr);
                    self.add_model(Model { module: names::module(&name), name, doc: None, kind: ModelKind::Alias(ty), pointer: ptr.clone() });
                }
                ReferenceOr::Item(schema) => {
                    let kind = self.model_kind(&name, schema, &ptr);
                    let doc = schema.schema_data.description.clone().or(schema.schema_data.title.clone());
                    self.add_model(Model { module: names::module(&name), name, doc, kind, pointer: ptr.clone() });
                }
            }
        }
    }

    pub(super) fn add_model(&mut self, model: Model) {
        self.models.insert(model.name.clone(), model);
    }

    /// The type of a `$ref` to a component schema.
    pub(super) fn reference(&mut self, reference: &str, ptr: &str) -> Type {
        match reference.strip_prefix(COMPONENT_PREFIX).map(|n| n.replace("~1", "/").replace("~0", "~")) {
            Some(name) if self.component_names.contains_key(&name) => Type::Named(self.component_names[&name].clone()),
            Some(name) => {
                let known: Vec<&str> = self.component_names.keys().map(String::as_str).collect();
                let hint = super::operation::did_you_mean(Some(&name), &known);
                self.diags.push(Diagnostic::error(
                    join(ptr, "$ref"),
                    format!("dangling $ref: no schema `{name}` in #/components/schemas{hint}"),
                ));
                Type::Any
            }
            None => {
                self.diags.push(Diagnostic::error(
                    join(ptr, "$ref"),
                    format!("unsupported $ref `{reference}`: only local references to #/components/schemas are supported here"),
                ));
                Type::Any
            }
        }
    }

    /// The type of a schema used in place (a property, an item, a body).
    /// Inline objects, enums and unions become models named `hint`.
    /// Returns the type and whether the schema is nullable.
    pub(super) fn schema_type(&mut self, schema: &ReferenceOr<Schema>, hint: &str, ptr: &str) -> (Type, bool) {
        match schema {
            ReferenceOr::Reference { reference } => (self.reference(reference, ptr), self.nullable_target(reference)),
            ReferenceOr::Item(s) => self.inline_type(s, hint, ptr),
        }
    }

    pub(super) fn boxed_schema_type(&mut self, schema: &ReferenceOr<Box<Schema>>, hint: &str, ptr: &str) -> (Type, bool) {
        match schema {
            ReferenceOr::Reference { reference } => (self.reference(reference, ptr), self.nullable_target(reference)),
            ReferenceOr::Item(s) => self.inline_type(s, hint, ptr),
        }
    }

    /// Whether a `$ref` points at a component that says `nullable: true`.
    fn nullable_target(&self, reference: &str) -> bool {
        let Some(name) = reference.strip_prefix(COMPONENT_PREFIX) else { return false };
        let name = name.replace("~1", "/").replace("~0", "~");
        matches!(
            self.spec.components.as_ref().and_then(|c| c.schemas.get(&name)),
            Some(ReferenceOr::Item(s)) if s.schema_data.nullable
        )
    }

    fn inline_type(&mut self, schema: &Schema, hint: &str, ptr: &str) -> (Type, bool) {
        let nullable = schema.schema_data.nullable;
        if let Some(ty) = self.simple_type(schema, hint, ptr) {
            return (ty, nullable);
        }
        // an inline object, enum or union: a model of its own
        if let SchemaKind::AllOf { all_of } = &schema.schema_kind {
            // `allOf: [$ref]` is how 3.0 writes a nullable or documented
            // reference; the same reference twice, or members that only
            // document it (`{description: ...}`, `{nullable: true}`), say no
            // more about its type, so it stays the reference (boxed where
            // it recurses)
            let docs_only = |m: &ReferenceOr<Schema>| match m {
                ReferenceOr::Item(s) => {
                    matches!(&s.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default()) && s.schema_data.discriminator.is_none()
                }
                ReferenceOr::Reference { .. } => false,
            };
            let references: Vec<&ReferenceOr<Schema>> = all_of.iter().filter(|m| !docs_only(m)).collect();
            if let [first, rest @ ..] = references.as_slice() {
                let same_reference = matches!(first, ReferenceOr::Reference { .. }) && rest.iter().all(|m| m == first);
                if rest.is_empty() || same_reference {
                    let at = all_of.iter().position(|m| m == *first).unwrap_or(0);
                    let (ty, inner_nullable) = self.schema_type(first, hint, &join(&join(ptr, "allOf"), &at.to_string()));
                    let member_nullable = all_of.iter().any(|m| matches!(m, ReferenceOr::Item(s) if s.schema_data.nullable));
                    return (ty, nullable || inner_nullable || member_nullable);
                }
            }
        }
        // the components an inline allOf takes in: one already taken in by an
        // enclosing inline model would be taken in again at every level
        // (an allOf beside other keywords, `type: array` say, is read as
        // one too: see `model_kind`)
        let all_of = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.as_slice(),
            SchemaKind::Any(any) => any.all_of.as_slice(),
            _ => &[],
        };
        let merged: Vec<String> = all_of
            .iter()
            .filter_map(|m| match m {
                ReferenceOr::Reference { reference } => reference.strip_prefix(COMPONENT_PREFIX).map(str::to_string),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        let cycle = self.inline_stack.iter().find(|(_, outer)| outer.iter().any(|c| merged.contains(c)));
        let too_deep = self.inline_stack.len() >= MAX_INLINE_DEPTH;
        if cycle.is_some() || too_deep || self.inline_models >= self.inline_budget {
            // said once, where the nesting starts
            // a cycle is an error (no Rust type can hold it); past the
            // budget, the schema is read as any JSON value, with a warning,
            // and the rest of the spec generates
            let (start, diagnostic, message): (String, fn(String, &'static str) -> Diagnostic, &'static str) = match (cycle, self.inline_stack.first()) {
                (Some((start, _)), _) => (start.clone(), Diagnostic::error, "this allOf takes in a schema that contains it: its type would nest without end"),
                (None, Some((start, _))) if too_deep => (start.clone(), Diagnostic::warning, "inline schemas nest too deep: read as any JSON value"),
                _ => (ptr.to_string(), Diagnostic::warning, "the spec's inline schemas make more models than the generator's budget: from here on, read as any JSON value"),
            };
            if !self.diags.iter().any(|d| d.pointer == start) {
                self.diags.push(diagnostic(start, message));
            }
            return (Type::Any, nullable);
        }
        self.inline_models += 1;
        let name = self.claim_model_name(hint);
        self.inline_stack.push((ptr.to_string(), merged));
        let kind = self.model_kind(&name, schema, ptr);
        self.inline_stack.pop();
        if let ModelKind::Enum(values) = &kind {
            let wire: Vec<String> = values.iter().map(|v| v.wire.clone()).collect();
            match self.inline_enums.get(&wire) {
                Some((first, at)) if wire.len() > 1 => self.diags.push(Diagnostic::warning(
                    ptr.to_string(),
                    format!(
                        "the same enum as `{first}` ({at}) is written here again, so it becomes a second Rust type, `{name}`: \
                         make it one schema under `components/schemas` and `$ref` it from both places; in a released crate \
                         that is a breaking rename (code naming `{first}` or `{name}` must use the new schema's name; \
                         `cargo xtask api-diff` reports it as one), so release it as a breaking version"
                    ),
                )),
                Some(_) => {}
                None => {
                    self.inline_enums.insert(wire, (name.clone(), ptr.to_string()));
                }
            }
        }
        let doc = schema.schema_data.description.clone().or(schema.schema_data.title.clone());
        self.add_model(Model { module: names::module(&name), name: name.clone(), doc, kind, pointer: ptr.to_string() });
        (Type::Named(name), nullable)
    }

    pub(super) fn claim_model_name(&mut self, hint: &str) -> String {
        self.model_scope.claim(names::pascal(hint))
    }

    /// Types that need no model of their own, or `None`.
    fn simple_type(&mut self, schema: &Schema, hint: &str, ptr: &str) -> Option<Type> {
        use openapiv3::Type as T;
        Some(match &schema.schema_kind {
            SchemaKind::Type(T::String(s)) => {
                if s.enumeration.iter().any(Option::is_some) {
                    return None;
                }
                match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Type::Date,
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Type::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Type::Binary,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Type::Secret,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "sql-date-time" => Type::DateTime,
                    _ => Type::String,
                }
            }
            SchemaKind::Type(T::Number(n)) => match &n.format {
                VariantOrUnknownOrEmpty::Unknown(f) if f == "monetary" || f == "decimal" => Type::Amount,
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Type::F32,
                _ => Type::F64,
            },
            SchemaKind::Type(T::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Type::I32,
                _ => Type::I64,
            },
            SchemaKind::Type(T::Boolean(_)) => Type::Bool,
            SchemaKind::Type(T::Array(a)) => self.array_type(a.items.as_ref(), hint, ptr),
            SchemaKind::Type(T::Object(o)) if o.properties.is_empty() => {
                self.map_type(o.additional_properties.as_ref(), hint, ptr)
            }
            SchemaKind::Any(any) => return self.any_simple_type(any, hint, ptr),
            SchemaKind::Not { .. } => {
                self.diags.push(Diagnostic::warning(join(ptr, "not"), "`not` is not expressible as a Rust type; read as any JSON value"));
                Type::Any
            }
            SchemaKind::OneOf { one_of } | SchemaKind::AnyOf { any_of: one_of } if one_of.len() == 1 => {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                return Some(self.schema_type(&one_of[0], hint, &join(&join(ptr, key), "0")).0);
            }
            _ => return None,
        })
    }

    fn array_type(&mut self, items: Option<&ReferenceOr<Box<Schema>>>, hint: &str, ptr: &str) -> Type {
        match items {
            Some(items) => {
                let (item, nullable) = self.boxed_schema_type(items, &format!("{hint}Item"), &join(ptr, "items"));
                Type::Array(Box::new(if nullable { Type::Nullable(Box::new(item)) } else { item }))
            }
            None => Type::Array(Box::new(Type::Any)),
        }
    }

    fn map_type(&mut self, additional: Option<&AdditionalProperties>, hint: &str, ptr: &str) -> Type {
        match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let (value, nullable) = self.schema_type(s, &format!("{hint}Value"), &join(ptr, "additionalProperties"));
                Type::Map(Box::new(if nullable { Type::Nullable(Box::new(value)) } else { value }))
            }
            _ => Type::JsonObject,
        }
    }

    /// openapiv3 reads schemas it cannot classify as `Any`: a `type` typo
    /// lands here and must be an error, not a silent `serde_json::Value`.
    fn any_simple_type(&mut self, any: &openapiv3::AnySchema, hint: &str, ptr: &str) -> Option<Type> {
        if let Some(t) = &any.typ {
            if !KNOWN_TYPES.contains(&t.as_str()) {
                let suggestion = KNOWN_TYPES.iter().find(|k| edit_distance(k, t) <= 2);
                let hint_text = suggestion.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                self.diags.push(Diagnostic::error(join(ptr, "type"), format!("unknown type `{t}`{hint_text}")));
                return Some(Type::Any);
            }
        }
        if !any.properties.is_empty() || !any.one_of.is_empty() || !any.any_of.is_empty() || !any.all_of.is_empty() {
            return None;
        }
        if any.typ.as_deref() == Some("string") && !any.enumeration.is_empty() {
            return None;
        }
        if let Some(items) = &any.items {
            return Some(self.array_type(Some(items), hint, ptr));
        }
        match any.typ.as_deref() {
            Some("object") => Some(self.map_type(any.additional_properties.as_ref(), hint, ptr)),
            Some("string") => Some(match any.format.as_deref() {
                Some("date") => Type::Date,
                Some("date-time") | Some("sql-date-time") => Type::DateTime,
                Some("binary") => Type::Binary,
                _ => Type::String,
            }),
            Some("integer") => Some(if any.format.as_deref() == Some("int32") { Type::I32 } else { Type::I64 }),
            Some("number") => Some(if any.format.as_deref() == Some("monetary") { Type::Amount } else { Type::F64 }),
            Some("boolean") => Some(Type::Bool),
            Some("array") => Some(Type::Array(Box::new(Type::Any))),
            _ if any.additional_properties.is_some() => Some(self.map_type(any.additional_properties.as_ref(), hint, ptr)),
            _ => Some(Type::Any),
        }
    }

    /// The model for a named schema (component or inline object/enum/union).
    fn model_kind(&mut self, name: &str, schema: &Schema, ptr: &str) -> ModelKind {
        use openapiv3::Type as T;
        match &schema.schema_kind {
            SchemaKind::Type(T::String(s)) if s.enumeration.iter().any(Option::is_some) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                ModelKind::Enum(enum_values(&values))
            }
            SchemaKind::Type(T::Object(o)) if !o.properties.is_empty() => ModelKind::Struct(self.lower_struct(
                name,
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                ptr,
            )),
            SchemaKind::Any(any) if !any.properties.is_empty() && any.one_of.is_empty() && any.all_of.is_empty() && any.any_of.is_empty() => {
                ModelKind::Struct(self.lower_struct(name, &any.properties, &any.required, any.additional_properties.as_ref(), ptr))
            }
            SchemaKind::Any(any) if any.typ.as_deref() == Some("string") && !any.enumeration.is_empty() => {
                let values: Vec<String> = any.enumeration.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
                ModelKind::Enum(enum_values(&values))
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } if members.len() > 1 => {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                self.union(name, members, &join(ptr, key), schema.schema_data.discriminator.as_ref(), ptr)
            }
            SchemaKind::Any(any) if !any.one_of.is_empty() || !any.any_of.is_empty() => {
                let (members, key) = if any.one_of.is_empty() { (&any.any_of, "anyOf") } else { (&any.one_of, "oneOf") };
                self.union(name, members, &join(ptr, key), schema.schema_data.discriminator.as_ref(), ptr)
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => self.all_of(name, all_of, &join(ptr, "allOf")),
            SchemaKind::Any(any) if !any.all_of.is_empty() => self.all_of(name, &any.all_of, &join(ptr, "allOf")),
            _ => {
                let ty = self.simple_type(schema, name, ptr).unwrap_or(Type::Any);
                let ty = match (&schema.schema_kind, ty) {
                    // `allOf: [$ref]` at the top of a component
                    (SchemaKind::AllOf { all_of }, Type::Any) if all_of.len() == 1 => {
                        self.schema_type(&all_of[0], name, &join(&join(ptr, "allOf"), "0")).0
                    }
                    (_, ty) => ty,
                };
                ModelKind::Alias(ty)
            }
        }
    }

    pub(super) fn lower_struct(
        &mut self,
        owner: &str,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        ptr: &str,
    ) -> Struct {
        for (i, r) in required.iter().enumerate() {
            if !properties.contains_key(r) {
                let known: Vec<&str> = properties.keys().map(String::as_str).collect();
                let hint = super::operation::did_you_mean(Some(r.as_str()), &known);
                self.diags.push(Diagnostic::warning(
                    join(&join(ptr, "required"), &i.to_string()),
                    format!("`{r}` is required but there is no such property{hint}; ignored"),
                ));
            }
        }
        let wire: Vec<String> = properties.keys().cloned().collect();
        let rust = names::unique_snake(&wire, &["additional_properties"]);
        let mut fields = Vec::new();
        for ((wire, schema), rust) in properties.iter().zip(rust) {
            let pptr = join(&join(ptr, "properties"), wire);
            let hint = format!("{owner}{}", names::pascal(wire));
            let (mut ty, nullable) = self.boxed_schema_type(schema, &hint, &pptr);
            let mark = match schema {
                ReferenceOr::Item(s) => s.schema_data.extensions.get("x-secret"),
                ReferenceOr::Reference { .. } => None,
            };
            if ty == Type::String && self.is_secret(wire, mark, &pptr) {
                ty = Type::Secret;
            } else if ty != Type::String {
                self.secret_mark_ignored(mark, &pptr);
            }
            let doc = match schema {
                ReferenceOr::Item(s) => {
                    self.check_default(s, &ty, &pptr);
                    // or, for `allOf: [$ref, {description}]`, the member's
                    let member_doc = || match &s.schema_kind {
                        SchemaKind::AllOf { all_of } => all_of.iter().find_map(|m| match m {
                            ReferenceOr::Item(m) => m.schema_data.description.clone(),
                            ReferenceOr::Reference { .. } => None,
                        }),
                        _ => None,
                    };
                    s.schema_data.description.clone().or_else(member_doc)
                }
                ReferenceOr::Reference { .. } => None,
            };
            fields.push(Field {
                rust,
                wire: wire.clone(),
                doc,
                ty,
                required: required.contains(wire),
                nullable,
                tri_state: false,
                boxed: false,
            });
        }
        let additional = match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let (ty, _) = self.schema_type(s, &format!("{owner}Value"), &join(ptr, "additionalProperties"));
                Some(ty)
            }
            Some(AdditionalProperties::Any(true)) => Some(Type::Any),
            _ => None,
        };
        Struct { fields, additional, request: false, required_type: None }
    }

    /// Warns about a `default` the schema's own type cannot hold (real specs
    /// have `default: false` on strings, `CURRENT_TIMESTAMP` on datetimes).
    pub(super) fn check_default(&mut self, schema: &Schema, ty: &Type, ptr: &str) {
        let Some(default) = &schema.schema_data.default else { return };
        let ok = match ty {
            Type::String | Type::Secret => default.is_string(),
            Type::I32 | Type::I64 => default.is_i64() || default.is_u64(),
            Type::F32 | Type::F64 | Type::Amount => default.is_number(),
            Type::Bool => default.is_boolean(),
            Type::Date => default.as_str().is_some_and(|s| s.len() == 10 && s.as_bytes()[4] == b'-'),
            Type::DateTime => default.as_str().is_some_and(|s| s.len() >= 19 && s.as_bytes()[4] == b'-'),
            Type::Array(_) => default.is_array(),
            _ => true,
        };
        if !ok && !default.is_null() {
            self.diags.push(Diagnostic::warning(join(ptr, "default"), format!("default {default} does not match the schema's type; ignored")));
        }
    }

    fn union(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        ptr: &str,
        discriminator: Option<&openapiv3::Discriminator>,
        schema_ptr: &str,
    ) -> ModelKind {
        // id-or-keyword unions (`42` or `me`): scalars plus string constants
        let scalar_members: Option<Vec<&Schema>> = members
            .iter()
            .map(|m| match m {
                ReferenceOr::Item(s) if is_scalar(s) => Some(s),
                _ => None,
            })
            .collect();
        if let Some(scalars) = scalar_members {
            let constants: Vec<String> = scalars.iter().flat_map(|s| string_enum(s)).collect();
            if !constants.is_empty() {
                let mut variants = Vec::new();
                for (i, s) in scalars.iter().enumerate().filter(|(_, s)| string_enum(s).is_empty()) {
                    let mptr = join(ptr, &i.to_string());
                    let ty = self.simple_type(s, &format!("{name}Variant{i}"), &mptr).unwrap_or(Type::String);
                    let label = s.schema_data.title.clone().unwrap_or_else(|| type_label(&ty).into());
                    variants.push(UnionVariant { rust: names::pascal(&label), ty });
                }
                let mut all: Vec<String> = variants.iter().map(|v| v.rust.clone()).collect();
                all.extend(constants.iter().cloned());
                let rust = names::unique_pascal(&all, &["Unknown"]);
                for (v, r) in variants.iter_mut().zip(&rust) {
                    v.rust = r.clone();
                }
                let constants = constants
                    .iter()
                    .zip(&rust[variants.len()..])
                    .map(|(wire, rust)| EnumValue { rust: rust.clone(), wire: wire.clone() })
                    .collect();
                return ModelKind::ScalarUnion { scalars: variants, constants };
            }
        }
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let mptr = join(ptr, &i.to_string());
            let title = match member {
                ReferenceOr::Item(s) => s.schema_data.title.clone(),
                _ => None,
            };
            let hint = format!("{name}{}", title.clone().map(|t| names::pascal(&t)).unwrap_or(format!("Variant{i}")));
            let (ty, _) = self.schema_type(member, &hint, &mptr);
            let label = match (&ty, title) {
                (_, Some(t)) => t,
                (Type::Named(n), None) => n.clone(),
                (ty, None) => type_label(ty).into(),
            };
            variants.push(UnionVariant { rust: label, ty });
        }
        let tag = discriminator.map(|d| self.union_tag(d, members, &join(schema_ptr, "discriminator")));
        let labels: Vec<String> = variants.iter().map(|v| v.rust.clone()).collect();
        // a tagged union keeps unknown tags in `Unknown`
        let reserved: &[&str] = if tag.is_some() { &["Unknown"] } else { &[] };
        for (v, rust) in variants.iter_mut().zip(names::unique_pascal(&labels, reserved)) {
            v.rust = rust;
        }
        ModelKind::Union { variants, tag }
    }

    /// The discriminator's values: `mapping` first, then the schema name of
    /// each `$ref` member the mapping does not mention.
    fn union_tag(&mut self, d: &openapiv3::Discriminator, members: &[ReferenceOr<Schema>], ptr: &str) -> UnionTag {
        let member_name = |m: &ReferenceOr<Schema>| match m {
            ReferenceOr::Reference { reference } => reference.strip_prefix(COMPONENT_PREFIX).map(str::to_string),
            ReferenceOr::Item(_) => None,
        };
        let mut values = Vec::new();
        for (value, target) in &d.mapping {
            let target_name = target.strip_prefix(COMPONENT_PREFIX).unwrap_or(target);
            match members.iter().position(|m| member_name(m).as_deref() == Some(target_name)) {
                Some(i) => values.push((value.clone(), i)),
                None => self.diags.push(Diagnostic::warning(
                    join(&join(ptr, "mapping"), value),
                    format!("`{target}` is not one of the union's $ref members; mapping ignored"),
                )),
            }
        }
        for (i, m) in members.iter().enumerate() {
            match member_name(m) {
                Some(n) if !values.iter().any(|(_, j)| *j == i) => values.push((n, i)),
                Some(_) => {}
                None => self.diags.push(Diagnostic::warning(
                    ptr,
                    format!("member {i} is inline, so no `{}` value selects it; it decodes as `Unknown`", d.property_name),
                )),
            }
        }
        UnionTag { property: d.property_name.clone(), values }
    }

    /// `allOf` of several objects: one struct with every member's properties.
    fn all_of(&mut self, name: &str, members: &[ReferenceOr<Schema>], ptr: &str) -> ModelKind {
        let mut properties = indexmap::IndexMap::new();
        let mut required = Vec::new();
        let mut additional = None;
        for (i, member) in members.iter().enumerate() {
            self.collect_properties(member, &join(ptr, &i.to_string()), &mut properties, &mut required, &mut additional, 0);
        }
        ModelKind::Struct(self.lower_struct(name, &properties, &required, additional.as_ref(), ptr))
    }

    fn collect_properties(
        &mut self,
        member: &ReferenceOr<Schema>,
        ptr: &str,
        properties: &mut indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &mut Vec<String>,
        additional: &mut Option<AdditionalProperties>,
        depth: usize,
    ) {
        if depth > 32 {
            self.diags.push(Diagnostic::error(ptr, "allOf nests itself through references"));
            return;
        }
        let schema = match member {
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(COMPONENT_PREFIX).unwrap_or(reference);
                match self.spec.components.as_ref().and_then(|c| c.schemas.get(name)) {
                    Some(target) => {
                        let target = target.clone();
                        return self.collect_properties(&target, &join(COMPONENT_PREFIX.trim_end_matches('/'), name), properties, required, additional, depth + 1);
                    }
                    None => {
                        self.reference(reference, ptr);
                        return;
                    }
                }
            }
            ReferenceOr::Item(s) => s,
        };
        use openapiv3::Type as T;
        match &schema.schema_kind {
            SchemaKind::Type(T::Object(o)) => {
                properties.extend(o.properties.clone());
                required.extend(o.required.iter().cloned());
                if o.additional_properties.is_some() {
                    *additional = o.additional_properties.clone();
                }
            }
            SchemaKind::Any(any) => {
                properties.extend(any.properties.clone());
                required.extend(any.required.iter().cloned());
                for (i, m) in any.all_of.iter().enumerate() {
                    self.collect_properties(m, &join(&join(ptr, "allOf"), &i.to_string()), properties, required, additional, depth + 1);
                }
            }
            SchemaKind::AllOf { all_of } => {
                for (i, m) in all_of.iter().enumerate() {
                    self.collect_properties(m, &join(&join(ptr, "allOf"), &i.to_string()), properties, required, additional, depth + 1);
                }
            }
            _ => self.diags.push(Diagnostic::warning(ptr, "allOf member is not an object; its constraints are ignored")),
        }
    }
}

fn enum_values(values: &[String]) -> Vec<EnumValue> {
    let mut seen = std::collections::BTreeSet::new();
    let values: Vec<String> = values.iter().filter(|v| seen.insert(v.to_string())).cloned().collect();
    let rust = names::unique_pascal(&values, &["Unknown"]);
    values.into_iter().zip(rust).map(|(wire, rust)| EnumValue { rust, wire }).collect()
}

fn is_scalar(s: &Schema) -> bool {
    use openapiv3::Type as T;
    matches!(
        &s.schema_kind,
        SchemaKind::Type(T::String(_)) | SchemaKind::Type(T::Integer(_)) | SchemaKind::Type(T::Number(_)) | SchemaKind::Type(T::Boolean(_))
    )
}

fn string_enum(s: &Schema) -> Vec<String> {
    match &s.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(st)) => st.enumeration.iter().flatten().cloned().collect(),
        _ => Vec::new(),
    }
}

fn type_label(ty: &Type) -> &'static str {
    match ty {
        Type::String | Type::Secret => "String",
        Type::I32 | Type::I64 => "Integer",
        Type::F32 | Type::F64 | Type::Amount => "Number",
        Type::Bool => "Boolean",
        Type::Date => "Date",
        Type::DateTime => "DateTime",
        Type::Array(_) => "Array",
        Type::Map(_) | Type::JsonObject => "Object",
        _ => "Value",
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
