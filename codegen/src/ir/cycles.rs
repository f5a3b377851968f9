//! Breaks recursive types: within a strongly connected component of the type graph (all
//! uses, through `Vec`s and maps too), every use stored inline gets a `Box`. That makes
//! every recursive type finite and keeps recursive enums small; uses through `Vec`/maps are
//! already on the heap and stay unboxed. A type alias cannot be recursive in Rust (E0391), so
//! an alias in a cycle becomes a newtype struct; an alias that is only a `$ref` cycle
//! (`A = A`, `A = B = A`) has no finite type at all and is refused with a diagnostic.

use std::collections::{BTreeMap, BTreeSet};

use super::{TypeDef, TypeKind, TypeRef};
use crate::error::Diagnostic;

/// Makes every recursive type finite; returns a diagnostic per alias with no finite type.
pub fn break_cycles(types: &mut BTreeMap<String, TypeDef>) -> Vec<Diagnostic> {
    let diagnostics = refuse_reference_cycles(types);
    let components = strongly_connected(types);
    let component_of: BTreeMap<String, usize> = components
        .iter()
        .enumerate()
        .flat_map(|(index, members)| members.iter().map(move |m| (m.clone(), index)))
        .collect();
    for (name, def) in types.iter_mut() {
        let Some(&own) = component_of.get(name) else {
            continue;
        };
        if let TypeKind::Alias { ty } = &mut def.kind {
            let ty = std::mem::replace(ty, TypeRef::Any);
            def.kind = TypeKind::Newtype { ty };
        }
        for ty in def.type_refs_mut() {
            box_inline(ty, &|target| component_of.get(target) == Some(&own));
        }
    }
    diagnostics
}

/// Aliases that only name another alias, round in a cycle, describe no value: each becomes
/// any JSON value, with a diagnostic at its pointer. Linear: every alias is walked once.
fn refuse_reference_cycles(types: &mut BTreeMap<String, TypeDef>) -> Vec<Diagnostic> {
    let target = |def: &TypeDef| match &def.kind {
        TypeKind::Alias {
            ty: TypeRef::Named(next),
        } => Some(next.clone()),
        _ => None,
    };
    // 1: on the walk under way, 2: finished.
    let mut state: BTreeMap<String, u8> = BTreeMap::new();
    let mut cycles: Vec<Vec<String>> = Vec::new();
    for start in types.keys() {
        let mut path: Vec<String> = Vec::new();
        let mut current = Some(start.clone());
        while let Some(name) = current {
            match state.get(&name) {
                Some(2) => break,
                Some(_) => {
                    let from = path.iter().position(|n| *n == name).unwrap_or(0);
                    cycles.push(path[from..].to_vec());
                    break;
                }
                None => {}
            }
            state.insert(name.clone(), 1);
            current = types.get(&name).and_then(target);
            path.push(name);
        }
        for name in path {
            state.insert(name, 2);
        }
    }
    let mut diagnostics = Vec::new();
    for cycle in cycles {
        let mut shown = cycle.clone();
        shown.push(cycle[0].clone());
        for name in &cycle {
            if let Some(def) = types.get_mut(name) {
                def.kind = TypeKind::Alias { ty: TypeRef::Any };
                diagnostics.push(Diagnostic {
                    pointer: def.pointer.clone(),
                    message: format!(
                        "`$ref` cycle with no other type ({}): no value has this type; typed as \
                         any JSON value",
                        shown.join(" → ")
                    ),
                });
            }
        }
    }
    diagnostics
}

fn box_inline(ty: &mut TypeRef, same_component: &dyn Fn(&str) -> bool) {
    match ty {
        TypeRef::Named(name) if same_component(name) => {
            let inner = std::mem::replace(ty, TypeRef::Any);
            *ty = TypeRef::Boxed(Box::new(inner));
        }
        TypeRef::Nullable(inner) | TypeRef::OneOrMany(inner) => box_inline(inner, same_component),
        TypeRef::Tuple(items) => items
            .iter_mut()
            .for_each(|item| box_inline(item, same_component)),
        _ => {}
    }
}

/// Tarjan's algorithm over every use; returns only components that contain a cycle.
fn strongly_connected(types: &BTreeMap<String, TypeDef>) -> Vec<BTreeSet<String>> {
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, def) in types {
        let targets = edges.entry(name.as_str()).or_default();
        for ty in def.type_refs() {
            ty.visit_named(&mut |target| {
                if let Some((key, _)) = types.get_key_value(target) {
                    targets.insert(key.as_str());
                }
            });
        }
    }

    struct State<'a> {
        edges: &'a BTreeMap<&'a str, BTreeSet<&'a str>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<BTreeSet<String>>,
    }

    fn visit<'a>(state: &mut State<'a>, node: &'a str) {
        state.index.insert(node, state.next);
        state.low.insert(node, state.next);
        state.next += 1;
        state.stack.push(node);
        state.on_stack.insert(node);
        let targets: Vec<&'a str> = state
            .edges
            .get(node)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        for target in &targets {
            if !state.index.contains_key(target) {
                visit(state, target);
                let low = state.low[node].min(state.low[target]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(target) {
                let low = state.low[node].min(state.index[target]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut members = BTreeSet::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                members.insert(member.to_owned());
                if member == node {
                    break;
                }
            }
            let cyclic = members.len() > 1 || targets.contains(&node);
            if cyclic {
                state.out.push(members);
            }
        }
    }

    let mut state = State {
        edges: &edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for node in edges.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, TypeOrigin, UntaggedVariant};

    fn def(name: &str, kind: TypeKind) -> (String, TypeDef) {
        (
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                doc: None,
                pointer: String::new(),
                origin: TypeOrigin::Model,
                kind,
                input: false,
                same_as: None,
            },
        )
    }

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            wire_name: name.into(),
            rust_name: name.into(),
            ty,
            codec: crate::ir::FieldCodec::Plain,
            required: true,
            nullable: false,
            doc: None,
            constraints: Default::default(),
        }
    }

    #[test]
    fn boxes_the_inline_edge_of_a_cycle_through_a_vec() {
        let named = |n: &str| TypeRef::Named(n.into());
        let mut types: BTreeMap<_, _> = [
            def(
                "Filter",
                TypeKind::Struct {
                    fields: vec![field("clauses", TypeRef::Array(Box::new(named("Item"))))],
                },
            ),
            def(
                "Item",
                TypeKind::Untagged {
                    variants: vec![
                        UntaggedVariant {
                            name: "Clause".into(),
                            ty: named("Clause"),
                        },
                        UntaggedVariant {
                            name: "Filter".into(),
                            ty: named("Filter"),
                        },
                    ],
                },
            ),
            def("Clause", TypeKind::Struct { fields: vec![] }),
        ]
        .into_iter()
        .collect();
        break_cycles(&mut types);
        let TypeKind::Untagged { variants } = &types["Item"].kind else {
            unreachable!()
        };
        assert_eq!(variants[0].ty, named("Clause"));
        assert_eq!(variants[1].ty, TypeRef::Boxed(Box::new(named("Filter"))));
        let TypeKind::Struct { fields } = &types["Filter"].kind else {
            unreachable!()
        };
        assert_eq!(fields[0].ty, TypeRef::Array(Box::new(named("Item"))));
    }

    fn alias(name: &str, ty: TypeRef) -> (String, TypeDef) {
        let (name, mut def) = def(name, TypeKind::Alias { ty });
        def.pointer = format!("/components/schemas/{name}");
        (name, def)
    }

    #[test]
    fn aliases_in_a_cycle_become_newtypes() {
        let named = |n: &str| Box::new(TypeRef::Named(n.into()));
        let mut types: BTreeMap<_, _> = [
            alias("List", TypeRef::Array(named("List"))),
            alias("Ping", TypeRef::Map(named("Pong"))),
            alias("Pong", TypeRef::Map(named("Ping"))),
            alias("Maybe", TypeRef::Nullable(named("Maybe"))),
            alias("Plain", TypeRef::Array(named("List"))),
        ]
        .into_iter()
        .collect();
        assert!(break_cycles(&mut types).is_empty());
        let kind = |name: &str| types[name].kind.clone();
        assert_eq!(
            kind("List"),
            TypeKind::Newtype {
                ty: TypeRef::Array(named("List"))
            }
        );
        assert_eq!(
            kind("Ping"),
            TypeKind::Newtype {
                ty: TypeRef::Map(named("Pong"))
            }
        );
        assert!(matches!(kind("Pong"), TypeKind::Newtype { .. }));
        // Stored inline: boxed, so the newtype is finite.
        assert_eq!(
            kind("Maybe"),
            TypeKind::Newtype {
                ty: TypeRef::Nullable(Box::new(TypeRef::Boxed(named("Maybe"))))
            }
        );
        // Not in a cycle itself: stays an alias.
        assert!(matches!(kind("Plain"), TypeKind::Alias { .. }));
    }

    #[test]
    fn a_reference_cycle_is_refused_at_its_pointers() {
        let named = |n: &str| TypeRef::Named(n.into());
        let mut types: BTreeMap<_, _> = [
            alias("Loop", named("Loop")),
            alias("A", named("B")),
            alias("B", named("A")),
            alias("ToA", named("A")),
        ]
        .into_iter()
        .collect();
        let diagnostics = break_cycles(&mut types);
        let pointers: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/A",
                "/components/schemas/B",
                "/components/schemas/Loop"
            ]
        );
        assert!(
            diagnostics[0].message.contains("A → B → A"),
            "{diagnostics:?}"
        );
        for name in ["Loop", "A", "B"] {
            assert_eq!(types[name].kind, TypeKind::Alias { ty: TypeRef::Any });
        }
        // An alias of a refused type is an alias of any JSON value, not a cycle.
        assert_eq!(types["ToA"].kind, TypeKind::Alias { ty: named("A") });
    }

    #[test]
    fn boxes_direct_self_reference_through_option() {
        let mut types: BTreeMap<_, _> = [def(
            "Node",
            TypeKind::Struct {
                fields: vec![field(
                    "next",
                    TypeRef::Nullable(Box::new(TypeRef::Named("Node".into()))),
                )],
            },
        )]
        .into_iter()
        .collect();
        break_cycles(&mut types);
        let TypeKind::Struct { fields } = &types["Node"].kind else {
            unreachable!()
        };
        assert_eq!(
            fields[0].ty,
            TypeRef::Nullable(Box::new(TypeRef::Boxed(Box::new(TypeRef::Named(
                "Node".into()
            )))))
        );
    }
}
