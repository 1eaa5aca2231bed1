//! `cross-draft-duplicate`: a paragraph that also stands, exactly or nearly, in another draft
//! of the workspace. Only the newer copy is flagged, pointing at the oldest draft that has it
//! (see [`super::age`]); the original is left alone.

use std::path::Path;

use super::age::Age;
use super::index::{Entry, Index, IndexedParagraph, modified_time, publication_date};
use super::postings::Posting;
use super::sketch::{ParagraphSketch, Sketcher, jaccard_counts};
use crate::config::Config;
use crate::draft::{Draft, Format, Paragraph};
use crate::finding::{Applicability, Edit, Finding, Fix, FixKind, Related, Severity};
use crate::position::LineIndex;

/// The rule's code, as users name it in `galley.toml` and suppression comments.
pub const CODE: &str = "cross-draft-duplicate";

/// An older draft's paragraph that a paragraph matches.
struct Match<'a> {
    entry: &'a Entry,
    paragraph: &'a IndexedParagraph,
    /// `None` for an exact copy; `(shared, union)` bigram counts for a near one.
    near: Option<(usize, usize)>,
}

impl Match<'_> {
    /// Lower is preferred: exact copies first, then the oldest draft, then the first paragraph.
    fn rank(&self) -> (bool, Age, &Path, u32) {
        (self.near.is_some(), self.entry.age, self.entry.info.path.as_path(), self.paragraph.start)
    }

    fn similarity(&self) -> f64 {
        match self.near {
            None => 1.0,
            Some((shared, union)) => shared as f64 / union as f64,
        }
    }
}

impl Index {
    /// The `cross-draft-duplicate` findings of the draft at `path`, given its current `text`
    /// and `draft` (as read from that text; an analysis already has it). The draft itself need
    /// not be indexed, and its own indexed entry, if any, is never matched. Findings are in
    /// paragraph order; with the rule off or suppressed for the file, there are none.
    ///
    /// A paragraph is flagged when an older draft has a paragraph with the same fingerprint, or
    /// one whose word-bigram similarity reaches `config.near_duplicate_threshold` among the
    /// candidates sharing an LSH band. Among several, an exact copy wins over a near one, then
    /// the oldest draft.
    pub fn cross_draft_findings(&self, path: &Path, text: &str, draft: &Draft, config: &Config) -> Vec<Finding> {
        let Some(severity) = config.level(CODE, Severity::Warning) else { return Vec::new() };
        if draft.file_suppressed.iter().any(|c| c == CODE) {
            return Vec::new();
        }
        let own_id = self.id(path);
        let modified = own_id.and_then(|id| self.entry(id)).map_or_else(|| modified_time(path), |e| e.info.modified);
        let own = Age::new(publication_date(draft), modified);
        let mut sketcher = Sketcher::default();
        let mut postings = Vec::new();
        let mut lines: Option<LineIndex> = None;
        let mut findings = Vec::new();
        for paragraph in &draft.paragraphs {
            if paragraph.suppressed.iter().any(|c| c == CODE) {
                continue;
            }
            let Some(raw) = text.get(paragraph.range.clone()) else { continue };
            let sketch = sketcher.sketch(raw);
            if (sketch.words as usize) < config.min_paragraph_words {
                continue;
            }
            postings.clear();
            self.candidates(&sketch, &mut postings);
            postings.sort_unstable();
            postings.dedup();
            let older = |entry: &Entry| (entry.age, entry.info.path.as_path()) < (own, path);
            let Some(original) = self.original(&sketch, &postings, own_id, older, config) else { continue };
            let suppress = match draft.format {
                Format::Markdown => {
                    let lines = lines.get_or_insert_with(|| LineIndex::new(text));
                    Some(suppress_fix(text, lines, paragraph, draft.line_ending))
                }
                Format::Plain => None,
            };
            findings.push(finding(paragraph, &original, severity, suppress));
        }
        findings
    }

    /// The best older match of `sketch` among `postings`.
    fn original<'a>(
        &'a self,
        sketch: &ParagraphSketch,
        postings: &[Posting],
        own_id: Option<u32>,
        older: impl Fn(&Entry) -> bool,
        config: &Config,
    ) -> Option<Match<'a>> {
        let mut best: Option<Match<'a>> = None;
        for posting in postings {
            if Some(posting.draft) == own_id {
                continue;
            }
            let Some(entry) = self.entry(posting.draft) else { continue };
            let Some(paragraph) = entry.paragraphs.get(posting.paragraph as usize) else { continue };
            if (paragraph.sketch.words as usize) < config.min_paragraph_words || !older(entry) {
                continue;
            }
            let near = if paragraph.sketch.fingerprint == sketch.fingerprint {
                None
            } else {
                let (shared, union) = jaccard_counts(&sketch.bigrams, &paragraph.sketch.bigrams);
                if union == 0 || (shared as f64 / union as f64) < config.near_duplicate_threshold {
                    continue;
                }
                Some((shared, union))
            };
            let candidate = Match { entry, paragraph, near };
            if best.as_ref().is_none_or(|b| candidate.rank() < b.rank()) {
                best = Some(candidate);
            }
        }
        best
    }
}

fn finding(paragraph: &Paragraph, original: &Match, severity: Severity, suppress: Option<Fix>) -> Finding {
    let other = original.entry.info.describe();
    let message = match original.near {
        None => format!("Paragraph also stands in {other}"),
        Some((shared, union)) => {
            format!("Paragraph is {}% similar to one in {other}", shared * 100 / union.max(1))
        }
    };
    let mut fixes = vec![Fix {
        title: "Remove paragraph".to_string(),
        kind: FixKind::QuickFix,
        applicability: Applicability::Unsafe,
        edits: vec![Edit::delete(paragraph.removal.clone())],
    }];
    fixes.extend(suppress);
    Finding {
        code: CODE.to_string(),
        severity,
        message,
        range: paragraph.range.clone(),
        related: vec![Related {
            path: Some(original.entry.info.path.clone()),
            range: original.paragraph.start as usize..original.paragraph.end as usize,
            message: format!("also in {other}"),
        }],
        fixes,
        similarity: Some(original.similarity()),
    }
}

/// `<!-- galley-ignore cross-draft-duplicate -->` on its own line before the paragraph, inside
/// the same block quote or list item indentation (the line's leading `>` and spaces), so the
/// comment reaches the paragraph and nothing else moves.
fn suppress_fix(text: &str, lines: &LineIndex, paragraph: &Paragraph, line_ending: &str) -> Fix {
    let line_start = lines.line_range(text, lines.line_of(paragraph.range.start)).start;
    let lead = text.get(line_start..paragraph.range.start).unwrap_or_default();
    let prefix_len = lead.find(|c: char| !(c == '>' || c == ' ' || c == '\t')).unwrap_or(lead.len());
    let prefix = lead.get(..prefix_len).unwrap_or_default();
    Fix {
        title: "Ignore: quoted on purpose".to_string(),
        kind: FixKind::Suppress,
        applicability: Applicability::Unsafe,
        edits: vec![Edit::insert(line_start, format!("{prefix}<!-- galley-ignore {CODE} -->{line_ending}"))],
    }
}
