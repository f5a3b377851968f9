use serde::{Deserialize, Serialize};

/// A filter value that is either a single value or a list of values.
///
/// Filters such as `organization_id` accept both; a list matches any of its values. You rarely
/// name this type: the filter setters take `impl Into<OneOrMany<T>>`, so a single value, an
/// array or a `Vec` all work (and `&str` where the values are strings):
///
/// ```
/// use polar_sdk::OneOrMany;
///
/// let one: OneOrMany<String> = "ext_1".into();
/// let many: OneOrMany<String> = ["ext_1", "ext_2"].into();
/// assert_eq!(one.as_slice(), ["ext_1".to_string()]);
/// assert_eq!(many.as_slice().len(), 2);
/// ```
///
/// On the wire (JSON) it is the bare value or an array.
///
/// # Empty lists
///
/// An empty list is refused: the call fails with
/// [`Error::InvalidRequest`](crate::Error::InvalidRequest) naming the parameter, and no
/// request is sent. A query string cannot say "none of these"; sending the parameter without
/// values would drop the filter, so `.customer_id(Vec::new())` would return every customer's
/// items instead of none. Check for an empty list yourself when "none" is what you mean (the
/// answer is then empty without asking), and leave the filter unset for "no filter". The same
/// holds for every list-typed query parameter, including sort keys: leave `sorting` unset for
/// the server's default order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single value.
    One(T),
    /// A list of values.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The value(s) as a slice.
    pub fn as_slice(&self) -> &[T] {
        match self {
            Self::One(v) => std::slice::from_ref(v),
            Self::Many(v) => v,
        }
    }

    /// The value(s) as a `Vec`.
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Self::One(v) => vec![v],
            Self::Many(v) => v,
        }
    }
}

impl<T> From<T> for OneOrMany<T> {
    fn from(value: T) -> Self {
        Self::One(value)
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    fn from(values: Vec<T>) -> Self {
        Self::Many(values)
    }
}

impl<T, const N: usize> From<[T; N]> for OneOrMany<T> {
    fn from(values: [T; N]) -> Self {
        Self::Many(values.into())
    }
}

impl From<&str> for OneOrMany<String> {
    fn from(value: &str) -> Self {
        Self::One(value.to_owned())
    }
}

impl From<&String> for OneOrMany<String> {
    fn from(value: &String) -> Self {
        Self::One(value.clone())
    }
}

impl From<Vec<&str>> for OneOrMany<String> {
    fn from(values: Vec<&str>) -> Self {
        Self::Many(values.into_iter().map(str::to_owned).collect())
    }
}

impl<const N: usize> From<[&str; N]> for OneOrMany<String> {
    fn from(values: [&str; N]) -> Self {
        Self::Many(values.into_iter().map(str::to_owned).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::OneOrMany;

    #[test]
    fn conversions() {
        assert_eq!(OneOrMany::from(3), OneOrMany::One(3));
        assert_eq!(OneOrMany::from(vec![1, 2]), OneOrMany::Many(vec![1, 2]));
        assert_eq!(OneOrMany::from([1, 2]), OneOrMany::Many(vec![1, 2]));
        let s = String::from("a");
        assert_eq!(OneOrMany::from(&s), OneOrMany::One("a".to_string()));
        assert_eq!(OneOrMany::<String>::from("a"), OneOrMany::One("a".into()));
        assert_eq!(
            OneOrMany::<String>::from(vec!["a", "b"]),
            OneOrMany::Many(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            OneOrMany::<String>::from(["a", "b"]).into_vec(),
            vec!["a".to_string(), "b".to_string()]
        );
    }

    #[test]
    fn json_is_untagged() {
        let one: OneOrMany<String> = serde_json::from_str(r#""x""#).unwrap();
        assert_eq!(one, OneOrMany::One("x".into()));
        let many: OneOrMany<String> = serde_json::from_str(r#"["x","y"]"#).unwrap();
        assert_eq!(many.as_slice(), ["x".to_string(), "y".to_string()]);
        assert_eq!(serde_json::to_string(&many).unwrap(), r#"["x","y"]"#);
        assert_eq!(serde_json::to_string(&one).unwrap(), r#""x""#);
        assert!(serde_json::from_str::<OneOrMany<i64>>(r#"{"a":1}"#).is_err());
    }
}
