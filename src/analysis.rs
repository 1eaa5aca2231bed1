//! The analysis entry point: text and configuration in, the draft and its findings out. Plain
//! data with byte ranges; the CLI and the language server render it.
//!
//! [`analyze`] is one-shot. [`Analyzer`] keeps each paragraph's [`Sketch`] (fingerprint, word
//! count, LSH band keys) with a hash of the paragraph's raw text, so re-analysing after a
//! keystroke only normalises and sketches the paragraphs that changed.

use std::sync::{Mutex, PoisonError};

use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::draft::{self, Draft, Format};
use crate::finding::Finding;
use crate::rules::{Context, RULES};
use crate::similarity::fingerprint::content_key;
use crate::similarity::{Sketch, Sketcher};

/// A draft and what the rules found in it.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub draft: Draft,
    /// Sorted by range start, then code; rules that are off and suppressed findings are gone.
    pub findings: Vec<Finding>,
}

/// Analyses one draft from scratch.
pub fn analyze(text: &str, format: Format, config: &Config) -> Analysis {
    let draft = draft::read(text, format, &config.profile);
    let mut sketcher = Sketcher::new();
    let sketches: Vec<Sketch> = draft
        .paragraphs
        .iter()
        .map(|p| sketcher.sketch(text.get(p.range.clone()).unwrap_or_default()))
        .collect();
    run_rules(text, draft, config, &sketches)
}

/// Analysis with a cache of paragraph sketches across calls, for a document that is analysed
/// again after every edit. Use one per document: the cache holds the latest text's paragraphs.
#[derive(Default)]
pub struct Analyzer {
    cache: Mutex<SketchCache>,
}

/// The previous text's paragraphs, in order: hashes of their raw text and their sketches.
#[derive(Default)]
struct SketchCache {
    keys: Vec<u64>,
    sketches: Vec<Sketch>,
}

impl Analyzer {
    pub fn new() -> Self {
        Analyzer::default()
    }

    /// Analyses `text` like [`analyze`], reusing the sketches of paragraphs seen before.
    pub fn analyze(&self, text: &str, format: Format, config: &Config) -> Analysis {
        let draft = draft::read(text, format, &config.profile);
        // Taken out for the duration, so the lock is never held while analysing: a concurrent
        // call on the same analyser just starts cold. A panic elsewhere while holding the lock
        // can only leave a complete cache behind, so a poisoned lock is taken over.
        let previous =
            std::mem::take(&mut *self.cache.lock().unwrap_or_else(PoisonError::into_inner));
        let current = previous.update(text, &draft);
        let analysis = run_rules(text, draft, config, &current.sketches);
        *self.cache.lock().unwrap_or_else(PoisonError::into_inner) = current;
        analysis
    }
}

impl SketchCache {
    /// The cache for `draft`'s paragraphs, reusing this one's sketches where the raw text is
    /// unchanged. Paragraphs are matched in order, tracking the shift that insertions and
    /// deletions cause; only when that fails twice in a row is an index by hash built.
    fn update(&self, text: &str, draft: &Draft) -> SketchCache {
        let count = draft.paragraphs.len();
        let mut next = SketchCache {
            keys: Vec::with_capacity(count),
            sketches: Vec::with_capacity(count),
        };
        let mut sketcher: Option<Sketcher> = None;
        let mut by_key: Option<FxHashMap<u64, usize>> = None;
        // The previous position of new paragraph `i` is `i + shift`, while paragraphs match.
        let mut shift: isize = 0;
        let mut missed = false;
        for (i, paragraph) in draft.paragraphs.iter().enumerate() {
            let raw = text.get(paragraph.range.clone()).unwrap_or_default();
            let key = content_key(raw);
            let guess = (i as isize + shift) as usize;
            let mut found = (self.keys.get(guess) == Some(&key)).then_some(guess);
            if found.is_none() && missed {
                let index = by_key.get_or_insert_with(|| {
                    let mut index =
                        FxHashMap::with_capacity_and_hasher(self.keys.len(), Default::default());
                    for (at, key) in self.keys.iter().enumerate() {
                        index.entry(*key).or_insert(at);
                    }
                    index
                });
                found = index.get(&key).copied();
                if let Some(at) = found {
                    shift = at as isize - i as isize;
                }
            }
            // One miss is usually a paragraph edited in place: the next one still lines up.
            missed = found.is_none();
            let sketch = match found.and_then(|at| self.sketches.get(at)) {
                Some(sketch) => *sketch,
                None => sketcher.get_or_insert_with(Sketcher::new).sketch(raw),
            };
            next.keys.push(key);
            next.sketches.push(sketch);
        }
        next
    }
}

fn run_rules(text: &str, draft: Draft, config: &Config, sketches: &[Sketch]) -> Analysis {
    let mut findings = Vec::new();
    {
        let cx = Context::new(text, &draft, config, sketches);
        for rule in RULES {
            (rule.check)(&cx, &mut findings);
        }
    }
    findings.retain(|f| !is_suppressed(&draft, f));
    findings.sort_by(|a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then_with(|| a.code.cmp(&b.code))
    });
    Analysis { draft, findings }
}

/// Whether a `galley-ignore-file` comment or a `galley-ignore` comment before the finding's
/// paragraph silences it.
fn is_suppressed(draft: &Draft, finding: &Finding) -> bool {
    if draft.file_suppressed.contains(&finding.code) {
        return true;
    }
    let paragraphs = &draft.paragraphs;
    let at = paragraphs.partition_point(|p| p.range.start < finding.range.start);
    paragraphs
        .get(at)
        .is_some_and(|p| p.range == finding.range && p.suppressed.contains(&finding.code))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Progresista 50% Conservador 50%\nLa biblioteca amplía su horario 📚\nAbrirá también los domingos por la tarde.\nPublicado: 9 de marzo de 2026, 10:00\n";
    const P1: &str =
        "La biblioteca municipal abrirá los domingos de cuatro a ocho de la tarde desde abril.";
    const P2: &str = "El consistorio contratará a tres personas más para cubrir los nuevos turnos de fin de semana.";

    fn draft_text(paragraphs: &[&str]) -> String {
        paragraphs
            .iter()
            .fold(HEADER.to_string(), |text, p| text + p + "\n")
    }

    #[test]
    fn sorts_findings_by_position_then_code() {
        let text =
            draft_text(&[P1, P2, P1, P2]).replace("50% Conservador 50%", "50% Conservador 60%");
        let analysis = analyze(&text, Format::Plain, &Config::default());
        let order: Vec<(usize, &str)> = analysis
            .findings
            .iter()
            .map(|f| (f.range.start, f.code.as_str()))
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert_eq!(order.first().map(|o| o.1), Some("invalid-leaning"));
        assert_eq!(analysis.findings.len(), 3);
    }

    #[test]
    fn warm_analysis_after_an_edit_equals_a_cold_one() {
        let analyzer = Analyzer::new();
        let before = draft_text(&[P1, P2, P1]);
        assert_eq!(
            analyzer
                .analyze(&before, Format::Plain, &Config::default())
                .findings
                .len(),
            1
        );
        let after = before.replacen("domingos de cuatro", "domingos de cinco", 1);
        let warm = analyzer.analyze(&after, Format::Plain, &Config::default());
        let cold = analyze(&after, Format::Plain, &Config::default());
        assert_eq!(warm.findings, cold.findings);
        assert_eq!(warm.findings.len(), 1);
        assert_eq!(warm.findings[0].code, "near-duplicate-paragraph");
    }

    #[test]
    fn warm_analysis_follows_inserted_deleted_and_moved_paragraphs() {
        let analyzer = Analyzer::new();
        let p3 = "Los usuarios podrán reservar salas de estudio en la web municipal con una semana de antelación.";
        let p4 = "La medida se revisará en otoño a la vista de la afluencia de público durante los primeros meses.";
        let edits: [&[&str]; 5] = [
            &[P1, P2, p3, P1],
            &[p4, P1, P2, p3, P1],
            &[P1, p3, P1],
            &[P1, P2, P1, p3, p4],
            &[p4, p3, P2, P1, P1],
        ];
        for paragraphs in edits {
            let text = draft_text(paragraphs);
            let warm = analyzer.analyze(&text, Format::Plain, &Config::default());
            assert_eq!(
                warm.findings,
                analyze(&text, Format::Plain, &Config::default()).findings,
                "{paragraphs:?}"
            );
            assert_eq!(warm.findings.len(), 1);
        }
    }

    #[test]
    fn the_cache_holds_only_the_latest_text() {
        let analyzer = Analyzer::new();
        for i in 0..50 {
            let text = draft_text(&[&format!("{P1} Versión {i}."), P2]);
            analyzer.analyze(&text, Format::Plain, &Config::default());
        }
        let cache = analyzer.cache.lock().unwrap();
        assert_eq!((cache.keys.len(), cache.sketches.len()), (2, 2));
    }

    #[test]
    fn analyzer_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Analyzer>();
    }

    #[test]
    fn drops_findings_silenced_per_paragraph_or_per_file() {
        let md = format!(
            "<!-- galley-ignore-file missing-leaning missing-subtitle missing-date -->\n# Título\n\n{P1}\n\n<!-- galley-ignore duplicate-paragraph -->\n{P1}\n\n{P1}\n"
        );
        let analysis = analyze(&md, Format::Markdown, &Config::default());
        let codes: Vec<&str> = analysis.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["duplicate-paragraph"]);
        assert!(md[analysis.findings[0].range.end..].trim().is_empty());
    }
}
