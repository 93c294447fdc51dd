//! The plain intermediate representation between the spec and the Rust code.
//! openapiv3 types never appear here; every name is already a Rust name, next
//! to its wire name.

/// A whole API, ready to emit.
#[derive(Debug, Clone, Default)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    /// Sorted by Rust name.
    pub models: Vec<Model>,
    pub operations: Vec<Operation>,
    pub webhooks: Vec<Webhook>,
}

#[derive(Debug, Clone)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    /// (rust name, wire name, default, description)
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone)]
pub struct ServerVariable {
    pub rust: String,
    pub wire: String,
    pub default: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Model {
    /// PascalCase type name.
    pub name: String,
    /// Module / file name.
    pub module: String,
    pub doc: Option<String>,
    pub kind: ModelKind,
    /// Where the schema is written in the spec, as a JSON pointer
    /// (`#/components/schemas/Account`, or the property, parameter or body
    /// an inline schema is written at): what api-diff names as a change's
    /// place, and how it tells a renamed type from a new one.
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub enum ModelKind {
    Struct(Struct),
    /// An open string enum: unknown values are kept in `Unknown(String)`.
    Enum(Vec<EnumValue>),
    /// `oneOf`/`anyOf`: chosen by the discriminator property when there is
    /// one, otherwise tried in order (untagged).
    Union { variants: Vec<UnionVariant>, tag: Option<UnionTag> },
    /// A union of scalars and string constants (e.g. an id or `me`).
    ScalarUnion { scalars: Vec<UnionVariant>, constants: Vec<EnumValue> },
    /// A component that is only another type (`type: array`, a primitive).
    Alias(Type),
    /// An alias that contains itself (`List: {type: array, items: List}`):
    /// a type alias cannot, so it becomes a transparent newtype.
    Newtype(Type),
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` next to named properties.
    pub additional: Option<Type>,
    /// Sent in a request body (reachable from one): built by applications,
    /// so it gets a chainable setter per optional field.
    pub request: bool,
    /// The struct of required fields that `new` takes, named field by
    /// field, when a positional `new` could be called with two arguments
    /// swapped and still compile (see `lower::name_required_fields`).
    pub required_type: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub rust: String,
    pub wire: String,
    pub doc: Option<String>,
    pub ty: Type,
    pub required: bool,
    pub nullable: bool,
    /// Optional and nullable on a request: absent and null differ on the wire.
    pub tri_state: bool,
    /// Behind a `Box` because the type refers back to its owner.
    pub boxed: bool,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub rust: String,
    pub wire: String,
}

/// A `discriminator`: the property whose value names the variant.
#[derive(Debug, Clone)]
pub struct UnionTag {
    /// Wire name of the property.
    pub property: String,
    /// (property value, index of the variant), from `mapping` and, for
    /// members not mapped, the schema name.
    pub values: Vec<(String, usize)>,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub rust: String,
    pub ty: Type,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Type {
    String,
    /// A token, password or client secret: redacted in `Debug`.
    Secret,
    I32,
    I64,
    F32,
    F64,
    /// `format: monetary`: an exact amount (`client_runtime::Amount`).
    Amount,
    Bool,
    Date,
    /// `format: sql-date-time` / `date-time`: `2015-07-04 15:17:30`.
    DateTime,
    /// `format: binary`: a file part in multipart bodies, bytes elsewhere.
    Binary,
    /// Anything JSON.
    Any,
    /// An object with no known properties.
    JsonObject,
    Array(Box<Type>),
    Map(Box<Type>),
    /// A generated model, by Rust name.
    Named(String),
    /// An item that may be null inside an array or map.
    Nullable(Box<Type>),
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// snake_case method name on the client.
    pub method_name: String,
    /// PascalCase builder type name.
    pub type_name: String,
    /// Name of the response enum, used when there are several success statuses.
    pub response_type_name: String,
    pub operation_id: String,
    pub http_method: String,
    pub path: String,
    pub path_parts: Vec<PathPart>,
    /// Module (tag) the builder lives in.
    pub module: String,
    pub tag: String,
    pub summary: Option<String>,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// The operation's default timeout in seconds (`x-timeout`): it can
    /// take longer than most.
    pub timeout_seconds: Option<u64>,
    /// Path parameters in URL order, then query, header, cookie.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<SuccessResponse>,
    /// Whether the bearer token is sent.
    pub secured: bool,
    pub webview: Option<Webview>,
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone)]
pub enum PathPart {
    Literal(String),
    /// Index into `params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    /// The word the spec uses (`in: query`).
    pub fn word(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    pub rust: String,
    pub wire: String,
    pub location: Location,
    pub ty: Type,
    pub required: bool,
    /// For arrays: repeated pairs (true) or one delimited value (false);
    /// for objects: one pair per property (true) or JSON text (false).
    pub explode: bool,
    pub style: Style,
    /// An array's `minItems` (a path list has at least 1 whatever the spec
    /// says: an empty segment would change the endpoint).
    pub min_items: usize,
    pub doc: Option<String>,
}

/// How a parameter's value is written (OpenAPI `style`, or `content`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `a,b` (or repeated pairs when exploded); the query default.
    Form,
    /// `a b` in one query value.
    SpaceDelimited,
    /// `a|b` in one query value.
    PipeDelimited,
    /// `name[key]=value` for each property of an object.
    DeepObject,
    /// `a,b`: path and header parameters.
    Simple,
    /// `content: {application/json: ...}`: the value as JSON text.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
    Multipart,
    /// Raw bytes of another media type.
    Bytes,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub kind: BodyKind,
    /// The same schema may also be sent form-encoded.
    pub also_form: bool,
    pub required: bool,
    pub ty: Type,
    pub media_type: String,
    /// For multipart: the fields of the body struct (to build parts from).
    pub multipart_fields: Vec<Field>,
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SuccessResponse {
    /// `None` for a `2XX` range.
    pub status: Option<u16>,
    /// Variant name in the response enum (`Ok`, `Accepted`, ...).
    pub variant: String,
    pub content: ResponseContent,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseContent {
    None,
    Json(Type),
    /// `text/*`: the body as a string.
    Text,
    Bytes,
}

#[derive(Debug, Clone)]
pub struct Pagination {
    /// Rust name of the array field holding the items.
    pub items_field: String,
    /// Its name on the wire (where the runtime reads the items one by one).
    pub items_wire: String,
    pub items_optional: bool,
    pub item: Type,
    /// Rust name of the `total` field and whether it is an integer.
    pub total_field: Option<(String, bool, bool)>,
    /// Rust name of the items' integer `id` field, whether it is always
    /// there and whether it is an `i32`: items delivered twice while paging
    /// are recognised by it.
    pub item_id: Option<(String, bool, bool)>,
}

#[derive(Debug, Clone)]
pub struct Webview {
    pub callback: Option<Type>,
    pub error: Option<Type>,
}

#[derive(Debug, Clone)]
pub struct Webhook {
    pub event: String,
    pub variant: String,
    pub doc: Option<String>,
    pub payload: Type,
}
