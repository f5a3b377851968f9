//! Operations → one resource module each: a handle (`polar.customer_meters()`), one request
//! builder per operation, and thin `send`/`into_stream` glue into the runtime.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, inner_doc_attrs, spec};
use super::types::{ident, type_text, type_tokens, Scope};
use crate::error::Diagnostic;
use crate::ir::{
    naming::{joined_type_name, type_name, unreserved},
    Api, AuthKind, Body, Operation, ParamLocation, ParamStyle, Parameter, Success, TypeKind,
    TypeOrigin, TypeRef,
};

/// The module of one resource, or the constructs that keep it from being generated: a handle
/// per group (`polar.customer_portal()`, `.orders()`), one request builder per operation.
pub fn resource_file(
    api: &Api,
    resource: &str,
    errors: &ErrorNames,
) -> Result<TokenStream, Vec<Diagnostic>> {
    let operations: Vec<&Operation> = api.resource_operations(resource).collect();
    let mut diagnostics = Vec::new();
    for operation in &operations {
        diagnostics.extend(unsupported(api, operation));
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let groups = api.groups(resource);
    let module_doc = inner_doc_attrs(&format!(
        "The `{resource}` resource{}.\n\nStart from [`Polar::{accessor}`](crate::Polar::{accessor}).",
        if groups.len() > 1 { " and its sub-resources" } else { "" },
        accessor = accessor_name(resource),
    ));
    let handles = groups.iter().map(|group| handle(api, resource, group));
    let builders = operations.iter().map(|op| builder(api, op, errors));
    Ok(quote! {
        #module_doc
        #[allow(unused_imports)]
        use crate::{filters, models};

        #(#handles)*

        #(#builders)*
    })
}

/// The handle type of a group, its accessor (on the client or the parent handle) and the
/// methods that start its operations.
fn handle(api: &Api, resource: &str, group: &[String]) -> TokenStream {
    let name = format_ident!("{}", handle_name(resource, group));
    let operations: Vec<&Operation> = api.group_operations(resource, group).collect();
    let children: Vec<Vec<String>> = api
        .groups(resource)
        .into_iter()
        .filter(|g| g.len() == group.len() + 1 && g.starts_with(group))
        .collect();
    let mut listed: Vec<String> = operations
        .iter()
        .map(|op| format!("[`{}`]({name}::{})", bare(&op.verb), bare(&op.verb)))
        .collect();
    listed.extend(children.iter().map(|child| {
        let last = child.last().map_or("", String::as_str);
        format!("[`{last}()`]({name}::{})", bare(last))
    }));
    let path = std::iter::once(accessor_name(resource))
        .chain(group.iter().cloned())
        .map(|part| format!("{}()", bare(&part)))
        .collect::<Vec<_>>()
        .join(".");
    let handle_doc = doc_attrs(&format!(
        "Operations on `{}` (`polar.{path}`): {}. Cheap to create: it borrows the client.",
        std::iter::once(resource.trim_end_matches('_'))
            .chain(group.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" → "),
        listed.join(", ")
    ));
    let accessor_doc = doc_attrs(&format!(
        "Operations on `{}`: {}.",
        group
            .last()
            .map_or(resource.trim_end_matches('_'), String::as_str),
        listed.join(", ")
    ));
    let accessor = match group.split_last() {
        None => {
            let method = ident(&accessor_name(resource));
            quote! {
                impl crate::Polar {
                    #accessor_doc
                    pub fn #method(&self) -> #name<'_> {
                        #name { client: self }
                    }
                }
            }
        }
        Some((last, parent)) => {
            let parent = format_ident!("{}", handle_name(resource, parent));
            let method = ident(last);
            quote! {
                impl<'a> #parent<'a> {
                    #accessor_doc
                    pub fn #method(&self) -> #name<'a> {
                        #name { client: self.client }
                    }
                }
            }
        }
    };
    let methods = operations.iter().map(|op| handle_method(api, op));
    let methods = (!operations.is_empty()).then(|| {
        quote! {
            impl #name<'_> {
                #(#methods)*
            }
        }
    });
    quote! {
        #handle_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a crate::Polar,
        }

        #accessor
        #methods
    }
}

/// The Rust names of the documented error schemas: the decoder function in `errors.rs`, and
/// the runtime `Error` variant for the schemas the runtime types itself.
#[derive(Debug, Clone, Default)]
pub struct ErrorNames {
    /// Rust type name → `Error` variant of the hand-written runtime (`ResourceNotFound`).
    pub runtime: std::collections::BTreeMap<String, String>,
}

impl ErrorNames {
    /// The path of the decoder function for a schema.
    pub fn decoder(schema: &str) -> proc_macro2::Ident {
        format_ident!(
            "{}",
            crate::ir::naming::field_name(schema).trim_start_matches("r#")
        )
    }

    /// How a documented error body surfaces, for docs: the `Error` variant and where the
    /// body is.
    pub fn surfaces_as(&self, schema: &str) -> String {
        match self.runtime.get(schema) {
            Some(variant) => format!("[`Error::{variant}`](crate::Error::{variant})"),
            None => format!(
                "[`Error::Documented`](crate::Error::Documented) with [`ErrorBody::{schema}`](crate::ErrorBody::{schema})"
            ),
        }
    }
}

fn unsupported(api: &Api, operation: &Operation) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut report = |message: String| {
        out.push(Diagnostic {
            pointer: operation.pointer.clone(),
            message,
        })
    };
    if let Some(body) = &operation.request_body {
        if body.ty.is_none() || body_kind(&body.content_type).is_none() {
            report(format!(
                "a `{}` request body is not generated; only JSON and form bodies are",
                body.content_type
            ));
        }
    }
    for parameter in &operation.parameters {
        let supported = match (parameter.location, parameter.style) {
            (ParamLocation::Path, ParamStyle::Simple) => is_scalar(api, &parameter.ty),
            (ParamLocation::Header, ParamStyle::Simple) => is_scalar(api, &parameter.ty),
            (ParamLocation::Query, ParamStyle::DeepObject) => true,
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

/// How the runtime sends a body of this media type: `json_body` or `form_body`.
pub(super) fn body_kind(content_type: &str) -> Option<&'static str> {
    if content_type == "application/json" || content_type.ends_with("+json") {
        Some("json_body")
    } else if content_type == "application/x-www-form-urlencoded" {
        Some("form_body")
    } else {
        None
    }
}

fn bare(name: &str) -> &str {
    name.trim_start_matches("r#")
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

fn builder_name(operation: &Operation) -> proc_macro2::Ident {
    let mut parts = vec![operation.resource.as_str()];
    parts.extend(operation.group.iter().map(String::as_str));
    parts.push(&operation.verb);
    format_ident!("{}", unreserved(joined_type_name(&parts)))
}

/// The handle type of a resource or one of its groups (`CustomerMeters`,
/// `CustomerPortalOrders`).
pub(super) fn handle_name(resource: &str, group: &[String]) -> String {
    unreserved(group_type_name(resource, group))
}

/// The resource and group names in upper camel case, before clearing the prelude.
fn group_type_name(resource: &str, group: &[String]) -> String {
    let mut parts = vec![resource];
    parts.extend(group.iter().map(String::as_str));
    joined_type_name(&parts)
}

/// The method on the client that starts a resource: its module name, without the `_` a
/// module name gets when it would clash with a crate-root item (`webhooks_` → `webhooks()`).
pub(super) fn accessor_name(resource: &str) -> String {
    crate::ir::naming::accessor_name(resource)
}

/// Required parameters are arguments of the handle method; the rest are builder setters.
pub(super) fn is_argument(parameter: &Parameter) -> bool {
    parameter.required
}

/// A required body is an argument of the handle method; an optional one has a setter.
pub(super) fn body_is_argument(body: &Body) -> bool {
    body.required
}

/// The kinds of token an operation accepts, in words.
pub(super) fn auth_text(operation: &Operation) -> String {
    if operation.auth.is_empty() {
        return "**Authentication**: none; no token is sent.".to_owned();
    }
    let kinds: Vec<&str> = operation
        .auth
        .iter()
        .map(|kind| match kind {
            AuthKind::Organization => "an organization access token ([`PolarBuilder::access_token`](crate::PolarBuilder::access_token))",
            AuthKind::CustomerSession => "a customer session token ([`PolarBuilder::customer_session_token`](crate::PolarBuilder::customer_session_token))",
            AuthKind::MemberSession => "a member session token ([`PolarBuilder::member_session_token`](crate::PolarBuilder::member_session_token))",
        })
        .collect();
    format!("**Authentication**: {}.", kinds.join(", or "))
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
    text.push_str(&auth_text(operation));
    text.push_str("\n\n");
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
    let mut arguments: Vec<TokenStream> = operation
        .parameters
        .iter()
        .filter(|p| is_argument(p))
        .map(|p| {
            let name = ident(&p.rust_name);
            let ty = setter_type(api, &p.ty);
            quote!(#name: #ty)
        })
        .collect();
    let mut initializers: Vec<TokenStream> = operation
        .parameters
        .iter()
        .map(|p| {
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
        })
        .collect();
    if let Some((body, ty)) = typed_body(operation) {
        let ty = type_tokens(api, ty, Scope::Outside);
        if body_is_argument(body) {
            arguments.push(quote!(body: impl Into<#ty>));
            initializers.push(quote!(body: body.into()));
        } else {
            initializers.push(quote!(body: None));
        }
    }
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

/// The request body and its type, when the operation sends one the generator types.
pub(super) fn typed_body(operation: &Operation) -> Option<(&Body, &TypeRef)> {
    let body = operation.request_body.as_ref()?;
    Some((body, body.ty.as_ref()?))
}

/// What a setter or argument accepts: conversions users expect (`&str` for strings, arrays
/// for lists, a single value or a list for one-or-many filters).
fn setter_type(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl Into<String>),
        TypeRef::Map(value) if **value != TypeRef::Any => {
            let value = type_tokens(api, value, Scope::Outside);
            quote!(impl IntoIterator<Item = (impl Into<String>, impl Into<#value>)>)
        }
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
    matches!(ty, TypeRef::String | TypeRef::Array(_)) || is_filter(api, ty) || is_typed_map(ty)
}

fn is_typed_map(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Map(value) if **value != TypeRef::Any)
}

/// Turns what a setter accepts (see [`setter_type`]) into the stored type.
fn setter_conversion(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Array(_) => quote!(#value.into_iter().collect()),
        TypeRef::Map(_) if is_typed_map(ty) => {
            quote!(#value.into_iter().map(|(key, value)| (key.into(), value.into())).collect())
        }
        _ if needs_conversion(api, ty) => quote!(#value.into()),
        _ => value,
    }
}

/// The static description of an operation the runtime executes.
fn operation_static(operation: &Operation) -> TokenStream {
    let id = &operation.id;
    let path = &operation.path;
    let method = format_ident!("{}", type_name(&operation.method.to_ascii_lowercase()));
    let auth = operation.auth.iter().map(|kind| {
        let kind = format_ident!("{}", format!("{kind:?}"));
        quote!(crate::runtime::Auth::#kind)
    });
    let errors = operation.errors.iter().map(|case| {
        let status = proc_macro2::Literal::u16_unsuffixed(case.status);
        let decoder = ErrorNames::decoder(&case.schema);
        quote!((#status, crate::errors::#decoder))
    });
    quote! {
        static OPERATION: crate::runtime::Operation = crate::runtime::Operation {
            id: #id,
            method: crate::runtime::Method::#method,
            path: #path,
            auth: &[#(#auth),*],
            errors: &[#(#errors),*],
        };
    }
}

fn builder(api: &Api, operation: &Operation, errors: &ErrorNames) -> TokenStream {
    let name = builder_name(operation);
    let handle = format_ident!("{}", handle_name(&operation.resource, &operation.group));
    let verb = bare(&operation.verb);
    let summary = operation.summary.as_deref().unwrap_or(&operation.id);
    let doc = doc_attrs(&format!(
        "Request builder for [`{handle}::{verb}`]: {}.\n\nSet optional parameters, then call `.send()`{}.",
        spec(summary.trim().trim_end_matches('.')),
        if operation.pagination.is_some() { " for one page or `.into_stream()` for every item" } else { "" }
    ));
    let mut fields: Vec<TokenStream> = operation
        .parameters
        .iter()
        .map(|p| {
            let field = ident(&p.rust_name);
            let ty = type_tokens(api, &p.ty, Scope::Outside);
            if is_argument(p) {
                quote!(#field: #ty)
            } else {
                quote!(#field: Option<#ty>)
            }
        })
        .collect();
    let mut setters: Vec<TokenStream> = operation
        .parameters
        .iter()
        .filter(|p| !is_argument(p))
        .map(|p| {
            let field = ident(&p.rust_name);
            let mut text = p.doc.as_deref().map(spec).unwrap_or_else(|| {
                format!(
                    "Sets the `{}` {} parameter.",
                    p.name,
                    location_word(p.location)
                )
            });
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
        })
        .collect();
    let mut request_parts: Vec<TokenStream> = operation
        .parameters
        .iter()
        .map(|p| {
            let field = ident(&p.rust_name);
            let wire = &p.name;
            match (p.location, p.style) {
                (ParamLocation::Path, _) => quote!(request.path_param(#wire, &self.#field);),
                (ParamLocation::Header, _) => quote!(request.header(#wire, &self.#field);),
                (_, ParamStyle::DeepObject) => {
                    quote!(request.query_deep_object(#wire, &self.#field);)
                }
                _ => {
                    let explode = p.explode;
                    quote!(request.query(#wire, crate::runtime::QueryStyle::Form { explode: #explode }, &self.#field);)
                }
            }
        })
        .collect();
    if let Some((body, ty)) = typed_body(operation) {
        let ty_tokens = type_tokens(api, ty, Scope::Outside);
        let send = format_ident!("{}", body_kind(&body.content_type).unwrap_or("json_body"));
        if body_is_argument(body) {
            fields.push(quote!(body: #ty_tokens));
            request_parts.push(quote!(request.#send(&self.body);));
        } else {
            fields.push(quote!(body: Option<#ty_tokens>));
            request_parts.push(quote! {
                if let Some(body) = &self.body {
                    request.#send(body);
                }
            });
            let doc = doc_attrs(&format!(
                "The request body; without it none is sent.\n\nAccepts a [`{0}`](models::{0}) or anything that converts into one.",
                type_text(api, ty)
            ));
            setters.push(quote! {
                #doc
                pub fn body(mut self, value: impl Into<#ty_tokens>) -> Self {
                    self.body = Some(value.into());
                    self
                }
            });
        }
    }
    if let Success::Bytes { media_type } = &operation.success {
        request_parts.push(quote!(request.accept(#media_type);));
    }
    let operation_static = operation_static(operation);
    let request_body = if request_parts.is_empty() {
        quote! {
            #operation_static
            crate::runtime::RequestSpec::for_operation(&OPERATION)
        }
    } else {
        quote! {
            #operation_static
            let mut request = crate::runtime::RequestSpec::for_operation(&OPERATION);
            #(#request_parts)*
            request
        }
    };
    let errors_doc = errors_doc(api, operation, errors);
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
            let (returns, call, what) = match &operation.success {
                Success::Json(ty) => {
                    let ty = type_tokens(api, ty, Scope::Outside);
                    (quote!(#ty), quote!(send_json::<#ty>), "Sends the request and decodes the response.".to_owned())
                }
                Success::MaybeReady(ty) => {
                    let ty = type_tokens(api, ty, Scope::Outside);
                    (
                        quote!(crate::MaybeReady<#ty>),
                        quote!(send_maybe_ready::<#ty>),
                        "Sends the request: [`MaybeReady::Ready`](crate::MaybeReady::Ready) with the result, or [`MaybeReady::Accepted`](crate::MaybeReady::Accepted) when the server answered `202` because it is not ready yet (ask again later).".to_owned(),
                    )
                }
                Success::Empty => (
                    quote!(()),
                    quote!(send_empty),
                    "Sends the request; a success has no body.".to_owned(),
                ),
                Success::Bytes { media_type } => (
                    quote!(crate::ByteStream),
                    quote!(send_bytes),
                    format!("Sends the request and returns the `{media_type}` body as a stream of chunks, read as you poll it (not held in memory, not bounded by the response size limit); [`ByteStream::collect`](crate::ByteStream::collect) gathers it, within the limit."),
                ),
            };
            let send_doc = doc_attrs(&format!("{what}\n\n{errors_doc}"));
            (
                quote! {
                    #send_doc
                    pub async fn send(self) -> Result<#returns, crate::Error> {
                        let request = self.request();
                        self.client.#call(request, self.options).await
                    }
                },
                quote!(),
            )
        }
    };
    let options = if operation.pagination.is_some() {
        quote!(crate::runtime::call_options!(#name, paged);)
    } else {
        quote!(crate::runtime::call_options!(#name);)
    };
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send()` is awaited"]
        pub struct #name {
            client: crate::Polar,
            options: crate::runtime::RequestOptions,
            #(#fields,)*
        }

        #options

        impl #name {
            #(#setters)*

            fn request(&self) -> crate::runtime::RequestSpec {
                #request_body
            }

            #send
            #stream
        }
    }
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The `# Errors` section: documented error responses and how they surface.
fn errors_doc(api: &Api, operation: &Operation, errors: &ErrorNames) -> String {
    let mut text = String::from("# Errors\n\n");
    for response in &operation.responses {
        if response.status.starts_with('2') {
            continue;
        }
        let cases: Vec<String> = operation
            .errors
            .iter()
            .filter(|case| case.status.to_string() == response.status)
            .map(|case| errors.surfaces_as(&case.schema))
            .collect();
        let surfaces = if cases.is_empty() {
            let schema = response
                .body
                .as_ref()
                .and_then(|b| b.ty.as_ref())
                .map(|ty| format!(" (body: `{}`)", type_text(api, ty)))
                .unwrap_or_default();
            format!("[`Error::Api`](crate::Error::Api){schema}")
        } else {
            cases.join(", or ")
        };
        let meaning = spec(response.description.trim().trim_end_matches('.'));
        let meaning = if meaning.is_empty() {
            String::new()
        } else {
            format!(" {meaning}")
        };
        text.push_str(&format!("- `{}`{meaning}: {surfaces}\n", response.status));
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
        TypeRef::Map(value) if is_typed_map(ty) => format!(
            "Accepts any iterator of key/value pairs, e.g. `[(\"plan\", \"pro\")]` or a `BTreeMap`; a value is anything that converts into a `{}`. Sent as `name[key]=value` pairs.",
            type_text(api, value)
        ),
        other => format!("Accepts `{}`.", type_text(api, other)),
    }
}
