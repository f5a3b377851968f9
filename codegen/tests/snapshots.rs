//! Snapshot tests: one small fixture per construct (see `fixtures/README.md`), generated end
//! to end and compared with the committed snapshot. With `CI=true` a changed snapshot fails.

use std::path::{Path, PathBuf};

use codegen::{load, normalize, Config};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Generates every resource and every component schema of a fixture; returns all files.
fn generate_all(name: &str) -> String {
    let document = load::load_file(&fixture(name)).unwrap();
    let normalized = normalize::normalize(&document).unwrap();
    let api = codegen::ir::lower(&document, &normalized).unwrap();
    let config = Config {
        resources: api.resources().into_iter().map(str::to_owned).collect(),
        runtime_types: document.root["components"]["schemas"]
            .as_object()
            .map(|schemas| schemas.keys().cloned().collect())
            .unwrap_or_default(),
        ..Config::default()
    };
    let generation = codegen::generate_document(&document, &config).unwrap();
    let mut out = String::new();
    for file in &generation.files {
        out.push_str(&format!("// ===== {} =====\n", file.name));
        out.push_str(&file.contents);
    }
    out
}

macro_rules! construct {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(stringify!($test), generate_all($file));
        }
    };
}

construct!(
    nullable_required_and_optional_fields,
    "nullable_optional.yaml"
);
construct!(open_string_enum, "open_enum.yaml");
construct!(
    one_of_with_discriminator_and_const_tags,
    "tagged_union.yaml"
);
construct!(many_tags_to_one_schema, "many_tags_one_schema.yaml");
construct!(recursive_type, "recursive.yaml");
construct!(untagged_union, "untagged_union.yaml");
construct!(one_or_many_query_filter, "one_or_many_filter.yaml");
construct!(sort_enum_with_descending_values, "sort_enum.yaml");
construct!(prefix_items_tuple, "tuple.yaml");
construct!(ref_with_sibling_description, "ref_sibling_description.yaml");
construct!(page_number_pagination, "pagination.yaml");
construct!(map_key_rules_in_the_docs, "key_rules.yaml");
construct!(number_types_and_tag_defaults, "numbers.yaml");
construct!(
    nullable_inline_types_and_name_collisions,
    "nullable_inline.yaml"
);
construct!(aliases_of_themselves, "alias_cycles.yaml");
construct!(schemas_named_like_prelude_types, "std_names.yaml");
construct!(resources_named_like_runtime_items, "resource_names.yaml");
construct!(request_body_types, "request_bodies.yaml");
construct!(conformance_sample_values, "sample_values.yaml");
construct!(webhook_events, "webhooks.yaml");

/// A schema that is only a `$ref` to itself (directly or through another) has no finite
/// type: generating it fails, naming the pointer of the schema the selection reaches and
/// the whole cycle.
#[test]
fn a_reference_cycle_is_refused_with_its_pointers() {
    let document = load::load_file(&fixture("self_reference.yaml")).unwrap();
    let config = Config {
        resources: vec!["loops".into()],
        runtime_types: vec![],
        ..Config::default()
    };
    let error = codegen::generate_document(&document, &config).unwrap_err();
    let codegen::Error::Unsupported { diagnostics, .. } = &error else {
        panic!("{error}");
    };
    let pointers: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        ["/components/schemas/ChainA", "/components/schemas/Loop"],
        "{error}"
    );
    assert!(
        error.to_string().contains("(ChainA → ChainB → ChainA)"),
        "{error}"
    );
    assert!(error.to_string().contains("(Loop → Loop)"), "{error}");
}

#[test]
fn normalize_stage() {
    let document = load::load_file(&fixture("normalize_31.yaml")).unwrap();
    let normalized = normalize::normalize(&document).unwrap();
    let mut out = serde_json::to_string_pretty(&normalized.json).unwrap();
    out.push_str("\n\n// diagnostics\n");
    for diagnostic in &normalized.diagnostics {
        out.push_str(&format!("{diagnostic}\n"));
    }
    insta::assert_snapshot!("normalize_stage", out);
}

#[test]
fn normalize_stage_model_round_trip() {
    // What the openapiv3 model kept: the 3.1 constructs must survive parsing into it.
    let document = load::load_file(&fixture("normalize_31.yaml")).unwrap();
    let normalized = normalize::normalize(&document).unwrap();
    let model = serde_json::to_value(&normalized.openapi).unwrap();
    let thing = &model["components"]["schemas"]["Thing"]["properties"];
    assert_eq!(thing["kind"]["enum"], serde_json::json!(["thing"]));
    assert_eq!(thing["kind"]["x-const"], true);
    assert_eq!(thing["owner"]["description"], "Sibling of a $ref.");
    assert_eq!(thing["maybe_owner"]["nullable"], true);
    assert_eq!(thing["code"]["maximum"], 2147483647);
    assert_eq!(
        thing["pair"]["x-prefix-items"][1]["enum"],
        serde_json::json!([1])
    );
    assert_eq!(thing["pair"]["x-examples"][1], serde_json::json!(["b", 1]));
    let page = &model["paths"]["/things"]["get"]["parameters"][0]["schema"];
    assert_eq!(page["minimum"], 0);
    assert_eq!(page["exclusiveMinimum"], true);
    assert_eq!(page["maximum"], 100);
    assert_eq!(page["exclusiveMaximum"], true);
}

#[test]
fn generation_is_byte_identical_on_rerun() {
    for name in ["tagged_union.yaml", "pagination.yaml", "recursive.yaml"] {
        assert_eq!(generate_all(name), generate_all(name), "{name}");
    }
}

#[test]
fn diagnostics_point_into_the_original_document() {
    // A lossy construct behind a null branch, and a `$ref` with siblings that names something
    // other than a component: normalize rewrites both, yet the pointers must resolve in the
    // document as written.
    let text = r##"{
      "openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {},
      "components": {"schemas": {"A": {"type": "object", "properties": {
        "x": {"anyOf": [{"type": "null"}, {"not": {"type": "string"}}]},
        "y": {"$ref": "#/components/schemas/A/properties/x", "description": "d"}
      }}}}
    }"##;
    let document = load::load_str(Path::new("inline.json"), text).unwrap();
    let normalized = normalize::normalize(&document).unwrap();
    let api = codegen::ir::lower(&document, &normalized).unwrap();
    let pointers: Vec<&str> = api.diagnostics.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/A/properties/x/anyOf/1",
            "/components/schemas/A/properties/y"
        ]
    );
    for pointer in pointers {
        assert!(document.root.pointer(pointer).is_some(), "{pointer}");
    }
}

construct!(success_response_shapes, "response_shapes.yaml");
construct!(documented_error_tables, "error_tables.yaml");
construct!(nested_resource_groups, "nested_resources.yaml");
construct!(parameter_styles, "parameter_styles.yaml");
construct!(auth_kinds_per_operation, "auth_kinds.yaml");

/// An error body documented for a status range (`4XX`) cannot be told apart by status, so it
/// gets no decoder: it arrives as `Error::Api`, which the docs say, and generation goes on.
#[test]
fn a_status_range_error_body_is_left_to_error_api() {
    let document = load::load_file(&fixture("error_tables.yaml")).unwrap();
    let config = Config {
        resources: vec!["things".into()],
        ..Config::default()
    };
    let generation = codegen::generate_document(&document, &config).unwrap();
    let update = generation
        .api
        .operations
        .iter()
        .find(|op| op.id == "things:update")
        .unwrap();
    let table: Vec<(u16, &str)> = update
        .errors
        .iter()
        .map(|case| (case.status, case.schema.as_str()))
        .collect();
    assert_eq!(
        table,
        [
            (403, "AlreadyArchived"),
            (403, "NotPermitted"),
            (409, "NotPermitted")
        ]
    );
    let things = generation
        .files
        .iter()
        .find(|file| file.name == "src/generated/things.rs")
        .unwrap();
    assert!(
        things
            .contents
            .contains("`4XX` Client Error: [`Error::Api`](crate::Error::Api) (body: `Problem`)"),
        "{}",
        things.contents
    );
}

/// Operation ids whose parts spell the same Rust names (`a:b` beside `a:b:list`, `a:b_list`
/// beside `a:b:list`, `a:b_c:…` beside `a:b:c:…`, a `self` group) still generate a module in
/// which every type is defined once, every handle method once, and every type name is in
/// upper camel case (rustc's rule: no `_` next to a letter but at the ends).
#[test]
fn nested_resource_names_never_clash() {
    let document = load::load_file(&fixture("nested_resources.yaml")).unwrap();
    let normalized = normalize::normalize(&document).unwrap();
    let api = codegen::ir::lower(&document, &normalized).unwrap();
    let config = Config {
        resources: api.resources().into_iter().map(str::to_owned).collect(),
        runtime_types: vec![],
        ..Config::default()
    };
    let generation = codegen::generate_document(&document, &config).unwrap();
    let mut problems = Vec::new();
    for file in &generation.files {
        if !file.name.ends_with(".rs") {
            continue;
        }
        let syntax = syn::parse_file(&file.contents).unwrap();
        let mut types = std::collections::BTreeSet::new();
        let mut methods = std::collections::BTreeSet::new();
        for item in &syntax.items {
            match item {
                syn::Item::Struct(item) => {
                    let name = item.ident.to_string();
                    let trimmed = name.trim_matches('_');
                    let chars: Vec<char> = trimmed.chars().collect();
                    if chars.windows(2).any(|w| {
                        (w[0] == '_' && w[1].is_alphabetic())
                            || (w[1] == '_' && w[0].is_alphabetic())
                    }) {
                        problems.push(format!("{}: `{name}` is not upper camel case", file.name));
                    }
                    if !types.insert(name.clone()) {
                        problems.push(format!("{}: type `{name}` twice", file.name));
                    }
                }
                syn::Item::Impl(item) if item.trait_.is_none() => {
                    let syn::Type::Path(path) = &*item.self_ty else {
                        continue;
                    };
                    let owner = path.path.segments.last().unwrap().ident.to_string();
                    for inner in &item.items {
                        if let syn::ImplItem::Fn(method) = inner {
                            let name = format!("{owner}::{}", method.sig.ident);
                            if !methods.insert(name.clone()) {
                                problems.push(format!("{}: method `{name}` twice", file.name));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The conformance driver's samples meet the formats and bounds of `sample_values.yaml`:
/// required fields only, or every field; ids are uuids, lengths and bounds hold, a `const`
/// and a `$ref` with sibling bounds keep their values, map keys follow their rule.
#[test]
fn conformance_samples_meet_the_fixture_constraints() {
    use codegen::ir::samples::{sample, Fill};
    use codegen::ir::{Constraints, TypeRef};
    let document = load::load_file(&fixture("sample_values.yaml")).unwrap();
    let normalized = normalize::normalize(&document).unwrap();
    let api = codegen::ir::lower(&document, &normalized).unwrap();
    let ty = TypeRef::Named("InvoiceCreate".into());
    let required = sample(&api, &ty, &Constraints::default(), Fill::Required);
    let every = sample(&api, &ty, &Constraints::default(), Fill::Every);

    let id = required["customer_id"].as_str().unwrap();
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
    assert!(required["email"].as_str().unwrap().contains('@'));
    let name = required["name"].as_str().unwrap().chars().count();
    assert!((3..=5).contains(&name), "{required}");
    assert!(required["amount"].as_i64().unwrap() > 0);
    assert_eq!(required["paid"], false);
    // A property that only takes `null` (`{type: null}`) gets it.
    assert_eq!(required["cleared"], serde_json::Value::Null);
    assert_eq!(required["currency"], "usd");
    let lines = required["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l.as_str().unwrap().len() <= 2));
    assert!(required.get("rate").is_none() && required.get("totals").is_none());

    let rate = every["rate"].as_f64().unwrap();
    assert!((0.5..=0.9).contains(&rate), "{rate}");
    assert!(every["website"].as_str().unwrap().starts_with("https://"));
    assert_eq!(every["due"], "2026-01-15T12:00:00Z");
    let keys: Vec<&String> = every["totals"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["usd"]);

    let get = api
        .operations
        .iter()
        .find(|op| op.id == "invoices:get")
        .unwrap();
    let code = &get.parameters[0];
    let value = sample(&api, &code.ty, &code.constraints, Fill::Required);
    assert_eq!(value, "INV-0000");
    let create = api
        .operations
        .iter()
        .find(|op| op.id == "invoices:create")
        .unwrap();
    let limit = create
        .parameters
        .iter()
        .find(|p| p.name == "limit")
        .unwrap();
    assert_eq!(sample(&api, &limit.ty, &limit.constraints, Fill::Every), 1);
    let state = create
        .parameters
        .iter()
        .find(|p| p.name == "state")
        .unwrap();
    assert_eq!(
        sample(&api, &state.ty, &state.constraints, Fill::Every),
        "draft"
    );
}

/// A `$ref` with sibling constraints (`{$ref: Currency, minLength: 3}`, as Polar writes its
/// presentment currencies) is the referenced type, not any JSON value: the siblings only
/// restate what the target allows.
#[test]
fn a_ref_with_sibling_constraints_is_the_referenced_type() {
    use codegen::ir::{TypeKind, TypeRef};
    let document = load::load_file(&fixture("sample_values.yaml")).unwrap();
    let normalized = normalize::normalize(&document).unwrap();
    let api = codegen::ir::lower(&document, &normalized).unwrap();
    let TypeKind::Struct { fields } = &api.types["InvoiceCreate"].kind else {
        panic!("InvoiceCreate is a struct");
    };
    let currency = fields.iter().find(|f| f.wire_name == "currency").unwrap();
    assert_eq!(currency.ty, TypeRef::Named("Currency".into()));
    assert_eq!(currency.constraints.min_length, Some(3));
}

/// A reference page's example passes a field's only allowed value: `paid` is `const: false`,
/// so the example's `InvoiceCreate::new(..)` must not pass `true`, which the API would refuse.
#[test]
fn reference_examples_pass_the_only_value_a_field_allows() {
    let all = generate_all("sample_values.yaml");
    let call = all
        .lines()
        .find(|line| line.contains("InvoiceCreate::new("))
        .expect("the page shows InvoiceCreate::new");
    // The fields in order: customer_id, email, name, amount, paid, cleared, currency, lines.
    let arguments: Vec<&str> = call
        .split("InvoiceCreate::new(")
        .nth(1)
        .unwrap()
        .split(", ")
        .collect();
    assert_eq!(arguments[4], "false", "{call}");
}
