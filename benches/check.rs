//! `galley check` in process on a generated corpus: 10,000 plain-text drafts of about 3 KB in
//! 100 folders, 2 % of them with a duplicated paragraph (the goal: under 1 s of wall time on 2
//! cores). Measures walking, config discovery, reading and parallel analysis; printing is left
//! to `scripts/bench-check.sh`, which times the release binary end to end.
//!
//! Debug builds (`cargo test --all-targets` runs benches once) use a small corpus.

use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use galley::cli::{CheckArgs, check};

const DRAFTS: usize = if cfg!(debug_assertions) { 300 } else { 10_000 };
const FOLDERS: usize = 100;
const PARAGRAPHS: usize = 14;
const WORDS_PER_PARAGRAPH: usize = 30;

const WORDS: &str = "el la los las una de del en con por para que según ayuntamiento vecinos calle obras \
     plan ciudad barrio proyecto millones euros año semana gobierno consejo junta alcaldesa \
     pleno votos oposición mercado puerto flota cofradía lonja temporal biblioteca archivo \
     colegio universidad estudiantes festival teatro música premio carretera tráfico autobús \
     estación vivienda alquiler impuesto comercio sábado marzo verano lluvia sequía embalse \
     río cosecha aceite cooperativa asamblea presupuesto subvención empleo huelga hospital \
     pacientes salud nuevo antiguo último explicó aseguró anunció reclamó aprobó rechazó \
     niños mañana útil árbol";

/// A small deterministic generator (xorshift), so every run checks the same corpus.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn draft(i: usize, words: &[&str], rng: &mut Rng) -> String {
    let left = rng.below(101);
    let mut text = format!(
        "Progresista {left}% Conservador {}%\nTitular de prueba número {i}\nSubtítulo que resume la pieza {i} en una frase.\nPublicado: {} de marzo de 2026, {:02}:{:02}\n",
        100 - left,
        1 + rng.below(28),
        rng.below(24),
        rng.below(60)
    );
    let mut first = String::new();
    for p in 0..PARAGRAPHS {
        let chosen: Vec<&str> = (0..WORDS_PER_PARAGRAPH)
            .map(|_| words[rng.below(words.len())])
            .collect();
        let mut paragraph = chosen.join(" ");
        paragraph.push('.');
        if p == 0 {
            first.clone_from(&paragraph);
        }
        if p == PARAGRAPHS - 1 && i.is_multiple_of(50) {
            paragraph.clone_from(&first);
        }
        text.push_str(&paragraph);
        text.push('\n');
    }
    text
}

fn write_corpus(root: &Path) -> usize {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut bytes = 0;
    for i in 0..DRAFTS {
        let folder = root.join(format!("seccion-{:02}", i % FOLDERS));
        fs::create_dir_all(&folder).expect("create corpus folder");
        let text = draft(i, &words, &mut rng);
        bytes += text.len();
        fs::write(folder.join(format!("borrador-{i:05}.txt")), text).expect("write draft");
    }
    bytes
}

fn bench_check(c: &mut Criterion) {
    let corpus = tempfile::tempdir().expect("temporary folder");
    let bytes = write_corpus(corpus.path());
    println!(
        "corpus: {DRAFTS} drafts, {} KB on average",
        bytes / DRAFTS / 1024
    );
    let args = CheckArgs {
        paths: vec![corpus.path().to_path_buf()],
        no_progress: true,
        ..CheckArgs::default()
    };

    let outcome = check(&args).expect("the corpus is checkable");
    assert_eq!(outcome.files.len(), DRAFTS);
    assert!(outcome.failures.is_empty());
    let with_findings = outcome
        .files
        .iter()
        .filter(|f| !f.findings.is_empty())
        .count();
    assert_eq!(
        with_findings,
        DRAFTS.div_ceil(50),
        "only the drafts given a duplicate have findings"
    );

    let mut group = c.benchmark_group("check");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function(format!("{DRAFTS}_drafts"), |b| {
        b.iter(|| black_box(check(&args)))
    });
    group.finish();
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
