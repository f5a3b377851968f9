//! One Markdown reference page per resource, in the shape Polar's official SDKs ship
//! (Overview; per operation: description, scopes, example, parameters, response, errors),
//! with Rust examples that the SDK compiles as doc-tests.

use std::fmt::Write as _;

use serde_json::Value;

use super::docs::spec;
use super::operations::{accepts, is_argument, success_type};
use super::types::type_text;
use crate::ir::naming::type_name;
use crate::ir::{Api, Operation, ParamLocation, Parameter, TypeRef};

/// The page for `resource`.
pub fn page(api: &Api, resource: &str) -> String {
    let operations: Vec<&Operation> = api.resource_operations(resource).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n\n(*`polar.{resource}()`*)\n",
        type_name(resource)
    );
    out.push_str("## Overview\n\n### Available Operations\n\n");
    for operation in &operations {
        let summary = operation.summary.as_deref().unwrap_or("").trim();
        let _ = writeln!(
            out,
            "* [{verb}](#{verb}) - {summary}",
            verb = bare(&operation.verb)
        );
    }
    for operation in &operations {
        out.push('\n');
        operation_section(api, operation, &mut out);
    }
    out
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
            .map(|op| format!("`{}`", bare(&op.verb)))
            .collect();
        let _ = writeln!(
            out,
            "| [{}]({resource}.md) | `polar.{resource}()` | {} |",
            type_name(resource),
            verbs.join(", ")
        );
    }
    out
}

fn bare(name: &str) -> &str {
    name.trim_start_matches("r#")
}

fn operation_section(api: &Api, operation: &Operation, out: &mut String) {
    let _ = writeln!(out, "## {}\n", bare(&operation.verb));
    if let Some(description) = &operation.description {
        let _ = writeln!(out, "{}\n", spec(description));
    } else if let Some(summary) = &operation.summary {
        let _ = writeln!(out, "{}.\n", spec(summary.trim().trim_end_matches('.')));
    }
    if !operation.scopes.is_empty() {
        let scopes: Vec<String> = operation.scopes.iter().map(|s| format!("`{s}`")).collect();
        let _ = writeln!(out, "**Scopes**: {}\n", scopes.join(" "));
    }
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
    out.push_str(
        "| `retry` | `RetryConfig` | no | Overrides the client's retry policy for this call. |\n",
    );
    out.push_str("| `timeout` | `std::time::Duration` | no | Overrides the client's per-attempt timeout for this call. |\n");
    out.push_str("| `max_response_size` | `u64` | no | Overrides the client's response size limit, in bytes, for this call. |\n\n");

    out.push_str("### Response\n\n");
    match (&operation.pagination, success_type(operation)) {
        (Some(page), _) => {
            let item = type_text(api, &page.item);
            let _ = writeln!(
                out,
                "**`Page<{item}>`** from `.send()`: `items`, `pagination.total_count`, `pagination.max_page`, and `next()` for the following page. \
                 `.into_stream()` yields every `{item}` of every page.\n"
            );
        }
        (None, Some(ty)) => {
            let _ = writeln!(out, "**`{}`**\n", type_text(api, ty));
        }
        (None, None) => out.push_str("No body.\n\n"),
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
        let _ = writeln!(
            out,
            "| `Error::{}` | {} | {content_type} |",
            super::error_variant(&response.status),
            response.status
        );
    }
    out.push_str("| `Error::Api` | 4XX, 5XX | \\*/\\* |\n");
}

fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A complete program: required arguments and the parameters the spec gives examples for.
fn example(api: &Api, operation: &Operation) -> String {
    let mut code = String::new();
    let paginated = operation.pagination.is_some();
    code.push_str("use polar_sdk::Polar;\n\n#[tokio::main]\nasync fn main() -> Result<(), polar_sdk::Error> {\n");
    code.push_str("    let polar = Polar::new(\"<YOUR_BEARER_TOKEN_HERE>\");\n\n");
    let arguments: Vec<String> = operation
        .parameters
        .iter()
        .filter(|p| is_argument(p))
        .map(|p| example_value(api, p))
        .collect();
    let binding = if paginated {
        "let mut page"
    } else {
        "let response"
    };
    let _ = writeln!(
        code,
        "    {binding} = polar\n        .{}()\n        .{}({})",
        operation.resource,
        operation.verb,
        arguments.join(", ")
    );
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
    } else {
        code.push_str("    println!(\"{response:?}\");\n");
    }
    code.push_str("    Ok(())\n}\n");
    code
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
        _ => "Default::default()".to_owned(),
    }
}
