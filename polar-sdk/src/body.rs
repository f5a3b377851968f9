//! Reading response bodies within bounds: a success body up to the response size limit, an
//! error body up to the part kept in the error.

use bytes::{Bytes, BytesMut};

use crate::ApiError;

/// The default limit on a response body: far above any page Polar sends (a page of 100 items
/// is well under 1 MiB), low enough that a broken or hostile server cannot exhaust memory.
pub(crate) const DEFAULT_MAX_RESPONSE_SIZE: u64 = 32 * 1024 * 1024;

/// Why reading a body stopped.
pub(crate) enum ReadError {
    /// The connection failed; the bytes that arrived before it.
    Transport(reqwest::Error, Bytes),
    /// The body is longer than the limit, by its `Content-Length` or counted while reading.
    TooLarge,
}

/// Reads the whole body, failing as soon as it is known to exceed `limit` bytes (before
/// reading anything when `Content-Length` says so).
pub(crate) async fn read_limited(
    mut response: reqwest::Response,
    limit: u64,
) -> Result<Bytes, ReadError> {
    if response.content_length().is_some_and(|len| len > limit) {
        return Err(ReadError::TooLarge);
    }
    // The common case is a single chunk, returned without copying.
    let mut first: Option<Bytes> = None;
    let mut joined = BytesMut::new();
    let mut total: u64 = 0;
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => return Err(ReadError::Transport(e, joined_or_first(first, joined))),
        };
        total = total.saturating_add(chunk.len() as u64);
        if total > limit {
            return Err(ReadError::TooLarge);
        }
        match &first {
            None => first = Some(chunk),
            Some(head) => {
                if joined.is_empty() {
                    // Trust the declared length only so far: a server that announces the
                    // whole limit and then trickles must not cost that much memory up front.
                    let hint = response.content_length().unwrap_or(0).min(1 << 20) as usize;
                    joined.reserve(hint.max(head.len() + chunk.len()));
                    joined.extend_from_slice(head);
                }
                joined.extend_from_slice(&chunk);
            }
        }
    }
    Ok(joined_or_first(first, joined))
}

fn joined_or_first(first: Option<Bytes>, joined: BytesMut) -> Bytes {
    if joined.is_empty() {
        first.unwrap_or_default()
    } else {
        joined.freeze()
    }
}

/// Reads the first `keep` bytes of an error body and whether there was more; the rest is
/// never read. A connection failure keeps what arrived (the status matters more).
pub(crate) async fn read_error_body(mut response: reqwest::Response, limit: u64) -> (Bytes, bool) {
    let keep = usize::try_from(limit)
        .unwrap_or(usize::MAX)
        .min(ApiError::ERROR_BODY_LIMIT);
    let mut body = BytesMut::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > keep {
                    let room = keep - body.len();
                    body.extend_from_slice(&chunk[..room]);
                    return (body.freeze(), true);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return (body.freeze(), false),
            Err(e) => {
                tracing::debug!(error = %e.without_url(), "reading the error body failed");
                return (body.freeze(), false);
            }
        }
    }
}
