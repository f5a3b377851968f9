//! Paths shared by the `xtask` binary and its drift test.

/// The OpenAPI document polar-sdk is generated from, relative to the repository root.
pub const SPEC: &str = "openapi/polar-customer-meters.yaml";
/// The generator configuration, relative to the repository root.
pub const CONFIG: &str = "openapi/codegen.yaml";
/// The output root (the SDK crate): modules go to `src/generated/`, reference pages to `docs/`.
pub const OUT: &str = "polar-sdk";
