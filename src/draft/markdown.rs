//! Markdown drafts: YAML front matter (see [`super::front_matter`]) and a CommonMark body read
//! with pulldown-cmark's offset iterator. Paragraphs are CommonMark paragraphs, including those
//! in lists (a tight list item's text counts as one) and block quotes; code blocks, headings,
//! tables and HTML are not. Without a front-matter `title`, the first `# Heading` is the title.
//! HTML comments carry the inline suppressions (see [`super::suppress`]).
//!
//! A paragraph's `removal` runs from the end of the previous non-blank line to the end of the
//! paragraph's last line, so the blank run before it goes too and removals of successive
//! paragraphs never overlap. When the line before is the front matter (or there is none), it
//! takes the paragraph's lines and the blank run after it instead.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::text::{
    bom_len, is_blank, line_end_after, line_ending, line_start_before, lines, trim_range,
};
use super::{Draft, Field, FieldKind, Format, Paragraph, Parsed, front_matter, suppress};
use crate::config::Profile;

pub(crate) fn read(text: &str, profile: &Profile) -> Draft {
    let bom = bom_len(text);
    let block = front_matter::find(text, bom);
    let mut fields = block
        .as_ref()
        .map(|b| front_matter::fields(text, b, profile))
        .unwrap_or_default();
    let body_start = block.as_ref().map_or(bom, |b| b.end);
    let body = Body::read(text, body_start);
    if !fields.iter().any(|f| f.kind == FieldKind::Title)
        && let Some(title) = body.first_h1
    {
        fields.push(title);
    }
    let at = block.as_ref().map_or(bom, |b| b.closing_line_start);
    let mut insertion_points: Vec<(FieldKind, usize)> = [
        FieldKind::Leaning,
        FieldKind::Title,
        FieldKind::Subtitle,
        FieldKind::Date,
        FieldKind::Author,
    ]
    .into_iter()
    .map(|kind| (kind, at))
    .collect();
    for kind in &profile.required {
        if !insertion_points.iter().any(|(k, _)| k == kind) {
            insertion_points.push((kind.clone(), at));
        }
    }
    Draft {
        format: Format::Markdown,
        fields,
        paragraphs: body.paragraphs,
        body_start,
        line_ending: line_ending(text),
        insertion_points,
        has_front_matter: block.is_some(),
        file_suppressed: body.file_suppressed,
    }
}

/// What the CommonMark body yields.
struct Body {
    paragraphs: Vec<Paragraph>,
    first_h1: Option<Field>,
    file_suppressed: Vec<String>,
}

/// A heading being read: its whole range, the range of its inline content and that text.
struct Heading {
    level: HeadingLevel,
    range: Range<usize>,
    inline: Option<Range<usize>>,
    value: String,
}

impl Body {
    fn read(text: &str, body_start: usize) -> Body {
        let mut body = Body {
            paragraphs: Vec::new(),
            first_h1: None,
            file_suppressed: Vec::new(),
        };
        let mut ranges: Vec<(Range<usize>, Vec<String>)> = Vec::new();
        // Codes of `galley-ignore` comments waiting for the next paragraph.
        let mut pending: Vec<String> = Vec::new();
        // Leaf blocks open (paragraph, heading, code, HTML, table): their inline events are theirs.
        let mut leaf_depth = 0usize;
        // Open list items, with the inline run of a tight item's text.
        let mut items: Vec<Option<Range<usize>>> = Vec::new();
        let mut heading: Option<Heading> = None;
        let options =
            Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
        let source = &text[body_start..];
        for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
            let range = range.start + body_start..range.end + body_start;
            match event {
                Event::Start(tag) if is_block(&tag) => {
                    flush_item(text, &mut items, &mut ranges, &mut pending);
                    match tag {
                        Tag::Item => items.push(None),
                        Tag::Paragraph => {
                            leaf_depth += 1;
                            ranges.push((range, std::mem::take(&mut pending)));
                        }
                        Tag::HtmlBlock => {
                            leaf_depth += 1;
                            let found = suppress::scan(&text[range]);
                            suppress::merge(&mut body.file_suppressed, found.file);
                            if found.any {
                                suppress::merge(&mut pending, found.next);
                            } else {
                                pending.clear();
                            }
                        }
                        Tag::Heading { level, .. } => {
                            leaf_depth += 1;
                            pending.clear();
                            heading = Some(Heading {
                                level,
                                range,
                                inline: None,
                                value: String::new(),
                            });
                        }
                        Tag::CodeBlock(_) | Tag::Table(_) | Tag::MetadataBlock(_) => {
                            leaf_depth += 1;
                            pending.clear();
                        }
                        _ => {}
                    }
                }
                Event::End(end) if is_block_end(&end) => {
                    flush_item(text, &mut items, &mut ranges, &mut pending);
                    match end {
                        TagEnd::Item => {
                            items.pop();
                        }
                        TagEnd::Heading(_) => {
                            leaf_depth = leaf_depth.saturating_sub(1);
                            if let Some(h) = heading.take()
                                && h.level == HeadingLevel::H1
                                && body.first_h1.is_none()
                            {
                                body.first_h1 = Some(heading_field(text, h));
                            }
                        }
                        TagEnd::Paragraph
                        | TagEnd::HtmlBlock
                        | TagEnd::CodeBlock
                        | TagEnd::Table
                        | TagEnd::MetadataBlock(_) => leaf_depth = leaf_depth.saturating_sub(1),
                        _ => {}
                    }
                }
                Event::Rule => {
                    flush_item(text, &mut items, &mut ranges, &mut pending);
                    pending.clear();
                }
                other => {
                    if let Event::InlineHtml(_) = other {
                        suppress::merge(
                            &mut body.file_suppressed,
                            suppress::scan(&text[range.clone()]).file,
                        );
                    }
                    if let Some(h) = heading.as_mut() {
                        if let Event::Text(s) | Event::Code(s) = &other {
                            h.value.push_str(s);
                        } else if let Event::SoftBreak | Event::HardBreak = other {
                            h.value.push(' ');
                        }
                        extend(&mut h.inline, &range);
                    } else if leaf_depth == 0
                        && let Some(item) = items.last_mut()
                    {
                        // Inline content straight inside an item: a tight list item's text.
                        extend(item, &range);
                    }
                }
            }
        }
        flush_item(text, &mut items, &mut ranges, &mut pending);
        body.paragraphs = paragraphs(text, body_start, ranges);
        body
    }
}

fn extend(run: &mut Option<Range<usize>>, range: &Range<usize>) {
    match run {
        Some(r) => r.end = r.end.max(range.end),
        None => *run = Some(range.clone()),
    }
}

/// Ends the inline run of the innermost tight list item, if any, as a paragraph.
fn flush_item(
    text: &str,
    items: &mut [Option<Range<usize>>],
    ranges: &mut Vec<(Range<usize>, Vec<String>)>,
    pending: &mut Vec<String>,
) {
    if let Some(item) = items.last_mut()
        && let Some(run) = item.take()
        && !is_blank(&text[run.clone()])
    {
        ranges.push((run, std::mem::take(pending)));
    }
}

fn is_block(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_block_end(end: &TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn heading_field(text: &str, h: Heading) -> Field {
    let range = trim_range(text, h.range);
    let value_range = h
        .inline
        .map_or(range.end..range.end, |r| trim_range(text, r));
    Field {
        kind: FieldKind::Title,
        range,
        value_range,
        value: h.value.trim().to_string(),
        parsed: Parsed::Text,
    }
}

fn paragraphs(
    text: &str,
    body_start: usize,
    ranges: Vec<(Range<usize>, Vec<String>)>,
) -> Vec<Paragraph> {
    let mut paragraphs = Vec::with_capacity(ranges.len());
    for (range, mut suppressed) in ranges {
        // CommonMark does not end a paragraph at a line of non-breaking spaces, but a writer
        // sees a blank line there, so the paragraph is split at such lines.
        let mut part_start = range.start;
        let first_line = line_start_before(text, range.start).max(body_start);
        for line in lines(text, first_line).take_while(|l| l.start < range.end) {
            if line.start > range.start
                && is_blank_in_quote(&text[line.start..line.end.min(range.end)])
            {
                // Skipping quote markers may have run into this very line: then the part is empty.
                push_paragraph(
                    text,
                    body_start,
                    part_start.min(line.start)..line.start,
                    std::mem::take(&mut suppressed),
                    &mut paragraphs,
                );
                let next = &text[line.next.min(range.end)..range.end];
                let markers = next.len() - next.trim_start_matches(is_quote_marker).len();
                part_start = line.next.min(range.end) + markers;
            }
        }
        push_paragraph(
            text,
            body_start,
            part_start..range.end,
            suppressed,
            &mut paragraphs,
        );
    }
    paragraphs
}

fn push_paragraph(
    text: &str,
    body_start: usize,
    range: Range<usize>,
    suppressed: Vec<String>,
    paragraphs: &mut Vec<Paragraph>,
) {
    let range = trim_range(text, range);
    if range.is_empty() {
        return;
    }
    // The body may start mid-line, after a BOM.
    let first_line = line_start_before(text, range.start).max(body_start);
    let last_line_end = line_end_after(text, range.end);
    let removal = match previous_content_end(text, body_start, first_line) {
        Some(end) => end..last_line_end,
        None => first_line..next_content_start(text, last_line_end),
    };
    paragraphs.push(Paragraph {
        range,
        removal,
        suppressed,
    });
}

/// Whether a line is blank once block-quote markers are set aside.
fn is_blank_in_quote(line: &str) -> bool {
    is_blank(line.trim_start_matches(is_quote_marker))
}

/// A character of the block-quote markers at the start of a line (never a line break).
fn is_quote_marker(c: char) -> bool {
    c == '>' || (c.is_whitespace() && c != '\n' && c != '\r')
}

/// The end of the nearest line before `line_start` that has content (not blank, not just
/// block-quote markers), if it is in the body.
fn previous_content_end(text: &str, body_start: usize, line_start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut start = line_start;
    while start > body_start {
        let mut end = start - 1;
        if bytes[end] == b'\n' && end > 0 && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        if end < body_start {
            return None;
        }
        let prev_start = line_start_before(text, end).max(body_start);
        if !is_blank_in_quote(&text[prev_start..end]) {
            return Some(end);
        }
        start = prev_start;
    }
    None
}

/// The start of the next line with content after the line ending at `line_end`, or the end of
/// the text.
fn next_content_start(text: &str, line_end: usize) -> usize {
    let next_line = lines(text, line_start_before(text, line_end))
        .next()
        .map_or(text.len(), |l| l.next);
    lines(text, next_line)
        .find(|l| !is_blank(l.content(text)))
        .map_or(text.len(), |l| l.start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::testing::{remove, texts};

    fn read_es(text: &str) -> Draft {
        read(text, &Profile::default())
    }

    const DOC: &str = "---\ntitle: Año nuevo en el puerto\nleaning: {progresista: 30, conservador: 70}\n---\n\n# Encabezado 😀\n\nPrimer párrafo\nen dos líneas.\n\n- elemento uno\n- elemento dos\n\n> Una cita\n> larga.\n\n```\ncódigo que no cuenta\n```\n\n<div>html</div>\n\nÚltimo.";

    #[test]
    fn reads_paragraphs_in_lists_and_quotes_but_not_code_headings_or_html() {
        let d = read_es(DOC);
        assert_eq!(
            texts(DOC, &d),
            [
                "Primer párrafo\nen dos líneas.",
                "elemento uno",
                "elemento dos",
                "Una cita\n> larga.",
                "Último."
            ]
        );
        assert!(d.has_front_matter);
        assert_eq!(&DOC[d.body_start..d.body_start + 2], "\n#");
    }

    #[test]
    fn prefers_the_front_matter_title_over_the_heading() {
        let d = read_es(DOC);
        let titles: Vec<&str> = d
            .fields
            .iter()
            .filter(|f| f.kind == FieldKind::Title)
            .map(|f| f.value.as_str())
            .collect();
        assert_eq!(titles, ["Año nuevo en el puerto"]);
    }

    #[test]
    fn takes_the_first_h1_as_title_without_front_matter_title() {
        let text = "\u{FEFF}## Antetítulo\n\n# Título *con* énfasis 😀\r\n\r\n# Otro\n\nCuerpo.";
        let d = read_es(text);
        let title = d.field(&FieldKind::Title).unwrap();
        assert_eq!(title.value, "Título con énfasis 😀");
        assert_eq!(&text[title.range.clone()], "# Título *con* énfasis 😀");
        assert_eq!(&text[title.value_range.clone()], "Título *con* énfasis 😀");
        assert!(!d.has_front_matter);
        assert_eq!(d.body_start, 3);
        assert!(d.insertion_points.iter().all(|(_, at)| *at == 3));
    }

    #[test]
    fn inserts_missing_keys_before_the_closing_line() {
        let text = "---\r\ntitle: Uno\r\n---\r\nCuerpo.";
        let d = read_es(text);
        let (_, at) = d
            .insertion_points
            .iter()
            .find(|(k, _)| *k == FieldKind::Date)
            .unwrap();
        assert_eq!(&text[*at..], "---\r\nCuerpo.");
        assert_eq!(d.line_ending, "\r\n");
    }

    #[test]
    fn offers_insertion_points_for_required_custom_fields() {
        let mut profile = Profile::default();
        profile.required.push(FieldKind::Custom("section".into()));
        let d = read("Cuerpo.", &profile);
        assert!(
            d.insertion_points
                .contains(&(FieldKind::Custom("section".into()), 0))
        );
    }

    #[test]
    fn applies_a_galley_ignore_comment_to_the_next_paragraph_only() {
        let text = "Uno.\n\n<!-- galley-ignore duplicate-paragraph near-duplicate-paragraph -->\nDos.\n\nTres.\n\n<!-- galley-ignore x -->\n\n## Título\n\nCuatro.";
        let d = read_es(text);
        let suppressed: Vec<&[String]> = d
            .paragraphs
            .iter()
            .map(|p| p.suppressed.as_slice())
            .collect();
        assert!(suppressed[0].is_empty());
        assert_eq!(
            suppressed[1],
            ["duplicate-paragraph", "near-duplicate-paragraph"]
        );
        assert!(suppressed[2].is_empty() && suppressed[3].is_empty());
    }

    #[test]
    fn applies_a_galley_ignore_comment_to_a_tight_list_item() {
        let text = "<!-- galley-ignore duplicate-paragraph -->\n- uno\n- dos";
        let d = read_es(text);
        assert_eq!(d.paragraphs[0].suppressed, ["duplicate-paragraph"]);
        assert!(d.paragraphs[1].suppressed.is_empty());
    }

    #[test]
    fn collects_file_suppressions_anywhere_but_in_code() {
        let text = "---\ntitle: x\n---\nTexto <!-- galley-ignore-file missing-author --> aquí.\n\n<!-- galley-ignore-file missing-date -->\n\n```\n<!-- galley-ignore-file nada -->\n```\n";
        let d = read_es(text);
        assert_eq!(d.file_suppressed, ["missing-author", "missing-date"]);
    }

    #[test]
    fn removes_a_paragraph_with_the_blank_run_before_it() {
        let text = "# T\n\nUno.\n\nDos.\r\n\r\nTres.";
        let d = read_es(text);
        assert_eq!(remove(text, &d.paragraphs[1]), "# T\n\nUno.\r\n\r\nTres.");
        assert_eq!(remove(text, &d.paragraphs[2]), "# T\n\nUno.\n\nDos.");
    }

    #[test]
    fn removes_the_first_paragraph_after_front_matter_without_touching_it() {
        let text = "---\ntitle: x\n---\n\nUno.\n\nDos.\n";
        let d = read_es(text);
        let p = &d.paragraphs[0];
        assert!(p.removal.start >= d.body_start);
        assert_eq!(remove(text, p), "---\ntitle: x\n---\n\nDos.\n");
    }

    #[test]
    fn removes_list_items_and_quote_lines_whole() {
        let text = "Intro.\n\n- uno\n- dos\n\n> a\n>\n> b";
        let d = read_es(text);
        assert_eq!(
            remove(text, &d.paragraphs[2]),
            "Intro.\n\n- uno\n\n> a\n>\n> b"
        );
        assert_eq!(
            remove(text, &d.paragraphs[4]),
            "Intro.\n\n- uno\n- dos\n\n> a"
        );
    }

    #[test]
    fn splits_a_paragraph_at_a_line_of_non_breaking_spaces() {
        let text = "<!-- galley-ignore duplicate-paragraph -->\nUno\tcon tab.\n\u{a0} \nDos.\n> cita\n> \u{a0}\n> otra";
        let d = read_es(text);
        assert_eq!(texts(text, &d), ["Uno\tcon tab.", "Dos.", "cita", "otra"]);
        assert_eq!(d.paragraphs[0].suppressed, ["duplicate-paragraph"]);
        assert!(d.paragraphs[1].suppressed.is_empty());
        assert_eq!(
            remove(text, &d.paragraphs[1]),
            text.replace("\n\u{a0} \nDos.", "")
        );
    }

    #[test]
    fn skips_successive_lines_of_non_breaking_spaces() {
        let text = "...\r\u{a0}\r\u{a0}\r\u{a0}\rfin";
        let d = read_es(text);
        assert_eq!(texts(text, &d), ["...", "fin"]);
    }

    #[test]
    fn treats_a_thematic_break_without_closing_as_body() {
        let text = "---\nNo es front matter.";
        let d = read_es(text);
        assert!(!d.has_front_matter);
        assert_eq!(texts(text, &d), ["No es front matter."]);
    }
}
