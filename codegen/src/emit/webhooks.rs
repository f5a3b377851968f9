//! `webhook_events.rs`: one enum over the events of the document's `webhooks` section, and
//! its reference page.
//!
//! The enum is declarative: decoding is the runtime's tagged-union machinery
//! (`runtime::tagged`), and what an unknown event keeps is `webhooks::UnknownEvent`. It is
//! written for every document, with only the open variant when there are no webhooks, so the
//! hand-written `polar_sdk::webhooks::verify` always has a type to return.

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, spec};
use super::types::{type_text, type_tokens, Scope};
use super::DOCS_DIR;
use crate::ir::{Api, TypeRef};

/// The Cargo feature (and module) of the events and the payload types only they use.
pub const FEATURE: &str = "webhook_events";

/// The reference page, relative to the output root.
pub fn page_name() -> String {
    format!("{DOCS_DIR}/webhooks.md")
}

/// What the variant doc says: our words from the overlay, else the facts.
fn variant_doc(api: &Api, event: &crate::ir::WebhookEvent) -> String {
    let data = event
        .data
        .as_ref()
        .map(|data| format!(" Its `data` is {}.", data_text(api, data)))
        .unwrap_or_default();
    match &event.doc {
        Some(doc) => format!("{}\n\nWire type: `{}`.{data}", spec(doc), event.event_type),
        None => format!("Wire type: `{}`.{data}", event.event_type),
    }
}

/// `an [`Order`]`-style text of the `data` type.
fn data_text(api: &Api, data: &TypeRef) -> String {
    let text = type_text(api, data);
    match data {
        TypeRef::Named(name) => {
            let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
                "an"
            } else {
                "a"
            };
            format!("{article} [`{name}`](models::{name})")
        }
        _ => format!("a `{text}`"),
    }
}

/// The Rust module.
pub fn events_file(api: &Api) -> TokenStream {
    let events = &api.webhooks;
    let variants = events.iter().map(|event| {
        let doc = doc_attrs(&variant_doc(api, event));
        let name = format_ident!("{}", event.variant);
        let payload = type_tokens(api, &TypeRef::Named(event.payload.clone()), Scope::Outside);
        quote!(#doc #name(#payload),)
    });
    let names: Vec<_> = events
        .iter()
        .map(|e| format_ident!("{}", e.variant))
        .collect();
    let wires: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    // Without events, `object` is unused and `tag` only handed on (a one-arm `match` would be
    // a lint).
    let (knows, select) = if wires.is_empty() {
        (
            quote!(let _ = tag; false),
            quote! {
                let _ = object;
                Err(serde::de::Error::unknown_variant(tag, Self::KNOWN_TYPES))
            },
        )
    } else {
        (
            quote!(matches!(tag, #(#wires)|*)),
            quote! {
                match tag {
                    #(#wires => serde::Deserialize::deserialize(object).map(Self::#names),)*
                    _ => Err(serde::de::Error::unknown_variant(tag, Self::KNOWN_TYPES)),
                }
            },
        )
    };
    quote! {
        //! Events Polar posts to webhook endpoints, one variant per event type of the API.
        //! Decode them with `polar_sdk::webhooks::verify`, which checks the signature first.

        #[allow(unused_imports)]
        use crate::models;

        /// A verified event from Polar, chosen by its `type`.
        ///
        /// Each known event holds its payload model (`timestamp` and `data`). An event type
        /// this SDK version does not know is [`WebhookEvent::Unknown`], never an error, so a
        /// new event type cannot break a deployed handler: match the events you act on and
        /// acknowledge the rest. [`WebhookEvent::event_type`] gives the wire type of any event.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum WebhookEvent {
            #(#variants)*
            /// An event type this SDK version does not know: its `type` and the payload as sent.
            Unknown(crate::webhooks::UnknownEvent),
        }

        impl WebhookEvent {
            /// Every event type that decodes into a variant of its own, sorted.
            pub const KNOWN_TYPES: &'static [&'static str] = &[#(#wires),*];

            /// The event's `type` as sent (`order.paid`), for unknown events too.
            pub fn event_type(&self) -> &str {
                match self {
                    #(Self::#names(_) => #wires,)*
                    Self::Unknown(event) => event.event_type(),
                }
            }
        }

        impl serde::Serialize for WebhookEvent {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#names(payload) => serde::Serialize::serialize(payload, serializer),)*
                    Self::Unknown(event) => serde::Serialize::serialize(event, serializer),
                }
            }
        }

        impl crate::runtime::tagged::TaggedUnion for WebhookEvent {
            const TAG: &'static str = "type";

            fn knows(tag: &str) -> bool {
                #knows
            }

            fn deserialize_variant<'de, D: serde::Deserializer<'de>>(
                tag: &str,
                object: D,
            ) -> Result<Self, D::Error> {
                #select
            }

            fn unknown(value: crate::RawJson) -> Self {
                Self::Unknown(crate::webhooks::UnknownEvent::from_raw(value))
            }
        }

        impl crate::webhooks::EventUnion for WebhookEvent {
            fn unknown_event(&self) -> Option<&crate::webhooks::UnknownEvent> {
                match self {
                    Self::Unknown(event) => Some(event),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for WebhookEvent {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::webhooks::deserialize_event(deserializer)
            }
        }
    }
}

/// The reference page: what `verify` does, an example, and every event with its types.
pub fn page(api: &Api) -> String {
    let mut out = String::from(
        "# Webhook events\n\n\
         Polar posts an event to each webhook endpoint you register. \
         `polar_sdk::webhooks::verify` checks the delivery's signature and timestamp, then \
         decodes the body into `WebhookEvent`: one variant per event type below, each holding \
         the payload model (the event's `timestamp` and its `data`). An event type this SDK \
         version does not know decodes to `WebhookEvent::Unknown` with its type and the JSON \
         as sent, so answer it with a 2xx like any other. The types are compiled with the \
         `webhook_events` Cargo feature (on by default); a service that only receives \
         webhooks can turn the resources off: `default-features = false, features = \
         [\"rustls\", \"webhook_events\"]`.\n\n\
         Polar retries a delivery until it gets a 2xx, with the same `webhook-id` each time: \
         store the ids you have handled and skip repeats (see the `polar_sdk::webhooks` docs \
         on replays).\n\n```rust,no_run\n\
         use polar_sdk::webhooks::{self, WebhookEvent};\n\n\
         fn on_delivery(\n    secret: &str,\n    headers: &webhooks::HeaderMap,\n    body: &[u8],\n\
         ) -> Result<(), webhooks::WebhookError> {\n    match webhooks::verify(secret, headers, body)? {\n",
    );
    for event in api.webhooks.iter().take(2) {
        let _ = writeln!(
            out,
            "        WebhookEvent::{}(payload) => println!(\"{}: {{payload:?}}\"),",
            event.variant, event.event_type
        );
    }
    out.push_str(
        "        other => println!(\"not handled: {}\", other.event_type()),\n    }\n    Ok(())\n}\n```\n\n",
    );
    let _ = writeln!(out, "{} event types.\n", api.webhooks.len());
    out.push_str(
        "| event type | variant | payload | `data` | sent when |\n| --- | --- | --- | --- | --- |\n",
    );
    for event in &api.webhooks {
        let data = event
            .data
            .as_ref()
            .map(|d| format!("`{}`", type_text(api, d)))
            .unwrap_or_default();
        let when = event
            .doc
            .as_deref()
            .map(|d| spec(d).replace('|', "\\|").replace('\n', " "))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| `{}` | `WebhookEvent::{}` | `{}` | {data} | {when} |",
            event.event_type, event.variant, event.payload
        );
    }
    out
}
