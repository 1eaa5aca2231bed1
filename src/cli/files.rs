//! Which files a run checks, and under which config: files named on the command line are always
//! checked; folders are walked (respecting `.gitignore`, `.ignore` and hidden files) and only
//! drafts are taken, as the governing `galley.toml` (or the default config) says.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::config::file::{self, ConfigError, DraftFilter};
use crate::workspace::error_path;

use super::report::Failure;

/// A config and the filter built from it.
#[derive(Debug)]
pub struct Scope {
    pub config: Config,
    pub filter: DraftFilter,
}

impl Scope {
    fn new(config: Config, root: &Path) -> Result<Scope, Failure> {
        let filter = DraftFilter::new(&config, root).map_err(|e| {
            let path = config.source.clone().unwrap_or_else(|| root.to_path_buf());
            Failure::new(path, format!("invalid glob: {e}"))
        })?;
        Ok(Scope { config, filter })
    }
}

/// A file to check.
#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    pub scope: Arc<Scope>,
}

/// The files found, sorted by path, and what went wrong finding them.
#[derive(Debug, Default)]
pub struct Collected {
    pub targets: Vec<Target>,
    pub failures: Vec<Failure>,
}

/// Finds the files to check under `paths` (the current folder when empty). With `config`, that
/// file governs every path; an unusable `--config` is an error for the whole run.
pub fn collect(paths: &[PathBuf], config: Option<&Path>) -> Result<Collected, Failure> {
    let mut resolver = Resolver::new(config)?;
    let default_paths = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default_paths[..]
    } else {
        paths
    };
    let mut seen = HashSet::new();
    let mut collected = Collected::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => collected
                .failures
                .push(Failure::new(path, format!("cannot read: {e}"))),
            Ok(meta) if meta.is_dir() => walk(path, &mut resolver, &mut seen, &mut collected),
            Ok(_) => {
                let parent = absolute_parent(path);
                if let Some(scope) = resolver.scope(&parent, &parent)
                    && seen.insert(absolute(path))
                {
                    collected.targets.push(Target {
                        path: path.clone(),
                        scope,
                    });
                }
            }
        }
    }
    collected.failures.append(&mut resolver.failures);
    collected.targets.sort_by(|a, b| a.path.cmp(&b.path));
    collected.failures.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(collected)
}

fn walk(
    dir: &Path,
    resolver: &mut Resolver,
    seen: &mut HashSet<PathBuf>,
    collected: &mut Collected,
) {
    let root = absolute(dir);
    // `.gitignore` counts even outside a Git repository: a newsroom folder that has one means it.
    let walker = ignore::WalkBuilder::new(dir).require_git(false).build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = error_path(&e).unwrap_or_else(|| dir.to_path_buf());
                collected.failures.push(Failure::new(
                    path,
                    format!("cannot read: {}", io_message(&e)),
                ));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.into_path();
        // `galley check` walks `.`: show `a.txt`, not `./a.txt`.
        let path = match path.strip_prefix(".") {
            Ok(rest) => rest.to_path_buf(),
            Err(_) => path,
        };
        let parent = absolute_parent(&path);
        let Some(scope) = resolver.scope(&parent, &root) else {
            continue;
        };
        if scope.filter.is_draft(&path) && seen.insert(absolute(&path)) {
            collected.targets.push(Target { path, scope });
        }
    }
}

/// Finds, loads and caches the config governing each folder.
struct Resolver {
    /// `--config`: governs everything.
    fixed: Option<Arc<Scope>>,
    /// Folder -> the config file that governs it (after discovery).
    discovered: HashMap<PathBuf, Option<PathBuf>>,
    /// Config file -> its scope, or `None` once it failed (reported once).
    loaded: HashMap<PathBuf, Option<Arc<Scope>>>,
    /// Walk root -> the default scope for folders without a config.
    defaults: HashMap<PathBuf, Arc<Scope>>,
    failures: Vec<Failure>,
}

impl Resolver {
    fn new(config: Option<&Path>) -> Result<Resolver, Failure> {
        let fixed = match config {
            None => None,
            Some(path) => {
                let loaded = file::load(path).map_err(Failure::from)?;
                Some(Arc::new(Scope::new(loaded, &absolute_parent(path))?))
            }
        };
        Ok(Resolver {
            fixed,
            discovered: HashMap::new(),
            loaded: HashMap::new(),
            defaults: HashMap::new(),
            failures: Vec::new(),
        })
    }

    /// The scope for files in `dir` (absolute); `root` is where the default config's globs are
    /// anchored. `None` when the governing config is broken (already reported).
    fn scope(&mut self, dir: &Path, root: &Path) -> Option<Arc<Scope>> {
        if let Some(fixed) = &self.fixed {
            return Some(fixed.clone());
        }
        let config_path = match self.discovered.get(dir) {
            Some(found) => found.clone(),
            None => {
                let found = match file::discover(dir) {
                    Ok(found) => found,
                    Err(e) => {
                        self.fail(e);
                        None
                    }
                };
                self.discovered.insert(dir.to_path_buf(), found.clone());
                found
            }
        };
        match config_path {
            Some(path) => self.load(&path),
            None => self.default_scope(root),
        }
    }

    fn load(&mut self, path: &Path) -> Option<Arc<Scope>> {
        if let Some(scope) = self.loaded.get(path) {
            return scope.clone();
        }
        let scope = match file::load(path) {
            Ok(config) => match Scope::new(config, &absolute_parent(path)) {
                Ok(scope) => Some(Arc::new(scope)),
                Err(failure) => {
                    self.failures.push(failure);
                    None
                }
            },
            Err(e) => {
                self.fail(e);
                None
            }
        };
        self.loaded.insert(path.to_path_buf(), scope.clone());
        scope
    }

    fn default_scope(&mut self, root: &Path) -> Option<Arc<Scope>> {
        if let Some(scope) = self.defaults.get(root) {
            return Some(scope.clone());
        }
        match Scope::new(Config::default(), root) {
            Ok(scope) => {
                let scope = Arc::new(scope);
                self.defaults.insert(root.to_path_buf(), scope.clone());
                Some(scope)
            }
            Err(failure) => {
                self.failures.push(failure);
                None
            }
        }
    }

    fn fail(&mut self, err: ConfigError) {
        let mut failure = Failure::from(err);
        failure.path = relative_to_cwd(&failure.path);
        self.failures.push(failure);
    }
}

/// A discovered config is found by absolute path; it is named the way the user would type it.
fn relative_to_cwd(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn absolute_parent(path: &Path) -> PathBuf {
    let abs = absolute(path);
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}

fn io_message(err: &ignore::Error) -> String {
    match err.io_error() {
        Some(io) => io.to_string(),
        None => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(collected: &Collected, base: &Path) -> Vec<String> {
        collected
            .targets
            .iter()
            .map(|t| {
                t.path
                    .strip_prefix(base)
                    .unwrap_or(&t.path)
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn walks_folders_taking_only_drafts_and_respecting_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        fs::create_dir_all(base.join("sub")).unwrap();
        for name in [
            "a.txt",
            "b.md",
            "README.md",
            "photo.jpg",
            "sub/c.txt",
            "skipped.txt",
            ".hidden.txt",
        ] {
            fs::write(base.join(name), "x").unwrap();
        }
        fs::write(base.join(".gitignore"), "skipped.txt\n").unwrap();
        let collected = collect(&[base.to_path_buf()], None).unwrap();
        assert_eq!(names(&collected, base), ["a.txt", "b.md", "sub/c.txt"]);
        assert!(collected.failures.is_empty());
    }

    #[test]
    fn a_file_named_explicitly_is_checked_even_if_not_a_draft() {
        let dir = tempfile::tempdir().unwrap();
        let readme = dir.path().join("README.md");
        fs::write(&readme, "x").unwrap();
        let collected = collect(&[readme.clone(), readme.clone()], None).unwrap();
        assert_eq!(collected.targets.len(), 1);
        assert_eq!(collected.targets[0].path, readme);
    }

    #[test]
    fn nearest_config_decides_which_files_are_drafts_in_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        fs::create_dir_all(base.join("en/old")).unwrap();
        fs::write(
            base.join("en/galley.toml"),
            "exclude = [\"old\"]\n[profile]\nlanguage = \"en\"\n",
        )
        .unwrap();
        for name in ["es.txt", "en/a.txt", "en/old/b.txt"] {
            fs::write(base.join(name), "x").unwrap();
        }
        let collected = collect(&[base.to_path_buf()], None).unwrap();
        assert_eq!(names(&collected, base), ["en/a.txt", "es.txt"]);
        let english = &collected.targets[0].scope.config;
        assert_eq!(english.profile.date_label, "Published");
        assert_eq!(
            collected.targets[1].scope.config.profile.date_label,
            "Publicado"
        );
    }

    #[test]
    fn broken_config_is_reported_once_and_its_files_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        fs::create_dir_all(base.join("bad")).unwrap();
        fs::write(base.join("bad/galley.toml"), "colour = 1\n").unwrap();
        for name in ["ok.txt", "bad/a.txt", "bad/b.txt"] {
            fs::write(base.join(name), "x").unwrap();
        }
        let collected = collect(&[base.to_path_buf()], None).unwrap();
        assert_eq!(names(&collected, base), ["ok.txt"]);
        assert_eq!(collected.failures.len(), 1);
        assert_eq!(collected.failures[0].line, Some(1));
        assert!(collected.failures[0].message.contains("`colour`"));
    }

    #[test]
    fn missing_path_is_a_failure_and_the_rest_is_still_collected() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "x").unwrap();
        let collected = collect(
            &[dir.path().join("nope.txt"), dir.path().to_path_buf()],
            None,
        )
        .unwrap();
        assert_eq!(collected.targets.len(), 1);
        assert_eq!(collected.failures.len(), 1);
    }

    #[test]
    fn explicit_config_governs_every_path() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        fs::write(base.join("only.toml"), "include = [\"*.md\"]\n").unwrap();
        fs::write(base.join("galley.toml"), "include = [\"*.txt\"]\n").unwrap();
        fs::write(base.join("a.txt"), "x").unwrap();
        fs::write(base.join("b.md"), "x").unwrap();
        let collected = collect(&[base.to_path_buf()], Some(&base.join("only.toml"))).unwrap();
        assert_eq!(names(&collected, base), ["b.md"]);
        assert!(collect(&[base.to_path_buf()], Some(&base.join("missing.toml"))).is_err());
    }
}
