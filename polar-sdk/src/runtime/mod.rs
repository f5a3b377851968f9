//! Crate-internal runtime that the generated code is written against.
//!
//! Nothing here is public API except [`OneOrMany`], [`Integer`], [`IntegerError`], [`RawJson`],
//! [`UnknownFields`], [`MaybeReady`] and [`ByteStream`], which are re-exported at the crate root.
//! The names and signatures are a contract with `codegen/`: change them only together.

mod builder;
pub(crate) mod datetime;
pub(crate) mod double_option;
pub(crate) mod executor;
// Contract with the generated code, which does not use all of it yet.
#[allow(dead_code)]
mod form;
pub(crate) mod number;
pub(crate) mod object;
mod one_or_many;
pub(crate) mod open_enum;
// Contract with the generated code, which does not use all of it yet.
#[allow(dead_code)]
mod operation;
mod path;
#[cfg(test)]
mod pipeline_tests;
pub(crate) mod present;
mod query;
pub(crate) mod raw;
mod request;
// Contract with the generated code, which does not use all of it yet.
#[allow(dead_code)]
mod response;
pub(crate) mod scalar_union;
mod scan;
// Contract with the generated code, which does not use all of it yet.
#[allow(dead_code)]
mod send;
pub(crate) mod tagged;
#[cfg(test)]
mod test_server;
pub(crate) mod untagged;

#[allow(unused_imports)]
// Part of the contract with the generated code, which uses what its document needs.
pub(crate) use builder::{call_options, documented_error, runtime_error};
pub use number::{Integer, IntegerError};
pub(crate) use object::decode_struct;
pub use one_or_many::OneOrMany;
pub(crate) use open_enum::{open_enum, OpenEnum};
#[allow(unused_imports)]
// Part of the contract with the generated code, which does not use all of it yet.
pub(crate) use operation::{Auth, ErrorDecoder, Method, Operation};
pub(crate) use path::PathParam;
#[allow(unused_imports)]
// Part of the contract with the generated code, which may not name it.
pub(crate) use query::QueryScalar;
pub(crate) use query::{QueryStyle, QueryValue};
pub use raw::{RawJson, UnknownFields};
#[allow(unused_imports)]
pub(crate) use request::{Body, ErrorTable, HeaderParam, RequestSpec};
pub use response::{ByteStream, MaybeReady};

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
