//! Normalisation of paragraph text before it is compared: two paragraphs that differ only in
//! Unicode compatibility forms, letter case, runs of whitespace or typographic quotes and dashes
//! are the same paragraph to a reader, so they must be the same text here.
//!
//! One pass does everything and also records where the words are (maximal runs of letters and
//! digits), so shingling does not scan the text again: this runs over every byte of a draft on
//! every keystroke.

use std::iter;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// A reusable normaliser: holds the normalised text of the last paragraph and its word spans,
/// so that normalising thousands of paragraphs reuses two allocations.
///
/// The text is kept as UTF-8 bytes (always valid: only whole characters are written) because
/// everything downstream hashes bytes.
#[derive(Debug, Default)]
pub struct Normalizer {
    out: Vec<u8>,
    words: Vec<(u32, u32)>,
    /// Start of the word being written, if the last character written was a word character.
    word_start: Option<u32>,
    /// Whitespace seen since the last character written; emitted as one space only before the
    /// next visible character, which drops leading and trailing whitespace for free.
    pending_space: bool,
}

impl Normalizer {
    pub fn new() -> Self {
        Normalizer::default()
    }

    /// Normalises `text`: NFKC, case folded, typographic quotes and dashes folded to their ASCII
    /// forms, every run of whitespace collapsed to one space, no leading or trailing space.
    /// Returns the normalised text as UTF-8 bytes.
    pub fn run(&mut self, text: &str) -> &[u8] {
        self.reset(text.len());
        if !self.fold_if_nfkc(text) {
            self.reset(text.len());
            for ch in text.nfkc() {
                self.push(ch);
            }
        }
        self.end_word();
        &self.out
    }

    /// The normalised text of the last [`run`](Self::run), as UTF-8 bytes.
    pub fn text(&self) -> &[u8] {
        &self.out
    }

    /// The words of the last run, in order, as UTF-8 bytes: maximal runs of letters and digits.
    /// Punctuation (`¿`, `¡`, `,`, quotes) and emoji separate words and are otherwise ignored.
    pub fn words(&self) -> impl Iterator<Item = &[u8]> {
        self.words
            .iter()
            .filter_map(|&(start, end)| self.out.get(start as usize..end as usize))
    }

    fn reset(&mut self, capacity: usize) {
        self.out.clear();
        self.out.reserve(capacity);
        self.words.clear();
        self.word_start = None;
        self.pending_space = false;
    }

    /// Folds `text` on the assumption that it is already NFKC, checking that assumption per
    /// character as Unicode's quick check does; returns `false` (output incomplete) as soon as
    /// it fails. Most drafts are NFKC (precomposed accents), so the decomposition pass is rare.
    fn fold_if_nfkc(&mut self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut last_class = 0u8;
        while i < bytes.len() {
            let rest = bytes.get(i..).unwrap_or_default();
            let ascii = rest
                .iter()
                .position(|b| !b.is_ascii())
                .unwrap_or(rest.len());
            if ascii > 0 {
                self.push_ascii_run(rest.get(..ascii).unwrap_or_default());
                last_class = 0;
                i += ascii;
                continue;
            }
            let Some(ch) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                return false;
            };
            i += ch.len_utf8();
            if is_latin1_letter(ch) {
                // Spanish accented letters: starters, NFKC as they are, plain lower-casing.
                last_class = 0;
                self.push_latin1_letter(ch);
                continue;
            }
            let class = canonical_combining_class(ch);
            if (last_class > class && class != 0)
                || is_nfkc_quick(iter::once(ch)) != IsNormalized::Yes
            {
                return false;
            }
            last_class = class;
            self.push_non_ascii(ch);
        }
        true
    }

    /// The hot loop: most of a draft is ASCII. Copies a word at a time, so the only hard to
    /// predict branch is where each word ends, classifies bytes by table, and works on locals
    /// so they stay in registers.
    fn push_ascii_run(&mut self, run: &[u8]) {
        let out = &mut self.out;
        let mut word_start = self.word_start;
        let mut pending_space = self.pending_space;
        let mut i = 0;
        while let Some(&byte) = run.get(i) {
            match ASCII_CLASS[usize::from(byte)] {
                Class::Word => {
                    if pending_space {
                        out.push(b' ');
                        pending_space = false;
                    }
                    if word_start.is_none() {
                        word_start = Some(offset(out));
                    }
                    let word = run.get(i..).unwrap_or_default();
                    let length = word
                        .iter()
                        .position(|&b| ASCII_CLASS[usize::from(b)] != Class::Word)
                        .unwrap_or(word.len());
                    out.extend(word.iter().take(length).map(u8::to_ascii_lowercase));
                    i += length;
                }
                Class::Space => {
                    if let Some(start) = word_start.take() {
                        self.words.push((start, offset(out)));
                    }
                    pending_space = !out.is_empty();
                    i += 1;
                }
                Class::Other => {
                    if let Some(start) = word_start.take() {
                        self.words.push((start, offset(out)));
                    }
                    if pending_space {
                        out.push(b' ');
                        pending_space = false;
                    }
                    out.push(byte);
                    i += 1;
                }
            }
        }
        self.word_start = word_start;
        self.pending_space = pending_space;
    }

    fn push_latin1_letter(&mut self, ch: char) {
        if ch == 'ß' {
            // Full case folding differs from lower-casing here.
            self.visible('s', true);
            self.visible('s', true);
        } else if ch <= 'Þ' {
            // Latin-1 capitals sit 0x20 below their small letters.
            self.visible(char::from_u32(u32::from(ch) + 0x20).unwrap_or(ch), true);
        } else {
            self.visible(ch, true);
        }
    }

    fn push(&mut self, ch: char) {
        if ch.is_ascii() {
            // Characters below 0x80 are exactly the ASCII bytes.
            self.push_ascii_run(&[ch as u8]);
        } else if is_latin1_letter(ch) {
            self.push_latin1_letter(ch);
        } else {
            self.push_non_ascii(ch);
        }
    }

    fn push_non_ascii(&mut self, ch: char) {
        if ch.is_whitespace() {
            self.end_word();
            self.pending_space = !self.out.is_empty();
        } else if let Some(folded) = fold_typographic(ch) {
            self.visible(folded, false);
        } else {
            match ch {
                // Full case folding differs from lower-casing for these letters.
                'ẞ' => {
                    self.visible('s', true);
                    self.visible('s', true);
                }
                'ς' => self.visible('σ', true),
                _ => {
                    for lower in ch.to_lowercase() {
                        self.visible(lower, lower.is_alphanumeric());
                    }
                }
            }
        }
    }

    fn visible(&mut self, ch: char, is_word: bool) {
        if self.pending_space {
            self.out.push(b' ');
            self.pending_space = false;
        }
        if is_word {
            if self.word_start.is_none() {
                self.word_start = Some(offset(&self.out));
            }
        } else {
            self.end_word();
        }
        let mut utf8 = [0u8; 4];
        // Byte by byte: a call to memcpy for one to four bytes costs more than the copy.
        for &byte in ch.encode_utf8(&mut utf8).as_bytes() {
            self.out.push(byte);
        }
    }

    fn end_word(&mut self) {
        if let Some(start) = self.word_start.take() {
            self.words.push((start, offset(&self.out)));
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Space,
    Other,
}

/// What each byte is, for bytes below 0x80 (the rest are never looked up: non-ASCII bytes end
/// an ASCII run); a table lookup is cheaper than the range checks in the hot loop.
static ASCII_CLASS: [Class; 256] = ascii_classes();

const fn ascii_classes() -> [Class; 256] {
    let mut table = [Class::Other; 256];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        table[byte] = if b.is_ascii_alphanumeric() {
            Class::Word
        } else if b.is_ascii_whitespace() || b == 0x0b {
            Class::Space
        } else {
            Class::Other
        };
        byte += 1;
    }
    table
}

/// `À`–`ÿ` except `×` and `÷`: letters that are NFKC starters as they stand.
fn is_latin1_letter(ch: char) -> bool {
    ('\u{C0}'..='\u{FF}').contains(&ch) && ch != '×' && ch != '÷'
}

/// Paragraph offsets fit in `u32` (a draft is far below 4 GiB); halving the span size keeps the
/// word list small. A longer text saturates, and `words` then skips the spans it cannot slice.
fn offset(out: &[u8]) -> u32 {
    u32::try_from(out.len()).unwrap_or(u32::MAX)
}

/// The normalised form of `text` (see [`Normalizer::run`]).
pub fn normalize(text: &str) -> String {
    let mut normalizer = Normalizer::new();
    String::from_utf8_lossy(normalizer.run(text)).into_owned()
}

/// Typographic quotes, guillemets, primes and dashes, as the ASCII character a plain keyboard
/// types for them.
fn fold_typographic(ch: char) -> Option<char> {
    match ch {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2039}'
        | '\u{203A}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => Some('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => Some('-'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(text: &str) -> Vec<String> {
        let mut normalizer = Normalizer::new();
        normalizer.run(text);
        normalizer
            .words()
            .map(|w| String::from_utf8_lossy(w).into_owned())
            .collect()
    }

    #[test]
    fn lowercases_and_collapses_whitespace() {
        assert_eq!(
            normalize("  Hola\t\tMUNDO \r\n otra  vez  "),
            "hola mundo otra vez"
        );
    }

    #[test]
    fn keeps_accents_but_folds_their_case() {
        assert_eq!(
            normalize("ÁRBOL Ñandú Él ÜÇÖ × ÷"),
            "árbol ñandú él üçö × ÷"
        );
        assert_eq!(words_of("ÁRBOL×Ñandú"), ["árbol", "ñandú"]);
    }

    #[test]
    fn composes_decomposed_accents_like_precomposed_ones() {
        let decomposed = "Informacio\u{301}n";
        assert_eq!(normalize(decomposed), normalize("Información"));
        assert_eq!(words_of(decomposed), ["información"]);
    }

    #[test]
    fn reorders_combining_marks_that_are_out_of_canonical_order() {
        // Tilde overlay (class 1) after dot below (class 220) is not NFKC.
        assert_eq!(
            normalize("a\u{0323}\u{0334}"),
            normalize("a\u{0334}\u{0323}")
        );
    }

    #[test]
    fn folds_compatibility_forms_and_non_breaking_spaces() {
        assert_eq!(
            normalize("ﬁn\u{00A0}de\u{202F}año Ｈｏｌａ"),
            "fin de año hola"
        );
    }

    #[test]
    fn folds_typographic_quotes_and_dashes() {
        assert_eq!(
            normalize("“amistad” «invencible» ‘sí’ — dijo – 2024‒2025"),
            "\"amistad\" \"invencible\" 'sí' - dijo - 2024-2025"
        );
    }

    #[test]
    fn case_folds_sharp_s_and_final_sigma() {
        assert_eq!(normalize("STRAẞE Straße"), "strasse strasse");
        assert_eq!(normalize("ΛΌΓΟΣ λόγος"), normalize("λόγοσ λόγοσ"));
    }

    #[test]
    fn keeps_emoji_and_drops_only_surrounding_space() {
        assert_eq!(normalize(" 😀  Fiesta 🎉 "), "😀 fiesta 🎉");
    }

    #[test]
    fn splits_words_on_spanish_punctuation_and_emoji() {
        assert_eq!(
            words_of("¿Quién llegó? ¡Él, por fin! —dijo «Ana» en 2024🎉fiesta."),
            [
                "quién", "llegó", "él", "por", "fin", "dijo", "ana", "en", "2024", "fiesta"
            ]
        );
    }

    #[test]
    fn reuses_the_buffers_without_leaking_the_previous_paragraph() {
        let mut normalizer = Normalizer::new();
        normalizer.run("Texto anterior, muy largo");
        assert_eq!(normalizer.run("Corto"), b"corto");
        assert_eq!(normalizer.words().collect::<Vec<_>>(), [b"corto"]);
    }
}
