//! What to generate: which resources, and which schemas the hand-written runtime relies on.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Error;

/// Generation settings, read from `openapi/codegen.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Resources (the `resource` of `resource:verb` operation ids) to generate.
    #[serde(default = "default_resources")]
    pub resources: Vec<String>,
    /// Component schemas the runtime names directly (its typed errors); always generated.
    #[serde(default = "default_runtime_types")]
    pub runtime_types: Vec<String>,
    /// Error schemas the runtime's `Error` has a variant of its own for, each with that
    /// variant's name. Every other documented error schema arrives as `Error::Documented`
    /// with a generated `ErrorBody`.
    #[serde(default = "default_runtime_errors")]
    pub runtime_errors: BTreeMap<String, String>,
}

fn default_runtime_errors() -> BTreeMap<String, String> {
    [
        ("ResourceNotFound", "ResourceNotFound"),
        ("HTTPValidationError", "HttpValidation"),
    ]
    .into_iter()
    .map(|(schema, variant)| (schema.to_owned(), variant.to_owned()))
    .collect()
}

fn default_resources() -> Vec<String> {
    vec!["customer_meters".to_owned()]
}

fn default_runtime_types() -> Vec<String> {
    vec![
        "ResourceNotFound".to_owned(),
        "HTTPValidationError".to_owned(),
    ]
}

impl Default for Config {
    fn default() -> Self {
        Self {
            resources: default_resources(),
            runtime_types: default_runtime_types(),
            runtime_errors: default_runtime_errors(),
        }
    }
}

impl Config {
    /// Reads a YAML config file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        serde_yaml_ng::from_str(&text)
            .map_err(|e| Error::Config(format!("{}: {e}", path.display())))
    }
}
