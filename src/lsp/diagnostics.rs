//! Analysing a document snapshot and turning the findings into diagnostics.
//!
//! Analysis runs on a blocking thread, on an immutable [`Snapshot`], with panics caught: a bug
//! in a rule costs that document its diagnostics for one revision, not the session. The result
//! remembers the revision it was computed for, so callers can tell (and drop) stale results.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Instant;

use tower_lsp_server::ls_types::Diagnostic;

use super::convert::{self, LineMap};
use super::documents::Snapshot;
use super::settings::DocConfig;
use crate::analysis::{Analysis, Analyzer};
use crate::config::Config;
use crate::draft::Format;
use crate::position::{Encoding, LineIndex};

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

/// Analyses a snapshot (blocking; call from a blocking thread).
pub(crate) fn analyze(
    snapshot: Snapshot,
    doc: DocConfig,
    enabled: bool,
    analyzer: &Analyzer,
    encoding: Encoding,
) -> Analyzed {
    let started = Instant::now();
    let index = LineIndex::new(&snapshot.text);
    let analysis = match snapshot.format {
        Some(format) if enabled && doc.is_draft => {
            Some(analyzer.analyze(&snapshot.text, format, &doc.config))
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
            analysis
                .findings
                .iter()
                .map(|finding| convert::diagnostic(finding, map, &snapshot.uri, snapshot.version))
                .collect()
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
    Analyzed {
        snapshot,
        index,
        encoding,
        config: doc.config,
        analysis,
        diagnostics,
    }
}

/// [`analyze`] on tokio's blocking pool with panics caught and logged; `None` after a panic.
pub(crate) async fn analyze_off_runtime(
    snapshot: Snapshot,
    doc: DocConfig,
    enabled: bool,
    analyzer: Arc<Analyzer>,
    encoding: Encoding,
) -> Option<Arc<Analyzed>> {
    let uri = snapshot.uri.clone();
    let revision = snapshot.revision;
    let job = tokio::task::spawn_blocking(move || {
        catch_unwind(AssertUnwindSafe(|| {
            analyze(snapshot, doc, enabled, &analyzer, encoding)
        }))
    });
    match job.await {
        Ok(Ok(analyzed)) => Some(Arc::new(analyzed)),
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
