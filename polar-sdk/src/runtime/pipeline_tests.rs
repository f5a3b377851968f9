//! Wire tests of the request pipeline for operations described by an [`Operation`]: bodies,
//! `deepObject` and header parameters, the success shapes, typed errors and token choice.

use std::time::Duration;

use futures::TryStreamExt;
use reqwest::StatusCode;
use serde::Serialize;

use super::test_server::{json, reply, Server};
use super::{Auth, ErrorDecoder, Method, Operation, RequestOptions, RequestSpec};
use crate::{models, ByteStream, Error, ErrorBody, MaybeReady, Polar, RetryConfig};

const ORG: &str = "polar_oat_ORGSECRET";
const CUSTOMER: &str = "polar_cst_CUSTOMERSECRET";
const MEMBER: &str = "polar_mst_MEMBERSECRET";

fn client(server: &Server) -> Polar {
    Polar::builder()
        .access_token(ORG)
        .server_url(server.url())
        .retry(RetryConfig::none())
        .build()
        .unwrap()
}

const fn op(
    method: Method,
    auth: &'static [Auth],
    errors: &'static [(u16, ErrorDecoder)],
) -> Operation {
    Operation {
        id: "things:do",
        method,
        path: "/v1/things/{id}",
        auth,
        errors,
    }
}

static POST: Operation = op(Method::Post, &[Auth::Organization], &[]);
static PATCH: Operation = op(Method::Patch, &[Auth::Organization], &[]);
static PUT: Operation = op(Method::Put, &[Auth::Organization], &[]);
static GET: Operation = op(Method::Get, &[Auth::Organization], &[]);
static PUBLIC: Operation = op(Method::Get, &[], &[]);
static CUSTOMER_OP: Operation = op(Method::Get, &[Auth::CustomerSession], &[]);

fn spec(op: &'static Operation) -> RequestSpec {
    let mut spec = RequestSpec::for_operation(op);
    spec.path_param("id", "t1");
    spec
}

fn options() -> RequestOptions {
    RequestOptions::default()
}

#[derive(Serialize)]
struct Create {
    name: &'static str,
    amount: i64,
    tags: Vec<&'static str>,
}

#[tokio::test]
async fn a_json_body_is_sent_as_bytes_with_its_content_type() {
    let server = Server::start(vec![json(200, r#"{"ok":true}"#)]).await;
    let mut request = spec(&POST);
    request.json_body(&Create {
        name: "zed",
        amount: 3,
        tags: vec!["a", "b"],
    });
    let got: serde_json::Value = client(&server).send_json(request, options()).await.unwrap();
    assert_eq!(got["ok"], true);
    let seen = &server.seen()[0];
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.target, "/v1/things/t1");
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.header("accept"), Some("application/json"));
    assert_eq!(seen.body, br#"{"name":"zed","amount":3,"tags":["a","b"]}"#);
}

#[derive(Serialize)]
struct Patch {
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "crate::runtime::double_option"
    )]
    absent: Option<Option<String>>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "crate::runtime::double_option"
    )]
    cleared: Option<Option<String>>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "crate::runtime::double_option"
    )]
    set: Option<Option<String>>,
}

#[tokio::test]
async fn a_patch_body_tells_absent_from_null_from_a_value() {
    let server = Server::start(vec![reply(204, "text/plain", b"")]).await;
    let mut request = spec(&PATCH);
    request.json_body(&Patch {
        absent: None,
        cleared: Some(None),
        set: Some(Some("x".into())),
    });
    client(&server)
        .send_empty(request, options())
        .await
        .unwrap();
    let seen = &server.seen()[0];
    assert_eq!(seen.method, "PATCH");
    assert_eq!(seen.body, br#"{"cleared":null,"set":"x"}"#);
}

#[tokio::test]
async fn an_idempotent_request_is_retried_with_its_body() {
    let server = Server::start(vec![json(503, "{}"), json(200, "{}")]).await;
    let polar = Polar::builder()
        .access_token(ORG)
        .server_url(server.url())
        .retry(
            RetryConfig::default()
                .max_retries(1)
                .initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let mut request = spec(&PUT);
    request.json_body(&Create {
        name: "again",
        amount: 1,
        tags: vec![],
    });
    polar.send_empty(request, options()).await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    for attempt in &seen {
        assert_eq!(attempt.body, br#"{"name":"again","amount":1,"tags":[]}"#);
        assert_eq!(attempt.header("content-type"), Some("application/json"));
    }
}

#[derive(Serialize)]
struct Token {
    grant_type: &'static str,
    scope: Vec<&'static str>,
    client_secret: Option<&'static str>,
    note: &'static str,
}

#[derive(Serialize)]
struct Nested {
    grant_type: &'static str,
    inner: Create,
}

#[tokio::test]
async fn a_form_body_repeats_list_keys_and_leaves_nulls_out() {
    let server = Server::start(vec![json(200, "{}")]).await;
    let mut request = spec(&POST);
    request.form_body(&Token {
        grant_type: "client_credentials",
        scope: vec!["a:read", "b"],
        client_secret: None,
        note: "x y&z=1",
    });
    client(&server)
        .send_empty(request, options())
        .await
        .unwrap();
    let seen = &server.seen()[0];
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&seen.body),
        "grant_type=client_credentials&scope=a%3Aread&scope=b&note=x%20y%26z%3D1"
    );
}

#[tokio::test]
async fn a_form_body_with_a_nested_object_is_refused_without_sending() {
    let server = Server::start(vec![json(200, "{}")]).await;
    let mut request = spec(&POST);
    request.form_body(&Nested {
        grant_type: "x",
        inner: Create {
            name: "n",
            amount: 1,
            tags: vec![],
        },
    });
    let err = client(&server)
        .send_empty(request, options())
        .await
        .unwrap_err();
    let Error::InvalidRequest(message) = &err else {
        panic!("{err:?}");
    };
    assert!(
        message.contains("form body") && message.contains("`inner`"),
        "{message}"
    );
    assert!(server.seen().is_empty());
}

#[derive(Serialize)]
struct Metadata {
    a: i64,
    b: Vec<&'static str>,
    c: Option<bool>,
}

#[tokio::test]
async fn a_deep_object_becomes_bracketed_pairs() {
    let server = Server::start(vec![json(200, "{}")]).await;
    let mut request = spec(&GET);
    request.query_deep_object(
        "metadata",
        &Metadata {
            a: 1,
            b: vec!["x", "y z"],
            c: None,
        },
    );
    request.query_deep_object("other", &None::<Metadata>);
    request.query("limit", super::QueryStyle::Form { explode: true }, &5i64);
    client(&server)
        .send_empty(request, options())
        .await
        .unwrap();
    assert_eq!(
        server.seen()[0].target,
        "/v1/things/t1?metadata%5Ba%5D=1&metadata%5Bb%5D=x&metadata%5Bb%5D=y%20z&limit=5"
    );
}

#[tokio::test]
async fn a_deep_object_with_an_empty_list_is_refused_without_sending() {
    let server = Server::start(vec![json(200, "{}")]).await;
    let mut request = spec(&GET);
    request.query_deep_object(
        "metadata",
        &Metadata {
            a: 1,
            b: vec![],
            c: Some(true),
        },
    );
    let err = client(&server)
        .send_empty(request, options())
        .await
        .unwrap_err();
    let Error::InvalidRequest(message) = &err else {
        panic!("{err:?}");
    };
    assert!(message.contains("`metadata`"), "{message}");
    assert!(server.seen().is_empty());
    // A scalar is not an object either.
    let mut request = spec(&GET);
    request.query_deep_object("metadata", &7);
    let err = client(&server)
        .send_empty(request, options())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("`metadata`")),
        "{err}"
    );
}

#[tokio::test]
async fn header_parameters_are_sent_and_unset_ones_are_not() {
    let server = Server::start(vec![json(200, "{}")]).await;
    let mut request = spec(&GET);
    request.header("x-request-tag", "abc 1");
    request.header("x-unset", &None::<String>);
    request.header("x-set", &Some(7i64));
    client(&server)
        .send_empty(request, options())
        .await
        .unwrap();
    let seen = &server.seen()[0];
    assert_eq!(seen.header("x-request-tag"), Some("abc 1"));
    assert_eq!(seen.header("x-set"), Some("7"));
    assert_eq!(seen.header("x-unset"), None);

    let mut request = spec(&GET);
    request.header("x-bad", "a\nb");
    let err = client(&server)
        .send_empty(request, options())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("`x-bad`")),
        "{err}"
    );
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn no_content_is_unit() {
    let server = Server::start(vec![reply(204, "text/plain", b"")]).await;
    let done: () = client(&server)
        .send_empty(spec(&POST), options())
        .await
        .unwrap();
    assert_eq!(done, ());
    assert_eq!(server.seen()[0].header("content-type"), None);
}

#[tokio::test]
async fn accepted_is_not_ready_and_ok_is() {
    let server = Server::start(vec![
        json(202, r#"{"status":"generating"}"#),
        json(200, r#"{"n":4}"#),
    ])
    .await;
    let polar = client(&server);
    let first: MaybeReady<serde_json::Value> =
        polar.send_maybe_ready(spec(&GET), options()).await.unwrap();
    assert_eq!(first, MaybeReady::Accepted);
    assert!(!first.is_ready());
    let second: MaybeReady<serde_json::Value> =
        polar.send_maybe_ready(spec(&GET), options()).await.unwrap();
    assert!(second.is_ready());
    assert_eq!(second.ready().unwrap()["n"], 4);
}

fn csv(rows: usize) -> Vec<u8> {
    let mut out = b"id,amount\n".to_vec();
    for i in 0..rows {
        out.extend_from_slice(format!("{i},{}\n", i * 7).as_bytes());
    }
    out
}

#[tokio::test]
async fn a_stream_is_not_bounded_by_the_size_limit_but_collect_is() {
    let body = csv(20_000);
    assert!(body.len() > 100_000);
    let server = Server::start(vec![reply(200, "text/csv; charset=utf-8", &body)]).await;
    let polar = client(&server);
    let small = RequestOptions {
        max_response_size: Some(1_000),
        ..RequestOptions::default()
    };
    let send = |options: RequestOptions| {
        let polar = polar.clone();
        async move {
            let mut request = spec(&GET);
            request.accept("text/csv");
            polar.send_bytes(request, options).await
        }
    };

    let stream: ByteStream = send(small.clone()).await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.content_type(), Some("text/csv; charset=utf-8"));
    let chunks: Vec<bytes::Bytes> = stream.try_collect().await.unwrap();
    assert_eq!(chunks.concat(), body);
    assert_eq!(server.seen()[0].header("accept"), Some("text/csv"));

    let err = send(small).await.unwrap().collect().await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1_000, status } if status == StatusCode::OK),
        "{err:?}"
    );

    let whole = send(options()).await.unwrap().collect().await.unwrap();
    assert_eq!(whole, body);
}

#[tokio::test]
async fn collect_counts_a_body_without_a_length() {
    let body = csv(5_000);
    let mut chunked = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for part in body.chunks(4096) {
        chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let server = Server::start(vec![chunked]).await;
    let options = RequestOptions {
        max_response_size: Some(10_000),
        ..RequestOptions::default()
    };
    let stream = client(&server)
        .send_bytes(spec(&GET), options)
        .await
        .unwrap();
    let err = stream.collect().await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 10_000, .. }),
        "{err:?}"
    );
}

#[derive(serde::Deserialize)]
struct Kind {
    error: String,
}

fn decode_kind<T: serde::de::DeserializeOwned>(body: &[u8], wanted: &str) -> Option<T> {
    let kind: Kind = serde_json::from_slice(body).ok()?;
    if kind.error != wanted {
        return None;
    }
    serde_json::from_slice(body).ok()
}

// `NotPermitted` is documented by the committed resources (customers, orders); its `error`
// constant is an open enum, so `{"error": "Alpha"}` decodes into it too.
fn decode_alpha(status: StatusCode, body: &[u8]) -> Option<Error> {
    decode_kind::<models::NotPermitted>(body, "Alpha").map(|b| Error::Documented {
        status,
        body: ErrorBody::NotPermitted(b),
    })
}

fn decode_beta(_status: StatusCode, body: &[u8]) -> Option<Error> {
    // Distinguishable from `decode_alpha`'s result: a 404-shaped typed error.
    decode_kind::<models::ResourceNotFound>(body, "Beta").map(Error::from)
}

static TYPED: Operation = op(
    Method::Get,
    &[Auth::Organization],
    &[(403, decode_alpha), (403, decode_beta)],
);

#[tokio::test]
async fn the_first_decoder_of_a_status_that_matches_wins() {
    let server = Server::start(vec![
        json(403, r#"{"error":"Beta","detail":"second"}"#),
        json(403, r#"{"error":"Alpha","detail":"first"}"#),
    ])
    .await;
    let polar = client(&server);
    let err = polar.send_empty(spec(&TYPED), options()).await.unwrap_err();
    assert!(
        matches!(&err, Error::ResourceNotFound(e) if e.detail == "second"),
        "{err:?}"
    );

    let err = polar.send_empty(spec(&TYPED), options()).await.unwrap_err();
    let Error::Documented { status, body } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*status, StatusCode::FORBIDDEN);
    assert!(matches!(body, ErrorBody::NotPermitted(e) if e.detail == "first"));
    assert_eq!(err.status(), Some(StatusCode::FORBIDDEN));
    assert_eq!(err.to_string(), "documented error response (403 Forbidden)");
}

#[tokio::test]
async fn undocumented_statuses_and_bodies_stay_raw() {
    let long_detail = "d".repeat(crate::ApiError::ERROR_BODY_LIMIT);
    let server = Server::start(vec![
        // Documented body, undocumented status.
        json(409, r#"{"error":"Alpha","detail":"x"}"#),
        // Documented status, body of neither schema.
        json(403, r#"{"error":"Gamma","detail":"x"}"#),
        // Documented status and schema, but cut at the kept length.
        json(
            403,
            &format!(r#"{{"error":"Alpha","detail":"{long_detail}"}}"#),
        ),
        // 404 is not documented for this operation: no hard-wired mapping any more.
        json(404, r#"{"error":"ResourceNotFound","detail":"gone"}"#),
    ])
    .await;
    let polar = client(&server);
    for (status, truncated) in [(409, false), (403, false), (403, true), (404, false)] {
        let err = polar.send_empty(spec(&TYPED), options()).await.unwrap_err();
        let Error::Api(api) = &err else {
            panic!("{status}: {err:?}");
        };
        assert_eq!(api.status().as_u16(), status);
        assert_eq!(api.body_truncated(), truncated, "{status}");
    }
}

#[tokio::test]
async fn a_public_operation_sends_no_authorization() {
    let server = Server::start(vec![json(200, "{}")]).await;
    client(&server)
        .send_empty(spec(&PUBLIC), options())
        .await
        .unwrap();
    assert_eq!(server.seen()[0].header_values("authorization").len(), 0);
}

#[tokio::test]
async fn a_customer_operation_prefers_the_customer_token() {
    let server = Server::start(vec![json(200, "{}")]).await;
    let both = Polar::builder()
        .access_token(ORG)
        .customer_session_token(CUSTOMER)
        .server_url(server.url())
        .build()
        .unwrap();
    both.send_empty(spec(&CUSTOMER_OP), options())
        .await
        .unwrap();
    both.send_empty(spec(&GET), options()).await.unwrap();
    let org_only = client(&server);
    org_only
        .send_empty(spec(&CUSTOMER_OP), options())
        .await
        .unwrap();
    let customer_only = Polar::builder()
        .customer_session_token(CUSTOMER)
        .server_url(server.url())
        .build()
        .unwrap();
    customer_only
        .send_empty(spec(&GET), options())
        .await
        .unwrap();

    let sent: Vec<String> = server
        .seen()
        .iter()
        .map(|s| s.header("authorization").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        sent,
        [
            format!("Bearer {CUSTOMER}"),
            format!("Bearer {ORG}"),
            format!("Bearer {ORG}"),
            format!("Bearer {CUSTOMER}"),
        ]
    );
}

#[test]
fn every_token_is_redacted_and_each_is_checked() {
    let builder = Polar::builder()
        .access_token(ORG)
        .customer_session_token(CUSTOMER)
        .member_session_token(MEMBER);
    let polar = builder.clone().build().unwrap();
    for shown in [format!("{builder:?}"), format!("{polar:?}")] {
        for secret in [ORG, CUSTOMER, MEMBER, "SECRET"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains("member_session_token: Some(<redacted>)"),
            "{shown}"
        );
    }
    assert!(Polar::builder()
        .member_session_token(MEMBER)
        .build()
        .is_ok());
    for bad in [
        Polar::builder().customer_session_token(" "),
        Polar::builder()
            .access_token(ORG)
            .member_session_token("a\nb"),
        Polar::builder(),
    ] {
        let err = bad.build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        assert!(!err.to_string().contains(ORG));
    }
}

#[test]
fn the_client_and_the_new_public_types_can_cross_threads() {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send + 'static>() {}
    send_sync::<Polar>();
    send_sync::<MaybeReady<models::ResourceNotFound>>();
    send_sync::<ErrorBody>();
    send::<ByteStream>();
}
