//! The polar-sdk code generator: OpenAPI 3.1 document → Rust source.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`load`]: JSON or YAML → `serde_json::Value`; [`overlay`] merges our words over the
//!    structure-only document that [`import`] made of Polar's.
//! 2. [`normalize`]: 3.1 constructs → the 3.0 shape the `openapiv3` crate models.
//! 3. [`ir`]: the model → Rust-ready types and operations (naming, unions, recursion).
//! 4. [`emit`]: the configured resources → token streams (`quote`).
//! 5. [`format`](mod@format): token streams → source text (`prettyplease`) with the `@generated` header.
//! 6. [`output`]: write the files, or check committed ones for drift.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod config;
pub mod diff;
pub mod emit;
pub mod error;
pub mod format;
pub mod import;
pub mod ir;
pub mod load;
pub mod normalize;
pub mod output;
pub mod overlay;
pub mod parallel;

use std::path::Path;

pub use config::Config;
pub use error::{Diagnostic, Error};
pub use format::GeneratedFile;

/// Everything one run produced: the files and what was lowered with a loss elsewhere.
#[derive(Debug, Clone)]
pub struct Generation {
    /// Formatted files, sorted by name.
    pub files: Vec<GeneratedFile>,
    /// The whole API, lowered.
    pub api: ir::Api,
}

/// Runs the whole pipeline on a spec file. Nothing is written here; see [`output`].
pub fn generate(spec: &Path, config: &Config) -> Result<Generation, Error> {
    let document = load::load_file(spec)?;
    generate_document(&document, config)
}

/// Runs the whole pipeline on a structure-only document with an overlay of our words merged
/// over it first (see [`overlay`]). Diagnostics point into `spec`; overlay problems name the
/// overlay file and its action.
pub fn generate_with_overlay(
    spec: &Path,
    overlay: Option<&Path>,
    config: &Config,
) -> Result<Generation, Error> {
    // The document and the overlay files are read and parsed side by side.
    let (document, overlays) = std::thread::scope(|scope| {
        let overlays = scope.spawn(|| overlay.map(overlay::load).transpose());
        let document = load::load_file(spec);
        let overlays = overlays
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (document, overlays)
    });
    let mut document = document?;
    for overlay in overlays?.into_iter().flatten() {
        overlay::apply(&mut document, &overlay)?;
    }
    generate_document(&document, config)
}

/// Runs stages 2–5 on a loaded document.
pub fn generate_document(document: &load::Document, config: &Config) -> Result<Generation, Error> {
    let normalized = normalize::normalize(document)?;
    let api = ir::lower(document, &normalized)?;
    let selection = emit::select(&api, config)?;
    let unsupported = emit::selected_diagnostics(&api, &selection);
    if !unsupported.is_empty() {
        return Err(Error::Unsupported {
            path: document.path.clone(),
            diagnostics: unsupported,
        });
    }
    let files = emit::emit_formatted(&api, &selection, &document.path)?;
    Ok(Generation { files, api })
}
