//! The document's `webhooks` section: one event per webhook, told apart by the `type` constant
//! of its payload schema.
//!
//! Normalize keeps the section verbatim as `x-webhooks` (the 3.0 model has no place for it).
//! Each webhook's `post` request body must be a `$ref` to a component schema (the payload
//! model, lowered like any other) whose `type` property is a string constant: the wire name of
//! the event. What does not fit is reported with its pointer and left out.

use std::collections::BTreeMap;

use serde_json::Value;

use super::naming::type_name;
use super::{TypeDef, TypeKind, TypeRef, WebhookEvent};
use crate::error::{escape_pointer_token, Diagnostic};

/// The name of the catch-all variant; an event may not take it.
pub const UNKNOWN_VARIANT: &str = "Unknown";

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Lowers `x-webhooks` of the normalized document: events sorted by their wire type.
pub fn lower_webhooks(
    normalized: &Value,
    component_names: &BTreeMap<String, String>,
    types: &BTreeMap<String, TypeDef>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<WebhookEvent> {
    let Some(webhooks) = normalized.get("x-webhooks").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut events: Vec<WebhookEvent> = Vec::new();
    let mut diag = |pointer: &str, message: String| {
        diagnostics.push(Diagnostic {
            pointer: pointer.to_owned(),
            message,
        })
    };
    let mut keys: Vec<&String> = webhooks.keys().collect();
    keys.sort();
    for key in keys {
        let item = &webhooks[key.as_str()];
        let item_pointer = format!("/webhooks/{}", escape_pointer_token(key));
        let Some(post) = item.get("post") else {
            diag(
                &item_pointer,
                "a webhook without a `post` operation; skipped".to_owned(),
            );
            continue;
        };
        let pointer = format!("{item_pointer}/post");
        let schema = post
            .pointer("/requestBody/content/application~1json/schema")
            .and_then(|s| s.get("$ref"))
            .and_then(Value::as_str);
        let Some(component) = schema.and_then(|r| r.strip_prefix(SCHEMA_PREFIX)) else {
            diag(
                &pointer,
                "the webhook's JSON body is not a `$ref` to a component schema; skipped".to_owned(),
            );
            continue;
        };
        let component = component.replace("~1", "/").replace("~0", "~");
        let Some(payload) = component_names.get(&component).cloned() else {
            diag(
                &pointer,
                format!("the webhook's body `{component}` is not a component schema; skipped"),
            );
            continue;
        };
        let tag = normalized
            .pointer(&format!(
                "/components/schemas/{}/properties/type",
                escape_pointer_token(&component)
            ))
            .and_then(constant);
        let Some(event_type) = tag else {
            diag(
                &pointer,
                format!(
                    "the webhook's body `{component}` has no `type` property with one string \
                     value; skipped"
                ),
            );
            continue;
        };
        if let Some(earlier) = events.iter().find(|e| e.event_type == event_type) {
            diag(
                &pointer,
                format!(
                    "the event type `{event_type}` is also the webhook `{}`'s; skipped",
                    earlier.webhook
                ),
            );
            continue;
        }
        let data = match types.get(&payload).map(|def| &def.kind) {
            Some(TypeKind::Struct { fields }) => fields
                .iter()
                .find(|f| f.wire_name == "data")
                .map(|f| f.ty.clone()),
            _ => None,
        };
        let doc = post
            .get("description")
            .or_else(|| post.get("summary"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned);
        events.push(WebhookEvent {
            event_type,
            webhook: key.clone(),
            variant: String::new(),
            payload,
            data,
            doc,
            pointer,
        });
    }
    events.sort_by(|a, b| a.event_type.cmp(&b.event_type));
    name_variants(&mut events);
    events
}

/// The single string a property schema allows: `const`, or an `enum` of one value (what
/// normalize makes of `const`).
fn constant(schema: &Value) -> Option<String> {
    if let Some(value) = schema.get("const").and_then(Value::as_str) {
        return Some(value.to_owned());
    }
    match schema.get("enum").and_then(Value::as_array)?.as_slice() {
        [Value::String(value)] => Some(value.clone()),
        _ => None,
    }
}

/// `order.paid` → `OrderPaid`, `benefit_grant.cycled` → `BenefitGrantCycled`; a clash (with
/// another event or with [`UNKNOWN_VARIANT`]) gets a number, in event type order.
fn name_variants(events: &mut [WebhookEvent]) {
    let mut taken: Vec<String> = vec![UNKNOWN_VARIANT.to_owned()];
    for event in events.iter_mut() {
        let base = type_name(&event.event_type);
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.push(name.clone());
        event.variant = name;
    }
}

/// The types the events name directly.
pub fn roots(events: &[WebhookEvent]) -> Vec<TypeRef> {
    events
        .iter()
        .map(|e| TypeRef::Named(e.payload.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(document: Value) -> (Vec<WebhookEvent>, Vec<Diagnostic>) {
        let mut names = BTreeMap::new();
        for key in document["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
        {
            names.insert(key.clone(), type_name(key));
        }
        let mut diagnostics = Vec::new();
        let events = lower_webhooks(&document, &names, &BTreeMap::new(), &mut diagnostics);
        (events, diagnostics)
    }

    fn webhook(schema: &str) -> Value {
        serde_json::json!({"post": {"requestBody": {"content": {"application/json": {
            "schema": {"$ref": format!("#/components/schemas/{schema}")}
        }}}}})
    }

    fn payload(tag: Value) -> Value {
        serde_json::json!({"type": "object", "properties": {"type": tag}})
    }

    #[test]
    fn events_are_named_from_their_type_constant_and_sorted() {
        let document = serde_json::json!({
            "x-webhooks": {
                "z": webhook("Paid"),
                "a": webhook("Cycled"),
                "b": webhook("Other"),
            },
            "components": {"schemas": {
                "Paid": payload(serde_json::json!({"type": "string", "enum": ["order.paid"]})),
                "Cycled": payload(serde_json::json!({"const": "benefit_grant.cycled"})),
                "Other": payload(serde_json::json!({"const": "unknown"})),
            }}
        });
        let (events, diagnostics) = lowered(document);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let names: Vec<(&str, &str, &str)> = events
            .iter()
            .map(|e| {
                (
                    e.event_type.as_str(),
                    e.variant.as_str(),
                    e.payload.as_str(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("benefit_grant.cycled", "BenefitGrantCycled", "Cycled"),
                ("order.paid", "OrderPaid", "Paid"),
                ("unknown", "Unknown2", "Other"),
            ]
        );
        assert_eq!(events[1].pointer, "/webhooks/z/post");
    }

    #[test]
    fn webhooks_the_enum_cannot_express_are_reported_and_left_out() {
        let document = serde_json::json!({
            "x-webhooks": {
                "inline": {"post": {"requestBody": {"content": {"application/json": {
                    "schema": {"type": "object"}
                }}}}},
                "untyped": webhook("Untyped"),
                "twice": webhook("Paid"),
                "paid": webhook("Paid"),
                "get": {"get": {}},
            },
            "components": {"schemas": {
                "Paid": payload(serde_json::json!({"const": "order.paid"})),
                "Untyped": payload(serde_json::json!({"type": "string"})),
            }}
        });
        let (events, diagnostics) = lowered(document);
        assert_eq!(events.len(), 1);
        let pointers: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/webhooks/get",
                "/webhooks/inline/post",
                "/webhooks/twice/post",
                "/webhooks/untyped/post",
            ]
        );
    }
}
