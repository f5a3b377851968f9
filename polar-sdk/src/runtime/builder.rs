//! What every generated request builder shares, written once: the per-call options
//! (`retry`, `timeout`, `max_response_size`) and the decoders behind the operations' error
//! tables.

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::{Error, ErrorBody};

/// Adds the per-call option setters to a request builder (a struct with an
/// `options: RequestOptions` field). `paged` says the options apply to every page fetched.
macro_rules! call_options {
    ($builder:ident) => {
        $crate::runtime::call_options!(@impl $builder, "this call");
    };
    ($builder:ident, paged) => {
        $crate::runtime::call_options!(@impl $builder, "this call and every page it fetches");
    };
    (@impl $builder:ident, $scope:literal) => {
        impl $builder {
            #[doc = concat!("Overrides the client's retry policy for ", $scope, ".")]
            pub fn retry(mut self, retry: $crate::RetryConfig) -> Self {
                self.options.retry = Some(retry);
                self
            }

            #[doc = concat!("Overrides the client's per-attempt timeout for ", $scope, ".")]
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            #[doc = concat!("Overrides the client's response size limit, in bytes, for ", $scope, ".")]
            pub fn max_response_size(mut self, bytes: u64) -> Self {
                self.options.max_response_size = Some(bytes);
                self
            }
        }
    };
}
pub(crate) use call_options;

/// Decodes an error body the runtime has an `Error` variant of its own for
/// (`ResourceNotFound`, `HttpValidationError`); `None` when the body is not that schema.
///
/// `matches` checks what decoding alone cannot: the schema's constant fields (`"error":
/// "ResourceNotFound"`), which open enums would otherwise accept with any value, so that the
/// members of a union of error bodies are told apart.
#[allow(dead_code)] // Used by the generated error tables when the document has the schema.
pub(crate) fn runtime_error<T>(body: &[u8], matches: fn(&T) -> bool) -> Option<Error>
where
    T: DeserializeOwned,
    Error: From<T>,
{
    serde_json::from_slice::<T>(body)
        .ok()
        .filter(matches)
        .map(Error::from)
}

/// Decodes a documented error body into [`Error::Documented`] with the variant `wrap` makes;
/// `None` when the body is not that schema (see [`runtime_error`] for `matches`).
#[allow(dead_code)] // Used by the generated error tables when the document has such errors.
pub(crate) fn documented_error<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
    matches: fn(&T) -> bool,
    wrap: fn(T) -> ErrorBody,
) -> Option<Error> {
    serde_json::from_slice::<T>(body)
        .ok()
        .filter(matches)
        .map(|value| Error::Documented {
            status,
            body: wrap(value),
        })
}
