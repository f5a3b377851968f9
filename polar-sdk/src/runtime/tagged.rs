//! Internally tagged unions (`{"type": "individual", ...}`) with an `Unknown` fallback,
//! decoded in one pass.
//!
//! JSON objects are unordered, so the tag may come after other fields (Polar puts `type` in
//! the middle of a customer). The fields before the tag are buffered as their source text
//! (numbers stay exact); once the tag is known, the variant's own `Deserialize` reads the
//! buffered fields and then the rest of the *live* map, so the bulk of the object is never
//! copied into an intermediate value or parsed twice. Only an unknown tag keeps the whole
//! object, as the JSON text of its members (numbers of any size stay exact) in `Unknown`. A missing tag selects the variant of the schema's
//! default tag, where the document gives one.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{DeserializeSeed, Error as _, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::number::RAW_TOKEN;
use super::raw::{assembled, object_text, RawJson};

/// A generated union whose variants are selected by a string property.
pub(crate) trait TaggedUnion: Sized {
    /// The discriminating property (`type`).
    const TAG: &'static str;
    /// What an object without the tag is: `(tag, required properties)` of the variants whose
    /// schema gives the tag a default, most required properties first. The first entry whose
    /// required properties are all present is chosen; with none, the object is `Unknown`.
    const DEFAULT_TAGS: &'static [(&'static str, &'static [&'static str])] = &[];
    /// Whether `tag` selects a variant this SDK version knows.
    fn knows(tag: &str) -> bool;
    /// Decodes the variant for a known `tag` from the whole object (tag included).
    fn deserialize_variant<'de, D: Deserializer<'de>>(
        tag: &str,
        object: D,
    ) -> Result<Self, D::Error>;
    /// The fallback for an unknown or missing tag, or a value that is not an object: the
    /// value as sent.
    fn unknown(value: RawJson) -> Self;
}

/// `Deserialize` for a [`TaggedUnion`].
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: TaggedUnion>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(TaggedVisitor(PhantomData))
}

struct TaggedVisitor<T>(PhantomData<T>);

impl<'de, T: TaggedUnion> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with a `{}` property", T::TAG)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        // Keys are borrowed from the input where it allows (no allocation per key).
        let mut before_tag: Vec<(Cow<'de, str>, Buffered<'de>)> = Vec::with_capacity(8);
        while let Some(key) = map.next_key_seed(super::number::TextSeed)? {
            if key != T::TAG {
                before_tag.push((key, map.next_value()?));
                continue;
            }
            let value: Buffered<'de> = map.next_value()?;
            let known = value
                .as_tag()
                .filter(|tag| T::knows(tag))
                .map(Cow::into_owned);
            let Some(tag) = known else {
                before_tag.push((key, value));
                return Ok(T::unknown(rest_as_raw(before_tag, Some(map))?));
            };
            // The variant reads the tag again, from its text.
            before_tag.push((key, value));
            let object = Replay {
                buffered: before_tag.into_iter(),
                pending: None,
                live: Some(map),
                _marker: PhantomData,
            };
            return T::deserialize_variant(&tag, object);
        }
        let present = |name: &&str| before_tag.iter().any(|(key, _)| key.as_ref() == *name);
        let default = T::DEFAULT_TAGS
            .iter()
            .find(|(_, required)| required.iter().all(&present));
        if let Some((tag, _)) = default {
            let object: Replay<'de, A> = Replay {
                buffered: before_tag.into_iter(),
                pending: None,
                live: None,
                _marker: PhantomData,
            };
            return T::deserialize_variant(tag, object);
        }
        Ok(T::unknown(rest_as_raw::<A>(before_tag, None)?))
    }

    // Anything but an object cannot carry a tag: keep it as it is. A number comes here as
    // serde_json decoded it (an integer beyond `u64` as a double): only objects and arrays are
    // read as text.
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<T, E> {
        Ok(T::unknown(RawJson::from_value(&Value::Bool(v))))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        Ok(T::unknown(RawJson::from_value(&Value::from(v))))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        Ok(T::unknown(RawJson::from_value(&Value::from(v))))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
        Ok(T::unknown(RawJson::from_value(&Value::from(v))))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::unknown(RawJson::from_value(&Value::from(v))))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
        Ok(T::unknown(RawJson::from_value(&Value::Null)))
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<T, E> {
        Ok(T::unknown(RawJson::from_value(&Value::Null)))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let mut text = String::from("[");
        while let Some(item) = seq.next_element::<RawJson>()? {
            if text.len() > 1 {
                text.push(',');
            }
            text.push_str(item.as_str());
        }
        text.push(']');
        assembled(text).map(T::unknown)
    }
}

/// A field read before the tag: its JSON text where the format gives it (serde_json), so
/// numbers are not rounded on the way; a decoded value otherwise.
pub(super) enum Buffered<'de> {
    /// Borrowed from the input where it can be (`from_str`, `from_slice`).
    Raw(Cow<'de, str>),
    Value(Value),
}

impl Buffered<'_> {
    /// The tag, if the value is a string (borrowed unless it has escapes).
    fn as_tag(&self) -> Option<Cow<'_, str>> {
        match self {
            Buffered::Raw(text) if text.starts_with('"') => match text.get(1..text.len() - 1) {
                Some(inner) if !inner.contains(['"', '\\']) => Some(Cow::Borrowed(inner)),
                _ => serde_json::from_str::<String>(text).ok().map(Cow::Owned),
            },
            Buffered::Raw(_) => None,
            Buffered::Value(value) => value.as_str().map(Cow::Borrowed),
        }
    }

    /// The value's JSON text.
    pub(super) fn text(&self) -> Cow<'_, str> {
        match self {
            Buffered::Raw(text) => Cow::Borrowed(text),
            Buffered::Value(value) => Cow::Owned(value.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Buffered<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BufferedVisitor;
        impl<'de> Visitor<'de> for BufferedVisitor {
            type Value = Buffered<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Buffered<'de>, A::Error> {
                match map.next_key_seed(super::number::TextSeed)? {
                    Some(key) if key == RAW_TOKEN => map
                        .next_value_seed(super::number::TextSeed)
                        .map(Buffered::Raw),
                    // Not a raw value but a real map (another format): read it as a value.
                    Some(key) => {
                        let mut object = Map::new();
                        object.insert(key.into_owned(), map.next_value()?);
                        while let Some((key, value)) = map.next_entry()? {
                            object.insert(key, value);
                        }
                        Ok(Buffered::Value(Value::Object(object)))
                    }
                    None => Ok(Buffered::Value(Value::Object(Map::new()))),
                }
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Buffered<'de>, D::Error> {
                Value::deserialize(d).map(Buffered::Value)
            }
        }
        deserializer.deserialize_newtype_struct(RAW_TOKEN, BufferedVisitor)
    }
}

/// The object as sent: the `buffered` entries, then the remaining ones of `map` (if any), each
/// kept as its JSON text, in the order they came.
fn rest_as_raw<'de, A: MapAccess<'de>>(
    buffered: Vec<(Cow<'de, str>, Buffered<'de>)>,
    map: Option<A>,
) -> Result<RawJson, A::Error> {
    let mut members: Vec<(String, Cow<'_, str>)> = buffered
        .iter()
        .map(|(key, value)| (key.to_string(), value.text()))
        .collect();
    if let Some(mut map) = map {
        while let Some((key, value)) = map.next_entry::<String, RawJson>()? {
            members.push((key, Cow::Owned(value.as_str().to_owned())));
        }
    }
    assembled(object_text(members.iter().map(|(k, v)| (k.as_str(), &**v))))
}

/// A map that yields the buffered entries first, then the rest of the live map (if any).
struct Replay<'de, A: MapAccess<'de>> {
    buffered: std::vec::IntoIter<(Cow<'de, str>, Buffered<'de>)>,
    pending: Option<Buffered<'de>>,
    live: Option<A>,
    _marker: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.buffered.next() {
            Some((key, value)) => {
                self.pending = Some(value);
                match key {
                    Cow::Borrowed(key) => seed
                        .deserialize(BorrowedStrDeserializer::<A::Error>::new(key))
                        .map(Some),
                    Cow::Owned(key) => {
                        let key: StringDeserializer<A::Error> = key.into_deserializer();
                        seed.deserialize(key).map(Some)
                    }
                }
            }
            None => match &mut self.live {
                Some(live) => live.next_key_seed(seed),
                None => Ok(None),
            },
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.pending.take() {
            Some(Buffered::Raw(Cow::Borrowed(text))) => seed
                .deserialize(&mut serde_json::Deserializer::from_str(text))
                .map_err(A::Error::custom),
            // A reader never borrows from its input, so it serves any `'de`.
            Some(Buffered::Raw(Cow::Owned(text))) => seed
                .deserialize(&mut serde_json::Deserializer::from_reader(text.as_bytes()))
                .map_err(A::Error::custom),
            Some(Buffered::Value(value)) => seed.deserialize(value).map_err(A::Error::custom),
            None => match &mut self.live {
                Some(live) => live.next_value_seed(seed),
                None => Err(A::Error::custom("a value was asked for before its key")),
            },
        }
    }
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Replay<'de, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
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

    #[derive(Debug, PartialEq, Deserialize)]
    struct Circle {
        kind: String,
        r: f64,
        #[serde(flatten)]
        rest: serde_json::Map<String, Value>,
    }

    #[derive(Debug, PartialEq)]
    enum Shape {
        Circle(Box<Circle>),
        Unknown(RawJson),
    }

    impl super::TaggedUnion for Shape {
        const TAG: &'static str = "kind";
        fn knows(tag: &str) -> bool {
            matches!(tag, "circle" | "round")
        }
        fn deserialize_variant<'de, D: Deserializer<'de>>(
            tag: &str,
            object: D,
        ) -> Result<Self, D::Error> {
            match tag {
                "circle" | "round" => Deserialize::deserialize(object).map(Shape::Circle),
                _ => unreachable!("only known tags are passed"),
            }
        }
        fn unknown(value: RawJson) -> Self {
            Shape::Unknown(value)
        }
    }

    impl<'de> Deserialize<'de> for Shape {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::deserialize(d)
        }
    }

    fn circle(kind: &str, r: f64, rest: Value) -> Shape {
        Shape::Circle(Box::new(Circle {
            kind: kind.into(),
            r,
            rest: rest.as_object().cloned().unwrap_or_default(),
        }))
    }

    /// A union whose objects may leave the tag out: it then defaults to `circle`.
    #[derive(Debug, PartialEq)]
    enum Counted {
        Circle(Box<Exact>),
        Unknown(RawJson),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Exact {
        #[serde(default)]
        kind: Option<String>,
        n: crate::Integer,
        #[serde(deserialize_with = "crate::runtime::number::deserialize")]
        x: f64,
    }

    impl super::TaggedUnion for Counted {
        const TAG: &'static str = "kind";
        const DEFAULT_TAGS: &'static [(&'static str, &'static [&'static str])] =
            &[("circle", &["n"])];
        fn knows(tag: &str) -> bool {
            tag == "circle"
        }
        fn deserialize_variant<'de, D: Deserializer<'de>>(
            _tag: &str,
            object: D,
        ) -> Result<Self, D::Error> {
            Deserialize::deserialize(object).map(Counted::Circle)
        }
        fn unknown(value: RawJson) -> Self {
            Counted::Unknown(value)
        }
    }

    impl<'de> Deserialize<'de> for Counted {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::deserialize(d)
        }
    }

    #[test]
    fn a_missing_tag_selects_the_default_variant() {
        let text = r#"{"n": 3, "x": 0.5}"#;
        let decoded: Counted = serde_json::from_str(text).unwrap();
        let expected = Exact {
            kind: None,
            n: 3.into(),
            x: 0.5,
        };
        assert_eq!(decoded, Counted::Circle(Box::new(expected)));
        // Without the default variant's required properties, the object stays as sent.
        let empty: Counted = serde_json::from_str(r#"{"x": 1}"#).unwrap();
        assert_eq!(empty, Counted::Unknown(raw(json!({"x": 1}))));
        let other: Counted = serde_json::from_str(r#"{"kind": "square", "n": 1}"#).unwrap();
        assert_eq!(
            other,
            Counted::Unknown(raw(json!({"kind": "square", "n": 1})))
        );
    }

    #[test]
    fn numbers_before_the_tag_stay_exact() {
        let text = r#"{"n": 18446744073709551617, "x": 5.960464477539063e-8, "kind": "circle"}"#;
        let Counted::Circle(decoded) = serde_json::from_str::<Counted>(text).unwrap() else {
            panic!("a circle");
        };
        assert_eq!(decoded.n.to_string(), "18446744073709551617");
        assert_eq!(decoded.x, 5.960464477539063e-8);
    }

    #[test]
    fn tag_first_middle_or_last_decodes_every_field() {
        for text in [
            r#"{"kind":"circle","r":2.0,"x":1}"#,
            r#"{"r":2.0,"kind":"circle","x":1}"#,
            r#"{"r":2.0,"x":1,"kind":"circle"}"#,
        ] {
            assert_eq!(
                serde_json::from_str::<Shape>(text).unwrap(),
                circle("circle", 2.0, json!({"x": 1})),
                "{text}"
            );
        }
    }

    #[test]
    fn several_tags_select_one_variant() {
        let shape: Shape = serde_json::from_str(r#"{"kind":"round","r":1.5}"#).unwrap();
        assert_eq!(shape, circle("round", 1.5, json!({})));
    }

    #[test]
    fn works_from_a_value_too() {
        let shape: Shape = serde_json::from_value(json!({"r": 2.0, "kind": "circle"})).unwrap();
        assert_eq!(shape, circle("circle", 2.0, json!({})));
    }

    #[test]
    fn unknown_missing_or_odd_tags_keep_the_whole_value() {
        for value in [
            json!({"a": [1, 2], "kind": "hexagon", "n": 6}),
            json!({"r": 1}),
            json!({"kind": 5, "r": 1}),
            json!([1, {"kind": "circle"}]),
            json!("x"),
            json!(null),
            json!(2.5),
        ] {
            let text = value.to_string();
            assert_eq!(
                serde_json::from_str::<Shape>(&text).unwrap(),
                Shape::Unknown(raw(value.clone())),
                "{text}"
            );
            assert_eq!(
                serde_json::from_value::<Shape>(value.clone()).unwrap(),
                Shape::Unknown(raw(value))
            );
        }
    }

    #[test]
    fn variant_errors_propagate_with_their_position() {
        let err = serde_json::from_str::<Shape>(r#"{"kind":"circle","r":"big"}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
        assert!(
            err.line() > 0,
            "a live field keeps the parser position: {err}"
        );
    }
}
