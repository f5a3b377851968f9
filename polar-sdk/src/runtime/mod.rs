//! Crate-internal runtime that the generated code is written against.
//!
//! Nothing here is public API except [`OneOrMany`], [`Integer`], [`IntegerError`], [`RawJson`]
//! and [`UnknownFields`], which are re-exported at the crate root.
//! The names and signatures are a contract with `codegen/`: change them only together.

pub(crate) mod datetime;
pub(crate) mod double_option;
pub(crate) mod executor;
pub(crate) mod number;
pub(crate) mod object;
mod one_or_many;
pub(crate) mod open_enum;
mod path;
pub(crate) mod present;
mod query;
pub(crate) mod raw;
mod request;
pub(crate) mod scalar_union;
mod send;
pub(crate) mod tagged;
pub(crate) mod untagged;

pub use number::{Integer, IntegerError};
pub(crate) use object::decode_struct;
pub use one_or_many::OneOrMany;
pub(crate) use open_enum::OpenEnum;
pub(crate) use path::PathParam;
#[allow(unused_imports)]
// Part of the contract with the generated code, which may not name it.
pub(crate) use query::QueryScalar;
pub(crate) use query::{QueryStyle, QueryValue};
pub use raw::{RawJson, UnknownFields};
pub(crate) use request::RequestSpec;

use crate::{PageInfo, RetryConfig};

/// A list response body that carries one page of items plus pagination metadata.
pub(crate) trait PagedResponse: serde::de::DeserializeOwned {
    /// The element type of the list.
    type Item;
    /// Splits the response into its items and its pagination metadata.
    fn into_page_parts(self) -> (Vec<Self::Item>, PageInfo);
}

/// How a paginated operation names and numbers its pages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PageParams {
    /// The query parameter that selects the page, e.g. `page`.
    pub(crate) page_param: &'static str,
    /// The number of the first page (what the server assumes when the parameter is absent).
    pub(crate) first_page: i64,
}

/// Per-call overrides of the client's settings.
#[derive(Clone, Debug, Default)]
pub(crate) struct RequestOptions {
    /// Replaces the client's retry configuration for this call.
    pub(crate) retry: Option<RetryConfig>,
    /// Replaces the client's per-attempt timeout for this call.
    pub(crate) timeout: Option<std::time::Duration>,
    /// Replaces the client's response size limit for this call, in bytes.
    pub(crate) max_response_size: Option<u64>,
}
