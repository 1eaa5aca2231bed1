//! Code actions: each diagnostic's fixes (read back from `Diagnostic.data`, so no analysis runs)
//! and `source.fixAll.galley`, which applies every safe fix to completion and sends the result as
//! one minimal edit.
//!
//! Fix data carries the document version it was computed for; data from an older version gives
//! no action rather than an edit that would land in the wrong place.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Diagnostic, TextEdit, Uri,
};

use super::convert::{self, FixData, ProtoFixKind};
use super::diagnostics::Analyzed;
use super::session::Session;
use crate::finding::{Applicability, Edit};
use crate::fix;

/// The fix-all action kind, under the standard `source.fixAll`.
pub(crate) const FIX_ALL: CodeActionKind = CodeActionKind::new("source.fixAll.galley");

/// Whether a request limited to `only` kinds wants actions of `kind` (kinds are hierarchical:
/// asking for `source` includes `source.fixAll.galley`).
fn wants(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|asked| {
            kind.as_str() == asked.as_str()
                || kind
                    .as_str()
                    .strip_prefix(asked.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

pub(crate) async fn code_actions(
    session: &Arc<Session>,
    params: CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    let uri = params.text_document.uri;
    let Some(current) = session.docs.current(&uri) else {
        tracing::warn!(
            uri = uri.as_str(),
            "code actions for a document that is not open"
        );
        return Vec::new();
    };
    let versioned = session.negotiated().versioned_edits;
    let only = params.context.only.as_deref();
    let mut actions = Vec::new();
    if wants(only, &CodeActionKind::QUICKFIX) {
        let cached = session.current_analysis(&uri);
        for diagnostic in &params.context.diagnostics {
            let Some(data) = fix_data(diagnostic, cached.as_deref()) else {
                continue;
            };
            if data.version != current.version {
                tracing::debug!(
                    uri = uri.as_str(),
                    "fix data for version {} is stale",
                    data.version
                );
                continue;
            }
            for (i, fix) in data.fixes.into_iter().enumerate() {
                let action = CodeAction {
                    title: fix.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(convert::workspace_edit(
                        &uri,
                        data.version,
                        fix.edits,
                        versioned,
                    )),
                    is_preferred: Some(i == 0 && fix.kind == ProtoFixKind::QuickFix),
                    ..Default::default()
                };
                // One "disable for this file" per rule, however many diagnostics offer it.
                if !actions
                    .iter()
                    .any(|a: &CodeAction| a.title == action.title && a.edit == action.edit)
                {
                    actions.push(action);
                }
            }
        }
    }
    if wants(only, &FIX_ALL)
        && let Some(action) = fix_all(session, &uri, versioned).await
    {
        actions.push(action);
    }
    actions
        .into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

/// The diagnostic's own fix data or, for a client that drops `data`, the data of the matching
/// diagnostic of the current analysis.
fn fix_data(diagnostic: &Diagnostic, cached: Option<&Analyzed>) -> Option<FixData> {
    if diagnostic.source.as_deref() != Some(convert::SOURCE) {
        return None;
    }
    if diagnostic.data.is_some() {
        return FixData::from_diagnostic(diagnostic);
    }
    let ours = cached?
        .diagnostics
        .iter()
        .find(|d| d.range == diagnostic.range && d.code == diagnostic.code)?;
    FixData::from_diagnostic(ours)
}

/// Applies every safe fix to completion; `None` when there is nothing to fix.
async fn fix_all(session: &Arc<Session>, uri: &Uri, versioned: bool) -> Option<CodeAction> {
    let analyzed = session.analysis(uri).await?;
    let analysis = analyzed.analysis.as_ref()?;
    let fixable = analysis
        .findings
        .iter()
        .filter(|f| {
            f.fixes
                .iter()
                .any(|fix| fix.applicability == Applicability::Safe)
        })
        .count();
    if fixable == 0 {
        return None;
    }
    let format = analyzed.format()?;
    let job = {
        let analyzed = analyzed.clone();
        tokio::task::spawn_blocking(move || {
            catch_unwind(AssertUnwindSafe(|| {
                fix::fix_all(&analyzed.snapshot.text, format, &analyzed.config)
            }))
        })
    };
    let fixed = match job.await {
        Ok(Ok(fixed)) => fixed,
        _ => {
            tracing::error!(uri = uri.as_str(), "fix-all failed");
            return None;
        }
    };
    let edit = minimal_edit(&analyzed.snapshot.text, &fixed)?;
    let text_edit: TextEdit = analyzed.map().text_edit(&edit);
    let version = analyzed.snapshot.version;
    // The text may have moved on while fixing; an edit against an old version is not offered.
    if session.docs.current(uri).map(|c| c.version) != Some(version) {
        return None;
    }
    Some(CodeAction {
        title: format!("Fix all safely fixable Galley problems ({fixable})"),
        kind: Some(FIX_ALL),
        edit: Some(convert::workspace_edit(
            uri,
            version,
            vec![text_edit],
            versioned,
        )),
        ..Default::default()
    })
}

/// The single edit that turns `old` into `new`: everything between their common prefix and
/// common suffix. `None` when they are equal.
pub(crate) fn minimal_edit(old: &str, new: &str) -> Option<Edit> {
    if old == new {
        return None;
    }
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = (a.len() - prefix).min(b.len() - prefix);
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    Some(Edit::replace(
        prefix..a.len() - suffix,
        &new[prefix..b.len() - suffix],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::convert::LineMap;
    use crate::position::{Encoding, LineIndex};
    use tower_lsp_server::ls_types::Position;

    fn apply(old: &str, edit: &Edit) -> String {
        format!(
            "{}{}{}",
            &old[..edit.range.start],
            edit.replacement,
            &old[edit.range.end..]
        )
    }

    #[test]
    fn minimal_edit_covers_only_what_changed() {
        let old = "uno\ndos\ntres\ndos\ncuatro\n";
        let new = "uno\ndos\ntres\ncuatro\n";
        let edit = minimal_edit(old, new).unwrap();
        assert_eq!(apply(old, &edit), new);
        assert!(edit.range.len() <= 4, "{edit:?}");
        assert_eq!(minimal_edit(old, old), None);
    }

    #[test]
    fn minimal_edit_never_splits_a_character() {
        let old = "café ñandú 😀 fin";
        let new = "café ñandú 😁 fin";
        let edit = minimal_edit(old, new).unwrap();
        assert_eq!(&old[edit.range.clone()], "😀");
        assert_eq!(edit.replacement, "😁");
        let index = LineIndex::new(old);
        let map = LineMap {
            text: old,
            index: &index,
            encoding: Encoding::Utf16,
        };
        let text_edit = map.text_edit(&edit);
        assert_eq!(
            text_edit.range.start,
            Position {
                line: 0,
                character: 11
            }
        );
        assert_eq!(
            text_edit.range.end,
            Position {
                line: 0,
                character: 13
            }
        );
    }

    #[test]
    fn kinds_are_matched_hierarchically() {
        let source = [CodeActionKind::SOURCE];
        let fix_all = [CodeActionKind::SOURCE_FIX_ALL];
        let refactor = [CodeActionKind::REFACTOR];
        assert!(wants(None, &FIX_ALL));
        assert!(wants(Some(&source), &FIX_ALL));
        assert!(wants(Some(&fix_all), &FIX_ALL));
        assert!(!wants(Some(&refactor), &FIX_ALL));
        assert!(!wants(Some(&fix_all), &CodeActionKind::QUICKFIX));
        let partial = [CodeActionKind::new("source.fix")];
        assert!(!wants(Some(&partial), &FIX_ALL));
    }
}
