//! Breaks recursive types: within a strongly connected component of the type graph (all
//! uses, through `Vec`s and maps too), every use stored inline gets a `Box`. That makes
//! every recursive type finite and keeps recursive enums small; uses through `Vec`/maps are
//! already on the heap and stay unboxed.

use std::collections::{BTreeMap, BTreeSet};

use super::{TypeDef, TypeRef};

/// Boxes every inline edge that closes a cycle.
pub fn break_cycles(types: &mut BTreeMap<String, TypeDef>) {
    let components = strongly_connected(types);
    let component_of: BTreeMap<&str, usize> = components
        .iter()
        .enumerate()
        .flat_map(|(index, members)| members.iter().map(move |m| (m.as_str(), index)))
        .collect();
    let component_of: BTreeMap<String, usize> = component_of
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    for (name, def) in types.iter_mut() {
        let Some(&own) = component_of.get(name) else {
            continue;
        };
        for ty in def.type_refs_mut() {
            box_inline(ty, &|target| component_of.get(target) == Some(&own));
        }
    }
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
    use crate::ir::{Field, TypeKind, TypeOrigin, UntaggedVariant};

    fn def(name: &str, kind: TypeKind) -> (String, TypeDef) {
        (
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                doc: None,
                pointer: String::new(),
                origin: TypeOrigin::Model,
                kind,
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
