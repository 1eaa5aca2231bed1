//! The workspace index as the server holds it: every draft of the workspace folders, with the
//! open documents indexed from the editor's text (which wins over the disk's while they are
//! open), behind a read-write lock that is only ever held for map operations and lookups, never
//! for reading or sketching a file.
//!
//! It also stamps every change: each draft's stamp moves whenever its cross-draft findings may
//! have changed (itself or a draft sharing a paragraph changed), which gives the workspace
//! diagnostics of unopened drafts result ids that stay valid until something they depend on
//! moves.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::config::Config;
use crate::draft::Draft;
use crate::finding::Finding;
use crate::workspace::{DraftInfo, Index, LoadedDraft, modified_time};

/// An open draft as indexed: the revision and text the index holds for it.
struct OpenDraft {
    revision: u64,
    text: Arc<str>,
    config: Arc<Config>,
}

#[derive(Default)]
struct State {
    index: Index,
    /// `Some` while a scan runs: the files that changed on disk meanwhile (the scan may have read
    /// them before the change), read again once it ends.
    pending: Option<BTreeSet<PathBuf>>,
    open: HashMap<PathBuf, OpenDraft>,
    /// Per draft, the stamp of the last change that may have changed its findings.
    stamps: HashMap<PathBuf, u64>,
    /// Moves when every draft's findings may have changed (a scan, a configuration change).
    epoch: u64,
    next_stamp: u64,
}

impl State {
    fn stamp<'a>(&mut self, paths: impl IntoIterator<Item = &'a PathBuf>) {
        self.next_stamp += 1;
        for path in paths {
            self.stamps.insert(path.clone(), self.next_stamp);
        }
    }

    /// Indexes a draft and stamps it and the drafts it affects; returns those.
    fn insert(&mut self, loaded: LoadedDraft) -> BTreeSet<PathBuf> {
        let path = loaded.path().to_path_buf();
        let affected = self.index.insert(loaded);
        self.stamp(affected.iter().chain([&path]));
        affected
    }

    fn remove(&mut self, path: &Path) -> BTreeSet<PathBuf> {
        if !self.index.contains(path) {
            return BTreeSet::new();
        }
        let affected = self.index.remove(path);
        self.stamps.remove(path);
        self.stamp(&affected);
        affected
    }
}

/// What a finished scan leaves to do.
#[derive(Debug, Default)]
pub(crate) struct ScanEnd {
    /// Files changed on disk while the scan ran, to be read again.
    pub pending: BTreeSet<PathBuf>,
    /// Open drafts that share a paragraph with another draft of the new index.
    pub sharing: BTreeSet<PathBuf>,
}

#[derive(Default)]
pub(crate) struct Newsroom {
    state: RwLock<State>,
    /// A scan is waiting for the running one to end (more requests add nothing).
    pub scan_queued: AtomicBool,
    /// Held by the scan that runs, so scans never overlap.
    pub scan_lock: tokio::sync::Mutex<()>,
}

impl Newsroom {
    fn read(&self) -> RwLockReadGuard<'_, State> {
        // Every mutation below completes or leaves the maps as they were.
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Indexes an open document's text at `revision` (read as `draft` with `config`), unless
    /// that revision or a newer one, or the same text, is indexed already. Returns the other
    /// drafts whose findings may have changed.
    pub(crate) fn index_open(
        &self,
        path: &Path,
        revision: u64,
        text: &Arc<str>,
        draft: &Draft,
        config: &Arc<Config>,
    ) -> BTreeSet<PathBuf> {
        {
            let mut state = self.write();
            if let Some(open) = state.open.get_mut(path) {
                if open.revision >= revision {
                    return BTreeSet::new();
                }
                if *open.text == **text && *open.config == **config {
                    open.revision = revision;
                    return BTreeSet::new();
                }
            }
        }
        // Sketched without the lock: a large document must not hold up other lookups.
        let loaded =
            LoadedDraft::from_draft(path.to_path_buf(), text, draft, modified_time(path), config);
        let mut state = self.write();
        if state.open.get(path).is_some_and(|o| o.revision >= revision) {
            return BTreeSet::new();
        }
        state.open.insert(
            path.to_path_buf(),
            OpenDraft {
                revision,
                text: text.clone(),
                config: config.clone(),
            },
        );
        state.insert(loaded)
    }

    /// An open document grew past the size limit: it is no longer indexed.
    pub(crate) fn forget_open(&self, path: &Path) -> BTreeSet<PathBuf> {
        let mut state = self.write();
        state.open.remove(path);
        state.remove(path)
    }

    /// The document was closed: its editor text no longer counts. Returns whether it was
    /// indexed as open (the caller then indexes the file on disk again, or forgets it).
    pub(crate) fn close(&self, path: &Path) -> bool {
        self.write().open.remove(path).is_some()
    }

    /// Indexes a draft read from disk, unless its document is open (the editor's text wins).
    pub(crate) fn insert_from_disk(&self, loaded: LoadedDraft) -> BTreeSet<PathBuf> {
        let mut state = self.write();
        let path = loaded.path().to_path_buf();
        if let Some(pending) = &mut state.pending {
            pending.insert(path.clone());
        }
        if state.open.contains_key(&path) {
            return BTreeSet::new();
        }
        state.insert(loaded)
    }

    /// Forgets a draft that is gone from disk or is no longer a draft, unless its document is
    /// open.
    pub(crate) fn remove_from_disk(&self, path: &Path) -> BTreeSet<PathBuf> {
        let mut state = self.write();
        if let Some(pending) = &mut state.pending {
            pending.insert(path.to_path_buf());
        }
        if state.open.contains_key(path) {
            return BTreeSet::new();
        }
        state.remove(path)
    }

    /// A scan starts: changes on disk from now on are remembered for replay.
    pub(crate) fn begin_scan(&self) {
        self.write().pending = Some(BTreeSet::new());
    }

    /// A scan ended: its index replaces the current one, the open documents are indexed into it
    /// again from their editor text, and every draft's findings count as changed. Returns the
    /// files that changed on disk during the scan, to be read again, and the open drafts that
    /// share a paragraph with another draft (whose findings the new index may change).
    pub(crate) fn finish_scan(&self, mut scanned: Index) -> ScanEnd {
        // Sketched into the new index before it is shared, without the lock.
        let open: Vec<(PathBuf, u64, Arc<str>, Arc<Config>)> = self
            .read()
            .open
            .iter()
            .map(|(path, o)| (path.clone(), o.revision, o.text.clone(), o.config.clone()))
            .collect();
        let mut indexed = HashMap::new();
        for (path, revision, text, config) in open {
            scanned.insert(LoadedDraft::new(path.clone(), &text, &config));
            indexed.insert(path, revision);
        }
        let mut state = self.write();
        state.index = scanned;
        // Documents edited (or opened) while the lock was free are indexed again under it.
        let stale: Vec<LoadedDraft> = state
            .open
            .iter()
            .filter(|(path, o)| indexed.get(*path) != Some(&o.revision))
            .map(|(path, o)| LoadedDraft::new(path.clone(), &o.text, &o.config))
            .collect();
        for loaded in stale {
            state.index.insert(loaded);
        }
        state.stamps.clear();
        state.epoch += 1;
        let sharing = state
            .open
            .keys()
            .filter(|path| !state.index.affected_by(path).is_empty())
            .cloned()
            .collect();
        ScanEnd {
            pending: state.pending.take().unwrap_or_default(),
            sharing,
        }
    }

    /// Every draft's findings may have changed (the configuration did).
    pub(crate) fn invalidate_all(&self) {
        self.write().epoch += 1;
    }

    /// The `cross-draft-duplicate` findings of the draft at `path` with this text.
    pub(crate) fn lookup(
        &self,
        path: &Path,
        text: &str,
        draft: &Draft,
        config: &Config,
    ) -> Vec<Finding> {
        self.read()
            .index
            .cross_draft_findings(path, text, draft, config)
    }

    pub(crate) fn info(&self, path: &Path) -> Option<DraftInfo> {
        self.read().index.draft_info(path).cloned()
    }

    /// The text an open draft was indexed from (ranges into it refer to that text); `None` for
    /// a draft indexed from disk.
    pub(crate) fn open_text(&self, path: &Path) -> Option<Arc<str>> {
        self.read().open.get(path).map(|open| open.text.clone())
    }

    /// Every indexed draft with the result id of its current findings.
    pub(crate) fn drafts(&self) -> Vec<(PathBuf, String)> {
        let state = self.read();
        state
            .index
            .paths()
            .into_iter()
            .map(|path| {
                let stamp = state.stamps.get(path).copied().unwrap_or(0);
                (path.to_path_buf(), format!("w{}.{stamp}", state.epoch))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::{self, Format};

    const SHARED: &str = "La cooperativa de pescadores firmó ayer el acuerdo que fija las cuotas de \
        captura para toda la temporada de invierno en la bahía.";

    fn text(date: &str, body: &str) -> Arc<str> {
        Arc::from(format!(
            "Progresista 50% Conservador 50%\nTitular\nSubtítulo de la pieza.\nPublicado: {date}\n{body}\n"
        ))
    }

    fn open(newsroom: &Newsroom, path: &Path, revision: u64, text: &Arc<str>) -> BTreeSet<PathBuf> {
        let config = Arc::new(Config::default());
        let draft = draft::read(text, Format::Plain, &config.profile);
        newsroom.index_open(path, revision, text, &draft, &config)
    }

    #[test]
    fn an_older_revision_never_replaces_a_newer_one() {
        let newsroom = Newsroom::default();
        let older = PathBuf::from("/redaccion/a.txt");
        let newer = PathBuf::from("/redaccion/b.txt");
        open(&newsroom, &older, 1, &text("1 de mayo de 2026", SHARED));
        let with_copy = text("2 de mayo de 2026", SHARED);
        assert_eq!(
            open(&newsroom, &newer, 5, &with_copy),
            BTreeSet::from([older.clone()])
        );
        assert!(
            open(
                &newsroom,
                &newer,
                4,
                &text("2 de mayo de 2026", "Otra cosa.")
            )
            .is_empty()
        );
        assert_eq!(newsroom.open_text(&newer).as_deref(), Some(&*with_copy));
        assert!(
            open(&newsroom, &newer, 6, &with_copy).is_empty(),
            "the same text again changes nothing"
        );
    }

    #[test]
    fn the_editor_text_wins_over_the_disk_until_closed() {
        let newsroom = Newsroom::default();
        let path = PathBuf::from("/redaccion/a.txt");
        let editor = text("1 de mayo de 2026", SHARED);
        open(&newsroom, &path, 1, &editor);
        let config = Config::default();
        let disk = LoadedDraft::new(path.clone(), "Otra versión en disco.", &config);
        newsroom.insert_from_disk(disk);
        assert_eq!(newsroom.open_text(&path).as_deref(), Some(&*editor));
        assert!(newsroom.remove_from_disk(&path).is_empty());
        assert_eq!(newsroom.drafts().len(), 1);
        assert!(newsroom.close(&path));
        newsroom.remove_from_disk(&path);
        assert!(newsroom.drafts().is_empty());
    }

    #[test]
    fn result_ids_move_for_the_changed_draft_and_those_it_affects() {
        let newsroom = Newsroom::default();
        let a = PathBuf::from("/redaccion/a.txt");
        let b = PathBuf::from("/redaccion/b.txt");
        let c = PathBuf::from("/redaccion/c.txt");
        open(&newsroom, &a, 1, &text("1 de mayo de 2026", SHARED));
        open(
            &newsroom,
            &c,
            1,
            &text("1 de mayo de 2026", "Nada en común aquí."),
        );
        let before: HashMap<_, _> = newsroom.drafts().into_iter().collect();
        open(&newsroom, &b, 1, &text("2 de mayo de 2026", SHARED));
        let after: HashMap<_, _> = newsroom.drafts().into_iter().collect();
        assert_ne!(before[&a], after[&a]);
        assert_eq!(before[&c], after[&c]);
        newsroom.invalidate_all();
        let later: HashMap<_, _> = newsroom.drafts().into_iter().collect();
        assert_ne!(after[&c], later[&c]);
    }

    #[test]
    fn a_finished_scan_keeps_open_documents_and_returns_what_changed_meanwhile() {
        let newsroom = Newsroom::default();
        let open_path = PathBuf::from("/redaccion/abierto.txt");
        open(&newsroom, &open_path, 1, &text("1 de mayo de 2026", SHARED));
        newsroom.begin_scan();
        let changed = PathBuf::from("/redaccion/cambiado.txt");
        newsroom.remove_from_disk(&changed);
        let end = newsroom.finish_scan(Index::new());
        assert_eq!(end.pending, BTreeSet::from([changed]));
        assert!(end.sharing.is_empty());
        assert_eq!(newsroom.drafts().len(), 1);
        assert!(newsroom.open_text(&open_path).is_some());
    }
}
