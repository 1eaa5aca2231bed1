//! Hover on a flagged paragraph: where its original is, how similar the two are, and a preview
//! of the original. For a copy of another draft, that draft's headline and date, and where in it
//! the original stands.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::convert::LineMap;
use super::diagnostics::{self, Analyzed};
use super::session::Session;
use crate::finding::{Finding, Related};
use crate::position::LineIndex;
use crate::workspace::DraftInfo;

/// Characters of the original shown in the hover.
const PREVIEW_CHARS: usize = 280;

pub(crate) async fn hover(session: &Arc<Session>, params: HoverParams) -> Option<Hover> {
    let uri = params.text_document_position_params.text_document.uri;
    let analyzed = session.analysis(&uri).await?;
    let offset = analyzed
        .map()
        .offset(params.text_document_position_params.position);
    let finding = analyzed
        .analysis
        .as_ref()?
        .findings
        .iter()
        .find(|f| !f.related.is_empty() && f.range.start <= offset && offset <= f.range.end)?;
    let mut others = Vec::new();
    for path in finding.related.iter().filter_map(|r| r.path.clone()) {
        others.push(other_draft(session, path).await);
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: describe(finding, &analyzed, &others),
        }),
        range: Some(analyzed.map().range(&finding.range)),
    })
}

/// What the hover shows of another draft: its headline and date from the index, and its text
/// (read off the runtime) for the original's line and a preview.
struct OtherDraft {
    path: PathBuf,
    info: Option<DraftInfo>,
    text: Option<Arc<str>>,
}

async fn other_draft(session: &Arc<Session>, path: PathBuf) -> OtherDraft {
    let info = session.newsroom.info(&path);
    let newsroom = session.newsroom.clone();
    let read = path.clone();
    let text = tokio::task::spawn_blocking(move || diagnostics::draft_text(&read, &newsroom))
        .await
        .ok()
        .flatten();
    OtherDraft { path, info, text }
}

fn describe(finding: &Finding, analyzed: &Analyzed, others: &[OtherDraft]) -> String {
    let mut out = format!("**{}** — {}", finding.code, finding.message);
    if let Some(similarity) = finding.similarity {
        out.push_str(&format!(
            "\n\nSimilarity to the original: **{:.0}%**",
            similarity * 100.0
        ));
    }
    for related in &finding.related {
        match &related.path {
            None => {
                let (line, column) = analyzed.map().display(related.range.start);
                out.push_str(&format!(
                    "\n\nOriginal at line {line}, column {column} ({}):",
                    related.message
                ));
                if let Some(original) = analyzed.snapshot.text.get(related.range.clone()) {
                    out.push_str(&format!("\n\n> {}", preview(original)));
                }
            }
            Some(path) => match others.iter().find(|o| o.path == *path) {
                Some(other) => describe_other(&mut out, related, other, analyzed),
                None => out.push_str(&format!(
                    "\n\nOriginal in `{}` ({})",
                    path.display(),
                    related.message
                )),
            },
        }
    }
    out
}

/// The original in another draft: the draft by headline and date, the file and line, and the
/// start of the paragraph.
fn describe_other(out: &mut String, related: &Related, other: &OtherDraft, analyzed: &Analyzed) {
    let name = file_name(&other.path);
    match &other.info {
        Some(info) => out.push_str(&format!(
            "\n\nOriginal in {}, {}",
            info.title(),
            published(info)
        )),
        None => out.push_str(&format!("\n\nOriginal in `{name}`")),
    }
    let Some(text) = &other.text else {
        out.push_str(&format!(" — `{}`", other.path.display()));
        return;
    };
    let index = LineIndex::new(text);
    let map = LineMap {
        text,
        index: &index,
        encoding: analyzed.encoding,
    };
    let (line, column) = map.display(related.range.start);
    out.push_str(&format!(" — `{name}`, line {line}, column {column}:"));
    if let Some(original) = text.get(related.range.clone()) {
        out.push_str(&format!("\n\n> {}", preview(original)));
    }
}

/// `published 2026-01-14 05:01`, or `modified 2026-01-14 10:32` for a draft without a date.
fn published(info: &DraftInfo) -> String {
    let label = info.date_label();
    if info.published.is_some() {
        format!("published {label}")
    } else {
        label
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// The start of a paragraph on one line, cut at a character boundary.
fn preview(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(PREVIEW_CHARS) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_flattens_lines_and_cuts_long_text_after_accents() {
        assert_eq!(preview("Una  línea\r\ny otra"), "Una línea y otra");
        let long = "ñ".repeat(PREVIEW_CHARS + 10);
        let shown = preview(&long);
        assert_eq!(shown.chars().count(), PREVIEW_CHARS + 1);
        assert!(shown.ends_with('…'));
    }
}
