//! The newsroom's plain-text layout: header lines (see [`super::header`]) then body
//! paragraphs, into a [`Draft`].
//!
//! # Body layout
//! The body is split into blocks, runs of non-blank lines (a line of spaces, tabs or
//! non-breaking spaces is blank). It is **hard-wrapped** — each block is one paragraph — when
//! it has at least two blocks, at least one block has several lines, and most lines inside
//! multi-line blocks (all but each block's last line) are at most [`WRAP_WIDTH`] characters:
//! text wrapped for reading, not paragraphs one per line with a stray blank line between them.
//! Otherwise **each non-blank line is a paragraph**.
//!
//! # Removing a paragraph
//! A paragraph's `removal` runs from the end of the previous paragraph's last line to the end
//! of its own last line: the line break(s) and any blank run before it go with it, so nothing
//! is left behind, also for a last line without final newline and with CRLF. Removals of
//! paragraphs after the first are therefore disjoint, and can all be applied at once. The first
//! paragraph, having no paragraph before it in the body, takes its own line break(s) and the
//! blank run after it instead, so the header is never touched.

use super::header::{self, Header};
use super::text::{Line, bom_len, is_blank, line_ending, lines, trim_range};
use super::{Draft, Field, FieldKind, Format, Paragraph, Parsed, date, leaning};
use crate::config::Profile;

/// Lines up to this many characters can be hard-wrapped text.
pub(crate) const WRAP_WIDTH: usize = 120;

/// Whether a line is short enough to be part of hard-wrapped text.
pub(crate) fn is_wrapped_width(line: &str) -> bool {
    // Four bytes per character at most, so only middling lengths need counting.
    line.len() <= WRAP_WIDTH || (line.len() <= 4 * WRAP_WIDTH && line.chars().count() <= WRAP_WIDTH)
}

pub(crate) fn read(text: &str, profile: &Profile) -> Draft {
    let bom = bom_len(text);
    let header = header::detect(text, bom, profile);
    Draft {
        format: Format::Plain,
        fields: fields(text, &header, profile),
        paragraphs: paragraphs(text, header.body_start),
        body_start: header.body_start,
        line_ending: line_ending(text),
        insertion_points: insertion_points(&header, bom),
        has_front_matter: false,
        file_suppressed: Vec::new(),
    }
}

fn fields(text: &str, header: &Header, profile: &Profile) -> Vec<Field> {
    let mut fields = Vec::with_capacity(4);
    let text_field =
        |kind: FieldKind,
         line: Line,
         value_start: usize,
         parsed: fn(&str, std::ops::Range<usize>, &Profile) -> Parsed| {
            let range = trim_range(text, line.start..line.end);
            let value_range = trim_range(text, value_start.max(range.start)..line.end);
            Field {
                kind,
                range,
                value: text[value_range.clone()].to_string(),
                parsed: parsed(text, value_range.clone(), profile),
                value_range,
            }
        };
    if let Some(line) = header.meter {
        fields.push(text_field(
            FieldKind::Leaning,
            line,
            line.start,
            |text, range, profile| Parsed::Leaning(leaning::parse(text, range, profile)),
        ));
    }
    if let Some(line) = header.title {
        fields.push(text_field(FieldKind::Title, line, line.start, |_, _, _| {
            Parsed::Text
        }));
    }
    if let Some(line) = header.subtitle {
        fields.push(text_field(
            FieldKind::Subtitle,
            line,
            line.start,
            |_, _, _| Parsed::Text,
        ));
    }
    if let Some((line, value_start)) = header.date {
        fields.push(text_field(
            FieldKind::Date,
            line,
            value_start,
            |text, range, profile| Parsed::Date(date::parse(&text[range], profile.language)),
        ));
    }
    fields
}

/// Where each header field's line belongs: the meter first (after the BOM), then the headline,
/// the subtitle and the date line, each after the one before it that is present. A point at the
/// very end of a text without a final line break needs a line break inserted before the line.
fn insertion_points(header: &Header, bom: usize) -> Vec<(FieldKind, usize)> {
    let after = |line: Option<Line>| line.map(|l| l.next);
    let title = after(header.meter).unwrap_or(bom);
    let subtitle = after(header.title).unwrap_or(title);
    let date = after(header.subtitle).unwrap_or(subtitle);
    vec![
        (FieldKind::Leaning, bom),
        (FieldKind::Title, title),
        (FieldKind::Subtitle, subtitle),
        (FieldKind::Date, date),
    ]
}

/// A body line, with whether it is blank.
#[derive(Clone, Copy)]
struct BodyLine {
    line: Line,
    blank: bool,
}

fn paragraphs(text: &str, body_start: usize) -> Vec<Paragraph> {
    let body: Vec<BodyLine> = lines(text, body_start)
        .map(|line| BodyLine {
            line,
            blank: is_blank(line.content(text)),
        })
        .collect();
    // Each unit is a paragraph's first and last line.
    let mut units: Vec<(Line, Line)> = Vec::new();
    if is_hard_wrapped(text, &body) {
        let mut open: Option<(Line, Line)> = None;
        for bl in &body {
            match (&mut open, bl.blank) {
                (Some(unit), false) => unit.1 = bl.line,
                (None, false) => open = Some((bl.line, bl.line)),
                (Some(_), true) => units.extend(open.take()),
                (None, true) => {}
            }
        }
        units.extend(open);
    } else {
        units.extend(
            body.iter()
                .filter(|bl| !bl.blank)
                .map(|bl| (bl.line, bl.line)),
        );
    }
    let mut paragraphs = Vec::with_capacity(units.len());
    for (i, &(first, last)) in units.iter().enumerate() {
        let removal = if i > 0 {
            units[i - 1].1.end..last.end
        } else if let Some(next) = units.get(1) {
            first.start..next.0.start
        } else {
            first.start..text.len()
        };
        paragraphs.push(Paragraph {
            range: trim_range(text, first.start..last.end),
            removal,
            suppressed: Vec::new(),
        });
    }
    paragraphs
}

/// The rule in the module documentation.
fn is_hard_wrapped(text: &str, body: &[BodyLine]) -> bool {
    let mut blocks = 0;
    let (mut short, mut inner) = (0usize, 0usize);
    let mut run = 0;
    for (i, bl) in body.iter().enumerate() {
        if bl.blank {
            run = 0;
            continue;
        }
        if run == 0 {
            blocks += 1;
        }
        run += 1;
        let block_goes_on = body.get(i + 1).is_some_and(|next| !next.blank);
        if block_goes_on {
            inner += 1;
            short += usize::from(is_wrapped_width(bl.line.content(text)));
        }
    }
    blocks >= 2 && inner > 0 && short * 2 > inner
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;
    use crate::draft::testing::{remove, texts};

    const HEADER: &str = "Progresista 30%Conservador 70%\nEl puerto amplía su terminal 🚢\nLas obras durarán dos años y costarán 80 millones.\nPublicado: 2 de marzo de 2026, 09:15\n";

    fn read_es(text: &str) -> Draft {
        read(text, &Profile::default())
    }

    #[test]
    fn reads_fields_and_one_paragraph_per_line() {
        let text = format!("{HEADER}Primer párrafo con acentos.\nSegundo párrafo 😀.\nTercero.\n");
        let d = read_es(&text);
        assert_eq!(
            texts(&text, &d),
            [
                "Primer párrafo con acentos.",
                "Segundo párrafo 😀.",
                "Tercero."
            ]
        );
        assert_eq!(
            d.field(&FieldKind::Title).unwrap().value,
            "El puerto amplía su terminal 🚢"
        );
        let Parsed::Leaning(Ok(m)) = &d.field(&FieldKind::Leaning).unwrap().parsed else {
            panic!()
        };
        assert_eq!(&text[m.right_digits.clone()], "70");
        let date = d.field(&FieldKind::Date).unwrap();
        assert_eq!(&text[date.value_range.clone()], "2 de marzo de 2026, 09:15");
        assert!(matches!(date.parsed, Parsed::Date(Ok(_))));
        assert_eq!(d.body_start, HEADER.len());
        assert_eq!(d.line_ending, "\n");
        assert!(!d.has_front_matter);
    }

    #[test]
    fn removes_a_middle_line_with_its_line_break() {
        let text = format!("{HEADER}Uno.\nDos.\nTres.\n");
        let d = read_es(&text);
        assert_eq!(
            remove(&text, &d.paragraphs[1]),
            format!("{HEADER}Uno.\nTres.\n")
        );
    }

    #[test]
    fn removes_the_last_line_without_final_newline_with_the_break_before_it() {
        let text = format!("{HEADER}Uno.\nDos.\nTres.");
        let d = read_es(&text);
        assert_eq!(
            remove(&text, &d.paragraphs[2]),
            format!("{HEADER}Uno.\nDos.")
        );
    }

    #[test]
    fn removes_lines_with_crlf_and_applies_several_removals_at_once() {
        let text = format!("{HEADER}Uno.\r\nDos.\r\nUno.\r\nDos.")
            .replace('\n', "\r\n")
            .replace("\r\r\n", "\r\n");
        let d = read_es(&text);
        assert_eq!(d.line_ending, "\r\n");
        assert_eq!(texts(&text, &d), ["Uno.", "Dos.", "Uno.", "Dos."]);
        let (a, b) = (&d.paragraphs[2].removal, &d.paragraphs[3].removal);
        assert!(a.end <= b.start);
        let out = format!("{}{}", &text[..a.start], &text[b.end..]);
        assert!(out.ends_with("\r\nUno.\r\nDos."), "{out:?}");
        assert!(!out.contains("\r\n\r\n"));
    }

    #[test]
    fn removes_a_lone_cr_line() {
        let text = format!("{HEADER}Uno.\rDos.\rTres.\r").replace('\n', "\r");
        let d = read_es(&text);
        assert_eq!(d.line_ending, "\r");
        assert_eq!(
            remove(&text, &d.paragraphs[1]),
            format!("{HEADER}Uno.\rTres.\r").replace('\n', "\r")
        );
    }

    #[test]
    fn removes_the_first_paragraph_without_touching_the_header() {
        let text = format!("{HEADER}\nUno.\n\nDos.\n");
        let d = read_es(&text);
        let p = &d.paragraphs[0];
        assert!(p.removal.start >= d.body_start);
        assert_eq!(remove(&text, p), format!("{HEADER}\nDos.\n"));
        let only = format!("{HEADER}Único.");
        let d = read_es(&only);
        assert_eq!(remove(&only, &d.paragraphs[0]), HEADER);
    }

    #[test]
    fn reads_hard_wrapped_blocks_as_paragraphs() {
        let text = format!(
            "{HEADER}\nLa primera línea del párrafo\nsigue aquí con un tab\tdentro.\n\u{a0}\nSegundo bloque\nen dos líneas.\n\nTercero."
        );
        let d = read_es(&text);
        assert_eq!(
            texts(&text, &d),
            [
                "La primera línea del párrafo\nsigue aquí con un tab\tdentro.",
                "Segundo bloque\nen dos líneas.",
                "Tercero."
            ]
        );
        assert_eq!(
            remove(&text, &d.paragraphs[1]),
            format!(
                "{HEADER}\nLa primera línea del párrafo\nsigue aquí con un tab\tdentro.\n\nTercero."
            )
        );
        assert_eq!(
            remove(&text, &d.paragraphs[2]),
            format!(
                "{HEADER}\nLa primera línea del párrafo\nsigue aquí con un tab\tdentro.\n\u{a0}\nSegundo bloque\nen dos líneas."
            )
        );
    }

    #[test]
    fn keeps_one_paragraph_per_line_despite_a_stray_blank_line() {
        let long = "Este párrafo es largo porque los redactores escriben cada párrafo en una sola línea sin cortes, y por eso supera con creces el ancho de ajuste.";
        let text = format!("{HEADER}{long} Uno.\n{long} Dos.\n\n{long} Tres.\n{long} Cuatro.\n");
        let d = read_es(&text);
        assert_eq!(d.paragraphs.len(), 4);
        assert_eq!(
            remove(&text, &d.paragraphs[2]),
            format!("{HEADER}{long} Uno.\n{long} Dos.\n{long} Cuatro.\n")
        );
    }

    #[test]
    fn reads_blank_separated_single_lines_and_removes_one_blank_run() {
        let text = format!("{HEADER}\nUno.\n\nDos.\n\nTres.\n");
        let d = read_es(&text);
        assert_eq!(texts(&text, &d), ["Uno.", "Dos.", "Tres."]);
        assert_eq!(
            remove(&text, &d.paragraphs[1]),
            format!("{HEADER}\nUno.\n\nTres.\n")
        );
    }

    #[test]
    fn keeps_ranges_after_a_bom_and_trims_nbsp_and_tabs() {
        let text = format!("\u{FEFF}{HEADER}\u{a0}\tCon espacios duros.\u{a0}\n");
        let d = read_es(&text);
        assert_eq!(texts(&text, &d), ["Con espacios duros."]);
        let meter = d.field(&FieldKind::Leaning).unwrap();
        assert_eq!(meter.range.start, 3);
        assert_eq!(d.insertion_points[0], (FieldKind::Leaning, 3));
    }

    #[test]
    fn places_missing_fields_where_they_belong() {
        let text = "El puerto amplía su terminal\nPublicado: 2 de marzo de 2026\nCuerpo.";
        let d = read_es(text);
        let at = |kind: FieldKind| {
            d.insertion_points
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, at)| *at)
        };
        assert_eq!(at(FieldKind::Leaning), Some(0));
        assert_eq!(at(FieldKind::Title), Some(0));
        assert_eq!(
            at(FieldKind::Subtitle),
            Some(text.find("Publicado").unwrap())
        );
        let no_date = format!(
            "{}\nCuerpo largo {}",
            &HEADER[..HEADER.find("Publicado").unwrap() - 1],
            "con muchas palabras ".repeat(20)
        );
        let d = read_es(&no_date);
        let date_at = d
            .insertion_points
            .iter()
            .find(|(k, _)| *k == FieldKind::Date)
            .unwrap()
            .1;
        assert!(no_date[date_at..].starts_with("Cuerpo largo"));
    }

    #[test]
    fn reads_an_english_draft() {
        let text = "Progressive 40% Conservative 60%\nPort expands terminal\nWork will take two years.\nPublished: March 2, 2026, 09:15\nFirst.\nSecond.";
        let d = read(text, &Profile::for_language(Language::En));
        assert_eq!(d.fields.len(), 4);
        assert_eq!(d.paragraphs.len(), 2);
    }

    #[test]
    fn reads_empty_and_header_only_texts() {
        assert!(read_es("").paragraphs.is_empty());
        let d = read_es("\u{FEFF}");
        assert_eq!((d.body_start, d.paragraphs.len()), (3, 0));
        let d = read_es(HEADER.trim_end());
        assert!(d.paragraphs.is_empty());
        assert_eq!(d.fields.len(), 4);
    }
}
