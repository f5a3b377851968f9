//! Walks two loaded documents side by side and lists every change with its JSON pointer.
//!
//! Operations are matched by method and path template (parameter names in the template do
//! not matter), webhooks by name and method, parameters by location and name (path ones by
//! their place in the template), responses by status, schemas by name. `$ref`s to parameters, request bodies and responses are followed;
//! `$ref`s to component schemas are not: each component schema is compared once, and
//! [`usage`] says which operations reach it and in which direction.
//!
//! OpenAPI 3.1 is read as written: a `{"type": "null"}` branch of `anyOf`/`oneOf` or a
//! `"null"` in a type list makes a value nullable (3.0's `nullable: true` too), `const` is a
//! one-value enum, and `exclusiveMinimum`/`exclusiveMaximum` are bounds like `minimum`.
//!
//! Operations, security and components are compared here, schemas in `schema`, and which
//! operations reach which schema is worked out in `usage`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{Group, Side};
use crate::error::escape_pointer_token;

mod schema;
mod usage;

pub use usage::usage;

/// Which way a value travels, seen from the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// The client sends it (request parameters and bodies, answers to webhooks).
    Request,
    /// The client receives it (responses, webhook payloads).
    Response,
}

/// What kind of change was found; [`super::classify::rule_for`] turns it into a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each name says what it is; the rule table explains them
pub enum Fact {
    InfoVersion,
    OperationAdded,
    OperationRemoved,
    OperationDeprecated,
    OperationIdChanged,
    ParameterAddedRequired,
    ParameterAddedOptional,
    ParameterRemoved,
    ParameterBecameRequired,
    ParameterBecameOptional,
    ParameterMoved,
    ParameterStyleChanged,
    BodyAddedRequired,
    BodyAddedOptional,
    BodyRemoved,
    BodyBecameRequired,
    BodyBecameOptional,
    MediaTypeAdded,
    MediaTypeRemoved,
    SuccessResponseAdded,
    SuccessResponseRemoved,
    ErrorResponseAdded,
    ErrorResponseRemoved,
    SecurityAlternativeAdded,
    SecurityAlternativeRemoved,
    ScopesAdded,
    ScopesRemoved,
    SecuritySchemeAdded,
    SecuritySchemeRemoved,
    SecuritySchemeChanged,
    WebhookAdded,
    WebhookRemoved,
    SchemaAdded,
    SchemaRemoved,
    PropertyAddedRequired,
    PropertyAddedOptional,
    PropertyRemoved,
    PropertyBecameRequired,
    PropertyBecameOptional,
    TypeChanged,
    TypeWidened,
    FormatChanged,
    NullableAdded,
    NullableRemoved,
    DefaultChanged,
    EnumValueAdded,
    EnumValueRemoved,
    VariantAdded,
    VariantRemoved,
    TagAdded,
    TagRemoved,
    DiscriminatorChanged,
    ConstraintTightened,
    ConstraintLoosened,
}

/// In which direction a change is to be judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Context {
    /// Inside an operation: the direction is known.
    Fixed(Direction),
    /// Inside a component schema: the direction is that of the operations reaching it.
    Schema(String),
    /// Direction does not apply (operations, security, document).
    Free,
}

/// A change before classification.
#[derive(Debug, Clone)]
pub struct RawChange {
    /// What kind of change.
    pub fact: Fact,
    /// How to judge it.
    pub context: Context,
    /// Where it belongs.
    pub group: Group,
    /// JSON pointer of the changed node.
    pub pointer: String,
    /// Which document the pointer points into.
    pub side: Side,
    /// What changed, in a sentence.
    pub message: String,
}

/// How the operations of one document use one component schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaUsage {
    /// The directions it travels in.
    pub directions: BTreeSet<Direction>,
    /// Operations (by id, or `METHOD path`) and webhooks (`webhook NAME`) that reach it.
    pub users: BTreeSet<String>,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const SCHEMA_PREFIX: &str = "#/components/schemas/";
/// Deeper than any real schema nests inline; guards against hostile input.
const MAX_DEPTH: usize = 64;

/// Every change from `old` to `new`, unsorted.
pub fn collect(old: &Value, new: &Value) -> Vec<RawChange> {
    let mut collector = Collector {
        old,
        new,
        out: Vec::new(),
    };
    collector.info();
    collector.operations();
    collector.webhooks();
    collector.schemas();
    collector.security_schemes();
    collector.out
}

fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_pointer_token(token))
}

/// A short, bounded rendering of a value for messages.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn empty() -> &'static Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

fn object(value: &Value) -> Option<&Map<String, Value>> {
    value.as_object()
}

/// Follows `$ref`s (to any component) up to a few hops; returns the target and its pointer.
fn resolve<'v>(root: &'v Value, mut value: &'v Value, mut at: String) -> (&'v Value, String) {
    for _ in 0..8 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(target_pointer) = reference.strip_prefix('#') else {
            break;
        };
        let Some(target) = root.pointer(target_pointer) else {
            break;
        };
        value = target;
        at = target_pointer.to_owned();
    }
    (value, at)
}

fn schema_name(reference: &str) -> Option<String> {
    reference
        .strip_prefix(SCHEMA_PREFIX)
        .map(|name| name.replace("~1", "/").replace("~0", "~"))
}

#[derive(Clone)]
struct At {
    group: Group,
    context: Context,
    /// What a change inside a schema is about, outside any property (`query parameter `x``).
    subject: Option<String>,
}

impl At {
    fn about(&self, subject: String) -> At {
        At {
            subject: Some(subject),
            ..self.clone()
        }
    }
}

struct OperationRef<'v> {
    path: &'v str,
    method: &'v str,
    path_item: &'v Value,
    operation: &'v Value,
    pointer: String,
}

impl OperationRef<'_> {
    fn id(&self) -> Option<&str> {
        self.operation.get("operationId").and_then(Value::as_str)
    }
}

/// Path templates match whatever their parameters are called.
fn template_key(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// The parameter names of a path template, in order (`/a/{x}/b/{y}` → `x`, `y`).
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

fn operations_of(root: &Value) -> BTreeMap<(String, &'static str), OperationRef<'_>> {
    let mut out = BTreeMap::new();
    let Some(paths) = root.get("paths").and_then(object) else {
        return out;
    };
    for (path, item) in paths {
        for method in METHODS {
            if let Some(operation) = item.get(method).filter(|o| o.is_object()) {
                out.insert(
                    (template_key(path), method),
                    OperationRef {
                        path,
                        method,
                        path_item: item,
                        operation,
                        pointer: join(&join("/paths", path), method),
                    },
                );
            }
        }
    }
    out
}

fn webhooks_of(root: &Value) -> BTreeMap<(String, &'static str), OperationRef<'_>> {
    let mut out = BTreeMap::new();
    let Some(hooks) = root.get("webhooks").and_then(object) else {
        return out;
    };
    for (name, item) in hooks {
        for method in METHODS {
            if let Some(operation) = item.get(method).filter(|o| o.is_object()) {
                out.insert(
                    (name.clone(), method),
                    OperationRef {
                        path: name,
                        method,
                        path_item: item,
                        operation,
                        pointer: join(&join("/webhooks", name), method),
                    },
                );
            }
        }
    }
    out
}

/// Changes found inside a schema: their messages name the property they are in.
const IN_SCHEMA: [Fact; 15] = [
    Fact::TypeChanged,
    Fact::TypeWidened,
    Fact::FormatChanged,
    Fact::NullableAdded,
    Fact::NullableRemoved,
    Fact::DefaultChanged,
    Fact::EnumValueAdded,
    Fact::EnumValueRemoved,
    Fact::VariantAdded,
    Fact::VariantRemoved,
    Fact::TagAdded,
    Fact::TagRemoved,
    Fact::DiscriminatorChanged,
    Fact::ConstraintTightened,
    Fact::ConstraintLoosened,
];

/// The innermost property a pointer is in (`.../properties/name/anyOf/0` → `name`).
fn property_of(pointer: &str) -> Option<String> {
    let (_, rest) = pointer.rsplit_once("/properties/")?;
    let token = rest.split('/').next()?;
    Some(token.replace("~1", "/").replace("~0", "~"))
}

struct Collector<'v> {
    old: &'v Value,
    new: &'v Value,
    out: Vec<RawChange>,
}

impl<'v> Collector<'v> {
    fn push(&mut self, at: &At, fact: Fact, side: Side, pointer: String, message: String) {
        let message = match (property_of(&pointer), &at.subject) {
            (Some(name), _) if IN_SCHEMA.contains(&fact) => format!("`{name}` {message}"),
            (None, Some(subject)) if IN_SCHEMA.contains(&fact) => format!("{subject}: {message}"),
            _ => message,
        };
        self.out.push(RawChange {
            fact,
            context: at.context.clone(),
            group: at.group.clone(),
            pointer,
            side,
            message,
        });
    }

    fn info(&mut self) {
        let old = self.old.pointer("/info/version");
        let new = self.new.pointer("/info/version");
        if old != new {
            let text = |v: Option<&Value>| v.map_or_else(|| "(none)".to_owned(), short);
            let at = At {
                group: Group::Document,
                context: Context::Free,
                subject: None,
            };
            self.push(
                &at,
                Fact::InfoVersion,
                Side::New,
                "/info/version".to_owned(),
                format!("API version changed from {} to {}", text(old), text(new)),
            );
        }
    }

    fn operations(&mut self) {
        let old = operations_of(self.old);
        let new = operations_of(self.new);
        self.match_operations(&old, &new, false);
    }

    fn webhooks(&mut self) {
        let old = webhooks_of(self.old);
        let new = webhooks_of(self.new);
        self.match_operations(&old, &new, true);
    }

    fn match_operations(
        &mut self,
        old: &BTreeMap<(String, &'static str), OperationRef<'v>>,
        new: &BTreeMap<(String, &'static str), OperationRef<'v>>,
        webhook: bool,
    ) {
        let keys: BTreeSet<_> = old.keys().chain(new.keys()).collect();
        for key in keys {
            let (o, n) = (old.get(key), new.get(key));
            let Some(shown) = n.or(o) else { continue };
            let group = if webhook {
                Group::Webhook {
                    name: shown.path.to_owned(),
                    method: shown.method.to_uppercase(),
                }
            } else {
                Group::Operation {
                    path: shown.path.to_owned(),
                    method: shown.method.to_uppercase(),
                    operation_id: shown
                        .id()
                        .or_else(|| o.and_then(|o| o.id()))
                        .map(str::to_owned),
                }
            };
            let at = At {
                group,
                context: Context::Free,
                subject: None,
            };
            let (added, removed, what) = if webhook {
                (Fact::WebhookAdded, Fact::WebhookRemoved, "webhook")
            } else {
                (Fact::OperationAdded, Fact::OperationRemoved, "operation")
            };
            match (o, n) {
                (Some(o), None) => self.push(
                    &at,
                    removed,
                    Side::Old,
                    o.pointer.clone(),
                    format!("{what} removed"),
                ),
                (None, Some(n)) => self.push(
                    &at,
                    added,
                    Side::New,
                    n.pointer.clone(),
                    format!("{what} added"),
                ),
                (Some(o), Some(n)) => self.operation(o, n, &at, webhook),
                (None, None) => {}
            }
        }
    }

    fn operation(&mut self, o: &OperationRef<'v>, n: &OperationRef<'v>, at: &At, webhook: bool) {
        let (send, receive) = if webhook {
            (Direction::Response, Direction::Request)
        } else {
            (Direction::Request, Direction::Response)
        };
        let deprecated =
            |op: &OperationRef| op.operation.get("deprecated") == Some(&Value::Bool(true));
        if deprecated(o) != deprecated(n) {
            let message = if deprecated(n) {
                "now deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(
                at,
                Fact::OperationDeprecated,
                Side::New,
                join(&n.pointer, "deprecated"),
                message.to_owned(),
            );
        }
        if o.id() != n.id() {
            self.push(
                at,
                Fact::OperationIdChanged,
                Side::New,
                join(&n.pointer, "operationId"),
                format!(
                    "operationId changed from `{}` to `{}`",
                    o.id().unwrap_or("(none)"),
                    n.id().unwrap_or("(none)")
                ),
            );
        }
        let fixed = |direction| At {
            group: at.group.clone(),
            context: Context::Fixed(direction),
            subject: None,
        };
        self.parameters(o, n, &fixed(send));
        self.request_body(o, n, &fixed(send));
        self.responses(o, n, &fixed(receive));
        self.security(o, n, at);
    }

    fn parameters(&mut self, o: &OperationRef<'v>, n: &OperationRef<'v>, at: &At) {
        let mut old = parameters_of(self.old, o);
        let new = parameters_of(self.new, n);
        // Path parameters are positional: one renamed in the template is the same parameter.
        for (old_name, new_name) in template_names(o.path)
            .into_iter()
            .zip(template_names(n.path))
        {
            let (old_key, new_key) = (
                ("path".to_owned(), old_name.to_owned()),
                ("path".to_owned(), new_name.to_owned()),
            );
            if old_name != new_name && !old.contains_key(&new_key) && new.contains_key(&new_key) {
                if let Some(entry) = old.remove(&old_key) {
                    old.insert(new_key, entry);
                }
            }
        }
        let mut moved_to: BTreeSet<(String, String)> = BTreeSet::new();
        for (key, (_, pointer)) in &old {
            if new.contains_key(key) {
                continue;
            }
            let (location, name) = key;
            let elsewhere = new.iter().find(|((l, nm), _)| {
                nm == name && l != location && !old.contains_key(&(l.clone(), nm.clone()))
            });
            match elsewhere {
                Some(((new_location, _), (_, new_pointer))) => {
                    moved_to.insert((new_location.clone(), name.clone()));
                    self.push(
                        at,
                        Fact::ParameterMoved,
                        Side::New,
                        new_pointer.clone(),
                        format!("parameter `{name}` moved from {location} to {new_location}"),
                    );
                }
                None => {
                    self.push(
                        at,
                        Fact::ParameterRemoved,
                        Side::Old,
                        pointer.clone(),
                        format!("{location} parameter `{name}` removed"),
                    );
                }
            }
        }
        for (key, (param, pointer)) in &new {
            let (location, name) = key;
            match old.get(key) {
                None if moved_to.contains(key) => {}
                None => {
                    let (fact, word) = if is_required(param) {
                        (Fact::ParameterAddedRequired, "required")
                    } else {
                        (Fact::ParameterAddedOptional, "optional")
                    };
                    self.push(
                        at,
                        fact,
                        Side::New,
                        pointer.clone(),
                        format!("{word} {location} parameter `{name}` added"),
                    );
                }
                Some((old_param, old_pointer)) => {
                    if is_required(old_param) != is_required(param) {
                        let (fact, word) = if is_required(param) {
                            (Fact::ParameterBecameRequired, "required")
                        } else {
                            (Fact::ParameterBecameOptional, "optional")
                        };
                        self.push(
                            at,
                            fact,
                            Side::New,
                            join(pointer, "required"),
                            format!("{location} parameter `{name}` became {word}"),
                        );
                    }
                    let (old_style, new_style) = (style_of(old_param), style_of(param));
                    if old_style != new_style {
                        self.push(
                            at,
                            Fact::ParameterStyleChanged,
                            Side::New,
                            pointer.clone(),
                            format!(
                                "{location} parameter `{name}` serialization changed from {} to {}",
                                old_style, new_style
                            ),
                        );
                    }
                    if let (Some(os), Some(ns)) = (old_param.get("schema"), param.get("schema")) {
                        self.schema(
                            os,
                            ns,
                            join(old_pointer, "schema"),
                            join(pointer, "schema"),
                            &at.about(format!("{location} parameter `{name}`")),
                            0,
                        );
                    }
                }
            }
        }
    }

    fn request_body(&mut self, o: &OperationRef<'v>, n: &OperationRef<'v>, at: &At) {
        let body = |root: &'v Value, op: &OperationRef<'v>| {
            op.operation
                .get("requestBody")
                .map(|b| resolve(root, b, join(&op.pointer, "requestBody")))
        };
        let required = |b: &Value| b.get("required") == Some(&Value::Bool(true));
        match (body(self.old, o), body(self.new, n)) {
            (None, None) => {}
            (Some((_, pointer)), None) => self.push(
                at,
                Fact::BodyRemoved,
                Side::Old,
                pointer,
                "request body removed".to_owned(),
            ),
            (None, Some((b, pointer))) => {
                let (fact, word) = if required(b) {
                    (Fact::BodyAddedRequired, "required")
                } else {
                    (Fact::BodyAddedOptional, "optional")
                };
                self.push(
                    at,
                    fact,
                    Side::New,
                    pointer,
                    format!("{word} request body added"),
                );
            }
            (Some((ob, op)), Some((nb, np))) => {
                if required(ob) != required(nb) {
                    let (fact, word) = if required(nb) {
                        (Fact::BodyBecameRequired, "required")
                    } else {
                        (Fact::BodyBecameOptional, "optional")
                    };
                    self.push(
                        at,
                        fact,
                        Side::New,
                        join(&np, "required"),
                        format!("request body became {word}"),
                    );
                }
                self.content(ob, nb, &op, &np, at, "request body");
            }
        }
    }

    fn content(&mut self, o: &'v Value, n: &'v Value, op: &str, np: &str, at: &At, what: &str) {
        let oc = o.get("content").and_then(object).unwrap_or(empty());
        let nc = n.get("content").and_then(object).unwrap_or(empty());
        let (op, np) = (join(op, "content"), join(np, "content"));
        let types: BTreeSet<&String> = oc.keys().chain(nc.keys()).collect();
        for media in types {
            match (oc.get(media), nc.get(media)) {
                (Some(_), None) => self.push(
                    at,
                    Fact::MediaTypeRemoved,
                    Side::Old,
                    join(&op, media),
                    format!("{what} no longer offered as `{media}`"),
                ),
                (None, Some(_)) => self.push(
                    at,
                    Fact::MediaTypeAdded,
                    Side::New,
                    join(&np, media),
                    format!("{what} now also offered as `{media}`"),
                ),
                (Some(om), Some(nm)) => {
                    if let (Some(os), Some(ns)) = (om.get("schema"), nm.get("schema")) {
                        let (osp, nsp) = (
                            join(&join(&op, media), "schema"),
                            join(&join(&np, media), "schema"),
                        );
                        let subject = format!("{what} (`{media}`)");
                        self.schema(os, ns, osp, nsp, &at.about(subject), 0);
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn responses(&mut self, o: &OperationRef<'v>, n: &OperationRef<'v>, at: &At) {
        let responses = |root: &'v Value, op: &OperationRef<'v>| {
            let mut out = BTreeMap::new();
            let base = join(&op.pointer, "responses");
            if let Some(map) = op.operation.get("responses").and_then(object) {
                for (status, response) in map {
                    out.insert(status.clone(), resolve(root, response, join(&base, status)));
                }
            }
            out
        };
        let old = responses(self.old, o);
        let new = responses(self.new, n);
        let statuses: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for status in statuses {
            let success = status.starts_with('2');
            match (old.get(status), new.get(status)) {
                (Some((_, pointer)), None) => {
                    let fact = if success {
                        Fact::SuccessResponseRemoved
                    } else {
                        Fact::ErrorResponseRemoved
                    };
                    self.push(
                        at,
                        fact,
                        Side::Old,
                        pointer.clone(),
                        format!("response {status} removed"),
                    );
                }
                (None, Some((_, pointer))) => {
                    let fact = if success {
                        Fact::SuccessResponseAdded
                    } else {
                        Fact::ErrorResponseAdded
                    };
                    self.push(
                        at,
                        fact,
                        Side::New,
                        pointer.clone(),
                        format!("response {status} added"),
                    );
                }
                (Some((ob, op)), Some((nb, np))) => {
                    self.content(ob, nb, op, np, at, &format!("response {status}"));
                }
                (None, None) => {}
            }
        }
    }

    fn security(&mut self, o: &OperationRef<'v>, n: &OperationRef<'v>, at: &At) {
        let (old, old_pointer) = effective_security(self.old, o);
        let (new, new_pointer) = effective_security(self.new, n);
        let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for key in keys {
            match (old.get(key), new.get(key)) {
                (Some(_), None) => self.push(
                    at,
                    Fact::SecurityAlternativeRemoved,
                    Side::Old,
                    old_pointer.clone(),
                    format!("authentication with {key} no longer accepted"),
                ),
                (None, Some(_)) => self.push(
                    at,
                    Fact::SecurityAlternativeAdded,
                    Side::New,
                    new_pointer.clone(),
                    format!("authentication with {key} now accepted"),
                ),
                (Some(os), Some(ns)) => {
                    for scope in ns.difference(os) {
                        self.push(
                            at,
                            Fact::ScopesAdded,
                            Side::New,
                            new_pointer.clone(),
                            format!("{key} now needs scope `{scope}`"),
                        );
                    }
                    for scope in os.difference(ns) {
                        self.push(
                            at,
                            Fact::ScopesRemoved,
                            Side::New,
                            new_pointer.clone(),
                            format!("{key} no longer needs scope `{scope}`"),
                        );
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn schemas(&mut self) {
        let old = self
            .old
            .pointer("/components/schemas")
            .and_then(object)
            .unwrap_or(empty());
        let new = self
            .new
            .pointer("/components/schemas")
            .and_then(object)
            .unwrap_or(empty());
        let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for name in names {
            let at = At {
                group: Group::Schema { name: name.clone() },
                context: Context::Schema(name.clone()),
                subject: None,
            };
            let pointer = join("/components/schemas", name);
            match (old.get(name), new.get(name)) {
                (Some(_), None) => self.push(
                    &at,
                    Fact::SchemaRemoved,
                    Side::Old,
                    pointer,
                    "schema removed".to_owned(),
                ),
                (None, Some(_)) => self.push(
                    &at,
                    Fact::SchemaAdded,
                    Side::New,
                    pointer,
                    "schema added".to_owned(),
                ),
                (Some(o), Some(n)) => self.schema(o, n, pointer.clone(), pointer, &at, 0),
                (None, None) => {}
            }
        }
    }

    fn security_schemes(&mut self) {
        let old = self
            .old
            .pointer("/components/securitySchemes")
            .and_then(object)
            .unwrap_or(empty());
        let new = self
            .new
            .pointer("/components/securitySchemes")
            .and_then(object)
            .unwrap_or(empty());
        let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for name in names {
            let at = At {
                group: Group::SecurityScheme { name: name.clone() },
                context: Context::Free,
                subject: None,
            };
            let pointer = join("/components/securitySchemes", name);
            match (old.get(name), new.get(name)) {
                (Some(_), None) => self.push(
                    &at,
                    Fact::SecuritySchemeRemoved,
                    Side::Old,
                    pointer,
                    "security scheme removed".to_owned(),
                ),
                (None, Some(_)) => self.push(
                    &at,
                    Fact::SecuritySchemeAdded,
                    Side::New,
                    pointer,
                    "security scheme added".to_owned(),
                ),
                (Some(o), Some(n)) => {
                    let mut keys: BTreeSet<&String> = BTreeSet::new();
                    for (a, b) in [(o, n), (n, o)] {
                        if let Some(map) = object(a) {
                            for (key, value) in map {
                                if key != "description" && b.get(key) != Some(value) {
                                    keys.insert(key);
                                }
                            }
                        }
                    }
                    if !keys.is_empty() {
                        let list: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                        self.push(
                            &at,
                            Fact::SecuritySchemeChanged,
                            Side::New,
                            pointer,
                            format!("security scheme changed: {}", list.join(", ")),
                        );
                    }
                }
                (None, None) => {}
            }
        }
    }
}

fn is_required(parameter: &Value) -> bool {
    parameter.get("required") == Some(&Value::Bool(true))
        || parameter.get("in").and_then(Value::as_str) == Some("path")
}

/// The effective `style` and `explode` of a parameter.
fn style_of(parameter: &Value) -> String {
    let location = parameter
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or("query");
    let default_style = match location {
        "query" | "cookie" => "form",
        _ => "simple",
    };
    let style = parameter
        .get("style")
        .and_then(Value::as_str)
        .unwrap_or(default_style);
    let explode = parameter
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    format!("{style} (explode {explode})")
}

type Parameters<'v> = BTreeMap<(String, String), (&'v Value, String)>;

/// Path-level then operation-level parameters (the latter win), by (location, name).
fn parameters_of<'v>(root: &'v Value, op: &OperationRef<'v>) -> Parameters<'v> {
    let mut out = BTreeMap::new();
    let path_pointer = op
        .pointer
        .rsplit_once('/')
        .map_or_else(String::new, |(path, _)| path.to_owned());
    for (holder, pointer) in [
        (op.path_item, path_pointer),
        (op.operation, op.pointer.clone()),
    ] {
        let Some(Value::Array(list)) = holder.get("parameters") else {
            continue;
        };
        let base = join(&pointer, "parameters");
        for (index, parameter) in list.iter().enumerate() {
            let (parameter, at) = resolve(root, parameter, join(&base, &index.to_string()));
            let name = parameter.get("name").and_then(Value::as_str);
            let location = parameter.get("in").and_then(Value::as_str);
            if let (Some(name), Some(location)) = (name, location) {
                out.insert((location.to_owned(), name.to_owned()), (parameter, at));
            }
        }
    }
    out
}

/// Security alternatives (`scheme` or `a + b`) and the scopes each needs, with the pointer
/// of the list that decides them (the operation's, else the document's).
fn effective_security(
    root: &Value,
    op: &OperationRef,
) -> (BTreeMap<String, BTreeSet<String>>, String) {
    let (list, pointer) = match op.operation.get("security") {
        Some(list) => (Some(list), join(&op.pointer, "security")),
        None => (root.get("security"), "/security".to_owned()),
    };
    let mut out = BTreeMap::new();
    if let Some(Value::Array(alternatives)) = list {
        for alternative in alternatives {
            let Some(map) = alternative.as_object() else {
                continue;
            };
            let mut names: Vec<&str> = map.keys().map(String::as_str).collect();
            names.sort_unstable();
            let key = if names.is_empty() {
                "no credentials".to_owned()
            } else {
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" + ")
            };
            let scopes: BTreeSet<String> = map
                .values()
                .filter_map(Value::as_array)
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            out.entry(key).or_insert_with(BTreeSet::new).extend(scopes);
        }
    }
    (out, pointer)
}

#[cfg(test)]
mod tests {
    use super::schema::View;
    use super::*;
    use serde_json::json;

    /// Odd shapes and reference loops are compared without panicking or looping.
    #[test]
    fn malformed_documents_do_not_panic() {
        let odd = [
            json!({}),
            json!({"paths": [], "components": {"schemas": []}, "webhooks": "x"}),
            json!({"paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/p"}],
                "responses": {"200": {"$ref": "#/components/responses/r"}}}}},
                "components": {"parameters": {"p": {"$ref": "#/components/parameters/p"}},
                    "responses": {"r": {"$ref": "#/components/responses/r"}},
                    "schemas": {"A": {"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/A"}]},
                        "B": true, "C": {"type": ["null"]}, "D": {"oneOf": []}}}}),
        ];
        for old in &odd {
            for new in &odd {
                let changes = collect(old, new);
                if old == new {
                    assert!(changes.is_empty(), "{changes:?}");
                }
                let _ = usage(new);
            }
        }
    }

    #[test]
    fn null_branches_and_type_lists_read_as_nullable() {
        let old = json!({"type": "string"});
        for new in [
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
            json!({"type": ["string", "null"]}),
            json!({"type": "string", "nullable": true}),
        ] {
            let view = View::of(&new, String::new());
            assert!(view.nullable);
            assert_eq!(view.types(), BTreeSet::from(["string"]));
            assert!(View::of(&old, String::new()).types() == view.types());
        }
    }
}
