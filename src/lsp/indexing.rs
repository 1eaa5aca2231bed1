//! Keeping the workspace index current: the scan of every workspace folder (after
//! `initialized`, and again when the configuration changes), drafts created, changed or deleted
//! on disk, and documents closed in the editor.
//!
//! Reading and sketching always happen on tokio's blocking pool (the scan itself fans out on
//! rayon's), so requests keep being served while a newsroom of thousands of drafts is indexed;
//! the scan's progress reaches the client as work-done progress.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tower_lsp_server::ls_types::{NumberOrString, ProgressToken};

use super::session::Session;
use crate::draft::Format;
use crate::workspace::{self, Index, ScanOptions};

/// The title of the work-done progress shown while indexing.
const TITLE: &str = "Indexing drafts";

/// How long the client may take to accept a progress token before the scan goes on without.
const PROGRESS_CREATE_TIMEOUT: Duration = Duration::from_secs(10);

/// Numbers the progress tokens of successive scans.
static SCANS: AtomicU64 = AtomicU64::new(0);

/// How a watched file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileChange {
    /// Created or changed: read it again.
    Written,
    Deleted,
}

/// Scans the workspace folders into a fresh index, unless a scan is already waiting to start.
/// The current index keeps answering until the new one replaces it.
pub(crate) fn request_scan(session: &Arc<Session>) {
    if session.workspace.roots().is_empty() {
        return;
    }
    if session.newsroom.scan_queued.swap(true, Ordering::AcqRel) {
        return;
    }
    let session = session.clone();
    tokio::spawn(async move {
        let _running = session.newsroom.scan_lock.lock().await;
        session.newsroom.scan_queued.store(false, Ordering::Release);
        scan(&session).await;
    });
}

/// Done and total files across the folders scanned so far.
#[derive(Debug, Clone, Copy)]
struct Counts {
    done: usize,
    total: usize,
}

async fn scan(session: &Arc<Session>) {
    let started = Instant::now();
    let (sender, mut receiver) = mpsc::unbounded_channel();
    session.newsroom.begin_scan();
    let job = {
        let session = session.clone();
        tokio::task::spawn_blocking(move || {
            catch_unwind(AssertUnwindSafe(|| scan_folders(&session, &sender)))
        })
    };
    let mut progress = None;
    if session.negotiated().work_done_progress {
        let number = SCANS.fetch_add(1, Ordering::Relaxed) + 1;
        let token: ProgressToken = NumberOrString::String(format!("galley-indexing-{number}"));
        // A client that never answers must not hold up the scans after this one.
        let created = tokio::time::timeout(
            PROGRESS_CREATE_TIMEOUT,
            session.client.create_work_done_progress(token.clone()),
        )
        .await;
        match created {
            Ok(Ok(())) => {
                let begun = session
                    .client
                    .progress(token, TITLE)
                    .with_percentage(0)
                    .with_message(format!("{TITLE}…"))
                    .begin()
                    .await;
                progress = Some(begun);
            }
            Ok(Err(err)) => tracing::debug!("no work-done progress: {err}"),
            Err(_) => tracing::debug!("no answer to window/workDoneProgress/create"),
        }
    }
    let mut shown: Option<(u32, usize)> = None;
    while let Some(Counts { done, total }) = receiver.recv().await {
        let Some(progress) = &progress else {
            continue;
        };
        // One report per percent (and the last): thousands of files, a hundred notifications.
        let percent = (done * 100).checked_div(total).unwrap_or(100) as u32;
        if shown.is_none_or(|(p, d)| p != percent || (done == total && d != done)) {
            progress
                .report_with_message(format!("{TITLE} {done}/{total}"), percent)
                .await;
            shown = Some((percent, done));
        }
    }
    let outcome = match job.await {
        Ok(Ok((indexed, affected))) => {
            // Open drafts whose cross-draft findings may differ are re-checked; the others'
            // diagnostics stand, so a workspace without copies publishes nothing again.
            let mut recheck = affected;
            recheck.extend(session.open_with_cross_draft_findings());
            session.drafts_changed(recheck);
            session.request_refresh();
            Some(indexed)
        }
        Ok(Err(_)) => {
            tracing::error!("indexing the workspace panicked");
            None
        }
        Err(err) => {
            tracing::error!("indexing the workspace failed: {err}");
            None
        }
    };
    let message = match outcome {
        Some(indexed) => {
            tracing::info!("indexed {indexed} drafts in {:.2?}", started.elapsed());
            let drafts = if indexed == 1 { "draft" } else { "drafts" };
            format!("Indexed {indexed} {drafts}")
        }
        None => "Indexing failed (see the server log)".to_string(),
    };
    if let Some(progress) = progress {
        progress.finish_with_message(message).await;
    }
}

/// Scans every folder into a new index and swaps it in (blocking). Returns the number of
/// drafts indexed and the open drafts whose findings the new index may change.
fn scan_folders(
    session: &Arc<Session>,
    sender: &mpsc::UnboundedSender<Counts>,
) -> (usize, BTreeSet<PathBuf>) {
    let mut index = Index::new();
    let options = ScanOptions::default();
    let mut before = Counts { done: 0, total: 0 };
    let mut events = Vec::new();
    for root in session.workspace.roots() {
        let mut selector = session.workspace.selector();
        let mut last = Counts { done: 0, total: 0 };
        let report = workspace::scan_with(
            &mut index,
            &root,
            &options,
            |path| selector.select(path),
            |done, total| {
                last = Counts { done, total };
                // The receiver lives until the scan's task ends, after this.
                let _ = sender.send(Counts {
                    done: before.done + done,
                    total: before.total + total,
                });
            },
        );
        match report {
            Ok(report) => tracing::info!(
                "{}: {} drafts indexed, {} skipped",
                root.display(),
                report.indexed.len(),
                report.skipped.len()
            ),
            Err(err) => tracing::warn!("{err}"),
        }
        before.done += last.done;
        before.total += last.total;
        events.append(&mut selector.events);
    }
    if !events.is_empty() {
        let reporter = session.clone();
        tokio::spawn(async move { reporter.report_config(events).await });
    }
    let indexed = index.len();
    let end = session.newsroom.finish_scan(index);
    let mut affected = end.sharing;
    for path in end.pending {
        affected.extend(refresh(session, &path, FileChange::Written));
    }
    (indexed, affected)
}

/// Brings the index up to date with files changed on disk (watched-file events), off the
/// runtime, then re-checks the open drafts they affect.
pub(crate) fn files_changed(session: &Arc<Session>, changes: Vec<(PathBuf, FileChange)>) {
    if changes.is_empty() {
        return;
    }
    let session = session.clone();
    tokio::spawn(async move {
        let job = {
            let session = session.clone();
            tokio::task::spawn_blocking(move || {
                let mut affected = BTreeSet::new();
                for (path, change) in changes {
                    affected.extend(refresh(&session, &path, change));
                }
                affected
            })
        };
        match job.await {
            Ok(affected) => session.drafts_changed(affected),
            Err(err) => tracing::error!("updating the workspace index failed: {err}"),
        }
    });
}

/// A document was closed: the file on disk is the draft again (or, if it is not a draft of the
/// workspace on disk, the draft is gone).
pub(crate) fn document_closed(session: &Arc<Session>, path: PathBuf) {
    if !session.newsroom.close(&path) {
        return;
    }
    files_changed(session, vec![(path, FileChange::Written)]);
}

/// Indexes the file at `path` as it is on disk now, or forgets it when it is gone or is not a
/// draft of a workspace folder; the editor's text of an open document is left alone. Returns
/// the drafts whose findings may have changed, the file's own included (blocking).
fn refresh(session: &Arc<Session>, path: &Path, change: FileChange) -> BTreeSet<PathBuf> {
    let newsroom = &session.newsroom;
    let config = match change {
        FileChange::Deleted => None,
        FileChange::Written => draft_config(session, path),
    };
    let mut affected = match config {
        Some(config) => match workspace::read_draft(path, &config, &ScanOptions::default()) {
            Ok(loaded) => newsroom.insert_from_disk(loaded),
            Err(_) => newsroom.remove_from_disk(path),
        },
        None => newsroom.remove_from_disk(path),
    };
    affected.insert(path.to_path_buf());
    affected
}

/// The configuration of the file at `path` if a scan would index it: it is in a workspace
/// folder, the walk reaches it (not hidden, ignored or a link) and it is a draft there.
fn draft_config(session: &Arc<Session>, path: &Path) -> Option<Arc<crate::config::Config>> {
    let root = session.workspace.folder_of(path)?;
    if !path.is_file() || !workspace::would_walk(&root, path) {
        return None;
    }
    let (doc, events) = session
        .workspace
        .for_document(Some(path), Some(Format::from_path(path)));
    if !events.is_empty() {
        let reporter = session.clone();
        tokio::spawn(async move { reporter.report_config(events).await });
    }
    doc.is_draft.then_some(doc.config)
}
