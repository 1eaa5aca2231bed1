//! Analysis speed and memory on one large generated draft: 20,000 paragraphs (about 5 MB) of
//! Spanish-like words with accents, about 2 % exact duplicates and 1 % lightly reworded copies.
//!
//! - `draft_read`: reading the draft alone, for reference;
//! - `analyze_cold`: one-shot [`analyze`], nothing cached (the goal: under 100 ms on one core);
//! - `analyzer_warm_edit`: [`Analyzer::analyze`] after a one-character edit, with the sketches
//!   of every other paragraph cached.
//!
//! Before the timings, a counting allocator reports the peak heap one cold analysis adds on top
//! of the text (the goal: text plus analysis under 5× the file size).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use galley::analysis::{Analyzer, analyze};
use galley::config::Config;
use galley::draft::{self, Format};
use galley::position::floor_char_boundary;

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size();
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const PARAGRAPHS: usize = 20_000;

/// SplitMix64: a fixed seed gives the same draft on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const FUNCTION_WORDS: &[&str] = &[
    "de", "la", "el", "en", "que", "y", "los", "las", "del", "se", "por", "un", "una", "con",
    "para", "su", "al", "es", "lo", "como", "más", "pero", "sus", "le", "ya", "o", "este", "sí",
    "porque", "esta", "entre", "cuando",
];
const SYLLABLES: &[&str] = &[
    "ca", "ción", "pa", "ñe", "ra", "to", "mé", "gui", "lla", "dor", "es", "tá", "ri", "co", "mu",
    "sí", "ble", "tra", "án", "zo", "pe", "lí", "ti", "ma", "go", "ver", "na", "dí", "sa", "ro",
    "güe", "ción", "men", "te",
];

fn word(rng: &mut Rng, out: &mut String) {
    if rng.below(10) < 4 {
        out.push_str(FUNCTION_WORDS[rng.below(FUNCTION_WORDS.len())]);
    } else {
        for _ in 0..2 + rng.below(3) {
            out.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
        }
    }
}

fn paragraph(rng: &mut Rng) -> String {
    let mut text = String::new();
    let words = 27 + rng.below(18);
    for i in 0..words {
        if i > 0 {
            text.push_str(if rng.below(12) == 0 { ", " } else { " " });
        }
        word(rng, &mut text);
    }
    text.push('.');
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or(text)
}

/// A copy with three words replaced: a lightly reworded paragraph.
fn reword(rng: &mut Rng, original: &str) -> String {
    let mut words: Vec<String> = original.split(' ').map(String::from).collect();
    for _ in 0..3 {
        let at = rng.below(words.len());
        let mut replacement = String::new();
        word(rng, &mut replacement);
        words[at] = replacement;
    }
    words.join(" ")
}

fn generated_draft() -> String {
    let mut rng = Rng(2026);
    let mut paragraphs: Vec<String> = Vec::with_capacity(PARAGRAPHS);
    for _ in 0..PARAGRAPHS {
        let roll = rng.below(100);
        let next = if roll < 2 && !paragraphs.is_empty() {
            paragraphs[rng.below(paragraphs.len())].clone()
        } else if roll < 3 && !paragraphs.is_empty() {
            let original = paragraphs[rng.below(paragraphs.len())].clone();
            reword(&mut rng, &original)
        } else {
            paragraph(&mut rng)
        };
        paragraphs.push(next);
    }
    let header = "Progresista 30%Conservador 70%\nEl pleno aprueba el plan de movilidad para el centro histórico\nLa oposición critica el calendario y pide más carriles bici.\nPublicado: 14 de enero de 2026, 05:01\n";
    header.to_string() + &paragraphs.join("\n") + "\n"
}

fn report_memory(text: &str, config: &Config) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let analysis = analyze(text, Format::Plain, config);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    let mb = |bytes: usize| bytes as f64 / 1e6;
    eprintln!(
        "draft: {:.2} MB, {} paragraphs, {} findings; peak heap of one cold analysis: {:.2} MB on top of the text \
         ({:.2} MB with it, {:.2}x the file size)",
        mb(text.len()),
        analysis.draft.paragraphs.len(),
        analysis.findings.len(),
        mb(peak),
        mb(peak + text.len()),
        (peak + text.len()) as f64 / text.len() as f64,
    );
}

fn benches(c: &mut Criterion) {
    let text = generated_draft();
    let config = Config::default();
    report_memory(&text, &config);

    c.bench_function("draft_read", |b| {
        b.iter(|| {
            black_box(draft::read(
                black_box(&text),
                Format::Plain,
                &config.profile,
            ))
        })
    });
    c.bench_function("analyze_cold", |b| {
        b.iter(|| black_box(analyze(black_box(&text), Format::Plain, &config)))
    });

    // Two texts one character apart (in a paragraph half-way down), analysed in turn: each call
    // finds exactly one paragraph changed since the previous one.
    let middle = floor_char_boundary(&text, text.len() / 2);
    let at = text[middle..].find(' ').map_or(middle, |i| middle + i);
    let edited = format!("{}x{}", &text[..at], &text[at..]);
    let analyzer = Analyzer::new();
    analyzer.analyze(&text, Format::Plain, &config);
    let mut flip = false;
    c.bench_function("analyzer_warm_edit", |b| {
        b.iter(|| {
            flip = !flip;
            let current = if flip { &edited } else { &text };
            black_box(analyzer.analyze(black_box(current), Format::Plain, &config))
        })
    });
}

criterion_group! {
    name = analysis;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(analysis);
