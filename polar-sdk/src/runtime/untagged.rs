//! Unions without a discriminator whose variants are not all scalars (`FilterClause | Filter`):
//! the first variant that decodes wins, anything else is kept in `Unknown`.
//!
//! serde's `#[serde(untagged)]` buffers the value in its private `Content` first, where an
//! integer beyond `u64` becomes a double, so a variant (or its unknown fields) could not get
//! the number back. Here the value is read once as its JSON text (borrowed from the input
//! where it can be) and each variant is decoded from that text, so numbers stay exact;
//! `Unknown` keeps a copy of the text ([`RawJson`]).
//!
//! A variant may contain the union again (filters nest). Each level decodes the text below it
//! again, so the nesting of such unions is bounded ([`MAX_NESTING`]): deeper input fails with
//! an error instead of costing time proportional to depth times size, or the stack.

use std::cell::Cell;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};

use super::raw::RawJson;
use super::scan::{self, Has};
use super::tagged::Buffered;

/// How many of these unions may nest inside each other in one value.
pub(crate) const MAX_NESTING: u32 = 32;

/// A generated union tried variant by variant.
pub(crate) trait UntaggedUnion: Sized {
    /// The first variant that decodes from `text` (use [`attempt`] for each), or `None`.
    fn from_json(text: &str) -> Option<Self>;
    /// A value no variant decodes: the text as sent.
    fn unknown(value: RawJson) -> Self;
}

thread_local! {
    /// Unions being decoded on this thread, one inside the other.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// Set when a value nested too deeply; every enclosing level then fails too.
    static TOO_DEEP: Cell<bool> = const { Cell::new(false) };
}

/// Counts one level of nesting while alive; the outermost level clears the error flag.
struct Level;

impl Level {
    fn enter() -> Level {
        DEPTH.with(|depth| depth.set(depth.get() + 1));
        Level
    }
}

impl Drop for Level {
    fn drop(&mut self) {
        let left = DEPTH.with(|depth| {
            let left = depth.get().saturating_sub(1);
            depth.set(left);
            left
        });
        if left == 0 {
            TOO_DEEP.with(|flag| flag.set(false));
        }
    }
}

/// `Deserialize` for an [`UntaggedUnion`].
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: UntaggedUnion>(
    deserializer: D,
) -> Result<T, D::Error> {
    // Borrowed from the input where it can be: only `Unknown` keeps a copy.
    let buffered = Buffered::deserialize(deserializer)?;
    let text = buffered.text();
    let _level = Level::enter();
    let too_deep = || {
        D::Error::custom(format_args!(
            "unions nested more than {MAX_NESTING} levels deep"
        ))
    };
    if DEPTH.with(Cell::get) > MAX_NESTING {
        TOO_DEEP.with(|flag| flag.set(true));
        return Err(too_deep());
    }
    let found = T::from_json(&text);
    if TOO_DEEP.with(Cell::get) {
        return Err(too_deep());
    }
    match found {
        Some(value) => Ok(value),
        None => RawJson::from_text(text.into_owned())
            .map(T::unknown)
            .map_err(D::Error::custom),
    }
}

/// Decodes one variant from the union's text; `None` if it does not fit (or a nested union
/// already failed for depth). `needs` are the keys without which the variant cannot decode
/// (its required, non-nullable properties): an object without one of them is not decoded at
/// all, which is the same answer, found without reading the whole value.
pub(crate) fn attempt<T: DeserializeOwned>(text: &str, needs: &[&str]) -> Option<T> {
    if TOO_DEEP.with(Cell::get) {
        return None;
    }
    if scan::has_all(text, needs) == Has::Missing {
        return None;
    }
    serde_json::from_str(text).ok()
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Deserializer};

    use crate::{Integer, RawJson};

    #[derive(Debug, PartialEq, Deserialize)]
    struct Leaf {
        n: Integer,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Node {
        all: Vec<Tree>,
    }

    #[derive(Debug, PartialEq)]
    enum Tree {
        Leaf(Leaf),
        Node(Box<Node>),
        Unknown(RawJson),
    }

    impl super::UntaggedUnion for Tree {
        fn from_json(text: &str) -> Option<Self> {
            super::attempt(text, &["n"])
                .map(Self::Leaf)
                .or_else(|| super::attempt(text, &["all"]).map(Self::Node))
        }
        fn unknown(value: RawJson) -> Self {
            Self::Unknown(value)
        }
    }

    impl<'de> Deserialize<'de> for Tree {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::deserialize(d)
        }
    }

    #[test]
    fn variants_decode_from_the_exact_text() {
        let tree: Tree =
            serde_json::from_str(r#"{"all": [{"n": 18446744073709551617000}, {"x": 1e400}]}"#)
                .unwrap();
        let Tree::Node(node) = tree else {
            panic!("a node")
        };
        assert_eq!(
            node.all[0],
            Tree::Leaf(Leaf {
                n: "18446744073709551617000".parse().unwrap()
            })
        );
        assert_eq!(
            node.all[1],
            Tree::Unknown(RawJson::from_text(r#"{"x": 1e400}"#).unwrap())
        );
    }

    #[test]
    fn deep_nesting_fails_and_the_next_value_decodes() {
        let deep = |levels: u32| {
            let mut text = String::from(r#"{"n": 1}"#);
            for _ in 0..levels {
                text = format!(r#"{{"all": [{text}]}}"#);
            }
            text
        };
        let err = serde_json::from_str::<Tree>(&deep(200)).unwrap_err();
        assert!(err.to_string().contains("nested more than 32"), "{err}");
        assert!(matches!(
            serde_json::from_str::<Tree>(&deep(super::MAX_NESTING - 1)).unwrap(),
            Tree::Node(_)
        ));
    }

    /// A variant with two keys it cannot do without and one it can.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Clause {
        property: String,
        operator: String,
        value: Option<i64>,
    }

    /// Random objects (and a few other values) built from keys that matter, keys that do
    /// not, a key written with an escape, and values that hide the same keys inside them.
    fn random_text(rng: &mut fastrand::Rng) -> String {
        const KEYS: &[&str] = &[
            r#""property""#,
            r#""operator""#,
            r#""value""#,
            r#""clauses""#,
            r#""prop\u0065rty""#,
            r#""op\"erator""#,
            r#""""#,
        ];
        const VALUES: &[&str] = &[
            "1",
            "-7",
            "2.5",
            r#""s""#,
            r#""a\"b,\\""#,
            r#"{"property": "x", "operator": {"value": "}"}}"#,
            r#"["operator", {"value": "]"}, [[]]]"#,
            "null",
            "true",
            "{}",
        ];
        match rng.u8(0..10) {
            0 => VALUES[rng.usize(..VALUES.len())].to_owned(),
            _ => {
                let members: Vec<String> = (0..rng.usize(0..6))
                    .map(|_| {
                        let key = KEYS[rng.usize(..KEYS.len())];
                        // Strings half of the time, so that the variant often fits.
                        let value = match rng.bool() {
                            true => r#""s""#,
                            false => VALUES[rng.usize(..VALUES.len())],
                        };
                        let space = if rng.bool() { " " } else { "" };
                        format!("{key}{space}:{space}{value}")
                    })
                    .collect();
                format!("{{{}}}", members.join(", "))
            }
        }
    }

    #[test]
    fn skipping_by_required_keys_never_changes_the_answer() {
        let mut rng = fastrand::Rng::with_seed(12);
        let mut decoded = 0;
        for _ in 0..20_000 {
            let text = random_text(&mut rng);
            let plain = serde_json::from_str::<Clause>(&text).ok();
            decoded += usize::from(plain.is_some());
            assert_eq!(
                super::attempt::<Clause>(&text, &["operator", "property"]),
                plain,
                "{text}"
            );
        }
        // The inputs reach both answers often.
        assert!(decoded > 200, "{decoded}");
    }
}
