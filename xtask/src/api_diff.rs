//! `cargo xtask api-diff OLD NEW [--format markdown|json] [--config FILE]`: the change report
//! between two OpenAPI documents (JSON or YAML files, or `REV:PATH` for a committed one), and the summary `cargo xtask codegen` prints
//! when the document in `openapi/` changed since the last commit.
//!
//! Exit codes: 0 when the report was made (whatever it says), 1 when a document or the
//! configuration cannot be read (the message names the file), 2 for a usage error.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use codegen::diff::{self, render};
use codegen::load;
use codegen::Config;
use xtask::cli::{Args, Failure};

/// `cargo xtask api-diff --help`.
pub const HELP: &str = "\
usage: cargo xtask api-diff OLD NEW [--format markdown|json] [--config FILE]

Reports every change between two OpenAPI documents (JSON or YAML files, or REV:PATH for a
committed one, e.g. HEAD:openapi/polar-api.json), each with its JSON pointer and whether it is
breaking, may break or is compatible for a client; then the public Rust items of the generated
resources that change, and the version bump polar-sdk needs. Exit 0 when the report was made.

  --format FORMAT   markdown (default) or json
  --config FILE     which resources count as generated (default: openapi/codegen.yaml)
  -h, --help        print this help
";

enum Format {
    Markdown,
    Json,
}

/// Runs the command; prints the report, and returns the exit code.
pub fn main(root: &Path, args: &[String]) -> Result<ExitCode, Failure> {
    let args = Args::parse_with_operands(args, &[], &["--format", "--config"], HELP, 2)?;
    let format = match args.value("--format") {
        None | Some("markdown" | "md") => Format::Markdown,
        Some("json") => Format::Json,
        Some(other) => {
            return Err(Failure::Usage(format!(
                "--format takes `markdown` or `json`, not `{other}`\n{HELP}"
            )))
        }
    };
    let config_path = args
        .value("--config")
        .map_or_else(|| root.join(xtask::CONFIG), PathBuf::from);
    let (old, new) = (
        PathBuf::from(&args.operands()[0]),
        PathBuf::from(&args.operands()[1]),
    );
    let config = Config::load(&config_path).map_err(|e| e.to_string())?;
    let (old, new) = (document(root, &old)?, document(root, &new)?);
    let report = diff::diff_with_rust(&old, &new, &config);
    let text = match format {
        Format::Json => render::json(&report) + "\n",
        Format::Markdown => render::markdown(&report, sdk_version(root).as_deref()),
    };
    // A reader that stops early (`| head`) is not an error worth a panic.
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the report: {error}").into())
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Loads a document from a file or, for `REV:PATH` naming no file, from git (`git show`).
fn document(root: &Path, argument: &Path) -> Result<load::Document, String> {
    let text = argument.to_string_lossy();
    let from_git = match text.split_once(':') {
        Some((revision, path))
            if !argument.exists() && !revision.is_empty() && !path.is_empty() =>
        {
            Some((revision.to_owned(), path.to_owned()))
        }
        _ => None,
    };
    let Some((revision, path)) = from_git else {
        return load::load_file(argument).map_err(|e| e.to_string());
    };
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &format!("{revision}:{path}")])
        .output()
        .map_err(|e| format!("{text}: cannot run git: {e}"))?;
    if !output.status.success() {
        let reason = String::from_utf8_lossy(&output.stderr);
        let reason = reason.lines().next().unwrap_or("git show failed");
        return Err(format!("{text}: cannot read it from git: {reason}"));
    }
    let content = String::from_utf8(output.stdout)
        .map_err(|_| format!("{text}: the committed file is not UTF-8"))?;
    load::load_str(argument, &content).map_err(|e| e.to_string())
}

/// polar-sdk's current version, from its manifest.
fn sdk_version(root: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(root.join("polar-sdk/Cargo.toml")).ok()?;
    manifest.lines().find_map(|line| {
        let value = line.trim().strip_prefix("version")?.trim_start();
        let value = value.strip_prefix('=')?.trim();
        Some(value.trim_matches('"').to_owned())
    })
}

/// After `cargo xtask codegen` regenerated from `openapi/`: when the document differs from
/// the committed one, prints the summary of the changes. Says nothing when git or the
/// committed file is not available, or when the document did not change.
pub fn summary_against_head(root: &Path, spec: &Path, config: &Config) {
    if spec != root.join(xtask::SPEC) {
        return;
    }
    let (Some(committed), Ok(current)) =
        (committed(root, xtask::SPEC), std::fs::read_to_string(spec))
    else {
        return;
    };
    if let Some(text) = change_summary(
        &committed,
        &current,
        xtask::SPEC,
        config,
        sdk_version(root).as_deref(),
    ) {
        println!("\n{text}");
    }
}

/// The committed text of `relative` (a path from the repository root), if git has it.
fn committed(root: &Path, relative: &str) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &format!("HEAD:{relative}")])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout).ok()
}

/// The summary printed after regeneration, or `None` when the document did not change (or
/// either version does not load: regeneration reports that itself).
fn change_summary(
    committed: &str,
    current: &str,
    relative: &str,
    config: &Config,
    sdk_version: Option<&str>,
) -> Option<String> {
    if committed == current {
        return None;
    }
    let old_name = format!("HEAD:{relative}");
    let old = load::load_str(Path::new(&old_name), committed).ok()?;
    let new = load::load_str(Path::new(relative), current).ok()?;
    let report = diff::diff_with_rust(&old, &new, config);
    Some(format!(
        "{relative} changed since the last commit.\n{}\nfull report: cargo xtask api-diff {old_name} {relative}",
        render::summary(&report, sdk_version)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> String {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        std::fs::read_to_string(root.join(xtask::SPEC)).unwrap()
    }

    #[test]
    fn an_unchanged_document_prints_nothing() {
        let text = spec();
        assert_eq!(
            change_summary(&text, &text, xtask::SPEC, &Config::default(), Some("0.1.0")),
            None
        );
    }

    #[test]
    fn a_changed_document_prints_counts_and_the_bump() {
        let old = spec();
        let new = old.replacen("\"version\": \"2026-10\"", "\"version\": \"2026-11\"", 1);
        assert_ne!(old, new);
        let summary =
            change_summary(&old, &new, xtask::SPEC, &Config::default(), Some("0.1.0")).unwrap();
        assert!(
            summary.contains("2026-10 → 2026-11: 0 breaking, 0 may break, 1 compatible"),
            "{summary}"
        );
        assert!(
            summary.contains("patch release: 0.1.0 → 0.1.1"),
            "{summary}"
        );
    }

    #[test]
    fn without_git_history_there_is_no_committed_document() {
        let dir = std::env::temp_dir().join(format!("api-diff-no-git-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(committed(&dir, xtask::SPEC), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_sdk_version_is_read_from_its_manifest() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let version = sdk_version(&root).unwrap();
        assert_eq!(version.split('.').count(), 3, "{version}");
    }
}
