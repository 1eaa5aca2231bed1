//! The leaning meter `Progresista 30% Conservador 70%`: recognising a meter line, reading its
//! two percentages with the byte ranges of their digits (so a fix can rewrite the second), and
//! the template line a `missing-leaning` fix inserts. Labels come from the profile and are
//! compared case-insensitively; the space between `30%` and the next label may be missing.

use std::ops::Range;

use super::Meter;
use super::text::{strip_prefix_ci, word_count};
use crate::config::Profile;

/// Reads `text[range]` as a meter. The ranges in the result are absolute offsets into `text`.
/// Surrounding whitespace and one pair of YAML quotes are allowed. The meter may still be
/// invalid (a sum other than 100): that is for the rules to judge.
pub fn parse(text: &str, range: Range<usize>, profile: &Profile) -> Result<Meter, String> {
    let s = &text[range.clone()];
    let mut cur = Cursor { s, pos: 0 };
    cur.skip_ws();
    let quote = cur.eat_any(&['"', '\'']);
    let left_digits = cur.labelled_percentage(&profile.leaning_labels[0]);
    cur.skip_ws();
    cur.eat_any(&[',', ';', '|', '/', '·', '-', '–']);
    cur.skip_ws();
    let right_digits = left_digits
        .as_ref()
        .and_then(|_| cur.labelled_percentage(&profile.leaning_labels[1]));
    let (Some(left), Some(right)) = (left_digits, right_digits) else {
        return Err(not_a_meter(s, profile));
    };
    cur.skip_ws();
    if let Some(q) = quote {
        cur.eat_any(&[q]);
        cur.skip_ws();
    }
    if cur.pos != s.len() {
        return Err(not_a_meter(s, profile));
    }
    let value = |digits: &Range<usize>| -> Result<u32, String> {
        s[digits.clone()]
            .parse::<u32>()
            .map_err(|_| format!("the percentage `{}` is too large", &s[digits.clone()]))
    };
    Ok(Meter {
        left: value(&left)?,
        right: value(&right)?,
        left_digits: range.start + left.start..range.start + left.end,
        right_digits: range.start + right.start..range.start + right.end,
    })
}

/// Whether a header line is meant as the meter, even a malformed one: a short line that starts
/// with one of the profile's labels as a whole word and holds a digit or a `%`.
pub(crate) fn looks_like_meter(line: &str, profile: &Profile) -> bool {
    let line = line.trim();
    if word_count(line) > 8 || !line.contains(|c: char| c.is_ascii_digit() || c == '%') {
        return false;
    }
    let line = line.trim_start_matches(['"', '\'']);
    profile.leaning_labels.iter().any(|label| {
        !label.trim().is_empty()
            && strip_prefix_ci(line, label.trim()).is_some_and(|rest| {
                rest.chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace() || c.is_ascii_digit() || c == ':' || c == '%')
            })
    })
}

/// Which of the profile's two labels `key` is (0 or 1), compared case-insensitively.
pub(crate) fn label_index(key: &str, profile: &Profile) -> Option<usize> {
    let key = key.trim();
    profile.leaning_labels.iter().position(|label| {
        strip_prefix_ci(key, label.trim()) == Some("") && !label.trim().is_empty()
    })
}

/// The meter in its canonical form: `Progresista 30% Conservador 70%`.
pub fn render(left: u32, right: u32, profile: &Profile) -> String {
    let [l, r] = &profile.leaning_labels;
    format!("{} {left}% {} {right}%", l.trim(), r.trim())
}

/// The meter line a `missing-leaning` fix inserts: well formed and even (`… 50% … 50%`), for
/// the writer to adjust.
pub fn template(profile: &Profile) -> String {
    render(50, 50, profile)
}

fn not_a_meter(found: &str, profile: &Profile) -> String {
    format!(
        "`{}` is not a leaning meter like `{}`",
        found.trim(),
        render(30, 70, profile)
    )
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn skip_ws(&mut self) {
        let rest = &self.s[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn eat_any(&mut self, chars: &[char]) -> Option<char> {
        let c = self.s[self.pos..]
            .chars()
            .next()
            .filter(|c| chars.contains(c))?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// `Label [:] N %`, returning the digits' range within the cursor's string.
    fn labelled_percentage(&mut self, label: &str) -> Option<Range<usize>> {
        let label = label.trim();
        if label.is_empty() {
            return None;
        }
        let rest = strip_prefix_ci(&self.s[self.pos..], label)?;
        self.pos = self.s.len() - rest.len();
        self.skip_ws();
        self.eat_any(&[':']);
        self.skip_ws();
        let start = self.pos;
        self.pos += self.s[start..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        if self.pos == start {
            return None;
        }
        let digits = start..self.pos;
        self.skip_ws();
        self.eat_any(&['%'])?;
        Some(digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;

    fn es() -> Profile {
        Profile::default()
    }

    fn meter(text: &str) -> Result<Meter, String> {
        parse(text, 0..text.len(), &es())
    }

    #[test]
    fn reads_a_meter_without_space_between_percent_and_label() {
        let text = "Progresista 30%Conservador 70%";
        let m = meter(text).unwrap();
        assert_eq!((m.left, m.right), (30, 70));
        assert_eq!(&text[m.left_digits], "30");
        assert_eq!(&text[m.right_digits], "70");
    }

    #[test]
    fn gives_absolute_digit_ranges_after_a_bom_and_accents() {
        let text = "\u{FEFF}ñ\nPROGRESISTA: 5 % · conservador\u{a0}95%\t";
        let start = text.find('P').unwrap();
        let m = parse(text, start..text.len(), &es()).unwrap();
        assert_eq!(&text[m.left_digits], "5");
        assert_eq!(&text[m.right_digits.clone()], "95");
        assert_eq!(m.right, 95);
    }

    #[test]
    fn keeps_an_invalid_sum_for_the_rules_to_judge() {
        let m = meter("Progresista 40% Conservador 70%").unwrap();
        assert_eq!(m.left + m.right, 110);
    }

    #[test]
    fn rejects_malformed_meters_with_an_example() {
        for bad in [
            "Progresista 30% Conservador",
            "Conservador 70% Progresista 30%",
            "Progresista 30 Conservador 70",
            "Progresista 30% Conservador 70% 😀",
            "Progresista 3.5% Conservador 96.5%",
        ] {
            let err = meter(bad).unwrap_err();
            assert!(
                err.contains("Progresista 30% Conservador 70%"),
                "{bad}: {err}"
            );
        }
        assert!(
            meter("Progresista 99999999999% Conservador 1%")
                .unwrap_err()
                .contains("too large")
        );
    }

    #[test]
    fn accepts_a_quoted_meter_from_yaml() {
        let text = "\"Progresista 30% Conservador 70%\"";
        let m = meter(text).unwrap();
        assert_eq!(&text[m.left_digits], "30");
        assert!(meter("\"Progresista 30% Conservador 70%").is_ok());
    }

    #[test]
    fn uses_the_profile_labels() {
        let en = Profile::for_language(Language::En);
        let text = "progressive 45% conservative 55%";
        assert_eq!(parse(text, 0..text.len(), &en).unwrap().right, 55);
        assert!(parse(text, 0..text.len(), &es()).is_err());
        assert_eq!(template(&en), "Progressive 50% Conservative 50%");
    }

    #[test]
    fn recognises_meter_lines_including_broken_ones() {
        assert!(looks_like_meter("Progresista 30%Conservador 70%", &es()));
        assert!(looks_like_meter(" progresista 30% conservador", &es()));
        assert!(looks_like_meter("Conservador 70%", &es()));
        assert!(!looks_like_meter(
            "Progresistas ganan 30% de escaños",
            &es()
        ));
        assert!(!looks_like_meter(
            "Progresista y conservador: un debate",
            &es()
        ));
        assert!(!looks_like_meter(
            "Progresista 30% de los votos fueron para el partido de la oposición según el recuento",
            &es()
        ));
    }

    #[test]
    fn finds_label_keys_case_insensitively() {
        assert_eq!(label_index("PROGRESISTA", &es()), Some(0));
        assert_eq!(label_index(" conservador ", &es()), Some(1));
        assert_eq!(label_index("progresistas", &es()), None);
    }

    #[test]
    fn template_reads_back_as_a_valid_meter() {
        let t = template(&es());
        let m = meter(&t).unwrap();
        assert_eq!((m.left, m.right), (50, 50));
    }
}
