//! The draft's outline as document symbols: meter, headline, subtitle, date and the other
//! metadata fields, then each body paragraph by its first words, so the editor's outline and
//! breadcrumbs show the article.

use std::sync::Arc;

use tower_lsp_server::ls_types::{DocumentSymbol, DocumentSymbolParams, SymbolKind};

use super::convert::LineMap;
use super::session::Session;
use crate::draft::{Draft, Field, FieldKind};

/// Words of a paragraph used as its name.
const NAME_WORDS: usize = 6;
/// Characters of a field's value used as its name.
const NAME_CHARS: usize = 80;

pub(crate) async fn document_symbols(
    session: &Arc<Session>,
    params: DocumentSymbolParams,
) -> Vec<DocumentSymbol> {
    let Some(analyzed) = session.analysis(&params.text_document.uri).await else {
        return Vec::new();
    };
    match &analyzed.analysis {
        Some(analysis) => outline(&analysis.draft, &analyzed.snapshot.text, analyzed.map()),
        None => Vec::new(),
    }
}

fn outline(draft: &Draft, text: &str, map: LineMap<'_>) -> Vec<DocumentSymbol> {
    let mut fields: Vec<&Field> = draft.fields.iter().collect();
    fields.sort_by_key(|f| f.range.start);
    let mut symbols: Vec<DocumentSymbol> = fields
        .into_iter()
        .map(|field| field_symbol(field, map))
        .collect();
    for (i, paragraph) in draft.paragraphs.iter().enumerate() {
        let words: Vec<&str> = text
            .get(paragraph.range.clone())
            .unwrap_or("")
            .split_whitespace()
            .collect();
        let mut name = words
            .iter()
            .take(NAME_WORDS)
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        if words.len() > NAME_WORDS {
            name.push('…');
        }
        symbols.push(symbol(
            name,
            format!("¶ {}", i + 1),
            SymbolKind::STRING,
            map.range(&paragraph.range),
        ));
    }
    symbols
}

fn field_symbol(field: &Field, map: LineMap<'_>) -> DocumentSymbol {
    let (label, kind) = match &field.kind {
        FieldKind::Leaning => ("leaning meter".to_string(), SymbolKind::NUMBER),
        FieldKind::Title => ("headline".to_string(), SymbolKind::CLASS),
        FieldKind::Subtitle => ("subtitle".to_string(), SymbolKind::PROPERTY),
        FieldKind::Date => ("publication date".to_string(), SymbolKind::EVENT),
        FieldKind::Author => ("author".to_string(), SymbolKind::FIELD),
        FieldKind::Custom(name) => (name.clone(), SymbolKind::FIELD),
    };
    let value = field.value.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = match value.char_indices().nth(NAME_CHARS) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value,
    };
    symbol(name, label, kind, map.range(&field.range))
}

fn symbol(
    name: String,
    detail: String,
    kind: SymbolKind,
    range: tower_lsp_server::ls_types::Range,
) -> DocumentSymbol {
    // Editors reject symbols with an empty name.
    let name = if name.is_empty() {
        detail.clone()
    } else {
        name
    };
    #[allow(deprecated)]
    DocumentSymbol {
        name,
        detail: Some(detail),
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: range,
        children: None,
    }
}
