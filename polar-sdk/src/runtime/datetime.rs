//! Timestamps are written only as valid RFC 3339.
//!
//! `chrono::DateTime<Utc>` spans years −262143 to 262142 and writes years outside 0000–9999
//! with a sign and more digits (`+10000-01-01T00:00:00Z`), which is not RFC 3339 and which
//! the API would reject. Such a value fails to serialize with an error saying why, instead
//! of writing text that no RFC 3339 reader accepts. Decoding is unchanged: RFC 3339 text
//! always has a four-digit year.

use chrono::{DateTime, Datelike, Utc};
use serde::{Serialize, Serializer};

/// A field type holding timestamps that [`serialize`] checks.
pub(crate) trait Rfc3339 {
    fn serialize_rfc3339<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl Rfc3339 for DateTime<Utc> {
    fn serialize_rfc3339<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !(0..=9999).contains(&self.year()) {
            return Err(serde::ser::Error::custom(format_args!(
                "the timestamp's year {} cannot be written as RFC 3339, which has years 0000 to 9999",
                self.year()
            )));
        }
        self.serialize(serializer)
    }
}

/// `null`, or the checked value; also `Option<Option<_>>` as `double_option` writes it.
impl<T: Rfc3339> Rfc3339 for Option<T> {
    fn serialize_rfc3339<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Checked<'a, T>(&'a T);
        impl<T: Rfc3339> Serialize for Checked<'_, T> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.serialize_rfc3339(serializer)
            }
        }
        match self {
            Some(value) => serializer.serialize_some(&Checked(value)),
            None => serializer.serialize_none(),
        }
    }
}

/// `serialize_with` for timestamp fields, bare or in `Option`s.
#[allow(dead_code)] // Used only when the document has such a field.
pub(crate) fn serialize<T: Rfc3339, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.serialize_rfc3339(serializer)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    #[derive(serde::Serialize)]
    struct Stamped {
        #[serde(serialize_with = "super::serialize")]
        at: chrono::DateTime<Utc>,
        #[serde(serialize_with = "super::serialize")]
        maybe: Option<Option<chrono::DateTime<Utc>>>,
    }

    #[test]
    fn four_digit_years_are_written_and_others_refused() {
        let at = |year| Utc.with_ymd_and_hms(year, 6, 1, 12, 0, 0).unwrap();
        let ok = Stamped {
            at: at(9999),
            maybe: Some(Some(at(0))),
        };
        assert_eq!(
            serde_json::to_string(&ok).unwrap(),
            r#"{"at":"9999-06-01T12:00:00Z","maybe":"0000-06-01T12:00:00Z"}"#
        );
        let null = Stamped {
            at: at(2025),
            maybe: Some(None),
        };
        assert!(serde_json::to_string(&null)
            .unwrap()
            .ends_with(r#""maybe":null}"#));
        for (at_year, maybe_year) in [(10_000, 1), (2025, -1)] {
            let bad = Stamped {
                at: at(at_year),
                maybe: Some(Some(at(maybe_year))),
            };
            let err = serde_json::to_string(&bad).unwrap_err().to_string();
            assert!(err.contains("RFC 3339"), "{err}");
        }
    }
}
