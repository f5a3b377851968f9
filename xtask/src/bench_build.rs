//! `cargo xtask bench-build`: what polar-sdk's own code costs to compile, against its
//! dependencies.
//!
//! Per profile (dev, release) the benchmark
//!
//! 1. builds the dependencies cold, through a crate with polar-sdk's manifest and no code: the
//!    wall time of that build, and the sum of the dependencies' own compile times as
//!    `cargo build --timings` reports them (their units, build scripts included);
//! 2. cleans polar-sdk alone and rebuilds it, with every resource (default features) and with
//!    only `customer_meters`: its unit's time, the dependencies already built.
//!
//! The goal it checks (and prints): with every resource, polar-sdk's unit takes no longer than
//! its dependencies together; with one resource, at most a tenth of that.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use xtask::cli::{self, Args, Failure};

/// `cargo xtask bench-build --help`.
pub const HELP: &str = "\
usage: cargo xtask bench-build [--crate DIR] [--profile dev|release|both]

Times cold builds, per profile: polar-sdk's dependencies (through a crate with the same manifest
and no code), then polar-sdk's own unit with every resource (default features) and with only
`customer_meters` (`--no-default-features --features customer_meters,rustls`, when the crate has
resource features), the dependencies already built. Prints each unit's time from `cargo build
--timings` and whether polar-sdk meets the goal: every resource no slower than the dependencies
together, one resource at most a tenth of that. Crates, builds and timing reports live in
target/bench-build/.

  --crate DIR       the crate to measure (default: polar-sdk/ of this repository)
  --profile WHICH   dev, release or both (default: both)
  -h, --help        print this help
";

/// One configuration's figures: wall time of the cargo command and the unit's own time.
struct Timing {
    wall: f64,
    unit: f64,
}

/// Runs the benchmark.
pub fn command(root: &Path, args: &[String]) -> Result<ExitCode, Failure> {
    let args = Args::parse(args, &[], &["--crate", "--profile"], HELP)?;
    let source = args
        .value("--crate")
        .map_or_else(|| root.join("polar-sdk"), PathBuf::from);
    if !source.join("Cargo.toml").is_file() {
        return Err(Failure::Failed(format!(
            "{} has no Cargo.toml: pass --crate with a crate folder",
            source.display()
        )));
    }
    let profiles: &[&str] = match args.value("--profile").unwrap_or("both") {
        "dev" => &["dev"],
        "release" => &["release"],
        "both" => &["dev", "release"],
        other => {
            return Err(Failure::Usage(format!(
                "--profile takes dev, release or both, not `{other}`\n{}",
                HELP.trim_end()
            )))
        }
    };
    let bench = cli::target_dir(root).join("bench-build");
    let scratch = bench.join("crates");
    let _ = std::fs::remove_dir_all(&scratch);
    copy_dir(&source.join("src"), &scratch.join("polar-sdk/src"))?;
    // Reference pages the crate includes as docs (`include_str!("../../docs/…")`).
    if source.join("docs").is_dir() {
        copy_dir(&source.join("docs"), &scratch.join("polar-sdk/docs"))?;
    }
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

    let features = manifest.contains(codegen::emit::FEATURES_BEGIN)
        && manifest.contains("\ncustomer_meters = ");
    let lines = count_lines(&source.join("src/generated"));
    let target = bench.join("target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut report = Vec::new();
    for profile in profiles {
        let run = |args: &[&str], unit: &str| -> Result<(Timing, f64), Failure> {
            let started = Instant::now();
            let status = Command::new(&cargo)
                .args(args)
                .args(["--profile", profile, "--timings"])
                .current_dir(&scratch)
                .env("CARGO_TARGET_DIR", &target)
                .env("CARGO_INCREMENTAL", "0")
                .status()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            if !status.success() {
                return Err(Failure::Failed(format!("cargo {} failed", args.join(" "))));
            }
            let wall = started.elapsed().as_secs_f64();
            let units = unit_times(&target.join("cargo-timings/cargo-timing.html"))?;
            let own = units
                .iter()
                .filter(|(name, _)| name == unit)
                .map(|(_, seconds)| seconds)
                .sum();
            let others = units
                .iter()
                .filter(|(name, _)| name != unit)
                .map(|(_, seconds)| seconds)
                .sum();
            Ok((Timing { wall, unit: own }, others))
        };
        let folder = if *profile == "dev" { "debug" } else { profile };
        let _ = std::fs::remove_dir_all(target.join(folder));
        println!("\n== {profile}: the dependencies, cold");
        let (empty, dependencies) = run(&["build", "-p", "empty", "--lib"], "empty")?;
        let mut rows = vec![(
            "dependencies together (sum of their units)".to_owned(),
            Timing {
                wall: empty.wall,
                unit: dependencies,
            },
        )];
        rows.push(("empty crate, same manifest".to_owned(), empty));
        let mut configurations = vec![("every resource (default features)", vec![])];
        if features {
            configurations.push((
                "customer_meters only",
                vec![
                    "--no-default-features",
                    "--features",
                    "customer_meters,rustls",
                ],
            ));
        }
        for (what, extra) in configurations {
            println!("\n== {profile}: polar-sdk, {what}");
            let mut clean = vec!["clean", "-p", "polar-sdk"];
            if *profile != "dev" {
                clean.extend(["--profile", profile]);
            }
            let status = Command::new(&cargo)
                .args(&clean)
                .current_dir(&scratch)
                .env("CARGO_TARGET_DIR", &target)
                .status()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            if !status.success() {
                return Err(Failure::Failed("cargo clean -p polar-sdk failed".into()));
            }
            let mut args = vec!["build", "-p", "polar-sdk", "--lib"];
            args.extend(extra);
            let (timing, _) = run(&args, "polar-sdk")?;
            rows.push((format!("polar-sdk, {what}"), timing));
        }
        report.push((*profile, rows));
    }

    println!(
        "\nCold builds of {} ({lines} lines of generated code); unit = the crate's own compile \
         time from `cargo build --timings`, wall = the cargo command:",
        source.display()
    );
    let mut met = true;
    for (profile, rows) in &report {
        println!("\n  {profile}");
        for (index, (what, timing)) in rows.iter().enumerate() {
            // The empty crate is built by the same command as the dependencies: one wall time.
            let wall = if index == 1 {
                "(same command)".to_owned()
            } else {
                format!("{:>7.1} s", timing.wall)
            };
            println!("    {what:<46} unit {:>7.1} s   wall {wall}", timing.unit);
        }
        let dependencies = rows[0].1.unit;
        for (what, timing) in &rows[2..] {
            let (limit, goal) = if what.contains("every resource") {
                (dependencies, "≤ the dependencies")
            } else {
                (dependencies / 10.0, "≤ a tenth of the dependencies")
            };
            let ok = timing.unit <= limit;
            met &= ok;
            println!(
                "    goal {goal}: {what} {:.1} s vs {limit:.1} s: {}",
                timing.unit,
                if ok { "met" } else { "NOT met" }
            );
        }
    }
    println!(
        "\nTiming reports (per-crate bars): {}",
        target.join("cargo-timings").display()
    );
    Ok(if met {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Each unit's `(crate name, seconds)` from the report `cargo build --timings` writes: the
/// `UNIT_DATA` array of its HTML page. A crate may have several units (its build script).
fn unit_times(report: &Path) -> Result<Vec<(String, f64)>, String> {
    let html = read(report)?;
    let marker = "const UNIT_DATA = ";
    let start = html
        .find(marker)
        .ok_or_else(|| format!("{}: no `{marker}` in the timing report", report.display()))?;
    let data = serde_json::Deserializer::from_str(&html[start + marker.len()..])
        .into_iter::<serde_json::Value>()
        .next()
        .ok_or_else(|| format!("{}: UNIT_DATA is empty", report.display()))?
        .map_err(|e| format!("{}: UNIT_DATA: {e}", report.display()))?;
    let units = data
        .as_array()
        .ok_or_else(|| format!("{}: UNIT_DATA is not a list", report.display()))?;
    Ok(units
        .iter()
        .filter_map(|unit| {
            let name = unit.get("name")?.as_str()?;
            let seconds = unit.get("duration")?.as_f64()?;
            Some((name.to_owned(), seconds))
        })
        .collect())
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
