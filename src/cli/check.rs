//! The `galley check` pipeline: collect the drafts, analyse them in parallel (applying or
//! previewing safe fixes), index them all in a workspace index, add each draft's cross-draft
//! duplicates, print, and turn the result into an exit status.
//!
//! Each file is read once: the pass that analyses it also sketches it for the index, so the
//! index costs one insertion pass (of the few keys two drafts share) and one parallel lookup
//! pass, not a second walk.

use std::fs;
use std::io::{self, IsTerminal, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analysis::analyze;
use crate::draft::{Draft, Format};
use crate::finding::{Finding, Severity};
use crate::fix::fix_all;
use crate::position::LineIndex;
use crate::workspace::{self, BatchIndex, LoadedDraft};

use super::args::{CheckArgs, OutputFormat};
use super::files::{self, Scope, Target};
use super::fix::{unified_diff, write_atomically};
use super::report::{CheckedFile, Failure, Outcome, Place, has_safe_fix};
use super::{render_human, render_json};

/// Below this many files a run is too short for a progress bar to help.
const PROGRESS_MIN_FILES: usize = 200;

/// How a run ended, as the process exit code says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 0: nothing at warning level or above.
    Clean,
    /// 1: some finding at warning level or above remains.
    Findings,
    /// 2: a usage, config or I/O error.
    Failure,
}

impl Status {
    pub fn code(self) -> u8 {
        match self {
            Status::Clean => 0,
            Status::Findings => 1,
            Status::Failure => 2,
        }
    }

    fn of(outcome: &Outcome) -> Status {
        let serious = outcome
            .files
            .iter()
            .flat_map(|f| &f.findings)
            .any(|f| f.severity >= Severity::Warning);
        if !outcome.failures.is_empty() {
            Status::Failure
        } else if serious {
            Status::Findings
        } else {
            Status::Clean
        }
    }
}

/// What a run does with safe fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Check,
    Fix,
    Diff,
}

impl Mode {
    fn of(args: &CheckArgs) -> Mode {
        if args.diff {
            Mode::Diff
        } else if args.fix {
            Mode::Fix
        } else {
            Mode::Check
        }
    }
}

/// Runs `galley check` and prints its output (findings on stdout, errors and progress on
/// stderr; colour only on a terminal).
pub fn run(args: &CheckArgs) -> Status {
    // Buffered: a large report is thousands of lines. Colour as anstream decides for stdout
    // (a terminal, `NO_COLOR`, `CLICOLOR_FORCE`).
    let choice = anstream::AutoStream::choice(&io::stdout());
    let mut stdout = io::BufWriter::new(anstream::AutoStream::new(io::stdout(), choice));
    let styled = choice != anstream::ColorChoice::Never;
    let mut stderr = anstream::stderr();
    if args.diff && args.format == OutputFormat::Json {
        let _ = writeln!(
            stderr,
            "error: `--diff` prints a diff, so it cannot be combined with `--format json`"
        );
        return Status::Failure;
    }
    let outcome = match check(args) {
        Ok(outcome) => outcome,
        Err(failure) => {
            let _ = writeln!(stderr, "error: {failure}");
            return Status::Failure;
        }
    };
    let mode = Mode::of(args);
    let printed = match args.format {
        OutputFormat::Human => {
            render_human::render(&outcome, mode, styled, &mut stdout, &mut stderr)
        }
        OutputFormat::Json => render_human::failures(&outcome, &mut stderr)
            .and_then(|()| render_json::render(&outcome, &mut stdout)),
    };
    match printed.and_then(|()| stdout.flush()) {
        Ok(()) => Status::of(&outcome),
        // The reader went away (`galley check | head`): what was found still decides the status.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Status::of(&outcome),
        Err(e) => {
            let _ = writeln!(stderr, "error: cannot write the report: {e}");
            Status::Failure
        }
    }
}

/// Collects, analyses and (with `--fix`) repairs the drafts, without printing anything but a
/// progress bar. `Err` only when the run cannot start (an unusable `--config`).
pub fn check(args: &CheckArgs) -> Result<Outcome, Failure> {
    let collected = files::collect(&args.paths, args.config.as_deref())?;
    let mode = Mode::of(args);
    let progress = progress_bar(args, collected.targets.len());
    let results: Vec<Result<Read, Failure>> = collected
        .targets
        .par_iter()
        .map(|target| {
            let result = check_guarded(target, mode);
            progress.inc(1);
            result
        })
        .collect();
    progress.finish_and_clear();

    let mut outcome = Outcome {
        files: Vec::with_capacity(results.len()),
        failures: collected.failures,
    };
    let mut read = Vec::with_capacity(results.len());
    let mut sketches = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(mut file) => {
                sketches.extend(file.sketch.take());
                read.push(file);
            }
            Err(failure) => outcome.failures.push(failure),
        }
    }
    let index = BatchIndex::new(sketches);
    add_cross_draft_findings(&index, &mut read, &mut outcome.failures);
    outcome.files = read
        .into_iter()
        .map(|read| {
            let mut file = read.file;
            if file.findings.is_empty() {
                // Only the texts of files with findings are needed to print them.
                file.text = String::new();
            }
            file
        })
        .collect();
    outcome.failures.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(outcome)
}

/// A file read and analysed, with what the workspace lookup needs: its text (kept in `file`),
/// its draft, its configuration and its sketch for the index.
struct Read {
    file: CheckedFile,
    draft: Draft,
    scope: Arc<Scope>,
    sketch: Option<LoadedDraft>,
}

/// A file's cross-draft findings and where their originals are.
type CrossDraft = (Vec<Finding>, Vec<Place>);

/// Adds each file's `cross-draft-duplicate` findings (against every other checked file) and
/// places their related locations in the other files, whose texts are all at hand here.
fn add_cross_draft_findings(index: &BatchIndex, read: &mut [Read], failures: &mut Vec<Failure>) {
    let by_path: FxHashMap<&Path, usize> = read
        .iter()
        .enumerate()
        .map(|(i, r)| (r.file.path.as_path(), i))
        .collect();
    let found: Vec<Result<CrossDraft, Failure>> = read
        .par_iter()
        .map(|r| {
            catch_unwind(AssertUnwindSafe(|| {
                let file = &r.file;
                let findings =
                    index.cross_draft_findings(&file.path, &file.text, &r.draft, &r.scope.config);
                let places = places(&findings, read, &by_path);
                (findings, places)
            }))
            .map_err(|_| {
                Failure::new(
                    &r.file.path,
                    "internal error while looking for cross-draft duplicates (please report it)",
                )
            })
        })
        .collect();
    for (r, found) in read.iter_mut().zip(found) {
        match found {
            Ok((findings, places)) if !findings.is_empty() => {
                let file = &mut r.file;
                file.findings.extend(findings);
                // As the analysis orders findings: by range start, then code.
                file.findings.sort_by(|a, b| {
                    a.range
                        .start
                        .cmp(&b.range.start)
                        .then_with(|| a.code.cmp(&b.code))
                });
                file.elsewhere = places;
            }
            Ok(_) => {}
            Err(failure) => failures.push(failure),
        }
    }
}

/// Where the findings' related locations in other checked files are.
fn places(findings: &[Finding], read: &[Read], by_path: &FxHashMap<&Path, usize>) -> Vec<Place> {
    let mut places = Vec::new();
    let mut indexes: FxHashMap<usize, LineIndex> = FxHashMap::default();
    for related in findings.iter().flat_map(|f| &f.related) {
        let Some(path) = related.path.as_deref() else {
            continue;
        };
        let Some(&other) = by_path.get(path) else {
            continue;
        };
        let text = &read[other].file.text;
        let lines = indexes.entry(other).or_insert_with(|| LineIndex::new(text));
        let (line, column) = lines.to_display(text, related.range.start);
        let (end_line, end_column) = lines.to_display(text, related.range.end);
        places.push(Place {
            path: path.to_path_buf(),
            range: related.range.clone(),
            line,
            column,
            end_line,
            end_column,
        });
    }
    places
}

fn progress_bar(args: &CheckArgs, total: usize) -> ProgressBar {
    let wanted = !args.no_progress
        && args.format == OutputFormat::Human
        && total >= PROGRESS_MIN_FILES
        && io::stderr().is_terminal();
    if !wanted {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} checking drafts {bar:30} {pos}/{len}")
    {
        bar.set_style(style);
    }
    bar
}

/// A bug in the analysis must cost one file, not the run.
fn check_guarded(target: &Target, mode: Mode) -> Result<Read, Failure> {
    catch_unwind(AssertUnwindSafe(|| check_file(target, mode))).unwrap_or_else(|_| {
        Err(Failure::new(
            &target.path,
            "internal error while analysing this file (please report it); skipped",
        ))
    })
}

fn check_file(target: &Target, mode: Mode) -> Result<Read, Failure> {
    let path = &target.path;
    let bytes = fs::read(path).map_err(|e| Failure::new(path, format!("cannot read: {e}")))?;
    // Read before any fix rewrites the file: which of two undated copies came first must not
    // change because one of them was fixed.
    let modified = fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| SystemTime::now());
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Failure::new(
            path,
            format!("not valid UTF-8 (invalid byte at offset {at}); skipped"),
        )
    })?;
    // Positions are shown as an editor shows them, which does not count a BOM; it is put back
    // when the file is written.
    let bom = text.starts_with('\u{feff}');
    if bom {
        text.drain(..'\u{feff}'.len_utf8());
    }
    let config = &target.scope.config;
    let format = Format::from_path(path);
    let mut analysis = analyze(&text, format, config);
    let mut fixed = 0;
    let mut diff = None;
    if mode != Mode::Check && analysis.findings.iter().any(has_safe_fix) {
        let repaired = fix_all(&text, format, config);
        if repaired != text {
            if mode == Mode::Diff {
                diff = Some(unified_diff(path, &text, &repaired));
            } else {
                let mut contents = String::with_capacity(repaired.len() + 3);
                if bom {
                    contents.push('\u{feff}');
                }
                contents.push_str(&repaired);
                write_atomically(path, contents.as_bytes()).map_err(|e| {
                    Failure::new(path, format!("cannot write the fixed draft: {e}"))
                })?;
                let before = analysis.findings.iter().filter(|f| has_safe_fix(f)).count();
                analysis = analyze(&repaired, format, config);
                let after = analysis.findings.iter().filter(|f| has_safe_fix(f)).count();
                fixed = before.saturating_sub(after);
                text = repaired;
            }
        }
    }
    // Files larger than a scan would index are checked on their own, as in the editor.
    let sketch = (text.len() as u64 <= workspace::DEFAULT_MAX_FILE_SIZE)
        .then(|| LoadedDraft::from_draft(path.clone(), &text, &analysis.draft, modified, config));
    Ok(Read {
        file: CheckedFile {
            path: path.clone(),
            text,
            findings: analysis.findings,
            fixed,
            diff,
            elsewhere: Vec::new(),
        },
        draft: analysis.draft,
        scope: target.scope.clone(),
        sketch,
    })
}
