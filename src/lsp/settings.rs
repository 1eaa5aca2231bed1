//! Settings, resolved in one place: the workspace's `galley.toml` files and the editor's
//! settings under `galley`, combined with a stated precedence.
//!
//! The editor's settings arrive through `initializationOptions`, `workspace/configuration` and
//! `workspace/didChangeConfiguration`. `configurationPreference` picks how they combine with the
//! nearest `galley.toml`:
//! - `editorFirst` (the default): the file is read, then every setting the editor gives
//!   overrides the file's value (per rule for `rules`);
//! - `filesystemFirst`: when a `galley.toml` governs the document, it is used as written and the
//!   editor's settings are ignored; without one, the editor's settings apply over the defaults;
//! - `editorOnly`: `galley.toml` is never read; the editor's settings apply over the defaults.
//!
//! Which files are drafts (`include`/`exclude`) is only ever set in `galley.toml`. A broken
//! `galley.toml` is reported once and the last good version of it stays in force.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use crate::config::file::{self, ConfigError, DraftFilter};
use crate::config::{Config, Language, Profile, RuleLevel};
use crate::draft::{FieldKind, Format};
use crate::finding::Severity;

/// The section of the editor's settings that belongs to Galley.
pub(crate) const SECTION: &str = "galley";

/// How editor settings and `galley.toml` combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Preference {
    #[default]
    EditorFirst,
    FilesystemFirst,
    EditorOnly,
}

/// The editor's settings under `galley`. `None` means "not set".
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ClientSettings {
    /// `false` turns every diagnostic off (the server keeps running).
    pub enable: bool,
    pub preference: Preference,
    pub language: Option<Language>,
    pub required: Option<Vec<FieldKind>>,
    pub near_duplicate_threshold: Option<f64>,
    pub min_paragraph_words: Option<usize>,
    pub rules: BTreeMap<String, RuleLevel>,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            enable: true,
            preference: Preference::default(),
            language: None,
            required: None,
            near_duplicate_threshold: None,
            min_paragraph_words: None,
            rules: BTreeMap::new(),
        }
    }
}

impl ClientSettings {
    /// Reads settings leniently from JSON: either `{"galley": {…}}` or the inner object. A value
    /// of the wrong type is skipped and described in the returned warnings, never fatal.
    pub(crate) fn from_json(value: &Value) -> (ClientSettings, Vec<String>) {
        let mut settings = ClientSettings::default();
        let mut warnings = Vec::new();
        let object = match value.get(SECTION).unwrap_or(value) {
            Value::Object(object) => object,
            Value::Null => return (settings, warnings),
            other => {
                warnings.push(format!(
                    "`{SECTION}` settings must be an object, found {other}"
                ));
                return (settings, warnings);
            }
        };
        // `profile` nests like `[profile]` in galley.toml (and like VS Code's dotted settings).
        let mut entries: Vec<(String, &Value)> = Vec::new();
        for (key, value) in object {
            match (key.as_str(), value) {
                ("profile", Value::Object(profile)) => {
                    entries.extend(profile.iter().map(|(k, v)| (format!("profile.{k}"), v)));
                }
                _ => entries.push((key.clone(), value)),
            }
        }
        for (key, value) in entries {
            // Editors send `null` for a setting nobody set.
            if value.is_null() {
                continue;
            }
            let mut bad = |expected: &str| {
                warnings.push(format!(
                    "`{SECTION}.{key}`: expected {expected}, found {value}"
                ))
            };
            match key.as_str() {
                "enable" => match value.as_bool() {
                    Some(enable) => settings.enable = enable,
                    None => bad("true or false"),
                },
                "configurationPreference" => match value.as_str() {
                    Some("editorFirst") => settings.preference = Preference::EditorFirst,
                    Some("filesystemFirst") => settings.preference = Preference::FilesystemFirst,
                    Some("editorOnly") => settings.preference = Preference::EditorOnly,
                    _ => bad("\"editorFirst\", \"filesystemFirst\" or \"editorOnly\""),
                },
                "profile" => bad("an object with `language` and `required`"),
                "profile.language" => match value.as_str() {
                    Some("es") => settings.language = Some(Language::Es),
                    Some("en") => settings.language = Some(Language::En),
                    _ => bad("\"es\" or \"en\""),
                },
                "profile.required" => match value.as_array() {
                    Some(items)
                        if items
                            .iter()
                            .all(|i| i.as_str().is_some_and(|s| !s.trim().is_empty())) =>
                    {
                        let mut fields: Vec<FieldKind> = Vec::new();
                        for kind in items
                            .iter()
                            .filter_map(Value::as_str)
                            .map(FieldKind::from_name)
                        {
                            if !fields.contains(&kind) {
                                fields.push(kind);
                            }
                        }
                        settings.required = Some(fields);
                    }
                    _ => bad("a list of field names"),
                },
                "nearDuplicateThreshold" => match value.as_f64() {
                    Some(t) if t > 0.0 && t <= 1.0 => settings.near_duplicate_threshold = Some(t),
                    _ => bad("a number greater than 0 and at most 1"),
                },
                "minParagraphWords" => match value.as_u64().and_then(|w| usize::try_from(w).ok()) {
                    Some(w) if w >= 1 => settings.min_paragraph_words = Some(w),
                    _ => bad("a whole number of at least 1"),
                },
                "rules" => match value.as_object() {
                    Some(rules) => {
                        for (code, level) in rules {
                            match level.as_str().and_then(parse_level) {
                                Some(level) => {
                                    settings.rules.insert(code.clone(), level);
                                }
                                None => warnings.push(format!(
                                    "`{SECTION}.rules.{code}`: expected \"error\", \"warning\", \"info\", \"hint\" or \"off\", found {level}"
                                )),
                            }
                        }
                    }
                    None => bad("an object of rule code to level"),
                },
                // Read by the editor extensions (the server binary's path, tracing), not here.
                _ => {}
            }
        }
        (settings, warnings)
    }
}

fn parse_level(level: &str) -> Option<RuleLevel> {
    Some(match level {
        "off" => RuleLevel::Off,
        "hint" => RuleLevel::On(Severity::Hint),
        "info" => RuleLevel::On(Severity::Info),
        "warning" => RuleLevel::On(Severity::Warning),
        "error" => RuleLevel::On(Severity::Error),
        _ => return None,
    })
}

/// The configuration a document is analysed with: `file` is the governing `galley.toml`'s
/// (last good) config, if any.
pub(crate) fn resolve(file: Option<&Config>, settings: &ClientSettings) -> Config {
    match (settings.preference, file) {
        (Preference::FilesystemFirst, Some(file)) => return file.clone(),
        (Preference::EditorOnly, _) => return apply_editor(Config::default(), settings),
        _ => {}
    }
    apply_editor(file.cloned().unwrap_or_default(), settings)
}

fn apply_editor(mut config: Config, settings: &ClientSettings) -> Config {
    if let Some(language) = settings.language
        && language != config.profile.language
    {
        // A language brings its own labels; the list of required fields stays.
        let required = std::mem::take(&mut config.profile.required);
        config.profile = Profile {
            required,
            ..Profile::for_language(language)
        };
    }
    if let Some(required) = &settings.required {
        config.profile.required = required.clone();
    }
    if let Some(threshold) = settings.near_duplicate_threshold {
        config.near_duplicate_threshold = threshold;
    }
    if let Some(words) = settings.min_paragraph_words {
        config.min_paragraph_words = words;
    }
    config.rules.extend(
        settings
            .rules
            .iter()
            .map(|(code, level)| (code.clone(), *level)),
    );
    config
}

/// Which layout a document of this `languageId` is in; `None` for languages that are never
/// drafts.
pub(crate) fn format_for_language(language_id: &str) -> Option<Format> {
    match language_id {
        "markdown" | "md" => Some(Format::Markdown),
        "plaintext" | "text" | "txt" => Some(Format::Plain),
        _ => None,
    }
}

/// What a document is analysed with.
#[derive(Debug, Clone)]
pub(crate) struct DocConfig {
    pub config: Arc<Config>,
    pub is_draft: bool,
}

/// A change in a `galley.toml`'s health, for the client to hear about.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ConfigEvent {
    Broken(ConfigError),
    Fixed(PathBuf),
}

#[derive(Debug, Default)]
struct LoadedFile {
    good: Option<Config>,
    error: Option<ConfigError>,
}

#[derive(Debug, Default)]
struct State {
    settings: ClientSettings,
    roots: Vec<PathBuf>,
    /// Folder -> the `galley.toml` that governs it.
    discovered: HashMap<PathBuf, Option<PathBuf>>,
    files: HashMap<PathBuf, LoadedFile>,
}

/// The governing `galley.toml` (if any) and the folder globs are relative to (if any).
type ScopeKey = (Option<PathBuf>, Option<PathBuf>);

/// A configuration and which files it takes as drafts.
#[derive(Debug, Clone)]
struct Scope {
    config: Arc<Config>,
    filter: Filter,
}

#[derive(Debug, Clone)]
enum Filter {
    Globs(DraftFilter),
    /// No folder to anchor the globs to: everything but README and the like.
    AnyButRepositoryDocuments,
    /// The globs are broken (already logged): nothing is a draft.
    Nothing,
}

impl Scope {
    fn is_draft(&self, path: &Path) -> bool {
        match &self.filter {
            Filter::Globs(filter) => filter.is_draft(path),
            Filter::AnyButRepositoryDocuments => !file::is_repository_document(path),
            Filter::Nothing => false,
        }
    }
}

/// Decides which files of a walk are drafts and with which configuration, as
/// [`Workspace::for_document`] does for one document, but building each governing
/// `galley.toml`'s configuration and globs once for the whole walk.
pub(crate) struct DraftSelector<'a> {
    workspace: &'a Workspace,
    settings: ClientSettings,
    scopes: HashMap<ScopeKey, Scope>,
    /// Problems met in `galley.toml` files on the way, for the client to hear about.
    pub events: Vec<ConfigEvent>,
}

impl DraftSelector<'_> {
    /// The configuration of the file at `path` if it is a draft.
    pub(crate) fn select(&mut self, path: &Path) -> Option<Arc<Config>> {
        let key = self
            .workspace
            .scope_key(path, &self.settings, &mut self.events);
        let scope = match self.scopes.get(&key) {
            Some(scope) => scope,
            None => {
                let scope = self.workspace.scope(&key, &self.settings, &mut self.events);
                self.scopes.entry(key).or_insert(scope)
            }
        };
        scope.is_draft(path).then(|| scope.config.clone())
    }
}

/// The workspace's settings: editor settings, folders and the `galley.toml` files seen so far.
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    state: Mutex<State>,
}

impl Workspace {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn settings(&self) -> ClientSettings {
        self.lock().settings.clone()
    }

    pub(crate) fn set_settings(&self, settings: ClientSettings) {
        self.lock().settings = settings;
    }

    pub(crate) fn set_roots(&self, roots: Vec<PathBuf>) {
        self.lock().roots = roots;
    }

    pub(crate) fn roots(&self) -> Vec<PathBuf> {
        self.lock().roots.clone()
    }

    /// The workspace folder that holds `path` (the innermost, when folders nest).
    pub(crate) fn folder_of(&self, path: &Path) -> Option<PathBuf> {
        let state = self.lock();
        state
            .roots
            .iter()
            .filter(|root| path.starts_with(root))
            .max_by_key(|root| root.as_os_str().len())
            .cloned()
    }

    /// The configuration for a document at `path` (`None` for an unsaved buffer) of `format`,
    /// loading the governing `galley.toml` the first time; config errors met on the way are
    /// returned for reporting.
    pub(crate) fn for_document(
        &self,
        path: Option<&Path>,
        format: Option<Format>,
    ) -> (DocConfig, Vec<ConfigEvent>) {
        let settings = self.settings();
        let Some(path) = path else {
            let config = Arc::new(resolve(None, &settings));
            return (
                DocConfig {
                    config,
                    is_draft: format.is_some(),
                },
                Vec::new(),
            );
        };
        let mut events = Vec::new();
        let key = self.scope_key(path, &settings, &mut events);
        let scope = self.scope(&key, &settings, &mut events);
        let is_draft = format.is_some() && scope.is_draft(path);
        (
            DocConfig {
                config: scope.config,
                is_draft,
            },
            events,
        )
    }

    /// Which files are drafts, file by file, for a walk of many files.
    pub(crate) fn selector(&self) -> DraftSelector<'_> {
        DraftSelector {
            workspace: self,
            settings: self.settings(),
            scopes: HashMap::new(),
            events: Vec::new(),
        }
    }

    /// What decides a file's configuration: the `galley.toml` that governs it, and the folder
    /// its globs are relative to.
    fn scope_key(
        &self,
        path: &Path,
        settings: &ClientSettings,
        events: &mut Vec<ConfigEvent>,
    ) -> ScopeKey {
        let toml = if settings.preference == Preference::EditorOnly {
            None
        } else {
            self.governing(path, events)
        };
        let root = match &toml {
            Some(toml) => toml.parent().map(Path::to_path_buf),
            None => self.root_of(path),
        };
        (toml, root)
    }

    fn scope(
        &self,
        (toml, root): &ScopeKey,
        settings: &ClientSettings,
        events: &mut Vec<ConfigEvent>,
    ) -> Scope {
        let file_config = toml
            .as_ref()
            .and_then(|toml| self.file_config(toml, events));
        let config = resolve(file_config.as_ref(), settings);
        let filter = match root.as_deref().map(|root| DraftFilter::new(&config, root)) {
            Some(Ok(filter)) => Filter::Globs(filter),
            Some(Err(err)) => {
                tracing::warn!("cannot build the draft filter: {err}");
                Filter::Nothing
            }
            None => Filter::AnyButRepositoryDocuments,
        };
        Scope {
            config: Arc::new(config),
            filter,
        }
    }

    /// The workspace folder holding `path`, else the file's own folder.
    fn root_of(&self, path: &Path) -> Option<PathBuf> {
        let state = self.lock();
        let folder = state
            .roots
            .iter()
            .filter(|root| path.starts_with(root))
            .max_by_key(|root| root.as_os_str().len());
        folder
            .cloned()
            .or_else(|| path.parent().map(Path::to_path_buf))
    }

    fn governing(&self, path: &Path, events: &mut Vec<ConfigEvent>) -> Option<PathBuf> {
        let dir = path.parent()?.to_path_buf();
        if let Some(found) = self.lock().discovered.get(&dir) {
            return found.clone();
        }
        // File system access happens outside the lock.
        let found = match file::discover(&dir) {
            Ok(found) => found,
            Err(err) => {
                events.push(ConfigEvent::Broken(err));
                None
            }
        };
        self.lock().discovered.insert(dir, found.clone());
        found
    }

    fn file_config(&self, toml: &Path, events: &mut Vec<ConfigEvent>) -> Option<Config> {
        if let Some(loaded) = self.lock().files.get(toml) {
            return loaded.good.clone();
        }
        if let Some(event) = self.reload(toml) {
            events.push(event);
        }
        self.lock()
            .files
            .get(toml)
            .and_then(|loaded| loaded.good.clone())
    }

    /// Reads a `galley.toml` again (it changed on disk). A broken file keeps its last good
    /// config; the event says whether its health changed.
    pub(crate) fn reload(&self, toml: &Path) -> Option<ConfigEvent> {
        let result = file::load(toml);
        let mut state = self.lock();
        let loaded = state.files.entry(toml.to_path_buf()).or_default();
        match result {
            Ok(config) => {
                loaded.good = Some(config);
                loaded
                    .error
                    .take()
                    .map(|_| ConfigEvent::Fixed(toml.to_path_buf()))
            }
            Err(err) => {
                let changed = loaded.error.as_ref() != Some(&err);
                loaded.error = Some(err.clone());
                changed.then_some(ConfigEvent::Broken(err))
            }
        }
    }

    /// A `galley.toml` was created or deleted: folders may now be governed by another file.
    pub(crate) fn forget(&self, toml: &Path, deleted: bool) -> Option<ConfigEvent> {
        let mut state = self.lock();
        state.discovered.clear();
        if deleted {
            let was_broken = state
                .files
                .remove(toml)
                .is_some_and(|loaded| loaded.error.is_some());
            return was_broken.then(|| ConfigEvent::Fixed(toml.to_path_buf()));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_nested_or_bare_settings_and_reports_bad_values() {
        let value = json!({"galley": {
            "profile": {"language": "en", "required": ["title", "dek", "tags"]},
            "rules": {"missing-author": "warning", "duplicate-paragraph": "loud"},
            "minParagraphWords": 0,
            "nearDuplicateThreshold": null,
            "configurationPreference": "filesystemFirst",
            "path": "/opt/galley"
        }});
        let (settings, warnings) = ClientSettings::from_json(&value);
        assert_eq!(settings.language, Some(Language::En));
        assert_eq!(
            settings.required,
            Some(vec![
                FieldKind::Title,
                FieldKind::Subtitle,
                FieldKind::Custom("tags".into())
            ])
        );
        assert_eq!(settings.near_duplicate_threshold, None);
        assert_eq!(
            settings.rules.get("missing-author"),
            Some(&RuleLevel::On(Severity::Warning))
        );
        assert!(!settings.rules.contains_key("duplicate-paragraph"));
        assert_eq!(settings.min_paragraph_words, None);
        assert_eq!(settings.preference, Preference::FilesystemFirst);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        let (bare, _) = ClientSettings::from_json(&json!({"enable": false}));
        assert!(!bare.enable);
    }

    #[test]
    fn editor_settings_override_the_file_by_default() {
        let file = Config {
            near_duplicate_threshold: 0.8,
            min_paragraph_words: 5,
            ..Config::default()
        };
        let (settings, _) = ClientSettings::from_json(&json!({"nearDuplicateThreshold": 0.5}));
        let config = resolve(Some(&file), &settings);
        assert_eq!(config.near_duplicate_threshold, 0.5);
        assert_eq!(config.min_paragraph_words, 5);
    }

    #[test]
    fn file_wins_when_the_editor_prefers_the_filesystem() {
        let file = Config {
            near_duplicate_threshold: 0.8,
            ..Config::default()
        };
        let (settings, _) = ClientSettings::from_json(
            &json!({"nearDuplicateThreshold": 0.5, "configurationPreference": "filesystemFirst"}),
        );
        assert_eq!(
            resolve(Some(&file), &settings).near_duplicate_threshold,
            0.8
        );
        assert_eq!(resolve(None, &settings).near_duplicate_threshold, 0.5);
    }

    #[test]
    fn editor_language_keeps_the_required_fields() {
        let file = Config {
            profile: Profile {
                required: vec![FieldKind::Title],
                ..Profile::default()
            },
            ..Config::default()
        };
        let (settings, _) = ClientSettings::from_json(&json!({"profile": {"language": "en"}}));
        let config = resolve(Some(&file), &settings);
        assert_eq!(config.profile.date_label, "Published");
        assert_eq!(config.profile.required, vec![FieldKind::Title]);
    }

    #[test]
    fn a_broken_file_keeps_its_last_good_config() {
        let dir = tempfile::tempdir().unwrap();
        let toml = dir.path().join("galley.toml");
        std::fs::write(&toml, "min-paragraph-words = 3\n").unwrap();
        let draft = dir.path().join("nota.txt");
        let workspace = Workspace::default();
        let (doc, events) = workspace.for_document(Some(&draft), Some(Format::Plain));
        assert!(events.is_empty());
        assert!(doc.is_draft);
        assert_eq!(doc.config.min_paragraph_words, 3);

        std::fs::write(&toml, "min-paragraph-words = \"tres\"\n").unwrap();
        assert!(matches!(
            workspace.reload(&toml),
            Some(ConfigEvent::Broken(_))
        ));
        assert_eq!(
            workspace.reload(&toml),
            None,
            "the same error is reported once"
        );
        let (doc, _) = workspace.for_document(Some(&draft), Some(Format::Plain));
        assert_eq!(doc.config.min_paragraph_words, 3);

        std::fs::write(&toml, "min-paragraph-words = 4\n").unwrap();
        assert_eq!(
            workspace.reload(&toml),
            Some(ConfigEvent::Fixed(toml.clone()))
        );
        let (doc, _) = workspace.for_document(Some(&draft), Some(Format::Plain));
        assert_eq!(doc.config.min_paragraph_words, 4);
    }

    #[test]
    fn readme_and_other_languages_are_not_drafts() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = Workspace::default();
        workspace.set_roots(vec![dir.path().to_path_buf()]);
        let readme = dir.path().join("README.md");
        assert!(
            !workspace
                .for_document(Some(&readme), Some(Format::Markdown))
                .0
                .is_draft
        );
        let code = dir.path().join("nota.txt");
        assert!(
            !workspace
                .for_document(Some(&code), format_for_language("rust"))
                .0
                .is_draft
        );
        assert!(
            workspace
                .for_document(Some(&code), format_for_language("plaintext"))
                .0
                .is_draft
        );
    }
}
