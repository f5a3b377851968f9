//! The error type of every operation.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::models;

/// How many characters of a body or message `Display` and `Debug` show.
const SNIPPET_CHARS: usize = 200;

/// Everything that can go wrong when calling the Polar API.
///
/// Match on the variants you handle and keep a catch-all arm: new variants may be added.
///
/// ```no_run
/// # async fn run(polar: polar_sdk::Polar, id: uuid::Uuid) {
/// use polar_sdk::Error;
///
/// match polar.customer_meters().get(id).send().await {
///     Ok(meter) => println!("{}", meter.balance),
///     Err(Error::ResourceNotFound(e)) => println!("gone: {}", e.detail),
///     Err(Error::Api(e)) if e.status().as_u16() == 429 => println!("slow down"),
///     Err(e) => eprintln!("{e}"),
/// }
/// # }
/// ```
///
/// No variant, and neither `Debug` nor `Display`, ever contains a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `404 Not Found` with Polar's `ResourceNotFound` body.
    #[error("resource not found (404): {}", snippet(&.0.detail))]
    ResourceNotFound(models::ResourceNotFound),
    /// `422 Unprocessable Entity` with a validation error body: the request was rejected.
    #[error("request validation failed (422): {}", validation_summary(.0))]
    HttpValidation(models::HttpValidationError),
    /// A documented error response other than `404`/`422` (those keep their own variants):
    /// the body decoded into the schema the operation documents for that status.
    #[error("documented error response ({status})")]
    Documented {
        /// The response status.
        status: StatusCode,
        /// The decoded body.
        body: crate::ErrorBody,
    },
    /// Any other non-success response, including a documented status whose body is not the
    /// documented schema (or was too long to keep whole).
    #[error(transparent)]
    Api(ApiError),
    /// A success response whose body is not what the operation returns.
    #[error(transparent)]
    Decode(DecodeError),
    /// An attempt took longer than its timeout.
    #[error("request timed out: {0}")]
    Timeout(#[source] TransportError),
    /// The connection could not be established (refused, DNS, TLS, connect timeout).
    #[error("could not connect: {0}")]
    Connect(#[source] TransportError),
    /// The connection failed during the exchange (reset, closed early, truncated body).
    #[error("transport error: {0}")]
    Transport(#[source] TransportError),
    /// The client configuration is invalid (from [`PolarBuilder::build`](crate::PolarBuilder::build)).
    #[error("invalid configuration: {0}")]
    Config(#[source] ConfigError),
    /// A request parameter cannot be sent, e.g. a path parameter that is empty, `.` or `..`,
    /// or an empty list (see [`OneOrMany`](crate::OneOrMany#empty-lists)). Nothing was sent.
    #[error("invalid request: {}", snippet(.0))]
    InvalidRequest(String),
    /// The response body is longer than the size limit
    /// ([`PolarBuilder::max_response_size`](crate::PolarBuilder::max_response_size), 32 MiB by
    /// default). Reading stopped there (or before it started, when `Content-Length` said so);
    /// not retried, since the same request would get the same body.
    #[error("the {status} response body exceeds the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The response status.
        status: StatusCode,
        /// The limit that applied, in bytes.
        limit: u64,
    },
    /// A walk through the pages of a list ([`Page::next`](crate::Page::next),
    /// [`PageStream`](crate::PageStream)) stopped early because the server's answers do not add
    /// up; the items before it were returned. See [`Page`'s termination](crate::Page#termination).
    #[error(transparent)]
    Pagination(PaginationError),
}

impl From<models::ResourceNotFound> for Error {
    fn from(body: models::ResourceNotFound) -> Self {
        Self::ResourceNotFound(body)
    }
}

impl From<models::HttpValidationError> for Error {
    fn from(body: models::HttpValidationError) -> Self {
        Self::HttpValidation(body)
    }
}

/// Why a walk through the pages of a list stopped before the last page the server reported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// Page `page` was byte-for-byte the page before it, so its items were not returned again.
    #[error("page {page} repeated page {} byte for byte; stopped before returning its items twice", .page - 1)]
    RepeatedPage {
        /// The number of the repeated page.
        page: i64,
    },
    /// Page `page` had no items although the server reported pages up to `max_page`.
    #[error("page {page} is empty although the server reported {max_page} pages; stopped")]
    EmptyPage {
        /// The number of the empty page.
        page: i64,
        /// The last page the server reported.
        max_page: i64,
    },
}

impl Error {
    /// The HTTP status of the response this error came from, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::ResourceNotFound(_) => Some(StatusCode::NOT_FOUND),
            Self::HttpValidation(_) => Some(StatusCode::UNPROCESSABLE_ENTITY),
            Self::Documented { status, .. } => Some(*status),
            Self::Api(e) => Some(e.status()),
            Self::Decode(e) => Some(e.status()),
            Self::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A non-success response that is not one of the typed errors.
///
/// Keeps the status, the headers and the body: its first
/// [`ERROR_BODY_LIMIT`](ApiError::ERROR_BODY_LIMIT) bytes; the rest is not read
/// ([`body_truncated`](Self::body_truncated) says so).
pub struct ApiError {
    inner: Box<ApiErrorInner>,
}

struct ApiErrorInner {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    truncated: bool,
}

impl ApiError {
    /// How many bytes of an error response's body are kept (64 KiB, or the response size
    /// limit if that is lower).
    pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        truncated: bool,
    ) -> Self {
        Self {
            inner: Box::new(ApiErrorInner {
                status,
                headers,
                body,
                truncated,
            }),
        }
    }

    /// Whether the body was longer than what [`body`](Self::body) keeps.
    pub fn body_truncated(&self) -> bool {
        self.inner.truncated
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The response headers (e.g. `Retry-After`).
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// The raw response body (its start, if [`body_truncated`](Self::body_truncated)).
    pub fn body(&self) -> &[u8] {
        &self.inner.body
    }

    /// The response body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.inner.body)
    }

    /// Decodes the body as JSON into `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.inner.body)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Polar API returned {}: {}",
            self.inner.status,
            body_summary(&self.inner.body)
        )?;
        if self.inner.truncated {
            write!(f, " (body cut at {} bytes)", self.inner.body.len())?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.inner.status)
            .field("headers", &self.inner.headers)
            .field("body", &snippet(&self.body_text()))
            .field("body_truncated", &self.inner.truncated)
            .finish()
    }
}

impl std::error::Error for ApiError {}

/// A success response whose body could not be decoded.
///
/// Keeps the body and where in it decoding failed.
pub struct DecodeError {
    inner: Box<DecodeErrorInner>,
}

struct DecodeErrorInner {
    status: StatusCode,
    content_type: Option<String>,
    body: Bytes,
    path: String,
    source: serde_json::Error,
}

impl DecodeError {
    /// Builds the error for a body that failed to decode as `T`. Parses the body a second
    /// time (error path only) to find the JSON path of the failure.
    pub(crate) fn new<T: DeserializeOwned>(
        status: StatusCode,
        content_type: Option<String>,
        body: Bytes,
        first_error: serde_json::Error,
    ) -> Self {
        let (path, source) = match serde_path_to_error::deserialize::<_, T>(
            &mut serde_json::Deserializer::from_slice(&body),
        ) {
            Err(e) => (e.path().to_string(), e.into_inner()),
            // Cannot happen (same input, same type); keep the first error.
            Ok(_) => (String::from("."), first_error),
        };
        Self {
            inner: Box::new(DecodeErrorInner {
                status,
                content_type,
                body,
                path,
                source,
            }),
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The response `Content-Type`, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.inner.content_type.as_deref()
    }

    /// The raw response body.
    pub fn body(&self) -> &[u8] {
        &self.inner.body
    }

    /// The response body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.inner.body)
    }

    /// Where decoding failed, e.g. `items[3].created_at` (`.` for the top level).
    pub fn path(&self) -> &str {
        &self.inner.path
    }

    /// The line (1-based) of the body where decoding failed.
    pub fn line(&self) -> usize {
        self.inner.source.line()
    }

    /// The column (1-based) of the body where decoding failed.
    pub fn column(&self) -> usize {
        self.inner.source.column()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        write!(f, "could not decode the {} response", inner.status)?;
        if let Some(ct) = &inner.content_type {
            write!(f, " ({})", snippet(ct))?;
        }
        write!(
            f,
            " at `{}`: {}; body: {}",
            snippet(&inner.path),
            snippet(&inner.source.to_string()),
            body_summary(&inner.body)
        )
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.inner.status)
            .field("content_type", &self.inner.content_type)
            .field("path", &snippet(&self.inner.path))
            .field("source", &snippet(&self.inner.source.to_string()))
            .field("body", &snippet(&self.body_text()))
            .finish()
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.inner.source)
    }
}

/// A network-level failure (connect, timeout, reset, truncated body, malformed response).
///
/// [`source`](std::error::Error::source) gives the underlying HTTP client error. Neither it nor
/// `Display`/`Debug` contain the request's query string, whose filter values (emails, external
/// ids) are often personal data; `Display` names the path. [`url`](Self::url) has the full URL.
pub struct TransportError {
    inner: Box<TransportErrorInner>,
}

struct TransportErrorInner {
    source: reqwest::Error,
    url: Option<reqwest::Url>,
    partial_body: Option<Bytes>,
}

impl TransportError {
    /// Takes the URL out of `source` (its `Display` would print it) and keeps it aside.
    pub(crate) fn new(source: reqwest::Error, partial_body: Option<Bytes>) -> Self {
        let url = source.url().cloned();
        Self {
            inner: Box::new(TransportErrorInner {
                source: source.without_url(),
                url,
                partial_body,
            }),
        }
    }

    /// When a success response's body broke off (connection closed or reset, timeout while
    /// reading): the part that arrived. `None` if the failure happened before a response.
    pub fn partial_body(&self) -> Option<&[u8]> {
        self.inner.partial_body.as_deref()
    }

    /// The full URL of the failed request, query included (when known). Mind that the query
    /// can hold personal data before logging it.
    pub fn url(&self) -> Option<&reqwest::Url> {
        self.inner.url.as_ref()
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("source", &self.inner.source)
            .field("path", &self.inner.url.as_ref().map(|u| snippet(u.path())))
            .field(
                "partial_body",
                &self
                    .partial_body()
                    .map(|b| snippet(&String::from_utf8_lossy(b))),
            )
            .finish()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&snippet(&self.inner.source.to_string()))?;
        // The innermost cause ("connection refused", "operation timed out") is the useful part.
        let mut cause: &dyn std::error::Error = &self.inner.source;
        while let Some(next) = cause.source() {
            cause = next;
        }
        if !std::ptr::addr_eq(cause, &self.inner.source) {
            write!(f, ": {}", snippet(&cause.to_string()))?;
        }
        if let Some(url) = &self.inner.url {
            write!(f, " (path {})", snippet(url.path()))?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.inner.source)
    }
}

/// An invalid client configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: Cow<'static, str>,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// `text` with whitespace runs collapsed, cut to [`SNIPPET_CHARS`] characters.
pub(crate) fn snippet(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        for c in word.chars() {
            if chars >= SNIPPET_CHARS {
                out.push('…');
                return out;
            }
            out.push(c);
            chars += 1;
        }
    }
    out
}

/// A short description of an error body: Polar's `error`/`detail` fields when it is such a
/// JSON object, else the start of the text.
fn body_summary(body: &[u8]) -> String {
    if body.is_empty() {
        return "(empty body)".to_owned();
    }
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) {
        let field = |name: &str| match map.get(name) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        };
        // `error_description` is OAuth's (RFC 6750) wording, e.g. on a 401.
        let parts: Vec<String> = ["error", "error_description", "detail"]
            .into_iter()
            .filter_map(field)
            .collect();
        if !parts.is_empty() {
            return snippet(&parts.join(": "));
        }
    }
    snippet(&String::from_utf8_lossy(body))
}

fn validation_summary(e: &models::HttpValidationError) -> String {
    let Some(errors) = e.detail.as_deref().filter(|d| !d.is_empty()) else {
        return "no details".to_owned();
    };
    let mut out = String::new();
    for (i, item) in errors.iter().take(3).enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        let loc: Vec<String> = item
            .loc
            .iter()
            .map(|part| match serde_json::to_value(part) {
                Ok(serde_json::Value::String(s)) => s,
                Ok(other) => other.to_string(),
                Err(_) => "?".to_owned(),
            })
            .collect();
        out.push_str(&loc.join("."));
        out.push_str(": ");
        out.push_str(&item.msg);
    }
    if errors.len() > 3 {
        out.push_str(&format!(" (and {} more)", errors.len() - 3));
    }
    snippet(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_collapses_and_truncates() {
        assert_eq!(snippet("  a \n\t b  "), "a b");
        let long = "é".repeat(500);
        let s = snippet(&long);
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
        assert_eq!(snippet(""), "");
    }

    #[test]
    fn body_summaries() {
        assert_eq!(body_summary(b""), "(empty body)");
        assert_eq!(body_summary(br#"{"error":"E","detail":"d"}"#), "E: d");
        assert_eq!(body_summary(br#"{"detail":[1]}"#), "[1]");
        assert_eq!(
            body_summary(br#"{"error":"invalid_token","error_description":"expired"}"#),
            "invalid_token: expired"
        );
        assert_eq!(
            body_summary(b"<html>\n<b>Bad</b>  gateway</html>"),
            "<html> <b>Bad</b> gateway</html>"
        );
        assert!(body_summary(&[b'x'; 10_000]).chars().count() <= SNIPPET_CHARS + 1);
        assert_eq!(body_summary(&[0xff, b'a']), "\u{fffd}a");
    }

    #[test]
    fn api_error_accessors_and_display() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "3".parse().unwrap());
        let e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            headers,
            Bytes::from_static(b"{\"detail\":\"slow\"}"),
            false,
        );
        assert_eq!(e.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(e.headers()["retry-after"], "3");
        assert_eq!(e.body(), b"{\"detail\":\"slow\"}");
        assert_eq!(e.json::<serde_json::Value>().unwrap()["detail"], "slow");
        assert_eq!(
            e.to_string(),
            "Polar API returned 429 Too Many Requests: slow"
        );
        assert_eq!(Error::Api(e).status(), Some(StatusCode::TOO_MANY_REQUESTS));
    }

    #[test]
    fn decode_error_reports_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            id: i64,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct List {
            items: Vec<Item>,
        }
        let body = Bytes::from_static(b"{\"items\":[{\"id\":1},\n{\"id\":\"x\"}]}");
        let first = serde_json::from_slice::<List>(&body).unwrap_err();
        let e =
            DecodeError::new::<List>(StatusCode::OK, Some("application/json".into()), body, first);
        assert_eq!(e.path(), "items[1].id");
        assert_eq!(e.line(), 2);
        assert!(e.column() > 1);
        assert_eq!(e.content_type(), Some("application/json"));
        let shown = e.to_string();
        assert!(shown.starts_with("could not decode the 200 OK response (application/json) at `items[1].id`: invalid type"), "{shown}");
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn decode_error_display_is_bounded_for_a_long_path() {
        type Map = std::collections::HashMap<String, i64>;
        let key = "k".repeat(100_000);
        let body = Bytes::from(format!("{{\"{key}\":\"{key}\"}}"));
        let first = serde_json::from_slice::<Map>(&body).unwrap_err();
        let e = DecodeError::new::<Map>(StatusCode::OK, None, body, first);
        assert_eq!(e.path().len(), 100_000);
        assert!(
            e.to_string().chars().count() < 1000,
            "{} chars",
            e.to_string().len()
        );
        assert!(format!("{e:?}").chars().count() < 1000);
    }
}
