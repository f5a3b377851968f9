//! Project automation, run as `cargo xtask <task>`.
//!
//! `cargo xtask codegen`                       regenerate polar-sdk from openapi/
//! `cargo xtask codegen --check`               fail (naming every file) if the committed code is stale
//! `cargo xtask codegen --spec FILE --out DIR` generate from another document into DIR
//!                                             (with --check: compare DIR instead of writing)

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::output;
use codegen::Config;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--spec FILE --out DIR] [--config FILE]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => match codegen_command(&args[1..]) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The repository root (xtask lives one level below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn codegen_command(args: &[String]) -> Result<ExitCode, String> {
    let root = root();
    let mut check = false;
    let mut spec: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut config_path = root.join(xtask::CONFIG);
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => spec = Some(value("--spec")?),
            "--out" => out = Some(value("--out")?),
            "--config" => config_path = value("--config")?,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if spec.is_some() != out.is_some() {
        return Err(format!("--spec and --out go together\n{USAGE}"));
    }
    let config = Config::load(&config_path).map_err(|e| e.to_string())?;
    let spec = spec.unwrap_or_else(|| root.join(xtask::SPEC));
    let out = out.unwrap_or_else(|| root.join(xtask::OUT));

    let generation = codegen::generate(&spec, &config).map_err(|e| e.to_string())?;
    if check {
        let drift = output::check(&out, &generation.files);
        if drift.is_empty() {
            println!(
                "generated code is up to date ({} files in {})",
                generation.files.len(),
                out.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("generated code is out of date with {}:", spec.display());
        for entry in &drift {
            eprintln!("  {entry}");
        }
        if out == root.join(xtask::OUT) {
            eprintln!("fix: run `cargo xtask codegen` and commit the result");
        } else {
            eprintln!(
                "fix: run `cargo xtask codegen --spec {} --out {}`",
                spec.display(),
                out.display()
            );
        }
        return Ok(ExitCode::FAILURE);
    }
    let changed = output::write(&out, &generation.files).map_err(|e| e.to_string())?;
    for path in &changed {
        println!("wrote {}", path.display());
    }
    println!(
        "{} files in {} ({} changed); {} operations and {} schemas lowered, {} diagnostics",
        generation.files.len(),
        out.display(),
        changed.len(),
        generation.api.operations.len(),
        generation.api.component_schema_count,
        generation.api.diagnostics.len()
    );
    Ok(ExitCode::SUCCESS)
}
