//! Finding and indexing the drafts of a folder: walked with ripgrep's `ignore` walker
//! (`.gitignore`, `.ignore` and hidden files respected, symlinks not followed), filtered by
//! `galley.toml`'s include/exclude globs, then read, parsed and sketched in parallel while the
//! calling thread adds each draft to the index and reports progress.
//!
//! A file that cannot be indexed (too large, not UTF-8, unreadable) is skipped with a warning
//! naming it; nothing else is lost.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::SystemTime;

use ignore::gitignore::Gitignore;
use rayon::prelude::*;

use super::index::{Index, LoadedDraft};
use super::sketch::Sketcher;
use crate::config::Config;
use crate::config::file::DraftFilter;

/// Files larger than this are not drafts but exports, logs or data: skipped by default.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// How a scan treats files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    /// Files larger than this many bytes are skipped.
    pub max_file_size: u64,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Why a file was not indexed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    #[error("larger than the size limit ({size} bytes, limit {limit})")]
    TooLarge { size: u64, limit: u64 },
    #[error("not UTF-8 text")]
    NotUtf8,
    #[error("cannot read: {0}")]
    Unreadable(String),
}

/// A file that was not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: SkipReason,
}

/// What a scan did, paths sorted.
#[derive(Debug, Default)]
pub struct ScanReport {
    /// The drafts now in the index (absolute paths).
    pub indexed: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
}

/// A scan that could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{}: cannot scan: {source}", path.display())]
    Root { path: PathBuf, source: io::Error },
    #[error("invalid include or exclude glob: {0}")]
    Glob(#[from] globset::Error),
}

/// Indexes every draft under `root` into `index` (replacing drafts already indexed under the
/// same paths), as `config` says which files are drafts (its globs are relative to its
/// `galley.toml`'s folder, or to `root` without one) and how to read them.
///
/// `progress(done, total)` is called on the calling thread with `done` = 0 once the folder has
/// been walked, then after every file (indexed or skipped), ending at `done == total`.
/// Call it from a thread that may block: reading runs on rayon's pool.
pub fn scan(
    index: &mut Index,
    root: &Path,
    config: &Config,
    options: &ScanOptions,
    progress: impl FnMut(usize, usize),
) -> Result<ScanReport, ScanError> {
    let root = absolute_root(root)?;
    let filter_root = config
        .source
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(&root);
    let filter = DraftFilter::new(config, filter_root)?;
    let config = Arc::new(config.clone());
    let select = |path: &Path| filter.is_draft(path).then(|| config.clone());
    scan_with(index, &root, options, select, progress)
}

/// [`scan`] with the caller deciding, file by file, whether a walked file is a draft and which
/// configuration reads it (say, the nearest `galley.toml` of each folder). `select` is called on
/// the calling thread, in walk order, for every file the walker yields (hidden, ignored and
/// symlinked files never reach it).
pub fn scan_with(
    index: &mut Index,
    root: &Path,
    options: &ScanOptions,
    select: impl FnMut(&Path) -> Option<Arc<Config>>,
    mut progress: impl FnMut(usize, usize),
) -> Result<ScanReport, ScanError> {
    let root = absolute_root(root)?;
    let (candidates, mut skipped) = walk(&root, select);
    for skip in &skipped {
        warn_skipped(skip);
    }
    let total = candidates.len();
    progress(0, total);
    let mut indexed = Vec::with_capacity(total);
    std::thread::scope(|threads| {
        let (sender, receiver) = mpsc::channel();
        let candidates = &candidates;
        threads.spawn(move || {
            candidates.par_iter().for_each_init(
                || (sender.clone(), Sketcher::default()),
                |(sender, sketcher), (path, config)| {
                    // The receiver lives until every sender is gone, so this cannot fail.
                    let _ = sender.send(load(path, config, options, sketcher));
                },
            );
        });
        // Once a sample of the drafts is in, the maps are grown once to the size the whole
        // folder will need: growing step by step rehashes every key several times and, at each
        // step, holds the old table and the new one at once.
        let sample = (total / 16).max(64);
        let mut paragraphs = 0usize;
        for (done, result) in (1..).zip(receiver) {
            match result {
                Ok(loaded) => {
                    paragraphs += loaded.paragraph_count();
                    indexed.push(loaded.path().to_path_buf());
                    index.put(loaded);
                }
                Err(skip) => {
                    warn_skipped(&skip);
                    skipped.push(skip);
                }
            }
            if done == sample && done < total {
                index.reserve(paragraphs.saturating_mul(total - done) / done);
            }
            progress(done, total);
        }
    });
    indexed.sort_unstable();
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(ScanReport { indexed, skipped })
}

/// Reads, parses and sketches one file as a scan would (same size limit, UTF-8 only), for a
/// front end to [`Index::insert`] it when the file changes on disk. A file that cannot be
/// indexed is logged and returned as skipped.
pub fn read_draft(
    path: &Path,
    config: &Config,
    options: &ScanOptions,
) -> Result<LoadedDraft, Skipped> {
    load(path, config, options, &mut Sketcher::default()).inspect_err(warn_skipped)
}

/// Whether a walk of `root` would reach the file at `path`: it lies under `root`, no part of it
/// below `root` is hidden, it is not a symbolic link, and no `.ignore` or `.gitignore` file on
/// the way down ignores it. Whether it is a draft is the caller's filter's to say. For a file
/// that appeared after the scan (a file-watcher event): the walk's own rules, one path at a
/// time.
pub fn would_walk(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let hidden = relative
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    if hidden || relative.as_os_str().is_empty() {
        return false;
    }
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return false;
    }
    // The folders from `root` down to the file's, each with its ignore files (`.ignore` first:
    // it wins over `.gitignore` in the same folder).
    let mut folders: Vec<&Path> = path
        .ancestors()
        .skip(1)
        .take_while(|dir| dir.starts_with(root))
        .collect();
    folders.reverse();
    let rules: Vec<Vec<Gitignore>> = folders.iter().map(|dir| ignore_files(dir)).collect();
    // As the walk goes: each folder on the way, then the file, is checked against the rules of
    // the folders above it, the deepest first; an ignored folder is never entered, so nothing
    // in it can be re-included.
    let entries = folders
        .iter()
        .skip(1)
        .map(|dir| (*dir, true))
        .chain([(path, false)]);
    for (depth, (entry, is_dir)) in entries.enumerate() {
        let verdict = rules[..=depth]
            .iter()
            .rev()
            .flatten()
            .map(|rules| rules.matched(entry, is_dir))
            .find(|m| !m.is_none());
        if verdict.is_some_and(|m| m.is_ignore()) {
            return false;
        }
    }
    true
}

/// The `.ignore` and `.gitignore` rules of one folder, in that order.
fn ignore_files(dir: &Path) -> Vec<Gitignore> {
    [".ignore", ".gitignore"]
        .into_iter()
        .map(|name| dir.join(name))
        .filter(|file| file.is_file())
        .map(|file| {
            let (rules, error) = Gitignore::new(&file);
            if let Some(error) = error {
                tracing::debug!("{}: {error}", file.display());
            }
            rules
        })
        .collect()
}

fn absolute_root(root: &Path) -> Result<PathBuf, ScanError> {
    let absolute = std::path::absolute(root).map_err(|source| ScanError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    let meta = std::fs::metadata(&absolute).map_err(|source| ScanError::Root {
        path: absolute.clone(),
        source,
    })?;
    if !meta.is_dir() {
        let source = io::Error::new(io::ErrorKind::NotADirectory, "not a folder");
        return Err(ScanError::Root {
            path: absolute,
            source,
        });
    }
    Ok(absolute)
}

fn warn_skipped(skip: &Skipped) {
    tracing::warn!("skipping {}: {}", skip.path.display(), skip.reason);
}

/// The draft files under `root` with their configurations, sorted by path, and the entries
/// the walk could not read.
fn walk(
    root: &Path,
    mut select: impl FnMut(&Path) -> Option<Arc<Config>>,
) -> (Vec<(PathBuf, Arc<Config>)>, Vec<Skipped>) {
    let mut drafts = Vec::new();
    let mut skipped = Vec::new();
    // `.gitignore` counts even outside a Git repository: a newsroom folder that has one means
    // it. Symlinks are not followed: one leading out of the folder would index another tree,
    // and one within it would index a draft twice, as its own copy.
    let walker = ignore::WalkBuilder::new(root)
        .require_git(false)
        .follow_links(false)
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let Some(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_symlink() {
                    tracing::debug!("not following symlink {}", entry.path().display());
                } else if kind.is_file()
                    && let Some(config) = select(entry.path())
                {
                    drafts.push((entry.into_path(), config));
                }
            }
            Err(err) => match (error_path(&err), err.io_error()) {
                (Some(path), Some(io)) => skipped.push(Skipped {
                    path,
                    reason: SkipReason::Unreadable(io.to_string()),
                }),
                _ => tracing::warn!("while walking {}: {err}", root.display()),
            },
        }
    }
    drafts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    (drafts, skipped)
}

/// The file or folder a directory-walk error is about, if it names one (it may be wrapped in
/// depth or line-number context). Shared with `galley check`'s own walk.
pub(crate) fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// Reads, parses and sketches one file.
fn load(
    path: &Path,
    config: &Config,
    options: &ScanOptions,
    sketcher: &mut Sketcher,
) -> Result<LoadedDraft, Skipped> {
    let skip = |reason| Skipped {
        path: path.to_path_buf(),
        reason,
    };
    let unreadable = |e: io::Error| skip(SkipReason::Unreadable(e.to_string()));
    let limit = options.max_file_size;
    let file = File::open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if meta.len() > limit {
        return Err(skip(SkipReason::TooLarge {
            size: meta.len(),
            limit,
        }));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    // Bounded, in case the file grows between the size check and the read.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    let size = bytes.len() as u64;
    if size > limit {
        return Err(skip(SkipReason::TooLarge { size, limit }));
    }
    let text = String::from_utf8(bytes).map_err(|_| skip(SkipReason::NotUtf8))?;
    let modified = meta.modified().unwrap_or_else(|_| SystemTime::now());
    Ok(LoadedDraft::read(
        path.to_path_buf(),
        &text,
        modified,
        config,
        sketcher,
    ))
}
