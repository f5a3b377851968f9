//! Project automation, run as `cargo xtask <task>`.
//!
//! `cargo xtask codegen`                       regenerate polar-sdk from openapi/
//! `cargo xtask codegen --check`               fail (naming every file) if the committed code is stale
//! `cargo xtask codegen --spec FILE --out DIR` generate from another document into DIR
//!                                             (with --check: compare DIR instead of writing)
//! `cargo xtask compile-check`                 the code generated for every supported resource of
//!                                             Polar's full document compiles (clippy + doc-tests)
//! `cargo xtask conformance`                   drive the SDK through a Prism mock of openapi/
//!                                             (and of ../shared/openapi/polar-openapi.json)

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod compile_check;
mod conformance;
mod import_spec;

use codegen::output;
use codegen::Config;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--spec FILE --out DIR] [--config FILE]\n       cargo xtask bench-codegen [--spec FILE] [--runs N]   (use a release build: cargo run --release -p xtask -- bench-codegen)\n       cargo xtask compile-check   (generated code for every supported resource of Polar's document compiles)\n       cargo xtask conformance   (Prism mock server conformance run of the SDK)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some(command @ ("codegen" | "bench-codegen")) => {
            let result = if command == "codegen" {
                codegen_command(&args[1..])
            } else {
                bench_command(&args[1..])
            };
            match result {
                Ok(code) => code,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("compile-check") => match compile_check::command(&root()) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Some("import-spec") => match import_spec::command(&root(), &args[1..]) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Some("conformance") => match conformance::command(&root(), &args[1..]) {
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
    // The committed structure gets our words merged over it; another document is used as is.
    let generation = match &spec {
        None => xtask::generate_committed(&root, &config),
        Some(spec) => codegen::generate(spec, &config),
    }
    .map_err(|e| e.to_string())?;
    let spec = spec.unwrap_or_else(|| root.join(xtask::SPEC));
    let out = out.unwrap_or_else(|| root.join(xtask::OUT));
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

/// Times the whole generation (load → write into a scratch directory) against parsing the
/// same file into a `serde_json::Value`, and prints the medians.
fn bench_command(args: &[String]) -> Result<ExitCode, String> {
    use std::time::{Duration, Instant};
    let root = root();
    let mut spec = root.join("../shared/openapi/polar-openapi.json");
    let mut runs = 5usize;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--spec" => {
                spec = iter
                    .next()
                    .map(PathBuf::from)
                    .ok_or("--spec needs a value")?
            }
            "--runs" => {
                runs = iter
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or("--runs needs a positive number")?
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "note: this is a debug build; use `cargo run --release -p xtask -- bench-codegen`"
        );
    }
    let config = Config::load(&root.join(xtask::CONFIG)).map_err(|e| e.to_string())?;
    let out = std::env::temp_dir().join(format!("polar-bench-{}", std::process::id()));
    let median = |mut samples: Vec<Duration>| {
        samples.sort();
        samples[samples.len() / 2]
    };
    let mut parse = Vec::new();
    let mut whole = Vec::new();
    let mut stages: Vec<[Duration; 4]> = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let text =
            std::fs::read_to_string(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        parse.push(started.elapsed());
        drop(value);

        let _ = std::fs::remove_dir_all(&out);
        let started = Instant::now();
        let generation = codegen::generate(&spec, &config).map_err(|e| e.to_string())?;
        output::write(&out, &generation.files).map_err(|e| e.to_string())?;
        whole.push(started.elapsed());

        // The same pipeline, stage by stage.
        let t0 = Instant::now();
        let document = codegen::load::load_file(&spec).map_err(|e| e.to_string())?;
        let t1 = Instant::now();
        let normalized = codegen::normalize::normalize(&document).map_err(|e| e.to_string())?;
        let t2 = Instant::now();
        let api = codegen::ir::lower(&document, &normalized).map_err(|e| e.to_string())?;
        let t3 = Instant::now();
        let selection = codegen::emit::select(&api, &config).map_err(|e| e.to_string())?;
        let emitted = codegen::emit::emit(&api, &selection).map_err(|d| format!("{d:?}"))?;
        for file in emitted {
            codegen::format::format(file).map_err(|e| e.to_string())?;
        }
        let t4 = Instant::now();
        stages.push([t1 - t0, t2 - t1, t3 - t2, t4 - t3]);
    }
    let _ = std::fs::remove_dir_all(&out);
    let (parse, whole) = (median(parse), median(whole));
    println!("{} ({runs} runs, median)", spec.display());
    println!(
        "  read + parse into serde_json::Value: {:>8.1} ms",
        parse.as_secs_f64() * 1e3
    );
    println!(
        "  codegen --spec … --out … (whole):   {:>8.1} ms",
        whole.as_secs_f64() * 1e3
    );
    println!("  ratio: {:.1}x", whole.as_secs_f64() / parse.as_secs_f64());
    for (index, name) in ["load", "normalize", "lower to IR", "emit + format"]
        .iter()
        .enumerate()
    {
        let stage = median(stages.iter().map(|s| s[index]).collect());
        println!("    {name:<14} {:>8.1} ms", stage.as_secs_f64() * 1e3);
    }
    Ok(ExitCode::SUCCESS)
}
