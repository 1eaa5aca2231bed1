//! The `LanguageServer` implementation: thin handlers that convert the request, call the
//! session or a feature module, and convert the answer.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CodeActionResponse, DiagnosticOptions, DiagnosticServerCapabilities,
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DocumentDiagnosticParams, DocumentDiagnosticReport,
    DocumentDiagnosticReportResult, DocumentSymbolParams, DocumentSymbolResponse, FileChangeType,
    FileSystemWatcher, FullDocumentDiagnosticReport, GlobPattern, Hover, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, InitializedParams, OneOf,
    Registration, RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
    ServerCapabilities, ServerInfo, SetTraceParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, UnchangedDocumentDiagnosticReport,
    WorkspaceDiagnosticParams, WorkspaceDiagnosticReportResult,
};
use tower_lsp_server::{Client, LanguageServer, LspService};

use super::code_actions::{self, FIX_ALL};
use super::diagnostics::result_id;
use super::indexing::{self, FileChange};
use super::session::{Control, DEBOUNCE, Negotiated, Session};
use super::settings::{SECTION, format_for_language};
use super::{convert, hover, logging, symbols, workspace_diagnostics};
use crate::config::file::FILE_NAME;

/// The files watched for changes to drafts (with `galley.toml`, for the configuration).
const DRAFT_FILES: &str = "**/*.{txt,md}";

/// The Galley language server.
pub struct Backend {
    session: Arc<Session>,
}

impl Backend {
    fn new(client: Client) -> Backend {
        Backend {
            session: Arc::new(Session::new(client, Arc::new(Control::default()))),
        }
    }

    pub(crate) fn control(&self) -> Arc<Control> {
        self.session.control.clone()
    }

    /// `$/setTrace`: the client changed its trace level.
    async fn set_trace(&self, params: SetTraceParams) {
        logging::set_trace(params.value);
    }
}

/// A new server as a tower service, with the socket for its messages to the client.
pub fn service() -> (LspService<Backend>, tower_lsp_server::ClientSocket) {
    LspService::build(Backend::new)
        .custom_method("$/setTrace", Backend::set_trace)
        .finish()
}

fn capabilities(negotiated: &Negotiated) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(convert::encoding_to_proto(negotiated.encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..Default::default()
            },
        )),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some(convert::SOURCE.to_string()),
            // Cross-draft findings depend on the other drafts of the workspace.
            inter_file_dependencies: true,
            workspace_diagnostics: true,
            ..Default::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, FIX_ALL]),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        ..Default::default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let negotiated = Negotiated::from_params(&params);
        if let Some(pid) = params.process_id {
            self.session
                .control
                .client_pid
                .store(pid, Ordering::Relaxed);
        }
        if let Some(trace) = params.trace {
            logging::set_trace(trace);
        }
        let mut roots: Vec<_> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| convert::uri_to_path(&f.uri))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(convert::uri_to_path)
        {
            roots.push(root);
        }
        self.session.workspace.set_roots(roots);
        if let Some(options) = &params.initialization_options {
            let warnings = self.session.apply_settings(options);
            *self
                .session
                .early_warnings
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = warnings;
        }
        self.session.start(negotiated);
        tracing::info!(?negotiated, "initialized");
        Ok(InitializeResult {
            capabilities: capabilities(&negotiated),
            server_info: Some(ServerInfo {
                name: "galley".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let early = std::mem::take(
            &mut *self
                .session
                .early_warnings
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        self.session.show_warnings(early).await;
        let negotiated = self.session.negotiated();
        let mut registrations = Vec::new();
        if negotiated.watch_registration {
            let watcher = |glob: String| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob),
                kind: None,
            };
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![
                    watcher(format!("**/{FILE_NAME}")),
                    watcher(DRAFT_FILES.to_string()),
                ],
            };
            registrations.push(Registration {
                id: "galley-config-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            });
        }
        if negotiated.configuration_registration {
            registrations.push(Registration {
                id: "galley-configuration".into(),
                method: "workspace/didChangeConfiguration".into(),
                register_options: Some(serde_json::json!({ "section": SECTION })),
            });
        }
        if !registrations.is_empty()
            && let Err(err) = self.session.client.register_capability(registrations).await
        {
            tracing::warn!("capability registration failed: {err}");
        }
        if negotiated.configuration {
            self.session.fetch_settings().await;
            self.session.reanalyze_all().await;
        }
        indexing::request_scan(&self.session);
    }

    async fn shutdown(&self) -> Result<()> {
        self.session.control.shutdown.store(true, Ordering::Relaxed);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        tracing::debug!(
            uri = doc.uri.as_str(),
            version = doc.version,
            "opened ({} bytes)",
            doc.text.len()
        );
        let format = format_for_language(&doc.language_id);
        let revision = self
            .session
            .docs
            .open(doc.uri.clone(), doc.text, doc.version, format);
        self.session.schedule(doc.uri, revision, Duration::ZERO);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let encoding = self.session.negotiated().encoding;
        match self
            .session
            .docs
            .change(&uri, version, params.content_changes, encoding)
        {
            Ok(current) => {
                tracing::debug!(uri = uri.as_str(), version, "changed");
                self.session.schedule(uri, current.revision, DEBOUNCE);
            }
            Err(err) => tracing::warn!(uri = uri.as_str(), "{err}"),
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.session.close(&uri);
        if let Some(path) = convert::uri_to_path(&uri) {
            indexing::document_closed(&self.session, path);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if self.session.negotiated().configuration {
            self.session.fetch_settings().await;
        } else {
            let warnings = self.session.apply_settings(&params.settings);
            self.session.show_warnings(warnings).await;
        }
        self.session.reanalyze_all().await;
        // Which files are drafts, and how they read, may have changed.
        indexing::request_scan(&self.session);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut config_changed = false;
        let mut drafts = Vec::new();
        for event in params.changes {
            let Some(path) = convert::uri_to_path(&event.uri) else {
                continue;
            };
            let deleted = event.typ == FileChangeType::DELETED;
            if path.file_name() == Some(Path::new(FILE_NAME).as_os_str()) {
                let created = event.typ == FileChangeType::CREATED;
                self.session
                    .config_file_changed(&path, deleted, created)
                    .await;
                config_changed = true;
            } else {
                let change = if deleted {
                    FileChange::Deleted
                } else {
                    FileChange::Written
                };
                drafts.push((path, change));
            }
        }
        if config_changed {
            self.session.reanalyze_all().await;
            // The rescan reads every draft again, these included.
            indexing::request_scan(&self.session);
        } else {
            indexing::files_changed(&self.session, drafts);
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let current = self.session.docs.current(&uri);
        let unchanged = current
            .is_some_and(|c| params.previous_result_id.as_deref() == Some(&result_id(c.revision)));
        let report = match current {
            Some(current) if unchanged => {
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id: result_id(current.revision),
                    },
                })
            }
            _ => {
                let analyzed = self.session.analysis(&uri).await;
                if analyzed.is_none() {
                    tracing::warn!(
                        uri = uri.as_str(),
                        "diagnostics pulled for a document that is not open"
                    );
                }
                DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: analyzed.as_ref().map(|a| a.result_id()),
                        items: analyzed.map(|a| a.diagnostics.clone()).unwrap_or_default(),
                    },
                })
            }
        };
        Ok(DocumentDiagnosticReportResult::Report(report))
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        Ok(WorkspaceDiagnosticReportResult::Report(
            workspace_diagnostics::workspace_diagnostics(&self.session, params).await,
        ))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        Ok(Some(
            code_actions::code_actions(&self.session, params).await,
        ))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        Ok(hover::hover(&self.session, params).await)
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(Some(DocumentSymbolResponse::Nested(
            symbols::document_symbols(&self.session, params).await,
        )))
    }
}
