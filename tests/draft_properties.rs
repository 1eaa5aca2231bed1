//! Property tests for reading drafts: on any text, in either layout, `read` returns and every
//! range it gives lies inside the text on character boundaries, paragraphs come in order, and
//! the removals of all paragraphs but the first never overlap.

use std::ops::Range;

use galley::config::{Language, Profile};
use galley::draft::{Draft, Format, Parsed, read};
use proptest::prelude::*;

/// Pieces that stress the readers: line breaks of every kind, BOMs, front-matter fences,
/// comments, Markdown markers, header lines, YAML syntax and multi-byte characters.
const PIECES: &[&str] = &[
    "\r",
    "\n",
    "\r\n",
    "\u{FEFF}",
    "---",
    "...",
    "<!--",
    "-->",
    "galley-ignore ",
    "galley-ignore-file ",
    "duplicate-paragraph",
    "# ",
    "## ",
    "- ",
    "> ",
    "1. ",
    "```",
    "    ",
    "|a|b|\n|-|-|",
    "title: ",
    "dek: ",
    "leaning: ",
    "date: ",
    "author:\n  - ",
    "{progresista: 30, conservador: 70}",
    "Progresista 30%Conservador 70%",
    "Progresista ",
    "%",
    "Conservador 7",
    "Publicado: 14 de enero de 2026, 05:01",
    "Publicado:",
    "31 de febrero de 2026",
    "2026-01-14T05:01",
    "ñ",
    "é",
    "😀",
    "\u{a0}",
    "\t",
    " ",
    "a",
    "palabra ",
    "Una frase larga del cuerpo de la noticia con bastantes palabras. ",
    ":",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    "*",
    "&a ",
    "*a ",
    "<<: ",
    "\\",
    "=",
    "~",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<String>(),
    ]
}

fn draft_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|pieces| pieces.concat())
}

fn check_range(text: &str, range: &Range<usize>, what: &str) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{what} {range:?} outside text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what} {range:?} splits a character"
    );
}

fn check_draft(text: &str, draft: &Draft) {
    check_range(text, &(draft.body_start..draft.body_start), "body_start");
    for (kind, at) in &draft.insertion_points {
        check_range(text, &(*at..*at), &format!("insertion point for {kind:?}"));
    }
    for field in &draft.fields {
        check_range(text, &field.range, "field range");
        check_range(text, &field.value_range, "field value range");
        match &field.parsed {
            Parsed::Leaning(Ok(meter)) => {
                check_range(text, &meter.left_digits, "left digits");
                check_range(text, &meter.right_digits, "right digits");
                assert_eq!(
                    text[meter.left_digits.clone()].parse::<u32>().ok(),
                    Some(meter.left)
                );
                assert_eq!(
                    text[meter.right_digits.clone()].parse::<u32>().ok(),
                    Some(meter.right)
                );
            }
            Parsed::Leaning(Err(_)) | Parsed::Date(_) | Parsed::Text => {}
        }
    }
    for p in &draft.paragraphs {
        check_range(text, &p.range, "paragraph");
        check_range(text, &p.removal, "removal");
        assert!(!p.range.is_empty(), "empty paragraph at {:?}", p.range);
        assert!(
            p.removal.start <= p.range.start && p.range.end <= p.removal.end,
            "removal {:?} misses paragraph {:?}",
            p.removal,
            p.range
        );
        assert!(
            p.removal.start >= draft.body_start,
            "removal {:?} reaches into the header",
            p.removal
        );
    }
    for pair in draft.paragraphs.windows(2) {
        assert!(
            pair[0].range.end <= pair[1].range.start,
            "paragraphs out of order: {:?}",
            pair
        );
    }
    for pair in draft.paragraphs.get(1..).unwrap_or_default().windows(2) {
        assert!(
            pair[0].removal.end <= pair[1].removal.start,
            "overlapping removals: {:?}",
            pair
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn reading_any_text_as_plain_keeps_ranges_in_bounds(text in draft_text()) {
        check_draft(&text, &read(&text, Format::Plain, &Profile::default()));
        check_draft(&text, &read(&text, Format::Plain, &Profile::for_language(Language::En)));
    }

    #[test]
    fn reading_any_text_as_markdown_keeps_ranges_in_bounds(text in draft_text()) {
        check_draft(&text, &read(&text, Format::Markdown, &Profile::default()));
    }

    #[test]
    fn reading_any_front_matter_keeps_ranges_in_bounds(body in draft_text(), yaml in draft_text()) {
        let text = format!("---\n{yaml}\n---\n{body}");
        check_draft(&text, &read(&text, Format::Markdown, &Profile::default()));
    }
}

#[test]
fn reads_a_plain_draft_of_twenty_thousand_paragraphs() {
    let mut text = String::from(
        "Progresista 30%Conservador 70%\nTítulo\nSubtítulo breve.\nPublicado: 14 de enero de 2026, 05:01\n",
    );
    for i in 0..20_000 {
        text.push_str(&format!(
            "Párrafo {i} con acentos, un emoji 😀 y texto suficiente para parecer una noticia.\n"
        ));
    }
    let draft = read(&text, Format::Plain, &Profile::default());
    assert_eq!(draft.paragraphs.len(), 20_000);
    assert_eq!(draft.fields.len(), 4);
}
