//! Our words over the imported structure: [OpenAPI Overlay 1.0] documents.
//!
//! The document in `openapi/` holds only the structure of Polar's API (see
//! [`import`](crate::import)); the descriptions the SDK's docs show are ours and live in
//! overlay files beside it (`openapi/overlay/`, one per resource). An overlay is a list of actions, each naming a node of the document
//! by a JSONPath `target` and the fields to merge into it (`update`) or that it goes away
//! (`remove: true`). [`apply`] runs them in order before generation.
//!
//! JSONPath is supported as far as overlays over OpenAPI need it: `$`, `.name`,
//! `['name']`/`["name"]` (for paths such as `'/v1/customer-meters/'`), `[index]`, and
//! `[?@.key=='value']` (an array element by one string member, e.g. a parameter by `name`).
//! A target that matches nothing is an error rather than silently dropped words: it means the
//! structure moved and the overlay needs the same change.
//!
//! [OpenAPI Overlay 1.0]: https://spec.openapis.org/overlay/v1.0.0.html

use std::path::Path;

use serde_json::Value;

use crate::error::Error;
use crate::load::Document;

/// Applies every action of `overlay` to `document`, in order.
///
/// Errors name the overlay file and the JSON pointer of the action at fault.
pub fn apply(document: &mut Document, overlay: &Document) -> Result<(), Error> {
    let fail = |pointer: String, message: String| Error::Spec {
        path: overlay.path.clone(),
        pointer,
        message,
    };
    let version = overlay.root.get("overlay").and_then(Value::as_str);
    if !version.is_some_and(|v| v.starts_with("1.")) {
        return Err(fail(
            "/overlay".into(),
            "not an Overlay 1.x document (expected `overlay: 1.0.0`)".into(),
        ));
    }
    let actions = overlay
        .root
        .get("actions")
        .and_then(Value::as_array)
        .ok_or_else(|| fail("/actions".into(), "`actions` must be a list".into()))?;
    for (index, action) in actions.iter().enumerate() {
        let at = format!("/actions/{index}");
        let target = action
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| fail(format!("{at}/target"), "`target` must be a string".into()))?;
        let path = parse_path(target).map_err(|e| fail(format!("{at}/target"), e))?;
        let remove = action.get("remove").and_then(Value::as_bool) == Some(true);
        let update = action.get("update");
        if !remove && update.is_none() {
            return Err(fail(
                at,
                "an action needs `update` or `remove: true`".into(),
            ));
        }
        let matched = apply_one(&mut document.root, &path, update, remove);
        if matched == 0 {
            return Err(fail(
                format!("{at}/target"),
                format!(
                    "`{target}` matches nothing in {}; the document's structure changed, so \
                     update or delete this action",
                    document.path.display()
                ),
            ));
        }
    }
    Ok(())
}

/// Reads an overlay file and applies it (see [`apply`]); or, for a directory, every `.yaml`,
/// `.yml` and `.json` file in it, in file name order.
///
/// Across the files of a directory, two actions that set the same key of the same target
/// are an error naming both: the words of one would silently replace the other's.
pub fn apply_file(document: &mut Document, overlay: &Path) -> Result<(), Error> {
    for overlay in load(overlay)? {
        apply(document, &overlay)?;
    }
    Ok(())
}

/// Reads the overlay at `overlay` (a file, or a folder of `.yaml`, `.yml` and `.json` files
/// in name order, parsed side by side), ready for [`apply`] in the order returned. Two files
/// of a folder setting the same key of the same target is an error naming both.
pub fn load(overlay: &Path) -> Result<Vec<Document>, Error> {
    if !overlay.is_dir() {
        return Ok(vec![crate::load::load_file(overlay)?]);
    }
    let read_error = |source| Error::Read {
        path: overlay.to_owned(),
        source,
    };
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(overlay)
        .map_err(read_error)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    files.sort();
    let sizes = |path: &std::path::PathBuf| std::fs::metadata(path).map_or(0, |m| m.len() as usize);
    let loaded = crate::parallel::map(&files, sizes, |file| crate::load::load_file(file))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen: std::collections::BTreeMap<(String, String), std::path::PathBuf> =
        std::collections::BTreeMap::new();
    for (file, loaded) in files.iter().zip(&loaded) {
        let actions = loaded.root.get("actions").and_then(Value::as_array);
        for (index, action) in actions.into_iter().flatten().enumerate() {
            let target = action.get("target").and_then(Value::as_str).unwrap_or("");
            let keys = action.get("update").and_then(Value::as_object);
            for key in keys.into_iter().flat_map(|o| o.keys()) {
                let slot = (target.to_owned(), key.clone());
                if let Some(first) = seen.get(&slot) {
                    return Err(Error::Spec {
                        path: file.clone(),
                        pointer: format!("/actions/{index}/update/{key}"),
                        message: format!(
                            "`{target}` `{key}` is also set by {}; keep one of them",
                            first.display()
                        ),
                    });
                }
                seen.insert(slot, file.clone());
            }
        }
    }
    Ok(loaded)
}

/// One step of a parsed JSONPath.
#[derive(Debug, Clone, PartialEq)]
enum Segment {
    /// An object member.
    Name(String),
    /// An array element.
    Index(usize),
    /// Array elements whose member `key` is the string `value`.
    Filter { key: String, value: String },
}

fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    let unsupported = |why: &str| format!("unsupported JSONPath `{path}`: {why}");
    let mut rest = path
        .strip_prefix('$')
        .ok_or_else(|| unsupported("it must start with `$`"))?;
    let mut segments = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let name = &after[..end];
            if name.is_empty() || name == "*" {
                return Err(unsupported("empty or wildcard name after `.`"));
            }
            segments.push(Segment::Name(name.to_owned()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let (segment, len) = parse_bracket(after).map_err(|why| unsupported(&why))?;
            segments.push(segment);
            rest = &after[len..];
        } else {
            return Err(unsupported("expected `.` or `[`"));
        }
    }
    Ok(segments)
}

/// Parses what follows a `[`; returns the segment and how many bytes it used, `]` included.
fn parse_bracket(text: &str) -> Result<(Segment, usize), String> {
    if let Some(quote) = text.chars().next().filter(|c| *c == '\'' || *c == '"') {
        let (name, len) = quoted(&text[1..], quote)?;
        let after = &text[1 + len..];
        if !after.starts_with(']') {
            return Err("expected `]` after a quoted name".into());
        }
        return Ok((Segment::Name(name), 1 + len + 1));
    }
    if let Some(filter) = text.strip_prefix("?@.") {
        let eq = filter
            .find("==")
            .ok_or("a filter must be `?@.key=='value'`")?;
        let key = filter[..eq].trim().to_owned();
        let value_text = filter[eq + 2..].trim_start();
        let skipped = filter[eq + 2..].len() - value_text.len();
        let quote = value_text
            .chars()
            .next()
            .filter(|c| *c == '\'' || *c == '"')
            .ok_or("a filter compares with a quoted string")?;
        let (value, len) = quoted(&value_text[1..], quote)?;
        let after = &value_text[1 + len..];
        if !after.starts_with(']') || key.is_empty() {
            return Err("a filter must be `?@.key=='value'`".into());
        }
        let used = 3 + eq + 2 + skipped + 1 + len + 1;
        return Ok((Segment::Filter { key, value }, used));
    }
    let end = text.find(']').ok_or("unclosed `[`")?;
    let index = text[..end]
        .trim()
        .parse()
        .map_err(|_| format!("`[{}]` is not a name, an index or a filter", &text[..end]))?;
    Ok((Segment::Index(index), end + 1))
}

/// A quoted string's content (after the opening quote) and the bytes it used, closing quote
/// included. `\\` and an escaped quote are the escapes.
fn quoted(text: &str, quote: char) -> Result<(String, usize), String> {
    let mut out = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped)) => out.push(escaped),
                None => break,
            },
            c if c == quote => return Ok((out, i + 1)),
            c => out.push(c),
        }
    }
    Err("unclosed quote".into())
}

/// Applies one action at every node `path` selects; returns how many it selected.
fn apply_one(node: &mut Value, path: &[Segment], update: Option<&Value>, remove: bool) -> usize {
    let Some((first, rest)) = path.split_first() else {
        if let Some(update) = update {
            merge(node, update);
        }
        return 1;
    };
    // Removal happens at the parent, where the selected child can be taken out.
    if rest.is_empty() && remove {
        return match (first, node) {
            (Segment::Name(name), Value::Object(map)) => {
                usize::from(map.shift_remove(name).is_some())
            }
            (Segment::Index(i), Value::Array(items)) if *i < items.len() => {
                items.remove(*i);
                1
            }
            (Segment::Filter { key, value }, Value::Array(items)) => {
                let before = items.len();
                items.retain(|item| !matches_filter(item, key, value));
                before - items.len()
            }
            _ => 0,
        };
    }
    match (first, node) {
        (Segment::Name(name), Value::Object(map)) => map
            .get_mut(name)
            .map_or(0, |child| apply_one(child, rest, update, remove)),
        (Segment::Index(i), Value::Array(items)) => items
            .get_mut(*i)
            .map_or(0, |child| apply_one(child, rest, update, remove)),
        (Segment::Filter { key, value }, Value::Array(items)) => items
            .iter_mut()
            .filter(|item| matches_filter(item, key, value))
            .map(|item| apply_one(item, rest, update, remove))
            .sum(),
        _ => 0,
    }
}

fn matches_filter(item: &Value, key: &str, value: &str) -> bool {
    item.get(key).and_then(Value::as_str) == Some(value)
}

/// Overlay merge: objects merge member by member, arrays are appended to, anything else is
/// replaced.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(update)) => target.extend(update.iter().cloned()),
        (target, update) => *target = update.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::PathBuf;

    fn doc(root: Value) -> Document {
        Document {
            path: PathBuf::from("api.json"),
            root,
        }
    }

    fn overlay(actions: Value) -> Document {
        Document {
            path: PathBuf::from("docs.overlay.yaml"),
            root: json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions}),
        }
    }

    #[test]
    fn paths() {
        assert_eq!(
            parse_path("$.paths['/v1/x/{id}'].get.parameters[?@.name=='id']").unwrap(),
            vec![
                Segment::Name("paths".into()),
                Segment::Name("/v1/x/{id}".into()),
                Segment::Name("get".into()),
                Segment::Name("parameters".into()),
                Segment::Filter {
                    key: "name".into(),
                    value: "id".into()
                },
            ]
        );
        assert_eq!(
            parse_path(r#"$["a\"b"][2]"#).unwrap(),
            vec![Segment::Name("a\"b".into()), Segment::Index(2)]
        );
        for bad in ["paths", "$.*", "$..a", "$[", "$['a'", "$[?@.a>1]", "$.a[x]"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn updates_merge_and_removals_remove() {
        let mut document = doc(json!({
            "paths": {"/v1/x/": {"get": {"operationId": "x:list",
                "parameters": [{"name": "a", "in": "query"}, {"name": "b", "in": "query"}]}}},
            "components": {"schemas": {"X": {"type": "object", "properties": {"id": {"type": "string"}}}}}
        }));
        apply(
            &mut document,
            &overlay(json!([
                {"target": "$.paths['/v1/x/'].get", "update": {"summary": "List x", "description": "Ours."}},
                {"target": "$.paths['/v1/x/'].get.parameters[?@.name=='b']", "update": {"description": "B."}},
                {"target": "$.components.schemas.X.properties.id", "update": {"description": "Id."}},
                {"target": "$.paths['/v1/x/'].get.parameters[0]", "remove": true}
            ])),
        )
        .unwrap();
        assert_eq!(
            document.root,
            json!({
                "paths": {"/v1/x/": {"get": {"operationId": "x:list",
                    "parameters": [{"name": "b", "in": "query", "description": "B."}],
                    "summary": "List x", "description": "Ours."}}},
                "components": {"schemas": {"X": {"type": "object",
                    "properties": {"id": {"type": "string", "description": "Id."}}}}}
            })
        );
    }

    #[test]
    fn a_target_that_matches_nothing_names_the_action() {
        let mut document = doc(json!({"paths": {}}));
        let err = apply(
            &mut document,
            &overlay(json!([{"target": "$.paths['/gone'].get", "update": {"description": "x"}}])),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("docs.overlay.yaml#/actions/0/target:"),
            "{err}"
        );
        assert!(err.contains("matches nothing"), "{err}");
        let err = apply(&mut document, &overlay(json!([{"target": "$.paths"}])))
            .unwrap_err()
            .to_string();
        assert!(err.contains("needs `update`"), "{err}");
        let mut bad = overlay(json!([]));
        bad.root["overlay"] = json!("2.0.0");
        assert!(apply(&mut document, &bad).is_err());
    }

    #[test]
    fn a_folder_applies_its_files_in_name_order_and_refuses_a_key_set_twice() {
        let dir = std::env::temp_dir().join(format!("overlay-dir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let head = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n";
        std::fs::write(
            dir.join("b.yaml"),
            format!("{head}- target: $.info\n  update: {{summary: from b}}\n"),
        )
        .unwrap();
        std::fs::write(
            dir.join("a.yaml"),
            format!("{head}- target: $.info\n  update: {{description: from a}}\n"),
        )
        .unwrap();
        std::fs::write(dir.join("notes.txt"), "not an overlay").unwrap();
        let mut document = doc(json!({"info": {"title": "API"}}));
        apply_file(&mut document, &dir).unwrap();
        assert_eq!(
            document.root["info"],
            json!({"title": "API", "description": "from a", "summary": "from b"})
        );

        std::fs::write(
            dir.join("c.yaml"),
            format!("{head}- target: $.info\n  update: {{summary: from c}}\n"),
        )
        .unwrap();
        let mut document = doc(json!({"info": {"title": "API"}}));
        let error = apply_file(&mut document, &dir).unwrap_err().to_string();
        assert!(error.contains("c.yaml"), "{error}");
        assert!(
            error.contains("also set by") && error.contains("b.yaml"),
            "{error}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
