//! `Page`, `Page::next` and `PageStream` against a scripted server.

mod support;

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use polar_sdk::models::CustomerMeter;
use polar_sdk::{Error, PaginationError, Polar, RetryConfig};
use support::{client, fast_retries, page_body, uuid, within, Reply, TestServer, TOKEN};

fn ids(items: &[CustomerMeter]) -> Vec<uuid::Uuid> {
    items.iter().map(|m| m.id).collect()
}

/// Answers `page=N` (default 1) with items `[N*10, N*10+1]` and the given `max_page`.
fn paged(max_page: i64) -> impl Fn(&support::Recorded) -> Reply + Send + Sync + 'static {
    move |r| {
        let n = page_param(r);
        let first = (n as u128) * 10;
        Reply::json(200, &page_body(&[first, first + 1], max_page * 2, max_page))
    }
}

fn page_param(r: &support::Recorded) -> i64 {
    r.query()
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("page="))
        .map_or(1, |v| v.parse().unwrap())
}

#[tokio::test]
async fn stream_walks_three_pages_and_stops_at_max_page() {
    let server = TestServer::with_handler(paged(3)).await;
    let all: Vec<CustomerMeter> = within(
        client(&server)
            .customer_meters()
            .list()
            .limit(2)
            .into_stream()
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(ids(&all), [10, 11, 20, 21, 30, 31].map(uuid));
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/v1/customer-meters/?limit=2",
            "/v1/customer-meters/?limit=2&page=2",
            "/v1/customer-meters/?limit=2&page=3",
        ]
    );
}

#[tokio::test]
async fn stream_starts_at_the_requested_page_and_keeps_filters_in_place() {
    let server = TestServer::with_handler(paged(3)).await;
    let org = uuid(0x0A6);
    let all: Vec<CustomerMeter> = within(
        client(&server)
            .customer_meters()
            .list()
            .organization_id(org)
            .page(2)
            .limit(2)
            .into_stream()
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(ids(&all), [20, 21, 30, 31].map(uuid));
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            format!("/v1/customer-meters/?organization_id={org}&page=2&limit=2"),
            format!("/v1/customer-meters/?organization_id={org}&page=3&limit=2"),
        ]
    );
}

/// Waits (boundedly) until the server has seen `n` requests; returns how many it saw.
async fn requests_reach(server: &TestServer, n: usize) -> usize {
    for _ in 0..500 {
        if server.requests().len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.requests().len()
}

#[tokio::test]
async fn stream_is_lazy_until_polled_then_fetches_one_page_ahead() {
    let server = TestServer::with_handler(paged(3)).await;
    let mut stream = client(&server).customer_meters().list().into_stream();
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(server.requests().len(), 0);
    // Once the first page is in, the second is requested while its items are handed out...
    assert_eq!(stream.next().await.unwrap().unwrap().id, uuid(10));
    assert_eq!(requests_reach(&server, 2).await, 2);
    // ...but never a page further than that.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.requests().len(), 2);
    assert_eq!(stream.next().await.unwrap().unwrap().id, uuid(11));
    assert_eq!(server.requests().len(), 2);
    // The third page is requested once the second one's items are being handed out.
    assert_eq!(stream.next().await.unwrap().unwrap().id, uuid(20));
    assert_eq!(requests_reach(&server, 3).await, 3);
    let rest: Vec<CustomerMeter> = within(stream.try_collect()).await.unwrap();
    assert_eq!(ids(&rest), [uuid(21), uuid(30), uuid(31)]);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn page_next_keeps_filters_and_ends() {
    let server = TestServer::with_handler(paged(2)).await;
    let polar = client(&server);
    let page1 = polar
        .customer_meters()
        .list()
        .external_customer_id("e")
        .page(1)
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page1.number(), 1);
    assert_eq!(page1.pagination.max_page, 2);
    assert_eq!(page1.pagination.total_count, 4);
    assert!(page1.has_next());
    let page2 = page1.next().await.unwrap().expect("a second page");
    assert_eq!(page2.number(), 2);
    assert_eq!(ids(&page2.items), [20, 21].map(uuid));
    assert!(!page2.has_next());
    assert!(page2.next().await.unwrap().is_none());
    // `next` can be called again on the same page.
    assert_eq!(
        ids(&page1.next().await.unwrap().unwrap().items),
        [20, 21].map(uuid)
    );

    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/v1/customer-meters/?external_customer_id=e&page=1&limit=2",
            "/v1/customer-meters/?external_customer_id=e&page=2&limit=2",
            "/v1/customer-meters/?external_customer_id=e&page=2&limit=2",
        ]
    );

    // A page turned into a stream yields its own items, then the rest.
    let page1 = polar.customer_meters().list().page(1).send().await.unwrap();
    let rest: Vec<CustomerMeter> = within(page1.into_stream().try_collect()).await.unwrap();
    assert_eq!(ids(&rest), [10, 11, 20, 21].map(uuid));
}

#[tokio::test]
async fn empty_list() {
    let server = TestServer::with_handler(|_| Reply::json(200, &page_body(&[], 0, 0))).await;
    let polar = client(&server);
    let page = polar.customer_meters().list().send().await.unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.pagination.total_count, 0);
    assert!(!page.has_next());
    assert!(page.next().await.unwrap().is_none());
    let all: Vec<CustomerMeter> =
        within(polar.customer_meters().list().into_stream().try_collect())
            .await
            .unwrap();
    assert!(all.is_empty());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn options_carry_to_later_pages() {
    let server = TestServer::scripted(vec![
        Reply::json(200, &page_body(&[1], 3, 3)),
        // Page 2: a retryable failure first; the per-call retry policy (not the client's
        // `none`) must apply.
        Reply::json(503, r#"{"error":"busy"}"#),
        Reply::json(200, &page_body(&[2], 3, 3)),
        // Page 3: slower than the per-call timeout (the client's is 30 s).
        Reply::json(200, &page_body(&[3], 3, 3)).delayed(Duration::from_secs(5)),
    ])
    .await;
    let polar = Polar::builder()
        .access_token(TOKEN)
        .server_url(format!("{}/base/", server.url()))
        .default_header("X-Custom", "kept")
        .retry(RetryConfig::none())
        .build()
        .unwrap();
    let mut stream = polar
        .customer_meters()
        .list()
        .limit(1)
        .retry(fast_retries())
        // Generous for pages 1 and 2 on a loaded machine, far below page 3's delay.
        .timeout(Duration::from_secs(1))
        .into_stream();
    assert_eq!(stream.next().await.unwrap().unwrap().id, uuid(1));
    assert_eq!(stream.next().await.unwrap().unwrap().id, uuid(2));
    let err = within(stream.next()).await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(
        stream.next().await.is_none(),
        "the stream ends after an error"
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    for r in &requests {
        assert!(
            r.target.starts_with("/base/v1/customer-meters/?limit=1"),
            "{}",
            r.target
        );
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(r.header("x-custom"), Some("kept"));
    }
    assert_eq!(page_param(&requests[1]), 2);
    assert_eq!(page_param(&requests[2]), 2);
    assert_eq!(page_param(&requests[3]), 3);
}

#[tokio::test]
async fn error_mid_stream_keeps_earlier_items() {
    let server = TestServer::scripted(vec![
        Reply::json(200, &page_body(&[1], 2, 2)),
        Reply::json(500, r#"{"error":"boom"}"#),
    ])
    .await;
    let results: Vec<Result<CustomerMeter, Error>> = within(
        client(&server)
            .customer_meters()
            .list()
            .into_stream()
            .collect(),
    )
    .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id, uuid(1));
    match &results[1] {
        Err(Error::Api(e)) => assert_eq!(e.status().as_u16(), 500),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_server_repeating_a_page_with_an_absurd_max_page_terminates() {
    let server =
        TestServer::with_handler(|_| Reply::json(200, &page_body(&[1, 2], 1_000_000, 1000))).await;
    let results: Vec<Result<CustomerMeter, Error>> = within(
        client(&server)
            .customer_meters()
            .list()
            .into_stream()
            .collect(),
    )
    .await;
    // The repeated page is detected, not yielded again, and reported.
    assert_eq!(results.len(), 3);
    assert_eq!(results[1].as_ref().unwrap().id, uuid(2));
    assert!(matches!(
        results[2],
        Err(Error::Pagination(PaginationError::RepeatedPage { page: 2 }))
    ));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_server_raising_max_page_is_bounded_by_the_first_page() {
    // Distinct pages, but every page claims there are two more.
    let server = TestServer::with_handler(|r| {
        let n = page_param(r);
        Reply::json(200, &page_body(&[n as u128], 100, n + 2))
    })
    .await;
    let all: Vec<CustomerMeter> = within(
        client(&server)
            .customer_meters()
            .list()
            .into_stream()
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(ids(&all), [1, 2, 3].map(uuid));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn an_empty_page_at_the_last_page_ends_the_walk_quietly() {
    let server = TestServer::with_handler(|r| match page_param(r) {
        1 => Reply::json(200, &page_body(&[1], 1, 2)),
        _ => Reply::json(200, &page_body(&[], 1, 2)),
    })
    .await;
    let all: Vec<CustomerMeter> = within(
        client(&server)
            .customer_meters()
            .list()
            .into_stream()
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(ids(&all), [uuid(1)]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_lower_max_page_on_a_later_page_is_respected() {
    let server = TestServer::with_handler(|r| {
        let n = page_param(r);
        Reply::json(
            200,
            &page_body(&[n as u128], 10, if n == 1 { 10 } else { 2 }),
        )
    })
    .await;
    let all: Vec<CustomerMeter> = within(
        client(&server)
            .customer_meters()
            .list()
            .into_stream()
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(ids(&all), [1, 2].map(uuid));
}

#[tokio::test]
async fn a_failing_request_ahead_is_not_reported_when_the_page_before_ends_the_walk() {
    // Page 1 says there are 3 pages, so page 3 is requested as soon as page 2 arrives; page 2
    // then says it is the last one, and page 3's failure must not surface.
    let server = TestServer::with_handler(|r| match page_param(r) {
        1 => Reply::json(200, &page_body(&[1], 3, 3)),
        2 => Reply::json(200, &page_body(&[2], 2, 2)),
        _ => Reply::json(500, r#"{"error":"boom"}"#),
    })
    .await;
    let results: Vec<Result<CustomerMeter, Error>> = within(
        client(&server)
            .customer_meters()
            .list()
            .into_stream()
            .collect(),
    )
    .await;
    let all: Vec<CustomerMeter> = results.into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(ids(&all), [1, 2].map(uuid));
}

#[tokio::test]
async fn the_stream_yields_the_same_as_page_next_over_many_pages() {
    let server = TestServer::with_handler(paged(25)).await;
    let polar = client(&server);
    let streamed: Vec<CustomerMeter> = within(
        polar
            .customer_meters()
            .list()
            .limit(2)
            .into_stream()
            .try_collect(),
    )
    .await
    .unwrap();
    let mut walked = Vec::new();
    let mut page = within(polar.customer_meters().list().limit(2).send())
        .await
        .unwrap();
    loop {
        walked.extend(ids(&page.items));
        match within(page.next()).await.unwrap() {
            Some(next) => page = next,
            None => break,
        }
    }
    assert_eq!(ids(&streamed), walked);
    assert_eq!(walked.len(), 50);
    // Each page once per walk: the stream requested no page twice and none past the last.
    let mut pages: Vec<i64> = server.requests().iter().map(page_param).collect();
    pages.sort_unstable();
    let expected: Vec<i64> = (1..=25).flat_map(|n| [n, n]).collect();
    assert_eq!(pages, expected);
}

#[tokio::test]
async fn a_repeated_page_is_an_error_not_a_silent_end() {
    // Page 2 is byte-for-byte page 1; max_page says 3.
    let server = TestServer::with_handler(|r| match page_param(r) {
        3 => Reply::json(200, &page_body(&[5], 5, 3)),
        _ => Reply::json(200, &page_body(&[1, 2], 5, 3)),
    })
    .await;
    let results: Vec<Result<CustomerMeter, Error>> = within(
        client(&server)
            .customer_meters()
            .list()
            .into_stream()
            .collect(),
    )
    .await;
    assert_eq!(results.len(), 3, "{results:?}");
    let err = results[2].as_ref().unwrap_err();
    assert!(err.to_string().contains("page 2"), "{err}");
    assert_eq!(server.requests().len(), 2);

    let page = client(&server)
        .customer_meters()
        .list()
        .send()
        .await
        .unwrap();
    assert!(page.has_next());
    let err = page.next().await.unwrap_err();
    assert!(err.to_string().contains("page 2"), "{err}");
}

#[tokio::test]
async fn an_empty_page_before_max_page_is_an_error() {
    let server = TestServer::with_handler(|r| match page_param(r) {
        1 => Reply::json(200, &page_body(&[1], 3, 3)),
        _ => Reply::json(200, &page_body(&[], 3, 3)),
    })
    .await;
    let results: Vec<Result<CustomerMeter, Error>> = within(
        client(&server)
            .customer_meters()
            .list()
            .into_stream()
            .collect(),
    )
    .await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().id, uuid(1));
    let err = results[1].as_ref().unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("page 2") && shown.contains('3'), "{shown}");
    assert!(matches!(
        err,
        Error::Pagination(PaginationError::EmptyPage {
            page: 2,
            max_page: 3
        })
    ));
    assert_eq!(server.requests().len(), 2);

    // Walking with `next`: page 2 comes back (empty); going on from it is the error.
    let first = client(&server)
        .customer_meters()
        .list()
        .send()
        .await
        .unwrap();
    let second = first.next().await.unwrap().unwrap();
    assert!(second.items.is_empty());
    assert!(!second.has_next());
    assert!(matches!(
        second.next().await,
        Err(Error::Pagination(PaginationError::EmptyPage {
            page: 2,
            ..
        }))
    ));
    // A stream from that page says so too.
    let rest: Vec<Result<CustomerMeter, Error>> = second.into_stream().collect().await;
    assert!(matches!(rest[..], [Err(Error::Pagination(_))]), "{rest:?}");
}
