//! Schema comparison: one schema against another, in place (component `$ref`s are compared
//! by name, not followed), down through properties, items, unions and constraints.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{empty, join, object, schema_name, short, At, Collector, Fact, MAX_DEPTH};
use crate::diff::Side;

/// A schema seen through its null wrappers: `anyOf: [X, {type: null}]` reads as a nullable X.
pub(super) struct View<'v> {
    /// Objects whose keywords apply, innermost first, with their pointers.
    layers: Vec<(&'v Map<String, Value>, String)>,
    pub(super) nullable: bool,
    /// Non-null branches when a union remains.
    union: Vec<(&'v Value, String)>,
}

impl<'v> View<'v> {
    pub(super) fn of(value: &'v Value, at: String) -> Self {
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

    pub(super) fn types(&self) -> BTreeSet<&'v str> {
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

impl<'v> Collector<'v> {
    /// Compares two schemas in place (without following component `$ref`s).
    pub(super) fn schema(
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

    pub(super) fn union(&mut self, o: &View<'v>, n: &View<'v>, at: &At, depth: usize) {
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

    pub(super) fn discriminator(&mut self, o: &View<'v>, n: &View<'v>, at: &At) {
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

    pub(super) fn values(&mut self, o: &View<'v>, n: &View<'v>, at: &At) {
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

    pub(super) fn constraints(&mut self, o: &View<'v>, n: &View<'v>, at: &At) {
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

    pub(super) fn constraint(
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

    pub(super) fn properties(&mut self, o: &View<'v>, n: &View<'v>, at: &At, depth: usize) {
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
