//! Analysing a document snapshot and turning the findings into diagnostics.
//!
//! Analysis runs on a blocking thread, on an immutable [`Snapshot`], with panics caught: a bug
//! in a rule costs that document its diagnostics for one revision, not the session. The result
//! remembers the revision it was computed for, so callers can tell (and drop) stale results.
//!
//! A draft's findings are its own analysis plus its `cross-draft-duplicate` findings against
//! the workspace index, which the snapshot's text updates first (per changed document, never a
//! rescan). A finding that points into another draft has that draft's text read (the editor's
//! text if it is open, else the file) to place the range: one small file per related draft,
//! read on demand, rather than a line index kept for every draft of the workspace.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use tower_lsp_server::ls_types::{Diagnostic, Uri};

use super::convert::{self, Elsewhere, LineMap};
use super::documents::Snapshot;
use super::newsroom::Newsroom;
use super::settings::DocConfig;
use crate::analysis::{Analysis, Analyzer};
use crate::config::Config;
use crate::draft::Format;
use crate::finding::Finding;
use crate::position::{Encoding, LineIndex};
use crate::workspace::DEFAULT_MAX_FILE_SIZE;

/// A document analysed at one revision.
pub(crate) struct Analyzed {
    pub snapshot: Snapshot,
    pub index: LineIndex,
    pub encoding: Encoding,
    pub config: Arc<Config>,
    /// `None` when the document is not a draft (or Galley is disabled): no findings.
    pub analysis: Option<Analysis>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Analyzed {
    pub(crate) fn map(&self) -> LineMap<'_> {
        LineMap {
            text: &self.snapshot.text,
            index: &self.index,
            encoding: self.encoding,
        }
    }

    /// The layout the document was read in, when it is a draft.
    pub(crate) fn format(&self) -> Option<Format> {
        self.analysis.as_ref().map(|a| a.draft.format)
    }

    /// The pull-diagnostics result id: revisions are unique across the session and change with
    /// every edit and every configuration change.
    pub(crate) fn result_id(&self) -> String {
        result_id(self.snapshot.revision)
    }
}

pub(crate) fn result_id(revision: u64) -> String {
    revision.to_string()
}

/// Analyses a snapshot (blocking; call from a blocking thread), indexing its text first. Also
/// returns the other drafts whose findings the new text may have changed.
pub(crate) fn analyze(
    snapshot: Snapshot,
    doc: DocConfig,
    enabled: bool,
    analyzer: &Analyzer,
    newsroom: &Newsroom,
    encoding: Encoding,
) -> (Analyzed, BTreeSet<PathBuf>) {
    let started = Instant::now();
    let index = LineIndex::new(&snapshot.text);
    let mut affected = BTreeSet::new();
    let analysis = match snapshot.format {
        Some(format) if enabled && doc.is_draft => {
            let mut analysis = analyzer.analyze(&snapshot.text, format, &doc.config);
            let path = convert::uri_to_path(&snapshot.uri);
            // Past the scan's size limit a document is no draft of the workspace either.
            let indexable = snapshot.text.len() as u64 <= DEFAULT_MAX_FILE_SIZE;
            if let Some(path) = path.as_deref().filter(|_| !indexable) {
                affected = newsroom.forget_open(path);
            }
            if let Some(path) = path.filter(|_| indexable) {
                affected = newsroom.index_open(
                    &path,
                    snapshot.revision,
                    &snapshot.text,
                    &analysis.draft,
                    &doc.config,
                );
                let cross = newsroom.lookup(&path, &snapshot.text, &analysis.draft, &doc.config);
                merge(&mut analysis.findings, cross);
            }
            Some(analysis)
        }
        _ => None,
    };
    let diagnostics = match &analysis {
        None => Vec::new(),
        Some(analysis) => {
            let map = LineMap {
                text: &snapshot.text,
                index: &index,
                encoding,
            };
            let elsewhere = related_texts(&analysis.findings, newsroom);
            diagnostics(
                &analysis.findings,
                map,
                &elsewhere,
                &snapshot.uri,
                snapshot.version,
            )
        }
    };
    tracing::debug!(
        uri = snapshot.uri.as_str(),
        version = snapshot.version,
        "analysed {} bytes in {:?}: {} diagnostics",
        snapshot.text.len(),
        started.elapsed(),
        diagnostics.len()
    );
    let analyzed = Analyzed {
        snapshot,
        index,
        encoding,
        config: doc.config,
        analysis,
        diagnostics,
    };
    (analyzed, affected)
}

/// Findings as diagnostics of document `uri` at `version`.
pub(crate) fn diagnostics(
    findings: &[Finding],
    map: LineMap<'_>,
    elsewhere: &Elsewhere,
    uri: &Uri,
    version: i32,
) -> Vec<Diagnostic> {
    findings
        .iter()
        .map(|finding| convert::diagnostic(finding, map, elsewhere, uri, version))
        .collect()
}

/// Adds cross-draft findings to a draft's own, in the analysis's order (range start, then code).
pub(crate) fn merge(findings: &mut Vec<Finding>, cross: Vec<Finding>) {
    if cross.is_empty() {
        return;
    }
    findings.extend(cross);
    findings.sort_by(|a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then_with(|| a.code.cmp(&b.code))
    });
}

/// The texts of the other drafts the findings point into.
pub(crate) fn related_texts(findings: &[Finding], newsroom: &Newsroom) -> Elsewhere {
    let mut elsewhere = Elsewhere::default();
    let paths: BTreeSet<&Path> = findings
        .iter()
        .flat_map(|f| &f.related)
        .filter_map(|r| r.path.as_deref())
        .collect();
    for path in paths {
        if let Some(text) = draft_text(path, newsroom) {
            elsewhere.insert(path.to_path_buf(), text);
        }
    }
    elsewhere
}

/// The text of an indexed draft as the index has it: the editor's text for an open draft, else
/// the file (`None` when it cannot be read; its ranges then point at the file's start).
pub(crate) fn draft_text(path: &Path, newsroom: &Newsroom) -> Option<Arc<str>> {
    if let Some(text) = newsroom.open_text(path) {
        return Some(text);
    }
    let too_large = std::fs::metadata(path).is_ok_and(|m| m.len() > DEFAULT_MAX_FILE_SIZE);
    if too_large {
        return None;
    }
    match std::fs::read_to_string(path) {
        Ok(text) => Some(Arc::from(text)),
        Err(err) => {
            tracing::debug!(
                "cannot read {} for a related location: {err}",
                path.display()
            );
            None
        }
    }
}

/// [`analyze`] on tokio's blocking pool with panics caught and logged; `None` after a panic.
pub(crate) async fn analyze_off_runtime(
    snapshot: Snapshot,
    doc: DocConfig,
    enabled: bool,
    analyzer: Arc<Analyzer>,
    newsroom: Arc<Newsroom>,
    encoding: Encoding,
) -> Option<(Arc<Analyzed>, BTreeSet<PathBuf>)> {
    let uri = snapshot.uri.clone();
    let revision = snapshot.revision;
    let job = tokio::task::spawn_blocking(move || {
        catch_unwind(AssertUnwindSafe(|| {
            analyze(snapshot, doc, enabled, &analyzer, &newsroom, encoding)
        }))
    });
    match job.await {
        Ok(Ok((analyzed, affected))) => Some((Arc::new(analyzed), affected)),
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            tracing::error!(uri = uri.as_str(), revision, "analysis panicked: {message}");
            None
        }
        Err(err) => {
            tracing::error!(uri = uri.as_str(), revision, "analysis task failed: {err}");
            None
        }
    }
}
