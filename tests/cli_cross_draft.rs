//! `galley check DIR` over several drafts: a paragraph copied from an earlier story is reported
//! on the later one, pointing at the original's file, line and column, in the human report and
//! in JSON; `galley.toml` can turn the rule off.

mod cli_support;

use cli_support::{PARRAFO_A, PARRAFO_B, PARRAFO_C, folder, galley, stdout};

/// A draft published on `date` (the part after `Publicado: `) with `body` paragraphs.
fn draft(headline: &str, date: &str, body: &[&str]) -> Vec<u8> {
    let mut text = format!(
        "Progresista 50% Conservador 50%\n{headline}\nUna entradilla que resume la pieza.\nPublicado: {date}\n"
    );
    for paragraph in body {
        text.push_str(paragraph);
        text.push('\n');
    }
    text.into_bytes()
}

/// The earlier story holds A and B; the later one (in another folder) copies B after C.
fn newsroom() -> tempfile::TempDir {
    folder(&[
        (
            "marzo/lavadero.txt",
            &draft(
                "Robledo recupera su lavadero",
                "10 de marzo de 2026, 08:00",
                &[PARRAFO_A, PARRAFO_B],
            ),
        ),
        (
            "abril/obras.txt",
            &draft(
                "Empiezan las obras del lavadero",
                "2 de abril de 2026, 09:15",
                &[PARRAFO_C, PARRAFO_B],
            ),
        ),
    ])
}

#[test]
fn human_report_names_the_original_file_line_and_column() {
    let dir = newsroom();
    let output = galley()
        .current_dir(dir.path())
        .args(["check", ".", "--no-progress"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    assert!(
        report.contains("abril/obras.txt:6:1: warning[cross-draft-duplicate] Paragraph also stands in “Robledo recupera su lavadero” (2026-03-10 08:00)"),
        "{report}"
    );
    assert!(
        report.contains("= note: marzo/lavadero.txt:6:1: also in “Robledo recupera su lavadero”"),
        "{report}"
    );
    assert!(report.contains("= help: Remove paragraph"), "{report}");
    assert!(
        !report.contains("marzo/lavadero.txt:6:1: warning"),
        "the original is not flagged: {report}"
    );
    assert!(
        report.contains("Found 1 problem (1 warning) in 1 of 2 files."),
        "{report}"
    );
}

#[test]
fn json_report_gives_the_related_path_and_position() {
    let dir = newsroom();
    let output = galley()
        .current_dir(dir.path())
        .args(["check", ".", "--no-progress", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let files = json["files"].as_array().unwrap();
    let later = files
        .iter()
        .find(|f| f["path"] == "abril/obras.txt")
        .expect("the later story is reported");
    let finding = &later["findings"][0];
    assert_eq!(finding["code"], "cross-draft-duplicate");
    assert_eq!(finding["line"], 6);
    assert_eq!(finding["similarity"], 1.0);
    let related = &finding["related"][0];
    assert_eq!(related["path"], "marzo/lavadero.txt");
    assert_eq!(related["line"], 6);
    assert_eq!(related["column"], 1);
    assert_eq!(related["end_line"], 6);
    assert_eq!(
        related["end_column"].as_u64(),
        Some(PARRAFO_B.chars().count() as u64 + 1)
    );
    let earlier = files
        .iter()
        .find(|f| f["path"] == "marzo/lavadero.txt")
        .unwrap();
    assert_eq!(earlier["findings"], serde_json::json!([]));
}

#[test]
fn galley_toml_turns_the_rule_off() {
    let dir = newsroom();
    std::fs::write(
        dir.path().join("galley.toml"),
        "[rules]\ncross-draft-duplicate = \"off\"\n",
    )
    .unwrap();
    let output = galley()
        .current_dir(dir.path())
        .args(["check", ".", "--no-progress"])
        .output()
        .unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn files_named_one_by_one_are_compared_too() {
    let dir = newsroom();
    let output = galley()
        .current_dir(dir.path())
        .args([
            "check",
            "abril/obras.txt",
            "marzo/lavadero.txt",
            "--no-progress",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("abril/obras.txt:6:1: warning[cross-draft-duplicate]"),
        "{}",
        stdout(&output)
    );
}
