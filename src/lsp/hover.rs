//! Hover on a flagged paragraph: where its original is, how similar the two are, and a preview
//! of the original.

use std::sync::Arc;

use tower_lsp_server::ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::diagnostics::Analyzed;
use super::session::Session;
use crate::finding::Finding;

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
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: describe(finding, &analyzed),
        }),
        range: Some(analyzed.map().range(&finding.range)),
    })
}

fn describe(finding: &Finding, analyzed: &Analyzed) -> String {
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
            Some(path) => out.push_str(&format!(
                "\n\nOriginal in `{}` ({})",
                path.display(),
                related.message
            )),
        }
    }
    out
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
