//! Properties of fix-all on generated drafts: a header, then paragraphs drawn from a small pool
//! (so some repeat, sometimes retyped with other case or spacing), with LF or CRLF line
//! endings, with or without a final newline, in both layouts.
//!
//! Fix-all must leave each distinct paragraph exactly once, in its original order (short
//! paragraphs, which are never compared, all stay), never touch a header byte, and be
//! idempotent; the edits it applies must be sorted and disjoint.

use galley::analysis::analyze;
use galley::config::Config;
use galley::draft::{self, Format};
use galley::fix::{fix_all, fix_all_edits};
use galley::similarity::normalize::normalize;
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "el",
    "la",
    "de",
    "mercado",
    "árbol",
    "niño",
    "canción",
    "pingüino",
    "año",
    "café",
    "mañana",
    "ciudad",
    "vecinos",
    "obras",
    "plaza",
    "puerto",
    "Ayuntamiento",
    "€",
    "2026",
    "😀",
    "🎉",
    "über",
    "ÉXITO",
    "cañón",
];

const PLAIN_HEADER: &str = "Progresista 35%Conservador 65%\nLa plaza del mercado estrena cubierta 🌧️\nLos vecinos celebran el fin de unas obras que duraron dos años.\nPublicado: 12 de mayo de 2026, 18:45\n";
const MD_HEADER: &str = "---\ntitle: La plaza estrena cubierta\nsubtitle: Fin de las obras.\ndate: 2026-05-12T18:45\nleaning: {progresista: 35, conservador: 65}\n---\n\n";

#[derive(Debug, Clone)]
struct Case {
    format: Format,
    crlf: bool,
    final_newline: bool,
    pool: Vec<String>,
    /// Indices into the pool, with whether that occurrence is retyped.
    sequence: Vec<(usize, bool)>,
}

/// Words a paragraph can start with: a leading number followed by a full stop would make a
/// Markdown list item, not a paragraph.
const FIRST_WORDS: &[&str] = &["Según", "ayer", "Él", "nunca", "Ñandú", "😀", "Über"];

fn paragraph() -> impl Strategy<Value = String> {
    // Mostly long enough to be compared; some short ones, which must all survive.
    let rest = prop_oneof![
        4 => prop::collection::vec(prop::sample::select(WORDS), 7..24),
        1 => prop::collection::vec(prop::sample::select(WORDS), 0..4),
    ];
    (prop::sample::select(FIRST_WORDS), rest).prop_map(|(first, rest)| {
        std::iter::once(first)
            .chain(rest)
            .collect::<Vec<_>>()
            .join(" ")
            + "."
    })
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::bool::ANY,
        prop::bool::ANY,
        prop::bool::ANY,
        prop::collection::vec(paragraph(), 1..6),
    )
        .prop_flat_map(|(markdown, crlf, final_newline, pool)| {
            let len = pool.len();
            let sequence = prop::collection::vec((0..len, prop::bool::weighted(0.3)), 0..14);
            (
                Just(markdown),
                Just(crlf),
                Just(final_newline),
                Just(pool),
                sequence,
            )
        })
        .prop_map(|(markdown, crlf, final_newline, pool, sequence)| Case {
            format: if markdown {
                Format::Markdown
            } else {
                Format::Plain
            },
            crlf,
            final_newline,
            pool,
            sequence,
        })
}

/// The same paragraph as a writer might type it again: other case, doubled spaces.
fn retype(paragraph: &str) -> String {
    paragraph.to_uppercase().replace(' ', "  ")
}

impl Case {
    fn occurrences(&self) -> Vec<String> {
        self.sequence
            .iter()
            .map(|&(i, retyped)| {
                if retyped {
                    retype(&self.pool[i])
                } else {
                    self.pool[i].clone()
                }
            })
            .collect()
    }

    fn text(&self) -> String {
        let (header, separator) = match self.format {
            Format::Plain => (PLAIN_HEADER, "\n"),
            // Markdown paragraphs need a blank line between them.
            Format::Markdown => (MD_HEADER, "\n\n"),
        };
        let mut text = header.to_string() + &self.occurrences().join(separator);
        if self.final_newline && !self.sequence.is_empty() {
            text.push('\n');
        }
        if self.crlf {
            text.replace('\n', "\r\n")
        } else {
            text
        }
    }

    /// What must remain: every short paragraph, and the first occurrence of each long one.
    fn expected(&self, config: &Config) -> Vec<String> {
        let mut seen = Vec::new();
        self.occurrences()
            .into_iter()
            .filter(|p| {
                let key = normalize(p);
                let words = key
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .count();
                if words < config.min_paragraph_words {
                    return true;
                }
                let first = !seen.contains(&key);
                seen.push(key);
                first
            })
            .collect()
    }
}

fn paragraphs(text: &str, format: Format, config: &Config) -> Vec<String> {
    let draft = draft::read(text, format, &config.profile);
    draft
        .paragraphs
        .iter()
        .map(|p| text[p.range.clone()].to_string())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn fix_all_keeps_each_distinct_paragraph_once_in_order(case in case()) {
        let config = Config::default();
        let text = case.text();
        let fixed = fix_all(&text, case.format, &config);
        prop_assert_eq!(paragraphs(&fixed, case.format, &config), case.expected(&config));
    }

    #[test]
    fn fix_all_never_touches_the_header(case in case()) {
        let config = Config::default();
        let text = case.text();
        let body_start = draft::read(&text, case.format, &config.profile).body_start;
        let fixed = fix_all(&text, case.format, &config);
        prop_assert!(fixed.starts_with(&text[..body_start]), "{:?}", fixed);
    }

    #[test]
    fn fix_all_is_idempotent(case in case()) {
        let config = Config::default();
        let once = fix_all(&case.text(), case.format, &config);
        prop_assert_eq!(fix_all(&once, case.format, &config), once.clone());
    }

    #[test]
    fn fix_all_edits_are_sorted_and_disjoint(case in case()) {
        let config = Config::default();
        let text = case.text();
        let edits = fix_all_edits(&analyze(&text, case.format, &config).findings);
        for pair in edits.windows(2) {
            prop_assert!(pair[0].range.end <= pair[1].range.start, "{:?}", pair);
        }
        for edit in &edits {
            prop_assert!(edit.range.start <= edit.range.end && edit.range.end <= text.len());
        }
    }
}
