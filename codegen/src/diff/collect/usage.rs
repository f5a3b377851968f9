//! Which operations and webhooks reach each component schema, and in which direction.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{
    object, operations_of, parameters_of, schema_name, webhooks_of, Direction, SchemaUsage,
    MAX_DEPTH,
};

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
