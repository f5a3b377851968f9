//! The call table of the conformance driver (`examples/conformance_operations/`): every
//! operation of the selection, called through the SDK's public API with sample values
//! (`ir::samples`) that meet the document's formats and bounds.
//!
//! Each operation gets a `required` call (its required parameters and a body with the
//! required fields) and, when it has anything optional, an `all-optional` call (every
//! optional parameter and the optional body fields near the top as well). A required body
//! that is a union gets a `variant=<Name>` call for each variant after the first. The table is
//! declarative: the values are JSON text that the hand-written `main.rs` decodes into the
//! SDK's types (`v::<T>`), and the result goes to one of its helpers by the kind of success
//! (`json`, `page`, `maybe_ready`, `empty`, `bytes`), which print and count.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::operations::{accessor_name, body_is_argument, is_argument, typed_body};
use super::types::{ident, type_tokens, Scope};
use crate::ir::samples::{other_variants, sample, Fill};
use crate::ir::{Api, Constraints, Operation, Success};

/// Where the table goes, relative to the SDK crate.
pub const CASES_FILE: &str = "examples/conformance_operations/cases.rs";

/// The call table of the given resources.
pub fn cases_file(api: &Api, resources: &[String]) -> TokenStream {
    let mut calls = Vec::new();
    for operation in &api.operations {
        if !resources.contains(&operation.resource) {
            continue;
        }
        calls.push(call(api, operation, Fill::Required, None));
        if has_optional(api, operation) {
            calls.push(call(api, operation, Fill::Every, None));
        }
        // A body that is a union: each other variant too, with its required fields.
        if let Some((body, ty)) = typed_body(operation) {
            if body_is_argument(body) {
                for (name, value) in other_variants(api, ty) {
                    calls.push(call(api, operation, Fill::Required, Some((&name, &value))));
                }
            }
        }
    }
    let count = calls.len();
    quote! {
        //! Every operation called with sample values: the table `main.rs` runs against Prism.
        #![allow(deprecated)]

        /// How many calls [`CALLS`] has.
        pub const COUNT: usize = #count;

        /// The calls, in operation id order; `required`, then `all-optional`, then the other
        /// variants of a union body.
        pub static CALLS: [crate::Call; COUNT] = [
            #(#calls,)*
        ];
    }
}

/// Whether the `all-optional` call differs from the `required` one.
fn has_optional(api: &Api, operation: &Operation) -> bool {
    operation.parameters.iter().any(|p| !is_argument(p))
        || typed_body(operation).is_some_and(|(body, ty)| {
            !body_is_argument(body)
                || sample(api, ty, &Constraints::default(), Fill::Required)
                    != sample(api, ty, &Constraints::default(), Fill::Every)
        })
}

/// One call; `variant` replaces the body's sample with that of another union variant.
fn call(
    api: &Api,
    operation: &Operation,
    fill: Fill,
    variant: Option<(&str, &Value)>,
) -> TokenStream {
    let id = &operation.id;
    let case = match (fill, variant) {
        (_, Some((name, _))) => format!("variant={name}"),
        (Fill::Required, None) => "required".to_owned(),
        (Fill::Every, None) => "all-optional".to_owned(),
    };
    let mut path = vec![ident(&accessor_name(&operation.resource))];
    path.extend(operation.group.iter().map(|g| ident(g)));
    let method = ident(&operation.verb);
    let mut arguments: Vec<TokenStream> = operation
        .parameters
        .iter()
        .filter(|p| is_argument(p))
        .map(|p| value(api, &p.ty, &p.constraints, fill))
        .collect();
    let mut setters: Vec<TokenStream> = Vec::new();
    if fill == Fill::Every {
        for parameter in operation.parameters.iter().filter(|p| !is_argument(p)) {
            let setter = ident(&parameter.rust_name);
            let value = value(api, &parameter.ty, &parameter.constraints, fill);
            setters.push(quote!(.#setter(#value)));
        }
    }
    if let Some((body, ty)) = typed_body(operation) {
        let body_value = match variant {
            Some((_, json)) => {
                let rust = type_tokens(api, ty, Scope::Example);
                let text = json_literal(json);
                quote!(crate::v::<#rust>(#text)?)
            }
            None => value(api, ty, &Constraints::default(), fill),
        };
        if body_is_argument(body) {
            arguments.push(body_value);
        } else if fill == Fill::Every {
            setters.push(quote!(.body(#body_value)));
        }
    }
    let request = quote!(polar #(.#path())* .#method(#(#arguments),*) #(#setters)* .send().await);
    let outcome = match (&operation.pagination, &operation.success) {
        (Some(_), _) => quote!(crate::page(#request)),
        (None, Success::Json(_)) => quote!(crate::json(#request)),
        (None, Success::MaybeReady(_)) => quote!(crate::maybe_ready(#request)),
        (None, Success::Empty) => quote!(crate::empty(#request)),
        (None, Success::Bytes { .. }) => quote!(crate::bytes(#request).await),
    };
    quote! {
        crate::Call {
            id: #id,
            case: #case,
            run: |polar| Box::pin(async move { #outcome }),
        }
    }
}

/// `crate::v::<T>(r#"<json>"#)?`: the sample, decoded into the SDK's type at run time.
fn value(api: &Api, ty: &crate::ir::TypeRef, constraints: &Constraints, fill: Fill) -> TokenStream {
    let json = sample(api, ty, constraints, fill);
    let ty = type_tokens(api, ty, Scope::Example);
    let text = json_literal(&json);
    quote!(crate::v::<#ty>(#text)?)
}

/// The JSON text as a raw string literal where it can be one, else an escaped one.
fn json_literal(json: &Value) -> Literal {
    let text = json.to_string();
    if !text.contains("\"#") {
        if let Ok(literal) = format!("r#\"{text}\"#").parse::<Literal>() {
            return literal;
        }
    }
    Literal::string(&text)
}
