//! One Markdown reference page per resource, in the shape Polar's official SDKs ship
//! (Overview; per operation: description, scopes, example, parameters, response, errors),
//! with Rust examples that the SDK compiles as doc-tests.

use std::fmt::Write as _;

use serde_json::Value;

use super::docs::spec;
use super::operations::{
    accepts, accessor_name, auth_text, body_is_argument, is_argument, typed_body, ErrorNames,
};
use super::types::type_text;
use crate::ir::naming::type_name;
use crate::ir::{
    Api, AuthKind, Field, Operation, ParamLocation, Parameter, Success, TypeKind, TypeRef,
};

/// The page for `resource` (and its sub-resources).
pub fn page(api: &Api, resource: &str, errors: &ErrorNames) -> String {
    let operations: Vec<&Operation> = api.resource_operations(resource).collect();
    let accessor = accessor_name(resource);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n\n(*`polar.{accessor}()`*)\n",
        type_name(resource)
    );
    out.push_str("## Overview\n\n### Available Operations\n\n");
    for operation in &operations {
        let summary = operation.summary.as_deref().unwrap_or("").trim();
        let _ = writeln!(
            out,
            "* [{call}](#{anchor}) - {summary}",
            call = call_path(operation),
            anchor = anchor(operation)
        );
    }
    for operation in &operations {
        out.push('\n');
        operation_section(api, operation, errors, &mut out);
    }
    out
}

/// `orders().list` for a grouped operation, `list` for one of the resource itself.
fn call_path(operation: &Operation) -> String {
    let mut parts: Vec<String> = operation
        .group
        .iter()
        .map(|g| format!("{}()", bare(g)))
        .collect();
    parts.push(bare(&operation.verb).to_owned());
    parts.join(".")
}

/// The heading anchor GitHub gives the section title of [`call_path`].
fn anchor(operation: &Operation) -> String {
    call_path(operation)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// The index of the reference pages: every generated resource, its accessor and operations.
pub fn index(api: &Api, resources: &[String]) -> String {
    let mut out = String::from(
        "# polar-sdk reference\n\nOne page per resource the SDK generates, each with its \
         operations, parameters, responses and errors, and examples that compile.\n\n\
         | resource | accessor | operations |\n| --- | --- | --- |\n",
    );
    for resource in resources {
        let verbs: Vec<String> = api
            .resource_operations(resource)
            .map(|op| format!("`{}`", call_path(op)))
            .collect();
        let _ = writeln!(
            out,
            "| [{}]({resource}.md) | `polar.{}()` | {} |",
            type_name(resource),
            accessor_name(resource),
            verbs.join(", ")
        );
    }
    out.push_str(
        "\nThe events Polar posts to webhook endpoints, and the types they decode into, are \
         listed in [webhooks](webhooks.md).\n",
    );
    out
}

fn bare(name: &str) -> &str {
    name.trim_start_matches("r#")
}

fn operation_section(api: &Api, operation: &Operation, errors: &ErrorNames, out: &mut String) {
    let _ = writeln!(out, "## {}\n", call_path(operation));
    if let Some(description) = &operation.description {
        let _ = writeln!(out, "{}\n", spec(description));
    } else if let Some(summary) = &operation.summary {
        let _ = writeln!(out, "{}.\n", spec(summary.trim().trim_end_matches('.')));
    }
    if !operation.scopes.is_empty() {
        let scopes: Vec<String> = operation.scopes.iter().map(|s| format!("`{s}`")).collect();
        let _ = writeln!(out, "**Scopes**: {}\n", scopes.join(" "));
    }
    let _ = writeln!(out, "{}\n", strip_links(&auth_text(operation)));
    let _ = writeln!(out, "`{} {}`\n", operation.method, operation.path);

    out.push_str("### Example Usage\n\n```rust,no_run\n");
    out.push_str(&example(api, operation));
    out.push_str("```\n\n");

    out.push_str("### Parameters\n\n| Parameter | Type | Required | Description |\n| --- | --- | --- | --- |\n");
    for parameter in &operation.parameters {
        let description = parameter
            .doc
            .as_deref()
            .map(|d| table_cell(&spec(d)))
            .unwrap_or_default();
        let how = if is_argument(parameter) {
            "argument"
        } else {
            "builder method"
        };
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {description} {} ({how}) |",
            parameter.rust_name.trim_start_matches("r#"),
            type_text(api, &parameter.ty),
            if parameter.required { "yes" } else { "no" },
            accepts(api, &parameter.ty)
        );
    }
    if let Some((body, ty)) = typed_body(operation) {
        let _ = writeln!(
            out,
            "| `body` | `{}` | {} | The request body, sent as `{}` ({}). |",
            type_text(api, ty),
            if body.required { "yes" } else { "no" },
            body.content_type,
            if body_is_argument(body) {
                "argument"
            } else {
                "builder method"
            }
        );
    }
    out.push_str(
        "| `retry` | `RetryConfig` | no | Overrides the client's retry policy for this call. |\n",
    );
    out.push_str("| `timeout` | `std::time::Duration` | no | Overrides the client's per-attempt timeout for this call. |\n");
    out.push_str("| `max_response_size` | `u64` | no | Overrides the client's response size limit, in bytes, for this call. |\n\n");

    out.push_str("### Response\n\n");
    match (&operation.pagination, &operation.success) {
        (Some(page), _) => {
            let item = type_text(api, &page.item);
            let _ = writeln!(
                out,
                "**`Page<{item}>`** from `.send()`: `items`, `pagination.total_count`, `pagination.max_page`, and `next()` for the following page. \
                 `.into_stream()` yields every `{item}` of every page.\n"
            );
        }
        (None, Success::Json(ty)) => {
            let _ = writeln!(out, "**`{}`**\n", type_text(api, ty));
        }
        (None, Success::MaybeReady(ty)) => {
            let _ = writeln!(
                out,
                "**`MaybeReady<{}>`**: `Ready(value)`, or `Accepted` when the server answered `202` because it is not ready yet.\n",
                type_text(api, ty)
            );
        }
        (None, Success::Bytes { media_type }) => {
            let _ = writeln!(
                out,
                "**`ByteStream`**: the `{media_type}` body in chunks as they arrive; `.collect()` gathers it within the size limit.\n"
            );
        }
        (None, Success::Empty) => out.push_str("`()`: a success has no body.\n\n"),
    }

    out.push_str(
        "### Errors\n\n| Error Type | Status Code | Content Type |\n| --- | --- | --- |\n",
    );
    for response in operation
        .responses
        .iter()
        .filter(|r| !r.status.starts_with('2'))
    {
        let content_type = response
            .body
            .as_ref()
            .map_or("-", |b| b.content_type.as_str());
        let cases: Vec<String> = operation
            .errors
            .iter()
            .filter(|case| case.status.to_string() == response.status)
            .map(|case| match errors.runtime.get(&case.schema) {
                Some(variant) => format!("`Error::{variant}`"),
                None => format!("`Error::Documented` (`ErrorBody::{}`)", case.schema),
            })
            .collect();
        let surfaces = if cases.is_empty() {
            "`Error::Api`".to_owned()
        } else {
            cases.join(" or ")
        };
        let _ = writeln!(out, "| {surfaces} | {} | {content_type} |", response.status);
    }
    out.push_str("| `Error::Api` | 4XX, 5XX | \\*/\\* |\n");
}

/// Markdown links of rustdoc paths mean nothing on a page outside rustdoc: keep their text.
fn strip_links(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("([") {
        out.push_str(&rest[..open]);
        match rest[open..].find("))") {
            Some(close) => {
                let inner = &rest[open + 2..open + close];
                let label = inner.split("](").next().unwrap_or(inner);
                out.push('(');
                out.push_str(label);
                out.push(')');
                rest = &rest[open + close + 2..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A complete program: required arguments and the parameters the spec gives examples for.
fn example(api: &Api, operation: &Operation) -> String {
    let mut code = String::new();
    let paginated = operation.pagination.is_some();
    code.push_str("use polar_sdk::Polar;\n\n#[tokio::main]\nasync fn main() -> Result<(), polar_sdk::Error> {\n");
    let client = match operation.auth.first() {
        None | Some(AuthKind::Organization) => {
            "    let polar = Polar::new(\"<YOUR_BEARER_TOKEN_HERE>\");\n\n"
        }
        Some(AuthKind::CustomerSession) => {
            "    let polar = Polar::builder()\n        .customer_session_token(\"<CUSTOMER_SESSION_TOKEN>\")\n        .build()?;\n\n"
        }
        Some(AuthKind::MemberSession) => {
            "    let polar = Polar::builder()\n        .member_session_token(\"<MEMBER_SESSION_TOKEN>\")\n        .build()?;\n\n"
        }
    };
    code.push_str(client);
    let mut arguments: Vec<String> = operation
        .parameters
        .iter()
        .filter(|p| is_argument(p))
        .map(|p| example_value(api, p))
        .collect();
    if let Some((body, ty)) = typed_body(operation) {
        if body_is_argument(body) {
            arguments.push(value_expr(api, ty, 0));
        }
    }
    let binding = if paginated {
        "let mut page"
    } else if operation.success == Success::Empty {
        "let ()"
    } else {
        "let response"
    };
    let mut call = format!(
        "    {binding} = polar\n        .{}()\n",
        accessor_name(&operation.resource)
    );
    for group in &operation.group {
        let _ = writeln!(call, "        .{group}()");
    }
    let _ = writeln!(
        call,
        "        .{}({})",
        operation.verb,
        arguments.join(", ")
    );
    code.push_str(&call);
    for parameter in operation.parameters.iter().filter(|p| !is_argument(p)) {
        if parameter.location == ParamLocation::Query && example_of(parameter).is_some() {
            let _ = writeln!(
                code,
                "        .{}({})",
                parameter.rust_name,
                example_value(api, parameter)
            );
        }
    }
    code.push_str("        .send()\n        .await?;\n");
    if paginated {
        code.push_str(
            "    loop {\n        for item in &page.items {\n            println!(\"{item:?}\");\n        }\n        \
             match page.next().await? {\n            Some(next) => page = next,\n            None => break,\n        }\n    }\n",
        );
    } else if operation.success != Success::Empty {
        if matches!(operation.success, Success::Bytes { .. }) {
            code.push_str("    let body = response.collect().await?;\n    println!(\"{} bytes\", body.len());\n");
        } else {
            code.push_str("    println!(\"{response:?}\");\n");
        }
    }
    code.push_str("    Ok(())\n}\n");
    code
}

/// Rust source for the value a field must have when its schema allows one only (a boolean or
/// integer `const`, which the type alone does not say), so an example never shows a value the
/// API refuses.
fn only_value(field: &Field) -> Option<String> {
    let [value] = field.constraints.values.as_slice() else {
        return None;
    };
    match (&field.ty, value) {
        (TypeRef::Bool, Value::Bool(value)) => Some(value.to_string()),
        (TypeRef::I32 | TypeRef::I64, Value::Number(value)) if value.is_i64() => {
            Some(value.to_string())
        }
        _ => None,
    }
}

/// Rust source for a value of type `ty`, built the way a user would: constructors with their
/// required arguments, the first variant of an enum or union.
fn value_expr(api: &Api, ty: &TypeRef, depth: usize) -> String {
    if depth > 8 {
        return "Default::default()".to_owned();
    }
    let inner = |ty: &TypeRef| value_expr(api, ty, depth + 1);
    match ty {
        TypeRef::Named(name) => {
            let Some(def) = api.types.get(name) else {
                return "Default::default()".to_owned();
            };
            let path = format!("polar_sdk::models::{name}");
            match &def.kind {
                TypeKind::Struct { fields } => {
                    let arguments: Vec<String> = fields
                        .iter()
                        .filter(|f| f.required && !is_const(api, &f.ty))
                        .map(|f| {
                            if f.nullable {
                                "None".to_owned()
                            } else {
                                only_value(f).unwrap_or_else(|| inner(&f.ty))
                            }
                        })
                        .collect();
                    format!("{path}::new({})", arguments.join(", "))
                }
                TypeKind::Enum { values } => match values.first() {
                    Some(value) => format!("{path}::{}", value.variant),
                    None => format!("{path}::Unknown(String::new())"),
                },
                TypeKind::Tagged { variants, .. } => match variants.first() {
                    Some(variant) => format!("{path}::{}({})", variant.name, inner(&variant.ty)),
                    None => "Default::default()".to_owned(),
                },
                TypeKind::Untagged { variants } => match variants.first() {
                    Some(variant) => format!("{path}::{}({})", variant.name, inner(&variant.ty)),
                    None => "Default::default()".to_owned(),
                },
                TypeKind::Alias { ty } => inner(ty),
                TypeKind::Newtype { ty } => format!("{path}({})", inner(ty)),
            }
        }
        TypeRef::String => "String::from(\"<value>\")".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "1".to_owned(),
        TypeRef::Integer => "polar_sdk::Integer::from(1i64)".to_owned(),
        TypeRef::F64 => "1.0".to_owned(),
        TypeRef::Bool => "true".to_owned(),
        TypeRef::Uuid => "polar_sdk::uuid::Uuid::nil()".to_owned(),
        TypeRef::DateTime => "polar_sdk::chrono::Utc::now()".to_owned(),
        TypeRef::Date => "polar_sdk::chrono::NaiveDate::MIN".to_owned(),
        TypeRef::Any => "serde_json::Value::Null".to_owned(),
        TypeRef::Map(value) if **value == TypeRef::Any => "serde_json::Map::new()".to_owned(),
        TypeRef::Map(_) => "std::collections::BTreeMap::new()".to_owned(),
        TypeRef::Array(_) => "Vec::new()".to_owned(),
        TypeRef::Tuple(items) => {
            let items: Vec<String> = items.iter().map(inner).collect();
            format!("({},)", items.join(", "))
        }
        TypeRef::Nullable(_) => "None".to_owned(),
        TypeRef::OneOrMany(item) => format!("polar_sdk::OneOrMany::One({})", inner(item)),
        TypeRef::Boxed(item) => format!("Box::new({})", inner(item)),
    }
}

/// A one-value enum: a constant the constructor fills in.
fn is_const(api: &Api, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(name)
        if matches!(api.types.get(name).map(|d| &d.kind), Some(TypeKind::Enum { values }) if values.len() == 1))
}

fn example_of(parameter: &Parameter) -> Option<&Value> {
    parameter.example.as_ref()
}

/// Rust source for a value of the parameter's type, from the spec's example if it has one.
fn example_value(api: &Api, parameter: &Parameter) -> String {
    let example = example_of(parameter);
    let item = match &parameter.ty {
        TypeRef::Named(name) => match api.types.get(name).map(|d| &d.kind) {
            Some(crate::ir::TypeKind::Alias {
                ty: TypeRef::OneOrMany(item),
            }) => (**item).clone(),
            _ => parameter.ty.clone(),
        },
        other => other.clone(),
    };
    let text = example.and_then(Value::as_str);
    match item {
        TypeRef::Uuid => format!(
            "uuid::uuid!(\"{}\")",
            text.unwrap_or("00000000-0000-4000-8000-000000000000")
        ),
        TypeRef::String => format!("{:?}", text.unwrap_or("<value>")),
        TypeRef::I64 | TypeRef::I32 | TypeRef::Integer => {
            example.and_then(Value::as_i64).unwrap_or(1).to_string()
        }
        TypeRef::Bool => example.and_then(Value::as_bool).unwrap_or(true).to_string(),
        other => value_expr(api, &other, 0),
    }
}
