//! Named types → `models/` (one module per resource plus `shared`) and `filters.rs`.
//!
//! Behaviour (open-enum parsing, tag dispatch, double options) lives in the SDK's runtime;
//! what is emitted here is the data shape plus one-line delegations to it.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, spec};
use super::types::{ident, type_tokens, Scope};
use super::{Selection, SHARED_MODULE};
use crate::ir::naming::{input_methods, FieldMethods};
use crate::ir::{Api, Field, FieldCodec, Pagination, TypeDef, TypeKind, TypeRef};

/// `models/` is one module per resource with the types only it uses, `shared` with the rest,
/// and `mod.rs` re-exporting them all, so every type is `models::Name` whatever its module. A
/// resource's module (and each shared type only some resources use) is compiled only with
/// those resources' features.
///
/// This groups the model types and list responses by module (a resource's own, `shared`, or
/// the webhook events'), in the order given. Every module appears, `shared` even when empty.
pub fn model_modules<'a>(
    selection: &'a Selection,
    types: &[&'a TypeDef],
    pages: &[&'a Pagination],
) -> BTreeMap<&'a str, (Vec<&'a TypeDef>, Vec<&'a Pagination>)> {
    let mut modules: BTreeMap<&str, (Vec<&TypeDef>, Vec<&Pagination>)> = BTreeMap::new();
    modules.entry(SHARED_MODULE).or_default();
    for def in types {
        modules
            .entry(selection.model_module(&def.name))
            .or_default()
            .0
            .push(def);
    }
    for page in pages {
        modules
            .entry(selection.model_module(&page.response_type))
            .or_default()
            .1
            .push(page);
    }
    modules
}

/// `models/<module>.rs`: the module's types, then its list responses.
pub fn model_file(
    api: &Api,
    selection: &Selection,
    module: &str,
    types: &[&TypeDef],
    pages: &[&Pagination],
) -> TokenStream {
    let shared = module == SHARED_MODULE;
    let types = types.iter().map(|def| {
        let item = type_def(api, def);
        match shared.then(|| selection.type_cfg(&def.name)).flatten() {
            Some(cfg) => cfg_items(&cfg, item),
            None => item,
        }
    });
    let pages = pages.iter().map(|page| {
        let cfg = shared
            .then(|| selection.type_cfg(&page.response_type))
            .flatten();
        let item = paged_response(api, page);
        quote!(#cfg #item)
    });
    let doc = if shared {
        " Types several resources use, or the hand-written runtime does.".to_owned()
    } else if module == super::webhooks::FEATURE {
        " Types only the webhook events use.".to_owned()
    } else {
        format!(" Types only the `{module}` resource uses.")
    };
    quote! {
        #![doc = #doc]
        #![allow(clippy::large_enum_variant)]
        #[allow(unused_imports)]
        use super::*;

        #(#types)*
        #(#pages)*
    }
}

/// `models/mod.rs`: declares and re-exports each module, behind its feature.
pub fn models_mod<'a>(modules: impl Iterator<Item = &'a str>) -> TokenStream {
    let declarations = modules.map(|module| {
        let ident = format_ident!("{}", module);
        let cfg = (module != SHARED_MODULE).then(|| quote!(#[cfg(feature = #module)]));
        quote! {
            #cfg
            mod #ident;
            #cfg
            pub use #ident::*;
        }
    });
    quote! {
        //! Data types of the Polar API: every schema the generated operations use.
        //!
        //! Structs keep fields this SDK version does not know in `unknown_fields`; enums and
        //! unions have an `Unknown` variant holding the value as sent (unions as its exact JSON
        //! text), so a newer server never breaks decoding and nothing is lost on the way back.
        //!
        //! Each type is defined in the module of the one resource that uses it (compiled with
        //! that resource's feature) or in `shared`; all are re-exported here.

        #(#declarations)*
    }
}

/// `cfg` put on every item of `items` (an enum with its impls, say).
fn cfg_items(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    match syn::parse2::<syn::File>(items.clone()) {
        Ok(file) => {
            let items = file.items.iter();
            quote!(#(#cfg #items)*)
        }
        Err(_) => items,
    }
}

/// The one-or-many query filter aliases, each compiled with the features that use it.
pub fn filters_file(api: &Api, selection: &Selection, types: &[&TypeDef]) -> TokenStream {
    let items = types.iter().map(|def| {
        let item = type_def(api, def);
        match selection.type_cfg(&def.name) {
            Some(cfg) => cfg_items(&cfg, item),
            None => item,
        }
    });
    quote! {
        //! Query filters that take one value or several: pass a single value, an array or a
        //! `Vec`, e.g. `.organization_id(id)` or `.organization_id([a, b])`.
        #[allow(unused_imports)]
        use crate::models;

        #(#items)*
    }
}

fn type_doc(def: &TypeDef) -> TokenStream {
    match &def.doc {
        Some(doc) => doc_attrs(&spec(doc)),
        None => doc_attrs(&format!("The `{}` type of the Polar API.", def.name)),
    }
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let doc = type_doc(def);
    let name = format_ident!("{}", def.name);
    let scope = match def.origin {
        crate::ir::TypeOrigin::Model => Scope::Models,
        crate::ir::TypeOrigin::Filter => Scope::Outside,
    };
    // An enum equal to another (see `ir::dedupe`): its name stays, as an alias.
    if let Some(canonical) = &def.same_as {
        let canonical = format_ident!("{}", canonical);
        return quote! {
            #doc
            pub type #name = #canonical;
        };
    }
    match &def.kind {
        TypeKind::Struct { fields } => {
            let decode = fields.iter().map(field_decoding);
            let builder = def.input.then(|| input_struct(api, def, fields));
            // Users build these with `new` and setters: a field the API adds later is not a
            // breaking change for them.
            let non_exhaustive = def.input.then(|| quote!(#[non_exhaustive]));
            let fields = fields.iter().map(|field| struct_field(api, field));
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize)]
                #non_exhaustive
                pub struct #name {
                    #(#fields)*
                    /// Fields the server sent that this SDK version does not know, each as the
                    /// exact JSON text sent.
                    #[serde(flatten)]
                    pub unknown_fields: crate::UnknownFields,
                }
                crate::runtime::decode_struct! {
                    #name { #(#decode),* }
                }
                #builder
            }
        }
        TypeKind::Enum { values } => {
            let variants: Vec<_> = values
                .iter()
                .map(|v| format_ident!("{}", v.variant))
                .collect();
            let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
            let variant_docs = wires.iter().map(|wire| doc_attrs(&format!("`{wire}`")));
            // A one-value enum (a `const`) has an obvious default: its only value.
            let single = values.len() == 1;
            let derive_default = single.then(|| quote!(Default,));
            let default_attr = single.then(|| quote!(#[default]));
            let variant_docs = variant_docs.enumerate().map(|(index, doc)| {
                let attr = (index == 0).then(|| default_attr.clone());
                quote!(#doc #attr)
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variant_docs #variants,)*
                    /// A value this SDK version does not know, kept as sent.
                    Unknown(String),
                }
                crate::runtime::open_enum! {
                    #name { #(#variants = #wires),* }
                }
            }
        }
        TypeKind::Tagged {
            tag,
            variants,
            defaults,
        } => {
            let names: Vec<_> = variants
                .iter()
                .map(|v| format_ident!("{}", v.name))
                .collect();
            let payloads = variants.iter().map(|v| type_tokens(api, &v.ty, scope));
            let variant_docs = variants.iter().map(|v| {
                let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
                doc_attrs(&format!("Selected when `{tag}` is {}.", tags.join(" or ")))
            });
            let arms = variants.iter().zip(&names).map(|(v, name)| {
                let tags = &v.tags;
                quote!(#(#tags)|* => serde::Deserialize::deserialize(object).map(Self::#name),)
            });
            let all_tags: Vec<&String> = variants.iter().flat_map(|v| v.tags.iter()).collect();
            let conversions = variant_conversions(
                api,
                def,
                scope,
                variants.iter().map(|v| (v.name.as_str(), &v.ty)),
            );
            let unknown_doc = doc_attrs(&format!(
                "A `{tag}` this SDK version does not know, or none: the object as sent."
            ));
            let default_tags = (!defaults.is_empty()).then(|| {
                let entries = defaults.iter().map(|d| {
                    let (tag, required) = (&d.tag, &d.required);
                    quote!((#tag, &[#(#required),*]))
                });
                quote!(const DEFAULT_TAGS: &'static [(&'static str, &'static [&'static str])] = &[#(#entries),*];)
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variant_docs #names(#payloads),)*
                    #unknown_doc
                    Unknown(crate::RawJson),
                }
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        match self {
                            #(Self::#names(value) => serde::Serialize::serialize(value, serializer),)*
                            Self::Unknown(value) => serde::Serialize::serialize(value, serializer),
                        }
                    }
                }
                impl crate::runtime::tagged::TaggedUnion for #name {
                    const TAG: &'static str = #tag;
                    #default_tags
                    fn knows(tag: &str) -> bool {
                        matches!(tag, #(#all_tags)|*)
                    }
                    fn deserialize_variant<'de, D: serde::Deserializer<'de>>(tag: &str, object: D) -> Result<Self, D::Error> {
                        match tag {
                            #(#arms)*
                            // Only reached if `knows` and this match disagree.
                            _ => Err(serde::de::Error::unknown_variant(tag, &[#(#all_tags),*])),
                        }
                    }
                    fn unknown(value: crate::RawJson) -> Self {
                        Self::Unknown(value)
                    }
                }
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        crate::runtime::tagged::deserialize(deserializer)
                    }
                }
                #conversions
            }
        }
        TypeKind::Untagged { variants } => {
            let names: Vec<_> = variants
                .iter()
                .map(|v| format_ident!("{}", v.name))
                .collect();
            let conversions = variant_conversions(
                api,
                def,
                scope,
                variants.iter().map(|v| (v.name.as_str(), &v.ty)),
            );
            let payloads = variants.iter().map(|v| type_tokens(api, &v.ty, scope));
            let variant_docs = variants.iter().map(|v| {
                doc_attrs(&format!(
                    "A value of type `{}`.",
                    super::types::type_text(api, &v.ty)
                ))
            });
            let deserialize = match scalar_union(variants) {
                // Scalars only: the JSON token's type picks the variant, no buffering.
                Some(methods) => quote! {
                    impl crate::runtime::scalar_union::ScalarUnion for #name {
                        #(#methods)*
                        fn unknown(value: crate::RawJson) -> Self {
                            Self::Unknown(value)
                        }
                    }
                    impl<'de> serde::Deserialize<'de> for #name {
                        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                            crate::runtime::scalar_union::deserialize(deserializer)
                        }
                    }
                },
                // Objects among the variants: each is tried on the value's exact text.
                None => {
                    let attempts = names.iter().zip(variants).enumerate().map(|(index, (name, variant))| {
                        // Keys the object must have for the variant to fit: without them it
                        // is skipped before any decoding.
                        let needs = api.keys_needed_by(&variant.ty);
                        let attempt = quote!(
                            crate::runtime::untagged::attempt(text, &[#(#needs),*]).map(Self::#name)
                        );
                        if index == 0 {
                            attempt
                        } else {
                            quote!(.or_else(|| #attempt))
                        }
                    });
                    quote! {
                        impl crate::runtime::untagged::UntaggedUnion for #name {
                            fn from_json(text: &str) -> Option<Self> {
                                #(#attempts)*
                            }
                            fn unknown(value: crate::RawJson) -> Self {
                                Self::Unknown(value)
                            }
                        }
                        impl<'de> serde::Deserialize<'de> for #name {
                            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                                crate::runtime::untagged::deserialize(deserializer)
                            }
                        }
                    }
                }
            };
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variant_docs #names(#payloads),)*
                    /// A value of a shape this SDK version does not know, as the JSON text sent.
                    Unknown(crate::RawJson),
                }
                #deserialize
                #conversions
            }
        }
        TypeKind::Alias { ty } => {
            let ty = type_tokens(api, ty, scope);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
        TypeKind::Newtype { ty } => {
            let ty = type_tokens(api, ty, scope);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    }
}

/// The only value of a one-value enum (a `const`, such as a union tag): its variant.
fn const_value(api: &Api, ty: &TypeRef) -> Option<(String, String)> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    match &api.types.get(name)?.kind {
        TypeKind::Enum { values } if values.len() == 1 => {
            Some((values[0].variant.clone(), values[0].wire.clone()))
        }
        _ => None,
    }
}

/// `new` (required fields as arguments, `const`s filled in) and one setter per optional field,
/// plus `clear_<field>` for optional nullable ones, of a struct users send.
fn input_struct(api: &Api, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let consts: Vec<Option<(String, String)>> =
        fields.iter().map(|f| const_value(api, &f.ty)).collect();
    let wants: Vec<(&str, FieldMethods)> = fields
        .iter()
        .zip(&consts)
        .map(|(f, constant)| {
            let setter = !f.required && constant.is_none();
            let methods = FieldMethods {
                setter,
                clearer: setter && f.nullable,
            };
            (f.rust_name.as_str(), methods)
        })
        .collect();
    let methods = input_methods(&wants);

    let mut arguments = Vec::new();
    let mut const_docs = Vec::new();
    let mut inits = Vec::new();
    for (field, constant) in fields.iter().zip(&consts) {
        let ident = ident(&field.rust_name);
        let ty = type_tokens(api, &field.ty, Scope::Models);
        let wrap = |value: TokenStream| match (field.required, field.nullable) {
            (true, false) => value,
            (true, true) | (false, false) => quote!(Some(#value)),
            (false, true) => quote!(Some(Some(#value))),
        };
        let value = if let Some((variant, wire)) = constant {
            const_docs.push(format!("`\"{}\": \"{wire}\"`", field.wire_name));
            let variant = format_ident!("{}", variant);
            wrap(quote!(#ty::#variant))
        } else if field.required && field.nullable {
            arguments.push(quote!(#ident: Option<#ty>));
            inits.push(quote!(#ident));
            continue;
        } else if field.required {
            arguments.push(quote!(#ident: impl Into<#ty>));
            quote!(#ident.into())
        } else {
            quote!(None)
        };
        inits.push(quote!(#ident: #value));
    }
    let mut new_doc = if arguments.is_empty() {
        "Every field unset".to_owned()
    } else {
        "The required fields; the optional ones unset".to_owned()
    };
    new_doc.push_str(" (unset fields are not sent).");
    if !const_docs.is_empty() {
        new_doc.push_str(&format!(" Always sends {}.", const_docs.join(", ")));
    }
    let new_doc = doc_attrs(&new_doc);
    let many = (arguments.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));

    let mut setters = Vec::new();
    for (field, (setter, clearer)) in fields.iter().zip(&methods) {
        let Some(setter) = setter else { continue };
        let ident = ident(&field.rust_name);
        let setter_ident = super::types::ident(setter);
        let ty = type_tokens(api, &field.ty, Scope::Models);
        let shown = field.rust_name.trim_start_matches("r#");
        let lint = wrong_self_convention(setter);
        match clearer {
            None => {
                let doc = doc_attrs(&format!("Sets `{shown}`, which is not sent until set."));
                setters.push(quote! {
                    #doc
                    #lint
                    pub fn #setter_ident(mut self, value: impl Into<#ty>) -> Self {
                        self.#ident = Some(value.into());
                        self
                    }
                });
            }
            Some(clearer) => {
                let clearer_ident = super::types::ident(clearer);
                let setter = setter.trim_start_matches("r#");
                let doc = doc_attrs(&format!(
                    "Sends `{shown}` with a value; `{clearer}` sends `null` (an update clears \
                     it).\nWith neither, it is not sent (an update leaves it unchanged)."
                ));
                let clear_doc = doc_attrs(&format!(
                    "Sends `{shown}` as `null` (an update clears it); `{setter}` sends a \
                     value.\nWith neither, it is not sent (an update leaves it unchanged)."
                ));
                setters.push(quote! {
                    #doc
                    #lint
                    pub fn #setter_ident(mut self, value: impl Into<#ty>) -> Self {
                        self.#ident = Some(Some(value.into()));
                        self
                    }
                    #clear_doc
                    pub fn #clearer_ident(mut self) -> Self {
                        self.#ident = Some(None);
                        self
                    }
                });
            }
        }
    }
    // Without arguments `new` is what `Default` is; derived, it would leave `const`s unset.
    let default = arguments.is_empty().then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        #default
        impl #name {
            #new_doc
            #many
            pub fn new(#(#arguments),*) -> Self {
                Self {
                    #(#inits,)*
                    unknown_fields: crate::UnknownFields::new(),
                }
            }
            #(#setters)*
        }
    }
}

/// Setters are builder methods taking `self`: clippy expects `is_*`, `as_*`, `to_*` and
/// `from_*` methods to borrow (or not take) it, which a setter cannot.
fn wrong_self_convention(method: &str) -> Option<TokenStream> {
    ["is_", "as_", "to_", "from_"]
        .iter()
        .any(|prefix| method.starts_with(prefix))
        .then(|| quote!(#[allow(clippy::wrong_self_convention)]))
}

/// `impl From<Payload> for Union` for every variant whose payload is a named type no other
/// variant carries, so a variant's value goes wherever the union is expected
/// (`impl Into<Union>`). Only for unions users send.
fn variant_conversions<'a>(
    api: &Api,
    def: &TypeDef,
    scope: Scope,
    variants: impl Iterator<Item = (&'a str, &'a TypeRef)>,
) -> TokenStream {
    if !def.input {
        return TokenStream::new();
    }
    let variants: Vec<(&str, &TypeRef)> = variants.collect();
    // A payload that is a named type (boxed or not) other than an alias (which may stand for
    // the same Rust type as another variant) or the union itself.
    let payload = |ty: &'a TypeRef| -> Option<(&'a str, bool)> {
        let (name, boxed) = match ty {
            TypeRef::Named(name) => (name, false),
            TypeRef::Boxed(inner) => match &**inner {
                TypeRef::Named(name) => (name, true),
                _ => return None,
            },
            _ => return None,
        };
        let kind = &api.types.get(name)?.kind;
        (name != &def.name && !matches!(kind, TypeKind::Alias { .. })).then_some((name, boxed))
    };
    let union = format_ident!("{}", def.name);
    let impls = variants.iter().filter_map(|(variant, ty)| {
        let (name, boxed) = payload(ty)?;
        let shared = variants
            .iter()
            .filter(|(_, other)| payload(other).is_some_and(|(n, _)| n == name))
            .count();
        if shared != 1 {
            return None;
        }
        let payload = type_tokens(api, &TypeRef::Named(name.to_owned()), scope);
        let variant = format_ident!("{}", variant);
        let value = if boxed {
            quote!(Box::new(value))
        } else {
            quote!(value)
        };
        Some(quote! {
            impl From<#payload> for #union {
                fn from(value: #payload) -> Self {
                    Self::#variant(#value)
                }
            }
        })
    });
    // Values of a scalar or list variant whose type no other variant has (`"gold"`, `true`,
    // `vec!["a"]` for metadata values).
    let scalar = |ty: &TypeRef| {
        matches!(
            ty,
            TypeRef::String
                | TypeRef::Bool
                | TypeRef::I32
                | TypeRef::I64
                | TypeRef::Integer
                | TypeRef::F64
                | TypeRef::Uuid
                | TypeRef::DateTime
                | TypeRef::Date
        ) || matches!(ty, TypeRef::Array(item) if matches!(**item, TypeRef::String | TypeRef::Bool | TypeRef::I64 | TypeRef::Integer | TypeRef::F64))
    };
    let scalars = variants.iter().filter_map(|(variant, ty)| {
        if !scalar(ty) || variants.iter().filter(|(_, other)| other == ty).count() != 1 {
            return None;
        }
        let payload = type_tokens(api, ty, scope);
        let variant = format_ident!("{}", variant);
        let extra = match ty {
            TypeRef::String => Some(quote! {
                impl From<&str> for #union {
                    fn from(value: &str) -> Self {
                        Self::#variant(value.to_owned())
                    }
                }
            }),
            TypeRef::Integer if !variants.iter().any(|(_, other)| **other == TypeRef::I64) => {
                Some(quote! {
                    impl From<i64> for #union {
                        fn from(value: i64) -> Self {
                            Self::#variant(value.into())
                        }
                    }
                })
            }
            _ => None,
        };
        Some(quote! {
            impl From<#payload> for #union {
                fn from(value: #payload) -> Self {
                    Self::#variant(value)
                }
            }
            #extra
        })
    });
    quote!(#(#impls)* #(#scalars)*)
}

fn struct_field(api: &Api, field: &Field) -> TokenStream {
    let doc = match &field.doc {
        Some(doc) => doc_attrs(&spec(doc)),
        None => doc_attrs(&format!("The `{}` property.", field.wire_name)),
    };
    let name = ident(&field.rust_name);
    let ty = type_tokens(api, &field.ty, Scope::Models);
    let bare = field.rust_name.trim_start_matches("r#");
    let wire = &field.wire_name;
    let rename = (bare != wire).then(|| quote!(#[serde(rename = #wire)]));
    let optional = !field.required;
    let ty = match (field.required, field.nullable) {
        (true, false) => ty,
        (true, true) | (false, false) => quote!(Option<#ty>),
        (false, true) => quote!(Option<Option<#ty>>),
    };
    let double_option = !field.required && field.nullable;
    // Only serialization is derived: decoding is `decode_struct!` (see `field_decoding`).
    let mut serde_args: Vec<TokenStream> = Vec::new();
    if optional {
        serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    match (field.codec, double_option) {
        (FieldCodec::Plain | FieldCodec::Number, true) => {
            serde_args.push(quote!(
                serialize_with = "crate::runtime::double_option::serialize"
            ));
        }
        (FieldCodec::Plain | FieldCodec::Number | FieldCodec::PresentNull, _) => {}
        (FieldCodec::Timestamp, _) => {
            serde_args.push(quote!(
                serialize_with = "crate::runtime::datetime::serialize"
            ));
        }
    }
    let attrs = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
    quote! {
        #doc
        #rename
        #attrs
        pub #name: #ty,
    }
}

/// One field of a `decode_struct!` invocation: `rust_name: "wire" required|optional Codec`,
/// the codec one of the runtime's field seeds (`runtime/object.rs`).
fn field_decoding(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let wire = &field.wire_name;
    let presence = if field.required {
        quote!(required)
    } else {
        quote!(optional)
    };
    let double_option = !field.required && field.nullable;
    let codec = match (field.codec, double_option) {
        (FieldCodec::Plain, false) => quote!(Plain),
        (FieldCodec::Plain, true) => quote!(DoubleOption),
        (FieldCodec::Timestamp, false) => quote!(Timestamp),
        (FieldCodec::Timestamp, true) => quote!(TimestampDoubleOption),
        (FieldCodec::Number, false) => quote!(Number),
        (FieldCodec::Number, true) => quote!(NumberDoubleOption),
        (FieldCodec::PresentNull, _) => quote!(Present),
    };
    quote!(#name: #wire #presence #codec)
}

/// `impl PagedResponse`: where a page's items and counts are, as the spec declares.
fn paged_response(api: &Api, page: &Pagination) -> TokenStream {
    let response = format_ident!("{}", page.response_type);
    let item = type_tokens(api, &page.item, Scope::Models);
    let path = |fields: &[String]| {
        let fields = fields.iter().map(|f| ident(f));
        quote!(self #(.#fields)*)
    };
    let items = path(&page.items_path);
    let max_page = path(&page.max_page_path);
    let total_count = path(&page.total_count_path);
    quote! {
        impl crate::runtime::PagedResponse for #response {
            type Item = #item;
            fn into_page_parts(self) -> (Vec<Self::Item>, crate::PageInfo) {
                use crate::runtime::number::PageCount as _;
                let info = crate::PageInfo {
                    total_count: #total_count.page_count(),
                    max_page: #max_page.page_count(),
                };
                (#items, info)
            }
        }
    }
}

/// For a union of distinct JSON scalar kinds (string, integer, number, boolean), the
/// `ScalarUnion` methods that map each kind to its variant; `None` for any other union.
fn scalar_union(variants: &[crate::ir::UntaggedVariant]) -> Option<Vec<TokenStream>> {
    use crate::ir::TypeRef;
    let mut kinds = std::collections::BTreeSet::new();
    let mut methods = Vec::new();
    for variant in variants {
        let name = format_ident!("{}", variant.name);
        let (kind, method) = match variant.ty {
            TypeRef::String => (
                "str",
                quote! {
                    fn from_str(value: &str) -> Option<Self> {
                        Some(Self::#name(value.to_owned()))
                    }
                },
            ),
            TypeRef::I64 => (
                "int",
                quote! {
                    fn from_i64(value: i64) -> Option<Self> {
                        Some(Self::#name(value))
                    }
                },
            ),
            TypeRef::I32 => (
                "int",
                quote! {
                    fn from_i64(value: i64) -> Option<Self> {
                        i32::try_from(value).ok().map(Self::#name)
                    }
                },
            ),
            TypeRef::Integer => (
                "int",
                quote! {
                    fn from_integer(value: crate::Integer) -> Option<Self> {
                        Some(Self::#name(value))
                    }
                },
            ),
            TypeRef::F64 => (
                "float",
                quote! {
                    fn from_f64(value: f64) -> Option<Self> {
                        Some(Self::#name(value))
                    }
                },
            ),
            TypeRef::Bool => (
                "bool",
                quote! {
                    fn from_bool(value: bool) -> Option<Self> {
                        Some(Self::#name(value))
                    }
                },
            ),
            _ => return None,
        };
        if !kinds.insert(kind) {
            return None;
        }
        methods.push(method);
    }
    Some(methods)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The emitted items of one type of the `request_bodies` fixture, as compact text.
    fn emitted(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/request_bodies.yaml");
        let document = crate::load::load_file(&path).unwrap();
        let normalized = crate::normalize::normalize(&document).unwrap();
        let api = crate::ir::lower(&document, &normalized).unwrap();
        type_def(&api, &api.types[name])
            .to_string()
            .replace(' ', "")
    }

    /// An optional nullable field has three states on the wire, and each has a way in:
    /// unset (`None`, skipped), `clear_` (`Some(None)`, written as `null` by `double_option`)
    /// and the setter (`Some(Some(v))`, the value).
    #[test]
    fn optional_nullable_fields_are_absent_null_or_a_value() {
        let update = emitted("WidgetUpdate");
        for expected in [
            "pubprice:Option<Option<i32>>",
            "skip_serializing_if=\"Option::is_none\",serialize_with=\"crate::runtime::double_option::serialize\"",
            "pubfnnew()->Self{Self{name:None,price:None,",
            "pubfnprice(mutself,value:implInto<i32>)->Self{self.price=Some(Some(value.into()));self}",
            "pubfnclear_price(mutself)->Self{self.price=Some(None);self}",
            // A field named `clear_name` keeps its setter; `name`'s clearer steps aside.
            "pubfnclear_name(mutself,value:implInto<bool>)->Self{self.clear_name=Some(value.into());self}",
            "pubfnclear_name2(mutself)->Self{self.name=Some(None);self}",
            "#[non_exhaustive]",
            "implDefaultforWidgetUpdate{fndefault()->Self{Self::new()}}",
        ] {
            assert!(update.contains(expected), "{expected} not in {update}");
        }
    }

    #[test]
    fn constructors_take_required_fields_and_fill_consts() {
        let create = emitted("WidgetCreate");
        for expected in [
            "pubfnnew(name:implInto<String>,tags:implInto<Vec<String>>,owner_id:implInto<uuid::Uuid>,parent_id:Option<uuid::Uuid>)->Self",
            "name:name.into(),kind:WidgetCreateKind::Widget,tags:tags.into(),owner_id:owner_id.into(),parent_id,metadata:None,",
            "unknown_fields:crate::UnknownFields::new()",
            // `new` is the constructor: the field's setter steps aside; `type` stays raw.
            "pubfnset_new(mutself,value:implInto<bool>)->Self{self.new=Some(value.into());self}",
            "pubfnr#type(mutself,value:implInto<WidgetCreateType>)->Self",
            "#[allow(clippy::wrong_self_convention)]pubfnis_public(",
        ] {
            assert!(create.contains(expected), "{expected} not in {create}");
        }
        assert!(!create.contains("Default"), "{create}");
        // An optional const tag is filled too, so the union's variant is always recognisable.
        let individual = emitted("CustomerIndividualCreate");
        assert!(
            individual.contains(
                "pubfnnew(email:implInto<String>)->Self{Self{r#type:Some(CustomerIndividualCreateType::Individual),"
            ),
            "{individual}"
        );
    }

    #[test]
    fn input_unions_convert_from_their_variants_and_responses_stay_as_they_are() {
        let tagged = emitted("CustomerCreate");
        assert!(tagged.contains("implFrom<CustomerTeamCreate>forCustomerCreate{fnfrom(value:CustomerTeamCreate)->Self{Self::Team(value)}}"), "{tagged}");
        assert!(
            tagged.contains("implFrom<CustomerIndividualCreate>forCustomerCreate"),
            "{tagged}"
        );
        let untagged = emitted("SessionsCreateBody");
        assert!(
            untagged.contains("implFrom<SessionByIdCreate>forSessionsCreateBody"),
            "{untagged}"
        );
        assert!(
            untagged.contains("implFrom<SessionByExternalIdCreate>forSessionsCreateBody"),
            "{untagged}"
        );
        let response = emitted("Widget");
        assert!(!response.contains("non_exhaustive"), "{response}");
        assert!(!response.contains("fnnew"), "{response}");
    }
}
