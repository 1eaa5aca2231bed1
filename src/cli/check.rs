//! The `galley check` pipeline: collect the drafts, analyse them in parallel, apply or preview
//! safe fixes, print, and turn the result into an exit status.

use std::fs;
use std::io::{self, IsTerminal, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::analysis::analyze;
use crate::draft::Format;
use crate::finding::Severity;
use crate::fix::fix_all;

use super::args::{CheckArgs, OutputFormat};
use super::files::{self, Target};
use super::fix::{unified_diff, write_atomically};
use super::report::{CheckedFile, Failure, Outcome, has_safe_fix};
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
    let results: Vec<Result<CheckedFile, Failure>> = collected
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
    for result in results {
        match result {
            Ok(file) => outcome.files.push(file),
            Err(failure) => outcome.failures.push(failure),
        }
    }
    outcome.failures.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(outcome)
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
fn check_guarded(target: &Target, mode: Mode) -> Result<CheckedFile, Failure> {
    catch_unwind(AssertUnwindSafe(|| check_file(target, mode))).unwrap_or_else(|_| {
        Err(Failure::new(
            &target.path,
            "internal error while analysing this file (please report it); skipped",
        ))
    })
}

fn check_file(target: &Target, mode: Mode) -> Result<CheckedFile, Failure> {
    let path = &target.path;
    let bytes = fs::read(path).map_err(|e| Failure::new(path, format!("cannot read: {e}")))?;
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
    let mut findings = analyze(&text, format, config).findings;
    let mut fixed = 0;
    let mut diff = None;
    if mode != Mode::Check && findings.iter().any(has_safe_fix) {
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
                let before = findings.iter().filter(|f| has_safe_fix(f)).count();
                findings = analyze(&repaired, format, config).findings;
                fixed = before.saturating_sub(findings.iter().filter(|f| has_safe_fix(f)).count());
                text = repaired;
            }
        }
    }
    if findings.is_empty() {
        text = String::new();
    }
    Ok(CheckedFile {
        path: path.clone(),
        text,
        findings,
        fixed,
        diff,
    })
}
