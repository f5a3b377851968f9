//! The sending methods of [`Polar`] that the generated request builders call. They sit above
//! both the client and the pagination layer, so neither of those imports the other.

use serde::de::DeserializeOwned;

use crate::pagination::{Cursor, Page, PageStream};
use crate::runtime::executor::{decode, decode_page};
use crate::runtime::{PageParams, PagedResponse, RequestOptions, RequestSpec};
use crate::{Error, Polar};

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
}
