//! `galley check --fix` and `--diff`: safe fixes written atomically and idempotently, with the
//! file's permissions, line endings and BOM kept; `--diff` shows without writing.

mod cli_support;

use std::fs;

use cli_support::{PARRAFO_A, PARRAFO_B, PARRAFO_C, folder, galley, plain_draft, stderr, stdout};

#[test]
fn fix_removes_duplicates_and_reports_what_remains() {
    let dir = folder(&[(
        "nota.txt",
        plain_draft(&[PARRAFO_A, PARRAFO_B, PARRAFO_A, PARRAFO_C], "\n").as_bytes(),
    )]);
    let output = galley()
        .current_dir(dir.path())
        .args(["check", "--fix"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("Fixed 1 problem in 1 file."),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("no problems found"));
    let fixed = fs::read_to_string(dir.path().join("nota.txt")).unwrap();
    assert_eq!(fixed, plain_draft(&[PARRAFO_A, PARRAFO_B, PARRAFO_C], "\n"));
}

#[test]
fn fix_keeps_crlf_and_bom() {
    let mut text = String::from("\u{feff}");
    text.push_str(&plain_draft(&[PARRAFO_A, PARRAFO_B, PARRAFO_B], "\r\n"));
    let dir = folder(&[("nota.txt", text.as_bytes())]);
    let output = galley()
        .current_dir(dir.path())
        .args(["check", "--fix", "nota.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let expected = format!("\u{feff}{}", plain_draft(&[PARRAFO_A, PARRAFO_B], "\r\n"));
    assert_eq!(
        fs::read_to_string(dir.path().join("nota.txt")).unwrap(),
        expected
    );
}

#[cfg(unix)]
#[test]
fn fix_writes_atomically_keeps_permissions_and_a_second_run_changes_nothing() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    let dir = folder(&[(
        "nota.txt",
        plain_draft(&[PARRAFO_A, PARRAFO_B, PARRAFO_A], "\n").as_bytes(),
    )]);
    let path = dir.path().join("nota.txt");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let inode_before = fs::metadata(&path).unwrap().ino();

    let first = galley()
        .current_dir(dir.path())
        .args(["check", "--fix"])
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", stdout(&first));
    let meta = fs::metadata(&path).unwrap();
    // A new inode: the draft was replaced by a rename, not rewritten in place.
    assert_ne!(meta.ino(), inode_before);
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["nota.txt"], "no temporary file is left behind");
    let after_first = fs::read(&path).unwrap();

    let second = galley()
        .current_dir(dir.path())
        .args(["check", "--fix"])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(0));
    assert!(!stdout(&second).contains("Fixed"), "{}", stdout(&second));
    assert_eq!(fs::read(&path).unwrap(), after_first);
    assert_eq!(
        fs::metadata(&path).unwrap().ino(),
        meta.ino(),
        "an unchanged draft is not rewritten"
    );
}

#[test]
fn fix_exits_one_when_unfixable_findings_remain() {
    let draft = "Progresista 50% Conservador 50%\nRobledo recupera su lavadero\nPublicado: 10 de marzo de 2026\n";
    let text = format!("{draft}{PARRAFO_A}\n{PARRAFO_A}\n");
    let dir = folder(&[("nota.txt", text.as_bytes())]);
    let output = galley()
        .current_dir(dir.path())
        .args(["check", "--fix"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.contains("Fixed 1 problem in 1 file."), "{out}");
    assert!(out.contains("missing-subtitle"), "{out}");
    assert!(!out.contains("duplicate-paragraph"), "{out}");
}

#[test]
fn fix_in_json_reports_fixed_counts_and_remaining_findings() {
    let dir = folder(&[(
        "nota.txt",
        plain_draft(&[PARRAFO_A, PARRAFO_A, PARRAFO_A], "\n").as_bytes(),
    )]);
    let output = galley()
        .current_dir(dir.path())
        .args(["check", "--fix", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["files"][0]["fixed"], 2);
    assert_eq!(json["files"][0]["findings"], serde_json::json!([]));
    assert_eq!(json["summary"]["fixed"], 2);
}

#[test]
fn diff_prints_the_fix_without_writing() {
    let original = plain_draft(&[PARRAFO_A, PARRAFO_B, PARRAFO_A], "\n");
    let dir = folder(&[("nota.txt", original.as_bytes())]);
    let output = galley()
        .current_dir(dir.path())
        .args(["check", "--diff"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.starts_with("--- nota.txt\n+++ nota.txt\n@@"), "{out}");
    assert!(out.contains(&format!("\n-{PARRAFO_A}\n")), "{out}");
    assert!(
        stderr(&output).contains("Would fix 1 problem in 1 file."),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("nota.txt")).unwrap(),
        original
    );
}

#[test]
fn diff_with_nothing_to_fix_says_so() {
    let dir = folder(&[(
        "nota.txt",
        plain_draft(&[PARRAFO_A, PARRAFO_B], "\n").as_bytes(),
    )]);
    let output = galley()
        .current_dir(dir.path())
        .args(["check", "--diff"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).is_empty());
    assert!(stderr(&output).contains("No safe fixes to apply."));
}
