//! YAML front matter of Markdown drafts: finding the `---` block and reading its top-level
//! entries into fields with the byte ranges of each entry and of its value, through
//! serde-saphyr's spans. Keys: `title`, `subtitle` (`dek`, `description`), `date` (ISO 8601 or
//! the long form), `author` (a string or a list), `leaning` (a mapping `{progresista: 30,
//! conservador: 70}` or the meter string) and any custom key.
//!
//! When the YAML as a whole does not parse (a duplicate key, a stray quote), each top-level
//! entry is read on its own, and an entry that still fails becomes a plain `key: text` field,
//! so one broken line does not make every field look missing.

use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::text::{Line, line_start_before, lines, trim_range, valid_range};
use super::{Field, FieldKind, Meter, Parsed, date, leaning};
use crate::config::Profile;

/// A front-matter block: the opening `---` line, the YAML, and the closing `---` (or `...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    pub yaml: Range<usize>,
    /// Where the closing line starts: new entries are inserted here.
    pub closing_line_start: usize,
    /// After the closing line and its line break: where the body starts.
    pub end: usize,
}

/// The front-matter block at `from` (a line start just after any BOM), if the text opens with
/// a `---` line that a later `---` or `...` line closes.
pub(crate) fn find(text: &str, from: usize) -> Option<Block> {
    let mut all = lines(text, from);
    let opening = all.next()?;
    if opening.content(text).trim_end() != "---" {
        return None;
    }
    all.find(|line| matches!(line.content(text).trim_end(), "---" | "..."))
        .map(|closing| Block {
            yaml: opening.next..closing.start,
            closing_line_start: closing.start,
            end: closing.next,
        })
}

/// The fields of the block's top-level entries, in source order.
pub(crate) fn fields(text: &str, block: &Block, profile: &Profile) -> Vec<Field> {
    match parse_yaml(text, block.yaml.clone()) {
        Ok(Node::Map(entries)) => entry_fields(text, &entries, block.yaml.clone(), profile),
        Ok(_) => Vec::new(),
        Err(()) => entry_regions(text, block.yaml.clone())
            .into_iter()
            .flat_map(|region| match parse_yaml(text, region.clone()) {
                Ok(Node::Map(entries)) => entry_fields(text, &entries, region, profile),
                _ => loose_field(text, region, profile).into_iter().collect(),
            })
            .collect(),
    }
}

/// A YAML node with the location of every part, as serde-saphyr reports it.
#[derive(Debug)]
enum Node {
    Scalar(String),
    Null,
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_char<E: de::Error>(self, v: char) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Scalar(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::Scalar(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

fn parse_yaml(text: &str, range: Range<usize>) -> Result<Node, ()> {
    let yaml = &text[range];
    if yaml.trim().is_empty() {
        return Ok(Node::Null);
    }
    serde_saphyr::from_str::<Node>(yaml).map_err(|_| ())
}

/// The absolute byte range a location's span covers, if it is a valid range of `text`.
fn span(text: &str, location: &Location, base: usize) -> Option<Range<usize>> {
    let s = location.span();
    let start = base.checked_add(usize::try_from(s.byte_offset()?).ok()?)?;
    let end = start.checked_add(usize::try_from(s.byte_len()?).ok()?)?;
    let range = start..end;
    valid_range(text, &range).then_some(range)
}

fn entry_fields(
    text: &str,
    entries: &[(Spanned<Node>, Spanned<Node>)],
    region: Range<usize>,
    profile: &Profile,
) -> Vec<Field> {
    let starts: Vec<Option<usize>> = entries
        .iter()
        .map(|(key, _)| span(text, &key.referenced, region.start).map(|r| r.start))
        .collect();
    let mut fields = Vec::with_capacity(entries.len());
    for (i, (key, value)) in entries.iter().enumerate() {
        let Some(start) = starts[i] else { continue };
        let limit = starts[i + 1..]
            .iter()
            .flatten()
            .copied()
            .find(|&s| s > start)
            .unwrap_or(region.end);
        let entry = entry_range(text, start, limit.min(region.end));
        let Node::Scalar(name) = &key.value else {
            continue;
        };
        let kind = FieldKind::from_name(name);
        fields.push(field(text, kind, entry, value, region.start, profile));
    }
    fields
}

/// From the key to the end of the entry's last line that is neither blank nor a comment, and
/// no further than `limit` (the next key).
fn entry_range(text: &str, start: usize, limit: usize) -> Range<usize> {
    let mut end = start;
    for line in lines(text, line_start_before(text, start)) {
        if line.start >= limit {
            break;
        }
        let content = &text[line.start.max(start)..line.end.min(limit)];
        let trimmed = content.trim_start();
        if !trimmed.is_empty() && (line.start <= start || !trimmed.starts_with('#')) {
            end = line.start.max(start) + content.trim_end().len();
        }
    }
    start..end.max(start)
}

fn field(
    text: &str,
    kind: FieldKind,
    entry: Range<usize>,
    node: &Spanned<Node>,
    base: usize,
    profile: &Profile,
) -> Field {
    let node_span = span(text, &node.referenced, base);
    let value_range = match (&node.value, node_span) {
        (Node::Scalar(_), Some(r)) if r.start >= entry.start => unquote(text, trim_range(text, r)),
        (Node::Seq(_) | Node::Map(_), Some(r))
            if r.start >= entry.start && r.start <= entry.end =>
        {
            r.start..entry.end
        }
        _ => entry.end..entry.end,
    };
    let value = render(&node.value);
    let parsed = match kind {
        FieldKind::Leaning => Parsed::Leaning(match &node.value {
            Node::Map(pairs) => meter_from_mapping(text, pairs, base, profile),
            Node::Scalar(_) => leaning::parse(text, value_range.clone(), profile),
            Node::Null => Err("the leaning is empty".to_string()),
            Node::Seq(_) => Err(format!(
                "expected a mapping like `{}` or `{}`",
                mapping_example(profile),
                leaning::render(30, 70, profile)
            )),
        }),
        FieldKind::Date => Parsed::Date(match &node.value {
            Node::Scalar(s) => parse_date(s, profile),
            Node::Null => date::parse("", profile.language),
            _ => Err(format!("`{value}` is not a date")),
        }),
        _ => Parsed::Text,
    };
    let value = match (&kind, &parsed) {
        (FieldKind::Leaning, Parsed::Leaning(Ok(m))) => leaning::render(m.left, m.right, profile),
        _ => value,
    };
    Field {
        kind,
        range: entry,
        value_range,
        value,
        parsed,
    }
}

fn parse_date(value: &str, profile: &Profile) -> Result<super::PubDate, String> {
    date::parse(value, profile.language).or_else(|err| {
        match date::value_after_label(value, &profile.date_label) {
            Some(at) => date::parse(&value[at..], profile.language),
            None => Err(err),
        }
    })
}

/// `{progresista: 30, conservador: 70}` (labels from the profile, any case; `"30%"` accepted).
fn meter_from_mapping(
    text: &str,
    pairs: &[(Spanned<Node>, Spanned<Node>)],
    base: usize,
    profile: &Profile,
) -> Result<Meter, String> {
    let mut found: [Option<(u32, Range<usize>)>; 2] = [None, None];
    let expected = || format!("expected a mapping like `{}`", mapping_example(profile));
    for (key, value) in pairs {
        let Node::Scalar(name) = &key.value else {
            return Err(expected());
        };
        let Some(side) = leaning::label_index(name, profile) else {
            return Err(expected());
        };
        let digits = span(text, &value.referenced, base)
            .and_then(|r| percent_digits(text, r))
            .ok_or_else(expected)?;
        let number = text[digits.clone()]
            .parse::<u32>()
            .map_err(|_| format!("the percentage `{}` is too large", &text[digits.clone()]))?;
        found[side] = Some((number, digits));
    }
    match found {
        [Some((left, left_digits)), Some((right, right_digits))] => Ok(Meter {
            left,
            right,
            left_digits,
            right_digits,
        }),
        _ => Err(expected()),
    }
}

/// `{progresista: 30, conservador: 70}` with the profile's labels.
fn mapping_example(profile: &Profile) -> String {
    let [left, right] = &profile.leaning_labels;
    format!(
        "{{{}: 30, {}: 70}}",
        left.trim().to_lowercase(),
        right.trim().to_lowercase()
    )
}

/// The digits of a percentage scalar as written: `30`, `"30"`, `30%`, `'30 %'`.
fn percent_digits(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let inner = unquote(text, trim_range(text, range));
    let s = &text[inner.clone()];
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = s[digits..].trim();
    (digits > 0 && (rest.is_empty() || rest == "%")).then(|| inner.start..inner.start + digits)
}

/// The range without one pair of surrounding YAML quotes.
fn unquote(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let quoted = s.len() >= 2
        && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\'')));
    if quoted {
        range.start + 1..range.end - 1
    } else {
        range
    }
}

/// A node as text: scalars as written, lists joined with `, `, mappings as `key: value`.
fn render(node: &Node) -> String {
    match node {
        Node::Scalar(s) => s.trim().to_string(),
        Node::Null => String::new(),
        Node::Seq(items) => items
            .iter()
            .map(|i| render(&i.value))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        Node::Map(pairs) => pairs
            .iter()
            .map(|(k, v)| format!("{}: {}", render(&k.value), render(&v.value)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Splits the YAML into top-level entries: each starts at a line in column 0 that is not a
/// comment or a list item, and runs to the next.
fn entry_regions(text: &str, yaml: Range<usize>) -> Vec<Range<usize>> {
    let mut regions: Vec<Range<usize>> = Vec::new();
    for line in lines(text, yaml.start).take_while(|l| l.start < yaml.end) {
        if starts_entry(text, line) {
            if let Some(last) = regions.last_mut() {
                last.end = line.start;
            }
            regions.push(line.start..yaml.end);
        }
    }
    regions
}

fn starts_entry(text: &str, line: Line) -> bool {
    let content = line.content(text);
    content.contains(':')
        && content
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, '#' | '-' | '}' | ']'))
}

/// A `key: text` field read from the entry's first line, for an entry YAML cannot read.
fn loose_field(text: &str, region: Range<usize>, profile: &Profile) -> Option<Field> {
    let line = lines(text, region.start).next()?;
    let content = line.content(text);
    let colon = content.find(':')?;
    let name = content[..colon].trim().trim_matches(['"', '\'']);
    if name.is_empty() {
        return None;
    }
    let kind = FieldKind::from_name(name);
    let entry = trim_range(text, line.start..line.end);
    let value_range = unquote(text, trim_range(text, line.start + colon + 1..line.end));
    let value = text[value_range.clone()].to_string();
    let parsed = match kind {
        FieldKind::Leaning => Parsed::Leaning(leaning::parse(text, value_range.clone(), profile)),
        FieldKind::Date => Parsed::Date(parse_date(&value, profile)),
        _ => Parsed::Text,
    };
    Some(Field {
        kind,
        range: entry,
        value_range,
        value,
        parsed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn read(text: &str) -> (Block, Vec<Field>) {
        let block = find(text, super::super::text::bom_len(text)).expect("front matter");
        let fields = fields(text, &block, &Profile::default());
        (block, fields)
    }

    fn get(fields: &[Field], kind: FieldKind) -> &Field {
        fields.iter().find(|f| f.kind == kind).expect("field")
    }

    #[test]
    fn finds_the_block_and_where_the_body_starts() {
        let text = "---\r\ntitle: Año nuevo\r\n---\r\nCuerpo";
        let (block, _) = read(text);
        assert_eq!(&text[block.yaml.clone()], "title: Año nuevo\r\n");
        assert_eq!(&text[block.closing_line_start..], "---\r\nCuerpo");
        assert_eq!(&text[block.end..], "Cuerpo");
        assert_eq!(find("---\ntitle: x\n", 0), None);
        assert_eq!(find("--- \ntitle: x\n...", 0).map(|b| b.end), Some(17));
        assert_eq!(find("texto\n---\n---\n", 0), None);
    }

    #[test]
    fn reads_text_fields_with_entry_and_value_ranges() {
        let text = "\u{FEFF}---\ntitle: \"Año nuevo 😀\"\ndek: >\n  Una línea\n  y otra.\n\n# nota\nsection: política\n---\n";
        let (_, fields) = read(text);
        let title = get(&fields, FieldKind::Title);
        assert_eq!(&text[title.range.clone()], "title: \"Año nuevo 😀\"");
        assert_eq!(&text[title.value_range.clone()], "Año nuevo 😀");
        assert_eq!(title.value, "Año nuevo 😀");
        let dek = get(&fields, FieldKind::Subtitle);
        assert_eq!(&text[dek.range.clone()], "dek: >\n  Una línea\n  y otra.");
        assert_eq!(dek.value, "Una línea y otra.");
        let section = get(&fields, FieldKind::Custom("section".into()));
        assert_eq!(section.value, "política");
    }

    #[test]
    fn joins_an_author_list_and_keeps_a_single_author() {
        let text = "---\r\nauthor:\r\n  - Ana Núñez\r\n  - Luis\r\ntags: [a, b]\r\n---\r\n";
        let (_, fields) = read(text);
        let author = get(&fields, FieldKind::Author);
        assert_eq!(author.value, "Ana Núñez, Luis");
        assert_eq!(
            &text[author.range.clone()],
            "author:\r\n  - Ana Núñez\r\n  - Luis"
        );
        assert_eq!(&text[author.value_range.clone()], "- Ana Núñez\r\n  - Luis");
        assert_eq!(get(&fields, FieldKind::Custom("tags".into())).value, "a, b");
        let (_, single) = read("---\nauthor: Ana\n---\n");
        assert_eq!(get(&single, FieldKind::Author).value, "Ana");
    }

    #[test]
    fn reads_the_leaning_mapping_with_digit_ranges() {
        let text = "---\nleaning: {Progresista: 30, CONSERVADOR: \"70%\"}\n---\n";
        let (_, fields) = read(text);
        let leaning = get(&fields, FieldKind::Leaning);
        let Parsed::Leaning(Ok(m)) = &leaning.parsed else {
            panic!("{:?}", leaning.parsed)
        };
        assert_eq!((m.left, m.right), (30, 70));
        assert_eq!(&text[m.left_digits.clone()], "30");
        assert_eq!(&text[m.right_digits.clone()], "70");
        assert_eq!(leaning.value, "Progresista 30% Conservador 70%");
    }

    #[test]
    fn reads_the_leaning_block_mapping_and_the_meter_string() {
        let text = "---\nleaning:\n  conservador: 60\n  progresista: 45\n---\n";
        let (_, fields) = read(text);
        let Parsed::Leaning(Ok(m)) = &get(&fields, FieldKind::Leaning).parsed else {
            panic!()
        };
        assert_eq!((m.left, m.right), (45, 60));
        assert_eq!(&text[m.right_digits.clone()], "60");
        let text = "---\nleaning: \"Progresista 30%Conservador 70%\"\n---\n";
        let (_, fields) = read(text);
        let Parsed::Leaning(Ok(m)) = &get(&fields, FieldKind::Leaning).parsed else {
            panic!()
        };
        assert_eq!(&text[m.right_digits.clone()], "70");
    }

    #[test]
    fn explains_a_leaning_mapping_with_unknown_labels() {
        let (_, fields) = read("---\nleaning: {izquierda: 30, derecha: 70}\n---\n");
        let Parsed::Leaning(Err(msg)) = &get(&fields, FieldKind::Leaning).parsed else {
            panic!()
        };
        assert!(msg.contains("progresista: 30"), "{msg}");
        let (_, fields) = read("---\nleaning:\n---\n");
        assert!(matches!(
            get(&fields, FieldKind::Leaning).parsed,
            Parsed::Leaning(Err(_))
        ));
    }

    #[test]
    fn reads_iso_and_long_form_dates() {
        let (_, fields) = read("---\ndate: 2026-01-14T05:01\n---\n");
        let Parsed::Date(Ok(d)) = get(&fields, FieldKind::Date).parsed else {
            panic!()
        };
        assert_eq!(
            (d.date, d.time),
            (date(2026, 1, 14), Some(time(5, 1, 0, 0)))
        );
        let (_, fields) = read("---\ndate: 31 de febrero de 2026\n---\n");
        assert!(matches!(
            get(&fields, FieldKind::Date).parsed,
            Parsed::Date(Err(_))
        ));
        let (_, fields) = read("---\ndate: \"Publicado: 14 de enero de 2026\"\n---\n");
        assert!(matches!(
            get(&fields, FieldKind::Date).parsed,
            Parsed::Date(Ok(_))
        ));
    }

    #[test]
    fn keeps_an_empty_value_as_a_present_field_with_an_empty_range_at_its_end() {
        let text = "---\ntitle:\nauthor: Ana\n---\n";
        let (_, fields) = read(text);
        let title = get(&fields, FieldKind::Title);
        assert_eq!(title.value, "");
        assert_eq!(&text[title.range.clone()], "title:");
        assert_eq!(title.value_range, title.range.end..title.range.end);
    }

    #[test]
    fn reads_entries_one_by_one_when_the_yaml_is_broken() {
        let text = "---\ntitle: Uno\ntitle: Dos\nsubtitle: \"sin cerrar\ndate: 2026-01-14\n---\n";
        let (_, fields) = read(text);
        let titles: Vec<&str> = fields
            .iter()
            .filter(|f| f.kind == FieldKind::Title)
            .map(|f| f.value.as_str())
            .collect();
        assert_eq!(titles, ["Uno", "Dos"]);
        assert!(fields.iter().any(|f| f.kind == FieldKind::Subtitle));
        assert!(matches!(
            get(&fields, FieldKind::Date).parsed,
            Parsed::Date(Ok(_))
        ));
    }

    #[test]
    fn reads_no_fields_from_an_empty_or_non_mapping_block() {
        assert!(read("---\n---\n").1.is_empty());
        assert!(read("---\n- a\n- b\n---\n").1.is_empty());
    }
}
