//! Docs from facts, for types and fields our words do not describe: where a type is used
//! (which operations send or return it, which types contain it) and what a field holds
//! (its kind of value, whether it may be absent or `null`). Never filler such as
//! "The `x` property.".

use std::collections::{BTreeMap, BTreeSet};

use super::naming::accessor_name;
use super::{Field, Operation, TypeDef, TypeKind, TypeRef, WebhookEvent};

/// How many users a type's doc names before "and N more".
const NAMED_USERS: usize = 3;

/// Fills every missing type and field doc from the facts of the document.
pub fn fill(
    types: &mut BTreeMap<String, TypeDef>,
    operations: &[Operation],
    webhooks: &[WebhookEvent],
) {
    let mut delivered: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for event in webhooks {
        delivered
            .entry(event.payload.as_str())
            .or_default()
            .insert(event.event_type.clone());
    }
    let mut sent: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut returned: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for operation in operations {
        let call = call_path(operation);
        if let Some(ty) = operation.request_body.as_ref().and_then(|b| b.ty.as_ref()) {
            ty.visit_named(&mut |name| {
                sent.entry(name.to_owned())
                    .or_default()
                    .insert(call.clone());
            });
        }
        for response in operation
            .responses
            .iter()
            .filter(|r| r.status.starts_with('2'))
        {
            if let Some(ty) = response.body.as_ref().and_then(|b| b.ty.as_ref()) {
                ty.visit_named(&mut |name| {
                    returned
                        .entry(name.to_owned())
                        .or_default()
                        .insert(call.clone());
                });
            }
        }
        for parameter in &operation.parameters {
            parameter.ty.visit_named(&mut |name| {
                sent.entry(name.to_owned())
                    .or_default()
                    .insert(call.clone());
            });
        }
    }
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for def in types.values() {
        for ty in def.type_refs() {
            ty.visit_named(&mut |name| {
                if name != def.name {
                    parents
                        .entry(name.to_owned())
                        .or_default()
                        .insert(def.name.clone());
                }
            });
        }
    }
    for def in types.values_mut() {
        if def.doc.as_deref().map_or(true, |d| d.trim().is_empty()) {
            let mut doc = type_facts(
                def,
                sent.get(&def.name),
                returned.get(&def.name),
                parents.get(&def.name),
            );
            if let Some(events) = delivered.get(def.name.as_str()) {
                doc = format!(
                    "The body Polar posts to webhook endpoints for {}.",
                    listed(events)
                );
            }
            def.doc = Some(doc);
        }
        if let TypeKind::Struct { fields } = &mut def.kind {
            for field in fields {
                if field.doc.as_deref().map_or(true, |d| d.trim().is_empty()) {
                    field.doc = Some(field_facts(field));
                }
            }
        }
    }
}

/// `customers().members().create()`.
fn call_path(operation: &Operation) -> String {
    let mut parts = vec![accessor_name(&operation.resource)];
    parts.extend(operation.group.iter().cloned());
    parts.push(operation.verb.clone());
    let parts: Vec<String> = parts
        .iter()
        .map(|p| format!("{}()", p.trim_start_matches("r#")))
        .collect();
    parts.join(".")
}

fn listed(names: &BTreeSet<String>) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(NAMED_USERS)
        .map(|n| format!("`{n}`"))
        .collect();
    match names.len().saturating_sub(NAMED_USERS) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

fn type_facts(
    def: &TypeDef,
    sent: Option<&BTreeSet<String>>,
    returned: Option<&BTreeSet<String>>,
    parents: Option<&BTreeSet<String>>,
) -> String {
    let what = match &def.kind {
        TypeKind::Struct { .. } => "An object",
        TypeKind::Enum { .. } => "One of a fixed set of strings",
        TypeKind::Tagged { tag, .. } => {
            return with_users(
                format!("One of several objects, told apart by their `{tag}` field."),
                sent,
                returned,
                parents,
            )
        }
        TypeKind::Untagged { .. } => "One of several shapes",
        TypeKind::Alias { ty } | TypeKind::Newtype { ty } => {
            return with_users(format!("{}.", value_kind(ty)), sent, returned, parents)
        }
    };
    with_users(format!("{what}."), sent, returned, parents)
}

fn with_users(
    mut text: String,
    sent: Option<&BTreeSet<String>>,
    returned: Option<&BTreeSet<String>>,
    parents: Option<&BTreeSet<String>>,
) -> String {
    if let Some(calls) = sent {
        text.push_str(&format!(" Sent by {}.", listed(calls)));
    }
    if let Some(calls) = returned {
        text.push_str(&format!(" Returned by {}.", listed(calls)));
    }
    if sent.is_none() && returned.is_none() {
        if let Some(types) = parents {
            text.push_str(&format!(" Part of {}.", listed(types)));
        }
    }
    text
}

fn field_facts(field: &Field) -> String {
    let what = value_kind(&field.ty);
    let presence = match (field.required, field.nullable) {
        (true, false) => "",
        (true, true) => "; may be `null`",
        (false, false) => "; may be absent",
        (false, true) => "; may be absent or `null`",
    };
    format!("{what}{presence}.")
}

fn value_kind(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => {
            let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
                "An"
            } else {
                "A"
            };
            format!("{article} `{name}`")
        }
        TypeRef::String => "Text".to_owned(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::Integer => "A whole number".to_owned(),
        TypeRef::F64 => "A number".to_owned(),
        TypeRef::Bool => "Yes or no".to_owned(),
        TypeRef::Uuid => "A UUID".to_owned(),
        TypeRef::DateTime => "A timestamp (RFC 3339, UTC)".to_owned(),
        TypeRef::Date => "A calendar date".to_owned(),
        TypeRef::Any => "Any JSON value".to_owned(),
        TypeRef::Map(value) => format!("A map from keys to {}", plural(&value_kind(value))),
        TypeRef::Array(item) => format!("A list of {}", plural(&value_kind(item))),
        TypeRef::Tuple(items) => format!("A list of {} values in fixed positions", items.len()),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => value_kind(inner),
        TypeRef::OneOrMany(item) => {
            let items = plural(&value_kind(item));
            let mut chars = items.chars();
            let items: String = chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            format!("{items}, one or several")
        }
    }
}

/// "A `Customer`" → "`Customer` values", "A UUID" → "UUIDs", "Text" → "text": the kind
/// after "a list of".
fn plural(kind: &str) -> String {
    match kind.strip_prefix("A ").or_else(|| kind.strip_prefix("An ")) {
        Some(rest) if rest.starts_with('`') => format!("{rest} values"),
        Some(rest) => format!("{rest}s"),
        None => {
            let mut chars = kind.chars();
            chars
                .next()
                .map(|first| first.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::ir::TypeKind;
    use crate::{load, normalize};

    #[test]
    fn undocumented_types_and_fields_get_facts_not_filler() {
        let yaml = r##"
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /things:
    post:
      operationId: "things:create"
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ThingCreate"}
      responses:
        "201":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    ThingCreate:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tags: {type: array, items: {type: string, format: uuid}}
    Thing:
      type: object
      description: Ours.
      required: [id, owner]
      properties:
        id: {type: string, format: uuid}
        owner: {$ref: "#/components/schemas/Owner"}
        note: {anyOf: [{type: string}, {type: "null"}]}
    Owner:
      type: object
      properties:
        email: {type: string}
"##;
        let document = load::load_str(Path::new("facts.yaml"), yaml).unwrap();
        let normalized = normalize::normalize(&document).unwrap();
        let api = crate::ir::lower(&document, &normalized).unwrap();
        let doc = |name: &str| api.types[name].doc.clone().unwrap();
        assert_eq!(
            doc("ThingCreate"),
            "An object. Sent by `things().create()`."
        );
        assert_eq!(doc("Thing"), "Ours.");
        assert_eq!(doc("Owner"), "An object. Part of `Thing`.");
        let fields = |name: &str| match &api.types[name].kind {
            TypeKind::Struct { fields } => fields
                .iter()
                .map(|f| (f.wire_name.clone(), f.doc.clone().unwrap()))
                .collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            fields("ThingCreate"),
            [
                ("name".to_owned(), "Text.".to_owned()),
                (
                    "tags".to_owned(),
                    "A list of UUIDs; may be absent.".to_owned()
                ),
            ]
        );
        assert_eq!(
            fields("Thing"),
            [
                ("id".to_owned(), "A UUID.".to_owned()),
                ("owner".to_owned(), "An `Owner`.".to_owned()),
                (
                    "note".to_owned(),
                    "Text; may be absent or `null`.".to_owned()
                ),
            ]
        );
    }
}
