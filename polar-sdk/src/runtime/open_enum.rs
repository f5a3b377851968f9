//! Open string enums: known values map to variants, anything else is kept verbatim in an
//! `Unknown(String)` variant so that a new server-side value never breaks decoding.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// Implemented by every generated string enum.
pub(crate) trait OpenEnum: Sized {
    /// The variant for a documented wire value, or `None`.
    fn from_known(wire: &str) -> Option<Self>;
    /// The `Unknown` variant holding `wire`.
    fn from_unknown(wire: String) -> Self;
    /// The wire value of this variant.
    fn wire_str(&self) -> &str;
}

/// Writes the wire string.
pub(crate) fn serialize<T: OpenEnum, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.wire_str())
}

/// Reads a string; known values allocate nothing, unknown ones are kept.
pub(crate) fn deserialize<'de, T: OpenEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct OpenEnumVisitor<T>(std::marker::PhantomData<T>);

    impl<T: OpenEnum> Visitor<'_> for OpenEnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from_known(v).unwrap_or_else(|| T::from_unknown(v.to_owned())))
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
            Ok(match T::from_known(&v) {
                Some(known) => known,
                None => T::from_unknown(v),
            })
        }
    }

    deserializer.deserialize_str(OpenEnumVisitor(std::marker::PhantomData))
}

/// Parses a wire string; never fails.
#[allow(dead_code)] // Used by the generated `FromStr` impls.
pub(crate) fn from_str<T: OpenEnum>(s: &str) -> T {
    T::from_known(s).unwrap_or_else(|| T::from_unknown(s.to_owned()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::OpenEnum;

    #[derive(Debug, PartialEq)]
    pub(crate) enum Color {
        Red,
        Unknown(String),
    }

    impl OpenEnum for Color {
        fn from_known(wire: &str) -> Option<Self> {
            (wire == "red").then_some(Self::Red)
        }
        fn from_unknown(wire: String) -> Self {
            Self::Unknown(wire)
        }
        fn wire_str(&self) -> &str {
            match self {
                Self::Red => "red",
                Self::Unknown(s) => s,
            }
        }
    }

    impl<'de> serde::Deserialize<'de> for Color {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::deserialize(d)
        }
    }

    impl serde::Serialize for Color {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            super::serialize(self, s)
        }
    }

    #[test]
    fn known_unknown_and_escaped() {
        assert_eq!(
            serde_json::from_str::<Color>(r#""red""#).unwrap(),
            Color::Red
        );
        // An escaped string goes through `visit_string`.
        assert_eq!(
            serde_json::from_str::<Color>(r#""r\u0065d""#).unwrap(),
            Color::Red
        );
        assert_eq!(
            serde_json::from_str::<Color>(r#""mauve""#).unwrap(),
            Color::Unknown("mauve".into())
        );
        assert_eq!(
            serde_json::to_string(&Color::Unknown("mauve".into())).unwrap(),
            r#""mauve""#
        );
        assert_eq!(serde_json::to_string(&Color::Red).unwrap(), r#""red""#);
        assert!(serde_json::from_str::<Color>("3").is_err());
        assert_eq!(super::from_str::<Color>("red"), Color::Red);
        assert_eq!(super::from_str::<Color>("x"), Color::Unknown("x".into()));
    }
}
