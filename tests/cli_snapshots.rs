//! Snapshots of `galley check examples/drafts`: the human report (without colour) and the JSON
//! document. Run from the repository root so paths are stable.

mod cli_support;

use cli_support::{galley, stdout};

fn check_examples(extra: &[&str]) -> std::process::Output {
    galley()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "examples/drafts", "--no-progress"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn human_report_on_the_examples() {
    let output = check_examples(&[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn json_report_on_the_examples() {
    let output = check_examples(&["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    // A missing-date fix inserts the current date and time: the only part that changes per run.
    let dates = regex::Regex::new(r"(\d{1,2} de [a-z]+ de \d{4}, \d{2}:\d{2}|[A-Z][a-z]+ \d{1,2}, \d{4}, \d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2})")
        .unwrap();
    let text = stdout(&output);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut json = json;
    redact_inserted_dates(&mut json, &dates);
    insta::assert_json_snapshot!(json);
}

/// Replaces dates only inside fix replacements, so dates quoted in messages stay visible.
fn redact_inserted_dates(json: &mut serde_json::Value, dates: &regex::Regex) {
    let Some(files) = json["files"].as_array_mut() else {
        return;
    };
    for finding in files
        .iter_mut()
        .flat_map(|f| f["findings"].as_array_mut().into_iter().flatten())
    {
        for fix in finding["fixes"].as_array_mut().into_iter().flatten() {
            for edit in fix["edits"].as_array_mut().into_iter().flatten() {
                if let Some(text) = edit["replacement"].as_str() {
                    edit["replacement"] = dates.replace_all(text, "[now]").into_owned().into();
                }
            }
        }
    }
}
