//! Paths and helpers shared by the `xtask` binary and its tests.

pub mod cli;

/// The OpenAPI document polar-sdk is generated from, relative to the repository root.
pub const SPEC: &str = "openapi/polar-api.json";
/// Our own words (descriptions, summaries, examples): a folder of overlay files, merged over
/// [`SPEC`] in file name order when generating.
pub const OVERLAY: &str = "openapi/overlay";
/// The generator configuration, relative to the repository root.
pub const CONFIG: &str = "openapi/codegen.yaml";
/// The output root (the SDK crate): modules go to `src/generated/`, reference pages to `docs/`.
pub const OUT: &str = "polar-sdk";
/// The exact Prism release `cargo xtask conformance` installs.
pub const PRISM_VERSION: &str = "5.14.2";
/// The oldest Node.js that release supports (its `engines` field in the npm registry); the
/// README and the error texts name this version.
pub const NODE_VERSION: &str = "18.20.1";

/// Generates from the committed document with our words merged over it: what
/// `cargo xtask codegen` writes and what its drift check compares against.
pub fn generate_committed(
    root: &std::path::Path,
    config: &codegen::Config,
) -> Result<codegen::Generation, codegen::Error> {
    codegen::generate_with_overlay(&root.join(SPEC), Some(&root.join(OVERLAY)), config)
}
