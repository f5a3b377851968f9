//! Stage 2: rewrite OpenAPI 3.1 constructs into the 3.0 shape the `openapiv3` crate models,
//! losing nothing the generator needs.
//!
//! | 3.1 construct                          | becomes                                                  |
//! |----------------------------------------|----------------------------------------------------------|
//! | `{"type": "null"}` branch in anyOf/oneOf | kept as `x-null` (skipped by the IR); the schema gets `nullable: true` |
//! | `type: [T, "null"]`                    | `type: T, nullable: true`                                |
//! | `const: v`                             | `enum: [v]` (one-value enum) plus `x-const: true`        |
//! | numeric `exclusiveMinimum/Maximum: n`  | `minimum/maximum: n` + `exclusiveMinimum/Maximum: true`  |
//! | integral floats in integer bounds      | integers (`2147483647.0` → `2147483647`)                 |
//! | `prefixItems: [..]`                    | `x-prefix-items: [..]` (tuple items, normalized too)      |
//! | `$ref` with sibling keywords           | `allOf: [{$ref}]` plus the siblings (3.0 idiom), `x-ref-siblings: true` |
//! | `examples: [..]`                       | `example: first` + `x-examples: [..]`                    |
//! | lone `{"type": "null"}`                | `nullable: true` + `x-null: true`                        |
//! | top-level `webhooks`                   | `x-webhooks` (kept verbatim; not generated yet)          |
//! | `propertyNames: {..}` (a map's key rule) | `x-property-names: {..}` (shown in the docs; not enforced) |
//!
//! Keywords neither model can hold (`if`/`then`/`else`, `patternProperties`, …) are dropped
//! with a [`Diagnostic`] naming their JSON pointer.

use serde_json::{Map, Value};

use crate::error::{escape_pointer_token, Diagnostic, Error};
use crate::load::Document;

/// The normalized document: the `openapiv3` model plus what normalization reported.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The document, parsed into the 3.0 model.
    pub openapi: openapiv3::OpenAPI,
    /// The normalized JSON the model was parsed from (useful for snapshots and debugging).
    pub json: Value,
    /// Keywords that were dropped.
    pub diagnostics: Vec<Diagnostic>,
}

/// Keywords of JSON Schema 2020-12 that the 3.0 model cannot express.
const DROPPED_KEYWORDS: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "patternProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "$dynamicRef",
    "$anchor",
];

/// Normalizes a loaded document and parses it into the `openapiv3` model.
pub fn normalize(document: &Document) -> Result<Normalized, Error> {
    let mut root = document.root.clone();
    let mut diagnostics = Vec::new();
    let mut walker = Walker {
        diagnostics: &mut diagnostics,
    };
    walker.document(&mut root);
    let openapi = parse_model(document, &root)?;
    diagnostics.sort();
    Ok(Normalized {
        openapi,
        json: root,
        diagnostics,
    })
}

fn parse_model(document: &Document, root: &Value) -> Result<openapiv3::OpenAPI, Error> {
    serde_path_to_error::deserialize(root).map_err(|error| {
        // openapiv3 buffers maps with extensions and untagged enums, which hides where in a
        // path item or schema the error is; re-parse the parts one by one to find it.
        let (pointer, message) = locate_error(root)
            .unwrap_or_else(|| (pointer_of(error.path()), error.inner().to_string()));
        Error::Spec {
            path: document.path.clone(),
            pointer,
            message: format!("not a valid OpenAPI document: {message}"),
        }
    })
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .map(|token| format!("/{}", escape_pointer_token(&token)))
        .collect()
}

/// The first operation or component schema that does not parse on its own, with the
/// pointer inside it.
fn locate_error(root: &Value) -> Option<(String, String)> {
    fn try_part<T: serde::de::DeserializeOwned>(
        value: &Value,
        at: String,
    ) -> Option<(String, String)> {
        serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .map(|e| {
                (
                    format!("{at}{}", pointer_of(e.path())),
                    e.inner().to_string(),
                )
            })
    }
    if let Some(Value::Object(paths)) = root.get("paths") {
        for (path, item) in paths {
            let at = format!("/paths/{}", escape_pointer_token(path));
            if let Value::Object(methods) = item {
                for (method, operation) in methods {
                    if [
                        "get", "put", "post", "delete", "options", "head", "patch", "trace",
                    ]
                    .contains(&method.as_str())
                    {
                        if let Some(found) =
                            try_part::<openapiv3::Operation>(operation, format!("{at}/{method}"))
                        {
                            return Some(found);
                        }
                    }
                }
            }
            if let Some(found) = try_part::<openapiv3::PathItem>(item, at) {
                return Some(found);
            }
        }
    }
    if let Some(Value::Object(schemas)) = root.pointer("/components/schemas") {
        for (name, schema) in schemas {
            let at = format!("/components/schemas/{}", escape_pointer_token(name));
            if let Some(found) = try_part::<openapiv3::Schema>(schema, at) {
                return Some(found);
            }
        }
    }
    None
}

struct Walker<'a> {
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Walker<'_> {
    fn document(&mut self, root: &mut Value) {
        let Some(object) = root.as_object_mut() else {
            return;
        };
        if let Some(webhooks) = object.remove("webhooks") {
            object.insert("x-webhooks".into(), webhooks);
        }
        object
            .entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(Value::Object(paths)) = object.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                let at = format!("/paths/{}", escape_pointer_token(path));
                self.path_item(item, &at);
            }
        }
        if let Some(Value::Object(components)) = object.get_mut("components") {
            for (kind, entries) in components.iter_mut() {
                let Value::Object(entries) = entries else {
                    continue;
                };
                for (name, entry) in entries.iter_mut() {
                    let at = format!("/components/{kind}/{}", escape_pointer_token(name));
                    match kind.as_str() {
                        "schemas" => self.schema(entry, &at),
                        "parameters" | "headers" => self.parameter(entry, &at),
                        "responses" | "requestBodies" => self.with_content(entry, &at),
                        _ => {}
                    }
                }
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &str) {
        let Some(item) = item.as_object_mut() else {
            return;
        };
        for (key, value) in item.iter_mut() {
            let at = format!("{at}/{key}");
            match key.as_str() {
                "parameters" => self.parameters(value, &at),
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                    self.operation(value, &at)
                }
                _ => {}
            }
        }
    }

    fn operation(&mut self, operation: &mut Value, at: &str) {
        let Some(operation) = operation.as_object_mut() else {
            return;
        };
        if let Some(parameters) = operation.get_mut("parameters") {
            self.parameters(parameters, &format!("{at}/parameters"));
        }
        if let Some(body) = operation.get_mut("requestBody") {
            self.with_content(body, &format!("{at}/requestBody"));
        }
        if let Some(Value::Object(responses)) = operation.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                self.with_content(response, &format!("{at}/responses/{status}"));
            }
        }
    }

    fn parameters(&mut self, parameters: &mut Value, at: &str) {
        if let Value::Array(parameters) = parameters {
            for (index, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(parameter, &format!("{at}/{index}"));
            }
        }
    }

    fn parameter(&mut self, parameter: &mut Value, at: &str) {
        if let Some(schema) = parameter.get_mut("schema") {
            self.schema(schema, &format!("{at}/schema"));
        }
        self.with_content(parameter, at);
    }

    /// Responses, request bodies and parameters may carry `content` maps and `headers`.
    fn with_content(&mut self, node: &mut Value, at: &str) {
        if let Some(Value::Object(content)) = node.get_mut("content") {
            for (media_type, media) in content.iter_mut() {
                if let Some(schema) = media.get_mut("schema") {
                    let at = format!("{at}/content/{}/schema", escape_pointer_token(media_type));
                    self.schema(schema, &at);
                }
            }
        }
        if let Some(Value::Object(headers)) = node.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                let at = format!("{at}/headers/{}", escape_pointer_token(name));
                self.parameter(header, &at);
            }
        }
    }

    fn schema(&mut self, schema: &mut Value, at: &str) {
        let Value::Object(object) = schema else {
            // `true`/`false` schemas: `true` accepts anything, which the 3.0 model spells `{}`.
            if schema == &Value::Bool(true) {
                *schema = Value::Object(Map::new());
            }
            return;
        };

        for keyword in DROPPED_KEYWORDS {
            if object.remove(*keyword).is_some() {
                self.diagnostics.push(Diagnostic {
                    pointer: format!("{at}/{}", escape_pointer_token(keyword)),
                    message: format!("JSON Schema keyword `{keyword}` is not supported; ignored"),
                });
            }
        }

        // Subschemas first, so the rewrites below see normalized children.
        for keyword in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            if let Some(Value::Array(items)) = object.get_mut(keyword) {
                for (index, item) in items.iter_mut().enumerate() {
                    self.schema(item, &format!("{at}/{keyword}/{index}"));
                }
            }
        }
        for keyword in ["items", "not", "additionalProperties"] {
            if let Some(child) = object.get_mut(keyword) {
                if child.is_object() {
                    self.schema(child, &format!("{at}/{keyword}"));
                }
            }
        }
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            for (name, property) in properties.iter_mut() {
                self.schema(
                    property,
                    &format!("{at}/properties/{}", escape_pointer_token(name)),
                );
            }
        }

        rewrite_ref_siblings(object);
        rewrite_type_array(object);
        rewrite_lone_null(object);
        rewrite_null_branches(object);
        rewrite_const(object);
        rewrite_null_in_enum(object);
        rewrite_exclusive_bound(object, "exclusiveMinimum", "minimum");
        rewrite_exclusive_bound(object, "exclusiveMaximum", "maximum");
        self.rewrite_integer_bounds(object, at);
        rewrite_examples(object);
        // A rule for a map's keys validates, it does not shape the type: keep it for the docs.
        if let Some(rule) = object.remove("propertyNames") {
            object.insert("x-property-names".into(), rule);
        }
        if let Some(prefix) = object.remove("prefixItems") {
            object.insert("x-prefix-items".into(), prefix);
            object
                .entry("type")
                .or_insert_with(|| Value::String("array".into()));
        }
    }

    /// The 3.0 model holds integer bounds as `i64`; pydantic writes them as floats.
    fn rewrite_integer_bounds(&mut self, object: &mut Map<String, Value>, at: &str) {
        if object.get("type").and_then(Value::as_str) != Some("integer") {
            return;
        }
        for keyword in ["minimum", "maximum", "multipleOf"] {
            let Some(Value::Number(number)) = object.get(keyword) else {
                continue;
            };
            if number.is_i64() || number.is_u64() {
                continue;
            }
            let float = number.as_f64().unwrap_or(f64::NAN);
            if float.fract() == 0.0 && float >= i64::MIN as f64 && float <= i64::MAX as f64 {
                object.insert(keyword.into(), Value::from(float as i64));
            } else {
                object.remove(keyword);
                self.diagnostics.push(Diagnostic {
                    pointer: format!("{at}/{keyword}"),
                    message: format!("non-integral bound {float} on an integer; ignored"),
                });
            }
        }
    }
}

fn is_null_schema(value: &Value) -> bool {
    value.get("type").and_then(Value::as_str) == Some("null")
        || value.get("x-null") == Some(&Value::Bool(true))
}

fn set_nullable(object: &mut Map<String, Value>) {
    object.insert("nullable".into(), Value::Bool(true));
}

/// `{"$ref": X, "description": …}` → `{"allOf": [{"$ref": X}], "description": …}`.
fn rewrite_ref_siblings(object: &mut Map<String, Value>) {
    if object.len() > 1 {
        if let Some(reference) = object.remove("$ref") {
            let mut only_ref = Map::new();
            only_ref.insert("$ref".into(), reference);
            object.insert("allOf".into(), Value::Array(vec![Value::Object(only_ref)]));
            // Marks the wrapper as ours: the `$ref` stands at this node in the original.
            object.insert("x-ref-siblings".into(), Value::Bool(true));
        }
    }
}

/// `type: ["string", "null"]` → `type: "string", nullable: true`; several non-null types
/// become an `anyOf` of one schema per type.
fn rewrite_type_array(object: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = object.get("type").cloned() else {
        return;
    };
    let mut non_null: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
    let had_null = non_null.len() != object["type"].as_array().map_or(0, Vec::len);
    object.remove("type");
    match non_null.len() {
        0 => {
            object.insert("x-null".into(), Value::Bool(true));
        }
        1 => {
            object.insert("type".into(), non_null.remove(0));
        }
        _ => {
            let branches = non_null
                .into_iter()
                .map(|t| {
                    let mut branch = Map::new();
                    branch.insert("type".into(), t);
                    Value::Object(branch)
                })
                .collect();
            object.insert("anyOf".into(), Value::Array(branches));
        }
    }
    if had_null {
        set_nullable(object);
    }
}

fn rewrite_lone_null(object: &mut Map<String, Value>) {
    if object.get("type").and_then(Value::as_str) == Some("null") {
        object.remove("type");
        object.insert("x-null".into(), Value::Bool(true));
        set_nullable(object);
    }
}

fn rewrite_null_branches(object: &mut Map<String, Value>) {
    for keyword in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = object.get_mut(keyword) else {
            continue;
        };
        // The null branch stays (as `x-null`) so branch indices, and with them the JSON
        // pointers in diagnostics, still match the original document; the IR skips it.
        if branches.iter().any(is_null_schema) {
            set_nullable(object);
        }
    }
}

fn rewrite_const(object: &mut Map<String, Value>) {
    let Some(value) = object.remove("const") else {
        return;
    };
    if !object.contains_key("type") {
        let inferred = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_f64() => Some("number"),
            Value::Number(_) => Some("integer"),
            _ => None,
        };
        if let Some(inferred) = inferred {
            object.insert("type".into(), Value::String(inferred.into()));
        }
    }
    object.insert("enum".into(), Value::Array(vec![value]));
    object.insert("x-const".into(), Value::Bool(true));
}

fn rewrite_null_in_enum(object: &mut Map<String, Value>) {
    if let Some(Value::Array(values)) = object.get_mut("enum") {
        let before = values.len();
        values.retain(|v| !v.is_null());
        if values.len() != before {
            set_nullable(object);
        }
    }
}

fn rewrite_exclusive_bound(object: &mut Map<String, Value>, exclusive: &str, inclusive: &str) {
    if let Some(Value::Number(bound)) = object.get(exclusive).cloned() {
        object.insert(inclusive.into(), Value::Number(bound));
        object.insert(exclusive.into(), Value::Bool(true));
    }
}

fn rewrite_examples(object: &mut Map<String, Value>) {
    if let Some(Value::Array(examples)) = object.get("examples").cloned() {
        object.remove("examples");
        if let Some(first) = examples.first() {
            object.entry("example").or_insert_with(|| first.clone());
        }
        object.insert("x-examples".into(), Value::Array(examples));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(input: Value) -> (Value, Vec<Diagnostic>) {
        let mut value = input;
        let mut diagnostics = Vec::new();
        Walker {
            diagnostics: &mut diagnostics,
        }
        .schema(&mut value, "/s");
        (value, diagnostics)
    }

    #[test]
    fn null_branch_becomes_nullable() {
        let (out, _) = schema(json!({"anyOf": [{"type": "string"}, {"type": "null"}]}));
        assert_eq!(
            out,
            json!({"anyOf": [{"type": "string"}, {"x-null": true, "nullable": true}], "nullable": true})
        );
    }

    #[test]
    fn type_array_with_null() {
        let (out, _) = schema(json!({"type": ["integer", "null"]}));
        assert_eq!(out, json!({"type": "integer", "nullable": true}));
    }

    #[test]
    fn const_becomes_one_value_enum() {
        let (out, _) = schema(json!({"const": "team"}));
        assert_eq!(
            out,
            json!({"type": "string", "enum": ["team"], "x-const": true})
        );
    }

    #[test]
    fn numeric_exclusive_minimum() {
        let (out, _) = schema(json!({"type": "integer", "exclusiveMinimum": 0}));
        assert_eq!(
            out,
            json!({"type": "integer", "exclusiveMinimum": true, "minimum": 0})
        );
    }

    #[test]
    fn float_bounds_on_integers() {
        let (out, diagnostics) =
            schema(json!({"type": "integer", "maximum": 2147483647.0, "minimum": 0.5}));
        assert_eq!(out, json!({"type": "integer", "maximum": 2147483647}));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].pointer, "/s/minimum");
    }

    #[test]
    fn ref_with_sibling_description_is_kept() {
        let (out, _) = schema(json!({"$ref": "#/components/schemas/A", "description": "why"}));
        assert_eq!(
            out,
            json!({"description": "why", "allOf": [{"$ref": "#/components/schemas/A"}], "x-ref-siblings": true})
        );
    }

    #[test]
    fn prefix_items_and_examples() {
        let (out, _) = schema(json!({
            "type": "array",
            "prefixItems": [{"type": "string"}, {"const": "x"}],
            "examples": [["a", "x"], ["b", "x"]]
        }));
        assert_eq!(out["x-prefix-items"][1]["enum"], json!(["x"]));
        assert_eq!(out["example"], json!(["a", "x"]));
        assert_eq!(out["x-examples"].as_array().unwrap().len(), 2);
        assert!(out.get("prefixItems").is_none());
    }

    #[test]
    fn key_rules_are_kept_for_the_docs_not_reported() {
        let (out, diagnostics) = schema(json!({"type": "object",
            "additionalProperties": {"type": "string"}, "propertyNames": {"maxLength": 40}}));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(out["x-property-names"], json!({"maxLength": 40}));
        assert!(out.get("propertyNames").is_none());
    }

    #[test]
    fn unsupported_keywords_are_reported_by_pointer() {
        let (out, diagnostics) = schema(json!({"type": "object", "patternProperties": {}}));
        assert_eq!(out, json!({"type": "object"}));
        assert_eq!(diagnostics[0].pointer, "/s/patternProperties");
    }

    #[test]
    fn invalid_model_names_the_pointer() {
        let document = crate::load::load_str(
            std::path::Path::new("bad.json"),
            r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}}"#,
        )
        .unwrap();
        let error = normalize(&document).unwrap_err().to_string();
        assert!(
            error.starts_with("bad.json#/paths/~1a/get/responses"),
            "{error}"
        );
        assert!(error.contains("expected a string"), "{error}");
    }
}
