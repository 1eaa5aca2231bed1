//! End-to-end tests of the built binary: `galley lsp` over real stdio framing, driven the way an
//! editor drives it — lifecycle, incremental edits, pull diagnostics, code actions applied and
//! re-checked, configuration reloads, and the exit code.

mod lsp_support;

use std::cell::{Cell, RefCell};
use std::fs;
use std::process::Command;
use std::time::Duration;

use proptest::prelude::*;
use serde_json::{Value, json};

use lsp_support::{Lsp, apply_edits, file_uri, position, pull_client, push_client};

const DRAFT: &str = "Progresista 30% Conservador 70%
Vecinos de Triana denuncian cortes de agua 💧 durante la ola de calor
El ayuntamiento atribuye las averías a una tubería centenaria que se rompió el lunes
Publicado: 21 de julio de 2026, 18:40
Los vecinos de la calle Pureza llevan tres días sin agua corriente y compran garrafas en el supermercado del barrio.
La empresa municipal asegura que los técnicos trabajan por turnos para sustituir el tramo dañado antes del viernes.
Los vecinos de la calle Pureza llevan tres días sin agua corriente y compran garrafas en el supermercado del barrio.
Una vecina de noventa años contó que sus nietos le suben cada mañana cuatro garrafas hasta el tercer piso 👵.
";

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn workspace() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

fn change(lsp: &mut Lsp, uri: &str, version: i32, changes: Value) {
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
    );
}

#[test]
fn open_edit_and_clean_shutdown_exit_zero() {
    let dir = workspace();
    let mut lsp = Lsp::spawn(dir.path());
    let init = lsp.initialize(push_client(), Value::Null);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let uri = file_uri(&dir.path().join("agua.txt"));
    lsp.open(&uri, "plaintext", 1, DRAFT);
    assert_eq!(codes(&lsp.diagnostics(&uri, 1)), ["duplicate-paragraph"]);

    // Delete the pasted copy (line 6 and its line break), as an editor sends it.
    let edit = json!([{"range": {"start": {"line": 6, "character": 0}, "end": {"line": 7, "character": 0}}, "text": ""}]);
    change(&mut lsp, &uri, 2, edit);
    assert!(lsp.diagnostics(&uri, 2).is_empty());

    // Paste it back at the end, in two keystroke-sized pieces.
    let copy = DRAFT.lines().nth(4).unwrap();
    let (a, b) = copy.split_at(copy.find("tres").unwrap());
    change(
        &mut lsp,
        &uri,
        3,
        json!([{"range": {"start": {"line": 7, "character": 0}, "end": {"line": 7, "character": 0}}, "text": a}]),
    );
    let at = a.encode_utf16().count() as u32;
    change(
        &mut lsp,
        &uri,
        4,
        json!([{"range": {"start": {"line": 7, "character": at}, "end": {"line": 7, "character": at}}, "text": format!("{b}\n")}]),
    );
    let diagnostics = lsp.diagnostics(&uri, 4);
    assert_eq!(codes(&diagnostics), ["duplicate-paragraph"]);
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 7);

    lsp.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let cleared = lsp.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"] == json!([])
            && m["params"].get("version").is_none()
    });
    assert_eq!(cleared["params"]["uri"], uri);
    assert!(lsp.shutdown().success());
}

#[test]
fn exit_without_shutdown_is_a_failure_exit() {
    let dir = workspace();
    let mut lsp = Lsp::spawn(dir.path());
    lsp.initialize(push_client(), Value::Null);
    lsp.notify("exit", Value::Null);
    let status = lsp.wait_exit();
    assert!(!status.success(), "{status:?}");
}

#[test]
fn a_closed_stdin_ends_the_server() {
    let dir = workspace();
    let mut lsp = Lsp::spawn(dir.path());
    lsp.initialize(push_client(), Value::Null);
    lsp.close_stdin();
    assert!(!lsp.wait_exit().success());
}

#[test]
fn exits_when_the_client_process_dies() {
    let dir = workspace();
    let mut client = Command::new("sleep")
        .arg("60")
        .spawn()
        .expect("a stand-in client process");
    let mut lsp = Lsp::spawn(dir.path());
    let response = lsp.request(
        "initialize",
        json!({"processId": client.id(), "capabilities": {}}),
    );
    assert!(response.get("result").is_some());
    lsp.notify("initialized", json!({}));
    client.kill().unwrap();
    client.wait().unwrap();
    let status = lsp.wait_exit();
    assert!(!status.success());
}

#[test]
fn pull_diagnostics_answer_unchanged_until_an_edit() {
    let dir = workspace();
    let mut lsp = Lsp::spawn(dir.path());
    let init = lsp.initialize(pull_client(), Value::Null);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["identifier"],
        "galley"
    );
    let uri = file_uri(&dir.path().join("agua.txt"));
    lsp.open(&uri, "plaintext", 1, DRAFT);
    let full = lsp.pull(&uri, None);
    assert_eq!(full["kind"], "full");
    assert_eq!(
        codes(full["items"].as_array().unwrap()),
        ["duplicate-paragraph"]
    );
    // UTF-8 columns: the copy's line ends after its bytes.
    let line = DRAFT.lines().nth(6).unwrap();
    assert_eq!(full["items"][0]["range"]["end"]["character"], line.len());
    let id = full["resultId"].as_str().unwrap().to_string();
    assert_eq!(lsp.pull(&uri, Some(&id))["kind"], "unchanged");
    change(
        &mut lsp,
        &uri,
        2,
        json!([{"range": {"start": {"line": 0, "character": 12}, "end": {"line": 0, "character": 14}}, "text": "45"}]),
    );
    let after = lsp.pull(&uri, Some(&id));
    assert_eq!(after["kind"], "full");
    assert_eq!(
        codes(after["items"].as_array().unwrap()),
        ["invalid-leaning", "duplicate-paragraph"]
    );
    // Pull clients get no pushed diagnostics.
    assert!(
        !lsp.drain()
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics")
    );
    assert!(lsp.shutdown().success());
}

#[test]
fn quick_fixes_and_fix_all_apply_and_recheck_clean() {
    let dir = workspace();
    let mut lsp = Lsp::spawn(dir.path());
    lsp.initialize(push_client(), Value::Null);
    let uri = file_uri(&dir.path().join("agua.txt"));
    let text = DRAFT.replace("Conservador 70%", "Conservador 75%");
    lsp.open(&uri, "plaintext", 1, &text);
    let diagnostics = lsp.diagnostics(&uri, 1);
    assert_eq!(
        codes(&diagnostics),
        ["invalid-leaning", "duplicate-paragraph"]
    );

    // The leaning quick fix, applied the way the editor applies a WorkspaceEdit.
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostics[0]["range"], "context": {"diagnostics": [diagnostics[0]], "only": ["quickfix"]}}),
    );
    let action = &actions["result"][0];
    assert_eq!(action["title"], "Set Conservador to 70%");
    let doc_edit = &action["edit"]["documentChanges"][0];
    assert_eq!(doc_edit["textDocument"]["version"], 1);
    let edits = doc_edit["edits"].as_array().unwrap().clone();
    let text = apply_edits(&text, &edits, false);
    change(
        &mut lsp,
        &uri,
        2,
        Value::Array(
            edits
                .iter()
                .map(|e| json!({"range": e["range"], "text": e["newText"]}))
                .collect(),
        ),
    );
    assert_eq!(codes(&lsp.diagnostics(&uri, 2)), ["duplicate-paragraph"]);

    // Fix all: one edit; the result re-checks clean and matches `galley check --fix` semantics.
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let fix_all = &actions["result"][0];
    assert_eq!(fix_all["kind"], "source.fixAll.galley");
    let edits = fix_all["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(edits.len(), 1);
    let fixed = apply_edits(&text, &edits, false);
    let mut lines: Vec<&str> = DRAFT.lines().collect();
    lines.remove(6);
    assert_eq!(fixed, lines.join("\n") + "\n");
    change(
        &mut lsp,
        &uri,
        3,
        json!([{"range": edits[0]["range"], "text": edits[0]["newText"]}]),
    );
    assert!(lsp.diagnostics(&uri, 3).is_empty());
    assert!(lsp.shutdown().success());
}

#[test]
fn galley_toml_changes_are_picked_up_and_a_broken_one_keeps_the_last_good() {
    let dir = workspace();
    let toml = dir.path().join("galley.toml");
    fs::write(&toml, "[rules]\nduplicate-paragraph = \"off\"\n").unwrap();
    let mut lsp = Lsp::spawn(dir.path());
    let capabilities =
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    lsp.initialize(capabilities, Value::Null);
    let registration = lsp.wait_for(|m| m["method"] == "client/registerCapability");
    assert_eq!(
        registration["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    let uri = file_uri(&dir.path().join("agua.txt"));
    lsp.open(&uri, "plaintext", 1, DRAFT);
    assert!(lsp.diagnostics(&uri, 1).is_empty());

    lsp.forget_diagnostics();
    fs::write(&toml, "[rules]\nduplicate-paragraph = \"error\"\n").unwrap();
    let watched = json!({"changes": [{"uri": file_uri(&toml), "type": 2}]});
    lsp.notify("workspace/didChangeWatchedFiles", watched.clone());
    let diagnostics = lsp.diagnostics(&uri, 1);
    assert_eq!(codes(&diagnostics), ["duplicate-paragraph"]);
    assert_eq!(diagnostics[0]["severity"], 1);

    lsp.forget_diagnostics();
    fs::write(&toml, "[rules]\nduplicate-paragraph = \"loud\"\n").unwrap();
    lsp.notify("workspace/didChangeWatchedFiles", watched.clone());
    let message = lsp.wait_for(|m| m["method"] == "window/showMessage");
    assert_eq!(message["params"]["type"], 1);
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .contains("loud"),
        "{message}"
    );
    let toml_uri = file_uri(&toml);
    let on_toml = lsp.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == toml_uri
    });
    let broken = &on_toml["params"]["diagnostics"][0];
    assert_eq!(
        broken["range"]["start"],
        json!({"line": 1, "character": 22})
    );
    assert_eq!(
        lsp.diagnostics(&uri, 1)[0]["severity"],
        1,
        "the last good config stays"
    );

    fs::write(&toml, "[rules]\nduplicate-paragraph = \"hint\"\n").unwrap();
    lsp.notify("workspace/didChangeWatchedFiles", watched);
    let cleared = lsp.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == toml_uri
            && m["params"]["diagnostics"] == json!([])
    });
    assert_eq!(cleared["params"]["uri"], toml_uri);
    assert_eq!(lsp.diagnostics(&uri, 1)[0]["severity"], 4);

    lsp.forget_diagnostics();
    fs::remove_file(&toml).unwrap();
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": toml_uri, "type": 3}]}),
    );
    // Back to the defaults (a rescan started by the previous change may re-publish first).
    let defaults =
        lsp.diagnostics_until(&uri, 1, |d| d.first().is_some_and(|d| d["severity"] == 2));
    assert_eq!(codes(&defaults), ["duplicate-paragraph"]);
    assert!(lsp.shutdown().success());
}

#[test]
fn editor_settings_are_pulled_and_reloaded() {
    let dir = workspace();
    let mut lsp = Lsp::spawn(dir.path());
    lsp.settings = json!({"rules": {"duplicate-paragraph": "off"}});
    let capabilities = json!({"workspace": {"configuration": true}});
    lsp.initialize(capabilities, Value::Null);
    let uri = file_uri(&dir.path().join("agua.txt"));
    lsp.wait_for(|m| m["method"] == "workspace/configuration");
    lsp.open(&uri, "plaintext", 1, DRAFT);
    assert!(lsp.diagnostics(&uri, 1).is_empty());

    lsp.forget_diagnostics();
    lsp.settings = json!({"rules": {"duplicate-paragraph": "info"}, "nearDuplicateThreshold": 7});
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let warning = lsp.wait_for(|m| m["method"] == "window/showMessage");
    assert!(
        warning["params"]["message"]
            .as_str()
            .unwrap()
            .contains("nearDuplicateThreshold")
    );
    // The initial scan ending may re-publish the old result first.
    let reloaded = lsp.diagnostics_until(&uri, 1, |d| !d.is_empty());
    assert_eq!(reloaded[0]["severity"], 3);
    assert!(lsp.shutdown().success());
}

#[test]
fn utf8_edits_after_accents_and_emoji_land_exactly() {
    let dir = workspace();
    let mut lsp = Lsp::spawn(dir.path());
    lsp.initialize(
        json!({"general": {"positionEncodings": ["utf-8"]}}),
        Value::Null,
    );
    let uri = file_uri(&dir.path().join("agua.txt"));
    lsp.open(&uri, "plaintext", 1, DRAFT);
    lsp.diagnostics(&uri, 1);
    // Replace "💧" (4 bytes in UTF-8) on line 1 with "🌊".
    let line = DRAFT.lines().nth(1).unwrap();
    let at = line.find('💧').unwrap() as u32;
    change(
        &mut lsp,
        &uri,
        2,
        json!([{"range": {"start": {"line": 1, "character": at}, "end": {"line": 1, "character": at + 4}}, "text": "🌊"}]),
    );
    lsp.diagnostics(&uri, 2);
    let symbols = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(symbols["result"][1]["name"], line.replace('💧', "🌊"));
    assert!(lsp.shutdown().success());
}

/// One edit: replace the text between two character offsets.
#[derive(Debug, Clone)]
struct RandomEdit {
    start: usize,
    len: usize,
    text: String,
}

fn edit_strategy() -> impl Strategy<Value = RandomEdit> {
    let pieces = prop::sample::select(vec![
        "",
        "a",
        "ñ",
        "é",
        "😀",
        "\n",
        "\r\n",
        " ",
        "vecinos ",
        "El agua volvió ",
        "Los vecinos de la calle Pureza llevan tres días sin agua corriente y compran garrafas en el supermercado del barrio.\n",
    ]);
    (
        0usize..2000,
        0usize..40,
        prop::collection::vec(pieces, 0..3),
    )
        .prop_map(|(start, len, parts)| RandomEdit {
            start,
            len,
            text: parts.concat(),
        })
}

/// Moves a byte offset to a character boundary that an LSP position can name (not inside a
/// CRLF pair).
fn nameable(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    if offset > 0
        && text.as_bytes()[offset - 1] == b'\r'
        && text.as_bytes().get(offset) == Some(&b'\n')
    {
        offset -= 1;
    }
    offset
}

fn without_data(items: &Value) -> Vec<Value> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let mut d = d.clone();
            d.as_object_mut().unwrap().remove("data");
            if let Some(related) = d
                .get_mut("relatedInformation")
                .and_then(Value::as_array_mut)
            {
                for r in related {
                    r["location"]["uri"] = Value::Null;
                }
            }
            d
        })
        .collect()
}

#[test]
fn random_ranged_edits_give_the_same_diagnostics_as_a_fresh_open() {
    let dir = workspace();
    // The proptest body is an `Fn`: one server serves every case through a `RefCell`.
    let lsp = RefCell::new(Lsp::spawn(dir.path()));
    let capabilities =
        json!({"general": {"positionEncodings": ["utf-16"]}, "textDocument": {"diagnostic": {}}});
    // Both documents hold the same text: only their own findings are compared.
    let options = json!({"rules": {"cross-draft-duplicate": "off"}});
    lsp.borrow_mut().initialize(capabilities, options);
    let case = Cell::new(0);
    let config = ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(edits in prop::collection::vec(edit_strategy(), 1..8))| {
        let mut lsp = lsp.borrow_mut();
        case.set(case.get() + 1);
        let uri = file_uri(&dir.path().join(format!("caso-{}.txt", case.get())));
        let fresh = file_uri(&dir.path().join(format!("fresco-{}.txt", case.get())));
        let mut text = DRAFT.to_string();
        lsp.open(&uri, "plaintext", 1, &text);
        for (i, edit) in edits.iter().enumerate() {
            let start = nameable(&text, edit.start);
            let end = nameable(&text, start + edit.len);
            let range = json!({"start": position(&text, start), "end": position(&text, end)});
            text.replace_range(start..end, &edit.text);
            change(&mut lsp, &uri, i as i32 + 2, json!([{"range": range, "text": edit.text}]));
        }
        lsp.open(&fresh, "plaintext", 1, &text);
        let edited = lsp.pull(&uri, None);
        let opened = lsp.pull(&fresh, None);
        prop_assert_eq!(without_data(&edited["items"]), without_data(&opened["items"]), "text: {:?}", text);
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": fresh}}));
    });
    assert!(lsp.into_inner().shutdown().success());
}

#[test]
fn typing_quickly_publishes_only_the_latest_version() {
    let dir = workspace();
    let mut lsp = Lsp::spawn(dir.path());
    lsp.initialize(push_client(), Value::Null);
    let uri = file_uri(&dir.path().join("agua.txt"));
    lsp.open(&uri, "plaintext", 1, DRAFT);
    lsp.diagnostics(&uri, 1);
    let line = DRAFT.lines().count() as u32;
    for (i, ch) in "Nueva línea escrita deprisa ✍️".chars().enumerate() {
        let col = "Nueva línea escrita deprisa ✍️"
            .chars()
            .take(i)
            .map(char::len_utf16)
            .sum::<usize>() as u32;
        let pos = json!({"line": line, "character": col});
        change(
            &mut lsp,
            &uri,
            i as i32 + 2,
            json!([{"range": {"start": pos, "end": pos}, "text": ch.to_string()}]),
        );
    }
    let last = "Nueva línea escrita deprisa ✍️".chars().count() as i32 + 1;
    lsp.diagnostics(&uri, last);
    std::thread::sleep(Duration::from_millis(300));
    // Whatever else was published came before the last version, in order, and nothing after:
    // an older result never overwrites a newer one.
    let published: Vec<i64> = lsp
        .drain()
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .filter_map(|m| m["params"]["version"].as_i64())
        .collect();
    assert!(
        published.windows(2).all(|w| w[0] < w[1]) && published.iter().all(|&v| v < last as i64),
        "{published:?}"
    );
    assert!(published.len() < 5, "debounced: {published:?}");
    assert!(lsp.shutdown().success());
}
