//! JSON with numbers kept as written, and an exact comparison of two JSON texts: numbers by
//! decimal value (`1.0` equals `1`, `1.8446744073709552e19` does not equal
//! `18446744073709551617`), objects regardless of key order. Written here rather than taken
//! from `serde_json::Value`, which rounds numbers beyond `u64` to a double.
#![allow(dead_code)] // Each test binary uses a different part.

use std::fmt;

/// A JSON value to write: numbers are their exact text.
#[derive(Debug, Clone)]
pub enum Json {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    pub fn from_value(value: &serde_json::Value) -> Json {
        use serde_json::Value;
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Num(n.to_string()),
            Value::String(s) => Json::Str(s.clone()),
            Value::Array(items) => Json::Arr(items.iter().map(Json::from_value).collect()),
            Value::Object(map) => Json::Obj(
                map.iter()
                    .map(|(k, v)| (k.clone(), Json::from_value(v)))
                    .collect(),
            ),
        }
    }
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let string = |s: &str| serde_json::to_string(s).expect("strings encode");
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Num(n) => f.write_str(n),
            Json::Str(s) => f.write_str(&string(s)),
            Json::Arr(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Json::Obj(fields) => {
                f.write_str("{")?;
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{}:{value}", string(key))?;
                }
                f.write_str("}")
            }
        }
    }
}

pub mod canonical {
    use std::collections::BTreeMap;

    /// An exact decimal: `(-1)^negative * digits * 10^exponent`, `digits` without leading or
    /// trailing zeros (empty for zero, which has no sign).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Decimal {
        negative: bool,
        digits: String,
        exponent: i64,
    }

    impl Decimal {
        fn approx(&self) -> f64 {
            if self.digits.is_empty() {
                return 0.0;
            }
            let sign = if self.negative { "-" } else { "" };
            format!("{sign}{}e{}", self.digits, self.exponent)
                .parse()
                .unwrap_or(f64::NAN)
        }

        /// Whether the value is at least `bound` (bounds are small integers here).
        pub fn at_least(&self, bound: f64) -> bool {
            self.approx() >= bound
        }

        /// Whether the value is at most `bound`.
        pub fn at_most(&self, bound: f64) -> bool {
            self.approx() <= bound
        }
    }

    /// A parsed JSON value, compared exactly.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Node {
        Null,
        Bool(bool),
        Num(Decimal),
        Str(String),
        Arr(Vec<Node>),
        Obj(BTreeMap<String, Node>),
    }

    /// Reads one JSON number token exactly.
    pub fn number(text: &str) -> Result<Decimal, String> {
        let bad = || format!("not a JSON number: {text:?}");
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => {
                let exp = rest[at + 1..].trim_start_matches('+');
                (&rest[..at], exp.parse::<i64>().map_err(|_| bad())?)
            }
            None => (rest, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let all = format!("{int}{frac}");
        let trimmed_front = all.trim_start_matches('0');
        let digits = trimmed_front.trim_end_matches('0');
        let dropped = (trimmed_front.len() - digits.len()) as i64;
        if digits.is_empty() {
            return Ok(Decimal {
                negative: false,
                digits: String::new(),
                exponent: 0,
            });
        }
        Ok(Decimal {
            negative,
            digits: digits.to_owned(),
            exponent: exponent - frac.len() as i64 + dropped,
        })
    }

    /// Parses a whole JSON text.
    pub fn parse(text: &str) -> Result<Node, String> {
        let mut parser = Parser {
            text,
            bytes: text.as_bytes(),
            at: 0,
        };
        let node = parser.value()?;
        parser.skip_space();
        if parser.at != parser.bytes.len() {
            return Err(format!("trailing text at {}", parser.at));
        }
        Ok(node)
    }

    struct Parser<'a> {
        text: &'a str,
        bytes: &'a [u8],
        at: usize,
    }

    impl Parser<'_> {
        fn skip_space(&mut self) {
            while self.at < self.bytes.len()
                && matches!(self.bytes[self.at], b' ' | b'\n' | b'\r' | b'\t')
            {
                self.at += 1;
            }
        }

        fn eat(&mut self, byte: u8) -> bool {
            self.skip_space();
            if self.bytes.get(self.at) == Some(&byte) {
                self.at += 1;
                true
            } else {
                false
            }
        }

        fn value(&mut self) -> Result<Node, String> {
            self.skip_space();
            let rest = &self.text[self.at..];
            for (word, node) in [
                ("null", Node::Null),
                ("true", Node::Bool(true)),
                ("false", Node::Bool(false)),
            ] {
                if rest.starts_with(word) {
                    self.at += word.len();
                    return Ok(node);
                }
            }
            match self.bytes.get(self.at) {
                Some(b'"') => self.string().map(Node::Str),
                Some(b'[') => {
                    self.at += 1;
                    let mut items = Vec::new();
                    if self.eat(b']') {
                        return Ok(Node::Arr(items));
                    }
                    loop {
                        items.push(self.value()?);
                        if self.eat(b']') {
                            return Ok(Node::Arr(items));
                        }
                        if !self.eat(b',') {
                            return Err(format!("expected , or ] at {}", self.at));
                        }
                    }
                }
                Some(b'{') => {
                    self.at += 1;
                    let mut fields = BTreeMap::new();
                    if self.eat(b'}') {
                        return Ok(Node::Obj(fields));
                    }
                    loop {
                        self.skip_space();
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return Err(format!("expected : at {}", self.at));
                        }
                        let value = self.value()?;
                        if fields.insert(key.clone(), value).is_some() {
                            return Err(format!("duplicate key {key:?}"));
                        }
                        if self.eat(b'}') {
                            return Ok(Node::Obj(fields));
                        }
                        if !self.eat(b',') {
                            return Err(format!("expected , or }} at {}", self.at));
                        }
                    }
                }
                Some(_) => {
                    let start = self.at;
                    while self.at < self.bytes.len()
                        && matches!(
                            self.bytes[self.at],
                            b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
                        )
                    {
                        self.at += 1;
                    }
                    number(&self.text[start..self.at]).map(Node::Num)
                }
                None => Err("unexpected end".into()),
            }
        }

        fn string(&mut self) -> Result<String, String> {
            let start = self.at;
            if self.bytes.get(self.at) != Some(&b'"') {
                return Err(format!("expected a string at {start}"));
            }
            self.at += 1;
            loop {
                match self.bytes.get(self.at) {
                    None => return Err("unterminated string".into()),
                    Some(b'\\') => self.at += 2,
                    Some(b'"') => {
                        self.at += 1;
                        break;
                    }
                    Some(_) => self.at += 1,
                }
            }
            serde_json::from_str(&self.text[start..self.at]).map_err(|e| e.to_string())
        }
    }

    /// Where `after` first differs from `before`, as a path and both values, or `None`.
    pub fn first_difference(before: &Node, after: &Node, path: &str) -> Option<String> {
        match (before, after) {
            (Node::Arr(a), Node::Arr(b)) if a.len() == b.len() => a
                .iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]"))),
            (Node::Obj(a), Node::Obj(b)) => {
                for (key, x) in a {
                    match b.get(key) {
                        Some(y) => {
                            if let Some(d) = first_difference(x, y, &format!("{path}.{key}")) {
                                return Some(d);
                            }
                        }
                        None => return Some(format!("{path}.{key} was dropped")),
                    }
                }
                b.keys()
                    .find(|key| !a.contains_key(*key))
                    .map(|key| format!("{path}.{key} was added"))
            }
            (x, y) if x == y => None,
            (x, y) => {
                let show = |n: &Node| format!("{n:?}").chars().take(120).collect::<String>();
                Some(format!("{path} changed from {} to {}", show(x), show(y)))
            }
        }
    }
}
