//! Public shapes of success responses that are not a plain JSON value: [`MaybeReady`] and
//! [`ByteStream`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use reqwest::StatusCode;
use tokio::sync::OwnedSemaphorePermit;

use crate::error::{Error, TransportError};
use crate::runtime::executor::Streaming;

/// The answer of an operation that may not have its result yet.
///
/// Some resources are produced in the background, e.g. a receipt still being generated:
/// the server then answers `202 Accepted` without a body. Ask again later.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum MaybeReady<T> {
    /// The result.
    Ready(T),
    /// The server accepted the request but the result is not ready yet (`202`).
    Accepted,
}

impl<T> MaybeReady<T> {
    /// The result, or `None` if it is not ready yet.
    pub fn ready(self) -> Option<T> {
        match self {
            Self::Ready(value) => Some(value),
            Self::Accepted => None,
        }
    }

    /// Whether the result is here.
    pub fn is_ready(&self) -> bool {
        matches!(self, Self::Ready(_))
    }
}

type ChunkFuture = Pin<
    Box<dyn Future<Output = (reqwest::Response, Result<Option<Bytes>, reqwest::Error>)> + Send>,
>;

enum State {
    /// Between chunks.
    Idle(reqwest::Response),
    /// Waiting for the next chunk.
    Reading(ChunkFuture),
    /// The body ended or failed.
    Done,
}

/// A response body handed over as it arrives, for large non-JSON bodies such as CSV exports.
///
/// A [`Stream`] of chunks: nothing is kept in memory, and the response size limit
/// ([`PolarBuilder::max_response_size`](crate::PolarBuilder::max_response_size)) does not apply
/// to it; [`collect`](Self::collect) reads the whole body into memory within that limit.
///
/// Retries, timeouts and error mapping apply until the response's status line and headers
/// arrive; a failure while reading the body ends the stream with that error and is not
/// retried. The call's timeout ([`PolarBuilder::timeout`](crate::PolarBuilder::timeout) or the
/// per-call one) still runs while the body is read: it bounds the whole exchange, body
/// included, so give a long export a longer timeout. While the stream lives it holds its slot
/// of [`PolarBuilder::max_concurrent_requests`](crate::PolarBuilder::max_concurrent_requests).
pub struct ByteStream {
    status: StatusCode,
    content_type: Option<String>,
    limit: u64,
    state: State,
    /// Released when the stream is dropped.
    _permit: Option<OwnedSemaphorePermit>,
}

impl ByteStream {
    pub(crate) fn new(streaming: Streaming) -> Self {
        let Streaming {
            response,
            permit,
            limit,
        } = streaming;
        Self {
            status: response.status(),
            content_type: response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            limit,
            state: State::Idle(response),
            _permit: permit,
        }
    }

    /// The response's `Content-Type`, e.g. `text/csv; charset=utf-8`.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The response status (a success).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Reads the rest of the body into memory. Fails with [`Error::ResponseTooLarge`] as soon
    /// as it is known to be longer than the call's response size limit.
    pub async fn collect(mut self) -> Result<Bytes, Error> {
        let response = match std::mem::replace(&mut self.state, State::Done) {
            State::Done => return Ok(Bytes::new()),
            State::Idle(response) => {
                if response
                    .content_length()
                    .is_some_and(|len| len > self.limit)
                {
                    return Err(self.too_large());
                }
                response
            }
            State::Reading(pending) => {
                let (response, first) = pending.await;
                let mut body = BytesMut::new();
                match first.map_err(body_error)? {
                    Some(chunk) => body.extend_from_slice(&chunk),
                    None => return Ok(Bytes::new()),
                }
                return self.read_rest(response, body).await;
            }
        };
        self.read_rest(response, BytesMut::new()).await
    }

    async fn read_rest(
        &self,
        mut response: reqwest::Response,
        mut body: BytesMut,
    ) -> Result<Bytes, Error> {
        loop {
            if body.len() as u64 > self.limit {
                return Err(self.too_large());
            }
            match response.chunk().await.map_err(body_error)? {
                Some(chunk) => body.extend_from_slice(&chunk),
                None => return Ok(body.freeze()),
            }
        }
    }

    fn too_large(&self) -> Error {
        Error::ResponseTooLarge {
            status: self.status,
            limit: self.limit,
        }
    }
}

/// A failure while reading a streamed body (after the head arrived).
fn body_error(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout(TransportError::new(e, None))
    } else {
        Error::Transport(TransportError::new(e, None))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Idle(mut response) => {
                    self.state = State::Reading(Box::pin(async move {
                        let chunk = response.chunk().await;
                        (response, chunk)
                    }));
                }
                State::Reading(mut pending) => match pending.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::Reading(pending);
                        return Poll::Pending;
                    }
                    Poll::Ready((response, Ok(Some(chunk)))) => {
                        self.state = State::Idle(response);
                        if !chunk.is_empty() {
                            return Poll::Ready(Some(Ok(chunk)));
                        }
                    }
                    Poll::Ready((_, Ok(None))) => return Poll::Ready(None),
                    Poll::Ready((_, Err(e))) => return Poll::Ready(Some(Err(body_error(e)))),
                },
            }
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("done", &matches!(self.state, State::Done))
            .finish_non_exhaustive()
    }
}
