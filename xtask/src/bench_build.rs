//! `cargo xtask bench-build`: what polar-sdk's own code costs to compile.
//!
//! The dependencies are built once; then each measured crate is cleaned alone and rebuilt, so
//! the time is that crate's compile (what `cargo build --timings` shows as its unit), not the
//! dependencies'. The crate measured is a copy of one generated with every resource (by
//! default the whole-API crate `cargo xtask compile-check` writes), beside a crate with the
//! same manifest and no code, which shows the fixed cost of a crate of these dependencies.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use xtask::cli::{self, Args, Failure};

/// `cargo xtask bench-build --help`.
pub const HELP: &str = "\
usage: cargo xtask bench-build [--crate DIR] [--release]

Times a cold build of polar-sdk's own code (dependencies already built) with every resource
(default features) and with only `customer_meters` (`--no-default-features --features
customer_meters,rustls`, when the crate has resource features), against a crate with the same
manifest and no code. The crates and their build live in target/bench-build/.

  --crate DIR   the crate to measure (default: target/compile-check/crates/polar-sdk, the
                whole API as `cargo xtask compile-check` generates it)
  --release     measure the release profile instead of dev
  -h, --help    print this help
";

/// Runs the benchmark.
pub fn command(root: &Path, args: &[String]) -> Result<ExitCode, Failure> {
    let args = Args::parse(args, &["--release"], &["--crate"], HELP)?;
    let source = args.value("--crate").map_or_else(
        || cli::compile_check_target(root).join("crates/polar-sdk"),
        PathBuf::from,
    );
    if !source.join("Cargo.toml").is_file() {
        return Err(Failure::Failed(format!(
            "{} has no Cargo.toml: run `cargo xtask compile-check` first, or pass --crate",
            source.display()
        )));
    }
    let release = args.switch("--release");
    let bench = cli::target_dir(root).join("bench-build");
    let scratch = bench.join("crates");
    let _ = std::fs::remove_dir_all(&scratch);
    copy_dir(&source.join("src"), &scratch.join("polar-sdk/src"))?;
    let manifest = read(&source.join("Cargo.toml"))?;
    write(&scratch.join("polar-sdk/Cargo.toml"), &manifest)?;
    let empty_manifest = manifest.replacen("name = \"polar-sdk\"", "name = \"empty\"", 1);
    write(&scratch.join("empty/Cargo.toml"), &empty_manifest)?;
    write(&scratch.join("empty/src/lib.rs"), "//! No code.\n")?;
    let workspace = read(&root.join("Cargo.toml"))?
        .lines()
        .map(|line| {
            if line.starts_with("members") {
                "members = [\"polar-sdk\", \"empty\"]".to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    write(&scratch.join("Cargo.toml"), &workspace)?;
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    // A readme the manifest may name.
    let _ = std::fs::copy(root.join("README.md"), scratch.join("README.md"));

    let target = bench.join("target");
    let profile: &[&str] = if release { &["--release"] } else { &[] };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |args: &[&str]| -> Result<f64, Failure> {
        let started = Instant::now();
        let status = Command::new(&cargo)
            .args(args)
            .args(profile)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0")
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(Failure::Failed(format!("cargo {} failed", args.join(" "))));
        }
        Ok(started.elapsed().as_secs_f64())
    };
    println!("building the dependencies once");
    run(&["build", "-p", "empty", "--lib"])?;
    let mut configurations: Vec<(&str, &str, Vec<&str>)> = vec![
        ("empty", "no code, same manifest", vec![]),
        ("polar-sdk", "every resource (default features)", vec![]),
    ];
    let features = manifest.contains(codegen::emit::FEATURES_BEGIN)
        && manifest.contains("\ncustomer_meters = ");
    if features {
        configurations.push((
            "polar-sdk",
            "customer_meters only",
            vec![
                "--no-default-features",
                "--features",
                "customer_meters,rustls",
            ],
        ));
    }
    let mut results = Vec::new();
    for (package, what, extra) in &configurations {
        run(&["clean", "-p", package])?;
        let mut args = vec!["build", "-p", package, "--lib"];
        args.extend(extra.iter().copied());
        let seconds = run(&args)?;
        results.push((*package, *what, seconds));
    }
    let lines = count_lines(&source.join("src/generated"));
    println!(
        "\n{} build of {} ({} lines of generated code):",
        if release { "release" } else { "dev" },
        source.display(),
        lines
    );
    for (package, what, seconds) in results {
        println!("  {package:<10} {what:<36} {seconds:>7.1} s");
    }
    Ok(ExitCode::SUCCESS)
}

fn count_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .map(|path| {
            if path.is_dir() {
                count_lines(&path)
            } else if path.extension().is_some_and(|e| e == "rs") {
                std::fs::read_to_string(&path).map_or(0, |text| text.lines().count())
            } else {
                0
            }
        })
        .sum()
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}
