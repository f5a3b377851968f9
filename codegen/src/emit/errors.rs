//! Documented error bodies → `errors.rs`: the public `ErrorBody` enum and one decoder per
//! schema that the operations' error tables point at.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, spec};
use super::operations::ErrorNames;
use super::Selection;
use crate::ir::{Api, TypeKind, TypeRef};

/// The `errors` module.
pub fn errors_file(api: &Api, selection: &Selection, names: &ErrorNames) -> TokenStream {
    // Each schema with the resources whose error tables name it: its variant and decoder
    // are compiled with those resources' features.
    let mut schemas: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for resource in &selection.resources {
        for op in api.resource_operations(resource) {
            for case in &op.errors {
                schemas
                    .entry(case.schema.as_str())
                    .or_default()
                    .insert(resource.clone());
            }
        }
    }
    let mut variants = Vec::new();
    let mut decoders = Vec::new();
    for (schema, users) in schemas {
        let cfg = selection.cfg_for(&users);
        let ty = format_ident!("{}", schema);
        let decoder = ErrorNames::decoder(schema);
        match names.runtime.get(schema) {
            Some(variant) => {
                let doc = doc_attrs(&format!(
                    "Decodes the body of a `{schema}` error into [`Error::{variant}`](crate::Error::{variant})."
                ));
                let matches = constants_match(api, schema);
                decoders.push(quote! {
                    #doc
                    #cfg
                    pub(crate) fn #decoder(_status: reqwest::StatusCode, body: &[u8]) -> Option<crate::Error> {
                        crate::runtime::runtime_error::<models::#ty>(body, #matches)
                    }
                });
            }
            None => {
                let what = api
                    .types
                    .get(schema)
                    .and_then(|def| def.doc.as_deref())
                    .map(spec)
                    .filter(|text| !text.is_empty())
                    .unwrap_or_else(|| {
                        format!("The body of a `{schema}` error: [`models::{schema}`].")
                    });
                let doc = doc_attrs(&what);
                variants.push(quote! {
                    #doc
                    #cfg
                    #ty(models::#ty)
                });
                let decoder_doc = doc_attrs(&format!(
                    "Decodes the body of a `{schema}` error into [`Error::Documented`](crate::Error::Documented)."
                ));
                let matches = constants_match(api, schema);
                decoders.push(quote! {
                    #decoder_doc
                    #cfg
                    pub(crate) fn #decoder(status: reqwest::StatusCode, body: &[u8]) -> Option<crate::Error> {
                        crate::runtime::documented_error(status, body, #matches, ErrorBody::#ty)
                    }
                });
            }
        }
    }
    quote! {
        //! Error bodies the API documents, decoded into types the caller can match on.
        //!
        //! Each operation lists its documented (status, schema) pairs; when a response has one
        //! of those statuses and its body decodes as that schema, the call fails with the typed
        //! error: `Error::ResourceNotFound`, `Error::HttpValidation`, or
        //! [`Error::Documented`](crate::Error::Documented) with an [`ErrorBody`].
        #[allow(unused_imports)]
        use crate::models;

        /// A documented error body other than the ones with their own
        /// [`Error`](crate::Error) variant, as [`Error::Documented`](crate::Error::Documented)
        /// carries it. Match the variants your code handles and keep a catch-all arm: a later
        /// version of the API may document more.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ErrorBody {
            #(#variants,)*
        }

        #(#decoders)*
    }
}

/// A check that the schema's required constant fields (one-value enums, like `"error":
/// "NotPermitted"`) hold their value: decoding alone accepts any string there, since enums
/// are open, and a union of error bodies is told apart by these fields.
fn constants_match(api: &Api, schema: &str) -> TokenStream {
    let ty = format_ident!("{}", schema);
    let mut checks = Vec::new();
    if let Some(TypeKind::Struct { fields }) = api.types.get(schema).map(|d| &d.kind) {
        for field in fields.iter().filter(|f| f.required && !f.nullable) {
            let TypeRef::Named(name) = &field.ty else {
                continue;
            };
            if let Some(TypeKind::Enum { values }) = api.types.get(name).map(|d| &d.kind) {
                if values.len() == 1 {
                    let field = super::types::ident(&field.rust_name);
                    let enum_ty = format_ident!("{}", name);
                    checks.push(quote!(
                        !matches!(value.#field, models::#enum_ty::Unknown(_))
                    ));
                }
            }
        }
    }
    if checks.is_empty() {
        quote!(|_: &models::#ty| true)
    } else {
        quote!(|value: &models::#ty| #(#checks)&&*)
    }
}
