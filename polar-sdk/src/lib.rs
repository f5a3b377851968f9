//! Rust client for the [Polar](https://polar.sh) API.
//!
//! The request builders and models are generated from Polar's OpenAPI document; the HTTP
//! runtime (authentication, retries, timeouts, pagination and error mapping) is hand-written.
//!
//! # Quick start
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use polar_sdk::models::{CustomerMeter, CustomerMeterSortProperty};
//! use polar_sdk::{Error, Polar, Server};
//!
//! # async fn run(org_id: polar_sdk::uuid::Uuid, meter_id: polar_sdk::uuid::Uuid) -> Result<(), Error> {
//! let polar = Polar::builder()
//!     .access_token(std::env::var("POLAR_ACCESS_TOKEN").unwrap_or_default())
//!     .server(Server::Sandbox)
//!     .build()?;
//!
//! // One page.
//! let page = polar
//!     .customer_meters()
//!     .list()
//!     .organization_id(org_id)
//!     .sorting([CustomerMeterSortProperty::CreatedAtDesc])
//!     .limit(100)
//!     .send()
//!     .await?;
//! println!("{} of {} meters", page.items.len(), page.pagination.total_count);
//!
//! // Every item of every page, fetched lazily one page at a time.
//! let all: Vec<CustomerMeter> = polar.customer_meters().list().limit(100).into_stream().try_collect().await?;
//!
//! // One resource, with the typed errors.
//! match polar.customer_meters().get(meter_id).send().await {
//!     Ok(meter) => println!("balance {}", meter.balance),
//!     Err(Error::ResourceNotFound(e)) => println!("not found: {}", e.detail),
//!     Err(e) => return Err(e),
//! }
//! # let _ = all; Ok(()) }
//! ```
//!
//! # Reference pages
//!
//! Each generated resource has a Markdown reference page beside the crate, in `docs/` (the
//! index is `docs/README.md`): its operations with their parameters, responses, errors and an
//! example each. The examples are compiled as doc-tests of this crate.
//!
//! # Behaviour
//!
//! * Every request carries `Accept: application/json` (or the media type the operation
//!   returns, e.g. `text/csv`), `User-Agent: polar-sdk-rust/<version>` and
//!   `Polar-Version: <`[`API_VERSION`]`>`.
//! * Tokens: a client carries an organization access token
//!   ([`PolarBuilder::access_token`]), a customer session token
//!   ([`PolarBuilder::customer_session_token`]) or a member session token
//!   ([`PolarBuilder::member_session_token`]), or several. Each request sends, as
//!   `Authorization: Bearer <token>`, the first kind its operation accepts that the client
//!   has, or else the token the client has (organization first); operations that need no
//!   token send none.
//! * Request bodies are serialized before sending (JSON, or form-encoded where the
//!   operation says so) and sent again, unchanged, on a retry. A body that cannot be
//!   serialized, or an object parameter that cannot be written into the query, fails with
//!   [`Error::InvalidRequest`] and nothing is sent.
//! * Operations that answer `202 Accepted` while the result is being prepared return a
//!   [`MaybeReady`]; large non-JSON bodies (CSV exports) come as a [`ByteStream`], read as
//!   they arrive and not bounded by the size limit (see there for timeouts).
//! * Failed attempts are retried with exponential backoff and full jitter, honouring
//!   `Retry-After`; see [`RetryConfig`] for what is retried and for how long.
//! * Each attempt has a timeout (30 s by default) and connections a connect timeout (10 s by
//!   default); both can be changed on the client, and the timeout also per call.
//! * Failures that would repeat themselves are not retried: a redirect loop, a response the
//!   HTTP parser rejects (head too large, invalid `Content-Length`), a body over the size
//!   limit.
//! * Response bodies are read up to a limit (32 MiB by default;
//!   [`PolarBuilder::max_response_size`]), checked against `Content-Length` before reading and
//!   counted while reading; a longer body fails with [`Error::ResponseTooLarge`]. Of an error
//!   response, the first 64 KiB are kept ([`ApiError::body_truncated`]). Responses may be
//!   compressed (`gzip`, `br`).
//! * [`PolarBuilder::max_concurrent_requests`] bounds the requests in flight at once (and so
//!   the connections opened); unbounded by default.
//! * An empty list in a filter or other list parameter is refused before sending
//!   ([`Error::InvalidRequest`]): leaving the parameter out would widen the request. See
//!   [`OneOrMany`](crate::OneOrMany#empty-lists).
//! * Responses from a newer API version decode: a field this SDK version does not know goes
//!   to the struct's `unknown_fields` ([`UnknownFields`]), an unknown enum value, union tag or
//!   union shape to the type's `Unknown` variant. Unknown data is kept as the exact JSON text
//!   sent ([`RawJson`]; unknown enum values as their string), so numbers of any size and
//!   spelling survive, and encoding the value writes that text back unchanged.
//! * Errors are typed: see [`Error`]. An error response an operation documents is decoded
//!   into its schema ([`Error::ResourceNotFound`], [`Error::HttpValidation`],
//!   [`Error::Documented`]); any other is an [`Error::Api`] with the raw body. No token
//!   ever appears in any `Debug` or `Display` output, error or log event of this crate.
//!   Every `Display` is bounded (bodies, paths and messages are cut to a few hundred
//!   characters). Error texts and log events name
//!   the request's path but not its query, whose filter values are often personal data;
//!   [`TransportError::url`] has the full URL.
//! * Lists return a [`Page`]; [`Page::next`] and [`PageStream`] walk the following pages. See
//!   [`pagination`](crate::Page#termination) for the rules that guarantee termination, and for
//!   [`Error::Pagination`], which reports a walk the server's answers cut short.
//! * The SDK emits [`tracing`](https://docs.rs/tracing) spans named `polar_sdk.request`, one
//!   per attempt, with the operation id, method, route, attempt number and response status.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod body;
mod client;
mod error;
#[rustfmt::skip]
mod generated;
mod pagination;
mod retry;
pub(crate) mod runtime;
pub mod webhooks;

pub use client::{Polar, PolarBuilder};
pub use error::{ApiError, ConfigError, DecodeError, Error, PaginationError, TransportError};
// Everything generated: `models`, `filters`, `errors` (and its `ErrorBody`), one module per
// resource, `Server` and `API_VERSION`. A glob, so the runtime does not depend on which resources are generated.
pub use generated::*;
pub use pagination::{Page, PageInfo, PageStream};
pub use retry::RetryConfig;
pub use runtime::{
    ByteStream, Integer, IntegerError, MaybeReady, OneOrMany, RawJson, UnknownFields,
};

/// The `uuid` crate, re-exported: ids in requests and responses are [`uuid::Uuid`], and a
/// program that only talks to Polar needs no `uuid` dependency of its own (nor a matching
/// version).
pub use uuid;

/// The `chrono` crate, re-exported: timestamps are `chrono::DateTime<chrono::Utc>`.
pub use chrono;

/// Compiles the README's Rust examples as doc-tests, so the quick start cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
