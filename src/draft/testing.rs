//! Helpers shared by the plain-text and Markdown reader tests.

use super::{Draft, Paragraph};

/// The text of each body paragraph, in order.
pub(super) fn texts<'a>(text: &'a str, draft: &Draft) -> Vec<&'a str> {
    draft
        .paragraphs
        .iter()
        .map(|p| &text[p.range.clone()])
        .collect()
}

/// The text with the paragraph taken out the way its removal fix would.
pub(super) fn remove(text: &str, p: &Paragraph) -> String {
    format!("{}{}", &text[..p.removal.start], &text[p.removal.end..])
}
