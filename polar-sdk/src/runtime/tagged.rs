//! Internally tagged unions (`{"type": "individual", ...}`) with an `Unknown` fallback.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// Buffers the value, reads the string at `tag_field` (`None` if the value is not an object,
/// the field is missing or not a string) and lets `pick` decode the variant.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    tag_field: &'static str,
    pick: impl FnOnce(Option<&str>, serde_json::Value) -> Result<T, serde_json::Error>,
) -> Result<T, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    // The tag is copied (it is short) because `pick` takes the value by move.
    let tag = value
        .get(tag_field)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    pick(tag.as_deref(), value).map_err(D::Error::custom)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    #[derive(Debug, PartialEq)]
    enum Shape {
        Circle(f64),
        Unknown(Value),
    }

    impl<'de> serde::Deserialize<'de> for Shape {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::deserialize(d, "kind", |tag, value| match tag {
                Some("circle") => {
                    serde_json::from_value::<f64>(value["r"].clone()).map(Shape::Circle)
                }
                _ => Ok(Shape::Unknown(value)),
            })
        }
    }

    #[test]
    fn picks_by_tag() {
        assert_eq!(
            serde_json::from_value::<Shape>(json!({"kind": "circle", "r": 2.0})).unwrap(),
            Shape::Circle(2.0)
        );
        let other = json!({"kind": "hexagon", "n": 6});
        assert_eq!(
            serde_json::from_value::<Shape>(other.clone()).unwrap(),
            Shape::Unknown(other)
        );
        for v in [json!({"r": 1}), json!({"kind": 5}), json!([1]), json!("x")] {
            assert_eq!(
                serde_json::from_value::<Shape>(v.clone()).unwrap(),
                Shape::Unknown(v)
            );
        }
    }

    #[test]
    fn variant_errors_propagate() {
        let err = serde_json::from_str::<Shape>(r#"{"kind":"circle","r":"big"}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
    }
}
