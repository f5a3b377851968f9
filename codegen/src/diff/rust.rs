//! What a document change does to polar-sdk's public Rust API.
//!
//! Both documents are lowered to the IR (the same `normalize` → `ir::lower` the generator
//! runs), the configured resources are selected in each (`emit::select`), and the public
//! items they produce are compared: operation methods and their builders, setters, the
//! types in `models`/`filters`, their fields and variants. The IR already holds every
//! decision the emitters print (names, `Option` wrappers, boxes, open enums), so this sees
//! exactly the items generation would change, without generating or compiling anything.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::classify::{self, Rule};
use super::{Class, Side};
use crate::config::Config;
use crate::emit::types::type_text;
use crate::ir::{Api, Field, Operation, TypeDef, TypeKind, TypeOrigin, TypeRef};
use crate::load::Document;

/// The semver bump polar-sdk needs (0.x: breaking means minor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Compatible changes only: `0.x.y` → `0.x.(y+1)`.
    Patch,
    /// A breaking change to the Rust API: `0.x.y` → `0.(x+1).0`.
    Minor,
}

impl Bump {
    /// The next version after `current` (`major.minor.patch`); `None` if it does not parse.
    /// From 1.0 on, a breaking change needs a major bump.
    pub fn next(self, current: &str) -> Option<String> {
        let mut parts = current.trim().split('.').map(|p| p.parse::<u64>().ok());
        let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next()??);
        if parts.next().is_some() {
            return None;
        }
        Some(match (self, major) {
            (Bump::None, _) => format!("{major}.{minor}.{patch}"),
            (Bump::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
            (Bump::Minor, 0) => format!("0.{}.0", minor + 1),
            (Bump::Minor, _) => format!("{}.0.0", major + 1),
        })
    }
}

/// One changed public item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RustChange {
    /// How it affects users of polar-sdk.
    pub class: Class,
    /// The item (`models::CustomerMeter::meter_id`, `customer_meters().list()`).
    pub item: String,
    /// Id of the rule in [`classify::RULES`] that decided the class.
    pub rule: &'static str,
    /// What changed.
    pub message: String,
    /// Where the item comes from in the document.
    pub pointer: String,
    /// Which document `pointer` points into.
    pub document: Side,
}

/// The Rust side of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RustImpact {
    /// Resources compared (configured, and present in either document).
    pub resources: Vec<String>,
    /// The version bump the change needs.
    pub bump: Bump,
    /// Changed items, sorted: breaking first.
    pub changes: Vec<RustChange>,
    /// Why the Rust side could not be computed (a document the generator cannot lower).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Compares the Rust API generated for `config` from both documents. `wire_changes` (the
/// number of changes the wire-level report found) turns "no item changed" into a patch.
pub fn impact(old: &Document, new: &Document, config: &Config, wire_changes: usize) -> RustImpact {
    // The two documents lower independently: one thread each.
    let (old_api, new_api) = std::thread::scope(|scope| {
        let old_api = scope.spawn(|| lower(old));
        let new_api = lower(new);
        let old_api = old_api
            .join()
            .unwrap_or_else(|_| Err("lowering the old document failed".to_owned()));
        (old_api, new_api)
    });
    let lowered = old_api.and_then(|o| Ok((o, new_api?)));
    let (old_api, new_api) = match lowered {
        Ok(apis) => apis,
        Err(error) => {
            return RustImpact {
                resources: Vec::new(),
                bump: if wire_changes > 0 {
                    Bump::Patch
                } else {
                    Bump::None
                },
                changes: Vec::new(),
                error: Some(error),
            }
        }
    };
    let mut changes = Vec::new();
    let resources = compare(&old_api, &new_api, config, &mut changes);
    changes.sort();
    changes.dedup();
    let bump = if changes.iter().any(|c| c.class == Class::Breaking) {
        Bump::Minor
    } else if !changes.is_empty() || wire_changes > 0 {
        Bump::Patch
    } else {
        Bump::None
    };
    RustImpact {
        resources,
        bump,
        changes,
        error: None,
    }
}

fn lower(document: &Document) -> Result<Api, String> {
    let normalized = crate::normalize::normalize(document).map_err(|e| e.to_string())?;
    crate::ir::lower(document, &normalized).map_err(|e| e.to_string())
}

/// The configured resources and runtime types this document has, as the generator selects them.
fn selection(api: &Api, config: &Config) -> (BTreeSet<String>, BTreeSet<String>) {
    let known = api.resources();
    let config = Config {
        resources: config
            .resources
            .iter()
            .filter(|r| known.contains(&r.as_str()))
            .cloned()
            .collect(),
        runtime_types: config
            .runtime_types
            .iter()
            .filter(|t| api.types.contains_key(&crate::ir::naming::type_name(t)))
            .cloned()
            .collect(),
        runtime_errors: config.runtime_errors.clone(),
    };
    match crate::emit::select(api, &config) {
        Ok(selection) => (selection.resources.into_iter().collect(), selection.types),
        Err(_) => (BTreeSet::new(), BTreeSet::new()),
    }
}

struct Out<'a> {
    changes: &'a mut Vec<RustChange>,
}

impl Out<'_> {
    fn push(
        &mut self,
        rule: &'static Rule,
        item: String,
        message: String,
        pointer: &str,
        document: Side,
    ) {
        self.changes.push(RustChange {
            class: rule.class,
            item,
            rule: rule.id,
            message,
            pointer: pointer.to_owned(),
            document,
        });
    }
}

fn compare(old: &Api, new: &Api, config: &Config, changes: &mut Vec<RustChange>) -> Vec<String> {
    let mut out = Out { changes };
    let (old_resources, old_types) = selection(old, config);
    let (new_resources, new_types) = selection(new, config);
    if old.version != new.version && !(old_resources.is_empty() && new_resources.is_empty()) {
        out.push(
            &classify::RUST_API_VERSION,
            "API_VERSION".to_owned(),
            format!("`{}` becomes `{}`", old.version, new.version),
            "/info/version",
            Side::New,
        );
    }
    let resources: BTreeSet<&String> = old_resources.iter().chain(&new_resources).collect();
    for resource in &resources {
        let ops = |api: &'_ Api, selected: &BTreeSet<String>| -> BTreeMap<String, Operation> {
            if !selected.contains(*resource) {
                return BTreeMap::new();
            }
            api.resource_operations(resource)
                .map(|op| {
                    let mut path: Vec<String> = op.group.clone();
                    path.push(op.verb.clone());
                    (path.join("().").replace("r#", ""), op.clone())
                })
                .collect()
        };
        let (old_ops, new_ops) = (ops(old, &old_resources), ops(new, &new_resources));
        let verbs: BTreeSet<&String> = old_ops.keys().chain(new_ops.keys()).collect();
        for verb in verbs {
            let item = format!("{resource}().{verb}()");
            match (old_ops.get(verb), new_ops.get(verb)) {
                (Some(o), None) => out.push(
                    &classify::RUST_OPERATION_REMOVED,
                    item,
                    format!("method and builder for `{}` removed", o.id),
                    &o.pointer,
                    Side::Old,
                ),
                (None, Some(n)) => out.push(
                    &classify::RUST_OPERATION_ADDED,
                    item,
                    format!("method and builder for `{}` added", n.id),
                    &n.pointer,
                    Side::New,
                ),
                (Some(o), Some(n)) => operation(&mut out, old, new, o, n, &item),
                (None, None) => {}
            }
        }
    }
    let names: BTreeSet<&String> = old_types.iter().chain(&new_types).collect();
    for name in names {
        let (o, n) = (
            old_types
                .contains(name)
                .then(|| old.types.get(name))
                .flatten(),
            new_types
                .contains(name)
                .then(|| new.types.get(name))
                .flatten(),
        );
        match (o, n) {
            (Some(o), None) => out.push(
                &classify::RUST_TYPE_REMOVED,
                item_path(o),
                "type removed".to_owned(),
                &o.pointer,
                Side::Old,
            ),
            (None, Some(n)) => out.push(
                &classify::RUST_TYPE_ADDED,
                item_path(n),
                "type added".to_owned(),
                &n.pointer,
                Side::New,
            ),
            (Some(o), Some(n)) => type_def(&mut out, old, new, o, n),
            (None, None) => {}
        }
    }
    resources.into_iter().cloned().collect()
}

fn item_path(def: &TypeDef) -> String {
    match def.origin {
        TypeOrigin::Model => format!("models::{}", def.name),
        TypeOrigin::Filter => format!("filters::{}", def.name),
    }
}

fn operation(
    out: &mut Out,
    old_api: &Api,
    new_api: &Api,
    o: &Operation,
    n: &Operation,
    item: &str,
) {
    if o.deprecated != n.deprecated {
        let word = if n.deprecated { "now" } else { "no longer" };
        out.push(
            &classify::RUST_DEPRECATED,
            item.to_owned(),
            format!("{word} `#[deprecated]`"),
            &n.pointer,
            Side::New,
        );
    }
    // Arguments are positional: their names are not part of the signature.
    let arguments = |api: &Api, op: &Operation| -> Vec<String> {
        op.parameters
            .iter()
            .filter(|p| p.required)
            .map(|p| type_text(api, &p.ty))
            .collect()
    };
    let (old_args, new_args) = (arguments(old_api, o), arguments(new_api, n));
    if old_args != new_args {
        out.push(
            &classify::RUST_SIGNATURE_CHANGED,
            item.to_owned(),
            format!(
                "arguments change from ({}) to ({})",
                old_args.join(", "),
                new_args.join(", ")
            ),
            &n.pointer,
            Side::New,
        );
    }
    let setters = |api: &Api, op: &Operation| -> BTreeMap<String, String> {
        op.parameters
            .iter()
            .filter(|p| !p.required)
            .map(|p| (p.rust_name.clone(), type_text(api, &p.ty)))
            .collect()
    };
    let (old_setters, new_setters) = (setters(old_api, o), setters(new_api, n));
    let names: BTreeSet<&String> = old_setters.keys().chain(new_setters.keys()).collect();
    for name in names {
        let setter = format!("{item}.{name}()");
        match (old_setters.get(name), new_setters.get(name)) {
            (Some(_), None) => out.push(
                &classify::RUST_SETTER_REMOVED,
                setter,
                "setter removed".to_owned(),
                &o.pointer,
                Side::Old,
            ),
            (None, Some(ty)) => out.push(
                &classify::RUST_SETTER_ADDED,
                setter,
                format!("setter added, taking `{ty}`"),
                &n.pointer,
                Side::New,
            ),
            (Some(a), Some(b)) if a != b => out.push(
                &classify::RUST_SETTER_REMOVED,
                setter,
                format!("setter takes `{b}` instead of `{a}`"),
                &n.pointer,
                Side::New,
            ),
            _ => {}
        }
    }
    let body = |api: &Api, op: &Operation| {
        op.request_body
            .as_ref()
            .and_then(|b| b.ty.as_ref())
            .map(|ty| type_text(api, ty))
    };
    let result = |api: &Api, op: &Operation| {
        op.responses
            .iter()
            .find(|r| r.status.starts_with('2'))
            .and_then(|r| r.body.as_ref()?.ty.as_ref())
            .map(|ty| type_text(api, ty))
    };
    for (what, old_ty, new_ty) in [
        ("request body", body(old_api, o), body(new_api, n)),
        ("result", result(old_api, o), result(new_api, n)),
    ] {
        if old_ty != new_ty {
            let text = |t: Option<String>| t.unwrap_or_else(|| "nothing".to_owned());
            out.push(
                &classify::RUST_RESPONSE_CHANGED,
                item.to_owned(),
                format!(
                    "{what} type changes from `{}` to `{}`",
                    text(old_ty),
                    text(new_ty)
                ),
                &n.pointer,
                Side::New,
            );
        }
    }
}

/// The Rust type of a struct field, as the emitter writes it.
fn field_type(api: &Api, field: &Field) -> String {
    let ty = type_text(api, &field.ty);
    match (field.required, field.nullable) {
        (true, false) => ty,
        (true, true) | (false, false) => format!("Option<{ty}>"),
        (false, true) => format!("Option<Option<{ty}>>"),
    }
}

/// What adding field `name` to struct `def` does to users. A struct users send (an input
/// type) is `#[non_exhaustive]` and built with `new`, which takes its required fields except
/// `const`s: only such a field changes a call.
fn added_field_rule(api: &Api, def: &TypeDef, fields: &[Field], name: &str) -> &'static Rule {
    if !def.input {
        return &classify::RUST_FIELD_ADDED;
    }
    let Some(field) = fields.iter().find(|f| f.rust_name == name) else {
        return &classify::RUST_FIELD_ADDED;
    };
    let constant = matches!(&field.ty, TypeRef::Named(ty) if matches!(
        api.types.get(ty).map(|d| &d.kind),
        Some(TypeKind::Enum { values }) if values.len() == 1
    ));
    if field.required && !constant {
        &classify::RUST_CONSTRUCTOR_CHANGED
    } else {
        &classify::RUST_INPUT_FIELD_ADDED
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Tagged { .. } => "tagged union",
        TypeKind::Untagged { .. } => "untagged union",
        TypeKind::Alias { .. } => "alias",
        TypeKind::Newtype { .. } => "newtype",
    }
}

fn type_def(out: &mut Out, old_api: &Api, new_api: &Api, o: &TypeDef, n: &TypeDef) {
    let item = item_path(n);
    match (&o.kind, &n.kind) {
        (TypeKind::Struct { fields: of }, TypeKind::Struct { fields: nf }) => {
            let map = |api: &Api, fields: &[Field]| -> BTreeMap<String, String> {
                fields
                    .iter()
                    .map(|f| (f.rust_name.clone(), field_type(api, f)))
                    .collect()
            };
            let (old_fields, new_fields) = (map(old_api, of), map(new_api, nf));
            let names: BTreeSet<&String> = old_fields.keys().chain(new_fields.keys()).collect();
            for name in names {
                let field = format!("{item}::{name}");
                match (old_fields.get(name), new_fields.get(name)) {
                    (Some(_), None) => out.push(
                        &classify::RUST_FIELD_REMOVED,
                        field,
                        "field removed".to_owned(),
                        &o.pointer,
                        Side::Old,
                    ),
                    (None, Some(ty)) => out.push(
                        added_field_rule(new_api, n, nf, name),
                        field,
                        format!("field added: `{ty}`"),
                        &n.pointer,
                        Side::New,
                    ),
                    (Some(a), Some(b)) if a != b => out.push(
                        &classify::RUST_FIELD_TYPE_CHANGED,
                        field,
                        format!("`{a}` becomes `{b}`"),
                        &n.pointer,
                        Side::New,
                    ),
                    _ => {}
                }
            }
        }
        (TypeKind::Enum { values: ov }, TypeKind::Enum { values: nv }) => {
            let (old, new): (BTreeMap<_, _>, BTreeMap<_, _>) = (
                ov.iter().map(|v| (&v.variant, &v.wire)).collect(),
                nv.iter().map(|v| (&v.variant, &v.wire)).collect(),
            );
            variants(out, &item, o, n, &old, &new);
        }
        (TypeKind::Tagged { variants: ov, .. }, TypeKind::Tagged { variants: nv, .. }) => {
            let old: BTreeMap<_, _> = ov
                .iter()
                .map(|v| (&v.name, type_text(old_api, &v.ty)))
                .collect();
            let new: BTreeMap<_, _> = nv
                .iter()
                .map(|v| (&v.name, type_text(new_api, &v.ty)))
                .collect();
            variants(out, &item, o, n, &old, &new);
        }
        (TypeKind::Untagged { variants: ov }, TypeKind::Untagged { variants: nv }) => {
            let old: BTreeMap<_, _> = ov
                .iter()
                .map(|v| (&v.name, type_text(old_api, &v.ty)))
                .collect();
            let new: BTreeMap<_, _> = nv
                .iter()
                .map(|v| (&v.name, type_text(new_api, &v.ty)))
                .collect();
            variants(out, &item, o, n, &old, &new);
        }
        (TypeKind::Alias { ty: ot }, TypeKind::Alias { ty: nt })
        | (TypeKind::Newtype { ty: ot }, TypeKind::Newtype { ty: nt }) => {
            let (a, b) = (type_text(old_api, ot), type_text(new_api, nt));
            if a != b {
                out.push(
                    &classify::RUST_TYPE_KIND_CHANGED,
                    item,
                    format!("{} of `{a}` becomes one of `{b}`", kind_name(&n.kind)),
                    &n.pointer,
                    Side::New,
                );
            }
        }
        (ok, nk) => out.push(
            &classify::RUST_TYPE_KIND_CHANGED,
            item,
            format!("{} becomes {}", kind_name(ok), kind_name(nk)),
            &n.pointer,
            Side::New,
        ),
    }
}

fn variants<T: PartialEq + std::fmt::Display>(
    out: &mut Out,
    item: &str,
    o: &TypeDef,
    n: &TypeDef,
    old: &BTreeMap<&String, T>,
    new: &BTreeMap<&String, T>,
) {
    let names: BTreeSet<&&String> = old.keys().chain(new.keys()).collect();
    for name in names {
        let variant = format!("{item}::{name}");
        match (old.get(*name), new.get(*name)) {
            (Some(_), None) => out.push(
                &classify::RUST_VARIANT_REMOVED,
                variant,
                "variant removed".to_owned(),
                &o.pointer,
                Side::Old,
            ),
            (None, Some(payload)) => out.push(
                &classify::RUST_VARIANT_ADDED,
                variant,
                format!("variant added (`{payload}`)"),
                &n.pointer,
                Side::New,
            ),
            (Some(a), Some(b)) if a != b => out.push(
                &classify::RUST_VARIANT_REMOVED,
                variant,
                format!("variant now holds `{b}` instead of `{a}`"),
                &n.pointer,
                Side::New,
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bump;

    #[test]
    fn zero_x_breaking_is_a_minor_bump() {
        assert_eq!(Bump::Minor.next("0.1.3").as_deref(), Some("0.2.0"));
        assert_eq!(Bump::Patch.next("0.1.3").as_deref(), Some("0.1.4"));
        assert_eq!(Bump::Minor.next("1.4.2").as_deref(), Some("2.0.0"));
        assert_eq!(Bump::None.next("0.1.0").as_deref(), Some("0.1.0"));
        assert_eq!(Bump::Patch.next("0.1"), None);
        assert_eq!(Bump::Patch.next("0.1.x"), None);
    }
}
