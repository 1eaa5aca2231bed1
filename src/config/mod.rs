//! What a newsroom configures: the profile (required fields, labels, language), thresholds,
//! per-rule severity, and which files are drafts. `galley.toml` is read into this by
//! [`file`]; the defaults here are what a draft gets with no config at all.

pub mod file;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::draft::FieldKind;
use crate::finding::Severity;

/// The language of a newsroom's drafts, which picks labels and month names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    Es,
    En,
}

/// Which fields a draft must have, and how its header is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub language: Language,
    pub required: Vec<FieldKind>,
    /// The two labels of the leaning meter, left then right (`Progresista`, `Conservador`).
    pub leaning_labels: [String; 2],
    /// The label before the publication date (`Publicado:`), without the colon.
    pub date_label: String,
}

impl Profile {
    pub fn for_language(language: Language) -> Profile {
        let (labels, date_label) = match language {
            Language::Es => (["Progresista", "Conservador"], "Publicado"),
            Language::En => (["Progressive", "Conservative"], "Published"),
        };
        Profile {
            language,
            required: vec![
                FieldKind::Leaning,
                FieldKind::Title,
                FieldKind::Subtitle,
                FieldKind::Date,
            ],
            leaning_labels: labels.map(String::from),
            date_label: date_label.to_string(),
        }
    }
}

impl Default for Profile {
    fn default() -> Self {
        Profile::for_language(Language::Es)
    }
}

/// A rule's configured level: a severity, or switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
}

/// Everything the analysis needs to know besides the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub profile: Profile,
    /// Word-bigram Jaccard similarity at or above which two paragraphs are near duplicates.
    pub near_duplicate_threshold: f64,
    /// Paragraphs with fewer words are never compared.
    pub min_paragraph_words: usize,
    /// Per-rule overrides, keyed by rule code (`missing-author`, `duplicate-paragraph`…).
    pub rules: BTreeMap<String, RuleLevel>,
    /// Globs (relative to the config's folder) of files that are drafts.
    pub include: Vec<String>,
    /// Globs of files that are never drafts, even when included.
    pub exclude: Vec<String>,
    /// The `galley.toml` this came from, if any.
    pub source: Option<PathBuf>,
    /// A fixed "now" for the date a `missing-date` fix inserts, so tests and snapshots are
    /// reproducible; `None` uses the system clock.
    pub now: Option<jiff::civil::DateTime>,
}

pub const DEFAULT_NEAR_DUPLICATE_THRESHOLD: f64 = 0.6;
pub const DEFAULT_MIN_PARAGRAPH_WORDS: usize = 8;

impl Default for Config {
    fn default() -> Self {
        Config {
            profile: Profile::default(),
            near_duplicate_threshold: DEFAULT_NEAR_DUPLICATE_THRESHOLD,
            min_paragraph_words: DEFAULT_MIN_PARAGRAPH_WORDS,
            rules: BTreeMap::new(),
            include: vec!["**/*.txt".into(), "**/*.md".into()],
            exclude: vec![
                "**/README*".into(),
                "**/CHANGELOG*".into(),
                "**/LICENSE*".into(),
                "**/CONTRIBUTING*".into(),
                "**/CODE_OF_CONDUCT*".into(),
                "**/node_modules/**".into(),
                "**/target/**".into(),
            ],
            source: None,
            now: None,
        }
    }
}

impl Config {
    /// The severity a finding of `code` gets, or `None` when the rule is off.
    pub fn level(&self, code: &str, default: Severity) -> Option<Severity> {
        match self.rules.get(code) {
            Some(RuleLevel::Off) => None,
            Some(RuleLevel::On(sev)) => Some(*sev),
            None => Some(default),
        }
    }
}
