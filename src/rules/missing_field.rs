//! `missing-<field>`: a field the profile requires is absent (`missing-leaning`,
//! `missing-title`, `missing-subtitle`, `missing-date`, `missing-author`, or `missing-<key>` for
//! a custom field). The fix inserts the field where the layout wants it, well formed: the meter
//! as an even template, the date line with the current date and time, text fields as
//! placeholders. It adds content the writer has to check or complete, so it is unsafe.
//!
//! The finding points at the draft's first line: the field has no place in the text yet, and
//! the top of the draft is where an editor shows a whole-document problem best.

use std::ops::Range;

use super::Context;
use crate::config::Language;
use crate::draft::FieldKind;
use crate::draft::{Format, date, leaning};
use crate::finding::{Applicability, Edit, Finding, Fix, FixKind, Severity};

pub const PREFIX: &str = "missing-";
pub const BUILT_IN_CODES: &[&str] = &[
    "missing-author",
    "missing-date",
    "missing-leaning",
    "missing-subtitle",
    "missing-title",
];

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut missing: Vec<(&FieldKind, String, Severity)> = Vec::new();
    for kind in &cx.config.profile.required {
        if cx.draft.field(kind).is_some() || missing.iter().any(|(k, _, _)| *k == kind) {
            continue;
        }
        let code = format!("{PREFIX}{}", kind.name());
        if let Some(severity) = cx.severity(&code, Severity::Error) {
            missing.push((kind, code, severity));
        }
    }
    let kinds: Vec<&FieldKind> = missing.iter().map(|(kind, _, _)| *kind).collect();
    let range = first_line(cx);
    for (kind, code, severity) in &missing {
        out.push(Finding {
            code: code.clone(),
            severity: *severity,
            message: format!("Missing {}", describe(kind)),
            range: range.clone(),
            related: Vec::new(),
            fixes: insertion(cx, kind, &kinds).into_iter().collect(),
            similarity: None,
        });
    }
}

fn describe(kind: &FieldKind) -> String {
    match kind {
        FieldKind::Leaning => "leaning meter".to_string(),
        FieldKind::Title => "title".to_string(),
        FieldKind::Subtitle => "subtitle".to_string(),
        FieldKind::Date => "publication date".to_string(),
        FieldKind::Author => "author".to_string(),
        FieldKind::Custom(name) => format!("`{name}` field"),
    }
}

/// The first line of the draft, after any BOM.
fn first_line(cx: &Context) -> Range<usize> {
    let line = cx.line_index().line_range(cx.text, 0);
    let bom = if cx.text.starts_with('\u{FEFF}') {
        '\u{FEFF}'.len_utf8()
    } else {
        0
    };
    line.start.max(bom).min(line.end)..line.end
}

/// The fix inserting `kind`; `all_missing` are the missing fields whose rules are on, which a
/// Markdown draft without front matter gets in one new block (one block per field would leave
/// several).
fn insertion(cx: &Context, kind: &FieldKind, all_missing: &[&FieldKind]) -> Option<Fix> {
    let (_, at) = cx.draft.insertion_points.iter().find(|(k, _)| k == kind)?;
    let at = *at;
    let (title, edit) = match cx.draft.format {
        Format::Plain => (
            format!("Insert {}", describe(kind)),
            cx.insert_line(at, &plain_line(cx, kind)?),
        ),
        Format::Markdown if cx.draft.has_front_matter => (
            format!("Insert `{}` in the front matter", kind.name()),
            cx.insert_line(at, &yaml_entry(cx, kind)),
        ),
        Format::Markdown => {
            let le = cx.draft.line_ending;
            let mut block = format!("---{le}");
            for field in all_missing {
                block.push_str(&yaml_entry(cx, field));
                block.push_str(le);
            }
            block.push_str(&format!("---{le}"));
            let names: Vec<&str> = all_missing.iter().map(|k| k.name()).collect();
            (
                format!("Insert front matter with {}", names.join(", ")),
                Edit::insert(at, block),
            )
        }
    };
    Some(Fix {
        title,
        kind: FixKind::QuickFix,
        applicability: Applicability::Unsafe,
        edits: vec![edit],
    })
}

/// The header line of a plain draft; `None` for fields the plain layout has no line for.
fn plain_line(cx: &Context, kind: &FieldKind) -> Option<String> {
    let profile = &cx.config.profile;
    let english = profile.language == Language::En;
    match kind {
        FieldKind::Leaning => Some(leaning::template(profile)),
        FieldKind::Title => Some(if english { "[Headline]" } else { "[Titular]" }.to_string()),
        FieldKind::Subtitle => Some(
            if english {
                "[Subtitle]"
            } else {
                "[Subtítulo]"
            }
            .to_string(),
        ),
        FieldKind::Date => Some(date::format_date_line(cx.now(), profile)),
        FieldKind::Author | FieldKind::Custom(_) => None,
    }
}

/// A front-matter entry: `date: 2026-11-28T12:05`, `leaning: {progresista: 50, …}`, or an
/// empty string for the writer to fill in.
fn yaml_entry(cx: &Context, kind: &FieldKind) -> String {
    let key = yaml_key(kind.name());
    match kind {
        FieldKind::Date => format!("{key}: {}", date::format_iso(cx.now())),
        FieldKind::Leaning => {
            let [left, right] = &cx.config.profile.leaning_labels;
            let label = |l: &str| yaml_key(&l.trim().to_lowercase());
            format!("{key}: {{{}: 50, {}: 50}}", label(left), label(right))
        }
        _ => format!("{key}: \"\""),
    }
}

/// A YAML key, quoted unless it is a plain word.
fn yaml_key(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Profile, RuleLevel};
    use crate::rules::testing::{HEADER, MD_HEADER, apply, findings};

    const BODY: &str = "El mercado abrirá de lunes a sábado desde las ocho de la mañana 🕗.\nLos puestos de pescado tendrán un horario propio por la tarde.\n";

    fn config() -> Config {
        Config {
            now: jiff::civil::date(2026, 11, 28).at(12, 5, 0, 0).into(),
            ..Config::default()
        }
    }

    fn all_findings(text: &str, format: Format, config: &Config) -> Vec<Finding> {
        crate::analysis::analyze(text, format, config)
            .findings
            .into_iter()
            .filter(|f| f.code.starts_with(PREFIX))
            .collect()
    }

    fn without_line(starting: &str) -> String {
        HEADER
            .lines()
            .filter(|l| !l.starts_with(starting))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            + BODY
    }

    #[test]
    fn a_complete_draft_has_no_missing_fields() {
        let text = format!("{HEADER}{BODY}");
        assert!(all_findings(&text, Format::Plain, &config()).is_empty());
    }

    #[test]
    fn inserts_a_missing_date_line_with_the_current_date() {
        let text = without_line("Publicado");
        let found = findings(&text, Format::Plain, &config(), "missing-date");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "Missing publication date");
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(found[0].range, 0..HEADER.find('\n').unwrap());
        let fixed = apply(&text, &found[0].fixes[0]);
        assert_eq!(
            fixed,
            format!("{HEADER}{BODY}").replace(
                "3 de febrero de 2026, 08:30",
                "28 de noviembre de 2026, 12:05"
            )
        );
        assert!(all_findings(&fixed, Format::Plain, &config()).is_empty());
    }

    #[test]
    fn inserts_a_missing_meter_as_a_template_after_a_bom_with_crlf() {
        let text = format!("\u{FEFF}{}", without_line("Progresista")).replace('\n', "\r\n");
        let found = findings(&text, Format::Plain, &config(), "missing-leaning");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.start, 3);
        let fixed = apply(&text, &found[0].fixes[0]);
        assert!(
            fixed.starts_with("\u{FEFF}Progresista 50% Conservador 50%\r\nEl mercado"),
            "{fixed:?}"
        );
        assert!(all_findings(&fixed, Format::Plain, &config()).is_empty());
    }

    #[test]
    fn inserts_placeholders_for_a_missing_title_and_subtitle() {
        let title_gone = without_line("El mercado");
        let found = findings(&title_gone, Format::Plain, &config(), "missing-title");
        let fixed = apply(&title_gone, &found[0].fixes[0]);
        assert!(
            fixed.contains("60%\n[Titular]\nLos comerciantes"),
            "{fixed}"
        );
        assert!(all_findings(&fixed, Format::Plain, &config()).is_empty());
        let subtitle_gone = without_line("Los comerciantes");
        let found = findings(&subtitle_gone, Format::Plain, &config(), "missing-subtitle");
        let fixed = apply(&subtitle_gone, &found[0].fixes[0]);
        assert!(fixed.contains("🍅\n[Subtítulo]\nPublicado"), "{fixed}");
    }

    #[test]
    fn inserts_the_date_line_after_a_header_without_final_newline() {
        let text = HEADER[..HEADER.find("Publicado").unwrap() - 1].to_string();
        let found = findings(&text, Format::Plain, &config(), "missing-date");
        let fixed = apply(&text, &found[0].fixes[0]);
        assert_eq!(
            fixed,
            format!("{text}\nPublicado: 28 de noviembre de 2026, 12:05")
        );
    }

    #[test]
    fn uses_english_labels_for_an_english_profile() {
        let text = "Progressive 40% Conservative 60%\nPort expands terminal\nWork will take two years.\nFirst paragraph of the story.\n";
        let config = Config {
            profile: Profile::for_language(Language::En),
            ..config()
        };
        let found = findings(text, Format::Plain, &config, "missing-date");
        let fixed = apply(text, &found[0].fixes[0]);
        assert!(
            fixed.contains("two years.\nPublished: November 28, 2026, 12:05\nFirst"),
            "{fixed}"
        );
    }

    #[test]
    fn inserts_front_matter_entries_before_the_closing_line() {
        let text = MD_HEADER
            .replace("date: 2026-02-03T08:30\n", "")
            .replace("leaning: {progresista: 40, conservador: 60}\n", "")
            + BODY;
        let found = all_findings(&text, Format::Markdown, &config());
        let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["missing-date", "missing-leaning"]);
        let date = apply(&text, &found[0].fixes[0]);
        assert!(date.contains("reabre\nsubtitle: Los comerciantes vuelven a sus puestos.\ndate: 2026-11-28T12:05\n---\n"), "{date}");
        let meter = apply(&text, &found[1].fixes[0]);
        assert!(
            meter.contains("leaning: {progresista: 50, conservador: 50}\n---\n"),
            "{meter}"
        );
        assert!(
            all_findings(&meter, Format::Markdown, &config())
                .iter()
                .all(|f| f.code != "missing-leaning")
        );
    }

    #[test]
    fn inserts_one_front_matter_block_with_every_missing_field() {
        let text = "# Título del reportaje 📰\r\n\r\nCuerpo del texto con varias palabras.\r\n";
        let found = all_findings(text, Format::Markdown, &config());
        let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            ["missing-date", "missing-leaning", "missing-subtitle"]
        );
        let fixed = apply(text, &found[0].fixes[0]);
        assert_eq!(
            fixed,
            format!(
                "---\r\nleaning: {{progresista: 50, conservador: 50}}\r\nsubtitle: \"\"\r\ndate: 2026-11-28T12:05\r\n---\r\n{text}"
            )
        );
        assert_eq!(
            found[0].fixes[0].title,
            "Insert front matter with leaning, subtitle, date"
        );
    }

    #[test]
    fn reports_required_custom_fields_and_skips_rules_that_are_off() {
        let mut config = config();
        config
            .profile
            .required
            .extend([FieldKind::Author, FieldKind::Custom("section".into())]);
        config.rules.insert("missing-author".into(), RuleLevel::Off);
        let text = MD_HEADER.to_string() + BODY;
        let found = all_findings(&text, Format::Markdown, &config);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "missing-section");
        assert_eq!(found[0].message, "Missing `section` field");
        assert!(apply(&text, &found[0].fixes[0]).contains("section: \"\"\n---\n"));
        let plain = format!("{HEADER}{BODY}");
        let found = all_findings(&plain, Format::Plain, &config);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].fixes.is_empty(),
            "the plain layout has no line for custom fields"
        );
    }

    #[test]
    fn quotes_keys_that_are_not_plain_words() {
        assert_eq!(yaml_key("section"), "section");
        assert_eq!(yaml_key("fecha de cierre"), "\"fecha de cierre\"");
    }
}
