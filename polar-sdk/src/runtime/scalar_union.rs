//! Untagged unions of JSON scalars (`string | integer | number | boolean`), decoded by one
//! visitor: the JSON token's own type picks the variant, so nothing is buffered and no
//! variant is tried and failed (which is what `#[serde(untagged)]` does, allocating an error
//! each time). Anything else, or a number the union has no variant for, is kept in `Unknown`
//! as its JSON text.
//! From serde_json the visitor reads the token's source text, so a whole number of any size
//! reaches an `Integer` variant exactly and `2.0` goes to a number variant where there is one.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::number::{Integer, TextSeed, RAW_TOKEN};
use super::raw::RawJson;

/// A generated union whose variants are JSON scalars. Each method returns the variant for
/// a token of that type, or `None` if the union has none.
pub(crate) trait ScalarUnion: Sized {
    /// A string token.
    fn from_str(_value: &str) -> Option<Self> {
        None
    }
    /// A whole number that fits `i64`, for an `i64` or `i32` variant.
    fn from_i64(_value: i64) -> Option<Self> {
        None
    }
    /// A whole number of any size, for an [`Integer`] variant.
    fn from_integer(_value: Integer) -> Option<Self> {
        None
    }
    /// A number token with a fraction or exponent, or a whole number without an integer
    /// variant.
    fn from_f64(_value: f64) -> Option<Self> {
        None
    }
    /// A boolean token.
    fn from_bool(_value: bool) -> Option<Self> {
        None
    }
    /// Everything else, kept as sent.
    fn unknown(value: RawJson) -> Self;
}

/// `Deserialize` for a [`ScalarUnion`]. From serde_json it reads the token's source text, so
/// integers of any size reach an [`Integer`] variant exactly.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: ScalarUnion>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_newtype_struct(RAW_TOKEN, ScalarVisitor(PhantomData))
}

/// A whole number's variant: the `i64` one if it fits, else the `Integer` one, else the
/// number one.
fn whole<T: ScalarUnion>(value: Integer) -> Option<T> {
    value
        .as_i64()
        .and_then(T::from_i64)
        .or_else(|| T::from_integer(value.clone()))
        .or_else(|| {
            Some(value.as_f64())
                .filter(|v| v.is_finite())
                .and_then(T::from_f64)
        })
}

fn number_value(value: f64) -> RawJson {
    RawJson::from_value(&serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
}

fn unknown<T: ScalarUnion>(value: Value) -> T {
    T::unknown(RawJson::from_value(&value))
}

/// The variant for a number token's text.
fn from_number_text<T: ScalarUnion, E: serde::de::Error>(text: &str) -> Result<T, E> {
    let plain_digits = !text.contains(['.', 'e', 'E']);
    let float = text.parse::<f64>().ok().filter(|v| v.is_finite());
    let integer = text.parse::<Integer>().ok();
    // `2.0` is a whole number too, but a number variant, where there is one, says so better.
    let chosen = if plain_digits {
        integer
            .clone()
            .and_then(whole)
            .or_else(|| float.and_then(T::from_f64))
    } else {
        float
            .and_then(T::from_f64)
            .or_else(|| integer.clone().and_then(whole))
    };
    if let Some(variant) = chosen {
        return Ok(variant);
    }
    // No variant for it (`1e400` without a number variant, say): kept as written.
    RawJson::from_text(text).map(T::unknown).map_err(E::custom)
}

struct ScalarVisitor<T>(PhantomData<T>);

impl<'de, T: ScalarUnion> Visitor<'de> for ScalarVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from_str(value).unwrap_or_else(|| unknown(Value::from(value))))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<T, E> {
        Ok(whole(Integer::from(value)).unwrap_or_else(|| unknown(Value::from(value))))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<T, E> {
        Ok(whole(Integer::from(value)).unwrap_or_else(|| unknown(Value::from(value))))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<T, E> {
        let integral = || {
            let text = format!("{value:.0}");
            (value.fract() == 0.0).then(|| text.parse().ok()).flatten()
        };
        Ok(T::from_f64(value)
            .or_else(|| integral().and_then(whole))
            .unwrap_or_else(|| T::unknown(number_value(value))))
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<T, E> {
        Ok(T::from_bool(value).unwrap_or_else(|| unknown(Value::Bool(value))))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
        Ok(unknown(Value::Null))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<T, E> {
        Ok(unknown(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        RawJson::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(T::unknown)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        // Borrowed from the input where it can be: no allocation for the token or the text.
        let Some(key) = map.next_key_seed(TextSeed)? else {
            return Ok(unknown(Value::Object(Map::new())));
        };
        if key != RAW_TOKEN {
            // A real object (from a format without source text): kept as sent.
            let mut object = Map::new();
            object.insert(key.into_owned(), map.next_value()?);
            while let Some((key, value)) = map.next_entry()? {
                object.insert(key, value);
            }
            return Ok(unknown(Value::Object(object)));
        }
        let text = map.next_value_seed(TextSeed)?;
        let text = text.trim();
        let custom = <A::Error as serde::de::Error>::custom;
        match text.as_bytes().first() {
            Some(b'"') => {
                let value: Cow<'_, str> = match text.get(1..text.len() - 1) {
                    Some(inner) if !inner.contains('\\') => Cow::Borrowed(inner),
                    _ => Cow::Owned(serde_json::from_str::<String>(text).map_err(custom)?),
                };
                Ok(T::from_str(&value).unwrap_or_else(|| unknown(Value::from(&*value))))
            }
            Some(b't') => self.visit_bool(true),
            Some(b'f') => self.visit_bool(false),
            // `null`, arrays and objects: kept as written.
            Some(b'n' | b'[' | b'{') => RawJson::from_text(text).map(T::unknown).map_err(custom),
            _ => from_number_text(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Deserializer};
    use serde_json::{json, Value};

    use crate::RawJson;

    fn raw(value: Value) -> RawJson {
        RawJson::from_value(&value)
    }

    #[derive(Debug, PartialEq)]
    enum Scalar {
        String(String),
        Integer(i64),
        Boolean(bool),
        Unknown(RawJson),
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
        fn unknown(value: RawJson) -> Self {
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
        Unknown(RawJson),
    }

    impl super::ScalarUnion for Numeric {
        fn from_i64(value: i64) -> Option<Self> {
            i32::try_from(value).ok().map(Self::Integer)
        }
        fn from_f64(value: f64) -> Option<Self> {
            Some(Self::Number(value))
        }
        fn unknown(value: RawJson) -> Self {
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
            (json!(2.5), Scalar::Unknown(raw(json!(2.5)))),
            (json!(u64::MAX), Scalar::Unknown(raw(json!(u64::MAX)))),
            (json!(null), Scalar::Unknown(raw(json!(null)))),
            (json!([1, "a"]), Scalar::Unknown(raw(json!([1, "a"])))),
            (
                json!({"a": {"b": 1}}),
                Scalar::Unknown(raw(json!({"a": {"b": 1}}))),
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
            Numeric::Unknown(raw(json!("x")))
        );
    }

    #[derive(Debug, PartialEq)]
    enum Metadata {
        Integer(crate::Integer),
        Number(f64),
        Unknown(RawJson),
    }

    impl super::ScalarUnion for Metadata {
        fn from_integer(value: crate::Integer) -> Option<Self> {
            Some(Self::Integer(value))
        }
        fn from_f64(value: f64) -> Option<Self> {
            Some(Self::Number(value))
        }
        fn unknown(value: RawJson) -> Self {
            Self::Unknown(value)
        }
    }

    impl<'de> Deserialize<'de> for Metadata {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::deserialize(d)
        }
    }

    #[test]
    fn whole_numbers_of_any_size_stay_exact_and_floats_stay_floats() {
        let int = |t: &str| Metadata::Integer(t.parse().unwrap());
        for (text, expected) in [
            ("18446744073709551617", int("18446744073709551617")),
            ("-7", int("-7")),
            ("1e400", int(&format!("1{}", "0".repeat(400)))),
            ("2.0", Metadata::Number(2.0)),
            (
                "5.960464477539063e-8",
                Metadata::Number(5.960464477539063e-8),
            ),
            ("\"a\\\"b\"", Metadata::Unknown(raw(json!("a\"b")))),
            ("[1]", Metadata::Unknown(raw(json!([1])))),
        ] {
            assert_eq!(
                serde_json::from_str::<Metadata>(text).unwrap(),
                expected,
                "{text}"
            );
        }
        // Without a number variant, an integral float is a whole number.
        assert_eq!(
            serde_json::from_str::<Scalar>("10.0").unwrap(),
            Scalar::Integer(10)
        );
        assert_eq!(
            serde_json::from_str::<Scalar>("\"a\\u0062\"").unwrap(),
            Scalar::String("ab".into())
        );
        // A number no variant holds is kept as written.
        for text in ["1.5e400", "18446744073709551617000"] {
            let Scalar::Unknown(kept) = serde_json::from_str::<Scalar>(text).unwrap() else {
                panic!("{text} is unknown");
            };
            assert_eq!(kept.as_str(), text);
        }
    }
}
