//! Data this SDK version does not know (unknown fields, unknown union members) is kept as the
//! exact JSON text the server sent and written back byte for byte: numbers beyond `u64`, beyond
//! `f64` and with more digits than a double holds included.

use polar_sdk::models::{
    CountAggregation, Customer, CustomerMeter, MetadataOutputTypeValue, MeterAggregation,
    Pagination,
};
use serde::{de::DeserializeOwned, Serialize};

mod support;

/// Numbers that `serde_json::Value` cannot hold as written.
const NUMBERS: [&str; 3] = [
    "18446744073709551617000",
    "1e400",
    "0.1000000000000000055511151231257827",
];

/// Decodes `text`, encodes the result, and returns the encoded text.
fn again<T: DeserializeOwned + Serialize>(text: &str) -> String {
    let decoded: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    serde_json::to_string(&decoded).unwrap()
}

#[test]
fn unknown_struct_fields_round_trip_byte_exact() {
    for number in NUMBERS {
        let text = format!(r#"{{"total_count":1,"extra":{number},"max_page":2}}"#);
        let out = again::<Pagination>(&text);
        assert!(
            out.contains(&format!(r#""extra":{number}"#)),
            "{number}: {out}"
        );
        // Nested, and with the spacing it came with.
        let text = format!(r#"{{"total_count":1,"max_page":2,"x":{{"a": [ {number}, true ]}}}}"#);
        let out = again::<Pagination>(&text);
        assert!(
            out.contains(&format!(r#""x":{{"a": [ {number}, true ]}}"#)),
            "{number}: {out}"
        );
    }
}

#[test]
fn unknown_fields_of_a_whole_response_round_trip_byte_exact() {
    let mut meter: serde_json::Value = serde_json::from_str(METER).unwrap();
    meter["customer"]["x_new"] = serde_json::json!("placeholder");
    let text = serde_json::to_string(&meter)
        .unwrap()
        .replace(r#""placeholder""#, NUMBERS[0]);
    let out = again::<CustomerMeter>(&text);
    assert!(out.contains(&format!(r#""x_new":{}"#, NUMBERS[0])), "{out}");
}

#[test]
fn unknown_tagged_members_round_trip_byte_exact() {
    for number in NUMBERS {
        // Unknown tag, with fields before and after it.
        let text = format!(r#"{{"a":{number},"func":"p99","b":[{number}],"property":"x"}}"#);
        let decoded: MeterAggregation = serde_json::from_str(&text).unwrap();
        assert!(
            matches!(decoded, MeterAggregation::Unknown(_)),
            "{decoded:?}"
        );
        assert_eq!(serde_json::to_string(&decoded).unwrap(), text);
        // No tag and no default variant that fits.
        let text = format!(r#"{{"id":{number}}}"#);
        assert_eq!(again::<Customer>(&text), text);
        // A known tag: the variant keeps unknown fields read before and after the tag.
        let text = format!(r#"{{"a":{number},"func":"count","b":{number}}}"#);
        let out = again::<MeterAggregation>(&text);
        assert!(out.contains(&format!(r#""a":{number}"#)), "{out}");
        assert!(out.contains(&format!(r#""b":{number}"#)), "{out}");
        // An array where an object belongs.
        let text = format!(r#"[{number},{{"n":{number}}}]"#);
        assert_eq!(again::<Customer>(&text), text);
    }
}

#[test]
fn unknown_scalar_union_members_round_trip_byte_exact() {
    for number in NUMBERS {
        for text in [format!("[{number}]"), format!(r#"{{"n": {number}}}"#)] {
            let decoded: MetadataOutputTypeValue = serde_json::from_str(&text).unwrap();
            assert!(
                matches!(decoded, MetadataOutputTypeValue::Unknown(_)),
                "{decoded:?}"
            );
            assert_eq!(serde_json::to_string(&decoded).unwrap(), text);
        }
    }
}

#[test]
fn struct_decoding_keeps_its_rules() {
    // A missing required field is named.
    let err = serde_json::from_str::<Pagination>(r#"{"total_count":1}"#).unwrap_err();
    assert!(
        err.to_string().contains("missing field `max_page`"),
        "{err}"
    );
    // A known field twice is rejected, naming it.
    let err = serde_json::from_str::<Pagination>(r#"{"total_count":1,"max_page":1,"max_page":2}"#)
        .unwrap_err();
    assert!(
        err.to_string().contains("duplicate field `max_page`"),
        "{err}"
    );
    // An unknown field twice: the last one wins.
    let out = again::<Pagination>(r#"{"total_count":1,"max_page":1,"x":1,"x":[2]}"#);
    assert_eq!(out, r#"{"total_count":1,"max_page":1,"x":[2]}"#);
    // Unknown fields are written after the known ones, sorted by name.
    let out = again::<Pagination>(r#"{"b":2,"total_count":1,"a":1,"max_page":1}"#);
    assert_eq!(out, r#"{"total_count":1,"max_page":1,"a":1,"b":2}"#);
    // Not an object.
    let err = serde_json::from_str::<Pagination>("[1, 2]").unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
    // An optional field left out stays out; a wrong type in a field is an error.
    assert_eq!(again::<CountAggregation>("{}"), "{}");
    let err = serde_json::from_str::<CountAggregation>(r#"{"func": 3}"#).unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
    // A required nullable field left out reads as null, as serde's derive does.
    let mut meter: serde_json::Value = serde_json::from_str(METER).unwrap();
    meter.as_object_mut().unwrap().remove("modified_at");
    let decoded: CustomerMeter = serde_json::from_value(meter).unwrap();
    assert_eq!(decoded.modified_at, None);
    // A number field still names a value that does not fit.
    let mut meter: serde_json::Value = serde_json::from_str(METER).unwrap();
    meter["balance"] = serde_json::json!("x");
    assert!(serde_json::from_value::<CustomerMeter>(meter).is_err());
    let text = METER.replace(r#""balance":87.5"#, r#""balance":1e400"#);
    let err = serde_json::from_str::<CustomerMeter>(&text).unwrap_err();
    assert!(err.to_string().contains("1e400"), "{err}");
}

const METER: &str = r#"{"id":"00000000-0000-0000-0000-000000000001","created_at":"2025-01-02T03:04:05Z","modified_at":null,"customer_id":"00000000-0000-0000-0000-0000000000c0","meter_id":"00000000-0000-0000-0000-0000000000d0","consumed_units":12.5,"credited_units":100,"balance":87.5,"customer":{"id":"00000000-0000-0000-0000-0000000000c0","created_at":"2024-11-01T00:00:00Z","modified_at":null,"metadata":{"plan":"pro","seats":3},"external_id":"ext_1","email":"jane@example.com","email_verified":true,"type":"individual","name":"Jane","billing_name":null,"billing_address":null,"tax_id":null,"organization_id":"00000000-0000-0000-0000-0000000000e0","deleted_at":null,"first_user_event_at":null,"avatar_url":null},"meter":{"metadata":{},"created_at":"2025-01-01T00:00:00Z","modified_at":null,"id":"00000000-0000-0000-0000-0000000000d0","name":"API calls","unit":"scalar","filter":{"conjunction":"and","clauses":[{"property":"name","operator":"eq","value":"api_call"}]},"aggregation":{"func":"count"},"organization_id":"00000000-0000-0000-0000-0000000000e0"}}"#;

/// The client's decode error still names the path when unknown data (kept as text) and an
/// unknown union member come before the bad field; a good body keeps them through the client.
#[tokio::test]
async fn through_the_client_unknown_text_is_kept_and_errors_keep_their_path() {
    use support::{client, meter_json, uuid, Reply, TestServer};
    let with = |extra: &str, bad: bool| {
        let mut text = meter_json(1).replacen('{', &format!(r#"{{"x_new": {extra},"#), 1);
        text = text.replacen(
            r#""meter": {"#,
            &format!(r#""meter": {{"x_inner": [{extra}],"#),
            1,
        );
        if bad {
            text = text.replace(r#""name": "API calls""#, r#""name": 5"#);
        }
        text
    };
    let good = with(NUMBERS[0], false);
    let bad = with(NUMBERS[1], true);
    assert_ne!(good, meter_json(1), "the fixture changed shape");
    let server = TestServer::scripted(vec![Reply::json(200, &good), Reply::json(200, &bad)]).await;
    let polar = client(&server);
    let meter = polar.customer_meters().get(uuid(1)).send().await.unwrap();
    assert_eq!(
        meter.unknown_fields.get("x_new").unwrap().as_str(),
        NUMBERS[0]
    );
    assert_eq!(
        meter.meter.unknown_fields.get("x_inner").unwrap().as_str(),
        format!("[{}]", NUMBERS[0])
    );
    match polar
        .customer_meters()
        .get(uuid(1))
        .send()
        .await
        .unwrap_err()
    {
        polar_sdk::Error::Decode(e) => assert_eq!(e.path(), "meter.name"),
        other => panic!("{other:?}"),
    }
}
