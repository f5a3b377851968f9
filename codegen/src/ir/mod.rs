//! Stage 3: the intermediate representation.
//!
//! The IR is what the emitters see: Rust-ready names, resolved references, nullability split
//! from optionality, unions classified (tagged, untagged, one-or-many), recursion already
//! broken with boxes. Every spec quirk is settled here so the emitters stay declarative.

mod cycles;
pub mod dedupe;
mod facts;
mod inputs;
mod lower;
pub mod naming;
pub mod samples;
pub mod webhooks;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::Diagnostic;

pub use lower::lower;

/// Names the emitted request builders use for their own fields and methods; parameters are
/// renamed away from them.
pub const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "options",
    "retry",
    "timeout",
    "send",
    "into_stream",
    "request",
    "max_response_size",
    "body",
];

/// The whole API as the generator understands it.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`: Polar's API version, sent as the `Polar-Version` header.
    pub version: String,
    /// Servers in document order; the first is the default.
    pub servers: Vec<Server>,
    /// Every named type, keyed by its Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// Every operation, sorted by operation id.
    pub operations: Vec<Operation>,
    /// Every event of the document's `webhooks` section, sorted by event type.
    pub webhooks: Vec<WebhookEvent>,
    /// How many component schemas the document has.
    pub component_schema_count: usize,
    /// Constructs that were lowered with a loss, sorted by pointer.
    pub diagnostics: Vec<Diagnostic>,
}

/// A server the API is served from.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// Rust variant name (`Production`).
    pub name: String,
    /// Base URL.
    pub url: String,
    /// What the server is for.
    pub description: Option<String>,
}

/// Which generated module a type belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeOrigin {
    /// A component schema, or a type nested inline in one: `models`.
    Model,
    /// A one-or-many query filter: `filters`.
    Filter,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Doc text from the spec.
    pub doc: Option<String>,
    /// Where the schema is in the document.
    pub pointer: String,
    /// Which module the type is emitted into.
    pub origin: TypeOrigin,
    /// The shape.
    pub kind: TypeKind,
    /// Reachable from an operation's request body: users build it, so it gets a constructor
    /// and setters (structs) or conversions from its variants (unions).
    pub input: bool,
    /// For an enum whose values (wire strings and variant names, in order) equal another
    /// enum's: the canonical one's name, which is emitted once while this name becomes
    /// `pub type Name = Canonical;` (see `dedupe`). `None` for the canonical and every other type.
    pub same_as: Option<String>,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct {
        /// Fields in document order.
        fields: Vec<Field>,
    },
    /// A string enum, open to values this SDK version does not know.
    Enum {
        /// Known values in document order.
        values: Vec<EnumValue>,
    },
    /// A `oneOf` with a discriminator: one variant per target schema.
    Tagged {
        /// The discriminating property (`type`).
        tag: String,
        /// Variants in `oneOf` order.
        variants: Vec<TaggedVariant>,
        /// What an object without the tag is: the variants whose schema gives the tag property
        /// a default, most required properties first.
        defaults: Vec<TagDefault>,
    },
    /// An `anyOf`/`oneOf` without a discriminator, tried in order.
    Untagged {
        /// Variants in document order.
        variants: Vec<UntaggedVariant>,
    },
    /// Another name for a type (maps, one-or-many filters).
    Alias {
        /// The aliased type.
        ty: TypeRef,
    },
    /// A struct wrapping one value, sent as the value itself: an alias that refers to
    /// itself (`A = array of A`), which a Rust type alias cannot.
    Newtype {
        /// The wrapped type.
        ty: TypeRef,
    },
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Property name on the wire.
    pub wire_name: String,
    /// Rust field name (raw identifiers allowed, e.g. `r#type`).
    pub rust_name: String,
    /// Type without the optional/nullable wrappers.
    pub ty: TypeRef,
    /// How the runtime reads or writes the value beyond serde's defaults.
    pub codec: FieldCodec,
    /// Listed in `required`.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Doc text.
    pub doc: Option<String>,
    /// The schema's format and bounds, for building valid values (see [`samples`]).
    pub constraints: Constraints,
}

/// What a schema asks of a value beyond its type: the format and bounds that `TypeRef` does
/// not carry (a `String` may have to be an email, an `i64` at least 1). Read through `$ref`s,
/// nullable unions and `$ref` siblings, so it describes the value at the place of use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `format` (`email`, `uri`, `date-time`, `uuid`, …).
    pub format: Option<String>,
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `pattern` (an ECMA-262 regular expression).
    pub pattern: Option<String>,
    /// `minimum` (or the exclusive bound, with `exclusive_minimum`).
    pub minimum: Option<f64>,
    /// `maximum` (or the exclusive bound, with `exclusive_maximum`).
    pub maximum: Option<f64>,
    /// `minimum` is exclusive.
    pub exclusive_minimum: bool,
    /// `maximum` is exclusive.
    pub exclusive_maximum: bool,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
    /// `minProperties`.
    pub min_properties: Option<usize>,
    /// The values allowed where the type does not list them: a `const` or `enum` of
    /// booleans or numbers, or of strings in a place typed as any JSON value.
    pub values: Vec<Value>,
    /// What the items of an array ask.
    pub items: Option<Box<Constraints>>,
    /// What the keys of a map ask (`propertyNames`).
    pub keys: Option<Box<Constraints>>,
    /// What each non-null branch of a union asks, in document order.
    pub branches: Vec<Constraints>,
}

impl Constraints {
    /// What both ask: each fact of `self`, or `other`'s where `self` has none.
    pub fn and(self, other: Constraints) -> Constraints {
        Constraints {
            format: self.format.or(other.format),
            min_length: self.min_length.or(other.min_length),
            max_length: self.max_length.or(other.max_length),
            pattern: self.pattern.or(other.pattern),
            minimum: self.minimum.or(other.minimum),
            maximum: self.maximum.or(other.maximum),
            exclusive_minimum: self.exclusive_minimum || other.exclusive_minimum,
            exclusive_maximum: self.exclusive_maximum || other.exclusive_maximum,
            min_items: self.min_items.or(other.min_items),
            max_items: self.max_items.or(other.max_items),
            min_properties: self.min_properties.or(other.min_properties),
            values: if self.values.is_empty() {
                other.values
            } else {
                self.values
            },
            items: self.items.or(other.items),
            keys: self.keys.or(other.keys),
            branches: if self.branches.is_empty() {
                other.branches
            } else {
                self.branches
            },
        }
    }

    /// True when nothing beyond the type is asked.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// What the runtime does for a struct field, decided by its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldCodec {
    /// serde's own handling.
    Plain,
    /// An `i32`, `i64` or `f64` read from the number's text: integral floats (`10.0`) are
    /// integers, and a value that does not fit is named in the error.
    Number,
    /// A timestamp written only as valid RFC 3339 (four-digit years).
    Timestamp,
    /// An optional field of any JSON value: a present `null` is kept (`Some(Value::Null)`), so
    /// it is written back rather than dropped.
    PresentNull,
}

impl FieldCodec {
    /// The codec a field of type `ty` needs.
    pub fn of(ty: &TypeRef, required: bool, nullable: bool) -> FieldCodec {
        match ty {
            TypeRef::I32 | TypeRef::I64 | TypeRef::F64 => FieldCodec::Number,
            TypeRef::DateTime => FieldCodec::Timestamp,
            TypeRef::Any if !required && !nullable => FieldCodec::PresentNull,
            _ => FieldCodec::Plain,
        }
    }
}

/// A known value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// The string on the wire.
    pub wire: String,
    /// Rust variant name.
    pub variant: String,
}

/// A variant of a discriminated union.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    /// Rust variant name.
    pub name: String,
    /// Payload type (usually a struct).
    pub ty: TypeRef,
    /// Every tag value that selects this variant.
    pub tags: Vec<String>,
}

/// A variant that an object without the tag selects, when it has all of `required`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagDefault {
    /// The default of the tag property in the variant's schema (one of its tags).
    pub tag: String,
    /// Wire names of the properties the variant's schema requires.
    pub required: Vec<String>,
}

/// A variant of an untagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    /// Rust variant name.
    pub name: String,
    /// Payload type.
    pub ty: TypeRef,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A named type from [`Api::types`].
    Named(String),
    /// A string.
    String,
    /// A 32-bit integer (`format: int32`).
    I32,
    /// A 64-bit integer (`format: int64`, or both bounds given).
    I64,
    /// An integer of any size (`integer` without format or bounds), held exactly by the
    /// runtime's `Integer`.
    Integer,
    /// A floating point number.
    F64,
    /// A boolean.
    Bool,
    /// A UUID (`format: uuid` or `uuid4`).
    Uuid,
    /// An RFC 3339 timestamp (`format: date-time`).
    DateTime,
    /// A calendar date (`format: date`).
    Date,
    /// Any JSON value.
    Any,
    /// An object with free-form keys.
    Map(Box<TypeRef>),
    /// An array.
    Array(Box<TypeRef>),
    /// A fixed-length array with typed positions (`prefixItems`).
    Tuple(Vec<TypeRef>),
    /// A value that may be `null` (only where it is not a struct field's own nullability).
    Nullable(Box<TypeRef>),
    /// One value or a list of them (`anyOf: [T, array of T]`), as query filters take.
    OneOrMany(Box<TypeRef>),
    /// A heap indirection that breaks a recursive type.
    Boxed(Box<TypeRef>),
}

impl TypeRef {
    /// Calls `f` on every named type this reference mentions.
    pub fn visit_named(&self, f: &mut dyn FnMut(&str)) {
        match self {
            TypeRef::Named(name) => f(name),
            TypeRef::Nullable(inner)
            | TypeRef::OneOrMany(inner)
            | TypeRef::Map(inner)
            | TypeRef::Array(inner)
            | TypeRef::Boxed(inner) => inner.visit_named(f),
            TypeRef::Tuple(items) => items.iter().for_each(|item| item.visit_named(f)),
            _ => {}
        }
    }
}

impl TypeDef {
    /// Every type reference directly inside this definition.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        match &self.kind {
            TypeKind::Struct { fields } => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Enum { .. } => Vec::new(),
            TypeKind::Tagged { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Untagged { variants } => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias { ty } | TypeKind::Newtype { ty } => vec![ty],
        }
    }

    fn type_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match &mut self.kind {
            TypeKind::Struct { fields } => fields.iter_mut().map(|f| &mut f.ty).collect(),
            TypeKind::Enum { .. } => Vec::new(),
            TypeKind::Tagged { variants, .. } => variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Untagged { variants } => variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Alias { ty } | TypeKind::Newtype { ty } => vec![ty],
        }
    }
}

/// An event Polar sends to webhook endpoints (an entry of the document's `webhooks`).
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// The payload's `type` constant: the event's name on the wire (`order.paid`).
    pub event_type: String,
    /// The key of the entry under `webhooks`.
    pub webhook: String,
    /// Rust variant name in `WebhookEvent` (`OrderPaid`).
    pub variant: String,
    /// The payload model's Rust name (a named type of [`Api::types`]).
    pub payload: String,
    /// The type of the payload's `data` property, when it has one.
    pub data: Option<TypeRef>,
    /// Our words for the event (the overlay's `description` of its `post`).
    pub doc: Option<String>,
    /// Where the webhook's `post` is in the document.
    pub pointer: String,
}

/// An HTTP operation, grouped into a resource by its `resource:verb` operation id.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operation id (`customer_meters:list`).
    pub id: String,
    /// Resource part of the id, snake case (`customer_meters`).
    pub resource: String,
    /// Sub-resources between the resource and the verb, snake case: `["orders"]` for
    /// `customer_portal:orders:list`; empty for `resource:verb`.
    pub group: Vec<String>,
    /// Verb part of the id, snake case (`list`), without a trailing repeat of its group's
    /// name (`customer_portal:members:add_member` → `add`).
    pub verb: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template (`/v1/customer-meters/{id}`).
    pub path: String,
    /// One-line summary.
    pub summary: Option<String>,
    /// Description without the trailing scopes line.
    pub description: Option<String>,
    /// Marked deprecated.
    pub deprecated: bool,
    /// OAuth scopes any of the security requirements ask for, in document order.
    pub scopes: Vec<String>,
    /// The kinds of token the operation accepts, in the order of its security requirements;
    /// empty when it needs none.
    pub auth: Vec<AuthKind>,
    /// Parameters: path ones first in template order, then the rest in document order.
    pub parameters: Vec<Parameter>,
    /// The request body, if any.
    pub request_body: Option<Body>,
    /// Responses by status, in document order.
    pub responses: Vec<Response>,
    /// What a success returns.
    pub success: Success,
    /// Documented error bodies by status, in document order; several for one status are the
    /// members of a union, tried in order.
    pub errors: Vec<ErrorCase>,
    /// Page-number pagination, when the spec declares it.
    pub pagination: Option<Pagination>,
    /// Where the operation is in the document.
    pub pointer: String,
}

/// A kind of bearer token an operation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthKind {
    /// An organization access token (or a personal or OpenID Connect token).
    Organization,
    /// A customer session token (the customer portal).
    CustomerSession,
    /// A member session token (the customer portal, for a member of a team customer).
    MemberSession,
}

impl AuthKind {
    /// The kind a security scheme of this name grants. Polar names its session schemes
    /// `customer_session` and `member_session`; every other scheme is an organization's.
    pub fn of_scheme(name: &str) -> AuthKind {
        match name {
            "customer_session" => AuthKind::CustomerSession,
            "member_session" => AuthKind::MemberSession,
            _ => AuthKind::Organization,
        }
    }
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// No body (`204`, or a success documented without content).
    Empty,
    /// A JSON body of this type.
    Json(TypeRef),
    /// A JSON body of this type, or `202 Accepted` without one (not ready yet).
    MaybeReady(TypeRef),
    /// A body that is not JSON (`text/csv`), handed over as bytes.
    Bytes {
        /// The media type the spec documents.
        media_type: String,
    },
}

/// A documented error body for one status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCase {
    /// The HTTP status.
    pub status: u16,
    /// The named type of the body.
    pub schema: String,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// How a parameter is serialized (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form` (query default).
    Form,
    /// `simple` (path and header default).
    Simple,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
    /// `matrix` or `label` (path).
    Other,
}

/// An operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Wire name.
    pub name: String,
    /// Rust name for the builder method / argument.
    pub rust_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Must be given.
    pub required: bool,
    /// Serialization style.
    pub style: ParamStyle,
    /// Arrays and objects as repeated pairs.
    pub explode: bool,
    /// Type without the optional/nullable wrapper.
    pub ty: TypeRef,
    /// Doc text.
    pub doc: Option<String>,
    /// Server-side default, if documented.
    pub default: Option<Value>,
    /// An example value from the spec (first scalar example found in the schema).
    pub example: Option<Value>,
    /// The schema's format and bounds.
    pub constraints: Constraints,
}

/// A request or response body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Media type (`application/json`).
    pub content_type: String,
    /// Type of the body; `None` for content other than JSON and
    /// `application/x-www-form-urlencoded`.
    pub ty: Option<TypeRef>,
    /// Must be sent.
    pub required: bool,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Status code or range as written (`200`, `4XX`, `default`).
    pub status: String,
    /// What the response means.
    pub description: String,
    /// The body, if any (the JSON one where several are offered).
    pub body: Option<Body>,
}

/// Page-number pagination (`page`/`limit` in, `items` + `pagination.max_page` out).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Wire name of the page parameter.
    pub page_param: String,
    /// The page the API starts at when none is given.
    pub first_page: i64,
    /// Wire name of the page-size parameter.
    pub limit_param: Option<String>,
    /// The response type that carries a page.
    pub response_type: String,
    /// The element type.
    pub item: TypeRef,
    /// Rust field path from the response to the items (`["items"]`).
    pub items_path: Vec<String>,
    /// Rust field path to the number of pages.
    pub max_page_path: Vec<String>,
    /// Rust field path to the total item count.
    pub total_count_path: Vec<String>,
}

impl Api {
    /// Wire names of the properties without which a value of `ty` cannot decode: for a
    /// struct, its required fields that are not nullable (a required nullable field left out
    /// reads as `None`). Sorted; empty for anything but a struct. An untagged union skips a
    /// variant whose keys the object lacks, instead of trying to decode it.
    pub fn keys_needed_by(&self, ty: &TypeRef) -> Vec<&str> {
        let ty = match ty {
            TypeRef::Boxed(inner) => inner,
            other => other,
        };
        let TypeRef::Named(name) = ty else {
            return Vec::new();
        };
        let Some(TypeKind::Struct { fields }) = self.types.get(name).map(|def| &def.kind) else {
            return Vec::new();
        };
        let mut keys: Vec<&str> = fields
            .iter()
            .filter(|field| field.required && !field.nullable && self.refuses_absence(&field.ty, 0))
            .map(|field| field.wire_name.as_str())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// Whether a value of `ty` fails to decode from nothing (only `Option`s and free JSON
    /// values accept a missing field). `depth` counts the aliases followed: a chain that never
    /// ends answers "accepts", which skips nothing.
    fn refuses_absence(&self, ty: &TypeRef, depth: usize) -> bool {
        match ty {
            _ if depth > 32 => false,
            TypeRef::Nullable(_) | TypeRef::Any => false,
            TypeRef::Boxed(inner) => self.refuses_absence(inner, depth + 1),
            TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Alias { ty } | TypeKind::Newtype { ty }) => {
                    self.refuses_absence(ty, depth + 1)
                }
                Some(_) => true,
                None => false,
            },
            _ => true,
        }
    }

    /// The operations of one resource and group, in id order.
    pub fn group_operations<'a>(
        &'a self,
        resource: &'a str,
        group: &'a [String],
    ) -> impl Iterator<Item = &'a Operation> + 'a {
        self.operations
            .iter()
            .filter(move |op| op.resource == resource && op.group == group)
    }

    /// The groups of a resource, sorted: the resource itself (`[]`) first when it has
    /// operations of its own, then every sub-resource path and each of its prefixes.
    pub fn groups(&self, resource: &str) -> Vec<Vec<String>> {
        let mut groups: Vec<Vec<String>> = Vec::new();
        for op in self.resource_operations(resource) {
            for len in 0..=op.group.len() {
                groups.push(op.group[..len].to_vec());
            }
        }
        groups.sort();
        groups.dedup();
        groups
    }

    /// The operations of one resource, in id order.
    pub fn resource_operations<'a>(
        &'a self,
        resource: &'a str,
    ) -> impl Iterator<Item = &'a Operation> + 'a {
        self.operations
            .iter()
            .filter(move |op| op.resource == resource)
    }

    /// Resource names, sorted and deduplicated.
    pub fn resources(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .operations
            .iter()
            .map(|op| op.resource.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}
