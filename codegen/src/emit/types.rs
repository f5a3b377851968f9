//! `TypeRef` → Rust type tokens.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Api, TypeOrigin, TypeRef};

/// Where the emitted code sits, which decides how named types are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Inside `models/`: models by bare name (each module imports the others through `models`).
    Models,
    /// Elsewhere: `models::Name` / `filters::Name` (the file imports both modules).
    Outside,
    /// In a program that uses the SDK (an example): every SDK item through `polar_sdk::`.
    Example,
}

/// Rust tokens for a type use.
pub fn type_tokens(api: &Api, ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", name);
            let origin = api.types.get(name).map_or(TypeOrigin::Model, |d| d.origin);
            match (scope, origin) {
                (Scope::Models, TypeOrigin::Model) => quote!(#ident),
                (Scope::Example, TypeOrigin::Model) => quote!(polar_sdk::models::#ident),
                (Scope::Example, TypeOrigin::Filter) => quote!(polar_sdk::filters::#ident),
                (_, TypeOrigin::Model) => quote!(models::#ident),
                (_, TypeOrigin::Filter) => quote!(filters::#ident),
            }
        }
        TypeRef::String => quote!(String),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::Integer if scope == Scope::Example => quote!(polar_sdk::Integer),
        TypeRef::Integer => quote!(crate::Integer),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::Uuid if scope == Scope::Example => quote!(polar_sdk::uuid::Uuid),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::DateTime if scope == Scope::Example => {
            quote!(polar_sdk::chrono::DateTime<polar_sdk::chrono::Utc>)
        }
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date if scope == Scope::Example => quote!(polar_sdk::chrono::NaiveDate),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Map(value) if **value == TypeRef::Any => {
            quote!(serde_json::Map<String, serde_json::Value>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(api, value, scope);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Array(item) => {
            let item = type_tokens(api, item, scope);
            quote!(Vec<#item>)
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|item| type_tokens(api, item, scope));
            quote!((#(#items),*))
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(api, inner, scope);
            quote!(Option<#inner>)
        }
        TypeRef::OneOrMany(inner) if scope == Scope::Example => {
            let inner = type_tokens(api, inner, scope);
            quote!(polar_sdk::OneOrMany<#inner>)
        }
        TypeRef::OneOrMany(inner) => {
            let inner = type_tokens(api, inner, scope);
            quote!(crate::OneOrMany<#inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(api, inner, scope);
            quote!(Box<#inner>)
        }
    }
}

/// A human-readable spelling of a type for docs (`Vec<CustomerMeterSortProperty>`); boxes
/// are an implementation detail and left out.
pub fn type_text(api: &Api, ty: &TypeRef) -> String {
    let text = |inner: &TypeRef| type_text(api, inner);
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::Integer => "Integer".into(),
        TypeRef::Boxed(inner) => text(inner),
        TypeRef::Map(value) if **value == TypeRef::Any => {
            "serde_json::Map<String, serde_json::Value>".into()
        }
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", text(value)),
        TypeRef::Array(item) => format!("Vec<{}>", text(item)),
        TypeRef::Tuple(items) => format!(
            "({})",
            items.iter().map(text).collect::<Vec<_>>().join(", ")
        ),
        TypeRef::Nullable(inner) => format!("Option<{}>", text(inner)),
        TypeRef::OneOrMany(inner) => format!("OneOrMany<{}>", text(inner)),
        scalar => type_tokens(api, scalar, Scope::Outside)
            .to_string()
            .replace(" :: ", "::")
            .replace(" < ", "<")
            .replace(" >", ">"),
    }
}

/// The identifier tokens of a field or method name, honouring raw identifiers (`r#type`).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => format_ident!("{}", name),
    }
}
