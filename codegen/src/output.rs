//! Stage 6: files on disk. Writes only after everything was generated, and checks committed
//! files for drift (stale, missing or extra).

use std::path::{Path, PathBuf};

use crate::emit::{FEATURES_BEGIN, FEATURES_END, MANIFEST};
use crate::error::Error;
use crate::format::{is_generated, GeneratedFile};

/// How a file on disk differs from what the generator produces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Drift {
    /// Exists but has other contents.
    Stale(PathBuf),
    /// Should exist but does not.
    Missing(PathBuf),
    /// A generated file (it has the header) that the generator no longer produces.
    Extra(PathBuf),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Stale(path) => write!(f, "stale:   {}", path.display()),
            Drift::Missing(path) => write!(f, "missing: {}", path.display()),
            Drift::Extra(path) => write!(f, "extra:   {}", path.display()),
        }
    }
}

/// What `file` should make of `existing` (the file on disk): its contents, or for the crate
/// manifest the hand-written text with the generated block between the markers replaced;
/// `None` when the manifest lacks its markers.
fn expected(file: &GeneratedFile, existing: &str) -> Option<String> {
    if file.name != MANIFEST {
        return Some(file.contents.clone());
    }
    let begin = existing.find(FEATURES_BEGIN)?;
    let start = begin + existing[begin..].find('\n')? + 1;
    let end = start + existing[start..].find(FEATURES_END)?;
    Some(format!(
        "{}{}{}",
        &existing[..start],
        file.contents,
        &existing[end..]
    ))
}

/// Compares `files` with the contents of `dir`.
pub fn check(dir: &Path, files: &[GeneratedFile]) -> Vec<Drift> {
    let mut drift = Vec::new();
    for file in files {
        let path = dir.join(&file.name);
        match std::fs::read_to_string(&path) {
            Ok(existing) if expected(file, &existing).as_ref() == Some(&existing) => {}
            Ok(_) => drift.push(Drift::Stale(path)),
            // An output folder without a manifest is not a crate: no features to write.
            Err(_) if file.name == MANIFEST => {}
            Err(_) => drift.push(Drift::Missing(path)),
        }
    }
    // Extra files: generated ones (by header) in every folder the generator writes to.
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| dir.join(&f.name).parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in folders {
        for path in generated_files_in(&folder) {
            let name = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if !files.iter().any(|f| f.name == name) {
                drift.push(Drift::Extra(path));
            }
        }
    }
    drift.sort();
    drift
}

/// Writes `files` into `dir` (changed files only) and removes generated files no longer
/// produced. Returns the paths that changed.
pub fn write(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, Error> {
    let mut changed = Vec::new();
    for drift in check(dir, files) {
        match drift {
            Drift::Stale(path) | Drift::Missing(path) => {
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                let Some(file) = files.iter().find(|f| f.name == name) else {
                    continue;
                };
                let existing = std::fs::read_to_string(&path).unwrap_or_default();
                let Some(contents) = expected(file, &existing) else {
                    return Err(Error::Config(format!(
                        "{} has no generated block: add the lines `{FEATURES_BEGIN}` and \
                         `{FEATURES_END}` to its [features] table",
                        path.display()
                    )));
                };
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                        path: parent.to_owned(),
                        source,
                    })?;
                }
                // Write to a sibling then rename, so an interrupted run never leaves half a file.
                let mut temporary = path.clone().into_os_string();
                temporary.push(".tmp");
                let temporary = PathBuf::from(temporary);
                std::fs::write(&temporary, &contents)
                    .and_then(|()| std::fs::rename(&temporary, &path))
                    .map_err(|source| Error::Write {
                        path: path.clone(),
                        source,
                    })?;
                changed.push(path);
            }
            Drift::Extra(path) => {
                std::fs::remove_file(&path).map_err(|source| Error::Write {
                    path: path.clone(),
                    source,
                })?;
                changed.push(path);
            }
        }
    }
    Ok(changed)
}

/// How many lines of each side [`first_difference`] shows, and how long each may be.
const EXCERPT_LINES: usize = 3;
const EXCERPT_WIDTH: usize = 160;

/// A short, bounded excerpt of where `found` (on disk) first differs from `expected` (what
/// the generator writes): the line number, then up to three lines of each side, `-` for the
/// file and `+` for the generator, each cut to 160 characters. `None` when they are equal.
pub fn first_difference(found: &str, expected: &str) -> Option<String> {
    if found == expected {
        return None;
    }
    let index = found
        .lines()
        .zip(expected.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| found.lines().count().min(expected.lines().count()));
    let mut out = format!("first difference at line {}:\n", index + 1);
    for (sign, text) in [('-', found), ('+', expected)] {
        let mut lines = text.lines().skip(index).take(EXCERPT_LINES).peekable();
        if lines.peek().is_none() {
            out.push_str(&format!("{sign} (end of file)\n"));
        }
        for line in lines {
            let cut: String = line.chars().take(EXCERPT_WIDTH).collect();
            let more = if cut.len() < line.len() { " …" } else { "" };
            out.push_str(&format!("{sign} {cut}{more}\n"));
        }
    }
    Some(out)
}

/// Files directly in `dir` whose first line is a generated header.
fn generated_files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs" || e == "md"))
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|text| is_generated(&text)))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::HEADER;

    fn file(name: &str, body: &str) -> GeneratedFile {
        GeneratedFile {
            name: name.into(),
            contents: format!("{HEADER}{body}"),
        }
    }

    #[test]
    fn first_difference_is_a_short_bounded_excerpt() {
        assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
        let found = "same\nedited line\nx\ny\nz\nw\n";
        let expected = "same\ngenerated line\nx\ny\nz\nw\n";
        let excerpt = first_difference(found, expected).unwrap();
        assert_eq!(
            excerpt,
            "first difference at line 2:\n- edited line\n- x\n- y\n+ generated line\n+ x\n+ y\n"
        );
        let long = "x".repeat(100_000);
        let excerpt = first_difference(&long, "y").unwrap();
        assert!(excerpt.len() < 400, "{}", excerpt.len());
        assert_eq!(
            first_difference("a\n", "a\nb\n").unwrap(),
            "first difference at line 2:\n- (end of file)\n+ b\n"
        );
    }

    #[test]
    fn the_manifest_block_is_spliced_between_its_markers() {
        let dir = std::env::temp_dir().join(format!("codegen-manifest-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let hand = format!(
            "[package]\nname = \"x\"\n\n[features]\ndefault = [\"all-resources\"]\n{FEATURES_BEGIN}\nold = []\n{FEATURES_END}\n# kept\n"
        );
        std::fs::write(dir.join(MANIFEST), &hand).unwrap();
        let block = GeneratedFile {
            name: MANIFEST.into(),
            contents: "all-resources = [\"a\"]\na = []\n".into(),
        };
        assert_eq!(
            check(&dir, std::slice::from_ref(&block)),
            [Drift::Stale(dir.join(MANIFEST))]
        );
        write(&dir, std::slice::from_ref(&block)).unwrap();
        assert!(check(&dir, std::slice::from_ref(&block)).is_empty());
        let written = std::fs::read_to_string(dir.join(MANIFEST)).unwrap();
        assert_eq!(
            written,
            hand.replace("old = []\n", "all-resources = [\"a\"]\na = []\n")
        );
        // A folder without a manifest gets none.
        std::fs::remove_file(dir.join(MANIFEST)).unwrap();
        assert!(check(&dir, std::slice::from_ref(&block)).is_empty());
        write(&dir, std::slice::from_ref(&block)).unwrap();
        assert!(!dir.join(MANIFEST).exists());
        // Without its markers the manifest is not touched: the run fails, naming them.
        std::fs::write(dir.join(MANIFEST), "[package]\n").unwrap();
        assert_eq!(
            check(&dir, std::slice::from_ref(&block)),
            [Drift::Stale(dir.join(MANIFEST))]
        );
        let error = write(&dir, std::slice::from_ref(&block))
            .unwrap_err()
            .to_string();
        assert!(error.contains("@generated features begin"), "{error}");
        assert_eq!(
            std::fs::read_to_string(dir.join(MANIFEST)).unwrap(),
            "[package]\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn check_reports_stale_missing_and_extra() {
        let dir = std::env::temp_dir().join(format!("codegen-output-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.rs"), format!("{HEADER}old")).unwrap();
        std::fs::write(dir.join("gone.rs"), format!("{HEADER}x")).unwrap();
        std::fs::write(dir.join("hand_written.rs"), "fn main() {}").unwrap();
        let files = [file("a.rs", "new"), file("b.rs", "b")];
        let drift = check(&dir, &files);
        assert_eq!(
            drift,
            [
                Drift::Stale(dir.join("a.rs")),
                Drift::Missing(dir.join("b.rs")),
                Drift::Extra(dir.join("gone.rs")),
            ]
        );
        let changed = write(&dir, &files).unwrap();
        assert_eq!(changed.len(), 3);
        assert!(check(&dir, &files).is_empty());
        assert!(dir.join("hand_written.rs").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
