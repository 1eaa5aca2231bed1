//! Findings for people, in the rustc/ruff style:
//!
//! ```text
//! drafts/nota.txt:7:1: warning[duplicate-paragraph] this paragraph repeats an earlier one
//!   |
//! 5 | La carta de la ministra…
//!   | ------------------------ first appears here
//!   |
//!  :::
//! 7 | La carta de la ministra…
//!   | ^^^^^^^^^^^^^^^^^^^^^^^^
//!   |
//!   = help: remove the repeated paragraph (applied by `galley check --fix`)
//! ```
//!
//! Headers always carry colour codes, which the caller's stream (anstream) strips when colour is
//! off; snippets are rendered plain then, so their lines can be trimmed.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::finding::{Applicability, Finding, FixKind, Severity};
use crate::position::LineIndex;

use super::check::Mode;
use super::report::{CheckedFile, Counts, Outcome};

/// A paragraph is a long line: underlining all of it drowns the output, so the underline stops
/// after this many characters (the rest of the line is elided at the terminal width anyway).
const MAX_UNDERLINE_CHARS: usize = 60;

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;91m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;94m",
        Severity::Hint => "\x1b[1;92m",
    }
}

/// Prints the findings (or, with `--diff`, the diffs) to `out`, then the failures to `err` and
/// a summary. `styled`: whether `out` shows colour.
pub fn render(
    outcome: &Outcome,
    mode: Mode,
    styled: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    let counts = outcome.counts();
    if mode == Mode::Diff {
        for diff in outcome.files.iter().filter_map(|f| f.diff.as_deref()) {
            out.write_all(diff.as_bytes())?;
        }
        out.flush()?;
        failures(outcome, err)?;
        let changed = outcome.files.iter().filter(|f| f.diff.is_some()).count();
        return if changed == 0 {
            writeln!(err, "No safe fixes to apply.")
        } else {
            writeln!(
                err,
                "Would fix {} in {}.",
                plural(counts.fixable, "problem"),
                plural(changed, "file")
            )
        };
    }
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for file in outcome.files.iter().filter(|f| !f.findings.is_empty()) {
        let index = LineIndex::new(&file.text);
        for finding in &file.findings {
            write_finding(out, &renderer, file, &index, finding, mode)?;
        }
    }
    out.flush()?;
    failures(outcome, err)?;
    err.flush()?;
    summary(out, &counts, mode)
}

/// Prints each file or config that could not be used, one `error:` line each.
pub fn failures(outcome: &Outcome, err: &mut dyn Write) -> io::Result<()> {
    for failure in &outcome.failures {
        writeln!(
            err,
            "{}error{RESET}{BOLD}:{RESET} {failure}",
            severity_style(Severity::Error)
        )?;
    }
    Ok(())
}

fn write_finding(
    out: &mut dyn Write,
    renderer: &Renderer,
    file: &CheckedFile,
    index: &LineIndex,
    finding: &Finding,
    mode: Mode,
) -> io::Result<()> {
    let text = &file.text;
    let (line, column) = index.to_display(text, finding.range.start);
    writeln!(
        out,
        "{BOLD}{}:{line}:{column}:{RESET} {}{}[{}]{RESET} {BOLD}{}{RESET}",
        file.path.display(),
        severity_style(finding.severity),
        finding.severity.as_str(),
        finding.code,
        finding.message
    )?;

    // The finding's line and each related line in this file, in file order, each its own
    // snippet: the original of a duplicate shows beside its copy, and lines far apart cost
    // nothing to render.
    let mut snippets = vec![(line - 1, AnnotationKind::Primary, &finding.range, None)];
    let mut elsewhere = Vec::new();
    for related in &finding.related {
        match related.path.as_deref().filter(|p| *p != file.path) {
            Some(other) => elsewhere.push(match file.place(other, &related.range) {
                Some(place) => format!(
                    "{}:{}:{}: {}",
                    other.display(),
                    place.line,
                    place.column,
                    related.message
                ),
                None => format!("{}: {}", other.display(), related.message),
            }),
            None => snippets.push((
                index.line_of(related.range.start),
                AnnotationKind::Context,
                &related.range,
                Some(related.message.as_str()),
            )),
        }
    }
    snippets.sort_by_key(|(line, kind, ..)| (*line, *kind == AnnotationKind::Context));
    let mut group = Group::with_level(level(finding.severity));
    for (line, kind, range, label) in snippets {
        let line_range = index.line_range(text, line);
        let source = &text[line_range.clone()];
        let start = range.start.clamp(line_range.start, line_range.end) - line_range.start;
        let end = range.end.clamp(line_range.start, line_range.end) - line_range.start;
        let end = clip_underline(source, start, end.max(start));
        let annotation = kind.span(start..end).label(label);
        group = group.element(
            Snippet::source(source)
                .line_start(line + 1)
                .annotation(annotation),
        );
    }
    for note in elsewhere {
        group = group.element(Level::NOTE.message(note));
    }
    if let Some(fix) = finding.fixes.iter().find(|f| f.kind == FixKind::QuickFix) {
        let applied = if fix.applicability == Applicability::Safe && mode == Mode::Check {
            " (applied by `galley check --fix`)"
        } else {
            ""
        };
        group = group.element(Level::HELP.message(format!("{}{applied}", fix.title)));
    }
    // The renderer pads some gutter lines (` ::: `); trailing blanks only upset diffs.
    for rendered in renderer.render(&[group]).lines() {
        writeln!(out, "{}", rendered.trim_end())?;
    }
    writeln!(out)
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::HELP,
    }
}

/// Ends the underline at most [`MAX_UNDERLINE_CHARS`] characters after `start`.
fn clip_underline(source: &str, start: usize, end: usize) -> usize {
    source[start..end]
        .char_indices()
        .nth(MAX_UNDERLINE_CHARS)
        .map_or(end, |(i, _)| start + i)
}

fn summary(out: &mut dyn Write, counts: &Counts, mode: Mode) -> io::Result<()> {
    if mode == Mode::Fix && counts.fixed > 0 {
        let files = plural(counts.fixed_files, "file");
        writeln!(out, "Fixed {} in {files}.", plural(counts.fixed, "problem"))?;
    }
    if counts.findings == 0 {
        writeln!(
            out,
            "Checked {}: no problems found.",
            plural(counts.files_checked, "file")
        )?;
    } else {
        let by_severity: Vec<String> = [
            (counts.errors, "error"),
            (counts.warnings, "warning"),
            (counts.infos, "info"),
            (counts.hints, "hint"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| plural(n, what))
        .collect();
        writeln!(
            out,
            "Found {} ({}) in {} of {}.",
            plural(counts.findings, "problem"),
            by_severity.join(", "),
            counts.files_with_findings,
            plural(counts.files_checked, "file")
        )?;
        if mode == Mode::Check && counts.fixable > 0 {
            writeln!(
                out,
                "{} can be fixed with `galley check --fix`.",
                counts.fixable
            )?;
        }
    }
    if counts.failures > 0 {
        writeln!(
            out,
            "{} could not be checked (see the errors above).",
            plural(counts.failures, "path")
        )?;
    }
    Ok(())
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underline_stops_after_the_limit_on_a_character_boundary() {
        let line = "ñ".repeat(100);
        let end = clip_underline(&line, 2, line.len());
        assert_eq!(end, 2 + MAX_UNDERLINE_CHARS * 2);
        assert_eq!(clip_underline("corto", 0, 5), 5);
    }

    #[test]
    fn plural_counts() {
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(0, "file"), "0 files");
        assert_eq!(plural(3, "problem"), "3 problems");
    }
}
