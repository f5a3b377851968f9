//! `cargo xtask compile-check`: what the generator writes must compile, for every input it
//! accepts, not only for the committed resources:
//!
//! * every fixture of `codegen/tests/fixtures/` (all its resources and schemas), and
//! * every operation of Polar's whole API (the committed `openapi/polar-api.json` with our
//!   overlay): all 186 must generate,
//!
//! each with the conformance driver (`examples/conformance_operations/`) whose call table it
//! generates.
//!
//! Each becomes a scratch copy of the SDK crate (hand-written runtime plus that input's
//! generated modules), all members of one scratch workspace in
//! `<target>/compile-check/crates/`. One `cargo clippy -D warnings` checks them all; the copy
//! of Polar's document also runs its doc-tests (the reference pages' examples). The scratch
//! build has its own target directory, `<target>/compile-check/`, reused between runs.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use codegen::{load, normalize, output, Config};
use serde_json::Value;
use xtask::cli::{self, Args, Failure};

/// `cargo xtask compile-check --help`.
pub const HELP: &str = "\
usage: cargo xtask compile-check

Generates every fixture of codegen/tests/fixtures/ and every operation of openapi/polar-api.json
(with openapi/overlay/), each into a scratch copy of polar-sdk, and runs clippy
(-D warnings) on all of them, plus the doc-tests of the copy generated from Polar's whole API.
Fails when an operation of the whole API does not generate, or a fixture is refused that is
not expected to be. The copies and their build live in target/compile-check/
(a target directory of its own, reused between runs).

  -h, --help   print this help
";

/// The fixtures, relative to the repository root.
const FIXTURES: &str = "codegen/tests/fixtures";
/// Fixtures the generator must refuse, each with why; any other refusal fails the check.
const REFUSED_FIXTURES: &[(&str, &str)] = &[
    (
        "normalize-31",
        "covers normalize's rewrites, including a `patternProperties` it reports",
    ),
    ("self-reference", "a `$ref` cycle with no finite Rust type"),
];
/// The conformance driver's hand-written files (`main.rs`, `known.rs`); its generated call
/// table (`cases.rs`) is one of the generated files, so every scratch crate builds the driver
/// for its own operations.
const DRIVER_DIR: &str = "polar-sdk/examples/conformance_operations";
/// The driver, as `cargo --example` names it.
const DRIVER: &str = "conformance_operations";
/// The scratch crate generated from Polar's document keeps the SDK's name, so the reference
/// pages' examples (`use polar_sdk::…`) compile as they are.
const DOCUMENT_CRATE: &str = "polar-sdk";

/// Runs the check.
pub fn command(root: &Path, args: &[String]) -> Result<ExitCode, Failure> {
    Args::parse(args, &[], &[], HELP)?;
    let target = cli::compile_check_target(root);
    let scratch = target.join("crates");
    let _ = std::fs::remove_dir_all(&scratch);

    let runtime = load::load_file(&root.join(xtask::SPEC)).map_err(|e| e.to_string())?;
    let mut members: Vec<String> = Vec::new();
    for (name, path) in fixtures(root)? {
        let mut document = load::load_file(&path).map_err(|e| e.to_string())?;
        match fixture_config(&mut document, &runtime).and_then(|config| {
            codegen::generate_document(&document, &config).map_err(|e| e.to_string())
        }) {
            Ok(generation) => {
                let member = format!("fixture-{name}");
                write_crate(root, &scratch.join(&member), &member, &generation.files)?;
                members.push(member);
            }
            // A fixture that is refused (e.g. a type with no finite Rust form) has nothing
            // to compile; the codegen tests check its diagnostic. Only the listed ones may be.
            Err(error) => {
                let Some((_, why)) = REFUSED_FIXTURES.iter().find(|(n, _)| *n == name) else {
                    return Err(
                        format!("fixture {name} is not generated any more:\n{error}").into(),
                    );
                };
                println!("fixture {name}: refused as expected ({why})");
            }
        }
    }
    println!("fixtures generated: {}", members.join(", "));

    let mut whole_api = load::load_file(&root.join(xtask::SPEC)).map_err(|e| e.to_string())?;
    codegen::overlay::apply_file(&mut whole_api, &root.join(xtask::OVERLAY))
        .map_err(|e| e.to_string())?;
    let files = document_files(&whole_api)?;
    write_crate(root, &scratch.join(DOCUMENT_CRATE), DOCUMENT_CRATE, &files)?;
    members.push(DOCUMENT_CRATE.to_owned());
    write_workspace(root, &scratch, &members)?;

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // The fixtures exercise the generator, not the runtime: a small one leaves parts of the
    // hand-written runtime unused (pagination, say), so dead code is allowed there only.
    let fixtures: Vec<String> = members
        .iter()
        .filter(|m| m.as_str() != DOCUMENT_CRATE)
        .flat_map(|m| ["-p".to_owned(), m.clone()])
        .collect();
    let mut steps: Vec<Vec<&str>> = Vec::new();
    if !fixtures.is_empty() {
        let mut step = vec!["clippy", "--keep-going", "--lib", "--example", DRIVER];
        step.extend(fixtures.iter().map(String::as_str));
        step.extend(["--", "-D", "warnings", "-A", "dead_code"]);
        steps.push(step);
    }
    steps.push(vec![
        "clippy",
        "-p",
        DOCUMENT_CRATE,
        "--lib",
        "--example",
        DRIVER,
        "--",
        "-D",
        "warnings",
    ]);
    // The reference pages' examples are doc-tests of the committed crate too; run them here
    // only for what the committed crate leaves out.
    if !commits_every_resource(root, &whole_api)? {
        steps.push(vec!["test", "-p", DOCUMENT_CRATE, "--doc"]);
    } else {
        println!("doc-tests: every resource is committed, so `cargo test` runs its examples");
    }
    for args in steps {
        println!(
            "$ CARGO_TARGET_DIR={} cargo {} (in {})",
            target.display(),
            args.join(" "),
            scratch.display()
        );
        let status = Command::new(&cargo)
            .args(&args)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            eprintln!(
                "generated code does not pass `cargo {}`; the crates are in {}",
                args.join(" "),
                scratch.display()
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    println!(
        "the generated code of {} inputs compiles and passes clippy; the whole API's doc-tests pass",
        members.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Whether `openapi/codegen.yaml` selects every resource of the document.
fn commits_every_resource(root: &Path, document: &load::Document) -> Result<bool, String> {
    let config = Config::load(&root.join("openapi/codegen.yaml")).map_err(|e| e.to_string())?;
    let normalized = normalize::normalize(document).map_err(|e| e.to_string())?;
    let api = codegen::ir::lower(document, &normalized).map_err(|e| e.to_string())?;
    Ok(api
        .resources()
        .iter()
        .all(|resource| config.resources.iter().any(|r| r == resource)))
}

/// The fixture documents, sorted, with the crate-friendly part of their names.
fn fixtures(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let dir = root.join(FIXTURES);
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .filter_map(|path| {
            let stem = path.file_stem()?.to_str()?.replace('_', "-");
            Some((stem, path))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// Everything a fixture has (all resources, all schemas), plus what the hand-written runtime
/// needs that a small fixture lacks: the error schemas it names (taken from `openapi/`) and
/// a server.
fn fixture_config(
    document: &mut load::Document,
    runtime: &load::Document,
) -> Result<Config, String> {
    let runtime_types = Config::default().runtime_types;
    let root = &mut document.root;
    if !root.get("servers").is_some_and(Value::is_array) {
        root["servers"] = serde_json::json!([{"url": "https://example.test"}]);
    }
    if !root.get("components").is_some_and(Value::is_object) {
        root["components"] = serde_json::json!({});
    }
    if !root["components"]
        .get("schemas")
        .is_some_and(Value::is_object)
    {
        root["components"]["schemas"] = serde_json::json!({});
    }
    let mut schemas: Vec<String> = root["components"]["schemas"]
        .as_object()
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    // The error schemas and the schemas they reference, where the fixture has none by
    // that name.
    let available = &runtime.root["components"]["schemas"];
    let mut queue = runtime_types.clone();
    while let Some(name) = queue.pop() {
        if schemas.contains(&name) {
            continue;
        }
        let Some(schema) = available.get(&name) else {
            continue;
        };
        collect_refs(schema, &mut queue);
        root["components"]["schemas"][&name] = schema.clone();
        schemas.push(name);
    }
    let normalized = normalize::normalize(document).map_err(|e| e.to_string())?;
    let api = codegen::ir::lower(document, &normalized).map_err(|e| e.to_string())?;
    Ok(Config {
        resources: api.resources().into_iter().map(str::to_owned).collect(),
        runtime_types: schemas,
        runtime_errors: Config::default().runtime_errors,
    })
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if let Some(name) = object
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                out.push(name.to_owned());
            }
            object.values().for_each(|child| collect_refs(child, out));
        }
        Value::Array(items) => items.iter().for_each(|child| collect_refs(child, out)),
        _ => {}
    }
}

/// Every resource of Polar's document, generated together; fails naming each construct that
/// keeps an operation from generating.
fn document_files(document: &load::Document) -> Result<Vec<codegen::GeneratedFile>, String> {
    let document = document.clone();
    let normalized = normalize::normalize(&document).map_err(|e| e.to_string())?;
    let api = codegen::ir::lower(&document, &normalized).map_err(|e| e.to_string())?;
    let mut supported = Vec::new();
    let mut not_yet = Vec::new();
    let mut generated_operations = 0;
    for resource in api.resources() {
        let config = Config {
            resources: vec![resource.to_owned()],
            ..Config::default()
        };
        let operations = api.resource_operations(resource).count();
        match codegen::generate_document(&document, &config) {
            Ok(_) => {
                supported.push(resource.to_owned());
                generated_operations += operations;
            }
            Err(codegen::Error::Unsupported { diagnostics, .. }) => {
                for diagnostic in &diagnostics {
                    not_yet.push(format!("  {resource}: {diagnostic}"));
                }
            }
            Err(other) => return Err(other.to_string()),
        }
    }
    println!(
        "{generated_operations}/{} operations generated from {} ({} of {} resources)",
        api.operations.len(),
        document.path.display(),
        supported.len(),
        api.resources().len()
    );
    if !not_yet.is_empty() {
        // Every operation of Polar's document generates; one that stops is a regression.
        return Err(format!(
            "operations of {} are not generated (unsupported constructs):\n{}",
            document.path.display(),
            not_yet.join("\n")
        ));
    }
    let config = Config {
        resources: supported,
        ..Config::default()
    };
    codegen::generate_document(&document, &config)
        .map(|generation| generation.files)
        .map_err(|e| e.to_string())
}

/// A copy of the SDK crate named `name`, with `files` as its generated modules.
fn write_crate(
    root: &Path,
    dir: &Path,
    name: &str,
    files: &[codegen::GeneratedFile],
) -> Result<(), String> {
    copy_dir(&root.join("polar-sdk/src"), &dir.join("src"))?;
    let manifest = read(&root.join("polar-sdk/Cargo.toml"))?.replacen(
        "name = \"polar-sdk\"",
        &format!("name = \"{name}\""),
        1,
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    write_driver(root, dir, name)?;
    output::write(dir, files).map_err(|e| e.to_string())?;
    Ok(())
}

/// The driver's hand-written files; in a fixture's crate, `main.rs` also names the crate
/// `polar_sdk`, as the driver calls it.
fn write_driver(root: &Path, dir: &Path, name: &str) -> Result<(), String> {
    let from = root.join(DRIVER_DIR);
    let entries = std::fs::read_dir(&from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut text = read(&path)?;
        if codegen::format::is_generated(&text) {
            continue;
        }
        let lib = name.replace('-', "_");
        if file == "main.rs" && lib != "polar_sdk" {
            // After the inner doc comment, which must come first.
            let docs = text
                .lines()
                .take_while(|line| line.starts_with("//!"))
                .map(|line| line.len() + 1)
                .sum::<usize>()
                .min(text.len());
            text.insert_str(docs, &format!("extern crate {lib} as polar_sdk;\n"));
        }
        write(&dir.join(format!("examples/{DRIVER}/{file}")), &text)?;
    }
    Ok(())
}

/// The scratch workspace: the repository's manifest (shared package fields, dependency
/// versions, profiles) with the scratch crates as members, and its lock file.
fn write_workspace(root: &Path, scratch: &Path, members: &[String]) -> Result<(), String> {
    let listed: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    let manifest = read(&root.join("Cargo.toml"))?
        .lines()
        .map(|line| {
            if line.starts_with("members") {
                format!("members = [{}]", listed.join(", "))
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    write(&scratch.join("Cargo.toml"), &manifest)?;
    copy(&root.join("Cargo.lock"), &scratch.join("Cargo.lock"))?;
    // The SDK's doc-tests include the README.
    copy(&root.join("README.md"), &scratch.join("README.md"))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("{}: {e}", from.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Copies a source tree, leaving out the generated modules (they are regenerated).
fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().unwrap_or_default();
        if path.is_dir() {
            if name != "generated" {
                copy_dir(&path, &to.join(name))?;
            }
        } else {
            copy(&path, &to.join(name))?;
        }
    }
    Ok(())
}
