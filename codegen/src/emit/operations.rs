//! Operations → one resource module each: a handle (`polar.customer_meters()`), one request
//! builder per operation, and thin `send`/`into_stream` glue into the runtime.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, inner_doc_attrs, spec};
use super::types::{ident, type_text, type_tokens, Scope};
use crate::error::Diagnostic;
use crate::ir::{
    naming::{type_name, unreserved},
    Api, Operation, ParamLocation, ParamStyle, Parameter, TypeKind, TypeOrigin, TypeRef,
};

/// The module of one resource, or the constructs that keep it from being generated.
pub fn resource_file(api: &Api, resource: &str) -> Result<TokenStream, Vec<Diagnostic>> {
    let operations: Vec<&Operation> = api.resource_operations(resource).collect();
    let mut diagnostics = Vec::new();
    for operation in &operations {
        diagnostics.extend(unsupported(api, operation));
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let handle = format_ident!("{}", handle_name(resource));
    let accessor = ident(resource);
    let verbs: Vec<String> = operations
        .iter()
        .map(|op| {
            format!(
                "[`{}`]({handle}::{})",
                op.verb,
                op.verb.trim_start_matches("r#")
            )
        })
        .collect();
    let module_doc = inner_doc_attrs(&format!(
        "The `{resource}` resource: {}.\n\nStart from [`Polar::{resource}`](crate::Polar::{resource}).",
        verbs.join(", ")
    ));
    let handle_doc = doc_attrs(&format!(
        "Operations on `{resource}`. Cheap to create: it borrows the client."
    ));
    let accessor_doc = doc_attrs(&format!(
        "Operations on `{resource}`: {}.",
        verbs.join(", ")
    ));
    let methods = operations.iter().map(|op| handle_method(api, op));
    let builders = operations.iter().map(|op| builder(api, op));
    Ok(quote! {
        #module_doc
        #[allow(unused_imports)]
        use crate::{filters, models};

        #handle_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a crate::Polar,
        }

        impl crate::Polar {
            #accessor_doc
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: self }
            }
        }

        impl #handle<'_> {
            #(#methods)*
        }

        #(#builders)*
    })
}

fn unsupported(api: &Api, operation: &Operation) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut report = |message: String| {
        out.push(Diagnostic {
            pointer: operation.pointer.clone(),
            message,
        })
    };
    if success_type(operation).is_none() {
        report("no JSON success response; only JSON responses are generated yet".into());
    }
    for parameter in &operation.parameters {
        let supported = match (parameter.location, parameter.style) {
            (ParamLocation::Path, ParamStyle::Simple) => is_scalar(api, &parameter.ty),
            (ParamLocation::Query, ParamStyle::Form) => match &parameter.ty {
                TypeRef::Array(item) => is_scalar(api, item),
                TypeRef::Named(name) => match api.types.get(name).map(|d| &d.kind) {
                    Some(TypeKind::Alias {
                        ty: TypeRef::OneOrMany(item),
                    }) => is_scalar(api, item),
                    _ => is_scalar(api, &parameter.ty),
                },
                other => is_scalar(api, other),
            },
            _ => false,
        };
        if !supported {
            report(format!(
                "parameter `{}` ({:?}, style {:?}, type `{}`) is not generated yet",
                parameter.name,
                parameter.location,
                parameter.style,
                type_text(api, &parameter.ty)
            ));
        }
    }
    out
}

/// Types the runtime writes as one path segment or query value.
fn is_scalar(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F64
        | TypeRef::Bool
        | TypeRef::Uuid
        | TypeRef::DateTime
        | TypeRef::Date => true,
        TypeRef::Named(name) => matches!(
            api.types.get(name).map(|d| &d.kind),
            Some(TypeKind::Enum { .. })
        ),
        _ => false,
    }
}

pub(super) fn success_type(operation: &Operation) -> Option<&TypeRef> {
    operation
        .responses
        .iter()
        .find(|r| r.status.starts_with('2'))?
        .body
        .as_ref()?
        .ty
        .as_ref()
}

fn builder_name(operation: &Operation) -> proc_macro2::Ident {
    format_ident!(
        "{}",
        unreserved(format!(
            "{}{}",
            type_name(&operation.resource),
            type_name(&operation.verb)
        ))
    )
}

/// The resource's handle type (`CustomerMeters`).
pub(super) fn handle_name(resource: &str) -> String {
    unreserved(type_name(resource))
}

/// Required parameters are arguments of the handle method; the rest are builder setters.
pub(super) fn is_argument(parameter: &Parameter) -> bool {
    parameter.required
}

fn operation_doc(operation: &Operation) -> String {
    let mut text = String::new();
    if let Some(summary) = &operation.summary {
        text.push_str(&spec(summary.trim().trim_end_matches('.')));
        text.push_str(".\n\n");
    }
    if let Some(description) = &operation.description {
        text.push_str(&spec(description));
        text.push_str("\n\n");
    }
    if !operation.scopes.is_empty() {
        let scopes: Vec<String> = operation.scopes.iter().map(|s| format!("`{s}`")).collect();
        text.push_str(&format!("**Scopes**: {}\n\n", scopes.join(" ")));
    }
    text.push_str(&format!(
        "`{} {}` (`{}`)",
        operation.method, operation.path, operation.id
    ));
    if operation.deprecated {
        text.push_str("\n\n**Deprecated** by the API.");
    }
    text
}

fn handle_method(api: &Api, operation: &Operation) -> TokenStream {
    let doc = doc_attrs(&operation_doc(operation));
    let method = ident(&operation.verb);
    let builder = builder_name(operation);
    let arguments = operation
        .parameters
        .iter()
        .filter(|p| is_argument(p))
        .map(|p| {
            let name = ident(&p.rust_name);
            let ty = setter_type(api, &p.ty);
            quote!(#name: #ty)
        });
    let initializers = operation.parameters.iter().map(|p| {
        let name = ident(&p.rust_name);
        if is_argument(p) {
            if needs_conversion(api, &p.ty) {
                let value = setter_conversion(api, &p.ty, quote!(#name));
                quote!(#name: #value)
            } else {
                quote!(#name)
            }
        } else {
            quote!(#name: None)
        }
    });
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#arguments),*) -> #builder {
            #builder {
                client: self.client.clone(),
                options: crate::runtime::RequestOptions::default(),
                #(#initializers,)*
            }
        }
    }
}

/// What a setter or argument accepts: conversions users expect (`&str` for strings, arrays
/// for lists, a single value or a list for one-or-many filters).
fn setter_type(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl Into<String>),
        TypeRef::Array(item) => {
            let item = type_tokens(api, item, Scope::Outside);
            quote!(impl IntoIterator<Item = #item>)
        }
        TypeRef::Named(name)
            if api
                .types
                .get(name)
                .is_some_and(|d| d.origin == TypeOrigin::Filter) =>
        {
            let ty = type_tokens(api, ty, Scope::Outside);
            quote!(impl Into<#ty>)
        }
        other => type_tokens(api, other, Scope::Outside),
    }
}

fn is_filter(api: &Api, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(name) if api.types.get(name).is_some_and(|d| d.origin == TypeOrigin::Filter))
}

fn needs_conversion(api: &Api, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::Array(_)) || is_filter(api, ty)
}

/// Turns what a setter accepts (see [`setter_type`]) into the stored type.
fn setter_conversion(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Array(_) => quote!(#value.into_iter().collect()),
        _ if needs_conversion(api, ty) => quote!(#value.into()),
        _ => value,
    }
}

fn builder(api: &Api, operation: &Operation) -> TokenStream {
    let name = builder_name(operation);
    let handle = format_ident!("{}", handle_name(&operation.resource));
    let verb = operation.verb.trim_start_matches("r#");
    let summary = operation.summary.as_deref().unwrap_or(&operation.id);
    let doc = doc_attrs(&format!(
        "Request builder for [`{handle}::{verb}`]: {}.\n\nSet optional parameters, then call `.send()`{}.",
        spec(summary.trim().trim_end_matches('.')),
        if operation.pagination.is_some() { " for one page or `.into_stream()` for every item" } else { "" }
    ));
    let fields = operation.parameters.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = type_tokens(api, &p.ty, Scope::Outside);
        if is_argument(p) {
            quote!(#field: #ty)
        } else {
            quote!(#field: Option<#ty>)
        }
    });
    let setters = operation
        .parameters
        .iter()
        .filter(|p| !is_argument(p))
        .map(|p| {
            let field = ident(&p.rust_name);
            let mut text = p
                .doc
                .as_deref()
                .map(spec)
                .unwrap_or_else(|| format!("The `{}` parameter.", p.name));
            if let Some(default) = &p.default {
                text.push_str(&format!(
                    "\n\nThe server uses `{default}` when this is not set."
                ));
            }
            text.push_str(&format!("\n\n{}", accepts(api, &p.ty)));
            let doc = doc_attrs(&text);
            let ty = setter_type(api, &p.ty);
            let value = setter_conversion(api, &p.ty, quote!(value));
            quote! {
                #doc
                pub fn #field(mut self, value: #ty) -> Self {
                    self.#field = Some(#value);
                    self
                }
            }
        });
    let method = format_ident!("{}", operation.method);
    let id = &operation.id;
    let path = &operation.path;
    let request_parts = operation.parameters.iter().map(|p| {
        let field = ident(&p.rust_name);
        let wire = &p.name;
        match p.location {
            ParamLocation::Path => quote!(request.path_param(#wire, &self.#field);),
            _ => {
                let explode = p.explode;
                quote!(request.query(#wire, crate::runtime::QueryStyle::Form { explode: #explode }, &self.#field);)
            }
        }
    });
    let new_request =
        quote!(crate::runtime::RequestSpec::new(#id, reqwest::Method::#method, #path));
    // A request without parameters is complete as created.
    let request_body = if operation.parameters.is_empty() {
        new_request
    } else {
        quote! {
            let mut request = #new_request;
            #(#request_parts)*
            request
        }
    };
    let success = success_type(operation).cloned().unwrap_or(TypeRef::Any);
    let errors_doc = errors_doc(api, operation);
    let (send, stream) = match &operation.pagination {
        Some(page) => {
            let item = type_tokens(api, &page.item, Scope::Outside);
            let response = format_ident!("{}", page.response_type);
            let page_param = &page.page_param;
            let first_page = proc_macro2::Literal::i64_unsuffixed(page.first_page);
            let paging = quote!(crate::runtime::PageParams { page_param: #page_param, first_page: #first_page });
            let send_doc = doc_attrs(&format!(
                "Sends the request and returns one page; [`Page::next`](crate::Page::next) fetches the following one.\n\n{errors_doc}"
            ));
            let stream_doc = doc_attrs(
                "Every item of every page from the one set (or the first), fetched lazily one page at a time.\n\nEnds after the last page the server reports, or at the first error; a repeated page, or an empty page before the last, ends it with [`Error::Pagination`](crate::Error::Pagination) rather than silently.",
            );
            (
                quote! {
                    #send_doc
                    pub async fn send(self) -> Result<crate::Page<#item>, crate::Error> {
                        let request = self.request();
                        self.client.send_page::<models::#response>(request, self.options, #paging).await
                    }
                },
                quote! {
                    #stream_doc
                    pub fn into_stream(self) -> crate::PageStream<#item> {
                        let request = self.request();
                        self.client.stream_pages::<models::#response>(request, self.options, #paging)
                    }
                },
            )
        }
        None => {
            let ty = type_tokens(api, &success, Scope::Outside);
            let send_doc = doc_attrs(&format!("Sends the request.\n\n{errors_doc}"));
            (
                quote! {
                    #send_doc
                    pub async fn send(self) -> Result<#ty, crate::Error> {
                        let request = self.request();
                        self.client.send_json::<#ty>(request, self.options).await
                    }
                },
                quote!(),
            )
        }
    };
    let scope = if operation.pagination.is_some() {
        "this call and every page it fetches"
    } else {
        "this call"
    };
    let retry_doc = doc_attrs(&format!("Overrides the client's retry policy for {scope}."));
    let timeout_doc = doc_attrs(&format!(
        "Overrides the client's per-attempt timeout for {scope}."
    ));
    let max_response_size_doc = doc_attrs(&format!(
        "Overrides the client's response size limit, in bytes, for {scope}."
    ));
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send()` is awaited"]
        pub struct #name {
            client: crate::Polar,
            options: crate::runtime::RequestOptions,
            #(#fields,)*
        }

        impl #name {
            #(#setters)*

            #retry_doc
            pub fn retry(mut self, retry: crate::RetryConfig) -> Self {
                self.options.retry = Some(retry);
                self
            }

            #timeout_doc
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            #max_response_size_doc
            pub fn max_response_size(mut self, bytes: u64) -> Self {
                self.options.max_response_size = Some(bytes);
                self
            }

            fn request(&self) -> crate::runtime::RequestSpec {
                #request_body
            }

            #send
            #stream
        }
    }
}

/// The `# Errors` section: documented error responses and how they surface.
fn errors_doc(api: &Api, operation: &Operation) -> String {
    let mut text = String::from("# Errors\n\n");
    for response in &operation.responses {
        if response.status.starts_with('2') {
            continue;
        }
        let schema = response
            .body
            .as_ref()
            .and_then(|b| b.ty.as_ref())
            .map(|ty| format!(" (body: `{}`)", type_text(api, ty)))
            .unwrap_or_default();
        let variant = super::error_variant(&response.status);
        let variant = format!("[`Error::{variant}`](crate::Error::{variant})");
        text.push_str(&format!(
            "- `{}` {}: {variant}{schema}\n",
            response.status,
            spec(response.description.trim().trim_end_matches('.'))
        ));
    }
    text.push_str("- any other 4XX/5XX: [`Error::Api`](crate::Error::Api); transport failures, timeouts and undecodable bodies: the other [`Error`](crate::Error) variants.");
    text
}

/// What a setter accepts, in words.
pub(super) fn accepts(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => match api.types.get(name).map(|d| (&d.origin, &d.kind)) {
            Some((
                TypeOrigin::Filter,
                crate::ir::TypeKind::Alias {
                    ty: TypeRef::OneOrMany(item),
                },
            )) => {
                let item = type_text(api, item);
                let single = if item == "String" {
                    "a `&str`/`String`".to_owned()
                } else {
                    format!("one `{item}`")
                };
                format!("Accepts {single}, or several as an array or a `Vec`; an empty list fails with `Error::InvalidRequest` before sending (leave it unset for no filter).")
            }
            _ => format!("Accepts a [`{name}`](models::{name})."),
        },
        TypeRef::Array(item) => format!(
            "Accepts any iterator of `{}`, e.g. an array; an empty one fails with `Error::InvalidRequest` before sending (leave it unset for the default).",
            type_text(api, item)
        ),
        TypeRef::String => "Accepts a `&str` or `String`.".to_owned(),
        other => format!("Accepts `{}`.", type_text(api, other)),
    }
}
