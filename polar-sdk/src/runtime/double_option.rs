//! `Option<Option<T>>` for optional *and* nullable fields.
//!
//! Used as
//! `#[serde(default, skip_serializing_if = "Option::is_none", with = "crate::runtime::double_option")]`:
//! an absent field is `None`, an explicit `null` is `Some(None)` and a value is `Some(Some(v))`,
//! in both directions.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Serializes `Some(Some(v))` as `v` and `Some(None)` as `null`.
///
/// `None` is normally skipped by `skip_serializing_if`; if it is not, it is written as `null`.
#[allow(dead_code)] // Used only when the document has an optional nullable field.
pub(crate) fn serialize<T: Serialize, S: Serializer>(
    value: &Option<Option<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(Some(v)) => v.serialize(serializer),
        Some(None) | None => serializer.serialize_none(),
    }
}

/// Deserializes a present field: `null` → `Some(None)`, a value → `Some(Some(v))`.
///
/// An absent field never reaches this function; `#[serde(default)]` makes it `None`.
#[allow(dead_code)] // Used only when the document has an optional nullable field.
pub(crate) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct S {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::runtime::double_option"
        )]
        v: Option<Option<i64>>,
    }

    #[test]
    fn three_states_round_trip() {
        for (json, value) in [
            ("{}", None),
            (r#"{"v":null}"#, Some(None)),
            (r#"{"v":5}"#, Some(Some(5))),
        ] {
            let parsed: S = serde_json::from_str(json).unwrap();
            assert_eq!(parsed, S { v: value }, "{json}");
            assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
        }
    }

    #[test]
    fn wrong_type_is_an_error() {
        assert!(serde_json::from_str::<S>(r#"{"v":"x"}"#).is_err());
    }
}
