//! Error mapping, the fault matrix (retries, timeouts, broken connections) and redaction.

mod support;

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use polar_sdk::{Error, Polar, RetryConfig};
use support::{client, fast_retries, meter_json, page_body, uuid, Reply, TestServer, TOKEN};

fn client_with(server: &TestServer, retry: RetryConfig) -> Polar {
    Polar::builder()
        .access_token(TOKEN)
        .server_url(server.url())
        .retry(retry)
        .build()
        .unwrap()
}

async fn get(polar: &Polar) -> Result<polar_sdk::models::CustomerMeter, Error> {
    support::within(polar.customer_meters().get(uuid(1)).send()).await
}

/// Every error this file produces is checked for the token, in `Debug` and `Display`.
fn assert_no_token(e: &Error) {
    let shown = format!("{e:?} {e} {:?}", std::error::Error::source(e));
    assert!(!shown.contains(TOKEN), "token leaked: {shown}");
    assert!(!shown.contains("TESTSECRET"), "token leaked: {shown}");
    assert!(
        e.to_string().chars().count() < 1000,
        "Display is not bounded: {e}"
    );
}

// ---------------------------------------------------------------------------------------
// Error classes.

#[tokio::test]
async fn not_found_is_typed() {
    let server = TestServer::scripted(vec![Reply::json(
        404,
        r#"{"error":"ResourceNotFound","detail":"Not found","extra":1}"#,
    )])
    .await;
    let err = get(&client(&server)).await.unwrap_err();
    assert_no_token(&err);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.to_string(), "resource not found (404): Not found");
    match err {
        Error::ResourceNotFound(e) => {
            assert_eq!(e.detail, "Not found");
            assert_eq!(
                e.error,
                polar_sdk::models::ResourceNotFoundError::ResourceNotFound
            );
            assert_eq!(e.unknown_fields.get("extra").unwrap().as_str(), "1");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn not_found_with_another_body_is_api() {
    let server = TestServer::scripted(vec![Reply::json(404, r#"{"detail":"Not Found"}"#)]).await;
    match get(&client(&server)).await.unwrap_err() {
        Error::Api(e) => {
            assert_eq!(e.status().as_u16(), 404);
            assert_eq!(e.body(), br#"{"detail":"Not Found"}"#);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn validation_error_is_typed() {
    let body = r#"{"detail":[
        {"loc":["query","limit"],"msg":"Input should be less than or equal to 100","type":"less_than_equal","input":"1000","ctx":{"le":100}},
        {"loc":["query","organization_id",0],"msg":"Input should be a valid UUID","type":"uuid_parsing"}
    ]}"#;
    let server = TestServer::scripted(vec![Reply::json(422, body)]).await;
    let err = client(&server)
        .customer_meters()
        .list()
        .limit(1000)
        .send()
        .await
        .unwrap_err();
    assert_no_token(&err);
    assert_eq!(
        err.to_string(),
        "request validation failed (422): query.limit: Input should be less than or equal to 100; \
         query.organization_id.0: Input should be a valid UUID"
    );
    match err {
        Error::HttpValidation(e) => {
            let detail = e.detail.unwrap();
            assert_eq!(detail.len(), 2);
            assert_eq!(detail[0].msg, "Input should be less than or equal to 100");
            assert_eq!(detail[0].r#type, "less_than_equal");
            assert_eq!(detail[0].input, Some(serde_json::json!("1000")));
            assert_eq!(detail[0].ctx.as_ref().unwrap()["le"], 100);
            assert_eq!(
                serde_json::to_value(&detail[1].loc).unwrap(),
                serde_json::json!(["query", "organization_id", 0])
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn other_statuses_are_api_errors_with_status_headers_and_body() {
    let server = TestServer::scripted(vec![Reply::json_with_headers(
        401,
        &[("X-Request-Id", "req_123")],
        r#"{"error":"invalid_token","detail":"The access token is invalid."}"#,
    )])
    .await;
    let err = get(&client(&server)).await.unwrap_err();
    assert_no_token(&err);
    assert_eq!(
        err.to_string(),
        "Polar API returned 401 Unauthorized: invalid_token: The access token is invalid."
    );
    match err {
        Error::Api(e) => {
            assert_eq!(e.status().as_u16(), 401);
            assert_eq!(e.headers()["x-request-id"], "req_123");
            assert!(e.body_text().contains("invalid_token"));
            assert_eq!(
                e.json::<serde_json::Value>().unwrap()["error"],
                "invalid_token"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn long_bodies_are_truncated_in_display() {
    let body = format!("<html>{}</html>", "x".repeat(5000));
    let server = TestServer::scripted(vec![Reply::full(500, &[], "text/html", &body)]).await;
    let err = get(&client(&server)).await.unwrap_err();
    assert_no_token(&err);
    let shown = err.to_string();
    assert!(
        shown.starts_with("Polar API returned 500 Internal Server Error: <html>xxx"),
        "{shown}"
    );
    assert!(shown.chars().count() < 300, "{shown}");
    match err {
        Error::Api(e) => assert_eq!(e.body().len(), body.len(), "the full body is kept"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn invalid_config_is_a_config_error() {
    let err = Polar::builder()
        .access_token(TOKEN)
        .server_url("not a url")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_no_token(&err);
    let err = Polar::builder()
        .access_token(format!("{TOKEN}\n"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_no_token(&err);
}

// ---------------------------------------------------------------------------------------
// Fault matrix.

#[tokio::test]
async fn fault_503_503_200_succeeds_after_two_retries() {
    let server = TestServer::scripted(vec![
        Reply::json(503, "{}"),
        Reply::json(503, "{}"),
        Reply::json(200, &meter_json(1)),
    ])
    .await;
    let meter = get(&client_with(&server, fast_retries())).await.unwrap();
    assert_eq!(meter.id, uuid(1));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn fault_every_retryable_status_is_retried() {
    for status in [408, 429, 500, 502, 503, 504] {
        let server = TestServer::scripted(vec![
            Reply::json(status, "{}"),
            Reply::json(200, &meter_json(1)),
        ])
        .await;
        get(&client_with(&server, fast_retries())).await.unwrap();
        assert_eq!(server.requests().len(), 2, "status {status}");
    }
    for status in [400, 401, 403, 409, 501] {
        let server = TestServer::scripted(vec![
            Reply::json(status, "{}"),
            Reply::json(200, &meter_json(1)),
        ])
        .await;
        let err = get(&client_with(&server, fast_retries()))
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(server.requests().len(), 1, "status {status}");
    }
}

#[tokio::test]
async fn fault_retries_are_bounded() {
    let server = TestServer::with_handler(|_| Reply::json(503, r#"{"error":"down"}"#)).await;
    let err = get(&client_with(&server, fast_retries().max_retries(2)))
        .await
        .unwrap_err();
    assert_no_token(&err);
    assert!(
        matches!(&err, Error::Api(e) if e.status().as_u16() == 503),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 3);

    // The elapsed budget stops retries before max_retries.
    let server = TestServer::with_handler(|_| Reply::json(503, "{}")).await;
    // Generous so a loaded machine still gets a second attempt in; far below what 1000
    // retries of up to 40 ms would take, so only the budget can have stopped them.
    let budget = fast_retries()
        .max_retries(1000)
        .initial_backoff(Duration::from_millis(40))
        .max_backoff(Duration::from_millis(40))
        .max_elapsed(Duration::from_millis(600));
    get(&client_with(&server, budget)).await.unwrap_err();
    let n = server.requests().len();
    assert!((2..1000).contains(&n), "{n} requests");
}

#[tokio::test]
async fn fault_429_retry_after_seconds_is_honoured() {
    let server = TestServer::scripted(vec![
        Reply::json_with_headers(429, &[("Retry-After", "1")], "{}"),
        Reply::json(200, &meter_json(1)),
    ])
    .await;
    // Backoff alone would wait at most 20 ms.
    let retry = fast_retries().max_retry_after(Duration::from_secs(2));
    get(&client_with(&server, retry)).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let gap = requests[1].at - requests[0].at;
    assert!(gap >= Duration::from_millis(950), "waited only {gap:?}");
}

#[tokio::test]
async fn fault_429_retry_after_above_the_cap_is_not_retried() {
    let server = TestServer::scripted(vec![
        Reply::json_with_headers(429, &[("Retry-After", "2")], r#"{"error":"rate limited"}"#),
        Reply::json(200, &meter_json(1)),
    ])
    .await;
    let retry = fast_retries().max_retry_after(Duration::from_secs(1));
    let err = get(&client_with(&server, retry)).await.unwrap_err();
    assert_no_token(&err);
    match err {
        Error::Api(e) => {
            assert_eq!(e.status().as_u16(), 429);
            assert_eq!(e.headers()["retry-after"], "2");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn fault_429_retry_after_http_date() {
    let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(30));
    let far = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    let server = TestServer::scripted(vec![
        Reply::json_with_headers(429, &[("Retry-After", &past)], "{}"),
        Reply::json(200, &meter_json(1)),
        Reply::json_with_headers(503, &[("Retry-After", &far)], "{}"),
        Reply::json(200, &meter_json(1)),
    ])
    .await;
    let polar = client_with(&server, fast_retries());
    // A date in the past: retry at once.
    get(&polar).await.unwrap();
    assert_eq!(server.requests().len(), 2);
    // A date an hour away is beyond the default 30 s cap: give up.
    let err = get(&polar).await.unwrap_err();
    assert!(
        matches!(&err, Error::Api(e) if e.status().as_u16() == 503),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn fault_connection_reset() {
    // Without retries: a transport error.
    let server = TestServer::scripted(vec![Reply::Reset]).await;
    let err = get(&client(&server)).await.unwrap_err();
    assert_no_token(&err);
    match &err {
        Error::Transport(e) => assert_eq!(e.partial_body(), None),
        other => panic!("{other:?}"),
    }

    // With retries (GET is idempotent): reset, then success.
    let server = TestServer::scripted(vec![Reply::Reset, Reply::json(200, &meter_json(1))]).await;
    get(&client_with(&server, fast_retries())).await.unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn fault_connection_refused() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let polar = Polar::builder()
        .access_token(TOKEN)
        .server_url(format!("http://127.0.0.1:{port}"))
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = get(&polar).await.unwrap_err();
    assert_no_token(&err);
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    assert!(err.to_string().starts_with("could not connect: "), "{err}");
}

#[tokio::test]
async fn fault_slow_server_times_out() {
    let server = TestServer::scripted(vec![
        Reply::json(200, &meter_json(1)).delayed(Duration::from_secs(3))
    ])
    .await;
    let polar = Polar::builder()
        .access_token(TOKEN)
        .server_url(server.url())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = get(&polar).await.unwrap_err();
    assert_no_token(&err);
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.to_string().starts_with("request timed out: "), "{err}");
    // Timeouts are not retried, even with the default policy.
    assert_eq!(server.requests().len(), 1);

    // The per-call timeout overrides the client's.
    let server = TestServer::scripted(vec![
        Reply::json(200, &meter_json(1)).delayed(Duration::from_secs(3))
    ])
    .await;
    let err = support::within(
        client(&server)
            .customer_meters()
            .get(uuid(1))
            .timeout(Duration::from_millis(200))
            .send(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn fault_truncated_json_is_a_decode_error_keeping_the_body() {
    let server = TestServer::scripted(vec![Reply::json(200, r#"{"items":[{"id":"#)]).await;
    let err = client(&server)
        .customer_meters()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_no_token(&err);
    match &err {
        Error::Decode(e) => {
            assert_eq!(e.body(), br#"{"items":[{"id":"#);
            assert_eq!(e.status().as_u16(), 200);
            assert_eq!(e.path(), "items[0].id");
            assert!(e.to_string().contains("EOF"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn fault_connection_closed_mid_body() {
    let truncated = || {
        Reply::RawThenClose(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"id\":".to_vec(),
        )
    };
    let server = TestServer::scripted(vec![truncated()]).await;
    let err = get(&client(&server)).await.unwrap_err();
    assert_no_token(&err);
    match &err {
        Error::Transport(e) => assert_eq!(e.partial_body(), Some(&b"{\"id\":"[..])),
        other => panic!("{other:?}"),
    }

    let server = TestServer::scripted(vec![truncated(), Reply::json(200, &meter_json(1))]).await;
    get(&client_with(&server, fast_retries())).await.unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn fault_html_502_is_an_api_error() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    // Without retries: one request.
    let server = TestServer::scripted(vec![Reply::full(502, &[], "text/html", html)]).await;
    let err = get(&client(&server)).await.unwrap_err();
    assert_no_token(&err);
    assert_eq!(
        err.to_string(),
        format!("Polar API returned 502 Bad Gateway: {html}")
    );
    assert!(
        matches!(&err, Error::Api(e) if e.body_text() == html),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);

    // With retries: four attempts, then the same error.
    let server = TestServer::with_handler(move |_| Reply::full(502, &[], "text/html", html)).await;
    let err = get(&client_with(&server, fast_retries()))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(e) if e.status().as_u16() == 502),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn fault_200_html_is_a_decode_error() {
    let html = "<!doctype html><html><body>Maintenance</body></html>";
    let server = TestServer::scripted(vec![Reply::full(
        200,
        &[],
        "text/html; charset=utf-8",
        html,
    )])
    .await;
    let err = get(&client(&server)).await.unwrap_err();
    assert_no_token(&err);
    assert!(
        err.to_string().contains("(text/html; charset=utf-8)"),
        "{err}"
    );
    match err {
        Error::Decode(e) => {
            assert_eq!(e.content_type(), Some("text/html; charset=utf-8"));
            assert_eq!(e.body_text(), html);
            assert_eq!(e.line(), 1);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn invalid_request_is_reported() {
    // Not reachable through the typed builders (ids are UUIDs); checked through the error type.
    let err = Error::InvalidRequest("path parameter `id` must not be `.` or `..`".into());
    assert_eq!(
        err.to_string(),
        "invalid request: path parameter `id` must not be `.` or `..`"
    );
}

// ---------------------------------------------------------------------------------------
// Redaction.

#[tokio::test]
async fn token_is_absent_from_debug_of_client_and_builders() {
    let builder = Polar::builder()
        .access_token(TOKEN)
        .server_url("http://127.0.0.1:9");
    let polar = builder.clone().build().unwrap();
    let list = polar
        .customer_meters()
        .list()
        .organization_id(uuid(1))
        .limit(5);
    let get = polar.customer_meters().get(uuid(1));
    let stream = polar.customer_meters().list().into_stream();
    for shown in [
        format!("{builder:?}"),
        format!("{polar:?}"),
        format!("{polar:#?}"),
        format!("{list:?}"),
        format!("{get:?}"),
        format!("{stream:?}"),
    ] {
        assert!(
            !shown.contains(TOKEN) && !shown.contains("TESTSECRET"),
            "token leaked: {shown}"
        );
    }
    assert!(format!("{polar:?}").contains("<redacted>"));
    assert!(format!("{builder:?}").contains("<redacted>"));

    let server = TestServer::scripted(vec![Reply::json(200, &page_body(&[1], 1, 1))]).await;
    let page = client(&server)
        .customer_meters()
        .list()
        .send()
        .await
        .unwrap();
    let shown = format!("{page:?}");
    assert!(!shown.contains(TOKEN), "token leaked: {shown}");
}

/// A minimal `tracing` subscriber that writes every span and event field into a string.
struct Capture(Arc<Mutex<String>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut out = self.0.lock().unwrap();
        let _ = write!(out, "\nspan {} ", span.metadata().name());
        span.record(&mut Fields(&mut out));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut out = self.0.lock().unwrap();
        out.push_str("\nrecord ");
        values.record(&mut Fields(&mut out));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut out = self.0.lock().unwrap();
        out.push_str("\nevent ");
        event.record(&mut Fields(&mut out));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn tracing_has_one_span_per_attempt_and_no_token() {
    let log = Arc::new(Mutex::new(String::new()));
    let _guard = tracing::subscriber::set_default(Capture(log.clone()));
    let server = TestServer::scripted(vec![
        Reply::json(503, "{}"),
        Reply::json(200, &page_body(&[1], 1, 1)),
        Reply::json(404, r#"{"error":"ResourceNotFound","detail":"nope"}"#),
    ])
    .await;
    let polar = client_with(&server, fast_retries());
    polar.customer_meters().list().send().await.unwrap();
    polar
        .customer_meters()
        .get(uuid(1))
        .send()
        .await
        .unwrap_err();

    let log = log.lock().unwrap().clone();
    assert!(
        !log.contains(TOKEN) && !log.contains("TESTSECRET"),
        "token leaked: {log}"
    );
    let spans: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("span polar_sdk.request"))
        .collect();
    assert_eq!(spans.len(), 3, "{log}");
    assert!(
        spans[0].contains("operation=\"customer_meters:list\""),
        "{}",
        spans[0]
    );
    assert!(
        spans[0].contains("route=\"/v1/customer-meters/\""),
        "{}",
        spans[0]
    );
    assert!(spans[0].contains("attempt=1"), "{}", spans[0]);
    assert!(spans[1].contains("attempt=2"), "{}", spans[1]);
    assert!(
        spans[2].contains("operation=\"customer_meters:get\""),
        "{}",
        spans[2]
    );
    assert!(
        log.contains("status=503") && log.contains("status=200") && log.contains("status=404"),
        "{log}"
    );
}

#[tokio::test]
async fn polar_new_with_a_bad_token_fails_requests_instead_of_panicking() {
    for token in ["", "line\nbreak"] {
        let polar = Polar::new(token);
        let err = polar
            .customer_meters()
            .get(uuid::Uuid::nil())
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(!err.to_string().contains("line\nbreak"), "{err}");
    }
}

#[test]
fn credentials_in_a_server_url_never_show_in_debug() {
    let builder = Polar::builder()
        .access_token(TOKEN)
        .server_url("https://user:hunter2@example.test");
    let shown = format!("{builder:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    let err = builder.build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(!format!("{err:?} {err}").contains("hunter2"));
}

#[tokio::test]
async fn a_body_that_is_not_utf8_is_a_decode_error_that_keeps_the_bytes() {
    let mut body = meter_json(1).into_bytes();
    let at = body.iter().position(|&b| b == b'"').unwrap() + 1;
    body[at] = 0xFF;
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    let server = TestServer::scripted(vec![Reply::Raw(response)]).await;
    let err = get(&client_with(&server, RetryConfig::none()))
        .await
        .unwrap_err();
    match &err {
        Error::Decode(e) => assert_eq!(e.body(), &body[..]),
        other => panic!("{other:?}"),
    }
    assert_no_token(&err);
}

// ---------------------------------------------------------------------------------------
// Deterministic failures are not retried: the same request would fail the same way.

/// How many requests `reply` (answered every time) costs with and without retries.
async fn requests_with_and_without_retries(reply: Reply) -> (usize, usize) {
    let mut counts = [0, 0];
    for (i, retry) in [RetryConfig::none(), fast_retries()]
        .into_iter()
        .enumerate()
    {
        let reply = reply.clone();
        let server = TestServer::with_handler(move |_| reply.clone()).await;
        let err = get(&client_with(&server, retry)).await.unwrap_err();
        assert_no_token(&err);
        counts[i] = server.requests().len();
    }
    (counts[0], counts[1])
}

#[tokio::test]
async fn a_redirect_loop_fails_once_with_a_clear_error() {
    let target = format!("/v1/customer-meters/{}", uuid(1));
    let server = TestServer::with_handler(move |_| {
        Reply::full(302, &[("Location", &target)], "text/plain", "")
    })
    .await;
    let err = get(&client_with(&server, fast_retries()))
        .await
        .unwrap_err();
    assert_no_token(&err);
    assert!(err.to_string().contains("redirect"), "{err}");
    let (without, with) = requests_with_and_without_retries(Reply::full(
        302,
        &[("Location", &format!("/v1/customer-meters/{}", uuid(1)))],
        "text/plain",
        "",
    ))
    .await;
    assert_eq!(with, without, "a redirect loop was retried");
}

#[tokio::test]
async fn a_response_head_too_large_is_not_retried() {
    let huge = "a".repeat(1 << 20);
    let reply = Reply::json_with_headers(200, &[("X-Huge", &huge)], &meter_json(1));
    let (without, with) = requests_with_and_without_retries(reply).await;
    assert_eq!((without, with), (1, 1));
}

#[tokio::test]
async fn an_invalid_content_length_is_not_retried() {
    let reply = Reply::Raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: nope\r\n\r\n{}"
            .to_vec(),
    );
    let (without, with) = requests_with_and_without_retries(reply).await;
    assert_eq!((without, with), (1, 1));
}

// ---------------------------------------------------------------------------------------
// Bounded errors that keep the server's words.

#[tokio::test]
async fn decode_errors_are_bounded_however_long_the_value() {
    // serde's message quotes the offending value in full.
    let mut meter: serde_json::Value = serde_json::from_str(&meter_json(1)).unwrap();
    meter["consumed_units"] = serde_json::Value::String("k".repeat(100_000));
    let with_long_value = meter.to_string();
    for body in [with_long_value] {
        let server = TestServer::scripted(vec![Reply::json(200, &body)]).await;
        let err = get(&client(&server)).await.unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
        assert_no_token(&err);
        let debug = format!("{err:?}");
        assert!(
            debug.len() < 4000,
            "Debug is not bounded: {} chars",
            debug.len()
        );
    }
}

#[tokio::test]
async fn an_oauth_error_description_is_kept() {
    let server = TestServer::scripted(vec![Reply::json(
        401,
        r#"{"error":"invalid_token","error_description":"The access token has expired."}"#,
    )])
    .await;
    let err = get(&client(&server)).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Polar API returned 401 Unauthorized: invalid_token: The access token has expired."
    );
}

#[tokio::test]
async fn query_values_stay_out_of_error_texts_and_logs() {
    let log = Arc::new(Mutex::new(String::new()));
    let _guard = tracing::subscriber::set_default(Capture(log.clone()));
    let server = TestServer::scripted(vec![Reply::Reset]).await;
    let err = support::within(
        client(&server)
            .customer_meters()
            .list()
            .external_customer_id("jane@example.com")
            .send(),
    )
    .await
    .unwrap_err();
    let shown = format!("{err} | {err:?} | {:?}", std::error::Error::source(&err));
    assert!(!shown.contains("jane"), "a query value leaked: {shown}");
    assert!(err.to_string().contains("/v1/customer-meters/"), "{err}");
    match &err {
        // The caller who asks gets the whole URL.
        Error::Transport(e) => assert_eq!(
            e.url().and_then(|u| u.query()),
            Some("external_customer_id=jane%40example.com")
        ),
        other => panic!("{other:?}"),
    }
    let log = log.lock().unwrap().clone();
    assert!(
        !log.contains("jane"),
        "a query value reached the log: {log}"
    );
}

#[test]
fn a_token_in_the_server_urls_query_never_shows_in_debug() {
    for url in [
        "https://example.test/?access_token=hunter2",
        "https://example.test/v1#hunter2",
        "https://user:hunter2@example.test/?q=1",
        "not a url hunter2",
    ] {
        let builder = Polar::builder().access_token(TOKEN).server_url(url);
        let shown = format!("{builder:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let err = builder.build().unwrap_err();
        assert!(!format!("{err:?} {err}").contains("hunter2"), "{err}");
    }
}

// ---------------------------------------------------------------------------------------
// Response size.

#[tokio::test]
async fn a_huge_error_body_is_cut_in_the_error() {
    let server = TestServer::scripted(vec![support::endless(500)]).await;
    let err = get(&client(&server)).await.unwrap_err();
    assert_no_token(&err);
    match &err {
        Error::Api(e) => {
            assert_eq!(e.status().as_u16(), 500);
            assert!(e.body().len() <= 64 * 1024, "kept {} bytes", e.body().len());
            assert!(!e.body().is_empty());
            assert!(e.body_truncated());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_endless_success_body_stops_at_the_default_limit() {
    let server = TestServer::scripted(vec![support::endless(200)]).await;
    let polar = Polar::builder()
        .access_token(TOKEN)
        .server_url(server.url())
        .retry(fast_retries())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let err = get(&polar).await.unwrap_err();
    assert_no_token(&err);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200), "{err:?}");
    assert!(err.to_string().contains("33554432 bytes"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_declared_length_over_the_limit_fails_before_reading_and_is_not_retried() {
    // Announces 1 GiB and sends a few bytes: the length alone decides.
    let reply = Reply::RawThenClose(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{\"id\":".to_vec(),
    );
    let server = TestServer::with_handler(move |_| reply.clone()).await;
    let polar = Polar::builder()
        .access_token(TOKEN)
        .server_url(server.url())
        .retry(fast_retries())
        .max_response_size(1024)
        .build()
        .unwrap();
    let err = get(&polar).await.unwrap_err();
    assert_no_token(&err);
    match &err {
        Error::ResponseTooLarge { status, limit } => {
            assert_eq!((status.as_u16(), *limit), (200, 1024));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("1024 bytes"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_counted_body_over_a_small_limit_fails_and_the_error_body_is_cut_to_it() {
    let server = TestServer::scripted(vec![
        support::endless(200),
        Reply::json(500, &"x".repeat(5000)),
    ])
    .await;
    let polar = Polar::builder()
        .access_token(TOKEN)
        .server_url(server.url())
        .retry(RetryConfig::none())
        .max_response_size(2000)
        .build()
        .unwrap();
    let err = get(&polar).await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 2000, .. }),
        "{err:?}"
    );
    match get(&polar).await.unwrap_err() {
        Error::Api(e) => {
            assert_eq!(e.body().len(), 2000);
            assert!(e.body_truncated());
            assert!(e.to_string().contains("cut at 2000 bytes"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_size_limit_can_be_changed_per_call() {
    let body = meter_json(1);
    let server = TestServer::with_handler(move |_| Reply::json(200, &body)).await;
    let polar = Polar::builder()
        .access_token(TOKEN)
        .server_url(server.url())
        .max_response_size(100)
        .build()
        .unwrap();
    let err = get(&polar).await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 100, .. }),
        "{err:?}"
    );
    // A larger limit for one call (a page, an export) lets it through.
    let meter = polar
        .customer_meters()
        .get(uuid(1))
        .max_response_size(1 << 20)
        .send()
        .await
        .unwrap();
    assert_eq!(meter.id, uuid(1));
    // And a smaller one refuses what the client would accept; the same holds for lists.
    let polar = client(&server);
    let err = polar
        .customer_meters()
        .list()
        .max_response_size(10)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 10, .. }),
        "{err:?}"
    );
}
