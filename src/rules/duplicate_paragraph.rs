//! `duplicate-paragraph`: a body paragraph equal to an earlier one after normalisation
//! (NFKC, case folding, whitespace collapsed, typographic quotes and dashes folded). Each later
//! copy is reported once and points at the first occurrence; removing it is the one fix safe
//! enough to apply in bulk.

use super::Context;
use crate::finding::{Applicability, Edit, Finding, Fix, FixKind, Related, Severity};

pub const CODE: &str = "duplicate-paragraph";

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let Some(severity) = cx.severity(CODE, Severity::Warning) else {
        return;
    };
    let paragraphs = &cx.draft.paragraphs;
    for (index, original) in cx.earlier_copies().iter().enumerate() {
        let (Some(paragraph), Some(original)) = (
            paragraphs.get(index),
            original.and_then(|i| paragraphs.get(i)),
        ) else {
            continue;
        };
        let line = cx.line_number(original.range.start);
        let mut fixes = vec![Fix {
            title: "Remove duplicate paragraph".to_string(),
            kind: FixKind::QuickFix,
            applicability: Applicability::Safe,
            edits: vec![Edit::delete(paragraph.removal.clone())],
        }];
        fixes.extend(cx.suppress_fixes(CODE, paragraph));
        out.push(Finding {
            code: CODE.to_string(),
            severity,
            message: format!("Paragraph repeats the one at line {line}"),
            range: paragraph.range.clone(),
            related: vec![Related {
                path: None,
                range: original.range.clone(),
                message: "first appears here".to_string(),
            }],
            fixes,
            similarity: Some(1.0),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, RuleLevel};
    use crate::draft::Format;
    use crate::rules::testing::{HEADER, MD_HEADER, apply, findings, plain};

    const A: &str = "El ayuntamiento aprobó ayer el presupuesto para reformar la plaza mayor 🌳.";
    const B: &str =
        "Los vecinos podrán consultar los planos en la biblioteca municipal hasta el viernes.";

    #[test]
    fn reports_each_later_copy_once_pointing_at_the_first() {
        let text = plain(&[A, B, A, A]);
        let found = findings(&text, Format::Plain, &Config::default(), CODE);
        assert_eq!(found.len(), 2);
        let first = text.find(A).unwrap();
        for f in &found {
            assert_eq!(&text[f.range.clone()], A);
            assert_eq!(f.related[0].range.start, first);
            assert_eq!(f.related[0].message, "first appears here");
            assert_eq!(f.message, "Paragraph repeats the one at line 5");
            assert_eq!(f.severity, Severity::Warning);
            assert_eq!(f.similarity, Some(1.0));
        }
        assert!(found[0].range.start < found[1].range.start);
    }

    #[test]
    fn matches_copies_that_differ_in_case_spacing_quotes_and_dashes() {
        let original =
            "Ella dijo: “la obra —que costará dos millones— empieza en marzo”, según el acta.";
        let retyped = "ELLA  dijo: \"la obra -que costará dos millones- empieza en marzo\",\u{a0}según el acta.";
        let text = plain(&[original, retyped]);
        assert_eq!(
            findings(&text, Format::Plain, &Config::default(), CODE).len(),
            1
        );
    }

    #[test]
    fn ignores_paragraphs_shorter_than_the_minimum() {
        let text = plain(&["Foto: EFE", A, "Foto: EFE"]);
        assert!(findings(&text, Format::Plain, &Config::default(), CODE).is_empty());
        let config = Config {
            min_paragraph_words: 2,
            ..Config::default()
        };
        assert_eq!(findings(&text, Format::Plain, &config, CODE).len(), 1);
    }

    #[test]
    fn removes_duplicate_with_crlf_line_break() {
        let text = plain(&[A, B, A, B]).replace('\n', "\r\n");
        let found = findings(&text, Format::Plain, &Config::default(), CODE);
        let once = apply(&text, &found[0].fixes[0]);
        assert_eq!(once, plain(&[A, B, B]).replace('\n', "\r\n"));
        assert_eq!(found[0].fixes[0].applicability, Applicability::Safe);
    }

    #[test]
    fn removes_a_last_duplicate_without_final_newline() {
        let text = plain(&[A, B, A]);
        let text = text.trim_end();
        let found = findings(text, Format::Plain, &Config::default(), CODE);
        assert_eq!(apply(text, &found[0].fixes[0]), plain(&[A, B]).trim_end());
    }

    #[test]
    fn respects_configured_level_and_off() {
        let text = plain(&[A, A]);
        let mut config = Config::default();
        config
            .rules
            .insert(CODE.into(), RuleLevel::On(Severity::Error));
        assert_eq!(
            findings(&text, Format::Plain, &config, CODE)[0].severity,
            Severity::Error
        );
        config.rules.insert(CODE.into(), RuleLevel::Off);
        assert!(findings(&text, Format::Plain, &config, CODE).is_empty());
    }

    #[test]
    fn offers_suppression_comments_in_markdown_and_honours_them() {
        let text = format!("{MD_HEADER}{A}\n\n{B}\n\n{A}\n");
        let found = findings(&text, Format::Markdown, &Config::default(), CODE);
        assert_eq!(found.len(), 1);
        let kinds: Vec<FixKind> = found[0].fixes.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [FixKind::QuickFix, FixKind::Suppress, FixKind::Suppress]
        );
        let silenced = apply(&text, &found[0].fixes[1]);
        assert!(
            silenced.contains(&format!("<!-- galley-ignore {CODE} -->\n{A}\n")),
            "{silenced}"
        );
        assert!(findings(&silenced, Format::Markdown, &Config::default(), CODE).is_empty());
        let file_silenced = apply(&text, &found[0].fixes[2]);
        assert!(file_silenced.contains(&format!("---\n<!-- galley-ignore-file {CODE} -->\n")));
        assert!(findings(&file_silenced, Format::Markdown, &Config::default(), CODE).is_empty());
    }

    #[test]
    fn plain_drafts_get_no_suppression_fixes() {
        let text = format!("{HEADER}{A}\n{A}\n");
        let found = findings(&text, Format::Plain, &Config::default(), CODE);
        assert_eq!(found[0].fixes.len(), 1);
    }

    #[test]
    fn suppression_fix_silences_a_copy_inside_a_quote_or_list() {
        for copy in [format!("> {A}"), format!("- Primero de la lista.\n- {A}")] {
            let text = format!("{MD_HEADER}{A}\n\n{copy}\n");
            let found = findings(&text, Format::Markdown, &Config::default(), CODE);
            assert_eq!(found.len(), 1, "{text}");
            let silenced = apply(&text, &found[0].fixes[1]);
            assert!(
                findings(&silenced, Format::Markdown, &Config::default(), CODE).is_empty(),
                "{silenced}"
            );
        }
    }
}
