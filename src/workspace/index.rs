//! The in-memory index of a workspace's drafts: per draft its path, headline, publication
//! date and the sketches of its comparable paragraphs; across drafts, postings from each
//! fingerprint and LSH band key to the paragraphs that carry it, so a lookup touches only the
//! paragraphs that could match, never the whole workspace.
//!
//! Drafts live in reusable slots; updating or removing one touches only its own postings.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rustc_hash::FxHashMap;

use super::age::{self, Age};
use super::postings::{DraftSet, Posting, PostingMap};
use super::sketch::{ParagraphSketch, Sketcher};
use crate::config::Config;
use crate::draft::{self, Draft, FieldKind, Format, Parsed, PubDate};

/// What a front end shows about an indexed draft (a hover on a cross-draft duplicate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftInfo {
    pub path: PathBuf,
    /// The draft's title field, when it has a non-empty one.
    pub headline: Option<String>,
    /// The draft's valid publication date, when it has one.
    pub published: Option<PubDate>,
    /// The file's modification time when it was indexed (the time of indexing for a document
    /// that is not on disk).
    pub modified: SystemTime,
}

impl DraftInfo {
    /// The headline in quotes, or the file name when the draft has none.
    pub fn title(&self) -> String {
        match &self.headline {
            Some(headline) => format!("\u{201C}{headline}\u{201D}"),
            None => self.path.file_name().map_or_else(
                || self.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
        }
    }

    /// The date that places the draft in time: `2026-01-14 05:01` from its date field, or
    /// `modified 2026-01-14 10:32` from its file.
    pub fn date_label(&self) -> String {
        match self.published {
            Some(date) => age::display(date.date, date.time),
            None => {
                let local = age::local_datetime(self.modified);
                format!(
                    "modified {}",
                    age::display(local.date(), Some(local.time()))
                )
            }
        }
    }

    /// `“Headline” (2026-01-14 05:01)`: how findings name the draft.
    pub fn describe(&self) -> String {
        format!("{} ({})", self.title(), self.date_label())
    }
}

/// One comparable paragraph of an indexed draft.
#[derive(Debug, Clone)]
pub(crate) struct IndexedParagraph {
    /// Byte range of the paragraph's text in the draft (a draft is far below 4 GiB).
    pub start: u32,
    pub end: u32,
    pub sketch: ParagraphSketch,
}

/// An indexed draft.
#[derive(Debug)]
pub(crate) struct Entry {
    pub info: DraftInfo,
    pub age: Age,
    /// Hash of the text the draft was indexed from: a lookup of that same text reuses the
    /// paragraphs' sketches instead of sketching them again.
    pub text_hash: u64,
    pub paragraphs: Box<[IndexedParagraph]>,
}

impl Entry {
    /// The indexed sketch of the paragraph at `start..end`, if the entry has one.
    pub(crate) fn sketch_at(&self, start: usize, end: usize) -> Option<&ParagraphSketch> {
        let at = self
            .paragraphs
            .binary_search_by_key(&start, |p| p.start as usize)
            .ok()?;
        let paragraph = self.paragraphs.get(at)?;
        (paragraph.end as usize == end).then_some(&paragraph.sketch)
    }
}

/// A draft read and sketched, ready to enter the index with [`Index::insert`]. Built off the
/// index (on worker threads while scanning, or before a server takes the lock on its index),
/// so the index itself is only held for the postings update.
pub struct LoadedDraft {
    info: DraftInfo,
    text_hash: u64,
    paragraphs: Vec<IndexedParagraph>,
}

impl LoadedDraft {
    /// Reads `text` as the current content of the draft at `path`, dated by the file's
    /// modification time (now, for a document that is not on disk).
    pub fn new(path: PathBuf, text: &str, config: &Config) -> LoadedDraft {
        let modified = modified_time(&path);
        LoadedDraft::read(path, text, modified, config, &mut Sketcher::default())
    }

    /// Sketches a draft already read from `text` (an analysis has it), without reading it
    /// again; `modified` is the file's modification time.
    pub fn from_draft(
        path: PathBuf,
        text: &str,
        draft: &Draft,
        modified: SystemTime,
        config: &Config,
    ) -> LoadedDraft {
        LoadedDraft::sketched(
            path,
            text,
            draft,
            modified,
            config,
            &mut Sketcher::default(),
        )
    }

    pub(crate) fn read(
        path: PathBuf,
        text: &str,
        modified: SystemTime,
        config: &Config,
        sketcher: &mut Sketcher,
    ) -> LoadedDraft {
        let draft = draft::read(text, Format::from_path(&path), &config.profile);
        LoadedDraft::sketched(path, text, &draft, modified, config, sketcher)
    }

    fn sketched(
        path: PathBuf,
        text: &str,
        draft: &Draft,
        modified: SystemTime,
        config: &Config,
        sketcher: &mut Sketcher,
    ) -> LoadedDraft {
        let headline = draft
            .field(&FieldKind::Title)
            .map(|f| f.value.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_string);
        let paragraphs = sketch_paragraphs(text, draft, config.min_paragraph_words, sketcher)
            .map(|(start, end, sketch)| IndexedParagraph { start, end, sketch })
            .collect();
        let info = DraftInfo {
            path,
            headline,
            published: publication_date(draft),
            modified,
        };
        LoadedDraft {
            info,
            text_hash: text_hash(text),
            paragraphs,
        }
    }

    pub fn path(&self) -> &Path {
        &self.info.path
    }

    pub(crate) fn paragraph_count(&self) -> usize {
        self.paragraphs.len()
    }

    /// The fingerprints and band keys of the draft's paragraphs.
    pub(crate) fn keys(&self) -> impl Iterator<Item = (u64, &[u32])> + '_ {
        self.paragraphs.iter().map(|p| {
            let bands = p.sketch.bands.as_ref().map_or(&[][..], |b| &b[..]);
            (p.sketch.fingerprint, bands)
        })
    }
}

/// The hash that tells whether a lookup is for the very text a draft was indexed from.
pub(crate) fn text_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// The draft's valid publication date, if it has one.
pub(crate) fn publication_date(draft: &Draft) -> Option<PubDate> {
    match draft.field(&FieldKind::Date).map(|f| &f.parsed) {
        Some(Parsed::Date(Ok(date))) => Some(*date),
        _ => None,
    }
}

/// The paragraphs of `draft` with at least `min_words` words, as `(start, end, sketch)`, with
/// their index in `draft.paragraphs`.
pub(crate) fn sketch_paragraphs<'a>(
    text: &'a str,
    draft: &'a Draft,
    min_words: usize,
    sketcher: &'a mut Sketcher,
) -> impl Iterator<Item = (u32, u32, ParagraphSketch)> + 'a {
    draft.paragraphs.iter().filter_map(move |paragraph| {
        let start = u32::try_from(paragraph.range.start).ok()?;
        let end = u32::try_from(paragraph.range.end).ok()?;
        let sketch = sketcher.sketch(text.get(paragraph.range.clone())?);
        (sketch.words as usize >= min_words).then_some((start, end, sketch))
    })
}

/// The file's modification time, or now for a document that is not (or no longer) on disk:
/// an unsaved document is the newest draft there is.
pub fn modified_time(path: &Path) -> SystemTime {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| SystemTime::now())
}

/// The workspace index. Plain data (`Send + Sync`): a server keeps it behind a lock and takes
/// it for a few map operations per change.
///
/// Paths are keys as given: pass the same form (absolute paths, as [`super::scan`] stores them)
/// to every call.
#[derive(Default)]
pub struct Index {
    drafts: Vec<Option<Entry>>,
    free: Vec<u32>,
    ids: FxHashMap<PathBuf, u32>,
    fingerprints: PostingMap<u64>,
    bands: PostingMap<u32>,
}

impl Index {
    pub fn new() -> Index {
        Index::default()
    }

    /// Number of indexed drafts.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn contains(&self, path: &Path) -> bool {
        self.ids.contains_key(path)
    }

    /// The indexed drafts' paths, sorted: what a workspace-wide report walks.
    pub fn paths(&self) -> Vec<&Path> {
        let mut paths: Vec<&Path> = self.ids.keys().map(PathBuf::as_path).collect();
        paths.sort_unstable();
        paths
    }

    /// Headline, publication date and modification time of an indexed draft.
    pub fn draft_info(&self, path: &Path) -> Option<&DraftInfo> {
        self.entry_of(path).map(|e| &e.info)
    }

    /// Indexes `text` as the current content of the draft at `path` (an open document as it is
    /// edited, or a file changed on disk), replacing what was indexed for it. Returns the other
    /// drafts whose cross-draft findings may change: those sharing a fingerprint or band key
    /// with the draft's old or new paragraphs.
    pub fn upsert(&mut self, path: &Path, text: &str, config: &Config) -> BTreeSet<PathBuf> {
        self.insert(LoadedDraft::new(path.to_path_buf(), text, config))
    }

    /// Indexes a draft loaded off the index, replacing what was indexed under its path, and
    /// returns the other drafts whose findings may change, as [`upsert`](Self::upsert) does.
    pub fn insert(&mut self, loaded: LoadedDraft) -> BTreeSet<PathBuf> {
        let path = loaded.path().to_path_buf();
        let mut affected = self.affected_by(&path);
        self.put(loaded);
        affected.extend(self.affected_by(&path));
        affected
    }

    /// Forgets the draft at `path` (deleted, or no longer a draft). Returns the other drafts
    /// whose findings may change, as [`upsert`](Self::upsert) does.
    pub fn remove(&mut self, path: &Path) -> BTreeSet<PathBuf> {
        let affected = self.affected_by(path);
        self.take(path);
        affected
    }

    /// The other drafts that share a fingerprint or an LSH band key with a paragraph of the
    /// draft at `path` as indexed now: those whose cross-draft findings can depend on it.
    pub fn affected_by(&self, path: &Path) -> BTreeSet<PathBuf> {
        let Some(id) = self.id(path) else {
            return BTreeSet::new();
        };
        let Some(entry) = self.entry(id) else {
            return BTreeSet::new();
        };
        let mut drafts = DraftSet::new(self.slots());
        drafts.insert(id);
        for paragraph in entry.paragraphs.iter() {
            let sketch = &paragraph.sketch;
            let banded = sketch.bands.iter().flatten().map(|&key| self.banded(key));
            for posting in std::iter::once(self.exact(sketch.fingerprint))
                .chain(banded)
                .flatten()
            {
                drafts.insert(posting.draft);
            }
        }
        drafts
            .iter()
            .filter(|&d| d != id)
            .filter_map(|d| self.entry(d))
            .map(|e| e.info.path.clone())
            .collect()
    }

    /// Adds a loaded draft, replacing any draft indexed under its path.
    pub(crate) fn put(&mut self, loaded: LoadedDraft) {
        self.put_where(loaded, |_| true, |_| true);
    }

    /// [`put`](Self::put), giving postings only to the fingerprints and band keys that pass the
    /// filters (a batch index leaves out the keys no other paragraph has).
    pub(crate) fn put_where(
        &mut self,
        loaded: LoadedDraft,
        keep_fingerprint: impl Fn(u64) -> bool,
        keep_band: impl Fn(u32) -> bool,
    ) {
        self.take(&loaded.info.path);
        let id = match self.free.pop() {
            Some(id) => id,
            None => match u32::try_from(self.drafts.len()) {
                Ok(id) if id < u32::MAX => {
                    self.drafts.push(None);
                    id
                }
                _ => {
                    tracing::warn!(
                        "workspace index is full; not indexing {}",
                        loaded.info.path.display()
                    );
                    return;
                }
            },
        };
        for (paragraph, indexed) in (0u32..).zip(&loaded.paragraphs) {
            let posting = Posting {
                draft: id,
                paragraph,
            };
            if keep_fingerprint(indexed.sketch.fingerprint) {
                self.fingerprints
                    .insert(indexed.sketch.fingerprint, posting);
            }
            for &key in indexed.sketch.bands.iter().flatten() {
                if keep_band(key) {
                    self.bands.insert(key, posting);
                }
            }
        }
        let LoadedDraft {
            info,
            text_hash,
            paragraphs,
        } = loaded;
        self.ids.insert(info.path.clone(), id);
        let age = Age::new(info.published, info.modified);
        if let Some(slot) = self.drafts.get_mut(id as usize) {
            *slot = Some(Entry {
                info,
                age,
                text_hash,
                paragraphs: paragraphs.into_boxed_slice(),
            });
        }
    }

    /// Makes room for about `paragraphs` more paragraphs (each with a fingerprint and a key per
    /// band, nearly all distinct) before a bulk load.
    pub(crate) fn reserve(&mut self, paragraphs: usize) {
        self.fingerprints.reserve(paragraphs);
        self.bands
            .reserve(paragraphs.saturating_mul(crate::similarity::minhash::BANDS));
    }

    fn take(&mut self, path: &Path) -> Option<Entry> {
        let id = self.ids.remove(path)?;
        let entry = self.drafts.get_mut(id as usize)?.take()?;
        for (paragraph, indexed) in (0u32..).zip(entry.paragraphs.iter()) {
            let posting = Posting {
                draft: id,
                paragraph,
            };
            self.fingerprints
                .remove(indexed.sketch.fingerprint, posting);
            for &key in indexed.sketch.bands.iter().flatten() {
                self.bands.remove(key, posting);
            }
        }
        self.free.push(id);
        Some(entry)
    }

    pub(crate) fn id(&self, path: &Path) -> Option<u32> {
        self.ids.get(path).copied()
    }

    pub(crate) fn entry(&self, id: u32) -> Option<&Entry> {
        self.drafts.get(id as usize).and_then(Option::as_ref)
    }

    fn entry_of(&self, path: &Path) -> Option<&Entry> {
        self.id(path).and_then(|id| self.entry(id))
    }

    /// The paragraphs whose normalised text has this fingerprint.
    pub(crate) fn exact(&self, fingerprint: u64) -> &[Posting] {
        self.fingerprints.get(fingerprint)
    }

    /// The paragraphs with this LSH band key.
    pub(crate) fn banded(&self, key: u32) -> &[Posting] {
        self.bands.get(key)
    }

    /// One more than the highest draft slot in use.
    pub(crate) fn slots(&self) -> usize {
        self.drafts.len()
    }
}
