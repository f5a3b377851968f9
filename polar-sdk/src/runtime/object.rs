//! `Deserialize` for generated structs, in one pass over the object.
//!
//! The generated code lists each field's wire name, whether the schema requires it, and its
//! codec; [`decode_struct!`] expands that into a map visitor. Known keys are decoded straight
//! into their fields; any other key's value is kept as [`RawJson`](super::RawJson), its exact
//! text, in the struct's `unknown_fields`. Nothing is buffered (serde's `#[serde(flatten)]`
//! would first copy every field into its private `Content`, where integers beyond `u64` turn
//! into doubles).
//!
//! The rules are those of serde's derive: a known key twice is an error naming it; an unknown
//! key twice keeps the last value; an optional field left out is `None`; a required one left
//! out is an error naming it, except that a plain `Option` (a required nullable field) reads
//! as `None`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Visitor};
use serde::{Deserialize, Deserializer};

use super::number::ExactNumber;

/// Decodes a field's value and says what a required field left out reads as.
pub(crate) trait FieldSeed<'de>: DeserializeSeed<'de> {
    /// The value of a required field the object does not have, or the error naming it.
    fn missing<E: de::Error>(self, name: &'static str) -> Result<Self::Value, E>;
}

/// A required field left out: what its codec says.
pub(crate) fn required<'de, E: de::Error, S: FieldSeed<'de>>(
    seed: S,
    name: &'static str,
) -> Result<S::Value, E> {
    seed.missing(name)
}

/// An optional field left out: `None`.
pub(crate) fn optional<'de, E: de::Error, S: FieldSeed<'de>>(
    _seed: S,
    _name: &'static str,
) -> Result<S::Value, E>
where
    S::Value: Default,
{
    Ok(S::Value::default())
}

macro_rules! codec {
    ($(#[$doc:meta])* $name:ident<$t:ident: $bound:path> => $value:ty, $decode:path, $missing:expr) => {
        $(#[$doc])*
        pub(crate) struct $name<$t>(PhantomData<$t>);

        #[allow(dead_code)] // Each document uses some of the codecs.
        impl<$t> $name<$t> {
            pub(crate) fn new() -> Self {
                $name(PhantomData)
            }
        }

        impl<'de, $t: $bound> DeserializeSeed<'de> for $name<$t> {
            type Value = $value;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<$value, D::Error> {
                $decode(d)
            }
        }

        impl<'de, $t: $bound> FieldSeed<'de> for $name<$t> {
            fn missing<E: de::Error>(self, name: &'static str) -> Result<$value, E> {
                #[allow(clippy::redundant_closure_call)]
                ($missing)(name)
            }
        }
    };
}

codec!(
    /// serde's own decoding.
    Plain<T: Deserialize<'de>> => T, T::deserialize, |name| T::deserialize(Missing(name, PhantomData))
);
codec!(
    /// An `i32`, `i64` or `f64` (or an `Option` of one) read from the number's text.
    Number<T: ExactNumber> => T, super::number::deserialize, |name| Err(E::missing_field(name))
);
codec!(
    /// An optional nullable field: `null` is `Some(None)`.
    DoubleOption<T: Deserialize<'de>> => Option<Option<T>>,
    super::double_option::deserialize,
    |name| Err(E::missing_field(name))
);
codec!(
    /// An optional nullable number: `null` is `Some(None)`, a number is read from its text.
    NumberDoubleOption<T: ExactNumber> => Option<Option<T>>,
    super::number::deserialize_double_option,
    |name| Err(E::missing_field(name))
);
codec!(
    /// An optional field of any value: a present `null` is `Some`.
    Present<T: Deserialize<'de>> => Option<T>,
    super::present::deserialize,
    |name| Err(E::missing_field(name))
);

codec!(
    /// A timestamp (or an `Option` of one), read by the runtime's RFC 3339 parser.
    Timestamp<T: super::datetime::Stamp> => T,
    super::datetime::deserialize,
    |name| T::missing(name)
);
codec!(
    /// An optional nullable timestamp: `null` is `Some(None)`.
    TimestampDoubleOption<T: super::datetime::Stamp> => Option<T>,
    super::datetime::deserialize_double_option,
    |name| Err(E::missing_field(name))
);

/// What serde's derive gives a required field the object lacks: `None` for an `Option`, an
/// error naming the field for anything else.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// `expecting` of a struct's visitor.
pub(crate) fn expecting(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    write!(f, "struct {name}")
}

/// Implements `Deserialize` for a generated struct with an `unknown_fields` field:
///
/// ```ignore
/// crate::runtime::decode_struct!(Meter {
///     id: "id" required Plain,
///     archived_at: "archived_at" optional DoubleOption,
/// });
/// ```
///
/// Each field is `rust_name: "wire name" required|optional Codec`, the codec one of the seeds
/// of this module. The expansion's own names start with `__`, so no model type shadows them.
macro_rules! decode_struct {
    ($name:ident { $($field:ident : $wire:literal $presence:ident $codec:ident),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        crate::runtime::object::expecting(f, stringify!($name))
                    }

                    fn visit_map<__A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> Result<$name, __A::Error> {
                        $(let mut $field = None;)*
                        let mut unknown = crate::UnknownFields::new();
                        while let Some(key) = map.next_key_seed(crate::runtime::number::TextSeed)? {
                            match &*key {
                                $($wire => {
                                    if $field.is_some() {
                                        return Err(serde::de::Error::duplicate_field($wire));
                                    }
                                    $field = Some(map.next_value_seed(
                                        crate::runtime::object::$codec::new(),
                                    )?);
                                })*
                                _ => {
                                    unknown.insert(key.into_owned(), map.next_value()?);
                                }
                            }
                        }
                        Ok($name {
                            $($field: match $field {
                                Some(value) => value,
                                None => crate::runtime::object::$presence::<__A::Error, _>(
                                    crate::runtime::object::$codec::new(),
                                    $wire,
                                )?,
                            },)*
                            unknown_fields: unknown,
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
}

pub(crate) use decode_struct;

#[cfg(test)]
mod tests {
    use crate::{Integer, RawJson, UnknownFields};

    #[derive(Debug, PartialEq, serde::Serialize)]
    struct Sample {
        id: String,
        #[serde(rename = "type")]
        r#type: Option<String>,
        n: f64,
        maybe: Option<Option<i64>>,
        big: Option<Integer>,
        input: Option<serde_json::Value>,
        #[serde(flatten)]
        unknown_fields: UnknownFields,
    }

    decode_struct!(Sample {
        id: "id" required Plain,
        r#type: "type" required Plain,
        n: "n" required Number,
        maybe: "maybe" optional DoubleOption,
        big: "big" optional Plain,
        input: "input" optional Present,
    });

    #[test]
    fn fields_follow_their_codecs_and_unknown_ones_stay_raw() {
        let text = r#"{"x": 1e400, "id": "a", "n": 2, "maybe": null, "input": null, "type": "t"}"#;
        let sample: Sample = serde_json::from_str(text).unwrap();
        assert_eq!(sample.id, "a");
        assert_eq!(sample.r#type.as_deref(), Some("t"));
        assert_eq!(sample.n, 2.0);
        assert_eq!(sample.maybe, Some(None));
        assert_eq!(sample.big, None);
        assert_eq!(sample.input, Some(serde_json::Value::Null));
        assert_eq!(
            sample.unknown_fields.get("x"),
            Some(&RawJson::from_text("1e400").unwrap())
        );
        // A required `Option` may be left out; a required number may not.
        let sample: Sample = serde_json::from_str(r#"{"id": "a", "n": 1.5}"#).unwrap();
        assert_eq!(sample.r#type, None);
        let err = serde_json::from_str::<Sample>(r#"{"id": "a"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `n`"), "{err}");
        let err = serde_json::from_str::<Sample>(r#"{"n": 1}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `id`"), "{err}");
        let err = serde_json::from_str::<Sample>(r#"{"id": "a", "n": 1, "id": "b"}"#).unwrap_err();
        assert!(err.to_string().contains("duplicate field `id`"), "{err}");
        let err = serde_json::from_str::<Sample>("[]").unwrap_err();
        assert!(err.to_string().contains("expected struct Sample"), "{err}");
    }

    #[test]
    fn decodes_from_a_value_and_with_escaped_keys() {
        let value = serde_json::json!({"id": "a", "n": 1, "big": 5, "z": [1]});
        let sample: Sample = serde_json::from_value(value).unwrap();
        assert_eq!(sample.big, Some(Integer::from(5)));
        assert_eq!(sample.unknown_fields.get("z").unwrap().as_str(), "[1]");
        let sample: Sample = serde_json::from_str(r#"{"\u0069d": "a", "n": 1}"#).unwrap();
        assert_eq!(sample.id, "a");
    }
}
