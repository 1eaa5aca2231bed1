//! `cross-draft-duplicate`: a paragraph that also stands, exactly or nearly, in another draft
//! of the workspace. Only the newer copy is flagged, pointing at the oldest draft that has it
//! (see [`super::age`]); the original is left alone.

use std::path::Path;

use super::age::Age;
use super::index::{Entry, Index, IndexedParagraph, modified_time, publication_date, text_hash};
use super::postings::{DraftSet, Posting};
use super::sketch::{ParagraphSketch, Sketcher};
use crate::config::Config;
use crate::draft::{Draft, Format, Paragraph};
use crate::finding::{Applicability, Edit, Finding, Fix, FixKind, Related, Severity};
use crate::position::LineIndex;
use crate::similarity::shingles::jaccard_counts;

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
        (
            self.near.is_some(),
            self.entry.age,
            self.entry.info.path.as_path(),
            self.paragraph.start,
        )
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
    pub fn cross_draft_findings(
        &self,
        path: &Path,
        text: &str,
        draft: &Draft,
        config: &Config,
    ) -> Vec<Finding> {
        let Some(severity) = config.level(CODE, Severity::Warning) else {
            return Vec::new();
        };
        if draft.file_suppressed.iter().any(|c| c == CODE) {
            return Vec::new();
        }
        let own_id = self.id(path);
        let own_entry = own_id.and_then(|id| self.entry(id));
        let modified = own_entry.map_or_else(|| modified_time(path), |e| e.info.modified);
        // Looking up the very text that was indexed (`galley check`, or an open document right
        // after its upsert): its paragraphs were sketched then.
        let indexed = own_entry.filter(|e| e.text_hash == text_hash(text));
        let mut lookup = Lookup {
            index: self,
            path,
            own_id,
            own: Age::new(publication_date(draft), modified),
            config,
            exact_drafts: DraftSet::new(self.slots()),
            near: Vec::new(),
        };
        let mut sketcher = Sketcher::default();
        let mut lines: Option<LineIndex> = None;
        let mut findings = Vec::new();
        for paragraph in &draft.paragraphs {
            if paragraph.suppressed.iter().any(|c| c == CODE) {
                continue;
            }
            let Some(raw) = text.get(paragraph.range.clone()) else {
                continue;
            };
            let fresh;
            let sketch = match indexed
                .and_then(|e| e.sketch_at(paragraph.range.start, paragraph.range.end))
            {
                Some(sketch) => sketch,
                None => {
                    fresh = sketcher.sketch(raw);
                    &fresh
                }
            };
            if (sketch.words as usize) < config.min_paragraph_words {
                continue;
            }
            let Some(original) = lookup.original(sketch) else {
                continue;
            };
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
}

/// One draft's lookup: who it is, and buffers reused from paragraph to paragraph.
struct Lookup<'a> {
    index: &'a Index,
    path: &'a Path,
    own_id: Option<u32>,
    own: Age,
    config: &'a Config,
    /// Drafts holding the current paragraph word for word.
    exact_drafts: DraftSet,
    near: Vec<Posting>,
}

impl<'a> Lookup<'a> {
    /// The best match of `sketch` in an older draft: an exact copy in the oldest draft that
    /// has one, else the near copy in the oldest draft, else none.
    fn original(&mut self, sketch: &ParagraphSketch) -> Option<Match<'a>> {
        let mut best: Option<Match<'a>> = None;
        self.exact_drafts.clear();
        for &posting in self.index.exact(sketch.fingerprint) {
            self.exact_drafts.insert(posting.draft);
            if let Some((entry, paragraph)) = self.older_paragraph(posting) {
                consider(
                    &mut best,
                    Match {
                        entry,
                        paragraph,
                        near: None,
                    },
                );
            }
        }
        if best.is_some() {
            return best;
        }
        // A draft holding the paragraph word for word is newer (an older one would have
        // matched above), so none of its paragraphs can be the original: with a paragraph
        // shared by thousands of drafts, this skips nearly every band posting unexamined.
        let (near, exact_drafts) = (&mut self.near, &self.exact_drafts);
        near.clear();
        for &key in sketch.bands.iter().flatten() {
            let postings = self.index.banded(key);
            near.extend(postings.iter().filter(|p| !exact_drafts.contains(p.draft)));
        }
        near.sort_unstable();
        near.dedup();
        for &posting in &self.near {
            let Some((entry, paragraph)) = self.older_paragraph(posting) else {
                continue;
            };
            let (shared, union) = jaccard_counts(&sketch.bigrams, &paragraph.sketch.bigrams);
            if union > 0 && shared as f64 / union as f64 >= self.config.near_duplicate_threshold {
                consider(
                    &mut best,
                    Match {
                        entry,
                        paragraph,
                        near: Some((shared, union)),
                    },
                );
            }
        }
        best
    }

    /// The posting's draft and paragraph, if the draft is another, older one and the
    /// paragraph is long enough to compare.
    fn older_paragraph(&self, posting: Posting) -> Option<(&'a Entry, &'a IndexedParagraph)> {
        if Some(posting.draft) == self.own_id {
            return None;
        }
        let entry = self.index.entry(posting.draft)?;
        let paragraph = entry.paragraphs.get(posting.paragraph as usize)?;
        let long_enough = paragraph.sketch.words as usize >= self.config.min_paragraph_words;
        let older = (entry.age, entry.info.path.as_path()) < (self.own, self.path);
        (long_enough && older).then_some((entry, paragraph))
    }
}

fn consider<'a>(best: &mut Option<Match<'a>>, candidate: Match<'a>) {
    if best.as_ref().is_none_or(|b| candidate.rank() < b.rank()) {
        *best = Some(candidate);
    }
}

fn finding(
    paragraph: &Paragraph,
    original: &Match,
    severity: Severity,
    suppress: Option<Fix>,
) -> Finding {
    let other = original.entry.info.describe();
    let message = match original.near {
        None => format!("Paragraph also stands in {other}"),
        // As in `near-duplicate-paragraph`: equal word pairs with another fingerprint differ
        // only in punctuation, which "100% similar" would hide.
        Some((shared, union)) if shared == union => {
            format!("Paragraph has the same words as one in {other}, differing only in punctuation")
        }
        Some((shared, union)) => {
            format!(
                "Paragraph is {}% similar to one in {other}",
                shared * 100 / union.max(1)
            )
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
    let line_start = lines
        .line_range(text, lines.line_of(paragraph.range.start))
        .start;
    let lead = text
        .get(line_start..paragraph.range.start)
        .unwrap_or_default();
    let prefix_len = lead
        .find(|c: char| !(c == '>' || c == ' ' || c == '\t'))
        .unwrap_or(lead.len());
    let prefix = lead.get(..prefix_len).unwrap_or_default();
    Fix {
        title: "Ignore: quoted on purpose".to_string(),
        kind: FixKind::Suppress,
        applicability: Applicability::Unsafe,
        edits: vec![Edit::insert(
            line_start,
            format!("{prefix}<!-- galley-ignore {CODE} -->{line_ending}"),
        )],
    }
}
