//! Reports as text: Markdown for people, JSON for tools. Both keep the report's sorted
//! order, so the same two documents always give the same bytes.

use std::fmt::Write as _;

use super::rust::Bump;
use super::{Class, Report};

/// How many operations a schema heading lists before "and N more".
const USERS_SHOWN: usize = 8;

/// The report as pretty-printed JSON (the [`Report`] structure, field for field).
pub fn json(report: &Report) -> String {
    // Serializing plain structs, strings and maps cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_default()
}

/// The summary line(s): counts per class and the bump polar-sdk needs.
pub fn summary(report: &Report, current_version: Option<&str>) -> String {
    let s = &report.summary;
    let mut out = format!(
        "API changes {} → {}: {} breaking, {} may break, {} compatible",
        report.old.version.as_deref().unwrap_or("?"),
        report.new.version.as_deref().unwrap_or("?"),
        s.breaking,
        s.may_break,
        s.compatible
    );
    if let Some(rust) = &report.rust {
        let breaking = rust
            .changes
            .iter()
            .filter(|c| c.class == Class::Breaking)
            .count();
        let bump = match rust.bump {
            Bump::None => "no release needed".to_owned(),
            Bump::Patch => "patch release".to_owned(),
            Bump::Minor => "minor release (breaking)".to_owned(),
        };
        let next = current_version
            .and_then(|current| Some((current, rust.bump.next(current)?)))
            .filter(|_| rust.bump != Bump::None)
            .map(|(current, next)| format!(": {current} → {next}"))
            .unwrap_or_default();
        let _ = write!(
            out,
            "\npolar-sdk: {} item(s) change, {breaking} breaking: {bump}{next}",
            rust.changes.len()
        );
        if let Some(error) = &rust.error {
            let _ = write!(out, "\n(Rust impact not computed: {})", bounded(error, 300));
        }
    }
    out
}

fn bounded(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(limit).collect();
        format!("{cut}...")
    }
}

/// The report as Markdown: summary first, then the changes by class (breaking first), each
/// class grouped by operation, webhook and schema, then the Rust items.
pub fn markdown(report: &Report, current_version: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# API changes\n");
    let _ = writeln!(
        out,
        "- old: `{}` (version {})",
        report.old.path,
        report.old.version.as_deref().unwrap_or("?")
    );
    let _ = writeln!(
        out,
        "- new: `{}` (version {})\n",
        report.new.path,
        report.new.version.as_deref().unwrap_or("?")
    );
    let s = &report.summary;
    let _ = writeln!(out, "| class | changes |\n|---|---|");
    let _ = writeln!(out, "| breaking | {} |", s.breaking);
    let _ = writeln!(out, "| may break | {} |", s.may_break);
    let _ = writeln!(out, "| compatible | {} |\n", s.compatible);
    for line in summary(report, current_version).lines().skip(1) {
        let _ = writeln!(out, "{line}\n");
    }
    if report.is_empty() {
        let _ = writeln!(out, "No changes.");
        return out;
    }
    for class in [Class::Breaking, Class::MayBreak, Class::Compatible] {
        let changes: Vec<_> = report.changes.iter().filter(|c| c.class == class).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {} ({})", capitalized(class.label()), changes.len());
        let mut group = None;
        for change in changes {
            if group != Some(&change.group) {
                group = Some(&change.group);
                let _ = write!(out, "\n### {}", change.group.title());
                if let super::Group::Schema { name } = &change.group {
                    let users = report.reached_by.get(name).map_or(&[][..], Vec::as_slice);
                    if users.is_empty() {
                        let _ = write!(out, " (reached by no operation)");
                    } else {
                        let shown: Vec<String> = users
                            .iter()
                            .take(USERS_SHOWN)
                            .map(|u| format!("`{u}`"))
                            .collect();
                        let more = users.len().saturating_sub(USERS_SHOWN);
                        let _ = write!(out, " (reached by {}", shown.join(", "));
                        if more > 0 {
                            let _ = write!(out, " and {more} more");
                        }
                        let _ = write!(out, ")");
                    }
                }
                let _ = writeln!(out, "\n");
            }
            let old = if change.document == super::Side::Old {
                " of the old document"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "- {} ({} at `{}`{old})",
                change.message, change.rule, change.pointer
            );
        }
        let _ = writeln!(out);
    }
    if let Some(rust) = &report.rust {
        if !rust.changes.is_empty() {
            let _ = writeln!(
                out,
                "## polar-sdk items ({}; resources: {})\n",
                rust.changes.len(),
                rust.resources.join(", ")
            );
            let _ = writeln!(out, "| class | item | change | rule |\n|---|---|---|---|");
            for change in &rust.changes {
                let _ = writeln!(
                    out,
                    "| {} | `{}` | {} | {} |",
                    change.class.label(),
                    change.item,
                    change.message.replace('|', "\\|"),
                    change.rule
                );
            }
        }
    }
    out
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
