//! Structure-only copies of an upstream document.
//!
//! Polar's document mixes two kinds of content: facts about the API (paths, parameters,
//! schemas, types, enum values, constraints, security) and Polar's own writing (descriptions,
//! summaries, titles, examples, code samples). The project may hold the facts but writes its
//! own words, so [`structure_only`] keeps the first and drops the second; the words are merged
//! back from our overlay (see [`overlay`](crate::overlay)) at generation time.
//!
//! Dropping a key is only right where the key is an OpenAPI or JSON Schema keyword: under
//! `properties` a schema may have a *property* named `description`, which is structure. The
//! walk therefore knows, for every object, whether its keys are keywords or names.

use serde_json::{Map, Value};

/// Keywords whose values are prose or authored samples, dropped wherever they are keywords.
pub const PROSE_KEYWORDS: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
    "x-codeSamples",
    "contact",
    "termsOfService",
    // Display names for enum values (a non-standard keyword FastAPI emits): prose.
    "enumNames",
];

/// The `info.title` an imported document carries: OpenAPI requires one, and it is a name,
/// not prose.
pub const IMPORTED_TITLE: &str = "Polar API";

/// Keywords whose value is an object keyed by names (paths, status codes, property names,
/// media types...), each value again an object of keywords.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "paths",
    "webhooks",
    "responses",
    "content",
    "headers",
    "encoding",
    "links",
    "variables",
];

/// The extensions kept: the ones that carry structure (pagination, grouping and naming,
/// allowed subjects, server ids). Any other `x-` key is dropped, because extensions are where
/// documentation tools keep their prose (`x-codeSamples`, Mintlify's `x-mint` callouts) and a
/// new one must not slip Polar's words in unnoticed.
pub const KEPT_EXTENSIONS: &[&str] = &[
    "x-speakeasy-group",
    "x-speakeasy-name-override",
    "x-speakeasy-pagination",
    "x-speakeasy-enums",
    "x-speakeasy-server-id",
    "x-polar-allowed-subjects",
    "x-polar-pagination",
    "x-polar-environment",
];

/// Keywords whose values are data, kept verbatim (never walked: a default may well be an
/// object with a `description` key).
const DATA_KEYWORDS: &[&str] = &["enum", "const", "default", "required", "mapping"];

/// The document without prose: see the [module docs](self).
///
/// Also sorts the keys of the top-level name maps (`paths`, `webhooks`, every `components`
/// map) so that a reordering upstream gives no diff; every other order (properties, enum
/// values, `oneOf` branches) is the document's and is kept, because it is meaningful.
pub fn structure_only(document: &Value) -> Value {
    let Value::Object(root) = document else {
        return document.clone();
    };
    let mut out = Map::new();
    for (key, value) in root {
        match key.as_str() {
            "info" => {
                let mut info = Map::new();
                info.insert("title".into(), Value::String(IMPORTED_TITLE.into()));
                if let Some(version) = value.get("version") {
                    info.insert("version".into(), version.clone());
                }
                out.insert(key.clone(), Value::Object(info));
            }
            "tags" => {
                // Only the names: a tag's description is prose.
                let names = value
                    .as_array()
                    .map(|tags| {
                        tags.iter()
                            .filter_map(|tag| tag.get("name").cloned())
                            .map(|name| Value::Object(Map::from_iter([("name".into(), name)])))
                            .collect()
                    })
                    .unwrap_or_default();
                out.insert(key.clone(), Value::Array(names));
            }
            "paths" | "webhooks" => {
                out.insert(key.clone(), sorted(name_map(value)));
            }
            "components" => {
                let components = match value {
                    Value::Object(kinds) => Value::Object(
                        kinds
                            .iter()
                            .filter(|(kind, _)| kind.as_str() != "examples")
                            .map(|(kind, map)| (kind.clone(), sorted(name_map(map))))
                            .collect(),
                    ),
                    other => other.clone(),
                };
                out.insert(key.clone(), components);
            }
            k if PROSE_KEYWORDS.contains(&k)
                || (k.starts_with("x-") && !KEPT_EXTENSIONS.contains(&k)) => {}
            _ => {
                out.insert(key.clone(), keywords(value));
            }
        }
    }
    Value::Object(out)
}

/// Whether a `default` is display data rather than structure: a non-empty object (e.g. the
/// server's default display name for every scope) or a sentence (a default error message).
/// Other scalars, lists and `{}` are kept: those are the defaults a client needs (a page
/// size, a sort order, a space-separated scope list, an empty metadata map).
fn is_display_data(default: &Value) -> bool {
    match default {
        Value::Object(map) => !map.is_empty(),
        Value::String(text) => {
            text.split_whitespace().count() >= 3
                && text.starts_with(|c: char| c.is_ascii_uppercase())
        }
        _ => false,
    }
}

/// An object whose keys are keywords (a schema, an operation, a parameter...).
fn keywords(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let key_str = key.as_str();
                if PROSE_KEYWORDS.contains(&key_str)
                    || (key_str.starts_with("x-") && !KEPT_EXTENSIONS.contains(&key_str))
                {
                    continue;
                }
                let kept = if key_str == "default" && is_display_data(value) {
                    continue;
                } else if DATA_KEYWORDS.contains(&key_str) || key_str.starts_with("x-") {
                    value.clone()
                } else if key_str == "scopes" {
                    // OAuth scopes map a scope name to its prose: keep the names only.
                    match value {
                        Value::Object(scopes) => Value::Object(
                            scopes
                                .keys()
                                .map(|scope| (scope.clone(), Value::String(String::new())))
                                .collect(),
                        ),
                        other => other.clone(),
                    }
                } else if key_str == "callbacks" {
                    // name → (expression → path item)
                    match value {
                        Value::Object(callbacks) => Value::Object(
                            callbacks
                                .iter()
                                .map(|(name, paths)| (name.clone(), name_map(paths)))
                                .collect(),
                        ),
                        other => other.clone(),
                    }
                } else if key_str == "responses" {
                    responses(value)
                } else if NAME_MAPS.contains(&key_str) && value.is_object() {
                    name_map(value)
                } else {
                    keywords(value)
                };
                out.insert(key.clone(), kept);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(keywords).collect()),
        other => other.clone(),
    }
}

/// An operation's responses. OpenAPI requires a `description` on each, so the prose is
/// replaced by an empty one (the overlay gives ours).
fn responses(value: &Value) -> Value {
    let mut map = name_map(value);
    if let Value::Object(responses) = &mut map {
        for response in responses.values_mut() {
            if let Value::Object(response) = response {
                if !response.contains_key("$ref") {
                    response.insert("description".into(), Value::String(String::new()));
                }
            }
        }
    }
    map
}

/// An object keyed by names; each value is an object of keywords.
fn name_map(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(name, value)| (name.clone(), keywords(value)))
                .collect(),
        ),
        other => keywords(other),
    }
}

fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().collect())
        }
        other => other,
    }
}

/// The text an imported document is written as: pretty JSON (two-space indent) with a final
/// newline, so reruns are byte-identical and upstream changes give line-based diffs.
pub fn to_text(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prose_keywords_go_and_names_stay() {
        let upstream = json!({
            "openapi": "3.1.0",
            "info": {"title": "Polar API", "summary": "s", "description": "d", "version": "2026-10"},
            "tags": [{"name": "customers", "description": "prose"}],
            "servers": [{"url": "https://api.polar.sh", "description": "Production"}],
            "paths": {
                "/v1/b": {"get": {"operationId": "b:get", "summary": "S", "description": "D",
                    "x-codeSamples": [{"lang": "ts", "source": "x"}],
                    "x-mint": {"content": "<Note>Prose of theirs.</Note>"},
                    "x-speakeasy-group": "b",
                    "parameters": [{"name": "q", "in": "query", "description": "D",
                        "schema": {"type": "string", "title": "Q", "examples": ["e"]}}],
                    "responses": {"200": {"description": "OK", "content": {"application/json":
                        {"schema": {"$ref": "#/components/schemas/Thing"}, "example": {"a": 1}}}}}}},
                "/v1/a": {"get": {"operationId": "a:get", "responses": {}}}
            },
            "components": {
                "schemas": {
                    "Thing": {"type": "object", "title": "Thing", "description": "prose",
                        "required": ["description", "title"],
                        "properties": {
                            "description": {"type": "string", "description": "prose", "default": ["description"]},
                            "names": {"type": "object", "default": {"a": "Display name of a"}},
                            "title": {"type": "string", "enum": ["title", "description"]},
                            "examples": {"type": "array", "items": {"type": "string", "example": "x"}}
                        }}
                },
                "securitySchemes": {"oidc": {"type": "openIdConnect", "description": "prose",
                    "flows": {"x": {"scopes": {"read": "Read things"}}}}},
                "examples": {"E": {"value": 1}}
            }
        });
        let imported = structure_only(&upstream);
        assert_eq!(
            imported,
            json!({
                "openapi": "3.1.0",
                "info": {"title": IMPORTED_TITLE, "version": "2026-10"},
                "tags": [{"name": "customers"}],
                "servers": [{"url": "https://api.polar.sh"}],
                "paths": {
                    "/v1/a": {"get": {"operationId": "a:get", "responses": {}}},
                    "/v1/b": {"get": {"operationId": "b:get", "x-speakeasy-group": "b",
                        "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                        "responses": {"200": {"description": "", "content": {"application/json":
                            {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}
                },
                "components": {
                    "schemas": {
                        "Thing": {"type": "object", "required": ["description", "title"],
                            "properties": {
                                "description": {"type": "string", "default": ["description"]},
                                "names": {"type": "object"},
                                "title": {"type": "string", "enum": ["title", "description"]},
                                "examples": {"type": "array", "items": {"type": "string"}}
                            }}
                    },
                    "securitySchemes": {"oidc": {"type": "openIdConnect",
                        "flows": {"x": {"scopes": {"read": ""}}}}}
                }
            })
        );
        // Paths came out sorted; properties kept their document order.
        let text = to_text(&imported);
        assert!(text.find("/v1/a").unwrap() < text.find("/v1/b").unwrap());
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn importing_twice_changes_nothing() {
        let upstream = json!({"openapi": "3.1.0", "info": {"title": "x", "version": "1"},
            "paths": {"/z": {}, "/a": {"get": {"description": "d", "responses": {}}}}});
        let once = structure_only(&upstream);
        assert_eq!(structure_only(&once), once);
        assert_eq!(to_text(&once), to_text(&structure_only(&once)));
    }
}
