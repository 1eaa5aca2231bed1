//! What a `galley check` run produced, independent of how it is printed.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::config::file::ConfigError;
use crate::finding::{Applicability, Finding, FixKind, Severity};

/// One draft that was read and analysed.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    /// The path as it was found (relative to the current folder when the argument was).
    pub path: PathBuf,
    /// The text the findings' ranges refer to (after `--fix`, the fixed text), without a BOM.
    /// Left empty when there are no findings, so a large run does not keep every file.
    pub text: String,
    pub findings: Vec<Finding>,
    /// How many findings `--fix` removed from this file.
    pub fixed: usize,
    /// With `--diff`: the unified diff the safe fixes would make, when they change something.
    pub diff: Option<String>,
    /// Where the findings' related locations in other checked files are (a cross-draft
    /// duplicate's original), placed while those files' texts were at hand.
    pub elsewhere: Vec<Place>,
}

impl CheckedFile {
    /// The place of a related location in another file, if it was placed.
    pub fn place(&self, path: &Path, range: &Range<usize>) -> Option<&Place> {
        self.elsewhere
            .iter()
            .find(|p| p.path == path && p.range == *range)
    }
}

/// A byte range of another checked file, with its 1-based lines and character columns (end
/// exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub path: PathBuf,
    pub range: Range<usize>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// A file or config that could not be used; the rest of the run goes on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub path: PathBuf,
    /// 1-based position in the file, when the problem has one (a config syntax error).
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Failure {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Failure {
        Failure {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(err: ConfigError) -> Failure {
        let message = match &err.key {
            Some(key) => format!("`{key}`: {}", err.message),
            None => err.message.clone(),
        };
        Failure {
            path: err.path,
            line: err.line,
            column: err.column,
            message,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything one run produced: checked files sorted by path, and what failed.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub files: Vec<CheckedFile>,
    pub failures: Vec<Failure>,
}

/// Totals over an [`Outcome`], for summary lines and the exit code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub files_checked: usize,
    pub files_with_findings: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
    /// Findings that carry a safe fix (what `--fix` would apply).
    pub fixable: usize,
    pub fixed: usize,
    /// Files that `--fix` rewrote.
    pub fixed_files: usize,
    pub failures: usize,
}

impl Outcome {
    pub fn counts(&self) -> Counts {
        let mut counts = Counts {
            files_checked: self.files.len(),
            failures: self.failures.len(),
            ..Counts::default()
        };
        for file in &self.files {
            counts.fixed += file.fixed;
            if file.fixed > 0 {
                counts.fixed_files += 1;
            }
            if !file.findings.is_empty() {
                counts.files_with_findings += 1;
            }
            for finding in &file.findings {
                counts.findings += 1;
                match finding.severity {
                    Severity::Error => counts.errors += 1,
                    Severity::Warning => counts.warnings += 1,
                    Severity::Info => counts.infos += 1,
                    Severity::Hint => counts.hints += 1,
                }
                if has_safe_fix(finding) {
                    counts.fixable += 1;
                }
            }
        }
        counts
    }
}

/// Whether `--fix` would apply one of the finding's fixes (a suppression comment is never a
/// repair, whatever its applicability).
pub fn has_safe_fix(finding: &Finding) -> bool {
    finding
        .fixes
        .iter()
        .any(|fix| fix.applicability == Applicability::Safe && fix.kind == FixKind::QuickFix)
}
