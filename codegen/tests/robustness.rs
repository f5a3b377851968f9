//! Bad input never panics: the generator runs on hundreds of mutations of the committed
//! document (nodes replaced by values of the wrong type, keys removed) and must answer each
//! with generated files or an error. Deterministic: the same seeds every run.

use std::path::Path;

use codegen::{load, Config};
use serde_json::{json, Value};

/// A small deterministic generator (xorshift64*), so failures reproduce by seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Every JSON pointer in the document.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let next = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(next.clone());
                pointers(child, next, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let next = format!("{at}/{index}");
                out.push(next.clone());
                pointers(child, next, out);
            }
        }
        _ => {}
    }
}

fn mutate(root: &mut Value, pointer: &str, how: usize) {
    let replacements = [
        json!(null),
        json!(5),
        json!("x"),
        json!([]),
        json!({}),
        json!(true),
        json!({"$ref": "#/nowhere"}),
    ];
    if how == replacements.len() {
        // Remove the key (or array element) altogether.
        let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
        match root.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.remove(&last.replace("~1", "/").replace("~0", "~"));
            }
            Some(Value::Array(items)) => {
                if let Ok(index) = last.parse::<usize>() {
                    if index < items.len() {
                        items.remove(index);
                    }
                }
            }
            _ => {}
        }
    } else if let Some(node) = root.pointer_mut(pointer) {
        *node = replacements[how].clone();
    }
}

#[test]
fn mutated_documents_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let original =
        load::load_file(&root.join("codegen/tests/fixtures/customer_meters_slice.yaml")).unwrap();
    let mut all = Vec::new();
    pointers(&original.root, String::new(), &mut all);
    let config = Config::default();
    let mut rng = Rng(0x5EED_C0DE);
    let (mut ok, mut failed) = (0, 0);
    for _ in 0..400 {
        let mut document = original.clone();
        for _ in 0..=rng.below(3) {
            let pointer = all[rng.below(all.len())].clone();
            mutate(&mut document.root, &pointer, rng.below(8));
        }
        if !document.root.is_object() {
            continue;
        }
        match codegen::generate_document(&document, &config) {
            Ok(_) => ok += 1,
            Err(error) => {
                assert!(!error.to_string().is_empty());
                failed += 1;
            }
        }
    }
    println!("{ok} mutations generated, {failed} were rejected with an error");
    assert!(
        ok > 0 && failed > 0,
        "the mutations should exercise both outcomes"
    );
}
