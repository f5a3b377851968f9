//! Input types: every type a request body or a parameter reaches (through fields, union variants, aliases,
//! arrays, maps and boxes). Users build these, so the emitters give them constructors and
//! setters (structs) and conversions from their variants (unions).

use std::collections::BTreeMap;

use super::{Operation, TypeDef};

/// Sets [`TypeDef::input`] on every type reachable from a request body or a parameter, and
/// clears it on every other type.
pub fn mark_inputs(types: &mut BTreeMap<String, TypeDef>, operations: &[Operation]) {
    let mut queue: Vec<String> = Vec::new();
    for body in operations.iter().filter_map(|op| op.request_body.as_ref()) {
        if let Some(ty) = &body.ty {
            ty.visit_named(&mut |name| queue.push(name.to_owned()));
        }
    }
    for parameter in operations.iter().flat_map(|op| &op.parameters) {
        parameter
            .ty
            .visit_named(&mut |name| queue.push(name.to_owned()));
    }
    for def in types.values_mut() {
        def.input = false;
    }
    while let Some(name) = queue.pop() {
        let Some(def) = types.get_mut(&name) else {
            continue;
        };
        if def.input {
            continue;
        }
        def.input = true;
        for ty in def.type_refs() {
            ty.visit_named(&mut |next| queue.push(next.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::{load, normalize};

    fn inputs(yaml: &str) -> Vec<String> {
        let document = load::load_str(Path::new("inputs.yaml"), yaml).unwrap();
        let normalized = normalize::normalize(&document).unwrap();
        let api = crate::ir::lower(&document, &normalized).unwrap();
        api.types
            .values()
            .filter(|def| def.input)
            .map(|def| def.name.clone())
            .collect()
    }

    #[test]
    fn everything_a_body_reaches_is_input() {
        let yaml = r##"
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /things:
    post:
      operationId: "things:create"
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ThingCreate"}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
  /tokens:
    post:
      operationId: "tokens:create"
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/TokenRequest"}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        shared: {$ref: "#/components/schemas/Shared"}
    ThingCreate:
      type: object
      required: [kind]
      properties:
        kind: {$ref: "#/components/schemas/Kind"}
        tags: {type: array, items: {$ref: "#/components/schemas/Tag"}}
        labels: {type: object, additionalProperties: {$ref: "#/components/schemas/Label"}}
        shared: {anyOf: [{$ref: "#/components/schemas/Shared"}, {type: "null"}]}
        parent: {$ref: "#/components/schemas/Tree"}
    Kind:
      oneOf:
        - {$ref: "#/components/schemas/KindA"}
        - {$ref: "#/components/schemas/KindB"}
    KindA: {type: object, properties: {a: {type: string}}}
    KindB: {type: object, properties: {b: {$ref: "#/components/schemas/Alias"}}}
    Alias: {$ref: "#/components/schemas/Aliased"}
    Aliased: {type: string, enum: [x, y]}
    Tag: {type: string, enum: [t]}
    Label: {type: object, properties: {text: {type: string}}}
    Shared: {type: object, properties: {s: {type: string}}}
    Tree: {type: object, properties: {children: {type: array, items: {$ref: "#/components/schemas/Tree"}}}}
    TokenRequest:
      type: object
      required: [grant_type]
      properties:
        grant_type: {type: string, const: client_credentials}
    Unused: {type: object, properties: {u: {$ref: "#/components/schemas/Shared"}}}
"##;
        assert_eq!(
            inputs(yaml),
            [
                "Aliased",
                "Kind",
                "KindA",
                "KindB",
                "Alias",
                "Label",
                "Shared",
                "Tag",
                "ThingCreate",
                "TokenRequest",
                "TokenRequestGrantType",
                "Tree",
            ]
            .map(str::to_owned)
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
        );
    }
}
