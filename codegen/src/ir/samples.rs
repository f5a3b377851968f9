//! Sample values: for a type use and its [`Constraints`], a JSON value the schema accepts.
//!
//! The conformance driver (`emit::conformance`) calls every operation with these: the
//! required parameters and fields only, or every optional one as well. Values are fixed
//! (no randomness), so the generated driver is deterministic. They satisfy the formats
//! (`uuid`, `date-time`, `date`, `email`, `uri`, …), lengths, numeric bounds, list sizes,
//! enum values and `const`s the IR carries, and a `pattern` where it is built from the
//! common regular-expression constructs (see [`pattern_sample`]).

use serde_json::{Map, Value};

use super::{Api, Constraints, TypeDef, TypeKind, TypeRef};

/// The uuid every sample id takes (a valid version-4 uuid).
pub const SAMPLE_UUID: &str = "4f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34";
/// The timestamp every sample `date-time` takes.
pub const SAMPLE_DATE_TIME: &str = "2026-01-15T12:00:00Z";
/// The day every sample `date` takes.
pub const SAMPLE_DATE: &str = "2026-01-15";
/// A string without format or pattern; cut or padded to the allowed length.
const SAMPLE_TEXT: &str = "conformance";
/// How many items a list gets, unless its bounds say otherwise.
const LIST_ITEMS: usize = 2;
/// How deep optional fields are filled in [`Fill::Every`] mode (the body itself is level 0).
const EVERY_DEPTH: usize = 1;
/// Nesting beyond this gets no more optional fields or list items (a guard for recursion).
const MAX_DEPTH: usize = 12;

/// Which fields of an object a sample has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Only the required ones (and the minimum of items and properties).
    Required,
    /// Every field of the body and of the objects directly in it as well; deeper objects keep to the
    /// required ones.
    Every,
}

/// A value of type `ty` that the schema behind `constraints` accepts.
pub fn sample(api: &Api, ty: &TypeRef, constraints: &Constraints, fill: Fill) -> Value {
    Sampler {
        api,
        fill,
        stack: Vec::new(),
        position: 0,
    }
    .value(ty, constraints, 0)
}

/// For a union (or an alias of one): each variant after the first, by its Rust name, with a
/// sample of its required fields. The first variant is what [`sample`] builds; these cover
/// the others. Empty for any other type.
pub fn other_variants(api: &Api, ty: &TypeRef) -> Vec<(String, Value)> {
    let mut ty = ty;
    // Through aliases (a bounded walk: an alias chain cannot be longer than the types).
    for _ in 0..api.types.len() {
        let TypeRef::Named(name) = ty else {
            return Vec::new();
        };
        let Some(def) = api.types.get(name) else {
            return Vec::new();
        };
        match &def.kind {
            TypeKind::Alias { ty: inner } => ty = inner,
            TypeKind::Tagged { tag, variants, .. } => {
                return variants
                    .iter()
                    .skip(1)
                    .map(|variant| {
                        let mut value =
                            sample(api, &variant.ty, &Constraints::default(), Fill::Required);
                        if let (Value::Object(object), Some(wire)) =
                            (&mut value, variant.tags.first())
                        {
                            object.insert(tag.clone(), Value::from(wire.clone()));
                        }
                        (variant.name.clone(), value)
                    })
                    .collect();
            }
            TypeKind::Untagged { variants } => {
                return variants
                    .iter()
                    .skip(1)
                    .map(|variant| {
                        let value =
                            sample(api, &variant.ty, &Constraints::default(), Fill::Required);
                        (variant.name.clone(), value)
                    })
                    .collect();
            }
            _ => return Vec::new(),
        }
    }
    Vec::new()
}

struct Sampler<'a> {
    api: &'a Api,
    fill: Fill,
    /// The structs being built, to stop at recursion.
    stack: Vec<String>,
    /// The position of the list item being built (0 outside lists).
    position: usize,
}

impl Sampler<'_> {
    fn value(&mut self, ty: &TypeRef, c: &Constraints, depth: usize) -> Value {
        // A `const` or `enum` the type does not carry (a boolean `const`, a string enum in a
        // place typed as any JSON value) decides the value.
        let scalar = matches!(
            ty,
            TypeRef::String
                | TypeRef::I32
                | TypeRef::I64
                | TypeRef::Integer
                | TypeRef::F64
                | TypeRef::Bool
                | TypeRef::Any
        );
        if scalar {
            if let Some(value) = c.values.get(self.position % c.values.len().max(1)) {
                return value.clone();
            }
        }
        match ty {
            TypeRef::Named(name) => match self.api.types.get(name) {
                Some(def) => self.named(def, c, depth),
                None => Value::Object(Map::new()),
            },
            TypeRef::String => Value::String(string(c)),
            TypeRef::I32 | TypeRef::I64 | TypeRef::Integer => Value::from(integer(c)),
            TypeRef::F64 => Value::from(number(c)),
            TypeRef::Bool => Value::Bool(true),
            TypeRef::Uuid => Value::from(SAMPLE_UUID),
            TypeRef::DateTime => Value::from(SAMPLE_DATE_TIME),
            TypeRef::Date => Value::from(SAMPLE_DATE),
            // Any JSON value: a string where the schema states string facts, else an object.
            TypeRef::Any if c.format.is_some() || c.pattern.is_some() || c.min_length.is_some() => {
                Value::String(string(c))
            }
            TypeRef::Any => Value::Object(Map::new()),
            TypeRef::Map(value) => {
                let mut map = Map::new();
                let wanted = self.fill == Fill::Every && depth <= EVERY_DEPTH;
                if (wanted || c.min_properties.unwrap_or(0) > 0) && depth < MAX_DEPTH {
                    let item = self.value(value, &Constraints::default(), depth + 1);
                    map.insert(key(c.keys.as_deref()), item);
                }
                Value::Object(map)
            }
            TypeRef::Array(item) => {
                let item_constraints = c.items.as_deref().cloned().unwrap_or_default();
                // Two items where allowed: the SDK refuses an empty list in a query, and a
                // list in a query is then sent as a repeated key, the form every list has
                // (one value alone reads like a scalar).
                let mut count = c.min_items.unwrap_or(0).max(LIST_ITEMS);
                if let Some(max) = c.max_items {
                    count = count.min(max);
                }
                if depth >= MAX_DEPTH {
                    count = c.min_items.unwrap_or(0);
                }
                Value::Array(
                    (0..count)
                        .map(|index| {
                            self.position = index;
                            let value = self.value(item, &item_constraints, depth + 1);
                            self.position = 0;
                            value
                        })
                        .collect(),
                )
            }
            TypeRef::Tuple(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.value(item, &Constraints::default(), depth + 1))
                    .collect(),
            ),
            TypeRef::OneOrMany(inner) => {
                let single = c.branches.first().unwrap_or(c);
                self.value(inner, single, depth)
            }
            TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => self.value(inner, c, depth),
        }
    }

    fn named(&mut self, def: &TypeDef, c: &Constraints, depth: usize) -> Value {
        match &def.kind {
            TypeKind::Struct { fields } => {
                if self.stack.contains(&def.name) || depth >= MAX_DEPTH {
                    return Value::Object(Map::new());
                }
                self.stack.push(def.name.clone());
                self.position = 0;
                let every = self.fill == Fill::Every && depth <= EVERY_DEPTH;
                let mut object = Map::new();
                for field in fields.iter().filter(|f| f.required || every) {
                    let value = self.value(&field.ty, &field.constraints, depth + 1);
                    object.insert(field.wire_name.clone(), value);
                }
                self.stack.pop();
                Value::Object(object)
            }
            // The n-th item of a list takes the n-th value, so a list names different ones.
            TypeKind::Enum { values } => values
                .get(self.position % values.len().max(1))
                .map_or(Value::from(SAMPLE_TEXT), |v| Value::from(v.wire.clone())),
            TypeKind::Tagged { tag, variants, .. } => {
                let Some(variant) = variants.first() else {
                    return Value::Object(Map::new());
                };
                let mut value = self.value(&variant.ty, &Constraints::default(), depth);
                if let (Value::Object(object), Some(wire)) = (&mut value, variant.tags.first()) {
                    object.insert(tag.clone(), Value::from(wire.clone()));
                }
                value
            }
            TypeKind::Untagged { variants } => {
                let Some(variant) = variants.first() else {
                    return Value::Object(Map::new());
                };
                // The branches line up with the variants when no two branches lowered to one.
                let branch = if c.branches.len() == variants.len() {
                    c.branches[0].clone()
                } else {
                    Constraints::default()
                };
                self.value(&variant.ty, &branch, depth)
            }
            TypeKind::Alias { ty } | TypeKind::Newtype { ty } => self.value(ty, c, depth),
        }
    }
}

/// A map key that the map's key rule (`propertyNames`) accepts.
fn key(rule: Option<&Constraints>) -> String {
    let Some(rule) = rule else {
        return SAMPLE_TEXT.to_owned();
    };
    match rule.values.first() {
        Some(Value::String(value)) => value.clone(),
        _ => string(rule),
    }
}

/// A string of the constrained format, pattern and length.
pub fn string(c: &Constraints) -> String {
    if let Some(sample) = c.pattern.as_deref().and_then(pattern_sample) {
        return sample;
    }
    let fixed = match c.format.as_deref() {
        Some("email") => Some("conformance@example.com"),
        Some("uri" | "url" | "uri-reference" | "iri") => Some("https://example.com/conformance"),
        Some("date-time") => Some(SAMPLE_DATE_TIME),
        Some("date") => Some(SAMPLE_DATE),
        Some("time") => Some("12:00:00Z"),
        Some("uuid" | "uuid4") => Some(SAMPLE_UUID),
        Some("duration") => Some("P1D"),
        Some("color") => Some("#336699"),
        Some("ipvanyaddress" | "ipv4") => Some("127.0.0.1"),
        Some("ipv6") => Some("::1"),
        Some("hostname") => Some("example.com"),
        _ => None,
    };
    if let Some(fixed) = fixed {
        return fixed.to_owned();
    }
    let mut text = SAMPLE_TEXT.to_owned();
    if let Some(min) = c.min_length {
        while text.chars().count() < min {
            text.push('x');
        }
    }
    if let Some(max) = c.max_length {
        text = text.chars().take(max).collect();
    }
    text
}

/// An integer within the bounds: 1 where they allow it, else the bound nearest to it.
pub fn integer(c: &Constraints) -> i64 {
    let mut value: i64 = 1;
    if let Some(min) = c.minimum {
        let min = if c.exclusive_minimum {
            min.floor() as i64 + 1
        } else {
            min.ceil() as i64
        };
        value = value.max(min);
    }
    if let Some(max) = c.maximum {
        let max = if c.exclusive_maximum {
            max.ceil() as i64 - 1
        } else {
            max.floor() as i64
        };
        value = value.min(max);
    }
    value
}

/// A number within the bounds: 1 where they allow it, else near the bound.
pub fn number(c: &Constraints) -> f64 {
    let mut value = 1.0_f64;
    if let Some(min) = c.minimum {
        if value < min || (c.exclusive_minimum && value <= min) {
            value = if c.exclusive_minimum { min + 1.0 } else { min };
        }
    }
    if let Some(max) = c.maximum {
        if value > max || (c.exclusive_maximum && value >= max) {
            value = if c.exclusive_maximum { max - 1.0 } else { max };
        }
    }
    value
}

/// One string that `pattern` matches, built from the pattern itself: literals, escapes
/// (`\d`, `\w`, `\.`), character classes (their first member), groups and alternatives (the
/// first), anchors, and quantifiers (one occurrence where one is allowed, so `\d*\.?\d*`
/// gives `0.0`; `{n,m}` gives `n`, at least one). Lookarounds are skipped. `None` for what it
/// does not read (a negated class, a back-reference), so the caller falls back to the format
/// and lengths.
pub fn pattern_sample(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut at = 0;
    let out = alternatives(&chars, &mut at)?;
    (at == chars.len()).then_some(out)
}

/// `a|b|c` up to a closing `)` or the end: the first alternative's sample.
fn alternatives(chars: &[char], at: &mut usize) -> Option<String> {
    let first = sequence(chars, at)?;
    while chars.get(*at) == Some(&'|') {
        *at += 1;
        sequence(chars, at)?;
    }
    Some(first)
}

fn sequence(chars: &[char], at: &mut usize) -> Option<String> {
    let mut out = String::new();
    while let Some(&c) = chars.get(*at) {
        if c == '|' || c == ')' {
            break;
        }
        let (atom, keep) = atom(chars, at)?;
        let count = quantifier(chars, at)?;
        if keep {
            for _ in 0..count {
                out.push_str(&atom);
            }
        }
    }
    Some(out)
}

/// One atom and whether it adds text (a lookaround or an anchor does not).
fn atom(chars: &[char], at: &mut usize) -> Option<(String, bool)> {
    let c = *chars.get(*at)?;
    *at += 1;
    match c {
        '^' | '$' => Some((String::new(), false)),
        '.' => Some(("a".to_owned(), true)),
        '\\' => {
            let e = *chars.get(*at)?;
            *at += 1;
            Some((escape(e)?.to_string(), true))
        }
        '[' => {
            if chars.get(*at) == Some(&'^') {
                return None;
            }
            let mut first = None;
            let mut closed = false;
            while let Some(&c) = chars.get(*at) {
                *at += 1;
                match c {
                    ']' if first.is_some() => {
                        closed = true;
                        break;
                    }
                    '\\' => {
                        let e = *chars.get(*at)?;
                        *at += 1;
                        first.get_or_insert(escape(e)?);
                    }
                    other => {
                        first.get_or_insert(other);
                    }
                }
            }
            closed.then(|| (first.map(String::from).unwrap_or_default(), true))
        }
        '(' => {
            let mut keep = true;
            if chars.get(*at) == Some(&'?') {
                match (chars.get(*at + 1), chars.get(*at + 2)) {
                    (Some(':'), _) => *at += 2,
                    (Some('=' | '!'), _) => {
                        keep = false;
                        *at += 2;
                    }
                    (Some('<'), Some('=' | '!')) => {
                        keep = false;
                        *at += 3;
                    }
                    _ => return None,
                }
            }
            let inner = alternatives(chars, at)?;
            (chars.get(*at) == Some(&')')).then(|| {
                *at += 1;
                (inner, keep)
            })
        }
        '*' | '+' | '?' | '{' | ')' | '|' => None,
        literal => Some((literal.to_string(), true)),
    }
}

/// The character an escape stands for (one member of a class escape).
fn escape(e: char) -> Option<char> {
    match e {
        'd' => Some('0'),
        'w' => Some('a'),
        's' => Some(' '),
        'D' | 'W' | 'S' => Some('-'),
        'n' => Some('\n'),
        't' => Some('\t'),
        'b' | 'B' => None,
        c if c.is_ascii_digit() => None,
        other => Some(other),
    }
}

/// How many times the preceding atom is repeated: once where the quantifier allows it.
fn quantifier(chars: &[char], at: &mut usize) -> Option<usize> {
    let count = match chars.get(*at) {
        Some('?' | '*' | '+') => {
            *at += 1;
            1
        }
        Some('{') => {
            let close = chars[*at..].iter().position(|&c| c == '}')? + *at;
            let body: String = chars[*at + 1..close].iter().collect();
            *at = close + 1;
            let (min, max) = match body.split_once(',') {
                Some((min, max)) => (
                    min.trim().parse::<usize>().ok()?,
                    match max.trim() {
                        "" => None,
                        max => Some(max.parse::<usize>().ok()?),
                    },
                ),
                None => {
                    let n = body.trim().parse::<usize>().ok()?;
                    (n, Some(n))
                }
            };
            let count = min.max(1);
            max.map_or(count, |max| count.min(max))
        }
        _ => return Some(1),
    };
    // A lazy or possessive marker changes nothing here.
    if matches!(chars.get(*at), Some('?' | '+')) {
        *at += 1;
    }
    Some(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(f: impl FnOnce(&mut Constraints)) -> Constraints {
        let mut c = Constraints::default();
        f(&mut c);
        c
    }

    #[test]
    fn formats_get_values_of_their_format() {
        let uuid = string(&with(|c| c.format = Some("uuid4".into())));
        assert!(uuid.parse::<uuid_check::Uuid>().is_ok(), "{uuid}");
        let email = string(&with(|c| c.format = Some("email".into())));
        assert!(email.contains('@') && email.contains('.'), "{email}");
        assert!(string(&with(|c| c.format = Some("uri".into()))).starts_with("https://"));
        assert_eq!(
            string(&with(|c| c.format = Some("date".into()))),
            SAMPLE_DATE
        );
    }

    #[test]
    fn lengths_are_met() {
        let long = string(&with(|c| c.min_length = Some(3)));
        assert!(long.chars().count() >= 3, "{long}");
        let longer = string(&with(|c| c.min_length = Some(40)));
        assert_eq!(longer.chars().count(), 40);
        let short = string(&with(|c| c.max_length = Some(2)));
        assert_eq!(short.chars().count(), 2);
    }

    #[test]
    fn bounds_are_met() {
        assert_eq!(integer(&with(|c| c.minimum = Some(10.0))), 10);
        let exclusive = with(|c| {
            c.minimum = Some(1.0);
            c.exclusive_minimum = true;
        });
        assert_eq!(integer(&exclusive), 2);
        assert!(number(&exclusive) > 1.0);
        let below = with(|c| {
            c.maximum = Some(0.0);
            c.exclusive_maximum = true;
        });
        assert!(integer(&below) < 0);
        assert!(number(&below) < 0.0);
        let page = with(|c| {
            c.minimum = Some(1.0);
            c.maximum = Some(100.0);
        });
        assert_eq!(integer(&page), 1);
    }

    #[test]
    fn patterns_give_a_matching_string() {
        assert_eq!(pattern_sample("^[a-z0-9-_]+$").as_deref(), Some("a"));
        assert_eq!(pattern_sample("^(rk|sk)_").as_deref(), Some("rk_"));
        assert_eq!(
            pattern_sample(r"^image\/(jpeg|png|gif)$").as_deref(),
            Some("image/jpeg")
        );
        assert_eq!(pattern_sample(r"^[0-9]+\.[0-9]+$").as_deref(), Some("0.0"));
        assert_eq!(pattern_sample("^A[A-Z0-9]+$").as_deref(), Some("AA"));
        assert_eq!(
            pattern_sample(r"^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$").as_deref(),
            Some("+00.0")
        );
        assert_eq!(pattern_sample(r"^\d{4}$").as_deref(), Some("0000"));
        assert_eq!(pattern_sample("[^a]"), None);
        assert_eq!(pattern_sample("(a"), None);
        // A pattern takes precedence over the format and lengths.
        let c = with(|c| {
            c.pattern = Some("usd".into());
            c.min_length = Some(1);
        });
        assert_eq!(string(&c), "usd");
    }

    /// A minimal uuid parser, so the test needs no dependency.
    mod uuid_check {
        pub struct Uuid;
        impl std::str::FromStr for Uuid {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                let groups: Vec<usize> = s.split('-').map(str::len).collect();
                let hex = s.chars().all(|c| c == '-' || c.is_ascii_hexdigit());
                (groups == [8, 4, 4, 4, 12] && hex)
                    .then_some(Uuid)
                    .ok_or(())
            }
        }
    }
}
