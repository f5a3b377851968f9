//! Page-number pagination: [`Page`] and [`PageStream`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use tracing::Instrument;

use crate::runtime::executor::{Executor, RawResponse};
use crate::runtime::{PageParams, RequestOptions, RequestSpec};
use crate::{Error, PaginationError};

/// Pagination metadata of a list response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PageInfo {
    /// The number of items in the whole list.
    pub total_count: i64,
    /// The number of the last page.
    pub max_page: i64,
}

type DecodeFn<T> = fn(&RawResponse) -> Result<(Vec<T>, PageInfo), Error>;

/// Everything needed to fetch one page: the request (with its page number), the per-call
/// options, and what was learnt from earlier pages.
pub(crate) struct Cursor<T> {
    executor: Arc<Executor>,
    request: RequestSpec,
    options: RequestOptions,
    paging: PageParams,
    decode: DecodeFn<T>,
    /// The `max_page` reported by the first page fetched in this walk.
    first_max_page: Option<i64>,
}

impl<T> Clone for Cursor<T> {
    fn clone(&self) -> Self {
        Self {
            executor: self.executor.clone(),
            request: self.request.clone(),
            options: self.options.clone(),
            paging: self.paging,
            decode: self.decode,
            first_max_page: self.first_max_page,
        }
    }
}

impl<T> Cursor<T> {
    pub(crate) fn first(
        executor: Arc<Executor>,
        request: RequestSpec,
        options: RequestOptions,
        paging: PageParams,
        decode: DecodeFn<T>,
    ) -> Self {
        Self {
            executor,
            request,
            options,
            paging,
            decode,
            first_max_page: None,
        }
    }

    /// The page number this cursor fetches.
    fn number(&self) -> i64 {
        self.request
            .query_i64(self.paging.page_param)
            .unwrap_or(self.paging.first_page)
    }

    /// Sends the request (with retries) and decodes the page.
    pub(crate) async fn fetch(self) -> Result<Page<T>, Error> {
        let raw = self.send().await?;
        self.page(raw)
    }

    /// Sends the request, with retries: the response, not decoded.
    fn send(&self) -> impl Future<Output = Result<RawResponse, Error>> + Send + 'static {
        let (executor, request, options) = (
            self.executor.clone(),
            self.request.clone(),
            self.options.clone(),
        );
        async move { executor.execute(&request, &options).await }
    }

    /// The cursor of the page after this one, as this page's own `next_cursor` will make it,
    /// if the walk goes on past this page as far as the pages before it tell (`last_page`, the
    /// last page of the walk so far). `None` while the first `max_page` is unknown.
    fn following(&self, last_page: Option<i64>) -> Option<Cursor<T>> {
        self.first_max_page?;
        let number = self.number();
        if number >= last_page? {
            return None;
        }
        Some(self.at_page(number + 1))
    }

    /// This cursor, asking for page `number` instead.
    fn at_page(&self, number: i64) -> Cursor<T> {
        let mut cursor = self.clone();
        cursor.request.set_query_i64(self.paging.page_param, number);
        cursor
    }

    /// Decodes the response of this cursor's request into its page.
    fn page(self, raw: RawResponse) -> Result<Page<T>, Error> {
        let number = self.number();
        let (items, pagination) = (self.decode)(&raw)?;
        let first_max_page = self.first_max_page.unwrap_or(pagination.max_page);
        Ok(Page {
            items,
            pagination,
            number,
            body: raw.body,
            cursor: Cursor {
                first_max_page: Some(first_max_page),
                ..self
            },
        })
    }
}

/// Fails if page `number`'s `body` is byte-for-byte the previous page's (`previous`): a
/// server repeating itself, where the walk must end. Bodies of different lengths (nearly
/// always) are told apart without reading them. Checked before the page is decoded.
fn not_repeated(number: i64, body: &Bytes, previous: Option<&Bytes>) -> Result<(), Error> {
    if previous != Some(body) {
        return Ok(());
    }
    tracing::debug!(page = number, "the server repeated the previous page");
    Err(Error::Pagination(PaginationError::RepeatedPage {
        page: number,
    }))
}

/// One page of a list, and the way to the next one.
///
/// # Termination
///
/// A walk ends after the page whose number reaches its own `max_page` or the `max_page`
/// reported by the first page fetched, whichever is lower; a server that keeps raising
/// `max_page` cannot make [`Page::next`] chains or a [`PageStream`] run forever.
///
/// A walk never ends early in silence. It stops with [`Error::Pagination`] (after returning
/// every item before that point) when:
///
/// * a page's body is byte-for-byte the previous page's
///   ([`PaginationError::RepeatedPage`]; its items are not returned again);
/// * a page is empty although its number is below that `max_page`
///   ([`PaginationError::EmptyPage`]).
///
/// [`Page::has_next`] is false for such an empty page, and [`Page::next`] returns the error.
/// (Items added to the list while walking it may shift between pages; page-number pagination
/// cannot avoid that.)
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The list's pagination metadata as of this page.
    pub pagination: PageInfo,
    number: i64,
    /// The response body (shared, not copied), to detect a server repeating a page.
    body: Bytes,
    /// The request that produced this page.
    cursor: Cursor<T>,
}

impl<T> Page<T> {
    /// The number of this page.
    pub fn number(&self) -> i64 {
        self.number
    }

    /// Whether a next page exists and [`next`](Self::next) will fetch it (see
    /// [termination](Page#termination)).
    pub fn has_next(&self) -> bool {
        self.number < self.last_page() && !self.items.is_empty()
    }

    /// The last page of the walk: the lower of this page's and the first page's `max_page`.
    fn last_page(&self) -> i64 {
        let first = self
            .cursor
            .first_max_page
            .unwrap_or(self.pagination.max_page);
        first.min(self.pagination.max_page)
    }

    /// The cursor of the next page, `None` after the last, or why the walk cannot go on.
    fn next_cursor(&self) -> Result<Option<Cursor<T>>, PaginationError> {
        let last = self.last_page();
        if self.number >= last {
            return Ok(None);
        }
        if self.items.is_empty() {
            tracing::debug!(
                page = self.number,
                max_page = last,
                "empty page before the last"
            );
            return Err(PaginationError::EmptyPage {
                page: self.number,
                max_page: last,
            });
        }
        Ok(Some(self.cursor.at_page(self.number + 1)))
    }

    /// Fetches the next page with the same filters and options, or `None` after the last.
    ///
    /// Fails with [`Error::Pagination`] when this page is empty before the last page, or the
    /// next page repeats this one (see [termination](Page#termination)).
    pub async fn next(&self) -> Result<Option<Page<T>>, Error> {
        let Some(cursor) = self.next_cursor().map_err(Error::Pagination)? else {
            return Ok(None);
        };
        let raw = cursor.send().await?;
        not_repeated(cursor.number(), &raw.body, Some(&self.body))?;
        cursor.page(raw).map(Some)
    }

    /// A stream of this page's items followed by those of the following pages.
    pub fn into_stream(self) -> PageStream<T>
    where
        T: Send + 'static,
    {
        let (upcoming, failed) = match self.next_cursor() {
            Ok(upcoming) => (upcoming, None),
            Err(e) => (None, Some(Error::Pagination(e))),
        };
        PageStream {
            last_page: Some(self.last_page()),
            buffer: self.items.into_iter(),
            upcoming,
            pending: None,
            failed,
            last_body: Some(self.body),
        }
    }
}

impl<T: Clone> Clone for Page<T> {
    fn clone(&self) -> Self {
        Self {
            items: self.items.clone(),
            pagination: self.pagination,
            number: self.number,
            body: self.body.clone(),
            cursor: self.cursor.clone(),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("number", &self.number)
            .field("items", &self.items)
            .field("pagination", &self.pagination)
            .field("operation", &self.cursor.request.operation_id())
            .finish_non_exhaustive()
    }
}

type ResponseFuture = Pin<Box<dyn Future<Output = Result<RawResponse, Error>> + Send>>;

/// A page's request on its way. Inside a tokio runtime the request runs as a task of its own,
/// so it goes on while the consumer decodes and handles the page before it; elsewhere the
/// future is polled in place. The response is decoded by whoever polls (the stream's
/// consumer), so a page's items are allocated and freed on the same thread. Dropping it
/// cancels the request.
struct Fetch<T> {
    sending: Sending,
    /// What is fetched: the request to send again in place should the runtime cancel the
    /// task (it does so only while shutting down), and how to decode the response.
    cursor: Cursor<T>,
}

enum Sending {
    Task(tokio::task::JoinHandle<Result<RawResponse, Error>>),
    Inline(ResponseFuture),
}

impl<T> Fetch<T> {
    fn start(cursor: Cursor<T>) -> Self {
        let sending = match tokio::runtime::Handle::try_current() {
            Ok(runtime) => Sending::Task(runtime.spawn(cursor.send().in_current_span())),
            Err(_) => Sending::Inline(Box::pin(cursor.send())),
        };
        Fetch { sending, cursor }
    }

    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Result<RawResponse, Error>> {
        loop {
            match &mut self.sending {
                Sending::Inline(future) => return future.as_mut().poll(cx),
                Sending::Task(task) => match ready!(Pin::new(task).poll(cx)) {
                    Ok(result) => return Poll::Ready(result),
                    // A panic in the task is the caller's, as it was before the task existed.
                    Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                    Err(_) => self.sending = Sending::Inline(Box::pin(self.cursor.send())),
                },
            }
        }
    }
}

impl Drop for Sending {
    fn drop(&mut self) {
        if let Sending::Task(task) = self {
            task.abort();
        }
    }
}

/// A stream of the items of every page of a list, fetched lazily and at most one page ahead.
///
/// Created by a list builder's `into_stream()` or by [`Page::into_stream`]. The first request
/// is sent when the stream is first polled; from then on the next page is requested (inside
/// a tokio runtime, on a task of its own) as soon as the current one has arrived, while it is
/// decoded and its items are handed out, so the network and the decoding overlap and the
/// consumer rarely waits. What the stream yields does not depend on it: every item in order,
/// then the error that ends the walk, if any. After an error
/// (retries are done inside) the stream ends; dropping the stream cancels the request ahead.
/// See [`Page`'s termination rules](Page#termination).
///
/// ```no_run
/// # async fn run(polar: polar_sdk::Polar) -> Result<(), polar_sdk::Error> {
/// use futures::TryStreamExt;
///
/// let mut meters = polar.customer_meters().list().limit(100).into_stream();
/// while let Some(meter) = meters.try_next().await? {
///     println!("{}", meter.id);
/// }
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct PageStream<T> {
    buffer: std::vec::IntoIter<T>,
    /// The next page, not requested yet.
    upcoming: Option<Cursor<T>>,
    /// The next page, requested.
    pending: Option<Fetch<T>>,
    /// An error to yield once the buffer is drained (then the stream ends).
    failed: Option<Error>,
    /// The body of the page before (to tell a repeated page).
    last_body: Option<Bytes>,
    /// The last page of the walk, as the page before tells.
    last_page: Option<i64>,
}

impl<T> PageStream<T> {
    pub(crate) fn new(first: Cursor<T>) -> Self {
        Self {
            buffer: Vec::new().into_iter(),
            upcoming: Some(first),
            pending: None,
            failed: None,
            last_body: None,
            last_page: None,
        }
    }
}

// Nothing in the stream is pinned structurally (the in-flight future is boxed or a task).
impl<T> Unpin for PageStream<T> {}

impl<T> Stream for PageStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            // One page ahead: the next page is on its way while this one's items are taken.
            if this.pending.is_none() {
                this.pending = this.upcoming.take().map(Fetch::start);
            }
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(pending) = this.pending.as_mut() {
                let response = ready!(pending.poll(cx));
                let Some(Fetch { cursor, .. }) = this.pending.take() else {
                    unreachable!("polled just above")
                };
                // The next page is requested before this one is decoded, so the two overlap,
                // when the walk will reach it as far as the pages so far tell. Should this page
                // end the walk after all, the request is dropped, which cancels it.
                let response = response.and_then(|raw| {
                    not_repeated(cursor.number(), &raw.body, this.last_body.as_ref())?;
                    Ok(raw)
                });
                if response.is_ok() {
                    this.pending = cursor.following(this.last_page).map(Fetch::start);
                }
                let checked = response.and_then(|raw| cursor.page(raw)).and_then(|page| {
                    let upcoming = page.next_cursor().map_err(Error::Pagination)?;
                    Ok((page, upcoming))
                });
                match checked {
                    Ok((page, upcoming)) => {
                        match upcoming {
                            // Already requested (the same request: page number + 1).
                            Some(_) if this.pending.is_some() => {}
                            upcoming => {
                                this.pending = None;
                                this.upcoming = upcoming;
                            }
                        }
                        this.last_page = Some(page.last_page());
                        this.buffer = page.items.into_iter();
                        this.last_body = Some(page.body);
                    }
                    Err(e) => {
                        this.pending = None;
                        this.upcoming = None;
                        return Poll::Ready(Some(Err(e)));
                    }
                }
                continue;
            }
            if let Some(e) = this.failed.take() {
                return Poll::Ready(Some(Err(e)));
            }
            return Poll::Ready(None);
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.buffer.len();
        if self.upcoming.is_none() && self.pending.is_none() && self.failed.is_none() {
            (buffered, Some(buffered))
        } else {
            (buffered, None)
        }
    }
}

impl<T> fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("buffered", &self.buffer.len())
            .field("fetching", &self.pending.is_some())
            .field("more", &self.upcoming.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_static<T: Send + Sync + 'static>() {}

    /// A customer meter, every required field set.
    const METER: &str = r#"{"id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","created_at":"2025-01-01T12:00:00Z","modified_at":null,"customer_id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","meter_id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","consumed_units":25.0,"credited_units":100,"balance":75.0,"customer":{"id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","created_at":"2025-01-01T12:00:00Z","modified_at":null,"metadata":{},"email":"a@example.com","email_verified":true,"type":"individual","name":null,"billing_name":null,"billing_address":null,"tax_id":null,"organization_id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","deleted_at":null,"first_user_event_at":null,"avatar_url":null},"meter":{"metadata":{},"created_at":"2025-01-01T12:00:00Z","modified_at":null,"id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","name":"API calls","unit":"scalar","filter":{"conjunction":"and","clauses":[]},"aggregation":{"func":"count"},"organization_id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34"}}"#;

    #[tokio::test]
    async fn dropping_the_stream_cancels_the_page_ahead() {
        use futures::StreamExt;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        // Page 1 is answered; the request for page 2 is read and never answered.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let mut held = Vec::new();
            for page in 1.. {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).await.unwrap_or(0) == 1
                {
                    head.push(byte[0]);
                }
                if page == 1 {
                    let body = format!(
                        r#"{{"items":[{METER}],"pagination":{{"total_count":3,"max_page":3}}}}"#
                    );
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(reply.as_bytes()).await;
                    let _ = socket.shutdown().await;
                } else {
                    held.push(socket);
                }
            }
        });
        let polar = crate::Polar::builder()
            .access_token("polar_oat_test")
            .server_url(url)
            .retry(crate::RetryConfig::none())
            .build()
            .unwrap();
        let executor = polar.executor().clone();
        let mut stream = polar.customer_meters().list().into_stream();
        assert!(stream.next().await.unwrap().is_ok());
        // The page ahead is on its way (and will wait for its answer until the timeout).
        assert!(Arc::strong_count(&executor) > 2);
        drop(stream);
        let mut left = Arc::strong_count(&executor);
        for _ in 0..500 {
            if left == 2 {
                break;
            }
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            left = Arc::strong_count(&executor);
        }
        // Only the client and this test hold the executor: the request ahead was dropped.
        assert_eq!(left, 2);
        server.abort();
    }

    #[test]
    fn public_types_are_send() {
        assert_send_static::<Page<crate::models::CustomerMeter>>();
        fn stream_is_send<T: Send + 'static>() {}
        stream_is_send::<PageStream<crate::models::CustomerMeter>>();
        assert_send_static::<Error>();
        assert_send_static::<crate::runtime::executor::Executor>();
    }
}
