//! Untagged unions of JSON scalars (`string | integer | number | boolean`), decoded by one
//! visitor: the JSON token's own type picks the variant, so nothing is buffered and no
//! variant is tried and failed (which is what `#[serde(untagged)]` does, allocating an error
//! each time). Anything else, or a number the union has no variant for, is kept in `Unknown`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A generated union whose variants are JSON scalars. Each method returns the variant for
/// a token of that type, or `None` if the union has none.
pub(crate) trait ScalarUnion: Sized {
    /// A string token.
    fn from_str(_value: &str) -> Option<Self> {
        None
    }
    /// An integer token that fits `i64`.
    fn from_i64(_value: i64) -> Option<Self> {
        None
    }
    /// A number token with a fraction, or an integer without an integer variant.
    fn from_f64(_value: f64) -> Option<Self> {
        None
    }
    /// A boolean token.
    fn from_bool(_value: bool) -> Option<Self> {
        None
    }
    /// Everything else, kept as sent.
    fn unknown(value: Value) -> Self;
}

/// `Deserialize` for a [`ScalarUnion`].
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: ScalarUnion>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(ScalarVisitor(PhantomData))
}

struct ScalarVisitor<T>(PhantomData<T>);

impl<'de, T: ScalarUnion> Visitor<'de> for ScalarVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from_str(value).unwrap_or_else(|| T::unknown(Value::from(value))))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<T, E> {
        Ok(T::from_i64(value)
            .or_else(|| T::from_f64(value as f64))
            .unwrap_or_else(|| T::unknown(Value::from(value))))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<T, E> {
        let as_i64 = i64::try_from(value).ok().and_then(T::from_i64);
        Ok(as_i64
            .or_else(|| T::from_f64(value as f64))
            .unwrap_or_else(|| T::unknown(Value::from(value))))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<T, E> {
        Ok(T::from_f64(value).unwrap_or_else(|| T::unknown(Value::from(value))))
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<T, E> {
        Ok(T::from_bool(value).unwrap_or_else(|| T::unknown(Value::Bool(value))))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
        Ok(T::unknown(Value::Null))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<T, E> {
        Ok(T::unknown(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(T::unknown)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        Value::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(T::unknown)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Deserializer};
    use serde_json::{json, Value};

    #[derive(Debug, PartialEq)]
    enum Scalar {
        String(String),
        Integer(i64),
        Boolean(bool),
        Unknown(Value),
    }

    impl super::ScalarUnion for Scalar {
        fn from_str(value: &str) -> Option<Self> {
            Some(Self::String(value.to_owned()))
        }
        fn from_i64(value: i64) -> Option<Self> {
            Some(Self::Integer(value))
        }
        fn from_bool(value: bool) -> Option<Self> {
            Some(Self::Boolean(value))
        }
        fn unknown(value: Value) -> Self {
            Self::Unknown(value)
        }
    }

    impl<'de> Deserialize<'de> for Scalar {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::deserialize(d)
        }
    }

    #[derive(Debug, PartialEq)]
    enum Numeric {
        Integer(i32),
        Number(f64),
        Unknown(Value),
    }

    impl super::ScalarUnion for Numeric {
        fn from_i64(value: i64) -> Option<Self> {
            i32::try_from(value).ok().map(Self::Integer)
        }
        fn from_f64(value: f64) -> Option<Self> {
            Some(Self::Number(value))
        }
        fn unknown(value: Value) -> Self {
            Self::Unknown(value)
        }
    }

    impl<'de> Deserialize<'de> for Numeric {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::deserialize(d)
        }
    }

    #[test]
    fn the_token_type_picks_the_variant() {
        let cases = [
            (json!("x"), Scalar::String("x".into())),
            (json!(-3), Scalar::Integer(-3)),
            (json!(true), Scalar::Boolean(true)),
            (json!(2.5), Scalar::Unknown(json!(2.5))),
            (json!(u64::MAX), Scalar::Unknown(json!(u64::MAX))),
            (json!(null), Scalar::Unknown(json!(null))),
            (json!([1, "a"]), Scalar::Unknown(json!([1, "a"]))),
            (
                json!({"a": {"b": 1}}),
                Scalar::Unknown(json!({"a": {"b": 1}})),
            ),
        ];
        for (value, expected) in cases {
            assert_eq!(
                serde_json::from_str::<Scalar>(&value.to_string()).unwrap(),
                expected,
                "{value}"
            );
            assert_eq!(
                serde_json::from_value::<Scalar>(value.clone()).unwrap(),
                expected,
                "{value}"
            );
        }
    }

    #[test]
    fn integers_fall_back_to_the_number_variant() {
        assert_eq!(
            serde_json::from_str::<Numeric>("7").unwrap(),
            Numeric::Integer(7)
        );
        assert_eq!(
            serde_json::from_str::<Numeric>("3000000000").unwrap(),
            Numeric::Number(3e9)
        );
        assert_eq!(
            serde_json::from_str::<Numeric>("18446744073709551615").unwrap(),
            Numeric::Number(u64::MAX as f64)
        );
        assert_eq!(
            serde_json::from_str::<Numeric>("0.5").unwrap(),
            Numeric::Number(0.5)
        );
        assert_eq!(
            serde_json::from_str::<Numeric>("\"x\"").unwrap(),
            Numeric::Unknown(json!("x"))
        );
    }
}
