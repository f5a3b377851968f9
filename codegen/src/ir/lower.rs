//! Lowering: the normalized `openapiv3` model → [`Api`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter as OaParameter, ParameterSchemaOrContent, ReferenceOr,
    Schema, SchemaKind, StatusCode, Type,
};
use serde_json::Value;

use super::naming::{
    dedupe, enum_variant, field_name, module_name, strip_common_affixes, type_name, unreserved,
};
use super::webhooks;
use super::{
    cycles, dedupe, facts, inputs, Api, AuthKind, Body, Constraints, EnumValue, ErrorCase, Field,
    FieldCodec, Operation, Pagination, ParamLocation, ParamStyle, Parameter, Response, Server,
    Success, TagDefault, TaggedVariant, TypeDef, TypeKind, TypeOrigin, TypeRef, UntaggedVariant,
};
use crate::error::{escape_pointer_token, Diagnostic, Error};
use crate::load::Document;
use crate::normalize::Normalized;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Lowers a normalized document to the IR. Fails on dangling references and operations
/// without an id; every other unsupported construct becomes a diagnostic.
pub fn lower(document: &Document, normalized: &Normalized) -> Result<Api, Error> {
    check_references(document)?;
    let openapi = &normalized.openapi;
    let names = component_names(openapi);
    let mut lowerer = Lowerer {
        openapi,
        types: BTreeMap::new(),
        component_rust_names: names.values().cloned().collect(),
        component_names: names,
        diagnostics: normalized.diagnostics.clone(),
    };

    if let Some(components) = &openapi.components {
        let mut names: Vec<&String> = components.schemas.keys().collect();
        names.sort();
        for name in names {
            let pointer = format!("/components/schemas/{}", escape_pointer_token(name));
            let rust_name = lowerer.component_names[name.as_str()].clone();
            lowerer.lower_component(&components.schemas[name.as_str()], &rust_name, &pointer);
        }
    }

    let mut operations = Vec::new();
    // Operations are lowered in operation id order (then path and method), not document
    // order: the names their inline types get (`ColumnsFilter`, then `ColumnsFilter2`) must
    // not change when the document is merely reordered.
    let mut pending = Vec::new();
    for (path, item) in &openapi.paths.paths {
        let path_pointer = format!("/paths/{}", escape_pointer_token(path));
        let ReferenceOr::Item(item) = item else {
            lowerer.diag(
                &path_pointer,
                "path item references are not supported; skipped",
            );
            continue;
        };
        for (method, operation) in item.iter() {
            pending.push((
                operation.operation_id.clone().unwrap_or_default(),
                path,
                method,
                item,
                operation,
                path_pointer.clone(),
            ));
        }
    }
    pending.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
    for (_, path, method, item, operation, path_pointer) in pending {
        let pointer = format!("{path_pointer}/{method}");
        let lowered = lowerer.lower_operation(document, path, method, item, operation, &pointer)?;
        operations.push(lowered);
    }
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    disambiguate(&mut operations);
    for pair in operations.windows(2) {
        if pair[0].id == pair[1].id {
            return Err(Error::Spec {
                path: document.path.clone(),
                pointer: pair[1].pointer.clone(),
                message: format!("operationId `{}` is used twice", pair[1].id),
            });
        }
    }

    let mut diagnostics = lowerer.diagnostics;
    let webhooks = webhooks::lower_webhooks(
        &normalized.json,
        &lowerer.component_names,
        &lowerer.types,
        &mut diagnostics,
    );
    diagnostics.extend(cycles::break_cycles(&mut lowerer.types));
    inputs::mark_inputs(&mut lowerer.types, &operations);
    dedupe::dedupe_enums(&mut lowerer.types);
    facts::fill(&mut lowerer.types, &operations, &webhooks);
    diagnostics.sort();
    diagnostics.dedup();
    Ok(Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        servers: servers(openapi),
        types: lowerer.types,
        operations,
        webhooks,
        component_schema_count: openapi.components.as_ref().map_or(0, |c| c.schemas.len()),
        diagnostics,
    })
}

/// Distinct ids can still spell one Rust name in a resource's module: two verbs (`a-b:list`,
/// `a_b:list`), a verb and a sub-resource accessor (`a:b` beside `a:b:list`: both `A::b`), two
/// handle types (`a:b_c:…` and `a:b:c:…`: both `ABC`) or two request builders (`a:b_list` and
/// `a:b:list`: both `ABList`). Sub-resources keep their names, parents first; then verbs in id
/// order; a later clash gets a number (`b_c2`, `b2`).
fn disambiguate(operations: &mut [Operation]) {
    let mut resources: Vec<String> = operations.iter().map(|op| op.resource.clone()).collect();
    resources.sort();
    resources.dedup();
    for resource in resources {
        let type_of = |group: &[String], verb: Option<&str>| {
            let mut parts = vec![resource.as_str()];
            parts.extend(group.iter().map(String::as_str));
            parts.extend(verb);
            super::naming::joined_type_name(&parts)
        };
        let indices: Vec<usize> = (0..operations.len())
            .filter(|&i| operations[i].resource == resource)
            .collect();
        let mut paths: BTreeSet<Vec<String>> = BTreeSet::new();
        for &i in &indices {
            let group = &operations[i].group;
            paths.extend((1..=group.len()).map(|len| group[..len].to_vec()));
        }
        let mut types: BTreeSet<String> = BTreeSet::from([type_of(&[], None)]);
        // Methods of each (renamed) handle: sub-resource accessors and verbs.
        let mut methods: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
        let mut renamed: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::from([(vec![], vec![])]);
        // Sorted, so a parent comes before its children.
        for path in paths {
            let Some((last, parent)) = path.split_last() else {
                continue;
            };
            let parent = renamed.get(parent).cloned().unwrap_or_default();
            let taken = methods.entry(parent.clone()).or_default();
            let segment = numbered(last, |candidate| {
                let mut group = parent.clone();
                group.push(candidate.to_owned());
                !taken.contains(candidate) && !types.contains(&type_of(&group, None))
            });
            taken.insert(segment.clone());
            let mut group = parent;
            group.push(segment);
            types.insert(type_of(&group, None));
            renamed.insert(path, group);
        }
        for index in indices {
            let operation = &mut operations[index];
            let group = renamed
                .get(&operation.group)
                .cloned()
                .unwrap_or_else(|| operation.group.clone());
            let taken = methods.entry(group.clone()).or_default();
            let verb = numbered(&operation.verb, |candidate| {
                !taken.contains(candidate) && !types.contains(&type_of(&group, Some(candidate)))
            });
            taken.insert(verb.clone());
            types.insert(type_of(&group, Some(&verb)));
            operation.group = group;
            operation.verb = verb;
        }
    }
}

/// `base`, or the first of `base2`, `base3`, … that `free` accepts.
fn numbered(base: &str, mut free: impl FnMut(&str) -> bool) -> String {
    if free(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|candidate| free(candidate))
        .unwrap_or_else(|| base.to_owned())
}

/// `resource:group…:verb` → module name of the resource, the group path and the verb.
///
/// A group segment that repeats an earlier one is dropped (`oauth2:clients:oauth2:create_client`
/// is the `clients` group of `oauth2`), and a verb that ends in its group's name, plural or
/// singular, loses it (`customer_portal:members:add_member` → `add`).
fn split_operation_id(id: &str) -> Option<(String, Vec<String>, String)> {
    let mut parts: Vec<&str> = id.split(':').collect();
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let verb = parts.pop()?;
    let resource = module_name(parts[0]);
    let mut group: Vec<String> = Vec::new();
    for part in &parts[1..] {
        let name = module_name(part);
        if name != resource && !group.contains(&name) {
            group.push(name);
        }
    }
    let mut verb = field_name(verb);
    let owner = group.last().unwrap_or(&resource).trim_end_matches('_');
    let singular = owner.strip_suffix('s').unwrap_or(owner);
    for suffix in [owner, singular] {
        if let Some(rest) = verb.strip_suffix(&format!("_{suffix}")) {
            if !rest.is_empty() && !rest.starts_with("r#") {
                verb = field_name(rest);
                break;
            }
        }
    }
    Some((resource, group, verb))
}

/// Every `$ref` must be local and point at something; reported with the pointer of the `$ref`.
fn check_references(document: &Document) -> Result<(), Error> {
    fn walk(root: &Value, node: &Value, at: &mut Vec<String>, path: &Path) -> Result<(), Error> {
        match node {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    let target = reference.strip_prefix('#').and_then(|p| root.pointer(p));
                    if target.is_none() {
                        return Err(Error::Spec {
                            path: path.to_owned(),
                            pointer: crate::error::pointer(at.iter().chain(["$ref".to_owned()].iter())),
                            message: format!("dangling $ref `{reference}`: nothing in this document has that pointer"),
                        });
                    }
                }
                for (key, value) in object {
                    at.push(key.clone());
                    walk(root, value, at, path)?;
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (index, value) in items.iter().enumerate() {
                    at.push(index.to_string());
                    walk(root, value, at, path)?;
                    at.pop();
                }
            }
            _ => {}
        }
        Ok(())
    }
    walk(
        &document.root,
        &document.root,
        &mut Vec::new(),
        &document.path,
    )
}

fn component_names(openapi: &OpenAPI) -> BTreeMap<String, String> {
    let mut keys: Vec<String> = openapi
        .components
        .as_ref()
        .map(|c| c.schemas.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    let mut names: Vec<String> = keys.iter().map(|k| unreserved(type_name(k))).collect();
    dedupe(&mut names, &[]);
    keys.into_iter().zip(names).collect()
}

fn servers(openapi: &OpenAPI) -> Vec<Server> {
    let mut names: Vec<String> = openapi
        .servers
        .iter()
        .enumerate()
        .map(|(index, server)| {
            server
                .extensions
                .get("x-speakeasy-server-id")
                .and_then(Value::as_str)
                .map(type_name)
                .unwrap_or_else(|| format!("Server{}", index + 1))
        })
        .collect();
    dedupe(&mut names, &[]);
    openapi
        .servers
        .iter()
        .zip(names)
        .map(|(server, name)| Server {
            name,
            url: server.url.trim_end_matches('/').to_owned(),
            description: server.description.clone(),
        })
        .collect()
}

/// The result of looking at a schema: a new named shape, or a use of an existing type.
enum Shape {
    Def(TypeKind),
    Ref(TypeRef),
}

struct Lowerer<'a> {
    openapi: &'a OpenAPI,
    types: BTreeMap<String, TypeDef>,
    component_names: BTreeMap<String, String>,
    component_rust_names: std::collections::BTreeSet<String>,
    diagnostics: Vec<crate::error::Diagnostic>,
}

impl<'a> Lowerer<'a> {
    fn diag(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    fn lower_component(&mut self, schema: &ReferenceOr<Schema>, name: &str, pointer: &str) {
        let doc = description(schema);
        // The component's own definition keeps its name; only a plain type use can be
        // nullable at the top (a nullable object component is lowered as the object).
        let kind = match schema {
            // Inline types are named after the schema (`FromType`), not after its Rust name
            // when that had to step aside from the prelude (`From_`).
            ReferenceOr::Item(item) => {
                match self.shape_of_item(item, name.trim_end_matches('_'), pointer) {
                    Shape::Def(kind) => kind,
                    Shape::Ref(ty) if item.schema_data.nullable => {
                        TypeKind::Alias { ty: nullable(ty) }
                    }
                    Shape::Ref(ty) => TypeKind::Alias { ty },
                }
            }
            ReferenceOr::Reference { reference } => TypeKind::Alias {
                ty: self.reference(reference, pointer),
            },
        };
        self.types.insert(
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                doc,
                pointer: pointer.to_owned(),
                origin: TypeOrigin::Model,
                kind,
                input: false,
                same_as: None,
            },
        );
    }

    /// Lowers a use of a schema; inline shapes become named types called `hint`.
    fn lower(&mut self, schema: &ReferenceOr<Schema>, hint: &str, pointer: &str) -> TypeRef {
        match self.shape(schema, hint, pointer) {
            Shape::Ref(ty) => ty,
            Shape::Def(kind) => {
                let doc = description(schema);
                TypeRef::Named(self.define(hint, doc, pointer, TypeOrigin::Model, kind))
            }
        }
    }

    /// Adds an inline type, reusing an identical one of the same name and otherwise picking a
    /// free name (`Name2`, `Name3`, …).
    fn define(
        &mut self,
        hint: &str,
        doc: Option<String>,
        pointer: &str,
        origin: TypeOrigin,
        kind: TypeKind,
    ) -> String {
        let mut name = unreserved(hint.to_owned());
        let mut counter = 1;
        loop {
            match self.types.get(&name) {
                // A component lowered later owns its name: inline types never take it.
                None if self.component_rust_names.contains(&name) => {}
                None => break,
                Some(existing) if existing.kind == kind && existing.origin == origin => {
                    // One type for every place with this shape; it keeps the first words any
                    // of them has (operations are lowered in id order, so this is stable).
                    if existing.doc.is_none() && doc.is_some() {
                        if let Some(existing) = self.types.get_mut(&name) {
                            existing.doc = doc;
                        }
                    }
                    return name;
                }
                Some(_) => {}
            }
            counter += 1;
            name = format!("{hint}{counter}");
        }
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                doc,
                pointer: pointer.to_owned(),
                origin,
                kind,
                input: false,
                same_as: None,
            },
        );
        name
    }

    fn reference(&mut self, reference: &str, pointer: &str) -> TypeRef {
        match reference.strip_prefix(SCHEMA_PREFIX) {
            Some(component) if self.component_names.contains_key(component) => {
                TypeRef::Named(self.component_names[component].clone())
            }
            _ => {
                self.diag(
                    pointer,
                    format!("$ref `{reference}` does not name a component schema; typed as any JSON value"),
                );
                TypeRef::Any
            }
        }
    }

    fn resolve<'s>(&'s self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(SCHEMA_PREFIX)?;
                match self.openapi.components.as_ref()?.schemas.get(name)? {
                    ReferenceOr::Item(schema) => Some(schema),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    fn shape(&mut self, schema: &ReferenceOr<Schema>, hint: &str, pointer: &str) -> Shape {
        let schema = match schema {
            ReferenceOr::Reference { reference } => {
                return Shape::Ref(self.reference(reference, pointer))
            }
            ReferenceOr::Item(schema) => schema,
        };
        let shape = self.shape_of_item(schema, hint, pointer);
        if !schema.schema_data.nullable {
            return shape;
        }
        // A nullable use: an inline definition must be named here so it can be wrapped.
        match shape {
            Shape::Ref(ty) => Shape::Ref(nullable(ty)),
            Shape::Def(kind) => {
                let doc = schema.schema_data.description.clone();
                let name = self.define(hint, doc, pointer, TypeOrigin::Model, kind);
                Shape::Ref(nullable(TypeRef::Named(name)))
            }
        }
    }

    fn shape_of_item(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Shape {
        let data = &schema.schema_data;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
                if values.is_empty() {
                    Shape::Ref(string_type(&string.format))
                } else {
                    Shape::Def(enum_kind(values))
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => Shape::Ref(integer_type(integer)),
            SchemaKind::Type(Type::Number(_)) => Shape::Ref(TypeRef::F64),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Ref(TypeRef::Bool),
            SchemaKind::Type(Type::Object(object)) => self.object_shape(
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                hint,
                pointer,
            ),
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(prefix) = data.extensions.get("x-prefix-items") {
                    return Shape::Ref(self.tuple(prefix, hint, pointer));
                }
                let item = match &array.items {
                    Some(items) => {
                        let items = box_to_plain(items);
                        self.lower(&items, &format!("{hint}Item"), &format!("{pointer}/items"))
                    }
                    None => TypeRef::Any,
                };
                Shape::Ref(TypeRef::Array(Box::new(item)))
            }
            SchemaKind::OneOf { one_of } => self.union_shape(one_of, data, hint, pointer, "oneOf"),
            SchemaKind::AnyOf { any_of } => self.union_shape(any_of, data, hint, pointer, "anyOf"),
            SchemaKind::AllOf { all_of } => {
                if all_of.len() == 1 {
                    // `$ref` with siblings, normalized to a one-element allOf: the siblings
                    // (description, default) belong to the use, the type is the target's.
                    // The wrapper is normalize's own: the `$ref` stands at this very node.
                    let inner = if data.extensions.contains_key("x-ref-siblings") {
                        pointer.to_owned()
                    } else {
                        format!("{pointer}/allOf/0")
                    };
                    self.shape(&all_of[0], hint, &inner)
                } else {
                    self.diag(
                        pointer,
                        format!(
                            "allOf with {} members is not supported; typed as any JSON value",
                            all_of.len()
                        ),
                    );
                    Shape::Ref(TypeRef::Any)
                }
            }
            SchemaKind::Not { .. } => {
                self.diag(pointer, "`not` is not supported; typed as any JSON value");
                Shape::Ref(TypeRef::Any)
            }
            SchemaKind::Any(any) => {
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    self.object_shape(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        hint,
                        pointer,
                    )
                } else if !any.one_of.is_empty() {
                    self.union_shape(&any.one_of, data, hint, pointer, "oneOf")
                } else if !any.any_of.is_empty() {
                    self.union_shape(&any.any_of, data, hint, pointer, "anyOf")
                } else if let [member] = any.all_of.as_slice() {
                    // `$ref` with sibling constraints (`{$ref: Currency, maxLength: 3}`): the
                    // siblings narrow the target's values, the type is the target's.
                    let inner = if data.extensions.contains_key("x-ref-siblings") {
                        pointer.to_owned()
                    } else {
                        format!("{pointer}/allOf/0")
                    };
                    self.shape(member, hint, &inner)
                } else {
                    let values: Vec<String> = any
                        .enumeration
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect();
                    if !values.is_empty() && values.len() == any.enumeration.len() {
                        Shape::Def(enum_kind(values))
                    } else {
                        Shape::Ref(match any.typ.as_deref() {
                            Some("string") => {
                                string_type(&openapiv3::VariantOrUnknownOrEmpty::Empty)
                            }
                            Some("integer") => TypeRef::Integer,
                            Some("number") => TypeRef::F64,
                            Some("boolean") => TypeRef::Bool,
                            _ => TypeRef::Any,
                        })
                    }
                }
            }
        }
    }

    /// The format and bounds a schema asks of its value, read through `$ref`s, one-member
    /// `allOf`s (`$ref` siblings) and nullable unions; a union of several shapes gives one
    /// entry per non-null branch.
    fn constraints(&self, schema: &ReferenceOr<Schema>, depth: usize) -> Constraints {
        // Deep enough for every nesting of items and branches; guards against `$ref` loops.
        if depth > 16 {
            return Constraints::default();
        }
        let Some(schema) = self.resolve(schema) else {
            return Constraints::default();
        };
        let boxed = |this: &Self, items: &Option<ReferenceOr<Box<Schema>>>| {
            items
                .as_ref()
                .map(|items| Box::new(this.constraints(&box_to_plain(items), depth + 1)))
                .filter(|c| !c.is_empty())
        };
        let union = |this: &Self, branches: &[ReferenceOr<Schema>]| {
            let mut kept: Vec<Constraints> = branches
                .iter()
                .filter(|branch| !is_null_branch(branch))
                .map(|branch| this.constraints(branch, depth + 1))
                .collect();
            match kept.len() {
                1 => kept.remove(0),
                _ => Constraints {
                    branches: kept,
                    ..Constraints::default()
                },
            }
        };
        // `{type: null}` (normalize's `x-null`): `null` is the only value.
        if schema.schema_data.extensions.get("x-null") == Some(&Value::Bool(true)) {
            return Constraints {
                values: vec![Value::Null],
                ..Constraints::default()
            };
        }
        let keys = schema
            .schema_data
            .extensions
            .get("x-property-names")
            .and_then(|rule| serde_json::from_value::<ReferenceOr<Schema>>(rule.clone()).ok())
            .map(|rule| Box::new(self.constraints(&rule, depth + 1)));
        let mut found = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => Constraints {
                format: format_name(&string.format),
                min_length: string.min_length,
                max_length: string.max_length,
                pattern: string.pattern.clone(),
                values: string
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| Value::from(v.clone()))
                    .collect(),
                ..Constraints::default()
            },
            SchemaKind::Type(Type::Integer(integer)) => Constraints {
                minimum: integer.minimum.map(|n| n as f64),
                maximum: integer.maximum.map(|n| n as f64),
                exclusive_minimum: integer.exclusive_minimum,
                exclusive_maximum: integer.exclusive_maximum,
                values: integer
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| Value::from(*v))
                    .collect(),
                ..Constraints::default()
            },
            SchemaKind::Type(Type::Number(number)) => Constraints {
                minimum: number.minimum,
                maximum: number.maximum,
                exclusive_minimum: number.exclusive_minimum,
                exclusive_maximum: number.exclusive_maximum,
                values: number
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| Value::from(*v))
                    .collect(),
                ..Constraints::default()
            },
            SchemaKind::Type(Type::Boolean(boolean)) => Constraints {
                values: boolean
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| Value::from(*v))
                    .collect(),
                ..Constraints::default()
            },
            SchemaKind::Type(Type::Array(array)) => Constraints {
                min_items: array.min_items,
                max_items: array.max_items,
                items: boxed(self, &array.items),
                ..Constraints::default()
            },
            SchemaKind::Type(Type::Object(object)) => Constraints {
                min_properties: object.min_properties,
                ..Constraints::default()
            },
            SchemaKind::Not { .. } => Constraints::default(),
            SchemaKind::OneOf { one_of } => union(self, one_of),
            SchemaKind::AnyOf { any_of } => union(self, any_of),
            // `$ref` siblings and intersections: what every member asks.
            SchemaKind::AllOf { all_of } => all_of
                .iter()
                .map(|member| self.constraints(member, depth + 1))
                .fold(Constraints::default(), Constraints::and),
            SchemaKind::Any(any) if !any.one_of.is_empty() => union(self, &any.one_of),
            SchemaKind::Any(any) if !any.any_of.is_empty() => union(self, &any.any_of),
            SchemaKind::Any(any) => Constraints {
                format: any.format.clone(),
                min_length: any.min_length,
                max_length: any.max_length,
                pattern: any.pattern.clone(),
                minimum: any.minimum,
                maximum: any.maximum,
                exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
                exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
                min_items: any.min_items,
                max_items: any.max_items,
                min_properties: any.min_properties,
                values: any.enumeration.clone(),
                items: boxed(self, &any.items),
                keys: None,
                branches: Vec::new(),
            }
            // `$ref` siblings that are constraints (`maxLength` next to a `$ref`) make an
            // `allOf` with facts of its own: both apply.
            .and(
                any.all_of
                    .iter()
                    .map(|member| self.constraints(member, depth + 1))
                    .fold(Constraints::default(), Constraints::and),
            ),
        };
        if found.keys.is_none() {
            found.keys = keys;
        }
        found
    }

    fn tuple(&mut self, prefix: &Value, hint: &str, pointer: &str) -> TypeRef {
        let Value::Array(items) = prefix else {
            self.diag(
                pointer,
                "`prefixItems` is not an array; typed as any JSON value",
            );
            return TypeRef::Any;
        };
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let at = format!("{pointer}/prefixItems/{index}");
            match serde_json::from_value::<ReferenceOr<Schema>>(item.clone()) {
                Ok(schema) => out.push(self.lower(&schema, &format!("{hint}{index}"), &at)),
                Err(error) => {
                    self.diag(
                        &at,
                        format!("tuple item is not a schema ({error}); typed as any JSON value"),
                    );
                    out.push(TypeRef::Any);
                }
            }
        }
        TypeRef::Tuple(out)
    }

    fn object_shape(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> Shape {
        if properties.is_empty() {
            let value = match additional {
                Some(AdditionalProperties::Schema(schema)) => self.lower(
                    schema,
                    &format!("{hint}Value"),
                    &format!("{pointer}/additionalProperties"),
                ),
                _ => TypeRef::Any,
            };
            return Shape::Ref(TypeRef::Map(Box::new(value)));
        }
        let mut fields = Vec::with_capacity(properties.len());
        for (name, property) in properties {
            let property = box_to_plain(property);
            let at = format!("{pointer}/properties/{}", escape_pointer_token(name));
            let mut ty = self.lower(&property, &format!("{hint}{}", type_name(name)), &at);
            let mut is_nullable = false;
            if let TypeRef::Nullable(inner) = ty {
                ty = *inner;
                is_nullable = true;
            }
            let is_required = required.contains(name);
            fields.push(Field {
                wire_name: name.clone(),
                rust_name: field_name(name),
                codec: FieldCodec::of(&ty, is_required, is_nullable),
                ty,
                required: is_required,
                nullable: is_nullable,
                doc: with_key_rule(description(&property), &property),
                constraints: self.constraints(&property, 0),
            });
        }
        let mut names: Vec<String> = fields.iter().map(|f| f.rust_name.clone()).collect();
        dedupe(&mut names, &["unknown_fields"]);
        for (field, name) in fields.iter_mut().zip(names) {
            field.rust_name = name;
        }
        Shape::Def(TypeKind::Struct { fields })
    }

    fn union_shape(
        &mut self,
        branches: &[ReferenceOr<Schema>],
        data: &openapiv3::SchemaData,
        hint: &str,
        pointer: &str,
        keyword: &str,
    ) -> Shape {
        // Null branches (kept by normalize for pointer stability) only make the schema nullable.
        let branches: Vec<(usize, &ReferenceOr<Schema>)> = branches
            .iter()
            .enumerate()
            .filter(|(_, branch)| !is_null_branch(branch))
            .collect();
        if let Some(discriminator) = &data.discriminator {
            return self.tagged_shape(&branches, discriminator, pointer, keyword);
        }
        match branches.as_slice() {
            [] => return Shape::Ref(TypeRef::Any),
            [(index, branch)] => {
                return self.shape(branch, hint, &format!("{pointer}/{keyword}/{index}"))
            }
            _ => {}
        }
        let mut lowered: Vec<TypeRef> = Vec::with_capacity(branches.len());
        for (position, &(index, branch)) in branches.iter().enumerate() {
            let at = format!("{pointer}/{keyword}/{index}");
            let ty = self.lower(branch, &format!("{hint}{}", position + 1), &at);
            if !lowered.contains(&ty) {
                lowered.push(ty);
            }
        }
        // `anyOf: [T, array of T]`: the one-or-many filter shape.
        if let [one, TypeRef::Array(many)] | [TypeRef::Array(many), one] = lowered.as_slice() {
            if **many == *one {
                return Shape::Ref(TypeRef::OneOrMany(Box::new(one.clone())));
            }
        }
        if lowered.len() == 1 {
            return Shape::Ref(lowered.remove(0));
        }
        let mut names: Vec<String> = lowered.iter().map(variant_name).collect();
        if lowered.iter().all(|ty| matches!(ty, TypeRef::Named(_))) {
            names = strip_common_affixes(&names);
        }
        dedupe(&mut names, &["Unknown"]);
        Shape::Def(TypeKind::Untagged {
            variants: names
                .into_iter()
                .zip(lowered)
                .map(|(name, ty)| UntaggedVariant { name, ty })
                .collect(),
        })
    }

    fn tagged_shape(
        &mut self,
        branches: &[(usize, &ReferenceOr<Schema>)],
        discriminator: &openapiv3::Discriminator,
        pointer: &str,
        keyword: &str,
    ) -> Shape {
        let tag = discriminator.property_name.clone();
        let mut targets: Vec<(String, TypeRef, Vec<String>)> = Vec::new();
        let mut defaults: Vec<TagDefault> = Vec::new();
        for &(index, branch) in branches {
            let at = format!("{pointer}/{keyword}/{index}");
            let ReferenceOr::Reference { reference } = branch else {
                self.diag(
                    &at,
                    "inline branch of a discriminated union: it can never be selected by a tag",
                );
                continue;
            };
            let ty = self.reference(reference, &at);
            let TypeRef::Named(name) = &ty else { continue };
            let component = reference.trim_start_matches(SCHEMA_PREFIX);
            let mut tags: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| target.as_str() == reference || target.as_str() == component)
                .map(|(value, _)| value.clone())
                .collect();
            if tags.is_empty() {
                tags.push(
                    self.implicit_tag(branch, &tag)
                        .unwrap_or_else(|| component.to_owned()),
                );
            }
            if let Some(default) = self.tag_default(branch, &tag) {
                if tags.contains(&default.tag) {
                    defaults.push(default);
                }
            }
            targets.push((name.clone(), ty, tags));
        }
        // The most demanding variant whose required properties are all there wins.
        defaults.sort_by_key(|d| std::cmp::Reverse(d.required.len()));
        for (value, target) in &discriminator.mapping {
            let component = target.trim_start_matches(SCHEMA_PREFIX);
            if !targets.iter().any(|(_, _, tags)| tags.contains(value)) {
                self.diag(
                    &format!("{pointer}/discriminator/mapping/{}", escape_pointer_token(value)),
                    format!("mapping target `{component}` is not one of the {keyword} branches; tag ignored"),
                );
            }
        }
        let names: Vec<String> = targets.iter().map(|(name, _, _)| name.clone()).collect();
        let mut names = strip_common_affixes(&names);
        dedupe(&mut names, &["Unknown"]);
        Shape::Def(TypeKind::Tagged {
            tag,
            variants: names
                .into_iter()
                .zip(targets)
                .map(|(name, (_, ty, tags))| TaggedVariant { name, ty, tags })
                .collect(),
            defaults,
        })
    }

    /// A branch whose schema gives the tag property a string default and does not require it.
    fn tag_default(&self, branch: &ReferenceOr<Schema>, tag: &str) -> Option<TagDefault> {
        let schema = self.resolve(branch)?;
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            return None;
        };
        if object.required.iter().any(|r| r == tag) {
            return None;
        }
        let property = box_to_plain(object.properties.get(tag)?);
        let property = self.resolve(&property)?;
        let default = property.schema_data.default.as_ref()?.as_str()?.to_owned();
        Some(TagDefault {
            tag: default,
            required: object.required.clone(),
        })
    }

    /// Without a mapping entry, a branch whose tag property is a one-value enum (`const`)
    /// is selected by that value.
    fn implicit_tag(&self, branch: &ReferenceOr<Schema>, tag: &str) -> Option<String> {
        let schema = self.resolve(branch)?;
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            return None;
        };
        let property = box_to_plain(object.properties.get(tag)?);
        let property = self.resolve(&property)?;
        match &property.schema_kind {
            SchemaKind::Type(Type::String(string)) if string.enumeration.len() == 1 => {
                string.enumeration[0].clone()
            }
            _ => None,
        }
    }

    fn lower_operation(
        &mut self,
        document: &Document,
        path: &str,
        method: &str,
        item: &'a openapiv3::PathItem,
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Result<Operation, Error> {
        let Some(id) = operation.operation_id.clone() else {
            return Err(Error::Spec {
                path: document.path.clone(),
                pointer: pointer.to_owned(),
                message: "operation has no operationId; polar-sdk groups operations into \
                          resources by `resource:verb` ids"
                    .into(),
            });
        };
        let (resource, group, verb) = match split_operation_id(&id) {
            Some(parts) => parts,
            None => {
                self.diag(
                    &format!("{pointer}/operationId"),
                    format!("operationId `{id}` is not `resource:verb`; grouped by its first tag"),
                );
                let resource = module_name(operation.tags.first().map_or("", String::as_str));
                (resource, Vec::new(), field_name(&id))
            }
        };
        let operation_hint = format!(
            "{}{}{}",
            type_name(&resource),
            group.iter().map(|g| type_name(g)).collect::<String>(),
            type_name(&verb)
        );

        // Path-level parameters apply unless the operation overrides them (same name + place).
        let mut raw: Vec<(String, &ReferenceOr<OaParameter>)> = Vec::new();
        for (index, parameter) in operation.parameters.iter().enumerate() {
            raw.push((format!("{pointer}/parameters/{index}"), parameter));
        }
        let path_pointer = pointer
            .rsplit_once('/')
            .map_or("", |(head, _)| head)
            .to_owned();
        for (index, parameter) in item.parameters.iter().enumerate() {
            raw.push((format!("{path_pointer}/parameters/{index}"), parameter));
        }
        let mut parameters: Vec<Parameter> = Vec::new();
        for (at, parameter) in raw {
            let Some(parameter) = self.resolve_parameter(parameter, &at) else {
                continue;
            };
            let lowered = self.lower_parameter(parameter, &at);
            if !parameters
                .iter()
                .any(|p| p.name == lowered.name && p.location == lowered.location)
            {
                parameters.push(lowered);
            }
        }
        let placeholders = placeholders(path);
        for placeholder in &placeholders {
            if !parameters
                .iter()
                .any(|p| p.location == ParamLocation::Path && &p.name == placeholder)
            {
                self.diag(
                    pointer,
                    format!("path placeholder `{{{placeholder}}}` has no path parameter"),
                );
            }
        }
        parameters.sort_by_key(|p| match p.location {
            ParamLocation::Path => placeholders.iter().position(|n| *n == p.name).unwrap_or(0),
            _ => usize::MAX,
        });
        let mut names: Vec<String> = parameters.iter().map(|p| p.rust_name.clone()).collect();
        dedupe(&mut names, super::BUILDER_MEMBERS);
        for (parameter, name) in parameters.iter_mut().zip(names) {
            parameter.rust_name = name;
        }

        let request_body = match &operation.request_body {
            None => None,
            Some(body) => {
                let at = format!("{pointer}/requestBody");
                let body = match body {
                    ReferenceOr::Item(body) => Some(body),
                    ReferenceOr::Reference { reference } => self
                        .openapi
                        .components
                        .as_ref()
                        .and_then(|c| {
                            c.request_bodies
                                .get(reference.rsplit('/').next().unwrap_or(""))
                        })
                        .and_then(|b| b.as_item()),
                };
                body.and_then(|body| {
                    let required = body.required;
                    self.lower_content(&body.content, &format!("{operation_hint}Body"), &at)
                        .map(|mut b| {
                            b.required = required;
                            b
                        })
                })
            }
        };

        let mut responses = Vec::new();
        let mut entries: Vec<(String, &ReferenceOr<openapiv3::Response>)> = operation
            .responses
            .responses
            .iter()
            .map(|(status, response)| {
                let status = match status {
                    StatusCode::Code(code) => code.to_string(),
                    StatusCode::Range(range) => format!("{range}XX"),
                };
                (status, response)
            })
            .collect();
        if let Some(default) = &operation.responses.default {
            entries.push(("default".into(), default));
        }
        for (status, response) in entries {
            let at = format!("{pointer}/responses/{status}");
            let response = match response {
                ReferenceOr::Item(response) => response,
                ReferenceOr::Reference { reference } => {
                    match self
                        .openapi
                        .components
                        .as_ref()
                        .and_then(|c| c.responses.get(reference.rsplit('/').next().unwrap_or("")))
                        .and_then(|r| r.as_item())
                    {
                        Some(response) => response,
                        None => {
                            self.diag(&at, format!("response $ref `{reference}` is not a components response; skipped"));
                            continue;
                        }
                    }
                }
            };
            let hint = if status.starts_with('2') {
                format!("{operation_hint}Response")
            } else {
                format!("{operation_hint}Response{}", type_name(&status))
            };
            let body = self.lower_content(&response.content, &hint, &at);
            responses.push(Response {
                status,
                description: response.description.clone(),
                body,
            });
        }

        let security = operation
            .security
            .as_ref()
            .or(self.openapi.security.as_ref());
        let mut scopes: Vec<String> = Vec::new();
        let mut auth: Vec<AuthKind> = Vec::new();
        for requirement in security.into_iter().flatten() {
            for (scheme, requested) in requirement {
                let kind = AuthKind::of_scheme(scheme);
                if !auth.contains(&kind) {
                    auth.push(kind);
                }
                for scope in requested {
                    if !scopes.contains(scope) {
                        scopes.push(scope.clone());
                    }
                }
            }
        }
        let success = self.success(&responses, pointer);
        let errors = self.error_cases(&responses, pointer);

        let mut lowered = Operation {
            id,
            resource,
            group,
            verb,
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            summary: operation.summary.clone(),
            description: operation.description.as_deref().and_then(strip_scopes_line),
            deprecated: operation.deprecated,
            scopes,
            auth,
            parameters,
            request_body,
            responses,
            success,
            errors,
            pagination: None,
            pointer: pointer.to_owned(),
        };
        lowered.pagination = self.pagination(operation, &lowered);
        Ok(lowered)
    }

    /// What a success returns: a JSON body (or that or `202` without one), other content as
    /// bytes, or nothing.
    fn success(&mut self, responses: &[Response], pointer: &str) -> Success {
        let successes: Vec<&Response> = responses
            .iter()
            .filter(|r| r.status.starts_with('2'))
            .collect();
        let json = successes
            .iter()
            .find_map(|r| r.body.as_ref()?.ty.clone().filter(|_| r.status != "202"));
        let json = json.or_else(|| successes.iter().find_map(|r| r.body.as_ref()?.ty.clone()));
        let bare_202 = successes
            .iter()
            .any(|r| r.status == "202" && r.body.is_none());
        match json {
            Some(ty) if bare_202 => Success::MaybeReady(ty),
            Some(ty) => Success::Json(ty),
            None => match successes.iter().find_map(|r| r.body.as_ref()) {
                Some(body) => {
                    if body.content_type.contains("json") {
                        self.diag(
                            pointer,
                            "a JSON success response without a schema; returned as bytes",
                        );
                    }
                    Success::Bytes {
                        media_type: body.content_type.clone(),
                    }
                }
                None => Success::Empty,
            },
        }
    }

    /// The documented error bodies: a named type, or each named member of a union.
    fn error_cases(&mut self, responses: &[Response], pointer: &str) -> Vec<ErrorCase> {
        let mut cases = Vec::new();
        for response in responses {
            let Some(ty) = response.body.as_ref().and_then(|b| b.ty.as_ref()) else {
                continue;
            };
            // A status range (`4XX`) or `default` names no one status to decode by: its body
            // arrives as `Error::Api`, as the generated docs say. Nothing is lost, so no
            // diagnostic (one would keep the operation from being generated).
            let Ok(status) = response.status.parse::<u16>() else {
                continue;
            };
            if (200..300).contains(&status) {
                continue;
            }
            let mut schemas: Vec<String> = Vec::new();
            if let TypeRef::Named(name) = ty {
                match self.types.get(name).map(|d| &d.kind) {
                    Some(TypeKind::Untagged { variants }) => {
                        for variant in variants {
                            if let TypeRef::Named(member) = &variant.ty {
                                schemas.push(member.clone());
                            }
                        }
                    }
                    Some(TypeKind::Tagged { variants, .. }) => {
                        for variant in variants {
                            if let TypeRef::Named(member) = &variant.ty {
                                schemas.push(member.clone());
                            }
                        }
                    }
                    _ => schemas.push(name.clone()),
                }
            }
            if schemas.is_empty() {
                self.diag(
                    &format!("{pointer}/responses/{status}"),
                    "an error body that is not a named schema is not typed; it arrives as Error::Api",
                );
            }
            for schema in schemas {
                cases.push(ErrorCase { status, schema });
            }
        }
        cases
    }

    fn resolve_parameter(
        &mut self,
        parameter: &'a ReferenceOr<OaParameter>,
        at: &str,
    ) -> Option<&'a OaParameter> {
        match parameter {
            ReferenceOr::Item(parameter) => Some(parameter),
            ReferenceOr::Reference { reference } => {
                let openapi: &'a OpenAPI = self.openapi;
                let found = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| openapi.components.as_ref()?.parameters.get(name))
                    .and_then(|p| p.as_item());
                if found.is_none() {
                    self.diag(
                        at,
                        format!(
                            "parameter $ref `{reference}` is not a components parameter; skipped"
                        ),
                    );
                }
                found
            }
        }
    }

    fn lower_parameter(&mut self, parameter: &OaParameter, at: &str) -> Parameter {
        let data = parameter.parameter_data_ref();
        let (location, style, default_explode) = match parameter {
            OaParameter::Query { style, .. } => (
                ParamLocation::Query,
                match style {
                    openapiv3::QueryStyle::Form => ParamStyle::Form,
                    openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                    openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                    openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
                },
                matches!(style, openapiv3::QueryStyle::Form),
            ),
            OaParameter::Path { style, .. } => (
                ParamLocation::Path,
                match style {
                    openapiv3::PathStyle::Simple => ParamStyle::Simple,
                    _ => ParamStyle::Other,
                },
                false,
            ),
            OaParameter::Header { .. } => (ParamLocation::Header, ParamStyle::Simple, false),
            OaParameter::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Form, true),
        };
        let example = data.example.clone().or_else(|| match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => scalar_example(schema),
            _ => None,
        });
        let constraints = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => self.constraints(schema, 0),
            ParameterSchemaOrContent::Content(_) => Constraints::default(),
        };
        let (ty, default, schema_title) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let default = match schema {
                    ReferenceOr::Item(schema) => schema.schema_data.default.clone(),
                    ReferenceOr::Reference { .. } => None,
                };
                // Inline parameter types are named after the parameter, never after a schema
                // `title`: titles are prose the imported document does not carry, and the
                // parameter name gives one name to the same filter across operations.
                let hint = type_name(&data.name);
                let ty = self.lower(schema, &hint, &format!("{at}/schema"));
                (ty, default, format!("{hint}Filter"))
            }
            ParameterSchemaOrContent::Content(_) => {
                self.diag(
                    at,
                    "parameter with `content` instead of `schema`; typed as a string",
                );
                (TypeRef::String, None, String::new())
            }
        };
        // An unset parameter is not sent, so `null` adds nothing: a nullable type, or an alias
        // of one (`MetadataQuery = object | null`), is taken without it.
        let ty = match ty {
            TypeRef::Nullable(inner) => *inner,
            TypeRef::Named(name) => match self.types.get(&name).map(|d| &d.kind) {
                Some(TypeKind::Alias {
                    ty: TypeRef::Nullable(inner),
                }) => (**inner).clone(),
                _ => TypeRef::Named(name),
            },
            other => other,
        };
        // What a caller sends is bounded by `i64`: no request needs a larger page or count.
        let ty = bounded_integers(ty);
        // A one-or-many filter gets a name of its own so users can see what it accepts.
        let ty = match ty {
            // Several operations share a filter type of one name: its doc states facts (see
            // `facts`), not the words of whichever parameter defined it first.
            TypeRef::OneOrMany(_) => TypeRef::Named(self.define(
                &schema_title,
                None,
                &format!("{at}/schema"),
                TypeOrigin::Filter,
                TypeKind::Alias { ty },
            )),
            other => other,
        };
        Parameter {
            name: data.name.clone(),
            rust_name: field_name(&data.name),
            location,
            required: data.required,
            style,
            explode: data.explode.unwrap_or(default_explode),
            ty,
            doc: data.description.clone(),
            default,
            example,
            constraints,
        }
    }

    fn lower_content(
        &mut self,
        content: &indexmap::IndexMap<String, openapiv3::MediaType>,
        hint: &str,
        at: &str,
    ) -> Option<Body> {
        let (content_type, media) = content
            .iter()
            .find(|(ct, _)| ct.as_str() == "application/json")
            .or_else(|| content.iter().next())?;
        // A form body is an object too, written as `key=value` pairs instead of JSON.
        let typed =
            content_type.contains("json") || content_type == "application/x-www-form-urlencoded";
        let ty = if typed {
            media.schema.as_ref().map(|schema| {
                let pointer = format!("{at}/content/{}/schema", escape_pointer_token(content_type));
                self.lower(schema, hint, &pointer)
            })
        } else {
            None
        };
        Some(Body {
            content_type: content_type.clone(),
            ty,
            required: true,
        })
    }

    /// Page-number pagination as declared by `x-speakeasy-pagination`, checked against the
    /// response type so the generated glue can only read fields that exist.
    fn pagination(
        &mut self,
        operation: &openapiv3::Operation,
        lowered: &Operation,
    ) -> Option<Pagination> {
        let declared = operation.extensions.get("x-speakeasy-pagination")?;
        let at = format!("{}/x-speakeasy-pagination", lowered.pointer);
        let fail = |this: &mut Self, why: &str| {
            this.diag(&at, format!("pagination not generated: {why}"));
            None::<Pagination>
        };
        if declared.get("type").and_then(Value::as_str) != Some("offsetLimit") {
            return fail(self, "only `offsetLimit` pagination is supported");
        }
        let input = |kind: &str| {
            declared
                .get("inputs")?
                .as_array()?
                .iter()
                .find(|i| i.get("type").and_then(Value::as_str) == Some(kind))?
                .get("name")?
                .as_str()
                .map(str::to_owned)
        };
        let Some(page_param) = input("page") else {
            return fail(self, "no `page` input");
        };
        let limit_param = input("limit");
        let output = |key: &str| {
            declared
                .get("outputs")?
                .get(key)?
                .as_str()?
                .strip_prefix("$.")
                .map(|p| p.split('.').map(str::to_owned).collect::<Vec<_>>())
        };
        let (Some(results), Some(num_pages)) = (output("results"), output("numPages")) else {
            return fail(self, "outputs need `results` and `numPages` as `$.` paths");
        };
        let Some(page) = lowered
            .parameters
            .iter()
            .find(|p| p.name == page_param && p.location == ParamLocation::Query)
        else {
            return fail(self, "the page input is not a query parameter");
        };
        let first_page = page.default.as_ref().and_then(Value::as_i64).unwrap_or(1);
        let Some(TypeRef::Named(response_type)) = lowered
            .responses
            .iter()
            .find(|r| r.status.starts_with('2'))
            .and_then(|r| r.body.as_ref())
            .and_then(|b| b.ty.clone())
        else {
            return fail(self, "the success response is not a named type");
        };
        let Some((items_path, items_ty)) = self.field_path(&response_type, &results) else {
            return fail(self, "the results path does not name a required field");
        };
        let TypeRef::Array(item) = items_ty else {
            return fail(self, "the results field is not an array");
        };
        let Some((max_page_path, TypeRef::I64 | TypeRef::I32 | TypeRef::Integer)) =
            self.field_path(&response_type, &num_pages)
        else {
            return fail(
                self,
                "the numPages path does not name a required integer field",
            );
        };
        // Polar's pagination object carries `total_count` beside `max_page`.
        let mut total = num_pages.clone();
        total.pop();
        total.push("total_count".into());
        let Some((total_count_path, TypeRef::I64 | TypeRef::I32 | TypeRef::Integer)) =
            self.field_path(&response_type, &total)
        else {
            return fail(self, "no required integer `total_count` beside numPages");
        };
        Some(Pagination {
            page_param,
            first_page,
            limit_param,
            response_type,
            item: *item,
            items_path,
            max_page_path,
            total_count_path,
        })
    }

    /// Follows wire field names through required, non-null struct fields.
    fn field_path(&self, start: &str, wire_path: &[String]) -> Option<(Vec<String>, TypeRef)> {
        let mut current = TypeRef::Named(start.to_owned());
        let mut rust_path = Vec::new();
        for wire in wire_path {
            let TypeRef::Named(name) = &current else {
                return None;
            };
            let TypeKind::Struct { fields } = &self.types.get(name)?.kind else {
                return None;
            };
            let field = fields.iter().find(|f| &f.wire_name == wire)?;
            if !field.required || field.nullable {
                return None;
            }
            rust_path.push(field.rust_name.clone());
            current = field.ty.clone();
        }
        Some((rust_path, current))
    }
}

/// The Rust type of a schema `integer`: `i32`/`i64` where the format or both bounds say the
/// value fits, else the runtime's exact [`TypeRef::Integer`] (JSON Schema's `integer` has no
/// size limit, and Polar's counts have neither format nor maximum).
fn integer_type(integer: &openapiv3::IntegerType) -> TypeRef {
    use openapiv3::{IntegerFormat, VariantOrUnknownOrEmpty::Item};
    match (&integer.format, integer.minimum, integer.maximum) {
        (Item(IntegerFormat::Int32), _, _) => TypeRef::I32,
        (Item(IntegerFormat::Int64), _, _) => TypeRef::I64,
        (_, Some(_), Some(_)) => TypeRef::I64,
        _ => TypeRef::Integer,
    }
}

/// A parameter's type with every unbounded integer sent as an `i64`.
fn bounded_integers(ty: TypeRef) -> TypeRef {
    let inner = |ty: Box<TypeRef>| Box::new(bounded_integers(*ty));
    match ty {
        TypeRef::Integer => TypeRef::I64,
        TypeRef::Nullable(ty) => TypeRef::Nullable(inner(ty)),
        TypeRef::OneOrMany(ty) => TypeRef::OneOrMany(inner(ty)),
        TypeRef::Array(ty) => TypeRef::Array(inner(ty)),
        TypeRef::Map(ty) => TypeRef::Map(inner(ty)),
        TypeRef::Boxed(ty) => TypeRef::Boxed(inner(ty)),
        TypeRef::Tuple(items) => TypeRef::Tuple(items.into_iter().map(bounded_integers).collect()),
        other => other,
    }
}

/// A `{"type": "null"}` branch, as normalize leaves it (`x-null`).
fn is_null_branch(branch: &ReferenceOr<Schema>) -> bool {
    matches!(branch, ReferenceOr::Item(schema)
        if schema.schema_data.extensions.get("x-null") == Some(&Value::Bool(true)))
}

fn box_to_plain(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
    }
}

fn description(schema: &ReferenceOr<Schema>) -> Option<String> {
    match schema {
        ReferenceOr::Item(schema) => schema
            .schema_data
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
        ReferenceOr::Reference { .. } => None,
    }
}

/// `doc` followed by the rule a map's keys follow (`propertyNames`, kept by normalize as
/// `x-property-names`), in words: the rule is not enforced by the types, so the docs say it.
fn with_key_rule(doc: Option<String>, schema: &ReferenceOr<Schema>) -> Option<String> {
    let ReferenceOr::Item(schema) = schema else {
        return doc;
    };
    // The map may sit in a branch of a nullable `anyOf`/`oneOf`.
    let branches: &[ReferenceOr<Schema>] = match &schema.schema_kind {
        SchemaKind::AnyOf { any_of } => any_of,
        SchemaKind::OneOf { one_of } => one_of,
        _ => &[],
    };
    let rule = std::iter::once(schema)
        .chain(branches.iter().filter_map(|branch| match branch {
            ReferenceOr::Item(branch) => Some(branch),
            ReferenceOr::Reference { .. } => None,
        }))
        .find_map(|s| s.schema_data.extensions.get("x-property-names"));
    let Some(rule) = rule.and_then(key_rule_text) else {
        return doc;
    };
    Some(match doc {
        Some(doc) => format!("{doc}\n\n{rule}"),
        None => rule,
    })
}

/// A `propertyNames` schema in words, e.g. "Keys are 1 to 40 characters long.".
fn key_rule_text(rule: &Value) -> Option<String> {
    if let Some(reference) = rule.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return Some(format!("Keys are `{}` values.", type_name(name)));
    }
    let mut parts = Vec::new();
    if let Some(format) = rule.get("format").and_then(Value::as_str) {
        parts.push(match format {
            "uuid" | "uuid4" => "UUIDs".to_owned(),
            other => format!("`{other}` strings"),
        });
    }
    let (min, max) = (
        rule.get("minLength").and_then(Value::as_u64),
        rule.get("maxLength").and_then(Value::as_u64),
    );
    match (min, max) {
        (Some(min), Some(max)) => parts.push(format!("{min} to {max} characters long")),
        (None, Some(max)) => parts.push(format!("at most {max} characters long")),
        (Some(min), None) => parts.push(format!("at least {min} characters long")),
        (None, None) => {}
    }
    if let Some(pattern) = rule.get("pattern").and_then(Value::as_str) {
        parts.push(format!("matching `{pattern}`"));
    }
    if let Some(values) = rule.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        parts.push(format!("one of {}", values.join(", ")));
    }
    (!parts.is_empty()).then(|| format!("Keys are {}.", parts.join(", ")))
}

fn nullable(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Nullable(_) | TypeRef::Any => ty,
        other => TypeRef::Nullable(Box::new(other)),
    }
}

/// The name of a string format as the document writes it.
fn format_name(
    format: &openapiv3::VariantOrUnknownOrEmpty<openapiv3::StringFormat>,
) -> Option<String> {
    use openapiv3::{StringFormat, VariantOrUnknownOrEmpty as F};
    match format {
        F::Item(StringFormat::Date) => Some("date".to_owned()),
        F::Item(StringFormat::DateTime) => Some("date-time".to_owned()),
        F::Item(StringFormat::Password) => Some("password".to_owned()),
        F::Item(StringFormat::Byte) => Some("byte".to_owned()),
        F::Item(StringFormat::Binary) => Some("binary".to_owned()),
        F::Unknown(other) => Some(other.clone()),
        F::Empty => None,
    }
}

fn string_type(format: &openapiv3::VariantOrUnknownOrEmpty<openapiv3::StringFormat>) -> TypeRef {
    use openapiv3::{StringFormat, VariantOrUnknownOrEmpty as F};
    match format {
        F::Item(StringFormat::DateTime) => TypeRef::DateTime,
        F::Item(StringFormat::Date) => TypeRef::Date,
        F::Unknown(format) if format == "uuid" || format == "uuid4" => TypeRef::Uuid,
        _ => TypeRef::String,
    }
}

fn enum_kind(values: Vec<String>) -> TypeKind {
    let mut variants: Vec<String> = values.iter().map(|v| enum_variant(v)).collect();
    dedupe(&mut variants, &["Unknown"]);
    TypeKind::Enum {
        values: values
            .into_iter()
            .zip(variants)
            .map(|(wire, variant)| EnumValue { wire, variant })
            .collect(),
    }
}

fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".into(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::Integer => "Integer".into(),
        TypeRef::F64 => "Number".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Any => "Any".into(),
        TypeRef::Map(_) => "Object".into(),
        TypeRef::Array(_) => "Array".into(),
        TypeRef::Tuple(_) => "Tuple".into(),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => variant_name(inner),
        TypeRef::OneOrMany(_) => "OneOrMany".into(),
    }
}

fn placeholders(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + end].to_owned());
        rest = &rest[start + end + 1..];
    }
    out
}

/// Polar appends `**Scopes**: `a` `b`` to descriptions; scopes are a field of their own.
fn strip_scopes_line(description: &str) -> Option<String> {
    let kept: Vec<&str> = description
        .lines()
        .filter(|line| !line.trim_start().starts_with("**Scopes**"))
        .collect();
    let text = kept.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The first scalar example in a schema or its union branches (`anyOf: [{examples: [..]}, ..]`).
fn scalar_example(schema: &Schema) -> Option<Value> {
    if let Some(example) = &schema.schema_data.example {
        if !example.is_array() && !example.is_object() {
            return Some(example.clone());
        }
    }
    let branches = match &schema.schema_kind {
        SchemaKind::AnyOf { any_of } => any_of,
        SchemaKind::OneOf { one_of } => one_of,
        _ => return None,
    };
    branches.iter().find_map(|branch| match branch {
        ReferenceOr::Item(branch) => scalar_example(branch),
        ReferenceOr::Reference { .. } => None,
    })
}
