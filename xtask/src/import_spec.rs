//! `cargo xtask import-spec`: copy the structure of an upstream Polar document into `openapi/`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::output::first_difference;
use codegen::{import, load};
use xtask::cli::{Args, Failure};

/// `cargo xtask import-spec --help`.
pub const HELP: &str = "\
usage: cargo xtask import-spec [--check] FILE

Reads an upstream Polar OpenAPI document (e.g. ../shared/openapi/polar-openapi.json) and writes
its structure only to openapi/polar-api.json: paths, operations, parameters, bodies, responses,
security, servers, schemas with their types, formats, enums, defaults and constraints. Polar's
prose and samples (descriptions, summaries, titles, examples, code samples) are dropped; our
own words live in openapi/overlay/. The output is sorted and stable, so a new
upstream version gives a readable diff.

  --check      compare instead of write: exit 1 if openapi/polar-api.json is not what FILE
               gives, showing the first differing lines (default: write)
  -h, --help   print this help
";

/// Runs the command; `args` are what follows `import-spec`.
pub fn command(root: &Path, args: &[String]) -> Result<ExitCode, Failure> {
    let args = Args::parse_with_operands(args, &["--check"], &[], HELP, 1)?;
    let check = args.switch("--check");
    let file = PathBuf::from(&args.operands()[0]);
    let upstream = load::load_file(&file).map_err(|e| e.to_string())?;
    let structure = import::structure_only(&upstream.root);
    let text = import::to_text(&structure);
    let target = root.join(xtask::SPEC);

    if check {
        let committed = std::fs::read_to_string(&target).unwrap_or_default();
        if committed == text {
            println!("{} is the structure of {}", xtask::SPEC, file.display());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{} differs from the structure of {}:",
            xtask::SPEC,
            file.display()
        );
        if let Some(excerpt) = first_difference(&committed, &text) {
            for line in excerpt.lines() {
                eprintln!("    {line}");
            }
        }
        eprintln!(
            "fix: run `cargo xtask import-spec {}`, then `cargo xtask codegen`, and commit both",
            file.display()
        );
        return Ok(ExitCode::FAILURE);
    }

    std::fs::write(&target, &text).map_err(|e| format!("{}: {e}", target.display()))?;
    let count = |key: &str| {
        structure
            .get(key)
            .and_then(|v| v.as_object())
            .map_or(0, |m| m.len())
    };
    let schemas = structure
        .pointer("/components/schemas")
        .and_then(|v| v.as_object())
        .map_or(0, |m| m.len());
    println!(
        "wrote {} ({} bytes, from {} bytes): {} paths, {} webhooks, {} schemas",
        xtask::SPEC,
        text.len(),
        std::fs::metadata(&file).map_or(0, |m| m.len()),
        count("paths"),
        count("webhooks"),
        schemas
    );
    println!("next: `cargo xtask codegen` to regenerate from it, then read the diff");
    Ok(ExitCode::SUCCESS)
}
