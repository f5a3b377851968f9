//! `cargo xtask feature-check`: each resource feature of polar-sdk builds on its own.
//!
//! A resource module, the model module only it uses and each shared type only some resources
//! use are compiled under `cfg(feature = …)` (see the README's design notes); a type a
//! resource needs that is missing from its features' union shows up only when that resource
//! is built alone. `cargo check` (no code generation) in the workspace's target directory, so
//! the dependencies are the ones every other step already built.

use std::path::Path;
use std::process::{Command, ExitCode};

use codegen::emit::{FEATURES_BEGIN, FEATURES_END};
use xtask::cli::{Args, Failure};

/// `cargo xtask feature-check --help`.
pub const HELP: &str = "\
usage: cargo xtask feature-check

Runs `cargo check -p polar-sdk --lib --no-default-features --features <resource>,rustls` for
every resource feature of polar-sdk/Cargo.toml (its generated block), then once with no
resource at all and once with the first resource and native-tls instead of rustls. Fails
naming the first feature set that does not build.

  -h, --help   print this help
";

/// Runs the check.
pub fn command(root: &Path, args: &[String]) -> Result<ExitCode, Failure> {
    Args::parse(args, &[], &[], HELP)?;
    let manifest_path = root.join(xtask::OUT).join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let resources = resource_features(&manifest).ok_or_else(|| {
        format!(
            "{} has no generated features block (run `cargo xtask codegen`)",
            manifest_path.display()
        )
    })?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut sets: Vec<String> = resources.iter().map(|r| format!("{r},rustls")).collect();
    sets.push("rustls".to_owned());
    // The other TLS backend (OpenSSL's headers and pkg-config, as the README lists).
    if let Some(first) = resources.first() {
        sets.push(format!("{first},native-tls"));
    }
    for features in &sets {
        let args = [
            "check",
            "-p",
            "polar-sdk",
            "--lib",
            "--no-default-features",
            "--features",
            features.as_str(),
        ];
        println!("$ cargo {}", args.join(" "));
        let status = Command::new(&cargo)
            .args(args)
            .current_dir(root)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            eprintln!("polar-sdk does not build with only the features {features}");
            return Ok(ExitCode::FAILURE);
        }
    }
    println!(
        "polar-sdk builds with each of its {} resource features alone, and with none",
        resources.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The resource features the generated block of the manifest declares (every feature in it
/// but `all-resources`), in order; `None` without the block.
pub fn resource_features(manifest: &str) -> Option<Vec<String>> {
    let begin = manifest.find(FEATURES_BEGIN)?;
    let block = &manifest[begin..];
    let end = block.find(FEATURES_END)?;
    Some(
        block[..end]
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once('=').map(|(name, _)| name.trim()))
            .filter(|name| !name.is_empty() && *name != "all-resources")
            .map(str::to_owned)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_features_come_from_the_generated_block_only() {
        let manifest = format!(
            "[features]\ndefault = [\"rustls\", \"all-resources\"]\nrustls = []\n{FEATURES_BEGIN}\nall-resources = [\"a\", \"b_c\"]\na = []\nb_c = []\n{FEATURES_END}\nafter = []\n"
        );
        assert_eq!(
            resource_features(&manifest).unwrap(),
            ["a".to_owned(), "b_c".to_owned()]
        );
        assert_eq!(resource_features("[features]\nrustls = []\n"), None);
    }
}
