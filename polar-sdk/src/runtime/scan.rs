//! A shallow look at a JSON object's text, without decoding it: which top-level keys it has.
//! Untagged unions use it to skip, before decoding, the variants whose required keys the
//! object lacks (a nested `Filter` was decoded as a `FilterClause` first, to the end, before
//! that attempt failed).
//!
//! The text is always one whole JSON value that serde_json has already read and checked (the
//! source text of a raw value). On other text the answer may be wrong, but nothing panics
//! (the fuzz-style tests feed it corrupted pages). A key written with escapes (`"\u0074ype"`)
//! makes the answer [`Has::Unclear`], so that the caller decodes instead of comparing it
//! wrongly.

/// Where the string whose characters start at `start` ends (the index of its closing quote,
/// or the length of `bytes` if it has none), and whether it has an escape.
fn string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut escaped = false;
    let mut i = start;
    // Most keys and values are short: a plain loop first, memchr for the long ones.
    let short = bytes.len().min(start + 24);
    while i < short {
        match bytes[i] {
            b'"' => return (i, escaped),
            b'\\' => {
                escaped = true;
                i += 2;
            }
            _ => i += 1,
        }
    }
    while let Some(offset) = bytes
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
    {
        i += offset;
        if bytes[i] == b'"' {
            return (i, escaped);
        }
        escaped = true;
        i += 2;
    }
    (bytes.len(), escaped)
}

/// Calls `member(key, key_escaped)` for each top-level member of the object in `text` until
/// it returns `false`. Returns `false` if `text` is not an object.
fn members<'t>(text: &'t str, mut member: impl FnMut(&'t str, bool) -> bool) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if bytes.get(i) != Some(&b'{') {
        return false;
    }
    i += 1;
    let mut depth = 1usize;
    let mut expect_key = true;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let (end, escaped) = string_end(bytes, i + 1);
                if depth == 1 && expect_key {
                    expect_key = false;
                    // Both ends are at a quote (ASCII) or the end: character boundaries.
                    if !member(&text[i + 1..end], escaped) {
                        return true;
                    }
                }
                i = end + 1;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return true;
                }
            }
            b',' if depth == 1 => expect_key = true,
            _ => {}
        }
        i += 1;
    }
    true
}

/// Whether the object in `text` has every key of `names`.
#[derive(Debug, PartialEq)]
pub(crate) enum Has {
    /// It has them all (or `names` is empty).
    All,
    /// One is missing, or the value is not an object (and `names` is not empty).
    Missing,
    /// A key has an escape, so written keys cannot be compared with names.
    Unclear,
}

/// Whether the object in `text` has a member for each of `names` (at most 64 of them).
pub(crate) fn has_all(text: &str, names: &[&str]) -> Has {
    if names.is_empty() {
        return Has::All;
    }
    if names.len() > 64 {
        return Has::Unclear;
    }
    let all = u64::MAX >> (64 - names.len());
    let mut seen = 0u64;
    let mut unclear = false;
    let object = members(text, |key, escaped| {
        if escaped {
            // Might be one of `names`, written differently: unless the others are all
            // found, the answer is unclear.
            unclear = true;
        } else if let Some(index) = names.iter().position(|name| *name == key) {
            seen |= 1 << index;
        }
        // Once every name is found, the rest of the object does not matter.
        seen != all
    });
    if object && seen == all {
        Has::All
    } else if unclear {
        Has::Unclear
    } else {
        Has::Missing
    }
}

#[cfg(test)]
mod tests {
    use super::{has_all, Has};

    #[test]
    fn only_top_level_keys_count() {
        let text = r#" { "a" : {"b": [1, {"c": "}\""}]}, "d":"x,\"y\\", "e": [ "f", {"g":1} ] } "#;
        assert_eq!(has_all(text, &["e", "a", "d"]), Has::All);
        assert_eq!(has_all(text, &["a", "b"]), Has::Missing);
        assert_eq!(has_all(text, &["c"]), Has::Missing);
        assert_eq!(has_all(text, &["g"]), Has::Missing);
        assert_eq!(has_all(text, &[]), Has::All);
        let escaped = r#" { "a" : 1, "d\"":"x" } "#;
        assert_eq!(has_all(escaped, &["a"]), Has::All);
        assert_eq!(has_all(escaped, &["a", "d\""]), Has::Unclear);
        assert_eq!(has_all(escaped, &["b"]), Has::Unclear);
        // Long strings (past the plain loop), with an escaped quote far in.
        let long = format!(
            r#"{{"k": "{}\"{}", "n": 1}}"#,
            "x".repeat(40),
            "y".repeat(40)
        );
        assert_eq!(has_all(&long, &["n", "k"]), Has::All);
        assert_eq!(has_all(&long, &["y"]), Has::Missing);
        assert_eq!(has_all("{}", &["a"]), Has::Missing);
        assert_eq!(has_all(r#"["a", "b"]"#, &["a"]), Has::Missing);
        assert_eq!(has_all(r#""{\"a\": 1}""#, &["a"]), Has::Missing);
        assert_eq!(has_all("", &["a"]), Has::Missing);
    }
}
