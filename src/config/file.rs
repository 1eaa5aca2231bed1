//! `galley.toml`: finding it (the file's folder or its nearest ancestor), reading it into a
//! [`Config`], and deciding which files under it are drafts ([`DraftFilter`]).
//!
//! A bad config is an error that names the file, the line and column, and the key, so both the
//! CLI and the language server can point at it; it never panics.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Config, Language, Profile, RuleLevel};
use crate::draft::FieldKind;
use crate::finding::Severity;
use crate::position::LineIndex;
use crate::rules;

/// The name of the configuration file.
pub const FILE_NAME: &str = "galley.toml";

/// Repository documents that are never drafts, whatever the globs say (compared to the file
/// name before its first dot, ignoring case).
const REPOSITORY_DOCUMENTS: &[&str] = &[
    "authors",
    "changelog",
    "changes",
    "code_of_conduct",
    "contributing",
    "contributors",
    "copying",
    "history",
    "licence",
    "license",
    "notice",
    "readme",
    "security",
];

/// A configuration that cannot be used: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ConfigError {
    /// The config file.
    pub path: PathBuf,
    /// 1-based line and column (in characters) of the offending text, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Byte range of the offending text in the file, when known.
    pub span: Option<Range<usize>>,
    /// The dotted key at fault (`profile.language`, `rules.duplicate-paragraph`), when known.
    /// (Boxed to keep the error small: it travels in every `Result` of config loading.)
    pub key: Option<Box<str>>,
    pub message: String,
}

impl ConfigError {
    fn io(path: &Path, err: &io::Error) -> ConfigError {
        ConfigError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            span: None,
            key: None,
            message: format!("cannot read: {err}"),
        }
    }

    fn at(
        path: &Path,
        text: &str,
        span: Range<usize>,
        key: Option<Box<str>>,
        message: String,
    ) -> Self {
        let (line, column) = LineIndex::new(text).to_display(text, span.start);
        ConfigError {
            path: path.to_path_buf(),
            line: Some(line),
            column: Some(column),
            span: Some(span),
            key,
            message,
        }
    }

    fn render(&self) -> String {
        let mut out = self.path.display().to_string();
        if let (Some(line), Some(column)) = (self.line, self.column) {
            out.push_str(&format!(":{line}:{column}"));
        }
        out.push_str(": ");
        if let Some(key) = &self.key {
            out.push_str(&format!("`{key}`: "));
        }
        out.push_str(&self.message);
        out
    }
}

/// Finds the `galley.toml` that governs files in `dir`: the one in `dir` or its nearest
/// ancestor. `Ok(None)` when there is none.
pub fn discover(dir: &Path) -> Result<Option<PathBuf>, ConfigError> {
    let dir = std::path::absolute(dir).map_err(|e| ConfigError::io(dir, &e))?;
    for ancestor in dir.ancestors() {
        let candidate = ancestor.join(FILE_NAME);
        match fs::metadata(&candidate) {
            Ok(meta) if meta.is_file() => return Ok(Some(candidate)),
            Ok(_) => {}
            Err(e)
                if e.kind() == io::ErrorKind::NotFound
                    || e.kind() == io::ErrorKind::NotADirectory => {}
            Err(e) => return Err(ConfigError::io(&candidate, &e)),
        }
    }
    Ok(None)
}

/// Reads and parses the config file at `path`.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = fs::read_to_string(path).map_err(|e| ConfigError::io(path, &e))?;
    parse(&text, path)
}

/// Parses config text; `path` is where it came from (named in errors and kept in
/// [`Config::source`]). Keys left out keep their defaults.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    // Parsing the document on its own first gives syntax errors their own message, and a tree
    // of keys with spans to name the key behind any later error.
    let tree = DeTable::parse(text).map_err(|e| toml_error(&e, text, path, &[]))?;
    let mut keys = Vec::new();
    collect_keys(tree.get_ref(), "", &mut keys);
    let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(&e, text, path, &keys))?;
    Validator { text, path }.config(raw)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    profile: Option<RawProfile>,
    near_duplicate_threshold: Option<Spanned<f64>>,
    min_paragraph_words: Option<Spanned<i64>>,
    include: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    rules: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawProfile {
    language: Option<Spanned<String>>,
    required: Option<Vec<Spanned<String>>>,
    leaning_labels: Option<Spanned<Vec<Spanned<String>>>>,
    date_label: Option<Spanned<String>>,
}

/// A key of the document with the span of the key and of its value.
struct KeySpan {
    path: String,
    range: Range<usize>,
}

fn collect_keys(table: &DeTable<'_>, prefix: &str, out: &mut Vec<KeySpan>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        let (k, v) = (key.span(), value.span());
        out.push(KeySpan {
            path: path.clone(),
            range: k.start.min(v.start)..k.end.max(v.end),
        });
        if let DeValue::Table(inner) = value.get_ref() {
            collect_keys(inner, &path, out);
        }
    }
}

/// The innermost key whose key or value covers `at`.
fn key_at(keys: &[KeySpan], at: usize) -> Option<Box<str>> {
    keys.iter()
        .filter(|k| k.range.start <= at && at < k.range.end.max(k.range.start + 1))
        .min_by_key(|k| k.range.len())
        .map(|k| k.path.as_str().into())
}

fn toml_error(err: &toml::de::Error, text: &str, path: &Path, keys: &[KeySpan]) -> ConfigError {
    // serde names Rust types; a config author thinks in TOML's.
    let message = err
        .message()
        .trim()
        .replace("expected f64", "expected a number")
        .replace("expected i64", "expected an integer")
        .replace("a sequence", "an array");
    match err.span() {
        Some(span) => ConfigError::at(path, text, span.clone(), key_at(keys, span.start), message),
        None => ConfigError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            span: None,
            key: None,
            message,
        },
    }
}

struct Validator<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Validator<'_> {
    fn error(
        &self,
        span: Range<usize>,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> ConfigError {
        ConfigError::at(
            self.path,
            self.text,
            span,
            Some(key.into().into()),
            message.into(),
        )
    }

    fn config(&self, raw: RawConfig) -> Result<Config, ConfigError> {
        let mut config = Config {
            source: Some(self.path.to_path_buf()),
            ..Config::default()
        };
        if let Some(profile) = raw.profile {
            config.profile = self.profile(profile)?;
        }
        if let Some(threshold) = raw.near_duplicate_threshold {
            let value = *threshold.get_ref();
            // Written so that NaN fails too.
            if !(value > 0.0 && value <= 1.0) {
                return Err(self.error(
                    threshold.span(),
                    "near-duplicate-threshold",
                    format!("must be greater than 0 and at most 1, found {value}"),
                ));
            }
            config.near_duplicate_threshold = value;
        }
        if let Some(words) = raw.min_paragraph_words {
            config.min_paragraph_words = usize::try_from(*words.get_ref())
                .ok()
                .filter(|&w| w >= 1)
                .ok_or_else(|| {
                    self.error(
                        words.span(),
                        "min-paragraph-words",
                        format!("must be at least 1, found {}", words.get_ref()),
                    )
                })?;
        }
        if let Some(include) = raw.include {
            config.include = self.globs(include, "include")?;
        }
        if let Some(exclude) = raw.exclude {
            // Added to the built-in exclusions: naming one more folder to skip should not bring
            // `node_modules` back.
            config.exclude.extend(self.globs(exclude, "exclude")?);
        }
        // In file order, so the first bad entry is the one reported.
        let mut rules: Vec<_> = raw.rules.unwrap_or_default().into_iter().collect();
        rules.sort_by_key(|(code, _)| code.span().start);
        for (code, level) in rules {
            let key = format!("rules.{}", code.get_ref());
            if !rules::is_known_code(code.get_ref()) {
                return Err(self.error(
                    code.span(),
                    key,
                    format!(
                        "unknown rule code `{}`, expected one of {}",
                        code.get_ref(),
                        known_codes_list()
                    ),
                ));
            }
            let parsed = match level.get_ref().as_str() {
                "off" => RuleLevel::Off,
                "hint" => RuleLevel::On(Severity::Hint),
                "info" => RuleLevel::On(Severity::Info),
                "warning" => RuleLevel::On(Severity::Warning),
                "error" => RuleLevel::On(Severity::Error),
                other => {
                    return Err(self.error(
                        level.span(),
                        key,
                        format!("unknown level `{other}`, expected `error`, `warning`, `info`, `hint` or `off`"),
                    ));
                }
            };
            config.rules.insert(code.into_inner(), parsed);
        }
        Ok(config)
    }

    fn profile(&self, raw: RawProfile) -> Result<Profile, ConfigError> {
        let language = match &raw.language {
            None => Language::default(),
            Some(lang) => match lang.get_ref().as_str() {
                "es" => Language::Es,
                "en" => Language::En,
                other => {
                    return Err(self.error(
                        lang.span(),
                        "profile.language",
                        format!("unknown language `{other}`, expected `es` or `en`"),
                    ));
                }
            },
        };
        let mut profile = Profile::for_language(language);
        if let Some(required) = raw.required {
            let mut fields: Vec<FieldKind> = Vec::new();
            for name in required {
                if name.get_ref().trim().is_empty() {
                    return Err(self.error(
                        name.span(),
                        "profile.required",
                        "a field name cannot be empty",
                    ));
                }
                let kind = FieldKind::from_name(name.get_ref());
                if !fields.contains(&kind) {
                    fields.push(kind);
                }
            }
            profile.required = fields;
        }
        if let Some(labels) = raw.leaning_labels {
            let span = labels.span();
            let labels = labels.into_inner();
            let [left, right] = <[Spanned<String>; 2]>::try_from(labels).map_err(|found| {
                self.error(
                    span,
                    "profile.leaning-labels",
                    format!("needs exactly two labels, found {}", found.len()),
                )
            })?;
            for label in [&left, &right] {
                if label.get_ref().trim().is_empty() {
                    return Err(self.error(
                        label.span(),
                        "profile.leaning-labels",
                        "a label cannot be empty",
                    ));
                }
            }
            profile.leaning_labels = [
                left.get_ref().trim().to_string(),
                right.get_ref().trim().to_string(),
            ];
        }
        if let Some(label) = raw.date_label {
            let trimmed = label.get_ref().trim().trim_end_matches(':').trim_end();
            if trimmed.is_empty() {
                return Err(self.error(
                    label.span(),
                    "profile.date-label",
                    "the label cannot be empty",
                ));
            }
            profile.date_label = trimmed.to_string();
        }
        Ok(profile)
    }

    fn globs(&self, globs: Vec<Spanned<String>>, key: &str) -> Result<Vec<String>, ConfigError> {
        globs
            .into_iter()
            .map(|glob| match compile(glob.get_ref()) {
                Ok(_) => Ok(glob.into_inner()),
                Err(e) => Err(self.error(glob.span(), key, format!("invalid glob: {}", e.kind()))),
            })
            .collect()
    }
}

fn known_codes_list() -> String {
    let mut list: Vec<String> = rules::CODES.iter().map(|c| format!("`{c}`")).collect();
    list.push(format!("`{}`", crate::workspace::CODE));
    list.push("`missing-<field>`".to_string());
    list.join(", ")
}

/// Globs behave like `.gitignore` patterns: `*` stays within one folder, `**` crosses folders.
fn compile(glob: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(glob).literal_separator(true).build()
}

fn glob_set(globs: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(compile(glob)?);
    }
    builder.build()
}

/// Decides which files are drafts: those matching an `include` glob and no `exclude` glob
/// (relative to the config's folder), and never a repository document such as a README.
#[derive(Debug, Clone)]
pub struct DraftFilter {
    root: PathBuf,
    include: GlobSet,
    exclude: GlobSet,
}

impl DraftFilter {
    /// `root` is the folder the globs are relative to: the config file's folder, or the folder
    /// being checked when there is no config.
    pub fn new(config: &Config, root: &Path) -> Result<DraftFilter, globset::Error> {
        Ok(DraftFilter {
            root: std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()),
            include: glob_set(&config.include)?,
            exclude: glob_set(&config.exclude)?,
        })
    }

    /// Whether `path` (a file) is a draft. A file outside the root is matched on its full path.
    pub fn is_draft(&self, path: &Path) -> bool {
        if is_repository_document(path) {
            return false;
        }
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let relative = absolute.strip_prefix(&self.root).unwrap_or(&absolute);
        // A pattern that matches a folder excludes everything in it, as in `.gitignore`.
        let excluded = relative
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| self.exclude.is_match(p));
        !excluded && self.include.is_match(relative)
    }
}

/// README, CHANGELOG, LICENSE … in any case and with any extension.
pub fn is_repository_document(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or(name);
    REPOSITORY_DOCUMENTS
        .iter()
        .any(|doc| stem.eq_ignore_ascii_case(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Config {
        match parse(text, Path::new("conf/galley.toml")) {
            Ok(config) => config,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }

    fn parse_err(text: &str) -> ConfigError {
        match parse(text, Path::new("conf/galley.toml")) {
            Ok(config) => panic!("expected an error, got {config:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn reads_every_key() {
        let config = parse_ok(
            r#"
near-duplicate-threshold = 0.75
min-paragraph-words = 12
include = ["drafts/**/*.txt"]
exclude = ["drafts/old/**"]

[profile]
language = "en"
required = ["leaning", "title", "author", "tags"]
leaning-labels = ["Left", "Right"]
date-label = "Posted"

[rules]
duplicate-paragraph = "error"
near-duplicate-paragraph = "off"
missing-author = "info"
"#,
        );
        assert_eq!(config.near_duplicate_threshold, 0.75);
        assert_eq!(config.min_paragraph_words, 12);
        assert_eq!(config.include, vec!["drafts/**/*.txt".to_string()]);
        assert!(config.exclude.contains(&"drafts/old/**".to_string()));
        assert!(config.exclude.contains(&"**/node_modules/**".to_string()));
        assert_eq!(config.profile.language, Language::En);
        assert_eq!(
            config.profile.required,
            vec![
                FieldKind::Leaning,
                FieldKind::Title,
                FieldKind::Author,
                FieldKind::Custom("tags".into())
            ]
        );
        assert_eq!(
            config.profile.leaning_labels,
            ["Left".to_string(), "Right".to_string()]
        );
        assert_eq!(config.profile.date_label, "Posted");
        assert_eq!(
            config.level("duplicate-paragraph", Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            config.level("near-duplicate-paragraph", Severity::Warning),
            None
        );
        assert_eq!(
            config.level("missing-author", Severity::Error),
            Some(Severity::Info)
        );
        assert_eq!(
            config.source.as_deref(),
            Some(Path::new("conf/galley.toml"))
        );
    }

    #[test]
    fn empty_file_gives_the_defaults() {
        let config = parse_ok("");
        assert_eq!(
            config,
            Config {
                source: Some(PathBuf::from("conf/galley.toml")),
                ..Config::default()
            }
        );
    }

    #[test]
    fn english_language_brings_english_labels() {
        let config = parse_ok("[profile]\nlanguage = \"en\"\n");
        assert_eq!(config.profile.date_label, "Published");
        assert_eq!(
            config.profile.leaning_labels,
            ["Progressive".to_string(), "Conservative".to_string()]
        );
    }

    #[test]
    fn unknown_top_level_key_names_file_line_and_key() {
        let err = parse_err("min-paragraph-words = 5\nthreshold = 0.5\n");
        assert_eq!((err.line, err.column), (Some(2), Some(1)));
        assert_eq!(err.key.as_deref(), Some("threshold"));
        let shown = err.to_string();
        assert!(
            shown.starts_with("conf/galley.toml:2:1: `threshold`: unknown field `threshold`"),
            "{shown}"
        );
    }

    #[test]
    fn unknown_profile_key_names_the_dotted_key() {
        let err = parse_err("[profile]\nlanguage = \"es\"\nlabel = \"x\"\n");
        assert_eq!(err.line, Some(3));
        assert_eq!(err.key.as_deref(), Some("profile.label"));
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        let err = parse_err("near-duplicate-threshold = \"high\"\n");
        assert_eq!((err.line, err.column), (Some(1), Some(28)));
        assert_eq!(err.key.as_deref(), Some("near-duplicate-threshold"));
    }

    #[test]
    fn threshold_out_of_range_is_an_error() {
        for bad in ["1.5", "0", "-0.2", "nan"] {
            let err = parse_err(&format!("\n\nnear-duplicate-threshold = {bad}\n"));
            assert_eq!(err.line, Some(3), "{bad}");
            assert_eq!(err.key.as_deref(), Some("near-duplicate-threshold"));
        }
        assert_eq!(
            parse_ok("near-duplicate-threshold = 1").near_duplicate_threshold,
            1.0
        );
    }

    #[test]
    fn min_paragraph_words_must_be_positive() {
        let err = parse_err("min-paragraph-words = 0\n");
        assert_eq!(err.key.as_deref(), Some("min-paragraph-words"));
        let err = parse_err("min-paragraph-words = -3\n");
        assert_eq!(err.column, Some(23));
    }

    #[test]
    fn unknown_rule_code_is_an_error_naming_the_key() {
        let err = parse_err(
            "[rules]\nduplicate-paragraph = \"warning\"\nduplicated-paragraph = \"off\"\n",
        );
        assert_eq!((err.line, err.column), (Some(3), Some(1)));
        assert_eq!(err.key.as_deref(), Some("rules.duplicated-paragraph"));
    }

    #[test]
    fn any_missing_field_code_is_accepted() {
        let config = parse_ok("[rules]\nmissing-section = \"warning\"\n");
        assert_eq!(
            config.level("missing-section", Severity::Error),
            Some(Severity::Warning)
        );
        parse_err("[rules]\nmissing- = \"warning\"\n");
    }

    #[test]
    fn unknown_rule_level_is_an_error() {
        let err = parse_err("[rules]\ninvalid-date = \"loud\"\n");
        assert_eq!((err.line, err.column), (Some(2), Some(16)));
        assert_eq!(err.key.as_deref(), Some("rules.invalid-date"));
    }

    #[test]
    fn unknown_language_is_an_error() {
        let err = parse_err("[profile]\nlanguage = \"fr\"\n");
        assert_eq!(err.key.as_deref(), Some("profile.language"));
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn leaning_labels_need_two_entries() {
        let err = parse_err("[profile]\nleaning-labels = [\"Izquierda\"]\n");
        assert_eq!(err.key.as_deref(), Some("profile.leaning-labels"));
        assert!(err.message.contains("exactly two"));
    }

    #[test]
    fn date_label_drops_a_trailing_colon() {
        assert_eq!(
            parse_ok("[profile]\ndate-label = \"Fecha:\"\n")
                .profile
                .date_label,
            "Fecha"
        );
    }

    #[test]
    fn invalid_glob_is_an_error() {
        let err = parse_err("include = [\"drafts/[a\"]\n");
        assert_eq!(err.key.as_deref(), Some("include"));
        assert_eq!(err.column, Some(12));
    }

    #[test]
    fn syntax_error_has_a_position() {
        let err = parse_err("[profile\nlanguage = \"es\"\n");
        assert_eq!(err.line, Some(1));
        assert!(err.column.is_some());
    }

    #[test]
    fn columns_count_characters_after_accents() {
        let err =
            parse_err("# configuración\n[profile]\ndate-label = \"Publicación\"\nlanguage = 3\n");
        assert_eq!((err.line, err.column), (Some(4), Some(12)));
        assert_eq!(err.key.as_deref(), Some("profile.language"));
    }

    #[test]
    fn discovers_the_nearest_config_upwards() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        fs::create_dir_all(&nested).unwrap();
        fs::write(dir.path().join(FILE_NAME), "").unwrap();
        assert_eq!(discover(&nested).unwrap(), Some(dir.path().join(FILE_NAME)));
        fs::write(dir.path().join("a").join(FILE_NAME), "").unwrap();
        assert_eq!(
            discover(&nested).unwrap(),
            Some(dir.path().join("a").join(FILE_NAME))
        );
    }

    #[test]
    fn load_reports_a_missing_file() {
        let err = load(Path::new("no/such/galley.toml")).unwrap_err();
        assert!(err.message.starts_with("cannot read"));
        assert_eq!(err.line, None);
    }

    fn filter(toml: &str) -> DraftFilter {
        DraftFilter::new(&parse_ok(toml), Path::new("/news")).unwrap()
    }

    #[test]
    fn default_filter_takes_text_and_markdown_files() {
        let f = filter("");
        assert!(f.is_draft(Path::new("/news/a.txt")));
        assert!(f.is_draft(Path::new("/news/politics/b.md")));
        assert!(!f.is_draft(Path::new("/news/photo.jpg")));
        assert!(!f.is_draft(Path::new("/news/node_modules/pkg/notes.md")));
    }

    #[test]
    fn repository_documents_are_never_drafts() {
        let f = filter("include = [\"**/*\"]\nexclude = [\"tmp/**\"]\n");
        for doc in [
            "/news/README.md",
            "/news/docs/readme.txt",
            "/news/CHANGELOG.md",
            "/news/LICENSE",
            "/news/CONTRIBUTING.md",
        ] {
            assert!(!f.is_draft(Path::new(doc)), "{doc}");
        }
        assert!(f.is_draft(Path::new("/news/readme-ahead.md")));
    }

    #[test]
    fn include_globs_replace_the_default_and_stay_within_a_folder() {
        let f = filter("include = [\"drafts/*.txt\"]\n");
        assert!(f.is_draft(Path::new("/news/drafts/a.txt")));
        assert!(!f.is_draft(Path::new("/news/drafts/old/a.txt")));
        assert!(!f.is_draft(Path::new("/news/a.txt")));
        assert!(!f.is_draft(Path::new("/news/drafts/a.md")));
    }

    #[test]
    fn exclude_glob_naming_a_folder_excludes_its_contents() {
        let f = filter("exclude = [\"archive\"]\n");
        assert!(!f.is_draft(Path::new("/news/archive/2019/a.txt")));
        assert!(f.is_draft(Path::new("/news/current/a.txt")));
    }

    #[test]
    fn relative_paths_are_matched_against_an_absolute_root() {
        let cwd = std::env::current_dir().unwrap();
        let f = DraftFilter::new(&parse_ok("include = [\"x/*.txt\"]"), &cwd).unwrap();
        assert!(f.is_draft(Path::new("x/a.txt")));
        assert!(!f.is_draft(Path::new("y/a.txt")));
    }
}
