//! Walks two loaded documents side by side and lists every change with its JSON pointer.
//!
//! Operations are matched by method and path template (parameter names in the template do
//! not matter), webhooks by name and method, parameters by location and name, responses by
//! status, schemas by name. `$ref`s to parameters, request bodies and responses are followed;
//! `$ref`s to component schemas are not: each component schema is compared once, and
//! [`usage`] says which operations reach it and in which direction.
//!
//! OpenAPI 3.1 is read as written: a `{"type": "null"}` branch of `anyOf`/`oneOf` or a
//! `"null"` in a type list makes a value nullable (3.0's `nullable: true` too), `const` is a
//! one-value enum, and `exclusiveMinimum`/`exclusiveMaximum` are bounds like `minimum`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{Group, Side};
use crate::error::escape_pointer_token;

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

/// A schema seen through its null wrappers: `anyOf: [X, {type: null}]` reads as a nullable X.
struct View<'v> {
    /// Objects whose keywords apply, innermost first, with their pointers.
    layers: Vec<(&'v Map<String, Value>, String)>,
    nullable: bool,
    /// Non-null branches when a union remains.
    union: Vec<(&'v Value, String)>,
}

impl<'v> View<'v> {
    fn of(value: &'v Value, at: String) -> Self {
        let mut view = View {
            layers: Vec::new(),
            nullable: false,
            union: Vec::new(),
        };
        view.read(value, at, 0);
        view
    }

    fn read(&mut self, value: &'v Value, at: String, depth: usize) {
        let Some(map) = value.as_object() else {
            return;
        };
        if map.get("nullable") == Some(&Value::Bool(true)) {
            self.nullable = true;
        }
        if let Some(Value::Array(types)) = map.get("type") {
            if types.iter().any(|t| t == "null") {
                self.nullable = true;
            }
        }
        for keyword in ["anyOf", "oneOf"] {
            let Some(Value::Array(branches)) = map.get(keyword) else {
                continue;
            };
            let mut rest = Vec::new();
            let mut had_null = false;
            for (index, branch) in branches.iter().enumerate() {
                if branch.get("type").and_then(Value::as_str) == Some("null") {
                    had_null = true;
                } else {
                    rest.push((branch, join(&join(&at, keyword), &index.to_string())));
                }
            }
            if had_null {
                self.nullable = true;
            }
            if had_null && rest.len() == 1 && depth < MAX_DEPTH {
                let (branch, branch_at) = rest.remove(0);
                self.read(branch, branch_at, depth + 1);
                self.layers.push((map, at));
                return;
            }
            self.union = rest;
            break;
        }
        self.layers.push((map, at));
    }

    fn get(&self, key: &str) -> Option<(&'v Value, &str)> {
        self.layers
            .iter()
            .find_map(|(map, at)| map.get(key).map(|value| (value, at.as_str())))
    }

    /// Pointer of `key` where it is, or where it would go (the innermost layer).
    fn at(&self, key: &str) -> String {
        match self.get(key) {
            Some((_, at)) => join(at, key),
            None => self
                .layers
                .first()
                .map_or_else(String::new, |(_, at)| join(at, key)),
        }
    }

    fn base(&self) -> String {
        self.layers
            .first()
            .map_or_else(String::new, |(_, at)| at.clone())
    }

    fn reference(&self) -> Option<&'v str> {
        self.get("$ref").and_then(|(v, _)| v.as_str())
    }

    fn types(&self) -> BTreeSet<&'v str> {
        match self.get("type") {
            Some((Value::String(t), _)) if t != "null" => BTreeSet::from([t.as_str()]),
            Some((Value::Array(types), _)) => types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect(),
            _ => BTreeSet::new(),
        }
    }

    /// `enum` values, or the `const`, without `null`.
    fn values(&self) -> Option<Vec<&'v Value>> {
        if let Some((Value::Array(values), _)) = self.get("enum") {
            return Some(values.iter().filter(|v| !v.is_null()).collect());
        }
        self.get("const").map(|(value, _)| vec![value])
    }

    fn str(&self, key: &str) -> Option<&'v str> {
        self.get(key).and_then(|(v, _)| v.as_str())
    }
}

fn type_text(types: &BTreeSet<&str>) -> String {
    if types.is_empty() {
        "any".to_owned()
    } else {
        types.iter().copied().collect::<Vec<_>>().join(" | ")
    }
}

/// A name for a union branch that survives reordering: its `$ref` target or its type.
fn variant_keys(branches: &[(&Value, String)]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    branches
        .iter()
        .map(|(branch, at)| {
            let view = View::of(branch, at.clone());
            let base = match view.reference() {
                Some(reference) => schema_name(reference).unwrap_or_else(|| reference.to_owned()),
                None => format!("inline {}", type_text(&view.types())),
            };
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            if *count == 1 {
                base
            } else {
                format!("{base} #{count}")
            }
        })
        .collect()
}

const LOWER_BOUNDS: [&str; 5] = [
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
];
const UPPER_BOUNDS: [&str; 5] = [
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
];

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

    /// Compares two schemas in place (without following component `$ref`s).
    fn schema(
        &mut self,
        o: &'v Value,
        n: &'v Value,
        op: String,
        np: String,
        at: &At,
        depth: usize,
    ) {
        // Equal subtrees hold no change: schema `$ref`s are not followed here.
        if depth > MAX_DEPTH || o == n {
            return;
        }
        let o = View::of(o, op);
        let n = View::of(n, np.clone());
        // Whole-schema changes point at the schema as written, not inside its null wrapper.
        let here = np;
        if o.nullable != n.nullable {
            let (fact, message) = if n.nullable {
                (Fact::NullableAdded, "may now be null")
            } else {
                (Fact::NullableRemoved, "may no longer be null")
            };
            self.push(at, fact, Side::New, here.clone(), message.to_owned());
        }
        let name = |r: &str| schema_name(r).unwrap_or_else(|| r.to_owned());
        match (o.reference(), n.reference()) {
            (Some(a), Some(b)) => {
                if a != b {
                    self.push(
                        at,
                        Fact::TypeChanged,
                        Side::New,
                        n.at("$ref"),
                        format!("now `{}` instead of `{}`", name(b), name(a)),
                    );
                }
                return;
            }
            (Some(a), None) => {
                self.push(
                    at,
                    Fact::TypeChanged,
                    Side::New,
                    here,
                    format!("now an inline schema instead of `{}`", name(a)),
                );
                return;
            }
            (None, Some(b)) => {
                self.push(
                    at,
                    Fact::TypeChanged,
                    Side::New,
                    n.at("$ref"),
                    format!("now `{}` instead of an inline schema", name(b)),
                );
                return;
            }
            (None, None) => {}
        }
        match (o.union.is_empty(), n.union.is_empty()) {
            (true, false) => {
                self.push(
                    at,
                    Fact::TypeChanged,
                    Side::New,
                    here,
                    format!("became a union of {} variants", n.union.len()),
                );
                return;
            }
            (false, true) => {
                self.push(
                    at,
                    Fact::TypeChanged,
                    Side::New,
                    here,
                    "is no longer a union".to_owned(),
                );
                return;
            }
            (false, false) => self.union(&o, &n, at, depth),
            (true, true) => {}
        }
        self.discriminator(&o, &n, at);

        let (old_types, new_types) = (o.types(), n.types());
        if old_types != new_types {
            let widened = new_types.is_empty()
                || (!old_types.is_empty() && new_types.is_superset(&old_types))
                || (old_types.len() == 1
                    && old_types.contains("integer")
                    && new_types.contains("number"));
            let fact = if widened {
                Fact::TypeWidened
            } else {
                Fact::TypeChanged
            };
            self.push(
                at,
                fact,
                Side::New,
                n.at("type"),
                format!(
                    "type changed from {} to {}",
                    type_text(&old_types),
                    type_text(&new_types)
                ),
            );
            return;
        }
        if o.str("format") != n.str("format") {
            self.push(
                at,
                Fact::FormatChanged,
                Side::New,
                n.at("format"),
                format!(
                    "format changed from {} to {}",
                    o.str("format").unwrap_or("(none)"),
                    n.str("format").unwrap_or("(none)")
                ),
            );
        }
        self.values(&o, &n, at);
        let (old_default, new_default) =
            (o.get("default").map(|d| d.0), n.get("default").map(|d| d.0));
        if old_default != new_default {
            let text = |v: Option<&Value>| v.map_or_else(|| "(none)".to_owned(), short);
            self.push(
                at,
                Fact::DefaultChanged,
                Side::New,
                n.at("default"),
                format!(
                    "default changed from {} to {}",
                    text(old_default),
                    text(new_default)
                ),
            );
        }
        self.constraints(&o, &n, at);
        self.properties(&o, &n, at, depth);
        for keyword in ["items", "additionalProperties"] {
            match (o.get(keyword), n.get(keyword)) {
                (Some((ov, _)), Some((nv, _))) if ov.is_object() && nv.is_object() => {
                    self.schema(ov, nv, o.at(keyword), n.at(keyword), at, depth + 1)
                }
                (old_value, new_value) if keyword == "additionalProperties" => {
                    let closed =
                        |v: Option<(&Value, &str)>| v.map(|v| v.0) == Some(&Value::Bool(false));
                    if closed(old_value) != closed(new_value) {
                        let (fact, message) = if closed(new_value) {
                            (
                                Fact::ConstraintTightened,
                                "no longer accepts extra properties",
                            )
                        } else {
                            (Fact::ConstraintLoosened, "now accepts extra properties")
                        };
                        self.push(at, fact, Side::New, n.at(keyword), message.to_owned());
                    }
                }
                _ => {}
            }
        }
        for keyword in ["prefixItems", "allOf"] {
            let (Some((Value::Array(ol), _)), Some((Value::Array(nl), _))) =
                (o.get(keyword), n.get(keyword))
            else {
                if o.get(keyword).is_some() != n.get(keyword).is_some() {
                    self.push(
                        at,
                        Fact::TypeChanged,
                        Side::New,
                        here.clone(),
                        format!("`{keyword}` added or removed"),
                    );
                }
                continue;
            };
            if ol.len() != nl.len() {
                self.push(
                    at,
                    Fact::TypeChanged,
                    Side::New,
                    n.at(keyword),
                    format!(
                        "`{keyword}` has {} entries instead of {}",
                        nl.len(),
                        ol.len()
                    ),
                );
                continue;
            }
            for (index, (ov, nv)) in ol.iter().zip(nl).enumerate() {
                let (oi, ni) = (
                    join(&o.at(keyword), &index.to_string()),
                    join(&n.at(keyword), &index.to_string()),
                );
                self.schema(ov, nv, oi, ni, at, depth + 1);
            }
        }
    }

    fn union(&mut self, o: &View<'v>, n: &View<'v>, at: &At, depth: usize) {
        let old_keys = variant_keys(&o.union);
        let new_keys = variant_keys(&n.union);
        for (key, (_, pointer)) in old_keys.iter().zip(&o.union) {
            if !new_keys.contains(key) {
                self.push(
                    at,
                    Fact::VariantRemoved,
                    Side::Old,
                    pointer.clone(),
                    format!("variant `{key}` removed"),
                );
            }
        }
        for (key, (branch, pointer)) in new_keys.iter().zip(&n.union) {
            match old_keys.iter().position(|k| k == key) {
                None => self.push(
                    at,
                    Fact::VariantAdded,
                    Side::New,
                    pointer.clone(),
                    format!("variant `{key}` added"),
                ),
                Some(index) => {
                    let (old_branch, old_pointer) = &o.union[index];
                    self.schema(
                        old_branch,
                        branch,
                        old_pointer.clone(),
                        pointer.clone(),
                        at,
                        depth + 1,
                    );
                }
            }
        }
    }

    fn discriminator(&mut self, o: &View<'v>, n: &View<'v>, at: &At) {
        let (od, nd) = (
            o.get("discriminator").map(|d| d.0),
            n.get("discriminator").map(|d| d.0),
        );
        if od.is_none() && nd.is_none() {
            return;
        }
        let property = |d: Option<&'v Value>| {
            d.and_then(|d| d.get("propertyName"))
                .and_then(Value::as_str)
        };
        if property(od) != property(nd) {
            self.push(
                at,
                Fact::DiscriminatorChanged,
                Side::New,
                n.at("discriminator"),
                format!(
                    "discriminator property changed from {} to {}",
                    property(od).unwrap_or("(none)"),
                    property(nd).unwrap_or("(none)")
                ),
            );
            return;
        }
        let mapping = |d: Option<&'v Value>| {
            d.and_then(|d| d.get("mapping"))
                .and_then(object)
                .unwrap_or(empty())
        };
        let (om, nm) = (mapping(od), mapping(nd));
        let target = |v: &Value| {
            let text = v.as_str().unwrap_or_default();
            schema_name(text).unwrap_or_else(|| text.to_owned())
        };
        let mapping_at = |view: &View| join(&view.at("discriminator"), "mapping");
        let tags: BTreeSet<&String> = om.keys().chain(nm.keys()).collect();
        for tag in tags {
            match (om.get(tag), nm.get(tag)) {
                (Some(ov), None) => self.push(
                    at,
                    Fact::TagRemoved,
                    Side::Old,
                    join(&mapping_at(o), tag),
                    format!("tag `{tag}` (selecting `{}`) removed", target(ov)),
                ),
                (None, Some(nv)) => self.push(
                    at,
                    Fact::TagAdded,
                    Side::New,
                    join(&mapping_at(n), tag),
                    format!("tag `{tag}` added, selecting `{}`", target(nv)),
                ),
                (Some(ov), Some(nv)) if ov != nv => self.push(
                    at,
                    Fact::DiscriminatorChanged,
                    Side::New,
                    join(&mapping_at(n), tag),
                    format!(
                        "tag `{tag}` now selects `{}` instead of `{}`",
                        target(nv),
                        target(ov)
                    ),
                ),
                _ => {}
            }
        }
    }

    fn values(&mut self, o: &View<'v>, n: &View<'v>, at: &At) {
        let keyword = |v: &View| {
            if v.get("enum").is_some() {
                "enum"
            } else {
                "const"
            }
        };
        match (o.values(), n.values()) {
            (Some(old), Some(new)) => {
                for value in &old {
                    if !new.contains(value) {
                        self.push(
                            at,
                            Fact::EnumValueRemoved,
                            Side::Old,
                            o.at(keyword(o)),
                            format!("value {} removed", short(value)),
                        );
                    }
                }
                for value in &new {
                    if !old.contains(value) {
                        self.push(
                            at,
                            Fact::EnumValueAdded,
                            Side::New,
                            n.at(keyword(n)),
                            format!("value {} added", short(value)),
                        );
                    }
                }
            }
            (None, Some(new)) => self.push(
                at,
                Fact::ConstraintTightened,
                Side::New,
                n.at(keyword(n)),
                format!("now limited to {} value(s)", new.len()),
            ),
            (Some(_), None) => self.push(
                at,
                Fact::ConstraintLoosened,
                Side::New,
                n.base(),
                "no longer limited to fixed values".to_owned(),
            ),
            (None, None) => {}
        }
    }

    fn constraints(&mut self, o: &View<'v>, n: &View<'v>, at: &At) {
        let bounds = LOWER_BOUNDS
            .iter()
            .map(|k| (*k, true))
            .chain(UPPER_BOUNDS.iter().map(|k| (*k, false)));
        for (keyword, lower) in bounds {
            let (old, new) = (o.get(keyword).map(|v| v.0), n.get(keyword).map(|v| v.0));
            if old == new {
                continue;
            }
            let tightened = match (old.and_then(Value::as_f64), new.and_then(Value::as_f64)) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => (lower && b > a) || (!lower && b < a),
                // 3.0 boolean exclusiveMinimum/Maximum: `true` is the stricter one.
                (None, None) => new == Some(&Value::Bool(true)),
            };
            self.constraint(at, n, keyword, old, new, tightened);
        }
        for keyword in ["pattern", "multipleOf", "uniqueItems"] {
            let (old, new) = (o.get(keyword).map(|v| v.0), n.get(keyword).map(|v| v.0));
            if old == new {
                continue;
            }
            let tightened = match keyword {
                "uniqueItems" => new == Some(&Value::Bool(true)),
                _ => new.is_some(),
            };
            self.constraint(at, n, keyword, old, new, tightened);
        }
    }

    fn constraint(
        &mut self,
        at: &At,
        n: &View<'v>,
        keyword: &str,
        old: Option<&Value>,
        new: Option<&Value>,
        tightened: bool,
    ) {
        let text = |v: Option<&Value>| v.map_or_else(|| "(none)".to_owned(), short);
        let fact = if tightened {
            Fact::ConstraintTightened
        } else {
            Fact::ConstraintLoosened
        };
        self.push(
            at,
            fact,
            Side::New,
            n.at(keyword),
            format!("`{keyword}` changed from {} to {}", text(old), text(new)),
        );
    }

    fn properties(&mut self, o: &View<'v>, n: &View<'v>, at: &At, depth: usize) {
        let props = |v: &View<'v>| {
            v.get("properties")
                .and_then(|p| p.0.as_object())
                .unwrap_or(empty())
        };
        let required = |v: &View<'v>| -> BTreeSet<&'v str> {
            match v.get("required") {
                Some((Value::Array(names), _)) => names.iter().filter_map(Value::as_str).collect(),
                _ => BTreeSet::new(),
            }
        };
        let (op, np) = (props(o), props(n));
        let (or, nr) = (required(o), required(n));
        let (op_at, np_at) = (o.at("properties"), n.at("properties"));
        let names: BTreeSet<&String> = op.keys().chain(np.keys()).collect();
        for name in names {
            let (old_at, new_at) = (join(&op_at, name), join(&np_at, name));
            match (op.get(name), np.get(name)) {
                (Some(_), None) => self.push(
                    at,
                    Fact::PropertyRemoved,
                    Side::Old,
                    old_at,
                    format!("property `{name}` removed"),
                ),
                (None, Some(_)) => {
                    let (fact, word) = if nr.contains(name.as_str()) {
                        (Fact::PropertyAddedRequired, "required")
                    } else {
                        (Fact::PropertyAddedOptional, "optional")
                    };
                    self.push(
                        at,
                        fact,
                        Side::New,
                        new_at,
                        format!("{word} property `{name}` added"),
                    );
                }
                (Some(ov), Some(nv)) => {
                    let (was, is) = (or.contains(name.as_str()), nr.contains(name.as_str()));
                    if was != is {
                        let (fact, word) = if is {
                            (Fact::PropertyBecameRequired, "required")
                        } else {
                            (Fact::PropertyBecameOptional, "optional")
                        };
                        self.push(
                            at,
                            fact,
                            Side::New,
                            new_at.clone(),
                            format!("property `{name}` became {word}"),
                        );
                    }
                    self.schema(ov, nv, old_at, new_at, at, depth + 1);
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

/// Every component schema named in `value` (following `$ref`s to other components).
fn scan<'v>(root: &'v Value, value: &'v Value, out: &mut BTreeSet<String>, depth: usize) {
    if depth > MAX_DEPTH * 4 {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                if let Some(name) = schema_name(reference) {
                    out.insert(name);
                } else if let Some(target) =
                    reference.strip_prefix('#').and_then(|p| root.pointer(p))
                {
                    if depth < MAX_DEPTH {
                        scan(root, target, out, depth + 1);
                    }
                }
            }
            for item in map.values() {
                scan(root, item, out, depth + 1);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| scan(root, item, out, depth + 1)),
        _ => {}
    }
}

/// Which operations and webhooks reach each component schema, and in which direction.
pub fn usage(root: &Value) -> BTreeMap<String, SchemaUsage> {
    let mut graph: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    if let Some(schemas) = root.pointer("/components/schemas").and_then(object) {
        for (name, schema) in schemas {
            let mut refs = BTreeSet::new();
            scan(root, schema, &mut refs, 0);
            graph.insert(name, refs);
        }
    }
    let mut out: BTreeMap<String, SchemaUsage> = BTreeMap::new();
    let mut mark = |label: &str, direction: Direction, seeds: BTreeSet<String>| {
        let mut queue: Vec<String> = seeds.into_iter().collect();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        while let Some(name) = queue.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(next) = graph.get(name.as_str()) {
                queue.extend(next.iter().filter(|n| !seen.contains(*n)).cloned());
            }
            let entry = out.entry(name).or_default();
            entry.directions.insert(direction);
            entry.users.insert(label.to_owned());
        }
    };
    for (webhook, operations) in [(false, operations_of(root)), (true, webhooks_of(root))] {
        for op in operations.values() {
            let label = match (webhook, op.id()) {
                (true, _) => format!("webhook {}", op.path),
                (false, Some(id)) => id.to_owned(),
                (false, None) => format!("{} {}", op.method.to_uppercase(), op.path),
            };
            let (send, receive) = if webhook {
                (Direction::Response, Direction::Request)
            } else {
                (Direction::Request, Direction::Response)
            };
            let mut sent = BTreeSet::new();
            for (parameter, _) in parameters_of(root, op).values() {
                scan(root, parameter, &mut sent, 0);
            }
            if let Some(body) = op.operation.get("requestBody") {
                scan(root, body, &mut sent, 0);
            }
            let mut received = BTreeSet::new();
            if let Some(responses) = op.operation.get("responses") {
                scan(root, responses, &mut received, 0);
            }
            mark(&label, send, sent);
            mark(&label, receive, received);
        }
    }
    out
}

#[cfg(test)]
mod tests {
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
