//! The open documents, as ropes (built on the first edit), with their versions.
//!
//! Changes are applied here synchronously under a plain mutex, in the order the handlers are
//! called, before any `.await`: tower-lsp-server runs handlers concurrently, so a handler that
//! awaited first could apply its edits to stale text. Each change gives the document a new
//! `revision` (unique across the session) that keys analysis results; a result for an older
//! revision is stale and is dropped.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::convert;
use crate::draft::Format;
use crate::position::Encoding;

/// An open document. Its text is held as a rope, as one string, or both: a document that is
/// only read (opened, analysed, never edited) never pays for a rope, and one being edited keeps
/// its string only until the next change.
struct Document {
    rope: Option<Rope>,
    /// The text as one string, shared by the analysis, hover and code actions of a revision.
    text: Option<Arc<str>>,
    version: i32,
    revision: u64,
    /// `None` for a language that is never a draft (kept to answer its changes quietly).
    format: Option<Format>,
}

impl Document {
    /// The rope, built from the string on the first edit.
    fn rope_mut(&mut self) -> &mut Rope {
        let text = &self.text;
        self.rope
            .get_or_insert_with(|| Rope::from_str(text.as_deref().unwrap_or_default()))
    }

    /// The text as one string, copied out of the rope once per revision.
    fn text(&mut self) -> Arc<str> {
        let rope = &self.rope;
        self.text
            .get_or_insert_with(|| {
                let Some(rope) = rope else {
                    return Arc::from("");
                };
                let mut text = String::with_capacity(rope.len_bytes());
                for chunk in rope.chunks() {
                    text.push_str(chunk);
                }
                Arc::from(text)
            })
            .clone()
    }
}

/// What an analysis works on: the text as it was at one revision.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub uri: Uri,
    pub text: Arc<str>,
    pub version: i32,
    pub revision: u64,
    pub format: Option<Format>,
}

/// Where a document stands, without copying its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Current {
    pub version: i32,
    pub revision: u64,
}

/// Why a change could not be applied.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ChangeError {
    #[error("change to a document that is not open")]
    NotOpen,
}

#[derive(Default)]
pub(crate) struct DocumentStore {
    docs: Mutex<HashMap<Uri, Document>>,
    next_revision: AtomicU64,
}

impl DocumentStore {
    fn lock(&self) -> MutexGuard<'_, HashMap<Uri, Document>> {
        // A panic elsewhere while holding the lock leaves the map itself consistent: every
        // mutation below is a single assignment or a rope edit that completed.
        self.docs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn revision(&self) -> u64 {
        self.next_revision.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Opens (or reopens) a document and returns its revision.
    pub(crate) fn open(&self, uri: Uri, text: String, version: i32, format: Option<Format>) -> u64 {
        let revision = self.revision();
        let doc = Document {
            rope: None,
            text: Some(Arc::from(text)),
            version,
            revision,
            format,
        };
        self.lock().insert(uri, doc);
        revision
    }

    /// Applies content changes in order. Ranges are read in `encoding`; a range outside the text
    /// is clamped and logged. Returns the new revision.
    pub(crate) fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> Result<Current, ChangeError> {
        let revision = self.revision();
        let mut docs = self.lock();
        let doc = docs.get_mut(uri).ok_or(ChangeError::NotOpen)?;
        if version <= doc.version {
            tracing::warn!(
                uri = uri.as_str(),
                "change to version {version} after version {}",
                doc.version
            );
        }
        let rope = doc.rope_mut();
        for change in changes {
            apply(rope, change, encoding, uri);
        }
        doc.text = None;
        doc.version = version;
        doc.revision = revision;
        Ok(Current { version, revision })
    }

    pub(crate) fn close(&self, uri: &Uri) -> bool {
        self.lock().remove(uri).is_some()
    }

    pub(crate) fn current(&self, uri: &Uri) -> Option<Current> {
        self.lock().get(uri).map(|doc| Current {
            version: doc.version,
            revision: doc.revision,
        })
    }

    pub(crate) fn is_current(&self, uri: &Uri, revision: u64) -> bool {
        self.lock()
            .get(uri)
            .is_some_and(|doc| doc.revision == revision)
    }

    /// The document's current text (see [`Document::text`]); the lock is held for at most one
    /// memcpy of the text, so edits never wait on an analysis.
    pub(crate) fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let mut docs = self.lock();
        let doc = docs.get_mut(uri)?;
        let text = doc.text();
        Some(Snapshot {
            uri: uri.clone(),
            text,
            version: doc.version,
            revision: doc.revision,
            format: doc.format,
        })
    }

    /// Gives an open document a new revision (its findings may have changed with another
    /// draft) and returns it; `None` when it is not open.
    pub(crate) fn touch(&self, uri: &Uri) -> Option<Current> {
        let revision = self.revision();
        let mut docs = self.lock();
        let doc = docs.get_mut(uri)?;
        doc.revision = revision;
        Some(Current {
            version: doc.version,
            revision,
        })
    }

    /// Gives every open document a new revision (after a configuration change, so earlier
    /// results count as stale) and returns them.
    pub(crate) fn touch_all(&self) -> Vec<(Uri, Current)> {
        let mut docs = self.lock();
        docs.iter_mut()
            .map(|(uri, doc)| {
                doc.revision = self.revision();
                (
                    uri.clone(),
                    Current {
                        version: doc.version,
                        revision: doc.revision,
                    },
                )
            })
            .collect()
    }
}

fn apply(rope: &mut Rope, change: TextDocumentContentChangeEvent, encoding: Encoding, uri: &Uri) {
    let Some(range) = change.range else {
        *rope = Rope::from_str(&change.text);
        return;
    };
    let start = convert::rope_offset(rope, range.start, encoding);
    let end = convert::rope_offset(rope, range.end, encoding);
    if start.clamped || end.clamped {
        tracing::warn!(
            uri = uri.as_str(),
            "change range {}:{}-{}:{} is outside the text; clamped to bytes {}..{}",
            range.start.line,
            range.start.character,
            range.end.line,
            range.end.character,
            start.byte,
            end.byte
        );
    }
    let (from, to) = if start.byte <= end.byte {
        (start.byte, end.byte)
    } else {
        tracing::warn!(
            uri = uri.as_str(),
            "change range ends before it starts; swapped"
        );
        (end.byte, start.byte)
    };
    // Both offsets are character boundaries: `rope_offset` only returns those.
    let (from, to) = (rope.byte_to_char(from), rope.byte_to_char(to));
    rope.remove(from..to);
    rope.insert(from, &change.text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    use tower_lsp_server::ls_types::{Position, Range};

    fn uri() -> Uri {
        Uri::from_str("file:///borrador.txt").unwrap()
    }

    fn edit(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range {
                start: Position::new(sl, sc),
                end: Position::new(el, ec),
            }),
            range_length: None,
            text: text.into(),
        }
    }

    fn text(store: &DocumentStore) -> String {
        store.snapshot(&uri()).unwrap().text.to_string()
    }

    #[test]
    fn applies_changes_in_order_after_emoji_in_utf16() {
        let store = DocumentStore::default();
        store.open(
            uri(),
            "Hola 😀 mundo\nadiós\n".into(),
            1,
            Some(Format::Plain),
        );
        let changes = vec![edit(0, 8, 0, 13, "món"), edit(1, 0, 1, 5, "chau")];
        let current = store.change(&uri(), 2, changes, Encoding::Utf16).unwrap();
        assert_eq!(current.version, 2);
        assert_eq!(text(&store), "Hola 😀 món\nchau\n");
    }

    #[test]
    fn counts_utf8_columns_in_bytes() {
        let store = DocumentStore::default();
        store.open(uri(), "añadió\n".into(), 1, Some(Format::Plain));
        store
            .change(&uri(), 2, vec![edit(0, 3, 0, 3, "X")], Encoding::Utf8)
            .unwrap();
        assert_eq!(text(&store), "añXadió\n");
    }

    #[test]
    fn clamps_a_range_far_out_of_bounds() {
        let store = DocumentStore::default();
        store.open(uri(), "uno\ndos".into(), 1, Some(Format::Plain));
        store
            .change(&uri(), 2, vec![edit(1, 2, 4000, 99, "!")], Encoding::Utf16)
            .unwrap();
        assert_eq!(text(&store), "uno\ndo!");
        store
            .change(&uri(), 3, vec![edit(9, 9, 0, 1, "")], Encoding::Utf16)
            .unwrap();
        assert_eq!(text(&store), "u");
    }

    #[test]
    fn replaces_the_whole_text_without_a_range() {
        let store = DocumentStore::default();
        store.open(uri(), "viejo".into(), 1, Some(Format::Plain));
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "nuevo".into(),
        };
        store
            .change(&uri(), 2, vec![full], Encoding::Utf16)
            .unwrap();
        assert_eq!(text(&store), "nuevo");
    }

    #[test]
    fn refuses_changes_to_unknown_documents() {
        let store = DocumentStore::default();
        assert_eq!(
            store.change(&uri(), 1, vec![], Encoding::Utf16),
            Err(ChangeError::NotOpen)
        );
    }

    #[test]
    fn every_change_makes_earlier_revisions_stale() {
        let store = DocumentStore::default();
        let first = store.open(uri(), "a".into(), 1, Some(Format::Plain));
        assert!(store.is_current(&uri(), first));
        store
            .change(&uri(), 2, vec![edit(0, 1, 0, 1, "b")], Encoding::Utf16)
            .unwrap();
        assert!(!store.is_current(&uri(), first));
        let touched = store.touch_all();
        assert_eq!(touched.len(), 1);
        assert!(store.is_current(&uri(), touched[0].1.revision));
    }
}
