//! Scanning a folder into the workspace index: which files are drafts, what is skipped and
//! logged, and the progress reported along the way.

mod workspace_support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use galley::config::Config;
use galley::workspace::{Index, ScanError, ScanOptions, SkipReason, scan, scan_with, would_walk};
use tempfile::tempdir;
use workspace_support::*;

/// Log lines written while `run` runs on this thread.
fn capture_logs<T>(run: impl FnOnce() -> T) -> (T, String) {
    #[derive(Clone)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer(Arc::new(Mutex::new(Vec::new())));
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let result = tracing::subscriber::with_default(subscriber, run);
    let logs = String::from_utf8_lossy(&buffer.0.lock().unwrap()).into_owned();
    (result, logs)
}

#[test]
fn indexes_drafts_respecting_gitignore_and_exclude_globs() {
    let dir = tempdir().unwrap();
    let root = dir.path();
    let kept = [
        write(
            root,
            "hoy/puerto.txt",
            plain("Puerto", Some("1 de abril de 2026"), &[PUERTO]),
        ),
        write(
            root,
            "hoy/mercado.md",
            markdown("Mercado", "2026-04-01", &[MERCADO]),
        ),
        write(
            root,
            "ayer/lluvia.txt",
            plain("Lluvia", Some("31 de marzo de 2026"), &[LLUVIA]),
        ),
    ];
    write(root, ".gitignore", "archivo/\n*.bak.txt\n");
    write(root, "archivo/viejo.txt", plain("Viejo", None, &[PUERTO]));
    write(root, "hoy/copia.bak.txt", plain("Copia", None, &[PUERTO]));
    write(
        root,
        "descartes/teatro.txt",
        plain("Teatro", None, &[TEATRO]),
    );
    write(root, "README.md", "# Redacción\n\nCómo trabajamos.\n");
    write(root, "hoy/foto.jpg", [0xFF, 0xD8, 0xFF]);
    let config = Config {
        exclude: vec!["descartes/**".into()],
        ..Config::default()
    };

    let (index, report) = scan_all(root, &config);
    let mut expected = kept.to_vec();
    expected.sort();
    assert_eq!(report.indexed, expected);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert_eq!(index.len(), 3);
    assert_eq!(
        index.paths(),
        expected.iter().map(|p| p.as_path()).collect::<Vec<_>>()
    );
}

#[test]
fn include_globs_are_relative_to_the_config_file() {
    let dir = tempdir().unwrap();
    let root = dir.path();
    let wanted = write(root, "notas/borradores/a.txt", plain("A", None, &[PUERTO]));
    write(root, "notas/otros/b.txt", plain("B", None, &[MERCADO]));
    let config = Config {
        include: vec!["borradores/**/*.txt".into()],
        source: Some(root.join("notas/galley.toml")),
        ..Config::default()
    };
    let (_, report) = scan_all(&root.join("notas"), &config);
    assert_eq!(report.indexed, vec![wanted]);
}

#[test]
fn non_utf8_and_oversized_files_are_skipped_logged_and_nothing_else_lost() {
    let dir = tempdir().unwrap();
    let root = dir.path();
    let original = write(
        root,
        "original.txt",
        plain("Original", Some("1 de abril de 2026"), &[PUERTO]),
    );
    let copy = write(
        root,
        "copia.txt",
        plain("Copia", Some("2 de abril de 2026"), &[PUERTO]),
    );
    // "Año" in Latin-1: not UTF-8.
    let latin1 = write(
        root,
        "latin1.txt",
        b"Progresista 50% Conservador 50%\nA\xF1o nuevo\n",
    );
    let mut big = plain("Enorme", Some("3 de abril de 2026"), &[PUERTO]);
    while big.len() <= 8_192 {
        big.push_str(MERCADO);
        big.push('\n');
    }
    let oversized = write(root, "enorme.txt", &big);
    let options = ScanOptions {
        max_file_size: 8_192,
    };

    let mut index = Index::new();
    let (report, logs) =
        capture_logs(|| scan(&mut index, root, &Config::default(), &options, |_, _| {}));
    let report = report.expect("scan");

    assert_eq!(report.indexed, vec![copy.clone(), original.clone()]);
    let skipped: Vec<_> = report
        .skipped
        .iter()
        .map(|s| (s.path.clone(), s.reason.clone()))
        .collect();
    assert_eq!(
        skipped,
        vec![
            (
                oversized.clone(),
                SkipReason::TooLarge {
                    size: big.len() as u64,
                    limit: 8_192
                }
            ),
            (latin1.clone(), SkipReason::NotUtf8),
        ]
    );
    for path in [&latin1, &oversized] {
        let name = path.display().to_string();
        assert!(
            logs.lines()
                .any(|l| l.contains("WARN") && l.contains(&name)),
            "no warning for {name}:\n{logs}"
        );
    }
    assert_eq!(findings(&index, &copy, &Config::default()).len(), 1);
}

#[test]
fn progress_counts_every_file_up_to_the_total() {
    let dir = tempdir().unwrap();
    let root = dir.path();
    for i in 0..25 {
        write(
            root,
            &format!("d/{i:02}.txt"),
            plain(&format!("Nota {i}"), None, &[MERCADO, LLUVIA]),
        );
    }
    write(root, "d/roto.txt", [0xC3, 0x28]);
    let mut calls = Vec::new();
    let mut index = Index::new();
    let report = scan(
        &mut index,
        root,
        &Config::default(),
        &ScanOptions::default(),
        |done, total| calls.push((done, total)),
    )
    .expect("scan");

    assert_eq!(report.indexed.len() + report.skipped.len(), 26);
    assert_eq!(calls.first(), Some(&(0, 26)));
    assert_eq!(calls.last(), Some(&(26, 26)));
    assert_eq!(calls.len(), 27);
    assert!(
        calls
            .windows(2)
            .all(|w| w[1].0 == w[0].0 + 1 && w[1].1 == 26)
    );
}

#[test]
fn scanning_again_replaces_instead_of_duplicating() {
    let dir = tempdir().unwrap();
    let root = dir.path();
    let a = write(
        root,
        "a.txt",
        plain("A", Some("1 de abril de 2026"), &[TEATRO]),
    );
    let b = write(
        root,
        "b.txt",
        plain("B", Some("2 de abril de 2026"), &[TEATRO]),
    );
    let config = Config::default();
    let mut index = Index::new();
    scan(
        &mut index,
        root,
        &config,
        &ScanOptions::default(),
        |_, _| {},
    )
    .unwrap();
    scan(
        &mut index,
        root,
        &config,
        &ScanOptions::default(),
        |_, _| {},
    )
    .unwrap();
    assert_eq!(index.len(), 2);
    assert_eq!(findings(&index, &b, &config).len(), 1);
    assert!(findings(&index, &a, &config).is_empty());
}

#[test]
fn a_missing_folder_is_an_error() {
    let dir = tempdir().unwrap();
    let mut index = Index::new();
    let result = scan(
        &mut index,
        &dir.path().join("no-existe"),
        &Config::default(),
        &ScanOptions::default(),
        |_, _| {},
    );
    assert!(matches!(result, Err(ScanError::Root { .. })), "{result:?}");
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_out_of_the_folder() {
    let outside = tempdir().unwrap();
    write(
        outside.path(),
        "fuera/ajeno.txt",
        plain("Ajeno", None, &[BRIDGE]),
    );
    let dir = tempdir().unwrap();
    let inside = write(dir.path(), "dentro.txt", plain("Propio", None, &[ESCUELA]));
    std::os::unix::fs::symlink(outside.path().join("fuera"), dir.path().join("enlace")).unwrap();
    std::os::unix::fs::symlink(&inside, dir.path().join("alias.txt")).unwrap();
    let (index, report) = scan_all(dir.path(), &Config::default());
    assert_eq!(report.indexed, vec![inside]);
    assert_eq!(index.len(), 1);
}

#[test]
fn would_walk_applies_the_walks_rules_to_one_path() {
    let dir = tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", "archivo/\n*.tmp.txt\n");
    write(root, "mayo/.ignore", "borradores/\n!especial.tmp.txt\n");
    let draft = write(root, "mayo/nota.txt", "x");
    let archived = write(root, "archivo/2019/nota.txt", "x");
    let temporary = write(root, "mayo/nota.tmp.txt", "x");
    let hidden = write(root, ".ocultos/nota.txt", "x");
    let reincluded = write(root, "mayo/especial.tmp.txt", "x");
    let in_ignored_folder = write(root, "mayo/borradores/nota.txt", "x");
    assert!(would_walk(root, &draft));
    assert!(!would_walk(root, &archived), "a parent folder is ignored");
    assert!(!would_walk(root, &temporary));
    assert!(!would_walk(root, &hidden));
    assert!(
        would_walk(root, &reincluded),
        "the deeper .ignore re-includes it"
    );
    assert!(!would_walk(root, &in_ignored_folder));
    let outside = tempdir().unwrap();
    let elsewhere = write(outside.path(), "nota.txt", "x");
    assert!(!would_walk(root, &elsewhere));
    #[cfg(unix)]
    {
        let link = root.join("mayo/enlace.txt");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        assert!(!would_walk(root, &link));
    }
    // Exactly what a scan of the folder takes.
    let (_, report) = scan_all(root, &Config::default());
    assert_eq!(report.indexed, vec![reincluded, draft]);
}

#[test]
fn scan_with_reads_each_file_with_the_configuration_the_caller_picks() {
    let dir = tempdir().unwrap();
    let root = dir.path();
    let original = write(
        root,
        "archivo/puerto.txt",
        plain("Original", Some("1 de abril de 2026"), &[PUERTO]),
    );
    write(
        root,
        "privado/puerto.txt",
        plain("Privado", Some("2 de abril de 2026"), &[PUERTO]),
    );
    let copy = write(
        root,
        "hoy/puerto.txt",
        plain("Copia", Some("3 de abril de 2026"), &[PUERTO]),
    );
    let default = Arc::new(Config::default());
    // Paragraphs of the archive are never long enough to compare under its own configuration.
    let archive = Arc::new(Config {
        min_paragraph_words: 500,
        ..Config::default()
    });
    let mut index = Index::new();
    let report = scan_with(
        &mut index,
        root,
        &ScanOptions::default(),
        |path| {
            if path.starts_with(root.join("privado")) {
                None
            } else if path.starts_with(root.join("archivo")) {
                Some(archive.clone())
            } else {
                Some(default.clone())
            }
        },
        |_, _| {},
    )
    .unwrap();
    assert_eq!(report.indexed, vec![original, copy.clone()]);
    assert!(findings(&index, &copy, &default).is_empty());
}
