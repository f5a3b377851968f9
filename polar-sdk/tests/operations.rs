//! Every construct of the request pipeline, through the generated operations: bodies (JSON,
//! PATCH absent/null/value, unions, form), `deepObject` filters, nested resources, `204`,
//! `202`-or-`200`, CSV streams, typed errors per status and the token each operation takes.

mod support;

use futures::TryStreamExt;
use polar_sdk::models::{
    AuthorizationCodeTokenRequest, CustomerIndividualCreate, CustomerUpdate,
    MemberCreateFromCustomer, MetadataQueryValue,
};
use polar_sdk::{Error, ErrorBody, MaybeReady};
use support::{client, page_body, uuid, within, Reply, TestServer, TOKEN};

fn json_body(recorded: &support::Recorded) -> serde_json::Value {
    serde_json::from_slice(&recorded.body).expect("a JSON request body")
}

fn validation_error() -> Reply {
    Reply::json(
        422,
        r#"{"detail":[{"loc":["body","email"],"msg":"bad","type":"value_error"}]}"#,
    )
}

#[tokio::test]
async fn a_union_body_is_sent_as_its_variant_with_the_tag() {
    let server = TestServer::scripted(vec![validation_error()]).await;
    let body = CustomerIndividualCreate::new("ada@example.com").name("Ada");
    let error = within(client(&server).customers().create(body).send())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::HttpValidation(_)), "{error:?}");
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path(), "/v1/customers/");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        json_body(request),
        serde_json::json!({"type": "individual", "email": "ada@example.com", "name": "Ada"})
    );
}

#[tokio::test]
async fn a_patch_body_sends_set_fields_and_nulls_and_leaves_the_rest_out() {
    let server = TestServer::scripted(vec![validation_error()]).await;
    let id = uuid(7);
    let body = CustomerUpdate::new().name("Grace").clear_tax_id();
    let _ = within(client(&server).customers().update(id, body).send()).await;
    let request = &server.requests()[0];
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.path(), format!("/v1/customers/{id}"));
    // Exactly the two fields touched: `tax_id` cleared, `name` set, nothing else sent.
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        r#"{"name":"Grace","tax_id":null}"#
    );
}

#[tokio::test]
async fn a_no_content_success_is_unit() {
    let server = TestServer::scripted(vec![Reply::full(204, &[], "text/plain", "")]).await;
    let id = uuid(9);
    within(client(&server).customers().delete(id).send())
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.path(), format!("/v1/customers/{id}"));
}

#[tokio::test]
async fn metadata_filters_are_deep_object_pairs() {
    let server = TestServer::scripted(vec![Reply::json(200, &page_body(&[], 0, 0))]).await;
    let metadata: Vec<(&str, MetadataQueryValue)> = vec![
        ("plan", "pro".into()),
        ("seats", 5i64.into()),
        ("tier", vec!["a".to_owned(), "b".to_owned()].into()),
    ];
    let page = within(client(&server).customers().list().metadata(metadata).send())
        .await
        .unwrap();
    assert!(page.items.is_empty());
    assert_eq!(
        server.requests()[0].query(),
        Some("metadata%5Bplan%5D=pro&metadata%5Bseats%5D=5&metadata%5Btier%5D=a&metadata%5Btier%5D=b")
    );
}

#[tokio::test]
async fn nested_resources_reach_their_paths() {
    let server = TestServer::scripted(vec![validation_error()]).await;
    let customer = uuid(3);
    let _ = within(
        client(&server)
            .customers()
            .members()
            .create(customer, MemberCreateFromCustomer::new("m@example.com"))
            .send(),
    )
    .await;
    let request = &server.requests()[0];
    assert_eq!(request.path(), format!("/v1/customers/{customer}/members"));
    assert_eq!(json_body(request)["email"], "m@example.com");
}

#[tokio::test]
async fn a_csv_export_streams_and_collects() {
    let csv = "id,email\n".to_owned() + &"1,a@example.com\n".repeat(5_000);
    let server = TestServer::scripted(vec![Reply::full(200, &[], "text/csv", &csv)]).await;
    // Larger than the response size limit: a stream is not bound by it.
    let stream = within(
        client(&server)
            .orders()
            .export()
            .max_response_size(1_000)
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(stream.content_type(), Some("text/csv"));
    let chunks: Vec<bytes::Bytes> = within(stream.try_collect()).await.unwrap();
    assert_eq!(chunks.concat(), csv.as_bytes());
    assert_eq!(server.requests()[0].header("accept"), Some("text/csv"));
}

#[tokio::test]
async fn a_receipt_is_accepted_first_and_ready_later() {
    let server = TestServer::scripted(vec![
        Reply::full(202, &[], "text/plain", ""),
        Reply::json(404, r#"{"error":"ResourceNotFound","detail":"gone"}"#),
    ])
    .await;
    let polar = client(&server);
    let first = within(polar.orders().receipt(uuid(1)).send())
        .await
        .unwrap();
    assert!(matches!(first, MaybeReady::Accepted), "{first:?}");
    let second = within(polar.orders().receipt(uuid(1)).send())
        .await
        .unwrap_err();
    assert!(matches!(second, Error::ResourceNotFound(_)), "{second:?}");
}

#[tokio::test]
async fn documented_errors_decode_per_status_including_unions() {
    let server = TestServer::scripted(vec![
        Reply::json(
            402,
            r#"{"error":"PaymentActionRequired","detail":"3-D Secure"}"#,
        ),
        Reply::json(
            403,
            r#"{"error":"OrganizationNotReadyForPayments","detail":"not yet"}"#,
        ),
        // A 403 body of a schema this operation does not document stays raw.
        Reply::json(403, r#"{"error":"NotPermitted","detail":"no"}"#),
    ])
    .await;
    let polar = client(&server);
    let finalize = || polar.orders().finalize(uuid(2)).send();

    match within(finalize()).await.unwrap_err() {
        Error::Documented {
            status,
            body: ErrorBody::PaymentActionRequired(body),
        } => {
            assert_eq!(status.as_u16(), 402);
            assert_eq!(body.detail, "3-D Secure");
        }
        other => panic!("expected a typed 402, got {other:?}"),
    }
    match within(finalize()).await.unwrap_err() {
        Error::Documented {
            body: ErrorBody::OrganizationNotReadyForPayments(body),
            ..
        } => assert_eq!(body.detail, "not yet"),
        other => panic!("expected the second member of the 403 union, got {other:?}"),
    }
    match within(finalize()).await.unwrap_err() {
        Error::Api(e) => assert_eq!(e.status().as_u16(), 403),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn an_oauth2_token_request_is_a_form_without_the_access_token() {
    let server = TestServer::scripted(vec![validation_error()]).await;
    let body =
        AuthorizationCodeTokenRequest::new("client", "s3cret", "code 1", "https://a.test/cb");
    let _ = within(client(&server).oauth2().request_token(body).send()).await;
    let request = &server.requests()[0];
    assert_eq!(request.path(), "/v1/oauth2/token");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form = String::from_utf8_lossy(&request.body).into_owned();
    assert_eq!(
        form,
        "grant_type=authorization_code&client_id=client&client_secret=s3cret&code=code%201&redirect_uri=https%3A%2F%2Fa.test%2Fcb"
    );
    // The token endpoint authenticates the client by its secret, not by a bearer token.
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn an_organization_operation_sends_the_access_token() {
    let server = TestServer::scripted(vec![Reply::full(204, &[], "text/plain", "")]).await;
    within(client(&server).customers().delete(uuid(1)).send())
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn a_client_without_a_token_calls_public_operations() {
    let server = TestServer::scripted(vec![validation_error(), validation_error()]).await;
    let polar = polar_sdk::Polar::builder()
        .without_token()
        .server_url(server.url())
        .retry(polar_sdk::RetryConfig::none())
        .build()
        .unwrap();
    let body = AuthorizationCodeTokenRequest::new("client", "s3cret", "code", "https://a.test/cb");
    let error = within(polar.oauth2().request_token(body).send())
        .await
        .unwrap_err();
    // The token endpoint documents no error body: its 422 stays raw.
    assert!(
        matches!(&error, Error::Api(e) if e.status().as_u16() == 422),
        "{error:?}"
    );
    // An operation that needs a token goes without one, and the server decides.
    let _ = within(polar.customers().delete(uuid(1)).send()).await;
    for request in server.requests() {
        assert_eq!(request.header("authorization"), None, "{}", request.target);
    }
}
