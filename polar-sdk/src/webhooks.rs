//! Verifying Polar's webhook deliveries before trusting them.
//!
//! Polar signs every delivery the [Standard Webhooks](https://www.standardwebhooks.com) way:
//! three headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`) and an HMAC-SHA256
//! over `"{id}.{timestamp}.{raw body}"`. [`verify`] checks all of it against your endpoint's
//! secret and only then decodes the body into a typed `WebhookEvent` (with the
//! `webhook_events` feature, on by default):
//!
//! ```
//! # #[cfg(feature = "webhook_events")]
//! # fn handle(secret: &str, headers: &polar_sdk::webhooks::HeaderMap, body: &[u8]) -> Result<(), polar_sdk::webhooks::WebhookError> {
//! use polar_sdk::webhooks::{self, WebhookEvent};
//!
//! match webhooks::verify(secret, headers, body)? {
//!     WebhookEvent::OrderPaid(paid) => println!("order {} paid", paid.data.id),
//!     // Events this code does not act on, including types newer than this SDK.
//!     other => println!("skipped {}", other.event_type()),
//! }
//! # Ok(()) }
//! ```
//!
//! [`Webhook`] is the same check as a value built once (with a configurable
//! [tolerance](Webhook::tolerance)); [`Webhook::verify`] stops at the signature and hands
//! over a [`Delivery`] with the raw body, for code that decodes it into its own types.
//! Headers from frameworks without `http::HeaderMap` go through [`Webhook::verify_pairs`].
//!
//! # Replays
//!
//! A valid delivery can be sent again: Polar retries failed deliveries, and anyone who saw one
//! can replay it within the timestamp tolerance (5 minutes by default). The `webhook-id`
//! ([`Delivery::id`]) is the same for every attempt of one event: record the ids you have
//! processed and skip those you have seen, so each event is acted on once.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The header map [`Webhook::verify`] reads: `http::HeaderMap` of http 1.x, the one reqwest,
/// axum and hyper use.
pub use reqwest::header::HeaderMap;

#[cfg(feature = "webhook_events")]
pub use crate::generated::webhook_events::WebhookEvent;

#[cfg(feature = "webhook_events")]
use crate::runtime::RawJson;

/// Verifies a delivery with the endpoint `secret` and decodes its event: a shorthand for
/// [`Webhook::new`] then [`Webhook::verify_event`], with the default tolerance.
///
/// `body` must be the raw request body, byte for byte as received.
///
/// # Errors
///
/// Every rule that failed has its own [`WebhookError`] variant: an empty secret, a missing or
/// malformed header, a timestamp outside the tolerance, no matching signature, and (after the
/// signature checked out) a body that is not JSON or not a valid event of its type.
#[cfg(feature = "webhook_events")]
pub fn verify(
    secret: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<WebhookEvent, WebhookError> {
    Webhook::new(secret)?.verify_event(headers, body)
}

/// How far a delivery's timestamp may be from the clock, either way, unless configured.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// The header that identifies a delivery (the same for retries of one event).
pub const ID_HEADER: &str = "webhook-id";
/// The header with the delivery's send time, in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// The header with one or more space-separated `v1,<base64>` signatures.
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// Longest header value read; longer values are refused rather than parsed.
const MAX_HEADER_LEN: usize = 8 * 1024;

/// A verifier for one webhook endpoint's secret.
///
/// Build it once and share it: verifying does not change it.
#[derive(Clone)]
pub struct Webhook {
    /// Every key the secret may stand for, tried in order.
    keys: Vec<Vec<u8>>,
    tolerance: Duration,
}

impl Webhook {
    /// A verifier for `secret`, the endpoint secret from Polar's dashboard.
    ///
    /// Polar's own SDKs accept the secret in two forms, and so does this: its UTF-8 bytes are
    /// the key, and when the secret (without a `whsec_` prefix) is valid base64 that decodes to
    /// other bytes, those are tried as well.
    ///
    /// # Errors
    ///
    /// [`WebhookError::EmptySecret`] if `secret` is empty or only whitespace.
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        if secret.trim().is_empty() {
            return Err(WebhookError::EmptySecret);
        }
        let mut keys = vec![secret.as_bytes().to_vec()];
        let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
        if let Ok(decoded) = STANDARD.decode(encoded) {
            if !decoded.is_empty() && decoded != secret.as_bytes() {
                keys.push(decoded);
            }
        }
        Ok(Self {
            keys,
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// How far the `webhook-timestamp` may lie in the past or the future (default
    /// [`DEFAULT_TOLERANCE`], 5 minutes). A wider window accepts replays for longer.
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks a delivery's signature and timestamp against the current time.
    ///
    /// `body` must be the raw request body, byte for byte as received: a body that was parsed
    /// and serialized again no longer matches its signature.
    pub fn verify<'b>(
        &self,
        headers: &HeaderMap,
        body: &'b [u8],
    ) -> Result<Delivery<'b>, WebhookError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// Checks a delivery like [`verify`](Self::verify), then decodes its event.
    ///
    /// # Errors
    ///
    /// As [`verify`](Self::verify), then [`WebhookError::InvalidJson`] or
    /// [`WebhookError::InvalidEvent`] for a verified body that is not an event.
    #[cfg(feature = "webhook_events")]
    pub fn verify_event(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify(headers, body)?.event()
    }

    /// [`verify`](Self::verify) for headers given as `(name, value)` pairs, as frameworks
    /// without `http::HeaderMap` hand them out. Names are compared case-insensitively.
    pub fn verify_pairs<'b, N, V>(
        &self,
        headers: impl IntoIterator<Item = (N, V)>,
        body: &'b [u8],
    ) -> Result<Delivery<'b>, WebhookError>
    where
        N: AsRef<str>,
        V: AsRef<[u8]>,
    {
        let mut id = None;
        let mut timestamp = None;
        let mut signature = None;
        for (name, value) in headers {
            let slot = match name.as_ref() {
                n if n.eq_ignore_ascii_case(ID_HEADER) => &mut id,
                n if n.eq_ignore_ascii_case(TIMESTAMP_HEADER) => &mut timestamp,
                n if n.eq_ignore_ascii_case(SIGNATURE_HEADER) => &mut signature,
                _ => continue,
            };
            // The first of repeated headers counts, as with `HeaderMap::get` in `verify`.
            if slot.is_none() {
                *slot = Some(value.as_ref().to_vec());
            }
        }
        let parts = RawHeaders {
            id: id.as_deref(),
            timestamp: timestamp.as_deref(),
            signature: signature.as_deref(),
        };
        self.check(parts, body, SystemTime::now())
    }

    /// [`verify`](Self::verify) against the given time instead of the clock (for tests and
    /// for re-checking stored deliveries).
    pub fn verify_at<'b>(
        &self,
        headers: &HeaderMap,
        body: &'b [u8],
        now: SystemTime,
    ) -> Result<Delivery<'b>, WebhookError> {
        let parts = RawHeaders {
            id: headers.get(ID_HEADER).map(|v| v.as_bytes()),
            timestamp: headers.get(TIMESTAMP_HEADER).map(|v| v.as_bytes()),
            signature: headers.get(SIGNATURE_HEADER).map(|v| v.as_bytes()),
        };
        self.check(parts, body, now)
    }

    fn check<'b>(
        &self,
        headers: RawHeaders<'_>,
        body: &'b [u8],
        now: SystemTime,
    ) -> Result<Delivery<'b>, WebhookError> {
        let id = header_text(headers.id, ID_HEADER)?;
        let timestamp_text = header_text(headers.timestamp, TIMESTAMP_HEADER)?;
        let signatures = header_text(headers.signature, SIGNATURE_HEADER)?;

        let timestamp: u64 = timestamp_text
            .parse()
            .map_err(|_| WebhookError::InvalidHeader(TIMESTAMP_HEADER))?;
        let now_secs = now
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let tolerance = self.tolerance.as_secs();
        if now_secs > timestamp && now_secs - timestamp > tolerance {
            return Err(WebhookError::TooOld {
                age: Duration::from_secs(now_secs - timestamp),
                tolerance: self.tolerance,
            });
        }
        if timestamp > now_secs && timestamp - now_secs > tolerance {
            return Err(WebhookError::InFuture {
                ahead: Duration::from_secs(timestamp - now_secs),
                tolerance: self.tolerance,
            });
        }

        // Only `v1` (HMAC-SHA256) signatures count; entries of other versions are skipped.
        let candidates: Vec<Vec<u8>> = signatures
            .split_ascii_whitespace()
            .filter_map(|entry| entry.strip_prefix("v1,"))
            .filter_map(|encoded| STANDARD.decode(encoded).ok())
            .collect();
        if candidates.is_empty() {
            return Err(WebhookError::NoSignature);
        }
        let matched = self.keys.iter().any(|key| {
            let Some(expected) = sign(key, id, timestamp_text, body) else {
                return false;
            };
            // Fold every comparison so the time does not depend on which entry matched.
            candidates.iter().fold(0u8, |any, candidate| {
                any | candidate.as_slice().ct_eq(&expected).unwrap_u8()
            }) == 1
        });
        if !matched {
            return Err(WebhookError::SignatureMismatch);
        }
        Ok(Delivery {
            id: id.to_owned(),
            timestamp,
            body,
        })
    }
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("secret", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// The three signature headers, as bytes, before any checking.
struct RawHeaders<'h> {
    id: Option<&'h [u8]>,
    timestamp: Option<&'h [u8]>,
    signature: Option<&'h [u8]>,
}

fn header_text<'h>(value: Option<&'h [u8]>, name: &'static str) -> Result<&'h str, WebhookError> {
    let value = value.ok_or(WebhookError::MissingHeader(name))?;
    if value.len() > MAX_HEADER_LEN {
        return Err(WebhookError::InvalidHeader(name));
    }
    let text = std::str::from_utf8(value).map_err(|_| WebhookError::InvalidHeader(name))?;
    let text = text.trim();
    if text.is_empty() {
        return Err(WebhookError::MissingHeader(name));
    }
    Ok(text)
}

/// The HMAC-SHA256 of `"{id}.{timestamp}.{body}"` under `key`; `None` only if the MAC
/// refused the key, which HMAC (any key length) never does.
fn sign(key: &[u8], id: &str, timestamp: &str, body: &[u8]) -> Option<Vec<u8>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(mac.finalize().into_bytes().to_vec())
}

/// A delivery whose signature and timestamp checked out.
#[derive(Debug, Clone)]
pub struct Delivery<'b> {
    id: String,
    timestamp: u64,
    body: &'b [u8],
}

impl<'b> Delivery<'b> {
    /// The `webhook-id`: the same for every retry of one event, so it is the key to skip
    /// deliveries already processed.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// When Polar sent this attempt, in Unix seconds.
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }

    /// The verified raw body.
    pub fn body(&self) -> &'b [u8] {
        self.body
    }

    /// Decodes the verified body as JSON into `T`.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidJson`] when the body is not valid JSON of that shape; the
    /// signature was fine, so this is not an attack but a payload this code does not expect.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, WebhookError> {
        serde_json::from_slice(self.body).map_err(|e| WebhookError::InvalidJson(JsonError(e)))
    }

    /// Decodes the verified body into its event.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidJson`] when the body is not JSON; [`WebhookError::InvalidEvent`]
    /// when it is, but has no string `type` or does not match its known type's model. An
    /// unknown type is not an error: it is [`WebhookEvent::Unknown`].
    #[cfg(feature = "webhook_events")]
    pub fn event(&self) -> Result<WebhookEvent, WebhookError> {
        decode_event(self.body)
    }
}

#[cfg(feature = "webhook_events")]
fn decode_event(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let first = match serde_json::from_slice::<WebhookEvent>(body) {
        Ok(event) => return Ok(event),
        Err(e) => e,
    };
    if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() {
        return Err(WebhookError::InvalidJson(JsonError(first)));
    }
    // The body is JSON: find its type and where it differs from the model (error path only).
    #[derive(serde::Deserialize)]
    struct Tag {
        #[serde(rename = "type")]
        event_type: Option<serde_json::Value>,
    }
    let event_type = serde_json::from_slice::<Tag>(body)
        .ok()
        .and_then(|tag| tag.event_type?.as_str().map(bounded));
    let (path, source) = match serde_path_to_error::deserialize::<_, WebhookEvent>(
        &mut serde_json::Deserializer::from_slice(body),
    ) {
        Err(e) => (e.path().to_string(), e.into_inner()),
        Ok(_) => (String::from("."), first),
    };
    Err(WebhookError::InvalidEvent(EventError {
        event_type,
        path,
        source,
    }))
}

/// The first 100 characters of a wire text, for messages.
#[cfg(feature = "webhook_events")]
fn bounded(text: &str) -> String {
    const MAX: usize = 100;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// An event whose `type` this SDK version does not know, kept as sent.
///
/// Acknowledge it (answer 2xx) unless you handle it yourself: Polar adds event types, and a
/// handler that fails on them makes Polar retry and finally disable the endpoint.
#[cfg(feature = "webhook_events")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEvent {
    /// `None` only before `deserialize_event` refuses the value (no string `type`).
    event_type: Option<String>,
    payload: RawJson,
}

#[cfg(feature = "webhook_events")]
impl UnknownEvent {
    pub(crate) fn from_raw(payload: RawJson) -> Self {
        #[derive(serde::Deserialize)]
        struct Tag {
            #[serde(rename = "type")]
            event_type: Option<serde_json::Value>,
        }
        let event_type = payload
            .json::<Tag>()
            .ok()
            .and_then(|tag| match tag.event_type? {
                serde_json::Value::String(text) => Some(text),
                _ => None,
            });
        Self {
            event_type,
            payload,
        }
    }

    /// The event's `type` as sent.
    pub fn event_type(&self) -> &str {
        self.event_type.as_deref().unwrap_or_default()
    }

    /// The whole payload as sent (its exact JSON text); decode it with
    /// [`RawJson::json`] into a type of your own.
    pub fn payload(&self) -> &RawJson {
        &self.payload
    }
}

#[cfg(feature = "webhook_events")]
impl serde::Serialize for UnknownEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.payload.serialize(serializer)
    }
}

/// The generated event enum, as the decoder below needs it.
#[cfg(feature = "webhook_events")]
pub(crate) trait EventUnion: crate::runtime::tagged::TaggedUnion {
    /// The open variant's value, when the event is one.
    fn unknown_event(&self) -> Option<&UnknownEvent>;
}

/// `Deserialize` for the generated event enum: its tagged union, where an unknown `type` is
/// kept but a value without a string `type` is not an event.
#[cfg(feature = "webhook_events")]
pub(crate) fn deserialize_event<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: EventUnion,
{
    use serde::de::Error as _;
    let event: T = crate::runtime::tagged::deserialize(deserializer)?;
    match event.unknown_event() {
        Some(unknown) if unknown.event_type.is_none() => Err(D::Error::custom(
            "a webhook event must be an object with a string `type`",
        )),
        _ => Ok(event),
    }
}

/// Why a delivery was refused. None of the messages contain the secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret given to [`Webhook::new`] is empty.
    #[error("the webhook secret is empty")]
    EmptySecret,
    /// A signature header is absent or empty.
    #[error("the `{0}` header is missing")]
    MissingHeader(&'static str),
    /// A signature header is not valid (not UTF-8, too long, or a timestamp that is not a
    /// number of seconds).
    #[error("the `{0}` header is not valid")]
    InvalidHeader(&'static str),
    /// The timestamp is older than the tolerance: possibly a replay.
    #[error("the delivery is {}s old, more than the {}s tolerance", age.as_secs(), tolerance.as_secs())]
    TooOld {
        /// How old the timestamp is.
        age: Duration,
        /// The tolerance it exceeds.
        tolerance: Duration,
    },
    /// The timestamp is further in the future than the tolerance.
    #[error("the delivery is dated {}s ahead, more than the {}s tolerance", ahead.as_secs(), tolerance.as_secs())]
    InFuture {
        /// How far ahead the timestamp is.
        ahead: Duration,
        /// The tolerance it exceeds.
        tolerance: Duration,
    },
    /// The signature header holds no `v1,<base64>` entry.
    #[error("the `webhook-signature` header has no v1 signature")]
    NoSignature,
    /// No signature matches the body under this secret: a forged or altered delivery, or the
    /// wrong secret.
    #[error("no webhook signature matches the body and secret")]
    SignatureMismatch,
    /// The signature is valid but the body is not the JSON expected (with
    /// [`Delivery::event`]: not JSON at all).
    #[error("the verified webhook body is not the expected JSON: {0}")]
    InvalidJson(#[source] JsonError),
    /// The signature is valid and the body is JSON, but not an event: no string `type`, or
    /// data that does not match the model of its (known) type.
    #[error("{0}")]
    InvalidEvent(#[source] EventError),
}

/// A verified JSON body that is not a valid event, with a bounded message.
#[derive(Debug)]
pub struct EventError {
    event_type: Option<String>,
    path: String,
    source: serde_json::Error,
}

impl EventError {
    /// The body's `type` (at most 100 characters), when it has a string one.
    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }

    /// Where in the body decoding failed (`data.customer.email`; `.` for the whole body).
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = match &self.event_type {
            Some(event_type) => format!(
                "the verified webhook body is not a valid `{event_type}` event: at {}: {}",
                self.path, self.source
            ),
            None => format!("the verified webhook body is not an event: {}", self.source),
        };
        f.write_str(&crate::error::snippet(&message))
    }
}

impl std::error::Error for EventError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A JSON decoding error of a verified body, with a bounded message.
#[derive(Debug)]
pub struct JsonError(serde_json::Error);

impl JsonError {
    /// The line (1-based) where decoding failed.
    pub fn line(&self) -> usize {
        self.0.line()
    }

    /// The column (1-based) where decoding failed.
    pub fn column(&self) -> usize {
        self.0.column()
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::error::snippet(&self.0.to_string()))
    }
}

impl std::error::Error for JsonError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}
