//! Measures the workspace index at scale: generates a synthetic newsroom of `COUNT` drafts of
//! about 3 KB, indexes it with `galley::workspace::scan` and reports the wall time and the
//! process's peak resident memory, then the time of a keystroke in one draft (re-index it and
//! look its paragraphs up).
//!
//! ```text
//! cargo run --release --example index_scale -- 10000 [DIR]
//! /usr/bin/time -v target/release/examples/index_scale 10000 DIR
//! ```
//!
//! With `DIR`, drafts are generated there once and reused by later runs (so the measured run
//! does no writing); without it, in a temporary folder removed at the end.

#[path = "generate.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use galley::config::Config;
use galley::draft::{self, Format};
use galley::workspace::{Index, ScanOptions, scan};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args.next().as_deref().unwrap_or("10000").parse()?;
    let temp = tempfile::tempdir()?;
    let dir = args
        .next()
        .map_or_else(|| temp.path().to_path_buf(), PathBuf::from);
    let marker = dir.join(format!(".generated-{count}"));
    if !marker.exists() {
        let started = Instant::now();
        let bytes = generate::generate(&dir, count)?;
        std::fs::write(&marker, bytes.to_string())?;
        eprintln!(
            "generated {count} drafts ({:.1} MB) in {:.1?}",
            mb(bytes),
            started.elapsed()
        );
    }
    let bytes: u64 = std::fs::read_to_string(&marker)?.trim().parse()?;

    let config = Config::default();
    let mut index = Index::new();
    let started = Instant::now();
    let report = scan(
        &mut index,
        &dir,
        &config,
        &ScanOptions::default(),
        |_, _| {},
    )?;
    let elapsed = started.elapsed();
    let peak = peak_rss_kb();
    println!(
        "drafts {:>6}  size {:>6.1} MB  index {:>7.3} s  peak RSS {}  skipped {}",
        report.indexed.len(),
        mb(bytes),
        elapsed.as_secs_f64(),
        peak.map_or("n/a".to_string(), |kb| format!(
            "{:.0} MB",
            kb as f64 / 1024.0
        )),
        report.skipped.len()
    );

    let (typical, worst, found) = keystrokes(&mut index, &dir, count, &config)?;
    println!(
        "keystroke (re-index one draft + cross-draft lookup), {} drafts: median {:.2} ms, max {:.2} ms; {found} findings in the sample",
        count,
        typical.as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3
    );
    Ok(())
}

/// Edits one paragraph of 200 drafts spread over the workspace, as typing does, and times
/// what the server does per change besides its own analysis.
fn keystrokes(
    index: &mut Index,
    dir: &Path,
    count: u64,
    config: &Config,
) -> anyhow::Result<(Duration, Duration, usize)> {
    let mut times = Vec::new();
    let mut found = 0;
    for n in 0..200u64 {
        let i = (n * 7919) % count.max(1);
        let path = generate::draft_path(dir, i);
        let mut text = std::fs::read_to_string(&path)?;
        let at = text.len().saturating_sub(2);
        text.insert_str(at, " y");
        let started = Instant::now();
        let draft = draft::read(&text, Format::from_path(&path), &config.profile);
        index.upsert(&path, &text, config);
        found += index
            .cross_draft_findings(&path, &text, &draft, config)
            .len();
        times.push(started.elapsed());
    }
    times.sort_unstable();
    Ok((times[times.len() / 2], times[times.len() - 1], found))
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// The process's peak resident set (`VmHWM`), where the system reports it.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
