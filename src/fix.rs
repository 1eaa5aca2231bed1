//! Applying fixes: byte edits onto text, and fix-all, which applies every safe fix until none
//! is left (ruff's "fix to completion").

use std::collections::BTreeMap;

use crate::analysis::analyze;
use crate::config::Config;
use crate::draft::Format;
use crate::finding::{Applicability, Edit, Finding, FixKind};

/// Applies `edits` to `text`. Edits are applied in order of position; one that overlaps an
/// earlier one, reaches past the text or splits a character is skipped, so a stale or
/// conflicting edit can never corrupt the text.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for edit in sorted {
        let range = &edit.range;
        let valid = range.start >= copied
            && range.start <= range.end
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end);
        if !valid {
            continue;
        }
        out.push_str(text.get(copied..range.start).unwrap_or_default());
        out.push_str(&edit.replacement);
        copied = range.end;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// The edits of every safe quick fix in `findings`, sorted and disjoint. A fix whose edits
/// would overlap an edit already taken is left out whole (never half applied); fix-all picks
/// it up on its next round.
pub fn fix_all_edits(findings: &[Finding]) -> Vec<Edit> {
    let mut fixes: Vec<&[Edit]> = findings
        .iter()
        .flat_map(|f| &f.fixes)
        .filter(|fix| fix.applicability == Applicability::Safe && fix.kind == FixKind::QuickFix)
        .map(|fix| fix.edits.as_slice())
        .filter(|edits| !edits.is_empty())
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| (e.range.start, e.range.end)).min());
    // Taken edits by (start, end), to find the neighbours a new edit could overlap.
    let mut taken: BTreeMap<(usize, usize), &Edit> = BTreeMap::new();
    for edits in fixes {
        let fits = edits.iter().all(|edit| {
            let key = (edit.range.start, edit.range.end);
            if taken.get(&key).is_some_and(|e| *e == edit) {
                // The same edit from another finding: already taken, nothing to add.
                return true;
            }
            let before = taken.range(..key).next_back().map(|(_, e)| *e);
            let after = taken.range(key..).next().map(|(_, e)| *e);
            [before, after]
                .into_iter()
                .flatten()
                .all(|other| disjoint(other, edit))
        });
        if fits {
            for edit in edits {
                taken.insert((edit.range.start, edit.range.end), edit);
            }
        }
    }
    taken.into_values().cloned().collect()
}

/// Whether two edits can be applied together: their ranges do not overlap, and they are not
/// two different insertions at the same point (whose order would be arbitrary).
fn disjoint(a: &Edit, b: &Edit) -> bool {
    if a.range.is_empty() && b.range.is_empty() && a.range.start == b.range.start {
        return a == b;
    }
    a.range.end <= b.range.start || b.range.end <= a.range.start
}

/// Applies every safe fix to completion: analyse, apply the safe edits, and again, until the
/// analysis offers none. Only exact-duplicate removal is safe, so this removes every later copy
/// of a paragraph and touches nothing else.
pub fn fix_all(text: &str, format: Format, config: &Config) -> String {
    let mut current = text.to_string();
    // Each round removes at least one paragraph; the bound only guards against a fix that
    // would not converge.
    for _ in 0..MAX_ROUNDS {
        let edits = fix_all_edits(&analyze(&current, format, config).findings);
        if edits.is_empty() {
            break;
        }
        let next = apply_edits(&current, &edits);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

const MAX_ROUNDS: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Fix, Severity};

    fn finding(fixes: Vec<Fix>) -> Finding {
        Finding {
            code: "duplicate-paragraph".into(),
            severity: Severity::Warning,
            message: String::new(),
            range: 0..0,
            related: Vec::new(),
            fixes,
            similarity: None,
        }
    }

    fn fix(applicability: Applicability, kind: FixKind, edits: Vec<Edit>) -> Fix {
        Fix {
            title: String::new(),
            kind,
            applicability,
            edits,
        }
    }

    #[test]
    fn applies_edits_in_position_order_whatever_their_given_order() {
        let text = "uno dos tres";
        let edits = [
            Edit::replace(8..12, "TRES"),
            Edit::delete(3..7),
            Edit::insert(0, "¡"),
        ];
        assert_eq!(apply_edits(text, &edits), "¡uno TRES");
    }

    #[test]
    fn skips_overlapping_out_of_range_and_mid_character_edits() {
        let text = "añoñé";
        let edits = [
            Edit::delete(0..3),
            Edit::delete(1..4),
            Edit::delete(2..3),
            Edit::delete(5..99),
        ];
        assert_eq!(apply_edits(text, &edits), "oñé");
    }

    #[test]
    fn collects_only_safe_quick_fixes_sorted_and_disjoint() {
        let findings = vec![
            finding(vec![fix(
                Applicability::Safe,
                FixKind::QuickFix,
                vec![Edit::delete(20..30)],
            )]),
            finding(vec![fix(
                Applicability::Unsafe,
                FixKind::QuickFix,
                vec![Edit::delete(0..5)],
            )]),
            finding(vec![fix(
                Applicability::Safe,
                FixKind::Suppress,
                vec![Edit::insert(0, "x")],
            )]),
            finding(vec![fix(
                Applicability::Safe,
                FixKind::QuickFix,
                vec![Edit::delete(5..10)],
            )]),
            finding(vec![fix(
                Applicability::Safe,
                FixKind::QuickFix,
                vec![Edit::delete(8..21)],
            )]),
            finding(vec![fix(
                Applicability::Safe,
                FixKind::QuickFix,
                vec![Edit::delete(5..10)],
            )]),
        ];
        assert_eq!(
            fix_all_edits(&findings),
            vec![Edit::delete(5..10), Edit::delete(20..30)]
        );
    }

    #[test]
    fn leaves_out_a_whole_fix_when_one_of_its_edits_conflicts() {
        let findings = vec![
            finding(vec![fix(
                Applicability::Safe,
                FixKind::QuickFix,
                vec![Edit::delete(0..4)],
            )]),
            finding(vec![fix(
                Applicability::Safe,
                FixKind::QuickFix,
                vec![Edit::delete(2..3), Edit::delete(10..12)],
            )]),
        ];
        assert_eq!(fix_all_edits(&findings), vec![Edit::delete(0..4)]);
    }

    #[test]
    fn fix_all_removes_every_later_copy_in_blank_line_separated_markdown() {
        let a = "Primer párrafo del texto con suficientes palabras para compararse 😀.";
        let b = "Segundo párrafo del texto, también con palabras de sobra para contar.";
        let text = format!("---\ntitle: Prueba\n---\n\n{a}\n\n{b}\n\n{a}\n\n{b}\n\n{b}");
        let fixed = fix_all(&text, Format::Markdown, &Config::default());
        assert_eq!(fixed, format!("---\ntitle: Prueba\n---\n\n{a}\n\n{b}"));
        assert_eq!(fix_all(&fixed, Format::Markdown, &Config::default()), fixed);
    }
}
