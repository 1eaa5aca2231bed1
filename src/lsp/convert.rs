//! The one module that converts between LSP values and the core's plain data: positions in the
//! negotiated encoding, byte ranges, severities, findings into diagnostics, fixes into the
//! `Diagnostic.data` payload and back into text edits, URIs into paths.
//!
//! Column arithmetic itself is [`LineIndex`]'s; this module only chooses which text and which
//! encoding to hand it. Keeping every conversion here means a move to another LSP type crate
//! touches one file.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range as ByteRange;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use ropey::Rope;
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    InitializeParams, Location, NumberOrString, OptionalVersionedTextDocumentIdentifier, Position,
    PositionEncodingKind, Range, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use crate::config::file::ConfigError;
use crate::finding::{Applicability, Edit, Finding, Fix, FixKind, Severity};
use crate::position::{Encoding, LineCol, LineIndex};

/// `Diagnostic.source` of every diagnostic the server publishes.
pub(crate) const SOURCE: &str = "galley";

/// Where each rule is documented: the README section named after the rule code.
pub(crate) const RULE_DOCS_BASE: &str = "https://github.com/galley-lsp/galley#";

/// The code of the rule whose findings are exact duplicates, faded as unnecessary.
const EXACT_DUPLICATE: &str = "duplicate-paragraph";

/// Picks the position encoding: UTF-8 when the client offers it, else UTF-16 (which every
/// client must support), else UTF-32 when that is all the client lists.
pub(crate) fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref())
        .unwrap_or(&[]);
    let has = |kind: &PositionEncodingKind| offered.contains(kind);
    if has(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if offered.is_empty() || has(&PositionEncodingKind::UTF16) {
        Encoding::Utf16
    } else if has(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

pub(crate) fn encoding_to_proto(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// A byte offset into a rope, and whether the requested position had to be clamped to get it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RopeOffset {
    pub byte: usize,
    pub clamped: bool,
}

/// Converts an LSP position to a byte offset in a rope, in `O(log n + line length)` so edits to
/// a large document stay cheap. A line past the end clamps to the end of the text, a column past
/// the end of its line to the end of that line; half a surrogate pair to the character start.
pub(crate) fn rope_offset(rope: &Rope, pos: Position, encoding: Encoding) -> RopeOffset {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return RopeOffset {
            byte: rope.len_bytes(),
            clamped: true,
        };
    }
    let start = rope.line_to_byte(line);
    let text: Cow<'_, str> = rope.line(line).into();
    let index = LineIndex::new(&text);
    let requested = LineCol {
        line: 0,
        col: pos.character,
    };
    let within = index.to_offset(&text, requested, encoding);
    let clamped = index.to_line_col(&text, within, encoding) != requested;
    RopeOffset {
        byte: start + within,
        clamped,
    }
}

/// A text with its line index and the session's encoding: converts the core's byte ranges of
/// that text to LSP positions and back.
#[derive(Clone, Copy)]
pub(crate) struct LineMap<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl LineMap<'_> {
    pub(crate) fn position(&self, offset: usize) -> Position {
        let lc = self.index.to_line_col(self.text, offset, self.encoding);
        Position {
            line: lc.line,
            character: lc.col,
        }
    }

    pub(crate) fn range(&self, range: &ByteRange<usize>) -> Range {
        Range {
            start: self.position(range.start),
            end: self.position(range.end),
        }
    }

    /// The byte offset of an LSP position (clamped like [`LineIndex::to_offset`]).
    pub(crate) fn offset(&self, pos: Position) -> usize {
        self.index.to_offset(
            self.text,
            LineCol {
                line: pos.line,
                col: pos.character,
            },
            self.encoding,
        )
    }

    /// The 1-based line and character column of an offset, for messages people read.
    pub(crate) fn display(&self, offset: usize) -> (usize, usize) {
        self.index.to_display(self.text, offset)
    }

    pub(crate) fn text_edit(&self, edit: &Edit) -> TextEdit {
        TextEdit {
            range: self.range(&edit.range),
            new_text: edit.replacement.clone(),
        }
    }
}

pub(crate) fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// The link to a rule's README section.
pub(crate) fn rule_docs(code: &str) -> Option<Uri> {
    Uri::from_str(&format!("{RULE_DOCS_BASE}{code}")).ok()
}

pub(crate) fn path_to_uri(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

pub(crate) fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(Cow::into_owned)
}

/// The texts of other drafts that findings point into, with their line indexes, to place
/// those ranges in the session's encoding.
#[derive(Default)]
pub(crate) struct Elsewhere {
    files: HashMap<PathBuf, (Arc<str>, LineIndex)>,
}

impl Elsewhere {
    pub(crate) fn insert(&mut self, path: PathBuf, text: Arc<str>) {
        let index = LineIndex::new(&text);
        self.files.insert(path, (text, index));
    }

    /// The text of `path` and its line map, if it was given.
    pub(crate) fn map(&self, path: &Path, encoding: Encoding) -> Option<LineMap<'_>> {
        let (text, index) = self.files.get(path)?;
        Some(LineMap {
            text,
            index,
            encoding,
        })
    }
}

/// A finding as a diagnostic of document `uri` at `version`; its fixes travel in `data`.
/// Related locations in other drafts are placed with their texts from `elsewhere`, or at the
/// start of the file when their text is not there.
pub(crate) fn diagnostic(
    finding: &Finding,
    map: LineMap<'_>,
    elsewhere: &Elsewhere,
    uri: &Uri,
    version: i32,
) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .filter_map(|related| {
            let (uri, range) = match &related.path {
                None => (uri.clone(), map.range(&related.range)),
                Some(path) => {
                    let range = elsewhere
                        .map(path, map.encoding)
                        .map_or_else(Range::default, |other| other.range(&related.range));
                    (path_to_uri(path)?, range)
                }
            };
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range },
                message: related.message.clone(),
            })
        })
        .collect();
    let data = FixData {
        version,
        fixes: finding
            .fixes
            .iter()
            .map(|fix| ProtoFix::new(fix, map))
            .collect(),
    };
    Diagnostic {
        range: map.range(&finding.range),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.clone())),
        code_description: rule_docs(&finding.code).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: finding.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (finding.code == EXACT_DUPLICATE).then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: serde_json::to_value(&data).ok(),
    }
}

/// A broken `galley.toml` as an error diagnostic on that file; `text` is the file's content
/// (needed to place the error in the client's encoding), `None` when it cannot be read.
pub(crate) fn config_error_diagnostic(
    err: &ConfigError,
    text: Option<&str>,
    encoding: Encoding,
) -> Diagnostic {
    let range = match text {
        Some(text) => {
            let index = LineIndex::new(text);
            let map = LineMap {
                text,
                index: &index,
                encoding,
            };
            let span = match (&err.span, err.line, err.column) {
                (Some(span), _, _) => span.clone(),
                (None, Some(line), Some(column)) => {
                    let at = LineCol {
                        line: line.saturating_sub(1) as u32,
                        col: column.saturating_sub(1) as u32,
                    };
                    let offset = index.to_offset(text, at, Encoding::Utf32);
                    offset..offset
                }
                _ => 0..0,
            };
            map.range(&span)
        }
        None => Range::default(),
    };
    let message = match &err.key {
        Some(key) => format!("`{key}`: {}", err.message),
        None => err.message.clone(),
    };
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some(SOURCE.to_string()),
        message,
        ..Default::default()
    }
}

/// What `Diagnostic.data` carries: the fixes as LSP edits against the text at `version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct FixData {
    pub version: i32,
    pub fixes: Vec<ProtoFix>,
}

impl FixData {
    /// Reads the payload back; `None` for a diagnostic that is not ours or is malformed.
    pub(crate) fn from_diagnostic(diagnostic: &Diagnostic) -> Option<FixData> {
        if diagnostic.source.as_deref() != Some(SOURCE) {
            return None;
        }
        serde_json::from_value(diagnostic.data.clone()?).ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ProtoFixKind {
    QuickFix,
    Suppress,
}

/// One fix in the `data` payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ProtoFix {
    pub title: String,
    pub kind: ProtoFixKind,
    /// Whether fix-all would apply it too.
    pub safe: bool,
    pub edits: Vec<TextEdit>,
}

impl ProtoFix {
    fn new(fix: &Fix, map: LineMap<'_>) -> ProtoFix {
        ProtoFix {
            title: fix.title.clone(),
            kind: match fix.kind {
                FixKind::QuickFix => ProtoFixKind::QuickFix,
                FixKind::Suppress => ProtoFixKind::Suppress,
            },
            safe: fix.applicability == Applicability::Safe,
            edits: fix.edits.iter().map(|edit| map.text_edit(edit)).collect(),
        }
    }
}

/// Edits to one document, pinned to its version when the client supports versioned edits (so a
/// stale edit is refused by the client instead of corrupting the text).
pub(crate) fn workspace_edit(
    uri: &Uri,
    version: i32,
    edits: Vec<TextEdit>,
    versioned: bool,
) -> WorkspaceEdit {
    if versioned {
        let edit = TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version: Some(version),
            },
            edits: edits
                .into_iter()
                .map(tower_lsp_server::ls_types::OneOf::Left)
                .collect(),
        };
        WorkspaceEdit {
            document_changes: Some(tower_lsp_server::ls_types::DocumentChanges::Edits(vec![
                edit,
            ])),
            ..Default::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{ClientCapabilities, GeneralClientCapabilities};

    const LINE: &str = "Añoñé 😀 fin\r\nsegunda\n";

    fn offered(kinds: &[PositionEncodingKind]) -> InitializeParams {
        InitializeParams {
            capabilities: ClientCapabilities {
                general: Some(GeneralClientCapabilities {
                    position_encodings: Some(kinds.to_vec()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn prefers_utf8_then_utf16_then_utf32() {
        use PositionEncodingKind as K;
        assert_eq!(
            negotiate_encoding(&offered(&[K::UTF16, K::UTF8])),
            Encoding::Utf8
        );
        assert_eq!(
            negotiate_encoding(&offered(&[K::UTF32, K::UTF16])),
            Encoding::Utf16
        );
        assert_eq!(negotiate_encoding(&offered(&[K::UTF32])), Encoding::Utf32);
        assert_eq!(
            negotiate_encoding(&InitializeParams::default()),
            Encoding::Utf16
        );
    }

    #[test]
    fn rope_offsets_match_the_line_index_in_every_encoding() {
        let rope = Rope::from_str(LINE);
        let index = LineIndex::new(LINE);
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let map = LineMap {
                text: LINE,
                index: &index,
                encoding,
            };
            for offset in [
                0,
                LINE.find('😀').unwrap(),
                LINE.find("fin").unwrap(),
                LINE.find("seg").unwrap(),
            ] {
                let pos = map.position(offset);
                assert_eq!(
                    rope_offset(&rope, pos, encoding),
                    RopeOffset {
                        byte: offset,
                        clamped: false
                    }
                );
            }
        }
    }

    #[test]
    fn clamps_positions_past_the_line_or_the_text_and_says_so() {
        let rope = Rope::from_str(LINE);
        let end_of_first = LINE.find('\r').unwrap();
        let past_line = rope_offset(
            &rope,
            Position {
                line: 0,
                character: 500,
            },
            Encoding::Utf16,
        );
        assert_eq!(
            past_line,
            RopeOffset {
                byte: end_of_first,
                clamped: true
            }
        );
        let past_text = rope_offset(
            &rope,
            Position {
                line: 90,
                character: 0,
            },
            Encoding::Utf16,
        );
        assert_eq!(
            past_text,
            RopeOffset {
                byte: LINE.len(),
                clamped: true
            }
        );
        let inside_pair = rope_offset(
            &rope,
            Position {
                line: 0,
                character: 7,
            },
            Encoding::Utf16,
        );
        assert_eq!(
            inside_pair,
            RopeOffset {
                byte: LINE.find('😀').unwrap(),
                clamped: true
            }
        );
    }

    #[test]
    fn fix_data_round_trips_through_a_diagnostic() {
        let index = LineIndex::new(LINE);
        let map = LineMap {
            text: LINE,
            index: &index,
            encoding: Encoding::Utf16,
        };
        let finding = Finding {
            code: EXACT_DUPLICATE.into(),
            severity: Severity::Warning,
            message: "repetido".into(),
            range: 0..5,
            related: vec![],
            fixes: vec![Fix {
                title: "Remove".into(),
                kind: FixKind::QuickFix,
                applicability: Applicability::Safe,
                edits: vec![Edit::delete(LINE.find("seg").unwrap()..LINE.len())],
            }],
            similarity: Some(1.0),
        };
        let uri = Uri::from_str("file:///tmp/a.txt").unwrap();
        let diagnostic = diagnostic(&finding, map, &Elsewhere::default(), &uri, 7);
        assert_eq!(diagnostic.tags, Some(vec![DiagnosticTag::UNNECESSARY]));
        let data = FixData::from_diagnostic(&diagnostic).unwrap();
        assert_eq!(data.version, 7);
        assert_eq!(
            data.fixes[0].edits[0].range.start,
            Position {
                line: 1,
                character: 0
            }
        );
        assert_eq!(
            data.fixes[0].edits[0].range.end,
            Position {
                line: 2,
                character: 0
            }
        );
    }
}
