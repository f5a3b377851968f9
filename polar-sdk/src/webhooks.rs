//! Verifying Polar's webhook deliveries before trusting them.
//!
//! Polar signs every delivery the [Standard Webhooks](https://www.standardwebhooks.com) way:
//! three headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`) and an HMAC-SHA256
//! over `"{id}.{timestamp}.{raw body}"`. [`Webhook`] checks all of it against your endpoint's
//! secret and only then hands the body on.
//!
//! ```
//! use polar_sdk::webhooks::Webhook;
//! # fn handle(headers: &reqwest::header::HeaderMap, body: &[u8]) -> Result<(), polar_sdk::webhooks::WebhookError> {
//! // An unset variable gives an empty secret, which `Webhook::new` refuses.
//! let webhook = Webhook::new(&std::env::var("POLAR_WEBHOOK_SECRET").unwrap_or_default())?;
//! let delivery = webhook.verify(headers, body)?;
//! let event: serde_json::Value = delivery.json()?;
//! println!("{} ({})", event["type"], delivery.id());
//! # Ok(()) }
//! ```
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
use reqwest::header::HeaderMap;
use sha2::Sha256;
use subtle::ConstantTimeEq;

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
    /// The signature is valid but the body is not the JSON expected.
    #[error("the verified webhook body is not the expected JSON: {0}")]
    InvalidJson(#[source] JsonError),
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
