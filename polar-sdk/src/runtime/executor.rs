//! The request execution loop: attempts, retries, timeouts, size limits, the concurrency
//! limiter and the mapping of responses to [`Error`]s. Below the client and the pagination
//! layer, which both drive it; it imports neither.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use tokio::sync::OwnedSemaphorePermit;
use tracing::Instrument;

use crate::body::{read_error_body, read_limited, ReadError};
use crate::error::{ApiError, ConfigError, DecodeError, Error, TransportError};
use crate::models;
use crate::retry::{decide, Decision, Outcome, RetryAfter, RetryConfig};
use crate::runtime::{Auth, ErrorTable, PagedResponse, RequestOptions, RequestSpec};
use crate::PageInfo;

/// The client's bearer tokens, each as a ready `Authorization` value (marked sensitive).
#[derive(Clone, Default)]
pub(crate) struct Tokens {
    pub(crate) organization: Option<HeaderValue>,
    pub(crate) customer_session: Option<HeaderValue>,
    pub(crate) member_session: Option<HeaderValue>,
}

impl Tokens {
    fn get(&self, kind: Auth) -> Option<&HeaderValue> {
        match kind {
            Auth::Organization => self.organization.as_ref(),
            Auth::CustomerSession => self.customer_session.as_ref(),
            Auth::MemberSession => self.member_session.as_ref(),
        }
    }

    /// The `Authorization` value for an operation accepting `accepted` (preferred first):
    /// none if it needs no token; else the first kind the client has; else whichever token
    /// the client has (organization first), and the server decides.
    pub(crate) fn choose(&self, accepted: &[Auth]) -> Option<&HeaderValue> {
        if accepted.is_empty() {
            return None;
        }
        accepted
            .iter()
            .find_map(|kind| self.get(*kind))
            .or(self.organization.as_ref())
            .or(self.customer_session.as_ref())
            .or(self.member_session.as_ref())
    }
}

/// Everything needed to run requests: the HTTP client and the client-wide settings.
pub(crate) struct Executor {
    /// `None` only for a client `Polar::new` could not configure (see `unusable`).
    pub(crate) http: Option<reqwest::Client>,
    /// Without a trailing slash; paths start with one.
    pub(crate) base_url: String,
    /// Every header the SDK sends on each request, except `Authorization`.
    pub(crate) headers: HeaderMap,
    /// The tokens; one of them goes into each request's `Authorization`.
    pub(crate) tokens: Tokens,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryConfig,
    /// The default limit on a response body, in bytes.
    pub(crate) max_response_size: u64,
    /// Bounds the attempts in flight at once, when configured: the bound and its semaphore.
    pub(crate) limiter: Option<(usize, Arc<tokio::sync::Semaphore>)>,
    /// Set when `Polar::new` got an unusable configuration: every request fails with it.
    pub(crate) unusable: Option<ConfigError>,
}

/// How much of a success response an attempt reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    /// The whole body, within the size limit.
    Whole,
    /// Nothing: the body is handed over unread, with the limiter's slot.
    Head,
}

/// A success response whose body is still to be read, with the size limit of its call.
pub(crate) struct Streaming {
    pub(crate) response: reqwest::Response,
    /// The limiter's slot, held until the body is dropped.
    pub(crate) permit: Option<OwnedSemaphorePermit>,
    pub(crate) limit: u64,
}

enum Attempted {
    Whole(RawResponse),
    Head(reqwest::Response, Option<OwnedSemaphorePermit>),
}

impl Executor {
    /// Runs the attempts of one request until success or a final failure; reads the body.
    pub(crate) async fn execute(
        &self,
        spec: &RequestSpec,
        options: &RequestOptions,
    ) -> Result<RawResponse, Error> {
        match self.run(spec, options, Read::Whole).await? {
            (Attempted::Whole(raw), _) => Ok(raw),
            (Attempted::Head(..), _) => unreachable!("a whole read returns the body"),
        }
    }

    /// Like [`execute`](Self::execute), but stops at a success response's head: retries,
    /// timeouts and error mapping apply until the head arrives; the body is the caller's.
    pub(crate) async fn execute_streaming(
        &self,
        spec: &RequestSpec,
        options: &RequestOptions,
    ) -> Result<Streaming, Error> {
        match self.run(spec, options, Read::Head).await? {
            (Attempted::Head(response, permit), limit) => Ok(Streaming {
                response,
                permit,
                limit,
            }),
            (Attempted::Whole(..), _) => unreachable!("a head read returns the response"),
        }
    }

    /// The headers of every attempt of `spec`: the client's, then the request's own
    /// (`Accept`, header parameters, `Content-Type`), then the chosen token.
    fn request_headers(&self, spec: &RequestSpec) -> HeaderMap {
        let mut headers = self.headers.clone();
        if let Some(accept) = spec.accept_media_type() {
            headers.insert(ACCEPT, HeaderValue::from_static(accept));
        }
        for (name, value) in spec.headers() {
            headers.insert(name.clone(), value.clone());
        }
        if let Some(body) = spec.body() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(body.content_type));
        }
        if let Some(token) = self.tokens.choose(spec.auth()) {
            headers.insert(AUTHORIZATION, token.clone());
        }
        headers
    }

    async fn run(
        &self,
        spec: &RequestSpec,
        options: &RequestOptions,
        read: Read,
    ) -> Result<(Attempted, u64), Error> {
        let inner = self;
        let http = match (&inner.http, &inner.unusable) {
            (Some(http), None) => http,
            (_, Some(error)) => return Err(Error::Config(error.clone())),
            (None, None) => return Err(Error::Config(ConfigError::new("no HTTP client"))),
        };
        let path_and_query = spec.path_and_query().map_err(Error::InvalidRequest)?;
        let url = Url::parse(&format!("{}{}", inner.base_url, path_and_query))
            .map_err(|e| Error::InvalidRequest(format!("cannot build the URL: {e}")))?;
        let headers = self.request_headers(spec);
        let retry = options.retry.as_ref().unwrap_or(&inner.retry);
        let timeout = options.timeout.unwrap_or(inner.timeout);
        let limit = options.max_response_size.unwrap_or(inner.max_response_size);
        let idempotent = spec.method().is_idempotent();
        let started = Instant::now();
        let mut retries = 0u32;
        loop {
            let span = tracing::debug_span!(
                "polar_sdk.request",
                operation = spec.operation_id(),
                method = %spec.method(),
                route = spec.path_template(),
                // The path only: query values (emails, external ids) stay out of logs.
                path = url.path(),
                attempt = retries + 1,
                status = tracing::field::Empty,
            );
            let attempt = Attempt {
                http,
                spec,
                url: &url,
                headers: &headers,
                timeout,
                limit,
                read,
            };
            let failure = match self.attempt(attempt, &span).instrument(span.clone()).await {
                Ok(done) => return Ok((done, limit)),
                Err(failure) => failure,
            };
            let outcome = failure.outcome();
            let decision = decide(
                retry,
                retries,
                idempotent,
                &outcome,
                started.elapsed(),
                SystemTime::now(),
                fastrand::f64(),
            );
            match decision {
                Decision::Retry(delay) => {
                    span.in_scope(|| {
                        tracing::debug!(?outcome, delay_ms = delay.as_millis() as u64, "retrying")
                    });
                    drop(failure);
                    tokio::time::sleep(delay).await;
                    retries += 1;
                }
                Decision::Stop => return Err(failure.into_error(limit, spec.errors())),
            }
        }
    }

    /// One attempt: send, and read the body (within `limit` bytes) unless only the head is
    /// wanted.
    async fn attempt(&self, a: Attempt<'_>, span: &tracing::Span) -> Result<Attempted, Failure> {
        // Held until the body is read (for a streamed body: until it is dropped). `acquire`
        // fails only on a closed semaphore (never).
        let permit = match &self.limiter {
            Some((_, limiter)) => limiter.clone().acquire_owned().await.ok(),
            None => None,
        };
        let started = Instant::now();
        let mut request = a
            .http
            .request(a.spec.method().clone(), a.url.clone())
            .headers(a.headers.clone())
            .timeout(a.timeout);
        if let Some(body) = a.spec.body() {
            // `Bytes` is shared, so every attempt sends the same body without copying it.
            request = request.body(body.bytes.clone());
        }
        let response = request
            .send()
            .await
            .map_err(|e| Failure::transport(e, None))?;
        let status = response.status();
        span.record("status", status.as_u16());
        if !status.is_success() {
            tracing::debug!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "error response"
            );
            let headers = response.headers().clone();
            let (body, truncated) = read_error_body(response, a.limit).await;
            return Err(Failure::Status {
                status,
                headers,
                body,
                truncated,
            });
        }
        if a.read == Read::Head {
            tracing::debug!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "response head; the body is streamed"
            );
            return Ok(Attempted::Head(response, permit));
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let limit = a.limit;
        let body = read_limited(response, limit).await.map_err(|e| match e {
            ReadError::Transport(e, partial) => Failure::transport(e, Some(partial)),
            ReadError::TooLarge => {
                tracing::debug!(limit, "the response body exceeds the limit");
                Failure::TooLarge(status)
            }
        })?;
        drop(permit);
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            bytes = body.len(),
            "response"
        );
        Ok(Attempted::Whole(RawResponse {
            status,
            content_type,
            body,
        }))
    }
}

/// What one attempt needs.
struct Attempt<'a> {
    http: &'a reqwest::Client,
    spec: &'a RequestSpec,
    url: &'a Url,
    headers: &'a HeaderMap,
    timeout: Duration,
    limit: u64,
    read: Read,
}

/// A success response, body read in full.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Bytes,
}

/// Decodes a success body straight from its bytes.
pub(crate) fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, Error> {
    // Validating UTF-8 once for the whole body and parsing from `&str` is ~15% faster than
    // `from_slice`, which validates every string on its own (`decode_bench`). Invalid UTF-8
    // takes the byte path, whose error says where.
    let decoded = match std::str::from_utf8(&raw.body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(&raw.body),
    };
    decoded.map_err(|e| {
        Error::Decode(DecodeError::new::<T>(
            raw.status,
            raw.content_type.clone(),
            raw.body.clone(),
            e,
        ))
    })
}

pub(crate) fn decode_page<R: PagedResponse>(
    raw: &RawResponse,
) -> Result<(Vec<R::Item>, PageInfo), Error> {
    decode::<R>(raw).map(R::into_page_parts)
}

/// A failed attempt, before deciding whether to retry.
enum Failure {
    /// A non-success response, with the kept start of its body.
    Status {
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        truncated: bool,
    },
    /// A network failure (with the part of a success body received before it, if any).
    Transport(TransportError, TransportKind),
    /// A success body longer than the limit.
    TooLarge(StatusCode),
}

/// What kind of network failure, as far as retrying and the error variant are concerned.
#[derive(Clone, Copy)]
enum TransportKind {
    Connect,
    Timeout,
    /// Would fail the same way again (see [`is_deterministic`]).
    Deterministic,
    Other,
}

impl Failure {
    fn transport(e: reqwest::Error, partial: Option<Bytes>) -> Self {
        // A connect timeout is a connect failure (nothing was sent), so check it first.
        let kind = if e.is_connect() {
            TransportKind::Connect
        } else if e.is_timeout() {
            TransportKind::Timeout
        } else if is_deterministic(&e) {
            TransportKind::Deterministic
        } else {
            TransportKind::Other
        };
        let e = TransportError::new(e, partial);
        tracing::debug!(error = %e, "request failed");
        Self::Transport(e, kind)
    }

    fn outcome(&self) -> Outcome {
        match self {
            Self::Status {
                status, headers, ..
            } => Outcome::Status {
                status: status.as_u16(),
                retry_after: headers
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(RetryAfter::parse),
            },
            Self::Transport(_, TransportKind::Connect) => Outcome::Connect,
            Self::Transport(_, TransportKind::Timeout) => Outcome::Timeout,
            Self::Transport(_, TransportKind::Deterministic) | Self::TooLarge(_) => {
                Outcome::Deterministic
            }
            Self::Transport(_, TransportKind::Other) => Outcome::Transport,
        }
    }

    fn into_error(self, limit: u64, errors: ErrorTable) -> Error {
        let (status, headers, body, truncated) = match self {
            Self::Transport(e, TransportKind::Connect) => return Error::Connect(e),
            Self::Transport(e, TransportKind::Timeout) => return Error::Timeout(e),
            Self::Transport(e, _) => return Error::Transport(e),
            Self::TooLarge(status) => return Error::ResponseTooLarge { status, limit },
            Self::Status {
                status,
                headers,
                body,
                truncated,
            } => (status, headers, body, truncated),
        };
        // A cut body cannot be the documented one; it stays raw.
        if !truncated {
            if let Some(error) = typed_error(errors, status, &body) {
                return error;
            }
        }
        Error::Api(ApiError::new(status, headers, body, truncated))
    }
}

/// The typed error for a whole error body, if the request's table documents one that decodes.
fn typed_error(errors: ErrorTable, status: StatusCode, body: &[u8]) -> Option<Error> {
    match errors {
        ErrorTable::Documented(entries) => entries
            .iter()
            .filter(|(documented, _)| *documented == status.as_u16())
            .find_map(|(_, decode)| decode(status, body)),
        ErrorTable::Legacy => match status {
            StatusCode::NOT_FOUND => serde_json::from_slice::<models::ResourceNotFound>(body)
                .ok()
                .map(Error::ResourceNotFound),
            StatusCode::UNPROCESSABLE_ENTITY => {
                serde_json::from_slice::<models::HttpValidationError>(body)
                    .ok()
                    .map(Error::HttpValidation)
            }
            _ => None,
        },
    }
}

/// Whether the same request would fail the same way again: a redirect loop (or a redirect
/// the policy refuses), or a response the HTTP parser rejects (a head too large, an invalid
/// `Content-Length`, a malformed status line).
fn is_deterministic(e: &reqwest::Error) -> bool {
    if e.is_redirect() {
        return true;
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(current) = cause {
        if let Some(hyper) = current.downcast_ref::<hyper::Error>() {
            return hyper.is_parse() || hyper.is_parse_status();
        }
        cause = current.source();
    }
    false
}
