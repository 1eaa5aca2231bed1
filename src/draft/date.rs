//! Publication dates: reading the long forms writers type (`14 de enero de 2026, 05:01`,
//! `January 14, 2026, 05:01`) and ISO 8601 (`2026-01-14`, `2026-01-14T05:01`), judging them
//! against the real calendar with jiff, and writing the date line a `missing-date` fix inserts.
//! No date crate knows Spanish month names, hence the small tables here.

use jiff::civil::{Date, DateTime, Time};

use super::PubDate;
use super::text::strip_prefix_ci;
use crate::config::{Language, Profile};

const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 16] = [
    "lunes",
    "martes",
    "miércoles",
    "miercoles",
    "jueves",
    "viernes",
    "sábado",
    "sabado",
    "domingo",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A date as written, before the calendar judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Written {
    year: i16,
    month: i8,
    day: i8,
    /// Hour, minute, second.
    time: Option<(i8, i8, i8)>,
}

/// Reads a date value in any accepted form, whatever the profile's language (a Spanish draft
/// may carry an ISO date); `language` only picks the example the error message shows.
pub fn parse(value: &str, language: Language) -> Result<PubDate, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("the date is empty".to_string());
    }
    let written = shape(value).ok_or_else(|| {
        let example = match language {
            Language::Es => "14 de enero de 2026, 05:01",
            Language::En => "January 14, 2026, 05:01",
        };
        format!("`{value}` is not a date like `{example}` or `2026-01-14T05:01`")
    })?;
    judge(written)
}

/// Whether `value` is written like a date, whether or not that date exists; a line that is
/// only this is a date line even without the `Publicado:` label.
pub(crate) fn is_date_shaped(value: &str) -> bool {
    shape(value.trim()).is_some()
}

/// In a line `Publicado: …` (label compared case-insensitively, colon required), the byte
/// offset within `line` where the value starts.
pub(crate) fn value_after_label(line: &str, label: &str) -> Option<usize> {
    let label = label.trim();
    if label.is_empty() {
        return None;
    }
    let rest = strip_prefix_ci(line.trim_start(), label)?;
    let after_colon = rest.trim_start().strip_prefix(':')?;
    let value = after_colon.trim_start();
    Some(line.len() - value.len())
}

/// The date line a `missing-date` fix inserts in a plain draft, in the profile's language:
/// `Publicado: 28 de noviembre de 2026, 12:05` or `Published: November 28, 2026, 12:05`.
pub fn format_date_line(now: DateTime, profile: &Profile) -> String {
    let month = usize::try_from(now.month() - 1).unwrap_or(0).min(11);
    let label = profile.date_label.trim();
    let (day, year, hour, minute) = (now.day(), now.year(), now.hour(), now.minute());
    match profile.language {
        Language::Es => {
            format!(
                "{label}: {day} de {} de {year}, {hour:02}:{minute:02}",
                MONTHS_ES[month]
            )
        }
        Language::En => {
            format!(
                "{label}: {} {day}, {year}, {hour:02}:{minute:02}",
                MONTHS_EN[month]
            )
        }
    }
}

/// The front-matter form of a date and time: `2026-11-28T12:05`.
pub fn format_iso(now: DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        now.year(),
        now.month(),
        now.day(),
        now.hour(),
        now.minute()
    )
}

fn judge(w: Written) -> Result<PubDate, String> {
    let date = Date::new(w.year, w.month, w.day).map_err(|_| {
        format!(
            "{:04}-{:02}-{:02} is not a calendar date",
            w.year, w.month, w.day
        )
    })?;
    let time =
        match w.time {
            None => None,
            Some((h, m, s)) => Some(Time::new(h, m, s, 0).map_err(|_| {
                format!("{h:02}:{m:02} is not a time of day between 00:00 and 23:59")
            })?),
        };
    Ok(PubDate { date, time })
}

fn shape(value: &str) -> Option<Written> {
    if value.len() >= 5
        && value.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && value.as_bytes()[4] == b'-'
    {
        return iso(value);
    }
    let mut tokens = Vec::with_capacity(12);
    for token in Tokens::new(value) {
        if tokens.len() == 16 {
            return None;
        }
        tokens.push(token);
    }
    long_form(&tokens)
}

/// ISO 8601: `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM`, `:SS`, a fraction and a
/// `Z` or `±HH:MM` offset (the offset is accepted and dropped: the newsroom's civil time is
/// what the draft states).
fn iso(value: &str) -> Option<Written> {
    let b = value.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits
            .iter()
            .try_fold(0i64, |acc, d| Some(acc * 10 + i64::from(d - b'0')))
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let mut written = Written {
        year: i16::try_from(year).ok()?,
        month: i8::try_from(month).ok()?,
        day: i8::try_from(day).ok()?,
        time: None,
    };
    if b.len() == 10 {
        return Some(written);
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 16 || b[13] != b':' {
        return None;
    }
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    let mut at = 16;
    let mut second = 0;
    if b.get(at) == Some(&b':') {
        second = num(at + 1..at + 3)?;
        at += 3;
        if b.get(at) == Some(&b'.') {
            at += 1;
            let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            at += digits;
        }
    }
    match &b[at..] {
        [] | [b'Z' | b'z'] => {}
        [b'+' | b'-', h1, h2, b':', m1, m2] | [b'+' | b'-', h1, h2, m1, m2]
            if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) => {}
        _ => return None,
    }
    written.time = Some((
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
    ));
    Some(written)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Num(&'a str),
    Word(&'a str),
    Punct(char),
}

/// Splits a date into numbers, words and punctuation, skipping any whitespace (NBSP included).
struct Tokens<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Tokens<'a> {
    fn new(s: &'a str) -> Self {
        Tokens { s, pos: 0 }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let rest = &self.s[self.pos..];
        let trimmed = rest.trim_start();
        self.pos += rest.len() - trimmed.len();
        let first = trimmed.chars().next()?;
        let len = if first.is_ascii_digit() {
            trimmed.bytes().take_while(u8::is_ascii_digit).count()
        } else if first.is_alphabetic() {
            trimmed
                .chars()
                .take_while(|c| c.is_alphabetic())
                .map(char::len_utf8)
                .sum()
        } else {
            first.len_utf8()
        };
        let piece = &trimmed[..len];
        self.pos += len;
        Some(if first.is_ascii_digit() {
            Token::Num(piece)
        } else if first.is_alphabetic() {
            Token::Word(piece)
        } else {
            Token::Punct(first)
        })
    }
}

fn month_number(word: &str) -> Option<i8> {
    let lower = word.to_lowercase();
    if lower == "setiembre" {
        return Some(9);
    }
    let index = MONTHS_ES.iter().position(|m| *m == lower).or_else(|| {
        MONTHS_EN
            .iter()
            .position(|m| m.eq_ignore_ascii_case(&lower))
    })?;
    i8::try_from(index + 1).ok()
}

fn number(token: Option<&Token>, max_digits: usize, exact: bool) -> Option<i64> {
    match token {
        Some(Token::Num(digits))
            if digits.len() <= max_digits && (!exact || digits.len() == max_digits) =>
        {
            digits.parse().ok()
        }
        _ => None,
    }
}

fn is_word(token: Option<&Token>, words: &[&str]) -> bool {
    matches!(token, Some(Token::Word(w)) if words.iter().any(|x| x.eq_ignore_ascii_case(w) || w.to_lowercase() == *x))
}

/// The long forms: `[weekday,] D de MES de[l] AAAA[,] [a las] [HH:MM [h]]`,
/// `[weekday,] Month D[st|nd|rd|th][,] YYYY[,] [at] [HH:MM]` and `D Month YYYY[,] [HH:MM]`.
fn long_form(tokens: &[Token]) -> Option<Written> {
    let mut i = 0;
    if is_word(tokens.first(), &WEEKDAYS) {
        i += 1;
        if tokens.get(i) == Some(&Token::Punct(',')) {
            i += 1;
        }
    }
    let (day, month, year);
    if let Some(Token::Word(w)) = tokens.get(i) {
        month = month_number(w)?;
        day = number(tokens.get(i + 1), 2, false)?;
        i += 2;
        if is_word(tokens.get(i), &["st", "nd", "rd", "th"]) {
            i += 1;
        }
        if tokens.get(i) == Some(&Token::Punct(',')) {
            i += 1;
        }
        year = number(tokens.get(i), 4, true)?;
        i += 1;
    } else {
        day = number(tokens.get(i), 2, false)?;
        i += 1;
        if is_word(tokens.get(i), &["de"]) {
            i += 1;
        }
        let Some(Token::Word(w)) = tokens.get(i) else {
            return None;
        };
        month = month_number(w)?;
        i += 1;
        if is_word(tokens.get(i), &["de", "del"]) {
            i += 1;
        }
        year = number(tokens.get(i), 4, true)?;
        i += 1;
    }
    let mut written = Written {
        year: i16::try_from(year).ok()?,
        month,
        day: i8::try_from(day).ok()?,
        time: None,
    };
    if tokens.get(i) == Some(&Token::Punct(',')) {
        i += 1;
    }
    if is_word(tokens.get(i), &["a"]) && is_word(tokens.get(i + 1), &["las", "la"]) {
        i += 2;
    } else if is_word(tokens.get(i), &["at"]) {
        i += 1;
    }
    if i == tokens.len() {
        return Some(written);
    }
    let hour = number(tokens.get(i), 2, false)?;
    if tokens.get(i + 1) != Some(&Token::Punct(':')) {
        return None;
    }
    let minute = number(tokens.get(i + 2), 2, true)?;
    i += 3;
    if is_word(tokens.get(i), &["h", "hs", "horas", "hrs"]) {
        i += 1;
        if tokens.get(i) == Some(&Token::Punct('.')) {
            i += 1;
        }
    }
    if i != tokens.len() {
        return None;
    }
    written.time = Some((i8::try_from(hour).ok()?, i8::try_from(minute).ok()?, 0));
    Some(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn es(value: &str) -> Result<PubDate, String> {
        parse(value, Language::Es)
    }

    #[test]
    fn reads_the_spanish_long_form_with_and_without_time_in_any_case() {
        let d = es("14 de enero de 2026, 05:01").unwrap();
        assert_eq!(d.date, date(2026, 1, 14));
        assert_eq!(d.time, Some(time(5, 1, 0, 0)));
        assert_eq!(es("3 DE Septiembre DEL 2025").unwrap().time, None);
        assert_eq!(
            es("miércoles, 1 de setiembre de 2027 a las 9:30 h")
                .unwrap()
                .date,
            date(2027, 9, 1)
        );
        assert_eq!(
            es("14\u{a0}de\u{a0}enero\tde 2026,05:01").unwrap().date,
            date(2026, 1, 14)
        );
    }

    #[test]
    fn reads_english_long_forms() {
        let d = es("January 14, 2026, 05:01").unwrap();
        assert_eq!(
            (d.date, d.time),
            (date(2026, 1, 14), Some(time(5, 1, 0, 0)))
        );
        assert_eq!(es("march 3rd 2026").unwrap().date, date(2026, 3, 3));
        assert_eq!(
            es("Friday, 14 February 2025 23:59").unwrap().time,
            Some(time(23, 59, 0, 0))
        );
    }

    #[test]
    fn reads_iso_dates_and_date_times() {
        assert_eq!(
            es("2026-01-14").unwrap(),
            PubDate {
                date: date(2026, 1, 14),
                time: None
            }
        );
        assert_eq!(es("2026-01-14T05:01").unwrap().time, Some(time(5, 1, 0, 0)));
        assert_eq!(
            es("2026-01-14 05:01:30").unwrap().time,
            Some(time(5, 1, 30, 0))
        );
        assert_eq!(
            es("2026-01-14T05:01:30.250+01:00").unwrap().date,
            date(2026, 1, 14)
        );
        assert_eq!(
            es("2026-01-14T05:01Z").unwrap().time,
            Some(time(5, 1, 0, 0))
        );
        assert!(es("2026-01-14T05").is_err());
        assert!(es("2026-1-14").is_err());
    }

    #[test]
    fn rejects_dates_the_calendar_does_not_have() {
        let err = es("31 de febrero de 2026").unwrap_err();
        assert!(err.contains("2026-02-31"), "{err}");
        assert!(es("29 de febrero de 2024").is_ok());
        assert!(es("29 de febrero de 2026").is_err());
        assert!(es("2026-13-01").is_err());
        assert!(es("0 de enero de 2026").is_err());
    }

    #[test]
    fn rejects_times_outside_the_day() {
        assert!(
            es("14 de enero de 2026, 24:00")
                .unwrap_err()
                .contains("24:00")
        );
        assert!(es("14 de enero de 2026, 23:60").is_err());
        assert!(es("14 de enero de 2026, 00:00").is_ok());
        assert!(es("2026-01-14T25:00").is_err());
    }

    #[test]
    fn explains_an_unreadable_date_in_the_profile_language() {
        assert!(
            es("mañana por la tarde 😀")
                .unwrap_err()
                .contains("14 de enero de 2026")
        );
        let en = parse("tomorrow", Language::En).unwrap_err();
        assert!(en.contains("January 14, 2026"), "{en}");
        assert_eq!(es("  ").unwrap_err(), "the date is empty");
        assert!(es("14 de eneroo de 2026").is_err());
        assert!(es("14 de enero de 2026, 05:01 y algo más").is_err());
    }

    #[test]
    fn tells_date_shapes_apart_from_prose() {
        assert!(is_date_shaped("31 de febrero de 2026"));
        assert!(is_date_shaped("2026-02-31"));
        assert!(!is_date_shaped("El 14 de enero de 2026 llegó la carta"));
    }

    #[test]
    fn finds_the_value_after_a_case_insensitive_label_with_colon() {
        let line = "  PUBLICADO :\u{a0}14 de enero de 2026";
        let at = value_after_label(line, "Publicado").unwrap();
        assert_eq!(&line[at..], "14 de enero de 2026");
        assert_eq!(value_after_label("Publicado el libro", "Publicado"), None);
        assert_eq!(value_after_label(": algo", ""), None);
    }

    #[test]
    fn formats_the_inserted_date_line_per_language() {
        let now = date(2026, 11, 28).at(12, 5, 0, 0);
        assert_eq!(
            format_date_line(now, &Profile::for_language(Language::Es)),
            "Publicado: 28 de noviembre de 2026, 12:05"
        );
        assert_eq!(
            format_date_line(now, &Profile::for_language(Language::En)),
            "Published: November 28, 2026, 12:05"
        );
        assert_eq!(
            format_iso(date(2026, 1, 4).at(7, 3, 9, 0)),
            "2026-01-04T07:03"
        );
    }

    #[test]
    fn reads_back_what_it_writes() {
        let now = date(2026, 2, 9).at(0, 0, 0, 0);
        for language in [Language::Es, Language::En] {
            let profile = Profile::for_language(language);
            let line = format_date_line(now, &profile);
            let at = value_after_label(&line, &profile.date_label).unwrap();
            let read = parse(&line[at..], language).unwrap();
            assert_eq!((read.date, read.time), (now.date(), Some(now.time())));
        }
        assert_eq!(es(&format_iso(now)).unwrap().date, now.date());
    }
}
