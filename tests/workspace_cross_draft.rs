//! `cross-draft-duplicate` over an indexed workspace: which copy is flagged, what the finding
//! points at, its fixes, and what silences it.

mod workspace_support;

use std::collections::BTreeMap;

use galley::config::{Config, RuleLevel};
use galley::finding::{Applicability, FixKind, Severity};
use galley::fix::apply_edits;
use galley::workspace::{BatchIndex, CODE, Index, LoadedDraft};
use tempfile::tempdir;
use workspace_support::*;

#[test]
fn shared_paragraph_flags_only_the_newer_draft_pointing_at_the_older() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let older_text = plain(
        "Retrasos en el muelle norte",
        Some("10 de enero de 2026, 08:30"),
        &[PUERTO, MERCADO],
    );
    let newer_text = plain(
        "El puerto revisa su calendario",
        Some("14 de enero de 2026, 05:01"),
        &[LLUVIA, PUERTO],
    );
    let older = write(dir.path(), "enero/puerto.txt", &older_text);
    // The newer draft's file is older on disk: the publication dates decide, not the files.
    let newer = write(dir.path(), "enero/calendario.txt", &newer_text);
    set_mtime(&newer, 1_000);
    let (index, _) = scan_all(dir.path(), &config);

    assert!(findings(&index, &older, &config).is_empty());
    let found = findings(&index, &newer, &config);
    assert_eq!(found.len(), 1, "{found:#?}");
    let finding = &found[0];
    assert_eq!(finding.code, CODE);
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(flagged(&newer_text, finding), PUERTO);
    assert_eq!(finding.similarity, Some(1.0));
    let related = &finding.related[0];
    assert_eq!(related.path.as_deref(), Some(older.as_path()));
    assert_eq!(&older_text[related.range.clone()], PUERTO);
    assert_eq!(
        related.message,
        "also in \u{201C}Retrasos en el muelle norte\u{201D} (2026-01-10 08:30)"
    );
    assert!(
        finding.message.contains("Retrasos en el muelle norte"),
        "{}",
        finding.message
    );
}

#[test]
fn remove_fix_deletes_the_paragraph_with_its_line() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    write(
        dir.path(),
        "a.txt",
        plain("Primero", Some("1 de marzo de 2026"), &[TEATRO]),
    );
    let newer_text = plain(
        "Segundo",
        Some("2 de marzo de 2026"),
        &[ESCUELA, TEATRO, LLUVIA],
    );
    let newer = write(dir.path(), "b.txt", &newer_text);
    let (index, _) = scan_all(dir.path(), &config);

    let found = findings(&index, &newer, &config);
    let fixes = &found[0].fixes;
    assert_eq!(
        fixes.len(),
        1,
        "plain drafts have no comment to suppress with"
    );
    assert_eq!(fixes[0].title, "Remove paragraph");
    assert_eq!(fixes[0].kind, FixKind::QuickFix);
    assert_eq!(fixes[0].applicability, Applicability::Unsafe);
    assert_eq!(
        apply_edits(&newer_text, &fixes[0].edits),
        plain("Segundo", Some("2 de marzo de 2026"), &[ESCUELA, LLUVIA])
    );
}

#[test]
fn near_copy_across_drafts_is_flagged_with_its_similarity() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    write(
        dir.path(),
        "original.txt",
        plain("Obras del muelle", Some("3 de febrero de 2026"), &[PUERTO]),
    );
    let copy_text = plain(
        "Nuevo retraso",
        Some("5 de febrero de 2026"),
        &[MERCADO, PUERTO_REWORDED],
    );
    let copy = write(dir.path(), "copia.txt", &copy_text);
    let (index, _) = scan_all(dir.path(), &config);

    let found = findings(&index, &copy, &config);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(flagged(&copy_text, &found[0]), PUERTO_REWORDED);
    let similarity = found[0].similarity.unwrap();
    assert!((0.6..1.0).contains(&similarity), "{similarity}");
    let percent = (similarity * 100.0).floor() as u32;
    assert!(
        found[0].message.contains(&format!("{percent}% similar")),
        "{}",
        found[0].message
    );
}

#[test]
fn a_quoted_copy_across_drafts_says_it_differs_only_in_punctuation() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    write(
        dir.path(),
        "original.txt",
        plain("Obras del muelle", Some("3 de febrero de 2026"), &[PUERTO]),
    );
    let quoted = format!("«{PUERTO}»");
    let copy_text = plain("Citas", Some("5 de febrero de 2026"), &[MERCADO, &quoted]);
    let copy = write(dir.path(), "copia.txt", &copy_text);
    let (index, _) = scan_all(dir.path(), &config);

    let found = findings(&index, &copy, &config);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].similarity, Some(1.0));
    assert!(
        found[0].message.contains("differing only in punctuation"),
        "{}",
        found[0].message
    );
}

#[test]
fn different_paragraphs_on_the_same_subject_are_not_flagged() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    write(
        dir.path(),
        "a.txt",
        plain(
            "Uno",
            Some("1 de abril de 2026"),
            &[PUERTO, MERCADO, LLUVIA],
        ),
    );
    let b = write(
        dir.path(),
        "b.txt",
        plain(
            "Dos",
            Some("2 de abril de 2026"),
            &[ESCUELA, TEATRO, BRIDGE],
        ),
    );
    let (index, _) = scan_all(dir.path(), &config);
    assert!(findings(&index, &b, &config).is_empty());
}

#[test]
fn short_paragraphs_are_never_compared() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let caption = "Foto: archivo municipal del puerto.";
    write(
        dir.path(),
        "a.txt",
        plain("Uno", Some("1 de abril de 2026"), &[PUERTO, caption]),
    );
    let b = write(
        dir.path(),
        "b.txt",
        plain("Dos", Some("2 de abril de 2026"), &[MERCADO, caption]),
    );
    let (index, _) = scan_all(dir.path(), &config);
    assert!(findings(&index, &b, &config).is_empty());
}

#[test]
fn without_dates_the_older_file_is_the_original() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let first = write(
        dir.path(),
        "z-primero.txt",
        plain("Sin fecha uno", None, &[LLUVIA]),
    );
    let second = write(
        dir.path(),
        "a-segundo.txt",
        plain("Sin fecha dos", None, &[MERCADO, LLUVIA]),
    );
    set_mtime(&first, 1_767_000_000);
    set_mtime(&second, 1_767_100_000);
    let (index, _) = scan_all(dir.path(), &config);

    assert!(findings(&index, &first, &config).is_empty());
    let found = findings(&index, &second, &config);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].related[0].path.as_deref(), Some(first.as_path()));
    assert!(
        found[0].related[0].message.contains("(modified 20"),
        "{}",
        found[0].related[0].message
    );
}

#[test]
fn equal_dates_and_times_are_ordered_by_path() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let a = write(
        dir.path(),
        "a.txt",
        plain("Uno", Some("7 de mayo de 2026, 10:00"), &[TEATRO]),
    );
    let b = write(
        dir.path(),
        "b.txt",
        plain("Dos", Some("7 de mayo de 2026, 10:00"), &[TEATRO]),
    );
    set_mtime(&a, 1_767_000_000);
    set_mtime(&b, 1_767_000_000);
    let (index, _) = scan_all(dir.path(), &config);
    assert!(findings(&index, &a, &config).is_empty());
    assert_eq!(findings(&index, &b, &config).len(), 1);
}

#[test]
fn an_exact_copy_in_a_later_draft_wins_over_a_near_one_in_the_oldest() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    write(
        dir.path(),
        "1.txt",
        plain("Uno", Some("1 de junio de 2026"), &[PUERTO_REWORDED]),
    );
    let exact = write(
        dir.path(),
        "2.txt",
        plain("Dos", Some("2 de junio de 2026"), &[PUERTO]),
    );
    let newest = write(
        dir.path(),
        "3.txt",
        plain("Tres", Some("3 de junio de 2026"), &[PUERTO]),
    );
    let (index, _) = scan_all(dir.path(), &config);

    let found = findings(&index, &newest, &config);
    assert_eq!(found[0].related[0].path.as_deref(), Some(exact.as_path()));
    assert_eq!(found[0].similarity, Some(1.0));
    // The draft in the middle is itself a near copy of the oldest.
    let middle = findings(&index, &exact, &config);
    assert!(middle[0].similarity.unwrap() < 1.0);
}

#[test]
fn three_copies_all_point_at_the_oldest() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let oldest = write(
        dir.path(),
        "c.txt",
        plain("Uno", Some("1 de junio de 2026"), &[ESCUELA]),
    );
    let middle = write(
        dir.path(),
        "b.txt",
        plain("Dos", Some("2 de junio de 2026"), &[ESCUELA]),
    );
    let newest = write(
        dir.path(),
        "a.txt",
        plain("Tres", Some("3 de junio de 2026"), &[ESCUELA]),
    );
    let (index, _) = scan_all(dir.path(), &config);
    assert!(findings(&index, &oldest, &config).is_empty());
    for path in [&middle, &newest] {
        let found = findings(&index, path, &config);
        assert_eq!(found[0].related[0].path.as_deref(), Some(oldest.as_path()));
    }
}

#[test]
fn markdown_copy_offers_a_suppression_that_silences_it() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    write(
        dir.path(),
        "antes.md",
        markdown("Lluvias de enero", "2026-01-20", &[LLUVIA]),
    );
    let text = markdown("Embalses llenos", "2026-01-25T09:15", &[MERCADO, LLUVIA]);
    let path = write(dir.path(), "despues.md", &text);
    let (index, _) = scan_all(dir.path(), &config);

    let found = findings(&index, &path, &config);
    assert_eq!(found.len(), 1);
    let suppress = found[0]
        .fixes
        .iter()
        .find(|f| f.kind == FixKind::Suppress)
        .expect("suppress fix");
    assert_eq!(suppress.title, "Ignore: quoted on purpose");
    assert_eq!(suppress.applicability, Applicability::Unsafe);
    let silenced = apply_edits(&text, &suppress.edits);
    assert!(
        silenced.contains(&format!(
            "<!-- galley-ignore cross-draft-duplicate -->\n{LLUVIA}"
        )),
        "{silenced}"
    );
    assert!(findings_for_text(&index, &path, &silenced, &config).is_empty());
}

#[test]
fn suppression_inside_a_block_quote_stays_in_the_quote() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    write(
        dir.path(),
        "antes.md",
        markdown("Lluvias", "2026-01-20", &[LLUVIA]),
    );
    let quoted = format!("> {LLUVIA}");
    let text = markdown("Cita", "2026-01-25", &[MERCADO, &quoted]);
    let path = write(dir.path(), "cita.md", &text);
    let (index, _) = scan_all(dir.path(), &config);

    let found = findings(&index, &path, &config);
    let suppress = found[0]
        .fixes
        .iter()
        .find(|f| f.kind == FixKind::Suppress)
        .unwrap();
    let silenced = apply_edits(&text, &suppress.edits);
    assert!(
        silenced.contains(&format!(
            "> <!-- galley-ignore cross-draft-duplicate -->\n> {LLUVIA}"
        )),
        "{silenced}"
    );
    assert!(findings_for_text(&index, &path, &silenced, &config).is_empty());
}

#[test]
fn file_suppression_silences_every_paragraph() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    write(
        dir.path(),
        "antes.md",
        markdown("Original", "2026-01-20", &[LLUVIA, TEATRO]),
    );
    let mut text = markdown("Copia", "2026-01-25", &[LLUVIA, TEATRO]);
    text.push_str("\n<!-- galley-ignore-file cross-draft-duplicate -->\n");
    let path = write(dir.path(), "copia.md", &text);
    let (index, _) = scan_all(dir.path(), &config);
    assert!(findings(&index, &path, &config).is_empty());
}

#[test]
fn configured_level_applies_and_off_disables_the_rule() {
    let dir = tempdir().unwrap();
    write(
        dir.path(),
        "a.txt",
        plain("Uno", Some("1 de abril de 2026"), &[BRIDGE]),
    );
    let b = write(
        dir.path(),
        "b.txt",
        plain("Dos", Some("2 de abril de 2026"), &[BRIDGE]),
    );
    let with = |level| Config {
        rules: BTreeMap::from([(CODE.to_string(), level)]),
        ..Config::default()
    };
    let (index, _) = scan_all(dir.path(), &Config::default());
    let found = findings(&index, &b, &with(RuleLevel::On(Severity::Error)));
    assert_eq!(found[0].severity, Severity::Error);
    assert!(findings(&index, &b, &with(RuleLevel::Off)).is_empty());
}

#[test]
fn a_document_not_on_disk_is_the_newest_draft() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let original = write(dir.path(), "a.txt", plain("Puente", None, &[BRIDGE]));
    let (index, _) = scan_all(dir.path(), &config);
    let unsaved = dir.path().join("sin-guardar.txt");
    let text = plain("Borrador", None, &[BRIDGE]);
    let found = findings_for_text(&index, &unsaved, &text, &config);
    assert_eq!(
        found[0].related[0].path.as_deref(),
        Some(original.as_path())
    );
}

#[test]
fn draft_info_gives_headline_and_date_for_a_hover() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let dated = write(
        dir.path(),
        "a.txt",
        plain(
            "Cortes en el puente",
            Some("9 de febrero de 2026, 19:45"),
            &[BRIDGE],
        ),
    );
    let (index, _) = scan_all(dir.path(), &config);
    let info = index.draft_info(&dated).expect("indexed");
    assert_eq!(info.headline.as_deref(), Some("Cortes en el puente"));
    assert_eq!(info.date_label(), "2026-02-09 19:45");
    assert!(Index::new().draft_info(&dated).is_none());
}

#[test]
fn a_paragraph_in_many_drafts_points_every_copy_at_the_oldest() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let closing = "Si tiene información sobre esta noticia, escriba a la redacción a través del \
formulario de contacto de nuestra página web.";
    let bodies = [PUERTO, MERCADO, LLUVIA, ESCUELA, TEATRO, BRIDGE];
    let paths: Vec<_> = (0..40)
        .map(|i| {
            let date = format!("{} de mayo de 2026, 10:{:02}", 1 + i / 10, i % 10);
            let text = plain(&format!("Nota {i}"), Some(&date), &[bodies[i % 6], closing]);
            write(dir.path(), &format!("n{i:02}.txt"), text)
        })
        .collect();
    let (index, _) = scan_all(dir.path(), &config);

    assert!(findings(&index, &paths[0], &config).is_empty());
    for path in &paths[1..] {
        let found = findings(&index, path, &config);
        let closing_copy = found.iter().find(|f| {
            f.similarity == Some(1.0) && f.related[0].path.as_deref() == Some(paths[0].as_path())
        });
        assert!(closing_copy.is_some(), "{}: {found:#?}", path.display());
    }
    assert_eq!(index.affected_by(&paths[0]).len(), 39);
}

#[test]
fn a_draft_without_headline_is_named_by_its_file() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    write(dir.path(), "sin-titulo.md", format!("{ESCUELA}\n"));
    set_mtime(&dir.path().join("sin-titulo.md"), 1_767_000_000);
    let copy = write(
        dir.path(),
        "copia.md",
        markdown("Comedores", "2030-01-01", &[ESCUELA]),
    );
    let (index, _) = scan_all(dir.path(), &config);
    let found = findings(&index, &copy, &config);
    assert!(
        found[0].related[0]
            .message
            .starts_with("also in sin-titulo.md (modified "),
        "{}",
        found[0].related[0].message
    );
}

#[test]
fn a_batch_index_finds_what_the_full_index_finds() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let bodies: [&[&str]; 6] = [
        &[PUERTO, MERCADO],
        &[LLUVIA, PUERTO],
        &[PUERTO_REWORDED, ESCUELA],
        &[TEATRO, MERCADO, BRIDGE],
        &[ESCUELA, TEATRO],
        &[BRIDGE],
    ];
    let paths: Vec<_> = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            let date = format!("{} de junio de 2026", i + 1);
            write(
                dir.path(),
                &format!("d{i}.txt"),
                plain(&format!("Nota {i}"), Some(&date), body),
            )
        })
        .collect();
    let (index, _) = scan_all(dir.path(), &config);
    let loaded: Vec<LoadedDraft> = paths
        .iter()
        .map(|p| LoadedDraft::new(p.clone(), &std::fs::read_to_string(p).unwrap(), &config))
        .collect();
    let batch = BatchIndex::new(loaded);
    assert_eq!(batch.len(), paths.len());
    let mut total = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let draft = galley::draft::read(&text, galley::draft::Format::Plain, &config.profile);
        let from_batch = batch.cross_draft_findings(path, &text, &draft, &config);
        assert_eq!(
            from_batch,
            findings(&index, path, &config),
            "{}",
            path.display()
        );
        total += from_batch.len();
    }
    assert_eq!(
        total, 6,
        "two exact copies, one near copy, three more exact copies"
    );
    assert_eq!(
        batch.draft_info(&paths[0]).and_then(|i| i.headline.clone()),
        Some("Nota 0".to_string())
    );
}
