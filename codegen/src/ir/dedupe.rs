//! Identical enums, emitted once.
//!
//! Polar's document repeats some enums under several names: one country list per schema that
//! takes an address, one list of time zones per place that takes one. Each copy would print
//! the same hundreds of variants and their glue. Enums whose values are equal (the same wire
//! strings with the same variant names, in the same order) are collapsed here: the first name
//! in sort order is the canonical type, every other one keeps its name as
//! `pub type Other = Canonical;` ([`TypeDef::same_as`]), so no public name disappears and the
//! choice does not depend on the document's order.

use std::collections::BTreeMap;

use super::{EnumValue, TypeDef, TypeKind, TypeOrigin};

/// Marks every enum that repeats an earlier one (in name order) with the earlier one's name.
pub fn dedupe_enums(types: &mut BTreeMap<String, TypeDef>) {
    // Keyed by the values; the map iterates names in order, so the first one seen is canonical.
    let mut canonical: BTreeMap<Vec<(&str, &str)>, &str> = BTreeMap::new();
    let mut found: Vec<(String, String)> = Vec::new();
    for def in types.values() {
        let (TypeOrigin::Model, TypeKind::Enum { values }) = (def.origin, &def.kind) else {
            continue;
        };
        let key: Vec<(&str, &str)> = values.iter().map(EnumValue::key).collect();
        match canonical.get(&key) {
            Some(first) => found.push((def.name.clone(), (*first).to_owned())),
            None => {
                canonical.insert(key, &def.name);
            }
        }
    }
    for (name, first) in found {
        if let Some(def) = types.get_mut(&name) {
            def.same_as = Some(first);
        }
    }
}

impl EnumValue {
    fn key(&self) -> (&str, &str) {
        (&self.wire, &self.variant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enum_def(name: &str, values: &[&str]) -> (String, TypeDef) {
        let values = values
            .iter()
            .map(|wire| EnumValue {
                wire: (*wire).to_owned(),
                variant: wire.to_uppercase(),
            })
            .collect();
        (
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                doc: None,
                pointer: String::new(),
                origin: TypeOrigin::Model,
                kind: TypeKind::Enum { values },
                input: false,
                same_as: None,
            },
        )
    }

    fn same_as(types: &BTreeMap<String, TypeDef>) -> Vec<(&str, Option<&str>)> {
        types
            .values()
            .map(|def| (def.name.as_str(), def.same_as.as_deref()))
            .collect()
    }

    #[test]
    fn equal_enums_point_at_the_first_name_in_sort_order() {
        let mut types: BTreeMap<String, TypeDef> = [
            enum_def("OrderCountry", &["de", "fr"]),
            enum_def("AddressCountry", &["de", "fr"]),
            enum_def("CheckoutCountry", &["de", "fr"]),
            // Same values in another order: another type (its `KNOWN` order differs).
            enum_def("ReversedCountry", &["fr", "de"]),
            enum_def("Status", &["open"]),
        ]
        .into_iter()
        .collect();
        dedupe_enums(&mut types);
        assert_eq!(
            same_as(&types),
            [
                ("AddressCountry", None),
                ("CheckoutCountry", Some("AddressCountry")),
                ("OrderCountry", Some("AddressCountry")),
                ("ReversedCountry", None),
                ("Status", None),
            ]
        );
    }

    #[test]
    fn variant_names_and_filters_keep_enums_apart() {
        let (_, mut renamed) = enum_def("Renamed", &["de"]);
        if let TypeKind::Enum { values } = &mut renamed.kind {
            values[0].variant = "Germany".to_owned();
        }
        let (_, mut filter) = enum_def("AFilter", &["de"]);
        filter.origin = TypeOrigin::Filter;
        let mut types: BTreeMap<String, TypeDef> = [
            enum_def("Country", &["de"]),
            ("Renamed".to_owned(), renamed),
            ("AFilter".to_owned(), filter),
        ]
        .into_iter()
        .collect();
        dedupe_enums(&mut types);
        assert_eq!(
            same_as(&types),
            [("AFilter", None), ("Country", None), ("Renamed", None)]
        );
    }

    /// The whole document: every group of equal enums has one canonical type that is itself
    /// an enum, and the dozen inline country lists collapse to the two distinct ones (the
    /// countries an address may have, and the shorter list an address sent may have).
    #[test]
    fn polar_country_lists_collapse_to_one_type() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/polar-api.json");
        let document = crate::load::load_file(&path).unwrap();
        let normalized = crate::normalize::normalize(&document).unwrap();
        let api = crate::ir::lower(&document, &normalized).unwrap();
        let mut canonical_countries = Vec::new();
        let mut aliases = 0;
        for def in api.types.values() {
            if let Some(target) = &def.same_as {
                aliases += 1;
                let target = &api.types[target];
                assert!(target.same_as.is_none(), "{} → {}", def.name, target.name);
                assert!(target.name < def.name);
                assert_eq!(
                    std::mem::discriminant(&target.kind),
                    std::mem::discriminant(&def.kind)
                );
            }
            let is_country_list = matches!(&def.kind, TypeKind::Enum { values }
                if values.len() > 200 && values.iter().any(|v| v.wire == "DE"));
            if is_country_list && def.same_as.is_none() {
                canonical_countries.push(def.name.clone());
            }
        }
        assert!(aliases >= 9, "{aliases}");
        assert_eq!(
            canonical_countries,
            ["AddressCountry", "AddressInputCountry"],
            "{aliases}"
        );
    }
}
