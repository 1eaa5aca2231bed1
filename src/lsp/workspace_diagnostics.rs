//! `workspace/diagnostic`: the findings of every indexed draft, open or not, so the editor's
//! Problems panel covers the whole newsroom.
//!
//! Open documents answer with their current text and version (the same analysis as
//! `textDocument/diagnostic`). Unopened drafts are read from disk and analysed in parallel off
//! the runtime; their result id is the index's stamp for the draft, which moves only when the
//! draft or a draft sharing a paragraph with it changes, so a client polling the workspace gets
//! `unchanged` for everything else without a file being read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use tower_lsp_server::ls_types::{
    Diagnostic, FullDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport, Uri,
    WorkspaceDiagnosticParams, WorkspaceDiagnosticReport, WorkspaceDocumentDiagnosticReport,
    WorkspaceFullDocumentDiagnosticReport, WorkspaceUnchangedDocumentDiagnosticReport,
};

use super::convert::{self, LineMap};
use super::diagnostics::{self, result_id};
use super::session::Session;
use crate::analysis::analyze;
use crate::draft::Format;
use crate::position::{Encoding, LineIndex};
use crate::workspace::DEFAULT_MAX_FILE_SIZE;

pub(crate) async fn workspace_diagnostics(
    session: &Arc<Session>,
    params: WorkspaceDiagnosticParams,
) -> WorkspaceDiagnosticReport {
    // By path: the client may spell a URI differently (percent-encoding) from the server.
    let previous: HashMap<PathBuf, String> = params
        .previous_result_ids
        .into_iter()
        .filter_map(|p| Some((convert::uri_to_path(&p.uri)?, p.value)))
        .collect();
    let mut items = Vec::new();
    let mut unopened = Vec::new();
    for (path, id) in session.newsroom.drafts() {
        let Some(uri) = convert::path_to_uri(&path) else {
            continue;
        };
        if session.docs.current(&uri).is_some() {
            items.extend(open_report(session, uri, previous.get(&path)).await);
        } else if previous.get(&path).is_some_and(|p| *p == id) {
            items.push(unchanged(uri, None, id));
        } else {
            unopened.push((path, uri, id));
        }
    }
    if !unopened.is_empty() {
        let enabled = session.workspace.settings().enable;
        let encoding = session.negotiated().encoding;
        let worker = session.clone();
        let job = tokio::task::spawn_blocking(move || {
            unopened
                .into_par_iter()
                .filter_map(|(path, uri, id)| {
                    let diagnostics = on_disk(&worker, &path, &uri, enabled, encoding)?;
                    Some(full(uri, None, Some(id), diagnostics))
                })
                .collect::<Vec<_>>()
        });
        match job.await {
            Ok(reports) => items.extend(reports),
            Err(err) => tracing::error!("workspace diagnostics failed: {err}"),
        }
    }
    WorkspaceDiagnosticReport { items }
}

/// An open document's report: unchanged when the client has its current revision.
async fn open_report(
    session: &Arc<Session>,
    uri: Uri,
    previous: Option<&String>,
) -> Option<WorkspaceDocumentDiagnosticReport> {
    let current = session.docs.current(&uri)?;
    if previous.is_some_and(|p| *p == result_id(current.revision)) {
        let version = Some(i64::from(current.version));
        return Some(unchanged(uri, version, result_id(current.revision)));
    }
    let analyzed = session.analysis(&uri).await?;
    Some(full(
        uri,
        Some(i64::from(analyzed.snapshot.version)),
        Some(analyzed.result_id()),
        analyzed.diagnostics.clone(),
    ))
}

/// The diagnostics of an unopened draft as it is on disk (blocking); `None` when it cannot be
/// read any more (a scan or watcher event will catch up with it).
fn on_disk(
    session: &Session,
    path: &Path,
    uri: &Uri,
    enabled: bool,
    encoding: Encoding,
) -> Option<Vec<Diagnostic>> {
    if !enabled {
        return Some(Vec::new());
    }
    if std::fs::metadata(path).ok()?.len() > DEFAULT_MAX_FILE_SIZE {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let format = Format::from_path(path);
    let (doc, _) = session.workspace.for_document(Some(path), Some(format));
    if !doc.is_draft {
        return Some(Vec::new());
    }
    let mut analysis = analyze(&text, format, &doc.config);
    let cross = session
        .newsroom
        .lookup(path, &text, &analysis.draft, &doc.config);
    diagnostics::merge(&mut analysis.findings, cross);
    let index = LineIndex::new(&text);
    let map = LineMap {
        text: &text,
        index: &index,
        encoding,
    };
    let elsewhere = diagnostics::related_texts(&analysis.findings, &session.newsroom);
    let mut diagnostics = diagnostics::diagnostics(&analysis.findings, map, &elsewhere, uri, 0);
    // No fix data: the document has no version to pin edits to. Once it is opened, its code
    // actions come from the analysis of the open document.
    for diagnostic in &mut diagnostics {
        diagnostic.data = None;
    }
    Some(diagnostics)
}

fn full(
    uri: Uri,
    version: Option<i64>,
    result_id: Option<String>,
    items: Vec<Diagnostic>,
) -> WorkspaceDocumentDiagnosticReport {
    WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
        uri,
        version,
        full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
    })
}

fn unchanged(
    uri: Uri,
    version: Option<i64>,
    result_id: String,
) -> WorkspaceDocumentDiagnosticReport {
    WorkspaceDocumentDiagnosticReport::Unchanged(WorkspaceUnchangedDocumentDiagnosticReport {
        uri,
        version,
        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
    })
}
