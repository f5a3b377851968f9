//! Flattening a serialized object into `key=value` pairs, for `application/x-www-form-urlencoded`
//! bodies and `deepObject` query parameters.
//!
//! The value is serialized to JSON text and read back member by member as raw JSON, so keys
//! keep the order the type writes them in (a `serde_json::Value` map would sort them) and
//! numbers keep the exact text JSON gives them.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Serialize;
use serde_json::value::RawValue;

/// One flattened pair, neither part percent-encoded yet.
pub(crate) type Pair = (String, String);

/// The pairs of `value`: `Ok(None)` when it is `null`; each member of an object gives one pair
/// (an array one per item), `null` members give none. Anything else is refused with the
/// reason: a value that is not an object, a nested object or array, an empty array, or a
/// serialization failure.
pub(crate) fn flatten<T: Serialize + ?Sized>(value: &T) -> Result<Option<Vec<Pair>>, String> {
    let text = serde_json::to_string(value).map_err(|e| format!("cannot be serialized: {e}"))?;
    let text = text.trim();
    if text == "null" {
        return Ok(None);
    }
    if !text.starts_with('{') {
        return Err("must be an object".to_owned());
    }
    let Members(members) =
        serde_json::from_str(text).map_err(|e| format!("cannot be read back: {e}"))?;
    let mut pairs = Vec::with_capacity(members.len());
    for (key, raw) in members {
        let raw = raw.get();
        if raw.starts_with('[') {
            let items: Vec<Box<RawValue>> =
                serde_json::from_str(raw).map_err(|e| format!("member `{key}`: {e}"))?;
            if items.is_empty() {
                return Err(format!(
                    "member `{key}` is an empty list, which cannot be written as pairs; leave it \
                     unset instead"
                ));
            }
            for item in items {
                match scalar(item.get()) {
                    Some(Ok(text)) => pairs.push((key.clone(), text)),
                    Some(Err(())) | None => {
                        return Err(format!(
                            "member `{key}` holds a list item that is not a string, number or \
                             boolean"
                        ))
                    }
                }
            }
        } else {
            match scalar(raw) {
                Some(Ok(text)) => pairs.push((key, text)),
                None => {}
                Some(Err(())) => {
                    return Err(format!(
                        "member `{key}` is a nested object, which cannot be written as pairs"
                    ))
                }
            }
        }
    }
    Ok(Some(pairs))
}

/// The text of a scalar: a string unquoted, `true`/`false`, a number as written. `None` for
/// `null`; `Some(Err(()))` for an object or array.
fn scalar(raw: &str) -> Option<Result<String, ()>> {
    match raw.as_bytes().first() {
        Some(b'n') => None,
        Some(b'"') => Some(serde_json::from_str::<String>(raw).map_err(|_| ())),
        Some(b'{') | Some(b'[') | None => Some(Err(())),
        // `true`, `false` and numbers: the JSON text is the text.
        Some(_) => Some(Ok(raw.to_owned())),
    }
}

/// An object's members in document order, each as raw JSON.
struct Members(Vec<(String, Box<RawValue>)>);

impl<'de> serde::Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    out.push(entry);
                }
                Ok(Members(out))
            }
        }
        deserializer
            .deserialize_map(MembersVisitor)
            .map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Form {
        zeta: &'static str,
        alpha: Option<i64>,
        list: Vec<&'static str>,
        flag: bool,
        big: crate::Integer,
    }

    #[test]
    fn members_keep_their_order_and_text() {
        let big: crate::Integer = serde_json::from_str("18446744073709551617000").unwrap();
        let pairs = flatten(&Form {
            zeta: "a b&c",
            alpha: None,
            list: vec!["x", "y"],
            flag: true,
            big,
        })
        .unwrap()
        .unwrap();
        let expected = [
            ("zeta", "a b&c"),
            ("list", "x"),
            ("list", "y"),
            ("flag", "true"),
            ("big", "18446744073709551617000"),
        ];
        let expected: Vec<Pair> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(pairs, expected);
    }

    #[test]
    fn refusals_name_the_reason() {
        assert_eq!(flatten(&None::<i64>).unwrap(), None);
        assert!(flatten(&3).unwrap_err().contains("object"));
        assert!(flatten(&serde_json::json!({"a": {"b": 1}}))
            .unwrap_err()
            .contains("`a` is a nested object"));
        assert!(flatten(&serde_json::json!({"a": []}))
            .unwrap_err()
            .contains("`a` is an empty list"));
        assert!(flatten(&serde_json::json!({"a": [[1]]}))
            .unwrap_err()
            .contains("`a` holds a list item"));
        assert!(flatten(&serde_json::json!({"a": [null]})).is_err());
    }
}
