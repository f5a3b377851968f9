//! Numbers decoded as the API's schemas define them, from the number's exact text.
//!
//! JSON Schema's `integer` is any whole number, however large, and is also written `10.0` or
//! `1e2`; serde's `i64` rejects those and `serde_json` rounds whole numbers beyond `u64` to a
//! double. So:
//!
//! * [`Integer`] holds a schema `integer` without format or bounds exactly, of any size.
//! * `i64`, `i32` and `f64` fields (bounded integers and `number`s) decode through
//!   [`deserialize`], which accepts integral floats and names the value when it does not fit.
//!
//! Both read the number's text where the format gives it (`serde_json` with its `raw_value`
//! feature hands any value's source text to a visitor that asks for it by serde_json's raw
//! value token), and fall back to the decoded number elsewhere (e.g. from a `serde_json::Value`
//! buffered by a derived untagged enum, where large integers are already rounded).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::de::{self, DeserializeSeed, MapAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The name under which `serde_json` hands out a value's source text (see
/// `serde_json::value::RawValue`); stable since serde_json 1.0.29.
pub(crate) const RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// The longest whole number [`Integer`] accepts, in decimal digits: enough for any count or
/// amount, and a bound on what `1e999999999` may allocate.
pub(crate) const MAX_INTEGER_DIGITS: usize = 1000;

/// How much of a rejected number an error message quotes.
const QUOTE_LIMIT: usize = 40;

/// A whole number of any size, held exactly: the type of a schema `integer` that has no
/// `format` and no bounds, which JSON Schema leaves unbounded.
///
/// Values in `i64` range are stored inline; larger ones (up to 1,000 digits) as their decimal
/// digits. It decodes from `7`, `7.0`, `7e0` and `70e-1` alike and is written
/// back as plain digits (`7`), so a value the server sends survives a round trip.
///
/// ```
/// use polar_sdk::Integer;
///
/// let n: Integer = serde_json::from_str("18446744073709551617").unwrap();
/// assert_eq!(n.to_string(), "18446744073709551617");
/// assert_eq!(n.as_i64(), None);
/// assert_eq!(serde_json::to_string(&n).unwrap(), "18446744073709551617");
///
/// let small: Integer = serde_json::from_str("1.0").unwrap();
/// assert_eq!(small, 1);
/// assert_eq!(small.as_i64(), Some(1));
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Integer(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Small(i64),
    /// Decimal digits of a value outside `i64`: an optional `-`, no leading zeros.
    Big(Box<str>),
}

impl Integer {
    /// The value as an `i64`, if it fits.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Small(v) => Some(*v),
            Repr::Big(_) => None,
        }
    }

    /// The value as a `u64`, if it fits.
    pub fn as_u64(&self) -> Option<u64> {
        match &self.0 {
            Repr::Small(v) => u64::try_from(*v).ok(),
            Repr::Big(digits) => digits.parse().ok(),
        }
    }

    /// The value as an `i128`, if it fits.
    pub fn as_i128(&self) -> Option<i128> {
        match &self.0 {
            Repr::Small(v) => Some(i128::from(*v)),
            Repr::Big(digits) => digits.parse().ok(),
        }
    }

    /// The nearest `f64` (infinite beyond its range).
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            Repr::Small(v) => *v as f64,
            Repr::Big(digits) => digits.parse().unwrap_or(f64::NAN),
        }
    }

    /// The value clamped to `i64`: the value itself if it fits, else `i64::MIN` or `i64::MAX`.
    pub fn saturating_i64(&self) -> i64 {
        match &self.0 {
            Repr::Small(v) => *v,
            Repr::Big(digits) if digits.starts_with('-') => i64::MIN,
            Repr::Big(_) => i64::MAX,
        }
    }

    fn is_negative(&self) -> bool {
        match &self.0 {
            Repr::Small(v) => *v < 0,
            Repr::Big(digits) => digits.starts_with('-'),
        }
    }

    /// From canonical digits (optional `-`, no leading zeros, `0` alone for zero).
    fn from_canonical(digits: String) -> Integer {
        match digits.parse::<i64>() {
            Ok(v) => Integer(Repr::Small(v)),
            Err(_) => Integer(Repr::Big(digits.into_boxed_str())),
        }
    }
}

impl fmt::Display for Integer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Small(v) => fmt::Display::fmt(v, f),
            Repr::Big(digits) => {
                f.pad_integral(!digits.starts_with('-'), "", digits.trim_start_matches('-'))
            }
        }
    }
}

impl fmt::Debug for Integer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Ord for Integer {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => a.cmp(b),
            // A big value is beyond every small one, on its own side of zero.
            (Repr::Big(_), Repr::Small(_)) => {
                if self.is_negative() {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (Repr::Small(_), Repr::Big(_)) => other.cmp(self).reverse(),
            (Repr::Big(a), Repr::Big(b)) => match (self.is_negative(), other.is_negative()) {
                (false, true) => Ordering::Greater,
                (true, false) => Ordering::Less,
                (negative, _) => {
                    let magnitude = a.len().cmp(&b.len()).then_with(|| a.cmp(b));
                    if negative {
                        magnitude.reverse()
                    } else {
                        magnitude
                    }
                }
            },
        }
    }
}

impl PartialOrd for Integer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq<i64> for Integer {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

macro_rules! integer_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Integer {
            fn from(value: $t) -> Self {
                match i64::try_from(value) {
                    Ok(v) => Integer(Repr::Small(v)),
                    Err(_) => Integer(Repr::Big(value.to_string().into_boxed_str())),
                }
            }
        }
    )*};
}
integer_from!(i8, i16, i32, i64, u8, u16, u32, u64, i128, u128, isize, usize);

/// Why a text is not an [`Integer`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntegerError {
    /// Not a JSON number at all.
    #[error("`{0}` is not a number")]
    NotANumber(String),
    /// A number with a fractional part.
    #[error("`{0}` is not a whole number")]
    Fractional(String),
    /// A whole number with more than 1,000 digits.
    #[error("`{0}` has more than {MAX_INTEGER_DIGITS} digits")]
    TooLong(String),
}

impl FromStr for Integer {
    type Err = IntegerError;

    /// Reads a JSON number (`-12`, `1.0`, `25E+1`) whose value is whole.
    fn from_str(text: &str) -> Result<Self, IntegerError> {
        parse_integer(text)
    }
}

/// `text` cut to a length fit for an error message.
fn quote(text: &str) -> String {
    if text.chars().count() <= QUOTE_LIMIT {
        text.to_owned()
    } else {
        let head: String = text.chars().take(QUOTE_LIMIT).collect();
        format!("{head}…")
    }
}

/// The parts of a JSON number: sign, digits before and after the point, exponent.
struct NumberText<'a> {
    negative: bool,
    int: &'a str,
    frac: &'a str,
    /// `None` when the exponent does not fit an `i64` (it is then far beyond any bound).
    exponent: Option<i64>,
}

fn split_number(text: &str) -> Option<NumberText<'_>> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => {
            let exp = &rest[at + 1..];
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (&rest[..at], exp.trim_start_matches('+').parse::<i64>().ok())
        }
        None => (rest, Some(0)),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((int, frac)) if !frac.is_empty() => (int, frac),
        Some(_) => return None,
        None => (mantissa, ""),
    };
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits_only(int) || !digits_only(frac) {
        return None;
    }
    Some(NumberText {
        negative,
        int,
        frac,
        exponent,
    })
}

fn parse_integer(text: &str) -> Result<Integer, IntegerError> {
    // The common case, plain digits in `i64` range, without allocating.
    if let Ok(v) = text.parse::<i64>() {
        return Ok(Integer(Repr::Small(v)));
    }
    let parts = split_number(text).ok_or_else(|| IntegerError::NotANumber(quote(text)))?;
    let all = format!("{}{}", parts.int, parts.frac);
    let significant = all.trim_start_matches('0');
    let digits = significant.trim_end_matches('0');
    if digits.is_empty() {
        return Ok(Integer(Repr::Small(0)));
    }
    let trailing_zeros = (significant.len() - digits.len()) as i64;
    let Some(exponent) = parts.exponent else {
        return Err(if text.contains("e-") || text.contains("E-") {
            IntegerError::Fractional(quote(text))
        } else {
            IntegerError::TooLong(quote(text))
        });
    };
    // value = digits × 10^scale
    let scale = exponent
        .saturating_sub(parts.frac.len() as i64)
        .saturating_add(trailing_zeros);
    if scale < 0 {
        return Err(IntegerError::Fractional(quote(text)));
    }
    let length = (digits.len() as i64).saturating_add(scale);
    if length > MAX_INTEGER_DIGITS as i64 {
        return Err(IntegerError::TooLong(quote(text)));
    }
    let mut canonical = String::with_capacity(length as usize + 1);
    if parts.negative {
        canonical.push('-');
    }
    canonical.push_str(digits);
    canonical.extend(std::iter::repeat('0').take(scale as usize));
    Ok(Integer::from_canonical(canonical))
}

/// Whole numbers that an `f64` holds exactly, as an [`Integer`].
fn integer_from_f64(value: f64) -> Option<Integer> {
    if !value.is_finite() || value.fract() != 0.0 {
        return None;
    }
    if value.abs() < 9.2e18 {
        return Some(Integer(Repr::Small(value as i64)));
    }
    // `{:.0}` prints a double's exact value, all digits.
    Some(Integer::from_canonical(format!("{value:.0}")))
}

impl Serialize for Integer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Small(v) => serializer.serialize_i64(*v),
            // serde_json writes a raw value's text as it is: the digits, exactly.
            Repr::Big(digits) => serde_json::value::RawValue::from_string(digits.to_string())
                .map_err(serde::ser::Error::custom)?
                .serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Integer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_number(deserializer, IntegerTarget)
    }
}

/// What a number decodes into: from its source text, or from an already decoded number.
trait Target: Copy {
    type Value;
    /// What the error message says was expected.
    const EXPECTING: &'static str;
    fn decode_text<E: de::Error>(self, text: &str) -> Result<Self::Value, E>;
    fn decode_i128<E: de::Error>(self, value: i128) -> Result<Self::Value, E>;
    fn decode_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E>;
}

fn invalid<E: de::Error>(text: &str, expected: &'static str) -> E {
    E::invalid_value(
        Unexpected::Other(&format!("number `{}`", quote(text))),
        &expected,
    )
}

#[derive(Clone, Copy)]
struct IntegerTarget;

impl Target for IntegerTarget {
    type Value = Integer;
    const EXPECTING: &'static str = "a whole number";
    fn decode_text<E: de::Error>(self, text: &str) -> Result<Integer, E> {
        parse_integer(text).map_err(|e| match e {
            IntegerError::TooLong(_) => invalid(text, "a whole number of at most 1000 digits"),
            _ => invalid(text, Self::EXPECTING),
        })
    }
    fn decode_i128<E: de::Error>(self, value: i128) -> Result<Integer, E> {
        Ok(Integer::from(value))
    }
    fn decode_f64<E: de::Error>(self, value: f64) -> Result<Integer, E> {
        integer_from_f64(value).ok_or_else(|| invalid(&value.to_string(), Self::EXPECTING))
    }
}

macro_rules! int_target {
    ($name:ident, $t:ty, $expecting:literal) => {
        #[derive(Clone, Copy)]
        struct $name;

        impl Target for $name {
            type Value = $t;
            const EXPECTING: &'static str = $expecting;
            fn decode_text<E: de::Error>(self, text: &str) -> Result<$t, E> {
                let whole = parse_integer(text).map_err(|_| invalid(text, Self::EXPECTING))?;
                whole
                    .as_i64()
                    .and_then(|v| <$t>::try_from(v).ok())
                    .ok_or_else(|| invalid(text, Self::EXPECTING))
            }
            fn decode_i128<E: de::Error>(self, value: i128) -> Result<$t, E> {
                <$t>::try_from(value).map_err(|_| invalid(&value.to_string(), Self::EXPECTING))
            }
            fn decode_f64<E: de::Error>(self, value: f64) -> Result<$t, E> {
                integer_from_f64(value)
                    .and_then(|v| v.as_i64())
                    .and_then(|v| <$t>::try_from(v).ok())
                    .ok_or_else(|| invalid(&value.to_string(), Self::EXPECTING))
            }
        }
    };
}
int_target!(I64Target, i64, "a whole number in i64 range");
int_target!(I32Target, i32, "a whole number in i32 range");

#[derive(Clone, Copy)]
struct F64Target;

impl Target for F64Target {
    type Value = f64;
    const EXPECTING: &'static str = "a number within the range of f64";
    fn decode_text<E: de::Error>(self, text: &str) -> Result<f64, E> {
        // Rust's parser rounds correctly: the nearest double, as `float_roundtrip` does.
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && split_number(text).is_some() => Ok(v),
            _ => Err(invalid(text, Self::EXPECTING)),
        }
    }
    fn decode_i128<E: de::Error>(self, value: i128) -> Result<f64, E> {
        Ok(value as f64)
    }
    fn decode_f64<E: de::Error>(self, value: f64) -> Result<f64, E> {
        Ok(value)
    }
}

/// Asks for the number's source text; decodes whatever the format gives instead.
fn deserialize_number<'de, D: Deserializer<'de>, T: Target>(
    deserializer: D,
    target: T,
) -> Result<T::Value, D::Error> {
    deserializer.deserialize_newtype_struct(RAW_TOKEN, NumberVisitor(target))
}

struct NumberVisitor<T>(T);

impl<'de, T: Target> Visitor<'de> for NumberVisitor<T> {
    type Value = T::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T::Value, A::Error> {
        match raw_text(&mut map)? {
            Some(text) => {
                let text = text.trim();
                if text.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) {
                    self.0.decode_text(text)
                } else {
                    Err(de::Error::invalid_type(
                        Unexpected::Other(&quote(text)),
                        &T::EXPECTING,
                    ))
                }
            }
            None => Err(de::Error::invalid_type(Unexpected::Map, &T::EXPECTING)),
        }
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<T::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T::Value, E> {
        self.0.decode_i128(i128::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T::Value, E> {
        self.0.decode_i128(i128::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<T::Value, E> {
        self.0.decode_i128(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<T::Value, E> {
        match i128::try_from(v) {
            Ok(v) => self.0.decode_i128(v),
            Err(_) => self.0.decode_text(&v.to_string()),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T::Value, E> {
        self.0.decode_f64(v)
    }
}

/// Reads serde_json's one-entry raw-value map: its text, or `None` for any other map (whose
/// first key is then consumed).
pub(crate) fn raw_text<'de, A: MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<Cow<'de, str>>, A::Error> {
    match map.next_key_seed(TextSeed)? {
        Some(key) if key == RAW_TOKEN => map.next_value_seed(TextSeed).map(Some),
        _ => Ok(None),
    }
}

/// A string, borrowed where the input allows.
pub(crate) struct TextSeed;

impl<'de> DeserializeSeed<'de> for TextSeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for TextSeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A field type that [`deserialize`] decodes from the number's text.
pub(crate) trait ExactNumber: Sized {
    fn deserialize_exact<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

impl ExactNumber for i64 {
    fn deserialize_exact<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_number(d, I64Target)
    }
}

impl ExactNumber for i32 {
    fn deserialize_exact<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_number(d, I32Target)
    }
}

impl ExactNumber for f64 {
    fn deserialize_exact<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_number(d, F64Target)
    }
}

/// `null` or a number.
impl<T: ExactNumber> ExactNumber for Option<T> {
    fn deserialize_exact<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OptionVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: ExactNumber> Visitor<'de> for OptionVisitor<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                T::deserialize_exact(d).map(Some)
            }
        }
        d.deserialize_option(OptionVisitor(std::marker::PhantomData))
    }
}

/// `deserialize_with` for `i64`, `i32` and `f64` fields, bare or in `Option`s: decodes from
/// the number's text, accepts integral floats (`10.0`) for integers, and names the value when
/// it does not fit the type (`1e400` for an `f64`).
#[allow(dead_code)] // Used only when the document has such a field.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: ExactNumber>(d: D) -> Result<T, D::Error> {
    T::deserialize_exact(d)
}

/// `deserialize_with` for an optional nullable number (`Option<Option<T>>`): a present `null`
/// is `Some(None)`, as `double_option` has it.
#[allow(dead_code)] // Used only when the document has such a field.
pub(crate) fn deserialize_double_option<'de, D: Deserializer<'de>, T: ExactNumber>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize_exact(d).map(Some)
}

/// A page count as [`crate::PageInfo`] holds it, from whatever integer type the schema gave
/// the field: values beyond `i64` are clamped.
pub(crate) trait PageCount {
    /// The count as an `i64`.
    fn page_count(&self) -> i64;
}

impl PageCount for i64 {
    fn page_count(&self) -> i64 {
        *self
    }
}

impl PageCount for i32 {
    fn page_count(&self) -> i64 {
        i64::from(*self)
    }
}

impl PageCount for Integer {
    fn page_count(&self) -> i64 {
        self.saturating_i64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Fields {
        #[serde(deserialize_with = "deserialize")]
        int: i64,
        #[serde(deserialize_with = "deserialize")]
        small: i32,
        #[serde(deserialize_with = "deserialize")]
        float: f64,
        #[serde(default, deserialize_with = "deserialize")]
        maybe: Option<i64>,
        #[serde(default, deserialize_with = "deserialize_double_option")]
        twice: Option<Option<f64>>,
    }

    fn fields(text: &str) -> Result<Fields, serde_json::Error> {
        serde_json::from_str(text)
    }

    #[test]
    fn integers_read_every_spelling_of_a_whole_number() {
        for (text, expected) in [
            ("0", "0"),
            ("-0", "0"),
            ("0.0", "0"),
            ("1.0", "1"),
            ("-3.000", "-3"),
            ("1e2", "100"),
            ("25E+1", "250"),
            ("5000e-3", "5"),
            ("0e999999999999999999999", "0"),
            ("9223372036854775807", "9223372036854775807"),
            ("9223372036854775808", "9223372036854775808"),
            ("-9223372036854775809", "-9223372036854775809"),
            ("18446744073709551617", "18446744073709551617"),
            ("1.8446744073709551617e19", "18446744073709551617"),
            ("1e40", "10000000000000000000000000000000000000000"),
        ] {
            let parsed: Integer = text.parse().unwrap();
            assert_eq!(parsed.to_string(), expected, "{text}");
            let decoded: Integer = serde_json::from_str(text).unwrap();
            assert_eq!(decoded, parsed, "{text}");
            assert_eq!(serde_json::to_string(&decoded).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn integers_reject_fractions_and_absurd_lengths_naming_the_value() {
        for text in ["1.5", "1e-1", "12345e-3", "1e-99999999999999999999"] {
            let err = serde_json::from_str::<Integer>(text)
                .unwrap_err()
                .to_string();
            assert!(err.contains(text) && err.contains("whole number"), "{err}");
        }
        let err = serde_json::from_str::<Integer>("1e400000")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("1e400000") && err.contains("1000 digits"),
            "{err}"
        );
        assert!(serde_json::from_str::<Integer>("1e999").is_ok());
        let long = "9".repeat(5000);
        let err = serde_json::from_str::<Integer>(&long)
            .unwrap_err()
            .to_string();
        assert!(err.len() < 200, "bounded: {err}");
        assert!(serde_json::from_str::<Integer>("\"7\"").is_err());
        assert!(serde_json::from_str::<Integer>("true").is_err());
    }

    #[test]
    fn integers_order_by_value_and_convert() {
        let mut values: Vec<Integer> = [
            "5",
            "-18446744073709551617",
            "18446744073709551617",
            "-1",
            "100000000000000000000000",
        ]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
        values.sort();
        let texts: Vec<String> = values.iter().map(Integer::to_string).collect();
        assert_eq!(
            texts,
            [
                "-18446744073709551617",
                "-1",
                "5",
                "18446744073709551617",
                "100000000000000000000000"
            ]
        );
        let big: Integer = "18446744073709551617".parse().unwrap();
        assert_eq!(big.as_u64(), None);
        assert_eq!(big.as_i128(), Some(18446744073709551617));
        assert_eq!(big.saturating_i64(), i64::MAX);
        assert_eq!(Integer::from(u64::MAX).as_u64(), Some(u64::MAX));
        assert_eq!(Integer::from(-5i32), -5);
        assert_eq!(format!("{:>8}", Integer::from(42)), "      42");
        assert_eq!(format!("{big:?}"), "18446744073709551617");
    }

    #[test]
    fn integers_decode_from_values_and_other_formats_too() {
        let value = serde_json::json!([7, 7.0, u64::MAX]);
        let decoded: Vec<Integer> = serde_json::from_value(value).unwrap();
        assert_eq!(decoded[0], 7);
        assert_eq!(decoded[1], 7);
        assert_eq!(decoded[2].as_u64(), Some(u64::MAX));
    }

    #[test]
    fn number_fields_accept_integral_floats_and_name_values_that_do_not_fit() {
        let ok = fields(r#"{"int": 10.0, "small": 1e2, "float": 5.960464477539063e-8, "maybe": null, "twice": null}"#)
            .unwrap();
        assert_eq!(
            ok,
            Fields {
                int: 10,
                small: 100,
                float: 5.960464477539063e-8,
                maybe: None,
                twice: Some(None),
            }
        );
        let ok =
            fields(r#"{"int": -1, "small": -2, "float": 1, "maybe": 3.0, "twice": 2.5}"#).unwrap();
        assert_eq!(
            (ok.maybe, ok.twice, ok.float),
            (Some(3), Some(Some(2.5)), 1.0)
        );
        let ok = fields(r#"{"int": -1, "small": -2, "float": 1}"#).unwrap();
        assert_eq!((ok.maybe, ok.twice), (None, None));
        for (text, value) in [
            (
                r#"{"int": 9223372036854775808, "small": 0, "float": 0}"#,
                "9223372036854775808",
            ),
            (r#"{"int": 1.5, "small": 0, "float": 0}"#, "1.5"),
            (
                r#"{"int": 0, "small": 2147483648, "float": 0}"#,
                "2147483648",
            ),
            (r#"{"int": 0, "small": 0, "float": 1e400}"#, "1e400"),
            (r#"{"int": 0, "small": 0, "float": -1e400}"#, "-1e400"),
        ] {
            let err = fields(text).unwrap_err().to_string();
            assert!(err.contains(value), "{text}: {err}");
        }
        assert!(fields(r#"{"int": "1", "small": 0, "float": 0}"#).is_err());
    }

    #[test]
    fn doubles_decode_exactly() {
        // The shortest text of a double reads back as that very double.
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..2000 {
            let value = f64::from_bits(rng.u64(..));
            if !value.is_finite() {
                continue;
            }
            let text = format!("{{\"int\": 0, \"small\": 0, \"float\": {value:e}}}");
            assert_eq!(
                fields(&text).unwrap().float.to_bits(),
                value.to_bits(),
                "{text}"
            );
            let plain: f64 = serde_json::from_str(&format!("{value:e}")).unwrap();
            assert_eq!(plain.to_bits(), value.to_bits(), "{value:e}");
        }
    }
}
