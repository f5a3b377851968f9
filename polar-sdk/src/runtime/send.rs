//! The sending methods of [`Polar`] that the generated request builders call. They sit above
//! both the client and the pagination layer, so neither of those imports the other.

use serde::de::DeserializeOwned;

use reqwest::StatusCode;

use crate::pagination::{Cursor, Page, PageStream};
use crate::runtime::executor::{decode, decode_page};
use crate::runtime::{PageParams, PagedResponse, RequestOptions, RequestSpec};
use crate::{ByteStream, Error, MaybeReady, Polar};

impl Polar {
    /// Sends the request and decodes a JSON body.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        request: RequestSpec,
        options: RequestOptions,
    ) -> Result<T, Error> {
        let raw = self.executor().execute(&request, &options).await?;
        decode(&raw)
    }

    /// Sends a list request and returns its page.
    pub(crate) async fn send_page<R: PagedResponse>(
        &self,
        request: RequestSpec,
        options: RequestOptions,
        paging: PageParams,
    ) -> Result<Page<R::Item>, Error> {
        Cursor::first(
            self.executor().clone(),
            request,
            options,
            paging,
            decode_page::<R>,
        )
        .fetch()
        .await
    }

    /// A lazy stream of every item of every page, starting at the request's page.
    pub(crate) fn stream_pages<R: PagedResponse>(
        &self,
        request: RequestSpec,
        options: RequestOptions,
        paging: PageParams,
    ) -> PageStream<R::Item>
    where
        R::Item: Send + 'static,
    {
        PageStream::new(Cursor::first(
            self.executor().clone(),
            request,
            options,
            paging,
            decode_page::<R>,
        ))
    }

    /// Sends the request; any success status will do, and its body (if any) is read within
    /// the size limit and dropped.
    pub(crate) async fn send_empty(
        &self,
        request: RequestSpec,
        options: RequestOptions,
    ) -> Result<(), Error> {
        self.executor().execute(&request, &options).await.map(drop)
    }

    /// Sends the request: `202` is [`MaybeReady::Accepted`] (its body ignored), any other
    /// success status is the decoded JSON body.
    pub(crate) async fn send_maybe_ready<T: DeserializeOwned>(
        &self,
        request: RequestSpec,
        options: RequestOptions,
    ) -> Result<MaybeReady<T>, Error> {
        let raw = self.executor().execute(&request, &options).await?;
        if raw.status == StatusCode::ACCEPTED {
            return Ok(MaybeReady::Accepted);
        }
        decode(&raw).map(MaybeReady::Ready)
    }

    /// Sends the request and hands over the success body unread, as a stream.
    pub(crate) async fn send_bytes(
        &self,
        request: RequestSpec,
        options: RequestOptions,
    ) -> Result<ByteStream, Error> {
        let streaming = self
            .executor()
            .execute_streaming(&request, &options)
            .await?;
        Ok(ByteStream::new(streaming))
    }
}
