//! Numbers, defaults and dates decode to exactly what the wire says, and encode back to it.
//!
//! Bodies are built as text: `serde_json::Value` would round the very numbers under test.

mod support;

use chrono::{Datelike, TimeZone, Utc};
use polar_sdk::models::{CustomerMeter, MetadataOutputTypeValue, MeterAggregation};
use support::{client, meter_json, uuid, Reply, TestServer};

/// `meter_json(1)` with `"name": old` replaced by `"name": new` (exactly once).
fn meter_with(replacements: &[(&str, &str)]) -> String {
    let mut text = meter_json(1);
    for (old, new) in replacements {
        assert_eq!(text.matches(old).count(), 1, "{old} is in the fixture once");
        text = text.replacen(old, new, 1);
    }
    text
}

fn list_body(item: &str, total_count: &str, max_page: &str) -> String {
    format!(
        r#"{{"items": [{item}], "pagination": {{"total_count": {total_count}, "max_page": {max_page}}}}}"#
    )
}

#[test]
fn doubles_decode_to_the_nearest_double_and_never_drift() {
    let text = meter_with(&[
        (r#""balance": 87.5"#, r#""balance": 5.960464477539063e-08"#),
        (
            r#""consumed_units": 12.5"#,
            r#""consumed_units": 2.2250738585072014e-308"#,
        ),
    ]);
    let mut meter: CustomerMeter = serde_json::from_str(&text).unwrap();
    assert_eq!(meter.balance.to_bits(), 5.960464477539063e-8f64.to_bits());
    assert_eq!(meter.consumed_units.to_bits(), f64::MIN_POSITIVE.to_bits());
    for _ in 0..10 {
        let again: CustomerMeter =
            serde_json::from_str(&serde_json::to_string(&meter).unwrap()).unwrap();
        assert_eq!(again.balance.to_bits(), meter.balance.to_bits());
        assert_eq!(
            again.consumed_units.to_bits(),
            meter.consumed_units.to_bits()
        );
        meter = again;
    }
}

#[test]
fn integers_beyond_i64_stay_exact_in_fields_and_metadata() {
    let text = meter_with(&[
        (
            r#""credited_units": 100"#,
            r#""credited_units": 18446744073709551617"#,
        ),
        (
            r#""unit": "scalar","#,
            r#""unit": "scalar", "custom_multiplier": -99999999999999999999999,"#,
        ),
        (
            r#""seats": 3"#,
            r#""seats": 18446744073709551617, "ratio": 2.0"#,
        ),
    ]);
    let meter: CustomerMeter = serde_json::from_str(&text).unwrap();
    assert_eq!(meter.credited_units.to_string(), "18446744073709551617");
    let multiplier = meter.meter.custom_multiplier.clone().flatten().unwrap();
    assert_eq!(multiplier.to_string(), "-99999999999999999999999");
    let polar_sdk::models::Customer::Individual(customer) = &meter.customer else {
        panic!("{:?}", meter.customer);
    };
    match &customer.metadata["seats"] {
        MetadataOutputTypeValue::Integer(n) => assert_eq!(n.to_string(), "18446744073709551617"),
        other => panic!("{other:?}"),
    }
    // A float stays a float where the union has a number variant.
    assert_eq!(
        customer.metadata["ratio"],
        MetadataOutputTypeValue::Number(2.0)
    );
    let encoded = serde_json::to_string(&meter).unwrap();
    for digits in [
        r#""credited_units":18446744073709551617"#,
        r#""custom_multiplier":-99999999999999999999999"#,
        r#""seats":18446744073709551617"#,
    ] {
        assert!(encoded.contains(digits), "{digits} in {encoded}");
    }
}

#[test]
fn integral_floats_are_integers() {
    let text = meter_with(&[(r#""credited_units": 100"#, r#""credited_units": 1.0e2"#)]);
    let meter: CustomerMeter = serde_json::from_str(&text).unwrap();
    assert_eq!(meter.credited_units.to_string(), "100");
    let text = meter_with(&[(r#""credited_units": 100"#, r#""credited_units": 100.5"#)]);
    let err = serde_json::from_str::<CustomerMeter>(&text).unwrap_err();
    assert!(err.to_string().contains("100.5"), "{err}");
}

#[tokio::test]
async fn page_counts_accept_every_integer_the_schema_allows() {
    let item = meter_json(1);
    let server = TestServer::scripted(vec![
        Reply::json(200, &list_body(&item, "1.0", "1e0")),
        Reply::json(
            200,
            &list_body(
                &item,
                "100000000000000000000000000000",
                "18446744073709551617",
            ),
        ),
    ])
    .await;
    let polar = client(&server);
    let page = polar.customer_meters().list().send().await.unwrap();
    assert_eq!(
        (page.pagination.total_count, page.pagination.max_page),
        (1, 1)
    );
    let page = polar.customer_meters().list().send().await.unwrap();
    // Beyond `i64`, the page info is clamped; the decoded response itself is exact.
    assert_eq!(page.pagination.total_count, i64::MAX);
    assert_eq!(page.pagination.max_page, i64::MAX);
    assert_eq!(page.items.len(), 1);
}

#[tokio::test]
async fn a_number_no_f64_holds_fails_naming_the_field_and_the_value() {
    let text = meter_with(&[(r#""consumed_units": 12.5"#, r#""consumed_units": 1e400"#)]);
    let server = TestServer::scripted(vec![Reply::json(200, &text)]).await;
    let err = client(&server)
        .customer_meters()
        .get(uuid(1))
        .send()
        .await
        .unwrap_err();
    let polar_sdk::Error::Decode(e) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(e.path(), "consumed_units");
    assert!(err.to_string().contains("1e400"), "{err}");
}

#[test]
fn an_aggregation_without_func_takes_the_schema_default() {
    let count = meter_with(&[(
        r#""aggregation": {"func": "count"}"#,
        r#""aggregation": {}"#,
    )]);
    let meter: CustomerMeter = serde_json::from_str(&count).unwrap();
    assert!(
        matches!(meter.meter.aggregation, MeterAggregation::Count(_)),
        "{:?}",
        meter.meter.aggregation
    );
    let unique = meter_with(&[(
        r#""aggregation": {"func": "count"}"#,
        r#""aggregation": {"property": "user_id"}"#,
    )]);
    let meter: CustomerMeter = serde_json::from_str(&unique).unwrap();
    match &meter.meter.aggregation {
        MeterAggregation::Unique(u) => assert_eq!(u.property, "user_id"),
        other => panic!("{other:?}"),
    }
    // Written back as it came: the default is not spelled out.
    let encoded = serde_json::to_value(&meter).unwrap();
    assert_eq!(
        encoded["meter"]["aggregation"],
        serde_json::json!({"property": "user_id"})
    );
}

#[test]
fn timestamps_outside_rfc_3339_years_are_not_written() {
    let mut meter: CustomerMeter = serde_json::from_str(&meter_json(1)).unwrap();
    for year in [10_000, -1, 262_142] {
        meter.created_at = Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).unwrap();
        match serde_json::to_string(&meter) {
            // RFC 3339 has four-digit years: anything written must read back as RFC 3339.
            Ok(text) => {
                let written =
                    &serde_json::from_str::<serde_json::Value>(&text).unwrap()["created_at"];
                let written = written.as_str().unwrap();
                assert!(
                    chrono::DateTime::parse_from_rfc3339(written).is_ok(),
                    "year {year} written as {written}"
                );
            }
            Err(e) => assert!(e.to_string().contains("RFC 3339"), "{e}"),
        }
    }
    for year in [0, 1, 9999] {
        meter.created_at = Utc.with_ymd_and_hms(year, 12, 31, 23, 59, 59).unwrap();
        let text = serde_json::to_string(&meter).unwrap();
        let back: CustomerMeter = serde_json::from_str(&text).unwrap();
        assert_eq!(back.created_at.year(), year);
        assert_eq!(back, meter);
    }
}
