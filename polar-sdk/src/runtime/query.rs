//! Query parameters, OpenAPI `style: form`.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::{OneOrMany, OpenEnum};

/// Everything but RFC 3986 "unreserved" characters is percent-encoded (so `+`, `&`, `=`, `,`,
/// `#`, `/`, `?`, `%` and spaces in values can never change the query's structure).
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub(crate) fn encode(raw: &str) -> Cow<'_, str> {
    utf8_percent_encode(raw, COMPONENT).into()
}

/// How a parameter is serialized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum QueryStyle {
    /// `style: form`. `explode: true` repeats the name per list element (`a=1&a=2`);
    /// `explode: false` joins the elements with commas (`a=1,2`).
    Form {
        /// Whether list elements get their own `name=value` pair.
        explode: bool,
    },
}

/// A list parameter set to an empty list: refused, because the query string has no way to
/// say "none of these" and leaving the parameter out would widen the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EmptyList;

/// A value that becomes zero or more `name=value` pairs.
pub(crate) trait QueryValue {
    /// Appends the pairs (name and value already percent-encoded), or refuses an empty list.
    fn append_query(
        &self,
        name: &'static str,
        style: QueryStyle,
        out: &mut Vec<(&'static str, String)>,
    ) -> Result<(), EmptyList>;
}

/// A single value in a query string.
pub(crate) trait QueryScalar {
    /// The unescaped text of the value.
    fn to_query_string(&self) -> Cow<'_, str>;
}

impl<T: QueryScalar + ?Sized> QueryValue for T {
    fn append_query(
        &self,
        name: &'static str,
        _style: QueryStyle,
        out: &mut Vec<(&'static str, String)>,
    ) -> Result<(), EmptyList> {
        out.push((name, encode(&self.to_query_string()).into_owned()));
        Ok(())
    }
}

impl<T: QueryValue> QueryValue for Option<T> {
    fn append_query(
        &self,
        name: &'static str,
        style: QueryStyle,
        out: &mut Vec<(&'static str, String)>,
    ) -> Result<(), EmptyList> {
        match self {
            Some(value) => value.append_query(name, style, out),
            None => Ok(()),
        }
    }
}

fn append_list<T: QueryScalar>(
    items: &[T],
    name: &'static str,
    style: QueryStyle,
    out: &mut Vec<(&'static str, String)>,
) -> Result<(), EmptyList> {
    if items.is_empty() {
        return Err(EmptyList);
    }
    match style {
        QueryStyle::Form { explode: true } => {
            out.extend(
                items
                    .iter()
                    .map(|v| (name, encode(&v.to_query_string()).into_owned())),
            );
        }
        QueryStyle::Form { explode: false } => {
            let mut joined = String::new();
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    joined.push(',');
                }
                joined.push_str(&encode(&v.to_query_string()));
            }
            out.push((name, joined));
        }
    }
    Ok(())
}

impl<T: QueryScalar> QueryValue for [T] {
    fn append_query(
        &self,
        name: &'static str,
        style: QueryStyle,
        out: &mut Vec<(&'static str, String)>,
    ) -> Result<(), EmptyList> {
        append_list(self, name, style, out)
    }
}

impl<T: QueryScalar> QueryValue for Vec<T> {
    fn append_query(
        &self,
        name: &'static str,
        style: QueryStyle,
        out: &mut Vec<(&'static str, String)>,
    ) -> Result<(), EmptyList> {
        append_list(self, name, style, out)
    }
}

impl<T: QueryScalar> QueryValue for OneOrMany<T> {
    fn append_query(
        &self,
        name: &'static str,
        style: QueryStyle,
        out: &mut Vec<(&'static str, String)>,
    ) -> Result<(), EmptyList> {
        append_list(self.as_slice(), name, style, out)
    }
}

impl QueryScalar for str {
    fn to_query_string(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl QueryScalar for String {
    fn to_query_string(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl QueryScalar for i64 {
    fn to_query_string(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl QueryScalar for i32 {
    fn to_query_string(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl QueryScalar for f64 {
    fn to_query_string(&self) -> Cow<'_, str> {
        // `Display` for f64 is the shortest text that round-trips (`1`, `0.1`, `1e-7`).
        Cow::Owned(self.to_string())
    }
}

impl QueryScalar for bool {
    fn to_query_string(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

impl QueryScalar for uuid::Uuid {
    fn to_query_string(&self) -> Cow<'_, str> {
        Cow::Owned(self.hyphenated().to_string())
    }
}

impl QueryScalar for chrono::DateTime<chrono::Utc> {
    fn to_query_string(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

impl QueryScalar for chrono::NaiveDate {
    fn to_query_string(&self) -> Cow<'_, str> {
        Cow::Owned(self.format("%Y-%m-%d").to_string())
    }
}

impl<T: OpenEnum> QueryScalar for T {
    fn to_query_string(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.wire_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::open_enum::tests::Color;

    fn pairs<V: QueryValue + ?Sized>(value: &V, explode: bool) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        value
            .append_query("p", QueryStyle::Form { explode }, &mut out)
            .unwrap();
        out
    }

    fn p(values: &[&str]) -> Vec<(&'static str, String)> {
        values.iter().map(|v| ("p", v.to_string())).collect()
    }

    #[test]
    fn scalars() {
        assert_eq!(
            pairs("a b&c=d+e,f/g?h#i%j~k", true),
            p(&["a%20b%26c%3Dd%2Be%2Cf%2Fg%3Fh%23i%25j~k"])
        );
        assert_eq!(pairs("é", true), p(&["%C3%A9"]));
        assert_eq!(pairs(&-5i64, true), p(&["-5"]));
        assert_eq!(pairs(&7i32, true), p(&["7"]));
        assert_eq!(pairs(&1.5f64, true), p(&["1.5"]));
        assert_eq!(pairs(&true, true), p(&["true"]));
        let id = uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(
            pairs(&id, true),
            p(&["01234567-89ab-cdef-0123-456789abcdef"])
        );
        let at = chrono::DateTime::parse_from_rfc3339("2024-05-01T10:20:30Z")
            .unwrap()
            .to_utc();
        assert_eq!(pairs(&at, true), p(&["2024-05-01T10%3A20%3A30Z"]));
        assert_eq!(pairs(&Color::Red, true), p(&["red"]));
        assert_eq!(pairs(&Color::Unknown("a b".into()), true), p(&["a%20b"]));
    }

    #[test]
    fn options_and_lists() {
        assert_eq!(pairs(&None::<i64>, true), p(&[]));
        assert_eq!(pairs(&Some(3i64), true), p(&["3"]));
        assert_eq!(pairs(&vec![1i64, 2], true), p(&["1", "2"]));
        assert_eq!(
            pairs(&vec!["a,b".to_string(), "c".into()], false),
            p(&["a%2Cb,c"])
        );
        for explode in [true, false] {
            let style = QueryStyle::Form { explode };
            let mut out = Vec::new();
            assert_eq!(
                Vec::<i64>::new().append_query("p", style, &mut out),
                Err(EmptyList)
            );
            assert_eq!(
                Some(OneOrMany::<i64>::Many(vec![])).append_query("p", style, &mut out),
                Err(EmptyList)
            );
            assert_eq!(None::<Vec<i64>>.append_query("p", style, &mut out), Ok(()));
            assert!(out.is_empty());
        }
        assert_eq!(pairs(&[1i64, 2][..], false), p(&["1,2"]));
        assert_eq!(pairs(&Some(OneOrMany::from(4i64)), true), p(&["4"]));
        assert_eq!(
            pairs(&Some(OneOrMany::<i64>::from([4, 5])), true),
            p(&["4", "5"])
        );
        assert_eq!(
            pairs(&Some(vec![Color::Red, Color::Unknown("x".into())]), true),
            p(&["red", "x"])
        );
    }
}
