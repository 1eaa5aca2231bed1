//! Findings for programs: one JSON document on stdout (schema documented in the README under
//! "Output formats"). Positions are 1-based; columns count characters (Unicode scalar values);
//! ends are exclusive (the position just after the last character).

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::finding::{Applicability, Edit, Finding, Fix, FixKind, Related, Severity};
use crate::position::LineIndex;

use super::report::{CheckedFile, Counts, Failure, Outcome};

/// Bumped when a field changes meaning or disappears (adding fields does not bump it).
const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    files: Vec<FileJson<'a>>,
    errors: Vec<ErrorJson<'a>>,
    summary: SummaryJson,
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: String,
    findings: Vec<FindingJson<'a>>,
    fixed: usize,
}

#[derive(Serialize)]
struct Span {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    #[serde(flatten)]
    span: Span,
    similarity: Option<f64>,
    related: Vec<RelatedJson<'a>>,
    fixes: Vec<FixJson<'a>>,
}

#[derive(Serialize)]
struct RelatedJson<'a> {
    path: String,
    #[serde(flatten)]
    span: Option<Span>,
    message: &'a str,
}

#[derive(Serialize)]
struct FixJson<'a> {
    title: &'a str,
    kind: FixKind,
    applicability: Applicability,
    edits: Vec<EditJson<'a>>,
}

#[derive(Serialize)]
struct EditJson<'a> {
    #[serde(flatten)]
    span: Span,
    replacement: &'a str,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
}

#[derive(Serialize)]
struct SummaryJson {
    files_checked: usize,
    files_with_findings: usize,
    findings: usize,
    by_severity: BySeverity,
    fixable: usize,
    fixed: usize,
    errors: usize,
}

#[derive(Serialize)]
struct BySeverity {
    error: usize,
    warning: usize,
    info: usize,
    hint: usize,
}

/// Writes the whole run as one JSON document, followed by a newline.
pub fn render(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let counts = outcome.counts();
    let document = Document {
        version: SCHEMA_VERSION,
        files: outcome.files.iter().map(file_json).collect(),
        errors: outcome.failures.iter().map(error_json).collect(),
        summary: summary_json(&counts),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn file_json(file: &CheckedFile) -> FileJson<'_> {
    let index = LineIndex::new(&file.text);
    let at = Locator {
        text: &file.text,
        index: &index,
    };
    FileJson {
        path: display(&file.path),
        findings: file
            .findings
            .iter()
            .map(|f| finding_json(f, file, &at))
            .collect(),
        fixed: file.fixed,
    }
}

struct Locator<'a> {
    text: &'a str,
    index: &'a LineIndex,
}

impl Locator<'_> {
    fn span(&self, range: &std::ops::Range<usize>) -> Span {
        let (line, column) = self.index.to_display(self.text, range.start);
        let (end_line, end_column) = self.index.to_display(self.text, range.end);
        Span {
            line,
            column,
            end_line,
            end_column,
        }
    }
}

fn finding_json<'a>(finding: &'a Finding, file: &CheckedFile, at: &Locator<'_>) -> FindingJson<'a> {
    FindingJson {
        code: &finding.code,
        severity: finding.severity,
        message: &finding.message,
        span: at.span(&finding.range),
        similarity: finding.similarity,
        related: finding
            .related
            .iter()
            .map(|r| related_json(r, file, at))
            .collect(),
        fixes: finding.fixes.iter().map(|fix| fix_json(fix, at)).collect(),
    }
}

/// A location in another draft keeps its path, and its position when that draft was checked in
/// the same run (it always is for a cross-draft duplicate).
fn related_json<'a>(related: &'a Related, file: &CheckedFile, at: &Locator<'_>) -> RelatedJson<'a> {
    let own = file.path.as_path();
    match related.path.as_deref().filter(|p| *p != own) {
        Some(other) => RelatedJson {
            path: display(other),
            span: file.place(other, &related.range).map(|place| Span {
                line: place.line,
                column: place.column,
                end_line: place.end_line,
                end_column: place.end_column,
            }),
            message: &related.message,
        },
        None => RelatedJson {
            path: display(own),
            span: Some(at.span(&related.range)),
            message: &related.message,
        },
    }
}

fn fix_json<'a>(fix: &'a Fix, at: &Locator<'_>) -> FixJson<'a> {
    FixJson {
        title: &fix.title,
        kind: fix.kind,
        applicability: fix.applicability,
        edits: fix.edits.iter().map(|edit| edit_json(edit, at)).collect(),
    }
}

fn edit_json<'a>(edit: &'a Edit, at: &Locator<'_>) -> EditJson<'a> {
    EditJson {
        span: at.span(&edit.range),
        replacement: &edit.replacement,
    }
}

fn error_json(failure: &Failure) -> ErrorJson<'_> {
    ErrorJson {
        path: display(&failure.path),
        line: failure.line,
        column: failure.column,
        message: &failure.message,
    }
}

fn summary_json(counts: &Counts) -> SummaryJson {
    SummaryJson {
        files_checked: counts.files_checked,
        files_with_findings: counts.files_with_findings,
        findings: counts.findings,
        by_severity: BySeverity {
            error: counts.errors,
            warning: counts.warnings,
            info: counts.infos,
            hint: counts.hints,
        },
        fixable: counts.fixable,
        fixed: counts.fixed,
        errors: counts.failures,
    }
}

/// Paths with `/` separators on every platform, so documents compare equal across machines.
fn display(path: &Path) -> String {
    let shown = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        shown.into_owned()
    } else {
        shown.replace(std::path::MAIN_SEPARATOR, "/")
    }
}
