//! The small command-line parser every xtask command shares, and where the repository is.

use std::path::{Path, PathBuf};

/// Why a command did not succeed; decides the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The command line was wrong (exit 2); the text ends with the command's usage.
    Usage(String),
    /// The command ran and failed (exit 1).
    Failed(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Failed(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Failure::Failed(message.to_owned())
    }
}

/// What a command was given: `--switch`es and `--option VALUE` (or `--option=VALUE`) pairs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Args {
    switches: Vec<&'static str>,
    values: Vec<(&'static str, String)>,
    /// Arguments that are not flags, in order (only with [`Args::parse_with_operands`]).
    operands: Vec<String>,
}

impl Args {
    /// Reads `args` against the switches and options a command knows. Aliases are written
    /// `"--diagnostics|-v"`: the first spelling is the name the command asks for. Anything
    /// else is a usage error that quotes `usage`.
    pub fn parse(
        args: &[String],
        switches: &[&'static str],
        options: &[&'static str],
        usage: &str,
    ) -> Result<Args, Failure> {
        Self::parse_inner(args, switches, options, usage, 0)
    }

    /// [`parse`](Self::parse) for a command that also takes exactly `count` operands (file
    /// names, say): arguments that do not start with `-`, read with [`operands`](Self::operands).
    /// Another count is a usage error.
    pub fn parse_with_operands(
        args: &[String],
        switches: &[&'static str],
        options: &[&'static str],
        usage: &str,
        count: usize,
    ) -> Result<Args, Failure> {
        Self::parse_inner(args, switches, options, usage, count)
    }

    fn parse_inner(
        args: &[String],
        switches: &[&'static str],
        options: &[&'static str],
        usage: &str,
        operands: usize,
    ) -> Result<Args, Failure> {
        let canonical = |known: &[&'static str], arg: &str| {
            known
                .iter()
                .find(|spellings| spellings.split('|').any(|s| s == arg))
                .map(|spellings| spellings.split('|').next().unwrap_or(spellings))
        };
        let usage_error = |what: String| Failure::Usage(format!("{what}\n{}", usage.trim_end()));
        let mut parsed = Args::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
                _ => (arg.as_str(), None),
            };
            if let Some(switch) = canonical(switches, name) {
                if inline.is_some() {
                    return Err(usage_error(format!("`{switch}` takes no value")));
                }
                parsed.switches.push(switch);
            } else if let Some(option) = canonical(options, name) {
                let value = match inline {
                    Some(value) => value,
                    None => iter
                        .next()
                        .cloned()
                        .ok_or_else(|| usage_error(format!("`{option}` needs a value")))?,
                };
                parsed.values.retain(|(name, _)| *name != option);
                parsed.values.push((option, value));
            } else if operands > 0 && !arg.starts_with('-') {
                parsed.operands.push(arg.clone());
            } else {
                return Err(usage_error(format!("unknown argument `{arg}`")));
            }
        }
        if parsed.operands.len() != operands {
            return Err(usage_error(format!(
                "expected {operands} operand(s), got {}",
                parsed.operands.len()
            )));
        }
        Ok(parsed)
    }

    /// The operands, in the order given.
    pub fn operands(&self) -> &[String] {
        &self.operands
    }

    /// Whether the switch was given.
    pub fn switch(&self, name: &str) -> bool {
        self.switches.contains(&name)
    }

    /// The option's value, if given (the last one wins).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(option, _)| *option == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Whether the arguments ask for help.
pub fn wants_help(args: &[String]) -> bool {
    args.iter().any(|arg| arg == "--help" || arg == "-h")
}

/// The repository to act on: the one `cargo xtask` was run in. Cargo sets
/// `CARGO_MANIFEST_DIR` (this crate's folder) when it runs the binary; without it, the
/// nearest folder above the current one whose `Cargo.toml` declares a `[workspace]`.
pub fn workspace_root() -> Result<PathBuf, String> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    find_root(manifest_dir.as_deref(), &cwd).ok_or_else(|| {
        format!(
            "cannot find the repository: no Cargo.toml with a [workspace] in {} or above it \
             (run `cargo xtask` inside the checkout)",
            cwd.display()
        )
    })
}

/// [`workspace_root`] for given starting points.
pub fn find_root(manifest_dir: Option<&Path>, cwd: &Path) -> Option<PathBuf> {
    let from_manifest = manifest_dir
        .and_then(Path::parent)
        .filter(|dir| is_workspace(dir));
    from_manifest.map(Path::to_path_buf).or_else(|| {
        cwd.ancestors()
            .find(|dir| is_workspace(dir))
            .map(Path::to_path_buf)
    })
}

fn is_workspace(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
}

/// The workspace's target directory: `CARGO_TARGET_DIR` when set (relative to the current
/// folder, as cargo reads it), else `<root>/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => std::env::current_dir()
            .map(|cwd| cwd.join(&dir))
            .unwrap_or_else(|_| PathBuf::from(dir)),
        None => root.join("target"),
    }
}

/// Where `cargo xtask compile-check` builds: a target directory of its own inside the
/// workspace's. Sharing the workspace's would give its scratch crates polar-sdk's unit names,
/// and a later `cargo clippy -p polar-sdk` could then report "Fresh" for sources that no
/// longer compile.
pub fn compile_check_target(root: &Path) -> PathBuf {
    target_dir(root).join("compile-check")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn switches_options_and_aliases() {
        let args = Args::parse(
            &strings(&["-v", "--spec", "a.json", "--out=dir", "--check"]),
            &["--check", "--diagnostics|-v"],
            &["--spec", "--out"],
            "usage: x",
        )
        .unwrap();
        assert!(args.switch("--check") && args.switch("--diagnostics"));
        assert_eq!(args.value("--spec"), Some("a.json"));
        assert_eq!(args.value("--out"), Some("dir"));
        assert_eq!(args.value("--config"), None);
    }

    #[test]
    fn operands_are_counted() {
        let parse = |args: &[&str]| {
            Args::parse_with_operands(&strings(args), &["--check"], &["--format"], "usage: x", 2)
        };
        let args = parse(&["a.json", "--format=json", "b.json", "--check"]).unwrap();
        assert_eq!(args.operands(), ["a.json", "b.json"]);
        assert_eq!(args.value("--format"), Some("json"));
        for bad in [&["a.json"][..], &["a", "b", "c"], &["a", "-x", "b"]] {
            assert!(matches!(parse(bad), Err(Failure::Usage(_))), "{bad:?}");
        }
    }

    #[test]
    fn unknown_and_incomplete_arguments_are_usage_errors() {
        let parse =
            |args: &[&str]| Args::parse(&strings(args), &["--check"], &["--spec"], "usage: x");
        for bad in [&["--bogus"][..], &["--spec"], &["--check=1"], &["file"]] {
            match parse(bad) {
                Err(Failure::Usage(text)) => assert!(text.ends_with("usage: x"), "{text}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn compile_check_builds_apart_from_the_workspace() {
        let root = Path::new("/checkout");
        let workspace = target_dir(root);
        let own = compile_check_target(root);
        assert_ne!(own, workspace);
        assert!(own.starts_with(&workspace), "{}", own.display());
    }

    #[test]
    fn root_from_the_manifest_dir_or_the_nearest_workspace_above() {
        let base = std::env::temp_dir().join(format!("xtask-root-{}", std::process::id()));
        let checkout = base.join("checkout");
        std::fs::create_dir_all(checkout.join("xtask")).unwrap();
        std::fs::create_dir_all(checkout.join("polar-sdk/src")).unwrap();
        std::fs::write(checkout.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        std::fs::write(checkout.join("polar-sdk/Cargo.toml"), "[package]\n").unwrap();
        let nested = checkout.join("polar-sdk/src");
        assert_eq!(find_root(None, &nested), Some(checkout.clone()));
        assert_eq!(
            find_root(Some(&checkout.join("xtask")), &base),
            Some(checkout.clone())
        );
        // A manifest dir that is not in a workspace does not win over the current folder.
        assert_eq!(
            find_root(Some(&base.join("elsewhere/xtask")), &nested),
            Some(checkout)
        );
        assert_eq!(find_root(None, &base), None);
        std::fs::remove_dir_all(&base).unwrap();
    }
}
