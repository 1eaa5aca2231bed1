//! Finding the header of a plain-text draft: the meter, headline, subtitle and date line, and
//! where the body starts.
//!
//! # The heuristic
//! Only the first [`SCAN`] non-blank lines are examined; blank lines never count.
//!
//! 1. **The date line** is a line that starts with the profile's date label and a colon
//!    (`Publicado:`, any case) or that is nothing but a date (`14 de enero de 2026`). If one is
//!    found before any long line (more than [`SUBTITLE_MAX_WORDS`] words), the header is every
//!    line up to it and the body starts on the line after it.
//! 2. **Without a date line**, the header is read from the top: the first meter-like line is
//!    the meter; every other line is a header text line until one of these starts the body:
//!    a long line (more than [`SUBTITLE_MAX_WORDS`] words); a line of a hard-wrapped block
//!    (several short lines with no blank line between them) after a blank line, unless it is
//!    the first block or the one holding the meter; a third text line; or the line after a first text line too long for a headline (more than
//!    [`TITLE_MAX_WORDS`] words), which can only be a subtitle whose headline is missing.
//! 3. **Headline and subtitle** are then positional: of two header text lines the first is the
//!    headline and the second the subtitle. A single text line is the headline when it is short
//!    (at most [`TITLE_MAX_WORDS`] words) and does not end with a full stop, and otherwise the
//!    subtitle (headlines rarely end with a period, subtitles nearly always do). Extra header
//!    lines (a kicker, a second meter) belong to no field.
//!
//! So with one header line missing: no meter or no headline or no subtitle is read exactly when
//! the date line is there; with the date line missing, the body is recognised by its first long
//! paragraph or, failing that, after two header text lines. The one case no rule can tell apart
//! is a missing date *and* a short first paragraph after a lone headline: that paragraph is then
//! taken as the subtitle.

use super::text::{Line, is_blank, lines, word_count};
use super::{date, leaning, plain};
use crate::config::Profile;

/// How many non-blank lines from the top can belong to the header.
pub(crate) const SCAN: usize = 5;
/// A headline has at most this many words.
pub(crate) const TITLE_MAX_WORDS: usize = 30;
/// A subtitle (a sentence or two) has at most this many words; a longer line is body.
pub(crate) const SUBTITLE_MAX_WORDS: usize = 60;

/// The header lines found, and where the body starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Header {
    pub meter: Option<Line>,
    pub title: Option<Line>,
    pub subtitle: Option<Line>,
    /// The date line and the offset where its value starts.
    pub date: Option<(Line, usize)>,
    /// The start of the body's first line (the end of the text when there is no body).
    pub body_start: usize,
}

/// Reads the header of the draft whose text starts at `from` (after any BOM).
pub(crate) fn detect(text: &str, from: usize, profile: &Profile) -> Header {
    let mut top = [None; SCAN];
    for (slot, line) in top
        .iter_mut()
        .zip(lines(text, from).filter(|l| !is_blank(l.content(text))))
    {
        *slot = Some(line);
    }
    let candidates: Vec<Line> = top.into_iter().flatten().collect();
    let long = |line: &Line| word_count(line.content(text)) > SUBTITLE_MAX_WORDS;
    let date_at = candidates
        .iter()
        .take_while(|l| !long(l))
        .position(|l| date_value_start(text, *l, profile).is_some());
    match date_at {
        Some(at) => with_date_line(text, &candidates, at, profile),
        None => without_date_line(text, &candidates, from, profile),
    }
}

/// Where the value of a date line starts, if `line` is one.
fn date_value_start(text: &str, line: Line, profile: &Profile) -> Option<usize> {
    let content = line.content(text);
    if let Some(at) = date::value_after_label(content, &profile.date_label) {
        return Some(line.start + at);
    }
    (word_count(content) <= 10 && date::is_date_shaped(content))
        .then(|| line.start + (content.len() - content.trim_start().len()))
}

fn with_date_line(text: &str, candidates: &[Line], at: usize, profile: &Profile) -> Header {
    let date_line = candidates[at];
    let mut header = Header {
        date: date_value_start(text, date_line, profile).map(|v| (date_line, v)),
        body_start: date_line.next,
        ..Header::default()
    };
    let mut texts = Vec::with_capacity(SCAN);
    for line in &candidates[..at] {
        if leaning::looks_like_meter(line.content(text), profile) {
            header.meter.get_or_insert(*line);
        } else {
            texts.push(*line);
        }
    }
    assign_text_lines(text, &texts, &mut header);
    header
}

fn without_date_line(text: &str, candidates: &[Line], from: usize, profile: &Profile) -> Header {
    let mut header = Header {
        body_start: text.len(),
        ..Header::default()
    };
    let mut texts: Vec<Line> = Vec::with_capacity(2);
    let mut meter_block = None;
    let first_block = candidates.first().map(|l| block_start(text, from, *l));
    let mut header_end = from;
    for line in candidates {
        let content = line.content(text);
        if header.meter.is_none() && leaning::looks_like_meter(content, profile) {
            header.meter = Some(*line);
            meter_block = Some(block_start(text, from, *line));
            header_end = line.next;
            continue;
        }
        let words = word_count(content);
        let lone_subtitle =
            texts.len() == 1 && word_count(texts[0].content(text)) > TITLE_MAX_WORDS;
        if words > SUBTITLE_MAX_WORDS
            || texts.len() == 2
            || lone_subtitle
            || starts_wrapped_body(text, from, *line, [first_block, meter_block])
        {
            header.body_start = line.start;
            break;
        }
        texts.push(*line);
        header_end = line.next;
    }
    if header.body_start == text.len() {
        header.body_start = header_end;
    }
    assign_text_lines(text, &texts, &mut header);
    header
}

fn assign_text_lines(text: &str, texts: &[Line], header: &mut Header) {
    match texts {
        [] => {}
        [only] => {
            let content = only.content(text).trim();
            if word_count(content) <= TITLE_MAX_WORDS && !content.ends_with('.') {
                header.title = Some(*only);
            } else {
                header.subtitle = Some(*only);
            }
        }
        [first, second, ..] => {
            header.title = Some(*first);
            header.subtitle = Some(*second);
        }
    }
}

/// The start of the block (run of non-blank lines) holding `line`.
fn block_start(text: &str, from: usize, line: Line) -> usize {
    let mut start = from;
    for l in lines(text, from).take_while(|l| l.start < line.start) {
        if is_blank(l.content(text)) {
            start = l.next;
        }
    }
    start
}

/// Whether `line` is in a hard-wrapped block after a blank line, other than the `header_blocks`
/// (the first block, and the one holding the meter): text wrapped without blank lines at all is
/// one paragraph per line, not one paragraph.
fn starts_wrapped_body(
    text: &str,
    from: usize,
    line: Line,
    header_blocks: [Option<usize>; 2],
) -> bool {
    let block = Some(block_start(text, from, line));
    !header_blocks.contains(&block) && in_wrapped_block(text, from, line)
}

/// Whether `line` belongs to a hard-wrapped block: a block of several lines whose first lines
/// (all but its last, at most eight) are mostly short (see [`plain::is_wrapped_width`]).
fn in_wrapped_block(text: &str, from: usize, line: Line) -> bool {
    let start = block_start(text, from, line);
    let mut block = [None; 9];
    let mut count = 0;
    for (slot, l) in block
        .iter_mut()
        .zip(lines(text, start).take_while(|l| !is_blank(l.content(text))))
    {
        *slot = Some(l);
        count += 1;
    }
    if count < 2 {
        return false;
    }
    let inner = count - 1;
    let short = block[..inner]
        .iter()
        .flatten()
        .filter(|l| plain::is_wrapped_width(l.content(text)))
        .count();
    short * 2 > inner
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;

    const METER: &str = "Progresista 30%Conservador 70%";
    const TITLE: &str = "El Ayuntamiento aprueba el presupuesto récord para 2026 😀";
    const SUBTITLE: &str =
        "La partida de vivienda crece un 40 % y la oposición critica el recorte en cultura.";
    const DATE: &str = "Publicado: 14 de enero de 2026, 05:01";

    fn long_paragraph(seed: &str) -> String {
        format!("{seed} ") + &"palabra más en el cuerpo de la crónica municipal ".repeat(8)
    }

    fn detect_es(text: &str) -> Header {
        detect(text, 0, &Profile::default())
    }

    fn content(text: &str, line: Option<Line>) -> Option<&str> {
        line.map(|l| l.content(text))
    }

    fn draft(header: &[&str]) -> String {
        let mut lines: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        lines.push(long_paragraph("Primero"));
        lines.push("Un párrafo corto de cierre.".to_string());
        lines.join("\n")
    }

    #[test]
    fn reads_a_complete_header() {
        let text = draft(&[METER, TITLE, SUBTITLE, DATE]);
        let h = detect_es(&text);
        assert_eq!(content(&text, h.meter), Some(METER));
        assert_eq!(content(&text, h.title), Some(TITLE));
        assert_eq!(content(&text, h.subtitle), Some(SUBTITLE));
        assert_eq!(
            h.date.map(|(l, v)| (l.content(&text), &text[v..l.end])),
            Some((DATE, "14 de enero de 2026, 05:01"))
        );
        assert!(text[h.body_start..].starts_with("Primero"));
    }

    #[test]
    fn reads_a_header_without_meter() {
        let text = draft(&[TITLE, SUBTITLE, DATE]);
        let h = detect_es(&text);
        assert_eq!(
            (h.meter, content(&text, h.title), content(&text, h.subtitle)),
            (None, Some(TITLE), Some(SUBTITLE))
        );
        assert!(text[h.body_start..].starts_with("Primero"));
    }

    #[test]
    fn reads_a_header_without_headline_as_subtitle_only() {
        let text = draft(&[METER, SUBTITLE, DATE]);
        let h = detect_es(&text);
        assert_eq!(
            (h.title, content(&text, h.subtitle)),
            (None, Some(SUBTITLE))
        );
        assert!(h.date.is_some() && h.meter.is_some());
    }

    #[test]
    fn reads_a_header_without_subtitle() {
        let text = draft(&[METER, TITLE, DATE]);
        let h = detect_es(&text);
        assert_eq!((content(&text, h.title), h.subtitle), (Some(TITLE), None));
    }

    #[test]
    fn infers_the_body_start_without_date_line() {
        let text = draft(&[METER, TITLE, SUBTITLE]);
        let h = detect_es(&text);
        assert_eq!(h.date, None);
        assert_eq!(
            (content(&text, h.title), content(&text, h.subtitle)),
            (Some(TITLE), Some(SUBTITLE))
        );
        assert!(text[h.body_start..].starts_with("Primero"));
    }

    #[test]
    fn stops_the_header_after_two_text_lines_when_the_first_paragraph_is_short() {
        let text = [
            METER,
            TITLE,
            SUBTITLE,
            "Foto: EFE 📷",
            &long_paragraph("Luego"),
        ]
        .join("\r\n");
        let h = detect_es(&text);
        assert!(text[h.body_start..].starts_with("Foto: EFE"));
    }

    #[test]
    fn takes_a_long_lone_text_line_as_subtitle_when_date_and_headline_lack() {
        let long_subtitle = "La partida de vivienda crece un cuarenta por ciento mientras la oposición denuncia recortes en cultura, deportes y transporte público en los barrios del norte y del sur de la ciudad durante todo el año.";
        let text = [
            METER,
            long_subtitle,
            "Una frase breve del cuerpo.",
            &long_paragraph("Cuerpo"),
        ]
        .join("\n");
        let h = detect_es(&text);
        assert_eq!(
            (h.title, content(&text, h.subtitle)),
            (None, Some(long_subtitle))
        );
        assert!(text[h.body_start..].starts_with("Una frase"));
    }

    #[test]
    fn skips_blank_lines_nbsp_and_a_bom_in_the_header() {
        let text = format!(
            "\u{FEFF}\n{METER}\n\u{a0}\t\n{TITLE}\n\n{SUBTITLE}\n\n{DATE}\n\n{}",
            long_paragraph("Cuerpo")
        );
        let h = detect(&text, 3, &Profile::default());
        assert_eq!(
            (content(&text, h.title), content(&text, h.subtitle)),
            (Some(TITLE), Some(SUBTITLE))
        );
        assert!(text[h.body_start..].starts_with("\nCuerpo"));
    }

    #[test]
    fn does_not_take_a_date_line_after_the_first_long_paragraph() {
        let text = [TITLE, SUBTITLE, &long_paragraph("Cuerpo"), DATE].join("\n");
        let h = detect_es(&text);
        assert_eq!(h.date, None);
        assert!(text[h.body_start..].starts_with("Cuerpo"));
    }

    #[test]
    fn recognises_an_unlabelled_date_line_and_an_invalid_one() {
        let text = draft(&[TITLE, SUBTITLE, "31 de febrero de 2026, 10:00"]);
        assert!(detect_es(&text).date.is_some());
        let text = draft(&[TITLE, SUBTITLE, "publicado: cuando se pueda"]);
        assert!(detect_es(&text).date.is_some());
    }

    #[test]
    fn starts_the_body_at_a_hard_wrapped_block_without_date_line() {
        let text = format!(
            "{METER}\n{TITLE}\n\nEl pleno votó anoche las cuentas\nque entrarán en vigor en febrero\ntras meses de negociación.\n\nOtro bloque\nde dos líneas."
        );
        let h = detect_es(&text);
        assert_eq!((content(&text, h.title), h.subtitle), (Some(TITLE), None));
        assert!(text[h.body_start..].starts_with("El pleno"));
    }

    #[test]
    fn keeps_a_header_block_holding_the_meter_in_a_hard_wrapped_draft() {
        let text = format!(
            "{METER}\n{TITLE}\n{SUBTITLE}\n\nEl pleno votó anoche\nlas cuentas nuevas.\n\nOtro\nbloque."
        );
        let h = detect_es(&text);
        assert_eq!(
            (content(&text, h.title), content(&text, h.subtitle)),
            (Some(TITLE), Some(SUBTITLE))
        );
        assert!(text[h.body_start..].starts_with("El pleno"));
    }

    #[test]
    fn uses_the_english_profile_labels() {
        let profile = Profile::for_language(Language::En);
        let text = "Progressive 40% Conservative 60%\nCouncil passes record budget\nPublished: January 14, 2026, 05:01\nBody.";
        let h = detect(text, 0, &profile);
        assert!(h.meter.is_some() && h.date.is_some());
        assert_eq!(content(text, h.title), Some("Council passes record budget"));
    }

    #[test]
    fn reads_an_empty_text() {
        assert_eq!(detect_es("").body_start, 0);
        assert_eq!(detect_es("\n\n").body_start, 0);
    }
}
