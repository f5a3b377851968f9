//! The real Polar document (`../shared/openapi/polar-openapi.json`, not part of this repo):
//! every operation and schema lowers without a panic, the customer_meters output equals the
//! one from `openapi/` apart from doc text, and reruns are byte-identical.
//! Skips with a printed notice where the document is absent.

use std::path::{Path, PathBuf};

use codegen::{load, normalize, Config};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn real_document() -> Option<PathBuf> {
    let path = repo_root().join("../shared/openapi/polar-openapi.json");
    if path.exists() {
        Some(path)
    } else {
        println!(
            "SKIPPED: {} is absent; the real-document tests did not run",
            path.display()
        );
        None
    }
}

/// Generated source without doc text: Rust without comments; for Markdown pages, which are
/// prose, their structure (headings and the first cell of every table row).
fn without_docs(name: &str, contents: &str) -> String {
    if name.ends_with(".md") {
        return contents
            .lines()
            .filter_map(|line| {
                if line.starts_with('#') {
                    Some(line.to_owned())
                } else if line.starts_with("| ") {
                    line.split(" | ").next().map(str::to_owned)
                } else {
                    None
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
    contents
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn lowers_every_operation_and_schema() {
    let Some(path) = real_document() else { return };
    let document = load::load_file(&path).unwrap();
    let operation_count = document.root["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().keys())
        .filter(|key| {
            [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&key.as_str())
        })
        .count();
    let normalized = normalize::normalize(&document).unwrap();
    let api = codegen::ir::lower(&document, &normalized).unwrap();
    assert_eq!(api.operations.len(), operation_count);
    assert_eq!(
        api.operations.len(),
        186,
        "the 2026-10 document has 186 operations"
    );
    assert_eq!(api.component_schema_count, 1010);
    let schemas = document.root["components"]["schemas"].as_object().unwrap();
    for name in schemas.keys() {
        let rust = codegen::ir::naming::type_name(name);
        assert!(
            api.types.contains_key(&rust) || api.types.keys().any(|k| k.starts_with(&rust)),
            "{name} was not lowered"
        );
    }
    println!(
        "{} diagnostics (constructs lowered with a loss):",
        api.diagnostics.len()
    );
    for diagnostic in &api.diagnostics {
        println!("  {diagnostic}");
        assert!(
            diagnostic.pointer.starts_with('/')
                && document.root.pointer(&diagnostic.pointer).is_some()
                || diagnostic.pointer.contains("/x-speakeasy-pagination"),
            "diagnostic pointer {} does not point into the document",
            diagnostic.pointer
        );
    }
    // Every resource's operations are grouped by the `resource:verb` id.
    assert!(api.resources().contains(&"customer_meters"));
    assert!(api
        .operations
        .iter()
        .all(|op| op.id == format!("{}:{}", op.resource, op.verb) || op.id.contains(':')));
}

#[test]
fn customer_meters_from_the_real_document_equals_ours_apart_from_docs() {
    let Some(path) = real_document() else { return };
    let config = Config::load(&repo_root().join("openapi/codegen.yaml")).unwrap();
    let ours = codegen::generate_with_overlay(
        &repo_root().join("openapi/polar-api.json"),
        Some(&repo_root().join("openapi/overlay/")),
        &config,
    )
    .unwrap();
    let real = codegen::generate(&path, &config).unwrap();
    let names =
        |g: &codegen::Generation| g.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&real));
    for (a, b) in ours.files.iter().zip(&real.files) {
        let (a_code, b_code) = (
            without_docs(&a.name, &a.contents),
            without_docs(&b.name, &b.contents),
        );
        if a_code != b_code {
            let first = a_code.lines().zip(b_code.lines()).position(|(x, y)| x != y);
            panic!(
                "{} differs beyond doc text; first differing line: {:?}",
                a.name,
                first.map(|i| (a_code.lines().nth(i), b_code.lines().nth(i)))
            );
        }
    }
}

#[test]
fn emitting_on_threads_gives_what_emitting_in_turn_gives() {
    let config = Config::load(&repo_root().join("openapi/codegen.yaml")).unwrap();
    let generation = codegen::generate_with_overlay(
        &repo_root().join("openapi/polar-api.json"),
        Some(&repo_root().join("openapi/overlay/")),
        &config,
    )
    .unwrap();
    let selection = codegen::emit::select(&generation.api, &config).unwrap();
    let in_turn: Vec<codegen::GeneratedFile> = codegen::emit::emit(&generation.api, &selection)
        .unwrap()
        .into_iter()
        .map(|file| codegen::format::format(file).unwrap())
        .collect();
    assert!(in_turn.len() > 50, "{}", in_turn.len());
    assert_eq!(generation.files, in_turn);
}

#[test]
fn rerun_is_byte_identical() {
    let Some(path) = real_document() else { return };
    let config = Config::default();
    let first = codegen::generate(&path, &config).unwrap();
    let second = codegen::generate(&path, &config).unwrap();
    assert_eq!(first.files, second.files);
    assert_eq!(first.api, second.api);
}

#[test]
fn every_operation_of_the_real_document_generates() {
    // Every construct Polar's document uses is generated: each resource on its own, and all
    // of them together, with no unsupported construct left.
    let Some(path) = real_document() else { return };
    let document = load::load_file(&path).unwrap();
    let normalized = normalize::normalize(&document).unwrap();
    let api = codegen::ir::lower(&document, &normalized).unwrap();
    let resources: Vec<String> = api.resources().into_iter().map(str::to_owned).collect();
    for resource in &resources {
        let config = Config {
            resources: vec![resource.clone()],
            ..Config::default()
        };
        if let Err(error) = codegen::generate_document(&document, &config) {
            panic!("{resource} does not generate: {error}");
        }
    }
    let config = Config {
        resources: resources.clone(),
        ..Config::default()
    };
    let generation = codegen::generate_document(&document, &config).unwrap();
    assert_eq!(
        api.operations.len(),
        186,
        "Polar's document has 186 operations"
    );
    for resource in &resources {
        let file = format!("src/generated/{resource}.rs");
        assert!(
            generation.files.iter().any(|f| f.name == file),
            "{file} is missing"
        );
    }
    // Every operation has its builder's request description.
    let descriptions: usize = generation
        .files
        .iter()
        .map(|f| {
            f.contents
                .matches("static OPERATION: crate::runtime::Operation")
                .count()
        })
        .sum();
    assert_eq!(descriptions, api.operations.len());
}

/// Strings of the imported document that read like sentences: at least four words, outside
/// markup, one of them a word only prose uses ("the", "is", "you", ...). Identifiers, formats,
/// patterns and space-separated scope lists have none.
fn sentences(value: &serde_json::Value, at: &str, found: &mut Vec<String>) {
    const PROSE_WORDS: &[&str] = &[
        "the", "a", "an", "is", "are", "be", "to", "of", "and", "or", "for", "with", "this",
        "that", "it", "you", "your", "if", "when", "can", "will", "not", "once", "make", "in",
    ];
    match value {
        serde_json::Value::String(text)
            if {
                let mut plain = String::new();
                let mut in_tag = false;
                for c in text.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        c if !in_tag => plain.push(c),
                        _ => {}
                    }
                }
                let words: Vec<String> = plain
                    .split_whitespace()
                    .map(|w| {
                        w.trim_matches(|c: char| !c.is_alphanumeric())
                            .to_lowercase()
                    })
                    .filter(|w| !w.is_empty())
                    .collect();
                words.len() >= 4 && words.iter().any(|w| PROSE_WORDS.contains(&w.as_str()))
            } =>
        {
            found.push(format!("{at}: {text}"))
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                sentences(item, &format!("{at}/{i}"), found);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                sentences(item, &format!("{at}/{key}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn import_keeps_the_structure_and_drops_the_prose() {
    let Some(path) = real_document() else { return };
    let upstream = load::load_file(&path).unwrap();
    let imported = codegen::import::structure_only(&upstream.root);

    let mut found = Vec::new();
    sentences(&imported, "", &mut found);
    assert!(found.is_empty(), "prose left in the import: {found:#?}");
    let text = codegen::import::to_text(&imported);
    for keyword in ["\"summary\"", "\"x-codeSamples\"", "\"example\""] {
        assert!(!text.contains(keyword), "{keyword} survived");
    }
    assert_eq!(
        codegen::import::structure_only(&imported),
        imported,
        "importing is idempotent"
    );

    // The structure is whole: the same operations and types, lowered the same way.
    let lower = |root: &serde_json::Value| {
        let document = load::Document {
            path: path.clone(),
            root: root.clone(),
        };
        let normalized = normalize::normalize(&document).unwrap();
        codegen::ir::lower(&document, &normalized).unwrap()
    };
    let (before, after) = (lower(&upstream.root), lower(&imported));
    let ids = |api: &codegen::ir::Api| {
        api.operations
            .iter()
            .map(|op| op.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&before), ids(&after));
    assert_eq!(before.component_schema_count, after.component_schema_count);
    let only = |a: &codegen::ir::Api, b: &codegen::ir::Api| {
        a.types
            .keys()
            .filter(|name| !b.types.contains_key(*name))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        (only(&before, &after), only(&after, &before)),
        (vec![], vec![]),
        "types named differently without the prose"
    );
    println!(
        "imported: {} bytes from {} ({} operations, {} types)",
        text.len(),
        upstream.root.to_string().len(),
        after.operations.len(),
        after.types.len()
    );
}

/// The words of a text, lower case, letters and digits only; links are facts, not prose,
/// and are left out.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|token| !token.contains("://"))
        .flat_map(|token| token.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Every run of `n` consecutive words of a text.
fn shingles(text: &str, n: usize) -> Vec<String> {
    let words = words(text);
    words.windows(n).map(|w| w.join(" ")).collect()
}

/// Every string under a prose key (`description`, `summary`, `title`) of a document.
fn prose(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(object) => {
            for (key, child) in object {
                match (key.as_str(), child) {
                    ("description" | "summary" | "title", serde_json::Value::String(text)) => {
                        out.push(text.clone())
                    }
                    _ => prose(child, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| prose(item, out)),
        _ => {}
    }
}

/// Every string in a value.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) => out.push(text.clone()),
        serde_json::Value::Object(object) => object.values().for_each(|v| strings(v, out)),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[test]
fn our_words_share_no_phrase_with_polars_prose() {
    // The overlay files are ours: no run of six words may come from Polar's descriptions,
    // summaries or titles (facts such as names and values are too short to trip this).
    let Some(path) = real_document() else { return };
    let polar = load::load_file(&path).unwrap();
    let mut theirs = Vec::new();
    prose(&polar.root, &mut theirs);
    let known: std::collections::HashSet<String> =
        theirs.iter().flat_map(|text| shingles(text, 6)).collect();
    assert!(
        known.len() > 1000,
        "Polar's document has prose to compare with"
    );
    let dir = repo_root().join("openapi/overlay");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut copied = Vec::new();
    for file in &files {
        let overlay = load::load_file(file).unwrap();
        for action in overlay.root["actions"].as_array().unwrap() {
            let mut ours = Vec::new();
            strings(&action["update"], &mut ours);
            for text in ours {
                if let Some(phrase) = shingles(&text, 6).into_iter().find(|s| known.contains(s)) {
                    copied.push(format!(
                        "{}: {} -> \"{phrase}\"",
                        file.file_name().unwrap().to_string_lossy(),
                        action["target"].as_str().unwrap_or("?")
                    ));
                }
            }
        }
    }
    assert!(
        copied.is_empty(),
        "overlay text shares a six-word phrase with Polar's prose (write it anew):\n{}",
        copied.join("\n")
    );
}
