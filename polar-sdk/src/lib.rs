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
//! # async fn run(org_id: uuid::Uuid, meter_id: uuid::Uuid) -> Result<(), Error> {
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
//! # Behaviour
//!
//! * Every request carries `Authorization: Bearer <token>`, `Accept: application/json`,
//!   `User-Agent: polar-sdk-rust/<version>` and `Polar-Version: <`[`API_VERSION`]`>`.
//! * Failed attempts are retried with exponential backoff and full jitter, honouring
//!   `Retry-After`; see [`RetryConfig`] for what is retried and for how long.
//! * Each attempt has a timeout (30 s by default) and connections a connect timeout (10 s by
//!   default); both can be changed on the client, and the timeout also per call.
//! * Errors are typed: see [`Error`]. The access token never appears in any `Debug` or
//!   `Display` output, error or log event of this crate.
//! * Lists return a [`Page`]; [`Page::next`] and [`PageStream`] walk the following pages. See
//!   [`pagination`](crate::Page#termination) for the rules that guarantee termination.
//! * The SDK emits [`tracing`](https://docs.rs/tracing) spans named `polar_sdk.request`, one
//!   per attempt, with the operation id, method, route, attempt number and response status.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod client;
mod error;
#[rustfmt::skip]
mod generated;
mod pagination;
mod retry;
pub(crate) mod runtime;
pub mod webhooks;

pub use client::{Polar, PolarBuilder};
pub use error::{ApiError, ConfigError, DecodeError, Error, TransportError};
pub use generated::{customer_meters, filters, models, Server, API_VERSION};
pub use pagination::{Page, PageInfo, PageStream};
pub use retry::RetryConfig;
pub use runtime::OneOrMany;

/// Compiles the README's Rust examples as doc-tests, so the quick start cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
