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

/// Up to this many values, a wire string is compared with each in turn; beyond, it is
/// looked up in an [`Index`] (a country code among about 250 took 40 comparisons on average).
pub(crate) const SCAN_UP_TO: usize = 12;

/// The known wire strings of a large enum, sorted once, for binary search.
pub(crate) struct Index(Vec<(&'static str, usize)>);

impl Index {
    /// Sorts `wires` (the enum's values in `KNOWN` order), keeping each one's position
    /// (equal wires stay in `KNOWN` order).
    pub(crate) fn new(wires: &[&'static str]) -> Self {
        let mut sorted: Vec<(&'static str, usize)> = wires.iter().copied().zip(0..).collect();
        sorted.sort_unstable();
        Self(sorted)
    }

    /// The position in `KNOWN` of the value written `wire` (the first one, as a `match`
    /// would pick, should two variants share a wire string).
    pub(crate) fn position(&self, wire: &str) -> Option<usize> {
        let first = self.0.partition_point(|(known, _)| *known < wire);
        self.0
            .get(first)
            .filter(|(known, _)| *known == wire)
            .map(|(_, position)| *position)
    }
}

/// The glue of a generated open enum, from its table of known values
/// (`Name { Variant = "wire", … }`; the enum has those variants plus `Unknown(String)`):
/// `KNOWN` and `as_str`, [`OpenEnum`], serde both ways through this module, `Display` (the wire
/// string) and an infallible `FromStr`. Written once here instead of printed for every enum.
macro_rules! open_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// Every value this SDK version knows, in the order the API lists them.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),*];
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value,
                }
            }
        }
        impl $crate::runtime::OpenEnum for $name {
            fn from_known(wire: &str) -> Option<Self> {
                const WIRES: &[&str] = &[$($wire),*];
                static INDEX: std::sync::OnceLock<$crate::runtime::open_enum::Index> =
                    std::sync::OnceLock::new();
                if WIRES.len() <= $crate::runtime::open_enum::SCAN_UP_TO {
                    return match wire {
                        $($wire => Some(Self::$variant),)*
                        _ => None,
                    };
                }
                INDEX
                    .get_or_init(|| $crate::runtime::open_enum::Index::new(WIRES))
                    .position(wire)
                    .map(|position| Self::KNOWN[position].clone())
            }
            fn from_unknown(wire: String) -> Self {
                Self::Unknown(wire)
            }
            fn wire_str(&self) -> &str {
                self.as_str()
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $crate::runtime::open_enum::serialize(self, serializer)
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::runtime::open_enum::deserialize(deserializer)
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok($crate::runtime::open_enum::from_str(value))
            }
        }
    };
}
#[allow(unused_imports)] // Unused in a build whose features leave no enum.
pub(crate) use open_enum;

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

    /// What the generated enums get from `open_enum!`: the table of values becomes `KNOWN`,
    /// `as_str`, serde both ways, `Display` and `FromStr`.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) enum Shade {
        Light,
        Dark,
        Unknown(String),
    }

    crate::runtime::open_enum! {
        Shade { Light = "light", Dark = "dark" }
    }

    /// More values than are compared in turn: looked up in the sorted index.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) enum Letter {
        N,
        B,
        M,
        A,
        Z,
        C,
        Y,
        D,
        X,
        E,
        W,
        F,
        V,
        Unknown(String),
    }

    crate::runtime::open_enum! {
        Letter { N = "n", B = "b", M = "m", A = "a", Z = "z", C = "c", Y = "y", D = "d",
            X = "x", E = "e", W = "w", F = "f", V = "v" }
    }

    #[test]
    fn the_index_picks_the_first_of_equal_wires() {
        let wires = [
            "b", "a", "c", "a", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
        ];
        let index = super::Index::new(&wires);
        assert_eq!(index.position("a"), Some(1));
        assert_eq!(index.position("m"), Some(13));
        assert_eq!(index.position("z"), None);
        assert_eq!(index.position(""), None);
    }

    #[test]
    fn a_large_enum_finds_every_value_through_its_index() {
        assert!(Letter::KNOWN.len() > super::SCAN_UP_TO);
        for known in Letter::KNOWN {
            assert_eq!(&known.as_str().parse::<Letter>().unwrap(), known);
        }
        for unknown in ["", "g", "nn", "A", "zz"] {
            assert_eq!(
                unknown.parse::<Letter>().unwrap(),
                Letter::Unknown(unknown.into())
            );
        }
    }

    #[test]
    fn the_macro_prints_the_glue_of_a_table_of_values() {
        assert_eq!(Shade::KNOWN, &[Shade::Light, Shade::Dark]);
        assert_eq!(Shade::Dark.as_str(), "dark");
        assert_eq!(Shade::Unknown("dim".into()).as_str(), "dim");
        assert_eq!(Shade::Light.to_string(), "light");
        assert_eq!("dark".parse::<Shade>().unwrap(), Shade::Dark);
        assert_eq!(
            "dim".parse::<Shade>().unwrap(),
            Shade::Unknown("dim".into())
        );
        assert_eq!(
            serde_json::from_str::<Shade>(r#""light""#).unwrap(),
            Shade::Light
        );
        assert_eq!(
            serde_json::to_string(&Shade::Unknown("dim".into())).unwrap(),
            r#""dim""#
        );
        assert!(serde_json::from_str::<Shade>("1").is_err());
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
