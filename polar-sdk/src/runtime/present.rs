//! Optional fields of any JSON value, where `null` is a value like any other.
//!
//! serde reads `null` into `Option<serde_json::Value>` as `None`, the same as an absent
//! field, so `"input": null` would be dropped on the way back out. With
//! `#[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "…")]`, an
//! absent field is `None` and a present one, `null` included, is `Some(value)`.

use serde::{Deserialize, Deserializer};

/// Deserializes a present field as `Some`, whatever its value.
#[allow(dead_code)] // Used only when the document has such a field.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct S {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "super::deserialize"
        )]
        input: Option<Value>,
    }

    #[test]
    fn null_is_kept_and_absence_is_none() {
        let null: S = serde_json::from_str(r#"{"input": null}"#).unwrap();
        assert_eq!(null.input, Some(Value::Null));
        assert_eq!(serde_json::to_value(&null).unwrap(), json!({"input": null}));
        let absent: S = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.input, None);
        assert_eq!(serde_json::to_value(&absent).unwrap(), json!({}));
    }
}
