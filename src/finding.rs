//! What the analysis core returns: findings with a stable rule code, a severity, byte ranges,
//! related locations and fixes. Plain data: no LSP and no terminal types live here, so the CLI
//! and the language server are two thin renderings of the same values.

use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

/// How serious a finding is. Ordered so that `Error > Warning > Info > Hint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One text replacement: the bytes in `range` of the original text become `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn delete(range: Range<usize>) -> Self {
        Edit {
            range,
            replacement: String::new(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit {
            range: at..at,
            replacement: text.into(),
        }
    }

    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Self {
        Edit {
            range,
            replacement: text.into(),
        }
    }
}

/// Whether a fix may be applied without a human looking at it (ruff's applicability).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Applied by `galley check --fix` and by fix-all.
    Safe,
    /// Offered as a quick fix, never applied in bulk (it changes meaning or needs completing).
    Unsafe,
}

/// What a fix does, so front ends can present it (a quick fix vs. a suppression comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    QuickFix,
    Suppress,
}

/// A titled set of sorted, non-overlapping edits that together repair (or silence) a finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    pub title: String,
    pub kind: FixKind,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// Another place a finding refers to: the first occurrence of a duplicate, for instance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    /// `None` for the analysed document itself; the other draft's path otherwise.
    pub path: Option<PathBuf>,
    /// Byte range in that document's text.
    pub range: Range<usize>,
    pub message: String,
}

/// One problem found in a draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable kebab-case rule code, e.g. `duplicate-paragraph` or `missing-date`.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// Byte range in the analysed text that the finding points at.
    pub range: Range<usize>,
    pub related: Vec<Related>,
    /// Fixes, the preferred one first.
    pub fixes: Vec<Fix>,
    /// Similarity to the related original in `0.0..=1.0`, for duplicate rules.
    pub similarity: Option<f64>,
}
