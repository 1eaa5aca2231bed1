//! Workspace index benchmarks: scanning a folder of generated drafts, and what a keystroke in
//! an open draft costs the index (re-index the draft, look its paragraphs up). The scaling
//! table (1k/10k/50k drafts, wall time and peak memory) comes from `examples/index_scale`.

#[path = "../examples/index_scale/generate.rs"]
mod generate;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use galley::config::Config;
use galley::draft::{self, Format};
use galley::workspace::{Index, ScanOptions, scan};

fn scan_folder(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    generate::generate(dir.path(), 1_000).expect("generate drafts");
    let config = Config::default();
    c.bench_function("scan 1k drafts", |b| {
        b.iter(|| {
            let mut index = Index::new();
            let report = scan(
                &mut index,
                dir.path(),
                &config,
                &ScanOptions::default(),
                |_, _| {},
            );
            black_box(report.map(|r| r.indexed.len()).unwrap_or(0))
        })
    });
}

fn keystroke(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let count = 5_000;
    generate::generate(dir.path(), count).expect("generate drafts");
    let config = Config::default();
    let mut index = Index::new();
    scan(
        &mut index,
        dir.path(),
        &config,
        &ScanOptions::default(),
        |_, _| {},
    )
    .expect("scan");
    let path = generate::draft_path(dir.path(), count / 2);
    let original = generate::draft_text(count / 2);
    let mut round = 0u32;
    c.bench_function("keystroke in a 5k-draft workspace", |b| {
        b.iter(|| {
            round += 1;
            let text = format!(
                "{original}{}",
                if round.is_multiple_of(2) { " y" } else { " o" }
            );
            let draft = draft::read(&text, Format::from_path(&path), &config.profile);
            let affected = index.upsert(&path, &text, &config);
            black_box((
                affected.len(),
                index
                    .cross_draft_findings(&path, &text, &draft, &config)
                    .len(),
            ))
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(5));
    targets = scan_folder, keystroke
}
criterion_main!(benches);
