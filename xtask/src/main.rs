//! Project automation, run as `cargo xtask <command>`; `cargo xtask --help` lists the
//! commands and `cargo xtask <command> --help` their flags.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod api_diff;
mod bench;
mod bench_build;
mod compile_check;
mod conformance;
mod feature_check;
mod import_spec;

use codegen::output::{self, Drift};
use codegen::Config;
use xtask::cli::{self, Args, Failure};

/// Polar's full document, relative to the repository root (optional: absent on GitHub).
const SHARED_SPEC: &str = "../shared/openapi/polar-openapi.json";

/// Every command: name, what it does, its help text. Adding a command is one line here and
/// one in `run`.
const COMMANDS: &[(&str, &str, &str)] = &[
    (
        "codegen",
        "regenerate polar-sdk from openapi/, or check it",
        CODEGEN_HELP,
    ),
    (
        "bench-codegen",
        "time the generator on Polar's full document",
        BENCH_HELP,
    ),
    (
        "bench",
        "time streaming a long list: polar-sdk vs the floor and the official SDKs",
        bench::HELP,
    ),
    (
        "bench-build",
        "time compiling polar-sdk's own code, all resources vs one",
        bench_build::HELP,
    ),
    (
        "compile-check",
        "compile what the generator writes for every input",
        compile_check::HELP,
    ),
    (
        "feature-check",
        "check that each resource feature of polar-sdk builds alone",
        feature_check::HELP,
    ),
    (
        "conformance",
        "drive the SDK through a Prism mock server",
        conformance::HELP,
    ),
    (
        "api-diff",
        "report what changed between two documents, and the semver bump",
        api_diff::HELP,
    ),
    (
        "import-spec",
        "copy the structure of an upstream Polar document into openapi/",
        import_spec::HELP,
    ),
];

const CODEGEN_HELP: &str = "\
usage: cargo xtask codegen [--check] [--diagnostics] [--spec FILE --out DIR] [--config FILE]

Writes polar-sdk's generated modules (src/generated/) and reference pages (docs/) from an
OpenAPI document. Only files whose contents change are written; nothing is written on error.

  --check            compare instead of write: exit 1 naming every stale, missing or extra
                     file and its first differing lines (default: write)
  --spec FILE        generate from this document as it is (default: openapi/polar-api.json
                     with openapi/overlay/ merged over it)
  --out DIR          the crate folder to write into; goes with --spec (default: polar-sdk)
  --config FILE      which resources and runtime schemas to generate
                     (default: openapi/codegen.yaml)
  -v, --diagnostics  list every construct lowered with a loss, with its JSON pointer
  -h, --help         print this help
";

const BENCH_HELP: &str = "\
usage: cargo xtask bench-codegen [--spec FILE] [--runs N]

Times the whole generation against parsing the same file into JSON, and each stage; prints
medians. Use a release build: cargo run --release -p xtask -- bench-codegen

  --spec FILE   the document (default: ../shared/openapi/polar-openapi.json)
  --runs N      how many runs to take the median of (default: 5)
  -h, --help    print this help
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first().map(String::as_str) else {
        eprintln!("{}", usage());
        return ExitCode::from(2);
    };
    if command == "--help" || command == "-h" || command == "help" {
        println!("{}", usage());
        return ExitCode::SUCCESS;
    }
    let Some(&(_, _, help)) = COMMANDS.iter().find(|(name, _, _)| *name == command) else {
        eprintln!("error: unknown command `{command}`\n\n{}", usage());
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    if cli::wants_help(rest) {
        print!("{help}");
        return ExitCode::SUCCESS;
    }
    match cli::workspace_root()
        .map_err(Failure::from)
        .and_then(|root| run(command, &root, rest))
    {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one command of [`COMMANDS`]. Commands parse their flags with [`Args`] and fail with
/// [`Failure`]; one that fails with a `String` takes `.map_err(Failure::from)`.
fn run(command: &str, root: &Path, args: &[String]) -> Result<ExitCode, Failure> {
    match command {
        "codegen" => codegen_command(root, args),
        "bench-codegen" => bench_command(root, args),
        "compile-check" => compile_check::command(root, args),
        "bench" => bench::command(root, args),
        "bench-build" => bench_build::command(root, args),
        "conformance" => conformance::command(root, args),
        "feature-check" => feature_check::command(root, args),
        "api-diff" => api_diff::main(root, args),
        "import-spec" => import_spec::command(root, args),
        other => Err(Failure::Usage(format!("unknown command `{other}`"))),
    }
}

/// The overview `cargo xtask --help` prints.
fn usage() -> String {
    let mut text = String::from(
        "usage: cargo xtask <command> [flags]    (cargo xtask <command> --help for its flags)\n\ncommands:\n",
    );
    for (name, summary, _) in COMMANDS {
        text.push_str(&format!("  {name:<15} {summary}\n"));
    }
    text
}

fn codegen_command(root: &Path, args: &[String]) -> Result<ExitCode, Failure> {
    let args = Args::parse(
        args,
        &["--check", "--diagnostics|-v"],
        &["--spec", "--out", "--config"],
        CODEGEN_HELP,
    )?;
    let spec = args.value("--spec").map(PathBuf::from);
    let out = args.value("--out").map(PathBuf::from);
    if spec.is_some() != out.is_some() {
        return Err(Failure::Usage(format!(
            "--spec and --out go together\n{CODEGEN_HELP}"
        )));
    }
    let config_path = args
        .value("--config")
        .map_or_else(|| root.join(xtask::CONFIG), PathBuf::from);
    let config = Config::load(&config_path).map_err(|e| e.to_string())?;
    // The committed structure gets our words merged over it; another document is used as is.
    let generation = match &spec {
        None => xtask::generate_committed(root, &config),
        Some(spec) => codegen::generate(spec, &config),
    }
    .map_err(|e| e.to_string())?;
    let spec = spec.unwrap_or_else(|| root.join(xtask::SPEC));
    let out = out.unwrap_or_else(|| root.join(xtask::OUT));

    let diagnostics = &generation.api.diagnostics;
    if args.switch("--diagnostics") {
        println!("{} diagnostics in {}:", diagnostics.len(), spec.display());
        for diagnostic in diagnostics {
            println!("  {diagnostic}");
        }
    }
    if args.switch("--check") {
        let drift = output::check(&out, &generation.files);
        if drift.is_empty() {
            println!(
                "generated code is up to date ({} files in {})",
                generation.files.len(),
                out.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        let default_out = out == root.join(xtask::OUT);
        eprintln!(
            "generated code differs from what the generator writes for {}:",
            spec.display()
        );
        for entry in &drift {
            eprintln!("  {entry}");
            if let Drift::Stale(path) = entry {
                let cause = if default_out && edited_since_commit(root, path) {
                    "edited by hand: it changed since the last commit, openapi/ and codegen/ did not"
                } else {
                    "edited by hand, or the generator or the document changed"
                };
                eprintln!("    {cause}");
                let name = path.strip_prefix(&out).unwrap_or(path);
                let expected = generation
                    .files
                    .iter()
                    .find(|file| Path::new(&file.name) == name);
                let found = std::fs::read_to_string(path).unwrap_or_default();
                if let Some(excerpt) =
                    expected.and_then(|file| output::first_difference(&found, &file.contents))
                {
                    for line in excerpt.lines() {
                        eprintln!("    {line}");
                    }
                }
            }
        }
        if default_out {
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
    let hint = if diagnostics.is_empty() || args.switch("--diagnostics") {
        ""
    } else {
        " (list them with --diagnostics)"
    };
    api_diff::summary_against_head(root, &spec, &config);
    println!(
        "{} files in {} ({} changed); {} operations and {} schemas lowered, {} diagnostics{hint}",
        generation.files.len(),
        out.display(),
        changed.len(),
        generation.api.operations.len(),
        generation.api.component_schema_count,
        diagnostics.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Whether git says `file` changed since the last commit while the generator's inputs
/// (`openapi/`, `codegen/`) did not. False when git cannot tell.
fn edited_since_commit(root: &Path, file: &Path) -> bool {
    let changed = |paths: &[&Path]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["status", "--porcelain", "--"])
            .args(paths)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| !output.stdout.is_empty())
    };
    changed(&[file]) == Some(true)
        && changed(&[&root.join("openapi"), &root.join("codegen")]) == Some(false)
}

/// Times the whole generation (load → write into a scratch directory) against parsing the
/// same file into a `serde_json::Value`, and prints the medians.
fn bench_command(root: &Path, args: &[String]) -> Result<ExitCode, Failure> {
    use std::time::{Duration, Instant};
    let args = Args::parse(args, &[], &["--spec", "--runs"], BENCH_HELP)?;
    let spec = args
        .value("--spec")
        .map_or_else(|| root.join(SHARED_SPEC), PathBuf::from);
    let runs: usize = match args.value("--runs") {
        None => 5,
        Some(n) => n.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
            Failure::Usage(format!("`--runs` needs a positive number\n{BENCH_HELP}"))
        })?,
    };
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
    let mut stages: Vec<[Duration; 5]> = Vec::new();
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
        let t4 = Instant::now();
        codegen::format::format_all(emitted).map_err(|e| e.to_string())?;
        let t5 = Instant::now();
        stages.push([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4]);
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
    for (index, name) in ["load", "normalize", "lower to IR", "emit", "format"]
        .iter()
        .enumerate()
    {
        let stage = median(stages.iter().map(|s| s[index]).collect());
        println!("    {name:<14} {:>8.1} ms", stage.as_secs_f64() * 1e3);
    }
    Ok(ExitCode::SUCCESS)
}
