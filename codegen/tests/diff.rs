//! `codegen::diff`: one case per kind of change and per rule of the rule table, each an edit
//! of `fixtures/diff/base.yaml`; the real document against itself; stable JSON and Markdown.

use std::collections::BTreeSet;
use std::path::Path;

use codegen::diff::{self, Class, Report};
use codegen::load::{load_str, Document};
use codegen::Config;

const BASE: &str = include_str!("fixtures/diff/base.yaml");

fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_owned();
    for (find, replace) in edits {
        assert_eq!(
            text.matches(find).count(),
            1,
            "the edit anchor must occur exactly once: {find:?}"
        );
        text = text.replacen(find, replace, 1);
    }
    text
}

fn document(name: &str, text: &str) -> Document {
    load_str(Path::new(name), text).expect("fixture loads")
}

fn config() -> Config {
    Config {
        resources: vec!["items".to_owned()],
        runtime_types: Vec::new(),
        ..Config::default()
    }
}

fn report(old: &[(&str, &str)], new: &[(&str, &str)]) -> Report {
    let old = document("old.yaml", &edit(old));
    let new = document("new.yaml", &edit(new));
    diff::diff_with_rust(&old, &new, &config())
}

/// One expected finding: the old and new edits of the base, the rule, its class, the pointer.
struct Case {
    old: &'static [(&'static str, &'static str)],
    new: &'static [(&'static str, &'static str)],
    rule: &'static str,
    class: Class,
    pointer: &'static str,
}

const fn case(
    old: &'static [(&'static str, &'static str)],
    new: &'static [(&'static str, &'static str)],
    rule: &'static str,
    class: Class,
    pointer: &'static str,
) -> Case {
    Case {
        old,
        new,
        rule,
        class,
        pointer,
    }
}

use Class::{Breaking as B, Compatible as C, MayBreak as M};

const NONE: &[(&str, &str)] = &[];
const GET: &str = "/paths/~1v1~1items~1{id}/get";
const POST: &str = "/paths/~1v1~1items~1/post";

const EXTRA_PARAM: (&str, &str) = (
    "        - name: limit\n",
    "        - name: extra\n          in: query\n          required: true\n          schema:\n            type: string\n        - name: limit\n",
);
const OPTIONAL_PARAM: (&str, &str) = (
    "        - name: limit\n",
    "        - name: extra\n          in: query\n          schema:\n            type: string\n        - name: limit\n",
);
const LIMIT_REQUIRED: (&str, &str) = (
    "        - name: limit\n          in: query\n",
    "        - name: limit\n          in: query\n          required: true\n",
);
const BODY: &str = "      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              $ref: \"#/components/schemas/ItemCreate\"\n";
const NO_BODY: (&str, &str) = (BODY, "");
const OPTIONAL_BODY: (&str, &str) = (
    BODY,
    "      requestBody:\n        required: false\n        content:\n          application/json:\n            schema:\n              $ref: \"#/components/schemas/ItemCreate\"\n",
);
const FORM_BODY: (&str, &str) = (
    "              $ref: \"#/components/schemas/ItemCreate\"\n",
    "              $ref: \"#/components/schemas/ItemCreate\"\n          application/x-www-form-urlencoded:\n            schema:\n              $ref: \"#/components/schemas/ItemCreate\"\n",
);
const TEXT_RESPONSE: (&str, &str) = (
    "description: ok\n          content:\n",
    "description: ok\n          content:\n            text/plain:\n              schema:\n                type: string\n",
);
const ACCEPTED: (&str, &str) = (
    "        \"404\":\n",
    "        \"202\":\n          description: accepted\n        \"404\":\n",
);
const CONFLICT: (&str, &str) = (
    "        \"404\":\n",
    "        \"409\":\n          description: conflict\n        \"404\":\n",
);
const NO_OAT: (&str, &str) = ("        - oat:\n            - items:read\n", "");
const WRITE_SCOPE: (&str, &str) = (
    "        - pat:\n            - items:read\n",
    "        - pat:\n            - items:read\n            - items:write\n",
);
const BASIC_SCHEME: (&str, &str) = (
    "  securitySchemes:\n",
    "  securitySchemes:\n    basic:\n      type: http\n      scheme: basic\n",
);
const EXTRA_SCHEMA: (&str, &str) = (
    "  schemas:\n",
    "  schemas:\n    Extra:\n      type: string\n",
);
const COLOR: (&str, &str) = (
    "        size:\n          type: integer\n",
    "        size:\n          type: integer\n        color:\n          type: string\n",
);
const COLOR_REQUIRED: (&str, &str) = (
    "      required: [name]\n",
    "      required: [name, color]\n",
);
const SIZE_REQUIRED: (&str, &str) = ("      required: [name]\n", "      required: [name, size]\n");
const ITEM_EXTRA: (&str, &str) = (
    "        name:\n          type: string\n        note:\n          anyOf",
    "        name:\n          type: string\n        extra:\n          type: string\n        note:\n          anyOf",
);
const NAME_OPTIONAL: (&str, &str) = (
    "      required: [id, name, kind, shape]\n",
    "      required: [id, kind, shape]\n",
);
const NAME_NULLABLE: (&str, &str) = (
    "        name:\n          type: string\n        note:\n          anyOf",
    "        name:\n          anyOf:\n            - type: string\n            - type: \"null\"\n        note:\n          anyOf",
);
const NOTE_NULLABLE: (&str, &str) = (
    "        note:\n          type: string\n",
    "        note:\n          type: [string, \"null\"]\n",
);
const KIND_HUGE: (&str, &str) = ("enum: [small, large]", "enum: [small, large, huge]");
const INPUT_KIND_SMALL: (&str, &str) = ("enum: [tiny, huge]", "enum: [tiny, huge, small]");
const INPUT_SHAPE_MISSING: (&str, &str) = (
    "    InputShape:\n      oneOf:\n",
    "    InputShape:\n      oneOf:\n        - $ref: \"#/components/schemas/Missing\"\n",
);
const SHAPE_MISSING: (&str, &str) = (
    "    Shape:\n      oneOf:\n",
    "    Shape:\n      oneOf:\n        - $ref: \"#/components/schemas/Missing\"\n",
);
const INPUT_TAG: (&str, &str) = (
    "          c: \"#/components/schemas/Circle\"\n",
    "          c: \"#/components/schemas/Circle\"\n          round: \"#/components/schemas/Circle\"\n",
);
const SHAPE_TAG: (&str, &str) = (
    "          circle: \"#/components/schemas/Circle\"\n",
    "          circle: \"#/components/schemas/Circle\"\n          ring: \"#/components/schemas/Circle\"\n",
);
const COUNT_MIN_GONE: (&str, &str) = (
    "        count:\n          type: integer\n          minimum: 0\n",
    "        count:\n          type: integer\n",
);
const KIND_TAG_ENUM: (&str, &str) = (
    "        shape:\n          $ref: \"#/components/schemas/Shape\"\n",
    "        shape:\n          $ref: \"#/components/schemas/Shape\"\n        tag:\n          $ref: \"#/components/schemas/Tag\"\n",
);
const TAG_SCHEMA: (&str, &str) = (
    "  schemas:\n",
    "  schemas:\n    Tag:\n      type: string\n      enum: [red, blue]\n",
);

#[rustfmt::skip]
const CASES: &[Case] = &[
    // Document and operations.
    case(NONE, &[("version: \"1\"", "version: \"2\"")], "info-version", C, "/info/version"),
    case(NONE, &[("  /v1/items/:\n", "  /v1/things/:\n")], "op-removed", B, POST),
    case(NONE, &[("  /v1/items/:\n", "  /v1/things/:\n")], "op-added", C, "/paths/~1v1~1things~1/post"),
    case(NONE, &[("operationId: items:get\n", "operationId: items:get\n      deprecated: true\n")], "op-deprecated", C, "/paths/~1v1~1items~1{id}/get/deprecated"),
    case(NONE, &[("operationId: items:create", "operationId: items:make")], "op-id-changed", C, "/paths/~1v1~1items~1/post/operationId"),
    // Parameters.
    case(NONE, &[EXTRA_PARAM], "param-added-required", B, "/paths/~1v1~1items~1{id}/get/parameters/2"),
    case(NONE, &[OPTIONAL_PARAM], "param-added-optional", C, "/paths/~1v1~1items~1{id}/get/parameters/2"),
    case(&[OPTIONAL_PARAM], NONE, "param-removed", M, "/paths/~1v1~1items~1{id}/get/parameters/2"),
    case(NONE, &[LIMIT_REQUIRED], "param-became-required", B, "/paths/~1v1~1items~1{id}/get/parameters/2/required"),
    case(&[LIMIT_REQUIRED], NONE, "param-became-optional", C, "/paths/~1v1~1items~1{id}/get/parameters/2/required"),
    case(NONE, &[("- name: limit\n          in: query", "- name: limit\n          in: header")], "param-moved", B, "/paths/~1v1~1items~1{id}/get/parameters/2"),
    case(NONE, &[("- name: limit\n          in: query\n", "- name: limit\n          in: query\n          explode: false\n")], "param-style-changed", M, "/paths/~1v1~1items~1{id}/get/parameters/2"),
    case(NONE, &[("            format: uuid\n", "            format: uuid4\n")], "req-format-changed", M, "/paths/~1v1~1items~1{id}/get/parameters/0/schema/format"),
    case(NONE, &[("            default: owner", "            default: tags")], "req-default-changed", M, "/paths/~1v1~1items~1{id}/get/parameters/1/schema/default"),
    case(NONE, &[("enum: [owner, tags]", "enum: [owner]")], "req-enum-value-removed", B, "/paths/~1v1~1items~1{id}/get/parameters/1/schema/anyOf/0/enum"),
    case(NONE, &[("exclusiveMinimum: 0", "exclusiveMinimum: 1")], "req-constraint-tightened", M, "/paths/~1v1~1items~1{id}/get/parameters/2/schema/exclusiveMinimum"),
    case(NONE, &[("maximum: 100", "maximum: 1000")], "req-constraint-loosened", C, "/paths/~1v1~1items~1{id}/get/parameters/2/schema/maximum"),
    // Request bodies.
    case(&[NO_BODY], NONE, "body-added-required", B, "/paths/~1v1~1items~1/post/requestBody"),
    case(&[NO_BODY], &[OPTIONAL_BODY], "body-added-optional", C, "/paths/~1v1~1items~1/post/requestBody"),
    case(NONE, &[NO_BODY], "body-removed", M, "/paths/~1v1~1items~1/post/requestBody"),
    case(&[OPTIONAL_BODY], NONE, "body-became-required", B, "/paths/~1v1~1items~1/post/requestBody/required"),
    case(NONE, &[OPTIONAL_BODY], "body-became-optional", C, "/paths/~1v1~1items~1/post/requestBody/required"),
    case(NONE, &[FORM_BODY], "req-media-added", C, "/paths/~1v1~1items~1/post/requestBody/content/application~1x-www-form-urlencoded"),
    case(&[FORM_BODY], NONE, "req-media-removed", B, "/paths/~1v1~1items~1/post/requestBody/content/application~1x-www-form-urlencoded"),
    // Responses.
    case(NONE, &[TEXT_RESPONSE], "resp-media-added", C, "/paths/~1v1~1items~1{id}/get/responses/200/content/text~1plain"),
    case(&[TEXT_RESPONSE], NONE, "resp-media-removed", B, "/paths/~1v1~1items~1{id}/get/responses/200/content/text~1plain"),
    case(NONE, &[ACCEPTED], "resp-success-added", M, "/paths/~1v1~1items~1{id}/get/responses/202"),
    case(&[ACCEPTED], NONE, "resp-success-removed", B, "/paths/~1v1~1items~1{id}/get/responses/202"),
    case(NONE, &[CONFLICT], "resp-error-added", C, "/paths/~1v1~1items~1{id}/get/responses/409"),
    case(&[CONFLICT], NONE, "resp-error-removed", C, "/paths/~1v1~1items~1{id}/get/responses/409"),
    case(NONE, &[("                $ref: \"#/components/schemas/Missing\"", "                type: string")], "resp-type-changed", B, "/paths/~1v1~1items~1{id}/get/responses/404/content/application~1json/schema"),
    // Security.
    case(&[NO_OAT], NONE, "security-alternative-added", C, "/paths/~1v1~1items~1{id}/get/security"),
    case(NONE, &[NO_OAT], "security-alternative-removed", B, "/paths/~1v1~1items~1{id}/get/security"),
    case(NONE, &[WRITE_SCOPE], "security-scopes-added", B, "/paths/~1v1~1items~1{id}/get/security"),
    case(&[WRITE_SCOPE], NONE, "security-scopes-removed", C, "/paths/~1v1~1items~1{id}/get/security"),
    case(NONE, &[BASIC_SCHEME], "security-scheme-added", C, "/components/securitySchemes/basic"),
    case(&[BASIC_SCHEME], NONE, "security-scheme-removed", M, "/components/securitySchemes/basic"),
    case(NONE, &[("    oat:\n      type: http\n      scheme: bearer", "    oat:\n      type: http\n      scheme: basic")], "security-scheme-changed", B, "/components/securitySchemes/oat"),
    // Webhooks: the payload is received, so a new enum value there only may break.
    case(NONE, &[("  item.created:\n", "  item.updated:\n")], "webhook-added", C, "/webhooks/item.updated/post"),
    case(NONE, &[("  item.created:\n", "  item.updated:\n")], "webhook-removed", M, "/webhooks/item.created/post"),
    case(NONE, &[("          const: item.created", "          const: item.made")], "resp-enum-value-added", M, "/components/schemas/ItemEvent/properties/type/const"),
    // Schemas.
    case(NONE, &[EXTRA_SCHEMA], "schema-added", C, "/components/schemas/Extra"),
    case(&[EXTRA_SCHEMA], NONE, "schema-removed", M, "/components/schemas/Extra"),
    // Properties of a schema the client sends (ItemCreate) and receives (Item).
    case(NONE, &[COLOR, COLOR_REQUIRED], "req-property-added-required", B, "/components/schemas/ItemCreate/properties/color"),
    case(NONE, &[COLOR], "req-property-added-optional", C, "/components/schemas/ItemCreate/properties/color"),
    case(&[COLOR], NONE, "req-property-removed", M, "/components/schemas/ItemCreate/properties/color"),
    case(NONE, &[SIZE_REQUIRED], "req-property-became-required", B, "/components/schemas/ItemCreate/properties/size"),
    case(&[SIZE_REQUIRED], NONE, "req-property-became-optional", C, "/components/schemas/ItemCreate/properties/size"),
    case(NONE, &[ITEM_EXTRA], "resp-property-added", C, "/components/schemas/Item/properties/extra"),
    case(&[ITEM_EXTRA], NONE, "resp-property-removed", B, "/components/schemas/Item/properties/extra"),
    case(NONE, &[NAME_OPTIONAL], "resp-property-became-optional", B, "/components/schemas/Item/properties/name"),
    case(&[NAME_OPTIONAL], NONE, "resp-property-became-required", C, "/components/schemas/Item/properties/name"),
    // Types, formats, nullability, defaults.
    case(NONE, &[("        note:\n          type: string\n", "        note:\n          type: boolean\n")], "req-type-changed", B, "/components/schemas/ItemCreate/properties/note/type"),
    case(NONE, &[("        size:\n          type: integer\n", "        size:\n          type: number\n")], "req-type-widened", C, "/components/schemas/ItemCreate/properties/size/type"),
    case(NONE, &[("        count:\n          type: integer", "        count:\n          type: string")], "resp-type-changed", B, "/components/schemas/Item/properties/count/type"),
    case(NONE, &[("          type: string\n          format: uuid\n", "          type: string\n          format: uri\n")], "resp-format-changed", M, "/components/schemas/Item/properties/id/format"),
    case(NONE, &[NOTE_NULLABLE], "req-nullable-added", C, "/components/schemas/ItemCreate/properties/note"),
    case(&[NOTE_NULLABLE], NONE, "req-nullable-removed", B, "/components/schemas/ItemCreate/properties/note"),
    case(NONE, &[NAME_NULLABLE], "resp-nullable-added", B, "/components/schemas/Item/properties/name"),
    case(&[NAME_NULLABLE], NONE, "resp-nullable-removed", C, "/components/schemas/Item/properties/name"),
    case(NONE, &[("          minimum: 0\n", "          minimum: 0\n          default: 1\n")], "resp-default-changed", C, "/components/schemas/Item/properties/count/default"),
    // Enums (a `const` is a one-value enum), unions and discriminator tags.
    case(NONE, &[INPUT_KIND_SMALL], "req-enum-value-added", C, "/components/schemas/InputKind/enum"),
    case(NONE, &[KIND_HUGE], "resp-enum-value-added", M, "/components/schemas/Kind/enum"),
    case(&[KIND_HUGE], NONE, "resp-enum-value-removed", C, "/components/schemas/Kind/enum"),
    // A schema no operation reaches is judged both ways; the stricter verdict wins.
    case(NONE, &[("enum: [left, right]", "enum: [left, right, up]")], "resp-enum-value-added", M, "/components/schemas/Orphan/enum"),
    case(NONE, &[("enum: [left, right]", "enum: [left]")], "req-enum-value-removed", B, "/components/schemas/Orphan/enum"),
    case(NONE, &[("          const: circle", "          const: round")], "req-enum-value-removed", B, "/components/schemas/Circle/properties/type/const"),
    case(NONE, &[INPUT_SHAPE_MISSING], "req-variant-added", C, "/components/schemas/InputShape/oneOf/0"),
    case(&[INPUT_SHAPE_MISSING], NONE, "req-variant-removed", B, "/components/schemas/InputShape/oneOf/0"),
    case(NONE, &[SHAPE_MISSING], "resp-variant-added", M, "/components/schemas/Shape/oneOf/0"),
    case(&[SHAPE_MISSING], NONE, "resp-variant-removed", C, "/components/schemas/Shape/oneOf/0"),
    case(NONE, &[INPUT_TAG], "req-tag-added", C, "/components/schemas/InputShape/discriminator/mapping/round"),
    case(&[INPUT_TAG], NONE, "req-tag-removed", B, "/components/schemas/InputShape/discriminator/mapping/round"),
    case(NONE, &[SHAPE_TAG], "resp-tag-added", M, "/components/schemas/Shape/discriminator/mapping/ring"),
    case(&[SHAPE_TAG], NONE, "resp-tag-removed", C, "/components/schemas/Shape/discriminator/mapping/ring"),
    case(NONE, &[("        propertyName: type\n        mapping:\n          circle", "        propertyName: kind\n        mapping:\n          circle")], "discriminator-changed", B, "/components/schemas/Shape/discriminator"),
    // Validation constraints.
    case(NONE, &[("maxLength: 64", "maxLength: 32")], "req-constraint-tightened", M, "/components/schemas/ItemCreate/properties/name/maxLength"),
    case(NONE, &[("pattern: \"^[a-z]+$\"", "pattern: \"^[a-z]{2,}$\"")], "req-constraint-tightened", M, "/components/schemas/ItemCreate/properties/name/pattern"),
    case(NONE, &[("minLength: 1", "minLength: 0")], "req-constraint-loosened", C, "/components/schemas/ItemCreate/properties/name/minLength"),
    case(NONE, &[("minimum: 0", "minimum: 1")], "resp-constraint-tightened", C, "/components/schemas/Item/properties/count/minimum"),
    case(NONE, &[COUNT_MIN_GONE], "resp-constraint-loosened", M, "/components/schemas/Item/properties/count/minimum"),
];

/// Rust items of the generated `items` resource, from the IR of both documents.
#[rustfmt::skip]
const RUST_CASES: &[Case] = &[
    case(NONE, &[("version: \"1\"", "version: \"2\"")], "rust-api-version", C, "/info/version"),
    case(NONE, &[("operationId: items:create", "operationId: items:make")], "rust-operation-added", C, POST),
    case(NONE, &[("operationId: items:create", "operationId: items:make")], "rust-operation-removed", B, POST),
    case(NONE, &[EXTRA_PARAM], "rust-signature-changed", B, GET),
    case(NONE, &[OPTIONAL_PARAM], "rust-setter-added", C, GET),
    case(&[OPTIONAL_PARAM], NONE, "rust-setter-removed", B, GET),
    case(NONE, &[("operationId: items:get\n", "operationId: items:get\n      deprecated: true\n")], "rust-deprecated", C, GET),
    case(NONE, &[("              schema:\n                $ref: \"#/components/schemas/Item\"\n        \"404\"", "              schema:\n                $ref: \"#/components/schemas/Missing\"\n        \"404\"")], "rust-response-changed", B, GET),
    case(NONE, &[KIND_TAG_ENUM, TAG_SCHEMA], "rust-type-added", C, "/components/schemas/Tag"),
    case(&[KIND_TAG_ENUM, TAG_SCHEMA], NONE, "rust-type-removed", B, "/components/schemas/Tag"),
    case(NONE, &[KIND_TAG_ENUM, TAG_SCHEMA], "rust-field-added", B, "/components/schemas/Item"),
    case(NONE, &[COLOR], "rust-input-field-added", C, "/components/schemas/ItemCreate"),
    case(NONE, &[COLOR, COLOR_REQUIRED], "rust-constructor-changed", B, "/components/schemas/ItemCreate"),
    case(&[ITEM_EXTRA], NONE, "rust-field-removed", B, "/components/schemas/Item"),
    case(NONE, &[NAME_NULLABLE], "rust-field-type-changed", B, "/components/schemas/Item"),
    case(NONE, &[KIND_HUGE], "rust-variant-added", C, "/components/schemas/Kind"),
    case(&[KIND_HUGE], NONE, "rust-variant-removed", B, "/components/schemas/Kind"),
    case(NONE, &[("    Kind:\n      type: string\n      enum: [small, large]\n", "    Kind:\n      type: object\n      properties:\n        size:\n          type: string\n")], "rust-type-kind-changed", B, "/components/schemas/Kind"),
];

fn check(cases: &[Case], rust: bool) -> BTreeSet<&'static str> {
    let mut failures = Vec::new();
    let mut hit = BTreeSet::new();
    for case in cases {
        let rule = diff::classify::by_id(case.rule).expect("the case names a rule of the table");
        assert_eq!(
            rule.class, case.class,
            "rule {} is classified {:?}",
            case.rule, rule.class
        );
        let report = report(case.old, case.new);
        let found: Vec<(String, &str, Class)> = if rust {
            let impact = report.rust.as_ref().expect("rust impact computed");
            assert!(impact.error.is_none(), "{:?}", impact.error);
            impact
                .changes
                .iter()
                .map(|c| (c.pointer.clone(), c.rule, c.class))
                .collect()
        } else {
            report
                .changes
                .iter()
                .map(|c| (c.pointer.clone(), c.rule, c.class))
                .collect()
        };
        if found.iter().any(|(pointer, rule, class)| {
            pointer == case.pointer && *rule == case.rule && *class == case.class
        }) {
            hit.insert(case.rule);
        } else {
            failures.push(format!(
                "expected {} ({:?}) at {}; found {found:#?}",
                case.rule, case.class, case.pointer
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    hit
}

#[test]
fn every_kind_of_change_is_found_and_classified() {
    check(CASES, false);
}

#[test]
fn rust_items_of_the_generated_resource_are_compared() {
    check(RUST_CASES, true);
}

#[test]
fn every_rule_of_the_table_has_a_case() {
    let mut hit = check(CASES, false);
    hit.extend(check(RUST_CASES, true));
    let missing: Vec<&str> = diff::RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !hit.contains(id))
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
}

#[test]
fn a_document_against_itself_reports_nothing() {
    let report = report(NONE, NONE);
    assert!(report.is_empty(), "{:#?}", report.changes);
    assert_eq!(
        report.rust.as_ref().map(|r| r.bump),
        Some(diff::rust::Bump::None)
    );
}

#[test]
fn schema_changes_list_the_operations_that_reach_them() {
    let report = report(NONE, &[KIND_HUGE]);
    assert_eq!(
        report.reached_by.get("Kind").cloned().unwrap_or_default(),
        vec!["items:create", "items:get", "webhook item.created"]
    );
}

#[test]
fn a_breaking_rust_change_needs_a_minor_bump_and_a_compatible_one_a_patch() {
    let breaking = report(NONE, &[NAME_NULLABLE]);
    let rust = breaking.rust.as_ref().unwrap();
    assert_eq!(rust.bump, diff::rust::Bump::Minor);
    assert_eq!(rust.bump.next("0.1.0").as_deref(), Some("0.2.0"));
    let compatible = report(NONE, &[KIND_HUGE]);
    assert_eq!(
        compatible.rust.as_ref().unwrap().bump,
        diff::rust::Bump::Patch
    );
}

#[test]
fn json_output_is_stable_and_parseable() {
    let edits: &[(&str, &str)] = &[KIND_HUGE, NAME_NULLABLE, EXTRA_PARAM, NO_OAT, EXTRA_SCHEMA];
    let first = diff::render::json(&report(NONE, edits));
    let second = diff::render::json(&report(NONE, edits));
    assert_eq!(first, second);
    let value: serde_json::Value = serde_json::from_str(&first).expect("valid JSON");
    let changes = value["changes"].as_array().expect("a list of changes");
    let total = value["summary"]["breaking"].as_u64().unwrap()
        + value["summary"]["may_break"].as_u64().unwrap()
        + value["summary"]["compatible"].as_u64().unwrap();
    assert_eq!(total as usize, changes.len());
    let classes: Vec<&str> = changes
        .iter()
        .map(|c| c["class"].as_str().unwrap())
        .collect();
    let mut sorted = classes.clone();
    sorted.sort_by_key(|c| {
        ["breaking", "may_break", "compatible"]
            .iter()
            .position(|k| k == c)
    });
    assert_eq!(classes, sorted, "breaking first");
    for change in changes {
        assert!(
            change["pointer"].as_str().unwrap().starts_with('/'),
            "{change}"
        );
        assert!(diff::classify::by_id(change["rule"].as_str().unwrap()).is_some());
    }
}

#[test]
fn markdown_puts_the_summary_first_and_breaking_changes_before_the_rest() {
    let text = diff::render::markdown(&report(NONE, &[KIND_HUGE, NAME_NULLABLE]), Some("0.1.0"));
    let summary = text.find("| breaking | 1 |").expect("summary table");
    let breaking = text.find("## Breaking").expect("breaking section");
    let may_break = text.find("## May break").expect("may-break section");
    assert!(summary < breaking && breaking < may_break, "{text}");
    assert!(text.contains("0.1.0 → 0.2.0"), "{text}");
    assert!(
        text.contains(
            "### Schema `Kind` (reached by `items:create`, `items:get`, `webhook item.created`)"
        ),
        "{text}"
    );
}

#[test]
fn polar_document_against_itself_reports_nothing() {
    // The committed structure of Polar's whole API: always there, also where `../shared` is not.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/polar-api.json");
    let document = codegen::load::load_file(&path).unwrap();
    let report = diff::diff_with_rust(&document, &document, &Config::default());
    assert!(
        report.is_empty(),
        "{:#?}",
        report.changes.iter().take(5).collect::<Vec<_>>()
    );
    let rust = report.rust.unwrap();
    assert!(rust.error.is_none(), "{:?}", rust.error);
    assert_eq!(rust.resources, vec!["customer_meters"]);
}

#[test]
fn the_readme_lists_every_rule_with_its_class() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("README.md");
    for rule in diff::RULES {
        let row = format!(
            "| `{}` | {} | {} |",
            rule.id,
            rule.change,
            rule.class.label()
        );
        assert!(readme.contains(&row), "README lacks the row starting {row}");
    }
}

/// Path parameters are positional on the wire and in the generated method's arguments:
/// renaming one (in the template and its declaration) changes nothing for a client.
#[test]
fn renaming_a_path_parameter_is_no_change() {
    let report = report(
        NONE,
        &[
            ("  /v1/items/{id}:\n", "  /v1/items/{item_id}:\n"),
            (
                "        - name: id\n          in: path\n",
                "        - name: item_id\n          in: path\n",
            ),
        ],
    );
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
    let rust = report.rust.unwrap();
    assert!(rust.changes.is_empty(), "{:#?}", rust.changes);
}

/// A change inside a property names the property, not only its pointer.
#[test]
fn messages_name_the_property() {
    let nullable = report(NONE, &[NAME_NULLABLE]);
    let change = nullable
        .changes
        .iter()
        .find(|c| c.rule == "resp-nullable-added")
        .expect("the change is found");
    assert_eq!(change.message, "`name` may now be null");

    let parameter = report(
        NONE,
        &[("            default: owner", "            default: tags")],
    );
    let messages: Vec<&str> = parameter
        .changes
        .iter()
        .map(|c| c.message.as_str())
        .collect();
    assert_eq!(
        messages,
        vec!["query parameter `expand`: default changed from \"owner\" to \"tags\""]
    );
}
