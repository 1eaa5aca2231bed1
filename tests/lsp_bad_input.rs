//! Bad input to the built `galley lsp`: malformed frames, unknown methods, params of the wrong
//! shape, edits to unknown documents, ranges far out of bounds, a 50 MB document, files on disk
//! that are not UTF-8. Each time the server answers (a JSON-RPC error) or logs, and keeps
//! serving.

mod lsp_support;

use std::fs;
use std::time::Duration;

use serde_json::{Value, json};

use lsp_support::{Lsp, file_uri, pull_client, push_client};

const DRAFT: &str = "Progresista 50% Conservador 50%
Cierra la última librería del centro tras 80 años 📚
Los dueños se jubilan y nadie ha querido quedarse con el negocio familiar
Publicado: 2 de febrero de 2026, 10:00
La librería abrió en 1946 en un local alquilado frente al mercado y llegó a tener seis empleados en los años ochenta.
Sus clientes más fieles organizaron una despedida con lecturas en voz alta durante toda la tarde del sábado.
La librería abrió en 1946 en un local alquilado frente al mercado y llegó a tener seis empleados en los años ochenta.
";

fn started(client: Value) -> (tempfile::TempDir, Lsp) {
    let dir = tempfile::tempdir().unwrap();
    let mut lsp = Lsp::spawn(dir.path());
    lsp.initialize(client, Value::Null);
    (dir, lsp)
}

/// The server still answers a request and still analyses a document.
fn still_serving(lsp: &mut Lsp, dir: &std::path::Path, name: &str) {
    let uri = file_uri(&dir.join(name));
    lsp.open(&uri, "plaintext", 1, DRAFT);
    let codes: Vec<Value> = lsp
        .diagnostics(&uri, 1)
        .iter()
        .map(|d| d["code"].clone())
        .collect();
    // A draft open before with the same paragraphs makes them cross-draft copies too.
    assert!(codes.contains(&json!("duplicate-paragraph")), "{codes:?}");
    assert!(
        codes
            .iter()
            .all(|c| c == "duplicate-paragraph" || c == "cross-draft-duplicate"),
        "{codes:?}"
    );
}

fn error_code(response: &Value) -> i64 {
    response["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("not an error: {response}"))
}

#[test]
fn malformed_frames_are_answered_and_the_session_goes_on() {
    let (dir, mut lsp) = started(push_client());
    let cases: [(&[u8], i64); 6] = [
        (b"Content-Length: 9\r\n\r\n{not json", -32700),
        (b"Content-Length: 2\r\n\r\n[]", -32600),
        (b"Content-Length: 2\r\n\r\n42", -32600),
        (b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc", -32700),
        (b"Content-Length: banana\r\n\r\n", -32700),
        (
            b"Content-Length: 2\r\nContent-Type: application/json; charset=latin1\r\n\r\n{}",
            -32700,
        ),
    ];
    for (frame, code) in cases {
        lsp.send_raw(frame);
        let response = lsp.wait_for(|m| m.get("error").is_some() && m["id"].is_null());
        assert_eq!(
            error_code(&response),
            code,
            "{}",
            String::from_utf8_lossy(frame)
        );
    }
    let batch = br#"[{"jsonrpc":"2.0","id":5,"method":"shutdown"}]"#;
    lsp.send_raw(format!("Content-Length: {}\r\n\r\n", batch.len()).as_bytes());
    lsp.send_raw(batch);
    assert_eq!(
        error_code(&lsp.wait_for(|m| m.get("error").is_some() && m["id"].is_null())),
        -32600
    );
    let invalid = br#"{"jsonrpc":"1.0","id":77,"method":"initialize"}"#;
    lsp.send_raw(format!("Content-Length: {}\r\n\r\n", invalid.len()).as_bytes());
    lsp.send_raw(invalid);
    assert_eq!(error_code(&lsp.response(&json!(77))), -32600);
    // Garbage between frames is skipped up to the next header.
    lsp.send_raw(b"garbage without any header\r\n\r\n");
    lsp.wait_for(|m| m.get("error").is_some() && m["id"].is_null());
    still_serving(&mut lsp, dir.path(), "a.txt");
    assert!(lsp.shutdown().success());
}

#[test]
fn other_headers_are_accepted() {
    let (dir, mut lsp) = started(push_client());
    let body = br#"{"jsonrpc":"2.0","id":90,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"file:///nada.txt"}}}"#;
    let frame = format!(
        "content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Extra: 1\r\n\r\n",
        body.len()
    );
    lsp.send_raw(frame.as_bytes());
    lsp.send_raw(body);
    assert_eq!(lsp.response(&json!(90))["result"], json!([]));
    still_serving(&mut lsp, dir.path(), "a.txt");
    assert!(lsp.shutdown().success());
}

#[test]
fn unknown_methods_and_wrong_params_get_errors_or_are_ignored() {
    let (dir, mut lsp) = started(push_client());
    assert_eq!(
        error_code(&lsp.request("galley/unknown", json!({}))),
        -32601
    );
    lsp.notify("galley/unknownNotification", json!({"x": 1}));
    lsp.notify("$/unknownDollarNotification", json!({}));
    assert_eq!(
        error_code(&lsp.request("textDocument/codeAction", json!({"textDocument": "no"}))),
        -32602
    );
    assert_eq!(
        error_code(&lsp.request("textDocument/diagnostic", json!([1, 2]))),
        -32602
    );
    lsp.notify("textDocument/didOpen", json!({"textDocument": {"uri": 12}}));
    lsp.notify("textDocument/didChange", json!({"contentChanges": "x"}));
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": "not a uri", "type": 9}]}),
    );
    still_serving(&mut lsp, dir.path(), "a.txt");
    assert!(lsp.shutdown().success());
}

#[test]
fn edits_to_unknown_documents_are_logged() {
    let (dir, mut lsp) = started(push_client());
    let change = json!({
        "textDocument": {"uri": "file:///nunca/abierto.txt", "version": 3},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "text": "x"}],
    });
    lsp.notify("textDocument/didChange", change);
    lsp.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "file:///nunca/abierto.txt"}}),
    );
    let pulled = lsp.pull("file:///nunca/abierto.txt", None);
    assert_eq!(pulled["items"], json!([]));
    still_serving(&mut lsp, dir.path(), "a.txt");
    let stderr = lsp.stderr.lock().unwrap().clone();
    assert!(stderr.contains("not open"), "{stderr}");
    assert!(lsp.shutdown().success());
}

#[test]
fn ranges_far_out_of_bounds_are_clamped() {
    let dir = tempfile::tempdir().unwrap();
    let mut lsp = Lsp::spawn(dir.path());
    // The two documents share every paragraph: only their own findings are compared here.
    lsp.initialize(
        pull_client(),
        json!({"rules": {"cross-draft-duplicate": "off"}}),
    );
    let uri = file_uri(&dir.path().join("a.txt"));
    lsp.open(&uri, "plaintext", 1, DRAFT);
    // From past the end of line 5 to far past the end of the text: cuts everything after line 5.
    let change = json!({
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 5, "character": 100000}, "end": {"line": 4000000, "character": 7}}, "text": "\n"}],
    });
    lsp.notify("textDocument/didChange", change);
    let fresh = file_uri(&dir.path().join("b.txt"));
    let cut: Vec<&str> = DRAFT.lines().take(6).collect();
    lsp.open(&fresh, "plaintext", 1, &(cut.join("\n") + "\n"));
    assert_eq!(
        lsp.pull(&uri, None)["items"],
        lsp.pull(&fresh, None)["items"]
    );
    assert_eq!(lsp.pull(&uri, None)["items"], json!([]));
    let stderr = lsp.stderr.lock().unwrap().clone();
    assert!(stderr.contains("clamped"), "{stderr}");
    // A reversed range is swapped, not a panic.
    let reversed = json!({
        "textDocument": {"uri": uri, "version": 3},
        "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 1, "character": 0}}, "text": ""}],
    });
    lsp.notify("textDocument/didChange", reversed);
    let symbols = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(symbols["result"][1]["detail"], "headline");
    assert_eq!(symbols["result"][1]["name"], DRAFT.lines().nth(2).unwrap());
    assert!(lsp.shutdown().success());
}

#[test]
fn a_50_mb_document_is_analysed_while_the_server_keeps_serving() {
    let (dir, mut lsp) = started(push_client());
    let header: Vec<&str> = DRAFT.lines().take(4).collect();
    let mut text = header.join("\n") + "\n";
    let mut n = 0;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&format!(
            "Párrafo {n}: la comisión {n} revisó el expediente {} y pidió informes {} al área {} 🗂️ antes de votar.\n",
            n * 7,
            n * 13,
            n % 97
        ));
        n += 1;
    }
    text.push_str(DRAFT.lines().nth(4).unwrap());
    text.push('\n');
    text.push_str(DRAFT.lines().nth(4).unwrap());
    text.push('\n');
    let big = file_uri(&dir.path().join("grande.txt"));
    lsp.open(&big, "plaintext", 1, &text);
    still_serving(&mut lsp, dir.path(), "pequeño.txt");
    // Analysing 50 MB takes a while in a debug build on a loaded machine; the point is that it
    // arrives, and that the small document did not wait for it.
    let published =
        |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == big;
    let message = lsp
        .try_wait_for(&published, Duration::from_secs(600))
        .expect("diagnostics for the big draft");
    let diagnostics = message["params"]["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics
            .iter()
            .any(|d| d["code"] == "duplicate-paragraph"),
        "{diagnostics:?}"
    );
    assert!(lsp.shutdown().success());
}

#[test]
fn files_on_disk_that_are_not_utf8_are_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("galley.toml");
    fs::write(&toml, b"[rules]\nduplicate-paragraph = \"\xe9rror\"\n").unwrap();
    fs::write(dir.path().join("latin1.txt"), b"Caf\xe9 con leche\n").unwrap();
    let mut lsp = Lsp::spawn(dir.path());
    lsp.initialize(push_client(), Value::Null);
    let uri = file_uri(&dir.path().join("a.txt"));
    lsp.open(&uri, "plaintext", 1, DRAFT);
    let message = lsp.wait_for(|m| m["method"] == "window/showMessage");
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .contains("galley.toml"),
        "{message}"
    );
    let toml_uri = file_uri(&toml);
    lsp.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == toml_uri
    });
    // With no good config ever read, the defaults apply.
    assert_eq!(lsp.diagnostics(&uri, 1)[0]["severity"], 2);
    let changes = json!({"changes": [
        {"uri": file_uri(&dir.path().join("latin1.txt")), "type": 2},
        {"uri": toml_uri, "type": 2},
    ]});
    lsp.notify("workspace/didChangeWatchedFiles", changes);
    still_serving(&mut lsp, dir.path(), "b.txt");
    assert!(lsp.shutdown().success());
}
