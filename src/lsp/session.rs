//! The server's state and the operations handlers share: what was negotiated, the documents,
//! the settings, the latest analysis per document, scheduling analyses and publishing their
//! diagnostics in order.
//!
//! No lock here is ever held across an `.await`: every critical section is a few map operations.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::time::Duration;

use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{
    ConfigurationItem, Diagnostic, InitializeParams, MessageType, Uri,
};

use super::convert;
use super::diagnostics::{self, Analyzed};
use super::documents::DocumentStore;
use super::newsroom::Newsroom;
use super::settings::{ClientSettings, ConfigEvent, DocConfig, SECTION, Workspace};
use crate::analysis::Analyzer;
use crate::position::Encoding;
use crate::workspace;

/// How long typing must pause before a changed document is analysed again.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(50);

/// What the process as a whole needs to know about the session: whether `shutdown` came (for
/// the exit code) and which client process to outlive no longer than.
#[derive(Debug, Default)]
pub(crate) struct Control {
    pub shutdown: AtomicBool,
    /// The client's process id; 0 until `initialize` names one.
    pub client_pid: AtomicU32,
}

/// What the client supports, fixed at `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Negotiated {
    pub encoding: Encoding,
    /// The client cannot pull diagnostics, so the server publishes them.
    pub push: bool,
    pub refresh: bool,
    pub versioned_edits: bool,
    pub configuration: bool,
    pub watch_registration: bool,
    pub configuration_registration: bool,
    /// The client shows server-initiated work-done progress.
    pub work_done_progress: bool,
}

impl Default for Negotiated {
    fn default() -> Self {
        Negotiated::from_params(&InitializeParams::default())
    }
}

impl Negotiated {
    pub(crate) fn from_params(params: &InitializeParams) -> Negotiated {
        let caps = &params.capabilities;
        let workspace = caps.workspace.as_ref();
        Negotiated {
            encoding: convert::negotiate_encoding(params),
            push: caps
                .text_document
                .as_ref()
                .and_then(|t| t.diagnostic.as_ref())
                .is_none(),
            refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            versioned_edits: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            watch_registration: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            configuration_registration: workspace
                .and_then(|w| w.did_change_configuration.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
        }
    }
}

/// A diagnostics notification waiting to be sent.
enum Publish {
    /// A document's diagnostics at a revision: sent only if that revision is still current.
    Current {
        uri: Uri,
        revision: u64,
        version: i32,
        diagnostics: Vec<Diagnostic>,
    },
    /// Diagnostics sent as they are (clearing a closed document, a `galley.toml`'s errors).
    Always {
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
    },
}

pub(crate) struct Session {
    pub client: Client,
    pub docs: DocumentStore,
    pub workspace: Workspace,
    /// Every draft of the workspace folders, for cross-draft findings.
    pub newsroom: Arc<Newsroom>,
    pub control: Arc<Control>,
    /// One analyzer per open document: each caches its document's paragraph sketches, and
    /// analyses of different documents never wait on one another.
    analyzers: Mutex<HashMap<Uri, Arc<Analyzer>>>,
    results: Mutex<HashMap<Uri, Arc<Analyzed>>>,
    negotiated: OnceLock<Negotiated>,
    publisher: OnceLock<mpsc::UnboundedSender<Publish>>,
    /// Problems in `initializationOptions`, shown once the client can receive messages.
    pub early_warnings: Mutex<Vec<String>>,
    /// A `workspace/diagnostic/refresh` is about to be sent (later requests join it).
    refresh_queued: AtomicBool,
}

impl Session {
    pub(crate) fn new(client: Client, control: Arc<Control>) -> Session {
        Session {
            client,
            docs: DocumentStore::default(),
            workspace: Workspace::default(),
            newsroom: Arc::new(Newsroom::default()),
            control,
            analyzers: Mutex::new(HashMap::new()),
            results: Mutex::new(HashMap::new()),
            negotiated: OnceLock::new(),
            publisher: OnceLock::new(),
            early_warnings: Mutex::new(Vec::new()),
            refresh_queued: AtomicBool::new(false),
        }
    }

    fn results(&self) -> MutexGuard<'_, HashMap<Uri, Arc<Analyzed>>> {
        self.results.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn analyzer(&self, uri: &Uri) -> Arc<Analyzer> {
        let mut analyzers = self
            .analyzers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        analyzers
            .entry(uri.clone())
            .or_insert_with(|| Arc::new(Analyzer::new()))
            .clone()
    }

    pub(crate) fn negotiated(&self) -> Negotiated {
        self.negotiated.get().copied().unwrap_or_default()
    }

    /// Records what `initialize` negotiated and starts the task that publishes diagnostics.
    pub(crate) fn start(self: &Arc<Self>, negotiated: Negotiated) {
        if self.negotiated.set(negotiated).is_err() {
            return;
        }
        let (tx, rx) = mpsc::unbounded_channel();
        if self.publisher.set(tx).is_ok() {
            tokio::spawn(publish_in_order(Arc::downgrade(self), rx));
        }
    }

    fn publish(&self, message: Publish) {
        if let Some(tx) = self.publisher.get() {
            // The receiver only goes away with the session itself.
            let _ = tx.send(message);
        }
    }

    /// The latest analysis of a document if it is still current.
    pub(crate) fn current_analysis(&self, uri: &Uri) -> Option<Arc<Analyzed>> {
        let current = self.docs.current(uri)?;
        self.results()
            .get(uri)
            .filter(|a| a.snapshot.revision == current.revision)
            .cloned()
    }

    /// The analysis of the document's current text, computed now if needed.
    pub(crate) async fn analysis(self: &Arc<Self>, uri: &Uri) -> Option<Arc<Analyzed>> {
        if let Some(hit) = self.current_analysis(uri) {
            return Some(hit);
        }
        let snapshot = self.docs.snapshot(uri)?;
        let doc = self.doc_config(uri, &snapshot);
        let enabled = self.workspace.settings().enable;
        let encoding = self.negotiated().encoding;
        let (analyzed, affected) = diagnostics::analyze_off_runtime(
            snapshot,
            doc,
            enabled,
            self.analyzer(uri),
            self.newsroom.clone(),
            encoding,
        )
        .await?;
        {
            let mut results = self.results();
            let newer = results
                .get(uri)
                .is_none_or(|old| old.snapshot.revision < analyzed.snapshot.revision);
            if newer && self.docs.current(uri).is_some() {
                results.insert(uri.clone(), analyzed.clone());
            }
        }
        self.drafts_changed(affected);
        Some(analyzed)
    }

    /// Other drafts' findings may have changed (a draft they share a paragraph with changed):
    /// those that are open are analysed again (push) and pull clients are asked to pull again.
    pub(crate) fn drafts_changed(self: &Arc<Self>, paths: BTreeSet<PathBuf>) {
        if paths.is_empty() {
            return;
        }
        let push = self.negotiated().push;
        for path in paths {
            let Some(uri) = convert::path_to_uri(&path) else {
                continue;
            };
            // A new revision makes the cached analysis and the client's result id stale.
            let Some(current) = self.docs.touch(&uri) else {
                continue;
            };
            self.results().remove(&uri);
            if push {
                self.schedule(uri, current.revision, DEBOUNCE);
            }
        }
        self.request_refresh();
    }

    /// The open drafts whose latest analysis has cross-draft findings.
    pub(crate) fn open_with_cross_draft_findings(&self) -> Vec<PathBuf> {
        self.results()
            .iter()
            .filter(|(_, analyzed)| {
                analyzed
                    .analysis
                    .as_ref()
                    .is_some_and(|a| a.findings.iter().any(|f| f.code == workspace::CODE))
            })
            .filter_map(|(uri, _)| convert::uri_to_path(uri))
            .collect()
    }

    /// Asks a pull client to pull every diagnostic again, soon: changes in quick succession (a
    /// burst of watched-file events, typing) share one request.
    pub(crate) fn request_refresh(self: &Arc<Self>) {
        let negotiated = self.negotiated();
        if negotiated.push || !negotiated.refresh {
            return;
        }
        if self.refresh_queued.swap(true, Ordering::AcqRel) {
            return;
        }
        let session = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(DEBOUNCE).await;
            session.refresh_queued.store(false, Ordering::Release);
            if let Err(err) = session.client.workspace_diagnostic_refresh().await {
                tracing::warn!("diagnostic refresh failed: {err}");
            }
        });
    }

    /// The configuration for a document; `galley.toml` problems met on the way are reported.
    pub(crate) fn doc_config(
        self: &Arc<Self>,
        uri: &Uri,
        snapshot: &super::documents::Snapshot,
    ) -> DocConfig {
        let path = convert::uri_to_path(uri);
        let (doc, events) = self
            .workspace
            .for_document(path.as_deref(), snapshot.format);
        if !events.is_empty() {
            let session = self.clone();
            tokio::spawn(async move { session.report_config(events).await });
        }
        doc
    }

    /// Analyses a document after `delay` unless it changes again meanwhile, then publishes the
    /// diagnostics if they are still current. Only clients that cannot pull get this.
    pub(crate) fn schedule(self: &Arc<Self>, uri: Uri, revision: u64, delay: Duration) {
        if !self.negotiated().push {
            return;
        }
        let session = self.clone();
        tokio::spawn(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            if !session.docs.is_current(&uri, revision) {
                return;
            }
            if let Some(analyzed) = session.analysis(&uri).await {
                session.publish(Publish::Current {
                    uri,
                    revision: analyzed.snapshot.revision,
                    version: analyzed.snapshot.version,
                    diagnostics: analyzed.diagnostics.clone(),
                });
            }
        });
    }

    pub(crate) fn close(&self, uri: &Uri) {
        if !self.docs.close(uri) {
            tracing::warn!(uri = uri.as_str(), "close of a document that is not open");
        }
        self.results().remove(uri);
        self.analyzers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(uri);
        if self.negotiated().push {
            self.publish(Publish::Always {
                uri: uri.clone(),
                diagnostics: Vec::new(),
            });
        }
    }

    /// After a settings or `galley.toml` change: every open document is analysed again (push),
    /// or the client is asked to pull again (pull).
    pub(crate) async fn reanalyze_all(self: &Arc<Self>) {
        let touched = self.docs.touch_all();
        self.results().clear();
        self.newsroom.invalidate_all();
        let negotiated = self.negotiated();
        if negotiated.push {
            for (uri, current) in touched {
                self.schedule(uri, current.revision, Duration::ZERO);
            }
        } else if negotiated.refresh
            && let Err(err) = self.client.workspace_diagnostic_refresh().await
        {
            tracing::warn!("diagnostic refresh failed: {err}");
        }
    }

    /// Reads editor settings from JSON; values it had to skip are logged and returned.
    pub(crate) fn apply_settings(&self, value: &serde_json::Value) -> Vec<String> {
        let (settings, warnings) = ClientSettings::from_json(value);
        self.workspace.set_settings(settings);
        for warning in &warnings {
            tracing::warn!("{warning}");
        }
        warnings
    }

    /// Shows settings problems to the user (only possible once initialized).
    pub(crate) async fn show_warnings(&self, warnings: Vec<String>) {
        for warning in warnings {
            self.client
                .show_message(MessageType::WARNING, format!("Galley: {warning}"))
                .await;
        }
    }

    /// Asks the client for the `galley` settings section (when it supports that).
    pub(crate) async fn fetch_settings(&self) {
        if !self.negotiated().configuration {
            return;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some(SECTION.to_string()),
        };
        match self.client.configuration(vec![item]).await {
            Ok(values) => match values.into_iter().next() {
                Some(value) if !value.is_null() => {
                    let warnings = self.apply_settings(&value);
                    self.show_warnings(warnings).await;
                }
                _ => tracing::debug!("the client has no `{SECTION}` settings"),
            },
            Err(err) => tracing::warn!("workspace/configuration failed: {err}"),
        }
    }

    /// Handles a created, changed or deleted `galley.toml`.
    pub(crate) async fn config_file_changed(
        self: &Arc<Self>,
        path: &Path,
        deleted: bool,
        created: bool,
    ) {
        let mut events = Vec::new();
        if deleted || created {
            events.extend(self.workspace.forget(path, deleted));
        }
        if !deleted {
            events.extend(self.workspace.reload(path));
        }
        self.report_config(events).await;
    }

    /// Tells the user about a broken `galley.toml` (a message and a diagnostic on the file) and
    /// clears the diagnostic once it is fixed.
    pub(crate) async fn report_config(&self, events: Vec<ConfigEvent>) {
        let encoding = self.negotiated().encoding;
        for event in events {
            match event {
                ConfigEvent::Broken(err) => {
                    tracing::warn!("{err}");
                    let text = std::fs::read_to_string(&err.path).ok();
                    if let Some(uri) = convert::path_to_uri(&err.path) {
                        let diagnostic =
                            convert::config_error_diagnostic(&err, text.as_deref(), encoding);
                        self.publish(Publish::Always {
                            uri,
                            diagnostics: vec![diagnostic],
                        });
                    }
                    let message = format!("Galley: {err} (keeping the last good configuration)");
                    self.client.show_message(MessageType::ERROR, message).await;
                }
                ConfigEvent::Fixed(path) => {
                    if let Some(uri) = convert::path_to_uri(&path) {
                        self.publish(Publish::Always {
                            uri,
                            diagnostics: Vec::new(),
                        });
                    }
                }
            }
        }
    }
}

/// Sends diagnostics one notification at a time, checking just before each that a document's
/// result is still current, so an older result can never overwrite a newer one.
async fn publish_in_order(session: Weak<Session>, mut rx: mpsc::UnboundedReceiver<Publish>) {
    while let Some(message) = rx.recv().await {
        let Some(session) = session.upgrade() else {
            break;
        };
        match message {
            Publish::Current {
                uri,
                revision,
                version,
                diagnostics,
            } => {
                if session.docs.is_current(&uri, revision) {
                    tracing::debug!(
                        uri = uri.as_str(),
                        version,
                        "publishing {} diagnostics",
                        diagnostics.len()
                    );
                    session
                        .client
                        .publish_diagnostics(uri, diagnostics, Some(version))
                        .await;
                } else {
                    tracing::debug!(uri = uri.as_str(), revision, "dropped stale diagnostics");
                }
            }
            Publish::Always { uri, diagnostics } => {
                session
                    .client
                    .publish_diagnostics(uri, diagnostics, None)
                    .await
            }
        }
    }
}
