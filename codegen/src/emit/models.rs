//! Named types → `models.rs` and `filters.rs`.
//!
//! Behaviour (open-enum parsing, tag dispatch, double options) lives in the SDK's runtime;
//! what is emitted here is the data shape plus one-line delegations to it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, spec};
use super::types::{ident, type_tokens, Scope};
use crate::ir::{Api, Field, FieldCodec, Pagination, TypeDef, TypeKind};

/// Every selected model type, sorted by name, plus the page glue for paginated responses.
pub fn models_file(api: &Api, types: &[&TypeDef], pages: &[&Pagination]) -> TokenStream {
    let items = types.iter().map(|def| type_def(api, def));
    let pages = pages.iter().map(|page| paged_response(api, page));
    quote! {
        //! Data types of the Polar API: every schema the generated operations use.
        //!
        //! Structs keep fields this SDK version does not know in `unknown_fields`; enums and
        //! unions have an `Unknown` variant holding the value as sent (unions as its exact JSON
        //! text), so a newer server never breaks decoding and nothing is lost on the way back.
        #![allow(clippy::large_enum_variant)]

        #(#items)*
        #(#pages)*
    }
}

/// The one-or-many query filter aliases.
pub fn filters_file(api: &Api, types: &[&TypeDef]) -> TokenStream {
    let items = types.iter().map(|def| type_def(api, def));
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
    match &def.kind {
        TypeKind::Struct { fields } => {
            let decode = fields.iter().map(field_decoding);
            let fields = fields.iter().map(|field| struct_field(api, field));
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize)]
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
                impl #name {
                    /// Every value this SDK version knows, in the order the API lists them.
                    pub const KNOWN: &'static [Self] = &[#(Self::#variants),*];
                    /// The value as it is sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(Self::#variants => #wires,)*
                            Self::Unknown(value) => value,
                        }
                    }
                }
                impl crate::runtime::OpenEnum for #name {
                    fn from_known(wire: &str) -> Option<Self> {
                        match wire {
                            #(#wires => Some(Self::#variants),)*
                            _ => None,
                        }
                    }
                    fn from_unknown(wire: String) -> Self {
                        Self::Unknown(wire)
                    }
                    fn wire_str(&self) -> &str {
                        self.as_str()
                    }
                }
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        crate::runtime::open_enum::serialize(self, serializer)
                    }
                }
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        crate::runtime::open_enum::deserialize(deserializer)
                    }
                }
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
                impl std::str::FromStr for #name {
                    type Err = std::convert::Infallible;
                    fn from_str(value: &str) -> Result<Self, Self::Err> {
                        Ok(crate::runtime::open_enum::from_str(value))
                    }
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
            }
        }
        TypeKind::Untagged { variants } => {
            let names: Vec<_> = variants
                .iter()
                .map(|v| format_ident!("{}", v.name))
                .collect();
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
                    let attempts = names.iter().enumerate().map(|(index, name)| {
                        let attempt =
                            quote!(crate::runtime::untagged::attempt(text).map(Self::#name));
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
        (FieldCodec::Plain | FieldCodec::Timestamp, false) => quote!(Plain),
        (FieldCodec::Plain | FieldCodec::Timestamp, true) => quote!(DoubleOption),
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
