//! API change report: what changed between two OpenAPI documents, and what it means.
//!
//! One module per concern:
//!
//! * [`collect`]: walks both loaded documents (JSON, after `$ref`s to parameters, bodies and
//!   responses are resolved) and lists every change with its JSON pointer. Component schemas
//!   are compared once each, and the report lists which operations reach them.
//! * [`classify`]: the rule table; decides breaking / may break / compatible per change, from
//!   a client's side (is the schema sent, received, or both?).
//! * [`rust`]: which public items of the generated polar-sdk change, from the IR of both
//!   documents, and the semver bump that follows.
//! * [`render`]: Markdown for people, JSON for tools; sorted, so output is deterministic.

pub mod classify;
pub mod collect;
pub mod render;
pub mod rust;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::config::Config;
use crate::load::Document;

pub use classify::{Rule, RULES};

/// How much a change matters to a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Existing clients stop working (or stop compiling).
    Breaking,
    /// Some clients break, depending on how they use the API.
    MayBreak,
    /// Existing clients keep working.
    Compatible,
}

impl Class {
    /// The words used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::MayBreak => "may break",
            Class::Compatible => "compatible",
        }
    }
}

/// Which part of the API a change belongs to; reports group changes by it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Group {
    /// Document-wide facts (`info.version`, global security).
    Document,
    /// An HTTP operation.
    Operation {
        /// Path template as written (the new document's, unless the operation was removed).
        path: String,
        /// HTTP method, upper case.
        method: String,
        /// `operationId`, when the document gives one.
        #[serde(skip_serializing_if = "Option::is_none")]
        operation_id: Option<String>,
    },
    /// An entry of the `webhooks` section (payloads the API sends to the client).
    Webhook {
        /// Webhook name (`checkout.created`).
        name: String,
        /// HTTP method, upper case.
        method: String,
    },
    /// A component schema.
    Schema {
        /// Name under `components/schemas`.
        name: String,
    },
    /// A component security scheme.
    SecurityScheme {
        /// Name under `components/securitySchemes`.
        name: String,
    },
}

impl Group {
    /// A one-line heading for Markdown.
    pub fn title(&self) -> String {
        match self {
            Group::Document => "Document".to_owned(),
            Group::Operation {
                path,
                method,
                operation_id,
            } => match operation_id {
                Some(id) => format!("Operation `{method} {path}` (`{id}`)"),
                None => format!("Operation `{method} {path}`"),
            },
            Group::Webhook { name, method } => format!("Webhook `{name}` ({method})"),
            Group::Schema { name } => format!("Schema `{name}`"),
            Group::SecurityScheme { name } => format!("Security scheme `{name}`"),
        }
    }
}

/// Which document a change's pointer points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The old document: the thing was removed.
    Old,
    /// The new document.
    New,
}

/// One change between the documents.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Change {
    /// How much it matters.
    pub class: Class,
    /// Where it is.
    pub group: Group,
    /// JSON pointer of the changed node (into the document named by `document`).
    pub pointer: String,
    /// Id of the rule in [`RULES`] that decided the class.
    pub rule: &'static str,
    /// What changed, in a sentence.
    pub message: String,
    /// Which document `pointer` points into.
    pub document: Side,
}

/// One document's identity in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentInfo {
    /// File the document was read from.
    pub path: String,
    /// Its `info.version`.
    pub version: Option<String>,
}

/// Counts per class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Breaking changes.
    pub breaking: usize,
    /// Changes that may break.
    pub may_break: usize,
    /// Compatible changes.
    pub compatible: usize,
}

impl Summary {
    fn count<'a>(classes: impl Iterator<Item = &'a Class>) -> Self {
        let mut summary = Summary::default();
        for class in classes {
            match class {
                Class::Breaking => summary.breaking += 1,
                Class::MayBreak => summary.may_break += 1,
                Class::Compatible => summary.compatible += 1,
            }
        }
        summary
    }

    /// Total number of changes.
    pub fn total(&self) -> usize {
        self.breaking + self.may_break + self.compatible
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The old document.
    pub old: DocumentInfo,
    /// The new document.
    pub new: DocumentInfo,
    /// Counts of [`Report::changes`] per class.
    pub summary: Summary,
    /// Every change, sorted: breaking first, then by group and pointer.
    pub changes: Vec<Change>,
    /// For each changed component schema: the operations and webhooks that reach it (in
    /// either document), sorted.
    pub reached_by: BTreeMap<String, Vec<String>>,
    /// What the change means for polar-sdk's public Rust API (absent when not computed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust: Option<rust::RustImpact>,
}

impl Report {
    /// True when the documents describe the same API (as far as the report looks).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.rust.as_ref().map_or(true, |r| r.changes.is_empty())
    }
}

/// Compares two loaded documents (wire level only; see [`diff_with_rust`]).
pub fn diff(old: &Document, new: &Document) -> Report {
    let raw = collect::collect(&old.root, &new.root);
    let old_usage = collect::usage(&old.root);
    let new_usage = collect::usage(&new.root);

    let mut reached_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut changes = Vec::with_capacity(raw.len());
    for change in raw {
        let mut directions = BTreeSet::new();
        match &change.context {
            collect::Context::Fixed(direction) => {
                directions.insert(Some(*direction));
            }
            collect::Context::Free => {
                directions.insert(None);
            }
            collect::Context::Schema(name) => {
                let mut users = BTreeSet::new();
                for usage in [&old_usage, &new_usage] {
                    if let Some(schema_usage) = usage.get(name) {
                        directions.extend(schema_usage.directions.iter().copied().map(Some));
                        users.extend(schema_usage.users.iter().cloned());
                    }
                }
                if directions.is_empty() {
                    // Reached by nothing: judge it both ways, the stricter wins.
                    directions.insert(Some(collect::Direction::Request));
                    directions.insert(Some(collect::Direction::Response));
                }
                reached_by
                    .entry(name.clone())
                    .or_insert_with(|| users.into_iter().collect());
            }
        }
        let rule = directions
            .into_iter()
            .map(|direction| classify::rule_for(change.fact, direction))
            .min_by_key(|rule| (rule.class, rule.id))
            .unwrap_or_else(|| classify::rule_for(change.fact, None));
        changes.push(Change {
            class: rule.class,
            group: change.group,
            pointer: change.pointer,
            rule: rule.id,
            message: change.message,
            document: change.side,
        });
    }
    changes.sort();
    changes.dedup();
    Report {
        old: info(old),
        new: info(new),
        summary: Summary::count(changes.iter().map(|c| &c.class)),
        changes,
        reached_by,
        rust: None,
    }
}

/// Compares two documents and adds what the change means for the Rust API generated for
/// `config`'s resources.
pub fn diff_with_rust(old: &Document, new: &Document, config: &Config) -> Report {
    let mut report = diff(old, new);
    report.rust = Some(rust::impact(old, new, config, report.summary.total()));
    report
}

fn info(document: &Document) -> DocumentInfo {
    DocumentInfo {
        path: document.path.display().to_string(),
        version: document
            .root
            .pointer("/info/version")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
    }
}
