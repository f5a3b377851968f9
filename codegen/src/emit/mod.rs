//! Stage 4: IR → Rust token streams, one per output file.
//!
//! Only the configured resources and the types they reach are emitted; the rest of the IR
//! is lowered (and checked) but not written.

pub mod conformance;
pub mod docs;
mod errors;
mod models;
mod operations;
mod reference;
pub mod types;
pub mod webhooks;

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
    /// The generated block of the crate's hand-written `Cargo.toml` (see [`FEATURES_BEGIN`]).
    ManifestBlock(String),
}

/// The crate manifest, relative to the output root: only the lines between [`FEATURES_BEGIN`]
/// and [`FEATURES_END`] are generated; the rest is written by hand.
pub const MANIFEST: &str = "Cargo.toml";
/// The line that opens the generated block of the manifest's `[features]` table.
pub const FEATURES_BEGIN: &str =
    "# @generated features begin: written by `cargo xtask codegen` from openapi/codegen.yaml";
/// The line that closes it.
pub const FEATURES_END: &str = "# @generated features end";

/// The generated lines of `[features]`: one empty feature per resource (named as its module)
/// and one for the webhook events, and `all-resources`, which turns them all on (the
/// hand-written `default` names it).
fn features_block(selection: &Selection) -> String {
    let mut features: Vec<&str> = selection.resources.iter().map(String::as_str).collect();
    features.push(webhooks::FEATURE);
    let quoted: Vec<String> = features.iter().map(|r| format!("\"{r}\"")).collect();
    let mut block = format!("all-resources = [{}]\n", quoted.join(", "));
    for feature in &features {
        block.push_str(&format!("{feature} = []\n"));
    }
    block
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
    /// For each selected type, the resources whose operations reach it.
    pub users: BTreeMap<String, BTreeSet<String>>,
    /// Types the hand-written runtime reaches: compiled whatever the features.
    pub always: BTreeSet<String>,
}

/// The model module of the types several resources (or the runtime) use.
pub const SHARED_MODULE: &str = "shared";

impl Selection {
    /// The module of `models/` a type goes in: the one resource that uses it, or
    /// [`SHARED_MODULE`] for a type several resources (or the runtime) use.
    pub fn model_module(&self, name: &str) -> &str {
        if self.always.contains(name) {
            return SHARED_MODULE;
        }
        match self.users.get(name) {
            Some(users) if users.len() == 1 => users.iter().next().map_or(SHARED_MODULE, |u| u),
            _ => SHARED_MODULE,
        }
    }

    /// `#[cfg(any(feature = …))]` for an item these resources use (all of them, too: with no
    /// resource on it would be dead code); nothing for an item none uses.
    pub fn cfg_for(&self, users: &BTreeSet<String>) -> Option<TokenStream> {
        if users.is_empty() {
            return None;
        }
        let features = users.iter();
        Some(if users.len() == 1 {
            quote!(#[cfg(#(feature = #features)*)])
        } else {
            quote!(#[cfg(any(#(feature = #features),*))])
        })
    }

    /// The `cfg` of a selected type: none for what the runtime needs, else its users'.
    pub fn type_cfg(&self, name: &str) -> Option<TokenStream> {
        if self.always.contains(name) {
            return None;
        }
        self.cfg_for(self.users.get(name)?)
    }
}

/// Every type `roots` reach, through fields, variants, aliases and deduplicated enums.
fn closure(api: &Api, roots: &[TypeRef]) -> BTreeSet<String> {
    let mut types = BTreeSet::new();
    let mut queue: Vec<String> = Vec::new();
    for root in roots {
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
    types
}

/// The types an operation names directly: parameters, request body, response bodies.
fn operation_roots(operation: &crate::ir::Operation) -> impl Iterator<Item = TypeRef> + '_ {
    let parameters = operation.parameters.iter().map(|p| p.ty.clone());
    let body = operation.request_body.iter().filter_map(|b| b.ty.clone());
    let responses = operation
        .responses
        .iter()
        .filter_map(|r| r.body.as_ref()?.ty.clone());
    parameters.chain(body).chain(responses)
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
    if resources.iter().any(|r| r == webhooks::FEATURE) {
        return Err(Error::Config(format!(
            "a resource may not be named `{}`: that is the feature of the webhook events",
            webhooks::FEATURE
        )));
    }

    let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for resource in &resources {
        let roots: Vec<TypeRef> = api
            .resource_operations(resource)
            .flat_map(operation_roots)
            .collect();
        for name in closure(api, &roots) {
            users.entry(name).or_default().insert(resource.clone());
        }
    }
    // The webhook events are a feature of their own, like a resource without operations.
    for name in closure(api, &crate::ir::webhooks::roots(&api.webhooks)) {
        users
            .entry(name)
            .or_default()
            .insert(webhooks::FEATURE.to_owned());
    }
    let mut runtime_roots: Vec<TypeRef> = Vec::new();
    for name in &config.runtime_types {
        // By pointer: the Rust name may differ from the schema's (see `naming::unreserved`).
        let pointer = schema_pointer(name);
        let Some(def) = api.types.values().find(|def| def.pointer == pointer) else {
            return Err(Error::Config(format!(
                "the runtime needs schema `{name}`, which the document does not define"
            )));
        };
        runtime_roots.push(TypeRef::Named(def.name.clone()));
    }
    let always = closure(api, &runtime_roots);
    // The runtime's own error variants, for the error schemas the document has.
    let mut runtime_errors = BTreeMap::new();
    for (name, variant) in &config.runtime_errors {
        let pointer = schema_pointer(name);
        if let Some(def) = api.types.values().find(|def| def.pointer == pointer) {
            runtime_errors.insert(def.name.clone(), variant.clone());
        }
    }
    let types = users.keys().chain(&always).cloned().collect();
    Ok(Selection {
        resources,
        types,
        runtime_errors,
        users,
        always,
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
    // The events are always generated.
    prefixes.push("/webhooks");
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

/// Emits every file of the selection, sorted by name. Unsupported constructs fail the whole
/// run.
pub fn emit(api: &Api, selection: &Selection) -> Result<Vec<EmittedFile>, Vec<Diagnostic>> {
    let plan = Plan::new(api, selection);
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for piece in plan.pieces() {
        match plan.emit(&piece) {
            Ok(emitted) => files.extend(emitted),
            Err(found) => diagnostics.extend(found),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// [`emit`] and [`format`](crate::format::format) together, the pieces of the output spread
/// over the machine's cores (each piece is emitted and formatted on one thread: token streams
/// cannot cross threads). The same files as the two in turn, sorted by name.
/// Unsupported constructs are an error naming `document`, the file they come from.
pub fn emit_formatted(
    api: &Api,
    selection: &Selection,
    document: &std::path::Path,
) -> Result<Vec<crate::format::GeneratedFile>, crate::Error> {
    let plan = Plan::new(api, selection);
    let pieces = plan.pieces();
    let done = crate::parallel::map(
        &pieces,
        |piece| plan.cost(piece),
        |piece| {
            plan.emit(piece).map(|files| {
                files
                    .into_iter()
                    .map(crate::format::format)
                    .collect::<Result<Vec<_>, _>>()
            })
        },
    );
    // As emitting everything and then formatting it: unsupported constructs are the error
    // if there are any, else the first file (by name) that fails to format.
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let mut unformatted: Option<crate::Error> = None;
    let file_of = |error: &crate::Error| match error {
        crate::Error::InvalidRust { file, .. } => file.clone(),
        _ => String::new(),
    };
    for result in done {
        match result {
            Ok(Ok(formatted)) => files.extend(formatted),
            Ok(Err(error)) => {
                let earlier = unformatted
                    .as_ref()
                    .map_or(true, |first| file_of(&error) < file_of(first));
                if earlier {
                    unformatted = Some(error);
                }
            }
            Err(found) => diagnostics.extend(found),
        }
    }
    if !diagnostics.is_empty() {
        return Err(crate::Error::Unsupported {
            path: document.to_owned(),
            diagnostics,
        });
    }
    if let Some(error) = unformatted {
        return Err(error);
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// One part of the output that is emitted on its own.
enum Piece<'a> {
    /// A resource's module and its reference page.
    Resource(&'a str),
    /// The reference index.
    Index,
    /// The webhook events' module and their reference page.
    Webhooks,
    /// One module of `models/`.
    Models(&'a str),
    /// `models/mod.rs`.
    ModelsMod,
    /// The one-or-many query filters.
    Filters,
    /// The operations' error enums.
    Errors,
    /// The generated modules' `mod.rs`.
    Root,
    /// The conformance driver's call table.
    Conformance,
    /// The features block of the crate manifest.
    Manifest,
}

/// What the pieces of one run share.
struct Plan<'a> {
    api: &'a Api,
    selection: &'a Selection,
    error_names: operations::ErrorNames,
    filters: Vec<&'a TypeDef>,
    models: BTreeMap<&'a str, (Vec<&'a TypeDef>, Vec<&'a crate::ir::Pagination>)>,
}

impl<'a> Plan<'a> {
    fn new(api: &'a Api, selection: &'a Selection) -> Self {
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
        Plan {
            api,
            selection,
            error_names: operations::ErrorNames {
                runtime: selection.runtime_errors.clone(),
            },
            filters,
            models: models::model_modules(selection, &models, &pages),
        }
    }

    fn pieces(&self) -> Vec<Piece<'a>> {
        let mut pieces: Vec<Piece<'a>> = self
            .selection
            .resources
            .iter()
            .map(|resource| Piece::Resource(resource))
            .collect();
        pieces.extend(self.models.keys().map(|module| Piece::Models(module)));
        pieces.extend([
            Piece::Index,
            Piece::Webhooks,
            Piece::ModelsMod,
            Piece::Filters,
            Piece::Errors,
            Piece::Root,
            Piece::Conformance,
            Piece::Manifest,
        ]);
        pieces
    }

    /// Roughly how much work a piece is, to start the big ones first.
    fn cost(&self, piece: &Piece<'_>) -> usize {
        match piece {
            Piece::Resource(resource) => 10 * self.api.resource_operations(resource).count(),
            Piece::Models(module) => self
                .models
                .get(module)
                .map_or(0, |(types, pages)| 10 * (types.len() + pages.len())),
            Piece::Webhooks | Piece::Conformance => 100,
            _ => 1,
        }
    }

    fn emit(&self, piece: &Piece<'_>) -> Result<Vec<EmittedFile>, Vec<Diagnostic>> {
        let (api, selection, error_names) = (self.api, self.selection, &self.error_names);
        let rust = |name: String, tokens: TokenStream| EmittedFile {
            name,
            content: Content::Rust(tokens),
        };
        let markdown = |name: String, text: String| EmittedFile {
            name,
            content: Content::Markdown(text),
        };
        Ok(match piece {
            Piece::Resource(resource) => vec![
                rust(
                    format!("{CODE_DIR}/{resource}.rs"),
                    operations::resource_file(api, resource, error_names)?,
                ),
                markdown(
                    format!("{DOCS_DIR}/{resource}.md"),
                    reference::page(api, resource, error_names),
                ),
            ],
            Piece::Index => vec![markdown(
                format!("{DOCS_DIR}/README.md"),
                reference::index(api, &selection.resources),
            )],
            Piece::Webhooks => vec![
                rust(
                    format!("{CODE_DIR}/{}.rs", webhooks::FEATURE),
                    webhooks::events_file(api),
                ),
                markdown(webhooks::page_name(), webhooks::page(api)),
            ],
            Piece::Models(module) => {
                let (types, pages) = &self.models[module];
                vec![rust(
                    format!("{CODE_DIR}/models/{module}.rs"),
                    models::model_file(api, selection, module, types, pages),
                )]
            }
            Piece::ModelsMod => vec![rust(
                format!("{CODE_DIR}/models/mod.rs"),
                models::models_mod(self.models.keys().copied()),
            )],
            Piece::Filters => vec![rust(
                format!("{CODE_DIR}/filters.rs"),
                models::filters_file(api, selection, &self.filters),
            )],
            Piece::Errors => vec![rust(
                format!("{CODE_DIR}/errors.rs"),
                errors::errors_file(api, selection, error_names),
            )],
            Piece::Root => vec![rust(
                format!("{CODE_DIR}/mod.rs"),
                root_module(api, selection),
            )],
            Piece::Conformance => vec![rust(
                conformance::CASES_FILE.to_owned(),
                conformance::cases_file(api, &selection.resources),
            )],
            Piece::Manifest => vec![EmittedFile {
                name: MANIFEST.to_owned(),
                content: Content::ManifestBlock(features_block(selection)),
            }],
        })
    }
}

/// `mod.rs`: the module tree, the API version and the servers.
fn root_module(api: &Api, selection: &Selection) -> TokenStream {
    let mut modules: Vec<String> = selection.resources.clone();
    modules.extend([
        "errors".to_owned(),
        "filters".to_owned(),
        "models".to_owned(),
    ]);
    modules.push(webhooks::FEATURE.to_owned());
    modules.sort();
    let modules = modules.iter().map(|m| {
        let cfg = (selection.resources.contains(m) || m == webhooks::FEATURE)
            .then(|| quote!(#[cfg(feature = #m)]));
        let m = format_ident!("{}", m);
        quote!(#cfg pub mod #m;)
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
            #[cfg(all(doctest, feature = #resource))]
            #[doc = include_str!(#path)]
            pub struct #name;
        }
    });
    let events_feature = webhooks::FEATURE;
    let events_page = format!("../../{}", webhooks::page_name());
    quote! {
        //! Code generated from the OpenAPI document: models, filters, documented error bodies,
        //! webhook events and one module per resource.
        #(#modules)*

        pub use errors::ErrorBody;

        #(#doctests)*

        /// Compiles the examples of the generated webhook events page as doc-tests.
        #[cfg(all(doctest, feature = #events_feature))]
        #[doc = include_str!(#events_page)]
        pub struct WebhookEventsReferencePage;

        #version_doc
        pub const API_VERSION: &str = #version;

        #server_enum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed document and configuration, lowered and selected.
    fn committed() -> (Api, Selection) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let document = crate::load::load_file(&root.join("openapi/polar-api.json")).unwrap();
        let normalized = crate::normalize::normalize(&document).unwrap();
        let api = crate::ir::lower(&document, &normalized).unwrap();
        let config = Config::load(&root.join("openapi/codegen.yaml")).unwrap();
        let selection = select(&api, &config).unwrap();
        (api, selection)
    }

    #[test]
    fn a_type_goes_with_its_only_resource_and_the_rest_to_shared() {
        let (_, selection) = committed();
        assert_eq!(selection.model_module("CustomerMeter"), "customer_meters");
        // The runtime names it: shared and compiled whatever the features.
        assert_eq!(selection.model_module("ResourceNotFound"), SHARED_MODULE);
        assert!(selection.type_cfg("ResourceNotFound").is_none());
        let several = selection
            .types
            .iter()
            .find(|name| selection.users.get(*name).is_some_and(|u| u.len() > 1))
            .unwrap();
        assert_eq!(selection.model_module(several), SHARED_MODULE);
        let cfg = selection.type_cfg(several).unwrap().to_string();
        assert!(cfg.contains("any"), "{cfg}");
    }

    /// The payload types are selected for the webhook events' own feature: in its model
    /// module when only the events use them, shared with the resources that return them too.
    #[test]
    fn webhook_payloads_are_gated_by_the_events_feature() {
        let (api, selection) = committed();
        assert!(!api.webhooks.is_empty());
        for event in &api.webhooks {
            let users = &selection.users[&event.payload];
            assert!(users.contains(webhooks::FEATURE), "{}", event.payload);
            assert_eq!(selection.model_module(&event.payload), webhooks::FEATURE);
        }
        let paid = api
            .webhooks
            .iter()
            .find(|e| e.event_type == "order.paid")
            .unwrap();
        let Some(TypeRef::Named(order)) = &paid.data else {
            panic!("{paid:?}");
        };
        assert_eq!(selection.model_module(order), SHARED_MODULE);
        let cfg = selection.type_cfg(order).unwrap().to_string();
        assert!(
            cfg.contains("webhook_events") && cfg.contains("orders"),
            "{cfg}"
        );
        assert!(features_block(&selection).contains("\nwebhook_events = []\n"));
    }

    /// Whatever features are on, a compiled type only names compiled types: a type in a
    /// resource's module names types of that module or shared ones, and a shared type's
    /// features imply those of every shared type it names.
    #[test]
    fn a_compiled_type_never_names_a_type_its_features_leave_out() {
        let (api, selection) = committed();
        let mut checked = 0;
        for name in &selection.types {
            let def = &api.types[name];
            let mut named: Vec<String> = def.same_as.iter().cloned().collect();
            for ty in def.type_refs() {
                ty.visit_named(&mut |next| named.push(next.to_owned()));
            }
            let module = selection.model_module(name);
            for next in named {
                let next_module = selection.model_module(&next);
                assert!(
                    next_module == module || next_module == SHARED_MODULE,
                    "{name} ({module}) names {next} ({next_module})"
                );
                if selection.always.contains(&next) {
                    continue;
                }
                assert!(!selection.always.contains(name), "{name} → {next}");
                let (users, next_users) = (&selection.users[name], &selection.users[&next]);
                assert!(users.is_subset(next_users), "{name} → {next}");
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
