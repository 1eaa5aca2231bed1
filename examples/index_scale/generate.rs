//! A synthetic newsroom for scale measurements: drafts of about 3 KB in the plain layout, with
//! Spanish-like prose, and a few paragraphs copied (exactly or lightly reworded) from earlier
//! drafts, as a real archive has. Deterministic: draft `i` is always the same text, so a draft
//! can quote another by regenerating its paragraph instead of keeping it in memory.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use galley::config::Profile;
use galley::draft::date::format_date_line;

const FUNCTION_WORDS: &[&str] = &[
    "de", "la", "que", "el", "en", "y", "a", "los", "se", "del", "las", "un", "por", "con", "no",
    "una", "su", "para", "es", "al", "lo", "como", "más", "pero", "sus", "le", "ya", "o", "este",
    "sí", "porque", "esta", "entre", "cuando", "muy", "sin", "sobre", "también", "me", "hasta",
];

const SYLLABLES: &[&str] = &[
    "ca", "lo", "men", "tra", "pre", "sa", "ri", "do", "ción", "ta", "mi", "po", "le", "des",
    "con", "bre", "gua", "ña", "zo", "vi", "ter", "mu", "ni", "ci", "pal", "go", "bier", "no",
    "cul", "tu", "ra", "pla", "za", "ba", "rrio", "ve", "ci", "nos", "ma", "yor", "ob", "ras",
    "fi", "nan", "cia", "es", "cue", "la", "sa", "lud", "puer", "to", "mer", "ca", "do", "al",
    "cal", "de", "sa", "jue", "ces", "tri", "bu", "nal",
];

/// Paragraphs per draft: with the header, about 3 KB.
const PARAGRAPHS: u64 = 8;

/// Files per folder, as a newsroom files drafts by day or section.
const PER_FOLDER: usize = 1000;

fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Rng(u64);

impl Rng {
    fn new(a: u64, b: u64) -> Rng {
        Rng(splitmix64(a.wrapping_mul(0x1000_0000_01B3) ^ splitmix64(b)))
    }

    fn next(&mut self) -> u64 {
        self.0 = splitmix64(self.0);
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A content word: a few syllables, the frequent ones far more often (a skewed draw from a
/// vocabulary of some tens of thousands of words).
fn content_word(rng: &mut Rng, out: &mut String) {
    let rank = (rng.unit().powi(3) * 40_000.0) as u64;
    let mut word = Rng::new(rank, 7);
    for _ in 0..2 + word.below(3) {
        out.push_str(SYLLABLES[word.below(SYLLABLES.len() as u64) as usize]);
    }
}

/// Paragraph `k` of draft `i`, always the same.
fn paragraph(i: u64, k: u64) -> String {
    let mut rng = Rng::new(i, k);
    let words = 45 + rng.below(30);
    let mut text = String::with_capacity(420);
    let mut sentence_start = true;
    for w in 0..words {
        if w > 0 {
            text.push(' ');
        }
        let start = text.len();
        if rng.below(10) < 4 {
            text.push_str(FUNCTION_WORDS[rng.below(FUNCTION_WORDS.len() as u64) as usize]);
        } else {
            content_word(&mut rng, &mut text);
        }
        if sentence_start {
            if let Some(first) = text[start..].chars().next() {
                let upper: String = first.to_uppercase().collect();
                text.replace_range(start..start + first.len_utf8(), &upper);
            }
            sentence_start = false;
        }
        if w + 1 == words || rng.below(14) == 0 {
            text.push('.');
            sentence_start = true;
        } else if rng.below(9) == 0 {
            text.push(',');
        }
    }
    text
}

/// `text` with three of its words replaced: a lightly reworded copy.
fn reword(text: &str, rng: &mut Rng) -> String {
    let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
    for _ in 0..3 {
        let at = rng.below(words.len() as u64) as usize;
        let mut replacement = String::new();
        content_word(rng, &mut replacement);
        words[at] = replacement;
    }
    words.join(" ")
}

/// The text of draft `i`: header, then paragraphs; about 3% quote a paragraph of an earlier
/// draft word for word and 2% a reworded one.
pub fn draft_text(i: u64) -> String {
    let mut rng = Rng::new(i, u64::MAX);
    let left = rng.below(101);
    let mut text = format!("Progresista {left}% Conservador {}%\n", 100 - left);
    text.push_str(&format!(
        "Nota {i}: {}\n",
        first_words(&paragraph(i, 100), 9)
    ));
    text.push_str(&format!("{}\n", first_words(&paragraph(i, 101), 22)));
    // Dates advance with the draft number; one draft in twenty has none.
    if rng.below(20) != 0 {
        let minutes = i * 37;
        let day = minutes / (24 * 60);
        let (month, day_of_month) = ((day / 28) % 12, day % 28 + 1);
        let year = 2020 + day / (28 * 12);
        let when = jiff::civil::datetime(
            year as i16,
            month as i8 + 1,
            day_of_month as i8,
            ((minutes / 60) % 24) as i8,
            (minutes % 60) as i8,
            0,
            0,
        );
        text.push_str(&format_date_line(when, &Profile::default()));
        text.push('\n');
    }
    let copy = rng.below(100);
    for k in 0..PARAGRAPHS {
        let quoted = (i > 10 && k == 3 && copy < 5).then(|| (rng.below(i), rng.below(PARAGRAPHS)));
        let body = match quoted {
            Some((j, kk)) if copy < 3 => paragraph(j, kk),
            Some((j, kk)) => reword(&paragraph(j, kk), &mut rng),
            None => paragraph(i, k),
        };
        text.push_str(&body);
        text.push('\n');
    }
    text
}

fn first_words(text: &str, n: usize) -> String {
    text.split(' ')
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', ','])
        .to_string()
}

/// Writes drafts `0..count` under `dir` (in folders of a thousand) and returns their total size
/// in bytes.
pub fn generate(dir: &Path, count: u64) -> io::Result<u64> {
    let mut bytes = 0;
    for i in 0..count {
        let path = draft_path(dir, i);
        if (i as usize).is_multiple_of(PER_FOLDER)
            && let Some(parent) = path.parent()
        {
            fs::create_dir_all(parent)?;
        }
        let text = draft_text(i);
        bytes += text.len() as u64;
        fs::write(path, text)?;
    }
    Ok(bytes)
}

pub fn draft_path(dir: &Path, i: u64) -> PathBuf {
    dir.join(format!("seccion-{:03}", i as usize / PER_FOLDER))
        .join(format!("nota-{i:06}.txt"))
}
