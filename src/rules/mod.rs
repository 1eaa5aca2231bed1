//! The rules, one per file, each a function from a [`Context`] to findings, registered in
//! [`RULES`]. Codes are stable kebab-case names that users write in `galley.toml` and in
//! suppression comments; [`CODES`] lists the fixed in-draft ones, `missing-<field>` exists for
//! any field a profile can require, and `cross-draft-duplicate` is reported by
//! [`crate::workspace`], since it needs the other drafts.

mod context;
mod duplicate_paragraph;
mod invalid_date;
mod invalid_leaning;
mod missing_field;
mod near_duplicate_paragraph;
#[cfg(test)]
mod testing;

pub use context::Context;

use crate::finding::Finding;

/// A registered rule: the codes it can report and the check that reports them.
pub struct Rule {
    /// The rule's name; also its code when it has only one.
    pub name: &'static str,
    /// Every code the rule reports (`missing-field` reports `missing-<field>` for any field).
    pub codes: &'static [&'static str],
    pub check: fn(&Context, &mut Vec<Finding>),
}

/// Every rule, sorted by name. Analysis runs them in this order.
pub static RULES: &[Rule] = &[
    Rule {
        name: duplicate_paragraph::CODE,
        codes: &[duplicate_paragraph::CODE],
        check: duplicate_paragraph::check,
    },
    Rule {
        name: invalid_date::CODE,
        codes: &[invalid_date::CODE],
        check: invalid_date::check,
    },
    Rule {
        name: invalid_leaning::CODE,
        codes: &[invalid_leaning::CODE],
        check: invalid_leaning::check,
    },
    Rule {
        name: "missing-field",
        codes: missing_field::BUILT_IN_CODES,
        check: missing_field::check,
    },
    Rule {
        name: near_duplicate_paragraph::CODE,
        codes: &[near_duplicate_paragraph::CODE],
        check: near_duplicate_paragraph::check,
    },
];

/// The fixed rule codes, sorted. `missing-<field>` for a custom required field (say
/// `missing-tags`) is a valid code too: see [`is_known_code`].
pub const CODES: &[&str] = &[
    "duplicate-paragraph",
    "invalid-date",
    "invalid-leaning",
    "missing-author",
    "missing-date",
    "missing-leaning",
    "missing-subtitle",
    "missing-title",
    "near-duplicate-paragraph",
];

/// Whether `code` names a rule: one of [`CODES`], the workspace's `cross-draft-duplicate`, or
/// `missing-<field>` for any field name.
pub fn is_known_code(code: &str) -> bool {
    CODES.contains(&code)
        || code == crate::workspace::CODE
        || code
            .strip_prefix(missing_field::PREFIX)
            .is_some_and(|field| !field.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_sorted_by_name_and_codes_are_sorted() {
        assert!(RULES.windows(2).all(|w| w[0].name < w[1].name));
        assert!(CODES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn every_registered_code_is_listed() {
        for rule in RULES {
            for code in rule.codes {
                assert!(CODES.contains(code), "{code}");
            }
        }
        assert_eq!(
            RULES.iter().map(|r| r.codes.len()).sum::<usize>(),
            CODES.len()
        );
    }

    #[test]
    fn knows_custom_missing_field_codes() {
        assert!(is_known_code("missing-tags"));
        assert!(is_known_code("duplicate-paragraph"));
        assert!(is_known_code("cross-draft-duplicate"));
        assert!(!is_known_code("missing-"));
        assert!(!is_known_code("duplicate"));
    }
}
