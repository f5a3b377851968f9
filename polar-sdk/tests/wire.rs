//! What goes on the wire: URLs, query strings, headers, redirects.

mod support;

use std::time::Duration;

use polar_sdk::models::CustomerMeterSortProperty as Sort;
use polar_sdk::{Polar, API_VERSION};
use support::{client, meter_json, page_body, uuid, Reply, TestServer, TOKEN};

fn empty_page() -> Reply {
    Reply::json(200, &page_body(&[], 0, 0))
}

#[tokio::test]
async fn list_query_string_and_headers() {
    let server = TestServer::scripted(vec![Reply::json(200, &page_body(&[1], 1, 1))]).await;
    let (a, b) = (uuid(0xA), uuid(0xB));
    let page = client(&server)
        .customer_meters()
        .list()
        .organization_id([a, b])
        .page(1)
        .limit(10)
        .sorting([Sort::CreatedAtDesc])
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, uuid(1));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "GET");
    assert_eq!(
        r.target,
        format!("/v1/customer-meters/?organization_id={a}&organization_id={b}&page=1&limit=10&sorting=-created_at")
    );
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(
        r.header("user-agent"),
        Some(concat!("polar-sdk-rust/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(r.header("polar-version"), Some(API_VERSION));
}

#[tokio::test]
async fn single_and_list_filters() {
    let server = TestServer::scripted(vec![empty_page(), empty_page(), empty_page()]).await;
    let polar = client(&server);
    let (a, b, c) = (uuid(1), uuid(2), uuid(3));

    polar
        .customer_meters()
        .list()
        .organization_id(a)
        .customer_id(vec![b, c])
        .external_customer_id("ext 1&x=y,z/é")
        .meter_id(c)
        .send()
        .await
        .unwrap();
    polar
        .customer_meters()
        .list()
        .external_customer_id(["e1", "e2"])
        .send()
        .await
        .unwrap();
    let owned = String::from("owned");
    polar
        .customer_meters()
        .list()
        .external_customer_id(&owned)
        .customer_id([a])
        .send()
        .await
        .unwrap();

    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            format!(
                "/v1/customer-meters/?organization_id={a}&customer_id={b}&customer_id={c}\
                 &external_customer_id=ext%201%26x%3Dy%2Cz%2F%C3%A9&meter_id={c}"
            ),
            "/v1/customer-meters/?external_customer_id=e1&external_customer_id=e2".to_string(),
            format!("/v1/customer-meters/?customer_id={a}&external_customer_id=owned"),
        ]
    );
}

const ALL_SORTS: [(Sort, &str); 18] = [
    (Sort::CreatedAt, "created_at"),
    (Sort::CreatedAtDesc, "-created_at"),
    (Sort::ModifiedAt, "modified_at"),
    (Sort::ModifiedAtDesc, "-modified_at"),
    (Sort::CustomerId, "customer_id"),
    (Sort::CustomerIdDesc, "-customer_id"),
    (Sort::CustomerName, "customer_name"),
    (Sort::CustomerNameDesc, "-customer_name"),
    (Sort::MeterId, "meter_id"),
    (Sort::MeterIdDesc, "-meter_id"),
    (Sort::MeterName, "meter_name"),
    (Sort::MeterNameDesc, "-meter_name"),
    (Sort::ConsumedUnits, "consumed_units"),
    (Sort::ConsumedUnitsDesc, "-consumed_units"),
    (Sort::CreditedUnits, "credited_units"),
    (Sort::CreditedUnitsDesc, "-credited_units"),
    (Sort::Balance, "balance"),
    (Sort::BalanceDesc, "-balance"),
];

#[tokio::test]
async fn every_sort_value_on_the_wire() {
    let server = TestServer::with_handler(|_| empty_page()).await;
    let polar = client(&server);
    // The generated list of known values is exactly these 18.
    let mut known: Vec<&str> = Sort::KNOWN.iter().map(Sort::as_str).collect();
    let mut expected: Vec<&str> = ALL_SORTS.iter().map(|(_, w)| *w).collect();
    known.sort_unstable();
    expected.sort_unstable();
    assert_eq!(known, expected);
    for (sort, wire) in ALL_SORTS {
        assert_eq!(sort.as_str(), wire);
        assert_eq!(sort.to_string(), wire);
        assert_eq!(wire.parse::<Sort>().unwrap(), sort);
        assert_eq!(serde_json::to_string(&sort).unwrap(), format!("\"{wire}\""));
        polar
            .customer_meters()
            .list()
            .sorting([sort])
            .send()
            .await
            .unwrap();
    }
    // All at once, in order, plus an unknown value passed through.
    let mut all: Vec<Sort> = ALL_SORTS.iter().map(|(s, _)| s.clone()).collect();
    all.push("future value".parse().unwrap());
    polar
        .customer_meters()
        .list()
        .sorting(all)
        .send()
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), ALL_SORTS.len() + 1);
    for (r, (_, wire)) in requests.iter().zip(ALL_SORTS) {
        assert_eq!(r.target, format!("/v1/customer-meters/?sorting={wire}"));
    }
    let expected: Vec<String> = ALL_SORTS
        .iter()
        .map(|(_, w)| format!("sorting={w}"))
        .chain(["sorting=future%20value".to_string()])
        .collect();
    assert_eq!(
        requests.last().unwrap().query(),
        Some(expected.join("&").as_str())
    );
}

#[tokio::test]
async fn get_path_and_base_url_forms() {
    let server = TestServer::with_handler(|_| Reply::json(200, &meter_json(7))).await;
    let id = uuid(7);
    for (base, expected_path) in [
        (server.url(), format!("/v1/customer-meters/{id}")),
        (
            format!("{}/", server.url()),
            format!("/v1/customer-meters/{id}"),
        ),
        (
            format!("{}/prefix", server.url()),
            format!("/prefix/v1/customer-meters/{id}"),
        ),
        (
            format!("{}/prefix/", server.url()),
            format!("/prefix/v1/customer-meters/{id}"),
        ),
    ] {
        let polar = Polar::builder()
            .access_token(TOKEN)
            .server_url(&base)
            .build()
            .unwrap();
        let meter = polar.customer_meters().get(id).send().await.unwrap();
        assert_eq!(meter.id, id);
        let last = server.requests().pop().unwrap();
        assert_eq!(last.target, expected_path, "base {base}");
    }
}

#[tokio::test]
async fn user_agent_suffix_default_headers_and_per_call_options() {
    let server = TestServer::scripted(vec![empty_page()]).await;
    let polar = Polar::builder()
        .access_token(TOKEN)
        .server_url(server.url())
        .user_agent_suffix("my-app/1.2")
        .default_header("X-Trace", "abc")
        .default_header("Polar-Version", "2099-01")
        .build()
        .unwrap();
    polar
        .customer_meters()
        .list()
        .timeout(Duration::from_secs(5))
        .retry(polar_sdk::RetryConfig::none())
        .send()
        .await
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(
        r.header("user-agent"),
        Some(concat!(
            "polar-sdk-rust/",
            env!("CARGO_PKG_VERSION"),
            " my-app/1.2"
        ))
    );
    assert_eq!(r.header("x-trace"), Some("abc"));
    assert_eq!(r.header("polar-version"), Some("2099-01"));
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn authorization_is_not_forwarded_to_another_origin_on_redirect() {
    let other = TestServer::scripted(vec![Reply::json(200, &meter_json(1))]).await;
    let location = format!("{}/elsewhere", other.url());
    let same_origin_target = format!("/v1/customer-meters/{}", uuid(1));
    let api = TestServer::scripted(vec![
        // Same origin: the token is kept.
        Reply::full(302, &[("Location", &same_origin_target)], "text/plain", ""),
        Reply::json(200, &meter_json(1)),
        // Another port is another origin: the token is dropped.
        Reply::full(302, &[("Location", &location)], "text/plain", ""),
    ])
    .await;
    let polar = client(&api);

    polar.customer_meters().get(uuid(2)).send().await.unwrap();
    let api_requests = api.requests();
    assert_eq!(api_requests.len(), 2);
    assert_eq!(api_requests[1].target, same_origin_target);
    assert!(api_requests[1].header("authorization").is_some());

    polar.customer_meters().get(uuid(3)).send().await.unwrap();
    let other_requests = other.requests();
    assert_eq!(other_requests.len(), 1);
    assert_eq!(other_requests[0].target, "/elsewhere");
    assert_eq!(other_requests[0].header("authorization"), None);
    // The SDK's other headers still go along.
    assert_eq!(other_requests[0].header("polar-version"), Some(API_VERSION));
}

#[tokio::test]
async fn custom_http_client_is_used() {
    let server = TestServer::scripted(vec![empty_page()]).await;
    let http = reqwest::Client::builder()
        .user_agent("ignored-by-sdk")
        .build()
        .unwrap();
    let polar = Polar::builder()
        .access_token(TOKEN)
        .server_url(server.url())
        .http_client(http)
        .build()
        .unwrap();
    polar.customer_meters().list().send().await.unwrap();
    let r = &server.requests()[0];
    // The SDK's per-request headers win over the custom client's defaults.
    assert_eq!(
        r.header("user-agent"),
        Some(concat!("polar-sdk-rust/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn gzip_bodies_are_decoded_and_compression_is_offered() {
    use std::io::Write as _;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(meter_json(7).as_bytes()).unwrap();
    let body = gz.finish().unwrap();
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    let server = TestServer::scripted(vec![Reply::Raw(response)]).await;
    let meter = client(&server)
        .customer_meters()
        .get(uuid(7))
        .send()
        .await
        .unwrap();
    assert_eq!(meter.id, uuid(7));
    let offered = server.requests()[0]
        .header("accept-encoding")
        .unwrap_or_default()
        .to_owned();
    for coding in ["gzip", "br"] {
        assert!(offered.split(',').any(|c| c.trim() == coding), "{offered}");
    }
}

#[tokio::test]
async fn an_empty_list_is_refused_before_sending() {
    let server = TestServer::scripted(vec![empty_page()]).await;
    let polar = client(&server);
    let meters = polar.customer_meters();
    let attempts = [
        (
            "customer_id",
            meters.list().customer_id(Vec::<uuid::Uuid>::new()),
        ),
        (
            "organization_id",
            meters
                .list()
                .organization_id([uuid(1)])
                .organization_id(Vec::<uuid::Uuid>::new()),
        ),
        (
            "external_customer_id",
            meters.list().external_customer_id(Vec::<&str>::new()),
        ),
        ("meter_id", meters.list().meter_id(Vec::<uuid::Uuid>::new())),
        ("sorting", meters.list().sorting(Vec::<Sort>::new())),
    ];
    for (name, list) in attempts {
        let err = list.clone().send().await.unwrap_err();
        assert!(
            matches!(err, polar_sdk::Error::InvalidRequest(_)),
            "{name}: {err:?}"
        );
        let shown = err.to_string();
        assert!(shown.contains(&format!("`{name}`")), "{shown}");
        assert!(shown.contains("empty"), "{shown}");
        let streamed = futures::TryStreamExt::try_collect::<Vec<_>>(list.into_stream()).await;
        assert!(
            matches!(streamed, Err(polar_sdk::Error::InvalidRequest(_))),
            "{name}"
        );
    }
    assert_eq!(server.requests().len(), 0, "a request was sent");
}

#[tokio::test]
async fn max_concurrent_requests_bounds_the_requests_in_flight() {
    // Each reply waits a little so that unbounded requests would overlap at the server.
    let server = TestServer::with_handler(|_| {
        Reply::json(200, &meter_json(1)).delayed(Duration::from_millis(50))
    })
    .await;
    let polar = Polar::builder()
        .access_token(TOKEN)
        .server_url(server.url())
        .max_concurrent_requests(3)
        .build()
        .unwrap();
    let calls = (0..24).map(|_| polar.customer_meters().get(uuid(1)).send());
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(server.requests().len(), 24);
    assert!(
        server.max_in_flight() <= 3,
        "{} in flight",
        server.max_in_flight()
    );
    assert!(Polar::builder()
        .access_token(TOKEN)
        .max_concurrent_requests(0)
        .build()
        .is_err());
}
