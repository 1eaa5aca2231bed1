//! `near-duplicate-paragraph`: a paragraph very similar to an earlier one, such as a lightly
//! reworded copy. Similarity is the Jaccard index of the two paragraphs' word-bigram sets; LSH
//! over MinHash signatures proposes candidate pairs (no all-pairs comparison), and the exact
//! similarity decides. A paragraph that is an exact duplicate is left to `duplicate-paragraph`,
//! and only first occurrences serve as originals, so one copy is never reported twice.

use rustc_hash::FxHashMap;

use super::Context;
use crate::finding::{Applicability, Edit, Finding, Fix, FixKind, Related, Severity};
use crate::similarity::Sketcher;
use crate::similarity::minhash::{BandKeys, candidate_pairs};
use crate::similarity::shingles::jaccard_counts;

pub const CODE: &str = "near-duplicate-paragraph";

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let Some(severity) = cx.severity(CODE, Severity::Warning) else {
        return;
    };
    let threshold = cx.config.near_duplicate_threshold;
    let copies = cx.earlier_copies();
    let items: Vec<(u32, &BandKeys)> = (0..cx.draft.paragraphs.len())
        .filter(|&i| cx.is_compared(i) && copies.get(i).is_some_and(Option::is_none))
        .filter_map(|i| Some((u32::try_from(i).ok()?, cx.sketch(i)?.bands.as_ref()?)))
        .collect();
    let pairs = candidate_pairs(&items);
    let mut sets = BigramSets {
        cx,
        sketcher: Sketcher::new(),
        sets: FxHashMap::default(),
    };
    for group in pairs.chunk_by(|a, b| a.1 == b.1) {
        // Earlier candidates come first: the first one similar enough is the original.
        let found = group.iter().find_map(|&(earlier, later)| {
            let (shared, union) = sets.jaccard(earlier as usize, later as usize);
            let similar = union > 0 && shared as f64 >= threshold * union as f64;
            similar.then_some((earlier as usize, later as usize, shared, union))
        });
        if let Some((earlier, later, shared, union)) = found {
            out.extend(finding(cx, severity, earlier, later, shared, union));
        }
    }
}

fn finding(
    cx: &Context,
    severity: Severity,
    earlier: usize,
    later: usize,
    shared: usize,
    union: usize,
) -> Option<Finding> {
    let paragraph = cx.draft.paragraphs.get(later)?;
    let original = cx.draft.paragraphs.get(earlier)?;
    let line = cx.line_number(original.range.start);
    let message = if shared == union {
        // Same word pairs but a different fingerprint: only punctuation (quotes added around a
        // copy, say) tells them apart, and "100% similar" would read like an exact duplicate.
        format!(
            "Paragraph has the same words as the one at line {line}, differing only in punctuation"
        )
    } else {
        // Rounded down, so a copy that is not identical never shows as 100%.
        let percent = shared * 100 / union;
        format!("Paragraph is {percent}% similar to the one at line {line}")
    };
    let mut fixes = vec![Fix {
        title: "Remove near-duplicate paragraph".to_string(),
        kind: FixKind::QuickFix,
        applicability: Applicability::Unsafe,
        edits: vec![Edit::delete(paragraph.removal.clone())],
    }];
    fixes.extend(cx.suppress_fixes(CODE, paragraph));
    Some(Finding {
        code: CODE.to_string(),
        severity,
        message,
        range: paragraph.range.clone(),
        related: vec![Related {
            path: None,
            range: original.range.clone(),
            message: "similar paragraph first appears here".to_string(),
        }],
        fixes,
        similarity: Some(shared as f64 / union as f64),
    })
}

/// Exact bigram sets, computed only for paragraphs in a candidate pair and at most once each.
struct BigramSets<'c, 'a> {
    cx: &'c Context<'a>,
    sketcher: Sketcher,
    sets: FxHashMap<usize, Vec<u64>>,
}

impl BigramSets<'_, '_> {
    fn jaccard(&mut self, a: usize, b: usize) -> (usize, usize) {
        for index in [a, b] {
            if !self.sets.contains_key(&index) {
                let set = self.sketcher.bigram_set(self.cx.paragraph_text(index));
                self.sets.insert(index, set);
            }
        }
        match (self.sets.get(&a), self.sets.get(&b)) {
            (Some(x), Some(y)) => jaccard_counts(x, y),
            _ => (0, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::draft::Format;
    use crate::rules::testing::{MD_HEADER, apply, findings, plain};
    use crate::similarity::Sketcher;

    /// A 72-word paragraph, a copy with three one-word rewordings, and another paragraph of the
    /// same article.
    const ORIGINAL: &str = "La reforma del mercado de abastos, que comenzó hace dos años con la sustitución de la cubierta y el refuerzo de los cimientos, ha terminado por fin con un coste final de once millones de euros, algo más de lo previsto. Los comerciantes, que durante las obras trabajaron en carpas provisionales instaladas en la plaza, celebran poder volver a unos puestos más amplios, mejor ventilados y con cámaras frigoríficas nuevas.";
    const REWORDED: &str = "La reforma del mercado de abastos, que comenzó hace dos años con la sustitución de la cubierta y el refuerzo de los cimientos, ha concluido por fin con un coste final de once millones de euros, algo más de lo presupuestado. Los comerciantes, que durante las obras trabajaron en carpas provisionales instaladas en la plaza, celebran poder regresar a unos puestos más amplios, mejor ventilados y con cámaras frigoríficas nuevas.";
    const OTHER: &str = "El alcalde inauguró el edificio rehabilitado el sábado por la mañana ante cientos de vecinos, y anunció que el horario de apertura se ampliará los domingos durante el verano para atraer a los turistas que visitan el casco antiguo de la ciudad. La asociación de vendedores pidió además más plazas de aparcamiento en los alrededores y una parada de autobús junto a la entrada principal.";

    fn counts(a: &str, b: &str) -> (usize, usize) {
        let mut sketcher = Sketcher::new();
        let (x, y) = (sketcher.bigram_set(a), sketcher.bigram_set(b));
        jaccard_counts(&x, &y)
    }

    fn jaccard(a: &str, b: &str) -> f64 {
        let (shared, union) = counts(a, b);
        shared as f64 / union as f64
    }

    #[test]
    fn calibration_flags_a_lightly_reworded_copy_but_not_another_paragraph() {
        let copy = jaccard(ORIGINAL, REWORDED);
        let other = jaccard(ORIGINAL, OTHER);
        assert!((0.75..0.9).contains(&copy), "{copy}");
        assert!(other < 0.1, "{other}");
        let text = plain(&[ORIGINAL, OTHER, REWORDED]);
        let found = findings(&text, Format::Plain, &Config::default(), CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], REWORDED);
        assert_eq!(&text[found[0].related[0].range.clone()], ORIGINAL);
        let (shared, union) = counts(ORIGINAL, REWORDED);
        let percent = shared * 100 / union;
        assert_eq!(
            found[0].message,
            format!("Paragraph is {percent}% similar to the one at line 5")
        );
        assert_eq!(found[0].similarity, Some(copy));
    }

    #[test]
    fn a_copy_differing_only_in_punctuation_says_so_instead_of_100_percent() {
        let quoted = format!("\"{ORIGINAL}\"");
        let text = plain(&[ORIGINAL, OTHER, &quoted]);
        let found = findings(&text, Format::Plain, &Config::default(), CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "Paragraph has the same words as the one at line 5, differing only in punctuation"
        );
        assert_eq!(found[0].similarity, Some(1.0));
    }

    #[test]
    fn exact_copies_are_not_also_near_duplicates() {
        let text = plain(&[ORIGINAL, ORIGINAL, REWORDED]);
        let found = findings(&text, Format::Plain, &Config::default(), CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], REWORDED);
        assert_eq!(
            found[0].related[0].range,
            text.find(ORIGINAL).map(|s| s..s + ORIGINAL.len()).unwrap()
        );
    }

    #[test]
    fn a_stricter_threshold_lets_the_copy_pass() {
        let text = plain(&[ORIGINAL, REWORDED]);
        let config = Config {
            near_duplicate_threshold: 0.95,
            ..Config::default()
        };
        assert!(findings(&text, Format::Plain, &config, CODE).is_empty());
    }

    #[test]
    fn short_paragraphs_are_not_compared() {
        let text = plain(&["Foto: Ana Pérez 📷", "Foto: Ana Pérez (EFE) 📷"]);
        assert!(findings(&text, Format::Plain, &Config::default(), CODE).is_empty());
    }

    #[test]
    fn removal_is_offered_but_not_safe() {
        let text = plain(&[ORIGINAL, REWORDED]);
        let text = text.trim_end();
        let found = findings(text, Format::Plain, &Config::default(), CODE);
        let fix = &found[0].fixes[0];
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(apply(text, fix), plain(&[ORIGINAL]).trim_end());
    }

    #[test]
    fn finds_copies_in_markdown_with_crlf_and_emoji() {
        let original = format!("{ORIGINAL} 🎉");
        let reworded = format!("{REWORDED} 🎉");
        let text = format!("{MD_HEADER}{original}\n\n{OTHER}\n\n{reworded}").replace('\n', "\r\n");
        let found = findings(&text, Format::Markdown, &Config::default(), CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], reworded);
        assert_eq!(found[0].fixes.len(), 3);
        let removed = apply(&text, &found[0].fixes[0]);
        assert!(removed.ends_with(OTHER), "{removed:?}");
    }
}
