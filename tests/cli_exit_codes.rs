//! Exit codes and error reporting of `galley check`: 0 when nothing at warning level or above
//! remains, 1 when something does, 2 on usage, config and I/O errors.

mod cli_support;

use cli_support::{PARRAFO_A, PARRAFO_B, PARRAFO_C, folder, galley, plain_draft, stderr, stdout};

#[test]
fn clean_draft_exits_zero() {
    let dir = folder(&[(
        "limpio.txt",
        plain_draft(&[PARRAFO_A, PARRAFO_B], "\n").as_bytes(),
    )]);
    let output = galley().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("Checked 1 file: no problems found."));
}

#[test]
fn duplicate_paragraph_exits_one() {
    let dir = folder(&[(
        "nota.txt",
        plain_draft(&[PARRAFO_A, PARRAFO_B, PARRAFO_A], "\n").as_bytes(),
    )]);
    let output = galley().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains(":7:1: warning[duplicate-paragraph]"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn findings_below_warning_level_exit_zero() {
    let config = "[rules]\nduplicate-paragraph = \"info\"\n";
    let draft = plain_draft(&[PARRAFO_A, PARRAFO_B, PARRAFO_A], "\n");
    let dir = folder(&[
        ("galley.toml", config.as_bytes()),
        ("nota.txt", draft.as_bytes()),
    ]);
    let output = galley().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("info[duplicate-paragraph]"));
}

#[test]
fn rule_turned_off_is_not_reported() {
    let config = "[rules]\nduplicate-paragraph = \"off\"\n";
    let draft = plain_draft(&[PARRAFO_A, PARRAFO_B, PARRAFO_A], "\n");
    let dir = folder(&[
        ("galley.toml", config.as_bytes()),
        ("nota.txt", draft.as_bytes()),
    ]);
    let output = galley().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(!stdout(&output).contains("duplicate-paragraph"));
}

#[test]
fn bad_config_exits_two_naming_file_line_and_key() {
    let config = "min-paragraph-words = 8\n\n[rules]\nduplicated-paragraph = \"off\"\n";
    let dir = folder(&[
        ("sub/galley.toml", config.as_bytes()),
        ("sub/nota.txt", plain_draft(&[PARRAFO_A], "\n").as_bytes()),
    ]);
    let output = galley()
        .current_dir(dir.path())
        .args(["check", "sub"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    let expected = "error: sub/galley.toml:4:1: `rules.duplicated-paragraph`: unknown rule code";
    assert!(err.contains(expected), "{err}");
}

#[test]
fn explicit_bad_config_stops_the_run() {
    let dir = folder(&[
        ("ajustes.toml", b"near-duplicate-threshold = 2\n"),
        ("nota.txt", plain_draft(&[PARRAFO_A], "\n").as_bytes()),
    ]);
    let output = galley()
        .current_dir(dir.path())
        .args(["check", "--config", "ajustes.toml", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("ajustes.toml:1:28: `near-duplicate-threshold`: must be"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).is_empty());
}

#[test]
fn unknown_option_is_a_usage_error() {
    let output = galley().args(["check", "--colour"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn diff_with_json_is_a_usage_error() {
    let output = galley()
        .args(["check", "--diff", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--diff"));
}

#[test]
fn missing_path_exits_two_and_still_checks_the_rest() {
    let dir = folder(&[(
        "nota.txt",
        plain_draft(&[PARRAFO_A, PARRAFO_A], "\n").as_bytes(),
    )]);
    let output = galley()
        .current_dir(dir.path())
        .args(["check", "no-existe.txt", "nota.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("error: no-existe.txt: cannot read"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("nota.txt:6:1: warning[duplicate-paragraph]"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn non_utf8_file_is_reported_and_skipped_while_the_rest_is_checked() {
    let mut latin1 = plain_draft(&[PARRAFO_A], "\n").into_bytes();
    latin1.extend_from_slice(b"Ma\xf1ana habr\xe1 m\xe1s.\n");
    let dir = folder(&[
        ("a-latin1.txt", &latin1),
        (
            "b-nota.txt",
            plain_draft(&[PARRAFO_B, PARRAFO_C, PARRAFO_B], "\n").as_bytes(),
        ),
    ]);
    let output = galley()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let offset = latin1.iter().position(|&b| b == 0xf1).unwrap();
    let expected =
        format!("error: a-latin1.txt: not valid UTF-8 (invalid byte at offset {offset}); skipped");
    assert!(stderr(&output).contains(&expected), "{}", stderr(&output));
    assert!(stdout(&output).contains("b-nota.txt:7:1: warning[duplicate-paragraph]"));
    assert!(
        stdout(&output).contains("in 1 of 1 file."),
        "{}",
        stdout(&output)
    );

    let output = galley()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["errors"][0]["path"], "a-latin1.txt");
    assert_eq!(json["files"][0]["path"], "b-nota.txt");
    assert_eq!(json["summary"]["errors"], 1);
    assert!(stderr(&output).contains("a-latin1.txt"));
}

#[test]
fn repository_documents_are_skipped_in_folders_but_checked_when_named() {
    let dir = folder(&[(
        "README.md",
        b"# Notas\n\nSolo un texto de ayuda para la redaccion del diario.\n",
    )]);
    let output = galley()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).contains("Checked 0 files"),
        "{}",
        stdout(&output)
    );

    let output = galley()
        .current_dir(dir.path())
        .args(["check", "README.md"])
        .output()
        .unwrap();
    assert!(
        stdout(&output).contains("README.md:"),
        "{}",
        stdout(&output)
    );
}
