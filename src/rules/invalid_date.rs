//! `invalid-date`: a publication date that is present but unreadable or impossible (31 de
//! febrero, 25:00). There is no fix: guessing the intended date would be worse than asking.

use super::Context;
use crate::draft::{FieldKind, Parsed};
use crate::finding::{Finding, Severity};

pub const CODE: &str = "invalid-date";

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let Some(severity) = cx.severity(CODE, Severity::Error) else {
        return;
    };
    for field in cx.draft.fields.iter().filter(|f| f.kind == FieldKind::Date) {
        if let Parsed::Date(Err(problem)) = &field.parsed {
            out.push(Finding {
                code: CODE.to_string(),
                severity,
                message: format!("Invalid publication date: {problem}"),
                range: field.range.clone(),
                related: Vec::new(),
                fixes: Vec::new(),
                similarity: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::draft::Format;
    use crate::rules::testing::{HEADER, MD_HEADER, findings};

    const BODY: &str = "El mercado abrirá de lunes a sábado desde las ocho de la mañana 🕗.\n";

    fn with_date_line(line: &str) -> String {
        let start = HEADER.find("Publicado").unwrap();
        format!("{}{line}\n{BODY}", &HEADER[..start])
    }

    #[test]
    fn reports_an_impossible_calendar_date_without_a_fix() {
        let text = with_date_line("Publicado: 31 de febrero de 2026, 08:30");
        let found = findings(&text, Format::Plain, &Config::default(), CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(
            &text[found[0].range.clone()],
            "Publicado: 31 de febrero de 2026, 08:30"
        );
        assert!(
            found[0].message.starts_with("Invalid publication date: "),
            "{}",
            found[0].message
        );
        assert!(found[0].fixes.is_empty());
        assert_eq!(found[0].severity, Severity::Error);
    }

    #[test]
    fn reports_an_impossible_time_with_crlf() {
        let text = with_date_line("Publicado: 3 de febrero de 2026, 25:10").replace('\n', "\r\n");
        let found = findings(&text, Format::Plain, &Config::default(), CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(
            &text[found[0].range.clone()],
            "Publicado: 3 de febrero de 2026, 25:10"
        );
    }

    #[test]
    fn accepts_a_valid_date_with_or_without_time() {
        for line in [
            "Publicado: 29 de febrero de 2028, 23:59",
            "Publicado: 3 de Febrero de 2026",
        ] {
            let text = with_date_line(line);
            assert!(
                findings(&text, Format::Plain, &Config::default(), CODE).is_empty(),
                "{line}"
            );
        }
    }

    #[test]
    fn reports_an_unreadable_front_matter_date() {
        let text = MD_HEADER.replace("2026-02-03T08:30", "el martes que viene") + BODY;
        let found = findings(&text, Format::Markdown, &Config::default(), CODE);
        assert_eq!(found.len(), 1);
        assert!(text[found[0].range.clone()].starts_with("date:"));
    }
}
