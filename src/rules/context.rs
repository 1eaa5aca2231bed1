//! What every rule sees: the text, the draft read from it, the configuration, the paragraph
//! sketches, and a few things several rules need that are computed at most once per analysis
//! (line numbers, which paragraphs repeat an earlier one).

use std::cell::OnceCell;

use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::draft::{Draft, Format, Paragraph};
use crate::finding::{Applicability, Edit, Fix, FixKind, Severity};
use crate::position::LineIndex;
use crate::similarity::Sketch;

pub struct Context<'a> {
    pub text: &'a str,
    pub draft: &'a Draft,
    pub config: &'a Config,
    /// One sketch per paragraph of `draft`, in the same order.
    sketches: &'a [Sketch],
    lines: OnceCell<LineIndex>,
    earlier_copies: OnceCell<Vec<Option<usize>>>,
}

impl<'a> Context<'a> {
    pub fn new(
        text: &'a str,
        draft: &'a Draft,
        config: &'a Config,
        sketches: &'a [Sketch],
    ) -> Self {
        Context {
            text,
            draft,
            config,
            sketches,
            lines: OnceCell::new(),
            earlier_copies: OnceCell::new(),
        }
    }

    /// The configured severity of `code`, or `None` when the rule is off.
    pub fn severity(&self, code: &str, default: Severity) -> Option<Severity> {
        self.config.level(code, default)
    }

    /// The 1-based line of a byte offset, for messages.
    pub fn line_number(&self, offset: usize) -> usize {
        self.line_index().to_display(self.text, offset).0
    }

    pub fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.text))
    }

    /// The text of paragraph `index` (empty if the reader gave a range outside the text).
    pub fn paragraph_text(&self, index: usize) -> &'a str {
        self.draft
            .paragraphs
            .get(index)
            .and_then(|p| self.text.get(p.range.clone()))
            .unwrap_or_default()
    }

    pub fn sketch(&self, index: usize) -> Option<&'a Sketch> {
        self.sketches.get(index)
    }

    /// Whether paragraph `index` is long enough to be compared with others.
    pub fn is_compared(&self, index: usize) -> bool {
        self.sketch(index)
            .is_some_and(|s| s.words as usize >= self.config.min_paragraph_words)
    }

    /// For each paragraph, the first earlier paragraph with the same normalised text, if it is
    /// long enough to be compared and has one.
    pub fn earlier_copies(&self) -> &[Option<usize>] {
        self.earlier_copies.get_or_init(|| {
            let count = self.draft.paragraphs.len();
            let mut first: FxHashMap<u64, usize> =
                FxHashMap::with_capacity_and_hasher(count, Default::default());
            (0..count)
                .map(|index| {
                    let sketch = self.sketch(index).filter(|_| self.is_compared(index))?;
                    let original = *first.entry(sketch.fingerprint).or_insert(index);
                    (original != index).then_some(original)
                })
                .collect()
        })
    }

    /// Suppression fixes for a finding on `paragraph`: Markdown only, as HTML comments are
    /// invisible there; a plain draft has no comment syntax.
    pub fn suppress_fixes(&self, code: &str, paragraph: &Paragraph) -> Vec<Fix> {
        if self.draft.format != Format::Markdown {
            return Vec::new();
        }
        let le = self.draft.line_ending;
        let line_start = {
            let index = self.line_index();
            index
                .line_range(self.text, index.line_of(paragraph.range.start))
                .start
        };
        let file_comment = format!("<!-- galley-ignore-file {code} -->");
        // Silencing is a decision for the writer, never something to apply in bulk.
        vec![
            Fix {
                title: format!("Ignore {code} for this paragraph"),
                kind: FixKind::Suppress,
                applicability: Applicability::Unsafe,
                edits: vec![Edit::insert(
                    line_start,
                    format!("<!-- galley-ignore {code} -->{le}"),
                )],
            },
            Fix {
                title: format!("Ignore {code} in this file"),
                kind: FixKind::Suppress,
                applicability: Applicability::Unsafe,
                edits: vec![self.insert_line(self.draft.body_start, &file_comment)],
            },
        ]
    }

    /// An edit inserting `line` as a whole line at `at`, a line start or the end of the text:
    /// at the end of a last line without a line break, the break goes before the new line.
    pub fn insert_line(&self, at: usize, line: &str) -> Edit {
        let le = self.draft.line_ending;
        let before = self.text.get(..at).unwrap_or_default();
        let after_bom_only = before.is_empty() || before == "\u{FEFF}";
        if after_bom_only || before.ends_with(['\n', '\r']) {
            Edit::insert(at, format!("{line}{le}"))
        } else if at >= self.text.len() {
            Edit::insert(at, format!("{le}{line}"))
        } else {
            Edit::insert(at, format!("{le}{line}{le}"))
        }
    }

    /// The date and time a `missing-date` fix inserts: the configured "now" (for reproducible
    /// output) or the local clock.
    pub fn now(&self) -> jiff::civil::DateTime {
        self.config
            .now
            .unwrap_or_else(|| jiff::ZonedDateTime::now().datetime())
    }
}
