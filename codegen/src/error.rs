//! Errors and diagnostics of the generator.
//!
//! A spec problem always names the file and the JSON pointer of the offending node, so a
//! maintainer can jump straight to it after Polar publishes a new document.

use std::fmt;
use std::path::PathBuf;

/// Why generation failed. Nothing is written when any of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec file could not be read.
    #[error("{path}: cannot read the file: {source}")]
    Read {
        /// The file that could not be read.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The spec file is not well-formed JSON or YAML.
    #[error("{path}:{line}:{column}: not valid {format}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// `JSON` or `YAML`.
        format: &'static str,
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// 1-based column of the problem (0 when unknown).
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The document is well-formed but not a usable OpenAPI document.
    #[error("{path}#{pointer}: {message}")]
    Spec {
        /// The file.
        path: PathBuf,
        /// JSON pointer (RFC 6901) of the node at fault, e.g. `/paths/~1v1~1meters/get`.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// Constructs the generator cannot (yet) turn into Rust were reached by a selected resource.
    #[error("{path}: {} unsupported construct(s) in the selected resources:\n{}", diagnostics.len(), DiagnosticList(diagnostics))]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// One entry per construct.
        diagnostics: Vec<Diagnostic>,
    },
    /// The configuration names something the document does not have.
    #[error("configuration: {0}")]
    Config(String),
    /// The emitted Rust did not parse (a generator bug, reported rather than panicking).
    #[error("generated file {file} is not valid Rust ({message}); this is a generator bug")]
    InvalidRust {
        /// Output file name.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// Writing the generated files failed.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// A construct that was lowered with a loss or skipped, located by JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// JSON pointer (RFC 6901) into the document.
    pub pointer: String,
    /// What was not supported and what the generator did instead.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}: {}", self.pointer, self.message)
    }
}

struct DiagnosticList<'a>(&'a [Diagnostic]);

impl fmt::Display for DiagnosticList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "  {diagnostic}")?;
        }
        Ok(())
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds a JSON pointer from reference tokens.
pub fn pointer<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for token in tokens {
        out.push('/');
        out.push_str(&escape_pointer_token(token.as_ref()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slash_and_tilde() {
        assert_eq!(
            pointer(["paths", "/v1/a~b/", "get"]),
            "/paths/~1v1~1a~0b~1/get"
        );
    }

    #[test]
    fn unsupported_lists_every_diagnostic() {
        let error = Error::Unsupported {
            path: "spec.json".into(),
            diagnostics: vec![
                Diagnostic {
                    pointer: "/a".into(),
                    message: "one".into(),
                },
                Diagnostic {
                    pointer: "/b".into(),
                    message: "two".into(),
                },
            ],
        };
        let text = error.to_string();
        assert!(text.contains("#/a: one"), "{text}");
        assert!(text.contains("#/b: two"), "{text}");
    }
}
