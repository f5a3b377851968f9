//! `cargo xtask compile-check`: the generated code must compile for every resource of Polar's
//! full document that the generator supports today, not only for the committed
//! `customer_meters`. Generates them into a scratch copy of the SDK crate under
//! `target/compile-check/`, then runs clippy (`-D warnings`) and the doc-tests (which compile
//! the reference pages' examples) there, sharing the workspace's target directory so the
//! dependencies are not built again.

use std::path::Path;
use std::process::{Command, ExitCode};

use codegen::{load, normalize, output, Config};
use xtask::cli::{self, Args, Failure};

/// `cargo xtask compile-check --help`.
pub const HELP: &str = "\
usage: cargo xtask compile-check

Generates every resource of ../shared/openapi/polar-openapi.json that the generator supports
into a scratch copy of polar-sdk, and runs clippy (-D warnings) and the doc-tests there. The
scratch copy and its build live in target/compile-check/ (a target directory of its own,
reused between runs).

  -h, --help   print this help
";

/// Runs the check; prints a notice and succeeds where the document is absent.
pub fn command(root: &Path, args: &[String]) -> Result<ExitCode, Failure> {
    Args::parse(args, &[], &[], HELP)?;
    let spec = root.join("../shared/openapi/polar-openapi.json");
    if !spec.exists() {
        println!(
            "SKIPPED: {} is absent; compile-check needs Polar's full document",
            spec.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let document = load::load_file(&spec).map_err(|e| e.to_string())?;
    let normalized = normalize::normalize(&document).map_err(|e| e.to_string())?;
    let api = codegen::ir::lower(&document, &normalized).map_err(|e| e.to_string())?;
    let mut supported = Vec::new();
    let mut not_yet = Vec::new();
    for resource in api.resources() {
        let config = Config {
            resources: vec![resource.to_owned()],
            ..Config::default()
        };
        match codegen::generate_document(&document, &config) {
            Ok(_) => supported.push(resource.to_owned()),
            Err(codegen::Error::Unsupported { diagnostics, .. }) => {
                not_yet.push(format!("{resource} ({})", diagnostics.len()))
            }
            Err(other) => return Err(other.to_string().into()),
        }
    }
    println!(
        "resources generated from {}: {}",
        spec.display(),
        supported.join(", ")
    );
    println!(
        "not generated yet (unsupported constructs): {}",
        not_yet.join(", ")
    );

    // Its own target directory: sharing the workspace's would give the scratch crate the
    // same unit names as polar-sdk, and a later `cargo clippy -p polar-sdk` could then
    // report "Fresh" for sources that no longer compile.
    let target = cli::target_dir(root).join("compile-check");
    let scratch = target.join("crates");
    let _ = std::fs::remove_dir_all(&scratch);
    let crate_dir = scratch.join("polar-sdk");
    copy_dir(&root.join("polar-sdk/src"), &crate_dir.join("src"))?;
    for file in ["Cargo.lock", "README.md"] {
        copy(&root.join(file), &scratch.join(file))?;
    }
    copy(
        &root.join("polar-sdk/Cargo.toml"),
        &crate_dir.join("Cargo.toml"),
    )?;
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let manifest = manifest
        .lines()
        .map(|line| {
            if line.starts_with("members") {
                "members = [\"polar-sdk\"]"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    write(&scratch.join("Cargo.toml"), &manifest)?;

    let config = Config {
        resources: supported,
        ..Config::default()
    };
    let generation = codegen::generate_document(&document, &config).map_err(|e| e.to_string())?;
    output::write(&crate_dir, &generation.files).map_err(|e| e.to_string())?;

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let steps: [&[&str]; 2] = [
        &[
            "clippy",
            "--quiet",
            "-p",
            "polar-sdk",
            "--lib",
            "--",
            "-D",
            "warnings",
        ],
        &["test", "--quiet", "-p", "polar-sdk", "--doc"],
    ];
    for args in steps {
        println!("$ cargo {} (in {})", args.join(" "), scratch.display());
        let status = Command::new(&cargo)
            .args(args)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            eprintln!(
                "generated code for Polar's full document does not pass `cargo {}`",
                args.join(" ")
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    println!(
        "the generated code for {} resources compiles, passes clippy and its doc-tests",
        config.resources.len()
    );
    Ok(ExitCode::SUCCESS)
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
