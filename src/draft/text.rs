//! Small byte-level helpers the draft readers share: the BOM, line iteration over `\n`, `\r\n`
//! and lone `\r`, blank-line detection that counts non-breaking spaces as blank, trimming to
//! byte ranges, and word counts. Nothing here allocates per line.

use std::ops::Range;

const BOM: &str = "\u{FEFF}";

/// Length of a leading UTF-8 byte order mark (3) or 0.
pub(crate) fn bom_len(text: &str) -> usize {
    if text.starts_with(BOM) { BOM.len() } else { 0 }
}

/// The line break the file uses, judged by its first one; `"\n"` when it has none.
pub(crate) fn line_ending(text: &str) -> &'static str {
    let bytes = text.as_bytes();
    match memchr::memchr2(b'\n', b'\r', bytes) {
        Some(at) if bytes[at] == b'\r' => {
            if bytes.get(at + 1) == Some(&b'\n') {
                "\r\n"
            } else {
                "\r"
            }
        }
        _ => "\n",
    }
}

/// One line of the text: `start..end` is its content, `next` the start of the following line
/// (after the line break; equal to `end` for a last line without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

impl Line {
    pub fn content(self, text: &str) -> &str {
        &text[self.start..self.end]
    }
}

/// Iterates the lines of `text` starting at `from` (which must be a line start). A text that
/// ends with a line break has no empty last line.
pub(crate) fn lines(text: &str, from: usize) -> Lines<'_> {
    Lines {
        bytes: text.as_bytes(),
        pos: from.min(text.len()),
    }
}

pub(crate) struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        let start = self.pos;
        if start >= self.bytes.len() {
            return None;
        }
        let line = match memchr::memchr2(b'\n', b'\r', &self.bytes[start..]) {
            Some(rel) => {
                let end = start + rel;
                let next = if self.bytes[end] == b'\r' && self.bytes.get(end + 1) == Some(&b'\n') {
                    end + 2
                } else {
                    end + 1
                };
                Line { start, end, next }
            }
            None => Line {
                start,
                end: self.bytes.len(),
                next: self.bytes.len(),
            },
        };
        self.pos = line.next;
        Some(line)
    }
}

/// Whether `s` holds only whitespace, non-breaking spaces and tabs included.
pub(crate) fn is_blank(s: &str) -> bool {
    // Most lines start with a letter, so the ASCII test usually answers at the first byte.
    let bytes = s.as_bytes();
    match bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\x0b' | b'\x0c'))
    {
        None => true,
        Some(at) if bytes[at].is_ascii() => false,
        Some(at) => s[at..].chars().all(char::is_whitespace),
    }
}

/// `range` shrunk to exclude leading and trailing whitespace (including line breaks and
/// non-breaking spaces); an all-blank range collapses to its start.
pub(crate) fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start_trimmed = slice.trim_start();
    if start_trimmed.is_empty() {
        return range.start..range.start;
    }
    let start = range.start + (slice.len() - start_trimmed.len());
    start..start + start_trimmed.trim_end().len()
}

/// The number of whitespace-separated words in `s`.
pub(crate) fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// The start of the line containing `offset`.
pub(crate) fn line_start_before(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    memchr::memrchr2(b'\n', b'\r', &text.as_bytes()[..offset]).map_or(0, |at| at + 1)
}

/// The end (before its line break) of the line containing `offset`.
pub(crate) fn line_end_after(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    memchr::memchr2(b'\n', b'\r', &text.as_bytes()[offset..]).map_or(text.len(), |at| offset + at)
}

/// `s` without a leading `prefix`, compared case-insensitively (Unicode lowercase, so
/// `PROGRESISTA` and `Publicado` match their labels); `None` when `s` does not start with it.
pub(crate) fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let mut rest = s.char_indices();
    for p in prefix.chars() {
        let (_, c) = rest.next()?;
        if c != p && !c.to_lowercase().eq(p.to_lowercase()) {
            return None;
        }
    }
    Some(rest.next().map_or("", |(at, _)| &s[at..]))
}

/// Whether `range` lies within `text` on character boundaries; ranges computed from a parser's
/// spans are checked with this before they are trusted.
pub(crate) fn valid_range(text: &str, range: &Range<usize>) -> bool {
    range.start <= range.end
        && range.end <= text.len()
        && text.is_char_boundary(range.start)
        && text.is_char_boundary(range.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lines_on_crlf_lone_cr_and_lf_without_a_phantom_last_line() {
        let text = "uno\r\ndós\rtres 😀\nfin";
        let got: Vec<&str> = lines(text, 0).map(|l| l.content(text)).collect();
        assert_eq!(got, ["uno", "dós", "tres 😀", "fin"]);
        let with_final = "a\r\n";
        let all: Vec<Line> = lines(with_final, 0).collect();
        assert_eq!(
            all,
            [Line {
                start: 0,
                end: 1,
                next: 3
            }]
        );
        assert_eq!(lines("", 0).count(), 0);
    }

    #[test]
    fn counts_nbsp_and_tabs_as_blank() {
        assert!(is_blank(" \t\u{a0}  "));
        assert!(is_blank(""));
        assert!(!is_blank(" \u{a0}ñ"));
        assert!(!is_blank("\tx"));
    }

    #[test]
    fn trims_nbsp_and_tabs_to_a_byte_range() {
        let text = "\u{a0}\tCañón 😀\u{a0} ";
        let r = trim_range(text, 0..text.len());
        assert_eq!(&text[r], "Cañón 😀");
        assert_eq!(trim_range("   ", 0..3), 0..0);
    }

    #[test]
    fn detects_line_endings_and_the_bom() {
        assert_eq!(line_ending("a\r\nb\n"), "\r\n");
        assert_eq!(line_ending("a\nb\r\n"), "\n");
        assert_eq!(line_ending("a\rb"), "\r");
        assert_eq!(line_ending("sin salto"), "\n");
        assert_eq!(bom_len("\u{FEFF}hola"), 3);
        assert_eq!(bom_len("hola"), 0);
    }

    #[test]
    fn strips_a_prefix_ignoring_case_with_accents() {
        assert_eq!(
            strip_prefix_ci("PUBLICADO: hoy", "Publicado"),
            Some(": hoy")
        );
        assert_eq!(strip_prefix_ci("ÁNGULO 5", "ángulo"), Some(" 5"));
        assert_eq!(strip_prefix_ci("Pub", "Publicado"), None);
        assert_eq!(strip_prefix_ci("Progresista", "Progresista"), Some(""));
    }

    #[test]
    fn finds_the_line_around_an_offset() {
        let text = "uno\r\ndos\rtres";
        let dos = text.find("dos").unwrap();
        assert_eq!(line_start_before(text, dos + 1), dos);
        assert_eq!(line_end_after(text, dos + 1), dos + 3);
        assert_eq!(line_end_after(text, text.len()), text.len());
    }
}
