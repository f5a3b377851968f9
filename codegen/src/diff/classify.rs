//! The rule table: which class each kind of change gets, judged from a client's side.
//!
//! A change inside a schema is judged by the direction the schema travels: what the client
//! sends (request parameters and bodies, answers to webhooks) or what it receives (responses
//! and webhook payloads). A schema used both ways gets the stricter of the two verdicts.
//! polar-sdk's enums and unions are open (`Unknown(..)` variants), which is why a new value
//! in a response only "may break": it breaks code that matches raw strings exhaustively.

use serde::Serialize;

use super::collect::{Direction, Fact};
use super::Class;

/// One row of the rule table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable id, quoted in every reported change.
    pub id: &'static str,
    /// The kind of change.
    pub change: &'static str,
    /// The verdict.
    pub class: Class,
    /// The reason for the verdict.
    pub why: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $class:ident, $change:literal, $why:literal;)*) => {
        $(
            #[doc = concat!("Rule `", $id, "`.")]
            pub const $name: Rule = Rule {
                id: $id,
                change: $change,
                class: Class::$class,
                why: $why,
            };
        )*
        /// Every rule, in table order (wire rules first, then `rust-` rules).
        pub const RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    INFO_VERSION = "info-version", Compatible, "`info.version` changed",
        "informational; polar-sdk sends the new value as `Polar-Version`";
    OP_ADDED = "op-added", Compatible, "operation added", "nothing existing uses it";
    OP_REMOVED = "op-removed", Breaking, "operation removed", "calls to it fail";
    OP_DEPRECATED = "op-deprecated", Compatible, "operation deprecated or undeprecated",
        "it still works; a warning for later";
    OP_ID_CHANGED = "op-id-changed", Compatible, "`operationId` changed",
        "not on the wire; generated names follow it (see the Rust section)";
    PARAM_ADDED_REQUIRED = "param-added-required", Breaking, "required parameter added",
        "existing calls lack it";
    PARAM_ADDED_OPTIONAL = "param-added-optional", Compatible, "optional parameter added",
        "existing calls may omit it";
    PARAM_REMOVED = "param-removed", MayBreak, "parameter removed",
        "the server ignores or rejects what clients still send";
    PARAM_BECAME_REQUIRED = "param-became-required", Breaking, "parameter became required",
        "calls that omit it fail";
    PARAM_BECAME_OPTIONAL = "param-became-optional", Compatible, "parameter became optional",
        "calls that send it still work";
    PARAM_MOVED = "param-moved", Breaking, "parameter moved to another location (query, path, header)",
        "clients send it where the server no longer reads it";
    PARAM_STYLE_CHANGED = "param-style-changed", MayBreak, "parameter serialization (`style`, `explode`) changed",
        "lists and objects are written differently on the wire";
    BODY_ADDED_REQUIRED = "body-added-required", Breaking, "required request body added",
        "existing calls send none";
    BODY_ADDED_OPTIONAL = "body-added-optional", Compatible, "optional request body added",
        "existing calls may omit it";
    BODY_REMOVED = "body-removed", MayBreak, "request body removed",
        "the server ignores or rejects what clients still send";
    BODY_BECAME_REQUIRED = "body-became-required", Breaking, "request body became required",
        "calls without one fail";
    BODY_BECAME_OPTIONAL = "body-became-optional", Compatible, "request body became optional",
        "calls that send one still work";
    REQ_MEDIA_ADDED = "req-media-added", Compatible, "request media type added",
        "the old one is still accepted";
    REQ_MEDIA_REMOVED = "req-media-removed", Breaking, "request media type removed",
        "clients sending it are rejected";
    RESP_MEDIA_ADDED = "resp-media-added", Compatible, "response media type added",
        "clients keep asking for the one they know";
    RESP_MEDIA_REMOVED = "resp-media-removed", Breaking, "response media type removed",
        "clients expecting it get something else";
    RESP_SUCCESS_ADDED = "resp-success-added", MayBreak, "success (2XX) response added",
        "clients meet a status and body they never handled";
    RESP_SUCCESS_REMOVED = "resp-success-removed", Breaking, "success (2XX) response removed",
        "the result clients decode is gone";
    RESP_ERROR_ADDED = "resp-error-added", Compatible, "error response added",
        "errors were possible before; polar-sdk surfaces unknown statuses as `Error::Api`";
    RESP_ERROR_REMOVED = "resp-error-removed", Compatible, "error response removed",
        "handling an error that no longer comes costs nothing";
    SECURITY_ADDED = "security-alternative-added", Compatible, "security alternative added",
        "one more way to authenticate; the old ones still work";
    SECURITY_REMOVED = "security-alternative-removed", Breaking, "security alternative removed",
        "clients authenticating that way are refused";
    SCOPES_ADDED = "security-scopes-added", Breaking, "scope added to a security alternative",
        "existing tokens may lack it";
    SCOPES_REMOVED = "security-scopes-removed", Compatible, "scope removed from a security alternative",
        "existing tokens still have enough";
    SCHEME_ADDED = "security-scheme-added", Compatible, "security scheme added", "nothing uses it yet";
    SCHEME_REMOVED = "security-scheme-removed", MayBreak, "security scheme removed",
        "credentials of that kind stop working where it was required";
    SCHEME_CHANGED = "security-scheme-changed", Breaking, "security scheme type or parameters changed",
        "existing credentials are sent the wrong way";
    WEBHOOK_ADDED = "webhook-added", Compatible, "webhook added", "handlers only see it once subscribed";
    WEBHOOK_REMOVED = "webhook-removed", MayBreak, "webhook removed",
        "handlers waiting for it receive nothing";
    SCHEMA_ADDED = "schema-added", Compatible, "component schema added", "nothing existing uses it";
    SCHEMA_REMOVED = "schema-removed", MayBreak, "component schema removed",
        "code generated from the schema loses a type; the wire change shows where it was used";
    REQ_PROPERTY_ADDED_REQUIRED = "req-property-added-required", Breaking, "required property added to a sent schema",
        "existing requests lack it";
    REQ_PROPERTY_ADDED_OPTIONAL = "req-property-added-optional", Compatible, "optional property added to a sent schema",
        "existing requests may omit it";
    REQ_PROPERTY_REMOVED = "req-property-removed", MayBreak, "property removed from a sent schema",
        "the server ignores or rejects it";
    REQ_PROPERTY_BECAME_REQUIRED = "req-property-became-required", Breaking, "sent property became required",
        "requests that omit it fail";
    REQ_PROPERTY_BECAME_OPTIONAL = "req-property-became-optional", Compatible, "sent property became optional",
        "requests that send it still work";
    RESP_PROPERTY_ADDED = "resp-property-added", Compatible, "property added to a received schema",
        "clients ignore what they do not know (polar-sdk keeps it in `unknown_fields`)";
    RESP_PROPERTY_REMOVED = "resp-property-removed", Breaking, "property removed from a received schema",
        "clients reading it find nothing";
    RESP_PROPERTY_BECAME_OPTIONAL = "resp-property-became-optional", Breaking, "received property became optional",
        "clients that rely on it find it missing";
    RESP_PROPERTY_BECAME_REQUIRED = "resp-property-became-required", Compatible, "received property became required",
        "it is always there now";
    REQ_TYPE_CHANGED = "req-type-changed", Breaking, "type of a sent value changed",
        "the server rejects values of the old type";
    REQ_TYPE_WIDENED = "req-type-widened", Compatible, "type of a sent value widened (e.g. integer to number)",
        "old values are still valid";
    RESP_TYPE_CHANGED = "resp-type-changed", Breaking, "type of a received value changed",
        "clients decode it as the old type and fail";
    REQ_FORMAT_CHANGED = "req-format-changed", MayBreak, "format of a sent string or number changed",
        "values valid before may be rejected";
    RESP_FORMAT_CHANGED = "resp-format-changed", MayBreak, "format of a received string or number changed",
        "clients parsing the old format may fail";
    REQ_NULLABLE_ADDED = "req-nullable-added", Compatible, "sent value may now be null",
        "old values are still valid";
    REQ_NULLABLE_REMOVED = "req-nullable-removed", Breaking, "sent value may no longer be null",
        "requests sending null fail";
    RESP_NULLABLE_ADDED = "resp-nullable-added", Breaking, "received value may now be null",
        "clients expecting a value get null";
    RESP_NULLABLE_REMOVED = "resp-nullable-removed", Compatible, "received value is never null now",
        "clients handling null still work";
    REQ_DEFAULT_CHANGED = "req-default-changed", MayBreak, "default of a sent value changed",
        "requests that omit it behave differently";
    RESP_DEFAULT_CHANGED = "resp-default-changed", Compatible, "default of a received value changed",
        "documentation only for a client";
    REQ_ENUM_VALUE_ADDED = "req-enum-value-added", Compatible, "value added to a sent enum",
        "old values are still accepted";
    REQ_ENUM_VALUE_REMOVED = "req-enum-value-removed", Breaking, "value removed from a sent enum",
        "requests with it are rejected";
    RESP_ENUM_VALUE_ADDED = "resp-enum-value-added", MayBreak, "value added to a received enum",
        "polar-sdk decodes it as `Unknown(..)`; code matching raw strings exhaustively breaks";
    RESP_ENUM_VALUE_REMOVED = "resp-enum-value-removed", Compatible, "value removed from a received enum",
        "it simply no longer comes";
    REQ_VARIANT_ADDED = "req-variant-added", Compatible, "variant added to a sent union",
        "old shapes are still accepted";
    REQ_VARIANT_REMOVED = "req-variant-removed", Breaking, "variant removed from a sent union",
        "requests of that shape are rejected";
    RESP_VARIANT_ADDED = "resp-variant-added", MayBreak, "variant added to a received union",
        "polar-sdk decodes it as `Unknown(..)`; exhaustive handling elsewhere breaks";
    RESP_VARIANT_REMOVED = "resp-variant-removed", Compatible, "variant removed from a received union",
        "it simply no longer comes";
    REQ_TAG_ADDED = "req-tag-added", Compatible, "discriminator tag added to a sent union",
        "old tags are still accepted";
    REQ_TAG_REMOVED = "req-tag-removed", Breaking, "discriminator tag removed from a sent union",
        "requests with it are rejected";
    RESP_TAG_ADDED = "resp-tag-added", MayBreak, "discriminator tag added to a received union",
        "polar-sdk decodes it as `Unknown(..)`; exhaustive handling elsewhere breaks";
    RESP_TAG_REMOVED = "resp-tag-removed", Compatible, "discriminator tag removed from a received union",
        "it simply no longer comes";
    DISCRIMINATOR_CHANGED = "discriminator-changed", Breaking, "discriminator property changed, or a tag selects another schema",
        "values are told apart differently";
    REQ_CONSTRAINT_TIGHTENED = "req-constraint-tightened", MayBreak, "validation of a sent value tightened (min/max, length, pattern, enum)",
        "values valid before may be rejected";
    REQ_CONSTRAINT_LOOSENED = "req-constraint-loosened", Compatible, "validation of a sent value loosened",
        "old values are still valid";
    RESP_CONSTRAINT_TIGHTENED = "resp-constraint-tightened", Compatible, "validation of a received value tightened",
        "what comes is a subset of what came";
    RESP_CONSTRAINT_LOOSENED = "resp-constraint-loosened", MayBreak, "validation of a received value loosened",
        "clients relying on the old bounds may mishandle new values";
    RUST_API_VERSION = "rust-api-version", Compatible, "the API version polar-sdk declares changed",
        "no item changes; requests carry the new `Polar-Version`";
    RUST_OPERATION_ADDED = "rust-operation-added", Compatible, "operation method and builder added",
        "new items only";
    RUST_OPERATION_REMOVED = "rust-operation-removed", Breaking, "operation method or builder removed",
        "calls to it stop compiling";
    RUST_SIGNATURE_CHANGED = "rust-signature-changed", Breaking, "arguments of an operation method changed (required parameters)",
        "calls to it stop compiling";
    RUST_SETTER_ADDED = "rust-setter-added", Compatible, "builder setter added (optional parameter)",
        "new method only";
    RUST_SETTER_REMOVED = "rust-setter-removed", Breaking, "builder setter removed, or its type changed",
        "calls to it stop compiling";
    RUST_RESPONSE_CHANGED = "rust-response-changed", Breaking, "type an operation returns or takes as body changed",
        "code using the result stops compiling";
    RUST_DEPRECATED = "rust-deprecated", Compatible, "operation method marked (or no longer marked) `#[deprecated]`",
        "a warning, not an error";
    RUST_TYPE_ADDED = "rust-type-added", Compatible, "public type added", "new item only";
    RUST_TYPE_REMOVED = "rust-type-removed", Breaking, "public type removed", "code naming it stops compiling";
    RUST_TYPE_KIND_CHANGED = "rust-type-kind-changed", Breaking, "type became another kind (struct, enum, union, alias) or its alias target changed",
        "code using it stops compiling";
    RUST_FIELD_ADDED = "rust-field-added", Breaking, "public struct field added",
        "structs the API only returns are not `#[non_exhaustive]`: struct literals stop compiling";
    RUST_INPUT_FIELD_ADDED = "rust-input-field-added", Compatible, "optional field added to a struct users send",
        "such structs are `#[non_exhaustive]` and built with `new`: a new setter only";
    RUST_CONSTRUCTOR_CHANGED = "rust-constructor-changed", Breaking, "required field added to a struct users send",
        "its `new` takes one more argument: calls to it stop compiling";
    RUST_FIELD_REMOVED = "rust-field-removed", Breaking, "public struct field removed", "code reading it stops compiling";
    RUST_FIELD_TYPE_CHANGED = "rust-field-type-changed", Breaking, "type of a struct field changed (incl. `Option` wrappers)",
        "code reading or building it stops compiling";
    RUST_VARIANT_ADDED = "rust-variant-added", Compatible, "enum or union variant added",
        "generated enums and unions are `#[non_exhaustive]`";
    RUST_VARIANT_REMOVED = "rust-variant-removed", Breaking, "enum or union variant removed, or its payload type changed",
        "code naming it stops compiling";
}

/// The rule that decides `fact`, seen in `direction` (`None` where direction does not apply).
pub fn rule_for(fact: Fact, direction: Option<Direction>) -> &'static Rule {
    let request = direction != Some(Direction::Response);
    match fact {
        Fact::InfoVersion => &INFO_VERSION,
        Fact::OperationAdded => &OP_ADDED,
        Fact::OperationRemoved => &OP_REMOVED,
        Fact::OperationDeprecated => &OP_DEPRECATED,
        Fact::OperationIdChanged => &OP_ID_CHANGED,
        Fact::ParameterAddedRequired => &PARAM_ADDED_REQUIRED,
        Fact::ParameterAddedOptional => &PARAM_ADDED_OPTIONAL,
        Fact::ParameterRemoved => &PARAM_REMOVED,
        Fact::ParameterBecameRequired => &PARAM_BECAME_REQUIRED,
        Fact::ParameterBecameOptional => &PARAM_BECAME_OPTIONAL,
        Fact::ParameterMoved => &PARAM_MOVED,
        Fact::ParameterStyleChanged => &PARAM_STYLE_CHANGED,
        Fact::BodyAddedRequired => &BODY_ADDED_REQUIRED,
        Fact::BodyAddedOptional => &BODY_ADDED_OPTIONAL,
        Fact::BodyRemoved => &BODY_REMOVED,
        Fact::BodyBecameRequired => &BODY_BECAME_REQUIRED,
        Fact::BodyBecameOptional => &BODY_BECAME_OPTIONAL,
        Fact::MediaTypeAdded if request => &REQ_MEDIA_ADDED,
        Fact::MediaTypeAdded => &RESP_MEDIA_ADDED,
        Fact::MediaTypeRemoved if request => &REQ_MEDIA_REMOVED,
        Fact::MediaTypeRemoved => &RESP_MEDIA_REMOVED,
        Fact::SuccessResponseAdded => &RESP_SUCCESS_ADDED,
        Fact::SuccessResponseRemoved => &RESP_SUCCESS_REMOVED,
        Fact::ErrorResponseAdded => &RESP_ERROR_ADDED,
        Fact::ErrorResponseRemoved => &RESP_ERROR_REMOVED,
        Fact::SecurityAlternativeAdded => &SECURITY_ADDED,
        Fact::SecurityAlternativeRemoved => &SECURITY_REMOVED,
        Fact::ScopesAdded => &SCOPES_ADDED,
        Fact::ScopesRemoved => &SCOPES_REMOVED,
        Fact::SecuritySchemeAdded => &SCHEME_ADDED,
        Fact::SecuritySchemeRemoved => &SCHEME_REMOVED,
        Fact::SecuritySchemeChanged => &SCHEME_CHANGED,
        Fact::WebhookAdded => &WEBHOOK_ADDED,
        Fact::WebhookRemoved => &WEBHOOK_REMOVED,
        Fact::SchemaAdded => &SCHEMA_ADDED,
        Fact::SchemaRemoved => &SCHEMA_REMOVED,
        Fact::PropertyAddedRequired if request => &REQ_PROPERTY_ADDED_REQUIRED,
        Fact::PropertyAddedOptional if request => &REQ_PROPERTY_ADDED_OPTIONAL,
        Fact::PropertyAddedRequired | Fact::PropertyAddedOptional => &RESP_PROPERTY_ADDED,
        Fact::PropertyRemoved if request => &REQ_PROPERTY_REMOVED,
        Fact::PropertyRemoved => &RESP_PROPERTY_REMOVED,
        Fact::PropertyBecameRequired if request => &REQ_PROPERTY_BECAME_REQUIRED,
        Fact::PropertyBecameRequired => &RESP_PROPERTY_BECAME_REQUIRED,
        Fact::PropertyBecameOptional if request => &REQ_PROPERTY_BECAME_OPTIONAL,
        Fact::PropertyBecameOptional => &RESP_PROPERTY_BECAME_OPTIONAL,
        Fact::TypeChanged if request => &REQ_TYPE_CHANGED,
        Fact::TypeWidened if request => &REQ_TYPE_WIDENED,
        Fact::TypeChanged | Fact::TypeWidened => &RESP_TYPE_CHANGED,
        Fact::FormatChanged if request => &REQ_FORMAT_CHANGED,
        Fact::FormatChanged => &RESP_FORMAT_CHANGED,
        Fact::NullableAdded if request => &REQ_NULLABLE_ADDED,
        Fact::NullableAdded => &RESP_NULLABLE_ADDED,
        Fact::NullableRemoved if request => &REQ_NULLABLE_REMOVED,
        Fact::NullableRemoved => &RESP_NULLABLE_REMOVED,
        Fact::DefaultChanged if request => &REQ_DEFAULT_CHANGED,
        Fact::DefaultChanged => &RESP_DEFAULT_CHANGED,
        Fact::EnumValueAdded if request => &REQ_ENUM_VALUE_ADDED,
        Fact::EnumValueAdded => &RESP_ENUM_VALUE_ADDED,
        Fact::EnumValueRemoved if request => &REQ_ENUM_VALUE_REMOVED,
        Fact::EnumValueRemoved => &RESP_ENUM_VALUE_REMOVED,
        Fact::VariantAdded if request => &REQ_VARIANT_ADDED,
        Fact::VariantAdded => &RESP_VARIANT_ADDED,
        Fact::VariantRemoved if request => &REQ_VARIANT_REMOVED,
        Fact::VariantRemoved => &RESP_VARIANT_REMOVED,
        Fact::TagAdded if request => &REQ_TAG_ADDED,
        Fact::TagAdded => &RESP_TAG_ADDED,
        Fact::TagRemoved if request => &REQ_TAG_REMOVED,
        Fact::TagRemoved => &RESP_TAG_REMOVED,
        Fact::DiscriminatorChanged => &DISCRIMINATOR_CHANGED,
        Fact::ConstraintTightened if request => &REQ_CONSTRAINT_TIGHTENED,
        Fact::ConstraintTightened => &RESP_CONSTRAINT_TIGHTENED,
        Fact::ConstraintLoosened if request => &REQ_CONSTRAINT_LOOSENED,
        Fact::ConstraintLoosened => &RESP_CONSTRAINT_LOOSENED,
    }
}

/// Looks a rule up by id.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let count = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }

    #[test]
    fn direction_decides_new_enum_values() {
        assert_eq!(
            rule_for(Fact::EnumValueAdded, Some(Direction::Request)).class,
            Class::Compatible
        );
        assert_eq!(
            rule_for(Fact::EnumValueAdded, Some(Direction::Response)).class,
            Class::MayBreak
        );
    }
}
