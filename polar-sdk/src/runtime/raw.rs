//! JSON this SDK version does not know, kept as the exact text the server sent.
//!
//! `serde_json::Value` cannot hold every JSON number: without serde_json's
//! `arbitrary_precision` (which the SDK does not enable, see the README) an integer beyond
//! `u64` becomes the nearest double, `1e400` fails, and a decimal with more digits than a double
//! holds is rounded. [`RawJson`] keeps the text instead, so unknown fields and unknown union
//! members are written back exactly as they came.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

use super::number::{TextSeed, RAW_TOKEN};

/// One JSON value kept as the exact text it was read from (inner whitespace included).
///
/// Two values are equal when their texts are: `1.0` and `1` differ. Serializing writes the
/// text back verbatim.
///
/// ```
/// use polar_sdk::RawJson;
///
/// let raw: RawJson = serde_json::from_str("18446744073709551617000").unwrap();
/// assert_eq!(raw.as_str(), "18446744073709551617000");
/// assert_eq!(serde_json::to_string(&raw).unwrap(), "18446744073709551617000");
/// assert_eq!(raw.json::<f64>().unwrap(), 1.8446744073709552e22);
/// ```
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Checks that `text` is one JSON value and keeps it as it is.
    pub fn from_text(text: impl Into<String>) -> Result<RawJson, serde_json::Error> {
        RawValue::from_string(text.into()).map(RawJson)
    }

    /// The text of a `serde_json::Value` (compact).
    pub fn from_value(value: &Value) -> RawJson {
        // A `Value` always writes valid JSON; `null` is an unreachable fallback.
        Self::from_text(value.to_string()).unwrap_or_else(|_| RawJson(RawValue::NULL.to_owned()))
    }

    /// The JSON text, exactly as it was read.
    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// Decodes the text as `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.as_str())
    }

    /// Decodes the text as a `serde_json::Value`, which rounds integers beyond `u64` to a
    /// double and fails on numbers beyond `f64` (`1e400`) or nesting deeper than 128 levels.
    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        self.json()
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawJson")
            .field(&format_args!("{}", self.as_str()))
            .finish()
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for RawJson {}

impl std::hash::Hash for RawJson {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl From<&Value> for RawJson {
    fn from(value: &Value) -> Self {
        RawJson::from_value(value)
    }
}

impl Serialize for RawJson {
    /// serde_json (a writer or `to_value`) gets the text as it is; other formats get a
    /// one-field struct, as `serde_json::value::RawValue` gives them.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    /// From serde_json (text or a `Value`), the value's source text without decoding it; from
    /// another format or from serde's own buffering, the decoded value, written as JSON.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_TOKEN, RawVisitor)
    }
}

struct RawVisitor;

impl RawVisitor {
    fn value<E: de::Error>(value: Value) -> Result<RawJson, E> {
        Ok(RawJson::from_value(&value))
    }
}

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawJson;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawJson, A::Error> {
        match map.next_key_seed(TextSeed)? {
            // serde_json hands the text over as the value of its private token: give the same
            // map to `RawValue`, which takes the text without checking it again.
            Some(key) if key == RAW_TOKEN => {
                let rewound = Rewound {
                    key: Some(RAW_TOKEN),
                    map,
                };
                Box::<RawValue>::deserialize(de::value::MapAccessDeserializer::new(rewound))
                    .map(RawJson)
            }
            // A real map, from another format.
            Some(key) => {
                let mut object = serde_json::Map::new();
                object.insert(key.into_owned(), map.next_value()?);
                while let Some((key, value)) = map.next_entry()? {
                    object.insert(key, value);
                }
                Self::value(Value::Object(object))
            }
            None => Self::value(Value::Object(serde_json::Map::new())),
        }
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<RawJson, D::Error> {
        Value::deserialize(d).and_then(Self::value)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawJson, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).and_then(Self::value)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawJson, E> {
        Self::value(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawJson, E> {
        Self::value(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawJson, E> {
        Self::value(Value::from(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<RawJson, E> {
        RawJson::from_text(v.to_string()).map_err(E::custom)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<RawJson, E> {
        RawJson::from_text(v.to_string()).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawJson, E> {
        Self::value(Value::from(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawJson, E> {
        Self::value(Value::from(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<RawJson, E> {
        Self::value(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<RawJson, E> {
        Self::value(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawJson, D::Error> {
        Value::deserialize(d).and_then(Self::value)
    }
}

/// A map whose first key was already read: yields it again, then the rest of the map.
struct Rewound<A> {
    key: Option<&'static str>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Rewound<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.key.take() {
            Some(key) => seed
                .deserialize(de::value::BorrowedStrDeserializer::new(key))
                .map(Some),
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// Raw JSON from text this crate put together from valid pieces (e.g. an object whose members
/// were read one by one).
pub(crate) fn assembled<E: de::Error>(text: String) -> Result<RawJson, E> {
    RawJson::from_text(text).map_err(E::custom)
}

/// Writes `{"key":value,...}` from members kept as raw JSON, in the order given.
pub(crate) fn object_text<'a>(members: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut text = String::from("{");
    for (index, (key, value)) in members.into_iter().enumerate() {
        if index > 0 {
            text.push(',');
        }
        // A string always encodes.
        text.push_str(&serde_json::to_string(key).unwrap_or_default());
        text.push(':');
        text.push_str(value);
    }
    text.push('}');
    text
}

/// The fields of an object that this SDK version does not know, by name (sorted, so encoding
/// is deterministic), each kept as the exact JSON the server sent.
///
/// When a name comes twice, the last value is kept. Serializing a struct writes these after
/// its known fields.
///
/// ```
/// use polar_sdk::models::Pagination;
///
/// let text = r#"{"total_count": 1, "max_page": 1, "next_cursor": 18446744073709551617000}"#;
/// let page: Pagination = serde_json::from_str(text).unwrap();
/// assert_eq!(page.unknown_fields.len(), 1);
/// let cursor = page.unknown_fields.get("next_cursor").unwrap();
/// assert_eq!(cursor.as_str(), "18446744073709551617000");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct UnknownFields(BTreeMap<String, RawJson>);

impl UnknownFields {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of field `name`, if the server sent one.
    pub fn get(&self, name: &str) -> Option<&RawJson> {
        self.0.get(name)
    }

    /// Whether the server sent a field `name` this SDK version does not know.
    pub fn contains_key(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The fields, sorted by name.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &RawJson)> + '_ {
        self.0.iter().map(|(name, value)| (name.as_str(), value))
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds or replaces field `name` (to be sent on a request, for example); returns the value
    /// it replaced.
    pub fn insert(&mut self, name: impl Into<String>, value: RawJson) -> Option<RawJson> {
        self.0.insert(name.into(), value)
    }

    /// Removes field `name` and returns its value.
    pub fn remove(&mut self, name: &str) -> Option<RawJson> {
        self.0.remove(name)
    }
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl FromIterator<(String, RawJson)> for UnknownFields {
    fn from_iter<I: IntoIterator<Item = (String, RawJson)>>(iter: I) -> Self {
        UnknownFields(iter.into_iter().collect())
    }
}

impl IntoIterator for UnknownFields {
    type Item = (String, RawJson);
    type IntoIter = std::collections::btree_map::IntoIter<String, RawJson>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Serialize for UnknownFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter())
    }
}

impl<'de> Deserialize<'de> for UnknownFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::deserialize(deserializer).map(UnknownFields)
    }
}

#[cfg(test)]
mod tests {
    use super::{RawJson, UnknownFields};
    use serde_json::json;

    #[test]
    fn text_is_kept_from_text_values_and_other_paths() {
        let text =
            r#"{"a": [18446744073709551617000, 1e400, 0.1000000000000000055511151231257827]}"#;
        let raw: RawJson = serde_json::from_str(text).unwrap();
        assert_eq!(raw.as_str(), text);
        assert_eq!(raw.to_string(), text);
        assert_eq!(serde_json::to_string(&raw).unwrap(), text);
        // Through a reader (owned text) too.
        let raw: RawJson = serde_json::from_reader(text.as_bytes()).unwrap();
        assert_eq!(raw.as_str(), text);
        // From a `Value`, the value's own text.
        let raw: RawJson = serde_json::from_value(json!({"b": [1, "x"]})).unwrap();
        assert_eq!(raw.as_str(), r#"{"b":[1,"x"]}"#);
        assert_eq!(serde_json::to_value(&raw).unwrap(), json!({"b": [1, "x"]}));
        assert_eq!(
            raw.json::<serde_json::Value>().unwrap(),
            json!({"b": [1, "x"]})
        );
        // From serde's own buffering (an untagged enum), the decoded value.
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Either {
            Raw(RawJson),
        }
        let Either::Raw(raw) = serde_json::from_str(r#"{"k": [true, null, -2, "s"]}"#).unwrap();
        assert_eq!(raw.as_str(), r#"{"k":[true,null,-2,"s"]}"#);
    }

    #[test]
    fn equality_is_by_text_and_bad_text_is_refused() {
        let one = RawJson::from_text("1").unwrap();
        assert_eq!(one, RawJson::from_text("1").unwrap());
        assert_ne!(one, RawJson::from_text("1.0").unwrap());
        assert!(RawJson::from_text("{").is_err());
        assert!(RawJson::from_text("1 2").is_err());
        assert_eq!(format!("{one:?}"), "RawJson(1)");
        // Too deep for `Value`, still kept.
        let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
        let raw: RawJson = serde_json::from_str(&deep).unwrap();
        assert_eq!(raw.as_str(), deep);
        assert!(raw.to_value().is_err());
    }

    #[test]
    fn unknown_fields_are_sorted_and_written_verbatim() {
        let mut fields = UnknownFields::new();
        assert!(fields.is_empty());
        fields.insert("b", RawJson::from_text("1e400").unwrap());
        fields.insert("a", RawJson::from_value(&json!([1])));
        assert_eq!(fields.len(), 2);
        assert!(fields.contains_key("a"));
        assert_eq!(fields.get("b").unwrap().as_str(), "1e400");
        let names: Vec<&str> = fields.iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(
            serde_json::to_string(&fields).unwrap(),
            r#"{"a":[1],"b":1e400}"#
        );
        let back: UnknownFields = serde_json::from_str(r#"{"b":1e400,"a":[1]}"#).unwrap();
        assert_eq!(back, fields);
        assert_eq!(fields.remove("a"), Some(RawJson::from_text("[1]").unwrap()));
        assert_eq!(format!("{fields:?}"), r#"{"b": RawJson(1e400)}"#);
    }
}
