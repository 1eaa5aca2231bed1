//! Keeping the workspace index current: edits and deletions change only what they touch, and
//! say which other drafts must be re-checked.

mod workspace_support;

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use galley::config::Config;
use galley::workspace::Index;
use tempfile::tempdir;
use workspace_support::*;

#[test]
fn adding_and_removing_a_shared_paragraph_makes_the_finding_appear_and_disappear() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let original = write(
        dir.path(),
        "original.txt",
        plain("Original", Some("1 de abril de 2026"), &[MERCADO, TEATRO]),
    );
    let edited = write(
        dir.path(),
        "editado.txt",
        plain("Editado", Some("3 de abril de 2026"), &[LLUVIA]),
    );
    let (mut index, _) = scan_all(dir.path(), &config);
    assert!(findings(&index, &edited, &config).is_empty());

    let with_copy = plain("Editado", Some("3 de abril de 2026"), &[LLUVIA, TEATRO]);
    fs::write(&edited, &with_copy).unwrap();
    let affected = index.upsert(&edited, &with_copy, &config);
    assert_eq!(affected, BTreeSet::from([original.clone()]));
    let found = findings(&index, &edited, &config);
    assert_eq!(found.len(), 1);
    assert_eq!(flagged(&with_copy, &found[0]), TEATRO);

    let without = plain("Editado", Some("3 de abril de 2026"), &[LLUVIA, ESCUELA]);
    fs::write(&edited, &without).unwrap();
    // The copy it had is gone: the original is affected through the old paragraphs.
    assert_eq!(
        index.upsert(&edited, &without, &config),
        BTreeSet::from([original.clone()])
    );
    assert!(findings(&index, &edited, &config).is_empty());
    assert!(index.affected_by(&edited).is_empty());
    assert!(index.affected_by(&original).is_empty());
}

#[test]
fn editing_the_original_away_clears_the_copy() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let original = write(
        dir.path(),
        "a.txt",
        plain("Uno", Some("1 de abril de 2026"), &[ESCUELA]),
    );
    let copy = write(
        dir.path(),
        "b.txt",
        plain("Dos", Some("2 de abril de 2026"), &[ESCUELA]),
    );
    let (mut index, _) = scan_all(dir.path(), &config);
    assert_eq!(findings(&index, &copy, &config).len(), 1);

    let rewritten = plain("Uno", Some("1 de abril de 2026"), &[BRIDGE]);
    assert_eq!(
        index.upsert(&original, &rewritten, &config),
        BTreeSet::from([copy.clone()])
    );
    assert!(findings(&index, &copy, &config).is_empty());
}

#[test]
fn a_deleted_draft_is_no_longer_an_original() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let original = write(
        dir.path(),
        "a.txt",
        plain("Uno", Some("1 de abril de 2026"), &[PUERTO]),
    );
    let copy = write(
        dir.path(),
        "b.txt",
        plain("Dos", Some("2 de abril de 2026"), &[PUERTO]),
    );
    let (mut index, _) = scan_all(dir.path(), &config);
    assert_eq!(index.affected_by(&original), BTreeSet::from([copy.clone()]));

    fs::remove_file(&original).unwrap();
    assert_eq!(index.remove(&original), BTreeSet::from([copy.clone()]));
    assert!(!index.contains(&original));
    assert_eq!(index.len(), 1);
    assert!(findings(&index, &copy, &config).is_empty());
    assert!(
        index.remove(&original).is_empty(),
        "removing twice is harmless"
    );
}

#[test]
fn a_new_publication_date_changes_which_copy_is_flagged() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let a = write(
        dir.path(),
        "a.txt",
        plain("Uno", Some("1 de abril de 2026"), &[LLUVIA]),
    );
    let b = write(
        dir.path(),
        "b.txt",
        plain("Dos", Some("2 de abril de 2026"), &[LLUVIA]),
    );
    let (mut index, _) = scan_all(dir.path(), &config);
    assert!(findings(&index, &a, &config).is_empty());

    let redated = plain("Uno", Some("5 de abril de 2026"), &[LLUVIA]);
    fs::write(&a, &redated).unwrap();
    assert_eq!(
        index.upsert(&a, &redated, &config),
        BTreeSet::from([b.clone()])
    );
    assert_eq!(findings(&index, &a, &config).len(), 1);
    assert!(findings(&index, &b, &config).is_empty());
}

#[test]
fn affected_drafts_are_those_sharing_paragraphs_not_the_rest() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let hub = write(
        dir.path(),
        "hub.txt",
        plain("Centro", Some("1 de abril de 2026"), &[PUERTO, MERCADO]),
    );
    let exact = write(
        dir.path(),
        "exacta.txt",
        plain("Exacta", Some("2 de abril de 2026"), &[MERCADO]),
    );
    let near = write(
        dir.path(),
        "casi.txt",
        plain("Casi", Some("3 de abril de 2026"), &[PUERTO_REWORDED]),
    );
    write(
        dir.path(),
        "ajena.txt",
        plain("Ajena", Some("4 de abril de 2026"), &[BRIDGE, TEATRO]),
    );
    let (index, _) = scan_all(dir.path(), &config);
    let expected: BTreeSet<PathBuf> = [exact, near].into();
    assert_eq!(index.affected_by(&hub), expected);
}

#[test]
fn repeated_updates_leave_no_stale_postings_behind() {
    let dir = tempdir().unwrap();
    let config = Config::default();
    let mut index = Index::new();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    for round in 0..20 {
        let body: &[&str] = if round % 2 == 0 {
            &[PUERTO, MERCADO]
        } else {
            &[LLUVIA]
        };
        index.upsert(&a, &plain("Uno", Some("1 de abril de 2026"), body), &config);
    }
    assert_eq!(index.len(), 1);
    // `a` last held only LLUVIA: a draft with the paragraphs it dropped matches nothing.
    let text = plain("Dos", Some("2 de abril de 2026"), &[PUERTO, MERCADO]);
    index.upsert(&b, &text, &config);
    assert!(index.affected_by(&b).is_empty());
    assert!(findings_for_text(&index, &b, &text, &config).is_empty());
    // Slots freed by removal are reused without mixing drafts up.
    index.remove(&a);
    let c = dir.path().join("c.txt");
    index.upsert(
        &c,
        &plain("Tres", Some("3 de abril de 2026"), &[MERCADO]),
        &config,
    );
    assert_eq!(index.affected_by(&b), BTreeSet::from([c.clone()]));
    assert_eq!(index.paths(), vec![b.as_path(), c.as_path()]);
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Index>();
}
