//! Stage 1: read the document (JSON or YAML) into a `serde_json::Value`.
//!
//! YAML is converted node by node rather than through serde, because YAML allows
//! non-string mapping keys (`200:` for a status code) that JSON objects cannot hold.

use std::path::{Path, PathBuf};

use serde_json::{Map, Number, Value};

use crate::error::Error;

/// A loaded document and the file it came from (kept for error messages).
#[derive(Debug, Clone)]
pub struct Document {
    /// Where the document was read from.
    pub path: PathBuf,
    /// The document as JSON.
    pub root: Value,
}

/// Reads and parses a spec file. `.yaml`/`.yml` files are YAML; everything else JSON.
pub fn load_file(path: &Path) -> Result<Document, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    load_str(path, &text)
}

/// Parses document text; `path` decides the format and names the document in errors.
pub fn load_str(path: &Path, text: &str) -> Result<Document, Error> {
    let is_yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    let root = if is_yaml {
        parse_yaml(path, text)?
    } else {
        serde_json::from_str(text).map_err(|e| Error::Syntax {
            path: path.to_owned(),
            format: "JSON",
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?
    };
    if !root.is_object() {
        return Err(Error::Spec {
            path: path.to_owned(),
            pointer: String::new(),
            message: "the document must be an object".into(),
        });
    }
    Ok(Document {
        path: path.to_owned(),
        root,
    })
}

/// serde_json appends " at line L column C"; we print the position ourselves.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

fn parse_yaml(path: &Path, text: &str) -> Result<Value, Error> {
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        Error::Syntax {
            path: path.to_owned(),
            format: "YAML",
            line,
            column,
            message: strip_position(&e.to_string()),
        }
    })?;
    yaml_to_json(yaml, &mut Vec::new()).map_err(|(pointer, message)| Error::Spec {
        path: path.to_owned(),
        pointer,
        message,
    })
}

fn yaml_to_json(
    value: serde_yaml_ng::Value,
    at: &mut Vec<String>,
) -> Result<Value, (String, String)> {
    use serde_yaml_ng::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                Value::Number(Number::from_f64(f).ok_or_else(|| {
                    (
                        crate::error::pointer(at.iter()),
                        format!("the number {f} has no JSON representation"),
                    )
                })?)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                at.push(index.to_string());
                out.push(yaml_to_json(item, at)?);
                at.pop();
            }
            Value::Array(out)
        }
        Y::Mapping(mapping) => {
            let mut out = Map::new();
            for (key, item) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err((
                            crate::error::pointer(at.iter()),
                            format!("mapping key {other:?} is not a string, number or boolean"),
                        ))
                    }
                };
                at.push(key.clone());
                let converted = yaml_to_json(item, at)?;
                at.pop();
                out.insert(key, converted);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            return Err((
                crate::error::pointer(at.iter()),
                format!(
                    "YAML tag {} is not supported in an OpenAPI document",
                    tagged.tag
                ),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let doc = load_str(
            Path::new("a.yaml"),
            "openapi: 3.1.0\nresponses:\n  200:\n    description: ok\n",
        )
        .unwrap();
        assert_eq!(doc.root["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn yaml_and_json_agree() {
        let json = load_str(Path::new("a.json"), r#"{"a": [1, 2.5, "x", null, true]}"#).unwrap();
        let yaml = load_str(Path::new("a.yml"), "a: [1, 2.5, x, null, true]\n").unwrap();
        assert_eq!(json.root, yaml.root);
    }

    #[test]
    fn malformed_json_names_file_line_and_column() {
        let error = load_str(Path::new("spec.json"), "{\n  \"a\": [1,\n}").unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("spec.json:3:1: not valid JSON"), "{text}");
    }

    #[test]
    fn malformed_yaml_names_file_and_line() {
        let error = load_str(Path::new("spec.yaml"), "a: [1, 2\nb: c\n").unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("spec.yaml:"), "{text}");
        assert!(text.contains("not valid YAML"), "{text}");
    }

    #[test]
    fn non_object_document_is_rejected() {
        let error = load_str(Path::new("spec.json"), "[1]").unwrap_err();
        assert!(error.to_string().contains("must be an object"));
    }

    #[test]
    fn missing_file_is_a_read_error() {
        let error = load_file(Path::new("/nonexistent/spec.json")).unwrap_err();
        assert!(matches!(error, Error::Read { .. }));
        assert!(error
            .to_string()
            .starts_with("/nonexistent/spec.json: cannot read"));
    }
}
