//! Reading a draft: the newsroom's plain-text layout or Markdown with YAML front matter, into one
//! [`Draft`] model of metadata fields and body paragraphs, each with its byte ranges in the
//! original text. Reading never fails: whatever cannot be understood is simply absent, and the
//! rules report it.

pub mod date;
mod front_matter;
mod header;
pub mod leaning;
mod markdown;
mod plain;
mod suppress;
#[cfg(test)]
mod testing;
mod text;

use std::ops::Range;
use std::path::Path;

use crate::config::Profile;

/// Reads a draft in the given layout. Never fails and never panics; runs in time linear in the
/// text. All ranges are byte offsets into `text` as given (a BOM included).
///
/// Insertion points (see [`Draft::insertion_points`]) are line starts, except the end of a text
/// whose last line has no line break: an inserted line then needs a line break before it.
pub fn read(text: &str, format: Format, profile: &Profile) -> Draft {
    match format {
        Format::Plain => plain::read(text, profile),
        Format::Markdown => markdown::read(text, profile),
    }
}

impl Format {
    /// `.md` and `.markdown` files (any case) are Markdown; everything else is plain text.
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") => {
                Format::Markdown
            }
            _ => Format::Plain,
        }
    }
}

/// Which layout a draft is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The newsroom's plain-text layout: meter, headline, subtitle, date line, one paragraph
    /// per line (or blank-line separated blocks).
    Plain,
    /// Markdown with optional YAML front matter.
    Markdown,
}

/// The metadata a draft can carry. `Custom` holds any other front-matter key a profile requires.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldKind {
    Leaning,
    Title,
    Subtitle,
    Date,
    Author,
    Custom(String),
}

impl FieldKind {
    /// The field's name as used in rule codes (`missing-<name>`) and `galley.toml`.
    pub fn name(&self) -> &str {
        match self {
            FieldKind::Leaning => "leaning",
            FieldKind::Title => "title",
            FieldKind::Subtitle => "subtitle",
            FieldKind::Date => "date",
            FieldKind::Author => "author",
            FieldKind::Custom(name) => name,
        }
    }

    /// Parses a field name (`subtitle`, `dek` and `description` are the same field).
    pub fn from_name(name: &str) -> FieldKind {
        match name.trim().to_lowercase().as_str() {
            "leaning" => FieldKind::Leaning,
            "title" => FieldKind::Title,
            "subtitle" | "dek" | "description" => FieldKind::Subtitle,
            "date" => FieldKind::Date,
            "author" | "authors" => FieldKind::Author,
            other => FieldKind::Custom(other.to_string()),
        }
    }
}

/// A metadata field found in the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub kind: FieldKind,
    /// The whole line (plain) or front-matter entry (Markdown), without its line break.
    pub range: Range<usize>,
    /// Just the value: for a date line `Publicado: 14 de enero…`, the part after the label.
    pub value_range: Range<usize>,
    /// The value as text (for a YAML list, the items joined by `, `; for a YAML mapping of the
    /// leaning meter, rendered in the profile's meter form `Progresista 30% Conservador 70%`).
    pub value: String,
    /// The value understood, for the fields that have a structure (meter, date).
    pub parsed: Parsed,
}

/// A structured field value, parsed by the reader so rules only judge it.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A free-text field (title, subtitle, author, custom).
    Text,
    Leaning(Result<Meter, String>),
    Date(Result<PubDate, String>),
}

/// A leaning meter as written: two percentages, with the byte ranges of their digits in the
/// draft's text (so a fix can rewrite the second). It may still be invalid (sum not 100).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meter {
    pub left: u32,
    pub right: u32,
    pub left_digits: Range<usize>,
    pub right_digits: Range<usize>,
}

/// A publication date that exists in the calendar, with an optional time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PubDate {
    pub date: jiff::civil::Date,
    pub time: Option<jiff::civil::Time>,
}

/// A body paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// The paragraph's text, from its first to its last non-blank character.
    pub range: Range<usize>,
    /// What to delete to remove the paragraph leaving no blank gap: its lines with their line
    /// break(s) and, for blank-line separated layouts, one separating blank run.
    pub removal: Range<usize>,
    /// Rule codes silenced for this paragraph by a `<!-- galley-ignore code… -->` before it.
    pub suppressed: Vec<String>,
}

/// A draft, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub format: Format,
    pub fields: Vec<Field>,
    pub paragraphs: Vec<Paragraph>,
    /// Where the header (plain) or front matter (Markdown) ends and the body starts.
    pub body_start: usize,
    /// The line break the file uses (`"\n"` or `"\r\n"`), for inserted lines.
    pub line_ending: &'static str,
    /// Byte offset where a missing field's line or entry belongs, per field kind; computed by the
    /// reader because it knows the layout (after the BOM, inside the front matter …).
    pub insertion_points: Vec<(FieldKind, usize)>,
    /// Whether the Markdown file has a front-matter block at all (inserting a field then means
    /// inserting a key, not a whole block).
    pub has_front_matter: bool,
    /// Rule codes silenced for the whole file by `<!-- galley-ignore-file code… -->`.
    pub file_suppressed: Vec<String>,
}

impl Draft {
    pub fn field(&self, kind: &FieldKind) -> Option<&Field> {
        self.fields.iter().find(|f| &f.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_markdown_for_md_and_markdown_extensions_in_any_case() {
        assert_eq!(
            Format::from_path(Path::new("notas/año.md")),
            Format::Markdown
        );
        assert_eq!(Format::from_path(Path::new("B.MARKDOWN")), Format::Markdown);
        assert_eq!(Format::from_path(Path::new("borrador.txt")), Format::Plain);
        assert_eq!(Format::from_path(Path::new("sin_extension")), Format::Plain);
        assert_eq!(Format::from_path(Path::new("md")), Format::Plain);
    }

    #[test]
    fn reads_each_format_with_its_own_layout() {
        let text = "# Título 😀\r\n\r\nCuerpo.";
        let plain = read(text, Format::Plain, &Profile::default());
        let markdown = read(text, Format::Markdown, &Profile::default());
        assert_eq!(
            (plain.format, markdown.format),
            (Format::Plain, Format::Markdown)
        );
        assert_eq!(
            markdown.field(&FieldKind::Title).map(|f| f.value.as_str()),
            Some("Título 😀")
        );
        assert_eq!(markdown.paragraphs.len(), 1);
    }
}
