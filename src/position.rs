//! The one place that converts between byte offsets and line/column positions.
//!
//! Columns are counted in a chosen [`Encoding`] (UTF-8 bytes, UTF-16 code units or Unicode
//! scalar values); lines end at `\n`, `\r\n` or a lone `\r`, as LSP says. Out-of-range input is
//! clamped, never a panic: a line past the end maps to the end of the text and a column past the
//! end of its line to the end of that line (before its line break).

use std::ops::Range;

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    /// Unicode scalar values: what LSP calls UTF-32, and what a person calls "characters".
    Utf32,
}

/// A zero-based line and column, the column in some [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line starts of a text, for converting offsets in both directions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset at which each line starts; always begins with 0.
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while let Some(pos) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + pos;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            line_starts.push(next);
            i = next;
        }
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte range of line `line` without its line break (clamped to the last line).
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let line = line.min(self.line_starts.len() - 1);
        let start = self.line_starts[line];
        let mut end = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// The zero-based line that contains `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Converts a byte offset to a line and column. An offset inside a multi-byte character is
    /// moved back to the start of that character.
    pub fn to_line_col(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let col = column_width(&text[start..offset], enc);
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Converts a line and column to a byte offset, clamping a line past the end to the end of
    /// the text, a column past the end of the line to the line's end, and a column that falls
    /// inside a character (half a surrogate pair) to that character's start.
    pub fn to_offset(&self, text: &str, pos: LineCol, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return self.len;
        }
        let range = self.line_range(text, line);
        let mut remaining = pos.col as usize;
        for (i, ch) in text[range.clone()].char_indices() {
            let width = char_width(ch, enc);
            if remaining < width {
                return range.start + i;
            }
            remaining -= width;
            if remaining == 0 {
                return range.start + i + ch.len_utf8();
            }
        }
        if pos.col == 0 { range.start } else { range.end }
    }

    /// 1-based line and 1-based column in characters, as terminals and `galley check` show them.
    pub fn to_display(&self, text: &str, offset: usize) -> (usize, usize) {
        let lc = self.to_line_col(text, offset, Encoding::Utf32);
        (lc.line as usize + 1, lc.col as usize + 1)
    }
}

fn char_width(ch: char, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => ch.len_utf8(),
        Encoding::Utf16 => ch.len_utf16(),
        Encoding::Utf32 => 1,
    }
}

fn column_width(s: &str, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => s.len(),
        Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        Encoding::Utf32 => s.chars().count(),
    }
}

/// The largest char boundary not after `offset` (`str::floor_char_boundary` is unstable).
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Añoñé 😀 fin\r\nsegunda\rtercera\n";

    #[test]
    fn counts_columns_in_each_encoding_after_accents_and_emoji() {
        let idx = LineIndex::new(TEXT);
        let fin = TEXT.find("fin").unwrap();
        assert_eq!(
            idx.to_line_col(TEXT, fin, Encoding::Utf8),
            LineCol { line: 0, col: 14 }
        );
        assert_eq!(
            idx.to_line_col(TEXT, fin, Encoding::Utf16),
            LineCol { line: 0, col: 9 }
        );
        assert_eq!(
            idx.to_line_col(TEXT, fin, Encoding::Utf32),
            LineCol { line: 0, col: 8 }
        );
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let lc = idx.to_line_col(TEXT, fin, enc);
            assert_eq!(idx.to_offset(TEXT, lc, enc), fin);
        }
    }

    #[test]
    fn treats_crlf_and_lone_cr_as_line_breaks() {
        let idx = LineIndex::new(TEXT);
        assert_eq!(idx.line_count(), 4);
        let seg = TEXT.find("segunda").unwrap();
        let ter = TEXT.find("tercera").unwrap();
        assert_eq!(
            idx.to_line_col(TEXT, seg, Encoding::Utf16),
            LineCol { line: 1, col: 0 }
        );
        assert_eq!(
            idx.to_line_col(TEXT, ter, Encoding::Utf16),
            LineCol { line: 2, col: 0 }
        );
        assert_eq!(&TEXT[idx.line_range(TEXT, 0)], "Añoñé 😀 fin");
    }

    #[test]
    fn clamps_positions_past_the_line_or_the_text() {
        let idx = LineIndex::new(TEXT);
        let end0 = idx.line_range(TEXT, 0).end;
        assert_eq!(
            idx.to_offset(TEXT, LineCol { line: 0, col: 999 }, Encoding::Utf16),
            end0
        );
        assert_eq!(
            idx.to_offset(TEXT, LineCol { line: 99, col: 0 }, Encoding::Utf16),
            TEXT.len()
        );
        assert_eq!(idx.to_line_col(TEXT, 10_000, Encoding::Utf16).line, 3);
    }

    #[test]
    fn moves_a_column_inside_a_surrogate_pair_to_the_character_start() {
        let idx = LineIndex::new(TEXT);
        let emoji = TEXT.find('😀').unwrap();
        let inside = LineCol { line: 0, col: 7 };
        assert_eq!(idx.to_offset(TEXT, inside, Encoding::Utf16), emoji);
        assert_eq!(idx.to_line_col(TEXT, emoji + 2, Encoding::Utf16).col, 6);
    }

    #[test]
    fn displays_one_based_character_columns() {
        let idx = LineIndex::new(TEXT);
        assert_eq!(idx.to_display(TEXT, TEXT.find("fin").unwrap()), (1, 9));
    }
}
