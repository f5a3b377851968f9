//! Types users send (request bodies and what they contain): built with `new` and setters,
//! they serialize exactly to the shape the API document describes, and read back equal.

use polar_sdk::models::{
    CountAggregation, Filter, FilterClause, FilterClauseValue, FilterClausesItem,
    FilterConjunction, FilterOperator, MeterAggregation, PropertyAggregation,
    PropertyAggregationFunc, UniqueAggregation,
};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

/// Serializes `value`, checks the JSON, and checks that decoding it gives `value` back.
fn sends<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    value: &T,
    expected: Value,
) {
    let sent = serde_json::to_value(value).unwrap();
    assert_eq!(sent, expected);
    let back: T = serde_json::from_value(sent).unwrap();
    assert_eq!(&back, value);
}

/// A `const` tag is not an argument: `new` fills it, so a union variant always carries it.
#[test]
fn constructors_fill_const_tags() {
    sends(&CountAggregation::new(), json!({"func": "count"}));
    sends(&CountAggregation::default(), json!({"func": "count"}));
    sends(
        &UniqueAggregation::new("user_id"),
        json!({"func": "unique", "property": "user_id"}),
    );
}

/// A tagged union body is the variant's object with its tag, nothing around it.
#[test]
fn tagged_union_serializes_as_its_variant_with_the_tag() {
    sends(
        &MeterAggregation::Unique(UniqueAggregation::new("user_id")),
        json!({"func": "unique", "property": "user_id"}),
    );
    sends(
        &MeterAggregation::Property(PropertyAggregation::new(
            PropertyAggregationFunc::Sum,
            "tokens",
        )),
        json!({"func": "sum", "property": "tokens"}),
    );
    sends(
        &MeterAggregation::Count(CountAggregation::new()),
        json!({"func": "count"}),
    );
}

/// An untagged union takes its variants through `From`, also where the variant is boxed
/// (`Filter` inside `Filter`), and serializes as the variant itself.
#[test]
fn untagged_union_converts_from_its_variants() {
    let clause = FilterClause::new(
        "name",
        FilterOperator::Eq,
        FilterClauseValue::String("api".into()),
    );
    let nested = Filter::new(
        FilterConjunction::Or,
        [FilterClausesItem::from(FilterClause::new(
            "tokens",
            FilterOperator::Gt,
            FilterClauseValue::Integer(10),
        ))],
    );
    let filter = Filter::new(FilterConjunction::And, [clause.into(), nested.into()]);
    sends(
        &filter,
        json!({
            "conjunction": "and",
            "clauses": [
                {"property": "name", "operator": "eq", "value": "api"},
                {"conjunction": "or", "clauses": [
                    {"property": "tokens", "operator": "gt", "value": 10}
                ]}
            ]
        }),
    );
}
