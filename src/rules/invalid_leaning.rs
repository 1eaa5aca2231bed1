//! `invalid-leaning`: a leaning meter that is present but malformed, with a percentage outside
//! 0–100, or whose percentages do not add up to 100. When the first percentage is valid, the
//! fix sets the second to 100 minus the first; it changes what the draft says, so it is unsafe.

use super::Context;
use crate::draft::{Field, FieldKind, Meter, Parsed};
use crate::finding::{Applicability, Edit, Finding, Fix, FixKind, Severity};

pub const CODE: &str = "invalid-leaning";

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let Some(severity) = cx.severity(CODE, Severity::Error) else {
        return;
    };
    for field in cx
        .draft
        .fields
        .iter()
        .filter(|f| f.kind == FieldKind::Leaning)
    {
        let finding = |message: String, fixes: Vec<Fix>| Finding {
            code: CODE.to_string(),
            severity,
            message,
            range: field.range.clone(),
            related: Vec::new(),
            fixes,
            similarity: None,
        };
        match &field.parsed {
            Parsed::Leaning(Err(problem)) => out.push(finding(
                format!("Invalid leaning meter: {problem}"),
                Vec::new(),
            )),
            Parsed::Leaning(Ok(meter)) => {
                if let Some(message) = problem(meter) {
                    out.push(finding(
                        message,
                        repair(cx, field, meter).into_iter().collect(),
                    ));
                }
            }
            _ => {}
        }
    }
}

fn problem(meter: &Meter) -> Option<String> {
    if let Some(out_of_range) = [meter.left, meter.right].into_iter().find(|&p| p > 100) {
        return Some(format!(
            "Leaning percentage {out_of_range}% is outside 0–100%"
        ));
    }
    let sum = meter.left + meter.right;
    (sum != 100).then(|| format!("Leaning percentages add up to {sum}%, not 100%"))
}

fn repair(cx: &Context, field: &Field, meter: &Meter) -> Option<Fix> {
    let right = 100u32.checked_sub(meter.left)?;
    // The digits must lie inside the field, or the edit would land somewhere unrelated.
    let digits = meter.right_digits.clone();
    if digits.start < field.range.start || digits.end > field.range.end {
        return None;
    }
    let label = cx.config.profile.leaning_labels[1].trim();
    Some(Fix {
        title: format!("Set {label} to {right}%"),
        kind: FixKind::QuickFix,
        applicability: Applicability::Unsafe,
        edits: vec![Edit::replace(digits, right.to_string())],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::draft::Format;
    use crate::rules::testing::{HEADER, MD_HEADER, apply, findings};

    const BODY: &str = "El mercado abrirá de lunes a sábado desde las ocho de la mañana 🕗.";

    fn with_meter(meter: &str) -> String {
        let rest = &HEADER[HEADER.find('\n').unwrap() + 1..];
        format!("{meter}\n{rest}{BODY}")
    }

    #[test]
    fn repairs_a_sum_other_than_100_by_rewriting_the_second_percentage() {
        let text = with_meter("Progresista 30%Conservador 80%");
        let found = findings(&text, Format::Plain, &Config::default(), CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "Leaning percentages add up to 110%, not 100%"
        );
        assert_eq!(
            &text[found[0].range.clone()],
            "Progresista 30%Conservador 80%"
        );
        let fix = &found[0].fixes[0];
        assert_eq!(fix.title, "Set Conservador to 70%");
        assert_eq!(fix.applicability, Applicability::Unsafe);
        let fixed = apply(&text, fix);
        assert!(fixed.starts_with("Progresista 30%Conservador 70%\n"));
        assert!(findings(&fixed, Format::Plain, &Config::default(), CODE).is_empty());
    }

    #[test]
    fn reports_a_percentage_over_100_and_repairs_when_the_first_is_valid() {
        let text = with_meter("Progresista 20% Conservador 180%").replace('\n', "\r\n");
        let found = findings(&text, Format::Plain, &Config::default(), CODE);
        assert_eq!(
            found[0].message,
            "Leaning percentage 180% is outside 0–100%"
        );
        assert!(
            apply(&text, &found[0].fixes[0]).starts_with("Progresista 20% Conservador 80%\r\n")
        );
        let text = with_meter("Progresista 120% Conservador 0%");
        let found = findings(&text, Format::Plain, &Config::default(), CODE);
        assert_eq!(
            found[0].message,
            "Leaning percentage 120% is outside 0–100%"
        );
        assert!(found[0].fixes.is_empty());
    }

    #[test]
    fn accepts_a_valid_meter() {
        let text = with_meter("Progresista 0%Conservador 100%");
        assert!(findings(&text, Format::Plain, &Config::default(), CODE).is_empty());
    }

    #[test]
    fn repairs_a_front_matter_mapping() {
        let text = MD_HEADER.replace("conservador: 60", "conservador: 65") + BODY;
        let found = findings(&text, Format::Markdown, &Config::default(), CODE);
        assert_eq!(found.len(), 1);
        let fixed = apply(&text, &found[0].fixes[0]);
        assert!(
            fixed.contains("leaning: {progresista: 40, conservador: 60}"),
            "{fixed}"
        );
    }

    #[test]
    fn reports_a_malformed_front_matter_meter_without_a_fix() {
        let text =
            MD_HEADER.replace("{progresista: 40, conservador: 60}", "bastante progresista") + BODY;
        let found = findings(&text, Format::Markdown, &Config::default(), CODE);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.starts_with("Invalid leaning meter: "),
            "{}",
            found[0].message
        );
        assert!(found[0].fixes.is_empty());
    }
}
