//! The language server over a workspace of drafts on disk (end to end, with the built binary):
//! the scan after `initialized` with its progress, `cross-draft-duplicate` diagnostics pointing
//! at the other file, hover and quick fixes, the index kept current by edits and watched-file
//! events, what the scan skips, and `workspace/diagnostic` over unopened drafts.

mod lsp_support;

use std::fs;
use std::path::Path;

use serde_json::{Value, json};

use lsp_support::{Lsp, file_uri};

const PUENTE: &str = "Los técnicos de la diputación cerraron ayer al tráfico pesado el puente viejo \
sobre el río Arlanza después de detectar grietas en dos de sus cinco arcos durante una inspección rutinaria.";

/// [`PUENTE`] reworded in a few places.
const PUENTE_REESCRITO: &str = "Los técnicos de la diputación cerraron el martes al tráfico pesado el \
puente viejo sobre el río Arlanza después de detectar grietas en dos de sus cinco arcos durante una \
revisión rutinaria.";

const DESVIO: &str = "Los camiones tendrán que desviarse por la variante norte, lo que alarga el \
trayecto hasta el polígono industrial en unos doce kilómetros según los transportistas.";

const ALCALDE: &str = "El alcalde pidió calma a los vecinos y aseguró que el ayuntamiento reclamará a \
la diputación un calendario de obras antes de que termine el mes.";

const FERIA: &str = "La feria del queso reunirá este fin de semana a cuarenta productores de la comarca \
en la plaza mayor, con catas guiadas y un concurso para elegir el mejor curado del año.";

/// A plain draft: meter, headline, subtitle, date, then one paragraph per line (the first body
/// paragraph is on line 4, counting from 0).
fn plain(headline: &str, date: &str, body: &[&str]) -> String {
    let mut text = format!(
        "Progresista 45% Conservador 55%\n{headline}\nUna entradilla que resume la noticia.\nPublicado: {date}\n"
    );
    for paragraph in body {
        text.push_str(paragraph);
        text.push('\n');
    }
    text
}

fn write(root: &Path, name: &str, contents: impl AsRef<[u8]>) -> String {
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, contents).unwrap();
    file_uri(&path)
}

/// A push client that shows progress and lets the server watch files.
fn push_client() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "window": {"workDoneProgress": true},
        "workspace": {
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "workspaceEdit": {"documentChanges": true}
        }
    })
}

/// A pull client (with refresh) that shows progress and lets the server watch files.
fn pull_client() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "window": {"workDoneProgress": true},
        "textDocument": {"diagnostic": {}},
        "workspace": {
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "diagnostics": {"refreshSupport": true}
        }
    })
}

/// Starts the server on `root` and waits for the first scan to end; returns the `$/progress`
/// values of that scan, in order.
fn start(root: &Path, client: Value) -> (Lsp, Vec<Value>) {
    let mut lsp = Lsp::spawn(root);
    lsp.initialize(client, Value::Null);
    let created = lsp.wait_for(|m| m["method"] == "window/workDoneProgress/create");
    let token = created["params"]["token"].clone();
    let mut values = Vec::new();
    loop {
        let progress =
            lsp.wait_for(|m| m["method"] == "$/progress" && m["params"]["token"] == token);
        let value = progress["params"]["value"].clone();
        let done = value["kind"] == "end";
        values.push(value);
        if done {
            return (lsp, values);
        }
    }
}

fn cross_draft(diagnostics: &[Value]) -> Vec<Value> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == "cross-draft-duplicate")
        .cloned()
        .collect()
}

fn has_cross_draft(diagnostics: &[Value]) -> bool {
    !cross_draft(diagnostics).is_empty()
}

fn watched(lsp: &mut Lsp, uri: &str, kind: u8) {
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri, "type": kind}]}),
    );
}

#[test]
fn scan_reports_progress_from_begin_to_end() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        write(
            dir.path(),
            &format!("seccion/nota-{i:02}.txt"),
            plain("Titular", "3 de mayo de 2026", &[FERIA]),
        );
    }
    let (lsp, values) = start(dir.path(), push_client());
    assert_eq!(values[0]["kind"], "begin", "{values:?}");
    assert_eq!(values[0]["title"], "Indexing drafts");
    let reports: Vec<&Value> = values.iter().filter(|v| v["kind"] == "report").collect();
    assert!(!reports.is_empty(), "{values:?}");
    assert_eq!(reports.last().unwrap()["message"], "Indexing drafts 12/12");
    assert_eq!(reports.last().unwrap()["percentage"], 100);
    let end = values.last().unwrap();
    assert_eq!(end["kind"], "end");
    assert_eq!(end["message"], "Indexed 12 drafts");
    assert!(lsp.shutdown().success());
}

#[test]
fn shared_paragraph_flags_only_the_newer_draft_pointing_at_the_older() {
    let dir = tempfile::tempdir().unwrap();
    let older_text = plain(
        "Cierran el puente viejo al tráfico pesado",
        "12 de enero de 2026, 08:30",
        &[ALCALDE, PUENTE],
    );
    let newer_text = plain(
        "Los transportistas protestan por el desvío",
        "15 de enero de 2026, 19:05",
        &[PUENTE, DESVIO],
    );
    let older = write(dir.path(), "enero/puente.txt", &older_text);
    let newer = write(dir.path(), "enero/desvio.txt", &newer_text);
    let (mut lsp, _) = start(dir.path(), push_client());

    lsp.open(&newer, "plaintext", 1, &newer_text);
    let diagnostics = lsp.diagnostics(&newer, 1);
    let found = cross_draft(&diagnostics);
    assert_eq!(found.len(), 1, "{diagnostics:?}");
    let finding = &found[0];
    assert_eq!(
        finding["range"]["start"],
        json!({"line": 4, "character": 0})
    );
    assert_eq!(finding["severity"], 2);
    let related = &finding["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], older);
    assert_eq!(
        related["location"]["range"]["start"],
        json!({"line": 5, "character": 0}),
        "the paragraph's line in the older draft"
    );
    assert!(
        related["message"]
            .as_str()
            .unwrap()
            .contains("Cierran el puente viejo al tráfico pesado"),
        "{related}"
    );

    let hover = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": newer}, "position": {"line": 4, "character": 10}}),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("“Cierran el puente viejo al tráfico pesado”"),
        "{shown}"
    );
    assert!(shown.contains("published 2026-01-12 08:30"), "{shown}");
    assert!(shown.contains("`puente.txt`, line 6"), "{shown}");

    lsp.open(&older, "plaintext", 1, &older_text);
    assert!(!has_cross_draft(&lsp.diagnostics(&older, 1)));
    assert!(lsp.shutdown().success());
}

#[test]
fn markdown_copy_offers_remove_and_ignore_quick_fixes() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "puente.md",
        format!(
            "---\ntitle: Cierran el puente viejo\nsubtitle: Grietas en dos arcos\ndate: 2026-01-12T08:30\nleaning: {{progresista: 50, conservador: 50}}\n---\n\n{PUENTE}\n"
        ),
    );
    let newer_text = format!(
        "---\ntitle: El desvío alarga los trayectos\nsubtitle: Doce kilómetros más\ndate: 2026-01-20T10:00\nleaning: {{progresista: 50, conservador: 50}}\n---\n\n{DESVIO}\n\n{PUENTE}\n"
    );
    let newer = write(dir.path(), "desvio.md", &newer_text);
    let (mut lsp, _) = start(dir.path(), push_client());
    lsp.open(&newer, "markdown", 1, &newer_text);
    let found = cross_draft(&lsp.diagnostics(&newer, 1));
    assert_eq!(found.len(), 1);
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": newer},
            "range": found[0]["range"],
            "context": {"diagnostics": found, "only": ["quickfix"]},
        }),
    );
    let titles: Vec<&str> = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert_eq!(titles, ["Remove paragraph", "Ignore: quoted on purpose"]);
    assert!(lsp.shutdown().success());
}

#[test]
fn near_copy_across_drafts_is_flagged_with_its_similarity() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.txt",
        plain("Primero", "12 de enero de 2026", &[PUENTE]),
    );
    let newer_text = plain("Después", "13 de enero de 2026", &[PUENTE_REESCRITO]);
    let newer = write(dir.path(), "b.txt", &newer_text);
    let (mut lsp, _) = start(dir.path(), push_client());
    lsp.open(&newer, "plaintext", 1, &newer_text);
    let found = cross_draft(&lsp.diagnostics(&newer, 1));
    assert_eq!(found.len(), 1);
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("% similar to one in “Primero”"),
        "{message}"
    );
    assert!(lsp.shutdown().success());
}

#[test]
fn a_file_edited_on_disk_changes_open_drafts_after_the_watched_file_event() {
    let dir = tempfile::tempdir().unwrap();
    let older_path = dir.path().join("puente.txt");
    let older = write(
        dir.path(),
        "puente.txt",
        plain("Antes", "12 de enero de 2026", &[ALCALDE]),
    );
    let newer_text = plain("Después", "15 de enero de 2026", &[PUENTE, DESVIO]);
    let newer = write(dir.path(), "desvio.txt", &newer_text);
    let (mut lsp, _) = start(dir.path(), push_client());
    let registration = lsp.wait_for(|m| m["method"] == "client/registerCapability");
    let watchers = &registration["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(watchers[0]["globPattern"], "**/galley.toml");
    assert_eq!(watchers[1]["globPattern"], "**/*.{txt,md}");

    lsp.open(&newer, "plaintext", 1, &newer_text);
    assert!(!has_cross_draft(&lsp.diagnostics(&newer, 1)));

    fs::write(
        &older_path,
        plain("Antes", "12 de enero de 2026", &[ALCALDE, PUENTE]),
    )
    .unwrap();
    watched(&mut lsp, &older, 2);
    let flagged = lsp.diagnostics_until(&newer, 1, has_cross_draft);
    assert_eq!(
        cross_draft(&flagged)[0]["relatedInformation"][0]["location"]["uri"],
        older
    );

    fs::write(
        &older_path,
        plain("Antes", "12 de enero de 2026", &[ALCALDE]),
    )
    .unwrap();
    watched(&mut lsp, &older, 2);
    lsp.diagnostics_until(&newer, 1, |d| !has_cross_draft(d));
    assert!(lsp.shutdown().success());
}

#[test]
fn a_deleted_original_no_longer_flags_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let older_path = dir.path().join("puente.txt");
    let older = write(
        dir.path(),
        "puente.txt",
        plain("Antes", "12 de enero de 2026", &[PUENTE]),
    );
    let newer_text = plain("Después", "15 de enero de 2026", &[PUENTE]);
    let newer = write(dir.path(), "desvio.txt", &newer_text);
    let (mut lsp, _) = start(dir.path(), push_client());
    lsp.open(&newer, "plaintext", 1, &newer_text);
    assert!(has_cross_draft(&lsp.diagnostics(&newer, 1)));

    fs::remove_file(&older_path).unwrap();
    watched(&mut lsp, &older, 3);
    lsp.diagnostics_until(&newer, 1, |d| !has_cross_draft(d));

    // Created again (under a new date): flagged again.
    fs::write(
        &older_path,
        plain("Antes", "11 de enero de 2026", &[PUENTE]),
    )
    .unwrap();
    watched(&mut lsp, &older, 1);
    lsp.diagnostics_until(&newer, 1, has_cross_draft);
    assert!(lsp.shutdown().success());
}

#[test]
fn edits_to_an_open_draft_re_check_the_other_open_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let older_text = plain("Antes", "12 de enero de 2026", &[ALCALDE]);
    let older = write(dir.path(), "puente.txt", &older_text);
    let newer_text = plain("Después", "15 de enero de 2026", &[PUENTE, DESVIO]);
    let newer = write(dir.path(), "desvio.txt", &newer_text);
    let (mut lsp, _) = start(dir.path(), push_client());
    lsp.open(&newer, "plaintext", 1, &newer_text);
    assert!(!has_cross_draft(&lsp.diagnostics(&newer, 1)));
    lsp.open(&older, "plaintext", 1, &older_text);
    lsp.diagnostics(&older, 1);

    // The older draft gains the paragraph in the editor (not saved): the newer one is re-checked.
    let end = older_text.lines().count() as u32;
    lsp.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": older, "version": 2},
            "contentChanges": [{
                "range": {"start": {"line": end, "character": 0}, "end": {"line": end, "character": 0}},
                "text": format!("{PUENTE}\n"),
            }],
        }),
    );
    let flagged = lsp.diagnostics_until(&newer, 1, has_cross_draft);
    assert_eq!(
        cross_draft(&flagged)[0]["relatedInformation"][0]["location"]["range"]["start"],
        json!({"line": 5, "character": 0}),
        "placed in the editor's text of the older draft"
    );
    assert!(!has_cross_draft(&lsp.diagnostics(&older, 2)));
    assert!(lsp.shutdown().success());
}

#[test]
fn ignored_folders_are_not_indexed_even_when_their_files_change() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "archivo/\n");
    write(
        dir.path(),
        "galley.toml",
        "exclude = [\"borradores-viejos\"]\n",
    );
    let ignored = write(
        dir.path(),
        "archivo/puente.txt",
        plain("Archivado", "1 de enero de 2026", &[PUENTE]),
    );
    write(
        dir.path(),
        "borradores-viejos/puente.txt",
        plain("Excluido", "2 de enero de 2026", &[PUENTE]),
    );
    let newer_text = plain("Después", "15 de enero de 2026", &[PUENTE]);
    let newer = write(dir.path(), "desvio.txt", &newer_text);
    let (mut lsp, values) = start(dir.path(), pull_client());
    assert_eq!(values.last().unwrap()["message"], "Indexed 1 draft");
    lsp.open(&newer, "plaintext", 1, &newer_text);
    assert!(!has_cross_draft(
        lsp.pull(&newer, None)["items"].as_array().unwrap()
    ));

    // An event for the ignored file does not bring it in.
    write(
        dir.path(),
        "archivo/puente.txt",
        plain("Archivado", "1 de enero de 2026", &[PUENTE, ALCALDE]),
    );
    watched(&mut lsp, &ignored, 2);
    lsp.wait_for(|m| m["method"] == "workspace/diagnostic/refresh");
    assert!(!has_cross_draft(
        lsp.pull(&newer, None)["items"].as_array().unwrap()
    ));
    let pulled = lsp.request("workspace/diagnostic", json!({"previousResultIds": []}));
    let uris: Vec<&str> = pulled["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["uri"].as_str())
        .collect();
    assert_eq!(uris, [newer.as_str()]);
    assert!(lsp.shutdown().success());
}

#[test]
fn non_utf8_and_oversized_files_are_skipped_logged_and_nothing_else_lost() {
    let dir = tempfile::tempdir().unwrap();
    let older = write(
        dir.path(),
        "puente.txt",
        plain("Antes", "12 de enero de 2026", &[PUENTE]),
    );
    write(dir.path(), "latin1.txt", b"Caf\xe9 con leche y tostadas\n");
    let mut huge = plain("Enorme", "1 de enero de 2026", &[PUENTE]);
    while huge.len() < 3 * 1024 * 1024 {
        huge.push_str(FERIA);
        huge.push('\n');
    }
    write(dir.path(), "enorme.txt", &huge);
    let newer = write(
        dir.path(),
        "desvio.txt",
        plain("Después", "15 de enero de 2026", &[PUENTE]),
    );
    let (mut lsp, values) = start(dir.path(), pull_client());
    assert_eq!(values.last().unwrap()["message"], "Indexed 2 drafts");
    let log = lsp.stderr.lock().unwrap().clone();
    assert!(
        log.contains("latin1.txt: not UTF-8 text"),
        "the skipped file is named: {log}"
    );
    assert!(
        log.contains("enorme.txt: larger than the size limit"),
        "{log}"
    );

    let pulled = lsp.request("workspace/diagnostic", json!({"previousResultIds": []}));
    let items = pulled["result"]["items"].as_array().unwrap().clone();
    let of = |uri: &str| items.iter().find(|i| i["uri"] == uri).cloned();
    let copy = of(&newer).expect("the copy is listed");
    let found = cross_draft(copy["items"].as_array().unwrap());
    assert_eq!(
        found[0]["relatedInformation"][0]["location"]["uri"], older,
        "the original is the small draft, not the skipped one"
    );
    assert!(of(&older).is_some());
    assert_eq!(items.len(), 2);
    assert!(lsp.shutdown().success());
}

#[test]
fn workspace_diagnostics_list_unopened_drafts_and_answer_unchanged_until_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let older = write(
        dir.path(),
        "puente.txt",
        plain("Antes", "12 de enero de 2026", &[PUENTE, ALCALDE]),
    );
    let newer_path = dir.path().join("desvio.txt");
    let newer = write(
        dir.path(),
        "desvio.txt",
        plain("Después", "15 de enero de 2026", &[PUENTE]),
    );
    let open_text = plain("Abierto", "20 de enero de 2026", &[FERIA]);
    let open = write(dir.path(), "feria.txt", &open_text);
    let (mut lsp, _) = start(dir.path(), pull_client());
    lsp.open(&open, "plaintext", 7, &open_text);

    let first =
        lsp.request("workspace/diagnostic", json!({"previousResultIds": []}))["result"]["items"]
            .as_array()
            .unwrap()
            .clone();
    assert_eq!(first.len(), 3, "{first:?}");
    let of = |items: &[Value], uri: &str| items.iter().find(|i| i["uri"] == uri).cloned().unwrap();
    let copy = of(&first, &newer);
    assert_eq!(copy["kind"], "full");
    assert_eq!(copy["version"], Value::Null, "not open");
    let found = cross_draft(copy["items"].as_array().unwrap());
    assert_eq!(found[0]["relatedInformation"][0]["location"]["uri"], older);
    assert!(!has_cross_draft(
        of(&first, &older)["items"].as_array().unwrap()
    ));
    assert_eq!(
        of(&first, &open)["version"],
        7,
        "open documents carry their version"
    );

    let previous: Vec<Value> = first
        .iter()
        .map(|i| json!({"uri": i["uri"], "value": i["resultId"]}))
        .collect();
    let again = lsp.request(
        "workspace/diagnostic",
        json!({"previousResultIds": previous}),
    )["result"]["items"]
        .as_array()
        .unwrap()
        .clone();
    assert!(again.iter().all(|i| i["kind"] == "unchanged"), "{again:?}");

    // The copy is edited on disk: its report changes, and the client is asked to pull again.
    fs::write(
        &newer_path,
        plain("Después", "15 de enero de 2026", &[DESVIO]),
    )
    .unwrap();
    watched(&mut lsp, &newer, 2);
    lsp.wait_for(|m| m["method"] == "workspace/diagnostic/refresh");
    let after = lsp.request(
        "workspace/diagnostic",
        json!({"previousResultIds": previous}),
    )["result"]["items"]
        .as_array()
        .unwrap()
        .clone();
    let copy = of(&after, &newer);
    assert_eq!(copy["kind"], "full");
    assert!(!has_cross_draft(copy["items"].as_array().unwrap()));
    assert_eq!(of(&after, &open)["kind"], "unchanged");
    assert!(lsp.shutdown().success());
}
