//! Rust names from spec names: types, fields, enum variants, union variants.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves; fields with these names become raw identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Words that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Names of the Rust prelude (2021, plus what 2024 adds). Generated code names these types,
/// traits and variants unqualified (`Option`, `Some`, `String`, `Vec`, `Box`, `Result`, …), and
/// users glob-import `models::*`: a generated type must never shadow one.
const PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Module names a resource cannot take: the generated modules beside it and the crate root's
/// own modules (the root re-exports every generated module). The accessor method may still
/// use the name (see [`accessor_name`]).
const CRATE_ROOT_MODULES: &[&str] = &[
    "filters",
    "models",
    "errors",
    "body",
    "webhooks",
    "webhook_events",
    "uuid",
    "chrono",
    "client",
    "error",
    "generated",
    "pagination",
    "retry",
    "runtime",
];

/// The methods the runtime's `Polar` client already has: each resource adds an accessor
/// method of its name, so a resource cannot take these either.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "base_url",
    "send_json",
    "send_page",
    "send_empty",
    "send_maybe_ready",
    "send_bytes",
    "stream_pages",
    "execute",
    "attempt",
    "clone",
    "clone_from",
    "fmt",
];

/// A generated type name clear of the prelude: `Option` → `Option_` (as `Self` → `Self_`).
pub fn unreserved(name: String) -> String {
    if PRELUDE.contains(&name.as_str()) {
        name + "_"
    } else {
        name
    }
}

/// Keeps letters, digits and separators; everything else becomes a word break.
fn words(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A type or variant name: `ListResource_CustomerMeter_` → `ListResourceCustomerMeter`,
/// `HTTPValidationError` → `HttpValidationError`, `OrganizationID Filter` → `OrganizationIdFilter`.
pub fn type_name(text: &str) -> String {
    // A raw identifier (`r#use`) names the same thing as its bare word.
    let text = text.strip_prefix("r#").unwrap_or(text);
    let mut name = words(text).to_upper_camel_case();
    if name.is_empty() {
        name.push_str("Unnamed");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// The type name of several names together (`customer_portal`, `orders`, `list` →
/// `CustomerPortalOrdersList`): as one text, so the `_` that keeps a part clear of a keyword
/// (`self_`) or a raw-identifier prefix does not end up inside the name (`ZSelfGet`).
pub fn joined_type_name(parts: &[&str]) -> String {
    let parts: Vec<&str> = parts
        .iter()
        .map(|part| part.strip_prefix("r#").unwrap_or(part))
        .collect();
    type_name(&parts.join(" "))
}

/// Snake case that is a valid identifier start: never empty (`fallback`), never a leading digit.
fn snake_identifier(text: &str, fallback: &str) -> String {
    let mut name = words(text).to_snake_case();
    if name.is_empty() {
        name.push_str(fallback);
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// A field or method name; keywords become raw identifiers (`r#type`).
pub fn field_name(text: &str) -> String {
    let mut name = snake_identifier(text, "value");
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// A module (resource) name. It is also a file name, so keywords and reserved names get a
/// `_` suffix (`type` → `type_`, `models` → `models_`) rather than becoming raw identifiers.
pub fn module_name(text: &str) -> String {
    let mut name = snake_identifier(text, "default");
    if KEYWORDS.contains(&name.as_str())
        || NOT_RAW.contains(&name.as_str())
        || CRATE_ROOT_MODULES.contains(&name.as_str())
        || CLIENT_METHODS.contains(&name.as_str())
    {
        name.push('_');
    }
    name
}

/// An enum variant for a wire value. A leading `-` (descending sort) becomes a `Desc`
/// suffix so `-created_at` never collides with `created_at`.
pub fn enum_variant(wire: &str) -> String {
    match wire.strip_prefix('-') {
        Some(rest) if !rest.is_empty() => format!("{}Desc", type_name(rest)),
        _ if wire.is_empty() => "Empty".to_owned(),
        _ => type_name(wire),
    }
}

/// The client method that starts a resource: its module name, without the `_` the module
/// name got for clashing with a crate-root item (`webhooks_` → `webhooks`; a method does not
/// share the crate root's namespace). Keyword escapes stay (`type_`).
pub fn accessor_name(module: &str) -> String {
    match module.strip_suffix('_') {
        Some(bare) if CRATE_ROOT_MODULES.contains(&bare) => bare.to_owned(),
        _ => module.to_owned(),
    }
}

/// Names an input struct's methods cannot take for a field's setter: its constructor, and
/// the methods of traits every generated type has (an inherent method of the same name would
/// hide them: `body.clone()`) or that clippy expects to come from a trait (`add`, `next`).
const TAKEN_METHODS: &[&str] = &[
    "new",
    "default",
    "clone",
    "clone_from",
    "clone_into",
    "to_owned",
    "to_string",
    "eq",
    "ne",
    "fmt",
    "hash",
    "cmp",
    "partial_cmp",
    "serialize",
    "deserialize",
    "from",
    "try_from",
    "into",
    "try_into",
    "borrow",
    "borrow_mut",
    "type_id",
    "as_ref",
    "as_mut",
    "deref",
    "deref_mut",
    "drop",
    "index",
    "index_mut",
    "next",
    "into_iter",
    "from_iter",
    "from_str",
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "neg",
    "not",
    "shl",
    "shr",
    "bitand",
    "bitor",
    "bitxor",
];

/// What an input struct field needs besides the constructor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMethods {
    /// A setter (the field is optional).
    pub setter: bool,
    /// A method that sends `null` (the field is optional and nullable).
    pub clearer: bool,
}

/// The names of an input struct's setters and `clear_` methods, per field (`None` where the
/// field has none), given each field's Rust name. A setter is named after its field, or
/// `set_<field>` where that name is taken (`new`, `clone`, …); a clearer is `clear_<field>`.
/// Names that still collide (a field `clear_x` beside a nullable `x`) get `2`, `3`, … in
/// field order, setters before clearers.
pub fn input_methods(fields: &[(&str, FieldMethods)]) -> Vec<(Option<String>, Option<String>)> {
    let mut names: Vec<String> = Vec::new();
    let mut slots: Vec<(Option<usize>, Option<usize>)> = vec![(None, None); fields.len()];
    for (index, (name, methods)) in fields.iter().enumerate() {
        if methods.setter {
            let bare = name.trim_start_matches("r#");
            slots[index].0 = Some(names.len());
            names.push(if TAKEN_METHODS.contains(&bare) {
                format!("set_{bare}")
            } else {
                (*name).to_owned()
            });
        }
    }
    for (index, (name, methods)) in fields.iter().enumerate() {
        if methods.clearer {
            slots[index].1 = Some(names.len());
            names.push(format!("clear_{}", name.trim_start_matches("r#")));
        }
    }
    dedupe(&mut names, TAKEN_METHODS);
    slots
        .into_iter()
        .map(|(setter, clearer)| {
            (
                setter.map(|i| names[i].clone()),
                clearer.map(|i| names[i].clone()),
            )
        })
        .collect()
}

/// Makes every name in `names` unique by appending `2`, `3`, … to later duplicates, and
/// keeps clear of `reserved`.
pub fn dedupe(names: &mut [String], reserved: &[&str]) {
    let mut seen: std::collections::BTreeSet<String> =
        reserved.iter().map(|s| (*s).to_owned()).collect();
    for name in names.iter_mut() {
        if seen.contains(name.as_str()) {
            let base = name.clone();
            let mut counter = 2;
            while seen.contains(&format!("{base}{counter}")) {
                counter += 1;
            }
            *name = format!("{base}{counter}");
        }
        seen.insert(name.clone());
    }
}

/// Strips the longest common leading and trailing words (camel-case humps) from variant
/// names, when every name keeps at least one word: `CustomerIndividual`/`CustomerTeam` →
/// `Individual`/`Team`; `CountAggregation`/`UniqueAggregation` → `Count`/`Unique`.
pub fn strip_common_affixes(names: &[String]) -> Vec<String> {
    if names.len() < 2 {
        return names.to_vec();
    }
    let split: Vec<Vec<String>> = names.iter().map(|n| humps(n)).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let mut prefix = 0;
    while prefix < shortest && split.iter().all(|w| w[prefix] == split[0][prefix]) {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < shortest - prefix
        && split
            .iter()
            .all(|w| w[w.len() - 1 - suffix] == split[0][split[0].len() - 1 - suffix])
    {
        suffix += 1;
    }
    let stripped: Vec<String> = split
        .iter()
        .map(|w| w[prefix..w.len() - suffix].concat())
        .collect();
    let valid = stripped
        .iter()
        .all(|s| !s.is_empty() && !s.starts_with(|c: char| c.is_ascii_digit()));
    let mut unique = stripped.clone();
    unique.sort();
    unique.dedup();
    if valid && unique.len() == stripped.len() {
        stripped
    } else {
        names.to_vec()
    }
}

/// Splits `CustomerIndividual` into `["Customer", "Individual"]`.
fn humps(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() || out.is_empty() {
            out.push(String::new());
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(
            type_name("ListResource_CustomerMeter_"),
            "ListResourceCustomerMeter"
        );
        assert_eq!(type_name("HTTPValidationError"), "HttpValidationError");
        assert_eq!(type_name("TaxIDFormat"), "TaxIdFormat");
        assert_eq!(type_name("OrganizationID Filter"), "OrganizationIdFilter");
        assert_eq!(type_name("3ds"), "V3ds");
        assert_eq!(type_name("r#use"), "Use");
        assert_eq!(type_name(""), "Unnamed");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("billingAddress"), "billing_address");
        assert_eq!(field_name("x-trace"), "x_trace");
        assert_eq!(field_name("2fa"), "_2fa");
    }

    #[test]
    fn every_item_of_the_crate_root_is_reserved() {
        // The root re-exports the generated modules with a glob, which an item of the same
        // name would shadow without a word: every module and re-exported crate is reserved.
        let lib = include_str!("../../../polar-sdk/src/lib.rs");
        for line in lib.lines().map(str::trim) {
            let name = line
                .strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("pub(crate) mod "))
                .or_else(|| line.strip_prefix("mod "))
                .or_else(|| {
                    line.strip_prefix("pub use ")
                        .filter(|rest| !rest.contains("::"))
                })
                .map(|rest| rest.trim_end_matches(';'));
            if let Some(name) = name {
                assert_ne!(
                    module_name(name),
                    name,
                    "`{name}` of polar-sdk's root is not reserved"
                );
            }
        }
    }

    #[test]
    fn module_names() {
        assert_eq!(module_name("customer_meters"), "customer_meters");
        assert_eq!(module_name("CustomerMeters"), "customer_meters");
        assert_eq!(module_name(""), "default");
        assert_eq!(module_name("type"), "type_");
        assert_eq!(module_name("self"), "self_");
        assert_eq!(module_name("3d"), "_3d");
        assert_eq!(module_name("models"), "models_");
        assert_eq!(module_name("filters"), "filters_");
        assert_eq!(module_name("new"), "new_");
        assert_eq!(module_name("clone"), "clone_");
    }

    #[test]
    fn prelude_names_are_never_type_names() {
        for name in [
            "Option", "Some", "None", "String", "Vec", "Box", "Result", "Ok", "Err",
        ] {
            assert_eq!(unreserved(name.to_owned()), format!("{name}_"));
        }
        assert_eq!(unreserved("Default".to_owned()), "Default_");
        assert_eq!(unreserved("Options".to_owned()), "Options");
    }

    #[test]
    fn descending_sort_values_do_not_collide() {
        assert_eq!(enum_variant("created_at"), "CreatedAt");
        assert_eq!(enum_variant("-created_at"), "CreatedAtDesc");
        assert_eq!(enum_variant("-"), "Unnamed");
        assert_eq!(enum_variant(""), "Empty");
    }

    #[test]
    fn dedupe_appends_counters_and_avoids_reserved() {
        let mut names = vec![
            "A".to_owned(),
            "A".to_owned(),
            "Unknown".to_owned(),
            "A2".to_owned(),
        ];
        dedupe(&mut names, &["Unknown"]);
        assert_eq!(names, ["A", "A2", "Unknown2", "A22"]);
    }

    #[test]
    fn input_methods_step_aside_from_taken_names() {
        let both = FieldMethods {
            setter: true,
            clearer: true,
        };
        let setter = FieldMethods {
            setter: true,
            clearer: false,
        };
        let neither = FieldMethods {
            setter: false,
            clearer: false,
        };
        let names = input_methods(&[
            ("r#type", both),
            ("new", setter),
            ("clear_type", setter),
            ("email", neither),
            ("clone", both),
            ("set_new", setter),
        ]);
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            names,
            [
                (some("r#type"), some("clear_type2")),
                (some("set_new"), None),
                (some("clear_type"), None),
                (None, None),
                (some("set_clone"), some("clear_clone")),
                (some("set_new2"), None),
            ]
        );
    }

    #[test]
    fn common_affixes() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            strip_common_affixes(&names(&["CustomerIndividual", "CustomerTeam"])),
            ["Individual", "Team"]
        );
        assert_eq!(
            strip_common_affixes(&names(&[
                "CountAggregation",
                "PropertyAggregation",
                "UniqueAggregation"
            ])),
            ["Count", "Property", "Unique"]
        );
        // Stripping would leave `Filter` empty: keep the names.
        assert_eq!(
            strip_common_affixes(&names(&["FilterClause", "Filter"])),
            ["FilterClause", "Filter"]
        );
    }
}
