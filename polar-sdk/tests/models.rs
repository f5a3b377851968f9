//! Decoding of the generated models: forward compatibility and round trips.

mod support;

use polar_sdk::models::{
    AddressCountry, Customer, CustomerMeter, CustomerMeterSortProperty, FilterClausesItem,
    FilterOperator, ListResourceCustomerMeter, MetadataOutputTypeValue, MeterAggregation,
    MeterUnit, TaxIdFormat,
};
use serde_json::{json, Value};
use support::{client, meter_json, uuid, Reply, TestServer};

/// A customer meter as a newer server might send it.
fn future_meter() -> Value {
    let mut v: Value = serde_json::from_str(&meter_json(1)).unwrap();
    v["brand_new_field"] = json!({"nested": [1, 2]});
    v["meter"]["unit"] = json!("liters");
    v["meter"]["another_new_field"] = json!(true);
    v["meter"]["archived_at"] = Value::Null;
    v["meter"]["aggregation"] = json!({"func": "p99", "property": "latency"});
    v["meter"]["filter"]["clauses"][0]["operator"] = json!("regex");
    v["customer"] = json!({"id": uuid(0xC0), "type": "robot", "serial": "R2"});
    v
}

#[test]
fn unknown_enum_values_union_tags_and_fields_decode_and_keep_raw_values() {
    let raw = future_meter();
    let meter: CustomerMeter = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(meter.id, uuid(1));
    assert_eq!(
        meter
            .unknown_fields
            .get("brand_new_field")
            .unwrap()
            .to_value()
            .unwrap(),
        json!({"nested": [1, 2]})
    );
    assert_eq!(meter.meter.unit, MeterUnit::Unknown("liters".into()));
    assert_eq!(meter.meter.unit.as_str(), "liters");
    assert_eq!(
        meter
            .meter
            .unknown_fields
            .get("another_new_field")
            .unwrap()
            .as_str(),
        "true"
    );
    assert_eq!(meter.meter.archived_at, Some(None));
    match &meter.customer {
        Customer::Unknown(v) => assert_eq!(v.to_value().unwrap(), raw["customer"]),
        other => panic!("{other:?}"),
    }
    match &meter.meter.aggregation {
        MeterAggregation::Unknown(v) => {
            assert_eq!(v.to_value().unwrap(), raw["meter"]["aggregation"])
        }
        other => panic!("{other:?}"),
    }
    let clause = serde_json::to_value(&meter.meter.filter.clauses[0]).unwrap();
    assert_eq!(clause["operator"], "regex");
    // Everything survives a round trip.
    assert_eq!(serde_json::to_value(&meter).unwrap(), raw);
}

#[test]
fn known_values_decode_to_variants_and_round_trip() {
    let meter: CustomerMeter = serde_json::from_str(&meter_json(1)).unwrap();
    assert_eq!(meter.meter.unit, MeterUnit::Scalar);
    assert_eq!(meter.meter.archived_at, None);
    assert_eq!(meter.modified_at, None);
    assert_eq!(meter.credited_units, 100);
    assert_eq!(meter.consumed_units, 12.5);
    assert!(meter.unknown_fields.is_empty());
    assert!(matches!(
        meter.meter.aggregation,
        MeterAggregation::Count(_)
    ));
    match &meter.customer {
        Customer::Individual(c) => {
            assert_eq!(c.email, "jane@example.com");
            assert_eq!(c.external_id, Some(Some("ext_1".to_string())));
            assert_eq!(
                c.metadata["seats"],
                MetadataOutputTypeValue::Integer(3.into())
            );
            assert!(c.unknown_fields.is_empty());
        }
        other => panic!("{other:?}"),
    }
    let clause = serde_json::to_value(&meter.meter.filter.clauses[0]).unwrap();
    assert_eq!(clause["operator"], FilterOperator::Eq.as_str());
    // Nullable fields stay `null`, absent optional ones stay absent.
    let original: Value = serde_json::from_str(&meter_json(1)).unwrap();
    assert_eq!(serde_json::to_value(&meter).unwrap(), original);
}

#[test]
fn a_known_tag_with_a_bad_body_is_an_error() {
    let mut v: Value = serde_json::from_str(&meter_json(1)).unwrap();
    v["customer"]["email"] = json!(42);
    let err = serde_json::from_value::<CustomerMeter>(v).unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
}

#[test]
fn open_enum_parse_and_display() {
    let s: CustomerMeterSortProperty = "-balance".parse().unwrap();
    assert_eq!(s, CustomerMeterSortProperty::BalanceDesc);
    let u: CustomerMeterSortProperty = "-new".parse().unwrap();
    assert_eq!(u, CustomerMeterSortProperty::Unknown("-new".into()));
    assert_eq!(u.to_string(), "-new");
    assert_eq!(serde_json::to_string(&u).unwrap(), r#""-new""#);
}

#[tokio::test]
async fn future_fields_decode_through_the_client() {
    let server = TestServer::scripted(vec![Reply::json(200, &future_meter().to_string())]).await;
    let meter = client(&server)
        .customer_meters()
        .get(uuid(1))
        .send()
        .await
        .unwrap();
    assert!(matches!(meter.customer, Customer::Unknown(_)));
    assert_eq!(meter.meter.unit, MeterUnit::Unknown("liters".into()));
    assert!(meter.unknown_fields.contains_key("brand_new_field"));
}

#[tokio::test]
async fn a_wrong_type_reports_its_path() {
    let mut v: Value = serde_json::from_str(&meter_json(1)).unwrap();
    v["meter"]["created_at"] = json!("yesterday");
    let server = TestServer::scripted(vec![Reply::json(200, &v.to_string())]).await;
    match client(&server)
        .customer_meters()
        .get(uuid(1))
        .send()
        .await
        .unwrap_err()
    {
        polar_sdk::Error::Decode(e) => {
            assert_eq!(e.path(), "meter.created_at");
            assert_eq!(e.body_text(), v.to_string());
        }
        other => panic!("{other:?}"),
    }
}

/// The shapes the generator promises, on one realistic object from the wire.
#[test]
fn generated_shapes_keep_what_the_wire_says() {
    use polar_sdk::models::{FilterClauseValue, FilterClausesItem, TaxIdFormat};
    let mut raw: Value = serde_json::from_str(&meter_json(7)).unwrap();
    raw["created_at"] = json!("2025-03-04T05:06:07.123456Z");
    raw["customer"]["tax_id"] = json!(["FR61954506077", "eu_vat"]);
    raw["customer"]["type"] = json!("individual");
    raw["meter"]["filter"] = json!({
        "conjunction": "and",
        "clauses": [
            {"property": "name", "operator": "eq", "value": 42},
            {"conjunction": "or", "clauses": [{"property": "ok", "operator": "ne", "value": true}]}
        ]
    });
    let meter: CustomerMeter = serde_json::from_value(raw.clone()).unwrap();

    // Microseconds survive decoding and re-encoding.
    assert_eq!(meter.created_at.timestamp_subsec_micros(), 123_456);
    let Customer::Individual(customer) = &meter.customer else {
        panic!("{:?}", meter.customer)
    };
    // The prefixItems tuple is a Rust tuple with a typed second element.
    assert_eq!(
        customer.tax_id,
        Some(("FR61954506077".to_owned(), TaxIdFormat::EuVat))
    );
    // The recursive filter: a clause and a nested (boxed) filter.
    let clauses = &meter.meter.filter.clauses;
    assert!(
        matches!(&clauses[0], FilterClausesItem::FilterClause(c) if c.value == FilterClauseValue::Integer(42))
    );
    match &clauses[1] {
        FilterClausesItem::Filter(inner) => assert_eq!(inner.clauses.len(), 1),
        other => panic!("{other:?}"),
    }
    // Everything known re-encodes to the same JSON.
    let again = serde_json::to_value(&meter).unwrap();
    assert_eq!(again["created_at"], json!("2025-03-04T05:06:07.123456Z"));
    assert_eq!(again["customer"]["tax_id"], raw["customer"]["tax_id"]);
    assert_eq!(again["meter"]["filter"], raw["meter"]["filter"]);
    let back: CustomerMeter = serde_json::from_value(again).unwrap();
    assert_eq!(back, meter);
}

#[test]
fn nullable_required_fields_are_written_as_null_and_optional_ones_left_out_when_absent() {
    let raw: Value = serde_json::from_str(&meter_json(3)).unwrap();
    let meter: CustomerMeter = serde_json::from_value(raw).unwrap();
    let encoded = serde_json::to_value(&meter).unwrap();
    // `modified_at` is required and nullable: always written, as null when empty.
    assert!(encoded.as_object().unwrap().contains_key("modified_at"));
    // `archived_at` is optional: left out when absent, written as null when null.
    let mut absent = meter.meter.clone();
    absent.archived_at = None;
    assert!(!serde_json::to_value(&absent)
        .unwrap()
        .as_object()
        .unwrap()
        .contains_key("archived_at"));
    let mut null = meter.meter.clone();
    null.archived_at = Some(None);
    assert_eq!(
        serde_json::to_value(&null).unwrap()["archived_at"],
        Value::Null
    );
}

/// A page with a nested filter (an untagged union inside itself), a customer whose tag comes
/// after other fields, and country and tax-id enums (looked up in their index).
fn rich_page() -> String {
    let item = meter_json(7)
        .replace(
            r#""clauses": [{"property": "name", "operator": "eq", "value": "api_call"}]"#,
            r#""clauses": [{"property": "name", "operator": "eq", "value": "api_call"},
                {"conjunction": "or", "clauses": [{"property": "n", "operator": "gt", "value": 3}]}]"#,
        )
        .replace(
            r#""billing_address": null"#,
            r#""billing_address": {"line1": null, "line2": null, "postal_code": "94103",
                "city": "San Francisco", "state": "US-CA", "country": "US"}"#,
        )
        .replace(r#""tax_id": null"#, r#""tax_id": ["911144442", "us_ein"]"#);
    format!(r#"{{"items": [{item}, {item}], "pagination": {{"total_count": 2, "max_page": 1}}}}"#)
}

#[test]
fn corrupted_pages_fail_or_decode_but_never_panic() {
    let page = rich_page();
    let decoded: ListResourceCustomerMeter = serde_json::from_str(&page).unwrap();
    // The page exercises what it should: a nested filter, an address, a tax id.
    let meter = &decoded.items[0];
    assert!(matches!(
        &meter.meter.filter.clauses[1],
        FilterClausesItem::Filter(inner) if inner.clauses.len() == 1
    ));
    let Customer::Individual(customer) = &meter.customer else {
        panic!("{:?}", meter.customer)
    };
    let address = customer.billing_address.as_ref().unwrap();
    assert_eq!(address.country, AddressCountry::Us);
    assert_eq!(customer.tax_id.as_ref().unwrap().1, TaxIdFormat::UsEin);
    const PIECES: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        "\"",
        ",",
        ":",
        "\\",
        "\\\"",
        "\"type\"",
        "null",
        "1e400",
        " ",
        "\"individual\"",
        "\"conjunction\"",
        "\"property\"",
        "\u{e9}",
    ];
    let mut rng = fastrand::Rng::with_seed(3);
    let (mut decode_ok, mut decode_err) = (0, 0);
    for _ in 0..5_000 {
        let mut text = page.clone();
        for _ in 0..rng.usize(1..4) {
            // A cut on a character boundary, then a deletion or an insertion there.
            let mut at = rng.usize(..text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            if rng.bool() {
                let mut end = (at + rng.usize(1..12)).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.replace_range(at..end, "");
            } else {
                text.insert_str(at, PIECES[rng.usize(..PIECES.len())]);
            }
        }
        match serde_json::from_str::<ListResourceCustomerMeter>(&text) {
            // What decodes writes back out and decodes to the same value.
            Ok(page) => {
                decode_ok += 1;
                let again = serde_json::to_string(&page).unwrap();
                let reread: ListResourceCustomerMeter = serde_json::from_str(&again).unwrap();
                assert_eq!(reread, page, "{text}");
            }
            Err(_) => decode_err += 1,
        }
    }
    assert!(
        decode_ok > 100 && decode_err > 100,
        "{decode_ok} {decode_err}"
    );
}
