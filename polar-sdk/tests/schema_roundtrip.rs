//! Schema-driven property test: random response bodies generated from the OpenAPI document's
//! own schemas (the committed `openapi/polar-api.json`) decode into the generated
//! types, and encoding them again gives the same JSON, numbers compared by exact decimal value.
//!
//! The generator aims at the edges: integers beyond `i64`, integral floats (`10.0`, `1e2`),
//! the smallest and largest doubles, long and non-ASCII strings, unknown extra fields (with
//! numbers no Rust type holds, kept as their text), absent
//! optional fields, `null` where nullable, discriminators left to their default. The seed is
//! fixed, so a failure names a case that can be replayed (`POLAR_ROUNDTRIP_SEED` picks another).

use std::collections::BTreeMap;
use std::path::Path;

use polar_sdk::models::{CustomerMeter, ListResourceCustomerMeter};
use serde_json::Value;

mod exact;

use exact::{canonical, Json};

const CASES_PER_OPERATION: u64 = 600;
const MAX_DEPTH: usize = 5;

struct Schemas {
    root: Value,
}

impl Schemas {
    fn load() -> Self {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/polar-api.json");
        let text = std::fs::read_to_string(&path).expect("the committed document is there");
        let root = serde_json::from_str(&text).expect("the committed document is JSON");
        Schemas { root }
    }

    /// The `200` response schema of the operation with id `operation_id`.
    fn response_schema(&self, operation_id: &str) -> &Value {
        let paths = self.root["paths"].as_object().expect("paths");
        for item in paths.values() {
            for operation in item.as_object().into_iter().flat_map(|o| o.values()) {
                if operation["operationId"] == operation_id {
                    return &operation["responses"]["200"]["content"]["application/json"]["schema"];
                }
            }
        }
        panic!("no operation {operation_id}");
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let pointer = reference.trim_start_matches('#');
            schema = self.root.pointer(pointer).expect("reference resolves");
        }
        schema
    }
}

struct Generator<'a> {
    schemas: &'a Schemas,
    rng: fastrand::Rng,
}

impl Generator<'_> {
    fn value(&mut self, schema: &Value, depth: usize) -> Json {
        let schemas = self.schemas;
        let schema = schemas.resolve(schema);
        if let Some(value) = schema.get("const") {
            return Json::from_value(value);
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return Json::from_value(&values[self.rng.usize(..values.len())]);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(keyword).and_then(Value::as_array) {
                return self.union(schema, branches, depth);
            }
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            if all.len() == 1 {
                return self.value(&all[0], depth);
            }
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("null") => Json::Null,
            Some("boolean") => Json::Bool(self.rng.bool()),
            Some("string") => self.string(schema),
            Some("integer") => self.integer(schema),
            Some("number") => self.number(),
            Some("array") => self.array(schema, depth),
            Some("object") | None if schema.get("properties").is_some() => {
                self.object(schema, depth)
            }
            Some("object") => self.map(schema, depth),
            // No type at all: any JSON value.
            None => self.free_value(depth, false),
            other => panic!("the generator does not know type {other:?}"),
        }
    }

    fn union(&mut self, schema: &Value, branches: &[Value], depth: usize) -> Json {
        // Deep in a recursive type, prefer a branch that does not recurse.
        let mut pick = self.rng.usize(..branches.len());
        if depth >= MAX_DEPTH {
            pick = 0;
        }
        let branch = &branches[pick];
        let mut value = self.value(branch, depth + 1);
        let Some(discriminator) = schema.get("discriminator") else {
            return value;
        };
        let tag = discriminator["propertyName"]
            .as_str()
            .expect("propertyName");
        let target = branch["$ref"]
            .as_str()
            .expect("a discriminated branch is a $ref");
        let tags: Vec<&str> = discriminator["mapping"]
            .as_object()
            .expect("mapping")
            .iter()
            .filter(|(_, to)| *to == target)
            .map(|(tag, _)| tag.as_str())
            .collect();
        if let Json::Obj(fields) = &mut value {
            let chosen = tags[self.rng.usize(..tags.len())];
            let branch_schema = self.schemas.resolve(branch);
            let has_default = branch_schema["properties"][tag].get("default").is_some();
            if let Some(slot) = fields.iter_mut().find(|(k, _)| k == tag) {
                slot.1 = Json::Str(chosen.to_owned());
            } else if !has_default {
                fields.push((tag.to_owned(), Json::Str(chosen.to_owned())));
            }
        }
        value
    }

    fn object(&mut self, schema: &Value, depth: usize) -> Json {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut fields = Vec::new();
        for (name, property) in schema["properties"].as_object().expect("properties") {
            let is_required = required.contains(&name.as_str());
            // Optional fields are often left out, most often those with a default.
            let has_default = self.schemas.resolve(property).get("default").is_some();
            if !is_required && self.rng.u8(..10) < if has_default { 5 } else { 3 } {
                continue;
            }
            fields.push((name.clone(), self.value(property, depth + 1)));
        }
        if self.rng.u8(..10) < 3 {
            let count = self.rng.usize(1..=3);
            for i in 0..count {
                fields.push((format!("x_unknown_{i}"), self.free_value(depth + 1, true)));
            }
        }
        self.rng.shuffle(&mut fields);
        Json::Obj(fields)
    }

    fn map(&mut self, schema: &Value, depth: usize) -> Json {
        let values = schema.get("additionalProperties");
        let count = self.rng.usize(..=4);
        let fields = (0..count)
            .map(|i| {
                let value = match values {
                    Some(Value::Object(_)) => self.value(values.unwrap(), depth + 1),
                    _ => self.free_value(depth + 1, false),
                };
                (format!("{}{i}", self.text(8)), value)
            })
            .collect();
        Json::Obj(fields)
    }

    fn array(&mut self, schema: &Value, depth: usize) -> Json {
        if let Some(prefix) = schema.get("prefixItems").and_then(Value::as_array) {
            return Json::Arr(prefix.iter().map(|s| self.value(s, depth + 1)).collect());
        }
        let count = if depth >= MAX_DEPTH {
            0
        } else {
            self.rng.usize(..=3)
        };
        let items = &schema["items"];
        Json::Arr((0..count).map(|_| self.value(items, depth + 1)).collect())
    }

    /// Any JSON. An unknown field (`unknown`) may carry numbers of any size and spelling,
    /// which the SDK keeps as their text (`RawJson`); a known field of any value is a
    /// `serde_json::Value`, which holds only what a `u64`, `i64` or `f64` holds.
    fn free_value(&mut self, depth: usize, unknown: bool) -> Json {
        match self.rng.u8(..if depth >= MAX_DEPTH { 5 } else { 7 }) {
            0 => Json::Null,
            1 => Json::Bool(self.rng.bool()),
            2 if unknown => Json::Num(self.free_number()),
            2 => Json::Num(self.rng.i64(..).to_string()),
            3 => Json::Num(self.float_text()),
            4 => Json::Str(self.text(40)),
            5 => Json::Arr(
                (0..self.rng.usize(..3))
                    .map(|_| self.free_value(depth + 1, unknown))
                    .collect(),
            ),
            _ => Json::Obj(
                (0..self.rng.usize(..3))
                    .map(|i| (format!("k{i}"), self.free_value(depth + 1, unknown)))
                    .collect(),
            ),
        }
    }

    /// A number no Rust number type holds as written: beyond `u64`, beyond `f64`, more
    /// digits than a double keeps, or an `i64`.
    fn free_number(&mut self) -> String {
        const EDGES: &[&str] = &[
            "18446744073709551617000",
            "-18446744073709551617",
            "123456789012345678901234567890123456789012345678901234567890",
            "1e400",
            "-2.5E-400",
            "0.1000000000000000055511151231257827",
            "1.0",
            "10e-1",
        ];
        match self.rng.u8(..3) {
            0 => EDGES[self.rng.usize(..EDGES.len())].to_owned(),
            _ => self.rng.i64(..).to_string(),
        }
    }

    fn string(&mut self, schema: &Value) -> Json {
        let max = schema.get("maxLength").and_then(Value::as_u64);
        let text = match schema.get("format").and_then(Value::as_str) {
            Some("uuid" | "uuid4") => {
                let bytes: [u8; 16] = std::array::from_fn(|_| self.rng.u8(..));
                uuid::Builder::from_random_bytes(bytes)
                    .into_uuid()
                    .hyphenated()
                    .to_string()
            }
            Some("date-time") => self.date_time(),
            Some("date") => self.date_time()[..10].to_owned(),
            _ => {
                let long = self.rng.u8(..20) == 0;
                let mut text = self.text(if long { 5000 } else { 30 });
                if let Some(max) = max {
                    text = text.chars().take(max as usize).collect();
                }
                text
            }
        };
        Json::Str(text)
    }

    /// A timestamp as RFC 3339 in UTC, written the way the SDK writes one (no fraction, or
    /// 3, 6 or 9 digits), from year 1 to year 9999.
    fn date_time(&mut self) -> String {
        let year = match self.rng.u8(..10) {
            0 => 1,
            1 => 9999,
            _ => self.rng.i32(1970..2100),
        };
        let nanos: u32 = match self.rng.u8(..4) {
            0 => 0,
            1 => self.rng.u32(1..1000) * 1_000_000,
            2 => self.rng.u32(1..1_000_000) * 1000,
            _ => self.rng.u32(1..1_000_000_000),
        };
        let fraction = if nanos == 0 {
            String::new()
        } else if nanos % 1_000_000 == 0 {
            format!(".{:03}", nanos / 1_000_000)
        } else if nanos % 1000 == 0 {
            format!(".{:06}", nanos / 1000)
        } else {
            format!(".{nanos:09}")
        };
        format!(
            "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}Z",
            self.rng.u8(1..=12),
            self.rng.u8(1..=28),
            self.rng.u8(..24),
            self.rng.u8(..60),
            self.rng.u8(..60),
        )
    }

    fn text(&mut self, max: usize) -> String {
        const ODD: &[char] = &[
            '"',
            '\\',
            '/',
            '\n',
            '\t',
            '\u{0}',
            '\u{1f}',
            '\u{7f}',
            'é',
            'ß',
            '中',
            '\u{2028}',
            '\u{feff}',
            '😀',
            '\u{10ffff}',
        ];
        let len = self.rng.usize(..=max);
        (0..len)
            .map(|_| {
                if self.rng.u8(..4) == 0 {
                    ODD[self.rng.usize(..ODD.len())]
                } else {
                    self.rng.alphanumeric()
                }
            })
            .collect()
    }

    fn integer(&mut self, schema: &Value) -> Json {
        let min = schema.get("minimum").and_then(Value::as_f64);
        let max = schema.get("maximum").and_then(Value::as_f64);
        let edges: &[&str] = &[
            "0",
            "-1",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "18446744073709551615",
            "18446744073709551617",
            "-18446744073709551617",
            "340282366920938463463374607431768211457",
            "123456789012345678901234567890123456789012345678901234567890",
            "1.0",
            "10.0",
            "-3.000",
            "1e2",
            "25E+1",
            "5000e-3",
            "0.0",
            "-0",
        ];
        loop {
            let text = match self.rng.u8(..3) {
                0 => edges[self.rng.usize(..edges.len())].to_owned(),
                1 => self.rng.i32(..).to_string(),
                _ => self.rng.i64(-1000..1000).to_string(),
            };
            let value = canonical::number(&text).expect("the generator writes JSON numbers");
            if min.map_or(true, |min| value.at_least(min))
                && max.map_or(true, |max| value.at_most(max))
            {
                return Json::Num(text);
            }
        }
    }

    fn number(&mut self) -> Json {
        Json::Num(self.float_text())
    }

    /// A double, written as its shortest decimal the way Python's `repr` and serde_json do
    /// (where two shortest decimals are equally near, the even one), at the edges often.
    fn float_text(&mut self) -> String {
        let value = match self.rng.u8(..8) {
            0 => [
                5e-324,
                f64::MIN_POSITIVE,
                f64::MAX,
                -f64::MAX,
                5.960464477539063e-8,
                0.1,
                1e21,
                1e22,
                9007199254740993.0,
                123456789.125,
                -0.0,
            ][self.rng.usize(..11)],
            1 => self.rng.f64() * 100.0,
            2 => self.rng.i32(-100..100) as f64,
            _ => loop {
                let candidate = f64::from_bits(self.rng.u64(..));
                if candidate.is_finite() {
                    break candidate;
                }
            },
        };
        if value.fract() == 0.0 && value.abs() < 1e15 && self.rng.bool() {
            format!("{value:.1}")
        } else {
            serde_json::to_string(&value).expect("finite doubles encode")
        }
    }
}

/// Decodes `text` as `T`, encodes it again, and says how the result differs from the input;
/// decoding the encoded text must give the same value again.
fn round_trip<T>(text: &str) -> Result<(), String>
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let decoded: T = serde_json::from_str(text).map_err(|e| format!("decode failed: {e}"))?;
    let encoded = serde_json::to_string(&decoded).map_err(|e| format!("encode failed: {e}"))?;
    let again: T = serde_json::from_str(&encoded)
        .map_err(|e| format!("decoding our own output failed: {e}"))?;
    if again != decoded {
        return Err(
            format!("decoding our own output changed the value: {again:?}")
                .chars()
                .take(300)
                .collect(),
        );
    }
    let before = canonical::parse(text).expect("the generator writes JSON");
    let after = canonical::parse(&encoded).map_err(|e| format!("the SDK wrote bad JSON: {e}"))?;
    match canonical::first_difference(&before, &after, "$") {
        None => Ok(()),
        Some(difference) => Err(difference),
    }
}

fn run(operation_id: &str, check: fn(&str) -> Result<(), String>) -> (u64, Vec<String>) {
    let schemas = Schemas::load();
    let schema = schemas.response_schema(operation_id).clone();
    run_schema(&schemas, &schema, CASES_PER_OPERATION, check)
}

fn run_schema(
    schemas: &Schemas,
    schema: &Value,
    cases: u64,
    check: fn(&str) -> Result<(), String>,
) -> (u64, Vec<String>) {
    let seed: u64 = std::env::var("POLAR_ROUNDTRIP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x13_06_13_07);
    let mut failures = Vec::new();
    for case in 0..cases {
        let mut generator = Generator {
            schemas,
            rng: fastrand::Rng::with_seed(seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        };
        let text = generator.value(schema, 0).to_string();
        if let Err(why) = check(&text) {
            failures.push(format!("case {case}: {why}"));
        }
    }
    (cases, failures)
}

fn report(operation_id: &str, cases: u64, failures: &[String]) {
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for failure in failures {
        let kind: String = failure
            .split(": ")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(60)
            .collect();
        *kinds.entry(kind).or_default() += 1;
    }
    assert!(
        failures.is_empty(),
        "{operation_id}: {} of {cases} generated bodies did not round-trip; first ones:\n{}\nby kind: {kinds:#?}",
        failures.len(),
        failures.iter().take(8).map(|f| f.chars().take(400).collect::<String>()).collect::<Vec<_>>().join("\n"),
    );
}

#[test]
fn list_responses_round_trip_exactly() {
    let (cases, failures) = run(
        "customer_meters:list",
        round_trip::<ListResourceCustomerMeter>,
    );
    report("customer_meters:list", cases, &failures);
}

#[test]
fn get_responses_round_trip_exactly() {
    let (cases, failures) = run("customer_meters:get", round_trip::<CustomerMeter>);
    report("customer_meters:get", cases, &failures);
}

/// Every component schema the SDK has a type for, on its own.
#[test]
fn every_model_round_trips_exactly() {
    use polar_sdk::models::*;
    type Check = fn(&str) -> Result<(), String>;
    let models: &[(&str, Check)] = &[
        ("Address", round_trip::<Address>),
        ("CountAggregation", round_trip::<CountAggregation>),
        ("Customer", round_trip::<Customer>),
        ("CustomerIndividual", round_trip::<CustomerIndividual>),
        ("CustomerMeter", round_trip::<CustomerMeter>),
        ("CustomerTeam", round_trip::<CustomerTeam>),
        ("Filter", round_trip::<Filter>),
        ("FilterClause", round_trip::<FilterClause>),
        ("HTTPValidationError", round_trip::<HttpValidationError>),
        (
            "ListResource_CustomerMeter_",
            round_trip::<ListResourceCustomerMeter>,
        ),
        ("MetadataOutputType", round_trip::<MetadataOutputType>),
        ("Meter", round_trip::<Meter>),
        ("Pagination", round_trip::<Pagination>),
        ("PropertyAggregation", round_trip::<PropertyAggregation>),
        ("ResourceNotFound", round_trip::<ResourceNotFound>),
        ("UniqueAggregation", round_trip::<UniqueAggregation>),
        ("ValidationError", round_trip::<ValidationError>),
    ];
    let schemas = Schemas::load();
    let mut failed = Vec::new();
    for (name, check) in models {
        let schema = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
        let (cases, failures) = run_schema(&schemas, &schema, 150, *check);
        if !failures.is_empty() {
            failed.push(format!(
                "{name}: {} of {cases}: {}",
                failures.len(),
                failures[0]
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn the_comparison_sees_number_changes_and_ignores_spelling() {
    let same = ["1", "1.0", "1e0", "10e-1", "0.1e1", "1.000E+0"];
    for text in same {
        assert_eq!(
            canonical::parse(text).unwrap(),
            canonical::parse("1").unwrap(),
            "{text}"
        );
    }
    assert_eq!(
        canonical::parse("-0.0").unwrap(),
        canonical::parse("0").unwrap()
    );
    let a = canonical::parse("18446744073709551617").unwrap();
    let b = canonical::parse("1.8446744073709552e19").unwrap();
    assert!(canonical::first_difference(&a, &b, "$").is_some());
    let a = canonical::parse(r#"{"a":[1,"\u00e9"],"b":null}"#).unwrap();
    let b = canonical::parse(r#"{"b":null,"a":[1.0,"é"]}"#).unwrap();
    assert_eq!(canonical::first_difference(&a, &b, "$"), None);
    let c = canonical::parse(r#"{"b":null,"a":[1.0,"é"],"c":1}"#).unwrap();
    assert!(canonical::first_difference(&a, &c, "$").is_some());
}
