//! Timestamps are written only as valid RFC 3339, and read by a fast path.
//!
//! `chrono::DateTime<Utc>` spans years −262143 to 262142 and writes years outside 0000–9999
//! with a sign and more digits (`+10000-01-01T00:00:00Z`), which is not RFC 3339 and which
//! the API would reject. Such a value fails to serialize with an error saying why, instead
//! of writing text that no RFC 3339 reader accepts.
//!
//! Reading: the form the API sends (`2025-01-01T12:00:00.123456Z`) is parsed by hand, about
//! ten times faster than chrono's general parser; anything else (other offsets, leap
//! seconds, lower-case letters, invalid dates, ...) goes to chrono's parser, so what is
//! accepted, the value and the error are exactly chrono's.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Parses an RFC 3339 timestamp exactly as `str::parse::<DateTime<Utc>>` does.
pub(crate) fn parse(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match fast(text.as_bytes()) {
        Some(stamp) => Ok(stamp),
        None => text.parse(),
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.F]Z` (or `+00:00`) with 1 to 9 fraction digits and a valid date and
/// time (no leap second); `None` for anything else.
fn fast(b: &[u8]) -> Option<DateTime<Utc>> {
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let digit = |i: usize| {
        let d = b[i].wrapping_sub(b'0');
        (d < 10).then_some(u32::from(d))
    };
    let pair = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let year = pair(0)? * 100 + pair(2)?;
    let (month, day) = (pair(5)?, pair(8)?);
    let (hour, minute, second) = (pair(11)?, pair(14)?, pair(17)?);
    let mut at = 19;
    let mut nanos = 0;
    if b[at] == b'.' {
        at += 1;
        let start = at;
        while let Some(d) = b.get(at).and_then(|_| digit(at)) {
            if at - start == 9 {
                return None;
            }
            nanos = nanos * 10 + d;
            at += 1;
        }
        let digits = at - start;
        if digits == 0 {
            return None;
        }
        nanos *= 10u32.pow(9 - digits as u32);
    }
    if !matches!(&b[at..], b"Z" | b"+00:00") || second > 59 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some(date.and_time(time).and_utc())
}

/// A timestamp read by [`parse`].
struct Parsed(DateTime<Utc>);

impl<'de> Deserialize<'de> for Parsed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ParsedVisitor;
        impl Visitor<'_> for ParsedVisitor {
            type Value = Parsed;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Parsed, E> {
                parse(text).map(Parsed).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(ParsedVisitor)
    }
}

/// A field type read by the timestamp codecs: `DateTime<Utc>` or `Option` of it.
pub(crate) trait Stamp: Sized {
    fn deserialize_stamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
    /// What a required field left out reads as (`None` for an `Option`, as serde's derive).
    fn missing<E: de::Error>(name: &'static str) -> Result<Self, E>;
}

impl Stamp for DateTime<Utc> {
    fn deserialize_stamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Parsed::deserialize(deserializer).map(|Parsed(stamp)| stamp)
    }
    fn missing<E: de::Error>(name: &'static str) -> Result<Self, E> {
        Err(E::missing_field(name))
    }
}

impl Stamp for Option<DateTime<Utc>> {
    fn deserialize_stamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<Parsed>::deserialize(deserializer).map(|stamp| stamp.map(|Parsed(stamp)| stamp))
    }
    fn missing<E: de::Error>(_name: &'static str) -> Result<Self, E> {
        Ok(None)
    }
}

/// A timestamp field, bare or in an `Option`.
pub(crate) fn deserialize<'de, T: Stamp, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    T::deserialize_stamp(deserializer)
}

/// An optional nullable timestamp field (`T` is `Option<DateTime<Utc>>`): `null` is
/// `Some(None)`.
pub(crate) fn deserialize_double_option<'de, T: Stamp, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize_stamp(deserializer).map(Some)
}

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
    use chrono::{DateTime, TimeZone, Utc};

    #[test]
    fn the_fast_path_takes_the_api_form_and_agrees_with_chrono_everywhere() {
        for text in [
            "2025-01-01T12:00:00Z",
            "2025-01-01T12:00:00.123456Z",
            "2024-02-29T23:59:59.999999999+00:00",
        ] {
            assert!(super::fast(text.as_bytes()).is_some(), "{text}");
        }
        let mut checked = 0;
        let mut fast = 0;
        for year in [
            "0000", "0001", "1969", "2000", "2024", "2100", "9999", "20x5",
        ] {
            for month in ["00", "01", "02", "12", "13"] {
                for day in ["00", "01", "28", "29", "30", "31", "32"] {
                    for time in [
                        "00:00:00", "23:59:59", "24:00:00", "12:60:00", "23:59:60", "1:00:00",
                    ] {
                        for fraction in [
                            "",
                            ".",
                            ".1",
                            ".123456",
                            ".123456789",
                            ".1234567891",
                            ".12a",
                        ] {
                            for offset in ["Z", "z", "+00:00", "-00:00", "+01:30", "", " "] {
                                for t in ["T", "t", " "] {
                                    let text =
                                        format!("{year}-{month}-{day}{t}{time}{fraction}{offset}");
                                    let expected = text.parse::<DateTime<Utc>>();
                                    let found = super::parse(&text);
                                    assert_eq!(found, expected, "{text}");
                                    checked += 1;
                                    fast += usize::from(super::fast(text.as_bytes()).is_some());
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(
            fast > 1000 && fast < checked,
            "{fast} of {checked} took the fast path"
        );
    }

    #[test]
    fn timestamps_decode_through_the_codecs() {
        #[derive(Debug)]
        struct Times {
            at: DateTime<Utc>,
            maybe: Option<DateTime<Utc>>,
            gone: Option<Option<DateTime<Utc>>>,
            unknown_fields: crate::UnknownFields,
        }
        crate::runtime::decode_struct!(Times {
            at: "at" required Timestamp,
            maybe: "maybe" required Timestamp,
            gone: "gone" optional TimestampDoubleOption,
        });
        let at = Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap();
        let times: Times = serde_json::from_str(r#"{"at": "2025-01-02T03:04:05Z"}"#).unwrap();
        assert_eq!((times.at, times.maybe, times.gone), (at, None, None));
        assert!(times.unknown_fields.is_empty());
        let text = r#"{"at": "2025-01-02T04:04:05+01:00", "maybe": "2025-01-02T03:04:05.5Z", "gone": null}"#;
        let times: Times = serde_json::from_str(text).unwrap();
        let later = at + chrono::Duration::milliseconds(500);
        assert_eq!(
            (times.at, times.maybe, times.gone),
            (at, Some(later), Some(None))
        );
        let times: Times = serde_json::from_value(serde_json::json!({
            "at": "2025-01-02T03:04:05Z", "maybe": null, "gone": "2025-01-02T03:04:05Z"
        }))
        .unwrap();
        assert_eq!((times.maybe, times.gone), (None, Some(Some(at))));
        for (text, error) in [
            (r#"{"maybe": null}"#, "missing field `at`"),
            (r#"{"at": 5}"#, "an RFC 3339 timestamp"),
            (r#"{"at": "2025-02-30T00:00:00Z"}"#, "out of range"),
            (
                r#"{"at": "yesterday"}"#,
                "input contains invalid characters",
            ),
        ] {
            let err = serde_json::from_str::<Times>(text).unwrap_err().to_string();
            assert!(err.contains(error), "{text}: {err}");
        }
    }

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
