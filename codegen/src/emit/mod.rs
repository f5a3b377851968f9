//! Stage 4: IR → Rust token streams, one per output file.
//!
//! Only the configured resources and the types they reach are emitted; the rest of the IR
//! is lowered (and checked) but not written.

pub mod docs;
mod errors;
mod models;
mod operations;
mod reference;
pub mod types;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::config::Config;
use crate::error::{Diagnostic, Error};
use crate::ir::{Api, TypeDef, TypeOrigin, TypeRef};

/// Where the Rust modules go, relative to the output root (the SDK crate).
pub const CODE_DIR: &str = "src/generated";
/// Where the reference pages go, relative to the output root.
pub const DOCS_DIR: &str = "docs";

/// A file to write, before formatting: its path relative to the output root.
#[derive(Debug, Clone)]
pub struct EmittedFile {
    /// Relative path (`src/generated/customer_meters.rs`).
    pub name: String,
    /// What goes in it.
    pub content: Content,
}

/// The content of an emitted file.
#[derive(Debug, Clone)]
pub enum Content {
    /// Rust items, formatted by prettyplease.
    Rust(TokenStream),
    /// A Markdown page, written as is.
    Markdown(String),
}

/// What the configured resources need: their operations and the closure of their types.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Resource names, sorted.
    pub resources: Vec<String>,
    /// Names of every type to emit.
    pub types: BTreeSet<String>,
    /// The runtime's own `Error` variant for each error schema it types itself, by Rust type
    /// name (`ResourceNotFound` → `ResourceNotFound`).
    pub runtime_errors: BTreeMap<String, String>,
}

/// Picks the configured resources and every type they (and the runtime) reach.
pub fn select(api: &Api, config: &Config) -> Result<Selection, Error> {
    let known = api.resources();
    let mut resources = Vec::new();
    for resource in &config.resources {
        if !known.contains(&resource.as_str()) {
            return Err(Error::Config(format!(
                "resource `{resource}` has no operations in the document (it has: {})",
                known.join(", ")
            )));
        }
        resources.push(resource.clone());
    }
    resources.sort();
    resources.dedup();

    let mut roots: Vec<TypeRef> = Vec::new();
    for resource in &resources {
        for operation in api.resource_operations(resource) {
            roots.extend(operation.parameters.iter().map(|p| p.ty.clone()));
            roots.extend(operation.request_body.iter().filter_map(|b| b.ty.clone()));
            roots.extend(
                operation
                    .responses
                    .iter()
                    .filter_map(|r| r.body.as_ref()?.ty.clone()),
            );
        }
    }
    for name in &config.runtime_types {
        // By pointer: the Rust name may differ from the schema's (see `naming::unreserved`).
        let pointer = schema_pointer(name);
        let Some(def) = api.types.values().find(|def| def.pointer == pointer) else {
            return Err(Error::Config(format!(
                "the runtime needs schema `{name}`, which the document does not define"
            )));
        };
        roots.push(TypeRef::Named(def.name.clone()));
    }
    // The runtime's own error variants, for the error schemas the document has.
    let mut runtime_errors = BTreeMap::new();
    for (name, variant) in &config.runtime_errors {
        let pointer = schema_pointer(name);
        if let Some(def) = api.types.values().find(|def| def.pointer == pointer) {
            runtime_errors.insert(def.name.clone(), variant.clone());
        }
    }

    let mut types = BTreeSet::new();
    let mut queue: Vec<String> = Vec::new();
    for root in &roots {
        root.visit_named(&mut |name| queue.push(name.to_owned()));
    }
    while let Some(name) = queue.pop() {
        if !types.insert(name.clone()) {
            continue;
        }
        if let Some(def) = api.types.get(&name) {
            for ty in def.type_refs() {
                ty.visit_named(&mut |next| queue.push(next.to_owned()));
            }
            queue.extend(def.same_as.iter().cloned());
        }
    }
    Ok(Selection {
        resources,
        types,
        runtime_errors,
    })
}

fn schema_pointer(name: &str) -> String {
    format!(
        "/components/schemas/{}",
        crate::error::escape_pointer_token(name)
    )
}

/// Diagnostics that touch the selection: a lossy construct in a generated type or operation.
pub fn selected_diagnostics(api: &Api, selection: &Selection) -> Vec<Diagnostic> {
    let mut prefixes: Vec<&str> = selection
        .types
        .iter()
        .filter_map(|name| api.types.get(name))
        .map(|def| def.pointer.as_str())
        .collect();
    for resource in &selection.resources {
        prefixes.extend(
            api.resource_operations(resource)
                .map(|op| op.pointer.as_str()),
        );
    }
    api.diagnostics
        .iter()
        .filter(|d| {
            prefixes.iter().any(|prefix| {
                d.pointer == *prefix
                    || (d.pointer.starts_with(prefix) && d.pointer[prefix.len()..].starts_with('/'))
            })
        })
        .cloned()
        .collect()
}

/// Emits every file of the selection. Unsupported constructs fail the whole run.
pub fn emit(api: &Api, selection: &Selection) -> Result<Vec<EmittedFile>, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    let error_names = operations::ErrorNames {
        runtime: selection.runtime_errors.clone(),
    };
    for resource in &selection.resources {
        match operations::resource_file(api, resource, &error_names) {
            Ok(tokens) => {
                files.push(EmittedFile {
                    name: format!("{CODE_DIR}/{resource}.rs"),
                    content: Content::Rust(tokens),
                });
                files.push(EmittedFile {
                    name: format!("{DOCS_DIR}/{resource}.md"),
                    content: Content::Markdown(reference::page(api, resource, &error_names)),
                });
            }
            Err(found) => diagnostics.extend(found),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    files.push(EmittedFile {
        name: format!("{DOCS_DIR}/README.md"),
        content: Content::Markdown(reference::index(api, &selection.resources)),
    });

    let defs: Vec<&TypeDef> = selection
        .types
        .iter()
        .filter_map(|n| api.types.get(n))
        .collect();
    let models: Vec<&TypeDef> = defs
        .iter()
        .copied()
        .filter(|d| d.origin == TypeOrigin::Model)
        .collect();
    let filters: Vec<&TypeDef> = defs
        .iter()
        .copied()
        .filter(|d| d.origin == TypeOrigin::Filter)
        .collect();
    let mut pages: BTreeMap<&str, &crate::ir::Pagination> = BTreeMap::new();
    for resource in &selection.resources {
        for operation in api.resource_operations(resource) {
            if let Some(page) = &operation.pagination {
                pages.entry(page.response_type.as_str()).or_insert(page);
            }
        }
    }
    let pages: Vec<_> = pages.into_values().collect();
    files.push(EmittedFile {
        name: format!("{CODE_DIR}/models.rs"),
        content: Content::Rust(models::models_file(api, &models, &pages)),
    });
    files.push(EmittedFile {
        name: format!("{CODE_DIR}/filters.rs"),
        content: Content::Rust(models::filters_file(api, &filters)),
    });
    files.push(EmittedFile {
        name: format!("{CODE_DIR}/errors.rs"),
        content: Content::Rust(errors::errors_file(api, selection, &error_names)),
    });
    files.push(EmittedFile {
        name: format!("{CODE_DIR}/mod.rs"),
        content: Content::Rust(root_module(api, selection)),
    });
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// `mod.rs`: the module tree, the API version and the servers.
fn root_module(api: &Api, selection: &Selection) -> TokenStream {
    let mut modules: Vec<String> = selection.resources.clone();
    modules.extend([
        "errors".to_owned(),
        "filters".to_owned(),
        "models".to_owned(),
    ]);
    modules.sort();
    let modules = modules.iter().map(|m| {
        let m = format_ident!("{}", m);
        quote!(pub mod #m;)
    });
    let version = &api.version;
    let version_doc = docs::doc_attrs(&format!(
        "The version of the Polar API this SDK was generated from (`{version}`), sent as the \
         `Polar-Version` header so the server answers in the shapes these types describe."
    ));
    let title = &api.title;
    let variants = api.servers.iter().enumerate().map(|(index, server)| {
        let name = format_ident!("{}", server.name);
        let doc = docs::doc_attrs(&format!(
            "{} (`{}`).",
            docs::spec(
                server
                    .description
                    .as_deref()
                    .unwrap_or("Server")
                    .trim_end_matches('.')
            ),
            server.url
        ));
        let default = (index == 0).then(|| quote!(#[default]));
        quote!(#doc #default #name)
    });
    let arms = api.servers.iter().map(|server| {
        let name = format_ident!("{}", server.name);
        let url = &server.url;
        quote!(Self::#name => #url)
    });
    let server_doc = docs::doc_attrs(&format!(
        "A server of the {title}. The first one listed by the API is the default."
    ));
    let server_enum = (!api.servers.is_empty()).then(|| {
        quote! {
            #server_doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            #[non_exhaustive]
            pub enum Server {
                #(#variants,)*
            }

            impl Server {
                /// The base URL requests are sent to.
                pub const fn url(self) -> &'static str {
                    match self {
                        #(#arms,)*
                    }
                }
            }
        }
    });
    let doctests = selection.resources.iter().map(|resource| {
        let name = format_ident!("{}ReferencePage", operations::handle_name(resource, &[]));
        let path = format!("../../{DOCS_DIR}/{resource}.md");
        quote! {
            /// Compiles the examples of the generated reference page as doc-tests.
            #[cfg(doctest)]
            #[doc = include_str!(#path)]
            pub struct #name;
        }
    });
    quote! {
        //! Code generated from the OpenAPI document: models, filters, documented error bodies
        //! and one module per resource.
        #(#modules)*

        pub use errors::ErrorBody;

        #(#doctests)*

        #version_doc
        pub const API_VERSION: &str = #version;

        #server_enum
    }
}
